/*
 * intake_inbox.c
 *		The inbox: COPY or INSERT rows into taxshare.inbox and a C trigger
 *		validates them into submissions, keeping nothing in the inbox itself.
 *
 * inbox_row(), the BEFORE ROW trigger, feeds each row to the open load of its
 * (item, unit, period_start, channel), opening one on the first row, and
 * returns NULL; inbox_finish(), the AFTER STATEMENT trigger, finishes every
 * load the statement opened.  inbox_row() is not SECURITY DEFINER: it checks
 * rows as the caller and becomes the owner only for the steps that touch
 * tables (intake_owner.c).  When a load may go parallel is decided here
 * (inbox_statement_allows_parallel).  The story: src/intake/README.md.
 */
#include "taxshare.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "nodes/plannodes.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/rel.h"

#include "intake/intake.h"

/* Loads opened by the current statement(s), allocated in TopTransactionContext. */
static List *inbox_loads = NIL;
static bool  inbox_callbacks_registered = false;

static void
inbox_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (inbox_loads != NIL)
				ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
								errmsg("an inbox load was not finished"),
								errhint("The statement trigger inbox_finish on taxshare.inbox must "
										"stay enabled.")));
			break;
		default:
			/* Commit or abort: the loads' memory went with the transaction. */
			inbox_loads = NIL;
			break;
	}
}

/* Drop the loads opened in an aborted subtransaction (or in one it contained). */
static void
inbox_subxact_callback(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid,
					   void *arg)
{
	ListCell     *lc;
	List         *keep = NIL;
	MemoryContext old;

	if (event != SUBXACT_EVENT_ABORT_SUB || inbox_loads == NIL)
		return;
	old = MemoryContextSwitchTo(TopTransactionContext);
	foreach (lc, inbox_loads)
	{
		IntakeLoad *load = (IntakeLoad *) lfirst(lc);

		if (load->subid >= mySubid)
		{
			catalog_item_release(load->item);
			MemoryContextDelete(load->cxt);
		}
		else
			keep = lappend(keep, load);
	}
	list_free(inbox_loads);
	inbox_loads = keep;
	MemoryContextSwitchTo(old);
}

static void
check_trigger(FunctionCallInfo fcinfo, bool row)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_INSERT(td->tg_event) ||
		(row ? !(TRIGGER_FIRED_FOR_ROW(td->tg_event) && TRIGGER_FIRED_BEFORE(td->tg_event))
			 : !(TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) && TRIGGER_FIRED_AFTER(td->tg_event))))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be a %s INSERT trigger", row ? "inbox_row()" : "inbox_finish()",
						row ? "BEFORE ROW" : "AFTER STATEMENT")));
}

/*
 * The inbox's column numbers, looked up by name once and forgotten when the
 * relation's definition changes (a relcache invalidation), not on every row.
 */
typedef enum InboxColumn
{
	IC_ITEM,
	IC_UNIT,
	IC_PERIOD_START,
	IC_CHANNEL,
	IC_RECEIVED_AT_EXCHANGE,
	IC_PAYLOAD,
	INBOX_NCOLS
} InboxColumn;

static const char *const inbox_column_names[INBOX_NCOLS] = {
	"item", "unit", "period_start", "channel", "received_at_exchange", "payload"};
static Oid  inbox_attnos_relid = InvalidOid;
static int  inbox_attnos[INBOX_NCOLS];
static bool inbox_relcache_callback_registered = false;

static void
inbox_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == inbox_attnos_relid)
		inbox_attnos_relid = InvalidOid;
}

