/*
 * xlsx_read.c
 *		Streaming the rows of an .xlsx workbook (xlsx_read.h).
 */
#include "formats/xlsx_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "formats/zip_read.h"

/* Bytes handed to the XML parser at a time. */
#define XLSX_CHUNK              65536
/* One row's text together (Excel: 16384 cells). */
#define XLSX_MAX_ROW_BYTES      ((size_t) 64 * 1024 * 1024)
#define XLSX_MAX_SHEETS         256
#define XLSX_META_KEYS          8
/* The template's instructions sheet (template_xlsx) holds no data. */
#define XLSX_INSTRUCTIONS_SHEET "说明"

typedef struct XlsxSheetInfo
{
	char *name;
	char *rid;
	char *path; /* the zip entry */
	bool  hidden;
} XlsxSheetInfo;

struct XlsxBook
{
	FmtZip       *zip;
	FormatsLimits lim;
	bool          date1904;
	int           nsheets;
	XlsxSheetInfo sheets[XLSX_MAX_SHEETS];
	char         *sst_path;
	/* styles: per cellXfs index, is it a date? */
	int   nxf;
	bool *xf_date;
	/* shared strings: offsets into one buffer */
	long    nsst;
	long    sst_cap;
	size_t *sst_off; /* nsst + 1 offsets */
	char   *sst_buf;
	size_t  sst_len;
	size_t  sst_bufcap;
	int     nmeta;
	char   *meta_key[XLSX_META_KEYS];
	char   *meta_val[XLSX_META_KEYS];
};

/* The XML of one zip entry, streamed into xmlTextReader. */
typedef struct XmlIn
{
	const char      *path; /* the part, for messages */
	FmtZipEntry     *entry;
	FormatsError    *err;
	xmlTextReaderPtr reader;
	int              m_doctype; /* bytes of "<!DOCTYPE" matched so far */
	int              m_entity;
	bool             failed; /* err is set */
} XmlIn;

/* A growable byte buffer. */
typedef struct Buf
{
	char  *p;
	size_t len;
	size_t cap;
} Buf;

static bool
buf_add(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		size_t cap = b->cap ? b->cap : 256;
		char  *np;

		while (b->len + n + 1 > cap)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			return false;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s);
	char  *p = malloc(n + 1);

	if (p)
		memcpy(p, s, n + 1);
	return p;
}

/* ---- the XML input ---- */

static void
scan_declarations(XmlIn *in, const char *p, long n)
{
	static const char doctype[] = "<!DOCTYPE";
	static const char entity[] = "<!ENTITY";
	long              i;

	for (i = 0; i < n; i++)
	{
		char c;

		if (in->m_doctype == 0 && in->m_entity == 0)
		{
			/* nothing matched so far: only a '<' can start a match */
			const char *lt = memchr(p + i, '<', (size_t) (n - i));

			if (lt == NULL)
				return;
			i = lt - p;
		}
		c = p[i];

		in->m_doctype = c == doctype[in->m_doctype] ? in->m_doctype + 1 : (c == '<');
		in->m_entity = c == entity[in->m_entity] ? in->m_entity + 1 : (c == '<');
		if (in->m_doctype == (int) sizeof(doctype) - 1 || in->m_entity == (int) sizeof(entity) - 1)
		{
			formats_error_set(in->err, FE_DTD, NULL, 0);
			in->failed = true;
			return;
		}
	}
}

static int
xml_in_read(void *ctx, char *buffer, int len)
{
	XmlIn *in = ctx;
	long   got;

	if (in->failed)
		return -1;
	got = fmt_zip_entry_read(in->entry, buffer, (size_t) len, in->err);
	if (got < 0)
	{
		in->failed = true;
		return -1;
	}
	scan_declarations(in, buffer, got);
	return in->failed ? -1 : (int) got;
}

static int
xml_in_close(void *ctx)
{
	(void) ctx;
	return 0;
}

static void
xml_in_error(void *ctx, xmlErrorPtr e)
{
	XmlIn *in = ctx;

	if (in->failed || e == NULL || e->level < XML_ERR_ERROR)
		return;
	if (e->code == XML_ERR_NO_MEMORY)
	{
		/* libxml2's own cap on a text node (10,000,000 bytes without XML_PARSE_HUGE) */
		formats_error_set(in->err, FE_CELL_TOO_BIG, in->path, strlen(in->path));
		in->err->cell[0] = '\0';
		in->failed = true;
		return;
	}
	formats_error_set(in->err, FE_XML, e->message ? e->message : "XML error",
					  e->message ? strcspn(e->message, "\n") : 9);
	in->err->line = e->line;
	in->failed = true;
}

