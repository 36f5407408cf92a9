/*
 * risk.h
 *		The server side of the risk module: its settings (risk_init(), called
 *		from _PG_init), the parameters of taxshare.risk_param as a grading
 *		uses them (risk_param.c), and the rendering helpers of the breakdown
 *		and the response reason (risk_breakdown_fmgr.c).  The state of one
 *		grading is in risk_grade_internal.h; the arithmetic in the pure cores
 *		risk_score.h and risk_propagate.h.
 */
#ifndef TAXSHARE_RISK_H
#define TAXSHARE_RISK_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/jsonb.h"

#include "risk/risk_propagate.h"
#include "risk/risk_score.h"

/* GUCs: taxshare.risk_write_batch, taxshare.risk_breakdown_points */
extern int taxshare_risk_write_batch;
extern int taxshare_risk_breakdown_points;

/* Defines the GUCs; called from _PG_init. */
extern void risk_init(void);

/* The monitoring indicator grade_risks() raises itself (docs/risk.md, "The blacklist"). */
#define M07_CODE "M07_BLACKLIST_KEY_ROLE"

/* taxshare.risk_param as grade_risks() uses it */
typedef struct GradeParams
{
	RiskParams core;
	int        hops;
	double     role_weight[RISK_N_ROLES];
	/* checked here, used by the warning functions in SQL */
	double push_before_day;
	double push_month_offset;
	double receive_working_days;
	double cycle_days;
	double max_cycles;
	double deduction_points;
	/* used by the referral functions in SQL (85_referral.sql) */
	double referral_receive_working_days;
	double referral_result_days;
} GradeParams;

/* Reads taxshare.risk_param (inside SPI); NULL or what is wrong with it. */
extern const char *risk_params_load(GradeParams *gp);

/* The parameters as the JSON text of risk_grading.params. */
extern char *risk_params_json(const GradeParams *gp);

/* A response_reason, in the language of taxshare.language. */
extern char *risk_reason_text(int reason, int64 cents, bool monitoring, DateADT assessed_on);

/* A date as YYYY-MM-DD, whatever DateStyle says (buf: 16 bytes). */
extern void risk_date_iso(char *buf, DateADT d);

#endif /* TAXSHARE_RISK_H */
