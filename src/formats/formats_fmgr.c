/*
 * formats_fmgr.c
 *		taxshare.submit_xlsx() and taxshare.submit_csv(): a workbook or a CSV
 *		file becomes one submission, through the same load as submit().
 *
 * The file is read by the pure cores (xlsx_read.c, csv_read.c); its header
 * row is matched to the item's fields by name or by Chinese title; each data
 * row becomes a jsonb object keyed by field name (a column whose header names
 * no field keeps its header, and is counted as an unknown key as submit()
 * counts one) and goes to intake_row(), with the letters of each field's
 * column and the file's row number so that errors name their cell.  The
 * readers allocate with malloc (libzip, libxml2): they are freed by a reset
 * callback of this call's memory context, so an error anywhere frees them.
 * The file itself is kept in taxshare.submission_file.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "formats/csv_read.h"
#include "formats/formats.h"
#include "formats/xlsx_read.h"
#include "intake/intake.h"
#include "validate/validate_fmgr.h"

static int xlsx_max_uncompressed_mb = 2048;
static int xlsx_max_ratio = 100;
static int xlsx_max_shared_strings = 2000000;
static int xlsx_max_shared_mb = 256;

void
formats_init(void)
{
	DefineCustomIntVariable("taxshare.xlsx_max_uncompressed",
							"Largest uncompressed size of an uploaded workbook, in MB.",
							"submit_xlsx refuses a workbook whose parts together decompress "
							"to more (a zip bomb).",
							&xlsx_max_uncompressed_mb, 2048, 1, INT_MAX / 2, PGC_SUSET, GUC_UNIT_MB,
							NULL, NULL, NULL);
	DefineCustomIntVariable("taxshare.xlsx_max_ratio",
							"Largest compression ratio of a part of an uploaded workbook.",
							"Parts of at least 1 MB compressed more than this are refused "
							"(a zip bomb).",
							&xlsx_max_ratio, 100, 2, 1000000, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable(
		"taxshare.xlsx_max_shared_strings", "Most entries of a workbook's shared-string table.",
		NULL, &xlsx_max_shared_strings, 2000000, 0, INT_MAX, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("taxshare.xlsx_max_shared_size",
							"Largest total text of a workbook's shared-string table, in MB.", NULL,
							&xlsx_max_shared_mb, 256, 1, INT_MAX / 2, PGC_SUSET, GUC_UNIT_MB, NULL,
							NULL, NULL);
}

void
formats_limits(FormatsLimits *lim)
{
	lim->max_uncompressed = (uint64_t) xlsx_max_uncompressed_mb * 1024 * 1024;
	lim->max_ratio = xlsx_max_ratio;
	lim->max_shared_strings = (uint64_t) xlsx_max_shared_strings;
	lim->max_shared_bytes = (uint64_t) xlsx_max_shared_mb * 1024 * 1024;
	lim->max_cell_bytes = VALIDATE_MAX_VALUE_BYTES;
}

void
formats_report(const FormatsError *err, const char *what)
{
	switch (err->code)
	{
		case FE_OLE2:
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s is an Excel 97-2003 (.xls) or WPS (.et) workbook, not .xlsx", what),
				 errdetail("It starts with the OLE2 signature D0 CF 11 E0."),
				 errhint("Open it in Excel or WPS and save it as .xlsx (Excel 工作簿), then upload "
						 "that file.")));
			break;
		case FE_ENCRYPTED:
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s is password-protected or encrypted%s%s", what,
						err->value[0] ? ": " : "", err->value),
				 errhint(
					 "Remove the password (File, Info, Protect Workbook) and upload it again.")));
			break;
		case FE_NOT_ZIP:
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s is not an .xlsx workbook (it starts with \"%s\")", what,
						err->value),
				 errhint("Upload the .xlsx file itself; CSV files go to taxshare.submit_csv().")));
			break;
		case FE_ZIP:
			ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
							errmsg("the %s is damaged or truncated: %s", what, err->value),
							errhint("Save the workbook again and upload the whole file.")));
			break;
		case FE_ENTRY_NAME:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("the %s holds a part named \"%s\", outside the workbook", what,
								   err->value),
							errhint("A workbook saved by Excel, WPS or LibreOffice has no such "
									"part; save it again from one of them.")));
			break;
		case FE_TOO_BIG:
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("the %s decompresses to more than %lld bytes (part \"%s\")",
								   what, (long long) err->limit, err->value),
							errhint("Split the rows into several files, or ask the office to raise "
									"taxshare.xlsx_max_uncompressed.")));
			break;
		case FE_RATIO:
			ereport(
				ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("part \"%s\" of the %s is compressed %lld times, more than %lld",
						err->value, what, (long long) err->n, (long long) err->limit),
				 errhint(
					 "This is how a zip bomb looks; a workbook saved by Excel or WPS is not. Ask "
					 "the office to raise taxshare.xlsx_max_ratio if the file is genuine.")));
			break;
		case FE_MISSING:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("the %s lacks its part \"%s\"", what, err->value),
							errhint("Save the workbook again from Excel, WPS or LibreOffice.")));
			break;
		case FE_XML:
			ereport(ERROR, (errcode(ERRCODE_INVALID_XML_DOCUMENT),
							errmsg("the %s holds malformed XML (line %ld): %s", what, err->line,
								   err->value),
							errhint("Save the workbook again from Excel, WPS or LibreOffice.")));
			break;
		case FE_DTD:
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_XML_DOCUMENT),
				 errmsg("the %s holds an XML document type declaration (DOCTYPE or ENTITY)", what),
				 errhint("taxshare reads no DTDs and expands no entities; office programs write "
						 "none.")));
			break;
		case FE_FORMULA:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("cell %s holds a formula without a computed value", err->cell),
							errhint("Open the workbook in Excel or WPS, let it calculate, save it "
									"and upload it again; or paste the values.")));
			break;
		case FE_CELL_TOO_BIG:
			if (err->cell[0])
				ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
								errmsg("cell %s of the %s holds more than %d bytes", err->cell,
									   what, VALIDATE_MAX_VALUE_BYTES),
								errhint("No field takes a value this long; check the cell.")));
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("a value in part \"%s\" of the %s holds more than %d bytes",
								   err->value, what, VALIDATE_MAX_VALUE_BYTES),
							errhint("No field takes a value this long; check the cells.")));
			break;
		case FE_SST_LIMIT:
			ereport(
				ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the shared-string table of the %s is too large (%s: more than %lld)", what,
						err->value, (long long) err->limit),
				 errhint("Split the rows into several files, or ask the office to raise "
						 "taxshare.xlsx_max_shared_strings or taxshare.xlsx_max_shared_size.")));
			break;
		case FE_SST_INDEX:
			ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
							errmsg("cell %s names shared string %s, which the %s does not hold",
								   err->cell, err->value, what),
							errhint("Save the workbook again from Excel, WPS or LibreOffice.")));
			break;
		case FE_BAD_CELL:
			ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
							errmsg("the %s names a cell or row \"%s\" out of order or out of range",
								   what, err->value),
							errhint("Save the workbook again from Excel, WPS or LibreOffice.")));
			break;
		case FE_TOO_MANY_COLS:
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("the %s has more than %d columns", what, FORMATS_MAX_COLS),
							errhint("Keep one column per field.")));
			break;
		case FE_NO_SHEET:
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("the %s has no visible sheet with data", what),
							errhint("Fill the first sheet of the template.")));
			break;
		case FE_CSV_QUOTE:
			ereport(
				ERROR,
				(errcode(ERRCODE_BAD_COPY_FILE_FORMAT),
				 errmsg(err->n ? "line %ld, field %d of the %s: text after a closing quote (\"%s\")"
							   : "line %ld, field %d of the %s: a quote that is never closed%s",
						err->line, err->col, what, err->value),
				 errhint("Inside a quoted field write a quote as two quotes (\"\"); the file may "
						 "be truncated.")));
			break;
		case FE_ENCODING:
		case FE_OK:
			break;
	}
	elog(ERROR, "taxshare: unexpected file error %d", (int) err->code);
}

/* ---- the readers' memory ---- */

