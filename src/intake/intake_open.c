/*
 * intake_open.c
 *		Opening and closing a submission: the checks of item, unit and period,
 *		the submission row, the division code list, and at the end the counts,
 *		the status and the superseding of the earlier submission.
 */
#include "taxshare.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/json.h"

#include "intake/intake.h"
#include "ledger/ledger_fmgr.h"
#include "validate/validate_fmgr.h"
#include "validate/validate_set.h"

static const char *const intake_channels[] = {"api", "inbox", "xlsx", "xml", "csv", NULL};

static char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* realtime and adhoc submissions add to each other; the others replace. */
static bool
frequency_is_additive(const char *frequency)
{
	return strcmp(frequency, "realtime") == 0 || strcmp(frequency, "adhoc") == 0;
}

static void
check_unit(const char *unit)
{
	Oid   argtypes[1] = {TEXTOID};
	Datum args[1];
	bool  found;

	args[0] = CStringGetTextDatum(unit);
	SPI_connect();
	if (SPI_execute_with_args("SELECT 1 FROM taxshare.unit WHERE code = $1", 1, argtypes, args,
							  NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading unit failed");
	found = SPI_processed > 0;
	SPI_finish();
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("unknown unit \"%s\"", unit),
				 errhint("Register the unit in taxshare.unit first.")));
}

/*
 * May the caller submit for the unit?  submit() and the inbox write as the
 * extension owner (SECURITY DEFINER, or the inbox row trigger's switch to its
 * owner, intake_owner.c), so the records take the table_multi_insert path
 * whatever row-level security the caller is under:
 * this check, once per load, is the forgery check in place of the policies.
 *
 * The caller is the outer user: the session user, or the role it switched to
 * with SET ROLE -- never the definer, and never more than the login chose to
 * act as (a superuser doing SET ROLE to a unit's login is checked as that
 * login).  A SECURITY DEFINER function of someone else's that calls submit()
 * does not lend its owner's rights: the check is on the outer user.  The rule
 * itself is taxshare._may_submit_for() of 95_security.sql: a member of the
 * unit (unit_member, in taxshare_unit), the office, or the exchange platform.
 * Returns the caller's name, which the submission records as submitted_by.
 */
static char *
check_caller(const char *unit)
{
	Oid   argtypes[2] = {NAMEOID, TEXTOID};
	Datum args[2];
	char *caller = GetUserNameFromId(GetOuterUserId(), false);
	bool  isnull;
	bool  allowed;

	args[0] = DirectFunctionCall1(namein, CStringGetDatum(caller));
	args[1] = CStringGetTextDatum(unit);
	SPI_connect();
	if (SPI_execute_with_args("SELECT taxshare._may_submit_for($1, $2)", 2, argtypes, args, NULL,
							  true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "taxshare: checking the caller failed");
	allowed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	if (isnull || !allowed)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not submit for unit \"%s\"", caller, unit),
				 errdetail("只有本单位成员、市财源办与交换平台可以为单位 \"%s\" 报送.", unit),
				 errhint("Submit for one of your own units (taxshare.current_units()), or ask the "
						 "office to add role \"%s\" to taxshare.unit_member for unit \"%s\".",
						 caller, unit)));
	return caller;
}

/*
 * Check the source of a batch and the caller's right to submit it, and return
 * the compiled latest version of its item (pinned; see catalog_item_get).
 * Errors are SQLSTATE 22023, or 42501 for the caller; *caller gets the
 * caller's role name.
 */
