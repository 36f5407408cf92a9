/*
 * spi_batch.c
 *		The SPI batch writer: rows kept as one array per column, written by
 *		one prepared statement per batch that takes the columns as arrays
 *		(spi_batch.h says how to use it).
 *
 * Each column's values and NULL flags sit in arrays allocated when the
 * writer is made; a row costs a store per column set.  A flush builds one
 * array per column (construct_md_array, in the writer's row context) and
 * executes the plan prepared at the first flush; then the row context is
 * reset and the NULL flags are set again for the next batch.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "common/spi_batch.h"

/* The initial capacity of a writer without a row limit. */
#define SPI_BATCH_INITIAL 256

SpiBatch *
spi_batch_create(const SpiBatchSpec *spec, int rows, const Datum *fixed)
{
	SpiBatch *w = palloc0(sizeof(SpiBatch));
	int       nargs = spec->nfixed + spec->ncols;
	int       c;

	Assert(rows >= 0 && spec->ncols > 0);
	w->spec = spec;
	w->limit = rows;
	w->cap = rows > 0 ? rows : SPI_BATCH_INITIAL;
	w->rowcxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare SPI batch", ALLOCSET_DEFAULT_SIZES);
	w->values = palloc(sizeof(Datum *) * spec->ncols);
	w->nulls = palloc(sizeof(bool *) * spec->ncols);
	w->args = palloc(sizeof(Datum) * nargs);
	w->argtypes = palloc(sizeof(Oid) * nargs);
	w->typlen = palloc(sizeof(int16) * spec->ncols);
	w->typbyval = palloc(sizeof(bool) * spec->ncols);
	w->typalign = palloc(sizeof(char) * spec->ncols);
	for (c = 0; c < spec->nfixed; c++)
	{
		w->args[c] = fixed[c];
		w->argtypes[c] = spec->fixed_types[c];
	}
	for (c = 0; c < spec->ncols; c++)
	{
		Oid arraytype = get_array_type(spec->types[c]);

		if (!OidIsValid(arraytype))
			elog(ERROR, "%s: type %u has no array type", spec->what, spec->types[c]);
		w->argtypes[spec->nfixed + c] = arraytype;
		get_typlenbyvalalign(spec->types[c], &w->typlen[c], &w->typbyval[c], &w->typalign[c]);
		w->values[c] = palloc(sizeof(Datum) * w->cap);
		w->nulls[c] = palloc(sizeof(bool) * w->cap);
		memset(w->nulls[c], true, sizeof(bool) * w->cap);
	}
	return w;
}

bool
spi_batch_row(SpiBatch *w)
{
	bool flushed = false;

	if (w->limit > 0 && w->nrows == w->limit)
		flushed = spi_batch_flush(w);
	else if (w->nrows == w->cap)
	{
		int c;

		if (w->cap > (int) (MaxAllocSize / sizeof(Datum) / 2))
			elog(ERROR, "%s: too many rows in one batch", w->spec->what);
		w->cap *= 2;
		for (c = 0; c < w->spec->ncols; c++)
		{
			w->values[c] = repalloc(w->values[c], sizeof(Datum) * w->cap);
			w->nulls[c] = repalloc(w->nulls[c], sizeof(bool) * w->cap);
			memset(w->nulls[c] + w->nrows, true, sizeof(bool) * (w->cap - w->nrows));
		}
	}
	w->nrows++;
	return flushed;
}

void
spi_batch_text(SpiBatch *w, int col, const char *s)
{
	MemoryContext old;

	if (s == NULL)
		return;
	old = MemoryContextSwitchTo(w->rowcxt);
	spi_batch_set(w, col, PointerGetDatum(cstring_to_text(s)));
	MemoryContextSwitchTo(old);
}

bool
spi_batch_flush(SpiBatch *w)
{
	const SpiBatchSpec *spec = w->spec;
	MemoryContext       old;
	int                 n = w->nrows;
	int                 dims[1] = {n};
	int                 lbs[1] = {1};
	int                 c;
	int                 rc;

	if (n == 0)
		return false;
	old = MemoryContextSwitchTo(w->rowcxt);
	for (c = 0; c < spec->ncols; c++)
		w->args[spec->nfixed + c] = PointerGetDatum(
			construct_md_array(w->values[c], w->nulls[c], 1, dims, lbs, spec->types[c],
							   w->typlen[c], w->typbyval[c], w->typalign[c]));
	MemoryContextSwitchTo(old);
	if (w->plan == NULL)
	{
		w->plan = SPI_prepare(spec->sql, spec->nfixed + spec->ncols, w->argtypes);
		if (w->plan == NULL)
			elog(ERROR, "%s failed: %s", spec->what, SPI_result_code_string(SPI_result));
	}

	/* the rows are in the arrays: the batch is empty again, even if the statement fails */
	w->nrows = 0;
	for (c = 0; c < spec->ncols; c++)
		memset(w->nulls[c], true, sizeof(bool) * n);

	rc = SPI_execute_plan(w->plan, w->args, NULL, false, 0);
	if (rc < 0 || (spec->expect != 0 && rc != spec->expect))
		elog(ERROR, "%s failed: %s", spec->what, SPI_result_code_string(rc));
	MemoryContextReset(w->rowcxt);
	return true;
}

void
spi_batch_free(SpiBatch *w)
{
	int c;

	if (w->plan)
		SPI_freeplan(w->plan);
	MemoryContextDelete(w->rowcxt);
	for (c = 0; c < w->spec->ncols; c++)
	{
		pfree(w->values[c]);
		pfree(w->nulls[c]);
	}
	pfree(w->values);
	pfree(w->nulls);
	pfree(w->args);
	pfree(w->argtypes);
	pfree(w->typlen);
	pfree(w->typbyval);
	pfree(w->typalign);
	pfree(w);
}
