/*
 * test_resolve_store.c
 *		Unit tests of the entity store (src/match/resolve_store.h and the
 *		four files behind it): keys, the deterministic lookup and its
 *		methods, blocking, the comparison levels, the three decisions, and
 *		the similar-name trap.
 *
 * Expected levels and decisions follow from the built-in model
 * (rs_model_default) and the thresholds 10 / 4, worked out by hand: e.g. an
 * exact name (9.64) with the same industry (1.71) is 11.35, a link.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match/company_name.h"
#include "ident/normalize.h"
#include "match/resolve_store.h"
#include "tap.h"

static char *
norm(const char *s)
{
	size_t n = strlen(s);
	char  *out = malloc(n + 1);

	out[normalize_name(s, n, out)] = '\0';
	return out;
}

/* A party of a kind with a name (normalised, owned by the caller). */
static ResolveParty
party(ResolveKind kind, const char *name, const char *ident)
{
	ResolveParty p;

	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.name = name;
	if (ident)
		resolve_key_read(ident, strlen(ident), &p.key);
	return p;
}

static int32_t
add(ResolveStore *rs, int64_t id, ResolveKind kind, const char *name, const char *ident)
{
	ResolveParty p = party(kind, name, ident);
	int32_t      e = rs_add_entity(rs, id, kind);

	rs_absorb(rs, e, &p);
	return e;
}

