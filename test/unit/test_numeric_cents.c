/*
 * test_numeric_cents.c
 *		Unit tests of src/common/numeric_cents.c.  The inputs are written by hand
 *		from the layout numeric.c documents (16-bit header, base-10000
 *		digits, native byte order), not produced by the code under test.
 */
#include <stdint.h>
#include <string.h>

#include "common/numeric_cents.h"
#include "tap.h"

/* A header and digits laid out as PostgreSQL stores them. */
static size_t
lay(unsigned char *buf, const uint16_t *words, size_t n)
{
	memcpy(buf, words, n * sizeof(uint16_t));
	return n * sizeof(uint16_t);
}

/* Short form: 0x8000, sign 0x2000, dscale << 7, weight (7-bit two's complement) */
#define SHORT(neg, dscale, weight) \
	((uint16_t) (0x8000 | ((neg) ? 0x2000 : 0) | ((dscale) << 7) | ((weight) &0x7F)))

static void
check(const char *what, const uint16_t *words, size_t n, int expect_ok, int64_t expect)
{
	unsigned char buf[64];
	size_t        len = lay(buf, words, n);
	int64_t       cents = -999;
	int           got = numeric_cents(buf, len, &cents);

	ok(got == expect_ok, "%s: %s", what, expect_ok ? "read" : "left to numeric");
	if (expect_ok && got)
		ok(cents == expect, "%s: %lld cents (got %lld)", what, (long long) expect,
		   (long long) cents);
}

int
main(void)
{
	unsigned char odd[3] = {0x00, 0x81, 0x01};
	unsigned char one[1] = {0x80};
	int64_t       cents;

	{
		uint16_t w[] = {SHORT(0, 2, 0), 1234, 5000};

		check("1234.50", w, 3, 1, 123450);
	}
	{
		uint16_t w[] = {SHORT(0, 2, -1), 100};

		check("0.01", w, 2, 1, 1);
	}
	{
		uint16_t w[] = {SHORT(0, 2, -1), 9900};

		check("0.99", w, 2, 1, 99);
	}
	{
		uint16_t w[] = {SHORT(1, 2, 0), 5, 2500};

		check("-5.25", w, 3, 1, -525);
	}
	{
		uint16_t w[] = {SHORT(0, 0, 0), 12};

		check("12", w, 2, 1, 1200);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 1), 1};

		check("10000.00 (trailing zero digit not stored)", w, 2, 1, 1000000);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 1), 3, 0, 7000};

		check("30000.70 (a zero digit inside)", w, 4, 1, 3000070);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 0)};

		check("0.00 (no digits)", w, 1, 1, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 3), 9999, 9999, 9999, 9999, 9900};

		check("9999999999999999.99, numeric(18,2)'s largest", w, 6, 1, INT64_C(999999999999999999));
	}
	{
		uint16_t w[] = {SHORT(1, 2, 3), 9999, 9999, 9999, 9999, 9900};

		check("-9999999999999999.99", w, 6, 1, -INT64_C(999999999999999999));
	}
	{
		uint16_t w[] = {0x0002, 0x0000, 7};

		check("7.00 in the long form", w, 3, 1, 700);
	}
	{
		uint16_t w[] = {0x4002, 0xFFFF, 2500};

		check("-0.25 in the long form (weight -1)", w, 3, 1, -25);
	}
	{
		uint16_t w[] = {0xC000};

		check("NaN", w, 1, 0, 0);
	}
	{
		uint16_t w[] = {0xD000};

		check("Infinity", w, 1, 0, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 3, -1), 10};

		check("0.001 (finer than a cent)", w, 2, 0, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 2, -2), 5000};

		check("0.00005", w, 2, 0, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 0, 0), 10000};

		check("a digit of 10000 or more is malformed", w, 2, 0, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 4), 9, 2233, 7203, 6854, 7758, 700};

		check("92233720368547758.07: the most cents int64 holds", w, 7, 1, INT64_MAX);
	}
	{
		uint16_t w[] = {SHORT(0, 2, 4), 9, 2233, 7203, 6854, 7758, 800};

		check("92233720368547758.08 would overflow int64 cents", w, 7, 0, 0);
	}
	{
		uint16_t w[] = {SHORT(0, 0, 5), 1};

		check("10^20 overflows", w, 2, 0, 0);
	}
	{
		uint16_t w[] = {0x0000, 0x0010, 1};

		check("long form, weight 16", w, 3, 0, 0);
	}
	ok(!numeric_cents(odd, sizeof odd, &cents), "an odd number of digit bytes is malformed");
	ok(!numeric_cents(one, sizeof one, &cents), "a lone header byte is malformed");
	ok(!numeric_cents(NULL, 0, &cents), "no bytes at all");
	return done_testing();
}
