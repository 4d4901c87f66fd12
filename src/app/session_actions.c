/*
 * session_actions.c - logging in and out as app actions: checking a
 * password, opening a server-side session with its audit event, ending it,
 * and a session's language.  The web layer moves the cookie, keeps the
 * login limits and runs the password check itself on its hash pool
 * (web/auth.c, web/hashpool.c) between app_login_prepare and
 * app_login_finish.
 *
 * The cookie holds a random 256-bit token; the store keeps only its
 * SHA-256, so a copy of the database does not hold live sessions.
 * Passwords are argon2id hashes (libsodium crypto_pwhash_str); a wrong
 * e-mail address costs as much time as a wrong password, so neither is
 * revealed.  No password, token or hash ever reaches a log line, an audit
 * event or an error message.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/validate.h"
#include "internal.h"

static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy_hash(void)
{
	unsigned char pw[16];
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str_alg(dummy_hash, (const char *)pw, sizeof pw,
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		dummy_hash[0] = 0;
}

char *app_email_normal(arena *a, const char *email)
{
	char out[EMAIL_MAX + 1];
	struct kv_error e;
	if (email_normalize(email, out, sizeof out, "email", &e) == KV_OK)
		return arena_strdup(a, out);
	/* No account has such an address: look it up as typed, lower-cased,
	 * so that the caller's "no such account" answer is the same. */
	char *s = arena_strdup(a, email ? email : "");
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

enum kv_status app_login_prepare(struct app *x, const char *email,
				 const char *password, struct app_login_prep *prep,
				 struct kv_error *e)
{
	memset(prep, 0, sizeof *prep);
	if (!email || !*email || !password || !*password)
		return kv_fail(e, KV_INVALID, !email || !*email ? "email" : "password",
			       _("Fill in your e-mail address and password."));
	enum kv_status rc = STORE(x->st, account_by_email,
				  app_email_normal(x->a, email), x->a,
				  &prep->account, e);
	if (rc != KV_OK && rc != KV_NOT_FOUND)
		return rc;
	prep->known = rc == KV_OK && !prep->account.disabled;
	if (prep->known) {
		prep->hash = prep->account.pwhash;
	} else {
		/* Spend the same effort so timing does not reveal accounts. */
		static pthread_once_t once = PTHREAD_ONCE_INIT;
		pthread_once(&once, make_dummy_hash);
		prep->hash = dummy_hash;
		memset(&prep->account, 0, sizeof prep->account);
	}
	return KV_OK;
}

enum kv_status app_login_finish(struct app *x, const struct app_login_prep *prep,
				bool password_ok, const char *lang,
				struct app_login *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (!prep->known || !password_ok)
		return kv_fail(e, KV_DENIED, "password",
			       _("That e-mail address and password do not match an account."));
	const struct account *acc = &prep->account;
	unsigned char token[32];
	randombytes_buf(token, sizeof token);
	sodium_bin2hex(out->token_hex, sizeof out->token_hex, token, sizeof token);
	sodium_memzero(token, sizeof token);
	struct session *s = &out->session;
	s->account_id = acc->id;
	s->created_at = x->now;
	s->expires_at = x->now + APP_SESSION_SECONDS;
	crypto_hash_sha256(s->token_hash, (unsigned char *)out->token_hex, 64);
	unsigned char csrf[32];
	randombytes_buf(csrf, sizeof csrf);
	sodium_bin2hex(s->csrf, sizeof s->csrf, csrf, sizeof csrf);
	snprintf(s->lang, sizeof s->lang, "%s",
		 lang && strcmp(lang, "en") == 0 ? "en" : "nl");
	enum kv_status rc = store_begin(x->st, true, e);
	if (rc != KV_OK)
		return rc;
	rc = STORE(x->st, session_create, s, e);
	if (rc == KV_OK) {
		struct audit_event ev = {.at = x->now, .actor = acc->id,
					 .action = "session.login",
					 .object = arena_printf(x->a, "account/%lld", (long long)acc->id),
					 .before = "", .after = ""};
		rc = STORE(x->st, audit_append, &ev, e);
	}
	if (rc == KV_OK)
		rc = store_commit(x->st, e);
	if (rc != KV_OK) {
		store_rollback(x->st);
		return rc;
	}
	/* No app_note_change: a new session changes nothing a memo holds. */
	out->account = *acc;
	out->account.pwhash = NULL;
	return KV_OK;
}

enum kv_status app_logout(struct app *x, const unsigned char token_hash[32],
			  struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, session_delete, token_hash, e);
	app_note_change();
	return rc;
}

enum kv_status app_session_load(struct app *x, const unsigned char token_hash[32],
				struct session *ss, struct account *me,
				struct grant **grants, int *n_grants,
				struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, session_get, token_hash, ss, e);
	if (rc == KV_OK)
		rc = STORE(x->st, account_get, ss->account_id, x->a, me, e);
	if (rc == KV_OK && me->disabled)
		rc = kv_fail(e, KV_NOT_FOUND, "", _("This account is disabled."));
	if (rc == KV_OK)
		rc = STORE(x->st, grants_of, me->id, x->a, grants, n_grants, e);
	if (rc == KV_OK)
		me->pwhash = NULL;   /* never carried further than the app */
	return rc;
}

enum kv_status app_procedure_read(struct app *x, int64_t id, struct procedure *out,
				  struct kv_error *e)
{
	return STORE(x->st, procedure_get, id, x->a, out, e);
}

enum kv_status app_session_lang(struct app *x, const unsigned char token_hash[32],
				const char *lang, struct kv_error *e)
{
	if (!lang || (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0))
		return kv_fail(e, KV_INVALID, "lang", _("Choose nl or en."));
	enum kv_status rc = STORE(x->st, session_set_lang, token_hash, lang, e);
	app_note_change();
	return rc;
}
