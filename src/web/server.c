/*
 * server.c - libmicrohttpd glue: reading requests, routing, access checks,
 * security headers, static assets and the per-thread language.
 *
 * Threading: a pool of --threads event-loop threads (MHD_USE_EPOLL with
 * MHD_OPTION_THREAD_POOL_SIZE; default: one per core), each serving many
 * connections, so a handler blocks its thread's other connections while it
 * waits for the store: briefly, as SQLite reads take microseconds and a
 * write one fsync.  --threads 0 selects MHD_USE_THREAD_PER_CONNECTION.  A
 * request borrows one store connection from the pool while its handler runs
 * (a streamed upload: not while its bytes arrive).  Memory: one arena per
 * connection's request (see arena.h), which also holds the connection's
 * state, created when the request starts and freed when MHD reports it
 * complete; jansson allocates from it too (app/libmem.h).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>

#include "web.h"
#include "app/libmem.h"
#include "html.h"
#include "multipart.h"
#include "report/report.h"

#define MAX_BODY (1024 * 1024)   /* forms and JSON; uploads come later */
#define MAX_PARAMS 64

struct static_file {
	char name[64];
	const char *ctype;
	char *data;
	size_t len;
};

struct server {
	const struct server_config *cfg;
	struct store_pool *pool;
	arena *a;                   /* the server's lifetime: static files */
	struct static_file statics[16];
	int n_statics;
	locale_t loc_nl, loc_en;
	char vault_dir[PATH_MAX];   /* <db dir>/vault */
};

/* Per-connection request state, owned by MHD's con_cls. */
struct conn {
	arena *a;
	sbuf body;
	bool too_big;
	struct req req;
	/* the application's document form: multipart, read with multipart.h
	 * from the buffered body (form_collect) */
	bool doc_form;
	/* a streamed upload route (page_vault.c): its body is never
	 * buffered; up_w holds the answer once one is decided */
	bool streamed, up_begun;
	struct resp up_w;
	/* the multipart form route: the form's parser (multipart.h), fed
	 * each piece as it arrives; the CSRF field comes before the file */
	struct form_upload *form;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* ---- small helpers used by handlers ------------------------------------ */

const char *req_param(const struct req *r, const char *key)
{
	for (int i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].key, key) == 0)
			return r->params[i].value;
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
	}
	return 500;
}

void resp_error(struct req *r, struct resp *w, const struct kv_error *e)
{
	int status = http_status_of(e->status);
	if (r->api) {
		w->status = status;
		w->content_type = "application/json; charset=utf-8";
		w->api_error = true;
		w->err = *e;
		return;
	}
	w->status = status;
	layout_begin(r, w, _("Something went wrong"));
	html_f(&w->body, "<h1>%s</h1><p class=\"error\" role=\"alert\">%s</p>"
		"<p><a href=\"/\">%s</a></p>",
	       status == 404 ? _("Not found") : _("Refused"), e->msg,
	       _("Back to the overview"));
	layout_end(r, w);
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
	return srv && srv->cfg->secure_cookies;
}

char *random_hex32(arena *a)
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	char *hex = arena_alloc(a, 65);
	sodium_bin2hex(hex, 65, b, sizeof b);
	return hex;
}

/* ---- routing ----------------------------------------------------------- */

/* Matches path against pattern; numeric ids go into r->ids. */
static bool route_match(const char *pattern, const char *path, struct req *r)
{
	r->n_ids = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '#') {
			if (*s < '0' || *s > '9')
				return false;
			long long v = 0;
			int digits = 0;
			while (*s >= '0' && *s <= '9') {
				if (++digits > 15)
					return false;
				v = v * 10 + (*s - '0');
				s++;
			}
			if (r->n_ids < 4)
				r->ids[r->n_ids++] = v;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == 0 && *s == 0;
}

static void refuse(struct req *r, struct resp *w, enum kv_status st,
		   const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
}

