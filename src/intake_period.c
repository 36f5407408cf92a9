/*
 * intake_period.c
 *		Which days start a reporting period of each catalog frequency, and
 *		where that period ends (DOMAIN.md, "Reporting deadlines").
 */
#include "taxshare.h"

#include "utils/datetime.h"

#include "intake.h"

/* First day of month m (1..13 = January of the next year) of year y, as a DateADT. */
static DateADT
first_of(int y, int m)
{
	if (m > 12)
	{
		y++;
		m -= 12;
	}
	return date2j(y, m, 1) - POSTGRES_EPOCH_JDATE;
}

/*
 * Does start begin a period of frequency?  monthly: the 1st; quarterly:
 * Jan/Apr/Jul/Oct 1; semiannual: Jan/Jul 1; annual: Jan 1; weekly: a Monday;
 * daily, realtime and adhoc: any day.  *end gets the period's last day.
 */
bool
intake_period_check(const char *frequency, DateADT start, DateADT *end)
{
	int			y,
				m,
				d;

	if (DATE_NOT_FINITE(start))
		return false;
	j2date(start + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	*end = start;
	if (strcmp(frequency, "daily") == 0 || strcmp(frequency, "realtime") == 0 ||
		strcmp(frequency, "adhoc") == 0)
		return true;
	if (strcmp(frequency, "weekly") == 0)
	{
		*end = start + 6;
		return j2day(start + POSTGRES_EPOCH_JDATE) == 1;
	}
	if (d != 1)
		return false;
	if (strcmp(frequency, "monthly") == 0)
	{
		*end = first_of(y, m + 1) - 1;
		return true;
	}
	if (strcmp(frequency, "quarterly") == 0)
	{
		*end = first_of(y, m + 3) - 1;
		return m % 3 == 1;
	}
	if (strcmp(frequency, "semiannual") == 0)
	{
		*end = first_of(y, m + 6) - 1;
		return m == 1 || m == 7;
	}
	if (strcmp(frequency, "annual") == 0)
	{
		*end = first_of(y, 13) - 1;
		return m == 1;
	}
	return false;
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
