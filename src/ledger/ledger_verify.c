/*
 * ledger_verify.c
 *		ledger_verify(): walk the chain in seq order and report the first
 *		broken entry (docs/ledger.md "Verifying").
 *
 * For each entry, in this order: the sequence, the link to the previous
 * hash, the entry's own hash recomputed from its fields (ledger_canon.c), the
 * hash of an external digest when one is given, and the entry's subject as
 * the tables hold it now (taxshare._ledger_check(), which recomputes a
 * submission's digest through submission_digest()).  Entries come through a
 * cursor, LEDGER_FETCH at a time, and each is checked in a memory context
 * reset after it; progress shows in pg_stat_activity.  Nothing is changed.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "common/progress.h"
#include "ledger/ledger_internal.h"

/* Entries per cursor fetch. */
#define LEDGER_FETCH 1000

/* Kept for the life of the backend; the plan cache re-plans it on DDL. */
static SPIPlanPtr check_plan = NULL;

typedef struct VerifyResult
{
	int64 verified; /* entries found good, in seq order */
	int64 bad_seq;  /* 0 when none */
	char *problem;  /* in the caller's context; NULL when none */
} VerifyResult;

static void
verify_fail(VerifyResult *r, MemoryContext out, int64 seq, const char *problem)
{
	r->bad_seq = seq;
	r->problem = MemoryContextStrdup(out, problem);
}

/*
 * Check one entry against its predecessor: the sequence, the link, the hash,
 * the external digest, then its subject in the tables.  Returns false and
 * fills r at the first problem.
 */
