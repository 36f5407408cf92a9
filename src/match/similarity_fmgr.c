/*
 * similarity_fmgr.c
 *		SQL functions of name matching: fmgr glue around the pure cores
 *		similarity.c, company_name.c and ident/normalize.c
 *		(docs/matching.md).
 *
 * The cores work on UTF-8.  In a UTF-8 database (and in SQL_ASCII, whose
 * bytes are taken as they are) the text is read in place; in any other
 * server encoding it is converted to UTF-8 and the parts returned are
 * converted back.
 *
 * A query may call these functions once per candidate pair over millions of
 * pairs, so the common case allocates nothing: normalised names of up to
 * COMPANY_NAME_MAX_BYTES live on the stack.
 */
#include "taxshare.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "match/company_name.h"
#include "ident/normalize.h"
#include "match/similarity.h"

/* Does this database need its text converted to reach the UTF-8 cores? */
static bool
needs_conversion(void)
{
	int enc = GetDatabaseEncoding();

	return enc != PG_UTF8 && enc != PG_SQL_ASCII;
}

/* Argument argno as UTF-8 bytes (in place when possible). */
static const char *
utf8_arg(FunctionCallInfo fcinfo, int argno, size_t *len)
{
	text       *t = PG_GETARG_TEXT_PP(argno);
	const char *s = VARDATA_ANY(t);
	char       *u;

	*len = VARSIZE_ANY_EXHDR(t);
	if (!needs_conversion() || *len == 0)
		return s;
	u = pg_server_to_any(s, (int) *len, PG_UTF8);
	if (u != s)
		*len = strlen(u);
	return u;
}

/* UTF-8 bytes as a text Datum of the server encoding. */
static text *
text_from_utf8(const char *s, size_t len)
{
	if (needs_conversion() && len > 0)
	{
		char *z = pnstrdup(s, len);
		char *conv = pg_any_to_server(z, (int) len, PG_UTF8);

		return cstring_to_text(conv);
	}
	return cstring_to_text_with_len(s, (int) len);
}

/*
 * normalize_name() of s into buf when it fits (capacity bufsize), else into
 * palloc'd memory.  for_output: the result (or a part of it) goes back to the
 * client; then, in a database that is not UTF-8, middle-dot variants are
 * kept as they are, since U+00B7 may have no equivalent in the server
 * encoding (EUC_CN maps its A1A4 to U+30FB): the same rule as
 * normalize_name() itself (ident_fmgr.c).
 */
static const char *
normalized(const char *s, size_t len, char *buf, size_t bufsize, size_t *outlen, bool for_output)
{
	char *out = (len < bufsize) ? buf : palloc(len + 1);

	*outlen = normalize_name_opts(s, len, out,
								  (for_output && needs_conversion()) ? NORMALIZE_KEEP_DOTS : 0);
	return out;
}

typedef double (*string_measure)(const char *, size_t, const char *, size_t);

static Datum
measure_args(FunctionCallInfo fcinfo, string_measure f)
{
	size_t      alen, blen;
	const char *a = utf8_arg(fcinfo, 0, &alen);
	const char *b = utf8_arg(fcinfo, 1, &blen);

	PG_RETURN_FLOAT8(f(a, alen, b, blen));
}

PG_FUNCTION_INFO_V1(taxshare_jaro_winkler);

/* Jaro-Winkler of the strings as given, on code points. */
Datum
taxshare_jaro_winkler(PG_FUNCTION_ARGS)
{
	return measure_args(fcinfo, sim_jaro_winkler);
}

PG_FUNCTION_INFO_V1(taxshare_bigram_similarity);

/* Dice coefficient of character bigrams, of the strings as given. */
Datum
taxshare_bigram_similarity(PG_FUNCTION_ARGS)
{
	return measure_args(fcinfo, sim_bigram_dice);
}

PG_FUNCTION_INFO_V1(taxshare_name_similarity);

/*
 * The combined measure on normalised names, knowing the parts of company
 * names.  Normalising here costs little (one pass, no allocation) and means
 * no caller can forget it; normalize_name is idempotent, so normalised input
 * gives the same answer.
 */
Datum
taxshare_name_similarity(PG_FUNCTION_ARGS)
{
	char        abuf[COMPANY_NAME_MAX_BYTES + 1];
	char        bbuf[COMPANY_NAME_MAX_BYTES + 1];
	size_t      alen, blen, na, nb;
	const char *a = utf8_arg(fcinfo, 0, &alen);
	const char *b = utf8_arg(fcinfo, 1, &blen);
	const char *an = normalized(a, alen, abuf, sizeof(abuf), &na, false);
	const char *bn = normalized(b, blen, bbuf, sizeof(bbuf), &nb, false);

	PG_RETURN_FLOAT8(company_name_similarity(an, na, bn, nb));
}

