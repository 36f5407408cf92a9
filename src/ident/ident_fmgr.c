/*
 * ident_fmgr.c
 *		SQL functions of the identifier module: fmgr glue around the pure cores
 *		ident.c and normalize.c.
 *
 * The validators are called once per row over large tables, so they read the
 * (possibly short-header) text in place and allocate nothing.  Functions that
 * decode a number raise 22023 with the offending value, the reason and what
 * is accepted.
 */
#include "taxshare.h"

#include "catalog/namespace.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "ident/ident.h"
#include "ident/normalize.h"

/* Longest part of an offending value quoted in a message, in bytes. */
#define IDENT_QUOTE_MAX 64

#define IDCARD_HINT                                                                              \
	"Pass 18 characters (17 digits, then a digit or upper-case X) or a legacy 15-digit number; " \
	"taxshare.normalize_ident() cleans up typed input."
#define USCC_HINT                                                               \
	"Pass 18 characters from 0-9 and upper-case A-Y other than I, O, S and V; " \
	"taxshare.normalize_ident() cleans up typed input."

/* The value for an error message, clipped on a character boundary. */
static char *
quote_value(const char *s, size_t len)
{
	int clip;

	if (len <= IDENT_QUOTE_MAX)
		return pnstrdup(s, len);
	clip = pg_mbcliplen(s, (int) len, IDENT_QUOTE_MAX);
	return psprintf("%s...", pnstrdup(s, clip));
}

/* The character at byte offset pos, as a string (it may be multibyte). */
static char *
char_at(const char *s, size_t len, size_t pos)
{
	int clen = pg_mblen(s + pos);

	if ((size_t) clen > len - pos)
		clen = (int) (len - pos);
	return pnstrdup(s + pos, clen);
}

static int
char_count(const char *s, size_t len)
{
	return pg_mbstrlen_with_len(s, (int) len);
}

/*
 * Detail for a value of the wrong byte length.  When it has the right number
 * of characters, a multibyte character (often a full-width digit) is the
 * culprit: name it rather than confuse with "18 characters, not 18".
 */
static char *
length_detail(const char *s, size_t len, int want1, int want2, const char *what)
{
	int nchars = char_count(s, len);

	if (nchars == want1 || nchars == want2)
	{
		size_t pos = 0;

		for (int i = 1; pos < len; i++)
		{
			if (IS_HIGHBIT_SET(s[pos]))
				return psprintf("Character %d (\"%s\") is not %s.", i, char_at(s, len, pos), what);
			pos++;
		}
	}
	if (want1 == want2)
		return psprintf("It has %d characters, not %d.", nchars, want1);
	return psprintf("It has %d characters, not %d or %d.", nchars, want1, want2);
}

/*
 * Raise the error for a resident identity number that ident_idcard_problem()
 * rejected.
 */
static void
report_bad_idcard(const char *s, size_t len, IdentProblem problem, size_t pos)
{
	char *value = quote_value(s, len);
	char *detail;

	switch (problem)
	{
		case IDENT_BAD_LENGTH:
			detail = length_detail(s, len, 18, 15, "an ASCII digit");
			break;
		case IDENT_BAD_CHAR:
			if (pos == 17)
				detail =
					psprintf("Its last character \"%s\" is neither a digit nor upper-case \"X\".",
							 char_at(s, len, pos));
			else
				detail = psprintf("Character %d (\"%s\") is not a digit.", (int) pos + 1,
								  char_at(s, len, pos));
			break;
		case IDENT_BAD_REGION:
			detail = psprintf(
				"Its region code \"%.6s\" does not begin with a province code of GB/T 2260.", s);
			break;
		case IDENT_BAD_DATE:
			if (len == IDENT_IDCARD15_LEN)
				detail = psprintf("Its birth date \"19%.6s\" is not a real calendar date.", s + 6);
			else
				detail = psprintf("Its birth date \"%.8s\" is not a real calendar date between "
								  "1800-01-01 and 2100-12-31.",
								  s + 6);
			break;
		case IDENT_BAD_CHECK:
			detail = psprintf("Its check character is \"%c\" but the first 17 digits give \"%c\".",
							  s[17], ident_idcard_check_char(s));
			break;
		default:
			detail = NULL;
			break;
	}
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("invalid resident identity number: \"%s\"", value),
					detail ? errdetail_internal("%s", detail) : 0, errhint(IDCARD_HINT)));
}

