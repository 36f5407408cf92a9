/*
 * resolve_block.c
 *		Pure core: blocking for entity resolution.  Which blocks an entity
 *		falls in as its names, identifiers and phones are added, and which
 *		entities a party meets as candidates (resolve_store.h).
 *
 * Comparing a party with every entity would make a run grow with the
 * square of the entities; a party is compared only with the entities that
 * share a block with it.  An enterprise name falls in the block of its 字号
 * (company_name_key) and in the blocks of its "deletion neighbours": the
 * 字号 + industry with one character left out (华湘置业 -> 湘置业, 华置业,
 * 华湘业, 华湘置).  Two names one typo apart always share a block, so the
 * work per party is the size of a few blocks, not the number of entities.
 * A person without a resident ID falls in the block of the exact name.
 * Besides names: the phone number, and each identifier with one character
 * masked (so a USCC mistyped in one place meets the entity holding the
 * right one).  Blocks that grow too large to say anything stop being
 * searched (RS_MAX_BLOCK and its kin in resolve_store.h).
 */
#include "match/resolve_store_internal.h"

#include <string.h>

#include "match/similarity.h"

typedef void (*BlockEmit)(void *arg, const char *key, size_t len);

/* Where block_add() puts what it is given: entity and kind of the store. */
typedef struct AddArg
{
	ResolveStore *rs;
	int32_t       entity;
	uint64_t      kindseed;
} AddArg;

/* ---------------------------------------------------------------- block keys */

/*
 * The identifier's blocks: the text with one character masked, for each
 * position ('M', the kind, the masked text).  An identifier mistyped in one
 * place shares one of them with the right one, whatever the name says.
 */
static void
ident_masks(ResolveKeyKind which, const char *value, BlockEmit emit, void *arg)
{
	char   key[RESOLVE_IDENT_MAX + 2];
	size_t n = strlen(value);

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
	size_t      len;
	char        buf[COMPANY_NAME_MAX_BYTES + 2];
	char        form[COMPANY_NAME_MAX_BYTES + 1];
	char        key[COMPANY_NAME_MAX_BYTES + 1];
	CompanyName cn;
	size_t      nform;
	size_t      nkey;
	size_t      offs[RS_MAX_DELETION_CHARS + 1];
	size_t      nchars;

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
		size_t a = offs[c], b = offs[c + 1];

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
	AddArg       *a = arg;
	ResolveStore *rs = a->rs;
	HashSlot     *slot = rs_tab_upsert(&rs->blocks, rs_hash_bytes(a->kindseed, key, len));
	int32_t       head = slot->u.i.value;

	if (slot->u.i.count > block_cap(key[0]))
		return; /* overfull: never searched, stop growing it */
	/* the same entity twice at the head (two names with one key): once is enough */
	if (head >= 0 && rs->entries[head].entity == a->entity)
		return;
	if (rs->nentries == rs->entries_cap)
	{
		rs->entries = rs_xrealloc(rs->oom, rs->entries, rs->entries_cap * 2 * sizeof(BlockEntry));
		rs->entries_cap *= 2;
	}
	rs->entries[rs->nentries].entity = a->entity;
	rs->entries[rs->nentries].next = head;
	slot->u.i.value = (int32_t) rs->nentries;
	slot->u.i.count++;
	rs->nentries++;
}

/* ---------------------------------------------------------------- filling the blocks */

void
rs_block_name(ResolveStore *rs, int32_t e, const char *name)
{
	AddArg arg;

	arg.rs = rs;
	arg.entity = e;
	arg.kindseed = rs->ents[e].kind + 1;
	block_keys((ResolveKind) rs->ents[e].kind, name, block_add, &arg);
}

void
rs_block_ident(ResolveStore *rs, int32_t e, ResolveKeyKind which, const char *value)
{
	AddArg arg;

	arg.rs = rs;
	arg.entity = e;
	arg.kindseed = rs->ents[e].kind + 1;
	ident_masks(which, value, block_add, &arg);
}

void
rs_block_phone(ResolveStore *rs, int32_t e, const char *phone)
{
	AddArg arg;
	char   key[64];
	size_t n = strlen(phone);

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

/* ---------------------------------------------------------------- gathering candidates */

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
	ResolveStore       *rs;
	const ResolveParty *p;
	int32_t             self;
	int                 n;
	int                 max; /* 0: unbounded (grow the scratch) */
	int32_t            *out;
	uint64_t            kindseed;
} GatherArg;

/* Entity e, not seen yet for this party, becomes a candidate unless its keys conflict. */
static void
add_candidate(GatherArg *g, int32_t e)
{
	ResolveStore *rs = g->rs;
	RsEntity     *ent = &rs->ents[e];

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
		rs->cand = rs_xrealloc(rs->oom, rs->cand, rs->cand_cap * 2 * sizeof(int32_t));
		rs->cand_cap *= 2;
	}
	rs->cand[g->n++] = e;
}

static void
block_gather(void *arg, const char *key, size_t len)
{
	GatherArg      *g = arg;
	ResolveStore   *rs = g->rs;
	const HashSlot *slot = hash_table_find(&rs->blocks, rs_hash_bytes(g->kindseed, key, len));

	if (slot == NULL || slot->u.i.count > block_cap(key[0]))
		return;
	for (int32_t i = slot->u.i.value; i >= 0; i = rs->entries[i].next)
	{
		int32_t e = rs->entries[i].entity;

		if (rs->ents[e].stamp == rs->stamp || e == g->self)
			continue;
		add_candidate(g, e);
	}
}

int
rs_gather(ResolveStore *rs, const ResolveParty *p, int32_t self, int32_t *out, int max)
{
	GatherArg g;

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
		char   key[64];
		size_t n = strlen(p->phone);

		if (n < sizeof(key) - 1)
		{
			key[0] = 'T';
			memcpy(key + 1, p->phone, n);
			block_gather(&g, key, n + 1);
		}
	}
	{
		char           t[RESOLVE_IDENT_MAX];
		ResolveKeyKind bk = rs_broken_comparable(&p->key, t);

		if (bk != RK_NONE)
		{
			size_t n = strlen(t);

			ident_masks(bk, t, block_gather, &g);
			/* two neighbours swapped: the swapped text is the key itself */
			for (size_t i = 0; i + 1 < n; i++)
			{
				char    c = t[i];
				int32_t e;

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
	return rs_gather(rs, p, self, out, max);
}
