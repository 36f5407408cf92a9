/*
 * test_ledger.c
 *		Unit tests of the ledger's pure core (src/ledger/ledger.c and
 *		ledger_canon.c): SHA-256 against published vectors, Merkle roots
 *		against an independent recursive RFC 6962 implementation written here,
 *		the incremental builder against the batch one, and the entry
 *		serialization and record leaves against bytes laid out by hand as
 *		docs/ledger.md describes them.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_canon.h"
#include "tap.h"

static LedgerSha sha;

static const char *
hex(const unsigned char *h)
{
	static char buf[4][LEDGER_HEX_LEN + 1];
	static int  which = 0;

	which = (which + 1) % 4;
	ledger_hex(h, LEDGER_HASH_LEN, buf[which]);
	return buf[which];
}

/* ---- an independent reference: RFC 6962 section 2.1, recursively ---- */

static void
ref_sha(const unsigned char *data, size_t len, unsigned char out[LEDGER_HASH_LEN])
{
	if (!ledger_sha256(&sha, data, len, out))
		abort();
}

static void
ref_leaf(const unsigned char *data, size_t len, unsigned char out[LEDGER_HASH_LEN])
{
	unsigned char buf[256];

	buf[0] = 0x00;
	memcpy(buf + 1, data, len);
	ref_sha(buf, len + 1, out);
}

