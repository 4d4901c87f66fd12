/*
 * org_actions.c - organisation accounts across tenders, KvK claims that
 * cannot lock anyone out, consortium members' confirmations and
 * invitations; see org_actions.h.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "internal.h"
#include "org_actions.h"

enum kv_status app_claim_ensure(struct app *x, struct org_claim *c,
				struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, claim_of_account, x->actor, x->a, c, e);
	if (rc != KV_NOT_FOUND)
		return rc;
	struct account acc;
	struct org o;
	rc = STORE(x->st, account_get, x->actor, x->a, &acc, e);
	if (rc == KV_OK)
		rc = STORE(x->st, org_get, acc.org_id, x->a, &o, e);
	if (rc == KV_OK && o.kind != ORG_SUPPLIER)
		return kv_fail(e, KV_DENIED, "",
			       _("This account belongs to a municipality, not "
				 "to an organisation that takes part."));
	if (rc != KV_OK)
		return rc;
	*c = (struct org_claim){.org_id = o.id, .name = o.name, .address = "",
				.kvk = o.kvk, .created_at = x->now,
				.created_by = x->actor};
	rc = STORE(x->st, claim_create, c, e);
	struct claim_user u = {.account_id = x->actor, .claim_id = c->id,
			       .admin = true, .joined_at = x->now};
	if (rc == KV_OK)
		rc = STORE(x->st, claim_user_add, &u, e);
	return rc;
}

/* The bidder grant of candidate c (of procedure p) for every user of the
 * organisation account. */
static enum kv_status grant_users(struct app *x, int64_t claim_id,
				  const struct procedure *p, int64_t cand,
				  struct kv_error *e)
{
	struct claim_user *us = NULL;
	int n = 0;
	enum kv_status rc = STORE(x->st, claim_user_list, claim_id, x->a, &us,
				  &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++) {
		struct grant g = {.account_id = us[i].account_id,
				  .tenant_id = p->tenant_id,
				  .procedure_id = p->id, .role = ROLE_BIDDER,
				  .candidate_id = cand};
		rc = STORE(x->st, grant_add, &g, e);
		if (rc == KV_CONFLICT)
			rc = kv_fail(e, KV_CONFLICT, "",
				     _("A user of your organisation takes part "
				       "in this procedure for another "
				       "candidate already."));
	}
	return rc;
}

