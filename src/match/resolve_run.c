/*
 * resolve.c
 *		resolve_entities(): link every party of every new record to an entity
 *		(docs/matching.md, "Resolution").
 *
 * One run loads every entity into a ResolveStore (resolve_store.h), reads the
 * parties not yet in record_party in record order, and decides each party:
 * its valid key first, then the probabilistic comparison against the
 * candidates of its blocks.  Results are buffered and written in batches of
 * RESOLVE_BATCH parties with one INSERT ... SELECT FROM unnest(...) per
 * table, so the cost per party is the comparison, not a round of SQL.
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

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "match/company_name.h"
#include "ident/normalize.h"
#include "common/progress.h"
#include "match/resolve_run.h"

double		taxshare_match_upper = 10.0;
double		taxshare_match_lower = 4.0;

/* Parties per write batch; source rows per fetch. */
#define RESOLVE_BATCH 2000
#define RESOLVE_FETCH 2000
#define RESOLVE_ID_POOL 1024

void
resolve_init(void)
{
	DefineCustomRealVariable("taxshare.match_upper",
							 "Match weight (log2) at or above which a party is linked to an entity.",
							 "Between taxshare.match_lower and this the pair goes to taxshare.match_review.",
							 &taxshare_match_upper,
							 10.0, -1000.0, 1000.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("taxshare.match_lower",
							 "Match weight (log2) below which a party becomes a new entity.",
							 "Must not exceed taxshare.match_upper.",
							 &taxshare_match_lower,
							 4.0, -1000.0, 1000.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- model */

static const char *
kind_name(ResolveKind k)
{
	return k == RS_PERSON ? "person" : "enterprise";
}

void
resolve_load_model(FsModel *model, ResolveKind kind)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	const char *problem;
	int			rc;

	rs_model_default(model, kind);
	args[0] = CStringGetTextDatum(kind_name(kind));
	rc = SPI_execute_with_args("SELECT field, level, m, u FROM taxshare.match_parameter"
							   " WHERE kind = $1 ORDER BY field, level",
							   1, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading taxshare.match_parameter failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *field = SPI_getvalue(t, d, 1);
		char	   *level = SPI_getvalue(t, d, 2);
		bool		isnull;
		double		m = DatumGetFloat8(SPI_getbinval(t, d, 3, &isnull));
		double		u = DatumGetFloat8(SPI_getbinval(t, d, 4, &isnull));

		if (strcmp(field, "prior") == 0)
		{
			model->prior = m;
			continue;
		}
		if (!rs_model_set(model, field, level, m, u))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("match parameter \"%s\" / \"%s\" of kind \"%s\" is unknown",
							field, level, kind_name(kind)),
					 errhint("See taxshare.match_model('%s') for the fields and levels; delete the row from taxshare.match_parameter.",
							 kind_name(kind))));
	}
	model->upper = taxshare_match_upper;
	model->lower = taxshare_match_lower;
	problem = fs_model_check(model);
	if (problem != NULL)
	{
		if (strcmp(problem, "thresholds") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("taxshare.match_lower (%g) is above taxshare.match_upper (%g)",
							taxshare_match_lower, taxshare_match_upper),
					 errhint("Set taxshare.match_lower at most taxshare.match_upper.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s match model is not usable (%s)", kind_name(kind), problem),
				 errhint("Check taxshare.match_parameter: the m and u of a field must each stay below 1 in total.")));
	}
}

/* ---------------------------------------------------------------- store lifetime */

static void
resolve_oom(size_t request)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory while resolving entities"),
			 errdetail("Failed on a request for %zu bytes.", request),
			 errhint("The entity store holds every entity in memory; resolve on a server with more memory.")));
}

static void
store_cleanup(void *arg)
{
	ResolveStoreHolder *h = arg;

	if (h->rs)
		rs_free(h->rs);
	h->rs = NULL;
}

ResolveStoreHolder *
resolve_store_create(void)
{
	ResolveStoreHolder *h = palloc0(sizeof(ResolveStoreHolder));
	MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));

	/* register first, so that a failure inside rs_create leaks nothing it returned */
	cb->func = store_cleanup;
	cb->arg = h;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	h->rs = rs_create(resolve_oom);
	return h;
}

void
resolve_store_release(ResolveStoreHolder *h)
{
	store_cleanup(h);
}

/* ---------------------------------------------------------------- parties */

