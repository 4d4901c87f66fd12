/*
 * page_cost_model.c - a contract's cost model (app/cost_model.h):
 *   GET  /contracts/N/cost-model   the verdict, the years with their sums,
 *                                  the team and the assumptions; the
 *                                  buyer's form
 *   POST /contracts/N/cost-model   the form (HTML) or the JSON document
 *                                  (API), checked whole, refused at the
 *                                  field
 */
#include <string.h>

#include "app/cost_model.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"
#include "web.h"

/* Rows of functions the form offers at most: the model's and two empty
 * ones (three for a new model); each save offers two more. */
#define FORM_FUNCTIONS 12

static int form_rows(const struct cost_model_view *v)
{
	int n = v->exists ? v->m.n_functions + 2 : 3;
	return n > FORM_FUNCTIONS ? FORM_FUNCTIONS : n;
}

static const char *pct_of(struct req *r, int bp)
{
	return arena_printf(r->a, "%s %%", kpi_value_format(r->a, (int64_t)bp * 10));
}

static const char *fte_of(struct req *r, int centi)
{
	return kpi_value_format(r->a, (int64_t)centi * 10);
}

/* The contract's years, as the model runs over them. */
static int n_years(const struct contract *c)
{
	cal_date end = contract_effective_end(c);
	int last = end.month == 1 && end.day == 1 ? end.year - 1 : end.year;
	int n = last - c->base_year + 1;
	return n < 1 ? 1 : n > COSTMODEL_MAX_YEARS ? COSTMODEL_MAX_YEARS : n;
}

static const char *fn_name(struct req *r, int i, const char *what)
{
	return arena_printf(r->a, "fn%d_%s", i + 1, what);
}

/* The form, its values the model's (or, after a refusal, as typed). */
static html_t model_form(struct req *r, const struct cost_model_view *v,
			 const struct form_errors *fe)
{
	const struct contract *c = &r->contract;
	int ny = n_years(c), rows = form_rows(v);
	/* After a refusal, as many rows as were sent. */
	while (fe && fe->n && rows < FORM_FUNCTIONS && in_str(r, fn_name(r, rows, "name")))
		rows++;
	int n = rows * 5 + 8 + ny;
	struct form_field *fs = arena_alloc(r->a, (size_t)n * sizeof *fs);
	int k = 0;
	for (int i = 0; i < rows; i++) {
		const struct cost_function *fn = v->exists && i < v->m.n_functions
			? &v->m.functions[i] : NULL;
		fs[k++] = (struct form_field){
			.name = fn_name(r, i, "name"), .label = N_("Function"),
			.group = arena_printf(r->a, _("Function %d"), i + 1), .group_translated = true,
			.value = fn ? fn->name : "", .placeholder = i ? NULL : N_("e.g. Wijkcoach")};
		fs[k++] = (struct form_field){
			.name = fn_name(r, i, "cao"), .label = N_("CAO, scale and step"),
			.value = fn && fn->cao ? fn->cao : "",
			.placeholder = i ? NULL : N_("e.g. CAO Sociaal Werk, schaal 8, trede 6")};
		fs[k++] = (struct form_field){
			.name = fn_name(r, i, "fte"), .label = N_("FTE"),
			.value = fn ? fte_of(r, fn->fte_centi) : "", .placeholder = i ? NULL : N_("e.g. 2,5")};
		fs[k++] = (struct form_field){
			.name = fn_name(r, i, "salary"), .label = N_("Gross yearly salary per FTE (EUR)"),
			.value = fn ? fmt_eur(r, fn->salary_cents) : "",
			.help = i ? NULL : N_("At that scale and step, with holiday pay and year-end bonus.")};
		fs[k++] = (struct form_field){
			.name = fn_name(r, i, "charges"), .label = N_("Employer's charges (%)"),
			.value = fn ? kpi_value_format(r->a, (int64_t)fn->charges_bp * 10) : "",
			.group_end = true};
	}
	const struct cost_model *m = v->exists ? &v->m : NULL;
	char *hours = m ? arena_printf(r->a, "%d", m->productive_hours) : "";
	fs[k++] = (struct form_field){.name = "productive_hours", .kind = FIELD_NUMBER,
		.label = N_("Productive hours per FTE per year"), .value = hours, .required = true,
		.group = N_("Surcharges and other costs"),
		.help = N_("The hours an FTE spends on the assignment's clients, after leave, illness, training and meetings.")};
	fs[k++] = (struct form_field){.name = "overhead", .label = N_("Overhead surcharge (%)"),
		.value = m ? kpi_value_format(r->a, (int64_t)m->overhead_bp * 10) : ""};
	fs[k++] = (struct form_field){.name = "management", .label = N_("Management surcharge (%)"),
		.value = m ? kpi_value_format(r->a, (int64_t)m->management_bp * 10) : ""};
	fs[k++] = (struct form_field){.name = "material", .label = N_("Material costs per year (EUR)"),
		.value = m ? fmt_eur(r, m->material_cents) : ""};
	fs[k++] = (struct form_field){.name = "housing", .label = N_("Housing costs per year (EUR)"),
		.value = m ? fmt_eur(r, m->housing_cents) : ""};
	fs[k++] = (struct form_field){.name = "efficiency", .label = N_("Efficiency of the integral assignment (%)"),
		.value = m ? kpi_value_format(r->a, (int64_t)m->efficiency_bp * 10) : "",
		.help = N_("The saving expected because one partner does what several did; at most 50.")};
	fs[k++] = (struct form_field){.name = "efficiency_reason", .kind = FIELD_TEXTAREA,
		.label = N_("Why that efficiency is realistic"),
		.value = m && m->efficiency_reason ? m->efficiency_reason : ""};
	fs[k++] = (struct form_field){.name = "sources", .kind = FIELD_TEXTAREA,
		.label = N_("Sources of the figures"), .group_end = true,
		.value = m && m->sources ? m->sources : "",
		.placeholder = N_("e.g. salary table CAO Sociaal Werk 2022; overhead: sector benchmark")};
	for (int i = 0; i < ny; i++) {
		int y = c->base_year + i;
		fs[k++] = (struct form_field){
			.name = arena_printf(r->a, "taak_%d", y),
			.label = arena_printf(r->a, _("Taakstelling on this lot in %d (EUR)"), y),
			.translated = true,
			.group = i ? NULL : N_("Taakstellingen"), .group_end = i == ny - 1,
			.value = v->taakstelling_cents[i] ? fmt_eur(r, v->taakstelling_cents[i]) : ""};
	}
	struct form f = {
		.action = arena_printf(r->a, "/contracts/%lld/cost-model", (long long)c->id),
		.submit = _("Save the cost model and compute"), .fields = fs, .n_fields = k,
		.errors = fe};
	return form_html(r, &f);
}

