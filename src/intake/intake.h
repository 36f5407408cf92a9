/*
 * intake.h
 *		Loading a batch of reported rows into one submission: the load and
 *		its steps, shared by submit() and the inbox.
 *
 * intake_begin() opens a load, intake_row() checks one batch element and
 * hands its record and errors to the writer, intake_finish() writes the rest
 * and closes the submission.  src/intake/README.md tells the whole story: the
 * ways in, who runs as whom, the writers, the parallel worker.
 */
#ifndef TAXSHARE_INTAKE_H
#define TAXSHARE_INTAKE_H

#include "access/xact.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "catalog/catalog_cache.h"
#include "common/progress.h"
#include "validate/validate.h"

/* Rows (and errors) per INSERT statement of the writer. */
#define INTAKE_CHUNK 128

/*
 * A record's id is its submission and its row: (submission_id << 32) + row_no.
 * No sequence to draw from per row, and one primary-key index serves both
 * "this record" and "the records of this submission" (an id range).
 */
#define INTAKE_RECORD_ID(submission_id, row_no) (((int64) (submission_id) << 32) + (int64) (row_no))

/* Distinct unknown keys counted by name; the rest are counted together. */
#define INTAKE_MAX_UNKNOWN 32

typedef struct IntakeSource
{
	const char           *item;
	const char           *unit;
	DateADT               period_start;
	const char           *channel; /* api, inbox, xlsx, xml, csv */
	bool                  has_exchange;
	TimestampTz           received_at_exchange; /* when the exchange platform received it */
	Oid                   run_as;               /* role to read and write tables as (the inbox
								 * trigger's owner), or InvalidOid: the current
								 * user (SECURITY DEFINER submit()) */
	const char           *client_ref;           /* the client's reference of the batch, or NULL */
	const struct varlena *client_content;       /* what it sent (rows or file), with client_ref */
} IntakeSource;

/*
 * intake_owner.c: the steps of a load that run SQL or touch tables run as
 * run_as with this search_path (the SET clause of submit() and the inbox
 * functions); the per-row validation runs as the caller.
 */
#define INTAKE_SEARCH_PATH "pg_catalog, taxshare, pg_temp"

typedef struct IntakeOwnerSwitch
{
	bool active;
	Oid  saved_user;
	int  saved_context;
	int  nestlevel;
} IntakeOwnerSwitch;

extern Oid  intake_function_owner(Oid fn);
extern void intake_owner_enter(Oid owner, IntakeOwnerSwitch *s);
extern void intake_owner_leave(IntakeOwnerSwitch *s);

typedef struct IntakeWriter IntakeWriter;

typedef struct IntakeLoad
{
	MemoryContext          cxt;    /* everything of the load */
	MemoryContext          rowcxt; /* reset after each row */
	char                  *item_code;
	char                  *unit_code;
	DateADT                period_start;
	char                  *channel;
	SubTransactionId       subid;  /* the inbox drops loads of aborted subtransactions */
	Oid                    run_as; /* IntakeSource.run_as */
	int64                  submission_id;
	int64                  retry_of; /* a retry: the submission that has it, nothing to load */
	CatalogItem           *item;
	ValidateBatch          batch;
	ValidateMem            rowmem;
	RawValue              *raw;       /* one per field, reused for every row */
	struct ValidateSet    *divisions; /* known division codes, NULL: no list */
	struct ValidateSet    *provinces; /* two-digit prefixes the list covers */
	IntakeWriter          *writer;
	struct IntakeParallel *parallel;         /* the worker checking its rows, or NULL */
	bool                   parallel_refused; /* the inbox: this load stays in the backend */
	int64                  rows_total;
	int64                  rows_accepted;
	int64                  rows_rejected;
	int64                  errors;
	int                    nunknown;
	char                  *unknown_names[INTAKE_MAX_UNKNOWN];
	int64                  unknown_counts[INTAKE_MAX_UNKNOWN];
	int64                  unknown_other;
	ProgressState          progress;
	/*
	 * A file channel (src/formats/): per field, the letters of its column in
	 * the file, or NULL; and the file's row of the record being checked.
	 * Errors then carry the cell (record_error.cell) and name it in their
	 * message.  NULL for submit() and the inbox.
	 */
	const char *const *cell_cols;
	int32              file_row;
} IntakeLoad;

