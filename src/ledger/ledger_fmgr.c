/*
 * ledger_fmgr.c
 *		SQL glue of the tamper-evident ledger (docs/ledger.md): ledger_append()
 *		adds the next entry of the hash chain, submission_digest() is the
 *		Merkle root over a submission's records, a load's running digest
 *		(ledger_fmgr.h, for the intake) offers its root to submission_digest(),
 *		and _ledger_restoring() tells the hooks apart from a restore.
 *		ledger_verify() is in ledger_verify.c.
 *
 * Every hashed byte is written by the pure core (ledger.c, ledger_canon.c);
 * a record's jsonb values are read in ledger_canon_jsonb.c.  The helpers the
 * server files share (ledger_internal.h) are defined here.  OpenSSL's
 * contexts live outside palloc, so each one is tied to a memory context by a
 * reset callback and is freed even when an error unwinds the call.  No GUCs,
 * no caches: the kept SPI plans are re-planned by the plan cache when the
 * tables change.
 */
#include "taxshare.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "storage/lmgr.h"
#include "tcop/pquery.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "ledger/ledger_fmgr.h"
#include "ledger/ledger_internal.h"

/* Plans kept for the life of the backend; the plan cache re-plans them on DDL. */
static SPIPlanPtr head_plan = NULL;
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr exists_plan = NULL;

SPIPlanPtr
ledger_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr plan;

	if (*slot)
		return *slot;
	plan = SPI_prepare(sql, nargs, types);
	if (plan == NULL)
		elog(ERROR, "taxshare: preparing \"%s\" failed: %s", sql,
			 SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	*slot = plan;
	return plan;
}

static void
sha_release(void *arg)
{
	ledger_sha_free((LedgerSha *) arg);
}

LedgerSha *
ledger_sha_in(MemoryContext cxt)
{
	LedgerSha             *sha = MemoryContextAllocZero(cxt, sizeof(LedgerSha));
	MemoryContextCallback *cb = MemoryContextAllocZero(cxt, sizeof(MemoryContextCallback));

	if (!ledger_sha_init(sha))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
						errdetail("OpenSSL could not allocate a SHA-256 context.")));
	cb->func = sha_release;
	cb->arg = sha;
	MemoryContextRegisterResetCallback(cxt, cb);
	return sha;
}

void
ledger_hash_failed(void)
{
	elog(ERROR, "taxshare: SHA-256 computation failed in OpenSSL");
}

static bytea *
hash_bytea(const unsigned char *h)
{
	bytea *b = palloc(VARHDRSZ + LEDGER_HASH_LEN);

	SET_VARSIZE(b, VARHDRSZ + LEDGER_HASH_LEN);
	memcpy(VARDATA(b), h, LEDGER_HASH_LEN);
	return b;
}

static Oid
ledger_relid(void)
{
	Oid nsp = get_namespace_oid("taxshare", false);
	Oid rel = get_relname_relid("ledger", nsp);

	if (!OidIsValid(rel))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
						errmsg("relation \"taxshare.ledger\" does not exist"),
						errhint("Update the extension: ALTER EXTENSION taxshare UPDATE.")));
	return rel;
}

/* ---------------------------------------------------------------- append */

PG_FUNCTION_INFO_V1(ledger_append);

/*
 * ledger_append(action text, object text, digest bytea) returns bigint
 *
 * Appends are serialised by a ShareRowExclusiveLock on the ledger, held to
 * the end of the transaction (it conflicts with itself, not with readers).
 * The head is read after taking it with a fresh snapshot, as the foreign-key
 * checks do, so it is the real head at any isolation level (the transaction
 * snapshot of REPEATABLE READ would miss appends committed since it was
 * taken), and two transactions never chain onto the same entry.
 */
