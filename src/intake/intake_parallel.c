/*
 * intake_parallel.c
 *		A large load: a parallel worker checks the rows while the backend
 *		writes them.
 *
 * The backend sends the load's elements to one worker over a shared-memory
 * queue, in chunks; the worker checks them in order with intake_row_check(),
 * as the backend would -- it alone holds the sets behind unique and
 * primaryKey meanwhile -- and sends each row's record and errors back over a
 * second queue, in chunks; the backend writes them as they come
 * (intake_row_emit()).  A load that goes parallel after some rows hands the
 * worker what it has gathered (the sets, the keys that were not fields), and
 * takes it back when it must go on in the backend.  From the launch to the
 * end the backend is in parallel mode and runs no SQL.  When a load goes
 * parallel and what parallel mode rules out: src/intake/README.md.
 *
 * Messages are MAXALIGNed throughout (shm_mq delivers them so): a header,
 * then entries each padded to MAXALIGN.
 *   MSG_STATE    either way: the load's unknown keys (count names as
 *                UnknownWire and the name, after the int64 of the others)
 *                and its sets' keys (an int64 count, then SetKeyWire and key)
 *   MSG_ROWS     backend -> worker: count elements, each a jsonb varlena;
 *                worker -> backend: count records (RowWire, its varlenas,
 *                its errors as ErrorWire with code and message)
 *   MSG_END      backend -> worker: no more rows (count 1: hand the sets
 *                back); worker -> backend: after the last row and the state
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

#include "intake/intake.h"
#include "validate/validate_set.h"

PGDLLEXPORT void intake_parallel_main(dsm_segment *seg, shm_toc *toc);

/* taxshare.parallel_intake_min_rows: -1 never */
int intake_parallel_min_rows = 10000;

#define KEY_SHARED      UINT64CONST(0x7458000000000001)
#define KEY_TO_WORKER   UINT64CONST(0x7458000000000002)
#define KEY_FROM_WORKER UINT64CONST(0x7458000000000003)

/* Each way; a chunk of some 64 kB is one message. */
#define QUEUE_BYTES (4 * 1024 * 1024)
#define CHUNK_BYTES (64 * 1024)

#define ITEM_CODE_BYTES 256

typedef struct IntakeParallelShared
{
	char         item_code[ITEM_CODE_BYTES];
	int32        item_version;
	ValidateLang lang;
	int64        first_row; /* the number of the first row the worker checks */
} IntakeParallelShared;

typedef enum MsgKind
{
	MSG_STATE = 1,
	MSG_ROWS = 2,
	MSG_END = 3
} MsgKind;

typedef struct MsgHeader
{
	uint32 kind;
	uint32 count;
} MsgHeader;

/* RowWire.flags: accepted, and which varlenas follow, in this order */
#define ROW_ACCEPTED 0x01
#define ROW_PAYLOAD  0x02
#define ROW_RAW      0x04
#define ROW_USCC     0x08
#define ROW_IDCARD   0x10
#define ROW_ORGCODE  0x20

typedef struct RowWire
{
	int32  row_no;
	uint16 flags;
	uint16 nerrors;
} RowWire;

/* followed by code, NUL, message, NUL */
typedef struct ErrorWire
{
	int32  field;
	uint32 code_len;
	uint32 message_len;
} ErrorWire;

/* followed by the name (name_len bytes) */
typedef struct UnknownWire
{
	int64  count;
	uint32 name_len;
} UnknownWire;

/* followed by the key; set is a field index, or nfields for the primary key */
typedef struct SetKeyWire
{
	int32  set;
	int32  row_no;
	uint32 len;
} SetKeyWire;

typedef struct IntakeParallel
{
	ParallelContext *pcxt;
	shm_mq_handle   *to_worker;
	shm_mq_handle   *from_worker;
	StringInfoData   chunk; /* elements not yet sent */
	uint32           nchunk;
} IntakeParallel;

void
intake_parallel_init(void)
{
	DefineCustomIntVariable("taxshare.parallel_intake_min_rows",
							"A submit() of at least this many rows checks them in a parallel "
							"worker while it writes them; -1: never.",
							"Needs a free worker (max_worker_processes, max_parallel_workers).",
							&intake_parallel_min_rows, 10000, -1, INT_MAX, PGC_USERSET, 0, NULL,
							NULL, NULL);
}

