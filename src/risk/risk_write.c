/*
 * risk_write.c
 *		What grade_risks() writes: the period's risk_score rows, replacing
 *		the earlier ones, and the run's row in risk_grading.
 *
 * The rows go as COPY writes them (src/common/bulk_insert.c) when nothing
 * the executor does would be skipped: no INSERT triggers or rules on
 * risk_score, no row-level security applying to the grader, INSERT
 * privilege.  The list index (period_start, grade, rank) is then written in
 * key order once the rows are in (src/risk/risk_list_index.c).  Otherwise
 * the rows go through SQL in batches of taxshare.risk_write_batch, one
 * INSERT ... SELECT of unnest()ed arrays per batch (src/common/spi_batch.h);
 * both paths write the very same rows.  The breakdown and the response
 * reason are written compactly (risk_breakdown_bytea(),
 * src/risk/risk_breakdown_fmgr.c).
 */
#include "taxshare.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/syscache.h"

#include "common/bulk_insert.h"
#include "common/progress.h"
#include "common/spi_batch.h"
#include "risk/risk_breakdown.h"
#include "risk/risk_grade_internal.h"
#include "risk/risk_list_index.h"

/* ------------------------------------------------------------------------
 * The SQL path: one INSERT ... SELECT of arrays per batch
 * ------------------------------------------------------------------------
 */

#define N_COLS 16

/*
 * The arrays are unnested in the select list (a ProjectSet streams them)
 * rather than in FROM (which would copy every row into a tuplestore first).
 */
static const char insert_sql[] =
	"INSERT INTO taxshare.risk_score (period_start, entity_id, score, grade, rank, points, amount,"
	"       own_score, own_grade, severity, social_impact, monitoring, blacklisted, propagated,"
	"       response, reason_code, detail)"
	" SELECT $1, u.e, u.s, ('{low,medium,high}'::taxshare.risk_grade[])[u.g], u.r, u.n, u.c * "
	"0.01, u.os,"
	"       ('{low,medium,high}'::taxshare.risk_grade[])[nullif(u.og, 0)], u.sev, u.soc, u.m, u.b, "
	"u.p,"
	"       ('{reminder,verification,assessment,audit,referral}'::text[])[u.resp], u.why, u.bd"
	"  FROM (SELECT unnest($2::int8[]) AS e, unnest($3::float8[]) AS s, unnest($4::int2[]) AS g,"
	"               unnest($5::int4[]) AS r, unnest($6::int4[]) AS n, unnest($7::int8[]) AS c,"
	"               unnest($8::float8[]) AS os, unnest($9::int2[]) AS og, unnest($10::int2[]) AS "
	"sev,"
	"               unnest($11::int2[]) AS soc, unnest($12::bool[]) AS m, unnest($13::bool[]) AS b,"
	"               unnest($14::bool[]) AS p, unnest($15::int2[]) AS resp, unnest($16::int2[]) AS "
	"why,"
	"               unnest($17::bytea[]) AS bd) u";

static const Oid col_types[N_COLS] = {INT8OID,   FLOAT8OID, INT2OID, INT4OID, INT4OID, INT8OID,
									  FLOAT8OID, INT2OID,   INT2OID, INT2OID, BOOLOID, BOOLOID,
									  BOOLOID,   INT2OID,   INT2OID, BYTEAOID};

/* $1, the period, is the same for every batch. */
static const Oid fixed_types[1] = {DATEOID};

static const SpiBatchSpec insert_spec = {.what = "grade_risks: insert into risk_score",
										 .sql = insert_sql,
										 .ncols = N_COLS,
										 .types = col_types,
										 .nfixed = 1,
										 .fixed_types = fixed_types,
										 .expect = SPI_OK_INSERT};

/* ------------------------------------------------------------------------
 * The bulk path, and the choice between the two
 * ------------------------------------------------------------------------
 */

/* The columns of risk_score grade_risks() writes; graded_at takes its default. */
static const char *const score_columns[N_COLS + 1] = {
	"period_start", "entity_id",  "score",     "grade",       "rank",          "points",
	"amount",       "own_score",  "own_grade", "severity",    "social_impact", "monitoring",
	"blacklisted",  "propagated", "response",  "reason_code", "detail"};

static const char *const response_names[] = {NULL,         "reminder", "verification",
											 "assessment", "audit",    "referral"};

/*
 * The bulk path (src/common/bulk_insert.c, as COPY writes): the rows' Datums
 * go straight to the table.  No ring buffer: the pages stay in shared
 * buffers for the background writer, as with INSERT, rather than being
 * written out by this backend every 16 MB, which is slower (docs/risk.md,
 * "Performance").  Taken when nothing the executor does would be skipped
 * (bulk_insert.h); otherwise grade_write_scores() takes the SQL path.
 */
