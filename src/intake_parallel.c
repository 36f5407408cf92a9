/*
 * intake_parallel.c
 *		submit() of a large batch: a parallel worker checks the rows while the
 *		backend writes them.
 *
 * Checking a row (reading its object, every field, constraint and rule, its
 * payload and identifier arrays) and writing it (heap, indexes, the ledger's
 * digest) cost about the same, and they need not happen in one process.  The
 * backend sends the batch's elements to one worker over a shared-memory queue,
 * in chunks; the worker checks them in order -- it alone holds the sets behind
 * unique and primaryKey -- and sends each row's record and errors back over a
 * second queue, in chunks; the backend writes them as they come.  Row numbers,
 * the order of records and errors and what is stored are those of a load
 * checked in the backend (intake_row()): the same functions produce them.
 *
 * From the launch to the end the backend is in parallel mode and runs no SQL;
 * so a load goes parallel only when its records and errors both take
 * bulk_insert's path (intake_writer_open_bulk).  Without a free worker
 * (max_worker_processes, max_parallel_workers) the load is checked in the
 * backend.  An error in the worker is raised in the backend, which ends the
 * load; an error or a cancel in the backend ends the worker with the
 * transaction.
 *
 * Only submit() goes parallel: the inbox's rows arrive inside the caller's
 * COPY or INSERT, which parallel mode would restrict (no nextval(), no writes
 * by functions in it) while the load is open.
 *
 * Messages are MAXALIGNed throughout (shm_mq delivers them so): a header,
 * then entries each padded to MAXALIGN.
 *   backend -> worker  MSG_ROWS: count elements, each a jsonb varlena
 *                      MSG_END: no more rows
 *   worker -> backend  MSG_ROWS: count records (RowWire, its varlenas, its
 *                      errors as ErrorWire with code and message)
 *                      MSG_END: the keys that were not fields (count names
 *                      as UnknownWire, then the name), after the last row
 */
#include "taxshare.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "intake.h"

PGDLLEXPORT void intake_parallel_main(dsm_segment *seg, shm_toc *toc);

/* taxshare.parallel_intake_min_rows: -1 never */
int			intake_parallel_min_rows = 10000;

#define KEY_SHARED			UINT64CONST(0x7458000000000001)
#define KEY_TO_WORKER		UINT64CONST(0x7458000000000002)
#define KEY_FROM_WORKER		UINT64CONST(0x7458000000000003)

/* Each way; a chunk of some 64 kB is one message. */
#define QUEUE_BYTES			(4 * 1024 * 1024)
#define CHUNK_BYTES			(64 * 1024)

#define ITEM_CODE_BYTES		256

typedef struct IntakeParallelShared
{
	char		item_code[ITEM_CODE_BYTES];
	int32		item_version;
	ValidateLang lang;
} IntakeParallelShared;

typedef enum MsgKind
{
	MSG_ROWS = 1,
	MSG_END = 2
} MsgKind;

typedef struct MsgHeader
{
	uint32		kind;
	uint32		count;
} MsgHeader;

/* RowWire.flags: accepted, and which varlenas follow, in this order */
#define ROW_ACCEPTED	0x01
#define ROW_PAYLOAD		0x02
#define ROW_RAW			0x04
#define ROW_USCC		0x08
#define ROW_IDCARD		0x10
#define ROW_ORGCODE		0x20

typedef struct RowWire
{
	int32		row_no;
	uint16		flags;
	uint16		nerrors;
} RowWire;

/* followed by code, NUL, message, NUL */
typedef struct ErrorWire
{
	int32		field;
	uint32		code_len;
	uint32		message_len;
} ErrorWire;

/* followed by the name (name_len bytes) */
typedef struct UnknownWire
{
	int64		count;
	uint32		name_len;
} UnknownWire;

struct IntakeParallel
{
	ParallelContext *pcxt;
	shm_mq_handle *to_worker;
	shm_mq_handle *from_worker;
	StringInfoData chunk;		/* elements not yet sent */
	uint32		nchunk;
};

