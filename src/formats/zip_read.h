/*
 * zip_read.h
 *		Pure core: the entries of a zip archive held in memory, read through
 *		libzip with caps against zip bombs and hostile names.
 *
 * fmt_zip_open() looks at the whole archive before anything is read: an OLE2
 * file (.xls, .et, or a password-protected .xlsx, which Office wraps in OLE2)
 * is named as such; an entry whose name climbs out (../) or starts at the
 * root, an encrypted entry, a total above max_uncompressed or an entry of
 * more than FORMATS_RATIO_MIN_BYTES compressed more than max_ratio refuse
 * the archive.  Reading counts the bytes again, since the sizes in a zip's
 * directory may lie.
 */
#ifndef TAXSHARE_ZIP_READ_H
#define TAXSHARE_ZIP_READ_H

#include "formats/formats_core.h"

typedef struct FmtZip      FmtZip;
typedef struct FmtZipEntry FmtZipEntry;

/* What the first bytes say a file is. */
typedef enum FmtFileKind
{
	FK_ZIP,
	FK_OLE2,           /* .xls / .et */
	FK_OLE2_ENCRYPTED, /* an OOXML workbook with a password (EncryptedPackage) */
	FK_OTHER
} FmtFileKind;

extern FmtFileKind fmt_file_kind(const void *data, size_t len);

extern FmtZip *fmt_zip_open(const void *data, size_t len, const FormatsLimits *lim,
							FormatsError *err);
extern void    fmt_zip_close(FmtZip *z);

/* NULL with err->code FE_MISSING when there is no such entry, or another error. */
extern FmtZipEntry *fmt_zip_entry_open(FmtZip *z, const char *name, FormatsError *err);

/* Bytes read into buf (0 at the end), or -1 with *err set. */
extern long fmt_zip_entry_read(FmtZipEntry *e, void *buf, size_t n, FormatsError *err);
extern void fmt_zip_entry_close(FmtZipEntry *e);

#endif /* TAXSHARE_ZIP_READ_H */
