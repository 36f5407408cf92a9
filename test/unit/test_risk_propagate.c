/*
 * test_risk_propagate.c
 *		Unit tests of propagation along party_link (src/risk/risk_propagate.c):
 *		who passes risk on and how much, hop limits, which origin wins, ties,
 *		cycles, roles, and the memory the core takes.  Values are worked out
 *		by hand in the comments, with the shipped parameters unless a test
 *		says otherwise (decay 0.7; roles legal_rep 1, investor 0.6,
 *		finance_head 0.8, tax_handler 0.8; high from 70; blacklist 100).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_propagate.h"
#include "tap.h"

/* Values compared in ten-thousandths. */
#define is_value(got, want, ...) \
	is_int((long) ((got) *10000 + 0.5), (long) ((want) *10000 + 0.5), __VA_ARGS__)

enum
{
	LEGAL = RISK_ROLE_LEGAL_REP,
	INVESTOR = RISK_ROLE_INVESTOR,
	FINANCE = RISK_ROLE_FINANCE_HEAD,
	TAX = RISK_ROLE_TAX_HANDLER
};

typedef struct Case
{
	RiskParams     p;
	int            hops;
	double         role_weight[RISK_N_ROLES];
	RiskPropEntity ents[16];
	size_t         nents;
	RiskLink       links[16];
	size_t         nlinks;
	RiskReach     *reached;
	int64_t        n;
} Case;

/* A fresh case (c->reached, from an earlier one, is given back). */
static void
setup(Case *c)
{
	free(c->reached);
	memset(c, 0, sizeof(*c));
	risk_params_default(&c->p);
	c->hops = 2;
	c->role_weight[LEGAL] = 1.0;
	c->role_weight[INVESTOR] = 0.6;
	c->role_weight[FINANCE] = 0.8;
	c->role_weight[TAX] = 0.8;
}

static void
source(Case *c, int64_t id, RiskGrade g, double score, bool blacklisted)
{
	c->ents[c->nents].id = id;
	c->ents[c->nents].own_grade = g;
	c->ents[c->nents].own_score = score;
	c->ents[c->nents++].blacklisted = blacklisted;
}

static void
link(Case *c, int64_t person, int64_t enterprise, int role)
{
	c->links[c->nlinks].person = person;
	c->links[c->nlinks].enterprise = enterprise;
	c->links[c->nlinks++].role = role;
}

static void
run(Case *c)
{
	free(c->reached);
	c->n = risk_propagate(&c->p, c->hops, c->role_weight, c->ents, c->nents, c->links, c->nlinks,
						  NULL, &c->reached);
}

static const RiskReach *
at(const Case *c, int64_t id)
{
	int64_t i;

	for (i = 0; i < c->n; i++)
		if (c->reached[i].id == id)
			return &c->reached[i];
	return NULL;
}

/* value, origin, via, role, hops of one entity reached */
static void
is_reach(const Case *c, int64_t id, double value, int64_t origin, int64_t via, int role, int hops,
		 const char *what)
{
	const RiskReach *r = at(c, id);

	ok(r != NULL, "%s: reached", what);
	if (r == NULL)
		return;
	is_value(r->value, value, "%s: value", what);
	is_int(r->origin, origin, "%s: origin", what);
	is_int(r->via, via, "%s: via", what);
	is_int(r->role, role, "%s: role %s", what, risk_role_names[role]);
	is_int(r->hops, hops, "%s: hops", what);
}

static void
done(Case *c)
{
	free(c->reached);
	c->reached = NULL;
}

static void
test_roles(void)
{
	is_int(risk_role_of("legal_rep", 9), RISK_ROLE_LEGAL_REP,
		   "legal_rep is role 0 (the schema's order)");
	is_int(risk_role_of("investor", 8), RISK_ROLE_INVESTOR, "investor is role 1");
	is_int(risk_role_of("finance_head", 12), RISK_ROLE_FINANCE_HEAD, "finance_head is role 2");
	is_int(risk_role_of("tax_handler", 11), RISK_ROLE_TAX_HANDLER, "tax_handler is role 3");
	is_int(risk_role_of("tax_handlers", 11), RISK_ROLE_TAX_HANDLER,
		   "only len bytes of the name count");
	is_int(risk_role_of("tax_handler", 10), -1, "a prefix is no role");
	is_int(risk_role_of("Legal_rep", 9), -1, "names are case-sensitive");
	is_int(risk_role_of("", 0), -1, "the empty name is no role");
}

