/*
 * test_ident.c
 *		Unit tests of the identifier core (src/ident/ident.c).
 *
 * Expected values come from the standards' published examples, from real
 * codes printed on public business licences, and from the standards' own
 * defining equations written independently here (weights as powers, the
 * "weighted sum including the check character" congruences), never from the
 * tables in ident.c.  Inputs are copied into exact-size heap buffers so that
 * valgrind catches any read past the length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident/ident.h"
#include "tap.h"

static const char USCC_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const char ORG_ALPHABET[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* A deterministic generator (xorshift32), so failures reproduce. */
static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Heap copy of exactly len bytes, no terminator: overreads hit valgrind. */
static char *
exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	memcpy(p, s, len);
	return p;
}

static bool
uscc_ok(const char *s)
{
	size_t len = strlen(s);
	char  *p = exact(s, len);
	bool   r = ident_uscc_valid(p, len);

	free(p);
	return r;
}

static bool
idcard_ok(const char *s)
{
	size_t len = strlen(s);
	char  *p = exact(s, len);
	bool   r = ident_idcard_valid(p, len);

	free(p);
	return r;
}

static bool
idcard15_ok(const char *s)
{
	size_t len = strlen(s);
	char  *p = exact(s, len);
	bool   r = ident_idcard15_valid(p, len);

	free(p);
	return r;
}

static bool
orgcode_ok(const char *s)
{
	size_t len = strlen(s);
	char  *p = exact(s, len);
	bool   r = ident_orgcode_valid(p, len);

	free(p);
	return r;
}

static int
index_of(const char *alphabet, char c)
{
	const char *p = strchr(alphabet, c);

	return (c != '\0' && p) ? (int) (p - alphabet) : -1;
}

/*
 * GB 32100-2015 as an equation: with W_i = 3^(i-1) mod 31 for i = 1..17,
 * sum(C_i * W_i) + C_18 is a multiple of 31.
 */
static bool
uscc_equation_holds(const char *s)
{
	unsigned w = 1;
	unsigned sum = 0;

	for (int i = 0; i < 17; i++)
	{
		sum += (unsigned) index_of(USCC_ALPHABET, s[i]) * w;
		w = (w * 3) % 31;
	}
	return (sum + (unsigned) index_of(USCC_ALPHABET, s[17])) % 31 == 0;
}

/*
 * ISO 7064 MOD 11-2 as an equation: with a_18 = 10 for X and weights
 * 2^(18-i) mod 11, sum(a_i * W_i) over all 18 positions is 1 mod 11.
 */
static bool
idcard_equation_holds(const char *s)
{
	unsigned sum = 0;

	for (int i = 0; i < 18; i++)
	{
		unsigned a = (i == 17 && s[i] == 'X') ? 10 : (unsigned) (s[i] - '0');
		unsigned w = 1;

		for (int k = 0; k < 17 - i; k++)
			w = (w * 2) % 11;
		sum += a * w;
	}
	return sum % 11 == 1;
}

/*
 * GB 11714-1997 as an equation: weights 2^(9-i) mod 11 for i = 1..8
 * (3 7 9 10 5 8 4 2), X = 10, and sum + C_9 is a multiple of 11.
 */
static bool
orgcode_equation_holds(const char *s)
{
	unsigned sum = 0;
	unsigned c9 = s[8] == 'X' ? 10 : (unsigned) (s[8] - '0');

	for (int i = 0; i < 8; i++)
	{
		unsigned w = 1;

		for (int k = 0; k < 8 - i; k++)
			w = (w * 2) % 11;
		sum += (unsigned) index_of(ORG_ALPHABET, s[i]) * w;
	}
	return (sum + c9) % 11 == 0;
}

/*
 * Julian day number of a proleptic Gregorian date and back (Fliegel and
 * Van Flandern, 1968): a date is real exactly when the round trip keeps it.
 */
static long
to_jdn(long y, long m, long d)
{
	return (1461 * (y + 4800 + (m - 14) / 12)) / 4 + (367 * (m - 2 - 12 * ((m - 14) / 12))) / 12 -
		   (3 * ((y + 4900 + (m - 14) / 12) / 100)) / 4 + d - 32075;
}

static void
from_jdn(long jd, long *y, long *m, long *d)
{
	long l = jd + 68569;
	long n = 4 * l / 146097;
	long i, j;

	l = l - (146097 * n + 3) / 4;
	i = 4000 * (l + 1) / 1461001;
	l = l - 1461 * i / 4 + 31;
	j = 80 * l / 2447;
	*d = l - 2447 * j / 80;
	l = j / 11;
	*m = j + 2 - 12 * l;
	*y = 100 * (n - 49) + i + l;
}

