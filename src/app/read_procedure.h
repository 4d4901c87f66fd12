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
#include "attention.h"

/* The municipalities in which the account of these grants may create
 * procedures (its tenant-wide buyer grants), at most max ids into out;
 * returns how many. */
int app_buyer_tenants(const struct grant *g, int n_grants, int64_t *out,
		      int max);

/* The dashboard: the procedures the account sees, as many as match a
 * query, one page of them, with what the filters offer, the attention
 * list, and whether the account may create a procedure (it is a buyer
 * of some municipality). */
struct dashboard_query {
	const char *q;            /* every word in the reference or title
				     (ASCII letters without regard to case);
				     NULL or "": any */
	int phase;                /* enum proc_phase; -1: any */
	int64_t tenant_id;        /* 0: any municipality */
	int year;                 /* att_year; 0: any */
	int page;                 /* 1..; clamped to the pages there are */
	int per_page;             /* rows per page; 0: every row, in the
				     store's order (the API), else the
				     newest first */
	bool attention;           /* read the attention list too */
};
struct dashboard_row {
	struct procedure_summary s;
	enum proc_phase phase;
	int year;
	int attention;            /* items of the attention list about it */
};
struct dashboard_tenant {
	int64_t id;
	const char *name;
};
struct dashboard_view {
	struct dashboard_row *rows;    /* the page asked for */
	int n_rows;
	int total;                     /* rows matching the query */
	int all;                       /* every procedure the account sees */
	int page, pages;               /* pages >= 1 */
	struct dashboard_tenant *tenants;  /* of every procedure seen */
	int n_tenants;
	int *years;                    /* of every procedure seen, newest first */
	int n_years;
	struct attention_list attention;   /* the account's whole list, when
					      asked for (else empty) */
	bool can_create;
};
enum kv_status app_dashboard_view(struct app *x, int64_t account_id,
				  const struct grant *g, int n_grants,
				  const struct dashboard_query *q,
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

/* What a procedure's tabs count, as the viewer (roles, own: the
 * candidate it bids for, 0 when none) may see it: questions (a buyer's
 * without an answer; a bidder's own not yet answered in a nota, so that
 * a draft answer does not show), applications (buyers, assessors and
 * council members), bids received and not withdrawn (a buyer every one,
 * a bidder its own), and whether the vault has been opened (buyers and
 * council members: its record can be read). */
struct procedure_tabs_view {
	int questions;
	int applications;
	int bids;
	bool vault_open;
};
enum kv_status app_procedure_tabs(struct app *x, const struct procedure *p,
				  unsigned roles, int64_t own,
				  struct procedure_tabs_view *out,
				  struct kv_error *e);

/* The name of the municipality (organisation) tenant_id, "" when it
 * cannot be read. */
const char *app_municipality_name(struct app *x, int64_t tenant_id);

#endif
