/*
 * template_layout.h
 *		The pure core of the templates (template_xlsx): how each catalog field
 *		type becomes a column of the data sheet, and the sizes Excel needs.
 *
 * Plain C, no server headers (listed in the Makefile's CORE_SRCS, tested by
 * test/unit/test_template_layout.c); src/formats/template_fmgr.c writes the
 * workbook from what these say.
 */
#ifndef FORMATS_TEMPLATE_LAYOUT_H
#define FORMATS_TEMPLATE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* What a column holds, which decides its cell format and its validation. */
typedef enum TemplateKind
{
	TK_TEXT,     /* string, yearmonth: text cells ('@') */
	TK_IDENT,    /* uscc, idcard, orgcode, division, phone: text cells, length checked */
	TK_NUMBER,   /* number: a decimal */
	TK_INTEGER,  /* integer, year: a whole number */
	TK_AMOUNT,   /* amount: a decimal shown with 2 decimals */
	TK_DATE,     /* date: a date cell */
	TK_DATETIME, /* datetime: a date-and-time cell */
	TK_BOOLEAN   /* boolean: 是/否 from a drop-down */
} TemplateKind;

/* The kind of a catalog field type (catalog_types()); unknown types are text. */
extern TemplateKind template_kind_of(const char *type);

/* The Excel number format of a kind: "@" for text, "yyyy-mm-dd" for dates ... */
extern const char *template_num_format(TemplateKind kind);

/*
 * The accepted length of an identifier type, in characters, as Excel's text
 * length validation checks it: uscc 18, idcard 15 to 18, orgcode 9 to 10
 * (with its hyphen), division 6.  False for a type without a fixed length.
 */
extern bool template_ident_length(const char *type, int *min_len, int *max_len);

/*
 * Display width of UTF-8 text in Excel's column-width units: one for an ASCII
 * character, two for a wide one (CJK, full-width forms, and anything else
 * outside ASCII).  Invalid bytes count one each.
 */
extern int template_display_width(const char *s, size_t len);

/* Column width for a field: its title, its name and a typical value fit. */
extern double template_column_width(const char *title, const char *name, TemplateKind kind,
									const char *type);

/*
 * Whether an enum list can be written inline in the validation (Excel keeps
 * at most 255 characters of "a,b,c", and a value may not hold a comma or a
 * double quote); otherwise it goes to a range on a hidden sheet.  Counts
 * bytes, which is never less than characters.
 */
#define TEMPLATE_INLINE_LIST_MAX 255
extern bool template_list_inline(const char *const *values, int n);

/*
 * Clip UTF-8 text to at most max_chars characters, on a character boundary:
 * the length in bytes to keep (Excel limits validation titles to 32 and
 * messages to 255 characters).
 */
extern size_t template_clip_chars(const char *s, size_t len, size_t max_chars);

#endif /* FORMATS_TEMPLATE_LAYOUT_H */
