/*
 * resolve_store.c
 *		Pure core: entity store, blocking, comparison and decision of one
 *		resolution run.  See resolve_store.h.
 *
 * Memory: strings and list nodes live in an arena of large blocks; the
 * entity array and the hash tables grow by doubling.  Hash tables hold
 * 64-bit hashes only: a block is a hint that is verified by the comparison
 * anyway, and key lookups compare the entity's stored key text.
 */
#include "match/resolve_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match/company_name.h"
#include "match/similarity.h"

/* ---------------------------------------------------------------- model */

const double rs_name_thresholds[RS_NAME_NTHRESHOLDS] = {0.9999, 0.92, 0.85, 0.75};

/*
 * The starting values (docs/matching.md, "Resolution", explains each): the
 * core's defaults for region, industry, address, phone and person
 * (fellegi_sunter.c), a finer name scale, and the broken-identifier field.
 * Among candidates (same 字号 or one character apart) a name at 0.75-0.92 is
 * as typical of a different company with a 字号 one character away as of a
 * typo, slightly more: those levels weigh a little below zero.
 * Persons are blocked on the exact name, so among compared pairs an exact
 * name says little (a common name is shared by many people): its u is high.
 */
void
rs_model_default(FsModel *model, ResolveKind kind)
{
	static const char *const name_levels[] = {"exact", ">=0.92", ">=0.85", ">=0.75", "<0.75"};
	static const double ent_name_m[] = {0.80, 0.10, 0.05, 0.03, 0.02};
	static const double ent_name_u[] = {0.001, 0.004, 0.06, 0.08, 0.855};
	static const double per_name_m[] = {0.90, 0.05, 0.03, 0.01, 0.01};
	static const double per_name_u[] = {0.60, 0.10, 0.10, 0.10, 0.10};
	static const char *const same_levels[] = {"same", "different"};
	static const char *const agree_levels[] = {"agree", "disagree"};
	static const char *const near_levels[] = {"near", "different"};
	static const double region_m[] = {0.95, 0.05};
	static const double region_u[] = {0.30, 0.70};
	static const double industry_m[] = {0.98, 0.02};
	static const double industry_u[] = {0.30, 0.70};
	static const double address_m[] = {0.70, 0.30};
	static const double address_u[] = {0.02, 0.98};
	static const double phone_m[] = {0.60, 0.40};
	static const double phone_u[] = {0.005, 0.995};
	static const double person_m[] = {0.85, 0.15};
	static const double person_u[] = {0.01, 0.99};
	static const double ident_m[] = {0.90, 0.10};
	static const double ident_u[] = {0.002, 0.998};

	memset(model, 0, sizeof(*model));
	model->nfields = RS_NFIELDS;
	fs_field_set(&model->fields[RS_F_NAME], "name", 5, name_levels,
			  kind == RS_PERSON ? per_name_m : ent_name_m,
			  kind == RS_PERSON ? per_name_u : ent_name_u);
	fs_field_set(&model->fields[RS_F_REGION], "region", 2, same_levels, region_m, region_u);
	fs_field_set(&model->fields[RS_F_INDUSTRY], "industry", 2, same_levels, industry_m, industry_u);
	fs_field_set(&model->fields[RS_F_ADDRESS], "address", 2, agree_levels, address_m, address_u);
	fs_field_set(&model->fields[RS_F_PHONE], "phone", 2, agree_levels, phone_m, phone_u);
	fs_field_set(&model->fields[RS_F_PERSON], "person", 2, agree_levels, person_m, person_u);
	fs_field_set(&model->fields[RS_F_IDENT], "identifier", 2, near_levels, ident_m, ident_u);
	model->upper = 10.0;
	model->lower = 4.0;
	model->prior = 0.1;
}

static void
rescale(double *p, int n, int fixed, double value)
{
	double		rest = 0.0;

	for (int k = 0; k < n; k++)
		if (k != fixed)
			rest += p[k];
	for (int k = 0; k < n; k++)
	{
		if (k == fixed)
			p[k] = value;
		else if (rest > 0.0)
			p[k] = p[k] * (1.0 - value) / rest;
		else
			p[k] = (1.0 - value) / (n - 1);
	}
}

bool
rs_model_set(FsModel *model, const char *field, const char *level, double m, double u)
{
	if (!(m > 0.0 && m < 1.0) || !(u > 0.0 && u < 1.0))
		return false;
	for (int f = 0; f < model->nfields; f++)
	{
		FsField    *fld = &model->fields[f];

		if (strcmp(fld->name, field) != 0)
			continue;
		for (int k = 0; k < fld->nlevels; k++)
		{
			if (strcmp(fld->level_names[k], level) != 0)
				continue;
			rescale(fld->m, fld->nlevels, k, m);
			rescale(fld->u, fld->nlevels, k, u);
			return true;
		}
		return false;
	}
	return false;
}

