/*
 * resolve_decide.c
 *		Pure core: the decision of entity resolution (resolve_store.h).  The
 *		model of each kind (the Fellegi-Sunter m and u of every field level,
 *		the prior, the two thresholds), a party's link by its valid key, and
 *		the choice among the compared candidates: link to the best one above
 *		the upper threshold, review between the thresholds, a new entity
 *		below the lower one.
 */
#include "match/resolve_store_internal.h"

#include <string.h>

/* ---------------------------------------------------------------- model */

const double rs_name_thresholds[RS_NAME_NTHRESHOLDS] = {0.9999, 0.92, 0.85, 0.75};

/*
 * The starting values (docs/matching.md, "Resolution", explains each): the
 * core's defaults for region, industry, address, phone and person
 * (fellegi_sunter.c), a finer name scale, and the broken-identifier field.
 * Among candidates (same 字号 or one character apart) a name at 0.75-0.92 is
 * as typical of a different company with a 字号 one character away as of a
 * typo, slightly more: those levels weigh a little below zero.
 * Persons are blocked on the exact name, so among compared pairs an exact
 * name says little (a common name is shared by many people): its u is high.
 */
void
rs_model_default(FsModel *model, ResolveKind kind)
{
	static const char *const name_levels[] = {"exact", ">=0.92", ">=0.85", ">=0.75", "<0.75"};
	static const double      ent_name_m[] = {0.80, 0.10, 0.05, 0.03, 0.02};
	static const double      ent_name_u[] = {0.001, 0.004, 0.06, 0.08, 0.855};
	static const double      per_name_m[] = {0.90, 0.05, 0.03, 0.01, 0.01};
	static const double      per_name_u[] = {0.60, 0.10, 0.10, 0.10, 0.10};
	static const char *const same_levels[] = {"same", "different"};
	static const char *const agree_levels[] = {"agree", "disagree"};
	static const char *const near_levels[] = {"near", "different"};
	static const double      region_m[] = {0.95, 0.05};
	static const double      region_u[] = {0.30, 0.70};
	static const double      industry_m[] = {0.98, 0.02};
	static const double      industry_u[] = {0.30, 0.70};
	static const double      address_m[] = {0.70, 0.30};
	static const double      address_u[] = {0.02, 0.98};
	static const double      phone_m[] = {0.60, 0.40};
	static const double      phone_u[] = {0.005, 0.995};
	static const double      person_m[] = {0.85, 0.15};
	static const double      person_u[] = {0.01, 0.99};
	static const double      ident_m[] = {0.90, 0.10};
	static const double      ident_u[] = {0.002, 0.998};

	memset(model, 0, sizeof(*model));
	model->nfields = RS_NFIELDS;
	fs_field_set(&model->fields[RS_F_NAME], "name", 5, name_levels,
				 kind == RS_PERSON ? per_name_m : ent_name_m,
				 kind == RS_PERSON ? per_name_u : ent_name_u);
	fs_field_set(&model->fields[RS_F_REGION], "region", 2, same_levels, region_m, region_u);
	fs_field_set(&model->fields[RS_F_INDUSTRY], "industry", 2, same_levels, industry_m, industry_u);
	fs_field_set(&model->fields[RS_F_ADDRESS], "address", 2, agree_levels, address_m, address_u);
	fs_field_set(&model->fields[RS_F_PHONE], "phone", 2, agree_levels, phone_m, phone_u);
	fs_field_set(&model->fields[RS_F_PERSON], "person", 2, agree_levels, person_m, person_u);
	fs_field_set(&model->fields[RS_F_IDENT], "identifier", 2, near_levels, ident_m, ident_u);
	model->upper = 10.0;
	model->lower = 4.0;
	model->prior = 0.1;
}

static void
rescale(double *p, int n, int fixed, double value)
{
	double rest = 0.0;

	for (int k = 0; k < n; k++)
		if (k != fixed)
			rest += p[k];
	for (int k = 0; k < n; k++)
	{
		if (k == fixed)
			p[k] = value;
		else if (rest > 0.0)
			p[k] = p[k] * (1.0 - value) / rest;
		else
			p[k] = (1.0 - value) / (n - 1);
	}
}

bool
rs_model_set(FsModel *model, const char *field, const char *level, double m, double u)
{
	if (!(m > 0.0 && m < 1.0) || !(u > 0.0 && u < 1.0))
		return false;
	for (int f = 0; f < model->nfields; f++)
	{
		FsField *fld = &model->fields[f];

		if (strcmp(fld->name, field) != 0)
			continue;
		for (int k = 0; k < fld->nlevels; k++)
		{
			if (strcmp(fld->level_names[k], level) != 0)
				continue;
			rescale(fld->m, fld->nlevels, k, m);
			rescale(fld->u, fld->nlevels, k, u);
			return true;
		}
		return false;
	}
	return false;
}

/* ---------------------------------------------------------------- link by key */

const char *
rs_method_name(ResolveMethod m)
{
	switch (m)
	{
		case RM_USCC:
			return "uscc";
		case RM_IDCARD:
			return "idcard";
		case RM_ORGCODE:
			return "orgcode";
		case RM_TAXPAYER_ID:
			return "taxpayer_id";
		case RM_NONE:
			break;
	}
	return "probabilistic";
}

ResolveMethod
rs_key_method(const ResolveParty *p)
{
	switch (p->key.kind)
	{
		case RK_USCC:
			return RM_USCC;
		case RK_ORGCODE:
			return p->key.via == RKV_LEGACY15 ? RM_TAXPAYER_ID : RM_ORGCODE;
		case RK_IDCARD:
			return (p->key.via == RKV_PERSONAL || p->key_from_taxpayer_id) ? RM_TAXPAYER_ID
																		   : RM_IDCARD;
		case RK_NONE:
			break;
	}
	return RM_NONE;
}

