/*
 * ident.c
 *		Check-character arithmetic and plausibility rules of the Chinese
 *		identifier standards.  Pure core: see ident.h.
 *
 * Each rule below names the standard it comes from.  Lookup tables are
 * constant and built at compile time; nothing here has mutable state.
 */
#include "ident/ident.h"

/*
 * GB 32100-2015 (unified social credit code), 4.2: the 31 code characters in
 * value order 0..30.  I, O, Z, S and V are not used.  Table entries hold
 * value + 1 so that 0 means "not in the alphabet".
 */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const unsigned char uscc_value1[256] = {
	['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
	['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22, ['N'] = 23, ['P'] = 24,
	['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28, ['W'] = 29, ['X'] = 30, ['Y'] = 31};

/* GB 32100-2015, 5.2: weight of position i (1-based) is 3^(i-1) mod 31. */
static const unsigned char uscc_weight[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
											  29, 25, 13, 8,  24, 10, 30, 28};

/*
 * GB 11643-1999, 7.1 / ISO 7064 MOD 11-2: weight of position i (1-based,
 * from the left) is 2^(18-i) mod 11; the check character is looked up by the
 * weighted sum mod 11.
 */
static const unsigned char idcard_weight[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
												3, 7, 9,  10, 5, 8, 4, 2};
static const char          idcard_check[] = "10X98765432";

/*
 * GB 11714-1997 (organization code), 4: body characters 0-9 then A=10 ..
 * Z=35 (value + 1 stored), weights 3 7 9 10 5 8 4 2.
 */
static const unsigned char orgcode_value1[256] = {
	['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
	['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['G'] = 17, ['H'] = 18, ['I'] = 19, ['J'] = 20, ['K'] = 21, ['L'] = 22, ['M'] = 23, ['N'] = 24,
	['O'] = 25, ['P'] = 26, ['Q'] = 27, ['R'] = 28, ['S'] = 29, ['T'] = 30, ['U'] = 31, ['V'] = 32,
	['W'] = 33, ['X'] = 34, ['Y'] = 35, ['Z'] = 36};
static const unsigned char orgcode_weight[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Birth dates outside this range are typing errors, not people. */
#define IDCARD_MIN_YEAR 1800
#define IDCARD_MAX_YEAR 2100

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of n decimal digits; the caller has checked they are digits. */
static inline int
digits_value(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * GB/T 2260 province-level codes (first two digits of a division code):
 * 11-15 north, 21-23 north-east, 31-37 east, 41-46 central-south,
 * 50-54 south-west, 61-65 north-west, 71 Taiwan, 81 Hong Kong, 82 Macao.
 */
bool
ident_province_code_valid(int code)
{
	return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
		   (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
		   code == 71 || code == 81 || code == 82;
}

bool
ident_date_valid(int year, int month, int day)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int                        last;

	if (month < 1 || month > 12 || day < 1)
		return false;
	last = mdays[month - 1];
	/* Gregorian rule; % keeps working for negative (proleptic) years */
	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		last = 29;
	return day <= last;
}

char
ident_uscc_check_char(const char *s17)
{
	unsigned int sum = 0;
	unsigned int c;

	for (int i = 0; i < 17; i++)
	{
		unsigned int v = uscc_value1[(unsigned char) s17[i]];

		if (v == 0)
			return '\0';
		sum += (v - 1) * uscc_weight[i];
	}
	/* GB 32100-2015, 5.2: C18 = 31 - MOD(sum, 31); 31 is written as 0 */
	c = 31 - sum % 31;
	return uscc_alphabet[c == 31 ? 0 : c];
}

char
ident_idcard_check_char(const char *s17)
{
	unsigned int sum = 0;

	for (int i = 0; i < 17; i++)
	{
		if (!is_digit(s17[i]))
			return '\0';
		sum += (unsigned int) (s17[i] - '0') * idcard_weight[i];
	}
	return idcard_check[sum % 11];
}

char
ident_orgcode_check_char(const char *s8)
{
	unsigned int sum = 0;
	unsigned int c;

	for (int i = 0; i < 8; i++)
	{
		unsigned int v = orgcode_value1[(unsigned char) s8[i]];

		if (v == 0)
			return '\0';
		sum += (v - 1) * orgcode_weight[i];
	}
	/* GB 11714-1997: C9 = 11 - MOD(sum, 11); 10 is written X, 11 is 0 */
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char) ('0' + c);
}

/*
 * The hot path of uscc_valid() over millions of rows: one table lookup and
 * one multiply-add per character, no branches beyond the alphabet test.
 */
bool
ident_uscc_valid(const char *s, size_t len)
{
	if (len != IDENT_USCC_LEN)
		return false;
	/* the computed check character is always in the alphabet */
	return ident_uscc_check_char(s) == s[17] && s[17] != '\0';
}

bool
ident_orgcode_valid(const char *s, size_t len)
{
	if (len != IDENT_ORGCODE_LEN)
		return false;
	return ident_orgcode_check_char(s) == s[8] && s[8] != '\0';
}

/*
 * Region and birth-date plausibility shared by the 18- and 15-character
 * forms.  s points at the 6-digit region code; date at YYYYMMDD (or YYMMDD
 * with century 19 when ndate is 6).  All characters are digits.
 */
static IdentProblem
idcard_region_date_problem(const char *s, const char *date, int ndate)
{
	int year;
	int month;
	int day;

	if (!ident_province_code_valid(digits_value(s, 2)))
		return IDENT_BAD_REGION;
	if (ndate == 8)
		year = digits_value(date, 4);
	else
		year = 1900 + digits_value(date, 2);
	month = digits_value(date + ndate - 4, 2);
	day = digits_value(date + ndate - 2, 2);
	if (year < IDCARD_MIN_YEAR || year > IDCARD_MAX_YEAR || !ident_date_valid(year, month, day))
		return IDENT_BAD_DATE;
	return IDENT_OK;
}

IdentProblem
ident_idcard_problem(const char *s, size_t len, size_t *pos)
{
	IdentProblem p;
	size_t       ndigits;

	if (pos)
		*pos = 0;
	if (len != IDENT_IDCARD_LEN && len != IDENT_IDCARD15_LEN)
		return IDENT_BAD_LENGTH;

	/* GB 11643-1999, 4: seventeen digits, then a digit or X (18 chars) */
	ndigits = (len == IDENT_IDCARD_LEN) ? 17 : 15;
	for (size_t i = 0; i < ndigits; i++)
	{
		if (!is_digit(s[i]))
		{
			if (pos)
				*pos = i;
			return IDENT_BAD_CHAR;
		}
	}
	if (len == IDENT_IDCARD_LEN && !is_digit(s[17]) && s[17] != 'X')
	{
		if (pos)
			*pos = 17;
		return IDENT_BAD_CHAR;
	}

	p = idcard_region_date_problem(s, s + 6, len == IDENT_IDCARD_LEN ? 8 : 6);
	if (p != IDENT_OK)
		return p;

	if (len == IDENT_IDCARD_LEN && ident_idcard_check_char(s) != s[17])
	{
		if (pos)
			*pos = 17;
		return IDENT_BAD_CHECK;
	}
	return IDENT_OK;
}

bool
ident_idcard_valid(const char *s, size_t len)
{
	return len == IDENT_IDCARD_LEN && ident_idcard_problem(s, len, NULL) == IDENT_OK;
}

bool
ident_idcard15_valid(const char *s, size_t len)
{
	return len == IDENT_IDCARD15_LEN && ident_idcard_problem(s, len, NULL) == IDENT_OK;
}

bool
ident_idcard_upgrade(const char *s, size_t len, char out[19])
{
	if (ident_idcard_valid(s, len))
	{
		for (int i = 0; i < 18; i++)
			out[i] = s[i];
		out[18] = '\0';
		return true;
	}
	if (!ident_idcard15_valid(s, len))
		return false;

	/* GB 11643-1999, annex: region, "19", YYMMDD, sequence, check */
	for (int i = 0; i < 6; i++)
		out[i] = s[i];
	out[6] = '1';
	out[7] = '9';
	for (int i = 6; i < 15; i++)
		out[i + 2] = s[i];
	out[17] = ident_idcard_check_char(out);
	out[18] = '\0';
	return true;
}

bool
ident_idcard_birthdate(const char *s, size_t len, int *year, int *month, int *day)
{
	const char *date;

	if (ident_idcard_valid(s, len))
	{
		date = s + 6;
		*year = digits_value(date, 4);
		date += 4;
	}
	else if (ident_idcard15_valid(s, len))
	{
		date = s + 6;
		*year = 1900 + digits_value(date, 2);
		date += 2;
	}
	else
		return false;
	*month = digits_value(date, 2);
	*day = digits_value(date + 2, 2);
	return true;
}

IdentProblem
ident_uscc_problem(const char *s, size_t len, size_t *pos)
{
	if (pos)
		*pos = 0;
	if (len != IDENT_USCC_LEN)
		return IDENT_BAD_LENGTH;
	for (size_t i = 0; i < IDENT_USCC_LEN; i++)
	{
		if (uscc_value1[(unsigned char) s[i]] == 0)
		{
			if (pos)
				*pos = i;
			return IDENT_BAD_CHAR;
		}
	}
	if (ident_uscc_check_char(s) != s[17])
	{
		if (pos)
			*pos = 17;
		return IDENT_BAD_CHECK;
	}
	return IDENT_OK;
}

IdentProblem
ident_orgcode_problem(const char *s, size_t len, size_t *pos)
{
	if (pos)
		*pos = 0;
	if (len != IDENT_ORGCODE_LEN)
		return IDENT_BAD_LENGTH;
	for (size_t i = 0; i < 8; i++)
	{
		if (orgcode_value1[(unsigned char) s[i]] == 0)
		{
			if (pos)
				*pos = i;
			return IDENT_BAD_CHAR;
		}
	}
	if (!is_digit(s[8]) && s[8] != 'X')
	{
		if (pos)
			*pos = 8;
		return IDENT_BAD_CHAR;
	}
	if (ident_orgcode_check_char(s) != s[8])
	{
		if (pos)
			*pos = 8;
		return IDENT_BAD_CHECK;
	}
	return IDENT_OK;
}
