/*
 * resolve_run.h
 *		The server side of entity resolution: the GUCs, the model in force,
 *		the store's lifetime and the parties as source rows offer them, for
 *		resolve_entities() (resolve_load.c, resolve_run.c, resolve_write.c),
 *		the SQL functions of the model (resolve_fmgr.c) and _PG_init.  The
 *		pure cores underneath are resolve_key.h and resolve_store.h.
 */
#ifndef TAXSHARE_RESOLVE_RUN_H
#define TAXSHARE_RESOLVE_RUN_H

#include "postgres.h"

#include "match/resolve_store.h"

/* GUCs taxshare.match_upper and taxshare.match_lower (weights, log2). */
extern double taxshare_match_upper;
extern double taxshare_match_lower;

/* Registers the GUCs; called from _PG_init. */
extern void resolve_init(void);

/*
 * The model of a kind in force: the built-in defaults, overridden by the
 * rows of taxshare.match_parameter, with the thresholds of the GUCs.  Needs
 * an SPI connection.  Raises an error if the result is not a usable model.
 */
extern void resolve_load_model(FsModel *model, ResolveKind kind);

/*
 * A ResolveStore that is freed when the current memory context is reset or
 * deleted (an error included); *holder is set NULL by resolve_store_release().
 */
typedef struct ResolveStoreHolder
{
	ResolveStore *rs;
} ResolveStoreHolder;

extern ResolveStoreHolder *resolve_store_create(void);
extern void                resolve_store_release(ResolveStoreHolder *h);

/* Load the division names into the store (needs an SPI connection). */
extern void resolve_load_divisions(ResolveStore *rs);

/* One party as a source row offers it (raw texts, NULL when absent). */
typedef struct ResolvePartyInput
{
	const char *kind; /* "enterprise", "person" or NULL */
	const char *uscc;
	const char *idcard;
	const char *orgcode;
	const char *taxpayer_id;
	const char *name;
	const char *region;
	const char *address;
	const char *phone;
} ResolvePartyInput;

/*
 * Fill *p from the input: the strongest valid key, any broken identifier,
 * the kind, and normalised name, address and phone (palloc'd in the current
 * memory context).
 */
extern void resolve_party_build(const ResolvePartyInput *in, ResolveParty *p);

#endif /* TAXSHARE_RESOLVE_RUN_H */
