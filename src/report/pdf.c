/*
 * pdf.c - the council's progress report (raadsinformatiebrief) as an A4
 * PDF, drawn with cairo and laid out with pango: a title block with the
 * municipality, the report's title and date, an introduction, then the
 * procedures, contracts, KPIs, budget frames and risks as tables whose
 * cells wrap, with a running header and page numbers.  A block that does
 * not fit on the page starts a new one; a table repeats its header row
 * there.  Headings and column labels are gettext msgids (English), so the
 * report comes out in the calling thread's language.
 *
 * The PDF is streamed into a capped sbuf in the caller's arena; every
 * cairo and pango object is released before returning.
 */
#include "report/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "core/validate.h"
#include "pdfdoc.h"

#define PDF_MAX_BYTES ((size_t)32 << 20)
#define MAX_ROWS 100000          /* per section: far above any council */

/* The page is pdfdoc.h's A4; the council report's tables take a
 * slightly narrower margin. */
#define REPORT_MARGIN_X 50.0
#define REPORT_CONTENT_W (PAGE_W - 2 * REPORT_MARGIN_X)
#define CELL_PAD_X 3.0
#define CELL_PAD_Y 2.5
/* No cell grows taller than this (it is cut with an ellipsis), so every
 * row fits on an empty page under the table's header row. */
#define CELL_MAX_H (BODY_BOTTOM - BODY_TOP - 60.0)
#define MAX_COLS 8
#define MAX_PENDING 4

struct doc {
	arena *a;
	const struct council_report *r;
	sbuf *out;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *f_body, *f_cell, *f_cell_bold, *f_small,
	    *f_title, *f_subtitle, *f_h1, *f_h2;
	double y;        /* where the next block starts */
	int page;        /* 1-based; 0 before the first */
	const char *running;   /* the running header's left text */
	const char *date;
	PangoLayout *pending[MAX_PENDING];   /* headings not yet drawn */
	int n_pending;
};

static void flush_headings(struct doc *d, double next_h);

struct col {
	const char *label;
	double width;
	PangoAlignment align;
};

/* "€ 1.234,56" with a no-break space, so the sign stays with the
 * figure when a narrow cell wraps. */
static const char *money(arena *a, int64_t cents)
{
	char eur[32];
	eur_format(cents, eur);   /* "€ " + figure */
	return arena_printf(a, "\xe2\x82\xac\xc2\xa0%s", eur + 4);
}

/* The text, or a dash when it is empty. */
static const char *or_dash(arena *a, const char *s)
{
	s = pdf_clean(a, s);
	return *s ? s : "\xe2\x80\x93";
}

