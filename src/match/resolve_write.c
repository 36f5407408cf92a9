/*
 * resolve_write.c
 *		What a run of resolve_entities() writes: new and enriched entities
 *		(taxshare.entity, entity_attribute), the link of each party
 *		(record_party) and the pairs left to a person (match_review), each
 *		with its explanation as JSON.  Each table has its writer
 *		(src/common/spi_batch.h): rows are held as one array per column and
 *		written by one INSERT ... SELECT FROM unnest(...) (an UPDATE ... FROM
 *		unnest(...) for enriched entities) every RESOLVE_BATCH parties, all
 *		five together and entities first, so that what a row refers to is
 *		already written; the cost per party is the comparison, not a round of
 *		SQL.
 */
#include "taxshare.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "common/spi_batch.h"
#include "match/resolve_run_internal.h"

/* ---------------------------------------------------------------- the tables */

static const Oid entity_types[] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
								   TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
enum
{
	EC_ID,
	EC_KIND,
	EC_USCC,
	EC_IDCARD,
	EC_ORGCODE,
	EC_TAXPAYER,
	EC_NAME,
	EC_NAMENORM,
	EC_REGION,
	EC_ADDRESS,
	EC_PHONE,
	EC_NCOLS
};
static const char entity_insert_sql[] =
	"INSERT INTO taxshare.entity (id, kind, uscc, idcard, orgcode, taxpayer_id, name, "
	"name_normalized,"
	" region, address, phone) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
static const char entity_update_sql[] =
	"UPDATE taxshare.entity e SET uscc = coalesce(e.uscc, v.uscc), idcard = coalesce(e.idcard, "
	"v.idcard),"
	" orgcode = coalesce(e.orgcode, v.orgcode), taxpayer_id = coalesce(e.taxpayer_id, "
	"v.taxpayer_id),"
	" name = coalesce(e.name, v.name), name_normalized = coalesce(e.name_normalized, "
	"v.name_normalized),"
	" region = coalesce(e.region, v.region), address = coalesce(e.address, v.address),"
	" phone = coalesce(e.phone, v.phone), updated_at = now()"
	" FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
	"   AS v(id, kind, uscc, idcard, orgcode, taxpayer_id, name, name_normalized, region, address, "
	"phone)"
	" WHERE e.id = v.id";

static const Oid  attribute_types[] = {INT8OID, TEXTOID, TEXTOID};
static const char attribute_sql[] = "INSERT INTO taxshare.entity_attribute (entity_id, kind, value)"
									" SELECT * FROM unnest($1, $2, $3) ON CONFLICT DO NOTHING";

static const Oid  party_types[] = {INT8OID, TEXTOID, INT8OID, FLOAT8OID, TEXTOID, TEXTOID, BOOLOID};
static const char party_sql[] =
	"INSERT INTO taxshare.record_party (record_id, role, entity_id, score, method, explanation,"
	" provisional)"
	" SELECT r, o, e, s, m, x::jsonb, coalesce(p, false)"
	" FROM unnest($1, $2, $3, $4, $5, $6, $7) AS u(r, o, e, s, m, x, p)";

static const Oid review_types[] = {INT8OID, TEXTOID, INT8OID, INT8OID, FLOAT8OID, TEXTOID, TEXTOID};
static const char review_sql[] =
	"INSERT INTO taxshare.match_review (record_id, role, candidate_entity_id, entity_id, weight, "
	"explanation, case_key)"
	" SELECT r, o, c, e, w, x::jsonb, k FROM unnest($1, $2, $3, $4, $5, $6, $7)"
	" AS u(r, o, c, e, w, x, k)"
	" ON CONFLICT (record_id, role, candidate_entity_id) DO NOTHING";

/* The same two tables as 0.1.0 has them (see Run.provisional_links). */
static const char party_sql_010[] =
	"INSERT INTO taxshare.record_party (record_id, role, entity_id, score, method, explanation)"
	" SELECT r, o, e, s, m, x::jsonb FROM unnest($1, $2, $3, $4, $5, $6) AS u(r, o, e, s, m, x)";
static const char review_sql_010[] =
	"INSERT INTO taxshare.match_review (record_id, role, candidate_entity_id, entity_id, weight, "
	"explanation)"
	" SELECT r, o, c, e, w, x::jsonb FROM unnest($1, $2, $3, $4, $5, $6) AS u(r, o, c, e, w, x)"
	" ON CONFLICT (record_id, role, candidate_entity_id) DO NOTHING";

