/*
 * test_formats.c
 *		Unit tests of the file readers (src/formats/): cells and columns,
 *		Excel's date serials, date formats, the zip caps, sheets with shared
 *		and inline strings, CSV splitting and encodings.  Workbooks are built
 *		in memory (test/fuzz/xlsx_build.h), besides the fixtures of
 *		test/fixtures/exchange/ read from disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv_read.h"
#include "formats/xlsx_read.h"
#include "formats/zip_read.h"

#include "../fuzz/xlsx_build.h"
#include "tap.h"

static FormatsLimits lim = {
	.max_uncompressed = 64 << 20,
	.max_ratio = 100,
	.max_shared_strings = 1000,
	.max_shared_bytes = 1 << 20,
	.max_cell_bytes = 1 << 20,
};

#define SHEET(rows)                                                                        \
	"<?xml version=\"1.0\"?><worksheet "                                                   \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" rows \
	"</sheetData></worksheet>"

static const char *styles = "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
							"formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/>"
							"</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
							"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf "
							"numFmtId=\"164\"/><xf numFmtId=\"4\"/></cellXfs>"
							"</styleSheet>";

/* All rows of the book's data sheet as "rownum:col=val|col=val;..." */
static char *
dump_rows(const unsigned char *zip, size_t len, FormatsError *err)
{
	static char out[4096];
	XlsxBook   *b = xlsx_open(zip, len, &lim, err);
	XlsxSheet  *s;
	XlsxRow     row;
	int         r;
	size_t      n = 0;

	out[0] = '\0';
	if (b == NULL)
		return NULL;
	s = xlsx_sheet_open(b, xlsx_data_sheet(b), err);
	if (s == NULL)
	{
		xlsx_close(b);
		return NULL;
	}
	while ((r = xlsx_sheet_next_row(s, &row, err)) == 1)
	{
		int i;

		n += snprintf(out + n, sizeof(out) - n, "%ld:", row.rownum);
		for (i = 0; i < row.ncells; i++)
			n += snprintf(out + n, sizeof(out) - n, "%s%d=%s", i ? "|" : "", row.cells[i].col,
						  row.cells[i].s);
		n += snprintf(out + n, sizeof(out) - n, ";");
	}
	xlsx_sheet_close(s);
	xlsx_close(b);
	return r < 0 ? NULL : out;
}

static char *
sheet_rows(const char *sheet, const char *sst, FormatsError *err)
{
	size_t         len;
	unsigned char *zip = xb_book(sheet, strlen(sheet), sst, sst ? strlen(sst) : 0, styles, &len);
	char          *got;

	if (zip == NULL)
		return NULL;
	got = dump_rows(zip, len, err);
	free(zip);
	return got;
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE          *f = fopen(path, "rb");
	unsigned char *buf;
	long           n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	*len = fread(buf, 1, n, f);
	fclose(f);
	return buf;
}

static void
test_cells(void)
{
	char buf[8];
	long row = 0;

	formats_col_letters(0, buf);
	is_str(buf, "A", "column 0 is A");
	formats_col_letters(25, buf);
	is_str(buf, "Z", "column 25 is Z");
	formats_col_letters(26, buf);
	is_str(buf, "AA", "column 26 is AA");
	formats_col_letters(16383, buf);
	is_str(buf, "XFD", "the last column is XFD");
	is_int(formats_parse_cell_ref("D12", 3, &row), 3, "D12 is column 3");
	is_int(row, 12, "... of row 12");
	is_int(formats_parse_cell_ref("XFD1", 4, &row), 16383, "XFD1");
	is_int(formats_parse_cell_ref("XFE1", 4, &row), -1, "XFE is beyond Excel's columns");
	is_int(formats_parse_cell_ref("12", 2, &row), -1, "a row alone is no cell");
	is_int(formats_parse_cell_ref("d1", 2, &row), -1, "lower case is no cell");
}

