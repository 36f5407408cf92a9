/*
 * catalog_cache.h
 *		Compiled catalog item versions, cached per backend.
 *
 * A catalog item version (taxshare.catalog_item and its fields and rules) is
 * compiled once into a CatalogItem holding the pure-core ItemSpec that
 * validate_row() checks rows against.  Compiled items live in a child of
 * CacheMemoryContext keyed by (code, version).  Any change to the catalog
 * tables fires taxshare.catalog_invalidate(), which sends a relcache
 * invalidation of catalog_item; every backend then drops its cache, but only
 * once no load of its own still uses a compiled item (see catalog_item_get).
 */
#ifndef TAXSHARE_CATALOG_CACHE_H
#define TAXSHARE_CATALOG_CACHE_H

#include "utils/date.h"

#include "validate/validate.h"

typedef struct CatalogItem
{
	char    *code;
	int32    version;
	char    *title;
	char    *provider;  /* unit code */
	char    *frequency; /* realtime, daily, ..., adhoc */
	bool     has_valid_to;
	DateADT  valid_to;
	ItemSpec spec;
	text   **patterns;     /* per field: "^(?:pattern)$", or NULL */
	bool     has_division; /* a field of type division */
	bool     has_idents;   /* a field of type uscc, idcard or orgcode */
} CatalogItem;

/*
 * The compiled item version, or NULL when there is no such version.  The
 * result stays valid until catalog_item_release() or the end of the
 * transaction, even if the catalog changes meanwhile.
 */
extern CatalogItem *catalog_item_get(const char *code, int32 version);
extern void         catalog_item_release(CatalogItem *item);

/* Latest version of an item, 0 when the item is unknown. */
extern int32 catalog_latest_version(const char *code);

/*
 * catalog_compile.c: read a version into item, allocating in the current
 * context; SPI must be connected.  False when there is no such version.
 */
extern bool catalog_compile(CatalogItem *item, const char *code, int32 version, MemoryContext cxt);

/* The ValidateHooks.pattern_match of a CatalogItem (ctx is the item). */
extern bool catalog_pattern_match(void *ctx, int field, const char *s, size_t len);

#endif /* TAXSHARE_CATALOG_CACHE_H */