/* MTH(D[lo:hi]) with k the largest power of two smaller than n. */
static void
ref_mth(unsigned char (*leaves)[LEDGER_HASH_LEN], size_t lo, size_t hi,
		unsigned char out[LEDGER_HASH_LEN])
{
	size_t        n = hi - lo;
	size_t        k = 1;
	unsigned char buf[1 + 2 * LEDGER_HASH_LEN];

	if (n == 0)
	{
		ref_sha((const unsigned char *) "", 0, out);
		return;
	}
	if (n == 1)
	{
		memcpy(out, leaves[lo], LEDGER_HASH_LEN);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	buf[0] = 0x01;
	ref_mth(leaves, lo, lo + k, buf + 1);
	ref_mth(leaves, lo + k, hi, buf + 1 + LEDGER_HASH_LEN);
	ref_sha(buf, sizeof(buf), out);
}

static void
test_sha256_vectors(void)
{
	unsigned char      h[LEDGER_HASH_LEN];
	static const char *million_a_expected =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *a;

	ok(ledger_sha256(&sha, "abc", 3, h), "sha256 of \"abc\" succeeds");
	is_str(hex(h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		   "sha256(\"abc\") is the FIPS 180-2 vector");
	ledger_sha256(&sha, "", 0, h);
	is_str(hex(h), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		   "sha256 of the empty string");
	ledger_sha256(&sha, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	is_str(hex(h), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		   "sha256 of the 448-bit FIPS vector");
	a = malloc(1000000);
	memset(a, 'a', 1000000);
	ledger_sha256(&sha, a, 1000000, h);
	is_str(hex(h), million_a_expected, "sha256 of one million 'a'");
	free(a);
	/* The hasher is reused: the same input again gives the same hash. */
	ledger_sha256(&sha, "abc", 3, h);
	is_str(hex(h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		   "a reused hasher starts afresh");
}

static void
test_hex(void)
{
	unsigned char b[3] = {0x00, 0xAB, 0x0F};
	char          out[7];

	ledger_hex(b, 3, out);
	is_str(out, "00ab0f", "hex is lower case and zero padded");
}

/* The external digest's hash as ledger_verify() reads it. */
static void
test_parse_hex(void)
{
	static const char *const abc =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	unsigned char want[LEDGER_HASH_LEN];
	unsigned char got[LEDGER_HASH_LEN];
	char          s[LEDGER_HEX_LEN + 8];
	size_t        i;

	ledger_sha256(&sha, "abc", 3, want);
	memset(got, 0, sizeof(got));
	ok(ledger_parse_hex_hash(abc, got) && memcmp(got, want, LEDGER_HASH_LEN) == 0,
	   "64 lower-case hex digits parse to the hash");
	for (i = 0; abc[i]; i++)
		s[i] = (char) (abc[i] >= 'a' ? abc[i] - 'a' + 'A' : abc[i]);
	s[i] = '\0';
	memset(got, 0, sizeof(got));
	ok(ledger_parse_hex_hash(s, got) && memcmp(got, want, LEDGER_HASH_LEN) == 0,
	   "upper case parses to the same hash");
	snprintf(s, sizeof(s), "\\x%s", abc);
	memset(got, 0, sizeof(got));
	ok(ledger_parse_hex_hash(s, got) && memcmp(got, want, LEDGER_HASH_LEN) == 0,
	   "a leading \\x (bytea's output) is accepted");
	ok(!ledger_parse_hex_hash(abc + 1, got), "63 digits are refused");
	snprintf(s, sizeof(s), "%s0", abc);
	ok(!ledger_parse_hex_hash(s, got), "65 digits are refused");
	snprintf(s, sizeof(s), "%s", abc);
	s[10] = 'g';
	ok(!ledger_parse_hex_hash(s, got), "a non-hex digit is refused");
	snprintf(s, sizeof(s), " %.63s", abc);
	ok(!ledger_parse_hex_hash(s, got), "a leading space is refused");
	ok(!ledger_parse_hex_hash("", got), "the empty string is refused");
	ok(!ledger_parse_hex_hash("\\x", got), "a bare \\x is refused");
}

/* Leaves "0", "1", ... as single bytes; roots of 0..5 leaves vs the reference. */
static void
test_merkle_small(void)
{
	unsigned char data[5] = {'a', 'b', 'c', 'd', 'e'};
	unsigned char leaves[5][LEDGER_HASH_LEN];
	unsigned char want[LEDGER_HASH_LEN];
	unsigned char got[LEDGER_HASH_LEN];
	unsigned char l01[LEDGER_HASH_LEN];
	unsigned char buf[1 + 2 * LEDGER_HASH_LEN];
	LedgerMerkle  m;
	size_t        n;
	int           i;

	for (i = 0; i < 5; i++)
		ref_leaf(&data[i], 1, leaves[i]);

	for (n = 0; n <= 5; n++)
	{
		ledger_merkle_init(&m, &sha);
		for (i = 0; i < (int) n; i++)
			ledger_merkle_add_leaf(&m, &data[i], 1);
		ref_mth(leaves, 0, n, want);
		ok(ledger_merkle_root(&m, got), "merkle root of %zu leaves succeeds", n);
		is_str(hex(got), hex(want), "merkle root of %zu leaves equals the recursive RFC 6962 tree",
			   n);
		is_int(m.count, n, "the builder counted %zu leaves", n);
	}

	/* Spelled out by hand for two leaves: H(0x01 || H(0x00||"a") || H(0x00||"b")). */
	buf[0] = 0x01;
	memcpy(buf + 1, leaves[0], LEDGER_HASH_LEN);
	memcpy(buf + 1 + LEDGER_HASH_LEN, leaves[1], LEDGER_HASH_LEN);
	ref_sha(buf, sizeof(buf), l01);
	ledger_merkle_init(&m, &sha);
	ledger_merkle_add_leaf(&m, "a", 1);
	ledger_merkle_add_leaf(&m, "b", 1);
	ledger_merkle_root(&m, got);
	is_str(hex(got), hex(l01), "two leaves: node(leaf a, leaf b)");

	/* Three leaves: the odd third is promoted, node(node(a, b), leaf c). */
	buf[0] = 0x01;
	memcpy(buf + 1, l01, LEDGER_HASH_LEN);
	memcpy(buf + 1 + LEDGER_HASH_LEN, leaves[2], LEDGER_HASH_LEN);
	ref_sha(buf, sizeof(buf), want);
	ledger_merkle_add_leaf(&m, "c", 1);
	ledger_merkle_root(&m, got);
	is_str(hex(got), hex(want), "three leaves: node(node(a, b), c)");

	/* One leaf: the root is the leaf hash, not the data's plain hash. */
	ledger_merkle_init(&m, &sha);
	ledger_merkle_add_leaf(&m, "a", 1);
	ledger_merkle_root(&m, got);
	is_str(hex(got), hex(leaves[0]), "one leaf: the root is H(0x00 || data)");
	ledger_sha256(&sha, "a", 1, want);
	ok(strcmp(hex(got), hex(want)) != 0,
	   "one leaf: the root differs from H(data) (domain separation)");

	/* Empty: SHA-256 of the empty string. */
	ledger_merkle_init(&m, &sha);
	ledger_merkle_root(&m, got);
	is_str(hex(got), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		   "no leaves: SHA-256 of the empty string");

	/* Order matters. */
	ledger_merkle_init(&m, &sha);
	ledger_merkle_add_leaf(&m, "b", 1);
	ledger_merkle_add_leaf(&m, "a", 1);
	ledger_merkle_root(&m, got);
	ok(strcmp(hex(got), hex(l01)) != 0, "swapping two leaves changes the root");
}

/*
 * Incremental vs batch vs recursive reference, growing one tree to 1000
 * leaves.  The batch root costs n hashes per size, so under valgrind every
 * size up to 257 is checked and beyond that a spread of sizes (multiples of
 * 37, powers of two and their neighbours, 1000) keeps the run short.
 */
static void
test_merkle_incremental(void)
{
	enum
	{
		N = 1000
	};
	unsigned char(*leaves)[LEDGER_HASH_LEN] = malloc(sizeof(*leaves) * N);
	unsigned char(*scratch)[LEDGER_HASH_LEN] = malloc(sizeof(*scratch) * N);
	unsigned char inc[LEDGER_HASH_LEN];
	unsigned char bat[LEDGER_HASH_LEN];
	unsigned char ref[LEDGER_HASH_LEN];
	LedgerMerkle  m;
	int           mism_batch = 0, mism_ref = 0, checked_batch = 0, checked_ref = 0, first_bad = 0;
	size_t        n;

	for (n = 0; n < N; n++)
	{
		char d[16];
		int  len = snprintf(d, sizeof(d), "row %zu", n);

		ref_leaf((const unsigned char *) d, (size_t) len, leaves[n]);
	}
	ledger_merkle_init(&m, &sha);
	for (n = 1; n <= N; n++)
	{
		ledger_merkle_add_leaf_hash(&m, leaves[n - 1]);
		bool pow2ish = ((n & (n - 1)) == 0 || ((n + 1) & n) == 0 || ((n - 1) & (n - 2)) == 0);

		ledger_merkle_root(&m, inc);
		if (n <= 257 || n % 37 == 0 || n == N || pow2ish)
		{
			checked_batch++;
			memcpy(scratch, leaves, sizeof(*leaves) * n);
			ledger_merkle_root_batch(&sha, scratch, n, bat);
			if (memcmp(inc, bat, LEDGER_HASH_LEN) != 0)
			{
				mism_batch++;
				if (!first_bad)
					first_bad = (int) n;
			}
		}
		if (n <= 70 || n % 97 == 0 || n == N || pow2ish)
		{
			checked_ref++;
			ref_mth(leaves, 0, n, ref);
			if (memcmp(inc, ref, LEDGER_HASH_LEN) != 0)
			{
				mism_ref++;
				if (!first_bad)
					first_bad = (int) n;
			}
		}
	}
	is_int(mism_batch, 0,
		   "incremental root equals batch root for %d sizes in 1..1000 leaves (first bad: %d)",
		   checked_batch, first_bad);
	is_int(mism_ref, 0,
		   "incremental root equals the recursive reference for %d sizes (first bad: %d)",
		   checked_ref, first_bad);
	ok(m.npending <= 10, "1000 leaves keep at most 10 pending subtrees (have %d)", m.npending);
	is_int(m.npending, 6, "1000 = 0b1111101000 leaves: one pending subtree per 1-bit");
	free(leaves);
	free(scratch);
}

/* The serialized entry, laid out by hand from docs/ledger.md. */
static size_t
put_u64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char) (v >> (56 - 8 * i));
	return 8;
}

static size_t
put_field(unsigned char *p, const void *s, size_t len)
{
	if (s == NULL)
	{
		memset(p, 0xFF, 4);
		return 4;
	}
	p[0] = (unsigned char) (len >> 24);
	p[1] = (unsigned char) (len >> 16);
	p[2] = (unsigned char) (len >> 8);
	p[3] = (unsigned char) len;
	memcpy(p + 4, s, len);
	return 4 + len;
}

static void
test_entry_hash(void)
{
	unsigned char prev[LEDGER_HASH_LEN];
	unsigned char digest[3] = {1, 2, 3};
	unsigned char buf[512];
	unsigned char want[LEDGER_HASH_LEN];
	unsigned char got[LEDGER_HASH_LEN];
	unsigned char other[LEDGER_HASH_LEN];
	LedgerEntry   e;
	size_t        n = 0;

	memset(prev, 0x11, sizeof(prev));
	e.seq = 7;
	e.at_unix_us = 1700000000123456LL;
	e.actor = "alice";
	e.actor_len = 5;
	e.action = "submission";
	e.action_len = 10;
	e.object = "提交 12";
	e.object_len = strlen("提交 12");
	e.digest = digest;
	e.digest_len = 3;
	e.prev_hash = prev;

	memcpy(buf, "TSL1", 4);
	n = 4;
	n += put_u64(buf + n, 7);
	n += put_u64(buf + n, 1700000000123456ULL);
	n += put_field(buf + n, "alice", 5);
	n += put_field(buf + n, "submission", 10);
	n += put_field(buf + n, "提交 12", strlen("提交 12"));
	n += put_field(buf + n, digest, 3);
	n += put_field(buf + n, prev, LEDGER_HASH_LEN);
	ref_sha(buf, n, want);
	ok(ledger_entry_hash(&sha, &e, got), "entry hash succeeds");
	is_str(hex(got), hex(want), "entry hash is SHA-256 of the documented serialization");

	/* NULL digest is 0xFFFFFFFF, not the empty string. */
	e.digest = NULL;
	e.digest_len = 0;
	ledger_entry_hash(&sha, &e, got);
	e.digest = (const unsigned char *) "";
	ledger_entry_hash(&sha, &e, other);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0,
	   "a NULL digest and an empty digest hash differently");

	/* Length prefixes keep field boundaries: ("ab","c") vs ("a","bc"). */
	e.digest = digest;
	e.digest_len = 3;
	e.actor = "ab";
	e.actor_len = 2;
	e.action = "c";
	e.action_len = 1;
	ledger_entry_hash(&sha, &e, got);
	e.actor = "a";
	e.actor_len = 1;
	e.action = "bc";
	e.action_len = 2;
	ledger_entry_hash(&sha, &e, other);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0,
	   "moving a byte across a field boundary changes the hash");

	/* Every field counts. */
	e.seq = 8;
	ledger_entry_hash(&sha, &e, got);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0, "the sequence number is hashed");
	e.seq = 7;
	e.at_unix_us++;
	ledger_entry_hash(&sha, &e, got);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0, "the time is hashed to the microsecond");
	e.at_unix_us--;
	prev[31] ^= 1;
	ledger_entry_hash(&sha, &e, got);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0, "the previous hash is hashed");
	prev[31] ^= 1;
	ledger_entry_hash(&sha, &e, got);
	is_str(hex(got), hex(other), "restoring the fields restores the hash");

	/* Negative numbers are two's complement, big-endian. */
	e.seq = -1;
	ledger_entry_hash(&sha, &e, got);
	memcpy(buf, "TSL1", 4);
	n = 4;
	memset(buf + n, 0xFF, 8);
	n += 8;
	n += put_u64(buf + n, 1700000000123456ULL);
	n += put_field(buf + n, "a", 1);
	n += put_field(buf + n, "bc", 2);
	n += put_field(buf + n, "提交 12", strlen("提交 12"));
	n += put_field(buf + n, digest, 3);
	n += put_field(buf + n, prev, LEDGER_HASH_LEN);
	ref_sha(buf, n, want);
	is_str(hex(got), hex(want), "seq -1 is serialized as eight 0xFF bytes");
}

