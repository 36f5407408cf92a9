/*
 * fellegi_sunter.c
 *		Fellegi-Sunter match weights and EM.  Pure core: see fellegi_sunter.h.
 *
 * EM (Dempster, Laird and Rubin 1977; for record linkage Winkler 1988,
 * Jaro 1989): the pairs are a mixture of two classes, matches (share p) and
 * non-matches, and within a class the fields' levels are independent.  The
 * E step gives each vector its probability g of being a match; the M step
 * sets p to the weighted share of g and each class's level probabilities to
 * the g- (1 - g-) weighted level frequencies among the vectors where the
 * field is present.  Likelihoods are handled as logarithms so that many
 * fields with small probabilities never underflow.
 */
#include "match/fellegi_sunter.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const double fs_default_name_thresholds[3] = {1.0, 0.92, 0.80};

void
fs_field_set(FsField *f, const char *name, int nlevels, const char *const *level_names,
			 const double *m, const double *u)
{
	f->name = name;
	f->nlevels = nlevels;
	for (int k = 0; k < nlevels; k++)
	{
		f->level_names[k] = level_names[k];
		f->m[k] = m[k];
		f->u[k] = u[k];
	}
}

/*
 * The hand-set starting model.  The u values describe pairs inside a block
 * (same 字号 or same name key), not random pairs: there, unrelated records
 * share a region or an industry far more often than at random.
 * docs/matching.md gives the reasoning for each number.
 */
void
fs_model_default(FsModel *model)
{
	static const char *const name_levels[] = {"exact", ">=0.92", ">=0.80", "<0.80"};
	static const double      name_m[] = {0.80, 0.12, 0.05, 0.03};
	static const double      name_u[] = {0.002, 0.008, 0.05, 0.94};
	static const char *const same_levels[] = {"same", "different"};
	static const char *const agree_levels[] = {"agree", "disagree"};
	static const double      region_m[] = {0.95, 0.05};
	static const double      region_u[] = {0.30, 0.70};
	static const double      industry_m[] = {0.98, 0.02};
	static const double      industry_u[] = {0.30, 0.70};
	static const double      address_m[] = {0.70, 0.30};
	static const double      address_u[] = {0.02, 0.98};
	static const double      phone_m[] = {0.60, 0.40};
	static const double      phone_u[] = {0.005, 0.995};
	static const double      person_m[] = {0.85, 0.15};
	static const double      person_u[] = {0.01, 0.99};

	memset(model, 0, sizeof(*model));
	model->nfields = FS_DEFAULT_NFIELDS;
	fs_field_set(&model->fields[FS_F_NAME], "name", 4, name_levels, name_m, name_u);
	fs_field_set(&model->fields[FS_F_REGION], "region", 2, same_levels, region_m, region_u);
	fs_field_set(&model->fields[FS_F_INDUSTRY], "industry", 2, same_levels, industry_m, industry_u);
	fs_field_set(&model->fields[FS_F_ADDRESS], "address", 2, agree_levels, address_m, address_u);
	fs_field_set(&model->fields[FS_F_PHONE], "phone", 2, agree_levels, phone_m, phone_u);
	fs_field_set(&model->fields[FS_F_PERSON], "person", 2, agree_levels, person_m, person_u);
	model->upper = 10.0;
	model->lower = 4.0;
	model->prior = 0.1;
}

const char *
fs_model_check(const FsModel *model)
{
	if (model->nfields < 1 || model->nfields > FS_MAX_FIELDS)
		return "fields";
	for (int f = 0; f < model->nfields; f++)
	{
		const FsField *fld = &model->fields[f];
		double         sm = 0.0, su = 0.0;

		if (fld->nlevels < 2 || fld->nlevels > FS_MAX_LEVELS)
			return "levels";
		for (int k = 0; k < fld->nlevels; k++)
		{
			if (!(fld->m[k] > 0.0 && fld->m[k] < 1.0) || !(fld->u[k] > 0.0 && fld->u[k] < 1.0))
				return "probability";
			sm += fld->m[k];
			su += fld->u[k];
		}
		if (fabs(sm - 1.0) > 1e-6 || fabs(su - 1.0) > 1e-6)
			return "probability";
	}
	if (!isfinite(model->upper) || !isfinite(model->lower) || model->lower > model->upper)
		return "thresholds";
	if (!(model->prior > 0.0 && model->prior < 1.0))
		return "prior";
	return NULL;
}