/*
 * The 18- or 15-character number of argument 0, valid, or an error.
 */
static const char *
idcard_arg(FunctionCallInfo fcinfo, size_t *len)
{
	text        *t = PG_GETARG_TEXT_PP(0);
	const char  *s = VARDATA_ANY(t);
	size_t       pos;
	IdentProblem problem;

	*len = VARSIZE_ANY_EXHDR(t);
	problem = ident_idcard_problem(s, *len, &pos);
	if (problem != IDENT_OK)
		report_bad_idcard(s, *len, problem, pos);
	return s;
}

PG_FUNCTION_INFO_V1(taxshare_uscc_valid);

Datum
taxshare_uscc_valid(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	bool  valid = ident_uscc_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_BOOL(valid);
}

PG_FUNCTION_INFO_V1(taxshare_idcard_valid);

Datum
taxshare_idcard_valid(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	bool  valid = ident_idcard_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_BOOL(valid);
}

PG_FUNCTION_INFO_V1(taxshare_orgcode_valid);

Datum
taxshare_orgcode_valid(PG_FUNCTION_ARGS)
{
	text *t = PG_GETARG_TEXT_PP(0);
	bool  valid = ident_orgcode_valid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	PG_FREE_IF_COPY(t, 0);
	PG_RETURN_BOOL(valid);
}

PG_FUNCTION_INFO_V1(taxshare_uscc_orgcode);

/*
 * Characters 9-17 of a USCC: the organization code (GB 32100-2015, 4.4).
 * The code itself is not checked against GB 11714: the standard does not
 * require it, and orgcode_valid() is there for callers who want to.
 */
Datum
taxshare_uscc_orgcode(PG_FUNCTION_ARGS)
{
	text        *t = PG_GETARG_TEXT_PP(0);
	const char  *s = VARDATA_ANY(t);
	size_t       len = VARSIZE_ANY_EXHDR(t);
	size_t       pos;
	IdentProblem problem = ident_uscc_problem(s, len, &pos);

	if (problem != IDENT_OK)
	{
		char *detail;

		if (problem == IDENT_BAD_LENGTH)
			detail = length_detail(s, len, 18, 18, "one of the 31 code characters");
		else if (problem == IDENT_BAD_CHAR)
			detail = psprintf("Character %d (\"%s\") is not one of the 31 code characters.",
							  (int) pos + 1, char_at(s, len, pos));
		else
			detail =
				psprintf("Its check character is \"%c\" but the first 17 characters give \"%c\".",
						 s[17], ident_uscc_check_char(s));
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("invalid unified social credit code: \"%s\"", quote_value(s, len)),
						errdetail_internal("%s", detail), errhint(USCC_HINT)));
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s + 8, IDENT_ORGCODE_LEN));
}

PG_FUNCTION_INFO_V1(taxshare_idcard_upgrade);

/* 15 digits to 18 characters; an 18-character number comes back as it is. */
Datum
taxshare_idcard_upgrade(PG_FUNCTION_ARGS)
{
	size_t      len;
	const char *s = idcard_arg(fcinfo, &len);
	char        out[19];

	if (!ident_idcard_upgrade(s, len, out))
		elog(ERROR, "idcard_upgrade disagrees with the validator");
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, 18));
}

PG_FUNCTION_INFO_V1(taxshare_idcard_birthdate);

