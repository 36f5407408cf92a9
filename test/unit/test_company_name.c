/*
 * test_company_name.c
 *		Unit tests of the company name core (src/match/company_name.c).
 *
 * Names are given as normalize_name() leaves them (half-width brackets,
 * 有限公司, 股份公司); the parts expected are read off the names by hand
 * following decree 734 art. 6 (region + 字号 + industry + form).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "match/company_name.h"
#include "match/similarity.h"
#include "tap.h"

#define S(x) x, strlen(x)

static char part_buf[8][1100];
static int  part_next = 0;

/* A part of s as a NUL-terminated string (a few live at once). */
static const char *
part(const char *s, CompanyNameSpan sp)
{
	char *b = part_buf[part_next++ % 8];

	memcpy(b, s + sp.off, sp.len);
	b[sp.len] = '\0';
	return b;
}

static const char *
cls(const CompanyName *cn)
{
	return cn->industry_class ? cn->industry_class : "";
}

/* Parse name and compare all parts in one line: region|trade|industry|class|form|branch */
static void
check_parse(const char *name, const char *want, int is_company)
{
	CompanyName cn;
	char        got[2048];
	bool        c = company_name_parse(name, strlen(name), &cn);

	snprintf(got, sizeof(got), "%s|%s|%s|%s|%s|%s", part(name, cn.region),
			 part(name, cn.trade_name), part(name, cn.industry), cls(&cn), part(name, cn.form),
			 part(name, cn.branch));
	is_str(got, want, "parse %s", name);
	is_int(c, is_company, "  %s is %sa company name", name, is_company ? "" : "not ");
}

static const char *
key(const char *name)
{
	static char out[1100];

	company_name_key(name, strlen(name), out);
	return out;
}

static CompanyPartCmp
region_cmp(const char *a, const char *b)
{
	CompanyName pa, pb;

	company_name_parse(a, strlen(a), &pa);
	company_name_parse(b, strlen(b), &pb);
	return company_name_region_cmp(a, &pa, b, &pb);
}

static CompanyPartCmp
region_cmp_names(const char *a, const char *b)
{
	CompanyName pa, pb;

	company_name_parse(a, strlen(a), &pa);
	company_name_parse(b, strlen(b), &pb);
	return company_name_region_cmp_names(a, &pa, b, &pb);
}

static CompanyPartCmp
industry_cmp(const char *a, const char *b)
{
	CompanyName pa, pb;

	company_name_parse(a, strlen(a), &pa);
	company_name_parse(b, strlen(b), &pb);
	return company_name_industry_cmp(&pa, &pb);
}

static double
csim(const char *a, const char *b)
{
	double x = company_name_similarity(a, strlen(a), b, strlen(b));
	double y = company_name_similarity(b, strlen(b), a, strlen(a));

	if (x != y)
		printf("#   asymmetric: %f %f\n", x, y);
	return x == y ? x : -1.0;
}

/* Every span lies inside the string, and no two overlap. */
static int
spans_sane(const char *s, size_t len)
{
	CompanyName     cn;
	CompanyNameSpan sp[6];

	company_name_parse(s, len, &cn);
	sp[0] = cn.region;
	sp[1] = cn.trade_name;
	sp[2] = cn.industry;
	sp[3] = cn.form;
	sp[4] = cn.branch;
	sp[5] = cn.region_last;
	for (int i = 0; i < 6; i++)
		if (sp[i].len > 0 && (sp[i].off > len || sp[i].len > len - sp[i].off))
			return 0;
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			if (sp[i].len > 0 && sp[j].len > 0 && sp[i].off < sp[j].off + sp[j].len &&
				sp[j].off < sp[i].off + sp[i].len)
				return 0;
	if (cn.region_last.len > 0 &&
		(cn.region_last.off < cn.region.off ||
		 cn.region_last.off + cn.region_last.len > cn.region.off + cn.region.len))
		return 0;
	return 1;
}

/* A word list: every word non-empty, valid UTF-8 without stray bytes, unique. */
static int
list_sane(const CompanyWord *list, size_t n, int need_info)
{
	for (size_t i = 0; i < n; i++)
	{
		uint32_t cps[64];
		size_t   k = sim_decode(S(list[i].word), cps, 64);

		if (k == 0 || (need_info && list[i].info == NULL))
			return 0;
		for (size_t j = 0; j < k; j++)
			if (cps[j] >= SIM_STRAY_BYTE)
				return 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(list[i].word, list[j].word) == 0)
			{
				printf("#   duplicate %s\n", list[i].word);
				return 0;
			}
	}
	return 1;
}

