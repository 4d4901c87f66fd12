/*
 * auth.c - logging in and out, server-side sessions, and the login rate
 * limit.
 *
 * The login itself (password check, the session row and its audit event)
 * is an app action (app/session_actions.c); this file moves the cookie,
 * HttpOnly and SameSite=Strict, keeps the rate limit and a memo of live
 * sessions.  No password, token or hash ever reaches a log line or an
 * error message.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define RATE_WINDOW 900         /* seconds */
#define RATE_MAX_PER_KEY 5      /* failures per address+account per window */
#define RATE_MAX_PER_ADDR 30    /* failures per address per window */
#define RATE_SLOTS 1024

struct rate_slot {
	unsigned char key[16];
	time_t window_start;
	int failures;
};

static struct rate_slot rate_table[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static struct rate_slot *rate_slot(const char *a, const char *b, time_t now)
{
	unsigned char key[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof key);
	crypto_generichash_update(&st, (const unsigned char *)a, strlen(a) + 1);
	if (b)
		crypto_generichash_update(&st, (const unsigned char *)b, strlen(b));
	crypto_generichash_final(&st, key, sizeof key);
	struct rate_slot *s = &rate_table[(key[0] | key[1] << 8) % RATE_SLOTS];
	if (memcmp(s->key, key, sizeof key) != 0 ||
	    now - s->window_start > RATE_WINDOW) {
		memcpy(s->key, key, sizeof key);
		s->window_start = now;
		s->failures = 0;
	}
	return s;
}

bool auth_rate_limited(const char *remote, const char *email)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&rate_lock);
	bool limited = rate_slot(remote, email, now)->failures >= RATE_MAX_PER_KEY ||
		       rate_slot(remote, NULL, now)->failures >= RATE_MAX_PER_ADDR;
	pthread_mutex_unlock(&rate_lock);
	return limited;
}

void auth_rate_note_failure(const char *remote, const char *email)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&rate_lock);
	rate_slot(remote, email, now)->failures++;
	rate_slot(remote, NULL, now)->failures++;
	pthread_mutex_unlock(&rate_lock);
}

const char *auth_cookie_attrs(struct req *r)
{
	return server_secure_cookies(r->srv)
		       ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
		       : "; Path=/; HttpOnly; SameSite=Strict";
}

enum kv_status auth_login(struct req *r, struct resp *w, const char *email,
			  const char *password, struct kv_error *e)
{
	const char *norm = app_email_normal(r->a, email);
	if (*norm && auth_rate_limited(r->remote, norm))
		return kv_fail(e, KV_DENIED, "",
			       _("Too many failed attempts. Wait 15 minutes and try again."));
	struct app_login in;
	enum kv_status rc = app_login(&r->app, email, password, r->lang, &in, e);
	if (rc == KV_DENIED)
		auth_rate_note_failure(r->remote, norm);
	if (rc != KV_OK)
		return rc;
	resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_session=%s%s; Max-Age=%d",
						  in.token_hex, auth_cookie_attrs(r),
						  APP_SESSION_SECONDS));
	sodium_memzero(in.token_hex, sizeof in.token_hex);
	r->authed = true;
	r->sess = in.session;
	r->me = in.account;
	return KV_OK;
}

void auth_logout(struct req *r, struct resp *w)
{
	if (r->authed) {
		struct kv_error e;
		app_logout(&r->app, r->sess.token_hash, &e);
	}
	resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_session=%s; Max-Age=0",
						  auth_cookie_attrs(r)));
	r->authed = false;
}

/*
 * A memo of recently used sessions with their account and grants, so a
 * page does not ask the store three questions before it starts.  An entry
 * is used only while no change has been committed since it was read (see
 * app_generation) and while its session has not expired; anything else
 * reads the store again.  Only a hash of the token is kept, as in the
 * store.
 */
#define MEMO_SLOTS 256
#define MEMO_GRANTS 16

struct session_memo {
	bool used;
	uint64_t generation;
	struct session sess;
	int64_t account_id, org_id, person_id;
	char email[201], name[201];
	struct grant grants[MEMO_GRANTS];
	int n_grants;
};

static struct session_memo session_memo[MEMO_SLOTS];
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

static struct session_memo *memo_slot(const unsigned char h[32])
{
	return &session_memo[(h[0] | h[1] << 8) % MEMO_SLOTS];
}

static bool memo_get(struct req *r, const unsigned char h[32], uint64_t gen)
{
	bool hit = false;
	pthread_mutex_lock(&memo_lock);
	struct session_memo *m = memo_slot(h);
	if (m->used && m->generation == gen && m->sess.expires_at > r->app.now &&
	    sodium_memcmp(m->sess.token_hash, h, 32) == 0) {
		r->sess = m->sess;
		r->me = (struct account){.id = m->account_id, .org_id = m->org_id,
					 .person_id = m->person_id,
					 .email = arena_strdup(r->a, m->email),
					 .name = arena_strdup(r->a, m->name)};
		r->grants = arena_alloc(r->a, (size_t)(m->n_grants + 1) * sizeof *r->grants);
		memcpy(r->grants, m->grants, (size_t)m->n_grants * sizeof *r->grants);
		r->n_grants = m->n_grants;
		hit = true;
	}
	pthread_mutex_unlock(&memo_lock);
	return hit;
}

static void memo_put(const struct req *r, uint64_t gen)
{
	if (r->n_grants > MEMO_GRANTS || strlen(r->me.email) > 200 ||
	    strlen(r->me.name) > 200)
		return;
	pthread_mutex_lock(&memo_lock);
	struct session_memo *m = memo_slot(r->sess.token_hash);
	m->used = true;
	m->generation = gen;
	m->sess = r->sess;
	m->account_id = r->me.id;
	m->org_id = r->me.org_id;
	m->person_id = r->me.person_id;
	snprintf(m->email, sizeof m->email, "%s", r->me.email);
	snprintf(m->name, sizeof m->name, "%s", r->me.name);
	memcpy(m->grants, r->grants, (size_t)r->n_grants * sizeof *m->grants);
	m->n_grants = r->n_grants;
	pthread_mutex_unlock(&memo_lock);
}

bool auth_load(struct req *r)
{
	r->lang = r->cookie_lang && strcmp(r->cookie_lang, "en") == 0 ? "en" : "nl";
	r->authed = false;
	const char *tok = r->cookie_session;
	if (tok && strlen(tok) == 64) {
		unsigned char h[32];
		crypto_hash_sha256(h, (const unsigned char *)tok, 64);
		/* A hit: nothing committed since the entry's stamp; an
		 * entry is stamped with the counter read before this
		 * request's first read (see app_generation()). */
		struct kv_error e;
		if (memo_get(r, h, app_generation())) {
			r->authed = true;
		} else if (app_session_load(&r->app, h, &r->sess, &r->me, &r->grants,
					    &r->n_grants, &e) == KV_OK) {
			r->authed = true;
			memo_put(r, r->gen);
		}
		if (r->authed && strcmp(r->sess.lang, "en") == 0)
			r->lang = "en";
	}
	return r->authed;
}
