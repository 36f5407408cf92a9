/*
 * intake_gin.c
 *		The identifier index of taxshare.record (record_idents, a GIN index),
 *		written in bulk at the end of a load instead of row by row.
 *
 * GIN's own row-by-row insertion appends each row's keys to the index's
 * pending list (WAL-logged, page by page), and whenever the list passes
 * gin_pending_list_limit reads it back and sorts every key occurrence into a
 * red-black tree, comparing keys with the column's collation -- strcoll()
 * under most database locales -- before inserting each distinct key with its
 * item pointers into the index: most of what the index costs a load
 * (docs/performance.md, "Intake").  A load knows all its rows, so it does what
 * the cleanup does, without the detour: it extracts each row's keys with the
 * index's own extractValue (ginExtractEntries: the same keys and null/empty
 * categories as gininsert), groups the rows by key in a hash table on the
 * key's bytes, and calls ginEntryInsert once per distinct key with its sorted
 * item pointers -- as ginInsertCleanup and ginbuild do, fully WAL-logged.
 * Grouping by bytes is grouping by the opclass's equality only for text keys
 * under a deterministic collation (bttextcmp breaks strcoll() ties bytewise),
 * so only such a GIN index takes this path; any other index goes through
 * ExecInsertIndexTuples.
 *
 * The keys are written when the load finishes (before its submission is
 * closed, so the ledger hook and everything after see them), and earlier
 * whenever the keys held pass work_mem, so memory stays bounded however long
 * the batch.  Until then a search of the index in the loading transaction
 * itself does not find the load's rows (a sequential scan does); nothing in
 * taxshare searches records while loading them.
 */
#include "taxshare.h"

#include "access/gin_private.h"
#include "access/genam.h"
#include "catalog/pg_am.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "intake/intake_write.h"

/* A key of one column: what ginEntryInsert is called with. */
typedef struct GinKey
{
	const char     *bytes; /* NULL unless GIN_CAT_NORM_KEY */
	uint32          len;
	OffsetNumber    attnum;
	GinNullCategory category;
} GinKey;

/* A distinct key and the rows that have it. */
typedef struct GinKeyRows
{
	GinKey           key; /* the hash key */
	uint32           n;
	uint32           max;
	bool             sorted; /* tids in ascending order (the usual case) */
	ItemPointerData *tids;
} GinKeyRows;

struct IntakeGin
{
	Oid           indexoid;
	MemoryContext cxt; /* the keys and their rows; reset after each write */
	HTAB         *keys;
	Size          bytes;
};

static uint32
ginkey_hash(const void *key, Size keysize)
{
	const GinKey *k = (const GinKey *) key;
	uint32        h = hash_bytes((const unsigned char *) k->bytes, (int) k->len);

	return h ^ ((uint32) k->attnum << 8 | (uint8) k->category);
}

static int
ginkey_match(const void *key1, const void *key2, Size keysize)
{
	const GinKey *x = (const GinKey *) key1;
	const GinKey *y = (const GinKey *) key2;

	if (x->attnum != y->attnum || x->category != y->category || x->len != y->len)
		return 1;
	return x->len > 0 ? memcmp(x->bytes, y->bytes, x->len) : 0;
}

static void
keys_create(IntakeGin *g)
{
	HASHCTL ctl;

	ctl.keysize = sizeof(GinKey);
	ctl.entrysize = sizeof(GinKeyRows);
	ctl.hash = ginkey_hash;
	ctl.match = ginkey_match;
	ctl.hcxt = g->cxt;
	g->keys = hash_create("taxshare intake gin keys", 1024, &ctl,
						  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/*
 * Whether the writer may buffer this index: a GIN index whose key columns are
 * all text under a deterministic collation (see the file header).
 */
bool
intake_gin_eligible(Relation index)
{
	TupleDesc desc = RelationGetDescr(index);
	int       i;

	if (index->rd_rel->relam != GIN_AM_OID)
		return false;
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->atttypid != TEXTOID || !OidIsValid(a->attcollation) ||
			!(a->attcollation == DEFAULT_COLLATION_OID || a->attcollation == C_COLLATION_OID ||
			  get_collation_isdeterministic(a->attcollation)))
			return false;
	}
	return true;
}

IntakeGin *
intake_gin_create(MemoryContext parent, Oid indexoid)
{
	IntakeGin *g = MemoryContextAllocZero(parent, sizeof(IntakeGin));

	g->indexoid = indexoid;
	g->cxt = AllocSetContextCreate(parent, "taxshare intake gin keys", ALLOCSET_DEFAULT_SIZES);
	keys_create(g);
	return g;
}

