/*
 * vault_actions.c - the sealed bid vault as actions (see vault/vault.h for
 * the cryptography and app.h for the actions).
 *
 * What the server holds: buyers' salts and public keys, the vault's
 * public key, shares sealed to the buyers' public keys, and sealed files.
 * A buyer's secret key exists only while an action derives it from the
 * passphrase typed in that request; the vault's secret key only while
 * app_envelope_open checks the bids.  Every such secret, and the
 * passphrases the caller hands in, are wiped before an action returns.
 * Plaintext of a bid is never written anywhere: opening reads each
 * sealed file in chunks into one buffer, only to check its SHA-256.
 */
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit_mark.h"
#include "bid_documents.h"
#include "core/attempts.h"
#include "core/validate.h"
#include "internal.h"
#include "vault/vault.h"
#include "vault/vault_dir.h"

static void wipe_str(char *s)
{
	if (s)
		sodium_memzero(s, strlen(s));
}

static bool is_buyer(const struct grant *gs, int n)
{
	for (int i = 0; i < n; i++)
		if (gs[i].role == ROLE_BUYER)
			return true;
	return false;
}

/* app_vault_key_set; with kept non-NULL the derived pair is handed back
 * (app_vault_key_set_unlocked), else wiped. */
static enum kv_status key_set(struct app *x, int64_t account_id,
			      char *passphrase, struct app_vault_unlocked *kept,
			      struct kv_error *e)
{
	unsigned char pk[VAULT_KEY_LEN], sk[VAULT_KEY_LEN];
	if (kept)
		sodium_memzero(kept, sizeof *kept);
	struct vault_key_rec k = {.account_id = account_id,
				  .created_at = x->now};
	struct account acc;
	struct grant *gs = NULL;
	int ng = 0;
	enum kv_status rc = STORE(x->st, account_get, account_id, x->a, &acc, e);
	if (rc == KV_OK)
		rc = STORE(x->st, grants_of, account_id, x->a, &gs, &ng, e);
	if (rc == KV_OK && !is_buyer(gs, ng))
		rc = kv_fail(e, KV_DENIED, "",
			     _("Only buyers hold a vault passphrase."));
	if (rc == KV_OK && (!passphrase || strlen(passphrase) < 12))
		rc = kv_fail(e, KV_INVALID, "passphrase",
			     _("A vault passphrase needs at least 12 "
			       "characters."));
	if (rc == KV_OK && crypto_pwhash_str_verify(acc.pwhash, passphrase,
						    strlen(passphrase)) == 0)
		rc = kv_fail(e, KV_INVALID, "passphrase",
			     _("Choose a vault passphrase that differs from "
			       "your password."));
	if (rc == KV_OK) {
		struct vault_key_rec old;
		if (STORE(x->st, vault_key_get, account_id, x->a, &old, e) ==
		    KV_OK)
			rc = kv_fail(e, KV_CONFLICT, "passphrase",
				     _("You have set your vault passphrase "
				       "already."));
	}
	if (rc == KV_OK) {
		randombytes_buf(k.salt, sizeof k.salt);
		rc = vault_buyer_key_derive(passphrase, k.salt, pk, sk, e);
	}
	wipe_str(passphrase);
	if (rc == KV_OK && kept) {
		kept->account_id = account_id;
		memcpy(kept->pk, pk, sizeof pk);
		memcpy(kept->sk, sk, sizeof sk);
	}
	sodium_memzero(sk, sizeof sk);
	if (rc != KV_OK)
		return rc;
	memcpy(k.pk, pk, sizeof pk);
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, vault_key_create, &k, e);
	if (rc == KV_OK)
		rc = app_audit(x, 0, "vault.key",
			       arena_printf(x->a, "account/%lld",
					    (long long)account_id),
			       NULL,
			       arena_printf(x->a, "{\"pk\":\"%s\"}",
					    app_hex(x->a, k.pk, sizeof k.pk)), e);
	rc = app_finish(x, rc, e);
	if (rc != KV_OK && kept)
		sodium_memzero(kept, sizeof *kept);
	return rc;
}

enum kv_status app_vault_key_set(struct app *x, int64_t account_id,
				 char *passphrase, struct kv_error *e)
{
	return key_set(x, account_id, passphrase, NULL, e);
}

enum kv_status app_vault_key_set_unlocked(struct app *x, int64_t account_id,
					  char *passphrase,
					  struct app_vault_unlocked *out,
					  struct kv_error *e)
{
	return key_set(x, account_id, passphrase, out, e);
}

enum kv_status app_tender_deadline(const struct procedure *p,
				   kv_instant *deadline, struct kv_error *e)
{
	for (int i = 0; i < p->n_stages; i++) {
		if (p->stages[i].kind != SK_TENDER_DEADLINE)
			continue;
		*deadline = p->stages[i].end;
		if (!*deadline)
			break;
		return KV_OK;
	}
	*deadline = 0;
	return kv_fail(e, KV_DENIED, "",
		       _("The tender deadline of this procedure is not "
			 "planned."));
}

/* One vault (ENVELOPE_QUALITY: the bids', ENVELOPE_PRICE: the prices')
 * for the n buyer keys: a fresh key pair and its shares, stored.  Fills
 * v->pk and *nshares. */
static enum kv_status make_vault(struct app *x, int env,
				 const struct vault_key_rec *keys, int n,
				 struct vault_rec *v, size_t *nshares,
				 struct kv_error *e)
{
	struct vault_share *shares = NULL;
	unsigned char (*pks)[VAULT_KEY_LEN] =
		arena_alloc(x->a, (size_t)n * VAULT_KEY_LEN);
	for (int i = 0; i < n; i++)
		memcpy(pks[i], keys[i].pk, VAULT_KEY_LEN);
	enum kv_status rc = vault_create(
		x->a, (const unsigned char (*)[VAULT_KEY_LEN])pks, n, v->pk,
		&shares, nshares, e);
	if (rc != KV_OK)
		return rc;
	struct vault_share_rec *rows =
		arena_alloc(x->a, *nshares * sizeof *rows);
	for (size_t i = 0; i < *nshares; i++) {
		rows[i].holder_account = keys[shares[i].holder].account_id;
		rows[i].partner_account = keys[shares[i].partner].account_id;
		rows[i].part = shares[i].part;
		memcpy(rows[i].sealed, shares[i].sealed, sizeof rows[i].sealed);
	}
	return env == ENVELOPE_PRICE
		? STORE(x->st, price_vault_create, v, rows, (int)*nshares, e)
		: STORE(x->st, vault_create, v, rows, (int)*nshares, e);
}

