/*
 * test_normalize.c
 *		Unit tests of the normalisers (src/ident/normalize.c).
 *
 * Examples with hand-written expected output, then invariants over many
 * generated strings built from the pieces that matter (full-width forms,
 * spaces, dashes, legal forms, broken UTF-8).  Inputs and outputs live in
 * exact-size heap buffers so that valgrind sees any overread or overwrite.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident/normalize.h"
#include "tap.h"

typedef size_t (*normalizer)(const char *, size_t, char *);

static uint32_t rng_state = 88172645u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Run f on exactly len bytes; return a malloc'd NUL-terminated result. */
static char *
run(normalizer f, const char *s, size_t len, size_t *outlen)
{
	char  *in = malloc(len ? len : 1);
	char  *out = malloc(len + 1);
	size_t n;

	memcpy(in, s, len);
	n = f(in, len, out);
	free(in);
	if (outlen)
		*outlen = n;
	return out;
}

/* When set, test names show bytes >= 0x80 as \xNN (for broken UTF-8). */
static int escape_high = 0;

/* s for a test name: control characters (and maybe high bytes) escaped. */
static const char *
shown(const char *s)
{
	static char buf[512];
	size_t      n = 0;

	for (; *s && n < sizeof(buf) - 5; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c < 0x20 || c == 0x7F || (escape_high && c >= 0x80))
			n += (size_t) snprintf(buf + n, sizeof(buf) - n, "\\x%02X", c);
		else
			buf[n++] = (char) c;
	}
	buf[n] = '\0';
	return buf;
}

static void
check(normalizer f, const char *fname, const char *in, const char *want)
{
	size_t n;
	char  *got = run(f, in, strlen(in), &n);

	is_str(got, want, "%s(\"%s\")", fname, shown(in));
	free(got);
}

#define IDENT(in, want) check(normalize_ident, "normalize_ident", in, want)
#define NAME(in, want)  check(normalize_name, "normalize_name", in, want)

static void
test_ident_examples(void)
{
	IDENT(" 9135 0100\xEF\xBC\x8D\xEF\xBD\x8D"
		  "000100y43\xE3\x80\x80",
		  "91350100M000100Y43"); /* －ｍ and U+3000 */
	IDENT("11010519491231002x", "11010519491231002X");
	IDENT("110105-19491231-002X", "11010519491231002X");
	IDENT("\t110105\r\n19491231 002X ", "11010519491231002X");
	IDENT("\xEF\xBC\x97\xEF\xBC\x91\xEF\xBC\x95\xEF\xBC\x92\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x92\xEF"
		  "\xBC\x96"
		  "\xEF\xBC\x8D\xEF\xBC\xB8",
		  "71526726X"); /* ７１５２６７２６－Ｘ */
	IDENT("a\xE2\x80\x90"
		  "b\xE2\x80\x94"
		  "c\xE2\x80\x93"
		  "d\xE2\x88\x92"
		  "e",
		  "ABCDE"); /* ‐ — – − */
	IDENT("\xEF\xBB\xBF"
		  "9135",
		  "9135"); /* byte order mark */
	IDENT("91\xC2\xA0"
		  "35\xE2\x80\x8B"
		  "01",
		  "913501"); /* NBSP, ZWSP */
	IDENT("中文 ab", "中文AB");
	IDENT("\xC3\xA9", "\xC3\xA9"); /* é is kept, not upper-cased */
	IDENT("\xEF\xBC\x88"
		  "x\xEF\xBC\x89",
		  "(X)"); /* full-width parentheses */
	IDENT("", "");
	IDENT("   ", "");
	IDENT("_.,", "_.,");
}

static void
test_name_examples(void)
{
	NAME("  衡阳 华湘置业（衡阳）有限责任公司 ", "衡阳华湘置业(衡阳)有限公司");
	NAME("华为技术有限公司", "华为技术有限公司");
	NAME("中国平安保险（集团）股份有限公司", "中国平安保险(集团)股份公司");
	NAME("衡阳某某建设有限责任公司雁峰分公司", "衡阳某某建设有限公司雁峰分公司");
	NAME("某某（中国）有限公司", "某某(中国)有限公司");
	NAME("衡阳某某投资合伙企业（有限合伙）", "衡阳某某投资合伙企业(有限合伙)");
	NAME("股份有限责任公司", "股份公司");
	NAME("有限责任公司有限责任公司", "有限公司有限公司");
	NAME("有限 责任\xE3\x80\x80公司", "有限公司");
	NAME("【测试】[x] ﹙y﹚", "【测试】[x](y)");
	NAME("阿依古丽・买买提", "阿依古丽·买买提"); /* U+30FB */
	NAME("阿依古丽•买买提", "阿依古丽·买买提");  /* U+2022 */
	NAME("阿依古丽·买买提", "阿依古丽·买买提");  /* U+00B7 itself */
	NAME("ＡＢＣ Ｔｒａｄｉｎｇ", "ABCTrading");
	NAME("abc", "abc"); /* case is kept */
	NAME("有限公司", "有限公司");
	NAME("股份公司", "股份公司");
	NAME("有限责任", "有限责任");
	NAME("", "");

	/* for servers without U+00B7: the dots stay, everything else as usual */
	{
		const char *in = "阿依古丽・买买提 有限责任公司（﹙x﹚）";
		size_t      len = strlen(in);
		char       *out = malloc(len + 1);

		normalize_name_opts(in, len, out, NORMALIZE_KEEP_DOTS);
		is_str(out, "阿依古丽・买买提有限公司((x))", "normalize_name_opts KEEP_DOTS keeps ・");
		normalize_name_opts(in, len, out, 0);
		is_str(out, "阿依古丽·买买提有限公司((x))",
			   "normalize_name_opts without options is normalize_name");
		free(out);
	}
}

