/*
 * risk_read.c
 *		What grade_risks() reads for a period, each input in one pass of one
 *		query whose rows are streamed into a callback (never materialised):
 *		the graded rules with their indicators, the suspicious points, the
 *		blacklist, the blacklisted key persons (M07), the links in force and
 *		the year's earlier assessments.  The callbacks turn Datums into plain
 *		values and hand them to the aggregation (risk_grade.c); the links go
 *		into an array for the propagation core.
 *
 * The points are read from suspicion alone: the rules and their indicators
 * are read once beforehand and looked up by the hash of the rule code, and
 * each amount is read from the stored numeric as a whole number of fen
 * (src/common/numeric_cents.c).
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "common/numeric_cents.h"
#include "common/progress.h"
#include "risk/risk_grade_internal.h"

/* ------------------------------------------------------------------------
 * Streaming a query's rows into a callback, without materialising them
 * ------------------------------------------------------------------------
 */
typedef void (*RowFn)(TupleTableSlot *slot, Grade *g);

typedef struct StreamReceiver
{
	DestReceiver pub;
	RowFn        fn;
	Grade       *g;
} StreamReceiver;

static bool
stream_receive(TupleTableSlot *slot, DestReceiver *self)
{
	StreamReceiver *r = (StreamReceiver *) self;

	r->fn(slot, r->g);
	return true;
}

static void
stream_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
stream_noop(DestReceiver *self)
{
}

/* Runs sql with $1 = the period and hands every row to fn. */
static void
stream_rows(Grade *g, const char *sql, RowFn fn)
{
	Oid   argtypes[1] = {DATEOID};
	Datum values[1];

	values[0] = DateADTGetDatum(g->period);
	{
		StreamReceiver    r;
		SPIExecuteOptions opt;
		ParamListInfo     params = makeParamList(1);
		int               rc;

		params->params[0].value = values[0];
		params->params[0].isnull = false;
		params->params[0].pflags = PARAM_FLAG_CONST;
		params->params[0].ptype = argtypes[0];
		memset(&r, 0, sizeof(r));
		r.pub.receiveSlot = stream_receive;
		r.pub.rStartup = stream_startup;
		r.pub.rShutdown = stream_noop;
		r.pub.rDestroy = stream_noop;
		r.pub.mydest = DestNone;
		r.fn = fn;
		r.g = g;
		memset(&opt, 0, sizeof(opt));
		opt.params = params;
		opt.read_only = true;
		opt.dest = (DestReceiver *) &r;
		rc = SPI_execute_extended(sql, &opt);
		/* a SELECT into a receiver of kind DestNone reports SPI_OK_UTILITY */
		if (rc != SPI_OK_SELECT && rc != SPI_OK_UTILITY)
			elog(ERROR, "grade_risks: query failed: %s", SPI_result_code_string(rc));
	}
}

/* ------------------------------------------------------------------------
 * The rules and their indicators
 * ------------------------------------------------------------------------
 */

/* The indicator of a rule row: columns 2..7 of the rules query. */
static int
ind_get(Grade *g, TupleTableSlot *slot)
{
	bool        isnull;
	Datum       d = slot_getattr(slot, 2, &isnull);
	text       *t;
	const char *s;
	int         len;
	int         i;
	Ind        *ind;

	if (isnull)
		return 0; /* inds[0] stands for "no indicator" */
	t = DatumGetTextPP(d);
	s = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	ind = &g->inds[g->last_ind];
	if (ind->code && ind->len == len && memcmp(ind->code, s, len) == 0)
		return g->last_ind;
	for (i = 1; i < g->ninds; i++)
	{
		ind = &g->inds[i];
		if (ind->len == len && memcmp(ind->code, s, len) == 0)
		{
			g->last_ind = i;
			return i;
		}
	}
	if (g->ninds >= g->maxinds)
	{
		g->maxinds *= 2;
		g->inds = repalloc(g->inds, sizeof(Ind) * g->maxinds);
	}
	ind = &g->inds[g->ninds];
	ind->code = MemoryContextAlloc(g->cxt, len + 1);
	memcpy(ind->code, s, len);
	ind->code[len] = '\0';
	ind->len = len;
	ind->monitoring = DatumGetBool(slot_getattr(slot, 3, &isnull)) && !isnull;
	d = slot_getattr(slot, 4, &isnull);
	ind->severity = isnull ? 1 : DatumGetInt32(d);
	d = slot_getattr(slot, 5, &isnull);
	ind->social = isnull ? 1 : DatumGetInt32(d);
	d = slot_getattr(slot, 6, &isnull);
	ind->weight = isnull ? 1 : DatumGetFloat8(d);
	d = slot_getattr(slot, 7, &isnull);
	ind->wants = RESP_NONE;
	if (!isnull)
	{
		char *w = TextDatumGetCString(d);

		if (strcmp(w, "referral") == 0)
			ind->wants = RESP_REFERRAL;
		else if (strcmp(w, "verification") == 0)
			ind->wants = RESP_VERIFICATION;
		pfree(w);
	}
	g->last_ind = g->ninds;
	return g->ninds++;
}

