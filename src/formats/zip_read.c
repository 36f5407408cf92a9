/*
 * zip_read.c
 *		Reading zip entries from a buffer with libzip (zip_read.h).
 */
#include "formats/zip_read.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct FmtZip
{
	zip_t        *za;
	FormatsLimits lim;
	uint64_t      total; /* bytes read from all entries */
};

struct FmtZipEntry
{
	FmtZip     *z;
	zip_file_t *f;
	uint64_t    size; /* as the directory says */
	uint64_t    read;
	char        name[128];
};

static const unsigned char ole2_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* "EncryptedPackage" as OLE2 directory entries store it, in UTF-16LE. */
static bool
has_encrypted_package(const unsigned char *p, size_t len)
{
	static const char word[] = "EncryptedPackage";
	size_t            wl = sizeof(word) - 1;
	size_t            i, k;

	if (len < 2 * wl)
		return false;
	for (i = 0; i + 2 * wl <= len; i++)
	{
		for (k = 0; k < wl; k++)
			if (p[i + 2 * k] != (unsigned char) word[k] || p[i + 2 * k + 1] != 0)
				break;
		if (k == wl)
			return true;
	}
	return false;
}

FmtFileKind
fmt_file_kind(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len >= 8 && memcmp(p, ole2_magic, 8) == 0)
		return has_encrypted_package(p, len) ? FK_OLE2_ENCRYPTED : FK_OLE2;
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
		((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return FK_ZIP;
	return FK_OTHER;
}

/* A name that climbs out of the archive or starts at a root. */
static bool
bad_entry_name(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || name[0] == '\\' || name[0] == '\0')
		return true;
	if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
		name[1] == ':')
		return true;
	while (*p)
	{
		/* a path component ".." */
		if (p[0] == '.' && p[1] == '.' && (p[2] == '\0' || p[2] == '/' || p[2] == '\\') &&
			(p == name || p[-1] == '/' || p[-1] == '\\'))
			return true;
		p++;
	}
	return false;
}

static void
zip_error_words(FormatsError *err, FormatsErrorCode code, zip_error_t *ze)
{
	const char *s = zip_error_strerror(ze);

	formats_error_set(err, code, s, strlen(s));
}

FmtZip *
fmt_zip_open(const void *data, size_t len, const FormatsLimits *lim, FormatsError *err)
{
	zip_error_t   ze;
	zip_source_t *src;
	zip_t        *za;
	FmtZip       *z;
	zip_int64_t   n, i;
	uint64_t      total = 0;

	switch (fmt_file_kind(data, len))
	{
		case FK_OLE2:
			formats_error_set(err, FE_OLE2, NULL, 0);
			return NULL;
		case FK_OLE2_ENCRYPTED:
			formats_error_set(err, FE_ENCRYPTED, NULL, 0);
			return NULL;
		case FK_OTHER:
			formats_error_set(err, FE_NOT_ZIP, data, len < 8 ? len : 8);
			return NULL;
		case FK_ZIP:
			break;
	}

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL)
	{
		zip_error_words(err, FE_ZIP, &ze);
		zip_error_fini(&ze);
		return NULL;
	}
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (za == NULL)
	{
		zip_error_words(err, FE_ZIP, &ze);
		zip_error_fini(&ze);
		zip_source_free(src);
		return NULL;
	}
	zip_error_fini(&ze);

	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n; i++)
	{
		zip_stat_t st;

		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t) i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
		{
			zip_error_words(err, FE_ZIP, zip_get_error(za));
			zip_discard(za);
			return NULL;
		}
		if (bad_entry_name(st.name))
		{
			formats_error_set(err, FE_ENTRY_NAME, st.name, strlen(st.name));
			zip_discard(za);
			return NULL;
		}
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		{
			formats_error_set(err, FE_ENCRYPTED, st.name, strlen(st.name));
			zip_discard(za);
			return NULL;
		}
		if (st.valid & ZIP_STAT_SIZE)
		{
			if (st.size > lim->max_uncompressed || total + st.size > lim->max_uncompressed)
			{
				formats_error_set(err, FE_TOO_BIG, st.name, strlen(st.name));
				err->n = (int64_t) (total + st.size < total ? UINT64_MAX / 2 : total + st.size);
				err->limit = (int64_t) lim->max_uncompressed;
				zip_discard(za);
				return NULL;
			}
			total += st.size;
			if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size >= FORMATS_RATIO_MIN_BYTES &&
				(double) st.size > lim->max_ratio * (double) (st.comp_size ? st.comp_size : 1))
			{
				formats_error_set(err, FE_RATIO, st.name, strlen(st.name));
				err->n = (int64_t) (st.size / (st.comp_size ? st.comp_size : 1));
				err->limit = (int64_t) lim->max_ratio;
				zip_discard(za);
				return NULL;
			}
		}
	}

	z = calloc(1, sizeof(FmtZip));
	if (z == NULL)
	{
		zip_discard(za);
		formats_error_set(err, FE_ZIP, "out of memory", 13);
		return NULL;
	}
	z->za = za;
	z->lim = *lim;
	err->code = FE_OK;
	return z;
}

void
fmt_zip_close(FmtZip *z)
{
	if (z == NULL)
		return;
	zip_discard(z->za); /* frees the source too */
	free(z);
}

FmtZipEntry *
fmt_zip_entry_open(FmtZip *z, const char *name, FormatsError *err)
{
	zip_int64_t  idx = zip_name_locate(z->za, name, 0);
	zip_stat_t   st;
	FmtZipEntry *e;

	if (idx < 0)
	{
		formats_error_set(err, FE_MISSING, name, strlen(name));
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_stat_index(z->za, (zip_uint64_t) idx, 0, &st) != 0)
	{
		zip_error_words(err, FE_ZIP, zip_get_error(z->za));
		return NULL;
	}
	e = calloc(1, sizeof(FmtZipEntry));
	if (e == NULL)
	{
		formats_error_set(err, FE_ZIP, "out of memory", 13);
		return NULL;
	}
	e->f = zip_fopen_index(z->za, (zip_uint64_t) idx, 0);
	if (e->f == NULL)
	{
		zip_error_words(err, FE_ZIP, zip_get_error(z->za));
		free(e);
		return NULL;
	}
	e->z = z;
	e->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	formats_error_set(err, FE_OK, name, strlen(name));
	memcpy(e->name, err->value, sizeof(e->name) - 1);
	e->name[sizeof(e->name) - 1] = '\0';
	err->value[0] = '\0';
	return e;
}

long
fmt_zip_entry_read(FmtZipEntry *e, void *buf, size_t n, FormatsError *err)
{
	zip_int64_t got = zip_fread(e->f, buf, n);

	if (got < 0)
	{
		zip_error_words(err, FE_ZIP, zip_file_get_error(e->f));
		return -1;
	}
	e->read += (uint64_t) got;
	e->z->total += (uint64_t) got;
	/* the directory's sizes were checked; the stream must keep to them */
	if (e->read > e->size || e->z->total > e->z->lim.max_uncompressed)
	{
		formats_error_set(err, FE_TOO_BIG, e->name, strlen(e->name));
		err->n = (int64_t) e->z->total;
		err->limit = (int64_t) e->z->lim.max_uncompressed;
		return -1;
	}
	return (long) got;
}

void
fmt_zip_entry_close(FmtZipEntry *e)
{
	if (e == NULL)
		return;
	zip_fclose(e->f);
	free(e);
}