static void
random_uscc(char out[19])
{
	char c;

	for (int i = 0; i < 17; i++)
		out[i] = USCC_ALPHABET[rng() % 31];
	c = ident_uscc_check_char(out);
	out[17] = c;
	out[18] = '\0';
}

static void
test_uscc(void)
{
	/* GB 32100-2015 annex example, and real codes from public licences */
	static const char *const published[] = {
		"91350100M000100Y43", "914403001922038216", /* 华为技术有限公司 */
		"9144030071526726XG",                       /* 深圳市腾讯计算机系统有限公司 */
		"91330100716105852F",                       /* 阿里巴巴(中国)有限公司 */
	};
	int    equation_ok = 0;
	int    subst_total = 0, subst_rejected = 0;
	int    transp_total = 0, transp_rejected = 0;
	size_t pos;

	for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++)
	{
		ok(uscc_ok(published[i]), "USCC %s is valid", published[i]);
		ok(uscc_equation_holds(published[i]), "USCC %s satisfies the GB 32100 equation",
		   published[i]);
	}
	is_int(ident_uscc_check_char("91350100M000100Y4"), '3', "check char of the GB 32100 example");

	/* check characters agree with the standard's equation */
	for (int n = 0; n < 20000; n++)
	{
		char code[19];

		random_uscc(code);
		if (uscc_equation_holds(code) && uscc_ok(code))
			equation_ok++;
	}
	is_int(equation_ok, 20000,
		   "20000 random bodies: computed check satisfies the equation and validates");

	/* every single substitution and adjacent transposition is caught */
	for (int n = 0; n < 300; n++)
	{
		char code[19];

		random_uscc(code);
		for (int p = 0; p < 18; p++)
		{
			for (int a = 0; a < 31; a++)
			{
				char m[19];

				if (USCC_ALPHABET[a] == code[p])
					continue;
				memcpy(m, code, 19);
				m[p] = USCC_ALPHABET[a];
				subst_total++;
				if (!uscc_ok(m))
					subst_rejected++;
			}
			if (p < 17 && code[p] != code[p + 1])
			{
				char m[19];

				memcpy(m, code, 19);
				m[p] = code[p + 1];
				m[p + 1] = code[p];
				transp_total++;
				if (!uscc_ok(m))
					transp_rejected++;
			}
		}
	}
	ok(subst_total == 300 * 18 * 30, "USCC substitutions tried: %d", subst_total);
	is_int(subst_rejected, subst_total, "every single substitution of a valid USCC is rejected");
	ok(transp_total > 4000, "USCC transpositions tried: %d", transp_total);
	is_int(transp_rejected, transp_total,
		   "every adjacent transposition of a valid USCC is rejected");

	/* alphabet, case and length */
	ok(!uscc_ok("91350100m000100y43"), "lower-case USCC is not canonical");
	ok(!uscc_ok("91350100M000100Y4"), "17 characters");
	ok(!uscc_ok("91350100M000100Y433"), "19 characters");
	ok(!uscc_ok(""), "empty string");
	ok(!uscc_ok("9135 0100M000100Y4"), "space inside (18 bytes)");
	ok(!ident_uscc_valid("91350100M000100Y4\0", 18), "NUL as check character");
	ok(!uscc_ok("91350100M000100Y4\xC3\xA9"), "non-ASCII check character");
	for (const char *bad = "IOZSV"; *bad; bad++)
	{
		char m[19] = "91350100M000100Y43";
		char c;

		m[9] = *bad;
		m[17] = '\0';
		c = ident_uscc_check_char(m);
		is_int(c, '\0', "'%c' is not a USCC character: no check char", *bad);
		m[17] = '0';
		ok(!uscc_ok(m), "'%c' in a USCC body is rejected", *bad);
	}
	is_int(ident_uscc_check_char("9135"), '\0',
		   "short NUL-terminated body: no check char, no overread");

	/* diagnosis */
	is_int(ident_uscc_problem("91350100M000100Y43", 18, &pos), IDENT_OK, "problem: ok");
	is_int(ident_uscc_problem("91350100M000100Y4", 17, &pos), IDENT_BAD_LENGTH, "problem: length");
	is_int(ident_uscc_problem("91350100MO00100Y43", 18, &pos), IDENT_BAD_CHAR, "problem: letter O");
	is_int(pos, 9, "problem: letter O at position 10");
	is_int(ident_uscc_problem("91350100M000100Y44", 18, &pos), IDENT_BAD_CHECK, "problem: check");
	is_int(pos, 17, "problem: check at position 18");
	is_int(ident_uscc_problem("91350100M000100Y4I", 18, &pos), IDENT_BAD_CHAR,
		   "problem: I as check char");
}

