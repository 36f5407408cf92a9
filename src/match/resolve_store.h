/*
 * resolve_store.h
 *		Pure core: the in-memory entity store of one resolution run, its
 *		blocking index, the comparison of a reported party with a candidate
 *		entity and the decision (docs/matching.md, "Resolution").
 *
 * resolve_entities() loads every entity (identifiers, every name, address
 * and phone seen, linked persons) into a ResolveStore, then for each party
 * of each new record:
 *	1. looks its deterministic key up (USCC, organization code, resident ID);
 *	2. else gathers candidates from the blocks its name falls in, compares
 *	   the party with each (Fellegi-Sunter, fellegi_sunter.h) and links to
 *	   the best one above the upper threshold, queues it for review between
 *	   the thresholds, or makes a new entity below the lower one.
 * Entities created or enriched during the run are added to the store at
 * once, so that later records of the same run find them.
 *
 * One API, four files by phase: resolve_store.c (the store: entities, keys,
 * attributes, memory), resolve_block.c (blocks and candidates: why a party
 * meets the entities it meets), resolve_compare.c (the level of each field)
 * and resolve_decide.c (the model, the link by key, link / review / new).
 * resolve_store_internal.h holds what they share.
 *
 * Plain C, malloc'd memory owned by the store (rs_free() releases all); no
 * PostgreSQL headers, so the unit tests drive it directly.
 */
#ifndef TAXSHARE_RESOLVE_STORE_H
#define TAXSHARE_RESOLVE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/fellegi_sunter.h"
#include "match/resolve_key.h"

typedef enum ResolveKind
{
	RS_ENTERPRISE = 0,
	RS_PERSON = 1
} ResolveKind;

#define RS_NKINDS 2

/* The comparison fields of the model, in this order. */
enum
{
	RS_F_NAME,
	RS_F_REGION,
	RS_F_INDUSTRY,
	RS_F_ADDRESS,
	RS_F_PHONE,
	RS_F_PERSON,
	RS_F_IDENT,
	RS_NFIELDS
};

/* Name similarity levels: exact, >= 0.92, >= 0.85, >= 0.75, below. */
#define RS_NAME_NTHRESHOLDS 4
extern const double rs_name_thresholds[RS_NAME_NTHRESHOLDS];

/* An address agrees when sim_name() of the normalised addresses reaches this. */
#define RS_ADDRESS_AGREE 0.85

/*
 * Blocks larger than these are not searched: a 字号 shared by thousands, a
 * deletion neighbour like 华置业 that many 华x置业 share, a phone number many
 * report (docs/matching.md, "Probabilistic links").
 */
#define RS_MAX_BLOCK          2000
#define RS_MAX_DELETION_BLOCK 64
#define RS_MAX_PHONE_BLOCK    16

/* Deletion neighbours only for 字号 + industry of at most this many characters. */
#define RS_MAX_DELETION_CHARS 10

/* The built-in model of a kind (m, u, prior; thresholds upper 10, lower 4). */
extern void rs_model_default(FsModel *model, ResolveKind kind);

/*
 * Set one level's m and u (by field and level name), as match_parameter rows
 * do; the field's other levels are rescaled so that each of m and u still
 * sums to 1.  False if the field or level is unknown or m, u not in (0, 1).
 */
extern bool rs_model_set(FsModel *model, const char *field, const char *level, double m, double u);

typedef struct ResolveStore ResolveStore;

/*
 * Called when memory runs out; it should not return (the glue raises an
 * error).  NULL, or a handler that returns: abort().
 */
typedef void (*RsOomHandler)(size_t request);

/* How a party was linked by a key (record_party.method). */
typedef enum ResolveMethod
{
	RM_NONE = 0,
	RM_USCC,
	RM_IDCARD,
	RM_ORGCODE,
	RM_TAXPAYER_ID
} ResolveMethod;

extern const char *rs_method_name(ResolveMethod m);

/* What one party of one record says about whom it is. */
typedef struct ResolveParty
{
	ResolveKind    kind;
	ResolveKey     key;                  /* the strongest valid key, and any broken value */
	bool           key_from_taxpayer_id; /* the key was read from a taxpayer ID field */
	const char    *name;                 /* normalised, NUL-terminated; may be NULL */
	char           region[7];            /* division code or "" */
	const char    *address;              /* normalised; may be NULL */
	const char    *phone;                /* digits; may be NULL */
	const int64_t *persons; /* entity ids of the record's other parties (key persons) */
	int            npersons;
} ResolveParty;

/* One comparison of a party with a candidate. */
typedef struct ResolveComparison
{
	int32_t     entity; /* store index of the candidate */
	int         levels[RS_NFIELDS];
	double      weight;
	const char *best_name;     /* the candidate's name that compared best */
	bool        exact_name;    /* the names are equal (before the region rule) */
	bool        sole_namesake; /* exact name, no region to compare, but the only entity of
								 * that name among the candidates: counted as exact */
	bool        sole_near;     /* no entity of exactly the name, and this one alone is near
								* it in the same region and industry (a slip of its name) */
} ResolveComparison;

typedef struct ResolveOutcome
{
	FsDecision        decision;    /* FS_LINK, FS_REVIEW or FS_NONLINK */
	int               ncandidates; /* distinct candidates compared */
	ResolveComparison best;        /* valid when ncandidates > 0 */
	ResolveComparison second;      /* valid when ncandidates > 1 */
	bool              ambiguous;   /* two candidates above the upper threshold, too close to call */
} ResolveOutcome;

extern ResolveStore *rs_create(RsOomHandler oom);
extern void          rs_free(ResolveStore *rs);

