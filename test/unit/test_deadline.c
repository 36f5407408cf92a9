/*
 * test_deadline.c
 *		Unit tests of the obligation core (src/deadline/deadline.c) on a calendar with
 *		the 2024 National Day holiday: 1-7 October off, Sunday 29 September
 *		and Saturday 12 October worked (国办发明电〔2023〕7号).  Expected values
 *		are counted by hand on that calendar.
 */
#include <stdlib.h>

#include "deadline/deadline.h"
#include "tap.h"

static int32_t
D(int y, int m, int d)
{
	return cal_day_from_ymd(y, m, d);
}

static Calendar *
calendar_2024(void)
{
	CalEntry e[10];
	int      n = 0;
	int      d;
	size_t   size;

	e[n].day = D(2024, 9, 29);
	e[n++].kind = CAL_WORKDAY;
	for (d = 1; d <= 7; d++)
	{
		e[n].day = D(2024, 10, d);
		e[n++].kind = CAL_HOLIDAY;
	}
	e[n].day = D(2024, 10, 12);
	e[n++].kind = CAL_WORKDAY;
	size = cal_size(e, n);
	return cal_build(malloc(size), size, e, n);
}

static DlSubmission
sub(int64_t id, int32_t acted, int32_t received, DlSubStatus st)
{
	DlSubmission s;

	s.id = id;
	s.acted_on = acted;
	s.received_on = received;
	s.status = st;
	return s;
}