Datum
ledger_append(PG_FUNCTION_ARGS)
{
	Oid           head_types[1];
	Oid           insert_types[8] = {INT8OID, TIMESTAMPTZOID, TEXTOID,  TEXTOID,
									 TEXTOID, BYTEAOID,       BYTEAOID, BYTEAOID};
	Datum         values[8];
	char          nulls[8] = "        ";
	unsigned char prev[LEDGER_HASH_LEN];
	unsigned char hash[LEDGER_HASH_LEN];
	text         *action;
	text         *object;
	bytea        *digest = NULL;
	char         *actor;
	LedgerEntry   e;
	LedgerSha    *sha;
	MemoryContext cxt;
	TimestampTz   at;
	int64         seq = 1;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("the action and the object of a ledger entry must not be null"),
						errhint("Call taxshare.ledger_append(action, object, digest); only the "
								"digest may be null.")));
	action = PG_GETARG_TEXT_PP(0);
	object = PG_GETARG_TEXT_PP(1);
	if (VARSIZE_ANY_EXHDR(action) == 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("the action of a ledger entry must not be empty"),
						errhint("Name what happened, e.g. 'submission' or 'catalog_define'.")));
	if (!PG_ARGISNULL(2))
		digest = PG_GETARG_BYTEA_PP(2);

	cxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare ledger append", ALLOCSET_SMALL_SIZES);
	sha = ledger_sha_in(cxt);

	LockRelationOid(ledger_relid(), ShareRowExclusiveLock);

	SPI_connect();
	ledger_keep_plan(&head_plan, "SELECT seq, hash FROM taxshare.ledger ORDER BY seq DESC LIMIT 1",
					 0, head_types);
	/* A fresh snapshot: under REPEATABLE READ the transaction's own is too old. */
	if (SPI_execute_snapshot(head_plan, NULL, NULL, GetLatestSnapshot(), InvalidSnapshot, false,
							 false, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the ledger head failed");
	memset(prev, 0, sizeof(prev));
	if (SPI_processed > 0)
	{
		bool        isnull;
		Datum       d;
		size_t      len = 0;
		const char *h = NULL;

		seq =
			DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) +
			1;
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		if (!isnull)
			h = ledger_varlena_bytes(d, &len);
		if (h == NULL || len != LEDGER_HASH_LEN)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the ledger head (entry " INT64_FORMAT ") has no valid hash", seq - 1),
					 errhint("Run SELECT * FROM taxshare.ledger_verify() and restore the ledger "
							 "from a backup.")));
		memcpy(prev, h, LEDGER_HASH_LEN);
	}

	at = GetCurrentTimestamp();
	actor = GetUserNameFromId(GetSessionUserId(), false);

	memset(&e, 0, sizeof(e));
	e.seq = seq;
	e.at_unix_us = at + LEDGER_UNIX_EPOCH_SHIFT_US;
	e.actor = actor;
	e.actor_len = strlen(actor);
	e.action = VARDATA_ANY(action);
	e.action_len = VARSIZE_ANY_EXHDR(action);
	e.object = VARDATA_ANY(object);
	e.object_len = VARSIZE_ANY_EXHDR(object);
	if (digest)
	{
		e.digest = (const unsigned char *) VARDATA_ANY(digest);
		e.digest_len = VARSIZE_ANY_EXHDR(digest);
	}
	e.prev_hash = prev;
	if (!ledger_entry_hash(sha, &e, hash))
		ledger_hash_failed();

	values[0] = Int64GetDatum(seq);
	values[1] = TimestampTzGetDatum(at);
	values[2] = CStringGetTextDatum(actor);
	values[3] = PointerGetDatum(action);
	values[4] = PointerGetDatum(object);
	values[5] = PointerGetDatum(digest);
	if (digest == NULL)
		nulls[5] = 'n';
	values[6] = PointerGetDatum(hash_bytea(prev));
	values[7] = PointerGetDatum(hash_bytea(hash));
	ledger_keep_plan(
		&insert_plan,
		"INSERT INTO taxshare.ledger (seq, at, actor, action, object, digest, prev_hash, hash)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		8, insert_types);
	if (SPI_execute_plan(insert_plan, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "taxshare: inserting the ledger entry failed");
	SPI_finish();
	MemoryContextDelete(cxt);
	PG_RETURN_INT64(seq);
}

/* ------------------------------------------------- digest while writing */

struct LedgerRunningDigest
{
	int64        submission_id;
	LedgerSha   *sha;
	LedgerMerkle m;
};

/*
 * The root on offer to submission_digest(): set by the intake only around the
 * statement that finishes the submission (and its ledger hook), so a digest
 * asked for at any other time, ledger_verify() included, reads the table.
 */
static bool          offered = false;
static int64         offered_submission;
static unsigned char offered_root[LEDGER_HASH_LEN];

LedgerRunningDigest *
ledger_running_begin(MemoryContext cxt, int64 submission_id)
{
	LedgerRunningDigest *d = MemoryContextAllocZero(cxt, sizeof(LedgerRunningDigest));

	d->submission_id = submission_id;
	d->sha = ledger_sha_in(cxt);
	ledger_merkle_init(&d->m, d->sha);
	return d;
}

void
ledger_running_add(LedgerRunningDigest *d, int64 id, int32 row_no, bool accepted, Jsonb *payload,
				   Jsonb *raw)
{
	unsigned char leaf[LEDGER_HASH_LEN];
	const char   *status = accepted ? "accepted" : "rejected";

	if (!ledger_record_leaf(d->sha, id, row_no, status, strlen(status), payload, raw, leaf) ||
		!ledger_merkle_add_leaf_hash(&d->m, leaf))
		ledger_hash_failed();
}

void
ledger_running_offer(LedgerRunningDigest *d)
{
	if (!ledger_merkle_root(&d->m, offered_root))
		ledger_hash_failed();
	offered_submission = d->submission_id;
	offered = true;
}

void
ledger_running_withdraw(void)
{
	offered = false;
}

/* ------------------------------------------------------ submission digest */

/* The column number of taxshare.record's column name, or an error. */
static AttrNumber
record_attnum(Oid relid, const char *name)
{
	AttrNumber a = get_attnum(relid, name);

	if (a == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"taxshare.record\" does not exist", name),
				 errhint("Update the extension: ALTER EXTENSION taxshare UPDATE.")));
	return a;
}

