/*
 * company_name.h
 *		Pure core: the parts of a Chinese company name, a blocking key and a
 *		name similarity that knows those parts (docs/matching.md, "Company
 *		names").
 *
 * A company name is 行政区划 + 字号 + 行业或者经营特点 + 组织形式 (企业名称登记
 * 管理规定, State Council decree 734, art. 6).  The region may be left out or
 * written in brackets after the 字号 (华湘置业(衡阳)有限公司 is 衡阳华湘置业
 * 有限公司); a branch (分公司, 分店, 营业部 ...) is its head office's name
 * followed by its own part; "(中国)" marks a distinct entity.  The parser
 * finds these parts in a name that went through normalize_name() first
 * (half-width brackets, no spaces, 有限责任公司 -> 有限公司, 股份有限公司 ->
 * 股份公司).
 *
 * The parser never allocates: parts are byte offsets and lengths into the
 * caller's string, and it reads exactly len bytes (no NUL needed).  Any bytes,
 * including invalid UTF-8, are accepted; what is not recognised stays in the
 * 字号.
 */
#ifndef TAXSHARE_COMPANY_NAME_H
#define TAXSHARE_COMPANY_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* The word lists the parser uses, exported for tests and documentation. */
#include "match/company_name_words.h"

/* A part of the name: bytes [off, off + len) of the parsed string. */
typedef struct CompanyNameSpan
{
	size_t off;
	size_t len; /* 0: the part is absent */
} CompanyNameSpan;

#define COMPANY_MAX_REGION_LEVELS 4

typedef struct CompanyName
{
	CompanyNameSpan region; /* all leading levels (湖南省衡阳市), or the bracketed one */
	int             region_levels; /* how many levels: 湖南省 衡阳市 is 2 */
	CompanyNameSpan region_level[COMPANY_MAX_REGION_LEVELS];
	CompanyNameSpan region_last;      /* the most specific level (衡阳市) */
	bool            region_bracketed; /* written as (衡阳) after the 字号 */
	CompanyNameSpan trade_name;       /* 字号 */
	CompanyNameSpan industry;         /* 行业或者经营特点 */
	const char     *industry_class; /* class of the industry words ("real_estate"), NULL if none */
	CompanyNameSpan form;       /* 组织形式 (有限公司, 股份公司, (有限合伙) ...) */
	bool            group;      /* 集团: in the form or as (集团) */
	bool            china;      /* (中国) */
	bool            is_branch;  /* 分公司, 分店, 营业部, 分行, 支行 ... */
	CompanyNameSpan branch;     /* the branch's own part (衡阳分公司), after the head's name */
	bool            is_company; /* a form, an industry or a branch marker was found */
} CompanyName;

/*
 * Longest names parsed, in bytes; longer strings are not names, and are
 * compared as plain strings by sim_name().
 */
#define COMPANY_NAME_MAX_BYTES 1024

/* The industry class of words that only describe, never tell companies apart. */
#define COMPANY_INDUSTRY_GENERAL "general"

/*
 * Parse s[0..len), a name after normalize_name().  Fills *out and returns
 * out->is_company: false means nothing company-like was found (a person's
 * name, say), and then the whole name (less a leading region) is the 字号.
 * Strings longer than COMPANY_NAME_MAX_BYTES are not names and are not
 * parsed: the whole string is the 字号.
 */
extern bool company_name_parse(const char *s, size_t len, CompanyName *out);

/*
 * Blocking key into out (capacity len + 1, NUL-terminated): the 字号, or the
 * whole name when no 字号 was found.  A branch has its head office's key.
 * Returns the key's length.
 */
extern size_t company_name_key(const char *s, size_t len, char *out);

/* Comparing two parsed names part by part. */
typedef enum CompanyPartCmp
{
	COMPANY_PART_MISSING = -1, /* absent on either side: no evidence */
	COMPANY_PART_SAME = 0,
	COMPANY_PART_DIFFERENT = 1
} CompanyPartCmp;

