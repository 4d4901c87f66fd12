/*
 * page_taking_part.c - taking part: the public list of published
 * procedures (/tenders), registering interest (anonymous), the buyer's
 * publication and selection criteria, and the application (aanmelding).
 *
 * Who sees an application: its own candidate's bidders always; buyers
 * and assessors who applied before the application deadline, and every
 * application's content after it; council members who applied.
 *
 * The pages read app/read_taking_part.h and are the templates
 * tender_*.tmpl, their forms declared once (form.h); not the answers to
 * the criteria (tender_answers.tmpl), whose labels are the criteria's
 * titles: data, which form.h would pass through gettext.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/read_taking_part.h"
#include "app/org_actions.h"
#include "app/read_orgs.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "multipart.h"
#include "templates.h"
#include "view.h"


/* A published procedure as the answer to its publication. */
static json_t *tender_json(struct req *r, const struct app_tender *t)
{
	const struct procedure *p = &t->p;
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_pack("{s:i, s:s}", "number",
			p->lots[i].number, "title", p->lots[i].title));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
			 (json_int_t)p->id, "reference", p->reference, "title",
			 p->title, "municipality", t->municipality, "type",
			 proc_type_code(p->type), "lots", lots,
			 "application_deadline", json_instant(r->a, t->application_deadline),
			 "registration_open", t->registration_open);
}

/* ---- registering interest ------------------------------------------------ */

/* The parties beside the registering organisation the form offers. */
#define FORM_PARTIES 3

static const struct field_option party_roles[] = {
	{"member", N_("member")},
	{"subcontractor", N_("subcontractor")},
};

static void register_form(struct req *r, struct resp *w,
			  const struct procedure *p, const struct form_errors *fe)
{
	/* The double-submit token of anonymous forms, as on the login page. */
	if (!r->authed && (!r->cookie_csrf || strlen(r->cookie_csrf) != 64)) {
		r->cookie_csrf = random_hex32(r->a);
		resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_csrf=%s%s",
			r->cookie_csrf, auth_cookie_attrs(r)));
	}
	struct form_field fs[7 + 3 * FORM_PARTIES] = {
		{.name = "org_name", .label = N_("Organisation"),
		 .help = N_("Your organisation (penvoerder)")},
		{.name = "kvk", .label = N_("KvK number"), .kind = FIELD_NUMBER},
		{.name = "address", .label = N_("Address"),
		 .help = N_("Street, number, postcode and town of your organisation")},
		{.name = "name", .label = N_("Contact name")},
		{.name = "email", .label = N_("E-mail address"), .kind = FIELD_EMAIL,
		 .autocomplete = "email"},
		{.name = "password", .label = N_("Password (at least 12 characters)"),
		 .kind = FIELD_PASSWORD, .autocomplete = "new-password"},
		{.name = "consortium_name", .label = N_("Consortium name"),
		 .help = N_("Consortium (optional)")},
	};
	int n = 7;
	/* Logged in: the organisation account registers, its name and KvK
	 * number known (org_register.tmpl); only the consortium is asked. */
	struct org_claim cl = {0};
	if (r->authed) {
		struct app_org_view ov;
		struct kv_error oe;
		if (app_org_view(&r->app, &ov, &oe) != KV_OK) {
			resp_error(r, w, &oe);
			return;
		}
		cl = ov.claim;
		fs[0] = fs[6];
		n = 1;
	}
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
		.submit = _("Register"), .fields = fs, .n_fields = n, .errors = fe,
		.refused = _("You are not registered.")};
	layout_begin(r, w, _("Register interest"));
	if (r->authed) {
		f.submit = _("Register my organisation");
		struct tv_org_register t = {.reference = p->reference, .title = p->title,
					    .org_name = cl.name, .kvk = cl.kvk ? cl.kvk : "",
					    .form = form_html(r, &f)};
		tmpl_org_register(&w->body, &t);
	} else {
		struct tv_tender_register t = {.reference = p->reference, .title = p->title,
					       .form = form_html(r, &f)};
		tmpl_tender_register(&w->body, &t);
	}
	layout_end(r, w);
}

/* The published procedure of ids[0], or a refusal (404 when it is not
 * published). */
static bool tender_load(struct req *r, struct resp *w, struct app_tender *t,
			struct kv_error *e)
{
	if (app_tender_get(&r->app, r->ids[0], t, e) != KV_OK) {
		refusal(r, w, 404, KV_NOT_FOUND,
			_("There is no such published procedure."));
		return false;
	}
	return true;
}

