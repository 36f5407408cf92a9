/*
 * ledger.c
 *		SHA-256 through one reusable OpenSSL context, RFC 6962 Merkle roots
 *		(incremental, and a batch reduction kept as its cross-check), and the
 *		hex form of a hash, written and read.
 *
 * Pure core (no server headers): the server glue, the unit tests and the
 * fuzzers call it with plain C types.  The bytes that are hashed come from
 * ledger_canon.c; the tree's shape and prefixes here are as frozen as those
 * bytes (docs/ledger.md), since every stored submission digest depends on them.
 */
#include <string.h>

#include <openssl/evp.h>

#include "ledger/ledger.h"

bool
ledger_sha_init(LedgerSha *sha)
{
	sha->used = 0;
	sha->fetched = false;
	sha->primed = false;
	sha->md = NULL;
	sha->ctx = EVP_MD_CTX_new();
	if (sha->ctx == NULL)
		return false;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	/* An explicit fetch: EVP_sha256() would look the algorithm up on every init. */
	sha->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	sha->fetched = sha->md != NULL;
#endif
	if (sha->md == NULL)
		sha->md = (EVP_MD *) EVP_sha256();
	return true;
}

void
ledger_sha_free(LedgerSha *sha)
{
	EVP_MD_CTX_free(sha->ctx);
	sha->ctx = NULL;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	if (sha->fetched)
		EVP_MD_free(sha->md);
#endif
	sha->md = NULL;
	sha->fetched = false;
	sha->primed = false;
}

/*
 * OpenSSL 3 re-initialises a context that already holds the digest cheaply
 * (EVP_DigestInit_ex2 with no type); a full init costs about as much as
 * hashing a record again.
 */
bool
ledger_hash_begin(LedgerSha *sha)
{
	sha->used = 0;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	if (sha->primed)
		return EVP_DigestInit_ex2(sha->ctx, NULL, NULL) == 1;
	sha->primed = EVP_DigestInit_ex(sha->ctx, sha->md, NULL) == 1;
	return sha->primed;
#else
	return EVP_DigestInit_ex(sha->ctx, sha->md, NULL) == 1;
#endif
}

static bool
sha_flush(LedgerSha *sha)
{
	size_t n = sha->used;

	sha->used = 0;
	return n == 0 || EVP_DigestUpdate(sha->ctx, sha->buf, n) == 1;
}

/* The buffer is full: hand it to OpenSSL; a long write goes straight through. */
bool
ledger_put_slow(LedgerSha *sha, const void *data, size_t len)
{
	if (!sha_flush(sha))
		return false;
	if (len < LEDGER_SHA_BUF / 2)
	{
		memcpy(sha->buf, data, len);
		sha->used = len;
		return true;
	}
	return EVP_DigestUpdate(sha->ctx, data, len) == 1;
}

static bool
sha_add(LedgerSha *sha, const void *data, size_t len)
{
	return ledger_put(sha, data, len);
}

bool
ledger_hash_end(LedgerSha *sha, unsigned char out[LEDGER_HASH_LEN])
{
	unsigned int n = 0;

	return sha_flush(sha) && EVP_DigestFinal_ex(sha->ctx, out, &n) == 1 && n == LEDGER_HASH_LEN;
}

bool
ledger_sha256(LedgerSha *sha, const void *data, size_t len, unsigned char out[LEDGER_HASH_LEN])
{
	return ledger_hash_begin(sha) && sha_add(sha, data, len) && ledger_hash_end(sha, out);
}

bool
ledger_leaf_hash(LedgerSha *sha, const void *data, size_t len, unsigned char out[LEDGER_HASH_LEN])
{
	unsigned char prefix = LEDGER_LEAF_PREFIX;

	return ledger_hash_begin(sha) && sha_add(sha, &prefix, 1) && sha_add(sha, data, len) &&
		   ledger_hash_end(sha, out);
}

