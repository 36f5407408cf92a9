/*
 * rule_expr.c
 *		Pure core: compile a rule's expected-amount expression to SQL.  See
 *		rule_expr.h for the grammar.
 *
 * A recursive-descent parser that writes SQL as it goes: every construct is
 * fully parenthesised, so the SQL's precedence never differs from the
 * expression's.
 */
#include "match/rule_expr.h"

#include <string.h>

typedef struct Parser
{
	const char     *in;
	size_t          len;
	size_t          pos;
	const char     *payload;
	char           *out;
	size_t          outsize;
	size_t          outlen;
	RuleExprFields *fields;
	const char     *error;
	size_t          error_pos;
	int             depth;
} Parser;

static const char *const functions[][2] = {
	{"min", "LEAST"}, {"max", "GREATEST"},      {"round", "round"},
	{"abs", "abs"},   {"coalesce", "COALESCE"},
};

static bool expr(Parser *p);

static bool
fail(Parser *p, const char *msg)
{
	if (p->error == NULL)
	{
		p->error = msg;
		p->error_pos = p->pos;
	}
	return false;
}

static bool
emit(Parser *p, const char *s, size_t n)
{
	if (p->outlen + n + 1 > p->outsize)
		return fail(p, "the expression is too long");
	memcpy(p->out + p->outlen, s, n);
	p->outlen += n;
	p->out[p->outlen] = '\0';
	return true;
}

static bool
emits(Parser *p, const char *s)
{
	return emit(p, s, strlen(s));
}

static void
skip_space(Parser *p)
{
	while (p->pos < p->len)
	{
		unsigned char c = (unsigned char) p->in[p->pos];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			p->pos++;
		/* U+3000 ideographic space, as typed with a Chinese input method */
		else if (c == 0xE3 && p->pos + 2 < p->len && (unsigned char) p->in[p->pos + 1] == 0x80 &&
				 (unsigned char) p->in[p->pos + 2] == 0x80)
			p->pos += 3;
		else
			break;
	}
}

static bool
peek(Parser *p, char c)
{
	skip_space(p);
	return p->pos < p->len && p->in[p->pos] == c;
}

static bool
is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool
is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* A field reference: remember it and write the cast of the payload's value. */
static bool
field(Parser *p, const char *name, size_t n)
{
	bool backslash = false;
	int  i;

	if (n == 0)
		return fail(p, "empty field name");
	if (n >= RULE_EXPR_MAX_NAME)
		return fail(p, "field name too long");
	for (size_t k = 0; k < n; k++)
	{
		if ((unsigned char) name[k] < 0x20 || name[k] == 0x7F)
			return fail(p, "control character in a field name");
		if (name[k] == '\\')
			backslash = true;
	}
	if (p->fields)
	{
		for (i = 0; i < p->fields->n; i++)
			if (strlen(p->fields->names[i]) == n && memcmp(p->fields->names[i], name, n) == 0)
				break;
		if (i == p->fields->n)
		{
			if (p->fields->n == RULE_EXPR_MAX_FIELDS)
				return fail(p, "too many fields");
			memcpy(p->fields->names[i], name, n);
			p->fields->names[i][n] = '\0';
			p->fields->n++;
		}
	}
	/* ((payload ->> 'name')::numeric), quotes doubled, E'' with doubled backslashes */
	if (!emits(p, "((") || !emits(p, p->payload) || !emits(p, " ->> ") ||
		!emits(p, backslash ? "E'" : "'"))
		return false;
	for (size_t k = 0; k < n; k++)
	{
		if (name[k] == '\'' && !emit(p, "'", 1))
			return false;
		if (name[k] == '\\' && !emit(p, "\\", 1))
			return false;
		if (!emit(p, name + k, 1))
			return false;
	}
	return emits(p, "')::numeric)");
}

static bool
number(Parser *p)
{
	size_t start = p->pos;
	size_t digits = 0;
	bool   percent = false;

	while (p->pos < p->len && p->in[p->pos] >= '0' && p->in[p->pos] <= '9')
		p->pos++, digits++;
	if (p->pos < p->len && p->in[p->pos] == '.')
	{
		size_t frac = 0;

		p->pos++;
		while (p->pos < p->len && p->in[p->pos] >= '0' && p->in[p->pos] <= '9')
			p->pos++, frac++;
		if (frac == 0)
			return fail(p, "a digit must follow the decimal point");
	}
	if (digits == 0)
		return fail(p, "a number must start with a digit");
	if (p->pos - start > 30)
		return fail(p, "number too long");
	if (p->pos < p->len && p->in[p->pos] == '%')
	{
		percent = true;
		p->pos++;
	}
	if (p->pos < p->len && is_name_char((unsigned char) p->in[p->pos]))
		return fail(p, "a number runs into a name");
	if (!emits(p, "(") || !emit(p, p->in + start, p->pos - start - (percent ? 1 : 0)) ||
		!emits(p, percent ? "::numeric / 100)" : "::numeric)"))
		return false;
	return true;
}

static bool
call(Parser *p, const char *sqlname, bool variadic, int min_args, int max_args)
{
	int nargs = 0;

	if (!emits(p, sqlname) || !emits(p, "("))
		return false;
	p->pos++; /* "(" */
	for (;;)
	{
		if (nargs > 0 && !emits(p, ", "))
			return false;
		if (!expr(p))
			return false;
		nargs++;
		skip_space(p);
		if (peek(p, ','))
		{
			p->pos++;
			continue;
		}
		if (peek(p, ')'))
		{
			p->pos++;
			break;
		}
		return fail(p, "expected \",\" or \")\" in a function call");
	}
	if (nargs < min_args || (!variadic && nargs > max_args))
		return fail(p, "wrong number of arguments");
	return emits(p, ")");
}

