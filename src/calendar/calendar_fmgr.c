/*
 * calendar_fmgr.c
 *		SQL functions of the working-day calendar: fmgr glue around the pure
 *		core calendar.c, the per-backend cache of taxshare.holiday, and the GUCs.
 *
 * The cache.  The first calendar call in a backend reads taxshare.holiday and
 * builds a Calendar (calendar.c) in a child of CacheMemoryContext.  Plain DML
 * sends no relcache invalidation, so a statement-level trigger on holiday
 * (taxshare.holiday_changed) calls CacheInvalidateRelcache() for the table:
 * at commit that reaches every backend, and in the writing backend it is
 * applied at the next command, also inside the same transaction (and again
 * on abort, so a calendar built from rolled-back rows is dropped).  Our
 * relcache callback only bumps a counter; the next call sees that the cache
 * was built before the last invalidation and rebuilds it.
 *
 * The table is read with a fresh snapshot (GetCatalogSnapshot of a user table
 * is always a new MVCC snapshot), not the transaction snapshot: the cache
 * outlives the transaction, so it must hold the latest committed rows (and
 * this transaction's own earlier changes) like any system cache, even when
 * it is built inside a REPEATABLE READ transaction.
 */
#include "taxshare.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "calendar/calendar_fmgr.h"

StaticAssertDecl(CAL_DAY_MIN == DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
				 "calendar.h and PostgreSQL disagree on the first date");
StaticAssertDecl(CAL_DAY_MAX == DATE_END_JULIAN - POSTGRES_EPOCH_JDATE - 1,
				 "calendar.h and PostgreSQL disagree on the last date");

int  taxshare_calendar_missing_year = CAL_MISSING_ERROR;
bool taxshare_due_date_roll_forward = true;
int  taxshare_deadline_profile = CAL_PROFILE_HENGYANG;

static const struct config_enum_entry missing_year_options[] = {
	{"error", CAL_MISSING_ERROR, false},
	{"weekends", CAL_MISSING_WEEKENDS, false},
	{NULL, 0, false}};

static const struct config_enum_entry profile_options[] = {
	{"hengyang", CAL_PROFILE_HENGYANG, false},
	{"zhengzhou", CAL_PROFILE_ZHENGZHOU, false},
	{NULL, 0, false}};

/* The per-backend cache (see the file header). */
static MemoryContext calendar_context = NULL;
static Calendar     *calendar_cache = NULL;
static Oid           calendar_relid = InvalidOid;
static uint64        calendar_invalidations = 0;
static uint64        calendar_built_at = 0;

static void
calendar_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == calendar_relid)
		calendar_invalidations++;
}

void
calendar_init(void)
{
	DefineCustomEnumVariable(
		"taxshare.calendar_missing_year",
		"What a year without rows in taxshare.holiday means to the working-day calendar.",
		"error: an error naming the year (default); weekends: Monday to Friday are working days.",
		&taxshare_calendar_missing_year, CAL_MISSING_ERROR, missing_year_options, PGC_USERSET, 0,
		NULL, NULL, NULL);
	DefineCustomBoolVariable("taxshare.due_date_roll_forward",
							 "Moves a due date that falls on a day off to the next working day.",
							 NULL, &taxshare_due_date_roll_forward, true, PGC_USERSET, 0, NULL,
							 NULL, NULL);
	DefineCustomEnumVariable(
		"taxshare.deadline_profile",
		"Built-in reporting deadline rules used by taxshare.due_date(frequency, period_start).",
		"hengyang (default, seeds/000 art. 8) or zhengzhou (seeds/002 art. 9).",
		&taxshare_deadline_profile, CAL_PROFILE_HENGYANG, profile_options, PGC_USERSET, 0, NULL,
		NULL, NULL);
	CacheRegisterRelcacheCallback(calendar_relcache_callback, (Datum) 0);
}

static AttrNumber
holiday_attnum(Relation rel, const char *name)
{
	TupleDesc desc = RelationGetDescr(rel);
	int       i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return att->attnum;
	}
	ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
					errmsg("table taxshare.holiday has no column \"%s\"", name),
					errhint("Reinstall the extension: ALTER EXTENSION taxshare UPDATE or DROP and "
							"CREATE EXTENSION taxshare.")));
	return InvalidAttrNumber; /* keep compiler quiet */
}

