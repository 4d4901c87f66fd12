/*
 * indexation.c - task-based funding: the contract's fixed yearly budget,
 * indexed every year by a composite of a wage and a price index, with the
 * correction of last year's prognosis to its realisation, as the VNG
 * Contractstandaard and most municipal contracts do it.
 *
 * The rule.  P(y) is the composite prognosis for year y and A(y) the
 * composite realisation, each (wage weight x wage figure + price weight x
 * price figure) / 10000 in basis points, rounded to a whole basis point.
 * b is the base year.
 *
 *   budget(b)     = the contract's budget
 *   base(b)       = budget(b)
 * and for each later year y:
 *   correction(y) = round(base(y-1) x (A(y-1) - P(y-1)))
 *                   -- 0 when y-1 = b (nothing was indexed) or A(y-1) is
 *                   not yet known;
 *   base'(y-1)    = budget(y-1) + correction(y)
 *   indexation(y) = round(base'(y-1) x P(y))
 *   budget(y)     = base'(y-1) + indexation(y)
 *   base(y)       = base'(y-1)   -- the amount indexation(y) applied to
 *
 * Why: year y-1 was paid budget(y-1) = base(y-1) x (1 + P(y-1)), the
 * amount its indexation was applied to, indexed by the prognosis.  Once
 * A(y-1) is known, year y-1 should have been base(y-1) x (1 + A(y-1)); the
 * difference base(y-1) x (A(y-1) - P(y-1)) is the correction.  It appears
 * in year y and is carried structurally into the base, so budget(y) and
 * every later year build on what y-1 should have been.  (The correction is
 * also the amount by which year y-1 itself was paid too little or too
 * much; whether the municipality settles that afterwards is outside this
 * budget line.)  Note that base(y-1) is not budget(y-2) as paid but
 * budget(y-2) plus the correction carried in year y-1: the index of y-1
 * was applied to that corrected amount.
 *
 * Rounding: every product of cents and basis points is rounded to whole
 * cents, half away from zero (0,5 cent becomes 1 cent, -0,5 becomes -1),
 * at each step; composites are rounded to whole basis points the same
 * way.  Integer arithmetic only: a product is split as (q x 10000 + r) x
 * bp so that nothing overflows.  Absurd input is refused: index figures
 * outside -50 %..50 %, budgets above EUR 10^13, more than 100 years.
 *
 * Worked example (the unit tests hold it): EUR 20.000.000 in 2022, wage
 * 75 %, price 25 %.  2023: P = 75 % x 5,00 % + 25 % x 3,00 % = 4,50 %,
 * budget 20.000.000 + 900.000 = 20.900.000.  2023 is realised at wage
 * 6,00 %, price 3,20 %: A = 5,30 %.  2024 (prognosis 4,00 % / 2,00 %,
 * P = 3,50 %): correction = 20.000.000 x 0,80 % = 160.000; base' =
 * 20.900.000 + 160.000 = 21.060.000 (= 20.000.000 x 1,053); indexation =
 * 21.060.000 x 3,50 % = 737.100; budget 2024 = 21.797.100.
 *
 * Plain C, no I/O; explanations go into the caller's arena.
 */
#include "steering.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

#define BP_WHOLE 10000
#define FIGURE_MIN_BP (-5000)    /* -50 % */
#define FIGURE_MAX_BP 5000       /* 50 % */
#define MAX_CENTS 1000000000000000LL
#define MAX_YEARS 100
#define COMPOSITE_CLAMP 1000000  /* keeps the composite's products small */

/* n / d rounded half away from zero; d > 0. */
static int64_t round_div(int64_t n, int64_t d)
{
	if (n >= 0)
		return (n + d / 2) / d;
	return -((-n + d / 2) / d);
}

/* cents x bp / 10000, rounded half away from zero.  |cents| is split as
 * q x 10000 + r: q x bp is exact and r x bp < 10^4 x |bp|, so nothing
 * overflows for |cents| <= 10^17 and |bp| <= 10^5. */
int64_t cents_mul_bp(int64_t cents, int64_t bp)
{
	bool neg = (cents < 0) != (bp < 0);
	uint64_t m = cents < 0 ? 0ULL - (uint64_t)cents : (uint64_t)cents;
	uint64_t b = bp < 0 ? 0ULL - (uint64_t)bp : (uint64_t)bp;
	uint64_t q = m / BP_WHOLE, r = m % BP_WHOLE;
	uint64_t v = q * b + (r * b + BP_WHOLE / 2) / BP_WHOLE;
	return neg ? -(int64_t)v : (int64_t)v;
}