/* Enforces a route's access rule; false when it has answered already. */
static bool check_access(struct req *r, struct resp *w, enum access acc)
{
	if (acc == ACCESS_ANON)
		return true;
	if (!r->authed) {
		if (r->api) {
			resp_json(r, w, 401, json_pack("{s:{s:i, s:s, s:s}}",
				"error", "status", 401, "field", "",
				"message", _("Log in first.")));
		} else {
			resp_redirect(r, w, "/login");
		}
		return false;
	}
	if (acc == ACCESS_LOGIN)
		return true;
	if (acc == ACCESS_TENANT_BUYER || acc == ACCESS_TENANT_READ) {
		for (int i = 0; i < r->n_grants; i++) {
			const struct grant *g = &r->grants[i];
			if (g->procedure_id != 0 || g->contract_id != 0)
				continue;
			if (g->role == ROLE_BUYER ||
			    (acc == ACCESS_TENANT_READ && g->role == ROLE_COUNCIL)) {
				r->tenant = g->tenant_id;
				r->roles = role_in_tenant(r->grants, r->n_grants, g->tenant_id);
				return true;
			}
		}
		refuse(r, w, KV_DENIED, acc == ACCESS_TENANT_BUYER
		       ? _("Only a municipality's buyers can do this.")
		       : _("Only a municipality's buyers and council members can see this."));
		w->status = 403;
		return false;
	}
	if (acc == ACCESS_CONTRACT_READ || acc == ACCESS_CONTRACT_REPORT ||
	    acc == ACCESS_CONTRACT_BUYER) {
		struct kv_error ce;
		if (r->n_ids < 1 ||
		    STORE(r->st, contract_get, r->ids[0], r->a, &r->contract, &ce) != KV_OK) {
			refuse(r, w, KV_NOT_FOUND, _("There is no such contract."));
			return false;
		}
		r->has_contract = true;
		r->tenant = r->contract.tenant_id;
		r->roles = role_on_contract(r->grants, r->n_grants,
					    r->contract.tenant_id, r->contract.id);
		if (!r->roles) {
			refuse(r, w, KV_NOT_FOUND, _("There is no such contract."));
			return false;
		}
		unsigned need = acc == ACCESS_CONTRACT_READ
					? ROLE_BUYER | ROLE_COUNCIL | ROLE_REPORTER
				: acc == ACCESS_CONTRACT_REPORT ? ROLE_BUYER | ROLE_REPORTER
								: ROLE_BUYER;
		if (!(r->roles & need)) {
			refuse(r, w, KV_DENIED,
			       _("Your role in this contract does not allow this."));
			w->status = 403;
			return false;
		}
		return true;
	}
	/* Procedure routes: ids[0] is the procedure. */
	struct kv_error e;
	if (r->n_ids < 1 ||
	    memo_procedure_get(r, r->ids[0], &r->proc, &e) != KV_OK) {
		refuse(r, w, KV_NOT_FOUND, _("There is no such procedure."));
		return false;
	}
	r->has_proc = true;
	r->roles = role_on_procedure(r->grants, r->n_grants, r->proc.tenant_id,
				     r->proc.id);
	if (!r->roles) {
		/* Not even its existence is shown to outsiders. */
		refuse(r, w, KV_NOT_FOUND, _("There is no such procedure."));
		return false;
	}
	unsigned need = 0;
	switch (acc) {
	case ACCESS_PROC_READ:
		need = ROLE_BUYER | ROLE_ASSESSOR | ROLE_BIDDER | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_INSIDE:
		need = ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_OVERSIGHT:
		need = ROLE_BUYER | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_BUYER:
		need = ROLE_BUYER;
		break;
	case ACCESS_PROC_BIDDER:
		need = ROLE_BIDDER;
		break;
	default:
		break;
	}
	if (!(r->roles & need)) {
		refuse(r, w, KV_DENIED,
		       _("Your role in this procedure does not allow this."));
		w->status = 403;
		return false;
	}
	return true;
}

