/*
 * resolve_store.c
 *		Pure core: the entity store of one resolution run.  Entities with
 *		their keys (USCC, organization code, resident ID), the names,
 *		addresses, phones, unverified identifiers and linked persons they were
 *		reported with, and the division names; taking what a party says into
 *		an entity.  Adding an attribute puts the entity in its blocks
 *		(resolve_block.c).  The API is resolve_store.h.
 *
 * Memory: strings and list nodes live in an arena of large blocks; the
 * entity array and the hash tables grow by doubling.  Hash tables hold
 * 64-bit hashes only: a block is a hint that is verified by the comparison
 * anyway, and key lookups compare the entity's stored key text.  The arena
 * and the hash table are the first section of this file, apart from the
 * store that uses them.
 */
#include "match/resolve_store_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- arena and hash tables */

#define ARENA_BLOCK (1024 * 1024)

/*
 * Out of memory: the caller's handler (the glue raises an error; the store
 * is freed by a memory context callback), else abort.
 */
static void
out_of_memory(RsOomHandler oom, size_t n)
{
	if (oom)
		oom(n);
	abort();
}

static void *
xmalloc(RsOomHandler oom, size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(oom, n);
	return p;
}

static void *
xcalloc(RsOomHandler oom, size_t n, size_t size)
{
	void	   *p = calloc(n ? n : 1, size);

	if (p == NULL)
		out_of_memory(oom, n * size);
	return p;
}

void *
rs_xrealloc(RsOomHandler oom, void *p, size_t n)
{
	void	   *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(oom, n);
	return q;
}