enum kv_status app_vault_create(struct app *x, int64_t procedure_id,
				struct kv_error *e)
{
	enum kv_status rc = app_begin(x, e);
	if (rc != KV_OK)
		return rc;
	struct procedure p;
	struct vault_rec v = {.procedure_id = procedure_id,
			      .created_at = x->now};
	/* The price envelope's vault: another key pair, shared the same
	 * way, so opening the bids opens no price. */
	struct vault_rec pv = v;
	struct vault_key_rec *keys = NULL;
	int n = 0;
	size_t nshares = 0;
	rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc == KV_OK) {
		struct vault_rec old;
		if (STORE(x->st, vault_get, procedure_id, &old, e) == KV_OK)
			rc = kv_fail(e, KV_CONFLICT, "",
				     _("This procedure has a vault already."));
	}
	if (rc == KV_OK)
		rc = STORE(x->st, vault_keys_of_buyers, p.tenant_id, p.id,
			   x->a, &keys, &n, e);
	if (rc == KV_OK && n < 2)
		rc = kv_fail(e, KV_DENIED, "",
			     _("A vault needs at least two buyers of the "
			       "municipality who have set their vault "
			       "passphrase; %d has."), n);
	if (rc == KV_OK && n > VAULT_BUYERS_MAX)
		rc = kv_fail(e, KV_DENIED, "",
			     _("A vault holds at most %d buyers."),
			     VAULT_BUYERS_MAX);
	if (rc == KV_OK)
		rc = make_vault(x, ENVELOPE_QUALITY, keys, n, &v, &nshares, e);
	if (rc == KV_OK)
		rc = make_vault(x, ENVELOPE_PRICE, keys, n, &pv, &nshares, e);
	if (rc == KV_OK) {
		json_t *buyers = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(buyers, json_string(keys[i].email));
		json_t *j = json_pack("{s:s, s:s, s:o, s:I}", "pk",
				      app_hex(x->a, v.pk, sizeof v.pk), "price_pk",
				      app_hex(x->a, pv.pk, sizeof pv.pk), "buyers",
				      buyers, "shares", (json_int_t)nshares);
		rc = app_audit_marked(x, p.tenant_id, "vault.create",
				      arena_printf(x->a, "procedure/%lld/vault",
						   (long long)p.id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

/* The refusal of a bid that arrives after the deadline. */
static enum kv_status late(struct app *x, kv_instant deadline,
			   kv_instant arrived, struct kv_error *e)
{
	long long secs = (long long)(arrived - deadline);
	return kv_fail(e, KV_DENIED, "",
		       ngettext("The deadline was %s; the bid arrived %s, %lld "
				"second late.",
				"The deadline was %s; the bid arrived %s, %lld "
				"seconds late.", (unsigned long)secs),
		       cal_format_local(x->a, deadline),
		       cal_format_local(x->a, arrived), secs);
}

enum kv_status app_submission_check(struct app *x, const struct procedure *p,
				    kv_instant arrived, struct vault_rec *v,
				    struct kv_error *e)
{
	kv_instant deadline;
	enum kv_status rc = STORE(x->st, vault_get, p->id, v, e);
	if (rc == KV_NOT_FOUND)
		return kv_fail(e, KV_DENIED, "",
			       _("The buyers have not made this procedure's "
				 "vault yet; no bid can be received."));
	if (rc != KV_OK)
		return rc;
	if (v->opened_at)
		return kv_fail(e, KV_DENIED, "",
			       _("The vault has been opened; no bid can be "
				 "received any more."));
	rc = app_tender_deadline(p, &deadline, e);
	if (rc == KV_OK && arrived > deadline)
		rc = late(x, deadline, arrived, e);
	return rc;
}

enum kv_status app_bid_limits(struct app *x, int64_t procedure_id,
			      struct bid_limits *out, struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, bid_limits_get, procedure_id, out, e);
	if (rc == KV_NOT_FOUND) {
		*out = quota_defaults();
		rc = KV_OK;
	}
	return rc;
}

/* What candidate_id keeps in lot_id among subs (app_quota_use's rule). */
static struct quota_use use_among(const struct submission *subs, int n,
				  int64_t lot_id, int64_t candidate_id,
				  int64_t replacing)
{
	struct quota_use u = {0};
	for (int i = 0; i < n; i++) {
		const struct submission *s = &subs[i];
		if (s->lot_id != lot_id || s->candidate_id != candidate_id ||
		    s->withdrawn_at || s->envelope != ENVELOPE_QUALITY ||
		    (replacing && s->document_id == replacing))
			continue;
		u.files++;
		u.bytes += s->size;
	}
	return u;
}

enum kv_status app_quota_use(struct app *x, int64_t procedure_id,
			     int64_t lot_id, int64_t candidate_id,
			     int64_t replacing, struct quota_use *out,
			     struct kv_error *e)
{
	struct submission *subs = NULL;
	int n = 0;
	*out = (struct quota_use){0};
	enum kv_status rc = STORE(x->st, submission_list, procedure_id, x->a,
				  &subs, &n, e);
	if (rc == KV_OK)
		*out = use_among(subs, n, lot_id, candidate_id, replacing);
	return rc;
}

/* Why a limit cannot go below what is received already: the largest
 * live bid, and the most files and bytes one candidate keeps in a lot. */
static enum kv_status limits_not_below(struct app *x, int64_t procedure_id,
				       const struct bid_limits *l,
				       struct kv_error *e)
{
	struct submission *subs = NULL;
	int n = 0;
	enum kv_status rc = STORE(x->st, submission_list, procedure_id, x->a,
				  &subs, &n, e);
	int64_t largest = 0;
	for (int i = 0; rc == KV_OK && i < n; i++) {
		const struct submission *s = &subs[i];
		if (s->withdrawn_at || s->envelope != ENVELOPE_QUALITY)
			continue;
		if (s->size > largest)
			largest = s->size;
		/* From the list at hand: one read for the whole check. */
		struct quota_use u = use_among(subs, n, s->lot_id, s->candidate_id, 0);
		if (u.files > l->files)
			return kv_fail(e, KV_DENIED, "quota_files",
				       _("A bidder keeps %d files in lot %d "
					 "already: the limit cannot go below "
					 "that."), u.files, s->lot_number);
		if (u.bytes > l->bytes)
			return kv_fail(e, KV_DENIED, "quota_mib",
				       _("A bidder keeps %lld bytes in lot %d "
					 "already: the total cannot go below "
					 "that (%lld MiB is %lld bytes)."),
				       (long long)u.bytes, s->lot_number,
				       (long long)(l->bytes >> 20),
				       (long long)l->bytes);
	}
	if (rc == KV_OK && largest > l->max_bytes)
		rc = kv_fail(e, KV_DENIED, "max_mib",
			     _("A bid of %lld bytes has been received "
			       "already: the limit cannot go below it "
			       "(%lld MiB is %lld bytes)."),
			     (long long)largest, (long long)(l->max_bytes >> 20),
			     (long long)l->max_bytes);
	return rc;
}

static int64_t clamp_million(int64_t v)
{
	return v < -1000000 ? -1000000 : v > 1000000 ? 1000000 : v;
}

static char *limits_json(struct app *x, const struct bid_limits *l)
{
	return arena_printf(x->a, "{\"max_bytes\":%lld,\"quota_files\":%d,"
			    "\"quota_bytes\":%lld}", (long long)l->max_bytes,
			    l->files, (long long)l->bytes);
}

enum kv_status app_bid_limits_set(struct app *x, int64_t procedure_id,
				  int64_t max_mib, int64_t quota_files,
				  int64_t quota_mib, struct kv_error *e)
{
	/* Clamped only so that the arithmetic cannot overflow: the check
	 * names a value as typed when it is within a million of zero, and
	 * out of range either way. */
	struct bid_limits l = {
		.max_bytes = clamp_million(max_mib) * (1 << 20),
		.files = (int)clamp_million(quota_files),
		.bytes = clamp_million(quota_mib) * (1 << 20)};
	if (quota_limits_check(&l, e) != KV_OK)
		return e->status;
	struct procedure p;
	struct vault_rec v;
	kv_instant deadline = 0;
	struct bid_limits before;
	struct kv_error de;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK && app_tender_deadline(&p, &deadline, &de) == KV_OK &&
	    x->now > deadline)
		rc = kv_fail(e, KV_DENIED, "max_mib",
			     _("The tender deadline has passed (%s): the size "
			       "limit of bids can no longer change."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK) {
		rc = STORE(x->st, vault_get, procedure_id, &v, e);
		if (rc == KV_OK && v.opened_at)
			rc = kv_fail(e, KV_DENIED, "max_mib",
				     _("The vault has been opened: the size "
				       "limit of bids can no longer change."));
		else if (rc == KV_NOT_FOUND)
			rc = KV_OK;
	}
	if (rc == KV_OK)
		rc = app_bid_limits(x, procedure_id, &before, e);
	if (rc == KV_OK)
		rc = limits_not_below(x, procedure_id, &l, e);
	if (rc == KV_OK)
		rc = STORE(x->st, bid_limits_set, procedure_id, &l, x->now,
			   x->actor, e);
	if (rc == KV_OK)
		rc = app_audit(x, p.tenant_id, "submission.max",
			       arena_printf(x->a, "procedure/%lld/vault",
					    (long long)procedure_id),
			       limits_json(x, &before), limits_json(x, &l), e);
	return app_finish(x, rc, e);
}

/* The receipt of a submission just created (it has its id now, which the
 * receipt binds, vault.h), into sub->receipt and its row. */
static enum kv_status receipt_set(struct app *x, const struct procedure *p,
				  int lot_number, struct submission *sub,
				  struct kv_error *e)
{
	vault_receipt_digest(p->id, lot_number, sub->candidate_id,
			     sub->received_at, &sub->id,
			     (const unsigned char (*)[32])sub->sha256, 1,
			     sub->receipt);
	return STORE(x->st, submission_receipt_set, sub->id, sub->receipt, e);
}

enum kv_status app_submission_store(struct app *x, struct submission *sub,
				    struct kv_error *e)
{
	if (text_check(sub->file_name, 255, "file_name", e) != KV_OK)
		return e->status;
	sub->received_at = x->now;
	struct procedure p;
	struct vault_rec v;
	const struct lot *lot = NULL;
	enum kv_status rc = app_begin_procedure(x, sub->procedure_id, &p, e);
	for (int i = 0; rc == KV_OK && i < p.n_lots; i++)
		if (p.lots[i].id == sub->lot_id)
			lot = &p.lots[i];
	if (rc == KV_OK && !lot)
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	if (rc == KV_OK)
		rc = app_submission_check(x, &p, sub->received_at, &v, e);
	/* The limit read when the upload began may have been lowered
	 * while it streamed in. */
	struct bid_limits lim = {0};
	if (rc == KV_OK)
		rc = app_bid_limits(x, p.id, &lim, e);
	int64_t max = lim.max_bytes;
	/* A bid of several documents (bid_documents.h): the document must
	 * still be asked for, its own limit holds, and the candidate's
	 * earlier upload of it is replaced. */
	struct bid_document *docs = NULL;
	const struct bid_document *doc = NULL;
	int nd = 0;
	if (rc == KV_OK && sub->envelope == ENVELOPE_QUALITY)
		rc = app_bid_documents(x, p.id, sub->lot_id, &docs, &nd, e);
	for (int i = 0; rc == KV_OK && i < nd; i++)
		if (docs[i].id == sub->document_id)
			doc = &docs[i];
	if (rc == KV_OK && sub->document_id && !doc)
		rc = kv_fail(e, KV_NOT_FOUND, "document",
			     _("This lot asks for no such document."));
	else if (rc == KV_OK && nd && !doc)
		rc = kv_fail(e, KV_INVALID, "document",
			     _("This lot's bids consist of %d documents: "
			       "say which one this file is."), nd);
	if (rc == KV_OK && doc)
		max = doc->max_bytes;
	if (rc == KV_OK && sub->size > max)
		rc = doc ? kv_fail(e, KV_INVALID, "file",
				   _("The document \"%s\" may be at most %lld MiB."),
				   doc->name, (long long)(max >> 20))
			 : kv_fail(e, KV_INVALID, "file",
				   _("A file may be at most %lld MiB."),
				   (long long)(max >> 20));
	/* The candidate's quota in the lot, in the write transaction: two
	 * uploads finishing at once are counted one after the other. */
	struct quota_use used;
	if (rc == KV_OK && sub->envelope == ENVELOPE_QUALITY)
		rc = app_quota_use(x, p.id, sub->lot_id, sub->candidate_id,
				   doc ? doc->id : 0, &used, e);
	if (rc == KV_OK && sub->envelope == ENVELOPE_QUALITY)
		rc = quota_admit(&lim, used, sub->size, e);
	int64_t replaced = 0;
	if (rc == KV_OK && doc) {
		struct submission *subs = NULL;
		int ns = 0;
		rc = STORE(x->st, submission_list, p.id, x->a, &subs, &ns, e);
		for (int i = 0; rc == KV_OK && i < ns; i++)
			if (subs[i].document_id == doc->id &&
			    subs[i].candidate_id == sub->candidate_id &&
			    !subs[i].withdrawn_at) {
				replaced = subs[i].id;
				rc = STORE(x->st, submission_withdraw, p.id,
					   subs[i].id, sub->received_at, e);
			}
	}
	if (rc == KV_OK) {
		memset(sub->receipt, 0, sizeof sub->receipt);
		rc = STORE(x->st, submission_create, sub, e);
	}
	if (rc == KV_OK)
		rc = receipt_set(x, &p, lot->number, sub, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:I, s:s, s:s, s:I, s:s, s:s}",
				      "lot", lot->number, "candidate",
				      (json_int_t)sub->candidate_id, "file_name",
				      sub->file_name, "content_type",
				      sub->content_type, "size",
				      (json_int_t)sub->size, "sha256",
				      app_hex(x->a, sub->sha256, 32), "receipt",
				      app_hex(x->a, sub->receipt, 32));
		if (doc) {
			json_object_set_new(j, "document",
					    json_integer((json_int_t)doc->id));
			json_object_set_new(j, "document_name",
					    json_string(doc->name));
		}
		if (replaced)
			json_object_set_new(j, "replaces",
					    json_integer((json_int_t)replaced));
		rc = app_audit_marked(x, p.tenant_id, "submission.receive",
				      arena_printf(x->a,
						   "procedure/%lld/submission/%lld",
						   (long long)p.id,
						   (long long)sub->id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_submission_withdraw(struct app *x, int64_t procedure_id,
				       int64_t sub_id, int64_t candidate_id,
				       struct kv_error *e)
{
	struct procedure p;
	struct vault_rec v;
	struct submission *subs = NULL;
	const struct submission *sub = NULL;
	int n = 0;
	kv_instant deadline = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, submission_list, procedure_id, x->a, &subs,
			   &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (subs[i].id == sub_id && subs[i].candidate_id == candidate_id)
			sub = &subs[i];
	if (rc == KV_OK && !sub)
		rc = kv_fail(e, KV_NOT_FOUND, "",
			     _("Your candidate has no such bid in this "
			       "procedure."));
	if (rc == KV_OK && sub->withdrawn_at)
		rc = kv_fail(e, KV_CONFLICT, "",
			     _("This bid has been withdrawn already."));
	if (rc == KV_OK && STORE(x->st, vault_get, procedure_id, &v, e) ==
				   KV_OK && v.opened_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The vault has been opened; a bid can no "
			       "longer be withdrawn."));
	if (rc == KV_OK)
		rc = app_tender_deadline(&p, &deadline, e);
	if (rc == KV_OK && x->now > deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The tender deadline was %s; a bid can no "
			       "longer be withdrawn."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK)
		rc = STORE(x->st, submission_withdraw, procedure_id, sub_id,
			   x->now, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:I, s:s, s:s}", "lot",
				      sub->lot_number, "candidate",
				      (json_int_t)sub->candidate_id,
				      "file_name", sub->file_name, "sha256",
				      app_hex(x->a, sub->sha256, 32));
		rc = app_audit_marked(x, p.tenant_id, "submission.withdraw",
				      arena_printf(x->a,
						   "procedure/%lld/submission/%lld",
						   (long long)p.id, (long long)sub_id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

/* What check_bid reads from (a sealed file) and, for a price envelope,
 * where it keeps the plaintext (at most max bytes; more sets over). */
struct opened {
	FILE *f;
	unsigned char *buf;
	size_t n, max;
	bool over;
};

static int read_opened(void *ctx, unsigned char *b, size_t n)
{
	return vault_file_read(((struct opened *)ctx)->f, b, n);
}

static void keep_plain(void *ctx, const unsigned char *b, size_t n)
{
	struct opened *o = ctx;
	if (o->over || n > o->max - o->n) {
		o->over = true;
		return;
	}
	memcpy(o->buf + o->n, b, n);
	o->n += n;
}

/* Decrypts one sealed file chunk by chunk in memory (never to disk) and
 * compares the plaintext with what the submission recorded: the
 * SHA-256 and the size.  true when all match.  With kept non-NULL the
 * plaintext (at most keep_max bytes, else refused) is copied into
 * plain_copy, *kept bytes, for the caller to read and wipe. */
static bool check_bid(const char *vault_dir,
		      const struct submission *sub,
		      const unsigned char vault_sk[VAULT_KEY_LEN],
		      unsigned char *frame, unsigned char *plain,
		      unsigned char *plain_copy, size_t *kept,
		      size_t keep_max)
{
	struct kv_error e;
	FILE *f = vault_file_open(vault_dir, sub->path);
	if (!f)
		return false;
	struct opened o = {.f = f, .buf = kept ? plain_copy : NULL,
			   .max = keep_max};
	uint64_t bytes = 0;
	bool ok = vault_unseal_stream(vault_sk, read_opened, &o, frame, plain,
				      kept ? keep_plain : NULL, sub->sha256,
				      NULL, &bytes, &e) == KV_OK &&
		  bytes == (uint64_t)sub->size && !o.over;
	vault_file_close(f);
	if (kept && ok)
		*kept = o.n;
	else if (kept)
		sodium_memzero(plain_copy, keep_max);
	return ok;
}

/* Seals len bytes, chunk by chunk, for the vault with public key pk into
 * a new file of the vault directory (vault_dir.h: a temporary file,
 * synced, renamed to <random>.kvlt, the directory synced), as
 * the upload action does.  Fills out's sha256, size and path; `failed`
 * is the sentence of a refusal. */
static enum kv_status seal_file(struct app *x, const char *vault_dir,
				const unsigned char pk[VAULT_KEY_LEN],
				const unsigned char *data, size_t len,
				struct submission *out, const char *failed,
				struct kv_error *e)
{
	struct vault_file *f = arena_alloc(x->a, sizeof *f);
	if (!vault_file_begin(f, vault_dir))
		return kv_fail(e, KV_IO, "",
			       _("The vault directory cannot be written."));
	struct vault_sealer sl = {0};
	unsigned char header[VAULT_HEADER_LEN];
	unsigned char *frame = arena_alloc_raw(x->a, VAULT_FRAME_MAX);
	char name[VAULT_NAME_LEN + 1];
	size_t flen = 0, off = 0;
	bool ok = vault_seal_begin(&sl, pk, header, e) == KV_OK &&
		  vault_file_write(f, header, sizeof header);
	do {
		size_t n = len - off > VAULT_CHUNK_MAX ? VAULT_CHUNK_MAX
						       : len - off;
		ok = ok && vault_seal_chunk(&sl, data + off, n, frame, &flen,
					    off + n == len, e) == KV_OK &&
		     vault_file_write(f, frame, flen);
		off += n;
	} while (ok && off < len);
	ok = ok && vault_seal_end(&sl, out->sha256, e) == KV_OK;
	if (!ok)
		vault_sealer_wipe(&sl);
	ok = ok && vault_file_commit(f, name);
	if (!ok) {
		vault_file_abort(f);
		return kv_fail(e, KV_IO, "", "%s", failed);
	}
	out->path = arena_strdup(x->a, name);
	out->size = (int64_t)len;
	return KV_OK;
}

/* The opening buyer with the given e-mail address: a buyer of p with a
 * vault key, and the key pair the passphrase gives. */
static enum kv_status opener(struct app *x, const struct procedure *p,
			     const char *email, const char *field,
			     struct account *acc, struct vault_key_rec *k,
			     struct kv_error *e)
{
	struct grant *gs = NULL;
	int ng = 0;
	if (!email || !*email)
		return kv_fail(e, KV_INVALID, field,
			       _("Choose a buyer with a vault passphrase."));
	enum kv_status rc = STORE(x->st, account_by_email,
				  email ? email : "", x->a, acc, e);
	if (rc == KV_OK)
		rc = STORE(x->st, grants_of, acc->id, x->a, &gs, &ng, e);
	if (rc == KV_OK && (acc->disabled ||
			    !(role_on_procedure(gs, ng, p->tenant_id, p->id) &
			      ROLE_BUYER)))
		rc = KV_NOT_FOUND;
	if (rc == KV_OK)
		rc = STORE(x->st, vault_key_get, acc->id, x->a, k, e);
	if (rc == KV_NOT_FOUND)
		return kv_fail(e, KV_INVALID, field,
			       _("%s is not a buyer of this procedure with a "
				 "vault passphrase."), email ? email : "");
	return rc;
}

/* A buyer's key pair: derived from the passphrase with the buyer's salt,
 * or, when u is set, the pair derived before (app_vault_unlocked). */
static enum kv_status buyer_pair(const char *pass,
				 const struct app_vault_unlocked *u,
				 const struct account *acc,
				 const unsigned char salt[16],
				 unsigned char pk[VAULT_KEY_LEN],
				 unsigned char sk[VAULT_KEY_LEN],
				 struct kv_error *e)
{
	if (!u)
		return vault_buyer_key_derive(pass, salt, pk, sk, e);
	/* Another account's pair would fail the public key check below;
	 * zeros make sure it does. */
	memset(pk, 0, VAULT_KEY_LEN);
	memset(sk, 0, VAULT_KEY_LEN);
	if (u->account_id == acc->id) {
		memcpy(pk, u->pk, VAULT_KEY_LEN);
		memcpy(sk, u->sk, VAULT_KEY_LEN);
	}
	return KV_OK;
}

/* The secret key of the procedure's vault for an envelope (ENVELOPE_*)
 * from two different buyers' passphrases (both wiped), or from the pairs
 * ua and ub derived before (then the passphrases are NULL): each gives
 * the buyer's key pair, which opens the buyer's share of the pair, and
 * the two parts combine into the key whose public key is v->pk.  *a and
 * *b are the buyers.  Outside any transaction: argon2id takes a second
 * each. */
static enum kv_status pair_key(struct app *x, const struct procedure *p,
			       int env, const struct vault_rec *v,
			       const char *email_a, char *pass_a,
			       const struct app_vault_unlocked *ua,
			       const char *email_b, char *pass_b,
			       const struct app_vault_unlocked *ub,
			       struct account *a, struct account *b,
			       unsigned char vault_sk[VAULT_KEY_LEN],
			       struct kv_error *e)
{
	unsigned char pk_a[VAULT_KEY_LEN], sk_a[VAULT_KEY_LEN];
	unsigned char pk_b[VAULT_KEY_LEN], sk_b[VAULT_KEY_LEN];
	unsigned char part_a[VAULT_KEY_LEN], part_b[VAULT_KEY_LEN];
	struct vault_key_rec ka, kb;
	struct vault_share_rec ra, rb;
	enum kv_status rc = opener(x, p, email_a, "email_a", a, &ka, e);
	if (rc == KV_OK)
		rc = opener(x, p, email_b, "email_b", b, &kb, e);
	if (rc == KV_OK && a->id == b->id)
		rc = kv_fail(e, KV_DENIED, "email_b",
			     _("Two different buyers open the vault "
			       "together; one buyer cannot open it alone."));
	if (rc == KV_OK && !ua && (!pass_a || !*pass_a))
		rc = kv_fail(e, KV_INVALID, "passphrase_a",
			     _("Type the vault passphrase."));
	if (rc == KV_OK && !ub && (!pass_b || !*pass_b))
		rc = kv_fail(e, KV_INVALID, "passphrase_b",
			     _("Type the vault passphrase."));
	/* Both derived whatever the first gives, and one answer for either
	 * wrong: neither the message nor the time it takes says which of
	 * the two passphrases was wrong (a guesser learns nothing about
	 * the other buyer's). */
	enum kv_status ra_st = KV_OK, rb_st = KV_OK;
	if (rc == KV_OK) {
		ra_st = buyer_pair(pass_a, ua, a, ka.salt, pk_a, sk_a, e);
		rb_st = buyer_pair(pass_b, ub, b, kb.salt, pk_b, sk_b, e);
		rc = ra_st != KV_OK ? ra_st : rb_st;
	}
	wipe_str(pass_a);
	wipe_str(pass_b);
	int bad = 0;
	if (rc == KV_OK) {
		bad = sodium_memcmp(pk_a, ka.pk, VAULT_KEY_LEN) != 0;
		bad |= sodium_memcmp(pk_b, kb.pk, VAULT_KEY_LEN) != 0;
	}
	if (bad)
		rc = kv_fail(e, KV_DENIED, "passphrase",
			     _("These two vault passphrases do not open the "
			       "vault: at least one of them is wrong."));
	if (rc == KV_OK)
		rc = env == ENVELOPE_PRICE
			? STORE(x->st, price_vault_share_get, p->id, a->id,
				b->id, &ra, e)
			: STORE(x->st, vault_share_get, p->id, a->id, b->id,
				&ra, e);
	if (rc == KV_OK)
		rc = env == ENVELOPE_PRICE
			? STORE(x->st, price_vault_share_get, p->id, b->id,
				a->id, &rb, e)
			: STORE(x->st, vault_share_get, p->id, b->id, a->id,
				&rb, e);
	if (rc == KV_NOT_FOUND)
		rc = kv_fail(e, KV_DENIED, "",
			     _("%s and %s hold no shares of this vault "
			       "together (a buyer who set a passphrase after "
			       "the vault was made holds none)."),
			     a->email, b->email);
	if (rc == KV_OK) {
		struct vault_share sa = {.holder = 0, .partner = 1,
					 .part = ra.part};
		struct vault_share sb = {.holder = 1, .partner = 0,
					 .part = rb.part};
		memcpy(sa.sealed, ra.sealed, sizeof sa.sealed);
		memcpy(sb.sealed, rb.sealed, sizeof sb.sealed);
		rc = vault_pair_check(&sa, &sb, e);
		if (rc == KV_OK)
			rc = vault_share_open(&sa, pk_a, sk_a, part_a, e);
		if (rc == KV_OK)
			rc = vault_share_open(&sb, pk_b, sk_b, part_b, e);
		if (rc == KV_OK)
			rc = vault_combine(part_a, part_b, v->pk, vault_sk, e);
	}
	sodium_memzero(sk_a, sizeof sk_a);
	sodium_memzero(sk_b, sizeof sk_b);
	sodium_memzero(part_a, sizeof part_a);
	sodium_memzero(part_b, sizeof part_b);
	return rc;
}

/* Whether the vault of an envelope can be opened now: it exists, is
 * sealed, and the tender deadline has passed. */
static enum kv_status openable(struct app *x, const struct procedure *p,
			       int env, struct vault_rec *v,
			       struct kv_error *e)
{
	kv_instant deadline = 0;
	enum kv_status rc = env == ENVELOPE_PRICE
		? STORE(x->st, price_vault_get, p->id, v, e)
		: STORE(x->st, vault_get, p->id, v, e);
	if (rc == KV_NOT_FOUND)
		rc = kv_fail(e, KV_DENIED, "",
			     env == ENVELOPE_PRICE
			     ? _("This procedure has no price vault.")
			     : _("This procedure has no vault."));
	if (rc == KV_OK && v->opened_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("This vault has been opened already, on %s."),
			     cal_format_local(x->a, v->opened_at));
	if (rc == KV_OK)
		rc = app_tender_deadline(p, &deadline, e);
	if (rc == KV_OK && x->now <= deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The vault opens only after the tender "
			       "deadline, %s."),
			     cal_format_local(x->a, deadline));
	return rc;
}

/* Whether submission s's receipt is the one its fields give: v2, or v1
 * for a receipt given before v2 (vault.h). */
static bool receipt_ok(const struct procedure *p, const struct submission *s)
{
	unsigned char v2[32], v1[32];
	const unsigned char (*files)[32] = (const unsigned char (*)[32])s->sha256;
	vault_receipt_digest(p->id, s->lot_number, s->candidate_id,
			     s->received_at, &s->id, files, 1, v2);
	vault_receipt_digest(p->id, s->lot_number, s->candidate_id,
			     s->received_at, NULL, files, 1, v1);
	return sodium_memcmp(v2, s->receipt, 32) == 0 ||
	       sodium_memcmp(v1, s->receipt, 32) == 0;
}

/* The opening's audit event: who, and every bid of the envelope with
 * its hash and whether it checked out. */
static enum kv_status audit_opening(struct app *x, const struct procedure *p,
				    const char *action,
				    const struct account *a,
				    const struct account *b,
				    const struct vault_opening *out, int env,
				    struct kv_error *e)
{
	json_t *bids = json_array();
	for (int i = 0; i < out->n; i++) {
		const struct submission *s = &out->subs[i];
		if (s->withdrawn_at || s->envelope != env)
			continue;
		json_array_append_new(bids, json_pack(
			"{s:I, s:i, s:s, s:s, s:b}", "submission",
			(json_int_t)s->id, "lot", s->lot_number, "candidate",
			s->candidate_name, "sha256", app_hex(x->a, s->sha256, 32),
			"verified", out->verified[i]));
	}
	json_t *j = json_pack("{s:[s, s], s:o}", "buyers", a->email, b->email,
			      "bids", bids);
	return app_audit_marked(x, p->tenant_id, action,
				arena_printf(x->a, "procedure/%lld/vault",
					     (long long)p->id),
				NULL, j, e);
}

/* A price envelope's plaintext is a small JSON document, padded with
 * spaces (JSON whitespace) to PRICE_DOC_PADDED bytes, so that every sealed
 * price is as long as every other and its size says nothing of the
 * price's magnitude before the price opening. */
#define PRICE_DOC_MAX 1024
#define PRICE_DOC_PADDED 256

/* The price in a price envelope's plaintext:
 * {"procedure": id, "lot": number, "candidate": id, "price_cents": n,
 *  "nonce": 32 hex digits}. */
static bool price_of(const unsigned char *plain, size_t len,
		     const struct submission *s, int64_t *cents)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)plain, len,
			       JSON_REJECT_DUPLICATES, &je);
	json_int_t pid = 0, lot = 0, cand = 0, price = 0;
	bool ok = j && json_unpack(j, "{s:I, s:I, s:I, s:I}", "procedure",
				   &pid, "lot", &lot, "candidate", &cand,
				   "price_cents", &price) == 0 &&
		  pid == s->procedure_id && lot == s->lot_number &&
		  cand == s->candidate_id && price > 0;
	json_decref(j);
	*cents = ok ? price : 0;
	return ok;
}

enum kv_status app_price_submit(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t candidate_id,
				int64_t price_cents, const char *vault_dir,
				struct submission *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (price_cents <= 0)
		return kv_fail(e, KV_INVALID, "price",
			       _("Give the price in euros, above zero."));
	struct procedure p;
	struct vault_rec qv, pv;
	const struct lot *lot = NULL;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a,
				  &p, e);
	for (int i = 0; rc == KV_OK && i < p.n_lots; i++)
		if (p.lots[i].id == lot_id)
			lot = &p.lots[i];
	if (rc == KV_OK && !lot)
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	if (rc == KV_OK)
		rc = app_submission_check(x, &p, x->now, &qv, e);
	if (rc == KV_OK && STORE(x->st, price_vault_get, p.id, &pv, e) != KV_OK)
		rc = kv_fail(e, KV_DENIED, "",
			     _("This procedure's vault has no price envelope "
			       "(it was made before Kavel kept prices "
			       "apart); put the price in the bid's "
			       "documents."));
	if (rc != KV_OK)
		return rc;

	/* Seal the price document into a new file: tmp, fsync, rename,
	 * fsync the directory, as every sealed upload. */
	/* A random nonce, so the SHA-256 on the receipt (which the buyers
	 * see before the opening) cannot be matched against guessed
	 * prices: without it a price is a few hash tries away. */
	unsigned char nonce[16];
	randombytes_buf(nonce, sizeof nonce);
	char *doc = arena_printf(x->a,
				 "{\"procedure\":%lld,\"lot\":%d,"
				 "\"candidate\":%lld,\"price_cents\":%lld,"
				 "\"nonce\":\"%s\"}",
				 (long long)p.id, lot->number,
				 (long long)candidate_id,
				 (long long)price_cents,
				 app_hex(x->a, nonce, sizeof nonce));
	size_t len = strlen(doc);
	char *padded = arena_alloc_raw(x->a, PRICE_DOC_PADDED);
	memset(padded, ' ', PRICE_DOC_PADDED);
	memcpy(padded, doc, len < PRICE_DOC_PADDED ? len : PRICE_DOC_PADDED);
	sodium_memzero(doc, len);
	rc = len < PRICE_DOC_PADDED
		? seal_file(x, vault_dir, pv.pk, (const unsigned char *)padded,
			    PRICE_DOC_PADDED, out, _("The price could not be sealed."), e)
		: kv_fail(e, KV_INVALID, "price", _("The price could not be sealed."));
	sodium_memzero(padded, PRICE_DOC_PADDED);
	if (rc != KV_OK)
		return rc;
	out->procedure_id = p.id;
	out->lot_id = lot_id;
	out->candidate_id = candidate_id;
	out->account_id = x->actor;
	out->file_name = "price.json";
	out->content_type = "application/json";
	out->envelope = ENVELOPE_PRICE;
	out->received_at = x->now;

	struct submission *subs = NULL;
	int n = 0;
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = app_submission_check(x, &p, x->now, &qv, e);
	if (rc == KV_OK)
		rc = STORE(x->st, submission_list, p.id, x->a, &subs, &n, e);
	/* One price per bidder and lot: a new one replaces the last. */
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (subs[i].lot_id == lot_id &&
		    subs[i].candidate_id == candidate_id &&
		    subs[i].envelope == ENVELOPE_PRICE && !subs[i].withdrawn_at)
			rc = STORE(x->st, submission_withdraw, p.id, subs[i].id,
				   x->now, e);
	if (rc == KV_OK) {
		memset(out->receipt, 0, sizeof out->receipt);
		rc = STORE(x->st, submission_create, out, e);
	}
	if (rc == KV_OK)
		rc = receipt_set(x, &p, lot->number, out, e);
	out->lot_number = lot->number;
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:I, s:s, s:s, s:s}", "lot",
				      lot->number, "candidate",
				      (json_int_t)candidate_id, "envelope",
				      "price", "sha256",
				      app_hex(x->a, out->sha256, 32), "receipt",
				      app_hex(x->a, out->receipt, 32));
		rc = app_audit_marked(x, p.tenant_id, "submission.receive",
				      arena_printf(x->a,
						   "procedure/%lld/submission/%lld",
						   (long long)p.id,
						   (long long)out->id),
				      NULL, j, e);
	}
	rc = app_finish(x, rc, e);
	if (rc != KV_OK) {
		/* Not acknowledged: the sealed file goes too. */
		vault_file_remove(vault_dir, out->path);
	}
	return rc;
}

