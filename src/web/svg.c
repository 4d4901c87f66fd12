/*
 * svg.c - the charts of the contract page as SVG: the KPI trend (one line
 * through the measurements of one area in period order, the target as a
 * dashed line) and the bar chart of the yearly budgets.  Both get a value
 * axis with "nice" ticks and grid lines, their unit, a legend and a title
 * that fits.  This file only computes the geometry and the texts; the
 * markup is tmpl/contract_kpi_chart.tmpl and tmpl/contract_budget_chart.tmpl,
 * which escape every text in it.
 *
 * Text widths are estimated (svg_text_width): the SVG is drawn by the
 * browser with its own sans-serif face, so every place that must fit is
 * reckoned with a generous width per character.
 */
#include "svg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/steering.h"
#include "core/validate.h"
#include "templates.h"
#include "view.h"

#define MAX_MILLI 1000000000000000LL     /* as core/kpi.c */
#define SVG_MAX_POINTS 1000

static int64_t clamp_milli(int64_t v)
{
	return v > MAX_MILLI ? MAX_MILLI : v < -MAX_MILLI ? -MAX_MILLI : v;
}

/* ---- the value axis ------------------------------------------------------ */

/* floor(a / b) and ceil(a / b) for b > 0, also for negative a. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a > 0) ? q + 1 : q;
}

/* The smallest step >= raw of the form 1, 2, 2.5 or 5 x 10^k (2.5 only
 * for k >= 1, so that it stays whole). */
static int64_t nice_step(int64_t raw)
{
	if (raw < 1)
		raw = 1;
	int64_t p = 1;
	while (p <= raw / 10)
		p *= 10;
	/* now p <= raw < 10p */
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (p >= 10 && raw * 2 <= 5 * p)
		return p / 2 * 5;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

void svg_axis_ticks(int64_t vmin, int64_t vmax, int max_ticks, int64_t min_step,
		    struct svg_axis *ax)
{
	if (max_ticks < 3)
		max_ticks = 3;
	if (max_ticks > SVG_MAX_TICKS)
		max_ticks = SVG_MAX_TICKS;
	if (min_step < 1)
		min_step = 1;
	vmin = clamp_milli(vmin);
	vmax = clamp_milli(vmax);
	if (vmin > vmax) {
		int64_t t = vmin;
		vmin = vmax;
		vmax = t;
	}
	if (vmin == vmax) {
		vmin -= min_step;
		vmax += min_step;
	}
	/* The step that puts the span in max_ticks - 1 intervals, made nice;
	 * rounding the ends out can add an interval, so grow it until the
	 * ticks fit. */
	int64_t step = nice_step(ceil_div(vmax - vmin, max_ticks - 1));
	if (step < min_step)
		step = nice_step(min_step);
	for (;;) {
		int64_t lo = floor_div(vmin, step) * step;
		int64_t hi = ceil_div(vmax, step) * step;
		int64_t n = (hi - lo) / step + 1;
		if (n <= max_ticks) {
			*ax = (struct svg_axis){.lo = lo, .hi = hi, .step = step, .n = (int)n};
			return;
		}
		step = nice_step(step + 1);
	}
}

int svg_text_width(const char *s, int font_px, int bold)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if ((*p & 0xC0) != 0x80)          /* not a continuation byte */
			chars++;
	return (chars * font_px * (bold ? 64 : 60) + 99) / 100;
}

/* The pixel row of v on an axis lo..hi drawn from bottom (lo) to top (hi). */
static int y_on(int64_t v, const struct svg_axis *ax, int top, int bottom)
{
	uint64_t span = (uint64_t)(ax->hi - ax->lo);
	uint64_t off = (uint64_t)(clamp_milli(v) - ax->lo);
	uint64_t h = (uint64_t)(bottom - top);
	return bottom - (int)((off * h + span / 2) / span);
}

/* The number of decimals (of three) a step of thousandths needs. */
static int milli_decimals(int64_t step)
{
	return step % 1000 == 0 ? 0 : step % 100 == 0 ? 1 : step % 10 == 0 ? 2 : 3;
}

