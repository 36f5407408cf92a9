/*
 * company_name_words.h
 *		The word tables of the company name parser (company_name_words.c):
 *		what the parser (company_name.c), the tests and the documentation
 *		read.
 */
#ifndef TAXSHARE_COMPANY_NAME_WORDS_H
#define TAXSHARE_COMPANY_NAME_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* A word of a list. */
typedef struct CompanyWord
{
	const char *word; /* UTF-8 */
	size_t      len;  /* its length in bytes */
	const char *info; /* the industry class, or NULL */
} CompanyWord;

/* A region name: the full name, the bare name, the division it lies in. */
typedef struct CompanyRegionName
{
	const char *full;
	size_t      full_len;
	const char *bare;
	size_t      bare_len;
	const char *parent; /* bare name of the enclosing division, or NULL */
	size_t      parent_len;
	bool        bare_ok; /* the bare name alone counts as a region */
} CompanyRegionName;

/* Most words in one table (the parser's byte index has room for this many). */
#define COMPANY_WORDS_MAX 512

extern const CompanyWord       company_forms[];
extern const size_t            company_forms_count;
extern const CompanyWord       company_branch_markers[];
extern const size_t            company_branch_markers_count;
extern const CompanyWord       company_industries[];
extern const size_t            company_industries_count;
extern const CompanyRegionName company_region_names[];
extern const size_t            company_region_names_count;

/* Suffixes of the generic region rule; the first few may follow a long name. */
extern const CompanyWord company_region_suffixes[];
extern const size_t      company_region_suffixes_count;
#define COMPANY_REGION_AUTONOMOUS_SUFFIXES 5

extern const CompanyWord company_not_region_endings[];
extern const size_t      company_not_region_endings_count;
extern const CompanyWord company_not_region_followers[];
extern const size_t      company_not_region_followers_count;

#endif /* TAXSHARE_COMPANY_NAME_WORDS_H */
