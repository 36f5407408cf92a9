/*
 * template_fmgr.c
 *		template_xlsx(item_code, unit): the Excel template of a catalog item,
 *		written with libxlsxwriter through xlsx_tempfile.c.
 *
 * What goes into the workbook comes from SQL (control/install/48_formats_template.sql):
 * the item (_template_item), its columns with their rules in words
 * (_template_fields), the instructions (_template_info) and the checksum of
 * the field list (template_checksum).  This file lays it out:
 *
 *	数据 (first, active)	row 1 the field titles (a required one shown with
 *						a * by its number format, so the cell holds the exact
 *						title), row 2 the field names (hidden), data from row
 *						3; header rows frozen; each column formatted and
 *						validated by its kind (template_layout.c)
 *	说明					the instructions and each field's rules
 *	_lists (hidden)		enum lists too long for an inline drop-down
 *	_taxshare (hidden)	A1 item_code B1 <code>, A2 item_version B2 <version>,
 *						A3 checksum B3 <template_checksum()>: the reading side
 *						(submit_xlsx) relies on exactly this layout; then
 *						A4 names_row B4 2, A5 data_row B5 3: where the field
 *						names and the data are on 数据
 *
 * The SQL runs inside the build callback, while the temporary file exists:
 * an unknown item is refused there, and xlsx_tempfile_write() removes the
 * file on the way out.
 */
#include "taxshare.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "formats/template_layout.h"
#include "formats/xlsx_tempfile.h"

/* Excel's limits on a validation's prompt: 32 characters of title, 255 of text. */
#define PROMPT_TITLE_CHARS 32
#define PROMPT_TEXT_CHARS  255

/* The rows of the data sheet (0-based): titles, names, then data. */
#define ROW_TITLE 0
#define ROW_NAME  1
#define ROW_DATA  2

typedef struct TemplateField
{
	char        *name;
	char        *title;
	char        *type;
	TemplateKind kind;
	bool         required;
	int          min_length; /* -1: none */
	int          max_length; /* -1: none */
	char        *minimum;    /* canonical text, or NULL */
	char        *maximum;
	char       **enumv;
	int          nenum;
	char        *rules; /* in the language of taxshare.language */
	char        *rules_zh;
	char        *rules_en;
} TemplateField;

typedef struct TemplateBuild
{
	text *item_code;
	text *unit;
	bool  en;
	/* filled from SQL in the build callback */
	char          *code;
	int            version;
	char          *title;
	char          *checksum;
	int            nfields;
	TemplateField *fields;
	int            ninfo;
	char         **info_label;
	char         **info_value;
} TemplateBuild;

/* Text of column c of the current SPI row, or NULL. */
static char *
spi_text(int row, int c)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, c);
}

static int
spi_int(int row, int c, int if_null)
{
	bool  isnull;
	Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, c, &isnull);

	return isnull ? if_null : DatumGetInt32(d);
}

static bool
spi_bool(int row, int c)
{
	bool  isnull;
	Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, c, &isnull);

	return !isnull && DatumGetBool(d);
}

/* A text[] column as C strings (NULL elements left out). */
static void
spi_text_array(int row, int c, char ***values, int *n)
{
	bool       isnull;
	Datum      d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, c, &isnull);
	Datum     *elems;
	bool      *nulls;
	int        nelems;
	ArrayType *arr;

	*values = NULL;
	*n = 0;
	if (isnull)
		return;
	arr = DatumGetArrayTypeP(d);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	*values = palloc(sizeof(char *) * (nelems + 1));
	for (int i = 0; i < nelems; i++)
	{
		if (!nulls[i])
			(*values)[(*n)++] = TextDatumGetCString(elems[i]);
	}
}