/* Read taxshare.holiday and build a new calendar in a new cache context. */
static void
calendar_load(void)
{
	uint64          started_at = calendar_invalidations;
	Oid             nsp = get_namespace_oid("taxshare", true);
	Oid             relid = OidIsValid(nsp) ? get_relname_relid("holiday", nsp) : InvalidOid;
	Relation        rel;
	Snapshot        snapshot;
	TableScanDesc   scan;
	TupleTableSlot *slot;
	AttrNumber      att_day;
	AttrNumber      att_kind;
	CalEntry       *entries;
	size_t          n = 0;
	size_t          cap = 512;
	size_t          size;
	MemoryContext   context;
	void           *mem;
	Calendar       *cal;

	if (!OidIsValid(relid))
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						errmsg("table taxshare.holiday does not exist"),
						errhint("Run CREATE EXTENSION taxshare in this database.")));
	calendar_relid = relid;

	rel = table_open(relid, AccessShareLock);
	att_day = holiday_attnum(rel, "day");
	att_kind = holiday_attnum(rel, "kind");
	snapshot = RegisterSnapshot(GetCatalogSnapshot(relid));
	scan = table_beginscan(rel, snapshot, 0, NULL);
	slot = table_slot_create(rel, NULL);
	entries = palloc(cap * sizeof(CalEntry));
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool  day_null;
		bool  kind_null;
		Datum day = slot_getattr(slot, att_day, &day_null);
		Datum kind = slot_getattr(slot, att_kind, &kind_null);
		text *kind_text;

		CHECK_FOR_INTERRUPTS();
		if (day_null || kind_null)
			continue;
		if (n == cap)
		{
			cap *= 2;
			entries = repalloc(entries, cap * sizeof(CalEntry));
		}
		kind_text = DatumGetTextPP(kind);
		entries[n].day = DatumGetDateADT(day);
		entries[n].kind =
			(VARSIZE_ANY_EXHDR(kind_text) == 7 && memcmp(VARDATA_ANY(kind_text), "workday", 7) == 0)
				? CAL_WORKDAY
				: CAL_HOLIDAY;
		n++;
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);

	size = cal_size(entries, n);
	if (size == 0)
		ereport(
			ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("taxshare.holiday has a day outside the years %d to %d", CAL_DATA_YEAR_MIN,
					CAL_DATA_YEAR_MAX),
			 errhint("Delete that row; the table's check constraint keeps new rows in range.")));

	context = AllocSetContextCreate(CacheMemoryContext, "taxshare calendar", ALLOCSET_SMALL_SIZES);
	mem = MemoryContextAllocExtended(context, size, MCXT_ALLOC_HUGE);
	cal = cal_build(mem, size, entries, n);
	pfree(entries);
	Assert(cal != NULL);

	if (calendar_context != NULL)
		MemoryContextDelete(calendar_context);
	calendar_context = context;
	calendar_cache = cal;
	/* an invalidation that arrived while we read makes the next call reload */
	calendar_built_at = started_at;
}

static inline const Calendar *
calendar_get(void)
{
	if (calendar_cache == NULL || calendar_built_at != calendar_invalidations)
		calendar_load();
	return calendar_cache;
}

static inline CalMissing
missing_mode(void)
{
	return (CalMissing) taxshare_calendar_missing_year;
}

/* ISO text of a date for messages, whatever DateStyle is. */
static char *
date_text(int32 day)
{
	int32 y;
	int32 m;
	int32 d;

	if (DATE_NOT_FINITE(day))
		return pstrdup(DATE_IS_NOBEGIN(day) ? "-infinity" : "infinity");
	cal_ymd_from_day(day, &y, &m, &d);
	if (y <= 0)
		return psprintf("%04d-%02d-%02d BC", 1 - y, m, d);
	return psprintf("%04d-%02d-%02d", y, m, d);
}

static void
check_finite(DateADT day)
{
	if (DATE_NOT_FINITE(day))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("the working-day calendar needs a finite date, not \"%s\"",
							   date_text(day))));
}

