/*
 * read_steering.h - what the steering pages show, read from the store and
 * put together here, so the pages (web/page_contracts.c, page_budget.c,
 * page_report.c) only lay it out: the contracts an account sees, one
 * contract with its indexed budget, KPIs per area and evaluation dossiers,
 * the municipality's budget frames checked against what contracts and
 * subsidies commit, its subsidies, the history of organisation forms, and
 * the council report (page and PDF alike).
 *
 * Each function only reads (the router opens the read transaction of a
 * GET); "today" is x->now in Europe/Amsterdam.  Everything is in x->a.
 */
#ifndef KAVEL_APP_READ_STEERING_H
#define KAVEL_APP_READ_STEERING_H

#include "app.h"
#include "report/report.h"

/* x->now as a local date. */
cal_date app_today(const struct app *x);

/* --- contracts ------------------------------------------------------------ */

/* One line of the contract list. */
struct contract_summary {
	const struct contract *c;
	const char *penvoerder;          /* the lead party's name, "" none */
	cal_date effective_end;          /* with the extensions used */
	enum contract_status status;     /* today */
};

/* Every contract on which the grants give a role (role_on_contract). */
enum kv_status app_contracts_view(struct app *x, const struct grant *grants,
				  int n_grants, struct contract_summary **out,
				  int *n, struct kv_error *e);

enum kv_status app_contract_get(struct app *x, int64_t id,
				struct contract *out, struct kv_error *e);

/* The measurements of one KPI in one area, in the store's order. */
#define KPI_VIEW_AREAS 32
struct kpi_area {
	const char *area;                /* "" is the whole municipality */
	const struct measurement *m;
	int n;
};

struct kpi_view {
	const struct kpi *k;
	struct kpi_area *areas;          /* as first met, at most KPI_VIEW_AREAS */
	int n_areas;
	const struct measurement *latest;/* the latest period of any area, or NULL */
	int on_target;                   /* latest against the target: 1, 0, -1 */
};

/* An evaluation moment of the contract and its dossier. */
struct evaluation_moment {
	int after_year;
	cal_date due;
	const struct evaluation *record; /* NULL: nothing recorded */
	bool done;                       /* recorded with an outcome */
	const struct indexed_year *budget[2];  /* the years before and of due */
	int n_budget;
};

struct contract_view {
	struct contract c;
	cal_date today, effective_end;
	enum contract_status status;
	struct index_figures *figures;
	int n_figures;
	/* The indexed budget from the base year up to this year (or the
	 * contract's last year, if sooner) as far as figures go; a refusal
	 * of the indexation in index_error. */
	struct indexed_year *years;
	int n_years;
	struct kv_error index_error;
	struct kpi *kpis;
	int n_kpis;
	struct kpi_view *kv;             /* n_kpis, in the same order */
	struct measurement *m;           /* every measurement of the contract */
	int n_m;
	struct evaluation *evals;        /* the records */
	int n_evals;
	struct evaluation_moment *moments;  /* one per evaluation year */
	int n_moments;
};

enum kv_status app_contract_view(struct app *x, int64_t contract_id,
				 struct contract_view *out, struct kv_error *e);

/* --- budget, subsidies, organisation forms -------------------------------- */

struct frame_view {
	const struct budget_frame *f;
	int64_t totals[FRAME_MAX_YEARS];
	struct frame_warning *warnings;  /* years the commitments exceed it */
	int n_warnings;
};

struct subsidy_view {
	const struct subsidy *s;
	enum subsidy_state state;        /* this year */
	int64_t cents_this_year;
};

struct budget_view {
	int year;                        /* this year */
	struct frame_view *frames;
	int n_frames;
	struct subsidy_view *subs;
	int n_subs;
};

/* The tenant's frames, each checked against what its contracts (their
 * base budget, each year of their term) and subsidies (with their
 * phase-out) commit, and its subsidies. */
enum kv_status app_budget_view(struct app *x, int64_t tenant_id,
			       struct budget_view *out, struct kv_error *e);

/* One frame of the tenant; KV_NOT_FOUND for another tenant's. */
enum kv_status app_frame_get(struct app *x, int64_t tenant_id, int64_t id,
			     struct budget_frame *out, struct kv_error *e);
/* One subsidy of the tenant; KV_NOT_FOUND for another tenant's. */
enum kv_status app_subsidy_get(struct app *x, int64_t tenant_id, int64_t id,
			       struct subsidy *out, struct kv_error *e);

/* The periods of one assignment, in the store's order. */
struct assignment_history {
	const char *assignment;
	const struct form_period *periods;
	int n;
};

struct history_view {
	struct form_period *periods;     /* all, in the store's order */
	int n;
	struct assignment_history *groups;  /* runs of one assignment */
	int n_groups;
};

enum kv_status app_history_view(struct app *x, int64_t tenant_id,
				struct history_view *out, struct kv_error *e);

/* --- the council report ----------------------------------------------------- */

/* Everything the report says for the tenant: the procedures of the tenant
 * that account_id sees, with their stage, next step and what blocks them;
 * the contracts with this year's indexed budget and next evaluation; each
 * KPI's latest figure against its target; the budget frames' totals; the
 * risks.  The texts in the thread's language. */
enum kv_status app_council_report(struct app *x, int64_t account_id,
				  int64_t tenant_id, struct council_report *out,
				  struct kv_error *e);

#endif