PG_FUNCTION_INFO_V1(submission_digest);

/*
 * submission_digest(submission_id bigint) returns bytea
 *
 * The Merkle root (RFC 6962) over the submission's records in row order, one
 * leaf per record.  Record ids are submission_id * 2^32 + row_no (a CHECK on
 * taxshare.record), so the records of a submission are one range of the
 * primary key: an index scan reads them in row order without a sort and
 * without copying a tuple, and the builder keeps one hash per tree level, so
 * a batch of any size is digested in constant memory.  Reading the table
 * directly skips the executor's permission checks, so they are made here: the
 * caller needs SELECT on taxshare.record and must not be under row-level
 * security (a digest over the rows one may see would be a wrong digest).
 */
Datum
submission_digest(PG_FUNCTION_ARGS)
{
	int64           sid = PG_GETARG_INT64(0);
	Oid             types[1] = {INT8OID};
	Datum           args[1];
	MemoryContext   cxt;
	MemoryContext   rowcxt;
	MemoryContext   old;
	LedgerSha      *sha;
	LedgerMerkle    m;
	unsigned char   root[LEDGER_HASH_LEN];
	bool            found;
	bytea          *result;
	Oid             relid;
	Oid             pkid;
	Relation        rel;
	Relation        idx;
	AttrNumber      a_id, a_sub, a_row, a_status, a_payload, a_raw;
	ScanKeyData     keys[2];
	IndexScanDesc   scan;
	TupleTableSlot *slot;
	AclResult       acl;
	int64           n = 0;

	if (sid < 0 || sid >= (INT64CONST(1) << 31) - 1)
		ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						errmsg("submission id " INT64_FORMAT " is out of range", sid),
						errhint("Give the id of a row of taxshare.submission.")));

	args[0] = Int64GetDatum(sid);
	SPI_connect();
	ledger_keep_plan(&exists_plan, "SELECT 1 FROM taxshare.submission WHERE id = $1", 1, types);
	if (SPI_execute_plan(exists_plan, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the submission failed");
	found = SPI_processed > 0;
	SPI_finish();
	if (!found)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown submission " INT64_FORMAT, sid),
						errhint("Give the id of a row of taxshare.submission.")));

	relid = get_relname_relid("record", get_namespace_oid("taxshare", false));
	if (!OidIsValid(relid))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
						errmsg("relation \"taxshare.record\" does not exist"),
						errhint("Update the extension: ALTER EXTENSION taxshare UPDATE.")));
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, "record");
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						errmsg("submission_digest() must read every record, and row-level security "
							   "limits what %s may read",
							   GetUserNameFromId(GetUserId(), false)),
						errhint("Verify through taxshare.ledger_verify(), which reads as the "
								"extension's owner.")));

	/* The intake's own digest of the records it has just written. */
	if (offered && offered_submission == sid)
		PG_RETURN_BYTEA_P(hash_bytea(offered_root));

	a_id = record_attnum(relid, "id");
	a_sub = record_attnum(relid, "submission_id");
	a_row = record_attnum(relid, "row_no");
	a_status = record_attnum(relid, "status");
	a_payload = record_attnum(relid, "payload");
	a_raw = record_attnum(relid, "raw");

	rel = table_open(relid, AccessShareLock);
	pkid = RelationGetPrimaryKeyIndex(rel);
	if (!OidIsValid(pkid))
		elog(ERROR, "taxshare: taxshare.record has no primary key");
	idx = index_open(pkid, AccessShareLock);
	if (idx->rd_index->indnkeyatts != 1 || idx->rd_index->indkey.values[0] != a_id ||
		idx->rd_rel->relam != BTREE_AM_OID)
		elog(ERROR, "taxshare: the primary key of taxshare.record is not a b-tree on id");

	cxt = AllocSetContextCreate(CurrentMemoryContext, "taxshare submission digest",
								ALLOCSET_SMALL_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "taxshare submission digest row", ALLOCSET_DEFAULT_SIZES);
	sha = ledger_sha_in(cxt);
	ledger_merkle_init(&m, sha);

	ScanKeyInit(&keys[0], 1, BTGreaterEqualStrategyNumber, F_INT8GE, Int64GetDatum(sid << 32));
	ScanKeyInit(&keys[1], 1, BTLessStrategyNumber, F_INT8LT, Int64GetDatum((sid + 1) << 32));
	scan = index_beginscan(rel, idx, GetActiveSnapshot(), 2, 0);
	index_rescan(scan, keys, 2, NULL, 0);
	slot = table_slot_create(rel, NULL);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool          isnull;
		int64         id;
		int32         row_no;
		size_t        slen = 0;
		const char   *status = NULL;
		Datum         d;
		unsigned char leaf[LEDGER_HASH_LEN];
		Jsonb        *payload;
		Jsonb        *raw;

		if ((++n & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		d = slot_getattr(slot, a_sub, &isnull);
		if (isnull || DatumGetInt64(d) != sid)
			continue;
		old = MemoryContextSwitchTo(rowcxt);
		id = DatumGetInt64(slot_getattr(slot, a_id, &isnull));
		row_no = DatumGetInt32(slot_getattr(slot, a_row, &isnull));
		d = slot_getattr(slot, a_status, &isnull);
		if (!isnull)
			status = ledger_varlena_bytes(d, &slen);
		d = slot_getattr(slot, a_payload, &isnull);
		payload = isnull ? NULL : DatumGetJsonbP(d);
		d = slot_getattr(slot, a_raw, &isnull);
		raw = isnull ? NULL : DatumGetJsonbP(d);
		if (!ledger_record_leaf(sha, id, row_no, status, slen, payload, raw, leaf) ||
			!ledger_merkle_add_leaf_hash(&m, leaf))
			ledger_hash_failed();
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);

	if (!ledger_merkle_root(&m, root))
		ledger_hash_failed();
	MemoryContextDelete(cxt);
	result = hash_bytea(root);
	PG_RETURN_BYTEA_P(result);
}

