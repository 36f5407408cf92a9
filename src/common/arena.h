/*
 * arena.h
 *		Pure core: an arena, for many small pieces of memory that are all
 *		given back at once.
 *
 * The pieces are cut from large blocks taken from a MemAllocator; nothing is
 * freed alone, arena_free() gives back every block.  A piece larger than a
 * quarter of a block gets a block of its own, so that the current block's
 * free space is not thrown away.  Used for the key bytes of a ValidateSet
 * (src/validate/validate_set.c) and the strings and list nodes of the entity
 * store (src/match/resolve_store.c).
 *
 * The common case, a piece that fits the current block, is inline: a
 * comparison and an addition.
 *
 * No server headers: unit tested in test/unit/test_arena.c, fuzzed with the
 * hash table in test/fuzz/fuzz_hash_table.c.
 */
#ifndef TAXSHARE_ARENA_H
#define TAXSHARE_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/allocator.h"

/*
 * What arena_alloc() aligns to: enough for every type the cores keep in an
 * arena (pointers, int64_t, double).
 */
#define ARENA_ALIGN 8

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena
{
	MemAllocator mem;
	ArenaBlock  *blocks; /* every block, the current one first */
	char        *next;   /* where the current block's unused bytes start ... */
	size_t       left;   /* ... and how many */
	size_t       block_size;
} Arena;

/* An empty arena that takes blocks of block_size bytes from mem (copied). */
extern void arena_init(Arena *a, const MemAllocator *mem, size_t block_size);

/* Give back every block; the arena is empty and can be used again. */
extern void arena_free(Arena *a);

/* The slow path of the two below: a new block, or NULL (the arena unchanged). */
extern void *arena_alloc_block(Arena *a, size_t size, size_t align);

/*
 * size bytes aligned to ARENA_ALIGN (size 0 gives a distinct piece of its
 * own too), or NULL when memory runs out and the allocator's policy returns.
 */
static inline void *
arena_alloc(Arena *a, size_t size)
{
	size_t pad = (size_t) (-(uintptr_t) a->next) & (ARENA_ALIGN - 1);

	if (size != 0 && pad <= a->left && size <= a->left - pad)
	{
		char *p = a->next + pad;

		a->next = p + size;
		a->left -= pad + size;
		return p;
	}
	return arena_alloc_block(a, size, ARENA_ALIGN);
}

/* size bytes with no alignment, for byte strings: nothing is wasted between pieces. */
static inline void *
arena_alloc_bytes(Arena *a, size_t size)
{
	if (size != 0 && size <= a->left)
	{
		char *p = a->next;

		a->next = p + size;
		a->left -= size;
		return p;
	}
	return arena_alloc_block(a, size, 1);
}

/* A copy of the NUL-terminated s, or NULL as arena_alloc(). */
extern char *arena_strdup(Arena *a, const char *s);

#endif /* TAXSHARE_ARENA_H */
