/*
 * test_calendar.c
 *		Unit tests of the working-day calendar core (src/calendar/calendar.c).
 *
 * The data are the 2024 and 2025 notices of the State Council General Office
 * (国办发明电〔2023〕7号, 国办发明电〔2024〕12号), typed in from the notices.
 * The 2024 notice's New Year period also covers 2023-12-30/31; those two rows
 * are left out here so that 2023 is a year without data.  Answers are checked
 * against literals read off a calendar and against a naive day-by-day
 * reference written independently below (its own date arithmetic, its own
 * weekday, linear look-up in the rows).
 */
#include <stdio.h>
#include <stdlib.h>

#include "calendar/calendar.h"
#include "tap.h"

/* ---- an independent reference ------------------------------------------ */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_len(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : len[m - 1];
}

/* days since 2000-01-01 by counting, for years 1900..2100 */
static int32_t
ref_day(int y, int m, int d)
{
	int32_t n = 0;
	int     i;

	if (y >= 2000)
		for (i = 2000; i < y; i++)
			n += leap(i) ? 366 : 365;
	else
		for (i = y; i < 2000; i++)
			n -= leap(i) ? 366 : 365;
	for (i = 1; i < m; i++)
		n += month_len(y, i);
	return n + d - 1;
}

static int
ref_year(int32_t day)
{
	int y = 2000;

	while (day < 0)
		day += leap(--y) ? 366 : 365;
	while (day >= (leap(y) ? 366 : 365))
		day -= leap(y++) ? 366 : 365;
	return y;
}

/* 2024-01-01 was a Monday. */
static int
ref_isodow(int32_t day)
{
	int32_t k = (day - ref_day(2024, 1, 1)) % 7;

	if (k < 0)
		k += 7;
	return (int) k + 1;
}

#define D(y, m, d) ref_day((y), (m), (d))

typedef struct
{
	int     y, m, d;
	CalKind kind;
} Row;

#define H CAL_HOLIDAY
#define W CAL_WORKDAY

/* The notices, one line per paragraph: clang-format leaves the layout alone. */
/* clang-format off */
static const Row rows[] = {
	/* 2024 (国办发明电〔2023〕7号) */
	{2024, 1, 1, H},
	{2024, 2, 10, H}, {2024, 2, 11, H}, {2024, 2, 12, H}, {2024, 2, 13, H},
	{2024, 2, 14, H}, {2024, 2, 15, H}, {2024, 2, 16, H}, {2024, 2, 17, H},
	{2024, 2, 4, W}, {2024, 2, 18, W},
	{2024, 4, 4, H}, {2024, 4, 5, H}, {2024, 4, 6, H}, {2024, 4, 7, W},
	{2024, 5, 1, H}, {2024, 5, 2, H}, {2024, 5, 3, H}, {2024, 5, 4, H}, {2024, 5, 5, H},
	{2024, 4, 28, W}, {2024, 5, 11, W},
	{2024, 6, 8, H}, {2024, 6, 9, H}, {2024, 6, 10, H},
	{2024, 9, 15, H}, {2024, 9, 16, H}, {2024, 9, 17, H}, {2024, 9, 14, W},
	{2024, 10, 1, H}, {2024, 10, 2, H}, {2024, 10, 3, H}, {2024, 10, 4, H},
	{2024, 10, 5, H}, {2024, 10, 6, H}, {2024, 10, 7, H},
	{2024, 9, 29, W}, {2024, 10, 12, W},
	/* 2025 (国办发明电〔2024〕12号) */
	{2025, 1, 1, H},
	{2025, 1, 28, H}, {2025, 1, 29, H}, {2025, 1, 30, H}, {2025, 1, 31, H},
	{2025, 2, 1, H}, {2025, 2, 2, H}, {2025, 2, 3, H}, {2025, 2, 4, H},
	{2025, 1, 26, W}, {2025, 2, 8, W},
	{2025, 4, 4, H}, {2025, 4, 5, H}, {2025, 4, 6, H},
	{2025, 5, 1, H}, {2025, 5, 2, H}, {2025, 5, 3, H}, {2025, 5, 4, H}, {2025, 5, 5, H},
	{2025, 4, 27, W},
	{2025, 5, 31, H}, {2025, 6, 1, H}, {2025, 6, 2, H},
	{2025, 10, 1, H}, {2025, 10, 2, H}, {2025, 10, 3, H}, {2025, 10, 4, H},
	{2025, 10, 5, H}, {2025, 10, 6, H}, {2025, 10, 7, H}, {2025, 10, 8, H},
	{2025, 9, 28, W}, {2025, 10, 11, W},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static CalEntry entries[NROWS];

static int
ref_has_year(int y)
{
	return y == 2024 || y == 2025;
}

static int
ref_working(int32_t day)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (entries[i].day == day)
			return entries[i].kind == CAL_WORKDAY;
	return ref_isodow(day) <= 5;
}

