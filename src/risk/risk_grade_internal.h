/*
 * risk_grade_internal.h
 *		The state of one grading, shared by the files of grade_risks():
 *		risk_grade.c (the steps, and the entities' aggregation), risk_read.c
 *		(the period's inputs), risk_rank.c, risk_write.c and, for the
 *		breakdown written with each row, risk_breakdown_fmgr.c.
 */
#ifndef TAXSHARE_RISK_GRADE_INTERNAL_H
#define TAXSHARE_RISK_GRADE_INTERNAL_H

#include "common/progress.h"
#include "risk/risk.h"

/* An indicator met among the points (inds[0]: points of rules without one). */
typedef struct Ind
{
	char        *code; /* NULL: a rule without an indicator */
	int          len;
	bool         monitoring;
	int          severity;
	int          social;
	double       weight;
	RiskResponse wants;
} Ind;

typedef struct Pt
{
	int64 id;
	int64 cents;
	int32 ind;
	int32 next; /* next point of the same entity, -1 */
} Pt;

typedef struct Ent
{
	int64   id;
	int64   cents;
	double  wpoints;
	double  own_score;
	double  score;
	double  prop; /* best propagated value */
	int64   prop_origin;
	int64   prop_via;
	DateADT assessed_on;
	int32   npoints;
	int32   head;
	int32   rank;
	int16   severity;
	int16   social;
	uint8   own_grade;
	uint8   grade;
	uint8   wants;
	uint8   response;
	uint8   reason;
	int8    prop_role;
	uint8   prop_hops;
	bool    monitoring;
	bool    overridden;
	bool    blacklisted;
	bool    capped;
	bool    raised;
	bool    assessed;
	int64   key_person; /* blacklisted person in a key role (M07), 0 */
} Ent;

/* A rule whose points are graded: its code and indicator. */
typedef struct Rule
{
	char *code;
	int   len;
	int   ind; /* index into inds */
} Rule;

struct enthash_hash; /* entity id -> index into ents (simplehash) */

typedef struct Grade
{
	MemoryContext        cxt;
	DateADT              period;
	GradeParams          gp;
	struct enthash_hash *ht;
	Ent                 *ents;
	int32                nents;
	int32                maxents;
	Pt                  *pts;
	int32                npts;
	int32                maxpts;
	Ind                 *inds;
	int                  ninds;
	int                  maxinds;
	int                  last_ind;
	int64                unmapped; /* points of rules without an indicator */
	Rule                *rules;
	int                  nrules;
	int                  maxrules;
	int32               *rule_slots; /* open addressing by the hash of the code */
	uint32               rule_mask;
	ProgressState        progress;
	/* propagation: the links in force in the period */
	RiskLink *links;
	int64     nlinks;
	int64     maxlinks;
} Grade;

/* ------------------------------------------------------------------------
 * The steps, one file each
 * ------------------------------------------------------------------------
 */

/* risk_read.c: the period's inputs, each streamed in one pass */
extern void grade_read_rules(Grade *g);
extern void grade_read_points(Grade *g);
extern void grade_read_blacklist(Grade *g);
extern void grade_read_key_roles(Grade *g);
extern void grade_read_links(Grade *g);
extern void grade_read_assessments(Grade *g);

/* risk_grade.c: what the inputs add to the entities */
extern void grade_add_point(Grade *g, int64 eid, int64 sid, int64 cents, int ind);
extern void grade_add_blacklisted(Grade *g, int64 id);
extern void grade_add_key_person(Grade *g, int64 enterprise, int64 person, int severity,
								 int social);
extern void grade_add_assessment(Grade *g, int64 id, DateADT on);

/* risk_rank.c: ranks 1..n, then order in entity id order (the writing order) */
extern void grade_rank(Grade *g, int32 *order, int32 n);

/* risk_write.c: the period's risk_score rows and the run's risk_grading row */
extern void grade_clear_period(Grade *g);
extern void grade_write_scores(Grade *g, int32 *order, int32 n);
extern void grade_record_run(Grade *g, int64 ngraded, const int64 counts[4], int64 raised,
							 double compute_seconds, double write_seconds);

/* Per-entity work space of the breakdown, sized once per grading. */
typedef struct Scratch
{
	int32 *cnt;  /* per indicator: its code index + 1 in the breakdown */
	bool  *seen; /* per indicator: a monitoring hit already listed */
	int32 *pts;  /* the entity's point indices */
	int32  maxpts;
} Scratch;

struct RiskBreakdown;

/* The compact breakdown of one entity, risk_score.detail (src/risk/risk_breakdown_fmgr.c). */
extern bytea *risk_breakdown_bytea(Grade *g, Scratch *sc, Ent *e, struct RiskBreakdown *d);

#endif /* TAXSHARE_RISK_GRADE_INTERNAL_H */