static bool
date_by_jdn(int y, int m, int d)
{
	long yy, mm, dd;

	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	from_jdn(to_jdn(y, m, d), &yy, &mm, &dd);
	return yy == y && mm == m && dd == d;
}

static void
test_dates(void)
{
	int disagree = 0;
	int checked = 0;

	for (int y = 1582; y <= 2500; y++)
		for (int m = -1; m <= 14; m++)
			for (int d = -1; d <= 33; d++)
			{
				checked++;
				if (ident_date_valid(y, m, d) != date_by_jdn(y, m, d))
					disagree++;
			}
	ok(checked > 500000, "dates compared with the Julian-day round trip: %d", checked);
	is_int(disagree, 0, "ident_date_valid agrees with the Julian-day round trip");
	ok(ident_date_valid(2000, 2, 29), "2000-02-29 (divisible by 400)");
	ok(!ident_date_valid(1900, 2, 29), "1900-02-29 (century)");
	ok(ident_date_valid(2024, 2, 29), "2024-02-29");
	ok(!ident_date_valid(2023, 2, 29), "2023-02-29");
	ok(!ident_date_valid(2023, 4, 31), "2023-04-31");
	ok(!ident_date_valid(2023, 0, 1), "month 0");
	ok(!ident_date_valid(2023, 13, 1), "month 13");
	ok(!ident_date_valid(2023, 1, 0), "day 0");
	ok(ident_date_valid(-4, 2, 29), "proleptic year -4 is a leap year");
}

static void
random_idcard(char out[19])
{
	static const int provinces[] = {11, 32, 43, 44, 65, 81};
	int              prov = provinces[rng() % 6];
	int              y, m, d;

	do
	{
		y = 1800 + (int) (rng() % 301);
		m = 1 + (int) (rng() % 12);
		d = 1 + (int) (rng() % 31);
	} while (!date_by_jdn(y, m, d));
	out[0] = (char) ('0' + prov / 10);
	out[1] = (char) ('0' + prov % 10);
	for (int i = 2; i < 6; i++)
		out[i] = (char) ('0' + rng() % 10);
	out[6] = (char) ('0' + y / 1000);
	out[7] = (char) ('0' + y / 100 % 10);
	out[8] = (char) ('0' + y / 10 % 10);
	out[9] = (char) ('0' + y % 10);
	out[10] = (char) ('0' + m / 10);
	out[11] = (char) ('0' + m % 10);
	out[12] = (char) ('0' + d / 10);
	out[13] = (char) ('0' + d % 10);
	for (int i = 14; i < 17; i++)
		out[i] = (char) ('0' + rng() % 10);
	out[17] = ident_idcard_check_char(out);
	out[18] = '\0';
}

