/*
 * risk_score.c
 *		Pure core of risk grading: factors, score, grade, the arithmetic of
 *		propagation (source strength, passing on, the one-grade cap),
 *		prescribed response and list order (see risk_score.h, docs/risk.md).
 *
 * The rules, each in one place:
 *	- factors and their weights: seeds/000 art. 20 (三) grades the suspicious
 *	  points "以风险点数量、涉税涉费金额、违法违规程度、社会影响力等因素为参考指标";
 *	- grades and responses: art. 20 (四) — low: 提示提醒 or 税费核查; medium:
 *	  纳税评估, "原则上同一年度内不得对同一纳税人实施多次评估"; high: 税务稽查
 *	  or 部门执法 (移送);
 *	- monitoring indicators override the score: seeds/003, the Binzhou hard
 *	  indicators (公安立案, 稽查立案 ...) trigger immediate action;
 *	- propagation: seeds/003 "通过企业风险定位个人风险、通过个人风险查找企业风险"
 *	  (the walk along the links is risk_propagate.c).
 */
#include "risk/risk_score.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const risk_factor_names[RF_COUNT] = {"points", "amount", "severity", "social"};

void
risk_params_default(RiskParams *p)
{
	memset(p, 0, sizeof(*p));
	p->weight[RF_POINTS] = 0.25;
	p->weight[RF_AMOUNT] = 0.35;
	p->weight[RF_SEVERITY] = 0.25;
	p->weight[RF_SOCIAL] = 0.15;
	p->points_full = 5;
	p->amount_floor = 10000;
	p->amount_full = 10000000;
	p->medium = 40;
	p->high = 70;
	p->decay = 0.7;
	p->propagation_min = 10;
	p->blacklist_strength = 100;
	p->verification_amount = 100000;
}

static bool
finite_nonneg(double x)
{
	return isfinite(x) && x >= 0;
}

const char *
risk_params_check(const RiskParams *p)
{
	double sum = 0;
	int    i;

	for (i = 0; i < RF_COUNT; i++)
	{
		if (!finite_nonneg(p->weight[i]))
			return "every weight.* must be a number >= 0";
		sum += p->weight[i];
	}
	if (!(sum > 0))
		return "at least one weight.* must be greater than 0";
	if (!(isfinite(p->points_full) && p->points_full > 0))
		return "points.full must be greater than 0";
	if (!(isfinite(p->amount_floor) && p->amount_floor > 0))
		return "amount.floor must be greater than 0";
	if (!(isfinite(p->amount_full) && p->amount_full > p->amount_floor))
		return "amount.full must be greater than amount.floor";
	if (!(isfinite(p->medium) && p->medium >= 0.01))
		return "grade.medium must be at least 0.01";
	if (!(isfinite(p->high) && p->high > p->medium && p->high <= 100))
		return "grade.high must be greater than grade.medium and at most 100";
	if (!(finite_nonneg(p->decay) && p->decay <= 1))
		return "propagation.decay must be between 0 and 1";
	if (!(finite_nonneg(p->propagation_min) && p->propagation_min <= 100))
		return "propagation.min must be between 0 and 100";
	if (!(finite_nonneg(p->blacklist_strength) && p->blacklist_strength <= 100))
		return "propagation.blacklist must be between 0 and 100";
	if (!finite_nonneg(p->verification_amount))
		return "response.verification_amount must be >= 0";
	return NULL;
}

double
risk_round2(double x)
{
	if (!isfinite(x))
		return 0;
	return round(x * 100.0) / 100.0;
}

/* Scores are compared in hundredths, so that 40 and 39.99 fall either side of 40. */
static long long
hundredths(double x)
{
	return llround(risk_round2(x) * 100.0);
}

RiskGrade
risk_grade_of(const RiskParams *p, double score)
{
	long long s = hundredths(score);

	if (s >= hundredths(p->high))
		return RISK_HIGH;
	if (s >= hundredths(p->medium))
		return RISK_MEDIUM;
	return RISK_LOW;
}

const char *
risk_grade_name(RiskGrade g)
{
	switch (g)
	{
		case RISK_LOW:
			return "low";
		case RISK_MEDIUM:
			return "medium";
		case RISK_HIGH:
			return "high";
		default:
			return "none";
	}
}