static int clamp(int v)
{
	return v < -COMPOSITE_CLAMP ? -COMPOSITE_CLAMP :
	    v > COMPOSITE_CLAMP ? COMPOSITE_CLAMP : v;
}

/* Inputs beyond +-10^6 are clamped (index_budget refuses them first). */
int index_composite_bp(int wage_weight_bp, int price_weight_bp, int wage_bp,
		       int price_bp)
{
	int64_t n = (int64_t)clamp(wage_weight_bp) * clamp(wage_bp) +
	    (int64_t)clamp(price_weight_bp) * clamp(price_bp);
	return (int)round_div(n, BP_WHOLE);
}

/* "4,50 %", "-0,80 %" (Dutch decimal comma, as eur_format). */
char *bp_format(int bp, char buf[24])
{
	unsigned v = bp < 0 ? 0u - (unsigned)bp : (unsigned)bp;
	snprintf(buf, 24, "%s%u,%02u %%", bp < 0 ? "-" : "", v / 100,
		 v % 100);
	return buf;
}

static const struct index_figures *find_year(const struct index_figures *f,
					     int n, int year)
{
	for (int i = 0; i < n; i++)
		if (f[i].year == year)
			return &f[i];
	return NULL;
}

static bool figure_ok(int bp)
{
	return bp >= FIGURE_MIN_BP && bp <= FIGURE_MAX_BP;
}

static enum kv_status check_figures(const struct contract *c,
				    const struct index_figures *figures,
				    int n, int to_year, struct kv_error *e)
{
	for (int i = 0; i < n; i++) {
		const struct index_figures *f = &figures[i];
		if (f->year <= c->base_year || f->year > to_year)
			continue;
		for (int j = 0; j < i; j++)
			if (figures[j].year == f->year)
				return kv_fail(e, KV_INVALID, "figures",
					       _("The index figures of %d are "
						 "given twice."), f->year);
		if (!figure_ok(f->wage_prognosis_bp) ||
		    !figure_ok(f->price_prognosis_bp) ||
		    (f->has_actual && (!figure_ok(f->wage_actual_bp) ||
				       !figure_ok(f->price_actual_bp))))
			return kv_fail(e, KV_INVALID, "figures",
				       _("An index figure of %d lies outside "
					 "-50,00 %% to 50,00 %% (-5000 to "
					 "5000 basis points); check the "
					 "figures of that year."), f->year);
	}
	for (int y = c->base_year + 1; y <= to_year; y++)
		if (!find_year(figures, n, y))
			return kv_fail(e, KV_INVALID, "figures",
				       _("The index figures of %d are "
					 "missing: give at least the "
					 "prognosis of the wage and the price "
					 "index for that year."), y);
	return KV_OK;
}