/* naive n-th working day; also reports whether a year without data was crossed */
static int32_t
ref_add(int32_t day, int n, int *crossed_missing)
{
	int32_t x = day;

	*crossed_missing = 0;
	if (n == 0)
	{
		if (!ref_has_year(ref_year(x)))
			*crossed_missing = 1;
		while (!ref_working(x))
		{
			x++;
			if (!ref_has_year(ref_year(x)))
				*crossed_missing = 1;
		}
		return x;
	}
	while (n != 0)
	{
		x += n > 0 ? 1 : -1;
		if (!ref_has_year(ref_year(x)))
			*crossed_missing = 1;
		if (ref_working(x))
			n += n > 0 ? -1 : 1;
	}
	return x;
}

static int32_t
ref_between(int32_t a, int32_t b)
{
	int32_t n = 0;
	int32_t d;

	if (a <= b)
	{
		for (d = a + 1; d <= b; d++)
			n += ref_working(d);
		return n;
	}
	for (d = b + 1; d <= a; d++)
		n -= ref_working(d);
	return n;
}

static uint32_t rng = 20240101;

static int
rnd(int lo, int hi)
{
	rng = rng * 1103515245u + 12345u;
	return lo + (int) ((rng >> 8) % (uint32_t) (hi - lo + 1));
}

/* ---- helpers to call the core ------------------------------------------ */

static Calendar *cal;
static void     *cal_mem;

static int32_t
add(int32_t day, int32_t n)
{
	int32_t r = INT32_MIN;

	if (cal_add_working_days(cal, CAL_MISSING_ERROR, day, n, &r, NULL) != CAL_OK)
		return INT32_MIN;
	return r;
}

static int32_t
due(CalProfile p, const char *freq, int32_t start, bool roll)
{
	int32_t      r = INT32_MIN;
	CalFrequency f = cal_frequency_parse(freq, strlen(freq));

	if (cal_due_date(cal, CAL_MISSING_ERROR, p, f, start, roll, &r, NULL) != CAL_OK)
		return INT32_MIN;
	return r;
}

static void
test_civil(void)
{
	int32_t y, m, d;
	int32_t day;
	int     ok_all = 1;

	is_int(cal_day_from_ymd(2000, 1, 1), 0, "2000-01-01 is day 0");
	is_int(cal_day_from_ymd(2024, 2, 29), D(2024, 2, 29), "2024-02-29");
	is_int(cal_day_from_ymd(1999, 12, 31), -1, "1999-12-31 is day -1");
	is_int(cal_day_from_ymd(-4713, 11, 24), CAL_DAY_MIN,
		   "4714-11-24 BC is the first PostgreSQL date");
	is_int(cal_day_from_ymd(5874897, 12, 31), CAL_DAY_MAX,
		   "5874897-12-31 is the last PostgreSQL date");
	is_int(cal_isodow(0), 6, "2000-01-01 was a Saturday");
	is_int(cal_isodow(D(2024, 10, 12)), 6, "2024-10-12 was a Saturday");
	is_int(cal_isodow(CAL_DAY_MIN), 1, "Julian day 0 was a Monday");
	for (day = D(1900, 1, 1); day <= D(2100, 12, 31); day += 13)
	{
		cal_ymd_from_day(day, &y, &m, &d);
		if (D(y, m, d) != day || ref_isodow(day) != cal_isodow(day))
			ok_all = 0;
	}
	ok(ok_all, "ymd and weekday round trip against the reference, 1900-2100");
}

