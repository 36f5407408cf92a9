/*
 * error_xlsx_fmgr.c
 *		taxshare.error_xlsx(submission_id): the liaison's own workbook given
 *		back with every faulty cell highlighted and its message as the cell's
 *		comment, and a sheet listing the errors.
 *
 * The workbook is the one kept in submission_file, read again with the
 * reader of submit_xlsx() (xlsx_read.c): its data sheet is rewritten with
 * libxlsxwriter cell by cell at the same rows and columns, strings as strings,
 * numbers as numbers, dates as dates; the cells named by record_error.cell
 * get a red fill and a comment; a second sheet lists every error (row-level
 * ones included).  The caller reads submission_file and record_error under
 * row-level security (SECURITY INVOKER): a unit gets only its own.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "formats/formats.h"
#include "formats/xlsx_read.h"
#include "formats/xlsx_tempfile.h"

/* One faulty cell: its messages, one a line. */
typedef struct CellErrors
{
	char           cell[16]; /* the key: "D12" */
	StringInfoData text;
	bool           written; /* the cell had a value, written with its comment */
} CellErrors;

typedef struct ErrorRow
{
	int32 row_no;
	char *cell;
	char *field;
	char *code;
	char *message;
} ErrorRow;

typedef struct ErrorBook
{
	XlsxBook  *book;
	XlsxSheet *sheet;
	char      *sheet_name;
	HTAB      *cells;
	int        nerrors;
	ErrorRow  *errors;
	bool       zh;
} ErrorBook;

static void
free_book(void *arg)
{
	ErrorBook *eb = arg;

	xlsx_sheet_close(eb->sheet);
	xlsx_close(eb->book);
	eb->sheet = NULL;
	eb->book = NULL;
}

/* Parse "YYYY-MM-DD[ HH:MM:SS]" into libxlsxwriter's datetime. */
static bool
parse_datetime(const char *s, lxw_datetime *dt)
{
	int y, mo, d, h = 0, mi = 0;
	int sec = 0;
	int n = sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec);

	if (n != 3 && n != 6)
		return false;
	dt->year = y;
	dt->month = mo;
	dt->day = d;
	dt->hour = h;
	dt->min = mi;
	dt->sec = sec;
	return true;
}

static void
check_lxw(lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("writing the workbook of errors failed (%s): %s", what, lxw_strerror(e))));
}

