/*
 * similarity.h
 *		Pure core: string similarity on Unicode code points, for matching
 *		names across sources (docs/matching.md, "String similarity").
 *
 * Every measure decodes its UTF-8 input to code points first, so that a
 * Chinese character counts as one character, not three bytes.  A byte that
 * does not belong to a well-formed UTF-8 sequence counts as one code point of
 * its own (distinct from every real character, equal to the same stray byte),
 * so text in a wrong encoding is still compared and never crashes anything.
 *
 * All measures are symmetric, lie in [0, 1] and give 1 for equal strings.
 * Two empty strings are equal (1); an empty and a non-empty string score 0.
 * Inputs longer than SIM_MAX_CHARS code points are truncated to their first
 * SIM_MAX_CHARS code points for scoring: names are far shorter, and the bound
 * keeps the work O(SIM_MAX_CHARS^2) and the memory a fixed few kilobytes of
 * stack, with no allocation at all.
 *
 * No PostgreSQL headers: unit tests and fuzzers call these directly.
 */
#ifndef TAXSHARE_SIMILARITY_H
#define TAXSHARE_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>

/* Code points of a string that take part in scoring; the rest is ignored. */
#define SIM_MAX_CHARS 256

/* Jaro-Winkler's constants (Winkler 1990): prefix scale and longest prefix. */
#define SIM_JW_PREFIX_SCALE 0.1
#define SIM_JW_MAX_PREFIX   4

/*
 * Decode s[0..len) into at most max code points at out; return how many were
 * written.  A stray byte b (not part of well-formed UTF-8) becomes
 * SIM_STRAY_BYTE + b, which lies above U+10FFFF.
 */
#define SIM_STRAY_BYTE 0x110000u
extern size_t sim_decode(const char *s, size_t len, uint32_t *out, size_t max);

/*
 * Bytes taken by the code point at s (len > 0 bytes available): the length
 * of its well-formed UTF-8 sequence, or 1 for a stray byte.
 */
extern size_t sim_char_len(const char *s, size_t len);

/*
 * Jaro similarity (Jaro 1989): with m characters in common (equal and no
 * further apart than max(|a|,|b|)/2 - 1 positions) and t half the number of
 * common characters that appear in a different order,
 *		jaro = (m/|a| + m/|b| + (m - t)/m) / 3, and 0 when m = 0.
 */
extern double sim_jaro(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Jaro-Winkler: jaro + l * 0.1 * (1 - jaro), l the length of the common
 * prefix, at most 4.  The boost applies at every Jaro value (no 0.7 floor).
 */
extern double sim_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Dice coefficient of the multisets of character bigrams (adjacent pairs of
 * code points, no padding): 2 |A ∩ B| / (|A| + |B|).  A one-character string
 * has no bigram; when either string has a single character, both strings are
 * compared by their characters instead (so 张 vs 张伟 scores 2/3, 张 vs 李 0).
 */
extern double sim_bigram_dice(const char *a, size_t alen, const char *b, size_t blen);

/*
 * The combined measure for short names: a blend of Jaro-Winkler and bigram
 * Dice whose bigram share grows with the length of the shorter string,
 *		lambda = 0.5 * min(1, (n - 1) / 3),  n = min(|a|, |b|) in code points,
 *		sim_name = (1 - lambda) * jaro_winkler + lambda * dice.
 * One-character strings are judged by Jaro-Winkler alone, 2 characters with
 * 1/6 bigram share, 3 with 1/3, 4 and more half and half.  See
 * docs/matching.md for why.
 */
extern double sim_name(const char *a, size_t alen, const char *b, size_t blen);

/* The same measures on decoded code points (n, m <= SIM_MAX_CHARS). */
extern double sim_jaro_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
extern double sim_jaro_winkler_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
extern double sim_bigram_dice_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
extern double sim_name_cp(const uint32_t *a, size_t n, const uint32_t *b, size_t m);

#endif /* TAXSHARE_SIMILARITY_H */
