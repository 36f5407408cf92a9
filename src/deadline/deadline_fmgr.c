/*
 * deadline_fmgr.c
 *		SQL glue of the obligation core (deadline.c): the periods an item owes
 *		with their due dates, and the evaluation of obligations from their
 *		submissions.  Both are internal helpers of refresh_obligations()
 *		(control/install/62_obligation_refresh.sql, docs/deadlines.md).
 *
 * Both work on a snapshot of the working-day calendar read from
 * taxshare.holiday at the start of the call, not on the calendar glue's
 * cache: a year without holiday data must give an unknown due date (NULL,
 * looked at again at the next refresh) rather than the error the SQL
 * calendar functions raise, and the pure core reports exactly that.  The
 * snapshot lives as long as the call (or the query, for the periods).
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "calendar/calendar_fmgr.h"
#include "deadline/deadline.h"
#include "common/progress.h"

/*
 * Read taxshare.holiday into a Calendar allocated in mcxt.  The caller is
 * connected to SPI.
 */
static Calendar *
deadline_calendar_load(MemoryContext mcxt)
{
	CalEntry *entries;
	uint64    n;
	uint64    i;
	size_t    size;
	void     *mem;
	Calendar *cal;

	if (SPI_execute("SELECT day, kind = 'workday' FROM taxshare.holiday", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading taxshare.holiday failed");
	n = SPI_processed;
	entries = palloc((n > 0 ? n : 1) * sizeof(CalEntry));
	for (i = 0; i < n; i++)
	{
		bool      isnull;
		HeapTuple tup = SPI_tuptable->vals[i];

		entries[i].day = DatumGetDateADT(SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &isnull));
		entries[i].kind = DatumGetBool(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull))
							  ? CAL_WORKDAY
							  : CAL_HOLIDAY;
	}
	size = cal_size(entries, n);
	if (size == 0)
		elog(ERROR, "taxshare: taxshare.holiday holds a day outside %d..%d", CAL_DATA_YEAR_MIN,
			 CAL_DATA_YEAR_MAX);
	mem = MemoryContextAllocZero(mcxt, size);
	cal = cal_build(mem, size, entries, n);
	if (cal == NULL)
		elog(ERROR, "taxshare: building the working-day calendar failed");
	pfree(entries);
	return cal;
}

static char *
day_text(int32 day)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)));
}

/* Errors of the pure cores other than a year without data. */
static void
deadline_fail(CalStatus st, const char *item_what, int32 day)
{
	switch (st)
	{
		case CAL_ERR_BAD_PERIOD:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("%s does not start a period of %s", day_text(day), item_what)));
			break;
		case CAL_ERR_BAD_FREQUENCY:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("%s has no regular reporting periods", item_what),
							errhint("Realtime and adhoc items owe no periods.")));
			break;
		case CAL_ERR_BAD_INPUT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid deadline rule for %s", item_what),
					 errhint("Check taxshare.deadline_rule: the offset must not be negative.")));
			break;
		default:
			ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							errmsg("date out of range near %s for %s", day_text(day), item_what)));
	}
}

/* Set up a materialize-mode SRF: the tuplestore and its descriptor. */
static void
srf_materialize(FunctionCallInfo fcinfo, Tuplestorestate **store, TupleDesc *desc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext  old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "taxshare: return type must be a row type");
	*desc = BlessTupleDesc(CreateTupleDescCopy(*desc));
	*store = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = *store;
	rsinfo->setDesc = *desc;
	MemoryContextSwitchTo(old);
}

static char *
text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

static Datum
date_array(const int32 *days, const bool *nulls, int n)
{
	Datum *d = palloc((n > 0 ? n : 1) * sizeof(Datum));
	int    dims[1] = {n};
	int    lbs[1] = {1};
	int    i;

	for (i = 0; i < n; i++)
		d[i] = DateADTGetDatum(days[i]);
	return PointerGetDatum(
		construct_md_array(d, (bool *) nulls, 1, dims, lbs, DATEOID, 4, true, TYPALIGN_INT));
}