/* Opens the vault of one envelope (ENVELOPE_*): after `openable`, the
 * two buyers' passphrases give its key (pair_key, outside any
 * transaction: argon2id and the decryption take seconds and must not hold
 * the write lock); every submission of the envelope is decrypted in
 * memory only and checked against its receipt, a price envelope also
 * read for its price; then, in one write transaction, the opening is
 * recorded, the key kept (from now on access is by role: the seal's work,
 * no early opening, is done), the prices stored and the opening audited
 * as `action`. */
/* Failed openings per procedure and envelope (attempts.h), in memory: a
 * restart forgives them, which no buyer can cause.  One mutex; a table
 * small enough to scan, its oldest record reused when full. */
#define GUESS_SLOTS 64
static struct {
	int64_t procedure_id;
	int env;
	struct attempts at;
} guesses[GUESS_SLOTS];
static pthread_mutex_t guesses_mu = PTHREAD_MUTEX_INITIALIZER;

/* The record of (procedure, env), made when missing; call locked. */
static struct attempts *guess_record(int64_t procedure_id, int env)
{
	int free_slot = -1, oldest = 0;
	for (int i = 0; i < GUESS_SLOTS; i++) {
		if (guesses[i].procedure_id == procedure_id && guesses[i].env == env)
			return &guesses[i].at;
		if (!guesses[i].procedure_id && free_slot < 0)
			free_slot = i;
		if (guesses[i].at.last < guesses[oldest].at.last)
			oldest = i;
	}
	int i = free_slot >= 0 ? free_slot : oldest;
	guesses[i].procedure_id = procedure_id;
	guesses[i].env = env;
	attempts_clear(&guesses[i].at);
	return &guesses[i].at;
}

