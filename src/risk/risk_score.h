/*
 * risk_score.h
 *		Pure core of risk grading: the scoring arithmetic of grade_risks().
 *
 * The four factors of the grading step are the ones the Hengyang rules name
 * (seeds/000 art. 20 (三) 分析研判): the number of risk points (风险点数量),
 * the tax and fee amount involved (涉税涉费金额), the degree of violation
 * (违法违规程度) and the social influence (社会影响力).  Each factor is
 * normalised to 0..1, weighted, and the weighted mean times 100 is the score.
 * Thresholds on the score give the grades low, medium and high; any
 * monitoring (hard) indicator makes the grade high whatever the score (the
 * Binzhou monitoring indicators, seeds/003).  Risk then flows along the
 * person-enterprise links (the walk: risk_propagate.h), decaying per hop;
 * here is the arithmetic of it: what a source passes on, what one link
 * keeps, and the cap that never lifts an entity more than one grade above
 * the grade of its own points.  Also the prescribed response and the order
 * of the list.
 *
 * Plain C99, no server headers: unit tested in test/unit/test_risk_score.c
 * and fuzzed in test/fuzz/fuzz_risk_score.c.  src/risk/risk_param.c reads
 * the parameters from taxshare.risk_param.
 */
#ifndef TAXSHARE_RISK_SCORE_H
#define TAXSHARE_RISK_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Grades in increasing order; RISK_NONE: not on the list. */
typedef enum RiskGrade
{
	RISK_NONE = 0,
	RISK_LOW = 1,
	RISK_MEDIUM = 2,
	RISK_HIGH = 3
} RiskGrade;

/* The four factors of seeds/000 art. 20 (三), in the order of that article. */
typedef enum RiskFactor
{
	RF_POINTS = 0, /* 风险点数量: number of risk points */
	RF_AMOUNT,     /* 涉税涉费金额: amount involved */
	RF_SEVERITY,   /* 违法违规程度: degree of violation */
	RF_SOCIAL,     /* 社会影响力: social influence */
	RF_COUNT
} RiskFactor;

/* Prescribed responses (seeds/000 art. 20 (四)). */
typedef enum RiskResponse
{
	RESP_NONE = 0,
	RESP_REMINDER,     /* 提示提醒 (low) */
	RESP_VERIFICATION, /* 税费核查 (low; medium already assessed this year) */
	RESP_ASSESSMENT,   /* 纳税评估 (medium) */
	RESP_AUDIT,        /* 税务稽查 (high) */
	RESP_REFERRAL      /* 移送 / 部门执法 (high) */
} RiskResponse;

/* Why a response was prescribed: the glue turns these into zh/en text. */
typedef enum RiskResponseReason
{
	RR_NONE = 0,
	RR_LOW_DEFAULT,     /* low: a reminder */
	RR_LOW_AMOUNT,      /* low, but the amount calls for verification */
	RR_LOW_INDICATOR,   /* low, an indicator asks for verification */
	RR_LOW_PROPAGATED,  /* listed through a link only: verify the link */
	RR_MEDIUM_DEFAULT,  /* medium: an assessment */
	RR_MEDIUM_ASSESSED, /* medium, already assessed this calendar year */
	RR_HIGH_DEFAULT,    /* high: an audit */
	RR_HIGH_REFERRAL    /* high, an indicator asks for referral */
} RiskResponseReason;

typedef struct RiskParams
{
	double weight[RF_COUNT];    /* relative weights, >= 0, sum > 0 */
	double points_full;         /* weighted points at which the factor is 1 */
	double amount_floor;        /* amount (yuan) at or below which it is 0 */
	double amount_full;         /* amount at or above which it is 1 */
	double medium;              /* lowest score graded medium */
	double high;                /* lowest score graded high */
	double decay;               /* propagation: factor per hop, 0..1 */
	double propagation_min;     /* smallest propagated value that lists an
									 * entity without points of its own */
	double blacklist_strength;  /* what a blacklisted entity passes on */
	double verification_amount; /* low with at least this amount:
										 * verification, not a reminder */
} RiskParams;

