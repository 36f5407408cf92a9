/*
 * intake_write.h
 *		The record writer's buffer, shared by intake_write.c (buffering, the
 *		SPI path) and intake_write_bulk.c (the bulk_insert.c path).
 */
#ifndef TAXSHARE_INTAKE_WRITE_H
#define TAXSHARE_INTAKE_WRITE_H

#include "storage/itemptr.h"
#include "utils/relcache.h"
#include "utils/resowner.h"

#include "intake/intake.h"

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

/* intake_gin.c: the GIN identifier index written in bulk */
typedef struct IntakeGin IntakeGin;
struct GinState;

/*
 * submission_id, row_no, field, code, message, and for the file channels
 * cell (0.2.0: a load of submit() or the inbox leaves it out, so the library
 * also writes into a 0.1.0 schema until ALTER EXTENSION ... UPDATE).
 */
#define ERROR_NCOLS         6
#define ERROR_NCOLS_NO_CELL 5

struct BulkInsert;

struct IntakeWriter
{
	MemoryContext               cxt;    /* the load's: the writer and what lasts the load */
	ResourceOwner               owner;  /* of the (sub)transaction that opened the load */
	MemoryContext               bufcxt; /* buffered values; reset after each flush */
	int64                       submission_id;
	Oid                         run_as; /* chunks are written as this role (intake_owner.c) */
	int                         nrec;
	Datum                       rec_values[INTAKE_CHUNK * RECORD_NCOLS];
	char                        rec_nulls[INTAKE_CHUNK * RECORD_NCOLS]; /* SPI style: 'n' or ' ' */
	int                         nerr;
	Datum                       err_values[INTAKE_CHUNK * ERROR_NCOLS];
	char                        err_nulls[INTAKE_CHUNK * ERROR_NCOLS];
	int                         err_ncols; /* ERROR_NCOLS with cells, else ERROR_NCOLS_NO_CELL */
	Datum                       accepted;
	Datum                       rejected;
	struct LedgerRunningDigest *digest;       /* of every record, in row order */
	bool                        digest_valid; /* false once a record went through the executor */
	IntakeGin                  *gin;          /* keys of a GIN index not yet written, or NULL */
	struct GinState            *ginstate;     /* of that index, while rec_bulk is open */
	struct BulkInsert          *rec_bulk;     /* open from the first chunk to the end */
	struct BulkInsert          *err_bulk;
	bool                        rec_sql; /* bulk_insert refused record: SQL path */
	bool                        err_sql; /* the same for record_error */
};

/*
 * intake_write_bulk.c: hand the buffered records (errors) to the load's bulk
 * writer; false (nothing done) when bulk_insert refuses the table (INSERT
 * triggers, row-level security applying, no INSERT privilege), for the rest
 * of the load.  intake_write_bulk_end() writes what they hold and closes them.
 */
extern bool intake_write_bulk(IntakeWriter *w);
extern bool intake_write_bulk_errors(IntakeWriter *w);
extern void intake_write_bulk_end(IntakeWriter *w);

extern bool       intake_gin_eligible(Relation index);
extern IntakeGin *intake_gin_create(MemoryContext parent, Oid indexoid);
extern Oid        intake_gin_index(const IntakeGin *g);
extern void intake_gin_add(IntakeGin *g, struct GinState *ginstate, ItemPointer tid, Datum *values,
						   bool *isnull);
extern bool intake_gin_full(const IntakeGin *g);
extern void intake_gin_write(IntakeGin *g);

#endif /* TAXSHARE_INTAKE_WRITE_H */