Oid
intake_gin_index(const IntakeGin *g)
{
	return g->indexoid;
}

static void
add_pair(IntakeGin *g, ItemPointer tid, OffsetNumber attnum, GinNullCategory category, Datum key)
{
	GinKey      k;
	GinKeyRows *e;
	bool        found;

	k.attnum = attnum;
	k.category = category;
	k.bytes = NULL;
	k.len = 0;
	if (category == GIN_CAT_NORM_KEY)
	{
		text *t = DatumGetTextPP(key);

		k.bytes = VARDATA_ANY(t);
		k.len = VARSIZE_ANY_EXHDR(t);
	}
	e = hash_search(g->keys, &k, HASH_ENTER, &found);
	if (!found)
	{
		/* the key's bytes go where the entry lives */
		if (k.len > 0)
		{
			char *copy = MemoryContextAlloc(g->cxt, k.len);

			memcpy(copy, k.bytes, k.len);
			e->key.bytes = copy;
		}
		e->n = 0;
		e->max = 4;
		e->sorted = true;
		e->tids = MemoryContextAlloc(g->cxt, sizeof(ItemPointerData) * e->max);
		g->bytes += sizeof(GinKeyRows) + k.len + sizeof(ItemPointerData) * e->max + 16;
	}
	else if (e->n == e->max)
	{
		e->tids = repalloc_huge(e->tids, sizeof(ItemPointerData) * e->max * 2);
		g->bytes += sizeof(ItemPointerData) * e->max;
		e->max *= 2;
	}
	if (e->n > 0 && ItemPointerCompare(&e->tids[e->n - 1], tid) >= 0)
	{
		/* a row repeating a key in one column has one entry for it */
		if (ItemPointerEquals(&e->tids[e->n - 1], tid))
			return;
		e->sorted = false;
	}
	e->tids[e->n++] = *tid;
}

/*
 * The keys of one inserted row (its index values already formed, the
 * predicate of a partial index already checked), as gininsert would make
 * them.
 */
void
intake_gin_add(IntakeGin *g, GinState *ginstate, ItemPointer tid, Datum *values, bool *isnull)
{
	int natts = RelationGetDescr(ginstate->index)->natts;
	int i;

	for (i = 0; i < natts; i++)
	{
		int32            n;
		GinNullCategory *cats;
		Datum           *keys =
			ginExtractEntries(ginstate, (OffsetNumber) (i + 1), values[i], isnull[i], &n, &cats);
		int32 k;

		for (k = 0; k < n; k++)
			add_pair(g, tid, (OffsetNumber) (i + 1), cats[k], keys[k]);
	}
}

bool
intake_gin_full(const IntakeGin *g)
{
	return g->bytes >= (Size) work_mem * 1024;
}

static int
tid_cmp(const void *a, const void *b)
{
	return ItemPointerCompare((ItemPointer) a, (ItemPointer) b);
}

/* Insert the buffered keys into the index, one ginEntryInsert per distinct key. */
void
intake_gin_write(IntakeGin *g)
{
	Relation        index;
	GinState        ginstate;
	MemoryContext   tmp;
	MemoryContext   old;
	HASH_SEQ_STATUS seq;
	GinKeyRows     *e;

	if (hash_get_num_entries(g->keys) == 0)
		return;
	index = index_open(g->indexoid, RowExclusiveLock);
	/* the state's function lookups live as long as the keys, the rest per key */
	old = MemoryContextSwitchTo(g->cxt);
	initGinState(&ginstate, index);
	tmp = AllocSetContextCreate(CurrentMemoryContext, "taxshare intake gin write",
								ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(tmp);
	hash_seq_init(&seq, g->keys);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Datum  key = (Datum) 0;
		uint32 n = e->n;

		CHECK_FOR_INTERRUPTS();
		if (!e->sorted)
		{
			uint32 i;

			qsort(e->tids, n, sizeof(ItemPointerData), tid_cmp);
			n = 1;
			for (i = 1; i < e->n; i++)
				if (!ItemPointerEquals(&e->tids[i], &e->tids[n - 1]))
					e->tids[n++] = e->tids[i];
		}
		if (e->key.category == GIN_CAT_NORM_KEY)
			key = PointerGetDatum(cstring_to_text_with_len(e->key.bytes, (int) e->key.len));
		ginEntryInsert(&ginstate, e->key.attnum, key, e->key.category, e->tids, n, NULL);
		MemoryContextReset(tmp);
	}
	MemoryContextSwitchTo(old);
	index_close(index, NoLock);
	MemoryContextReset(g->cxt);
	g->bytes = 0;
	keys_create(g);
}