static bool
xml_in_open(XmlIn *in, FmtZip *zip, const char *path, FormatsError *err, bool *missing)
{
	memset(in, 0, sizeof(XmlIn));
	in->err = err;
	in->path = path;
	in->entry = fmt_zip_entry_open(zip, path, err);
	if (in->entry == NULL)
	{
		if (missing && err->code == FE_MISSING)
		{
			*missing = true;
			err->code = FE_OK;
		}
		return false;
	}
	/*
	 * No network, no DTD loading, no entity substitution (no XML_PARSE_NOENT,
	 * XML_PARSE_DTDLOAD or XML_PARSE_HUGE); a DOCTYPE is refused by
	 * scan_declarations() before the parser reads it.
	 */
	in->reader = xmlReaderForIO(xml_in_read, xml_in_close, in, path, NULL,
								XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
									XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (in->reader == NULL)
	{
		if (!in->failed)
			formats_error_set(err, FE_XML, "cannot start the XML reader", 27);
		fmt_zip_entry_close(in->entry);
		in->entry = NULL;
		return false;
	}
	xmlTextReaderSetStructuredErrorHandler(in->reader, xml_in_error, in);
	return true;
}

static void
xml_in_close_all(XmlIn *in)
{
	if (in->reader)
		xmlFreeTextReader(in->reader);
	if (in->entry)
		fmt_zip_entry_close(in->entry);
	in->reader = NULL;
	in->entry = NULL;
}

/* The next node: 1, 0 at the end, -1 with *err set. */
static int
xml_next(XmlIn *in)
{
	int r = xmlTextReaderRead(in->reader);

	if (r < 0 || in->failed)
	{
		if (!in->failed)
		{
			formats_error_set(in->err, FE_XML, "malformed XML", 13);
			in->failed = true;
		}
		return -1;
	}
	if (r == 1 && xmlTextReaderNodeType(in->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
	{
		formats_error_set(in->err, FE_DTD, NULL, 0);
		in->failed = true;
		return -1;
	}
	return r;
}

static const char *
local_name(XmlIn *in)
{
	const xmlChar *n = xmlTextReaderConstLocalName(in->reader);

	return n ? (const char *) n : "";
}

/* An attribute by local name (any namespace), malloc'd, or NULL. */
static char *
attr(XmlIn *in, const char *name)
{
	char *found = NULL;

	if (xmlTextReaderMoveToFirstAttribute(in->reader) != 1)
		return NULL;
	do
	{
		const xmlChar *ln = xmlTextReaderConstLocalName(in->reader);

		if (ln && strcmp((const char *) ln, name) == 0)
		{
			const xmlChar *v = xmlTextReaderConstValue(in->reader);

			found = xstrdup(v ? (const char *) v : "");
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(in->reader) == 1);
	xmlTextReaderMoveToElement(in->reader);
	return found;
}

static bool
is_text_node(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

/* ---- workbook.xml and its relationships ---- */

static bool
read_workbook(XlsxBook *b, FormatsError *err)
{
	XmlIn in;
	int   r;

	if (!xml_in_open(&in, b->zip, "xl/workbook.xml", err, NULL))
		return false;
	while ((r = xml_next(&in)) == 1)
	{
		const char *n;

		if (xmlTextReaderNodeType(in.reader) != XML_READER_TYPE_ELEMENT)
			continue;
		n = local_name(&in);
		if (strcmp(n, "workbookPr") == 0)
		{
			char *d = attr(&in, "date1904");

			b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
			free(d);
		}
		else if (strcmp(n, "sheet") == 0 && b->nsheets < XLSX_MAX_SHEETS)
		{
			XlsxSheetInfo *s = &b->sheets[b->nsheets++];
			char          *state = attr(&in, "state");

			s->name = attr(&in, "name");
			s->rid = attr(&in, "id"); /* r:id */
			s->hidden = state && strcmp(state, "visible") != 0;
			free(state);
		}
	}
	xml_in_close_all(&in);
	return r == 0;
}

static bool
read_rels(XlsxBook *b, FormatsError *err)
{
	XmlIn in;
	int   r;
	bool  missing = false;

	if (!xml_in_open(&in, b->zip, "xl/_rels/workbook.xml.rels", err, &missing))
		return missing;
	while ((r = xml_next(&in)) == 1)
	{
		char *id, *target, *type, *path;
		int   i;

		if (xmlTextReaderNodeType(in.reader) != XML_READER_TYPE_ELEMENT ||
			strcmp(local_name(&in), "Relationship") != 0)
			continue;
		id = attr(&in, "Id");
		target = attr(&in, "Target");
		type = attr(&in, "Type");
		path = NULL;
		if (target)
		{
			/* relative to xl/, or absolute within the package */
			path = malloc(strlen(target) + 4);
			if (path)
			{
				if (target[0] == '/')
					strcpy(path, target + 1);
				else
				{
					strcpy(path, "xl/");
					strcat(path, target);
				}
			}
		}
		if (path && type && strlen(type) >= 13 &&
			strcmp(type + strlen(type) - 13, "sharedStrings") == 0 && b->sst_path == NULL)
		{
			b->sst_path = path;
			path = NULL;
		}
		for (i = 0; path && id && i < b->nsheets; i++)
			if (b->sheets[i].rid && strcmp(b->sheets[i].rid, id) == 0 && !b->sheets[i].path)
			{
				b->sheets[i].path = xstrdup(path);
			}
		free(id);
		free(target);
		free(type);
		free(path);
	}
	xml_in_close_all(&in);
	return r == 0;
}

/* ---- styles.xml: which cell formats are dates ---- */

bool
xlsx_format_is_date(const char *code)
{
	const char *p;

	for (p = code; *p; p++)
	{
		if (*p == '"')
		{
			/* literal text */
			for (p++; *p && *p != '"'; p++)
				;
			if (!*p)
				break;
		}
		else if (*p == '\\' || *p == '_' || *p == '*')
		{
			if (!p[1])
				break;
			p++;
		}
		else if (*p == '[')
		{
			/* [Red], [$-804], but [h] [mm] [ss] are elapsed times */
			if ((p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
				 p[1] == 'S') &&
				(p[2] == ']' || p[2] == p[1]))
				return true;
			for (p++; *p && *p != ']'; p++)
				;
			if (!*p)
				break;
		}
		else if (strchr("dDmMyYhHsS", *p))
			return true;
		else if (strncmp(p, "上午", 6) == 0 || strncmp(p, "年", 3) == 0)
			return true;
	}
	return false;
}

/* Excel's built-in number formats that show dates or times (zh-CN included). */
static bool
builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
		   (id >= 50 && id <= 58);
}

#define XLSX_MAX_FMTS 4096

static bool
read_styles(XlsxBook *b, FormatsError *err)
{
	XmlIn in;
	int   r;
	bool  missing = false;
	bool  in_xfs = false;
	long  fmt_ids[XLSX_MAX_FMTS];
	bool  fmt_date[XLSX_MAX_FMTS];
	int   nfmt = 0;
	int   cap = 0;

	if (!xml_in_open(&in, b->zip, "xl/styles.xml", err, &missing))
		return missing;
	while ((r = xml_next(&in)) == 1)
	{
		int         type = xmlTextReaderNodeType(in.reader);
		const char *n = local_name(&in);

		if (type == XML_READER_TYPE_END_ELEMENT && strcmp(n, "cellXfs") == 0)
			in_xfs = false;
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (strcmp(n, "numFmt") == 0 && nfmt < XLSX_MAX_FMTS)
		{
			char *id = attr(&in, "numFmtId");
			char *code = attr(&in, "formatCode");

			if (id && code)
			{
				fmt_ids[nfmt] = strtol(id, NULL, 10);
				fmt_date[nfmt++] = xlsx_format_is_date(code);
			}
			free(id);
			free(code);
		}
		else if (strcmp(n, "cellXfs") == 0)
			in_xfs = !xmlTextReaderIsEmptyElement(in.reader);
		else if (in_xfs && strcmp(n, "xf") == 0 && b->nxf < 65536)
		{
			char *id = attr(&in, "numFmtId");
			long  fid = id ? strtol(id, NULL, 10) : 0;
			bool  date = builtin_date(fid);
			int   i;

			free(id);
			for (i = 0; i < nfmt; i++)
				if (fmt_ids[i] == fid)
					date = fmt_date[i];
			if (b->nxf >= cap)
			{
				bool *np;

				cap = cap ? cap * 2 : 64;
				np = realloc(b->xf_date, sizeof(bool) * cap);
				if (np == NULL)
				{
					formats_error_set(err, FE_XML, "out of memory", 13);
					xml_in_close_all(&in);
					return false;
				}
				b->xf_date = np;
			}
			b->xf_date[b->nxf++] = date;
		}
	}
	xml_in_close_all(&in);
	return r == 0;
}

/* ---- sharedStrings.xml ---- */

static bool
sst_push(XlsxBook *b, const Buf *s, FormatsError *err)
{
	if ((uint64_t) b->nsst >= b->lim.max_shared_strings ||
		(uint64_t) (b->sst_len + s->len) > b->lim.max_shared_bytes)
	{
		bool count = (uint64_t) b->nsst >= b->lim.max_shared_strings;

		formats_error_set(err, FE_SST_LIMIT, count ? "count" : "bytes", count ? 5 : 5);
		err->n = count ? b->nsst + 1 : (int64_t) (b->sst_len + s->len);
		err->limit =
			count ? (int64_t) b->lim.max_shared_strings : (int64_t) b->lim.max_shared_bytes;
		return false;
	}
	if (b->nsst + 2 > b->sst_cap)
	{
		long    cap = b->sst_cap ? b->sst_cap * 2 : 256;
		size_t *np = realloc(b->sst_off, sizeof(size_t) * cap);

		if (np == NULL)
			goto oom;
		b->sst_off = np;
		b->sst_cap = cap;
	}
	if (b->sst_len + s->len + 1 > b->sst_bufcap)
	{
		size_t cap = b->sst_bufcap ? b->sst_bufcap : 4096;
		char  *np;

		while (b->sst_len + s->len + 1 > cap)
			cap *= 2;
		np = realloc(b->sst_buf, cap);
		if (np == NULL)
			goto oom;
		b->sst_buf = np;
		b->sst_bufcap = cap;
	}
	b->sst_off[b->nsst] = b->sst_len;
	if (s->len)
		memcpy(b->sst_buf + b->sst_len, s->p, s->len);
	b->sst_len += s->len;
	b->sst_buf[b->sst_len++] = '\0';
	b->nsst++;
	b->sst_off[b->nsst] = b->sst_len;
	return true;
oom:
	formats_error_set(err, FE_SST_LIMIT, "memory", 6);
	return false;
}

static bool
read_shared_strings(XlsxBook *b, FormatsError *err)
{
	XmlIn in;
	int   r;
	bool  missing = false;
	Buf   s = {0};
	bool  in_si = false;
	int   t_depth = 0;   /* inside <t> */
	int   rph_depth = 0; /* inside <rPh>: phonetic runs are not the text */
	bool  ok = true;

	if (!xml_in_open(&in, b->zip, b->sst_path ? b->sst_path : "xl/sharedStrings.xml", err,
					 &missing))
		return missing;
	while (ok && (r = xml_next(&in)) == 1)
	{
		int         type = xmlTextReaderNodeType(in.reader);
		const char *n = local_name(&in);
		bool empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(in.reader);

		if (type == XML_READER_TYPE_ELEMENT)
		{
			if (strcmp(n, "si") == 0)
			{
				in_si = true;
				s.len = 0;
				if (s.p)
					s.p[0] = '\0';
			}
			else if (strcmp(n, "t") == 0 && !empty)
				t_depth++;
			else if (strcmp(n, "rPh") == 0 && !empty)
				rph_depth++;
		}
		if (type == XML_READER_TYPE_END_ELEMENT || empty)
		{
			if (strcmp(n, "si") == 0 && in_si)
			{
				in_si = false;
				ok = sst_push(b, &s, err);
			}
			else if (strcmp(n, "t") == 0 && !empty && t_depth > 0)
				t_depth--;
			else if (strcmp(n, "rPh") == 0 && !empty && rph_depth > 0)
				rph_depth--;
		}
		else if (is_text_node(type) && in_si && t_depth > 0 && rph_depth == 0)
		{
			const char *v = (const char *) xmlTextReaderConstValue(in.reader);
			size_t      vl = v ? strlen(v) : 0;

			if (s.len + vl > b->lim.max_cell_bytes)
			{
				formats_error_set(err, FE_CELL_TOO_BIG, in.path, strlen(in.path));
				err->n = (int64_t) (s.len + vl);
				err->limit = (int64_t) b->lim.max_cell_bytes;
				ok = false;
			}
			else if (!buf_add(&s, v ? v : "", vl))
			{
				formats_error_set(err, FE_SST_LIMIT, "memory", 6);
				ok = false;
			}
		}
	}
	free(s.p);
	xml_in_close_all(&in);
	return ok && r == 0;
}

/* ---- sheets ---- */

struct XlsxSheet
{
	XlsxBook *b;
	XmlIn     in;
	bool      done;
	long      next_rownum;
	Buf       text; /* the row's cell texts, NUL-separated */
	XlsxCell *cells;
	size_t   *offs; /* per cell, its offset in text (text may move) */
	int       ncells;
	int       capcells;
	XlsxKind  kind; /* of the cell being finished */
	/* the cell being read */
	int    col;
	int    next_col;
	char   ctype[12];
	long   style;
	bool   has_f;
	bool   has_v;
	int    collect; /* 0 none, 1 <v>, 2 <is>/<t> */
	int    is_depth;
	int    rph_depth;
	size_t cell_start;
	char   ref[16];
};

XlsxSheet *
xlsx_sheet_open(XlsxBook *b, int sheet, FormatsError *err)
{
	XlsxSheet *s;

	if (sheet < 0 || sheet >= b->nsheets || b->sheets[sheet].path == NULL)
	{
		formats_error_set(err, FE_NO_SHEET, NULL, 0);
		return NULL;
	}
	s = calloc(1, sizeof(XlsxSheet));
	if (s == NULL)
	{
		formats_error_set(err, FE_XML, "out of memory", 13);
		return NULL;
	}
	s->b = b;
	s->next_rownum = 1;
	if (!xml_in_open(&s->in, b->zip, b->sheets[sheet].path, err, NULL))
	{
		free(s);
		return NULL;
	}
	return s;
}

void
xlsx_sheet_close(XlsxSheet *s)
{
	if (s == NULL)
		return;
	xml_in_close_all(&s->in);
	free(s->text.p);
	free(s->cells);
	free(s->offs);
	free(s);
}

static void
cell_error(XlsxSheet *s, FormatsError *err, FormatsErrorCode code, long rownum)
{
	char letters[8];

	formats_error_set(err, code, NULL, 0);
	formats_col_letters(s->col, letters);
	snprintf(err->cell, sizeof(err->cell), "%s%ld", letters, rownum);
}

bool
xlsx_serial_text(double serial, bool date1904, char *buf, size_t buflen)
{
	double    days_f = floor(serial);
	long      days;
	long      secs;
	long long z, era, doe, yoe, y, doy, mp, d, m;

	if (!isfinite(serial) || serial < 0 || serial > 2958465.0 + 1) /* 9999-12-31 */
		return false;
	secs = lround((serial - days_f) * 86400.0);
	days = (long) days_f;
	if (secs >= 86400)
	{
		secs -= 86400;
		days++;
	}
	if (!date1904)
	{
		if (days == 60)
		{
			/* Excel's 1900-02-29, a day that never was: let validation refuse it */
			snprintf(buf, buflen, "1900-02-29");
			return true;
		}
		if (days == 0)
			return false;
		/* serial 1 = 1900-01-01; 61 = 1900-03-01; 25569 = 1970-01-01 */
		z = days < 60 ? days - 25568 : days - 25569;
	}
	else
		z = days - 24107; /* serial 0 = 1904-01-01 */

	/* days since 1970-01-01 to a civil date (proleptic Gregorian) */
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	if (secs == 0)
		snprintf(buf, buflen, "%04lld-%02lld-%02lld", y, m, d);
	else
		snprintf(buf, buflen, "%04lld-%02lld-%02lld %02ld:%02ld:%02ld", y, m, d, secs / 3600,
				 (secs / 60) % 60, secs % 60);
	return true;
}

/* Digits of a number's mantissa, leading zeros not counted. */
static int
significant_digits(const char *v)
{
	int  n = 0;
	bool lead = true;

	for (; *v && *v != 'E' && *v != 'e'; v++)
		if (*v >= '0' && *v <= '9')
		{
			if (*v != '0')
				lead = false;
			if (!lead)
				n++;
		}
	return n;
}

/* The text of the finished cell replaces what was collected; false on error. */
static bool
finish_cell(XlsxSheet *s, long rownum, FormatsError *err)
{
	char  *v = s->text.p ? s->text.p + s->cell_start : NULL;
	size_t vlen = s->text.len - s->cell_start;
	char   tmp[40];

	/*
	 * A formula's value is what the program that saved it computed; openpyxl
	 * and other writers that cannot compute save none (or an empty one).
	 * Only a string result may be empty.
	 */
	if (s->has_f && (!s->has_v || (vlen == 0 && strcmp(s->ctype, "str") != 0)))
	{
		cell_error(s, err, FE_FORMULA, rownum);
		return false;
	}
	if (vlen == 0)
	{
		s->text.len = s->cell_start;
		return true; /* an empty cell is no cell */
	}
	s->kind = XK_STRING;
	if (strcmp(s->ctype, "s") == 0)
	{
		char *end;
		long  idx = strtol(v, &end, 10);

		if (end == v || *end != '\0' || idx < 0 || idx >= s->b->nsst)
		{
			cell_error(s, err, FE_SST_INDEX, rownum);
			formats_error_set(err, FE_SST_INDEX, v, vlen);
			return false;
		}
		s->text.len = s->cell_start;
		if (!buf_add(&s->text, s->b->sst_buf + s->b->sst_off[idx],
					 s->b->sst_off[idx + 1] - s->b->sst_off[idx] - 1))
			goto oom;
	}
	else if (strcmp(s->ctype, "b") == 0)
	{
		const char *t = strcmp(v, "1") == 0 ? "true" : strcmp(v, "0") == 0 ? "false" : NULL;

		if (t)
		{
			s->text.len = s->cell_start;
			if (!buf_add(&s->text, t, strlen(t)))
				goto oom;
			s->kind = XK_BOOL;
		}
	}
	else if ((s->ctype[0] == '\0' || strcmp(s->ctype, "n") == 0) && s->style >= 0 &&
			 s->style < s->b->nxf && s->b->xf_date[s->style])
	{
		char  *end;
		double d = strtod(v, &end);

		if (end != v && *end == '\0' && xlsx_serial_text(d, s->b->date1904, tmp, sizeof(tmp)))
		{
			s->text.len = s->cell_start;
			if (!buf_add(&s->text, tmp, strlen(tmp)))
				goto oom;
			s->kind = XK_DATE;
		}
		else
			s->kind = XK_NUMBER;
	}
	else if ((s->ctype[0] == '\0' || strcmp(s->ctype, "n") == 0) && significant_digits(v) > 15)
	{
		/*
		 * A binary double written out in full (99.98999999999999): shown by
		 * Excel, and meant, with 15 significant digits (99.99).
		 */
		char  *end;
		double d = strtod(v, &end);

		if (end != v && *end == '\0' && isfinite(d))
		{
			snprintf(tmp, sizeof(tmp), "%.15g", d);
			s->text.len = s->cell_start;
			if (!buf_add(&s->text, tmp, strlen(tmp)))
				goto oom;
		}
		s->kind = XK_NUMBER;
	}
	else if (s->ctype[0] == '\0' || strcmp(s->ctype, "n") == 0)
		s->kind = XK_NUMBER;
	/* the cell's text ends with a NUL of its own */
	if (!buf_add(&s->text, "", 1))
		goto oom;
	if (s->ncells >= s->capcells)
	{
		int       cap = s->capcells ? s->capcells * 2 : 32;
		XlsxCell *nc = realloc(s->cells, sizeof(XlsxCell) * cap);
		size_t   *no;

		if (nc == NULL)
			goto oom;
		s->cells = nc;
		no = realloc(s->offs, sizeof(size_t) * cap);
		if (no == NULL)
			goto oom;
		s->offs = no;
		s->capcells = cap;
	}
	s->cells[s->ncells].col = s->col;
	s->cells[s->ncells].kind = s->kind;
	s->cells[s->ncells].len = s->text.len - 1 - s->cell_start;
	s->offs[s->ncells] = s->cell_start;
	s->ncells++;
	return true;
oom:
	cell_error(s, err, FE_CELL_TOO_BIG, rownum);
	return false;
}

static bool
collect_text(XlsxSheet *s, long rownum, FormatsError *err)
{
	const char *v = (const char *) xmlTextReaderConstValue(s->in.reader);
	size_t      vl = v ? strlen(v) : 0;

	if (s->text.len - s->cell_start + vl > s->b->lim.max_cell_bytes)
	{
		cell_error(s, err, FE_CELL_TOO_BIG, rownum);
		err->n = (int64_t) (s->text.len - s->cell_start + vl);
		err->limit = (int64_t) s->b->lim.max_cell_bytes;
		return false;
	}
	if (s->text.len + vl > XLSX_MAX_ROW_BYTES || !buf_add(&s->text, v ? v : "", vl))
	{
		cell_error(s, err, FE_CELL_TOO_BIG, rownum);
		err->n = (int64_t) (s->text.len + vl);
		err->limit = (int64_t) XLSX_MAX_ROW_BYTES;
		return false;
	}
	return true;
}

int
xlsx_sheet_next_row(XlsxSheet *s, XlsxRow *row, FormatsError *err)
{
	bool in_row = false;
	long rownum = 0;
	int  r;

	if (s->done)
		return 0;
	while ((r = xml_next(&s->in)) == 1)
	{
		int         type = xmlTextReaderNodeType(s->in.reader);
		const char *n;
		bool        empty;

		if (is_text_node(type))
		{
			if (s->collect == 1 || (s->collect == 2 && s->is_depth > 0 && s->rph_depth == 0))
				if (!collect_text(s, rownum, err))
					return -1;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
			continue;
		n = local_name(&s->in);
		empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(s->in.reader);

		if (type == XML_READER_TYPE_ELEMENT)
		{
			if (strcmp(n, "row") == 0)
			{
				char *rs = attr(&s->in, "r");
				char *end = NULL;
				long  rn = rs ? strtol(rs, &end, 10) : s->next_rownum;

				if (rs && (end == rs || *end != '\0' || rn < 1 || rn > 100000000L))
				{
					formats_error_set(err, FE_BAD_CELL, rs, strlen(rs));
					free(rs);
					return -1;
				}
				free(rs);
				rownum = rn;
				s->next_rownum = rn + 1;
				s->next_col = 0;
				s->ncells = 0;
				s->text.len = 0;
				in_row = !empty;
				continue;
			}
			if (!in_row)
				continue;
			if (strcmp(n, "c") == 0)
			{
				char *ref = attr(&s->in, "r");
				char *t = attr(&s->in, "t");
				char *st = attr(&s->in, "s");

				s->col = s->next_col;
				if (ref)
				{
					long rr = 0;
					int  c = formats_parse_cell_ref(ref, strlen(ref), &rr);

					if (c < 0 || (rr != 0 && rr != rownum))
					{
						formats_error_set(err, FE_BAD_CELL, ref, strlen(ref));
						free(ref);
						free(t);
						free(st);
						return -1;
					}
					s->col = c;
				}
				free(ref);
				if (s->col >= FORMATS_MAX_COLS)
				{
					free(t);
					free(st);
					formats_error_set(err, FE_TOO_MANY_COLS, NULL, 0);
					return -1;
				}
				s->next_col = s->col + 1;
				snprintf(s->ctype, sizeof(s->ctype), "%s", t ? t : "");
				s->style = st ? strtol(st, NULL, 10) : 0;
				free(t);
				free(st);
				s->has_f = s->has_v = false;
				s->collect = 0;
				s->is_depth = s->rph_depth = 0;
				s->cell_start = s->text.len;
				if (empty && !finish_cell(s, rownum, err))
					return -1;
			}
			else if (strcmp(n, "v") == 0)
			{
				s->has_v = true;
				if (!empty)
					s->collect = 1;
			}
			else if (strcmp(n, "f") == 0)
				s->has_f = true;
			else if (strcmp(n, "is") == 0)
			{
				s->has_v = true;
				if (!empty)
					s->collect = 2;
			}
			else if (strcmp(n, "t") == 0 && s->collect == 2 && !empty)
				s->is_depth++;
			else if (strcmp(n, "rPh") == 0 && s->collect == 2 && !empty)
				s->rph_depth++;
			continue;
		}

		/* end elements */
		if (strcmp(n, "row") == 0 && in_row)
		{
			int i;

			in_row = false;
			if (s->ncells == 0)
				continue; /* an empty row is skipped */
			for (i = 0; i < s->ncells; i++)
				s->cells[i].s = s->text.p + s->offs[i];
			row->rownum = rownum;
			row->ncells = s->ncells;
			row->cells = s->cells;
			return 1;
		}
		if (!in_row)
			continue;
		if (strcmp(n, "c") == 0)
		{
			if (!finish_cell(s, rownum, err))
				return -1;
		}
		else if (strcmp(n, "v") == 0 || strcmp(n, "is") == 0)
			s->collect = 0;
		else if (strcmp(n, "t") == 0 && s->is_depth > 0)
			s->is_depth--;
		else if (strcmp(n, "rPh") == 0 && s->rph_depth > 0)
			s->rph_depth--;
	}
	if (r < 0)
	{
		/* libxml2 refused a text node too large for it: name the cell being read */
		if (err->code == FE_CELL_TOO_BIG && err->cell[0] == '\0' && rownum > 0)
			cell_error(s, err, FE_CELL_TOO_BIG, rownum);
		return -1;
	}
	s->done = true;
	return 0;
}

/* ---- the book ---- */

static void
read_meta(XlsxBook *b, FormatsError *err)
{
	int        i;
	XlsxSheet *s;
	XlsxRow    row;

	for (i = 0; i < b->nsheets; i++)
		if (b->sheets[i].name && strcmp(b->sheets[i].name, "_taxshare") == 0)
			break;
	if (i == b->nsheets || (s = xlsx_sheet_open(b, i, err)) == NULL)
	{
		err->code = FE_OK;
		return;
	}
	while (b->nmeta < XLSX_META_KEYS && xlsx_sheet_next_row(s, &row, err) == 1)
		if (row.ncells >= 2 && row.cells[0].col == 0 && row.cells[1].col == 1)
		{
			b->meta_key[b->nmeta] = xstrdup(row.cells[0].s);
			b->meta_val[b->nmeta] = xstrdup(row.cells[1].s);
			b->nmeta++;
		}
	xlsx_sheet_close(s);
}

XlsxBook *
xlsx_open(const void *data, size_t len, const FormatsLimits *lim, FormatsError *err)
{
	XlsxBook *b;

	memset(err, 0, sizeof(FormatsError));
	b = calloc(1, sizeof(XlsxBook));
	if (b == NULL)
	{
		formats_error_set(err, FE_ZIP, "out of memory", 13);
		return NULL;
	}
	b->lim = *lim;
	b->zip = fmt_zip_open(data, len, lim, err);
	if (b->zip == NULL)
		goto fail;
	if (!read_workbook(b, err) || !read_rels(b, err) || !read_styles(b, err) ||
		!read_shared_strings(b, err))
		goto fail;
	if (xlsx_data_sheet(b) < 0)
	{
		formats_error_set(err, FE_NO_SHEET, NULL, 0);
		goto fail;
	}
	read_meta(b, err);
	if (err->code != FE_OK)
		goto fail;
	return b;
fail:
	xlsx_close(b);
	return NULL;
}

void
xlsx_close(XlsxBook *b)
{
	int i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nsheets; i++)
	{
		free(b->sheets[i].name);
		free(b->sheets[i].rid);
		free(b->sheets[i].path);
	}
	for (i = 0; i < b->nmeta; i++)
	{
		free(b->meta_key[i]);
		free(b->meta_val[i]);
	}
	free(b->sst_path);
	free(b->xf_date);
	free(b->sst_off);
	free(b->sst_buf);
	fmt_zip_close(b->zip);
	free(b);
}

bool
xlsx_date1904(const XlsxBook *b)
{
	return b->date1904;
}

long
xlsx_shared_count(const XlsxBook *b)
{
	return b->nsst;
}

int
xlsx_sheet_count(const XlsxBook *b)
{
	return b->nsheets;
}

const char *
xlsx_sheet_name(const XlsxBook *b, int i)
{
	return i >= 0 && i < b->nsheets && b->sheets[i].name ? b->sheets[i].name : "";
}

int
xlsx_data_sheet(const XlsxBook *b)
{
	int i;

	for (i = 0; i < b->nsheets; i++)
		if (!b->sheets[i].hidden && b->sheets[i].path && b->sheets[i].name &&
			strcmp(b->sheets[i].name, "_taxshare") != 0 &&
			strcmp(b->sheets[i].name, XLSX_INSTRUCTIONS_SHEET) != 0)
			return i;
	return -1;
}

const char *
xlsx_meta(const XlsxBook *b, const char *key)
{
	int i;

	for (i = 0; i < b->nmeta; i++)
		if (b->meta_key[i] && strcmp(b->meta_key[i], key) == 0)
			return b->meta_val[i];
	return NULL;
}