/* Turn a failed status of the arithmetic into an error. */
static void
calendar_fail(CalStatus st, int32 bad_year)
{
	switch (st)
	{
		case CAL_OK:
			return;
		case CAL_ERR_MISSING_YEAR:
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no holiday data for year %d", bad_year),
				 errdetail(
					 "taxshare.holiday 中没有 %d 年的节假日安排，无法区分该年的工作日与休息日。",
					 bad_year),
				 errhint("Add the State Council General Office's holiday notice for %d with "
						 "taxshare.holiday_add_year(%d, ...) (see docs/calendar.md), "
						 "or SET taxshare.calendar_missing_year = 'weekends' to count Monday to "
						 "Friday as working days in years without data.",
						 bad_year, bad_year)));
			break;
		case CAL_ERR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("date out of range")));
			break;
		default:
			elog(ERROR, "unexpected calendar status %d", (int) st);
	}
}

/* ---------------------------------------------------------------------------
 * C entry points (calendar_fmgr.h)
 * ------------------------------------------------------------------------- */

bool
calendar_is_working_day(DateADT day)
{
	bool      result = false;
	int32     bad_year = 0;
	CalStatus st;

	check_finite(day);
	st = cal_is_working(calendar_get(), missing_mode(), day, &result, &bad_year);
	calendar_fail(st, bad_year);
	return result;
}

DateADT
calendar_add_working_days(DateADT day, int32 n)
{
	int32     result = 0;
	int32     bad_year = 0;
	CalStatus st;

	check_finite(day);
	st = cal_add_working_days(calendar_get(), missing_mode(), day, n, &result, &bad_year);
	calendar_fail(st, bad_year);
	return result;
}

int32
calendar_working_days_between(DateADT a, DateADT b)
{
	int32     result = 0;
	int32     bad_year = 0;
	CalStatus st;

	check_finite(a);
	check_finite(b);
	st = cal_working_days_between(calendar_get(), missing_mode(), a, b, &result, &bad_year);
	calendar_fail(st, bad_year);
	return result;
}

DateADT
calendar_next_working_day(DateADT day)
{
	int32     result = 0;
	int32     bad_year = 0;
	CalStatus st;

	check_finite(day);
	st = cal_next_working_day(calendar_get(), missing_mode(), day, &result, &bad_year);
	calendar_fail(st, bad_year);
	return result;
}

CalFrequency
calendar_frequency(const char *word, size_t len)
{
	CalFrequency f = cal_frequency_parse(word, len);

	if (f == CAL_FREQ_INVALID)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown reporting frequency \"%s\"", pnstrdup(word, len)),
						errhint("Valid frequencies are: %s.", CAL_FREQUENCY_WORDS)));
	return f;
}

CalProfile
calendar_profile(const char *word, size_t len)
{
	CalProfile p = cal_profile_parse(word, len);

	if (p == CAL_PROFILE_INVALID)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown deadline profile \"%s\"", pnstrdup(word, len)),
						errhint("Valid profiles are: %s.", CAL_PROFILE_WORDS)));
	return p;
}

CalOffsetUnit
calendar_offset_unit(const char *word, size_t len)
{
	CalOffsetUnit u = cal_offset_unit_parse(word, len);

	if (u == CAL_OFFSET_INVALID)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown due-date offset unit \"%s\"", pnstrdup(word, len)),
						errhint("Use 'calendar' (calendar days, then moved to a working day when "
								"taxshare.due_date_roll_forward is on) "
								"or 'working' (working days).")));
	return u;
}

/* 22023 for a period_start that does not start a period of f. */
static void
check_period(CalFrequency f, DateADT start)
{
	const char *rule;

	check_finite(start);
	if (cal_period_check(f, start) != CAL_ERR_BAD_PERIOD)
		return;
	switch (f)
	{
		case CAL_FREQ_WEEKLY:
			rule = "on Mondays";
			break;
		case CAL_FREQ_MONTHLY:
			rule = "on the 1st of each month";
			break;
		case CAL_FREQ_QUARTERLY:
			rule = "on 1 January, 1 April, 1 July and 1 October";
			break;
		case CAL_FREQ_SEMIANNUAL:
			rule = "on 1 January and 1 July";
			break;
		default:
			rule = "on 1 January";
			break;
	}
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("period start \"%s\" does not start a period of frequency \"%s\"",
						   date_text(start), cal_frequency_name(f)),
					errdetail("Periods of frequency \"%s\" start %s.", cal_frequency_name(f), rule),
					errhint("Pass the first day of the period: \"%s\".",
							date_text(cal_period_start_of(f, start)))));
}

