/*
 * taxshare.c
 *		Library entry point: _PG_init() calls each module's init function,
 *		which defines that module's GUCs, then reserves the "taxshare."
 *		prefix; and taxshare_version(), the version of the loaded library.
 */
#include "taxshare.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "intake/intake.h"
#include "match/resolve_run.h"
#include "risk/risk.h"
#include "validate/validate_fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	progress_init();
	calendar_init();
	validate_init();
	intake_parallel_init();
	resolve_init();
	risk_init();

#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("taxshare");
#else
	EmitWarningsOnPlaceholders("taxshare");
#endif
}

PG_FUNCTION_INFO_V1(taxshare_version);

/*
 * The version of the loaded library, which may differ from the installed SQL
 * version after a package upgrade without ALTER EXTENSION ... UPDATE.
 */
Datum
taxshare_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(TAXSHARE_VERSION));
}
