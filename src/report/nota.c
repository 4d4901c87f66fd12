/*
 * nota.c - a published nota van inlichtingen as an A4 PDF, drawn with
 * cairo and laid out with pango like the council report (pdf.c): a title
 * block (municipality, "Nota van inlichtingen n", the procedure, the
 * moment of publication), then each question numbered, with its lot or
 * "general", the question and the answer as flowing text that breaks
 * across pages between lines; a running header from page 2 and page
 * numbers.  The document names nobody who asked: struct nota_doc has no
 * place for it.
 *
 * The PDF is streamed into a capped sbuf in the caller's arena; every
 * cairo and pango object is released before returning.
 */
#include "report/report.h"

#include <stdbool.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#define NOTA_MAX_BYTES ((size_t)32 << 20)
#define NOTA_MAX_ITEMS 100000

/* A4 portrait in PostScript points. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN_X 56.0
#define BODY_TOP 64.0
#define BODY_BOTTOM (PAGE_H - 60.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define INDENT 14.0

struct ndoc {
	arena *a;
	sbuf *out;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *f_body, *f_label, *f_small, *f_title, *f_sub,
	    *f_h;
	double y;
	int page;
	const char *running;
};

/* Text pango can take: valid UTF-8 (bad bytes replaced), control
 * characters other than line breaks and tabs turned into spaces. */
static const char *clean(arena *a, const char *s)
{
	if (!s)
		return "";
	bool ctl = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n') {
			ctl = true;
			break;
		}
	if (!ctl && g_utf8_validate(s, -1, NULL))
		return s;
	char *v = g_utf8_make_valid(s, -1);
	char *o = arena_strdup(a, v);
	g_free(v);
	for (char *p = o; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			*p = ' ';
	return o;
}

