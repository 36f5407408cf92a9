/*
 * rule_expr.h
 *		Pure core: the expected-amount expression of a cross-check rule
 *		(match_rule.expected_expr, docs/matching.md "How to write a rule"),
 *		compiled from a whitelisted arithmetic into SQL.
 *
 * Grammar (whitespace anywhere between tokens):
 *		expr	:= term (("+" | "-") term)*
 *		term	:= factor (("*" | "/") factor)*
 *		factor	:= ("-" | "+") factor | number | field | func "(" expr ("," expr)* ")"
 *				 | "(" expr ")"
 *		number	:= digits ["." digits] ["%"]		(3% is 0.03)
 *		field	:= a name of letters, digits, "_" and non-ASCII characters not
 *				   starting with a digit, or any text in double quotes ("" is ")
 *		func	:= min | max | round | abs | coalesce	(case-insensitive)
 * A field becomes ((<payload> ->> 'name')::numeric), the name written as a
 * SQL string literal; a divisor d becomes NULLIF(d, 0), so a zero divides
 * to NULL instead of failing the whole run.  Nothing of the input reaches
 * the SQL except digits and the escaped literal of each field name: the
 * output is safe to splice into a statement.
 *
 * No PostgreSQL headers, no allocation.
 */
#ifndef TAXSHARE_RULE_EXPR_H
#define TAXSHARE_RULE_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#define RULE_EXPR_MAX_FIELDS 16
#define RULE_EXPR_MAX_NAME   64 /* bytes of a field name, with its NUL (as catalog_field.name) */
#define RULE_EXPR_MAX_DEPTH  32 /* nesting of parentheses, signs and calls */

typedef struct RuleExprFields
{
	int  n; /* distinct fields, in order of first use */
	char names[RULE_EXPR_MAX_FIELDS][RULE_EXPR_MAX_NAME];
} RuleExprFields;

/*
 * Compile in[0..len) with the jsonb of a record written as payload (trusted
 * SQL text from the caller, e.g. "c.payload") into out (outsize bytes,
 * NUL-terminated).  Fills *fields (may be NULL).  Returns NULL on success,
 * else a message in English saying what is wrong, with *error_pos (may be
 * NULL) the 0-based byte offset where it was found.
 */
extern const char *rule_expr_compile(const char *in, size_t len, const char *payload, char *out,
									 size_t outsize, RuleExprFields *fields, size_t *error_pos);

#endif /* TAXSHARE_RULE_EXPR_H */