/* What grade_risks knows of one entity's own points in the period. */
typedef struct RiskInput
{
	double points;     /* sum of the indicator weights of the points */
	int    npoints;    /* number of points */
	double amount;     /* amount involved, yuan */
	int    severity;   /* highest degree of violation, 1..5 (0: none) */
	int    social;     /* highest social influence, 1..5 (0: none) */
	bool   monitoring; /* a monitoring indicator among the points */
} RiskInput;

typedef struct RiskResult
{
	double    factor[RF_COUNT];       /* normalised value, 0..1 */
	double    contribution[RF_COUNT]; /* score points each factor added */
	double    score;                  /* 0..100, rounded to 2 decimals */
	RiskGrade grade;
	bool      overridden; /* a monitoring indicator made it high */
} RiskResult;

/* Outcome of propagation for one entity. */
typedef struct RiskLift
{
	double    score;
	RiskGrade grade;
	bool      raised; /* propagation changed score or grade */
	bool      capped; /* the one-grade cap held it back */
} RiskLift;

extern const char *const risk_factor_names[RF_COUNT];

/* The shipped defaults (the same values as control/install/82_grading.sql). */
extern void risk_params_default(RiskParams *p);

/* NULL when the parameters are usable, else a message naming the bad one. */
extern const char *risk_params_check(const RiskParams *p);

/* Round half away from zero to 2 decimals, the precision of every score. */
extern double risk_round2(double x);

extern RiskGrade   risk_grade_of(const RiskParams *p, double score);
extern const char *risk_grade_name(RiskGrade g);

/* Score and grade of an entity's own points. */
extern void risk_compute(const RiskParams *p, const RiskInput *in, RiskResult *out);

/*
 * What an entity passes on along a link: its strength times the role's
 * weight times the decay.  The strength of a high-graded source is its score
 * but at least the high threshold (a monitoring hit can be high on a low
 * score); of a blacklisted entity, the blacklist strength parameter.
 */
extern double risk_source_strength(const RiskParams *p, RiskGrade own_grade, double own_score,
								   bool blacklisted);
extern double risk_pass_on(const RiskParams *p, double value, double role_weight);

/*
 * Apply the best propagated value to an entity whose own points give
 * own_grade / own_score (RISK_NONE, 0 without points).  The result is the
 * larger of the two, but never more than one grade above own_grade: the
 * score is then held just below the threshold of the grade above the cap.
 * An entity without points is listed (low) only when the value reaches
 * propagation_min.
 */
extern void risk_lift(const RiskParams *p, RiskGrade own_grade, double own_score, double propagated,
					  RiskLift *out);

/*
 * The prescribed response (seeds/000 art. 20 (四)).  indicator_wants is the
 * strongest response the entity's indicators ask for (RESP_NONE, or
 * RESP_VERIFICATION / RESP_REFERRAL); assessed_this_year: an assessment was
 * already done or prescribed in the calendar year.
 */
extern RiskResponse risk_response(const RiskParams *p, RiskGrade grade, int npoints, double amount,
								  RiskResponse indicator_wants, bool assessed_this_year,
								  RiskResponseReason *reason);
extern const char  *risk_response_name(RiskResponse r);

/*
 * Order of the list: grade, then score, then amount (all descending), then
 * the entity id.  Returns <0 when a ranks before b.
 */
extern int risk_rank_cmp(RiskGrade ga, double sa, int64_t amount_a, int64_t id_a, RiskGrade gb,
						 double sb, int64_t amount_b, int64_t id_b);

/*
 * A single integer that orders as grade then score (the first two criteria
 * of risk_rank_cmp): sorting by it descending, then amount descending, then
 * id ascending gives the same order as risk_rank_cmp.
 */
extern int64_t risk_rank_key(RiskGrade g, double score);

/*
 * Write x with at most `decimals` decimals, trailing zeros removed, into buf
 * (JSON number syntax; non-finite values as 0).  Returns the length.
 */
extern size_t risk_format_number(char *buf, size_t size, double x, int decimals);

/* Write an amount in cents as yuan with two decimals ("-12.05"). */
extern size_t risk_format_cents(char *buf, size_t size, int64_t cents);

#endif /* TAXSHARE_RISK_SCORE_H */