static void dispatch(struct req *r, struct resp *w)
{
	bool path_known = false;
	for (int i = 0; i < kavel_n_routes; i++) {
		const struct route *rt = &kavel_routes[i];
		if (!route_match(rt->pattern, r->path, r))
			continue;
		path_known = true;
		if (strcmp(rt->method, r->method) != 0)
			continue;
		if (strcmp(r->method, "GET") != 0 && !r->csrf_in_body &&
		    !csrf_ok(r)) {
			refuse(r, w, KV_DENIED,
			       _("This form has expired or did not come from Kavel (CSRF check). Reload the page and try again."));
			w->status = 403;
			return;
		}
		if (check_access(r, w, rt->access))
			rt->fn(r, w);
		return;
	}
	if (path_known) {
		refuse(r, w, KV_INVALID, _("This method is not allowed here."));
		w->status = 405;
		return;
	}
	refuse(r, w, KV_NOT_FOUND, _("This page does not exist."));
}

/* ---- reading the request ----------------------------------------------- */

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	(void)kind;
	struct req *r = cls;
	if (r->n_params >= MAX_PARAMS || !key)
		return MHD_YES;
	r->params[r->n_params].key = arena_strdup(r->a, key);
	r->params[r->n_params].value = arena_strdup(r->a, value ? value : "");
	r->params[r->n_params].len = strlen(r->params[r->n_params].value);
	r->n_params++;
	return MHD_YES;
}

static enum MHD_Result collect_post(void *cls, enum MHD_ValueKind kind,
				    const char *key, const char *filename,
				    const char *content_type,
				    const char *transfer_encoding,
				    const char *data, uint64_t off, size_t size)
{
	(void)kind, (void)content_type, (void)transfer_encoding;
	struct req *r = cls;
	if (!key)
		return MHD_YES;
	/* A value can arrive in pieces: append to the last same key.  A
	 * file part's bytes may hold NULs: copied by length. */
	if (off > 0 && r->n_params > 0 &&
	    strcmp(r->params[r->n_params - 1].key, key) == 0) {
		struct param *p = &r->params[r->n_params - 1];
		char *v = (char *)p->value;
		if (p->len + size + 1 > p->cap) {
			/* doubling: the copies left behind in the arena add
			 * up to less than the final size */
			size_t cap = p->cap * 2 > p->len + size + 1
					     ? p->cap * 2 : p->len + size + 1;
			v = arena_alloc_raw(r->a, cap);
			memcpy(v, p->value, p->len);
			p->cap = cap;
		}
		memcpy(v + p->len, data, size);
		v[p->len + size] = 0;
		p->value = v;
		p->len += size;
		return MHD_YES;
	}
	if (r->n_params >= MAX_PARAMS)
		return MHD_YES;
	char *v = arena_alloc_raw(r->a, size + 1);
	memcpy(v, data, size);
	v[size] = 0;
	r->params[r->n_params] = (struct param){
		.key = arena_strdup(r->a, key), .value = v, .len = size,
		.cap = size + 1, .filename = filename ? arena_strdup(r->a, filename) : NULL};
	r->n_params++;
	return MHD_YES;
}

const struct form_file *req_file(const struct req *r, const char *field)
{
	for (int i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i].field, field) == 0)
			return &r->files[i];
	return NULL;
}

/* A buffered multipart form read with multipart.h: fields go into
 * params (as collect_post does), file parts into r->files with their
 * exact bytes. */
struct collect {
	struct req *r;
	sbuf val;
	struct form_file *file;      /* the file part under way, or NULL */
	bool field;                  /* a field part under way */
	size_t cap;
};

static bool collect_part(void *ctx, enum mp_event ev, const struct mp_part *p,
			 const char *data, size_t n)
{
	struct collect *k = ctx;
	struct req *r = k->r;
	switch (ev) {
	case MP_PART_BEGIN:
		k->file = NULL;
		k->field = false;
		if (p->has_filename && r->n_files < FORM_FILES_MAX) {
			k->file = &r->files[r->n_files++];
			k->file->field = arena_strdup(r->a, p->name);
			k->file->filename = arena_strdup(r->a, p->filename);
			sbuf_init(&k->val, r->a, k->cap);
		} else if (!p->has_filename && r->n_params < MAX_PARAMS) {
			k->field = true;
			sbuf_init(&k->val, r->a, 64 * 1024);
			r->params[r->n_params].key = arena_strdup(r->a, p->name);
			r->params[r->n_params].value = "";
			r->n_params++;
		}
		return true;
	case MP_PART_DATA:
		if (k->file || k->field)
			sbuf_add(&k->val, data, n);   /* capped: the body is */
		if (k->file) {
			k->file->data = (const unsigned char *)k->val.p;
			k->file->len = k->val.len;
		}
		if (k->field)
			r->params[r->n_params - 1].value = sbuf_str(&k->val);
		return true;
	case MP_PART_END:
		if (k->file)
			k->file->complete = !k->val.overflow;
		k->file = NULL;
		k->field = false;
		return true;
	}
	return true;
}