enum kv_status app_register_again(struct app *x, struct candidate *c,
				  struct kv_error *e)
{
	struct org_claim cl;
	struct procedure p;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = app_claim_ensure(x, &cl, e);
	if (rc == KV_OK) {
		c->parties[0] = (struct party){.org_id = cl.org_id,
					       .org_name = cl.name,
					       .kvk = cl.kvk,
					       .role = PARTY_PENVOERDER};
		if (!c->name || !*c->name)
			c->name = cl.name;
		rc = candidate_check(c, e);
	}
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_get, c->procedure_id, x->a, &p, e);
	if (rc == KV_NOT_FOUND)
		rc = kv_fail(e, KV_NOT_FOUND, "",
			     _("There is no such published procedure."));
	if (rc == KV_OK)
		rc = app_registration_open(x, &p, e);
	struct claim_candidate *cs = NULL;
	int nc = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidates, cl.id, 0, x->a, &cs, &nc, e);
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (cs[i].procedure_id == p.id)
			rc = kv_fail(e, KV_CONFLICT, "",
				     _("Your organisation has registered for "
				       "this procedure already."));
	if (rc == KV_OK)
		rc = app_resolve_parties(x, c->parties + 1, c->n_parties - 1,
					 "parties", e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_create, c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidate_set, c->id, cl.id, e);
	if (rc == KV_OK)
		rc = grant_users(x, cl.id, &p, c->id, e);
	if (rc == KV_OK) {
		json_t *parties = app_parties_json(c->parties, c->n_parties);
		json_t *j = json_pack("{s:s, s:b, s:o, s:I, s:s}", "name",
				      c->name, "consortium", c->consortium,
				      "parties", parties, "organisation",
				      (json_int_t)cl.id, "role", "bidder");
		rc = app_audit(x, p.tenant_id, "candidate.register",
			       arena_printf(x->a, "procedure/%lld/candidate/%lld",
					    (long long)p.id, (long long)c->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_member_confirm(struct app *x, int64_t candidate_id,
				  struct kv_error *e)
{
	struct org_claim cl;
	struct claim_candidate *cs = NULL;
	int nc = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = app_claim_ensure(x, &cl, e);
	if (rc == KV_DENIED)   /* a municipality's account: a member of none */
		cl = (struct org_claim){0}, rc = KV_OK;
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidates, cl.id, cl.org_id, x->a, &cs,
			   &nc, e);
	const struct claim_candidate *m = NULL;
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (cs[i].candidate_id == candidate_id &&
		    cs[i].role == PARTY_MEMBER)
			m = &cs[i];
	/* The same answer whether the candidate does not exist or does not
	 * name this organisation: nobody learns of other consortia. */
	if (rc == KV_OK && !m)
		rc = kv_fail(e, KV_NOT_FOUND, "",
			     _("No consortium names your organisation as a "
			       "member under this number."));
	struct procedure p;
	kv_instant deadline = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_get, m->procedure_id, x->a, &p, e);
	if (rc == KV_OK)
		rc = app_application_deadline(&p, &deadline, e);
	if (rc == KV_OK && x->now > deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The application deadline passed at %s; a "
			       "membership can no longer be confirmed."),
			     cal_format_local(x->a, deadline));
	if (rc == KV_OK && m->confirmed_by_claim)
		rc = kv_fail(e, KV_CONFLICT, "",
			     _("This membership has been confirmed already."));
	struct party_confirmation pc = {.candidate_id = candidate_id,
					.org_id = cl.org_id, .claim_id = cl.id,
					.confirmed_at = x->now,
					.confirmed_by = x->actor};
	if (rc == KV_OK)
		rc = STORE(x->st, party_confirm, &pc, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:I}", "kvk", cl.kvk,
				      "organisation", (json_int_t)cl.id,
				      "candidate", (json_int_t)candidate_id);
		rc = app_audit(x, p.tenant_id, "candidate.member_confirm",
			       arena_printf(x->a, "procedure/%lld/candidate/%lld",
					    (long long)p.id,
					    (long long)candidate_id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

/* The KvK number of a candidate's penvoerder, NULL when it has none. */
static const char *penvoerder_kvk(const struct candidate *c)
{
	for (int i = 0; i < c->n_parties; i++)
		if (c->parties[i].role == PARTY_PENVOERDER)
			return c->parties[i].kvk;
	return NULL;
}

enum kv_status app_claim_decide(struct app *x, int64_t procedure_id,
				int64_t candidate_id, const char *reason,
				struct kv_error *e)
{
	if (!reason || !*reason)
		return kv_fail(e, KV_INVALID, "reason",
			       _("Give the reason why this registration is "
				 "the genuine one."));
	if (text_check_lines(reason, 2000, true, "reason", e) != KV_OK)
		return e->status;
	struct procedure p;
	struct candidate *cs = NULL;
	int nc = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_list, procedure_id, x->a, &cs, &nc, e);
	const char *kvk = NULL;
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (cs[i].id == candidate_id)
			kvk = penvoerder_kvk(&cs[i]);
	if (rc == KV_OK && !kvk)
		rc = kv_fail(e, KV_NOT_FOUND, "candidate",
			     _("This procedure has no such candidate."));
	json_t *others = json_array();
	for (int i = 0; rc == KV_OK && i < nc; i++) {
		const char *k = penvoerder_kvk(&cs[i]);
		if (cs[i].id == candidate_id || !k || strcmp(k, kvk) != 0)
			continue;
		json_array_append_new(others, json_integer(cs[i].id));
		rc = STORE(x->st, claim_verdict_put, cs[i].id, false, reason,
			   x->now, x->actor, e);
	}
	if (rc == KV_OK && json_array_size(others) == 0)
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("No other candidate registered under KvK "
			       "number %s: there is no conflict to decide."),
			     kvk);
	if (rc == KV_OK)
		rc = STORE(x->st, claim_verdict_put, candidate_id, true, reason,
			   x->now, x->actor, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:O, s:s}", "kvk", kvk,
				      "genuine", (json_int_t)candidate_id,
				      "not_genuine", others, "reason", reason);
		rc = app_audit(x, p.tenant_id, "candidate.claim_decide",
			       arena_printf(x->a, "procedure/%lld/candidate/%lld",
					    (long long)procedure_id,
					    (long long)candidate_id),
			       NULL, app_json_text(x->a, j), e);
	}
	json_decref(others);
	return app_finish(x, rc, e);
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

