/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser
 * (src/web/multipart.c) that the upload routes use, and for the upload
 * form above it (CSRF field, one file part, file name, sniffing).
 *
 * Bit 0 of the first byte picks the mode.
 *
 * 0, arbitrary bodies: the input is "k, k split offsets (2 bytes each),
 *    a Content-Type line, the body".  The body is parsed three times: in
 *    one piece, cut at the fuzzer's offsets, and byte by byte.  Checked:
 *    no crash or sanitizer report; every run gives the same transcript
 *    (parts, their headers and bytes) and the same result, however the
 *    network cut the body; data events come only inside a part and are
 *    never empty; names and file names are NUL-terminated within their
 *    bounds.  The upload form is run on the same cuts: same result, same
 *    file bytes, the sink sees a file's bytes only after it accepted the
 *    file's beginning, and never more than it accepted.
 * 1, generated bodies: the input describes parts (names, file names,
 *    contents with any bytes, including pieces of the boundary); the
 *    target writes the multipart body and checks the parser gives back
 *    exactly those parts, whatever the cuts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/multipart.h"
#include "core/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TR_MAX (1 << 16)

struct transcript {
	unsigned char p[TR_MAX];
	size_t len;
	bool overflow;
	bool in_part;
	int last;   /* the last event, for coalescing data */
};

static void tr_add(struct transcript *t, const void *b, size_t n)
{
	if (t->len + n > TR_MAX) {
		t->overflow = true;
		return;
	}
	memcpy(t->p + t->len, b, n);
	t->len += n;
}

static void tr_str(struct transcript *t, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n >= cap)
		abort();   /* not NUL-terminated within its bound */
	uint16_t len = (uint16_t)n;
	tr_add(t, &len, sizeof len);
	tr_add(t, s, n);
}

static bool on_event(void *ctx, enum mp_event ev, const struct mp_part *p,
		     const char *data, size_t n)
{
	struct transcript *t = ctx;
	switch (ev) {
	case MP_PART_BEGIN:
		if (t->in_part || !p->name[0])
			abort();
		t->in_part = true;
		tr_add(t, "B", 1);
		tr_str(t, p->name, sizeof p->name);
		tr_str(t, p->filename, sizeof p->filename);
		tr_add(t, p->has_filename ? "1" : "0", 1);
		tr_str(t, p->content_type, sizeof p->content_type);
		break;
	case MP_PART_DATA:
		if (!t->in_part || n == 0 || !data)
			abort();
		if (t->last != MP_PART_DATA)
			tr_add(t, "D", 1);
		tr_add(t, data, n);
		break;
	case MP_PART_END:
		if (!t->in_part)
			abort();
		t->in_part = false;
		tr_add(t, "E", 1);
		break;
	}
	t->last = (int)ev;
	return true;
}

/* Cuts: the body is fed in pieces ending at these offsets (sorted). */
struct cuts {
	size_t at[16];
	int n;
};

static enum mp_result parse(const char *ctype, const unsigned char *body,
			    size_t len, const struct cuts *c, bool bytewise,
			    struct transcript *t, const char **why)
{
	struct multipart m;
	memset(t, 0, sizeof *t);
	t->last = -1;
	enum mp_result rc = mp_init(&m, ctype, on_event, t);
	if (rc == MP_OK) {
		size_t off = 0;
		for (int i = 0; c && i <= c->n && rc == MP_OK; i++) {
			size_t end = i < c->n ? c->at[i] : len;
			if (end < off)
				end = off;
			rc = mp_feed(&m, body + off, end - off);
			off = end;
		}
		for (; !c && bytewise && off < len && rc == MP_OK; off++)
			rc = mp_feed(&m, body + off, 1);
		if (!c && !bytewise)
			rc = mp_feed(&m, body, len);
		if (rc == MP_OK)
			rc = mp_finish(&m);
	}
	if (rc == MP_OK && t->in_part)
		abort();   /* closed, yet a part never ended */
	*why = m.why;
	return rc;
}

/* ---- the upload form on the same cuts ---------------------------------- */

struct sink_state {
	bool begun, refused;
	size_t got, limit;
	unsigned char head[FILE_SNIFF_HEAD];
	size_t n_head;
	unsigned long long sum;   /* a checksum of the file's bytes */
};

static bool sink_begin(void *ctx, const char *csrf, const char *filename)
{
	struct sink_state *s = ctx;
	if (s->begun || s->refused)
		abort();
	s->begun = true;
	const char *base = upload_base_name(filename);
	if (strchr(base, '/') || strchr(base, '\\'))
		abort();
	/* Refuse as the server does: a wrong token, an empty name. */
	if (strcmp(csrf, "tok") != 0 || !*base) {
		s->refused = true;
		return false;
	}
	return true;
}

static bool sink_data(void *ctx, const char *data, size_t n)
{
	struct sink_state *s = ctx;
	if (!s->begun || s->refused || n == 0)
		abort();
	if (s->got + n > s->limit) {
		s->refused = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s->n_head < sizeof s->head)
			s->head[s->n_head++] = (unsigned char)data[i];
		s->sum = s->sum * 31 + (unsigned char)data[i];
	}
	s->got += n;
	return true;
}

