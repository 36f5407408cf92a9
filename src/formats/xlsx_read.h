/*
 * xlsx_read.h
 *		Pure core: the rows of an .xlsx workbook, streamed.
 *
 * xlsx_open() reads the small parts whole (workbook.xml: the sheets and the
 * date system; its relationships; styles.xml: which cell styles are dates;
 * sharedStrings.xml, within FormatsLimits' caps; the hidden _taxshare sheet),
 * then xlsx_sheet_next_row() streams one sheet with libxml2's xmlTextReader
 * fed from the zip entry in chunks: the sheet is never decompressed whole.
 * Every XML part is read without network access, without DTDs and without
 * entity expansion: a part with a DOCTYPE is refused before the parser sees it.
 *
 * A row comes as its non-empty cells, each as text: shared and inline strings
 * as they are, numbers as Excel wrote them, booleans as true/false, cells with
 * a date format as YYYY-MM-DD (YYYY-MM-DD HH:MM:SS with a time) in the
 * workbook's date system (1900 or 1904), formulas as their cached value.
 */
#ifndef TAXSHARE_XLSX_READ_H
#define TAXSHARE_XLSX_READ_H

#include "formats/formats_core.h"

typedef struct XlsxBook  XlsxBook;
typedef struct XlsxSheet XlsxSheet;

/* What a cell held, for writing it back (error_xlsx). */
typedef enum XlsxKind
{
	XK_STRING,
	XK_NUMBER,
	XK_BOOL,
	XK_DATE /* a date format: s is YYYY-MM-DD[ HH:MM:SS] */
} XlsxKind;

typedef struct XlsxCell
{
	int         col; /* 0-based */
	XlsxKind    kind;
	const char *s; /* NUL-terminated, valid until the next row */
	size_t      len;
} XlsxCell;

typedef struct XlsxRow
{
	long            rownum; /* 1-based, as in the sheet */
	int             ncells;
	const XlsxCell *cells; /* ascending col, none empty */
} XlsxRow;

extern XlsxBook *xlsx_open(const void *data, size_t len, const FormatsLimits *lim,
						   FormatsError *err);
extern void      xlsx_close(XlsxBook *b);

extern bool xlsx_date1904(const XlsxBook *b);
extern long xlsx_shared_count(const XlsxBook *b);

/*
 * The data sheet: the first sheet that is not hidden, not _taxshare and not
 * the template's instructions (说明); -1 none.
 */
extern int         xlsx_data_sheet(const XlsxBook *b);
extern int         xlsx_sheet_count(const XlsxBook *b);
extern const char *xlsx_sheet_name(const XlsxBook *b, int i);

/* A value of the hidden _taxshare sheet (column B where column A is key), or NULL. */
extern const char *xlsx_meta(const XlsxBook *b, const char *key);

extern XlsxSheet *xlsx_sheet_open(XlsxBook *b, int sheet, FormatsError *err);

/* 1: *row holds the next row with at least one cell; 0: no more rows; -1: *err. */
extern int  xlsx_sheet_next_row(XlsxSheet *s, XlsxRow *row, FormatsError *err);
extern void xlsx_sheet_close(XlsxSheet *s);

/* An Excel date serial as text (false if it is out of range). */
extern bool xlsx_serial_text(double serial, bool date1904, char *buf, size_t buflen);

/* Does this number format code show a date or a time? */
extern bool xlsx_format_is_date(const char *code);

#endif /* TAXSHARE_XLSX_READ_H */