static bool
verify_entry(HeapTuple tup, TupleDesc desc, LedgerSha *sha, int64 expected_seq,
			 const unsigned char *prev, bool have_external, int64 external_seq,
			 const unsigned char *external_hash, VerifyResult *r, MemoryContext out)
{
	Oid           check_types[3] = {TEXTOID, TEXTOID, BYTEAOID};
	Datum         check_args[3];
	char          check_nulls[3] = "   ";
	bool          isnull;
	bool          at_null;
	Datum         d;
	int64         seq;
	TimestampTz   at;
	const char   *f[6]; /* actor, action, object, digest, prev_hash, hash */
	size_t        flen[6];
	int           c;
	LedgerEntry   e;
	unsigned char hash[LEDGER_HASH_LEN];

	seq = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
	if (seq != expected_seq)
	{
		if (seq > expected_seq)
			verify_fail(r, out, expected_seq,
						psprintf("gap in seq: entry " INT64_FORMAT
								 " is missing (the next entry is " INT64_FORMAT ")",
								 expected_seq, seq));
		else
			verify_fail(r, out, seq,
						psprintf("gap in seq: expected entry " INT64_FORMAT ", found " INT64_FORMAT,
								 expected_seq, seq));
		return false;
	}
	d = SPI_getbinval(tup, desc, 2, &at_null);
	at = at_null ? 0 : DatumGetTimestampTz(d);
	for (c = 0; c < 6; c++)
	{
		d = SPI_getbinval(tup, desc, 3 + c, &isnull);
		f[c] = isnull ? NULL : ledger_varlena_bytes(d, &flen[c]);
		if (isnull)
			flen[c] = 0;
	}

	if (f[4] == NULL || flen[4] != LEDGER_HASH_LEN || memcmp(f[4], prev, LEDGER_HASH_LEN) != 0)
	{
		verify_fail(
			r, out, seq,
			seq == 1 ? "chain broken (prev_hash): the first entry's prev_hash must be 32 zero bytes"
					 : "chain broken (prev_hash): it is not the hash of the previous entry");
		return false;
	}

	memset(&e, 0, sizeof(e));
	e.seq = seq;
	e.at_unix_us = at + LEDGER_UNIX_EPOCH_SHIFT_US;
	e.actor = f[0];
	e.actor_len = flen[0];
	e.action = f[1];
	e.action_len = flen[1];
	e.object = f[2];
	e.object_len = flen[2];
	e.digest = (const unsigned char *) f[3];
	e.digest_len = flen[3];
	e.prev_hash = prev;
	if (!ledger_entry_hash(sha, &e, hash))
		ledger_hash_failed();
	if (at_null || f[5] == NULL || flen[5] != LEDGER_HASH_LEN ||
		memcmp(f[5], hash, LEDGER_HASH_LEN) != 0)
	{
		verify_fail(r, out, seq,
					"hash mismatch: the stored hash is not the hash of the entry's fields");
		return false;
	}

	if (have_external && seq == external_seq && memcmp(f[5], external_hash, LEDGER_HASH_LEN) != 0)
	{
		verify_fail(
			r, out, seq,
			"hash differs from the external digest: the chain up to this entry was rewritten");
		return false;
	}

	/* The subject: does the database still hold what the entry recorded? */
	if (f[1] != NULL && f[2] != NULL)
	{
		SPITupleTable *tt;

		check_args[0] = PointerGetDatum(cstring_to_text_with_len(f[1], flen[1]));
		check_args[1] = PointerGetDatum(cstring_to_text_with_len(f[2], flen[2]));
		if (f[3] != NULL)
		{
			bytea *b = palloc(VARHDRSZ + flen[3]);

			SET_VARSIZE(b, VARHDRSZ + flen[3]);
			memcpy(VARDATA(b), f[3], flen[3]);
			check_args[2] = PointerGetDatum(b);
		}
		else
			check_nulls[2] = 'n';
		ledger_keep_plan(&check_plan, "SELECT taxshare._ledger_check($1, $2, $3)", 3, check_types);
		if (SPI_execute_plan(check_plan, check_args, check_nulls, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "taxshare: checking the subject of ledger entry " INT64_FORMAT " failed",
				 seq);
		tt = SPI_tuptable;
		d = SPI_getbinval(tt->vals[0], tt->tupdesc, 1, &isnull);
		if (!isnull)
		{
			verify_fail(r, out, seq, TextDatumGetCString(d));
			SPI_freetuptable(tt);
			return false;
		}
		SPI_freetuptable(tt);
	}
	return true;
}

PG_FUNCTION_INFO_V1(ledger_verify);

/*
 * ledger_verify(digest_seq bigint, digest_hash text,
 *				 OUT ok boolean, OUT verified bigint, OUT seq bigint, OUT problem text)
 *
 * Walks the whole chain in seq order and stops at the first broken entry;
 * docs/ledger.md lists the problems.  With digest_seq and digest_hash (a
 * digest kept outside the database, from ledger_digest()) it also checks that
 * entry digest_seq still has that hash, which catches a chain rewritten from
 * that point on, and a chain cut short before it.
 */
Datum
ledger_verify(PG_FUNCTION_ARGS)
{
	MemoryContext out = CurrentMemoryContext;
	MemoryContext cxt;
	MemoryContext entrycxt;
	MemoryContext old;
	LedgerSha    *sha;
	TupleDesc     rdesc;
	Datum         rvalues[4];
	bool          rnulls[4] = {false, false, false, false};
	bool          have_external = false;
	int64         external_seq = 0;
	unsigned char external_hash[LEDGER_HASH_LEN];
	unsigned char prev[LEDGER_HASH_LEN];
	VerifyResult  r;
	ProgressState progress;
	int64         total;
	int64         last_seq = 0;
	bool          broken = false;
	bool          isnull;
	Portal        portal;

	if (get_call_result_type(fcinfo, NULL, &rdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "taxshare: ledger_verify must return a composite type");
	rdesc = BlessTupleDesc(rdesc);

	if (PG_ARGISNULL(0) != PG_ARGISNULL(1))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("digest_seq and digest_hash go together"),
						errhint("Give both, as ledger_digest() returned them, or neither.")));
	if (!PG_ARGISNULL(0))
	{
		char *hex = text_to_cstring(PG_GETARG_TEXT_PP(1));

		have_external = true;
		external_seq = PG_GETARG_INT64(0);
		if (!ledger_parse_hex_hash(hex, external_hash))
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid digest hash \"%s\"", hex),
				 errhint("Give the 64 hexadecimal digits of the hash column of ledger_digest().")));
		if (external_seq < 1)
			ereport(
				ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid digest seq " INT64_FORMAT, external_seq),
				 errhint("Give the seq column of ledger_digest(); entries are numbered from 1.")));
	}

	cxt =
		AllocSetContextCreate(CurrentMemoryContext, "taxshare ledger verify", ALLOCSET_SMALL_SIZES);
	entrycxt = AllocSetContextCreate(cxt, "taxshare ledger verify entry", ALLOCSET_DEFAULT_SIZES);
	sha = ledger_sha_in(cxt);
	memset(&r, 0, sizeof(r));
	memset(prev, 0, sizeof(prev));

	SPI_connect();
	if (SPI_execute("SELECT count(*) FROM taxshare.ledger", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: counting the ledger failed");
	total = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	progress_begin(&progress, "ledger_verify", "entries", total);

	portal =
		SPI_cursor_open_with_args(NULL,
								  "SELECT seq, at, actor, action, object, digest, prev_hash, hash"
								  " FROM taxshare.ledger ORDER BY seq",
								  0, NULL, NULL, NULL, true, 0);
	while (!broken)
	{
		SPITupleTable *tt;
		uint64         n, i;

		SPI_cursor_fetch(portal, true, LEDGER_FETCH);
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (i = 0; i < n && !broken; i++)
		{
			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(entrycxt);
			if (verify_entry(tt->vals[i], tt->tupdesc, sha, last_seq + 1, prev, have_external,
							 external_seq, external_hash, &r, out))
			{
				size_t len;
				Datum  h = SPI_getbinval(tt->vals[i], tt->tupdesc, 8, &isnull);

				memcpy(prev, ledger_varlena_bytes(h, &len), LEDGER_HASH_LEN);
				last_seq++;
				r.verified++;
				progress_update(&progress, r.verified);
			}
			else
				broken = true;
			MemoryContextSwitchTo(old);
			MemoryContextReset(entrycxt);
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	progress_end(&progress);

	if (!broken && have_external && external_seq > last_seq)
	{
		verify_fail(
			&r, out, external_seq,
			psprintf("entry " INT64_FORMAT
					 " of the external digest is missing: the ledger ends at entry " INT64_FORMAT,
					 external_seq, last_seq));
		broken = true;
	}
	MemoryContextDelete(cxt);

	rvalues[0] = BoolGetDatum(!broken);
	rvalues[1] = Int64GetDatum(r.verified);
	rvalues[2] = Int64GetDatum(r.bad_seq);
	rnulls[2] = !broken;
	rvalues[3] = broken ? CStringGetTextDatum(r.problem) : (Datum) 0;
	rnulls[3] = !broken;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rdesc, rvalues, rnulls)));
}