/* A value in thousandths with exactly `dec` decimals, Dutch style
 * ("12,5"); rounded half away from zero. */
static const char *milli_text(arena *a, int64_t milli, int dec)
{
	static const int64_t unit[] = {1000, 100, 10, 1};
	uint64_t v = milli < 0 ? 0ULL - (uint64_t)milli : (uint64_t)milli;
	uint64_t u = (uint64_t)unit[dec];
	v = (v + u / 2) / u;                    /* in units of 10^-dec */
	uint64_t pow = dec == 0 ? 1 : dec == 1 ? 10 : dec == 2 ? 100 : 1000;
	const char *sign = milli < 0 && v ? "-" : "";
	if (!dec)
		return arena_printf(a, "%s%llu", sign, (unsigned long long)v);
	return arena_printf(a, "%s%llu,%0*llu", sign, (unsigned long long)(v / pow), dec,
			    (unsigned long long)(v % pow));
}

/* A title cut into at most two lines of at most max_px each (at the
 * spaces; a word too long for a line is cut); what does not fit ends in
 * "…".  Returns the number of lines. */
static int wrap_title(arena *a, const char *title, int font_px, int max_px,
		      const char *lines[2])
{
	size_t len = strlen(title);
	size_t start = 0;
	int n = 0;
	while (n < 2 && start < len) {
		while (title[start] == ' ')
			start++;
		/* The longest run of whole words from start that fits. */
		size_t best = 0, next = start;
		while (next < len) {
			while (next < len && title[next] == ' ')
				next++;
			while (next < len && title[next] != ' ')
				next++;
			const char *run = arena_strndup(a, title + start, next - start);
			if (svg_text_width(run, font_px, 1) > max_px)
				break;
			best = next;
		}
		if (best == 0) {
			/* One word too long for a line: as many characters as fit. */
			best = start;
			while (best < len) {
				size_t b = best + 1;
				while (b < len && ((unsigned char)title[b] & 0xC0) == 0x80)
					b++;
				const char *run = arena_strndup(a, title + start, b - start);
				if (svg_text_width(run, font_px, 1) > max_px - font_px)
					break;
				best = b;
			}
			if (best == start)
				best = start + 1;
		}
		lines[n++] = arena_strndup(a, title + start, best - start);
		start = best;
	}
	while (start < len && title[start] == ' ')
		start++;
	if (start < len) {
		/* The rest does not fit: the last line gives up a word (or
		 * characters) for the ellipsis. */
		const char *last = lines[n - 1];
		size_t l = strlen(last);
		while (l > 0 && svg_text_width(arena_printf(a, "%.*s…", (int)l, last),
					       font_px, 1) > max_px) {
			l--;
			while (l > 0 && ((unsigned char)last[l] & 0xC0) == 0x80)
				l--;
		}
		while (l > 0 && last[l - 1] == ' ')
			l--;
		lines[n - 1] = arena_printf(a, "%.*s…", (int)l, last);
	}
	return n;
}

/* ---- the KPI trend --------------------------------------------------------- */

static int cmp_period(const void *x, const void *y)
{
	const struct measurement *const *a = x, *const *b = y;
	return strcmp((*a)->period, (*b)->period);
}