/* Read the item, its fields and the instructions (inside SPI). */
static void
template_load(TemplateBuild *b)
{
	Oid   argtypes[2] = {TEXTOID, TEXTOID};
	Datum args[2];
	char  nulls[2] = {' ', ' '};
	int   rc;

	args[0] = PointerGetDatum(b->item_code);
	args[1] = b->unit ? PointerGetDatum(b->unit) : (Datum) 0;
	nulls[1] = b->unit ? ' ' : 'n';

	rc = SPI_execute_with_args("SELECT i.code, i.version, i.title, "
							   "taxshare.template_checksum(i.code, i.version) "
							   "FROM taxshare._template_item($1) i",
							   1, argtypes, args, nulls, true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "template_xlsx: reading the catalog item failed (%d)", rc);
	b->code = spi_text(0, 1);
	b->version = spi_int(0, 2, 0);
	b->title = spi_text(0, 3);
	b->checksum = spi_text(0, 4);

	rc = SPI_execute_with_args("SELECT name, title, type, required, min_length, max_length, "
							   "minimum, maximum, enum, rules_zh, rules_en "
							   "FROM taxshare._template_fields($1) ORDER BY col",
							   1, argtypes, args, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "template_xlsx: reading the fields failed (%d)", rc);
	if (SPI_processed == 0 || SPI_processed > LXW_COL_MAX)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("catalog item \"%s\" has %llu fields", b->code,
							   (unsigned long long) SPI_processed),
						errhint("A template has one column per field: 1 to %d.", LXW_COL_MAX)));
	b->nfields = (int) SPI_processed;
	b->fields = palloc0(sizeof(TemplateField) * b->nfields);
	for (int i = 0; i < b->nfields; i++)
	{
		TemplateField *f = &b->fields[i];

		f->name = spi_text(i, 1);
		f->title = spi_text(i, 2);
		f->type = spi_text(i, 3);
		f->kind = template_kind_of(f->type);
		f->required = spi_bool(i, 4);
		f->min_length = spi_int(i, 5, -1);
		f->max_length = spi_int(i, 6, -1);
		f->minimum = spi_text(i, 7);
		f->maximum = spi_text(i, 8);
		spi_text_array(i, 9, &f->enumv, &f->nenum);
		f->rules_zh = spi_text(i, 10);
		f->rules_en = spi_text(i, 11);
		f->rules = b->en ? f->rules_en : f->rules_zh;
	}

	rc = SPI_execute_with_args("SELECT label, value FROM taxshare._template_info($1, $2)", 2,
							   argtypes, args, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "template_xlsx: reading the instructions failed (%d)", rc);
	b->ninfo = (int) SPI_processed;
	b->info_label = palloc(sizeof(char *) * (b->ninfo + 1));
	b->info_value = palloc(sizeof(char *) * (b->ninfo + 1));
	for (int i = 0; i < b->ninfo; i++)
	{
		b->info_label[i] = spi_text(i, 1);
		b->info_value[i] = spi_text(i, 2);
	}
}

/* A libxlsxwriter call that failed is a bug of ours or a limit: say which. */
static void
lxw_check(lxw_error err, const char *what, const TemplateField *f)
{
	if (err != LXW_NO_ERROR)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
						errmsg("template_xlsx: %s of field \"%s\" failed: %s", what,
							   f ? f->name : "-", lxw_strerror(err))));
}

/* s clipped to max_chars characters, as a new string. */
static char *
clip(const char *s, size_t max_chars)
{
	size_t len = strlen(s);

	return pnstrdup(s, template_clip_chars(s, len, max_chars));
}

/* A canonical date "YYYY-MM-DD" as libxlsxwriter's date; false if not one. */
static bool
parse_date(const char *s, lxw_datetime *dt)
{
	int y, m, d;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return true;
}

static double
parse_number(const char *s, double if_null)
{
	char  *end;
	double v;

	if (s == NULL)
		return if_null;
	v = strtod(s, &end);
	return end == s ? if_null : v;
}

/*
 * The validation of column c: the field's rule as a check Excel makes while
 * typing, with the rules in words as the prompt shown when a cell is chosen.
 */
