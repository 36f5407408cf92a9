/*
 * fuzz_value.c
 *		libFuzzer target for value_parse() (src/validate/value.c).
 *
 * Every input is parsed as every field type.  Checked, besides the sanitizers'
 * own checks (the input lives in a buffer of exactly its size and the output
 * in one of exactly size + VALUE_CANON_EXTRA bytes):
 *	- failures return one of the documented code words and leave no output;
 *	- the canonical text fits the documented capacity and is valid UTF-8;
 *	- the canonical text parses again to itself with the same comparable
 *	  scalar (idempotence).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate/value.h"

#define CHECK(cond)           \
	do                        \
	{                         \
		if (!(cond))          \
			__builtin_trap(); \
	} while (0)

static bool
known_code(const char *e)
{
	static const char *const codes[] = {"type",   "decimals", "encoding", "uscc",
										"idcard", "orgcode",  "division", "phone"};
	size_t                   k;

	for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
		if (strcmp(e, codes[k]) == 0)
			return true;
	return false;
}

static bool
same_scalar(const ParsedValue *a, const ParsedValue *b)
{
	if (a->scale != b->scale || a->json_number != b->json_number ||
		a->json_boolean != b->json_boolean)
		return false;
	switch (a->scale)
	{
		case VS_NUMBER:
			return a->cmp.number == b->cmp.number;
		case VS_CENTS:
			return a->cmp.cents == b->cmp.cents;
		case VS_DAYS:
			return a->cmp.days == b->cmp.days;
		case VS_SECONDS:
			return a->cmp.seconds == b->cmp.seconds;
		default:
			return true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size > 0 ? size : 1);
	char *out = malloc(size + VALUE_CANON_EXTRA);
	int   t;

	memcpy(in, data, size);
	for (t = 0; t < FT_COUNT; t++)
	{
		ParsedValue pv;
		const char *err = value_parse((FieldType) t, in, size, out, &pv);

		if (err != NULL)
		{
			CHECK(known_code(err));
			CHECK(out[0] == '\0' && pv.scale == VS_NONE);
		}
		else
		{
			size_t      n = strnlen(out, size + VALUE_CANON_EXTRA);
			char       *again;
			ParsedValue pv2;

			CHECK(n < size + VALUE_CANON_EXTRA);
			CHECK(value_utf8_length(out, n) >= 0);
			CHECK(n <= size || t != FT_STRING);

			again = malloc(n + VALUE_CANON_EXTRA);
			CHECK(value_parse((FieldType) t, out, n, again, &pv2) == NULL);
			CHECK(strcmp(again, out) == 0);
			CHECK(same_scalar(&pv, &pv2));
			free(again);
		}
	}
	free(in);
	free(out);
	return 0;
}