/* A record leaf with a JSON payload, laid out by hand. */
static size_t
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
	return 4;
}

/*
 * payload {"a": [1, "x", null, true], "bb": false}, raw NULL; the number 1 is
 * numeric_send's 00 01 00 00 00 00 00 00 00 01 (ndigits 1, weight 0, sign +,
 * dscale 0, digit 1).
 */
static const unsigned char numeric_one[10] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
static const int16_t       digit_one[1] = {1};

static bool
stream_example(unsigned char out[LEDGER_HASH_LEN], int variant)
{
	bool ok = ledger_record_leaf_begin(&sha, 42, 258, "accepted", 8);

	ok = ok && ledger_cj_present(&sha) && ledger_cj_object(&sha, 2);
	ok = ok && ledger_cj_key(&sha, "a", 1) && ledger_cj_array(&sha, 4);
	ok = ok && ledger_cj_number(&sha, 1, 0, 0x0000, 0, digit_one);
	ok = ok && ledger_cj_string(&sha, variant == 1 ? "y" : "x", 1);
	ok = ok && ledger_cj_null(&sha) && ledger_cj_bool(&sha, true);
	ok = ok && ledger_cj_key(&sha, "bb", 2) && ledger_cj_bool(&sha, variant == 2);
	if (variant == 3)
		ok = ok && ledger_cj_present(&sha) && ledger_cj_null(&sha);
	else
		ok = ok && ledger_cj_absent(&sha);
	return ok && ledger_hash_end(&sha, out);
}