static double
clamp01(double x)
{
	if (!(x > 0))
		return 0;
	return x > 1 ? 1 : x;
}

void
risk_compute(const RiskParams *p, const RiskInput *in, RiskResult *out)
{
	double wsum = 0;
	double total = 0;
	int    i;

	memset(out, 0, sizeof(*out));
	if (in->npoints <= 0)
	{
		out->grade = RISK_NONE;
		return;
	}

	/* Points saturate at points_full (weighted by the indicators' weights). */
	out->factor[RF_POINTS] = clamp01(in->points / p->points_full);

	/*
	 * Amounts span orders of magnitude (a few thousand yuan of deed tax to
	 * tens of millions of construction VAT), so the factor is logarithmic
	 * between the floor and the full amount: with the defaults 10 thousand
	 * gives 0, 100 thousand 1/3, 1 million 2/3, 10 million 1.
	 */
	if (in->amount > p->amount_floor)
		out->factor[RF_AMOUNT] =
			clamp01(log(in->amount / p->amount_floor) / log(p->amount_full / p->amount_floor));

	/* Degree of violation and social influence: the worst point, on 1..5. */
	out->factor[RF_SEVERITY] = clamp01(in->severity / 5.0);
	out->factor[RF_SOCIAL] = clamp01(in->social / 5.0);

	for (i = 0; i < RF_COUNT; i++)
		wsum += p->weight[i];
	for (i = 0; i < RF_COUNT; i++)
	{
		double c = wsum > 0 ? 100.0 * p->weight[i] * out->factor[i] / wsum : 0;

		total += c;
		out->contribution[i] = risk_round2(c);
	}
	out->score = risk_round2(total > 100 ? 100 : total);
	out->grade = risk_grade_of(p, out->score);

	/* A monitoring (hard) indicator is high whatever the score (seeds/003). */
	if (in->monitoring && out->grade != RISK_HIGH)
	{
		out->grade = RISK_HIGH;
		out->overridden = true;
	}
}

double
risk_source_strength(const RiskParams *p, RiskGrade own_grade, double own_score, bool blacklisted)
{
	double s = 0;

	if (own_grade == RISK_HIGH)
		s = own_score > p->high ? own_score : p->high;
	if (blacklisted && p->blacklist_strength > s)
		s = p->blacklist_strength;
	return s;
}

double
risk_pass_on(const RiskParams *p, double value, double role_weight)
{
	double v = value * p->decay * role_weight;

	return isfinite(v) && v > 0 ? v : 0;
}

/* The highest score of a grade: just below the next threshold. */
static double
grade_top(const RiskParams *p, RiskGrade g)
{
	switch (g)
	{
		case RISK_NONE:
		case RISK_LOW:
			return risk_round2(p->medium - 0.01);
		case RISK_MEDIUM:
			return risk_round2(p->high - 0.01);
		default:
			return 100;
	}
}

void
risk_lift(const RiskParams *p, RiskGrade own_grade, double own_score, double propagated,
		  RiskLift *out)
{
	double    v = risk_round2(propagated > 100 ? 100 : propagated);
	RiskGrade cap;
	RiskGrade g;

	out->score = own_score;
	out->grade = own_grade;
	out->raised = false;
	out->capped = false;

	if (!(v > 0))
		return;
	if (own_grade == RISK_NONE)
	{
		if (hundredths(v) < hundredths(p->propagation_min))
			return;
	}
	else if (hundredths(v) <= hundredths(own_score))
		return;

	/* Never more than one grade above the grade of the entity's own points. */
	cap = own_grade == RISK_HIGH ? RISK_HIGH : (RiskGrade) (own_grade + 1);
	g = risk_grade_of(p, v);
	if (g > cap)
	{
		g = cap;
		v = grade_top(p, cap);
		out->capped = true;
	}
	if (g < own_grade)
		g = own_grade; /* e.g. high by a monitoring indicator */
	if (g == RISK_NONE)
		g = RISK_LOW;
	out->score = v > own_score ? v : own_score;
	out->grade = g;
	out->raised = out->grade != own_grade || hundredths(out->score) != hundredths(own_score);
}

