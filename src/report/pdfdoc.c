/*
 * pdfdoc.c - the shared parts of Kavel's PDF documents; see pdfdoc.h.
 */
#include "pdfdoc.h"

#include <string.h>

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
	pdf_grey(d, 0.0);
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