void page_tender_register_form(struct req *r, struct resp *w)
{
	struct app_tender t;
	struct kv_error e = {0};
	if (!tender_load(r, w, &t, &e))
		return;
	if (app_registration_open(&r->app, &t.p, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	register_form(r, w, &t.p, NULL);
}

void page_tender_register(struct req *r, struct resp *w)
{
	struct app_tender t;
	struct kv_error e = {0};
	if (!tender_load(r, w, &t, &e))
		return;
	const struct procedure *p = &t.p;
	struct registration rg = {0};
	struct candidate *c = &rg.candidate;
	c->procedure_id = p->id;
	int n;
	bool too_many = false;   /* new accounts from this client */
	enum kv_status rc = in_count_within(r, "parties", MAX_PARTIES, &n, &e);
	c->parties = arena_alloc(r->a, (size_t)(n + 2) * sizeof *c->parties);
	c->parties[0] = (struct party){.org_name = (char *)in_str(r, "org_name"),
				       .kvk = (char *)in_str(r, "kvk"),
				       .role = PARTY_PENVOERDER};
	c->n_parties = 1;
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
	rg.address = in_str(r, "address");
	if (r->authed) {
		/* From the organisation account: the penvoerder is its own. */
		if (in_blank(cname))
			c->name = NULL;
		if (rc == KV_OK)
			rc = app_register_again(&r->app, c, &e);
	} else {
		if (rc == KV_OK && in_blank(c->parties[0].org_name))
			rc = kv_fail(&e, KV_INVALID, "org_name",
				     _("Give the name of your organisation."));
		if (rc == KV_OK && !auth_signup_allowed(r, w, &e)) {
			rc = KV_DENIED;
			too_many = true;
		}
		if (rc == KV_OK)
			rc = app_register(&r->app, &rg, &e);
	}
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			if (too_many)
				w->status = 429;
		} else if (r->authed)
			resp_json(r, w, 201, json_pack("{s:o}", "candidate",
				json_candidate(c)));
		else
			resp_json(r, w, 201, json_pack("{s:o, s:I, s:s}",
				"candidate", json_candidate(c), "account",
				(json_int_t)rg.account.id, "email",
				rg.account.email));
		return;
	}
	if (rc != KV_OK) {
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = too_many ? 429 : http_status_of(rc);
		register_form(r, w, p, &fe);
		return;
	}
	resp_redirect(r, w, r->authed ? "/organisation" : "/login?registered=1");
}

/* ---- the buyer's publication and criteria -------------------------------- */

/* The application page's forms, to show a refusal at the one it came
 * from. */
enum app_form { APP_FORM_PUBLISH, APP_FORM_ANSWERS, APP_FORM_DOCUMENT,
		APP_FORM_CRITERION };

static void application_page_at(struct req *r, struct resp *w, enum app_form form,
				enum kv_status rc, const struct kv_error *e);

void page_procedure_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = app_procedure_publish(&r->app, r->proc.id, &e);
	if (rc != KV_OK && !r->api) {
		application_page_at(r, w, APP_FORM_PUBLISH, rc, &e);
		return;
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		struct app_tender t;
		if (app_tender_get(&r->app, r->proc.id, &t, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, tender_json(r, &t));
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/application",
					      (long long)r->proc.id), DONE_PROCEDURE_PUBLISHED);
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
	/* Round 1's criteria are added on the application page, a later
	 * round's on the selection page: a refusal of the first is shown
	 * there at its form. */
	if (rc != KV_OK && !r->api && c.round <= 1) {
		application_page_at(r, w, APP_FORM_CRITERION, rc, &e);
		return;
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, criterion_json(&c));
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, c.round > 1
					      ? "/procedures/%lld/selection"
					      : "/procedures/%lld/application",
					      (long long)r->proc.id), DONE_CRITERION_ADDED);
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
	if (app_application_documents(&r->app, ap->candidate_id, &ds, &n, &e) == KV_OK)
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

static enum kv_status view_load(struct req *r, struct app_application_view *v,
				struct kv_error *e)
{
	return app_application_view(&r->app, &r->proc,
				    (r->roles & ROLE_BIDDER) ? own_candidate(r) : 0, v, e);
}

