/*
 * test_fellegi_sunter.c
 *		Unit tests of the Fellegi-Sunter core (src/match/fellegi_sunter.c).
 *
 * Weights are checked against log2(m/u) worked out by hand from the default
 * model's m and u (docs/matching.md); EM must recover known m, u and prior
 * from a sample drawn here from a known model with a fixed seed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/fellegi_sunter.h"
#include "tap.h"

static int
near(double got, double want, double eps)
{
	if (fabs(got - want) <= eps)
		return 1;
	printf("#   got %.6f, want %.6f\n", got, want);
	return 0;
}

/* xorshift64*: fixed seed, the same sample on every platform. */
static uint64_t rng_state = 88172645463325252ULL;

static double
uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double) ((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int
draw(const double *p, int n)
{
	double r = uniform();

	for (int k = 0; k < n - 1; k++)
	{
		if (r < p[k])
			return k;
		r -= p[k];
	}
	return n - 1;
}

/* The known model the synthetic sample comes from. */
#define NF 4
static const int    true_levels[NF] = {3, 2, 2, 2};
static const double true_m[NF][3] = {{0.70, 0.20, 0.10}, {0.90, 0.10}, {0.60, 0.40}, {0.80, 0.20}};
static const double true_u[NF][3] = {{0.05, 0.15, 0.80}, {0.30, 0.70}, {0.05, 0.95}, {0.10, 0.90}};
static const double true_prior = 0.15;
static const double missing_rate[NF] = {0.0, 0.10, 0.30, 0.50};

/* A starting model for EM: deliberately off, but with matches agreeing more. */
static void
start_model(FsModel *m)
{
	static const char *const lv3[] = {"exact", "close", "far"};
	static const char *const lv2[] = {"agree", "disagree"};
	static const char *const names[NF] = {"name", "region", "phone", "person"};

	memset(m, 0, sizeof(*m));
	m->nfields = NF;
	for (int f = 0; f < NF; f++)
	{
		m->fields[f].name = names[f];
		m->fields[f].nlevels = true_levels[f];
		for (int k = 0; k < true_levels[f]; k++)
		{
			m->fields[f].level_names[k] = true_levels[f] == 3 ? lv3[k] : lv2[k];
			m->fields[f].m[k] = (k == 0) ? 0.5 : 0.5 / (true_levels[f] - 1);
			m->fields[f].u[k] = (k == 0) ? 0.2 : 0.8 / (true_levels[f] - 1);
		}
	}
	m->upper = 10;
	m->lower = 4;
	m->prior = 0.3;
}

#define NSAMPLE 30000

static int sample[NSAMPLE][NF];

/* The sample's distinct vectors and how often each occurs. */
static int    pat[NSAMPLE][NF];
static double cnt[NSAMPLE];
static size_t npat = 0;

static void
count_patterns(void)
{
	for (int i = 0; i < NSAMPLE; i++)
	{
		size_t j;

		for (j = 0; j < npat; j++)
			if (memcmp(pat[j], sample[i], sizeof(pat[j])) == 0)
				break;
		if (j == npat)
		{
			memcpy(pat[npat], sample[i], sizeof(pat[npat]));
			cnt[npat++] = 0;
		}
		cnt[j] += 1;
	}
}

static void
make_sample(void)
{
	for (int i = 0; i < NSAMPLE; i++)
	{
		int match = uniform() < true_prior;

		for (int f = 0; f < NF; f++)
		{
			int k = draw(match ? true_m[f] : true_u[f], true_levels[f]);

			sample[i][f] = uniform() < missing_rate[f] ? FS_LEVEL_MISSING : k;
		}
	}
}

static int
recovered(const FsModel *m, double eps_m, double eps_u, double eps_p)
{
	int good = near(m->prior, true_prior, eps_p);

	for (int f = 0; f < NF; f++)
		for (int k = 0; k < true_levels[f]; k++)
			good &= near(m->fields[f].m[k], true_m[f][k], eps_m) &
					near(m->fields[f].u[k], true_u[f][k], eps_u);
	return good;
}

int
main(void)
{
	FsModel model;
	int     v[FS_DEFAULT_NFIELDS];
	double  per[FS_MAX_FIELDS];
	char    buf[1024];

	fs_model_default(&model);
	ok(fs_model_check(&model) == NULL, "the default model is valid");
	is_int(model.nfields, 6, "six fields: name, region, industry, address, phone, person");

	/* log2(m/u) by hand from the default m and u. */
	ok(near(fs_level_weight(&model, FS_F_NAME, 0), 8.643856, 1e-6),
	   "name exact: log2(0.80/0.002) = log2 400");
	ok(near(fs_level_weight(&model, FS_F_NAME, 1), 3.906891, 1e-6),
	   "name >=0.92: log2(0.12/0.008) = log2 15");
	ok(near(fs_level_weight(&model, FS_F_NAME, 2), 0.0, 1e-12), "name >=0.80: log2(0.05/0.05) = 0");
	ok(near(fs_level_weight(&model, FS_F_NAME, 3), -4.969626, 1e-6), "name <0.80: log2(0.03/0.94)");
	ok(near(fs_level_weight(&model, FS_F_REGION, 0), 1.662965, 1e-6),
	   "region same: log2(0.95/0.30)");
	ok(near(fs_level_weight(&model, FS_F_REGION, 1), -3.807355, 1e-6),
	   "region different: log2(0.05/0.70)");
	ok(near(fs_level_weight(&model, FS_F_INDUSTRY, 1), -5.129283, 1e-6),
	   "industry different: log2(0.02/0.70)");
	ok(near(fs_level_weight(&model, FS_F_PHONE, 0), 6.906891, 1e-6),
	   "phone agree: log2(0.60/0.005) = log2 120");
	ok(fs_level_weight(&model, FS_F_NAME, FS_LEVEL_MISSING) == 0.0 &&
		   fs_level_weight(&model, FS_F_NAME, 4) == 0.0 && fs_level_weight(&model, 99, 0) == 0.0,
	   "missing or out-of-range levels weigh 0");

	/*
	 * The worked example of docs/matching.md: 衡阳市华湘置业有限公司 vs
	 * 华湘置业(衡阳)有限公司, same phone, no address or person on one side:
	 * 8.643856 + 1.662965 + 1.707819 + 0 + 6.906891 + 0 = 18.921531: link.
	 */
	v[FS_F_NAME] = 0;
	v[FS_F_REGION] = 0;
	v[FS_F_INDUSTRY] = 0;
	v[FS_F_ADDRESS] = FS_LEVEL_MISSING;
	v[FS_F_PHONE] = 0;
	v[FS_F_PERSON] = FS_LEVEL_MISSING;
	ok(near(fs_weight(&model, v, per), 18.921531, 1e-5), "worked example: total 18.9215");
	ok(near(per[FS_F_INDUSTRY], 1.707819, 1e-6) && per[FS_F_ADDRESS] == 0.0, "per-field weights");
	is_int(fs_classify(&model, fs_weight(&model, v, NULL)), FS_LINK, "worked example: link");

	/*
	 * The trap: 华湘置业有限公司 vs 华湘物业有限公司, names >= 0.92, regions
	 * missing, industries different, addresses disagree:
	 * 3.906891 + 0 - 5.129283 - 1.707819 = -2.930211: a new entity.
	 */
	v[FS_F_NAME] = 1;
	v[FS_F_REGION] = FS_LEVEL_MISSING;
	v[FS_F_INDUSTRY] = 1;
	v[FS_F_ADDRESS] = 1;
	v[FS_F_PHONE] = FS_LEVEL_MISSING;
	v[FS_F_PERSON] = FS_LEVEL_MISSING;
	ok(near(fs_weight(&model, v, NULL), -2.930211, 1e-5), "the similar-name trap: total -2.9302");
	is_int(fs_classify(&model, fs_weight(&model, v, NULL)), FS_NONLINK, "the trap: nonlink");

	/* Thresholds: upper is a link, lower is review, just below lower is not. */
	is_int(fs_classify(&model, 10.0), FS_LINK, "weight = upper: link");
	is_int(fs_classify(&model, 9.999), FS_REVIEW, "just below upper: review");
	is_int(fs_classify(&model, 4.0), FS_REVIEW, "weight = lower: review");
	is_int(fs_classify(&model, 3.999), FS_NONLINK, "just below lower: nonlink");
	is_str(fs_decision_name(FS_REVIEW), "review", "decision names");

	/* Levels from a similarity. */
	is_int(fs_level_from_similarity(1.0, fs_default_name_thresholds, 3), 0, "1.0 is exact");
	is_int(fs_level_from_similarity(0.92, fs_default_name_thresholds, 3), 1, "0.92 is >=0.92");
	is_int(fs_level_from_similarity(0.919, fs_default_name_thresholds, 3), 2, "0.919 is >=0.80");
	is_int(fs_level_from_similarity(0.5, fs_default_name_thresholds, 3), 3, "0.5 is below");
	is_int(fs_level_from_similarity(NAN, fs_default_name_thresholds, 3), FS_LEVEL_MISSING,
		   "NaN is missing");

	/* Explanations. */
	{
		FsModel small;
		int     w[2] = {0, FS_LEVEL_MISSING};
		size_t  need;
		char    tiny[16];

		fs_model_default(&small);
		small.nfields = 2;
		need = fs_explain(&small, w, buf, sizeof(buf));
		is_str(buf,
			   "{\"weight\": 8.6439, \"decision\": \"review\", \"fields\": ["
			   "{\"field\": \"name\", \"level\": \"exact\", \"m\": 0.8, \"u\": 0.002, \"weight\": "
			   "8.6439}, "
			   "{\"field\": \"region\", \"level\": null, \"weight\": 0.0000}]}",
			   "explanation as JSON");
		is_int(need, strlen(buf), "returns its length");
		need = fs_explain(&small, w, tiny, sizeof(tiny));
		ok(need == strlen(buf) && strlen(tiny) == sizeof(tiny) - 1 &&
			   strncmp(tiny, buf, sizeof(tiny) - 1) == 0,
		   "a small buffer: truncated, NUL-terminated, full length returned");
		small.fields[0].name = "na\"me\\\n";
		fs_explain(&small, w, buf, sizeof(buf));
		ok(strstr(buf, "\"field\": \"na\\\"me\\\\\\u000a\"") != NULL,
		   "field names are JSON-escaped");
		ok(fs_explain(&small, w, NULL, 0) > 0, "size 0: nothing written, length returned");
	}

	/* Model checks. */
	{
		FsModel bad;

		fs_model_default(&bad);
		bad.fields[2].m[0] = 0.5;
		is_str(fs_model_check(&bad), "probability", "m not summing to 1");
		fs_model_default(&bad);
		bad.fields[0].u[3] = 0.0;
		bad.fields[0].u[0] = 0.942;
		is_str(fs_model_check(&bad), "probability", "a zero probability");
		fs_model_default(&bad);
		bad.lower = 11;
		is_str(fs_model_check(&bad), "thresholds", "lower above upper");
		fs_model_default(&bad);
		bad.fields[1].nlevels = 1;
		is_str(fs_model_check(&bad), "levels", "one level");
		fs_model_default(&bad);
		bad.nfields = 0;
		is_str(fs_model_check(&bad), "fields", "no fields");
		fs_model_default(&bad);
		bad.prior = 1.0;
		is_str(fs_model_check(&bad), "prior", "prior 1");
	}

	/* EM recovers the known model from the sample. */
	make_sample();
	{
		FsModel     est;
		FsEmResult  res;
		FsEmOptions opt = FS_EM_DEFAULT_OPTIONS;
		const char *err;

		start_model(&est);
		err = fs_em(&est, &sample[0][0], NULL, NSAMPLE, &opt, &res);
		ok(err == NULL, "EM runs");
		ok(res.converged && res.iterations < opt.max_iterations, "EM converges (%d iterations)",
		   res.iterations);
		ok(!res.swapped, "no label switch from a sensible start");
		ok(recovered(&est, 0.03, 0.015, 0.01),
		   "EM recovers m (±0.03), u (±0.015) and prior (±0.01)");
		ok(fs_model_check(&est) == NULL, "the estimate is a valid model");
		ok(near(res.total, NSAMPLE, 1e-9), "total counts every vector once");

		/* The same vectors given as distinct patterns with counts: the same estimate. */
		{
			FsModel    est2;
			FsEmResult res2;
			int        same = 1;

			count_patterns();
			start_model(&est2);
			ok(fs_em(&est2, &pat[0][0], cnt, npat, &opt, &res2) == NULL,
			   "EM on %zu counted patterns", npat);
			for (int f = 0; f < NF; f++)
				for (int k = 0; k < true_levels[f]; k++)
					same &= fabs(est2.fields[f].m[k] - est.fields[f].m[k]) < 1e-9 &&
							fabs(est2.fields[f].u[k] - est.fields[f].u[k]) < 1e-9;
			ok(same && fabs(est2.prior - est.prior) < 1e-9 && res2.iterations == res.iterations,
			   "counted patterns give the same estimate");
			ok(fabs(res2.log_likelihood - res.log_likelihood) < 1e-6 * fabs(res.log_likelihood),
			   "and the same log-likelihood");
		}

		/* Started the wrong way round, EM finds the mirror image; it is swapped back. */
		{
			FsModel    mirror;
			FsEmResult r3;

			start_model(&mirror);
			for (int f = 0; f < NF; f++)
				for (int k = 0; k < true_levels[f]; k++)
				{
					double t = mirror.fields[f].m[k];

					mirror.fields[f].m[k] = mirror.fields[f].u[k];
					mirror.fields[f].u[k] = t;
				}
			mirror.prior = 0.7;
			ok(fs_em(&mirror, &pat[0][0], cnt, npat, &opt, &r3) == NULL && r3.swapped,
			   "a mirrored start is detected and swapped");
			ok(recovered(&mirror, 0.03, 0.015, 0.01), "and still recovers the model");
		}

		/* The iteration cap and the probability floor. */
		{
			FsModel     capped;
			FsEmResult  r4;
			FsEmOptions one = {1, 0.0, 1e-6};

			start_model(&capped);
			ok(fs_em(&capped, &sample[0][0], NULL, NSAMPLE, &one, &r4) == NULL &&
				   r4.iterations == 1 && !r4.converged,
			   "max_iterations caps EM");
		}
		{
			/* every pair agrees on the phone: u(disagree) would be 0 without the floor */
			static int  all_agree[100][NF];
			FsModel     fl;
			FsEmResult  r5;
			FsEmOptions floor = {500, 1e-9, 1e-3};

			for (int i = 0; i < 100; i++)
			{
				all_agree[i][0] = i % 3;
				all_agree[i][1] = i % 2;
				all_agree[i][2] = 0;
				all_agree[i][3] = (i % 5 == 0);
			}
			start_model(&fl);
			ok(fs_em(&fl, &all_agree[0][0], NULL, 100, &floor, &r5) == NULL,
			   "EM on degenerate data");
			ok(fl.fields[2].m[1] >= 1e-3 - 1e-12 && fl.fields[2].u[1] >= 1e-3 - 1e-12 &&
				   fs_model_check(&fl) == NULL,
			   "probabilities stay at least epsilon, summing to 1");
		}
	}

	/* Errors leave the model untouched. */
	{
		FsModel    m, before;
		FsEmResult r;
		int        bad_level[NF] = {0, 2, 0, 0}; /* region has levels 0 and 1 only */
		int        good[NF] = {0, 0, 0, 0};
		double     neg = -1.0, zero = 0.0;

		start_model(&m);
		before = m;
		is_str(fs_em(&m, bad_level, NULL, 1, NULL, &r), "level", "a level out of range");
		is_str(fs_em(&m, good, &neg, 1, NULL, &r), "count", "a negative count");
		is_str(fs_em(&m, good, &zero, 1, NULL, &r), "empty", "only zero counts");
		is_str(fs_em(&m, good, NULL, 0, NULL, &r), "empty", "no vectors");
		ok(memcmp(&m, &before, sizeof(m)) == 0, "the model is unchanged after errors");
		m.prior = 0;
		is_str(fs_em(&m, good, NULL, 1, NULL, &r), "prior", "an invalid model is refused");
	}

	return done_testing();
}
