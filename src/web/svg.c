/*
 * svg.c - the KPI trend chart as SVG: one line per area through the
 * measurements in period order, the target as a dashed line.  Written
 * through html_f/html_text like every other byte of markup (html.h), so
 * every text in it is escaped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/steering.h"
#include "html.h"
#include "view.h"

#define MAX_MILLI 1000000000000000LL     /* as core/kpi.c */
#define SVG_MAX_POINTS 1000
#define SVG_MAX_BYTES (4u << 20)


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

char *kpi_trend_svg(arena *a, const struct kpi *k,
		    const struct measurement *m, int n, const char *area,
		    int width, int height)
{
	const char *want = area ? area : "";
	int w = width < 200 ? 200 : width > 4000 ? 4000 : width;
	int h = height < 120 ? 120 : height > 4000 ? 4000 : height;
	int left = 72, right = w - 16, top = 28, bottom = h - 40;
	const char *unit = k->unit ? k->unit : "";

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

	sbuf b;
	sbuf_init(&b, a, SVG_MAX_BYTES);
	html_f(&b,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		    "role=\"img\" font-family=\"sans-serif\" "
		    "font-size=\"12\">\n<title>", w, h, w, h);
	char *t = want[0] ?
	    arena_printf(a, _("%s (%s), area %s"), k->name ? k->name : "",
			 unit, want) :
	    arena_printf(a, _("%s (%s), all areas"), k->name ? k->name : "",
			 unit);
	html_text(&b, t);
	sbuf_puts(&b, "</title>\n");
	html_f(&b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
			"fill=\"#ffffff\"/>\n", w, h);
	html_f(&b, "<text x=\"%d\" y=\"18\" font-weight=\"bold\">", left);
	html_text(&b, t);
	sbuf_puts(&b, "</text>\n");
	html_f(&b,
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#333333\"/>\n"
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#333333\"/>\n",
		    left, top, left, bottom, left, bottom, right, bottom);

	if (np == 0) {
		html_f(&b, "<text x=\"%d\" y=\"%d\" "
				"text-anchor=\"middle\">",
			    (left + right) / 2, (top + bottom) / 2);
		html_text(&b, _("No measurements yet."));
		sbuf_puts(&b, "</text>\n</svg>\n");
		return (char *)sbuf_str(&b);
	}

	int64_t vmin = clamp_milli(pts[0]->value_milli), vmax = vmin;
	for (int i = 1; i < np; i++) {
		int64_t v = clamp_milli(pts[i]->value_milli);
		vmin = v < vmin ? v : vmin;
		vmax = v > vmax ? v : vmax;
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
	html_f(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 6, bottom + 4);
	html_text(&b, kpi_value_format(a, vmin));
	html_f(&b, "</text>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">", left - 6, top + 4);
	html_text(&b, kpi_value_format(a, vmax));
	html_f(&b, "</text>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">", left - 6, (top + bottom) / 2);
	html_text(&b, unit);
	sbuf_puts(&b, "</text>\n");

	/* The target as a dashed line. */
	if (k->has_target) {
		int64_t ty = y_of(k->target_milli, vmin, vmax, top, bottom);
		html_f(&b,
			    "<line x1=\"%d\" y1=\"%lld\" x2=\"%d\" "
			    "y2=\"%lld\" stroke=\"#b03a2e\" "
			    "stroke-dasharray=\"6 4\"/>\n"
			    "<text x=\"%d\" y=\"%lld\" text-anchor=\"end\" "
			    "fill=\"#b03a2e\">",
			    left, (long long)ty, right, (long long)ty, right,
			    (long long)ty - 4);
		html_text(&b, arena_printf(a, _("Target: %s %s"),
					  kpi_value_format(a, k->target_milli),
					  unit));
		sbuf_puts(&b, "</text>\n");
	}

	/* Positions, period labels (thinned out when crowded), the line
	 * and one marked point per measurement. */
	int64_t *xs = arena_alloc(a, (size_t)np * sizeof *xs);
	int64_t *ys = arena_alloc(a, (size_t)np * sizeof *ys);
	int plot_w = right - left;
	int max_labels = plot_w / 56 > 0 ? plot_w / 56 : 1;
	int step = (np + max_labels - 1) / max_labels;
	for (int i = 0; i < np; i++) {
		xs[i] = np == 1 ? left + plot_w / 2 :
		    left + (int64_t)i * plot_w / (np - 1);
		ys[i] = y_of(pts[i]->value_milli, vmin, vmax, top, bottom);
		if (i % step == 0) {
			html_f(&b, "<text x=\"%lld\" y=\"%d\" "
					"text-anchor=\"middle\">",
				    (long long)xs[i], bottom + 16);
			html_text(&b, pts[i]->period);
			sbuf_puts(&b, "</text>\n");
		}
	}
	sbuf_puts(&b, "<polyline fill=\"none\" stroke=\"#1f5f8b\" "
		      "stroke-width=\"2\" points=\"");
	for (int i = 0; i < np; i++)
		html_f(&b, "%s%lld,%lld", i ? " " : "", (long long)xs[i],
			    (long long)ys[i]);
	sbuf_puts(&b, "\"/>\n");
	for (int i = 0; i < np; i++) {
		html_f(&b, "<circle cx=\"%lld\" cy=\"%lld\" r=\"3\" "
				"fill=\"#1f5f8b\"><title>",
			    (long long)xs[i], (long long)ys[i]);
		html_text(&b, pts[i]->period);
		sbuf_puts(&b, ": ");
		html_text(&b, kpi_value_format(a, pts[i]->value_milli));
		sbuf_puts(&b, " ");
		html_text(&b, unit);
		sbuf_puts(&b, "</title></circle>\n");
	}
	sbuf_puts(&b, "</svg>\n");
	return (char *)sbuf_str(&b);
}