/* KV_DENIED with the moment the next attempt may come, when too many
 * failed lately. */
static enum kv_status guess_check(struct app *x, int64_t procedure_id, int env,
				  struct kv_error *e)
{
	kv_instant until = 0;
	pthread_mutex_lock(&guesses_mu);
	bool blocked = attempts_blocked(guess_record(procedure_id, env), x->now, &until);
	pthread_mutex_unlock(&guesses_mu);
	if (!blocked)
		return KV_OK;
	return kv_fail(e, KV_DENIED, "",
		       _("The vault passphrases were wrong %d times in a row; "
			 "the next attempt is possible from %s."),
		       ATTEMPTS_MAX, cal_format_local(x->a, until));
}

static void guess_note(struct app *x, int64_t procedure_id, int env, bool ok)
{
	pthread_mutex_lock(&guesses_mu);
	struct attempts *a = guess_record(procedure_id, env);
	if (ok)
		attempts_clear(a);
	else
		attempts_failed(a, x->now);
	pthread_mutex_unlock(&guesses_mu);
}

/* A refused opening with wrong passphrases, in the audit trail in its own
 * transaction (the opening changed nothing): who tried, never which
 * passphrase was wrong. */
static void audit_refused_opening(struct app *x, const struct procedure *p,
				  const char *action, const struct account *a,
				  const struct account *b)
{
	struct kv_error e;
	enum kv_status rc = app_begin(x, &e);
	json_t *j = json_pack("{s:[s,s]}", "buyers", a->email ? a->email : "",
			      b->email ? b->email : "");
	if (rc == KV_OK)
		rc = app_audit_marked(x, p->tenant_id,
				      arena_printf(x->a, "%s-refused", action),
				      arena_printf(x->a, "procedure/%lld",
						   (long long)p->id),
				      NULL, j, &e);
	else
		json_decref(j);
	app_finish(x, rc, &e);
}

