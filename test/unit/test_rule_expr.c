/*
 * test_rule_expr.c
 *		Unit tests of the rule expression compiler (src/match/rule_expr.c): the SQL
 *		it writes, the fields it reports, and every error it catches.  The
 *		expected SQL was written by hand from the grammar in rule_expr.h.
 */
#include <stdlib.h>
#include <string.h>

#include "match/rule_expr.h"
#include "tap.h"

static char           out[4096];
static RuleExprFields fields;
static size_t         error_pos;

/* Compile s from an exact-size heap copy; NULL or the error. */
static const char *
compile(const char *s)
{
	size_t      n = strlen(s);
	char       *copy = malloc(n ? n : 1);
	const char *err;

	memcpy(copy, s, n);
	err = rule_expr_compile(copy, n, "c.payload", out, sizeof(out), &fields, &error_pos);
	free(copy);
	return err;
}

int
main(void)
{
	char small[16];

	ok(compile("price") == NULL, "a field alone");
	is_str(out, "(((c.payload ->> 'price')::numeric))", "a field is its payload value as numeric");
	is_int(fields.n, 1, "one field");
	is_str(fields.names[0], "price", "named price");

	ok(compile("price * 3%") == NULL, "a percentage");
	is_str(out, "(((c.payload ->> 'price')::numeric) * (3::numeric / 100))", "3%% is 3 / 100");

	ok(compile("a + b * c - d") == NULL, "precedence");
	is_str(out,
		   "(((c.payload ->> 'a')::numeric) + ((c.payload ->> 'b')::numeric) * ((c.payload ->> "
		   "'c')::numeric) - ((c.payload ->> 'd')::numeric))",
		   "* binds tighter than + and -, as written");
	is_int(fields.n, 4, "four distinct fields");

	ok(compile("(a + b) / c") == NULL, "parentheses and division");
	is_str(out,
		   "(((((c.payload ->> 'a')::numeric) + ((c.payload ->> 'b')::numeric))) / "
		   "NULLIF(((c.payload ->> 'c')::numeric), 0))",
		   "a divisor is wrapped in NULLIF(..., 0)");

	ok(compile("area * 0.6 + area") == NULL, "a decimal and a repeated field");
	is_int(fields.n, 1, "a field used twice is reported once");

	ok(compile("-a - -2.5") == NULL, "unary minus");
	is_str(out, "((-((c.payload ->> 'a')::numeric)) - (-(2.5::numeric)))",
		   "signs never make a -- comment");

	ok(compile("MIN(a, b, 100) + max(a, 0) + round(a / 3, 2) + abs(-a) + coalesce(b, 0)") == NULL,
	   "the functions");
	ok(strstr(out, "LEAST(") && strstr(out, "GREATEST(") && strstr(out, "round(") &&
		   strstr(out, "abs(") && strstr(out, "COALESCE("),
	   "become LEAST, GREATEST, round, abs, COALESCE");

	ok(compile("成交价格 * 3%") == NULL, "a Chinese field name");
	is_str(fields.names[0], "成交价格", "is a field");

	ok(compile("\"o'brien\\x\" * 2") == NULL, "a quoted field name with a quote and a backslash");
	is_str(out, "(((c.payload ->> E'o''brien\\\\x')::numeric) * (2::numeric))",
		   "the quote is doubled and the backslash escaped in an E'' literal");
	is_str(fields.names[0], "o'brien\\x", "the name itself is kept");

	ok(compile("\"a\"\"b\"") == NULL, "a doubled double quote");
	is_str(fields.names[0], "a\"b", "stands for one");

	ok(compile("  price\t*\n2 ") == NULL, "white space anywhere");
	ok(compile("price\xe3\x80\x80*\xe3\x80\x80"
			   "2") == NULL,
	   "ideographic spaces too");

	/* errors, with the place */
	is_str(compile(""), "unexpected end of the expression", "empty");
	is_str(compile("a +"), "unexpected end of the expression", "dangling operator");
	is_str(compile("a +* b"), "unexpected character", "two operators");
	is_int(error_pos, 3, "found at the *");
	is_str(compile("(a + b"), "expected \")\"", "unbalanced parenthesis");
	is_str(compile("a b"), "unexpected text after the expression", "two fields in a row");
	is_int(error_pos, 2, "found at b");
	is_str(compile("sqrt(a)"), "unknown function (min, max, round, abs and coalesce are allowed)",
		   "a function not on the list");
	is_int(error_pos, 0, "found at its name");
	is_str(compile("abs(a, b)"), "wrong number of arguments", "abs takes one argument");
	is_str(compile("round(a, 2, 3)"), "wrong number of arguments", "round at most two");
	is_str(compile("1."), "a digit must follow the decimal point", "a bare decimal point");
	is_str(compile("3x"), "a number runs into a name", "3x is not a number");
	is_str(compile("a; DROP TABLE x"), "unexpected text after the expression",
		   "no statement can follow");
	ok(compile("a -- comment") == NULL && strstr(out, "--") == NULL,
	   "a -- b is a minus a negative b, and no -- reaches the SQL");
	is_str(compile("\"abc"), "unterminated quoted field name", "unterminated quote");
	is_str(compile("\"\""), "empty field name", "empty quoted name");
	is_str(compile("\"a\x01\""), "control character in a field name", "control characters refused");
	is_str(compile("a + 'x'"), "unexpected character", "no string literals");
	is_str(compile("((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))"),
		   "the expression is nested too deeply", "nesting is bounded");
	{
		char   many[400];
		size_t n = 0;

		for (int i = 0; i < 17; i++)
			n += (size_t) snprintf(many + n, sizeof(many) - n, "%sf%d", i ? "+" : "", i);
		is_str(compile(many), "too many fields", "at most 16 distinct fields");
	}
	{
		const char in[] = "a\0b";

		ok(rule_expr_compile(in, 3, "p", out, sizeof(out), NULL, &error_pos) != NULL,
		   "a NUL byte is refused");
		is_int(error_pos, 1, "at its place");
	}
	ok(rule_expr_compile("price", 5, "c.payload", small, sizeof(small), NULL, NULL) != NULL,
	   "too small an output buffer is an error");
	is_str(small, "", "and leaves the output empty");

	return done_testing();
}
