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

#include "pdfdoc.h"

#define RECEIPT_MAX_BYTES ((size_t)16 << 20)
#define RECEIPT_MAX_SECTIONS 100000

#define LABEL_W 150.0



/* A block of text at the current position; a new page first when it
 * does not fit (blocks here are short). */
static void block(struct pdfdoc *d, const char *text,
		  const PangoFontDescription *font, double after)
{
	PangoLayout *l = pdf_layout(d, text, font, CONTENT_W, PANGO_ALIGN_LEFT);
	double h = pdf_layout_h(l);
	if (d->y + h > BODY_BOTTOM && d->y > BODY_TOP + 0.5)
		pdf_new_page(d);
	pdf_draw(d, l, MARGIN_X, d->y);
	d->y += h + after;
	g_object_unref(l);
}

static void row(struct pdfdoc *d, const struct receipt_row *r)
{
	PangoLayout *lab = pdf_layout(d, pdf_clean(d->a, r->label), d->f_label,
				  LABEL_W - 8, PANGO_ALIGN_LEFT);
	PangoLayout *val = pdf_layout(d, pdf_clean(d->a, r->value), d->f_mono,
				  CONTENT_W - LABEL_W, PANGO_ALIGN_LEFT);
	double h = pdf_layout_h(val);
	if (pdf_layout_h(lab) > h)
		h = pdf_layout_h(lab);
	if (d->y + h > BODY_BOTTOM && d->y > BODY_TOP + 0.5)
		pdf_new_page(d);
	pdf_grey(d, 0.3);
	pdf_draw(d, lab, MARGIN_X, d->y + 1);
	pdf_grey(d, 0.0);
	pdf_draw(d, val, MARGIN_X + LABEL_W, d->y);
	d->y += h + 5;
	g_object_unref(lab);
	g_object_unref(val);
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
	    pdf_write_out, &out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		enum kv_status st = kv_fail(
		    e, KV_IO, "", _("The PDF could not be started: %s."),
		    cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       pdf_clean(a, r->title));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       pdf_clean(a, r->municipality));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "Kavel");

	struct pdfdoc d = {.a = a, .out = &out};
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

	pdf_new_page(&d);
	d.y = 50;
	const char *muni = pdf_clean(a, r->municipality);
	if (*muni) {
		pdf_grey(&d, 0.35);
		block(&d, muni, d.f_sub, 2);
		pdf_grey(&d, 0.0);
	}
	block(&d, pdf_clean(a, r->title), d.f_title, 4);
	block(&d, pdf_clean(a, r->subtitle), d.f_sub, 6);
	pdf_rule(&d, d.y, 0.8, 0.4);
	d.y += 8;
	if (r->intro && *r->intro)
		block(&d, pdf_clean(a, r->intro), d.f_body, 10);
	for (int i = 0; i < r->n_sections && !pdf_failed(&d); i++) {
		const struct receipt_section *s = &r->sections[i];
		if (s->heading && *s->heading) {
			d.y += 6;
			cairo_set_source_rgb(d.cr, 0.10, 0.22, 0.38);
			block(&d, pdf_clean(a, s->heading), d.f_h, 4);
			pdf_grey(&d, 0.0);
		}
		for (int j = 0; j < s->n_rows && !pdf_failed(&d); j++)
			row(&d, &s->rows[j]);
		pdf_rule(&d, d.y, 0.4, 0.75);
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
