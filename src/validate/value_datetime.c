/*
 * value_datetime.c
 *		Pure core: the parsers of the date, datetime, year and yearmonth
 *		field types (called by value_parse() in value.c).
 *
 * Kept apart from value.c because date syntax (separators, 年月日, compact
 * forms, times of day and zones) and calendar checks are a concern of their
 * own.  Day-first or month-first dates ("05/03/2024"), two-digit years, Excel
 * serial day numbers and Chinese numerals ("二〇二四年") are deliberately not
 * guessed, so rejected (see value.c).
 *
 * No PostgreSQL headers: this file is linked into the unit tests and the
 * fuzzer.  Nothing is allocated.
 */
#include "validate/value_internal.h"

#include <stdint.h>
#include <string.h>

#include "ident/ident.h"

/* Accepted calendar range of date, datetime, year and yearmonth values. */
#define VALUE_YEAR_MIN 1800
#define VALUE_YEAR_MAX 2199

/* Datetimes with an explicit offset are converted to China Standard Time. */
#define VALUE_LOCAL_OFFSET_SECONDS (8 * 3600)

/* ---------------------------------------------------------------------
 * Dates and times
 * ---------------------------------------------------------------------
 */

static bool
year_in_range(int y)
{
	return y >= VALUE_YEAR_MIN && y <= VALUE_YEAR_MAX;
}

/*
 * A date: YYYY-M-D, YYYY/M/D, YYYY.M.D (one separator throughout, month and
 * day with one or two digits), YYYYMMDD, or YYYY年M月D日 (日 may be 号 or
 * omitted; spaces allowed around the parts).  Syntax only; *compact tells
 * whether it was the 8-digit form.
 */
static bool
parse_date_part(Cursor *c, int *y, int *m, int *d, bool *compact)
{
	size_t run = digit_run(c);

	*compact = false;
	if (run == 8 || run == 14)
	{
		*y = take_digits(c, 4);
		*m = take_digits(c, 2);
		*d = take_digits(c, 2);
		*compact = true;
		return true;
	}
	if (run != 4)
		return false;
	*y = take_digits(c, 4);
	if (peek(c) == '-' || peek(c) == '/' || peek(c) == '.')
	{
		char sep = peek(c);

		c->i++;
		if (!take_number(c, 2, m) || peek(c) != sep)
			return false;
		c->i++;
		return take_number(c, 2, d);
	}
	skip_spaces(c);
	if (!eat(c, "年"))
		return false;
	skip_spaces(c);
	if (!take_number(c, 2, m))
		return false;
	skip_spaces(c);
	if (!eat(c, "月"))
		return false;
	skip_spaces(c);
	if (!take_number(c, 2, d))
		return false;
	{
		size_t save = c->i;

		skip_spaces(c);
		if (!eat(c, "日") && !eat(c, "号"))
			c->i = save;
	}
	return true;
}

typedef struct TimeOfDay
{
	bool present; /* a time was written */
	int  h, mi, s;
	bool frac_nonzero; /* fractional seconds other than zeros */
	bool zoned;        /* an offset or Z was written */
	int  offset;       /* seconds east of UTC when zoned */
} TimeOfDay;

/*
 * After a date: nothing, or a separator ('T' or spaces; none needed after
 * 日) and a time: H:MM[:SS[.fff]], H时[M分[S秒]] (时 may be 点), or HHMMSS
 * right after a compact date; then optionally a zone: Z, +HH, +HHMM, +HH:MM.
 */
static bool
parse_time_part(Cursor *c, bool compact_date, TimeOfDay *t)
{
	size_t save;

	memset(t, 0, sizeof(*t));
	if (at_end(c))
		return true;
	t->present = true;
	if (peek(c) == 'T' || peek(c) == 't')
		c->i++;
	else
		skip_spaces(c);

	if (compact_date && digit_run(c) == 6)
	{
		t->h = take_digits(c, 2);
		t->mi = take_digits(c, 2);
		t->s = take_digits(c, 2);
	}
	else
	{
		if (!take_number(c, 2, &t->h))
			return false;
		if (peek(c) == ':')
		{
			c->i++;
			if (digit_run(c) != 2)
				return false;
			t->mi = take_digits(c, 2);
			if (peek(c) == ':')
			{
				c->i++;
				if (digit_run(c) != 2)
					return false;
				t->s = take_digits(c, 2);
				if (peek(c) == '.' || peek(c) == ',')
				{
					c->i++;
					if (digit_run(c) == 0)
						return false;
					while (is_digit(peek(c)))
					{
						if (peek(c) != '0')
							t->frac_nonzero = true;
						c->i++;
					}
				}
			}
		}
		else
		{
			skip_spaces(c);
			if (!eat(c, "时") && !eat(c, "点"))
				return false;
			save = c->i;
			skip_spaces(c);
			if (take_number(c, 2, &t->mi))
			{
				skip_spaces(c);
				if (!eat(c, "分"))
					return false;
				save = c->i;
				skip_spaces(c);
				if (take_number(c, 2, &t->s))
				{
					skip_spaces(c);
					if (!eat(c, "秒"))
						return false;
				}
				else
					c->i = save;
			}
			else
				c->i = save;
		}
	}

	skip_spaces(c);
	if (peek(c) == 'Z' || peek(c) == 'z')
	{
		c->i++;
		t->zoned = true;
		t->offset = 0;
	}
	else if (peek(c) == '+' || peek(c) == '-')
	{
		int sign = peek(c) == '-' ? -1 : 1;
		int oh, om = 0;

		c->i++;
		if (digit_run(c) == 4)
		{
			oh = take_digits(c, 2);
			om = take_digits(c, 2);
		}
		else if (digit_run(c) == 2)
		{
			oh = take_digits(c, 2);
			if (peek(c) == ':')
			{
				c->i++;
				if (digit_run(c) != 2)
					return false;
				om = take_digits(c, 2);
			}
		}
		else
			return false;
		if (oh > 14 || om > 59)
			return false;
		t->zoned = true;
		t->offset = sign * (oh * 3600 + om * 60);
	}
	return at_end(c);
}

