/*
 * resolve_fmgr.c
 *		SQL functions around the matching model: match_model() shows it,
 *		match_compare() explains one comparison, match_estimate() fits m and u
 *		by EM over candidate record pairs (docs/matching.md, "Parameters").
 */
#include "taxshare.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "match/resolve_run.h"

static ResolveKind
kind_arg(text *t)
{
	char *s = text_to_cstring(t);

	if (strcmp(s, "enterprise") == 0)
		return RS_ENTERPRISE;
	if (strcmp(s, "person") == 0)
		return RS_PERSON;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid entity kind \"%s\"", s),
			 errhint("The kind is \"enterprise\" or \"person\".")));
	return RS_ENTERPRISE; /* keep the compiler quiet */
}

static Datum
jsonb_from_cstring(const char *s)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}

PG_FUNCTION_INFO_V1(match_model);

/* match_model(kind) -> (field, level, m, u, weight) */
Datum
match_model(PG_FUNCTION_ARGS)
{
	ReturnSetInfo   *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ResolveKind      kind = kind_arg(PG_GETARG_TEXT_PP(0));
	TupleDesc        tupdesc;
	Tuplestorestate *ts;
	MemoryContext    old;
	FsModel          model;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						errmsg("match_model() must be called in a context that accepts a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SPI_connect();
	resolve_load_model(&model, kind);
	SPI_finish();

	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	ts = tuplestore_begin_heap(true, false, work_mem);
	for (int f = 0; f < model.nfields; f++)
	{
		const FsField *fld = &model.fields[f];

		for (int k = 0; k < fld->nlevels; k++)
		{
			Datum values[5];
			bool  nulls[5] = {false, false, false, false, false};

			values[0] = CStringGetTextDatum(fld->name);
			values[1] = CStringGetTextDatum(fld->level_names[k]);
			values[2] = Float8GetDatum(fld->m[k]);
			values[3] = Float8GetDatum(fld->u[k]);
			values[4] = Float8GetDatum(fs_level_weight(&model, f, k));
			tuplestore_putvalues(ts, tupdesc, values, nulls);
		}
	}
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}

static const char *
arg_cstring(FunctionCallInfo fcinfo, int i)
{
	if (PG_NARGS() <= i || PG_ARGISNULL(i))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

static const char *
key_kind_name(ResolveKeyKind k)
{
	switch (k)
	{
		case RK_USCC:
			return "uscc";
		case RK_ORGCODE:
			return "orgcode";
		case RK_IDCARD:
			return "idcard";
		case RK_NONE:
			break;
	}
	return "none";
}

static void
oom_error(size_t request)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
					errdetail("Failed on a request for %zu bytes.", request)));
}

PG_FUNCTION_INFO_V1(match_compare);

/*
 * match_compare(name_a, name_b, kind, region_a, region_b, address_a,
 * address_b, phone_a, phone_b, ident_a, ident_b) -> jsonb
 */
Datum
match_compare(PG_FUNCTION_ARGS)
{
	ResolvePartyInput ia, ib;
	ResolveParty      a, b;
	FsModel           model;
	int               levels[RS_NFIELDS];
	double            weight;
	ResolveKind       kind = PG_ARGISNULL(2) ? RS_ENTERPRISE : kind_arg(PG_GETARG_TEXT_PP(2));
	StringInfoData    out;
	char              buf[4096];

	memset(&ia, 0, sizeof(ia));
	memset(&ib, 0, sizeof(ib));
	ia.kind = ib.kind = kind == RS_PERSON ? "person" : "enterprise";
	ia.name = arg_cstring(fcinfo, 0);
	ib.name = arg_cstring(fcinfo, 1);
	ia.region = arg_cstring(fcinfo, 3);
	ib.region = arg_cstring(fcinfo, 4);
	ia.address = arg_cstring(fcinfo, 5);
	ib.address = arg_cstring(fcinfo, 6);
	ia.phone = arg_cstring(fcinfo, 7);
	ib.phone = arg_cstring(fcinfo, 8);
	ia.taxpayer_id = arg_cstring(fcinfo, 9);
	ib.taxpayer_id = arg_cstring(fcinfo, 10);
	resolve_party_build(&ia, &a);
	resolve_party_build(&ib, &b);
	/* a valid key decides the kind; compare like with like */
	a.kind = b.kind = kind;

	initStringInfo(&out);
	if (a.key.kind != RK_NONE && a.key.kind == b.key.kind)
	{
		bool same = strcmp(a.key.key, b.key.key) == 0;

		appendStringInfo(&out, "{\"decision\": \"%s\", \"method\": \"%s\", \"reason\": \"%s\"}",
						 same ? "link" : "nonlink", key_kind_name(a.key.kind),
						 same ? "the same valid identifier" : "different valid identifiers");
		PG_RETURN_DATUM(jsonb_from_cstring(out.data));
	}

	SPI_connect();
	resolve_load_model(&model, kind);
	SPI_finish();
	rs_compare_parties(&a, &b, &model, oom_error, levels, &weight);
	fs_explain(&model, levels, buf, sizeof(buf));
	PG_RETURN_DATUM(jsonb_from_cstring(buf));
}

