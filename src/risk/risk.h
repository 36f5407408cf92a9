/*
 * risk.h
 *		Server side of risk grading, shared by src/risk/risk_param.c (settings and
 *		parameters), src/risk/risk_grade.c (grade_risks()) and src/risk/risk_breakdown_fmgr.c
 *		(the breakdown and the response reason of one entity, written compactly
 *		and rendered on read).
 */
#ifndef TAXSHARE_RISK_H
#define TAXSHARE_RISK_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/jsonb.h"

#include "common/progress.h"
#include "risk/risk_propagate.h"
#include "risk/risk_score.h"

/* GUCs: taxshare.risk_write_batch, taxshare.risk_breakdown_points */
extern int	taxshare_risk_write_batch;
extern int	taxshare_risk_breakdown_points;

/* Defines the GUCs; called from _PG_init. */
extern void risk_init(void);

/* The monitoring indicator grade_risks() raises itself (docs/risk.md, "The blacklist"). */
#define M07_CODE "M07_BLACKLIST_KEY_ROLE"

/* taxshare.risk_param as grade_risks() uses it */
typedef struct GradeParams
{
	RiskParams	core;
	int			hops;
	double		role_weight[RISK_N_ROLES];
	/* checked here, used by the warning functions in SQL */
	double		push_before_day;
	double		push_month_offset;
	double		receive_working_days;
	double		cycle_days;
	double		max_cycles;
	double		deduction_points;
} GradeParams;

/* Reads taxshare.risk_param (inside SPI); NULL or what is wrong with it. */
extern const char *risk_params_load(GradeParams *gp);

/* The parameters as the JSON text of risk_grading.params. */
extern char *risk_params_json(const GradeParams *gp);

/* ------------------------------------------------------------------------
 * The state of one grading
 * ------------------------------------------------------------------------
 */

/* An indicator met among the points (inds[0]: points of rules without one). */
typedef struct Ind
{
	char	   *code;			/* NULL: a rule without an indicator */
	int			len;
	bool		monitoring;
	int			severity;
	int			social;
	double		weight;
	RiskResponse wants;
} Ind;

typedef struct Pt
{
	int64		id;
	int64		cents;
	int32		ind;
	int32		next;			/* next point of the same entity, -1 */
} Pt;

typedef struct Ent
{
	int64		id;
	int64		cents;
	double		wpoints;
	double		own_score;
	double		score;
	double		prop;			/* best propagated value */
	int64		prop_origin;
	int64		prop_via;
	DateADT		assessed_on;
	int32		npoints;
	int32		head;
	int32		rank;
	int16		severity;
	int16		social;
	uint8		own_grade;
	uint8		grade;
	uint8		wants;
	uint8		response;
	uint8		reason;
	int8		prop_role;
	uint8		prop_hops;
	bool		monitoring;
	bool		overridden;
	bool		blacklisted;
	bool		capped;
	bool		raised;
	bool		assessed;
	int64		key_person;		/* blacklisted person in a key role (M07), 0 */
} Ent;

/* A rule whose points are graded: its code and indicator. */
typedef struct Rule
{
	char	   *code;
	int			len;
	int			ind;			/* index into inds */
} Rule;

struct enthash_hash;			/* entity id -> index into ents (simplehash) */

typedef struct Grade
{
	MemoryContext cxt;
	DateADT		period;
	GradeParams gp;
	struct enthash_hash *ht;
	Ent		   *ents;
	int32		nents;
	int32		maxents;
	Pt		   *pts;
	int32		npts;
	int32		maxpts;
	Ind		   *inds;
	int			ninds;
	int			maxinds;
	int			last_ind;
	int64		unmapped;		/* points of rules without an indicator */
	Rule	   *rules;
	int			nrules;
	int			maxrules;
	int32	   *rule_slots;		/* open addressing by the hash of the code */
	uint32		rule_mask;
	ProgressState progress;
	/* propagation: the links in force in the period */
	RiskLink   *links;
	int64		nlinks;
	int64		maxlinks;
} Grade;

/* Per-entity work space of the breakdown, sized once per grading. */
typedef struct Scratch
{
	int32	   *cnt;			/* per indicator: its code index + 1 in the breakdown */
	bool	   *seen;			/* per indicator: a monitoring hit already listed */
	int32	   *pts;			/* the entity's point indices */
	int32		maxpts;
} Scratch;

struct RiskDetail;

/* The compact breakdown of one entity, risk_score.detail (src/risk/risk_breakdown_fmgr.c). */
extern bytea *risk_detail_bytea(Grade *g, Scratch *sc, Ent *e, struct RiskDetail *d);

/* A response_reason, in the language of taxshare.language. */
extern char *risk_reason_text(int reason, int64 cents, bool monitoring, DateADT assessed_on);

/* A date as YYYY-MM-DD, whatever DateStyle says (buf: 16 bytes). */
extern void risk_date_iso(char *buf, DateADT d);

#endif							/* TAXSHARE_RISK_H */
