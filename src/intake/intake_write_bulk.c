/*
 * intake_write_bulk.c
 *		The records and record errors of a load written by bulk_insert.c, the
 *		way COPY writes them, except the GIN identifier index, which the load
 *		claims: its keys are held for one bulk write per load (intake_gin.c).
 *
 * One bulk writer per table is opened at the load's first chunk and ended
 * when the load finishes (intake_write_bulk_end); the table's lock and
 * relcache entry are held for the whole load anyway.  Its relation, indexes
 * and buffer pins belong to the resource owner of the (sub)transaction the
 * load was opened in, not to whatever statement or portal is current when a
 * chunk is written: a COPY's rows reach the inbox trigger one by one, and an
 * abort of that (sub)transaction releases them together with the load (whose
 * memory goes with it, intake_inbox.c; the writer is then never ended).
 *
 * bulk_insert_begin() refuses where the executor is needed -- INSERT
 * triggers, row-level security applying to the current user, no INSERT
 * privilege -- and the load then writes that table by intake_write.c's SQL
 * path to its end, which applies them (or raises the executor's permission
 * error).  The current user is the extension owner (src/intake/README.md,
 * "Who runs as whom"), so this is the normal path.
 */
#include "taxshare.h"

#include "access/gin_private.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"

#include "common/bulk_insert.h"
#include "intake/intake_write.h"

static const char *const record_columns[RECORD_NCOLS] = {
	[RC_ID] = "id",           [RC_SUBMISSION] = "submission_id",
	[RC_ROW_NO] = "row_no",   [RC_STATUS] = "status",
	[RC_PAYLOAD] = "payload", [RC_RAW] = "raw",
	[RC_USCC] = "uscc",       [RC_IDCARD] = "idcard",
	[RC_ORGCODE] = "orgcode",
};

static const char *const error_columns[ERROR_NCOLS] = {"submission_id", "row_no",  "field",
													   "code",          "message", "cell"};

/* The load's GIN identifier index: the first eligible one (intake_gin.c). */
static bool
claim_gin(Relation index, IndexInfo *info, void *arg)
{
	IntakeWriter *w = (IntakeWriter *) arg;

	if (w->gin ? RelationGetRelid(index) != intake_gin_index(w->gin) : !intake_gin_eligible(index))
		return false;
	if (w->gin == NULL)
		w->gin = intake_gin_create(w->cxt, RelationGetRelid(index));
	/* lives with the bulk writer (the current context), which keeps the index open */
	w->ginstate = palloc(sizeof(GinState));
	initGinState(w->ginstate, index);
	return true;
}

static void
write_gin(TupleTableSlot *slot, Relation index, IndexInfo *info, Datum *values, bool *isnull,
		  void *arg)
{
	IntakeWriter *w = (IntakeWriter *) arg;

	intake_gin_add(w->gin, w->ginstate, &slot->tts_tid, values, isnull);
}

static BulkInsert *
open_bulk(IntakeWriter *w, const char *table, int ncols, const char *const *columns, bool gin)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);
	ResourceOwner oldowner = CurrentResourceOwner;
	BulkInsert   *bi;

	CurrentResourceOwner = w->owner;
	bi = bulk_insert_begin("taxshare", table, ncols, columns, true);
	CurrentResourceOwner = oldowner;
	if (bi != NULL && gin)
		bulk_insert_claim_indexes(bi, claim_gin, write_gin, w);
	MemoryContextSwitchTo(old);
	return bi;
}

/* nrows rows of ncols values, nulls SPI style ('n' for NULL) */
static void
write_rows(BulkInsert *bi, int ncols, const Datum *values, const char *nulls, int nrows)
{
	bool isnull[Max(RECORD_NCOLS, ERROR_NCOLS)];
	int  r, c;

	for (r = 0; r < nrows; r++)
	{
		for (c = 0; c < ncols; c++)
			isnull[c] = nulls[r * ncols + c] == 'n';
		bulk_insert_row(bi, values + r * ncols, isnull);
	}
}

/* The records' bulk writer, opened on first use; false: the SQL path, for good. */
static bool
records_fast(IntakeWriter *w)
{
	if (!w->rec_sql && w->rec_bulk == NULL &&
		(w->rec_bulk = open_bulk(w, "record", RECORD_NCOLS, record_columns, true)) == NULL)
		w->rec_sql = true;
	return !w->rec_sql;
}

/* The same for the record errors. */
static bool
errors_fast(IntakeWriter *w)
{
	if (!w->err_sql && w->err_bulk == NULL &&
		(w->err_bulk = open_bulk(w, "record_error", w->err_ncols, error_columns, false)) == NULL)
		w->err_sql = true;
	return !w->err_sql;
}

bool
intake_write_bulk(IntakeWriter *w)
{
	if (!records_fast(w))
		return false;
	write_rows(w->rec_bulk, RECORD_NCOLS, w->rec_values, w->rec_nulls, w->nrec);
	return true;
}

bool
intake_write_bulk_errors(IntakeWriter *w)
{
	if (!errors_fast(w))
		return false;
	write_rows(w->err_bulk, w->err_ncols, w->err_values, w->err_nulls, w->nerr);
	return true;
}

/*
 * Open both bulk writers now, as the load's owner: true when records and
 * record errors will both take the fast path, which runs no SQL (a load that
 * writes while a parallel worker checks its rows must not, intake_parallel.c).
 */
bool
intake_writer_open_bulk(IntakeWriter *w)
{
	IntakeOwnerSwitch sw;
	bool              records;
	bool              errors;

	intake_owner_enter(w->run_as, &sw);
	records = records_fast(w);
	errors = errors_fast(w);
	intake_owner_leave(&sw);
	return records && errors;
}

/* Write what the bulk writers hold and close them (the GIN keys stay held). */
void
intake_write_bulk_end(IntakeWriter *w)
{
	if (w->rec_bulk)
		bulk_insert_end(w->rec_bulk);
	if (w->err_bulk)
		bulk_insert_end(w->err_bulk);
	w->rec_bulk = NULL;
	w->err_bulk = NULL;
	w->ginstate = NULL;
}
