/*
 * risk_grade.c
 *		grade_risks(period_start date): the period's points are read in one
 *		pass and aggregated per entity in memory, scored by the pure core
 *		(risk_score.c), raised along party_link, ranked, given their
 *		prescribed response and written to risk_score as COPY writes
 *		(src/common/bulk_insert.c), or, where row-level security, triggers or
 *		privileges ask for the executor, in batches of
 *		taxshare.risk_write_batch rows (one INSERT ... SELECT FROM unnest()
 *		per batch).  No query runs per entity.  The breakdown and the
 *		response reason are written compactly (src/risk/risk_breakdown_fmgr.c).
 *
 * Also risk_param_problem(), which checks taxshare.risk_param as a whole, and
 * the module's GUCs (risk_init()).
 *
 * Memory: everything lives in one context, deleted at the end.  About 100
 * bytes per entity and 24 per point: a million entities with three million
 * points take some 200 MB for the duration of the call.
 */
#include "taxshare.h"

#include <math.h>
#include <sys/resource.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/syscache.h"
#include "utils/numeric.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "common/progress.h"
#include "common/bulk_insert.h"
#include "risk/risk_grade_internal.h"
#include "risk/risk_breakdown.h"
#include "common/numeric_cents.h"
#include "risk/risk_list_index.h"
#include "risk/risk_score.h"

/* ------------------------------------------------------------------------
 * In-memory aggregation
 * ------------------------------------------------------------------------
 */

typedef struct EntSlot
{
	int64		id;
	int32		idx;
	char		status;
} EntSlot;

