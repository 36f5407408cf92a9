/*
 * fuzz_risk_propagate.c
 *		libFuzzer target for propagation along party_link
 *		(src/risk/risk_propagate.c).
 *
 * The input makes a small graph: the first seven bytes the parameters
 * (hops 0..10, decay, the four role weights, the blacklist strength), then
 * a count and that many sources (id, own grade, own score, blacklisted),
 * then links of three bytes each (person, enterprise, role; roles outside
 * the four and ids repeated on purpose).  Ids are 16 values spread over
 * int64, negative ones and the extremes among them.  Checked, besides the
 * sanitizers' own checks:
 *	- the entities reached come once each, in increasing id order, and each
 *	  is in a link of a role that passes something;
 *	- the origin is a source (strength > 0) and never the entity itself; the
 *	  via is linked to the entity by the role reported; one hop comes
 *	  straight from the origin, a longer one through an entity reached with
 *	  at least as much;
 *	- hops are within 1..propagation.hops, and the value is at least 0.005
 *	  and no more than the origin's strength times decay^hops (so never
 *	  above 100); risk_lift() of it lists an entity without points as low
 *	  at most;
 *	- every neighbour of a source gets at least the first hop's value;
 *	- the order and the direction in which the links are listed change
 *	  nothing;
 *	- out of memory at any allocation gives -1, no result and no leak.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_propagate.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

#define MAX_ENTS  16
#define MAX_LINKS 64

static const int64_t ids[16] = {
	INT64_MIN,        -1000000007,   -2,       -1, 0, 1, 2, 3, 7, 10, 11, 4096, 65537,
	INT64_C(1) << 40, INT64_MAX - 1, INT64_MAX};

typedef struct Counting
{
	int allocs;
	int frees;
	int fail_at;
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
	((Counting *) arg)->frees++;
	free(ptr);
}

static double
strength_of(const RiskParams *p, const RiskPropEntity *ents, size_t n, int64_t id)
{
	double best = 0;
	size_t i;

	/* an id listed twice as a source starts twice; the stronger bounds it */
	for (i = 0; i < n; i++)
		if (ents[i].id == id)
		{
			double s =
				risk_source_strength(p, ents[i].own_grade, ents[i].own_score, ents[i].blacklisted);

			if (s > best)
				best = s;
		}
	return best;
}

static bool
linked(const RiskLink *links, size_t n, const double *w, int64_t a, int64_t b, int role)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (links[i].role == role && role >= 0 && role < RISK_N_ROLES && w[role] > 0 &&
			((links[i].person == a && links[i].enterprise == b) ||
			 (links[i].person == b && links[i].enterprise == a)))
			return true;
	return false;
}

