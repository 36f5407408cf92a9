/*
 * deadline.h
 *		Pure core: the state of one reporting obligation (catalog item x
 *		providing unit x period) from its submissions, its rectification
 *		windows, and the due date of each period.
 *
 * The rules (docs/deadlines.md, each with its article of seeds/000):
 *  - a period is due on its due date (art. 8, calendar.h); reporting on the
 *    due date itself is on time;
 *  - late, missing, hidden or wrong data must be put right at once, and what
 *    is not put right within 5 working days costs the unit 2 points per item
 *    and time (art. 31 (二)).  A "defect episode" opens when the due date
 *    passes with nothing reported (reason missing), or when the platform
 *    receives a rejected or error-laden submission (reasons rejected,
 *    accepted_with_errors) while no episode is open.  It closes when an
 *    accepted submission arrives.  Its window ends 5 working days after it
 *    opened (add_working_days(opened, 5)); an episode not closed by then is
 *    "missed" and gives exactly one deduction.
 *
 * Days are numbered as in calendar.h (PostgreSQL DateADT).  No PostgreSQL
 * headers: the unit tests and fuzzers call this directly.
 */
#ifndef TAXSHARE_DEADLINE_H
#define TAXSHARE_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/calendar.h"

/* seeds/000 art. 31 (二): "5个工作日内未执行到位的,每次每项扣2分" */
#define DL_RECTIFY_WORKING_DAYS 5
#define DL_DEDUCTION_POINTS     (-2)
/* seeds/000 art. 8: the exchange forwards "在收到...后3个工作日内" */
#define DL_FORWARD_WORKING_DAYS 3

/* Outcome of a submission (taxshare.submission.status, loading excluded). */
typedef enum DlSubStatus
{
	DL_SUB_ACCEPTED,
	DL_SUB_WITH_ERRORS, /* accepted_with_errors: some rows sent back */
	DL_SUB_REJECTED,    /* every row sent back */
	DL_SUB_INVALID = -1
} DlSubStatus;

typedef enum DlStatus
{
	DL_PENDING,   /* nothing reported, not yet due (or due date unknown) */
	DL_ON_TIME,   /* accepted, reported by the due date, never defective */
	DL_LATE,      /* accepted now, but a defect was not put right in its window */
	DL_MISSING,   /* nothing reported, due date passed */
	DL_RECTIFIED, /* accepted now; every defect was put right in its window */
	DL_DEFECTIVE  /* the current submission is rejected or has errors */
} DlStatus;

typedef enum DlReason
{
	DL_REASON_MISSING, /* nothing reported by the due date */
	DL_REASON_REJECTED,
	DL_REASON_WITH_ERRORS
} DlReason;

typedef enum DlWindowState
{
	DL_WINDOW_OPEN,  /* not put right yet, window not over (or its end unknown) */
	DL_WINDOW_MET,   /* put right on or before the window's last day */
	DL_WINDOW_MISSED /* not put right by the window's last day: one deduction */
} DlWindowState;

typedef struct DlSubmission
{
	int64_t     id;          /* arrival order at the platform */
	int32_t     acted_on;    /* day the unit reported: exchange receipt, else platform receipt */
	int32_t     received_on; /* day the platform received (and judged) it */
	DlSubStatus status;
} DlSubmission;

typedef struct DlWindow
{
	DlReason      reason;
	int32_t       opened_on;
	bool          closes_known; /* false: the calendar lacks a year it needs */
	int32_t       closes_on;    /* last day to put it right */
	bool          rectified;
	int32_t       rectified_on;
	int64_t       rectified_by; /* the accepted submission that put it right */
	DlWindowState state;
} DlWindow;

typedef struct DlResult
{
	DlStatus    status;
	int         nsubmissions; /* submissions received on or before as_of */
	bool        has_first;
	int32_t     first_on; /* earliest acted_on */
	bool        has_current;
	int64_t     current_id; /* latest arrival */
	DlSubStatus current_status;
	bool        late_known; /* false when the due date is unknown */
	int32_t     days_late;  /* calendar days after the due date (0 if on time) */
	bool        wd_late_known;
	int32_t     working_days_late;
	bool        next_known;
	int32_t     next_change_on; /* earliest as_of at which time alone changes the state */
	int32_t     missing_year;   /* a year without holiday data that left something unknown, or 0 */
	int         nwindows;
} DlResult;

/* Windows dl_evaluate() may write for n submissions. */
#define DL_MAX_WINDOWS(n) ((n) + 1)

/*
 * The state of an obligation as of day as_of.  Submissions received after
 * as_of are ignored; the others are taken in arrival order (id), whatever
 * order they are given in (subs is sorted in place).  due_known = false means
 * the due date could not be computed yet (a year without holiday data): the
 * period is treated as not yet due.  windows must hold DL_MAX_WINDOWS(nsubs).
 * Returns CAL_OK, or another CalStatus when a date is out of range; a year
 * without holiday data (with CAL_MISSING_ERROR) is not an error here but
 * leaves the affected values unknown and sets missing_year.
 */
extern CalStatus dl_evaluate(const Calendar *cal, CalMissing missing, int32_t as_of, bool due_known,
							 int32_t due, DlSubmission *subs, int nsubs, DlWindow *windows,
							 DlResult *out);

/* A period's deadline rule: a built-in profile, or an item's own offset. */
typedef struct DlRule
{
	CalProfile    profile;
	bool          has_offset;
	int32_t       offset;
	CalOffsetUnit offset_unit;
	bool          roll_forward;
} DlRule;

/*
 * The end and due date of the period of f starting at start.  CAL_OK, or
 * CAL_ERR_MISSING_YEAR (*end is set, the due date is unknown, *bad_year names
 * the year), or another error.
 */
extern CalStatus dl_period_due(const Calendar *cal, CalMissing missing, const DlRule *rule,
							   CalFrequency f, int32_t start, int32_t *end, int32_t *due,
							   int32_t *bad_year);

/* Words for the enums, as stored in the tables. */
extern const char *dl_status_name(DlStatus s);
extern const char *dl_reason_name(DlReason r);
extern const char *dl_window_state_name(DlWindowState s);
extern DlSubStatus dl_sub_status_parse(const char *s, size_t len);

#endif /* TAXSHARE_DEADLINE_H */
