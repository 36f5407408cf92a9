/*
 * value.c
 *		Pure core: parse one reported value of a catalog field type into its
 *		canonical form (see value.h for the contract).
 *
 * This file holds the entry point value_parse() and what it needs before
 * handing the value to a type's parser: the type names, the calendar
 * conversions of value.h, UTF-8 validation, trimming and folding.  The parsers
 * themselves are in value_datetime.c (date, datetime, year, yearmonth),
 * value_number.c (amount, integer, number, boolean) and value_ident.c
 * (uscc, idcard, orgcode, division, phone); value_internal.h is what they
 * share.
 *
 * The rule of the value parser (this file and value_*.c): accept what people
 * and their systems actually send ("2024/3/5", "2024年3月5日", "¥1,234.00",
 * "（0734）8888888", full-width digits from Chinese input methods, JSON
 * numbers as text) and normalise it; reject only what cannot be read without
 * guessing.  Things deliberately NOT guessed, so rejected:
 *	- day-first or month-first dates ("05/03/2024"), two-digit years, Excel
 *	  serial day numbers, Chinese numerals ("二〇二四年"): ambiguous or rare;
 *	- amounts in 万元 or written in capital numerals (壹仟元整): the catalog says
 *	  yuan, and a scale factor must not be inferred from a suffix;
 *	- a decimal comma ("1,5"): commas are only thousands separators, in groups
 *	  of three, so "1,5" is not silently read as 15.
 *
 * No PostgreSQL headers: this file is linked into the unit tests and the
 * fuzzer.  Nothing is allocated; all scratch space is on the stack and bounded
 * by VALUE_SHORT_MAX, which also makes a 10 MB value of any type other than
 * string fail after one linear UTF-8 pass.
 */
#include "common/utf8.h"
#include "validate/value.h"

#include <string.h>

#include "validate/value_internal.h"

/* Days from 0000-03-01 (Hinnant's epoch) to 2000-01-01. */
#define DAYS_0000_03_01_TO_2000 730425

static const char *const field_type_names[FT_COUNT] = {
	[FT_STRING] = "string",     [FT_NUMBER] = "number",       [FT_INTEGER] = "integer",
	[FT_BOOLEAN] = "boolean",   [FT_DATE] = "date",           [FT_DATETIME] = "datetime",
	[FT_YEAR] = "year",         [FT_YEARMONTH] = "yearmonth", [FT_AMOUNT] = "amount",
	[FT_USCC] = "uscc",         [FT_IDCARD] = "idcard",       [FT_ORGCODE] = "orgcode",
	[FT_DIVISION] = "division", [FT_PHONE] = "phone",
};

/* ---------------------------------------------------------------------
 * Type names
 * ---------------------------------------------------------------------
 */

/* ASCII case-insensitive, so that "Date" in a hand-written catalog works. */
bool
field_type_from_name(const char *name, FieldType *out)
{
	int t;

	if (name == NULL)
		return false;
	for (t = 0; t < FT_COUNT; t++)
	{
		const char *a = name;
		const char *b = field_type_names[t];

		while (*a && *b)
		{
			char ca = (*a >= 'A' && *a <= 'Z') ? (char) (*a + 32) : *a;

			if (ca != *b)
				break;
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0')
		{
			if (out)
				*out = (FieldType) t;
			return true;
		}
	}
	return false;
}

const char *
field_type_name(FieldType t)
{
	if ((int) t < 0 || (int) t >= FT_COUNT)
		return NULL;
	return field_type_names[t];
}

/* ---------------------------------------------------------------------
 * Calendar arithmetic (proleptic Gregorian; H. Hinnant's days_from_civil)
 * ---------------------------------------------------------------------
 */

int32_t
value_days_from_ymd(int year, int month, int day)
{
	int64_t y = (int64_t) year - (month <= 2 ? 1 : 0);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;   /* [0, 399] */
	int64_t mp = (month + 9) % 12; /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - DAYS_0000_03_01_TO_2000);
}

void
value_ymd_from_days(int32_t days, int *year, int *month, int *day)
{
	int64_t z = (int64_t) days + DAYS_0000_03_01_TO_2000;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097; /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) m;
	*year = (int) (yoe + era * 400 + (m <= 2 ? 1 : 0));
}

/* ---------------------------------------------------------------------
 * UTF-8
 * ---------------------------------------------------------------------
 */

long
value_utf8_length(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t               i = 0;
	long                 n = 0;

	while (i < len)
	{
		size_t   k;
		uint32_t cp;

		/* fast path for runs of ASCII */
		if (u[i] < 0x80)
		{
			i++;
			n++;
			continue;
		}
		k = utf8_decode(u + i, len - i, &cp);
		if (k == 0)
			return -1;
		i += k;
		n++;
	}
	return n;
}

/*
 * Valid UTF-8 without NUL bytes: PostgreSQL text and jsonb cannot hold U+0000,
 * and the canonical output is NUL-terminated.
 */
