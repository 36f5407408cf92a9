/*
 * bulk_insert.c
 *		Rows into one table the way COPY FROM writes them (see bulk_insert.h
 *		for when it is allowed): buffered, the heap written by
 *		table_multi_insert (through a BulkInsertState's ring when asked), then
 *		the index entries of each row.  Defaults of the columns not given and
 *		the CHECK and NOT NULL constraints are applied as the executor would;
 *		unique indexes check as they always do, at insertion.  An index the
 *		caller claimed (bulk_insert_claim_indexes) gets its datums handed over
 *		instead.
 */
#include "taxshare.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_relation.h"
#include "rewrite/rewriteHandler.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/rls.h"

#include "common/bulk_insert.h"

/* Rows per table_multi_insert: COPY buffers as many (MAX_BUFFERED_TUPLES). */
#define BULK_ROWS  1000
/* ... or fewer when they are wide: the buffered tuples stay under this size. */
#define BULK_BYTES (256 * 1024)

struct BulkInsert
{
	MemoryContext        cxt;   /* everything below */
	MemoryContext        batch; /* reset after each flush */
	Relation             rel;
	EState              *estate;
	ResultRelInfo       *rri;
	BulkInsertState      bistate;
	CommandId            cid;
	int                  ncolumns;
	AttrNumber          *attnos; /* of the given columns */
	int                  ndefaults;
	AttrNumber          *def_attnos; /* columns not given that have a default */
	ExprState          **def_exprs;
	TupleTableSlot     **slots;
	int                  nbuffered;
	Size                 nbytes;   /* of the buffered tuples */
	ResourceOwner        owner;    /* of the relation, the indexes, the pins */
	int                  nclaimed; /* indexes after ri_NumIndices, written by: */
	BulkInsertWriteIndex write_index;
	void                *write_arg;
};

/* INSERT triggers of any kind (a foreign key is one), or rules. */
static bool
has_insert_hooks(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;

	if (rel->rd_rules != NULL)
		return true;
	return td != NULL && (td->trig_insert_before_row || td->trig_insert_after_row ||
						  td->trig_insert_instead_row || td->trig_insert_before_statement ||
						  td->trig_insert_after_statement || td->trig_insert_new_table);
}

BulkInsert *
bulk_insert_begin(const char *schema, const char *table, int ncolumns, const char *const *columns,
				  bool ring)
{
	Oid            nsp = get_namespace_oid(schema, true);
	Oid            relid = OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
	Relation       rel;
	TupleDesc      desc;
	BulkInsert    *bi;
	MemoryContext  old;
	RangeTblEntry *rte;
	bool          *given;
	int            c;

	if (!OidIsValid(relid))
		return NULL;
	rel = table_open(relid, RowExclusiveLock);
	desc = RelationGetDescr(rel);
	if (rel->rd_rel->relkind != RELKIND_RELATION || has_insert_hooks(rel) ||
		(desc->constr && desc->constr->has_generated_stored) ||
		check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED ||
		pg_class_aclcheck(relid, GetUserId(), ACL_INSERT) != ACLCHECK_OK)
	{
		/* the SQL path applies (or refuses) what is skipped here */
		table_close(rel, RowExclusiveLock);
		return NULL;
	}

	bi = MemoryContextAllocZero(CurrentMemoryContext, sizeof(BulkInsert));
	bi->cxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare bulk insert", ALLOCSET_DEFAULT_SIZES);
	bi->batch =
		AllocSetContextCreate(bi->cxt, "taxshare bulk insert batch", ALLOCSET_DEFAULT_SIZES);
	bi->rel = rel;
	bi->owner = CurrentResourceOwner;
	old = MemoryContextSwitchTo(bi->cxt);

	bi->ncolumns = ncolumns;
	bi->attnos = palloc(sizeof(AttrNumber) * ncolumns);
	given = palloc0(sizeof(bool) * desc->natts);
	for (c = 0; c < ncolumns; c++)
	{
		AttrNumber a = attnameAttNum(rel, columns[c], false);

		if (a <= 0)
			elog(ERROR, "%s.%s has no column \"%s\"", schema, table, columns[c]);
		bi->attnos[c] = a;
		given[a - 1] = true;
	}

	bi->estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
#if PG_VERSION_NUM >= 160000
	{
		RTEPermissionInfo *perm = makeNode(RTEPermissionInfo);

		perm->relid = relid;
		perm->requiredPerms = ACL_INSERT;
		rte->perminfoindex = 1;
		ExecInitRangeTable(bi->estate, list_make1(rte), list_make1(perm));
	}
#else
	rte->requiredPerms = ACL_INSERT;
	ExecInitRangeTable(bi->estate, list_make1(rte));
#endif
	bi->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(bi->rri, rel, 1, NULL, 0);
	ExecOpenIndices(bi->rri, false);
	bi->cid = GetCurrentCommandId(true);
	bi->estate->es_output_cid = bi->cid;

	/* defaults of the columns not given, prepared once */
	bi->def_attnos = palloc(sizeof(AttrNumber) * desc->natts);
	bi->def_exprs = palloc(sizeof(ExprState *) * desc->natts);
	for (c = 0; c < desc->natts; c++)
	{
		Node *def;

		if (given[c] || TupleDescAttr(desc, c)->attisdropped)
			continue;
		def = build_column_default(rel, c + 1);
		if (def == NULL)
			continue;
		bi->def_attnos[bi->ndefaults] = c + 1;
		bi->def_exprs[bi->ndefaults++] =
			ExecPrepareExpr(expression_planner((Expr *) def), bi->estate);
	}

	bi->slots = palloc(sizeof(TupleTableSlot *) * BULK_ROWS);
	for (c = 0; c < BULK_ROWS; c++)
		bi->slots[c] = table_slot_create(rel, NULL);
	bi->bistate = ring ? GetBulkInsertState() : NULL;
	MemoryContextSwitchTo(old);
	return bi;
}