/* --------------------------------------------------------------- restore */

PG_FUNCTION_INFO_V1(ledger_restoring);

/*
 * _ledger_restoring(relid oid) returns boolean
 *
 * True when the statement being run is a top-level COPY FROM into that very
 * table, which is how pg_restore and psql load a dump.  The hooks on INSERT
 * then add no entries: the restored rows come with the restored ledger, whose
 * entries already record them (appending again would also collide with the
 * ledger's own rows).  Every taxshare operation (catalog_define(),
 * objection_file(), ...) inserts through SQL functions and is recorded.
 */
Datum
ledger_restoring(PG_FUNCTION_ARGS)
{
	Oid       relid = PG_GETARG_OID(0);
	Portal    portal = ActivePortal;
	ListCell *lc;

	if (portal == NULL || portal->commandTag != CMDTAG_COPY)
		PG_RETURN_BOOL(false);
	foreach (lc, portal->stmts)
	{
		PlannedStmt *ps = lfirst_node(PlannedStmt, lc);

		if (ps->commandType == CMD_UTILITY && ps->utilityStmt != NULL &&
			IsA(ps->utilityStmt, CopyStmt))
		{
			CopyStmt *cs = (CopyStmt *) ps->utilityStmt;

			if (cs->is_from && cs->relation != NULL &&
				RangeVarGetRelid(cs->relation, NoLock, true) == relid)
				PG_RETURN_BOOL(true);
		}
	}
	PG_RETURN_BOOL(false);
}
