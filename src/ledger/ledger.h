/*
 * ledger.h
 *		The hashes of the tamper-evident ledger: entry hashes of the chain and
 *		Merkle roots over a submission's records (docs/ledger.md).
 *
 * Pure core: plain C types and OpenSSL's EVP interface, no server headers, so
 * that the unit tests and any outside verifier can use the same code.  Every
 * function returns false only when OpenSSL fails (out of memory); the byte
 * layouts they hash are documented in docs/ledger.md, byte by byte.
 */
#ifndef TAXSHARE_LEDGER_H
#define TAXSHARE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LEDGER_HASH_LEN 32		/* SHA-256 */
#define LEDGER_HEX_LEN (2 * LEDGER_HASH_LEN)

/* First four bytes of every serialized entry: format version 1. */
#define LEDGER_ENTRY_MAGIC "TSL1"

/* The length word of an absent (SQL NULL) variable-length field. */
#define LEDGER_NULL_LEN 0xFFFFFFFFu

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
	struct evp_md_st *md;		/* fetched once (OpenSSL 3), else EVP_sha256() */
	bool		fetched;		/* md is ours to free */
	bool		primed;			/* ctx holds md: re-initialise without a type */
	size_t		used;			/* bytes waiting in buf */
	unsigned char buf[LEDGER_SHA_BUF];
} LedgerSha;

extern bool ledger_sha_init(LedgerSha *sha);
extern void ledger_sha_free(LedgerSha *sha);
extern bool ledger_sha256(LedgerSha *sha, const void *data, size_t len,
						  unsigned char out[LEDGER_HASH_LEN]);

/*
 * One entry of the chain.  Strings are UTF-8 bytes with explicit lengths;
 * digest == NULL is an absent digest (distinct from an empty one).
 * at_unix_us is the entry's time in microseconds since 1970-01-01 00:00 UTC.
 */
typedef struct LedgerEntry
{
	int64_t		seq;
	int64_t		at_unix_us;
	const char *actor;
	size_t		actor_len;
	const char *action;
	size_t		action_len;
	const char *object;
	size_t		object_len;
	const unsigned char *digest;
	size_t		digest_len;
	const unsigned char *prev_hash; /* LEDGER_HASH_LEN bytes */
} LedgerEntry;

/* hash = SHA-256 of the entry's serialization (docs/ledger.md "Entry hash"). */
extern bool ledger_entry_hash(LedgerSha *sha, const LedgerEntry *e,
							  unsigned char out[LEDGER_HASH_LEN]);

/*
 * The leaf hash of one record, streamed (docs/ledger.md "Submission digest"):
 *
 *   ledger_record_leaf_begin()	0x00 || id || row_no || status
 *   ledger_cj_absent() or ledger_cj_present() + the payload's values
 *   ledger_cj_absent() or ledger_cj_present() + the raw row's values
 *   ledger_hash_end()
 *
 * A JSON value is written in canonical form ("CJ"): a tag byte, then for a
 * string its length and UTF-8 bytes, for a number its length and its
 * PostgreSQL binary form (numeric_send), for an array or object its element
 * or pair count followed by the elements or by key, value, key, value ...
 * with the keys in jsonb order (shorter first, then bytewise).  Counts and
 * lengths make the stream self-delimiting, so no outer length is needed and
 * nothing is buffered.
 */
#define LEDGER_CJ_OBJECT 'o'
#define LEDGER_CJ_ARRAY 'a'
#define LEDGER_CJ_STRING 's'
#define LEDGER_CJ_NUMBER 'n'
#define LEDGER_CJ_TRUE 't'
#define LEDGER_CJ_FALSE 'f'
#define LEDGER_CJ_NULL 'z'

extern bool ledger_record_leaf_begin(LedgerSha *sha, int64_t id, int32_t row_no,
									 const char *status, size_t status_len);
extern bool ledger_hash_end(LedgerSha *sha, unsigned char out[LEDGER_HASH_LEN]);

/*
 * The writers below run a few dozen times per record, so their fast path is
 * inline: bytes go to the gathering buffer, and only a full buffer or a long
 * string calls into ledger.c.
 */
extern bool ledger_put_slow(LedgerSha *sha, const void *data, size_t len);

static inline bool
ledger_put(LedgerSha *sha, const void *data, size_t len)
{
	size_t		used = sha->used;

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
 * takes the general path through ledger_put()).
 */
static inline unsigned char *
ledger_room(LedgerSha *sha, size_t n)
{
	size_t		used = sha->used;

	if (used <= LEDGER_SHA_BUF && n <= LEDGER_SHA_BUF - used)
		return &sha->buf[used];
	return NULL;
}

static inline void
ledger_store_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

/* A tag byte, then optionally a big-endian 32-bit count or length. */
static inline bool
ledger_put_tag(LedgerSha *sha, unsigned char tag, bool with_u32, uint32_t v)
{
	unsigned char b[5];
	unsigned char *p = ledger_room(sha, 5);

	if (p)
	{
		p[0] = tag;
		ledger_store_u32(p + 1, v);
		sha->used += with_u32 ? 5 : 1;
		return true;
	}
	b[0] = tag;
	ledger_store_u32(b + 1, v);
	return ledger_put(sha, b, with_u32 ? 5 : 1);
}

/*
 * Optionally a tag byte, then a length word and the bytes (lengths of
 * 2^32 - 1 and more are refused).  Short strings, the common case, take one
 * bounds check and one copy.
 */
