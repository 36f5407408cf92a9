/*
 * rule_expr_fmgr.c
 *		SQL glue of the rule expression compiler (rule_expr.h):
 *		rule_expr_sql(expr, alias) and rule_expr_fields(expr).
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "match/rule_expr.h"

static void
compile(text *expr, const char *payload, RuleExprFields *fields, char **sql)
{
	char       *in = VARDATA_ANY(expr);
	size_t      len = VARSIZE_ANY_EXHDR(expr);
	size_t      outsize = len * 8 + strlen(payload) * (RULE_EXPR_MAX_FIELDS + len) + 1024;
	char       *out = palloc(outsize);
	size_t      pos;
	const char *problem = rule_expr_compile(in, len, payload, out, outsize, fields, &pos);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid amount expression \"%s\"", text_to_cstring(expr)),
				 errdetail("%s at character %d.", problem, pg_mbstrlen_with_len(in, (int) pos) + 1),
				 errhint("Use field names, numbers (3%% is 0.03), + - * / and parentheses, "
						 "and the functions min, max, round, abs, coalesce.")));
	*sql = out;
}

PG_FUNCTION_INFO_V1(rule_expr_sql);

/* rule_expr_sql(expr text, alias text) -> the SQL of the expression over alias.payload */
Datum
rule_expr_sql(PG_FUNCTION_ARGS)
{
	text *expr = PG_GETARG_TEXT_PP(0);
	char *alias = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char *payload;
	char *sql;

	/* the alias is spliced into SQL: a plain lower-case identifier only */
	if (alias[0] == '\0' || strlen(alias) > 30 ||
		strspn(alias, "abcdefghijklmnopqrstuvwxyz_0123456789") != strlen(alias) ||
		(alias[0] >= '0' && alias[0] <= '9'))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("invalid table alias \"%s\"", alias),
						errhint("Use a lower-case identifier such as \"c\".")));
	payload = psprintf("%s.payload", alias);
	compile(expr, payload, NULL, &sql);
	PG_RETURN_TEXT_P(cstring_to_text(sql));
}

PG_FUNCTION_INFO_V1(rule_expr_fields);

/* rule_expr_fields(expr text) -> text[] of the field names, in order of first use */
Datum
rule_expr_fields(PG_FUNCTION_ARGS)
{
	RuleExprFields fields;
	Datum         *elems;
	char          *sql;

	compile(PG_GETARG_TEXT_PP(0), "p", &fields, &sql);
	elems = palloc(sizeof(Datum) * (fields.n > 0 ? fields.n : 1));
	for (int i = 0; i < fields.n; i++)
		elems[i] = CStringGetTextDatum(fields.names[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, fields.n, TEXTOID, -1, false, TYPALIGN_INT));
}
