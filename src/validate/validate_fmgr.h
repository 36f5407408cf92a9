/*
 * validate_fmgr.h
 *		Server side of the validate core: the taxshare.language setting and
 *		palloc-backed memory for validate_row().
 */
#ifndef TAXSHARE_VALIDATE_FMGR_H
#define TAXSHARE_VALIDATE_FMGR_H

#include "validate/validate.h"

/* Defines taxshare.language; called from _PG_init. */
extern void validate_init(void);

/* The language of messages stored in tables (record_error.message). */
extern ValidateLang validate_language(void);

/* A ValidateMem that pallocs in cxt (and pfrees when asked). */
extern void validate_mem_in(MemoryContext cxt, ValidateMem *mem);

#endif							/* TAXSHARE_VALIDATE_FMGR_H */