static void
add_validation(lxw_workbook *wb, lxw_worksheet *ws, lxw_worksheet **lists, int *nlists,
			   TemplateBuild *b, int c)
{
	TemplateField      *f = &b->fields[c];
	lxw_data_validation dv;
	char               *prompt_title = clip(f->title, PROMPT_TITLE_CHARS - 1);
	char               *prompt = clip(f->rules, PROMPT_TEXT_CHARS - 1);
	char               *bool_list[] = {"是", "否", NULL};
	int                 lo, hi;

	memset(&dv, 0, sizeof(dv));
	dv.input_title = prompt_title;
	dv.input_message = prompt;
	dv.error_title = b->en ? "Invalid value" : "输入有误";
	dv.error_message = prompt;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	dv.validate = LXW_VALIDATION_TYPE_ANY;

	if (f->nenum > 0)
	{
		if (template_list_inline((const char *const *) f->enumv, f->nenum))
		{
			f->enumv[f->nenum] = NULL;
			dv.validate = LXW_VALIDATION_TYPE_LIST;
			dv.value_list = (char **) f->enumv;
		}
		else
		{
			char col_name[16];

			/* A long list: one column of the hidden sheet _lists per field. */
			if (*lists == NULL)
			{
				*lists = workbook_add_worksheet(wb, "_lists");
				if (*lists == NULL)
					elog(ERROR, "template_xlsx: could not add the sheet _lists");
				worksheet_hide(*lists);
			}
			lxw_check(worksheet_write_string(*lists, 0, *nlists, f->name, NULL), "list name", f);
			for (int i = 0; i < f->nenum; i++)
				lxw_check(worksheet_write_string(*lists, i + 1, *nlists, f->enumv[i], NULL),
						  "list value", f);
			lxw_col_to_name(col_name, *nlists, false);
			dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
			dv.value_formula = psprintf("=_lists!$%s$2:$%s$%d", col_name, col_name, f->nenum + 1);
			(*nlists)++;
		}
	}
	else
	{
		switch (f->kind)
		{
			case TK_BOOLEAN:
				dv.validate = LXW_VALIDATION_TYPE_LIST;
				dv.value_list = bool_list;
				break;
			case TK_DATE:
				dv.validate = LXW_VALIDATION_TYPE_DATE;
				dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
				if (!parse_date(f->minimum, &dv.minimum_datetime))
					parse_date("1900-01-01", &dv.minimum_datetime);
				if (!parse_date(f->maximum, &dv.maximum_datetime))
					parse_date("9999-12-31", &dv.maximum_datetime);
				break;
			case TK_AMOUNT:
			case TK_NUMBER:
				/* amount is numeric(18,2): 16 digits before the point */
				dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
				dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
				dv.minimum_number = parse_number(f->minimum, -9999999999999999.0);
				dv.maximum_number = parse_number(f->maximum, 9999999999999999.0);
				break;
			case TK_INTEGER:
				dv.validate = LXW_VALIDATION_TYPE_INTEGER;
				dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
				if (strcmp(f->type, "year") == 0)
				{
					dv.minimum_number = parse_number(f->minimum, 1000);
					dv.maximum_number = parse_number(f->maximum, 9999);
				}
				else
				{
					/* whole numbers Excel holds exactly: 15 digits */
					dv.minimum_number = parse_number(f->minimum, -999999999999999.0);
					dv.maximum_number = parse_number(f->maximum, 999999999999999.0);
				}
				break;
			case TK_IDENT:
				/* Spaces and hyphens are cleaned up on import: a warning only. */
				if (template_ident_length(f->type, &lo, &hi))
				{
					dv.validate = LXW_VALIDATION_TYPE_LENGTH;
					dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
					dv.minimum_number = lo;
					dv.maximum_number = hi;
					dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
				}
				break;
			case TK_TEXT:
				if (f->min_length >= 0 || f->max_length >= 0)
				{
					dv.validate = LXW_VALIDATION_TYPE_LENGTH;
					dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
					dv.minimum_number = f->min_length >= 0 ? f->min_length : 0;
					dv.maximum_number = f->max_length >= 0 ? f->max_length : 32767;
				}
				break;
			case TK_DATETIME:
				/* Excel's date check takes no time of day: the format guides. */
				break;
		}
	}
	lxw_check(worksheet_data_validation_range(ws, ROW_DATA, c, LXW_ROW_MAX - 1, c, &dv),
			  "data validation", f);
}

/* The instructions sheet: the item, then one line per field. */
static void
write_instructions(lxw_workbook *wb, TemplateBuild *b, lxw_format *bold, lxw_format *wrap,
				   lxw_format *head)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "说明");
	int            row = 0;

	if (ws == NULL)
		elog(ERROR, "template_xlsx: could not add the sheet 说明");
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 1, 28, NULL);
	worksheet_set_column(ws, 2, 2, 22, NULL);
	worksheet_set_column(ws, 3, 3, 70, wrap);
	if (b->en)
		worksheet_set_column(ws, 4, 4, 70, wrap);
	for (int i = 0; i < b->ninfo; i++, row++)
	{
		worksheet_write_string(ws, row, 0, b->info_label[i], bold);
		if (b->info_value[i] != NULL)
			worksheet_write_string(ws, row, 1, b->info_value[i], NULL);
	}
	row++;
	worksheet_write_string(ws, row, 0, b->en ? "Column" : "列", head);
	worksheet_write_string(ws, row, 1, b->en ? "Title" : "字段标题", head);
	worksheet_write_string(ws, row, 2, b->en ? "Field name" : "字段名", head);
	worksheet_write_string(ws, row, 3, "填写规则", head);
	if (b->en)
		worksheet_write_string(ws, row, 4, "Rules", head);
	row++;
	for (int c = 0; c < b->nfields; c++, row++)
	{
		TemplateField *f = &b->fields[c];
		char           col_name[16];

		lxw_col_to_name(col_name, c, false);
		worksheet_write_string(ws, row, 0, col_name, NULL);
		worksheet_write_string(ws, row, 1, f->required ? psprintf("* %s", f->title) : f->title,
							   NULL);
		worksheet_write_string(ws, row, 2, f->name, NULL);
		worksheet_write_string(ws, row, 3, f->rules_zh, wrap);
		if (b->en)
			worksheet_write_string(ws, row, 4, f->rules_en, wrap);
	}
	row++;
	worksheet_write_string(
		ws, row, 0,
		b->en ? "Marks: a title in red with * is required; row 2 of 数据 (hidden) holds the "
				"field names; data start at row 3."
			  : "标记: 红色且带 * 的标题为必填项; \"数据\"表第 2 行 (隐藏) 为字段名; 数据从第 3 "
				"行开始.",
		NULL);
}

