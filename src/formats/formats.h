/*
 * formats.h
 *		The file channels of the intake: .xlsx and CSV files in (submit_xlsx,
 *		submit_csv), read by the pure cores of this folder and fed row by row
 *		into the same load as submit() (src/intake/).
 */
#ifndef TAXSHARE_FORMATS_H
#define TAXSHARE_FORMATS_H

#include "formats/formats_core.h"

/* Settings (formats_fmgr.c): the caps against hostile workbooks. */
extern void formats_init(void);
extern void formats_limits(FormatsLimits *lim);

/* Raise err as an ERROR with a SQLSTATE, the offending value and a hint. */
extern void formats_report(const FormatsError *err, const char *what) pg_attribute_noreturn();

#endif /* TAXSHARE_FORMATS_H */
