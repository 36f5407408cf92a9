/*
 * fuzz_validate.c
 *		libFuzzer target for validate_row() (src/validate*.c).
 *
 * The input is a batch: rows separated by 0x1F, the values of a row by 0x1E,
 * one value per field of an item with every type, constraint and rule.  An
 * empty value is missing; a value starting with 0x01 is a JSON object.  The
 * first byte picks the language.  Checked, besides the sanitizers: every error
 * has a known code and a non-empty message, a row error names a real field or
 * none, and every parsed field has canonical text of its stated length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"
#include "validate/validate_set.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

#define NF 14

static void *
fz_alloc(void *ctx, size_t size)
{
	void **list = ctx;
	void **p = malloc(sizeof(void *) + (size > 0 ? size : 1));

	if (p == NULL)
		abort();
	p[0] = *list; /* chain every block to free it after the row */
	*list = p;
	return p + 1;
}

static void
fz_reset(void **list)
{
	void **p = *list;

	while (p)
	{
		void **next = p[0];

		free(p);
		p = next;
	}
	*list = NULL;
}

static void *
heap_alloc(void *ctx, size_t size)
{
	void *p = malloc(size > 0 ? size : 1);

	(void) ctx;
	if (p == NULL)
		abort();
	return p;
}

static void
heap_free(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

static bool
fz_pattern(void *ctx, int field, const char *s, size_t len)
{
	(void) ctx;
	(void) field;
	return len % 2 == 0 && (len == 0 || s[0] != 'x');
}

static bool
fz_division(void *ctx, const char *code)
{
	(void) ctx;
	return code[5] != '9';
}

static bool
known_code(const char *c)
{
	static const char *const codes[] = {
		"row",         "required", "type",    "decimals",         "uscc",     "idcard",
		"orgcode",     "division", "phone",   "encoding",         "too_long", "min_length",
		"max_length",  "minimum",  "maximum", "pattern",          "enum",     "unique",
		"primary_key", "lte",      "lt",      "idcard_birthdate", "sum",      "required_if"};
	size_t k;

	for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
		if (strcmp(c, codes[k]) == 0)
			return true;
	return false;
}

static FieldSpec         fields[NF];
static int               by_name[NF];
static const char *const names[NF] = {"s",  "n", "i", "b", "d", "dt", "y",
									  "ym", "a", "u", "c", "o", "dv", "p"};
static const char *const enum_s[] = {"甲", "乙", ""};
static const char *const in_s[] = {"甲"};
static const char *const missing[] = {"", "-"};
static int               pk[] = {0, 2};
static int               f_lte[] = {4, 5};
static int               f_lt[] = {1, 2};
static int               f_birth[] = {10, 4};
static int               f_sum[] = {1, 2};
static int               f_req[] = {11, 13};
static RuleSpec          rules[5];
static ItemSpec          spec;

static void
setup(void)
{
	int         i;
	ParsedValue pv;
	static char lo[32];

	for (i = 0; i < NF; i++)
	{
		fields[i].name = names[i];
		fields[i].name_len = strlen(names[i]);
		fields[i].title = i % 2 ? names[i] : "标题";
		fields[i].type = (FieldType) i;
		fields[i].min_length = i == 0 ? 1 : -1;
		fields[i].max_length = i == 0 ? 20 : -1;
	}
	fields[0].has_pattern = true;
	fields[0].n_enum = 3;
	fields[0].enum_values = enum_s;
	fields[0].required = fields[2].required = true;
	fields[9].unique = true;
	if (value_parse(FT_AMOUNT, "0", 1, lo, &pv) == NULL)
	{
		fields[8].has_minimum = true;
		fields[8].minimum = pv;
		fields[8].minimum_text = lo;
	}
	rules[0] = (RuleSpec){RK_LTE, 2, f_lte, -1, 0, -1, 0, NULL};
	rules[1] = (RuleSpec){RK_LT, 2, f_lt, -1, 0, -1, 0, NULL};
	rules[2] = (RuleSpec){RK_IDCARD_BIRTHDATE, 2, f_birth, -1, 0, -1, 0, NULL};
	rules[3] = (RuleSpec){RK_SUM, 2, f_sum, 8, 0.01, -1, 0, NULL};
	rules[4] = (RuleSpec){RK_REQUIRED_IF, 2, f_req, -1, 0, 0, 1, in_s};
	spec.nfields = NF;
	spec.fields = fields;
	spec.nrules = 5;
	spec.rules = rules;
	spec.nmissing = 2;
	spec.missing = missing;
	spec.npk = 2;
	spec.pk = pk;
	validate_spec_index(&spec, by_name);
	spec.by_name = by_name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool   ready = false;
	ValidateMem   batch_mem = {heap_alloc, heap_free, NULL};
	void         *blocks = NULL;
	ValidateMem   row_mem = {fz_alloc, NULL, &blocks};
	ValidateHooks hooks = {fz_pattern, fz_division, NULL};
	ValidateBatch b;
	RawValue      raw[NF];
	RowResult     res;
	char         *copy;
	size_t        pos = 1;
	int64_t       row_no = 0;

	if (!ready)
	{
		setup();
		ready = true;
	}
	if (size == 0)
		return 0;
	copy = malloc(size);
	memcpy(copy, data, size);
	validate_batch_init(&b, &spec, data[0] & 1 ? VL_EN : VL_ZH, &hooks, &batch_mem);
	while (pos <= size)
	{
		int    f = 0;
		int    i;
		size_t start = pos;

		memset(raw, 0, sizeof(raw));
		/* split one row: values end at 0x1E, the row at 0x1F or the end */
		while (pos <= size)
		{
			bool end_row = pos == size || copy[pos] == 0x1f;

			if (pos == size || copy[pos] == 0x1e || copy[pos] == 0x1f)
			{
				if (f < NF && pos > start)
				{
					raw[f].kind = copy[start] == 0x01 ? RAW_COMPOUND : RAW_TEXT;
					raw[f].s = copy + start;
					raw[f].len = pos - start;
				}
				f++;
				start = pos + 1;
			}
			pos++;
			if (end_row)
				break;
		}
		row_no++;
		if (row_no % 7 == 0)
			validate_row_not_object(&b, "array", &row_mem, &res);
		else
			validate_row(&b, raw, row_no, &row_mem, &res);
		for (i = 0; i < res.nerrors; i++)
		{
			CHECK(known_code(res.errors[i].code));
			CHECK(res.errors[i].message != NULL && res.errors[i].message[0] != '\0');
			CHECK(res.errors[i].field >= -1 && res.errors[i].field < NF);
		}
		for (i = 0; i < NF; i++)
			if (res.fields[i].parsed)
				CHECK(res.fields[i].canon != NULL &&
					  strlen(res.fields[i].canon) == res.fields[i].canon_len);
		fz_reset(&blocks);
	}
	validate_batch_free(&b);
	free(copy);
	return 0;
}