static enum kv_status open_envelope(struct app *x, const struct procedure *p,
				    int env, const char *action,
				    const char *vault_dir, const char *email_a,
				    char *pass_a,
				    const struct app_vault_unlocked *ua,
				    const char *email_b, char *pass_b,
				    const struct app_vault_unlocked *ub,
				    struct vault_opening *out,
				    struct kv_error *e)
{
	unsigned char vault_sk[VAULT_KEY_LEN];
	struct vault_rec v;
	struct account a, b;
	enum kv_status rc = openable(x, p, env, &v, e);
	if (rc == KV_OK)
		rc = guess_check(x, p->id, env, e);
	if (rc == KV_OK) {
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		rc = pair_key(x, p, env, &v, email_a, pass_a, ua, email_b,
			      pass_b, ub, &a, &b, vault_sk, e);
		bool wrong = rc == KV_DENIED && strcmp(e->field, "passphrase") == 0;
		if (wrong)
			audit_refused_opening(x, p, action, &a, &b);
		if (rc == KV_OK || wrong)
			guess_note(x, p->id, env, rc == KV_OK);
	} else {
		wipe_str(pass_a);
		wipe_str(pass_b);
		return rc;
	}
	if (rc == KV_OK)
		rc = STORE(x->st, submission_list, p->id, x->a, &out->subs,
			   &out->n, e);
	int64_t *prices = NULL;
	if (rc == KV_OK) {
		out->verified = arena_alloc(x->a, (size_t)(out->n + 1) *
						  sizeof *out->verified);
		prices = arena_alloc(x->a, (size_t)(out->n + 1) *
					   sizeof *prices);
		unsigned char *frame = arena_alloc_raw(x->a, VAULT_FRAME_MAX);
		unsigned char *plain = arena_alloc_raw(x->a, VAULT_CHUNK_MAX);
		unsigned char *doc = arena_alloc_raw(x->a, PRICE_DOC_MAX);
		for (int i = 0; i < out->n; i++) {
			const struct submission *s = &out->subs[i];
			if (s->withdrawn_at || s->envelope != env)
				continue;
			size_t len = 0;
			bool price = env == ENVELOPE_PRICE;
			out->verified[i] =
				receipt_ok(p, s) &&
				check_bid(vault_dir, s, vault_sk, frame,
					  plain, price ? doc : NULL,
					  price ? &len : NULL,
					  PRICE_DOC_MAX) &&
				(!price || price_of(doc, len, s, &prices[i]));
			sodium_memzero(doc, PRICE_DOC_MAX);
		}
	}
	if (rc == KV_OK)
		rc = app_begin(x, e);
	if (rc != KV_OK) {
		sodium_memzero(vault_sk, sizeof vault_sk);
		return rc;
	}
	rc = env == ENVELOPE_PRICE
		? STORE(x->st, price_vault_mark_opened, p->id, x->now, a.id,
			b.id, e)
		: STORE(x->st, vault_mark_opened, p->id, x->now, a.id, b.id,
			e);
	if (rc == KV_OK)
		rc = STORE(x->st, vault_keep_key, p->id, env, vault_sk, e);
	sodium_memzero(vault_sk, sizeof vault_sk);
	for (int i = 0; rc == KV_OK && env == ENVELOPE_PRICE && i < out->n;
	     i++) {
		const struct submission *s = &out->subs[i];
		if (s->withdrawn_at || s->envelope != ENVELOPE_PRICE ||
		    !out->verified[i])
			continue;
		struct bid_price bp = {.lot_id = s->lot_id,
				       .procedure_id = p->id,
				       .candidate_id = s->candidate_id,
				       .price_cents = prices[i],
				       .submission_id = s->id,
				       .opened_at = x->now};
		rc = STORE(x->st, bid_price_put, &bp, e);
	}
	if (rc == KV_OK)
		rc = audit_opening(x, p, action, &a, &b, out, env, e);
	out->by_1 = a.id;
	out->by_2 = b.id;
	out->opened_at = x->now;
	return app_finish(x, rc, e);
}