bool
ledger_node_hash(LedgerSha *sha, const unsigned char left[LEDGER_HASH_LEN],
				 const unsigned char right[LEDGER_HASH_LEN], unsigned char out[LEDGER_HASH_LEN])
{
	unsigned char prefix = LEDGER_NODE_PREFIX;

	return ledger_hash_begin(sha) && sha_add(sha, &prefix, 1) &&
		   sha_add(sha, left, LEDGER_HASH_LEN) && sha_add(sha, right, LEDGER_HASH_LEN) &&
		   ledger_hash_end(sha, out);
}

void
ledger_merkle_init(LedgerMerkle *m, LedgerSha *sha)
{
	m->sha = sha;
	m->count = 0;
	m->npending = 0;
}

/*
 * Like a binary counter: the new leaf merges with the pending subtree of the
 * same height, the result with the next, and so on.  The stack then holds
 * perfect subtrees of strictly decreasing height, one per 1-bit of count.
 */
bool
ledger_merkle_add_leaf_hash(LedgerMerkle *m, const unsigned char leaf[LEDGER_HASH_LEN])
{
	unsigned char cur[LEDGER_HASH_LEN];
	unsigned char h = 0;

	if (m->count == UINT64_MAX)
		return false;
	memcpy(cur, leaf, LEDGER_HASH_LEN);
	while (m->npending > 0 && m->height[m->npending - 1] == h)
	{
		if (!ledger_node_hash(m->sha, m->pending[m->npending - 1], cur, cur))
			return false;
		m->npending--;
		h++;
	}
	memcpy(m->pending[m->npending], cur, LEDGER_HASH_LEN);
	m->height[m->npending] = h;
	m->npending++;
	m->count++;
	return true;
}

bool
ledger_merkle_add_leaf(LedgerMerkle *m, const void *data, size_t len)
{
	unsigned char leaf[LEDGER_HASH_LEN];

	return ledger_leaf_hash(m->sha, data, len, leaf) && ledger_merkle_add_leaf_hash(m, leaf);
}

/*
 * Fold the pending subtrees from the right: RFC 6962 splits n leaves at the
 * largest power of two below n, which is exactly the leftmost pending subtree
 * against the fold of the others.  No leaves: SHA-256 of the empty string.
 */
bool
ledger_merkle_root(const LedgerMerkle *m, unsigned char out[LEDGER_HASH_LEN])
{
	unsigned char acc[LEDGER_HASH_LEN];
	int           i;

	if (m->npending == 0)
		return ledger_sha256(m->sha, "", 0, out);
	memcpy(acc, m->pending[m->npending - 1], LEDGER_HASH_LEN);
	for (i = m->npending - 2; i >= 0; i--)
		if (!ledger_node_hash(m->sha, m->pending[i], acc, acc))
			return false;
	memcpy(out, acc, LEDGER_HASH_LEN);
	return true;
}

/*
 * Bottom-up: pair neighbours on each level; an odd last node is promoted to
 * the next level unchanged.  This gives the same tree as RFC 6962's
 * recursive definition.
 */
bool
ledger_merkle_root_batch(LedgerSha *sha, unsigned char (*scratch)[LEDGER_HASH_LEN], size_t n,
						 unsigned char out[LEDGER_HASH_LEN])
{
	if (n == 0)
		return ledger_sha256(sha, "", 0, out);
	while (n > 1)
	{
		size_t i, next = 0;

		for (i = 0; i + 1 < n; i += 2)
			if (!ledger_node_hash(sha, scratch[i], scratch[i + 1], scratch[next++]))
				return false;
		if (n % 2 == 1)
			memmove(scratch[next++], scratch[n - 1], LEDGER_HASH_LEN);
		n = next;
	}
	memcpy(out, scratch[0], LEDGER_HASH_LEN);
	return true;
}

void
ledger_hex(const unsigned char *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t            i;

	for (i = 0; i < len; i++)
	{
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0xF];
	}
	out[2 * len] = '\0';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
ledger_parse_hex_hash(const char *s, unsigned char out[LEDGER_HASH_LEN])
{
	int i;

	if (s[0] == '\\' && s[1] == 'x')
		s += 2;
	if (strlen(s) != LEDGER_HEX_LEN)
		return false;
	for (i = 0; i < LEDGER_HASH_LEN; i++)
	{
		int hi = hex_value(s[2 * i]);
		int lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char) (hi << 4 | lo);
	}
	return true;
}