static void
test_record_leaf(void)
{
	unsigned char buf[256];
	unsigned char want[LEDGER_HASH_LEN];
	unsigned char got[LEDGER_HASH_LEN];
	unsigned char other[LEDGER_HASH_LEN];
	size_t        n = 0;
	int           v;

	buf[n++] = 0x00;
	n += put_u64(buf + n, 42);
	n += put_u32(buf + n, 258);
	n += put_field(buf + n, "accepted", 8);
	buf[n++] = 0x01; /* payload present */
	buf[n++] = 'o';
	n += put_u32(buf + n, 2);
	n += put_field(buf + n, "a", 1);
	buf[n++] = 'a';
	n += put_u32(buf + n, 4);
	buf[n++] = 'n';
	n += put_field(buf + n, numeric_one, sizeof(numeric_one));
	buf[n++] = 's';
	n += put_field(buf + n, "x", 1);
	buf[n++] = 'z';
	buf[n++] = 't';
	n += put_field(buf + n, "bb", 2);
	buf[n++] = 'f';
	buf[n++] = 0x00; /* raw absent */
	ref_sha(buf, n, want);
	ok(stream_example(got, 0), "streaming a record leaf succeeds");
	is_str(hex(got), hex(want),
		   "record leaf is SHA-256 of the documented bytes (0x00, id, row_no, status, CJ payload, "
		   "raw)");

	for (v = 1; v <= 3; v++)
	{
		stream_example(other, v);
		ok(memcmp(got, other, LEDGER_HASH_LEN) != 0, "variant %d (%s) changes the leaf", v,
		   v == 1   ? "one string byte"
		   : v == 2 ? "false -> true"
					: "raw NULL -> JSON null");
	}
	ledger_record_leaf_begin(&sha, 43, 258, "accepted", 8);
	ledger_cj_absent(&sha);
	ledger_cj_absent(&sha);
	ledger_hash_end(&sha, other);
	ledger_record_leaf_begin(&sha, 42, 258, "accepted", 8);
	ledger_cj_absent(&sha);
	ledger_cj_absent(&sha);
	ledger_hash_end(&sha, got);
	ok(memcmp(got, other, LEDGER_HASH_LEN) != 0, "the record id is part of the leaf");

	/*
	 * -1234.5678 as numeric_send writes it: ndigits 2, weight 0, sign 4000,
	 * dscale 4, digits 1234 5678.
	 */
	{
		static const unsigned char want_bytes[] = {
			0x00, 0,    0,    0,    0,    0,    0,    0,    9,    0,    0,    0,    9,    0,   0,
			0,    8,    'r',  'e',  'j',  'e',  'c',  't',  'e',  'd',  0x01, 'n',  0,    0,   0,
			12,   0x00, 0x02, 0x00, 0x00, 0x40, 0x00, 0x00, 0x04, 0x04, 0xD2, 0x16, 0x2E, 0x00};
		static const int16_t digits[2] = {1234, 5678};

		ref_sha(want_bytes, sizeof(want_bytes), want);
		ledger_record_leaf_begin(&sha, 9, 9, "rejected", 8);
		ledger_cj_present(&sha);
		ledger_cj_number(&sha, 2, 0, 0x4000, 4, digits);
		ledger_cj_absent(&sha);
		ledger_hash_end(&sha, got);
		is_str(hex(got), hex(want), "a negative number is written as numeric_send's bytes");
	}

	/* Long strings bypass the small-write buffer: same hash as one-shot. */
	{
		char          *big = malloc(5000);
		unsigned char *flat = malloc(5000 + 64);
		size_t         m = 0;

		memset(big, 'q', 5000);
		flat[m++] = 0x00;
		m += put_u64(flat + m, 1);
		m += put_u32(flat + m, 1);
		m += put_field(flat + m, "accepted", 8);
		flat[m++] = 0x01;
		flat[m++] = 's';
		m += put_field(flat + m, big, 5000);
		flat[m++] = 0x00;
		ref_sha(flat, m, want);
		ledger_record_leaf_begin(&sha, 1, 1, "accepted", 8);
		ledger_cj_present(&sha);
		ledger_cj_string(&sha, big, 5000);
		ledger_cj_absent(&sha);
		ledger_hash_end(&sha, got);
		is_str(hex(got), hex(want),
			   "a 5000-byte string streams to the same hash as the flat bytes");
		free(big);
		free(flat);
	}

	/* Many small writes across the 512-byte gathering buffer. */
	{
		unsigned char flat[4096];
		size_t        m = 0;
		int           i;

		flat[m++] = 0x00;
		m += put_u64(flat + m, 7);
		m += put_u32(flat + m, 7);
		m += put_field(flat + m, "rejected", 8);
		flat[m++] = 0x01;
		flat[m++] = 'a';
		m += put_u32(flat + m, 300);
		ledger_record_leaf_begin(&sha, 7, 7, "rejected", 8);
		ledger_cj_present(&sha);
		ledger_cj_array(&sha, 300);
		for (i = 0; i < 300; i++)
		{
			char d[8];
			int  len = snprintf(d, sizeof(d), "%d", i);

			flat[m++] = 's';
			m += put_field(flat + m, d, (size_t) len);
			ledger_cj_string(&sha, d, (size_t) len);
		}
		flat[m++] = 0x00;
		ledger_cj_absent(&sha);
		ledger_hash_end(&sha, got);
		ref_sha(flat, m, want);
		is_str(hex(got), hex(want),
			   "300 small strings (%zu bytes) stream to the same hash as the flat bytes", m);
	}
}

