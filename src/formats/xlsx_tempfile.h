/*
 * xlsx_tempfile.h
 *		A libxlsxwriter workbook written through a temporary file of the
 *		backend and returned as a bytea.
 *
 * Debian's libxlsxwriter (1.1.4) writes a workbook only to a named file: it
 * has no output to memory.  xlsx_tempfile_write() gives it a fresh file in
 * the backend's temporary directory (the temp tablespace's pgsql_tmp), lets
 * the caller fill the workbook, closes it, reads the file back and removes
 * it.  The file is removed on every way out: normal return, an error raised
 * by the caller's build function or by libxlsxwriter (PG_FINALLY), and the
 * backend's exit (an on_proc_exit callback, for FATAL errors); after a crash
 * the server's start-up removes it with its own pgsql_tmp* files.
 *
 * Usage:
 *		static void build(lxw_workbook *wb, void *arg) { ...worksheet_write_*... }
 *		bytea *xlsx = xlsx_tempfile_write(build, &my_state, false);
 *
 * The build function may raise errors and run SPI; it must not call
 * workbook_close() (the wrapper does).  constant_memory is libxlsxwriter's
 * option of that name: rows must then be written in order, and each sheet
 * goes to its own anonymous temporary file in the same directory.
 */
#ifndef FORMATS_XLSX_TEMPFILE_H
#define FORMATS_XLSX_TEMPFILE_H

#include <xlsxwriter.h>

typedef void (*XlsxBuildFn)(lxw_workbook *wb, void *arg);

extern bytea *xlsx_tempfile_write(XlsxBuildFn build, void *arg, bool constant_memory);

#endif /* FORMATS_XLSX_TEMPFILE_H */
