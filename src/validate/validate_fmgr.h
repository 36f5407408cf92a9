/*
 * validate_fmgr.h
 *		Server side of the validate core: the message language (the
 *		taxshare.language setting of taxshare.c) and palloc-backed memory for
 *		validate_row().
 */
#ifndef TAXSHARE_VALIDATE_FMGR_H
#define TAXSHARE_VALIDATE_FMGR_H

#include "validate/validate.h"

/* taxshare_language() as the core's ValidateLang. */
extern ValidateLang validate_language(void);

/* A ValidateMem that pallocs in cxt (and pfrees when asked). */
extern void validate_mem_in(MemoryContext cxt, ValidateMem *mem);

#endif /* TAXSHARE_VALIDATE_FMGR_H */
