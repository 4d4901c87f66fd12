/*
 * page_dashboard.c - the overview of procedures and creating a new one.
 */
#include <string.h>

#include "app/read_procedure.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

#define MAX_LOTS 12
#define MAX_TENANTS 8

void page_dashboard(struct req *r, struct resp *w)
{
	struct dashboard_view d;
	struct kv_error e = {0};
	if (app_dashboard_view(&r->app, r->me.id, r->grants, r->n_grants, &d,
			       &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct procedure_summary *list = d.procedures;
	int n = d.n_procedures;
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
	struct tv_dashboard_page_procedures *rows =
		arena_alloc(r->a, sizeof *rows * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		rows[i] = (struct tv_dashboard_page_procedures){
			.id = list[i].id,
			.reference = list[i].reference,
			.title = list[i].title,
			.municipality = list[i].tenant_name,
			.type = proc_type_label(list[i].type),
			.lots = list[i].n_lots,
		};
	struct tv_dashboard_page v = {
		.can_create = d.can_create, .procedures = rows, .n_procedures = n};
	layout_begin(r, w, _("Procedures"));
	tmpl_dashboard_page(&w->body, &v);
	layout_end(r, w);
}

/* The lot rows the new-procedure form shows: at least three, more when
 * more were sent. */
static int lot_rows(struct req *r)
{
	int rows = in_count(r, "lots", MAX_LOTS);
	return rows < 3 ? 3 : rows;
}

static const char *lot_key(struct req *r, int i, const char *part)
{
	return arena_printf(r->a, "lots_%d_%s", i, part);
}

static void new_form(struct req *r, struct resp *w, const struct form_errors *fe)
{
	struct org *orgs = NULL;
	int no = 0;
	struct kv_error oe;
	app_buyer_tenant_orgs(&r->app, r->grants, r->n_grants, &orgs, &no, &oe);
	int rows = lot_rows(r);
	struct form_field *fs = arena_alloc(r->a, sizeof *fs * (size_t)(7 + 4 * rows));
	int n = 0;
	/* With one municipality there is nothing to choose. */
	if (no > 1) {
		struct field_option *os = arena_alloc(r->a, sizeof *os * (size_t)no);
		for (int i = 0; i < no; i++)
			os[i] = (struct field_option){
				.value = arena_printf(r->a, "%lld", (long long)orgs[i].id),
				.label = orgs[i].name};
		fs[n++] = (struct form_field){
			.name = "tenant_id", .label = N_("Municipality"),
			.kind = FIELD_SELECT, .options = os, .n_options = no,
			.options_translated = true,
			.value = os[0].value};
	}
	struct field_option *types = arena_alloc(r->a, sizeof *types * PT__COUNT);
	for (int t = 0; t < PT__COUNT; t++)
		types[t] = (struct field_option){.value = proc_type_code(t),
						 .label = proc_type_label(t)};
	fs[n++] = (struct form_field){.name = "reference", .label = N_("Reference")};
	fs[n++] = (struct form_field){.name = "title", .label = N_("Title")};
	fs[n++] = (struct form_field){
		.name = "type", .label = N_("Procedure type"), .kind = FIELD_SELECT,
		.options = types, .n_options = PT__COUNT, .options_translated = true,
		.value = "sas-dialogue"};
	fs[n++] = (struct form_field){.name = "dialogue_rounds",
				      .label = N_("Dialogue rounds"),
				      .kind = FIELD_NUMBER, .value = "2"};
	fs[n++] = (struct form_field){.name = "cpv", .label = N_("CPV code"),
				      .help = N_("A CPV code looks like 85310000-5.")};
	fs[n++] = (struct form_field){.name = "value",
				      .label = N_("Estimated value (EUR)"),
				      .kind = FIELD_DECIMAL};
	for (int i = 1; i <= rows; i++) {
		/* "Lot 2" is made here, translated: marked so, for _()
		 * memoises by address (form.h). */
		fs[n++] = (struct form_field){
			.name = lot_key(r, i, "title"),
			.label = arena_printf(r->a, "%s %d", _("Lot"), i),
			.translated = true};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "value"),
					      .label = N_("Value (EUR)"),
					      .kind = FIELD_DECIMAL};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "fixed_budget"),
					      .label = N_("fixed budget"),
					      .kind = FIELD_CHECKBOX};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "goals"),
					      .label = N_("Goals of this lot"),
					      .kind = FIELD_TEXTAREA, .rows = 2};
	}
	struct form f = {.action = "/procedures", .submit = _("Create procedure"),
			 .fields = fs, .n_fields = n, .errors = fe};
	struct tv_dashboard_new v = {.form = form_html(r, &f)};
	layout_begin(r, w, _("New procedure"));
	tmpl_dashboard_new(&w->body, &v);
	layout_end(r, w);
}

void page_procedure_new(struct req *r, struct resp *w)
{
	new_form(r, w, NULL);
}

