/*
 * fuzz_ledger.c
 *		libFuzzer target for the ledger's hashing core (src/ledger/ledger.c and
 *		ledger_canon.c).
 *
 * The input is cut into leaves at every 0x0A byte.  Checked, besides the
 * sanitizers' own checks:
 *	- the incremental Merkle builder and the batch reduction give the same
 *	  root for every prefix of the leaves;
 *	- an entry hash is deterministic, and moving the boundary between two
 *	  fields (actor, action) changes it (the length prefixes work);
 *	- streaming a string in canonical form through the gathering buffer gives
 *	  the same leaf whatever the input's length;
 *	- the input as a string parses as a hash only if it is 64 hex digits
 *	  (after an optional \x), and then prints back as the same digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_canon.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)
#define MAX_LEAVES 300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static LedgerSha     sha;
	static bool          ready = false;
	static unsigned char leaves[MAX_LEAVES][LEDGER_HASH_LEN];
	static unsigned char scratch[MAX_LEAVES][LEDGER_HASH_LEN];
	unsigned char        inc[LEDGER_HASH_LEN];
	unsigned char        bat[LEDGER_HASH_LEN];
	unsigned char        h1[LEDGER_HASH_LEN];
	unsigned char        h2[LEDGER_HASH_LEN];
	unsigned char        prev[LEDGER_HASH_LEN] = {0};
	LedgerMerkle         m;
	LedgerEntry          e;
	size_t               n = 0, start = 0, i;

	if (!ready)
	{
		CHECK(ledger_sha_init(&sha));
		ready = true;
	}

	ledger_merkle_init(&m, &sha);
	for (i = 0; i <= size && n < MAX_LEAVES; i++)
	{
		if (i == size || data[i] == 0x0A)
		{
			CHECK(ledger_leaf_hash(&sha, data + start, i - start, leaves[n]));
			CHECK(ledger_merkle_add_leaf_hash(&m, leaves[n]));
			n++;
			CHECK(ledger_merkle_root(&m, inc));
			memcpy(scratch, leaves, sizeof(leaves[0]) * n);
			CHECK(ledger_merkle_root_batch(&sha, scratch, n, bat));
			CHECK(memcmp(inc, bat, LEDGER_HASH_LEN) == 0);
			start = i + 1;
		}
	}
	CHECK(m.count == n);

	/* Entry hashes: actor = data[0..k), action = data[k..size). */
	if (size >= 2)
	{
		size_t k = data[0] % size;

		memset(&e, 0, sizeof(e));
		e.seq = (int64_t) size;
		e.at_unix_us = (int64_t) data[size - 1] << 40;
		e.actor = (const char *) data;
		e.actor_len = k;
		e.action = (const char *) data + k;
		e.action_len = size - k;
		e.object = "o";
		e.object_len = 1;
		e.prev_hash = prev;
		CHECK(ledger_entry_hash(&sha, &e, h1));
		CHECK(ledger_entry_hash(&sha, &e, h2));
		CHECK(memcmp(h1, h2, LEDGER_HASH_LEN) == 0);
		e.actor_len = k + 1;
		e.action = (const char *) data + k + 1;
		e.action_len = size - k - 1;
		CHECK(ledger_entry_hash(&sha, &e, h2));
		CHECK(memcmp(h1, h2, LEDGER_HASH_LEN) != 0);
	}

	/* A canonical string streamed through the buffer equals the flat bytes. */
	{
		unsigned char *flat = malloc(size + 32);
		size_t         f = 0;

		CHECK(flat != NULL);
		flat[f++] = 0x00;
		memset(flat + f, 0, 8);
		f += 8;
		memset(flat + f, 0, 4);
		f += 4;
		memcpy(flat + f, "\xff\xff\xff\xff", 4); /* status NULL */
		f += 4;
		flat[f++] = 0x01;
		flat[f++] = 's';
		flat[f++] = (unsigned char) (size >> 24);
		flat[f++] = (unsigned char) (size >> 16);
		flat[f++] = (unsigned char) (size >> 8);
		flat[f++] = (unsigned char) size;
		if (size > 0)
			memcpy(flat + f, data, size);
		f += size;
		flat[f++] = 0x00;
		CHECK(ledger_sha256(&sha, flat, f, h1));
		CHECK(ledger_record_leaf_begin(&sha, 0, 0, NULL, 0));
		CHECK(ledger_cj_present(&sha));
		CHECK(ledger_cj_string(&sha, (const char *) data, size));
		CHECK(ledger_cj_absent(&sha));
		CHECK(ledger_hash_end(&sha, h2));
		CHECK(memcmp(h1, h2, LEDGER_HASH_LEN) == 0);
		free(flat);
	}

	/* The external digest's hex: parse, print back, compare ignoring case. */
	{
		char       *s = malloc(size + 1);
		const char *digits;
		char        back[LEDGER_HEX_LEN + 1];

		CHECK(s != NULL);
		if (size > 0)
			memcpy(s, data, size);
		s[size] = '\0';
		digits = (s[0] == '\\' && s[1] == 'x') ? s + 2 : s;
		if (ledger_parse_hex_hash(s, h1))
		{
			CHECK(strlen(digits) == LEDGER_HEX_LEN);
			ledger_hex(h1, LEDGER_HASH_LEN, back);
			for (i = 0; i < LEDGER_HEX_LEN; i++)
				CHECK(back[i] == digits[i] ||
					  (digits[i] >= 'A' && digits[i] <= 'F' && back[i] == digits[i] - 'A' + 'a'));
		}
		free(s);
	}
	return 0;
}