static inline uint32
hash_int64(int64 v)
{
	uint64		h = (uint64) v;

	/* splitmix64 finaliser */
	h ^= h >> 30;
	h *= UINT64CONST(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64CONST(0x94d049bb133111eb);
	h ^= h >> 31;
	return (uint32) h;
}

#define SH_PREFIX enthash
#define SH_ELEMENT_TYPE EntSlot
#define SH_KEY_TYPE int64
#define SH_KEY id
#define SH_HASH_KEY(tb, key) hash_int64(key)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static int32
ent_get(Grade *g, int64 id)
{
	bool		found;
	EntSlot    *s = enthash_insert(g->ht, id, &found);

	if (!found)
	{
		Ent		   *e;

		if (g->nents >= g->maxents)
		{
			if (g->maxents >= INT32_MAX / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many entities to grade in one period")));
			g->maxents *= 2;
			g->ents = repalloc_huge(g->ents, sizeof(Ent) * (Size) g->maxents);
		}
		s->idx = g->nents++;
		e = &g->ents[s->idx];
		memset(e, 0, sizeof(Ent));
		e->id = id;
		e->head = -1;
		e->prop_role = -1;
	}
	return s->idx;
}

static int32
ent_find(Grade *g, int64 id)
{
	EntSlot    *s = enthash_lookup(g->ht, id);

	return s ? s->idx : -1;
}

/*
 * One suspicious point of entity eid: the point joins the entity's list and
 * the entity's aggregates (number, weighted number, amount, worst severity
 * and social influence, any monitoring hit, the strongest response an
 * indicator asks for) take it in.
 */
void
grade_add_point(Grade *g, int64 eid, int64 sid, int64 cents, int ind)
{
	Ind		   *in = &g->inds[ind];
	int32		e;
	Ent		   *ent;
	Pt		   *pt;

	e = ent_get(g, eid);
	ent = &g->ents[e];
	if (g->npts >= g->maxpts)
	{
		if (g->maxpts >= INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many suspicious points to grade in one period")));
		g->maxpts *= 2;
		g->pts = repalloc_huge(g->pts, sizeof(Pt) * (Size) g->maxpts);
	}
	pt = &g->pts[g->npts];
	pt->id = sid;
	pt->cents = cents;
	pt->ind = ind;
	pt->next = ent->head;
	ent->head = g->npts++;

	ent->npoints++;
	ent->wpoints += in->weight;
	if (pg_add_s64_overflow(ent->cents, cents, &ent->cents))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount involved of entity %lld is out of range", (long long) eid)));
	if (in->severity > ent->severity)
		ent->severity = in->severity;
	if (in->social > ent->social)
		ent->social = in->social;
	if (in->monitoring)
		ent->monitoring = true;
	if (in->wants > ent->wants)
		ent->wants = in->wants;
	if (ind == 0)
		g->unmapped++;
}

/* An entity on the blacklist during the period; it joins if it has no points. */
void
grade_add_blacklisted(Grade *g, int64 id)
{
	int32		e = ent_get(g, id); /* may move g->ents */

	g->ents[e].blacklisted = true;
}

/*
 * M07 (docs/risk.md, "The blacklist"): an enterprise with a blacklisted
 * person in a key role takes the indicator as a monitoring hit, with its
 * severity and social influence, if it has points of its own.
 */
void
grade_add_key_person(Grade *g, int64 enterprise, int64 person, int severity, int social)
{
	int32		e = ent_find(g, enterprise);
	Ent		   *ent;

	if (e < 0 || g->ents[e].npoints == 0)
		return;
	ent = &g->ents[e];
	ent->key_person = person;
	ent->monitoring = true;
	if (severity > ent->severity)
		ent->severity = severity;
	if (social > ent->social)
		ent->social = social;
}

/* The entity's first assessment of the calendar year, for the once-a-year rule. */
void
grade_add_assessment(Grade *g, int64 id, DateADT on)
{
	int32		e = ent_find(g, id);

	if (e >= 0)
	{
		g->ents[e].assessed = true;
		g->ents[e].assessed_on = on;
	}
}

/* The propagation core takes its memory from the grading's context. */
static void *
prop_alloc(size_t size, void *arg)
{
	return MemoryContextAllocHuge((MemoryContext) arg, size);
}

static void
prop_release(void *ptr, void *arg)
{
	pfree(ptr);
}

static void
prop_tick(void *arg)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * Propagation (seeds/003: "通过企业风险定位个人风险、通过个人风险查找企业风险"):
 * the pure core (src/risk/risk_propagate.c) passes the risk of every entity
 * graded high on its own points and of every blacklisted one along the links
 * in force; each entity reached keeps the best value, and risk_lift() then
 * applies it with the one-grade cap.  Entities reached without points of
 * their own join the grading here.  Returns how many were raised.
 */
static int64
propagate(Grade *g)
{
	RiskPropEntity *sources;
	RiskReach  *reached;
	RiskPropagateEnv env;
	int64		nreached;
	int64		k;
	int32		i;
	int64		raised = 0;
	int32		nsources = 0;
	MemoryContext old;

	if (g->gp.hops <= 0 || g->gp.core.decay <= 0)
		return 0;
	for (i = 0; i < g->nents; i++)
		if (g->ents[i].own_grade == RISK_HIGH || g->ents[i].blacklisted)
			nsources++;
	if (nsources == 0)
		return 0;

	old = MemoryContextSwitchTo(g->cxt);
	g->maxlinks = 1024;
	g->nlinks = 0;
	g->links = palloc(sizeof(RiskLink) * g->maxlinks);
	MemoryContextSwitchTo(old);
	grade_read_links(g);
	if (g->nlinks == 0)
		return 0;

	/* the sources, in entity order (which decides ties) */
	sources = MemoryContextAllocHuge(g->cxt, sizeof(RiskPropEntity) * (Size) nsources);
	nsources = 0;
	for (i = 0; i < g->nents; i++)
	{
		Ent		   *e = &g->ents[i];

		if (e->own_grade != RISK_HIGH && !e->blacklisted)
			continue;
		sources[nsources].id = e->id;
		sources[nsources].own_grade = (RiskGrade) e->own_grade;
		sources[nsources].own_score = e->own_score;
		sources[nsources++].blacklisted = e->blacklisted;
	}
	env.alloc = prop_alloc;
	env.release = prop_release;
	env.tick = prop_tick;
	env.arg = g->cxt;
	nreached = risk_propagate(&g->gp.core, g->gp.hops, g->gp.role_weight, sources, nsources,
							  g->links, g->nlinks, &env, &reached);
	if (nreached < 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many links to propagate risk along in one period")));
	pfree(sources);
	pfree(g->links);
	g->links = NULL;

	old = MemoryContextSwitchTo(g->cxt);
	for (k = 0; k < nreached; k++)
	{
		const RiskReach *r = &reached[k];
		int32		t = ent_get(g, r->id);	/* may move g->ents */
		Ent		   *te = &g->ents[t];

		te->prop = r->value;
		te->prop_origin = r->origin;
		te->prop_via = r->via;
		te->prop_role = r->role;
		te->prop_hops = r->hops;
	}
	if (reached)
		pfree(reached);
	MemoryContextSwitchTo(old);

	for (i = 0; i < g->nents; i++)
	{
		Ent		   *e = &g->ents[i];
		RiskLift	l;

		if (e->prop <= 0)
			continue;
		risk_lift(&g->gp.core, (RiskGrade) e->own_grade, e->own_score, e->prop, &l);
		e->score = l.score;
		e->grade = l.grade;
		e->capped = l.capped;
		e->raised = l.raised;
		if (l.raised)
			raised++;
	}
	return raised;
}

/* ------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------
 */

#define N_COLS 16

/*
 * The arrays are unnested in the select list (a ProjectSet streams them)
 * rather than in FROM (which would copy every row into a tuplestore first).
 */
static const char *const insert_sql =
"INSERT INTO taxshare.risk_score (period_start, entity_id, score, grade, rank, points, amount,"
"       own_score, own_grade, severity, social_impact, monitoring, blacklisted, propagated,"
"       response, reason_code, detail)"
" SELECT $1, u.e, u.s, ('{low,medium,high}'::taxshare.risk_grade[])[u.g], u.r, u.n, u.c * 0.01, u.os,"
"       ('{low,medium,high}'::taxshare.risk_grade[])[nullif(u.og, 0)], u.sev, u.soc, u.m, u.b, u.p,"
"       ('{reminder,verification,assessment,audit,referral}'::text[])[u.resp], u.why, u.bd"
"  FROM (SELECT unnest($2::int8[]) AS e, unnest($3::float8[]) AS s, unnest($4::int2[]) AS g,"
"               unnest($5::int4[]) AS r, unnest($6::int4[]) AS n, unnest($7::int8[]) AS c,"
"               unnest($8::float8[]) AS os, unnest($9::int2[]) AS og, unnest($10::int2[]) AS sev,"
"               unnest($11::int2[]) AS soc, unnest($12::bool[]) AS m, unnest($13::bool[]) AS b,"
"               unnest($14::bool[]) AS p, unnest($15::int2[]) AS resp, unnest($16::int2[]) AS why,"
"               unnest($17::bytea[]) AS bd) u";

static const Oid col_types[N_COLS] = {
	INT8OID, FLOAT8OID, INT2OID, INT4OID, INT4OID, INT8OID,
	FLOAT8OID, INT2OID, INT2OID, INT2OID, BOOLOID, BOOLOID,
	BOOLOID, INT2OID, INT2OID, BYTEAOID
};

static void
flush_batch(Grade *g, SPIPlanPtr plan, Datum **cols, int n)
{
	Datum		values[N_COLS + 1];
	int			c;
	int			rc;

	if (n == 0)
		return;
	values[0] = DateADTGetDatum(g->period);
	for (c = 0; c < N_COLS; c++)
	{
		int16		typlen;
		bool		typbyval;
		char		typalign;

		get_typlenbyvalalign(col_types[c], &typlen, &typbyval, &typalign);
		values[c + 1] = PointerGetDatum(construct_array(cols[c], n, col_types[c],
														typlen, typbyval, typalign));
	}
	rc = SPI_execute_plan(plan, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "grade_risks: insert into risk_score failed: %s", SPI_result_code_string(rc));
}

/* The columns of risk_score grade_risks() writes; graded_at takes its default. */
static const char *const score_columns[N_COLS + 1] = {
	"period_start", "entity_id", "score", "grade", "rank", "points", "amount",
	"own_score", "own_grade", "severity", "social_impact", "monitoring", "blacklisted",
	"propagated", "response", "reason_code", "detail"
};

static const char *const response_names[] = {
	NULL, "reminder", "verification", "assessment", "audit", "referral"
};

/*
 * The fast path (src/common/bulk_insert.c, as COPY writes): the rows' Datums go
 * straight to the table.  No ring buffer: the pages stay in shared buffers
 * for the background writer, as with INSERT, rather than being written out
 * by this backend every 16 MB (a third slower at a million rows).  Taken when nothing the executor does would be
 * skipped (bulk_insert.h); otherwise write_scores() takes the SQL path.
 */
static bool
write_scores_bulk(Grade *g, int32 *order, int32 n, Scratch *sc, RiskDetail *detail,
				  MemoryContext row_cxt)
{
	BulkInsert *bi = bulk_insert_begin("taxshare", "risk_score", N_COLS + 1, score_columns, false);
	Datum		grades[4];
	Datum		responses[lengthof(response_names)];
	Datum		v[N_COLS + 1];
	bool		nulls[N_COLS + 1];
	int32		k;
	int			i;
	RiskListIndex *list;
	Oid			grade_type;

	if (bi == NULL)
	{
		elog(DEBUG1, "grade_risks: writing through SQL (triggers, row-level security or privileges ask for it)");
		return false;
	}
	elog(DEBUG1, "grade_risks: writing through the bulk path");
	/* the enum's labels as Datums (OIDs), and the response names */
	grade_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("risk_grade"),
								 ObjectIdGetDatum(get_namespace_oid("taxshare", false)));
	if (!OidIsValid(grade_type))
		elog(ERROR, "type taxshare.risk_grade does not exist");
	grades[RISK_NONE] = (Datum) 0;
	grades[RISK_LOW] = DirectFunctionCall2(enum_in, CStringGetDatum("low"), ObjectIdGetDatum(grade_type));
	grades[RISK_MEDIUM] = DirectFunctionCall2(enum_in, CStringGetDatum("medium"), ObjectIdGetDatum(grade_type));
	grades[RISK_HIGH] = DirectFunctionCall2(enum_in, CStringGetDatum("high"), ObjectIdGetDatum(grade_type));
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
		Ent		   *e = &g->ents[order[k]];
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
#if PG_VERSION_NUM >= 140000
		v[6] = NumericGetDatum(int64_div_fast_to_numeric(e->cents, 2));
#else
		v[6] = (Datum) 0;		/* not reached: bulk_insert_begin() needs 14 */
#endif
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
		v[16] = PointerGetDatum(risk_detail_bytea(g, sc, e, detail));
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

static void
write_scores(Grade *g, int32 *order, int32 n)
{
	Oid			argtypes[N_COLS + 1];
	SPIPlanPtr	plan;
	MemoryContext batch_cxt;
	MemoryContext old;
	Datum	   *cols[N_COLS];
	Scratch		sc;
	RiskDetail *detail;
	int			batch = taxshare_risk_write_batch;
	int			inbatch = 0;
	int32		k;
	int			c;

	old = MemoryContextSwitchTo(g->cxt);
	sc.cnt = palloc0(sizeof(int32) * g->ninds);
	sc.seen = palloc0(sizeof(bool) * g->ninds);
	detail = palloc(sizeof(RiskDetail));
	sc.maxpts = 64;
	sc.pts = palloc(sizeof(int32) * sc.maxpts);
	batch_cxt = AllocSetContextCreate(g->cxt, "grade_risks batch", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(old);

	progress_begin(&g->progress, g->progress.what, "entities written", n);
	if (write_scores_bulk(g, order, n, &sc, detail, batch_cxt))
	{
		progress_end(&g->progress);
		return;
	}

	argtypes[0] = DATEOID;
	for (c = 0; c < N_COLS; c++)
		argtypes[c + 1] = get_array_type(col_types[c]);
	plan = SPI_prepare(insert_sql, N_COLS + 1, argtypes);
	if (plan == NULL)
		elog(ERROR, "grade_risks: could not prepare the insert: %s", SPI_result_code_string(SPI_result));
	old = MemoryContextSwitchTo(g->cxt);
	for (c = 0; c < N_COLS; c++)
		cols[c] = palloc(sizeof(Datum) * batch);
	MemoryContextSwitchTo(old);

	for (k = 0; k < n; k++)
	{
		Ent		   *e = &g->ents[order[k]];

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(batch_cxt);

		cols[0][inbatch] = Int64GetDatum(e->id);
		cols[1][inbatch] = Float8GetDatum(e->score);
		cols[2][inbatch] = Int16GetDatum(e->grade);
		cols[3][inbatch] = Int32GetDatum(e->rank);
		cols[4][inbatch] = Int32GetDatum(e->npoints);
		cols[5][inbatch] = Int64GetDatum(e->cents);
		cols[6][inbatch] = Float8GetDatum(e->own_score);
		cols[7][inbatch] = Int16GetDatum(e->own_grade);
		cols[8][inbatch] = Int16GetDatum(e->severity);
		cols[9][inbatch] = Int16GetDatum(e->social);
		cols[10][inbatch] = BoolGetDatum(e->monitoring);
		cols[11][inbatch] = BoolGetDatum(e->blacklisted);
		cols[12][inbatch] = BoolGetDatum(e->raised);
		cols[13][inbatch] = Int16GetDatum(e->response);
		cols[14][inbatch] = Int16GetDatum(e->reason);
		cols[15][inbatch] = PointerGetDatum(risk_detail_bytea(g, &sc, e, detail));
		inbatch++;
		MemoryContextSwitchTo(old);

		if (inbatch == batch || k == n - 1)
		{
			flush_batch(g, plan, cols, inbatch);
			inbatch = 0;
			MemoryContextReset(batch_cxt);
			progress_update(&g->progress, k + 1);
		}
	}
	progress_end(&g->progress);
	SPI_freeplan(plan);
}

/* CPU seconds of this backend, for the DEBUG1 timings. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ------------------------------------------------------------------------
 * grade_risks(period_start date)
 * ------------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(grade_risks);

Datum
grade_risks(PG_FUNCTION_ARGS)
{
	DateADT		period = PG_GETARG_DATEADT(0);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc	tupdesc;
	Grade	   *g;
	const char *problem;
	int32	   *order;
	int32		ngraded = 0;
	int64		counts[4] = {0, 0, 0, 0};
	int64		raised;
	int32		i;
	char		day[16];
	Datum		out[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Oid			lock_types[2] = {INT4OID, INT4OID};
	Datum		lock_args[2];
	TimestampTz t0,
				t1,
				started,
				writing,
				finished;
	double		c0,
				c1;

	if (DATE_NOT_FINITE(period))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_start must be a finite date"),
				 errhint("Pass the first day of the period the suspicious points belong to.")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "grade_risks must return a record");
	tupdesc = BlessTupleDesc(tupdesc);

	g = MemoryContextAllocZero(caller, sizeof(Grade));
	g->cxt = AllocSetContextCreate(caller, "grade_risks", ALLOCSET_DEFAULT_SIZES);
	g->period = period;
	risk_date_iso(day, period);

	SPI_connect();
	started = GetCurrentTimestamp();

	/* One grading of a period at a time: the second waits for the first. */
	lock_args[0] = Int32GetDatum(0x74787273);	/* "txrs" */
	lock_args[1] = Int32GetDatum((int32) period);
	if (SPI_execute_with_args("SELECT pg_catalog.pg_advisory_xact_lock($1, $2)", 2, lock_types,
							  lock_args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "grade_risks: could not take the period lock");

	problem = risk_params_load(&g->gp);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid risk parameters: %s", problem),
				 errhint("Correct taxshare.risk_param (docs/risk.md, \"Tuning\").")));

	{
		MemoryContext old = MemoryContextSwitchTo(g->cxt);

		g->ht = enthash_create(g->cxt, 1024, NULL);
		g->maxents = 1024;
		g->ents = palloc(sizeof(Ent) * g->maxents);
		g->maxpts = 4096;
		g->pts = palloc(sizeof(Pt) * g->maxpts);
		g->maxinds = 64;
		g->inds = palloc0(sizeof(Ind) * g->maxinds);
		g->ninds = 1;			/* inds[0]: points of rules without an indicator */
		g->maxrules = 64;
		g->rules = palloc(sizeof(Rule) * g->maxrules);
		g->inds[0].severity = 1;
		g->inds[0].social = 1;
		g->inds[0].weight = 1;
		g->progress.what = psprintf("grade_risks %s", day);
		MemoryContextSwitchTo(old);
	}

	/* 1. the points, aggregated per entity */
	t0 = GetCurrentTimestamp();
	c0 = cpu_seconds();
	progress_begin(&g->progress, g->progress.what, "points read", 0);
	grade_read_rules(g);
	grade_read_points(g);
	progress_end(&g->progress);
	if (g->unmapped > 0)
		ereport(NOTICE,
				(errmsg("%lld points of rules without an indicator were graded with severity 1, social influence 1 and weight 1",
						(long long) g->unmapped),
				 errhint("Set match_rule.indicator_code for every rule.")));

	t1 = GetCurrentTimestamp();
	c1 = cpu_seconds();
	elog(DEBUG1, "grade_risks: read %d points of %d entities in %.3f s (cpu %.3f s)", g->npts, g->nents,
		 (t1 - t0) / 1e6, c1 - c0);

	/* 2. the blacklist, the blacklisted key persons (M07), own scores */
	grade_read_blacklist(g);
	grade_read_key_roles(g);
	for (i = 0; i < g->nents; i++)
	{
		Ent		   *e = &g->ents[i];
		RiskInput	in;
		RiskResult	r;

		in.points = e->wpoints;
		in.npoints = e->npoints;
		in.amount = (double) e->cents / 100.0;
		in.severity = e->severity;
		in.social = e->social;
		in.monitoring = e->monitoring;
		risk_compute(&g->gp.core, &in, &r);
		e->own_score = e->score = r.score;
		e->own_grade = e->grade = r.grade;
		e->overridden = r.overridden;
	}

	/* 3. propagation */
	raised = propagate(g);

	t0 = GetCurrentTimestamp();
	c0 = cpu_seconds();
	elog(DEBUG1, "grade_risks: scored, blacklist and propagation (%lld raised) in %.3f s (cpu %.3f s)",
		 (long long) raised, (t0 - t1) / 1e6, c0 - c1);

	/* 4. responses (the once-a-year assessment rule needs the year's earlier assessments) */
	grade_read_assessments(g);
	{
		MemoryContext old = MemoryContextSwitchTo(g->cxt);

		order = palloc_extended(sizeof(int32) * Max(g->nents, 1), MCXT_ALLOC_HUGE);
		MemoryContextSwitchTo(old);
	}
	for (i = 0; i < g->nents; i++)
	{
		Ent		   *e = &g->ents[i];
		RiskResponseReason why;

		if (e->grade == RISK_NONE)
			continue;
		e->response = risk_response(&g->gp.core, (RiskGrade) e->grade, e->npoints,
									(double) e->cents / 100.0, (RiskResponse) e->wants,
									e->assessed, &why);
		e->reason = why;
		if (why != RR_MEDIUM_ASSESSED)
			e->assessed = false;	/* only said where it decided */
		counts[e->grade]++;
		order[ngraded++] = i;
	}

	/* 5. rank and write */
	grade_rank(g, order, ngraded);
	writing = GetCurrentTimestamp();
	{
		Oid			t[1] = {DATEOID};
		Datum		v[1];

		v[0] = DateADTGetDatum(period);
		if (SPI_execute_with_args("DELETE FROM taxshare.risk_score WHERE period_start = $1",
								  1, t, v, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "grade_risks: could not clear the period");
	}
	t1 = GetCurrentTimestamp();
	c1 = cpu_seconds();
	elog(DEBUG1, "grade_risks: responses, ranking and clearing the period in %.3f s (cpu %.3f s)",
		 (t1 - t0) / 1e6, c1 - c0);
	write_scores(g, order, ngraded);
	finished = GetCurrentTimestamp();
	elog(DEBUG1, "grade_risks: wrote %d scores in %.3f s (cpu %.3f s)", ngraded,
		 (finished - t1) / 1e6, cpu_seconds() - c1);

	/* 6. the run, with the parameters it used */
	{
		Oid			t[11] = {DATEOID, TEXTOID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID,
		FLOAT8OID, FLOAT8OID};
		Datum		v[11];

		v[0] = DateADTGetDatum(period);
		v[1] = CStringGetTextDatum(risk_params_json(&g->gp));
		v[2] = Int64GetDatum(ngraded);
		v[3] = Int64GetDatum(counts[RISK_HIGH]);
		v[4] = Int64GetDatum(counts[RISK_MEDIUM]);
		v[5] = Int64GetDatum(counts[RISK_LOW]);
		v[6] = Int64GetDatum(raised);
		v[7] = Int64GetDatum(g->npts);
		v[8] = Int64GetDatum(g->unmapped);
		v[9] = Float8GetDatum((writing - started) / 1e6);
		v[10] = Float8GetDatum((finished - writing) / 1e6);
		if (SPI_execute_with_args("INSERT INTO taxshare.risk_grading AS r (period_start, params, entities, high,"
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

	SPI_finish();

	out[0] = Int64GetDatum(ngraded);
	out[1] = Int64GetDatum(counts[RISK_HIGH]);
	out[2] = Int64GetDatum(counts[RISK_MEDIUM]);
	out[3] = Int64GetDatum(counts[RISK_LOW]);
	out[4] = Int64GetDatum(raised);
	out[5] = Int64GetDatum(g->npts);
	MemoryContextDelete(g->cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, out, nulls)));
}