static void
test_build(void)
{
	CalEntry bad[1];
	size_t   i;

	for (i = 0; i < NROWS; i++)
	{
		entries[i].day = D(rows[i].y, rows[i].m, rows[i].d);
		entries[i].kind = rows[i].kind;
	}
	cal_mem = malloc(cal_size(entries, NROWS));
	ok(cal_build(cal_mem, 16, entries, NROWS) == NULL, "a too small buffer is refused");
	cal = cal_build(cal_mem, cal_size(entries, NROWS), entries, NROWS);
	ok(cal != NULL, "calendar built from the 2024 and 2025 notices");

	bad[0].day = D(1949, 10, 1);
	bad[0].kind = CAL_HOLIDAY;
	is_int((long) cal_size(bad, 1), 0, "a row before 1950 is out of range");
	bad[0].day = D(2200, 1, 1);
	is_int((long) cal_size(bad, 1), 0, "a row after 2199 is out of range");

	ok(cal_year_has_data(cal, 2024) && cal_year_has_data(cal, 2025), "2024 and 2025 have data");
	ok(!cal_year_has_data(cal, 2023) && !cal_year_has_data(cal, 2026), "2023 and 2026 do not");
}

static void
test_literals(void)
{
	bool    w = true;
	int32_t bad = 0;
	int32_t r = 0;

	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2024, 2, 4), &w, NULL) == CAL_OK && w,
	   "2024-02-04, a Sunday, is a make-up working day");
	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2024, 2, 9), &w, NULL) == CAL_OK && w,
	   "2024-02-09 (除夕) is a working day: the notice only encourages leave");
	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2024, 10, 5), &w, NULL) == CAL_OK && !w,
	   "2024-10-05, a Saturday inside National Day, is off");
	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2024, 10, 12), &w, NULL) == CAL_OK && w,
	   "2024-10-12, a Saturday, is a make-up working day");
	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2024, 10, 13), &w, NULL) == CAL_OK && !w,
	   "2024-10-13, a plain Sunday, is off");

	is_int(add(D(2024, 9, 30), 1), D(2024, 10, 8), "1 working day after 2024-09-30 is 2024-10-08");
	is_int(add(D(2024, 10, 8), -1), D(2024, 9, 30),
		   "1 working day before 2024-10-08 is 2024-09-30");
	is_int(add(D(2024, 10, 3), 0), D(2024, 10, 8), "0 from a holiday gives the next working day");
	is_int(add(D(2024, 10, 12), 0), D(2024, 10, 12),
		   "0 from a working Saturday gives that Saturday");
	is_int(add(D(2024, 10, 11), 1), D(2024, 10, 12),
		   "the day after Friday 2024-10-11 is the make-up Saturday");
	is_int(add(D(2024, 12, 31), 1), D(2025, 1, 2),
		   "across the year boundary, over New Year's Day 2025");
	is_int(add(D(2025, 1, 2), -2), D(2024, 12, 30), "back across the year boundary");
	is_int(add(D(2025, 1, 27), 1), D(2025, 2, 5), "over the 8-day Spring Festival 2025");
	is_int(add(D(2024, 2, 9), 1), D(2024, 2, 18),
		   "from 除夕 2024 to the make-up Sunday 2024-02-18");

	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2024, 9, 30), D(2024, 10, 12), &r,
								NULL) == CAL_OK,
	   "between works inside 2024");
	is_int(
		r, 5,
		"working days in (2024-09-30, 2024-10-12]: Oct 8, 9, 10, 11 and the make-up Saturday 12");
	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2024, 10, 12), D(2024, 9, 30), &r,
								NULL) == CAL_OK &&
		   r == -5,
	   "between with b < a is negative");
	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2024, 1, 1), D(2024, 1, 1), &r, NULL) ==
			   CAL_OK &&
		   r == 0,
	   "between a day and itself is 0");
	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2023, 12, 31), D(2024, 12, 31), &r,
								NULL) == CAL_OK &&
		   r == 251,
	   "2024 has 251 working days: 262 weekdays - 19 weekday holidays + 8 make-up days");
	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2024, 12, 31), D(2025, 12, 31), &r,
								NULL) == CAL_OK &&
		   r == 248,
	   "2025 has 248 working days: 261 weekdays - 18 weekday holidays + 5 make-up days");

	ok(cal_next_working_day(cal, CAL_MISSING_ERROR, D(2024, 4, 3), &r, NULL) == CAL_OK &&
		   r == D(2024, 4, 7),
	   "next working day after 2024-04-03 is Sunday 2024-04-07 (make-up)");
	ok(cal_next_working_day(cal, CAL_MISSING_ERROR, D(2024, 4, 8), &r, NULL) == CAL_OK &&
		   r == D(2024, 4, 9),
	   "next working day is strictly after a working day");

	/* missing years */
	ok(cal_is_working(cal, CAL_MISSING_ERROR, D(2026, 3, 2), &w, &bad) == CAL_ERR_MISSING_YEAR &&
		   bad == 2026,
	   "2026 has no data: error naming 2026");
	bad = 0;
	ok(cal_add_working_days(cal, CAL_MISSING_ERROR, D(2025, 12, 30), 3, &r, &bad) ==
			   CAL_ERR_MISSING_YEAR &&
		   bad == 2026,
	   "counting into 2026 fails");
	ok(cal_add_working_days(cal, CAL_MISSING_ERROR, D(2025, 12, 30), 1, &r, NULL) == CAL_OK &&
		   r == D(2025, 12, 31),
	   "counting that stays in 2025 works");
	ok(cal_add_working_days(cal, CAL_MISSING_ERROR, D(2024, 1, 2), -1, &r, &bad) ==
			   CAL_ERR_MISSING_YEAR &&
		   bad == 2023,
	   "counting back into 2023 fails");
	ok(cal_add_working_days(cal, CAL_MISSING_ERROR, D(2023, 12, 31), 1, &r, NULL) == CAL_OK &&
		   r == D(2024, 1, 2),
	   "starting from the last day of 2023 only looks at 2024");
	ok(cal_is_working(cal, CAL_MISSING_WEEKENDS, D(2026, 10, 1), &w, NULL) == CAL_OK && w,
	   "weekends mode: 2026-10-01 (a Thursday) is a working day");
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, D(2025, 12, 31), 2, &r, NULL) == CAL_OK &&
		   r == D(2026, 1, 2),
	   "weekends mode: New Year's Day 2026 is a plain Thursday");
	ok(cal_working_days_between(cal, CAL_MISSING_ERROR, D(2022, 5, 1), D(2024, 5, 1), &r, &bad) ==
			   CAL_ERR_MISSING_YEAR &&
		   bad == 2022,
	   "between reports the first year without data");
}

