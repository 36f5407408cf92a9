/*
 * bulk_insert.c
 *		Rows into one table the way COPY FROM writes them (see bulk_insert.h
 *		for when it is allowed): buffered, the heap written by
 *		table_multi_insert (through a BulkInsertState's ring when asked), then
 *		the index entries of each row.  Defaults of the columns not given and the CHECK and NOT
 *		NULL constraints are applied as the executor would; unique indexes
 *		check as they always do, at insertion.
 */
#include "taxshare.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
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
#include "utils/rls.h"

#include "bulk_insert.h"

/* Rows per table_multi_insert: COPY buffers as many (MAX_BUFFERED_TUPLES). */
#define BULK_ROWS 1000

struct BulkInsert
{
	MemoryContext cxt;			/* everything below */
	MemoryContext batch;		/* reset after each flush */
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	BulkInsertState bistate;
	CommandId	cid;
	int			ncolumns;
	AttrNumber *attnos;			/* of the given columns */
	int			ndefaults;
	AttrNumber *def_attnos;		/* columns not given that have a default */
	ExprState **def_exprs;
	TupleTableSlot **slots;
	int			nbuffered;
};

/* INSERT triggers of any kind (a foreign key is one), or rules. */
static bool
has_insert_hooks(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;

	if (rel->rd_rules != NULL)
		return true;
	return td != NULL &&
		(td->trig_insert_before_row || td->trig_insert_after_row ||
		 td->trig_insert_instead_row || td->trig_insert_before_statement ||
		 td->trig_insert_after_statement || td->trig_insert_new_table);
}

BulkInsert *
bulk_insert_begin(const char *schema, const char *table, int ncolumns, const char *const *columns,
				  bool ring)
{
	Oid			nsp = get_namespace_oid(schema, true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
	Relation	rel;
	TupleDesc	desc;
	BulkInsert *bi;
	MemoryContext old;
	RangeTblEntry *rte;
	bool	   *given;
	int			c;

#if PG_VERSION_NUM < 140000
	return NULL;				/* ExecInsertIndexTuples() took other arguments */
#endif
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
	bi->cxt = AllocSetContextCreate(CurrentMemoryContext, "taxshare bulk insert", ALLOCSET_DEFAULT_SIZES);
	bi->batch = AllocSetContextCreate(bi->cxt, "taxshare bulk insert batch", ALLOCSET_DEFAULT_SIZES);
	bi->rel = rel;
	old = MemoryContextSwitchTo(bi->cxt);

	bi->ncolumns = ncolumns;
	bi->attnos = palloc(sizeof(AttrNumber) * ncolumns);
	given = palloc0(sizeof(bool) * desc->natts);
	for (c = 0; c < ncolumns; c++)
	{
		AttrNumber	a = attnameAttNum(rel, columns[c], false);

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
		Node	   *def;

		if (given[c] || TupleDescAttr(desc, c)->attisdropped)
			continue;
		def = build_column_default(rel, c + 1);
		if (def == NULL)
			continue;
		bi->def_attnos[bi->ndefaults] = c + 1;
		bi->def_exprs[bi->ndefaults++] = ExecPrepareExpr(expression_planner((Expr *) def), bi->estate);
	}

	bi->slots = palloc(sizeof(TupleTableSlot *) * BULK_ROWS);
	for (c = 0; c < BULK_ROWS; c++)
		bi->slots[c] = table_slot_create(rel, NULL);
	bi->bistate = ring ? GetBulkInsertState() : NULL;
	MemoryContextSwitchTo(old);
	return bi;
}

static void
bulk_flush(BulkInsert *bi)
{
	MemoryContext old;
	int			r;

	if (bi->nbuffered == 0)
		return;
	/* table_multi_insert and the index insertion leak: into the batch context */
	old = MemoryContextSwitchTo(bi->batch);
	table_multi_insert(bi->rel, bi->slots, bi->nbuffered, bi->cid, 0, bi->bistate);
	for (r = 0; r < bi->nbuffered; r++)
	{
		if (bi->rri->ri_NumIndices > 0)
		{
#if PG_VERSION_NUM >= 160000
			ExecInsertIndexTuples(bi->rri, bi->slots[r], bi->estate, false, false, NULL, NIL, false);
#elif PG_VERSION_NUM >= 140000
			ExecInsertIndexTuples(bi->rri, bi->slots[r], bi->estate, false, false, NULL, NIL);
#else
			elog(ERROR, "bulk insert needs PostgreSQL 14 or later");
#endif
			ResetPerTupleExprContext(bi->estate);
		}
		ExecClearTuple(bi->slots[r]);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(bi->batch);
	bi->nbuffered = 0;
}

void
bulk_insert_row(BulkInsert *bi, const Datum *values, const bool *nulls)
{
	TupleTableSlot *slot = bi->slots[bi->nbuffered];
	TupleDesc	desc = RelationGetDescr(bi->rel);
	ExprContext *econtext = GetPerTupleExprContext(bi->estate);
	int			c;

	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
	for (c = 0; c < bi->ncolumns; c++)
	{
		slot->tts_values[bi->attnos[c] - 1] = values[c];
		slot->tts_isnull[bi->attnos[c] - 1] = nulls ? nulls[c] : false;
	}
	for (c = 0; c < bi->ndefaults; c++)
	{
		AttrNumber	a = bi->def_attnos[c];

		slot->tts_values[a - 1] = ExecEvalExpr(bi->def_exprs[c], econtext, &slot->tts_isnull[a - 1]);
	}
	ExecStoreVirtualTuple(slot);
	/* the row's own copy: the caller's values and the defaults may go now */
	ExecMaterializeSlot(slot);
	if (desc->constr)
		ExecConstraints(bi->rri, slot, bi->estate);
	ResetPerTupleExprContext(bi->estate);
	if (++bi->nbuffered == BULK_ROWS)
		bulk_flush(bi);
}

void
bulk_insert_end(BulkInsert *bi)
{
	int			c;

	bulk_flush(bi);
	if (bi->bistate)
		FreeBulkInsertState(bi->bistate);
	for (c = 0; c < BULK_ROWS; c++)
		ExecDropSingleTupleTableSlot(bi->slots[c]);
	ExecCloseIndices(bi->rri);
	FreeExecutorState(bi->estate);
	table_close(bi->rel, NoLock);
	MemoryContextDelete(bi->cxt);
	pfree(bi);
}