static inline bool
ledger_put_tagged_bytes(LedgerSha *sha, int tag, const void *data, size_t len)
{
	unsigned char b[5];
	size_t		h = tag >= 0 ? 1 : 0;
	unsigned char *p;

	if (len >= (size_t) LEDGER_NULL_LEN)
		return false;
	p = ledger_room(sha, h + 4 + len);
	if (p)
	{
		if (tag >= 0)
			p[0] = (unsigned char) tag;
		ledger_store_u32(p + h, (uint32_t) len);
		if (len > 0)
			memcpy(p + h + 4, data, len);
		sha->used += h + 4 + len;
		return true;
	}
	b[0] = (unsigned char) tag;
	ledger_store_u32(b + h, (uint32_t) len);
	return ledger_put(sha, b, h + 4) && ledger_put(sha, data, len);
}

static inline bool
ledger_put_bytes(LedgerSha *sha, const void *data, size_t len)
{
	return ledger_put_tagged_bytes(sha, -1, data, len);
}

/* SQL NULL: 0x00; a JSON value follows: 0x01. */
static inline bool
ledger_cj_absent(LedgerSha *sha)
{
	return ledger_put_tag(sha, 0x00, false, 0);
}

static inline bool
ledger_cj_present(LedgerSha *sha)
{
	return ledger_put_tag(sha, 0x01, false, 0);
}

static inline bool
ledger_cj_object(LedgerSha *sha, uint32_t npairs)
{
	return ledger_put_tag(sha, LEDGER_CJ_OBJECT, true, npairs);
}

static inline bool
ledger_cj_array(LedgerSha *sha, uint32_t nelems)
{
	return ledger_put_tag(sha, LEDGER_CJ_ARRAY, true, nelems);
}

/* A key has no tag: its place after the object header or a value says what it is. */
static inline bool
ledger_cj_key(LedgerSha *sha, const char *s, size_t len)
{
	return ledger_put_bytes(sha, s, len);
}

static inline bool
ledger_cj_string(LedgerSha *sha, const char *s, size_t len)
{
	return ledger_put_tagged_bytes(sha, LEDGER_CJ_STRING, s, len);
}

/*
 * A number as numeric_send writes it: ndigits, weight, sign, dscale, then the
 * base-10000 digits, each a big-endian 16-bit value.
 */
static inline bool
ledger_cj_number(LedgerSha *sha, int16_t ndigits, int16_t weight, uint16_t sign, uint16_t dscale,
				 const int16_t *digits)
{
	unsigned char b[13];
	unsigned char *p;
	size_t		n;
	int			i;

	if (ndigits < 0)
		return false;
	n = 13 + 2 * (size_t) ndigits;
	b[0] = LEDGER_CJ_NUMBER;
	ledger_store_u32(b + 1, (uint32_t) (n - 5));
	b[5] = (unsigned char) ((uint16_t) ndigits >> 8);
	b[6] = (unsigned char) ndigits;
	b[7] = (unsigned char) ((uint16_t) weight >> 8);
	b[8] = (unsigned char) weight;
	b[9] = (unsigned char) (sign >> 8);
	b[10] = (unsigned char) sign;
	b[11] = (unsigned char) (dscale >> 8);
	b[12] = (unsigned char) dscale;
	p = ledger_room(sha, n);
	if (p == NULL)
	{
		if (!ledger_put(sha, b, 13))
			return false;
		for (i = 0; i < ndigits; i++)
		{
			unsigned char d[2];

			d[0] = (unsigned char) ((uint16_t) digits[i] >> 8);
			d[1] = (unsigned char) digits[i];
			if (!ledger_put(sha, d, 2))
				return false;
		}
		return true;
	}
	memcpy(p, b, 13);
	for (i = 0; i < ndigits; i++)
	{
		p[13 + 2 * i] = (unsigned char) ((uint16_t) digits[i] >> 8);
		p[14 + 2 * i] = (unsigned char) digits[i];
	}
	sha->used += n;
	return true;
}

static inline bool
ledger_cj_bool(LedgerSha *sha, bool value)
{
	return ledger_put_tag(sha, value ? LEDGER_CJ_TRUE : LEDGER_CJ_FALSE, false, 0);
}

static inline bool
ledger_cj_null(LedgerSha *sha)
{
	return ledger_put_tag(sha, LEDGER_CJ_NULL, false, 0);
}

/* RFC 6962 leaf and interior node hashes. */
extern bool ledger_leaf_hash(LedgerSha *sha, const void *data, size_t len,
							 unsigned char out[LEDGER_HASH_LEN]);
extern bool ledger_node_hash(LedgerSha *sha, const unsigned char left[LEDGER_HASH_LEN],
							 const unsigned char right[LEDGER_HASH_LEN],
							 unsigned char out[LEDGER_HASH_LEN]);

/*
 * Incremental Merkle tree (RFC 6962 shape): leaves are added one by one and
 * only one pending subtree per height is kept, so the state is fixed-size
 * whatever the number of leaves (up to 2^64 - 1).
 */
#define LEDGER_MERKLE_MAX_DEPTH 64

typedef struct LedgerMerkle
{
	LedgerSha  *sha;
	uint64_t	count;			/* leaves added */
	int			npending;		/* subtrees on the stack */
	unsigned char pending[LEDGER_MERKLE_MAX_DEPTH][LEDGER_HASH_LEN];
	unsigned char height[LEDGER_MERKLE_MAX_DEPTH];	/* log2 of each subtree's leaves */
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

#endif							/* TAXSHARE_LEDGER_H */
