/*
 * risk_list_index.c
 *		The list index of risk_score, (period_start, grade, rank), written by
 *		grade_risks() in key order rather than in the order the rows are
 *		written.
 *
 * grade_risks() writes a period's rows in entity order, so that the primary
 * key (entity_id, period_start) fills its pages one after the other.  The list
 * index would then get its million entries at random places: every insertion
 * a descent to a different leaf, every full leaf split in the middle, the
 * whole index kept in cache.  Instead the bulk writer hands this index over
 * (bulk_insert_claim_indexes()): each written row's heap address is kept by
 * its rank, and once the heap is written the entries go in in the index's own
 * order (grade ascending, then rank), as a sorted build would write them.
 * Inserted in ascending order into the right-hand edge of the index, B-tree
 * takes its fast path (no descent from the root) and splits a full page by
 * leaving it full; for an earlier period being regraded the insertions still
 * go to one leaf after the other.
 *
 * Only the index whose key is exactly (period_start, grade, rank) of the
 * period being written, without expressions, predicate or uniqueness, is
 * claimed; any other index on risk_score (a DBA's own) is written row by row
 * by the bulk writer.  The order only affects speed: the entries are the
 * ones the executor would insert, through index_insert().  Between the
 * writing of the rows and risk_list_index_write() a search of the index does
 * not find the period's new rows; nothing reads them in between, and an
 * error on the way aborts the transaction that wrote them.
 */
#include "taxshare.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/pg_am_d.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "storage/itemptr.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "risk/risk_list_index.h"

struct RiskListIndex
{
	Oid              index; /* the claimed index, InvalidOid until claimed */
	int32            n;     /* ranks 1..n */
	DateADT          period;
	Datum            grades[3]; /* the enum's low, medium, high */
	ItemPointerData *tids;      /* by rank - 1 */
	uint8           *grade_of;  /* by rank - 1: 0 not written, 1 + index into grades */
};

/* Is the index's key exactly (period_start, grade, rank), nothing else? */
static bool
is_list_index(Relation index, IndexInfo *info)
{
	static const char *const key[] = {"period_start", "grade", "rank"};
	Oid                      heap = index->rd_index->indrelid;
	int                      i;

	if (index->rd_rel->relam != BTREE_AM_OID || info->ii_Unique || info->ii_Expressions != NIL ||
		info->ii_Predicate != NIL || info->ii_NumIndexAttrs != lengthof(key) ||
		info->ii_NumIndexKeyAttrs != lengthof(key))
		return false;
	for (i = 0; i < (int) lengthof(key); i++)
		if (info->ii_IndexAttrNumbers[i] != get_attnum(heap, key[i]))
			return false;
	return true;
}

static bool
claim(Relation index, IndexInfo *info, void *arg)
{
	RiskListIndex *li = (RiskListIndex *) arg;

	if (OidIsValid(li->index) || !is_list_index(index, info))
		return false;
	li->index = RelationGetRelid(index);
	return true;
}

static void
keep(TupleTableSlot *slot, Relation index, IndexInfo *info, Datum *values, bool *isnull, void *arg)
{
	RiskListIndex *li = (RiskListIndex *) arg;
	int32          rank;
	int            g;

	if (isnull[0] || isnull[1] || isnull[2] || DatumGetDateADT(values[0]) != li->period)
		elog(ERROR, "grade_risks: a risk_score row outside the period reached the list index");
	rank = DatumGetInt32(values[2]);
	if (rank < 1 || rank > li->n || li->grade_of[rank - 1] != 0)
		elog(ERROR, "grade_risks: rank %d is out of range or written twice", rank);
	for (g = 0; g < 3; g++)
		if (values[1] == li->grades[g])
			break;
	if (g == 3)
		elog(ERROR, "grade_risks: a risk_score row has an unknown grade");
	li->tids[rank - 1] = slot->tts_tid;
	li->grade_of[rank - 1] = (uint8) (g + 1);
}

RiskListIndex *
risk_list_index_claim(BulkInsert *bi, int32 n, DateADT period, Datum low, Datum medium, Datum high)
{
	RiskListIndex *li = palloc0(sizeof(RiskListIndex));

	li->n = n;
	li->period = period;
	li->grades[0] = low;
	li->grades[1] = medium;
	li->grades[2] = high;
	li->tids = palloc_extended(sizeof(ItemPointerData) * (Size) Max(n, 1), MCXT_ALLOC_HUGE);
	li->grade_of = palloc_extended((Size) Max(n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	bulk_insert_claim_indexes(bi, claim, keep, li);
	return li;
}

void
risk_list_index_write(RiskListIndex *li, ProgressState *progress)
{
	Relation      index;
	Relation      heap;
	IndexInfo    *info;
	MemoryContext cxt;
	MemoryContext old;
	int64         done = 0;
	int           g;

	if (!OidIsValid(li->index))
		return;
	/* both already locked RowExclusive by the bulk writer in this transaction */
	index = index_open(li->index, RowExclusiveLock);
	heap = table_open(index->rd_index->indrelid, RowExclusiveLock);
	info = BuildIndexInfo(index);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "risk list index", ALLOCSET_SMALL_SIZES);
	for (g = 0; g < 3; g++)
	{
		int32 r;

		for (r = 0; r < li->n; r++)
		{
			Datum values[3];
			bool  isnull[3] = {false, false, false};

			if (li->grade_of[r] != g + 1)
				continue;
			CHECK_FOR_INTERRUPTS();
			values[0] = DateADTGetDatum(li->period);
			values[1] = li->grades[g];
			values[2] = Int32GetDatum(r + 1);
			old = MemoryContextSwitchTo(cxt);
			index_insert(index, values, isnull, &li->tids[r], heap, UNIQUE_CHECK_NO, false, info);
			MemoryContextSwitchTo(old);
			if ((++done & 4095) == 0)
			{
				MemoryContextReset(cxt);
				progress_update(progress, done);
			}
		}
	}
	MemoryContextDelete(cxt);
	progress_update(progress, done);
	table_close(heap, NoLock);
	index_close(index, NoLock);
}
