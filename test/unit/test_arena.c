/*
 * test_arena.c
 *		Unit tests of src/common/arena.c: alignment, pieces that do not
 *		overlap, empty pieces, pieces larger than a block, giving every block
 *		back, and running out of memory (the arena stays whole and usable,
 *		whether the out-of-memory policy returns or leaves by longjmp).
 *
 * The allocator of counting_alloc.h counts what it hands out and can be told to fail;
 * run under valgrind, nothing may leak.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "counting_alloc.h"
#include "tap.h"

/* ---------------------------------------------------------------- tests */

/* Pieces of every size, aligned and not, each filled with its own byte. */
static void
test_pieces(void)
{
	enum
	{
		N = 5000
	};
	Counter        c;
	MemAllocator   m = counter_mem(&c, false);
	Arena          a;
	unsigned char *p[N];
	size_t         size[N];
	long           misaligned = 0;
	long           wrong = 0;
	long           nulls = 0;

	arena_init(&a, &m, 1024);
	for (int i = 0; i < N; i++)
	{
		size[i] = (size_t) (i * 7) % 300;
		p[i] = i % 3 == 0 ? arena_alloc_bytes(&a, size[i]) : arena_alloc(&a, size[i]);
		if (p[i] == NULL)
			nulls++;
		else
		{
			if (i % 3 != 0 && (uintptr_t) p[i] % ARENA_ALIGN != 0)
				misaligned++;
			memset(p[i], i & 0xFF, size[i]);
		}
	}
	for (int i = 0; i < N; i++)
		for (size_t j = 0; p[i] && j < size[i]; j++)
			if (p[i][j] != (unsigned char) (i & 0xFF))
				wrong++;
	is_int(nulls, 0, "5000 pieces of 0 to 299 bytes are all given");
	is_int(misaligned, 0, "arena_alloc aligns every piece to ARENA_ALIGN");
	is_int(wrong, 0, "no piece overlaps another (each keeps its own bytes)");
	ok(c.allocs > 100, "the pieces came from many blocks (%ld)", c.allocs);
	arena_free(&a);
	is_int(c.live, 0, "arena_free gives every block back");
	ok(a.blocks == NULL && a.left == 0, "and leaves the arena empty");

	/* the arena can be used again after arena_free */
	p[0] = arena_alloc(&a, 40);
	ok(p[0] != NULL && c.live == 1, "an emptied arena takes a new block when used again");
	arena_free(&a);
	is_int(c.live, 0, "and gives it back");
}

/* Pieces of one block follow each other; alignment pads only as much as it must. */
static void
test_packing(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	Arena        a;
	char        *b1;
	char        *b2;
	char        *b3;
	char        *al;

	arena_init(&a, &m, 4096);
	b1 = arena_alloc_bytes(&a, 3);
	b2 = arena_alloc_bytes(&a, 5);
	b3 = arena_alloc_bytes(&a, 1);
	ok(b2 == b1 + 3 && b3 == b2 + 5, "byte pieces are packed with nothing between them");
	al = arena_alloc(&a, 16);
	ok(al >= b3 + 1 && al < b3 + 1 + ARENA_ALIGN && (uintptr_t) al % ARENA_ALIGN == 0,
	   "an aligned piece after them skips only to the next aligned address");
	is_int(c.allocs, 1, "all of them from one block");
	arena_free(&a);
	is_int(c.live, 0, "which is given back");
}

/* Empty pieces: distinct, never NULL, even in a fresh arena. */
static void
test_empty(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	Arena        a;
	char        *e1;
	char        *e2;
	char        *e3;
	char        *s;

	arena_init(&a, &m, 256);
	e1 = arena_alloc_bytes(&a, 0);
	e2 = arena_alloc_bytes(&a, 0);
	e3 = arena_alloc(&a, 0);
	ok(e1 != NULL && e2 != NULL && e3 != NULL, "empty pieces are not NULL");
	ok(e1 != e2 && e2 != e3 && e1 != e3, "empty pieces are distinct");
	is_int(c.allocs, 1, "and do not open a block each");
	ok((uintptr_t) e3 % ARENA_ALIGN == 0, "an empty aligned piece is aligned");
	s = arena_strdup(&a, "");
	ok(s != NULL && s[0] == '\0', "the empty string is copied");
	s = arena_strdup(&a, "衡阳市");
	is_str(s, "衡阳市", "a string is copied with its terminator");
	arena_free(&a);
	is_int(c.live, 0, "nothing left behind");

	/* a block size too small to be useful is raised */
	arena_init(&a, &m, 1);
	e1 = arena_alloc(&a, 8);
	e2 = arena_alloc(&a, 8);
	ok(e1 && e2 && e2 == e1 + 8, "an arena asked for 1-byte blocks still packs pieces");
	arena_free(&a);
	is_int(c.live, 0, "and frees them");
}

