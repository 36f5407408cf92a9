/*
 * catalog_cache.c
 *		Cache compiled catalog item versions (compiled by catalog_compile.c).
 *
 * Versions are immutable once catalog_define() wrote them, so a cached item
 * is normally valid forever; the cache is flushed anyway on any change to the
 * catalog tables (a hand-made UPDATE, DROP EXTENSION and a new CREATE
 * EXTENSION that restarts the version numbers).  The invalidation callback may
 * run in the middle of a load (whenever a lock is taken), so it only marks the
 * cache stale; the memory is freed by the next catalog_item_get() that finds no
 * load of this backend still holding an item ("pins").  While pins remain, a
 * stale lookup compiles a private copy in the transaction's memory.
 */
#include "taxshare.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "regex/regex.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "catalog/catalog_cache.h"

#define CATALOG_CODE_MAX 64

typedef struct CatalogCacheKey
{
	char  code[CATALOG_CODE_MAX + 1];
	int32 version;
} CatalogCacheKey;

typedef struct CatalogCacheEntry
{
	CatalogCacheKey key;
	CatalogItem    *item;
} CatalogCacheEntry;

static MemoryContext catalog_cache_cxt = NULL;
static HTAB         *catalog_cache = NULL;
static bool          catalog_stale = false;
static int           catalog_pins = 0;
static bool          catalog_callbacks_registered = false;
static Oid           catalog_item_relid = InvalidOid;

static void
catalog_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == catalog_item_relid)
		catalog_stale = true;
}

/* Loads never outlive their transaction, and neither do their pins. */
static void
catalog_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		catalog_pins = 0;
}

static void
catalog_flush(void)
{
	if (catalog_cache_cxt)
		MemoryContextReset(catalog_cache_cxt);
	catalog_cache = NULL;
	catalog_stale = false;
}

static void
catalog_cache_setup(void)
{
	HASHCTL ctl;

	if (!catalog_callbacks_registered)
	{
		CacheRegisterRelcacheCallback(catalog_relcache_callback, (Datum) 0);
		RegisterXactCallback(catalog_xact_callback, NULL);
		catalog_callbacks_registered = true;
	}
	if (catalog_cache_cxt == NULL)
		catalog_cache_cxt = AllocSetContextCreate(CacheMemoryContext, "taxshare catalog cache",
												  ALLOCSET_DEFAULT_SIZES);
	if (catalog_stale && catalog_pins == 0)
		catalog_flush();
	if (catalog_cache == NULL && !catalog_stale)
	{
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(CatalogCacheKey);
		ctl.entrysize = sizeof(CatalogCacheEntry);
		ctl.hcxt = catalog_cache_cxt;
		catalog_cache =
			hash_create("taxshare catalog items", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		catalog_item_relid =
			get_relname_relid("catalog_item", get_namespace_oid("taxshare", false));
	}
}

CatalogItem *
catalog_item_get(const char *code, int32 version)
{
	CatalogCacheKey    key;
	CatalogCacheEntry *entry = NULL;
	MemoryContext      cxt;
	MemoryContext      old;
	CatalogItem       *item;
	bool               found;

	if (strlen(code) > CATALOG_CODE_MAX)
		return NULL;
	catalog_cache_setup();
	memset(&key, 0, sizeof(key));
	strcpy(key.code, code);
	key.version = version;
	if (catalog_cache && !catalog_stale)
	{
		entry = hash_search(catalog_cache, &key, HASH_FIND, NULL);
		if (entry)
		{
			catalog_pins++;
			return entry->item;
		}
	}

	/* Compiled under the transaction, so that an error frees it. */
	cxt =
		AllocSetContextCreate(TopTransactionContext, "taxshare catalog item", ALLOCSET_SMALL_SIZES);
	SPI_connect();
	old = MemoryContextSwitchTo(cxt);
	item = palloc0(sizeof(CatalogItem));
	found = catalog_compile(item, code, version, cxt);
	MemoryContextSwitchTo(old);
	SPI_finish();
	if (!found)
	{
		MemoryContextDelete(cxt);
		return NULL;
	}
	/* An invalidation during the compilation: use this copy once, keep none. */
	if (!catalog_stale && catalog_cache != NULL)
	{
		MemoryContextSetParent(cxt, catalog_cache_cxt);
		entry = hash_search(catalog_cache, &key, HASH_ENTER, NULL);
		entry->item = item;
	}
	catalog_pins++;
	return item;
}

void
catalog_item_release(CatalogItem *item)
{
	if (catalog_pins > 0)
		catalog_pins--;
}

int32
catalog_latest_version(const char *code)
{
	static Oid argtypes[1] = {TEXTOID};
	Datum      args[1];
	int32      version = 0;
	bool       isnull;
	Datum      d;

	args[0] = CStringGetTextDatum(code);
	SPI_connect();
	if (SPI_execute_with_args("SELECT max(version) FROM taxshare.catalog_item WHERE code = $1", 1,
							  argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading catalog_item failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		version = DatumGetInt32(d);
	SPI_finish();
	return version;
}

bool
catalog_pattern_match(void *ctx, int field, const char *s, size_t len)
{
	CatalogItem *item = (CatalogItem *) ctx;

	if (item->patterns[field] == NULL)
		return true;
	return RE_compile_and_execute(item->patterns[field], (char *) s, (int) len, REG_ADVANCED,
								  DEFAULT_COLLATION_OID, 0, NULL);
}