static void
test_idcard(void)
{
	static const char IDCHARS[] = "0123456789X";
	static const int  real_provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
										  35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
										  53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
	int               equation_ok = 0;
	int               subst_total = 0, subst_rejected = 0;
	int               transp_total = 0, transp_rejected = 0;
	int               province_disagree = 0;
	char              out[19];
	int               y = 0, m = 0, d = 0;
	size_t            pos;

	/* GB 11643-1999, annex examples */
	ok(idcard_ok("11010519491231002X"), "GB 11643 example 11010519491231002X");
	ok(idcard_ok("440524188001010014"), "GB 11643 example 440524188001010014");
	ok(idcard_equation_holds("11010519491231002X"), "example satisfies the MOD 11-2 equation");
	is_int(ident_idcard_check_char("11010519491231002"), 'X', "check char of the example is X");
	ok(!idcard_ok("11010519491231002x"), "lower-case x is not canonical");

	for (int n = 0; n < 20000; n++)
	{
		char code[19];

		random_idcard(code);
		if (idcard_equation_holds(code) && idcard_ok(code))
			equation_ok++;
	}
	is_int(equation_ok, 20000, "20000 random numbers: check satisfies ISO 7064 and validates");

	for (int n = 0; n < 500; n++)
	{
		char code[19];

		random_idcard(code);
		for (int p = 0; p < 18; p++)
		{
			for (int a = 0; a < (p == 17 ? 11 : 10); a++)
			{
				char mut[19];

				if (IDCHARS[a] == code[p])
					continue;
				memcpy(mut, code, 19);
				mut[p] = IDCHARS[a];
				subst_total++;
				if (!idcard_ok(mut))
					subst_rejected++;
			}
			if (p < 17 && code[p] != code[p + 1])
			{
				char mut[19];

				memcpy(mut, code, 19);
				mut[p] = code[p + 1];
				mut[p + 1] = code[p];
				transp_total++;
				if (!idcard_ok(mut))
					transp_rejected++;
			}
		}
	}
	ok(subst_total > 500 * 17 * 9, "ID substitutions tried: %d", subst_total);
	is_int(subst_rejected, subst_total,
		   "every single substitution of a valid ID number is rejected");
	ok(transp_total > 5000, "ID transpositions tried: %d", transp_total);
	is_int(transp_rejected, transp_total,
		   "every adjacent transposition of a valid ID number is rejected");

	/* province codes: exactly the list of GB/T 2260 */
	for (int code = 0; code < 100; code++)
	{
		bool listed = false;

		for (size_t i = 0; i < sizeof(real_provinces) / sizeof(real_provinces[0]); i++)
			if (real_provinces[i] == code)
				listed = true;
		if (ident_province_code_valid(code) != listed)
			province_disagree++;
	}
	is_int(province_disagree, 0,
		   "province codes are exactly 11-15 21-23 31-37 41-46 50-54 61-65 71 81 82");

	/* region and date plausibility, with a correct check character */
	{
		char code[19] = "99010519491231002";

		code[17] = ident_idcard_check_char(code);
		code[18] = '\0';
		ok(!idcard_ok(code), "province 99 rejected although the check is right");
		is_int(ident_idcard_problem(code, 18, &pos), IDENT_BAD_REGION, "problem: region");
	}
	{
		static const char *const dates[][2] = {
			{"20000229", "t"}, {"19000229", "f"}, {"20230229", "f"}, {"20240229", "t"},
			{"18000101", "t"}, {"17991231", "f"}, {"21001231", "t"}, {"21010101", "f"},
			{"19491331", "f"}, {"19490001", "f"}, {"19490100", "f"}, {"19490431", "f"},
		};

		for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		{
			char code[19] = "110105";

			memcpy(code + 6, dates[i][0], 8);
			memcpy(code + 14, "002", 3);
			code[17] = ident_idcard_check_char(code);
			code[18] = '\0';
			is_int(idcard_ok(code), dates[i][1][0] == 't', "birth date %s (correct check char)",
				   dates[i][0]);
			if (dates[i][1][0] == 'f')
				is_int(ident_idcard_problem(code, 18, &pos), IDENT_BAD_DATE, "problem for %s: date",
					   dates[i][0]);
		}
	}

	/* character problems and positions */
	is_int(ident_idcard_problem("1101051949123100", 16, &pos), IDENT_BAD_LENGTH,
		   "problem: 16 characters");
	is_int(ident_idcard_problem("11010519491231O02X", 18, &pos), IDENT_BAD_CHAR,
		   "problem: letter O");
	is_int(pos, 14, "problem: letter O at position 15");
	is_int(ident_idcard_problem("11010519491231002Y", 18, &pos), IDENT_BAD_CHAR,
		   "problem: Y as check char");
	is_int(pos, 17, "problem: position 18");
	is_int(ident_idcard_problem("110105194912310021", 18, &pos), IDENT_BAD_CHECK, "problem: check");
	is_int(ident_idcard_problem("11010519491231002X", 18, &pos), IDENT_OK, "problem: ok");
	is_int(ident_idcard_problem("110105491231002", 15, &pos), IDENT_OK, "problem: 15 digits ok");
	is_int(ident_idcard_check_char("1101051949123100X"), '\0',
		   "no check char for a non-digit body");

	/* legacy 15-digit numbers */
	ok(idcard15_ok("110105491231002"), "15-digit 110105491231002");
	ok(!idcard15_ok("110105490229002"), "15-digit with 1949-02-29 rejected");
	ok(!idcard15_ok("110105000229002"), "15-digit with 1900-02-29 rejected");
	ok(idcard15_ok("110105040229002"), "15-digit with 1904-02-29 accepted");
	ok(!idcard15_ok("99010549123100"), "14 digits rejected");
	ok(!idcard15_ok("990105491231002"), "15-digit with province 99 rejected");
	ok(!idcard15_ok("11010519491231002X"), "18 characters are not a 15-digit number");
	ok(!idcard_ok("110105491231002"), "15 digits are not an 18-character number");

	ok(ident_idcard_upgrade("110105491231002", 15, out), "upgrade 15 -> 18");
	is_str(out, "11010519491231002X", "upgrade gives the standard's 18-character example");
	ok(ident_idcard_upgrade("440524800101001", 15, out), "upgrade 440524800101001");
	/* by hand: weighted sum 196, 196 mod 11 = 9, check "3" */
	is_str(out, "440524198001010013", "upgrade inserts 19 and computes the check");
	ok(idcard_equation_holds(out), "upgraded number satisfies ISO 7064");
	ok(ident_idcard_upgrade("11010519491231002X", 18, out), "upgrade an 18-character number");
	is_str(out, "11010519491231002X", "18-character number unchanged");
	memcpy(out, "untouched", 10);
	ok(!ident_idcard_upgrade("110105490229002", 15, out), "upgrade: 1949-02-29 is not a date");
	is_str(out, "untouched", "failed upgrade leaves the output alone");
	ok(!ident_idcard_upgrade("110105194912310021", 18, out),
	   "upgrade: invalid 18-character number");
	ok(!ident_idcard_upgrade("", 0, out), "upgrade: empty");

	ok(ident_idcard_birthdate("11010519491231002X", 18, &y, &m, &d), "birth date of 18");
	ok(y == 1949 && m == 12 && d == 31, "18: 1949-12-31 (got %d-%d-%d)", y, m, d);
	ok(ident_idcard_birthdate("440524800101001", 15, &y, &m, &d), "birth date of 15");
	ok(y == 1980 && m == 1 && d == 1, "15: 1980-01-01 (got %d-%d-%d)", y, m, d);
	y = m = d = -7;
	ok(!ident_idcard_birthdate("110105194912310021", 18, &y, &m, &d),
	   "no birth date of an invalid number");
	ok(y == -7 && m == -7 && d == -7, "outputs untouched on failure");
}