static void
test_ranges(void)
{
	int32_t r;
	int32_t n;
	bool    w;

	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, CAL_DAY_MAX, 1, &r, NULL) == CAL_ERR_RANGE,
	   "past the last date: range error");
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, CAL_DAY_MIN, -1, &r, NULL) == CAL_ERR_RANGE,
	   "before the first date: range error");
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, 0, INT32_MAX, &r, NULL) == CAL_ERR_RANGE,
	   "INT32_MAX working days from 2000: range error, no overflow");
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, 0, INT32_MIN, &r, NULL) == CAL_ERR_RANGE,
	   "INT32_MIN working days from 2000: range error");
	ok(cal_is_working(cal, CAL_MISSING_WEEKENDS, INT32_MAX, &w, NULL) == CAL_ERR_RANGE,
	   "infinity (INT32_MAX) is refused");
	ok(cal_working_days_between(cal, CAL_MISSING_WEEKENDS, CAL_DAY_MIN, CAL_DAY_MAX, &n, NULL) ==
			   CAL_OK &&
		   n > 1500000000,
	   "between the first and the last date fits an int32 (%d)", (int) n);
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, CAL_DAY_MIN, n, &r, NULL) == CAL_OK &&
		   cal_working_days_between(cal, CAL_MISSING_WEEKENDS, r, CAL_DAY_MAX, &n, NULL) ==
			   CAL_OK &&
		   n == 0,
	   "adding that count lands on the last working date");
	ok(cal_add_working_days(cal, CAL_MISSING_WEEKENDS, r, 1, &r, NULL) == CAL_ERR_RANGE,
	   "and there is no working date after it");
}

