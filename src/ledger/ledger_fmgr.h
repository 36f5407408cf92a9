/*
 * ledger_fmgr.h
 *		The submission digest computed while a load writes its records.
 *
 * submission_digest() reads a submission's records back to hash them; the
 * intake already holds every record it writes, in row order, so it hashes
 * each one as it buffers it (the same leaf bytes, through the same code) and
 * offers the Merkle root for the one statement that finishes the submission,
 * whose ledger hook then takes it instead of reading the records again.
 */
#ifndef TAXSHARE_LEDGER_FMGR_H
#define TAXSHARE_LEDGER_FMGR_H

#include "utils/jsonb.h"

typedef struct LedgerRunningDigest LedgerRunningDigest;

/* A running digest of a submission's records, freed with cxt. */
extern LedgerRunningDigest *ledger_running_begin(MemoryContext cxt, int64 submission_id);

/* The next record, in row order (as taxshare.record will hold it). */
extern void ledger_running_add(LedgerRunningDigest *d, int64 id, int32 row_no, bool accepted,
							   Jsonb *payload, Jsonb *raw);

/*
 * Offer the root to submission_digest() of this submission until
 * ledger_running_withdraw(); call both around the one statement whose ledger
 * hook needs it, and withdraw also on error.
 */
extern void ledger_running_offer(LedgerRunningDigest *d);
extern void ledger_running_withdraw(void);

#endif /* TAXSHARE_LEDGER_FMGR_H */
