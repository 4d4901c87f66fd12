/*
 * tmpl_rt.h - what the compiled templates call (src/tmpl compiles them;
 * docs/templates.md).  Each function writes one value escaped for the
 * place the compiler found it in.
 */
#ifndef KAVEL_TMPL_RT_H
#define KAVEL_TMPL_RT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "web/html.h"

/* The most one template may write into the arena of tmpl_NAME_html. */
#define TMPL_MAX ((size_t)64 << 20)

/* A whole URL in an attribute: a path ("/..." but not "//..."), a query
 * or fragment, a relative reference without a scheme, or an http, https
 * or mailto URL; anything else (javascript:, data:, //host) is written as
 * "#unsafe-url".  Spaces, quotes, < > \ ` and control bytes are
 * percent-encoded, & written as &amp;. */
void tmpl_url(sbuf *b, const char *url);
/* A piece inside a URL (after its start): percent-encoded but for
 * A-Z a-z 0-9 - . _ ~ (so no ':', '/', '?', '#', '&' can end or change
 * the URL's parts). */
void tmpl_url_part(sbuf *b, const char *text);
void tmpl_int(sbuf *b, long long v);
void tmpl_html(sbuf *b, html_t h);
/* A translated sentence: each %s is the next of args, escaped; %% is %.
 * A translation with fewer %s than args drops the rest (and one with more
 * writes nothing for them), never reads past args. */
void tmpl_tr(sbuf *b, const char *fmt, int nargs, const char *const *args);
/* v as decimal digits in buf (24 bytes); returns where they begin. */
const char *tmpl_lld(char buf[24], long long v);
/* What a template wrote into b, as HTML. */
html_t tmpl_take(const sbuf *b);

#endif
