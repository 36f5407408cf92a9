/*
 * resolve_load.c
 *		What a run of resolve_entities() reads before it decides anything:
 *		the model in force (built-in defaults, taxshare.match_parameter, the
 *		threshold GUCs), every entity into the store (taxshare.entity, its
 *		attributes and linked persons, the division names), and the pending
 *		parties, each made into a ResolveParty from its source row.  The
 *		SQL functions of the model (resolve_fmgr.c) use the same model,
 *		store and parties.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "match/company_name.h"
#include "ident/normalize.h"
#include "match/resolve_run_internal.h"

double taxshare_match_upper = 10.0;
double taxshare_match_lower = 4.0;

void
resolve_init(void)
{
	DefineCustomRealVariable(
		"taxshare.match_upper",
		"Match weight (log2) at or above which a party is linked to an entity.",
		"Between taxshare.match_lower and this the pair goes to taxshare.match_review.",
		&taxshare_match_upper, 10.0, -1000.0, 1000.0, PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomRealVariable("taxshare.match_lower",
							 "Match weight (log2) below which a party becomes a new entity.",
							 "Must not exceed taxshare.match_upper.", &taxshare_match_lower, 4.0,
							 -1000.0, 1000.0, PGC_USERSET, 0, NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- model */

const char *
resolve_kind_name(ResolveKind k)
{
	return k == RS_PERSON ? "person" : "enterprise";
}

void
resolve_load_model(FsModel *model, ResolveKind kind)
{
	Oid         argtypes[1] = {TEXTOID};
	Datum       args[1];
	const char *problem;
	int         rc;

	rs_model_default(model, kind);
	args[0] = CStringGetTextDatum(resolve_kind_name(kind));
	rc = SPI_execute_with_args("SELECT field, level, m, u FROM taxshare.match_parameter"
							   " WHERE kind = $1 ORDER BY field, level",
							   1, argtypes, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading taxshare.match_parameter failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple t = SPI_tuptable->vals[i];
		TupleDesc d = SPI_tuptable->tupdesc;
		char     *field = SPI_getvalue(t, d, 1);
		char     *level = SPI_getvalue(t, d, 2);
		bool      isnull;
		double    m = DatumGetFloat8(SPI_getbinval(t, d, 3, &isnull));
		double    u = DatumGetFloat8(SPI_getbinval(t, d, 4, &isnull));

		if (strcmp(field, "prior") == 0)
		{
			model->prior = m;
			continue;
		}
		if (!rs_model_set(model, field, level, m, u))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("match parameter \"%s\" / \"%s\" of kind \"%s\" is unknown",
								   field, level, resolve_kind_name(kind)),
							errhint("See taxshare.match_model('%s') for the fields and levels; "
									"delete the row from taxshare.match_parameter.",
									resolve_kind_name(kind))));
	}
	model->upper = taxshare_match_upper;
	model->lower = taxshare_match_lower;
	problem = fs_model_check(model);
	if (problem != NULL)
	{
		if (strcmp(problem, "thresholds") == 0)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("taxshare.match_lower (%g) is above taxshare.match_upper (%g)",
								   taxshare_match_lower, taxshare_match_upper),
							errhint("Set taxshare.match_lower at most taxshare.match_upper.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s match model is not usable (%s)", resolve_kind_name(kind), problem),
				 errhint("Check taxshare.match_parameter: the m and u of a field must each stay "
						 "below 1 in total.")));
	}
}

/* ---------------------------------------------------------------- store lifetime */

static void
resolve_oom(size_t request)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory while resolving entities"),
			 errdetail("Failed on a request for %zu bytes.", request),
			 errhint("The entity store holds every entity in memory; resolve on a server with more "
					 "memory.")));
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
	ResolveStoreHolder    *h = palloc0(sizeof(ResolveStoreHolder));
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

/* ---------------------------------------------------------------- a party from its source values */

