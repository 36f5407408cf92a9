/*
 * validate_rule.c
 *		Pure core: the cross-field rules of a catalog item (docs/catalog.md,
 *		"Rules").  A rule only looks at fields that parsed: a field that is
 *		missing or wrong already has its own error, and the rule is skipped.
 */
#include <stdio.h>
#include <string.h>

#include "ident/ident.h"
#include "validate/validate.h"
#include "validate/validate_internal.h"
#include "validate/validate_msg.h"

/* "签约日期(sign_date) “2024-03-05”" / "record_date \"2024-03-05\"" */
static const char *
field_with_value(ValidateBatch *b, const ValidateMem *mem, const RowResult *out, int i)
{
	const FieldResult *r = &out->fields[i];

	return vmsg_printf(mem, b->lang == VL_ZH ? "%s“%s”" : "%s \"%s\"",
					   vmsg_label(mem, b->lang, &b->spec->fields[i]), r->canon);
}

static void
rule_compare(ValidateBatch *b, const RuleSpec *rule, const ValidateMem *mem, RowResult *out)
{
	const FieldResult *x = &out->fields[rule->fields[0]];
	const FieldResult *y = &out->fields[rule->fields[1]];
	const char        *code = rule->kind == RK_LT ? "lt" : "lte";
	bool               time = x->pv.scale == VS_DAYS || x->pv.scale == VS_SECONDS;
	int                c;

	if (!x->parsed || !y->parsed || !validate_value_compare(&x->pv, &y->pv, &c))
		return;
	if (rule->kind == RK_LT ? c < 0 : c <= 0)
		return;
	validate_add_error(
		out, mem, -1, code,
		vmsg_build(mem, b->lang, time ? (rule->kind == RK_LT ? "lt_time" : "lte_time") : code,
				   vmsg_label(mem, b->lang, &b->spec->fields[rule->fields[0]]), x->canon,
				   x->canon_len, field_with_value(b, mem, out, rule->fields[1])));
}

static void
rule_birthdate(ValidateBatch *b, const RuleSpec *rule, const ValidateMem *mem, RowResult *out)
{
	const FieldResult *id = &out->fields[rule->fields[0]];
	const FieldResult *date = &out->fields[rule->fields[1]];
	int                y, m, d;
	char               born[16];

	if (!id->parsed || !date->parsed || date->pv.scale != VS_DAYS)
		return;
	if (!ident_idcard_birthdate(id->canon, id->canon_len, &y, &m, &d))
		return;
	if (value_days_from_ymd(y, m, d) == date->pv.cmp.days)
		return;
	snprintf(born, sizeof(born), "%04d-%02d-%02d", y, m, d);
	validate_add_error(out, mem, -1, "idcard_birthdate",
					   vmsg_build(mem, b->lang, "idcard_birthdate",
								  vmsg_label(mem, b->lang, &b->spec->fields[rule->fields[0]]), born,
								  strlen(born), field_with_value(b, mem, out, rule->fields[1])));
}

/*
 * Amounts are summed exactly in fen; any other number in double precision,
 * with a relative slack of 1e-9 for rounding.
 */
