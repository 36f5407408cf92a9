/*
 * spi_batch.h
 *		Many rows through SQL in batches: one array per column, and one
 *		statement per batch that reads them (INSERT ... SELECT FROM
 *		unnest($1, ...)), so that the executor (triggers, row-level security,
 *		privileges, ON CONFLICT) sees every row while the cost per row stays
 *		that of storing a Datum.
 *
 * A writer is described by a SpiBatchSpec: the statement, the element type
 * of each column, and optionally fixed parameters, the same value for every
 * batch (a period, say).  The fixed parameters are $1..$k of the statement
 * and the columns, each as an array of its element type, $k+1..$k+n.
 *
 *		w = spi_batch_create(&spec, rows, fixed);
 *		for each row:
 *			spi_batch_row(w);				(every column NULL)
 *			spi_batch_set(w, col, value);	(or spi_batch_text())
 *		spi_batch_flush(w);
 *		spi_batch_free(w);
 *
 * With a row limit (rows > 0), spi_batch_row() writes the batch first when
 * it already holds that many rows.  Without one (rows = 0) the batch grows
 * until the caller flushes it: for writers that must be flushed together, in
 * the order of their foreign keys.
 *
 * Memory: the writer lives in the memory context current at
 * spi_batch_create(), with its column arrays allocated once (or grown by
 * doubling).  A row's by-reference values must live until the flush: put
 * them in spi_batch_memory(), a child context reset after every flush
 * (spi_batch_text() copies there), or anywhere that lives as long.
 *
 * The plan: the statement is prepared (SPI_prepare) at the writer's first
 * flush that has rows, and executed by every later flush.  It belongs to the
 * SPI connection current then and is freed with it, so a writer's flushes
 * and spi_batch_free() must all happen inside that one connection (between
 * the same SPI_connect() and SPI_finish()).  On an error the connection and
 * the memory go with the (sub)transaction; nothing needs freeing.
 */
#ifndef TAXSHARE_SPI_BATCH_H
#define TAXSHARE_SPI_BATCH_H

#include "postgres.h"

#include "executor/spi.h"

typedef struct SpiBatchSpec
{
	const char *what; /* for errors: "<what> failed: <SPI result>" */
	const char *sql;  /* $1..$nfixed, then the columns as arrays */
	int         ncols;
	const Oid  *types; /* element type of each column */
	int         nfixed;
	const Oid  *fixed_types;
	int         expect; /* the SPI result a flush must return; 0: any success */
} SpiBatchSpec;

/* The fields are spi_batch.c's; the inline setters below read them. */
typedef struct SpiBatch
{
	const SpiBatchSpec *spec;
	int                 nrows;
	int                 cap;
	int                 limit;  /* rows per flush; 0: none */
	Datum             **values; /* per column, cap values */
	bool              **nulls;  /* per column, cap flags; true until set */
	MemoryContext       rowcxt; /* values until the flush; reset after it */
	Datum              *args;   /* the fixed parameters, then one per column */
	Oid                *argtypes;
	int16              *typlen;
	bool               *typbyval;
	char               *typalign;
	SPIPlanPtr          plan; /* prepared at the first flush */
} SpiBatch;

extern SpiBatch *spi_batch_create(const SpiBatchSpec *spec, int rows, const Datum *fixed);

/* Begin a row, every column NULL; true when the full batch was written first. */
extern bool spi_batch_row(SpiBatch *w);

/* Column col of the current row. */
static inline void
spi_batch_set(SpiBatch *w, int col, Datum value)
{
	Assert(w->nrows > 0 && col >= 0 && col < w->spec->ncols);
	w->values[col][w->nrows - 1] = value;
	w->nulls[col][w->nrows - 1] = false;
}

/* A text column from a C string copied into spi_batch_memory(); NULL stays NULL. */
extern void spi_batch_text(SpiBatch *w, int col, const char *s);

/* Where a row's values may live until the flush. */
static inline MemoryContext
spi_batch_memory(SpiBatch *w)
{
	return w->rowcxt;
}

static inline int
spi_batch_rows(const SpiBatch *w)
{
	return w->nrows;
}

/* Write the rows held, if any (then true), and reset spi_batch_memory(). */
extern bool spi_batch_flush(SpiBatch *w);

/* Free the writer and its plan; rows not flushed are dropped. */
extern void spi_batch_free(SpiBatch *w);

#endif /* TAXSHARE_SPI_BATCH_H */
