/*
 * hash_table.c
 *		Pure core: making, doubling and freeing a hash table (hash_table.h);
 *		probing is inline in the header.
 *
 * A doubling allocates the new slots before it touches anything, so that an
 * out-of-memory policy that leaves by longjmp finds the table as it was.
 * Slots move to the first free slot of their probe without comparing
 * hashes: a table may hold one hash several times (hash_table_add()).
 */
#include "common/hash_table.h"

#define HASH_TABLE_MIN_CAPACITY 8

/* How many slots may be in use: load_percent of capacity, rounded down. */
static size_t
limit_of(size_t capacity, unsigned load_percent)
{
	return capacity / 100 * load_percent + capacity % 100 * load_percent / 100;
}

/*
 * capacity zeroed slots from t's allocator, or NULL (its policy told).
 * Capacity 0 is a doubling that overflowed.
 */
static HashSlot *
new_slots(HashTable *t, size_t capacity)
{
	if (capacity == 0 || capacity > SIZE_MAX / sizeof(HashSlot))
	{
		if (t->mem.out_of_memory)
			t->mem.out_of_memory(t->mem.ctx, SIZE_MAX);
		return NULL;
	}
	return mem_alloc_zeroed(&t->mem, capacity * sizeof(HashSlot));
}

bool
hash_table_init(HashTable *t, const MemAllocator *mem, size_t capacity, unsigned load_percent)
{
	size_t cap = HASH_TABLE_MIN_CAPACITY;

	t->mem = *mem;
	t->load_percent = load_percent < 1 ? 1 : load_percent > 99 ? 99 : load_percent;
	/* a power of two that holds at least one slot before it doubles */
	while ((cap < capacity || limit_of(cap, t->load_percent) == 0) && cap <= SIZE_MAX / 2)
		cap *= 2;
	t->slots = NULL;
	t->mask = 0;
	t->n = 0;
	t->limit = 0;
	t->slots = new_slots(t, cap);
	if (t->slots == NULL)
		return false;
	t->mask = cap - 1;
	t->limit = limit_of(cap, t->load_percent);
	return true;
}

void
hash_table_free(HashTable *t)
{
	mem_release(&t->mem, t->slots);
	t->slots = NULL;
	t->mask = 0;
	t->n = 0;
	t->limit = 0;
}

bool
hash_table_grow(HashTable *t)
{
	size_t    cap = hash_table_capacity(t);
	HashSlot *slots;

	slots = new_slots(t, cap * 2);
	if (slots == NULL)
		return false;
	for (size_t i = 0; i < cap; i++)
	{
		const HashSlot *old = &t->slots[i];
		size_t          j;

		if (old->hash == HASH_TABLE_FREE)
			continue;
		for (j = (size_t) old->hash & (cap * 2 - 1); slots[j].hash != HASH_TABLE_FREE;
			 j = (j + 1) & (cap * 2 - 1))
			;
		slots[j] = *old;
	}
	mem_release(&t->mem, t->slots);
	t->slots = slots;
	t->mask = cap * 2 - 1;
	t->limit = limit_of(cap * 2, t->load_percent);
	return true;
}