static Datum
text_array(const char **words, int n)
{
	Datum *d = palloc((n > 0 ? n : 1) * sizeof(Datum));
	int    i;

	for (i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(words[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
int8_array(const int64 *v, const bool *nulls, int n)
{
	Datum *d = palloc((n > 0 ? n : 1) * sizeof(Datum));
	int    dims[1] = {n};
	int    lbs[1] = {1};
	int    i;

	for (i = 0; i < n; i++)
		d[i] = Int64GetDatum(v[i]);
	return PointerGetDatum(construct_md_array(d, (bool *) nulls, 1, dims, lbs, INT8OID, 8,
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* Elements of a non-null one-dimensional array without nulls (int8, date or text). */
static Datum *
array_elems(Datum a, Oid type, int *n)
{
	Datum *elems;
	bool  *nulls;

	if (type == INT8OID)
		deconstruct_array(DatumGetArrayTypeP(a), type, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems,
						  &nulls, n);
	else if (type == DATEOID)
		deconstruct_array(DatumGetArrayTypeP(a), type, 4, true, TYPALIGN_INT, &elems, &nulls, n);
	else
		deconstruct_array(DatumGetArrayTypeP(a), type, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	return elems;
}

/* Columns of the state of an obligation, in both functions' results. */
#define STATE_COLUMNS 15

/*
 * The state columns: status, submissions, last_submission_id,
 * first_submitted_on, current_submission_id, current_submission_status,
 * days_late, working_days_late, next_change_on, and the windows as parallel
 * arrays w_reason, w_opened, w_closes, w_state, w_rectified, w_by.
 */
static void
state_values(const DlResult *r, const DlWindow *w, Datum *values, bool *nulls)
{
	int          k = r->nwindows;
	int          i;
	const char **reasons = palloc((k + 1) * sizeof(char *));
	const char **states = palloc((k + 1) * sizeof(char *));
	int32       *opened = palloc((k + 1) * sizeof(int32));
	int32       *closes = palloc((k + 1) * sizeof(int32));
	bool        *closes_null = palloc0((k + 1) * sizeof(bool));
	int32       *rect = palloc((k + 1) * sizeof(int32));
	bool        *rect_null = palloc0((k + 1) * sizeof(bool));
	int64       *by = palloc((k + 1) * sizeof(int64));

	memset(nulls, 0, STATE_COLUMNS * sizeof(bool));
	values[0] = CStringGetTextDatum(dl_status_name(r->status));
	values[1] = Int32GetDatum(r->nsubmissions);
	values[2] = Int64GetDatum(r->current_id);
	nulls[2] = !r->has_current;
	values[3] = DateADTGetDatum(r->first_on);
	nulls[3] = !r->has_first;
	values[4] = Int64GetDatum(r->current_id);
	nulls[4] = !r->has_current;
	values[5] =
		CStringGetTextDatum(r->current_status == DL_SUB_ACCEPTED   ? "accepted"
							: r->current_status == DL_SUB_REJECTED ? "rejected"
																   : "accepted_with_errors");
	nulls[5] = !r->has_current;
	values[6] = Int32GetDatum(r->days_late);
	nulls[6] = !r->late_known;
	values[7] = Int32GetDatum(r->working_days_late);
	nulls[7] = !r->wd_late_known;
	values[8] = DateADTGetDatum(r->next_change_on);
	nulls[8] = !r->next_known;
	for (i = 0; i < k; i++)
	{
		reasons[i] = dl_reason_name(w[i].reason);
		states[i] = dl_window_state_name(w[i].state);
		opened[i] = w[i].opened_on;
		closes[i] = w[i].closes_on;
		closes_null[i] = !w[i].closes_known;
		rect[i] = w[i].rectified_on;
		rect_null[i] = !w[i].rectified;
		by[i] = w[i].rectified_by;
	}
	values[9] = text_array(reasons, k);
	values[10] = date_array(opened, NULL, k);
	values[11] = date_array(closes, closes_null, k);
	values[12] = text_array(states, k);
	values[13] = date_array(rect, rect_null, k);
	values[14] = int8_array(by, rect_null, k);
}

static DlSubStatus
sub_status(text *t, int64 id)
{
	DlSubStatus st = dl_sub_status_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (st == DL_SUB_INVALID)
		elog(ERROR, "taxshare: submission " INT64_FORMAT " has an unknown status", id);
	return st;
}

/* Evaluate and fail on anything but a year without data (which leaves values unknown). */
static void
evaluate(const Calendar *cal, CalMissing missing, DateADT as_of, bool due_known, int32 due,
		 DlSubmission *subs, int n, DlWindow *w, DlResult *r)
{
	CalStatus st = dl_evaluate(cal, missing, as_of, due_known, due, subs, n, w, r);

	if (st != CAL_OK)
		deadline_fail(st, "an obligation", due_known ? due : as_of);
}

/* Submissions of one item and unit, by period, for the new periods of a refresh. */
static const char *const item_submissions_sql =
	"SELECT s.period_start, s.id,"
	"       least(coalesce(s.received_at_exchange, s.received_at), s.received_at)::date,"
	"       s.received_at::date, s.status"
	"  FROM taxshare.submission s"
	" WHERE s.item_code = $1 AND s.unit_code = $2 AND s.period_start >= $3"
	"   AND s.status <> 'loading' AND NOT s.additive"
	" ORDER BY s.period_start";

typedef struct PeriodsCache
{
	Calendar  *cal;
	SPIPlanPtr subs_plan;
} PeriodsCache;

static void
periods_cache_free(void *arg)
{
	PeriodsCache *c = (PeriodsCache *) arg;

	if (c->subs_plan)
		SPI_freeplan(c->subs_plan);
	c->subs_plan = NULL;
}

/* Submissions of an item and unit from period from on, by period_start, with their periods. */
static DlSubmission *
item_submissions(PeriodsCache *cache, text *item, text *unit, DateADT from, int32 **periods, int *n)
{
	Datum         args[3];
	uint64        i;
	DlSubmission *subs;
	int32        *ps;
	MemoryContext callcxt = CurrentMemoryContext;

	args[0] = PointerGetDatum(item);
	args[1] = PointerGetDatum(unit);
	args[2] = DateADTGetDatum(from);
	SPI_connect();
	if (cache->subs_plan == NULL)
	{
		Oid        types[3] = {TEXTOID, TEXTOID, DATEOID};
		SPIPlanPtr plan = SPI_prepare(item_submissions_sql, 3, types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "taxshare: preparing the submissions query failed");
		cache->subs_plan = plan;
	}
	if (SPI_execute_plan(cache->subs_plan, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the submissions failed");
	subs = MemoryContextAlloc(callcxt, (SPI_processed + 1) * sizeof(DlSubmission));
	ps = MemoryContextAlloc(callcxt, (SPI_processed + 1) * sizeof(int32));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple tup = SPI_tuptable->vals[i];
		TupleDesc td = SPI_tuptable->tupdesc;
		bool      isnull;

		ps[i] = DatumGetDateADT(SPI_getbinval(tup, td, 1, &isnull));
		subs[i].id = DatumGetInt64(SPI_getbinval(tup, td, 2, &isnull));
		subs[i].acted_on = DatumGetDateADT(SPI_getbinval(tup, td, 3, &isnull));
		subs[i].received_on = DatumGetDateADT(SPI_getbinval(tup, td, 4, &isnull));
		subs[i].status = sub_status(DatumGetTextPP(SPI_getbinval(tup, td, 5, &isnull)), subs[i].id);
	}
	*n = (int) SPI_processed;
	SPI_finish();
	*periods = ps;
	return subs;
}

/*
 * _obligation_periods(frequency, first_day, last_day, profile, offset_days,
 * offset_unit, as_of, have_min, have_max, have_count, item_code, unit_code):
 * the periods of the frequency from the one containing first_day to the one
 * containing last_day, each with its end and due date.  The due date follows
 * the item's own rule when offset_days is given, else the profile (NULL:
 * taxshare.deadline_profile).  due_date is NULL and missing_year names the
 * year when the calendar has no data for a year the due date depends on (with
 * taxshare.calendar_missing_year = error).  Realtime and adhoc items owe no
 * periods: no rows.
 *
 * For a refresh (as_of given) only the periods it may have to write are
 * returned: those outside [have_min, have_max] (the first and last
 * period_start of the unit's existing obligations for the item; NULL: none),
 * which are new and come with their state as of as_of (evaluated = true),
 * and those whose due date is unknown or not more than a month before as_of
 * (it may have to be recomputed).  If the existing rows do not match this
 * item's periods between have_min and have_max (a gap, or another frequency
 * before a revision; have_count tells), every period is returned and new.
 * This keeps a refresh of an unchanged catalog from rewriting its past and
 * writes each new obligation once, with its state.
 */
#define RECOMPUTE_DAYS 31
#define PERIOD_COLUMNS (5 + STATE_COLUMNS)
PG_FUNCTION_INFO_V1(taxshare_obligation_periods);
Datum
taxshare_obligation_periods(PG_FUNCTION_ARGS)
{
	Tuplestorestate *store;
	TupleDesc        desc;
	char            *freq_word;
	char            *word;
	CalFrequency     f;
	DlRule           rule;
	DateADT          first_day;
	DateADT          last_day;
	int32            start;
	PeriodsCache    *cache;
	CalMissing       missing = (CalMissing) taxshare_calendar_missing_year;
	char             what[160];
	bool             refresh;
	bool             have = false;
	DateADT          as_of = 0;
	DateADT          have_min = 0;
	DateADT          have_max = 0;
	DlSubmission    *subs = NULL;
	int32           *sub_periods = NULL;
	int              nsubs = 0;
	int              next_sub = 0;
	DlWindow        *windows = NULL;

	srf_materialize(fcinfo, &store, &desc);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	freq_word = text_arg(fcinfo, 0);
	f = calendar_frequency(freq_word, strlen(freq_word));
	first_day = PG_GETARG_DATEADT(1);
	last_day = PG_GETARG_DATEADT(2);
	if (f == CAL_FREQ_REALTIME || f == CAL_FREQ_ADHOC || last_day < first_day)
		PG_RETURN_NULL();
	if (DATE_NOT_FINITE(first_day) || DATE_NOT_FINITE(last_day))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("obligation periods need finite dates")));

	memset(&rule, 0, sizeof(rule));
	rule.roll_forward = taxshare_due_date_roll_forward;
	rule.profile = (CalProfile) taxshare_deadline_profile;
	if ((word = text_arg(fcinfo, 3)) != NULL)
		rule.profile = calendar_profile(word, strlen(word));
	if (!PG_ARGISNULL(4))
	{
		rule.has_offset = true;
		rule.offset = PG_GETARG_INT32(4);
		word = text_arg(fcinfo, 5);
		rule.offset_unit = word ? calendar_offset_unit(word, strlen(word)) : CAL_OFFSET_CALENDAR;
	}
	snprintf(what, sizeof(what), "a %s item", freq_word);

	/* One calendar per query: the function is called once per item. */
	cache = (PeriodsCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		MemoryContextCallback *cb;

		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PeriodsCache));
		SPI_connect();
		cache->cal = deadline_calendar_load(fcinfo->flinfo->fn_mcxt);
		SPI_finish();
		cb = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(MemoryContextCallback));
		cb->func = periods_cache_free;
		cb->arg = cache;
		MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, cb);
		fcinfo->flinfo->fn_extra = cache;
	}

	refresh = !PG_ARGISNULL(6) && !PG_ARGISNULL(10) && !PG_ARGISNULL(11);
	if (refresh)
	{
		as_of = PG_GETARG_DATEADT(6);
		have = !PG_ARGISNULL(7) && !PG_ARGISNULL(8) && !PG_ARGISNULL(9);
	}
	if (have)
	{
		int64 inside = 0;

		have_min = PG_GETARG_DATEADT(7);
		have_max = PG_GETARG_DATEADT(8);
		for (start = cal_period_start_of(f, first_day); start <= last_day;)
		{
			int32 next;

			if (start >= have_min && start <= have_max)
				inside++;
			if (cal_period_next(f, start, &next) != CAL_OK)
				break;
			start = next;
		}
		/* a gap or a different shape: all periods are new, conflicts are skipped */
		if (inside != PG_GETARG_INT64(9))
			have = false;
	}

	start = cal_period_start_of(f, first_day);
	while (start <= last_day)
	{
		Datum     values[PERIOD_COLUMNS];
		bool      nulls[PERIOD_COLUMNS];
		int32     end;
		int32     due;
		int32     bad_year = 0;
		int32     next;
		CalStatus st;
		bool      is_new;

		CHECK_FOR_INTERRUPTS();
		st = dl_period_due(cache->cal, missing, &rule, f, start, &end, &due, &bad_year);
		if (st != CAL_OK && st != CAL_ERR_MISSING_YEAR)
			deadline_fail(st, what, start);
		is_new = refresh && !(have && start >= have_min && start <= have_max);

		/* an existing period whose due date passed over a month ago stays as it is */
		if (!refresh || is_new || st != CAL_OK || due >= as_of - RECOMPUTE_DAYS)
		{
			memset(nulls, true, sizeof(nulls));
			values[0] = DateADTGetDatum(start);
			values[1] = DateADTGetDatum(end);
			values[2] = DateADTGetDatum(due);
			values[3] = Int32GetDatum(bad_year);
			values[4] = BoolGetDatum(is_new);
			nulls[0] = nulls[1] = nulls[4] = false;
			nulls[2] = (st != CAL_OK);
			nulls[3] = (st == CAL_OK);
			if (is_new)
			{
				DlResult r;
				int      first;

				if (subs == NULL)
				{
					/* periods come in order: this is the first new one */
					subs = item_submissions(cache, PG_GETARG_TEXT_PP(10), PG_GETARG_TEXT_PP(11),
											start, &sub_periods, &nsubs);
					windows = palloc(DL_MAX_WINDOWS(nsubs) * sizeof(DlWindow));
				}
				while (next_sub < nsubs && sub_periods[next_sub] < start)
					next_sub++;
				first = next_sub;
				while (next_sub < nsubs && sub_periods[next_sub] == start)
					next_sub++;
				evaluate(cache->cal, missing, as_of, st == CAL_OK, due, subs + first,
						 next_sub - first, windows, &r);
				state_values(&r, windows, values + 5, nulls + 5);
			}
			tuplestore_putvalues(store, desc, values, nulls);
		}
		st = cal_period_next(f, start, &next);
		if (st != CAL_OK)
			deadline_fail(st, what, start);
		start = next;
	}
	PG_RETURN_NULL();
}

/*
 * The candidates of an evaluation as of $1, with their submissions.  Changes
 * to submissions and due dates reach them through next_change_on =
 * '-infinity' (refresh_obligations() consumes taxshare.obligation_change
 * first); an evaluation as of an earlier day than the last one redoes the
 * rows evaluated later.  The
 * arrays are in the same (arbitrary) order; the core sorts by arrival.
 */
static const char *const candidates_sql =
	"SELECT o.item_code, o.unit_code, o.period_start, o.due_date, o.status,"
	"       array_agg(s.id) FILTER (WHERE s.id IS NOT NULL),"
	"       array_agg(least(coalesce(s.received_at_exchange, s.received_at), s.received_at)::date)"
	"         FILTER (WHERE s.id IS NOT NULL),"
	"       array_agg(s.received_at::date) FILTER (WHERE s.id IS NOT NULL),"
	"       array_agg(s.status) FILTER (WHERE s.id IS NOT NULL)"
	"  FROM taxshare.obligation o"
	"  LEFT JOIN taxshare.submission s ON s.item_code = o.item_code AND s.unit_code = o.unit_code"
	"                                 AND s.period_start = o.period_start"
	"                                 AND s.status <> 'loading' AND NOT s.additive"
	" WHERE o.next_change_on <= $1 OR o.evaluated_as_of IS NULL OR o.evaluated_as_of > $1"
	" GROUP BY o.item_code, o.unit_code, o.period_start";

#define EVAL_COLUMNS (4 + STATE_COLUMNS)

/* One candidate row of candidates_sql into a result tuple. */
static void
evaluate_row(HeapTuple tup, TupleDesc spidesc, const Calendar *cal, CalMissing missing,
			 DateADT as_of, Tuplestorestate *store, TupleDesc desc)
{
	Datum         values[EVAL_COLUMNS];
	bool          nulls[EVAL_COLUMNS];
	bool          isnull;
	bool          due_known;
	int32         due;
	int           n = 0;
	int           i;
	DlSubmission *subs;
	DlWindow     *w;
	DlResult      r;
	Datum         ids;
	bool          no_subs;

	memset(nulls, 0, sizeof(nulls));
	values[0] = SPI_getbinval(tup, spidesc, 1, &isnull);
	values[1] = SPI_getbinval(tup, spidesc, 2, &isnull);
	values[2] = SPI_getbinval(tup, spidesc, 3, &isnull);
	values[3] = SPI_getbinval(tup, spidesc, 5, &isnull);
	due = DatumGetDateADT(SPI_getbinval(tup, spidesc, 4, &isnull));
	due_known = !isnull;
	ids = SPI_getbinval(tup, spidesc, 6, &no_subs);
	if (!no_subs)
	{
		Datum *id_e = array_elems(ids, INT8OID, &n);
		int    n2;
		Datum *acted_e = array_elems(SPI_getbinval(tup, spidesc, 7, &isnull), DATEOID, &n2);
		Datum *recv_e = array_elems(SPI_getbinval(tup, spidesc, 8, &isnull), DATEOID, &n2);
		Datum *stat_e = array_elems(SPI_getbinval(tup, spidesc, 9, &isnull), TEXTOID, &n2);

		subs = palloc(n * sizeof(DlSubmission));
		for (i = 0; i < n; i++)
		{
			subs[i].id = DatumGetInt64(id_e[i]);
			subs[i].acted_on = DatumGetDateADT(acted_e[i]);
			subs[i].received_on = DatumGetDateADT(recv_e[i]);
			subs[i].status = sub_status(DatumGetTextPP(stat_e[i]), subs[i].id);
		}
	}
	else
		subs = palloc(sizeof(DlSubmission));
	w = palloc(DL_MAX_WINDOWS(n) * sizeof(DlWindow));
	evaluate(cal, missing, as_of, due_known, due, subs, n, w, &r);
	state_values(&r, w, values + 4, nulls + 4);
	tuplestore_putvalues(store, desc, values, nulls);
}

/*
 * _obligation_evaluate(as_of): the new state of every obligation whose state
 * may have changed since its last evaluation: never evaluated, evaluated as of
 * a later day, reaching a day when time alone changes it (next_change_on), or
 * with other submissions than last time.  One row per such obligation with
 * its windows as parallel arrays; refresh_obligations() writes them.
 */
PG_FUNCTION_INFO_V1(taxshare_obligation_evaluate);
Datum
taxshare_obligation_evaluate(PG_FUNCTION_ARGS)
{
	Tuplestorestate *store;
	TupleDesc        desc;
	DateADT          as_of;
	Calendar        *cal;
	CalMissing       missing = (CalMissing) taxshare_calendar_missing_year;
	MemoryContext    callcxt = CurrentMemoryContext;
	MemoryContext    rowcxt;
	Portal           portal;
	Oid              argtypes[1] = {DATEOID};
	Datum            args[1];
	ProgressState    progress;
	int64            done = 0;

	srf_materialize(fcinfo, &store, &desc);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("as_of must not be null"),
				 errhint("Pass the day to evaluate the obligations as of, e.g. current_date.")));
	as_of = PG_GETARG_DATEADT(0);
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("as_of must be a finite date")));
	args[0] = DateADTGetDatum(as_of);

	rowcxt = AllocSetContextCreate(callcxt, "taxshare obligation row", ALLOCSET_DEFAULT_SIZES);
	SPI_connect();
	cal = deadline_calendar_load(callcxt);
	portal = SPI_cursor_open_with_args(NULL, candidates_sql, 1, argtypes, args, NULL, true, 0);
	progress_begin(&progress, "refresh obligations", "obligations evaluated", 0);
	for (;;)
	{
		uint64 i;

		SPI_cursor_fetch(portal, true, 1000);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(rowcxt);
			evaluate_row(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, cal, missing, as_of, store,
						 desc);
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
			progress_update(&progress, ++done);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	progress_end(&progress);
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(rowcxt);
	PG_RETURN_NULL();
}
