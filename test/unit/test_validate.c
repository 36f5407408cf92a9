/*
 * test_validate.c
 *		Unit tests of the row validation core (src/validate*.c).
 *
 * A catalog item is built here by hand as the glue would compile it, rows are
 * given as RawValue arrays, and each test checks the error codes, fields and
 * messages (written out by hand) and the canonical values.  Memory comes from
 * a malloc arena freed after every row, so valgrind sees every leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "validate/validate.h"
#include "validate/validate_msg.h"
#include "validate/validate_set.h"

/* ---- a malloc arena standing in for the per-row memory context ---- */

typedef struct Arena
{
	void **ptrs;
	size_t n;
	size_t cap;
} Arena;

static void *
arena_alloc(void *ctx, size_t size)
{
	Arena *a = ctx;
	void  *p = malloc(size > 0 ? size : 1);

	if (p == NULL)
		abort();
	if (a->n == a->cap)
	{
		a->cap = a->cap ? a->cap * 2 : 64;
		a->ptrs = realloc(a->ptrs, a->cap * sizeof(void *));
		if (a->ptrs == NULL)
			abort();
	}
	a->ptrs[a->n++] = p;
	return p;
}

static void
arena_reset(Arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->ptrs[i]);
	a->n = 0;
}

static void
arena_free(Arena *a)
{
	arena_reset(a);
	free(a->ptrs);
	a->ptrs = NULL;
	a->cap = 0;
}

/* The batch memory: plain malloc/free, as the sets release what they grow out of. */
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

static Arena       row_arena;
static ValidateMem row_mem = {arena_alloc, NULL, &row_arena};
static ValidateMem batch_mem = {heap_alloc, heap_free, NULL};

/* ---- the item ---- */

enum
{
	F_NO,
	F_USCC,
	F_NAME,
	F_KIND,
	F_ID,
	F_BORN,
	F_PRICE,
	F_TAX,
	F_NET,
	F_SIGN,
	F_RECORD,
	F_AREA,
	F_DIV,
	F_ORG,
	F_AT,
	NFIELDS
};

static FieldSpec         fields[NFIELDS];
static int               by_name[NFIELDS];
static RuleSpec          rules[6];
static const char *const missing[] = {"", "-"};
static const char *const kinds[] = {"个人", "单位"};
static const char *const kind_unit[] = {"单位"};
static int               pk[] = {F_NO, F_KIND};
static int               r_lte[] = {F_SIGN, F_RECORD};
static int               r_lt[] = {F_SIGN, F_AT};
static int               r_birth[] = {F_ID, F_BORN};
static int               r_sum[] = {F_TAX, F_NET};
static int               r_req_org[] = {F_ORG};
static int               r_req_name[] = {F_NAME};
static ItemSpec          spec;

static void
field(int i, const char *name, const char *title, FieldType t)
{
	fields[i].name = name;
	fields[i].name_len = strlen(name);
	fields[i].title = title;
	fields[i].type = t;
	fields[i].min_length = -1;
	fields[i].max_length = -1;
}

static void
limit(int i, bool min, const char *text)
{
	static char canon[NFIELDS][2][64];
	ParsedValue pv;
	const char *err = value_parse(fields[i].type, text, strlen(text), canon[i][min ? 0 : 1], &pv);

	if (err)
	{
		printf("Bail out! bad limit %s\n", text);
		exit(1);
	}
	if (min)
	{
		fields[i].has_minimum = true;
		fields[i].minimum = pv;
		fields[i].minimum_text = canon[i][0];
	}
	else
	{
		fields[i].has_maximum = true;
		fields[i].maximum = pv;
		fields[i].maximum_text = canon[i][1];
	}
}

