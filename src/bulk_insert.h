/*
 * bulk_insert.h
 *		Insert many rows into one table the way COPY does: table_multi_insert
 *		(one WAL record per heap page, no executor per row), then the index entries, the CHECK and NOT NULL constraints and
 *		the defaults of the columns not given.
 *
 * Allowed only where nothing the executor would do is skipped: the table is
 * a plain table without INSERT triggers (foreign keys are triggers too),
 * without generated columns, no row-level security applies to the current
 * user, and the current user holds INSERT on the table.  bulk_insert_begin()
 * returns NULL otherwise, and the caller takes its SQL path.
 *
 * Used by grade_risks() (src/risk_grade.c); generic so that other bulk
 * writers (the intake) can share it.
 */
#ifndef TAXSHARE_BULK_INSERT_H
#define TAXSHARE_BULK_INSERT_H

#include "postgres.h"

typedef struct BulkInsert BulkInsert;

/*
 * Opens schema.table for a bulk insert of the named columns (the others get
 * their defaults, or NULL); NULL when the fast path is not allowed.
 *
 * ring: write through a BulkInsertState's ring of buffers, as COPY does, so
 * that a large load does not evict the cache; the backend then writes and
 * flushes the pages itself every 16 MB.  Without it the pages stay in shared
 * buffers for the background writer, as with INSERT: a million risk_score
 * rows were written some 30 % faster so (docs/risk.md, "Performance").
 */
extern BulkInsert *bulk_insert_begin(const char *schema, const char *table,
									 int ncolumns, const char *const *columns, bool ring);

/* Adds one row (copied at once: the caller may free values afterwards). */
extern void bulk_insert_row(BulkInsert *bi, const Datum *values, const bool *nulls);

/* Writes what is buffered, closes the table and frees everything. */
extern void bulk_insert_end(BulkInsert *bi);

#endif							/* TAXSHARE_BULK_INSERT_H */