static void form_collect(struct req *r, struct conn *cs)
{
	struct collect k = {.r = r, .cap = cs->body.max + 1};
	struct multipart *m = arena_alloc(r->a, sizeof *m);
	r->body_cut = cs->too_big;
	if (mp_init(m, r->hdr_content_type, collect_part, &k) != MP_OK ||
	    mp_feed(m, cs->body.p ? cs->body.p : "", cs->body.len) != MP_OK ||
	    (!cs->too_big && mp_finish(m) != MP_OK))
		r->form_bad = true;
}

static const char *cookie(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, name);
}

static void add_security_headers(struct MHD_Response *mr, bool cacheable)
{
	MHD_add_response_header(mr, "Content-Security-Policy",
		"default-src 'none'; script-src 'self'; style-src 'self'; "
		"img-src 'self' data:; form-action 'self'; connect-src 'self'; "
		"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(mr, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(mr, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(mr, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(mr, "Cache-Control",
				cacheable ? "public, max-age=3600" : "no-store");
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct resp *w)
{
	if (w->api_error) {
		json_t *j = json_pack("{s:{s:i, s:s, s:s}}", "error", "status",
				      w->status, "field", w->err.field, "message",
				      w->err.msg);
		char text[4096];   /* a message is at most 400 bytes */
		size_t n = json_dumpb(j, text, sizeof text, JSON_COMPACT);
		json_decref(j);
		w->body.len = 0;
		if (n == 0 || n > sizeof text)
			sbuf_puts(&w->body, "{}");
		else
			sbuf_add(&w->body, text, n);
		sbuf_puts(&w->body, "\n");
	}
	/* The body lives in the request's arena, which MHD frees only when
	 * the request is complete (on_completed), after the last byte. */
	struct MHD_Response *mr = MHD_create_response_from_buffer(
		w->body.len, w->body.p ? w->body.p : (char *)"",
		MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	add_security_headers(mr, w->cacheable);
	MHD_add_response_header(mr, "Content-Type",
				w->content_type ? w->content_type
						: "text/html; charset=utf-8");
	for (int i = 0; i < w->n_hdr; i++)
		MHD_add_response_header(mr, w->hdr_key[i], w->hdr_val[i]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)w->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static bool serve_static(struct server *srv, const char *path, struct resp *w)
{
	if (strncmp(path, "/static/", 8) != 0)
		return false;
	for (int i = 0; i < srv->n_statics; i++) {
		if (strcmp(srv->statics[i].name, path + 8) == 0) {
			sbuf_add(&w->body, srv->statics[i].data, srv->statics[i].len);
			w->content_type = srv->statics[i].ctype;
			w->cacheable = true;
			w->status = 200;
			return true;
		}
	}
	return false;
}

/* The request's fields that need no body; false when it is answered
 * already (health check, static asset). */
static bool req_init(struct server *srv, struct MHD_Connection *c,
		     struct conn *cs, const char *url, const char *method,
		     struct resp *w)
{
	struct req *r = &cs->req;
	r->a = cs->a;
	r->srv = srv;
	r->method = method;
	r->path = url;
	r->api = strncmp(url, "/api/", 5) == 0;
	r->params = arena_alloc(r->a, MAX_PARAMS * sizeof *r->params);
	sbuf_init(&w->body, r->a, 64 * 1024 * 1024);
	sbuf_reserve(&w->body, 16 * 1024);   /* most pages fit: no regrowth */
	w->status = 200;

	if (strcmp(url, "/healthz") == 0) {
		sbuf_puts(&w->body, "ok\n");
		w->content_type = "text/plain; charset=utf-8";
		return false;
	}
	if (strcmp(method, "GET") == 0 && serve_static(srv, url, w))
		return false;

	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
	}
	r->remote = arena_strdup(r->a, addr);
	r->cookie_session = cookie(c, "kavel_session");
	r->cookie_csrf = cookie(c, "kavel_csrf");
	r->cookie_lang = cookie(c, "kavel_lang");
	r->header_csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "X-CSRF-Token");
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_param, r);
	r->hdr_content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							  "Content-Type");
	r->hdr_file_name = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "X-File-Name");
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      "Content-Length");
	char *end = NULL;
	r->content_length = len ? strtoll(len, &end, 10) : -1;
	if (len && (end == len || *end))
		r->content_length = -1;
	return true;
}