static void
test_random(void)
{
	int i;
	int mismatches = 0;
	int missing_mismatches = 0;
	int between_mismatches = 0;

	for (i = 0; i < 20000; i++)
	{
		int32_t   day = D(2023, 11, 1) + rnd(0, 900);
		int       n = rnd(-40, 40);
		int       crossed;
		int32_t   want = ref_add(day, n, &crossed);
		int32_t   got = 0;
		int32_t   bad = 0;
		CalStatus st = cal_add_working_days(cal, CAL_MISSING_ERROR, day, n, &got, &bad);

		if (crossed != (st == CAL_ERR_MISSING_YEAR))
			missing_mismatches++;
		if (!crossed && (st != CAL_OK || got != want))
			mismatches++;
	}
	is_int(mismatches, 0,
		   "add_working_days matches the naive reference for 20000 random (date, n)");
	is_int(missing_mismatches, 0,
		   "the missing-year error happens exactly when a year without data is crossed");

	for (i = 0; i < 5000; i++)
	{
		int32_t a = D(2024, 1, 1) + rnd(0, 730);
		int32_t b = D(2024, 1, 1) + rnd(-1, 730);
		int32_t got = 0;

		if (cal_working_days_between(cal, CAL_MISSING_ERROR, a, b, &got, NULL) != CAL_OK ||
			got != ref_between(a, b))
			between_mismatches++;
	}
	is_int(between_mismatches, 0,
		   "working_days_between matches the naive count for 5000 random pairs");

	mismatches = 0;
	for (i = 0; i < 3000; i++)
	{
		/* far outside the data, weekends mode: Monday to Friday */
		int32_t day = D(1900, 1, 1) + rnd(0, 73000);
		int     n = rnd(-30, 30);
		int32_t x = day;
		int     k = n;
		int32_t got = 0;

		if (ref_year(day) >= 2023 && ref_year(day) <= 2026)
			continue;
		if (k == 0)
			while (ref_isodow(x) > 5)
				x++;
		while (k != 0)
		{
			x += k > 0 ? 1 : -1;
			if (ref_isodow(x) <= 5)
				k += k > 0 ? -1 : 1;
		}
		if (cal_add_working_days(cal, CAL_MISSING_WEEKENDS, day, n, &got, NULL) != CAL_OK ||
			got != x)
			mismatches++;
	}
	is_int(mismatches, 0, "weekends mode far from the data matches Monday-to-Friday stepping");

	mismatches = 0;
	for (i = 0; i < 3000; i++)
	{
		int32_t day = D(2000, 1, 1) + rnd(0, 20000);
		int32_t n = rnd(-100000, 100000);
		int32_t x = 0;
		int32_t back = 0;

		if (cal_add_working_days(cal, CAL_MISSING_WEEKENDS, day, n, &x, NULL) != CAL_OK)
			mismatches++;
		else if (n > 0 && (cal_working_days_between(cal, CAL_MISSING_WEEKENDS, day, x, &back,
													NULL) != CAL_OK ||
						   back != n))
			mismatches++;
		/* going back, x itself counts and day does not: (x - 1, day - 1] */
		else if (n < 0 && (cal_working_days_between(cal, CAL_MISSING_WEEKENDS, x - 1, day - 1,
													&back, NULL) != CAL_OK ||
						   back != -n))
			mismatches++;
	}
	is_int(mismatches, 0,
		   "add_working_days and working_days_between agree for |n| up to 100000 across the data "
		   "span");
}

