/*
 * cost_model.c - a contract's cost model kept and read (cost_model.h).
 */
#include <jansson.h>
#include <string.h>

#include "cost_model.h"
#include "core/validate.h"
#include "internal.h"
#include "store/store.h"

/* The last year of the contract: its effective end is the first day
 * after it. */
static int last_year(const struct contract *c)
{
	cal_date end = contract_effective_end(c);
	return end.month == 1 && end.day == 1 ? end.year - 1 : end.year;
}

/* A whole number member of o within lo..hi, or 0 when absent and not
 * required. */
static enum kv_status int_member(const json_t *o, const char *key, const char *field,
				 long long lo, long long hi, bool required,
				 long long *out, struct kv_error *e)
{
	const json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v && !required)
		return KV_OK;
	if (!json_is_integer(v))
		return kv_fail(e, KV_INVALID, field,
			       _("%s must be a whole number."), field);
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return kv_fail(e, KV_INVALID, field,
			       _("%s must be from %lld to %lld; %lld is not."),
			       field, lo, hi, *out);
	return KV_OK;
}

static enum kv_status text_member(arena *a, const json_t *o, const char *key,
				  const char *field, char **out,
				  struct kv_error *e)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return KV_OK;
	if (!json_is_string(v))
		return kv_fail(e, KV_INVALID, field, _("%s must be text."), field);
	*out = arena_strdup(a, json_string_value(v));
	return KV_OK;
}

/* The document into m and taak (per contract year from base_year, n
 * years), every field checked. */
static enum kv_status decode(arena *a, const json_t *doc, int base_year, int n,
			     struct cost_model *m, int64_t *taak,
			     struct kv_error *e)
{
	memset(m, 0, sizeof *m);
	memset(taak, 0, (size_t)n * sizeof *taak);
	m->base_year = base_year;
	if (!json_is_object(doc))
		return kv_fail(e, KV_INVALID, "", _("Send the cost model as a JSON object."));
	const json_t *fs = json_object_get(doc, "functions");
	if (!json_is_array(fs) || json_array_size(fs) < 1 ||
	    json_array_size(fs) > COSTMODEL_MAX_FUNCTIONS)
		return kv_fail(e, KV_INVALID, "functions",
			       _("A cost model has 1 to %d functions, as a list."),
			       COSTMODEL_MAX_FUNCTIONS);
	m->n_functions = (int)json_array_size(fs);
	m->functions = arena_alloc(a, (size_t)m->n_functions * sizeof *m->functions);
	char f[64];
	for (int i = 0; i < m->n_functions; i++) {
		const json_t *o = json_array_get(fs, (size_t)i);
		struct cost_function *fn = &m->functions[i];
		long long v = 0;
		if (!json_is_object(o))
			return kv_fail(e, KV_INVALID, "functions",
				       _("Each function is an object with its name, FTE and salary."));
		snprintf(f, sizeof f, "functions[%d].name", i);
		if (text_member(a, o, "name", f, &fn->name, e) != KV_OK)
			return e->status;
		snprintf(f, sizeof f, "functions[%d].cao", i);
		if (text_member(a, o, "cao", f, &fn->cao, e) != KV_OK)
			return e->status;
		snprintf(f, sizeof f, "functions[%d].fte", i);
		if (int_member(o, "fte_centi", f, 1, 10000, true, &v, e) != KV_OK)
			return e->status;
		fn->fte_centi = (int)v;
		snprintf(f, sizeof f, "functions[%d].salary", i);
		if (int_member(o, "salary_cents", f, 1, 1000000000LL, true, &v, e) != KV_OK)
			return e->status;
		fn->salary_cents = v;
		snprintf(f, sizeof f, "functions[%d].charges", i);
		if (int_member(o, "charges_bp", f, 0, 10000, false, &v, e) != KV_OK)
			return e->status;
		fn->charges_bp = (int)v;
		if (!fn->name)
			fn->name = "";
	}
	long long v = 0;
	if (int_member(doc, "productive_hours", "productive_hours", 1, 2080, true, &v, e) != KV_OK)
		return e->status;
	m->productive_hours = (int)v;
	struct { const char *key, *field; int *out; int hi; } pcts[] = {
		{"overhead_bp", "overhead", &m->overhead_bp, 10000},
		{"management_bp", "management", &m->management_bp, 10000},
		{"efficiency_bp", "efficiency", &m->efficiency_bp, 5000}};
	for (size_t i = 0; i < sizeof pcts / sizeof *pcts; i++) {
		if (int_member(doc, pcts[i].key, pcts[i].field, 0, pcts[i].hi, false, &v, e) != KV_OK)
			return e->status;
		*pcts[i].out = (int)v;
	}
	if (int_member(doc, "material_cents", "material", 0, 1000000000000LL, false, &v, e) != KV_OK)
		return e->status;
	m->material_cents = v;
	if (int_member(doc, "housing_cents", "housing", 0, 1000000000000LL, false, &v, e) != KV_OK)
		return e->status;
	m->housing_cents = v;
	if (text_member(a, doc, "efficiency_reason", "efficiency_reason", &m->efficiency_reason, e) != KV_OK ||
	    text_member(a, doc, "sources", "sources", &m->sources, e) != KV_OK)
		return e->status;
	const json_t *ts = json_object_get(doc, "taakstellingen");
	if (ts && !json_is_array(ts))
		return kv_fail(e, KV_INVALID, "taakstellingen",
			       _("The taakstellingen are a list of years with amounts."));
	for (size_t i = 0; ts && i < json_array_size(ts); i++) {
		const json_t *o = json_array_get(ts, i);
		long long year = 0, cents = 0;
		snprintf(f, sizeof f, "taakstellingen[%zu].year", i);
		if (!json_is_object(o) ||
		    int_member(o, "year", f, base_year, base_year + n - 1, true, &year, e) != KV_OK)
			return json_is_object(o) ? e->status
				: kv_fail(e, KV_INVALID, "taakstellingen",
					  _("Each taakstelling is a year with its amount."));
		snprintf(f, sizeof f, "taakstellingen[%zu].cents", i);
		if (int_member(o, "cents", f, 0, 1000000000000LL, true, &cents, e) != KV_OK)
			return e->status;
		taak[year - base_year] += cents;
	}
	return costmodel_check(m, e);
}

