/*
 * pdfdoc.h - what Kavel's PDF documents (the nota van inlichtingen, the
 * receipt, the opening record) share: an A4 page, cairo drawing into an
 * arena buffer, pango text, and page numbering with an optional running
 * header.  Private to src/report.
 */
#ifndef KAVEL_PDFDOC_H
#define KAVEL_PDFDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/arena.h"
#include "core/error.h"

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
	PangoFontDescription *f_cell;   /* pdf_begin's documents only */
	cairo_surface_t *surface;       /* pdf_begin's documents only */
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
 * foot, the running header from page 2 on, drawn in their own greys: the
 * colour the caller draws in carries on over the break. */
void pdf_new_page(struct pdfdoc *d);
/* cairo's write function: appends to the sbuf in closure. */
cairo_status_t pdf_write_out(void *closure, const unsigned char *data,
			     unsigned int length);

/* Starts a document for pdf_begin/pdf_end users: an A4 PDF surface
 * streaming into an sbuf of at most max bytes in a, the metadata, the
 * fonts (f_cell too), no page yet.  On failure nothing is left to
 * release. */
enum kv_status pdf_begin(struct pdfdoc *d, arena *a, sbuf *out, size_t max,
			 const char *title, const char *author,
			 struct kv_error *e);
/* Ends the last page, releases every cairo and pango object of d and
 * hands out the bytes (in the arena), or says why there are none. */
enum kv_status pdf_end(struct pdfdoc *d, unsigned char **pdf, size_t *len,
		       struct kv_error *e);

/* Flowing text at d->y, broken across pages between lines.  keep:
 * points that must follow the first line on its page (so a heading never
 * ends a page alone). */
void pdf_paragraph(struct pdfdoc *d, const char *text,
		   const PangoFontDescription *font, double indent,
		   double after, double keep);

/* A table of nr rows of nc (<= PDF_TABLE_MAX_COLS) cells, row-major,
 * starting at x0; the header row stays with the first row and comes again
 * on every page the table continues on.  A cell taller than most of a
 * page is cut with an ellipsis: put long texts in paragraphs. */
#define PDF_TABLE_MAX_COLS 8
struct pdf_col {
	const char *label;
	double width;
	PangoAlignment align;
};
void pdf_table(struct pdfdoc *d, double x0, const struct pdf_col *cols,
	       int nc, const char *const *cells, int nr);

/* Numbers for a reader: English when the thread's LC_MESSAGES is
 * English, else Dutch (as core/calendar.c decides). */
bool pdf_english(void);
/* hundredths as "1.234,56" (nl) or "1,234.56" (en); trim: without
 * trailing zeros of the fraction ("30", "12,5"). */
const char *pdf_decimal(arena *a, int64_t hundredths, bool trim);
/* "€ 1.234,56" (nl) or "€ 1,234.56" (en), a no-break space after the
 * sign so that it stays with the figure. */
const char *pdf_money(arena *a, int64_t cents);

#endif
