/*
 * resolve_store.c
 *		Pure core: the entity store of one resolution run.  Entities with
 *		their keys (USCC, organization code, resident ID), the names,
 *		addresses, phones, unverified identifiers and linked persons they were
 *		reported with, and the division names; taking what a party says into
 *		an entity.  Adding an attribute puts the entity in its blocks
 *		(resolve_block.c).  The API is resolve_store.h.
 *
 * Memory: strings and list nodes live in an arena of 1 MB blocks, keys,
 * ids, divisions and blocks in hash tables of 64-bit hashes (both from
 * src/common, on malloc); the entity array and the scratch arrays grow by
 * doubling.  Out of memory, the caller's RsOomHandler raises an error (by
 * longjmp: the store stays whole, to be freed), else abort().
 */
#include "match/resolve_store_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- memory and hashes */

#define ARENA_BLOCK      (1024 * 1024)
#define TAB_INITIAL      1024
#define TAB_LOAD_PERCENT 75

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
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(oom, n);
	return p;
}

static void *
xcalloc(RsOomHandler oom, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		out_of_memory(oom, n * size);
	return p;
}

void *
rs_xrealloc(RsOomHandler oom, void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(oom, n);
	return q;
}

/* The store's MemAllocator (ctx: the store): malloc, calloc, and out_of_memory never returns. */
static void *
mem_malloc(void *ctx, size_t n)
{
	(void) ctx;
	return malloc(n ? n : 1);
}

static void *
mem_calloc(void *ctx, size_t n)
{
	(void) ctx;
	return calloc(n ? n : 1, 1);
}