int
main(void)
{
	/* The four parts of decree 734 art. 6, and the region in brackets. */
	check_parse("衡阳市华湘置业有限公司", "衡阳市|华湘|置业|real_estate|有限公司|", 1);
	check_parse("华湘置业(衡阳)有限公司", "衡阳|华湘|置业|real_estate|有限公司|", 1);
	check_parse("华湘(衡阳)置业有限公司", "衡阳|华湘|置业|real_estate|有限公司|", 1);
	check_parse("衡阳华湘置业有限公司", "衡阳|华湘|置业|real_estate|有限公司|", 1);
	check_parse("湖南省衡阳市雁峰区华湘置业有限公司",
				"湖南省衡阳市雁峰区|华湘|置业|real_estate|有限公司|", 1);
	check_parse("华湘物业管理有限公司", "|华湘|物业管理|property_management|有限公司|", 1);
	check_parse("华湘置业", "|华湘|置业|real_estate||", 1);
	check_parse("华湘物业", "|华湘|物业|property_management||", 1);

	/* Industry: longest word, then more words before it; general words do not decide the class. */
	check_parse("华湘房地产开发有限公司", "|华湘|房地产开发|real_estate|有限公司|", 1);
	check_parse("华湘置业发展有限公司", "|华湘|置业发展|real_estate|有限公司|", 1);
	check_parse("华湘实业有限公司", "|华湘|实业|general|有限公司|", 1);
	check_parse("衡阳县华湘建设工程有限公司", "衡阳县|华湘|建设工程|construction|有限公司|", 1);
	check_parse("华湘大酒店", "|华湘大|酒店|hospitality||", 1);

	/* Forms: partnerships, co-operatives, groups, individual businesses. */
	check_parse("衡阳华湘投资合伙企业(有限合伙)", "衡阳|华湘|投资|investment|合伙企业(有限合伙)|",
				1);
	check_parse("衡南县华湘农民专业合作社", "衡南县|华湘|||农民专业合作社|", 1);
	check_parse("华湘集团有限公司", "|华湘|||集团有限公司|", 1);
	check_parse("华湘置业股份公司", "|华湘|置业|real_estate|股份公司|", 1);
	check_parse("雁峰区张三餐馆", "雁峰区|张三|餐馆|catering||", 1);

	/* Branches keep their own part apart from the head office's name. */
	check_parse("华湘置业有限公司衡阳分公司", "|华湘|置业|real_estate|有限公司|衡阳分公司", 1);
	check_parse("中国工商银行股份公司衡阳分行", "|中国工商|银行|finance|股份公司|衡阳分行", 1);
	check_parse("华湘超市雁峰分店", "|华湘|超市|retail||雁峰分店", 1);

	/* (中国) and (集团) are flags, not part of the 字号. */
	{
		CompanyName cn;
		const char *n1 = "可口可乐(中国)饮料有限公司";
		const char *n2 = "华湘(集团)有限公司";

		company_name_parse(S(n1), &cn);
		ok(cn.china && strcmp(part(n1, cn.trade_name), "可口可乐") == 0 &&
			   strcmp(part(n1, cn.industry), "饮料") == 0,
		   "(中国) is a flag: 可口可乐 + 饮料");
		company_name_parse(S(n2), &cn);
		ok(cn.group && !cn.china && strcmp(part(n2, cn.trade_name), "华湘") == 0,
		   "(集团) is a flag");
		company_name_parse(S("华湘置业(衡阳)有限公司"), &cn);
		ok(cn.region_bracketed, "a bracketed region is marked");
		company_name_parse(S("华湘置业有限公司衡阳分公司"), &cn);
		ok(cn.is_branch && !cn.region_bracketed && cn.region.len == 0,
		   "a branch's place is part of the branch, not the region");
	}

	/* Not regions: words that end like one. */
	check_parse("华湘市政工程有限公司", "|华湘|市政工程|construction|有限公司|", 1);
	check_parse("阳光小区物业管理有限公司", "|阳光小区|物业管理|property_management|有限公司|", 1);
	/*
	 * Districts and counties of the home province (Hunan) count in their
	 * short form too (decree 734 lets the region stand with or without its
	 * suffix): 珠晖区 -> 珠晖, 耒阳市 -> 耒阳, first or in brackets.
	 */
	check_parse("衡山华湘置业有限公司", "衡山|华湘|置业|real_estate|有限公司|", 1);
	check_parse("珠晖华湘商贸股份公司", "珠晖|华湘|商贸|trade|股份公司|", 1);
	check_parse("华湘商贸(珠晖)股份公司", "珠晖|华湘|商贸|trade|股份公司|", 1);
	check_parse("华湘(珠晖)商贸股份公司", "珠晖|华湘|商贸|trade|股份公司|", 1);
	check_parse("珠晖区华湘商贸有限公司", "珠晖区|华湘|商贸|trade|有限公司|", 1);
	check_parse("衡阳市珠晖区华湘商贸有限公司", "衡阳市珠晖区|华湘|商贸|trade|有限公司|", 1);
	check_parse("耒阳华湘物业有限公司", "耒阳|华湘|物业|property_management|有限公司|", 1);
	check_parse("衡南华湘商贸", "衡南|华湘|商贸|trade||", 1);
	check_parse("华湘商贸(衡南县)有限公司", "衡南县|华湘|商贸|trade|有限公司|", 1);
	/* several levels in brackets */
	check_parse("雅辉装饰工程(衡阳市衡南县)有限公司",
				"衡阳市衡南县|雅辉|装饰工程|decoration|有限公司|", 1);
	check_parse("华湘(湖南省衡阳市)置业有限公司", "湖南省衡阳市|华湘|置业|real_estate|有限公司|",
				1);
	/* ... but only levels that lie in each other: (长沙市衡阳) is not a region */
	check_parse("华湘置业(长沙市珠晖)有限公司", "|华湘置业(长沙市珠晖)|||有限公司|", 1);
	/* a short form that leaves only an industry is the 字号, as 衡阳置业 is */
	check_parse("衡山置业有限公司", "|衡山|置业|real_estate|有限公司|", 1);
	/* outside the home province a district or county needs its suffix */
	check_parse("海淀区华湘置业有限公司", "海淀区|华湘|置业|real_estate|有限公司|", 1);
	check_parse("海淀华湘置业有限公司", "|海淀华湘|置业|real_estate|有限公司|", 1);
	/* an abolished division a registry still writes (宁乡县, 2017 宁乡市) */
	check_parse("宁乡县华湘置业有限公司", "宁乡县|华湘|置业|real_estate|有限公司|", 1);
	/* a development zone is not a division: no short form */
	check_parse("衡阳松木华湘置业有限公司", "衡阳|松木华湘|置业|real_estate|有限公司|", 1);
	check_parse("深圳市华为技术有限公司", "深圳市|华为|技术|technology|有限公司|", 1);
	check_parse("湘西土家族苗族自治州华湘农业开发有限公司",
				"湘西土家族苗族自治州|华湘|农业开发|agriculture|有限公司|", 1);
	/* A second level must lie in the first: 南昌 (Jiangxi) after 常德市 is a 字号. */
	check_parse("常德市南昌文化传媒有限公司", "常德市|南昌|文化传媒|culture_media|有限公司|", 1);
	check_parse("湖南长沙县华湘置业有限公司", "湖南长沙县|华湘|置业|real_estate|有限公司|", 1);
	/* The region is the 字号 when nothing else is left (衡阳置业 is 字号 衡阳). */
	check_parse("衡阳置业有限公司", "|衡阳|置业|real_estate|有限公司|", 1);
	check_parse("湖南衡阳置业有限公司", "湖南|衡阳|置业|real_estate|有限公司|", 1);

	/* Person names are not company names. */
	check_parse("张伟", "|张伟||||", 0);
	check_parse("欧阳修", "|欧阳修||||", 0);
	check_parse("阿依古丽·买买提", "|阿依古丽·买买提||||", 0);
	check_parse("", "|||||", 0);

	/* Blocking key: the 字号, the same for every way of writing the name. */
	is_str(key("衡阳市华湘置业有限公司"), "华湘", "key of 衡阳市华湘置业有限公司");
	is_str(key("华湘置业(衡阳)有限公司"), "华湘", "key with a bracketed region");
	is_str(key("湖南华湘物业管理有限公司"), "华湘",
		   "华湘物业 shares the block (parts tell them apart)");
	is_str(key("华湘置业有限公司衡阳分公司"), "华湘", "a branch has its head office's key");
	is_str(key("张伟"), "张伟", "a person's name is its own key");
	is_str(key(""), "", "empty name, empty key");

	/* Regions. */
	is_int(region_cmp("衡阳市华湘置业有限公司", "华湘置业(衡阳)有限公司"), COMPANY_PART_SAME,
		   "衡阳市 ~ (衡阳)");
	is_int(region_cmp("衡阳市华湘置业有限公司", "衡阳县华湘置业有限公司"), COMPANY_PART_DIFFERENT,
		   "衡阳市 is not 衡阳县");
	is_int(region_cmp("衡阳华湘置业有限公司", "衡阳县华湘置业有限公司"), COMPANY_PART_SAME,
		   "bare 衡阳 ~ 衡阳县");
	is_int(region_cmp("衡阳市华湘置业有限公司", "长沙市华湘置业有限公司"), COMPANY_PART_DIFFERENT,
		   "衡阳市 is not 长沙市");
	is_int(region_cmp("雁峰区华湘置业有限公司", "衡阳市华湘置业有限公司"), COMPANY_PART_SAME,
		   "雁峰区 lies in 衡阳市");
	is_int(region_cmp("雁峰区华湘置业有限公司", "湖南华湘置业有限公司"), COMPANY_PART_SAME,
		   "雁峰区 lies in 湖南");
	is_int(region_cmp("雁峰区华湘置业有限公司", "长沙市华湘置业有限公司"), COMPANY_PART_DIFFERENT,
		   "雁峰区 is not in 长沙市");
	is_int(region_cmp("衡阳市雁峰区华湘置业有限公司", "衡阳华湘置业有限公司"), COMPANY_PART_SAME,
		   "衡阳市雁峰区 ~ 衡阳");
	is_int(region_cmp("华湘置业有限公司", "衡阳华湘置业有限公司"), COMPANY_PART_MISSING,
		   "no region on one side: missing");
	is_int(region_cmp("深圳市华为技术有限公司", "广东华为技术有限公司"), COMPANY_PART_SAME,
		   "深圳 lies in 广东");

	/* Regions of two names: the most specific levels must name one division. */
	is_int(region_cmp_names("衡阳华湘物业有限公司", "耒阳华湘物业有限公司"), COMPANY_PART_DIFFERENT,
		   "names: 衡阳 is not 耒阳, though 耒阳 lies in 衡阳");
	is_int(region_cmp("衡阳华湘物业有限公司", "耒阳华湘物业有限公司"), COMPANY_PART_SAME,
		   "places: 耒阳 lies in 衡阳");
	is_int(region_cmp_names("华湘物业(衡阳)有限公司", "衡阳华湘物业有限公司"), COMPANY_PART_SAME,
		   "names: (衡阳) = 衡阳");
	is_int(region_cmp_names("华湘物业(衡阳)有限公司", "耒阳华湘物业有限公司"),
		   COMPANY_PART_DIFFERENT, "names: (衡阳) is not 耒阳");
	is_int(region_cmp_names("衡阳华湘物业有限公司", "湖南省衡阳市华湘物业有限公司"),
		   COMPANY_PART_SAME, "names: 衡阳 = 湖南省衡阳市");
	is_int(region_cmp_names("衡阳华湘物业有限公司", "衡阳县华湘物业有限公司"),
		   COMPANY_PART_DIFFERENT, "names: 衡阳 (the city) is not 衡阳县");
	is_int(region_cmp_names("衡阳市珠晖区华湘商贸有限公司", "华湘商贸(珠晖)有限公司"),
		   COMPANY_PART_SAME, "names: 衡阳市珠晖区 = (珠晖)");
	is_int(region_cmp_names("衡阳市珠晖区华湘商贸有限公司", "衡阳华湘商贸有限公司"),
		   COMPANY_PART_DIFFERENT, "names: 衡阳市珠晖区 is not 衡阳");
	is_int(region_cmp_names("雅辉装饰工程(衡阳市衡南县)有限公司", "衡南县雅辉装饰工程有限公司"),
		   COMPANY_PART_SAME, "names: (衡阳市衡南县) = 衡南县");
	is_int(region_cmp_names("耒阳市华湘物业有限公司", "衡阳市耒阳市华湘物业有限公司"),
		   COMPANY_PART_SAME, "names: 耒阳市 = 衡阳市耒阳市");
	is_int(region_cmp_names("宁乡县华湘置业有限公司", "宁乡华湘置业有限公司"), COMPANY_PART_SAME,
		   "names: the abolished 宁乡县 and 宁乡 (宁乡市)");
	is_int(region_cmp_names("华湘置业有限公司", "衡阳华湘置业有限公司"), COMPANY_PART_MISSING,
		   "names: no region on one side: missing");

	/* Every county-level division of the table is read as the region of a name. */
	{
		size_t bad = 0, n = 0;

		for (size_t i = 0; i < company_region_names_count; i++)
		{
			const CompanyRegionName *r = &company_region_names[i];
			char                     name[256];
			CompanyName              cn;

			if (r->level != 3)
				continue;
			n++;
			snprintf(name, sizeof(name), "%s华湘置业有限公司", r->full);
			company_name_parse(S(name), &cn);
			if (strcmp(part(name, cn.region_last), r->full) != 0 ||
				strcmp(part(name, cn.trade_name), "华湘") != 0)
			{
				if (bad++ < 5)
					printf("#   %s %s: region %s\n", r->code, name, part(name, cn.region_last));
			}
			if (r->bare_ok)
			{
				snprintf(name, sizeof(name), "%s华湘置业有限公司", r->bare);
				company_name_parse(S(name), &cn);
				if (strcmp(part(name, cn.region_last), r->bare) != 0)
				{
					if (bad++ < 5)
						printf("#   %s %s: region %s\n", r->code, name, part(name, cn.region_last));
				}
			}
		}
		ok(n > 2900 && bad == 0, "all %zu county-level divisions are read as regions (%zu not)", n,
		   bad);
	}

	/* Industries by class. */
	is_int(industry_cmp("华湘置业有限公司", "华湘物业有限公司"), COMPANY_PART_DIFFERENT,
		   "置业 is not 物业");
	is_int(industry_cmp("华湘置业有限公司", "华湘房地产开发有限公司"), COMPANY_PART_SAME,
		   "置业 ~ 房地产开发");
	is_int(industry_cmp("华湘置业有限公司", "华湘实业有限公司"), COMPANY_PART_MISSING,
		   "实业 says nothing");
	is_int(industry_cmp("华湘置业有限公司", "华湘有限公司"), COMPANY_PART_MISSING,
		   "no industry on one side");

	/* Compare forms. */
	{
		const char *n = "湖南衡阳华湘置业集团有限公司";
		CompanyName cn;
		char        out[128];

		company_name_parse(S(n), &cn);
		company_name_compare_form(n, &cn, 0, out);
		is_str(out, "华湘置业", "compare form: 字号 + industry");
		company_name_compare_form(n, &cn, COMPANY_CMP_REGION | COMPANY_CMP_FORM, out);
		is_str(out, "衡阳华湘置业有限公司", "with region's last level and form (集团 is a flag)");
	}

	/* The similarity that knows the parts. */
	ok(csim("衡阳市华湘置业有限公司", "华湘置业(衡阳)有限公司") == 1.0,
	   "a region moved into brackets is the same name");
	ok(csim("衡阳华湘置业有限公司", "湖南省衡阳市华湘置业有限公司") == 1.0,
	   "more region levels: the same name");
	ok(csim("华湘置业有限公司", "华湘置业") == 1.0, "a form left out is no difference");
	ok(csim("华湘置业有限公司", "华湘物业有限公司") <= COMPANY_CONFLICT_CAP,
	   "华湘置业 vs 华湘物业: industries differ, at most the cap");
	ok(csim("华湘置业", "华湘物业") <= COMPANY_CONFLICT_CAP, "also without a form");
	ok(csim("衡阳市华湘置业有限公司", "长沙市华湘置业有限公司") <= COMPANY_CONFLICT_CAP,
	   "the same 字号 in another city is another company");
	ok(csim("华湘置业有限公司衡阳分公司", "华湘置业有限公司") <= COMPANY_CONFLICT_CAP,
	   "a branch is not its head office");
	ok(csim("可口可乐(中国)饮料有限公司", "可口可乐饮料有限公司") <= COMPANY_CONFLICT_CAP,
	   "(中国) is another entity");
	ok(csim("华湘集团有限公司", "华湘有限公司") <= COMPANY_CONFLICT_CAP,
	   "a group is not its member");
	ok(csim("华湘(集团)有限公司", "华湘集团有限公司") == 1.0, "(集团) = 集团");
	ok(csim("衡阳华湘物业有限公司", "耒阳华湘物业有限公司") <= COMPANY_CONFLICT_CAP,
	   "衡阳华湘物业 and 耒阳华湘物业 are two names");
	ok(csim("华湘物业(衡阳)有限公司", "衡阳华湘物业有限公司") == 1.0,
	   "华湘物业(衡阳) = 衡阳华湘物业");
	ok(csim("华湘商贸(珠晖)股份公司", "珠晖华湘商贸股份公司") == 1.0,
	   "a short district name first or in brackets: the same name");
	ok(csim("衡阳市珠晖区华湘商贸有限公司", "珠晖华湘商贸有限公司") == 1.0,
	   "衡阳市珠晖区 and 珠晖: the same name");
	{
		/*
		 * Two branches: at most the similarity of their own parts.
		 * 衡阳分公司 / 长沙分公司: window 1, 分公司 match (m = 3, t = 0): jaro
		 * (3/5 + 3/5 + 1)/3 = 0.73333, no prefix; bigrams share 分公 and 公司
		 * of 4 each: dice 0.5; lambda 1/2: 0.61667.
		 */
		double s = csim("华湘置业有限公司衡阳分公司", "华湘置业有限公司长沙分公司");

		ok(fabs(s - (0.73333333 + 0.5) / 2.0) < 1e-6, "two branches: their own parts decide (%.5f)",
		   s);
	}
	{
		/*
		 * A one-character typo in the 字号, region moved: compare 华湘置业有限公司
		 * with 华相置业有限公司: 7 of 8 match in place, jaro (7/8 + 7/8 + 1)/3 =
		 * 0.91667, prefix 1: jw 0.925; bigrams: 5 of 7 shared: dice 10/14;
		 * name (0.925 + 0.714286)/2 = 0.819643.
		 */
		double s = csim("衡阳市华湘置业有限公司", "华相置业(衡阳)有限公司");

		ok(fabs(s - (0.925 + 10.0 / 14.0) / 2.0) < 1e-6, "a typo in the 字号 (%.5f)", s);
	}
	ok(csim("张伟", "张伟") == 1.0 && fabs(csim("张伟", "张玮") - 0.7 * 5.0 / 6.0) < 1e-9,
	   "person names: plain sim_name");

	/* Part by part, for a model that scores name, region and industry apart. */
	{
		CompanyComparison c;
		const char       *a = "衡阳市华湘置业有限公司";
		const char       *b = "华湘置业(衡阳)有限公司";

		company_name_compare(S(a), S(b), &c);
		ok(c.name == 1.0 && c.region == COMPANY_PART_SAME && c.industry == COMPANY_PART_SAME &&
			   c.same_kind && !c.branches,
		   "compare: a moved region, everything agrees");

		/*
		 * 华湘置业有限公司 / 华湘物业有限公司: 7 of 8 match in place: jaro
		 * (7/8 + 7/8 + 1)/3 = 0.916667, prefix 2: jw 0.933333; bigrams share
		 * 华湘 业有 有限 限公 公司, 5 of 7 each: dice 10/14; name
		 * (0.933333 + 0.714286)/2 = 0.823810.
		 */
		company_name_compare(S("华湘置业有限公司"), S("华湘物业有限公司"), &c);
		ok(fabs(c.name - 0.823810) < 1e-6 && c.region == COMPANY_PART_MISSING &&
			   c.industry == COMPANY_PART_DIFFERENT && c.same_kind,
		   "compare: the trap is a name match and an industry mismatch (%.6f)", c.name);

		company_name_compare(S("衡阳市华湘置业有限公司"), S("长沙市华湘置业有限公司"), &c);
		ok(c.name == 1.0 && c.region == COMPANY_PART_DIFFERENT,
		   "compare: the region is its own field");

		company_name_compare(S("华湘置业有限公司衡阳分公司"), S("华湘置业有限公司长沙分公司"), &c);
		ok(c.branches && c.same_kind && fabs(c.branch - (0.73333333 + 0.5) / 2.0) < 1e-6,
		   "compare: two branches, their own parts compared");
		company_name_compare(S("华湘置业有限公司衡阳分公司"), S("华湘置业有限公司"), &c);
		ok(!c.branches && !c.same_kind && c.branch == 1.0, "compare: a branch and its head office");

		company_name_compare(S("张伟"), S("张玮"), &c);
		ok(fabs(c.name - 0.7 * 5.0 / 6.0) < 1e-9 && c.region == COMPANY_PART_MISSING &&
			   c.industry == COMPANY_PART_MISSING,
		   "compare: person names");
	}

	/* Robustness: odd bytes and brackets never break the spans. */
	{
		static const char *const odd[] = {
			"(",
			")",
			"()",
			"((((",
			"))))",
			")(",
			"(衡阳)",
			"(衡阳)有限公司",
			"(中国)",
			"有限公司",
			"分公司",
			"公司分公司",
			"衡阳市",
			"衡阳市分公司",
			"\xff\xfe\xfd",
			"华湘\xe5\x8d有限公司",
			"衡阳\xe5",
			"\xe5\x8d\x8e",
			"华湘置业(衡阳",
			"华湘置业衡阳)有限公司",
			"(有限合伙)",
			"衡阳市衡阳市衡阳市衡阳市衡阳市华湘",
			"湖南(湖南)(湖南)(湖南)(湖南)(湖南)置业",
		};
		int bad = 0;

		for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		{
			double s = csim(odd[i], "华湘置业有限公司");

			if (!spans_sane(S(odd[i])) || !(s >= 0.0 && s <= 1.0) || csim(odd[i], odd[i]) != 1.0)
			{
				printf("#   bad: %s\n", odd[i]);
				bad++;
			}
		}
		is_int(bad, 0, "odd inputs parse into sane spans and score in [0, 1]");
	}

	/* On names parsed once: the same as parsing inside, on every pair of a mixed list. */
	{
		static const char *const names[] = {"衡阳华湘置业有限公司",
											"华湘置业(衡阳)有限公司",
											"衡阳华湘物业有限公司",
											"长沙华湘置业有限公司",
											"衡阳华相置业有限公司",
											"湖南华湘置业股份公司",
											"华湘置业有限公司",
											"华湘置业有限公司衡阳分公司",
											"华湘置业有限公司雁峰分公司",
											"华湘置业(中国)有限公司",
											"衡阳华湘集团有限公司",
											"张三",
											"张三丰",
											"衡阳鑫源建设工程有限公司",
											"鑫源建设(衡阳)有限公司",
											"华湘超市雁峰分店",
											"衡阳置业有限公司",
											""};
		size_t                   k = sizeof(names) / sizeof(names[0]);
		int                      same = 0, pairs = 0;

		for (size_t i = 0; i < k; i++)
			for (size_t j = 0; j < k; j++)
			{
				const char       *a = names[i], *b = names[j];
				size_t            na = strlen(a), nb = strlen(b);
				CompanyName       pa, pb;
				CompanyComparison c1, c2;

				company_name_parse(a, na, &pa);
				company_name_parse(b, nb, &pb);
				company_name_compare(a, na, b, nb, &c1);
				company_name_compare_parsed(a, na, &pa, b, nb, &pb, &c2);
				pairs++;
				if (c1.name == c2.name && c1.region == c2.region && c1.industry == c2.industry &&
					c1.same_kind == c2.same_kind && c1.branches == c2.branches &&
					c1.branch == c2.branch &&
					company_name_similarity(a, na, b, nb) ==
						company_name_similarity_parsed(a, na, &pa, b, nb, &pb))
					same++;
			}
		is_int(same, pairs,
			   "compare and similarity on parsed names equal the plain ones on %d pairs", pairs);
	}

	/* Word lists. */
	ok(list_sane(company_forms, company_forms_count, 0), "forms: non-empty, valid UTF-8, unique");
	ok(list_sane(company_industries, company_industries_count, 1),
	   "industries: non-empty, valid UTF-8, unique, each with a class");
	ok(list_sane(company_branch_markers, company_branch_markers_count, 0),
	   "branch markers: non-empty, valid UTF-8, unique");
	ok(company_industries_count >= 60, "at least 60 industry words (%zu)",
	   company_industries_count);

	return done_testing();
}
