/*
 * auth.c - logging in and out, server-side sessions, and the login
 * limits (core/login_limit.h) with the device cookie.
 *
 * The login itself (password check, the session row and its audit event)
 * is an app action (app/session_actions.c); this file moves the cookie,
 * HttpOnly and SameSite=Strict, keeps the login limits and a memo of live
 * sessions.  The password check itself runs on the hash pool
 * (hashpool.h): auth_login_begin prepares it, the server runs it, and
 * auth_login_end answers.  No password, token or hash ever reaches a log line or an
 * error message.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "web.h"
#include "hashpool.h"
#include "core/login_limit.h"

/*
 * The login limits' records (core/login_limit.h), one per key, in one
 * table under one lock: the check of all three keys and their
 * reservation are one step.  A key is a keyed BLAKE2b of its kind and
 * its strings, with a key drawn at start, so no one outside can compute
 * which addresses or names share a slot, and a slot is found by its full
 * 128-bit key, never by a part of it: two keys never share a record.  A
 * new key takes an empty slot or one whose record no longer limits
 * anything (login_idle) within GATE_PROBE of its place; only when all of
 * them still limit is the one least recently used given up, never one
 * with an attempt in flight.  65,536 slots: an attacker must keep that
 * many records live (each a fresh key that has failed within the quarter
 * of an hour) to push out another's.  The records live in memory: a
 * restart forgets them, as it forgets the device key.
 */
#define GATE_SLOTS 65536        /* a power of two */
#define GATE_PROBE 32

struct gate_slot {
	unsigned char key[16];
	bool used;
	kv_instant last_use;
	struct login_record rec;
};

static struct gate_slot gate[GATE_SLOTS];
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char gate_key[crypto_generichash_KEYBYTES];
static unsigned char device_key[crypto_auth_KEYBYTES];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void make_keys(void)
{
	randombytes_buf(gate_key, sizeof gate_key);
	crypto_auth_keygen(device_key);
}

static void gate_hash(unsigned char out[16], enum login_key kind,
		      const char *client, const char *account)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, gate_key, sizeof gate_key, 16);
	unsigned char k = (unsigned char)kind;
	crypto_generichash_update(&st, &k, 1);
	if (kind != LOGIN_ACCOUNT)
		crypto_generichash_update(&st, (const unsigned char *)client,
					  strlen(client) + 1);
	if (kind != LOGIN_CLIENT && kind != LOGIN_SIGNUP)
		crypto_generichash_update(&st, (const unsigned char *)account,
					  strlen(account) + 1);
	crypto_generichash_final(&st, out, 16);
}

/* The record of kind's key, made when there is none; NULL only when every
 * slot in reach has an attempt in flight.  Under gate_lock. */
static struct login_record *gate_find(enum login_key kind, const char *client,
				      const char *account, kv_instant now)
{
	unsigned char key[16];
	gate_hash(key, kind, client, account);
	uint32_t at = (uint32_t)(key[0] | key[1] << 8 | key[2] << 16 | (uint32_t)key[3] << 24);
	struct gate_slot *take = NULL, *oldest = NULL;
	for (int i = 0; i < GATE_PROBE; i++) {
		struct gate_slot *s = &gate[(at + (uint32_t)i) & (GATE_SLOTS - 1)];
		if (s->used && memcmp(s->key, key, sizeof key) == 0) {
			s->last_use = now;
			return &s->rec;
		}
		if (!take && (!s->used || login_idle(&s->rec, &login_rules[kind], now)))
			take = s;
		if (s->used && s->rec.pending == 0 &&
		    (!oldest || s->last_use < oldest->last_use))
			oldest = s;
	}
	if (!take)
		take = oldest;
	if (!take)
		return NULL;
	*take = (struct gate_slot){.used = true, .last_use = now};
	memcpy(take->key, key, sizeof key);
	return &take->rec;
}

/* Admits an attempt on all three keys or on none; *until: when a refused
 * one may try again. */
