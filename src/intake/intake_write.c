/*
 * intake_write.c
 *		Buffer records and record errors and write them in chunks, as the
 *		load's owner.
 *
 * A chunk goes to the load's bulk writers (intake_write_bulk.c) unless
 * bulk_insert refuses its table (INSERT triggers, row-level security applying
 * to the owner, no INSERT privilege: what only the executor honours or
 * reports); then this file's SQL path executes a prepared multi-row
 * INSERT ... VALUES per chunk, and a partial chunk with the plans for 64,
 * 32, ... 1 rows, so a batch needs at most eight executions beyond its full
 * chunks.  The plans are kept for the life of the backend (the plan cache
 * re-plans them if the tables change).  Buffered values live in a context
 * reset after every flush.  When the ledger's hook is enabled the writer also
 * computes its digest of the records as they are buffered.  See
 * src/intake/README.md, "Writing" and "The ledger digest".
 */
#include "taxshare.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "intake/intake.h"
#include "intake/intake_write.h"
#include "ledger/ledger_fmgr.h"

/* INTAKE_CHUNK must be a power of two: plans exist for every power up to it. */
#define WRITER_PLANS 8
StaticAssertDecl(INTAKE_CHUNK == 1 << (WRITER_PLANS - 1),
				 "INTAKE_CHUNK must be 2^(WRITER_PLANS-1)");