void
intake_parallel_init(void)
{
	DefineCustomIntVariable("taxshare.parallel_intake_min_rows",
							"A submit() of at least this many rows checks them in a parallel worker while it writes them; -1: never.",
							"Needs a free worker (max_worker_processes, max_parallel_workers).",
							&intake_parallel_min_rows, 10000, -1, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
}

/* Append len bytes and pad to MAXALIGN. */
static void
put(StringInfo buf, const void *data, Size len)
{
	Size		pad = MAXALIGN(len) - len;

	enlargeStringInfo(buf, (int) (len + pad));
	memcpy(buf->data + buf->len, data, len);
	memset(buf->data + buf->len + len, 0, pad);
	buf->len += (int) (len + pad);
}

/* Start a message of kind in buf (emptied); its count is set when it is sent. */
static void
begin_message(StringInfo buf, MsgKind kind)
{
	MsgHeader	h = {kind, 0};

	resetStringInfo(buf);
	put(buf, &h, sizeof(h));
}

static void
set_count(StringInfo buf, uint32 count)
{
	((MsgHeader *) buf->data)->count = count;
}

/* A varlena as the receiving side reads it: 4-byte header, MAXALIGNed. */
static void
put_varlena(StringInfo buf, const void *v)
{
	Assert(!VARATT_IS_EXTENDED(v));
	put(buf, v, VARSIZE(v));
}

static const char *
take(const char **p, Size len)
{
	const char *at = *p;

	*p += MAXALIGN(len);
	return at;
}

static const struct varlena *
take_varlena(const char **p)
{
	return (const struct varlena *) take(p, VARSIZE(*p));
}

/* --- the backend's side ------------------------------------------------ */

/* The worker detached: raise its error, or say it vanished. */
static void
worker_gone(IntakeParallel *p)
{
	WaitForParallelWorkersToFinish(p->pcxt);
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("the parallel intake worker ended before the batch was checked"),
			 errhint("See the server log; taxshare.parallel_intake_min_rows = -1 checks batches in the backend.")));
}

