/*
 * normalize.c
 *		Canonical forms of identifiers and names.  Pure core: see normalize.h.
 *
 * Both normalisers make one pass over the input, decoding UTF-8 strictly
 * (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above
 * U+10FFFF).  Every mapping turns a character into one that is no longer in
 * UTF-8, which is why the output never outgrows the input.
 */
#include "common/utf8.h"
#include "ident/normalize.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LEGAL_FORM(variant, canonical, source)                                 \
	{                                                                          \
		variant, sizeof(variant) - 1, canonical, sizeof(canonical) - 1, source \
	}

/*
 * Legal-form variants that name the same organisational form.  Only forms
 * that the law declares interchangeable are listed; features that tell
 * entities apart (分公司, (中国), (有限合伙), (普通合伙), (特殊普通合伙),
 * 集团) are kept.  See docs/identifiers.md.
 *
 * Replacement is left to right and repeats at the same place while a variant
 * ends there, so 股份有限责任公司 becomes 股份有限公司 and then 股份公司.
 * That one pass leaves no variant behind (which makes normalize_name
 * idempotent) because the last character of every variant occurs in every
 * canonical form only as its last character: a variant can only re-appear
 * ending where a replacement ended.  test_normalize.c checks that property.
 */
const NormalizeLegalForm normalize_legal_forms[] = {
	LEGAL_FORM("有限责任公司", "有限公司",
			   "公司法 (2023) 第七条: 有限责任公司名称中必须标明有限责任公司或者有限公司字样"),
	LEGAL_FORM("股份有限公司", "股份公司",
			   "公司法 (2023) 第七条: 股份有限公司名称中必须标明股份有限公司或者股份公司字样"),
};
const size_t normalize_legal_forms_count =
	sizeof(normalize_legal_forms) / sizeof(normalize_legal_forms[0]);

/*
 * Unicode White_Space, plus ZERO WIDTH SPACE and the byte order mark that
 * spreadsheets and CSV exports leave in front of the first field.
 */
static bool
is_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
		   (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
		   cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/*
 * Hyphens and dashes people put between groups of an identifier:
 * HYPHEN-MINUS, U+2010..U+2015 (hyphen .. horizontal bar), MINUS SIGN,
 * SMALL HYPHEN-MINUS.  FULLWIDTH HYPHEN-MINUS arrives here as '-'.
 */
static bool
is_hyphen(uint32_t cp)
{
	return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63;
}

/* FULLWIDTH EXCLAMATION MARK .. FULLWIDTH TILDE are ASCII 0x21..0x7E. */
static inline uint32_t
fullwidth_to_ascii(uint32_t cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	return cp;
}

/*
 * Name characters typed in several ways: small parentheses become ASCII, and
 * the separators of transliterated names become U+00B7 MIDDLE DOT, the form
 * the resident ID card uses (阿依古丽·买买提).
 */
static inline uint32_t
name_char(uint32_t cp)
{
	switch (cp)
	{
		case 0xFE59: /* SMALL LEFT PARENTHESIS */
			return '(';
		case 0xFE5A: /* SMALL RIGHT PARENTHESIS */
			return ')';
		case 0x0387: /* GREEK ANO TELEIA (canonically U+00B7) */
		case 0x2022: /* BULLET */
		case 0x2027: /* HYPHENATION POINT */
		case 0x2219: /* BULLET OPERATOR */
		case 0x22C5: /* DOT OPERATOR */
		case 0x30FB: /* KATAKANA MIDDLE DOT */
		case 0xFF65: /* HALFWIDTH KATAKANA MIDDLE DOT */
			return 0xB7;
		default:
			return cp;
	}
}

size_t
normalize_ident(const char *in, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *) in;
	size_t               i = 0;
	size_t               n = 0;
	bool                 after_bad = false;

	while (i < len)
	{
		uint32_t cp;
		size_t   k = utf8_decode(p + i, len - i, &cp);

		if (k == 0)
		{
			out[n++] = in[i++];
			after_bad = true;
			continue;
		}
		i += k;
		cp = fullwidth_to_ascii(cp);
		if ((is_space(cp) || is_hyphen(cp)) && !after_bad)
			continue;
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		n += utf8_encode(cp, out + n);
		after_bad = false;
	}
	out[n] = '\0';
	return n;
}

/*
 * Replace legal-form variants in buf[0..n) in place; return the new length.
 * The write position never passes the read position, and a replacement
 * only writes below the write position.
 */
static size_t
replace_legal_forms(char *buf, size_t n)
{
	size_t w = 0;

	for (size_t r = 0; r < n; r++)
	{
		buf[w++] = buf[r];
		for (;;)
		{
			const NormalizeLegalForm *best = NULL;

			for (size_t f = 0; f < normalize_legal_forms_count; f++)
			{
				const NormalizeLegalForm *lf = &normalize_legal_forms[f];

				if (lf->variant_len <= w && (best == NULL || lf->variant_len > best->variant_len) &&
					buf[w - 1] == lf->variant[lf->variant_len - 1] &&
					memcmp(buf + w - lf->variant_len, lf->variant, lf->variant_len) == 0)
					best = lf;
			}
			if (best == NULL)
				break;
			w -= best->variant_len;
			memcpy(buf + w, best->canonical, best->canonical_len);
			w += best->canonical_len;
		}
	}
	return w;
}

size_t
normalize_name(const char *in, size_t len, char *out)
{
	return normalize_name_opts(in, len, out, 0);
}

size_t
normalize_name_opts(const char *in, size_t len, char *out, int options)
{
	const unsigned char *p = (const unsigned char *) in;
	size_t               i = 0;
	size_t               n = 0;
	bool                 after_bad = false;

	while (i < len)
	{
		uint32_t cp;
		size_t   k = utf8_decode(p + i, len - i, &cp);

		if (k == 0)
		{
			out[n++] = in[i++];
			after_bad = true;
			continue;
		}
		i += k;
		cp = fullwidth_to_ascii(cp);
		if (!(options & NORMALIZE_KEEP_DOTS) || cp == 0xFE59 || cp == 0xFE5A)
			cp = name_char(cp);
		if (is_space(cp) && !after_bad)
			continue;
		n += utf8_encode(cp, out + n);
		after_bad = false;
	}
	n = replace_legal_forms(out, n);
	out[n] = '\0';
	return n;
}