static char *
normalized(const char *s, bool name)
{
	size_t len;
	char  *out;
	size_t n;

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
	const char    *fields[4] = {in->uscc, in->idcard, in->orgcode, in->taxpayer_id};
	bool           have_key = false;
	ResolveKey     broken;
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
		size_t      n = strlen(p->name);

		hint = (n <= COMPANY_NAME_MAX_BYTES && company_name_parse(p->name, n, &cn)) ? RKH_ENTERPRISE
																					: RKH_PERSON;
	}

	for (int i = 0; i < 4; i++)
	{
		ResolveKey k;

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
		size_t len = strlen(in->phone);
		char  *d = palloc(len + 1);

		p->phone = rs_phone_digits(in->phone, len, d) >= 7 ? d : NULL;
	}
	if (in->region)
	{
		char *r = normalized(in->region, false);

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

/* ---------------------------------------------------------------- entities and divisions into the store */

static char *
getstr(HeapTuple t, TupleDesc d, int col)
{
	return SPI_getvalue(t, d, col);
}

/* Run a query through a cursor, calling fn for each row. */
static void
for_each_row(const char *sql, void (*fn)(ResolveStore *, HeapTuple, TupleDesc), ResolveStore *rs)
{
	SPIPlanPtr    plan = SPI_prepare(sql, 0, NULL);
	Portal        portal;
	MemoryContext rowcxt =
		AllocSetContextCreate(CurrentMemoryContext, "resolve load", ALLOCSET_DEFAULT_SIZES);

	if (plan == NULL)
		elog(ERROR, "preparing \"%s\" failed: %s", sql, SPI_result_code_string(SPI_result));
	/* not read-only: a rebuild's deletions earlier in this call must be seen */
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	for (;;)
	{
		SPITupleTable *tt;
		uint64         n;

		SPI_cursor_fetch(portal, true, RESOLVE_FETCH);
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (uint64 i = 0; i < n; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);

			CHECK_FOR_INTERRUPTS();
			fn(rs, tt->vals[i], tt->tupdesc);
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
load_entity(ResolveStore *rs, HeapTuple t, TupleDesc d)
{
	bool  isnull;
	int64 id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
	char *kind = getstr(t, d, 2);
	int32 e = rs_add_entity(rs, id, strcmp(kind, "person") == 0 ? RS_PERSON : RS_ENTERPRISE);
	char *v;

	if ((v = getstr(t, d, 3)) != NULL)
		rs_set_key(rs, e, RK_USCC, v);
	if ((v = getstr(t, d, 4)) != NULL)
		rs_set_key(rs, e, RK_IDCARD, v);
	if ((v = getstr(t, d, 5)) != NULL)
		rs_set_key(rs, e, RK_ORGCODE, v);
	if ((v = getstr(t, d, 6)) != NULL)
		rs_set_taxpayer_id(rs, e, v);
	rs_add_name(rs, e, getstr(t, d, 7));
	if ((v = getstr(t, d, 8)) != NULL)
		rs_set_region(rs, e, v);
	if ((v = getstr(t, d, 9)) != NULL)
		rs_add_address(rs, e, normalized(v, true));
	if ((v = getstr(t, d, 10)) != NULL)
	{
		char *digits = palloc(strlen(v) + 1);

		if (rs_phone_digits(v, strlen(v), digits) >= 7)
			rs_add_phone(rs, e, digits);
	}
}

static void
load_attribute(ResolveStore *rs, HeapTuple t, TupleDesc d)
{
	bool  isnull;
	int32 e = rs_find_id(rs, DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)));
	char *kind = getstr(t, d, 2);
	char *value = getstr(t, d, 3);

	if (e < 0)
		return;
	if (strcmp(kind, "name") == 0)
		rs_add_name(rs, e, value);
	else if (strcmp(kind, "address") == 0)
		rs_add_address(rs, e, value);
	else if (strcmp(kind, "phone") == 0)
		rs_add_phone(rs, e, value);
	else if (strcmp(kind, "identifier") == 0)
	{
		char *colon = strchr(value, ':');

		if (colon)
		{
			*colon = '\0';
			rs_add_unverified(rs, e,
							  strcmp(value, "uscc") == 0      ? RK_USCC
							  : strcmp(value, "orgcode") == 0 ? RK_ORGCODE
							  : strcmp(value, "idcard") == 0  ? RK_IDCARD
															  : RK_NONE,
							  colon + 1);
		}
	}
}

static void
load_person(ResolveStore *rs, HeapTuple t, TupleDesc d)
{
	bool  isnull;
	int64 a = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
	int64 b = DatumGetInt64(SPI_getbinval(t, d, 2, &isnull));
	int32 ea = rs_find_id(rs, a);
	int32 eb = rs_find_id(rs, b);

	if (ea >= 0 && eb >= 0)
	{
		rs_add_person(rs, ea, b);
		rs_add_person(rs, eb, a);
	}
}

/*
 * The full names of the division codes (taxshare.division, 12_division.sql),
 * so that a code compares with the regions names and addresses write.
 */
void
resolve_load_divisions(ResolveStore *rs)
{
	int rc = SPI_execute("SELECT d.code, coalesce(pp.name, '') || coalesce(p.name, '') || d.name"
						 "  FROM taxshare.division d"
						 "  LEFT JOIN taxshare.division p ON p.code = d.parent"
						 "  LEFT JOIN taxshare.division pp ON pp.code = p.parent",
						 false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading taxshare.division failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		rs_add_division(rs, code, name);
	}
	SPI_freetuptable(SPI_tuptable);
}

void
resolve_load_entities(ResolveStore *rs)
{
	for_each_row("SELECT id, kind, uscc, idcard, orgcode, taxpayer_id, name_normalized, region,"
				 " address, phone FROM taxshare.entity ORDER BY id",
				 load_entity, rs);
	for_each_row("SELECT entity_id, kind, value FROM taxshare.entity_attribute", load_attribute,
				 rs);
	for_each_row("SELECT enterprise_id, person_id FROM taxshare.party_link", load_person, rs);
}

/* ---------------------------------------------------------------- pending parties */

const char *const resolve_pending_sql =
	"SELECT s.record_id, s.role, s.kind, s.uscc, s.idcard, s.orgcode, s.taxpayer_id, s.name, "
	"s.region,"
	"       s.address, s.phone,"
	"       (SELECT l.enterprise_role FROM taxshare.party_link_source l"
	"         WHERE l.item_code = s.item_code AND l.person_role = s.role) AS link_to"
	"  FROM taxshare.record_party_source s"
	" WHERE NOT EXISTS (SELECT 1 FROM taxshare.record_party rp"
	"                    WHERE rp.record_id = s.record_id AND rp.role = s.role)"
	" ORDER BY s.record_id, s.role";

static char *
copystr(HeapTuple t, TupleDesc d, int col)
{
	return SPI_getvalue(t, d, col); /* palloc'd in the current (record) context */
}

void
resolve_record_add(RecordBuf *rb, HeapTuple t, TupleDesc d, int64 record_id)
{
	MemoryContext     old = MemoryContextSwitchTo(rb->cxt);
	PartyRow         *r;
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

int64
resolve_count_pending(void)
{
	bool isnull;
	int  rc = SPI_execute("SELECT count(*) FROM taxshare.record_party_source s"
						   " WHERE NOT EXISTS (SELECT 1 FROM taxshare.record_party rp"
						   "  WHERE rp.record_id = s.record_id AND rp.role = s.role)",
						  false, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "counting parties failed");
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}
