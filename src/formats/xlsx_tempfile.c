/*
 * xlsx_tempfile.c
 *		Writing a libxlsxwriter workbook to a temporary file of the backend
 *		and reading it back as a bytea (xlsx_tempfile.h says how to use it).
 *
 * The file is named like PostgreSQL's own temporary files, so that the
 * server's start-up removes it if a crash leaves it behind and
 * pg_ls_tmpdir() shows it while it exists:
 *
 *		<temp tablespace>/pgsql_tmp/pgsql_tmp<pid>.taxshare_xlsx.<n>
 *
 * <n> counts the calls of this backend; the file is created with O_EXCL, so
 * a leftover of an earlier backend with the same pid is skipped, not reused.
 * Each path is kept on a list in TopMemoryContext from its creation to its
 * removal, so that a FATAL error (which leaves without running PG_FINALLY)
 * still removes it at the backend's exit.
 *
 * libxlsxwriter opens the path itself (fopen), outside PostgreSQL's virtual
 * file descriptors, so temp_file_limit does not count the workbook; the
 * file holds at most one compressed workbook, read back at once.
 */
#include "taxshare.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_tablespace_d.h"
#include "commands/tablespace.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "utils/memutils.h"

#include "formats/xlsx_tempfile.h"

/* A temporary file that exists, from its creation to its removal. */
typedef struct XlsxPending
{
	struct XlsxPending *next;
	char                dir[MAXPGPATH];
	char                path[MAXPGPATH];
} XlsxPending;

static XlsxPending *pending = NULL;
static uint32       call_counter = 0;
static bool         exit_callback_registered = false;

/* At the backend's exit: remove what an error could not (FATAL). */
static void
xlsx_tempfile_at_exit(int code, Datum arg)
{
	for (XlsxPending *p = pending; p != NULL; p = p->next)
		(void) unlink(p->path);
	pending = NULL;
}

/*
 * The temporary directory the way OpenTemporaryFile() chooses it: the next
 * of temp_tablespaces, else the database's tablespace.
 */
static void
temp_dir(char *dir)
{
	Oid tblspc;

	PrepareTempTablespaces();
	tblspc = GetNextTempTableSpace();
	if (!OidIsValid(tblspc))
		tblspc = OidIsValid(MyDatabaseTableSpace) ? MyDatabaseTableSpace : DEFAULTTABLESPACE_OID;
	TempTablespacePath(dir, tblspc);
}

/* Create a fresh empty file and put it on the pending list. */
static XlsxPending *
pending_create(void)
{
	XlsxPending *p;
	int          fd = -1;

	if (!exit_callback_registered)
	{
		on_proc_exit(xlsx_tempfile_at_exit, (Datum) 0);
		exit_callback_registered = true;
	}
	p = MemoryContextAllocZero(TopMemoryContext, sizeof(XlsxPending));
	temp_dir(p->dir);
	for (int attempt = 0; attempt < 100 && fd < 0; attempt++)
	{
		snprintf(p->path, MAXPGPATH, "%s/%s%d.taxshare_xlsx.%u", p->dir, PG_TEMP_FILE_PREFIX,
				 MyProcPid, call_counter++);
		fd = OpenTransientFile(p->path, O_RDWR | O_CREAT | O_EXCL | PG_BINARY);
		/* The directory is made on first use, as OpenTemporaryFile() does. */
		if (fd < 0 && errno == ENOENT)
		{
			(void) MakePGDirectory(p->dir);
			fd = OpenTransientFile(p->path, O_RDWR | O_CREAT | O_EXCL | PG_BINARY);
		}
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
	{
		int   save_errno = errno;
		char *dir = pstrdup(p->dir);

		pfree(p);
		errno = save_errno;
		ereport(ERROR, (errcode_for_file_access(),
						errmsg("could not create temporary file for a workbook in \"%s\": %m", dir),
						errhint("Check the space and permissions of temp_tablespaces.")));
	}
	CloseTransientFile(fd);
	p->next = pending;
	pending = p;
	return p;
}

/* Remove the file and take it off the pending list. */
static void
pending_remove(XlsxPending *p)
{
	XlsxPending **link;

	if (unlink(p->path) != 0 && errno != ENOENT)
		ereport(LOG, (errcode_for_file_access(),
					  errmsg("could not remove temporary file \"%s\": %m", p->path)));
	for (link = &pending; *link != NULL; link = &(*link)->next)
	{
		if (*link == p)
		{
			*link = p->next;
			break;
		}
	}
	pfree(p);
}

/* The whole file as a bytea, in the caller's memory context. */
static bytea *
read_back(const char *path)
{
	struct stat st;
	bytea      *result;
	char       *dst;
	size_t      left;
	int         fd;

	fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	if (fd < 0)
		ereport(ERROR, (errcode_for_file_access(),
						errmsg("could not open temporary workbook \"%s\": %m", path)));
	if (fstat(fd, &st) != 0)
		ereport(ERROR, (errcode_for_file_access(),
						errmsg("could not stat temporary workbook \"%s\": %m", path)));
	if (st.st_size <= 0 || (Size) st.st_size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("workbook of %lld bytes does not fit a bytea", (long long) st.st_size),
				 errhint("A bytea holds at most 1 GB; write fewer rows.")));
	result = palloc(VARHDRSZ + st.st_size);
	SET_VARSIZE(result, VARHDRSZ + st.st_size);
	dst = VARDATA(result);
	left = st.st_size;
	while (left > 0)
	{
		ssize_t got = read(fd, dst, left);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			ereport(ERROR, (errcode_for_file_access(),
							errmsg("could not read temporary workbook \"%s\": %m", path)));
		if (got == 0)
			ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
							errmsg("temporary workbook \"%s\" ended %zu bytes early", path, left)));
		dst += got;
		left -= got;
	}
	CloseTransientFile(fd);
	return result;
}

bytea *
xlsx_tempfile_write(XlsxBuildFn build, void *arg, bool constant_memory)
{
	XlsxPending *p = pending_create();
	lxw_workbook *volatile wb = NULL;
	bytea *volatile result = NULL;

	PG_TRY();
	{
		lxw_workbook_options opts = {0};
		lxw_error            err;

		opts.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
		opts.tmpdir = p->dir;
		opts.use_zip64 = LXW_FALSE;
		wb = workbook_new_opt(p->path, &opts);
		if (wb == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
							errmsg("could not start a workbook in \"%s\"", p->path)));
		build(wb, arg);

		/* workbook_close() frees the workbook whatever it returns. */
		err = workbook_close(wb);
		wb = NULL;
		if (err != LXW_NO_ERROR)
			ereport(ERROR,
					(errcode(ERRCODE_IO_ERROR),
					 errmsg("could not write workbook \"%s\": %s", p->path, lxw_strerror(err)),
					 errhint("Check the space of temp_tablespaces.")));
		result = read_back(p->path);
	}
	PG_FINALLY();
	{
		if (wb != NULL)
			lxw_workbook_free(wb);
		pending_remove(p);
	}
	PG_END_TRY();
	return result;
}