static void application_json_page(struct req *r, struct resp *w,
				  const struct app_application_view *v)
{
	int64_t own = (r->roles & ROLE_BIDDER) ? own_candidate(r) : 0;
	bool inside = r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL);
	bool see_all = v->closed && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR));
	json_t *crs = json_array();
	for (int i = 0; i < v->n_crs; i++)
		json_array_append_new(crs, criterion_json(&v->crs[i]));
	json_t *j = json_pack("{s:o, s:o, s:b}", "criteria", crs,
			      "application_deadline",
			      json_instant(r->a, v->deadline), "open",
			      v->deadline && !v->closed);
	if (own)
		json_object_set_new(j, "application",
				    v->mine >= 0 ? application_json(r, &v->aps[v->mine].ap, true)
						 : json_null());
	if (inside) {
		json_t *all = json_array();
		for (int i = 0; i < v->n_aps; i++)
			json_array_append_new(all, application_json(r, &v->aps[i].ap, see_all));
		json_object_set_new(j, "applications", all);
	}
	resp_json(r, w, 200, j);
}

static html_t publish_form(struct req *r, const struct form_errors *fe)
{
	static const struct form_field fields[] = {
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("I understand that publishing makes this procedure visible to every organisation on the tenders page, where they can register interest; this cannot be undone.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/publish", (long long)r->proc.id),
		.submit = _("Publish for registration"), .fields = fields, .n_fields = 1,
		.errors = fe};
	return form_html(r, &f);
}

/* The bidder's answers to round 1's criteria, while the deadline is
 * ahead; fe: their refusal, or NULL. */
static html_t answers_form(struct req *r, const struct app_application_view *v,
			   const struct form_errors *fe)
{
	const struct app_applicant *mine = v->mine >= 0 ? &v->aps[v->mine] : NULL;
	struct tv_tender_answers_criteria *cs = arena_alloc(r->a, (size_t)(v->n_crs + 1) * sizeof *cs);
	for (int i = 0; i < v->n_crs; i++) {
		const struct selection_criterion *c = &v->crs[i];
		const char *saved = mine ? mine->answers[i] : NULL;
		cs[i] = (struct tv_tender_answers_criteria){
			.key = c->key, .title = c->title, .description = c->description,
			.later = c->round > 1,
			.later_note = arena_printf(r->a, _("Selection round %d; assessed after round %d, not answered in the application."),
						   c->round, c->round - 1),
			.value = fe && fe->n ? refill(r, arena_printf(r->a, "answer_%s", c->key), "")
					     : (saved ? saved : "")};
	}
	struct tv_tender_answers t = {
		.csrf = {.token = csrf_token(r)}, .pid = r->proc.id,
		.refused = fe && fe->n ? fe->items[0].msg : "",
		/* the first answers make the application; later ones change it */
		.refused_heading = mine ? _("Nothing was changed.") : _("Your application was not saved."),
		.criteria = cs, .n_criteria = v->n_crs};
	return tmpl_tender_answers_html(r->a, &t);
}

static html_t document_form(struct req *r, const struct form_errors *fe)
{
	const struct form_field fields[] = {
		{.name = "content", .kind = FIELD_FILE, .required = true,
		 .label = arena_printf(r->a, _("Document (at most %d MB; one with the same name is replaced)"),
				       (int)(APP_DOCUMENT_MAX >> 20))},
	};
	struct form f = {
		.css = "form upload",
		.action = arena_printf(r->a, "/procedures/%lld/application/documents",
				       (long long)r->proc.id),
		.submit = _("Add document"), .fields = fields, .n_fields = 1, .errors = fe,
		.refused = form_not_saved()};
	return form_html(r, &f);
}

static const struct field_option criterion_kinds[] = {
	{"pass-fail", N_("pass-fail")},
	{"scored", N_("scored")},
};

static html_t criterion_form(struct req *r, const struct form_errors *fe)
{
	const struct form_field fields[] = {
		{.name = "round", .label = N_("Selection round (1: answered in the application)"),
		 .kind = FIELD_NUMBER, .value = "1"},
		{.name = "title", .label = N_("Title"), .required = true},
		{.name = "key", .label = N_("Key (optional)"),
		 .help = N_("Left empty, the key is made from the title, e.g. \"kwaliteit\" or \"kwaliteit-2\"."),
		 .placeholder = "kwaliteit"},
		{.name = "description", .label = N_("Description"), .kind = FIELD_TEXTAREA},
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT,
		 .options = criterion_kinds, .n_options = 2, .value = "pass-fail"},
		{.name = "max_points", .label = N_("Maximum points (scored)"), .kind = FIELD_NUMBER},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/selection-criteria",
				       (long long)r->proc.id),
		.submit = _("Add criterion"), .fields = fields,
		.n_fields = sizeof fields / sizeof *fields, .errors = fe,
		.refused = form_not_saved()};
	return form_html(r, &f);
}

