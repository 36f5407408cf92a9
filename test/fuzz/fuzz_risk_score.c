/*
 * fuzz_risk_score.c
 *		libFuzzer target for the risk scoring core (src/risk/risk_score.c): any
 *		parameters that risk_params_check() accepts and any input give a
 *		score in 0..100 whose grade agrees with the thresholds, a monitoring
 *		hit is always high, propagation never lifts more than one grade, and
 *		the number formatters stay inside their buffers.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_score.h"

/* an int from a double, without undefined behaviour for NaN or huge values */
static int
small_int(double d, int mod)
{
	if (!isfinite(d))
		return 0;
	return (int) fmod(fabs(d), (double) mod);
}

static double
take(const uint8_t **p, size_t *n)
{
	double d = 0;

	if (*n >= sizeof(double))
	{
		memcpy(&d, *p, sizeof(double));
		*p += sizeof(double);
		*n -= sizeof(double);
	}
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RiskParams         p;
	RiskInput          in;
	RiskResult         r;
	RiskLift           l;
	RiskResponseReason why;
	char               buf[48];
	int                i;
	double             prop;

	risk_params_default(&p);
	for (i = 0; i < RF_COUNT; i++)
		p.weight[i] = fabs(take(&data, &size));
	p.medium = take(&data, &size);
	p.high = take(&data, &size);
	p.amount_full = take(&data, &size);
	if (risk_params_check(&p) != NULL)
		risk_params_default(&p);

	in.points = take(&data, &size);
	in.npoints = small_int(take(&data, &size), 1000);
	in.amount = take(&data, &size);
	in.severity = small_int(take(&data, &size), 7);
	in.social = small_int(take(&data, &size), 7);
	in.monitoring = size > 0 && (data[0] & 1);
	prop = take(&data, &size);

	risk_compute(&p, &in, &r);
	if (in.npoints > 0)
	{
		if (!(r.score >= 0 && r.score <= 100))
			abort();
		if (in.monitoring && r.grade != RISK_HIGH)
			abort();
		if (!in.monitoring && r.grade != risk_grade_of(&p, r.score))
			abort();
	}
	else if (r.grade != RISK_NONE)
		abort();

	risk_lift(&p, r.grade, r.score, prop, &l);
	if (l.grade > (r.grade == RISK_HIGH ? RISK_HIGH : r.grade + 1))
		abort();
	if (l.grade < r.grade || l.score < r.score)
		abort();
	if (risk_response(&p, l.grade, in.npoints, in.amount, RESP_NONE, false, &why) == RESP_NONE &&
		l.grade != RISK_NONE)
		abort();

	if (risk_format_number(buf, sizeof buf, prop, 4) >= sizeof buf)
		abort();
	if (risk_format_cents(buf, sizeof buf,
						  isfinite(in.points) && fabs(in.points) < 9e18 ? (int64_t) in.points
																		: INT64_MIN) >= sizeof buf)
		abort();
	return 0;
}