static char *
normalized(const char *s, bool name)
{
	size_t		len;
	char	   *out;
	size_t		n;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	out = palloc(len + 1);
	n = name ? normalize_name(s, len, out) : normalize_ident(s, len, out);
	out[n] = '\0';
	return n > 0 ? out : NULL;
}

void
resolve_party_build(const ResolvePartyInput *in, ResolveParty *p)
{
	const char *fields[4] = {in->uscc, in->idcard, in->orgcode, in->taxpayer_id};
	bool		have_key = false;
	ResolveKey	broken;
	ResolveKeyHint hint = RKH_ANY;

	memset(p, 0, sizeof(*p));
	memset(&broken, 0, sizeof(broken));
	p->name = normalized(in->name, true);

	/* what the party is, for identifiers that read both ways */
	if (in->kind && strcmp(in->kind, "person") == 0)
		hint = RKH_PERSON;
	else if (in->kind && strcmp(in->kind, "enterprise") == 0)
		hint = RKH_ENTERPRISE;
	else if (p->name)
	{
		CompanyName cn;
		size_t		n = strlen(p->name);

		hint = (n <= COMPANY_NAME_MAX_BYTES && company_name_parse(p->name, n, &cn))
			? RKH_ENTERPRISE : RKH_PERSON;
	}

	for (int i = 0; i < 4; i++)
	{
		ResolveKey	k;

		if (fields[i] == NULL)
			continue;
		resolve_key_read_hint(fields[i], strlen(fields[i]), hint, &k);
		if (k.kind != RK_NONE && !have_key)
		{
			p->key = k;
			p->key_from_taxpayer_id = (i == 3);
			have_key = true;
		}
		else if (k.kind == RK_NONE && k.broken[0] && broken.broken[0] == '\0')
			broken = k;
	}
	if (broken.broken[0] && p->key.broken[0] == '\0')
	{
		p->key.broken_kind = broken.broken_kind;
		memcpy(p->key.broken, broken.broken, sizeof(broken.broken));
	}

	p->address = normalized(in->address, true);
	if (in->phone)
	{
		size_t		len = strlen(in->phone);
		char	   *d = palloc(len + 1);

		p->phone = rs_phone_digits(in->phone, len, d) >= 7 ? d : NULL;
	}
	if (in->region)
	{
		char	   *r = normalized(in->region, false);

		if (r && strlen(r) == 6 && strspn(r, "0123456789") == 6)
			memcpy(p->region, r, 7);
	}
	if (p->region[0] == '\0' && p->key.division[0])
		memcpy(p->region, p->key.division, 7);

	/* the kind: a key decides, then the configuration, then what the values look like */
	if (p->key.kind == RK_USCC || p->key.kind == RK_ORGCODE)
		p->kind = RS_ENTERPRISE;
	else if (p->key.kind == RK_IDCARD)
		p->kind = RS_PERSON;
	else if (in->kind && strcmp(in->kind, "person") == 0)
		p->kind = RS_PERSON;
	else if (in->kind && strcmp(in->kind, "enterprise") == 0)
		p->kind = RS_ENTERPRISE;
	else if (p->key.broken_kind == RK_IDCARD)
		p->kind = RS_PERSON;
	else if (p->key.broken_kind != RK_NONE)
		p->kind = RS_ENTERPRISE;
	else
		p->kind = hint == RKH_PERSON ? RS_PERSON : RS_ENTERPRISE;
}

/* ---------------------------------------------------------------- batches */

typedef struct Batch
{
	int			ncols;
	const Oid  *types;			/* element types: INT8OID, TEXTOID, FLOAT8OID */
	int			nrows;
	int			cap;
	Datum	  **values;
	bool	  **nulls;
	const char *sql;			/* $1..$n are the columns as arrays */
} Batch;

static void
batch_init(Batch *b, int ncols, const Oid *types, const char *sql)
{
	b->ncols = ncols;
	b->types = types;
	b->nrows = 0;
	b->cap = 256;
	b->sql = sql;
	b->values = palloc(sizeof(Datum *) * ncols);
	b->nulls = palloc(sizeof(bool *) * ncols);
	for (int c = 0; c < ncols; c++)
	{
		b->values[c] = palloc(sizeof(Datum) * b->cap);
		b->nulls[c] = palloc(sizeof(bool) * b->cap);
	}
}

/* A new row, all NULL; its index. */
static int
batch_row(Batch *b)
{
	if (b->nrows == b->cap)
	{
		b->cap *= 2;
		for (int c = 0; c < b->ncols; c++)
		{
			b->values[c] = repalloc(b->values[c], sizeof(Datum) * b->cap);
			b->nulls[c] = repalloc(b->nulls[c], sizeof(bool) * b->cap);
		}
	}
	for (int c = 0; c < b->ncols; c++)
	{
		b->values[c][b->nrows] = (Datum) 0;
		b->nulls[c][b->nrows] = true;
	}
	return b->nrows++;
}