/* Append len bytes and pad to MAXALIGN. */
static void
put(StringInfo buf, const void *data, Size len)
{
	Size pad = MAXALIGN(len) - len;

	enlargeStringInfo(buf, (int) (len + pad));
	memcpy(buf->data + buf->len, data, len);
	memset(buf->data + buf->len + len, 0, pad);
	buf->len += (int) (len + pad);
}

/* Start a message of kind in buf (emptied); its count is set when it is sent. */
static void
begin_message(StringInfo buf, MsgKind kind)
{
	MsgHeader h = {kind, 0};

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

/* --- the load's state, either way ---------------------------------------- */

static ValidateSet *
state_set(IntakeLoad *load, int32 set)
{
	const ItemSpec *spec = &load->item->spec;

	if (set == spec->nfields)
		return load->batch.pk;
	if (set < 0 || set > spec->nfields || load->batch.unique[set] == NULL)
		elog(ERROR,
			 "taxshare: a parallel intake message names set %d, which the item does not have", set);
	return load->batch.unique[set];
}

/*
 * MSG_STATE: the keys counted as not fields, and with_sets the keys of the
 * sets behind unique and primaryKey with their rows.
 */
static void
put_state(StringInfo buf, const IntakeLoad *load, bool with_sets)
{
	const ItemSpec *spec = &load->item->spec;
	int64           nkeys = 0;
	int64          *count_at;
	int             count_off;
	int             set;
	int             i;

	begin_message(buf, MSG_STATE);
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
	count_off = buf->len;
	put(buf, &nkeys, sizeof(int64));
	for (set = 0; with_sets && set <= spec->nfields; set++)
	{
		const ValidateSet *vs = set < spec->nfields ? load->batch.unique[set] : load->batch.pk;
		size_t             pos = 0;
		const char        *key;
		size_t             len;
		int64_t            row_no;

		while (vs && vset_next(vs, &pos, &key, &len, &row_no))
		{
			SetKeyWire k;

			k.set = set;
			k.row_no = (int32) row_no;
			k.len = (uint32) len;
			put(buf, &k, sizeof(k));
			put(buf, key, len);
			nkeys++;
		}
	}
	count_at = (int64 *) (buf->data + count_off);
	*count_at = nkeys;
}

/* Take over a MSG_STATE: add its keys to the load's sets, count its unknown keys. */
static void
take_state(IntakeLoad *load, const char *data)
{
	const MsgHeader *h = (const MsgHeader *) data;
	const char      *p = data + MAXALIGN(sizeof(MsgHeader));
	int64            nkeys;
	int64            n;

	load->unknown_other += *(const int64 *) take(&p, sizeof(int64));
	for (n = 0; n < h->count; n++)
	{
		const UnknownWire *u = (const UnknownWire *) take(&p, sizeof(UnknownWire));
		const char        *name = take(&p, u->name_len);

		intake_count_unknown(load, name, (int) u->name_len, u->count);
	}
	nkeys = *(const int64 *) take(&p, sizeof(int64));
	for (n = 0; n < nkeys; n++)
	{
		const SetKeyWire *k = (const SetKeyWire *) take(&p, sizeof(SetKeyWire));
		const char       *key = take(&p, k->len);

		(void) vset_insert(state_set(load, k->set), key, k->len, k->row_no);
	}
}

/* The unknown keys now travel with the state: count them afresh. */
static void
forget_unknown(IntakeLoad *load)
{
	load->nunknown = 0;
	load->unknown_other = 0;
}

/* --- the backend's side ------------------------------------------------ */

/* The worker detached: raise its error, or say it vanished. */
static void
worker_gone(IntakeParallel *p)
{
	WaitForParallelWorkersToFinish(p->pcxt);
	ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
					errmsg("the parallel intake worker ended before the batch was checked"),
					errhint("See the server log; taxshare.parallel_intake_min_rows = -1 checks "
							"batches in the backend.")));
}

