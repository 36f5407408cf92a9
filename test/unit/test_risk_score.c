/*
 * test_risk_score.c
 *		Unit tests of the risk scoring core (src/risk/risk_score.c).  Expected
 *		scores are worked out by hand in the comments (the worked example is
 *		the one of docs/risk.md).
 */
#include <stdint.h>
#include <string.h>

#include "risk/risk_score.h"
#include "tap.h"

/* Scores compared in hundredths, as the grading does. */
#define is_score(got, want, ...)                            \
	is_int((long) ((got) *100 + ((got) >= 0 ? 0.5 : -0.5)), \
		   (long) ((want) *100 + ((want) >= 0 ? 0.5 : -0.5)), __VA_ARGS__)

static RiskInput
input(double points, int npoints, double amount, int severity, int social, int monitoring)
{
	RiskInput in;

	in.points = points;
	in.npoints = npoints;
	in.amount = amount;
	in.severity = severity;
	in.social = social;
	in.monitoring = monitoring != 0;
	return in;
}

/* Parameters where only one factor counts, so that score = 100 x that factor. */
static RiskParams
only(RiskFactor f)
{
	RiskParams p;
	int        i;

	risk_params_default(&p);
	for (i = 0; i < RF_COUNT; i++)
		p.weight[i] = 0;
	p.weight[f] = 1;
	return p;
}

static void
test_worked_example(void)
{
	RiskParams p;
	RiskInput  in = input(2, 2, 1000000, 3, 2, 0);
	RiskResult r;

	risk_params_default(&p);
	ok(risk_params_check(&p) == NULL, "the default parameters are valid");
	risk_compute(&p, &in, &r);
	/* points 2/5 = 0.4; amount log(100)/log(1000) = 2/3; severity 3/5; social 2/5 */
	is_score(r.factor[RF_POINTS], 0.4, "points factor 2 of 5 = 0.4");
	is_int((long) (r.factor[RF_AMOUNT] * 10000 + 0.5), 6667, "amount factor of 1 million = 2/3");
	is_score(r.factor[RF_SEVERITY], 0.6, "severity 3 of 5 = 0.6");
	is_score(r.factor[RF_SOCIAL], 0.4, "social influence 2 of 5 = 0.4");
	/* 100 x (0.25 x 0.4 + 0.35 x 2/3 + 0.25 x 0.6 + 0.15 x 0.4) = 10 + 23.33 + 15 + 6 */
	is_score(r.contribution[RF_POINTS], 10, "points added 10");
	is_score(r.contribution[RF_AMOUNT], 23.33, "amount added 23.33");
	is_score(r.contribution[RF_SEVERITY], 15, "severity added 15");
	is_score(r.contribution[RF_SOCIAL], 6, "social influence added 6");
	is_score(r.score, 54.33, "worked example scores 54.33");
	is_int(r.grade, RISK_MEDIUM, "54.33 is medium");
	ok(!r.overridden, "no monitoring override");
}