/* Borrows a store connection and loads the session: the request is ready
 * for the router.  A read-only request (a GET changes nothing) reads one
 * snapshot, in one read transaction, from the session check to the last
 * line of the page; returns whether that transaction is open. */
#ifdef KAVEL_TEST_CLOCK
/* Test builds only (meson -Dtest_clock=true): $KAVEL_TEST_CLOCK_OFFSET
 * seconds added to the clock, read once at start, so end-to-end tests can
 * see a standstill period end.  Release builds have no such hook. */
static kv_instant clock_offset(void)
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
static kv_instant clock_offset(void)
{
	return 0;
}
#endif

kv_instant server_now(void)
{
	return time(NULL) + clock_offset();
}

static bool req_enter(struct server *srv, struct req *r, bool read_only)
{
	r->st = store_pool_acquire(srv->pool);
	r->gen = app_generation();   /* before the first read */
	r->app = (struct app){.st = r->st, .a = r->a, .now = server_now()};
	struct kv_error e;
	bool tx = read_only && store_begin(r->st, false, &e) == KV_OK;
	auth_load(r);
	r->app.actor = r->authed ? r->me.id : 0;
	uselocale(strcmp(r->lang, "en") == 0 ? srv->loc_en : srv->loc_nl);
	return tx;
}

static void req_leave(struct server *srv, struct req *r, bool tx)
{
	if (tx)
		store_rollback(r->st);
	store_pool_release(srv->pool, r->st);
	r->st = NULL;
}

static void handle(struct server *srv, struct MHD_Connection *c,
		   struct conn *cs, const char *url, const char *method,
		   struct resp *w)
{
	struct req *r = &cs->req;
	if (!req_init(srv, c, cs, url, method, w))
		return;
	const char *ctype = r->hdr_content_type;
	bool multipart = ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0;
	/* The document form reads the beginning of a body that is too
	 * large, so its handler can say so next to the field. */
	if (cs->too_big && !(cs->doc_form && multipart)) {
		struct kv_error e;
		kv_fail(&e, KV_INVALID, "", _("The request is larger than %d KiB."),
			MAX_BODY / 1024);
		resp_error(r, w, &e);
		w->status = 413;
		return;
	}
	if (strcmp(method, "GET") != 0 && r->api) {
		if (!ctype || strncmp(ctype, "application/json", 16) != 0) {
			struct kv_error e;
			kv_fail(&e, KV_INVALID, "", _("Send JSON with Content-Type: application/json."));
			resp_error(r, w, &e);
			w->status = 415;
			return;
		}
		json_error_t je;
		r->json = json_loadb(cs->body.p ? cs->body.p : "", cs->body.len,
				     JSON_REJECT_DUPLICATES, &je);
		if (!r->json || !json_is_object(r->json)) {
			struct kv_error e;
			kv_fail(&e, KV_INVALID, "", _("The body is not a JSON object (line %d: %s)."),
				je.line, r->json ? "not an object" : je.text);
			resp_error(r, w, &e);
			w->status = 400;
			return;
		}
	} else if (cs->doc_form && multipart) {
		form_collect(r, cs);
	} else if (strcmp(method, "GET") != 0 && cs->body.len) {
		struct MHD_PostProcessor *pp =
			MHD_create_post_processor(c, 16 * 1024, collect_post, r);
		if (!pp || MHD_post_process(pp, cs->body.p, cs->body.len) != MHD_YES) {
			if (pp)
				MHD_destroy_post_processor(pp);
			struct kv_error e;
			kv_fail(&e, KV_INVALID, "", _("The form could not be read (expected application/x-www-form-urlencoded)."));
			resp_error(r, w, &e);
			w->status = 400;
			return;
		}
		MHD_destroy_post_processor(pp);
	}

