/*
 * internal.h - what the action files of src/app share.
 */
#ifndef KAVEL_APP_INTERNAL_H
#define KAVEL_APP_INTERNAL_H

#include "app.h"
#include "store/store.h"

/* Checks a new account's name, e-mail address and password (at least 12
 * characters) and sets acc->pwhash (argon2id) and created_at.  Outside
 * any transaction: argon2id takes a while. */
enum kv_status app_account_prepare(struct app *x, struct account *acc,
				   const char *password, struct kv_error *e);

/* n bytes as 2n lower-case hex digits, in a. */
char *app_hex(arena *a, const unsigned char *b, size_t n);

/* Appends the audit event of an action to the open write transaction. */
enum kv_status app_audit(struct app *x, int64_t tenant, const char *action,
			 const char *object, const char *before,
			 const char *after, struct kv_error *e);
/*
 * The frame of an action: rc = app_begin (or app_begin_procedure), the
 * action's steps while rc is KV_OK, then return app_finish(x, rc, e).
 * app_begin opens the write transaction (BEGIN IMMEDIATE); when it cannot,
 * rc carries why, the steps are skipped and app_finish ends nothing.
 */
enum kv_status app_begin(struct app *x, struct kv_error *e);
/* app_begin, then the procedure into *p (KV_NOT_FOUND when there is
 * none); in x->a. */
enum kv_status app_begin_procedure(struct app *x, int64_t procedure_id,
				   struct procedure *p, struct kv_error *e);
/* The tail of an action: commit when rc is KV_OK, else roll back what
 * app_begin opened.  Returns the final status. */
enum kv_status app_finish(struct app *x, enum kv_status rc,
			  struct kv_error *e);

/* Finds each party's organisation by KvK, registering unknown ones as
 * suppliers (their name checked under `field`); fills org_id, and
 * org_name when it was empty.  Inside the caller's write transaction. */
enum kv_status app_resolve_parties(struct app *x, struct party *p, int n,
				   const char *field, struct kv_error *e);
/* [{"kvk", "role"}, ...] for an audit event (a new reference). */
json_t *app_parties_json(const struct party *p, int n);

/* The lot's bids: every candidate with a quality submission on the lot
 * that is not withdrawn, with its exclusion and (opened) price, in the
 * order received.  In x->a. */
enum kv_status app_award_bidders(struct app *x, const struct procedure *p,
				 int64_t lot_id, struct award_bidder **out,
				 int *n, struct kv_error *e);

#endif