typedef struct FileHandles
{
	XlsxBook  *book;
	XlsxSheet *sheet;
	CsvReader *csv;
} FileHandles;

static void
free_handles(void *arg)
{
	FileHandles *h = arg;

	xlsx_sheet_close(h->sheet);
	xlsx_close(h->book);
	csv_close(h->csv);
	h->sheet = NULL;
	h->book = NULL;
	h->csv = NULL;
}

/* Handles freed when the current memory context goes, on error too. */
static FileHandles *
handles_create(void)
{
	FileHandles           *h = palloc0(sizeof(FileHandles));
	MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));

	cb->func = free_handles;
	cb->arg = h;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return h;
}

/* ---- header and rows ---- */

typedef struct FileColumns
{
	int    ncols;
	char **key;  /* per column: the jsonb key (field name or header), NULL: ignored */
	char **cols; /* per field: its column's letters, or NULL */
} FileColumns;

/* A header cell's text without spaces and the marks of a required field. */
static char *
header_text(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '*' || *s == '\n' || *s == '\r'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '*' ||
					   s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return pnstrdup(s, len);
}

static void
header_add(FileColumns *fc, const ItemSpec *spec, int col, const char *s, size_t len,
		   const char *what)
{
	char *h = header_text(s, len);
	int   f;
	char  letters[8];

	if (col >= fc->ncols)
	{
		int n = col + 1;

		fc->key = fc->ncols ? repalloc(fc->key, sizeof(char *) * n) : palloc(sizeof(char *) * n);
		memset(fc->key + fc->ncols, 0, sizeof(char *) * (n - fc->ncols));
		fc->ncols = n;
	}
	if (h[0] == '\0')
		return;
	f = validate_field_index(spec, h, strlen(h));
	for (int i = 0; f < 0 && i < spec->nfields; i++)
		if (spec->fields[i].title && strcmp(spec->fields[i].title, h) == 0)
			f = i;
	formats_col_letters(col, letters);
	if (f >= 0)
	{
		if (fc->cols[f])
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("columns %s and %s of the %s both name field \"%s\"",
								   fc->cols[f], letters, what, spec->fields[f].name),
							errhint("Keep one column per field; delete the other.")));
		fc->cols[f] = pstrdup(letters);
		fc->key[col] = pstrdup(spec->fields[f].name);
	}
	else
		fc->key[col] = h; /* counted as an unknown key, as submit() counts one */
}