static void
batch_text(Batch *b, int row, int col, const char *s)
{
	if (s == NULL)
		return;
	b->values[col][row] = PointerGetDatum(cstring_to_text(s));
	b->nulls[col][row] = false;
}

static void
batch_int8(Batch *b, int row, int col, int64 v)
{
	b->values[col][row] = Int64GetDatum(v);
	b->nulls[col][row] = false;
}

static void
batch_float8(Batch *b, int row, int col, double v)
{
	b->values[col][row] = Float8GetDatum(v);
	b->nulls[col][row] = false;
}

static void
batch_flush(Batch *b)
{
	Datum	   *args;
	Oid		   *argtypes;
	int			rc;

	if (b->nrows == 0)
		return;
	args = palloc(sizeof(Datum) * b->ncols);
	argtypes = palloc(sizeof(Oid) * b->ncols);
	for (int c = 0; c < b->ncols; c++)
	{
		int16		typlen;
		bool		typbyval;
		char		typalign;
		int			dims[1] = {b->nrows};
		int			lbs[1] = {1};

		get_typlenbyvalalign(b->types[c], &typlen, &typbyval, &typalign);
		args[c] = PointerGetDatum(construct_md_array(b->values[c], b->nulls[c], 1, dims, lbs,
													 b->types[c], typlen, typbyval, typalign));
		argtypes[c] = get_array_type(b->types[c]);
	}
	rc = SPI_execute_with_args(b->sql, b->ncols, argtypes, args, NULL, false, 0);
	if (rc < 0)
		elog(ERROR, "writing resolution results failed: %s", SPI_result_code_string(rc));
	b->nrows = 0;
}

/* ---------------------------------------------------------------- the run */

static const Oid entity_types[] = {INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
TEXTOID, TEXTOID, TEXTOID, TEXTOID};
enum
{
	EC_ID, EC_KIND, EC_USCC, EC_IDCARD, EC_ORGCODE, EC_TAXPAYER, EC_NAME, EC_NAMENORM, EC_REGION,
	EC_ADDRESS, EC_PHONE, EC_NCOLS
};
static const char *const entity_insert_sql =
"INSERT INTO taxshare.entity (id, kind, uscc, idcard, orgcode, taxpayer_id, name, name_normalized,"
" region, address, phone) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
static const char *const entity_update_sql =
"UPDATE taxshare.entity e SET uscc = coalesce(e.uscc, v.uscc), idcard = coalesce(e.idcard, v.idcard),"
" orgcode = coalesce(e.orgcode, v.orgcode), taxpayer_id = coalesce(e.taxpayer_id, v.taxpayer_id),"
" name = coalesce(e.name, v.name), name_normalized = coalesce(e.name_normalized, v.name_normalized),"
" region = coalesce(e.region, v.region), address = coalesce(e.address, v.address),"
" phone = coalesce(e.phone, v.phone), updated_at = now()"
" FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
"   AS v(id, kind, uscc, idcard, orgcode, taxpayer_id, name, name_normalized, region, address, phone)"
" WHERE e.id = v.id";

static const Oid attribute_types[] = {INT8OID, TEXTOID, TEXTOID};
static const char *const attribute_sql =
"INSERT INTO taxshare.entity_attribute (entity_id, kind, value)"
" SELECT * FROM unnest($1, $2, $3) ON CONFLICT DO NOTHING";

static const Oid party_types[] = {INT8OID, TEXTOID, INT8OID, FLOAT8OID, TEXTOID, TEXTOID};
static const char *const party_sql =
"INSERT INTO taxshare.record_party (record_id, role, entity_id, score, method, explanation)"
" SELECT r, o, e, s, m, x::jsonb FROM unnest($1, $2, $3, $4, $5, $6) AS u(r, o, e, s, m, x)";

static const Oid review_types[] = {INT8OID, TEXTOID, INT8OID, INT8OID, FLOAT8OID, TEXTOID};
static const char *const review_sql =
"INSERT INTO taxshare.match_review (record_id, role, candidate_entity_id, entity_id, weight, explanation)"
" SELECT r, o, c, e, w, x::jsonb FROM unnest($1, $2, $3, $4, $5, $6) AS u(r, o, c, e, w, x)"
" ON CONFLICT (record_id, role, candidate_entity_id) DO NOTHING";

