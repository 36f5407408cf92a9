/*
 * resolve_run.c
 *		resolve_entities(): link every party of every new record to an entity
 *		(docs/matching.md, "Resolution").
 *
 * One run loads every entity into a ResolveStore (resolve_load.c), reads the
 * parties not yet in record_party in record order, and decides each party:
 * its valid key first, then the probabilistic comparison against the
 * candidates of its blocks (the pure core, resolve_store.h).  What it
 * decides is written in batches (resolve_write.c).
 *
 * Two passes over the same parties, in record order.  The first decides
 * every party with a valid key (the registry's USCC, a resident ID) of the
 * whole run, so that a name reported without an identifier is compared with
 * everything the run knows by key, wherever it stands in the order.  The
 * second decides the rest, the parties of one record together: enterprises,
 * then persons, so that the persons of a record are evidence for its
 * enterprise ("linked persons") and back.
 */
#include "taxshare.h"

#include <math.h>

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "common/progress.h"
#include "common/spi_batch.h"
#include "match/resolve_run_internal.h"

/* ---------------------------------------------------------------- deciding a party */

/*
 * Compare the party with the candidates of its blocks and decide.  A party
 * with a valid key that no entity holds comes here too: the entity may be
 * known by name from records without a key (candidates holding another key
 * of the same kind are never compared); linked, the entity takes the key;
 * not linked, the party makes a new entity known by its key.
 */
static void
decide_by_weight(Run *run, PartyRow *r, bool keyed)
{
	ResolveOutcome o;
	StringInfoData x;
	int32          e;

	rs_resolve(run->rs, &r->party, &run->models[r->party.kind], &o, &run->comparisons);
	initStringInfo(&x);
	/*
	 * A party with a valid key is an entity of its own unless the weight
	 * links it: the key is identity enough, a review would only hold up
	 * what the key already says.
	 */
	if (keyed && o.decision == FS_REVIEW)
		o.decision = FS_NONLINK;
	switch (o.decision)
	{
		case FS_LINK:
			e = o.best.entity;
			resolve_absorb(run, e, r);
			resolve_explain_outcome(&x, run, r, &o, "link");
			resolve_write_link(run, r, e, o.best.weight, "probabilistic", x.data, false);
			run->probabilistic++;
			break;
		case FS_REVIEW:
			/*
			 * Linked provisionally to the best candidate until a person
			 * decides: rules and grading see the link, but what the party
			 * says is not taken into the entity, so later parties never meet
			 * it as a candidate (a provisional entity of its own would split
			 * the company and attract them).  Parties that say the same share
			 * the review (its case key).
			 */
			resolve_explain_outcome(&x, run, r, &o, "review");
			if (run->provisional_links)
			{
				e = o.best.entity;
				resolve_write_link(run, r, e, o.best.weight, "probabilistic", x.data, true);
				resolve_write_review(run, r, o.best.entity, -1, o.best.weight, x.data);
			}
			else
			{
				/* the 0.1.0 schema (before ALTER EXTENSION UPDATE): an entity of its own */
				e = resolve_new_entity(run, r);
				resolve_write_link(run, r, e, o.best.weight, "probabilistic", x.data, false);
				resolve_write_review(run, r, o.best.entity, e, o.best.weight, x.data);
			}
			run->review++;
			break;
		default:
			e = resolve_new_entity(run, r);
			if (keyed)
			{
				ResolveMethod m = rs_key_method(&r->party);

				resolve_explain_key(&x, r, m, true);
				/* what the name search found, for the record */
				x.len--; /* reopen the object */
				x.data[x.len] = '\0';
				appendStringInfo(&x, ", \"candidates\": %d", o.ncandidates);
				if (o.ncandidates > 0)
				{
					appendStringInfoString(&x, ", \"best\": ");
					resolve_explain_comparison(&x, run, &r->party, &o.best);
				}
				appendStringInfoChar(&x, '}');
				resolve_write_link(run, r, e, 1.0, rs_method_name(m), x.data, false);
				run->by_key++;
			}
			else
			{
				resolve_explain_outcome(&x, run, r, &o, "new");
				resolve_write_link(run, r, e, o.ncandidates > 0 ? o.best.weight : NAN,
								   "probabilistic", x.data, false);
			}
			break;
	}
	r->entity = e;
}

