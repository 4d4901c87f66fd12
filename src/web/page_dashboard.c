/*
 * page_dashboard.c - the overview of procedures and creating a new one.
 */
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "view.h"

#define MAX_LOTS 12

/* The municipalities in which the account may create procedures. */
static int buyer_tenants(struct req *r, int64_t *out, int max)
{
	int n = 0;
	for (int i = 0; i < r->n_grants && n < max; i++)
		if (r->grants[i].role == ROLE_BUYER && r->grants[i].procedure_id == 0)
			out[n++] = r->grants[i].tenant_id;
	return n;
}

void page_dashboard(struct req *r, struct resp *w)
{
	struct procedure_summary *list = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (STORE(r->st, procedure_visible, r->me.id, r->a, &list, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i}",
				"id", (json_int_t)list[i].id, "tenant_id", (json_int_t)list[i].tenant_id,
				"municipality", list[i].tenant_name ? list[i].tenant_name : "",
				"reference", list[i].reference, "title", list[i].title,
				"type", proc_type_code(list[i].type), "lots", list[i].n_lots));
		resp_json(r, w, 200, json_pack("{s:o}", "procedures", arr));
		return;
	}
	int64_t tenants[8];
	layout_begin(r, w, _("Procedures"));
	html_f(&w->body, "<h1>%s</h1>", _("Procedures"));
	if (buyer_tenants(r, tenants, 8) > 0)
		html_f(&w->body, "<p><a class=\"button\" href=\"/procedures/new\">%s</a></p>",
		       _("New procedure"));
	if (n == 0) {
		html_f(&w->body, "<p>%s</p>", _("You have no procedures yet."));
	} else {
		html_f(&w->body, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
				 "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Reference"), _("Title"), _("Municipality"), _("Procedure type"),
		       _("Lots"));
		for (int i = 0; i < n; i++)
			html_f(&w->body, "<tr><td>%s</td><td><a href=\"/procedures/%lld\">%s</a></td>"
					 "<td>%s</td><td>%s</td><td>%d</td></tr>",
			       list[i].reference, (long long)list[i].id, list[i].title,
			       list[i].tenant_name ? list[i].tenant_name : "",
			       proc_type_label(list[i].type), list[i].n_lots);
		html_f(&w->body, "</tbody></table>");
	}
	layout_end(r, w);
}

