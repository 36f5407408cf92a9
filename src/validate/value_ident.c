/*
 * value_ident.c
 *		Pure core: the parsers of the identifier field types (uscc, idcard,
 *		orgcode, division) and of phone numbers (called by value_parse() in
 *		value.c).
 *
 * Kept apart from value.c because these types are codes rather than
 * quantities: identifiers are normalised and checked by ident.c and
 * normalize.c, and phone numbers have their own grammar of country codes,
 * area codes and extensions.  Both report their own error code word.
 *
 * No PostgreSQL headers: this file is linked into the unit tests and the
 * fuzzer.  Nothing is allocated; scratch space is on the stack, bounded by
 * VALUE_SHORT_MAX.
 */
#include "validate/value_internal.h"

#include <string.h>

#include "ident/ident.h"
#include "ident/normalize.h"

/* ---------------------------------------------------------------------
 * Identifiers
 * ---------------------------------------------------------------------
 */

static bool
all_digits(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!is_digit(s[k]))
			return false;
	return true;
}

/* in is the trimmed raw input (at most VALUE_SHORT_MAX bytes). */
const char *
value_parse_ident(FieldType t, const char *in, size_t len, char *out)
{
	size_t n = normalize_ident(in, len, out);

	switch (t)
	{
		case FT_USCC:
			return ident_uscc_valid(out, n) ? NULL : "uscc";
		case FT_ORGCODE:
			return ident_orgcode_valid(out, n) ? NULL : "orgcode";
		case FT_IDCARD:
			if (n == IDENT_IDCARD_LEN)
				return ident_idcard_valid(out, n) ? NULL : "idcard";
			if (n == IDENT_IDCARD15_LEN)
			{
				char up[19];

				/* legacy 15-digit numbers are stored in their 18-char form */
				if (!ident_idcard_upgrade(out, n, up))
					return "idcard";
				memcpy(out, up, 19);
				return NULL;
			}
			return "idcard";
		case FT_DIVISION:
			if (n != 6 || !all_digits(out, n) ||
				!ident_province_code_valid((out[0] - '0') * 10 + (out[1] - '0')))
				return "division";
			return NULL;
		default:
			return "type";
	}
}

/*
 * Phone numbers, canonical as digits only.
 *
 * Mobile: 1[3-9] and 9 more digits, optionally after +86, 0086 or 86.
 * Landline: area code (010 and 02X have three digits with the trunk 0, all
 * others four) and a 7- or 8-digit local number not starting with 0 or 1;
 * after +86 the trunk 0 may be missing and is put back.
 *
 * Extensions ("0734-8888888-123", "0734-8888888转123", "... ext 123") are
 * accepted and DROPPED: the canonical value identifies the line, which is what
 * matching across departments compares, and digits-only text has no room to
 * mark an extension unambiguously.  A mobile number with an extension is not
 * a phone number.
 */
const char *
value_parse_phone(const char *s, size_t n, char *out)
{
	char   d[VALUE_SHORT_MAX + 2];
	size_t nd = 0;
	size_t bounds[VALUE_SHORT_MAX]; /* digit counts at group ends */
	size_t nb = 0;
	bool   plus = false;
	bool   intl = false;
	bool   ext = false;
	bool   first_group_86 = false;
	Cursor c = {s, n, 0};
	size_t area;
	size_t local;
	size_t k;

	if (peek(&c) == '(' && c.n > 1 && c.s[1] == '+')
		c.i++;
	if (peek(&c) == '+')
	{
		plus = true;
		c.i++;
	}
	while (!at_end(&c))
	{
		char ch = peek(&c);

		if (is_digit(ch))
		{
			d[nd++] = ch;
			c.i++;
			if (!is_digit(peek(&c)))
				bounds[nb++] = nd;
		}
		else if (ch == ' ' || ch == '-' || ch == '(' || ch == ')' || ch == '.' || ch == '/')
			c.i++;
		else if (eat(&c, "转") || eat(&c, "分机") || eat_ci(&c, "ext") || eat_ci(&c, "x") ||
				 eat(&c, "#"))
		{
			/* the rest is the extension: 1-6 digits, dropped */
			size_t e = 0;

			eat(&c, ".");
			skip_spaces(&c);
			while (is_digit(peek(&c)))
			{
				c.i++;
				e++;
			}
			if (e == 0 || e > 6 || !at_end(&c) || nd == 0)
				return "phone";
			ext = true;
		}
		else
			return "phone";
	}
	d[nd] = '\0';
	if (nd == 0)
		return "phone";
	first_group_86 = nb > 0 && bounds[0] == 2 && d[0] == '8' && d[1] == '6';

	/* country code */
	k = 0;
	if (plus)
	{
		if (nd < 2 || d[0] != '8' || d[1] != '6')
			return "phone";
		k = 2;
		intl = true;
	}
	else if (nd > 4 && memcmp(d, "0086", 4) == 0)
	{
		k = 4;
		intl = true;
	}
	else if (first_group_86)
	{
		k = 2;
		intl = true;
	}
	else if (nd == 13 && d[0] == '8' && d[1] == '6' && d[2] == '1')
		k = 2;

	/* mobile */
	if (nd - k == 11 && d[k] == '1' && d[k + 1] >= '3' && d[k + 1] <= '9')
	{
		if (ext)
			return "phone";
		memcpy(out, d + k, 11);
		out[11] = '\0';
		return NULL;
	}

	/* landline: put back the trunk 0 dropped in international form */
	if (intl && d[k] != '0')
	{
		if (k == 0)
			return "phone";
		d[--k] = '0';
	}
	if (nd - k < 3 || d[k] != '0')
		return "phone";
	if (d[k + 1] == '1' && d[k + 2] == '0')
		area = 3;
	else if (d[k + 1] == '2')
		area = 3;
	else if (d[k + 1] >= '3' && d[k + 1] <= '9')
		area = 4;
	else
		return "phone";
	if (nd - k < area + 7)
		return "phone";
	local = nd - k - area;
	if (local > 8)
	{
		/* an extension after a separator: the local number ends at a group end */
		size_t b;

		local = 0;
		for (b = 0; b < nb; b++)
		{
			size_t l = bounds[b] - k - area;

			if (bounds[b] > k + area && (l == 7 || l == 8) && nd - bounds[b] <= 6)
			{
				local = l;
				break;
			}
		}
		if (local == 0)
			return "phone";
	}
	if (d[k + area] == '0' || d[k + area] == '1')
		return "phone";
	memcpy(out, d + k, area + local);
	out[area + local] = '\0';
	return NULL;
}