	bool tx = req_enter(srv, r, strcmp(method, "GET") == 0);
	dispatch(r, w);
	req_leave(srv, r, tx);
}

/* The upload form's file part (multipart.h): the CSRF field that came
 * before it is checked before the first byte is sealed, then the name,
 * then every piece goes to upload_data. */
static bool form_file_begin(void *ctx, const char *csrf, const char *filename)
{
	struct conn *cs = ctx;
	struct req *r = &cs->req;
	r->header_csrf = csrf;
	if (!csrf_ok(r)) {
		upload_refuse_public(r, &cs->up_w, 403,
			_("This form has expired or did not come from Kavel (CSRF check). Reload the page and try again."));
		return false;
	}
	return upload_set_name(r, &cs->up_w, filename);
}

static bool form_file_data(void *ctx, const char *data, size_t n)
{
	struct conn *cs = ctx;
	return upload_data(&cs->req, &cs->up_w, data, n);
}

static const struct form_sink upload_form_sink = {form_file_begin, form_file_data};

/* A refusal of the upload form after form_upload_feed/finish. */
static void form_refuse(struct req *r, struct resp *w, enum form_result fr)
{
	if (!r->upload)
		return;   /* refused and answered already */
	if (fr == FORM_NO_FILE)
		upload_refuse_public(r, w, 422, _("Choose a file to upload."));
	else if (fr == FORM_TWO_FILES)
		upload_refuse_public(r, w, 400, _("Send one file per form."));
	else if (fr != FORM_OK)
		upload_refuse_public(r, w, 400, _("The form could not be read."));
}

/*
 * A streamed upload.  The router runs when the first bytes arrive (or at
 * the end of an empty body): CSRF, access, then the route's handler,
 * which opens the upload (r->upload) or answers.  The store connection
 * is held only while the router runs and at the end, never while bytes
 * stream in.  Memory: the upload's two chunk buffers, whatever the size
 * (and for the form route its parser, struct form_upload, about 3 KiB).
 */
