/*
 * validate.h
 *		Pure core: validate one reported row against a compiled catalog item.
 *
 * The catalog module (catalog/catalog_compile.c) compiles a catalog item
 * version into an ItemSpec; the intake (intake/intake_load.c) turns each JSON
 * object of a batch into an array of RawValue, one per field, and calls
 * validate_row().  The result holds the
 * canonical value of every field that parsed and the list of errors, each a
 * stable code word (docs/intake.md, "Error codes") with a message in Chinese
 * or English.  No PostgreSQL headers: unit tests and fuzzers call this
 * directly.  Regular expressions and the division code list belong to the
 * server, so the caller answers those two questions through ValidateHooks.
 */
#ifndef TAXSHARE_VALIDATE_H
#define TAXSHARE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate/value.h"

/* A longer value is refused with code "too_long" before it is parsed. */
#define VALIDATE_MAX_VALUE_BYTES (1024 * 1024)

typedef enum ValidateLang
{
	VL_ZH,
	VL_EN
} ValidateLang;

/*
 * Where memory comes from.  alloc never returns NULL (the server's palloc
 * throws, the tests abort); release may be NULL when the memory is reset in
 * bulk (a per-row memory context).
 */
typedef struct ValidateMem
{
	void *(*alloc)(void *ctx, size_t size);
	void (*release)(void *ctx, void *p);
	void *ctx;
} ValidateMem;

typedef enum RuleKind
{
	RK_LTE,              /* fields[0] <= fields[1] */
	RK_LT,               /* fields[0] < fields[1] */
	RK_IDCARD_BIRTHDATE, /* birth date in idcard fields[0] = date fields[1] */
	RK_SUM,              /* sum of fields = total, within tolerance */
	RK_REQUIRED_IF       /* fields required when `when` is present (and in in_values) */
} RuleKind;

typedef struct FieldSpec
{
	const char        *name;
	size_t             name_len;
	const char        *title; /* Chinese label for messages; may equal name */
	FieldType          type;
	bool               required; /* constraint, or member of the primary key */
	bool               unique;
	long               min_length; /* code points of the canonical value; -1 none */
	long               max_length;
	bool               has_minimum;
	bool               has_maximum;
	ParsedValue        minimum;
	ParsedValue        maximum;
	const char        *minimum_text; /* canonical, for messages */
	const char        *maximum_text;
	bool               has_pattern; /* ValidateHooks.pattern_match decides */
	int                n_enum;
	const char *const *enum_values; /* canonical, NUL-terminated */
} FieldSpec;

typedef struct RuleSpec
{
	RuleKind           kind;
	int                nfields;
	const int         *fields;    /* indexes into ItemSpec.fields */
	int                total;     /* RK_SUM: index of the total field */
	double             tolerance; /* RK_SUM, in the unit of the values (yuan) */
	int                when;      /* RK_REQUIRED_IF: index of the condition field */
	int                n_in;      /* RK_REQUIRED_IF: 0 = "when present" */
	const char *const *in_values; /* canonical values of the condition */
} RuleSpec;

typedef struct ItemSpec
{
	int                nfields;
	const FieldSpec   *fields;
	int                nrules;
	const RuleSpec    *rules;
	int                nmissing; /* missingValues: raw texts that mean "no value" */
	const char *const *missing;
	int                npk; /* primaryKey: unique together within a batch */
	const int         *pk;
	const int         *by_name; /* field indexes sorted by validate_name_cmp */
} ItemSpec;

/* What a reported value was in the JSON object. */
typedef enum RawKind
{
	RAW_MISSING, /* key absent, or JSON null */
	RAW_TEXT,    /* JSON string */
	RAW_SCALAR,  /* JSON number or boolean, as its text */
	RAW_COMPOUND /* JSON object or array */
} RawKind;

typedef struct RawValue
{
	RawKind     kind;
	const char *s; /* not NUL-terminated */
	size_t      len;
} RawValue;

typedef struct FieldResult
{
	bool        present; /* a value that is not a missing value */
	bool        parsed;  /* of the field's type: canon and pv are set */
	const char *canon;   /* NUL-terminated canonical text */
	size_t      canon_len;
	ParsedValue pv;
} FieldResult;

typedef struct ValidateError
{
	int         field;   /* index into ItemSpec.fields, -1 for a row-level rule */
	const char *code;    /* stable word: "required", "type", "unique", ... */
	const char *message; /* in the batch's language */
} ValidateError;

typedef struct RowResult
{
	FieldResult   *fields; /* ItemSpec.nfields entries */
	int            nerrors;
	int            maxerrors;
	ValidateError *errors;
} RowResult;

/* Questions only the server can answer; either may be NULL (always true). */
typedef struct ValidateHooks
{
	/* Does the canonical value of field match its pattern (wholly)? */
	bool (*pattern_match)(void *ctx, int field, const char *s, size_t len);
	/* Is this 6-digit canonical division code known (or its province not listed)? */
	bool (*division_known)(void *ctx, const char *code);
	void *ctx;
} ValidateHooks;

typedef struct ValidateSet ValidateSet;

/* State that outlives one row: the sets behind unique and primaryKey. */
typedef struct ValidateBatch
{
	const ItemSpec *spec;
	ValidateLang    lang;
	ValidateHooks   hooks;
	ValidateMem     mem;         /* for the sets; lives as long as the batch */
	ValidateSet   **unique;      /* per field, NULL unless unique */
	ValidateSet    *pk;          /* NULL without a primaryKey */
	size_t         *missing_len; /* lengths of spec->missing */
} ValidateBatch;

/* Order of jsonb object keys: shorter first, then bytewise. */
extern int validate_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Fill by_name (nfields ints) for spec; call once after building the spec. */
extern void validate_spec_index(const ItemSpec *spec, int *by_name);

/* Index of the field called name, or -1. */
extern int validate_field_index(const ItemSpec *spec, const char *name, size_t len);

extern void validate_batch_init(ValidateBatch *b, const ItemSpec *spec, ValidateLang lang,
								const ValidateHooks *hooks, const ValidateMem *mem);
extern void validate_batch_free(ValidateBatch *b);

/*
 * Validate one row: raw has spec->nfields entries; row_no is the 1-based
 * position in the batch (for "same as row N" messages).  Everything in *out
 * is allocated from mem and lives until the caller resets it.
 */
extern void validate_row(ValidateBatch *b, const RawValue *raw, int64_t row_no,
						 const ValidateMem *mem, RowResult *out);

/*
 * A batch element that is not a JSON object: one "row" error.  found is
 * "array", "string", "number", "boolean" or "null".
 */
extern void validate_row_not_object(ValidateBatch *b, const char *found, const ValidateMem *mem,
									RowResult *out);

#endif /* TAXSHARE_VALIDATE_H */