static void
test_periods(void)
{
	int32_t e = 0;
	int32_t next = 0;

	ok(cal_frequency_parse("Monthly", 7) == CAL_FREQ_MONTHLY,
	   "frequency words are case-insensitive");
	ok(cal_frequency_parse("month", 5) == CAL_FREQ_INVALID, "'month' is not a frequency");
	ok(cal_frequency_parse("monthlyx", 7) == CAL_FREQ_MONTHLY, "the length bounds the word");
	ok(cal_profile_parse("zhengzhou", 9) == CAL_PROFILE_ZHENGZHOU &&
		   cal_profile_parse("beijing", 7) == CAL_PROFILE_INVALID,
	   "profiles parse");
	ok(cal_offset_unit_parse("working", 7) == CAL_OFFSET_WORKING &&
		   cal_offset_unit_parse("days", 4) == CAL_OFFSET_INVALID,
	   "offset units parse");
	is_str(cal_frequency_name(CAL_FREQ_SEMIANNUAL), "semiannual", "frequency names");

	ok(cal_period_check(CAL_FREQ_MONTHLY, D(2024, 1, 15)) == CAL_ERR_BAD_PERIOD,
	   "monthly starts on the 1st");
	ok(cal_period_check(CAL_FREQ_QUARTERLY, D(2024, 2, 1)) == CAL_ERR_BAD_PERIOD,
	   "quarters start in Jan/Apr/Jul/Oct");
	ok(cal_period_check(CAL_FREQ_QUARTERLY, D(2024, 10, 1)) == CAL_OK,
	   "2024-10-01 starts a quarter");
	ok(cal_period_check(CAL_FREQ_SEMIANNUAL, D(2024, 4, 1)) == CAL_ERR_BAD_PERIOD,
	   "half-years start in Jan/Jul");
	ok(cal_period_check(CAL_FREQ_ANNUAL, D(2024, 7, 1)) == CAL_ERR_BAD_PERIOD,
	   "years start on Jan 1");
	ok(cal_period_check(CAL_FREQ_WEEKLY, D(2024, 9, 29)) == CAL_ERR_BAD_PERIOD,
	   "weeks start on Monday");
	ok(cal_period_check(CAL_FREQ_DAILY, D(2024, 9, 29)) == CAL_OK, "any day starts a daily period");
	ok(cal_period_check(CAL_FREQ_INVALID, 0) == CAL_ERR_BAD_FREQUENCY,
	   "an invalid frequency is refused");
	is_int(cal_period_start_of(CAL_FREQ_WEEKLY, D(2024, 9, 29)), D(2024, 9, 23),
		   "the week of 2024-09-29 starts 09-23");
	is_int(cal_period_start_of(CAL_FREQ_QUARTERLY, D(2024, 12, 31)), D(2024, 10, 1),
		   "Q4 starts 10-01");
	is_int(cal_period_start_of(CAL_FREQ_SEMIANNUAL, D(2024, 6, 30)), D(2024, 1, 1),
		   "H1 starts 01-01");

	ok(cal_period_end(CAL_FREQ_MONTHLY, D(2024, 2, 1), &e) == CAL_OK && e == D(2024, 2, 29),
	   "Feb 2024 ends on the 29th");
	ok(cal_period_end(CAL_FREQ_QUARTERLY, D(2024, 10, 1), &e) == CAL_OK && e == D(2024, 12, 31),
	   "Q4 ends 12-31");
	ok(cal_period_end(CAL_FREQ_SEMIANNUAL, D(2024, 1, 1), &e) == CAL_OK && e == D(2024, 6, 30),
	   "H1 ends 06-30");
	ok(cal_period_end(CAL_FREQ_WEEKLY, D(2024, 9, 23), &e) == CAL_OK && e == D(2024, 9, 29),
	   "a week ends on Sunday");
	ok(cal_period_end(CAL_FREQ_ADHOC, D(2024, 9, 23), &e) == CAL_OK && e == D(2024, 9, 23),
	   "ad hoc: the day itself");
	ok(cal_period_end(CAL_FREQ_ANNUAL, D(5874897, 1, 1), &e) == CAL_OK && e == CAL_DAY_MAX,
	   "the last year ends on the last date");
	ok(cal_period_next(CAL_FREQ_ANNUAL, D(5874897, 1, 1), &next) == CAL_ERR_RANGE,
	   "no year after the last one");
	ok(cal_period_next(CAL_FREQ_QUARTERLY, D(2024, 10, 1), &next) == CAL_OK &&
		   next == D(2025, 1, 1),
	   "Q4 is followed by Q1");
	ok(cal_period_next(CAL_FREQ_REALTIME, D(2024, 10, 1), &next) == CAL_ERR_BAD_FREQUENCY,
	   "realtime has no periods");
}

