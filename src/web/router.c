/*
 * router.c - matching a request to its row of routes.c, choosing how its
 * body is read, checking the row's access rule and running its handler
 * (see router.h).
 *
 * Matching: a path under /api/v1/ is matched, without that prefix,
 * against the rows that serve the API; any other path against the rows
 * that serve HTML.  '#' in a pattern takes a number (at most 15 digits)
 * into ids, in order.  The first row with the path and the method wins;
 * a path some row has with another method is 405, an unknown one 404.
 *
 * Access: a procedure of another municipality, or one the account has no
 * role on, answers 404 (not even its existence is shown); a role that
 * does not allow the action 403; no session 401 (API) or a redirect to
 * the login page (HTML).
 */
#include <string.h>

#include "app/read_steering.h"
#include "html.h"
#include "router.h"
#include "templates.h"

#define API_PREFIX "/api/v1"

/* Matches path against pattern; numeric ids go into m. */
static bool route_match(const char *pattern, const char *path,
			struct route_match *m)
{
	m->n_ids = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '#') {
			if (*s < '0' || *s > '9')
				return false;
			long long v = 0;
			int digits = 0;
			while (*s >= '0' && *s <= '9') {
				if (++digits > 15)
					return false;
				v = v * 10 + (*s - '0');
				s++;
			}
			if (m->n_ids < 4)
				m->ids[m->n_ids++] = v;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == 0 && *s == 0;
}

void router_lookup(const char *method, const char *url, struct route_match *m)
{
	*m = (struct route_match){0};
	unsigned face = FACE_HTML;
	const char *path = url;
	size_t pl = strlen(API_PREFIX);
	if (strncmp(url, API_PREFIX, pl) == 0 && url[pl] == '/') {
		face = FACE_API;
		path = url + pl;
	}
	for (int i = 0; i < kavel_n_routes; i++) {
		const struct route *rt = &kavel_routes[i];
		if (!(rt->faces & face) || !route_match(rt->pattern, path, m))
			continue;
		m->path_known = true;
		if (strcmp(rt->method, method) != 0)
			continue;
		m->rt = rt;
		return;
	}
}

enum body_read router_body_read(const struct route_match *m,
				const char *method, const char *url)
{
	bool api = strncmp(url, "/api/", 5) == 0;
	if (!m->rt)
		return strcmp(method, "GET") == 0 ? READ_DISCARD
			: api ? READ_JSON : READ_FORM;
	switch (m->rt->body) {
	case BODY_NONE:
		return READ_DISCARD;
	case BODY_FORM:
		return api ? READ_JSON : READ_FORM;
	case BODY_JSON:
		return READ_JSON;
	case BODY_FILES:
		return api ? READ_JSON : READ_FILES;
	case BODY_STREAM:
		return api ? READ_STREAM_RAW : READ_STREAM_FORM;
	}
	return READ_DISCARD;
}

static void refuse(struct req *r, struct resp *w, int status,
		   enum kv_status st, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

int64_t own_candidate(const struct req *r)
{
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BIDDER &&
		    r->grants[i].procedure_id == r->proc.id)
			return r->grants[i].candidate_id;
	return 0;
}