/* The contract's index figures for every year after the base up to last,
 * a missing year projected with the last known one (or none: 0 %). */
static struct index_figures *figures_through(arena *a, const struct index_figures *f,
					     int nf, int base, int last, bool *projected)
{
	int n = last - base;
	struct index_figures *out = arena_alloc(a, (size_t)(n + 1) * sizeof *out);
	struct index_figures known = {0};
	for (int y = base + 1; y <= last; y++) {
		const struct index_figures *got = NULL;
		for (int i = 0; i < nf; i++)
			if (f[i].year == y)
				got = &f[i];
		if (got) {
			known = *got;
			projected[y - base] = false;
		} else {
			projected[y - base] = true;
		}
		out[y - base - 1] = known;
		out[y - base - 1].year = y;
		if (!got)
			out[y - base - 1].has_actual = false;
	}
	return out;
}

enum kv_status app_cost_model_view(struct app *x, int64_t contract_id,
				   struct cost_model_view *out,
				   struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct contract c;
	struct index_figures *figs = NULL;
	int nf = 0;
	char *doc = NULL;
	enum kv_status rc = STORE(x->st, contract_get, contract_id, x->a, &c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, index_figures_list, contract_id, x->a, &figs, &nf, e);
	if (rc == KV_OK)
		rc = STORE(x->st, cost_model_get, contract_id, x->a, &doc, e);
	if (rc == KV_NOT_FOUND)
		return KV_OK;
	if (rc != KV_OK)
		return rc;
	int last = last_year(&c), n = last - c.base_year + 1;
	if (n > COSTMODEL_MAX_YEARS)
		n = COSTMODEL_MAX_YEARS, last = c.base_year + n - 1;
	if (n < 1)
		n = 1, last = c.base_year;
	json_error_t je;
	json_t *j = json_loads(doc, 0, &je);
	rc = decode(x->a, j, c.base_year, n, &out->m, out->taakstelling_cents, e);
	json_decref(j);
	if (rc != KV_OK)
		return rc;
	out->exists = true;
	if (c.budget_cents <= 0 || !c.base_year) {
		kv_fail(&out->verdict_error, KV_INVALID, "",
			_("The contract has no budget and base year: there is nothing "
			  "to hold the model against."));
		return KV_OK;
	}
	struct index_figures *ext = figures_through(x->a, figs, nf, c.base_year, last,
						    out->projected);
	struct indexed_year *years = NULL;
	int ny = 0;
	int64_t budgets[COSTMODEL_MAX_YEARS];
	if (index_budget(x->a, &c, ext, n - 1, last, &years, &ny, &out->verdict_error) != KV_OK)
		return KV_OK;
	for (int i = 0; i < n && i < ny; i++)
		budgets[i] = years[i].budget_cents - out->taakstelling_cents[i];
	if (costmodel_verdict(x->a, &out->m, ext, n - 1, budgets, ny < n ? ny : n, &out->v,
			      &out->verdict_error) == KV_OK)
		out->has_verdict = true;
	return KV_OK;
}