typedef struct Run
{
	ResolveStore *rs;
	FsModel		models[RS_NKINDS];
	Batch		entity_new;
	Batch		entity_upd;
	Batch		attributes;
	Batch		parties;
	Batch		reviews;
	MemoryContext batchcxt;
	int64		id_pool[RESOLVE_ID_POOL];
	int			id_next;
	int			id_count;
	int64		nparties;
	int64		by_key;
	int64		probabilistic;
	int64		review;
	int64		new_entities;
	uint64_t	comparisons;
	MemoryContext fncxt;		/* the call's: keyed lives here */
	int			pass;			/* 1: parties with a key; 2: the rest, record by record */
	int32	   *keyed;			/* the entity of each keyed party, in pass-1 order */
	int64		nkeyed;
	int64		keyed_cap;
	int64		keyed_next;		/* pass 2's position in keyed */
} Run;

/* One party of the record being decided. */
typedef struct PartyRow
{
	int64		record_id;
	char	   *role;
	char	   *name_raw;
	char	   *address_raw;
	char	   *link_to;		/* a key person: the role of the enterprise of the record it serves */
	ResolveParty party;
	int32		entity;			/* store index once decided */
} PartyRow;

static int64
next_entity_id(Run *run)
{
	if (run->id_next == run->id_count)
	{
		/* 16 ids first, then twice as many each time up to the pool's size: few wasted */
		int			want = run->id_count == 0 ? 16 : Min(run->id_count * 2, RESOLVE_ID_POOL);
		char		sql[160];
		int			rc;

		snprintf(sql, sizeof(sql), "SELECT pg_catalog.nextval('taxshare.entity_id_seq'::pg_catalog.regclass)"
				 " FROM pg_catalog.generate_series(1, %d)", want);
		rc = SPI_execute(sql, false, 0);
		if (rc != SPI_OK_SELECT || SPI_processed != (uint64) want)
			elog(ERROR, "allocating entity ids failed");
		for (int i = 0; i < want; i++)
		{
			bool		isnull;

			run->id_pool[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
														  SPI_tuptable->tupdesc, 1, &isnull));
		}
		SPI_freetuptable(SPI_tuptable);
		run->id_next = 0;
		run->id_count = want;
	}
	return run->id_pool[run->id_next++];
}

/* An entity row (insert or update) with the store's identifiers and the party's values. */
static void
entity_row(Run *run, Batch *b, int32 e, const PartyRow *r)
{
	ResolveStore *rs = run->rs;
	int			row = batch_row(b);

	batch_int8(b, row, EC_ID, rs_entity_id(rs, e));
	batch_text(b, row, EC_KIND, kind_name(rs_entity_kind(rs, e)));
	batch_text(b, row, EC_USCC, rs_get_key(rs, e, RK_USCC));
	batch_text(b, row, EC_IDCARD, rs_get_key(rs, e, RK_IDCARD));
	batch_text(b, row, EC_ORGCODE, rs_get_key(rs, e, RK_ORGCODE));
	batch_text(b, row, EC_TAXPAYER, rs_get_taxpayer_id(rs, e));
	batch_text(b, row, EC_NAME, r->name_raw);
	batch_text(b, row, EC_NAMENORM, r->party.name);
	batch_text(b, row, EC_REGION, rs_get_region(rs, e));
	batch_text(b, row, EC_ADDRESS, r->address_raw);
	batch_text(b, row, EC_PHONE, r->party.phone);
}

static void
attribute_rows(Run *run, int32 e, const PartyRow *r, unsigned changed)
{
	Batch	   *b = &run->attributes;
	Batch	   *b_attr = b;
	int64		id = rs_entity_id(run->rs, e);
	int			row;

	if (changed & RS_CHG_NAME)
	{
		row = batch_row(b);
		batch_int8(b, row, 0, id);
		batch_text(b, row, 1, "name");
		batch_text(b, row, 2, r->party.name);
	}
	if (changed & RS_CHG_ADDRESS)
	{
		row = batch_row(b);
		batch_int8(b, row, 0, id);
		batch_text(b, row, 1, "address");
		batch_text(b, row, 2, r->party.address);
	}
	if (changed & RS_CHG_IDENT)
	{
		static const char *const kinds[] = {"", "uscc", "orgcode", "idcard"};
		char		t[RESOLVE_IDENT_MAX];
		ResolveKey	k = r->party.key;
		const char *b = k.broken;
		size_t		n = strlen(b);

		/* the comparable part, as the store keeps it (a legacy ID's organization code) */
		if (k.broken_kind == RK_ORGCODE && n == 15)
			b += 6, n -= 6;
		if (k.broken_kind == RK_IDCARD && n == 20)
			n = 18;
		memcpy(t, b, n);
		t[n] = '\0';
		row = batch_row(b_attr);
		batch_int8(b_attr, row, 0, id);
		batch_text(b_attr, row, 1, "identifier");
		batch_text(b_attr, row, 2, psprintf("%s:%s", kinds[k.broken_kind], t));
	}
	if (changed & RS_CHG_PHONE)
	{
		row = batch_row(b);
		batch_int8(b, row, 0, id);
		batch_text(b, row, 1, "phone");
		batch_text(b, row, 2, r->party.phone);
	}
}