static bool
level_valid(const FsModel *model, int field, int level)
{
	return field >= 0 && field < model->nfields && level >= 0 &&
		   level < model->fields[field].nlevels;
}

double
fs_level_weight(const FsModel *model, int field, int level)
{
	if (!level_valid(model, field, level))
		return 0.0;
	return log2(model->fields[field].m[level] / model->fields[field].u[level]);
}

double
fs_weight(const FsModel *model, const int *levels, double *per_field)
{
	double total = 0.0;

	for (int f = 0; f < model->nfields; f++)
	{
		double w = fs_level_weight(model, f, levels[f]);

		if (per_field)
			per_field[f] = w;
		total += w;
	}
	return total;
}

FsDecision
fs_classify(const FsModel *model, double weight)
{
	if (weight >= model->upper)
		return FS_LINK;
	if (weight >= model->lower)
		return FS_REVIEW;
	return FS_NONLINK;
}

const char *
fs_decision_name(FsDecision d)
{
	switch (d)
	{
		case FS_LINK:
			return "link";
		case FS_REVIEW:
			return "review";
		case FS_NONLINK:
			return "nonlink";
	}
	return "nonlink";
}

int
fs_level_from_similarity(double sim, const double *thresholds, int nthresholds)
{
	if (isnan(sim))
		return FS_LEVEL_MISSING;
	for (int i = 0; i < nthresholds; i++)
		if (sim >= thresholds[i])
			return i;
	return nthresholds;
}

/* A bounded text buffer that counts what it could not hold. */
typedef struct Out
{
	char  *buf;
	size_t size;
	size_t len; /* length needed so far */
} Out;

