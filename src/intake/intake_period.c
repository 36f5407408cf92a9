/*
 * intake_period.c
 *		Which days start a reporting period of each catalog frequency, and
 *		where that period ends (DOMAIN.md, "Reporting deadlines"), by way of
 *		the calendar core, plus the hint intake shows when a day does not.
 */
#include "taxshare.h"

#include "utils/date.h"

#include "calendar/calendar.h"
#include "intake/intake.h"

/*
 * Does start begin a period of frequency?  The calendar core owns the rules
 * (monthly: the 1st; quarterly: Jan/Apr/Jul/Oct 1; semiannual: Jan/Jul 1;
 * annual: Jan 1; weekly: a Monday; daily, realtime and adhoc: any day);
 * DateADT and the calendar's day numbers both count from 2000-01-01.
 * *end gets the period's last day.
 */
bool
intake_period_check(const char *frequency, DateADT start, DateADT *end)
{
	CalFrequency f = cal_frequency_parse(frequency, strlen(frequency));
	int32_t      last;

	*end = start;
	if (f == CAL_FREQ_INVALID || DATE_NOT_FINITE(start))
		return false;
	if (cal_period_check(f, start) != CAL_OK || cal_period_end(f, start, &last) != CAL_OK)
		return false;
	*end = last;
	return true;
}

const char *
intake_period_hint(const char *frequency)
{
	if (strcmp(frequency, "weekly") == 0)
		return "A weekly item's period starts on a Monday.";
	if (strcmp(frequency, "monthly") == 0)
		return "A monthly item's period starts on the 1st of a month, e.g. 2024-03-01.";
	if (strcmp(frequency, "quarterly") == 0)
		return "A quarterly item's period starts on January, April, July or October 1.";
	if (strcmp(frequency, "semiannual") == 0)
		return "A semiannual item's period starts on January 1 or July 1.";
	if (strcmp(frequency, "annual") == 0)
		return "An annual item's period starts on January 1.";
	return "Any day starts a period of this item.";
}
