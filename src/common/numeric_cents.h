/*
 * numeric_cents.h
 *		Pure core: a stored numeric value read as a whole number of cents
 *		(fen), without the arithmetic of the numeric type.
 *
 * grade_risks() reads every amount of a period (suspicion.amount_involved,
 * numeric(18,2)), millions of them, and wants each as int64 fen; this file
 * spares it numeric's arithmetic ((amount * 100)::int8) for each one
 * (docs/risk.md, "Performance").  The bytes read here are numeric's on-disk
 * format, which pg_upgrade carries across major versions unchanged (so it
 * cannot change without every stored numeric changing): a 16-bit header,
 * short or long form, then base-10000 digits (PostgreSQL's
 * src/backend/utils/adt/numeric.c).
 *
 * No server headers: unit tested in test/unit/test_numeric_cents.c.
 */
#ifndef TAXSHARE_NUMERIC_CENTS_H
#define TAXSHARE_NUMERIC_CENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * body/len: the value's bytes after its varlena header.  True with *cents set
 * when the value is finite, has no non-zero digit below the hundredths and
 * its cents fit in int64; false otherwise (NaN, infinities, finer fractions,
 * too large, malformed): the caller then takes numeric's own arithmetic,
 * which rounds or raises the error SQL would.
 */
extern bool numeric_cents(const unsigned char *body, size_t len, int64_t *cents);

#endif /* TAXSHARE_NUMERIC_CENTS_H */