/* The page; fe: the refusal of form `form`, or NULL. */
static void application_page_with(struct req *r, struct resp *w,
				  enum app_form form, const struct form_errors *fe)
{
	struct app_application_view v;
	struct kv_error e = {0};
	if (view_load(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		application_json_page(r, w, &v);
		return;
	}
	int64_t own = (r->roles & ROLE_BIDDER) ? own_candidate(r) : 0;
	bool buyer = r->roles & ROLE_BUYER;
	bool inside = r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL);
	bool see_all = v.closed && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR));
	const struct app_applicant *mine = v.mine >= 0 ? &v.aps[v.mine] : NULL;
	struct tv_tender_application t = {
		.deadline_at = fmt_when(r, v.deadline),
		.buyer = buyer, .published = v.published, .published_at = fmt_when(r, v.published_at),
		.bidder = own != 0, .uploaded = req_param(r, "uploaded") != NULL,
		.inside = inside, .closed = v.closed, .pid = r->proc.id, .own = own};
	/* Whether the refused form is still on the page; if not, its
	 * refusal stands above everything. */
	bool shown = false;
	if (buyer && !v.published) {
		t.publish_form = publish_form(r, form == APP_FORM_PUBLISH ? fe : NULL);
		shown |= form == APP_FORM_PUBLISH;
	}
	if (own && !v.closed && v.n_crs) {
		t.answers_form = answers_form(r, &v, form == APP_FORM_ANSWERS ? fe : NULL);
		shown |= form == APP_FORM_ANSWERS;
	}
	if (own && !v.closed) {
		t.document_form = document_form(r, form == APP_FORM_DOCUMENT ? fe : NULL);
		shown |= form == APP_FORM_DOCUMENT;
	}
	if (buyer && !v.closed) {
		t.criterion_form = criterion_form(r, form == APP_FORM_CRITERION ? fe : NULL);
		shown |= form == APP_FORM_CRITERION;
	}
	if (fe && fe->n && !shown) {
		t.refused = fe->items[0].msg;
		t.refused_heading = form == APP_FORM_PUBLISH || (form == APP_FORM_ANSWERS && mine)
			? _("Nothing was changed.") : form_not_saved();
	}
	struct tv_tender_application_criteria *cs =
		arena_alloc(r->a, (size_t)(v.n_crs + 1) * sizeof *cs);
	for (int i = 0; i < v.n_crs; i++) {
		const struct selection_criterion *c = &v.crs[i];
		const char *a = mine ? mine->answers[i] : NULL;
		cs[i] = (struct tv_tender_application_criteria){
			.title = c->title, .description = c->description, .later = c->round > 1,
			.later_note = arena_printf(r->a, _("Selection round %d; assessed after round %d, not answered in the application."),
						   c->round, c->round - 1),
			.show_answer = own && c->round <= 1, .answer = a ? a : ""};
	}
	t.criteria = cs;
	t.n_criteria = v.n_crs;
	struct tv_tender_application_documents *ds =
		arena_alloc(r->a, (size_t)(v.n_docs + 1) * sizeof *ds);
	for (int i = 0; i < v.n_docs; i++)
		ds[i] = (struct tv_tender_application_documents){
			.id = v.docs[i].id, .name = v.docs[i].name, .size = v.docs[i].size,
			.uploaded_at = fmt_when(r, v.docs[i].uploaded_at)};
	t.documents = ds;
	t.n_documents = v.n_docs;
	struct tv_tender_application_applicants *as =
		arena_alloc(r->a, (size_t)(v.n_aps + 1) * sizeof *as);
	for (int i = 0; inside && i < v.n_aps; i++) {
		const struct app_applicant *ap = &v.aps[i];
		struct tv_tender_application_applicants_answers *xs =
			arena_alloc(r->a, (size_t)(v.n_crs + 1) * sizeof *xs);
		int nx = 0;
		for (int k = 0; see_all && k < v.n_crs; k++)
			if (v.crs[k].round <= 1)
				xs[nx++] = (struct tv_tender_application_applicants_answers){
					.title = v.crs[k].title,
					.answer = ap->answers[k] ? ap->answers[k] : ""};
		struct application_document *docs = NULL;
		int nd = 0;
		struct kv_error de;
		if (!see_all || app_application_documents(&r->app, ap->ap.candidate_id, &docs, &nd,
							  &de) != KV_OK)
			nd = 0;
		struct tv_tender_application_applicants_docs *dv =
			arena_alloc(r->a, (size_t)(nd + 1) * sizeof *dv);
		for (int k = 0; k < nd; k++)
			dv[k] = (struct tv_tender_application_applicants_docs){
				.id = docs[k].id, .name = docs[k].name,
				.size = fmt_bytes(r, docs[k].size)};
		as[i] = (struct tv_tender_application_applicants){
			.name = ap->ap.candidate_name ? ap->ap.candidate_name : "",
			.candidate = ap->ap.candidate_id, .docs = dv, .n_docs = nd,
			.updated_at = fmt_when(r, ap->ap.updated_at), .answers = xs, .n_answers = nx};
	}
	t.applicants = as;
	t.n_applicants = inside ? v.n_aps : 0;
	layout_begin(r, w, _("Applications"));
	procedure_nav(r, w, "application");
	tmpl_tender_application(&w->body, &t);
	layout_end(r, w);
}

