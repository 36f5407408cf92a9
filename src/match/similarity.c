/*
 * similarity.c
 *		String similarity on Unicode code points.  Pure core: see similarity.h.
 *
 * Work space is a fixed set of arrays of SIM_MAX_CHARS entries on the stack
 * (a few kilobytes): no allocation, no variable-length arrays, and a bound on
 * the work of any one comparison.
 *
 * Symmetry: Jaro's greedy matching scans one string and takes the first free
 * equal character of the other, and with repeated characters the result can
 * depend on which string is scanned.  Every measure therefore puts its two
 * arguments into a canonical order first (shorter first, then by code
 * points), which makes f(a, b) = f(b, a) by construction.
 */
#include "common/utf8.h"
#include "match/similarity.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t
sim_decode(const char *s, size_t len, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t               i = 0;
	size_t               n = 0;

	while (i < len && n < max)
	{
		uint32_t cp;
		size_t   k = utf8_decode(p + i, len - i, &cp);

		if (k == 0)
		{
			out[n++] = SIM_STRAY_BYTE + p[i];
			i++;
		}
		else
		{
			out[n++] = cp;
			i += k;
		}
	}
	return n;
}

size_t
sim_char_len(const char *s, size_t len)
{
	uint32_t cp;
	size_t   k;

	if (len == 0)
		return 0;
	k = utf8_decode((const unsigned char *) s, len, &cp);
	return k == 0 ? 1 : k;
}

/* Canonical order of two code point strings: shorter first, then by content. */
static int
cp_order(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	if (n != m)
		return n < m ? -1 : 1;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static double
clamp01(double x)
{
	if (!(x > 0.0))
		return 0.0; /* also NaN, which cannot happen, but be sure */
	if (x > 1.0)
		return 1.0;
	return x;
}

/* Jaro on a canonically ordered pair (a the outer string). */
static double
jaro_ordered(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	bool   amatch[SIM_MAX_CHARS];
	bool   bmatch[SIM_MAX_CHARS];
	size_t longer = n > m ? n : m;
	size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
	size_t matches = 0;
	size_t half_transpositions = 0;
	size_t k = 0;
	double dm;

	if (n == 0 && m == 0)
		return 1.0;
	if (n == 0 || m == 0)
		return 0.0;

	memset(amatch, 0, n * sizeof(bool));
	memset(bmatch, 0, m * sizeof(bool));
	for (size_t i = 0; i < n; i++)
	{
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < m ? i + window + 1 : m;

		for (size_t j = lo; j < hi; j++)
		{
			if (!bmatch[j] && a[i] == b[j])
			{
				amatch[i] = bmatch[j] = true;
				matches++;
				break;
			}
		}
	}
	if (matches == 0)
		return 0.0;

	/* common characters in a's order against those in b's order */
	for (size_t i = 0; i < n; i++)
	{
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			half_transpositions++;
		k++;
	}

	dm = (double) matches;
	return clamp01(
		(dm / (double) n + dm / (double) m + (dm - (double) half_transpositions / 2.0) / dm) / 3.0);
}

/* Put (a, n) and (b, m) into canonical order. */
#define CANONICAL_ORDER(a, n, b, m)   \
	do                                \
	{                                 \
		if (cp_order(a, n, b, m) > 0) \
		{                             \
			const uint32_t *t_ = a;   \
			size_t          tn_ = n;  \
			a = b;                    \
			n = m;                    \
			b = t_;                   \
			m = tn_;                  \
		}                             \
	} while (0)

double
sim_jaro_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	if (n > SIM_MAX_CHARS)
		n = SIM_MAX_CHARS;
	if (m > SIM_MAX_CHARS)
		m = SIM_MAX_CHARS;
	CANONICAL_ORDER(a, n, b, m);
	if (n == m && (n == 0 || memcmp(a, b, n * sizeof(uint32_t)) == 0))
		return 1.0;
	return jaro_ordered(a, n, b, m);
}

double
sim_jaro_winkler_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	double j = sim_jaro_cp(a, n, b, m);
	size_t prefix = 0;

	if (j >= 1.0)
		return 1.0;
	while (prefix < SIM_JW_MAX_PREFIX && prefix < n && prefix < m && a[prefix] == b[prefix])
		prefix++;
	return clamp01(j + (double) prefix * SIM_JW_PREFIX_SCALE * (1.0 - j));
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *) x;
	uint64_t b = *(const uint64_t *) y;

	return a < b ? -1 : (a > b ? 1 : 0);
}

