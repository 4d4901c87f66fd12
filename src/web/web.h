/*
 * web.h - the HTTP layer: requests, responses, routes and who may use them.
 *
 * A thin layer around libmicrohttpd.  Threading as it is (server.c): a pool
 * of event-loop threads (--threads, default one per core; epoll), each
 * serving many connections; a handler runs on its connection's thread and
 * may block it on SQLite, briefly (reads take microseconds, a write waits
 * for one fsync); --threads 0 gives one thread per connection instead.
 * Each request gets an arena (core/arena.h) that lives
 * until the response is queued; handlers allocate only from req->a.
 * Handlers never check roles themselves: every route declares its access
 * rule in the table in routes.c and the router enforces it before the
 * handler runs.
 */
#ifndef KAVEL_WEB_H
#define KAVEL_WEB_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "core/arena.h"

struct server;

struct param {
	const char *key, *value;  /* value: NUL-terminated, may hold NULs */
	size_t len;               /* bytes of value (a file part's too) */
	const char *filename;     /* a multipart file part's name, or NULL */
	size_t cap;               /* server.c: room for value as it grows */
};

/* A file part of a buffered multipart form (server.c), its bytes whole
 * unless the body was cut at its size cap (complete false). */
struct form_file {
	const char *field;         /* the part's name */
	const char *filename;      /* as the browser sent it */
	const unsigned char *data;
	size_t len;
	bool complete;
};
#define FORM_FILES_MAX 4

struct req {
	arena *a;
	struct server *srv;
	struct store *st;
	struct app app;            /* st, a, now, actor */
	uint64_t gen;              /* app_generation() before the store was
				      first read for this request */
	const char *method;
	const char *path;
	const char *remote;        /* client address, for rate limiting */
	int64_t ids[4];            /* numeric path segments, in order */
	int n_ids;
	struct param *params;      /* query and form fields */
	int n_params;
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
	/* a streamed upload under way (page_vault.c); NULL otherwise */
	struct upload *upload;
	/* the procedure's size limit of bids once read (page_vault.c) */
	int64_t upload_max;
	/* a buffered multipart form (document_form_route): its file parts;
	 * body_cut when the body passed its cap and only its beginning was
	 * read, form_bad when it was not readable multipart */
	struct form_file files[FORM_FILES_MAX];
	int n_files;
	bool body_cut, form_bad;
	/* a streamed form upload: the CSRF field arrives in the body and is
	 * checked there (server.c) before the file's first byte is sealed */
	bool csrf_in_body;
};

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
};

enum access {
	ACCESS_ANON,               /* anyone */
	ACCESS_LOGIN,              /* any logged-in account */
	ACCESS_TENANT_BUYER,       /* a buyer of some municipality */
	ACCESS_PROC_READ,          /* any role on the procedure in ids[0] */
	ACCESS_PROC_INSIDE,        /* buyer, assessor or council: not bidders */
	ACCESS_PROC_OVERSIGHT,     /* buyer or council */
	ACCESS_PROC_BUYER,         /* buyer of the procedure: may change it */
	ACCESS_PROC_BIDDER,        /* bidder on the procedure (its own candidate) */
	ACCESS_TENANT_READ,        /* a buyer or council member of a municipality */
	ACCESS_CONTRACT_READ,      /* buyer, council, or the contract's reporter */
	ACCESS_CONTRACT_REPORT,    /* buyer or the contract's reporter */
	ACCESS_CONTRACT_BUYER,     /* buyer: manages the contract */
};

typedef void (*handler_fn)(struct req *r, struct resp *w);

struct route {
	const char *method;        /* "GET", "POST" */
	const char *pattern;       /* "/procedures/#/stages/#/move": # = id */
	enum access access;
	handler_fn fn;
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
};
int server_run(const struct server_config *cfg);   /* until SIGINT/TERM */
bool server_secure_cookies(const struct server *srv);
/* The server clock (UTC seconds): time(NULL), moved by
 * $KAVEL_TEST_CLOCK_OFFSET in test builds only (meson -Dtest_clock). */
kv_instant server_now(void);
/* <db dir>/vault: the sealed submission files. */
const char *server_vault_dir(const struct server *srv);
/* A fresh random token as 64 hex characters, in the arena. */
char *random_hex32(arena *a);

const char *req_param(const struct req *r, const char *key);   /* or NULL */
void resp_header(struct resp *w, const char *k, const char *v);
void resp_redirect(struct req *r, struct resp *w, const char *to);
void resp_json(struct req *r, struct resp *w, int status, json_t *j); /* steals j */
void resp_error(struct req *r, struct resp *w, const struct kv_error *e);
int http_status_of(enum kv_status s);
/* Checks the CSRF token (form field "csrf" or header X-CSRF-Token). */
bool csrf_ok(struct req *r);

/* page_vault.c: a submission's body is not buffered but streamed into a
 * sealed file.  server.c asks upload_route() for every request; for those
 * routes it runs the router (access check, then the route's handler,
 * which opens the upload and sets r->upload, or answers a refusal) when
 * the first bytes arrive, then feeds every piece to upload_data (false:
 * refused, answered in w, r->upload NULL), and calls upload_finish at the
 * end.  upload_abort cleans up after a connection that broke off. */
struct upload;
bool upload_route(const char *method, const char *url);
bool upload_data(struct req *r, struct resp *w, const char *data, size_t n);
void upload_finish(struct req *r, struct resp *w);
void upload_abort(struct upload *u);
/* For the multipart form route: the file part's name (false: refused and
 * answered), and a refusal from server.c. */
bool upload_set_name(struct req *r, struct resp *w, const char *filename);
void upload_refuse_public(struct req *r, struct resp *w, int status,
			  const char *msg);

/* page_taking_part.c: the application's document form, a multipart
 * body buffered up to DOCUMENT_FORM_MAX bytes and read by server.c with
 * multipart.h (fields into params, files into req->files). */
#define DOCUMENT_FORM_MAX (APP_DOCUMENT_MAX + 64 * 1024)
bool document_form_route(const char *method, const char *url);
const struct form_file *req_file(const struct req *r, const char *field);

/* auth.c */
enum kv_status auth_login(struct req *r, struct resp *w, const char *email,
			  const char *password, struct kv_error *e);
void auth_logout(struct req *r, struct resp *w);
const char *auth_cookie_attrs(struct req *r);  /* "; Path=/; HttpOnly; ..." */
bool auth_load(struct req *r);  /* from the session cookie */
/* Rate limit on failed logins (per address and per account name). */
bool auth_rate_limited(const char *remote, const char *email);
void auth_rate_note_failure(const char *remote, const char *email);

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