static const struct form_sink fuzz_sink = {sink_begin, sink_data};

static enum form_result form(const char *ctype, const unsigned char *body,
			     size_t len, const struct cuts *c,
			     struct sink_state *s)
{
	struct form_upload *f = malloc(sizeof *f);
	memset(s, 0, sizeof *s);
	s->limit = 1000;
	enum form_result fr = FORM_MALFORMED;
	if (form_upload_init(f, ctype, "file", &fuzz_sink, s) == MP_OK) {
		size_t off = 0;
		fr = FORM_OK;
		for (int i = 0; i <= c->n && fr == FORM_OK; i++) {
			size_t end = i < c->n ? c->at[i] : len;
			if (end < off)
				end = off;
			fr = form_upload_feed(f, body + off, end - off);
			off = end;
		}
		if (fr == FORM_OK)
			fr = form_upload_finish(f);
	}
	if ((fr == FORM_REFUSED) != s->refused)
		abort();
	if (fr == FORM_OK && (!s->begun || s->refused))
		abort();
	const char *type = file_sniff(s->head, s->n_head);
	if (strcmp(type, "application/pdf") && strcmp(type, "application/zip") &&
	    strcmp(type, "application/octet-stream"))
		abort();
	free(f);
	return fr;
}

static void same_parse(const char *ctype, const unsigned char *body,
		       size_t len, const struct cuts *c)
{
	static struct transcript t1, t2, t3;
	const char *w1, *w2, *w3;
	enum mp_result r1 = parse(ctype, body, len, NULL, false, &t1, &w1);
	enum mp_result r2 = parse(ctype, body, len, c, false, &t2, &w2);
	enum mp_result r3 = parse(ctype, body, len, NULL, true, &t3, &w3);
	if (r1 != r2 || r1 != r3 || w1 != w2 || w1 != w3)
		abort();
	/* The parser decides at the same byte however the body is cut, so
	 * even a malformed body gives the same transcript up to its fault. */
	if (t1.len != t2.len || t1.len != t3.len ||
	    memcmp(t1.p, t2.p, t1.len) != 0 || memcmp(t1.p, t3.p, t1.len) != 0)
		abort();
	struct sink_state s1, s2;
	struct cuts none = {.n = 0};
	enum form_result f1 = form(ctype, body, len, &none, &s1);
	enum form_result f2 = form(ctype, body, len, c, &s2);
	if (f1 != f2 || s1.got != s2.got || s1.sum != s2.sum)
		abort();
}

static void cuts_read(const uint8_t **p, size_t *left, size_t len,
		      struct cuts *c)
{
	c->n = 0;
	if (!*left)
		return;
	int k = (*p)[0] % 16;
	(*p)++, (*left)--;
	for (int i = 0; i < k && *left >= 2; i++) {
		size_t v = ((size_t)(*p)[0] << 8 | (*p)[1]);
		c->at[c->n++] = len ? v % (len + 1) : 0;
		*p += 2, *left -= 2;
	}
	/* sorted */
	for (int i = 1; i < c->n; i++)
		for (int j = i; j > 0 && c->at[j - 1] > c->at[j]; j--) {
			size_t x = c->at[j];
			c->at[j] = c->at[j - 1];
			c->at[j - 1] = x;
		}
}

/* ---- mode 0: arbitrary bodies --------------------------------------------- */

static void arbitrary(const uint8_t *p, size_t left)
{
	/* The cuts come first but need the body's length: read their bytes
	 * after locating the body. */
	const uint8_t *cut_bytes = p;
	size_t k = left ? p[0] % 16 : 0;
	size_t skip = 1 + 2 * k;
	if (left < skip)
		return;
	p += skip, left -= skip;
	const uint8_t *nl = memchr(p, '\n', left);
	if (!nl)
		return;
	char ctype[256];
	size_t clen = (size_t)(nl - p);
	if (clen >= sizeof ctype)
		return;
	memcpy(ctype, p, clen);
	ctype[clen] = 0;
	if (strlen(ctype) != clen)
		return;   /* a header cannot carry NUL */
	const unsigned char *body = nl + 1;
	size_t len = left - clen - 1;
	struct cuts c;
	size_t cl = skip;
	cuts_read(&cut_bytes, &cl, len, &c);
	same_parse(ctype, body, len, &c);
}

/* ---- mode 1: generated bodies ---------------------------------------------- */

struct gen_part {
	char name[MP_NAME_MAX + 1];
	char filename[80];
	bool has_filename;
	const unsigned char *data;
	size_t len;
};

static bool on_check(void *ctx, enum mp_event ev, const struct mp_part *p,
		     const char *data, size_t n);

struct checker {
	struct gen_part *parts;
	int n, at;
	size_t off;
};

