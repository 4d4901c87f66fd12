/*
 * read_procedure.h - what the procedure pages show, read for them: the
 * dashboard's procedures and the municipalities a buyer may create one
 * in, a procedure's lots with what can be done with them, its candidates
 * as the viewer may see them, and a municipality's name.
 *
 * Reads only: no transaction, nothing audited.  Everything in x->a.  The
 * web pages (page_dashboard.c, page_lots.c, page_candidates.c, view.c)
 * get these views instead of reading the store themselves.
 */
#ifndef KAVEL_APP_READ_PROCEDURE_H
#define KAVEL_APP_READ_PROCEDURE_H

#include "app.h"

/* The municipalities in which the account of these grants may create
 * procedures (its tenant-wide buyer grants), at most max ids into out;
 * returns how many. */
int app_buyer_tenants(const struct grant *g, int n_grants, int64_t *out,
		      int max);

/* The dashboard: the procedures the account sees, and whether it may
 * create one (it is a buyer of some municipality). */
struct dashboard_view {
	struct procedure_summary *procedures;
	int n_procedures;
	bool can_create;
};
enum kv_status app_dashboard_view(struct app *x, int64_t account_id,
				  const struct grant *g, int n_grants,
				  struct dashboard_view *out,
				  struct kv_error *e);
/* The municipalities of app_buyer_tenants with their names (those that
 * cannot be read are left out: the create action checks the grant
 * again anyway). */
enum kv_status app_buyer_tenant_orgs(struct app *x, const struct grant *g,
				     int n_grants, struct org **out, int *n,
				     struct kv_error *e);

/* Whether the account with these roles on p may see candidate c: buyers,
 * assessors and council members every one, a bidder its own (own: the
 * candidate it bids for, 0 when none). */
bool app_candidate_visible(unsigned roles, int64_t own,
			   const struct candidate *c);
/* The candidates of the procedure the viewer may see
 * (app_candidate_visible), in the store's order. */
enum kv_status app_candidates_visible(struct app *x, int64_t procedure_id,
				      unsigned roles, int64_t own,
				      struct candidate **out, int *n,
				      struct kv_error *e);

/* The lots page: whether the procedure's definitive award is completed
 * (then a buyer makes contracts of its lots, choosing among `candidates`,
 * every candidate of the procedure, read only for a buyer), and whether a
 * bidder can hand in bids (it bids for a candidate and the procedure has
 * a tender deadline). */
struct lots_view {
	bool awarded;
	bool contracts;               /* a buyer and awarded, with candidates */
	struct candidate *candidates;
	int n_candidates;
	bool bids;
};
enum kv_status app_lots_view(struct app *x, const struct procedure *p,
			     unsigned roles, int64_t own,
			     struct lots_view *out, struct kv_error *e);
/* The number the next lot of p gets by default: one past the highest. */
int app_lot_next_number(const struct procedure *p);

/* The name of the municipality (organisation) tenant_id, "" when it
 * cannot be read. */
const char *app_municipality_name(struct app *x, int64_t tenant_id);

#endif