void
bulk_insert_claim_indexes(BulkInsert *bi, BulkInsertClaimIndex claim, BulkInsertWriteIndex write,
						  void *arg)
{
	ResultRelInfo *rri = bi->rri;
	int            n = rri->ri_NumIndices;
	RelationPtr    descs;
	IndexInfo    **infos;
	bool          *claimed;
	int            kept = 0;
	int            i;
	MemoryContext  old;

	Assert(bi->nbuffered == 0 && bi->write_index == NULL);
	if (n == 0)
		return;
	old = MemoryContextSwitchTo(bi->cxt);
	descs = palloc(sizeof(Relation) * n);
	infos = palloc(sizeof(IndexInfo *) * n);
	claimed = palloc(sizeof(bool) * n);
	for (i = 0; i < n; i++)
	{
		claimed[i] = rri->ri_IndexRelationInfo[i]->ii_ReadyForInserts &&
					 claim(rri->ri_IndexRelationDescs[i], rri->ri_IndexRelationInfo[i], arg);
		if (!claimed[i])
			kept++;
	}

	/*
	 * The claimed ones go last, past ri_NumIndices, where
	 * ExecInsertIndexTuples() does not see them; bulk_insert_end() counts
	 * them back in for ExecCloseIndices().
	 */
	bi->nclaimed = n - kept;
	kept = 0;
	for (i = 0; i < n; i++)
		if (!claimed[i])
		{
			descs[kept] = rri->ri_IndexRelationDescs[i];
			infos[kept++] = rri->ri_IndexRelationInfo[i];
		}
	for (i = 0; i < n; i++)
		if (claimed[i])
		{
			IndexInfo *info = rri->ri_IndexRelationInfo[i];

			descs[kept] = rri->ri_IndexRelationDescs[i];
			infos[kept++] = info;
			if (info->ii_Predicate != NIL && info->ii_PredicateState == NULL)
				info->ii_PredicateState = ExecPrepareQual(info->ii_Predicate, bi->estate);
		}
	rri->ri_IndexRelationDescs = descs;
	rri->ri_IndexRelationInfo = infos;
	rri->ri_NumIndices = n - bi->nclaimed;
	bi->write_index = write;
	bi->write_arg = arg;
	pfree(claimed);
	MemoryContextSwitchTo(old);
}