/* Each flush of a writer is one statement: entities, enriched entities, attributes, links, reviews. */
static const char         write_what[] = "writing resolution results";
static const SpiBatchSpec entity_new_spec = {
	.what = write_what, .sql = entity_insert_sql, .ncols = EC_NCOLS, .types = entity_types};
static const SpiBatchSpec entity_upd_spec = {
	.what = write_what, .sql = entity_update_sql, .ncols = EC_NCOLS, .types = entity_types};
static const SpiBatchSpec attribute_spec = {.what = write_what,
											.sql = attribute_sql,
											.ncols = lengthof(attribute_types),
											.types = attribute_types};
static const SpiBatchSpec party_spec = {
	.what = write_what, .sql = party_sql, .ncols = lengthof(party_types), .types = party_types};
static const SpiBatchSpec review_spec = {
	.what = write_what, .sql = review_sql, .ncols = lengthof(review_types), .types = review_types};
static const SpiBatchSpec party_spec_010 = {
	.what = write_what, .sql = party_sql_010, .ncols = 6, .types = party_types};
static const SpiBatchSpec review_spec_010 = {
	.what = write_what, .sql = review_sql_010, .ncols = 6, .types = review_types};

/* ---------------------------------------------------------------- rows */

static int64
next_entity_id(Run *run)
{
	if (run->id_next == run->id_count)
	{
		/* 16 ids first, then twice as many each time up to the pool's size: few wasted */
		int  want = run->id_count == 0 ? 16 : Min(run->id_count * 2, RESOLVE_ID_POOL);
		char sql[160];
		int  rc;

		snprintf(sql, sizeof(sql),
				 "SELECT pg_catalog.nextval('taxshare.entity_id_seq'::pg_catalog.regclass)"
				 " FROM pg_catalog.generate_series(1, %d)",
				 want);
		rc = SPI_execute(sql, false, 0);
		if (rc != SPI_OK_SELECT || SPI_processed != (uint64) want)
			elog(ERROR, "allocating entity ids failed");
		for (int i = 0; i < want; i++)
		{
			bool isnull;

			run->id_pool[i] = DatumGetInt64(
				SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		}
		SPI_freetuptable(SPI_tuptable);
		run->id_next = 0;
		run->id_count = want;
	}
	return run->id_pool[run->id_next++];
}

/* An entity row (insert or update) with the store's identifiers and the party's values. */
static void
entity_row(Run *run, SpiBatch *b, int32 e, const PartyRow *r)
{
	ResolveStore *rs = run->rs;

	spi_batch_row(b);
	spi_batch_set(b, EC_ID, Int64GetDatum(rs_entity_id(rs, e)));
	spi_batch_text(b, EC_KIND, resolve_kind_name(rs_entity_kind(rs, e)));
	spi_batch_text(b, EC_USCC, rs_get_key(rs, e, RK_USCC));
	spi_batch_text(b, EC_IDCARD, rs_get_key(rs, e, RK_IDCARD));
	spi_batch_text(b, EC_ORGCODE, rs_get_key(rs, e, RK_ORGCODE));
	spi_batch_text(b, EC_TAXPAYER, rs_get_taxpayer_id(rs, e));
	spi_batch_text(b, EC_NAME, r->name_raw);
	spi_batch_text(b, EC_NAMENORM, r->party.name);
	spi_batch_text(b, EC_REGION, rs_get_region(rs, e));
	spi_batch_text(b, EC_ADDRESS, r->address_raw);
	spi_batch_text(b, EC_PHONE, r->party.phone);
}

static void
attribute_rows(Run *run, int32 e, const PartyRow *r, unsigned changed)
{
	SpiBatch *b = run->attributes;
	int64     id = rs_entity_id(run->rs, e);

	if (changed & RS_CHG_NAME)
	{
		spi_batch_row(b);
		spi_batch_set(b, 0, Int64GetDatum(id));
		spi_batch_text(b, 1, "name");
		spi_batch_text(b, 2, r->party.name);
	}
	if (changed & RS_CHG_ADDRESS)
	{
		spi_batch_row(b);
		spi_batch_set(b, 0, Int64GetDatum(id));
		spi_batch_text(b, 1, "address");
		spi_batch_text(b, 2, r->party.address);
	}
	if (changed & RS_CHG_IDENT)
	{
		static const char *const kinds[] = {"", "uscc", "orgcode", "idcard"};
		char                     t[RESOLVE_IDENT_MAX];
		ResolveKeyKind           kind = rs_broken_comparable(&r->party.key, t);

		spi_batch_row(b);
		spi_batch_set(b, 0, Int64GetDatum(id));
		spi_batch_text(b, 1, "identifier");
		spi_batch_text(b, 2, psprintf("%s:%s", kinds[kind], t));
	}
	if (changed & RS_CHG_PHONE)
	{
		spi_batch_row(b);
		spi_batch_set(b, 0, Int64GetDatum(id));
		spi_batch_text(b, 1, "phone");
		spi_batch_text(b, 2, r->party.phone);
	}
}

/* Has record_party its 0.2.0 column provisional (see Run.provisional_links)? */
static bool
provisional_links_schema(void)
{
	bool isnull;
	bool has;
	int  rc = SPI_execute("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
						   " WHERE a.attrelid = 'taxshare.record_party'::pg_catalog.regclass"
						   " AND a.attname = 'provisional' AND NOT a.attisdropped)",
						  true, 1);

	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "reading the columns of taxshare.record_party failed");
	has = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return has && !isnull;
}

