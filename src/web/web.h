/*
 * web.h - the HTTP layer: requests, responses, routes and who may use them.
 *
 * A thin layer around libmicrohttpd (server.c: the daemon, its threads
 * and what runs on them are described at its top).  Each request gets an
 * arena (core/arena.h) that lives until the response is sent; handlers
 * allocate only from req->a.  Handlers never check roles themselves:
 * every action is one row of the table in routes.c, declaring its method,
 * path, access rule, body kind and faces (HTML, /api/v1, both), and the
 * router (router.c) reads the body as the row says (body.c), enforces the
 * access rule and only then runs the handler.
 */
#ifndef KAVEL_WEB_H
#define KAVEL_WEB_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "core/arena.h"

/* What a handler may read of the server it runs in, fixed at start
 * (server.c fills it). */
struct mail_config;

struct server {
	const char *vault_dir;     /* <db dir>/vault (vault/vault_dir.h) */
	bool secure_cookies;       /* --secure-cookies: behind TLS */
	const struct mail_config *mail;   /* --smtp-url, or NULL: no mail */
	const char *base_url;      /* --base-url: links in e-mail */
};

struct body_sink;                /* below */
struct app_upload;               /* app/upload.h */

struct param {
	const char *key, *value;  /* value: NUL-terminated, may hold NULs */
	size_t len;               /* bytes of value (a file part's too) */
	const char *filename;     /* a multipart file part's name, or NULL */
};

/* A file part of a buffered multipart form (body.c), its bytes whole
 * unless the body was cut at its size cap (complete false). */
struct form_file {
	const char *field;         /* the part's name */
	const char *filename;      /* as the browser sent it */
	const unsigned char *data;
	size_t len;
	bool complete;
};
#define FORM_FILES_MAX 4

struct hash_job;       /* hashpool.h */
struct auth_pending;   /* auth.c */
struct resp;

struct req {
	arena *a;
	struct server *srv;
	struct store *st;
	struct app app;            /* st, a, now, actor */
	uint64_t gen;              /* app_generation() before the store was
				      first read for this request */
	const char *method;
	const char *path;
	const char *remote;        /* client address (the peer's, or behind a
				      --trusted-proxy its X-Forwarded-For) */
	int64_t ids[4];            /* numeric path segments, in order */
	int n_ids;
	struct param *params;      /* query and form fields (req_param_add) */
	int n_params, params_cap;
	bool params_over;          /* more than REQ_PARAMS_MAX were sent: the
				      body reader refuses the request (413) */
	json_t *json;              /* API body, owned by the request */
	bool api;                  /* path starts with /api/ */
	const char *lang;          /* "nl" or "en" */
	/* authentication */
	bool authed;
	struct session sess;
	struct account me;
	struct grant *grants;
	int n_grants;
	const char *cookie_session, *cookie_csrf, *cookie_lang, *header_csrf;
	const char *cookie_device;  /* kavel_device: logged in here before */
	/* a password check the handler asks the server to run on its hash
	 * pool (auth_login_begin), the handler to call once it is answered,
	 * and the login it belongs to (auth.c's) */
	struct hash_job *hash_job;
	void (*then)(struct req *r, struct resp *w);
	struct auth_pending *login;
	/* the procedure the route is about, loaded by the router */
	struct procedure proc;
	bool has_proc;
	unsigned roles;            /* roles of `me` on proc or contract */
	/* the contract the route is about, loaded by the router */
	struct contract contract;
	bool has_contract;
	/* the municipality of tenant-wide pages: the account's first
	 * tenant-wide buyer or council grant (0: none) */
	int64_t tenant;
	/* request headers a streamed upload reads */
	const char *hdr_content_type, *hdr_file_name;
	long long content_length;  /* -1: not given */
	/* a streamed body under way (a BODY_STREAM route): the consumer its
	 * handler set before the first byte, cleared once it has answered;
	 * and the upload action it drives (page_vault.c) */
	const struct body_sink *sink;
	struct app_upload *upload;
	struct app_doc_upload *doc_upload;   /* an application document's */
	/* a streamed form: the name of its file field ("file" when NULL),
	 * and a refusal kept until the body has ended and the store is at
	 * hand again to draw the page around it */
	const char *upload_field;
	struct kv_error *refusal;
	int refusal_status;
	/* the procedure's size limit of bids once read (page_vault.c) */
	int64_t upload_max;
	/* a multipart form's file parts (body.c; also in params); for a
	 * BODY_FILES route body_cut when the body passed its cap and only its
	 * beginning was read, form_bad when it was not readable multipart */
	struct form_file files[FORM_FILES_MAX];
	int n_files;
	bool body_cut, form_bad;
	/* a streamed form upload: the CSRF field arrives in the body and is
	 * checked there (body.c) before the file's first byte is sealed */
	bool csrf_in_body;
};