enum kv_status app_org_invite(struct app *x, const char *email,
			      char token[65], struct org_invitation *inv,
			      struct kv_error *e)
{
	char norm[EMAIL_MAX + 1];
	if (email_normalize(email, norm, sizeof norm, "email", e) != KV_OK)
		return e->status;
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	struct org_claim cl;
	struct claim_user *us = NULL;
	int nu = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = app_claim_ensure(x, &cl, e);
	if (rc == KV_OK)
		rc = STORE(x->st, claim_user_list, cl.id, x->a, &us, &nu, e);
	bool admin = false;
	for (int i = 0; rc == KV_OK && i < nu; i++)
		if (us[i].account_id == x->actor)
			admin = us[i].admin;
	if (rc == KV_OK && !admin)
		rc = kv_fail(e, KV_DENIED, "",
			     _("Only an administrator of the organisation "
			       "invites users."));
	struct account other;
	struct kv_error oe;
	if (rc == KV_OK &&
	    STORE(x->st, account_by_email, norm, x->a, &other, &oe) == KV_OK)
		rc = kv_fail(e, KV_CONFLICT, "email",
			     _("An account with this e-mail address exists "
			       "already; it cannot be invited."));
	*inv = (struct org_invitation){.claim_id = cl.id,
				       .email = arena_strdup(x->a, norm),
				       .created_at = x->now,
				       .created_by = x->actor,
				       .expires_at = x->now +
						     APP_INVITATION_DAYS * 86400};
	token_hash(token, inv->token_hash);
	if (rc == KV_OK)
		rc = STORE(x->st, invitation_create, inv, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:I}", "email", inv->email,
				      "organisation", (json_int_t)cl.id,
				      "expires_at", (json_int_t)inv->expires_at);
		rc = app_audit(x, 0, "org.invite",
			       arena_printf(x->a, "organisation/%lld/invitation/%lld",
					    (long long)cl.id, (long long)inv->id),
			       NULL, app_json_text(x->a, j), e);
	}
	if (rc != KV_OK)
		sodium_memzero(token, 65);
	return app_finish(x, rc, e);
}

/* The invitation of token, still usable, inside a transaction. */
static enum kv_status invitation_usable(struct app *x, const char *token,
					struct org_invitation *inv,
					struct org_claim *c, struct kv_error *e)
{
	if (!token || strlen(token) != 64)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("This invitation link is not valid."));
	unsigned char h[32];
	token_hash(token, h);
	enum kv_status rc = STORE(x->st, invitation_by_hash, h, x->a, inv, e);
	if (rc == KV_OK && inv->used_at)
		rc = kv_fail(e, KV_CONFLICT, "",
			     _("This invitation has been used already."));
	if (rc == KV_OK && x->now > inv->expires_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("This invitation expired at %s; ask for a new "
			       "one."), cal_format_local(x->a, inv->expires_at));
	if (rc == KV_OK)
		rc = STORE(x->st, claim_get, inv->claim_id, x->a, c, e);
	return rc;
}

enum kv_status app_invitation_get(struct app *x, const char *token,
				  struct org_invitation *inv,
				  struct org_claim *c, struct kv_error *e)
{
	return invitation_usable(x, token, inv, c, e);
}

enum kv_status app_invitation_accept(struct app *x, const char *token,
				     struct account *acc,
				     const char *password,
				     struct kv_error *e)
{
	struct org_invitation inv;
	struct org_claim cl;
	/* The address first, so that the account is checked as it will be. */
	enum kv_status rc = app_invitation_get(x, token, &inv, &cl, e);
	if (rc != KV_OK)
		return rc;
	acc->email = inv.email;
	if (app_account_prepare(x, acc, password, e) != KV_OK)
		return e->status;
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = invitation_usable(x, token, &inv, &cl, e);
	if (rc == KV_OK) {
		acc->org_id = cl.org_id;
		rc = STORE(x->st, account_create, acc, e);
		if (rc == KV_CONFLICT)
			rc = kv_fail(e, KV_CONFLICT, "email",
				     _("This e-mail address cannot be used."));
	}
	struct claim_user u = {.account_id = acc->id, .claim_id = cl.id,
			       .admin = false, .joined_at = x->now};
	if (rc == KV_OK)
		rc = STORE(x->st, claim_user_add, &u, e);
	if (rc == KV_OK)
		rc = STORE(x->st, invitation_use, inv.id, x->now, acc->id, e);
	struct claim_candidate *cs = NULL;
	int nc = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidates, cl.id, 0, x->a, &cs, &nc, e);
	for (int i = 0; rc == KV_OK && i < nc; i++) {
		struct grant g = {.account_id = acc->id,
				  .tenant_id = cs[i].tenant_id,
				  .procedure_id = cs[i].procedure_id,
				  .role = ROLE_BIDDER,
				  .candidate_id = cs[i].candidate_id};
		rc = STORE(x->st, grant_add, &g, e);
	}
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:I, s:I}", "email", acc->email,
				      "organisation", (json_int_t)cl.id,
				      "invitation", (json_int_t)inv.id);
		rc = app_audit(x, 0, "org.join",
			       arena_printf(x->a, "organisation/%lld/user/%lld",
					    (long long)cl.id, (long long)acc->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}
