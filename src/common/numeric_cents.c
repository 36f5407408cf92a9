/*
 * numeric_cents.c
 *		Pure core: a stored numeric value read as a whole number of cents
 *		(numeric_cents.h).
 *
 * The header's 16 bits (numeric.c): the top two say the form, 00 positive
 * and 01 negative (long form: a signed 16-bit weight follows), 10 short form,
 * 11 a special value (NaN, infinities).  In the short form bit 13 is the
 * sign, bits 7-12 the display scale, bit 6 the weight's sign and bits 0-5 its
 * magnitude (as a 7-bit two's complement number).  The digits follow as
 * 16-bit integers 0..9999, most significant first; the first is worth
 * 10000^weight.  Leading and trailing zero digits are not stored.
 */
#include "common/numeric_cents.h"

#include <string.h>

#define NC_FORM_MASK        0xC000
#define NC_NEGATIVE         0x4000
#define NC_SHORT            0x8000
#define NC_SPECIAL          0xC000
#define NC_SHORT_NEGATIVE   0x2000
#define NC_SHORT_WEIGHT_NEG 0x0040
#define NC_SHORT_WEIGHT     0x003F
#define NC_BASE             10000

static uint16_t
read_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v); /* stored in the machine's byte order, maybe unaligned */
	return v;
}

bool
numeric_cents(const unsigned char *body, size_t len, int64_t *cents)
{
	uint16_t header;
	bool     negative;
	int      weight;
	size_t   off;
	size_t   ndigits;
	int64_t  total = 0;
	size_t   i;

	if (len < 2)
		return false;
	header = read_u16(body);
	switch (header & NC_FORM_MASK)
	{
		case NC_SPECIAL:
			return false;
		case NC_SHORT:
			negative = (header & NC_SHORT_NEGATIVE) != 0;
			weight = (int) (header & NC_SHORT_WEIGHT);
			if (header & NC_SHORT_WEIGHT_NEG)
				weight -= NC_SHORT_WEIGHT + 1;
			off = 2;
			break;
		default:
			if (len < 4)
				return false;
			negative = (header & NC_FORM_MASK) == NC_NEGATIVE;
			weight = (int16_t) read_u16(body + 2);
			off = 4;
			break;
	}
	if ((len - off) % 2 != 0)
		return false;
	ndigits = (len - off) / 2;
	for (i = 0; i < ndigits; i++)
	{
		int64_t digit = read_u16(body + off + 2 * i);
		int64_t place = (int64_t) weight - (int64_t) i; /* in powers of 10000 */
		int64_t term;

		if (digit >= NC_BASE)
			return false;
		if (place >= 0)
		{
			int64_t k;

			/* digit x 10000^place x 100: at most 10000^4 x 100 fits */
			if (place > 4)
			{
				if (digit != 0)
					return false;
				continue;
			}
			term = digit * 100;
			for (k = 0; k < place; k++)
				if (__builtin_mul_overflow(term, (int64_t) NC_BASE, &term))
					return false;
		}
		else if (place == -1)
		{
			if (digit % 100 != 0)
				return false;
			term = digit / 100;
		}
		else
		{
			if (digit != 0)
				return false;
			continue;
		}
		if (__builtin_add_overflow(total, term, &total))
			return false;
	}
	*cents = negative ? -total : total;
	return true;
}