static const Oid record_types[RECORD_NCOLS] = {INT8OID,      INT8OID,      INT4OID,
											   TEXTOID,      JSONBOID,     JSONBOID,
											   TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
static const Oid error_types[ERROR_NCOLS] = {INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

static SPIPlanPtr record_plans[WRITER_PLANS];
static SPIPlanPtr error_plans[WRITER_PLANS];
static SPIPlanPtr error_cell_plans[WRITER_PLANS];

/* The plan inserting 2^k rows into record or record_error (with cell: ncols). */
static SPIPlanPtr
writer_plan(bool records, int k, int ncols)
{
	SPIPlanPtr    *slot = records                        ? &record_plans[k]
						  : ncols == ERROR_NCOLS_NO_CELL ? &error_plans[k]
														 : &error_cell_plans[k];
	int            cols = ncols;
	int            rows = 1 << k;
	Oid           *types;
	StringInfoData sql;
	SPIPlanPtr     plan;
	int            r, c;

	if (*slot)
		return *slot;
	types = palloc(sizeof(Oid) * rows * cols);
	initStringInfo(&sql);
	appendStringInfoString(
		&sql, records
				  ? "INSERT INTO taxshare.record (id, submission_id, row_no, status, payload, raw,"
					" uscc, idcard, orgcode) VALUES "
			  : cols == ERROR_NCOLS_NO_CELL
				  ? "INSERT INTO taxshare.record_error (submission_id, row_no, field, code,"
					" message) VALUES "
				  : "INSERT INTO taxshare.record_error (submission_id, row_no, field, code,"
					" message, cell) VALUES ");
	for (r = 0; r < rows; r++)
	{
		appendStringInfoString(&sql, r > 0 ? ", (" : "(");
		for (c = 0; c < cols; c++)
		{
			int p = r * cols + c;

			types[p] = records ? record_types[c] : error_types[c];
			appendStringInfo(&sql, c > 0 ? ", $%d" : "$%d", p + 1);
		}
		appendStringInfoChar(&sql, ')');
	}
	plan = SPI_prepare(sql.data, rows * cols, types);
	if (plan == NULL)
		elog(ERROR, "taxshare: preparing the intake insert failed: %s",
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	*slot = plan;
	return plan;
}

/* Insert n buffered rows by SPI: full chunks first, then by falling powers of two. */
static void
writer_execute(bool records, int cols, Datum *values, char *nulls, int n)
{
	int done = 0;
	int k;

	SPI_connect();
	for (k = WRITER_PLANS - 1; k >= 0; k--)
	{
		int rows = 1 << k;

		while (n - done >= rows)
		{
			if (SPI_execute_plan(writer_plan(records, k, cols), values + done * cols,
								 nulls + done * cols, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "taxshare: inserting %s failed", records ? "records" : "record errors");
			done += rows;
		}
	}
	SPI_finish();
}

/*
 * Will the ledger hook digest this submission's records?  Only then is the
 * digest computed while writing (a load with the hook disabled, as in
 * bench/ledger.sql's baseline, does not pay for it).  Either answer is safe:
 * without an offer the hook reads the records back.
 */
static bool
ledger_hook_enabled(void)
{
	Oid      relid = get_relname_relid("submission", get_namespace_oid("taxshare", false));
	Relation rel;
	bool     found = false;
	int      i;

	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, AccessShareLock);
	for (i = 0; rel->trigdesc && i < rel->trigdesc->numtriggers && !found; i++)
	{
		const Trigger *t = &rel->trigdesc->triggers[i];

		found = strcmp(t->tgname, "ledger_submission") == 0 && t->tgenabled != TRIGGER_DISABLED;
	}
	table_close(rel, AccessShareLock);
	return found;
}

IntakeWriter *
intake_writer_create(MemoryContext parent, int64 submission_id, Oid run_as)
{
	IntakeWriter *w = MemoryContextAllocZero(parent, sizeof(IntakeWriter));
	MemoryContext old;

	w->cxt = parent;
	w->owner = CurTransactionResourceOwner;
	w->bufcxt = AllocSetContextCreate(parent, "taxshare intake buffer", ALLOCSET_DEFAULT_SIZES);
	w->submission_id = submission_id;
	w->run_as = run_as;
	w->err_ncols = ERROR_NCOLS_NO_CELL;
	old = MemoryContextSwitchTo(parent);
	w->accepted = CStringGetTextDatum("accepted");
	w->rejected = CStringGetTextDatum("rejected");
	MemoryContextSwitchTo(old);
	w->digest_valid = ledger_hook_enabled();
	w->digest = w->digest_valid ? ledger_running_begin(parent, submission_id) : NULL;
	return w;
}

/* Errors of this load carry their cell (a file channel; before the first error). */
void
intake_writer_with_cells(IntakeWriter *w)
{
	Assert(w->nerr == 0 && w->err_bulk == NULL);
	w->err_ncols = ERROR_NCOLS;
}

static Datum
copy_varlena(MemoryContext cxt, Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varlena *copy = MemoryContextAlloc(cxt, VARSIZE(v));

	memcpy(copy, v, VARSIZE(v));
	return PointerGetDatum(copy);
}

static void
set_value(Datum *values, char *nulls, int i, MemoryContext cxt, Datum d, bool isnull)
{
	values[i] = isnull ? (Datum) 0 : copy_varlena(cxt, d);
	nulls[i] = isnull ? 'n' : ' ';
}

void
intake_writer_record(IntakeWriter *w, int32 row_no, bool accepted, Jsonb *payload, Jsonb *raw,
					 Datum uscc, Datum idcard, Datum orgcode)
{
	Datum *v = w->rec_values + w->nrec * RECORD_NCOLS;
	char  *n = w->rec_nulls + w->nrec * RECORD_NCOLS;

	/* The ledger's leaf of the record, while its values are at hand. */
	if (w->digest_valid)
		ledger_running_add(w->digest, INTAKE_RECORD_ID(w->submission_id, row_no), row_no, accepted,
						   payload, raw);
	v[RC_ID] = Int64GetDatum(INTAKE_RECORD_ID(w->submission_id, row_no));
	v[RC_SUBMISSION] = Int64GetDatum(w->submission_id);
	v[RC_ROW_NO] = Int32GetDatum(row_no);
	v[RC_STATUS] = accepted ? w->accepted : w->rejected;
	memset(n, ' ', RC_PAYLOAD);
	set_value(v, n, RC_PAYLOAD, w->bufcxt, PointerGetDatum(payload), payload == NULL);
	set_value(v, n, RC_RAW, w->bufcxt, PointerGetDatum(raw), raw == NULL);
	set_value(v, n, RC_USCC, w->bufcxt, uscc, uscc == (Datum) 0);
	set_value(v, n, RC_IDCARD, w->bufcxt, idcard, idcard == (Datum) 0);
	set_value(v, n, RC_ORGCODE, w->bufcxt, orgcode, orgcode == (Datum) 0);
	if (++w->nrec == INTAKE_CHUNK)
		intake_writer_flush(w);
}

void
intake_writer_error(IntakeWriter *w, int32 row_no, const char *field, const char *code,
					const char *message, const char *cell)
{
	Datum        *v = w->err_values + w->nerr * w->err_ncols;
	char         *n = w->err_nulls + w->nerr * w->err_ncols;
	MemoryContext old = MemoryContextSwitchTo(w->bufcxt);

	v[0] = Int64GetDatum(w->submission_id);
	v[1] = Int32GetDatum(row_no);
	v[2] = field ? CStringGetTextDatum(field) : (Datum) 0;
	v[3] = CStringGetTextDatum(code);
	v[4] = CStringGetTextDatum(message);
	memset(n, ' ', w->err_ncols);
	if (field == NULL)
		n[2] = 'n';
	if (w->err_ncols == ERROR_NCOLS)
	{
		v[5] = cell ? CStringGetTextDatum(cell) : (Datum) 0;
		n[5] = cell ? ' ' : 'n';
	}
	MemoryContextSwitchTo(old);
	if (++w->nerr == INTAKE_CHUNK)
		intake_writer_flush(w);
}

/*
 * Write the buffered chunk, as the load's owner with search_path pinned (the
 * rows were validated as the caller, intake_owner.c).
 */
void
intake_writer_flush(IntakeWriter *w)
{
	IntakeOwnerSwitch sw;

	intake_owner_enter(w->run_as, &sw);
	if (w->nrec > 0 && !intake_write_bulk(w))
	{
		/* INSERT triggers may change what is stored: the digest must read it back. */
		w->digest_valid = false;
		writer_execute(true, RECORD_NCOLS, w->rec_values, w->rec_nulls, w->nrec);
	}
	if (w->nerr > 0 && !intake_write_bulk_errors(w))
		writer_execute(false, w->err_ncols, w->err_values, w->err_nulls, w->nerr);
	w->nrec = 0;
	w->nerr = 0;
	MemoryContextReset(w->bufcxt);
	if (w->gin && intake_gin_full(w->gin))
		intake_gin_write(w->gin);
	intake_owner_leave(&sw);
}

/*
 * Offer the digest of the records to the ledger (ledger_fmgr.h) when every
 * record was stored exactly as hashed; the caller withdraws it.
 */
bool
intake_writer_offer_digest(IntakeWriter *w)
{
	if (!w->digest_valid)
		return false;
	ledger_running_offer(w->digest);
	return true;
}

/*
 * The last chunk, what the bulk writers still buffer, and the keys of the GIN
 * index held back (intake_gin.c).  Called by intake_finish(), as the owner.
 */
void
intake_writer_finish(IntakeWriter *w)
{
	intake_writer_flush(w);
	intake_write_bulk_end(w);
	if (w->gin)
		intake_gin_write(w->gin);
}