static void
test_factors(void)
{
	RiskParams p;
	RiskInput  in;
	RiskResult r;

	/* points: weighted sum over points.full (5), saturating */
	p = only(RF_POINTS);
	in = input(1, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 20, "one point of weight 1 scores 1/5 of 100");
	in = input(2.5, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 50, "one point of indicator weight 2.5 counts 2.5");
	in = input(9, 9, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 100, "points saturate at points.full");

	/* amount: log scale from 10 thousand (0) to 10 million (1) */
	p = only(RF_AMOUNT);
	in = input(1, 1, 10000, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 0, "the floor amount adds nothing");
	in = input(1, 1, 9999.99, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 0, "below the floor adds nothing");
	in = input(1, 1, 100000, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 33.33, "100 thousand is a third of the way");
	in = input(1, 1, 10000000, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 100, "10 million is the full amount");
	in = input(1, 1, 5e9, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 100, "above the full amount stays at 100");

	/* severity and social influence: the worst point on 1..5 */
	p = only(RF_SEVERITY);
	in = input(1, 1, 0, 5, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 100, "severity 5 is the full degree of violation");
	in = input(1, 1, 0, 2, 5, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 40, "severity 2 scores 40 (social ignored at weight 0)");
	p = only(RF_SOCIAL);
	in = input(1, 1, 0, 5, 1, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 20, "social influence 1 scores 20");

	/* weights are relative: doubling all of them changes nothing */
	risk_params_default(&p);
	p.weight[RF_POINTS] *= 2;
	p.weight[RF_AMOUNT] *= 2;
	p.weight[RF_SEVERITY] *= 2;
	p.weight[RF_SOCIAL] *= 2;
	in = input(2, 2, 1000000, 3, 2, 0);
	risk_compute(&p, &in, &r);
	is_score(r.score, 54.33, "weights are relative (doubled weights, same score)");

	in = input(0, 0, 0, 0, 0, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_NONE, "no points: not graded");
}

static void
test_boundaries(void)
{
	RiskParams p = only(RF_POINTS);
	RiskInput  in;
	RiskResult r;

	/* points.full 100 makes the score equal the weighted points */
	p.points_full = 100;
	in = input(39.99, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_LOW, "39.99 is low");
	in = input(40, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_MEDIUM, "40.00 is medium (the threshold is included)");
	in = input(69.99, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_MEDIUM, "69.99 is medium");
	in = input(70, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_HIGH, "70.00 is high");
	in = input(0.001, 1, 0, 1, 1, 0);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_LOW, "any point is at least low");

	is_int(risk_grade_of(&p, 39.994), RISK_LOW, "39.994 rounds to 39.99: low");
	p.medium = 55.5;
	p.high = 80;
	is_int(risk_grade_of(&p, 55.49), RISK_LOW, "tuned medium 55.5: 55.49 low");
	is_int(risk_grade_of(&p, 55.5), RISK_MEDIUM, "tuned medium 55.5: 55.5 medium");
	is_int(risk_grade_of(&p, 79.99), RISK_MEDIUM, "tuned high 80: 79.99 medium");
	is_int(risk_grade_of(&p, 80), RISK_HIGH, "tuned high 80: 80 high");
}

static void
test_monitoring(void)
{
	RiskParams p;
	RiskInput  in;
	RiskResult r;

	risk_params_default(&p);
	in = input(1, 1, 0, 1, 1, 1);
	risk_compute(&p, &in, &r);
	/* 100 x (0.25 x 0.2 + 0 + 0.25 x 0.2 + 0.15 x 0.2) = 13 */
	is_score(r.score, 13, "a lone monitoring point scores 13 on its factors");
	is_int(r.grade, RISK_HIGH, "a monitoring indicator makes it high");
	ok(r.overridden, "and says the grade was overridden");
	in = input(5, 5, 1e8, 5, 5, 1);
	risk_compute(&p, &in, &r);
	is_int(r.grade, RISK_HIGH, "high on the score and monitoring");
	ok(!r.overridden, "no override when the score is high anyway");
}

