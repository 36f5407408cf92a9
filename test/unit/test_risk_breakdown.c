/*
 * test_risk_breakdown.c
 *		Unit tests of the compact breakdown (src/risk/risk_breakdown.c): what
 *		grade_risks() writes decodes to the same facts, the form is compact,
 *		and damaged or foreign bytes are refused, never read past their end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_breakdown.h"
#include "tap.h"

static RiskBreakdown a, b;

/* The worked example of docs/risk.md: two points, added 10 / 23.33 / 15 / 6. */
static void
fill_worked(RiskBreakdown *d)
{
	memset(d, 0, sizeof *d);
	d->flags = RB_POINTS;
	d->added[0] = 1000;
	d->added[1] = 2333;
	d->added[2] = 1500;
	d->added[3] = 600;
	d->ncodes = 2;
	d->codes[0] = "A03_CONSTRUCTION_VAT";
	d->code_len[0] = 20;
	d->codes[1] = "A01_PROPERTY_DEED_TAX";
	d->code_len[1] = 21;
	d->npoints = 2;
	d->points[0].id = 2;
	d->points[0].cents = 60000000;
	d->points[0].code = 0;
	d->points[1].id = 1;
	d->points[1].cents = 40000000;
	d->points[1].code = 1;
	d->prop_role = -1;
}

static void
test_roundtrip(void)
{
	uint8_t buf[4096];
	size_t  n;

	fill_worked(&a);
	n = risk_breakdown_encode(&a, buf, sizeof buf);
	ok(n > 0 && n <= risk_breakdown_bound(&a), "the worked example encodes within its bound");
	ok(n < 80, "and takes %zu bytes (its jsonb: some 200)", n);
	is_int(risk_breakdown_decode(buf, n, &b), 0, "and decodes");
	is_int(b.flags, RB_POINTS, "flags kept");
	is_int(b.added[1], 2333, "what the amount added kept");
	is_int(b.npoints, 2, "two points");
	is_int(b.points[0].cents, 60000000, "largest amount first");
	is_int(b.points[1].id, 1, "point id kept");
	ok(b.code_len[b.points[1].code] == 21 &&
		   memcmp(b.codes[b.points[1].code], "A01_PROPERTY_DEED_TAX", 21) == 0,
	   "indicator code kept");
	is_int(b.prop_role, -1, "no propagation");

	/* everything at once, with extreme values */
	memset(&a, 0, sizeof a);
	a.flags = RB_ALL_FLAGS;
	a.assessed_on = -36524;
	a.added[0] = 10000;
	a.weighted = 25000;
	a.ncodes = 2;
	a.codes[0] = "M07_BLACKLIST_KEY_ROLE";
	a.code_len[0] = 22;
	a.codes[1] = "M01_POLICE_CASE";
	a.code_len[1] = 15;
	a.npoints = 2;
	a.points[0].id = INT64_MAX;
	a.points[0].cents = INT64_MIN;
	a.points[0].code = 1;
	a.points[1].id = 7;
	a.points[1].cents = -5;
	a.points[1].code = -1;
	a.omitted = 12;
	a.nmonitoring = 2;
	a.monitoring[0] = 1;
	a.monitoring[1] = 0;
	a.key_person = 311;
	a.prop_value = 3999;
	a.prop_origin = 1;
	a.prop_via = -2;
	a.prop_role = 3;
	a.prop_hops = 2;
	n = risk_breakdown_encode(&a, buf, sizeof buf);
	ok(n > 0 && n <= risk_breakdown_bound(&a), "every part encodes within the bound");
	is_int(risk_breakdown_decode(buf, n, &b), 0, "and decodes");
	ok(b.flags == RB_ALL_FLAGS && b.assessed_on == -36524 && b.weighted == 25000,
	   "flags, date, weighted count kept");
	ok(b.points[0].id == INT64_MAX && b.points[0].cents == INT64_MIN, "64-bit extremes kept");
	is_int(b.points[1].code, -1, "a rule without an indicator kept");
	ok(b.omitted == 12 && b.nmonitoring == 2 && b.monitoring[0] == 1 && b.key_person == 311,
	   "omitted, monitoring, key person kept");
	ok(b.prop_value == 3999 && b.prop_via == -2 && b.prop_role == 3 && b.prop_hops == 2,
	   "propagation kept");
	is_int(risk_breakdown_encode(&a, buf, n - 1), 0, "a buffer one byte short is refused");
}

static void
test_refused(void)
{
	uint8_t buf[4096];
	size_t  n;
	size_t  i;
	int     bad = 0;

	is_int(risk_breakdown_decode((const uint8_t *) "", 0, &b), -1, "empty input refused");
	is_int(risk_breakdown_decode((const uint8_t *) "\x02\x00", 2, &b), -1,
		   "unknown version refused");
	is_int(risk_breakdown_decode((const uint8_t *) "\x01\x80\x08", 3, &b), -1,
		   "unknown flag refused");
	is_int(risk_breakdown_decode((const uint8_t *) "\x01\x00", 2, &b), 0,
		   "version 1 without parts: {}");
	is_int(risk_breakdown_decode((const uint8_t *) "\x01\x00\x00", 3, &b), -1,
		   "trailing bytes refused");

	fill_worked(&a);
	n = risk_breakdown_encode(&a, buf, sizeof buf);
	for (i = 1; i < n; i++)
		if (risk_breakdown_decode(buf, i, &b) == 0)
			bad++;
	is_int(bad, 0, "every truncation refused");

	/* a code index past the dictionary */
	a.points[1].code = 2;
	n = risk_breakdown_encode(&a, buf, sizeof buf);
	is_int(risk_breakdown_decode(buf, n, &b), -1,
		   "a point naming a code that is not there refused");
}

int
main(void)
{
	test_roundtrip();
	test_refused();
	return done_testing();
}
