/*
 * taxshare.c
 *		Library entry point: _PG_init() defines the settings shared by every
 *		module (taxshare.language), calls each module's init function, which
 *		defines that module's own, then reserves the "taxshare." prefix; and
 *		taxshare_version(), the version of the loaded library.
 */
#include "taxshare.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "sharing/sharing.h"
#include "formats/formats.h"
#include "intake/intake.h"
#include "match/resolve_run.h"
#include "risk/risk.h"

PG_MODULE_MAGIC;

void _PG_init(void);

static int language_setting = TAXSHARE_LANG_ZH;

static const struct config_enum_entry language_options[] = {
	{"zh", TAXSHARE_LANG_ZH, false}, {"en", TAXSHARE_LANG_EN, false}, {NULL, 0, false}};

TaxshareLang
taxshare_language(void)
{
	return (TaxshareLang) language_setting;
}

void
_PG_init(void)
{
	DefineCustomEnumVariable(
		"taxshare.language", "Language of the messages taxshare stores in tables (zh or en).",
		"Applies to record_error.message of later submissions; "
		"error reports to the client stay in English.",
		&language_setting, TAXSHARE_LANG_ZH, language_options, PGC_USERSET, 0, NULL, NULL, NULL);

	sharing_init();
	progress_init();
	calendar_init();
	intake_parallel_init();
	formats_init();
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