static void
flush_all(Run *run)
{
	MemoryContext old = MemoryContextSwitchTo(run->batchcxt);

	/* entities before what refers to them */
	if (run->parties.sql)
	{
		batch_flush(&run->entity_new);
		batch_flush(&run->entity_upd);
		batch_flush(&run->attributes);
		batch_flush(&run->parties);
		batch_flush(&run->reviews);
	}
	MemoryContextReset(run->batchcxt);
	/* the batches' arrays lived in batchcxt: make them again */
	{
		batch_init(&run->entity_new, EC_NCOLS, entity_types, entity_insert_sql);
		batch_init(&run->entity_upd, EC_NCOLS, entity_types, entity_update_sql);
		batch_init(&run->attributes, 3, attribute_types, attribute_sql);
		batch_init(&run->parties, 6, party_types, party_sql);
		batch_init(&run->reviews, 6, review_types, review_sql);
	}
	MemoryContextSwitchTo(old);
}

static void
explain_key(StringInfo x, const PartyRow *r, ResolveMethod m, bool created)
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
		appendStringInfoString(x, ", \"note\": \"organization code inside the USCC (characters 9-17)\"");
	}
	if (k->broken[0])
	{
		appendStringInfoString(x, ", \"unverified_identifier\": ");
		escape_json(x, k->broken);
	}
	appendStringInfo(x, ", \"new_entity\": %s}", created ? "true" : "false");
}

static void
explain_comparison(StringInfo x, Run *run, const ResolveParty *p, const ResolveComparison *c)
{
	const FsModel *model = &run->models[p->kind];
	char		buf[4096];

	fs_explain(model, c->levels, buf, sizeof(buf));
	appendStringInfo(x, "{\"entity\": " INT64_FORMAT ", \"name\": ", rs_entity_id(run->rs, c->entity));
	if (c->best_name)
		escape_json(x, c->best_name);
	else
		appendStringInfoString(x, "null");
	appendStringInfo(x, ", \"comparison\": %s", buf);
	if (c->sole_namesake)
		appendStringInfoString(x, ", \"sole_namesake\": true, \"note\": \"no region to compare, but the only"
							   " entity of this exact name among the candidates: the name counts as exact\"");
	appendStringInfoChar(x, '}');
}

static void
explain_outcome(StringInfo x, Run *run, const PartyRow *r, const ResolveOutcome *o,
				const char *decision)
{
	const ResolveParty *p = &r->party;

	appendStringInfo(x, "{\"method\": \"probabilistic\", \"decision\": \"%s\", \"candidates\": %d, "
					 "\"upper\": %g, \"lower\": %g, \"name\": ",
					 decision, o->ncandidates, run->models[p->kind].upper, run->models[p->kind].lower);
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
		explain_comparison(x, run, p, &o->best);
	}
	if (o->ncandidates > 1)
	{
		appendStringInfoString(x, ", \"runner_up\": ");
		explain_comparison(x, run, p, &o->second);
	}
	appendStringInfoChar(x, '}');
}

static void
party_row(Run *run, const PartyRow *r, int32 e, double score, const char *method, const char *explanation)
{
	Batch	   *b = &run->parties;
	int			row = batch_row(b);

	batch_int8(b, row, 0, r->record_id);
	batch_text(b, row, 1, r->role);
	batch_int8(b, row, 2, rs_entity_id(run->rs, e));
	if (!isnan(score))
		batch_float8(b, row, 3, score);
	batch_text(b, row, 4, method);
	batch_text(b, row, 5, explanation);
}

