/*
 * ledger_canon.c
 *		The serialization of a chain entry and the fixed head of a record's
 *		leaf (docs/ledger.md, byte by byte); the canonical JSON writers are the
 *		inline functions of ledger_canon.h.
 *
 * Pure core (no server headers), unit-tested against bytes laid out by hand
 * and against fixed digests.  The encoding is frozen: every stored entry
 * hash and submission digest depends on it (ledger_canon.h).
 */
#include "ledger/ledger_canon.h"

/* Big-endian fixed-width integers. */
static bool
add_u64(LedgerSha *sha, uint64_t v)
{
	unsigned char b[8];
	int           i;

	for (i = 7; i >= 0; i--)
	{
		b[i] = (unsigned char) (v & 0xFF);
		v >>= 8;
	}
	return ledger_put(sha, b, 8);
}

static bool
add_u32(LedgerSha *sha, uint32_t v)
{
	unsigned char b[4];

	ledger_store_u32(b, v);
	return ledger_put(sha, b, 4);
}

/*
 * A variable-length field: a 4-byte big-endian length and the bytes, or the
 * length word 0xFFFFFFFF alone for NULL.  Lengths of 2^32 - 1 or more cannot
 * be written unambiguously and fail (PostgreSQL values stop at 1 GB anyway).
 */
static bool
add_field(LedgerSha *sha, const void *data, size_t len)
{
	if (data == NULL)
		return add_u32(sha, LEDGER_NULL_LEN);
	return ledger_put_bytes(sha, data, len);
}

bool
ledger_entry_hash(LedgerSha *sha, const LedgerEntry *e, unsigned char out[LEDGER_HASH_LEN])
{
	return ledger_hash_begin(sha) && ledger_put(sha, LEDGER_ENTRY_MAGIC, 4) &&
		   add_u64(sha, (uint64_t) e->seq) && add_u64(sha, (uint64_t) e->at_unix_us) &&
		   add_field(sha, e->actor, e->actor_len) && add_field(sha, e->action, e->action_len) &&
		   add_field(sha, e->object, e->object_len) && add_field(sha, e->digest, e->digest_len) &&
		   add_field(sha, e->prev_hash, e->prev_hash ? LEDGER_HASH_LEN : 0) &&
		   ledger_hash_end(sha, out);
}

bool
ledger_record_leaf_begin(LedgerSha *sha, int64_t id, int32_t row_no, const char *status,
						 size_t status_len)
{
	unsigned char prefix = LEDGER_LEAF_PREFIX;

	return ledger_hash_begin(sha) && ledger_put(sha, &prefix, 1) && add_u64(sha, (uint64_t) id) &&
		   add_u32(sha, (uint32_t) row_no) && add_field(sha, status, status_len);
}
