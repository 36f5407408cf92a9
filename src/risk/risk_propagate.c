/*
 * risk_propagate.c
 *		Pure core: risk passed on along party_link (the rules in
 *		risk_propagate.h).
 *
 * The rule is the Binzhou system's (seeds/003): the tax information of an
 * enterprise is gathered to the persons behind it, "法人、投资人、财务负责人、
 * 办税人员等“具体化”关联人员", so that "通过企业风险定位个人风险、通过个人风险
 * 查找企业风险" — enterprise risk points to the persons and back (DOMAIN.md,
 * "From data to risk").  How far and how strongly are parameters
 * (propagation.* in taxshare.risk_param, docs/risk.md "Tuning").
 *
 * The links are first turned into a graph: the entities that appear in a
 * link, in id order, and for each the links that leave it, by (neighbour id,
 * role).  Then the values travel hop by hop: every value that arrived (or
 * improved) in one hop is passed on in the next.
 */
#include "risk/risk_propagate.h"

#include <stdlib.h>
#include <string.h>

const char *const risk_role_names[RISK_N_ROLES] = {"legal_rep", "investor", "finance_head",
												   "tax_handler"};

int
risk_role_of(const char *name, size_t len)
{
	int r;

	for (r = 0; r < RISK_N_ROLES; r++)
		if (strlen(risk_role_names[r]) == len && memcmp(name, risk_role_names[r], len) == 0)
			return r;
	return -1;
}

/* A link in one direction, while the graph is built. */
typedef struct Arc
{
	int64_t from;
	int64_t to;
	int32_t role;
} Arc;

/* A link leaving an entity of the graph. */
typedef struct Out
{
	int32_t to; /* index of the neighbour */
	int32_t role;
} Out;

/* The best value that reached an entity so far (value 0: none). */
typedef struct Node
{
	double  value;
	int32_t origin;
	int32_t via;
	int32_t role;
	int32_t hops;
} Node;

/* A value on its way: it arrived at node and goes on from there. */
typedef struct Hop
{
	double  value;
	int32_t node;
	int32_t origin;
} Hop;

static void *
take(const RiskPropagateEnv *env, size_t count, size_t size)
{
	size_t n;

	if (count == 0)
		count = 1;
	if (count > SIZE_MAX / size)
		return NULL;
	n = count * size;
	return env ? mem_alloc(&env->mem, n) : malloc(n);
}

static void
give(const RiskPropagateEnv *env, void *ptr)
{
	if (env)
		mem_release(&env->mem, ptr);
	else
		free(ptr);
}

static int
arc_cmp(const void *a, const void *b)
{
	const Arc *x = a;
	const Arc *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return x->role - y->role;
}

