/*
 * server.c - the libmicrohttpd glue: the daemon and its threads, the two
 * request callbacks, the request's fields from the connection, sending
 * the response with its security headers, and start-up.
 *
 * What happens elsewhere: the route table (routes.c) and the router
 * (router.c: matching, the access check, the handler); reading the body
 * (body.c); the static assets (static.c); the vault directory and its
 * start-up sweeps (vault/vault_dir.h, app/upload.h); the handlers' helpers
 * (request.c).
 *
 * Threading, as it is.  MHD_USE_INTERNAL_POLLING_THREAD with MHD_USE_EPOLL
 * and MHD_OPTION_THREAD_POOL_SIZE = --threads (default: one per core):
 * libmicrohttpd starts that many threads, each with its own epoll loop,
 * which take turns accepting on the one listening socket; a connection
 * stays on the thread that accepted it, and every callback for it
 * (on_request for each piece of the request, on_completed at its end) runs
 * there.  So a handler runs on its connection's event-loop thread and holds
 * up that thread's other connections while it works: briefly, as it waits
 * only for SQLite (reads take microseconds, a write one fsync) or for
 * argon2id for a vault passphrase (about a second).  A login's argon2id
 * runs on the hash pool instead (hashpool.h, check_password below).  --threads 0
 * selects MHD_USE_THREAD_PER_CONNECTION instead: one thread per connection,
 * and one more that accepts.  Our only threads are the hash pool's;
 * main() waits in pause() for SIGINT or SIGTERM.
 *
 * What the threads share, and its locks:
 *   - the store pool (store/pool.c, through app_pool_*): a mutex and a
 *     condition variable; a request borrows one connection while its handler runs (a streamed
 *     upload: while it is routed and while it is finished, never while its
 *     bytes arrive) and waits when all --pool connections are lent;
 *     SQLite itself lets one write transaction run at a time (WAL, a busy
 *     timeout of 5 s) with synchronous=FULL;
 *   - the memos of memo.c (procedures, rendered bodies): one mutex;
 *   - auth.c's login limits and its memo of sessions: a mutex each;
 *   - the hash pool's queue and its jobs' answers: a mutex (hashpool.c);
 *   - app_generation(), the count of committed changes that tells a memo
 *     it is stale: an atomic counter (app.c);
 *   - the static assets, the locales and struct server: written at start,
 *     before the daemon runs, then only read.
 * Per thread: the locale of the request being served (uselocale, set
 * whenever one of its requests is worked on) and libmem's arena (JSON
 * values go to the request's arena between libmem_enter and leave).
 *
 * Memory: one arena per connection's request (see arena.h), which also
 * holds the connection's state, made when the request starts and freed
 * when libmicrohttpd reports it complete (on_completed), after the last
 * byte of the answer has gone.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "web.h"
#include "guard.h"
#include "hashpool.h"
#include "mail/mail.h"
#include "app/libmem.h"
#include "app/upload.h"
#include "body.h"
#include "report/report.h"
#include "router.h"
#include "static.h"
#include "vault/space.h"
#include "vault/vault_dir.h"

#define PROXIES_MAX 16

/* The server's state; handlers see only its public part, srv. */
struct glue {
	struct server srv;
	const struct server_config *cfg;
	struct store_pool *pool;
	arena *a;                   /* the server's lifetime: static files */
	struct statics statics;
	locale_t loc_nl, loc_en;
	char vault_dir[VAULT_PATH_MAX];
	struct guard *guard;        /* connections counted, late headers cut */
	struct hashpool *hashes;    /* the password checks (hashpool.h) */
	bool suspendable;           /* event loops: a login's connection waits
				       suspended for its check */
	/* --trusted-proxy, each in inet_ntop's form */
	char proxies[PROXIES_MAX][INET6_ADDRSTRLEN];
	int n_proxies;
};

