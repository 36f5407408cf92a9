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

/*
 * A GB/T 2260 division: its code, full name and bare name (the full name
 * without its suffix: 珠晖区 -> 珠晖).  The table is generated from the
 * division data (src/match/division_data.c, scripts/division_import.sh), the
 * same data as the rows of taxshare.division.
 */
typedef struct CompanyRegionName
{
	const char   *code; /* 6 digits */
	const char   *full;
	size_t        full_len;
	const char   *bare;
	size_t        bare_len;
	int           parent;    /* index of the enclosing division in the table, or -1 */
	unsigned char level;     /* 1 province, 2 prefecture, 3 county */
	bool          bare_ok;   /* the bare name alone counts as a region */
	bool          abolished; /* abolished, or an old name of a division */
} CompanyRegionName;

/* Most names in the region table (the parser's region index has room for this many). */
#define COMPANY_REGIONS_MAX 8192

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
