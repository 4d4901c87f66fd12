/*
 * request.c - what every handler uses to read its request and write its
 * answer: parameters, files, the CSRF check, responses, refusals, the
 * server clock.
 *
 * It sits below everything else in src/web and calls nothing above it
 * (no router, no page, no libmicrohttpd): a refusal is only recorded here
 * (resp_error) and drawn as a page or as JSON by the router once the
 * handler is done (router.c), so the pages, the layout and this file do
 * not call each other in a circle.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

const char *req_param(const struct req *r, const char *key)
{
	for (int i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].key, key) == 0)
			return r->params[i].value;
	return NULL;
}

const struct form_file *req_file(const struct req *r, const char *field)
{
	for (int i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i].field, field) == 0)
			return &r->files[i];
	return NULL;
}

void resp_header(struct resp *w, const char *k, const char *v)
{
	if (w->n_hdr < 8) {
		w->hdr_key[w->n_hdr] = k;
		w->hdr_val[w->n_hdr] = v;
		w->n_hdr++;
	}
}

const char *resp_disposition(arena *a, const char *name, bool inline_)
{
	static const char keep[] = "!#$&+-.^_`|~";
	static const char hexd[] = "0123456789ABCDEF";
	const char *head = inline_ ? "inline; filename*=UTF-8''"
				   : "attachment; filename*=UTF-8''";
	size_t hn = strlen(head), n = strlen(name);
	char *out = arena_alloc(a, hn + n * 3 + 1), *o = out;
	memcpy(o, head, hn);
	o += hn;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(keep, c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hexd[c >> 4];
			*o++ = hexd[c & 15];
		}
	}
	*o = 0;
	return out;
}

void resp_stream(struct resp *w, long (*read)(void *ctx, unsigned char *out, size_t max),
		 void (*done)(void *ctx), void *ctx, uint64_t size)
{
	w->stream_read = read;
	w->stream_done = done;
	w->stream_ctx = ctx;
	w->stream_size = size;
}

void resp_redirect(struct req *r, struct resp *w, const char *to)
{
	(void)r;
	w->status = 303;
	resp_header(w, "Location", to);
}

void resp_json(struct req *r, struct resp *w, int status, json_t *j)
{
	w->status = status;
	w->content_type = "application/json; charset=utf-8";
	/* Straight into the page buffer; a second pass only when it is too
	 * small (json_dumpb says how much it needs). */
	size_t room = w->body.cap > w->body.len + 1 ? w->body.cap - w->body.len - 1 : 0;
	size_t n = j ? json_dumpb(j, w->body.p ? w->body.p + w->body.len : NULL,
				  w->body.p ? room : 0, JSON_COMPACT) : 0;
	if (n > room && sbuf_reserve(&w->body, n + 2) == 0)
		n = json_dumpb(j, w->body.p + w->body.len, n, JSON_COMPACT);
	if (!j || n == 0 || w->body.len + n + 1 > w->body.cap) {
		sbuf_puts(&w->body, "null\n");
	} else {
		w->body.len += n;
		w->body.p[w->body.len] = 0;
		sbuf_puts(&w->body, "\n");
	}
	json_decref(j);
	(void)r;
}

int http_status_of(enum kv_status s)
{
	switch (s) {
	case KV_OK: return 200;
	case KV_INVALID: return 422;
	case KV_NOT_FOUND: return 404;
	case KV_DENIED: return 409;
	case KV_CONFLICT: return 409;
	case KV_IO: return 500;
	case KV_FULL: return 507;
	}
	return 500;
}

void resp_error(struct req *r, struct resp *w, const struct kv_error *e)
{
	w->status = http_status_of(e->status);
	w->err = *e;
	if (r->api) {
		w->content_type = "application/json; charset=utf-8";
		w->api_error = true;
	} else {
		w->content_type = NULL;   /* the page's */
		w->error_page = true;
	}
}

void resp_reset(struct resp *w)
{
	w->body.len = 0;
	if (w->body.p)
		w->body.p[0] = 0;
	w->n_hdr = 0;
	w->content_type = NULL;
	w->api_error = false;
	w->error_page = false;
	resp_stream_drop(w);
}

void resp_stream_drop(struct resp *w)
{
	if (w->stream_read && w->stream_done)
		w->stream_done(w->stream_ctx);
	w->stream_read = NULL;
	w->stream_done = NULL;
	w->stream_ctx = NULL;
}

bool csrf_ok(struct req *r)
{
	/* An anonymous API call (log in) is protected by its JSON content
	 * type, which no cross-site form can send without a preflight. */
	if (r->api && !r->authed)
		return true;
	const char *given = r->header_csrf ? r->header_csrf
					   : req_param(r, "csrf");
	const char *want = r->authed ? r->sess.csrf : r->cookie_csrf;
	if (!given || !want || !*want)
		return false;
	size_t n = strlen(want);
	if (strlen(given) != n)
		return false;
	return sodium_memcmp(given, want, n) == 0;
}

const char *server_vault_dir(const struct server *srv)
{
	return srv->vault_dir;
}

bool server_secure_cookies(const struct server *srv)
{
	return srv && srv->secure_cookies;
}

const struct mail_config *server_mail(const struct server *srv)
{
	return srv ? srv->mail : NULL;
}

const char *server_base_url(const struct server *srv)
{
	return srv && srv->base_url ? srv->base_url : "";
}

char *random_hex32(arena *a)
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	char *hex = arena_alloc(a, 65);
	sodium_bin2hex(hex, 65, b, sizeof b);
	return hex;
}

#ifdef KAVEL_TEST_CLOCK
/* Test builds only (meson -Dtest_clock=true): $KAVEL_TEST_CLOCK_OFFSET
 * seconds added to the clock, read once (server.c asks before any
 * thread starts), so end-to-end tests can see a standstill period end.
 * Release builds have no such hook. */
kv_instant server_clock_offset(void)
{
	static kv_instant off = -1;
	if (off < 0) {
		const char *v = getenv("KAVEL_TEST_CLOCK_OFFSET");
		off = v ? strtoll(v, NULL, 10) : 0;
		if (off < 0)
			off = 0;
	}
	return off;
}
#else
kv_instant server_clock_offset(void)
{
	return 0;
}
#endif

kv_instant server_now(void)
{
	return time(NULL) + server_clock_offset();
}