static void
template_build(lxw_workbook *wb, void *arg)
{
	TemplateBuild      *b = (TemplateBuild *) arg;
	lxw_worksheet      *data, *meta, *lists = NULL;
	lxw_format         *head, *head_req, *name_fmt, *bold, *wrap, *colfmt[TK_BOOLEAN + 1];
	lxw_row_col_options hidden = {.hidden = 1};
	lxw_doc_properties  props;
	int                 nlists = 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "template_xlsx: SPI_connect failed");
	template_load(b);

	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head);
	head_req = workbook_add_format(wb);
	format_set_bold(head_req);
	format_set_font_color(head_req, 0xC00000);
	format_set_bg_color(head_req, 0xFCE4D6);
	format_set_border(head_req, LXW_BORDER_THIN);
	format_set_align(head_req, LXW_ALIGN_CENTER);
	format_set_align(head_req, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head_req);
	/* The cell holds the title; the format shows "* " before it. */
	format_set_num_format(head_req, "\"* \"@");
	name_fmt = workbook_add_format(wb);
	format_set_italic(name_fmt);
	format_set_font_color(name_fmt, 0x808080);
	format_set_num_format(name_fmt, "@");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (int k = 0; k <= TK_BOOLEAN; k++)
	{
		colfmt[k] = workbook_add_format(wb);
		format_set_num_format(colfmt[k], template_num_format((TemplateKind) k));
	}

	memset(&props, 0, sizeof(props));
	props.title = b->title;
	props.subject = b->code;
	props.company = "taxshare";
	props.comments = b->en ? "Reporting template generated from the sharing catalog"
						   : "由共享目录生成的报送模板";
	workbook_set_properties(wb, &props);

	data = workbook_add_worksheet(wb, "数据");
	if (data == NULL)
		elog(ERROR, "template_xlsx: could not add the sheet 数据");
	worksheet_set_row(data, ROW_TITLE, 30, NULL);
	worksheet_set_row_opt(data, ROW_NAME, LXW_DEF_ROW_HEIGHT, NULL, &hidden);
	worksheet_freeze_panes(data, ROW_DATA, 0);
	/* Sheets are ordered as added: 数据, 说明, then the hidden ones. */
	write_instructions(wb, b, bold, wrap, head);
	for (int c = 0; c < b->nfields; c++)
	{
		TemplateField *f = &b->fields[c];

		CHECK_FOR_INTERRUPTS();
		lxw_check(worksheet_set_column(data, c, c,
									   template_column_width(f->title, f->name, f->kind, f->type),
									   colfmt[f->kind]),
				  "column format", f);
		lxw_check(
			worksheet_write_string(data, ROW_TITLE, c, f->title, f->required ? head_req : head),
			"title", f);
		lxw_check(worksheet_write_string(data, ROW_NAME, c, f->name, name_fmt), "name", f);
		add_validation(wb, data, &lists, &nlists, b, c);
	}

	meta = workbook_add_worksheet(wb, "_taxshare");
	if (meta == NULL)
		elog(ERROR, "template_xlsx: could not add the sheet _taxshare");
	worksheet_write_string(meta, 0, 0, "item_code", NULL);
	worksheet_write_string(meta, 0, 1, b->code, NULL);
	worksheet_write_string(meta, 1, 0, "item_version", NULL);
	worksheet_write_number(meta, 1, 1, b->version, NULL);
	worksheet_write_string(meta, 2, 0, "checksum", NULL);
	worksheet_write_string(meta, 2, 1, b->checksum, NULL);
	/* Where the data sheet's names and data are (1-based rows, as Excel shows them). */
	worksheet_write_string(meta, 3, 0, "names_row", NULL);
	worksheet_write_number(meta, 3, 1, ROW_NAME + 1, NULL);
	worksheet_write_string(meta, 4, 0, "data_row", NULL);
	worksheet_write_number(meta, 4, 1, ROW_DATA + 1, NULL);
	worksheet_hide(meta);
	worksheet_activate(data);

	SPI_finish();
}

PG_FUNCTION_INFO_V1(taxshare_template_xlsx);
Datum
taxshare_template_xlsx(PG_FUNCTION_ARGS)
{
	TemplateBuild b;

	memset(&b, 0, sizeof(b));
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("item_code must not be null"),
				 errhint("Name a catalog item, e.g. 'ZJ-SPF-001'.")));
	b.item_code = PG_GETARG_TEXT_PP(0);
	b.unit = PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1);
	b.en = taxshare_language() == TAXSHARE_LANG_EN;
	PG_RETURN_BYTEA_P(xlsx_tempfile_write(template_build, &b, false));
}