int
main(void)
{
	ResolveStore  *rs = rs_create(NULL);
	FsModel        ent, per;
	ResolveOutcome o;
	ResolveMethod  m;
	ResolveParty   p;
	uint64_t       comparisons = 0;
	char          *huaxiang = norm("衡阳华湘置业有限公司");
	char          *huaxiang_llc = norm("衡阳华湘置业有限责任公司");
	char          *huaxiang_bracket = norm("华湘置业（衡阳）有限公司");
	char          *wuye = norm("衡阳华湘物业有限公司");
	char          *typo = norm("衡阳华相置业有限公司");
	char          *other = norm("长沙岳麓电子科技有限公司");
	int32_t        e1, e2, e3, e4;
	int32_t        cand[16];
	int            levels[RS_NFIELDS];
	double         w;

	rs_model_default(&ent, RS_ENTERPRISE);
	rs_model_default(&per, RS_PERSON);
	ok(fs_model_check(&ent) == NULL, "the enterprise model is usable");
	ok(fs_model_check(&per) == NULL, "the person model is usable");
	is_int(ent.nfields, RS_NFIELDS, "seven comparison fields");
	ok(fabs(fs_level_weight(&ent, RS_F_NAME, 0) - log2(0.80 / 0.001)) < 1e-9,
	   "exact name weighs log2(m/u)");

	/* rs_model_set keeps each of m and u summing to 1 */
	{
		FsModel m2 = ent;
		double  sm = 0, su = 0;

		ok(rs_model_set(&m2, "phone", "agree", 0.5, 0.01), "set a level");
		for (int k = 0; k < m2.fields[RS_F_PHONE].nlevels; k++)
			sm += m2.fields[RS_F_PHONE].m[k], su += m2.fields[RS_F_PHONE].u[k];
		ok(fabs(sm - 1) < 1e-12 && fabs(su - 1) < 1e-12, "the other levels are rescaled");
		ok(fabs(m2.fields[RS_F_PHONE].m[1] - 0.5) < 1e-12, "disagree takes the rest of m");
		ok(fs_model_check(&m2) == NULL, "still usable");
		ok(!rs_model_set(&m2, "phone", "maybe", 0.5, 0.5), "an unknown level is refused");
		ok(!rs_model_set(&m2, "colour", "agree", 0.5, 0.5), "an unknown field is refused");
		ok(!rs_model_set(&m2, "phone", "agree", 1.0, 0.5), "m = 1 is refused");
	}

	/* keys */
	e1 = add(rs, 101, RS_ENTERPRISE, huaxiang, "91350100M000100Y43");
	is_int(rs_entity_id(rs, e1), 101, "the entity keeps its id");
	is_int(rs_find_id(rs, 101), e1, "found by id");
	is_int(rs_find_id(rs, 999), -1, "an unknown id");
	is_str(rs_get_key(rs, e1, RK_USCC), "91350100M000100Y43", "the USCC is stored");
	is_str(rs_get_key(rs, e1, RK_ORGCODE), "M000100Y4", "with its organization code");
	is_str(rs_get_region(rs, e1), "350100", "the region defaults to the division inside the USCC");
	e2 = rs_add_entity(rs, 102, RS_ENTERPRISE);
	ok(!rs_set_key(rs, e2, RK_USCC, "91350100M000100Y43"),
	   "a key held by another entity is refused");
	ok(rs_set_key(rs, e1, RK_USCC, "91350100M000100Y43"),
	   "setting an entity's own key again is fine");

	/* deterministic lookup and its methods */
	p = party(RS_ENTERPRISE, NULL, "91350100M000100Y43");
	is_int(rs_find_party(rs, &p, &m), e1, "a USCC finds its entity");
	is_str(rs_method_name(m), "uscc", "by USCC");
	p = party(RS_ENTERPRISE, NULL, "350100M000100Y4");
	is_int(rs_find_party(rs, &p, &m), e1, "a legacy taxpayer ID finds it by its organization code");
	is_str(rs_method_name(m), "taxpayer_id", "method taxpayer_id");
	p = party(RS_ENTERPRISE, NULL, "M000100Y-4");
	is_int(rs_find_party(rs, &p, &m), e1, "an organization code finds it");
	is_str(rs_method_name(m), "orgcode", "method orgcode");
	e3 = add(rs, 103, RS_ENTERPRISE, wuye, "MA4L0002X");
	p = party(RS_ENTERPRISE, NULL, "91430400MA4L0002XT");
	is_int(rs_find_party(rs, &p, &m), e3,
		   "a new USCC finds the entity known by the organization code inside it");
	is_str(rs_method_name(m), "orgcode", "method orgcode");
	ok(rs_absorb(rs, e3, &p) & RS_CHG_KEYS, "the entity takes the USCC");
	is_str(rs_get_key(rs, e3, RK_USCC), "91430400MA4L0002XT", "and keeps it");
	is_str(rs_get_region(rs, e3), "430400", "with the division inside the USCC");
	e4 = add(rs, 104, RS_PERSON, "张三", "11010519491231002X");
	p = party(RS_PERSON, NULL, "11010519491231002X00");
	is_int(rs_find_party(rs, &p, &m), e4, "a personal taxpayer ID finds the person");
	is_str(rs_method_name(m), "taxpayer_id", "method taxpayer_id");
	p = party(RS_PERSON, NULL, "110105491231002");
	is_int(rs_find_party(rs, &p, &m), e4, "a 15-digit resident ID finds the person");
	is_str(rs_method_name(m), "idcard", "method idcard");
	p = party(RS_PERSON, NULL, "110105491231002");
	p.key_from_taxpayer_id = true;
	rs_find_party(rs, &p, &m);
	is_str(rs_method_name(m), "taxpayer_id", "from a taxpayer ID field it is taxpayer_id");
	p = party(RS_ENTERPRISE, NULL, "91350100M000100Y44");
	is_int(rs_find_party(rs, &p, &m), -1, "a broken USCC finds nothing");

	/* blocking: variants of a name share a block, a different name does not */
	p = party(RS_ENTERPRISE, huaxiang_bracket, NULL);
	{
		int  n = rs_candidates(rs, &p, -1, cand, 16);
		bool found = false;

		for (int i = 0; i < n; i++)
			found |= cand[i] == e1;
		ok(found, "region moved into brackets: same block");
	}
	p = party(RS_ENTERPRISE, typo, NULL);
	{
		int  n = rs_candidates(rs, &p, -1, cand, 16);
		bool found = false;

		for (int i = 0; i < n; i++)
			found |= cand[i] == e1;
		ok(found, "a one-character typo in the 字号 still shares a block");
	}
	p = party(RS_ENTERPRISE, other, NULL);
	is_int(rs_candidates(rs, &p, -1, cand, 16), 0, "an unrelated name meets no candidate");
	p = party(RS_PERSON, "张三", NULL);
	is_int(rs_candidates(rs, &p, -1, cand, 16), 1, "a person meets persons of the same name");
	p = party(RS_ENTERPRISE, "张三", NULL);
	is_int(rs_candidates(rs, &p, -1, cand, 16), 0, "and never enterprises");

	/* decisions */
	p = party(RS_ENTERPRISE, huaxiang_llc, NULL);
	rs_resolve(rs, &p, &ent, &o, &comparisons);
	is_int(o.decision, FS_LINK, "有限责任公司 for 有限公司: exact name and industry link");
	is_int(o.best.entity, e1, "to the developer");
	is_int(o.best.levels[RS_F_NAME], 0, "name level exact");
	is_int(o.best.levels[RS_F_INDUSTRY], 0, "industry same");
	ok(comparisons > 0, "comparisons are counted");

	p = party(RS_ENTERPRISE, typo, NULL);
	rs_resolve(rs, &p, &ent, &o, NULL);
	is_int(o.decision, FS_NONLINK, "a typo with nothing else is not enough: a new entity");
	p.address = "衡阳市雁峰区解放大道18号";
	rs_add_address(rs, e1, "衡阳市雁峰区解放大道18号");
	rs_resolve(rs, &p, &ent, &o, NULL);
	is_int(o.best.levels[RS_F_ADDRESS], 0, "the address agrees");
	is_int(o.decision, FS_REVIEW, "a typo and the same address: a person should look");
	p.phone = "07348221001";
	rs_add_phone(rs, e1, "07348221001");
	rs_resolve(rs, &p, &ent, &o, NULL);
	is_int(o.decision, FS_LINK, "and with the same phone too: a link");

	/* the similar-name trap: same 字号, different industry, even at the same address and phone */
	rs_add_address(rs, e3, "衡阳市雁峰区解放大道18号");
	p = party(RS_ENTERPRISE, wuye, NULL);
	rs_resolve(rs, &p, &ent, &o, NULL);
	is_int(o.best.entity, e3, "华湘物业 is best matched by 华湘物业");
	p = party(RS_ENTERPRISE, huaxiang, NULL);
	p.address = "衡阳市雁峰区解放大道18号";
	p.phone = "07348221001";
	rs_compare(rs, &p, e3, &ent, &o.best);
	is_int(o.best.levels[RS_F_INDUSTRY], 1, "置业 and 物业 are different industries");
	ok(o.best.levels[RS_F_NAME] >= 3, "and the name similarity is capped");
	ok(o.best.weight < ent.upper, "华湘置业 never links to 华湘物业 (weight %.2f)", o.best.weight);

	/* a conflicting valid key excludes a candidate */
	p = party(RS_ENTERPRISE, huaxiang, "91430400MA4L00054G");
	rs_resolve(rs, &p, &ent, &o, NULL);
	ok(o.ncandidates == 0 || o.best.entity != e1,
	   "a different valid USCC is never the same entity");

	/* a broken identifier one slip from the entity's is evidence */
	p = party(RS_ENTERPRISE, typo, "91350100M000100Y44");
	rs_resolve(rs, &p, &ent, &o, NULL);
	is_int(o.best.levels[RS_F_IDENT], 0, "the broken USCC is near the entity's");
	is_int(o.best.levels[RS_F_REGION], 0, "both names say 衡阳");
	is_int(o.decision, FS_LINK, "typo + near identifier + the same region: a link");
	{
		char *typo_noregion = norm("华相置业有限公司");

		p = party(RS_ENTERPRISE, typo_noregion, "91350100M000100Y44");
		rs_resolve(rs, &p, &ent, &o, NULL);
		is_int(o.decision, FS_REVIEW, "typo + near identifier, region unknown: review");
		p.address = "衡阳市雁峰区解放大道18号";
		rs_resolve(rs, &p, &ent, &o, NULL);
		is_int(o.decision, FS_LINK, "and with the address: a link");
		free(typo_noregion);
	}

	/* persons: an exact name alone is not enough */
	p = party(RS_PERSON, "张三", NULL);
	rs_resolve(rs, &p, &per, &o, NULL);
	is_int(o.decision, FS_NONLINK, "a person's name alone makes a new person");
	{
		int64_t firm = 101;

		rs_add_person(rs, e4, firm);
		rs_add_phone(rs, e4, "13800000000");
		p.persons = &firm;
		p.npersons = 1;
		p.phone = "13800000000";
		rs_resolve(rs, &p, &per, &o, NULL);
		is_int(o.decision, FS_LINK, "name, phone and the same enterprise: the same person");
	}

	/* ambiguity: two equally good candidates above the upper threshold */
	{
		ResolveStore *rs2 = rs_create(NULL);
		char         *a = norm("衡阳雁城商贸有限公司");

		add(rs2, 1, RS_ENTERPRISE, a, NULL);
		add(rs2, 2, RS_ENTERPRISE, a, NULL);
		p = party(RS_ENTERPRISE, a, NULL);
		rs_resolve(rs2, &p, &ent, &o, NULL);
		is_int(o.ncandidates, 2, "two candidates");
		ok(o.ambiguous && o.decision == FS_REVIEW, "two equal links go to review");
		rs_free(rs2);
		free(a);
	}

	/* comparing two parties directly */
	{
		ResolveParty a = party(RS_ENTERPRISE, huaxiang, "91350100M000100Y44");
		ResolveParty b = party(RS_ENTERPRISE, huaxiang_bracket, "91350100M000100Y43");

		rs_compare_parties(&a, &b, &ent, NULL, levels, &w);
		is_int(levels[RS_F_NAME], 0, "bracketed region compares exact");
		is_int(levels[RS_F_IDENT], 0, "the broken USCC is near");
		ok(w >= ent.upper, "a link (%.2f)", w);
	}

	/* the cached comparison computes exactly company_name_similarity() */
	{
		static const char *const names[] = {"衡阳华湘置业有限公司",
											"华湘置业（衡阳）有限公司",
											"衡阳华湘物业有限公司",
											"长沙华湘置业有限公司",
											"衡阳华相置业有限公司",
											"湖南华湘置业股份有限公司",
											"华湘置业有限公司",
											"衡阳市华湘置业有限公司衡阳分公司",
											"华湘置业(中国)有限公司",
											"衡阳华湘集团有限公司",
											"张三",
											"衡阳鑫源建设工程有限公司",
											"衡阳鑫源建筑工程有限公司",
											"鑫源建设(衡阳)有限责任公司",
											"衡阳市雁峰区先锋路8号",
											""};
		int                      same = 0, pairs = 0;
		size_t                   k = sizeof(names) / sizeof(names[0]);

		for (size_t i = 0; i < k; i++)
			for (size_t j = 0; j < k; j++)
			{
				char *a = norm(names[i]);
				char *b = norm(names[j]);

				pairs++;
				if (rs_company_similarity(a, b) ==
					company_name_similarity(a, strlen(a), b, strlen(b)))
					same++;
				else
					printf("# differs: %s / %s: %g vs %g\n", a, b, rs_company_similarity(a, b),
						   company_name_similarity(a, strlen(a), b, strlen(b)));
				free(a);
				free(b);
			}
		is_int(same, pairs,
			   "the comparison's similarity equals company_name_similarity on %d pairs", pairs);
	}

	/* a mistyped USCC meets its entity through the masked-identifier blocks, whatever the name */
	{
		ResolveStore *rs3 = rs_create(NULL);
		char         *a = norm("衡阳蒸湘科技有限公司");
		char         *b = norm("蒸湘高科(衡阳)有限公司");
		char         *c = norm("岳阳望城电子有限公司");
		int32_t       ea = add(rs3, 1, RS_ENTERPRISE, a, "91350100M000100Y43");

		p = party(RS_ENTERPRISE, b, "91350100M000100Y44");
		is_int(rs_candidates(rs3, &p, -1, cand, 16), 1,
			   "one substitution: a candidate by the masked key");
		is_int(cand[0], ea, "the right one");
		p = party(RS_ENTERPRISE, b, "91350100M000100Y34");
		is_int(rs_candidates(rs3, &p, -1, cand, 16), 1,
			   "two neighbours swapped: a candidate by the swapped key");
		p = party(RS_ENTERPRISE, c, NULL);
		p.phone = "07348339900";
		is_int(rs_candidates(rs3, &p, -1, cand, 16), 0,
			   "no name block, no phone yet: no candidate");
		rs_add_phone(rs3, ea, "07348339900");
		is_int(rs_candidates(rs3, &p, -1, cand, 16), 1, "the same phone makes it a candidate");
		rs_free(rs3);
		free(a);
		free(b);
		free(c);
	}

	/* the region of a name without one comes from the address */
	{
		ResolveStore     *rs4 = rs_create(NULL);
		char             *a = norm("长沙华湘置业有限公司");
		char             *b = norm("华湘置业有限公司");
		int32_t           ea = add(rs4, 1, RS_ENTERPRISE, a, NULL);
		ResolveComparison c;

		p = party(RS_ENTERPRISE, b, NULL);
		rs_compare(rs4, &p, ea, &ent, &c);
		is_int(c.levels[RS_F_REGION], FS_LEVEL_MISSING, "no region in the name: region unknown");
		p.address = "衡阳市雁峰区先锋路8号";
		rs_compare(rs4, &p, ea, &ent, &c);
		is_int(c.levels[RS_F_REGION], 1, "an address in 衡阳 is not 长沙");
		p.address = "长沙市岳麓区麓山路2号";
		rs_compare(rs4, &p, ea, &ent, &c);
		is_int(c.levels[RS_F_REGION], 0, "an address in 长沙 is");
		rs_free(rs4);
		free(a);
		free(b);
	}

	/* an exact name without a region: exact only when no namesake is among the candidates */
	{
		ResolveStore *rs5 = rs_create(NULL);
		char         *hy = norm("衡阳华新机械有限公司");
		char         *cs = norm("长沙华新机械有限公司");
		char         *bare = norm("华新机械有限公司");
		int32_t       ehy = add(rs5, 1, RS_ENTERPRISE, hy, NULL);

		p = party(RS_ENTERPRISE, bare, NULL);
		rs_resolve(rs5, &p, &ent, &o, NULL);
		is_int(o.best.entity, ehy, "the only 华新机械 is the best candidate");
		is_int(o.best.levels[RS_F_REGION], FS_LEVEL_MISSING, "no region to compare");
		ok(o.best.sole_namesake, "it is the only entity of that exact name");
		is_int(o.best.levels[RS_F_NAME], 0, "so the name counts as exact");
		is_int(o.decision, FS_LINK, "exact name and industry: a link (%.2f)", o.best.weight);
		p = party(RS_ENTERPRISE, bare, "91350100M000100Y43");
		rs_resolve(rs5, &p, &ent, &o, NULL);
		ok(!o.best.sole_namesake && o.best.levels[RS_F_NAME] == 1,
		   "not for a party with a key: namesakes holding other keys are not among its candidates");
		add(rs5, 2, RS_ENTERPRISE, cs, NULL);
		p = party(RS_ENTERPRISE, bare, NULL);
		rs_resolve(rs5, &p, &ent, &o, NULL);
		is_int(o.ncandidates, 2, "with 长沙华新机械 known too: two namesakes");
		ok(!o.best.sole_namesake && o.best.levels[RS_F_NAME] == 1,
		   "the name counts as >= 0.92 again");
		ok(o.decision != FS_LINK, "and nothing is linked");
		rs_free(rs5);
		free(hy);
		free(cs);
		free(bare);
	}

	/* the sole near namesake: a slip in a 字号 of three characters, no second reading */
	{
		ResolveStore *rs6 = rs_create(NULL);
		char         *reg = norm("衡阳华湘腾置业有限公司");
		char         *slip = norm("衡阳华湘滕置业有限公司");
		char         *sib = norm("衡阳华祥腾置业有限公司");
		char         *two = norm("衡阳华湘置业有限公司");
		char         *two_slip = norm("衡阳华相置业有限公司");
		int32_t       er = add(rs6, 1, RS_ENTERPRISE, reg, NULL);

		p = party(RS_ENTERPRISE, slip, NULL);
		rs_resolve(rs6, &p, &ent, &o, NULL);
		is_int(o.best.entity, er, "华湘滕 finds 华湘腾");
		ok(o.best.sole_near && o.best.levels[RS_F_NAME] == 0,
		   "no entity of that exact name and one near one alone: the name counts as exact");
		is_int(o.decision, FS_LINK, "same region and industry: a link (%.2f)", o.best.weight);
		p = party(RS_ENTERPRISE, slip, "91350100M000100Y43");
		rs_resolve(rs6, &p, &ent, &o, NULL);
		ok(!o.best.sole_near, "not for a party with a key");
		add(rs6, 2, RS_ENTERPRISE, sib, NULL);
		p = party(RS_ENTERPRISE, norm("衡阳华翔腾置业有限公司"), NULL);
		rs_resolve(rs6, &p, &ent, &o, NULL);
		ok(!o.best.sole_near && o.decision != FS_LINK,
		   "with 华祥腾 known too, 华翔腾 is near both: nothing is linked (%d candidates, best %d, "
		   "name level %d, second %d)",
		   o.ncandidates, o.best.entity, o.best.levels[RS_F_NAME], o.second.levels[RS_F_NAME]);
		free((char *) p.name);
		add(rs6, 3, RS_ENTERPRISE, two, NULL);
		p = party(RS_ENTERPRISE, two_slip, NULL);
		rs_resolve(rs6, &p, &ent, &o, NULL);
		ok(!o.best.sole_near && o.decision != FS_LINK,
		   "a slip in a two-character 字号 is not read as the near one");
		rs_free(rs6);
		free(reg);
		free(slip);
		free(sib);
		free(two);
		free(two_slip);
	}

	/* identifiers: two unverified ones with a slip each, a USCC against a legacy ID's code */
	{
		ResolveStore *rs6 = rs_create(NULL);
		char         *a = norm("衡阳蒸湘科技有限公司");
		int32_t ea = add(rs6, 1, RS_ENTERPRISE, a, "91350100M000100Y44"); /* check char slipped */
		int32_t eb = add(rs6, 2, RS_ENTERPRISE, a, "350100M000100Y4");    /* a legacy taxpayer ID */
		ResolveComparison c;

		p = party(RS_ENTERPRISE, a, "91350100M000130Y43"); /* another slip, in the code */
		rs_compare(rs6, &p, ea, &ent, &c);
		is_int(c.levels[RS_F_IDENT], 0,
			   "two mistyped versions of one USCC (two characters apart) are near");
		p = party(RS_ENTERPRISE, a, "91350100M770130Y43");
		rs_compare(rs6, &p, ea, &ent, &c);
		is_int(c.levels[RS_F_IDENT], 1, "three characters apart are different");
		rs_compare(rs6, &p, eb, &ent, &c);
		is_int(c.levels[RS_F_IDENT], 1, "a USCC whose characters 9-17 are another code: different");
		p = party(RS_ENTERPRISE, a, "91350100M000100Y44");
		rs_compare(rs6, &p, eb, &ent, &c);
		is_int(c.levels[RS_F_IDENT], 0,
			   "a mistyped USCC holding the entity's organization code: near");
		p = party(RS_ENTERPRISE, a, "91350100M000130Y43");
		rs_compare(rs6, &p, eb, &ent, &c);
		is_int(c.levels[RS_F_IDENT], 0, "and with one slip in the code: near");
		rs_free(rs6);
		free(a);
	}

	/* regions and phones */
	ok(rs_region_same("430406", "430406"), "same division");
	ok(rs_region_same("430400", "430406"), "a prefecture contains its districts");
	ok(rs_region_same("430000", "430406"), "a province contains its districts");
	ok(!rs_region_same("430405", "430406"), "two districts differ");
	ok(!rs_region_same("430400", "440300"), "two prefectures differ");
	{
		char d[32];

		is_int(rs_phone_digits("0734-822 1001", 13, d), 11, "a landline's digits");
		is_str(d, "07348221001", "without the hyphen and space");
		rs_phone_digits("+86 138 0000 0000", 17, d);
		is_str(d, "13800000000", "the country prefix is dropped");
	}

	rs_free(rs);
	free(huaxiang);
	free(huaxiang_llc);
	free(huaxiang_bracket);
	free(wuye);
	free(typo);
	free(other);
	return done_testing();
}