static bool
utf8_acceptable(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t               i = 0;

	while (i < len)
	{
		size_t   k;
		uint32_t cp;

		if (u[i] == 0)
			return false;
		if (u[i] < 0x80)
		{
			i++;
			continue;
		}
		k = utf8_decode(u + i, len - i, &cp);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * White space and folding
 * ---------------------------------------------------------------------
 */

/*
 * White space for trimming: ASCII white space, U+3000 IDEOGRAPHIC SPACE,
 * U+00A0 NO-BREAK SPACE (Excel and web pages) and U+FEFF (a BOM left at the
 * start of a CSV field).  Returns the byte length of the white-space
 * character starting at s[0..len), or 0.
 */
static size_t
space_at(const unsigned char *s, size_t len)
{
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;
	return 0;
}

/* Same, for the character that ends at s[len - 1] (input is valid UTF-8). */
static size_t
space_before(const unsigned char *s, size_t len)
{
	unsigned char c = s[len - 1];

	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (len >= 2 && s[len - 2] == 0xC2 && c == 0xA0)
		return 2;
	if (len >= 3 && s[len - 3] == 0xE3 && s[len - 2] == 0x80 && c == 0x80)
		return 3;
	if (len >= 3 && s[len - 3] == 0xEF && s[len - 2] == 0xBB && c == 0xBF)
		return 3;
	return 0;
}

/* Narrow [*start, *start + *len) to exclude surrounding white space. */
static void
trim(const char *in, size_t len, size_t *start, size_t *tlen)
{
	const unsigned char *u = (const unsigned char *) in;
	size_t               b = 0;
	size_t               e = len;
	size_t               k;

	while (b < e && (k = space_at(u + b, e - b)) > 0)
		b += k;
	while (e > b && (k = space_before(u + b, e - b)) > 0)
		e -= k;
	*start = b;
	*tlen = e - b;
}

/*
 * Copy in[0..len) to buf, making full-width ASCII (U+FF01..U+FF5E) half-width,
 * U+3000 and U+00A0 a plain space and U+2212 MINUS SIGN a hyphen-minus.
 * Other characters are copied unchanged.  buf holds VALUE_SHORT_MAX + 1
 * bytes and the input is at most VALUE_SHORT_MAX bytes of valid UTF-8;
 * folding never lengthens.
 */
static size_t
fold(const char *in, size_t len, char *buf)
{
	const unsigned char *u = (const unsigned char *) in;
	size_t               i = 0;
	size_t               o = 0;

	while (i < len)
	{
		if (i + 3 <= len && u[i] == 0xEF && (u[i + 1] == 0xBC || u[i + 1] == 0xBD))
		{
			unsigned cp = 0xF000u | ((unsigned) (u[i + 1] & 0x3F) << 6) | (u[i + 2] & 0x3F);

			if (cp >= 0xFF01 && cp <= 0xFF5E)
			{
				buf[o++] = (char) (cp - 0xFF01 + 0x21);
				i += 3;
				continue;
			}
		}
		if (i + 3 <= len && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)
		{
			buf[o++] = ' ';
			i += 3;
			continue;
		}
		if (i + 2 <= len && u[i] == 0xC2 && u[i + 1] == 0xA0)
		{
			buf[o++] = ' ';
			i += 2;
			continue;
		}
		if (i + 3 <= len && u[i] == 0xE2 && u[i + 1] == 0x88 && u[i + 2] == 0x92)
		{
			buf[o++] = '-';
			i += 3;
			continue;
		}
		buf[o++] = in[i++];
	}
	buf[o] = '\0';
	return o;
}

/* ---------------------------------------------------------------------
 * Entry point
 * ---------------------------------------------------------------------
 */

const char *
value_parse(FieldType t, const char *in, size_t len, char *out, ParsedValue *pv)
{
	size_t      start;
	size_t      tlen;
	char        buf[VALUE_SHORT_MAX + 1];
	size_t      n;
	const char *fail;

	memset(pv, 0, sizeof(*pv));
	pv->scale = VS_NONE;
	out[0] = '\0';

	if ((int) t < 0 || (int) t >= FT_COUNT)
		return "type";
	if (!utf8_acceptable(in, len))
		return "encoding";
	trim(in, len, &start, &tlen);

	if (t == FT_STRING)
	{
		memcpy(out, in + start, tlen);
		out[tlen] = '\0';
		return NULL;
	}

	/* every other type is short: reject long values before looking at them */
	if (tlen > VALUE_SHORT_MAX)
		fail = "type";
	else if (t == FT_USCC || t == FT_IDCARD || t == FT_ORGCODE || t == FT_DIVISION)
		fail = value_parse_ident(t, in + start, tlen, out);
	else
	{
		n = fold(in + start, tlen, buf);
		switch (t)
		{
			case FT_NUMBER:
				fail = value_parse_number(buf, n, out, pv);
				break;
			case FT_INTEGER:
				fail = value_parse_integer(buf, n, out, pv);
				break;
			case FT_AMOUNT:
				fail = value_parse_amount(buf, n, out, pv);
				break;
			case FT_BOOLEAN:
				fail = value_parse_boolean(buf, n, out, pv);
				break;
			case FT_DATE:
				fail = value_parse_date(buf, n, out, pv);
				break;
			case FT_DATETIME:
				fail = value_parse_datetime(buf, n, out, pv);
				break;
			case FT_YEAR:
				fail = value_parse_year(buf, n, out, pv);
				break;
			case FT_YEARMONTH:
				fail = value_parse_yearmonth(buf, n, out, pv);
				break;
			case FT_PHONE:
				fail = value_parse_phone(buf, n, out);
				break;
			default:
				fail = "type";
				break;
		}
	}

	if (fail != NULL)
	{
		/* identifiers report their own code for anything unreadable */
		if (t == FT_USCC || t == FT_IDCARD || t == FT_ORGCODE || t == FT_DIVISION || t == FT_PHONE)
			fail = field_type_name(t);
		memset(pv, 0, sizeof(*pv));
		pv->scale = VS_NONE;
		out[0] = '\0';
	}
	return fail;
}
