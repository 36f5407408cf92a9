/*
 * fellegi_sunter.h
 *		Pure core: Fellegi-Sunter match weights, their explanation, EM
 *		estimation of the m and u probabilities, and the two-threshold
 *		decision (docs/matching.md, "The model").
 *
 * A pair of records is compared field by field; each comparison gives a
 * level (0 = the strongest agreement, the last level = disagreement, or
 * FS_LEVEL_MISSING when either side has no value).  For level k of a field,
 * m = P(level k | the records are about the same entity) and u = P(level k |
 * they are not); the level's weight is log2(m / u) and a pair's weight is the
 * sum over its fields (Fellegi and Sunter 1969).  A missing value weighs 0.
 *
 * Plain C types, no allocation, no PostgreSQL headers.
 */
#ifndef TAXSHARE_FELLEGI_SUNTER_H
#define TAXSHARE_FELLEGI_SUNTER_H

#include <stdbool.h>
#include <stddef.h>

#define FS_MAX_FIELDS    16
#define FS_MAX_LEVELS    8
#define FS_LEVEL_MISSING (-1)

typedef struct FsField
{
	const char *name;                       /* "name", "region" ...: shown in explanations */
	int         nlevels;                    /* 2 .. FS_MAX_LEVELS */
	const char *level_names[FS_MAX_LEVELS]; /* "exact", ">=0.92", "same" ... */
	double      m[FS_MAX_LEVELS];           /* each in (0, 1), summing to 1 over the levels */
	double      u[FS_MAX_LEVELS];           /* likewise */
} FsField;

typedef struct FsModel
{
	int     nfields; /* 1 .. FS_MAX_FIELDS */
	FsField fields[FS_MAX_FIELDS];
	double  upper; /* weight >= upper: link */
	double  lower; /* lower <= weight < upper: review; below: a new entity */
	double  prior; /* P(same entity) among compared pairs, in (0, 1) */
} FsModel;

typedef enum FsDecision
{
	FS_NONLINK = 0,
	FS_REVIEW = 1,
	FS_LINK = 2
} FsDecision;

/*
 * NULL if the model is usable, else a word saying what is wrong: "fields"
 * (nfields out of range), "levels" (a field's nlevels out of range),
 * "probability" (an m or u not in (0, 1) or not summing to 1 within 1e-6),
 * "thresholds" (lower > upper or not finite), "prior" (not in (0, 1)).
 */
extern const char *fs_model_check(const FsModel *model);

/* log2(m / u) of one level; 0 for FS_LEVEL_MISSING or a level out of range. */
extern double fs_level_weight(const FsModel *model, int field, int level);

/*
 * Total weight of a comparison vector (levels[nfields]); per_field (may be
 * NULL) receives each field's weight.  Levels out of range count as missing.
 */
extern double fs_weight(const FsModel *model, const int *levels, double *per_field);

/* The decision for a total weight, and its name ("link", "review", "nonlink"). */
extern FsDecision  fs_classify(const FsModel *model, double weight);
extern const char *fs_decision_name(FsDecision d);

/*
 * The explanation of a comparison vector as a JSON object, written to buf
 * (size bytes, always NUL-terminated when size > 0, truncated if needed):
 *	{"weight": 9.14, "decision": "link", "fields": [
 *	  {"field": "name", "level": "exact", "m": 0.8, "u": 0.002, "weight": 8.64}, ...]}
 * A missing field shows "level": null and weight 0.  Returns the length the
 * whole text needs (excluding the NUL), as snprintf does.
 */
extern size_t fs_explain(const FsModel *model, const int *levels, char *buf, size_t size);

/*
 * The level of a similarity against descending thresholds: the first i with
 * sim >= thresholds[i], else nthresholds (disagreement); FS_LEVEL_MISSING
 * for a NaN similarity.  With thresholds {1, 0.92, 0.8}: exact, >= 0.92,
 * >= 0.8, below.
 */
extern int fs_level_from_similarity(double sim, const double *thresholds, int nthresholds);

/*
 * The starting model, with hand-set m and u (docs/matching.md explains each
 * number): name (exact, >=0.92, >=0.80, below), region (same, different),
 * industry (same, different), address, phone, person (agree, disagree);
 * upper 10, lower 4, prior 0.1.  The field indexes are FS_F_*.
 */
enum
{
	FS_F_NAME,
	FS_F_REGION,
	FS_F_INDUSTRY,
	FS_F_ADDRESS,
	FS_F_PHONE,
	FS_F_PERSON,
	FS_DEFAULT_NFIELDS
};
extern const double fs_default_name_thresholds[3];
extern void         fs_model_default(FsModel *model);

/* Sets one field of a model: its name, its levels' names and their m and u. */
extern void fs_field_set(FsField *f, const char *name, int nlevels, const char *const *level_names,
						 const double *m, const double *u);

/* EM estimation (standard two-class EM under conditional independence). */
typedef struct FsEmOptions
{
	int    max_iterations; /* cap; default 200 */
	double tolerance;      /* stop when no parameter moves by more; default 1e-7 */
	double epsilon;        /* floor of every probability; default 1e-6 */
} FsEmOptions;

#define FS_EM_DEFAULT_OPTIONS \
	{                         \
		200, 1e-7, 1e-6       \
	}

typedef struct FsEmResult
{
	int    iterations;     /* EM steps taken */
	bool   converged;      /* false: stopped at max_iterations */
	bool   swapped;        /* the classes came out the wrong way round and were swapped */
	double log_likelihood; /* natural log, of the final parameters */
	double total;          /* sum of the counts */
} FsEmResult;

/*
 * Estimate model's m, u and prior from n comparison vectors (levels[n *
 * nfields], row by row), each counted counts[i] times (NULL: once each; pass
 * the counts of distinct vectors to make EM cost independent of the number
 * of pairs), with options (NULL: FS_EM_DEFAULT_OPTIONS).  The model's current
 * m, u and prior are the starting point; a field missing in every vector
 * keeps its values.  Every probability is kept
 * at least epsilon: after each step, m = (1 - L * eps) * m + eps over a
 * field's L levels, and the prior within [eps, 1 - eps].  If the class
 * estimated as "match" agrees less often on the first level than the other
 * (label switching), the classes are swapped.  Thresholds are not touched.
 *
 * Returns NULL on success, else a word and the model unchanged: the words of
 * fs_model_check, "level" (a level out of range in the vectors), "count" (a
 * negative or non-finite count), "empty" (no vector with a positive count),
 * "options".
 */
extern const char *fs_em(FsModel *model, const int *levels, const double *counts, size_t n,
						 const FsEmOptions *options, FsEmResult *result);

#endif /* TAXSHARE_FELLEGI_SUNTER_H */
