/*
 * fuzz_calendar.c
 *		libFuzzer target for the working-day calendar core (src/calendar/calendar.c).
 *
 * The input is read as a holiday table (a few rows anywhere in the data
 * years) followed by queries (a day anywhere in PostgreSQL's date range and
 * an n).  Besides the sanitizers' checks, the answers must agree with each
 * other: the n-th working day after d is a working day, and exactly n working
 * days lie between them; the same backwards; and the due-date rules never
 * return a day before the period ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"

static uint32_t
take32(const uint8_t **p, size_t *left)
{
	uint32_t v = 0;
	size_t   i;

	for (i = 0; i < 4; i++)
	{
		v = (v << 8) | (*left > 0 ? **p : 0);
		if (*left > 0)
		{
			(*p)++;
			(*left)--;
		}
	}
	return v;
}

/* Working days in [first, last] (weekends mode), also when first is the first date. */
static int32_t
count_in(const Calendar *cal, int32_t first, int32_t last)
{
	int32_t cnt = 0;
	bool    w = false;

	if (first > last)
		return 0;
	if (first > CAL_DAY_MIN)
	{
		if (cal_working_days_between(cal, CAL_MISSING_WEEKENDS, first - 1, last, &cnt, NULL) !=
			CAL_OK)
			abort();
		return cnt;
	}
	if (cal_working_days_between(cal, CAL_MISSING_WEEKENDS, first, last, &cnt, NULL) != CAL_OK ||
		cal_is_working(cal, CAL_MISSING_WEEKENDS, first, &w, NULL) != CAL_OK)
		abort();
	return cnt + (w ? 1 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t         left = size;
	CalEntry       entries[64];
	size_t         n = size > 0 ? (size_t) (data[0] % 64) : 0;
	int32_t        lo = cal_day_from_ymd(2015, 1, 1);
	int32_t        hi = cal_day_from_ymd(2030, 12, 31);
	size_t         i;
	size_t         mem_size;
	void          *mem;
	Calendar      *cal;

	if (left > 0)
	{
		p++;
		left--;
	}
	for (i = 0; i < n; i++)
	{
		uint32_t v = take32(&p, &left);

		entries[i].day = lo + (int32_t) (v % (uint32_t) (hi - lo + 1));
		entries[i].kind = (v >> 31) ? CAL_WORKDAY : CAL_HOLIDAY;
	}
	mem_size = cal_size(entries, n);
	if (mem_size == 0)
		abort(); /* every entry is in range */
	mem = malloc(mem_size);
	cal = cal_build(mem, mem_size, entries, n);
	if (cal == NULL)
		abort();

	while (left > 0)
	{
		uint32_t   a = take32(&p, &left);
		uint32_t   b = take32(&p, &left);
		CalMissing missing = (b & 1) ? CAL_MISSING_WEEKENDS : CAL_MISSING_ERROR;
		/* near the data most of the time, anywhere in the date range sometimes */
		int32_t day =
			(a & 0x80000000u)
				? CAL_DAY_MIN + (int32_t) (a % (uint32_t) ((int64_t) CAL_DAY_MAX - CAL_DAY_MIN + 1))
				: lo - 400 + (int32_t) (a % (uint32_t) (hi - lo + 800));
		int32_t k = (b & 2) ? (int32_t) b : (int32_t) ((b >> 2) % 201) - 100;
		int32_t x = 0;
		int32_t cnt = 0;
		int32_t bad = 0;
		bool    w = false;

		if (cal_add_working_days(cal, missing, day, k, &x, &bad) == CAL_OK)
		{
			if (cal_is_working(cal, CAL_MISSING_WEEKENDS, x, &w, NULL) != CAL_OK || !w)
				abort();
			/* exactly |k| working days from d (exclusive) to x (inclusive), in its direction */
			if (k > 0 && (x <= day || count_in(cal, day + 1, x) != k))
				abort();
			if (k < 0 && (x >= day || count_in(cal, x, day - 1) != -k))
				abort();
			if (k == 0 && (x < day || count_in(cal, day, x - 1) != 0))
				abort();
		}
		(void) cal_working_days_between(cal, missing, day, (int32_t) b, &cnt, &bad);

		{
			CalFrequency f = (CalFrequency) (a % CAL_FREQ_COUNT);
			CalProfile   prof = (b & 4) ? CAL_PROFILE_ZHENGZHOU : CAL_PROFILE_HENGYANG;
			int32_t      start = cal_period_start_of(f, day);
			int32_t      end = 0;
			int32_t      due = 0;

			if (cal_period_end(f, start, &end) == CAL_OK &&
				cal_due_date(cal, missing, prof, f, start, (b & 8) != 0, &due, &bad) == CAL_OK &&
				due < end)
				abort();
			(void) cal_due_date_rule(cal, missing, day, (int32_t) (b >> 8), (CalOffsetUnit) (b & 1),
									 true, &due, &bad);
		}
	}
	free(mem);
	return 0;
}
