/*
 * risk_breakdown.h
 *		Pure core: the compact form of a risk_score row's breakdown
 *		(risk_score.detail, bytea), written by grade_risks() and turned into
 *		the documented jsonb (docs/risk.md, "risk_score and the breakdown")
 *		only when a row is read (taxshare.risk_breakdown(), view risk_list).
 *
 * Why: a period has a row per graded entity, and as jsonb the breakdown
 * would be most of each row and of what grade_risks() writes; the compact
 * form keeps the very same facts in a fraction of the space (the figures:
 * docs/risk.md, "Performance").
 *
 * Layout (version 1): one byte version, then unsigned LEB128 varints (signed
 * values zig-zag encoded) in this order, each part present when its flag is:
 *   flags
 *   [ASSESSED]     assessed_this_year (a DateADT)
 *   [POINTS]       added[4] (hundredths), [WEIGHTED] weighted count
 *                  (ten-thousandths), ncodes, ncodes x (length, bytes),
 *                  npoints, npoints x (id, cents, code index + 1), omitted
 *   [MONITORING]   nmonitoring, nmonitoring x code index,
 *                  [KEY_PERSON] blacklisted key person
 *   [PROPAGATION]  value (hundredths), origin, via, role + 1 (0: none), hops
 * Flags without data: OVERRIDE, BLACKLISTED, APPLIED, CAPPED.
 *
 * Plain C99, no server headers: unit tested in test/unit/test_risk_breakdown.c
 * and fuzzed (decoding) in test/fuzz/fuzz_risk_breakdown.c.
 */
#ifndef TAXSHARE_RISK_BREAKDOWN_H
#define TAXSHARE_RISK_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RISK_DETAIL_VERSION 1

/* The most points a breakdown lists (taxshare.risk_breakdown_points' maximum). */
#define RB_MAX_POINTS 1000
/* The most distinct indicator codes one breakdown names. */
#define RB_MAX_CODES  1024

#define RB_ASSESSED    0x0001
#define RB_POINTS      0x0002
#define RB_WEIGHTED    0x0004
#define RB_MONITORING  0x0008
#define RB_OVERRIDE    0x0010
#define RB_KEY_PERSON  0x0020
#define RB_BLACKLISTED 0x0040
#define RB_PROPAGATION 0x0080
#define RB_APPLIED     0x0100
#define RB_CAPPED      0x0200
#define RB_ALL_FLAGS   0x03ff

typedef struct RiskBreakdownPoint
{
	int64_t id;    /* suspicion id */
	int64_t cents; /* amount involved, in fen */
	int32_t code;  /* index into codes; -1: a rule without an indicator */
} RiskBreakdownPoint;

typedef struct RiskBreakdown
{
	uint32_t           flags;
	int32_t            assessed_on; /* DateADT of the first assessment of the year */
	int64_t            added[4];    /* score points each factor added, hundredths */
	int64_t            weighted;    /* weighted number of points, ten-thousandths */
	int32_t            ncodes;
	const char        *codes[RB_MAX_CODES]; /* not NUL-terminated once decoded */
	int32_t            code_len[RB_MAX_CODES];
	int32_t            npoints;
	RiskBreakdownPoint points[RB_MAX_POINTS]; /* largest amounts first */
	int64_t            omitted;               /* points not listed */
	int32_t            nmonitoring;
	int32_t            monitoring[RB_MAX_CODES]; /* code indices, in code order */
	int64_t            key_person;
	int64_t            prop_value; /* hundredths */
	int64_t            prop_origin;
	int64_t            prop_via;
	int32_t            prop_role; /* -1: none */
	int32_t            prop_hops;
} RiskBreakdown;

/* An upper bound of the encoded size of d. */
extern size_t risk_breakdown_bound(const RiskBreakdown *d);

/* Encodes d into out (cap bytes); the length, or 0 when it does not fit. */
extern size_t risk_breakdown_encode(const RiskBreakdown *d, uint8_t *out, size_t cap);

/*
 * Decodes len bytes into d (codes point into in).  0 when well formed, else
 * -1: any input is safe to decode.
 */
extern int risk_breakdown_decode(const uint8_t *in, size_t len, RiskBreakdown *d);

#endif /* TAXSHARE_RISK_BREAKDOWN_H */
