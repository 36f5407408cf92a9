/*
 * risk_list_index.h
 *		grade_risks() writes risk_score's list index (period_start, grade,
 *		rank) in key order once the rows are written (risk_list_index.c).
 */
#ifndef TAXSHARE_RISK_LIST_INDEX_H
#define TAXSHARE_RISK_LIST_INDEX_H

#include "postgres.h"

#include "utils/date.h"

#include "common/bulk_insert.h"
#include "common/progress.h"

typedef struct RiskListIndex RiskListIndex;

/*
 * Claims the list index from the bulk writer of the period's n rows (ranks
 * 1..n); low, medium and high are the grade enum's values.  Call before the
 * first row.  Lives in the current memory context (6 + 1 bytes per rank).
 */
extern RiskListIndex *risk_list_index_claim(BulkInsert *bi, int32 n, DateADT period, Datum low,
											Datum medium, Datum high);

/* After bulk_insert_end(): the held entries, in index order. */
extern void risk_list_index_write(RiskListIndex *li, ProgressState *progress);

#endif /* TAXSHARE_RISK_LIST_INDEX_H */
