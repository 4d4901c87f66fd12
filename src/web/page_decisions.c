/*
 * page_decisions.c - the decisions register of a procedure: college
 * decisions with their conditions (works-council advice, Participatieraad
 * advice) and the stages they govern.  A stage governed by a decision with
 * a pending condition cannot complete (core/procedure.c decides).
 */
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

static const char *state_label(enum condition_state s)
{
	switch (s) {
	case COND_PENDING: return _("pending");
	case COND_MET: return _("met");
	case COND_WAIVED: return _("waived");
	}
	return "";
}

static void decisions_page(struct req *r, struct resp *w, struct decision *ds,
			   int n, const struct kv_error *e, int64_t err_cond)
{
	sbuf *b = &w->body;
	char day[16];
	layout_begin(r, w, _("Decisions"));
	procedure_nav(r, w, "decisions");
	html_f(b, "<h2>%s</h2>", _("Decisions register"));
	if (!n)
		html_f(b, "<p>%s</p>", _("No decisions are linked to this procedure."));
	for (int i = 0; i < n; i++) {
		const struct decision *d = &ds[i];
		html_f(b, "<article class=\"decision\" id=\"decision-%lld\"><h3>%s %s <small>%s</small></h3>"
			  "<p>%s</p><p class=\"body\">%s</p>",
		       (long long)d->id, _("Decision"), d->number,
		       cal_format_long(r->a, d->date), d->title, d->body ? d->body : "");
		(void)day;
		if (d->n_governs) {
			html_f(b, "<p>%s ", _("Governs:"));
			for (int g = 0; g < d->n_governs; g++)
				html_f(b, "%s%s", g ? ", " : "", stage_kind_label(d->governs[g]));
			html_f(b, "</p>");
		}
		for (int c = 0; c < d->n_conditions; c++) {
			const struct condition *cd = &d->conditions[c];
			html_f(b, "<div class=\"condition %s\" id=\"condition-%lld\"><p><strong>%s</strong> %s — %s",
			       condition_state_code(cd->state), (long long)cd->id,
			       _("Condition:"), cd->description, state_label(cd->state));
			if (cd->state != COND_PENDING)
				html_f(b, " (%s, %s)", fmt_when(r, cd->resolved_at),
				       cd->resolution ? cd->resolution : "");
			html_f(b, "</p>");
			if (e && err_cond == cd->id)
				html_f(b, "<p class=\"field-error\" role=\"alert\">%s</p>", e->msg);
			if ((r->roles & ROLE_BUYER) && cd->state == COND_PENDING)
				html_f(b, "<form method=\"post\" action=\"/procedures/%lld/conditions/%lld/resolve\" class=\"form inline-form\">%R"
					  "<select name=\"state\"><option value=\"met\">%s</option><option value=\"waived\">%s</option></select>"
					  "<input name=\"resolution\" placeholder=\"%s\" aria-label=\"%s\">"
					  "<button type=\"submit\">%s</button></form>",
				       (long long)r->proc.id, (long long)cd->id, csrf_input(r),
				       _("met"), _("waived"), _("e.g. positive advice of 1 March 2022"),
				       _("Resolution"), _("Record"));
			html_f(b, "</div>");
		}
		html_f(b, "</article>");
	}
	if (r->roles & ROLE_BUYER) {
		if (!err_cond)
			form_error_summary(r, w, e);
		html_f(b, "<h2>%s</h2><form method=\"post\" action=\"/procedures/%lld/decisions\" class=\"form\" novalidate>%R"
			  "<label for=\"number\">%s</label><input id=\"number\" name=\"number\" value=\"%s\" placeholder=\"2021/34505\">%R"
			  "<label for=\"date\">%s</label><input id=\"date\" name=\"date\" type=\"date\" value=\"%s\">%R"
			  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" value=\"%s\">%R"
			  "<label for=\"body\">%s</label><textarea id=\"body\" name=\"body\" rows=\"3\">%s</textarea>"
			  "<label for=\"condition\">%s</label><input id=\"condition\" name=\"condition\" value=\"%s\" placeholder=\"%s\">%R"
			  "<fieldset><legend>%s</legend>",
		       _("Add a decision"), (long long)r->proc.id, csrf_input(r),
		       _("Decision number"), refill(r, "number", ""), field_error(r, e, "number"),
		       _("Date of decision"), refill(r, "date", ""), field_error(r, e, "date"),
		       _("Subject"), refill(r, "title", ""), field_error(r, e, "title"),
		       _("Decision text"), refill(r, "body", ""),
		       _("Pending condition (optional)"), refill(r, "condition", ""),
		       _("e.g. advice of the works council (art. 25 WOR)"), field_error(r, e, "condition"),
		       _("Stages this decision governs"));
		for (int k = 0; k < SK__COUNT; k++)
			html_f(b, "<label class=\"check\"><input type=\"checkbox\" name=\"governs_%s\" value=\"1\"%R> %s</label>",
			       stage_kind_code(k),
			       req_param(r, arena_printf(r->a, "governs_%s", stage_kind_code(k))) ? " checked" : "",
			       stage_kind_label(k));
		html_f(b, "</fieldset><button type=\"submit\">%s</button></form>", _("Add decision"));
	}
	layout_end(r, w);
}

