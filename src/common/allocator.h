/*
 * allocator.h
 *		Pure core: where the memory of an arena or a hash table comes from,
 *		and what happens when there is none.
 *
 * The cores run inside the server, where memory comes from palloc (which
 * raises an error instead of returning NULL) or from malloc with a handler
 * that raises one by longjmp, and in the unit tests and fuzzers, where it
 * comes from malloc.  A MemAllocator names the callbacks and the policy, so
 * that arena.h and hash_table.h need not know which.
 *
 * No server headers.
 */
#ifndef TAXSHARE_ALLOCATOR_H
#define TAXSHARE_ALLOCATOR_H

#include <stddef.h>
#include <string.h>

typedef struct MemAllocator
{
	/*
	 * size bytes aligned for any type, as malloc and palloc give them.  May
	 * return NULL when memory runs out, or not return at all (palloc).
	 */
	void *(*alloc)(void *ctx, size_t size);

	/*
	 * As alloc, the bytes zeroed: calloc, which takes fresh pages zeroed
	 * for free.  NULL: alloc, then memset.
	 */
	void *(*alloc_zeroed)(void *ctx, size_t size);

	/* Give p back; NULL when the owner of ctx frees everything at once. */
	void (*release)(void *ctx, void *p);

	/*
	 * The out-of-memory policy, called with the request when alloc (or
	 * alloc_zeroed) returned NULL, or with SIZE_MAX for a request too large
	 * for size_t.  It may leave by longjmp (the server's error): every
	 * structure built on this allocator is whole at that point, so that it
	 * can still be freed, or used.  When it returns, or is NULL, the
	 * operation that asked fails (returns NULL or false) and changes nothing.
	 */
	void (*out_of_memory)(void *ctx, size_t size);

	void *ctx;
} MemAllocator;

/* size bytes from m, or NULL after m's out-of-memory policy returned. */
static inline void *
mem_alloc(const MemAllocator *m, size_t size)
{
	void *p = m->alloc(m->ctx, size);

	if (p == NULL && m->out_of_memory)
		m->out_of_memory(m->ctx, size);
	return p;
}

/* size zeroed bytes from m, or NULL as mem_alloc(). */
static inline void *
mem_alloc_zeroed(const MemAllocator *m, size_t size)
{
	void *p;

	if (m->alloc_zeroed == NULL)
	{
		p = mem_alloc(m, size);
		if (p)
			memset(p, 0, size);
		return p;
	}
	p = m->alloc_zeroed(m->ctx, size);
	if (p == NULL && m->out_of_memory)
		m->out_of_memory(m->ctx, size);
	return p;
}

static inline void
mem_release(const MemAllocator *m, void *p)
{
	if (m->release && p)
		m->release(m->ctx, p);
}

#endif /* TAXSHARE_ALLOCATOR_H */
