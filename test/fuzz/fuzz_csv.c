/*
 * fuzz_csv.c
 *		libFuzzer target for the CSV splitter and the encoding detection
 *		(src/formats/csv_read.c).
 *
 * Checked, besides the sanitizers: the detected encoding accepts the whole
 * input (csv_valid_in), an invalid verdict names an offset inside it; the
 * fields of every record lie within the cap and, when the input had no quote,
 * are exactly slices of it; the records' line numbers never go backwards.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv_read.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char     *s = (const char *) data;
	FormatsError    err;
	size_t          bad = 0;
	CsvEncoding     enc = csv_detect_encoding(s, size, &bad);
	CsvReader      *r;
	const CsvField *f;
	int             nf;
	long            line;
	long            last = 0;
	int             rc;
	bool            quotes = memchr(s, '"', size) != NULL;

	if (enc == CSV_INVALID)
		CHECK(bad < size);
	else
		CHECK(csv_valid_in(enc, s, size, &bad));

	r = csv_open(s, size, 64);
	if (r == NULL)
		return 0;
	while ((rc = csv_next(r, &f, &nf, &line, &err)) == 1)
	{
		int i;

		CHECK(nf >= 1 && line > last);
		last = line;
		for (i = 0; i < nf; i++)
		{
			CHECK(f[i].len <= 64);
			if (!quotes && f[i].len > 0)
				CHECK(memmem(s, size, f[i].s, f[i].len) != NULL);
		}
	}
	csv_close(r);
	return 0;
}