/* Whether the prices of p can be opened: after the quality vault's
 * opening, and once every lot whose rules keep the price sealed until
 * quality is final has final quality. */
static enum kv_status price_openable(struct app *x, int64_t procedure_id,
				     struct procedure *p, struct kv_error *e)
{
	struct vault_rec qv;
	struct award_setup_rec *setups = NULL;
	int ns = 0;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a,
				  p, e);
	if (rc == KV_OK && (STORE(x->st, vault_get, p->id, &qv, e) != KV_OK ||
			    !qv.opened_at))
		rc = kv_fail(e, KV_DENIED, "",
			     _("The prices are opened after the bids: open "
			       "the vault first."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_setup_list, p->id, x->a, &setups, &ns,
			   e);
	for (int i = 0; rc == KV_OK && i < ns; i++) {
		struct award_rules r;
		if (setups[i].quality_final_at ||
		    app_award_rules_parse_text(x->a, setups[i].rules, &r,
					       e) != KV_OK ||
		    !r.price_after_quality)
			continue;
		int number = 0;
		for (int k = 0; k < p->n_lots; k++)
			if (p->lots[k].id == setups[i].lot_id)
				number = p->lots[k].number;
		rc = kv_fail(e, KV_DENIED, "",
			     _("The prices stay sealed until the quality "
			       "scores are final: lot %d's are not yet."),
			     number);
	}
	return rc;
}