static void
test_dates(void)
{
	char buf[40];

	ok(xlsx_serial_text(1, false, buf, sizeof(buf)) && strcmp(buf, "1900-01-01") == 0,
	   "1900 system: serial 1 is 1900-01-01");
	ok(xlsx_serial_text(59, false, buf, sizeof(buf)) && strcmp(buf, "1900-02-28") == 0,
	   "serial 59 is 1900-02-28");
	ok(xlsx_serial_text(60, false, buf, sizeof(buf)) && strcmp(buf, "1900-02-29") == 0,
	   "serial 60 is Excel's 1900-02-29 (left for validation to refuse)");
	ok(xlsx_serial_text(61, false, buf, sizeof(buf)) && strcmp(buf, "1900-03-01") == 0,
	   "serial 61 is 1900-03-01");
	ok(xlsx_serial_text(45356, false, buf, sizeof(buf)) && strcmp(buf, "2024-03-05") == 0,
	   "serial 45356 is 2024-03-05");
	ok(xlsx_serial_text(45356.5, false, buf, sizeof(buf)) &&
		   strcmp(buf, "2024-03-05 12:00:00") == 0,
	   "a fraction is the time of day");
	ok(xlsx_serial_text(45356.99999999, false, buf, sizeof(buf)) && strcmp(buf, "2024-03-06") == 0,
	   "a time that rounds to midnight is the next day");
	ok(xlsx_serial_text(0, true, buf, sizeof(buf)) && strcmp(buf, "1904-01-01") == 0,
	   "1904 system: serial 0 is 1904-01-01");
	ok(xlsx_serial_text(43894, true, buf, sizeof(buf)) && strcmp(buf, "2024-03-05") == 0,
	   "1904 system: serial 43894 is 2024-03-05");
	ok(!xlsx_serial_text(-1, false, buf, sizeof(buf)), "a negative serial is no date");
	ok(!xlsx_serial_text(1e12, false, buf, sizeof(buf)), "a serial beyond 9999 is no date");

	ok(xlsx_format_is_date("yyyy-mm-dd"), "yyyy-mm-dd is a date format");
	ok(xlsx_format_is_date("yyyy\"年\"m\"月\"d\"日\""), "yyyy\"年\"m\"月\"d\"日\" is one");
	ok(xlsx_format_is_date("[$-F800]dddd, mmmm dd, yyyy"), "a locale prefix does not hide one");
	ok(xlsx_format_is_date("[h]:mm:ss"), "elapsed hours are a time");
	ok(!xlsx_format_is_date("#,##0.00"), "#,##0.00 is not");
	ok(!xlsx_format_is_date("[Red]0.00;\"dm\"0"), "colours and quoted letters are not");
	ok(!xlsx_format_is_date("General"), "General is not");
	ok(!xlsx_format_is_date("0.00E+00"), "scientific is not");
}

static void
test_sheets(void)
{
	FormatsError err;
	const char  *sst = "<sst><si><t>甲</t></si><si><r><t>乙</t></r><r><t>丙</t></r>"
					   "<rPh><t>yi</t></rPh></si><si><t xml:space=\"preserve\"> a </t></si></sst>";
	char        *got;

	got = sheet_rows(
		SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
			  "<row r=\"2\"/><row r=\"3\"><c r=\"A3\"/><c r=\"B3\" t=\"s\"><v>2</v></c></row>"),
		sst, &err);
	is_str(got, "1:0=甲|2=乙丙;3:1= a ;",
		   "shared strings: rich runs joined, phonetic runs left out, spaces kept; empty rows and "
		   "cells skipped");

	got = sheet_rows(
		SHEET("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>内</t><r><t>联</t></r></is></c>"
			  "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"b\"><v>0</v></c>"
			  "<c r=\"E2\" s=\"1\"><v>45356</v></c><c r=\"F2\" s=\"2\"><v>45356.25</v></c>"
			  "<c r=\"G2\" s=\"3\"><v>45356</v></c><c r=\"H2\"><v>99.98999999999999</v></c>"
			  "<c r=\"I2\" t=\"str\"><f>A1</f><v>算</v></c><c r=\"J2\" "
			  "t=\"e\"><v>#N/A</v></c></row>"),
		NULL, &err);
	is_str(
		got,
		"2:1=内联|2=true|3=false|4=2024-03-05|5=2024-03-05 06:00:00|6=45356|7=99.99|8=算|9=#N/A;",
		"inline strings, booleans, date formats (built-in and custom), numbers, formulas, errors");

	got = sheet_rows(SHEET("<row><c><v>1</v></c><c><v>2</v></c></row><row><c "
						   "t=\"inlineStr\"><is><t>x</t></is></c></row>"),
					 NULL, &err);
	is_str(got, "1:0=1|1=2;2:0=x;", "rows and cells without references are numbered in order");

	got = sheet_rows(SHEET("<row r=\"1\"><c r=\"A1\"><f>SUM(B1)</f></c></row>"), NULL, &err);
	ok(got == NULL && err.code == FE_FORMULA && strcmp(err.cell, "A1") == 0,
	   "a formula without a value is refused, naming its cell");
	got = sheet_rows(SHEET("<row r=\"1\"><c r=\"B1\"><f>1+1</f><v></v></c></row>"), NULL, &err);
	ok(got == NULL && err.code == FE_FORMULA && strcmp(err.cell, "B1") == 0,
	   "... and so is one with an empty numeric value (openpyxl)");
	got = sheet_rows(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"), sst, &err);
	ok(got == NULL && err.code == FE_SST_INDEX, "a shared string that does not exist is refused");
	got = sheet_rows(SHEET("<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>"), NULL, &err);
	ok(got == NULL && err.code == FE_BAD_CELL, "a cell of another row is refused");
	got =
		sheet_rows("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
				   "<worksheet><sheetData><row><c><v>&e;</v></c></row></sheetData></worksheet>",
				   NULL, &err);
	ok(got == NULL && err.code == FE_DTD, "a DOCTYPE (XXE) is refused");
	got = sheet_rows(SHEET("<row><c><v>1</v></c>"), NULL, &err);
	ok(got == NULL && err.code == FE_XML, "malformed XML is refused");
	got = sheet_rows(SHEET("<row><c t=\"s\"><v>0</v></c></row>"),
					 "<sst><si><t>a</t></si><si><t>b</t></si></sst>", &err);
	ok(got != NULL, "two shared strings are within the cap");
	lim.max_shared_strings = 1;
	got = sheet_rows(SHEET("<row><c t=\"s\"><v>0</v></c></row>"),
					 "<sst><si><t>a</t></si><si><t>b</t></si></sst>", &err);
	ok(got == NULL && err.code == FE_SST_LIMIT && err.limit == 1,
	   "shared strings above the cap are refused");
	lim.max_shared_strings = 1000;
	lim.max_cell_bytes = 4;
	got = sheet_rows(
		SHEET("<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>12345</t></is></c></row>"), NULL,
		&err);
	ok(got == NULL && err.code == FE_CELL_TOO_BIG && strcmp(err.cell, "B3") == 0,
	   "a cell above the cap is refused, naming it");
	lim.max_cell_bytes = 1 << 20;
}

