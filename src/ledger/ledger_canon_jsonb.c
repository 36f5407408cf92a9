/*
 * ledger_canon_jsonb.c
 *		The canonical form of a record's jsonb values, read from jsonb's binary
 *		form: the server half of the record leaf of docs/ledger.md.
 *
 * Why this is not part of the pure ledger_canon.c: reading jsonb's containers
 * and numeric's storage needs the server's headers (and, with assertions,
 * numeric_send() as the check).  This file only chooses which values are
 * written and in which order; every byte that is hashed comes from the writers
 * of ledger_canon.h, whose output the unit tests pin.  ledger_record_leaf() is
 * the one leaf function of both submission_digest() and a load's running
 * digest (ledger_fmgr.c), so a record read back from the table and the same
 * record hashed while the intake writes it give the same leaf.
 */
#include "taxshare.h"

#include "miscadmin.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "common/jsonb_raw.h"
#include "ledger/ledger_internal.h"

/*
 * A number in canonical form: the fields numeric_send() writes, read from the
 * stored numeric.  The storage layout (src/backend/utils/adt/numeric.c) is
 * PostgreSQL's on-disk format, unchanged since 9.1 because pg_upgrade keeps
 * table files as they are: a 16-bit header that is either the short form
 * (1 0 sign dscale:6 weight:7) followed by the digits, or the long form
 * (sign:2 dscale:14) followed by a 16-bit weight and the digits.  Special
 * values (NaN, infinities; JSON has none) go through numeric_send() itself.
 * With assertions enabled every number is checked against numeric_send().
 */
#define NUM_SIGN_MASK              0xC000
#define NUM_SHORT                  0x8000
#define NUM_SPECIAL                0xC000
#define NUM_NEG                    0x4000
#define NUM_SHORT_SIGN_MASK        0x2000
#define NUM_SHORT_DSCALE_MASK      0x1F80
#define NUM_SHORT_DSCALE_SHIFT     7
#define NUM_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUM_SHORT_WEIGHT_MASK      0x003F
#define NUM_DSCALE_MASK            0x3FFF

static bool
cj_numeric_send(LedgerSha *sha, Numeric num)
{
	bytea *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(num)));
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
	int16                f[4];
	int16               *digits;
	int                  i;
	bool                 ok;

	for (i = 0; i < 4; i++)
		f[i] = (int16) (p[2 * i] << 8 | p[2 * i + 1]);
	digits = palloc(sizeof(int16) * (f[0] > 0 ? f[0] : 1));
	for (i = 0; i < f[0]; i++)
		digits[i] = (int16) (p[8 + 2 * i] << 8 | p[8 + 2 * i + 1]);
	ok = ledger_cj_number(sha, f[0], f[1], (uint16) f[2], (uint16) f[3], digits);
	pfree(digits);
	pfree(b);
	return ok;
}

static bool
cj_numeric(LedgerSha *sha, Numeric num)
{
	const char *p = VARDATA_ANY(num);
	size_t      size = VARSIZE_ANY_EXHDR(num);
	uint16      header;
	int16       weight;
	uint16      sign;
	uint16      dscale;
	size_t      hdr;
	int16       digits[64];
	int16      *d = digits;
	int         ndigits;
	int         i;
	bool        ok;

	if (size < sizeof(uint16))
		return cj_numeric_send(sha, num);
	memcpy(&header, p, sizeof(uint16));
	if ((header & NUM_SIGN_MASK) == NUM_SPECIAL)
		return cj_numeric_send(sha, num);
	if ((header & NUM_SIGN_MASK) == NUM_SHORT)
	{
		hdr = sizeof(uint16);
		sign = (header & NUM_SHORT_SIGN_MASK) ? NUM_NEG : 0;
		dscale = (header & NUM_SHORT_DSCALE_MASK) >> NUM_SHORT_DSCALE_SHIFT;
		weight = (int16) (((header & NUM_SHORT_WEIGHT_SIGN_MASK) ? ~NUM_SHORT_WEIGHT_MASK : 0) |
						  (header & NUM_SHORT_WEIGHT_MASK));
	}
	else
	{
		hdr = 2 * sizeof(uint16);
		if (size < hdr)
			return cj_numeric_send(sha, num);
		sign = header & NUM_SIGN_MASK;
		dscale = header & NUM_DSCALE_MASK;
		memcpy(&weight, p + sizeof(uint16), sizeof(int16));
	}
	ndigits = (int) ((size - hdr) / sizeof(int16));
	if (ndigits > (int) lengthof(digits))
		d = palloc(sizeof(int16) * ndigits);
	memcpy(d, p + hdr, sizeof(int16) * ndigits); /* may be unaligned in the tuple */
	for (i = 0; i < ndigits; i++)
		if (d[i] < 0 || d[i] > 9999)
			return cj_numeric_send(sha, num); /* not the layout we know: be safe */
#ifdef USE_ASSERT_CHECKING
	{
		bytea *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(num)));
		const unsigned char *q = (const unsigned char *) VARDATA_ANY(b);

		Assert(VARSIZE_ANY_EXHDR(b) == 8 + 2 * (size_t) ndigits);
		Assert((int16) (q[0] << 8 | q[1]) == ndigits && (int16) (q[2] << 8 | q[3]) == weight);
		Assert((uint16) (q[4] << 8 | q[5]) == sign && (uint16) (q[6] << 8 | q[7]) == dscale);
	}
