/*
 * fuzz_ident.c
 *		libFuzzer target for the identifier and normalisation cores.
 *
 * Every entry point of ident.h and normalize.h runs on the input bytes, and
 * the invariants that tie them together are asserted: validators agree with
 * the diagnosers, a valid code's check character recomputes and no single
 * substitution keeps it valid, upgrade and birth date only succeed on valid
 * numbers, canonical codes are fixed points of normalize_ident, and both
 * normalisers are idempotent and never lengthen.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident/ident.h"
#include "ident/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
normalize_name_keep_dots(const char *in, size_t len, char *out)
{
	return normalize_name_opts(in, len, out, NORMALIZE_KEEP_DOTS);
}

static void
check_normalizer(size_t (*f)(const char *, size_t, char *), const char *s, size_t len, int is_ident)
{
	char  *once = malloc(len + 1);
	char  *twice = malloc(len + 1);
	size_t n1 = f(s, len, once);
	size_t n2;

	assert(n1 <= len);
	assert(once[n1] == '\0');
	n2 = f(once, n1, twice);
	assert(n2 == n1);
	assert(memcmp(once, twice, n1) == 0);
	if (is_ident)
		for (size_t i = 0; i < n1; i++)
			assert(!(once[i] >= 'a' && once[i] <= 'z'));
	free(once);
	free(twice);
}

/* A canonical valid code is a fixed point of normalize_ident. */
static void
check_fixed_point(const char *s, size_t len)
{
	char *out = malloc(len + 1);

	assert(normalize_ident(s, len, out) == len);
	assert(memcmp(out, s, len) == 0);
	free(out);
}

static void
check_uscc(const char *s, size_t len)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	bool              valid = ident_uscc_valid(s, len);
	size_t            pos = 99;
	IdentProblem      p = ident_uscc_problem(s, len, &pos);

	assert(valid == (p == IDENT_OK));
	assert(p == IDENT_OK || p == IDENT_BAD_LENGTH || p == IDENT_BAD_CHAR || p == IDENT_BAD_CHECK);
	assert(pos < 18 || p == IDENT_BAD_LENGTH);
	if (len >= 17)
	{
		char c = ident_uscc_check_char(s);

		assert(c == '\0' || strchr(alphabet, c) != NULL);
	}
	if (!valid)
		return;
	assert(len == 18);
	assert(ident_uscc_check_char(s) == s[17]);
	check_fixed_point(s, len);
	/* GB 32100: every single substitution is detected */
	{
		char m[18];

		for (int i = 0; i < 18; i++)
			for (int a = 0; a < 31; a++)
			{
				if (alphabet[a] == s[i])
					continue;
				memcpy(m, s, 18);
				m[i] = alphabet[a];
				assert(!ident_uscc_valid(m, 18));
			}
	}
}

static void
check_idcard(const char *s, size_t len)
{
	bool         v18 = ident_idcard_valid(s, len);
	bool         v15 = ident_idcard15_valid(s, len);
	size_t       pos = 99;
	IdentProblem p = ident_idcard_problem(s, len, &pos);
	char         out[19];
	int          y = 0, m = 0, d = 0;
	bool         upgraded;

	assert(!(v18 && v15));
	assert((v18 || v15) == (p == IDENT_OK));
	assert(pos < 18 || p == IDENT_BAD_LENGTH);
	if (len >= 17)
	{
		char c = ident_idcard_check_char(s);

		assert(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
	}

	upgraded = ident_idcard_upgrade(s, len, out);
	assert(upgraded == (v18 || v15));
	if (upgraded)
	{
		assert(out[18] == '\0');
		assert(ident_idcard_valid(out, 18));
		if (v18)
			assert(memcmp(out, s, 18) == 0);
		else
		{
			assert(memcmp(out, s, 6) == 0);
			assert(out[6] == '1' && out[7] == '9');
			assert(memcmp(out + 8, s + 6, 9) == 0);
		}
	}

	assert(ident_idcard_birthdate(s, len, &y, &m, &d) == (v18 || v15));
	if (v18 || v15)
	{
		int y2 = 0, m2 = 0, d2 = 0;

		assert(ident_date_valid(y, m, d));
		assert(y >= 1800 && y <= 2100);
		if (v15)
			assert(y >= 1900 && y <= 1999);
		/* the upgraded number carries the same date */
		assert(ident_idcard_birthdate(out, 18, &y2, &m2, &d2));
		assert(y == y2 && m == m2 && d == d2);
	}
	if (v18)
	{
		assert(ident_idcard_check_char(s) == s[17]);
		check_fixed_point(s, len);
	}
}

static void
check_orgcode(const char *s, size_t len)
{
	bool         valid = ident_orgcode_valid(s, len);
	size_t       pos = 99;
	IdentProblem p = ident_orgcode_problem(s, len, &pos);

	assert(valid == (p == IDENT_OK));
	assert(pos < 9 || p == IDENT_BAD_LENGTH);
	if (len >= 8)
	{
		char c = ident_orgcode_check_char(s);

		assert(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
	}
	if (valid)
	{
		assert(ident_orgcode_check_char(s) == s[8]);
		check_fixed_point(s, len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;

	check_uscc(s, size);
	check_idcard(s, size);
	check_orgcode(s, size);

	/* the codes inside a longer input, e.g. after normalisation */
	if (size > 0)
	{
		char  *norm = malloc(size + 1);
		size_t n = normalize_ident(s, size, norm);

		check_uscc(norm, n);
		check_idcard(norm, n);
		check_orgcode(norm, n);
		if (ident_uscc_valid(norm, n))
			assert(ident_orgcode_check_char(norm + 8) != '\0');
		free(norm);
	}

	if (size >= 3)
	{
		int y = (int) (int16_t) (data[0] | data[1] << 8);
		int m = (int) (int8_t) data[2] % 16;
		int d = size >= 4 ? (int) (int8_t) data[3] % 40 : 1;

		if (ident_date_valid(y, m, d))
			assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		if (ident_date_valid(y, m, 29) && m == 2)
			assert(y % 4 == 0);
	}

	check_normalizer(normalize_ident, s, size, 1);
	check_normalizer(normalize_name, s, size, 0);
	check_normalizer(normalize_name_keep_dots, s, size, 0);
	return 0;
}
