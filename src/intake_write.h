/*
 * intake_write.h
 *		The record writer's buffer, shared by intake_write.c (buffering, the
 *		SPI path) and intake_write_fast.c (the multi-insert path).
 */
#ifndef TAXSHARE_INTAKE_WRITE_H
#define TAXSHARE_INTAKE_WRITE_H

#include "intake.h"

/* Columns of a buffered record, in this order (names as in taxshare.record). */
typedef enum RecordColumn
{
	RC_ID,
	RC_SUBMISSION,
	RC_ROW_NO,
	RC_STATUS,
	RC_PAYLOAD,
	RC_RAW,
	RC_USCC,
	RC_IDCARD,
	RC_ORGCODE,
	RECORD_NCOLS
} RecordColumn;

/* submission_id, row_no, field, code, message */
#define ERROR_NCOLS 5

struct IntakeWriter
{
	MemoryContext bufcxt;		/* buffered values; reset after each flush */
	int64		submission_id;
	int			nrec;
	Datum		rec_values[INTAKE_CHUNK * RECORD_NCOLS];
	char		rec_nulls[INTAKE_CHUNK * RECORD_NCOLS]; /* SPI style: 'n' or ' ' */
	int			nerr;
	Datum		err_values[INTAKE_CHUNK * ERROR_NCOLS];
	char		err_nulls[INTAKE_CHUNK * ERROR_NCOLS];
	Datum		accepted;
	Datum		rejected;
};

/*
 * Insert the buffered records with table_multi_insert; false (nothing done)
 * when taxshare.record has INSERT triggers or row-level security applies.
 */
extern bool intake_write_fast(IntakeWriter *w);

#endif							/* TAXSHARE_INTAKE_WRITE_H */