/* The example of docs/risk.md, "Propagation along party_link" (sql/risk.sql). */
static void
test_documented_example(void)
{
	Case     c = {.reached = NULL};
	RiskLift l;

	/*
	 * Police (1): a police case, 45 on its points but high by the monitoring
	 * override.  Zhang (2) its legal representative, Li (3) its investor,
	 * Wang (4) its tax handler and finance head of Shell (5).
	 */
	setup(&c);
	source(&c, 1, RISK_HIGH, 45, false);
	link(&c, 2, 1, LEGAL);
	link(&c, 3, 1, INVESTOR);
	link(&c, 4, 1, TAX);
	link(&c, 4, 5, FINANCE);
	run(&c);
	is_int(c.n, 4, "four entities reached (not the source itself)");
	/* max(45, 70) x 0.7 x 1.0 = 49 */
	is_reach(&c, 2, 49, 1, 1, LEGAL, 1, "legal representative");
	/* 70 x 0.7 x 0.6 = 29.4 */
	is_reach(&c, 3, 29.4, 1, 1, INVESTOR, 1, "investor");
	/* 70 x 0.7 x 0.8 = 39.2 */
	is_reach(&c, 4, 39.2, 1, 1, TAX, 1, "tax handler");
	/* 39.2 x 0.7 x 0.8 = 21.952 */
	is_reach(&c, 5, 21.952, 1, 4, FINANCE, 2, "the tax handler's other company, second hop");
	ok(at(&c, 1) == NULL, "the source is not reached through its own links");

	/* applied by risk_lift(): Zhang has no points, so low at most, held at 39.99 */
	risk_lift(&c.p, RISK_NONE, 0, at(&c, 2)->value, &l);
	ok(l.grade == RISK_LOW && l.capped && l.score == 39.99, "Zhang is listed low at 39.99, capped");
	risk_lift(&c.p, RISK_LOW, 18, at(&c, 4)->value, &l);
	ok(l.grade == RISK_LOW && !l.capped && l.score == 39.2, "Wang rises from 18 to 39.2");
	done(&c);
}

static void
test_sources(void)
{
	Case c = {.reached = NULL};

	/* a high source passes its score (above the threshold) */
	setup(&c);
	source(&c, 10, RISK_HIGH, 85, false);
	link(&c, 20, 10, LEGAL);
	run(&c);
	is_reach(&c, 20, 59.5, 10, 10, LEGAL, 1, "high 85 passes 85 x 0.7");

	/* medium and low pass nothing, however high the score */
	c.ents[0].own_grade = RISK_MEDIUM;
	c.ents[0].own_score = 69.99;
	run(&c);
	is_int(c.n, 0, "a medium entity passes nothing");
	ok(c.reached == NULL, "and nothing is allocated for no result");
	c.ents[0].own_grade = RISK_LOW;
	run(&c);
	is_int(c.n, 0, "a low entity passes nothing");

	/* a blacklisted one passes propagation.blacklist, whatever its grade */
	c.ents[0].blacklisted = true;
	run(&c);
	is_reach(&c, 20, 70, 10, 10, LEGAL, 1, "blacklisted passes 100 x 0.7");
	c.ents[0].own_grade = RISK_HIGH;
	c.ents[0].own_score = 100;
	c.p.blacklist_strength = 60;
	run(&c);
	is_value(at(&c, 20)->value, 70,
			 "blacklisted and high: the larger of score and blacklist strength");
	c.ents[0].own_grade = RISK_NONE;
	c.ents[0].own_score = 0;
	c.p.blacklist_strength = 0;
	run(&c);
	is_int(c.n, 0, "a blacklist strength of 0 passes nothing");

	/* sources without links, and no sources at all */
	setup(&c);
	source(&c, 1, RISK_HIGH, 90, false);
	link(&c, 2, 3, LEGAL);
	run(&c);
	is_int(c.n, 0, "a source without links passes nothing");
	c.nents = 0;
	run(&c);
	is_int(c.n, 0, "no source: nothing reached");
	done(&c);
}

