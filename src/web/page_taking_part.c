/*
 * page_taking_part.c - taking part: the public list of published
 * procedures (/tenders), registering interest (anonymous), the buyer's
 * publication and selection criteria, and the application (aanmelding).
 *
 * Who sees an application: its own candidate's bidders always; buyers
 * and assessors who applied before the application deadline, and every
 * application's content after it; council members who applied.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "input.h"
#include "multipart.h"
#include "core/validate.h"
#include "view.h"

#define MAX_PARTIES 12

/* ---- the public list ---------------------------------------------------- */

static json_t *tender_json(struct req *r, const struct procedure *p)
{
	struct org o;
	struct kv_error e;
	const char *muni = STORE(r->st, org_get, p->tenant_id, r->a, &o, &e) ==
					   KV_OK ? o.name : "";
	kv_instant deadline = 0;
	app_application_deadline(p, &deadline, &e);
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_pack("{s:i, s:s}", "number",
			p->lots[i].number, "title", p->lots[i].title));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
			 (json_int_t)p->id, "reference", p->reference, "title",
			 p->title, "municipality", muni, "type",
			 proc_type_code(p->type), "lots", lots,
			 "application_deadline", json_instant(r->a, deadline),
			 "registration_open",
			 app_registration_open(&r->app, p, &e) == KV_OK);
}

void page_tenders(struct req *r, struct resp *w)
{
	int64_t *ids = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (STORE(r->st, published_list, r->a, &ids, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		struct procedure p;
		if (memo_procedure_get(r, ids[i], &p, &e) == KV_OK)
			json_array_append_new(arr, tender_json(r, &p));
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:o}", "tenders", arr));
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Published procedures"));
	html_f(b, "<h1>%s</h1>", _("Published procedures"));
	if (!n)
		html_f(b, "<p>%s</p>", _("No procedures are open to show."));
	else
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
			  "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
		       _("Reference"), _("Title"), _("Municipality"), _("Lots"),
		       _("Application deadline"));
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t) {
		json_t *dl = json_object_get(t, "application_deadline");
		html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>",
		       json_string_value(json_object_get(t, "reference")),
		       json_string_value(json_object_get(t, "title")),
		       json_string_value(json_object_get(t, "municipality")),
		       (int)json_array_size(json_object_get(t, "lots")),
		       json_is_object(dl) ? json_string_value(json_object_get(dl, "local")) : "");
		if (json_is_true(json_object_get(t, "registration_open")))
			html_f(b, "<a href=\"/tenders/%lld/register\">%s</a>",
			       (long long)json_integer_value(json_object_get(t, "id")),
			       _("Register interest"));
		html_f(b, "</td></tr>");
	}
	if (n)
		html_f(b, "</tbody></table>");
	json_decref(arr);
	layout_end(r, w);
}

/* ---- registering interest ------------------------------------------------ */

static void register_form(struct req *r, struct resp *w,
			  const struct procedure *p, const struct kv_error *e)
{
	sbuf *b = &w->body;
	/* The double-submit token of anonymous forms, as on the login page. */
	if (!r->authed && (!r->cookie_csrf || strlen(r->cookie_csrf) != 64)) {
		r->cookie_csrf = random_hex32(r->a);
		resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_csrf=%s%s",
			r->cookie_csrf, auth_cookie_attrs(r)));
	}
	struct form_field fs[6 + 3 * FORM_PARTIES] = {
		{.name = "org_name", .label = N_("Organisation"),
		 .help = N_("Your organisation (penvoerder)")},
		{.name = "kvk", .label = N_("KvK number"), .kind = FIELD_NUMBER},
		{.name = "name", .label = N_("Contact name")},
		{.name = "email", .label = N_("E-mail address"), .kind = FIELD_EMAIL,
		 .autocomplete = "email"},
		{.name = "password", .label = N_("Password (at least 12 characters)"),
		 .kind = FIELD_PASSWORD, .autocomplete = "new-password"},
		{.name = "consortium_name", .label = N_("Consortium name"),
		 .help = N_("Consortium (optional)")},
	};
	int n = 6;
	for (int i = 1; i <= FORM_PARTIES; i++) {
		/* "Organisation 2" and the like are made here, translated:
		 * marked so, for _() memoises by address (form.h). */
		const char *org = arena_printf(r->a, "%s %d", _("Organisation"), i);
		fs[n++] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_org_name", i), .label = org,
			.translated = true};
		fs[n++] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_kvk", i), .kind = FIELD_NUMBER,
			.label = arena_printf(r->a, "%s: %s", org, _("KvK number")),
			.translated = true};
		fs[n++] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_role", i), .kind = FIELD_SELECT,
			.label = arena_printf(r->a, "%s: %s", org, _("Role")),
			.options = party_roles, .n_options = 2, .value = "member"};
	}
	struct form f = {
		.action = arena_printf(r->a, "/tenders/%lld/register", (long long)p->id),
		.submit = _("Register"), .fields = fs, .n_fields = n, .errors = fe};
	struct tv_tender_register t = {.reference = p->reference, .title = p->title,
				       .form = form_html(r, &f)};
	layout_begin(r, w, _("Register interest"));
	tmpl_tender_register(&w->body, &t);
	layout_end(r, w);
}