/* A column of the inbox row; NULL is refused for the key columns. */
static Datum
inbox_column(TriggerData *td, InboxColumn col, bool required, bool *isnull)
{
	TupleDesc   desc = td->tg_relation->rd_att;
	const char *name = inbox_column_names[col];
	int         attno;
	Datum       d;

	if (inbox_attnos_relid != RelationGetRelid(td->tg_relation))
	{
		int c;

		if (!inbox_relcache_callback_registered)
		{
			CacheRegisterRelcacheCallback(inbox_relcache_callback, (Datum) 0);
			inbox_relcache_callback_registered = true;
		}
		for (c = 0; c < INBOX_NCOLS; c++)
			inbox_attnos[c] = SPI_fnumber(desc, inbox_column_names[c]);
		inbox_attnos_relid = RelationGetRelid(td->tg_relation);
	}
	attno = inbox_attnos[col];

	if (attno <= 0)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
						errmsg("taxshare.inbox has no column \"%s\"", name)));
	/* the trigger's slot has the columns deformed already (COPY's values) */
	if (td->tg_trigslot != NULL)
		d = slot_getattr(td->tg_trigslot, attno, isnull);
	else
		d = heap_getattr(td->tg_trigtuple, attno, desc, isnull);
	if (*isnull && required)
		ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
						errmsg("null value in column \"%s\" of relation \"inbox\"", name),
						errhint("Every inbox row names its item, unit and period_start.")));
	return d;
}

/* A text column's bytes, without a copy unless it is toasted or compressed. */
typedef struct InboxText
{
	const char *s;
	int         len;
} InboxText;

static InboxText
inbox_text(Datum d)
{
	text     *t = DatumGetTextPP(d);
	InboxText r;

	r.s = VARDATA_ANY(t);
	r.len = VARSIZE_ANY_EXHDR(t);
	return r;
}

static bool
inbox_text_eq(InboxText t, const char *s)
{
	return strlen(s) == (size_t) t.len && memcmp(s, t.s, t.len) == 0;
}

/* The open load of the row's key, or a new one. */
static IntakeLoad *
inbox_find_load(TriggerData *td, InboxText item, InboxText unit, DateADT period_start,
				InboxText channel, bool has_exchange, TimestampTz received_at_exchange)
{
	ListCell     *lc;
	IntakeLoad   *load;
	IntakeSource  src;
	MemoryContext old;

	foreach (lc, inbox_loads)
	{
		load = (IntakeLoad *) lfirst(lc);
		if (load->period_start == period_start && inbox_text_eq(item, load->item_code) &&
			inbox_text_eq(unit, load->unit_code) && inbox_text_eq(channel, load->channel))
			return load;
	}
	if (!inbox_callbacks_registered)
	{
		RegisterXactCallback(inbox_xact_callback, NULL);
		RegisterSubXactCallback(inbox_subxact_callback, NULL);
		inbox_callbacks_registered = true;
	}
	src.item = pnstrdup(item.s, item.len);
	src.unit = pnstrdup(unit.s, unit.len);
	src.period_start = period_start;
	src.channel = pnstrdup(channel.s, channel.len);
	src.has_exchange = has_exchange;
	src.received_at_exchange = received_at_exchange;
	/* Tables are read and written as the function's owner (intake_owner.c). */
	src.run_as = intake_function_owner(td->tg_trigger->tgfoid);
	src.client_ref = NULL; /* the inbox keeps no batch references */
	src.client_content = NULL;
	/* Opening a load runs SQL, which parallel mode forbids: take the workers' state back. */
	foreach (lc, inbox_loads)
	{
		IntakeLoad *other = (IntakeLoad *) lfirst(lc);

		if (other->parallel)
			intake_parallel_end(other, true);
	}
	load = intake_begin(&src, 0);
	old = MemoryContextSwitchTo(TopTransactionContext);
	inbox_loads = lappend(inbox_loads, load);
	MemoryContextSwitchTo(old);
	return load;
}

/*
 * May the statement feeding this row go on in parallel mode?  Only a plain
 * COPY into the inbox, without WHERE, with no trigger on the inbox but its
 * own two: nothing else of it then runs SQL or writes while a worker checks
 * the rows.  An INSERT's query, a COPY's WHERE or another trigger could call
 * functions that parallel mode forbids (nextval(), writes).
 */
static bool
inbox_statement_allows_parallel(TriggerData *td)
{
	const TriggerDesc *trig = td->tg_relation->trigdesc;
	const PlannedStmt *ps;
	const CopyStmt    *copy;
	int                i;

	if (ActivePortal == NULL || ActivePortal->commandTag != CMDTAG_COPY ||
		list_length(ActivePortal->stmts) != 1)
		return false;
	ps = linitial_node(PlannedStmt, ActivePortal->stmts);
	if (ps->commandType != CMD_UTILITY || !IsA(ps->utilityStmt, CopyStmt))
		return false;
	copy = (const CopyStmt *) ps->utilityStmt;
	if (!copy->is_from || copy->relation == NULL || copy->whereClause != NULL ||
		RangeVarGetRelid(copy->relation, NoLock, true) != RelationGetRelid(td->tg_relation))
		return false;
	for (i = 0; trig && i < trig->numtriggers; i++)
		if (strcmp(trig->triggers[i].tgname, "inbox_validate") != 0 &&
			strcmp(trig->triggers[i].tgname, "inbox_finish") != 0)
			return false;
	return true;
}

