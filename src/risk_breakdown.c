/*
 * risk_breakdown.c
 *		What risk_score says about one entity beyond its numbers: the
 *		breakdown (jsonb, built directly rather than parsed from text) and
 *		the reason of the prescribed response, in Chinese or English.
 */
#include "taxshare.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "risk.h"
#include "validate_glue.h"

void
risk_date_iso(char *buf, DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	snprintf(buf, 16, "%04d-%02d-%02d", y, m, day);
}

/* The response_reason text, in the language of taxshare.language. */
char *
risk_reason_text(const Ent *e)
{
	bool		en = validate_language() == VL_EN;
	char		amount[32];
	char		day[16];

	switch ((RiskResponseReason) e->reason)
	{
		case RR_LOW_AMOUNT:
			risk_format_cents(amount, sizeof amount, e->cents);
			return en ? psprintf("low risk with %s yuan involved, at least the verification amount: verification", amount)
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
			risk_date_iso(day, e->assessed_on);
			return en ? psprintf("medium risk, but already assessed this year (%s); no taxpayer is assessed twice in a year: verification instead", day)
				: psprintf("中风险, 但本年度已实施或安排纳税评估 (%s), 原则上同一年度内不得多次评估: 改为税费核查", day);
		case RR_HIGH_DEFAULT:
			return pstrdup(e->monitoring
						   ? (en ? "high risk (monitoring indicator): tax audit" : "高风险 (命中监控指标): 税务稽查")
						   : (en ? "high risk: tax audit" : "高风险: 税务稽查"));
		case RR_HIGH_REFERRAL:
			return pstrdup(en ? "high risk, an indicator asks for referral: referral to law enforcement"
						   : "高风险, 指标要求移送: 移送执法部门");
		case RR_LOW_DEFAULT:
		default:
			return pstrdup(en ? "low risk: reminder" : "低风险: 提示提醒");
	}
}

static int
pt_amount_cmp(const void *a, const void *b, void *arg)
{
	Grade	   *g = arg;
	const Pt   *x = &g->pts[*(const int32 *) a];
	const Pt   *y = &g->pts[*(const int32 *) b];

	if (x->cents != y->cents)
		return x->cents > y->cents ? -1 : 1;
	return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

static int
code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* jsonb built directly (no text to parse): keys, numbers, strings */
static Numeric
num_scaled(int64 v, int scale)
{
#if PG_VERSION_NUM >= 140000
	return scale == 0 ? int64_to_numeric(v) : int64_div_fast_to_numeric(v, scale);
#else
	char		buf[64];
	char	   *t;

	t = psprintf(INT64_FORMAT, v);
	if (scale > 0)
	{
		risk_format_number(buf, sizeof buf, (double) v / pow(10, scale), scale);
		t = buf;
	}
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(t),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
#endif
}

static void
jb_key(JsonbParseState **st, const char *k)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) k;
	v.val.string.len = strlen(k);
	pushJsonbValue(st, WJB_KEY, &v);
}

static void
jb_num(JsonbParseState **st, JsonbIteratorToken tok, int64 v, int scale)
{
	JsonbValue	x;

	x.type = jbvNumeric;
	x.val.numeric = num_scaled(v, scale);
	pushJsonbValue(st, tok, &x);
}

/* a score or factor: two decimals */
static void
jb_score(JsonbParseState **st, double v)
{
	jb_num(st, WJB_VALUE, (int64) llround(risk_round2(v) * 100.0), 2);
}

static void
jb_str(JsonbParseState **st, JsonbIteratorToken tok, const char *s)
{
	JsonbValue	x;

	if (s == NULL)
		x.type = jbvNull;
	else
	{
		x.type = jbvString;
		x.val.string.val = (char *) s;
		x.val.string.len = strlen(s);
	}
	pushJsonbValue(st, tok, &x);
}

static void
jb_bool(JsonbParseState **st, bool b)
{
	JsonbValue	x;

	x.type = jbvBool;
	x.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &x);
}

/*
 * The breakdown of one entity (docs/risk.md, "Breakdown").  It holds only
 * what the columns of risk_score do not: what each factor added, the points
 * (largest amounts first), the monitoring hits, the propagation and the
 * assessment that decided the response.  The parameters of the run are in
 * risk_grading, once per period.
 */