json_t *app_cost_model_json(const struct cost_model_view *v, int base_year)
{
	const struct cost_model *m = &v->m;
	json_t *fs = json_array();
	for (int i = 0; i < m->n_functions; i++) {
		const struct cost_function *fn = &m->functions[i];
		json_array_append_new(fs, json_pack("{s:s, s:s, s:i, s:I, s:i}",
			"name", fn->name, "cao", fn->cao ? fn->cao : "",
			"fte_centi", fn->fte_centi, "salary_cents", (json_int_t)fn->salary_cents,
			"charges_bp", fn->charges_bp));
	}
	json_t *ts = json_array();
	for (int i = 0; i < COSTMODEL_MAX_YEARS; i++)
		if (v->taakstelling_cents[i])
			json_array_append_new(ts, json_pack("{s:i, s:I}", "year", base_year + i,
							    "cents", (json_int_t)v->taakstelling_cents[i]));
	return json_pack("{s:o, s:i, s:i, s:i, s:I, s:I, s:i, s:s, s:s, s:o}",
		"functions", fs, "productive_hours", m->productive_hours,
		"overhead_bp", m->overhead_bp, "management_bp", m->management_bp,
		"material_cents", (json_int_t)m->material_cents,
		"housing_cents", (json_int_t)m->housing_cents,
		"efficiency_bp", m->efficiency_bp,
		"efficiency_reason", m->efficiency_reason ? m->efficiency_reason : "",
		"sources", m->sources ? m->sources : "", "taakstellingen", ts);
}

enum kv_status app_cost_model_set(struct app *x, int64_t contract_id,
				  const json_t *doc, struct kv_error *e)
{
	struct contract c;
	enum kv_status rc = app_begin(x, e);
	if (rc != KV_OK)
		return rc;
	rc = STORE(x->st, contract_get, contract_id, x->a, &c, e);
	struct cost_model_view v;
	memset(&v, 0, sizeof v);
	if (rc == KV_OK) {
		int n = last_year(&c) - c.base_year + 1;
		if (n > COSTMODEL_MAX_YEARS)
			n = COSTMODEL_MAX_YEARS;
		if (n < 1)
			n = 1;
		rc = decode(x->a, doc, c.base_year, n, &v.m, v.taakstelling_cents, e);
	}
	char *text = NULL;
	if (rc == KV_OK) {
		/* app_json_text takes the reference. */
		text = app_json_text(x->a, app_cost_model_json(&v, c.base_year));
		rc = STORE(x->st, cost_model_put, contract_id, text, x->now, x->actor, e);
	}
	if (rc == KV_OK)
		rc = app_audit(x, c.tenant_id, "costmodel.set",
			       arena_printf(x->a, "contract/%lld", (long long)contract_id),
			       NULL, text, e);
	return app_finish(x, rc, e);
}
