/*
 * taxshare.h
 *		Declarations shared by the fmgr glue of every module.
 *
 * The pure cores (the Makefile's CORE_SRCS: ident/ident.c, calendar/calendar.c,
 * ...) do not include this header: they take plain C types so that unit tests
 * and fuzzers can call them outside the server.
 */
#ifndef TAXSHARE_H
#define TAXSHARE_H

#include "postgres.h"

/*
 * taxshare.language: the language of the messages taxshare stores in tables
 * (record_error.message, risk reasons rendered for reading).  Shared by every
 * module, so it is defined in taxshare.c.
 */
typedef enum TaxshareLang
{
	TAXSHARE_LANG_ZH = 0,
	TAXSHARE_LANG_EN = 1
} TaxshareLang;

extern TaxshareLang taxshare_language(void);

/* Per-module initialisation, called from _PG_init in taxshare.c. */
extern void progress_init(void);
extern void calendar_init(void);

#endif /* TAXSHARE_H */
