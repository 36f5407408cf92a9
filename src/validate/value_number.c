/*
 * value_number.c
 *		Pure core: the parsers of the amount, integer, number and boolean
 *		field types (called by value_parse() in value.c).
 *
 * Kept apart from value.c because numbers need their own machinery: decimal
 * scanning with thousands separators and currency marks, exact integer
 * arithmetic for amounts in fen, and shortest round-trip formatting of
 * doubles.  Amounts in 万元 or in capital numerals (壹仟元整) and decimal
 * commas ("1,5") are deliberately not guessed, so rejected (see value.c).
 *
 * Numbers go through strtod()/snprintf(); they assume LC_NUMERIC "C", which
 * the PostgreSQL backend always keeps (and plain C programs start in).
 *
 * No PostgreSQL headers: this file is linked into the unit tests and the
 * fuzzer.  Nothing is allocated; scratch space is on the stack, bounded by
 * VALUE_SHORT_MAX.
 */
#include "validate/value_internal.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------
 */

/* A decimal number as written, after the separators are removed. */
typedef struct DecimalText
{
	bool   neg;
	char   ip[VALUE_SHORT_MAX + 1]; /* integer digits, leading zeros removed */
	size_t nip;
	char   fp[VALUE_SHORT_MAX + 1]; /* fraction digits as written */
	size_t nfp;
	bool   has_exp;
	long   exp; /* clamped to +-100000 */
} DecimalText;

static bool
eat_currency(Cursor *c)
{
	if (eat(c, "\xC2\xA5") || eat(c, "\xEF\xBF\xA5") || eat_ci(c, "rmb") || eat_ci(c, "cny"))
	{
		skip_spaces(c);
		return true;
	}
	return false;
}

static bool
eat_sign(Cursor *c, bool *neg)
{
	if (peek(c) == '-' || peek(c) == '+')
	{
		*neg = peek(c) == '-';
		c->i++;
		return true;
	}
	return false;
}

/*
 * [sign] digits (with ',' every three digits, or none) [. digits] [e [sign]
 * digits]; for amounts also a currency sign before or after the sign and a
 * 元 (元整) suffix.  Syntax only.
 */
static bool
parse_decimal(const char *s, size_t n, bool amount, DecimalText *dt)
{
	Cursor c = {s, n, 0};
	bool   currency = false;
	bool   any = false;

	memset(dt, 0, sizeof(*dt));
	if (amount)
		currency = eat_currency(&c);
	eat_sign(&c, &dt->neg);
	if (amount && !currency)
		eat_currency(&c);

	/* integer part */
	if (is_digit(peek(&c)))
	{
		size_t group = 0;
		bool   grouped = false;

		any = true;
		for (;;)
		{
			char ch = peek(&c);

			if (is_digit(ch))
			{
				if (dt->nip > 0 || ch != '0')
					dt->ip[dt->nip++] = ch;
				group++;
				c.i++;
			}
			else if (ch == ',' && c.i + 1 < c.n && is_digit(c.s[c.i + 1]))
			{
				/* the group before a comma: 1-3 digits first, then exactly 3 */
				if (group == 0 || group > 3 || (grouped && group != 3))
					return false;
				grouped = true;
				group = 0;
				c.i++;
			}
			else
				break;
		}
		if (grouped && group != 3)
			return false;
	}
	if (peek(&c) == '.')
	{
		c.i++;
		while (is_digit(peek(&c)))
		{
			dt->fp[dt->nfp++] = peek(&c);
			c.i++;
			any = true;
		}
	}
	if (!any)
		return false;
	if (peek(&c) == 'e' || peek(&c) == 'E')
	{
		bool eneg = false;
		long e = 0;

		c.i++;
		eat_sign(&c, &eneg);
		if (!is_digit(peek(&c)))
			return false;
		while (is_digit(peek(&c)))
		{
			if (e < 100000)
				e = e * 10 + (peek(&c) - '0');
			c.i++;
		}
		dt->has_exp = true;
		dt->exp = eneg ? -e : e;
	}
	if (amount)
	{
		skip_spaces(&c);
		if (eat(&c, "元"))
			eat(&c, "整");
	}
	return at_end(&c);
}

/* The integer digits as an unsigned magnitude; false when above limit. */
static bool
digits_to_u64(const char *d, size_t nd, uint64_t limit, uint64_t *out)
{
	uint64_t v = 0;
	size_t   k;

	for (k = 0; k < nd; k++)
	{
		unsigned dig = (unsigned) (d[k] - '0');

		if (v > (limit - dig) / 10)
			return false;
		v = v * 10 + dig;
	}
	*out = v;
	return true;
}

static bool
all_zeros(const char *d, size_t nd)
{
	size_t k;

	for (k = 0; k < nd; k++)
		if (d[k] != '0')
			return false;
	return true;
}