static void
build_spec(void)
{
	field(F_NO, "contract_no", "合同编号", FT_STRING);
	fields[F_NO].min_length = 2;
	fields[F_NO].max_length = 6;
	fields[F_NO].has_pattern = true;
	field(F_USCC, "seller_uscc", "出卖人统一社会信用代码", FT_USCC);
	fields[F_USCC].required = true;
	field(F_NAME, "buyer_name", "买受人名称", FT_STRING);
	field(F_KIND, "buyer_kind", "买受人类型", FT_STRING);
	fields[F_KIND].n_enum = 2;
	fields[F_KIND].enum_values = kinds;
	field(F_ID, "buyer_idcard", "买受人身份证号码", FT_IDCARD);
	fields[F_ID].unique = true;
	field(F_BORN, "buyer_birth", "出生日期", FT_DATE);
	field(F_PRICE, "price", "成交金额", FT_AMOUNT);
	limit(F_PRICE, true, "0");
	limit(F_PRICE, false, "1,000,000");
	field(F_TAX, "tax", "税额", FT_AMOUNT);
	field(F_NET, "net", "net", FT_AMOUNT);
	field(F_SIGN, "sign_date", "签约日期", FT_DATE);
	fields[F_SIGN].required = true;
	field(F_RECORD, "record_date", "备案日期", FT_DATE);
	field(F_AREA, "area", "面积", FT_NUMBER);
	limit(F_AREA, true, "0.5");
	field(F_DIV, "district", "区县", FT_DIVISION);
	field(F_ORG, "agent_org", "中介机构代码", FT_ORGCODE);
	field(F_AT, "handed_at", "交房时间", FT_DATETIME);

	rules[0] = (RuleSpec){RK_LTE, 2, r_lte, -1, 0, -1, 0, NULL};
	rules[1] = (RuleSpec){RK_LT, 2, r_lt, -1, 0, -1, 0, NULL};
	rules[2] = (RuleSpec){RK_IDCARD_BIRTHDATE, 2, r_birth, -1, 0, -1, 0, NULL};
	rules[3] = (RuleSpec){RK_SUM, 2, r_sum, F_PRICE, 0.01, -1, 0, NULL};
	rules[4] = (RuleSpec){RK_REQUIRED_IF, 1, r_req_org, -1, 0, F_KIND, 1, kind_unit};
	rules[5] = (RuleSpec){RK_REQUIRED_IF, 1, r_req_name, -1, 0, F_ID, 0, NULL};

	spec.nfields = NFIELDS;
	spec.fields = fields;
	spec.nrules = 6;
	spec.rules = rules;
	spec.nmissing = 2;
	spec.missing = missing;
	spec.npk = 2;
	spec.pk = pk;
	fields[F_NO].required = fields[F_KIND].required = true; /* primaryKey members */
	validate_spec_index(&spec, by_name);
	spec.by_name = by_name;
}

/* ---- hooks ---- */

static int pattern_calls;