static void
build(lxw_workbook *wb, void *arg)
{
	ErrorBook          *eb = arg;
	lxw_worksheet      *ws = workbook_add_worksheet(wb, eb->sheet_name);
	lxw_worksheet      *es;
	lxw_format         *bad = workbook_add_format(wb);
	lxw_format         *bad_date = workbook_add_format(wb);
	lxw_format         *date = workbook_add_format(wb);
	lxw_format         *bold = workbook_add_format(wb);
	lxw_comment_options copt = {0};
	XlsxRow             row;
	FormatsError        err;
	int                 r;
	int                 i;
	HASH_SEQ_STATUS     seq;
	CellErrors         *ce;
	const char *const   heads_zh[] = {"数据行", "单元格", "字段", "错误代码", "说明"};
	const char *const   heads_en[] = {"data row", "cell", "field", "code", "message"};

	format_set_bg_color(bad, 0xFFC7CE);
	format_set_font_color(bad, 0x9C0006);
	format_set_bg_color(bad_date, 0xFFC7CE);
	format_set_font_color(bad_date, 0x9C0006);
	format_set_num_format(bad_date, "yyyy-mm-dd");
	format_set_num_format(date, "yyyy-mm-dd");
	format_set_bold(bold);
	copt.x_scale = 2;
	copt.y_scale = 2;
	if (ws == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("writing the workbook of errors failed: sheet \"%s\"", eb->sheet_name)));

	memset(&err, 0, sizeof(err));
	while ((r = xlsx_sheet_next_row(eb->sheet, &row, &err)) == 1)
	{
		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < row.ncells; i++)
		{
			const XlsxCell *c = &row.cells[i];
			char            ref[24];
			char            letters[8];
			lxw_row_t       rr = (lxw_row_t) (row.rownum - 1);
			lxw_col_t       cc = (lxw_col_t) c->col;
			lxw_datetime    dt;
			char           *end;
			double          num;

			formats_col_letters(c->col, letters);
			snprintf(ref, sizeof(ref), "%s%ld", letters, row.rownum);
			ce = hash_search(eb->cells, ref, HASH_FIND, NULL);
			switch (c->kind)
			{
				case XK_NUMBER:
					num = strtod(c->s, &end);
					if (end != c->s && *end == '\0')
					{
						check_lxw(worksheet_write_number(ws, rr, cc, num, ce ? bad : NULL), ref);
						break;
					}
					/* FALLTHROUGH */
				case XK_STRING:
					check_lxw(worksheet_write_string(ws, rr, cc, c->s, ce ? bad : NULL), ref);
					break;
				case XK_BOOL:
					check_lxw(worksheet_write_boolean(ws, rr, cc, strcmp(c->s, "true") == 0,
													  ce ? bad : NULL),
							  ref);
					break;
				case XK_DATE:
					if (parse_datetime(c->s, &dt))
						check_lxw(worksheet_write_datetime(ws, rr, cc, &dt, ce ? bad_date : date),
								  ref);
					else
						check_lxw(worksheet_write_string(ws, rr, cc, c->s, ce ? bad : NULL), ref);
					break;
			}
			if (ce)
			{
				check_lxw(worksheet_write_comment_opt(ws, rr, cc, ce->text.data, &copt), ref);
				ce->written = true;
			}
		}
	}
	if (r < 0)
		formats_report(&err, "stored workbook");

	/* faulty cells that were empty (a required value missing): a blank with the fill */
	hash_seq_init(&seq, eb->cells);
	while ((ce = hash_seq_search(&seq)) != NULL)
	{
		long rownum = 0;
		int  col = formats_parse_cell_ref(ce->cell, strlen(ce->cell), &rownum);

		if (ce->written || col < 0 || rownum < 1)
			continue;
		check_lxw(worksheet_write_blank(ws, (lxw_row_t) (rownum - 1), (lxw_col_t) col, bad),
				  ce->cell);
		check_lxw(worksheet_write_comment_opt(ws, (lxw_row_t) (rownum - 1), (lxw_col_t) col,
											  ce->text.data, &copt),
				  ce->cell);
	}

	/* the list of errors */
	es = workbook_add_worksheet(wb, eb->zh ? "错误" : "errors");
	if (es == NULL)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
						errmsg("writing the workbook of errors failed: the errors sheet")));
	for (i = 0; i < 5; i++)
		check_lxw(
			worksheet_write_string(es, 0, (lxw_col_t) i, eb->zh ? heads_zh[i] : heads_en[i], bold),
			"errors sheet");
	for (i = 0; i < eb->nerrors; i++)
	{
		const ErrorRow *e = &eb->errors[i];
		lxw_row_t       rr = (lxw_row_t) (i + 1);

		check_lxw(worksheet_write_number(es, rr, 0, e->row_no, NULL), "errors sheet");
		if (e->cell)
			check_lxw(worksheet_write_string(es, rr, 1, e->cell, NULL), "errors sheet");
		if (e->field)
			check_lxw(worksheet_write_string(es, rr, 2, e->field, NULL), "errors sheet");
		check_lxw(worksheet_write_string(es, rr, 3, e->code, NULL), "errors sheet");
		check_lxw(worksheet_write_string(es, rr, 4, e->message, NULL), "errors sheet");
	}
	worksheet_set_column(es, 4, 4, 80, NULL);
	worksheet_freeze_panes(es, 1, 0);
}

PG_FUNCTION_INFO_V1(error_xlsx);