/* A new entity made of the party. */
static int32
new_entity(Run *run, PartyRow *r)
{
	int32		e = rs_add_entity(run->rs, next_entity_id(run), r->party.kind);
	unsigned	changed = rs_absorb(run->rs, e, &r->party);

	entity_row(run, &run->entity_new, e, r);
	attribute_rows(run, e, r, changed);
	run->new_entities++;
	return e;
}

/* Take the party into an existing entity. */
static void
absorb(Run *run, int32 e, PartyRow *r)
{
	unsigned	changed = rs_absorb(run->rs, e, &r->party);

	if (changed & (RS_CHG_KEYS | RS_CHG_ADDRESS | RS_CHG_PHONE))
		entity_row(run, &run->entity_upd, e, r);
	attribute_rows(run, e, r, changed);
}

/* The method of a link made by the party's own key. */
static ResolveMethod
key_method(const PartyRow *r)
{
	switch (r->party.key.kind)
	{
		case RK_USCC:
			return RM_USCC;
		case RK_ORGCODE:
			return r->party.key.via == RKV_LEGACY15 ? RM_TAXPAYER_ID : RM_ORGCODE;
		case RK_IDCARD:
			return (r->party.key.via == RKV_PERSONAL || r->party.key_from_taxpayer_id)
				? RM_TAXPAYER_ID : RM_IDCARD;
		case RK_NONE:
			break;
	}
	return RM_NONE;
}

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
	int32		e;

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
			absorb(run, e, r);
			explain_outcome(&x, run, r, &o, "link");
			party_row(run, r, e, o.best.weight, "probabilistic", x.data);
			run->probabilistic++;
			break;
		case FS_REVIEW:
			{
				Batch	   *b = &run->reviews;
				int			row;

				/* a provisional entity of its own until a person decides */
				e = new_entity(run, r);
				explain_outcome(&x, run, r, &o, "review");
				party_row(run, r, e, o.best.weight, "probabilistic", x.data);
				row = batch_row(b);
				batch_int8(b, row, 0, r->record_id);
				batch_text(b, row, 1, r->role);
				batch_int8(b, row, 2, rs_entity_id(run->rs, o.best.entity));
				batch_int8(b, row, 3, rs_entity_id(run->rs, e));
				batch_float8(b, row, 4, o.best.weight);
				batch_text(b, row, 5, x.data);
				run->review++;
				break;
			}
		default:
			e = new_entity(run, r);
			if (keyed)
			{
				ResolveMethod m = key_method(r);

				explain_key(&x, r, m, true);
				/* what the name search found, for the record */
				x.len--;		/* reopen the object */
				x.data[x.len] = '\0';
				appendStringInfo(&x, ", \"candidates\": %d", o.ncandidates);
				if (o.ncandidates > 0)
				{
					appendStringInfoString(&x, ", \"best\": ");
					explain_comparison(&x, run, &r->party, &o.best);
				}
				appendStringInfoChar(&x, '}');
				party_row(run, r, e, 1.0, rs_method_name(m), x.data);
				run->by_key++;
			}
			else
			{
				explain_outcome(&x, run, r, &o, "new");
				party_row(run, r, e, o.ncandidates > 0 ? o.best.weight : NAN, "probabilistic", x.data);
			}
			break;
	}
	r->entity = e;
}

static void
decide_by_key(Run *run, PartyRow *r)
{
	ResolveMethod m;
	int32		e = rs_find_party(run->rs, &r->party, &m);
	StringInfoData x;

	if (e < 0)
	{
		decide_by_weight(run, r, true);
		return;
	}
	absorb(run, e, r);
	initStringInfo(&x);
	explain_key(&x, r, m, false);
	party_row(run, r, e, 1.0, rs_method_name(m), x.data);
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
	int64	   *ids = palloc(sizeof(int64) * n);
	int			k = 0;

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
			run->keyed = run->keyed ? repalloc_huge(run->keyed, sizeof(int32) * run->keyed_cap)
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
				elog(ERROR, "resolve_entities: the second pass met a keyed party the first did not");
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

/* ---------------------------------------------------------------- loading */

static char *
getstr(HeapTuple t, TupleDesc d, int col)
{
	return SPI_getvalue(t, d, col);
}

/* Run a query through a cursor, calling fn for each row. */
static void
for_each_row(const char *sql, void (*fn) (Run *, HeapTuple, TupleDesc), Run *run)
{
	SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);
	Portal		portal;
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "resolve load",
												 ALLOCSET_DEFAULT_SIZES);

	if (plan == NULL)
		elog(ERROR, "preparing \"%s\" failed: %s", sql, SPI_result_code_string(SPI_result));
	/* not read-only: a rebuild's deletions earlier in this call must be seen */
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	for (;;)
	{
		SPITupleTable *tt;
		uint64		n;

		SPI_cursor_fetch(portal, true, RESOLVE_FETCH);
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 i = 0; i < n; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);

			CHECK_FOR_INTERRUPTS();
			fn(run, tt->vals[i], tt->tupdesc);
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);
	SPI_freeplan(plan);
	MemoryContextDelete(rowcxt);
}