/*
 * The frozen contract, pinned: fixed inputs and the digests they must give,
 * forever.  The expected hex was computed outside this code, from bytes laid
 * out by hand after docs/ledger.md (Python's hashlib, cross-checked with
 * `openssl dgst -sha256` and with scripts/ledger_outside.py over the same
 * data exported as CSV); docs/ledger.md "Test vectors" lists the same
 * inputs and digests.  If one of these fails, stored chains would no longer
 * verify: the change is wrong, whatever else it fixes.
 */
static const char *const vec_entry1 =
	"a07579a2a3e142c21095be39791028f73f4d85ae01fe23a7df7fa38eb36c92e1";
static const char *const vec_entry2 =
	"d1f6acb08afd1b6a4681154823f881423e0d1a4d7f2d5c4ef0dbfc15c4099ceb";
static const char *const vec_leaf[3] = {
	"f2896ffc1b7916722d51238b3c1d24348ba5678028f7ecb731815286fac9c1b3",
	"79c6579911eb0ca3309e4fa758359adc0b1b563ba3656b675ced8e8fcb837f85",
	"b126ca55e3793e88c73b545e129622a4a799f44dd7ad377b15272842048fa7b1",
};
static const char *const vec_root[4] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"f2896ffc1b7916722d51238b3c1d24348ba5678028f7ecb731815286fac9c1b3",
	"50640e6022b4e54519c7865b01800216558829a8cafc4a96ee2e9d3306f7d8b0",
	"62b83a3181c08cf5e1d1ed978a2067007f2ff5ecdac6d61607302884e5abc78a",
};