Datum
error_xlsx(PG_FUNCTION_ARGS)
{
	int64                  id = PG_GETARG_INT64(0);
	Oid                    types[1] = {INT8OID};
	Datum                  values[1];
	bytea                 *content;
	char                  *channel;
	bool                   isnull;
	ErrorBook             *eb = palloc0(sizeof(ErrorBook));
	MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));
	MemoryContext          callcxt = CurrentMemoryContext;
	HASHCTL                ctl;
	FormatsLimits          lim;
	FormatsError           err;
	uint64                 i;
	bytea                 *result;

	cb->func = free_book;
	cb->arg = eb;
	MemoryContextRegisterResetCallback(callcxt, cb);
	eb->zh = taxshare_language() == TAXSHARE_LANG_ZH;

	values[0] = Int64GetDatum(id);
	SPI_connect();
	if (SPI_execute_with_args("SELECT content, channel FROM taxshare.submission_file"
							  " WHERE submission_id = $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the submitted file failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("submission %lld has no uploaded workbook you may read", (long long) id),
				 errhint("error_xlsx() gives back workbooks sent with taxshare.submit_xlsx(); the "
						 "office and the unit that sent it may read them.")));
	channel = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (strcmp(channel, "xlsx") != 0)
		ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
						errmsg("submission %lld was sent as %s, not as a workbook", (long long) id,
							   channel),
						errhint("Read its errors in taxshare.record_error (column cell).")));
	{
		/* out of SPI's memory, which SPI_finish() frees */
		struct varlena *v = PG_DETOAST_DATUM(
			SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

		content = MemoryContextAlloc(callcxt, VARSIZE_ANY(v));
		memcpy(content, v, VARSIZE_ANY(v));
	}

	if (SPI_execute_with_args("SELECT row_no, cell, field, code, message FROM taxshare.record_error"
							  " WHERE submission_id = $1 ORDER BY row_no, cell NULLS FIRST",
							  1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the record errors failed");

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = 16;
	ctl.entrysize = sizeof(CellErrors);
	ctl.hcxt = callcxt;
	eb->cells =
		hash_create("taxshare error cells", 256, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	eb->nerrors = (int) SPI_processed;
	eb->errors = MemoryContextAllocZero(callcxt, sizeof(ErrorRow) * Max(eb->nerrors, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple     t = SPI_tuptable->vals[i];
		TupleDesc     d = SPI_tuptable->tupdesc;
		ErrorRow     *e = &eb->errors[i];
		MemoryContext old = MemoryContextSwitchTo(callcxt);
		char         *s;

		e->row_no = DatumGetInt32(SPI_getbinval(t, d, 1, &isnull));
		s = SPI_getvalue(t, d, 2);
		e->cell = s && strlen(s) < 16 ? pstrdup(s) : NULL;
		s = SPI_getvalue(t, d, 3);
		e->field = s ? pstrdup(s) : NULL;
		e->code = pstrdup(SPI_getvalue(t, d, 4));
		e->message = pstrdup(SPI_getvalue(t, d, 5));
		if (e->cell)
		{
			bool        found;
			CellErrors *ce = hash_search(eb->cells, e->cell, HASH_ENTER, &found);

			if (!found)
			{
				initStringInfo(&ce->text);
				ce->written = false;
			}
			else
				appendStringInfoChar(&ce->text, '\n');
			appendStringInfoString(&ce->text, e->message);
		}
		MemoryContextSwitchTo(old);
	}
	SPI_finish();

	formats_limits(&lim);
	memset(&err, 0, sizeof(err));
	eb->book = xlsx_open(VARDATA_ANY(content), VARSIZE_ANY_EXHDR(content), &lim, &err);
	if (eb->book == NULL)
		formats_report(&err, "stored workbook");
	eb->sheet_name = pstrdup(xlsx_sheet_name(eb->book, xlsx_data_sheet(eb->book)));
	eb->sheet = xlsx_sheet_open(eb->book, xlsx_data_sheet(eb->book), &err);
	if (eb->sheet == NULL)
		formats_report(&err, "stored workbook");
	result = xlsx_tempfile_write(build, eb, false);
	free_book(eb);
	PG_RETURN_BYTEA_P(result);
}