static void
decide_by_key(Run *run, PartyRow *r)
{
	ResolveMethod  m;
	int32          e = rs_find_party(run->rs, &r->party, &m);
	StringInfoData x;

	if (e < 0)
	{
		decide_by_weight(run, r, true);
		return;
	}
	resolve_absorb(run, e, r);
	initStringInfo(&x);
	resolve_explain_key(&x, r, m, false);
	resolve_write_link(run, r, e, 1.0, rs_method_name(m), x.data, false);
	r->entity = e;
	run->by_key++;
}

/*
 * Is person row p a key person (party_link_source) of enterprise row e of
 * the same record?  Only these relations are evidence: the buyer of a flat
 * says nothing about who the seller is.
 */
static bool
key_person_of(const PartyRow *p, const PartyRow *e)
{
	return p->link_to != NULL && strcmp(p->link_to, e->role) == 0;
}

/* Entity ids of the decided parties of the record related to row self as key person or employer. */
static int64 *
co_parties(Run *run, PartyRow *rows, int n, int self, int *count)
{
	int64 *ids = palloc(sizeof(int64) * n);
	int    k = 0;

	for (int i = 0; i < n; i++)
	{
		if (i == self || rows[i].entity < 0)
			continue;
		if (key_person_of(&rows[i], &rows[self]) || key_person_of(&rows[self], &rows[i]))
			ids[k++] = rs_entity_id(run->rs, rows[i].entity);
	}
	*count = k;
	return ids;
}

/* Pass 1: the parties of the record with a valid key; their entities are remembered for pass 2. */
static void
decide_record_keys(Run *run, PartyRow *rows, int n)
{
	for (int i = 0; i < n; i++)
	{
		if (rows[i].party.key.kind == RK_NONE)
			continue;
		decide_by_key(run, &rows[i]);
		if (run->nkeyed == run->keyed_cap)
		{
			run->keyed_cap = run->keyed_cap ? run->keyed_cap * 2 : 4096;
			run->keyed = run->keyed
							 ? repalloc_huge(run->keyed, sizeof(int32) * run->keyed_cap)
							 : MemoryContextAllocHuge(run->fncxt, sizeof(int32) * run->keyed_cap);
		}
		run->keyed[run->nkeyed++] = rows[i].entity;
	}
}

/* Pass 2: the record's parties without a key, with the keyed ones as evidence. */
static void
decide_record(Run *run, PartyRow *rows, int n)
{
	for (int i = 0; i < n; i++)
		if (rows[i].party.key.kind != RK_NONE)
		{
			if (run->keyed_next >= run->nkeyed)
				elog(ERROR,
					 "resolve_entities: the second pass met a keyed party the first did not");
			rows[i].entity = run->keyed[run->keyed_next++];
		}
	/* enterprises, then persons */
	for (int pass = 0; pass < 2; pass++)
	{
		ResolveKind kind = pass == 0 ? RS_ENTERPRISE : RS_PERSON;

		for (int i = 0; i < n; i++)
		{
			if (rows[i].entity >= 0 || rows[i].party.kind != kind)
				continue;
			rows[i].party.persons = co_parties(run, rows, n, i, &rows[i].party.npersons);
			decide_by_weight(run, &rows[i], false);
		}
	}
	/* the key persons of the record are now known of its enterprises, and back */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (i != j && key_person_of(&rows[j], &rows[i]))
			{
				rs_add_person(run->rs, rows[i].entity, rs_entity_id(run->rs, rows[j].entity));
				rs_add_person(run->rs, rows[j].entity, rs_entity_id(run->rs, rows[i].entity));
			}
	run->nparties += n;
}

/* ---------------------------------------------------------------- the run */

static void
record_done(Run *run, RecordBuf *rb, ProgressState *ps)
{
	MemoryContext old;

	if (rb->n == 0)
		return;
	old = MemoryContextSwitchTo(run->batchcxt);
	if (run->pass == 1)
		decide_record_keys(run, rb->rows, rb->n);
	else
		decide_record(run, rb->rows, rb->n);
	MemoryContextSwitchTo(old);
	if (run->pass == 2)
		progress_update(ps, run->nparties);
	rb->n = 0;
	rb->cap = 0;
	rb->rows = NULL;
	MemoryContextReset(rb->cxt);
	if (spi_batch_rows(run->parties) >= RESOLVE_BATCH)
		resolve_flush(run);
}

static void
run_exec(const char *sql)
{
	int rc = SPI_execute(sql, false, 0);

	if (rc < 0)
		elog(ERROR, "\"%s\" failed: %s", sql, SPI_result_code_string(rc));
}

