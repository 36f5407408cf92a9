/*
 * csv_read.c
 *		CSV records and encodings (csv_read.h).
 */
#include "formats/csv_read.h"

#include <stdlib.h>
#include <string.h>

struct CsvReader
{
	const char *p;
	const char *end;
	long        line; /* physical line of p */
	size_t      max_field;
	char       *buf; /* the record's fields, unquoted */
	size_t      buflen;
	size_t      bufcap;
	size_t     *offs;
	CsvField   *fields;
	int         cap;
};

/* The length of the GB18030 character at p (1, 2 or 4), 0 if invalid. */
static int
gb_char(const unsigned char *p, size_t left)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] == 0x80 || p[0] == 0xFF || left < 2)
		return 0;
	if ((p[1] >= 0x40 && p[1] <= 0x7E) || (p[1] >= 0x80 && p[1] <= 0xFE))
		return 2;
	if (p[1] >= 0x30 && p[1] <= 0x39 && left >= 4 && p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= 0x30 &&
		p[3] <= 0x39)
		return 4;
	return 0;
}

bool
csv_valid_in(CsvEncoding enc, const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t               i = 0;

	if (enc == CSV_UTF8)
		return formats_utf8_valid(s, len, bad);
	if (enc == CSV_INVALID)
	{
		*bad = 0;
		return false;
	}
	while (i < len)
	{
		int n = gb_char(p + i, len - i);

		if (n == 0 || (n == 4 && enc == CSV_GBK))
		{
			*bad = i;
			return false;
		}
		i += (size_t) n;
	}
	return true;
}

CsvEncoding
csv_detect_encoding(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t               i = 0;
	bool                 four = false;

	if (formats_utf8_valid(s, len, bad))
		return CSV_UTF8;
	while (i < len)
	{
		int n = gb_char(p + i, len - i);

		if (n == 0)
		{
			*bad = i;
			return CSV_INVALID;
		}
		four |= n == 4;
		i += (size_t) n;
	}
	return four ? CSV_GB18030 : CSV_GBK;
}

CsvReader *
csv_open(const char *data, size_t len, size_t max_field_bytes)
{
	CsvReader *r = calloc(1, sizeof(CsvReader));

	if (r == NULL)
		return NULL;
	r->p = data;
	r->end = data + len;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
	r->line = 1;
	r->max_field = max_field_bytes;
	return r;
}

void
csv_close(CsvReader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->offs);
	free(r->fields);
	free(r);
}

static bool
put(CsvReader *r, const char *s, size_t n)
{
	if (n == 0)
		return true; /* an empty field: nothing to copy (buf may still be NULL) */
	if (r->buflen + n > r->bufcap)
	{
		size_t cap = r->bufcap ? r->bufcap : 1024;
		char  *np;

		while (r->buflen + n > cap)
			cap *= 2;
		np = realloc(r->buf, cap);
		if (np == NULL)
			return false;
		r->buf = np;
		r->bufcap = cap;
	}
	memcpy(r->buf + r->buflen, s, n);
	r->buflen += n;
	return true;
}

static bool
new_field(CsvReader *r, int nf)
{
	if (nf >= r->cap)
	{
		int       cap = r->cap ? r->cap * 2 : 32;
		size_t   *no;
		CsvField *nfp;

		if (cap > FORMATS_MAX_COLS)
			cap = FORMATS_MAX_COLS;
		if (nf >= cap)
			return false;
		no = realloc(r->offs, sizeof(size_t) * (cap + 1));
		if (no == NULL)
			return false;
		r->offs = no;
		nfp = realloc(r->fields, sizeof(CsvField) * cap);
		if (nfp == NULL)
			return false;
		r->fields = nfp;
		r->cap = cap;
	}
	r->offs[nf] = r->buflen;
	return true;
}

static int
fail(CsvReader *r, FormatsError *err, FormatsErrorCode code, long line, int col)
{
	formats_error_set(err, code, NULL, 0);
	err->line = line;
	err->col = col;
	r->p = r->end;
	return -1;
}

int
csv_next(CsvReader *r, const CsvField **fields, int *nfields, long *line, FormatsError *err)
{
	int  nf;
	long start_line;

	/* lines holding nothing are skipped */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r'))
	{
		if (*r->p == '\n')
			r->line++;
		r->p++;
	}
	if (r->p >= r->end)
		return 0;

	start_line = r->line;
	r->buflen = 0;
	nf = 0;
	for (;;)
	{
		size_t flen0;

		if (!new_field(r, nf))
			return fail(r, err, FE_TOO_MANY_COLS, r->line, nf + 1);
		flen0 = r->buflen;
		if (r->p < r->end && *r->p == '"')
		{
			long qline = r->line;

			r->p++;
			for (;;)
			{
				const char *q = r->p;

				while (q < r->end && *q != '"')
				{
					if (*q == '\n')
						r->line++;
					q++;
				}
				if (!put(r, r->p, (size_t) (q - r->p)))
					return fail(r, err, FE_CELL_TOO_BIG, start_line, nf + 1);
				if (q >= r->end)
					return fail(r, err, FE_CSV_QUOTE, qline, nf + 1);
				if (q + 1 < r->end && q[1] == '"')
				{
					if (!put(r, "\"", 1))
						return fail(r, err, FE_CELL_TOO_BIG, start_line, nf + 1);
					r->p = q + 2;
					continue;
				}
				r->p = q + 1;
				break;
			}
			if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
			{
				formats_error_set(err, FE_CSV_QUOTE, r->p, 1);
				err->line = r->line;
				err->col = nf + 1;
				err->n = 1; /* text after the closing quote */
				r->p = r->end;
				return -1;
			}
		}
		else
		{
			const char *q = r->p;

			while (q < r->end && *q != ',' && *q != '\n' && *q != '\r')
				q++;
			if (!put(r, r->p, (size_t) (q - r->p)))
				return fail(r, err, FE_CELL_TOO_BIG, start_line, nf + 1);
			r->p = q;
		}
		if (r->buflen - flen0 > r->max_field)
		{
			fail(r, err, FE_CELL_TOO_BIG, start_line, nf + 1);
			err->n = (int64_t) (r->buflen - flen0);
			err->limit = (int64_t) r->max_field;
			return -1;
		}
		nf++;
		if (r->p < r->end && *r->p == ',')
		{
			r->p++;
			continue;
		}
		/* the end of the record: CRLF, LF, CR or the end of the data */
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		r->line++;
		break;
	}
	r->offs[nf] = r->buflen;
	{
		int i;

		for (i = 0; i < nf; i++)
		{
			r->fields[i].s = r->buf ? r->buf + r->offs[i] : "";
			r->fields[i].len = r->offs[i + 1] - r->offs[i];
		}
	}
	*fields = r->fields;
	*nfields = nf;
	*line = start_line;
	return 1;
}