/* Per-connection request state, owned by MHD's con_cls, in its arena. */
struct conn {
	arena *a;
	struct route_match match;   /* the route, known before the body */
	struct body body;
	struct req req;
	/* a streamed body: the answer, kept across the callbacks */
	bool begun;
	struct resp w;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* ---- the request from the connection ------------------------------------- */

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	(void)kind;
	struct req *r = cls;
	/* A CSRF token counts only from the X-CSRF-Token header or a form
	 * body, never from the URL, where it would land in logs, history
	 * and Referer headers (request.c csrf_ok). */
	if (!key || strcmp(key, "csrf") == 0)
		return MHD_YES;
	const char *v = arena_strdup(r->a, value ? value : "");
	req_param_add(r, arena_strdup(r->a, key), v, strlen(v), NULL);
	return MHD_YES;
}

static const char *cookie(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, name);
}

static void use_locale(struct glue *g, const struct req *r)
{
	uselocale(r->lang && strcmp(r->lang, "en") == 0 ? g->loc_en : g->loc_nl);
}

/* ---- the client's address, behind a trusted proxy ------------------------ */

/* The n bytes at s (spaces around them ignored) as one IP address in
 * inet_ntop's form; false when they are not one. */
static bool ip_normal(const char *s, size_t n, char out[INET6_ADDRSTRLEN])
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char buf[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	unsigned char bin[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

/* The addresses of list into out; their number, or -1 when one is not
 * an address or there are more than PROXIES_MAX. */
static int proxies_parse(const char *list, char out[][INET6_ADDRSTRLEN])
{
	int n = 0;
	for (const char *p = list;; ) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (n == PROXIES_MAX || !ip_normal(p, len, out[n]))
			return -1;
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

bool server_trusted_proxies_ok(const char *list)
{
	char tmp[PROXIES_MAX][INET6_ADDRSTRLEN];
	return list && proxies_parse(list, tmp) > 0;
}

static bool is_proxy(const struct glue *g, const char *addr)
{
	for (int i = 0; i < g->n_proxies; i++)
		if (strcmp(g->proxies[i], addr) == 0)
			return true;
	return false;
}

/* The client of a request that came through a trusted proxy: in
 * X-Forwarded-For, which each proxy extends with the address it was
 * reached from, the last address that is no trusted proxy.  Whatever
 * stands left of it the client wrote itself and is not believed.  No
 * header, or an entry that is no address where one is needed: the peer. */
static const char *forwarded_client(const struct glue *g, struct MHD_Connection *c,
				    arena *a, const char *peer)
{
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      "X-Forwarded-For");
	if (!xff)
		return peer;
	size_t end = strlen(xff);
	for (;;) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		char addr[INET6_ADDRSTRLEN];
		if (!ip_normal(xff + start, end - start, addr))
			return peer;
		if (!is_proxy(g, addr))
			return arena_strdup(a, addr);
		if (start == 0)
			return peer;   /* proxies all the way */
		end = start - 1;
	}
}

/* An empty answer of 200 whose body grows in r's arena. */
static void resp_begin(struct req *r, struct resp *w)
{
	*w = (struct resp){.status = 200};
	sbuf_init(&w->body, r->a, 64 * 1024 * 1024);
	sbuf_reserve(&w->body, 16 * 1024);   /* most pages fit: no regrowth */
}

/* The request's fields that need no body; false when it is answered
 * already (health check, static asset). */
static bool req_init(struct glue *g, struct MHD_Connection *c,
		     struct conn *cs, const char *url, const char *method,
		     struct resp *w)
{
	struct req *r = &cs->req;
	r->a = cs->a;
	r->srv = &g->srv;
	r->method = method;
	r->path = url;
	r->api = strncmp(url, "/api/", 5) == 0;
	resp_begin(r, w);

	if (strcmp(url, "/healthz") == 0) {
		sbuf_puts(&w->body, "ok\n");
		w->content_type = "text/plain; charset=utf-8";
		return false;
	}
	if (strcmp(method, "GET") == 0 && static_serve(&g->statics, url, w))
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
	if (g->n_proxies && is_proxy(g, addr))
		r->remote = forwarded_client(g, c, r->a, r->remote);
	r->cookie_session = cookie(c, "kavel_session");
	r->cookie_device = cookie(c, "kavel_device");
	r->cookie_csrf = cookie(c, "kavel_csrf");
	r->cookie_lang = cookie(c, "kavel_lang");
	/* The cookie's language until the session says otherwise
	 * (auth_load), so that a body refused before routing is answered
	 * in it. */
	r->lang = r->cookie_lang && strcmp(r->cookie_lang, "en") == 0 ? "en" : "nl";
	use_locale(g, r);
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
static bool req_enter(struct glue *g, struct req *r, bool read_only)
{
	r->st = app_pool_acquire(g->pool);
	r->gen = app_generation();   /* before the first read */
	r->app = (struct app){.st = r->st, .a = r->a, .now = server_now(), .gen = r->gen};
	bool tx = read_only && app_read_begin(r->st);
	auth_load(r);
	r->app.actor = r->authed ? r->me.id : 0;
	use_locale(g, r);
	return tx;
}

static void req_leave(struct glue *g, struct req *r, bool tx)
{
	if (tx)
		app_read_end(r->st);
	app_pool_release(g->pool, r->st);
	r->st = NULL;
}

/* ---- the response ----------------------------------------------------------- */

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

/* A streamed body (resp_stream): its reader and its end, held in a small
 * block of our own (malloc: MHD may free the response after the request's
 * arena), freed with the stream by MHD's free callback. */
struct stream {
	long (*read)(void *ctx, unsigned char *out, size_t max);
	void (*done)(void *ctx);
	void *ctx;
};

static ssize_t stream_next(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	long n = s->read(s->ctx, (unsigned char *)buf, max);
	if (n > 0)
		return (ssize_t)n;
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
		      : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	if (s->done)
		s->done(s->ctx);
	free(s);   /* checksrc: allow MEMORY MHD frees a response after the request's arena */
}

/* The response of w's stream; the stream is the response's from here
 * (w forgets it), also when no response can be made. */
static struct MHD_Response *stream_response(struct resp *w)
{
	struct stream *s = malloc(sizeof *s);   /* checksrc: allow MEMORY see stream_free */
	if (!s) {
		resp_stream_drop(w);
		return NULL;
	}
	*s = (struct stream){w->stream_read, w->stream_done, w->stream_ctx};
	w->stream_read = NULL;
	w->stream_done = NULL;
	w->stream_ctx = NULL;
	struct MHD_Response *mr = MHD_create_response_from_callback(
		w->stream_size, 64 * 1024, stream_next, s, stream_free);
	if (!mr)
		stream_free(s);
	return mr;
}

/* Draws a refusal not drawn yet, then queues w. */
static enum MHD_Result send_resp(struct glue *g, struct MHD_Connection *c,
				 struct req *r, struct resp *w)
{
	if (w->api_error || w->error_page) {
		use_locale(g, r);
		router_answer(r, w);
	}
	struct MHD_Response *mr;
	if (w->api_error || w->error_page)
		resp_stream_drop(w);
	if (w->stream_read) {
		mr = stream_response(w);
	} else {
		/* The body lives in the request's arena, which MHD frees only
		 * when the request is complete (on_completed), after the last
		 * byte. */
		mr = MHD_create_response_from_buffer(
			w->body.len, w->body.p ? w->body.p : (char *)"",
			MHD_RESPMEM_PERSISTENT);
	}
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

/* ---- the callbacks ------------------------------------------------------------ */

/* A buffered body has arrived whole: read it, route it. */
static void handle(struct glue *g, struct MHD_Connection *c, struct conn *cs,
		   const char *url, const char *method, struct resp *w)
{
	struct req *r = &cs->req;
	if (!req_init(g, c, cs, url, method, w))
		return;
	if (!body_parse(&cs->body, r, w))
		return;
	bool tx = req_enter(g, r, strcmp(method, "GET") == 0 &&
				     !(cs->match.rt && (cs->match.rt->faces & GET_WRITES)));
	router_dispatch(r, w, &cs->match);
	req_leave(g, r, tx);
}

/*
 * A password check the handler asked for (r->hash_job, see auth.c).  On
 * event loops the connection is suspended while a worker of the hash pool
 * checks it, and libmicrohttpd calls on_request again once the worker has
 * resumed it (handle_checked then answers); true when that is so.  With a
 * thread per connection the check is waited for here, which holds up no
 * other connection; so is a check the pool's full queue refused, which
 * handle_checked answers with a 503.
 */
static void conn_park(void *ctx) { MHD_suspend_connection(ctx); }
static void conn_wake(void *ctx) { MHD_resume_connection(ctx); }

static bool check_password(struct glue *g, struct MHD_Connection *c, struct req *r)
{
	if (g->suspendable)
		return hashpool_submit(g->hashes, r->hash_job, conn_park, conn_wake, c);
	hashpool_run(g->hashes, r->hash_job);
	return false;
}

/* The password check is answered: the handler's second half, r->then,
 * with the store at hand again, answers afresh. */
static void handle_checked(struct glue *g, struct conn *cs, struct resp *w)
{
	struct req *r = &cs->req;
	resp_begin(r, w);
	use_locale(g, r);
	bool tx = req_enter(g, r, false);
	void (*then)(struct req *, struct resp *) = r->then;
	r->then = NULL;
	then(r, w);
	req_leave(g, r, tx);
}

/*
 * A streamed body.  The router runs when the first bytes arrive (or at
 * the end of an empty body): CSRF (for the API; a form's comes in the
 * body), access, then the route's handler, which sets r->sink or
 * answers.  Every piece then goes to the body reader and from it to the
 * sink; after the last, the sink finishes.  The store connection is held
 * only while the router runs and at the end, never while bytes stream in.
 */
static enum MHD_Result on_stream(struct glue *g, struct MHD_Connection *c,
				 struct conn *cs, const char *url,
				 const char *method, const char *data,
				 size_t *size)
{
	struct req *r = &cs->req;
	struct resp *w = &cs->w;
	libmem_enter(cs->a);
	if (!cs->begun) {
		cs->begun = true;
		if (req_init(g, c, cs, url, method, w)) {
			r->csrf_in_body = cs->body.kind == READ_STREAM_FORM;
			bool tx = req_enter(g, r, false);
			router_dispatch(r, w, &cs->match);
			req_leave(g, r, tx);
			body_stream_open(&cs->body, r, w);
		}
	} else if (r->lang) {
		use_locale(g, r);   /* the thread may have served others */
	}
	if (*size) {
		body_stream_feed(&cs->body, data, *size);
		*size = 0;
		libmem_leave();
		return MHD_YES;
	}
	body_stream_end(&cs->body);
	if (r->sink) {
		bool tx = req_enter(g, r, false);
		r->sink->finish(r, w);
		req_leave(g, r, tx);
	}
	enum MHD_Result ret = send_resp(g, c, r, w);
	libmem_leave();
	return ret;
}

/* ---- connections: the guard (guard.h) ------------------------------------- */

static struct guard_slot *slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct glue *g = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? guard_connect(g->guard, ci->connect_fd) : NULL;
	} else {
		guard_close(g->guard, *socket_context);
		*socket_context = NULL;
	}
}

/* More connections are open than --max-connections: a short answer that
 * says so, and the connection is closed after it. */
static enum MHD_Result answer_busy(struct MHD_Connection *c)
{
	static const char text[] =
		"Kavel is op dit moment te druk. Probeer het over een minuut opnieuw.\n"
		"Kavel is too busy at the moment. Please try again in a minute.\n";
	struct MHD_Response *mr = MHD_create_response_from_buffer(
		sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	add_security_headers(mr, false);
	MHD_add_response_header(mr, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(mr, "Retry-After", "60");
	MHD_add_response_header(mr, "Connection", "close");
	enum MHD_Result ret = MHD_queue_response(c, 503, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct glue *g = cls;
	struct conn *cs = *con_cls;
	if (!cs) {
		/* The headers are all here: the guard stops the clock. */
		guard_headers_done(g->guard, slot_of(c));
		if (guard_active(g->guard) > g->cfg->max_connections)
			return answer_busy(c);
		/* The connection's state lives in its own arena: one
		 * arena_free in on_completed releases both.  The route is
		 * known now, before the body: it says how to read it. */
		arena *a = arena_new();
		cs = arena_alloc(a, sizeof *cs);
		cs->a = a;
		router_lookup(method, url, &cs->match);
		body_init(&cs->body, a, router_body_read(&cs->match, method, url));
		*con_cls = cs;
		return MHD_YES;
	}
	if (body_streamed(&cs->body))
		return on_stream(g, c, cs, url, method, upload_data,
				 upload_size);
	if (*upload_size) {
		body_add(&cs->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	struct resp w = {0};
	libmem_enter(cs->a);
	if (cs->req.then) {
		/* resumed: the password check is answered */
		handle_checked(g, cs, &w);
	} else {
		handle(g, c, cs, url, method, &w);
		if (cs->req.hash_job && cs->req.then) {
			if (check_password(g, c, &cs->req)) {
				libmem_leave();
				return MHD_YES;   /* suspended until answered */
			}
			handle_checked(g, cs, &w);
		}
	}
	enum MHD_Result ret = send_resp(g, c, &cs->req, &w);
	libmem_leave();
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct glue *g = cls;
	/* The next request's headers are awaited from now. */
	guard_request_done(g->guard, slot_of(c));
	struct conn *cs = *con_cls;
	if (!cs)
		return;
	if (cs->req.json)
		json_decref(cs->req.json);
	/* A streamed upload the connection broke off (or one that never
	 * got its end): its temporary file goes. */
	if (cs->req.sink)
		cs->req.sink->abort(&cs->req);
	arena_free(cs->a);	/* cs itself lives there */
	*con_cls = NULL;
}

/* ---- start-up --------------------------------------------------------------- */

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

static locale_t load_locale(const char *const *names)
{
	for (; *names; names++) {
		locale_t l = newlocale(LC_ALL_MASK, *names, (locale_t)0);
		if (l)
			return l;
	}
	return newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The vault directory's start-up sweeps (vault/vault_dir.h), before the
 * daemon takes its first upload.  An upload under way when the process
 * died left a tmp-* file, never acknowledged: removed.  A kill between a
 * sealed file's rename and its database commit left a .kvlt no
 * submission refers to, never acknowledged either: moved to unclaimed/
 * (kept, not deleted). */
static void sweep_vault(struct glue *g)
{
	int n = vault_sweep_unfinished(g->vault_dir);
	if (n > 0)
		fprintf(stderr, "kavel: removed %d unfinished upload(s) from %s\n",
			n, g->vault_dir);
	struct store *st = app_pool_acquire(g->pool);
	arena *a = arena_new();
	struct app x = {.st = st, .a = a, .now = server_now()};
	struct kv_error e;
	int moved = 0;
	if (app_vault_sweep(&x, g->vault_dir, &moved, &e) != KV_OK)
		fprintf(stderr, "kavel: sweep: %s\n", e.msg);
	else if (moved > 0)
		fprintf(stderr, "kavel: moved %d sealed file(s) no submission refers to into %s/unclaimed\n",
			moved, g->vault_dir);
	arena_free(a);
	app_pool_release(g->pool, st);
}

/* Serves until SIGINT/SIGTERM; a is the server's lifetime arena. */
static int serve(const struct server_config *cfg, arena *a)
{
	struct glue g = {.cfg = cfg, .a = a};
	if (server_clock_offset())   /* read once, before any thread starts */
		fprintf(stderr, "kavel: TEST BUILD: the clock runs %lld s ahead "
			"($KAVEL_TEST_CLOCK_OFFSET)\n", (long long)server_clock_offset());
	struct kv_error e;
	char dir[PATH_MAX];
	exe_dir(dir, sizeof dir);
	char sdir[PATH_MAX + 16];
	if (cfg->static_dir)
		snprintf(sdir, sizeof sdir, "%s", cfg->static_dir);
	else
		snprintf(sdir, sizeof sdir, "%s/static", dir);
	static_load(&g.statics, a, sdir);
	static const char *nl[] = {"nl_NL.UTF-8", "nl_NL.utf8", "C.UTF-8", NULL};
	static const char *en[] = {"en_US.UTF-8", "en_GB.UTF-8", "C.UTF-8", NULL};
	g.loc_nl = load_locale(nl);
	g.loc_en = load_locale(en);

	/* The sealed submissions live beside the database. */
	if (!vault_dir_prepare(cfg->db_path, g.vault_dir, sizeof g.vault_dir)) {
		fprintf(stderr, "kavel: cannot create %s: %s\n", g.vault_dir,
			strerror(errno));
		return 1;
	}
	static struct mail_config mail;
	mail = (struct mail_config){.url = cfg->smtp_url, .from = cfg->smtp_from,
				    .user = cfg->smtp_user,
				    .password = getenv("KAVEL_SMTP_PASSWORD")};
	if (cfg->smtp_url)
		mail_init();
	g.srv = (struct server){.vault_dir = g.vault_dir,
				.secure_cookies = cfg->secure_cookies,
				.mail = cfg->smtp_url ? &mail : NULL,
				.base_url = cfg->base_url};
	g.pool = app_pool_open(cfg->db_path, cfg->pool_size > 0 ? cfg->pool_size : 8, &e);
	if (!g.pool) {
		fprintf(stderr, "kavel: %s\n", e.msg);
		return 1;
	}
	sweep_vault(&g);
	/* The floor and the reserve (vault/space.h), the reserve kept once a
	 * second by the guard's sweeper from here on. */
	space_configure(g.vault_dir, (int64_t)cfg->min_free_mb << 20,
			(int64_t)cfg->reserve_mb << 20);
	app_space_watch();
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)cfg->port)};
	if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "kavel: cannot listen on '%s': not an IPv4 address\n",
			cfg->listen_addr);
		app_pool_close(g.pool);
		return 1;
	}
	if (cfg->trusted_proxies) {
		g.n_proxies = proxies_parse(cfg->trusted_proxies, g.proxies);
		if (g.n_proxies < 0) {
			fprintf(stderr, "kavel: --trusted-proxy: not a list of addresses\n");
			app_pool_close(g.pool);
			return 1;
		}
	}
	/* The threads: see the top of this file. */
	unsigned flags = MHD_USE_ERROR_LOG | MHD_USE_INTERNAL_POLLING_THREAD;
	unsigned pool = cfg->threads > 0 ? (unsigned)cfg->threads : 0;
	if (pool)
		flags |= MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
	else
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	g.suspendable = pool > 0;
	/* At most 64 logins wait for their check: at ~150 ms each on one
	 * worker, the last waits about ten seconds; more get a 503. */
	g.hashes = hashpool_start(cfg->hash_workers, 64);
	if (!g.hashes) {
		fprintf(stderr, "kavel: cannot start the password-check threads\n");
		app_pool_close(g.pool);
		return 1;
	}
	/* libmicrohttpd's own limit lies a little above --max-connections, so
	 * that the connections past ours get their 503 (answer_busy) instead
	 * of being dropped unanswered; beyond that it refuses them. */
	unsigned hard = (unsigned)cfg->max_connections + 64;
	g.guard = guard_open(a, (int)hard, cfg->header_deadline, app_space_watch);
	if (!g.guard) {
		fprintf(stderr, "kavel: cannot start the connection guard\n");
		hashpool_free(g.hashes);
		app_pool_close(g.pool);
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, &g,
		MHD_OPTION_THREAD_POOL_SIZE, pool ? pool : 1u,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &g,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &g,
		MHD_OPTION_CONNECTION_LIMIT, hard,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->max_per_address,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kavel: cannot listen on %s:%d: %s\n",
			cfg->listen_addr, cfg->port, strerror(errno));
		guard_stop(g.guard);
		hashpool_free(g.hashes);
		app_pool_close(g.pool);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("Kavel listens on http://%s:%d/\n", cfg->listen_addr, cfg->port);
	fflush(stdout);
	while (!stop_flag)
		pause();
	/* Every suspended connection is resumed before the daemon stops
	 * (libmicrohttpd requires it): the queued checks answered as
	 * cancelled, the running ones finished. */
	hashpool_stop(g.hashes);
	MHD_stop_daemon(d);
	hashpool_free(g.hashes);
	guard_stop(g.guard);
	report_shutdown();
	memo_clear();
	app_pool_close(g.pool);
	freelocale(g.loc_nl);
	freelocale(g.loc_en);
	return 0;
}

int server_run(const struct server_config *cfg)
{
	arena *a = arena_new();
	int rc = serve(cfg, a);
	arena_free(a);
	return rc;
}
