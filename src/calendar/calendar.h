/*
 * calendar.h
 *		Pure core: the statutory working-day calendar and reporting due dates.
 *
 * Days are numbered as PostgreSQL numbers a date (DateADT): days since
 * 2000-01-01, which was a Saturday.  A Calendar is built once from the rows of
 * taxshare.holiday (holidays and make-up working days, 调休) and then answers
 * every question in constant time: a bitmap of working days over the years that
 * have data, a prefix count of working days for counting, and the list of
 * working days for "the n-th working day after".  Outside the years with data
 * the calendar is Monday to Friday, which callers may use only when
 * taxshare.calendar_missing_year = weekends; with CAL_MISSING_ERROR every
 * function that would look at a day of a year without data fails with
 * CAL_ERR_MISSING_YEAR and names the year.
 *
 * No PostgreSQL headers: unit tests and fuzzers call this directly.  The glue
 * (calendar_fmgr.c) keeps one Calendar per backend.
 */
#ifndef TAXSHARE_CALENDAR_H
#define TAXSHARE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The dates PostgreSQL accepts, as day numbers (4714-11-24 BC .. 5874897-12-31). */
#define CAL_DAY_MIN (-2451545)
#define CAL_DAY_MAX 2145031948

/* Years a Calendar can hold data for (taxshare.holiday checks the same range). */
#define CAL_DATA_YEAR_MIN 1950
#define CAL_DATA_YEAR_MAX 2199

typedef enum CalStatus
{
	CAL_OK = 0,
	CAL_ERR_MISSING_YEAR,  /* a year without data, in CAL_MISSING_ERROR mode */
	CAL_ERR_RANGE,         /* the result is not a valid date */
	CAL_ERR_BAD_PERIOD,    /* period_start does not start a period of the frequency */
	CAL_ERR_BAD_FREQUENCY, /* no regular periods (realtime, adhoc) or unknown */
	CAL_ERR_BAD_INPUT      /* a negative offset, a holiday row outside the data years */
} CalStatus;

/* What a year without holiday data means. */
typedef enum CalMissing
{
	CAL_MISSING_ERROR,   /* an error naming the year (default) */
	CAL_MISSING_WEEKENDS /* Monday to Friday are working days */
} CalMissing;

/* One row of taxshare.holiday. */
typedef enum CalKind
{
	CAL_HOLIDAY, /* a day off (also a weekend day inside a holiday period) */
	CAL_WORKDAY  /* a weekend day made a working day (调休上班) */
} CalKind;

typedef struct CalEntry
{
	int32_t day;
	CalKind kind;
} CalEntry;

typedef struct Calendar Calendar;

/* Bytes cal_build() needs for these entries; 0 if an entry is outside CAL_DATA_YEAR_*. */
extern size_t cal_size(const CalEntry *entries, size_t n);

/*
 * Build a calendar in mem (at least cal_size() bytes, suitably aligned, e.g.
 * from malloc or palloc).  The calendar lives entirely inside mem: freeing mem
 * frees it.  Returns NULL if size is too small or an entry is out of range.
 * Entries may come in any order; for a day given twice the last one counts.
 */
extern Calendar *cal_build(void *mem, size_t size, const CalEntry *entries, size_t n);

/* Does the calendar hold data (at least one row) for this year? */
extern bool cal_year_has_data(const Calendar *cal, int32_t year);

/*
 * The arithmetic.  On CAL_ERR_MISSING_YEAR, *bad_year (if not NULL) is the
 * first year without data among the days the answer depends on.
 *
 * cal_is_working: is day a working day?
 * cal_add_working_days: n > 0: the n-th working day after day; n < 0: the
 *		|n|-th working day before day; n = 0: day itself if it is a working day,
 *		else the next working day.
 * cal_working_days_between: the number of working days d with a < d <= b;
 *		when b < a, minus the number with b < d <= a.
 * cal_next_working_day: the first working day strictly after day.
 */
extern CalStatus cal_is_working(const Calendar *cal, CalMissing missing, int32_t day, bool *result,
								int32_t *bad_year);
extern CalStatus cal_add_working_days(const Calendar *cal, CalMissing missing, int32_t day,
									  int32_t n, int32_t *result, int32_t *bad_year);
extern CalStatus cal_working_days_between(const Calendar *cal, CalMissing missing, int32_t a,
										  int32_t b, int32_t *result, int32_t *bad_year);