html_t kpi_trend_svg(arena *a, const struct kpi *k,
		     const struct measurement *m, int n, const char *area,
		     int width, int height)
{
	const char *want = area ? area : "";
	const char *unit = k->unit ? k->unit : "";
	struct tv_contract_kpi_chart v = {
		.width = width < 200 ? 200 : width > 4000 ? 4000 : width,
		.height = height < 120 ? 120 : height > 4000 ? 4000 : height,
		.unit = unit,
	};
	v.title = want[0] ?
	    arena_printf(a, _("%s (%s), area %s"), k->name ? k->name : "", unit, want) :
	    arena_printf(a, _("%s (%s), all areas"), k->name ? k->name : "", unit);
	const char *lines[2];
	int nl = wrap_title(a, v.title, 13, (int)v.width - 16, lines);
	struct tv_contract_kpi_chart_title_lines *tl = arena_alloc(a, 2 * sizeof *tl);
	for (int i = 0; i < nl; i++)
		tl[i] = (struct tv_contract_kpi_chart_title_lines){.y = 18 + 16 * i, .text = lines[i]};
	v.title_lines = tl;
	v.n_title_lines = nl;
	int title_bottom = 18 + 16 * (nl - 1);

	/* The measurements of this KPI and area, in period order; at most
	 * the last SVG_MAX_POINTS. */
	const struct measurement **pts =
	    arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof *pts);
	int np = 0;
	for (int i = 0; i < n; i++) {
		const char *ma = m[i].area ? m[i].area : "";
		if (m[i].kpi_id == k->id && strcmp(ma, want) == 0)
			pts[np++] = &m[i];
	}
	if (np > 1)
		qsort(pts, (size_t)np, sizeof *pts, cmp_period);
	if (np > SVG_MAX_POINTS) {
		pts += np - SVG_MAX_POINTS;
		np = SVG_MAX_POINTS;
	}

	/* Vertically: the title, the legend, the plot, the periods and the
	 * x axis' title. */
	v.legend_y = title_bottom + 20;
	v.legend_line_y = v.legend_y - 4;
	v.top = v.legend_y + 14;
	v.bottom = (int)v.height - 40;
	if (v.bottom - v.top < 40)
		v.bottom = v.top + 40;
	v.xtick_y = v.bottom + 5;
	v.xlabel_y = v.bottom + 18;
	v.xtitle_y = v.bottom + 34;
	v.empty = np == 0;
	if (v.empty) {
		v.left = 16;
		v.right = (int)v.width - 16;
		v.mid_x = (v.left + v.right) / 2;
		v.mid_y = (v.top + v.bottom) / 2;
		return tmpl_contract_kpi_chart_html(a, &v);
	}

	/* The value axis over the measurements and the target. */
	int64_t vmin = clamp_milli(pts[0]->value_milli), vmax = vmin;
	for (int i = 1; i < np; i++) {
		int64_t x = clamp_milli(pts[i]->value_milli);
		vmin = x < vmin ? x : vmin;
		vmax = x > vmax ? x : vmax;
	}
	if (k->has_target) {
		int64_t tv = clamp_milli(k->target_milli);
		vmin = tv < vmin ? tv : vmin;
		vmax = tv > vmax ? tv : vmax;
	}
	if (vmin == vmax) {
		/* One value: an axis one unit around it. */
		vmin -= 1000;
		vmax += 1000;
	}
	/* Room above the highest point for its value. */
	vmax += (vmax - vmin) / 8;
	int plot_h = (int)(v.bottom - v.top);
	int max_ticks = plot_h / 28 + 1;
	struct svg_axis ax;
	svg_axis_ticks(vmin, vmax, max_ticks, 1, &ax);
	int dec = milli_decimals(ax.step);
	struct tv_contract_kpi_chart_yticks *yt = arena_alloc(a, (size_t)ax.n * sizeof *yt);
	int label_w = 0;
	for (int i = 0; i < ax.n; i++) {
		int64_t tv = ax.lo + (int64_t)i * ax.step;
		yt[i].label = milli_text(a, tv, dec);
		int w = svg_text_width(yt[i].label, 12, 0);
		label_w = w > label_w ? w : label_w;
	}
	v.yticks = yt;
	v.n_yticks = ax.n;

	/* Horizontally: the unit (turned along the axis), the tick labels,
	 * the plot, the target's label at its end. */
	int unit_w = unit[0] ? 20 : 0;
	v.unit_x = 14;
	v.left = 8 + unit_w + label_w + 10;
	int right_w = 16;
	if (k->has_target) {
		const char *tv = kpi_value_format(a, k->target_milli);
		const char *with_unit = unit[0] ? arena_printf(a, "%s %s", tv, unit) : tv;
		v.target_value = svg_text_width(with_unit, 12, 0) <= 72 ? with_unit : tv;
		int w = svg_text_width(v.target_value, 12, 0);
		int tw = svg_text_width(_("Target"), 12, 0);
		right_w = (w > tw ? w : tw) + 14;
	}
	v.right = (int)v.width - right_w;
	if (v.right - v.left < 60)
		v.right = v.left + 60;
	v.ytick_x = v.left - 7;
	v.tick_x = v.left - 4;
	v.mid_x = (v.left + v.right) / 2;
	v.mid_y = (v.top + v.bottom) / 2;
	int top = (int)v.top, bottom = (int)v.bottom, left = (int)v.left;
	for (int i = 0; i < ax.n; i++)
		yt[i].y = y_on(ax.lo + (int64_t)i * ax.step, &ax, top, bottom);
	if (k->has_target) {
		v.target = true;
		v.target_y = y_on(k->target_milli, &ax, top, bottom);
		v.target_label_x = v.right + 6;
		/* Its label (two lines) at the line's end, kept clear of the
		 * periods below the plot. */
		v.target_label_y = v.target_y - 2;
		if (v.target_label_y + 14 > bottom - 2)
			v.target_label_y = bottom - 16;
	}

	/* The legend: the measured line and, with a target, the dashed one. */
	struct tv_contract_kpi_chart_legend *lg = arena_alloc(a, 2 * sizeof *lg);
	int lx = 8;
	lg[0] = (struct tv_contract_kpi_chart_legend){
		.x1 = lx, .x2 = lx + 24, .text_x = lx + 30, .label = _("Measured")};
	v.n_legend = 1;
	if (k->has_target) {
		lx += 30 + svg_text_width(lg[0].label, 12, 0) + 18;
		lg[1] = (struct tv_contract_kpi_chart_legend){
			.x1 = lx, .x2 = lx + 24, .text_x = lx + 30, .label = _("Target"),
			.dashed = true};
		v.n_legend = 2;
	}
	v.legend = lg;

	/* Positions, the periods (thinned out when crowded), the line and
	 * one marked point per measurement, with its value where the points
	 * are far enough apart. */
	int plot_w = (int)v.right - left;
	int period_w = 0;
	for (int i = 0; i < np; i++) {
		int w = svg_text_width(pts[i]->period, 12, 0);
		period_w = w > period_w ? w : period_w;
	}
	int gap = np > 1 ? plot_w / (np - 1) : plot_w;
	int step = 1;
	while (step < np && gap * step < period_w + 10)
		step++;
	struct tv_contract_kpi_chart_xticks *xt = arena_alloc(a, (size_t)np * sizeof *xt);
	struct tv_contract_kpi_chart_dots *dots = arena_alloc(a, (size_t)np * sizeof *dots);
	sbuf points;
	sbuf_init(&points, a, (size_t)np * 48 + 16);
	int value_w = 0;
	const char **values = arena_alloc(a, (size_t)np * sizeof *values);
	for (int i = 0; i < np; i++) {
		values[i] = kpi_value_format(a, pts[i]->value_milli);
		int w = svg_text_width(values[i], 11, 0);
		value_w = w > value_w ? w : value_w;
	}
	bool show_values = np == 1 || gap >= value_w + 6;
	for (int i = 0; i < np; i++) {
		int x = np == 1 ? left + plot_w / 2 : left + (int)((int64_t)i * plot_w / (np - 1));
		int y = y_on(pts[i]->value_milli, &ax, top, bottom);
		/* Counted from the newest, which is read most: it is always
		 * labelled. */
		if ((np - 1 - i) % step == 0)
			xt[v.n_xticks++] = (struct tv_contract_kpi_chart_xticks){
				.x = x, .period = pts[i]->period};
		sbuf_printf(&points, "%s%d,%d", i ? " " : "", x, y);
		/* A value above its point (the axis has room for it), kept
		 * clear of the value axis and the target's label. */
		int half = svg_text_width(values[i], 11, 0) / 2;
		int vx = x < left + half + 4 ? left + half + 4 :
			 x > (int)v.right - half ? (int)v.right - half : x;
		/* Below the point where the target's line would cross it. */
		int vy = y - 8;
		if (v.target && vy + 3 >= v.target_y && vy - 10 <= v.target_y && y + 17 < bottom)
			vy = y + 17;
		dots[i] = (struct tv_contract_kpi_chart_dots){
			.x = x, .y = y,
			.tip = arena_printf(a, "%s: %s %s", pts[i]->period, values[i], unit),
			.show = show_values, .value_x = vx, .value_y = vy, .value = values[i]};
	}
	v.xticks = xt;
	v.dots = dots;
	v.n_dots = np;
	v.points = sbuf_str(&points);
	return tmpl_contract_kpi_chart_html(a, &v);
}