/* A part of s as a text Datum, or NULL when absent. */
static Datum
span_datum(const char *s, CompanyNameSpan sp, bool *isnull)
{
	*isnull = (sp.len == 0);
	if (*isnull)
		return (Datum) 0;
	return PointerGetDatum(text_from_utf8(s + sp.off, sp.len));
}

static TupleDesc
result_desc(FunctionCallInfo fcinfo, int natts)
{
	TupleDesc desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(
			ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("function returning record called in context that cannot accept type record")));
	desc = BlessTupleDesc(desc);
	if (desc->natts != natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("taxshare library and SQL definition disagree on the result of %s",
						get_func_name(fcinfo->flinfo->fn_oid)),
				 errhint("Run ALTER EXTENSION taxshare UPDATE, or reinstall the extension.")));
	return desc;
}

PG_FUNCTION_INFO_V1(taxshare_company_name_parts);

/*
 * The parts of a company name (after normalize_name): region, trade_name,
 * industry, industry_class, form, branch, is_branch, is_group, is_china,
 * is_company.  Absent parts are NULL.
 */
Datum
taxshare_company_name_parts(PG_FUNCTION_ARGS)
{
	TupleDesc   desc = result_desc(fcinfo, 10);
	Datum       values[10];
	bool        nulls[10];
	size_t      len, n;
	const char *s = utf8_arg(fcinfo, 0, &len);
	char       *norm = palloc(len + 1);
	CompanyName cn;

	n = normalize_name_opts(s, len, norm, needs_conversion() ? NORMALIZE_KEEP_DOTS : 0);
	company_name_parse(norm, n, &cn);

	values[0] = span_datum(norm, cn.region, &nulls[0]);
	values[1] = span_datum(norm, cn.trade_name, &nulls[1]);
	values[2] = span_datum(norm, cn.industry, &nulls[2]);
	nulls[3] = (cn.industry_class == NULL);
	values[3] = nulls[3] ? (Datum) 0 : CStringGetTextDatum(cn.industry_class);
	values[4] = span_datum(norm, cn.form, &nulls[4]);
	values[5] = span_datum(norm, cn.branch, &nulls[5]);
	values[6] = BoolGetDatum(cn.is_branch);
	values[7] = BoolGetDatum(cn.group);
	values[8] = BoolGetDatum(cn.china);
	values[9] = BoolGetDatum(cn.is_company);
	memset(nulls + 6, 0, 4 * sizeof(bool));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(taxshare_company_name_key);

/* The blocking key (the 字号) of a name after normalize_name; NULL if empty. */
Datum
taxshare_company_name_key(PG_FUNCTION_ARGS)
{
	char        buf[COMPANY_NAME_MAX_BYTES + 1];
	char        keybuf[COMPANY_NAME_MAX_BYTES + 1];
	size_t      len, n, k;
	const char *s = utf8_arg(fcinfo, 0, &len);
	const char *norm = normalized(s, len, buf, sizeof(buf), &n, true);
	char       *key = (n < sizeof(keybuf)) ? keybuf : palloc(n + 1);

	k = company_name_key(norm, n, key);
	if (k == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(text_from_utf8(key, k));
}

static Datum
part_cmp_datum(CompanyPartCmp c, bool *isnull)
{
	*isnull = (c == COMPANY_PART_MISSING);
	if (*isnull)
		return (Datum) 0;
	return CStringGetTextDatum(c == COMPANY_PART_SAME ? "same" : "different");
}

PG_FUNCTION_INFO_V1(taxshare_company_name_compare);

/*
 * Two names compared part by part, for a Fellegi-Sunter model that scores
 * name, region and industry as separate fields: name_similarity (of the
 * names without region), region and industry ('same', 'different', NULL when
 * either side lacks it), same_kind, and branch_similarity (of two branches'
 * own parts; NULL unless both are branches).
 */
Datum
taxshare_company_name_compare(PG_FUNCTION_ARGS)
{
	TupleDesc         desc = result_desc(fcinfo, 5);
	Datum             values[5];
	bool              nulls[5] = {false, false, false, false, false};
	char              abuf[COMPANY_NAME_MAX_BYTES + 1];
	char              bbuf[COMPANY_NAME_MAX_BYTES + 1];
	size_t            alen, blen, na, nb;
	const char       *a = utf8_arg(fcinfo, 0, &alen);
	const char       *b = utf8_arg(fcinfo, 1, &blen);
	const char       *an = normalized(a, alen, abuf, sizeof(abuf), &na, false);
	const char       *bn = normalized(b, blen, bbuf, sizeof(bbuf), &nb, false);
	CompanyComparison cmp;

	company_name_compare(an, na, bn, nb, &cmp);
	values[0] = Float8GetDatum(cmp.name);
	values[1] = part_cmp_datum(cmp.region, &nulls[1]);
	values[2] = part_cmp_datum(cmp.industry, &nulls[2]);
	values[3] = BoolGetDatum(cmp.same_kind);
	nulls[4] = !cmp.branches;
	values[4] = nulls[4] ? (Datum) 0 : Float8GetDatum(cmp.branch);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
