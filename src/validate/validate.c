/*
 * validate.c
 *		Pure core: check one row against a compiled catalog item.
 *
 * Per field, in this order: missing value / required, shape (a single value),
 * size limit, type (value_parse, which also checks identifiers), the division
 * code list, minLength/maxLength, minimum/maximum, pattern, enum, unique.
 * Then the primaryKey over the row, then the cross-field rules
 * (validate_rule.c).
 */
#include <stdio.h>
#include <string.h>

#include "ident/normalize.h"
#include "validate/validate.h"
#include "validate/validate_internal.h"
#include "validate/validate_msg.h"
#include "validate/validate_set.h"

/* Room for the errors of a row before the array grows. */
#define VALIDATE_INITIAL_ERRORS 8

int
validate_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

/* Insertion sort: a catalog item has tens of fields, not thousands. */
void
validate_spec_index(const ItemSpec *spec, int *by_name)
{
	int i;

	for (i = 0; i < spec->nfields; i++)
	{
		int              j = i;
		const FieldSpec *f = &spec->fields[i];

		while (j > 0)
		{
			const FieldSpec *g = &spec->fields[by_name[j - 1]];

			if (validate_name_cmp(g->name, g->name_len, f->name, f->name_len) <= 0)
				break;
			by_name[j] = by_name[j - 1];
			j--;
		}
		by_name[j] = i;
	}
}

