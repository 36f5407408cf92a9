/*
 * validate_fmgr.c
 *		Server side of the validate core: the message language as the core's
 *		ValidateLang, and palloc-backed ValidateMem.
 */
#include "taxshare.h"

#include "utils/memutils.h"

#include "validate/validate_fmgr.h"

StaticAssertDecl((int) VL_ZH == (int) TAXSHARE_LANG_ZH && (int) VL_EN == (int) TAXSHARE_LANG_EN,
				 "the core's languages are numbered as taxshare.language's");

ValidateLang
validate_language(void)
{
	return (ValidateLang) taxshare_language();
}

static void *
validate_palloc(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size);
}

static void
validate_pfree(void *ctx, void *p)
{
	pfree(p);
}

void
validate_mem_in(MemoryContext cxt, ValidateMem *mem)
{
	mem->alloc = validate_palloc;
	mem->release = validate_pfree;
	mem->ctx = cxt;
}
