/*
 * page_candidates.c - candidates of a procedure: one organisation or a
 * consortium (samenwerkingsverband) with one penvoerder, members and
 * subcontractors.  A bidder sees only its own candidate.
 */
#include <string.h>

#include "app/read_procedure.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"


static const struct field_option party_roles[] = {
	{"penvoerder", N_("penvoerder (lead party)")},
	{"member", N_("member")},
	{"subcontractor", N_("subcontractor")},
};

/* The request key of part of party row i (1..): "parties_2_kvk". */
static const char *party_key(struct req *r, int i, const char *part)
{
	return arena_printf(r->a, "parties_%d_%s", i, part);
}

static html_t register_form(struct req *r, const struct form_errors *fe)
{
	int rows = in_count(r, "parties", MAX_PARTIES);
	if (rows < 3)
		rows = 3;
	struct form_field *fs = arena_alloc(r->a, sizeof *fs * (size_t)(2 + 3 * rows));
	int n = 0;
	fs[n++] = (struct form_field){.name = "name", .label = N_("Name")};
	fs[n++] = (struct form_field){.name = "consortium",
				      .label = N_("consortium (samenwerkingsverband)"),
				      .kind = FIELD_CHECKBOX};
	for (int i = 1; i <= rows; i++) {
		/* "Organisation 2" is made here, translated: marked so, for
		 * _() memoises by address (form.h). */
		fs[n++] = (struct form_field){
			.name = party_key(r, i, "org_name"),
			.label = arena_printf(r->a, "%s %d", _("Organisation"), i),
			.translated = true};
		fs[n++] = (struct form_field){.name = party_key(r, i, "kvk"),
					      .label = N_("KvK number"),
					      .kind = FIELD_NUMBER};
		fs[n++] = (struct form_field){
			.name = party_key(r, i, "role"), .label = N_("Role"),
			.kind = FIELD_SELECT, .options = party_roles,
			.n_options = sizeof party_roles / sizeof *party_roles,
			.value = i == 1 ? "penvoerder" : "member"};
	}
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/candidates", (long long)r->proc.id),
		.submit = _("Register candidate"), .fields = fs, .n_fields = n,
		.errors = fe, .refused = form_not_saved()};
	return form_html(r, &f);
}

static void candidates_page(struct req *r, struct resp *w, const struct candidate *cs,
			    int n, const struct form_errors *fe)
{
	struct tv_candidates_page_candidates *out =
		arena_alloc(r->a, sizeof *out * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		struct tv_candidates_page_candidates_parties *ps =
			arena_alloc(r->a, sizeof *ps * (size_t)(cs[i].n_parties + 1));
		for (int j = 0; j < cs[i].n_parties; j++)
			ps[j] = (struct tv_candidates_page_candidates_parties){
				.name = cs[i].parties[j].org_name,
				.kvk = cs[i].parties[j].kvk,
				.role = party_role_label(cs[i].parties[j].role)};
		out[i] = (struct tv_candidates_page_candidates){
			.name = cs[i].name, .consortium = cs[i].consortium,
			.parties = ps, .n_parties = cs[i].n_parties};
	}
	struct tv_candidates_page v = {.candidates = out, .n_candidates = n};
	if (r->roles & ROLE_BUYER) {
		v.add = register_form(r, fe);
		v.registrations = arena_printf(r->a, "/procedures/%lld/registrations",
					       (long long)r->proc.id);
	}
	layout_begin(r, w, _("Candidates"));
	procedure_nav(r, w, "candidates");
	tmpl_candidates_page(&w->body, &v);
	layout_end(r, w);
}

static enum kv_status load(struct req *r, struct candidate **cs, int *n,
			   struct kv_error *e)
{
	return app_candidates_visible(&r->app, r->proc.id, r->roles,
				      own_candidate(r), cs, n, e);
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
			json_array_append_new(arr, json_candidate(&cs[i]));
		resp_json(r, w, 200, json_pack("{s:o}", "candidates", arr));
		return;
	}
	candidates_page(r, w, cs, n, NULL);
}

void page_candidate_create(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e = {0};
	struct candidate c = {.procedure_id = r->proc.id};
	c.name = (char *)in_str(r, "name");
	c.consortium = in_bool(in_str(r, "consortium"));
	form_parties(r, &c.parties, &c.n_parties, &fe);
	/* A single organisation is its own penvoerder. */
	if (!fe.n && !c.consortium && c.n_parties == 1)
		c.parties[0].role = PARTY_PENVOERDER;
	if (!fe.n && in_blank(c.name) && !c.consortium && c.n_parties == 1)
		c.name = c.parties[0].org_name;
	if (!fe.n && app_candidate_add(&r->app, &c, &e) != KV_OK)
		form_errors_add(&fe, &e);
	enum kv_status rc = form_errors_status(&fe);
	if (r->api) {
		resp_created(r, w, &fe, fe.n ? NULL : json_candidate(&c));
		return;
	}
	if (rc != KV_OK) {
		struct candidate *cs = NULL;
		int nc = 0;
		struct kv_error le;
		load(r, &cs, &nc, &le);
		w->status = http_status_of(rc);
		candidates_page(r, w, cs, nc, &fe);
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/candidates", (long long)r->proc.id),
			   DONE_CANDIDATE_ADDED);
}
