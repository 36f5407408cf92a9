/*
 * test_value_number.c
 *		The canonical text of "number" values against a reference: the digits
 *		are those of the shortest precision (1 to 17) whose correctly rounded
 *		%e form reads back as the same double -- the plain search that
 *		value_number.c shortcuts (15, 16, 17 digits for normal doubles).  The
 *		reference is written out here independently, and the values are
 *		chosen to sit on the edges of the shortcut: 15-, 16- and 17-digit
 *		round trips, powers of two (binade edges), values that round up to
 *		the next power of ten, the limits, subnormals, and a fixed pseudo-
 *		random sample of bit patterns.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "validate/value.h"

/* Reference: digits and decimal point of the shortest round trip of v > 0. */
static void
reference_digits(double v, char *dig, int *point)
{
	char        buf[40];
	int         prec;
	size_t      nd = 0;
	const char *p;

	for (prec = 1; prec <= 17; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	for (p = buf; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			dig[nd++] = *p;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dig[nd] = '\0';
	*point = atoi(p + 1) + 1;
}

/*
 * Digits and point of a canonical number text (plain or exponent notation),
 * so the comparison does not depend on the layout rules tested elsewhere.
 */
static int
canon_digits(const char *s, char *dig, int *point)
{
	size_t      nd = 0;
	int         before = 0;
	int         seen_point = 0;
	int         lead = 0;
	const char *p = s;

	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
	{
		if (*p == '.')
		{
			seen_point = 1;
			continue;
		}
		if (*p < '0' || *p > '9')
			return 0;
		if (nd == 0 && *p == '0')
		{
			/* leading zeros: before the point they count nothing, after it they shift */
			if (seen_point)
				lead++;
			continue;
		}
		dig[nd++] = *p;
		if (!seen_point)
			before++;
	}
	/* trailing zeros (of "100" too): the point keeps the magnitude */
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dig[nd] = '\0';
	*point = nd == 0 ? 0 : (before > 0 ? before : -lead);
	if (*p == 'e')
		*point += atoi(p + 1);
	return nd > 0;
}

static int mismatches = 0;

/* Parse v's 17-digit text as a "number" and compare with the reference. */
static void
check(double v, const char *what)
{
	char        in[40];
	char        out[40 + VALUE_CANON_EXTRA];
	char        want[24];
	char        got[40];
	int         want_point;
	int         got_point;
	ParsedValue pv;
	const char *err;

	if (!isfinite(v) || v == 0)
		return;
	snprintf(in, sizeof(in), "%.17g", v);
	err = value_parse(FT_NUMBER, in, strlen(in), out, &pv);
	reference_digits(fabs(v), want, &want_point);
	if (err != NULL || !canon_digits(out, got, &got_point) || strcmp(got, want) != 0 ||
		got_point != want_point || pv.cmp.number != v)
	{
		if (mismatches++ < 10)
			printf("# %s: %s -> %s (error %s), want digits %s point %d\n", what, in,
				   err ? "-" : out, err ? err : "none", want, want_point);
	}
}

/*
 * Parse a decimal text as written (at most 15 significant digits take the
 * path that reads the digits as written) and compare with the reference
 * digits of the double it denotes.
 */
static void
check_text(const char *in, const char *what)
{
	char        out[64 + VALUE_CANON_EXTRA];
	char        want[24];
	char        got[40];
	int         want_point;
	int         got_point;
	ParsedValue pv;
	const char *err;
	double      v = strtod(in, NULL);

	if (!isfinite(v) || v == 0)
		return;
	err = value_parse(FT_NUMBER, in, strlen(in), out, &pv);
	reference_digits(fabs(v), want, &want_point);
	if (err != NULL || !canon_digits(out, got, &got_point) || strcmp(got, want) != 0 ||
		got_point != want_point || pv.cmp.number != v || (v < 0) != (out[0] == '-'))
	{
		if (mismatches++ < 10)
			printf("# %s: %s -> %s (error %s), want digits %s point %d\n", what, in,
				   err ? "-" : out, err ? err : "none", want, want_point);
	}
}

/* A fixed xorshift sequence: the same values on every run. */
static uint64_t
next_bits(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

int
main(void)
{
	static const char *const decimals[] = {
		"0.1",
		"0.3",
		"123.45",
		"1e21",
		"1e-7",
		"9007199254740993",
		"0.30000000000000004",
		"123456789012345",
		"1234567890123456",
		"12345678901234567",
		"9.999999999999999e22",
		"99999999999999.99",
		"0.000001",
		"5e-324",
		"4.9e-324",
		"2.2250738585072014e-308",
		"2.2250738585072009e-308",
		"1.7976931348623157e308",
		"4.35",
		"2.675",
		"1.005",
	};
	char        out[64 + VALUE_CANON_EXTRA];
	ParsedValue pv;
	uint64_t    state = 0x9e3779b97f4a7c15ULL;
	size_t      k;
	int         e;
	int         before;

	/* Known canonical texts (the layout of Number::toString). */
	ok(value_parse(FT_NUMBER, "0.30000000000000004", 19, out, &pv) == NULL &&
		   strcmp(out, "0.30000000000000004") == 0,
	   "17 digits stay 17: %s", out);
	ok(value_parse(FT_NUMBER, "5e-324", 6, out, &pv) == NULL && strcmp(out, "5e-324") == 0,
	   "the smallest subnormal is 5e-324: %s", out);
	ok(value_parse(FT_NUMBER, "4.9e-324", 8, out, &pv) == NULL && strcmp(out, "5e-324") == 0,
	   "another spelling of it too: %s", out);
	ok(value_parse(FT_NUMBER, "1.7976931348623157e308", 22, out, &pv) == NULL &&
		   strcmp(out, "1.7976931348623157e+308") == 0,
	   "the largest double: %s", out);
	ok(value_parse(FT_NUMBER, "123456789012345678", 18, out, &pv) == NULL &&
		   strcmp(out, "123456789012345680") == 0,
	   "18 digits round to 17: %s", out);
	ok(value_parse(FT_NUMBER, "0.1000000000000000055511151231257827", 36, out, &pv) == NULL &&
		   strcmp(out, "0.1") == 0,
	   "the exact value of 0.1 prints as 0.1: %s", out);

	before = mismatches;
	for (k = 0; k < sizeof(decimals) / sizeof(decimals[0]); k++)
		check(strtod(decimals[k], NULL), decimals[k]);
	ok(mismatches == before, "listed decimals match the reference");

	before = mismatches;
	for (e = -1074; e <= 1023; e++)
	{
		double p2 = ldexp(1.0, e);

		check(p2, "power of two");
		check(nextafter(p2, 0), "below a power of two");
		check(nextafter(p2, INFINITY), "above a power of two");
	}
	ok(mismatches == before, "powers of two and their neighbours match the reference");

	before = mismatches;
	for (e = -307; e <= 308; e++)
	{
		double p10 = pow(10.0, e);

		check(p10, "power of ten");
		check(nextafter(p10, 0), "below a power of ten");
		check(nextafter(p10, INFINITY), "above a power of ten");
		check(p10 * 9.999999999999999, "just below the next power of ten");
		check(p10 * 1.2345678901234567, "17 digits");
		check(p10 * 1.234567890123456, "16 digits");
		check(p10 * 1.23456789012345, "15 digits");
	}
	ok(mismatches == before, "decades, 15, 16 and 17 digits match the reference");

	before = mismatches;
	for (k = 0; k < 5000; k++)
	{
		uint64_t bits = next_bits(&state);
		double   v;

		memcpy(&v, &bits, sizeof(v));
		check(v, "random bits");
		/* and a value with few digits, as amounts and areas are */
		check((double) (bits % 100000000) / 100.0, "two decimals");
	}
	for (k = 0; k < 1000; k++)
	{
		uint64_t bits = next_bits(&state) & ((1ULL << 52) - 1); /* subnormal */
		double   v;

		memcpy(&v, &bits, sizeof(v));
		check(v, "subnormal");
	}
	ok(mismatches == before,
	   "random doubles, two-decimal values and subnormals match the reference");

	/* Texts as units write them: 1 to 15 significant digits, padded, signed, with exponents. */
	before = mismatches;
	check_text("0000123.4500", "padded");
	check_text("-0.000123", "negative, leading zeros");
	check_text("123456789012345000000", "15 digits then zeros");
	check_text("1234567890123456", "16 digits");
	check_text("0.1234567890123450", "15 digits and a zero");
	check_text("1.5e300", "large exponent");
	check_text("2.5e-310", "subnormal written short");
	check_text("2.2250738585072e-308", "near the smallest normal");
	check_text("1e21", "1e21");
	check_text("1e-7", "1e-7");
	for (k = 0; k < 20000; k++)
	{
		uint64_t bits = next_bits(&state);
		int      prec = (int) (bits % 15) + 1;
		int      ex = (int) ((bits >> 8) % 80) - 40;
		double   v = (double) ((bits >> 16) % 1000000007) * pow(10.0, ex) / 1e9;
		char     in[64];

		if (bits & (1ULL << 60))
			v = -v;
		snprintf(in, sizeof(in), "%.*g", prec, v);
		check_text(in, "%g text");
		snprintf(in, sizeof(in), "%.*e", prec - 1, v);
		check_text(in, "%e text");
		snprintf(in, sizeof(in), "%.*f", prec % 8, v);
		check_text(in, "%f text");
	}
	ok(mismatches == before, "decimal texts of 1 to 17 digits match the reference");

	return done_testing();
}