static void application_page_at(struct req *r, struct resp *w, enum app_form form,
				enum kv_status rc, const struct kv_error *e)
{
	struct form_errors fe = {0};
	form_errors_add(&fe, e);
	w->status = http_status_of(rc);
	application_page_with(r, w, form, &fe);
}

/* The page again after the document form was refused with err (its
 * field "content"); the caller sets the status. */
static void application_page(struct req *r, struct resp *w,
			     const struct kv_error *err)
{
	struct form_errors fe = {0};
	form_errors_add(&fe, err);
	application_page_with(r, w, APP_FORM_DOCUMENT, &fe);
}

void page_application(struct req *r, struct resp *w)
{
	application_page_with(r, w, APP_FORM_DOCUMENT, NULL);
}

void page_application_save(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);   /* the router checked there is one */
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
	if (rc != KV_OK && !r->api) {
		application_page_at(r, w, APP_FORM_ANSWERS, rc, &e);
		return;
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		struct application got;
		if (app_application_get(&r->app, r->proc.id, cand, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, application_json(r, &got, true));
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/application",
					      (long long)r->proc.id), DONE_APPLICATION_SAVED);
}

/* The API: {"name": ..., "content": base64} (the page's form streams
 * instead: page_application_doc_upload).  The type is sniffed from the
 * bytes, never taken from the sender. */
void page_application_document(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);   /* the router checked there is one */
	struct kv_error e = {0};
	struct application_document d = {0};
	enum kv_status rc = KV_OK;
	bool present = false;
	const char *name = NULL;
	if (in_blank(in_str(r, "content")))
		rc = kv_fail(&e, KV_INVALID, "content",
			     _("Send the document's content in base64."));
	else
		rc = in_file(r, "content", &present, &name, &d.content, &d.size, &e);
	d.name = (char *)name;
	if (rc == KV_OK)
		rc = app_application_document(&r->app, r->proc.id, cand, &d, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, d.sha256, sizeof d.sha256);
	resp_json(r, w, 201, json_pack("{s:I, s:s, s:I, s:s, s:s}", "id",
				       (json_int_t)d.id, "name", d.name, "size",
				       (json_int_t)d.size, "sha256", hex,
				       "content_type", file_sniff(d.content, (size_t)d.size)));
}

/* ---- the application document streamed in (the page's form) -------------- */

static const struct body_sink doc_refused_sink;

/* The refusal at the file field, the upload (if one began) dropped, and
 * the application page drawn around it.  While the body streams in the
 * store is lent back: the refusal is kept, the rest of the body read and
 * dropped (doc_refused_sink), and the page drawn at its end. */
static void doc_refuse(struct req *r, struct resp *w, int status,
		       enum kv_status st, const char *msg)
{
	app_doc_upload_abort(r->doc_upload);
	r->doc_upload = NULL;
	if (r->refusal)
		return;   /* the first refusal stands */
	r->refusal = arena_alloc(r->a, sizeof *r->refusal);
	kv_fail(r->refusal, st, "content", "%s", msg);
	r->refusal_status = status;
	resp_reset(w);
	if (r->st) {
		r->sink = NULL;
		application_page(r, w, r->refusal);
		w->status = status;
	} else {
		r->sink = &doc_refused_sink;
	}
}

