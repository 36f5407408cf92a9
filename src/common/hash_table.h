/*
 * hash_table.h
 *		Pure core: an open-addressing hash table of 64-bit hashes, each slot
 *		with eight bytes of the caller's: a pointer, or an int32 value and a
 *		count.
 *
 * The table knows hashes only; what a key is, and whether two keys with one
 * hash are the same, is the caller's to say.  So a caller either takes a
 * 64-bit hash for the key (the entity store's blocks: a hint verified later
 * anyway), or keeps the key where the slot points and compares it while
 * probing (a ValidateSet: its slots point at the key's bytes in an arena).
 * Probing is linear from the slot that the hash's low bits name, so a hash
 * must have good low bits; hash 0 marks a free slot (map it to another).
 * The capacity is a power of two, and the table doubles when it would be
 * fuller than its load factor; a doubling that runs out of memory leaves
 * the table as it was (allocator.h).
 *
 * The probe loop is the caller's, written with the inline functions below,
 * so that comparing keys costs no call: a ValidateSet does it once per
 * value of a unique column.  hash_table_find(), _upsert() and _add() are
 * the loops for callers that identify a key by its hash.
 *
 * Used by src/validate/validate_set.c and src/match/resolve_store.c.
 * No server headers: unit tested in test/unit/test_hash_table.c, fuzzed in
 * test/fuzz/fuzz_hash_table.c.
 */
#ifndef TAXSHARE_HASH_TABLE_H
#define TAXSHARE_HASH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/allocator.h"

#define HASH_TABLE_FREE 0 /* the hash of a free slot */

typedef struct HashSlot
{
	uint64_t hash; /* HASH_TABLE_FREE: the slot is free */
	union
	{
		void *ptr;
		struct
		{
			int32_t value;
			int32_t count;
		} i;
	} u;
} HashSlot;

typedef struct HashTable
{
	HashSlot    *slots;
	size_t       mask;  /* capacity - 1 */
	size_t       n;     /* slots in use */
	size_t       limit; /* n that makes the next hash_table_reserve() double */
	unsigned     load_percent;
	MemAllocator mem;
} HashTable;

/*
 * A table of at least capacity slots (rounded up to a power of two) that
 * stays at most load_percent (1..99) full, its memory from mem (copied).
 * False when memory runs out (then only hash_table_free() may be called).
 */
extern bool hash_table_init(HashTable *t, const MemAllocator *mem, size_t capacity,
							unsigned load_percent);
extern void hash_table_free(HashTable *t);

/* Double the capacity; false, and the table unchanged, when memory runs out. */
extern bool hash_table_grow(HashTable *t);

/*
 * Room for one more slot, doubling if need be: call before probing for a
 * slot to fill (a doubling moves every slot).  False as hash_table_grow().
 */
static inline bool
hash_table_reserve(HashTable *t)
{
	return t->n < t->limit || hash_table_grow(t);
}

static inline size_t
hash_table_capacity(const HashTable *t)
{
	return t->mask + 1;
}

/* Probing: the slot where h's probe starts, and the slot after slot i. */
static inline size_t
hash_table_home(const HashTable *t, uint64_t h)
{
	return (size_t) h & t->mask;
}

static inline size_t
hash_table_next(const HashTable *t, size_t i)
{
	return (i + 1) & t->mask;
}

/* Take the free slot i, met by probing for h (after hash_table_reserve()). */
static inline HashSlot *
hash_table_fill(HashTable *t, size_t i, uint64_t h)
{
	t->slots[i].hash = h;
	t->n++;
	return &t->slots[i];
}

/* The first slot holding h, or NULL. */
static inline HashSlot *
hash_table_find(const HashTable *t, uint64_t h)
{
	size_t i;

	for (i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE; i = hash_table_next(t, i))
		if (t->slots[i].hash == h)
			return &t->slots[i];
	return NULL;
}

/*
 * The first slot holding h, else a new one for h with *is_new set (its
 * eight bytes are the caller's to fill); NULL when the table could not grow.
 */
static inline HashSlot *
hash_table_upsert(HashTable *t, uint64_t h, bool *is_new)
{
	size_t i;

	*is_new = false;
	if (!hash_table_reserve(t))
		return NULL;
	for (i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE; i = hash_table_next(t, i))
		if (t->slots[i].hash == h)
			return &t->slots[i];
	*is_new = true;
	return hash_table_fill(t, i, h);
}

/*
 * A new slot for h even if h is there already (several values under one
 * hash, told apart by the caller); NULL when the table could not grow.
 */
static inline HashSlot *
hash_table_add(HashTable *t, uint64_t h)
{
	size_t i;

	if (!hash_table_reserve(t))
		return NULL;
	for (i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE; i = hash_table_next(t, i))
		;
	return hash_table_fill(t, i, h);
}

#endif /* TAXSHARE_HASH_TABLE_H */