/* The candidate the account bids for on r->proc (its bidder grant), or
 * 0 when it bids for none; a route of ACCESS_PROC_BIDDER runs only when
 * there is one. */
int64_t own_candidate(const struct req *r);

struct resp {
	int status;
	const char *content_type;
	sbuf body;
	const char *hdr_key[8], *hdr_val[8];
	int n_hdr;
	bool cacheable;            /* static assets */
	/* An API refusal: its JSON is written when the response is sent,
	 * so its "status" is the one the response finally carries. */
	bool api_error;
	struct kv_error err;
	/* An HTML refusal (resp_error): its page is drawn around err once
	 * the handler is done (router.c), so nothing the handler wrote
	 * before stays in front of it. */
	bool error_page;
	/* A streamed body (resp_stream), or stream_read NULL. */
	long (*stream_read)(void *ctx, unsigned char *out, size_t max);
	void (*stream_done)(void *ctx);
	void *stream_ctx;
	uint64_t stream_size;
};

enum access {
	ACCESS_ANON,               /* anyone */
	ACCESS_LOGIN,              /* any logged-in account */
	ACCESS_TENANT_BUYER,       /* a buyer of some municipality */
	ACCESS_PROC_READ,          /* any role on the procedure in ids[0] */
	ACCESS_PROC_INSIDE,        /* buyer, assessor or council: not bidders */
	ACCESS_PROC_OVERSIGHT,     /* buyer or council */
	ACCESS_PROC_BUYER,         /* buyer of the procedure: may change it */
	ACCESS_PROC_BIDDER,        /* bidder on the procedure with a candidate
				      (own_candidate(r) is one; 403 if not) */
	ACCESS_TENANT_READ,        /* a buyer or council member of a municipality */
	ACCESS_CONTRACT_READ,      /* buyer, council, or the contract's reporter */
	ACCESS_CONTRACT_REPORT,    /* buyer or the contract's reporter */
	ACCESS_CONTRACT_BUYER,     /* buyer: manages the contract */
};

typedef void (*handler_fn)(struct req *r, struct resp *w);

/* How a route's body is read, decided by the router from the row before
 * the first byte arrives (router.c, body.c). */
enum body_kind {
	BODY_NONE,     /* nothing is read (a GET: its query only) */
	BODY_FORM,     /* HTML: an urlencoded or multipart form of at most
			  1 MiB (a file part in params and req->files); API: a
			  JSON object (Content-Type: application/json) */
	BODY_JSON,     /* a JSON object, whatever the face */
	BODY_FILES,    /* as BODY_FORM, but a multipart form is buffered up
			  to DOCUMENT_FORM_MAX and one longer is cut rather
			  than refused, so that the handler says so at its
			  field (req->body_cut) */
	BODY_STREAM,   /* never buffered: the handler sets req->sink before
			  the first byte, which then gets every piece; HTML: a
			  multipart form whose "csrf" field is checked before
			  its file part; API: the file's raw bytes */
};

/* The faces a route serves: FACE_HTML at its pattern, FACE_API at
 * /api/v1 followed by its pattern; the handler tells them apart by
 * req->api.  GET_WRITES marks a GET that writes (an audited read, such
 * as a bid's document): it runs outside the read snapshot other GETs
 * read in, so that its audit event commits. */
