/* costmodel.c - the cost model and its verdict (costmodel.h). */
#include "costmodel.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

#define MAX_SALARY_CENTS 1000000000LL      /* EUR 10 million */
#define MAX_COST_CENTS 1000000000000LL     /* EUR 10^10 */

static char *field_name(char buf[48], int i, const char *what)
{
	snprintf(buf, 48, "functions[%d].%s", i, what);
	return buf;
}

static enum kv_status bp_in(int bp, int hi, const char *field, const char *what,
			    struct kv_error *e)
{
	char p[24];
	if (bp < 0 || bp > hi)
		return kv_fail(e, KV_INVALID, field,
			       _("%s must be between 0 %% and %d %%; %s is not."),
			       what, hi / 100, bp_format(bp, p));
	return KV_OK;
}

enum kv_status costmodel_check(const struct cost_model *m, struct kv_error *e)
{
	char f[48];
	if (m->n_functions < 1 || m->n_functions > COSTMODEL_MAX_FUNCTIONS)
		return kv_fail(e, KV_INVALID, "functions",
			       _("A cost model has 1 to %d functions; this one has %d."),
			       COSTMODEL_MAX_FUNCTIONS, m->n_functions);
	for (int i = 0; i < m->n_functions; i++) {
		const struct cost_function *fn = &m->functions[i];
		if (text_check(fn->name, 200, field_name(f, i, "name"), e) != KV_OK)
			return e->status;
		if (fn->cao && *fn->cao &&
		    text_check(fn->cao, 200, field_name(f, i, "cao"), e) != KV_OK)
			return e->status;
		if (fn->fte_centi < 1 || fn->fte_centi > 10000)
			return kv_fail(e, KV_INVALID, field_name(f, i, "fte"),
				       _("%s: the FTE must be between 0,01 and 100."),
				       fn->name);
		if (fn->salary_cents <= 0 || fn->salary_cents > MAX_SALARY_CENTS)
			return kv_fail(e, KV_INVALID, field_name(f, i, "salary"),
				       _("%s: the yearly salary must be above zero and "
					 "at most EUR 10 million."), fn->name);
		if (bp_in(fn->charges_bp, 10000, field_name(f, i, "charges"),
			  _("The employer's charges"), e) != KV_OK)
			return e->status;
	}
	if (m->productive_hours < 1 || m->productive_hours > 2080)
		return kv_fail(e, KV_INVALID, "productive_hours",
			       _("The productive hours per FTE must be between 1 and "
				 "2080 a year; %d is not."), m->productive_hours);
	if (bp_in(m->overhead_bp, 10000, "overhead", _("The overhead surcharge"), e) != KV_OK ||
	    bp_in(m->management_bp, 10000, "management", _("The management surcharge"), e) != KV_OK ||
	    bp_in(m->efficiency_bp, 5000, "efficiency", _("The efficiency"), e) != KV_OK)
		return e->status;
	if (m->material_cents < 0 || m->material_cents > MAX_COST_CENTS)
		return kv_fail(e, KV_INVALID, "material",
			       _("The material costs must be from zero to EUR 10 billion."));
	if (m->housing_cents < 0 || m->housing_cents > MAX_COST_CENTS)
		return kv_fail(e, KV_INVALID, "housing",
			       _("The housing costs must be from zero to EUR 10 billion."));
	if (m->efficiency_bp > 0 &&
	    text_check_lines(m->efficiency_reason, 4000, true, "efficiency_reason",
			     e) != KV_OK)
		return kv_fail(e, KV_INVALID, "efficiency_reason",
			       _("Say why an efficiency of this size is realistic: "
				 "the council takes the budget on that reasoning."));
	if (m->sources && text_check_lines(m->sources, 4000, false, "sources", e) != KV_OK)
		return e->status;
	return KV_OK;
}

/* The figure of year y, the realisation when known: wage or price. */
static enum kv_status index_of(const struct index_figures *f, int n, int y,
			       bool wage, int *bp, struct kv_error *e)
{
	for (int i = 0; i < n; i++)
		if (f[i].year == y) {
			if (f[i].has_actual)
				*bp = wage ? f[i].wage_actual_bp : f[i].price_actual_bp;
			else
				*bp = wage ? f[i].wage_prognosis_bp : f[i].price_prognosis_bp;
			return KV_OK;
		}
	return kv_fail(e, KV_INVALID, "figures",
		       _("There are no index figures for %d: the costs of that "
			 "year cannot be indexed."), y);
}

/* "2,50" FTE. */
static char *fte_text(int centi, char buf[32])
{
	snprintf(buf, 32, "%d,%02d", centi / 100, centi % 100);
	return buf;
}