static bool
factor(Parser *p)
{
	unsigned char c;
	bool          ok;

	if (++p->depth > RULE_EXPR_MAX_DEPTH)
		return fail(p, "the expression is nested too deeply");
	skip_space(p);
	if (p->pos >= p->len)
	{
		p->depth--;
		return fail(p, "unexpected end of the expression");
	}
	c = (unsigned char) p->in[p->pos];
	if (c == '-' || c == '+')
	{
		p->pos++;
		ok = emits(p, c == '-' ? "(-" : "(+") && factor(p) && emits(p, ")");
	}
	else if (c >= '0' && c <= '9')
		ok = number(p);
	else if (c == '(')
	{
		p->pos++;
		ok = emits(p, "(") && expr(p);
		if (ok && !peek(p, ')'))
			ok = fail(p, "expected \")\"");
		if (ok)
		{
			p->pos++;
			ok = emits(p, ")");
		}
	}
	else if (c == '"')
	{
		char   name[RULE_EXPR_MAX_NAME];
		size_t n = 0;

		p->pos++;
		ok = true;
		for (;;)
		{
			if (p->pos >= p->len)
			{
				ok = fail(p, "unterminated quoted field name");
				break;
			}
			if (p->in[p->pos] == '"')
			{
				if (p->pos + 1 < p->len && p->in[p->pos + 1] == '"')
					p->pos++; /* "" stands for " */
				else
				{
					p->pos++;
					break;
				}
			}
			if (n + 1 >= sizeof(name))
			{
				ok = fail(p, "field name too long");
				break;
			}
			name[n++] = p->in[p->pos++];
		}
		if (ok)
			ok = field(p, name, n);
	}
	else if (is_name_start(c))
	{
		size_t start = p->pos;
		size_t n;
		int    f;

		while (p->pos < p->len && is_name_char((unsigned char) p->in[p->pos]))
			p->pos++;
		n = p->pos - start;
		if (peek(p, '('))
		{
			for (f = 0; f < (int) (sizeof(functions) / sizeof(functions[0])); f++)
			{
				const char *fn = functions[f][0];

				if (strlen(fn) == n)
				{
					size_t k;

					for (k = 0; k < n; k++)
					{
						char ch = p->in[start + k];

						if (ch >= 'A' && ch <= 'Z')
							ch = (char) (ch - 'A' + 'a');
						if (ch != fn[k])
							break;
					}
					if (k == n)
						break;
				}
			}
			if (f == (int) (sizeof(functions) / sizeof(functions[0])))
			{
				p->pos = start;
				ok = fail(p, "unknown function (min, max, round, abs and coalesce are allowed)");
			}
			else if (strcmp(functions[f][0], "round") == 0)
				ok = call(p, functions[f][1], false, 1, 2);
			else if (strcmp(functions[f][0], "abs") == 0)
				ok = call(p, functions[f][1], false, 1, 1);
			else
				ok = call(p, functions[f][1], true, 1, 0);
		}
		else
			ok = field(p, p->in + start, n);
	}
	else
		ok = fail(p, "unexpected character");
	p->depth--;
	return ok;
}

static bool
term(Parser *p)
{
	if (!factor(p))
		return false;
	for (;;)
	{
		char op;

		skip_space(p);
		if (p->pos >= p->len || (p->in[p->pos] != '*' && p->in[p->pos] != '/'))
			return true;
		op = p->in[p->pos++];
		if (op == '*')
		{
			if (!emits(p, " * ") || !factor(p))
				return false;
		}
		else if (!emits(p, " / NULLIF(") || !factor(p) || !emits(p, ", 0)"))
			return false;
	}
}

static bool
expr(Parser *p)
{
	if (!emits(p, "(") || !term(p))
		return false;
	for (;;)
	{
		char op;

		skip_space(p);
		if (p->pos >= p->len || (p->in[p->pos] != '+' && p->in[p->pos] != '-'))
			return emits(p, ")");
		op = p->in[p->pos++];
		if (!emits(p, op == '+' ? " + " : " - ") || !term(p))
			return false;
	}
}

const char *
rule_expr_compile(const char *in, size_t len, const char *payload, char *out, size_t outsize,
				  RuleExprFields *fields, size_t *error_pos)
{
	Parser p;

	memset(&p, 0, sizeof(p));
	p.in = in;
	p.len = len;
	p.payload = payload;
	p.out = out;
	p.outsize = outsize;
	p.fields = fields;
	if (fields)
		fields->n = 0;
	if (outsize > 0)
		out[0] = '\0';
	if (memchr(in, '\0', len) != NULL)
	{
		p.pos = (size_t) ((const char *) memchr(in, '\0', len) - in);
		fail(&p, "NUL byte in the expression");
	}
	else if (expr(&p))
	{
		skip_space(&p);
		if (p.pos < p.len)
			fail(&p, "unexpected text after the expression");
	}
	if (p.error)
	{
		if (error_pos)
			*error_pos = p.error_pos;
		if (outsize > 0)
			out[0] = '\0';
		return p.error;
	}
	if (error_pos)
		*error_pos = 0;
	return NULL;
}