static bool
write_scores_bulk(Grade *g, int32 *order, int32 n, Scratch *sc, RiskBreakdown *detail,
				  MemoryContext row_cxt)
{
	BulkInsert *bi = bulk_insert_begin("taxshare", "risk_score", N_COLS + 1, score_columns, false);
	Datum       grades[4];
	Datum       responses[lengthof(response_names)];
	Datum       v[N_COLS + 1];
	bool        nulls[N_COLS + 1];
	int32       k;
	int         i;
	RiskListIndex *list;
	Oid            grade_type;

	if (bi == NULL)
	{
		elog(DEBUG1, "grade_risks: writing through SQL (triggers, row-level security or privileges "
					 "ask for it)");
		return false;
	}
	elog(DEBUG1, "grade_risks: writing through the bulk path");
	/* the enum's labels as Datums (OIDs), and the response names */
	grade_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("risk_grade"),
								 ObjectIdGetDatum(get_namespace_oid("taxshare", false)));
	if (!OidIsValid(grade_type))
		elog(ERROR, "type taxshare.risk_grade does not exist");
	grades[RISK_NONE] = (Datum) 0;
	grades[RISK_LOW] =
		DirectFunctionCall2(enum_in, CStringGetDatum("low"), ObjectIdGetDatum(grade_type));
	grades[RISK_MEDIUM] =
		DirectFunctionCall2(enum_in, CStringGetDatum("medium"), ObjectIdGetDatum(grade_type));
	grades[RISK_HIGH] =
		DirectFunctionCall2(enum_in, CStringGetDatum("high"), ObjectIdGetDatum(grade_type));
	responses[0] = (Datum) 0;
	for (i = 1; i < (int) lengthof(response_names); i++)
		responses[i] = CStringGetTextDatum(response_names[i]);
	memset(nulls, false, sizeof nulls);
	{
		MemoryContext old = MemoryContextSwitchTo(g->cxt);

		list = risk_list_index_claim(bi, n, g->period, grades[RISK_LOW], grades[RISK_MEDIUM],
									 grades[RISK_HIGH]);
		MemoryContextSwitchTo(old);
	}

	for (k = 0; k < n; k++)
	{
		Ent          *e = &g->ents[order[k]];
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (e->grade <= RISK_NONE || e->grade > RISK_HIGH || e->response <= RESP_NONE ||
			e->response >= lengthof(response_names) || e->own_grade > RISK_HIGH)
			elog(ERROR, "grade_risks: entity " INT64_FORMAT " has no grade or response", e->id);
		old = MemoryContextSwitchTo(row_cxt);
		v[0] = DateADTGetDatum(g->period);
		v[1] = Int64GetDatum(e->id);
		v[2] = Float8GetDatum(e->score);
		v[3] = grades[e->grade];
		v[4] = Int32GetDatum(e->rank);
		v[5] = Int32GetDatum(e->npoints);
		/* numeric(20,2): two decimals, and 19 digits at most from an int64 */
		v[6] = NumericGetDatum(int64_div_fast_to_numeric(e->cents, 2));
		v[7] = Float8GetDatum(e->own_score);
		nulls[8] = e->own_grade == RISK_NONE;
		v[8] = grades[e->own_grade];
		v[9] = Int16GetDatum(e->severity);
		v[10] = Int16GetDatum(e->social);
		v[11] = BoolGetDatum(e->monitoring);
		v[12] = BoolGetDatum(e->blacklisted);
		v[13] = BoolGetDatum(e->raised);
		v[14] = responses[e->response];
		v[15] = Int16GetDatum(e->reason);
		v[16] = PointerGetDatum(risk_breakdown_bytea(g, sc, e, detail));
		bulk_insert_row(bi, v, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(row_cxt);
		if ((k & 4095) == 4095 || k == n - 1)
			progress_update(&g->progress, k + 1);
	}
	bulk_insert_end(bi);
	progress_begin(&g->progress, g->progress.what, "list index entries written", n);
	risk_list_index_write(list, &g->progress);
	return true;
}

/*
 * The n rows of the entities of order (in that order), through the bulk
 * path when it may be taken, else by batches of taxshare.risk_write_batch
 * rows through SQL.
 */
