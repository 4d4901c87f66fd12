/*
 * receipt.c - a bid's receipt or the record of a vault's opening as an
 * A4 PDF, drawn with cairo and laid out with pango like the nota
 * (nota.c): a title block (municipality, title, the procedure, a
 * sentence), then sections of label/value rows; a value wraps within its
 * column (SHA-256 hashes are long) and rows break across pages; page
 * numbers at the foot.
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

#define RECEIPT_MAX_BYTES ((size_t)16 << 20)
#define RECEIPT_MAX_SECTIONS 100000

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN_X 56.0
#define BODY_TOP 64.0
#define BODY_BOTTOM (PAGE_H - 60.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define LABEL_W 150.0

struct rdoc {
	arena *a;
	sbuf *out;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *f_body, *f_label, *f_small, *f_title, *f_sub,
	    *f_h, *f_mono;
	double y;
	int page;
};

/* Valid UTF-8 without control characters other than line breaks. */
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

static bool failed(const struct rdoc *d)
{
	return d->out->overflow || cairo_status(d->cr) != CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(struct rdoc *d, const char *text,
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

static void grey(struct rdoc *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

static void draw(struct rdoc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

static void rule(struct rdoc *d, double y, double w, double g)
{
	grey(d, g);
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, MARGIN_X, y);
	cairo_line_to(d->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(d->cr);
	grey(d, 0.0);
}

static void new_page(struct rdoc *d)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page++;
	char *num = arena_printf(d->a, _("Page %d"), d->page);
	PangoLayout *l = layout(d, num, d->f_small, CONTENT_W,
				PANGO_ALIGN_RIGHT);
	grey(d, 0.35);
	draw(d, l, MARGIN_X, PAGE_H - 40);
	g_object_unref(l);
	grey(d, 0.0);
	d->y = BODY_TOP;
}

/* A block of text at the current position; a new page first when it
 * does not fit (blocks here are short). */
static void block(struct rdoc *d, const char *text,
		  const PangoFontDescription *font, double after)
{
	PangoLayout *l = layout(d, text, font, CONTENT_W, PANGO_ALIGN_LEFT);
	double h = layout_h(l);
	if (d->y + h > BODY_BOTTOM && d->y > BODY_TOP + 0.5)
		new_page(d);
	draw(d, l, MARGIN_X, d->y);
	d->y += h + after;
	g_object_unref(l);
}

static void row(struct rdoc *d, const struct receipt_row *r)
{
	PangoLayout *lab = layout(d, clean(d->a, r->label), d->f_label,
				  LABEL_W - 8, PANGO_ALIGN_LEFT);
	PangoLayout *val = layout(d, clean(d->a, r->value), d->f_mono,
				  CONTENT_W - LABEL_W, PANGO_ALIGN_LEFT);
	double h = layout_h(val);
	if (layout_h(lab) > h)
		h = layout_h(lab);
	if (d->y + h > BODY_BOTTOM && d->y > BODY_TOP + 0.5)
		new_page(d);
	grey(d, 0.3);
	draw(d, lab, MARGIN_X, d->y + 1);
	grey(d, 0.0);
	draw(d, val, MARGIN_X + LABEL_W, d->y);
	d->y += h + 5;
	g_object_unref(lab);
	g_object_unref(val);
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
				unsigned int length)
{
	sbuf *b = closure;
	return sbuf_add(b, (const char *)data, length) == 0
		   ? CAIRO_STATUS_SUCCESS
		   : CAIRO_STATUS_WRITE_ERROR;
}

enum kv_status report_receipt_pdf(arena *a, const struct receipt_doc *r,
				  unsigned char **pdf, size_t *len,
				  struct kv_error *e)
{
	if (!a || !r || !pdf || !len)
		return kv_fail(e, KV_INVALID, "",
			       _("There is no receipt to write."));
	*pdf = NULL;
	*len = 0;
	if (r->n_sections < 0 || r->n_sections > RECEIPT_MAX_SECTIONS ||
	    (r->n_sections > 0 && !r->sections))
		return kv_fail(e, KV_INVALID, "sections",
			       _("The document's sections are missing or "
				 "have an impossible length (%d)."),
			       r->n_sections);
	for (int i = 0; i < r->n_sections; i++)
		if (r->sections[i].n_rows < 0 ||
		    (r->sections[i].n_rows > 0 && !r->sections[i].rows))
			return kv_fail(e, KV_INVALID, "rows",
				       _("The document's rows are missing."));

	sbuf out;
	sbuf_init(&out, a, RECEIPT_MAX_BYTES);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
	    write_out, &out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		enum kv_status st = kv_fail(
		    e, KV_IO, "", _("The PDF could not be started: %s."),
		    cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       clean(a, r->title));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       clean(a, r->municipality));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "Kavel");

	struct rdoc d = {.a = a, .out = &out};
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
	d.f_mono = pango_font_description_from_string("DejaVu Sans Mono 9");

	new_page(&d);
	d.y = 50;
	const char *muni = clean(a, r->municipality);
	if (*muni) {
		grey(&d, 0.35);
		block(&d, muni, d.f_sub, 2);
		grey(&d, 0.0);
	}
	block(&d, clean(a, r->title), d.f_title, 4);
	block(&d, clean(a, r->subtitle), d.f_sub, 6);
	rule(&d, d.y, 0.8, 0.4);
	d.y += 8;
	if (r->intro && *r->intro)
		block(&d, clean(a, r->intro), d.f_body, 10);
	for (int i = 0; i < r->n_sections && !failed(&d); i++) {
		const struct receipt_section *s = &r->sections[i];
		if (s->heading && *s->heading) {
			d.y += 6;
			cairo_set_source_rgb(d.cr, 0.10, 0.22, 0.38);
			block(&d, clean(a, s->heading), d.f_h, 4);
			grey(&d, 0.0);
		}
		for (int j = 0; j < s->n_rows && !failed(&d); j++)
			row(&d, &s->rows[j]);
		rule(&d, d.y, 0.4, 0.75);
		d.y += 4;
	}
	cairo_show_page(d.cr);

	cairo_status_t cst = cairo_status(d.cr);
	PangoFontDescription *fonts[] = {d.f_body, d.f_label, d.f_small,
					 d.f_title, d.f_sub, d.f_h, d.f_mono};
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
			       _("The document would be larger than %zu MiB."),
			       RECEIPT_MAX_BYTES >> 20);
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
