/*
 * risk_breakdown_fmgr.c
 *		What risk_score says about one entity beyond its numbers: the
 *		breakdown, built from the grading's state for each row grade_risks()
 *		writes (risk_breakdown_bytea(), in the compact form of
 *		risk_breakdown.c) and rendered as jsonb when read
 *		(taxshare.risk_breakdown()), and the reason of the prescribed
 *		response, rendered from its code in Chinese or English when read
 *		(taxshare.risk_reason()).
 */
#include "taxshare.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "risk/risk_grade_internal.h"
#include "risk/risk_breakdown.h"
#include "validate/validate_fmgr.h"

void
risk_date_iso(char *buf, DateADT d)
{
	int y, m, day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, day);
}

/*
 * The response_reason text, in the language of taxshare.language: rendered
 * when a row is read (taxshare.risk_reason()), from the reason code and the
 * row's amount, monitoring flag and first assessment of the year.
 */
char *
risk_reason_text(int reason, int64 cents, bool monitoring, DateADT assessed_on)
{
	bool en = validate_language() == VL_EN;
	char amount[32];
	char day[16];

	switch ((RiskResponseReason) reason)
	{
		case RR_LOW_AMOUNT:
			risk_format_cents(amount, sizeof amount, cents);
			return en ? psprintf("low risk with %s yuan involved, at least the verification "
								 "amount: verification",
								 amount)
					  : psprintf("低风险, 涉及金额 %s 元达到核查标准: 税费核查", amount);
		case RR_LOW_INDICATOR:
			return pstrdup(en ? "low risk, an indicator asks for verification: verification"
							  : "低风险, 指标要求核查: 税费核查");
		case RR_LOW_PROPAGATED:
			return pstrdup(en ? "no points of its own, listed through a linked entity: verification"
							  : "无自身风险点, 因关联主体传导列入: 税费核查");
		case RR_MEDIUM_DEFAULT:
			return pstrdup(en ? "medium risk: tax assessment" : "中风险: 纳税评估");
		case RR_MEDIUM_ASSESSED:
			risk_date_iso(day, assessed_on);
			return en ? psprintf("medium risk, but already assessed this year (%s); no taxpayer is "
								 "assessed twice in a year: verification instead",
								 day)
					  : psprintf("中风险, 但本年度已实施或安排纳税评估 (%s), "
								 "原则上同一年度内不得多次评估: 改为税费核查",
								 day);
		case RR_HIGH_DEFAULT:
			return pstrdup(monitoring ? (en ? "high risk (monitoring indicator): tax audit"
											: "高风险 (命中监控指标): 税务稽查")
									  : (en ? "high risk: tax audit" : "高风险: 税务稽查"));
		case RR_HIGH_REFERRAL:
			return pstrdup(
				en ? "high risk, an indicator asks for referral: referral to law enforcement"
				   : "高风险, 指标要求移送: 移送执法部门");
		case RR_LOW_DEFAULT:
		default:
			return pstrdup(en ? "low risk: reminder" : "低风险: 提示提醒");
	}
}

static int
pt_amount_cmp(const void *a, const void *b, void *arg)
{
	Grade    *g = arg;
	const Pt *x = &g->pts[*(const int32 *) a];
	const Pt *y = &g->pts[*(const int32 *) b];

	if (x->cents != y->cents)
		return x->cents > y->cents ? -1 : 1;
	return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

/* jsonb built directly (no text to parse): keys, numbers, strings */
static Numeric
num_scaled(int64 v, int scale)
{
	return scale == 0 ? int64_to_numeric(v) : int64_div_fast_to_numeric(v, scale);
}

static void
jb_key(JsonbParseState **st, const char *k)
{
	JsonbValue v;

	v.type = jbvString;
	v.val.string.val = (char *) k;
	v.val.string.len = strlen(k);
	pushJsonbValue(st, WJB_KEY, &v);
}

static void
jb_num(JsonbParseState **st, JsonbIteratorToken tok, int64 v, int scale)
{
	JsonbValue x;

	x.type = jbvNumeric;
	x.val.numeric = num_scaled(v, scale);
	pushJsonbValue(st, tok, &x);
}

static void
jb_strn(JsonbParseState **st, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue x;

	if (s == NULL)
		x.type = jbvNull;
	else
	{
		x.type = jbvString;
		x.val.string.val = (char *) s;
		x.val.string.len = len;
	}
	pushJsonbValue(st, tok, &x);
}

static void
jb_bool(JsonbParseState **st, bool b)
{
	JsonbValue x;

	x.type = jbvBool;
	x.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &x);
}