extern CalStatus cal_next_working_day(const Calendar *cal, CalMissing missing, int32_t day,
									  int32_t *result, int32_t *bad_year);

/* Civil dates (proleptic Gregorian, as PostgreSQL). */
extern int32_t cal_day_from_ymd(int32_t year, int32_t month, int32_t mday);
extern void    cal_ymd_from_day(int32_t day, int32_t *year, int32_t *month, int32_t *mday);
/* 1 = Monday .. 7 = Sunday, as extract(isodow). */
extern int cal_isodow(int32_t day);

/* Reporting frequencies of the sharing catalog (报送频度). */
typedef enum CalFrequency
{
	CAL_FREQ_REALTIME, /* 实时/接口: as it happens */
	CAL_FREQ_ADHOC,    /* 临时: immediately */
	CAL_FREQ_DAILY,
	CAL_FREQ_WEEKLY, /* weeks start on Monday */
	CAL_FREQ_MONTHLY,
	CAL_FREQ_QUARTERLY,
	CAL_FREQ_SEMIANNUAL,
	CAL_FREQ_ANNUAL,
	CAL_FREQ_INVALID = -1
} CalFrequency;

#define CAL_FREQ_COUNT (CAL_FREQ_ANNUAL + 1)

/* The valid words, for error hints. */
#define CAL_FREQUENCY_WORDS "realtime, adhoc, daily, weekly, monthly, quarterly, semiannual, annual"

/* ASCII case-insensitive; CAL_FREQ_INVALID for anything else. */
extern CalFrequency cal_frequency_parse(const char *s, size_t len);
extern const char  *cal_frequency_name(CalFrequency f);

/*
 * Periods.  cal_period_start_of: the start of the period of f containing day
 * (realtime, adhoc: day itself).  cal_period_check: CAL_OK if start starts a
 * period of f, else CAL_ERR_BAD_PERIOD.  cal_period_end: the last day of the
 * period that starts at start (realtime, adhoc: start).  cal_period_next: the
 * start of the following period (CAL_ERR_BAD_FREQUENCY for realtime and adhoc,
 * which have no regular periods).
 */
extern int32_t   cal_period_start_of(CalFrequency f, int32_t day);
extern CalStatus cal_period_check(CalFrequency f, int32_t start);
extern CalStatus cal_period_end(CalFrequency f, int32_t start, int32_t *end);
extern CalStatus cal_period_next(CalFrequency f, int32_t start, int32_t *next);

/* Built-in deadline profiles (taxshare.deadline_profile). */
typedef enum CalProfile
{
	CAL_PROFILE_HENGYANG,  /* seeds/000 art. 8: the default */
	CAL_PROFILE_ZHENGZHOU, /* seeds/002 art. 9 */
	CAL_PROFILE_INVALID = -1
} CalProfile;

#define CAL_PROFILE_WORDS "hengyang, zhengzhou"

extern CalProfile  cal_profile_parse(const char *s, size_t len);
extern const char *cal_profile_name(CalProfile p);

/*
 * The due date of the report for the period of frequency f starting at start,
 * under profile p.  With roll_forward a due date that falls on a day off moves
 * to the next working day.  CAL_ERR_BAD_PERIOD if start does not start a
 * period of f.
 */
extern CalStatus cal_due_date(const Calendar *cal, CalMissing missing, CalProfile p, CalFrequency f,
							  int32_t start, bool roll_forward, int32_t *due, int32_t *bad_year);

/*
 * A catalog item's own rule: offset days after the last day of the period.
 * CAL_OFFSET_CALENDAR counts calendar days (then rolls forward if asked);
 * CAL_OFFSET_WORKING counts working days with cal_add_working_days (offset 0:
 * the period end if it is a working day, else the next working day).
 * CAL_ERR_BAD_INPUT for a negative offset.
 */
typedef enum CalOffsetUnit
{
	CAL_OFFSET_CALENDAR,
	CAL_OFFSET_WORKING,
	CAL_OFFSET_INVALID = -1
} CalOffsetUnit;

extern CalOffsetUnit cal_offset_unit_parse(const char *s, size_t len);
extern CalStatus     cal_due_date_rule(const Calendar *cal, CalMissing missing, int32_t period_end,
									   int32_t offset, CalOffsetUnit unit, bool roll_forward,
									   int32_t *due, int32_t *bad_year);

#endif /* TAXSHARE_CALENDAR_H */
