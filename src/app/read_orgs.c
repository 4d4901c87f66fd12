/*
 * read_orgs.c - the read models of the organisation pages; see
 * read_orgs.h.  Reads only, in the request's read (router.c).
 */
#include <string.h>

#include "internal.h"
#include "read_orgs.h"

static enum kv_status org_view_in(struct app *x, struct app_org_view *v,
				  struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, claim_of_account, x->actor, x->a,
				  &v->claim, e);
	if (rc == KV_NOT_FOUND) {
		/* No organisation account yet: the account's organisation,
		 * with the account as its administrator, as app_claim_ensure
		 * will make it on its first action. */
		struct account acc;
		struct org o;
		rc = STORE(x->st, account_get, x->actor, x->a, &acc, e);
		if (rc == KV_OK)
			rc = STORE(x->st, org_get, acc.org_id, x->a, &o, e);
		if (rc != KV_OK)
			return rc;
		v->claim = (struct org_claim){.org_id = o.id, .name = o.name,
					      .address = "", .kvk = o.kvk};
		v->admin = true;
		v->users = arena_alloc(x->a, sizeof *v->users);
		v->users[0] = (struct claim_user){.account_id = acc.id,
						  .email = acc.email,
						  .name = acc.name,
						  .admin = true};
		v->n_users = 1;
	} else if (rc == KV_OK) {
		rc = STORE(x->st, claim_user_list, v->claim.id, x->a, &v->users,
			   &v->n_users, e);
		for (int i = 0; rc == KV_OK && i < v->n_users; i++)
			if (v->users[i].account_id == x->actor)
				v->admin = v->users[i].admin;
		if (rc == KV_OK && v->admin)
			rc = STORE(x->st, invitation_list, v->claim.id, x->a,
				   &v->invitations, &v->n_invitations, e);
	}
	struct claim_candidate *cs = NULL;
	int nc = 0;
	if (rc == KV_OK)
		rc = STORE(x->st, claim_candidates, v->claim.id, v->claim.org_id,
			   x->a, &cs, &nc, e);
	if (rc != KV_OK)
		return rc;
	v->tenders = arena_alloc(x->a, (size_t)(nc + 1) * sizeof *v->tenders);
	for (int i = 0; i < nc; i++) {
		struct app_org_tender *t = &v->tenders[v->n_tenders++];
		t->c = cs[i];
		struct procedure p;
		struct kv_error de;
		if (STORE(x->st, procedure_get, cs[i].procedure_id, x->a, &p,
			  &de) == KV_OK &&
		    app_application_deadline(&p, &t->deadline, &de) == KV_OK)
			t->open = x->now <= t->deadline;
	}
	return KV_OK;
}

enum kv_status app_org_view(struct app *x, struct app_org_view *v,
			    struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	return org_view_in(x, v, e);
}

static const char *penvoerder_kvk(const struct candidate *c)
{
	for (int i = 0; i < c->n_parties; i++)
		if (c->parties[i].role == PARTY_PENVOERDER)
			return c->parties[i].kvk;
	return NULL;
}

static enum kv_status claims_view_in(struct app *x, int64_t procedure_id,
				     struct app_claims_view *v,
				     struct kv_error *e)
{
	struct candidate *cs = NULL;
	struct candidate_claim_rec *cl = NULL;
	struct party_confirmation *pc = NULL;
	int nc = 0, ncl = 0, npc = 0;
	enum kv_status rc = STORE(x->st, candidate_list, procedure_id, x->a,
				  &cs, &nc, e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_claim_list, procedure_id, x->a, &cl,
			   &ncl, e);
	if (rc == KV_OK)
		rc = STORE(x->st, party_confirmation_list, procedure_id, x->a,
			   &pc, &npc, e);
	if (rc != KV_OK)
		return rc;
	v->rows = arena_alloc(x->a, (size_t)(nc + 1) * sizeof *v->rows);
	for (int i = 0; i < nc; i++) {
		struct app_claim_row *r = &v->rows[v->n_rows++];
		r->cand = cs[i];
		r->claim.verdict = -1;
		for (int j = 0; j < ncl; j++)
			if (cl[j].candidate_id == cs[i].id)
				r->claim = cl[j];
		const char *k = penvoerder_kvk(&cs[i]);
		for (int j = 0; k && j < nc; j++) {
			const char *o = penvoerder_kvk(&cs[j]);
			if (j != i && o && strcmp(o, k) == 0)
				r->conflict = true;
		}
		if (r->conflict && r->claim.verdict < 0)
			v->n_conflicts++;
		r->members = arena_alloc(x->a, (size_t)(cs[i].n_parties + 1) *
						       sizeof *r->members);
		for (int j = 0; j < cs[i].n_parties; j++) {
			if (cs[i].parties[j].role != PARTY_MEMBER)
				continue;
			struct app_claim_member *m = &r->members[r->n_members++];
			m->party = cs[i].parties[j];
			for (int q = 0; q < npc; q++)
				if (pc[q].candidate_id == cs[i].id &&
				    pc[q].org_id == m->party.org_id) {
					m->confirmed = true;
					m->confirmed_by = pc[q].claim_name;
				}
			if (!m->confirmed)
				r->n_unconfirmed++;
		}
	}
	return KV_OK;
}

enum kv_status app_claims_view(struct app *x, int64_t procedure_id,
			       struct app_claims_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	return claims_view_in(x, procedure_id, v, e);
}
