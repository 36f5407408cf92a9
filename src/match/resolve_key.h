/*
 * resolve_key.h
 *		Pure core: which deterministic key, if any, an identifier reported for
 *		a party gives, and how close two identifiers are (docs/matching.md,
 *		"Deterministic keys").
 *
 * Departments write identifiers of every era into the same kind of field:
 * a USCC (GB 32100-2015), a 9-character organization code (GB 11714), a
 * legacy 15-character taxpayer ID (6-digit division code + organization
 * code), a resident ID of 18 or 15 digits (GB 11643), or a personal
 * taxpayer ID (resident ID + "00", "01" ..., or a 15-digit ID + "00000").
 * resolve_key_read() turns any of them into one of three keys: a USCC, an
 * organization code or an 18-character resident ID.  A value that looks
 * like an identifier but fails its check is not a key; it is kept as
 * "broken" so that the probabilistic comparison can still use it as
 * evidence (a one-character slip from a known identifier).
 *
 * No PostgreSQL headers, no allocation.
 */
#ifndef TAXSHARE_RESOLVE_KEY_H
#define TAXSHARE_RESOLVE_KEY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ResolveKeyKind
{
	RK_NONE = 0,
	RK_USCC,    /* key: 18-character USCC */
	RK_ORGCODE, /* key: 9-character organization code */
	RK_IDCARD   /* key: 18-character resident ID */
} ResolveKeyKind;

/* How the value was read; the method recorded for a link follows from it. */
typedef enum ResolveKeyVia
{
	RKV_NONE = 0,
	RKV_USCC,     /* a valid USCC */
	RKV_ORGCODE,  /* a valid organization code */
	RKV_LEGACY15, /* division code + organization code */
	RKV_IDCARD,   /* a valid 18-character resident ID */
	RKV_IDCARD15, /* a valid 15-digit resident ID, upgraded */
	RKV_PERSONAL  /* resident ID + 2 digits (20), 15-digit ID + 2 (17) or + "00000" (20) */
} ResolveKeyVia;

#define RESOLVE_IDENT_MAX 24 /* longest identifier text kept, with its NUL */

typedef struct ResolveKey
{
	ResolveKeyKind kind; /* RK_NONE: no trusted key */
	ResolveKeyVia  via;
	char           key[RESOLVE_IDENT_MAX]; /* the key in canonical form */
	char           orgcode[10]; /* organization code inside a USCC or legacy ID, else "" */
	char           division[7]; /* division code of a USCC (chars 3-8) or legacy ID, else "" */
	char taxpayer_id[RESOLVE_IDENT_MAX]; /* the legacy or personal taxpayer ID as read, else "" */
	ResolveKeyKind broken_kind;          /* the kind a failing value looks like, RK_NONE if none */
	char           broken[RESOLVE_IDENT_MAX]; /* the failing value, canonical */
} ResolveKey;

/*
 * Read s[0..len), raw as reported (normalize_ident() is applied first).
 * Fills *out completely and returns out->kind.  An empty or short value
 * (under 8 characters) gives RK_NONE and no broken value.
 */
extern ResolveKeyKind resolve_key_read(const char *s, size_t len, ResolveKey *out);

/*
 * Fifteen digits can be both a legacy taxpayer ID (a division code and an
 * organization code whose check happens to hold, one chance in eleven) and
 * a 15-digit resident ID; eighteen digits both a USCC and a resident ID.
 * The hint says which the party is.  Without one (RKH_ANY) the legacy
 * taxpayer ID wins for fifteen (its check is the stronger) and the resident
 * ID for eighteen (USCCs of enterprises start with 9, never a province).
 */
typedef enum ResolveKeyHint
{
	RKH_ANY = 0,
	RKH_ENTERPRISE,
	RKH_PERSON
} ResolveKeyHint;

extern ResolveKeyKind resolve_key_read_hint(const char *s, size_t len, ResolveKeyHint hint,
											ResolveKey *out);

/* Name of a way of reading ("uscc", "legacy15", ...), for explanations. */
extern const char *resolve_key_via_name(ResolveKeyVia via);

/*
 * Are a and b the same text but for one slip: one character substituted,
 * two adjacent characters swapped, or one character inserted or deleted?
 * Equal texts are not "near" (they are equal).
 */
extern bool resolve_ident_near(const char *a, size_t alen, const char *b, size_t blen);

#endif /* TAXSHARE_RESOLVE_KEY_H */
