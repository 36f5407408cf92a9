/*
 * fuzz_hash_table.c
 *		libFuzzer target for src/common/arena.c and hash_table.c: the input
 *		is a program of inserts, lookups, arena pieces and allocations made
 *		to fail, run against a set of byte strings kept as a ValidateSet
 *		keeps them (keys in an arena, the probe loop comparing them) and
 *		against a plain list.  The two must agree after every step, a failed
 *		allocation must leave both the table and the arena as they were, and
 *		nothing may leak (the sanitizers and libFuzzer's leak check).
 *
 * The hash is deliberately poor (eight values), so that probes are long,
 * wrap around, and meet equal hashes of distinct keys.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/hash_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_KEYS 256

typedef struct Fuzz
{
	bool fail_next; /* the next allocation fails */
	long live;
} Fuzz;

static void *
fz_alloc(void *ctx, size_t size)
{
	Fuzz *f = ctx;
	void *p;

	if (f->fail_next)
	{
		f->fail_next = false;
		return NULL;
	}
	p = malloc(size);
	if (p)
		f->live++;
	return p;
}

static void
fz_release(void *ctx, void *p)
{
	Fuzz *f = ctx;

	f->live--;
	free(p);
}

static uint64_t
poor_hash(const uint8_t *key, size_t len)
{
	return 1 + (len ? key[0] % 8 : 0);
}

/* A record: length byte, value byte, key bytes (as validate_set.c keeps them). */
static bool
rec_is(const uint8_t *rec, const uint8_t *key, size_t len)
{
	return rec[0] == len && memcmp(rec + 2, key, len) == 0;
}

/* The slot of key: where it is, or the free slot where it would go. */
static size_t
find(const HashTable *t, const uint8_t *key, size_t len)
{
	uint64_t h = poor_hash(key, len);
	size_t   i;

	for (i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE; i = hash_table_next(t, i))
		if (t->slots[i].hash == h && rec_is(t->slots[i].u.ptr, key, len))
			break;
	return i;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Fuzz           f = {false, 0};
	MemAllocator   m = {.alloc = fz_alloc, .release = fz_release, .ctx = &f};
	HashTable      t;
	Arena          a;
	const uint8_t *ref_key[MAX_KEYS];
	size_t         ref_len[MAX_KEYS];
	int            nref = 0;
	size_t         pos = 0;

	if (!hash_table_init(&t, &m, 8, 70))
		abort();
	arena_init(&a, &m, 64);
	while (pos + 1 < size && nref < MAX_KEYS)
	{
		uint8_t        op = data[pos++];
		size_t         len = data[pos++] % 16;
		const uint8_t *key = data + pos;
		int            known = -1;

		if (len > size - pos)
			len = size - pos;
		pos += len;
		for (int k = 0; k < nref; k++)
			if (ref_len[k] == len && memcmp(ref_key[k], key, len) == 0)
				known = k;
		switch (op % 4)
		{
			case 0: /* insert */
			case 1:
			{
				size_t   n = t.n;
				Arena    before = a;
				size_t   i;
				uint8_t *rec;

				if (!hash_table_reserve(&t))
				{
					if (t.n != n)
						abort();
					break;
				}
				i = find(&t, key, len);
				if (t.slots[i].hash != HASH_TABLE_FREE)
				{
					if (known < 0 || ((uint8_t *) t.slots[i].u.ptr)[1] != known)
						abort();
					break;
				}
				if (known >= 0)
					abort();
				rec = arena_alloc_bytes(&a, 2 + len);
				if (rec == NULL)
				{
					if (a.blocks != before.blocks || a.next != before.next || a.left != before.left)
						abort();
					break;
				}
				rec[0] = (uint8_t) len;
				rec[1] = (uint8_t) nref;
				memcpy(rec + 2, key, len);
				hash_table_fill(&t, i, poor_hash(key, len))->u.ptr = rec;
				ref_key[nref] = rec + 2;
				ref_len[nref++] = len;
				break;
			}
			case 2: /* look up; an aligned arena piece of the key's length * 8 */
			{
				uint8_t *p;

				if ((t.slots[find(&t, key, len)].hash != HASH_TABLE_FREE) != (known >= 0))
					abort();
				p = arena_alloc(&a, len * 8);
				if (p != NULL)
				{
					if ((uintptr_t) p % ARENA_ALIGN != 0)
						abort();
					memset(p, 0xEE, len * 8);
				}
				break;
			}
			case 3: /* the next allocation fails */
				f.fail_next = true;
				break;
		}
		if (t.n != (size_t) nref)
			abort();
	}
	for (int k = 0; k < nref; k++)
		if (t.slots[find(&t, ref_key[k], ref_len[k])].hash == HASH_TABLE_FREE)
			abort();
	hash_table_free(&t);
	arena_free(&a);
	if (f.live != 0)
		abort();
	return 0;
}
