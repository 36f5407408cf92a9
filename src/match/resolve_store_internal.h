/*
 * resolve_store_internal.h
 *		What the files of the resolution core share and nobody else needs:
 *		the layout of the entity store and the functions one phase offers
 *		another.  The API is resolve_store.h.
 *
 *		resolve_store.c		the store: its memory (src/common's arena and hash
 *							tables), entities, keys, attributes, taking a
 *							party into an entity
 *		resolve_block.c		blocking: the block keys of a name, an identifier
 *							or a phone; gathering a party's candidates
 *		resolve_compare.c	comparison: the level of each field for a party
 *							and a candidate, and its weight
 *		resolve_decide.c	decision: the model, the link by key, the choice
 *							among the compared candidates
 *
 * Plain C, no PostgreSQL headers.  Functions here are extern across the
 * files, so they carry the rs_ prefix: the shared library lives in the
 * server's symbol space.
 */
#ifndef TAXSHARE_RESOLVE_STORE_INTERNAL_H
#define TAXSHARE_RESOLVE_STORE_INTERNAL_H

#include "common/arena.h"
#include "common/hash_table.h"
#include "match/company_name.h"
#include "match/resolve_store.h"

/* ---------------------------------------------------------------- the store */

typedef struct RsStr
{
	struct RsStr *next;
	char          text[];
} RsStr;

/* A name with its parse (company_name_parse), made once when the name is added. */
typedef struct RsName
{
	struct RsName *next;
	CompanyName    cn;
	size_t         len;
	bool           parsed; /* short enough to parse (COMPANY_NAME_MAX_BYTES) */
	char           text[];
} RsName;

typedef struct RsId
{
	struct RsId *next;
	int64_t      id;
} RsId;

typedef struct RsEntity
{
	int64_t  id;
	uint32_t stamp; /* last party that gathered it as a candidate */
	uint8_t  kind;
	char    *keys[4]; /* by ResolveKeyKind: uscc, orgcode, idcard */
	char    *taxpayer_id;
	char     region[7];
	RsName  *names; /* first: primary */
	RsName  *names_tail;
	RsName  *regions; /* region parts of its names and addresses (衡阳, 衡阳市雁峰区) */
	RsStr   *addresses;
	RsStr   *phones;
	RsStr   *unverified; /* identifiers that failed their check: kind digit + comparable text */
	RsId    *persons;
} RsEntity;

typedef struct BlockEntry
{
	int32_t entity;
	int32_t next; /* -1 ends the chain */
} BlockEntry;

/*
 * The hash tables hold 64-bit hashes (src/common/hash_table.h) with an
 * int32 value: -1 for none yet.  A block is a hint verified by the
 * comparison anyway; key and id lookups compare the entity's stored key.
 */
struct ResolveStore
{
	RsOomHandler       oom;
	MemAllocator       mem;   /* malloc, then oom or abort() (resolve_store.c) */
	Arena              arena; /* strings and list nodes */
	RsEntity          *ents;
	int32_t            nents;
	int32_t            cap;
	HashTable          keys;           /* hash(kind, key) -> entity */
	HashTable          ids;            /* hash(id) -> entity, one slot per id */
	HashTable          divisions;      /* hash(code) -> index into division_names */
	char             **division_names; /* full names (湖南省衡阳市雁峰区), arena strings */
	int32_t            ndivisions;
	int32_t            divisions_cap;
	HashTable          blocks; /* hash(block key) -> first BlockEntry; count: chain length */
	BlockEntry        *entries;
	size_t             nentries;
	size_t             entries_cap;
	uint32_t           stamp;
	int32_t           *cand; /* candidate scratch */
	int                cand_cap;
	ResolveComparison *cmp; /* comparison scratch of rs_resolve */
	int                cmp_cap;
};

/* Memory and hashes (resolve_store.c). */
extern void    *rs_xrealloc(RsOomHandler oom, void *p, size_t n);
extern uint64_t rs_hash_bytes(uint64_t seed, const char *s, size_t n);

/* The slot of h in one of the store's tables, made (value -1, count 0) if absent. */
extern HashSlot *rs_tab_upsert(HashTable *t, uint64_t h);

/* Is s in the list? */
extern bool rs_list_has(const RsStr *l, const char *s);

/* ---------------------------------------------------------------- blocking */

/* Put entity e in the blocks of a name, an identifier, a phone (resolve_block.c). */
extern void rs_block_name(ResolveStore *rs, int32_t e, const char *name);
extern void rs_block_ident(ResolveStore *rs, int32_t e, ResolveKeyKind which, const char *value);
extern void rs_block_phone(ResolveStore *rs, int32_t e, const char *phone);

/*
 * The candidates of a party (entity self excluded when >= 0): at most max
 * into out, or with max 0 all of them into rs->cand.  Returns how many.
 */
extern int rs_gather(ResolveStore *rs, const ResolveParty *p, int32_t self, int32_t *out, int max);

/* ---------------------------------------------------------------- comparison */

/* A party prepared for comparing: its name parsed once, the regions it names. */
typedef struct RsPartyView
{
	const ResolveParty *p;
	size_t              nlen;
	bool                parsed;
	CompanyName         cn;
	int                 nregions;
	const char         *region_text[3]; /* the name, the address, the division's name ... */
	CompanyName         region_cn[3];   /* ... and its parse, which has a region */
} RsPartyView;

extern void rs_party_view(const ResolveStore *rs, const ResolveParty *p, RsPartyView *v);

/* The levels and weight of the party in v against entity e, into out (all but out->entity). */
extern void rs_compare_entity(const RsEntity *e, const RsPartyView *v, const FsModel *model,
							  ResolveComparison *out);

#endif /* TAXSHARE_RESOLVE_STORE_INTERNAL_H */