static void
test_zip(void)
{
	FormatsError   err;
	size_t         len;
	unsigned char *zip;
	char          *big;
	XbPart         parts[3];
	FmtZip        *z;

	ok(fmt_file_kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == FK_OLE2, "OLE2 is recognised");
	ok(fmt_file_kind("PK\3\4", 4) == FK_ZIP, "a zip is recognised");
	ok(fmt_file_kind("a,b", 3) == FK_OTHER, "CSV is neither");

	parts[0] = (XbPart){"xl/workbook.xml", XB_WORKBOOK, strlen(XB_WORKBOOK)};
	parts[1] = (XbPart){"../evil", "x", 1};
	zip = xb_zip(parts, 2, &len);
	z = fmt_zip_open(zip, len, &lim, &err);
	ok(z == NULL && err.code == FE_ENTRY_NAME && strcmp(err.value, "../evil") == 0,
	   "an entry named ../evil is refused");
	free(zip);
	parts[1] = (XbPart){"a/../../b", "x", 1};
	zip = xb_zip(parts, 2, &len);
	ok(fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_ENTRY_NAME, "so is a/../../b");
	free(zip);
	parts[1] = (XbPart){"a..b/c..", "x", 1};
	zip = xb_zip(parts, 2, &len);
	z = fmt_zip_open(zip, len, &lim, &err);
	ok(z != NULL, "dots inside a name are fine");
	fmt_zip_close(z);
	free(zip);

	big = malloc(4 << 20);
	memset(big, ' ', 4 << 20);
	parts[1] = (XbPart){"xl/big.xml", big, 4 << 20};
	zip = xb_zip(parts, 2, &len);
	lim.max_uncompressed = 1 << 20;
	ok(fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_TOO_BIG,
	   "an archive above max_uncompressed is refused");
	lim.max_uncompressed = 64 << 20;
	z = fmt_zip_open(zip, len, &lim, &err);
	ok(z != NULL, "a stored (uncompressed) large entry passes the ratio");
	fmt_zip_close(z);
	free(zip);
	free(big);

	zip = read_file("test/fixtures/exchange/bomb.xlsx", &len);
	lim.max_uncompressed = (uint64_t) 1 << 30;
	ok(zip && fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_RATIO,
	   "bomb.xlsx is refused by its ratio");
	lim.max_uncompressed = 64 << 20;
	ok(zip && fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_TOO_BIG,
	   "... and by its size");
	free(zip);
	zip = read_file("test/fixtures/exchange/truncated.xlsx", &len);
	ok(zip && fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_ZIP,
	   "truncated.xlsx is refused as damaged");
	free(zip);
	zip = read_file("test/fixtures/exchange/encrypted.xlsx", &len);
	ok(zip && fmt_zip_open(zip, len, &lim, &err) == NULL && err.code == FE_ENCRYPTED,
	   "a password-protected workbook (EncryptedPackage) is named as such");
	free(zip);
	zip = read_file("test/fixtures/exchange/libreoffice.xlsx", &len);
	is_str(zip ? dump_rows(zip, len, &err) : NULL,
		   "1:0=统一社会信用代码|1=纳税人名称|2=金额|3=缴款日期|4=户数;"
		   "2:0=91350100M000100Y43|1=衡阳华湘有限公司|2=1234.5|3=2024-03-05|4=3;"
		   "3:0=91430400MA4L0XXX0X|1=坏代码公司|2=10|3=2024-03-06|4=1;"
		   "4:0=91350100M000100Y43|1=另一公司|2=99.99|3=2024-03-07|4=2;",
		   "libreoffice.xlsx reads as written");
	free(zip);
}

