/*
 * intake_submit.c
 *		taxshare.submit(item, unit, period_start, rows, received_at_exchange,
 *		channel, client_ref): one JSON array of row objects becomes one
 *		submission; a retry under the same client_ref returns the first one.
 */
#include "taxshare.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "intake/intake.h"

static char *
required_text(FunctionCallInfo fcinfo, int arg, const char *name)
{
	if (PG_ARGISNULL(arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be null", name),
				 errhint("Call taxshare.submit(item, unit, period_start, rows).")));
	return text_to_cstring(PG_GETARG_TEXT_PP(arg));
}

PG_FUNCTION_INFO_V1(submit);

Datum
submit(PG_FUNCTION_ARGS)
{
	IntakeSource       src;
	Jsonb             *rows;
	JsonbIterator     *it;
	JsonbValue         v;
	JsonbIteratorToken tok;
	IntakeLoad        *load;

	src.item = required_text(fcinfo, 0, "item");
	src.unit = required_text(fcinfo, 1, "unit");
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("period_start must not be null"),
				 errhint("Give the first day of the reporting period, e.g. '2024-03-01'.")));
	src.period_start = PG_GETARG_DATEADT(2);
	if (PG_ARGISNULL(3))
		ereport(
			ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("rows must not be null"),
			 errhint("Send a JSON array of row objects; [] for a period with nothing to report.")));
	rows = PG_GETARG_JSONB_P(3);
	src.has_exchange = !PG_ARGISNULL(4);
	src.received_at_exchange = src.has_exchange ? PG_GETARG_TIMESTAMPTZ(4) : 0;
	src.run_as = InvalidOid; /* SECURITY DEFINER already */
	src.channel =
		PG_NARGS() > 5 && !PG_ARGISNULL(5) ? text_to_cstring(PG_GETARG_TEXT_PP(5)) : "api";
	/* 0.1.0's six-argument submit() binds this function too: no reference there. */
	src.client_ref =
		PG_NARGS() > 6 && !PG_ARGISNULL(6) ? text_to_cstring(PG_GETARG_TEXT_PP(6)) : NULL;
	/* The jsonb's bytes: one value has one binary form (keys sorted, duplicates gone). */
	src.client_content = (const struct varlena *) rows;

	if (!JB_ROOT_IS_ARRAY(rows) || JB_ROOT_IS_SCALAR(rows))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("rows must be a JSON array of objects, not %s",
							   JB_ROOT_IS_OBJECT(rows) ? "an object" : "a scalar"),
						errhint("Wrap a single row in brackets: [{...}].")));

	load = intake_begin(&src, JB_ROOT_COUNT(rows));
	if (load->retry_of > 0)
		PG_RETURN_INT64(intake_finish(load));
	/* A large batch is checked by a parallel worker while this backend writes. */
	if (intake_parallel_wanted(JB_ROOT_COUNT(rows)))
		(void) intake_parallel_begin(load);
	it = JsonbIteratorInit(&rows->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (load->parallel)
			intake_parallel_row(load, &v);
		else
			intake_row(load, &v);
	}
	if (load->parallel)
		intake_parallel_end(load, false);
	PG_RETURN_INT64(intake_finish(load));
}