#endif
	ok = ledger_cj_number(sha, (int16) ndigits, weight, sign, dscale, d);
	if (d != digits)
		pfree(d);
	return ok;
}

/*
 * A jsonb container in canonical form (ledger_canon.h "CJ"), read in place:
 * keys come in jsonb's order (shorter first, then bytewise), strings are
 * hashed where they lie and no text is produced.  That keeps the digest of a
 * batch cheap next to its validation, which producing payload::text would not
 * (docs/ledger.md, "Performance").  The walk follows the layout of
 * src/include/utils/jsonb.h: the JEntry array, then the data, each entry
 * either its length or (every JB_OFFSET_STRIDE-th) the end offset of its
 * data; numbers and containers start at the next 4-byte boundary.
 */
static bool cj_container(LedgerSha *sha, const JsonbContainer *jc, int depth);

static bool
cj_value(LedgerSha *sha, JEntry je, const char *data, uint32 offset, uint32 len, int depth)
{
	if (JBE_ISSTRING(je))
		return ledger_cj_string(sha, data + offset, len);
	if (JBE_ISNUMERIC(je))
		return cj_numeric(sha, (Numeric) (data + INTALIGN(offset)));
	if (JBE_ISBOOL_TRUE(je))
		return ledger_cj_bool(sha, true);
	if (JBE_ISBOOL_FALSE(je))
		return ledger_cj_bool(sha, false);
	if (JBE_ISNULL(je))
		return ledger_cj_null(sha);
	return cj_container(sha, (const JsonbContainer *) (data + INTALIGN(offset)), depth + 1);
}

static bool
cj_container(LedgerSha *sha, const JsonbContainer *jc, int depth)
{
	uint32         count = JsonContainerSize(jc);
	JsonbRawObject w;
	JsonbRawPair   p;

	check_stack_depth();
	if (depth % 64 == 63)
		CHECK_FOR_INTERRUPTS();
	if (JsonContainerIsScalar(jc))
		return cj_value(sha, jc->children[0], (const char *) &jc->children[count], 0,
						getJsonbLength(jc, 0), depth);
	if (JsonContainerIsArray(jc))
	{
		const char *data = (const char *) &jc->children[count];
		uint32      off = 0;
		uint32      i;

		if (!ledger_cj_array(sha, count))
			return false;
		for (i = 0; i < count; i++)
		{
			JEntry je = jc->children[i];

			if (!cj_value(sha, je, data, off, jsonb_raw_len(je, off), depth))
				return false;
			JBE_ADVANCE_OFFSET(off, je);
		}
		return true;
	}
	if (!ledger_cj_object(sha, count))
		return false;
	jsonb_raw_object_begin(&w, jc);
	while (jsonb_raw_object_next(&w, &p))
		if (!ledger_cj_key(sha, p.key, p.klen) ||
			!cj_value(sha, p.value, w.data, p.voff, p.vlen, depth))
			return false;
	return true;
}

/*
 * The leaf hash of one record (docs/ledger.md "The submission digest"): the
 * same bytes whether the record is read back from the table or hashed as the
 * intake writes it.
 */
bool
ledger_record_leaf(LedgerSha *sha, int64 id, int32 row_no, const char *status, size_t slen,
				   Jsonb *payload, Jsonb *raw, unsigned char leaf[LEDGER_HASH_LEN])
{
	bool ok = ledger_record_leaf_begin(sha, id, row_no, status, slen);
	int  c;

	for (c = 0; ok && c < 2; c++)
	{
		Jsonb *jb = c == 0 ? payload : raw;

		if (jb == NULL)
			ok = ledger_cj_absent(sha);
		else
			ok = ledger_cj_present(sha) && cj_container(sha, &jb->root, 0);
	}
	return ok && ledger_hash_end(sha, leaf);
}
