/*
 * counting_alloc.h
 *		For the unit tests of the common arena and hash table: a MemAllocator
 *		that counts what it hands out and gives back, can be told to fail
 *		after a number of allocations, and whose out-of-memory policy either
 *		returns or leaves by longjmp.  Run under valgrind, nothing may leak.
 */
#ifndef TAXSHARE_COUNTING_ALLOC_H
#define TAXSHARE_COUNTING_ALLOC_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/allocator.h"

typedef struct Counter
{
	long     allocs;     /* successful allocations */
	long     live;       /* allocations not yet released */
	long     fail_after; /* allocations that succeed before each fails; -1: none fails */
	long     oom_calls;
	size_t   oom_size;
	jmp_buf *jump; /* the policy longjmps here when set */
} Counter;

static void *
count_alloc_impl(Counter *c, size_t size, bool zeroed)
{
	void *p;

	if (c->fail_after >= 0 && c->allocs >= c->fail_after)
		return NULL;
	p = zeroed ? calloc(1, size) : malloc(size);
	if (p == NULL)
		abort();
	if (!zeroed)
		memset(p, 0xA5, size); /* not zeroed: the caller must clear what it reads */
	c->allocs++;
	c->live++;
	return p;
}

static void *
count_alloc(void *ctx, size_t size)
{
	return count_alloc_impl(ctx, size, false);
}

static void *
count_alloc_zeroed(void *ctx, size_t size)
{
	return count_alloc_impl(ctx, size, true);
}

static void
count_release(void *ctx, void *p)
{
	Counter *c = ctx;

	c->live--;
	free(p);
}

static void
count_oom(void *ctx, size_t size)
{
	Counter *c = ctx;

	c->oom_calls++;
	c->oom_size = size;
	if (c->jump)
		longjmp(*c->jump, 1);
}

/* An allocator counting into c; with zeroed, one that has calloc too. */
static MemAllocator
counter_mem(Counter *c, bool zeroed)
{
	MemAllocator m;

	memset(c, 0, sizeof(*c));
	c->fail_after = -1;
	m.alloc = count_alloc;
	m.alloc_zeroed = zeroed ? count_alloc_zeroed : NULL;
	m.release = count_release;
	m.out_of_memory = count_oom;
	m.ctx = c;
	return m;
}

#endif /* TAXSHARE_COUNTING_ALLOC_H */
