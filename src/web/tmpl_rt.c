/*
 * tmpl_rt.c - the compiled templates' escaping; see tmpl_rt.h.
 */
#include "tmpl_rt.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool url_safe_start(const char *u)
{
	/* the scheme, if any: letters, digits, + - . before the first ':' that
	 * comes before any / ? # */
	size_t n = strcspn(u, ":/?#");
	if (u[n] != ':')
		return !(u[0] == '/' && (u[1] == '/' || u[1] == '\\'));
	return (n == 4 && strncasecmp(u, "http", 4) == 0) ||
	       (n == 5 && strncasecmp(u, "https", 5) == 0) ||
	       (n == 6 && strncasecmp(u, "mailto", 6) == 0);
}

static void put_pct(sbuf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[3] = {'%', hex[c >> 4], hex[c & 15]};
	sbuf_add(b, buf, 3);
}

/* How tmpl_url writes each byte of a URL (controls refuse it first). */
enum { URL_COPY, URL_END, URL_PCT, URL_AMP };
static const unsigned char url_class[256] = {
	[0] = URL_END,
	[' '] = URL_PCT, ['"'] = URL_PCT, ['\''] = URL_PCT, ['<'] = URL_PCT,
	['>'] = URL_PCT, ['\\'] = URL_PCT, ['`'] = URL_PCT,
	['&'] = URL_AMP,
};

void tmpl_url(sbuf *b, const char *url)
{
	if (!url)
		return;
	const unsigned char *p = (const unsigned char *)url;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			/* browsers drop tabs and newlines inside schemes */
			sbuf_add(b, "#unsafe-url", 11);
			return;
		}
	if (!url_safe_start(url)) {
		sbuf_add(b, "#unsafe-url", 11);
		return;
	}
	for (p = (const unsigned char *)url;;) {
		const unsigned char *run = p;
		while (url_class[*p] == URL_COPY)
			p++;
		sbuf_add(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			return;
		if (*p == '&')
			sbuf_add(b, "&amp;", 5);
		else
			put_pct(b, *p);
		p++;
	}
}

void tmpl_url_part(sbuf *b, const char *text)
{
	if (!text)
		return;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			sbuf_add(b, (const char *)p, 1);
		else
			put_pct(b, *p);
	}
}

const char *tmpl_lld(char buf[24], long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *end = buf + 23;
	*end = 0;
	do
		*--end = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--end = '-';
	return end;
}

void tmpl_int(sbuf *b, long long v)
{
	char buf[24];
	const char *s = tmpl_lld(buf, v);
	sbuf_add(b, s, (size_t)(buf + 23 - s));
}

void tmpl_html(sbuf *b, html_t h)
{
	if (h.raw)
		sbuf_puts(b, h.raw);
}

/* n bytes of text, escaped as html_text does. */
static void text_n(sbuf *b, const char *s, size_t n)
{
	char one[2] = {0, 0};
	const char *run = s;
	for (size_t i = 0; i < n; i++) {
		if (!strchr("&<>\"'", s[i]) || !s[i])
			continue;
		sbuf_add(b, run, (size_t)(s + i - run));
		one[0] = s[i];
		html_text(b, one);
		run = s + i + 1;
	}
	sbuf_add(b, run, (size_t)(s + n - run));
}

void tmpl_tr(sbuf *b, const char *fmt, int nargs, const char *const *args)
{
	int k = 0;
	const char *run = fmt;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		text_n(b, run, (size_t)(p - run));
		if (p[1] == 's') {
			if (k < nargs)
				html_text(b, args[k]);
			k++;
			p++;
		} else if (p[1] == '%') {
			sbuf_add(b, "%", 1);
			p++;
		} else {
			sbuf_add(b, "%", 1);
		}
		run = p + 1;
	}
	html_text(b, run);
}

html_t tmpl_take(const sbuf *b)
{
	return html_take(b);
}
