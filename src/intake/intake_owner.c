/*
 * intake_owner.c
 *		Run a step of an inbox load as the extension owner, with search_path
 *		pinned: what SECURITY DEFINER ... SET search_path does for a whole
 *		function call, done for the steps of a load that read or write tables.
 *
 * The inbox row trigger (intake_inbox.c) is called once per COPY line; as a
 * SECURITY DEFINER function with a SET clause it saved and restored
 * search_path (a GUC nest level) around every row, some 8 % of a COPY.  It is
 * now a plain C trigger: the per-row work -- reading the row's columns,
 * validating it in memory, building its payload and buffering the record --
 * runs no SQL, reads no table and calls nothing looked up by name, so whose
 * rights it runs under does not matter.  Every step that does run SQL or
 * touches a table is bracketed by intake_owner_enter()/intake_owner_leave():
 * opening the load (the caller check, the catalog item, the submission row,
 * the division list), each write of a chunk of 128 records (the bulk writer's
 * permission and row-level-security test, heap and index writes, CHECK
 * constraints and column defaults, or the prepared INSERT of the SQL path)
 * and finishing the load.  Those steps see exactly what they saw before: the
 * owner as current user, SECURITY_LOCAL_USERID_CHANGE set (no SET ROLE), and
 * search_path = pg_catalog, taxshare, pg_temp (INTAKE_SEARCH_PATH, the value
 * of the SET clause the functions carry).
 *
 * On an error the transaction's (or subtransaction's) abort restores the user
 * id and unwinds the GUC nest level, as it does for fmgr_security_definer(),
 * so no PG_TRY is needed.
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
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	Oid			owner;

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
							 superuser() ? PGC_SUSET : PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

void
intake_owner_leave(IntakeOwnerSwitch *s)
{
	if (!s->active)
		return;
	AtEOXact_GUC(true, s->nestlevel);
	SetUserIdAndSecContext(s->saved_user, s->saved_context);
}
