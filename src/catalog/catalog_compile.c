/*
 * catalog_compile.c
 *		Read one catalog item version from the catalog tables (via SPI) and
 *		build the CatalogItem that validate_row() and the intake use: field
 *		specs with parsed limits, rules with resolved field indexes, anchored
 *		patterns.  The caller (catalog_cache.c) owns the memory context and the cache.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "catalog/catalog_cache.h"

/*
 * Run a catalog query.  SPI leaves its own procedure context current after
 * each call, so switch back to cxt, where the compiled item is built.
 */
static void
spi_select(const char *sql, Datum *args, MemoryContext cxt, long limit)
{
	static Oid argtypes[2] = {TEXTOID, INT4OID};

	if (SPI_execute_with_args(sql, 2, argtypes, args, NULL, false, limit) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the catalog failed: %s", sql);
	MemoryContextSwitchTo(cxt);
}

static void
catalog_corrupt(const CatalogItem *item, const char *what, const char *value)
{
	ereport(
		ERROR,
		(errcode(ERRCODE_DATA_CORRUPTED),
		 errmsg("catalog item \"%s\" version %d has an invalid %s \"%s\"", item->code,
				item->version, what, value),
		 errhint(
			 "Catalog versions are written by taxshare.catalog_define(); define the item again.")));
}

/* A text[] column of the current SPI row as a NULL-terminated C string array. */
static const char *const *
spi_text_array(HeapTuple tup, TupleDesc desc, int col, int *n)
{
	bool   isnull;
	Datum  d = SPI_getbinval(tup, desc, col, &isnull);
	Datum *elems;
	bool  *nulls;
	char **out;
	int    i;

	*n = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	out = palloc(sizeof(char *) * (*n + 1));
	for (i = 0; i < *n; i++)
		out[i] = nulls[i] ? pstrdup("") : TextDatumGetCString(elems[i]);
	out[*n] = NULL;
	return (const char *const *) out;
}

static int32
spi_int(HeapTuple tup, TupleDesc desc, int col, int32 dflt)
{
	bool  isnull;
	Datum d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? dflt : DatumGetInt32(d);
}

static bool
spi_bool(HeapTuple tup, TupleDesc desc, int col)
{
	bool  isnull;
	Datum d = SPI_getbinval(tup, desc, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/* A canonical minimum or maximum, parsed as the field's type. */
static void
compile_limit(CatalogItem *item, FieldSpec *f, const char *text, bool *has, ParsedValue *pv,
			  const char **out)
{
	char *canon;

	if (text == NULL)
		return;
	canon = palloc(strlen(text) + VALUE_CANON_EXTRA);
	if (value_parse(f->type, text, strlen(text), canon, pv) != NULL)
		catalog_corrupt(item, "limit", text);
	*has = true;
	*out = canon;
}

static void
compile_fields(CatalogItem *item, Datum *args, MemoryContext cxt)
{
	FieldSpec *fields;
	int        i;
	uint64     n;
	TupleDesc  desc;

	spi_select("SELECT name, title, type, required, is_unique, min_length, max_length,"
			   " minimum, maximum, pattern, enum FROM taxshare.catalog_field"
			   " WHERE item_code = $1 AND item_version = $2 ORDER BY position",
			   args, cxt, 0);
	n = SPI_processed;
	desc = SPI_tuptable->tupdesc;
	fields = palloc0(sizeof(FieldSpec) * (n > 0 ? n : 1));
	item->patterns = palloc0(sizeof(text *) * (n > 0 ? n : 1));
	for (i = 0; i < (int) n; i++)
	{
		HeapTuple  tup = SPI_tuptable->vals[i];
		FieldSpec *f = &fields[i];
		char      *type = SPI_getvalue(tup, desc, 3);
		char      *pattern = SPI_getvalue(tup, desc, 10);

		f->name = SPI_getvalue(tup, desc, 1);
		f->name_len = strlen(f->name);
		f->title = SPI_getvalue(tup, desc, 2);
		if (type == NULL || !field_type_from_name(type, &f->type))
			catalog_corrupt(item, "field type", type ? type : "");
		f->required = spi_bool(tup, desc, 4);
		f->unique = spi_bool(tup, desc, 5);
		f->min_length = spi_int(tup, desc, 6, -1);
		f->max_length = spi_int(tup, desc, 7, -1);
		compile_limit(item, f, SPI_getvalue(tup, desc, 8), &f->has_minimum, &f->minimum,
					  &f->minimum_text);
		compile_limit(item, f, SPI_getvalue(tup, desc, 9), &f->has_maximum, &f->maximum,
					  &f->maximum_text);
		if (pattern)
		{
			f->has_pattern = true;
			item->patterns[i] = cstring_to_text(psprintf("^(?:%s)$", pattern));
		}
		f->enum_values = spi_text_array(tup, desc, 11, &f->n_enum);
		if (f->type == FT_DIVISION)
			item->has_division = true;
		if (f->type == FT_USCC || f->type == FT_IDCARD || f->type == FT_ORGCODE)
			item->has_idents = true;
	}
	item->spec.nfields = (int) n;
	item->spec.fields = fields;
	item->spec.by_name = palloc(sizeof(int) * (n > 0 ? n : 1));
	validate_spec_index(&item->spec, (int *) item->spec.by_name);
}

static int
field_ref(CatalogItem *item, const char *name)
{
	int i = name ? validate_field_index(&item->spec, name, strlen(name)) : -1;

	if (i < 0)
		catalog_corrupt(item, "field reference", name ? name : "");
	return i;
}

static void
compile_rules(CatalogItem *item, Datum *args, MemoryContext cxt)
{
	RuleSpec *rules;
	uint64    n;
	int       i;
	int       k;
	TupleDesc desc;

	spi_select("SELECT rule, fields, total, tolerance::float8, when_field, when_in"
			   " FROM taxshare.catalog_rule"
			   " WHERE item_code = $1 AND item_version = $2 ORDER BY position",
			   args, cxt, 0);
	n = SPI_processed;
	desc = SPI_tuptable->tupdesc;
	rules = palloc0(sizeof(RuleSpec) * (n > 0 ? n : 1));
	for (i = 0; i < (int) n; i++)
	{
		HeapTuple          tup = SPI_tuptable->vals[i];
		RuleSpec          *r = &rules[i];
		char              *kind = SPI_getvalue(tup, desc, 1);
		const char *const *names;
		int               *idx;
		bool               isnull;
		Datum              tol;

		if (strcmp(kind, "lte") == 0)
			r->kind = RK_LTE;
		else if (strcmp(kind, "lt") == 0)
			r->kind = RK_LT;
		else if (strcmp(kind, "idcard_birthdate") == 0)
			r->kind = RK_IDCARD_BIRTHDATE;
		else if (strcmp(kind, "sum") == 0)
			r->kind = RK_SUM;
		else if (strcmp(kind, "required_if") == 0)
			r->kind = RK_REQUIRED_IF;
		else
			catalog_corrupt(item, "rule", kind);
		names = spi_text_array(tup, desc, 2, &r->nfields);
		idx = palloc(sizeof(int) * (r->nfields > 0 ? r->nfields : 1));
		for (k = 0; k < r->nfields; k++)
			idx[k] = field_ref(item, names[k]);
		r->fields = idx;
		if ((r->kind == RK_LTE || r->kind == RK_LT || r->kind == RK_IDCARD_BIRTHDATE) &&
			r->nfields != 2)
			catalog_corrupt(item, "rule", kind);
		r->total = r->kind == RK_SUM ? field_ref(item, SPI_getvalue(tup, desc, 3)) : -1;
		tol = SPI_getbinval(tup, desc, 4, &isnull);
		r->tolerance = isnull ? 0 : DatumGetFloat8(tol);
		r->when = r->kind == RK_REQUIRED_IF ? field_ref(item, SPI_getvalue(tup, desc, 5)) : -1;
		r->in_values = spi_text_array(tup, desc, 6, &r->n_in);
	}
	item->spec.nrules = (int) n;
	item->spec.rules = rules;
}

/* Read one version into item (allocating in the current context); false if absent. */
bool
catalog_compile(CatalogItem *item, const char *code, int32 version, MemoryContext cxt)
{
	Datum              args[2];
	HeapTuple          tup;
	TupleDesc          desc;
	bool               isnull;
	Datum              d;
	const char *const *pk;
	int                npk;
	int               *pkidx;
	int                k;

	args[0] = CStringGetTextDatum(code);
	args[1] = Int32GetDatum(version);
	spi_select("SELECT title, provider, frequency, valid_to, missing_values, primary_key"
			   " FROM taxshare.catalog_item WHERE code = $1 AND version = $2",
			   args, cxt, 1);
	if (SPI_processed == 0)
		return false;
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	item->code = pstrdup(code);
	item->version = version;
	item->title = SPI_getvalue(tup, desc, 1);
	item->provider = SPI_getvalue(tup, desc, 2);
	item->frequency = SPI_getvalue(tup, desc, 3);
	d = SPI_getbinval(tup, desc, 4, &isnull);
	item->has_valid_to = !isnull;
	item->valid_to = isnull ? 0 : DatumGetDateADT(d);
	item->spec.missing = spi_text_array(tup, desc, 5, &item->spec.nmissing);
	pk = spi_text_array(tup, desc, 6, &npk);

	compile_fields(item, args, cxt);
	pkidx = palloc(sizeof(int) * (npk > 0 ? npk : 1));
	for (k = 0; k < npk; k++)
	{
		pkidx[k] = field_ref(item, pk[k]);
		((FieldSpec *) item->spec.fields)[pkidx[k]].required = true;
	}
	item->spec.npk = npk;
	item->spec.pk = pkidx;
	compile_rules(item, args, cxt);
	return true;
}