/* Write the records of one MSG_ROWS message. */
static void
emit_rows(IntakeLoad *load, const char *data)
{
	const MsgHeader *h = (const MsgHeader *) data;
	const char *p = data + MAXALIGN(sizeof(MsgHeader));
	MemoryContext old = MemoryContextSwitchTo(load->rowcxt);
	uint32		n;

	for (n = 0; n < h->count; n++)
	{
		const RowWire *rw = (const RowWire *) take(&p, sizeof(RowWire));
		IntakeRowOut out;
		ValidateError *errors = NULL;
		int			i;

		out.row_no = rw->row_no;
		out.accepted = (rw->flags & ROW_ACCEPTED) != 0;
		out.payload = (rw->flags & ROW_PAYLOAD) ? (Jsonb *) take_varlena(&p) : NULL;
		out.raw = (rw->flags & ROW_RAW) ? (Jsonb *) take_varlena(&p) : NULL;
		out.uscc = (rw->flags & ROW_USCC) ? PointerGetDatum(take_varlena(&p)) : (Datum) 0;
		out.idcard = (rw->flags & ROW_IDCARD) ? PointerGetDatum(take_varlena(&p)) : (Datum) 0;
		out.orgcode = (rw->flags & ROW_ORGCODE) ? PointerGetDatum(take_varlena(&p)) : (Datum) 0;
		if (rw->nerrors > 0)
			errors = palloc(sizeof(ValidateError) * rw->nerrors);
		for (i = 0; i < rw->nerrors; i++)
		{
			const ErrorWire *ew = (const ErrorWire *) take(&p, sizeof(ErrorWire));
			const char *text = take(&p, ew->code_len + 1 + ew->message_len + 1);

			errors[i].field = ew->field;
			errors[i].code = text;
			errors[i].message = text + ew->code_len + 1;
		}
		out.nerrors = rw->nerrors;
		out.errors = errors;
		intake_row_emit(load, &out);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(load->rowcxt);
}

/* Count the keys the worker found that are not fields (MSG_END). */
static void
take_unknown(IntakeLoad *load, const char *data)
{
	const MsgHeader *h = (const MsgHeader *) data;
	const char *p = data + MAXALIGN(sizeof(MsgHeader));
	uint32		n;

	load->unknown_other += *(const int64 *) take(&p, sizeof(int64));
	for (n = 0; n < h->count; n++)
	{
		const UnknownWire *u = (const UnknownWire *) take(&p, sizeof(UnknownWire));
		const char *name = take(&p, u->name_len);

		intake_count_unknown(load, name, (int) u->name_len, u->count);
	}
}

/*
 * Write what the worker has sent; wait for it when wait.  True when anything
 * came (or, waiting, when its MSG_END came: *ended).
 */
static bool
drain(IntakeParallel *p, IntakeLoad *load, bool wait, bool *ended)
{
	bool		got = false;

	for (;;)
	{
		Size		len;
		void	   *data;
		shm_mq_result r = shm_mq_receive(p->from_worker, &len, &data, !wait);

		if (r == SHM_MQ_WOULD_BLOCK)
			return got;
		if (r != SHM_MQ_SUCCESS)
			worker_gone(p);
		got = true;
		if (((const MsgHeader *) data)->kind == MSG_END)
		{
			take_unknown(load, data);
			*ended = true;
			return true;
		}
		emit_rows(load, data);
		if (wait)
			return true;
	}
}

/* Send the chunk (or MSG_END), writing what comes back while the worker is behind. */
static void
send_chunk(IntakeParallel *p, IntakeLoad *load, bool last)
{
	bool		ended = false;

	for (;;)
	{
		shm_mq_result r = shm_mq_send(p->to_worker, p->chunk.len, p->chunk.data, true, last);

		if (r == SHM_MQ_SUCCESS)
			break;
		if (r == SHM_MQ_DETACHED)
			worker_gone(p);
		if (!drain(p, load, false, &ended))
		{
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_EXIT_ON_PM_DEATH, -1L, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
		}
		CHECK_FOR_INTERRUPTS();
	}
	if (!last)
		(void) drain(p, load, false, &ended);
	begin_message(&p->chunk, MSG_ROWS);
	p->nchunk = 0;
}

IntakeParallel *
intake_parallel_begin(IntakeLoad *load, int64 expected_rows)
{
	IntakeParallel *p;
	ParallelContext *pcxt;
	IntakeParallelShared *sh;
	shm_mq	   *to_worker;
	shm_mq	   *from_worker;
	MemoryContext old;

	if (intake_parallel_min_rows < 0 || expected_rows < Max(intake_parallel_min_rows, 1) ||
		IsInParallelMode() || strlen(load->item->code) >= ITEM_CODE_BYTES ||
		!intake_writer_open_bulk(load->writer))
		return NULL;

	/* The records are written under the transaction id the submission row took. */
	(void) GetCurrentTransactionId();
	EnterParallelMode();
	pcxt = CreateParallelContext("taxshare", "intake_parallel_main", 1);
	shm_toc_estimate_chunk(&pcxt->estimator, sizeof(IntakeParallelShared));
	shm_toc_estimate_chunk(&pcxt->estimator, QUEUE_BYTES);
	shm_toc_estimate_chunk(&pcxt->estimator, QUEUE_BYTES);
	shm_toc_estimate_keys(&pcxt->estimator, 3);
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had: check in the backend */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}

	sh = shm_toc_allocate(pcxt->toc, sizeof(IntakeParallelShared));
	memset(sh, 0, sizeof(*sh));
	strlcpy(sh->item_code, load->item->code, ITEM_CODE_BYTES);
	sh->item_version = load->item->version;
	sh->lang = load->batch.lang;
	shm_toc_insert(pcxt->toc, KEY_SHARED, sh);
	to_worker = shm_mq_create(shm_toc_allocate(pcxt->toc, QUEUE_BYTES), QUEUE_BYTES);
	shm_toc_insert(pcxt->toc, KEY_TO_WORKER, to_worker);
	shm_mq_set_sender(to_worker, MyProc);
	from_worker = shm_mq_create(shm_toc_allocate(pcxt->toc, QUEUE_BYTES), QUEUE_BYTES);
	shm_toc_insert(pcxt->toc, KEY_FROM_WORKER, from_worker);
	shm_mq_set_receiver(from_worker, MyProc);

	LaunchParallelWorkers(pcxt);
	if (pcxt->nworkers_launched == 0)
	{
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return NULL;
	}

	old = MemoryContextSwitchTo(load->cxt);
	p = palloc0(sizeof(IntakeParallel));
	p->pcxt = pcxt;
	p->to_worker = shm_mq_attach(to_worker, pcxt->seg, pcxt->worker[0].bgwhandle);
	p->from_worker = shm_mq_attach(from_worker, pcxt->seg, pcxt->worker[0].bgwhandle);
	initStringInfo(&p->chunk);
	begin_message(&p->chunk, MSG_ROWS);
	MemoryContextSwitchTo(old);
	ereport(DEBUG1,
			(errmsg_internal("taxshare: the rows of catalog item \"%s\" are checked by a parallel worker",
							 load->item->code)));
	return p;
}