static void
header_done(FileColumns *fc, const ItemSpec *spec, const char *item, const char *what)
{
	int            matched = 0;
	StringInfoData want;

	for (int i = 0; i < spec->nfields; i++)
		matched += fc->cols[i] != NULL;
	if (matched > 0 || spec->nfields == 0)
		return;
	initStringInfo(&want);
	for (int i = 0; i < spec->nfields && i < 8; i++)
		appendStringInfo(&want, "%s%s", i ? ", " : "",
						 spec->fields[i].title ? spec->fields[i].title : spec->fields[i].name);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("no column of the header row of the %s names a field of item %s", what, item),
			 errhint("The first row holds the fields' titles or names: %s%s.", want.data,
					 spec->nfields > 8 ? ", ..." : "")));
}

/*
 * The template's second row (hidden) holds the field names under the titles:
 * a row right under the header whose every cell is the name of a field, each
 * field once, is that row.  It is skipped, and its names decide the columns.
 */
static bool
names_row(FileColumns *fc, const ItemSpec *spec, const XlsxRow *row)
{
	int i;

	for (i = 0; i < row->ncells; i++)
	{
		const XlsxCell *c = &row->cells[i];
		int             f = validate_field_index(spec, c->s, c->len);
		char            letters[8];

		if (f < 0 || c->col >= fc->ncols)
			return false;
		formats_col_letters(c->col, letters);
		if (fc->cols[f] && strcmp(fc->cols[f], letters) != 0)
			return false;
	}
	for (i = 0; i < row->ncells; i++)
	{
		const XlsxCell *c = &row->cells[i];
		int             f = validate_field_index(spec, c->s, c->len);
		char            letters[8];

		formats_col_letters(c->col, letters);
		fc->cols[f] = pstrdup(letters);
		fc->key[c->col] = pstrdup(spec->fields[f].name);
	}
	return row->ncells > 0;
}

static void
push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s, size_t len)
{
	JsonbValue v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = (int) len;
	pushJsonbValue(st, tok, &v);
}

/* ---- the submission's file ---- */