static void
test_propagation(void)
{
	RiskParams p;
	RiskLift   l;

	risk_params_default(&p);
	is_score(risk_source_strength(&p, RISK_HIGH, 85, false), 85, "a high source passes its score");
	is_score(risk_source_strength(&p, RISK_HIGH, 13, false), 70,
			 "a monitoring-high source passes at least the high threshold");
	is_score(risk_source_strength(&p, RISK_MEDIUM, 60, false), 0, "a medium source passes nothing");
	is_score(risk_source_strength(&p, RISK_NONE, 0, true), 100, "a blacklisted entity passes 100");
	is_score(risk_source_strength(&p, RISK_LOW, 20, true), 100, "blacklisted and low: 100");
	is_score(risk_pass_on(&p, 90, 1.0), 63, "90 over a legal representative link decays to 63");
	is_score(risk_pass_on(&p, 90, 0.6), 37.8, "90 over an investor link (0.6) gives 37.8");
	is_score(risk_pass_on(&p, 63, 1.0), 44.1, "a second hop decays again: 44.1");

	risk_lift(&p, RISK_NONE, 0, 63, &l);
	is_int(l.grade, RISK_LOW, "no points of its own: 63 propagated lifts only to low");
	is_score(l.score, 39.99, "held just below the medium threshold");
	ok(l.capped && l.raised, "capped and raised");
	risk_lift(&p, RISK_NONE, 0, 9.99, &l);
	is_int(l.grade, RISK_NONE, "below propagation.min: not listed");
	ok(!l.raised, "not raised");
	risk_lift(&p, RISK_NONE, 0, 10, &l);
	is_int(l.grade, RISK_LOW, "at propagation.min: listed low");
	ok(!l.capped, "not capped");
	risk_lift(&p, RISK_LOW, 20, 63, &l);
	is_int(l.grade, RISK_MEDIUM, "low 20 + 63 propagated: medium");
	is_score(l.score, 63, "score 63");
	ok(!l.capped, "one grade up is not capped");
	risk_lift(&p, RISK_LOW, 20, 90, &l);
	is_int(l.grade, RISK_MEDIUM, "low 20 + 90 propagated: only medium (one grade)");
	is_score(l.score, 69.99, "held at 69.99");
	ok(l.capped, "capped");
	risk_lift(&p, RISK_MEDIUM, 50, 90, &l);
	is_int(l.grade, RISK_HIGH, "medium 50 + 90 propagated: high");
	risk_lift(&p, RISK_LOW, 30, 25, &l);
	ok(!l.raised && l.grade == RISK_LOW && l.score == 30, "a weaker propagation changes nothing");
	risk_lift(&p, RISK_LOW, 30, 30, &l);
	ok(!l.raised, "an equal propagation changes nothing");
	risk_lift(&p, RISK_HIGH, 13, 50, &l);
	ok(l.grade == RISK_HIGH && l.raised, "monitoring-high 13 + 50: still high, score raised");
	is_score(l.score, 50, "to 50");
	p.decay = 0;
	is_score(risk_pass_on(&p, 90, 1.0), 0, "decay 0 turns propagation off");
}

static void
test_response(void)
{
	RiskParams         p;
	RiskResponseReason why;

	risk_params_default(&p);
	is_str(risk_response_name(risk_response(&p, RISK_LOW, 1, 5000, RESP_NONE, false, &why)),
		   "reminder", "low, small amount: reminder");
	is_int(why, RR_LOW_DEFAULT, "reason: default low");
	is_str(risk_response_name(risk_response(&p, RISK_LOW, 1, 100000, RESP_NONE, false, &why)),
		   "verification", "low with 100 thousand involved: verification");
	is_int(why, RR_LOW_AMOUNT, "reason: amount");
	is_str(risk_response_name(risk_response(&p, RISK_LOW, 1, 0, RESP_VERIFICATION, false, &why)),
		   "verification", "low, indicator asks for verification");
	is_int(why, RR_LOW_INDICATOR, "reason: indicator");
	is_str(risk_response_name(risk_response(&p, RISK_LOW, 0, 0, RESP_NONE, false, &why)),
		   "verification", "low through a link only: verification");
	is_int(why, RR_LOW_PROPAGATED, "reason: propagated");
	is_str(risk_response_name(risk_response(&p, RISK_MEDIUM, 2, 0, RESP_NONE, false, &why)),
		   "assessment", "medium: assessment");
	is_str(risk_response_name(risk_response(&p, RISK_MEDIUM, 2, 0, RESP_NONE, true, &why)),
		   "verification", "medium, already assessed this year: verification");
	is_int(why, RR_MEDIUM_ASSESSED, "reason: assessed this year");
	is_str(risk_response_name(risk_response(&p, RISK_HIGH, 1, 0, RESP_NONE, false, &why)), "audit",
		   "high: audit");
	is_str(risk_response_name(risk_response(&p, RISK_HIGH, 1, 0, RESP_REFERRAL, true, &why)),
		   "referral", "high, indicator asks for referral");
	is_int(why, RR_HIGH_REFERRAL, "reason: referral indicator");
	is_str(risk_response_name(risk_response(&p, RISK_NONE, 0, 0, RESP_NONE, false, &why)), "none",
		   "no grade: no response");
}