/*
 * The rules whose points are graded, with their indicator's attributes:
 * points of inactive rules or indicators are left out; a rule without an
 * indicator counts with severity 1, social influence 1, weight 1 (and a
 * NOTICE).  Read once, so that the points are read from suspicion alone,
 * without a join per point.
 */
static const char *const rules_sql = "SELECT r.code, i.code, i.kind = 'monitoring', i.severity, "
									 "i.social_impact, i.weight, i.response"
									 "  FROM taxshare.match_rule r"
									 "  LEFT JOIN taxshare.indicator i ON i.code = r.indicator_code"
									 " WHERE r.active AND coalesce(i.active, true)";

static void
rule_row(TupleTableSlot *slot, Grade *g)
{
	MemoryContext old = MemoryContextSwitchTo(g->cxt);
	bool          isnull;
	text         *code = DatumGetTextPP(slot_getattr(slot, 1, &isnull));
	int           len = VARSIZE_ANY_EXHDR(code);
	Rule         *r;

	if (g->nrules >= g->maxrules)
	{
		g->maxrules *= 2;
		g->rules = repalloc(g->rules, sizeof(Rule) * g->maxrules);
	}
	r = &g->rules[g->nrules++];
	r->code = palloc(len + 1);
	memcpy(r->code, VARDATA_ANY(code), len);
	r->code[len] = '\0';
	r->len = len;
	r->ind = ind_get(g, slot);
	MemoryContextSwitchTo(old);
}

/* Open addressing over the rules, by the hash of their code. */
static void
rules_index(Grade *g)
{
	int i;

	g->rule_mask = 15;
	while (g->rule_mask + 1 < 2 * (uint32) g->nrules)
		g->rule_mask = g->rule_mask * 2 + 1;
	g->rule_slots = MemoryContextAlloc(g->cxt, sizeof(int32) * (g->rule_mask + 1));
	memset(g->rule_slots, -1, sizeof(int32) * (g->rule_mask + 1));
	for (i = 0; i < g->nrules; i++)
	{
		uint32 h = hash_bytes((const unsigned char *) g->rules[i].code, g->rules[i].len);

		while (g->rule_slots[h & g->rule_mask] >= 0)
			h++;
		g->rule_slots[h & g->rule_mask] = i;
	}
}

/* The indicator of a rule code, or -1 when its points are not graded. */
static int
rule_ind(Grade *g, const char *code, int len)
{
	uint32 h = hash_bytes((const unsigned char *) code, len);

	for (;; h++)
	{
		int32 i = g->rule_slots[h & g->rule_mask];

		if (i < 0)
			return -1;
		if (g->rules[i].len == len && memcmp(g->rules[i].code, code, len) == 0)
			return g->rules[i].ind;
	}
}

/* ------------------------------------------------------------------------
 * The points
 * ------------------------------------------------------------------------
 */

/*
 * An amount involved in cents (NULL: 0).  Read from the stored bytes
 * (src/common/numeric_cents.c); whatever that leaves (NaN, finer fractions, too
 * large) takes numeric's own (amount * 100)::int8, which rounds or raises
 * the error SQL would.
 */
