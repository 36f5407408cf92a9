/*
 * arena.c
 *		Pure core: an arena's blocks (arena.h); the pieces that fit the
 *		current block are cut inline.
 *
 * A block is a header followed by its bytes.  The list of blocks starts
 * with the current one; a block of its own for a large piece goes second,
 * so that the current one keeps serving.
 */
#include "common/arena.h"

#include <string.h>

/* The smallest block: a quarter of it must hold a piece and its padding. */
#define ARENA_MIN_BLOCK 64

struct ArenaBlock
{
	ArenaBlock *next;
};

void
arena_init(Arena *a, const MemAllocator *mem, size_t block_size)
{
	a->mem = *mem;
	a->blocks = NULL;
	a->next = NULL;
	a->left = 0;
	a->block_size = block_size < ARENA_MIN_BLOCK ? ARENA_MIN_BLOCK : block_size;
}

void
arena_free(Arena *a)
{
	ArenaBlock *b = a->blocks;

	while (b)
	{
		ArenaBlock *next = b->next;

		mem_release(&a->mem, b);
		b = next;
	}
	a->blocks = NULL;
	a->next = NULL;
	a->left = 0;
}

void *
arena_alloc_block(Arena *a, size_t size, size_t align)
{
	bool        own;
	size_t      room;
	ArenaBlock *b;
	char       *data;
	char       *p;

	/* an empty piece is a piece of one byte: distinct, and never NULL */
	if (size == 0)
		return align == 1 ? arena_alloc_bytes(a, 1) : arena_alloc(a, 1);

	if (size > SIZE_MAX - sizeof(ArenaBlock) - align)
	{
		if (a->mem.out_of_memory)
			a->mem.out_of_memory(a->mem.ctx, SIZE_MAX);
		return NULL;
	}
	own = size > a->block_size / 4;
	room = own ? size + align - 1 : a->block_size;
	b = mem_alloc(&a->mem, sizeof(ArenaBlock) + room);
	if (b == NULL)
		return NULL;
	data = (char *) (b + 1);
	p = data + ((size_t) (-(uintptr_t) data) & (align - 1));
	if (own && a->blocks)
	{
		b->next = a->blocks->next;
		a->blocks->next = b;
	}
	else
	{
		b->next = a->blocks;
		a->blocks = b;
		a->next = p + size;
		a->left = (size_t) (data + room - a->next);
	}
	return p;
}

char *
arena_strdup(Arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char  *p = arena_alloc_bytes(a, n);

	if (p)
		memcpy(p, s, n);
	return p;
}
