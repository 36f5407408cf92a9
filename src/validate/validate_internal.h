/*
 * validate_internal.h
 *		Pure core: what validate.c and validate_rule.c share.  Not for callers
 *		of the validate core (they use validate.h).
 */
#ifndef TAXSHARE_VALIDATE_INTERNAL_H
#define TAXSHARE_VALIDATE_INTERNAL_H

#include "validate/validate.h"

/* Append an error (field -1 for the row) to out, growing its array from mem. */
extern void validate_add_error(RowResult *out, const ValidateMem *mem, int field, const char *code,
							   const char *message);

/*
 * Compare two parsed values of one class (numbers with numbers, times with
 * times); *cmp gets -1/0/1.  False when they cannot be compared.
 */
extern bool validate_value_compare(const ParsedValue *a, const ParsedValue *b, int *cmp);

/* Check the item's cross-field rules on a row whose fields are checked. */
extern void validate_rules(ValidateBatch *b, const ValidateMem *mem, RowResult *out);

#endif /* TAXSHARE_VALIDATE_INTERNAL_H */