static bool failed(const struct ndoc *d)
{
	return d->out->overflow || cairo_status(d->cr) != CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(struct ndoc *d, const char *text,
			   const PangoFontDescription *font, double width,
			   PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(d->pc);
	pango_layout_set_font_description(l, font);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void grey(struct ndoc *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

static void draw(struct ndoc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

static void rule(struct ndoc *d, double y, double w, double g)
{
	grey(d, g);
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, MARGIN_X, y);
	cairo_line_to(d->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(d->cr);
	grey(d, 0.0);
}

static void new_page(struct ndoc *d)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page++;
	if (d->page > 1) {
		PangoLayout *l = layout(d, d->running, d->f_small, CONTENT_W,
					PANGO_ALIGN_LEFT);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		grey(d, 0.35);
		draw(d, l, MARGIN_X, 30);
		g_object_unref(l);
		rule(d, 44, 0.5, 0.6);
	}
	char *num = arena_printf(d->a, _("Page %d"), d->page);
	PangoLayout *l = layout(d, num, d->f_small, CONTENT_W,
				PANGO_ALIGN_RIGHT);
	grey(d, 0.35);
	draw(d, l, MARGIN_X, PAGE_H - 40);
	g_object_unref(l);
	grey(d, 0.0);
	d->y = BODY_TOP;
}

/* Flowing text, broken across pages between lines.  keep: points of the
 * first line's page that must follow it (so a label never ends a page
 * alone). */
static void paragraph(struct ndoc *d, const char *text,
		      const PangoFontDescription *font, double indent,
		      double after, double keep)
{
	PangoLayout *l = layout(d, text, font, CONTENT_W - indent,
				PANGO_ALIGN_LEFT);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0;
	bool first = true;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE;
		double lh = (double)r.height / PANGO_SCALE;
		double need = lh + (first ? keep : 0);
		if (d->y + (ly - top) + need > BODY_BOTTOM &&
		    d->y + (ly - top) > BODY_TOP + 0.5) {
			new_page(d);
			top = ly;
		}
		first = false;
		double base = (double)pango_layout_iter_get_baseline(it) /
			      PANGO_SCALE;
		cairo_move_to(d->cr,
			      MARGIN_X + indent + (double)r.x / PANGO_SCALE,
			      d->y + base - top);
		pango_cairo_show_layout_line(
		    d->cr, pango_layout_iter_get_line_readonly(it));
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	d->y += layout_h(l) - top + after;
	g_object_unref(l);
}

static void title_block(struct ndoc *d, const struct nota_doc *n)
{
	d->y = 50;
	const char *muni = clean(d->a, n->municipality);
	if (*muni) {
		grey(d, 0.35);
		paragraph(d, muni, d->f_sub, 0, 2, 0);
		grey(d, 0.0);
	}
	paragraph(d, arena_printf(d->a, _("Nota van inlichtingen %d"),
				  n->number),
		  d->f_title, 0, 4, 0);
	paragraph(d, arena_printf(d->a, "%s \xc2\xb7 %s",
				  clean(d->a, n->reference),
				  clean(d->a, n->title)),
		  d->f_sub, 0, 2, 0);
	grey(d, 0.35);
	paragraph(d, arena_printf(d->a, _("Published %s"),
				  clean(d->a, n->published_text)),
		  d->f_body, 0, 6, 0);
	rule(d, d->y, 0.8, 0.4);
	d->y += 8;
	paragraph(d, _("The answers below are part of the procurement "
		       "documents.  Questions are reproduced without the "
		       "name of whoever asked them."),
		  d->f_body, 0, 10, 0);
}

static void item(struct ndoc *d, int i, const struct nota_item *it)
{
	double line = 14;
	cairo_set_source_rgb(d->cr, 0.10, 0.22, 0.38);
	d->y += 6;
	paragraph(d, arena_printf(d->a, _("Question %d \xe2\x80\x94 %s"), i,
				  clean(d->a, it->lot)),
		  d->f_h, 0, 3, 3 * line);
	grey(d, 0.0);
	paragraph(d, _("Question"), d->f_label, 0, 1, 2 * line);
	paragraph(d, clean(d->a, it->question), d->f_body, INDENT, 5, 0);
	paragraph(d, _("Answer"), d->f_label, 0, 1, 2 * line);
	paragraph(d, clean(d->a, it->answer), d->f_body, INDENT, 6, 0);
	rule(d, d->y, 0.4, 0.75);
	d->y += 2;
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
				unsigned int length)
{
	sbuf *b = closure;
	return sbuf_add(b, (const char *)data, length) == 0
		   ? CAIRO_STATUS_SUCCESS
		   : CAIRO_STATUS_WRITE_ERROR;
}

enum kv_status report_nota_pdf(arena *a, const struct nota_doc *n,
			       unsigned char **pdf, size_t *len,
			       struct kv_error *e)
{
	if (!a || !n || !pdf || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no nota to write."));
	*pdf = NULL;
	*len = 0;
	if (n->n_items < 0 || n->n_items > NOTA_MAX_ITEMS ||
	    (n->n_items > 0 && !n->items))
		return kv_fail(e, KV_INVALID, "items",
			       _("The nota's list of questions is missing or "
				 "has an impossible length (%d)."),
			       n->n_items);

	sbuf out;
	sbuf_init(&out, a, NOTA_MAX_BYTES);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
	    write_out, &out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		enum kv_status st = kv_fail(
		    e, KV_IO, "", _("The PDF could not be started: %s."),
		    cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	const char *heading = arena_printf(a, _("Nota van inlichtingen %d"),
					   n->number);
	const char *ref = clean(a, n->reference);
	cairo_pdf_surface_set_metadata(
	    surface, CAIRO_PDF_METADATA_TITLE,
	    arena_printf(a, "%s \xc2\xb7 %s", heading, ref));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       clean(a, n->municipality));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "Kavel");

	struct ndoc d = {.a = a, .out = &out};
	d.cr = cairo_create(surface);
	d.pc = pango_cairo_create_context(d.cr);
	pango_cairo_context_set_resolution(d.pc, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d.pc, fo);
	cairo_font_options_destroy(fo);
	d.f_body = pango_font_description_from_string("DejaVu Sans 10");
	d.f_label = pango_font_description_from_string("DejaVu Sans Bold 8.5");
	d.f_small = pango_font_description_from_string("DejaVu Sans 7.5");
	d.f_title = pango_font_description_from_string("DejaVu Sans Bold 17");
	d.f_sub = pango_font_description_from_string("DejaVu Sans 12");
	d.f_h = pango_font_description_from_string("DejaVu Sans Bold 11");
	d.running = arena_printf(a, "%s \xc2\xb7 %s", heading, ref);

	new_page(&d);
	title_block(&d, n);
	if (n->n_items == 0 && !failed(&d))
		paragraph(&d, _("None."), d.f_body, 0, 6, 0);
	for (int i = 0; i < n->n_items && !failed(&d); i++)
		item(&d, i + 1, &n->items[i]);
	cairo_show_page(d.cr);

	cairo_status_t cst = cairo_status(d.cr);
	PangoFontDescription *fonts[] = {d.f_body, d.f_label, d.f_small,
					 d.f_title, d.f_sub, d.f_h};
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
			       _("The nota would be larger than %zu MiB."),
			       NOTA_MAX_BYTES >> 20);
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