DateADT
calendar_period_end(CalFrequency f, DateADT period_start)
{
	int32     end = 0;
	CalStatus st;

	check_period(f, period_start);
	st = cal_period_end(f, period_start, &end);
	calendar_fail(st, 0);
	return end;
}

DateADT
calendar_due_date(CalFrequency f, DateADT period_start, CalProfile profile)
{
	int32     due = 0;
	int32     bad_year = 0;
	CalStatus st;

	check_period(f, period_start);
	st = cal_due_date(calendar_get(), missing_mode(), profile, f, period_start,
					  taxshare_due_date_roll_forward, &due, &bad_year);
	calendar_fail(st, bad_year);
	return due;
}

DateADT
calendar_due_date_rule(DateADT period_end, int32 offset, CalOffsetUnit unit)
{
	int32     due = 0;
	int32     bad_year = 0;
	CalStatus st;

	check_finite(period_end);
	if (offset < 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("due-date offset must not be negative: %d", offset),
						errhint("The offset counts days after the last day of the period; 0 means "
								"the period end itself.")));
	st = cal_due_date_rule(calendar_get(), missing_mode(), period_end, offset, unit,
						   taxshare_due_date_roll_forward, &due, &bad_year);
	calendar_fail(st, bad_year);
	return due;
}

/* ---------------------------------------------------------------------------
 * SQL functions
 * ------------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(taxshare_is_working_day);
Datum
taxshare_is_working_day(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(calendar_is_working_day(PG_GETARG_DATEADT(0)));
}

PG_FUNCTION_INFO_V1(taxshare_add_working_days);
Datum
taxshare_add_working_days(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(calendar_add_working_days(PG_GETARG_DATEADT(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(taxshare_working_days_between);
Datum
taxshare_working_days_between(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(calendar_working_days_between(PG_GETARG_DATEADT(0), PG_GETARG_DATEADT(1)));
}

PG_FUNCTION_INFO_V1(taxshare_next_working_day);
Datum
taxshare_next_working_day(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(calendar_next_working_day(PG_GETARG_DATEADT(0)));
}

static CalFrequency
frequency_arg(FunctionCallInfo fcinfo, int argno)
{
	text *t = PG_GETARG_TEXT_PP(argno);

	return calendar_frequency(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

PG_FUNCTION_INFO_V1(taxshare_period_end);
Datum
taxshare_period_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(calendar_period_end(frequency_arg(fcinfo, 0), PG_GETARG_DATEADT(1)));
}

/* due_date(frequency, period_start): the profile of taxshare.deadline_profile */
PG_FUNCTION_INFO_V1(taxshare_due_date);
Datum
taxshare_due_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(calendar_due_date(frequency_arg(fcinfo, 0), PG_GETARG_DATEADT(1),
										(CalProfile) taxshare_deadline_profile));
}

/* due_date(frequency, period_start, profile) */
PG_FUNCTION_INFO_V1(taxshare_due_date_profile);
Datum
taxshare_due_date_profile(PG_FUNCTION_ARGS)
{
	CalFrequency f = frequency_arg(fcinfo, 0);
	text        *p = PG_GETARG_TEXT_PP(2);

	PG_RETURN_DATEADT(calendar_due_date(f, PG_GETARG_DATEADT(1),
										calendar_profile(VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p))));
}

/* due_date_rule(period_end, offset_days, unit) */
PG_FUNCTION_INFO_V1(taxshare_due_date_rule);
Datum
taxshare_due_date_rule(PG_FUNCTION_ARGS)
{
	text *u = PG_GETARG_TEXT_PP(2);

	PG_RETURN_DATEADT(
		calendar_due_date_rule(PG_GETARG_DATEADT(0), PG_GETARG_INT32(1),
							   calendar_offset_unit(VARDATA_ANY(u), VARSIZE_ANY_EXHDR(u))));
}

/*
 * Statement-level trigger on taxshare.holiday: plain DML sends no relcache
 * invalidation, so send one; every backend's calendar cache drops itself.
 */
PG_FUNCTION_INFO_V1(taxshare_holiday_changed);
Datum
taxshare_holiday_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("taxshare.holiday_changed() must be called as a trigger")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}
