/*
 * intake_write_fast.c
 *		Insert a chunk of records (or of record errors) the way COPY does:
 *		table_multi_insert (one WAL record per heap page instead of per row,
 *		no executor per row), then the index entries and the CHECK constraints
 *		row by row -- except the GIN identifier index, whose keys are held for
 *		one bulk write per load (intake_gin.c).
 *
 * The executor is bypassed, so this path is taken only when nothing else
 * could need it: the table has no INSERT triggers (the foreign key of
 * objection adds only UPDATE/DELETE ones to taxshare.record) and no
 * row-level security policy applies to the current user (none does to its owner, a superuser or a role
 * with BYPASSRLS; the current user is the owner, as submit() and the inbox
 * triggers are SECURITY DEFINER).
 * The INSERT privilege is checked as the executor would.
 */
#include "taxshare.h"

#include "access/gin_private.h"
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
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

static const char *const error_columns[ERROR_NCOLS] = {
	"submission_id", "row_no", "field", "code", "message"
};

/*
 * Insert nrows rows of ncols values (nulls SPI style, 'n' for NULL) into the
 * named columns of taxshare.relname; false when the executor is needed.
 */
static bool
write_rows(IntakeWriter *w, const char *relname, const char *const *columns, int ncols,
		   const Datum *values, const char *nulls, int nrows)
{
	Oid			relid = get_relname_relid(relname, get_namespace_oid("taxshare", false));
	Relation	rel;
	TriggerDesc *td;
	TupleDesc	desc;
	int			attnos[Max(RECORD_NCOLS, ERROR_NCOLS)];
	MemoryContext cxt;
	MemoryContext old;
	EState	   *estate;
	RangeTblEntry *rte;
	ResultRelInfo *rri;
	TupleTableSlot **slots;
	BulkInsertState bistate;
	AclResult	acl;
	int			gin_at = -1;
	IndexInfo  *gin_info = NULL;
	ExprState  *gin_pred = NULL;
	GinState	ginstate;
	Datum		gin_values[INDEX_MAX_KEYS];
	bool		gin_isnull[INDEX_MAX_KEYS];
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
	for (c = 0; c < ncols; c++)
	{
		attnos[c] = SPI_fnumber(desc, columns[c]);
		if (attnos[c] <= 0)
			elog(ERROR, "taxshare.%s has no column \"%s\"", relname, columns[c]);
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

	/*
	 * The GIN identifier index is written in bulk (intake_gin.c): move it
	 * last and keep it from ExecInsertIndexTuples, which writes the others.
	 */
	for (r = 0; r < rri->ri_NumIndices && gin_at < 0; r++)
	{
		Relation	idx = rri->ri_IndexRelationDescs[r];

		if (w->gin ? RelationGetRelid(idx) == intake_gin_index(w->gin) :
			intake_gin_eligible(idx) && rri->ri_IndexRelationInfo[r]->ii_ReadyForInserts)
			gin_at = r;
	}
	if (gin_at >= 0)
	{
		int			last = rri->ri_NumIndices - 1;
		Relation	idx = rri->ri_IndexRelationDescs[gin_at];

		gin_info = rri->ri_IndexRelationInfo[gin_at];
		rri->ri_IndexRelationDescs[gin_at] = rri->ri_IndexRelationDescs[last];
		rri->ri_IndexRelationInfo[gin_at] = rri->ri_IndexRelationInfo[last];
		rri->ri_IndexRelationDescs[last] = idx;
		rri->ri_IndexRelationInfo[last] = gin_info;
		rri->ri_NumIndices--;
		if (w->gin == NULL)
			w->gin = intake_gin_create(MemoryContextGetParent(w->bufcxt), RelationGetRelid(idx));
		initGinState(&ginstate, idx);
		if (gin_info->ii_Predicate != NIL)
			gin_pred = ExecPrepareQual(gin_info->ii_Predicate, estate);
	}

	slots = palloc(sizeof(TupleTableSlot *) * nrows);
	for (r = 0; r < nrows; r++)
	{
		TupleTableSlot *slot = table_slot_create(rel, NULL);
		const Datum *v = values + r * ncols;
		const char *n = nulls + r * ncols;

		ExecClearTuple(slot);
		memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
		for (c = 0; c < ncols; c++)
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
	table_multi_insert(rel, slots, nrows, estate->es_output_cid, 0, bistate);
	FreeBulkInsertState(bistate);
	for (r = 0; r < nrows; r++)
	{
		if (rri->ri_NumIndices > 0)
			ExecInsertIndexTuples(rri, slots[r], estate, false, false, NULL, NIL);
		if (gin_at >= 0)
		{
			ExprContext *econtext = GetPerTupleExprContext(estate);

			econtext->ecxt_scantuple = slots[r];
			if (gin_pred == NULL || ExecQual(gin_pred, econtext))
			{
				FormIndexDatum(gin_info, slots[r], estate, gin_values, gin_isnull);
				intake_gin_add(w->gin, &ginstate, &slots[r]->tts_tid, gin_values, gin_isnull);
			}
		}
		ResetPerTupleExprContext(estate);
		ExecDropSingleTupleTableSlot(slots[r]);
	}
	if (gin_at >= 0)
		rri->ri_NumIndices++;

	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	table_close(rel, NoLock);
	if (w->gin && intake_gin_full(w->gin))
		intake_gin_write(w->gin);
	return true;
}

bool
intake_write_fast(IntakeWriter *w)
{
	return write_rows(w, "record", record_columns, RECORD_NCOLS, w->rec_values, w->rec_nulls,
					  w->nrec);
}

bool
intake_write_fast_errors(IntakeWriter *w)
{
	return write_rows(w, "record_error", error_columns, ERROR_NCOLS, w->err_values, w->err_nulls,
					  w->nerr);
}