static const char *
csv_all(const char *data, size_t len, FormatsError *err)
{
	static char     out[1024];
	CsvReader      *r = csv_open(data, len, 16);
	const CsvField *f;
	int             nf;
	long            line;
	int             rc;
	size_t          n = 0;

	out[0] = '\0';
	while ((rc = csv_next(r, &f, &nf, &line, err)) == 1)
	{
		int i;

		n += snprintf(out + n, sizeof(out) - n, "%ld:", line);
		for (i = 0; i < nf; i++)
			n += snprintf(out + n, sizeof(out) - n, "%s[%.*s]", i ? "," : "", (int) f[i].len,
						  f[i].s);
		n += snprintf(out + n, sizeof(out) - n, ";");
	}
	csv_close(r);
	return rc < 0 ? NULL : out;
}

static void
test_csv(void)
{
	FormatsError err;
	const char  *d;
	size_t       bad = 0;

	d = "\xEF\xBB\xBF"
		"a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",\r\nlast,row";
	is_str(csv_all(d, strlen(d), &err),
		   "1:[a],[b];2:[x,1],[say \"hi\"];4:[two\nlines],[];6:[last],[row];",
		   "BOM, quotes, commas and line breaks in quotes, empty lines, no final newline");
	d = "a,\"b\nc";
	ok(csv_all(d, strlen(d), &err) == NULL && err.code == FE_CSV_QUOTE && err.line == 1 &&
		   err.col == 2,
	   "a quote never closed: its line and field");
	d = "a,\"b\"c\n";
	ok(csv_all(d, strlen(d), &err) == NULL && err.code == FE_CSV_QUOTE && err.n == 1,
	   "text after a closing quote");
	d = "a,12345678901234567\n";
	ok(csv_all(d, strlen(d), &err) == NULL && err.code == FE_CELL_TOO_BIG && err.col == 2,
	   "a field above the cap");

	ok(csv_detect_encoding("abc", 3, &bad) == CSV_UTF8, "ASCII is UTF-8");
	ok(csv_detect_encoding("\xE7\xA8\x8E", 3, &bad) == CSV_UTF8, "税 in UTF-8");
	ok(csv_detect_encoding("\xCB\xB0"
						   ",\xCE\xF1",
						   5, &bad) == CSV_GBK,
	   "税,务 in GBK");
	ok(csv_detect_encoding("\x81\x30\x81\x30", 4, &bad) == CSV_GB18030,
	   "a four-byte sequence is GB18030");
	ok(csv_detect_encoding("a\x81\x20", 3, &bad) == CSV_INVALID && bad == 1,
	   "0x81 0x20 is neither, at offset 1");
	ok(!csv_valid_in(CSV_GBK, "\x81\x30\x81\x30", 4, &bad), "GBK has no four-byte form");
	ok(!csv_valid_in(CSV_UTF8, "\xC0\x80", 2, &bad) && bad == 0, "an overlong NUL is not UTF-8");
	ok(!csv_valid_in(CSV_UTF8, "\xED\xA0\x80", 3, &bad), "nor is a surrogate");
	ok(!csv_valid_in(CSV_UTF8, "\xE4\xB8", 2, &bad), "nor a truncated character");
}

int
main(void)
{
	test_cells();
	test_dates();
	test_sheets();
	test_zip();
	test_csv();
	return done_testing();
}
