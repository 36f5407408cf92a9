/*
 * risk_rank.c
 *		The ranking of grade_risks(): the graded entities of a period get
 *		ranks 1..n in the order of the risk list (risk_rank_cmp(), the pure
 *		core's rule), and are then put in the order their rows are written.
 *
 * Both sorts use PostgreSQL's sort template (lib/sort_template.h, from
 * PostgreSQL 14), with the comparison inlined on a compact item whose first
 * key, risk_rank_key(), packs grade and score into one integer.
 */
#include "taxshare.h"

#include "utils/memutils.h"

#include "risk/risk_grade_internal.h"

/* What the ranking sorts: compact, so that a million fit in cache lines. */
typedef struct RankItem
{
	int64 key; /* risk_rank_key(): grade, then score */
	int64 cents;
	int64 id;
	int32 ent;
} RankItem;

/* The order of risk_rank_cmp(): grade, score, amount descending, id ascending. */
static inline int
rank_cmp(const RankItem *x, const RankItem *y)
{
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	if (x->cents != y->cents)
		return x->cents > y->cents ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static inline int
id_cmp(const RankItem *x, const RankItem *y)
{
	return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

/*
 * The two sorts of up to millions of items, specialised by PostgreSQL's sort
 * template (the comparison inlined, elements swapped as structs) rather than
 * qsort() calling a comparison function (docs/risk.md, "Performance").
 */
#define ST_SORT          sort_by_rank
#define ST_ELEMENT_TYPE  RankItem
#define ST_COMPARE(a, b) rank_cmp(a, b)
#define ST_SCOPE         static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT          sort_by_id
#define ST_ELEMENT_TYPE  RankItem
#define ST_COMPARE(a, b) id_cmp(a, b)
#define ST_SCOPE         static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Ranks the n graded entities of order (indices into g->ents): rank 1..n in
 * the order of risk_rank_cmp() (src/risk/risk_score.c: grade, score, amount,
 * entity id).  Then puts order in entity id order, the order the rows are
 * written in: the primary key (entity_id, period_start) then fills its pages
 * one after the other instead of at random (docs/risk.md, "Performance").
 */
void
grade_rank(Grade *g, int32 *order, int32 n)
{
	RankItem *items = MemoryContextAllocHuge(g->cxt, sizeof(RankItem) * (Size) Max(n, 1));
	int32     i;

	for (i = 0; i < n; i++)
	{
		Ent *e = &g->ents[order[i]];

		items[i].key = risk_rank_key((RiskGrade) e->grade, e->score);
		items[i].cents = e->cents;
		items[i].id = e->id;
		items[i].ent = order[i];
	}
	sort_by_rank(items, n);
	for (i = 0; i < n; i++)
		g->ents[items[i].ent].rank = i + 1;

	sort_by_id(items, n);
	for (i = 0; i < n; i++)
		order[i] = items[i].ent;
	pfree(items);
}
