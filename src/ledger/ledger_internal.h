/*
 * ledger_internal.h
 *		What the ledger's server files share (ledger_fmgr.c, ledger_verify.c,
 *		ledger_canon_jsonb.c): kept SPI plans, a SHA-256 hasher tied to a
 *		memory context, the record leaf read from jsonb, and the epoch shift
 *		of an entry's time.  Not for other modules: theirs is ledger_fmgr.h.
 */
#ifndef TAXSHARE_LEDGER_INTERNAL_H
#define TAXSHARE_LEDGER_INTERNAL_H

#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/jsonb.h"

#include "ledger/ledger_canon.h"

/* TimestampTz counts from 2000-01-01; the serialized entry counts from 1970-01-01. */
#define LEDGER_UNIX_EPOCH_SHIFT_US \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/*
 * The plan in *slot, prepared and kept for the life of the backend on first
 * use; the plan cache re-plans it when the tables change.
 */
extern SPIPlanPtr ledger_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types);

/*
 * A SHA-256 hasher freed with cxt (also when an error resets it): OpenSSL's
 * contexts live outside palloc.
 */
extern LedgerSha *ledger_sha_in(MemoryContext cxt);

/* OpenSSL failed while hashing (it reports no more than that). */
extern void ledger_hash_failed(void) pg_attribute_noreturn();

/* The bytes of a text or bytea Datum (detoasted in the current context). */
static inline const char *
ledger_varlena_bytes(Datum d, size_t *len)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);

	*len = VARSIZE_ANY_EXHDR(v);
	return VARDATA_ANY(v);
}

/*
 * The leaf hash of one record from its columns (ledger_canon_jsonb.c);
 * payload and raw may be NULL (SQL NULL).
 */
extern bool ledger_record_leaf(LedgerSha *sha, int64 id, int32 row_no, const char *status,
							   size_t slen, Jsonb *payload, Jsonb *raw,
							   unsigned char leaf[LEDGER_HASH_LEN]);

#endif /* TAXSHARE_LEDGER_INTERNAL_H */
