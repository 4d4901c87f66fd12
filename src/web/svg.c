/*
 * svg.c - the KPI trend chart as SVG: one line per area through the
 * measurements in period order, the target as a dashed line.  This file
 * only computes the geometry; the markup is the template
 * tmpl/contract_kpi_chart.tmpl, which escapes every text in it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/steering.h"
#include "templates.h"
#include "view.h"

#define MAX_MILLI 1000000000000000LL     /* as core/kpi.c */
#define SVG_MAX_POINTS 1000

static int cmp_period(const void *x, const void *y)
{
	const struct measurement *const *a = x, *const *b = y;
	return strcmp((*a)->period, (*b)->period);
}

static int64_t clamp_milli(int64_t v)
{
	return v > MAX_MILLI ? MAX_MILLI : v < -MAX_MILLI ? -MAX_MILLI : v;
}

/* The pixel row of value v: bottom at vmin, top at vmax. */
static int64_t y_of(int64_t v, int64_t vmin, int64_t vmax, int top,
		    int bottom)
{
	uint64_t span = (uint64_t)(vmax - vmin);
	uint64_t off = (uint64_t)(clamp_milli(v) - vmin);
	uint64_t h = (uint64_t)(bottom - top);
	return bottom - (int64_t)((off * h + span / 2) / span);
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
		.left = 72, .top = 28, .unit = unit,
	};
	v.right = (int)v.width - 16;
	v.bottom = (int)v.height - 40;
	v.mid_x = (v.left + v.right) / 2;
	v.mid_y = (v.top + v.bottom) / 2;
	v.title = want[0] ?
	    arena_printf(a, _("%s (%s), area %s"), k->name ? k->name : "", unit, want) :
	    arena_printf(a, _("%s (%s), all areas"), k->name ? k->name : "", unit);

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
	v.empty = np == 0;
	if (v.empty)
		return tmpl_contract_kpi_chart_html(a, &v);

	int top = (int)v.top, bottom = (int)v.bottom, left = (int)v.left;
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
		vmin -= 1000;
		vmax += 1000;
	}

	/* The value axis: its lowest and highest value, and the unit. */
	v.axis_x = left - 6;
	v.min_y = bottom + 4;
	v.min_value = kpi_value_format(a, vmin);
	v.max_y = top + 4;
	v.max_value = kpi_value_format(a, vmax);
	if (k->has_target) {
		v.target = true;
		v.target_y = y_of(k->target_milli, vmin, vmax, top, bottom);
		v.target_label_y = v.target_y - 4;
		v.target_value = kpi_value_format(a, k->target_milli);
	}

	/* Positions, period labels (thinned out when crowded), the line
	 * and one marked point per measurement. */
	struct tv_contract_kpi_chart_labels *labels = arena_alloc(a, (size_t)np * sizeof *labels);
	struct tv_contract_kpi_chart_dots *dots = arena_alloc(a, (size_t)np * sizeof *dots);
	int plot_w = (int)v.right - left;
	int max_labels = plot_w / 56 > 0 ? plot_w / 56 : 1;
	int step = (np + max_labels - 1) / max_labels;
	sbuf points;
	sbuf_init(&points, a, (size_t)np * 48 + 16);
	v.label_y = bottom + 16;
	for (int i = 0; i < np; i++) {
		int64_t x = np == 1 ? left + plot_w / 2 : left + (int64_t)i * plot_w / (np - 1);
		int64_t y = y_of(pts[i]->value_milli, vmin, vmax, top, bottom);
		if (i % step == 0)
			labels[v.n_labels++] = (struct tv_contract_kpi_chart_labels){
				.x = x, .period = pts[i]->period};
		sbuf_printf(&points, "%s%lld,%lld", i ? " " : "", (long long)x, (long long)y);
		dots[i] = (struct tv_contract_kpi_chart_dots){
			.x = x, .y = y,
			.tip = arena_printf(a, "%s: %s %s", pts[i]->period,
					    kpi_value_format(a, pts[i]->value_milli), unit)};
	}
	v.labels = labels;
	v.dots = dots;
	v.n_dots = np;
	v.points = sbuf_str(&points);
	return tmpl_contract_kpi_chart_html(a, &v);
}
