/*
 * validate_fmgr.c
 *		Server side of the validate core: the taxshare.language setting and
 *		palloc-backed ValidateMem.
 */
#include "taxshare.h"

#include "utils/guc.h"
#include "utils/memutils.h"

#include "validate/validate_fmgr.h"

static int	taxshare_language = VL_ZH;

static const struct config_enum_entry language_options[] = {
	{"zh", VL_ZH, false},
	{"en", VL_EN, false},
	{NULL, 0, false}
};

void
validate_init(void)
{
	DefineCustomEnumVariable("taxshare.language",
							 "Language of the messages taxshare stores in tables (zh or en).",
							 "Applies to record_error.message of later submissions; "
							 "error reports to the client stay in English.",
							 &taxshare_language,
							 VL_ZH, language_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

ValidateLang
validate_language(void)
{
	return (ValidateLang) taxshare_language;
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
