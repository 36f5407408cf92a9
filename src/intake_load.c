/*
 * intake_load.c
 *		The per-row loop of a load: one batch element in, one record (and its
 *		errors) out, in a memory context reset after every row.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "intake.h"
#include "validate_glue.h"

IntakeLoad *
intake_begin(const IntakeSource *src, int64 expected_rows)
{
	MemoryContext cxt;
	MemoryContext old;
	IntakeLoad *load;
	DateADT		period_end;
	CatalogItem *item;
	char	   *caller;
	ValidateLang lang = validate_language();

	item = intake_check_source(src, &period_end, &caller);

	/* Under the transaction: an error anywhere frees the whole load. */
	cxt = AllocSetContextCreate(TopTransactionContext, "taxshare intake load", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	load = palloc0(sizeof(IntakeLoad));
	load->cxt = cxt;
	load->rowcxt = AllocSetContextCreate(cxt, "taxshare intake row", ALLOCSET_DEFAULT_SIZES);
	load->item_code = pstrdup(src->item);
	load->unit_code = pstrdup(src->unit);
	load->period_start = src->period_start;
	load->channel = pstrdup(src->channel);
	load->subid = GetCurrentSubTransactionId();
	load->item = item;
	load->raw = palloc0(sizeof(RawValue) * (item->spec.nfields > 0 ? item->spec.nfields : 1));
	validate_mem_in(load->rowcxt, &load->rowmem);
	intake_prepare_batch(load, lang);
	MemoryContextSwitchTo(old);

	load->submission_id = intake_open_submission(src, item, period_end, lang, caller);
	load->writer = intake_writer_create(cxt, load->submission_id);
	progress_begin(&load->progress, MemoryContextStrdup(cxt, psprintf("submit %s", item->code)),
				   "rows", expected_rows);
	return load;
}

/* Keys that are not fields are counted by name, the name cut to this many bytes. */
#define UNKNOWN_KEY_BYTES 64

static void
count_unknown(IntakeLoad *load, const char *key, int len)
{
	int			i;

	if (len > UNKNOWN_KEY_BYTES)
		len = pg_mbcliplen(key, len, UNKNOWN_KEY_BYTES);

	for (i = 0; i < load->nunknown; i++)
		if ((int) strlen(load->unknown_names[i]) == len &&
			memcmp(load->unknown_names[i], key, len) == 0)
		{
			load->unknown_counts[i]++;
			return;
		}
	if (load->nunknown == INTAKE_MAX_UNKNOWN)
	{
		load->unknown_other++;
		return;
	}
	load->unknown_names[load->nunknown] = MemoryContextStrdup(load->cxt, pnstrdup(key, len));
	load->unknown_counts[load->nunknown++] = 1;
}

/* One value of the JSON object as the validate core sees it. */
static void
raw_from_jsonb(const JsonbValue *v, RawValue *raw)
{
	switch (v->type)
	{
		case jbvNull:
			raw->kind = RAW_MISSING;
			break;
		case jbvString:
			raw->kind = RAW_TEXT;
			raw->s = v->val.string.val;
			raw->len = v->val.string.len;
			break;
		case jbvNumeric:
			raw->kind = RAW_SCALAR;
			raw->s = DatumGetCString(DirectFunctionCall1(numeric_out,
														 NumericGetDatum(v->val.numeric)));
			raw->len = strlen(raw->s);
			break;
		case jbvBool:
			raw->kind = RAW_SCALAR;
			raw->s = v->val.boolean ? "true" : "false";
			raw->len = strlen(raw->s);
			break;
		default:
			raw->kind = RAW_COMPOUND;
			raw->s = v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data) ? "[" : "{";
			raw->len = 1;
			break;
	}
}

/* Fill load->raw from a JSON object, counting keys that are not fields. */
static void
read_object(IntakeLoad *load, JsonbContainer *obj)
{
	const ItemSpec *spec = &load->item->spec;
	JsonbIterator *it = JsonbIteratorInit(obj);
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			i;
	int			j = 0;

	for (i = 0; i < spec->nfields; i++)
		load->raw[i].kind = RAW_MISSING;

	/*
	 * jsonb keeps keys sorted the way spec->by_name is sorted, so one merge
	 * walk matches them to fields.
	 */
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		int			c = 1;

		if (tok != WJB_KEY)
			continue;
		tok = JsonbIteratorNext(&it, &v, true);
		while (j < spec->nfields)
		{
			const FieldSpec *f = &spec->fields[spec->by_name[j]];

			c = validate_name_cmp(f->name, f->name_len, k.val.string.val, k.val.string.len);
			if (c >= 0)
				break;
			j++;
		}
		if (j < spec->nfields && c == 0)
			raw_from_jsonb(&v, &load->raw[spec->by_name[j++]]);
		else
			count_unknown(load, k.val.string.val, k.val.string.len);
	}
}