static enum MHD_Result on_stream(struct server *srv, struct MHD_Connection *c,
				 struct conn *cs, const char *url,
				 const char *method, const char *data,
				 size_t *size)
{
	struct req *r = &cs->req;
	struct resp *w = &cs->up_w;
	libmem_enter(cs->a);
	if (!cs->up_begun) {
		cs->up_begun = true;
		if (req_init(srv, c, cs, url, method, w)) {
			r->csrf_in_body = !r->api;
			req_enter(srv, r, false);
			dispatch(r, w);
			req_leave(srv, r, false);
			if (r->upload && r->csrf_in_body) {
				cs->form = arena_alloc(cs->a, sizeof *cs->form);
				if (form_upload_init(cs->form, r->hdr_content_type, "file",
						     &upload_form_sink, cs) != MP_OK)
					upload_refuse_public(r, w, 415,
						_("Send the form with enctype=\"multipart/form-data\"."));
			}
		}
	}
	if (*size) {
		if (r->upload && cs->form)
			form_refuse(r, w, form_upload_feed(cs->form, data, *size));
		else if (r->upload)
			upload_data(r, w, data, *size);
		*size = 0;
		libmem_leave();
		return MHD_YES;
	}
	if (r->upload && cs->form)
		form_refuse(r, w, form_upload_finish(cs->form));
	if (r->upload) {
		req_enter(srv, r, false);
		upload_finish(r, w);
		req_leave(srv, r, false);
	}
	libmem_leave();
	return send_resp(c, w);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct conn *cs = *con_cls;
	if (!cs) {
		/* The connection's state lives in its own arena: one
		 * arena_free in on_completed releases both. */
		arena *a = arena_new();
		cs = arena_alloc(a, sizeof *cs);
		cs->a = a;
		cs->streamed = upload_route(method, url);
		cs->doc_form = document_form_route(method, url);
		sbuf_init(&cs->body, cs->a, cs->doc_form ? DOCUMENT_FORM_MAX : MAX_BODY);
		*con_cls = cs;
		return MHD_YES;
	}
	if (cs->streamed)
		return on_stream(srv, c, cs, url, method, upload_data,
				 upload_size);
	if (*upload_size) {
		if (!cs->too_big && sbuf_add(&cs->body, upload_data, *upload_size) < 0)
			cs->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	struct resp w = {0};
	libmem_enter(cs->a);
	handle(srv, c, cs, url, method, &w);
	libmem_leave();
	return send_resp(c, &w);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	struct conn *cs = *con_cls;
	if (!cs)
		return;
	if (cs->req.json)
		json_decref(cs->req.json);
	if (cs->req.upload)
		upload_abort(cs->req.upload);
	arena_free(cs->a);	/* cs itself lives there */
	*con_cls = NULL;
}

/* ---- start-up ----------------------------------------------------------- */

static const char *ctype_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0) return "image/svg+xml";
	if (strcmp(dot, ".png") == 0) return "image/png";
	if (strcmp(dot, ".ico") == 0) return "image/x-icon";
	return "application/octet-stream";
}

static void exe_dir(char *out, size_t n)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (len <= 0) {
		snprintf(out, n, ".");
		return;
	}
	buf[len] = 0;
	snprintf(out, n, "%s", dirname(buf));
}

static void load_statics(struct server *srv, const char *dir)
{
	static const char *names[] = {"kavel.css", "kavel.js", "favicon.svg"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[PATH_MAX + 80];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "kavel: static asset %s missing\n", path);
			continue;
		}
		struct static_file *sf = &srv->statics[srv->n_statics];
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		sf->data = arena_alloc_raw(srv->a, len > 0 ? (size_t)len : 1);
		sf->len = len > 0 ? fread(sf->data, 1, (size_t)len, f) : 0;
		fclose(f);
		snprintf(sf->name, sizeof sf->name, "%s", names[i]);
		sf->ctype = ctype_of(names[i]);
		srv->n_statics++;
	}
}

static locale_t load_locale(const char *const *names)
{
	for (; *names; names++) {
		locale_t l = newlocale(LC_ALL_MASK, *names, (locale_t)0);
		if (l)
			return l;
	}
	return newlocale(LC_ALL_MASK, "C", (locale_t)0);
}


/* A kill between a sealed file's rename and its database commit leaves a
 * .kvlt that no submission refers to: never acknowledged, never listed.
 * At start such files move to <vault>/unclaimed/ (kept, not deleted). */
static void sweep_unclaimed_bids(struct store_pool *pool, const char *dir)
{
	struct store *st = store_pool_acquire(pool);
	arena *a = arena_new();
	char **paths = NULL;
	int np = 0;
	struct kv_error e;
	DIR *d = NULL;
	if (STORE(st, submission_paths, a, &paths, &np, &e) != KV_OK) {
		fprintf(stderr, "kavel: sweep: %s\n", e.msg);
		goto out;
	}
	d = opendir(dir);
	if (!d)
		goto out;
	char *unclaimed = arena_printf(a, "%s/unclaimed", dir);
	int moved = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".kvlt") != 0)
			continue;
		bool known = false;
		for (int i = 0; i < np && !known; i++)
			known = paths[i] && strcmp(paths[i], de->d_name) == 0;
		if (known)
			continue;
		if (mkdir(unclaimed, 0700) != 0 && errno != EEXIST)
			break;
		if (rename(arena_printf(a, "%s/%s", dir, de->d_name),
			   arena_printf(a, "%s/%s", unclaimed, de->d_name)) == 0)
			moved++;
	}
	if (moved)
		fprintf(stderr, "kavel: moved %d sealed file(s) no submission refers to into %s\n",
			moved, unclaimed);
