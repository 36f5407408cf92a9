/*
 * fuzz_xlsx_shared.c
 *		libFuzzer target for the shared-string reader (src/formats/xlsx_read.c).
 *
 * The input is the XML of sharedStrings.xml, zipped (stored) into a workbook
 * whose sheet names shared strings 0 to 5.  Checked, besides the
 * sanitizers: the table keeps to its cap, a cell naming a string that is not
 * there is refused (FE_SST_INDEX), and every cell read is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/xlsx_read.h"

#include "xlsx_build.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

static const char *sheet =
	"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
	"t=\"s\"><v>1</v></c>"
	"<c r=\"C1\" t=\"s\"><v>2</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c>"
	"<c r=\"B2\" t=\"s\"><v>4</v></c><c r=\"C2\" "
	"t=\"s\"><v>5</v></c></row></sheetData></worksheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FormatsLimits  lim = {1 << 26, 1000, 64, 1 << 16, 4096};
	FormatsError   err;
	size_t         len;
	unsigned char *zip = xb_book(sheet, strlen(sheet), (const char *) data, size, NULL, &len);
	XlsxBook      *b;
	XlsxSheet     *s;
	XlsxRow        row;
	int            r = 0;
	int            seen = 0;

	if (zip == NULL)
		return 0;
	b = xlsx_open(zip, len, &lim, &err);
	if (b == NULL)
	{
		CHECK(err.code != FE_OK);
		free(zip);
		return 0;
	}
	CHECK(xlsx_shared_count(b) >= 0 && (uint64_t) xlsx_shared_count(b) <= lim.max_shared_strings);
	s = xlsx_sheet_open(b, xlsx_data_sheet(b), &err);
	while (s && (r = xlsx_sheet_next_row(s, &row, &err)) == 1)
	{
		int i;

		for (i = 0; i < row.ncells; i++)
			CHECK(formats_utf8_valid(row.cells[i].s, row.cells[i].len, NULL));
		seen++;
	}
	/* six strings named: fewer in the table must be refused */
	if (s && xlsx_shared_count(b) < 6)
		CHECK(r < 0 && err.code == FE_SST_INDEX);
	xlsx_sheet_close(s);
	xlsx_close(b);
	free(zip);
	return 0;
}
