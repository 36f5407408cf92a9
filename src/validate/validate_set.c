/*
 * validate_set.c
 *		Pure core: a set of byte strings with row numbers (validate_set.h),
 *		on the common hash table and arena.
 *
 * Each distinct key is kept once in the arena, as a record: its length and
 * its row (two uint32, unaligned), then its bytes.  A slot of the hash table
 * holds the key's 64-bit hash and points at its record, so that the table
 * costs 16 bytes a slot: a unique constraint over millions of rows takes
 * tens of megabytes, not hundreds.  The probe loop is written here, inline,
 * to compare keys without a call; it reads a record only when the hashes
 * are equal.
 */
#include <string.h>

#include "common/arena.h"
#include "common/hash_table.h"
#include "validate/validate_set.h"

#define VSET_BLOCK_BYTES   (64 * 1024)
#define VSET_INITIAL_SLOTS 256
#define VSET_LOAD_PERCENT  70 /* probes stay short */

/* A record: length, row, bytes. */
#define REC_HEADER (2 * sizeof(uint32_t))

struct ValidateSet
{
	ValidateMem mem;
	HashTable   table;
	Arena       keys;
};

/*
 * FNV-1a, its high half folded into the low one (FNV's low bits are weak
 * and pick the slot), with 0 remapped: it marks a free slot.
 */
static inline uint64_t
vset_hash(const char *key, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t   i;

	for (i = 0; i < len; i++)
	{
		h ^= (unsigned char) key[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 32;
	return h == HASH_TABLE_FREE ? 1 : h;
}

static inline size_t
rec_len(const char *rec)
{
	uint32_t len;

	memcpy(&len, rec, sizeof(uint32_t));
	return len;
}

static inline int64_t
rec_row(const char *rec)
{
	int32_t row;

	memcpy(&row, rec + sizeof(uint32_t), sizeof(int32_t));
	return row;
}

static inline bool
rec_is(const char *rec, const char *key, size_t len)
{
	return rec_len(rec) == len && (len == 0 || memcmp(rec + REC_HEADER, key, len) == 0);
}

/*
 * The slot of key: where it is, or the free slot where it would go.  Inline
 * in vset_insert and vset_contains.
 */
static inline size_t
vset_find(const ValidateSet *s, uint64_t h, const char *key, size_t len)
{
	const HashTable *t = &s->table;
	size_t           i;

	for (i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE; i = hash_table_next(t, i))
		if (t->slots[i].hash == h && rec_is(t->slots[i].u.ptr, key, len))
			break;
	return i;
}

ValidateSet *
vset_create(const ValidateMem *mem)
{
	ValidateSet *s = mem->alloc(mem->ctx, sizeof(ValidateSet));

	/* alloc never returns NULL (validate.h): no out-of-memory policy to add */
	MemAllocator m = {.alloc = mem->alloc, .release = mem->release, .ctx = mem->ctx};

	s->mem = *mem;
	(void) hash_table_init(&s->table, &m, VSET_INITIAL_SLOTS, VSET_LOAD_PERCENT);
	arena_init(&s->keys, &m, VSET_BLOCK_BYTES);
	return s;
}

int64_t
vset_insert(ValidateSet *s, const char *key, size_t len, int64_t row_no)
{
	uint64_t h = vset_hash(key, len);
	size_t   i;
	uint32_t head[2];
	char    *rec;

	(void) hash_table_reserve(&s->table);
	i = vset_find(s, h, key, len);
	if (s->table.slots[i].hash != HASH_TABLE_FREE)
		return rec_row(s->table.slots[i].u.ptr);
	rec = arena_alloc_bytes(&s->keys, REC_HEADER + len);
	head[0] = (uint32_t) len;
	head[1] = (uint32_t) (int32_t) row_no;
	memcpy(rec, head, REC_HEADER);
	if (len > 0)
		memcpy(rec + REC_HEADER, key, len);
	hash_table_fill(&s->table, i, h)->u.ptr = rec;
	return 0;
}

bool
vset_contains(const ValidateSet *s, const char *key, size_t len)
{
	return s->table.slots[vset_find(s, vset_hash(key, len), key, len)].hash != HASH_TABLE_FREE;
}

size_t
vset_count(const ValidateSet *s)
{
	return s->table.n;
}

bool
vset_next(const ValidateSet *s, size_t *pos, const char **key, size_t *len, int64_t *row_no)
{
	for (; *pos < hash_table_capacity(&s->table); (*pos)++)
	{
		const HashSlot *slot = &s->table.slots[*pos];

		if (slot->hash == HASH_TABLE_FREE)
			continue;
		*key = (const char *) slot->u.ptr + REC_HEADER;
		*len = rec_len(slot->u.ptr);
		*row_no = rec_row(slot->u.ptr);
		(*pos)++;
		return true;
	}
	return false;
}

void
vset_free(ValidateSet *s)
{
	arena_free(&s->keys);
	hash_table_free(&s->table);
	if (s->mem.release)
		s->mem.release(s->mem.ctx, s);
}
