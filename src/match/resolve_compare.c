/*
 * resolve_compare.c
 *		Pure core: the comparison of a reported party with a candidate entity
 *		(resolve_store.h).  For each field of the model, the level at which
 *		the two agree: the name (company_name.c for enterprises, similarity.c
 *		for persons), the region, the industry, the address, the phone, the
 *		linked persons, an unverified identifier; and the weight of those
 *		levels under the model (fellegi_sunter.c).  docs/matching.md,
 *		"Probabilistic links", describes each field.
 */
#include "match/resolve_store_internal.h"

#include <string.h>

#include "match/similarity.h"

/* ---------------------------------------------------------------- region codes, phones, names */

bool
rs_region_same(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	/* a prefecture (xxxx00) contains its districts, a province (xx0000) its prefectures */
	if (strcmp(a + 4, "00") == 0 || strcmp(b + 4, "00") == 0)
	{
		if (strcmp(a + 2, "0000") == 0 || strcmp(b + 2, "0000") == 0)
			return memcmp(a, b, 2) == 0;
		return memcmp(a, b, 4) == 0;
	}
	return false;
}

size_t
rs_phone_digits(const char *in, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (in[i] >= '0' && in[i] <= '9')
			out[n++] = in[i];
	out[n] = '\0';
	/* +86 / 0086 country prefix of a mobile number */
	if (n == 13 && memcmp(out, "86", 2) == 0)
	{
		memmove(out, out + 2, 12);
		n = 11;
	}
	else if (n == 15 && memcmp(out, "0086", 4) == 0)
	{
		memmove(out, out + 4, 12);
		n = 11;
	}
	return n;
}

double
rs_company_similarity(const char *a, const char *b)
{
	size_t      na = strlen(a), nb = strlen(b);
	CompanyName pa, pb;

	if (na > COMPANY_NAME_MAX_BYTES || nb > COMPANY_NAME_MAX_BYTES)
		return company_name_similarity(a, na, b, nb);
	company_name_parse(a, na, &pa);
	company_name_parse(b, nb, &pb);
	return company_name_similarity_parsed(a, na, &pa, b, nb, &pb);
}

/* ---------------------------------------------------------------- one party, one entity */

void
rs_party_view(const ResolveStore *rs, const ResolveParty *p, RsPartyView *v)
{
	const char *sources[3] = {p->name, p->address, rs_division_name(rs, p->region)};

	v->p = p;
	v->nlen = p->name ? strlen(p->name) : 0;
	v->parsed = p->name && v->nlen <= COMPANY_NAME_MAX_BYTES;
	if (v->parsed)
		company_name_parse(p->name, v->nlen, &v->cn);
	v->nregions = 0;
	if (p->kind != RS_ENTERPRISE)
		return;
	for (int i = 0; i < 3; i++)
	{
		size_t n;

		if (sources[i] == NULL || (n = strlen(sources[i])) == 0 || n > COMPANY_NAME_MAX_BYTES)
			continue;
		if (i == 0)
			v->region_cn[v->nregions] = v->cn;
		else
			company_name_parse(sources[i], n, &v->region_cn[v->nregions]);
		if (v->region_cn[v->nregions].region.len == 0)
			continue;
		v->region_text[v->nregions] = sources[i];
		v->nregions++;
	}
}

/*
 * Where the two are: by division codes when both have one, else by the
 * regions their names and addresses name (衡阳 ~ 衡阳市雁峰区, 衡阳 vs 长沙).
 */
static int
region_level(const RsEntity *e, const RsPartyView *v)
{
	bool different = false;

	if (v->p->region[0] && e->region[0])
		return rs_region_same(v->p->region, e->region) ? 0 : 1;
	for (int i = 0; i < v->nregions; i++)
		for (const RsName *r = e->regions; r; r = r->next)
		{
			CompanyPartCmp c;

			if (!r->parsed)
				continue;
			c = company_name_region_cmp(v->region_text[i], &v->region_cn[i], r->text, &r->cn);
			if (c == COMPANY_PART_SAME)
				return 0;
			if (c == COMPANY_PART_DIFFERENT)
				different = true;
		}
	return different ? 1 : FS_LEVEL_MISSING;
}

/* Equal length and at most two characters differ. */
static bool
two_slips(const char *a, const char *b)
{
	size_t n = strlen(a);
	int    diffs = 0;

	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n && diffs <= 2; i++)
		diffs += a[i] != b[i];
	return diffs <= 2;
}

/*
 * The identifier evidence: the party's unverified identifier against the
 * entity's key of its kind and the unverified identifiers the entity was
 * reported with before; and a key the party holds but no entity does against
 * the entity's unverified identifiers.  Equal or one slip apart: near.  Two
 * unverified identifiers may each carry a slip of their own: up to two
 * characters apart they are near.  A mistyped USCC against an entity known
 * by its organization code only (a legacy taxpayer ID): characters 9-17 of
 * the USCC against the code.
 */