/* ---------------------------------------------------------------- EM */

/* Distinct comparison vectors with their counts. */
typedef struct VectorCounts
{
	int     nfields;
	int    *levels; /* n * nfields */
	double *counts;
	int     n;
	int     cap;
	HTAB   *index; /* vector -> position */
} VectorCounts;

typedef struct VectorKey
{
	int8 levels[RS_NFIELDS];
} VectorKey;

typedef struct VectorEntry
{
	VectorKey key;
	int       pos;
} VectorEntry;

static void
vc_init(VectorCounts *vc, int nfields)
{
	HASHCTL ctl;

	memset(vc, 0, sizeof(*vc));
	vc->nfields = nfields;
	vc->cap = 64;
	vc->levels = palloc(sizeof(int) * nfields * vc->cap);
	vc->counts = palloc(sizeof(double) * vc->cap);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(VectorKey);
	ctl.entrysize = sizeof(VectorEntry);
	ctl.hcxt = CurrentMemoryContext;
	vc->index =
		hash_create("match_estimate vectors", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

static void
vc_add(VectorCounts *vc, const int *levels)
{
	VectorKey    key;
	VectorEntry *ent;
	bool         found;

	memset(&key, 0, sizeof(key));
	for (int f = 0; f < vc->nfields; f++)
		key.levels[f] = (int8) levels[f];
	ent = hash_search(vc->index, &key, HASH_ENTER, &found);
	if (!found)
	{
		if (vc->n == vc->cap)
		{
			vc->cap *= 2;
			vc->levels = repalloc(vc->levels, sizeof(int) * vc->nfields * vc->cap);
			vc->counts = repalloc(vc->counts, sizeof(double) * vc->cap);
		}
		ent->pos = vc->n++;
		memcpy(vc->levels + ent->pos * vc->nfields, levels, sizeof(int) * vc->nfields);
		vc->counts[ent->pos] = 0;
	}
	vc->counts[ent->pos] += 1.0;
}

static void
store_parameters(const FsModel *model, ResolveKind kind)
{
	Oid         types[5] = {TEXTOID, TEXTOID, TEXTOID, FLOAT8OID, FLOAT8OID};
	const char *sql =
		"INSERT INTO taxshare.match_parameter (kind, field, level, m, u, source, updated_at)"
		" VALUES ($1, $2, $3, $4, $5, 'em', now())"
		" ON CONFLICT (kind, field, level) DO UPDATE"
		" SET m = excluded.m, u = excluded.u, source = 'em', updated_at = now()";
	Datum v[5];

	v[0] = CStringGetTextDatum(kind == RS_PERSON ? "person" : "enterprise");
	for (int f = 0; f < model->nfields; f++)
	{
		const FsField *fld = &model->fields[f];

		for (int k = 0; k < fld->nlevels; k++)
		{
			v[1] = CStringGetTextDatum(fld->name);
			v[2] = CStringGetTextDatum(fld->level_names[k]);
			v[3] = Float8GetDatum(fld->m[k]);
			v[4] = Float8GetDatum(fld->u[k]);
			if (SPI_execute_with_args(sql, 5, types, v, NULL, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "storing match parameters failed");
		}
	}
	/* the prior is kept in m of the row ('prior', 'match'); u is its complement */
	v[1] = CStringGetTextDatum("prior");
	v[2] = CStringGetTextDatum("match");
	v[3] = Float8GetDatum(model->prior);
	v[4] = Float8GetDatum(1.0 - model->prior);
	if (SPI_execute_with_args(sql, 5, types, v, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "storing match parameters failed");
}

/* A number in JSON: NaN and infinities have no JSON form, they become null. */
static void
append_number(StringInfo s, const char *fmt, double v)
{
	if (isfinite(v))
		appendStringInfo(s, fmt, v);
	else
		appendStringInfoString(s, "null");
}

static void
append_model(StringInfo s, const FsModel *m)
{
	appendStringInfoString(s, "\"prior\": ");
	append_number(s, "%.6g", m->prior);
	appendStringInfoString(s, ", \"fields\": [");
	for (int f = 0; f < m->nfields; f++)
	{
		const FsField *fld = &m->fields[f];

		appendStringInfo(s, "%s{\"field\": \"%s\", \"levels\": [", f ? ", " : "", fld->name);
		for (int k = 0; k < fld->nlevels; k++)
		{
			appendStringInfo(s, "%s{\"level\": \"%s\", \"m\": ", k ? ", " : "",
							 fld->level_names[k]);
			append_number(s, "%.6g", fld->m[k]);
			appendStringInfoString(s, ", \"u\": ");
			append_number(s, "%.6g", fld->u[k]);
			appendStringInfoString(s, ", \"weight\": ");
			append_number(s, "%.3f", fs_level_weight(m, f, k));
			appendStringInfoChar(s, '}');
		}
		appendStringInfoString(s, "]}");
	}
	appendStringInfoChar(s, ']');
}

PG_FUNCTION_INFO_V1(match_estimate);

/*
 * match_estimate(sample integer, store boolean) -> jsonb
 *
 * Every party of the current records becomes a pseudo-entity of a store, so
 * that blocking finds the candidate record pairs; `sample` parties picked at
 * random are compared with their candidates, the distinct comparison
 * vectors counted, and EM fits m, u and the prior of each kind, starting
 * from the model in force.  Identifiers are left out of the pseudo-entities:
 * the pairs are those that the probabilistic step would see.
 */
Datum
match_estimate(PG_FUNCTION_ARGS)
{
	int32               sample = PG_GETARG_INT32(0);
	bool                store = PG_GETARG_BOOL(1);
	ResolveStoreHolder *holder;
	ResolveParty       *parties;
	SPITupleTable      *tt;
	int64               nparties;
	int32              *cand;
	StringInfoData      out;
	MemoryContext       cxt = CurrentMemoryContext;

	if (sample < 1)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("sample size %d is not positive", sample),
						errhint("Ask for a few thousand parties or more.")));

	SPI_connect();
	if (SPI_execute("SELECT kind, uscc, idcard, orgcode, taxpayer_id, name, region, address, phone"
					" FROM taxshare.record_party_source",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading parties failed");
	/* loading the divisions runs SQL, which replaces SPI_tuptable: keep this one */
	tt = SPI_tuptable;
	nparties = (int64) SPI_processed;
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		parties = palloc_extended(sizeof(ResolveParty) * Max(nparties, 1), MCXT_ALLOC_HUGE);
		holder = resolve_store_create();
		MemoryContextSwitchTo(old);
		resolve_load_divisions(holder->rs);
		old = MemoryContextSwitchTo(cxt);
		for (int64 i = 0; i < nparties; i++)
		{
			HeapTuple         t = tt->vals[i];
			TupleDesc         d = tt->tupdesc;
			ResolvePartyInput in;
			ResolveParty      key_free;
			int32             e;

			CHECK_FOR_INTERRUPTS();
			in.kind = SPI_getvalue(t, d, 1);
			in.uscc = SPI_getvalue(t, d, 2);
			in.idcard = SPI_getvalue(t, d, 3);
			in.orgcode = SPI_getvalue(t, d, 4);
			in.taxpayer_id = SPI_getvalue(t, d, 5);
			in.name = SPI_getvalue(t, d, 6);
			in.region = SPI_getvalue(t, d, 7);
			in.address = SPI_getvalue(t, d, 8);
			in.phone = SPI_getvalue(t, d, 9);
			resolve_party_build(&in, &parties[i]);
			e = rs_add_entity(holder->rs, i + 1, parties[i].kind);
			key_free = parties[i];
			memset(&key_free.key, 0, sizeof(key_free.key));
			rs_absorb(holder->rs, e, &key_free);
		}
		MemoryContextSwitchTo(old);
	}
	SPI_freetuptable(tt);

	/* the result outlives SPI_finish(): build it in the caller's context */
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		initStringInfo(&out);
		MemoryContextSwitchTo(old);
	}
	appendStringInfo(&out, "{\"parties\": " INT64_FORMAT, nparties);
	cand = palloc(sizeof(int32) * RS_MAX_BLOCK * 4);
	for (int kind = 0; kind < RS_NKINDS; kind++)
	{
		FsModel      model;
		VectorCounts vc;
		int64        pairs = 0;
		int64        sampled = 0;
		int64        of_kind = 0;
		FsEmResult   res;
		FsEmOptions  opts = FS_EM_DEFAULT_OPTIONS;
		const char  *problem;

		resolve_load_model(&model, (ResolveKind) kind);
		vc_init(&vc, model.nfields);
		for (int64 i = 0; i < nparties; i++)
			if (parties[i].kind == (ResolveKind) kind)
				of_kind++;
		/* each party of the kind with probability sample / of_kind, by a fixed-seed LCG */
		{
			uint64 state = 0x2545F4914F6CDD1DULL;
			double p = of_kind > 0 ? Min(1.0, (double) sample / (double) of_kind) : 0.0;

			for (int64 i = 0; i < nparties; i++)
			{
				ResolveParty q;
				int          n;

				if (parties[i].kind != (ResolveKind) kind)
					continue;
				state = state * 6364136223846793005ULL + 1442695040888963407ULL;
				if ((double) (state >> 11) / (double) (1ULL << 53) >= p)
					continue;
				CHECK_FOR_INTERRUPTS();
				sampled++;
				q = parties[i];
				memset(&q.key, 0, sizeof(q.key));
				n = rs_candidates(holder->rs, &q, (int32) i, cand, RS_MAX_BLOCK * 4);
				for (int c = 0; c < n; c++)
				{
					ResolveComparison cmp;

					rs_compare(holder->rs, &q, cand[c], &model, &cmp);
					vc_add(&vc, cmp.levels);
					pairs++;
				}
			}
		}
		appendStringInfo(&out,
						 ", \"%s\": {\"sampled\": " INT64_FORMAT ", \"pairs\": " INT64_FORMAT
						 ", \"distinct_vectors\": %d",
						 kind == RS_PERSON ? "person" : "enterprise", sampled, pairs, vc.n);
		if (vc.n == 0)
		{
			appendStringInfoString(&out,
								   ", \"estimated\": false, \"reason\": \"no candidate pairs\"}");
			continue;
		}
		problem = fs_em(&model, vc.levels, vc.counts, vc.n, &opts, &res);
		if (problem != NULL)
		{
			appendStringInfo(&out, ", \"estimated\": false, \"reason\": \"%s\"}", problem);
			continue;
		}
		appendStringInfo(&out,
						 ", \"estimated\": true, \"iterations\": %d, \"converged\": %s, "
						 "\"log_likelihood\": ",
						 res.iterations, res.converged ? "true" : "false");
		append_number(&out, "%.3f", res.log_likelihood);
		appendStringInfoString(&out, ", ");
		append_model(&out, &model);
		appendStringInfoChar(&out, '}');
		if (store)
			store_parameters(&model, (ResolveKind) kind);
	}
	appendStringInfo(&out, ", \"stored\": %s}", store ? "true" : "false");
	resolve_store_release(holder);
	SPI_finish();
	PG_RETURN_DATUM(jsonb_from_cstring(out.data));
}