CatalogItem *
intake_check_source(const IntakeSource *src, DateADT *period_end, char **caller)
{
	int32        version;
	CatalogItem *item;
	int          i;

	for (i = 0; intake_channels[i]; i++)
		if (strcmp(intake_channels[i], src->channel) == 0)
			break;
	if (intake_channels[i] == NULL)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown channel \"%s\"", src->channel),
						errhint("The channels are api, inbox, xlsx, xml and csv.")));
	check_unit(src->unit);
	*caller = check_caller(src->unit);
	version = catalog_latest_version(src->item);
	item = version > 0 ? catalog_item_get(src->item, version) : NULL;
	if (item == NULL)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unknown catalog item \"%s\"", src->item),
						errhint("Define the item with taxshare.catalog_define(); "
								"taxshare.catalog_item_current lists the items.")));
	if (strcmp(item->provider, src->unit) != 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("unit \"%s\" is not the provider of catalog item \"%s\"", src->unit,
							   src->item),
						errdetail("共享目录中该条目的提供单位为 \"%s\".", item->provider),
						errhint("Submit as the providing unit, or revise the item's provider with "
								"taxshare.catalog_define().")));
	if (item->has_valid_to && item->valid_to < GetSQLCurrentDate())
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("catalog item \"%s\" was retired on %s", src->item, date_text(item->valid_to)),
			 errhint("Define a new version of the item with a later validTo, or without one.")));
	if (!intake_period_check(item->frequency, src->period_start, period_end))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("%s does not start a period of catalog item \"%s\" (%s)",
							   date_text(src->period_start), src->item, item->frequency),
						errhint("%s", DATE_NOT_FINITE(src->period_start)
										  ? "Give a finite date."
										  : intake_period_hint(item->frequency))));
	return item;
}

int64
intake_open_submission(const IntakeSource *src, CatalogItem *item, DateADT period_end,
					   ValidateLang lang, const char *caller)
{
	Oid   argtypes[12] = {TEXTOID,        INT4OID, TEXTOID, DATEOID, DATEOID, TEXTOID,
						  TIMESTAMPTZOID, TEXTOID, BOOLOID, TEXTOID, TEXTOID, BYTEAOID};
	Datum args[12];
	char  nulls[12] = "            ";
	bool  isnull;
	int64 id;

	args[0] = CStringGetTextDatum(item->code);
	args[1] = Int32GetDatum(item->version);
	args[2] = CStringGetTextDatum(src->unit);
	args[3] = DateADTGetDatum(src->period_start);
	args[4] = DateADTGetDatum(period_end);
	args[5] = CStringGetTextDatum(src->channel);
	args[6] = TimestampTzGetDatum(src->received_at_exchange);
	if (!src->has_exchange)
		nulls[6] = 'n';
	args[7] = CStringGetTextDatum(lang == VL_ZH ? "zh" : "en");
	args[8] = BoolGetDatum(frequency_is_additive(item->frequency));
	/* The caller, not the definer the insert runs as. */
	args[9] = CStringGetTextDatum(caller);
	/*
	 * Only a call with a reference names its columns: the library also serves
	 * 0.1.0's schema, which has none, between a package upgrade and
	 * ALTER EXTENSION UPDATE (and 0.1.0's submit() passes no reference).
	 */
	if (src->client_ref != NULL)
	{
		args[10] = CStringGetTextDatum(src->client_ref);
		args[11] = PointerGetDatum(src->client_content);
	}
	SPI_connect();
	if (SPI_execute_with_args(
			src->client_ref != NULL
				? "INSERT INTO taxshare.submission (item_code, item_version, unit_code,"
				  " period_start, period_end, channel, received_at_exchange, language, additive,"
				  " submitted_by, client_ref, client_digest)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, pg_catalog.sha256($12))"
				  " RETURNING id"
				: "INSERT INTO taxshare.submission (item_code, item_version, unit_code,"
				  " period_start, period_end, channel, received_at_exchange, language, additive,"
				  " submitted_by)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
			src->client_ref != NULL ? 12 : 10, argtypes, args, nulls, false,
			1) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "taxshare: inserting the submission failed");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return id;
}

/*
 * A retry: the submission this unit already made of this item under the
 * client's reference, or 0.  A client that cannot tell whether its call
 * committed (a broken connection, a killed process) sends the same batch
 * again with the same reference and gets the first submission's id instead
 * of a second load that would supersede it.  Concurrent calls with one
 * reference queue on an advisory lock of the key, so the second sees the
 * first once it commits (or loads itself if the first rolled back); the
 * unique index submission_client_ref is the backstop.  The same reference
 * for another period or other content is refused: it is a client's bug, and
 * loading it would hide one of the two batches.  Runs as the owner, after
 * intake_check_source() has checked the caller.
 */