static void
out_raw(Out *o, const char *s, size_t n)
{
	if (o->size > 0 && o->len < o->size - 1)
	{
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
out_printf(Out *o, const char *fmt, ...)
{
	char    tmp[64];
	va_list ap;
	int     n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_raw(o, tmp, (size_t) n < sizeof(tmp) ? (size_t) n : sizeof(tmp) - 1);
}

/* A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
static void
out_json_string(Out *o, const char *s)
{
	if (s == NULL)
	{
		out_raw(o, "null", 4);
		return;
	}
	out_raw(o, "\"", 1);
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			out_raw(o, "\\", 1);
			out_raw(o, s, 1);
		}
		else if (c < 0x20)
			out_printf(o, "\\u%04x", c);
		else
			out_raw(o, s, 1);
	}
	out_raw(o, "\"", 1);
}

/* A finite number as JSON; weights are rounded to 4 decimals for reading. */
static void
out_number(Out *o, double x, const char *fmt)
{
	if (!isfinite(x))
		out_raw(o, "null", 4);
	else
		out_printf(o, fmt, x == 0.0 ? 0.0 : x); /* no "-0" */
}

size_t
fs_explain(const FsModel *model, const int *levels, char *buf, size_t size)
{
	Out    o = {buf, size, 0};
	double per_field[FS_MAX_FIELDS];
	double total = fs_weight(model, levels, per_field);

	out_raw(&o, "{\"weight\": ", 11);
	out_number(&o, total, "%.4f");
	out_raw(&o, ", \"decision\": ", 14);
	out_json_string(&o, fs_decision_name(fs_classify(model, total)));
	out_raw(&o, ", \"fields\": [", 13);
	for (int f = 0; f < model->nfields; f++)
	{
		const FsField *fld = &model->fields[f];
		int            k = levels[f];

		if (f > 0)
			out_raw(&o, ", ", 2);
		out_raw(&o, "{\"field\": ", 10);
		out_json_string(&o, fld->name);
		out_raw(&o, ", \"level\": ", 11);
		if (level_valid(model, f, k))
		{
			out_json_string(&o, fld->level_names[k]);
			out_raw(&o, ", \"m\": ", 7);
			out_number(&o, fld->m[k], "%.6g");
			out_raw(&o, ", \"u\": ", 7);
			out_number(&o, fld->u[k], "%.6g");
		}
		else
			out_raw(&o, "null", 4);
		out_raw(&o, ", \"weight\": ", 12);
		out_number(&o, per_field[f], "%.4f");
		out_raw(&o, "}", 1);
	}
	out_raw(&o, "]}", 2);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

/* log(exp(a) + exp(b)) without overflow. */
static double
log_add(double a, double b)
{
	if (a < b)
	{
		double t = a;

		a = b;
		b = t;
	}
	return a + log1p(exp(b - a));
}

/* m = (1 - L eps) m + eps: every level at least eps, still summing to 1. */
static void
floor_probabilities(double *p, int nlevels, double eps)
{
	for (int k = 0; k < nlevels; k++)
		p[k] = (1.0 - (double) nlevels * eps) * p[k] + eps;
}

/*
 * One E step over the vectors under cur: fills the M step's sums (sm, su:
 * g- and (1 - g)-weighted level counts; *gsum: the sum of g) and returns the
 * log-likelihood of cur.
 */
static double
e_step(const FsModel *cur, const int *levels, const double *counts, size_t n,
	   double sm[FS_MAX_FIELDS][FS_MAX_LEVELS], double su[FS_MAX_FIELDS][FS_MAX_LEVELS],
	   double *gsum)
{
	double logm[FS_MAX_FIELDS][FS_MAX_LEVELS];
	double logu[FS_MAX_FIELDS][FS_MAX_LEVELS];
	double lp = log(cur->prior);
	double lq = log1p(-cur->prior);
	double loglik = 0.0;
	int    nf = cur->nfields;

	memset(sm, 0, sizeof(double) * FS_MAX_FIELDS * FS_MAX_LEVELS);
	memset(su, 0, sizeof(double) * FS_MAX_FIELDS * FS_MAX_LEVELS);
	*gsum = 0.0;
	for (int f = 0; f < nf; f++)
		for (int k = 0; k < cur->fields[f].nlevels; k++)
		{
			logm[f][k] = log(cur->fields[f].m[k]);
			logu[f][k] = log(cur->fields[f].u[k]);
		}

	for (size_t i = 0; i < n; i++)
	{
		const int *v = levels + i * (size_t) nf;
		double     c = counts ? counts[i] : 1.0;
		double     a = lp, b = lq, g;

		if (c == 0.0)
			continue;
		for (int f = 0; f < nf; f++)
		{
			if (v[f] == FS_LEVEL_MISSING)
				continue;
			a += logm[f][v[f]];
			b += logu[f][v[f]];
		}
		g = 1.0 / (1.0 + exp(b - a)); /* exp overflow gives g = 0, as it should */
		loglik += c * log_add(a, b);
		*gsum += c * g;
		for (int f = 0; f < nf; f++)
		{
			if (v[f] == FS_LEVEL_MISSING)
				continue;
			sm[f][v[f]] += c * g;
			su[f][v[f]] += c * (1.0 - g);
		}
	}
	return loglik;
}

const char *
fs_em(FsModel *model, const int *levels, const double *counts, size_t n, const FsEmOptions *options,
	  FsEmResult *result)
{
	FsEmOptions defaults = FS_EM_DEFAULT_OPTIONS;
	FsEmOptions opt = options ? *options : defaults;
	FsModel     cur;
	const char *problem = fs_model_check(model);
	double      total = 0.0;
	int         nf = model->nfields;

	memset(result, 0, sizeof(*result));
	if (problem)
		return problem;
	if (opt.max_iterations < 1 || !(opt.tolerance >= 0.0) || !isfinite(opt.tolerance) ||
		!(opt.epsilon > 0.0) || opt.epsilon * FS_MAX_LEVELS >= 1.0)
		return "options";

	/* Validate everything before touching the model. */
	for (size_t i = 0; i < n; i++)
	{
		double c = counts ? counts[i] : 1.0;

		if (!isfinite(c) || c < 0.0)
			return "count";
		for (int f = 0; f < nf; f++)
		{
			int k = levels[i * (size_t) nf + f];

			if (k != FS_LEVEL_MISSING && !level_valid(model, f, k))
				return "level";
		}
		total += c;
	}
	if (!(total > 0.0))
		return "empty";

	cur = *model;
	for (int it = 1; it <= opt.max_iterations; it++)
	{
		double  sm[FS_MAX_FIELDS][FS_MAX_LEVELS];
		double  su[FS_MAX_FIELDS][FS_MAX_LEVELS];
		double  gsum;
		double  change = 0.0;
		FsModel next = cur;

		(void) e_step(&cur, levels, counts, n, sm, su, &gsum);

		/* M step. */
		next.prior = gsum / total;
		if (next.prior < opt.epsilon)
			next.prior = opt.epsilon;
		if (next.prior > 1.0 - opt.epsilon)
			next.prior = 1.0 - opt.epsilon;
		for (int f = 0; f < nf; f++)
		{
			FsField *fld = &next.fields[f];
			double   tm = 0.0, tu = 0.0;

			for (int k = 0; k < fld->nlevels; k++)
			{
				tm += sm[f][k];
				tu += su[f][k];
			}
			if (tm > 0.0)
			{
				for (int k = 0; k < fld->nlevels; k++)
					fld->m[k] = sm[f][k] / tm;
				floor_probabilities(fld->m, fld->nlevels, opt.epsilon);
			}
			if (tu > 0.0)
			{
				for (int k = 0; k < fld->nlevels; k++)
					fld->u[k] = su[f][k] / tu;
				floor_probabilities(fld->u, fld->nlevels, opt.epsilon);
			}
			for (int k = 0; k < fld->nlevels; k++)
			{
				change = fmax(change, fabs(fld->m[k] - cur.fields[f].m[k]));
				change = fmax(change, fabs(fld->u[k] - cur.fields[f].u[k]));
			}
		}
		change = fmax(change, fabs(next.prior - cur.prior));
		cur = next;
		result->iterations = it;
		if (change <= opt.tolerance)
		{
			result->converged = true;
			break;
		}
	}

	/*
	 * Label switching: the match class is the one that agrees more often on
	 * each field's first (strongest) level; if the fields say otherwise on
	 * balance, the two classes came out the other way round.
	 */
	{
		double balance = 0.0;

		for (int f = 0; f < nf; f++)
			balance += log(cur.fields[f].m[0] / cur.fields[f].u[0]);
		if (balance < 0.0)
		{
			for (int f = 0; f < nf; f++)
				for (int k = 0; k < cur.fields[f].nlevels; k++)
				{
					double t = cur.fields[f].m[k];

					cur.fields[f].m[k] = cur.fields[f].u[k];
					cur.fields[f].u[k] = t;
				}
			cur.prior = 1.0 - cur.prior;
			result->swapped = true;
		}
	}

	{
		double sm[FS_MAX_FIELDS][FS_MAX_LEVELS];
		double su[FS_MAX_FIELDS][FS_MAX_LEVELS];
		double gsum;

		result->log_likelihood = e_step(&cur, levels, counts, n, sm, su, &gsum);
	}
	result->total = total;
	model->prior = cur.prior;
	for (int f = 0; f < nf; f++)
		for (int k = 0; k < cur.fields[f].nlevels; k++)
		{
			model->fields[f].m[k] = cur.fields[f].m[k];
			model->fields[f].u[k] = cur.fields[f].u[k];
		}
	return NULL;
}