/* ---- the yearly budgets ---------------------------------------------------- */

/* "1.234.567": whole euros with Dutch thousands separators. */
static const char *euros_text(arena *a, uint64_t euros)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)euros);
	char out[40], *o = out;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = '.';
		*o++ = digits[i];
	}
	*o = 0;
	return arena_strdup(a, out);
}

#define CENTS_PER_MLN 100000000LL

/* An amount in millions with `dec` decimals (0..2) or in whole euros
 * (dec < 0, and zero: "€ 0"), rounded half away from zero. */
static const char *eur_scaled(arena *a, int64_t cents, int dec)
{
	uint64_t v = cents < 0 ? 0ULL - (uint64_t)cents : (uint64_t)cents;
	const char *sign = cents < 0 ? "-" : "";
	if (dec < 0 || v == 0)
		return arena_printf(a, "€ %s%s", sign, euros_text(a, (v + 50) / 100));
	uint64_t u = (uint64_t)CENTS_PER_MLN / (dec == 0 ? 1 : dec == 1 ? 10 : 100);
	uint64_t q = (v + u / 2) / u;
	uint64_t pow = dec == 0 ? 1 : dec == 1 ? 10 : 100;
	const char *num = dec == 0 ? euros_text(a, q) :
	    arena_printf(a, "%s,%0*llu", euros_text(a, q / pow), dec, (unsigned long long)(q % pow));
	return arena_printf(a, _("€ %s mln"), arena_printf(a, "%s%s", sign, num));
}