int64
intake_retry_find(const IntakeSource *src)
{
	Oid    argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, BYTEAOID, DATEOID};
	Datum  args[5];
	int64  id = 0;
	bool   isnull;
	bool   same_period;
	bool   same_content;
	char  *period;
	size_t len = strlen(src->client_ref);

	if (len == 0 || len > 200)
		ereport(
			ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("client_ref must have 1 to 200 bytes, not %zu", len),
			 errhint("Send the batch's own reference (e.g. the exporting system's batch number), "
					 "the same on every retry of that batch.")));
	args[0] = CStringGetTextDatum(src->unit);
	args[1] = CStringGetTextDatum(src->item);
	args[2] = CStringGetTextDatum(src->client_ref);
	args[3] = PointerGetDatum(src->client_content);
	args[4] = DateADTGetDatum(src->period_start);
	SPI_connect();
	if (SPI_execute_with_args("SELECT pg_catalog.pg_advisory_xact_lock("
							  "pg_catalog.hashtextextended($1 || '/' || $2 || '/' || $3, 16))",
							  3, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: locking the client reference failed");
	if (SPI_execute_with_args(
			"SELECT id, period_start::text, client_digest = pg_catalog.sha256($4),"
			"       period_start = $5"
			"  FROM taxshare.submission"
			" WHERE unit_code = $1 AND item_code = $2 AND client_ref = $3",
			5, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "taxshare: reading the client reference failed");
	if (SPI_processed == 0)
	{
		SPI_finish();
		return 0;
	}
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	period = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	same_content =
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	same_content = same_content && !isnull;
	same_period =
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
	/* The errors before SPI_finish(), which frees period; an error ends SPI anyway. */
	if (!same_period)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("client_ref \"%s\" already names submission " INT64_FORMAT
							   " of unit \"%s\", item \"%s\", for the period starting %s",
							   src->client_ref, id, src->unit, src->item, period),
						errhint("Give each batch a reference of its own; a retry sends the same "
								"period and rows under the same reference.")));
	if (!same_content)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("client_ref \"%s\" already names submission " INT64_FORMAT
							   " of unit \"%s\", item \"%s\", with other content",
							   src->client_ref, id, src->unit, src->item),
						errhint("A retry sends exactly the rows of the first call; a corrected "
								"batch is a new submission with a new reference.")));
	SPI_finish();
	ereport(NOTICE, (errmsg("batch \"%s\" was received before as submission " INT64_FORMAT
							"; nothing loaded",
							src->client_ref, id)));
	return id;
}

/* Whether a canonical division code is known, for ValidateHooks. */
static bool
division_known(void *ctx, const char *code)
{
	IntakeLoad *load = (IntakeLoad *) ctx;

	if (load->divisions == NULL || vset_contains(load->divisions, code, strlen(code)))
		return true;
	/* Only provinces whose counties the list holds are checked against it. */
	return !vset_contains(load->provinces, code, 2);
}

static bool
pattern_match(void *ctx, int field, const char *s, size_t len)
{
	return catalog_pattern_match(((IntakeLoad *) ctx)->item, field, s, len);
}

/*
 * The validation state of the batch with its hooks, and the division code list
 * when the item has a division field and taxshare.division holds codes.
 */
void
intake_prepare_batch(IntakeLoad *load, ValidateLang lang)
{
	ValidateHooks hooks;
	ValidateMem   mem;
	uint64        i;
	bool          have_list;

	hooks.pattern_match = pattern_match;
	hooks.division_known = division_known;
	hooks.ctx = load;
	validate_mem_in(load->cxt, &mem);
	validate_batch_init(&load->batch, &load->item->spec, lang, &hooks, &mem);
	if (!load->item->has_division)
		return;
	SPI_connect();
	have_list =
		SPI_execute("SELECT 1 WHERE pg_catalog.to_regclass('taxshare.division') IS NOT NULL", true,
					1) == SPI_OK_SELECT &&
		SPI_processed > 0;
	if (have_list && SPI_execute("SELECT code FROM taxshare.division", true, 0) == SPI_OK_SELECT &&
		SPI_processed > 0)
	{
		load->divisions = vset_create(&mem);
		load->provinces = vset_create(&mem);
		for (i = 0; i < SPI_processed; i++)
		{
			char *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

			if (code == NULL || strlen(code) != 6)
				continue;
			vset_insert(load->divisions, code, 6, 1);
			if (strcmp(code + 2, "0000") != 0)
				vset_insert(load->provinces, code, 2, 1);
		}
	}
	SPI_finish();
}