static void
test_fixed_entries(void)
{
	unsigned char zero[LEDGER_HASH_LEN];
	unsigned char abc[LEDGER_HASH_LEN];
	unsigned char h1[LEDGER_HASH_LEN];
	unsigned char h2[LEDGER_HASH_LEN];
	LedgerEntry   e;

	memset(zero, 0, sizeof(zero));
	ledger_sha256(&sha, "abc", 3, abc);

	/* The first entry: 2024-03-01 10:00:00.123456 UTC, digest SHA-256("abc"). */
	memset(&e, 0, sizeof(e));
	e.seq = 1;
	e.at_unix_us = INT64_C(1709287200123456);
	e.actor = "alice";
	e.actor_len = 5;
	e.action = "catalog_define";
	e.action_len = 14;
	e.object = "ZJ-SPF-001@2";
	e.object_len = 12;
	e.digest = abc;
	e.digest_len = LEDGER_HASH_LEN;
	e.prev_hash = zero;
	ok(ledger_entry_hash(&sha, &e, h1), "fixed entry 1 hashes");
	is_str(hex(h1), vec_entry1, "fixed entry 1 (seq 1, prev_hash of zeros) has its pinned hash");

	/* The second, one second later: a UTF-8 actor, no digest, chained onto the first. */
	e.seq = 2;
	e.at_unix_us = INT64_C(1709287201123456);
	e.actor = "张三";
	e.actor_len = strlen("张三");
	e.action = "supersede";
	e.action_len = 9;
	e.object = "submission 12 superseded by 15";
	e.object_len = strlen("submission 12 superseded by 15");
	e.digest = NULL;
	e.digest_len = 0;
	e.prev_hash = h1;
	ok(ledger_entry_hash(&sha, &e, h2), "fixed entry 2 hashes");
	is_str(hex(h2), vec_entry2,
		   "fixed entry 2 (UTF-8 actor, NULL digest, linked) has its pinned hash");
}