static enum kv_status load(struct req *r, struct decision **ds, int *n,
			   struct kv_error *e)
{
	return STORE(r->st, decision_list, r->proc.tenant_id, r->proc.id, r->a, ds, n, e);
}

static void answer(struct req *r, struct resp *w, enum kv_status rc,
		   const struct kv_error *e, int64_t err_cond, json_t *ok_json)
{
	if (r->api) {
		if (rc != KV_OK) {
			json_decref(ok_json);
			resp_error(r, w, e);
		} else {
			resp_json(r, w, 201, ok_json);
		}
		return;
	}
	json_decref(ok_json);
	if (rc == KV_OK) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/decisions", (long long)r->proc.id));
		return;
	}
	struct decision *ds = NULL;
	int n = 0;
	struct kv_error le;
	load(r, &ds, &n, &le);
	w->status = http_status_of(rc);
	decisions_page(r, w, ds, n, e, err_cond);
}

void page_decisions(struct req *r, struct resp *w)
{
	struct decision *ds = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (load(r, &ds, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_decision(&ds[i]));
		resp_json(r, w, 200, json_pack("{s:o}", "decisions", arr));
		return;
	}
	decisions_page(r, w, ds, n, NULL, 0);
}

void page_decision_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct decision d = {.tenant_id = r->proc.tenant_id, .procedure_id = r->proc.id};
	d.number = (char *)in_str(r, "number");
	d.title = (char *)in_str(r, "title");
	d.body = (char *)in_str(r, "body");
	const char *date = in_str(r, "date");
	enum kv_status rc = in_blank(date)
		? kv_fail(&e, KV_INVALID, "date", _("Fill in the date of the decision."))
		: (cal_parse_date(date, &d.date, "date", &e) == 0 ? KV_OK : KV_INVALID);
	/* Conditions: a list in JSON, one optional field in the form. */
	int nc = r->api ? in_count(r, "conditions", 8) : 1;
	d.conditions = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *d.conditions);
	for (int i = 0; i < nc; i++) {
		const char *desc = r->api ? in_sub(r, "conditions", i, "description")
					  : in_str(r, "condition");
		if (in_blank(desc))
			continue;
		d.conditions[d.n_conditions++] = (struct condition){
			.description = (char *)desc, .state = COND_PENDING};
	}
	d.governs = arena_alloc(r->a, SK__COUNT * sizeof *d.governs);
	if (r->api) {
		json_t *g = json_object_get(r->json, "governs");
		size_t i;
		json_t *v;
		json_array_foreach(g, i, v) {
			int k = json_is_string(v) ? stage_kind_from_code(json_string_value(v)) : -1;
			if (k < 0) {
				rc = kv_fail(&e, KV_INVALID, "governs", _("Unknown stage kind in \"governs\"."));
				break;
			}
			if (d.n_governs < SK__COUNT)
				d.governs[d.n_governs++] = (enum stage_kind)k;
		}
	} else {
		for (int k = 0; k < SK__COUNT; k++)
			if (req_param(r, arena_printf(r->a, "governs_%s", stage_kind_code(k))))
				d.governs[d.n_governs++] = (enum stage_kind)k;
	}
	if (rc == KV_OK)
		rc = app_decision_add(&r->app, &d, &e);
	answer(r, w, rc, &e, 0, rc == KV_OK ? json_decision(&d) : NULL);
}

void page_condition_resolve(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int64_t decision_id = 0, tenant = 0;
	const char *state = in_str(r, "state");
	int st = state ? condition_state_from_code(state) : -1;
	enum kv_status rc = STORE(r->st, condition_decision, r->ids[1], &decision_id, &tenant, &e);
	/* The condition must belong to this procedure's municipality and to
	 * a decision linked to this procedure. */
	bool linked = false;
	if (rc == KV_OK && tenant == r->proc.tenant_id) {
		struct decision *ds = NULL;
		int n = 0;
		if (load(r, &ds, &n, &e) == KV_OK)
			for (int i = 0; i < n; i++)
				if (ds[i].id == decision_id)
					linked = true;
	}
	if (rc != KV_OK || !linked)
		rc = kv_fail(&e, KV_NOT_FOUND, "", _("This procedure has no such condition."));
	else if (st < 0)
		rc = kv_fail(&e, KV_INVALID, "state", _("Choose met or waived."));
	else
		rc = app_condition_resolve(&r->app, r->proc.id, r->ids[1], (enum condition_state)st,
					   in_str(r, "resolution"), &e);
	answer(r, w, rc, &e, r->ids[1],
	       rc == KV_OK ? json_pack("{s:I, s:s}", "id", (json_int_t)r->ids[1], "state", state) : NULL);
}
