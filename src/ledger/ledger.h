/*
 * ledger.h
 *		SHA-256 and RFC 6962 Merkle trees for the tamper-evident ledger: a
 *		reusable hasher that takes the canonical bytes in small writes, leaf and
 *		node hashes, the Merkle root over a submission's record leaves, and the
 *		hex form of a hash.
 *
 * Pure core: plain C types and OpenSSL's EVP interface, no server headers, so
 * that the unit tests, the fuzzers and the server glue use the same code.
 * What is fed to the hasher (the entry serialization, a record's leaf bytes)
 * is ledger_canon.h; the tree's shape and its 0x00 / 0x01 prefixes are part
 * of the same frozen contract (docs/ledger.md "The submission digest").
 * Every function returns false only when OpenSSL fails (out of memory).
 */
#ifndef TAXSHARE_LEDGER_H
#define TAXSHARE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LEDGER_HASH_LEN 32 /* SHA-256 */
#define LEDGER_HEX_LEN  (2 * LEDGER_HASH_LEN)

/*
 * A SHA-256 hasher that is set up once and reused for every hash, so that
 * hashing a million records allocates nothing per record.  The EVP objects
 * are OpenSSL's; small writes (tags, lengths, short strings) are gathered in
 * buf and handed to OpenSSL in one call.
 */
#define LEDGER_SHA_BUF 512

typedef struct LedgerSha
{
	struct evp_md_ctx_st *ctx;
	struct evp_md_st     *md;      /* fetched once (OpenSSL 3), else EVP_sha256() */
	bool                  fetched; /* md is ours to free */
	bool                  primed;  /* ctx holds md: re-initialise without a type */
	size_t                used;    /* bytes waiting in buf */
	unsigned char         buf[LEDGER_SHA_BUF];
} LedgerSha;

extern bool ledger_sha_init(LedgerSha *sha);
extern void ledger_sha_free(LedgerSha *sha);
extern bool ledger_sha256(LedgerSha *sha, const void *data, size_t len,
						  unsigned char out[LEDGER_HASH_LEN]);

/*
 * One hash written piece by piece: ledger_hash_begin(), any number of
 * ledger_put() (or the canonical writers of ledger_canon.h), ledger_hash_end().
 */
extern bool ledger_hash_begin(LedgerSha *sha);
extern bool ledger_hash_end(LedgerSha *sha, unsigned char out[LEDGER_HASH_LEN]);

/*
 * The writers run a few dozen times per record, so their fast path is
 * inline: bytes go to the gathering buffer, and only a full buffer or a long
 * string calls into ledger.c.
 */
extern bool ledger_put_slow(LedgerSha *sha, const void *data, size_t len);

static inline bool
ledger_put(LedgerSha *sha, const void *data, size_t len)
{
	size_t used = sha->used;

	if (used <= LEDGER_SHA_BUF && len <= LEDGER_SHA_BUF - used)
	{
		if (len > 0)
			memcpy(&sha->buf[used], data, len);
		sha->used = used + len;
		return true;
	}
	return ledger_put_slow(sha, data, len);
}

/*
 * Room for n more bytes in the gathering buffer, or NULL (then the caller
 * takes the general path through ledger_put()).  The caller that writes into
 * the room adds n to sha->used.
 */
static inline unsigned char *
ledger_room(LedgerSha *sha, size_t n)
{
	size_t used = sha->used;

	if (used <= LEDGER_SHA_BUF && n <= LEDGER_SHA_BUF - used)
		return &sha->buf[used];
	return NULL;
}

/* RFC 6962 section 2.1 domain separation: the first byte of a leaf or a node. */
#define LEDGER_LEAF_PREFIX 0x00
#define LEDGER_NODE_PREFIX 0x01

/* RFC 6962 leaf and interior node hashes. */
extern bool ledger_leaf_hash(LedgerSha *sha, const void *data, size_t len,
							 unsigned char out[LEDGER_HASH_LEN]);
extern bool ledger_node_hash(LedgerSha *sha, const unsigned char left[LEDGER_HASH_LEN],
							 const unsigned char right[LEDGER_HASH_LEN],
							 unsigned char       out[LEDGER_HASH_LEN]);

/*
 * Incremental Merkle tree (RFC 6962 shape): leaves are added one by one and
 * only one pending subtree per height is kept, so the state is fixed-size
 * whatever the number of leaves (up to 2^64 - 1).
 */
#define LEDGER_MERKLE_MAX_DEPTH 64

typedef struct LedgerMerkle
{
	LedgerSha    *sha;
	uint64_t      count;    /* leaves added */
	int           npending; /* subtrees on the stack */
	unsigned char pending[LEDGER_MERKLE_MAX_DEPTH][LEDGER_HASH_LEN];
	unsigned char height[LEDGER_MERKLE_MAX_DEPTH]; /* log2 of each subtree's leaves */
} LedgerMerkle;

extern void ledger_merkle_init(LedgerMerkle *m, LedgerSha *sha);
extern bool ledger_merkle_add_leaf_hash(LedgerMerkle *m, const unsigned char leaf[LEDGER_HASH_LEN]);
extern bool ledger_merkle_add_leaf(LedgerMerkle *m, const void *data, size_t len);

/* The root of the leaves added so far (the builder may go on afterwards). */
extern bool ledger_merkle_root(const LedgerMerkle *m, unsigned char out[LEDGER_HASH_LEN]);

/*
 * The same root from an array of n leaf hashes, reduced level by level in
 * the caller's scratch array (n entries, overwritten).  Kept beside the
 * incremental builder as its cross-check.
 */
extern bool ledger_merkle_root_batch(LedgerSha *sha, unsigned char (*scratch)[LEDGER_HASH_LEN],
									 size_t n, unsigned char out[LEDGER_HASH_LEN]);

/* Lower-case hex of len bytes; out needs 2 * len + 1 bytes. */
extern void ledger_hex(const unsigned char *bytes, size_t len, char *out);

/*
 * The 64 hex digits of a hash (either case, optionally after a leading \x as
 * bytea's output writes it) into out; false for anything else.
 */
extern bool ledger_parse_hex_hash(const char *s, unsigned char out[LEDGER_HASH_LEN]);

#endif /* TAXSHARE_LEDGER_H */