enum kv_status index_budget(arena *a, const struct contract *c,
			    const struct index_figures *figures, int n,
			    int to_year, struct indexed_year **out,
			    int *n_out, struct kv_error *e)
{
	char m1[32], m2[32], m3[32], m4[32];
	char p1[24], p2[24], p3[24], p4[24], p5[24], p6[24];
	enum kv_status st;

	*out = NULL;
	*n_out = 0;
	if (c->wage_weight_bp < 0 || c->price_weight_bp < 0 ||
	    c->wage_weight_bp + c->price_weight_bp != BP_WHOLE)
		return kv_fail(e, KV_INVALID, "wage_weight_bp",
			       _("The wage share (%d) and the price share "
				 "(%d) of the index add up to %d basis "
				 "points; together they are 10000 (100 %%)."),
			       c->wage_weight_bp, c->price_weight_bp,
			       c->wage_weight_bp + c->price_weight_bp);
	if (c->budget_cents < 0 || c->budget_cents > MAX_CENTS)
		return kv_fail(e, KV_INVALID, "budget",
			       _("The budget to index must be 0 to "
				 "10.000.000.000.000,00 euro."));
	if (c->base_year < 1900 || c->base_year > 2200)
		return kv_fail(e, KV_INVALID, "base_year",
			       _("The base year %d is not a year between "
				 "1900 and 2200."), c->base_year);
	if (to_year < c->base_year || to_year - c->base_year >= MAX_YEARS)
		return kv_fail(e, KV_INVALID, "to_year",
			       _("Index up to a year from the base year %d "
				 "to %d; %d given."), c->base_year,
			       c->base_year + MAX_YEARS - 1, to_year);
	if (n < 0 || (n > 0 && !figures))
		return kv_fail(e, KV_INVALID, "figures",
			       _("The index figures are missing."));
	if ((st = check_figures(c, figures, n, to_year, e)) != KV_OK)
		return st;

	int count = to_year - c->base_year + 1;
	struct indexed_year *r = arena_alloc(a, (size_t)count * sizeof *r);
	int ww = c->wage_weight_bp, pw = c->price_weight_bp;

	r[0].year = c->base_year;
	r[0].budget_cents = c->budget_cents;
	r[0].explanation = arena_printf(
	    a, _("%d is the base year: the contract's budget of %s."),
	    c->base_year, eur_format(c->budget_cents, m1));
	/* The amount the indexation of the previous year applied to. */
	int64_t base_prev = c->budget_cents;

	for (int i = 1; i < count; i++) {
		int y = c->base_year + i;
		const struct index_figures *f = find_year(figures, n, y);
		const struct index_figures *fp = find_year(figures, n, y - 1);
		struct indexed_year *iy = &r[i];
		sbuf b;
		sbuf_init(&b, a, 4096);

		iy->year = y;
		iy->previous_cents = r[i - 1].budget_cents;
		iy->composite_prognosis_bp = index_composite_bp(
		    ww, pw, f->wage_prognosis_bp, f->price_prognosis_bp);

		/* The correction of year y-1. */
		if (y - 1 == c->base_year) {
			sbuf_printf(&b, _("No correction: %d is the base "
					  "year, its budget was not "
					  "indexed. "), y - 1);
		} else if (!fp->has_actual) {
			sbuf_printf(&b, _("No correction yet: the "
					  "realisation of %d is not known. "),
				    y - 1);
		} else {
			int pp = index_composite_bp(ww, pw,
						    fp->wage_prognosis_bp,
						    fp->price_prognosis_bp);
			int ap = index_composite_bp(ww, pw,
						    fp->wage_actual_bp,
						    fp->price_actual_bp);
			iy->correction_cents = cents_mul_bp(base_prev, ap - pp);
			sbuf_printf(
			    &b,
			    _("Correction of %d: its indexation applied %s "
			      "to %s; the realisation was %s (wage %s, price "
			      "%s), so %s × (%s - %s) = %s. "),
			    y - 1, bp_format(pp, p1), eur_format(base_prev, m1),
			    bp_format(ap, p2), bp_format(fp->wage_actual_bp, p3),
			    bp_format(fp->price_actual_bp, p4),
			    eur_format(base_prev, m2), bp_format(ap, p5),
			    bp_format(pp, p6), eur_format(iy->correction_cents, m3));
		}

		int64_t base = iy->previous_cents + iy->correction_cents;
		if (base < 0 || base > MAX_CENTS)
			return kv_fail(e, KV_INVALID, "figures",
				       _("With these figures the budget of %d "
					 "leaves the range Kavel handles (0 to "
					 "10.000.000.000.000,00 euro); check "
					 "the figures."), y);
		if (iy->correction_cents != 0)
			sbuf_printf(&b, _("Base: %s + %s = %s. "),
				    eur_format(iy->previous_cents, m1),
				    eur_format(iy->correction_cents, m2),
				    eur_format(base, m3));

		iy->indexation_cents = cents_mul_bp(base, iy->composite_prognosis_bp);
		iy->budget_cents = base + iy->indexation_cents;
		if (iy->budget_cents < 0 || iy->budget_cents > MAX_CENTS)
			return kv_fail(e, KV_INVALID, "figures",
				       _("With these figures the budget of %d "
					 "leaves the range Kavel handles (0 to "
					 "10.000.000.000.000,00 euro); check "
					 "the figures."), y);
		sbuf_printf(&b,
			    _("Indexation %d: composite prognosis %s × %s "
			      "(wage) + %s × %s (price) = %s; %s × %s = %s. "),
			    y, bp_format(ww, p1), bp_format(f->wage_prognosis_bp, p2),
			    bp_format(pw, p3), bp_format(f->price_prognosis_bp, p4),
			    bp_format(iy->composite_prognosis_bp, p5),
			    eur_format(base, m1),
			    bp_format(iy->composite_prognosis_bp, p6),
			    eur_format(iy->indexation_cents, m2));
		sbuf_printf(&b, _("Budget %d: %s + %s = %s."), y,
			    eur_format(base, m1),
			    eur_format(iy->indexation_cents, m2),
			    eur_format(iy->budget_cents, m4));
		iy->explanation = arena_strdup(a, sbuf_str(&b));
		base_prev = base;
	}
	*out = r;
	*n_out = count;
	return KV_OK;
}