int32_t
rs_find_party(const ResolveStore *rs, const ResolveParty *p, ResolveMethod *method)
{
	const ResolveKey *k = &p->key;
	int32_t           e;

	*method = RM_NONE;
	switch (k->kind)
	{
		case RK_USCC:
			if ((e = rs_find_key(rs, RK_USCC, k->key)) >= 0)
			{
				*method = rs_key_method(p);
				return e;
			}
			if ((e = rs_find_key(rs, RK_ORGCODE, k->orgcode)) >= 0)
			{
				*method = RM_ORGCODE;
				return e;
			}
			return -1;
		case RK_ORGCODE:
			if ((e = rs_find_key(rs, RK_ORGCODE, k->key)) >= 0)
			{
				*method = rs_key_method(p);
				return e;
			}
			return -1;
		case RK_IDCARD:
			if ((e = rs_find_key(rs, RK_IDCARD, k->key)) >= 0)
			{
				*method = rs_key_method(p);
				return e;
			}
			return -1;
		case RK_NONE:
			break;
	}
	return -1;
}

/* ---------------------------------------------------------------- link by weight */

/* Two links above the upper threshold closer than this are left to a person. */
#define RS_AMBIGUITY_MARGIN 2.0

void
rs_resolve(ResolveStore *rs, const ResolveParty *p, const FsModel *model, ResolveOutcome *out,
		   uint64_t *comparisons)
{
	int         n = rs_gather(rs, p, -1, NULL, 0);
	RsPartyView v;
	int         namesakes = 0;
	int         unplaced = -1;

	rs_party_view(rs, p, &v);
	memset(out, 0, sizeof(*out));
	out->decision = FS_NONLINK;
	out->ncandidates = n;
	if (n > rs->cmp_cap)
	{
		int cap = rs->cmp_cap;

		while (cap < n)
			cap *= 2;
		rs->cmp = rs_xrealloc(rs->oom, rs->cmp, cap * sizeof(ResolveComparison));
		rs->cmp_cap = cap;
	}
	for (int i = 0; i < n; i++)
	{
		ResolveComparison *c = &rs->cmp[i];

		c->entity = rs->cand[i];
		rs_compare_entity(&rs->ents[c->entity], &v, model, c);
		if (c->exact_name)
		{
			namesakes++;
			if (c->levels[RS_F_REGION] == FS_LEVEL_MISSING)
				unplaced = i;
		}
	}

	/*
	 * The region rule of rs_compare_entity() guards against the namesake in
	 * another registration area.  When the party has no key and its blocks
	 * hold a single entity of exactly its name, there is no namesake to
	 * confuse it with: the name counts as exact again (the explanation says
	 * so).  Not for a party with a key: candidates holding another key are
	 * left out of its blocks, namesakes among them.
	 */
	if (namesakes == 1 && unplaced >= 0 && p->kind == RS_ENTERPRISE && p->key.kind == RK_NONE)
	{
		ResolveComparison *c = &rs->cmp[unplaced];

		c->levels[RS_F_NAME] = 0;
		c->sole_namesake = true;
		c->weight = fs_weight(model, c->levels, NULL);
	}

	/*
	 * The sole near namesake.  No entity holds exactly the party's name, and
	 * one candidate alone is near it (one character off: a typo, a homophone,
	 * a look-alike character: 0.75 and above) in the same region and the
	 * same industry, with no other candidate near at all.  A registered name
	 * misspelt is then far likelier than an unknown company one character
	 * away from a known one, and there is no second reading to confuse it
	 * with: the name counts as exact.  Not with an identifier that differs,
	 * which still weighs against it, nor for a party with a key.  Where two
	 * candidates are near (华相 between 华湘 and 华祥), nothing changes; nor
	 * for a 字号 of two characters, where one slip leaves a single character
	 * in common and lands as often on another company's 字号 (on the first
	 * benchmark it cost 2.6 points of precision).
	 */
	if (namesakes == 0 && p->kind == RS_ENTERPRISE && p->key.kind == RK_NONE && v.parsed &&
		v.cn.trade_name.len >= 9)
	{
		int near = 0;
		int which = -1;

		for (int i = 0; i < n; i++)
		{
			int lv = rs->cmp[i].levels[RS_F_NAME];

			if (lv >= 1 && lv <= 3)
			{
				near++;
				which = i;
			}
		}
		if (near == 1 && rs->cmp[which].levels[RS_F_REGION] == 0 &&
			rs->cmp[which].levels[RS_F_INDUSTRY] == 0)
		{
			ResolveComparison *c = &rs->cmp[which];

			c->levels[RS_F_NAME] = 0;
			c->sole_near = true;
			c->weight = fs_weight(model, c->levels, NULL);
		}
	}

	for (int i = 0; i < n; i++)
	{
		ResolveComparison c = rs->cmp[i];

		if (i == 0 || c.weight > out->best.weight ||
			(c.weight == out->best.weight && rs->ents[c.entity].id < rs->ents[out->best.entity].id))
		{
			if (i > 0)
				out->second = out->best;
			out->best = c;
		}
		else if (i == 1 || c.weight > out->second.weight)
			out->second = c;
	}
	if (comparisons)
		*comparisons += (uint64_t) n;
	if (n == 0)
		return;
	out->decision = fs_classify(model, out->best.weight);
	if (out->decision == FS_LINK && n > 1 && out->second.weight >= model->upper &&
		out->best.weight - out->second.weight < RS_AMBIGUITY_MARGIN)
	{
		out->ambiguous = true;
		out->decision = FS_REVIEW;
	}
}