static void cost_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	struct kv_error e = {0};
	struct cost_model_view v;
	if (app_cost_model_view(&r->app, r->contract.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct contract *c = &r->contract;
	struct tv_cost_model t = {
		.cid = c->id, .reference = c->reference, .title = c->title, .exists = v.exists,
		.verdict_error = v.exists && !v.has_verdict ? v.verdict_error.msg : ""};
	if (v.has_verdict) {
		int n = v.v.n_years;
		const struct cost_year *last = &v.v.years[n - 1];
		t.covered_all = !v.v.first_short_year;
		if (t.covered_all)
			t.verdict = arena_printf(r->a, _("The budget covers the cost model in every year, "
							 "%d to %d; in %d by %s."),
						 v.v.years[0].year, last->year, last->year,
						 fmt_eur(r, last->margin_cents));
		else {
			const struct cost_year *s = NULL;
			for (int i = 0; i < n && !s; i++)
				if (!v.v.years[i].covered)
					s = &v.v.years[i];
			t.verdict = arena_printf(r->a, _("The budget no longer covers the cost model from %d: "
							 "in %d it is %s short."),
						 v.v.first_short_year, s->year,
						 fmt_eur(r, -s->margin_cents));
		}
		struct tv_cost_model_years *ys = arena_alloc(r->a, (size_t)n * sizeof *ys);
		for (int i = 0; i < n; i++) {
			const struct cost_year *y = &v.v.years[i];
			ys[i] = (struct tv_cost_model_years){
				.year = y->year, .minimum = fmt_eur(r, y->minimum_cents),
				.budget = fmt_eur(r, y->budget_cents),
				.taakstelling = v.taakstelling_cents[i] ? fmt_eur(r, -v.taakstelling_cents[i]) : "—",
				.margin = fmt_eur(r, y->margin_cents), .covered = y->covered,
				.projected = v.projected[i], .explanation = y->explanation};
		}
		t.years = ys;
		t.n_years = n;
		t.per_hour = fmt_eur(r, v.v.per_hour_cents);
	}
	if (v.exists) {
		struct tv_cost_model_functions *fs = arena_alloc(r->a, (size_t)v.m.n_functions * sizeof *fs);
		for (int i = 0; i < v.m.n_functions; i++)
			fs[i] = (struct tv_cost_model_functions){
				.name = v.m.functions[i].name,
				.cao = v.m.functions[i].cao ? v.m.functions[i].cao : "",
				.sum = v.has_verdict ? v.v.function_sums[i] : v.m.functions[i].name};
		t.functions = fs;
		t.n_functions = v.m.n_functions;
		t.overhead = pct_of(r, v.m.overhead_bp);
		t.management = pct_of(r, v.m.management_bp);
		t.efficiency = pct_of(r, v.m.efficiency_bp);
		t.efficiency_reason = v.m.efficiency_reason ? v.m.efficiency_reason : "";
		t.sources = v.m.sources ? v.m.sources : "";
		t.productive_hours = arena_printf(r->a, "%d", v.m.productive_hours);
	}
	if (r->roles & ROLE_BUYER)
		t.form = model_form(r, &v, fe);
	layout_begin(r, w, _("Substantiation of a reëel budget"));
	tmpl_cost_model(&w->body, &t);
	layout_end(r, w);
	if (fe && fe->n)
		w->status = 422;
}

static json_t *verdict_json(const struct cost_model_view *v)
{
	if (!v->has_verdict)
		return json_null();
	json_t *ys = json_array();
	for (int i = 0; i < v->v.n_years; i++) {
		const struct cost_year *y = &v->v.years[i];
		json_array_append_new(ys, json_pack("{s:i, s:I, s:I, s:I, s:I, s:b, s:b, s:s}",
			"year", y->year, "minimum_cents", (json_int_t)y->minimum_cents,
			"budget_cents", (json_int_t)y->budget_cents,
			"taakstelling_cents", (json_int_t)v->taakstelling_cents[i],
			"margin_cents", (json_int_t)y->margin_cents, "covered", y->covered,
			"projected", v->projected[i], "explanation", y->explanation));
	}
	json_t *fs = json_array();
	for (int i = 0; i < v->m.n_functions; i++)
		json_array_append_new(fs, json_pack("{s:I, s:s}", "cents",
			(json_int_t)v->v.function_cents[i], "sum", v->v.function_sums[i]));
	return json_pack("{s:o, s:o, s:I, s:o}", "years", ys, "functions", fs,
			 "per_hour_cents", (json_int_t)v->v.per_hour_cents,
			 "first_short_year", v->v.first_short_year
				? json_integer(v->v.first_short_year) : json_null());
}

void page_cost_model(struct req *r, struct resp *w)
{
	if (!r->api) {
		cost_page(r, w, NULL);
		return;
	}
	struct kv_error e = {0};
	struct cost_model_view v;
	if (app_cost_model_view(&r->app, r->contract.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	resp_json(r, w, 200, json_pack("{s:o, s:o, s:o}",
		"model", v.exists ? app_cost_model_json(&v, r->contract.base_year) : json_null(),
		"verdict", verdict_json(&v),
		"verdict_error", v.exists && !v.has_verdict ? json_string(v.verdict_error.msg) : json_null()));
}

/* One percentage field into bp (absent or empty: 0). */
static enum kv_status pct_param(struct req *r, const char *name, json_t *doc,
				const char *key, struct kv_error *e)
{
	const char *s = in_str(r, name);
	int64_t milli = 0;
	if (s && *s && kpi_value_parse(s, &milli, name, e) != KV_OK)
		return e->status;
	if (milli % 10 != 0)
		return kv_fail(e, KV_INVALID, name, _("Give a percentage with at most two decimals."));
	if (milli < 0 || milli > 100000)
		return kv_fail(e, KV_INVALID, name, _("Give a percentage from 0 to 100."));
	json_object_set_new(doc, key, json_integer(milli / 10));
	return KV_OK;
}

static enum kv_status eur_param(struct req *r, const char *name, json_t *doc,
				const char *key, struct kv_error *e)
{
	const char *s = in_str(r, name);
	int64_t cents = 0;
	if (s && *s && eur_parse(s, &cents, name, e) != KV_OK)
		return e->status;
	json_object_set_new(doc, key, json_integer(cents));
	return KV_OK;
}

/* The form as the JSON document app_cost_model_set takes; a field that
 * cannot be read is refused at it. */
static json_t *form_doc(struct req *r, struct kv_error *e)
{
	json_t *doc = json_object(), *fs = json_array();
	json_object_set_new(doc, "functions", fs);
	for (int i = 0; i < FORM_FUNCTIONS; i++) {
		const char *name = in_str(r, fn_name(r, i, "name"));
		const char *cao = in_str(r, fn_name(r, i, "cao"));
		const char *fte = in_str(r, fn_name(r, i, "fte"));
		const char *sal = in_str(r, fn_name(r, i, "salary"));
		const char *chg = in_str(r, fn_name(r, i, "charges"));
		bool any = (name && *name) || (fte && *fte) || (sal && *sal) || (chg && *chg);
		if (!any)
			continue;
		json_t *o = json_object();
		int64_t milli = 0, cents = 0;
		json_object_set_new(o, "name", json_string(name ? name : ""));
		json_object_set_new(o, "cao", json_string(cao ? cao : ""));
		if (kpi_value_parse(fte ? fte : "", &milli, fn_name(r, i, "fte"), e) != KV_OK ||
		    eur_parse(sal ? sal : "", &cents, fn_name(r, i, "salary"), e) != KV_OK) {
			json_decref(o);
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(o, "fte_centi", json_integer((milli + 5) / 10));
		json_object_set_new(o, "salary_cents", json_integer(cents));
		milli = 0;
		if (chg && *chg && kpi_value_parse(chg, &milli, fn_name(r, i, "charges"), e) != KV_OK) {
			json_decref(o);
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(o, "charges_bp", json_integer(milli / 10));
		json_array_append_new(fs, o);
	}
	long long hours = 0;
	const char *h = in_str(r, "productive_hours");
	if (in_int(h, 0, 100000, &hours, "productive_hours", e) != KV_OK ||
	    pct_param(r, "overhead", doc, "overhead_bp", e) != KV_OK ||
	    pct_param(r, "management", doc, "management_bp", e) != KV_OK ||
	    pct_param(r, "efficiency", doc, "efficiency_bp", e) != KV_OK ||
	    eur_param(r, "material", doc, "material_cents", e) != KV_OK ||
	    eur_param(r, "housing", doc, "housing_cents", e) != KV_OK) {
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "productive_hours", json_integer(hours));
	const char *reason = in_str(r, "efficiency_reason"), *src = in_str(r, "sources");
	json_object_set_new(doc, "efficiency_reason", json_string(reason ? reason : ""));
	json_object_set_new(doc, "sources", json_string(src ? src : ""));
	json_t *ts = json_array();
	json_object_set_new(doc, "taakstellingen", ts);
	for (int i = 0; i < n_years(&r->contract); i++) {
		int y = r->contract.base_year + i;
		const char *key = arena_printf(r->a, "taak_%d", y);
		const char *s = in_str(r, key);
		int64_t cents = 0;
		if (!s || !*s)
			continue;
		if (eur_parse(s, &cents, key, e) != KV_OK) {
			json_decref(doc);
			return NULL;
		}
		if (cents)
			json_array_append_new(ts, json_pack("{s:i, s:I}", "year", y, "cents",
							    (json_int_t)cents));
	}
	return doc;
}

/* The app's field ("functions[1].fte") as the form's ("fn2_fte"). */
static void form_field_of(struct req *r, struct kv_error *e)
{
	int i = 0;
	char what[24];
	if (sscanf(e->field, "functions[%d].%23s", &i, what) == 2) {
		const char *f = fn_name(r, i, what);
		snprintf(e->field, sizeof e->field, "%s", f);
	} else if (strcmp(e->field, "functions") == 0) {
		snprintf(e->field, sizeof e->field, "fn1_name");
	}
}

void page_cost_model_set(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc;
	if (r->api) {
		rc = app_cost_model_set(&r->app, r->contract.id, r->json, &e);
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			return;
		}
		page_cost_model(r, w);
		return;
	}
	json_t *doc = form_doc(r, &e);
	rc = doc ? app_cost_model_set(&r->app, r->contract.id, doc, &e) : e.status;
	json_decref(doc);
	if (rc == KV_OK) {
		resp_redirect(r, w, arena_printf(r->a, "/contracts/%lld/cost-model#verdict",
						 (long long)r->contract.id));
		return;
	}
	form_field_of(r, &e);
	struct form_errors fe = {0};
	form_errors_add(&fe, &e);
	cost_page(r, w, &fe);
}