/*
 * The records of submission 12 (ids 12 * 2^32 + row_no), as the walker of
 * ledger_canon_jsonb.c writes them, keys in jsonb order:
 *	1 accepted, payload {"ok": true, "name": "杭州", "amount": 100.50},
 *	  raw {"amount": "100.50"}
 *	2 rejected, payload NULL, raw {"a": [-0.5, null, false], "b": 0}
 *	3 accepted, payload {}, raw NULL
 */
static bool
fixed_leaf(int row, unsigned char out[LEDGER_HASH_LEN])
{
	static const int16_t d100_50[2] = {100, 5000}; /* 0002 0000 0000 0002 0064 1388 */
	static const int16_t d0_5[1] = {5000};
	int64_t              id = ((int64_t) 12 << 32) + row;
	bool                 good;

	if (row == 1)
	{
		good = ledger_record_leaf_begin(&sha, id, 1, "accepted", 8) && ledger_cj_present(&sha) &&
			   ledger_cj_object(&sha, 3) && ledger_cj_key(&sha, "ok", 2) &&
			   ledger_cj_bool(&sha, true) && ledger_cj_key(&sha, "name", 4) &&
			   ledger_cj_string(&sha, "杭州", strlen("杭州")) && ledger_cj_key(&sha, "amount", 6) &&
			   ledger_cj_number(&sha, 2, 0, 0x0000, 2, d100_50) && ledger_cj_present(&sha) &&
			   ledger_cj_object(&sha, 1) && ledger_cj_key(&sha, "amount", 6) &&
			   ledger_cj_string(&sha, "100.50", 6);
	}
	else if (row == 2)
	{
		good = ledger_record_leaf_begin(&sha, id, 2, "rejected", 8) && ledger_cj_absent(&sha) &&
			   ledger_cj_present(&sha) && ledger_cj_object(&sha, 2) &&
			   ledger_cj_key(&sha, "a", 1) && ledger_cj_array(&sha, 3) &&
			   ledger_cj_number(&sha, 1, -1, 0x4000, 1, d0_5) && ledger_cj_null(&sha) &&
			   ledger_cj_bool(&sha, false) && ledger_cj_key(&sha, "b", 1) &&
			   ledger_cj_number(&sha, 0, 0, 0x0000, 0, NULL);
	}
	else
	{
		good = ledger_record_leaf_begin(&sha, id, 3, "accepted", 8) && ledger_cj_present(&sha) &&
			   ledger_cj_object(&sha, 0) && ledger_cj_absent(&sha);
	}
	return good && ledger_hash_end(&sha, out);
}

static void
test_fixed_submission(void)
{
	unsigned char leaves[3][LEDGER_HASH_LEN];
	unsigned char root[LEDGER_HASH_LEN];
	LedgerMerkle  m;
	int           i;

	for (i = 0; i < 3; i++)
	{
		ok(fixed_leaf(i + 1, leaves[i]), "fixed record %d streams", i + 1);
		is_str(hex(leaves[i]), vec_leaf[i], "fixed record %d has its pinned leaf hash", i + 1);
	}
	ledger_merkle_init(&m, &sha);
	for (i = 0; i <= 3; i++)
	{
		if (i > 0)
			ledger_merkle_add_leaf_hash(&m, leaves[i - 1]);
		ok(ledger_merkle_root(&m, root), "root of the first %d fixed records", i);
		is_str(hex(root), vec_root[i], "the digest of the first %d fixed records is pinned", i);
	}
}

int
main(void)
{
	if (!ledger_sha_init(&sha))
	{
		printf("Bail out! EVP_MD_CTX_new failed\n");
		return 1;
	}
	test_sha256_vectors();
	test_hex();
	test_parse_hex();
	test_merkle_small();
	test_merkle_incremental();
	test_entry_hash();
	test_record_leaf();
	test_fixed_entries();
	test_fixed_submission();
	ledger_sha_free(&sha);
	return done_testing();
}