/* The published procedure of ids[0] whose registration is open, or a
 * refusal (404 when it is not published). */
static bool tender_load(struct req *r, struct resp *w, struct procedure *p,
			struct kv_error *e)
{
	kv_instant at;
	if (memo_procedure_get(r, r->ids[0], p, e) != KV_OK ||
	    STORE(r->st, publication_get, p->id, &at, e) != KV_OK) {
		refusal(r, w, 404, KV_NOT_FOUND,
			_("There is no such published procedure."));
		return false;
	}
	return true;
}

void page_tender_register_form(struct req *r, struct resp *w)
{
	struct procedure p;
	struct kv_error e = {0};
	if (!tender_load(r, w, &p, &e))
		return;
	if (app_registration_open(&r->app, &p, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	register_form(r, w, &p, NULL);
}

void page_tender_register(struct req *r, struct resp *w)
{
	struct procedure p;
	struct kv_error e = {0};
	if (!tender_load(r, w, &p, &e))
		return;
	struct registration rg = {0};
	struct candidate *c = &rg.candidate;
	c->procedure_id = p.id;
	int n = in_count(r, "parties", MAX_PARTIES);
	c->parties = arena_alloc(r->a, (size_t)(n + 2) * sizeof *c->parties);
	c->parties[0] = (struct party){.org_name = (char *)in_str(r, "org_name"),
				       .kvk = (char *)in_str(r, "kvk"),
				       .role = PARTY_PENVOERDER};
	c->n_parties = 1;
	enum kv_status rc = KV_OK;
	bool members = false;
	for (int i = 0; i < n && rc == KV_OK; i++) {
		const char *name = in_sub(r, "parties", i, "org_name");
		const char *kvk = in_sub(r, "parties", i, "kvk");
		const char *role = in_sub(r, "parties", i, "role");
		if (in_blank(name) && in_blank(kvk))
			continue;
		int ro = role ? party_role_from_code(role) : -1;
		if (ro != PARTY_MEMBER && ro != PARTY_SUBCONTRACTOR)
			rc = kv_fail(&e, KV_INVALID, "parties",
				     _("Party %d is a member or a subcontractor; "
				       "your organisation is the penvoerder."),
				     i + 1);
		members = members || ro == PARTY_MEMBER;
		c->parties[c->n_parties++] = (struct party){
			.org_name = (char *)name, .kvk = (char *)kvk,
			.role = (enum party_role)(ro < 0 ? 0 : ro)};
	}
	c->consortium = members;
	const char *cname = in_str(r, "consortium_name");
	c->name = (char *)(in_blank(cname) ? c->parties[0].org_name : cname);
	const char *email = in_str(r, "email");
	if (email) {
		char *lo = arena_strdup(r->a, email);
		for (char *s = lo; *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				*s = (char)(*s - 'A' + 'a');
		rg.account.email = lo;
	}
	rg.account.name = (char *)in_str(r, "name");
	rg.password = in_str(r, "password");
	if (rc == KV_OK && in_blank(c->parties[0].org_name))
		rc = kv_fail(&e, KV_INVALID, "org_name",
			     _("Give the name of your organisation."));
	if (rc == KV_OK)
		rc = app_register(&r->app, &rg, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:o, s:I, s:s}",
				"candidate", json_candidate(c), "account",
				(json_int_t)rg.account.id, "email",
				rg.account.email));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		register_form(r, w, &p, &e);
		return;
	}
	resp_redirect(r, w, "/login?registered=1");
}

