/*
 * normalize.h
 *		Canonical forms of identifiers and of company and person names.
 *
 * Pure core: no PostgreSQL headers.  Input and output are UTF-8.  Both
 * functions read exactly len bytes of in (no NUL terminator needed), write
 * the result and a terminating NUL to out (which must not overlap in), are
 * idempotent (normalising the output again changes nothing) and never
 * lengthen their input.
 *
 * Invalid UTF-8: every byte that does not belong to a well-formed UTF-8
 * sequence is copied through unchanged, so data in a wrong encoding is never
 * silently lost or merged with other data.  So that removing a character
 * never glues stray bytes into a new character, a removable character that
 * directly follows such a byte is kept.
 */
#ifndef TAXSHARE_NORMALIZE_H
#define TAXSHARE_NORMALIZE_H

#include <stddef.h>

/*
 * Identifier canonical form: white space (including U+3000) and hyphens and
 * dashes removed, full-width ASCII (U+FF01..U+FF5E) made half-width, ASCII
 * letters upper-cased.  Everything else is kept.
 */
/* Output buffers need at most len + 1 bytes: normalisation never lengthens. Return the output length. */
size_t normalize_ident(const char *in, size_t len, char *out);

/*
 * Name canonical form: full-width ASCII made half-width (so （）become ()),
 * all white space removed, middle-dot variants made U+00B7, then the
 * legal-form variants of normalize_legal_forms[] replaced.  Case is kept.
 */
size_t normalize_name(const char *in, size_t len, char *out);

/*
 * normalize_name with options.  NORMALIZE_KEEP_DOTS leaves middle-dot variants
 * as they are, for servers whose encoding cannot represent U+00B7 (PostgreSQL
 * maps EUC_CN's A1A4 to U+30FB).
 */
#define NORMALIZE_KEEP_DOTS 0x01
size_t normalize_name_opts(const char *in, size_t len, char *out, int options);

/* The legal-form table, exported for tests and documentation. */
typedef struct NormalizeLegalForm
{
	const char *variant;       /* UTF-8, replaced wherever it occurs ... */
	size_t      variant_len;   /* bytes */
	const char *canonical;     /* ... by this shorter UTF-8 string */
	size_t      canonical_len; /* bytes */
	const char *source;        /* the rule that makes them equivalent */
} NormalizeLegalForm;

extern const NormalizeLegalForm normalize_legal_forms[];
extern const size_t             normalize_legal_forms_count;

#endif /* TAXSHARE_NORMALIZE_H */