static bool doc_drop_begin(struct req *r, struct resp *w, const char *filename)
{
	(void)r, (void)w, (void)filename;
	return true;
}

static bool doc_drop(struct req *r, struct resp *w, const char *data, size_t n)
{
	(void)r, (void)w, (void)data, (void)n;
	return true;
}

static void doc_refused_finish(struct req *r, struct resp *w)
{
	r->sink = NULL;
	resp_reset(w);
	application_page(r, w, r->refusal);
	w->status = r->refusal_status;
}

static void doc_drop_refuse(struct req *r, struct resp *w, int status, const char *msg)
{
	(void)r, (void)w, (void)status, (void)msg;
}

static void doc_drop_abort(struct req *r)
{
	r->sink = NULL;
}

static const struct body_sink doc_refused_sink = {
	.begin = doc_drop_begin,
	.data = doc_drop,
	.finish = doc_refused_finish,
	.refuse = doc_drop_refuse,
	.abort = doc_drop_abort,
};

static bool doc_begin(struct req *r, struct resp *w, const char *filename)
{
	struct kv_error e = {0};
	const char *base = upload_base_name(filename ? filename : "");
	if (!*base) {
		doc_refuse(r, w, 422, KV_INVALID, _("Choose a file to upload."));
		return r->sink != NULL;
	}
	if (app_doc_upload_name(&r->app, r->doc_upload, base, &e) != KV_OK) {
		doc_refuse(r, w, http_status_of(e.status), e.status, e.msg);
		return r->sink != NULL;
	}
	return true;
}

static bool doc_data(struct req *r, struct resp *w, const char *data, size_t n)
{
	struct kv_error e = {0};
	enum kv_status rc = app_doc_upload_chunk(r->doc_upload, data, n, &e);
	if (rc != KV_OK) {
		doc_refuse(r, w, rc == KV_INVALID ? 413 : http_status_of(rc), rc, e.msg);
		return r->sink != NULL;
	}
	return true;
}

static void doc_finish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct application_document d;
	r->app.now = server_now();
	enum kv_status rc = app_doc_upload_finish(&r->app, r->doc_upload, &d, &e);
	r->doc_upload = NULL;
	r->sink = NULL;
	if (rc != KV_OK) {
		resp_reset(w);
		if (strcmp(e.field, "name") == 0)
			snprintf(e.field, sizeof e.field, "content");
		application_page(r, w, &e);
		w->status = http_status_of(rc);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/application?uploaded=1#documents",
					 (long long)r->proc.id));
}

static void doc_refuse_body(struct req *r, struct resp *w, int status, const char *msg)
{
	doc_refuse(r, w, status, status == 403 ? KV_DENIED : KV_INVALID, msg);
}

static void doc_abort(struct req *r)
{
	app_doc_upload_abort(r->doc_upload);
	r->doc_upload = NULL;
	r->sink = NULL;
}

static const struct body_sink doc_sink = {
	.begin = doc_begin,
	.data = doc_data,
	.finish = doc_finish,
	.refuse = doc_refuse_body,
	.abort = doc_abort,
};

/* POST /procedures/#/application/documents from the page: multipart,
 * streamed (BODY_STREAM), its CSRF field checked before the file part,
 * the file to a temporary file and then into the database in pieces. */
void page_application_doc_upload(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (!r->hdr_content_type ||
	    strncasecmp(r->hdr_content_type, "multipart/form-data", 19) != 0) {
		kv_fail(&e, KV_INVALID, "content",
			_("Send the form with enctype=\"multipart/form-data\"."));
		application_page(r, w, &e);
		w->status = 415;
		return;
	}
	if (r->content_length > APP_DOCUMENT_MAX + 64 * 1024) {
		kv_fail(&e, KV_INVALID, "content", _("A document is at most %d MiB."),
			(int)(APP_DOCUMENT_MAX >> 20));
		application_page(r, w, &e);
		w->status = 413;
		return;
	}
	if (app_doc_upload_begin(&r->app, &r->proc, own_candidate(r),
				 server_vault_dir(r->srv), &r->doc_upload, &e) != KV_OK) {
		application_page(r, w, &e);
		w->status = http_status_of(e.status);
		return;
	}
	r->upload_field = "content";
	r->sink = &doc_sink;
}