static int
ident_level(const RsEntity *e, const ResolveParty *p)
{
	int            level = FS_LEVEL_MISSING;
	char           b[RESOLVE_IDENT_MAX];
	ResolveKeyKind bk = rs_broken_comparable(&p->key, b);

	if (bk != RK_NONE)
	{
		const char *t = e->keys[bk];

		if (t)
		{
			if (resolve_ident_near(b, strlen(b), t, strlen(t)))
				return 0;
			level = 1;
		}
		else if (bk == RK_USCC && strlen(b) == 18 && (t = e->keys[RK_ORGCODE]) != NULL)
		{
			if ((strlen(t) == 9 && memcmp(b + 8, t, 9) == 0) ||
				resolve_ident_near(b + 8, 9, t, strlen(t)))
				return 0;
			level = 1;
		}
		for (const RsStr *u = e->unverified; u; u = u->next)
		{
			if (u->text[0] != (char) ('0' + bk))
				continue;
			if (two_slips(u->text + 1, b) ||
				resolve_ident_near(b, strlen(b), u->text + 1, strlen(u->text + 1)))
				return 0;
			level = 1;
		}
	}
	if (p->key.kind != RK_NONE)
	{
		const char *k = p->key.key;

		for (const RsStr *u = e->unverified; u; u = u->next)
		{
			if (u->text[0] != (char) ('0' + p->key.kind))
				continue;
			if (resolve_ident_near(k, strlen(k), u->text + 1, strlen(u->text + 1)))
				return 0;
			level = 1;
		}
	}
	return level;
}

static bool
persons_share(const RsEntity *e, const ResolveParty *p, bool *any)
{
	*any = false;
	if (e->persons == NULL || p->npersons == 0)
		return false;
	*any = true;
	for (const RsId *n = e->persons; n; n = n->next)
		for (int i = 0; i < p->npersons; i++)
			if (n->id == p->persons[i])
				return true;
	return false;
}

void
rs_compare_entity(const RsEntity *e, const RsPartyView *v, const FsModel *model,
				  ResolveComparison *out)
{
	const ResolveParty *p = v->p;
	int                *lv = out->levels;
	double              best = -1.0;
	const RsName       *best_node = NULL;

	for (int f = 0; f < RS_NFIELDS; f++)
		lv[f] = FS_LEVEL_MISSING;
	out->best_name = NULL;
	out->exact_name = false;
	out->sole_namesake = false;
	out->sole_near = false;

	if (p->name && p->name[0])
	{
		for (const RsName *n = e->names; n; n = n->next)
		{
			double s;

			if (n->len == v->nlen && memcmp(n->text, p->name, v->nlen) == 0)
				s = 1.0;
			else if (p->kind == RS_PERSON)
				s = sim_name(p->name, v->nlen, n->text, n->len);
			else if (v->parsed && n->parsed)
				s = company_name_similarity_parsed(p->name, v->nlen, &v->cn, n->text, n->len,
												   &n->cn);
			else
				s = company_name_similarity(p->name, v->nlen, n->text, n->len);
			if (s > best)
			{
				best = s;
				best_node = n;
			}
		}
		if (best_node)
		{
			out->best_name = best_node->text;
			lv[RS_F_NAME] = fs_level_from_similarity(best, rs_name_thresholds, RS_NAME_NTHRESHOLDS);
		}
	}
	lv[RS_F_REGION] = region_level(e, v);
	out->exact_name = lv[RS_F_NAME] == 0;
	/*
	 * An exact name says which company only where it is: without a region to
	 * compare, the same 字号 and industry may be registered in another city
	 * (decree 734 makes names unique within a registration area only), so it
	 * counts as the next level.
	 */
	if (p->kind == RS_ENTERPRISE && lv[RS_F_NAME] == 0 && lv[RS_F_REGION] == FS_LEVEL_MISSING)
		lv[RS_F_NAME] = 1;
	if (p->kind == RS_ENTERPRISE && best_node && v->parsed && best_node->parsed)
	{
		CompanyPartCmp c = company_name_industry_cmp(&v->cn, &best_node->cn);

		if (c != COMPANY_PART_MISSING)
			lv[RS_F_INDUSTRY] = c == COMPANY_PART_SAME ? 0 : 1;
	}
	if (p->address && p->address[0] && e->addresses)
	{
		lv[RS_F_ADDRESS] = 1;
		for (const RsStr *n = e->addresses; n; n = n->next)
		{
			if (strcmp(n->text, p->address) == 0 ||
				sim_name(p->address, strlen(p->address), n->text, strlen(n->text)) >=
					RS_ADDRESS_AGREE)
			{
				lv[RS_F_ADDRESS] = 0;
				break;
			}
		}
	}
	if (p->phone && p->phone[0] && e->phones)
		lv[RS_F_PHONE] = rs_list_has(e->phones, p->phone) ? 0 : 1;
	{
		bool any;
		bool share = persons_share(e, p, &any);

		if (any)
			lv[RS_F_PERSON] = share ? 0 : 1;
	}
	lv[RS_F_IDENT] = ident_level(e, p);
	out->weight = fs_weight(model, lv, NULL);
}

void
rs_compare(const ResolveStore *rs, const ResolveParty *p, int32_t e, const FsModel *model,
		   ResolveComparison *out)
{
	RsPartyView v;

	rs_party_view(rs, p, &v);
	out->entity = e;
	rs_compare_entity(&rs->ents[e], &v, model, out);
}

void
rs_compare_parties(const ResolveParty *a, const ResolveParty *b, const FsModel *model,
				   RsOomHandler oom, int *levels, double *weight)
{
	ResolveStore     *rs = rs_create(oom);
	int32_t           e = rs_add_entity(rs, 1, b->kind);
	ResolveComparison c;

	rs_absorb(rs, e, b);
	rs_compare(rs, a, e, model, &c);
	memcpy(levels, c.levels, sizeof(c.levels));
	*weight = c.weight;
	rs_free(rs);
}