static void new_form(struct req *r, struct resp *w, const struct kv_error *e)
{
	int64_t tenants[8];
	int nt = buyer_tenants(r, tenants, 8);
	layout_begin(r, w, _("New procedure"));
	html_f(&w->body, "<p class=\"crumbs\"><a href=\"/\">%s</a></p><h1>%s</h1>",
	       _("Procedures"), _("New procedure"));
	form_error_summary(r, w, e);
	html_f(&w->body, "<form method=\"post\" action=\"/procedures\" class=\"form\" novalidate>%R",
	       csrf_input(r));
	if (nt > 1) {
		html_f(&w->body, "<label for=\"tenant_id\">%s</label><select id=\"tenant_id\" name=\"tenant_id\">",
		       _("Municipality"));
		for (int i = 0; i < nt; i++) {
			struct org o;
			struct kv_error ge;
			if (STORE(r->st, org_get, tenants[i], r->a, &o, &ge) == KV_OK)
				html_f(&w->body, "<option value=\"%lld\">%s</option>",
				       (long long)o.id, o.name);
		}
		html_f(&w->body, "</select>%R", field_error(r, e, "tenant_id"));
	}
	html_f(&w->body,
	       "<label for=\"reference\">%s</label><input id=\"reference\" name=\"reference\" value=\"%s\" maxlength=\"40\">%R"
	       "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" value=\"%s\" maxlength=\"200\">%R"
	       "<label for=\"type\">%s</label><select id=\"type\" name=\"type\">",
	       _("Reference"), refill(r, "reference", ""), field_error(r, e, "reference"),
	       _("Title"), refill(r, "title", ""), field_error(r, e, "title"),
	       _("Procedure type"));
	const char *type = refill(r, "type", "sas-dialogue");
	for (int t = 0; t < PT__COUNT; t++)
		html_f(&w->body, "<option value=\"%s\"%R>%s</option>", proc_type_code(t),
		       strcmp(type, proc_type_code(t)) == 0 ? " selected" : "",
		       proc_type_label(t));
	html_f(&w->body,
	       "</select>%R"
	       "<label for=\"dialogue_rounds\">%s</label><input id=\"dialogue_rounds\" name=\"dialogue_rounds\" inputmode=\"numeric\" value=\"%s\">%R"
	       "<label for=\"cpv\">%s</label><input id=\"cpv\" name=\"cpv\" value=\"%s\" placeholder=\"85310000-5\">%R"
	       "<label for=\"value\">%s</label><input id=\"value\" name=\"value\" inputmode=\"decimal\" value=\"%s\" placeholder=\"9.000.000\">%R"
	       "<fieldset><legend>%s</legend>",
	       field_error(r, e, "type"),
	       _("Dialogue rounds"), refill(r, "dialogue_rounds", "2"), field_error(r, e, "dialogue_rounds"),
	       _("CPV code"), refill(r, "cpv", ""), field_error(r, e, "cpv"),
	       _("Estimated value (EUR)"), refill(r, "value", ""), field_error(r, e, "value"),
	       _("Lots"));
	int rows = in_count(r, "lots", MAX_LOTS);
	if (rows < 3)
		rows = 3;
	for (int i = 1; i <= rows; i++) {
		const char *k = arena_printf(r->a, "lots_%d_", i);
		html_f(&w->body,
		       "<div class=\"row\"><label for=\"%stitle\">%s %d</label>"
		       "<input id=\"%stitle\" name=\"%stitle\" value=\"%s\">"
		       "<label for=\"%svalue\">%s</label>"
		       "<input id=\"%svalue\" name=\"%svalue\" inputmode=\"decimal\" value=\"%s\">"
		       "<label class=\"check\"><input type=\"checkbox\" name=\"%sfixed_budget\" value=\"1\"%R> %s</label>"
		       "<label for=\"%sgoals\">%s</label><textarea id=\"%sgoals\" name=\"%sgoals\" rows=\"2\">%s</textarea>%R</div>",
		       k, _("Lot"), i, k, k, refill(r, arena_printf(r->a, "%stitle", k), ""),
		       k, _("Value (EUR)"), k, k, refill(r, arena_printf(r->a, "%svalue", k), ""),
		       k, req_param(r, arena_printf(r->a, "%sfixed_budget", k)) ? " checked" : "",
		       _("fixed budget"), k, _("Goals of this lot"), k, k,
		       refill(r, arena_printf(r->a, "%sgoals", k), ""),
		       field_error(r, e, arena_printf(r->a, "lots_%d", i)));
	}
	html_f(&w->body, "</fieldset><button type=\"submit\">%s</button></form>",
	       _("Create procedure"));
	layout_end(r, w);
}

void page_procedure_new(struct req *r, struct resp *w)
{
	new_form(r, w, NULL);
}

/* Reads one lot from the form or JSON; field names like "lots_2". */
static enum kv_status parse_lot(struct req *r, const char *list, int i,
				struct lot *l, struct kv_error *e)
{
	const char *field = arena_printf(r->a, "%s_%d", list, i + 1);
	l->number = i + 1;
	const char *num = in_sub(r, list, i, "number");
	long long v;
	if (!in_blank(num)) {
		if (in_int(num, 1, 999, &v, field, e) != KV_OK)
			return e->status;
		l->number = (int)v;
	}
	l->title = (char *)in_sub(r, list, i, "title");
	l->goals = (char *)in_sub(r, list, i, "goals");
	l->fixed_budget = in_bool(in_sub(r, list, i, "fixed_budget"));
	const char *val = in_sub(r, list, i, "value");
	if (!in_blank(val) && eur_parse(val, &l->value_cents, field, e) != KV_OK)
		return e->status;
	if (in_blank(l->title))
		return kv_fail(e, KV_INVALID, field, _("Lot %d needs a title."), i + 1);
	return KV_OK;
}

