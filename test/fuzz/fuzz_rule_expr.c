/*
 * fuzz_rule_expr.c
 *		libFuzzer target for rule_expr_compile() (src/match/rule_expr.c).
 *
 * Checked, besides the sanitizers' own checks (the input lives in a buffer
 * of exactly its size):
 *	- success writes NUL-terminated SQL that never holds "--", ";" or a comment opener,
 *	  whose parentheses balance, and whose quotes pair up (every ' outside a
 *	  literal opens one that closes);
 *	- failure leaves the output empty and places the error inside the input;
 *	- the reported fields are NUL-terminated and distinct.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/rule_expr.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

static void
check_sql(const char *sql)
{
	int depth = 0;
	int in_literal = 0;

	for (const char *c = sql; *c; c++)
	{
		if (in_literal)
		{
			if (*c == '\\' && c[1] != '\0')
				c++; /* the E'' literals double their backslashes */
			else if (*c == '\'')
			{
				if (c[1] == '\'')
					c++;
				else
					in_literal = 0;
			}
			continue;
		}
		CHECK(!(c[0] == '-' && c[1] == '-'));
		CHECK(!(c[0] == '/' && c[1] == '*'));
		CHECK(*c != ';' && *c != '"');
		if (*c == '\'')
			in_literal = 1;
		else if (*c == '(')
			depth++;
		else if (*c == ')')
			CHECK(--depth >= 0);
	}
	CHECK(!in_literal);
	CHECK(depth == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char          *in = malloc(size ? size : 1);
	size_t         cap = size * 64 + 256;
	char          *out = malloc(cap);
	RuleExprFields fields;
	size_t         pos = 0;
	const char    *err;

	memcpy(in, data, size);
	err = rule_expr_compile(in, size, "c.payload", out, cap, &fields, &pos);
	if (err == NULL)
	{
		CHECK(memchr(out, '\0', cap) != NULL);
		check_sql(out);
		CHECK(fields.n >= 0 && fields.n <= RULE_EXPR_MAX_FIELDS);
		for (int i = 0; i < fields.n; i++)
		{
			CHECK(memchr(fields.names[i], '\0', RULE_EXPR_MAX_NAME) != NULL);
			for (int j = 0; j < i; j++)
				CHECK(strcmp(fields.names[i], fields.names[j]) != 0);
		}
	}
	else
	{
		CHECK(out[0] == '\0');
		CHECK(pos <= size);
	}
	free(in);
	free(out);
	return 0;
}
