/*
 * risk_propagate.h
 *		Pure core: propagation of risk along party_link between enterprises
 *		and the persons behind them (seeds/003, the Binzhou system:
 *		"通过企业风险定位个人风险、通过个人风险查找企业风险"; docs/risk.md,
 *		"Propagation along party_link").
 *
 * Sources are the entities graded high on their own points and the
 * blacklisted ones, with the strength risk_source_strength() gives them.
 * From every source the value travels along the links in force, up to
 * propagation.hops links, multiplied at each link by propagation.decay and
 * the factor of the link's role (risk_pass_on()), never back to its source,
 * and dropped below 0.005.  Each entity keeps the best value that
 * reaches it, with where it came from (origin), the neighbour it came through
 * (via), the role of that last link and the number of links (hops).  Applying
 * the value, with the one-grade cap, is risk_lift() (risk_score.h).
 *
 * Ties go to the first value to arrive: sources are taken in the order the
 * caller lists them, each link of an entity in the order (neighbour id, role),
 * and one hop's arrivals in the order they arrived.  A value improved later
 * in the same hop travels on too, beside the one it beat.
 *
 * Plain C99, no server headers: unit tested in test/unit/test_risk_propagate.c
 * and fuzzed in test/fuzz/fuzz_risk_propagate.c.  grade_risks() calls it from
 * src/risk/risk_grade.c.
 */
#ifndef TAXSHARE_RISK_PROPAGATE_H
#define TAXSHARE_RISK_PROPAGATE_H

#include "common/allocator.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "risk/risk_score.h"

/* party_link roles, in the order of the schema contract (73_party_link.sql) */
typedef enum RiskRole
{
	RISK_ROLE_LEGAL_REP = 0, /* 法定代表人 */
	RISK_ROLE_INVESTOR,      /* 投资人 */
	RISK_ROLE_FINANCE_HEAD,  /* 财务负责人 */
	RISK_ROLE_TAX_HANDLER    /* 办税人员 */
} RiskRole;

#define RISK_N_ROLES 4

/* The roles' names as party_link.role spells them, by RiskRole. */
extern const char *const risk_role_names[RISK_N_ROLES];

/* The RiskRole of a role name of len bytes, or -1 for none. */
extern int risk_role_of(const char *name, size_t len);

/* A link in force during the period, as party_link holds it: both ways. */
typedef struct RiskLink
{
	int64_t person;
	int64_t enterprise;
	int     role; /* RiskRole; others are ignored */
} RiskLink;

/* An entity that may pass risk on: what its own points gave it. */
typedef struct RiskPropEntity
{
	int64_t   id;
	RiskGrade own_grade;
	double    own_score;
	bool      blacklisted;
} RiskPropEntity;

/* The best value that reached an entity. */
typedef struct RiskReach
{
	int64_t id;     /* the entity reached */
	double  value;  /* > 0, not rounded */
	int64_t origin; /* the source it came from */
	int64_t via;    /* the neighbour it came through */
	int     role;   /* RiskRole of the last link */
	int     hops;   /* links from the origin, 1..hops */
} RiskReach;

/*
 * Where the core takes its memory (src/common/allocator.h: an alloc that
 * returns NULL makes risk_propagate() give everything back and return -1)
 * and when it lets the caller look up.  The server gives it memory of a
 * memory context and checks for interrupts in tick (which may then not
 * return: the context holds everything taken); a NULL env means malloc()
 * and free(), no tick.
 */
typedef struct RiskPropagateEnv
{
	MemAllocator mem;
	void (*tick)(void *arg); /* once per value passed on, or NULL */
	void *arg;               /* tick's */
} RiskPropagateEnv;

/*
 * Propagate from the sources among ents (entities that are neither high nor
 * blacklisted may be left out: they only receive) along links, with the
 * parameters risk_params_check() accepts, hops 0..10 and role_weight[] each
 * 0..1 (a role of weight 0 passes nothing).  *reached gets the entities
 * reached, in increasing id order, allocated through env (NULL when none).
 * Returns how many, or -1 when out of memory (or more than 2^31 entities).
 */
extern int64_t risk_propagate(const RiskParams *p, int hops, const double role_weight[RISK_N_ROLES],
							  const RiskPropEntity *ents, size_t nents, const RiskLink *links,
							  size_t nlinks, const RiskPropagateEnv *env, RiskReach **reached);

#endif /* TAXSHARE_RISK_PROPAGATE_H */