static enum kv_status parse_procedure(struct req *r, struct procedure *p,
				      struct kv_error *e)
{
	memset(p, 0, sizeof *p);
	int64_t tenants[8];
	int nt = buyer_tenants(r, tenants, 8);
	const char *t = in_str(r, "tenant_id");
	if (in_blank(t)) {
		if (nt != 1)
			return kv_fail(e, KV_INVALID, "tenant_id", _("Choose the municipality."));
		p->tenant_id = tenants[0];
	} else {
		long long v;
		if (in_int(t, 1, INT64_MAX, &v, "tenant_id", e) != KV_OK)
			return e->status;
		for (int i = 0; i < nt; i++)
			if (tenants[i] == v)
				p->tenant_id = v;
		if (!p->tenant_id)
			return kv_fail(e, KV_DENIED, "tenant_id",
				       _("You are not a buyer of that municipality."));
	}
	p->reference = (char *)in_str(r, "reference");
	p->title = (char *)in_str(r, "title");
	const char *type = in_str(r, "type");
	int ty = type ? proc_type_from_code(type) : -1;
	if (ty < 0)
		return kv_fail(e, KV_INVALID, "type", _("Choose a procedure type."));
	p->type = (enum proc_type)ty;
	const char *cpv = in_str(r, "cpv");
	snprintf(p->cpv, sizeof p->cpv, "%s", cpv ? cpv : "");
	if (cpv && strlen(cpv) >= sizeof p->cpv)
		return kv_fail(e, KV_INVALID, "cpv", _("A CPV code looks like 85310000-5."));
	const char *val = in_str(r, "value");
	if (!in_blank(val) && eur_parse(val, &p->value_cents, "value", e) != KV_OK)
		return e->status;
	const char *rounds = in_str(r, "dialogue_rounds");
	long long v;
	if (!in_blank(rounds)) {
		if (in_int(rounds, 0, 20, &v, "dialogue_rounds", e) != KV_OK)
			return e->status;
		p->dialogue_rounds = (int)v;
	}
	const char *sd = in_str(r, "standstill_days");
	if (!in_blank(sd)) {
		if (in_int(sd, 20, 365, &v, "standstill_days", e) != KV_OK)
			return e->status;
		p->standstill_days = (int)v;
	}
	int n = in_count(r, "lots", MAX_LOTS);
	p->lots = arena_alloc(r->a, (size_t)(n + 1) * sizeof *p->lots);
	for (int i = 0; i < n; i++) {
		/* Empty form rows are skipped; JSON rows must be complete. */
		if (!r->api && in_blank(in_sub(r, "lots", i, "title")) &&
		    in_blank(in_sub(r, "lots", i, "value")) &&
		    in_blank(in_sub(r, "lots", i, "goals")))
			continue;
		struct lot *l = &p->lots[p->n_lots];
		if (parse_lot(r, "lots", i, l, e) != KV_OK)
			return e->status;
		if (!r->api)
			l->number = p->n_lots + 1;
		p->n_lots++;
	}
	return KV_OK;
}

void page_procedure_create(struct req *r, struct resp *w)
{
	struct procedure p;
	struct kv_error e = {0};
	enum kv_status rc = parse_procedure(r, &p, &e);
	if (rc == KV_OK)
		rc = app_procedure_create(&r->app, &p, &e);
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			return;
		}
		resp_json(r, w, 201, json_procedure(r, &p, NULL, 0));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		new_form(r, w, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld", (long long)p.id));
}