/* The normalised, typed values of the fields that parsed. */
static Jsonb *
build_payload(IntakeLoad *load, const RowResult *res)
{
	const ItemSpec *spec = &load->item->spec;
	JsonbParseState *state = NULL;
	JsonbValue	k;
	JsonbValue	v;
	int			j;

	/* In jsonb key order, so that the final sort of the keys finds them sorted. */
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (j = 0; j < spec->nfields; j++)
	{
		int			i = spec->by_name[j];
		const FieldResult *r = &res->fields[i];

		if (!r->parsed)
			continue;
		k.type = jbvString;
		k.val.string.val = (char *) spec->fields[i].name;
		k.val.string.len = (int) spec->fields[i].name_len;
		pushJsonbValue(&state, WJB_KEY, &k);
		if (r->pv.json_boolean)
		{
			v.type = jbvBool;
			v.val.boolean = strcmp(r->canon, "true") == 0;
		}
		else if (r->pv.json_number)
		{
			/* Amounts and integers are exact already: skip numeric_in. */
			v.type = jbvNumeric;
			if (r->pv.scale == VS_CENTS)
				v.val.numeric = int64_div_fast_to_numeric(r->pv.cmp.cents, 2);
			else if (spec->fields[i].type == FT_INTEGER)
				v.val.numeric = int64_to_numeric(strtoll(r->canon, NULL, 10));
			else
				v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																	CStringGetDatum(r->canon),
																	ObjectIdGetDatum(InvalidOid),
																	Int32GetDatum(-1)));
		}
		else
		{
			v.type = jbvString;
			v.val.string.val = (char *) r->canon;
			v.val.string.len = (int) r->canon_len;
		}
		pushJsonbValue(&state, WJB_VALUE, &v);
	}
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

/* text[] of the canonical values of the fields of one identifier type, or 0. */
static Datum
ident_array(IntakeLoad *load, const RowResult *res, FieldType t)
{
	const ItemSpec *spec = &load->item->spec;
	Datum	   *elems = palloc(sizeof(Datum) * spec->nfields);
	int			n = 0;
	int			i;
	int			j;

	for (i = 0; i < spec->nfields; i++)
	{
		bool		dup = false;

		if (spec->fields[i].type != t || !res->fields[i].parsed)
			continue;
		for (j = 0; j < n && !dup; j++)
			dup = strcmp(TextDatumGetCString(elems[j]), res->fields[i].canon) == 0;
		if (!dup)
			elems[n++] = CStringGetTextDatum(res->fields[i].canon);
	}
	if (n == 0)
		return (Datum) 0;
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* What a batch element is, in the words of validate_row_not_object(). */
static const char *
jsonb_kind(const JsonbValue *elem)
{
	switch (elem->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		default:
			return elem->type == jbvBinary && JsonContainerIsArray(elem->val.binary.data) ?
				"array" : "object";
	}
}

/*
 * Validate one batch element (an object as jbvBinary, or anything else, which
 * is a "row" error) and pass the record and its errors to the writer.
 */
void
intake_row(IntakeLoad *load, JsonbValue *elem)
{
	const ItemSpec *spec = &load->item->spec;
	MemoryContext old;
	RowResult	res;
	bool		is_object;
	bool		accepted;
	int32		row_no;
	int			i;

	CHECK_FOR_INTERRUPTS();
	if (load->rows_total >= PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a submission holds at most %d rows", PG_INT32_MAX),
				 errhint("Split the batch by period.")));
	row_no = (int32) ++load->rows_total;
	old = MemoryContextSwitchTo(load->rowcxt);
	is_object = elem->type == jbvBinary && JsonContainerIsObject(elem->val.binary.data);
	if (is_object)
	{
		read_object(load, elem->val.binary.data);
		validate_row(&load->batch, load->raw, row_no, &load->rowmem, &res);
	}
	else
		validate_row_not_object(&load->batch, jsonb_kind(elem), &load->rowmem, &res);

	accepted = res.nerrors == 0;
	intake_writer_record(load->writer, row_no, accepted,
						 is_object ? build_payload(load, &res) : NULL,
						 accepted ? NULL : JsonbValueToJsonb(elem),
						 accepted && load->item->has_idents ? ident_array(load, &res, FT_USCC) : 0,
						 accepted && load->item->has_idents ? ident_array(load, &res, FT_IDCARD) : 0,
						 accepted && load->item->has_idents ? ident_array(load, &res, FT_ORGCODE) : 0);
	for (i = 0; i < res.nerrors; i++)
		intake_writer_error(load->writer, row_no,
							res.errors[i].field >= 0 ? spec->fields[res.errors[i].field].name : NULL,
							res.errors[i].code, res.errors[i].message);
	if (accepted)
		load->rows_accepted++;
	else
		load->rows_rejected++;
	load->errors += res.nerrors;
	MemoryContextSwitchTo(old);
	MemoryContextReset(load->rowcxt);
	progress_update(&load->progress, load->rows_total);
}

/* Write what is buffered, close the submission, free the load; the submission id. */
int64
intake_finish(IntakeLoad *load)
{
	int64		id = load->submission_id;

	intake_writer_flush(load->writer);
	intake_close_submission(load);
	progress_end(&load->progress);
	catalog_item_release(load->item);
	MemoryContextDelete(load->cxt);
	return id;
}