/* ---------------------------------------------------------------- arena */

#define ARENA_BLOCK (1024 * 1024)

typedef struct ArenaBlock
{
	struct ArenaBlock *next;
	size_t		used;
	size_t		size;
	char		data[];
} ArenaBlock;

typedef struct RsStr
{
	struct RsStr *next;
	char		text[];
} RsStr;

/* A name with its parse (company_name_parse), made once when the name is added. */
typedef struct RsName
{
	struct RsName *next;
	CompanyName cn;
	size_t		len;
	bool		parsed;			/* short enough to parse (COMPANY_NAME_MAX_BYTES) */
	char		text[];
} RsName;

typedef struct RsId
{
	struct RsId *next;
	int64_t		id;
} RsId;

typedef struct RsEntity
{
	int64_t		id;
	uint32_t	stamp;			/* last party that gathered it as a candidate */
	uint8_t		kind;
	char	   *keys[4];		/* by ResolveKeyKind: uscc, orgcode, idcard */
	char	   *taxpayer_id;
	char		region[7];
	RsName	   *names;			/* first: primary */
	RsName	   *names_tail;
	RsName	   *regions;		/* region parts of its names and addresses (衡阳, 衡阳市雁峰区) */
	RsStr	   *addresses;
	RsStr	   *phones;
	RsStr	   *unverified;		/* identifiers that failed their check: kind digit + comparable text */
	RsId	   *persons;
} RsEntity;

/* Open-addressing table of 64-bit hashes to an int32 (head of a chain, or an entity). */
typedef struct HashTab
{
	uint64_t   *hashes;			/* 0: empty slot */
	int32_t    *values;
	int32_t    *counts;			/* chain lengths (blocks only) */
	size_t		cap;			/* power of two */
	size_t		n;
} HashTab;

typedef struct BlockEntry
{
	int32_t		entity;
	int32_t		next;			/* -1 ends the chain */
} BlockEntry;

struct ResolveStore
{
	RsOomHandler oom;
	ArenaBlock *arena;
	RsEntity   *ents;
	int32_t		nents;
	int32_t		cap;
	HashTab		keys;			/* hash(kind, key) -> entity */
	HashTab		ids;			/* hash(id) -> entity */
	HashTab		divisions;		/* hash(code) -> index into division_names */
	char	  **division_names;	/* full names (湖南省衡阳市雁峰区), arena strings */
	int32_t		ndivisions;
	int32_t		divisions_cap;
	HashTab		blocks;			/* hash(block key) -> first BlockEntry */
	BlockEntry *entries;
	size_t		nentries;
	size_t		entries_cap;
	uint32_t	stamp;
	int32_t    *cand;			/* candidate scratch */
	int			cand_cap;
	ResolveComparison *cmp;		/* comparison scratch of rs_resolve */
	int			cmp_cap;
};

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

static void *
xrealloc(RsOomHandler oom, void *p, size_t n)
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

/* ---------------------------------------------------------------- hashing */

static uint64_t
hash_bytes(uint64_t seed, const char *s, size_t n)
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
static size_t
tab_upsert(RsOomHandler oom, HashTab *t, uint64_t h)
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

static bool
tab_find(const HashTab *t, uint64_t h, size_t *slot)
{
	size_t		i = tab_slot(t, h);

	if (t->hashes[i] == 0)
		return false;
	*slot = i;
	return true;
}

/* ---------------------------------------------------------------- store */

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
		rs->ents = xrealloc(rs->oom, rs->ents, rs->cap * 2 * sizeof(RsEntity));
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
	return hash_bytes(0x5bd1e995, (const char *) &id, sizeof(id));
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