static bool gate_admit(const char *client, const char *account, bool known_device,
		       kv_instant now, kv_instant *until)
{
	struct login_record *admitted[LOGIN_KEYS];
	int n = 0;
	*until = 0;
	pthread_mutex_lock(&gate_lock);
	for (; n < LOGIN_KEYS; n++) {
		enum login_key k = (enum login_key)n;
		struct login_record *rec = gate_find(k, client, account, now);
		kv_instant u = now + 1;
		if (!rec || !login_admit(rec, &login_rules[k], now,
					 known_device && k != LOGIN_PAIR, &u)) {
			*until = u;
			break;
		}
		admitted[n] = rec;
	}
	bool ok = n == LOGIN_KEYS;
	if (!ok)   /* give back what the keys before the refusing one took */
		for (int i = 0; i < n; i++)
			login_cancel(admitted[i], &login_rules[i]);
	pthread_mutex_unlock(&gate_lock);
	return ok;
}

/* The answer to an admitted attempt: ok, a failure, or (cancel) none. */
static void gate_done(const char *client, const char *account, kv_instant now,
		      bool cancel, bool ok)
{
	pthread_mutex_lock(&gate_lock);
	for (int i = 0; i < LOGIN_KEYS; i++) {
		enum login_key k = (enum login_key)i;
		struct login_record *rec = gate_find(k, client, account, now);
		if (!rec)
			continue;
		if (cancel)
			login_cancel(rec, &login_rules[k]);
		else
			login_done(rec, &login_rules[k], now, ok, k == LOGIN_PAIR);
	}
	pthread_mutex_unlock(&gate_lock);
}

/* One new account from client: whether the bucket lets it (counted), and
 * when not, from when it may. */
static bool gate_signup(const char *client, kv_instant now, kv_instant *until)
{
	pthread_mutex_lock(&gate_lock);
	struct login_record *rec = gate_find(LOGIN_SIGNUP, client, "", now);
	bool ok = rec && login_admit(rec, &login_rules[LOGIN_SIGNUP], now, true, until);
	if (ok)   /* nothing to answer later: the reservation is spent */
		login_done(rec, &login_rules[LOGIN_SIGNUP], now, true, false);
	else if (!rec)
		*until = now + 1;
	pthread_mutex_unlock(&gate_lock);
	return ok;
}

/* The client as the limits know it: an IPv4 address, or an IPv6
 * address's /64 (one household or server has a whole /64); in a. */
static const char *client_key(arena *a, const char *remote)
{
	struct in6_addr v6;
	if (!remote || !strchr(remote, ':') || inet_pton(AF_INET6, remote, &v6) != 1)
		return remote ? remote : "?";
	memset(v6.s6_addr + 8, 0, 8);
	char buf[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, &v6, buf, sizeof buf))
		return remote;
	return arena_printf(a, "%s/64", buf);
}

/*
 * The device cookie: "EXPIRY.MAC", MAC an HMAC-SHA-512-256 under a key
 * drawn at start of "kavel-device", the account's normalised address and
 * EXPIRY.  Given at every login to the browser that logged in; it proves
 * that browser knew the password before, and exempts it from the limits
 * an attacker could use to lock the account or the address out (see
 * login_limit.h).  It names no account and holds no secret of one.
 */
#define DEVICE_SECONDS (180 * 24 * 3600)

static void device_mac(unsigned char mac[crypto_auth_BYTES], const char *account,
		       long long expiry)
{
	char msg[320];
	int n = snprintf(msg, sizeof msg, "kavel-device%c%s%c%lld", 0, account, 0, expiry);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = 0;
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, device_key);
}

static bool device_known(const char *cookie, const char *account, kv_instant now)
{
	if (!cookie)
		return false;
	char *end;
	long long expiry = strtoll(cookie, &end, 10);
	if (end == cookie || *end != '.' || expiry <= now ||
	    strlen(end + 1) != 2 * crypto_auth_BYTES)
		return false;
	unsigned char got[crypto_auth_BYTES], want[crypto_auth_BYTES];
	if (sodium_hex2bin(got, sizeof got, end + 1, 2 * crypto_auth_BYTES, NULL, NULL, NULL) != 0)
		return false;
	device_mac(want, account, expiry);
	return sodium_memcmp(got, want, sizeof got) == 0;
}

