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

#include "pdfdoc.h"

#define NOTA_MAX_BYTES ((size_t)32 << 20)
#define NOTA_MAX_ITEMS 100000

#define INDENT 14.0



static void title_block(struct pdfdoc *d, const struct nota_doc *n)
{
	d->y = 50;
	const char *muni = pdf_clean(d->a, n->municipality);
	if (*muni) {
		pdf_grey(d, 0.35);
		pdf_paragraph(d, muni, d->f_sub, 0, 2, 0);
		pdf_grey(d, 0.0);
	}
	pdf_paragraph(
	    d, arena_printf(d->a, _("Nota van inlichtingen %d"), n->number),
	    d->f_title, 0, 4, 0);
	pdf_paragraph(d,
		      arena_printf(d->a, "%s \xc2\xb7 %s",
				   pdf_clean(d->a, n->reference),
				   pdf_clean(d->a, n->title)),
		      d->f_sub, 0, 2, 0);
	pdf_grey(d, 0.35);
	pdf_paragraph(d,
		      arena_printf(d->a, _("Published %s"),
				   pdf_clean(d->a, n->published_text)),
		      d->f_body, 0, 6, 0);
	pdf_rule(d, d->y, 0.8, 0.4);
	d->y += 8;
	pdf_paragraph(d,
		      _("The answers below are part of the procurement "
			"documents.  Questions are reproduced without the "
			"name of whoever asked them."),
		      d->f_body, 0, 10, 0);
}

static void item(struct pdfdoc *d, int i, const struct nota_item *it)
{
	double line = 14;
	cairo_set_source_rgb(d->cr, 0.10, 0.22, 0.38);
	d->y += 6;
	pdf_paragraph(d,
		      arena_printf(d->a, _("Question %d \xe2\x80\x94 %s"), i,
				   pdf_clean(d->a, it->lot)),
		      d->f_h, 0, 3, 3 * line);
	pdf_grey(d, 0.0);
	pdf_paragraph(d, _("Question"), d->f_label, 0, 1, 2 * line);
	pdf_paragraph(d, pdf_clean(d->a, it->question), d->f_body, INDENT, 5,
		      0);
	pdf_paragraph(d, _("Answer"), d->f_label, 0, 1, 2 * line);
	pdf_paragraph(d, pdf_clean(d->a, it->answer), d->f_body, INDENT, 6, 0);
	pdf_rule(d, d->y, 0.4, 0.75);
	d->y += 2;
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
	    pdf_write_out, &out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		enum kv_status st = kv_fail(
		    e, KV_IO, "", _("The PDF could not be started: %s."),
		    cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	const char *heading = arena_printf(a, _("Nota van inlichtingen %d"),
					   n->number);
	const char *ref = pdf_clean(a, n->reference);
	cairo_pdf_surface_set_metadata(
	    surface, CAIRO_PDF_METADATA_TITLE,
	    arena_printf(a, "%s \xc2\xb7 %s", heading, ref));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       pdf_clean(a, n->municipality));
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
	d.running = arena_printf(a, "%s \xc2\xb7 %s", heading, ref);

	pdf_new_page(&d);
	title_block(&d, n);
	if (n->n_items == 0 && !pdf_failed(&d))
		pdf_paragraph(&d, _("None."), d.f_body, 0, 6, 0);
	for (int i = 0; i < n->n_items && !pdf_failed(&d); i++)
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