static uint64_t
key_hash(ResolveKeyKind which, const char *value)
{
	return hash_bytes((uint64_t) which * 0x9e3779b97f4a7c15ULL, value, strlen(value));
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

typedef void (*BlockEmit) (void *arg, const char *key, size_t len);

static void add_region(ResolveStore *rs, int32_t e, const char *s, const CompanyName *cn);

typedef struct AddArg
{
	ResolveStore *rs;
	int32_t		entity;
	uint64_t	kindseed;
} AddArg;

static void block_add(void *arg, const char *key, size_t len);

/*
 * The identifier's blocks: the text with one character masked, for each
 * position ('M', the kind, the masked text).  An identifier mistyped in one
 * place shares one of them with the right one, whatever the name says.
 */
static void
ident_masks(ResolveKeyKind which, const char *value, BlockEmit emit, void *arg)
{
	char		key[RESOLVE_IDENT_MAX + 2];
	size_t		n = strlen(value);

	if (n == 0 || n > RESOLVE_IDENT_MAX - 1)
		return;
	key[0] = 'M';
	key[1] = (char) ('0' + which);
	for (size_t i = 0; i < n; i++)
	{
		memcpy(key + 2, value, n);
		key[2 + i] = '?';
		emit(arg, key, n + 2);
	}
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
	i = tab_upsert(rs->oom, &rs->keys, key_hash(which, value));
	if (rs->keys.values[i] >= 0)
		return false;			/* a 64-bit collision with another key: keep the first */
	rs->keys.values[i] = e;
	rs->ents[e].keys[which] = arena_strdup(rs, value);
	{
		AddArg		arg;

		arg.rs = rs;
		arg.entity = e;
		arg.kindseed = rs->ents[e].kind + 1;
		ident_masks(which, value, block_add, &arg);
	}
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
	slot = tab_upsert(rs->oom, &rs->divisions, hash_bytes(0xd1u, code, 6));
	if (rs->divisions.values[slot] >= 0)
		return;
	if (rs->ndivisions == rs->divisions_cap)
	{
		int32_t		cap = rs->divisions_cap ? rs->divisions_cap * 2 : 1024;

		rs->division_names = xrealloc(rs->oom, rs->division_names, cap * sizeof(char *));
		rs->divisions_cap = cap;
	}
	rs->division_names[rs->ndivisions] = arena_strdup(rs, full_name);
	rs->divisions.values[slot] = rs->ndivisions++;
}

const char *
rs_division_name(const ResolveStore *rs, const char *code)
{
	size_t		slot;

	if (!division_ok(code) || !tab_find(&rs->divisions, hash_bytes(0xd1u, code, 6), &slot))
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

static bool
list_has(const RsStr *l, const char *s)
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

/* ---------------------------------------------------------------- blocking */

/*
 * The block keys of a name: the 字号 (company_name_key), and the deletion
 * neighbours of 字号 + industry (+ branch part).  For a person: the name.
 * Calls emit(key, len) for each; a key is prefixed with its kind and type so
 * that an enterprise's 字号 and a person's name never share a block.
 */
static void
emit_prefixed(BlockEmit emit, void *arg, char tag, const char *s, size_t n, char *buf)
{
	buf[0] = tag;
	memcpy(buf + 1, s, n);
	emit(arg, buf, n + 1);
}

static void
block_keys(ResolveKind kind, const char *name, BlockEmit emit, void *arg)
{
	size_t		len;
	char		buf[COMPANY_NAME_MAX_BYTES + 2];
	char		form[COMPANY_NAME_MAX_BYTES + 1];
	char		key[COMPANY_NAME_MAX_BYTES + 1];
	CompanyName cn;
	size_t		nform;
	size_t		nkey;
	size_t		offs[RS_MAX_DELETION_CHARS + 1];
	size_t		nchars;

	if (name == NULL || (len = strlen(name)) == 0)
		return;
	if (len > COMPANY_NAME_MAX_BYTES)
		len = COMPANY_NAME_MAX_BYTES;
	if (kind == RS_PERSON)
	{
		emit_prefixed(emit, arg, 'P', name, len, buf);
		return;
	}
	nkey = company_name_key(name, len, key);
	if (nkey > 0)
		emit_prefixed(emit, arg, 'K', key, nkey, buf);

	company_name_parse(name, len, &cn);
	nform = company_name_compare_form(name, &cn, 0, form);
	if (nform == 0)
		return;
	/* code point boundaries of the compare form */
	nchars = 0;
	for (size_t i = 0; i < nform && nchars <= RS_MAX_DELETION_CHARS;)
	{
		offs[nchars++] = i;
		i += sim_char_len(form + i, nform - i);
	}
	if (nchars > RS_MAX_DELETION_CHARS || nchars < 3)
		return;
	offs[nchars] = nform;
	for (size_t c = 0; c < nchars; c++)
	{
		size_t		a = offs[c],
					b = offs[c + 1];

		buf[0] = 'D';
		memcpy(buf + 1, form, a);
		memcpy(buf + 1 + a, form + b, nform - b);
		emit(arg, buf, 1 + nform - (b - a));
	}
}

/*
 * How many entities a block may hold before it is no longer searched (and
 * stops growing): a block that large says little, and searching it would
 * make the work grow with the square of the entities.  Deletion neighbours
 * of common 字号 + industry pairs (华置业) fill up first; a phone number
 * shared by many (a switchboard, an agent's) is no evidence either.
 */
static int32_t
block_cap(char tag)
{
	switch (tag)
	{
		case 'D':
			return RS_MAX_DELETION_BLOCK;
		case 'T':
			return RS_MAX_PHONE_BLOCK;
		default:
			return RS_MAX_BLOCK;
	}
}


static void
block_add(void *arg, const char *key, size_t len)
{
	AddArg	   *a = arg;
	ResolveStore *rs = a->rs;
	size_t		slot = tab_upsert(rs->oom, &rs->blocks, hash_bytes(a->kindseed, key, len));
	int32_t		head = rs->blocks.values[slot];

	if (rs->blocks.counts[slot] > block_cap(key[0]))
		return;					/* overfull: never searched, stop growing it */
	/* the same entity twice at the head (two names with one key): once is enough */
	if (head >= 0 && rs->entries[head].entity == a->entity)
		return;
	if (rs->nentries == rs->entries_cap)
	{
		rs->entries = xrealloc(rs->oom, rs->entries, rs->entries_cap * 2 * sizeof(BlockEntry));
		rs->entries_cap *= 2;
	}
	rs->entries[rs->nentries].entity = a->entity;
	rs->entries[rs->nentries].next = head;
	rs->blocks.values[slot] = (int32_t) rs->nentries;
	rs->blocks.counts[slot]++;
	rs->nentries++;
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

bool
rs_add_name(ResolveStore *rs, int32_t e, const char *name)
{
	RsEntity   *ent = &rs->ents[e];
	RsName	   *node;
	AddArg		arg;

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
	arg.rs = rs;
	arg.entity = e;
	arg.kindseed = ent->kind + 1;
	block_keys((ResolveKind) ent->kind, name, block_add, &arg);
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

	if (address == NULL || address[0] == '\0' || list_has(rs->ents[e].addresses, address))
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

	if (phone == NULL || phone[0] == '\0' || list_has(rs->ents[e].phones, phone))
		return false;
	node = new_str(rs, phone);
	node->next = rs->ents[e].phones;
	rs->ents[e].phones = node;
	{
		AddArg		arg;
		char		key[64];
		size_t		n = strlen(phone);

		if (n < sizeof(key) - 1)
		{
			key[0] = 'T';
			memcpy(key + 1, phone, n);
			arg.rs = rs;
			arg.entity = e;
			arg.kindseed = rs->ents[e].kind + 1;
			block_add(&arg, key, n + 1);
		}
	}
	return true;
}

bool
rs_add_unverified(ResolveStore *rs, int32_t e, ResolveKeyKind kind, const char *text)
{
	char		buf[RESOLVE_IDENT_MAX + 1];
	size_t		n;
	RsStr	   *node;
	AddArg		arg;

	if (kind <= RK_NONE || kind > RK_IDCARD || text == NULL || (n = strlen(text)) == 0 ||
		n >= RESOLVE_IDENT_MAX)
		return false;
	buf[0] = (char) ('0' + kind);
	memcpy(buf + 1, text, n + 1);
	if (list_has(rs->ents[e].unverified, buf))
		return false;
	node = new_str(rs, buf);
	node->next = rs->ents[e].unverified;
	rs->ents[e].unverified = node;
	arg.rs = rs;
	arg.entity = e;
	arg.kindseed = rs->ents[e].kind + 1;
	ident_masks(kind, text, block_add, &arg);
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

/* ---------------------------------------------------------------- comparison */

bool
rs_region_same(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	/* a prefecture (xxxx00) contains its districts, a province (xx0000) its prefectures */
	if (strcmp(a + 4, "00") == 0 || strcmp(b + 4, "00") == 0)
	{
		if (strcmp(a + 2, "0000") == 0 || strcmp(b + 2, "0000") == 0)
			return memcmp(a, b, 2) == 0;
		return memcmp(a, b, 4) == 0;
	}
	return false;
}

size_t
rs_phone_digits(const char *in, size_t len, char *out)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
		if (in[i] >= '0' && in[i] <= '9')
			out[n++] = in[i];
	out[n] = '\0';
	/* +86 / 0086 country prefix of a mobile number */
	if (n == 13 && memcmp(out, "86", 2) == 0)
	{
		memmove(out, out + 2, 12);
		n = 11;
	}
	else if (n == 15 && memcmp(out, "0086", 4) == 0)
	{
		memmove(out, out + 4, 12);
		n = 11;
	}
	return n;
}

double
rs_company_similarity(const char *a, const char *b)
{
	size_t		na = strlen(a),
				nb = strlen(b);
	CompanyName pa,
				pb;

	if (na > COMPANY_NAME_MAX_BYTES || nb > COMPANY_NAME_MAX_BYTES)
		return company_name_similarity(a, na, b, nb);
	company_name_parse(a, na, &pa);
	company_name_parse(b, nb, &pb);
	return company_name_similarity_parsed(a, na, &pa, b, nb, &pb);
}

/* A party prepared for comparing: its name parsed once, the regions it names. */
typedef struct PartyView
{
	const ResolveParty *p;
	size_t		nlen;
	bool		parsed;
	CompanyName cn;
	int			nregions;
	const char *region_text[3];		/* the name, the address, the division's name ... */
	CompanyName region_cn[3];		/* ... and its parse, which has a region */
} PartyView;

static void
party_view(const ResolveStore *rs, const ResolveParty *p, PartyView *v)
{
	const char *sources[3] = {p->name, p->address, rs_division_name(rs, p->region)};

	v->p = p;
	v->nlen = p->name ? strlen(p->name) : 0;
	v->parsed = p->name && v->nlen <= COMPANY_NAME_MAX_BYTES;
	if (v->parsed)
		company_name_parse(p->name, v->nlen, &v->cn);
	v->nregions = 0;
	if (p->kind != RS_ENTERPRISE)
		return;
	for (int i = 0; i < 3; i++)
	{
		size_t		n;

		if (sources[i] == NULL || (n = strlen(sources[i])) == 0 || n > COMPANY_NAME_MAX_BYTES)
			continue;
		if (i == 0)
			v->region_cn[v->nregions] = v->cn;
		else
			company_name_parse(sources[i], n, &v->region_cn[v->nregions]);
		if (v->region_cn[v->nregions].region.len == 0)
			continue;
		v->region_text[v->nregions] = sources[i];
		v->nregions++;
	}
}

/*
 * Where the two are: by division codes when both have one, else by the
 * regions their names and addresses name (衡阳 ~ 衡阳市雁峰区, 衡阳 vs 长沙).
 */
static int
region_level(const RsEntity *e, const PartyView *v)
{
	bool		different = false;

	if (v->p->region[0] && e->region[0])
		return rs_region_same(v->p->region, e->region) ? 0 : 1;
	for (int i = 0; i < v->nregions; i++)
		for (const RsName *r = e->regions; r; r = r->next)
		{
			CompanyPartCmp c;

			if (!r->parsed)
				continue;
			c = company_name_region_cmp(v->region_text[i], &v->region_cn[i], r->text, &r->cn);
			if (c == COMPANY_PART_SAME)
				return 0;
			if (c == COMPANY_PART_DIFFERENT)
				different = true;
		}
	return different ? 1 : FS_LEVEL_MISSING;
}

/*
 * The part of an unverified identifier that compares with a key: a USCC or
 * resident ID as it is (the ID part of ID + 2 digits), the organization code
 * of a legacy taxpayer ID.  Into out; returns its kind, RK_NONE if none.
 */
static ResolveKeyKind
broken_comparable(const ResolveKey *k, char out[RESOLVE_IDENT_MAX])
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

/* Equal length and at most two characters differ. */
static bool
two_slips(const char *a, const char *b)
{
	size_t		n = strlen(a);
	int			diffs = 0;

	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n && diffs <= 2; i++)
		diffs += a[i] != b[i];
	return diffs <= 2;
}

/*
 * The identifier evidence: the party's unverified identifier against the
 * entity's key of its kind and the unverified identifiers the entity was
 * reported with before; and a key the party holds but no entity does against
 * the entity's unverified identifiers.  Equal or one slip apart: near.  Two
 * unverified identifiers may each carry a slip of their own: up to two
 * characters apart they are near.  A mistyped USCC against an entity known
 * by its organization code only (a legacy taxpayer ID): characters 9-17 of
 * the USCC against the code.
 */
static int
ident_level(const RsEntity *e, const ResolveParty *p)
{
	int			level = FS_LEVEL_MISSING;
	char		b[RESOLVE_IDENT_MAX];
	ResolveKeyKind bk = broken_comparable(&p->key, b);

	if (bk != RK_NONE)
	{
		const char *t = e->keys[bk];

		if (t)
		{
			if (resolve_ident_near(b, strlen(b), t, strlen(t)))
				return 0;
			level = 1;
		}
		else if (bk == RK_USCC && strlen(b) == 18 && (t = e->keys[RK_ORGCODE]) != NULL)
		{
			if ((strlen(t) == 9 && memcmp(b + 8, t, 9) == 0) || resolve_ident_near(b + 8, 9, t, strlen(t)))
				return 0;
			level = 1;
		}
		for (const RsStr *u = e->unverified; u; u = u->next)
		{
			if (u->text[0] != (char) ('0' + bk))
				continue;
			if (two_slips(u->text + 1, b) || resolve_ident_near(b, strlen(b), u->text + 1, strlen(u->text + 1)))
				return 0;
			level = 1;
		}
	}
	if (p->key.kind != RK_NONE)
	{
		const char *k = p->key.key;

		for (const RsStr *u = e->unverified; u; u = u->next)
		{
			if (u->text[0] != (char) ('0' + p->key.kind))
				continue;
			if (resolve_ident_near(k, strlen(k), u->text + 1, strlen(u->text + 1)))
				return 0;
			level = 1;
		}
	}
	return level;
}

static bool
persons_share(const RsEntity *e, const ResolveParty *p, bool *any)
{
	*any = false;
	if (e->persons == NULL || p->npersons == 0)
		return false;
	*any = true;
	for (const RsId *n = e->persons; n; n = n->next)
		for (int i = 0; i < p->npersons; i++)
			if (n->id == p->persons[i])
				return true;
	return false;
}

static void
compare_entity(const RsEntity *e, const PartyView *v, const FsModel *model,
			   ResolveComparison *out)
{
	const ResolveParty *p = v->p;
	int		   *lv = out->levels;
	double		best = -1.0;
	const RsName *best_node = NULL;

	for (int f = 0; f < RS_NFIELDS; f++)
		lv[f] = FS_LEVEL_MISSING;
	out->best_name = NULL;
	out->exact_name = false;
	out->sole_namesake = false;

	if (p->name && p->name[0])
	{
		for (const RsName *n = e->names; n; n = n->next)
		{
			double		s;

			if (n->len == v->nlen && memcmp(n->text, p->name, v->nlen) == 0)
				s = 1.0;
			else if (p->kind == RS_PERSON)
				s = sim_name(p->name, v->nlen, n->text, n->len);
			else if (v->parsed && n->parsed)
				s = company_name_similarity_parsed(p->name, v->nlen, &v->cn, n->text, n->len, &n->cn);
			else
				s = company_name_similarity(p->name, v->nlen, n->text, n->len);
			if (s > best)
			{
				best = s;
				best_node = n;
			}
		}
		if (best_node)
		{
			out->best_name = best_node->text;
			lv[RS_F_NAME] = fs_level_from_similarity(best, rs_name_thresholds, RS_NAME_NTHRESHOLDS);
		}
	}
	lv[RS_F_REGION] = region_level(e, v);
	out->exact_name = lv[RS_F_NAME] == 0;
	/*
	 * An exact name says which company only where it is: without a region to
	 * compare, the same 字号 and industry may be registered in another city
	 * (decree 734 makes names unique within a registration area only), so it
	 * counts as the next level.
	 */
	if (p->kind == RS_ENTERPRISE && lv[RS_F_NAME] == 0 && lv[RS_F_REGION] == FS_LEVEL_MISSING)
		lv[RS_F_NAME] = 1;
	if (p->kind == RS_ENTERPRISE && best_node && v->parsed && best_node->parsed)
	{
		CompanyPartCmp c = company_name_industry_cmp(&v->cn, &best_node->cn);

		if (c != COMPANY_PART_MISSING)
			lv[RS_F_INDUSTRY] = c == COMPANY_PART_SAME ? 0 : 1;
	}
	if (p->address && p->address[0] && e->addresses)
	{
		lv[RS_F_ADDRESS] = 1;
		for (const RsStr *n = e->addresses; n; n = n->next)
		{
			if (strcmp(n->text, p->address) == 0 ||
				sim_name(p->address, strlen(p->address), n->text, strlen(n->text)) >= RS_ADDRESS_AGREE)
			{
				lv[RS_F_ADDRESS] = 0;
				break;
			}
		}
	}
	if (p->phone && p->phone[0] && e->phones)
		lv[RS_F_PHONE] = list_has(e->phones, p->phone) ? 0 : 1;
	{
		bool		any;
		bool		share = persons_share(e, p, &any);

		if (any)
			lv[RS_F_PERSON] = share ? 0 : 1;
	}
	lv[RS_F_IDENT] = ident_level(e, p);
	out->weight = fs_weight(model, lv, NULL);
}

void
rs_compare(const ResolveStore *rs, const ResolveParty *p, int32_t e, const FsModel *model,
		   ResolveComparison *out)
{
	PartyView	v;

	party_view(rs, p, &v);
	out->entity = e;
	compare_entity(&rs->ents[e], &v, model, out);
}

/* A valid key of the party that the candidate contradicts: never the same entity. */
static bool
key_conflict(const RsEntity *e, const ResolveParty *p)
{
	const ResolveKey *k = &p->key;

	if (e->kind != (uint8_t) p->kind)
		return true;
	if (k->kind == RK_NONE)
		return false;
	if (e->keys[k->kind] && strcmp(e->keys[k->kind], k->key) != 0)
		return true;
	if (k->orgcode[0] && e->keys[RK_ORGCODE] && strcmp(e->keys[RK_ORGCODE], k->orgcode) != 0)
		return true;
	return false;
}

typedef struct GatherArg
{
	ResolveStore *rs;
	const ResolveParty *p;
	int32_t		self;
	int			n;
	int			max;			/* 0: unbounded (grow the scratch) */
	int32_t    *out;
	uint64_t	kindseed;
} GatherArg;

/* Entity e, not seen yet for this party, becomes a candidate unless its keys conflict. */
static void
add_candidate(GatherArg *g, int32_t e)
{
	ResolveStore *rs = g->rs;
	RsEntity   *ent = &rs->ents[e];

	ent->stamp = rs->stamp;
	if (key_conflict(ent, g->p))
		return;
	if (g->max > 0)
	{
		if (g->n < g->max)
			g->out[g->n++] = e;
		return;
	}
	if (g->n == rs->cand_cap)
	{
		rs->cand = xrealloc(rs->oom, rs->cand, rs->cand_cap * 2 * sizeof(int32_t));
		rs->cand_cap *= 2;
	}
	rs->cand[g->n++] = e;
}

static void
block_gather(void *arg, const char *key, size_t len)
{
	GatherArg  *g = arg;
	ResolveStore *rs = g->rs;
	size_t		slot;

	if (!tab_find(&rs->blocks, hash_bytes(g->kindseed, key, len), &slot))
		return;
	if (rs->blocks.counts[slot] > block_cap(key[0]))
		return;
	for (int32_t i = rs->blocks.values[slot]; i >= 0; i = rs->entries[i].next)
	{
		int32_t		e = rs->entries[i].entity;

		if (rs->ents[e].stamp == rs->stamp || e == g->self)
			continue;
		add_candidate(g, e);
	}
}

static int
gather(ResolveStore *rs, const ResolveParty *p, int32_t self, int32_t *out, int max)
{
	GatherArg	g;

	if (++rs->stamp == 0)
	{
		/* wrapped: clear every stamp once in 4 billion parties */
		for (int32_t i = 0; i < rs->nents; i++)
			rs->ents[i].stamp = 0;
		rs->stamp = 1;
	}
	g.rs = rs;
	g.p = p;
	g.self = self;
	g.n = 0;
	g.max = max;
	g.out = out;
	g.kindseed = (uint64_t) p->kind + 1;
	block_keys(p->kind, p->name, block_gather, &g);
	if (p->phone && p->phone[0])
	{
		char		key[64];
		size_t		n = strlen(p->phone);

		if (n < sizeof(key) - 1)
		{
			key[0] = 'T';
			memcpy(key + 1, p->phone, n);
			block_gather(&g, key, n + 1);
		}
	}
	{
		char		t[RESOLVE_IDENT_MAX];
		ResolveKeyKind bk = broken_comparable(&p->key, t);

		if (bk != RK_NONE)
		{
			size_t		n = strlen(t);

			ident_masks(bk, t, block_gather, &g);
			/* two neighbours swapped: the swapped text is the key itself */
			for (size_t i = 0; i + 1 < n; i++)
			{
				char		c = t[i];
				int32_t		e;

				t[i] = t[i + 1];
				t[i + 1] = c;
				e = rs_find_key(rs, bk, t);
				if (e >= 0 && rs->ents[e].stamp != rs->stamp && e != self)
					add_candidate(&g, e);
				t[i + 1] = t[i];
				t[i] = c;
			}
		}
		/* a key no entity holds may be one an entity was reported with, mistyped */
		if (p->key.kind != RK_NONE)
			ident_masks(p->key.kind, p->key.key, block_gather, &g);
	}
	return g.n;
}

int
rs_candidates(ResolveStore *rs, const ResolveParty *p, int32_t self, int32_t *out, int max)
{
	if (max <= 0)
		return 0;
	return gather(rs, p, self, out, max);
}

/* Two links above the upper threshold closer than this are left to a person. */
#define RS_AMBIGUITY_MARGIN 2.0

void
rs_resolve(ResolveStore *rs, const ResolveParty *p, const FsModel *model,
		   ResolveOutcome *out, uint64_t *comparisons)
{
	int			n = gather(rs, p, -1, NULL, 0);
	PartyView	v;
	int			namesakes = 0;
	int			unplaced = -1;

	party_view(rs, p, &v);
	memset(out, 0, sizeof(*out));
	out->decision = FS_NONLINK;
	out->ncandidates = n;
	if (n > rs->cmp_cap)
	{
		int			cap = rs->cmp_cap;

		while (cap < n)
			cap *= 2;
		rs->cmp = xrealloc(rs->oom, rs->cmp, cap * sizeof(ResolveComparison));
		rs->cmp_cap = cap;
	}
	for (int i = 0; i < n; i++)
	{
		ResolveComparison *c = &rs->cmp[i];

		c->entity = rs->cand[i];
		compare_entity(&rs->ents[c->entity], &v, model, c);
		if (c->exact_name)
		{
			namesakes++;
			if (c->levels[RS_F_REGION] == FS_LEVEL_MISSING)
				unplaced = i;
		}
	}

	/*
	 * The region rule of compare_entity() guards against the namesake in
	 * another registration area.  When the party has no key and its blocks
	 * hold a single entity of exactly its name, there is no namesake to
	 * confuse it with: the name counts as exact again (the explanation says
	 * so).  Not for a party with a key: candidates holding another key are
	 * left out of its blocks, namesakes among them.
	 */
	if (namesakes == 1 && unplaced >= 0 && p->kind == RS_ENTERPRISE && p->key.kind == RK_NONE)
	{
		ResolveComparison *c = &rs->cmp[unplaced];

		c->levels[RS_F_NAME] = 0;
		c->sole_namesake = true;
		c->weight = fs_weight(model, c->levels, NULL);
	}

	for (int i = 0; i < n; i++)
	{
		ResolveComparison c = rs->cmp[i];

		if (i == 0 || c.weight > out->best.weight ||
			(c.weight == out->best.weight && rs->ents[c.entity].id < rs->ents[out->best.entity].id))
		{
			if (i > 0)
				out->second = out->best;
			out->best = c;
		}
		else if (i == 1 || c.weight > out->second.weight)
			out->second = c;
	}
	if (comparisons)
		*comparisons += (uint64_t) n;
	if (n == 0)
		return;
	out->decision = fs_classify(model, out->best.weight);
	if (out->decision == FS_LINK && n > 1 && out->second.weight >= model->upper &&
		out->best.weight - out->second.weight < RS_AMBIGUITY_MARGIN)
	{
		out->ambiguous = true;
		out->decision = FS_REVIEW;
	}
}

void
rs_compare_parties(const ResolveParty *a, const ResolveParty *b, const FsModel *model,
				   RsOomHandler oom, int *levels, double *weight)
{
	ResolveStore *rs = rs_create(oom);
	int32_t		e = rs_add_entity(rs, 1, b->kind);
	ResolveComparison c;

	rs_absorb(rs, e, b);
	rs_compare(rs, a, e, model, &c);
	memcpy(levels, c.levels, sizeof(c.levels));
	*weight = c.weight;
	rs_free(rs);
}

const char *
rs_method_name(ResolveMethod m)
{
	switch (m)
	{
		case RM_USCC:
			return "uscc";
		case RM_IDCARD:
			return "idcard";
		case RM_ORGCODE:
			return "orgcode";
		case RM_TAXPAYER_ID:
			return "taxpayer_id";
		case RM_NONE:
			break;
	}
	return "probabilistic";
}

int32_t
rs_find_party(const ResolveStore *rs, const ResolveParty *p, ResolveMethod *method)
{
	const ResolveKey *k = &p->key;
	int32_t		e;

	*method = RM_NONE;
	switch (k->kind)
	{
		case RK_USCC:
			if ((e = rs_find_key(rs, RK_USCC, k->key)) >= 0)
			{
				*method = RM_USCC;
				return e;
			}
			if ((e = rs_find_key(rs, RK_ORGCODE, k->orgcode)) >= 0)
			{
				*method = RM_ORGCODE;
				return e;
			}
			return -1;
		case RK_ORGCODE:
			if ((e = rs_find_key(rs, RK_ORGCODE, k->key)) >= 0)
			{
				*method = k->via == RKV_LEGACY15 ? RM_TAXPAYER_ID : RM_ORGCODE;
				return e;
			}
			return -1;
		case RK_IDCARD:
			if ((e = rs_find_key(rs, RK_IDCARD, k->key)) >= 0)
			{
				*method = (k->via == RKV_PERSONAL || p->key_from_taxpayer_id) ? RM_TAXPAYER_ID : RM_IDCARD;
				return e;
			}
			return -1;
		case RK_NONE:
			break;
	}
	return -1;
}

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
		ResolveKeyKind bk = broken_comparable(k, t);

		if (bk != RK_NONE && rs_add_unverified(rs, e, bk, t))
			changed |= RS_CHG_IDENT;
	}
	for (int i = 0; i < p->npersons; i++)
		if (rs_add_person(rs, e, p->persons[i]))
			changed |= RS_CHG_PERSON;
	return changed;
}