/* The code index of indicator ind in d, added on first use (sc->cnt: index + 1). */
static int32
detail_code(Grade *g, Scratch *sc, RiskBreakdown *d, int32 ind)
{
	const char *code = g->inds[ind].code;

	if (code == NULL)
		return -1;
	if (sc->cnt[ind] == 0)
	{
		if (d->ncodes >= RB_MAX_CODES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a breakdown cannot name more than %d indicators", RB_MAX_CODES)));
		d->codes[d->ncodes] = code;
		d->code_len[d->ncodes] = g->inds[ind].len;
		sc->cnt[ind] = ++d->ncodes;
	}
	return sc->cnt[ind] - 1;
}

static int
detail_code_cmp(const void *a, const void *b, void *arg)
{
	const RiskBreakdown *d = arg;
	int32                x = *(const int32 *) a;
	int32                y = *(const int32 *) b;
	int                  c = memcmp(d->codes[x], d->codes[y], Min(d->code_len[x], d->code_len[y]));

	return c != 0 ? c : d->code_len[x] - d->code_len[y];
}

/*
 * The breakdown of one entity (docs/risk.md, "risk_score and the breakdown")
 * in its compact form, risk_score.detail.  It holds only what the columns of
 * risk_score do not: what each factor added, the points (largest amounts
 * first), the monitoring hits, the propagation and the assessment that
 * decided the response.  The parameters of the run are in risk_grading,
 * once per period.  d is work space of the caller.
 */
bytea *
risk_breakdown_bytea(Grade *g, Scratch *sc, Ent *e, RiskBreakdown *d)
{
	RiskParams *p = &g->gp.core;
	bytea      *out;
	size_t      cap;
	size_t      len;

	d->flags = 0;
	d->ncodes = d->npoints = d->nmonitoring = 0;
	d->omitted = 0;
	d->prop_role = -1;
	if (e->npoints > 0)
	{
		RiskInput  in;
		RiskResult r;
		int32      np = 0;
		int32      p_i;
		int32      i;
		int        show;
		int        f;

		in.points = e->wpoints;
		in.npoints = e->npoints;
		in.amount = (double) e->cents / 100.0;
		in.severity = e->severity;
		in.social = e->social;
		in.monitoring = e->monitoring;
		risk_compute(p, &in, &r);

		d->flags |= RB_POINTS;
		for (f = 0; f < RF_COUNT; f++)
			d->added[f] = (int64) llround(risk_round2(r.contribution[f]) * 100.0);
		if (e->wpoints != (double) e->npoints)
		{
			d->flags |= RB_WEIGHTED;
			d->weighted = (int64) llround(e->wpoints * 10000.0);
		}

		if (e->npoints > sc->maxpts)
		{
			sc->maxpts = Max(e->npoints, sc->maxpts * 2);
			sc->pts = repalloc_huge(sc->pts, sizeof(int32) * (Size) sc->maxpts);
		}
		for (p_i = e->head; p_i >= 0; p_i = g->pts[p_i].next)
			sc->pts[np++] = p_i;
		if (np > 1)
			qsort_arg(sc->pts, np, sizeof(int32), pt_amount_cmp, g);
		show = Min(Min(np, taxshare_risk_breakdown_points), RB_MAX_POINTS);
		for (i = 0; i < show; i++)
		{
			Pt *pt = &g->pts[sc->pts[i]];

			d->points[i].id = pt->id;
			d->points[i].cents = pt->cents;
			d->points[i].code = detail_code(g, sc, d, pt->ind);
		}
		d->npoints = show;
		d->omitted = np - show;

		if (e->monitoring)
		{
			int32 m07 = -1;

			d->flags |= RB_MONITORING;
			/* distinct monitoring indicators (sc->seen marks them), in code order */
			for (i = 0; i < np; i++)
			{
				int32 ind = g->pts[sc->pts[i]].ind;

				if (g->inds[ind].monitoring && g->inds[ind].code && !sc->seen[ind])
				{
					sc->seen[ind] = true;
					d->monitoring[d->nmonitoring++] = detail_code(g, sc, d, ind);
				}
			}
			if (e->key_person != 0)
			{
				d->flags |= RB_KEY_PERSON;
				d->key_person = e->key_person;
				for (i = 0; i < d->nmonitoring; i++)
					if (d->code_len[d->monitoring[i]] == strlen(M07_CODE) &&
						memcmp(d->codes[d->monitoring[i]], M07_CODE, strlen(M07_CODE)) == 0)
						m07 = i;
				if (m07 < 0)
				{
					if (d->ncodes >= RB_MAX_CODES)
						ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
										errmsg("a breakdown cannot name more than %d indicators",
											   RB_MAX_CODES)));
					d->codes[d->ncodes] = M07_CODE;
					d->code_len[d->ncodes] = strlen(M07_CODE);
					d->monitoring[d->nmonitoring++] = d->ncodes++;
				}
			}
			qsort_arg(d->monitoring, d->nmonitoring, sizeof(int32), detail_code_cmp, d);
			if (r.overridden)
				d->flags |= RB_OVERRIDE;
		}
		/* reset the work space for the next entity */
		for (i = 0; i < np; i++)
		{
			sc->cnt[g->pts[sc->pts[i]].ind] = 0;
			sc->seen[g->pts[sc->pts[i]].ind] = false;
		}
	}

	if (e->blacklisted)
		d->flags |= RB_BLACKLISTED;
	if (e->prop > 0)
	{
		d->flags |= RB_PROPAGATION;
		d->prop_value = (int64) llround(risk_round2(e->prop) * 100.0);
		d->prop_origin = e->prop_origin;
		d->prop_via = e->prop_via;
		d->prop_role = e->prop_role;
		d->prop_hops = e->prop_hops;
		if (e->raised)
			d->flags |= RB_APPLIED;
		if (e->capped)
			d->flags |= RB_CAPPED;
	}
	if (e->assessed)
	{
		d->flags |= RB_ASSESSED;
		d->assessed_on = e->assessed_on;
	}

	cap = risk_breakdown_bound(d);
	out = palloc(VARHDRSZ + cap);
	len = risk_breakdown_encode(d, (uint8 *) VARDATA(out), cap);
	if (len == 0)
		elog(ERROR, "grade_risks: the breakdown of entity " INT64_FORMAT " does not fit its bound",
			 e->id);
	SET_VARSIZE(out, VARHDRSZ + len);
	return out;
}