int
main(void)
{
	Calendar    *cal = calendar_2024();
	DlSubmission s[4];
	DlWindow     w[DL_MAX_WINDOWS(4)];
	DlResult     r;
	int32_t      due = D(2024, 9, 27); /* a Friday before the holiday */
	int32_t      end, due2, bad_year = 0;
	DlRule       rule = {CAL_PROFILE_HENGYANG, false, 0, CAL_OFFSET_CALENDAR, true};

	ok(cal != NULL, "calendar built");

	/* Nothing submitted. */
	is_int(dl_evaluate(cal, CAL_MISSING_ERROR, due, true, due, s, 0, w, &r), CAL_OK, "evaluate ok");
	is_str(dl_status_name(r.status), "pending", "nothing submitted on the due date: pending");
	is_int(r.next_change_on, due + 1, "pending changes the day after the due date");
	is_int(r.nwindows, 0, "no window while pending");

	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 9, 28), true, due, s, 0, w, &r);
	is_str(dl_status_name(r.status), "missing", "nothing submitted after the due date: missing");
	is_int(r.nwindows, 1, "a missing obligation opens one window");
	is_str(dl_reason_name(w[0].reason), "missing", "window reason missing");
	is_int(w[0].opened_on, due, "missing window opens on the due date");
	/* 5 working days after Fri 27 Sep: Sun 29 (make-up), Mon 30, Tue 8, Wed 9, Thu 10 Oct */
	is_int(w[0].closes_on, D(2024, 10, 10),
		   "window over the National Day holiday closes 10 October");
	is_str(dl_window_state_name(w[0].state), "open", "window open");
	is_int(r.next_change_on, D(2024, 10, 11), "next change the day after the window");
	is_int(r.days_late, 1, "one calendar day late so far");
	is_int(r.working_days_late, 0, "Saturday 28 September is no working day");

	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 10), true, due, s, 0, w, &r);
	is_str(dl_window_state_name(w[0].state), "open", "still open on its last day");
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 11), true, due, s, 0, w, &r);
	is_str(dl_window_state_name(w[0].state), "missed", "missed the day after its last day");
	is_str(dl_status_name(r.status), "missing", "still missing");
	ok(!r.next_known, "a missed missing obligation changes only with a submission");
	is_int(r.working_days_late, 6, "6 working days late on 11 October");

	/* Accepted on the due date: on time. */
	s[0] = sub(1, due, due, DL_SUB_ACCEPTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "on_time", "accepted on the due date: on_time");
	is_int(r.days_late, 0, "not late");
	ok(!r.next_known, "on_time is settled");

	/* Late within the window: rectified, no deduction. */
	s[0] = sub(1, D(2024, 10, 10), D(2024, 10, 10), DL_SUB_ACCEPTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "rectified", "reported on the window's last day: rectified");
	is_str(dl_window_state_name(w[0].state), "met", "window met");
	is_int(r.days_late, 13, "13 calendar days late");
	is_int(r.working_days_late, 5, "5 working days late");

	/* Late after the window: late, window missed. */
	s[0] = sub(1, D(2024, 10, 11), D(2024, 10, 11), DL_SUB_ACCEPTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "late", "reported a day after the window: late");
	is_str(dl_window_state_name(w[0].state), "missed", "window missed");
	ok(w[0].rectified && w[0].rectified_on == D(2024, 10, 11), "put right on 11 October");

	/* The exchange received it on the due date, the platform later: on time. */
	s[0] = sub(1, due, D(2024, 9, 30), DL_SUB_ACCEPTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "on_time", "exchange receipt on the due date counts");

	/* A submission the platform has not yet received by as_of is ignored. */
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 9, 29), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "missing", "not yet at the platform: missing");
	is_int(r.nsubmissions, 0, "no submission counted");
	is_int(r.next_change_on, D(2024, 9, 30), "looked at again the day it reached the platform");

	/* Rejected before the due date, fixed within the window. */
	s[0] = sub(1, D(2024, 9, 20), D(2024, 9, 20), DL_SUB_REJECTED);
	s[1] = sub(2, D(2024, 9, 27), D(2024, 9, 27), DL_SUB_ACCEPTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 2, w, &r);
	is_int(r.nwindows, 1, "one window for the rejected submission");
	is_str(dl_reason_name(w[0].reason), "rejected", "reason rejected");
	is_int(w[0].closes_on, due, "5 working days after Fri 20 Sep is Fri 27 Sep");
	is_str(dl_status_name(r.status), "rectified", "fixed on its last day: rectified");
	is_int(r.current_id, 2, "current is the resubmission");

	/* Rejected, not fixed: defective, then missed. */
	s[0] = sub(1, D(2024, 9, 27), D(2024, 9, 27), DL_SUB_WITH_ERRORS);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 10), true, due, s, 1, w, &r);
	is_str(dl_status_name(r.status), "defective", "with errors and not fixed: defective");
	is_str(dl_reason_name(w[0].reason), "accepted_with_errors", "reason accepted_with_errors");
	is_str(dl_window_state_name(w[0].state), "open", "its window is open on 10 October");
	is_int(r.days_late, 0, "reported on the due date");
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 11), true, due, s, 1, w, &r);
	is_str(dl_window_state_name(w[0].state), "missed", "missed on 11 October");

	/* Given out of order; a second defect after a fix is a second episode. */
	s[0] = sub(4, D(2024, 10, 14), D(2024, 10, 14), DL_SUB_ACCEPTED);
	s[1] = sub(2, D(2024, 9, 26), D(2024, 9, 26), DL_SUB_ACCEPTED);
	s[2] = sub(3, D(2024, 10, 8), D(2024, 10, 8), DL_SUB_REJECTED);
	s[3] = sub(1, D(2024, 9, 25), D(2024, 9, 25), DL_SUB_REJECTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 10, 20), true, due, s, 4, w, &r);
	is_int(r.nwindows, 2, "two episodes");
	is_int(w[0].opened_on, D(2024, 9, 25), "first opened 25 September");
	is_int(w[0].rectified_by, 2, "first put right by submission 2");
	is_int(w[1].opened_on, D(2024, 10, 8), "second opened 8 October");
	is_int(w[1].closes_on, D(2024, 10, 14), "8 Oct + 5 working days (12 Oct worked) = 14 Oct");
	is_str(dl_status_name(r.status), "rectified", "both put right in time");
	is_int(r.first_on, D(2024, 9, 25), "first reported 25 September");

	/* Due date unknown: not yet due. */
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 12, 1), false, 0, s, 0, w, &r);
	is_str(dl_status_name(r.status), "pending", "unknown due date: pending");
	ok(!r.late_known, "lateness unknown");
	is_int(r.next_change_on, D(2024, 12, 2), "looked at again the next day");

	/* A window that ends in a year without data. */
	s[0] = sub(1, D(2024, 12, 27), D(2024, 12, 27), DL_SUB_REJECTED);
	dl_evaluate(cal, CAL_MISSING_ERROR, D(2024, 12, 28), true, D(2024, 12, 31), s, 1, w, &r);
	ok(!w[0].closes_known, "window end in 2025 unknown without 2025 data");
	is_int(r.missing_year, 2025, "names 2025");
	is_str(dl_window_state_name(w[0].state), "open", "stays open");
	dl_evaluate(cal, CAL_MISSING_WEEKENDS, D(2024, 12, 28), true, D(2024, 12, 31), s, 1, w, &r);
	is_int(w[0].closes_on, D(2025, 1, 3), "with weekends: 30, 31 Dec, 1, 2, 3 Jan");

	/* Due dates. */
	is_int(dl_period_due(cal, CAL_MISSING_ERROR, &rule, CAL_FREQ_MONTHLY, D(2024, 9, 1), &end,
						 &due2, &bad_year),
		   CAL_OK, "monthly September due date");
	is_int(end, D(2024, 9, 30), "September ends on the 30th");
	is_int(due2, D(2024, 10, 10), "due 10 October");
	rule.has_offset = true;
	rule.offset = 3;
	rule.offset_unit = CAL_OFFSET_WORKING;
	dl_period_due(cal, CAL_MISSING_ERROR, &rule, CAL_FREQ_MONTHLY, D(2024, 9, 1), &end, &due2,
				  &bad_year);
	is_int(due2, D(2024, 10, 10),
		   "item rule: 3 working days after 30 September (8, 9, 10 Oct) is 10 October");
	rule.has_offset = false;
	is_int(dl_period_due(cal, CAL_MISSING_ERROR, &rule, CAL_FREQ_MONTHLY, D(2024, 12, 1), &end,
						 &due2, &bad_year),
		   CAL_ERR_MISSING_YEAR, "December's due date needs 2025");
	is_int(bad_year, 2025, "names 2025");
	is_int(dl_period_due(cal, CAL_MISSING_ERROR, &rule, CAL_FREQ_MONTHLY, D(2024, 9, 2), &end,
						 &due2, &bad_year),
		   CAL_ERR_BAD_PERIOD, "2 September starts no month");

	is_int(dl_sub_status_parse("rejected", 8), DL_SUB_REJECTED, "parse rejected");
	is_int(dl_sub_status_parse("loading", 7), DL_SUB_INVALID, "loading is not a final status");

	free(cal);
	return done_testing();
}
