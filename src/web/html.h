/*
 * html.h - the only way Kavel writes HTML: an escaping formatter.
 *
 * html_f() works like printf with a deliberately small set of conversions,
 * and every string is escaped by default:
 *
 *   %s   text or attribute value, escaped (& < > " ' become entities)
 *   %d   int            %lld  long long      %u  unsigned
 *   %R   raw HTML that another html_* call produced (the visible exception)
 *   %%   a percent sign
 *
 * Any other conversion aborts in debug builds and writes nothing in release
 * builds, so a format string cannot smuggle unescaped bytes.  The format
 * itself must be a string literal written by us.
 */
#ifndef KAVEL_HTML_H
#define KAVEL_HTML_H

#include <stddef.h>

#include "core/arena.h"

void html_f(sbuf *b, const char *fmt, ...);

/*
 * html_t - HTML that is safe to insert as it is: made only by a template
 * (tmpl_NAME_html), by html_escaped, or by html_take from a buffer that
 * html_f and the templates wrote.  A plain char * is text and is always
 * escaped; scripts/checksrc.py (rule HTML_T) refuses an html_t made any
 * other way.
 */
typedef struct html {
	const char *raw;          /* NULL or NUL-terminated HTML */
} html_t;

/* Text, escaped, as HTML, in a. */
html_t html_escaped(arena *a, const char *text);
/* What html_f and the templates wrote into b, as HTML (b's bytes, not a
 * copy: b must not be written again). */
html_t html_take(const sbuf *b);
/* Escaped text. */
void html_text(sbuf *b, const char *s);
/* Escape into a new arena string (for %R composition). */
char *html_escape(arena *a, const char *s);
/* Escape for a JSON string inside nothing: not provided on purpose; JSON
 * goes through jansson. */

#endif