/* Write the records of one MSG_ROWS message. */
static void
emit_rows(IntakeLoad *load, const char *data)
{
	const MsgHeader *h = (const MsgHeader *) data;
	const char      *p = data + MAXALIGN(sizeof(MsgHeader));
	MemoryContext    old = MemoryContextSwitchTo(load->rowcxt);
	uint32           n;

	for (n = 0; n < h->count; n++)
	{
		const RowWire *rw = (const RowWire *) take(&p, sizeof(RowWire));
		IntakeRowOut   out;
		ValidateError *errors = NULL;
		int            i;

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
			const char      *text = take(&p, ew->code_len + 1 + ew->message_len + 1);

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

/*
 * Write what the worker has sent; wait for one message when wait.  True when
 * anything came; *ended once its MSG_END came.
 */
static bool
drain(IntakeParallel *p, IntakeLoad *load, bool wait, bool *ended)
{
	bool got = false;

	while (!*ended)
	{
		Size          len;
		void         *data;
		shm_mq_result r = shm_mq_receive(p->from_worker, &len, &data, !wait);

		if (r == SHM_MQ_WOULD_BLOCK)
			break;
		if (r != SHM_MQ_SUCCESS)
			worker_gone(p);
		got = true;
		switch (((const MsgHeader *) data)->kind)
		{
			case MSG_ROWS:
				emit_rows(load, data);
				break;
			case MSG_STATE:
				take_state(load, data);
				break;
			default:
				*ended = true;
				break;
		}
		if (wait)
			break;
	}
	return got;
}

/*
 * Send buf to the worker, writing what comes back while it is behind (it
 * cannot take more input while its own output queue is full).  last: flush.
 */
static void
send_message(IntakeParallel *p, IntakeLoad *load, StringInfo buf, bool last)
{
	bool ended = false;

	for (;;)
	{
		shm_mq_result r = shm_mq_send(p->to_worker, buf->len, buf->data, true, last);

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
}

/* Send the chunk of elements and start the next. */
static void
send_chunk(IntakeParallel *p, IntakeLoad *load)
{
	send_message(p, load, &p->chunk, false);
	begin_message(&p->chunk, MSG_ROWS);
	p->nchunk = 0;
}

bool
intake_parallel_wanted(int64 rows)
{
	return intake_parallel_min_rows >= 0 && rows >= Max(intake_parallel_min_rows, 1);
}

bool
intake_parallel_begin(IntakeLoad *load)
{
	IntakeParallel       *p;
	ParallelContext      *pcxt;
	IntakeParallelShared *sh;
	shm_mq               *to_worker;
	shm_mq               *from_worker;
	MemoryContext         old;
	IntakeOwnerSwitch     sw;

	if (load->parallel != NULL || IsInParallelMode() ||
		strlen(load->item->code) >= ITEM_CODE_BYTES || !intake_writer_open_bulk(load->writer))
		return false;

	/* The records are written under the transaction id the submission row took. */
	(void) GetCurrentTransactionId();

	/*
	 * The worker reads the catalog as the load's owner with search_path pinned,
	 * as the load's own SQL does (intake_owner.c): it takes the user and the
	 * settings current when the shared memory is set up.
	 */
	intake_owner_enter(load->run_as, &sw);
	EnterParallelMode();
	pcxt = CreateParallelContext("taxshare", "intake_parallel_main", 1);
	shm_toc_estimate_chunk(&pcxt->estimator, sizeof(IntakeParallelShared));
	shm_toc_estimate_chunk(&pcxt->estimator, QUEUE_BYTES);
	shm_toc_estimate_chunk(&pcxt->estimator, QUEUE_BYTES);
	shm_toc_estimate_keys(&pcxt->estimator, 3);
	InitializeParallelDSM(pcxt);
	intake_owner_leave(&sw);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had: check in the backend */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return false;
	}

	sh = shm_toc_allocate(pcxt->toc, sizeof(IntakeParallelShared));
	memset(sh, 0, sizeof(*sh));
	strlcpy(sh->item_code, load->item->code, ITEM_CODE_BYTES);
	sh->item_version = load->item->version;
	sh->lang = load->batch.lang;
	sh->first_row = load->rows_total + 1;
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
		return false;
	}

	old = MemoryContextSwitchTo(load->cxt);
	p = palloc0(sizeof(IntakeParallel));
	p->pcxt = pcxt;
	p->to_worker = shm_mq_attach(to_worker, pcxt->seg, pcxt->worker[0].bgwhandle);
	p->from_worker = shm_mq_attach(from_worker, pcxt->seg, pcxt->worker[0].bgwhandle);
	initStringInfo(&p->chunk);
	MemoryContextSwitchTo(old);
	load->parallel = p;

	/* What the rows checked so far have gathered goes with the worker. */
	put_state(&p->chunk, load, true);
	send_message(p, load, &p->chunk, false);
	forget_unknown(load);
	begin_message(&p->chunk, MSG_ROWS);
	ereport(DEBUG1,
			(errmsg_internal("taxshare: the rows of catalog item \"%s\" from row " INT64_FORMAT
							 " on are checked by a parallel worker",
							 load->item->code, load->rows_total + 1)));
	return true;
}

/* Number the element and send it on (in the next chunk). */
void
intake_parallel_row(IntakeLoad *load, JsonbValue *elem)
{
	IntakeParallel *p = load->parallel;

	CHECK_FOR_INTERRUPTS();
	(void) intake_next_row_no(load);
	if (elem->type == jbvBinary)
	{
		/* the container as a jsonb of its own, as JsonbValueToJsonb() makes it */
		uint32     size = VARHDRSZ + elem->val.binary.len;
		Size       pad = MAXALIGN(size) - size;
		StringInfo buf = &p->chunk;

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
		send_chunk(p, load);
}

/*
 * Send the rest and write every record; take back the unknown keys (and with
 * hand_back the sets, so that the load can go on in the backend); end the
 * worker and parallel mode.
 */
void
intake_parallel_end(IntakeLoad *load, bool hand_back)
{
	IntakeParallel *p = load->parallel;
	bool            ended = false;

	if (p->nchunk > 0)
		send_chunk(p, load);
	begin_message(&p->chunk, MSG_END);
	set_count(&p->chunk, hand_back ? 1 : 0);
	send_message(p, load, &p->chunk, true);
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
	load->parallel = NULL;
}

/* --- the worker's side -------------------------------------------------- */

static void
put_row(StringInfo buf, const IntakeRowOut *out)
{
	RowWire rw;
	int     i;

	rw.row_no = out->row_no;
	rw.flags = (out->accepted ? ROW_ACCEPTED : 0) | (out->payload ? ROW_PAYLOAD : 0) |
			   (out->raw ? ROW_RAW : 0) | (out->uscc ? ROW_USCC : 0) |
			   (out->idcard ? ROW_IDCARD : 0) | (out->orgcode ? ROW_ORGCODE : 0);
	if (out->nerrors > PG_UINT16_MAX)
		elog(ERROR, "taxshare: row %d has more errors than a parallel intake can pass",
			 out->row_no);
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
		ErrorWire            ew;
		Size                 len;
		Size                 pad;
		char                *at;

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
	shm_mq               *to_worker = shm_toc_lookup(toc, KEY_TO_WORKER, false);
	shm_mq               *from_worker = shm_toc_lookup(toc, KEY_FROM_WORKER, false);
	shm_mq_handle        *in;
	shm_mq_handle        *out;
	CatalogItem          *item;
	IntakeLoad           *load;
	StringInfoData        buf;
	uint32                nrows = 0;
	int32                 row_no = 0;
	bool                  hand_back = false;

	shm_mq_set_receiver(to_worker, MyProc);
	shm_mq_set_sender(from_worker, MyProc);
	in = shm_mq_attach(to_worker, seg, NULL);
	out = shm_mq_attach(from_worker, seg, NULL);

	item = catalog_item_get(sh->item_code, sh->item_version);
	if (item == NULL)
		elog(ERROR, "taxshare: catalog item \"%s\" version %d not found by the intake worker",
			 sh->item_code, sh->item_version);
	load = intake_load_create(item, sh->lang);
	row_no = (int32) (sh->first_row - 1);
	initStringInfo(&buf);
	begin_message(&buf, MSG_ROWS);

	for (;;)
	{
		Size             len;
		void            *data;
		const MsgHeader *h;
		const char      *p;
		uint32           n;

		if (shm_mq_receive(in, &len, &data, false) != SHM_MQ_SUCCESS)
			return;
		h = (const MsgHeader *) data;
		if (h->kind == MSG_END)
		{
			hand_back = h->count != 0;
			break;
		}
		if (h->kind == MSG_STATE)
		{
			/* the rows the backend checked before: numbering and sets go on */
			take_state(load, data);
			continue;
		}
		p = (const char *) data + MAXALIGN(sizeof(MsgHeader));
		for (n = 0; n < h->count; n++)
		{
			Jsonb        *jb = (Jsonb *) take_varlena(&p);
			JsonbValue    elem;
			IntakeRowOut  res;
			MemoryContext old;

			intake_jsonb_element(jb, &elem);
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
	put_state(&buf, load, hand_back);
	if (!worker_send(out, &buf, false))
		return;
	begin_message(&buf, MSG_END);
	(void) worker_send(out, &buf, true);
	catalog_item_release(item);
}
