/*
 * catalog_fmgr.c
 *		SQL-callable helpers of the catalog: the type list and canonical values
 *		that catalog_define() checks definitions with, and the trigger that
 *		invalidates the compiled catalog caches.
 */
#include "taxshare.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"

#include "validate/value.h"

PG_FUNCTION_INFO_V1(catalog_types);

/* The type names of value.h, in their declaration order. */
Datum
catalog_types(PG_FUNCTION_ARGS)
{
	Datum names[FT_COUNT];
	int   t;

	for (t = 0; t < FT_COUNT; t++)
		names[t] = CStringGetTextDatum(field_type_name((FieldType) t));
	PG_RETURN_ARRAYTYPE_P(construct_array(names, FT_COUNT, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(catalog_canonical);

/*
 * The canonical text of value as a field of the given type, or NULL when the
 * value is not of the type; an unknown type is an error.
 */
Datum
catalog_canonical(PG_FUNCTION_ARGS)
{
	char       *type = text_to_cstring(PG_GETARG_TEXT_PP(0));
	text       *value = PG_GETARG_TEXT_PP(1);
	FieldType   t;
	ParsedValue pv;
	char       *out;

	if (!field_type_from_name(type, &t))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown field type \"%s\"", type),
						errhint("The types are listed by taxshare.catalog_types().")));
	out = palloc(VARSIZE_ANY_EXHDR(value) + VALUE_CANON_EXTRA);
	if (value_parse(t, VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), out, &pv) != NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

PG_FUNCTION_INFO_V1(catalog_invalidate);

/*
 * Statement trigger on the catalog tables: a relcache invalidation of
 * catalog_item reaches every backend at commit (and this one at the next
 * command), whose callback in catalog_cache.c marks the compiled items stale.
 */
Datum
catalog_invalidate(PG_FUNCTION_ARGS)
{
	Oid relid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
						errmsg("taxshare.catalog_invalidate() must be called as a trigger")));
	relid = get_relname_relid("catalog_item", get_namespace_oid("taxshare", false));
	if (OidIsValid(relid))
		CacheInvalidateRelcacheByRelid(relid);
	return PointerGetDatum(NULL);
}