static void
rule_sum(ValidateBatch *b, const RuleSpec *rule, const ValidateMem *mem, RowResult *out)
{
	const FieldResult *t = &out->fields[rule->total];
	bool               cents = t->pv.scale == VS_CENTS;
	int64_t            sum_cents = 0;
	double             sum = 0;
	double             total;
	bool               bad;
	char               text[64];
	const char        *names = "";
	bool               any = false;
	int                k;

	if (!t->parsed)
		return;
	for (k = 0; k < rule->nfields; k++)
	{
		const FieldResult *r = &out->fields[rule->fields[k]];

		if (!r->present)
			continue; /* a missing part counts as zero */
		if (!r->parsed)
			return;
		any = true;
		if (r->pv.scale != VS_CENTS)
			cents = false;
	}
	if (!any)
		return; /* no part reported: nothing to add up */
	for (k = 0; k < rule->nfields; k++)
	{
		const FieldResult *r = &out->fields[rule->fields[k]];

		if (!r->present)
			continue;
		if (r->pv.scale == VS_CENTS)
		{
			sum_cents += r->pv.cmp.cents;
			sum += (double) r->pv.cmp.cents / 100.0;
		}
		else
			sum += r->pv.cmp.number;
	}
	if (cents)
	{
		int64_t tol = (int64_t) (rule->tolerance * 100.0 + 0.5);
		int64_t diff = sum_cents - t->pv.cmp.cents;

		bad = diff > tol || -diff > tol;
	}
	else
	{
		double diff;
		double scale;

		total = t->pv.scale == VS_CENTS ? (double) t->pv.cmp.cents / 100.0 : t->pv.cmp.number;
		diff = sum > total ? sum - total : total - sum;
		scale = (sum < 0 ? -sum : sum) > (total < 0 ? -total : total)
					? (sum < 0 ? -sum : sum)
					: (total < 0 ? -total : total);
		bad = diff > rule->tolerance + 1e-9 * scale;
	}
	if (!bad)
		return;

	/* The message only for a row that fails: most rows add up. */
	for (k = 0; k < rule->nfields; k++)
		names = vmsg_printf(mem, "%s%s%s", names, k > 0 ? " + " : "",
							vmsg_label(mem, b->lang, &b->spec->fields[rule->fields[k]]));
	if (cents)
		snprintf(text, sizeof(text), "%s%lld.%02lld", sum_cents < 0 ? "-" : "",
				 (long long) ((sum_cents < 0 ? -sum_cents : sum_cents) / 100),
				 (long long) ((sum_cents < 0 ? -sum_cents : sum_cents) % 100));
	else
		snprintf(text, sizeof(text), "%.15g", sum);
	validate_add_error(out, mem, -1, "sum",
					   vmsg_build(mem, b->lang, "sum", names, text, strlen(text),
								  field_with_value(b, mem, out, rule->total)));
}

static void
rule_required_if(ValidateBatch *b, const RuleSpec *rule, const ValidateMem *mem, RowResult *out)
{
	const FieldResult *w = &out->fields[rule->when];
	const char        *when_label = vmsg_label(mem, b->lang, &b->spec->fields[rule->when]);
	int                k;

	if (!w->parsed)
		return;
	if (rule->n_in > 0)
	{
		bool hit = false;

		for (k = 0; k < rule->n_in && !hit; k++)
			hit = strcmp(rule->in_values[k], w->canon) == 0;
		if (!hit)
			return;
	}
	for (k = 0; k < rule->nfields; k++)
	{
		int              i = rule->fields[k];
		const FieldSpec *f = &b->spec->fields[i];

		if (out->fields[i].present || f->required)
			continue; /* a required field already has its own error */
		validate_add_error(
			out, mem, i, "required_if",
			rule->n_in > 0
				? vmsg_build(mem, b->lang, "required_if", vmsg_label(mem, b->lang, f), when_label,
							 strlen(when_label), w->canon)
				: vmsg_build(mem, b->lang, "required_if_present", vmsg_label(mem, b->lang, f),
							 when_label, strlen(when_label), NULL));
	}
}

void
validate_rules(ValidateBatch *b, const ValidateMem *mem, RowResult *out)
{
	int i;

	for (i = 0; i < b->spec->nrules; i++)
	{
		const RuleSpec *rule = &b->spec->rules[i];

		switch (rule->kind)
		{
			case RK_LTE:
			case RK_LT:
				rule_compare(b, rule, mem, out);
				break;
			case RK_IDCARD_BIRTHDATE:
				rule_birthdate(b, rule, mem, out);
				break;
			case RK_SUM:
				rule_sum(b, rule, mem, out);
				break;
			case RK_REQUIRED_IF:
				rule_required_if(b, rule, mem, out);
				break;
		}
	}
}
