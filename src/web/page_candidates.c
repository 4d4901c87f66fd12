/*
 * page_candidates.c - candidates of a procedure: one organisation or a
 * consortium (samenwerkingsverband) with one penvoerder, members and
 * subcontractors.  A bidder sees only its own candidate.
 */
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

#define MAX_PARTIES 12

/* The candidate a bidder account acts for on this procedure, or 0. */
static bool may_see(const struct req *r, const struct candidate *c)
{
	if (r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL))
		return true;
	int64_t own = own_candidate(r);
	return own && own == c->id;
}

static void candidates_page(struct req *r, struct resp *w, struct candidate *cs,
			    int n, const struct kv_error *e)
{
	sbuf *b = &w->body;
	layout_begin(r, w, _("Candidates"));
	procedure_nav(r, w, "candidates");
	html_f(b, "<h2>%s</h2>", _("Candidates"));
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (!may_see(r, &cs[i]))
			continue;
		shown++;
		html_f(b, "<article class=\"candidate\"><h3>%s <small>%s</small></h3><table class=\"list\">"
			  "<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       cs[i].name, cs[i].consortium ? _("consortium") : _("single organisation"),
		       _("Organisation"), _("KvK number"), _("Role"));
		for (int j = 0; j < cs[i].n_parties; j++)
			html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
			       cs[i].parties[j].org_name ? cs[i].parties[j].org_name : "",
			       cs[i].parties[j].kvk ? cs[i].parties[j].kvk : "",
			       party_role_label(cs[i].parties[j].role));
		html_f(b, "</tbody></table></article>");
	}
	if (!shown)
		html_f(b, "<p>%s</p>", _("No candidates to show."));
	if (r->roles & ROLE_BUYER) {
		form_error_summary(r, w, e);
		html_f(b, "<h2>%s</h2><form method=\"post\" action=\"/procedures/%lld/candidates\" class=\"form\" novalidate>%R"
			  "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" value=\"%s\">%R"
			  "<label class=\"check\"><input type=\"checkbox\" name=\"consortium\" value=\"1\"%R> %s</label>"
			  "<fieldset><legend>%s</legend>",
		       _("Register a candidate"), (long long)r->proc.id, csrf_input(r),
		       _("Name"), refill(r, "name", ""), field_error(r, e, "name"),
		       req_param(r, "consortium") ? " checked" : "",
		       _("consortium (samenwerkingsverband)"), _("Parties"));
		int rows = in_count(r, "parties", MAX_PARTIES);
		if (rows < 3)
			rows = 3;
		for (int i = 1; i <= rows; i++) {
			const char *k = arena_printf(r->a, "parties_%d_", i);
			const char *role = refill(r, arena_printf(r->a, "%srole", k),
						  i == 1 ? "penvoerder" : "member");
			html_f(b, "<div class=\"row\"><label for=\"%sorg_name\">%s %d</label>"
				  "<input id=\"%sorg_name\" name=\"%sorg_name\" value=\"%s\">"
				  "<label for=\"%skvk\">%s</label><input id=\"%skvk\" name=\"%skvk\" inputmode=\"numeric\" value=\"%s\">"
				  "<label for=\"%srole\">%s</label><select id=\"%srole\" name=\"%srole\">",
			       k, _("Organisation"), i, k, k, refill(r, arena_printf(r->a, "%sorg_name", k), ""),
			       k, _("KvK number"), k, k, refill(r, arena_printf(r->a, "%skvk", k), ""),
			       k, _("Role"), k, k);
			for (int ro = 0; ro < 3; ro++)
				html_f(b, "<option value=\"%s\"%R>%s</option>", party_role_code(ro),
				       strcmp(role, party_role_code(ro)) == 0 ? " selected" : "",
				       party_role_label(ro));
			html_f(b, "</select>%R</div>", field_error(r, e, arena_printf(r->a, "parties_%d", i)));
		}
		html_f(b, "</fieldset>%R<button type=\"submit\">%s</button></form>",
		       field_error(r, e, "parties"), _("Register candidate"));
	}
	layout_end(r, w);
}

static enum kv_status load(struct req *r, struct candidate **cs, int *n,
			   struct kv_error *e)
{
	return STORE(r->st, candidate_list, r->proc.id, r->a, cs, n, e);
}

void page_candidates(struct req *r, struct resp *w)
{
	struct candidate *cs = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (load(r, &cs, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			if (may_see(r, &cs[i]))
				json_array_append_new(arr, json_candidate(&cs[i]));
		resp_json(r, w, 200, json_pack("{s:o}", "candidates", arr));
		return;
	}
	candidates_page(r, w, cs, n, NULL);
}

void page_candidate_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct candidate c = {.procedure_id = r->proc.id};
	c.name = (char *)in_str(r, "name");
	c.consortium = in_bool(in_str(r, "consortium"));
	int n = in_count(r, "parties", MAX_PARTIES);
	c.parties = arena_alloc(r->a, (size_t)(n + 1) * sizeof *c.parties);
	enum kv_status rc = KV_OK;
	for (int i = 0; i < n && rc == KV_OK; i++) {
		const char *name = in_sub(r, "parties", i, "org_name");
		const char *kvk = in_sub(r, "parties", i, "kvk");
		const char *role = in_sub(r, "parties", i, "role");
		if (!r->api && in_blank(name) && in_blank(kvk))
			continue;
		struct party *pt = &c.parties[c.n_parties];
		pt->org_name = (char *)name;
		pt->kvk = (char *)kvk;
		int ro = role ? party_role_from_code(role) : -1;
		if (ro < 0)
			rc = kv_fail(&e, KV_INVALID, arena_printf(r->a, "parties_%d", i + 1),
				     _("Choose the role of this party."));
		pt->role = (enum party_role)(ro < 0 ? 0 : ro);
		c.n_parties++;
	}
	/* A single organisation is its own penvoerder. */
	if (rc == KV_OK && !c.consortium && c.n_parties == 1)
		c.parties[0].role = PARTY_PENVOERDER;
	if (rc == KV_OK && in_blank(c.name) && !c.consortium && c.n_parties == 1)
		c.name = c.parties[0].org_name;
	if (rc == KV_OK)
		rc = app_candidate_add(&r->app, &c, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_candidate(&c));
		return;
	}
	if (rc != KV_OK) {
		struct candidate *cs = NULL;
		int nc = 0;
		struct kv_error le;
		load(r, &cs, &nc, &le);
		w->status = http_status_of(rc);
		candidates_page(r, w, cs, nc, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/candidates", (long long)r->proc.id));
}