/* One pass over the pending parties, record by record. */
static void
scan_parties(Run *run, Portal portal, RecordBuf *rb, ProgressState *ps)
{
	int64 current = -1;

	for (;;)
	{
		SPITupleTable *tt;
		uint64         n;

		SPI_cursor_fetch(portal, true, RESOLVE_FETCH);
		/* deciding runs SQL, which replaces SPI_tuptable: keep this one */
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple t = tt->vals[i];
			TupleDesc d = tt->tupdesc;
			bool      isnull;
			int64     record_id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));

			CHECK_FOR_INTERRUPTS();
			if (record_id != current)
			{
				record_done(run, rb, ps);
				current = record_id;
			}
			resolve_record_add(rb, t, d, record_id);
		}
		SPI_freetuptable(tt);
	}
	record_done(run, rb, ps);
	SPI_cursor_close(portal);
}

PG_FUNCTION_INFO_V1(resolve_entities);

/*
 * resolve_entities(rebuild boolean) -> (parties, by_key, probabilistic,
 * review, new_entities, comparisons)
 */
Datum
resolve_entities(PG_FUNCTION_ARGS)
{
	bool                rebuild = PG_GETARG_BOOL(0);
	TupleDesc           tupdesc;
	Datum               values[6];
	bool                nulls[6] = {false, false, false, false, false, false};
	Run                *run;
	ResolveStoreHolder *holder;
	RecordBuf           rb;
	ProgressState       ps;
	SPIPlanPtr          plan;
	Portal              portals[2];
	MemoryContext       fncxt = CurrentMemoryContext;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SPI_connect();
	/* one resolution at a time; readers of the tables are not blocked */
	run_exec("LOCK TABLE taxshare.entity, taxshare.record_party IN SHARE ROW EXCLUSIVE MODE");
	if (rebuild)
	{
		run_exec("DELETE FROM taxshare.match_review WHERE status = 'pending'");
		run_exec("DELETE FROM taxshare.record_party WHERE method IS DISTINCT FROM 'manual'");
		run_exec("DELETE FROM taxshare.party_link WHERE source_record_id IS NOT NULL");
		run_exec("DELETE FROM taxshare.entity_attribute");
		run_exec("SELECT taxshare._entity_prune()");
	}

	run = MemoryContextAllocZero(fncxt, sizeof(Run));
	run->fncxt = fncxt;
	resolve_load_model(&run->models[RS_ENTERPRISE], RS_ENTERPRISE);
	resolve_load_model(&run->models[RS_PERSON], RS_PERSON);

	{
		MemoryContext old = MemoryContextSwitchTo(fncxt);

		holder = resolve_store_create();
		MemoryContextSwitchTo(old);
	}
	run->rs = holder->rs;
	run->batchcxt = AllocSetContextCreate(fncxt, "resolve batches", ALLOCSET_DEFAULT_SIZES);
	resolve_write_begin(run);

	resolve_load_divisions(run->rs);
	resolve_load_entities(run->rs);

	progress_begin(&ps, "resolve_entities", "parties", resolve_count_pending());

	memset(&rb, 0, sizeof(rb));
	rb.cxt = AllocSetContextCreate(fncxt, "resolve record", ALLOCSET_DEFAULT_SIZES);
	plan = SPI_prepare(resolve_pending_sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "preparing the party query failed: %s", SPI_result_code_string(SPI_result));
	/*
	 * Both passes' cursors are opened before anything is written, so that
	 * they read the same parties in the same order (the second is not
	 * hidden by what the first writes to record_party).
	 */
	portals[0] = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	portals[1] = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	for (run->pass = 1; run->pass <= 2; run->pass++)
		scan_parties(run, portals[run->pass - 1], &rb, &ps);
	if (run->keyed_next != run->nkeyed)
		elog(ERROR, "resolve_entities: the second pass missed keyed parties of the first");
	resolve_write_end(run);
	run_exec("SELECT taxshare.party_link_refresh(now())");
	progress_end(&ps);

	resolve_store_release(holder);
	SPI_finish();

	values[0] = Int64GetDatum(run->nparties);
	values[1] = Int64GetDatum(run->by_key);
	values[2] = Int64GetDatum(run->probabilistic);
	values[3] = Int64GetDatum(run->review);
	values[4] = Int64GetDatum(run->new_entities);
	values[5] = Int64GetDatum((int64) run->comparisons);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