/* ---- the buyer's publication and criteria -------------------------------- */

void page_procedure_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_procedure_publish(&r->app, r->proc.id, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		struct procedure p;
		if (memo_procedure_get(r, r->proc.id, &p, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, tender_json(r, &p));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/application",
					 (long long)r->proc.id));
}

static json_t *criterion_json(const struct selection_criterion *c)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "id",
			 (json_int_t)c->id, "key", c->key, "title", c->title,
			 "description", c->description ? c->description : "",
			 "kind", sel_kind_code(c->kind), "max_points",
			 c->max_points, "round", c->round ? c->round : 1);
}

void page_criterion_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct selection_criterion c = {.procedure_id = r->proc.id};
	c.key = (char *)in_str(r, "key");
	c.title = (char *)in_str(r, "title");
	c.description = (char *)in_str(r, "description");
	const char *kind = in_str(r, "kind");
	const char *maxp = in_str(r, "max_points");
	const char *round = in_str(r, "round");
	int k = in_blank(kind) ? SEL_PASS_FAIL : sel_kind_from_code(kind);
	long long mp = 0, rn = 1;
	enum kv_status rc = KV_OK;
	if (k < 0)
		rc = kv_fail(&e, KV_INVALID, "kind",
			     _("A criterion is pass-fail or scored."));
	else if (!in_blank(maxp))
		rc = in_int(maxp, 0, SEL_MAX_POINTS, &mp, "max_points", &e);
	if (rc == KV_OK && !in_blank(round) &&
	    in_int(round, 1, SEL_MAX_ROUNDS, &rn, "round", &e) != KV_OK)
		rc = kv_fail(&e, KV_INVALID, "round",
			     _("A selection round is numbered 1 to %d."),
			     SEL_MAX_ROUNDS);
	c.kind = k < 0 ? SEL_PASS_FAIL : (enum sel_kind)k;
	c.max_points = (int)mp;
	c.round = (int)rn;
	if (rc == KV_OK)
		rc = app_criterion_add(&r->app, &c, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, criterion_json(&c));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, c.round > 1
					 ? "/procedures/%lld/selection"
					 : "/procedures/%lld/application",
					 (long long)r->proc.id));
}

/* ---- the application ------------------------------------------------------ */

static json_t *application_json(struct req *r, const struct application *ap,
				bool content)
{
	json_t *j = json_pack("{s:I, s:s, s:o, s:o, s:i}", "candidate",
			      (json_int_t)ap->candidate_id, "candidate_name",
			      ap->candidate_name ? ap->candidate_name : "",
			      "submitted_at", json_instant(r->a, ap->submitted_at),
			      "updated_at", json_instant(r->a, ap->updated_at),
			      "n_documents", ap->n_documents);
	if (!content)
		return j;
	json_t *ans = json_loads(ap->answers ? ap->answers : "{}", 0, NULL);
	json_object_set_new(j, "answers", ans ? ans : json_object());
	struct application_document *ds = NULL;
	int n = 0;
	struct kv_error e;
	json_t *docs = json_array();
	if (STORE(r->st, document_list, ap->candidate_id, r->a, &ds, &n, &e) == KV_OK)
		for (int i = 0; i < n; i++) {
			char hex[65];
			sodium_bin2hex(hex, sizeof hex, ds[i].sha256, sizeof ds[i].sha256);
			json_array_append_new(docs, json_pack("{s:I, s:s, s:I, s:s, s:o}",
				"id", (json_int_t)ds[i].id, "name", ds[i].name,
				"size", (json_int_t)ds[i].size, "sha256", hex,
				"uploaded_at", json_instant(r->a, ds[i].uploaded_at)));
		}
	json_object_set_new(j, "documents", docs);
	return j;
}

struct app_view {
	struct selection_criterion *crs;
	int ncr;
	kv_instant deadline;
	bool closed;
	int64_t own;                  /* the bidder's candidate, or 0 */
	bool see_all;                 /* contents of every application */
	struct application *aps;      /* those the role may see (list) */
	int n;
};