static void
test_rank_and_format(void)
{
	RiskParams p;
	char       buf[64];

	ok(risk_rank_cmp(RISK_HIGH, 13, 0, 9, RISK_MEDIUM, 69, 0, 1) < 0,
	   "grade first: high 13 before medium 69");
	ok(risk_rank_key(RISK_HIGH, 13) > risk_rank_key(RISK_MEDIUM, 100), "rank key: grade first");
	ok(risk_rank_key(RISK_MEDIUM, 50) > risk_rank_key(RISK_MEDIUM, 49.99),
	   "rank key: then score in hundredths");
	ok(risk_rank_key(RISK_LOW, 20.004) == risk_rank_key(RISK_LOW, 20),
	   "rank key: equal after rounding");
	ok(risk_rank_cmp(RISK_MEDIUM, 50, 0, 9, RISK_MEDIUM, 49.99, 0, 1) < 0, "then score");
	ok(risk_rank_cmp(RISK_LOW, 20, 100, 9, RISK_LOW, 20, 200, 1) > 0, "then amount");
	ok(risk_rank_cmp(RISK_LOW, 20, 100, 1, RISK_LOW, 20, 100, 2) < 0, "then entity id");
	is_int(risk_rank_cmp(RISK_LOW, 20, 100, 1, RISK_LOW, 20, 100, 1), 0, "equal to itself");

	risk_format_number(buf, sizeof buf, 0.4, 4);
	is_str(buf, "0.4", "0.4 without trailing zeros");
	risk_format_number(buf, sizeof buf, 2.0 / 3.0, 4);
	is_str(buf, "0.6667", "2/3 to 4 decimals");
	risk_format_number(buf, sizeof buf, 10, 2);
	is_str(buf, "10", "10 without a point");
	risk_format_number(buf, sizeof buf, -0.001, 2);
	is_str(buf, "0", "minus zero is 0");
	risk_format_number(buf, 3, 12345.678, 2);
	is_str(buf, "0", "too small a buffer gives 0");
	risk_format_cents(buf, sizeof buf, 123456);
	is_str(buf, "1234.56", "cents to yuan");
	risk_format_cents(buf, sizeof buf, -5);
	is_str(buf, "-0.05", "negative cents");
	risk_format_cents(buf, sizeof buf, INT64_MIN);
	is_str(buf, "-92233720368547758.08", "the most negative amount");

	risk_params_default(&p);
	p.medium = 70;
	ok(risk_params_check(&p) != NULL, "medium = high is refused");
	risk_params_default(&p);
	memset(p.weight, 0, sizeof p.weight);
	ok(risk_params_check(&p) != NULL, "all weights 0 is refused");
	risk_params_default(&p);
	p.amount_full = p.amount_floor;
	ok(risk_params_check(&p) != NULL, "amount.full must exceed amount.floor");
	risk_params_default(&p);
	p.decay = 1.5;
	ok(risk_params_check(&p) != NULL, "decay above 1 is refused");
	risk_params_default(&p);
	p.weight[RF_SOCIAL] = -1;
	ok(risk_params_check(&p) != NULL, "a negative weight is refused");
}

int
main(void)
{
	test_worked_example();
	test_factors();
	test_boundaries();
	test_monitoring();
	test_propagation();
	test_response();
	test_rank_and_format();
	return done_testing();
}