Jsonb *
risk_breakdown(Grade *g, Scratch *sc, Ent *e)
{
	RiskParams *p = &g->gp.core;
	JsonbParseState *st = NULL;
	JsonbValue *res;
	int			f;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (e->npoints > 0)
	{
		RiskInput	in;
		RiskResult	r;
		int32		np = 0;
		int32		p_i;
		int32		i;
		int			show;

		in.points = e->wpoints;
		in.npoints = e->npoints;
		in.amount = (double) e->cents / 100.0;
		in.severity = e->severity;
		in.social = e->social;
		in.monitoring = e->monitoring;
		risk_compute(p, &in, &r);

		jb_key(&st, "added");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (f = 0; f < RF_COUNT; f++)
		{
			jb_key(&st, risk_factor_names[f]);
			jb_score(&st, r.contribution[f]);
		}
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		if (e->wpoints != (double) e->npoints)
		{
			jb_key(&st, "points_weighted");
			jb_num(&st, WJB_VALUE, (int64) llround(e->wpoints * 10000.0), 4);
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
		show = Min(np, taxshare_risk_breakdown_points);
		if (show > 0)
		{
			jb_key(&st, "points");
			pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
			for (i = 0; i < show; i++)
			{
				Pt		   *pt = &g->pts[sc->pts[i]];

				pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
				jb_key(&st, "id");
				jb_num(&st, WJB_VALUE, pt->id, 0);
				jb_key(&st, "indicator");
				jb_str(&st, WJB_VALUE, g->inds[pt->ind].code);
				jb_key(&st, "amount");
				jb_num(&st, WJB_VALUE, pt->cents, 2);
				pushJsonbValue(&st, WJB_END_OBJECT, NULL);
			}
			pushJsonbValue(&st, WJB_END_ARRAY, NULL);
		}
		if (np > show)
		{
			jb_key(&st, "points_omitted");
			jb_num(&st, WJB_VALUE, np - show, 0);
		}

		if (e->monitoring)
		{
			int32		nm = 0;

			/* distinct monitoring indicators, in code order */
			for (i = 0; i < np; i++)
			{
				int32		ind = g->pts[sc->pts[i]].ind;

				if (g->inds[ind].monitoring && g->inds[ind].code && sc->cnt[ind]++ == 0)
					sc->codes[nm++] = g->inds[ind].code;
			}
			for (i = 0; i < np; i++)
				sc->cnt[g->pts[sc->pts[i]].ind] = 0;
			if (e->key_person != 0)
			{
				for (i = 0; i < nm && strcmp(sc->codes[i], M07_CODE) != 0; i++)
					;
				if (i == nm)
					sc->codes[nm++] = M07_CODE;
			}
			qsort(sc->codes, nm, sizeof(char *), code_cmp);
			jb_key(&st, "monitoring");
			pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
			for (i = 0; i < nm; i++)
				jb_str(&st, WJB_ELEM, sc->codes[i]);
			pushJsonbValue(&st, WJB_END_ARRAY, NULL);
			if (r.overridden)
			{
				jb_key(&st, "override");
				jb_bool(&st, true);
			}
			if (e->key_person != 0)
			{
				jb_key(&st, "blacklisted_key_person");
				jb_num(&st, WJB_VALUE, e->key_person, 0);
			}
		}
	}

	if (e->blacklisted)
	{
		jb_key(&st, "blacklisted");
		jb_bool(&st, true);
	}
	if (e->prop > 0)
	{
		jb_key(&st, "propagation");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		jb_key(&st, "value");
		jb_score(&st, e->prop);
		jb_key(&st, "origin");
		jb_num(&st, WJB_VALUE, e->prop_origin, 0);
		jb_key(&st, "via");
		jb_num(&st, WJB_VALUE, e->prop_via, 0);
		jb_key(&st, "role");
		jb_str(&st, WJB_VALUE, e->prop_role >= 0 ? risk_role_names[e->prop_role] : NULL);
		jb_key(&st, "hops");
		jb_num(&st, WJB_VALUE, e->prop_hops, 0);
		jb_key(&st, "applied");
		jb_bool(&st, e->raised);
		jb_key(&st, "capped");
		jb_bool(&st, e->capped);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	if (e->assessed)
	{
		char		day[16];

		risk_date_iso(day, e->assessed_on);
		jb_key(&st, "assessed_this_year");
		jb_str(&st, WJB_VALUE, day);
	}
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}