static enum kv_status view_load(struct req *r, struct app_view *v,
				struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	struct kv_error de;
	app_application_deadline(&r->proc, &v->deadline, &de);
	v->closed = v->deadline && r->app.now > v->deadline;
	v->own = (r->roles & ROLE_BIDDER) ? own_candidate(r) : 0;
	v->see_all = v->closed && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR));
	enum kv_status rc = STORE(r->st, criterion_list, r->proc.id, r->a,
				  &v->crs, &v->ncr, e);
	if (rc == KV_OK)
		rc = STORE(r->st, application_list, r->proc.id, r->a, &v->aps,
			   &v->n, e);
	return rc;
}

static void application_page(struct req *r, struct resp *w,
			     const struct kv_error *err);

void page_application(struct req *r, struct resp *w)
{
	application_page(r, w, NULL);
}

/* The bidder's documents and the form that adds one (multipart, the
 * CSRF field first; a refusal is shown next to the file field). */
static void documents_section(struct req *r, struct resp *w,
			      const struct app_view *v,
			      const struct kv_error *err)
{
	sbuf *b = &w->body;
	struct application_document *ds = NULL;
	int n = 0;
	struct kv_error e;
	html_f(b, "<h3 id=\"documents\">%s</h3>", _("Your documents"));
	if (STORE(r->st, document_list, v->own, r->a, &ds, &n, &e) == KV_OK && n) {
		html_f(b, "<ul class=\"documents\">");
		for (int i = 0; i < n; i++)
			html_f(b, "<li>%s (%lld %s, %s)</li>", ds[i].name,
			       (long long)ds[i].size, _("bytes"),
			       fmt_when(r, ds[i].uploaded_at));
		html_f(b, "</ul>");
	} else {
		html_f(b, "<p>%s</p>", _("No documents yet."));
	}
	if (req_param(r, "uploaded"))
		html_f(b, "<p class=\"notice\" role=\"status\">%s</p>",
		       _("The document has been added to your application."));
	if (v->closed)
		return;
	html_f(b, "<form method=\"post\" action=\"/procedures/%lld/application/documents\" enctype=\"multipart/form-data\" class=\"form\">%R"
		  "<label for=\"content\">%s</label><input id=\"content\" name=\"content\" type=\"file\" required>%R"
		  "<button type=\"submit\">%s</button></form>",
	       (long long)r->proc.id, csrf_input(r),
	       arena_printf(r->a, _("Document (at most %d KiB; one with the same name is replaced)"),
			    (int)(APP_DOCUMENT_MAX / 1024)),
	       field_error(r, err, "content"), _("Add document"));
}

