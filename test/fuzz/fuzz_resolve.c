/*
 * fuzz_resolve.c
 *		libFuzzer target for the resolution cores (src/match/resolve_key.c
 *		and the entity store of src/match/resolve_store.h).
 *
 * The input is split at its first two 0xFF bytes into an identifier, a name
 * and a second name.  Checked, besides the sanitizers' own checks:
 *	- resolve_key_read() fills a NUL-terminated key of the documented
 *	  length for its kind, and the key reads back as itself;
 *	- resolve_ident_near() is symmetric and false for equal texts;
 *	- an entity made of (identifier, name) is found again by its key and is
 *	  a candidate of a party with the same name; the weight of the pair is
 *	  finite, and the comparison of two names is symmetric in its levels.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident/normalize.h"
#include "match/resolve_store.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

static char *
part(const uint8_t *data, size_t size, size_t *start)
{
	size_t i = *start;
	size_t n;
	char  *raw;
	char  *out;

	while (i < size && data[i] != 0xFF)
		i++;
	n = i - *start;
	raw = malloc(n ? n : 1);
	memcpy(raw, data + *start, n);
	out = malloc(n + 1);
	out[normalize_name(raw, n, out)] = '\0';
	free(raw);
	*start = i < size ? i + 1 : i;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t        pos = 0;
	char         *ident = part(data, size, &pos);
	char         *name = part(data, size, &pos);
	char         *name2 = part(data, size, &pos);
	ResolveKey    k, k2;
	ResolveStore *rs;
	ResolveParty  p, q;
	FsModel       model;
	int32_t       e;
	int32_t       cand[64];
	int           n;
	int           la[RS_NFIELDS], lb[RS_NFIELDS];
	double        wa, wb;
	size_t        il = strlen(ident), nl = strlen(name);

	resolve_key_read(ident, il, &k);
	if (k.kind != RK_NONE)
	{
		size_t want = k.kind == RK_ORGCODE ? 9 : 18;

		CHECK(strlen(k.key) == want);
		resolve_key_read(k.key, strlen(k.key), &k2);
		CHECK(k2.kind == k.kind && strcmp(k2.key, k.key) == 0);
	}
	CHECK(memchr(k.broken, '\0', sizeof(k.broken)) != NULL);
	CHECK(resolve_ident_near(ident, il, name, nl) == resolve_ident_near(name, nl, ident, il));
	CHECK(!resolve_ident_near(ident, il, ident, il));

	rs = rs_create(NULL);
	rs_model_default(&model, RS_ENTERPRISE);
	memset(&p, 0, sizeof(p));
	p.kind = (nl % 2) ? RS_PERSON : RS_ENTERPRISE;
	p.key = k;
	p.name = name;
	e = rs_add_entity(rs, 1, p.kind);
	rs_absorb(rs, e, &p);
	if (k.kind != RK_NONE)
	{
		ResolveMethod m;

		CHECK(rs_find_party(rs, &p, &m) == e);
	}
	q = p;
	memset(&q.key, 0, sizeof(q.key));
	n = rs_candidates(rs, &q, -1, cand, 64);
	if (nl > 0 && nl <= 1024)
		CHECK(n == 1 && cand[0] == e);

	q.name = name2;
	rs_compare_parties(&p, &q, &model, NULL, la, &wa);
	rs_compare_parties(&q, &p, &model, NULL, lb, &wb);
	CHECK(isfinite(wa) && isfinite(wb));
	CHECK(la[RS_F_NAME] == lb[RS_F_NAME]);
	rs_free(rs);
	free(ident);
	free(name);
	free(name2);
	return 0;
}