/* The documented jsonb of a decoded breakdown. */
static Jsonb *
detail_jsonb(const RiskBreakdown *d)
{
	JsonbParseState *st = NULL;
	JsonbValue      *res;
	int32            i;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (d->flags & RB_POINTS)
	{
		int f;

		jb_key(&st, "added");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (f = 0; f < RF_COUNT; f++)
		{
			jb_key(&st, risk_factor_names[f]);
			jb_num(&st, WJB_VALUE, d->added[f], 2);
		}
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		if (d->flags & RB_WEIGHTED)
		{
			jb_key(&st, "points_weighted");
			jb_num(&st, WJB_VALUE, d->weighted, 4);
		}
		if (d->npoints > 0)
		{
			jb_key(&st, "points");
			pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
			for (i = 0; i < d->npoints; i++)
			{
				const RiskBreakdownPoint *pt = &d->points[i];

				pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
				jb_key(&st, "id");
				jb_num(&st, WJB_VALUE, pt->id, 0);
				jb_key(&st, "indicator");
				jb_strn(&st, WJB_VALUE, pt->code < 0 ? NULL : d->codes[pt->code],
						pt->code < 0 ? 0 : d->code_len[pt->code]);
				jb_key(&st, "amount");
				jb_num(&st, WJB_VALUE, pt->cents, 2);
				pushJsonbValue(&st, WJB_END_OBJECT, NULL);
			}
			pushJsonbValue(&st, WJB_END_ARRAY, NULL);
		}
		if (d->omitted > 0)
		{
			jb_key(&st, "points_omitted");
			jb_num(&st, WJB_VALUE, d->omitted, 0);
		}
	}
	if (d->flags & RB_MONITORING)
	{
		jb_key(&st, "monitoring");
		pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
		for (i = 0; i < d->nmonitoring; i++)
			jb_strn(&st, WJB_ELEM, d->codes[d->monitoring[i]], d->code_len[d->monitoring[i]]);
		pushJsonbValue(&st, WJB_END_ARRAY, NULL);
		if (d->flags & RB_OVERRIDE)
		{
			jb_key(&st, "override");
			jb_bool(&st, true);
		}
		if (d->flags & RB_KEY_PERSON)
		{
			jb_key(&st, "blacklisted_key_person");
			jb_num(&st, WJB_VALUE, d->key_person, 0);
		}
	}
	if (d->flags & RB_BLACKLISTED)
	{
		jb_key(&st, "blacklisted");
		jb_bool(&st, true);
	}
	if (d->flags & RB_PROPAGATION)
	{
		jb_key(&st, "propagation");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		jb_key(&st, "value");
		jb_num(&st, WJB_VALUE, d->prop_value, 2);
		jb_key(&st, "origin");
		jb_num(&st, WJB_VALUE, d->prop_origin, 0);
		jb_key(&st, "via");
		jb_num(&st, WJB_VALUE, d->prop_via, 0);
		jb_key(&st, "role");
		jb_strn(
			&st, WJB_VALUE,
			d->prop_role >= 0 && d->prop_role < RISK_N_ROLES ? risk_role_names[d->prop_role] : NULL,
			d->prop_role >= 0 && d->prop_role < RISK_N_ROLES ? strlen(risk_role_names[d->prop_role])
															 : 0);
		jb_key(&st, "hops");
		jb_num(&st, WJB_VALUE, d->prop_hops, 0);
		jb_key(&st, "applied");
		jb_bool(&st, (d->flags & RB_APPLIED) != 0);
		jb_key(&st, "capped");
		jb_bool(&st, (d->flags & RB_CAPPED) != 0);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	if (d->flags & RB_ASSESSED)
	{
		char day[16];

		risk_date_iso(day, d->assessed_on);
		jb_key(&st, "assessed_this_year");
		jb_strn(&st, WJB_VALUE, day, strlen(day));
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}

static RiskBreakdown *
detail_decode(bytea *b)
{
	RiskBreakdown *d = palloc(sizeof(RiskBreakdown));

	if (risk_breakdown_decode((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), d) != 0)
		ereport(
			ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid risk breakdown of %d bytes", (int) VARSIZE_ANY_EXHDR(b)),
			 errdetail(
				 "risk_score.detail holds the compact breakdown grade_risks() writes (version %d).",
				 RISK_DETAIL_VERSION),
			 errhint("Grade the period again with taxshare.grade_risks().")));
	return d;
}

/*
 * taxshare.risk_breakdown(detail bytea) returns jsonb: the breakdown of a
 * risk_score row as users see it (risk_list.breakdown).
 */
PG_FUNCTION_INFO_V1(risk_breakdown);

Datum
risk_breakdown(PG_FUNCTION_ARGS)
{
	RiskBreakdown *d = detail_decode(PG_GETARG_BYTEA_PP(0));

	PG_RETURN_JSONB_P(detail_jsonb(d));
}

/*
 * taxshare.risk_reason(reason smallint, amount numeric, monitoring boolean,
 * detail bytea) returns text: a risk_score row's response_reason, in the
 * language of taxshare.language.
 */
PG_FUNCTION_INFO_V1(risk_reason);

Datum
risk_reason(PG_FUNCTION_ARGS)
{
	int     reason = PG_GETARG_INT16(0);
	Numeric amount = PG_GETARG_NUMERIC(1);
	bool    monitoring = PG_GETARG_BOOL(2);
	DateADT assessed_on = 0;
	int64   cents = 0;

	if (reason == RR_MEDIUM_ASSESSED)
	{
		RiskBreakdown *d = detail_decode(PG_GETARG_BYTEA_PP(3));

		assessed_on = d->assessed_on;
	}
	if (reason == RR_LOW_AMOUNT)
	{
		Datum c = DirectFunctionCall2(numeric_mul, NumericGetDatum(amount),
									  DirectFunctionCall1(int4_numeric, Int32GetDatum(100)));

		cents = DatumGetInt64(DirectFunctionCall1(numeric_int8, c));
	}
	PG_RETURN_TEXT_P(cstring_to_text(risk_reason_text(reason, cents, monitoring, assessed_on)));
}
