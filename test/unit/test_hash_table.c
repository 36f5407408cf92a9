/*
 * test_hash_table.c
 *		Unit tests of src/common/hash_table.c: growth over many doublings,
 *		one hash several times, distinct hashes that share a home slot and
 *		wrap around the end, distinct keys with one hash (a caller that
 *		compares keys while probing, as a ValidateSet does), and running out
 *		of memory at every allocation in turn (the table stays whole and
 *		usable, whether the out-of-memory policy returns or leaves by
 *		longjmp).
 *
 * The allocator of counting_alloc.h counts what it hands out and can be told to fail;
 * run under valgrind, nothing may leak.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash_table.h"
#include "counting_alloc.h"
#include "tap.h"

/* A well-mixed non-zero hash of i (splitmix64). */
static uint64_t
mix(uint64_t i)
{
	uint64_t h = i + UINT64_C(0x9e3779b97f4a7c15);

	h = (h ^ (h >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	h = (h ^ (h >> 27)) * UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	return h ? h : 1;
}

static bool
is_power_of_two(size_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* ---------------------------------------------------------------- tests */

static void
test_init(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	HashTable    t;

	ok(hash_table_init(&t, &m, 100, 75), "a table of 100 slots at 75%%");
	is_int(hash_table_capacity(&t), 128, "has 128, the next power of two");
	is_int(t.n, 0, "and none in use");
	hash_table_free(&t);
	ok(hash_table_init(&t, &m, 0, 70) && hash_table_capacity(&t) == 8,
	   "capacity 0 gives the smallest table, 8");
	hash_table_free(&t);
	ok(hash_table_init(&t, &m, 8, 0), "a load factor of 0 is taken as 1%%");
	ok(t.limit >= 1, "and the table is made large enough to hold one slot (capacity %zu)",
	   hash_table_capacity(&t));
	hash_table_free(&t);
	is_int(c.live, 0, "each table is given back");

	c.fail_after = 0;
	ok(!hash_table_init(&t, &m, 64, 70), "init fails when there is no memory");
	is_int(c.oom_calls, 1, "after the policy was told");
	hash_table_free(&t);
	is_int(c.live, 0, "and a failed table can be freed");
}

/* A million hashes: 17 doublings from 8 slots, every value still found. */
static void
test_growth(bool zeroed)
{
	enum
	{
		N = 1000000
	};
	Counter      c;
	MemAllocator m = counter_mem(&c, zeroed);
	const char  *how = zeroed ? "alloc_zeroed" : "alloc and memset";
	HashTable    t;
	long         wrong = 0;
	long         new_again = 0;
	long         over = 0;
	bool         is_new;

	hash_table_init(&t, &m, 8, 75);
	for (int i = 0; i < N; i++)
	{
		HashSlot *s = hash_table_upsert(&t, mix(i), &is_new);

		if (!is_new)
			wrong++;
		s->u.i.value = i;
		s->u.i.count = 1;
		if (t.n * 100 > hash_table_capacity(&t) * 75)
			over++;
	}
	is_int(wrong, 0, "a million distinct hashes are each new (slots by %s)", how);
	is_int(t.n, N, "and each takes a slot");
	ok(is_power_of_two(hash_table_capacity(&t)) && hash_table_capacity(&t) == (1 << 21),
	   "the table doubled to 2^21 slots");
	is_int(over, 0, "it was never fuller than its load factor");
	is_int(c.live, 1, "the old slots were given back at each doubling");
	for (int i = 0; i < N; i++)
	{
		HashSlot *s = hash_table_find(&t, mix(i));

		if (s == NULL || s->u.i.value != i || s->u.i.count != 1)
			wrong++;
		s = hash_table_upsert(&t, mix(i), &is_new);
		if (is_new)
			new_again++;
		s->u.i.count++;
	}
	is_int(wrong, 0, "every hash is found with its value after the doublings (%s)", how);
	is_int(new_again, 0, "upsert finds each of them instead of adding it again");
	is_int(t.n, N, "so the count stays");
	ok(hash_table_find(&t, mix(N)) == NULL && hash_table_find(&t, mix(N + 1)) == NULL,
	   "a hash never inserted is not found");
	hash_table_free(&t);
	is_int(c.live, 0, "nothing leaks");
}

/* One hash several times, and distinct hashes with one home slot, wrapping around. */
static void
test_collisions(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	HashTable    t;
	int          seen = 0;
	size_t       i;
	bool         is_new;

	hash_table_init(&t, &m, 8, 99);
	for (int v = 0; v < 5; v++)
		hash_table_add(&t, 42)->u.i.value = v;
	is_int(t.n, 5, "hash_table_add puts one hash in five slots");
	is_int(hash_table_find(&t, 42)->u.i.value, 0, "find gives the first of them");
	for (i = hash_table_home(&t, 42); t.slots[i].hash != HASH_TABLE_FREE;
		 i = hash_table_next(&t, i))
		if (t.slots[i].hash == 42)
			seen |= 1 << t.slots[i].u.i.value;
	is_int(seen, 0x1F, "probing from its home slot meets all five");
	hash_table_free(&t);

	/* 7, 15, 23, 31 share slot 7 of 8: the probe wraps to slots 0, 1, 2 */
	hash_table_init(&t, &m, 8, 99);
	for (int k = 0; k < 4; k++)
		hash_table_upsert(&t, 7 + 8 * k, &is_new)->u.i.value = k;
	ok(t.slots[7].hash == 7 && t.slots[0].hash == 15 && t.slots[1].hash == 23 &&
		   t.slots[2].hash == 31,
	   "hashes sharing the last slot wrap around to the first ones");
	ok(hash_table_find(&t, 31) && hash_table_find(&t, 31)->u.i.value == 3, "and are found there");
	ok(hash_table_find(&t, 39) == NULL, "a hash of the same slot never added is not found");
	hash_table_upsert(&t, 1, &is_new)->u.i.value = 9;
	ok(is_new && t.slots[3].hash == 1,
	   "a hash whose home the wrapped probe took goes on to the next free slot");
	for (int k = 0; k < 3; k++)
		hash_table_upsert(&t, 100 + k, &is_new);
	ok(hash_table_capacity(&t) == 16, "the 8th hash in 8 slots doubles the table");
	{
		long wrong = 0;

		for (int k = 0; k < 4; k++)
		{
			HashSlot *s = hash_table_find(&t, 7 + 8 * k);

			if (s == NULL || s->u.i.value != k)
				wrong++;
		}
		if (hash_table_find(&t, 1) == NULL || hash_table_find(&t, 1)->u.i.value != 9)
			wrong++;
		is_int(wrong, 0, "the wrapped hashes are found after the doubling");
	}
	hash_table_free(&t);

	/* a doubling keeps every copy of a hash added several times */
	hash_table_init(&t, &m, 8, 75);
	for (int v = 0; v < 40; v++)
		hash_table_add(&t, v % 2 ? 77 : 78)->u.i.value = v;
	seen = 0;
	for (i = hash_table_home(&t, 77); t.slots[i].hash != HASH_TABLE_FREE;
		 i = hash_table_next(&t, i))
		if (t.slots[i].hash == 77)
			seen++;
	ok(hash_table_capacity(&t) == 64 && seen == 20, "doublings keep all 20 copies of a hash (%d)",
	   seen);
	hash_table_free(&t);
	is_int(c.live, 0, "nothing leaks");
}

/* ---------------------------------------------------------------- a caller that compares keys */

/*
 * A set of strings as a ValidateSet keeps them, with a hash so bad that
 * distinct keys share it: the probe must compare the keys themselves.
 */
typedef struct StrSet
{
	HashTable t;
} StrSet;

static uint64_t
bad_hash(const char *s)
{
	return 1 + strlen(s) % 3;
}

/* The value stored with s, or -1 after adding s with v. */
static int
strset_insert(StrSet *set, const char *s, char **store, int v)
{
	uint64_t h = bad_hash(s);
	size_t   i;

	if (!hash_table_reserve(&set->t))
		return -2;
	for (i = hash_table_home(&set->t, h); set->t.slots[i].hash != HASH_TABLE_FREE;
		 i = hash_table_next(&set->t, i))
	{
		const char *k = set->t.slots[i].u.ptr;

		if (set->t.slots[i].hash == h && strcmp(k, s) == 0)
			return k[strlen(k) + 1];
	}
	*store = malloc(strlen(s) + 2);
	strcpy(*store, s);
	(*store)[strlen(s) + 1] = (char) v;
	hash_table_fill(&set->t, i, h)->u.ptr = *store;
	return -1;
}

static void
test_equal_hashes(void)
{
	enum
	{
		N = 600
	};
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	StrSet       set;
	char        *store[N + 1];
	char         key[16];
	long         wrong = 0;
	int          nstore = 0;

	hash_table_init(&set.t, &m, 8, 70);
	for (int i = 0; i < N; i++)
	{
		snprintf(key, sizeof(key), "k%d", i);
		if (strset_insert(&set, key, &store[nstore++], i % 100) != -1)
			wrong++;
	}
	is_int(wrong, 0, "600 keys with three hashes among them are each new");
	for (int i = 0; i < N; i++)
	{
		char *unused = NULL;

		snprintf(key, sizeof(key), "k%d", i);
		if (strset_insert(&set, key, &unused, 0) != i % 100 || unused != NULL)
			wrong++;
	}
	is_int(wrong, 0, "each is found again, with its own value, among its hash's others");
	is_int(strset_insert(&set, "", &store[nstore++], 42), -1, "the empty key is a key");
	is_int(strset_insert(&set, "", &store[nstore], 0), 42, "and is found again");
	is_int(set.t.n, N + 1, "the set holds every key once");
	for (int i = 0; i < nstore; i++)
		free(store[i]);
	hash_table_free(&set.t);
	is_int(c.live, 0, "nothing leaks");
}

/* ---------------------------------------------------------------- out of memory */

/*
 * Insert 5000 hashes with the allocator failing at its k-th allocation,
 * for every k until none fails.  Returns how many checks failed.
 */
static long
oom_round(long k, bool use_longjmp, bool zeroed, long *rounds_failed)
{
	enum
	{
		N = 5000
	};
	Counter          c;
	MemAllocator     m = counter_mem(&c, zeroed);
	jmp_buf          jump;
	static HashTable t; /* static: whole after a longjmp */
	volatile long    done = 0;
	volatile long    wrong = 0;
	bool             is_new;

	c.fail_after = k;
	c.jump = use_longjmp ? &jump : NULL;
	if (setjmp(jump) == 0)
	{
		if (!hash_table_init(&t, &m, 8, 75))
		{
			hash_table_free(&t);
			return c.live != 0;
		}
		for (; done < N; done++)
		{
			HashSlot *s = hash_table_upsert(&t, mix(done), &is_new);

			if (s == NULL)
				break;
			s->u.i.value = done;
		}
	}
	else if (t.slots == NULL)
	{
		/* left by longjmp from inside hash_table_init */
		hash_table_free(&t);
		return c.live != 0;
	}
	if (done < N)
	{
		size_t n = t.n;
		size_t cap = hash_table_capacity(&t);

		(*rounds_failed)++;
		/* the table is whole: what was in it is still there, nothing else */
		if (n != (size_t) done || t.slots == NULL)
			wrong++;
		for (long i = 0; i < done; i++)
			if (hash_table_find(&t, mix(i)) == NULL || hash_table_find(&t, mix(i))->u.i.value != i)
				wrong++;
		if (hash_table_find(&t, mix(done)) != NULL)
			wrong++;
		c.jump = NULL;
		if (hash_table_grow(&t) || hash_table_capacity(&t) != cap || c.live != 1)
			wrong++;
		/* memory again: the table goes on */
		c.fail_after = -1;
		for (; done < N; done++)
			hash_table_upsert(&t, mix(done), &is_new)->u.i.value = done;
	}
	for (long i = 0; i < N; i++)
		if (hash_table_find(&t, mix(i)) == NULL || hash_table_find(&t, mix(i))->u.i.value != i)
			wrong++;
	hash_table_free(&t);
	if (c.live != 0)
		wrong++;
	return wrong;
}

static void
test_oom(void)
{
	for (int zeroed = 0; zeroed <= 1; zeroed++)
	{
		const char *how = zeroed ? "alloc_zeroed" : "alloc and memset";
		long        wrong = 0;
		long        failed = 0;

		for (long k = 0; k < 20; k++)
			wrong += oom_round(k, false, zeroed, &failed);
		is_int(wrong, 0,
			   "failing each allocation in turn (%s, policy returns): the table stays "
			   "whole, goes on when memory returns, and nothing leaks",
			   how);
		ok(failed >= 9, "(%ld of the rounds ran out in the middle of the inserts)", failed);
		failed = 0;
		for (long k = 0; k < 20; k++)
			wrong += oom_round(k, true, zeroed, &failed);
		is_int(wrong, 0, "the same when the policy leaves by longjmp (%s)", how);
		ok(failed >= 9, "(%ld of the rounds ran out in the middle of the inserts)", failed);
	}
}

int
main(void)
{
	test_init();
	test_growth(false);
	test_growth(true);
	test_collisions();
	test_equal_hashes();
	test_oom();
	return done_testing();
}