static const char *device_cookie(arena *a, const char *account, kv_instant now)
{
	long long expiry = (long long)now + DEVICE_SECONDS;
	unsigned char mac[crypto_auth_BYTES];
	device_mac(mac, account, expiry);
	char hex[2 * crypto_auth_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	return arena_printf(a, "%lld.%s", expiry, hex);
}

const char *auth_cookie_attrs(struct req *r)
{
	return server_secure_cookies(r->srv)
		       ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
		       : "; Path=/; HttpOnly; SameSite=Strict";
}

/* A login under way: from auth_login_begin to auth_login_end, in r->a. */
struct auth_pending {
	struct app_login_prep prep;
	const char *client, *account;
	struct hash_job job;
};

/* Sets Retry-After for a refusal that ends at until; the seconds to wait. */
static kv_instant retry_after(struct req *r, struct resp *w, kv_instant until)
{
	kv_instant wait = until > r->app.now ? until - r->app.now : 1;
	resp_header(w, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
	return wait;
}

static int refuse_later(struct req *r, struct resp *w, kv_instant until,
			struct kv_error *e)
{
	kv_instant wait = retry_after(r, w, until);
	long long minutes = (wait + 59) / 60;
	if (wait < 60)
		kv_fail(e, KV_DENIED, "",
			_("Too many login attempts at once. Try again in a few seconds."));
	else
		kv_fail(e, KV_DENIED, "",
			ngettext("Too many failed attempts. Try again in %lld minute.",
				 "Too many failed attempts. Try again in %lld minutes.",
				 (unsigned long)minutes), minutes);
	return 429;
}

bool auth_signup_allowed(struct req *r, struct resp *w, struct kv_error *e)
{
	pthread_once(&keys_once, make_keys);
	kv_instant until;
	if (gate_signup(client_key(r->a, r->remote), r->app.now, &until))
		return true;
	retry_after(r, w, until);
	kv_fail(e, KV_DENIED, "",
		_("Too many new accounts from your address. Try again in a minute."));
	return false;
}

enum kv_status auth_login_begin(struct req *r, struct resp *w, const char *email,
				const char *password, int *status, struct kv_error *e)
{
	pthread_once(&keys_once, make_keys);
	*status = 0;
	struct auth_pending *p = arena_alloc(r->a, sizeof *p);
	memset(p, 0, sizeof *p);
	p->account = app_email_normal(r->a, email);
	p->client = client_key(r->a, r->remote);
	if (!*p->account || !password || !*password)
		return app_login_prepare(&r->app, email, password, &p->prep, e);
	kv_instant until;
	bool known = device_known(r->cookie_device, p->account, r->app.now);
	if (!gate_admit(p->client, p->account, known, r->app.now, &until)) {
		*status = refuse_later(r, w, until, e);
		return KV_DENIED;
	}
	enum kv_status rc = app_login_prepare(&r->app, email, password, &p->prep, e);
	if (rc != KV_OK) {
		gate_done(p->client, p->account, r->app.now, true, false);
		return rc;
	}
	p->job = (struct hash_job){.hash = p->prep.hash, .password = password};
	r->login = p;
	r->hash_job = &p->job;
	return KV_OK;
}

enum kv_status auth_login_end(struct req *r, struct resp *w, int *status,
			      struct kv_error *e)
{
	*status = 0;
	struct auth_pending *p = r->login;
	r->login = NULL;
	r->hash_job = NULL;
	if (p->job.password)
		sodium_memzero((char *)p->job.password, strlen(p->job.password));
	if (!p->job.finished || p->job.cancelled) {
		/* The pool's queue was full, or the server is stopping. */
		gate_done(p->client, p->account, r->app.now, true, false);
		resp_header(w, "Retry-After", "5");
		*status = 503;
		return kv_fail(e, KV_IO, "",
			       _("Kavel is checking many logins at this moment. Try again in a few seconds."));
	}
	struct app_login in;
	enum kv_status rc = app_login_finish(&r->app, &p->prep, p->job.ok, r->lang, &in, e);
	if (rc == KV_IO) {
		gate_done(p->client, p->account, r->app.now, true, false);
		return rc;
	}
	gate_done(p->client, p->account, r->app.now, false, rc == KV_OK);
	if (rc != KV_OK) {
		*status = 401;
		return rc;
	}
	resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_session=%s%s; Max-Age=%d",
						  in.token_hex, auth_cookie_attrs(r),
						  APP_SESSION_SECONDS));
	resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_device=%s%s; Max-Age=%d",
						  device_cookie(r->a, p->account, r->app.now),
						  auth_cookie_attrs(r), DEVICE_SECONDS));
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
