/*
 * intake_owner.c
 *		Run a step of an inbox load as the extension owner, with search_path
 *		pinned: what SECURITY DEFINER ... SET search_path does for a whole
 *		function call, done for the steps of a load that read or write tables.
 *
 * The inbox row trigger is a plain C function, so that no SET clause saves
 * and restores search_path around every row of a COPY; its per-row work runs
 * no SQL, reads no table and calls nothing looked up by name.  Every step that
 * does -- opening a load, writing a chunk, opening the bulk writers and
 * starting a worker, finishing -- is bracketed by intake_owner_enter() and
 * intake_owner_leave(), and sees what a definer function would: the owner as
 * current user with SECURITY_LOCAL_USERID_CHANGE (no SET ROLE), and
 * search_path = INTAKE_SEARCH_PATH, the value of the SET clause of submit()
 * and inbox_finish().  On an error the (sub)transaction's abort restores the
 * user id and unwinds the GUC nest level, as after fmgr_security_definer(),
 * so no PG_TRY is needed.  Who runs as whom, and why: src/intake/README.md.
 */
#include "taxshare.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#include "intake/intake.h"

/* The owner of a function: the role SECURITY DEFINER would run it as. */
Oid
intake_function_owner(Oid fn)
{
	HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	Oid       owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fn);
	owner = ((Form_pg_proc) GETSTRUCT(tup))->proowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * Become owner, with search_path pinned, until intake_owner_leave().  With
 * InvalidOid nothing changes: submit() and the inbox statement trigger are
 * SECURITY DEFINER with that search_path already.
 */
void
intake_owner_enter(Oid owner, IntakeOwnerSwitch *s)
{
	s->active = OidIsValid(owner);
	if (!s->active)
		return;
	GetUserIdAndSecContext(&s->saved_user, &s->saved_context);
	SetUserIdAndSecContext(owner, s->saved_context | SECURITY_LOCAL_USERID_CHANGE);
	s->nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", INTAKE_SEARCH_PATH,
							 superuser() ? PGC_SUSET : PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
							 true, 0, false);
}

void
intake_owner_leave(IntakeOwnerSwitch *s)
{
	if (!s->active)
		return;
	AtEOXact_GUC(true, s->nestlevel);
	SetUserIdAndSecContext(s->saved_user, s->saved_context);
}