enum kv_status app_envelope_open(struct app *x, int64_t procedure_id, int env,
				 const char *vault_dir, struct app_opener *a,
				 struct app_opener *b, struct vault_opening *out,
				 struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct procedure p;
	enum kv_status rc = env == ENVELOPE_PRICE
		? price_openable(x, procedure_id, &p, e)
		: STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc != KV_OK) {
		wipe_str(a->pass);
		wipe_str(b->pass);
		return rc;
	}
	return open_envelope(x, &p, env, env == ENVELOPE_PRICE ? "price.open" : "vault.open",
			     vault_dir, a->email, a->pass, a->unlocked, b->email,
			     b->pass, b->unlocked, out, e);
}

enum kv_status app_bidder_account_create(struct app *x, int64_t procedure_id,
					 int64_t candidate_id,
					 struct account *acc,
					 const char *password,
					 struct kv_error *e)
{
	if (app_account_prepare(x, acc, password, e) != KV_OK)
		return e->status;
	struct procedure p;
	struct candidate *cs = NULL;
	int nc = 0;
	const struct candidate *c = NULL;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_list, procedure_id, x->a, &cs, &nc, e);
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (cs[i].id == candidate_id)
			c = &cs[i];
	if (rc == KV_OK && (!c || c->n_parties == 0))
		rc = kv_fail(e, KV_NOT_FOUND, "candidate",
			     _("This procedure has no such candidate."));
	if (rc == KV_OK) {
		/* The account belongs to the penvoerder (lead party). */
		acc->org_id = c->parties[0].org_id;
		for (int i = 0; i < c->n_parties; i++)
			if (c->parties[i].role == PARTY_PENVOERDER)
				acc->org_id = c->parties[i].org_id;
		rc = STORE(x->st, account_create, acc, e);
	}
	struct grant g = {.account_id = acc->id, .tenant_id = p.tenant_id,
			  .procedure_id = procedure_id, .role = ROLE_BIDDER,
			  .candidate_id = candidate_id};
	if (rc == KV_OK)
		rc = STORE(x->st, grant_add, &g, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:s}", "account",
				      (json_int_t)acc->id, "email", acc->email,
				      "name", acc->name, "org",
				      (json_int_t)acc->org_id, "role", "bidder");
		rc = app_audit_marked(x, p.tenant_id, "bidder.account",
				      arena_printf(x->a,
						   "procedure/%lld/candidate/%lld",
						   (long long)procedure_id,
						   (long long)candidate_id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}