const char *svg_eur_short(arena *a, int64_t cents)
{
	uint64_t v = cents < 0 ? 0ULL - (uint64_t)cents : (uint64_t)cents;
	if (v < (uint64_t)CENTS_PER_MLN)
		return eur_scaled(a, cents, -1);
	/* One decimal, unless it is a zero. */
	uint64_t tenths = (v + CENTS_PER_MLN / 20) / (CENTS_PER_MLN / 10);
	return eur_scaled(a, cents, tenths % 10 ? 1 : 0);
}

html_t budget_bars_svg(arena *a, const struct indexed_year *y, int n)
{
	struct tv_contract_budget_chart v = {.title = _("Budget per year")};
	int64_t max = 0;
	for (int i = 0; i < n; i++)
		max = y[i].budget_cents > max ? y[i].budget_cents : max;

	/* The value axis from zero, in whole euros at least; labels in
	 * millions (with the decimals the step needs) from one million on. */
	v.top = 56;
	v.bottom = 216;
	struct svg_axis ax;
	svg_axis_ticks(0, max > 0 ? max : 100, 6, 100, &ax);
	int dec = ax.hi < CENTS_PER_MLN ? -1 : ax.step % CENTS_PER_MLN == 0 ? 0 :
	    ax.step % (CENTS_PER_MLN / 10) == 0 ? 1 : 2;
	struct tv_contract_budget_chart_yticks *yt = arena_alloc(a, (size_t)ax.n * sizeof *yt);
	int label_w = 0;
	for (int i = 0; i < ax.n; i++) {
		yt[i].label = eur_scaled(a, ax.lo + (int64_t)i * ax.step, dec);
		yt[i].y = y_on(ax.lo + (int64_t)i * ax.step, &ax, (int)v.top, (int)v.bottom);
		int w = svg_text_width(yt[i].label, 12, 0);
		label_w = w > label_w ? w : label_w;
	}
	v.yticks = yt;
	v.n_yticks = ax.n;
	v.left = 8 + label_w + 10;
	v.ytick_x = v.left - 7;
	v.tick_x = v.left - 4;

	/* One slot per year, wide enough for its amount above the bar. */
	const char **amounts = arena_alloc(a, (size_t)n * sizeof *amounts);
	int amount_w = 0;
	for (int i = 0; i < n; i++) {
		amounts[i] = svg_eur_short(a, y[i].budget_cents);
		int w = svg_text_width(amounts[i], 11, 0);
		amount_w = w > amount_w ? w : amount_w;
	}
	int slot = amount_w + 12 > 56 ? amount_w + 12 : 56;
	int bw = slot * 2 / 3;
	int plot_w = slot * n;
	v.width = v.left + plot_w + 16;
	if (v.width < 360)
		v.width = 360;
	v.right = v.width - 16;
	v.height = 260;
	v.xtick_y = v.bottom + 5;
	v.xlabel_y = v.bottom + 18;
	v.xtitle_y = v.bottom + 36;
	v.mid_x = (v.left + v.right) / 2;
	v.mid_y = (v.top + v.bottom) / 2;
	v.title_y = 18;

	/* The bars: before indexation (the previous year's budget with its
	 * correction, or the base) and this year's indexation on top. */
	struct tv_contract_budget_chart_bars *bars = arena_alloc(a, (size_t)n * sizeof *bars);
	bool any_index = false;
	int x0 = (int)v.left + ((int)v.right - (int)v.left - plot_w) / 2;
	for (int i = 0; i < n; i++) {
		int64_t total = y[i].budget_cents > 0 ? y[i].budget_cents : 0;
		int64_t idx = y[i].indexation_cents;
		int64_t before = total - idx;
		bool split = idx > 0 && before > 0;
		int ytop = y_on(total, &ax, (int)v.top, (int)v.bottom);
		int ymid = split ? y_on(before, &ax, (int)v.top, (int)v.bottom) : ytop;
		int cx = x0 + i * slot + slot / 2;
		char full[48];
		bars[i] = (struct tv_contract_budget_chart_bars){
			.x = cx - bw / 2, .w = bw, .label_x = cx, .year = y[i].year,
			.base_y = ymid, .base_h = (int)v.bottom - ymid,
			.index = split, .index_y = ytop, .index_h = ymid - ytop,
			.amount = amounts[i], .amount_y = ytop - 6,
			.tip = split ? arena_printf(a, _("%d: %s, of which indexation %s"), y[i].year,
						    eur_format(y[i].budget_cents, full),
						    svg_eur_short(a, idx)) :
				       arena_printf(a, "%d: %s", y[i].year,
						    eur_format(y[i].budget_cents, full))};
		any_index |= split;
	}
	v.bars = bars;
	v.n_bars = n;

	/* The legend, right of the title's line. */
	v.legend_y = 40;
	v.legend_box_y = v.legend_y - 10;
	struct tv_contract_budget_chart_legend *lg = arena_alloc(a, 2 * sizeof *lg);
	int lx = 8;
	lg[0] = (struct tv_contract_budget_chart_legend){
		.x = lx, .text_x = lx + 18,
		.label = any_index ? _("Budget before indexation") : _("Budget")};
	v.n_legend = 1;
	if (any_index) {
		lx += 18 + svg_text_width(lg[0].label, 12, 0) + 18;
		lg[1] = (struct tv_contract_budget_chart_legend){
			.x = lx, .text_x = lx + 18, .label = _("Indexation"), .index = true};
		v.n_legend = 2;
	}
	v.legend = lg;
	return tmpl_contract_budget_chart_html(a, &v);
}