static void *
arena_alloc(ResolveStore *rs, size_t n)
{
	ArenaBlock *b = rs->arena;

	n = (n + 7) & ~(size_t) 7;
	if (b == NULL || b->used + n > b->size)
	{
		size_t		size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xmalloc(rs->oom, sizeof(ArenaBlock) + size);
		b->size = size;
		b->used = 0;
		b->next = rs->arena;
		rs->arena = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *
arena_strdup(ResolveStore *rs, const char *s)
{
	size_t		n = strlen(s);
	char	   *p = arena_alloc(rs, n + 1);

	memcpy(p, s, n + 1);
	return p;
}

uint64_t
rs_hash_bytes(uint64_t seed, const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL ^ seed;

	for (size_t i = 0; i < n; i++)
	{
		h ^= (unsigned char) s[i];
		h *= 1099511628211ULL;
	}
	/* splitmix64 finaliser: FNV's low bits are weak */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}

static void
tab_init(RsOomHandler oom, HashTab *t, bool with_counts)
{
	t->cap = 1024;
	t->n = 0;
	t->hashes = xcalloc(oom, t->cap, sizeof(uint64_t));
	t->values = xmalloc(oom, t->cap * sizeof(int32_t));
	t->counts = with_counts ? xmalloc(oom, t->cap * sizeof(int32_t)) : NULL;
}

static void
tab_free(HashTab *t)
{
	free(t->hashes);
	free(t->values);
	free(t->counts);
}

/* Slot of h: where it is, or the empty slot where it would go. */
static size_t
tab_slot(const HashTab *t, uint64_t h)
{
	size_t		i = (size_t) h & (t->cap - 1);

	while (t->hashes[i] != 0 && t->hashes[i] != h)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static void
tab_grow(RsOomHandler oom, HashTab *t)
{
	HashTab		old = *t;

	t->hashes = xcalloc(oom, old.cap * 2, sizeof(uint64_t));
	t->values = NULL;
	t->counts = NULL;
	/* keep the table whole if an allocation fails and the handler returns by longjmp */
	t->values = malloc(old.cap * 2 * sizeof(int32_t));
	t->counts = old.counts ? malloc(old.cap * 2 * sizeof(int32_t)) : NULL;
	if (t->values == NULL || (old.counts && t->counts == NULL))
	{
		free(t->hashes);
		free(t->values);
		free(t->counts);
		*t = old;
		out_of_memory(oom, old.cap * 2 * sizeof(int32_t));
	}
	t->cap = old.cap * 2;
	for (size_t i = 0; i < old.cap; i++)
	{
		if (old.hashes[i] != 0)
		{
			size_t		j = tab_slot(t, old.hashes[i]);

			t->hashes[j] = old.hashes[i];
			t->values[j] = old.values[i];
			if (t->counts)
				t->counts[j] = old.counts[i];
		}
	}
	tab_free(&old);
}

/* The slot for h, inserted (value -1, count 0) if absent. */
size_t
rs_tab_upsert(RsOomHandler oom, HashTab *t, uint64_t h)
{
	size_t		i;

	if ((t->n + 1) * 4 > t->cap * 3)
		tab_grow(oom, t);
	i = tab_slot(t, h);
	if (t->hashes[i] == 0)
	{
		t->hashes[i] = h;
		t->values[i] = -1;
		if (t->counts)
			t->counts[i] = 0;
		t->n++;
	}
	return i;
}

bool
rs_tab_find(const HashTab *t, uint64_t h, size_t *slot)
{
	size_t		i = tab_slot(t, h);

	if (t->hashes[i] == 0)
		return false;
	*slot = i;
	return true;
}

/* ---------------------------------------------------------------- entities */

ResolveStore *
rs_create(RsOomHandler oom)
{
	ResolveStore *rs = xcalloc(oom, 1, sizeof(ResolveStore));

	rs->oom = oom;
	rs->cap = 1024;
	rs->ents = xmalloc(oom, rs->cap * sizeof(RsEntity));
	tab_init(oom, &rs->keys, false);
	tab_init(oom, &rs->ids, false);
	tab_init(oom, &rs->divisions, false);
	tab_init(oom, &rs->blocks, true);
	rs->entries_cap = 4096;
	rs->entries = xmalloc(oom, rs->entries_cap * sizeof(BlockEntry));
	rs->cand_cap = 256;
	rs->cand = xmalloc(oom, rs->cand_cap * sizeof(int32_t));
	rs->cmp_cap = 64;
	rs->cmp = xmalloc(oom, rs->cmp_cap * sizeof(ResolveComparison));
	return rs;
}

void
rs_free(ResolveStore *rs)
{
	ArenaBlock *b;

	if (rs == NULL)
		return;
	b = rs->arena;
	while (b)
	{
		ArenaBlock *next = b->next;

		free(b);
		b = next;
	}
	free(rs->ents);
	tab_free(&rs->keys);
	tab_free(&rs->ids);
	tab_free(&rs->divisions);
	free(rs->division_names);
	tab_free(&rs->blocks);
	free(rs->entries);
	free(rs->cand);
	free(rs->cmp);
	free(rs);
}

int32_t
rs_add_entity(ResolveStore *rs, int64_t id, ResolveKind kind)
{
	RsEntity   *e;

	if (rs->nents == rs->cap)
	{
		rs->ents = rs_xrealloc(rs->oom, rs->ents, rs->cap * 2 * sizeof(RsEntity));
		rs->cap *= 2;
	}
	e = &rs->ents[rs->nents];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t) kind;
	rs->nents++;
	rs_set_entity_id(rs, rs->nents - 1, id);
	return rs->nents - 1;
}

static uint64_t
id_hash(int64_t id)
{
	return rs_hash_bytes(0x5bd1e995, (const char *) &id, sizeof(id));
}

int32_t
rs_find_id(const ResolveStore *rs, int64_t id)
{
	size_t		i = (size_t) id_hash(id) & (rs->ids.cap - 1);
	uint64_t	h = id_hash(id);

	if (id == 0)
		return -1;
	while (rs->ids.hashes[i] != 0)
	{
		if (rs->ids.hashes[i] == h && rs->ents[rs->ids.values[i]].id == id)
			return rs->ids.values[i];
		i = (i + 1) & (rs->ids.cap - 1);
	}
	return -1;
}

int64_t
rs_entity_id(const ResolveStore *rs, int32_t e)
{
	return rs->ents[e].id;
}

void
rs_set_entity_id(ResolveStore *rs, int32_t e, int64_t id)
{
	size_t		i;

	rs->ents[e].id = id;
	if (id == 0)
		return;
	/* ids are unique, so a slot per id; colliding hashes probe on */
	if ((rs->ids.n + 1) * 4 > rs->ids.cap * 3)
		tab_grow(rs->oom, &rs->ids);
	i = (size_t) id_hash(id) & (rs->ids.cap - 1);
	while (rs->ids.hashes[i] != 0)
		i = (i + 1) & (rs->ids.cap - 1);
	rs->ids.hashes[i] = id_hash(id);
	rs->ids.values[i] = e;
	rs->ids.n++;
}

ResolveKind
rs_entity_kind(const ResolveStore *rs, int32_t e)
{
	return (ResolveKind) rs->ents[e].kind;
}

int32_t
rs_count(const ResolveStore *rs)
{
	return rs->nents;
}

/* ---------------------------------------------------------------- attribute lists */

bool
rs_list_has(const RsStr *l, const char *s)
{
	for (; l; l = l->next)
		if (strcmp(l->text, s) == 0)
			return true;
	return false;
}

static RsStr *
new_str(ResolveStore *rs, const char *s)
{
	size_t		n = strlen(s);
	RsStr	   *node = arena_alloc(rs, sizeof(RsStr) + n + 1);

	node->next = NULL;
	memcpy(node->text, s, n + 1);
	return node;
}

static bool
name_list_has(const RsName *l, const char *s)
{
	for (; l; l = l->next)
		if (strcmp(l->text, s) == 0)
			return true;
	return false;
}

static RsName *
new_name(ResolveStore *rs, const char *s, size_t n)
{
	RsName	   *node = arena_alloc(rs, sizeof(RsName) + n + 1);

	node->next = NULL;
	node->len = n;
	memcpy(node->text, s, n);
	node->text[n] = '\0';
	node->parsed = n <= COMPANY_NAME_MAX_BYTES;
	if (node->parsed)
		company_name_parse(node->text, n, &node->cn);
	else
		memset(&node->cn, 0, sizeof(node->cn));
	return node;
}

/*
 * Keep a name or address that names a region, as evidence of where the
 * entity is; one per distinct region text.  The whole text is kept with its
 * parse: company_name_region_cmp() compares parses of whole names.
 */
static void
add_region(ResolveStore *rs, int32_t e, const char *s, const CompanyName *cn)
{
	RsName	   *node;

	if (cn->region.len == 0)
		return;
	for (node = rs->ents[e].regions; node; node = node->next)
		if (node->cn.region.len == cn->region.len &&
			memcmp(node->text + node->cn.region.off, s + cn->region.off, cn->region.len) == 0)
			return;
	node = new_name(rs, s, strlen(s));
	node->next = rs->ents[e].regions;
	rs->ents[e].regions = node;
}

/* ---------------------------------------------------------------- keys */

static uint64_t
key_hash(ResolveKeyKind which, const char *value)
{
	return rs_hash_bytes((uint64_t) which * 0x9e3779b97f4a7c15ULL, value, strlen(value));
}

int32_t
rs_find_key(const ResolveStore *rs, ResolveKeyKind which, const char *value)
{
	uint64_t	h;
	size_t		i;

	if (which <= RK_NONE || which > RK_IDCARD || value == NULL || value[0] == '\0')
		return -1;
	h = key_hash(which, value);
	/* probe every slot of this hash: distinct keys may share a 64-bit hash in theory */
	i = (size_t) h & (rs->keys.cap - 1);
	while (rs->keys.hashes[i] != 0)
	{
		if (rs->keys.hashes[i] == h)
		{
			int32_t		e = rs->keys.values[i];

			if (e >= 0 && rs->ents[e].keys[which] && strcmp(rs->ents[e].keys[which], value) == 0)
				return e;
			return -1;
		}
		i = (i + 1) & (rs->keys.cap - 1);
	}
	return -1;
}

bool
rs_set_key(ResolveStore *rs, int32_t e, ResolveKeyKind which, const char *value)
{
	size_t		i;
	int32_t		holder;

	if (which <= RK_NONE || which > RK_IDCARD || value == NULL || value[0] == '\0')
		return false;
	holder = rs_find_key(rs, which, value);
	if (holder >= 0)
		return holder == e;
	if (rs->ents[e].keys[which] != NULL)
		return strcmp(rs->ents[e].keys[which], value) == 0;
	i = rs_tab_upsert(rs->oom, &rs->keys, key_hash(which, value));
	if (rs->keys.values[i] >= 0)
		return false;			/* a 64-bit collision with another key: keep the first */
	rs->keys.values[i] = e;
	rs->ents[e].keys[which] = arena_strdup(rs, value);
	rs_block_ident(rs, e, which, value);
	return true;
}

const char *
rs_get_key(const ResolveStore *rs, int32_t e, ResolveKeyKind which)
{
	if (which <= RK_NONE || which > RK_IDCARD)
		return NULL;
	return rs->ents[e].keys[which];
}

void
rs_set_taxpayer_id(ResolveStore *rs, int32_t e, const char *value)
{
	if (value && value[0] && rs->ents[e].taxpayer_id == NULL)
		rs->ents[e].taxpayer_id = arena_strdup(rs, value);
}

const char *
rs_get_taxpayer_id(const ResolveStore *rs, int32_t e)
{
	return rs->ents[e].taxpayer_id;
}

/*
 * The part of an unverified identifier that compares with a key: a USCC or
 * resident ID as it is (the ID part of ID + 2 digits), the organization code
 * of a legacy taxpayer ID.  Into out; returns its kind, RK_NONE if none.
 */
ResolveKeyKind
rs_broken_comparable(const ResolveKey *k, char out[RESOLVE_IDENT_MAX])
{
	const char *b = k->broken;
	size_t		n = strlen(b);

	if (n == 0 || k->broken_kind == RK_NONE)
		return RK_NONE;
	if (k->broken_kind == RK_ORGCODE && n == 15)
		b += 6, n -= 6;
	if (k->broken_kind == RK_IDCARD && n == 20)
		n = 18;
	memcpy(out, b, n);
	out[n] = '\0';
	return k->broken_kind;
}

/* ---------------------------------------------------------------- divisions and regions */

static bool
division_ok(const char *d)
{
	if (d == NULL || strlen(d) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	return true;
}

void
rs_add_division(ResolveStore *rs, const char *code, const char *full_name)
{
	size_t		slot;

	if (!division_ok(code) || full_name == NULL || full_name[0] == '\0')
		return;
	slot = rs_tab_upsert(rs->oom, &rs->divisions, rs_hash_bytes(0xd1u, code, 6));
	if (rs->divisions.values[slot] >= 0)
		return;
	if (rs->ndivisions == rs->divisions_cap)
	{
		int32_t		cap = rs->divisions_cap ? rs->divisions_cap * 2 : 1024;

		rs->division_names = rs_xrealloc(rs->oom, rs->division_names, cap * sizeof(char *));
		rs->divisions_cap = cap;
	}
	rs->division_names[rs->ndivisions] = arena_strdup(rs, full_name);
	rs->divisions.values[slot] = rs->ndivisions++;
}

const char *
rs_division_name(const ResolveStore *rs, const char *code)
{
	size_t		slot;

	if (!division_ok(code) || !rs_tab_find(&rs->divisions, rs_hash_bytes(0xd1u, code, 6), &slot))
		return NULL;
	return rs->division_names[rs->divisions.values[slot]];
}

void
rs_set_region(ResolveStore *rs, int32_t e, const char *division)
{
	const char *name;

	if (!division_ok(division))
		return;
	memcpy(rs->ents[e].region, division, 7);
	/* the division's name is a region the names and addresses can be compared with */
	name = rs_division_name(rs, division);
	if (name && rs->ents[e].kind == RS_ENTERPRISE)
	{
		CompanyName cn;
		size_t		n = strlen(name);

		if (n <= COMPANY_NAME_MAX_BYTES)
		{
			company_name_parse(name, n, &cn);
			add_region(rs, e, name, &cn);
		}
	}
}

const char *
rs_get_region(const ResolveStore *rs, int32_t e)
{
	return rs->ents[e].region[0] ? rs->ents[e].region : NULL;
}

/* ---------------------------------------------------------------- attributes */

bool
rs_add_name(ResolveStore *rs, int32_t e, const char *name)
{
	RsEntity   *ent = &rs->ents[e];
	RsName	   *node;

	if (name == NULL || name[0] == '\0' || name_list_has(ent->names, name))
		return false;
	node = new_name(rs, name, strlen(name));
	if (ent->names_tail)
		ent->names_tail->next = node;
	else
		ent->names = node;
	ent->names_tail = node;
	if (node->parsed && ent->kind == RS_ENTERPRISE)
		add_region(rs, e, node->text, &node->cn);
	rs_block_name(rs, e, name);
	return true;
}

const char *
rs_primary_name(const ResolveStore *rs, int32_t e)
{
	return rs->ents[e].names ? rs->ents[e].names->text : NULL;
}

bool
rs_add_address(ResolveStore *rs, int32_t e, const char *address)
{
	RsStr	   *node;
	size_t		n;

	if (address == NULL || address[0] == '\0' || rs_list_has(rs->ents[e].addresses, address))
		return false;
	node = new_str(rs, address);
	node->next = rs->ents[e].addresses;
	rs->ents[e].addresses = node;
	n = strlen(address);
	if (n <= COMPANY_NAME_MAX_BYTES)
	{
		CompanyName cn;

		company_name_parse(node->text, n, &cn);
		add_region(rs, e, node->text, &cn);
	}
	return true;
}

bool
rs_add_phone(ResolveStore *rs, int32_t e, const char *phone)
{
	RsStr	   *node;

	if (phone == NULL || phone[0] == '\0' || rs_list_has(rs->ents[e].phones, phone))
		return false;
	node = new_str(rs, phone);
	node->next = rs->ents[e].phones;
	rs->ents[e].phones = node;
	rs_block_phone(rs, e, phone);
	return true;
}

bool
rs_add_unverified(ResolveStore *rs, int32_t e, ResolveKeyKind kind, const char *text)
{
	char		buf[RESOLVE_IDENT_MAX + 1];
	size_t		n;
	RsStr	   *node;

	if (kind <= RK_NONE || kind > RK_IDCARD || text == NULL || (n = strlen(text)) == 0 ||
		n >= RESOLVE_IDENT_MAX)
		return false;
	buf[0] = (char) ('0' + kind);
	memcpy(buf + 1, text, n + 1);
	if (rs_list_has(rs->ents[e].unverified, buf))
		return false;
	node = new_str(rs, buf);
	node->next = rs->ents[e].unverified;
	rs->ents[e].unverified = node;
	rs_block_ident(rs, e, kind, text);
	return true;
}

bool
rs_add_person(ResolveStore *rs, int32_t e, int64_t person_id)
{
	RsId	   *node;

	for (node = rs->ents[e].persons; node; node = node->next)
		if (node->id == person_id)
			return false;
	node = arena_alloc(rs, sizeof(RsId));
	node->id = person_id;
	node->next = rs->ents[e].persons;
	rs->ents[e].persons = node;
	return true;
}

/* ---------------------------------------------------------------- taking a party in */

unsigned
rs_absorb(ResolveStore *rs, int32_t e, const ResolveParty *p)
{
	RsEntity   *ent = &rs->ents[e];
	const ResolveKey *k = &p->key;
	unsigned	changed = 0;

	if (k->kind != RK_NONE && ent->keys[k->kind] == NULL && rs_set_key(rs, e, k->kind, k->key))
		changed |= RS_CHG_KEYS;
	if (k->orgcode[0] && ent->keys[RK_ORGCODE] == NULL && rs_set_key(rs, e, RK_ORGCODE, k->orgcode))
		changed |= RS_CHG_KEYS;
	if (k->taxpayer_id[0] && ent->taxpayer_id == NULL)
	{
		rs_set_taxpayer_id(rs, e, k->taxpayer_id);
		changed |= RS_CHG_KEYS;
	}
	if (ent->region[0] == '\0' && (division_ok(p->region) || division_ok(k->division)))
	{
		rs_set_region(rs, e, division_ok(p->region) ? p->region : k->division);
		changed |= RS_CHG_KEYS;
	}
	if (rs_add_name(rs, e, p->name))
		changed |= RS_CHG_NAME;
	if (rs_add_address(rs, e, p->address))
		changed |= RS_CHG_ADDRESS;
	if (rs_add_phone(rs, e, p->phone))
		changed |= RS_CHG_PHONE;
	{
		char		t[RESOLVE_IDENT_MAX];
		ResolveKeyKind bk = rs_broken_comparable(k, t);

		if (bk != RK_NONE && rs_add_unverified(rs, e, bk, t))
			changed |= RS_CHG_IDENT;
	}
	for (int i = 0; i < p->npersons; i++)
		if (rs_add_person(rs, e, p->persons[i]))
			changed |= RS_CHG_PERSON;
	return changed;
}