/* The claimed indexes' datums of one written row, to their writer. */
static void
write_claimed(BulkInsert *bi, TupleTableSlot *slot)
{
	ExprContext *econtext = GetPerTupleExprContext(bi->estate);
	Datum        values[INDEX_MAX_KEYS];
	bool         isnull[INDEX_MAX_KEYS];
	int          i;

	econtext->ecxt_scantuple = slot;
	for (i = bi->rri->ri_NumIndices; i < bi->rri->ri_NumIndices + bi->nclaimed; i++)
	{
		IndexInfo *info = bi->rri->ri_IndexRelationInfo[i];

		if (info->ii_PredicateState != NULL && !ExecQual(info->ii_PredicateState, econtext))
			continue;
		FormIndexDatum(info, slot, bi->estate, values, isnull);
		bi->write_index(slot, bi->rri->ri_IndexRelationDescs[i], info, values, isnull,
						bi->write_arg);
	}
}

static void
bulk_flush(BulkInsert *bi)
{
	MemoryContext old;
	ResourceOwner oldowner;
	int           r;

	if (bi->nbuffered == 0)
		return;
	/* table_multi_insert and the index insertion leak: into the batch context */
	old = MemoryContextSwitchTo(bi->batch);
	oldowner = CurrentResourceOwner;
	CurrentResourceOwner = bi->owner;
	table_multi_insert(bi->rel, bi->slots, bi->nbuffered, bi->cid, 0, bi->bistate);
	for (r = 0; r < bi->nbuffered; r++)
	{
		if (bi->rri->ri_NumIndices > 0)
		{
#if PG_VERSION_NUM >= 160000
			ExecInsertIndexTuples(bi->rri, bi->slots[r], bi->estate, false, false, NULL, NIL,
								  false);
#else
			ExecInsertIndexTuples(bi->rri, bi->slots[r], bi->estate, false, false, NULL, NIL);
#endif
			ResetPerTupleExprContext(bi->estate);
		}
		if (bi->nclaimed > 0)
		{
			write_claimed(bi, bi->slots[r]);
			ResetPerTupleExprContext(bi->estate);
		}
		ExecClearTuple(bi->slots[r]);
	}
	CurrentResourceOwner = oldowner;
	MemoryContextSwitchTo(old);
	MemoryContextReset(bi->batch);
	bi->nbuffered = 0;
	bi->nbytes = 0;
}

void
bulk_insert_row(BulkInsert *bi, const Datum *values, const bool *nulls)
{
	TupleTableSlot *slot = bi->slots[bi->nbuffered];
	TupleDesc       desc = RelationGetDescr(bi->rel);
	ExprContext    *econtext = GetPerTupleExprContext(bi->estate);
	int             c;

	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
	for (c = 0; c < bi->ncolumns; c++)
	{
		slot->tts_values[bi->attnos[c] - 1] = values[c];
		slot->tts_isnull[bi->attnos[c] - 1] = nulls ? nulls[c] : false;
	}
	for (c = 0; c < bi->ndefaults; c++)
	{
		AttrNumber a = bi->def_attnos[c];

		slot->tts_values[a - 1] =
			ExecEvalExpr(bi->def_exprs[c], econtext, &slot->tts_isnull[a - 1]);
	}
	ExecStoreVirtualTuple(slot);
	/* the row's own copy: the caller's values and the defaults may go now */
	ExecMaterializeSlot(slot);
	if (desc->constr)
		ExecConstraints(bi->rri, slot, bi->estate);
	ResetPerTupleExprContext(bi->estate);
	if (TTS_IS_BUFFERTUPLE(slot) || TTS_IS_HEAPTUPLE(slot))
	{
		bool copied;

		bi->nbytes += ExecFetchSlotHeapTuple(slot, false, &copied)->t_len;
	}
	if (++bi->nbuffered == BULK_ROWS || bi->nbytes >= BULK_BYTES)
		bulk_flush(bi);
}

void
bulk_insert_end(BulkInsert *bi)
{
	ResourceOwner oldowner;
	int           c;

	bulk_flush(bi);
	oldowner = CurrentResourceOwner;
	CurrentResourceOwner = bi->owner;
	if (bi->bistate)
		FreeBulkInsertState(bi->bistate);
	for (c = 0; c < BULK_ROWS; c++)
		ExecDropSingleTupleTableSlot(bi->slots[c]);
	bi->rri->ri_NumIndices += bi->nclaimed;
	ExecCloseIndices(bi->rri);
	FreeExecutorState(bi->estate);
	table_close(bi->rel, NoLock);
	CurrentResourceOwner = oldowner;
	MemoryContextDelete(bi->cxt);
	pfree(bi);
}