Datum
taxshare_idcard_birthdate(PG_FUNCTION_ARGS)
{
	size_t      len;
	const char *s = idcard_arg(fcinfo, &len);
	int         year;
	int         month;
	int         day;

	if (!ident_idcard_birthdate(s, len, &year, &month, &day))
		elog(ERROR, "idcard_birthdate disagrees with the validator");
	PG_RETURN_DATEADT(date2j(year, month, day) - POSTGRES_EPOCH_JDATE);
}

PG_FUNCTION_INFO_V1(taxshare_idcard_sex);

/* GB 11643-1999, 6.3: the sequence code is odd for men, even for women. */
Datum
taxshare_idcard_sex(PG_FUNCTION_ARGS)
{
	size_t      len;
	const char *s = idcard_arg(fcinfo, &len);
	char        digit = s[len == IDENT_IDCARD_LEN ? 16 : 14];

	PG_RETURN_TEXT_P(cstring_to_text((digit - '0') % 2 == 1 ? "M" : "F"));
}

PG_FUNCTION_INFO_V1(taxshare_idcard_region);

/* GB 11643-1999, 6.1: the first six digits are the GB/T 2260 division code. */
Datum
taxshare_idcard_region(PG_FUNCTION_ARGS)
{
	size_t      len;
	const char *s = idcard_arg(fcinfo, &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, 6));
}

/*
 * Can the server encoding represent U+00B7 MIDDLE DOT, the separator
 * normalize_name() writes?  EUC_CN cannot (PostgreSQL maps its A1A4 to
 * U+30FB); there the dots are left as they are.
 */
static bool
server_has_middle_dot(void)
{
	int           encoding = GetDatabaseEncoding();
	Oid           proc = FindDefaultConversionProc(PG_UTF8, encoding);
	unsigned char dot[] = "\xC2\xB7";
	unsigned char buf[2 * MAX_CONVERSION_GROWTH + 1];

	if (!OidIsValid(proc))
		return false;
	return pg_do_encoding_conversion_buf(proc, PG_UTF8, encoding, dot, 2, buf, sizeof(buf), true) ==
		   2;
}

/*
 * Run a normaliser on argument 0.  The cores work on UTF-8: other server
 * encodings are converted there and back (SQL_ASCII bytes are taken as they
 * are; the cores copy bytes that are not UTF-8 through unchanged).
 */
static text *
normalize_arg(FunctionCallInfo fcinfo, bool name)
{
	text       *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	size_t      len = VARSIZE_ANY_EXHDR(t);
	int         encoding = GetDatabaseEncoding();
	text       *result;
	size_t      n;

	if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII)
	{
		result = (text *) palloc(VARHDRSZ + len + 1);
		if (name)
			n = normalize_name(s, len, VARDATA(result));
		else
			n = normalize_ident(s, len, VARDATA(result));
		SET_VARSIZE(result, VARHDRSZ + n);
	}
	else
	{
		char *utf8 = pg_server_to_any(s, (int) len, PG_UTF8);

		/* unconverted (empty) input comes back as s, not NUL-terminated */
		size_t ulen = (utf8 == s) ? len : strlen(utf8);
		char  *buf = palloc(ulen + 1);
		char  *back;

		if (name)
			n = normalize_name_opts(utf8, ulen, buf,
									server_has_middle_dot() ? 0 : NORMALIZE_KEEP_DOTS);
		else
			n = normalize_ident(utf8, ulen, buf);
		back = pg_any_to_server(buf, (int) n, PG_UTF8);
		result = cstring_to_text(back);
	}
	return result;
}

PG_FUNCTION_INFO_V1(taxshare_normalize_ident);

Datum
taxshare_normalize_ident(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(normalize_arg(fcinfo, false));
}

PG_FUNCTION_INFO_V1(taxshare_normalize_name);

Datum
taxshare_normalize_name(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(normalize_arg(fcinfo, true));
}
