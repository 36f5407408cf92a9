/*
 * formats_core.h
 *		Pure core of the file formats: what the readers of workbooks and CSV
 *		files share, the limits they enforce and the errors they report.
 *
 * The readers take plain C buffers and report a refusal as a FormatsError
 * (a code, the offending value, the cell or line) instead of raising it; the
 * SQL glue (formats_fmgr.c) turns it into an ereport with a SQLSTATE, in the
 * language of taxshare.language.  Memory comes from malloc: libzip and
 * libxml2 allocate with it anyway, and the glue frees every reader when its
 * memory context is reset, on error too.
 */
#ifndef TAXSHARE_FORMATS_CORE_H
#define TAXSHARE_FORMATS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum FormatsErrorCode
{
	FE_OK = 0,
	FE_OLE2,          /* an .xls or .et (OLE2 compound document) */
	FE_ENCRYPTED,     /* password-protected workbook or encrypted zip entry */
	FE_NOT_ZIP,       /* neither a zip nor an OLE2 file */
	FE_ZIP,           /* a damaged or truncated zip: value = libzip's words */
	FE_ENTRY_NAME,    /* an entry named ../x or /x: value = the name */
	FE_TOO_BIG,       /* uncompressed total above the cap: n = bytes, limit */
	FE_RATIO,         /* an entry compressed more than the cap: value = entry */
	FE_MISSING,       /* a part the workbook needs is absent: value = its name */
	FE_XML,           /* malformed XML: value = libxml2's words, n = line */
	FE_DTD,           /* a DOCTYPE (entities, DTDs) in the XML: value = part */
	FE_FORMULA,       /* a formula without a cached value: cell */
	FE_CELL_TOO_BIG,  /* a cell above max_cell_bytes: cell, n = bytes */
	FE_SST_LIMIT,     /* shared strings above their caps: n, limit */
	FE_SST_INDEX,     /* a cell naming a shared string that does not exist */
	FE_BAD_CELL,      /* a cell reference that is not a cell: value */
	FE_ENCODING,      /* invalid bytes for the encoding: value = hex, line, col */
	FE_CSV_QUOTE,     /* unterminated quote, or text after a closing quote */
	FE_TOO_MANY_COLS, /* more than FORMATS_MAX_COLS columns */
	FE_NO_SHEET       /* no data sheet in the workbook */
} FormatsErrorCode;

typedef struct FormatsError
{
	FormatsErrorCode code;
	char             value[160]; /* the offending value, UTF-8, cut to fit */
	char             cell[16];   /* "D12", or "" */
	int64_t          n;          /* a size, a count, a line: per code */
	int64_t          limit;      /* the cap that was passed, per code */
	long             line;       /* CSV: the physical line; XML: the line */
	int              col;        /* CSV: the 1-based field; 0 none */
} FormatsError;

typedef struct FormatsLimits
{
	uint64_t max_uncompressed;   /* bytes, all entries of a zip together */
	double   max_ratio;          /* uncompressed / compressed, per entry */
	uint64_t max_shared_strings; /* entries of sharedStrings.xml */
	uint64_t max_shared_bytes;   /* their text together */
	size_t   max_cell_bytes;     /* one cell's (field's) text */
} FormatsLimits;

/* Excel's limit: 16384 columns (XFD). */
#define FORMATS_MAX_COLS 16384

/* A ratio only counts for entries at least this large: small parts compress well. */
#define FORMATS_RATIO_MIN_BYTES (1024 * 1024)

extern void formats_error_set(FormatsError *err, FormatsErrorCode code, const char *value,
							  size_t len);

/* "A", "B", ..., "XFD" for a 0-based column into buf (at least 4 bytes). */
extern void formats_col_letters(int col, char *buf);

/* The 0-based column of a cell reference "D12" (and its row, 0 if none); -1 if not one. */
extern int formats_parse_cell_ref(const char *ref, size_t len, long *row);

/* Is s[0..len) valid UTF-8 (no overlongs, no surrogates)?  Else *bad = offset. */
extern bool formats_utf8_valid(const char *s, size_t len, size_t *bad);

#endif /* TAXSHARE_FORMATS_CORE_H */
