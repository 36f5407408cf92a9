/*
 * intake_write_fast.c
 *		Insert a chunk of records the way COPY does: table_multi_insert (one
 *		WAL record per heap page instead of per row, no executor per row),
 *		then the index entries and the CHECK constraints row by row.
 *
 * The executor is bypassed, so this path is taken only when nothing else
 * could need it: taxshare.record has no INSERT triggers (the foreign key of
 * objection adds only UPDATE/DELETE ones) and no row-level security policy
 * applies to the current user (none does to its owner, a superuser or a role
 * with BYPASSRLS; the current user is the owner, as submit() and the inbox
 * triggers are SECURITY DEFINER).
 * The INSERT privilege is checked as the executor would.
 */
#include "taxshare.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "intake_write.h"

static const char *const record_columns[RECORD_NCOLS] = {
	[RC_ID] = "id",
	[RC_SUBMISSION] = "submission_id",
	[RC_ROW_NO] = "row_no",
	[RC_STATUS] = "status",
	[RC_PAYLOAD] = "payload",
	[RC_RAW] = "raw",
	[RC_USCC] = "uscc",
	[RC_IDCARD] = "idcard",
	[RC_ORGCODE] = "orgcode",
};

bool
intake_write_fast(IntakeWriter *w)
{
	Oid			relid = get_relname_relid("record", get_namespace_oid("taxshare", false));
	Relation	rel;
	TriggerDesc *td;
	TupleDesc	desc;
	int			attnos[RECORD_NCOLS];
	MemoryContext cxt;
	MemoryContext old;
	EState	   *estate;
	RangeTblEntry *rte;
	ResultRelInfo *rri;
	TupleTableSlot **slots;
	BulkInsertState bistate;
	AclResult	acl;
	int			r,
				c;

	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, RowExclusiveLock);
	td = rel->trigdesc;
	if ((td && (td->trig_insert_before_row || td->trig_insert_after_row ||
				td->trig_insert_instead_row || td->trig_insert_before_statement ||
				td->trig_insert_after_statement || td->trig_insert_new_table)) ||
		check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
	{
		table_close(rel, NoLock);
		return false;
	}
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, RelationGetRelationName(rel));
	desc = RelationGetDescr(rel);
	for (c = 0; c < RECORD_NCOLS; c++)
	{
		attnos[c] = SPI_fnumber(desc, record_columns[c]);
		if (attnos[c] <= 0)
			elog(ERROR, "taxshare.record has no column \"%s\"", record_columns[c]);
	}

	/* table_multi_insert leaks into the current context: use a private one. */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "taxshare intake insert", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	rte->requiredPerms = ACL_INSERT;
	ExecInitRangeTable(estate, list_make1(rte));
	rri = makeNode(ResultRelInfo);
	InitResultRelInfo(rri, rel, 1, NULL, 0);
	ExecOpenIndices(rri, false);
	estate->es_output_cid = GetCurrentCommandId(true);

	slots = palloc(sizeof(TupleTableSlot *) * w->nrec);
	for (r = 0; r < w->nrec; r++)
	{
		TupleTableSlot *slot = table_slot_create(rel, NULL);
		const Datum *v = w->rec_values + r * RECORD_NCOLS;
		const char *n = w->rec_nulls + r * RECORD_NCOLS;

		ExecClearTuple(slot);
		memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
		for (c = 0; c < RECORD_NCOLS; c++)
		{
			slot->tts_values[attnos[c] - 1] = v[c];
			slot->tts_isnull[attnos[c] - 1] = n[c] == 'n';
		}
		ExecStoreVirtualTuple(slot);
		if (desc->constr)
			ExecConstraints(rri, slot, estate);
		slots[r] = slot;
	}

	bistate = GetBulkInsertState();
	table_multi_insert(rel, slots, w->nrec, estate->es_output_cid, 0, bistate);
	FreeBulkInsertState(bistate);
	for (r = 0; r < w->nrec; r++)
	{
		if (rri->ri_NumIndices > 0)
		{
			ExecInsertIndexTuples(rri, slots[r], estate, false, false, NULL, NIL);
			ResetPerTupleExprContext(estate);
		}
		ExecDropSingleTupleTableSlot(slots[r]);
	}

	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	table_close(rel, NoLock);
	return true;
}