static int64
amount_cents(Datum amount, bool isnull)
{
	struct varlena *v;
	int64_t         cents;
	bool            ok;

	if (isnull)
		return 0;
	v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(amount));
	ok = numeric_cents((const unsigned char *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), &cents);
	if (v != (struct varlena *) DatumGetPointer(amount))
		pfree(v); /* a compressed or out-of-line value: never for numeric(18,2) */
	if (ok)
		return cents;
	return DatumGetInt64(DirectFunctionCall1(
		numeric_int8,
		DirectFunctionCall2(numeric_mul, amount, NumericGetDatum(int64_to_numeric(100)))));
}

/* The period's points: the rule tells the indicator. */
static const char *const points_sql =
	"SELECT s.entity_id, s.id, s.amount_involved, s.rule_code"
	"  FROM taxshare.suspicion s"
	" WHERE s.period_start = $1 AND s.status IN ('new', 'confirmed')";

static void
point_row(TupleTableSlot *slot, Grade *g)
{
	MemoryContext old = MemoryContextSwitchTo(g->cxt);
	bool          isnull;
	int64         eid = DatumGetInt64(slot_getattr(slot, 1, &isnull));
	int64         sid = DatumGetInt64(slot_getattr(slot, 2, &isnull));
	Datum         amount = slot_getattr(slot, 3, &isnull);
	int64         cents = amount_cents(amount, isnull);
	Datum         rule = slot_getattr(slot, 4, &isnull);
	int           ind = isnull ? -1
							   : rule_ind(g, VARDATA_ANY(DatumGetTextPP(rule)),
										  VARSIZE_ANY_EXHDR(DatumGetTextPP(rule)));

	CHECK_FOR_INTERRUPTS();
	if (ind < 0)
	{
		/* a point of an inactive rule or indicator (or of no rule) */
		MemoryContextSwitchTo(old);
		return;
	}
	grade_add_point(g, eid, sid, cents, ind);
	progress_update(&g->progress, g->npts);
	MemoryContextSwitchTo(old);
}

/* ------------------------------------------------------------------------
 * The blacklist, the links, the earlier assessments
 * ------------------------------------------------------------------------
 */

/* Entities on the blacklist at any time of the period (listed before its end). */
static const char *const blacklist_sql =
	"SELECT DISTINCT b.entity_id FROM taxshare.blacklist_entity b"
	" WHERE b.listed_on < ($1 + interval '1 month')::date"
	"   AND (b.delisted_on IS NULL OR b.delisted_on > $1)";

static void
blacklist_row(TupleTableSlot *slot, Grade *g)
{
	MemoryContext old = MemoryContextSwitchTo(g->cxt);
	bool          isnull;
	Datum         d = slot_getattr(slot, 1, &isnull);

	if (!isnull)
		grade_add_blacklisted(g, DatumGetInt64(d));
	MemoryContextSwitchTo(old);
}

/*
 * M07_BLACKLIST_KEY_ROLE (seeds/003: "黑名单纳税人和办税人员"): enterprises
 * whose legal representative, finance head or tax handler is blacklisted
 * during the period, with the indicator's attributes.  Only enterprises with
 * points of their own take it (a monitoring hit, hence high); for the others
 * the blacklist acts by propagation alone, one grade at most.
 */
static const char *const key_role_sql =
	"SELECT l.enterprise_id, min(l.person_id), min(i.severity), min(i.social_impact)"
	"  FROM taxshare.party_link l"
	"  JOIN taxshare.indicator i ON i.code = '" M07_CODE "' AND i.active"
	" WHERE l.role IN ('legal_rep', 'finance_head', 'tax_handler')"
	"   AND (l.valid_from IS NULL OR l.valid_from < ($1 + interval '1 month')::date)"
	"   AND (l.valid_to IS NULL OR l.valid_to >= $1)"
	"   AND l.person_id IN (SELECT b.entity_id FROM taxshare.blacklist_entity b"
	"                        WHERE b.kind = 'person' AND b.listed_on < ($1 + interval '1 "
	"month')::date"
	"                          AND (b.delisted_on IS NULL OR b.delisted_on > $1))"
	" GROUP BY l.enterprise_id";

