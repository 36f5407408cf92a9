/*
 * calendar_fmgr.h
 *		The working-day calendar for other C modules: entry points on DateADT
 *		that use the per-backend cached calendar and the calendar's settings
 *		and raise the same errors as the SQL functions, and the parsers of
 *		frequency, profile and offset-unit words.
 *
 * After the first call in a backend each call costs a few arithmetic
 * operations and no catalog or table access.  Parse the words once per
 * catalog item with calendar_frequency() etc., not once per period.  The
 * deadline module parses its words here but computes on a calendar of its
 * own, read per query (src/calendar/README.md).
 */
#ifndef TAXSHARE_CALENDAR_FMGR_H
#define TAXSHARE_CALENDAR_FMGR_H

#include "postgres.h"

#include "utils/date.h"

#include "calendar/calendar.h"

/* GUCs: taxshare.calendar_missing_year, .due_date_roll_forward, .deadline_profile */
extern int  taxshare_calendar_missing_year; /* a CalMissing */
extern bool taxshare_due_date_roll_forward;
extern int  taxshare_deadline_profile; /* a CalProfile */

/* Defines the GUCs and the cache invalidation callback; called from _PG_init. */
extern void calendar_init(void);

extern bool    calendar_is_working_day(DateADT day);
extern DateADT calendar_add_working_days(DateADT day, int32 n);
extern int32   calendar_working_days_between(DateADT a, DateADT b);
extern DateADT calendar_next_working_day(DateADT day);

/* Words -> enums; 22023 with the valid words for anything else. */
extern CalFrequency  calendar_frequency(const char *word, size_t len);
extern CalProfile    calendar_profile(const char *word, size_t len);
extern CalOffsetUnit calendar_offset_unit(const char *word, size_t len);

/* 22023 with a hint if period_start does not start a period of f. */
extern DateADT calendar_period_end(CalFrequency f, DateADT period_start);
extern DateADT calendar_due_date(CalFrequency f, DateADT period_start, CalProfile profile);
extern DateADT calendar_due_date_rule(DateADT period_end, int32 offset, CalOffsetUnit unit);

#endif /* TAXSHARE_CALENDAR_FMGR_H */