enum kv_status costmodel_verdict(arena *a, const struct cost_model *m,
				 const struct index_figures *figures,
				 int n_figures, const int64_t *budgets, int n,
				 struct cost_verdict *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (costmodel_check(m, e) != KV_OK)
		return e->status;
	if (n < 1 || n > COSTMODEL_MAX_YEARS)
		return kv_fail(e, KV_INVALID, "years",
			       _("A cost model covers 1 to %d years; %d asked."),
			       COSTMODEL_MAX_YEARS, n);
	char m1[32], m2[32], m3[32], m4[32], p1[24], t1[32];

	/* The base year: each function, then the team. */
	int64_t staff = 0;
	int fte_total = 0;
	for (int i = 0; i < m->n_functions; i++) {
		const struct cost_function *fn = &m->functions[i];
		/* fte_centi x salary / 100: exact to the cent for salaries up
		 * to EUR 10 million and 100 FTE (10^4 x 10^9 < 2^63). */
		int64_t wages = (fn->fte_centi * fn->salary_cents + 50) / 100;
		int64_t cost = wages + cents_mul_bp(wages, fn->charges_bp);
		out->function_cents[i] = cost;
		out->function_sums[i] = arena_printf(
		    a, _("%s: %s FTE x %s x (1 + %s employer's charges) = %s"),
		    fn->name, fte_text(fn->fte_centi, t1),
		    eur_format(fn->salary_cents, m1), bp_format(fn->charges_bp, p1),
		    eur_format(cost, m2));
		staff += cost;
		fte_total += fn->fte_centi;
	}
	int64_t other = m->material_cents + m->housing_cents;

	out->years = arena_alloc(a, (size_t)n * sizeof *out->years);
	out->n_years = n;
	for (int i = 0; i < n; i++) {
		int y = m->base_year + i;
		struct cost_year *cy = &out->years[i];
		char *indexed = "";
		if (i > 0) {
			int wage_bp = 0, price_bp = 0;
			if (index_of(figures, n_figures, y, true, &wage_bp, e) != KV_OK ||
			    index_of(figures, n_figures, y, false, &price_bp, e) != KV_OK)
				return e->status;
			int64_t staff_before = staff, other_before = other;
			staff += cents_mul_bp(staff, wage_bp);
			other += cents_mul_bp(other, price_bp);
			char p2[24];
			indexed = arena_printf(
			    a, _("Staff %s + %s wage index = %s; material and housing "
				 "%s + %s price index = %s. "),
			    eur_format(staff_before, m1), bp_format(wage_bp, p1),
			    eur_format(staff, m2), eur_format(other_before, m3),
			    bp_format(price_bp, p2), eur_format(other, m4));
		}
		cy->year = y;
		cy->staff_cents = staff;
		cy->overhead_cents = cents_mul_bp(staff, m->overhead_bp);
		cy->management_cents = cents_mul_bp(staff, m->management_bp);
		cy->other_cents = other;
		cy->gross_cents = staff + cy->overhead_cents + cy->management_cents + other;
		cy->efficiency_cents = cents_mul_bp(cy->gross_cents, m->efficiency_bp);
		cy->minimum_cents = cy->gross_cents - cy->efficiency_cents;
		cy->budget_cents = budgets[i];
		cy->margin_cents = budgets[i] - cy->minimum_cents;
		cy->covered = cy->margin_cents >= 0;
		if (!cy->covered && !out->first_short_year)
			out->first_short_year = y;
		char p2[24], p3[24], m5[32], m6[32], m7[32], m8[32];
		cy->explanation = arena_printf(
		    a, _("%s%d: staff %s + overhead %s (%s) + management %s (%s) + "
			 "material and housing %s = %s; less efficiency %s (%s) = "
			 "minimum %s. Budget %s, margin %s."),
		    indexed, y, eur_format(staff, m1),
		    eur_format(cy->overhead_cents, m2), bp_format(m->overhead_bp, p1),
		    eur_format(cy->management_cents, m3), bp_format(m->management_bp, p2),
		    eur_format(other, m4), eur_format(cy->gross_cents, m5),
		    eur_format(cy->efficiency_cents, m6), bp_format(m->efficiency_bp, p3),
		    eur_format(cy->minimum_cents, m7), eur_format(budgets[i], m8),
		    eur_format(cy->margin_cents, t1));
	}
	/* Per productive hour in the base year: what the hours cost that the
	 * team gives its clients. */
	const struct cost_year *b = &out->years[0];
	int64_t hours_centi = (int64_t)fte_total * m->productive_hours;
	int64_t bound = b->staff_cents + b->overhead_cents + b->management_cents;
	out->per_hour_cents = (bound * 100 + hours_centi / 2) / hours_centi;
	return KV_OK;
}
