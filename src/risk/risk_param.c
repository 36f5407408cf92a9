/*
 * risk_param.c
 *		The risk module's settings (GUCs) and taxshare.risk_param: reading
 *		the parameters, checking them as a whole (risk_param_problem(), run
 *		by the table's statement trigger) and writing them as JSON for
 *		risk_grading.params.
 */
#include "taxshare.h"

#include <math.h>

#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "risk/risk.h"

int taxshare_risk_write_batch = 10000;
int taxshare_risk_breakdown_points = 10;

void
risk_init(void)
{
	DefineCustomIntVariable(
		"taxshare.risk_write_batch", "Rows grade_risks() writes to risk_score per INSERT.",
		"Larger batches save statements and use more memory.", &taxshare_risk_write_batch, 10000,
		100, 1000000, PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("taxshare.risk_breakdown_points",
							"How many of an entity's points risk_score.breakdown lists.",
							"The points with the largest amounts are listed; the rest are counted "
							"in points_omitted.",
							&taxshare_risk_breakdown_points, 10, 0, 1000, PGC_USERSET, 0, NULL,
							NULL, NULL);
}

/* ------------------------------------------------------------------------
 * Parameters
 * ------------------------------------------------------------------------
 */

static void
params_default(GradeParams *gp)
{
	risk_params_default(&gp->core);
	gp->hops = 2;
	gp->role_weight[0] = 1.0; /* legal_rep */
	gp->role_weight[1] = 0.6; /* investor */
	gp->role_weight[2] = 0.8; /* finance_head */
	gp->role_weight[3] = 0.8; /* tax_handler */
	gp->push_before_day = 10;
	gp->push_month_offset = 1;
	gp->receive_working_days = 3;
	gp->cycle_days = 30;
	gp->max_cycles = 2;
	gp->deduction_points = 2;
	gp->referral_receive_working_days = 3;
	gp->referral_result_days = 60;
}

static bool
is_whole(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

const char *
risk_params_load(GradeParams *gp)
{
	double      hops = 2;
	const char *problem;
	uint64      i;
	int         r;

	params_default(gp);
	if (SPI_execute("SELECT name, value FROM taxshare.risk_param", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read taxshare.risk_param");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple tup = SPI_tuptable->vals[i];
		TupleDesc td = SPI_tuptable->tupdesc;
		bool      isnull;
		char     *name = TextDatumGetCString(SPI_getbinval(tup, td, 1, &isnull));
		double    v = DatumGetFloat8(SPI_getbinval(tup, td, 2, &isnull));

		if (strcmp(name, "weight.points") == 0)
			gp->core.weight[RF_POINTS] = v;
		else if (strcmp(name, "weight.amount") == 0)
			gp->core.weight[RF_AMOUNT] = v;
		else if (strcmp(name, "weight.severity") == 0)
			gp->core.weight[RF_SEVERITY] = v;
		else if (strcmp(name, "weight.social") == 0)
			gp->core.weight[RF_SOCIAL] = v;
		else if (strcmp(name, "points.full") == 0)
			gp->core.points_full = v;
		else if (strcmp(name, "amount.floor") == 0)
			gp->core.amount_floor = v;
		else if (strcmp(name, "amount.full") == 0)
			gp->core.amount_full = v;
		else if (strcmp(name, "grade.medium") == 0)
			gp->core.medium = v;
		else if (strcmp(name, "grade.high") == 0)
			gp->core.high = v;
		else if (strcmp(name, "propagation.decay") == 0)
			gp->core.decay = v;
		else if (strcmp(name, "propagation.hops") == 0)
			hops = v;
		else if (strcmp(name, "propagation.min") == 0)
			gp->core.propagation_min = v;
		else if (strcmp(name, "propagation.blacklist") == 0)
			gp->core.blacklist_strength = v;
		else if (strcmp(name, "response.verification_amount") == 0)
			gp->core.verification_amount = v;
		else if (strcmp(name, "warning.push_before_day") == 0)
			gp->push_before_day = v;
		else if (strcmp(name, "warning.push_month_offset") == 0)
			gp->push_month_offset = v;
		else if (strcmp(name, "warning.receive_working_days") == 0)
			gp->receive_working_days = v;
		else if (strcmp(name, "warning.cycle_days") == 0)
			gp->cycle_days = v;
		else if (strcmp(name, "warning.max_cycles") == 0)
			gp->max_cycles = v;
		else if (strcmp(name, "warning.deduction_points") == 0)
			gp->deduction_points = v;
		else if (strcmp(name, "referral.receive_working_days") == 0)
			gp->referral_receive_working_days = v;
		else if (strcmp(name, "referral.result_days") == 0)
			gp->referral_result_days = v;
		else if (strncmp(name, "propagation.role.", 17) == 0)
		{
			for (r = 0; r < RISK_N_ROLES; r++)
				if (strcmp(name + 17, risk_role_names[r]) == 0)
					gp->role_weight[r] = v;
		}
	}

	problem = risk_params_check(&gp->core);
	if (problem)
		return problem;
	if (!is_whole(hops, 0, 10))
		return "propagation.hops must be a whole number from 0 to 10";
	gp->hops = (int) hops;
	for (r = 0; r < RISK_N_ROLES; r++)
		if (!(gp->role_weight[r] >= 0 && gp->role_weight[r] <= 1))
			return "every propagation.role.* must be between 0 and 1";
	/* the last day allowed (每月10日前: the 10th included); every month has a 28th */
	if (!is_whole(gp->push_before_day, 1, 28))
		return "warning.push_before_day must be a whole number from 1 to 28";
	if (!is_whole(gp->push_month_offset, 0, 12))
		return "warning.push_month_offset must be a whole number from 0 to 12";
	if (!is_whole(gp->receive_working_days, 0, 60))
		return "warning.receive_working_days must be a whole number from 0 to 60";
	if (!is_whole(gp->cycle_days, 1, 366))
		return "warning.cycle_days must be a whole number from 1 to 366";
	if (!is_whole(gp->max_cycles, 1, 12))
		return "warning.max_cycles must be a whole number from 1 to 12";
	if (!is_whole(gp->deduction_points, 0, 20))
		return "warning.deduction_points must be a whole number from 0 to 20";
	if (!is_whole(gp->referral_receive_working_days, 0, 60))
		return "referral.receive_working_days must be a whole number from 0 to 60";
	if (!is_whole(gp->referral_result_days, 1, 366))
		return "referral.result_days must be a whole number from 1 to 366";
	return NULL;
}

PG_FUNCTION_INFO_V1(risk_param_problem);

/*
 * risk_param_problem() returns text: NULL when taxshare.risk_param is usable
 * as a whole, else what is wrong (the statement trigger on the table raises it).
 */
Datum
risk_param_problem(PG_FUNCTION_ARGS)
{
	GradeParams gp;
	const char *problem;

	SPI_connect();
	problem = risk_params_load(&gp);
	SPI_finish();
	if (problem == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(problem));
}

static void
append_num(StringInfo b, double x, int decimals)
{
	char buf[64];

	risk_format_number(buf, sizeof buf, x, decimals);
	appendStringInfoString(b, buf);
}

/* The parameters a run used, as risk_grading.params. */
char *
risk_params_json(const GradeParams *gp)
{
	StringInfoData b;
	int            r;

	initStringInfo(&b);
	appendStringInfoString(&b, "{\"weight.points\": ");
	append_num(&b, gp->core.weight[RF_POINTS], 6);
	appendStringInfoString(&b, ", \"weight.amount\": ");
	append_num(&b, gp->core.weight[RF_AMOUNT], 6);
	appendStringInfoString(&b, ", \"weight.severity\": ");
	append_num(&b, gp->core.weight[RF_SEVERITY], 6);
	appendStringInfoString(&b, ", \"weight.social\": ");
	append_num(&b, gp->core.weight[RF_SOCIAL], 6);
	appendStringInfoString(&b, ", \"points.full\": ");
	append_num(&b, gp->core.points_full, 6);
	appendStringInfoString(&b, ", \"amount.floor\": ");
	append_num(&b, gp->core.amount_floor, 2);
	appendStringInfoString(&b, ", \"amount.full\": ");
	append_num(&b, gp->core.amount_full, 2);
	appendStringInfoString(&b, ", \"grade.medium\": ");
	append_num(&b, gp->core.medium, 2);
	appendStringInfoString(&b, ", \"grade.high\": ");
	append_num(&b, gp->core.high, 2);
	appendStringInfoString(&b, ", \"propagation.decay\": ");
	append_num(&b, gp->core.decay, 6);
	appendStringInfo(&b, ", \"propagation.hops\": %d, \"propagation.min\": ", gp->hops);
	append_num(&b, gp->core.propagation_min, 2);
	appendStringInfoString(&b, ", \"propagation.blacklist\": ");
	append_num(&b, gp->core.blacklist_strength, 2);
	for (r = 0; r < RISK_N_ROLES; r++)
	{
		appendStringInfo(&b, ", \"propagation.role.%s\": ", risk_role_names[r]);
		append_num(&b, gp->role_weight[r], 6);
	}
	appendStringInfoString(&b, ", \"response.verification_amount\": ");
	append_num(&b, gp->core.verification_amount, 2);
	appendStringInfoChar(&b, '}');
	return b.data;
}