/* Enforces a route's access rule; false when it has answered already. */
static bool check_access(struct req *r, struct resp *w, enum access acc)
{
	if (acc == ACCESS_ANON)
		return true;
	if (!r->authed) {
		if (r->api) {
			resp_json(r, w, 401, json_pack("{s:{s:i, s:s, s:s}}",
				"error", "status", 401, "field", "",
				"message", _("Log in first.")));
		} else {
			resp_redirect(r, w, "/login");
		}
		return false;
	}
	if (acc == ACCESS_LOGIN)
		return true;
	if (acc == ACCESS_TENANT_BUYER || acc == ACCESS_TENANT_READ) {
		for (int i = 0; i < r->n_grants; i++) {
			const struct grant *g = &r->grants[i];
			if (g->procedure_id != 0 || g->contract_id != 0)
				continue;
			if (g->role == ROLE_BUYER ||
			    (acc == ACCESS_TENANT_READ && g->role == ROLE_COUNCIL)) {
				r->tenant = g->tenant_id;
				r->roles = role_in_tenant(r->grants, r->n_grants, g->tenant_id);
				return true;
			}
		}
		refuse(r, w, 403, KV_DENIED, acc == ACCESS_TENANT_BUYER
		       ? _("Only a municipality's buyers can do this.")
		       : _("Only a municipality's buyers and council members can see this."));
		return false;
	}
	if (acc == ACCESS_CONTRACT_READ || acc == ACCESS_CONTRACT_REPORT ||
	    acc == ACCESS_CONTRACT_BUYER) {
		struct kv_error ce;
		if (r->n_ids < 1 ||
		    app_contract_get(&r->app, r->ids[0], &r->contract, &ce) != KV_OK) {
			refuse(r, w, 404, KV_NOT_FOUND, _("There is no such contract."));
			return false;
		}
		r->has_contract = true;
		r->tenant = r->contract.tenant_id;
		r->roles = role_on_contract(r->grants, r->n_grants,
					    r->contract.tenant_id, r->contract.id);
		if (!r->roles) {
			refuse(r, w, 404, KV_NOT_FOUND, _("There is no such contract."));
			return false;
		}
		unsigned need = acc == ACCESS_CONTRACT_READ
					? ROLE_BUYER | ROLE_COUNCIL | ROLE_REPORTER
				: acc == ACCESS_CONTRACT_REPORT ? ROLE_BUYER | ROLE_REPORTER
								: ROLE_BUYER;
		if (!(r->roles & need)) {
			refuse(r, w, 403, KV_DENIED,
			       _("Your role in this contract does not allow this."));
			return false;
		}
		return true;
	}
	/* Procedure routes: ids[0] is the procedure. */
	struct kv_error e;
	if (r->n_ids < 1 ||
	    memo_procedure_get(r, r->ids[0], &r->proc, &e) != KV_OK) {
		refuse(r, w, 404, KV_NOT_FOUND, _("There is no such procedure."));
		return false;
	}
	r->has_proc = true;
	r->roles = role_on_procedure(r->grants, r->n_grants, r->proc.tenant_id,
				     r->proc.id);
	if (!r->roles) {
		/* Not even its existence is shown to outsiders. */
		refuse(r, w, 404, KV_NOT_FOUND, _("There is no such procedure."));
		return false;
	}
	unsigned need = 0;
	switch (acc) {
	case ACCESS_PROC_READ:
		need = ROLE_BUYER | ROLE_ASSESSOR | ROLE_BIDDER | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_INSIDE:
		need = ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_OVERSIGHT:
		need = ROLE_BUYER | ROLE_COUNCIL;
		break;
	case ACCESS_PROC_BUYER:
		need = ROLE_BUYER;
		break;
	case ACCESS_PROC_BIDDER:
		need = ROLE_BIDDER;
		break;
	default:
		break;
	}
	if (!(r->roles & need)) {
		refuse(r, w, 403, KV_DENIED,
		       _("Your role in this procedure does not allow this."));
		return false;
	}
	/* A bidder's action is its candidate's: the handler may rely on
	 * own_candidate(r) being one. */
	if (acc == ACCESS_PROC_BIDDER && !own_candidate(r)) {
		refuse(r, w, 403, KV_DENIED,
		       _("Your account bids for no candidate in this procedure."));
		return false;
	}
	return true;
}

/* The page of an HTML refusal; its heading follows the refusal's own
 * status (a 413 set afterwards keeps "Refused"). */
static void error_page(struct req *r, struct resp *w)
{
	struct tv_error_page v = {
		.heading = http_status_of(w->err.status) == 404 ? _("Not found")
								 : _("Refused"),
		.message = w->err.msg,
	};
	w->error_page = false;
	w->body.len = 0;
	if (w->body.p)
		w->body.p[0] = 0;
	layout_begin(r, w, _("Something went wrong"));
	tmpl_error_page(&w->body, &v);
	layout_end(r, w);
}

void router_dispatch(struct req *r, struct resp *w, const struct route_match *m)
{
	memcpy(r->ids, m->ids, sizeof r->ids);
	r->n_ids = m->n_ids;
	const struct route *rt = m->rt;
	if (!rt) {
		if (m->path_known)
			refuse(r, w, 405, KV_INVALID, _("This method is not allowed here."));
		else
			refuse(r, w, 404, KV_NOT_FOUND, _("This page does not exist."));
	} else if (strcmp(r->method, "GET") != 0 && !r->csrf_in_body &&
		   !csrf_ok(r)) {
		refuse(r, w, 403, KV_DENIED,
		       _("This form has expired or did not come from Kavel (CSRF check). Reload the page and try again."));
	} else if (check_access(r, w, rt->access)) {
		rt->fn(r, w);
	}
	/* While the store is still at hand (the layout may read it). */
	if (w->error_page)
		error_page(r, w);
}

void router_answer(struct req *r, struct resp *w)
{
	if (w->error_page)
		error_page(r, w);
	if (!w->api_error)
		return;
	w->api_error = false;
	json_t *j = json_pack("{s:{s:i, s:s, s:s}}", "error", "status",
			      w->status, "field", w->err.field, "message",
			      w->err.msg);
	char text[4096];   /* a message is at most 400 bytes */
	size_t n = json_dumpb(j, text, sizeof text, JSON_COMPACT);
	json_decref(j);
	w->body.len = 0;
	if (n == 0 || n > sizeof text)
		sbuf_puts(&w->body, "{}");
	else
		sbuf_add(&w->body, text, n);
	sbuf_puts(&w->body, "\n");
}
