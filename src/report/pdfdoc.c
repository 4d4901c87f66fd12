/*
 * pdfdoc.c - the shared parts of Kavel's PDF documents; see pdfdoc.h.
 */
#include "pdfdoc.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "core/error.h"

/* Text pango can take: valid UTF-8 (bad bytes replaced), control
 * characters other than line breaks and tabs turned into spaces. */
const char *pdf_clean(arena *a, const char *s)
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

bool pdf_failed(const struct pdfdoc *d)
{
	return d->out->overflow || cairo_status(d->cr) != CAIRO_STATUS_SUCCESS;
}

PangoLayout *pdf_layout(struct pdfdoc *d, const char *text,
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

double pdf_layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

void pdf_grey(struct pdfdoc *d, double g)
{
	cairo_set_source_rgb(d->cr, g, g, g);
}

void pdf_draw(struct pdfdoc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

void pdf_rule(struct pdfdoc *d, double y, double w, double g)
{
	pdf_grey(d, g);
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, MARGIN_X, y);
	cairo_line_to(d->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(d->cr);
	pdf_grey(d, 0.0);
}

void pdf_new_page(struct pdfdoc *d)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page++;
	/* The page's furniture in its own greys; whatever colour the caller
	 * draws in (a heading broken onto this page) carries on. */
	cairo_save(d->cr);
	if (d->page > 1 && d->running) {
		PangoLayout *l = pdf_layout(d, d->running, d->f_small, CONTENT_W,
					PANGO_ALIGN_LEFT);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pdf_grey(d, 0.35);
		pdf_draw(d, l, MARGIN_X, 30);
		g_object_unref(l);
		pdf_rule(d, 44, 0.5, 0.6);
	}
	char *num = arena_printf(d->a, _("Page %d"), d->page);
	PangoLayout *l = pdf_layout(d, num, d->f_small, CONTENT_W,
				PANGO_ALIGN_RIGHT);
	pdf_grey(d, 0.35);
	pdf_draw(d, l, MARGIN_X, PAGE_H - 40);
	g_object_unref(l);
	cairo_restore(d->cr);
	d->y = BODY_TOP;
}

cairo_status_t pdf_write_out(void *closure, const unsigned char *data,
				unsigned int length)
{
	sbuf *b = closure;
	return sbuf_add(b, (const char *)data, length) == 0
		   ? CAIRO_STATUS_SUCCESS
		   : CAIRO_STATUS_WRITE_ERROR;
}

enum kv_status pdf_begin(struct pdfdoc *d, arena *a, sbuf *out, size_t max,
			 const char *title, const char *author,
			 struct kv_error *e)
{
	*d = (struct pdfdoc){.a = a, .out = out};
	sbuf_init(out, a, max);
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
	    pdf_write_out, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		enum kv_status st = kv_fail(
		    e, KV_IO, "", _("The PDF could not be started: %s."),
		    cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return st;
	}
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       pdf_clean(a, title));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
				       pdf_clean(a, author));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
				       "Kavel");
	d->surface = surface;
	d->cr = cairo_create(surface);
	d->pc = pango_cairo_create_context(d->cr);
	pango_cairo_context_set_resolution(d->pc, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pc, fo);
	cairo_font_options_destroy(fo);
	d->f_body = pango_font_description_from_string("DejaVu Sans 10");
	d->f_label = pango_font_description_from_string("DejaVu Sans Bold 8.5");
	d->f_small = pango_font_description_from_string("DejaVu Sans 7.5");
	d->f_title = pango_font_description_from_string("DejaVu Sans Bold 17");
	d->f_sub = pango_font_description_from_string("DejaVu Sans 12");
	d->f_h = pango_font_description_from_string("DejaVu Sans Bold 11");
	d->f_mono = pango_font_description_from_string("DejaVu Sans Mono 9");
	d->f_cell = pango_font_description_from_string("DejaVu Sans 8.5");
	return KV_OK;
}

enum kv_status pdf_end(struct pdfdoc *d, unsigned char **pdf, size_t *len,
		       struct kv_error *e)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	cairo_status_t cst = cairo_status(d->cr);
	PangoFontDescription *fonts[] = {d->f_body, d->f_label, d->f_small,
					 d->f_title, d->f_sub, d->f_h,
					 d->f_mono, d->f_cell};
	for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
		if (fonts[i])
			pango_font_description_free(fonts[i]);
	g_object_unref(d->pc);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	if (cst == CAIRO_STATUS_SUCCESS)
		cst = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	d->pc = NULL;
	d->cr = NULL;
	d->surface = NULL;

	if (d->out->overflow)
		return kv_fail(e, KV_INVALID, "",
			       _("The document would be larger than %zu MiB."),
			       d->out->max >> 20);
	if (cst != CAIRO_STATUS_SUCCESS)
		return kv_fail(e, KV_IO, "",
			       _("The PDF could not be written: %s."),
			       cairo_status_to_string(cst));
	if (d->out->len < 5 || memcmp(d->out->p, "%PDF-", 5) != 0)
		return kv_fail(e, KV_IO, "",
			       _("The PDF could not be written: its output "
				 "is empty."));
	*pdf = (unsigned char *)d->out->p;
	*len = d->out->len;
	return KV_OK;
}