static void
load_entity(Run *run, HeapTuple t, TupleDesc d)
{
	bool		isnull;
	int64		id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
	char	   *kind = getstr(t, d, 2);
	int32		e = rs_add_entity(run->rs, id, strcmp(kind, "person") == 0 ? RS_PERSON : RS_ENTERPRISE);
	char	   *v;

	if ((v = getstr(t, d, 3)) != NULL)
		rs_set_key(run->rs, e, RK_USCC, v);
	if ((v = getstr(t, d, 4)) != NULL)
		rs_set_key(run->rs, e, RK_IDCARD, v);
	if ((v = getstr(t, d, 5)) != NULL)
		rs_set_key(run->rs, e, RK_ORGCODE, v);
	if ((v = getstr(t, d, 6)) != NULL)
		rs_set_taxpayer_id(run->rs, e, v);
	rs_add_name(run->rs, e, getstr(t, d, 7));
	if ((v = getstr(t, d, 8)) != NULL)
		rs_set_region(run->rs, e, v);
	if ((v = getstr(t, d, 9)) != NULL)
		rs_add_address(run->rs, e, normalized(v, true));
	if ((v = getstr(t, d, 10)) != NULL)
	{
		char	   *digits = palloc(strlen(v) + 1);

		if (rs_phone_digits(v, strlen(v), digits) >= 7)
			rs_add_phone(run->rs, e, digits);
	}
}

static void
load_attribute(Run *run, HeapTuple t, TupleDesc d)
{
	bool		isnull;
	int32		e = rs_find_id(run->rs, DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)));
	char	   *kind = getstr(t, d, 2);
	char	   *value = getstr(t, d, 3);

	if (e < 0)
		return;
	if (strcmp(kind, "name") == 0)
		rs_add_name(run->rs, e, value);
	else if (strcmp(kind, "address") == 0)
		rs_add_address(run->rs, e, value);
	else if (strcmp(kind, "phone") == 0)
		rs_add_phone(run->rs, e, value);
	else if (strcmp(kind, "identifier") == 0)
	{
		char	   *colon = strchr(value, ':');

		if (colon)
		{
			*colon = '\0';
			rs_add_unverified(run->rs, e, strcmp(value, "uscc") == 0 ? RK_USCC :
							  strcmp(value, "orgcode") == 0 ? RK_ORGCODE :
							  strcmp(value, "idcard") == 0 ? RK_IDCARD : RK_NONE, colon + 1);
		}
	}
}

static void
load_person(Run *run, HeapTuple t, TupleDesc d)
{
	bool		isnull;
	int64		a = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
	int64		b = DatumGetInt64(SPI_getbinval(t, d, 2, &isnull));
	int32		ea = rs_find_id(run->rs, a);
	int32		eb = rs_find_id(run->rs, b);

	if (ea >= 0 && eb >= 0)
	{
		rs_add_person(run->rs, ea, b);
		rs_add_person(run->rs, eb, a);
	}
}

/* ---------------------------------------------------------------- parties */

static const char *const pending_sql =
"SELECT s.record_id, s.role, s.kind, s.uscc, s.idcard, s.orgcode, s.taxpayer_id, s.name, s.region,"
"       s.address, s.phone,"
"       (SELECT l.enterprise_role FROM taxshare.party_link_source l"
"         WHERE l.item_code = s.item_code AND l.person_role = s.role) AS link_to"
"  FROM taxshare.record_party_source s"
" WHERE NOT EXISTS (SELECT 1 FROM taxshare.record_party rp"
"                    WHERE rp.record_id = s.record_id AND rp.role = s.role)"
" ORDER BY s.record_id, s.role";

typedef struct RecordBuf
{
	PartyRow   *rows;
	int			n;
	int			cap;
	MemoryContext cxt;			/* the rows' strings; reset per record */
} RecordBuf;

static char *
copystr(HeapTuple t, TupleDesc d, int col)
{
	return SPI_getvalue(t, d, col);	/* palloc'd in the current (record) context */
}

