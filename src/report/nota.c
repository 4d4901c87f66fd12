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

	const char *heading = arena_printf(a, _("Nota van inlichtingen %d"),
					   n->number);
	const char *ref = pdf_clean(a, n->reference);
	struct pdfdoc d;
	sbuf out;
	enum kv_status st = pdf_begin(&d, a, &out, NOTA_MAX_BYTES,
				      arena_printf(a, "%s \xc2\xb7 %s", heading,
						   ref),
				      n->municipality, e);
	if (st != KV_OK)
		return st;
	d.running = arena_printf(a, "%s \xc2\xb7 %s", heading, ref);

	pdf_new_page(&d);
	title_block(&d, n);
	if (n->n_items == 0 && !pdf_failed(&d))
		pdf_paragraph(&d, _("None."), d.f_body, 0, 6, 0);
	for (int i = 0; i < n->n_items && !pdf_failed(&d); i++)
		item(&d, i + 1, &n->items[i]);
	return pdf_end(&d, pdf, len, e);
}
