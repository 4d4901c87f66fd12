/*
 * read_procedure.c - the read models of the procedure pages (see
 * read_procedure.h): the dashboard, lots, candidates and a
 * municipality's name.
 */
#include "read_procedure.h"

int app_buyer_tenants(const struct grant *g, int n_grants, int64_t *out,
		      int max)
{
	int n = 0;
	for (int i = 0; i < n_grants && n < max; i++)
		if (g[i].role == ROLE_BUYER && g[i].procedure_id == 0)
			out[n++] = g[i].tenant_id;
	return n;
}

#define BUYER_TENANTS_MAX 8

enum kv_status app_dashboard_view(struct app *x, int64_t account_id,
				  const struct grant *g, int n_grants,
				  struct dashboard_view *out,
				  struct kv_error *e)
{
	*out = (struct dashboard_view){0};
	int64_t ids[BUYER_TENANTS_MAX];
	out->can_create = app_buyer_tenants(g, n_grants, ids, BUYER_TENANTS_MAX) > 0;
	return STORE(x->st, procedure_visible, account_id, x->a,
		     &out->procedures, &out->n_procedures, e);
}

enum kv_status app_buyer_tenant_orgs(struct app *x, const struct grant *g,
				     int n_grants, struct org **out, int *n,
				     struct kv_error *e)
{
	(void)e;
	int64_t ids[BUYER_TENANTS_MAX];
	int nt = app_buyer_tenants(g, n_grants, ids, BUYER_TENANTS_MAX);
	*out = arena_alloc(x->a, sizeof **out * (size_t)(nt + 1));
	*n = 0;
	for (int i = 0; i < nt; i++) {
		struct kv_error ge;
		if (STORE(x->st, org_get, ids[i], x->a, &(*out)[*n], &ge) == KV_OK)
			(*n)++;
	}
	return KV_OK;
}

bool app_candidate_visible(unsigned roles, int64_t own,
			   const struct candidate *c)
{
	if (roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL))
		return true;
	return own && own == c->id;
}

enum kv_status app_candidates_visible(struct app *x, int64_t procedure_id,
				      unsigned roles, int64_t own,
				      struct candidate **out, int *n,
				      struct kv_error *e)
{
	struct candidate *all = NULL;
	int na = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, candidate_list, procedure_id, x->a,
				  &all, &na, e);
	if (rc != KV_OK)
		return rc;
	*out = arena_alloc(x->a, sizeof **out * (size_t)(na + 1));
	for (int i = 0; i < na; i++)
		if (app_candidate_visible(roles, own, &all[i]))
			(*out)[(*n)++] = all[i];
	return KV_OK;
}

enum kv_status app_lots_view(struct app *x, const struct procedure *p,
			     unsigned roles, int64_t own,
			     struct lots_view *out, struct kv_error *e)
{
	(void)e;
	*out = (struct lots_view){0};
	for (int i = 0; i < p->n_stages; i++) {
		if (p->stages[i].kind == SK_DEFINITIVE_AWARD &&
		    p->stages[i].status == STAGE_COMPLETED)
			out->awarded = true;
		if (own && p->stages[i].kind == SK_TENDER_DEADLINE)
			out->bids = true;
	}
	if (out->awarded && (roles & ROLE_BUYER)) {
		/* Without its candidates no contract form is offered; the
		 * lots themselves still show. */
		struct kv_error ce;
		if (STORE(x->st, candidate_list, p->id, x->a, &out->candidates,
			  &out->n_candidates, &ce) != KV_OK)
			out->n_candidates = 0;
		out->contracts = out->n_candidates > 0;
	}
	return KV_OK;
}

int app_lot_next_number(const struct procedure *p)
{
	int next = 1;
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].number >= next)
			next = p->lots[i].number + 1;
	return next;
}

const char *app_municipality_name(struct app *x, int64_t tenant_id)
{
	struct org muni;
	struct kv_error e;
	return STORE(x->st, org_get, tenant_id, x->a, &muni, &e) == KV_OK
		       ? muni.name : "";
}