static void
test_off(void)
{
	Case c = {.reached = NULL};

	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	link(&c, 2, 1, LEGAL);
	c.hops = 0;
	run(&c);
	is_int(c.n, 0, "propagation.hops 0 turns it off");
	c.hops = 2;
	c.p.decay = 0;
	run(&c);
	is_int(c.n, 0, "propagation.decay 0 turns it off");
	c.p.decay = 0.7;
	c.nlinks = 0;
	run(&c);
	is_int(c.n, 0, "no links: nothing reached");
	c.nlinks = 1;
	c.role_weight[LEGAL] = 0;
	run(&c);
	is_int(c.n, 0, "a role of weight 0 passes nothing");
	c.role_weight[LEGAL] = 1;
	c.links[0].role = -1;
	run(&c);
	is_int(c.n, 0, "a link of no known role is ignored");
	c.links[0].role = RISK_N_ROLES;
	run(&c);
	is_int(c.n, 0, "nor of a role past the last");

	/* below half a hundredth the value is dropped (halving a double is exact) */
	setup(&c);
	source(&c, 1, RISK_NONE, 0, true);
	link(&c, 2, 1, LEGAL);
	c.p.decay = 0.5;
	c.p.blacklist_strength = 0.0098;
	run(&c);
	is_int(c.n, 0, "a value below 0.005 is dropped (0.0098 x 0.5)");
	c.p.blacklist_strength = 0.01;
	run(&c);
	is_int(c.n, 1, "0.005 itself is kept (0.01 x 0.5)");
	done(&c);
}

static void
test_hops(void)
{
	Case c = {.reached = NULL};

	/* E1 (80) -legal- P1 -finance- E2 -investor- P2 -tax- E3 */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	link(&c, 11, 1, LEGAL);
	link(&c, 11, 2, FINANCE);
	link(&c, 12, 2, INVESTOR);
	link(&c, 12, 3, TAX);
	c.hops = 1;
	run(&c);
	is_int(c.n, 1, "one hop: only the neighbour");
	c.hops = 2;
	run(&c);
	is_int(c.n, 2, "two hops (the default): two entities");
	/* 80 x 0.7 = 56; 56 x 0.7 x 0.8 = 31.36 */
	is_reach(&c, 2, 31.36, 1, 11, FINANCE, 2, "second hop");
	ok(at(&c, 12) == NULL, "not the third");
	c.hops = 4;
	run(&c);
	/* 31.36 x 0.7 x 0.6 = 13.1712; x 0.7 x 0.8 = 7.375872 */
	is_reach(&c, 12, 13.1712, 1, 2, INVESTOR, 3, "third hop");
	is_reach(&c, 3, 7.375872, 1, 12, TAX, 4, "fourth hop");
	c.hops = 10;
	run(&c);
	is_int(c.n, 4, "more hops than the chain is long: the chain");
	done(&c);
}

