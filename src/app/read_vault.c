/*
 * read_vault.c - the vault pages' read model (read_vault.h).
 */
#include <jansson.h>
#include <string.h>

#include "read_vault.h"
#include "store/store.h"

enum kv_status app_vault_view(struct app *x, const struct procedure *p,
			      struct app_vault_view *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status rc = STORE(x->st, vault_get, p->id, &out->v, e);
	out->exists = rc == KV_OK;
	if (rc == KV_NOT_FOUND)
		rc = KV_OK;
	if (rc == KV_OK)
		rc = STORE(x->st, vault_keys_of_buyers, p->tenant_id, p->id, x->a,
			   &out->keys, &out->n_keys, e);
	if (rc == KV_OK)
		rc = STORE(x->st, submission_list, p->id, x->a, &out->subs,
			   &out->n_subs, e);
	if (rc == KV_OK)
		rc = app_bid_limits(x, p->id, &out->limits, e);
	for (int i = 0; i < out->n_subs; i++)
		out->total_bytes += out->subs[i].size;
	struct kv_error de;
	if (app_tender_deadline(p, &out->deadline, &de) != KV_OK)
		out->deadline = 0;
	/* the rules of app_bid_limits_set */
	out->limit_open = !(out->exists && out->v.opened_at) &&
			  !(out->deadline && x->now > out->deadline);
	return rc;
}

const char *app_vault_holder(const struct app_vault_view *v, int64_t account_id)
{
	for (int i = 0; i < v->n_keys; i++)
		if (v->keys[i].account_id == account_id)
			return v->keys[i].name;
	return "?";
}

enum kv_status app_vault_key_get(struct app *x, int64_t account_id,
				 struct vault_key_rec *out, struct kv_error *e)
{
	return STORE(x->st, vault_key_get, account_id, x->a, out, e);
}

void app_vault_opening_tally(const struct vault_opening *o, int *opened,
			     int *matched)
{
	*opened = *matched = 0;
	for (int i = 0; i < o->n; i++) {
		*matched += o->verified[i];
		*opened += !o->subs[i].withdrawn_at;
	}
}

enum kv_status app_submission_get(struct app *x, int64_t procedure_id,
				  int64_t sub_id, struct submission *out,
				  struct kv_error *e)
{
	struct submission *subs = NULL;
	int n = 0;
	enum kv_status rc = STORE(x->st, submission_list, procedure_id, x->a,
				  &subs, &n, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < n; i++)
		if (subs[i].id == sub_id) {
			*out = subs[i];
			return KV_OK;
		}
	return kv_fail(e, KV_NOT_FOUND, "", _("There is no such bid."));
}

enum kv_status app_submissions_of(struct app *x, int64_t procedure_id,
				  int64_t candidate_id,
				  struct submission **out, int *n,
				  struct kv_error *e)
{
	struct submission *subs = NULL;
	int all = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, submission_list, procedure_id, x->a,
				  &subs, &all, e);
	if (rc != KV_OK)
		return rc;
	/* in place: the list is this call's own */
	for (int i = 0; i < all; i++)
		if (subs[i].candidate_id == candidate_id)
			subs[(*n)++] = subs[i];
	*out = subs;
	return KV_OK;
}

/* What the event's "bids" ([{"submission": id, "verified": bool}, ...])
 * say of submission id: APP_BID_MATCH or APP_BID_MISMATCH, or
 * APP_BID_NOT_OPENED when it is not among them. */
static enum app_bid_check bid_check(json_t *bids, int64_t id)
{
	size_t i;
	json_t *b;
	json_array_foreach(bids, i, b)
		if (json_integer_value(json_object_get(b, "submission")) == id)
			return json_is_true(json_object_get(b, "verified"))
			       ? APP_BID_MATCH : APP_BID_MISMATCH;
	return APP_BID_NOT_OPENED;
}

enum kv_status app_opening_record(struct app *x, const struct procedure *p,
				  struct app_opening_record *out,
				  struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status rc = app_vault_view(x, p, &out->vs, e);
	if (rc != KV_OK)
		return rc;
	const struct app_vault_view *vs = &out->vs;
	if (!vs->exists || !vs->v.opened_at)
		return kv_fail(e, KV_DENIED, "", _("The vault has not been opened yet."));
	struct audit_row *rows = NULL;
	int n = 0;
	rc = STORE(x->st, audit_list, p->tenant_id,
		   arena_printf(x->a, "procedure/%lld/vault", (long long)p->id),
		   100, x->a, &rows, &n, e);
	if (rc != KV_OK)
		return rc;
	const struct audit_row *quality_ev = NULL, *price_ev = NULL;
	for (int i = 0; i < n; i++) {
		if (strcmp(rows[i].ev.action, "vault.open") == 0)
			quality_ev = &rows[i];
		if (strcmp(rows[i].ev.action, "price.open") == 0)
			price_ev = &rows[i];
	}
	if (!quality_ev)
		return kv_fail(e, KV_IO, "", _("The audit trail has no record of the opening."));
	struct kv_error pe;
	if (STORE(x->st, price_vault_get, p->id, &out->pv, &pe) != KV_OK)
		memset(&out->pv, 0, sizeof out->pv);
	json_t *qj = json_loads(quality_ev->ev.after ? quality_ev->ev.after : "", 0, NULL);
	json_t *pj = price_ev && out->pv.opened_at
		     ? json_loads(price_ev->ev.after ? price_ev->ev.after : "", 0, NULL)
		     : NULL;
	out->check = arena_alloc(x->a, (size_t)(vs->n_subs + 1) * sizeof *out->check);
	for (int i = 0; i < vs->n_subs; i++) {
		const struct submission *s = &vs->subs[i];
		if (s->envelope == ENVELOPE_PRICE && !out->pv.opened_at)
			out->check[i] = s->withdrawn_at ? APP_BID_NOT_OPENED
						       : APP_BID_PRICE_SEALED;
		else
			out->check[i] = bid_check(json_object_get(s->envelope == ENVELOPE_PRICE
								  ? pj : qj, "bids"), s->id);
	}
	json_decref(qj);
	json_decref(pj);
	return KV_OK;
}