enum {
	FACE_HTML = 1,
	FACE_API = 2,
	FACE_BOTH = FACE_HTML | FACE_API,
	GET_WRITES = 4,
};

/* One action. */
struct route {
	const char *method;        /* "GET", "POST" */
	const char *pattern;       /* "/procedures/#/stages/#/move": # = id */
	enum access access;
	enum body_kind body;
	unsigned faces;            /* FACE_*, and GET_WRITES */
	handler_fn fn;
};

/* The consumer of a streamed body (BODY_STREAM), set as req->sink by the
 * route's handler; each function gets the request and its response.
 * false from begin or data: refused, answered in w, req->sink cleared,
 * nothing more is read. */
struct body_sink {
	/* A form's file part begins, its CSRF field checked: the file name
	 * as sent (the API names its file before the body). */
	bool (*begin)(struct req *r, struct resp *w, const char *filename);
	bool (*data)(struct req *r, struct resp *w, const char *data, size_t n);
	/* The last byte has come; the store is at hand again. */
	void (*finish)(struct req *r, struct resp *w);
	/* The body cannot be read as the route wants (a status, a
	 * sentence): answer so and drop what was received. */
	void (*refuse)(struct req *r, struct resp *w, int status, const char *msg);
	/* The connection broke off before finish: drop what was received. */
	void (*abort)(struct req *r);
};

extern const struct route kavel_routes[];
extern const int kavel_n_routes;

/* server.c */
struct server_config {
	const char *db_path;
	const char *listen_addr;   /* "127.0.0.1" */
	int port;
	const char *static_dir;    /* NULL: <binary dir>/static */
	int pool_size;             /* store connections */
	int threads;               /* event-loop threads; 0: one per connection */
	bool secure_cookies;       /* behind TLS: add Secure */
	int max_connections;       /* open at once; more are answered 503 */
	int max_per_address;       /* from one client address; more refused */
	int header_deadline;       /* seconds a request's headers may take */
	int hash_workers;          /* threads that check passwords (hashpool.h) */
	int min_free_mb;           /* the free-space floor (vault/space.h) */
	int reserve_mb;            /* the reserve file's size; 0: none */
	/* addresses (comma-separated) whose X-Forwarded-For names the client,
	 * or NULL: the peer is the client */
	const char *trusted_proxies;
	const char *smtp_url;      /* NULL: invitations are not mailed */
	const char *smtp_from, *smtp_user, *base_url;
};
int server_run(const struct server_config *cfg);   /* until SIGINT/TERM */
/* Whether list is IP addresses separated by commas (--trusted-proxy). */
bool server_trusted_proxies_ok(const char *list);

/* request.c: what every handler uses, below the router and the pages. */
bool server_secure_cookies(const struct server *srv);
/* The mail server (serve --smtp-url), or NULL; the --base-url that links
 * in e-mail begin with ("" when not set). */
const struct mail_config *server_mail(const struct server *srv);
const char *server_base_url(const struct server *srv);
/* The server clock (UTC seconds): time(NULL), moved by
 * $KAVEL_TEST_CLOCK_OFFSET in test builds only (meson -Dtest_clock);
 * the offset is read once, at the first call. */
kv_instant server_now(void);
kv_instant server_clock_offset(void);
/* <db dir>/vault: the sealed submission files. */
const char *server_vault_dir(const struct server *srv);
/* A fresh random token as 64 hex characters, in the arena. */
char *random_hex32(arena *a);

const char *req_param(const struct req *r, const char *key);   /* or NULL */
void resp_header(struct resp *w, const char *k, const char *v);
void resp_redirect(struct req *r, struct resp *w, const char *to);
/* A Content-Disposition value for a download of `name` (inline_: shown
 * in the browser), every byte outside RFC 5987's attr-chars
 * percent-encoded so that no name can break the header; in a. */
const char *resp_disposition(arena *a, const char *name, bool inline_);
/* The body is streamed instead of w->body: size bytes, handed out by
 * read(ctx, out, max) (> 0: bytes; 0: the end; -1: broken, the
 * connection is cut).  From this call the response owns ctx: done(ctx)
 * is called once, after the last byte or when the response is dropped
 * (a refusal drawn instead, the client gone). */
