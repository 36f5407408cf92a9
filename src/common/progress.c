/*
 * progress.c
 *		Report the progress of long work in pg_stat_activity and as NOTICEs.
 */
#include "taxshare.h"

#include "miscadmin.h"
#include "pgstat.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/guc.h"

#include "common/progress.h"

/* Seconds between progress NOTICEs; 0 sends none. */
int taxshare_progress_interval = 10;

/* pg_stat_activity is refreshed at most this often (milliseconds). */
#define ACTIVITY_REFRESH_MS 500

void
progress_init(void)
{
	DefineCustomIntVariable(
		"taxshare.progress_interval",
		"Seconds between progress notices of long taxshare operations.",
		"0 turns the notices off; pg_stat_activity.query always shows progress.",
		&taxshare_progress_interval, 10, 0, 86400, PGC_USERSET, GUC_UNIT_S, NULL, NULL, NULL);
}

static void
progress_describe(ProgressState *p, char *buf, size_t len)
{
	double secs = (GetCurrentTimestamp() - p->started) / 1000000.0;

	if (p->total > 0)
		snprintf(buf, len,
				 "taxshare %s: " INT64_FORMAT " of " INT64_FORMAT " %s (%.0f%%) in %.1f s", p->what,
				 p->done, p->total, p->unit, 100.0 * (double) p->done / (double) p->total, secs);
	else
		snprintf(buf, len, "taxshare %s: " INT64_FORMAT " %s in %.1f s", p->what, p->done, p->unit,
				 secs);
}

void
progress_begin(ProgressState *p, const char *what, const char *unit, int64 total)
{
	char buf[256];

	memset(p, 0, sizeof(*p));
	p->what = what;
	p->unit = unit;
	p->total = total;
	p->started = p->last_activity = p->last_notice = GetCurrentTimestamp();
	progress_describe(p, buf, sizeof(buf));
	pgstat_report_activity(STATE_RUNNING, buf);
}

void
progress_update(ProgressState *p, int64 done)
{
	TimestampTz now;
	char        buf[256];

	p->done = done;
	if ((++p->calls & 255) != 0)
		return;

	now = GetCurrentTimestamp();
	if (TimestampDifferenceExceeds(p->last_activity, now, ACTIVITY_REFRESH_MS))
	{
		progress_describe(p, buf, sizeof(buf));
		pgstat_report_activity(STATE_RUNNING, buf);
		p->last_activity = now;

		if (taxshare_progress_interval > 0 &&
			TimestampDifferenceExceeds(p->last_notice, now, taxshare_progress_interval * 1000))
		{
			ereport(NOTICE, (errmsg("%s", buf)));
			p->last_notice = now;
		}
	}
}

void
progress_end(ProgressState *p)
{
	pgstat_report_activity(STATE_RUNNING, debug_query_string ? debug_query_string : "");
}
