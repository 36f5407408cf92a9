/*
 * deadline.c
 *		Pure core: the state of a reporting obligation from its submissions,
 *		its rectification windows, and the due date of each period.
 *
 * The rules are stated in deadline.h and docs/deadlines.md; this file is the
 * one place that applies them.  seeds/000 art. 8 gives the deadlines (through
 * calendar.c), art. 31 (二) the 5-working-day rectification window and the
 * 2-point deduction per item and time.
 */
#include "deadline/deadline.h"

#include <stdlib.h>
#include <string.h>

static int
sub_cmp(const void *a, const void *b)
{
	const DlSubmission *x = (const DlSubmission *) a;
	const DlSubmission *y = (const DlSubmission *) b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Remember the first year without data that left a value unknown. */
static void
note_missing(DlResult *out, int32_t year)
{
	if (out->missing_year == 0 || year < out->missing_year)
		out->missing_year = year;
}

/* Open a window at day: its last day is DL_RECTIFY_WORKING_DAYS working days later. */
static CalStatus
open_window(const Calendar *cal, CalMissing missing, DlWindow *w, DlReason reason, int32_t day,
			DlResult *out)
{
	int32_t   bad_year = 0;
	CalStatus st;

	memset(w, 0, sizeof(*w));
	w->reason = reason;
	w->opened_on = day;
	w->state = DL_WINDOW_OPEN;
	st = cal_add_working_days(cal, missing, day, DL_RECTIFY_WORKING_DAYS, &w->closes_on, &bad_year);
	if (st == CAL_OK)
		w->closes_known = true;
	else if (st == CAL_ERR_MISSING_YEAR)
		note_missing(out, bad_year);
	else
		return st;
	return CAL_OK;
}

static void
rectify_window(DlWindow *w, const DlSubmission *s)
{
	w->rectified = true;
	/* reported through the exchange before the defect was known: counts from the opening */
	w->rectified_on = s->acted_on > w->opened_on ? s->acted_on : w->opened_on;
	w->rectified_by = s->id;
}

static void
earliest(bool *known, int32_t *day, int32_t candidate)
{
	if (!*known || candidate < *day)
		*day = candidate;
	*known = true;
}

CalStatus
dl_evaluate(const Calendar *cal, CalMissing missing, int32_t as_of, bool due_known, int32_t due,
			DlSubmission *subs, int nsubs, DlWindow *windows, DlResult *out)
{
	int       n = 0;
	int       i;
	DlWindow *open = NULL;
	bool      reported_by_due = false;
	bool      any_missed = false;
	CalStatus st;
	int32_t   bad_year = 0;

	memset(out, 0, sizeof(*out));

	/*
	 * Only what the platform had received by as_of, in arrival order; one
	 * received later changes the state on its day.
	 */
	for (i = 0; i < nsubs; i++)
	{
		if (subs[i].received_on <= as_of)
			subs[n++] = subs[i];
		else
			earliest(&out->next_known, &out->next_change_on, subs[i].received_on);
	}
	if (n > 1)
		qsort(subs, n, sizeof(DlSubmission), sub_cmp);
	out->nsubmissions = n;

	for (i = 0; i < n; i++)
	{
		earliest(&out->has_first, &out->first_on, subs[i].acted_on);
		if (due_known && subs[i].acted_on <= due)
			reported_by_due = true;
	}

	/* Nothing reported by a due date that has passed: a "missing" episode. */
	if (due_known && as_of > due && !reported_by_due)
	{
		open = &windows[out->nwindows++];
		st = open_window(cal, missing, open, DL_REASON_MISSING, due, out);
		if (st != CAL_OK)
			return st;
	}

	for (i = 0; i < n; i++)
	{
		const DlSubmission *s = &subs[i];

		if (s->status == DL_SUB_ACCEPTED)
		{
			if (open)
			{
				rectify_window(open, s);
				open = NULL;
			}
		}
		else if (open == NULL)
		{
			/* the platform judges on receipt: the window opens that day */
			open = &windows[out->nwindows++];
			st = open_window(cal, missing, open,
							 s->status == DL_SUB_REJECTED ? DL_REASON_REJECTED
														  : DL_REASON_WITH_ERRORS,
							 s->received_on, out);
			if (st != CAL_OK)
				return st;
		}
	}

	/* Window states as of as_of; time alone changes an open one after its last day. */
	for (i = 0; i < out->nwindows; i++)
	{
		DlWindow *w = &windows[i];

		if (w->rectified)
			w->state = (w->closes_known && w->rectified_on > w->closes_on) ? DL_WINDOW_MISSED
																		   : DL_WINDOW_MET;
		else if (w->closes_known && as_of > w->closes_on)
			w->state = DL_WINDOW_MISSED;
		else
		{
			w->state = DL_WINDOW_OPEN;
			if (w->closes_known)
				earliest(&out->next_known, &out->next_change_on, w->closes_on + 1);
			else
				earliest(&out->next_known, &out->next_change_on, as_of + 1);
		}
		if (w->state == DL_WINDOW_MISSED)
			any_missed = true;
	}

	if (n == 0)
	{
		if (due_known && as_of > due)
			out->status = DL_MISSING;
		else
		{
			out->status = DL_PENDING;
			if (due_known)
				earliest(&out->next_known, &out->next_change_on, due + 1);
		}
	}
	else
	{
		const DlSubmission *cur = &subs[n - 1];

		out->has_current = true;
		out->current_id = cur->id;
		out->current_status = cur->status;
		if (cur->status != DL_SUB_ACCEPTED)
			out->status = DL_DEFECTIVE;
		else if (out->nwindows == 0)
			out->status = DL_ON_TIME;
		else
			out->status = any_missed ? DL_LATE : DL_RECTIFIED;
	}

	/* An unknown due date is looked at again every day until it is known. */
	if (!due_known)
		earliest(&out->next_known, &out->next_change_on, as_of + 1);

	/* Lateness of the first report, or of the missing one so far. */
	if (due_known)
	{
		int32_t upto;

		out->late_known = true;
		if (out->has_first)
			upto = out->first_on;
		else
			upto = as_of;
		if (upto > due)
		{
			out->days_late = upto - due;
			st = cal_working_days_between(cal, missing, due, upto, &out->working_days_late,
										  &bad_year);
			if (st == CAL_OK)
				out->wd_late_known = true;
			else if (st == CAL_ERR_MISSING_YEAR)
				note_missing(out, bad_year);
			else
				return st;
		}
		else
		{
			out->days_late = 0;
			out->working_days_late = 0;
			out->wd_late_known = true;
		}
	}
	return CAL_OK;
}

CalStatus
dl_period_due(const Calendar *cal, CalMissing missing, const DlRule *rule, CalFrequency f,
			  int32_t start, int32_t *end, int32_t *due, int32_t *bad_year)
{
	CalStatus st = cal_period_end(f, start, end);

	if (st != CAL_OK)
		return st;
	if (rule->has_offset)
		return cal_due_date_rule(cal, missing, *end, rule->offset, rule->offset_unit,
								 rule->roll_forward, due, bad_year);
	return cal_due_date(cal, missing, rule->profile, f, start, rule->roll_forward, due, bad_year);
}

const char *
dl_status_name(DlStatus s)
{
	switch (s)
	{
		case DL_PENDING:
			return "pending";
		case DL_ON_TIME:
			return "on_time";
		case DL_LATE:
			return "late";
		case DL_MISSING:
			return "missing";
		case DL_RECTIFIED:
			return "rectified";
		case DL_DEFECTIVE:
			return "defective";
	}
	return "?";
}

const char *
dl_reason_name(DlReason r)
{
	switch (r)
	{
		case DL_REASON_MISSING:
			return "missing";
		case DL_REASON_REJECTED:
			return "rejected";
		case DL_REASON_WITH_ERRORS:
			return "accepted_with_errors";
	}
	return "?";
}

const char *
dl_window_state_name(DlWindowState s)
{
	switch (s)
	{
		case DL_WINDOW_OPEN:
			return "open";
		case DL_WINDOW_MET:
			return "met";
		case DL_WINDOW_MISSED:
			return "missed";
	}
	return "?";
}

DlSubStatus
dl_sub_status_parse(const char *s, size_t len)
{
	static const struct
	{
		const char *word;
		DlSubStatus status;
	} words[] = {
		{"accepted", DL_SUB_ACCEPTED},
		{"accepted_with_errors", DL_SUB_WITH_ERRORS},
		{"rejected", DL_SUB_REJECTED},
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == len && memcmp(words[i].word, s, len) == 0)
			return words[i].status;
	return DL_SUB_INVALID;
}