/* {"key": count, ...} of the keys that are not fields of the item. */
static char *
unknown_json(IntakeLoad *load)
{
	StringInfoData buf;
	int            i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < load->nunknown; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, load->unknown_names[i]);
		appendStringInfo(&buf, ": " INT64_FORMAT, load->unknown_counts[i]);
	}
	if (load->unknown_other > 0)
		appendStringInfo(&buf, "%s\"...\": " INT64_FORMAT, load->nunknown > 0 ? ", " : "",
						 load->unknown_other);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * Write the counts and status; unless the item is additive (realtime, adhoc),
 * the submission becomes the current one of its item, unit and period.  An
 * advisory lock serialises this step between concurrent loads of the same key,
 * and the partial unique index submission_current backs it up.
 */
void
intake_close_submission(IntakeLoad *load)
{
	Oid         lock_types[3] = {TEXTOID, TEXTOID, DATEOID};
	Oid         sup_types[4] = {INT8OID, TEXTOID, TEXTOID, DATEOID};
	Oid         upd_types[7] = {INT8OID, TEXTOID, INT8OID, INT8OID, INT8OID, INT8OID, TEXTOID};
	Datum       args[7];
	const char *status;

	if (load->rows_rejected == 0)
		status = "accepted";
	else if (load->rows_accepted == 0)
		status = "rejected";
	else
		status = "accepted_with_errors";

	SPI_connect();
	if (!frequency_is_additive(load->item->frequency))
	{
		args[0] = CStringGetTextDatum(load->item_code);
		args[1] = CStringGetTextDatum(load->unit_code);
		args[2] = DateADTGetDatum(load->period_start);
		if (SPI_execute_with_args("SELECT pg_catalog.pg_advisory_xact_lock("
								  "pg_catalog.hashtext('taxshare.submission'),"
								  " pg_catalog.hashtext($1 || '/' || $2 || '/' || $3::text))",
								  3, lock_types, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "taxshare: locking the submission key failed");
		args[0] = Int64GetDatum(load->submission_id);
		args[1] = CStringGetTextDatum(load->item_code);
		args[2] = CStringGetTextDatum(load->unit_code);
		args[3] = DateADTGetDatum(load->period_start);
		if (SPI_execute_with_args("UPDATE taxshare.submission SET superseded_by = $1"
								  " WHERE item_code = $2 AND unit_code = $3 AND period_start = $4"
								  " AND id <> $1 AND superseded_by IS NULL AND status <> 'loading'"
								  " AND NOT additive",
								  4, sup_types, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "taxshare: superseding the earlier submission failed");
	}
	args[0] = Int64GetDatum(load->submission_id);
	args[1] = CStringGetTextDatum(status);
	args[2] = Int64GetDatum(load->rows_total);
	args[3] = Int64GetDatum(load->rows_accepted);
	args[4] = Int64GetDatum(load->rows_rejected);
	args[5] = Int64GetDatum(load->errors);
	args[6] = CStringGetTextDatum(unknown_json(load));

	/*
	 * The ledger hook of this update digests the records: it takes the digest
	 * computed while they were written instead of reading them back.
	 */
	intake_writer_offer_digest(load->writer);
	PG_TRY();
	{
		if (SPI_execute_with_args(
				"UPDATE taxshare.submission SET status = $2, rows_total = $3,"
				" rows_accepted = $4, rows_rejected = $5, errors = $6,"
				" unknown_fields = $7::jsonb, finished_at = pg_catalog.clock_timestamp()"
				" WHERE id = $1",
				7, upd_types, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "taxshare: updating the submission failed");
	}
	PG_FINALLY();
	{
		ledger_running_withdraw();
	}
	PG_END_TRY();
	SPI_finish();
}
