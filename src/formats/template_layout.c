/*
 * template_layout.c
 *		The pure core of the templates: field types as columns, widths and
 *		Excel's limits (template_layout.h says what each function does).
 */
#include <string.h>

#include "formats/template_layout.h"

TemplateKind
template_kind_of(const char *type)
{
	static const struct
	{
		const char  *type;
		TemplateKind kind;
	} kinds[] = {
		{"uscc", TK_IDENT},      {"idcard", TK_IDENT},      {"orgcode", TK_IDENT},
		{"division", TK_IDENT},  {"phone", TK_IDENT},       {"number", TK_NUMBER},
		{"integer", TK_INTEGER}, {"year", TK_INTEGER},      {"amount", TK_AMOUNT},
		{"date", TK_DATE},       {"datetime", TK_DATETIME}, {"boolean", TK_BOOLEAN},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
	{
		if (strcmp(type, kinds[i].type) == 0)
			return kinds[i].kind;
	}
	return TK_TEXT;
}

const char *
template_num_format(TemplateKind kind)
{
	switch (kind)
	{
		case TK_NUMBER:
			return "General";
		case TK_INTEGER:
			return "0";
		case TK_AMOUNT:
			return "#,##0.00";
		case TK_DATE:
			return "yyyy-mm-dd";
		case TK_DATETIME:
			return "yyyy-mm-dd hh:mm:ss";
		case TK_TEXT:
		case TK_IDENT:
		case TK_BOOLEAN:
			break;
	}
	return "@";
}

bool
template_ident_length(const char *type, int *min_len, int *max_len)
{
	if (strcmp(type, "uscc") == 0)
		*min_len = *max_len = 18;
	else if (strcmp(type, "idcard") == 0)
		*min_len = 15, *max_len = 18;
	else if (strcmp(type, "orgcode") == 0)
		*min_len = 9, *max_len = 10;
	else if (strcmp(type, "division") == 0)
		*min_len = *max_len = 6;
	else
		return false;
	return true;
}

/* Length in bytes of the UTF-8 sequence that starts with lead byte c, or 0. */
static int
utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* The length of the character at s (1 for an invalid or truncated one). */
static size_t
char_len(const char *s, size_t left)
{
	int n = utf8_seq_len((unsigned char) s[0]);

	if (n == 0 || (size_t) n > left)
		return 1;
	for (int i = 1; i < n; i++)
	{
		if (((unsigned char) s[i] & 0xC0) != 0x80)
			return 1;
	}
	return (size_t) n;
}

int
template_display_width(const char *s, size_t len)
{
	int    width = 0;
	size_t pos = 0;

	while (pos < len)
	{
		size_t n = char_len(s + pos, len - pos);

		width += (n == 1) ? 1 : 2;
		pos += n;
	}
	return width;
}

/* Room for a typical value of each kind, in width units. */
static int
value_width(TemplateKind kind, const char *type)
{
	switch (kind)
	{
		case TK_IDENT:
			return strcmp(type, "division") == 0 ? 8 : 20;
		case TK_AMOUNT:
			return 16;
		case TK_NUMBER:
		case TK_INTEGER:
			return 10;
		case TK_DATE:
			return 12;
		case TK_DATETIME:
			return 20;
		case TK_BOOLEAN:
			return 6;
		case TK_TEXT:
			break;
	}
	return 12;
}

double
template_column_width(const char *title, const char *name, TemplateKind kind, const char *type)
{
	int width = template_display_width(title, strlen(title));
	int w;

	/* The hidden name row shows when unhidden; the * of a required title adds 2. */
	w = template_display_width(name, strlen(name));
	if (w > width)
		width = w;
	width += 4;
	w = value_width(kind, type);
	if (w > width)
		width = w;
	if (width > 60)
		width = 60;
	return (double) width;
}

bool
template_list_inline(const char *const *values, int n)
{
	size_t total = 0;

	if (n <= 0)
		return false;
	for (int i = 0; i < n; i++)
	{
		size_t len = strlen(values[i]);

		if (len == 0 || strpbrk(values[i], ",\"") != NULL)
			return false;
		total += len + (i > 0 ? 1 : 0);
		if (total > TEMPLATE_INLINE_LIST_MAX)
			return false;
	}
	return true;
}

size_t
template_clip_chars(const char *s, size_t len, size_t max_chars)
{
	size_t pos = 0;
	size_t chars = 0;

	while (pos < len && chars < max_chars)
	{
		pos += char_len(s + pos, len - pos);
		chars++;
	}
	return pos;
}
