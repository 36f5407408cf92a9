/*
 * fuzz_deadline.c
 *		libFuzzer target for the obligation core (src/deadline/deadline.c).
 *
 * The input is read as a few holiday rows in 2023-2025, a due date, an as_of
 * day and up to 16 submissions (arrival id, reporting and receipt days near
 * the due date, outcome).  Besides the sanitizers' checks, the result must be
 * consistent: at most one window more than submissions, each window closes
 * 5 working days after it opens (when known), a missed window was not put
 * right by its last day, no window is open after its last day, an accepted
 * current submission means no window is open, and the status agrees with
 * the windows and the current submission.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deadline/deadline.h"

#define MAX_SUBS 16

static uint32_t
take(const uint8_t **p, size_t *left, int bytes)
{
	uint32_t v = 0;
	int      i;

	for (i = 0; i < bytes; i++)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t         left = size;
	int32_t        base = cal_day_from_ymd(2024, 1, 1);
	CalEntry       entries[32];
	int            nentries = (int) (take(&p, &left, 1) % 32);
	void          *mem;
	size_t         msize;
	Calendar      *cal;
	DlSubmission   subs[MAX_SUBS];
	DlWindow       w[DL_MAX_WINDOWS(MAX_SUBS)];
	DlResult       r;
	int            nsubs;
	int            i;
	int32_t        due;
	int32_t        as_of;
	bool           due_known;
	CalMissing     missing;
	int            open_windows = 0;
	bool           any_missed = false;

	for (i = 0; i < nentries; i++)
	{
		entries[i].day = base - 365 + (int32_t) (take(&p, &left, 2) % 1096);
		entries[i].kind = (take(&p, &left, 1) & 1) ? CAL_WORKDAY : CAL_HOLIDAY;
	}
	msize = cal_size(entries, nentries);
	if (msize == 0)
		return 0;
	mem = malloc(msize);
	cal = cal_build(mem, msize, entries, nentries);
	if (cal == NULL)
		abort();

	missing = (take(&p, &left, 1) & 1) ? CAL_MISSING_WEEKENDS : CAL_MISSING_ERROR;
	due = base + (int32_t) (take(&p, &left, 2) % 400);
	due_known = (take(&p, &left, 1) % 8) != 0;
	as_of = due - 30 + (int32_t) (take(&p, &left, 1) % 120);
	nsubs = (int) (take(&p, &left, 1) % (MAX_SUBS + 1));
	for (i = 0; i < nsubs; i++)
	{
		subs[i].id = (int64_t) (take(&p, &left, 1) % 32);
		subs[i].received_on = due - 30 + (int32_t) (take(&p, &left, 1) % 100);
		subs[i].acted_on = subs[i].received_on - (int32_t) (take(&p, &left, 1) % 8);
		subs[i].status = (DlSubStatus) (take(&p, &left, 1) % 3);
	}

	if (dl_evaluate(cal, missing, as_of, due_known, due, subs, nsubs, w, &r) != CAL_OK)
		abort();

	if (r.nwindows > r.nsubmissions + 1 || r.nsubmissions > nsubs)
		abort();
	for (i = 0; i < r.nwindows; i++)
	{
		int32_t closes;
		int32_t bad_year;

		if (w[i].closes_known)
		{
			if (cal_add_working_days(cal, missing, w[i].opened_on, DL_RECTIFY_WORKING_DAYS, &closes,
									 &bad_year) != CAL_OK ||
				closes != w[i].closes_on)
				abort();
			if (w[i].state == DL_WINDOW_OPEN && as_of > w[i].closes_on)
				abort();
			if (w[i].state == DL_WINDOW_MISSED && w[i].rectified &&
				w[i].rectified_on <= w[i].closes_on)
				abort();
			if (w[i].state == DL_WINDOW_MET &&
				(!w[i].rectified || w[i].rectified_on > w[i].closes_on))
				abort();
		}
		if (w[i].state == DL_WINDOW_OPEN)
		{
			open_windows++;
			if (w[i].rectified || !r.next_known || r.next_change_on <= as_of)
				abort();
		}
		if (w[i].state == DL_WINDOW_MISSED)
			any_missed = true;
	}
	if (open_windows > 1)
		abort();

	switch (r.status)
	{
		case DL_PENDING:
		case DL_MISSING:
			if (r.nsubmissions != 0 || r.has_current)
				abort();
			if (r.status == DL_MISSING && (!due_known || as_of <= due))
				abort();
			break;
		case DL_DEFECTIVE:
			if (!r.has_current || r.current_status == DL_SUB_ACCEPTED)
				abort();
			break;
		case DL_ON_TIME:
			if (r.nwindows != 0 || r.current_status != DL_SUB_ACCEPTED)
				abort();
			break;
		case DL_RECTIFIED:
			if (r.nwindows == 0 || any_missed || open_windows != 0)
				abort();
			break;
		case DL_LATE:
			if (!any_missed || open_windows != 0)
				abort();
			break;
	}
	if (r.late_known && r.days_late < 0)
		abort();
	free(mem);
	return 0;
}
