/*
 * fuzz_similarity.c
 *		libFuzzer target for the matching cores: similarity.c,
 *		company_name.c and fellegi_sunter.c.
 *
 * The input is split at its first NUL byte (or in the middle) into two
 * strings a and b.  Every string measure must be symmetric, lie in [0, 1]
 * and give 1 for a string against itself, raw and after normalize_name();
 * the parser's parts must lie inside the string without overlapping; the
 * key and compare form never outgrow the name.  The bytes also drive a
 * Fellegi-Sunter comparison vector (explanations always NUL-terminated and
 * of the length they report) and a small EM run (the estimate stays a valid
 * model).
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match/company_name.h"
#include "match/fellegi_sunter.h"
#include "ident/normalize.h"
#include "match/similarity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef double (*measure)(const char *, size_t, const char *, size_t);

static void
check_measure(measure f, const char *a, size_t al, const char *b, size_t bl)
{
	double x = f(a, al, b, bl);
	double y = f(b, bl, a, al);

	assert(x >= 0.0 && x <= 1.0);
	assert(x == y);
	assert(f(a, al, a, al) == 1.0);
	assert(f(b, bl, b, bl) == 1.0);
}

static void
check_span(CompanyNameSpan sp, size_t len)
{
	if (sp.len > 0)
		assert(sp.off <= len && sp.len <= len - sp.off);
}

static int
overlap(CompanyNameSpan x, CompanyNameSpan y)
{
	return x.len > 0 && y.len > 0 && x.off < y.off + y.len && y.off < x.off + x.len;
}

static void
check_parse(const char *s, size_t len)
{
	CompanyName     cn;
	CompanyNameSpan parts[5];
	char           *out = malloc(len + 1);
	size_t          n;

	company_name_parse(s, len, &cn);
	parts[0] = cn.region;
	parts[1] = cn.trade_name;
	parts[2] = cn.industry;
	parts[3] = cn.form;
	parts[4] = cn.branch;
	for (int i = 0; i < 5; i++)
	{
		check_span(parts[i], len);
		for (int j = i + 1; j < 5; j++)
			assert(!overlap(parts[i], parts[j]));
	}
	check_span(cn.region_last, len);
	assert(cn.is_company == (cn.form.len > 0 || cn.industry.len > 0 || cn.is_branch));
	assert(cn.is_branch == (cn.branch.len > 0));

	n = company_name_key(s, len, out);
	assert(n <= len && out[n] == '\0');
	n = company_name_compare_form(s, &cn, COMPANY_CMP_REGION | COMPANY_CMP_FORM, out);
	assert(n <= len && out[n] == '\0');
	free(out);
}

static void
check_fs(const uint8_t *data, size_t size)
{
	FsModel     model;
	int         v[FS_DEFAULT_NFIELDS];
	char        small[24];
	char        big[2048];
	size_t      need, need2;
	int         vectors[8][FS_DEFAULT_NFIELDS];
	double      counts[8];
	size_t      nvec = 0;
	FsEmResult  res;
	FsEmOptions opt = {20, 1e-9, 1e-6};

	fs_model_default(&model);
	for (int f = 0; f < FS_DEFAULT_NFIELDS; f++)
		v[f] = size > (size_t) f ? (int) (data[f] % 7) - 1 : FS_LEVEL_MISSING; /* -1 .. 5 */
	need = fs_explain(&model, v, big, sizeof(big));
	assert(need == strlen(big));
	need2 = fs_explain(&model, v, small, sizeof(small));
	assert(need2 == need && strlen(small) == (need < sizeof(small) ? need : sizeof(small) - 1));
	assert(isfinite(fs_weight(&model, v, NULL)));
	assert(fs_classify(&model, fs_weight(&model, v, NULL)) <= FS_LINK);

	/* EM on up to 8 vectors taken from the bytes, levels clipped into range */
	for (size_t i = 0; i + FS_DEFAULT_NFIELDS <= size && nvec < 8; i += FS_DEFAULT_NFIELDS + 1)
	{
		for (int f = 0; f < FS_DEFAULT_NFIELDS; f++)
			vectors[nvec][f] = (int) (data[i + f] % (model.fields[f].nlevels + 1)) - 1;
		counts[nvec] = (double) (i < size ? data[i] % 4 : 1);
		nvec++;
	}
	if (fs_em(&model, &vectors[0][0], counts, nvec, &opt, &res) == NULL)
		assert(fs_model_check(&model) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char    *s = (const char *) data;
	const uint8_t *nul = memchr(data, 0, size);
	size_t         al = nul ? (size_t) (nul - data) : size / 2;
	const char    *a = s;
	const char    *b = s + al + (nul ? 1 : 0);
	size_t         bl = size - (size_t) (b - s);
	char          *na = malloc(al + 1);
	char          *nb = malloc(bl + 1);
	size_t         nal = normalize_name(a, al, na);
	size_t         nbl = normalize_name(b, bl, nb);
	uint32_t       cps[SIM_MAX_CHARS];

	assert(sim_decode(a, al, cps, SIM_MAX_CHARS) <= al);
	for (size_t i = 0; i < al; i += sim_char_len(a + i, al - i))
		assert(sim_char_len(a + i, al - i) >= 1 && sim_char_len(a + i, al - i) <= 4);

	check_measure(sim_jaro, a, al, b, bl);
	check_measure(sim_jaro_winkler, a, al, b, bl);
	check_measure(sim_bigram_dice, a, al, b, bl);
	check_measure(sim_name, a, al, b, bl);
	check_measure(company_name_similarity, a, al, b, bl);
	check_measure(company_name_similarity, na, nal, nb, nbl);
	assert(sim_jaro_winkler(a, al, b, bl) >= sim_jaro(a, al, b, bl));
	{
		int lv = fs_level_from_similarity(sim_name(a, al, b, bl), fs_default_name_thresholds, 3);
		CompanyName pa, pb;

		assert(lv >= 0 && lv <= 3);
		company_name_parse(na, nal, &pa);
		company_name_parse(nb, nbl, &pb);
		assert(company_name_region_cmp(na, &pa, nb, &pb) ==
			   company_name_region_cmp(nb, &pb, na, &pa));
		assert(company_name_industry_cmp(&pa, &pb) == company_name_industry_cmp(&pb, &pa));
	}

	check_parse(a, al);
	check_parse(b, bl);
	check_parse(na, nal);
	check_parse(s, size);

	check_fs(data, size);

	free(na);
	free(nb);
	return 0;
}
