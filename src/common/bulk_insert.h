/*
 * bulk_insert.h
 *		Insert many rows into one table the way COPY does: table_multi_insert
 *		(one WAL record per heap page, no executor per row), then the index
 *		entries, the CHECK and NOT NULL constraints and the defaults of the
 *		columns not given.
 *
 * Allowed only where nothing the executor would do is skipped: the table is
 * a plain table without INSERT triggers (foreign keys are triggers too),
 * without generated columns, no row-level security applies to the current
 * user, and the current user holds INSERT on the table.  bulk_insert_begin()
 * returns NULL otherwise, and the caller takes its SQL path.
 *
 * The relation, its indexes and the buffer pins belong to the resource owner
 * current at bulk_insert_begin(); the later calls use it whichever is current
 * then, so a writer may stay open across calls (the rows of a COPY that reach
 * a trigger one by one) as long as that owner lives.  On an abort the owner
 * releases them: the writer is then dropped with its memory, never ended.
 *
 * Used by grade_risks() (src/risk/risk_write.c) and the intake
 * (src/intake/intake_write_bulk.c).
 */
#ifndef TAXSHARE_BULK_INSERT_H
#define TAXSHARE_BULK_INSERT_H

#include "postgres.h"

#include "nodes/execnodes.h"
#include "utils/relcache.h"

typedef struct BulkInsert BulkInsert;

/*
 * Opens schema.table for a bulk insert of the named columns (the others get
 * their defaults, or NULL); NULL when the fast path is not allowed.
 *
 * ring: write through a BulkInsertState's ring of buffers, as COPY does, so
 * that a large load does not evict the cache; the backend then writes and
 * flushes the pages itself every 16 MB.  Without it the pages stay in shared
 * buffers for the background writer, as with INSERT.  The intake writes with
 * the ring, grade_risks() without (docs/performance.md and docs/risk.md,
 * "Performance", say what each choice was measured to cost).
 */
extern BulkInsert *bulk_insert_begin(const char *schema, const char *table, int ncolumns,
									 const char *const *columns, bool ring);

/*
 * Indexes the caller writes itself ("claimed"), for example in bulk at the end
 * of a load.  claim is asked once for each index ready for inserts; a claimed
 * index is left out of the row-by-row index insertion, and for each written
 * row that satisfies its predicate, write gets the row (slot->tts_tid is its
 * TID, known once the heap is written) and the index's datums formed by
 * FormIndexDatum.  Until the caller writes them, a search of a claimed index
 * does not find the rows.  Call before the first bulk_insert_row(), at most
 * once.
 */
typedef bool (*BulkInsertClaimIndex)(Relation index, IndexInfo *info, void *arg);
typedef void (*BulkInsertWriteIndex)(TupleTableSlot *slot, Relation index, IndexInfo *info,
									 Datum *values, bool *isnull, void *arg);
extern void bulk_insert_claim_indexes(BulkInsert *bi, BulkInsertClaimIndex claim,
									  BulkInsertWriteIndex write, void *arg);

/* Adds one row (copied at once: the caller may free values afterwards). */
extern void bulk_insert_row(BulkInsert *bi, const Datum *values, const bool *nulls);

/* Writes what is buffered, closes the table and frees everything. */
extern void bulk_insert_end(BulkInsert *bi);

#endif /* TAXSHARE_BULK_INSERT_H */