static void
record_add(RecordBuf *rb, HeapTuple t, TupleDesc d, int64 record_id)
{
	MemoryContext old = MemoryContextSwitchTo(rb->cxt);
	PartyRow   *r;
	ResolvePartyInput in;

	if (rb->n == rb->cap)
	{
		rb->cap = rb->cap ? rb->cap * 2 : 8;
		rb->rows = rb->rows ? repalloc(rb->rows, sizeof(PartyRow) * rb->cap)
			: palloc(sizeof(PartyRow) * rb->cap);
	}
	r = &rb->rows[rb->n++];
	memset(r, 0, sizeof(*r));
	r->record_id = record_id;
	r->role = copystr(t, d, 2);
	in.kind = copystr(t, d, 3);
	in.uscc = copystr(t, d, 4);
	in.idcard = copystr(t, d, 5);
	in.orgcode = copystr(t, d, 6);
	in.taxpayer_id = copystr(t, d, 7);
	r->name_raw = copystr(t, d, 8);
	in.name = r->name_raw;
	in.region = copystr(t, d, 9);
	r->address_raw = copystr(t, d, 10);
	in.address = r->address_raw;
	in.phone = copystr(t, d, 11);
	r->link_to = copystr(t, d, 12);
	resolve_party_build(&in, &r->party);
	r->entity = -1;
	MemoryContextSwitchTo(old);
}

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
	if (run->parties.nrows >= RESOLVE_BATCH)
		flush_all(run);
}

static int64
count_pending(void)
{
	bool		isnull;
	int			rc = SPI_execute("SELECT count(*) FROM taxshare.record_party_source s"
								 " WHERE NOT EXISTS (SELECT 1 FROM taxshare.record_party rp"
								 "  WHERE rp.record_id = s.record_id AND rp.role = s.role)", false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "counting parties failed");
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

static void
run_exec(const char *sql)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc < 0)
		elog(ERROR, "\"%s\" failed: %s", sql, SPI_result_code_string(rc));
}

/*
 * The full names of the division codes (taxshare.division, 12_division.sql),
 * so that a code compares with the regions names and addresses write.
 */
void
resolve_load_divisions(ResolveStore *rs)
{
	int			rc = SPI_execute("SELECT d.code, coalesce(pp.name, '') || coalesce(p.name, '') || d.name"
								 "  FROM taxshare.division d"
								 "  LEFT JOIN taxshare.division p ON p.code = d.parent"
								 "  LEFT JOIN taxshare.division pp ON pp.code = p.parent", false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading taxshare.division failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		rs_add_division(rs, code, name);
	}
	SPI_freetuptable(SPI_tuptable);
}

/* One pass over the pending parties, record by record. */
static void
scan_parties(Run *run, Portal portal, RecordBuf *rb, ProgressState *ps)
{
	int64		current = -1;

	for (;;)
	{
		SPITupleTable *tt;
		uint64		n;

		SPI_cursor_fetch(portal, true, RESOLVE_FETCH);
		/* deciding runs SQL, which replaces SPI_tuptable: keep this one */
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	t = tt->vals[i];
			TupleDesc	d = tt->tupdesc;
			bool		isnull;
			int64		record_id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));

			CHECK_FOR_INTERRUPTS();
			if (record_id != current)
			{
				record_done(run, rb, ps);
				current = record_id;
			}
			record_add(rb, t, d, record_id);
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
	bool		rebuild = PG_GETARG_BOOL(0);
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Run		   *run;
	ResolveStoreHolder *holder;
	RecordBuf	rb;
	ProgressState ps;
	SPIPlanPtr	plan;
	Portal		portals[2];
	MemoryContext fncxt = CurrentMemoryContext;

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
	flush_all(run);				/* makes the empty batches */

	resolve_load_divisions(run->rs);
	for_each_row("SELECT id, kind, uscc, idcard, orgcode, taxpayer_id, name_normalized, region,"
				 " address, phone FROM taxshare.entity ORDER BY id", load_entity, run);
	for_each_row("SELECT entity_id, kind, value FROM taxshare.entity_attribute", load_attribute, run);
	for_each_row("SELECT enterprise_id, person_id FROM taxshare.party_link", load_person, run);

	progress_begin(&ps, "resolve_entities", "parties", count_pending());

	memset(&rb, 0, sizeof(rb));
	rb.cxt = AllocSetContextCreate(fncxt, "resolve record", ALLOCSET_DEFAULT_SIZES);
	plan = SPI_prepare(pending_sql, 0, NULL);
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
	flush_all(run);
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
