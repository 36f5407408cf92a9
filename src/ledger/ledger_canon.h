/*
 * ledger_canon.h
 *		The canonical encoding of the ledger: the bytes of a chain entry and of
 *		a record's leaf that are hashed, as docs/ledger.md lays them out byte by
 *		byte ("The entry hash", "The submission digest", "CJ").
 *
 * Pure core, written over plain C values: strings with their lengths, counts,
 * and a number as the fields numeric_send() writes.  Every stored hash
 * depends on these bytes, so the encoding is frozen: a change would be a new
 * entry magic ("TSL2") and a new leaf format, never an edit here.  Walking a
 * jsonb value needs the server's headers and is done by ledger_canon_jsonb.c,
 * which decides only which values come in which order and writes every byte
 * through the functions below.
 */
#ifndef TAXSHARE_LEDGER_CANON_H
#define TAXSHARE_LEDGER_CANON_H

#include "ledger/ledger.h"

/* First four bytes of every serialized entry: format version 1. */
#define LEDGER_ENTRY_MAGIC "TSL1"

/* The length word of an absent (SQL NULL) variable-length field. */
#define LEDGER_NULL_LEN 0xFFFFFFFFu

/*
 * One entry of the chain.  Strings are UTF-8 bytes with explicit lengths;
 * digest == NULL is an absent digest (distinct from an empty one).
 * at_unix_us is the entry's time in microseconds since 1970-01-01 00:00 UTC.
 */
typedef struct LedgerEntry
{
	int64_t              seq;
	int64_t              at_unix_us;
	const char          *actor;
	size_t               actor_len;
	const char          *action;
	size_t               action_len;
	const char          *object;
	size_t               object_len;
	const unsigned char *digest;
	size_t               digest_len;
	const unsigned char *prev_hash; /* LEDGER_HASH_LEN bytes */
} LedgerEntry;

/* hash = SHA-256 of the entry's serialization (docs/ledger.md "The entry hash"). */
extern bool ledger_entry_hash(LedgerSha *sha, const LedgerEntry *e,
							  unsigned char out[LEDGER_HASH_LEN]);

/*
 * The leaf hash of one record, streamed (docs/ledger.md "The submission
 * digest"):
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
#define LEDGER_CJ_ARRAY  'a'
#define LEDGER_CJ_STRING 's'
#define LEDGER_CJ_NUMBER 'n'
#define LEDGER_CJ_TRUE   't'
#define LEDGER_CJ_FALSE  'f'
#define LEDGER_CJ_NULL   'z'

extern bool ledger_record_leaf_begin(LedgerSha *sha, int64_t id, int32_t row_no, const char *status,
									 size_t status_len);

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
	unsigned char  b[5];
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
	unsigned char  b[5];
	size_t         h = tag >= 0 ? 1 : 0;
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
	unsigned char  b[13];
	unsigned char *p;
	size_t         n;
	int            i;

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

#endif /* TAXSHARE_LEDGER_CANON_H */
