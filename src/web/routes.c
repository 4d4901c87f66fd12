/*
 * routes.c - every route of Kavel, its access rule and its handler, in one
 * table.  The HTML pages and the JSON API share their handlers: a handler
 * looks at req->api to choose its output.  docs/api.md documents the
 * /api/v1 routes one by one; tests/api/test_routes.py walks this table with
 * every role.
 */
#include "web.h"

void page_login(struct req *, struct resp *);
void page_login_post(struct req *, struct resp *);
void page_logout(struct req *, struct resp *);
void page_lang(struct req *, struct resp *);
void page_me(struct req *, struct resp *);
void page_dashboard(struct req *, struct resp *);
void page_procedure_new(struct req *, struct resp *);
void page_procedure_create(struct req *, struct resp *);
void page_procedure(struct req *, struct resp *);
void page_stage_move(struct req *, struct resp *);
void page_stage_complete(struct req *, struct resp *);
void page_lots(struct req *, struct resp *);
void page_lot_create(struct req *, struct resp *);
void page_candidates(struct req *, struct resp *);
void page_candidate_create(struct req *, struct resp *);
void page_decisions(struct req *, struct resp *);
void page_decision_create(struct req *, struct resp *);
void page_condition_resolve(struct req *, struct resp *);
void page_audit(struct req *, struct resp *);
void page_calendar(struct req *, struct resp *);
void page_equated_add(struct req *, struct resp *);

const struct route kavel_routes[] = {
	/* HTML pages */
	{"GET", "/login", ACCESS_ANON, page_login},
	{"POST", "/login", ACCESS_ANON, page_login_post},
	{"POST", "/logout", ACCESS_LOGIN, page_logout},
	{"POST", "/lang", ACCESS_ANON, page_lang},
	{"GET", "/", ACCESS_LOGIN, page_dashboard},
	{"GET", "/procedures/new", ACCESS_TENANT_BUYER, page_procedure_new},
	{"POST", "/procedures", ACCESS_TENANT_BUYER, page_procedure_create},
	{"GET", "/procedures/#", ACCESS_PROC_READ, page_procedure},
	{"POST", "/procedures/#/stages/#/move", ACCESS_PROC_BUYER, page_stage_move},
	{"POST", "/procedures/#/stages/#/complete", ACCESS_PROC_BUYER, page_stage_complete},
	{"GET", "/procedures/#/lots", ACCESS_PROC_READ, page_lots},
	{"POST", "/procedures/#/lots", ACCESS_PROC_BUYER, page_lot_create},
	{"GET", "/procedures/#/candidates", ACCESS_PROC_READ, page_candidates},
	{"POST", "/procedures/#/candidates", ACCESS_PROC_BUYER, page_candidate_create},
	{"GET", "/procedures/#/decisions", ACCESS_PROC_INSIDE, page_decisions},
	{"POST", "/procedures/#/decisions", ACCESS_PROC_BUYER, page_decision_create},
	{"POST", "/procedures/#/conditions/#/resolve", ACCESS_PROC_BUYER, page_condition_resolve},
	{"GET", "/procedures/#/audit", ACCESS_PROC_OVERSIGHT, page_audit},
	{"GET", "/calendar", ACCESS_LOGIN, page_calendar},
	{"POST", "/calendar/equated", ACCESS_TENANT_BUYER, page_equated_add},

	/* JSON API: the same handlers */
	{"POST", "/api/v1/login", ACCESS_ANON, page_login_post},
	{"POST", "/api/v1/logout", ACCESS_LOGIN, page_logout},
	{"POST", "/api/v1/lang", ACCESS_LOGIN, page_lang},
	{"GET", "/api/v1/me", ACCESS_LOGIN, page_me},
	{"GET", "/api/v1/procedures", ACCESS_LOGIN, page_dashboard},
	{"POST", "/api/v1/procedures", ACCESS_TENANT_BUYER, page_procedure_create},
	{"GET", "/api/v1/procedures/#", ACCESS_PROC_READ, page_procedure},
	{"POST", "/api/v1/procedures/#/stages/#/move", ACCESS_PROC_BUYER, page_stage_move},
	{"POST", "/api/v1/procedures/#/stages/#/complete", ACCESS_PROC_BUYER, page_stage_complete},
	{"GET", "/api/v1/procedures/#/lots", ACCESS_PROC_READ, page_lots},
	{"POST", "/api/v1/procedures/#/lots", ACCESS_PROC_BUYER, page_lot_create},
	{"GET", "/api/v1/procedures/#/candidates", ACCESS_PROC_READ, page_candidates},
	{"POST", "/api/v1/procedures/#/candidates", ACCESS_PROC_BUYER, page_candidate_create},
	{"GET", "/api/v1/procedures/#/decisions", ACCESS_PROC_INSIDE, page_decisions},
	{"POST", "/api/v1/procedures/#/decisions", ACCESS_PROC_BUYER, page_decision_create},
	{"POST", "/api/v1/procedures/#/conditions/#/resolve", ACCESS_PROC_BUYER, page_condition_resolve},
	{"GET", "/api/v1/procedures/#/audit", ACCESS_PROC_OVERSIGHT, page_audit},
	{"GET", "/api/v1/calendar", ACCESS_LOGIN, page_calendar},
	{"POST", "/api/v1/calendar/equated", ACCESS_TENANT_BUYER, page_equated_add},
};

const int kavel_n_routes = (int)(sizeof kavel_routes / sizeof *kavel_routes);
