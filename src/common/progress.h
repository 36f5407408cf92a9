/*
 * progress.h
 *		Progress of long work, visible from other sessions.
 *
 * Long operations (a big submit, resolving entities, grading) call
 * progress_update() per unit of work.  At most every half second the session's
 * pg_stat_activity.query shows "taxshare <what>: <done> of <total> <unit>",
 * and every taxshare.progress_interval seconds (0 turns it off) a NOTICE says
 * the same.  progress_end() puts the original query text back.
 */
#ifndef TAXSHARE_PROGRESS_H
#define TAXSHARE_PROGRESS_H

#include "postgres.h"
#include "utils/timestamp.h"

typedef struct ProgressState
{
	const char *what;  /* e.g. "submit ZJ-SPF-001" */
	const char *unit;  /* e.g. "rows" */
	int64       total; /* 0 when unknown */
	int64       done;
	uint32      calls; /* only every 256th call reads the clock */
	TimestampTz started;
	TimestampTz last_activity;
	TimestampTz last_notice;
} ProgressState;

extern int taxshare_progress_interval;

extern void progress_begin(ProgressState *p, const char *what, const char *unit, int64 total);
extern void progress_update(ProgressState *p, int64 done);
extern void progress_end(ProgressState *p);

#endif /* TAXSHARE_PROGRESS_H */
