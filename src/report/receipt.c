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

	struct pdfdoc d;
	sbuf out;
	enum kv_status st = pdf_begin(&d, a, &out, RECEIPT_MAX_BYTES,
				      r->title, r->municipality, e);
	if (st != KV_OK)
		return st;

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
	return pdf_end(&d, pdf, len, e);
}
