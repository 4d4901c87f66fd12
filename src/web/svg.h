/*
 * svg.h - the charts of the contract page as SVG (svg.c): the geometry
 * of a value axis with "nice" ticks, the KPI trend (kpi_trend_svg, in
 * view.h) and the bar chart of the yearly budgets.  svg.c computes every
 * coordinate; the markup is in tmpl/contract_*_chart.tmpl, which escapes
 * every text.
 */
#ifndef KAVEL_SVG_H
#define KAVEL_SVG_H

#include <stdint.h>

#include "core/steering.h"
#include "html.h"

#define SVG_MAX_TICKS 11

/*
 * A value axis from lo to hi in steps of step (all in the values' own
 * integer unit: thousandths for KPI values, cents for euros), with
 * n = (hi - lo) / step + 1 ticks, lo <= the lowest value, hi >= the
 * highest.  The step is 1, 2, 2.5 or 5 times a power of ten (2.5 only
 * where it stays a whole number).
 */
struct svg_axis {
	int64_t lo, hi, step;
	int n;
};

/*
 * svg_axis_ticks - the axis over [vmin, vmax] (either order) with at
 * most max_ticks ticks (clamped to 3..SVG_MAX_TICKS: an axis across zero
 * needs three) and the smallest
 * step that allows, at least min_step (>= 1).  A single value v gets the
 * axis around it: v - min_step .. v + min_step, rounded out to the step.
 * Values beyond +-10^15 are clamped.
 */
void svg_axis_ticks(int64_t vmin, int64_t vmax, int max_ticks, int64_t min_step,
		    struct svg_axis *ax);

/* The width in pixels svg.c reckons a text takes at a font size (an
 * estimate for a sans-serif face: 0.6 em per character, 0.64 em bold). */
int svg_text_width(const char *s, int font_px, int bold);

/*
 * budget_bars_svg - the bar chart of a contract's yearly budgets (n > 0):
 * per year one bar from zero, split into the budget before this year's
 * indexation and the indexation itself (when both are positive), its
 * amount above it; a value axis in euros with ticks from zero, a legend,
 * the years below.  Every text escaped.  In the arena.
 */
html_t budget_bars_svg(arena *a, const struct indexed_year *y, int n);

/* "€ 2,5 mln", "€ 250.000", "€ 0": a compact amount for axes and bars
 * (whole euros, millions with at most one decimal). */
const char *svg_eur_short(arena *a, int64_t cents);

#endif
