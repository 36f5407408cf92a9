/*
 * utf8.h
 *		Pure core: decoding and encoding one UTF-8 sequence, for the cores
 *		that walk text by code point (name normalisation, similarity, the
 *		length of a value).  Inline, since those walks are per character of
 *		every record.
 *
 * Well-formed means Unicode's table 3-7 (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.  Plain C99, no server headers.
 */
#ifndef TAXSHARE_UTF8_H
#define TAXSHARE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the well-formed UTF-8 sequence at p (n >= 1 bytes available),
 * with its code point in *cp; 0 if the bytes at p do not start one.
 */
static inline size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char b0 = p[0];
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;
	size_t        k;
	uint32_t      c;

	if (b0 < 0x80)
	{
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xC2 && b0 <= 0xDF)
	{
		k = 2;
		c = b0 & 0x1F;
	}
	else if (b0 >= 0xE0 && b0 <= 0xEF)
	{
		k = 3;
		c = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (b0 == 0xED)
			hi = 0x9F; /* no surrogates */
	}
	else if (b0 >= 0xF0 && b0 <= 0xF4)
	{
		k = 4;
		c = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90; /* no overlong forms */
		else if (b0 == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	}
	else
		return 0; /* continuation byte, C0, C1, F5..FF */

	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	c = (c << 6) | (p[1] & 0x3F);
	for (size_t i = 2; i < k; i++)
	{
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return k;
}

/* Write code point cp (a Unicode scalar value) at out (4 bytes room); its length. */
static inline size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *) out;

	if (cp < 0x80)
	{
		o[0] = (unsigned char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		o[0] = (unsigned char) (0xC0 | (cp >> 6));
		o[1] = (unsigned char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		o[0] = (unsigned char) (0xE0 | (cp >> 12));
		o[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char) (0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char) (0xF0 | (cp >> 18));
	o[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char) (0x80 | (cp & 0x3F));
	return 4;
}

#endif /* TAXSHARE_UTF8_H */