static void
test_best_value_and_ties(void)
{
	Case c = {.reached = NULL};

	/* P (5) invests in E1 (80) and represents E2 (75): 33.6 against 52.5 */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	source(&c, 2, RISK_HIGH, 75, false);
	link(&c, 5, 1, INVESTOR);
	link(&c, 5, 2, LEGAL);
	run(&c);
	is_reach(&c, 5, 52.5, 2, 2, LEGAL, 1, "the best value wins, not the strongest source");

	/*
	 * A longer path may bring more.  Hop 1: P (5) gets 80 x 0.7 x 0.6 = 33.6
	 * from E1; Q (6) 100 x 0.7 = 70 from the blacklisted B (2).  Hop 2: E3
	 * (3) gets 23.52 through P, then 49 through Q.  Hop 3: P gets 49 x 0.7 =
	 * 34.3 back through E3, more than its 33.6.
	 */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	source(&c, 2, RISK_NONE, 0, true);
	link(&c, 5, 1, INVESTOR);
	link(&c, 6, 2, LEGAL);
	link(&c, 6, 3, LEGAL);
	link(&c, 5, 3, LEGAL);
	run(&c);
	is_reach(&c, 5, 33.6, 1, 1, INVESTOR, 1, "within two hops P keeps its first hop");
	is_reach(&c, 3, 49, 2, 6, LEGAL, 2, "E3 the better of its two second hops");
	c.hops = 3;
	run(&c);
	is_reach(&c, 5, 34.3, 2, 3, LEGAL, 3, "with three, the longer path brings P more");

	/* equal values: the first source in the caller's order keeps it */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	source(&c, 2, RISK_HIGH, 80, false);
	link(&c, 5, 1, LEGAL);
	link(&c, 5, 2, LEGAL);
	run(&c);
	is_reach(&c, 5, 56, 1, 1, LEGAL, 1, "a tie goes to the first source listed");
	c.ents[0].id = 2;
	c.ents[1].id = 1;
	run(&c);
	is_int(at(&c, 5)->origin, 2, "listed the other way round, to the other");

	/* two links between the same two, roles of equal weight: the lower role */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	link(&c, 5, 1, TAX);
	link(&c, 5, 1, FINANCE);
	run(&c);
	is_reach(&c, 5, 44.8, 1, 1, FINANCE, 1, "finance_head before tax_handler at equal weight");
	c.role_weight[TAX] = 0.9;
	run(&c);
	is_reach(&c, 5, 50.4, 1, 1, TAX, 1, "the heavier role when weights differ");

	/* equal paths through two neighbours: the lower neighbour id first */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	link(&c, 12, 1, LEGAL);
	link(&c, 11, 1, LEGAL);
	link(&c, 12, 2, LEGAL);
	link(&c, 11, 2, LEGAL);
	run(&c);
	is_reach(&c, 2, 39.2, 1, 11, LEGAL, 2, "a tie between paths goes through the lower id");
	done(&c);
}

static void
test_cycles(void)
{
	Case c = {.reached = NULL};

	/* a ring E1 - P1 - E2 - P2 - E1 of legal representatives, many hops */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	link(&c, 11, 1, LEGAL);
	link(&c, 11, 2, LEGAL);
	link(&c, 12, 2, LEGAL);
	link(&c, 12, 1, LEGAL);
	c.hops = 10;
	run(&c);
	is_int(c.n, 3, "a ring ends: the three others reached");
	ok(at(&c, 1) == NULL, "the value never comes back to its source");
	is_reach(&c, 11, 56, 1, 1, LEGAL, 1, "each neighbour keeps its first-hop value");
	is_reach(&c, 12, 56, 1, 1, LEGAL, 1, "from both sides");
	is_reach(&c, 2, 39.2, 1, 11, LEGAL, 2, "the far side by the lower id");

	/* two sources linked through a person reach each other */
	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	source(&c, 2, RISK_HIGH, 90, false);
	link(&c, 5, 1, LEGAL);
	link(&c, 5, 2, LEGAL);
	run(&c);
	is_int(c.n, 3, "the person and both sources");
	/* 90 x 0.49 = 44.1 and 80 x 0.49 = 39.2 */
	is_reach(&c, 1, 44.1, 2, 5, LEGAL, 2, "a source receives from another");
	is_reach(&c, 2, 39.2, 1, 5, LEGAL, 2, "and the other way");
	is_reach(&c, 5, 63, 2, 2, LEGAL, 1, "the person from the stronger");
	done(&c);
}

/*
 * A value that improves an entity later in the same hop travels on too:
 * P (5) is reached from E1 (70 x 0.7 x 0.6 = 29.4) and then, later in the
 * hop, from E2 (100 x 0.7 = 70); its other company E3 gets 70 x 0.7 = 49
 * from the better value, not 20.58 from the first.
 */
