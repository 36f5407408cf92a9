/*
 * value.h
 *		Pure core: parse one reported value of a catalog field type into its
 *		canonical form.
 *
 * Departments send values the way people write them ("2024/3/5",
 * "2024年3月5日", "1,234,567.00", " 91350100m000100y43 ").  value_parse()
 * accepts those variants and produces the canonical text stored in
 * record.payload, plus a comparable scalar used by the minimum/maximum
 * constraints and the cross-field rules.  No PostgreSQL headers: unit tests and
 * fuzzers call this directly.
 */
#ifndef TAXSHARE_VALUE_H
#define TAXSHARE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The catalog's field types (Table Schema's words plus taxshare's own). */
typedef enum FieldType
{
	FT_STRING,
	FT_NUMBER,
	FT_INTEGER,
	FT_BOOLEAN,
	FT_DATE,
	FT_DATETIME,
	FT_YEAR,
	FT_YEARMONTH,
	FT_AMOUNT, /* yuan, at most 2 decimals */
	FT_USCC,
	FT_IDCARD,
	FT_ORGCODE,
	FT_DIVISION, /* 6-digit GB/T 2260 code */
	FT_PHONE     /* mainland mobile, or landline with area code */
} FieldType;

#define FT_COUNT (FT_PHONE + 1)

/* How a parsed value compares: which member of ParsedValue.cmp is set. */
typedef enum ValueScale
{
	VS_NONE,   /* strings, booleans, identifiers: no order */
	VS_NUMBER, /* cmp.number */
	VS_CENTS,  /* cmp.cents: amounts in fen */
	VS_DAYS,   /* cmp.days: days since 2000-01-01 (date, yearmonth = 1st) */
	VS_SECONDS /* cmp.seconds: seconds since 2000-01-01 00:00:00 (datetime) */
} ValueScale;

typedef struct ParsedValue
{
	ValueScale scale;
	union
	{
		double  number; /* number, integer, year */
		int64_t cents;
		int32_t days;
		int64_t seconds;
	} cmp;
	bool json_number;  /* canonical text is a JSON number, not a string */
	bool json_boolean; /* canonical text is true/false */
} ParsedValue;

/* Canonical output never needs more than this many bytes plus the input's length. */
#define VALUE_CANON_EXTRA 32

/*
 * Parse in[0..len) as type t.  On success return NULL, write the canonical text
 * NUL-terminated to out (capacity at least len + VALUE_CANON_EXTRA) and fill *pv.
 * On failure return a stable error code word: "type" for a value that is not of
 * the type at all, or the identifier's own code ("uscc", "idcard", "orgcode",
 * "division", "phone") for a well-formed but invalid identifier, "decimals" for
 * an amount with more than two decimals, "encoding" for invalid UTF-8.
 *
 * Canonical forms: date YYYY-MM-DD; datetime YYYY-MM-DDTHH:MM:SS; year YYYY;
 * yearmonth YYYY-MM; amount a JSON number with exactly two decimals
 * ("1234567.00"); number the shortest JSON number text that round-trips;
 * integer a JSON integer; boolean true/false; identifiers per normalize_ident;
 * phone digits only (landline "0734-8888888" -> "07348888888"); string: the
 * input with leading and trailing white space trimmed.
 */
extern const char *value_parse(FieldType t, const char *in, size_t len, char *out, ParsedValue *pv);

/* Type name <-> enum ("string", "amount", ...); false / NULL when unknown. */
extern bool        field_type_from_name(const char *name, FieldType *out);
extern const char *field_type_name(FieldType t);

/* Days since 2000-01-01 of a valid calendar date, and back. */
extern int32_t value_days_from_ymd(int year, int month, int day);
extern void    value_ymd_from_days(int32_t days, int *year, int *month, int *day);

/* Number of Unicode code points in valid UTF-8 (for minLength/maxLength); -1 if invalid. */
extern long value_utf8_length(const char *s, size_t len);

#endif /* TAXSHARE_VALUE_H */
