/*
 * test_value.c
 *		Unit tests of the value parsing core (src/validate/value.c).
 *
 * Every input is copied into a heap buffer of exactly its length (no NUL) and
 * the output buffer has exactly len + VALUE_CANON_EXTRA bytes, so that
 * valgrind reports any read past len or write past the documented capacity.
 * Expected values are written by hand (day numbers were computed
 * independently with Python's datetime).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "validate/value.h"

static const char *last_out;
static ParsedValue last_pv;
static char       *out_buf;

/* Parse in[0..len) as t; returns the error code, keeps output in last_out. */
static const char *
parse_n(FieldType t, const char *in, size_t len)
{
	char       *copy = malloc(len > 0 ? len : 1);
	const char *err;

	memcpy(copy, in, len);
	free(out_buf);
	out_buf = malloc(len + VALUE_CANON_EXTRA);
	err = value_parse(t, copy, len, out_buf, &last_pv);
	last_out = out_buf;
	free(copy);
	return err;
}

static const char *
parse(FieldType t, const char *in)
{
	return parse_n(t, in, strlen(in));
}

/* The input for a test name: ASCII control characters shown as '?'. */
static const char *
shown(const char *in)
{
	static char buf[256];
	size_t      k;

	for (k = 0; in[k] && k < sizeof(buf) - 1; k++)
		buf[k] = ((unsigned char) in[k] < 0x20) ? '?' : in[k];
	buf[k] = '\0';
	return buf;
}

/* Accepted, with this canonical text. */
static void
accepts(FieldType t, const char *in, const char *want)
{
	const char *err = parse(t, in);

	if (err != NULL)
	{
		ok(0, "%s '%s' accepted", field_type_name(t), shown(in));
		printf("#   error: %s\n", err);
		return;
	}
	is_str(last_out, want, "%s '%s' -> '%s'", field_type_name(t), shown(in), want);
}

/* Rejected with this code; output empty and no scale on failure. */
static void
rejects(FieldType t, const char *in, const char *code)
{
	const char *err = parse(t, in);

	is_str(err, code, "%s '%s' rejected as %s", field_type_name(t), shown(in), code);
	if (err != NULL && (last_out[0] != '\0' || last_pv.scale != VS_NONE))
		ok(0, "%s '%s' leaves no output on failure", field_type_name(t), shown(in));
}

static void
test_names(void)
{
	static const char *const names[] = {"string",   "number",  "integer",   "boolean", "date",
										"datetime", "year",    "yearmonth", "amount",  "uscc",
										"idcard",   "orgcode", "division",  "phone"};
	int                      k;
	FieldType                t;

	is_int(FT_COUNT, 14, "fourteen field types");
	for (k = 0; k < 14; k++)
	{
		ok(field_type_from_name(names[k], &t) && (int) t == k, "name '%s' -> enum %d", names[k], k);
		is_str(field_type_name((FieldType) k), names[k], "enum %d -> '%s'", k, names[k]);
	}
	ok(field_type_from_name("Date", &t) && t == FT_DATE, "type names are case-insensitive");
	ok(field_type_from_name("YEARMONTH", &t) && t == FT_YEARMONTH, "YEARMONTH");
	ok(!field_type_from_name("dates", &t), "'dates' is not a type");
	ok(!field_type_from_name("dat", &t), "'dat' is not a type");
	ok(!field_type_from_name("", &t), "'' is not a type");
	ok(!field_type_from_name(NULL, &t), "NULL is not a type");
	ok(field_type_name(FT_COUNT) == NULL, "no name past the last type");
	ok(field_type_name((FieldType) -1) == NULL, "no name for a negative type");
	is_str(parse((FieldType) FT_COUNT, "x"), "type", "unknown type code is rejected");
}