static void
keep_file(int64 submission_id, const char *channel, bytea *data)
{
	Oid   types[3] = {INT8OID, TEXTOID, BYTEAOID};
	Datum values[3];

	values[0] = Int64GetDatum(submission_id);
	values[1] = CStringGetTextDatum(channel);
	values[2] = PointerGetDatum(data);
	SPI_connect();
	if (SPI_execute_with_args("INSERT INTO taxshare.submission_file (submission_id, channel,"
							  " content, sha256, size)"
							  " VALUES ($1, $2, $3, pg_catalog.sha256($3), pg_catalog.length($3))",
							  3, types, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "taxshare: keeping the submitted file failed");
	SPI_finish();
}

/* ---- the common arguments ---- */

static char *
required_text(FunctionCallInfo fcinfo, int arg, const char *name, const char *fn)
{
	if (PG_ARGISNULL(arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be null", name),
				 errhint("Call taxshare.%s(item, unit, period_start, file).", fn)));
	return text_to_cstring(PG_GETARG_TEXT_PP(arg));
}

/*
 * The source of a file load; the client's reference of the batch (for a safe
 * retry, docs/intake.md) is argument ref_arg, the file's bytes argument 3.
 */
static void
file_source(FunctionCallInfo fcinfo, IntakeSource *src, const char *fn, const char *channel,
			int ref_arg)
{
	src->item = required_text(fcinfo, 0, "item", fn);
	src->unit = required_text(fcinfo, 1, "unit", fn);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("period_start must not be null"),
				 errhint("Give the first day of the reporting period, e.g. '2024-03-01'.")));
	src->period_start = PG_GETARG_DATEADT(2);
	if (PG_ARGISNULL(3))
		ereport(
			ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the file must not be null"),
			 errhint("Pass the file's bytes, e.g. pg_read_binary_file() or a bytea parameter.")));
	src->has_exchange = false;
	src->received_at_exchange = 0;
	src->run_as = InvalidOid; /* SECURITY DEFINER already */
	src->channel = channel;
	src->client_ref = PG_NARGS() > ref_arg && !PG_ARGISNULL(ref_arg)
						  ? text_to_cstring(PG_GETARG_TEXT_PP(ref_arg))
						  : NULL;
	src->client_content = NULL; /* the file's bytes, set by the caller once detoasted */
}

/* Open the load and make its errors name cells. */
static IntakeLoad *
file_load_begin(const IntakeSource *src, FileColumns *fc)
{
	IntakeLoad *load = intake_begin(src, 0);

	if (load->retry_of > 0)
		return load; /* received before under the same reference: nothing to read */
	fc->cols = MemoryContextAllocZero(load->cxt, sizeof(char *) * Max(load->item->spec.nfields, 1));
	load->cell_cols = (const char *const *) fc->cols;
	intake_writer_with_cells(load->writer);
	return load;
}

/* Do two versions of an item have the same fields, in the same order? */
static bool
same_fields(const ItemSpec *a, const ItemSpec *b)
{
	if (a->nfields != b->nfields)
		return false;
	for (int i = 0; i < a->nfields; i++)
	{
		const FieldSpec *x = &a->fields[i];
		const FieldSpec *y = &b->fields[i];

		if (strcmp(x->name, y->name) != 0 || x->type != y->type ||
			strcmp(x->title ? x->title : "", y->title ? y->title : "") != 0)
			return false;
	}
	return true;
}

/*
 * The hidden _taxshare sheet of a template names the item and the version it
 * was made for.  Another item is refused; another version only when its
 * fields differ from the current version's (names, titles, types, order).
 */
static void
check_template_meta(XlsxBook *book, IntakeLoad *load)
{
	const char  *code = xlsx_meta(book, "item_code");
	const char  *ver = xlsx_meta(book, "item_version");
	char        *end;
	long         v;
	CatalogItem *old;
	bool         same;

	if (code && strcmp(code, load->item->code) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the workbook is the template of item %s, not of item %s", code,
						load->item->code),
				 errhint("Download the template of item %s with taxshare.template_xlsx('%s').",
						 load->item->code, load->item->code)));
	if (ver == NULL)
		return;
	v = strtol(ver, &end, 10);
	if (end == ver || *end != '\0' || v < 1 || v > PG_INT32_MAX)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("the workbook's _taxshare sheet names item version \"%s\"", ver),
						errhint("Download the template again with taxshare.template_xlsx('%s').",
								load->item->code)));
	if (v == load->item->version)
		return;
	old = catalog_item_get(load->item->code, (int32) v);
	same = old && same_fields(&old->spec, &load->item->spec);
	if (old)
		catalog_item_release(old);
	if (!same)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("the workbook was filled against version %ld of item %s, whose "
							   "fields differ from the current version %d",
							   v, load->item->code, load->item->version),
						errhint("Download the current template with taxshare.template_xlsx('%s') "
								"and copy the rows into it.",
								load->item->code)));
}

