/*
 * validate_set.h
 *		Pure core: a set of byte strings, each remembered with the row that
 *		brought it first.  Behind the unique and primaryKey constraints of a
 *		batch, and the division code list.
 *
 * Memory comes from a ValidateMem and grows with the number of distinct
 * values (the strings are kept in 64 kB blocks); vset_free gives it back.
 */
#ifndef TAXSHARE_VALIDATE_SET_H
#define TAXSHARE_VALIDATE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate/validate.h"

extern ValidateSet *vset_create(const ValidateMem *mem);

/*
 * Add key (at most 4 GB) with row_no (1..INT32_MAX).  Returns 0 when the key is
 * new, else the row_no stored with its first occurrence (the set is unchanged).
 */
extern int64_t vset_insert(ValidateSet *s, const char *key, size_t len, int64_t row_no);

extern bool   vset_contains(const ValidateSet *s, const char *key, size_t len);
extern size_t vset_count(const ValidateSet *s);

/*
 * Every key with its row, in no particular order: start with *pos = 0 and
 * call until false.  The set must not change meanwhile.  (A load handing its
 * sets to a parallel worker and back, intake_parallel.c.)
 */
extern bool vset_next(const ValidateSet *s, size_t *pos, const char **key, size_t *len,
					  int64_t *row_no);
extern void vset_free(ValidateSet *s);

#endif /* TAXSHARE_VALIDATE_SET_H */