static void
test_improved_in_hop(void)
{
	Case c = {.reached = NULL};

	setup(&c);
	source(&c, 1, RISK_HIGH, 70, false);
	source(&c, 2, RISK_NONE, 0, true);
	link(&c, 5, 1, INVESTOR);
	link(&c, 5, 2, LEGAL);
	link(&c, 5, 3, LEGAL);
	run(&c);
	is_reach(&c, 3, 49, 2, 5, LEGAL, 2, "the better value of the hop travels on");
	/* the other way round, the weaker comes second and is dropped */
	c.ents[0].id = 2;
	c.ents[0].own_grade = RISK_NONE;
	c.ents[0].own_score = 0;
	c.ents[0].blacklisted = true;
	c.ents[1].id = 1;
	c.ents[1].own_grade = RISK_HIGH;
	c.ents[1].own_score = 70;
	c.ents[1].blacklisted = false;
	run(&c);
	is_reach(&c, 3, 49, 2, 5, LEGAL, 2, "whichever comes first");
	done(&c);
}

static void
test_order_and_ids(void)
{
	Case    c = {.reached = NULL};
	int64_t i;
	bool    sorted = true;

	setup(&c);
	source(&c, INT64_MAX, RISK_HIGH, 90, false);
	link(&c, -7, INT64_MAX, LEGAL);
	link(&c, INT64_MIN, INT64_MAX, FINANCE);
	link(&c, 0, INT64_MAX, INVESTOR);
	link(&c, 42, -7, TAX);
	run(&c);
	is_int(c.n, 4, "any int64 ids");
	for (i = 1; i < c.n; i++)
		if (c.reached[i - 1].id >= c.reached[i].id)
			sorted = false;
	ok(sorted, "the entities reached come in increasing id order");
	is_int(c.reached[0].id == INT64_MIN, 1, "INT64_MIN first");
	is_reach(&c, 42, 90 * 0.49 * 0.8, INT64_MAX, -7, TAX, 2, "via a negative id");
	done(&c);
}

/* Memory through the caller's hooks: counted, and refused at each allocation in turn. */
typedef struct Counting
{
	int allocs;
	int frees;
	int ticks;
	int fail_at; /* refuse this allocation (1-based), 0: never */
} Counting;

static void *
counting_alloc(void *arg, size_t size)
{
	Counting *m = arg;

	if (m->fail_at > 0 && m->allocs + 1 == m->fail_at)
		return NULL;
	m->allocs++;
	return malloc(size);
}

static void
counting_release(void *arg, void *ptr)
{
	Counting *m = arg;

	m->frees++;
	free(ptr);
}

static void
counting_tick(void *arg)
{
	((Counting *) arg)->ticks++;
}

static void
test_memory(void)
{
	Case             c = {.reached = NULL};
	Counting         m;
	RiskPropagateEnv env = {{counting_alloc, NULL, counting_release, NULL, &m}, counting_tick, &m};
	RiskReach       *r;
	int64_t          n;
	int              needed;
	int              k;
	bool             clean = true;

	setup(&c);
	source(&c, 1, RISK_HIGH, 80, false);
	source(&c, 2, RISK_NONE, 0, true);
	link(&c, 11, 1, LEGAL);
	link(&c, 11, 2, LEGAL);
	link(&c, 12, 2, TAX);
	link(&c, 12, 3, FINANCE);
	memset(&m, 0, sizeof m);
	n = risk_propagate(&c.p, c.hops, c.role_weight, c.ents, c.nents, c.links, c.nlinks, &env, &r);
	is_int(n, 5, "through the hooks: five reached");
	is_int(m.allocs - m.frees, 1, "every allocation but the result is given back");
	/* sources 1 and 2 (hop 1); 11 twice (56, then improved to 70) and 12 (hop 2) */
	is_int(m.ticks, 5, "a tick for every value passed on");
	counting_release(&m, r);
	needed = m.allocs;

	for (k = 1; k <= needed; k++)
	{
		memset(&m, 0, sizeof m);
		m.fail_at = k;
		r = (RiskReach *) &m;
		n = risk_propagate(&c.p, c.hops, c.role_weight, c.ents, c.nents, c.links, c.nlinks, &env,
						   &r);
		if (n != -1 || r != NULL || m.allocs != m.frees)
			clean = false;
	}
	ok(clean, "out of memory at any of the %d allocations: -1, no result, nothing kept", needed);
}

int
main(void)
{
	test_roles();
	test_documented_example();
	test_sources();
	test_off();
	test_hops();
	test_best_value_and_ties();
	test_cycles();
	test_improved_in_hop();
	test_order_and_ids();
	test_memory();
	return done_testing();
}