/*
 * Check the row in the backend, or hand it to the load's worker; start one
 * once the load has taken enough rows and no other load of the statement has
 * one.
 */
static void
inbox_load_row(TriggerData *td, IntakeLoad *load, JsonbValue *elem)
{
	ListCell *lc;

	if (load->parallel)
	{
		intake_parallel_row(load, elem);
		return;
	}
	intake_row(load, elem);
	if (load->parallel_refused || !intake_parallel_wanted(load->rows_total))
		return;
	foreach (lc, inbox_loads)
		if (((IntakeLoad *) lfirst(lc))->parallel)
			return;
	if (!inbox_statement_allows_parallel(td) || !intake_parallel_begin(load))
		load->parallel_refused = true;
}

PG_FUNCTION_INFO_V1(inbox_row);

Datum
inbox_row(PG_FUNCTION_ARGS)
{
	TriggerData      *td = (TriggerData *) fcinfo->context;
	static const char inbox_channel[] = "inbox";
	InboxText         item;
	InboxText         unit;
	InboxText         channel;
	DateADT           period_start;
	bool              has_exchange;
	TimestampTz       received_at_exchange;
	bool              isnull;
	Datum             d;
	JsonbValue        elem;

	check_trigger(fcinfo, true);
	item = inbox_text(inbox_column(td, IC_ITEM, true, &isnull));
	unit = inbox_text(inbox_column(td, IC_UNIT, true, &isnull));
	period_start = DatumGetDateADT(inbox_column(td, IC_PERIOD_START, true, &isnull));
	d = inbox_column(td, IC_CHANNEL, false, &isnull);
	if (isnull)
	{
		channel.s = inbox_channel;
		channel.len = sizeof(inbox_channel) - 1;
	}
	else
		channel = inbox_text(d);
	d = inbox_column(td, IC_RECEIVED_AT_EXCHANGE, false, &isnull);
	has_exchange = !isnull;
	received_at_exchange = isnull ? 0 : DatumGetTimestampTz(d);

	d = inbox_column(td, IC_PAYLOAD, false, &isnull);
	if (isnull)
		elem.type = jbvNull;
	else
		intake_jsonb_element(DatumGetJsonbP(d), &elem);

	/*
	 * Not SECURITY DEFINER: this runs as the caller, and validating the row
	 * runs no SQL; opening a load and writing each chunk switch to the owner
	 * (intake_owner.c).
	 */
	inbox_load_row(
		td,
		inbox_find_load(td, item, unit, period_start, channel, has_exchange, received_at_exchange),
		&elem);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(inbox_finish);

Datum
inbox_finish(PG_FUNCTION_ARGS)
{
	List     *loads = inbox_loads;
	ListCell *lc;

	check_trigger(fcinfo, false);
	inbox_loads = NIL;
	/* First every worker's rows, so that finishing (SQL) runs outside parallel mode. */
	foreach (lc, loads)
	{
		IntakeLoad *load = (IntakeLoad *) lfirst(lc);

		if (load->parallel)
			intake_parallel_end(load, false);
	}
	foreach (lc, loads)
	{
		IntakeLoad *load = (IntakeLoad *) lfirst(lc);
		int64       total = load->rows_total;
		int64       accepted = load->rows_accepted;
		int64       rejected = load->rows_rejected;
		char       *item = pstrdup(load->item_code);
		int64       id = intake_finish(load);

		ereport(NOTICE, (errmsg("submission " INT64_FORMAT " of catalog item \"%s\": " INT64_FORMAT
								" rows, " INT64_FORMAT " accepted, " INT64_FORMAT " rejected",
								id, item, total, accepted, rejected)));
	}
	list_free(loads);
	return PointerGetDatum(NULL);
}
