/*
 * risk_grade.c
 *		grade_risks(period_start date): the steps of a grading, and the
 *		in-memory aggregation of the period's inputs per entity.
 *
 * The steps (src/risk/README.md tells them at more length):
 *	1. the rules and the points are read (risk_read.c) and aggregated per
 *	   entity here, in an array found through a hash table by entity id;
 *	2. the blacklist and the blacklisted key persons (M07) are added, and
 *	   each entity is scored on its own points (risk_compute());
 *	3. risk is propagated along party_link (risk_propagate.c) and applied
 *	   with the one-grade cap (risk_lift());
 *	4. each graded entity is prescribed a response (risk_response()), the
 *	   once-a-year assessment rule reading the year's earlier assessments;
 *	5. the entities are ranked (risk_rank.c), the period's rows replaced
 *	   (risk_write.c) and the run recorded in risk_grading.
 * No query runs per entity.  Everything lives in one memory context, deleted
 * at the end (its size: docs/risk.md, "Performance").
 */
#include "taxshare.h"

#include <sys/resource.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/date.h"
#include "utils/memutils.h"

#include "common/progress.h"
#include "risk/risk_grade_internal.h"
#include "risk/risk_propagate.h"
#include "risk/risk_score.h"

/* ------------------------------------------------------------------------
 * In-memory aggregation
 * ------------------------------------------------------------------------
 */

typedef struct EntSlot
{
	int64 id;
	int32 idx;
	char  status;
} EntSlot;

