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

#include "intake/intake.h"
#include "common/jsonb_raw.h"
#include "validate/validate_fmgr.h"

/*
 * The validation side of a load: its memory, the per-row context and the
 * batch state for item.  intake_begin() builds on it; so does the parallel
 * intake worker (intake_parallel.c), which checks rows but writes none.
 */
IntakeLoad *
intake_load_create(CatalogItem *item, ValidateLang lang)
{
	MemoryContext cxt;
	MemoryContext old;
	IntakeLoad   *load;

	/* Under the transaction: an error anywhere frees the whole load. */
	cxt = AllocSetContextCreate(TopTransactionContext, "taxshare intake load",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	load = palloc0(sizeof(IntakeLoad));
	load->cxt = cxt;
	load->rowcxt = AllocSetContextCreate(cxt, "taxshare intake row", ALLOCSET_DEFAULT_SIZES);
	load->subid = GetCurrentSubTransactionId();
	load->item = item;
	load->raw = palloc0(sizeof(RawValue) * (item->spec.nfields > 0 ? item->spec.nfields : 1));
	validate_mem_in(load->rowcxt, &load->rowmem);
	intake_prepare_batch(load, lang);
	MemoryContextSwitchTo(old);
	return load;
}

IntakeLoad *
intake_begin(const IntakeSource *src, int64 expected_rows)
{
	IntakeLoad       *load;
	DateADT           period_end;
	CatalogItem      *item;
	char             *caller;
	ValidateLang      lang = validate_language();
	IntakeOwnerSwitch sw;

	/* The checks and the submission row are SQL: as the owner (intake_owner.c). */
	intake_owner_enter(src->run_as, &sw);
	item = intake_check_source(src, &period_end, &caller);
	if (src->client_ref != NULL)
	{
		int64 existing = intake_retry_find(src);

		if (existing > 0)
		{
			/* Received before: nothing to load, nothing to write. */
			catalog_item_release(item);
			intake_owner_leave(&sw);
			load = MemoryContextAllocZero(CurTransactionContext, sizeof(IntakeLoad));
			load->retry_of = existing;
			return load;
		}
	}
	load = intake_load_create(item, lang);
	load->item_code = MemoryContextStrdup(load->cxt, src->item);
	load->unit_code = MemoryContextStrdup(load->cxt, src->unit);
	load->period_start = src->period_start;
	load->channel = MemoryContextStrdup(load->cxt, src->channel);
	load->run_as = src->run_as;

	load->submission_id = intake_open_submission(src, item, period_end, lang, caller);
	load->writer = intake_writer_create(load->cxt, load->submission_id, src->run_as);
	progress_begin(&load->progress,
				   MemoryContextStrdup(load->cxt, psprintf("submit %s", item->code)), "rows",
				   expected_rows);
	intake_owner_leave(&sw);
	return load;
}

/* Keys that are not fields are counted by name, the name cut to this many bytes. */
#define UNKNOWN_KEY_BYTES 64

void
intake_count_unknown(IntakeLoad *load, const char *key, int len, int64 count)
{
	int i;

	if (len > UNKNOWN_KEY_BYTES)
		len = pg_mbcliplen(key, len, UNKNOWN_KEY_BYTES);

	for (i = 0; i < load->nunknown; i++)
		if ((int) strlen(load->unknown_names[i]) == len &&
			memcmp(load->unknown_names[i], key, len) == 0)
		{
			load->unknown_counts[i] += count;
			return;
		}
	if (load->nunknown == INTAKE_MAX_UNKNOWN)
	{
		load->unknown_other += count;
		return;
	}
	load->unknown_names[load->nunknown] = MemoryContextStrdup(load->cxt, pnstrdup(key, len));
	load->unknown_counts[load->nunknown++] = count;
}

/* One value of a jsonb object, from its JEntry, as the validate core sees it. */
static void
raw_from_entry(JEntry je, const char *data, uint32 off, uint32 len, RawValue *raw)
{
	if (JBE_ISSTRING(je))
	{
		raw->kind = RAW_TEXT;
		raw->s = data + off;
		raw->len = len;
	}
	else if (JBE_ISNUMERIC(je))
	{
		raw->kind = RAW_SCALAR;
		raw->s = DatumGetCString(
			DirectFunctionCall1(numeric_out, PointerGetDatum(data + INTALIGN(off))));
		raw->len = strlen(raw->s);
	}
	else if (JBE_ISBOOL_TRUE(je) || JBE_ISBOOL_FALSE(je))
	{
		raw->kind = RAW_SCALAR;
		raw->s = JBE_ISBOOL_TRUE(je) ? "true" : "false";
		raw->len = strlen(raw->s);
	}
	else if (JBE_ISNULL(je))
		raw->kind = RAW_MISSING;
	else
	{
		raw->kind = RAW_COMPOUND;
		raw->s = JsonContainerIsArray((const JsonbContainer *) (data + INTALIGN(off))) ? "[" : "{";
		raw->len = 1;
	}
}

/*
 * Fill load->raw from a JSON object, counting keys that are not fields.  The
 * object is read in place (jsonb_raw.h), without an iterator or copies.
 */
static void
read_object(IntakeLoad *load, JsonbContainer *obj)
{
	const ItemSpec *spec = &load->item->spec;
	JsonbRawObject  w;
	JsonbRawPair    p;
	int             i;
	int             j = 0;

	for (i = 0; i < spec->nfields; i++)
		load->raw[i].kind = RAW_MISSING;

	/*
	 * jsonb keeps keys sorted the way spec->by_name is sorted, so one merge
	 * walk matches them to fields.
	 */
	jsonb_raw_object_begin(&w, obj);
	while (jsonb_raw_object_next(&w, &p))
	{
		int c = 1;

		while (j < spec->nfields)
		{
			const FieldSpec *f = &spec->fields[spec->by_name[j]];

			c = validate_name_cmp(f->name, f->name_len, p.key, p.klen);
			if (c >= 0)
				break;
			j++;
		}
		if (j < spec->nfields && c == 0)
			raw_from_entry(p.value, w.data, p.voff, p.vlen, &load->raw[spec->by_name[j++]]);
		else
			intake_count_unknown(load, p.key, (int) p.klen, 1);
	}
}

/*
 * A canonical number (value_parse: "-123.45", "0.000001", "1e+21") as numeric:
 * plain notation of up to 18 digits is digits / 10^scale, the value and the
 * display scale numeric_in gives it; anything else goes through numeric_in.
 */
static Numeric
number_numeric(const char *canon)
{
	const char *p = canon;
	bool        neg = false;
	int64       digits = 0;
	int         nd = 0;
	int         scale = -1;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	for (; *p; p++)
	{
		if (*p == '.' && scale < 0)
			scale = 0;
		else if (*p >= '0' && *p <= '9' && nd < 18)
		{
			digits = digits * 10 + (*p - '0');
			if (digits > 0 || scale >= 0)
				nd++;
			if (scale >= 0)
				scale++;
		}
		else
			break;
	}
	if (*p != '\0' || p == canon || scale == 0)
		return DatumGetNumeric(DirectFunctionCall3(
			numeric_in, CStringGetDatum(canon), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	return int64_div_fast_to_numeric(neg ? -digits : digits, scale < 0 ? 0 : scale);
}

/* A value of the payload: a string, a numeric or a boolean. */
typedef struct PayloadValue
{
	const FieldSpec   *f;
	const FieldResult *r;
	Numeric            num; /* for a JSON number */
} PayloadValue;

/*
 * The normalised, typed values of the fields that parsed, as a jsonb object
 * written directly in jsonb's binary layout -- the bytes convertToJsonb()
 * would produce from the same values (utils/adt/jsonb_util.c): the header, a
 * JEntry per key then per value (each holding its length, or every
 * JB_OFFSET_STRIDE-th the end offset of its data), then the keys' bytes and
 * the values' (a numeric int-aligned, a boolean none).  The fields are
 * visited in jsonb key order (spec->by_name: shorter first, then bytewise)
 * and their names are distinct, so no sorting is needed.
 */
static Jsonb *
build_payload(IntakeLoad *load, const RowResult *res)
{
	const ItemSpec *spec = &load->item->spec;
	PayloadValue   *vals = palloc(sizeof(PayloadValue) * (spec->nfields > 0 ? spec->nfields : 1));
	uint32          n = 0;
	uint32          k;
	Size            bound;
	Size            datalen = 0;
	char           *buf;
	JEntry         *jentries;
	char           *data;
	uint32          off = 0;
	int             j;

	for (j = 0; j < spec->nfields; j++)
	{
		int                i = spec->by_name[j];
		const FieldResult *r = &res->fields[i];
		PayloadValue      *pv = &vals[n];

		if (!r->parsed)
			continue;
		pv->f = &spec->fields[i];
		pv->r = r;
		pv->num = NULL;
		datalen += pv->f->name_len;
		if (r->pv.json_number)
		{
			/* Amounts and integers are exact already: skip numeric_in. */
			if (r->pv.scale == VS_CENTS)
				pv->num = int64_div_fast_to_numeric(r->pv.cmp.cents, 2);
			else if (pv->f->type == FT_INTEGER)
				pv->num = int64_to_numeric(strtoll(r->canon, NULL, 10));
			else
				pv->num = number_numeric(r->canon);
			datalen += VARSIZE_ANY(pv->num) + 3; /* and its alignment */
		}
		else if (!r->pv.json_boolean)
			datalen += r->canon_len;
		n++;
	}

	bound = VARHDRSZ + sizeof(uint32) + 2 * n * sizeof(JEntry) + datalen;
	buf = palloc(bound);
	*(uint32 *) (buf + VARHDRSZ) = n | JB_FOBJECT;
	jentries = (JEntry *) (buf + VARHDRSZ + sizeof(uint32));
	data = (char *) &jentries[2 * n];

	/* keys, then values; lengths, every JB_OFFSET_STRIDE-th the end offset */
	for (k = 0; k < 2 * n; k++)
	{
		const PayloadValue *pv = &vals[k < n ? k : k - n];
		uint32              type = JENTRY_ISSTRING;
		uint32              len;

		if (k < n)
		{
			len = (uint32) pv->f->name_len;
			memcpy(data + off, pv->f->name, len);
		}
		else if (pv->num)
		{
			/* int-aligned from the start of the varlena, as padBufferToInt() does */
			uint32 pad = (uint32) (INTALIGN((data - buf) + off) - ((data - buf) + off));

			memset(data + off, 0, pad);
			len = pad + VARSIZE_ANY(pv->num);
			memcpy(data + off + pad, pv->num, VARSIZE_ANY(pv->num));
			type = JENTRY_ISNUMERIC;
		}
		else if (pv->r->pv.json_boolean)
		{
			len = 0;
			type = strcmp(pv->r->canon, "true") == 0 ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
		}
		else
		{
			len = (uint32) pv->r->canon_len;
			memcpy(data + off, pv->r->canon, len);
		}
		off += len;
		if (off > JENTRY_OFFLENMASK)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("total size of jsonb object elements exceeds the maximum of %u bytes",
							JENTRY_OFFLENMASK)));
		jentries[k] = type | ((k % JB_OFFSET_STRIDE) == 0 ? (off | JENTRY_HAS_OFF) : len);
	}
	Assert((Size) ((data - buf) + off) <= bound);
	SET_VARSIZE(buf, (data - buf) + off);
	return (Jsonb *) buf;
}

/* text[] of the canonical values of the fields of one identifier type, or 0. */
static Datum
ident_array(IntakeLoad *load, const RowResult *res, FieldType t)
{
	const ItemSpec *spec = &load->item->spec;
	Datum          *elems = palloc(sizeof(Datum) * spec->nfields);
	int            *from = palloc(sizeof(int) * spec->nfields);
	int             n = 0;
	int             i;
	int             j;

	for (i = 0; i < spec->nfields; i++)
	{
		const FieldResult *r = &res->fields[i];
		bool               dup = false;

		if (spec->fields[i].type != t || !r->parsed)
			continue;
		for (j = 0; j < n && !dup; j++)
			dup = res->fields[from[j]].canon_len == r->canon_len &&
				  memcmp(res->fields[from[j]].canon, r->canon, r->canon_len) == 0;
		if (!dup)
		{
			from[n] = i;
			elems[n++] = PointerGetDatum(cstring_to_text_with_len(r->canon, (int) r->canon_len));
		}
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
			return elem->type == jbvBinary && JsonContainerIsArray(elem->val.binary.data)
					   ? "array"
					   : "object";
	}
}

/* A jsonb datum as a batch element: its scalar, or its container as jbvBinary. */
void
intake_jsonb_element(Jsonb *jb, JsonbValue *elem)
{
	if (JB_ROOT_IS_SCALAR(jb))
		JsonbExtractScalar(&jb->root, elem);
	else
	{
		elem->type = jbvBinary;
		elem->val.binary.data = &jb->root;
		elem->val.binary.len = VARSIZE(jb) - VARHDRSZ;
	}
}

/* The next row's number (1-based), refusing a batch too long to number. */
int32
intake_next_row_no(IntakeLoad *load)
{
	if (load->rows_total >= PG_INT32_MAX)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("a submission holds at most %d rows", PG_INT32_MAX),
						errhint("Split the batch by period.")));
	return (int32) ++load->rows_total;
}