out:
	if (d)
		closedir(d);
	arena_free(a);
	store_pool_release(pool, st);
}

/* An upload that was under way when the process died left a tmp-* file:
 * it was never acknowledged and nothing refers to it.  At start, before
 * any upload can begin, they go. */
static void sweep_unfinished_uploads(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "tmp-", 4) == 0 && unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
	closedir(d);
	if (n)
		fprintf(stderr, "kavel: removed %d unfinished upload(s) from %s\n", n, dir);
}

/* Serves until SIGINT/SIGTERM; a is the server's lifetime arena. */
static int serve(const struct server_config *cfg, arena *a)
{
	struct server srv = {.cfg = cfg, .a = a};
	if (clock_offset())   /* read once, before any thread starts */
		fprintf(stderr, "kavel: TEST BUILD: the clock runs %lld s ahead "
			"($KAVEL_TEST_CLOCK_OFFSET)\n", (long long)clock_offset());
	struct kv_error e;
	char dir[PATH_MAX];
	exe_dir(dir, sizeof dir);
	char sdir[PATH_MAX + 16];
	if (cfg->static_dir)
		snprintf(sdir, sizeof sdir, "%s", cfg->static_dir);
	else
		snprintf(sdir, sizeof sdir, "%s/static", dir);
	load_statics(&srv, sdir);
	static const char *nl[] = {"nl_NL.UTF-8", "nl_NL.utf8", "C.UTF-8", NULL};
	static const char *en[] = {"en_US.UTF-8", "en_GB.UTF-8", "C.UTF-8", NULL};
	srv.loc_nl = load_locale(nl);
	srv.loc_en = load_locale(en);

	/* The sealed submissions live beside the database. */
	char dbcopy[PATH_MAX];
	snprintf(dbcopy, sizeof dbcopy, "%s", cfg->db_path);
	snprintf(srv.vault_dir, sizeof srv.vault_dir, "%s/vault",
		 dirname(dbcopy));
	if (mkdir(srv.vault_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "kavel: cannot create %s: %s\n", srv.vault_dir,
			strerror(errno));
		return 1;
	}
	sweep_unfinished_uploads(srv.vault_dir);
	srv.pool = store_pool_open(cfg->db_path, cfg->pool_size > 0 ? cfg->pool_size : 8, &e);
	if (!srv.pool) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	sweep_unclaimed_bids(srv.pool, srv.vault_dir);
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)cfg->port)};
	if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "kavel: cannot listen on '%s': not an IPv4 address\n",
			cfg->listen_addr);
		store_pool_close(srv.pool);
		return 1;
	}
	/* A pool of event-loop threads, each serving many connections.
	 * Handlers block only on SQLite, whose reads take microseconds and
	 * whose writes wait for one fsync; threads = 0 chooses one thread per
	 * connection instead. */
	unsigned flags = MHD_USE_ERROR_LOG | MHD_USE_INTERNAL_POLLING_THREAD;
	unsigned pool = cfg->threads > 0 ? (unsigned)cfg->threads : 0;
	if (pool)
		flags |= MHD_USE_EPOLL | MHD_USE_TURBO;
	else
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, &srv,
		MHD_OPTION_THREAD_POOL_SIZE, pool ? pool : 1u,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)500,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kavel: cannot listen on %s:%d: %s\n",
			cfg->listen_addr, cfg->port, strerror(errno));
		store_pool_close(srv.pool);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("Kavel listens on http://%s:%d/\n", cfg->listen_addr, cfg->port);
	fflush(stdout);
	while (!stop_flag)
		pause();
	MHD_stop_daemon(d);
	report_shutdown();
	memo_clear();
	store_pool_close(srv.pool);
	freelocale(srv.loc_nl);
	freelocale(srv.loc_en);
	return 0;
}

int server_run(const struct server_config *cfg)
{
	arena *a = arena_new();
	int rc = serve(cfg, a);
	arena_free(a);
	return rc;
}