PG_FUNCTION_INFO_V1(submit_xlsx);

Datum
submit_xlsx(PG_FUNCTION_ARGS)
{
	IntakeSource  src;
	bytea        *data;
	FormatsLimits lim;
	FormatsError  err;
	FileHandles  *h;
	IntakeLoad   *load;
	FileColumns   fc = {0};
	XlsxRow       row;
	int           r;
	bool          header = true;
	long          header_row = 0;
	MemoryContext rowcxt;
	int64         id;

	file_source(fcinfo, &src, "submit_xlsx", "xlsx", 4);
	data = PG_GETARG_BYTEA_PP(3);
	src.client_content = (const struct varlena *) data;
	formats_limits(&lim);
	h = handles_create();
	memset(&err, 0, sizeof(err));
	h->book = xlsx_open(VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), &lim, &err);
	if (h->book == NULL)
		formats_report(&err, "workbook");
	h->sheet = xlsx_sheet_open(h->book, xlsx_data_sheet(h->book), &err);
	if (h->sheet == NULL)
		formats_report(&err, "workbook");

	load = file_load_begin(&src, &fc);
	if (load->retry_of > 0)
	{
		free_handles(h);
		PG_RETURN_INT64(load->retry_of);
	}
	check_template_meta(h->book, load);
	rowcxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare file row", ALLOCSET_DEFAULT_SIZES);
	while ((r = xlsx_sheet_next_row(h->sheet, &row, &err)) == 1)
	{
		MemoryContext    old;
		JsonbParseState *st = NULL;
		JsonbValue      *obj;
		JsonbValue       elem;
		int              i;

		CHECK_FOR_INTERRUPTS();
		if (header)
		{
			for (i = 0; i < row.ncells; i++)
				header_add(&fc, &load->item->spec, row.cells[i].col, row.cells[i].s,
						   row.cells[i].len, "workbook");
			header_done(&fc, &load->item->spec, load->item->code, "workbook");
			header = false;
			header_row = row.rownum;
			continue;
		}
		if (row.rownum == header_row + 1 && names_row(&fc, &load->item->spec, &row))
			continue;
		old = MemoryContextSwitchTo(rowcxt);
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < row.ncells; i++)
		{
			const XlsxCell *c = &row.cells[i];
			char            letters[8];
			const char     *key;

			if (c->col < fc.ncols && fc.key[c->col] == NULL)
				continue; /* a column without a header */
			if (c->col < fc.ncols)
				key = fc.key[c->col];
			else
			{
				formats_col_letters(c->col, letters);
				key = letters; /* beyond the header: an unknown key named by its column */
			}
			push_string(&st, WJB_KEY, key, strlen(key));
			push_string(&st, WJB_VALUE, c->s, c->len);
		}
		obj = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		/* a row with values only in columns without a header is no row */
		if (obj->val.object.nPairs > 0)
		{
			intake_jsonb_element(JsonbValueToJsonb(obj), &elem);
			load->file_row = (int32) row.rownum;
			intake_row(load, &elem);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	if (r < 0)
		formats_report(&err, "workbook");
	if (header)
		header_done(&fc, &load->item->spec, load->item->code, "workbook");
	id = intake_finish(load);
	free_handles(h);
	keep_file(id, "xlsx", data);
	PG_RETURN_INT64(id);
}

/* ---- CSV ---- */

static void
encoding_error(const char *data, size_t len, size_t bad, const char *encname)
{
	long   line = 1;
	size_t i;
	char   hex[16];
	int    n = 0;

	for (i = 0; i < bad && i < len; i++)
		if (data[i] == '\n')
			line++;
	for (i = bad; i < len && i < bad + 4; i++)
		n += snprintf(hex + n, sizeof(hex) - n, "%s%02X", n ? " " : "", (unsigned char) data[i]);
	ereport(
		ERROR,
		(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
		 errmsg("line %ld of the CSV file holds bytes that are not %s: %s", line, encname, hex),
		 errhint("Save the file as UTF-8 (CSV UTF-8) or as GBK/GB18030 (CSV on a Chinese Windows) "
				 "and name the encoding: taxshare.submit_csv(..., encoding => 'GBK').")));
}