/* A piece larger than a quarter of a block gets a block of its own. */
static void
test_big(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	Arena        a;
	char        *s1;
	char        *big;
	char        *s2;
	char        *huge;
	char        *q;

	arena_init(&a, &m, 1024);
	s1 = arena_alloc(&a, 16);
	big = arena_alloc(&a, 5000);
	s2 = arena_alloc(&a, 16);
	ok(big != NULL && (uintptr_t) big % ARENA_ALIGN == 0,
	   "a piece of 5000 bytes in 1 kB blocks, aligned");
	memset(big, 'x', 5000);
	is_int(c.allocs, 2, "it took a block of its own");
	ok(s2 == s1 + 16, "the current block keeps serving after it");
	q = arena_alloc_bytes(&a, 900);
	ok(q == s2 + 16 && c.allocs == 2, "a piece that fits the current block is cut from it");
	(void) arena_alloc_bytes(&a, 257);
	is_int(c.allocs, 3, "one that does not fit, over a quarter of a block, has its own block");
	ok(arena_alloc_bytes(&a, 60) == q + 900, "and the current block still serves what fits");
	(void) arena_alloc_bytes(&a, 256);
	is_int(c.allocs, 4, "one that does not fit, a quarter of a block or less, opens a new one");
	ok(arena_alloc_bytes(&a, 700) != NULL && c.allocs == 4, "which serves what comes next");

	/* the first piece of a fresh arena may be large */
	arena_free(&a);
	is_int(c.live, 0, "big blocks are given back with the others");
	huge = arena_alloc_bytes(&a, 1 << 20);
	ok(huge != NULL, "a first piece of 1 MB in 1 kB blocks");
	memset(huge, 'y', 1 << 20);
	s1 = arena_alloc(&a, 100);
	ok(s1 != NULL && (s1 < huge || s1 >= huge + (1 << 20)),
	   "a small piece after it lies outside it");
	arena_free(&a);
	is_int(c.live, 0, "all given back");
}

/* Out of memory, with a policy that returns: NULL, and the arena unchanged. */
static void
test_oom_returns(void)
{
	Counter      c;
	MemAllocator m = counter_mem(&c, false);
	Arena        a;
	char        *p[64];
	long         wrong = 0;
	Arena        before;
	char        *more;

	arena_init(&a, &m, 256);
	for (int i = 0; i < 64; i++)
	{
		p[i] = arena_alloc(&a, 40);
		memset(p[i], i, 40);
	}
	c.fail_after = c.allocs;
	more = NULL;
	for (int i = 0; i < 20 && (more = arena_alloc(&a, 40)) != NULL; i++)
		;
	ok(more == NULL, "an arena out of memory gives NULL");
	ok(c.oom_calls == 1 && c.oom_size > 256, "after telling the policy how much it asked for (%zu)",
	   c.oom_size);
	before = a;
	ok(arena_alloc(&a, 40) == NULL, "asked again, it fails again");
	ok(a.blocks == before.blocks && a.next == before.next && a.left == before.left,
	   "and the arena is as it was");
	ok(arena_alloc(&a, 5000) == NULL, "a big piece fails too");
	ok(arena_alloc(&a, SIZE_MAX) == NULL && c.oom_size == SIZE_MAX,
	   "a piece too large for size_t fails without asking the allocator");
	c.fail_after = -1;
	more = arena_alloc(&a, 40);
	ok(more != NULL, "given memory again, the arena goes on");
	for (int i = 0; i < 64; i++)
		for (int j = 0; j < 40; j++)
			if (p[i][j] != (char) i)
				wrong++;
	is_int(wrong, 0, "and the earlier pieces kept their bytes");
	arena_free(&a);
	is_int(c.live, 0, "nothing leaks");
}

/* Out of memory, with a policy that leaves by longjmp (the server's error). */
static void
test_oom_longjmp(void)
{
	Counter       c;
	MemAllocator  m = counter_mem(&c, false);
	jmp_buf       jump;
	Arena         a;
	volatile int  jumped = 0;
	volatile long made = 0;

	arena_init(&a, &m, 128);
	c.jump = &jump;
	c.fail_after = 5;
	if (setjmp(jump) == 0)
	{
		for (;;)
		{
			char *p = arena_alloc(&a, 24);

			memset(p, 'z', 24);
			made++;
		}
	}
	else
		jumped = 1;
	ok(jumped && c.oom_calls == 1, "the policy left by longjmp when memory ran out");
	is_int(c.live, 5, "the arena holds the blocks it had");
	c.jump = NULL;
	c.fail_after = -1;
	ok(arena_alloc(&a, 24) != NULL, "and is usable after the longjmp");
	arena_free(&a);
	is_int(c.live, 0, "arena_free then gives everything back");
	ok(made > 5, "%ld pieces were made before memory ran out", (long) made);
}

/* An allocator without release: its owner frees everything at once. */
typedef struct Bulk
{
	void *p[256];
	int   n;
} Bulk;

static void *
bulk_alloc(void *ctx, size_t size)
{
	Bulk *b = ctx;

	if (b->n == 256)
		abort();
	b->p[b->n] = malloc(size);
	return b->p[b->n++];
}

static void
test_no_release(void)
{
	Bulk         bulk = {{NULL}, 0};
	MemAllocator m = {bulk_alloc, NULL, NULL, NULL, &bulk};
	Arena        a;

	arena_init(&a, &m, 64);
	for (int i = 0; i < 100; i++)
		(void) arena_alloc(&a, 8);
	ok(bulk.n > 1, "an arena on an allocator without release takes blocks (%d)", bulk.n);
	arena_free(&a);
	ok(a.blocks == NULL && a.next == NULL && a.left == 0,
	   "arena_free without release forgets them");
	ok(arena_alloc(&a, 8) != NULL, "and the arena can be used again");
	for (int i = 0; i < bulk.n; i++)
		free(bulk.p[i]);
}

int
main(void)
{
	test_pieces();
	test_packing();
	test_empty();
	test_big();
	test_oom_returns();
	test_oom_longjmp();
	test_no_release();
	return done_testing();
}