static void
test_orgcode(void)
{
	int    equation_ok = 0;
	int    subst_total = 0, subst_rejected = 0;
	size_t pos;

	/* organization codes inside the real USCCs above */
	ok(orgcode_ok("M000100Y4"), "orgcode M000100Y4 (GB 32100 example)");
	ok(orgcode_ok("192203821"), "orgcode 192203821");
	ok(orgcode_ok("71526726X"), "orgcode 71526726X (check X)");
	ok(orgcode_ok("716105852"), "orgcode 716105852");
	ok(!orgcode_ok("71526726-X"), "hyphenated form is not canonical");
	ok(!orgcode_ok("71526726x"), "lower-case x");
	ok(!orgcode_ok("m000100y4"), "lower-case body");

	for (int n = 0; n < 20000; n++)
	{
		char code[10];

		for (int i = 0; i < 8; i++)
			code[i] = ORG_ALPHABET[rng() % 36];
		code[8] = ident_orgcode_check_char(code);
		code[9] = '\0';
		if (orgcode_equation_holds(code) && orgcode_ok(code))
			equation_ok++;
	}
	is_int(equation_ok, 20000, "20000 random bodies: check satisfies GB 11714 and validates");

	/* substitutions in the check position are always caught */
	for (int n = 0; n < 200; n++)
	{
		char code[10];

		for (int i = 0; i < 8; i++)
			code[i] = ORG_ALPHABET[rng() % 36];
		code[8] = ident_orgcode_check_char(code);
		code[9] = '\0';
		for (const char *c = "0123456789X"; *c; c++)
		{
			if (*c == code[8])
				continue;
			code[8] = *c;
			subst_total++;
			if (!orgcode_ok(code))
				subst_rejected++;
			code[8] = ident_orgcode_check_char(code);
		}
	}
	is_int(subst_rejected, subst_total, "every wrong check character is rejected (%d)",
		   subst_total);

	/* DOMAIN.md: values 1 and 12 ('C') collide modulo 11 */
	ok(orgcode_ok("M000C00Y4"), "M000C00Y4 passes: the organization code misses 1 <-> C");

	is_int(ident_orgcode_problem("M000100Y4", 9, &pos), IDENT_OK, "problem: ok");
	is_int(ident_orgcode_problem("M000100Y", 8, &pos), IDENT_BAD_LENGTH, "problem: length");
	is_int(ident_orgcode_problem("M00-100Y4", 9, &pos), IDENT_BAD_CHAR, "problem: hyphen");
	is_int(pos, 3, "problem: hyphen at position 4");
	is_int(ident_orgcode_problem("M000100Y5", 9, &pos), IDENT_BAD_CHECK, "problem: check");
	is_int(ident_orgcode_problem("M000100YA", 9, &pos), IDENT_BAD_CHAR, "problem: A as check char");
	is_int(ident_orgcode_check_char("M00"), '\0', "short body: no check char");
}

int
main(void)
{
	test_uscc();
	test_dates();
	test_idcard();
	test_orgcode();
	return done_testing();
}