static inline uint32
hash_int64(int64 v)
{
	uint64 h = (uint64) v;

	/* splitmix64 finaliser */
	h ^= h >> 30;
	h *= UINT64CONST(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64CONST(0x94d049bb133111eb);
	h ^= h >> 31;
	return (uint32) h;
}

#define SH_PREFIX            enthash
#define SH_ELEMENT_TYPE      EntSlot
#define SH_KEY_TYPE          int64
#define SH_KEY               id
#define SH_HASH_KEY(tb, key) hash_int64(key)
#define SH_EQUAL(tb, a, b)   ((a) == (b))
#define SH_SCOPE             static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static int32
ent_get(Grade *g, int64 id)
{
	bool     found;
	EntSlot *s = enthash_insert(g->ht, id, &found);

	if (!found)
	{
		Ent *e;

		if (g->nents >= g->maxents)
		{
			if (g->maxents >= INT32_MAX / 2)
				ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
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
	EntSlot *s = enthash_lookup(g->ht, id);

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
	Ind  *in = &g->inds[ind];
	int32 e;
	Ent  *ent;
	Pt   *pt;

	e = ent_get(g, eid);
	ent = &g->ents[e];
	if (g->npts >= g->maxpts)
	{
		if (g->maxpts >= INT32_MAX / 2)
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
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
		ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
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
	int32 e = ent_get(g, id); /* may move g->ents */

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
	int32 e = ent_find(g, enterprise);
	Ent  *ent;

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
	int32 e = ent_find(g, id);

	if (e >= 0)
	{
		g->ents[e].assessed = true;
		g->ents[e].assessed_on = on;
	}
}

/* ------------------------------------------------------------------------
 * Scoring, propagation, responses
 * ------------------------------------------------------------------------
 */

/* Every entity's score and grade on its own points (the pure core, risk_score.c). */
static void
score_own(Grade *g)
{
	int32 i;

	for (i = 0; i < g->nents; i++)
	{
		Ent       *e = &g->ents[i];
		RiskInput  in;
		RiskResult r;

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
}

/* The propagation core takes its memory from the grading's context. */
static void *
prop_alloc(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size);
}

static void
prop_release(void *ctx, void *ptr)
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
	RiskPropEntity  *sources;
	RiskReach       *reached;
	RiskPropagateEnv env;
	int64            nreached;
	int64            k;
	int32            i;
	int64            raised = 0;
	int32            nsources = 0;
	MemoryContext    old;

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
		Ent *e = &g->ents[i];

		if (e->own_grade != RISK_HIGH && !e->blacklisted)
			continue;
		sources[nsources].id = e->id;
		sources[nsources].own_grade = (RiskGrade) e->own_grade;
		sources[nsources].own_score = e->own_score;
		sources[nsources++].blacklisted = e->blacklisted;
	}
	env.mem = (MemAllocator){prop_alloc, NULL, prop_release, NULL, g->cxt};
	env.tick = prop_tick;
	env.arg = NULL;
	nreached = risk_propagate(&g->gp.core, g->gp.hops, g->gp.role_weight, sources, nsources,
							  g->links, g->nlinks, &env, &reached);
	if (nreached < 0)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("too many links to propagate risk along in one period")));
	pfree(sources);
	pfree(g->links);
	g->links = NULL;

	old = MemoryContextSwitchTo(g->cxt);
	for (k = 0; k < nreached; k++)
	{
		const RiskReach *r = &reached[k];
		int32            t = ent_get(g, r->id); /* may move g->ents */
		Ent             *te = &g->ents[t];

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
		Ent     *e = &g->ents[i];
		RiskLift l;

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

/*
 * The prescribed response of every graded entity (risk_response(), seeds/000
 * art. 20 (四)); order gets the graded entities, counts how many of each
 * grade.  Returns how many were graded.
 */
static int32
prescribe(Grade *g, int32 *order, int64 counts[4])
{
	int32 ngraded = 0;
	int32 i;

	for (i = 0; i < g->nents; i++)
	{
		Ent               *e = &g->ents[i];
		RiskResponseReason why;

		if (e->grade == RISK_NONE)
			continue;
		e->response =
			risk_response(&g->gp.core, (RiskGrade) e->grade, e->npoints, (double) e->cents / 100.0,
						  (RiskResponse) e->wants, e->assessed, &why);
		e->reason = why;
		if (why != RR_MEDIUM_ASSESSED)
			e->assessed = false; /* only said where it decided */
		counts[e->grade]++;
		order[ngraded++] = i;
	}
	return ngraded;
}

/* ------------------------------------------------------------------------
 * grade_risks(period_start date)
 * ------------------------------------------------------------------------
 */

/* CPU seconds of this backend, for the DEBUG1 timings. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

PG_FUNCTION_INFO_V1(grade_risks);

Datum
grade_risks(PG_FUNCTION_ARGS)
{
	DateADT       period = PG_GETARG_DATEADT(0);
	MemoryContext caller = CurrentMemoryContext;
	TupleDesc     tupdesc;
	Grade        *g;
	const char   *problem;
	int32        *order;
	int32         ngraded = 0;
	int64         counts[4] = {0, 0, 0, 0};
	int64         raised;
	char          day[16];
	Datum         out[6];
	bool          nulls[6] = {false, false, false, false, false, false};
	Oid           lock_types[2] = {INT4OID, INT4OID};
	Datum         lock_args[2];
	TimestampTz   t0, t1, started, writing, finished;
	double        c0, c1;

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
	lock_args[0] = Int32GetDatum(0x74787273); /* "txrs" */
	lock_args[1] = Int32GetDatum((int32) period);
	if (SPI_execute_with_args("SELECT pg_catalog.pg_advisory_xact_lock($1, $2)", 2, lock_types,
							  lock_args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "grade_risks: could not take the period lock");

	problem = risk_params_load(&g->gp);
	if (problem)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
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
		g->ninds = 1; /* inds[0]: points of rules without an indicator */
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
		ereport(NOTICE, (errmsg("%lld points of rules without an indicator were graded with "
								"severity 1, social influence 1 and weight 1",
								(long long) g->unmapped),
						 errhint("Set match_rule.indicator_code for every rule.")));

	t1 = GetCurrentTimestamp();
	c1 = cpu_seconds();
	elog(DEBUG1, "grade_risks: read %d points of %d entities in %.3f s (cpu %.3f s)", g->npts,
		 g->nents, (t1 - t0) / 1e6, c1 - c0);

	/* 2. the blacklist, the blacklisted key persons (M07), own scores */
	grade_read_blacklist(g);
	grade_read_key_roles(g);
	score_own(g);

	/* 3. propagation */
	raised = propagate(g);

	t0 = GetCurrentTimestamp();
	c0 = cpu_seconds();
	elog(DEBUG1,
		 "grade_risks: scored, blacklist and propagation (%lld raised) in %.3f s (cpu %.3f s)",
		 (long long) raised, (t0 - t1) / 1e6, c0 - c1);

	/* 4. responses (the once-a-year assessment rule needs the year's earlier assessments) */
	grade_read_assessments(g);
	{
		MemoryContext old = MemoryContextSwitchTo(g->cxt);

		order = palloc_extended(sizeof(int32) * Max(g->nents, 1), MCXT_ALLOC_HUGE);
		MemoryContextSwitchTo(old);
	}
	ngraded = prescribe(g, order, counts);

	/* 5. rank and write */
	grade_rank(g, order, ngraded);
	writing = GetCurrentTimestamp();
	grade_clear_period(g);
	t1 = GetCurrentTimestamp();
	c1 = cpu_seconds();
	elog(DEBUG1, "grade_risks: responses, ranking and clearing the period in %.3f s (cpu %.3f s)",
		 (t1 - t0) / 1e6, c1 - c0);
	grade_write_scores(g, order, ngraded);
	finished = GetCurrentTimestamp();
	elog(DEBUG1, "grade_risks: wrote %d scores in %.3f s (cpu %.3f s)", ngraded,
		 (finished - t1) / 1e6, cpu_seconds() - c1);

	/* 6. the run, with the parameters it used */
	grade_record_run(g, ngraded, counts, raised, (writing - started) / 1e6,
					 (finished - writing) / 1e6);

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