void resp_stream(struct resp *w, long (*read)(void *ctx, unsigned char *out, size_t max),
		 void (*done)(void *ctx), void *ctx, uint64_t size);
/* Calls a stream's done and forgets it (idempotent). */
void resp_stream_drop(struct resp *w);
void resp_json(struct req *r, struct resp *w, int status, json_t *j); /* steals j */
/* A refusal: JSON for the API, a page for HTML, drawn when the handler
 * is done (the status is e's, unless the handler sets another). */
void resp_error(struct req *r, struct resp *w, const struct kv_error *e);
/* Forgets whatever w holds (body, headers, a refusal) to answer anew. */
void resp_reset(struct resp *w);
int http_status_of(enum kv_status s);
/* Checks the CSRF token (form field "csrf" or header X-CSRF-Token). */
bool csrf_ok(struct req *r);

/* The multipart form of a BODY_FILES route (the application's document
 * form, a procurement document's: 25 MiB, app/read_tender.h) is
 * buffered up to this many bytes (body.c); each handler refuses a file
 * over its own limit. */
#define DOCUMENT_FORM_MAX ((int64_t)25 * 1024 * 1024 + 64 * 1024)
/* A file part of the request's multipart form, or NULL. */
const struct form_file *req_file(const struct req *r, const char *field);

/* auth.c.  A login in two halves around the password check, which the
 * server runs on its hash pool (hashpool.h) between them:
 * auth_login_begin applies the login limits and finds the account; on
 * KV_OK r->hash_job is set and the handler returns, to be called again
 * through r->then once the check is answered; then auth_login_end opens
 * the session and sets its cookie and the device cookie.  On a refusal
 * *status is the HTTP status to answer with (401 a wrong password, 429 a
 * limit, 503 the pool full; 0: the status of e) and Retry-After is set
 * where it applies. */
enum kv_status auth_login_begin(struct req *r, struct resp *w, const char *email,
				const char *password, int *status, struct kv_error *e);
enum kv_status auth_login_end(struct req *r, struct resp *w, int *status,
			      struct kv_error *e);
/* Whether r's client may make one more account now (a registration:
 * each hashes a password on the request's thread; an invitation's link
 * is single-use and needs no limit):
 * 30 at once, then one a minute (login_limit.h's LOGIN_SIGNUP).  When not,
 * e says so and Retry-After is set; answer 429. */
bool auth_signup_allowed(struct req *r, struct resp *w, struct kv_error *e);
void auth_logout(struct req *r, struct resp *w);
const char *auth_cookie_attrs(struct req *r);  /* "; Path=/; HttpOnly; ..." */
bool auth_load(struct req *r);  /* from the session cookie */

/* memo.c: a procedure as the store has it, from a memo while nothing has
 * changed since (see app_generation); *out lives in r->a. */
enum kv_status memo_procedure_get(struct req *r, int64_t id,
				  struct procedure *out, struct kv_error *e);
void memo_clear(void);    /* at shutdown */
/* The decisions of r->proc (decision_list of its tenant and procedure),
 * from a memo while nothing has changed since; in r->a. */
enum kv_status memo_decisions_get(struct req *r, struct decision **ds, int *n,
				  struct kv_error *e);
/* A rendered response body kept for the same route, id, language and
 * caller's key (at most a few dozen bytes) while nothing has been
 * committed since r->gen; see memo.c.  get appends a hit to out. */
bool memo_body_get(struct req *r, const char *route, int64_t id,
		   const void *key, size_t keylen, sbuf *out);
void memo_body_put(struct req *r, const char *route, int64_t id,
		   const void *key, size_t keylen, const char *body, size_t n);

/* view.c: the page around a handler's content (head, menu, footer).  The
 * handlers themselves are the page_* functions of page_*.c, listed with
 * their routes in routes.c; an /api/v1 route runs the same handler with
 * r->api set. */
void layout_begin(struct req *r, struct resp *w, const char *title);
void layout_end(struct req *r, struct resp *w);

#endif