RiskResponse
risk_response(const RiskParams *p, RiskGrade grade, int npoints, double amount,
			  RiskResponse indicator_wants, bool assessed_this_year, RiskResponseReason *reason)
{
	switch (grade)
	{
		case RISK_HIGH:
			if (indicator_wants == RESP_REFERRAL)
			{
				*reason = RR_HIGH_REFERRAL;
				return RESP_REFERRAL;
			}
			*reason = RR_HIGH_DEFAULT;
			return RESP_AUDIT;
		case RISK_MEDIUM:
			/* "原则上同一年度内不得对同一纳税人实施多次评估" (art. 20 (四)) */
			if (assessed_this_year)
			{
				*reason = RR_MEDIUM_ASSESSED;
				return RESP_VERIFICATION;
			}
			*reason = RR_MEDIUM_DEFAULT;
			return RESP_ASSESSMENT;
		case RISK_LOW:
			if (npoints <= 0)
			{
				*reason = RR_LOW_PROPAGATED;
				return RESP_VERIFICATION;
			}
			if (indicator_wants == RESP_VERIFICATION || indicator_wants == RESP_REFERRAL)
			{
				*reason = RR_LOW_INDICATOR;
				return RESP_VERIFICATION;
			}
			if (p->verification_amount > 0 && amount >= p->verification_amount)
			{
				*reason = RR_LOW_AMOUNT;
				return RESP_VERIFICATION;
			}
			*reason = RR_LOW_DEFAULT;
			return RESP_REMINDER;
		default:
			*reason = RR_NONE;
			return RESP_NONE;
	}
}

const char *
risk_response_name(RiskResponse r)
{
	switch (r)
	{
		case RESP_REMINDER:
			return "reminder";
		case RESP_VERIFICATION:
			return "verification";
		case RESP_ASSESSMENT:
			return "assessment";
		case RESP_AUDIT:
			return "audit";
		case RESP_REFERRAL:
			return "referral";
		default:
			return "none";
	}
}

int
risk_rank_cmp(RiskGrade ga, double sa, int64_t amount_a, int64_t id_a, RiskGrade gb, double sb,
			  int64_t amount_b, int64_t id_b)
{
	long long ha, hb;

	if (ga != gb)
		return ga > gb ? -1 : 1;
	ha = hundredths(sa);
	hb = hundredths(sb);
	if (ha != hb)
		return ha > hb ? -1 : 1;
	if (amount_a != amount_b)
		return amount_a > amount_b ? -1 : 1;
	if (id_a != id_b)
		return id_a < id_b ? -1 : 1;
	return 0;
}

int64_t
risk_rank_key(RiskGrade g, double score)
{
	/* scores are 0..100.00, i.e. at most 10000 hundredths: 20 bits leave room */
	return ((int64_t) g << 20) + (int64_t) hundredths(score);
}

size_t
risk_format_number(char *buf, size_t size, double x, int decimals)
{
	int   n;
	char *dot;

	if (size == 0)
		return 0;
	if (!isfinite(x))
		x = 0;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	n = snprintf(buf, size, "%.*f", decimals, x);
	if (n < 0 || (size_t) n >= size)
	{
		buf[0] = '0';
		buf[size > 1 ? 1 : 0] = '\0';
		return size > 1 ? 1 : 0;
	}
	dot = strchr(buf, '.');
	if (dot)
	{
		char *end = buf + n - 1;

		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
		n = (int) strlen(buf);
	}
	if (strcmp(buf, "-0") == 0)
	{
		buf[0] = '0';
		buf[1] = '\0';
		n = 1;
	}
	return (size_t) n;
}

size_t
risk_format_cents(char *buf, size_t size, int64_t cents)
{
	uint64_t a = cents < 0 ? (uint64_t) 0 - (uint64_t) cents : (uint64_t) cents;
	int      n;

	if (size == 0)
		return 0;
	n = snprintf(buf, size, "%s%" PRIu64 ".%02u", cents < 0 ? "-" : "", a / 100,
				 (unsigned) (a % 100));
	if (n < 0 || (size_t) n >= size)
	{
		buf[0] = '\0';
		return 0;
	}
	return (size_t) n;
}