static void
test_days(void)
{
	static const struct
	{
		int     y, m, d;
		int32_t days;
	} anchors[] = {{2000, 1, 1, 0},       {2024, 3, 5, 8830},   {2024, 2, 29, 8825},
				   {2024, 3, 1, 8826},    {1800, 1, 1, -73048}, {2199, 12, 31, 73048},
				   {1970, 1, 1, -10957},  {1, 1, 1, -730119},   {9999, 12, 31, 2921939},
				   {1600, 1, 1, -146097}, {1999, 12, 31, -1}};
	size_t  k;
	int     y = 1600, m = 1, d = 1;
	int32_t n;
	long    bad_from = 0, bad_to = 0;
	long    wide_bad = 0;

	for (k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
	{
		int yy, mm, dd;

		is_int(value_days_from_ymd(anchors[k].y, anchors[k].m, anchors[k].d), anchors[k].days,
			   "days of %04d-%02d-%02d", anchors[k].y, anchors[k].m, anchors[k].d);
		value_ymd_from_days(anchors[k].days, &yy, &mm, &dd);
		ok(yy == anchors[k].y && mm == anchors[k].m && dd == anchors[k].d,
		   "date of day %ld is %04d-%02d-%02d (got %04d-%02d-%02d)", (long) anchors[k].days,
		   anchors[k].y, anchors[k].m, anchors[k].d, yy, mm, dd);
	}

	/*
	 * Walk the calendar day by day from 1600-01-01 to 2400-12-31 with a
	 * month-length table written here, independent of the code under test.
	 */
	for (n = -146097;; n++)
	{
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int              leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int              yy, mm, dd;

		if (value_days_from_ymd(y, m, d) != n)
			bad_from++;
		value_ymd_from_days(n, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			bad_to++;
		if (y == 2400 && m == 12 && d == 31)
			break;
		if (++d > mdays[m - 1] + (m == 2 && leap))
		{
			d = 1;
			if (++m > 12)
			{
				m = 1;
				y++;
			}
		}
	}
	is_int(bad_from, 0, "value_days_from_ymd follows the calendar 1600..2400");
	is_int(bad_to, 0, "value_ymd_from_days follows the calendar 1600..2400");
	is_int(n, 146462, "2400-12-31 is day 146462");

	/* wide range, including negative years: round trip both ways */
	for (n = -50000000; n <= 50000000; n += 997)
	{
		int yy, mm, dd;

		value_ymd_from_days(n, &yy, &mm, &dd);
		if (value_days_from_ymd(yy, mm, dd) != n || mm < 1 || mm > 12 || dd < 1 || dd > 31)
			wide_bad++;
	}
	is_int(wide_bad, 0, "days -> ymd -> days round trip over +-50 million days");
	{
		int yy, mm, dd;

		value_ymd_from_days(-730120, &yy, &mm, &dd);
		ok(yy == 0 && mm == 12 && dd == 31, "the day before 0001-01-01 is 0000-12-31");
		value_ymd_from_days(INT32_MAX, &yy, &mm, &dd);
		is_int(value_days_from_ymd(yy, mm, dd), INT32_MAX, "INT32_MAX round trips");
		value_ymd_from_days(INT32_MIN, &yy, &mm, &dd);
		is_int(value_days_from_ymd(yy, mm, dd), INT32_MIN, "INT32_MIN round trips");
	}
}

static void
test_date(void)
{
	accepts(FT_DATE, "2024-03-05", "2024-03-05");
	ok(last_pv.scale == VS_DAYS && last_pv.cmp.days == 8830, "2024-03-05 is day 8830");
	ok(!last_pv.json_number && !last_pv.json_boolean, "a date is a JSON string");
	accepts(FT_DATE, "2024/3/5", "2024-03-05");
	accepts(FT_DATE, "2024-3-5", "2024-03-05");
	accepts(FT_DATE, "2024.3.5", "2024-03-05");
	accepts(FT_DATE, "2024/03/05", "2024-03-05");
	accepts(FT_DATE, "20240305", "2024-03-05");
	accepts(FT_DATE, "2024年3月5日", "2024-03-05");
	accepts(FT_DATE, "2024年03月05日", "2024-03-05");
	accepts(FT_DATE, "2024 年 3 月 5 日", "2024-03-05");
	accepts(FT_DATE, "2024年3月5号", "2024-03-05");
	accepts(FT_DATE, "2024年3月5", "2024-03-05");
	accepts(FT_DATE, "  2024-03-05 \t", "2024-03-05");
	accepts(FT_DATE,
			"\xE3\x80\x80"
			"2024年3月5日"
			"\xE3\x80\x80",
			"2024-03-05");
	accepts(FT_DATE, "２０２４年３月５日", "2024-03-05");
	accepts(FT_DATE, "２０２４－０３－０５", "2024-03-05");
	accepts(FT_DATE, "２０２４０３０５", "2024-03-05");
	accepts(FT_DATE, "2024-03-05 00:00:00", "2024-03-05");
	accepts(FT_DATE, "2024-03-05T00:00", "2024-03-05");
	accepts(FT_DATE, "2024-03-05 00:00:00.000", "2024-03-05");

	/* calendar */
	accepts(FT_DATE, "2024-02-29", "2024-02-29");
	rejects(FT_DATE, "2023-02-29", "type");
	accepts(FT_DATE, "2000-02-29", "2000-02-29");
	rejects(FT_DATE, "1900-02-29", "type");
	rejects(FT_DATE, "2100-02-29", "type");
	rejects(FT_DATE, "2024-02-30", "type");
	rejects(FT_DATE, "2024-04-31", "type");
	rejects(FT_DATE, "2024-13-01", "type");
	rejects(FT_DATE, "2024-00-10", "type");
	rejects(FT_DATE, "2024-03-00", "type");
	rejects(FT_DATE, "2024年2月30日", "type");

	/* range 1800..2199 */
	accepts(FT_DATE, "1800-01-01", "1800-01-01");
	ok(last_pv.cmp.days == -73048, "1800-01-01 is day -73048");
	rejects(FT_DATE, "1799-12-31", "type");
	accepts(FT_DATE, "2199-12-31", "2199-12-31");
	ok(last_pv.cmp.days == 73048, "2199-12-31 is day 73048");
	rejects(FT_DATE, "2200-01-01", "type");
	rejects(FT_DATE, "0001-01-01", "type");

	/* not dates, or ambiguous */
	rejects(FT_DATE, "", "type");
	rejects(FT_DATE, "   ", "type");
	rejects(FT_DATE, "abc", "type");
	rejects(FT_DATE, "2024-3/5", "type");
	rejects(FT_DATE, "05/03/2024", "type");
	rejects(FT_DATE, "240305", "type");
	rejects(FT_DATE, "2024-003-05", "type");
	rejects(FT_DATE, "2024-03", "type");
	rejects(FT_DATE, "2024-03-05 10:00", "type");
	rejects(FT_DATE, "2024-03-05T00:00:00Z", "type");
	rejects(FT_DATE, "2024-03-05x", "type");
	rejects(FT_DATE, "202403051", "type");
	rejects(FT_DATE, "2024年3月", "type");
}

static void
test_datetime(void)
{
	accepts(FT_DATETIME, "2024-03-05 14:30:05", "2024-03-05T14:30:05");
	ok(last_pv.scale == VS_SECONDS &&
		   last_pv.cmp.seconds == 8830LL * 86400 + 14 * 3600 + 30 * 60 + 5,
	   "seconds of 2024-03-05T14:30:05");
	accepts(FT_DATETIME, "2024-03-05T14:30:05", "2024-03-05T14:30:05");
	accepts(FT_DATETIME, "2024-03-05t14:30:05", "2024-03-05T14:30:05");
	accepts(FT_DATETIME, "2024-03-05T14:30", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "2024/3/5 9:05", "2024-03-05T09:05:00");
	accepts(FT_DATETIME, "2024.3.5   09:05:07", "2024-03-05T09:05:07");
	accepts(FT_DATETIME, "2024年3月5日14时30分", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "2024年3月5日 14点30分5秒", "2024-03-05T14:30:05");
	accepts(FT_DATETIME, "2024年3月5日 9时", "2024-03-05T09:00:00");
	accepts(FT_DATETIME, "２０２４－０３－０５　１４：３０", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "20240305143005", "2024-03-05T14:30:05");
	accepts(FT_DATETIME, "20240305 14:30", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "2024-03-05", "2024-03-05T00:00:00");
	ok(last_pv.cmp.seconds == 8830LL * 86400, "a bare date is midnight");
	accepts(FT_DATETIME, "2024-03-05T14:30:05.999", "2024-03-05T14:30:05");
	accepts(FT_DATETIME, "2024-03-05T14:30:05,5", "2024-03-05T14:30:05");

	/* offsets are converted to UTC+8 */
	accepts(FT_DATETIME, "2024-03-05T06:30:00Z", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "2024-03-05T14:30:00+08:00", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "2024-03-05T20:00:00+00:00", "2024-03-06T04:00:00");
	accepts(FT_DATETIME, "2024-03-01T00:30:00+09:00", "2024-02-29T23:30:00");
	accepts(FT_DATETIME, "2024-03-05T14:30:00-0500", "2024-03-06T03:30:00");
	accepts(FT_DATETIME, "2024-03-05 14:30:00 +08", "2024-03-05T14:30:00");
	accepts(FT_DATETIME, "1999-12-31T23:59:59", "1999-12-31T23:59:59");
	ok(last_pv.cmp.seconds == -1, "1999-12-31T23:59:59 is second -1");
	accepts(FT_DATETIME, "1800-01-01 00:00:00", "1800-01-01T00:00:00");
	ok(last_pv.cmp.seconds == -73048LL * 86400, "1800-01-01 is second -73048*86400");
	accepts(FT_DATETIME, "2199-12-31 23:59:59", "2199-12-31T23:59:59");
	accepts(FT_DATETIME, "2024-02-29 12:00", "2024-02-29T12:00:00");

	rejects(FT_DATETIME, "2023-02-29 12:00", "type");
	rejects(FT_DATETIME, "2024-03-05 24:00:00", "type");
	rejects(FT_DATETIME, "2024-03-05 12:60", "type");
	rejects(FT_DATETIME, "2024-03-05 12:30:60", "type");
	rejects(FT_DATETIME, "2024-03-05 12:5", "type");
	rejects(FT_DATETIME, "2024-03-05T", "type");
	rejects(FT_DATETIME, "2024-03-05 1430", "type");
	rejects(FT_DATETIME, "2024-03-05 14:30:00+15:00", "type");
	rejects(FT_DATETIME, "2024-03-05 14:30:00 PM", "type");
	rejects(FT_DATETIME, "2199-12-31T23:00:00Z", "type");
	rejects(FT_DATETIME, "1800-01-01T00:00:00+09:00", "type");
	rejects(FT_DATETIME, "14:30", "type");
	rejects(FT_DATETIME, "", "type");
}

static void
test_year_yearmonth(void)
{
	accepts(FT_YEAR, "2024", "2024");
	ok(last_pv.scale == VS_NUMBER && last_pv.cmp.number == 2024 && last_pv.json_number,
	   "year 2024 is the JSON number 2024");
	accepts(FT_YEAR, "2024年", "2024");
	accepts(FT_YEAR, " 2024 年 ", "2024");
	accepts(FT_YEAR, "２０２４", "2024");
	accepts(FT_YEAR, "1800", "1800");
	accepts(FT_YEAR, "2199", "2199");
	rejects(FT_YEAR, "1799", "type");
	rejects(FT_YEAR, "2200", "type");
	rejects(FT_YEAR, "24", "type");
	rejects(FT_YEAR, "02024", "type");
	rejects(FT_YEAR, "2024.5", "type");
	rejects(FT_YEAR, "2024-03", "type");
	rejects(FT_YEAR, "二〇二四", "type");
	rejects(FT_YEAR, "", "type");

	accepts(FT_YEARMONTH, "2024-03", "2024-03");
	ok(last_pv.scale == VS_DAYS && last_pv.cmp.days == 8826, "2024-03 compares as 2024-03-01");
	ok(!last_pv.json_number, "a yearmonth is a JSON string");
	accepts(FT_YEARMONTH, "2024/3", "2024-03");
	accepts(FT_YEARMONTH, "202403", "2024-03");
	accepts(FT_YEARMONTH, "2024年3月", "2024-03");
	accepts(FT_YEARMONTH, "2024 年 12 月", "2024-12");
	accepts(FT_YEARMONTH, "2024年3", "2024-03");
	accepts(FT_YEARMONTH, "2024.03", "2024-03");
	accepts(FT_YEARMONTH, "2024-3", "2024-03");
	accepts(FT_YEARMONTH, "２０２４年３月", "2024-03");
	accepts(FT_YEARMONTH, "2024-03-01", "2024-03");
	accepts(FT_YEARMONTH, "2024年3月1日", "2024-03");
	accepts(FT_YEARMONTH, "1800-01", "1800-01");
	accepts(FT_YEARMONTH, "2199-12", "2199-12");
	rejects(FT_YEARMONTH, "1799-12", "type");
	rejects(FT_YEARMONTH, "2200-01", "type");
	rejects(FT_YEARMONTH, "2024-13", "type");
	rejects(FT_YEARMONTH, "2024-00", "type");
	rejects(FT_YEARMONTH, "202413", "type");
	rejects(FT_YEARMONTH, "2024-03-05", "type");
	rejects(FT_YEARMONTH, "2024-03-01 10:00", "type");
	rejects(FT_YEARMONTH, "2024", "type");
	rejects(FT_YEARMONTH, "2024-", "type");
	rejects(FT_YEARMONTH, "2024-003", "type");
	rejects(FT_YEARMONTH, "24-03", "type");
	rejects(FT_YEARMONTH, "", "type");
}

static void
test_amount(void)
{
	accepts(FT_AMOUNT, "1234567", "1234567.00");
	ok(last_pv.scale == VS_CENTS && last_pv.cmp.cents == 123456700 && last_pv.json_number,
	   "1234567 yuan is 123456700 fen, a JSON number");
	accepts(FT_AMOUNT, "1234567.5", "1234567.50");
	ok(last_pv.cmp.cents == 123456750, "1234567.5 yuan in fen");
	accepts(FT_AMOUNT, "1,234,567.00", "1234567.00");
	accepts(FT_AMOUNT, "１２３４.５", "1234.50");
	accepts(FT_AMOUNT, "１，２３４．５６", "1234.56");
	accepts(FT_AMOUNT, "¥1,234.00", "1234.00");
	accepts(FT_AMOUNT, "￥1234", "1234.00");
	accepts(FT_AMOUNT, "¥ 1234", "1234.00");
	accepts(FT_AMOUNT, "1234元", "1234.00");
	accepts(FT_AMOUNT, "1234 元", "1234.00");
	accepts(FT_AMOUNT, "1234元整", "1234.00");
	accepts(FT_AMOUNT, "RMB 1,000", "1000.00");
	accepts(FT_AMOUNT, "-5", "-5.00");
	ok(last_pv.cmp.cents == -500, "-5 yuan is -500 fen");
	accepts(FT_AMOUNT, "-¥3.5", "-3.50");
	accepts(FT_AMOUNT, "¥-3.5", "-3.50");
	accepts(FT_AMOUNT, "－3.5", "-3.50");
	accepts(FT_AMOUNT, "+3.5", "3.50");
	accepts(FT_AMOUNT, "-0.5", "-0.50");
	ok(last_pv.cmp.cents == -50, "-0.5 yuan is -50 fen");
	accepts(FT_AMOUNT, "-0", "0.00");
	accepts(FT_AMOUNT, "-0.00", "0.00");
	accepts(FT_AMOUNT, "0", "0.00");
	accepts(FT_AMOUNT, ".5", "0.50");
	accepts(FT_AMOUNT, "12.", "12.00");
	accepts(FT_AMOUNT, "007", "7.00");
	accepts(FT_AMOUNT, "12.3", "12.30");
	accepts(FT_AMOUNT, "12.34", "12.34");
	accepts(FT_AMOUNT, "12.300", "12.30");
	accepts(FT_AMOUNT, "12.30000000", "12.30");
	accepts(FT_AMOUNT, " 1,234.56 ", "1234.56");

	/* decimals */
	rejects(FT_AMOUNT, "12.305", "decimals");
	rejects(FT_AMOUNT, "12.3456", "decimals");
	rejects(FT_AMOUNT, "1,234.5678", "decimals");
	rejects(FT_AMOUNT, "0.001", "decimals");

	/* int64 boundary in fen */
	accepts(FT_AMOUNT, "92233720368547758.07", "92233720368547758.07");
	ok(last_pv.cmp.cents == INT64_MAX, "largest amount is INT64_MAX fen");
	rejects(FT_AMOUNT, "92233720368547758.08", "type");
	rejects(FT_AMOUNT, "92233720368547759", "type");
	accepts(FT_AMOUNT, "-92233720368547758.08", "-92233720368547758.08");
	ok(last_pv.cmp.cents == INT64_MIN, "smallest amount is INT64_MIN fen");
	rejects(FT_AMOUNT, "-92233720368547758.09", "type");
	rejects(FT_AMOUNT, "100000000000000000000", "type");
	rejects(FT_AMOUNT, "99999999999999999999999999999999999999", "type");

	/* not amounts */
	rejects(FT_AMOUNT, "1e5", "type");
	rejects(FT_AMOUNT, "1.5E2", "type");
	rejects(FT_AMOUNT, "1,23", "type");
	rejects(FT_AMOUNT, "1234,567", "type");
	rejects(FT_AMOUNT, "1,234,", "type");
	rejects(FT_AMOUNT, ",123", "type");
	rejects(FT_AMOUNT, "1 234", "type");
	rejects(FT_AMOUNT, "¥", "type");
	rejects(FT_AMOUNT, "元", "type");
	rejects(FT_AMOUNT, "12万元", "type");
	rejects(FT_AMOUNT, "--5", "type");
	rejects(FT_AMOUNT, "abc", "type");
	rejects(FT_AMOUNT, "NaN", "type");
	rejects(FT_AMOUNT, "", "type");
	rejects(FT_AMOUNT, ".", "type");
}

static void
test_number_integer(void)
{
	accepts(FT_NUMBER, "1234.5", "1234.5");
	ok(last_pv.scale == VS_NUMBER && last_pv.cmp.number == 1234.5 && last_pv.json_number,
	   "1234.5 compares as 1234.5");
	accepts(FT_NUMBER, "1,234.5", "1234.5");
	accepts(FT_NUMBER, "１２", "12");
	accepts(FT_NUMBER, ".5", "0.5");
	accepts(FT_NUMBER, "5.", "5");
	accepts(FT_NUMBER, "5.00", "5");
	accepts(FT_NUMBER, "+3", "3");
	accepts(FT_NUMBER, "-3", "-3");
	accepts(FT_NUMBER, "-0", "0");
	accepts(FT_NUMBER, "-0.0e5", "0");
	accepts(FT_NUMBER, "0012", "12");
	accepts(FT_NUMBER, "1e3", "1000");
	accepts(FT_NUMBER, "1.5E-3", "0.0015");
	accepts(FT_NUMBER, "0.1", "0.1");
	accepts(FT_NUMBER, "0.30000000000000004", "0.30000000000000004");
	accepts(FT_NUMBER, "100000", "100000");
	accepts(FT_NUMBER, "1e20", "100000000000000000000");
	accepts(FT_NUMBER, "1e21", "1e+21");
	accepts(FT_NUMBER, "1.5e+21", "1.5e+21");
	accepts(FT_NUMBER, "0.000001", "0.000001");
	accepts(FT_NUMBER, "1e-7", "1e-7");
	accepts(FT_NUMBER, "-2.5e-10", "-2.5e-10");
	accepts(FT_NUMBER, "12345678901234567890", "12345678901234567000");
	accepts(FT_NUMBER, "1.7976931348623157e308", "1.7976931348623157e+308");
	accepts(FT_NUMBER, "5e-324", "5e-324");
	rejects(FT_NUMBER, "1e400", "type");
	rejects(FT_NUMBER, "-1e400", "type");
	rejects(FT_NUMBER, "1e-400", "type");
	accepts(FT_NUMBER, "0e-400", "0");
	rejects(FT_NUMBER, "NaN", "type");
	rejects(FT_NUMBER, "Infinity", "type");
	rejects(FT_NUMBER, "-inf", "type");
	rejects(FT_NUMBER, "0x10", "type");
	rejects(FT_NUMBER, "1.2.3", "type");
	rejects(FT_NUMBER, "1e", "type");
	rejects(FT_NUMBER, "e5", "type");
	rejects(FT_NUMBER, "12,34", "type");
	rejects(FT_NUMBER, "¥12", "type");
	rejects(FT_NUMBER, "", "type");

	accepts(FT_INTEGER, "12", "12");
	ok(last_pv.scale == VS_NUMBER && last_pv.cmp.number == 12 && last_pv.json_number,
	   "integer 12 compares as 12");
	accepts(FT_INTEGER, "1,234", "1234");
	accepts(FT_INTEGER, "1,234,567", "1234567");
	accepts(FT_INTEGER, "+7", "7");
	accepts(FT_INTEGER, "-7", "-7");
	ok(last_pv.cmp.number == -7, "-7 compares as -7");
	accepts(FT_INTEGER, "-0", "0");
	accepts(FT_INTEGER, "0012", "12");
	accepts(FT_INTEGER, "12.0", "12");
	accepts(FT_INTEGER, "12.000", "12");
	accepts(FT_INTEGER, " ４２ ", "42");
	accepts(FT_INTEGER, "9223372036854775807", "9223372036854775807");
	accepts(FT_INTEGER, "-9223372036854775808", "-9223372036854775808");
	rejects(FT_INTEGER, "9223372036854775808", "type");
	rejects(FT_INTEGER, "-9223372036854775809", "type");
	rejects(FT_INTEGER, "18446744073709551616", "type");
	rejects(FT_INTEGER, "12.5", "type");
	rejects(FT_INTEGER, "12.01", "type");
	rejects(FT_INTEGER, "1e3", "type");
	rejects(FT_INTEGER, "12,34", "type");
	rejects(FT_INTEGER, "twelve", "type");
	rejects(FT_INTEGER, "", "type");
}

static void
test_boolean(void)
{
	static const char *const yes[] = {"true", "TRUE", "True",   "t",       "T",  "1",
									  "yes",  "YES",  "y",      "Y",       "on", "是",
									  "有",   "真",   " true ", "ｔｒｕｅ"};
	static const char *const no[] = {"false", "FALSE", "f",   "F",  "0",  "no", "No",
									 "n",     "N",     "off", "否", "无", "假", "　否　"};
	size_t                   k;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++)
		accepts(FT_BOOLEAN, yes[k], "true");
	ok(last_pv.json_boolean && !last_pv.json_number && last_pv.scale == VS_NONE,
	   "a boolean is a JSON boolean without order");
	for (k = 0; k < sizeof(no) / sizeof(no[0]); k++)
		accepts(FT_BOOLEAN, no[k], "false");
	rejects(FT_BOOLEAN, "maybe", "type");
	rejects(FT_BOOLEAN, "2", "type");
	rejects(FT_BOOLEAN, "yes!", "type");
	rejects(FT_BOOLEAN, "tru", "type");
	rejects(FT_BOOLEAN, "是的", "type");
	rejects(FT_BOOLEAN, "", "type");
}

static void
test_identifiers(void)
{
	/* GB 32100-2015's example code and GB 11643-1999's example number */
	accepts(FT_USCC, "91350100M000100Y43", "91350100M000100Y43");
	ok(last_pv.scale == VS_NONE && !last_pv.json_number,
	   "an identifier is a JSON string without order");
	accepts(FT_USCC, " 91350100m000100y43 ", "91350100M000100Y43");
	accepts(FT_USCC, "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43");
	accepts(FT_USCC, "91350100-M000100Y4-3", "91350100M000100Y43");
	rejects(FT_USCC, "91350100M000100Y44", "uscc");
	rejects(FT_USCC, "91350100M000100Y4", "uscc");
	rejects(FT_USCC, "91350100M000100Y433", "uscc");
	rejects(FT_USCC, "91350100M000100I43", "uscc");
	rejects(FT_USCC, "衡阳华湘置业有限公司", "uscc");
	rejects(FT_USCC, "", "uscc");

	accepts(FT_IDCARD, "11010519491231002X", "11010519491231002X");
	accepts(FT_IDCARD, "11010519491231002x", "11010519491231002X");
	accepts(FT_IDCARD, "110105 19491231 002X", "11010519491231002X");
	accepts(FT_IDCARD, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X");
	accepts(FT_IDCARD, "110105491231002", "11010519491231002X");
	accepts(FT_IDCARD, "430402198002290015", "430402198002290015");
	rejects(FT_IDCARD, "430402190002291230", "idcard"); /* 1900-02-29 */
	rejects(FT_IDCARD, "110105194912310021", "idcard"); /* check char */
	rejects(FT_IDCARD, "110105194912310", "idcard");    /* 15 chars, bad date */
	rejects(FT_IDCARD, "1101051949", "idcard");
	rejects(FT_IDCARD, "11010519491231002Y", "idcard");
	rejects(FT_IDCARD, "", "idcard");

	accepts(FT_ORGCODE, "M000100Y4", "M000100Y4");
	accepts(FT_ORGCODE, "M000100Y-4", "M000100Y4");
	accepts(FT_ORGCODE, "m000100y-4", "M000100Y4");
	accepts(FT_ORGCODE, "123456788", "123456788");
	rejects(FT_ORGCODE, "M000100Y5", "orgcode");
	rejects(FT_ORGCODE, "M000100", "orgcode");
	rejects(FT_ORGCODE, "91350100M000100Y43", "orgcode");
	rejects(FT_ORGCODE, "", "orgcode");

	accepts(FT_DIVISION, "430407", "430407");
	accepts(FT_DIVISION, " 430400 ", "430400");
	accepts(FT_DIVISION, "４３０４０７", "430407");
	accepts(FT_DIVISION, "110000", "110000");
	accepts(FT_DIVISION, "820000", "820000");
	accepts(FT_DIVISION, "650100", "650100");
	rejects(FT_DIVISION, "990000", "division");
	rejects(FT_DIVISION, "160000", "division");
	rejects(FT_DIVISION, "720000", "division");
	rejects(FT_DIVISION, "100000", "division");
	rejects(FT_DIVISION, "43040", "division");
	rejects(FT_DIVISION, "4304070", "division");
	rejects(FT_DIVISION, "43O407", "division");
	rejects(FT_DIVISION, "衡阳市", "division");
	rejects(FT_DIVISION, "", "division");
}

static void
test_phone(void)
{
	accepts(FT_PHONE, "13800138000", "13800138000");
	ok(last_pv.scale == VS_NONE && !last_pv.json_number, "a phone number is a JSON string");
	accepts(FT_PHONE, "138 0013 8000", "13800138000");
	accepts(FT_PHONE, "138-0013-8000", "13800138000");
	accepts(FT_PHONE, "１３８００１３８０００", "13800138000");
	accepts(FT_PHONE, "+86 138 0013 8000", "13800138000");
	accepts(FT_PHONE, "+8613800138000", "13800138000");
	accepts(FT_PHONE, "8613800138000", "13800138000");
	accepts(FT_PHONE, "86 13800138000", "13800138000");
	accepts(FT_PHONE, "0086 13800138000", "13800138000");
	accepts(FT_PHONE, "(+86)13800138000", "13800138000");
	accepts(FT_PHONE, "19912345678", "19912345678");
	rejects(FT_PHONE, "12800138000", "phone");
	rejects(FT_PHONE, "1380013800", "phone");
	rejects(FT_PHONE, "138001380001", "phone");
	rejects(FT_PHONE, "13800138000-123", "phone");
	rejects(FT_PHONE, "+1 212 555 1234", "phone");

	accepts(FT_PHONE, "0734-8888888", "07348888888");
	accepts(FT_PHONE, "07348888888", "07348888888");
	accepts(FT_PHONE, "(0734)8888888", "07348888888");
	accepts(FT_PHONE, "（0734）8888888", "07348888888");
	accepts(FT_PHONE, "0734 88888888", "073488888888");
	accepts(FT_PHONE, "010-62345678", "01062345678");
	accepts(FT_PHONE, "021 6234 5678", "02162345678");
	accepts(FT_PHONE, "+86 734 8888888", "07348888888");
	accepts(FT_PHONE, "+86-10-62345678", "01062345678");
	accepts(FT_PHONE, "+86 (0)734 8888888", "07348888888");
	accepts(FT_PHONE, "0086-734-8888888", "07348888888");
	/* extensions are dropped */
	accepts(FT_PHONE, "0734-8888888-123", "07348888888");
	accepts(FT_PHONE, "0734-88888888-1", "073488888888");
	accepts(FT_PHONE, "0734-8888888转123", "07348888888");
	accepts(FT_PHONE, "0734-8888888 ext. 12", "07348888888");
	accepts(FT_PHONE, "0734-8888888x12", "07348888888");
	accepts(FT_PHONE, "07348888888-123", "07348888888");
	rejects(FT_PHONE, "0734-8888888-1234567", "phone");
	rejects(FT_PHONE, "0734-8888888转", "phone");
	rejects(FT_PHONE, "0734-0888888", "phone");
	rejects(FT_PHONE, "0734-1888888", "phone");
	rejects(FT_PHONE, "0734-888888", "phone");
	rejects(FT_PHONE, "0734888888888", "phone");
	rejects(FT_PHONE, "8888888", "phone");
	rejects(FT_PHONE, "0012345678", "phone");
	rejects(FT_PHONE, "011-62345678", "phone");
	rejects(FT_PHONE, "400-123-4567", "phone");
	rejects(FT_PHONE, "tel 0734-8888888", "phone");
	rejects(FT_PHONE, "+", "phone");
	rejects(FT_PHONE, "", "phone");
}

static void
test_string(void)
{
	accepts(FT_STRING, "  hello  ", "hello");
	ok(last_pv.scale == VS_NONE && !last_pv.json_number && !last_pv.json_boolean,
	   "a string has no order and is a JSON string");
	accepts(FT_STRING, "\t\r\n衡阳 市\n", "衡阳 市");
	accepts(FT_STRING,
			"\xE3\x80\x80"
			"衡阳"
			"\xE3\x80\x80",
			"衡阳");
	accepts(FT_STRING,
			"\xC2\xA0"
			"a  b"
			"\xC2\xA0",
			"a  b");
	accepts(FT_STRING,
			"\xEF\xBB\xBF"
			"abc",
			"abc");
	accepts(FT_STRING, "", "");
	accepts(FT_STRING, "   ", "");
	accepts(FT_STRING, "\xE3\x80\x80\xE3\x80\x80", "");
	accepts(FT_STRING, "ｆｕｌｌ", "ｆｕｌｌ");
	accepts(FT_STRING, "😀", "😀");
}

static void
test_encoding(void)
{
	static const struct
	{
		const char *s;
		size_t      len;
		const char *what;
	} bad[] = {
		{"\xFF", 1, "0xFF"},
		{"abc\xC3", 4, "truncated 2-byte sequence"},
		{"\xE8\xA1", 2, "truncated 3-byte sequence"},
		{"\xC0\xAF", 2, "overlong '/'"},
		{"\xE0\x80\xAF", 3, "overlong 3-byte"},
		{"\xED\xA0\x80", 3, "surrogate"},
		{"\xF4\x90\x80\x80", 4, "above U+10FFFF"},
		{"\x80", 1, "lone continuation byte"},
		{"a\0b", 3, "NUL byte"},
		{"2024-03-05\xFF", 11, "date with a bad byte"},
		{"\xE8\xA1\xA1\xE9\x98", 5, "衡 then half of 阳"},
	};
	size_t k;
	int    t;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		for (t = 0; t < FT_COUNT; t++)
			is_str(parse_n((FieldType) t, bad[k].s, bad[k].len), "encoding",
				   "%s: %s is rejected as encoding", field_type_name((FieldType) t), bad[k].what);

	is_int(value_utf8_length("", 0), 0, "utf8 length of ''");
	is_int(value_utf8_length("abc", 3), 3, "utf8 length of 'abc'");
	is_int(value_utf8_length("衡阳市", strlen("衡阳市")), 3, "utf8 length of 衡阳市");
	is_int(value_utf8_length("a😀b", strlen("a😀b")), 3, "utf8 length with a 4-byte character");
	is_int(value_utf8_length("\xFF", 1), -1, "utf8 length of invalid input");
	is_int(value_utf8_length("衡阳", 5), -1, "utf8 length stops at len (cut character)");
	is_int(value_utf8_length("\xED\xA0\x80", 3), -1, "utf8 length rejects surrogates");
	is_int(value_utf8_length("\xF4\x8F\xBF\xBF", 4), 1, "U+10FFFF is one code point");
}

/* A 10 MB value: string keeps it, every other type rejects it quickly. */
static void
test_long(void)
{
	size_t      len = 10 * 1024 * 1024;
	char       *big = malloc(len);
	char       *out = malloc(len + VALUE_CANON_EXTRA);
	ParsedValue pv;
	const char *err;
	int         t;
	clock_t     t0;
	double      secs;
	size_t      k;

	memset(big, 'a', len);
	big[0] = ' ';
	big[len - 1] = ' ';
	err = value_parse(FT_STRING, big, len, out, &pv);
	ok(err == NULL && strlen(out) == len - 2 && out[0] == 'a' && out[len - 3] == 'a',
	   "a 10 MB string is accepted and trimmed");

	/* 3-byte characters: 衡 repeated */
	for (k = 0; k + 3 <= len; k += 3)
		memcpy(big + k, "衡", 3);
	err = value_parse(FT_STRING, big, k, out, &pv);
	ok(err == NULL && strlen(out) == k && value_utf8_length(out, k) == (long) (k / 3),
	   "a 10 MB Chinese string is accepted whole");

	memset(big, '1', len);
	t0 = clock();
	for (t = 0; t < FT_COUNT; t++)
	{
		static const char *const codes[FT_COUNT] = {NULL,     "type",    "type",     "type", "type",
													"type",   "type",    "type",     "type", "uscc",
													"idcard", "orgcode", "division", "phone"};

		if (t == FT_STRING)
			continue;
		err = value_parse((FieldType) t, big, len, out, &pv);
		is_str(err, codes[t], "10 MB of digits as %s is rejected as %s",
			   field_type_name((FieldType) t), codes[t]);
	}
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
	ok(secs < 20.0, "13 rejections of 10 MB took %.2f s (linear, not quadratic)", secs);

	/* a long run of trailing zeros is still too long for an amount */
	memset(big, '0', 1000);
	memcpy(big, "12.3", 4);
	is_str(value_parse(FT_AMOUNT, big, 1000, out, &pv), "type", "amount of 1000 bytes is rejected");
	free(big);
	free(out);
}

/* Canonical output parses to itself for a sample of accepted inputs. */
static void
test_idempotent(void)
{
	static const struct
	{
		FieldType   t;
		const char *in;
	} cases[] = {
		{FT_DATE, "2024年3月5日"},
		{FT_DATETIME, "2024-03-05T06:30:00Z"},
		{FT_YEAR, "2024年"},
		{FT_YEARMONTH, "2024年3月"},
		{FT_AMOUNT, "-¥1,234.5"},
		{FT_NUMBER, "1.5e+21"},
		{FT_NUMBER, "-2.5e-10"},
		{FT_NUMBER, "0.000001"},
		{FT_INTEGER, "-1,234"},
		{FT_BOOLEAN, "是"},
		{FT_USCC, "91350100m000100y43"},
		{FT_IDCARD, "110105491231002"},
		{FT_ORGCODE, "M000100Y-4"},
		{FT_DIVISION, " 430407"},
		{FT_PHONE, "+86 734 8888888-12"},
		{FT_PHONE, "+86 138 0013 8000"},
		{FT_STRING, "　x　"},
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		char first[64];

		if (parse(cases[k].t, cases[k].in) != NULL)
		{
			ok(0, "%s '%s' accepted", field_type_name(cases[k].t), cases[k].in);
			continue;
		}
		strcpy(first, last_out);
		is_str(parse(cases[k].t, first), NULL, "%s canonical '%s' parses",
			   field_type_name(cases[k].t), first);
		is_str(last_out, first, "%s canonical '%s' is a fixed point", field_type_name(cases[k].t),
			   first);
	}
}

int
main(void)
{
	test_names();
	test_days();
	test_date();
	test_datetime();
	test_year_yearmonth();
	test_amount();
	test_number_integer();
	test_boolean();
	test_identifiers();
	test_phone();
	test_string();
	test_encoding();
	test_long();
	test_idempotent();
	free(out_buf);
	return done_testing();
}