/*
 * Check one batch element (an object as jbvBinary, or anything else, which is
 * a "row" error): its record and errors, allocated in the current memory
 * context (the per-row one).
 */
void
intake_row_check(IntakeLoad *load, JsonbValue *elem, int32 row_no, IntakeRowOut *out)
{
	RowResult res;
	bool      is_object;
	bool      idents;

	is_object = elem->type == jbvBinary && JsonContainerIsObject(elem->val.binary.data);
	if (is_object)
	{
		read_object(load, elem->val.binary.data);
		validate_row(&load->batch, load->raw, row_no, &load->rowmem, &res);
	}
	else
		validate_row_not_object(&load->batch, jsonb_kind(elem), &load->rowmem, &res);

	out->row_no = row_no;
	out->accepted = res.nerrors == 0;
	out->payload = is_object ? build_payload(load, &res) : NULL;
	out->raw = out->accepted ? NULL : JsonbValueToJsonb(elem);
	idents = out->accepted && load->item->has_idents;
	out->uscc = idents ? ident_array(load, &res, FT_USCC) : 0;
	out->idcard = idents ? ident_array(load, &res, FT_IDCARD) : 0;
	out->orgcode = idents ? ident_array(load, &res, FT_ORGCODE) : 0;
	out->nerrors = res.nerrors;
	out->errors = res.errors;
}

