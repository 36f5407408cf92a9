/*
 * risk_breakdown.c
 *		Pure core: the compact form of a risk_score breakdown, encoding and
 *		decoding (layout in risk_breakdown.h).  Decoding checks every length and index,
 *		so that any bytes a user stores in risk_score.detail are refused
 *		rather than read out of bounds.
 */
#include "risk/risk_breakdown.h"

#include <string.h>

/* zig-zag: small negative and positive numbers both take few bytes */
static uint64_t
zz(int64_t v)
{
	return ((uint64_t) v << 1) ^ (uint64_t) (v >> 63);
}

static int64_t
unzz(uint64_t u)
{
	return (int64_t) (u >> 1) ^ -(int64_t) (u & 1);
}

typedef struct Out
{
	uint8_t *p;
	size_t   len;
	size_t   cap;
	bool     full;
} Out;

static void
put_u(Out *o, uint64_t v)
{
	do
	{
		uint8_t b = v & 0x7f;

		v >>= 7;
		if (v)
			b |= 0x80;
		if (o->len >= o->cap)
		{
			o->full = true;
			return;
		}
		o->p[o->len++] = b;
	} while (v);
}

static void
put_s(Out *o, int64_t v)
{
	put_u(o, zz(v));
}

size_t
risk_breakdown_bound(const RiskBreakdown *d)
{
	size_t  n = 1 + 10 * 12; /* version, flags and the scalar parts */
	int32_t i;

	for (i = 0; i < d->ncodes; i++)
		n += 10 + (size_t) d->code_len[i];
	n += (size_t) d->npoints * 30 + (size_t) d->nmonitoring * 10;
	return n;
}

size_t
risk_breakdown_encode(const RiskBreakdown *d, uint8_t *out, size_t cap)
{
	Out     o = {out, 0, cap, false};
	int32_t i;

	if (cap < 1)
		return 0;
	out[o.len++] = RISK_DETAIL_VERSION;
	put_u(&o, d->flags & RB_ALL_FLAGS);
	if (d->flags & RB_ASSESSED)
		put_s(&o, d->assessed_on);
	if (d->flags & RB_POINTS)
	{
		for (i = 0; i < 4; i++)
			put_s(&o, d->added[i]);
		if (d->flags & RB_WEIGHTED)
			put_s(&o, d->weighted);
		put_u(&o, (uint64_t) d->ncodes);
		for (i = 0; i < d->ncodes; i++)
		{
			put_u(&o, (uint64_t) d->code_len[i]);
			if (o.len + (size_t) d->code_len[i] > o.cap)
				return 0;
			memcpy(out + o.len, d->codes[i], (size_t) d->code_len[i]);
			o.len += (size_t) d->code_len[i];
		}
		put_u(&o, (uint64_t) d->npoints);
		for (i = 0; i < d->npoints; i++)
		{
			put_s(&o, d->points[i].id);
			put_s(&o, d->points[i].cents);
			put_u(&o, (uint64_t) (d->points[i].code + 1));
		}
		put_s(&o, d->omitted);
	}
	if (d->flags & RB_MONITORING)
	{
		put_u(&o, (uint64_t) d->nmonitoring);
		for (i = 0; i < d->nmonitoring; i++)
			put_u(&o, (uint64_t) d->monitoring[i]);
		if (d->flags & RB_KEY_PERSON)
			put_s(&o, d->key_person);
	}
	if (d->flags & RB_PROPAGATION)
	{
		put_s(&o, d->prop_value);
		put_s(&o, d->prop_origin);
		put_s(&o, d->prop_via);
		put_u(&o, (uint64_t) (d->prop_role + 1));
		put_u(&o, (uint64_t) d->prop_hops);
	}
	return o.full ? 0 : o.len;
}

typedef struct In
{
	const uint8_t *p;
	size_t         len;
	size_t         pos;
	bool           bad;
} In;

static uint64_t
get_u(In *in)
{
	uint64_t v = 0;
	int      shift = 0;

	for (;;)
	{
		uint8_t b;

		if (in->pos >= in->len || shift > 63)
		{
			in->bad = true;
			return 0;
		}
		b = in->p[in->pos++];
		v |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
}

static int64_t
get_s(In *in)
{
	return unzz(get_u(in));
}

/* a count or index below limit */
static int32_t
get_n(In *in, uint64_t limit)
{
	uint64_t v = get_u(in);

	if (v >= limit)
	{
		in->bad = true;
		return 0;
	}
	return (int32_t) v;
}

int
risk_breakdown_decode(const uint8_t *buf, size_t len, RiskBreakdown *d)
{
	In      in = {buf, len, 0, false};
	int32_t i;
	int64_t v;

	d->flags = 0;
	d->ncodes = d->npoints = d->nmonitoring = 0;
	d->omitted = d->weighted = d->key_person = 0;
	d->prop_role = -1;
	if (len < 1 || buf[0] != RISK_DETAIL_VERSION)
		return -1;
	in.pos = 1;
	v = (int64_t) get_u(&in);
	if (in.bad || (v & ~(int64_t) RB_ALL_FLAGS))
		return -1;
	d->flags = (uint32_t) v;
	if (d->flags & RB_ASSESSED)
	{
		v = get_s(&in);
		if (v < INT32_MIN || v > INT32_MAX)
			return -1;
		d->assessed_on = (int32_t) v;
	}
	if (d->flags & RB_POINTS)
	{
		for (i = 0; i < 4; i++)
			d->added[i] = get_s(&in);
		if (d->flags & RB_WEIGHTED)
			d->weighted = get_s(&in);
		d->ncodes = get_n(&in, RB_MAX_CODES + 1);
		for (i = 0; i < d->ncodes && !in.bad; i++)
		{
			int32_t n = get_n(&in, 1024);

			if (in.bad || in.pos + (size_t) n > in.len)
				return -1;
			d->codes[i] = (const char *) buf + in.pos;
			d->code_len[i] = n;
			in.pos += (size_t) n;
		}
		d->npoints = get_n(&in, RB_MAX_POINTS + 1);
		for (i = 0; i < d->npoints && !in.bad; i++)
		{
			d->points[i].id = get_s(&in);
			d->points[i].cents = get_s(&in);
			d->points[i].code = get_n(&in, (uint64_t) d->ncodes + 1) - 1;
		}
		d->omitted = get_s(&in);
	}
	if (d->flags & RB_MONITORING)
	{
		d->nmonitoring = get_n(&in, RB_MAX_CODES + 1);
		for (i = 0; i < d->nmonitoring && !in.bad; i++)
			d->monitoring[i] = get_n(&in, (uint64_t) d->ncodes);
		if (d->flags & RB_KEY_PERSON)
			d->key_person = get_s(&in);
	}
	if (d->flags & RB_PROPAGATION)
	{
		d->prop_value = get_s(&in);
		d->prop_origin = get_s(&in);
		d->prop_via = get_s(&in);
		d->prop_role = get_n(&in, 256) - 1;
		d->prop_hops = get_n(&in, 256);
	}
	if (in.bad || in.pos != in.len)
		return -1;
	return 0;
}