void
grade_write_scores(Grade *g, int32 *order, int32 n)
{
	MemoryContext  row_cxt;
	MemoryContext  old;
	Scratch        sc;
	RiskBreakdown *detail;
	SpiBatch      *w;
	Datum          period = DateADTGetDatum(g->period);
	int32          k;

	old = MemoryContextSwitchTo(g->cxt);
	sc.cnt = palloc0(sizeof(int32) * g->ninds);
	sc.seen = palloc0(sizeof(bool) * g->ninds);
	detail = palloc(sizeof(RiskBreakdown));
	sc.maxpts = 64;
	sc.pts = palloc(sizeof(int32) * sc.maxpts);
	row_cxt = AllocSetContextCreate(g->cxt, "grade_risks row", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(old);

	progress_begin(&g->progress, g->progress.what, "entities written", n);
	if (write_scores_bulk(g, order, n, &sc, detail, row_cxt))
	{
		progress_end(&g->progress);
		return;
	}

	old = MemoryContextSwitchTo(g->cxt);
	w = spi_batch_create(&insert_spec, taxshare_risk_write_batch, &period);
	MemoryContextSwitchTo(old);
	for (k = 0; k < n; k++)
	{
		Ent *e = &g->ents[order[k]];

		CHECK_FOR_INTERRUPTS();
		/* a full batch is written before the next row: k rows are done */
		if (spi_batch_row(w))
			progress_update(&g->progress, k);
		spi_batch_set(w, 0, Int64GetDatum(e->id));
		spi_batch_set(w, 1, Float8GetDatum(e->score));
		spi_batch_set(w, 2, Int16GetDatum(e->grade));
		spi_batch_set(w, 3, Int32GetDatum(e->rank));
		spi_batch_set(w, 4, Int32GetDatum(e->npoints));
		spi_batch_set(w, 5, Int64GetDatum(e->cents));
		spi_batch_set(w, 6, Float8GetDatum(e->own_score));
		spi_batch_set(w, 7, Int16GetDatum(e->own_grade));
		spi_batch_set(w, 8, Int16GetDatum(e->severity));
		spi_batch_set(w, 9, Int16GetDatum(e->social));
		spi_batch_set(w, 10, BoolGetDatum(e->monitoring));
		spi_batch_set(w, 11, BoolGetDatum(e->blacklisted));
		spi_batch_set(w, 12, BoolGetDatum(e->raised));
		spi_batch_set(w, 13, Int16GetDatum(e->response));
		spi_batch_set(w, 14, Int16GetDatum(e->reason));
		old = MemoryContextSwitchTo(spi_batch_memory(w));
		spi_batch_set(w, 15, PointerGetDatum(risk_breakdown_bytea(g, &sc, e, detail)));
		MemoryContextSwitchTo(old);
	}
	if (spi_batch_flush(w))
		progress_update(&g->progress, n);
	progress_end(&g->progress);
	spi_batch_free(w);
}

/* ------------------------------------------------------------------------
 * Replacing the period, recording the run
 * ------------------------------------------------------------------------
 */

/* The period's earlier rows go: a grading replaces them. */
void
grade_clear_period(Grade *g)
{
	Oid   t[1] = {DATEOID};
	Datum v[1];

	v[0] = DateADTGetDatum(g->period);
	if (SPI_execute_with_args("DELETE FROM taxshare.risk_score WHERE period_start = $1", 1, t, v,
							  NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "grade_risks: could not clear the period");
}

/* The run in risk_grading: when, by whom, the parameters, the counts, the times. */
void
grade_record_run(Grade *g, int64 ngraded, const int64 counts[4], int64 raised,
				 double compute_seconds, double write_seconds)
{
	Oid   t[11] = {DATEOID, TEXTOID, INT8OID, INT8OID,   INT8OID,  INT8OID,
				   INT8OID, INT8OID, INT8OID, FLOAT8OID, FLOAT8OID};
	Datum v[11];

	v[0] = DateADTGetDatum(g->period);
	v[1] = CStringGetTextDatum(risk_params_json(&g->gp));
	v[2] = Int64GetDatum(ngraded);
	v[3] = Int64GetDatum(counts[RISK_HIGH]);
	v[4] = Int64GetDatum(counts[RISK_MEDIUM]);
	v[5] = Int64GetDatum(counts[RISK_LOW]);
	v[6] = Int64GetDatum(raised);
	v[7] = Int64GetDatum(g->npts);
	v[8] = Int64GetDatum(g->unmapped);
	v[9] = Float8GetDatum(compute_seconds);
	v[10] = Float8GetDatum(write_seconds);
	if (SPI_execute_with_args(
			"INSERT INTO taxshare.risk_grading AS r (period_start, params, entities, high,"
			"       medium, low, raised, points, unmapped_points, compute_seconds, write_seconds)"
			" VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
			" ON CONFLICT (period_start) DO UPDATE"
			"   SET graded_at = now(), graded_by = session_user, params = excluded.params,"
			"       entities = excluded.entities, high = excluded.high,"
			"       medium = excluded.medium, low = excluded.low, raised = excluded.raised,"
			"       points = excluded.points, unmapped_points = excluded.unmapped_points,"
			"       compute_seconds = excluded.compute_seconds,"
			"       write_seconds = excluded.write_seconds",
			11, t, v, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "grade_risks: could not record the run");
}