/* Reads lot i of the form or JSON into l, each refusal into fe.  Field
 * names: the API's "lots_2" for the whole row (as it always answered),
 * the form's "lots_2_title" and "lots_2_value" for the field at fault. */
static void parse_lot(struct req *r, int i, struct lot *l,
		      struct form_errors *fe)
{
	struct kv_error e = {0};
	const char *row = arena_printf(r->a, "lots_%d", i + 1);
	l->number = i + 1;
	const char *num = in_sub(r, "lots", i, "number");
	long long v;
	if (!in_blank(num)) {
		if (in_int(num, 1, 999, &v, row, &e) == KV_OK)
			l->number = (int)v;
		else
			form_errors_add(fe, &e);
	}
	l->title = (char *)in_sub(r, "lots", i, "title");
	l->goals = (char *)in_sub(r, "lots", i, "goals");
	l->fixed_budget = in_bool(in_sub(r, "lots", i, "fixed_budget"));
	const char *val = in_sub(r, "lots", i, "value");
	if (!in_blank(val) &&
	    eur_parse(val, &l->value_cents, r->api ? row : lot_key(r, i + 1, "value"),
		      &e) != KV_OK)
		form_errors_add(fe, &e);
	if (in_blank(l->title)) {
		kv_fail(&e, KV_INVALID, r->api ? row : lot_key(r, i + 1, "title"),
			_("Lot %d needs a title."), i + 1);
		form_errors_add(fe, &e);
	}
}

/* The procedure of the form or JSON; every refusal goes into fe, in the
 * order of the fields (the API answers the first). */
static void parse_procedure(struct req *r, struct procedure *p,
			    struct form_errors *fe)
{
	memset(p, 0, sizeof *p);
	struct kv_error e = {0};
	int64_t tenants[MAX_TENANTS];
	int nt = app_buyer_tenants(r->grants, r->n_grants, tenants, MAX_TENANTS);
	const char *t = in_str(r, "tenant_id");
	long long v;
	if (in_blank(t)) {
		if (nt == 1) {
			p->tenant_id = tenants[0];
		} else {
			kv_fail(&e, KV_INVALID, "tenant_id", _("Choose the municipality."));
			form_errors_add(fe, &e);
		}
	} else if (in_int(t, 1, INT64_MAX, &v, "tenant_id", &e) != KV_OK) {
		form_errors_add(fe, &e);
	} else {
		for (int i = 0; i < nt; i++)
			if (tenants[i] == v)
				p->tenant_id = v;
		if (!p->tenant_id) {
			kv_fail(&e, KV_DENIED, "tenant_id",
				_("You are not a buyer of that municipality."));
			form_errors_add(fe, &e);
		}
	}
	p->reference = (char *)in_str(r, "reference");
	p->title = (char *)in_str(r, "title");
	const char *type = in_str(r, "type");
	int ty = type ? proc_type_from_code(type) : -1;
	if (ty < 0) {
		kv_fail(&e, KV_INVALID, "type", _("Choose a procedure type."));
		form_errors_add(fe, &e);
	}
	p->type = (enum proc_type)(ty < 0 ? 0 : ty);
	const char *cpv = in_str(r, "cpv");
	snprintf(p->cpv, sizeof p->cpv, "%s", cpv ? cpv : "");
	if (cpv && strlen(cpv) >= sizeof p->cpv) {
		kv_fail(&e, KV_INVALID, "cpv", _("A CPV code looks like 85310000-5."));
		form_errors_add(fe, &e);
	}
	const char *val = in_str(r, "value");
	if (!in_blank(val) && eur_parse(val, &p->value_cents, "value", &e) != KV_OK)
		form_errors_add(fe, &e);
	const char *rounds = in_str(r, "dialogue_rounds");
	if (!in_blank(rounds)) {
		if (in_int(rounds, 0, 20, &v, "dialogue_rounds", &e) == KV_OK)
			p->dialogue_rounds = (int)v;
		else
			form_errors_add(fe, &e);
	}
	const char *sd = in_str(r, "standstill_days");
	if (!in_blank(sd)) {
		if (in_int(sd, 20, 365, &v, "standstill_days", &e) == KV_OK)
			p->standstill_days = (int)v;
		else
			form_errors_add(fe, &e);
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
		parse_lot(r, i, l, fe);
		if (!r->api)
			l->number = p->n_lots + 1;
		p->n_lots++;
	}
}

void page_procedure_create(struct req *r, struct resp *w)
{
	struct procedure p;
	struct form_errors fe = {0};
	parse_procedure(r, &p, &fe);
	enum kv_status rc = form_errors_status(&fe);
	if (rc == KV_OK) {
		struct kv_error e = {0};
		if (app_procedure_create(&r->app, &p, &e) != KV_OK)
			rc = form_errors_add(&fe, &e);
	}
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &fe.items[0]);
			return;
		}
		resp_json(r, w, 201, json_procedure(r, &p, NULL, 0));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		new_form(r, w, &fe);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld", (long long)p.id));
}