static void
key_role_row(TupleTableSlot *slot, Grade *g)
{
	bool isnull;

	grade_add_key_person(g, DatumGetInt64(slot_getattr(slot, 1, &isnull)),
						 DatumGetInt64(slot_getattr(slot, 2, &isnull)),
						 DatumGetInt32(slot_getattr(slot, 3, &isnull)),
						 DatumGetInt32(slot_getattr(slot, 4, &isnull)));
}

/* Links in force at some time of the period. */
static const char *const links_sql =
	"SELECT l.person_id, l.enterprise_id, l.role FROM taxshare.party_link l"
	" WHERE l.person_id IS NOT NULL AND l.enterprise_id IS NOT NULL"
	"   AND (l.valid_from IS NULL OR l.valid_from < ($1 + interval '1 month')::date)"
	"   AND (l.valid_to IS NULL OR l.valid_to >= $1)";

static void
link_row(TupleTableSlot *slot, Grade *g)
{
	bool      isnull;
	int64     person = DatumGetInt64(slot_getattr(slot, 1, &isnull));
	int64     enterprise = DatumGetInt64(slot_getattr(slot, 2, &isnull));
	Datum     d = slot_getattr(slot, 3, &isnull);
	int       role = -1;
	RiskLink *l;

	CHECK_FOR_INTERRUPTS();
	if (!isnull)
	{
		text *t = DatumGetTextPP(d);

		role = risk_role_of(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	if (role < 0 || g->gp.role_weight[role] <= 0)
		return;
	if (g->nlinks >= g->maxlinks)
	{
		g->maxlinks *= 2;
		g->links = repalloc_huge(g->links, sizeof(RiskLink) * (Size) g->maxlinks);
	}
	l = &g->links[g->nlinks++];
	l->person = person;
	l->enterprise = enterprise;
	l->role = role;
}

/*
 * Earlier assessments of the calendar year: the once-a-year rule.  Only a
 * medium grade is prescribed an assessment, so the list index (period_start,
 * grade, rank) finds them; risk_score keeps no index of its own for this.
 */
static const char *const assessed_sql =
	"SELECT x.entity_id, min(x.on_day) FROM ("
	"  SELECT s.entity_id, s.period_start AS on_day FROM taxshare.risk_score s"
	"   WHERE s.grade = 'medium' AND s.response = 'assessment'"
	"     AND s.period_start >= make_date(extract(year FROM $1)::int, 1, 1) AND s.period_start < $1"
	"  UNION ALL"
	"  SELECT a.entity_id, a.assessed_on FROM taxshare.assessment_log a"
	"   WHERE a.assessed_on >= make_date(extract(year FROM $1)::int, 1, 1)"
	"     AND a.assessed_on < make_date(extract(year FROM $1)::int + 1, 1, 1)) x"
	" GROUP BY x.entity_id";

static void
assessed_row(TupleTableSlot *slot, Grade *g)
{
	bool    isnull;
	int64   eid = DatumGetInt64(slot_getattr(slot, 1, &isnull));
	DateADT on = DatumGetDateADT(slot_getattr(slot, 2, &isnull));

	grade_add_assessment(g, eid, on);
}

/* ------------------------------------------------------------------------
 * The inputs, each read in one pass
 * ------------------------------------------------------------------------
 */

void
grade_read_rules(Grade *g)
{
	stream_rows(g, rules_sql, rule_row);
	rules_index(g);
}

void
grade_read_points(Grade *g)
{
	stream_rows(g, points_sql, point_row);
}

void
grade_read_blacklist(Grade *g)
{
	stream_rows(g, blacklist_sql, blacklist_row);
}

void
grade_read_key_roles(Grade *g)
{
	stream_rows(g, key_role_sql, key_role_row);
}

void
grade_read_links(Grade *g)
{
	stream_rows(g, links_sql, link_row);
}

void
grade_read_assessments(Grade *g)
{
	stream_rows(g, assessed_sql, assessed_row);
}