/* Number the element and send it on (in the next chunk). */
void
intake_parallel_row(IntakeParallel *p, IntakeLoad *load, JsonbValue *elem)
{
	CHECK_FOR_INTERRUPTS();
	(void) intake_next_row_no(load);
	if (elem->type == jbvBinary)
	{
		/* the container as a jsonb of its own, as JsonbValueToJsonb() makes it */
		uint32		size = VARHDRSZ + elem->val.binary.len;
		Size		pad = MAXALIGN(size) - size;
		StringInfo	buf = &p->chunk;

		enlargeStringInfo(buf, (int) (size + pad));
		SET_VARSIZE(buf->data + buf->len, size);
		memcpy(buf->data + buf->len + VARHDRSZ, elem->val.binary.data, elem->val.binary.len);
		memset(buf->data + buf->len + size, 0, pad);
		buf->len += (int) (size + pad);
	}
	else
	{
		MemoryContext old = MemoryContextSwitchTo(load->rowcxt);

		put_varlena(&p->chunk, JsonbValueToJsonb(elem));
		MemoryContextSwitchTo(old);
		MemoryContextReset(load->rowcxt);
	}
	set_count(&p->chunk, ++p->nchunk);
	if (p->chunk.len >= CHUNK_BYTES)
		send_chunk(p, load, false);
}

/* Send the rest, write every record, end the worker and parallel mode. */
void
intake_parallel_end(IntakeParallel *p, IntakeLoad *load)
{
	bool		ended = false;

	if (p->nchunk > 0)
		send_chunk(p, load, false);
	begin_message(&p->chunk, MSG_END);
	send_chunk(p, load, true);
	while (!ended)
	{
		(void) drain(p, load, true, &ended);
		CHECK_FOR_INTERRUPTS();
	}
	WaitForParallelWorkersToFinish(p->pcxt);
	DestroyParallelContext(p->pcxt);
	ExitParallelMode();
	pfree(p->chunk.data);
	pfree(p);
}

/* --- the worker's side -------------------------------------------------- */

static void
put_row(StringInfo buf, const IntakeRowOut *out)
{
	RowWire		rw;
	int			i;

	rw.row_no = out->row_no;
	rw.flags = (out->accepted ? ROW_ACCEPTED : 0) | (out->payload ? ROW_PAYLOAD : 0) |
		(out->raw ? ROW_RAW : 0) | (out->uscc ? ROW_USCC : 0) |
		(out->idcard ? ROW_IDCARD : 0) | (out->orgcode ? ROW_ORGCODE : 0);
	if (out->nerrors > PG_UINT16_MAX)
		elog(ERROR, "taxshare: row %d has more errors than a parallel intake can pass", out->row_no);
	rw.nerrors = (uint16) out->nerrors;
	put(buf, &rw, sizeof(rw));
	if (out->payload)
		put_varlena(buf, out->payload);
	if (out->raw)
		put_varlena(buf, out->raw);
	if (out->uscc)
		put_varlena(buf, DatumGetPointer(out->uscc));
	if (out->idcard)
		put_varlena(buf, DatumGetPointer(out->idcard));
	if (out->orgcode)
		put_varlena(buf, DatumGetPointer(out->orgcode));
	for (i = 0; i < out->nerrors; i++)
	{
		const ValidateError *e = &out->errors[i];
		ErrorWire	ew;
		Size		len;
		Size		pad;
		char	   *at;

		ew.field = e->field;
		ew.code_len = (uint32) strlen(e->code);
		ew.message_len = (uint32) strlen(e->message);
		put(buf, &ew, sizeof(ew));
		/* code NUL message NUL, padded as one entry */
		len = ew.code_len + 1 + ew.message_len + 1;
		pad = MAXALIGN(len) - len;
		enlargeStringInfo(buf, (int) (len + pad));
		at = buf->data + buf->len;
		memcpy(at, e->code, ew.code_len + 1);
		memcpy(at + ew.code_len + 1, e->message, ew.message_len + 1);
		memset(at + len, 0, pad);
		buf->len += (int) (len + pad);
	}
}

