/*
 * html.c - the escaping formatter; see html.h for the rules.
 */
#include "html.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

/* The bytes html_text stops at: the five it replaces, and the NUL. */
static const unsigned char text_stop[256] = {
	[0] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

void html_text(sbuf *b, const char *s)
{
	if (!s)
		return;
	for (;;) {
		const char *run = s;
		while (!text_stop[(unsigned char)*s])
			s++;
		sbuf_add(b, run, (size_t)(s - run));
		switch (*s) {
		case 0: return;
		case '&': sbuf_add(b, "&amp;", 5); break;
		case '<': sbuf_add(b, "&lt;", 4); break;
		case '>': sbuf_add(b, "&gt;", 4); break;
		case '"': sbuf_add(b, "&quot;", 6); break;
		default: sbuf_add(b, "&#39;", 5); break;
		}
		s++;
	}
}

char *html_escape(arena *a, const char *s)
{
	sbuf b;
	sbuf_init(&b, a, (size_t)-1 / 2);
	html_text(&b, s);
	return b.p ? b.p : arena_strdup(a, "");
}

html_t html_escaped(arena *a, const char *text)
{
	return (html_t){.raw = html_escape(a, text ? text : "")};
}

html_t html_take(const sbuf *b)
{
	return (html_t){.raw = sbuf_str(b)};
}

/* Decimal digits of v into the end of buf; returns the first. */
static char *digits(unsigned long long v, int negative, char *end)
{
	*--end = 0;
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	if (negative)
		*--end = '-';
	return end;
}

static void put_signed(sbuf *b, long long v, char *buf, size_t n)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	sbuf_puts(b, digits(u, v < 0, buf + n));
}

void html_f(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *run = fmt;
	char num[32];
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		sbuf_add(b, run, (size_t)(p - run));
		p++;
		if (*p == 's') {
			html_text(b, va_arg(ap, const char *));
		} else if (*p == 'R') {
			const char *raw = va_arg(ap, const char *);
			if (raw)
				sbuf_puts(b, raw);
		} else if (*p == 'd') {
			put_signed(b, va_arg(ap, int), num, sizeof num);
		} else if (*p == 'u') {
			sbuf_puts(b, digits(va_arg(ap, unsigned), 0, num + sizeof num));
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
			put_signed(b, va_arg(ap, long long), num, sizeof num);
			p += 2;
		} else if (*p == '%') {
			sbuf_add(b, "%", 1);
		} else {
			assert(!"html_f: unsupported conversion");
			run = "";
			break;
		}
		run = p + 1;
	}
	if (*run)
		sbuf_puts(b, run);
	va_end(ap);
}