int
validate_field_index(const ItemSpec *spec, const char *name, size_t len)
{
	int lo = 0;
	int hi = spec->nfields - 1;

	while (lo <= hi)
	{
		int              mid = lo + (hi - lo) / 2;
		const FieldSpec *f = &spec->fields[spec->by_name[mid]];
		int              c = validate_name_cmp(f->name, f->name_len, name, len);

		if (c == 0)
			return spec->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

void
validate_batch_init(ValidateBatch *b, const ItemSpec *spec, ValidateLang lang,
					const ValidateHooks *hooks, const ValidateMem *mem)
{
	int i;

	b->spec = spec;
	b->lang = lang;
	if (hooks)
		b->hooks = *hooks;
	else
		memset(&b->hooks, 0, sizeof(b->hooks));
	b->mem = *mem;
	b->unique =
		mem->alloc(mem->ctx, sizeof(ValidateSet *) * (spec->nfields > 0 ? spec->nfields : 1));
	for (i = 0; i < spec->nfields; i++)
		b->unique[i] = spec->fields[i].unique ? vset_create(mem) : NULL;
	b->pk = spec->npk > 0 ? vset_create(mem) : NULL;
	b->missing_len =
		mem->alloc(mem->ctx, sizeof(size_t) * (spec->nmissing > 0 ? spec->nmissing : 1));
	for (i = 0; i < spec->nmissing; i++)
		b->missing_len[i] = strlen(spec->missing[i]);
}

void
validate_batch_free(ValidateBatch *b)
{
	int i;

	for (i = 0; i < b->spec->nfields; i++)
		if (b->unique[i])
			vset_free(b->unique[i]);
	if (b->pk)
		vset_free(b->pk);
	if (b->mem.release)
	{
		b->mem.release(b->mem.ctx, b->unique);
		b->mem.release(b->mem.ctx, b->missing_len);
	}
	b->unique = NULL;
	b->missing_len = NULL;
	b->pk = NULL;
}

void
validate_add_error(RowResult *out, const ValidateMem *mem, int field, const char *code,
				   const char *message)
{
	if (out->nerrors == out->maxerrors)
	{
		int            n = out->maxerrors ? out->maxerrors * 2 : VALIDATE_INITIAL_ERRORS;
		ValidateError *e = mem->alloc(mem->ctx, sizeof(ValidateError) * (size_t) n);

		if (out->nerrors > 0)
			memcpy(e, out->errors, sizeof(ValidateError) * (size_t) out->nerrors);
		if (mem->release && out->errors)
			mem->release(mem->ctx, out->errors);
		out->errors = e;
		out->maxerrors = n;
	}
	out->errors[out->nerrors].field = field;
	out->errors[out->nerrors].code = code;
	out->errors[out->nerrors].message = message;
	out->nerrors++;
}

static void
field_error(ValidateBatch *b, const ValidateMem *mem, RowResult *out, int field, const char *code,
			const char *key, const char *value, size_t len, const char *arg)
{
	const char *label = vmsg_label(mem, b->lang, &b->spec->fields[field]);

	validate_add_error(out, mem, field, code,
					   vmsg_build(mem, b->lang, key ? key : code, label, value, len, arg));
}

static bool
is_missing(const ValidateBatch *b, const RawValue *rv)
{
	int i;

	if (rv->kind == RAW_MISSING)
		return true;
	if (rv->kind == RAW_COMPOUND)
		return false;
	for (i = 0; i < b->spec->nmissing; i++)
	{
		if (b->missing_len[i] == rv->len && memcmp(b->spec->missing[i], rv->s, rv->len) == 0)
			return true;
	}
	return false;
}

/*
 * Compare two parsed values of one class (numbers with numbers, times with
 * times); *cmp gets -1/0/1.  False when they cannot be compared.
 */
bool
validate_value_compare(const ParsedValue *a, const ParsedValue *b, int *cmp)
{
	bool a_num = a->scale == VS_NUMBER || a->scale == VS_CENTS;
	bool b_num = b->scale == VS_NUMBER || b->scale == VS_CENTS;
	bool a_time = a->scale == VS_DAYS || a->scale == VS_SECONDS;
	bool b_time = b->scale == VS_DAYS || b->scale == VS_SECONDS;

	if (a->scale == VS_CENTS && b->scale == VS_CENTS)
	{
		*cmp = (a->cmp.cents > b->cmp.cents) - (a->cmp.cents < b->cmp.cents);
		return true;
	}
	if (a_num && b_num)
	{
		double x = a->scale == VS_CENTS ? (double) a->cmp.cents / 100.0 : a->cmp.number;
		double y = b->scale == VS_CENTS ? (double) b->cmp.cents / 100.0 : b->cmp.number;

		*cmp = (x > y) - (x < y);
		return true;
	}
	if (a_time && b_time)
	{
		int64_t x = a->scale == VS_DAYS ? (int64_t) a->cmp.days * 86400 : a->cmp.seconds;
		int64_t y = b->scale == VS_DAYS ? (int64_t) b->cmp.days * 86400 : b->cmp.seconds;

		*cmp = (x > y) - (x < y);
		return true;
	}
	return false;
}

static bool
enum_contains(const FieldSpec *f, const char *canon)
{
	int i;

	for (i = 0; i < f->n_enum; i++)
		if (strcmp(f->enum_values[i], canon) == 0)
			return true;
	return false;
}

/* "a, b, c" of the allowed values, for the enum message. */
static const char *
enum_list(const ValidateMem *mem, const FieldSpec *f)
{
	size_t n = 3;
	int    i;
	char  *s;
	char  *p;

	for (i = 0; i < f->n_enum && i < 10; i++)
		n += strlen(f->enum_values[i]) + 2;
	s = p = mem->alloc(mem->ctx, n + 4);
	*p++ = '(';
	for (i = 0; i < f->n_enum && i < 10; i++)
	{
		size_t l = strlen(f->enum_values[i]);

		if (i > 0)
		{
			*p++ = ',';
			*p++ = ' ';
		}
		memcpy(p, f->enum_values[i], l);
		p += l;
	}
	if (f->n_enum > 10)
	{
		memcpy(p, "...", 3);
		p += 3;
	}
	*p++ = ')';
	*p = '\0';
	return s;
}

/* Type and format errors: the identifier types say why, from the canonical form. */
static void
type_error(ValidateBatch *b, const ValidateMem *mem, RowResult *out, int i, const char *code,
		   const RawValue *rv)
{
	const FieldSpec *f = &b->spec->fields[i];

	if (strcmp(code, "uscc") == 0 || strcmp(code, "idcard") == 0 || strcmp(code, "orgcode") == 0)
	{
		char  *norm = mem->alloc(mem->ctx, rv->len + 1);
		size_t nlen = normalize_ident(rv->s, rv->len, norm);

		field_error(b, mem, out, i, code, NULL, rv->s, rv->len,
					vmsg_ident_reason(b->lang, f->type, norm, nlen));
	}
	else if (strcmp(code, "type") == 0)
		field_error(b, mem, out, i, code, NULL, rv->s, rv->len, vmsg_type_name(b->lang, f->type));
	else if (strcmp(code, "encoding") == 0)
		field_error(b, mem, out, i, code, NULL, NULL, 0, NULL);
	else
		field_error(b, mem, out, i, code, NULL, rv->s, rv->len, NULL);
}

static void
check_field(ValidateBatch *b, const RawValue *rv, int64_t row_no, const ValidateMem *mem,
			RowResult *out, int i)
{
	const FieldSpec *f = &b->spec->fields[i];
	FieldResult     *r = &out->fields[i];
	const char      *code;
	char            *canon;
	char             num[32];

	if (is_missing(b, rv))
	{
		if (f->required)
			field_error(b, mem, out, i, "required", NULL, NULL, 0, NULL);
		return;
	}
	r->present = true;
	if (rv->kind == RAW_COMPOUND)
	{
		field_error(b, mem, out, i, "type", "type_compound", NULL, 0,
					vmsg_json_kind(b->lang, rv->len > 0 && rv->s[0] == '[' ? "array" : "object"));
		return;
	}
	if (rv->len > VALIDATE_MAX_VALUE_BYTES)
	{
		snprintf(num, sizeof(num), "%lu", (unsigned long) rv->len);
		field_error(b, mem, out, i, "too_long", NULL, num, strlen(num), "1048576");
		return;
	}

	canon = mem->alloc(mem->ctx, rv->len + VALUE_CANON_EXTRA);
	code = value_parse(f->type, rv->s, rv->len, canon, &r->pv);
	if (code != NULL)
	{
		type_error(b, mem, out, i, code, rv);
		return;
	}
	r->parsed = true;
	r->canon = canon;
	r->canon_len = strlen(canon);

	if (f->type == FT_DIVISION && b->hooks.division_known &&
		!b->hooks.division_known(b->hooks.ctx, canon))
		field_error(b, mem, out, i, "division", "division_unknown", canon, r->canon_len, NULL);

	if (f->min_length >= 0 || f->max_length >= 0)
	{
		long chars = value_utf8_length(canon, r->canon_len);

		if (f->min_length >= 0 && chars < f->min_length)
		{
			snprintf(num, sizeof(num), "%ld", f->min_length);
			field_error(b, mem, out, i, "min_length", NULL, canon, r->canon_len, num);
		}
		else if (f->max_length >= 0 && chars > f->max_length)
		{
			snprintf(num, sizeof(num), "%ld", f->max_length);
			field_error(b, mem, out, i, "max_length", NULL, canon, r->canon_len, num);
		}
	}
	if (f->has_minimum || f->has_maximum)
	{
		int c;

		if (f->has_minimum && validate_value_compare(&r->pv, &f->minimum, &c) && c < 0)
			field_error(b, mem, out, i, "minimum", NULL, canon, r->canon_len, f->minimum_text);
		if (f->has_maximum && validate_value_compare(&r->pv, &f->maximum, &c) && c > 0)
			field_error(b, mem, out, i, "maximum", NULL, canon, r->canon_len, f->maximum_text);
	}
	if (f->has_pattern && b->hooks.pattern_match &&
		!b->hooks.pattern_match(b->hooks.ctx, i, canon, r->canon_len))
		field_error(b, mem, out, i, "pattern", NULL, canon, r->canon_len, NULL);
	if (f->n_enum > 0 && !enum_contains(f, canon))
		field_error(b, mem, out, i, "enum", NULL, canon, r->canon_len, enum_list(mem, f));
	if (b->unique[i])
	{
		int64_t first = vset_insert(b->unique[i], canon, r->canon_len, row_no);

		if (first != 0)
		{
			snprintf(num, sizeof(num), "%lld", (long long) first);
			field_error(b, mem, out, i, "unique", NULL, canon, r->canon_len, num);
		}
	}
}

/* The primaryKey fields together: canonical values joined by U+001F. */
static void
check_primary_key(ValidateBatch *b, int64_t row_no, const ValidateMem *mem, RowResult *out)
{
	const ItemSpec *spec = b->spec;
	size_t          len = 0;
	size_t          names = 2;
	char           *key;
	char           *label;
	char           *p;
	char           *q;
	int             k;
	int64_t         first;
	char            num[32];

	for (k = 0; k < spec->npk; k++)
	{
		const FieldResult *r = &out->fields[spec->pk[k]];

		if (!r->parsed)
			return; /* required/type already reported */
		len += r->canon_len + 1;
		names += spec->fields[spec->pk[k]].name_len + 2;
	}
	p = key = mem->alloc(mem->ctx, len + 1);
	q = label = mem->alloc(mem->ctx, names + 1);
	*q++ = '(';
	for (k = 0; k < spec->npk; k++)
	{
		const FieldResult *r = &out->fields[spec->pk[k]];
		const FieldSpec   *f = &spec->fields[spec->pk[k]];

		if (k > 0)
		{
			*p++ = '\x1f';
			*q++ = ',';
			*q++ = ' ';
		}
		memcpy(p, r->canon, r->canon_len);
		p += r->canon_len;
		memcpy(q, f->name, f->name_len);
		q += f->name_len;
	}
	*p = '\0';
	*q++ = ')';
	*q = '\0';
	first = vset_insert(b->pk, key, (size_t) (p - key), row_no);
	if (first != 0)
	{
		for (q = key; q < p; q++)
			if (*q == '\x1f')
				*q = ',';
		snprintf(num, sizeof(num), "%lld", (long long) first);
		validate_add_error(
			out, mem, spec->npk == 1 ? spec->pk[0] : -1, "primary_key",
			vmsg_build(mem, b->lang, "primary_key", label, key, (size_t) (p - key), num));
	}
}

void
validate_row(ValidateBatch *b, const RawValue *raw, int64_t row_no, const ValidateMem *mem,
			 RowResult *out)
{
	const ItemSpec *spec = b->spec;
	int             i;

	out->fields = mem->alloc(mem->ctx, sizeof(FieldResult) *
										   (size_t) (spec->nfields > 0 ? spec->nfields : 1));
	memset(out->fields, 0, sizeof(FieldResult) * (size_t) (spec->nfields > 0 ? spec->nfields : 1));
	out->nerrors = 0;
	out->maxerrors = 0;
	out->errors = NULL;

	for (i = 0; i < spec->nfields; i++)
		check_field(b, &raw[i], row_no, mem, out, i);
	if (b->pk)
		check_primary_key(b, row_no, mem, out);
	validate_rules(b, mem, out);
}

void
validate_row_not_object(ValidateBatch *b, const char *found, const ValidateMem *mem, RowResult *out)
{
	out->fields = mem->alloc(mem->ctx, sizeof(FieldResult) *
										   (size_t) (b->spec->nfields > 0 ? b->spec->nfields : 1));
	memset(out->fields, 0,
		   sizeof(FieldResult) * (size_t) (b->spec->nfields > 0 ? b->spec->nfields : 1));
	out->nerrors = 0;
	out->maxerrors = 0;
	out->errors = NULL;
	validate_add_error(
		out, mem, -1, "row",
		vmsg_build(mem, b->lang, "row", vmsg_json_kind(b->lang, found), NULL, 0, NULL));
}
