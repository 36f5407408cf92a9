/*
 * sharing/sharing_fmgr.c
 *		The approval policy of grants: the setting taxshare.grant_approval
 *		and grant_approval_policy(), which _grant_decide() reads.
 *
 * Hengyang (seeds/000 art. 23, 28) has conditionally shared data used only
 * after the office approves; other cities let the providing unit decide, or
 * ask both.  The policy is a server setting a superuser fixes per database
 * (ALTER DATABASE ... SET): PGC_SUSET, so that a unit's login cannot SET a
 * laxer policy for its own session before approving.  docs/security.md,
 * "Grants".
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "sharing/sharing.h"

typedef enum GrantApproval
{
	GRANT_APPROVAL_OFFICE,
	GRANT_APPROVAL_PROVIDER,
	GRANT_APPROVAL_EITHER,
	GRANT_APPROVAL_BOTH
} GrantApproval;

static const struct config_enum_entry grant_approval_options[] = {
	{"office", GRANT_APPROVAL_OFFICE, false},
	{"provider", GRANT_APPROVAL_PROVIDER, false},
	{"either", GRANT_APPROVAL_EITHER, false},
	{"both", GRANT_APPROVAL_BOTH, false},
	{NULL, 0, false}};

static int grant_approval = GRANT_APPROVAL_OFFICE;

void
sharing_init(void)
{
	DefineCustomEnumVariable(
		"taxshare.grant_approval",
		"Who approves the use of conditionally shared data: office, provider, either or both.",
		"office: the city finance office only (Hengyang art. 23, the default of new installs); "
		"provider: the providing unit; either: one of the two; both: the two of them. "
		"Set per database by a superuser (ALTER DATABASE ... SET).",
		&grant_approval, GRANT_APPROVAL_OFFICE, grant_approval_options, PGC_SUSET, 0, NULL, NULL,
		NULL);
}

PG_FUNCTION_INFO_V1(taxshare_grant_approval_policy);

/*
 * The policy in force for this session.  Calling a C function loads the
 * library, so the database's setting has been applied to the variable even
 * when nothing else of taxshare ran in the session yet (a plpgsql caller
 * reading current_setting() could see the unchecked placeholder instead).
 */
Datum
taxshare_grant_approval_policy(PG_FUNCTION_ARGS)
{
	const struct config_enum_entry *e;

	for (e = grant_approval_options; e->name != NULL; e++)
		if (e->val == grant_approval)
			PG_RETURN_TEXT_P(cstring_to_text(e->name));
	elog(ERROR, "taxshare.grant_approval holds an unknown value %d", grant_approval);
	PG_RETURN_NULL(); /* not reached */
}