static void
test_due_dates(void)
{
	const CalProfile hy = CAL_PROFILE_HENGYANG;
	const CalProfile zz = CAL_PROFILE_ZHENGZHOU;
	int32_t          r = 0;
	int32_t          bad = 0;

	/* Hengyang (seeds/000 art. 8) */
	is_int(due(hy, "monthly", D(2024, 9, 1), true), D(2024, 10, 10), "HY monthly Sep 2024: Oct 10");
	is_int(due(hy, "monthly", D(2024, 1, 1), true), D(2024, 2, 18),
		   "HY monthly Jan 2024: Feb 10 is in Spring Festival, rolls to the make-up Sunday Feb 18");
	is_int(due(hy, "monthly", D(2024, 1, 1), false), D(2024, 2, 10),
		   "HY monthly Jan 2024 without roll-forward: Feb 10");
	is_int(due(hy, "monthly", D(2024, 12, 1), true), D(2025, 1, 10),
		   "HY monthly Dec 2024: Jan 10 2025");
	is_int(due(hy, "quarterly", D(2024, 7, 1), true), D(2024, 10, 21),
		   "HY quarterly Q3 2024: Oct 20 is a Sunday, so Oct 21");
	is_int(due(hy, "quarterly", D(2024, 7, 1), false), D(2024, 10, 20),
		   "HY quarterly Q3 2024 without roll-forward: Oct 20");
	is_int(due(hy, "quarterly", D(2024, 10, 1), true), D(2025, 1, 20),
		   "HY quarterly Q4 2024: Jan 20 2025");
	is_int(due(hy, "annual", D(2024, 1, 1), true), D(2025, 2, 5),
		   "HY annual 2024: Jan 31 2025 is in Spring Festival, so Feb 5");
	is_int(due(hy, "semiannual", D(2024, 1, 1), true), D(2024, 7, 30),
		   "HY semiannual H1 2024: Jul 30");
	is_int(due(hy, "semiannual", D(2024, 7, 1), true), D(2025, 2, 5),
		   "HY semiannual H2 2024: Jan 30 2025 rolls to Feb 5");
	is_int(due(hy, "daily", D(2024, 9, 30), true), D(2024, 10, 8),
		   "HY daily 2024-09-30: next working day Oct 8");
	is_int(due(hy, "daily", D(2024, 10, 11), false), D(2024, 10, 12),
		   "HY daily 2024-10-11: the make-up Saturday");
	is_int(due(hy, "weekly", D(2024, 9, 23), true), D(2024, 9, 30),
		   "HY weekly from 2024-09-23: Monday Sep 30");
	is_int(due(hy, "weekly", D(2024, 9, 30), true), D(2024, 10, 8),
		   "HY weekly from 2024-09-30: Oct 8");
	is_int(due(hy, "adhoc", D(2024, 10, 3), true), D(2024, 10, 8),
		   "HY ad hoc on a holiday rolls forward");
	is_int(due(hy, "realtime", D(2024, 10, 3), false), D(2024, 10, 3),
		   "HY realtime without roll-forward: the day itself");

	/* Zhengzhou (seeds/002 art. 9) */
	is_int(due(zz, "daily", D(2024, 10, 11), true), D(2024, 10, 12),
		   "ZZ daily 2024-10-11: the next day, a make-up Saturday");
	is_int(due(zz, "daily", D(2024, 10, 12), true), D(2024, 10, 14),
		   "ZZ daily 2024-10-12: Sunday 13th rolls to 14th");
	is_int(due(zz, "daily", D(2024, 10, 12), false), D(2024, 10, 13),
		   "ZZ daily without roll-forward: the next day");
	is_int(due(zz, "weekly", D(2024, 9, 16), true), D(2024, 9, 29),
		   "ZZ weekly from 2024-09-16: Sunday of next week is a make-up day");
	is_int(due(zz, "weekly", D(2024, 9, 23), true), D(2024, 10, 8),
		   "ZZ weekly from 2024-09-23: Oct 6 rolls to Oct 8");
	is_int(due(zz, "monthly", D(2024, 9, 1), true), D(2024, 10, 10), "ZZ monthly: the 10th");
	is_int(due(zz, "quarterly", D(2024, 7, 1), true), D(2024, 10, 10),
		   "ZZ quarterly Q3 2024: Oct 10");
	is_int(due(zz, "quarterly", D(2024, 4, 1), true), D(2024, 7, 10),
		   "ZZ quarterly Q2 2024: Jul 10");
	is_int(due(zz, "semiannual", D(2024, 1, 1), true), D(2024, 7, 30),
		   "ZZ semiannual H1 2024: Jul 30");
	is_int(due(zz, "annual", D(2024, 1, 1), true), D(2025, 2, 5),
		   "ZZ annual 2024: Jan 30 2025 rolls to Feb 5");
	is_int(due(zz, "annual", D(2024, 1, 1), false), D(2025, 1, 30),
		   "ZZ annual 2024 without roll-forward: Jan 30");
	is_int(due(zz, "realtime", D(2024, 10, 12), true), D(2024, 10, 12),
		   "ZZ realtime on a working Saturday");

	ok(cal_due_date(cal, CAL_MISSING_ERROR, hy, CAL_FREQ_MONTHLY, D(2024, 9, 2), true, &r, NULL) ==
		   CAL_ERR_BAD_PERIOD,
	   "a monthly period cannot start on the 2nd");
	ok(cal_due_date(cal, CAL_MISSING_ERROR, CAL_PROFILE_INVALID, CAL_FREQ_MONTHLY, D(2024, 9, 1),
					true, &r, NULL) == CAL_ERR_BAD_INPUT,
	   "an invalid profile is refused");
	ok(cal_due_date(cal, CAL_MISSING_ERROR, hy, CAL_FREQ_ANNUAL, D(2025, 1, 1), true, &r, &bad) ==
			   CAL_ERR_MISSING_YEAR &&
		   bad == 2026,
	   "the annual report of 2025 is due in 2026, which has no data");
	ok(cal_due_date(cal, CAL_MISSING_ERROR, hy, CAL_FREQ_ANNUAL, D(2025, 1, 1), false, &r, NULL) ==
			   CAL_OK &&
		   r == D(2026, 1, 31),
	   "without roll-forward the calendar is not needed");

	/* catalog overrides */
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 9, 30), 5, CAL_OFFSET_WORKING, true, &r,
						 NULL) == CAL_OK &&
		   r == D(2024, 10, 12),
	   "5 working days after 2024-09-30: Oct 8, 9, 10, 11, 12");
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 9, 30), 5, CAL_OFFSET_CALENDAR, true, &r,
						 NULL) == CAL_OK &&
		   r == D(2024, 10, 8),
	   "5 calendar days after 2024-09-30 is Oct 5, rolled to Oct 8");
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 9, 30), 5, CAL_OFFSET_CALENDAR, false, &r,
						 NULL) == CAL_OK &&
		   r == D(2024, 10, 5),
	   "without roll-forward: Oct 5");
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 10, 6), 0, CAL_OFFSET_WORKING, true, &r,
						 NULL) == CAL_OK &&
		   r == D(2024, 10, 8),
	   "0 working days from a holiday: the next working day");
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 9, 30), -1, CAL_OFFSET_WORKING, true, &r,
						 NULL) == CAL_ERR_BAD_INPUT,
	   "a negative offset is refused");
	ok(cal_due_date_rule(cal, CAL_MISSING_ERROR, D(2024, 9, 30), 1, CAL_OFFSET_INVALID, true, &r,
						 NULL) == CAL_ERR_BAD_INPUT,
	   "an invalid unit is refused");
}

static void
test_empty(void)
{
	size_t    sz = cal_size(NULL, 0);
	void     *mem = malloc(sz);
	Calendar *empty = cal_build(mem, sz, NULL, 0);
	bool      w = false;
	int32_t   r = 0;
	int32_t   bad = 0;

	ok(empty != NULL, "an empty holiday table builds a calendar");
	ok(cal_is_working(empty, CAL_MISSING_ERROR, D(2024, 1, 1), &w, &bad) == CAL_ERR_MISSING_YEAR &&
		   bad == 2024,
	   "with no data every year is missing");
	ok(cal_add_working_days(empty, CAL_MISSING_WEEKENDS, D(2024, 9, 30), 1, &r, NULL) == CAL_OK &&
		   r == D(2024, 10, 1),
	   "weekends mode on an empty calendar: Mon-Fri");
	free(mem);
}

int
main(void)
{
	test_civil();
	test_build();
	test_literals();
	test_ranges();
	test_random();
	test_periods();
	test_due_dates();
	test_empty();
	free(cal_mem);
	return done_testing();
}
