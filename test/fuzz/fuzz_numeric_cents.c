/*
 * fuzz_numeric_cents.c
 *		libFuzzer target for src/common/numeric_cents.c: any bytes are read or
 *		refused without reading out of bounds or overflowing (the sanitizers
 *		catch both), and a value read is consistent with its sign.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/numeric_cents.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t  cents;
	uint8_t *copy;

	/* an exact-size heap copy, so that ASan sees a read past the end */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (numeric_cents(copy, size, &cents) && size >= 2)
	{
		uint16_t header;

		memcpy(&header, copy, 2);
		/* short form sign bit, or long form 01: a negative value is never above 0 */
		if ((((header & 0xC000) == 0x8000 && (header & 0x2000)) || (header & 0xC000) == 0x4000) &&
			cents > 0)
			abort();
	}
	free(copy);
	return 0;
}
