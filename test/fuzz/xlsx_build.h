/*
 * xlsx_build.h
 *		Build a small .xlsx in memory with libzip, for the unit test and the
 *		fuzzers of src/formats/: a workbook of one sheet named "Data" (or the
 *		given workbook.xml), its relationships, and the parts given (NULL: left
 *		out).  Entries are stored, not compressed, so that the build is fast.
 */
#ifndef TAXSHARE_XLSX_BUILD_H
#define TAXSHARE_XLSX_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XB_WORKBOOK                                                                          \
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "         \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"       \
	"<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define XB_RELS                                                                                    \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"        \
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"       \
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"                                  \
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"       \
	"relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"

typedef struct XbPart
{
	const char *name;
	const char *data;
	size_t      len;
} XbPart;

/* A malloc'd zip of the parts (len -1: strlen), its size in *size; NULL on failure. */
static inline unsigned char *
xb_zip(const XbPart *parts, int nparts, size_t *size)
{
	zip_error_t    ze;
	zip_source_t  *src;
	zip_t         *za;
	unsigned char *out = NULL;
	zip_int64_t    n;
	int            i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return NULL;
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (za == NULL)
	{
		zip_source_free(src);
		return NULL;
	}
	zip_source_keep(src);
	for (i = 0; i < nparts; i++)
	{
		zip_source_t *ps;
		zip_int64_t   idx;

		if (parts[i].data == NULL)
			continue;
		ps = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
		idx = ps ? zip_file_add(za, parts[i].name, ps, ZIP_FL_OVERWRITE) : -1;
		if (idx < 0)
		{
			zip_source_free(ps);
			continue;
		}
		zip_set_file_compression(za, (zip_uint64_t) idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(za) != 0)
	{
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	if (zip_source_open(src) == 0)
	{
		zip_source_seek(src, 0, SEEK_END);
		n = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		out = malloc(n > 0 ? (size_t) n : 1);
		if (out && zip_source_read(src, out, (zip_uint64_t) n) == n)
			*size = (size_t) n;
		else
		{
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

/* A workbook of one sheet with the given sheet, shared strings and styles (each may be NULL). */
static inline unsigned char *
xb_book(const char *sheet, size_t sheet_len, const char *sst, size_t sst_len, const char *styles,
		size_t *size)
{
	XbPart parts[5] = {
		{"xl/workbook.xml", XB_WORKBOOK, strlen(XB_WORKBOOK)},
		{"xl/_rels/workbook.xml.rels", XB_RELS, strlen(XB_RELS)},
		{"xl/worksheets/sheet1.xml", sheet, sheet_len},
		{"xl/sharedStrings.xml", sst, sst_len},
		{"xl/styles.xml", styles, styles ? strlen(styles) : 0},
	};

	return xb_zip(parts, 5, size);
}

#endif /* TAXSHARE_XLSX_BUILD_H */