static void
put_unknown(StringInfo buf, const IntakeLoad *load)
{
	int			i;

	begin_message(buf, MSG_END);
	put(buf, &load->unknown_other, sizeof(int64));
	for (i = 0; i < load->nunknown; i++)
	{
		UnknownWire u;

		u.count = load->unknown_counts[i];
		u.name_len = (uint32) strlen(load->unknown_names[i]);
		put(buf, &u, sizeof(u));
		put(buf, load->unknown_names[i], u.name_len);
	}
	set_count(buf, (uint32) load->nunknown);
}

/* False when the backend is gone (it is ending the transaction). */
static bool
worker_send(shm_mq_handle *out, StringInfo buf, bool last)
{
	return shm_mq_send(out, buf->len, buf->data, false, last) == SHM_MQ_SUCCESS;
}

/* The worker: check the elements it is sent, in order, and send back the rows. */
void
intake_parallel_main(dsm_segment *seg, shm_toc *toc)
{
	IntakeParallelShared *sh = shm_toc_lookup(toc, KEY_SHARED, false);
	shm_mq	   *to_worker = shm_toc_lookup(toc, KEY_TO_WORKER, false);
	shm_mq	   *from_worker = shm_toc_lookup(toc, KEY_FROM_WORKER, false);
	shm_mq_handle *in;
	shm_mq_handle *out;
	CatalogItem *item;
	IntakeLoad *load;
	StringInfoData buf;
	uint32		nrows = 0;
	int32		row_no = 0;

	shm_mq_set_receiver(to_worker, MyProc);
	shm_mq_set_sender(from_worker, MyProc);
	in = shm_mq_attach(to_worker, seg, NULL);
	out = shm_mq_attach(from_worker, seg, NULL);

	item = catalog_item_get(sh->item_code, sh->item_version);
	if (item == NULL)
		elog(ERROR, "taxshare: catalog item \"%s\" version %d not found by the intake worker",
			 sh->item_code, sh->item_version);
	load = intake_load_create(item, sh->lang);
	initStringInfo(&buf);
	begin_message(&buf, MSG_ROWS);

	for (;;)
	{
		Size		len;
		void	   *data;
		const MsgHeader *h;
		const char *p;
		uint32		n;

		if (shm_mq_receive(in, &len, &data, false) != SHM_MQ_SUCCESS)
			return;
		h = (const MsgHeader *) data;
		if (h->kind == MSG_END)
			break;
		p = (const char *) data + MAXALIGN(sizeof(MsgHeader));
		for (n = 0; n < h->count; n++)
		{
			Jsonb	   *jb = (Jsonb *) take_varlena(&p);
			JsonbValue	elem;
			IntakeRowOut res;
			MemoryContext old;

			if (JB_ROOT_IS_SCALAR(jb))
				JsonbExtractScalar(&jb->root, &elem);
			else
			{
				elem.type = jbvBinary;
				elem.val.binary.data = &jb->root;
				elem.val.binary.len = VARSIZE(jb) - VARHDRSZ;
			}
			old = MemoryContextSwitchTo(load->rowcxt);
			intake_row_check(load, &elem, ++row_no, &res);
			MemoryContextSwitchTo(old);
			put_row(&buf, &res);
			MemoryContextReset(load->rowcxt);
			set_count(&buf, ++nrows);
			if (buf.len >= CHUNK_BYTES)
			{
				if (!worker_send(out, &buf, false))
					return;
				begin_message(&buf, MSG_ROWS);
				nrows = 0;
			}
		}
		CHECK_FOR_INTERRUPTS();
	}
	if (nrows > 0 && !worker_send(out, &buf, false))
		return;
	put_unknown(&buf, load);
	(void) worker_send(out, &buf, true);
	catalog_item_release(item);
}