static void
test_invalid_utf8(void)
{
	escape_high = 1;
	/* stray bytes are copied through */
	IDENT("12\xFF"
		  "34",
		  "12\xFF"
		  "34");
	IDENT("\xC0\x80", "\xC0\x80");                 /* overlong NUL */
	IDENT("\xED\xA0\x80", "\xED\xA0\x80");         /* surrogate */
	IDENT("\xF4\x90\x80\x80", "\xF4\x90\x80\x80"); /* above U+10FFFF */
	/* ... and they count as broken: the space after them stays */
	IDENT("\xC0\x80 1", "\xC0\x80 1");
	IDENT("\xE0\x80\x80 1", "\xE0\x80\x80 1");
	IDENT("\xED\xA0\x80 1", "\xED\xA0\x80 1");
	IDENT("\xF0\x80\x80\x80 1", "\xF0\x80\x80\x80 1");
	IDENT("\xF4\x90\x80\x80 1", "\xF4\x90\x80\x80 1");
	IDENT("\xF5\x80\x80\x80 1", "\xF5\x80\x80\x80 1");
	IDENT("\xED\x9F\xBF 1", "\xED\x9F\xBF"
							"1"); /* U+D7FF is fine */
	IDENT("\xF4\x8F\xBF\xBF 1", "\xF4\x8F\xBF\xBF"
								"1");  /* U+10FFFF is fine */
	IDENT("12\xE4\xB8", "12\xE4\xB8"); /* truncated at the end */
	NAME("公司\xE5\x8F", "公司\xE5\x8F");

	/*
	 * A space between broken pieces is kept: removing it would glue
	 * E4 + B8 AD into 中 and a second pass would then differ.
	 */
	IDENT("\xE4 \xB8\xAD", "\xE4 \xB8\xAD");
	IDENT("\xE4  \xB8\xAD", "\xE4 \xB8\xAD");
	NAME("\xE3 \x80\x80", "\xE3 \x80\x80");
	IDENT("a \xFF b", "A\xFF B");
	escape_high = 0;

	/* never reads past len: the byte after the slice would complete 中 */
	{
		size_t n;
		char  *got = run(normalize_ident, "\xE4\xB8\xAD", 2, &n);

		is_int(n, 2, "truncated slice: 2 bytes out");
		ok(memcmp(got, "\xE4\xB8", 2) == 0 && got[2] == '\0',
		   "truncated slice copied and terminated");
		free(got);
	}
	/* an embedded NUL is an ordinary character */
	{
		size_t n;
		char  *got = run(normalize_ident, "a\0b", 3, &n);

		is_int(n, 3, "embedded NUL kept");
		ok(memcmp(got, "A\0B", 3) == 0, "embedded NUL: A\\0B");
		free(got);
	}
}

/* Length of the last UTF-8 character of s[0..len). */
static size_t
last_char_len(const char *s, size_t len)
{
	size_t k = 1;

	while (k < len && ((unsigned char) s[len - k] & 0xC0) == 0x80)
		k++;
	return k;
}