static bool failed(const struct doc *d)
{
	return d->out->overflow || cairo_status(d->cr) != CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(struct doc *d, const char *text,
			   const PangoFontDescription *font, double width,
			   PangoAlignment align, double max_h)
{
	PangoLayout *l = pango_layout_new(d->pc);
	pango_layout_set_font_description(l, font);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	if (max_h > 0) {
		pango_layout_set_height(l, (int)(max_h * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

static void draw(struct doc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

static void set_grey(struct doc *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

static void rule(struct doc *d, double x0, double x1, double y, double w,
		 double grey)
{
	set_grey(d, grey);
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

/* Ends the current page (if any) and starts the next with its running
 * header (from page 2 on) and page number. */
static void new_page(struct doc *d)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page++;

	if (d->page > 1) {
		PangoLayout *l = layout(d, d->running, d->f_small,
					REPORT_CONTENT_W * 0.75, PANGO_ALIGN_LEFT, 0);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		set_grey(d, 0.35);
		draw(d, l, REPORT_MARGIN_X, 30);
		g_object_unref(l);
		l = layout(d, d->date, d->f_small, REPORT_CONTENT_W * 0.25,
			   PANGO_ALIGN_RIGHT, 0);
		draw(d, l, REPORT_MARGIN_X + REPORT_CONTENT_W * 0.75, 30);
		g_object_unref(l);
		rule(d, REPORT_MARGIN_X, PAGE_W - REPORT_MARGIN_X, 44, 0.5, 0.6);
	}

	char *num = arena_printf(d->a, _("Page %d"), d->page);
	PangoLayout *l = layout(d, num, d->f_small, REPORT_CONTENT_W,
				PANGO_ALIGN_RIGHT, 0);
	set_grey(d, 0.35);
	draw(d, l, REPORT_MARGIN_X, PAGE_H - 40);
	g_object_unref(l);

	set_grey(d, 0.0);
	d->y = BODY_TOP;
}

/* Starts a new page unless h more points fit on this one (or the page is
 * still empty, so that an oversized block cannot loop). */
static void ensure(struct doc *d, double h)
{
	if (d->y + h > BODY_BOTTOM && d->y > BODY_TOP + 0.5)
		new_page(d);
}

/* Flowing text, broken across pages between lines. */
static void paragraph(struct doc *d, const char *text,
		      const PangoFontDescription *font, double indent,
		      double after)
{
	PangoLayout *l = layout(d, text, font, REPORT_CONTENT_W - indent,
				PANGO_ALIGN_LEFT, 0);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0;   /* layout y shown at d->y on this page */
	bool first = true;
	set_grey(d, 0.0);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE;
		double lh = (double)r.height / PANGO_SCALE;
		if (first)
			flush_headings(d, lh);
		first = false;
		if (d->y + (ly - top) + lh > BODY_BOTTOM &&
		    d->y + (ly - top) > BODY_TOP + 0.5) {
			new_page(d);
			top = ly;
		}
		double base = (double)pango_layout_iter_get_baseline(it) /
			      PANGO_SCALE;
		cairo_move_to(d->cr,
			      REPORT_MARGIN_X + indent + (double)r.x / PANGO_SCALE,
			      d->y + base - top);
		pango_cairo_show_layout_line(
		    d->cr, pango_layout_iter_get_line_readonly(it));
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	d->y += pdf_layout_h(l) - top + after;
	g_object_unref(l);
}

/* A heading waits until the block after it is known, so that it never
 * stands alone at the foot of a page: the next block calls
 * flush_headings() with the height it needs to start. */
static void heading(struct doc *d, const char *text,
		    const PangoFontDescription *font)
{
	if (d->n_pending == MAX_PENDING)
		flush_headings(d, 0);
	d->pending[d->n_pending++] =
	    layout(d, text, font, REPORT_CONTENT_W, PANGO_ALIGN_LEFT, 0);
}

static void flush_headings(struct doc *d, double next_h)
{
	if (!d->n_pending)
		return;
	double h = 0;
	for (int i = 0; i < d->n_pending; i++)
		h += 8 + pdf_layout_h(d->pending[i]) + 4;
	ensure(d, h + next_h);
	for (int i = 0; i < d->n_pending; i++) {
		d->y += 8;
		cairo_set_source_rgb(d->cr, 0.10, 0.22, 0.38);
		draw(d, d->pending[i], REPORT_MARGIN_X, d->y);
		d->y += pdf_layout_h(d->pending[i]) + 4;
		g_object_unref(d->pending[i]);
	}
	d->n_pending = 0;
	set_grey(d, 0.0);
}

static void none(struct doc *d)
{
	paragraph(d, _("None."), d->f_body, 0, 6);
}

/* One row of cells: its layouts into ls[], its height returned. */
static double row_layouts(struct doc *d, const struct col *cols, int nc,
			  const char *const *cells,
			  const PangoFontDescription *font, PangoLayout **ls)
{
	double h = 0;
	for (int c = 0; c < nc; c++) {
		ls[c] = layout(d, cells[c], font, cols[c].width - 2 * CELL_PAD_X,
			       cols[c].align, CELL_MAX_H);
		double ch = pdf_layout_h(ls[c]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD_Y;
}

static void row_draw(struct doc *d, const struct col *cols, int nc,
		     PangoLayout **ls, double x0, double h, double fill)
{
	double w = 0;
	for (int c = 0; c < nc; c++)
		w += cols[c].width;
	if (fill < 1.0) {
		set_grey(d, fill);
		cairo_rectangle(d->cr, x0, d->y, w, h);
		cairo_fill(d->cr);
	}
	set_grey(d, 0.0);
	double x = x0;
	for (int c = 0; c < nc; c++) {
		draw(d, ls[c], x + CELL_PAD_X, d->y + CELL_PAD_Y);
		g_object_unref(ls[c]);
		x += cols[c].width;
	}
	rule(d, x0, x0 + w, d->y + h, 0.4, 0.75);
	set_grey(d, 0.0);
	d->y += h;
}

static void header_row(struct doc *d, const struct col *cols, int nc,
		       double x0)
{
	const char *labels[MAX_COLS];
	PangoLayout *ls[MAX_COLS];
	for (int c = 0; c < nc; c++)
		labels[c] = cols[c].label;
	double h = row_layouts(d, cols, nc, labels, d->f_cell_bold, ls);
	row_draw(d, cols, nc, ls, x0, h, 0.88);
}

/* A table of nr rows of nc cells (row-major); the header row comes again
 * on every page the table continues on. */
static void table(struct doc *d, const struct col *cols, int nc,
		  const char *const *cells, int nr, double x0)
{
	PangoLayout *ls[MAX_COLS];
	for (int i = 0; i < nr && !failed(d); i++) {
		double h = row_layouts(d, cols, nc, cells + (size_t)i * nc,
				       d->f_cell, ls);
		if (i == 0) {
			/* The header row stays with the first row. */
			const char *labels[MAX_COLS];
			PangoLayout *hl[MAX_COLS];
			for (int c = 0; c < nc; c++)
				labels[c] = cols[c].label;
			double hh = row_layouts(d, cols, nc, labels,
						d->f_cell_bold, hl);
			for (int c = 0; c < nc; c++)
				g_object_unref(hl[c]);
			flush_headings(d, hh + h);
			header_row(d, cols, nc, x0);
		} else if (d->y + h > BODY_BOTTOM) {
			new_page(d);
			header_row(d, cols, nc, x0);
		}
		row_draw(d, cols, nc, ls, x0, h, i % 2 ? 0.965 : 1.0);
	}
	d->y += 6;
}

/* --- sections -------------------------------------------------------- */

static void section_procedures(struct doc *d)
{
	const struct council_report *r = d->r;
	heading(d, _("Procedures"), d->f_h1);
	if (r->n_procedures == 0) {
		none(d);
		return;
	}
	const struct col cols[] = {
		{_("Reference"), 82, PANGO_ALIGN_LEFT},
		{_("Title"), 118, PANGO_ALIGN_LEFT},
		{_("Now"), 80, PANGO_ALIGN_LEFT},
		{_("Next"), 90, PANGO_ALIGN_LEFT},
		{_("Days left"), 42, PANGO_ALIGN_RIGHT},
		{_("Attention"), 83, PANGO_ALIGN_LEFT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(d->a, sizeof *cells * NC * (size_t)r->n_procedures);
	for (int i = 0; i < r->n_procedures; i++) {
		const struct report_procedure *p = &r->procedures[i];
		const char **c = cells + (size_t)i * NC;
		const char *title = pdf_clean(d->a, p->title);
		const char *type = pdf_clean(d->a, p->type_label);
		c[0] = or_dash(d->a, p->reference);
		c[1] = *type ? arena_printf(d->a, "%s\n%s", title, type)
			     : or_dash(d->a, title);
		c[2] = or_dash(d->a, p->current_stage);
		const char *next = pdf_clean(d->a, p->next_stage);
		const char *when = pdf_clean(d->a, p->next_when);
		c[3] = *next && *when ? arena_printf(d->a, "%s\n%s", next, when)
				      : or_dash(d->a, *next ? next : when);
		c[4] = p->days_left >= 0
			   ? arena_printf(d->a, "%lld", (long long)p->days_left)
			   : "\xe2\x80\x93";
		const char *att = "";
		for (int k = 0; k < p->n_attention; k++)
			att = k ? arena_printf(d->a, "%s\n%s", att, pdf_clean(d->a, p->attention[k].text))
				: pdf_clean(d->a, p->attention[k].text);
		c[5] = or_dash(d->a, att);
	}
	table(d, cols, NC, cells, r->n_procedures, REPORT_MARGIN_X);
}

static void section_contracts(struct doc *d)
{
	const struct council_report *r = d->r;
	heading(d, _("Contracts"), d->f_h1);
	if (r->n_contracts == 0) {
		none(d);
		return;
	}
	int year = r->contracts[0].year;
	const struct col cols[] = {
		{_("Reference"), 78, PANGO_ALIGN_LEFT},
		{_("Title"), 78, PANGO_ALIGN_LEFT},
		{_("Lead party"), 70, PANGO_ALIGN_LEFT},
		{_("Status"), 46, PANGO_ALIGN_LEFT},
		{_("Term"), 70, PANGO_ALIGN_LEFT},
		{arena_printf(d->a, _("Budget %d"), year), 82,
		 PANGO_ALIGN_RIGHT},
		{_("Next evaluation"), 71, PANGO_ALIGN_LEFT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(d->a, sizeof *cells * NC * (size_t)r->n_contracts);
	for (int i = 0; i < r->n_contracts; i++) {
		const struct report_contract *k = &r->contracts[i];
		const char **c = cells + (size_t)i * NC;
		c[0] = or_dash(d->a, k->reference);
		c[1] = or_dash(d->a, k->title);
		c[2] = or_dash(d->a, k->penvoerder);
		c[3] = or_dash(d->a, k->status_label);
		c[4] = or_dash(d->a, k->term);
		if (k->budget_cents < 0)
			c[5] = "\xe2\x80\x93";
		else if (k->year == year)
			c[5] = money(d->a, k->budget_cents);
		else
			c[5] = arena_printf(d->a, "%d: %s", k->year,
					    money(d->a, k->budget_cents));
		c[6] = or_dash(d->a, k->next_evaluation);
	}
	table(d, cols, NC, cells, r->n_contracts, REPORT_MARGIN_X);
}

/* "12,5 %" or "40 inwoners": a value with its unit. */
static const char *with_unit(arena *a, const char *value, const char *unit)
{
	value = pdf_clean(a, value);
	unit = pdf_clean(a, unit);
	if (!*value)
		return "\xe2\x80\x93";
	return *unit ? arena_printf(a, "%s %s", value, unit) : value;
}

static void section_kpis(struct doc *d)
{
	const struct council_report *r = d->r;
	heading(d, _("KPIs"), d->f_h1);
	if (r->n_kpis == 0) {
		none(d);
		return;
	}
	const struct col cols[] = {
		{_("Contract"), 80, PANGO_ALIGN_LEFT},
		{_("KPI"), 150, PANGO_ALIGN_LEFT},
		{_("Period"), 55, PANGO_ALIGN_LEFT},
		{_("Value"), 75, PANGO_ALIGN_RIGHT},
		{_("Target"), 75, PANGO_ALIGN_RIGHT},
		{_("On target"), 60, PANGO_ALIGN_CENTER},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(d->a, sizeof *cells * NC * (size_t)r->n_kpis);
	for (int i = 0; i < r->n_kpis; i++) {
		const struct report_kpi *k = &r->kpis[i];
		const char **c = cells + (size_t)i * NC;
		c[0] = or_dash(d->a, k->contract_reference);
		c[1] = or_dash(d->a, k->name);
		c[2] = or_dash(d->a, k->period);
		c[3] = with_unit(d->a, k->value, k->unit);
		c[4] = with_unit(d->a, k->target, k->unit);
		c[5] = k->on_target > 0    ? "\xe2\x9c\x93"   /* ✓ */
		       : k->on_target == 0 ? "\xe2\x9c\x97"   /* ✗ */
					   : "\xe2\x80\x93";  /* – */
	}
	table(d, cols, NC, cells, r->n_kpis, REPORT_MARGIN_X);
}

static void section_frames(struct doc *d)
{
	const struct council_report *r = d->r;
	heading(d, _("Budget frames"), d->f_h1);
	if (r->n_frames == 0) {
		none(d);
		return;
	}
	const struct col cols[] = {
		{_("Year"), 60, PANGO_ALIGN_LEFT},
		{_("Total"), 120, PANGO_ALIGN_RIGHT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	for (int i = 0; i < r->n_frames && !failed(d); i++) {
		const struct report_frame *f = &r->frames[i];
		heading(d, or_dash(d->a, f->title), d->f_h2);
		const char **cells =
		    arena_alloc(d->a, sizeof *cells * NC * FRAME_MAX_YEARS);
		for (int y = 0; y < f->n_years; y++) {
			cells[y * NC] =
			    arena_printf(d->a, "%d", f->first_year + y);
			cells[y * NC + 1] = money(d->a, f->totals[y]);
		}
		if (f->n_years == 0)
			none(d);
		else
			table(d, cols, NC, cells, f->n_years, REPORT_MARGIN_X);
		for (int w = 0; w < f->n_warnings; w++)
			paragraph(d,
				  arena_printf(d->a, "\xe2\x80\xa2 %s",
					       pdf_clean(d->a, f->warnings[w])),
				  d->f_body, 8, 3);
	}
}

static const char *risk_level_text(enum risk_level l)
{
	switch (l) {
	case RISK_LOW: return _("Low");
	case RISK_MEDIUM: return _("Medium");
	case RISK_HIGH: return _("High");
	}
	return "\xe2\x80\x93";
}

static void section_risks(struct doc *d)
{
	const struct council_report *r = d->r;
	heading(d, _("Risks"), d->f_h1);
	if (r->n_risks == 0) {
		none(d);
		return;
	}
	const struct col cols[] = {
		{_("Title"), 90, PANGO_ALIGN_LEFT},
		{_("Level"), 50, PANGO_ALIGN_LEFT},
		{_("Description"), 140, PANGO_ALIGN_LEFT},
		{_("Mitigation"), 130, PANGO_ALIGN_LEFT},
		{_("Status"), 85, PANGO_ALIGN_LEFT},
	};
	enum { NC = sizeof cols / sizeof cols[0] };
	const char **cells =
	    arena_alloc(d->a, sizeof *cells * NC * (size_t)r->n_risks);
	for (int i = 0; i < r->n_risks; i++) {
		const struct risk *k = &r->risks[i];
		const char **c = cells + (size_t)i * NC;
		c[0] = or_dash(d->a, k->title);
		c[1] = risk_level_text(k->level);
		c[2] = or_dash(d->a, k->description);
		c[3] = or_dash(d->a, k->mitigation);
		c[4] = or_dash(d->a, k->status);
	}
	table(d, cols, NC, cells, r->n_risks, REPORT_MARGIN_X);
}

/* The first page's title block and the introduction. */
static void title_block(struct doc *d)
{
	const struct council_report *r = d->r;
	PangoLayout *l = layout(d, pdf_clean(d->a, r->municipality), d->f_title,
				REPORT_CONTENT_W, PANGO_ALIGN_LEFT, 0);
	d->y = 50;
	draw(d, l, REPORT_MARGIN_X, d->y);
	d->y += pdf_layout_h(l) + 2;
	g_object_unref(l);
	l = layout(d, pdf_clean(d->a, r->title), d->f_subtitle, REPORT_CONTENT_W,
		   PANGO_ALIGN_LEFT, 0);
	draw(d, l, REPORT_MARGIN_X, d->y);
	d->y += pdf_layout_h(l) + 2;
	g_object_unref(l);
	set_grey(d, 0.35);
	l = layout(d, d->date, d->f_body, REPORT_CONTENT_W, PANGO_ALIGN_LEFT, 0);
	draw(d, l, REPORT_MARGIN_X, d->y);
	d->y += pdf_layout_h(l) + 6;
	g_object_unref(l);
	rule(d, REPORT_MARGIN_X, PAGE_W - REPORT_MARGIN_X, d->y, 0.8, 0.4);
	d->y += 10;
	set_grey(d, 0.0);
	const char *intro = pdf_clean(d->a, r->intro);
	if (*intro)
		paragraph(d, intro, d->f_body, 0, 8);
}

/* Refuses counts and arrays that do not match. */
static enum kv_status check_report(const struct council_report *r,
				   struct kv_error *e)
{
	struct {
		const char *field, *label;
		int n;
		const void *p;
	} parts[] = {
	    {"procedures", _("procedures"), r->n_procedures, r->procedures},
	    {"contracts", _("contracts"), r->n_contracts, r->contracts},
	    {"kpis", _("KPIs"), r->n_kpis, r->kpis},
	    {"frames", _("budget frames"), r->n_frames, r->frames},
	    {"risks", _("risks"), r->n_risks, r->risks},
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i].n < 0 || parts[i].n > MAX_ROWS ||
		    (parts[i].n > 0 && !parts[i].p))
			return kv_fail(e, KV_INVALID, parts[i].field,
				       _("The report's list of %s is missing "
					 "or has an impossible length (%d)."),
				       parts[i].label, parts[i].n);
	for (int i = 0; i < r->n_frames; i++) {
		const struct report_frame *f = &r->frames[i];
		if (f->n_years < 0 || f->n_years > FRAME_MAX_YEARS)
			return kv_fail(e, KV_INVALID, "frames",
				       _("A budget frame in the report has %d "
					 "years; 0 to %d are possible."),
				       f->n_years, FRAME_MAX_YEARS);
		if (f->n_warnings < 0 || f->n_warnings > MAX_ROWS ||
		    (f->n_warnings > 0 && !f->warnings))
			return kv_fail(e, KV_INVALID, "frames",
				       _("A budget frame in the report has a "
					 "missing or impossible list of "
					 "warnings."));
	}
	return KV_OK;
}

enum kv_status report_council_pdf(arena *a, const struct council_report *r,
				  unsigned char **pdf, size_t *len,
				  struct kv_error *e)
{
	if (!a || !r || !pdf || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no report to write."));
	*pdf = NULL;
	*len = 0;
	enum kv_status st = check_report(r, e);
	if (st != KV_OK)
		return st;

	sbuf out;
	sbuf_init(&out, a, PDF_MAX_BYTES);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
	    pdf_write_out, &out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		st = kv_fail(e, KV_IO, "",
			     _("The PDF could not be started: %s."),
			     cairo_status_to_string(
				 cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	const char *title = pdf_clean(a, r->title);
	const char *muni = pdf_clean(a, r->municipality);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       muni);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "Kavel");

	struct doc d = {.a = a, .r = r, .out = &out};
	d.cr = cairo_create(surface);
	/* The thread's default font map (pango keeps one per thread), a
	 * context at 72 dpi so that font sizes are in points. */
	d.pc = pango_cairo_create_context(d.cr);
	pango_cairo_context_set_resolution(d.pc, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d.pc, fo);
	cairo_font_options_destroy(fo);

	d.f_body = pango_font_description_from_string("DejaVu Sans 10");
	d.f_cell = pango_font_description_from_string("DejaVu Sans 8");
	d.f_cell_bold =
	    pango_font_description_from_string("DejaVu Sans Bold 8");
	d.f_small = pango_font_description_from_string("DejaVu Sans 7.5");
	d.f_title = pango_font_description_from_string("DejaVu Sans Bold 17");
	d.f_subtitle = pango_font_description_from_string("DejaVu Sans 13");
	d.f_h1 = pango_font_description_from_string("DejaVu Sans Bold 13");
	d.f_h2 = pango_font_description_from_string("DejaVu Sans Bold 10");
	d.date = pdf_clean(a, r->date_text);
	d.running = *muni && *title ? arena_printf(a, "%s \xc2\xb7 %s", muni,
						   title)
				    : (*muni ? muni : title);

	new_page(&d);
	title_block(&d);
	if (!failed(&d))
		section_procedures(&d);
	if (!failed(&d))
		section_contracts(&d);
	if (!failed(&d))
		section_kpis(&d);
	if (!failed(&d))
		section_frames(&d);
	if (!failed(&d))
		section_risks(&d);
	flush_headings(&d, 0);   /* none is left; this releases them if so */
	cairo_show_page(d.cr);

	cairo_status_t cst = cairo_status(d.cr);
	PangoFontDescription *fonts[] = {d.f_body, d.f_cell, d.f_cell_bold,
					 d.f_small, d.f_title, d.f_subtitle,
					 d.f_h1, d.f_h2};
	for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
		pango_font_description_free(fonts[i]);
	g_object_unref(d.pc);
	cairo_destroy(d.cr);
	cairo_surface_finish(surface);
	if (cst == CAIRO_STATUS_SUCCESS)
		cst = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	if (out.overflow)
		return kv_fail(e, KV_INVALID, "",
			       _("The report would be larger than %zu MiB; "
				 "leave some sections out and try again."),
			       PDF_MAX_BYTES >> 20);
	if (cst != CAIRO_STATUS_SUCCESS)
		return kv_fail(e, KV_IO, "",
			       _("The PDF could not be written: %s."),
			       cairo_status_to_string(cst));
	if (out.len < 5 || memcmp(out.p, "%PDF-", 5) != 0)
		return kv_fail(e, KV_IO, "",
			       _("The PDF could not be written: its output "
				 "is empty."));
	*pdf = (unsigned char *)out.p;
	*len = out.len;
	return KV_OK;
}

void report_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
