/*
 * resolve_run_internal.h
 *		What the three files of resolve_entities() share: the state of one
 *		run, the parties of the record being decided, and the functions one
 *		file offers the others.
 *
 *		resolve_load.c		what a run reads: the model, the entities into the
 *							store, the pending parties
 *		resolve_run.c		resolve_entities(): the two passes and the decision
 *							of each party
 *		resolve_write.c		what a run writes: entities, attributes, links and
 *							reviews with their explanations, in batches
 *							(src/common/spi_batch.h)
 */
#ifndef TAXSHARE_RESOLVE_RUN_INTERNAL_H
#define TAXSHARE_RESOLVE_RUN_INTERNAL_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "lib/stringinfo.h"

#include "match/resolve_run.h"

/* "enterprise" or "person", as taxshare.entity.kind writes it. */
extern const char *resolve_kind_name(ResolveKind k);

/*
 * Load every entity into the store: its row in taxshare.entity, the names,
 * addresses, phones and identifiers of taxshare.entity_attribute, and the
 * persons of taxshare.party_link (needs an SPI connection).
 */
extern void resolve_load_entities(ResolveStore *rs);

/* Parties per write batch; source rows per fetch; entity ids fetched at most at once. */
#define RESOLVE_BATCH   2000
#define RESOLVE_FETCH   2000
#define RESOLVE_ID_POOL 1024

struct SpiBatch;

typedef struct Run
{
	ResolveStore *rs;
	FsModel       models[RS_NKINDS];
	/* one writer per table (src/common/spi_batch.h), flushed together by resolve_flush() */
	struct SpiBatch *entity_new;
	struct SpiBatch *entity_upd;
	struct SpiBatch *attributes;
	struct SpiBatch *parties;
	struct SpiBatch *reviews;
	/*
	 * The schema has record_party.provisional and match_review.case_key
	 * (0.2.0): a review links the party provisionally to its candidate.  Not
	 * before ALTER EXTENSION UPDATE, when the 0.1.0 schema runs on this
	 * library: then a review makes a provisional entity, as 0.1.0 did.
	 */
	bool          provisional_links;
	MemoryContext batchcxt; /* what deciding allocates; reset by resolve_flush() */
	int64         id_pool[RESOLVE_ID_POOL];
	int           id_next;
	int           id_count;
	int64         nparties;
	int64         by_key;
	int64         probabilistic;
	int64         review;
	int64         new_entities;
	uint64_t      comparisons;
	MemoryContext fncxt; /* the call's: keyed lives here */
	int           pass;  /* 1: parties with a key; 2: the rest, record by record */
	int32        *keyed; /* the entity of each keyed party, in pass-1 order */
	int64         nkeyed;
	int64         keyed_cap;
	int64         keyed_next; /* pass 2's position in keyed */
} Run;

/* One party of the record being decided. */
typedef struct PartyRow
{
	int64        record_id;
	char        *role;
	char        *name_raw;
	char        *address_raw;
	char        *link_to; /* a key person: the role of the enterprise of the record it serves */
	ResolveParty party;
	int32        entity; /* store index once decided */
} PartyRow;

/* The parties of one record, as the pending query returns them. */
typedef struct RecordBuf
{
	PartyRow     *rows;
	int           n;
	int           cap;
	MemoryContext cxt; /* the rows' strings; reset per record */
} RecordBuf;

/* Reading the parties (resolve_load.c). */
extern const char *const resolve_pending_sql;
extern int64             resolve_count_pending(void);
extern void resolve_record_add(RecordBuf *rb, HeapTuple t, TupleDesc d, int64 record_id);

/* Writing the results (resolve_write.c), inside the run's SPI connection. */
extern void  resolve_write_begin(Run *run);
extern void  resolve_flush(Run *run);
extern void  resolve_write_end(Run *run);
extern int32 resolve_new_entity(Run *run, PartyRow *r);
extern void  resolve_absorb(Run *run, int32 e, PartyRow *r);
extern void  resolve_write_link(Run *run, const PartyRow *r, int32 e, double score,
								const char *method, const char *explanation, bool provisional);
extern void  resolve_write_review(Run *run, const PartyRow *r, int32 candidate, int32 e,
								  double weight, const char *explanation);
extern void  resolve_explain_key(StringInfo x, const PartyRow *r, ResolveMethod m, bool created);
extern void  resolve_explain_comparison(StringInfo x, Run *run, const ResolveParty *p,
										const ResolveComparison *c);
extern void  resolve_explain_outcome(StringInfo x, Run *run, const PartyRow *r,
									 const ResolveOutcome *o, const char *decision);

#endif /* TAXSHARE_RESOLVE_RUN_INTERNAL_H */