static void
test_table(void)
{
	int bad = 0;

	ok(normalize_legal_forms_count >= 2, "legal-form table has %zu entries",
	   normalize_legal_forms_count);
	for (size_t i = 0; i < normalize_legal_forms_count; i++)
	{
		const NormalizeLegalForm *f = &normalize_legal_forms[i];
		char                     *once;

		is_int(f->variant_len, strlen(f->variant), "entry %zu: variant length", i);
		is_int(f->canonical_len, strlen(f->canonical), "entry %zu: canonical length", i);
		ok(f->canonical_len < f->variant_len, "entry %zu: canonical form is shorter", i);
		ok(f->source != NULL && strlen(f->source) > 0, "entry %zu: cites its source", i);

		/* the canonical form is a fixed point, the variant maps to it */
		once = run(normalize_name, f->variant, f->variant_len, NULL);
		is_str(once, f->canonical, "entry %zu: variant normalises to the canonical form", i);
		free(once);
		once = run(normalize_name, f->canonical, f->canonical_len, NULL);
		is_str(once, f->canonical, "entry %zu: canonical form is a fixed point", i);
		free(once);
	}

	/*
	 * The property replace_legal_forms() relies on: the last character of
	 * every variant occurs in every canonical form only as its last one.
	 */
	for (size_t i = 0; i < normalize_legal_forms_count; i++)
	{
		const NormalizeLegalForm *v = &normalize_legal_forms[i];
		size_t                    k = last_char_len(v->variant, v->variant_len);
		const char               *tail = v->variant + v->variant_len - k;

		for (size_t j = 0; j < normalize_legal_forms_count; j++)
		{
			const NormalizeLegalForm *c = &normalize_legal_forms[j];

			for (size_t p = 0; p + k < c->canonical_len; p++)
				if (memcmp(c->canonical + p, tail, k) == 0)
					bad++;
		}
	}
	is_int(bad, 0, "no variant can end inside a canonical form");

	/* every pair of table strings glued together is normalised for good */
	{
		int pairs = 0, stable = 0;

		for (size_t i = 0; i < 2 * normalize_legal_forms_count; i++)
			for (size_t j = 0; j < 2 * normalize_legal_forms_count; j++)
				for (int cut = 0; cut < 3; cut++)
				{
					const NormalizeLegalForm *a = &normalize_legal_forms[i / 2];
					const NormalizeLegalForm *b = &normalize_legal_forms[j / 2];
					const char               *sa = i % 2 ? a->canonical : a->variant;
					const char               *sb = j % 2 ? b->canonical : b->variant;
					char                      buf[128];
					size_t la = strlen(sa) - (size_t) cut * 3 * (strlen(sa) >= 9);
					char  *once, *twice;

					memcpy(buf, sa, la);
					strcpy(buf + la, sb);
					once = run(normalize_name, buf, strlen(buf), NULL);
					twice = run(normalize_name, once, strlen(once), NULL);
					pairs++;
					if (strcmp(once, twice) == 0)
						stable++;
					free(once);
					free(twice);
				}
		is_int(stable, pairs, "glued table strings: idempotent in %d cases", pairs);
	}
}

/* Pieces for generated inputs: everything the normalisers treat specially. */
static const char *const pieces[] = {
	"有限责任公司",
	"股份有限公司",
	"有限公司",
	"股份公司",
	"有限",
	"责任",
	"公司",
	"股份",
	"分公司",
	"(中国)",
	"（",
	"）",
	"﹙",
	"﹚",
	"・",
	"•",
	"·",
	" ",
	"\t",
	"\xE3\x80\x80",
	"\xC2\xA0",
	"\xEF\xBB\xBF",
	"\xE2\x80\x8B",
	"-",
	"\xEF\xBC\x8D",
	"\xE2\x80\x90",
	"\xE2\x80\x94",
	"Ａ",
	"ｚ",
	"０",
	"９",
	"a",
	"Z",
	"x",
	"X",
	"7",
	"中",
	"é",
	"\xFF",
	"\x80",
	"\xE4",
	"\xB8\xAD",
	"\xE4\xB8",
	"\xEF\xBC",
	"\xC0\x80",
	"\xED\xA0\x80",
	"\xF0\x9F\x98\x80",
	"\xF0\x9F",
	"\x98\x80",
};

static void
check_invariants(const char *s, size_t len, int *fails)
{
	static const normalizer fs[2] = {normalize_ident, normalize_name};

	for (int k = 0; k < 2; k++)
	{
		size_t n1, n2;
		char  *once = run(fs[k], s, len, &n1);
		char  *twice = run(fs[k], once, n1, &n2);

		if (n1 > len || once[n1] != '\0')
			fails[0]++;
		if (n1 != n2 || memcmp(once, twice, n1) != 0)
			fails[1]++;
		if (k == 0)
		{
			/* no lower-case ASCII survives normalize_ident */
			for (size_t i = 0; i < n1; i++)
				if (once[i] >= 'a' && once[i] <= 'z')
					fails[2]++;
		}
		free(once);
		free(twice);
	}
}

static void
test_generated(void)
{
	int          fails[3] = {0, 0, 0};
	const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	char         buf[512];

	for (int n = 0; n < 100000; n++)
	{
		size_t len = 0;
		int    count = (int) (rng() % 12);

		for (int i = 0; i < count; i++)
		{
			const char *p = pieces[rng() % npieces];
			size_t      pl = strlen(p);

			memcpy(buf + len, p, pl);
			len += pl;
		}
		check_invariants(buf, len, fails);
	}
	for (int n = 0; n < 50000; n++)
	{
		size_t len = rng() % 24;

		for (size_t i = 0; i < len; i++)
			buf[i] = (char) (rng() & 0xFF);
		check_invariants(buf, len, fails);
	}
	is_int(fails[0], 0, "150000 inputs: output never longer than input, always terminated");
	is_int(fails[1], 0, "150000 inputs: both normalisers are idempotent");
	is_int(fails[2], 0, "150000 inputs: normalize_ident leaves no lower-case ASCII");
}

int
main(void)
{
	test_ident_examples();
	test_name_examples();
	test_invalid_utf8();
	test_table();
	test_generated();
	return done_testing();
}
