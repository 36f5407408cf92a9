/*
 * csv_read.h
 *		Pure core: splitting CSV text into records (RFC 4180) and telling
 *		UTF-8 from GBK and GB18030.
 *
 * Fields are split on the raw bytes: in GBK and GB18030 no byte of a
 * multi-byte character is a comma, a quote, CR or LF, so the split does not
 * need to know the encoding; converting the fields to the server's encoding
 * is the glue's (PostgreSQL's own conversions).  A UTF-8 byte-order mark at
 * the start is skipped; quoted fields may hold commas, quotes ("") and line
 * breaks; a line holding nothing is skipped.
 */
#ifndef TAXSHARE_CSV_READ_H
#define TAXSHARE_CSV_READ_H

#include "formats/formats_core.h"

typedef enum CsvEncoding
{
	CSV_UTF8,
	CSV_GBK,
	CSV_GB18030,
	CSV_INVALID /* neither: bad holds the offset of the first byte no encoding takes */
} CsvEncoding;

/*
 * Which encoding the bytes are: UTF-8 when they all are; else GBK when they
 * are GBK's double-byte form, GB18030 when they need its four-byte form.
 */
extern CsvEncoding csv_detect_encoding(const char *s, size_t len, size_t *bad);

/* Are s[0..len) valid in enc?  Else *bad = offset of the first invalid byte. */
extern bool csv_valid_in(CsvEncoding enc, const char *s, size_t len, size_t *bad);

typedef struct CsvField
{
	const char *s; /* not NUL-terminated; valid until the next record */
	size_t      len;
} CsvField;

typedef struct CsvReader CsvReader;

extern CsvReader *csv_open(const char *data, size_t len, size_t max_field_bytes);
extern void       csv_close(CsvReader *r);

/*
 * 1: the next record's fields (*line = its first physical line, 1-based);
 * 0: the end; -1: *err (an unterminated quote, text after a closing quote, a
 * field above the cap, too many fields).
 */
extern int csv_next(CsvReader *r, const CsvField **fields, int *nfields, long *line,
					FormatsError *err);

#endif /* TAXSHARE_CSV_READ_H */