/* The index of id among the n sorted ids, or -1. */
static int32_t
node_of(const int64_t *ids, int32_t n, int64_t id)
{
	int32_t lo = 0, hi = n;

	while (lo < hi)
	{
		int32_t mid = lo + (hi - lo) / 2;

		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id ? lo : -1;
}

int64_t
risk_propagate(const RiskParams *p, int hops, const double role_weight[RISK_N_ROLES],
			   const RiskPropEntity *ents, size_t nents, const RiskLink *links, size_t nlinks,
			   const RiskPropagateEnv *env, RiskReach **reached)
{
	Arc       *arcs = NULL;
	int64_t   *ids = NULL;
	int32_t   *first = NULL;
	Out       *out = NULL;
	Node      *nodes = NULL;
	Hop       *cur = NULL;
	Hop       *next = NULL;
	RiskReach *res = NULL;
	size_t     narcs = 0;
	int32_t    nnodes = 0;
	size_t     ncur = 0;
	int64_t    nreached = 0;
	int64_t    result = -1;
	size_t     i;
	int32_t    n;
	int        hop;

	*reached = NULL;
	if (hops <= 0 || nlinks == 0)
		return 0;
	if (nlinks > INT32_MAX / 2)
		return -1;

	/* every link both ways, sorted by (from, to, role) */
	arcs = take(env, nlinks * 2, sizeof(Arc));
	if (arcs == NULL)
		goto done;
	for (i = 0; i < nlinks; i++)
	{
		const RiskLink *l = &links[i];

		if (l->role < 0 || l->role >= RISK_N_ROLES || !(role_weight[l->role] > 0))
			continue;
		arcs[narcs].from = l->enterprise;
		arcs[narcs].to = l->person;
		arcs[narcs++].role = l->role;
		arcs[narcs].from = l->person;
		arcs[narcs].to = l->enterprise;
		arcs[narcs++].role = l->role;
	}
	if (narcs == 0)
	{
		result = 0;
		goto done;
	}
	qsort(arcs, narcs, sizeof(Arc), arc_cmp);

	/* the entities of the graph: every "to" is also a "from" */
	for (i = 0; i < narcs; i++)
		if (i == 0 || arcs[i].from != arcs[i - 1].from)
			nnodes++;
	ids = take(env, nnodes, sizeof(int64_t));
	first = take(env, (size_t) nnodes + 1, sizeof(int32_t));
	out = take(env, narcs, sizeof(Out));
	nodes = take(env, nnodes, sizeof(Node));
	if (ids == NULL || first == NULL || out == NULL || nodes == NULL)
		goto done;
	n = 0;
	for (i = 0; i < narcs; i++)
		if (i == 0 || arcs[i].from != arcs[i - 1].from)
		{
			ids[n] = arcs[i].from;
			first[n++] = (int32_t) i;
		}
	first[nnodes] = (int32_t) narcs;
	for (i = 0; i < narcs; i++)
	{
		out[i].to = node_of(ids, nnodes, arcs[i].to);
		out[i].role = arcs[i].role;
	}
	give(env, arcs);
	arcs = NULL;
	memset(nodes, 0, sizeof(Node) * (size_t) nnodes);

	/* the sources, in the caller's order; one without links passes nothing */
	cur = take(env, nents, sizeof(Hop));
	if (cur == NULL)
		goto done;
	for (i = 0; i < nents; i++)
	{
		double s =
			risk_source_strength(p, ents[i].own_grade, ents[i].own_score, ents[i].blacklisted);

		if (s > 0 && (n = node_of(ids, nnodes, ents[i].id)) >= 0)
		{
			cur[ncur].value = s;
			cur[ncur].node = n;
			cur[ncur++].origin = n;
		}
	}

	for (hop = 1; hop <= hops && ncur > 0; hop++)
	{
		size_t maxnext = ncur > 1024 ? ncur : 1024;
		size_t nnext = 0;
		size_t k;

		next = take(env, maxnext, sizeof(Hop));
		if (next == NULL)
			goto done;
		for (k = 0; k < ncur; k++)
		{
			const Hop *h = &cur[k];
			int32_t    j;

			if (env && env->tick)
				env->tick(env->arg);
			for (j = first[h->node]; j < first[h->node + 1]; j++)
			{
				const Out *o = &out[j];
				Node      *t = &nodes[o->to];
				double     v;

				if (o->to == h->origin)
					continue; /* never back to where it came from */
				v = risk_pass_on(p, h->value, role_weight[o->role]);
				if (v < 0.005 || v <= t->value)
					continue;
				t->value = v;
				t->origin = h->origin;
				t->via = h->node;
				t->role = o->role;
				t->hops = hop;
				if (nnext >= maxnext)
				{
					Hop *more = take(env, maxnext * 2, sizeof(Hop));

					if (more == NULL)
						goto done;
					memcpy(more, next, sizeof(Hop) * nnext);
					give(env, next);
					next = more;
					maxnext *= 2;
				}
				next[nnext].value = v;
				next[nnext].node = o->to;
				next[nnext++].origin = h->origin;
			}
		}
		give(env, cur);
		cur = next;
		next = NULL;
		ncur = nnext;
	}

	for (n = 0; n < nnodes; n++)
		if (nodes[n].value > 0)
			nreached++;
	if (nreached > 0)
	{
		int64_t r = 0;

		res = take(env, (size_t) nreached, sizeof(RiskReach));
		if (res == NULL)
			goto done;
		for (n = 0; n < nnodes; n++)
		{
			const Node *nd = &nodes[n];

			if (!(nd->value > 0))
				continue;
			res[r].id = ids[n];
			res[r].value = nd->value;
			res[r].origin = ids[nd->origin];
			res[r].via = ids[nd->via];
			res[r].role = nd->role;
			res[r++].hops = nd->hops;
		}
	}
	*reached = res;
	result = nreached;

done:
	give(env, arcs);
	give(env, ids);
	give(env, first);
	give(env, out);
	give(env, nodes);
	give(env, cur);
	give(env, next);
	return result;
}