/* Hand a checked row to the writer and count it. */
void
intake_row_emit(IntakeLoad *load, const IntakeRowOut *out)
{
	const ItemSpec *spec = &load->item->spec;
	int             i;

	intake_writer_record(load->writer, out->row_no, out->accepted, out->payload, out->raw,
						 out->uscc, out->idcard, out->orgcode);
	for (i = 0; i < out->nerrors; i++)
	{
		int         f = out->errors[i].field;
		const char *cell = NULL;
		const char *message = out->errors[i].message;

		if (load->cell_cols)
		{
			/* the file's own cell, as the liaison sees it: 第 12 行 D 列 / row 12, column D */
			bool zh = load->batch.lang == VL_ZH;

			if (f >= 0 && load->cell_cols[f])
			{
				cell = psprintf("%s%d", load->cell_cols[f], load->file_row);
				message = psprintf(zh ? "第 %d 行 %s 列: %s" : "row %d, column %s: %s",
								   load->file_row, load->cell_cols[f], message);
			}
			else
				message = psprintf(zh ? "第 %d 行: %s" : "row %d: %s", load->file_row, message);
		}
		intake_writer_error(load->writer, out->row_no, f >= 0 ? spec->fields[f].name : NULL,
							out->errors[i].code, message, cell);
	}
	if (out->accepted)
		load->rows_accepted++;
	else
		load->rows_rejected++;
	load->errors += out->nerrors;
	progress_update(&load->progress, out->row_no);
}

/* Validate one batch element and pass the record and its errors to the writer. */
void
intake_row(IntakeLoad *load, JsonbValue *elem)
{
	MemoryContext old;
	IntakeRowOut  out;
	int32         row_no;

	CHECK_FOR_INTERRUPTS();
	row_no = intake_next_row_no(load);
	old = MemoryContextSwitchTo(load->rowcxt);
	intake_row_check(load, elem, row_no, &out);
	intake_row_emit(load, &out);
	MemoryContextSwitchTo(old);
	MemoryContextReset(load->rowcxt);
}

/* Write what is buffered, close the submission, free the load; the submission id. */
int64
intake_finish(IntakeLoad *load)
{
	int64             id = load->submission_id;
	IntakeOwnerSwitch sw;

	if (load->retry_of > 0)
		return load->retry_of;
	intake_owner_enter(load->run_as, &sw);
	intake_writer_finish(load->writer);
	intake_close_submission(load);
	intake_owner_leave(&sw);
	progress_end(&load->progress);
	catalog_item_release(load->item);
	MemoryContextDelete(load->cxt);
	return id;
}