PG_FUNCTION_INFO_V1(submit_csv);

Datum
submit_csv(PG_FUNCTION_ARGS)
{
	IntakeSource    src;
	bytea          *data;
	const char     *p;
	size_t          len;
	size_t          bad = 0;
	CsvEncoding     enc;
	int             pg_enc;
	const char     *encname;
	FileHandles    *h;
	IntakeLoad     *load;
	FileColumns     fc = {0};
	const CsvField *fields;
	int             nf;
	long            line;
	int             r;
	bool            header = true;
	FormatsError    err;
	MemoryContext   rowcxt;
	int64           id;

	file_source(fcinfo, &src, "submit_csv", "csv", 5);
	data = PG_GETARG_BYTEA_PP(3);
	src.client_content = (const struct varlena *) data;
	p = VARDATA_ANY(data);
	len = VARSIZE_ANY_EXHDR(data);

	/* the encoding: named, or the one the bytes fit */
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
	{
		char *name = text_to_cstring(PG_GETARG_TEXT_PP(4));

		pg_enc = pg_char_to_encoding(name);
		if (pg_enc == PG_UTF8)
			enc = CSV_UTF8;
		else if (pg_enc == PG_GBK)
			enc = CSV_GBK;
		else if (pg_enc == PG_GB18030)
			enc = CSV_GB18030;
		else
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("encoding \"%s\" is not one submit_csv reads", name),
							errhint("Name UTF8, GBK or GB18030, or pass NULL to detect it.")));
	}
	else
	{
		enc = csv_detect_encoding(p, len, &bad);
		if (enc == CSV_INVALID)
			encoding_error(p, len, bad, "UTF-8, GBK or GB18030");
	}
	pg_enc = enc == CSV_UTF8 ? PG_UTF8 : enc == CSV_GBK ? PG_GBK : PG_GB18030;
	encname = pg_encoding_to_char(pg_enc);
	if (!csv_valid_in(enc, p, len, &bad))
		encoding_error(p, len, bad, encname);

	h = handles_create();
	h->csv = csv_open(p, len, VALIDATE_MAX_VALUE_BYTES);
	if (h->csv == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	load = file_load_begin(&src, &fc);
	if (load->retry_of > 0)
	{
		free_handles(h);
		PG_RETURN_INT64(load->retry_of);
	}
	rowcxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare file row", ALLOCSET_DEFAULT_SIZES);
	memset(&err, 0, sizeof(err));
	while ((r = csv_next(h->csv, &fields, &nf, &line, &err)) == 1)
	{
		MemoryContext    old;
		JsonbParseState *st = NULL;
		JsonbValue      *obj;
		JsonbValue       elem;
		int              i;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(rowcxt);
		if (header)
		{
			MemoryContextSwitchTo(old);
			for (i = 0; i < nf; i++)
			{
				char *s = pg_any_to_server(fields[i].s, (int) fields[i].len, pg_enc);

				if (s == fields[i].s)
					s = pnstrdup(fields[i].s, fields[i].len);
				header_add(&fc, &load->item->spec, i, s, strlen(s), "CSV file");
			}
			header_done(&fc, &load->item->spec, load->item->code, "CSV file");
			header = false;
			continue;
		}
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < nf; i++)
		{
			char        letters[8];
			const char *key;
			char       *s;

			if (fields[i].len == 0 || (i < fc.ncols && fc.key[i] == NULL))
				continue;
			if (i < fc.ncols)
				key = fc.key[i];
			else
			{
				formats_col_letters(i, letters);
				key = letters;
			}
			s = pg_any_to_server(fields[i].s, (int) fields[i].len, pg_enc);
			push_string(&st, WJB_KEY, key, strlen(key));
			push_string(&st, WJB_VALUE, s, s == fields[i].s ? fields[i].len : strlen(s));
		}
		obj = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		if (obj->val.object.nPairs > 0)
		{
			intake_jsonb_element(JsonbValueToJsonb(obj), &elem);
			load->file_row = (int32) Min(line, PG_INT32_MAX);
			intake_row(load, &elem);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	if (r < 0)
		formats_report(&err, "CSV file");
	if (header)
		header_done(&fc, &load->item->spec, load->item->code, "CSV file");
	id = intake_finish(load);
	free_handles(h);
	keep_file(id, "csv", data);
	PG_RETURN_INT64(id);
}