/*
 * Grams of s: bigrams (two code points packed in 64 bits) or, when unigrams
 * is set, the code points themselves.  Sorted, so that multisets intersect
 * by merging.  Returns the number of grams.
 */
static size_t
make_grams(const uint32_t *s, size_t n, bool unigrams, uint64_t *out)
{
	size_t k = 0;

	if (unigrams)
	{
		for (size_t i = 0; i < n; i++)
			out[k++] = s[i];
	}
	else
	{
		for (size_t i = 0; i + 1 < n; i++)
			out[k++] = ((uint64_t) s[i] << 32) | s[i + 1];
	}
	if (k <= 24)
	{
		/* names are short: insertion sort beats qsort's calls */
		for (size_t i = 1; i < k; i++)
		{
			uint64_t x = out[i];
			size_t   j = i;

			for (; j > 0 && out[j - 1] > x; j--)
				out[j] = out[j - 1];
			out[j] = x;
		}
	}
	else
		qsort(out, k, sizeof(uint64_t), cmp_u64);
	return k;
}

double
sim_bigram_dice_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	uint64_t ga[SIM_MAX_CHARS];
	uint64_t gb[SIM_MAX_CHARS];
	bool     unigrams;
	size_t   na, nb, i = 0, j = 0, common = 0;

	if (n > SIM_MAX_CHARS)
		n = SIM_MAX_CHARS;
	if (m > SIM_MAX_CHARS)
		m = SIM_MAX_CHARS;
	CANONICAL_ORDER(a, n, b, m);
	if (n == m && (n == 0 || memcmp(a, b, n * sizeof(uint32_t)) == 0))
		return 1.0;
	if (n == 0 || m == 0)
		return 0.0;

	unigrams = (n < 2 || m < 2);
	na = make_grams(a, n, unigrams, ga);
	nb = make_grams(b, m, unigrams, gb);
	while (i < na && j < nb)
	{
		if (ga[i] == gb[j])
		{
			common++;
			i++;
			j++;
		}
		else if (ga[i] < gb[j])
			i++;
		else
			j++;
	}
	return clamp01(2.0 * (double) common / (double) (na + nb));
}

double
sim_name_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t shorter;
	double lambda;
	double jw, dice;

	if (n > SIM_MAX_CHARS)
		n = SIM_MAX_CHARS;
	if (m > SIM_MAX_CHARS)
		m = SIM_MAX_CHARS;
	shorter = n < m ? n : m;
	jw = sim_jaro_winkler_cp(a, n, b, m);
	if (jw >= 1.0)
		return 1.0;
	if (shorter <= 1)
		return jw;
	dice = sim_bigram_dice_cp(a, n, b, m);
	lambda = shorter >= 4 ? 0.5 : 0.5 * (double) (shorter - 1) / 3.0;
	return clamp01((1.0 - lambda) * jw + lambda * dice);
}

/* Decode both arguments and call a code point measure. */
typedef double (*cp_measure)(const uint32_t *, size_t, const uint32_t *, size_t);

static double
on_bytes(cp_measure f, const char *a, size_t alen, const char *b, size_t blen)
{
	uint32_t ca[SIM_MAX_CHARS];
	uint32_t cb[SIM_MAX_CHARS];
	size_t   n = sim_decode(a, alen, ca, SIM_MAX_CHARS);
	size_t   m = sim_decode(b, blen, cb, SIM_MAX_CHARS);

	return f(ca, n, cb, m);
}

double
sim_jaro(const char *a, size_t alen, const char *b, size_t blen)
{
	return on_bytes(sim_jaro_cp, a, alen, b, blen);
}

double
sim_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	return on_bytes(sim_jaro_winkler_cp, a, alen, b, blen);
}

double
sim_bigram_dice(const char *a, size_t alen, const char *b, size_t blen)
{
	return on_bytes(sim_bigram_dice_cp, a, alen, b, blen);
}

double
sim_name(const char *a, size_t alen, const char *b, size_t blen)
{
	return on_bytes(sim_name_cp, a, alen, b, blen);
}