/* One checked row on its way to the writer. */
typedef struct IntakeRowOut
{
	int32                row_no;
	bool                 accepted;
	Jsonb               *payload; /* NULL: the element was not an object */
	Jsonb               *raw;     /* the element as sent, for rejected rows */
	Datum                uscc;    /* text[] of the row's identifiers, or 0 */
	Datum                idcard;
	Datum                orgcode;
	int                  nerrors;
	const ValidateError *errors;
} IntakeRowOut;

/* intake_load.c */
extern IntakeLoad *intake_begin(const IntakeSource *src, int64 expected_rows);
extern IntakeLoad *intake_load_create(CatalogItem *item, ValidateLang lang);
extern void        intake_row(IntakeLoad *load, JsonbValue *elem);
extern int32       intake_next_row_no(IntakeLoad *load);
extern void        intake_jsonb_element(Jsonb *jb, JsonbValue *elem);
extern void  intake_row_check(IntakeLoad *load, JsonbValue *elem, int32 row_no, IntakeRowOut *out);
extern void  intake_row_emit(IntakeLoad *load, const IntakeRowOut *out);
extern void  intake_count_unknown(IntakeLoad *load, const char *key, int len, int64 count);
extern int64 intake_finish(IntakeLoad *load);

/* intake_open.c: the submission a retry of the same client reference names, or 0. */
extern int64 intake_retry_find(const IntakeSource *src);

/*
 * intake_parallel.c: a large load checks its rows in a parallel worker while
 * the backend writes them.  intake_parallel_begin() is false when it cannot
 * (no worker free, a table that needs the SQL path): the load stays serial.
 * Until intake_parallel_end() the backend is in parallel mode and must run no
 * SQL; ending with hand_back lets the load go on in the backend.
 */
extern int  intake_parallel_min_rows;
extern void intake_parallel_init(void);
extern bool intake_parallel_wanted(int64 rows);
extern bool intake_parallel_begin(IntakeLoad *load);
extern void intake_parallel_row(IntakeLoad *load, JsonbValue *elem);
extern void intake_parallel_end(IntakeLoad *load, bool hand_back);

/* intake_open.c: the checks and the submission row of intake_begin() */
extern CatalogItem *intake_check_source(const IntakeSource *src, DateADT *period_end,
										char **caller);
extern int64 intake_open_submission(const IntakeSource *src, CatalogItem *item, DateADT period_end,
									ValidateLang lang, const char *caller);
extern void  intake_prepare_batch(IntakeLoad *load, ValidateLang lang);
extern void  intake_close_submission(IntakeLoad *load);

/* intake_write.c */
extern IntakeWriter *intake_writer_create(MemoryContext parent, int64 submission_id, Oid run_as);
extern void          intake_writer_with_cells(IntakeWriter *w);
extern void intake_writer_record(IntakeWriter *w, int32 row_no, bool accepted, Jsonb *payload,
								 Jsonb *raw, Datum uscc, Datum idcard, Datum orgcode);
extern void intake_writer_error(IntakeWriter *w, int32 row_no, const char *field, const char *code,
								const char *message, const char *cell);
extern void intake_writer_flush(IntakeWriter *w);
extern void intake_writer_finish(IntakeWriter *w);
extern bool intake_writer_open_bulk(IntakeWriter *w);
extern bool intake_writer_offer_digest(IntakeWriter *w);

/* intake_period.c */
extern bool        intake_period_check(const char *frequency, DateADT start, DateADT *end);
extern const char *intake_period_hint(const char *frequency);

#endif /* TAXSHARE_INTAKE_H */
