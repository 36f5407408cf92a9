/*
 * test_utf8.c
 *		Unit tests of common/utf8.h: well-formed sequences decode to their
 *		code points, everything table 3-7 of Unicode rules out is refused,
 *		and encoding is decoding's inverse over every scalar value.
 */
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "tap.h"

static size_t
dec(const char *bytes, size_t n, uint32_t *cp)
{
	*cp = 0xFFFFFFFF;
	return utf8_decode((const unsigned char *) bytes, n, cp);
}

int
main(void)
{
	uint32_t      cp;
	char          buf[4];
	unsigned long bad = 0;

	is_int(dec("A", 1, &cp), 1, "ASCII is one byte");
	is_int(cp, 'A', "and its code point");
	is_int(dec("\xC2\xA0", 2, &cp), 2, "U+00A0 is two bytes");
	is_int(cp, 0xA0, "and decodes to U+00A0");
	is_int(dec("\xE8\xA1\xA1", 3, &cp), 3, "衡 is three bytes");
	is_int(cp, 0x8861, "and decodes to U+8861");
	is_int(dec("\xF0\x9F\x98\x80", 4, &cp), 4, "U+1F600 is four bytes");
	is_int(cp, 0x1F600, "and decodes to U+1F600");

	is_int(dec("\x80", 1, &cp), 0, "a lone continuation byte is refused");
	is_int(dec("\xC0\xAF", 2, &cp), 0, "C0 (overlong) is refused");
	is_int(dec("\xC1\xBF", 2, &cp), 0, "C1 (overlong) is refused");
	is_int(dec("\xE0\x80\xAF", 3, &cp), 0, "an overlong three-byte form is refused");
	is_int(dec("\xE0\xA0\x80", 3, &cp), 3, "U+0800, the first three-byte value, is taken");
	is_int(dec("\xED\xA0\x80", 3, &cp), 0, "a surrogate (U+D800) is refused");
	is_int(dec("\xED\x9F\xBF", 3, &cp), 3, "U+D7FF, just below the surrogates, is taken");
	is_int(dec("\xF0\x8F\xBF\xBF", 4, &cp), 0, "an overlong four-byte form is refused");
	is_int(dec("\xF4\x90\x80\x80", 4, &cp), 0, "above U+10FFFF is refused");
	is_int(dec("\xF4\x8F\xBF\xBF", 4, &cp), 4, "U+10FFFF is taken");
	is_int(dec("\xF5\x80\x80\x80", 4, &cp), 0, "F5 is refused");
	is_int(dec("\xE8\xA1", 2, &cp), 0, "a sequence cut short by the end of the input is refused");
	is_int(dec("\xE8\x41\xA1", 3, &cp), 0, "a sequence with an ASCII byte inside is refused");

	/* every scalar value round-trips; n is exactly the encoded length */
	for (uint32_t c = 0; c <= 0x10FFFF; c++)
	{
		size_t n;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		n = utf8_encode(c, buf);
		if (n != (c < 0x80      ? 1
				  : c < 0x800   ? 2
				  : c < 0x10000 ? 3
								: 4) ||
			dec(buf, n, &cp) != n || cp != c || (n > 1 && dec(buf, n - 1, &cp) != 0))
			bad++;
	}
	is_int((long) bad, 0,
		   "all 1,112,064 scalar values encode and decode back, and not from fewer bytes");

	return done_testing();
}
