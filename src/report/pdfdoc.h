/*
 * pdfdoc.h - what Kavel's PDF documents (the nota van inlichtingen, the
 * receipt, the opening record) share: an A4 page, cairo drawing into an
 * arena buffer, pango text, and page numbering with an optional running
 * header.  Private to src/report.
 */
#ifndef KAVEL_PDFDOC_H
#define KAVEL_PDFDOC_H

#include <stdbool.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/arena.h"

/* A4 portrait in PostScript points. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN_X 56.0
#define BODY_TOP 64.0
#define BODY_BOTTOM (PAGE_H - 60.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)

struct pdfdoc {
	arena *a;
	sbuf *out;
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *f_body, *f_label, *f_small, *f_title, *f_sub,
	    *f_h, *f_mono;
	double y;
	int page;
	const char *running;   /* header from page 2 on, or NULL */
};

/* Text pango can take: valid UTF-8, control characters other than line
 * breaks as spaces; s itself when it already is, else a copy in a. */
const char *pdf_clean(arena *a, const char *s);
bool pdf_failed(const struct pdfdoc *d);
PangoLayout *pdf_layout(struct pdfdoc *d, const char *text,
			const PangoFontDescription *font, double width,
			PangoAlignment align);
double pdf_layout_h(PangoLayout *l);
void pdf_grey(struct pdfdoc *d, double g);
void pdf_draw(struct pdfdoc *d, PangoLayout *l, double x, double y);
void pdf_rule(struct pdfdoc *d, double y, double w, double g);
/* Ends the current page (if any) and starts the next: its number at the
 * foot, the running header from page 2 on. */
void pdf_new_page(struct pdfdoc *d);
/* cairo's write function: appends to the sbuf in closure. */
cairo_status_t pdf_write_out(void *closure, const unsigned char *data,
			     unsigned int length);

#endif
