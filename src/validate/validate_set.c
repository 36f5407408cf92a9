/*
 * validate_set.c
 *		Pure core: open-addressing hash set of byte strings with row numbers.
 */
#include <string.h>

#include "validate/validate_set.h"

#define VSET_BLOCK_BYTES (64 * 1024)
#define VSET_INITIAL_SLOTS 256

/*
 * 16 bytes a slot: a unique constraint over millions of rows costs tens of
 * megabytes, not hundreds.  The key's length is stored in front of its bytes.
 */
typedef struct VsetSlot
{
	uint32_t	hash;			/* 0 marks an empty slot */
	int32_t		row_no;			/* rows are numbered within int32 */
	const char *key;			/* after a uint32_t length */
} VsetSlot;

typedef struct VsetBlock
{
	struct VsetBlock *next;
	size_t		used;
	size_t		size;
	char		data[];
} VsetBlock;

struct ValidateSet
{
	ValidateMem mem;
	VsetSlot   *slots;
	size_t		nslots;			/* a power of two */
	size_t		count;
	VsetBlock  *blocks;
};

/* FNV-1a folded to 32 bits, with 0 remapped so that it can mark empty slots. */
static uint32_t
vset_hash(const char *key, size_t len)
{
	uint64_t	h = UINT64_C(14695981039346656037);
	size_t		i;
	uint32_t	h32;

	for (i = 0; i < len; i++)
	{
		h ^= (unsigned char) key[i];
		h *= UINT64_C(1099511628211);
	}
	h32 = (uint32_t) (h ^ (h >> 32));
	return h32 == 0 ? 1 : h32;
}

static size_t
key_len(const char *key)
{
	uint32_t	len;

	memcpy(&len, key - sizeof(uint32_t), sizeof(uint32_t));
	return len;
}

static void *
vset_alloc(ValidateSet *s, size_t size)
{
	return s->mem.alloc(s->mem.ctx, size);
}

static void
vset_release(ValidateSet *s, void *p)
{
	if (s->mem.release)
		s->mem.release(s->mem.ctx, p);
}

ValidateSet *
vset_create(const ValidateMem *mem)
{
	ValidateSet *s = mem->alloc(mem->ctx, sizeof(ValidateSet));

	s->mem = *mem;
	s->nslots = VSET_INITIAL_SLOTS;
	s->count = 0;
	s->blocks = NULL;
	s->slots = vset_alloc(s, s->nslots * sizeof(VsetSlot));
	memset(s->slots, 0, s->nslots * sizeof(VsetSlot));
	return s;
}

/* Copy the length and key into the current block, opening a new one when full. */
static const char *
vset_store(ValidateSet *s, const char *key, size_t len)
{
	VsetBlock  *b = s->blocks;
	size_t		need = sizeof(uint32_t) + len;
	uint32_t	len32 = (uint32_t) len;
	char	   *p;

	if (b == NULL || b->size - b->used < need)
	{
		size_t		size = need > VSET_BLOCK_BYTES ? need : VSET_BLOCK_BYTES;

		b = vset_alloc(s, sizeof(VsetBlock) + size);
		b->size = size;
		b->used = 0;
		b->next = s->blocks;
		s->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, &len32, sizeof(uint32_t));
	if (len > 0)
		memcpy(p + sizeof(uint32_t), key, len);
	b->used += need;
	return p + sizeof(uint32_t);
}

static VsetSlot *
vset_find(VsetSlot *slots, size_t nslots, uint32_t h, const char *key, size_t len)
{
	size_t		i = (size_t) h & (nslots - 1);

	for (;;)
	{
		VsetSlot   *slot = &slots[i];

		if (slot->hash == 0)
			return slot;
		if (slot->hash == h && key_len(slot->key) == len &&
			(len == 0 || memcmp(slot->key, key, len) == 0))
			return slot;
		i = (i + 1) & (nslots - 1);
	}
}

static void
vset_grow(ValidateSet *s)
{
	size_t		n = s->nslots * 2;
	VsetSlot   *slots = vset_alloc(s, n * sizeof(VsetSlot));
	size_t		i;

	memset(slots, 0, n * sizeof(VsetSlot));
	for (i = 0; i < s->nslots; i++)
	{
		VsetSlot   *old = &s->slots[i];

		if (old->hash != 0)
			*vset_find(slots, n, old->hash, old->key, key_len(old->key)) = *old;
	}
	vset_release(s, s->slots);
	s->slots = slots;
	s->nslots = n;
}

int64_t
vset_insert(ValidateSet *s, const char *key, size_t len, int64_t row_no)
{
	uint32_t	h = vset_hash(key, len);
	VsetSlot   *slot;

	/* Keep the load factor under 0.7 so that probes stay short. */
	if ((s->count + 1) * 10 > s->nslots * 7)
		vset_grow(s);
	slot = vset_find(s->slots, s->nslots, h, key, len);
	if (slot->hash != 0)
		return slot->row_no;
	slot->hash = h;
	slot->key = vset_store(s, key, len);
	slot->row_no = (int32_t) row_no;
	s->count++;
	return 0;
}

bool
vset_contains(const ValidateSet *s, const char *key, size_t len)
{
	return vset_find(s->slots, s->nslots, vset_hash(key, len), key, len)->hash != 0;
}

size_t
vset_count(const ValidateSet *s)
{
	return s->count;
}

bool
vset_next(const ValidateSet *s, size_t *pos, const char **key, size_t *len, int64_t *row_no)
{
	for (; *pos < s->nslots; (*pos)++)
	{
		const VsetSlot *slot = &s->slots[*pos];

		if (slot->hash == 0)
			continue;
		*key = slot->key;
		*len = key_len(slot->key);
		*row_no = slot->row_no;
		(*pos)++;
		return true;
	}
	return false;
}

void
vset_free(ValidateSet *s)
{
	VsetBlock  *b = s->blocks;

	while (b)
	{
		VsetBlock  *next = b->next;

		vset_release(s, b);
		b = next;
	}
	vset_release(s, s->slots);
	vset_release(s, s);
}