static void application_page(struct req *r, struct resp *w,
			     const struct kv_error *err)
{
	struct app_view v;
	struct kv_error e = {0};
	if (view_load(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	bool inside = r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL);
	const struct application *mine = NULL;
	for (int i = 0; i < v.n; i++)
		if (v.own && v.aps[i].candidate_id == v.own)
			mine = &v.aps[i];
	if (r->api) {
		json_t *crs = json_array();
		for (int i = 0; i < v.ncr; i++)
			json_array_append_new(crs, criterion_json(&v.crs[i]));
		json_t *j = json_pack("{s:o, s:o, s:b}", "criteria", crs,
				      "application_deadline",
				      json_instant(r->a, v.deadline), "open",
				      v.deadline && !v.closed);
		if (v.own)
			json_object_set_new(j, "application",
					    mine ? application_json(r, mine, true)
						 : json_null());
		if (inside) {
			json_t *all = json_array();
			for (int i = 0; i < v.n; i++)
				json_array_append_new(all, application_json(r, &v.aps[i], v.see_all));
			json_object_set_new(j, "applications", all);
		}
		resp_json(r, w, 200, j);
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Applications"));
	procedure_nav(r, w, "application");
	html_f(b, "<h2>%s</h2><p>%s: %s</p>", _("Applications"),
	       _("Application deadline"),
	       v.deadline ? fmt_when(r, v.deadline) : _("not planned"));
	form_error_summary(r, w, err);
	if (r->roles & ROLE_BUYER) {
		kv_instant at;
		struct kv_error pe;
		if (STORE(r->st, publication_get, r->proc.id, &at, &pe) == KV_OK)
			html_f(b, "<p>%s %s</p>", _("Published for registration at"),
			       fmt_when(r, at));
		else
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/publish\">%R"
				  "<button type=\"submit\">%s</button></form>",
			       (long long)r->proc.id, csrf_input(r),
			       _("Publish for registration"));
	}
	html_f(b, "<h3>%s</h3>", _("Selection criteria"));
	if (!v.ncr)
		html_f(b, "<p>%s</p>", _("No selection criteria yet."));
	if (v.own && !v.closed && v.ncr)
		html_f(b, "<form method=\"post\" action=\"/procedures/%lld/application\" class=\"form\">%R",
		       (long long)r->proc.id, csrf_input(r));
	json_t *ans = mine ? json_loads(mine->answers, 0, NULL) : NULL;
	for (int i = 0; i < v.ncr; i++) {
		const char *a = ans ? json_string_value(json_object_get(ans, v.crs[i].key)) : NULL;
		if (v.crs[i].round > 1) {
			html_f(b, "<h4>%s</h4><p>%s</p><p>%s</p>", v.crs[i].title,
			       arena_printf(r->a, _("Selection round %d; assessed after round %d, not answered in the application."),
					    v.crs[i].round, v.crs[i].round - 1),
			       v.crs[i].description);
			continue;
		}
		html_f(b, "<h4>%s</h4><p>%s</p>", v.crs[i].title, v.crs[i].description);
		if (v.own && !v.closed)
			html_f(b, "<textarea name=\"answer_%s\" rows=\"5\" aria-label=\"%s\">%s</textarea>",
			       v.crs[i].key, v.crs[i].title, a ? a : "");
		else if (v.own)
			html_f(b, "<p class=\"answer\">%s</p>", a ? a : "");
	}
	json_decref(ans);
	if (v.own && !v.closed && v.ncr)
		html_f(b, "<button type=\"submit\">%s</button></form>", _("Save application"));
	if (v.own)
		documents_section(r, w, &v, err);
	if (inside) {
		html_f(b, "<h3>%s</h3>", _("Who applied"));
		if (!v.n)
			html_f(b, "<p>%s</p>", _("Nobody has applied yet."));
		for (int i = 0; i < v.n; i++) {
			html_f(b, "<article><h4>%s</h4><p>%s %s</p>", v.aps[i].candidate_name,
			       _("Last changed"), fmt_when(r, v.aps[i].updated_at));
			if (v.see_all) {
				json_t *aa = json_loads(v.aps[i].answers, 0, NULL);
				for (int k = 0; k < v.ncr; k++) {
					if (v.crs[k].round > 1)
						continue;
					const char *t = aa ? json_string_value(json_object_get(aa, v.crs[k].key)) : NULL;
					html_f(b, "<h5>%s</h5><p>%s</p>", v.crs[k].title, t ? t : "");
				}
				json_decref(aa);
			}
			html_f(b, "</article>");
		}
		if (!v.closed)
			html_f(b, "<p>%s</p>", _("The content of the applications is shown after the application deadline."));
	}
	if ((r->roles & ROLE_BUYER) && !v.closed)
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/selection-criteria\" class=\"form\">%R"
			  "<label for=\"round\">%s</label><input id=\"round\" name=\"round\" inputmode=\"numeric\" value=\"1\">"
			  "<label for=\"key\">%s</label><input id=\"key\" name=\"key\">"
			  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\">"
			  "<label for=\"description\">%s</label><textarea id=\"description\" name=\"description\"></textarea>"
			  "<label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\"><option value=\"pass-fail\">%s</option><option value=\"scored\">%s</option></select>"
			  "<label for=\"max_points\">%s</label><input id=\"max_points\" name=\"max_points\" inputmode=\"numeric\">"
			  "<button type=\"submit\">%s</button></form>",
		       _("Add a selection criterion"), (long long)r->proc.id, csrf_input(r),
		       _("Selection round (1: answered in the application)"),
		       _("Key"), _("Title"), _("Description"), _("Kind"),
		       _("pass-fail"), _("scored"), _("Maximum points (scored)"),
		       _("Add criterion"));
	layout_end(r, w);
}