void pdf_paragraph(struct pdfdoc *d, const char *text,
		   const PangoFontDescription *font, double indent,
		   double after, double keep)
{
	PangoLayout *l = pdf_layout(d, text, font, CONTENT_W - indent,
				    PANGO_ALIGN_LEFT);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0;   /* the layout's y shown at d->y on this page */
	bool first = true;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE;
		double lh = (double)r.height / PANGO_SCALE;
		double need = lh + (first ? keep : 0);
		if (d->y + (ly - top) + need > BODY_BOTTOM &&
		    d->y + (ly - top) > BODY_TOP + 0.5) {
			pdf_new_page(d);
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
	d->y += pdf_layout_h(l) - top + after;
	g_object_unref(l);
}

#define CELL_PAD_X 3.0
#define CELL_PAD_Y 2.5
/* No cell grows taller than this, so every row fits on an empty page
 * under the header row. */
#define CELL_MAX_H (BODY_BOTTOM - BODY_TOP - 80.0)

/* One row's layouts into ls[]; its height returned. */
static double row_layouts(struct pdfdoc *d, const struct pdf_col *cols,
			  int nc, const char *const *cells,
			  const PangoFontDescription *font, PangoLayout **ls)
{
	double h = 0;
	for (int c = 0; c < nc; c++) {
		ls[c] = pdf_layout(d, cells[c] ? cells[c] : "", font,
				   cols[c].width - 2 * CELL_PAD_X,
				   cols[c].align);
		pango_layout_set_height(ls[c], (int)(CELL_MAX_H * PANGO_SCALE));
		pango_layout_set_ellipsize(ls[c], PANGO_ELLIPSIZE_END);
		double ch = pdf_layout_h(ls[c]);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD_Y;
}

/* Draws and releases the row's layouts. */
static void row_draw(struct pdfdoc *d, double x0, const struct pdf_col *cols,
		     int nc, PangoLayout **ls, double h, double fill)
{
	double w = 0;
	for (int c = 0; c < nc; c++)
		w += cols[c].width;
	if (fill < 1.0) {
		pdf_grey(d, fill);
		cairo_rectangle(d->cr, x0, d->y, w, h);
		cairo_fill(d->cr);
	}
	pdf_grey(d, 0.0);
	double x = x0;
	for (int c = 0; c < nc; c++) {
		pdf_draw(d, ls[c], x + CELL_PAD_X, d->y + CELL_PAD_Y);
		g_object_unref(ls[c]);
		x += cols[c].width;
	}
	pdf_grey(d, 0.75);
	cairo_set_line_width(d->cr, 0.4);
	cairo_move_to(d->cr, x0, d->y + h);
	cairo_line_to(d->cr, x0 + w, d->y + h);
	cairo_stroke(d->cr);
	pdf_grey(d, 0.0);
	d->y += h;
}

void pdf_table(struct pdfdoc *d, double x0, const struct pdf_col *cols,
	       int nc, const char *const *cells, int nr)
{
	if (nc < 1 || nc > PDF_TABLE_MAX_COLS)
		return;
	const char *labels[PDF_TABLE_MAX_COLS];
	for (int c = 0; c < nc; c++)
		labels[c] = cols[c].label;
	PangoLayout *ls[PDF_TABLE_MAX_COLS], *hl[PDF_TABLE_MAX_COLS];
	/* The header's height once; its layouts only when it is drawn. */
	double hh = row_layouts(d, cols, nc, labels, d->f_label, hl);
	for (int c = 0; c < nc; c++)
		g_object_unref(hl[c]);
	for (int i = 0; i < nr && !pdf_failed(d); i++) {
		double h = row_layouts(d, cols, nc, cells + (size_t)i * nc,
				       d->f_cell, ls);
		bool head = i == 0;
		if (d->y + (head ? hh : 0) + h > BODY_BOTTOM &&
		    d->y > BODY_TOP + 0.5) {
			pdf_new_page(d);
			head = true;
		}
		if (head) {
			row_layouts(d, cols, nc, labels, d->f_label, hl);
			row_draw(d, x0, cols, nc, hl, hh, 0.88);
		}
		row_draw(d, x0, cols, nc, ls, h, i % 2 ? 0.965 : 1.0);
	}
	d->y += 6;
}

bool pdf_english(void)
{
	const char *n = nl_langinfo(NL_LOCALE_NAME(LC_MESSAGES));
	return n && n[0] == 'e' && n[1] == 'n' &&
	       (n[2] == 0 || n[2] == '_' || n[2] == '.' || n[2] == '@');
}

const char *pdf_decimal(arena *a, int64_t hundredths, bool trim)
{
	bool en = pdf_english();
	char group = en ? ',' : '.', point = en ? '.' : ',';
	unsigned long long v = hundredths < 0
				   ? 0ULL - (unsigned long long)hundredths
				   : (unsigned long long)hundredths;
	char digits[24], buf[48];
	int n = snprintf(digits, sizeof digits, "%llu", v / 100);
	char *o = buf;
	if (hundredths < 0)
		*o++ = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			*o++ = group;
		*o++ = digits[i];
	}
	unsigned frac = (unsigned)(v % 100);
	if (!trim || frac) {
		*o++ = point;
		*o++ = (char)('0' + frac / 10);
		if (!trim || frac % 10)
			*o++ = (char)('0' + frac % 10);
	}
	*o = 0;
	return arena_strdup(a, buf);
}

const char *pdf_money(arena *a, int64_t cents)
{
	return arena_printf(a, "\xe2\x82\xac\xc2\xa0%s",
			    pdf_decimal(a, cents, false));
}