/* Add an entity; returns its store index.  id may be 0 for one not yet saved. */
extern int32_t rs_add_entity(ResolveStore *rs, int64_t id, ResolveKind kind);
extern int64_t rs_entity_id(const ResolveStore *rs, int32_t e);
extern void    rs_set_entity_id(ResolveStore *rs, int32_t e, int64_t id); /* once, when it was 0 */
extern int32_t rs_find_id(const ResolveStore *rs, int64_t id);            /* -1 if unknown */
extern ResolveKind rs_entity_kind(const ResolveStore *rs, int32_t e);
extern int32_t     rs_count(const ResolveStore *rs);

/*
 * Identifiers: which is RK_USCC, RK_ORGCODE or RK_IDCARD.  Setting one that
 * another entity holds fails (false) and changes nothing.  rs_get_key returns
 * NULL when the entity has none.
 */
extern bool        rs_set_key(ResolveStore *rs, int32_t e, ResolveKeyKind which, const char *value);
extern const char *rs_get_key(const ResolveStore *rs, int32_t e, ResolveKeyKind which);
extern int32_t     rs_find_key(const ResolveStore *rs, ResolveKeyKind which, const char *value);
extern void        rs_set_taxpayer_id(ResolveStore *rs, int32_t e, const char *value);
extern const char *rs_get_taxpayer_id(const ResolveStore *rs, int32_t e);
extern void        rs_set_region(ResolveStore *rs, int32_t e, const char *division);

/*
 * The full name of a division code (湖南省衡阳市雁峰区 for 430406), so that a
 * code can be compared with the regions names and addresses write.  Add them
 * before the entities.
 */
extern void        rs_add_division(ResolveStore *rs, const char *code, const char *full_name);
extern const char *rs_division_name(const ResolveStore *rs, const char *code);
extern const char *rs_get_region(const ResolveStore *rs, int32_t e);

/* Attributes; adding one already there returns false.  The first name is the primary one. */
extern bool rs_add_name(ResolveStore *rs, int32_t e, const char *name);
extern bool rs_add_address(ResolveStore *rs, int32_t e, const char *address);
extern bool rs_add_phone(ResolveStore *rs, int32_t e, const char *phone);
extern bool rs_add_person(ResolveStore *rs, int32_t e, int64_t person_id);

/* An identifier of a kind that failed its check (the comparable part), kept as evidence. */
extern bool rs_add_unverified(ResolveStore *rs, int32_t e, ResolveKeyKind kind, const char *text);
extern const char *rs_primary_name(const ResolveStore *rs, int32_t e);

/*
 * The entity the party's valid key names, or -1; *method says which key:
 * the USCC, else the organization code inside it (an entity first known by
 * its organization code alone), an organization code or legacy taxpayer ID,
 * a resident ID (also upgraded from 15 digits) or personal taxpayer ID.
 */
extern int32_t rs_find_party(const ResolveStore *rs, const ResolveParty *p, ResolveMethod *method);

/* The method of a link made by the party's own key (RM_NONE without one). */
extern ResolveMethod rs_key_method(const ResolveParty *p);

/*
 * The comparable part of the party's unverified identifier, as the store
 * keeps it (a legacy taxpayer ID's organization code), into out; returns its
 * kind, RK_NONE if there is none.
 */
extern ResolveKeyKind rs_broken_comparable(const ResolveKey *k, char out[RESOLVE_IDENT_MAX]);

/*
 * Take what the party says into entity e: its keys (those e lacks and no
 * other entity holds), region, name, address, phone and persons.  Returns
 * the RS_CHG_* bits of what changed.
 */
#define RS_CHG_KEYS    0x01 /* uscc, orgcode, idcard, taxpayer_id or region */
#define RS_CHG_NAME    0x02
#define RS_CHG_ADDRESS 0x04
#define RS_CHG_PHONE   0x08
#define RS_CHG_PERSON  0x10
#define RS_CHG_IDENT   0x20 /* an identifier that failed its check, kept as evidence */
extern unsigned rs_absorb(ResolveStore *rs, int32_t e, const ResolveParty *p);

/*
 * Compare the party with every candidate its blocks hold (other than
 * entities with a conflicting valid key) and decide with model (of the
 * party's kind).  Counts comparisons in *comparisons.
 */
extern void rs_resolve(ResolveStore *rs, const ResolveParty *p, const FsModel *model,
					   ResolveOutcome *out, uint64_t *comparisons);

/* The comparison vector of a party and one entity (no blocking). */
extern void rs_compare(const ResolveStore *rs, const ResolveParty *p, int32_t e,
					   const FsModel *model, ResolveComparison *out);

/*
 * Candidate entities of a party (its blocks, deduplicated, the party's own
 * entity `self` excluded when >= 0), at most max into out; returns how many.
 */
extern int rs_candidates(ResolveStore *rs, const ResolveParty *p, int32_t self, int32_t *out,
						 int max);

/*
 * Compare two parties directly (for match_compare() and EM over record
 * pairs): levels of a vs b as if b were an entity with b's attributes.
 */
extern void rs_compare_parties(const ResolveParty *a, const ResolveParty *b, const FsModel *model,
							   RsOomHandler oom, int *levels, double *weight);

/*
 * company_name_similarity() of two names after normalize_name(), computed
 * the way the comparison does (on parses made once per name).
 */
extern double rs_company_similarity(const char *a, const char *b);

/* The region comparison: same division, or one contains the other. */
extern bool rs_region_same(const char *a, const char *b);

/* Digits of a phone number into out (capacity len + 1); returns the length. */
extern size_t rs_phone_digits(const char *in, size_t len, char *out);

#endif /* TAXSHARE_RESOLVE_STORE_H */