/* Write a signed magnitude as decimal text; no sign for zero. */
static size_t
write_u64(char *out, bool neg, uint64_t v)
{
	char   tmp[24];
	size_t k = 0;
	size_t o = 0;

	do
	{
		tmp[k++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (neg && !(k == 1 && tmp[0] == '0'))
		out[o++] = '-';
	while (k > 0)
		out[o++] = tmp[--k];
	out[o] = '\0';
	return o;
}

const char *
value_parse_amount(const char *s, size_t n, char *out, ParsedValue *pv)
{
	DecimalText dt;
	uint64_t    yuan;
	uint64_t    cents;
	uint64_t    limit;
	unsigned    fen;
	size_t      o;

	if (!parse_decimal(s, n, true, &dt) || dt.has_exp)
		return "type";
	if (dt.nfp > 2 && !all_zeros(dt.fp + 2, dt.nfp - 2))
		return "decimals";
	fen = (dt.nfp > 0 ? (unsigned) (dt.fp[0] - '0') * 10 : 0) +
		  (dt.nfp > 1 ? (unsigned) (dt.fp[1] - '0') : 0);
	limit = dt.neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	if (!digits_to_u64(dt.ip, dt.nip, limit / 100, &yuan))
		return "type";
	cents = yuan * 100;
	if (cents > limit - fen)
		return "type";
	cents += fen;

	/* the sign belongs to the whole amount ("-0.50"); no "-0.00" */
	o = 0;
	if (dt.neg && cents != 0)
		out[o++] = '-';
	o += write_u64(out + o, false, yuan);
	out[o++] = '.';
	out[o++] = (char) ('0' + fen / 10);
	out[o++] = (char) ('0' + fen % 10);
	out[o] = '\0';

	pv->scale = VS_CENTS;
	if (dt.neg)
		pv->cmp.cents = cents == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) cents;
	else
		pv->cmp.cents = (int64_t) cents;
	pv->json_number = true;
	return NULL;
}

const char *
value_parse_integer(const char *s, size_t n, char *out, ParsedValue *pv)
{
	DecimalText dt;
	uint64_t    v;
	uint64_t    limit;

	if (!parse_decimal(s, n, false, &dt) || dt.has_exp)
		return "type";
	/* "12.0" is an integer; "12.5" is not */
	if (!all_zeros(dt.fp, dt.nfp))
		return "type";
	limit = dt.neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	if (!digits_to_u64(dt.ip, dt.nip, limit, &v))
		return "type";
	write_u64(out, dt.neg, v);
	pv->scale = VS_NUMBER;
	pv->cmp.number = dt.neg ? -(double) v : (double) v;
	pv->json_number = true;
	return NULL;
}

/*
 * The shortest digits that round-trip v (v finite, not zero): digits without
 * a decimal point into dig, and the decimal exponent such that
 * v = 0.dig * 10^point.
 */
static size_t
shortest_digits(double v, char *dig, int *point)
{
	char        buf[40];
	int         prec;
	size_t      nd = 0;
	const char *p;

	/*
	 * The shortest is the fewest digits p whose correct rounding of v
	 * round-trips.  For a normal double, 15 digits are enough to tell:
	 * a decimal d of p <= 15 digits that round-trips lies within half an ulp
	 * of v (at most 2^-53 |v|), closer than half the spacing of 15-digit
	 * decimals (more than 5e-16 |v|), so rounding v to 15 digits gives d
	 * padded with zeros, and stripping them below gives d.  So one
	 * conversion at 15 digits decides every value with at most 15, then 16,
	 * then 17 (always enough) -- the same digits as trying p = 1, 2, ... 17,
	 * in one to three conversions instead of up to seventeen.  Subnormals
	 * carry fewer bits (5e-324 is a 15-digit round trip at 4.94065645841247e-324
	 * but 1 digit at 5e-324), so they keep the search from p = 1.
	 */
	if (v >= DBL_MIN || v <= -DBL_MIN)
	{
		for (prec = 15; prec <= 17; prec++)
		{
			snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
			if (prec == 17 || strtod(buf, NULL) == v)
				break;
		}
	}
	else
	{
		for (prec = 1; prec <= 17; prec++)
		{
			snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	}
	p = buf;
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
		if (is_digit(*p))
			dig[nd++] = *p;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dig[nd] = '\0';
	*point = atoi(p + 1) + 1;
	return nd;
}

/*
 * Canonical number text: the shortest round-tripping digits, laid out as
 * ECMAScript's Number::toString does (plain notation from 1e-6 up to 1e21,
 * exponent notation beyond), which is always a valid JSON number.
 */
static void
layout_digits(bool neg, const char *dig, int nd, int point, char *out)
{
	size_t o = 0;
	int    k;

	if (neg)
		out[o++] = '-';
	if (nd <= point && point <= 21)
	{
		memcpy(out + o, dig, nd);
		o += nd;
		for (k = nd; k < point; k++)
			out[o++] = '0';
	}
	else if (0 < point && point <= 21)
	{
		memcpy(out + o, dig, point);
		o += point;
		out[o++] = '.';
		memcpy(out + o, dig + point, nd - point);
		o += nd - point;
	}
	else if (-6 < point && point <= 0)
	{
		out[o++] = '0';
		out[o++] = '.';
		for (k = point; k < 0; k++)
			out[o++] = '0';
		memcpy(out + o, dig, nd);
		o += nd;
	}
	else
	{
		out[o++] = dig[0];
		if (nd > 1)
		{
			out[o++] = '.';
			memcpy(out + o, dig + 1, nd - 1);
			o += nd - 1;
		}
		o += snprintf(out + o, 8, "e%c%d", point - 1 >= 0 ? '+' : '-',
					  point - 1 >= 0 ? point - 1 : 1 - point);
	}
	out[o] = '\0';
}

static void
format_double(double v, char *out)
{
	char dig[24];
	int  point;
	int  nd;

	if (v == 0)
	{
		strcpy(out, "0");
		return;
	}
	nd = (int) shortest_digits(v < 0 ? -v : v, dig, &point);
	layout_digits(v < 0, dig, nd, point, out);
}

/*
 * The canonical text of v = strtod(dt) straight from the digits as written,
 * when that is the same as format_double(v): true if done.  A decimal of at
 * most 15 significant digits that rounds to a normal double v is the shortest
 * that round-trips (the argument in shortest_digits: every decimal of at most
 * 15 digits that round-trips is v rounded to 15 digits, zeros stripped), so
 * no conversion is needed -- the common case of values like "123.45".
 */
static bool
format_as_written(const DecimalText *dt, double v, char *out)
{
	char   dig[16];
	size_t nd = 0;
	size_t lz = 0;
	size_t k;
	long   point;

	if (!(v >= DBL_MIN || v <= -DBL_MIN) || dt->exp > 1000 || dt->exp < -1000)
		return false;
	/* leading zeros: only the fraction's, when there are no integer digits */
	if (dt->nip == 0)
		while (lz < dt->nfp && dt->fp[lz] == '0')
			lz++;
	for (k = 0; k < dt->nip + dt->nfp; k++)
	{
		char c = k < dt->nip ? dt->ip[k] : dt->fp[k - dt->nip];

		if (dt->nip == 0 && k < lz)
			continue;
		if (nd == sizeof(dig) - 1)
		{
			/* more than 15 digits: only trailing zeros may follow */
			if (c != '0')
				return false;
			continue;
		}
		dig[nd++] = c;
	}
	while (nd > 0 && dig[nd - 1] == '0')
		nd--;
	if (nd == 0 || nd > 15)
		return false;
	dig[nd] = '\0';
	point = (long) dt->nip - (long) lz + dt->exp;
	layout_digits(dt->neg, dig, (int) nd, (int) point, out);
	return true;
}

const char *
value_parse_number(const char *s, size_t n, char *out, ParsedValue *pv)
{
	DecimalText dt;
	char        clean[2 * VALUE_SHORT_MAX + 16];
	size_t      o = 0;
	double      v;

	if (!parse_decimal(s, n, false, &dt))
		return "type";
	if (dt.neg)
		clean[o++] = '-';
	if (dt.nip == 0)
		clean[o++] = '0';
	memcpy(clean + o, dt.ip, dt.nip);
	o += dt.nip;
	if (dt.nfp > 0)
	{
		clean[o++] = '.';
		memcpy(clean + o, dt.fp, dt.nfp);
		o += dt.nfp;
	}
	if (dt.has_exp)
		o += snprintf(clean + o, 16, "e%ld", dt.exp);
	clean[o] = '\0';

	v = strtod(clean, NULL);
	if (!isfinite(v))
		return "type";
	if (v == 0)
	{
		/* underflow of a nonzero value is out of range, not zero */
		if (!all_zeros(dt.ip, dt.nip) || !all_zeros(dt.fp, dt.nfp))
			return "type";
		v = 0; /* no negative zero */
	}
	if (v == 0 || !format_as_written(&dt, v, out))
		format_double(v, out);
	pv->scale = VS_NUMBER;
	pv->cmp.number = v;
	pv->json_number = true;
	return NULL;
}

/* ---------------------------------------------------------------------
 * Booleans
 * ---------------------------------------------------------------------
 */

const char *
value_parse_boolean(const char *s, size_t n, char *out, ParsedValue *pv)
{
	static const char *const yes[] = {"true", "t", "yes", "y", "1", "on", "是", "有", "真"};
	static const char *const no[] = {"false", "f", "no", "n", "0", "off", "否", "无", "假"};
	size_t                   k;
	int                      result = -1;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]) && result < 0; k++)
	{
		Cursor c = {s, n, 0};

		if (eat_ci(&c, yes[k]) && at_end(&c))
			result = 1;
	}
	for (k = 0; k < sizeof(no) / sizeof(no[0]) && result < 0; k++)
	{
		Cursor c = {s, n, 0};

		if (eat_ci(&c, no[k]) && at_end(&c))
			result = 0;
	}
	if (result < 0)
		return "type";
	strcpy(out, result ? "true" : "false");
	pv->json_boolean = true;
	return NULL;
}