static const RiskReach *
find(const RiskReach *r, int64_t n, int64_t id)
{
	int64_t i;

	for (i = 0; i < n; i++)
		if (r[i].id == id)
			return &r[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RiskParams       p;
	int              hops;
	double           w[RISK_N_ROLES];
	RiskPropEntity   ents[MAX_ENTS];
	RiskLink         links[MAX_LINKS];
	RiskLink         turned[MAX_LINKS];
	size_t           nents = 0;
	size_t           nlinks = 0;
	size_t           pos = 7;
	size_t           ns;
	size_t           i;
	RiskReach       *r = NULL;
	RiskReach       *r2 = NULL;
	int64_t          n;
	int64_t          n2;
	int64_t          k;
	Counting         m;
	RiskPropagateEnv env = {{counting_alloc, NULL, counting_release, NULL, &m}, NULL, NULL};
	int              needed;
	int              f;

	if (size < 8)
		return 0;
	risk_params_default(&p);
	hops = data[0] % 11;
	p.decay = data[1] / 255.0;
	for (i = 0; i < RISK_N_ROLES; i++)
		w[i] = data[2 + i] % 5 == 0 ? 0 : data[2 + i] / 255.0;
	p.blacklist_strength = data[6] * 100.0 / 255.0;
	CHECK(risk_params_check(&p) == NULL);

	ns = data[pos++] % (MAX_ENTS + 1);
	for (i = 0; i < ns && pos + 3 <= size; i++, pos += 3)
	{
		ents[nents].id = ids[data[pos] & 15];
		ents[nents].own_grade = (RiskGrade) ((data[pos] >> 4) & 3);
		ents[nents].own_score = data[pos + 1] * 100.0 / 255.0;
		ents[nents++].blacklisted = (data[pos + 2] & 1) != 0;
	}
	for (; pos + 3 <= size && nlinks < MAX_LINKS; pos += 3)
	{
		links[nlinks].person = ids[data[pos] & 15];
		links[nlinks].enterprise = ids[data[pos + 1] & 15];
		links[nlinks++].role = (int) (data[pos + 2] % 6) - 1;
	}

	n = risk_propagate(&p, hops, w, ents, nents, links, nlinks, NULL, &r);
	CHECK(n >= 0);
	CHECK((n == 0) == (r == NULL));
	for (k = 0; k < n; k++)
	{
		const RiskReach *x = &r[k];
		double           s = strength_of(&p, ents, nents, x->origin);
		RiskLift         l;

		CHECK(k == 0 || r[k - 1].id < x->id);
		CHECK(x->hops >= 1 && x->hops <= hops);
		CHECK(x->role >= 0 && x->role < RISK_N_ROLES && w[x->role] > 0);
		CHECK(x->origin != x->id);
		CHECK(s > 0);
		CHECK(linked(links, nlinks, w, x->via, x->id, x->role));
		if (x->hops == 1)
			CHECK(x->via == x->origin);
		else
		{
			const RiskReach *v = find(r, n, x->via);

			CHECK(v != NULL && v->value >= x->value);
		}
		CHECK(x->value >= 0.005);
		CHECK(x->value <= s * pow(p.decay, x->hops) * (1 + 1e-9));
		CHECK(x->value <= 100);
		risk_lift(&p, RISK_NONE, 0, x->value, &l);
		CHECK(l.grade <= RISK_LOW);
	}

	/* every neighbour of a source gets at least the first hop's value */
	if (hops >= 1)
		for (i = 0; i < nlinks; i++)
		{
			const RiskLink *l = &links[i];
			int             end;

			if (l->role < 0 || l->role >= RISK_N_ROLES)
				continue;
			for (end = 0; end < 2; end++)
			{
				int64_t from = end ? l->person : l->enterprise;
				int64_t to = end ? l->enterprise : l->person;
				double  v = risk_pass_on(&p, strength_of(&p, ents, nents, from), w[l->role]);
				const RiskReach *x;

				if (from == to || v < 0.005)
					continue;
				x = find(r, n, to);
				CHECK(x != NULL && x->value >= v);
			}
		}

	/* the links listed the other way round, each end for end: the same */
	for (i = 0; i < nlinks; i++)
	{
		turned[i].person = links[nlinks - 1 - i].enterprise;
		turned[i].enterprise = links[nlinks - 1 - i].person;
		turned[i].role = links[nlinks - 1 - i].role;
	}
	n2 = risk_propagate(&p, hops, w, ents, nents, turned, nlinks, NULL, &r2);
	CHECK(n2 == n);
	for (k = 0; k < n; k++)
		CHECK(r[k].id == r2[k].id && r[k].value == r2[k].value && r[k].origin == r2[k].origin &&
			  r[k].via == r2[k].via && r[k].role == r2[k].role && r[k].hops == r2[k].hops);
	free(r2);

	/* through the hooks, then refused at each allocation in turn */
	memset(&m, 0, sizeof m);
	n2 = risk_propagate(&p, hops, w, ents, nents, links, nlinks, &env, &r2);
	CHECK(n2 == n);
	CHECK(m.allocs - m.frees == (n > 0 ? 1 : 0));
	if (r2)
		counting_release(&m, r2);
	needed = m.allocs;
	for (f = 1; f <= needed; f++)
	{
		memset(&m, 0, sizeof m);
		m.fail_at = f;
		n2 = risk_propagate(&p, hops, w, ents, nents, links, nlinks, &env, &r2);
		CHECK(n2 == -1 && r2 == NULL && m.allocs == m.frees);
	}

	free(r);
	return 0;
}
