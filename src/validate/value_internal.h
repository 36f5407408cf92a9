/*
 * value_internal.h
 *		Declarations shared by the files of the value parser (value*.c)
 *		and by nothing else.
 *
 * value_parse() lives in value.c; it validates the encoding, trims, folds
 * full-width characters and dispatches to one parser per field type, which
 * live in value_datetime.c, value_number.c and value_ident.c.  Those parsers
 * read the folded text through a Cursor, whose helpers are tiny and are
 * defined here as static inline functions so that every file gets the same
 * ones.
 *
 * Private: include it only from value*.c.  Like those files it uses no
 * PostgreSQL headers (they are linked into the unit tests and the fuzzer).
 * Everything extern declared here has the value_ prefix, because the other
 * pure cores are linked into the same binaries.
 */
#ifndef TAXSHARE_VALUE_INTERNAL_H
#define TAXSHARE_VALUE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "validate/value.h"

/*
 * Longest value (in bytes, after trimming surrounding white space) that any
 * type other than string may have.  The longest legitimate inputs are a
 * datetime in Chinese with full-width digits and a time zone (about 80 bytes)
 * and a spaced-out identifier in full-width characters (18 * 3 plus spaces).
 */
#define VALUE_SHORT_MAX 256

/* ---------------------------------------------------------------------
 * A cursor over the folded text
 * ---------------------------------------------------------------------
 */

typedef struct Cursor
{
	const char *s;
	size_t      n;
	size_t      i;
} Cursor;

static inline bool
at_end(const Cursor *c)
{
	return c->i >= c->n;
}

static inline char
peek(const Cursor *c)
{
	return c->i < c->n ? c->s[c->i] : '\0';
}

static inline bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline void
skip_spaces(Cursor *c)
{
	while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
		c->i++;
}

/* Consume the literal lit (exact bytes) if it comes next. */
static inline bool
eat(Cursor *c, const char *lit)
{
	size_t l = strlen(lit);

	if (c->n - c->i >= l && memcmp(c->s + c->i, lit, l) == 0)
	{
		c->i += l;
		return true;
	}
	return false;
}

/* Same, ASCII case-insensitive (lit in lower case). */
static inline bool
eat_ci(Cursor *c, const char *lit)
{
	size_t l = strlen(lit);
	size_t k;

	if (c->n - c->i < l)
		return false;
	for (k = 0; k < l; k++)
	{
		char ch = c->s[c->i + k];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char) (ch + 32);
		if (ch != lit[k])
			return false;
	}
	c->i += l;
	return true;
}

/* Number of consecutive digits starting at the cursor (not consumed). */
static inline size_t
digit_run(const Cursor *c)
{
	size_t k = c->i;

	while (k < c->n && is_digit(c->s[k]))
		k++;
	return k - c->i;
}

/* Consume exactly k digits (k <= 9) as a number. */
static inline int
take_digits(Cursor *c, size_t k)
{
	int v = 0;

	while (k-- > 0)
		v = v * 10 + (c->s[c->i++] - '0');
	return v;
}

/* Consume a run of 1..maxd digits; false (nothing consumed) otherwise. */
static inline bool
take_number(Cursor *c, size_t maxd, int *v)
{
	size_t k = digit_run(c);

	if (k == 0 || k > maxd)
		return false;
	*v = take_digits(c, k);
	return true;
}

/* ---------------------------------------------------------------------
 * Per-type parsers
 * ---------------------------------------------------------------------
 *
 * Called by value_parse() only.  s[0..n) is the trimmed input (folded, except
 * for value_parse_ident, which gets the raw trimmed input and normalises it
 * itself), at most VALUE_SHORT_MAX bytes of valid UTF-8 without NUL bytes.
 * They return NULL on success or an error code word as value_parse() does;
 * on failure they may leave partial output, which value_parse() clears.
 */

/* value_datetime.c */
extern const char *value_parse_date(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_datetime(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_year(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_yearmonth(const char *s, size_t n, char *out, ParsedValue *pv);

/* value_number.c */
extern const char *value_parse_amount(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_integer(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_number(const char *s, size_t n, char *out, ParsedValue *pv);
extern const char *value_parse_boolean(const char *s, size_t n, char *out, ParsedValue *pv);

/* value_ident.c */
extern const char *value_parse_ident(FieldType t, const char *in, size_t len, char *out);
extern const char *value_parse_phone(const char *s, size_t n, char *out);

#endif /* TAXSHARE_VALUE_INTERNAL_H */