/* contract_no must look like HT + digits (what "HT[0-9]+" would say). */
static bool
pattern_match(void *ctx, int f, const char *s, size_t len)
{
	size_t i;

	(void) ctx;
	pattern_calls++;
	if (f != F_NO || len < 3 || s[0] != 'H' || s[1] != 'T')
		return false;
	for (i = 2; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Only 430405 and 430406 are known in province 43; other provinces unlisted. */
static bool
division_known(void *ctx, const char *code)
{
	(void) ctx;
	if (strncmp(code, "43", 2) != 0)
		return true;
	return strcmp(code, "430405") == 0 || strcmp(code, "430406") == 0;
}

static ValidateHooks hooks = {pattern_match, division_known, NULL};

/* ---- rows ---- */

static RawValue  raw[NFIELDS];
static RowResult res;

static void
row_clear(void)
{
	int i;

	arena_reset(&row_arena);
	for (i = 0; i < NFIELDS; i++)
	{
		raw[i].kind = RAW_MISSING;
		raw[i].s = NULL;
		raw[i].len = 0;
	}
}

static void
text(int f, const char *s)
{
	raw[f].kind = RAW_TEXT;
	raw[f].s = s;
	raw[f].len = strlen(s);
}

static void
scalar(int f, const char *s)
{
	raw[f].kind = RAW_SCALAR;
	raw[f].s = s;
	raw[f].len = strlen(s);
}

/* A row that passes every check. */
static void
good_row(const char *no, const char *id)
{
	row_clear();
	text(F_NO, no);
	text(F_USCC, "91350100m000100y43");
	text(F_KIND, "个人");
	text(F_NAME, "张三");
	text(F_ID, id);
	text(F_PRICE, "1,000.00");
	scalar(F_TAX, "90");
	text(F_NET, "910");
	text(F_SIGN, "2024/3/5");
	text(F_RECORD, "2024年3月6日");
	scalar(F_AREA, "89.5");
	text(F_DIV, "430405");
	text(F_AT, "2024-03-05 10:00");
}

/* "code@field" of every error, in order, e.g. "unique@buyer_idcard lte@-". */
static const char *
codes(void)
{
	static char buf[1024];
	int         i;

	buf[0] = '\0';
	for (i = 0; i < res.nerrors; i++)
	{
		const ValidateError *e = &res.errors[i];

		if (i > 0)
			strcat(buf, " ");
		strcat(buf, e->code);
		strcat(buf, "@");
		strcat(buf, e->field >= 0 ? fields[e->field].name : "-");
	}
	return buf;
}

static const char *
message_of(const char *code)
{
	int i;

	for (i = 0; i < res.nerrors; i++)
		if (strcmp(res.errors[i].code, code) == 0)
			return res.errors[i].message;
	return NULL;
}

static void
test_names(void)
{
	ok(validate_name_cmp("ab", 2, "b", 1) > 0, "longer names sort after shorter ones");
	ok(validate_name_cmp("ab", 2, "ac", 2) < 0, "names of one length sort bytewise");
	is_int(validate_field_index(&spec, "price", 5), F_PRICE, "a field is found by name");
	is_int(validate_field_index(&spec, "district", 8), F_DIV, "another field is found by name");
	is_int(validate_field_index(&spec, "prices", 6), -1, "an unknown name is not a field");
	is_int(validate_field_index(&spec, "", 0), -1, "the empty name is not a field");
}

static void
test_set(void)
{
	ValidateSet *s = vset_create(&batch_mem);
	char         key[32];
	int          i;
	int          dups = 0;

	is_int(vset_insert(s, "a", 1, 7), 0, "a new key is new");
	is_int(vset_insert(s, "a", 1, 9), 7, "a repeated key gives the row that brought it");
	is_int(vset_insert(s, "", 0, 3), 0, "the empty key is a key");
	ok(vset_contains(s, "", 0) && !vset_contains(s, "b", 1), "contains tells keys apart");
	for (i = 0; i < 20000; i++)
	{
		snprintf(key, sizeof(key), "k%d", i % 15000);
		if (vset_insert(s, key, strlen(key), i + 10) != 0)
			dups++;
	}
	is_int(dups, 5000, "20000 inserts of 15000 keys find 5000 repeats");
	is_int((long) vset_count(s), 15002, "the set holds every distinct key once");

	/* Iterating yields each key once with its first row; a copy answers alike. */
	{
		ValidateSet *copy = vset_create(&batch_mem);
		size_t       pos = 0;
		const char  *k;
		size_t       len;
		int64_t      row;
		long         n = 0;
		long         wrong = 0;

		while (vset_next(s, &pos, &k, &len, &row))
		{
			n++;
			if (vset_insert(copy, k, len, row) != 0)
				wrong++;
			if (len == 1 && k[0] == 'a' && row != 7)
				wrong++;
		}
		is_int(n, 15002, "iterating the set yields every key");
		is_int(wrong, 0, "each key once, with the row that brought it");
		is_int(vset_insert(copy, "k14999", 6, 1), 15009,
			   "the copy remembers the first row of a key");
		is_int(vset_insert(copy, "a", 1, 1), 7, "and of another");
		vset_free(copy);
	}
	vset_free(s);
}

static void
test_good(ValidateBatch *b)
{
	good_row("HT1", "430405198503121235");
	validate_row(b, raw, 1, &row_mem, &res);
	is_str(codes(), "", "a good row has no errors");
	is_str(res.fields[F_USCC].canon, "91350100M000100Y43", "the USCC is canonical");
	is_str(res.fields[F_PRICE].canon, "1000.00", "the amount is canonical");
	is_str(res.fields[F_SIGN].canon, "2024-03-05", "the date is canonical");
	ok(res.fields[F_PRICE].pv.json_number && res.fields[F_PRICE].pv.cmp.cents == 100000,
	   "the amount compares in fen");
	ok(!res.fields[F_ORG].present && !res.fields[F_ORG].parsed, "an absent field is not present");
	ok(pattern_calls == 1, "the pattern hook was asked once");

	good_row("HT2", "430406900101001");
	text(F_BORN, "1990-01-01");
	text(F_KIND, "单位");
	text(F_ORG, "m000100y-4");
	validate_row(b, raw, 2, &row_mem, &res);
	is_str(codes(), "", "a 15-digit ID upgrades and matches its birth date; required_if is met");
	is_str(res.fields[F_ID].canon, "430406199001010018", "the 15-digit ID is upgraded");

	good_row("HT3", "11010519491231002X");
	text(F_DIV, "110105");
	text(F_NAME, "-");
	text(F_ID, "-");
	validate_row(b, raw, 3, &row_mem, &res);
	is_str(codes(), "", "a missing value is missing; a province without a list is not checked");
}

static void
test_field_errors(ValidateBatch *b)
{
	good_row("HT1", "430405198503121235");
	validate_row(b, raw, 4, &row_mem, &res);
	is_str(codes(), "unique@buyer_idcard primary_key@-", "repeats of row 1's ID and key");
	is_str(message_of("unique"),
		   "买受人身份证号码(buyer_idcard) 的值“430405198503121235”与第 1 行重复",
		   "the unique message names the first row");
	is_str(message_of("primary_key"), "主键 (contract_no, buyer_kind) 的值“HT1,个人”与第 1 行重复",
		   "the primary key message lists the key");

	good_row("X", "430421197010155555");
	text(F_USCC, "");
	text(F_PRICE, "1,000,000.01");
	text(F_KIND, "外资");
	scalar(F_AREA, "0.4");
	text(F_DIV, "430499");
	validate_row(b, raw, 5, &row_mem, &res);
	is_str(codes(),
		   "min_length@contract_no pattern@contract_no required@seller_uscc enum@buyer_kind "
		   "maximum@price minimum@area division@district sum@-",
		   "length, pattern, required, enum, maximum, minimum, division (and the sum)");
	is_str(message_of("enum"), "买受人类型(buyer_kind) 的值“外资”不在允许值 (个人, 单位) 之中",
		   "enum message");
	is_str(message_of("division"), "区县(district) 的值“430499”不在行政区划代码表中",
		   "division message");

	good_row("HT123456", "430406199001010027");
	text(F_SIGN, "2024-02-30");
	text(F_PRICE, "12.345");
	text(F_USCC, "91350100M000100Y44");
	text(F_DIV, "4304");
	raw[F_AREA].kind = RAW_COMPOUND;
	raw[F_AREA].s = "[";
	raw[F_AREA].len = 1;
	validate_row(b, raw, 6, &row_mem, &res);
	is_str(codes(),
		   "max_length@contract_no uscc@seller_uscc idcard@buyer_idcard decimals@price "
		   "type@sign_date type@area division@district",
		   "type errors carry the type's own code");
	is_str(message_of("uscc"),
		   "出卖人统一社会信用代码(seller_uscc) 的值“91350100M000100Y44”不是有效的统一社会信用代码 "
		   "(校验码不符)",
		   "the USCC message says why");
	is_str(message_of("idcard"),
		   "买受人身份证号码(buyer_idcard) 的值“430406199001010027”不是有效的居民身份证号码 "
		   "(校验码不符)",
		   "the ID message says why");
	ok(!res.fields[F_SIGN].parsed && res.fields[F_SIGN].present,
	   "a bad value is present but not parsed");
}

static void
test_rules(ValidateBatch *b)
{
	good_row("HT10", "430406199001010026");
	text(F_RECORD, "2024-03-04");
	text(F_AT, "2024-03-05 00:00");
	text(F_BORN, "1990-01-02");
	scalar(F_TAX, "90.02");
	text(F_KIND, "单位");
	raw[F_NAME].kind = RAW_MISSING;
	validate_row(b, raw, 7, &row_mem, &res);
	is_str(codes(),
		   "lte@- lt@- idcard_birthdate@- sum@- required_if@agent_org required_if@buyer_name",
		   "every rule fails once");
	is_str(message_of("lte"),
		   "签约日期(sign_date) 的时间“2024-03-05”应不晚于 备案日期(record_date)“2024-03-04”",
		   "lte message on dates");
	is_str(message_of("sum"), "税额(tax) + net 之和“1000.02”与 成交金额(price)“1000.00” 不符",
		   "sum message with the exact sum");
	is_str(message_of("idcard_birthdate"),
		   "买受人身份证号码(buyer_idcard) 中的出生日期“1990-01-01”与 "
		   "出生日期(buyer_birth)“1990-01-02” 不一致",
		   "birth date message");

	good_row("HT11", "430405198503121235");
	scalar(F_TAX, "90.01");
	text(F_AT, "2024-03-05 00:00:01");
	validate_row(b, raw, 8, &row_mem, &res);
	is_str(codes(), "unique@buyer_idcard", "a sum within the tolerance and a later datetime pass");

	good_row("HT12", "");
	raw[F_TAX].kind = RAW_MISSING;
	raw[F_NET].kind = RAW_MISSING;
	text(F_SIGN, "2024-03-05");
	text(F_AT, "2024-03-05 00:00:00");
	validate_row(b, raw, 9, &row_mem, &res);
	is_str(codes(), "lt@-", "no parts: no sum; a date equal to a datetime at midnight is not less");
}

static void
test_english(ValidateBatch *b)
{
	good_row("HT20", "");
	raw[F_TAX].kind = RAW_MISSING;
	raw[F_NET].kind = RAW_MISSING;
	text(F_SIGN, "tomorrow");
	text(F_PRICE, "-5");
	validate_row(b, raw, 10, &row_mem, &res);
	is_str(codes(), "minimum@price type@sign_date", "English batch: same codes");
	is_str(message_of("minimum"), "price: \"-5.00\" is less than the minimum 0.00",
		   "English minimum message");
	is_str(message_of("type"), "sign_date: \"tomorrow\" is not a valid date",
		   "English type message");

	validate_row_not_object(b, "array", &row_mem, &res);
	is_str(codes(), "row@-", "a non-object row is one row error");
	is_str(message_of("row"), "the row is not a JSON object but an array", "English row message");
}

static void
test_long_values(ValidateBatch *b)
{
	size_t      n = VALIDATE_MAX_VALUE_BYTES + 1;
	char       *big = malloc(n);
	const char *msg;
	char        fifty[151];
	char        forty[130];
	int         i;

	memset(big, 'x', n);
	good_row("HT30", "");
	raw[F_NAME].kind = RAW_TEXT;
	raw[F_NAME].s = big;
	raw[F_NAME].len = n;
	validate_row(b, raw, 11, &row_mem, &res);
	is_str(codes(), "too_long@buyer_name", "a value over 1 MB is refused before parsing");
	free(big);

	/* 50 three-byte characters: the message quotes the first 40 and an ellipsis */
	for (i = 0; i < 50; i++)
		memcpy(fifty + 3 * i, "\xe9\x95\xbf", 3); /* 长 */
	fifty[150] = '\0';
	memcpy(forty, "\xe2\x80\x9c", 3); /* “ */
	memcpy(forty + 3, fifty, 120);
	memcpy(forty + 123, "\xe2\x80\xa6\xe2\x80\x9d", 7); /* …” and NUL */
	good_row("HT31", "");
	text(F_KIND, fifty);
	validate_row(b, raw, 12, &row_mem, &res);
	msg = message_of("enum");
	ok(msg && strstr(msg, forty) != NULL, "long values are cut to 40 characters in messages");
}

int
main(void)
{
	ValidateBatch b;

	build_spec();
	test_names();
	test_set();

	validate_batch_init(&b, &spec, VL_ZH, &hooks, &batch_mem);
	test_good(&b);
	test_field_errors(&b);
	test_rules(&b);
	test_long_values(&b);
	validate_batch_free(&b);

	validate_batch_init(&b, &spec, VL_EN, &hooks, &batch_mem);
	test_english(&b);
	validate_batch_free(&b);

	arena_free(&row_arena);
	return done_testing();
}