/* The writers of a run, in the call's memory; inside the run's SPI connection. */
void
resolve_write_begin(Run *run)
{
	MemoryContext old = MemoryContextSwitchTo(run->fncxt);

	run->entity_new = spi_batch_create(&entity_new_spec, 0, NULL);
	run->entity_upd = spi_batch_create(&entity_upd_spec, 0, NULL);
	run->attributes = spi_batch_create(&attribute_spec, 0, NULL);
	run->provisional_links = provisional_links_schema();
	run->parties =
		spi_batch_create(run->provisional_links ? &party_spec : &party_spec_010, 0, NULL);
	run->reviews =
		spi_batch_create(run->provisional_links ? &review_spec : &review_spec_010, 0, NULL);
	MemoryContextSwitchTo(old);
}

/* Write what the run holds, then free what it decided with (batchcxt). */
void
resolve_flush(Run *run)
{
	/* entities before what refers to them */
	spi_batch_flush(run->entity_new);
	spi_batch_flush(run->entity_upd);
	spi_batch_flush(run->attributes);
	spi_batch_flush(run->parties);
	spi_batch_flush(run->reviews);
	MemoryContextReset(run->batchcxt);
}

/* The last rows, and the writers freed (before the run's SPI_finish()). */
void
resolve_write_end(Run *run)
{
	resolve_flush(run);
	spi_batch_free(run->entity_new);
	spi_batch_free(run->entity_upd);
	spi_batch_free(run->attributes);
	spi_batch_free(run->parties);
	spi_batch_free(run->reviews);
}

/*
 * The link of a party to entity e: its record_party row.  A provisional link
 * waits for a review; what the party says was not taken into the entity.
 */
void
resolve_write_link(Run *run, const PartyRow *r, int32 e, double score, const char *method,
				   const char *explanation, bool provisional)
{
	SpiBatch *b = run->parties;

	spi_batch_row(b);
	spi_batch_set(b, 0, Int64GetDatum(r->record_id));
	spi_batch_text(b, 1, r->role);
	spi_batch_set(b, 2, Int64GetDatum(rs_entity_id(run->rs, e)));
	if (!isnan(score))
		spi_batch_set(b, 3, Float8GetDatum(score));
	spi_batch_text(b, 4, method);
	spi_batch_text(b, 5, explanation);
	if (run->provisional_links)
		spi_batch_set(b, 6, BoolGetDatum(provisional));
}

/*
 * A pair left to a person: the candidate the party is provisionally linked
 * to.  The case key (the candidate and the party's normalised name) is shared
 * by the parties that say the same: one decision settles them all.  On the
 * 0.1.0 schema, e is the party's provisional entity (else -1).
 */
void
resolve_write_review(Run *run, const PartyRow *r, int32 candidate, int32 e, double weight,
					 const char *explanation)
{
	SpiBatch *b = run->reviews;

	spi_batch_row(b);
	spi_batch_set(b, 0, Int64GetDatum(r->record_id));
	spi_batch_text(b, 1, r->role);
	spi_batch_set(b, 2, Int64GetDatum(rs_entity_id(run->rs, candidate)));
	/* column 3, a provisional entity of the party's own, only on the 0.1.0 schema */
	if (e >= 0)
		spi_batch_set(b, 3, Int64GetDatum(rs_entity_id(run->rs, e)));
	spi_batch_set(b, 4, Float8GetDatum(weight));
	spi_batch_text(b, 5, explanation);
	if (run->provisional_links)
		spi_batch_text(b, 6,
					   psprintf(INT64_FORMAT ":%s", rs_entity_id(run->rs, candidate),
								r->party.name ? r->party.name : ""));
}