static bool on_check(void *ctx, enum mp_event ev, const struct mp_part *p,
		     const char *data, size_t n)
{
	struct checker *k = ctx;
	if (k->at >= k->n)
		abort();
	struct gen_part *g = &k->parts[k->at];
	switch (ev) {
	case MP_PART_BEGIN:
		if (strcmp(p->name, g->name) != 0 || p->has_filename != g->has_filename ||
		    (g->has_filename && strcmp(p->filename, g->filename) != 0) ||
		    strcmp(p->content_type, g->has_filename ? "application/octet-stream" : "") != 0)
			abort();
		k->off = 0;
		break;
	case MP_PART_DATA:
		if (k->off + n > g->len || memcmp(g->data + k->off, data, n) != 0)
			abort();
		k->off += n;
		break;
	case MP_PART_END:
		if (k->off != g->len)
			abort();
		k->at++;
		break;
	}
	return true;
}

static void generated(const uint8_t *p, size_t left)
{
	if (left < 2)
		return;
	static const char bchars[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
	size_t blen = 1 + p[0] % MP_BOUNDARY_MAX;
	p++, left--;
	if (left < blen)
		return;
	char boundary[MP_BOUNDARY_MAX + 1];
	for (size_t i = 0; i < blen; i++)
		boundary[i] = bchars[p[i] % (sizeof bchars - 1)];
	if (boundary[blen - 1] == ' ')
		boundary[blen - 1] = '-';
	boundary[blen] = 0;
	p += blen, left -= blen;
	char delim[4 + MP_BOUNDARY_MAX + 1];
	snprintf(delim, sizeof delim, "\r\n--%s", boundary);

	/* Parts: a header byte (name length, whether a file), the name,
	 * then the content up to the next 0xFE 0xFE or the end. */
	struct gen_part parts[8];
	int n = 0;
	while (left >= 2 && n < 8) {
		struct gen_part *g = &parts[n];
		memset(g, 0, sizeof *g);
		size_t nl = 1 + (p[0] & 0x1f);
		g->has_filename = p[0] & 0x80;
		p++, left--;
		if (left < nl)
			break;
		for (size_t i = 0; i < nl; i++) {
			unsigned char ch = p[i];
			g->name[i] = (ch < 0x20 || ch == '"' || ch == 0x7f) ? 'x' : (char)ch;
		}
		g->name[nl] = 0;
		p += nl, left -= nl;
		if (g->has_filename)
			snprintf(g->filename, sizeof g->filename, "C:\\dir\\%s.pdf", g->name);
		const uint8_t *end = p;
		while (end + 1 < p + left && !(end[0] == 0xFE && end[1] == 0xFE))
			end++;
		if (end + 1 >= p + left)
			end = p + left;
		g->data = p;
		g->len = (size_t)(end - p);
		/* A content holding the delimiter is not a valid form. */
		if (g->len >= strlen(delim) &&
		    memmem(g->data, g->len, delim, strlen(delim)))
			return;
		size_t used = g->len + (end < p + left ? 2 : 0);
		p += used, left -= used;
		n++;
	}
	size_t cap = 256;
	for (int i = 0; i < n; i++)
		cap += parts[i].len + 256;
	unsigned char *body = malloc(cap);
	size_t len = 0;
#define PUT(s, l) (memcpy(body + len, (s), (l)), len += (l))
	PUT("preamble, ignored\r\n", 19);
	for (int i = 0; i < n; i++) {
		char h[512];
		int hl = parts[i].has_filename
			? snprintf(h, sizeof h, "--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n",
				   boundary, parts[i].name, parts[i].filename)
			: snprintf(h, sizeof h, "--%s\r\ncontent-disposition:form-data;name=\"%s\"\r\n\r\n",
				   boundary, parts[i].name);
		PUT(h, (size_t)hl);
		PUT(parts[i].data, parts[i].len);
		PUT("\r\n", 2);
	}
	char tail[100];
	int tl = snprintf(tail, sizeof tail, "--%s--\r\nepilogue", boundary);
	PUT(tail, (size_t)tl);
#undef PUT
	char ctype[128];
	snprintf(ctype, sizeof ctype, "multipart/form-data; boundary=\"%s\"", boundary);
	struct cuts c;
	cuts_read(&p, &left, len, &c);
	for (int pass = 0; pass < 2; pass++) {
		struct checker k = {.parts = parts, .n = n};
		struct multipart m;
		if (mp_init(&m, ctype, on_check, &k) != MP_OK)
			abort();
		size_t off = 0;
		if (pass == 0) {
			for (int i = 0; i <= c.n; i++) {
				size_t end = i < c.n ? c.at[i] : len;
				if (mp_feed(&m, body + off, end - off) != MP_OK)
					abort();
				off = end;
			}
		} else {   /* byte by byte */
			for (; off < len; off++)
				if (mp_feed(&m, body + off, 1) != MP_OK)
					abort();
		}
		if (mp_finish(&m) != MP_OK || k.at != n)
			abort();
	}
	same_parse(ctype, body, len, &c);
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	if (data[0] & 1)
		generated(data + 1, size - 1);
	else
		arbitrary(data + 1, size - 1);
	return 0;
}