static void
mem_free(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

static void
mem_out(void *ctx, size_t n)
{
	out_of_memory(((ResolveStore *) ctx)->oom, n);
}

uint64_t
rs_hash_bytes(uint64_t seed, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ seed;

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

HashSlot *
rs_tab_upsert(HashTable *t, uint64_t h)
{
	bool      is_new;
	HashSlot *slot = hash_table_upsert(t, h, &is_new);

	/* never NULL: the store's out-of-memory policy does not return */
	if (is_new)
	{
		slot->u.i.value = -1;
		slot->u.i.count = 0;
	}
	return slot;
}

/* ---------------------------------------------------------------- entities */

ResolveStore *
rs_create(RsOomHandler oom)
{
	ResolveStore *rs = xcalloc(oom, 1, sizeof(ResolveStore));

	rs->oom = oom;
	rs->mem.alloc = mem_malloc;
	rs->mem.alloc_zeroed = mem_calloc;
	rs->mem.release = mem_free;
	rs->mem.out_of_memory = mem_out;
	rs->mem.ctx = rs;
	arena_init(&rs->arena, &rs->mem, ARENA_BLOCK);
	rs->cap = 1024;
	rs->ents = xmalloc(oom, rs->cap * sizeof(RsEntity));
	(void) hash_table_init(&rs->keys, &rs->mem, TAB_INITIAL, TAB_LOAD_PERCENT);
	(void) hash_table_init(&rs->ids, &rs->mem, TAB_INITIAL, TAB_LOAD_PERCENT);
	(void) hash_table_init(&rs->divisions, &rs->mem, TAB_INITIAL, TAB_LOAD_PERCENT);
	(void) hash_table_init(&rs->blocks, &rs->mem, TAB_INITIAL, TAB_LOAD_PERCENT);
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
	if (rs == NULL)
		return;
	arena_free(&rs->arena);
	free(rs->ents);
	hash_table_free(&rs->keys);
	hash_table_free(&rs->ids);
	hash_table_free(&rs->divisions);
	free(rs->division_names);
	hash_table_free(&rs->blocks);
	free(rs->entries);
	free(rs->cand);
	free(rs->cmp);
	free(rs);
}

int32_t
rs_add_entity(ResolveStore *rs, int64_t id, ResolveKind kind)
{
	RsEntity *e;

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
	const HashTable *t = &rs->ids;
	uint64_t         h;

	if (id == 0)
		return -1;
	h = id_hash(id);
	for (size_t i = hash_table_home(t, h); t->slots[i].hash != HASH_TABLE_FREE;
		 i = hash_table_next(t, i))
	{
		int32_t e = t->slots[i].u.i.value;

		if (t->slots[i].hash == h && rs->ents[e].id == id)
			return e;
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
	rs->ents[e].id = id;
	if (id == 0)
		return;
	/* ids are unique, so a slot per id; colliding hashes probe on */
	hash_table_add(&rs->ids, id_hash(id))->u.i.value = e;
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
	size_t n = strlen(s);
	RsStr *node = arena_alloc(&rs->arena, sizeof(RsStr) + n + 1);

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
	RsName *node = arena_alloc(&rs->arena, sizeof(RsName) + n + 1);

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
	RsName *node;

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
	const HashSlot *slot;
	int32_t         e;

	if (which <= RK_NONE || which > RK_IDCARD || value == NULL || value[0] == '\0')
		return -1;
	/* a hash has one slot (rs_set_key keeps the first key of a 64-bit collision) */
	slot = hash_table_find(&rs->keys, key_hash(which, value));
	if (slot == NULL)
		return -1;
	e = slot->u.i.value;
	if (e >= 0 && rs->ents[e].keys[which] && strcmp(rs->ents[e].keys[which], value) == 0)
		return e;
	return -1;
}

bool
rs_set_key(ResolveStore *rs, int32_t e, ResolveKeyKind which, const char *value)
{
	HashSlot *slot;
	int32_t   holder;

	if (which <= RK_NONE || which > RK_IDCARD || value == NULL || value[0] == '\0')
		return false;
	holder = rs_find_key(rs, which, value);
	if (holder >= 0)
		return holder == e;
	if (rs->ents[e].keys[which] != NULL)
		return strcmp(rs->ents[e].keys[which], value) == 0;
	slot = rs_tab_upsert(&rs->keys, key_hash(which, value));
	if (slot->u.i.value >= 0)
		return false; /* a 64-bit collision with another key: keep the first */
	slot->u.i.value = e;
	rs->ents[e].keys[which] = arena_strdup(&rs->arena, value);
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
		rs->ents[e].taxpayer_id = arena_strdup(&rs->arena, value);
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
	size_t      n = strlen(b);

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
	HashSlot *slot;

	if (!division_ok(code) || full_name == NULL || full_name[0] == '\0')
		return;
	slot = rs_tab_upsert(&rs->divisions, rs_hash_bytes(0xd1u, code, 6));
	if (slot->u.i.value >= 0)
		return;
	if (rs->ndivisions == rs->divisions_cap)
	{
		int32_t cap = rs->divisions_cap ? rs->divisions_cap * 2 : 1024;

		rs->division_names = rs_xrealloc(rs->oom, rs->division_names, cap * sizeof(char *));
		rs->divisions_cap = cap;
	}
	rs->division_names[rs->ndivisions] = arena_strdup(&rs->arena, full_name);
	slot->u.i.value = rs->ndivisions++;
}

const char *
rs_division_name(const ResolveStore *rs, const char *code)
{
	const HashSlot *slot;

	if (!division_ok(code) ||
		(slot = hash_table_find(&rs->divisions, rs_hash_bytes(0xd1u, code, 6))) == NULL)
		return NULL;
	return rs->division_names[slot->u.i.value];
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
		size_t      n = strlen(name);

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
	RsEntity *ent = &rs->ents[e];
	RsName   *node;

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
	RsStr *node;
	size_t n;

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
	RsStr *node;

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
	char   buf[RESOLVE_IDENT_MAX + 1];
	size_t n;
	RsStr *node;

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
	RsId *node;

	for (node = rs->ents[e].persons; node; node = node->next)
		if (node->id == person_id)
			return false;
	node = arena_alloc(&rs->arena, sizeof(RsId));
	node->id = person_id;
	node->next = rs->ents[e].persons;
	rs->ents[e].persons = node;
	return true;
}

/* ---------------------------------------------------------------- taking a party in */

unsigned
rs_absorb(ResolveStore *rs, int32_t e, const ResolveParty *p)
{
	RsEntity         *ent = &rs->ents[e];
	const ResolveKey *k = &p->key;
	unsigned          changed = 0;

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
		char           t[RESOLVE_IDENT_MAX];
		ResolveKeyKind bk = rs_broken_comparable(k, t);

		if (bk != RK_NONE && rs_add_unverified(rs, e, bk, t))
			changed |= RS_CHG_IDENT;
	}
	for (int i = 0; i < p->npersons; i++)
		if (rs_add_person(rs, e, p->persons[i]))
			changed |= RS_CHG_PERSON;
	return changed;
}
