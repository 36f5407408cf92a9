/*
 * formats_core.c
 *		Helpers shared by the file readers: errors, column letters, UTF-8.
 */
#include "formats/formats_core.h"

#include <string.h>

void
formats_error_set(FormatsError *err, FormatsErrorCode code, const char *value, size_t len)
{
	size_t n = 0;

	err->code = code;
	if (value)
	{
		/* cut at a character boundary, keeping room for the NUL */
		n = len < sizeof(err->value) - 1 ? len : sizeof(err->value) - 1;
		while (n > 0 && n < len && ((unsigned char) value[n] & 0xC0) == 0x80)
			n--;
		memcpy(err->value, value, n);
	}
	err->value[n] = '\0';
}

void
formats_col_letters(int col, char *buf)
{
	char tmp[4];
	int  n = 0;
	int  i;

	if (col < 0 || col >= FORMATS_MAX_COLS)
	{
		buf[0] = '?';
		buf[1] = '\0';
		return;
	}
	col++;
	while (col > 0 && n < 3)
	{
		int r = (col - 1) % 26;

		tmp[n++] = (char) ('A' + r);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

int
formats_parse_cell_ref(const char *ref, size_t len, long *row)
{
	size_t i = 0;
	long   col = 0;
	long   r = 0;

	while (i < len && ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
		col = col * 26 + (ref[i++] - 'A' + 1);
	if (i == 0 || col > FORMATS_MAX_COLS)
		return -1;
	if (i < len && !(ref[i] >= '0' && ref[i] <= '9'))
		return -1;
	for (; i < len; i++)
	{
		if (ref[i] < '0' || ref[i] > '9' || r > 100000000L)
			return -1;
		r = r * 10 + (ref[i] - '0');
	}
	*row = r;
	return (int) col - 1;
}

bool
formats_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t               i = 0;

	while (i < len)
	{
		unsigned char c = p[i];
		size_t        n;
		uint32_t      cp;
		size_t        k;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
		{
			n = 2;
			cp = c & 0x1F;
		}
		else if (c >= 0xE0 && c <= 0xEF)
		{
			n = 3;
			cp = c & 0x0F;
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			n = 4;
			cp = c & 0x07;
		}
		else
			goto fail;
		if (i + n > len)
			goto fail;
		for (k = 1; k < n; k++)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += n;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}