void page_application_save(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);
	if (!cand) {
		refusal(r, w, 403, KV_DENIED,
			_("Your account bids for no candidate in this procedure."));
		return;
	}
	struct kv_error e = {0};
	json_t *answers;
	if (r->api) {
		answers = json_incref(r->json ? json_object_get(r->json, "answers") : NULL);
	} else {
		answers = json_object();
		for (int i = 0; i < r->n_params; i++)
			if (strncmp(r->params[i].key, "answer_", 7) == 0)
				json_object_set_new(answers, r->params[i].key + 7,
						    json_string(r->params[i].value));
	}
	struct application ap;
	enum kv_status rc = app_application_save(&r->app, r->proc.id, cand,
						 answers, &ap, &e);
	json_decref(answers);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		struct application got;
		if (STORE(r->st, application_get, r->proc.id, cand, r->a, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, application_json(r, &got, true));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/application",
					 (long long)r->proc.id));
}

bool document_form_route(const char *method, const char *url)
{
	const char *p = url, *tail = "/application/documents";
	if (strcmp(method, "POST") != 0 || strncmp(p, "/procedures/", 12) != 0)
		return false;
	p += 12;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcmp(p, tail) == 0;
}

/* The document of the page's form: the "content" file part, its name
 * from the file name (without a path), read whole; false with e filled
 * (field "content") and the status to answer. */
static bool document_from_form(struct req *r, struct application_document *d,
			       int *status, struct kv_error *e)
{
	const struct form_file *f = req_file(r, "content");
	*status = 422;
	if (r->form_bad && !r->body_cut) {
		*status = 400;
		kv_fail(e, KV_INVALID, "content", _("The form could not be read."));
		return false;
	}
	if (!f && !r->body_cut) {
		*status = r->hdr_content_type &&
			  strncasecmp(r->hdr_content_type, "multipart/form-data", 19) == 0
			  ? 422 : 415;
		kv_fail(e, KV_INVALID, "content", *status == 415
			? _("Send the form with enctype=\"multipart/form-data\".")
			: _("Choose a file to upload."));
		return false;
	}
	if (r->body_cut || !f->complete || f->len > APP_DOCUMENT_MAX) {
		*status = 413;
		kv_fail(e, KV_INVALID, "content", _("A document is at most %d KiB."),
			(int)(APP_DOCUMENT_MAX / 1024));
		return false;
	}
	const char *name = upload_base_name(f->filename);
	if (!*name) {
		kv_fail(e, KV_INVALID, "content", _("Choose a file to upload."));
		return false;
	}
	d->name = (char *)name;
	d->content = f->data;
	d->size = (int64_t)f->len;
	return true;
}

/* The API: {"name": ..., "content": base64}; the application page: a
 * multipart form with the file in "content" (server.c reads it with the
 * upload's parser, multipart.h).  Either way the type is sniffed from
 * the bytes, never taken from the sender. */
void page_application_document(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);
	if (!cand) {
		refusal(r, w, 403, KV_DENIED,
			_("Your account bids for no candidate in this procedure."));
		return;
	}
	struct kv_error e = {0};
	struct application_document d = {0};
	enum kv_status rc = KV_OK;
	int status = 0;
	if (!r->api) {
		if (!document_from_form(r, &d, &status, &e))
			rc = KV_INVALID;
	} else {
		bool present = false;
		const char *name = NULL;
		if (in_blank(in_str(r, "content")))
			rc = kv_fail(&e, KV_INVALID, "content",
				     _("Send the document's content in base64."));
		else
			rc = in_file(r, "content", &present, &name, &d.content,
				     &d.size, &e);
		d.name = (char *)name;
	}
	if (rc == KV_OK)
		rc = app_application_document(&r->app, r->proc.id, cand, &d, &e);
	if (rc != KV_OK && !r->api) {
		/* The name's refusal belongs next to the file field too. */
		if (strcmp(e.field, "name") == 0)
			snprintf(e.field, sizeof e.field, "content");
		application_page(r, w, &e);
		w->status = status ? status : http_status_of(rc);
		return;
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/application?uploaded=1#documents",
						 (long long)r->proc.id));
		return;
	}
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, d.sha256, sizeof d.sha256);
	resp_json(r, w, 201, json_pack("{s:I, s:s, s:I, s:s, s:s}", "id",
				       (json_int_t)d.id, "name", d.name, "size",
				       (json_int_t)d.size, "sha256", hex,
				       "content_type", file_sniff(d.content, (size_t)d.size)));
}