static bool
date_ok(int y, int m, int d)
{
	return year_in_range(y) && ident_date_valid(y, m, d);
}

/* Zero-padded decimal of 0 <= v < 10^width; returns the end. */
static char *
put_padded(char *p, int v, int width)
{
	int k;

	for (k = width - 1; k >= 0; k--)
	{
		p[k] = (char) ('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* YYYY-MM-DD, NUL-terminated; returns the end (at the NUL). */
static char *
put_ymd(char *p, int y, int m, int d)
{
	p = put_padded(p, y, 4);
	*p++ = '-';
	p = put_padded(p, m, 2);
	*p++ = '-';
	p = put_padded(p, d, 2);
	*p = '\0';
	return p;
}

const char *
value_parse_date(const char *s, size_t n, char *out, ParsedValue *pv)
{
	Cursor    c = {s, n, 0};
	int       y, m, d;
	bool      compact;
	TimeOfDay t;

	if (!parse_date_part(&c, &y, &m, &d, &compact) || !parse_time_part(&c, compact, &t))
		return "type";
	/* "2024-03-05 00:00:00" from a spreadsheet or database export is a date */
	if (t.present && (t.h != 0 || t.mi != 0 || t.s != 0 || t.frac_nonzero || t.zoned))
		return "type";
	if (!date_ok(y, m, d))
		return "type";
	put_ymd(out, y, m, d);
	pv->scale = VS_DAYS;
	pv->cmp.days = value_days_from_ymd(y, m, d);
	return NULL;
}

/*
 * Fractional seconds are truncated (the canonical form has whole seconds).  A
 * written offset is honoured by converting to China Standard Time (UTC+8),
 * the time of the platform; a datetime without one is taken as local already.
 */
const char *
value_parse_datetime(const char *s, size_t n, char *out, ParsedValue *pv)
{
	Cursor    c = {s, n, 0};
	int       y, m, d;
	bool      compact;
	TimeOfDay t;
	int64_t   secs;
	int64_t   days;
	int       sod;
	char     *p;

	if (!parse_date_part(&c, &y, &m, &d, &compact) || !parse_time_part(&c, compact, &t))
		return "type";
	if (t.h > 23 || t.mi > 59 || t.s > 59 || !date_ok(y, m, d))
		return "type";
	secs = (int64_t) value_days_from_ymd(y, m, d) * 86400 + t.h * 3600 + t.mi * 60 + t.s;
	if (t.zoned)
		secs += VALUE_LOCAL_OFFSET_SECONDS - t.offset;
	/* floor division: secs may be negative (before 2000) */
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	sod = (int) (secs - days * 86400);
	value_ymd_from_days((int32_t) days, &y, &m, &d);
	if (!year_in_range(y))
		return "type";
	p = put_ymd(out, y, m, d);
	*p++ = 'T';
	p = put_padded(p, sod / 3600, 2);
	*p++ = ':';
	p = put_padded(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_padded(p, sod % 60, 2);
	*p = '\0';
	pv->scale = VS_SECONDS;
	pv->cmp.seconds = secs;
	return NULL;
}

const char *
value_parse_year(const char *s, size_t n, char *out, ParsedValue *pv)
{
	Cursor c = {s, n, 0};
	int    y;

	if (digit_run(&c) != 4)
		return "type";
	y = take_digits(&c, 4);
	skip_spaces(&c);
	eat(&c, "年");
	if (!at_end(&c) || !year_in_range(y))
		return "type";
	*put_padded(out, y, 4) = '\0';
	pv->scale = VS_NUMBER;
	pv->cmp.number = y;
	pv->json_number = true;
	return NULL;
}

/*
 * YYYY-MM, YYYY/M, YYYY.MM, YYYYMM, YYYY年M月; also a full date on the first
 * of the month, as systems that store a period as its first day send it.
 */
const char *
value_parse_yearmonth(const char *s, size_t n, char *out, ParsedValue *pv)
{
	Cursor c = {s, n, 0};
	int    y, m;
	size_t run = digit_run(&c);
	char  *p;

	if (run == 6)
	{
		y = take_digits(&c, 4);
		m = take_digits(&c, 2);
	}
	else if (run == 4)
	{
		y = take_digits(&c, 4);
		if (peek(&c) == '-' || peek(&c) == '/' || peek(&c) == '.')
		{
			c.i++;
			if (!take_number(&c, 2, &m))
				return "type";
		}
		else
		{
			skip_spaces(&c);
			if (!eat(&c, "年"))
				return "type";
			skip_spaces(&c);
			if (!take_number(&c, 2, &m))
				return "type";
			skip_spaces(&c);
			eat(&c, "月");
		}
	}
	else
		run = 0;

	if (run == 0 || !at_end(&c))
	{
		/* a date on the 1st of the month, e.g. "2024-03-01" */
		int       d;
		bool      compact;
		TimeOfDay t;

		c.i = 0;
		if (!parse_date_part(&c, &y, &m, &d, &compact) || !parse_time_part(&c, compact, &t) ||
			t.present || d != 1)
			return "type";
	}
	if (!year_in_range(y) || m < 1 || m > 12)
		return "type";
	p = put_padded(out, y, 4);
	*p++ = '-';
	*put_padded(p, m, 2) = '\0';
	pv->scale = VS_DAYS;
	pv->cmp.days = value_days_from_ymd(y, m, 1);
	return NULL;
}