/*
 * Regions as places (an address, a division code's name against a name):
 * SAME when the most specific level of one is one of the levels of the
 * other or a division they lie in (雁峰区 ~ 衡阳市雁峰区 ~ 衡阳 ~ 湖南省, as
 * far as the division table knows them), a bare name matching a suffixed
 * one (衡阳 ~ 衡阳市, but 衡阳市 is not 衡阳县).
 */
extern CompanyPartCmp company_name_region_cmp(const char *a, const CompanyName *pa, const char *b,
											  const CompanyName *pb);

/*
 * Regions of two company names: SAME only when their most specific levels
 * name the same division (衡阳 ~ 衡阳市 ~ 湖南省衡阳市 ~ (衡阳); 衡阳 is not
 * 耒阳, though 耒阳 lies in 衡阳: a name states one division).
 */
extern CompanyPartCmp company_name_region_cmp_names(const char *a, const CompanyName *pa,
													const char *b, const CompanyName *pb);

/* Industries by class; the class "general" (实业, 发展 ...) counts as missing. */
extern CompanyPartCmp company_name_industry_cmp(const CompanyName *pa, const CompanyName *pb);

/*
 * The name without the parts that may legitimately vary, for string
 * comparison: 字号 + industry + [form] + branch part, the region's most
 * specific level first when COMPANY_CMP_REGION is set, the form only when
 * COMPANY_CMP_FORM is set.  out needs len + 1 bytes; NUL-terminated; returns
 * the length.
 */
#define COMPANY_CMP_REGION 0x01
#define COMPANY_CMP_FORM   0x02
extern size_t company_name_compare_form(const char *s, const CompanyName *cn, int flags, char *out);

/*
 * Two names compared part by part: the fields a Fellegi-Sunter model scores
 * separately (fellegi_sunter.h: name, region, industry).
 */
typedef struct CompanyComparison
{
	double         name; /* sim_name() of the compare forms (no region; form only if both) */
	CompanyPartCmp region;
	CompanyPartCmp industry;
	bool           same_kind; /* false: branch vs not, or (中国) or 集团 on one side only */
	bool           branches;  /* both names are branches */
	double         branch;    /* two branches: sim_name() of their own parts; else 1 */
} CompanyComparison;

/*
 * Compare two names after normalize_name().  When neither is company-like,
 * name is sim_name() of the whole names.  Names longer than
 * COMPANY_NAME_MAX_BYTES are not parsed: name is sim_name() of the whole
 * names, region and industry missing.
 */
extern void company_name_compare(const char *a, size_t alen, const char *b, size_t blen,
								 CompanyComparison *out);


/* Upper bound of the similarity of two names whose parts conflict. */
#define COMPANY_CONFLICT_CAP 0.5

/*
 * Similarity of two names after normalize_name(), in [0, 1], symmetric, 1
 * for equal names: the name of company_name_compare() (so a region moved
 * into brackets or left out, or a form left out, is no difference), capped
 * at COMPANY_CONFLICT_CAP when the parts say "different company": the
 * regions differ, the industry classes differ, or not the same kind (a branch
 * and its head office, (中国) or 集团 on one side only); for two branches, at
 * most the similarity of their own parts.
 */
extern double company_name_similarity(const char *a, size_t alen, const char *b, size_t blen);

/*
 * The same two steps on names parsed once by the caller (pa, pb from
 * company_name_parse() of a and b, each at most COMPANY_NAME_MAX_BYTES):
 * for code that compares one name with many, such as entity resolution.
 * They give exactly what company_name_compare() and
 * company_name_similarity() give for the same names.
 */
extern void   company_name_compare_parsed(const char *a, size_t alen, const CompanyName *pa,
										  const char *b, size_t blen, const CompanyName *pb,
										  CompanyComparison *out);
extern double company_name_similarity_parsed(const char *a, size_t alen, const CompanyName *pa,
											 const char *b, size_t blen, const CompanyName *pb);

#endif /* TAXSHARE_COMPANY_NAME_H */