/* A new entity made of the party. */
int32
resolve_new_entity(Run *run, PartyRow *r)
{
	int32    e = rs_add_entity(run->rs, next_entity_id(run), r->party.kind);
	unsigned changed = rs_absorb(run->rs, e, &r->party);

	entity_row(run, run->entity_new, e, r);
	attribute_rows(run, e, r, changed);
	run->new_entities++;
	return e;
}

/* Take the party into an existing entity. */
void
resolve_absorb(Run *run, int32 e, PartyRow *r)
{
	unsigned changed = rs_absorb(run->rs, e, &r->party);

	if (changed & (RS_CHG_KEYS | RS_CHG_ADDRESS | RS_CHG_PHONE))
		entity_row(run, run->entity_upd, e, r);
	attribute_rows(run, e, r, changed);
}

/* ---------------------------------------------------------------- explanations */

void
resolve_explain_key(StringInfo x, const PartyRow *r, ResolveMethod m, bool created)
{
	const ResolveKey *k = &r->party.key;

	appendStringInfo(x, "{\"method\": \"%s\", \"key\": ", rs_method_name(m));
	escape_json(x, m == RM_ORGCODE && k->kind == RK_USCC ? k->orgcode : k->key);
	appendStringInfo(x, ", \"read_as\": \"%s\"", resolve_key_via_name(k->via));
	if (k->taxpayer_id[0])
	{
		appendStringInfoString(x, ", \"taxpayer_id\": ");
		escape_json(x, k->taxpayer_id);
	}
	if (m == RM_ORGCODE && k->kind == RK_USCC)
	{
		appendStringInfoString(x, ", \"uscc\": ");
		escape_json(x, k->key);
		appendStringInfoString(
			x, ", \"note\": \"organization code inside the USCC (characters 9-17)\"");
	}
	if (k->broken[0])
	{
		appendStringInfoString(x, ", \"unverified_identifier\": ");
		escape_json(x, k->broken);
	}
	appendStringInfo(x, ", \"new_entity\": %s}", created ? "true" : "false");
}

void
resolve_explain_comparison(StringInfo x, Run *run, const ResolveParty *p,
						   const ResolveComparison *c)
{
	const FsModel *model = &run->models[p->kind];
	char           buf[4096];

	fs_explain(model, c->levels, buf, sizeof(buf));
	appendStringInfo(x,
					 "{\"entity\": " INT64_FORMAT ", \"name\": ", rs_entity_id(run->rs, c->entity));
	if (c->best_name)
		escape_json(x, c->best_name);
	else
		appendStringInfoString(x, "null");
	appendStringInfo(x, ", \"comparison\": %s", buf);
	if (c->sole_near)
		appendStringInfoString(
			x, ", \"sole_near\": true, \"note\": \"no entity of exactly this name; the only"
			   " near one, in the same region and industry: the name counts as exact\"");
	if (c->sole_namesake)
		appendStringInfoString(
			x, ", \"sole_namesake\": true, \"note\": \"no region to compare, but the only"
			   " entity of this exact name among the candidates: the name counts as exact\"");
	appendStringInfoChar(x, '}');
}

void
resolve_explain_outcome(StringInfo x, Run *run, const PartyRow *r, const ResolveOutcome *o,
						const char *decision)
{
	const ResolveParty *p = &r->party;

	appendStringInfo(x,
					 "{\"method\": \"probabilistic\", \"decision\": \"%s\", \"candidates\": %d, "
					 "\"upper\": %g, \"lower\": %g, \"name\": ",
					 decision, o->ncandidates, run->models[p->kind].upper,
					 run->models[p->kind].lower);
	if (p->name)
		escape_json(x, p->name);
	else
		appendStringInfoString(x, "null");
	if (o->ambiguous)
		appendStringInfoString(x, ", \"ambiguous\": true");
	if (p->key.kind != RK_NONE)
	{
		/* a valid key no entity held yet: it goes with the party */
		appendStringInfoString(x, ", \"new_key\": ");
		escape_json(x, p->key.key);
	}
	if (p->key.broken[0])
	{
		appendStringInfoString(x, ", \"unverified_identifier\": ");
		escape_json(x, p->key.broken);
	}
	if (o->ncandidates > 0)
	{
		appendStringInfoString(x, ", \"best\": ");
		resolve_explain_comparison(x, run, p, &o->best);
	}
	if (o->ncandidates > 1)
	{
		appendStringInfoString(x, ", \"runner_up\": ");
		resolve_explain_comparison(x, run, p, &o->second);
	}
	appendStringInfoChar(x, '}');
}
