/*
 * test_similarity.c
 *		Unit tests of the string similarity core (src/match/similarity.c).
 *
 * Expected values come from the literature (Winkler 1990; Cohen, Ravikumar
 * and Fienberg 2003) or are computed by hand in the comments; none is
 * computed by the code under test.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "match/similarity.h"
#include "tap.h"

#define EPS 5e-4

static int
near(double got, double want, double eps)
{
	if (fabs(got - want) <= eps)
		return 1;
	printf("#   got %.6f, want %.6f\n", got, want);
	return 0;
}

#define S(x) x, strlen(x)

/* xorshift32: a fixed-seed generator, the same on every platform. */
static uint32_t rng_state = 2463534242u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* A random string over a small alphabet, so that characters repeat. */
static size_t
random_name(char *buf, size_t max_chars)
{
	static const char *const alphabet[] = {"华", "湘", "置", "业", "物", "张", "a", "b", "\xff"};
	size_t                   nchars = rng() % (max_chars + 1);
	size_t                   len = 0;

	for (size_t i = 0; i < nchars; i++)
	{
		const char *c = alphabet[rng() % 9];

		memcpy(buf + len, c, strlen(c));
		len += strlen(c);
	}
	buf[len] = '\0';
	return len;
}

int
main(void)
{
	uint32_t cps[SIM_MAX_CHARS];

	/* Decoding: code points, not bytes; stray bytes one each. */
	is_int(sim_decode(S("华湘"), cps, SIM_MAX_CHARS), 2, "two ideographs are two code points");
	ok(cps[0] == 0x534E && cps[1] == 0x6E58, "华 is U+534E, 湘 U+6E58");
	is_int(sim_decode(S("a\xff"
						"b"),
					  cps, SIM_MAX_CHARS),
		   3, "a stray byte is one code point");
	ok(cps[1] == SIM_STRAY_BYTE + 0xFF, "a stray byte lies above U+10FFFF");
	is_int(sim_decode(S("\xe5\x8d"), cps, SIM_MAX_CHARS), 2,
		   "a truncated sequence is two stray bytes");
	is_int(sim_decode(S("\xed\xa0\x80"), cps, SIM_MAX_CHARS), 3,
		   "an encoded surrogate is three stray bytes");
	is_int(sim_decode(S("\xc0\xaf"), cps, SIM_MAX_CHARS), 2, "an overlong form is two stray bytes");
	is_int(sim_decode(S("华湘置业"), cps, 3), 3, "decoding stops at max");
	is_int(sim_char_len(S("华湘")), 3, "sim_char_len of an ideograph");
	is_int(sim_char_len(S("\xff华")), 1, "sim_char_len of a stray byte");

	/* Literature values (Winkler 1990, Cohen et al. 2003). */
	ok(near(sim_jaro(S("MARTHA"), S("MARHTA")), 0.944, EPS), "jaro MARTHA/MARHTA = 0.944");
	ok(near(sim_jaro_winkler(S("MARTHA"), S("MARHTA")), 0.961, EPS),
	   "jaro_winkler MARTHA/MARHTA = 0.961");
	ok(near(sim_jaro(S("DIXON"), S("DICKSONX")), 0.767, EPS), "jaro DIXON/DICKSONX = 0.767");
	ok(near(sim_jaro_winkler(S("DIXON"), S("DICKSONX")), 0.813, EPS),
	   "jaro_winkler DIXON/DICKSONX = 0.813");
	ok(near(sim_jaro(S("DWAYNE"), S("DUANE")), 0.822, EPS), "jaro DWAYNE/DUANE = 0.822");
	ok(near(sim_jaro_winkler(S("DWAYNE"), S("DUANE")), 0.840, EPS),
	   "jaro_winkler DWAYNE/DUANE = 0.840");
	ok(near(sim_jaro(S("JELLYFISH"), S("SMELLYFISH")), 0.896, EPS),
	   "jaro JELLYFISH/SMELLYFISH = 0.896");

	/*
	 * 张伟 / 张玮: window max(2,2)/2 - 1 = 0, so only 张 matches: m = 1, t = 0,
	 * jaro = (1/2 + 1/2 + 1)/3 = 2/3; prefix 1: jw = 2/3 + 0.1 * 1/3 = 0.7.
	 * Bigrams {张伟} and {张玮} share none: dice 0.  Shorter length 2: lambda
	 * = 1/6, name = 5/6 * 0.7 = 0.58333.
	 */
	ok(near(sim_jaro(S("张伟"), S("张玮")), 2.0 / 3.0, 1e-9), "jaro 张伟/张玮 = 2/3");
	ok(near(sim_jaro_winkler(S("张伟"), S("张玮")), 0.7, 1e-9), "jaro_winkler 张伟/张玮 = 0.7");
	ok(near(sim_bigram_dice(S("张伟"), S("张玮")), 0.0, 1e-9), "dice 张伟/张玮 = 0");
	ok(near(sim_name(S("张伟"), S("张玮")), 0.7 * 5.0 / 6.0, 1e-9), "name 张伟/张玮 = 0.5833");

	/*
	 * 华湘置业 / 华湘物业: window 1; 华 湘 业 match, 置/物 do not: m = 3, t = 0,
	 * jaro = (3/4 + 3/4 + 1)/3 = 5/6; prefix 2: jw = 5/6 + 0.2/6 = 0.86667.
	 * Bigrams {华湘 湘置 置业} / {华湘 湘物 物业}: one shared, dice 2/6.
	 * lambda 1/2: name = (0.86667 + 0.33333)/2 = 0.6.
	 */
	ok(near(sim_jaro(S("华湘置业"), S("华湘物业")), 5.0 / 6.0, 1e-9),
	   "jaro 华湘置业/华湘物业 = 5/6");
	ok(near(sim_jaro_winkler(S("华湘置业"), S("华湘物业")), 0.86667, EPS),
	   "jaro_winkler 华湘置业/华湘物业 = 0.8667");
	ok(near(sim_bigram_dice(S("华湘置业"), S("华湘物业")), 1.0 / 3.0, 1e-9),
	   "dice 华湘置业/华湘物业 = 1/3");
	ok(near(sim_name(S("华湘置业"), S("华湘物业")), 0.6, 1e-9), "name 华湘置业/华湘物业 = 0.6");

	/*
	 * 华湘置业 / 湘华置业: window 1, all four match; in order 华湘置业 against
	 * 湘华置业 two positions differ: t = 1, jaro = (1 + 1 + 3/4)/3 = 0.91667,
	 * no common prefix.  Bigrams share only 置业: dice 1/3.
	 */
	ok(near(sim_jaro_winkler(S("华湘置业"), S("湘华置业")), 11.0 / 12.0, 1e-9),
	   "jaro_winkler of a transposition 华湘置业/湘华置业 = 0.9167");
	ok(near(sim_bigram_dice(S("华湘置业"), S("湘华置业")), 1.0 / 3.0, 1e-9),
	   "dice of a transposition = 1/3");

	/*
	 * 衡阳华湘置业 / 华湘置业: window 6/2 - 1 = 2; 华湘置业 all match (each 2
	 * places later), t = 0: jaro = (4/4 + 4/6 + 1)/3 = 0.88889, no prefix.
	 * All 3 bigrams of the shorter are among the 5 of the longer: dice
	 * 6/8 = 0.75.  name = (0.88889 + 0.75)/2 = 0.81944.
	 */
	ok(near(sim_jaro_winkler(S("衡阳华湘置业"), S("华湘置业")), 8.0 / 9.0, 1e-9),
	   "jaro_winkler with a region prefix = 0.8889");
	ok(near(sim_bigram_dice(S("衡阳华湘置业"), S("华湘置业")), 0.75, 1e-9),
	   "dice with a region prefix = 0.75");
	ok(near(sim_name(S("衡阳华湘置业"), S("华湘置业")), (8.0 / 9.0 + 0.75) / 2.0, 1e-9),
	   "name with a region prefix = 0.8194");

	/*
	 * 王小明 / 王晓明: window 0, 王 and 明 match: jaro = (2/3 + 2/3 + 1)/3 =
	 * 0.77778, prefix 1: jw = 0.8; no bigram shared; lambda 1/3: name 0.53333.
	 */
	ok(near(sim_jaro_winkler(S("王小明"), S("王晓明")), 0.8, 1e-9),
	   "jaro_winkler 王小明/王晓明 = 0.8");
	ok(near(sim_name(S("王小明"), S("王晓明")), 0.8 * 2.0 / 3.0, 1e-9),
	   "name 王小明/王晓明 = 0.5333");

	/*
	 * One character: 张 / 张伟 by characters: dice 2*1/(1+2) = 2/3; jaro
	 * (1/1 + 1/2 + 1)/3 = 5/6, prefix 1: jw 0.85; name = jw (lambda 0).
	 */
	ok(near(sim_bigram_dice(S("张"), S("张伟")), 2.0 / 3.0, 1e-9),
	   "dice of a 1-character string: 2/3");
	ok(near(sim_bigram_dice(S("张"), S("李")), 0.0, 1e-9), "dice 张/李 = 0");
	ok(near(sim_name(S("张"), S("张伟")), 0.85, 1e-9),
	   "name of a 1-character string is jaro_winkler");

	/* Multisets, not sets: 哈哈哈 has the bigram 哈哈 twice; 哈哈 has it once. */
	ok(near(sim_bigram_dice(S("哈哈哈"), S("哈哈")), 2.0 / 3.0, 1e-9),
	   "dice counts repeated bigrams");

	/* Edges: empty strings, equal strings, nothing in common. */
	ok(sim_jaro(S(""), S("")) == 1.0 && sim_name(S(""), S("")) == 1.0 &&
		   sim_bigram_dice(S(""), S("")) == 1.0,
	   "two empty strings are equal");
	ok(sim_jaro_winkler(S(""), S("华")) == 0.0 && sim_bigram_dice(S("华"), S("")) == 0.0 &&
		   sim_name(S(""), S("华湘")) == 0.0,
	   "empty against non-empty is 0");
	ok(sim_name(S("华湘置业"), S("华湘置业")) == 1.0, "equal names: 1");
	ok(sim_jaro_winkler(S("华湘"), S("长沙")) == 0.0 && sim_name(S("华湘"), S("长沙")) == 0.0,
	   "nothing in common: 0");
	ok(sim_name(S("\xff\xfe"), S("\xff\xfe")) == 1.0, "equal stray bytes are equal");
	ok(sim_jaro(S("\xe5\x8d"), S("华")) == 0.0, "a broken character does not equal the whole one");

	/* Truncation to SIM_MAX_CHARS code points. */
	{
		char   a[SIM_MAX_CHARS * 3 + 4], b[SIM_MAX_CHARS * 3 + 4];
		size_t n = 0;

		for (int i = 0; i < SIM_MAX_CHARS; i++)
		{
			memcpy(a + n, "华", 3);
			n += 3;
		}
		memcpy(b, a, n);
		memcpy(a + n, "湘", 3);
		memcpy(b + n, "业", 3);
		ok(sim_name(a, n + 3, b, n + 3) == 1.0 && sim_jaro(a, n + 3, b, n + 3) == 1.0,
		   "strings that differ only after %d code points score 1", SIM_MAX_CHARS);
		ok(sim_name(a, n - 3, b, n + 3) < 1.0, "but differ within the first %d", SIM_MAX_CHARS);
	}

	/* Properties over random strings with repeated characters. */
	{
		int asym = 0, range = 0, self = 0, order = 0;

		for (int i = 0; i < 20000; i++)
		{
			char   a[64], b[64];
			size_t al = random_name(a, 8);
			size_t bl = random_name(b, 8);
			double v[4] = {sim_jaro(a, al, b, bl), sim_jaro_winkler(a, al, b, bl),
						   sim_bigram_dice(a, al, b, bl), sim_name(a, al, b, bl)};
			double w[4] = {sim_jaro(b, bl, a, al), sim_jaro_winkler(b, bl, a, al),
						   sim_bigram_dice(b, bl, a, al), sim_name(b, bl, a, al)};

			for (int k = 0; k < 4; k++)
			{
				if (v[k] != w[k])
					asym++;
				if (!(v[k] >= 0.0 && v[k] <= 1.0))
					range++;
			}
			if (v[1] < v[0])
				order++;
			if (sim_jaro(a, al, a, al) != 1.0 || sim_jaro_winkler(a, al, a, al) != 1.0 ||
				sim_bigram_dice(a, al, a, al) != 1.0 || sim_name(a, al, a, al) != 1.0)
				self++;
		}
		is_int(asym, 0, "all measures symmetric on 20000 random pairs");
		is_int(range, 0, "all measures within [0, 1]");
		is_int(self, 0, "every string scores 1 against itself");
		is_int(order, 0, "jaro_winkler is never below jaro");
	}

	/*
	 * Repeated characters: abca / bcaa, window 1.  Scanning abca: a(0) finds
	 * nothing in b[0..1] = "bc"; b(1) takes b(0); c(2) takes c(1); a(3) takes
	 * a(2).  m = 3, both orders read "bca": t = 0, jaro = (3/4 + 3/4 + 1)/3.
	 */
	ok(near(sim_jaro(S("abca"), S("bcaa")), 5.0 / 6.0, 1e-9) &&
		   sim_jaro(S("abca"), S("bcaa")) == sim_jaro(S("bcaa"), S("abca")),
	   "jaro abca/bcaa = 5/6 both ways");

	return done_testing();
}
