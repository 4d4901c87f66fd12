/*
 * page_contracts.c - contracts after the award: the list, entering one,
 * and one contract with its parties, status timeline, indexed budget,
 * KPIs with their trends, evaluation dossiers, extension and termination.
 * What is shown comes from app/read_steering.h; the markup is
 * tmpl/contract_*.tmpl and the forms are declared once (form.h).
 */
#include <stdlib.h>
#include <string.h>

#include "app/read_steering.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "svg.h"
#include "templates.h"
#include "view.h"

#define FORM_PARTIES 4      /* party rows on the new-contract form */

static const char *date_long(struct req *r, cal_date d)
{
	return cal_date_valid(d) ? cal_format_long(r->a, d) : "";
}

/* A percentage as typed ("4,5", "4.50", "-0,25") into basis points. */
static enum kv_status parse_pct(const char *s, int *bp, const char *field,
				struct kv_error *e)
{
	int64_t milli;
	if (kpi_value_parse(s, &milli, field, e) != KV_OK)
		return e->status;
	if (milli % 10 != 0)
		return kv_fail(e, KV_INVALID, field,
			       _("Give a percentage with at most two decimals."));
	if (milli < -100000 || milli > 100000)
		return kv_fail(e, KV_INVALID, field,
			       _("Give a percentage from -100 to 100."));
	*bp = (int)(milli / 10);
	return KV_OK;
}

static const char *pct_text(struct req *r, int bp)
{
	return kpi_value_format(r->a, (int64_t)bp * 10);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *date_json(cal_date d)
{
	char buf[16];
	return cal_date_valid(d) ? json_string(cal_format_date(d, buf)) : json_null();
}

static json_t *contract_json(struct req *r, const struct contract *c)
{
	json_t *parties = json_parties(c->parties, c->n_parties);
	json_t *evals = json_array();
	cal_date due[CONTRACT_MAX_EVALUATIONS];
	int nd = contract_evaluation_dates(c, due);
	for (int i = 0; i < nd; i++)
		json_array_append_new(evals, json_pack("{s:i, s:o}", "after_year",
			c->evaluation_years[i], "due", date_json(due[i])));
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:i, s:i, s:i, s:I, s:i, s:i, s:i, s:b, s:o, s:s, s:s, s:o, s:o}",
		"id", (json_int_t)c->id, "tenant_id", (json_int_t)c->tenant_id,
		"procedure_id", (json_int_t)c->procedure_id, "lot_id", (json_int_t)c->lot_id,
		"reference", c->reference, "title", c->title,
		"start", date_json(c->start), "end", date_json(c->end),
		"effective_end", date_json(contract_effective_end(c)),
		"status", contract_status_code(contract_status_on(c, app_today(&r->app))),
		"extension_options", c->extension_options,
		"extension_months", c->extension_months,
		"extensions_used", c->extensions_used,
		"budget_cents", (json_int_t)c->budget_cents, "base_year", c->base_year,
		"wage_weight_bp", c->wage_weight_bp, "price_weight_bp", c->price_weight_bp,
		"terminated", c->terminated,
		"terminated_on", c->terminated ? date_json(c->terminated_on) : json_null(),
		"termination_reason", c->termination_reason ? c->termination_reason : "",
		"termination_decision", c->termination_decision ? c->termination_decision : "",
		"parties", parties, "evaluations", evals);
}

/* ---- the list and the new-contract form -------------------------------- */

void page_contracts(struct req *r, struct resp *w)
{
	struct contract_summary *list = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (app_contracts_view(&r->app, r->grants, r->n_grants, &list, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, contract_json(r, list[i].c));
		resp_json(r, w, 200, json_pack("{s:o}", "contracts", arr));
		return;
	}
	struct tv_contract_list_rows *rows = arena_alloc(r->a, (size_t)(n + 1) * sizeof *rows);
	for (int i = 0; i < n; i++)
		rows[i] = (struct tv_contract_list_rows){
			.id = list[i].c->id, .reference = list[i].c->reference,
			.title = list[i].c->title, .penvoerder = list[i].penvoerder,
			.start = date_long(r, list[i].c->start),
			.end = date_long(r, list[i].effective_end),
			.status = contract_status_label(list[i].status)};
	struct tv_contract_list v = {.can_create = tenant_of(r, true) != 0,
				     .rows = rows, .n_rows = n};
	layout_begin(r, w, _("Contracts"));
	tmpl_contract_list(&w->body, &v);
	layout_end(r, w);
}

static const struct form_field contract_fields[] = {
	{.name = "reference", .label = N_("Reference"), .required = true},
	{.name = "title", .label = N_("Title"), .required = true},
	{.name = "start", .label = N_("First day"), .kind = FIELD_DATE, .required = true},
	{.name = "end", .label = N_("Ends on (first day after the term)"), .kind = FIELD_DATE,
	 .required = true},
	{.name = "evaluation_years", .label = N_("Evaluation after years"), .value = "3, 6",
	 .placeholder = "3, 6"},
	{.name = "extension_options", .label = N_("Extension options"), .kind = FIELD_NUMBER,
	 .value = "0"},
	{.name = "extension_months", .label = N_("Months per extension"), .kind = FIELD_NUMBER,
	 .value = "0"},
	{.name = "budget", .label = N_("Fixed budget per year (EUR)"), .kind = FIELD_DECIMAL},
	{.name = "base_year", .label = N_("Budget year"), .kind = FIELD_NUMBER},
	{.name = "wage_weight", .label = N_("Index weight of wages (%)"), .kind = FIELD_DECIMAL,
	 .value = "75"},
	{.name = "price_weight", .label = N_("Index weight of prices (%)"), .kind = FIELD_DECIMAL,
	 .value = "25"},
};
#define N_CONTRACT_FIELDS ((int)(sizeof contract_fields / sizeof *contract_fields))

static void contract_form(struct req *r, struct resp *w, const struct form_errors *fe)
{
	/* The fields above, then FORM_PARTIES rows of organisation, KvK
	 * number and role ("parties_1_org_name", ...). */
	int n = N_CONTRACT_FIELDS + 3 * FORM_PARTIES;
	struct form_field *fs = arena_alloc(r->a, (size_t)n * sizeof *fs);
	memcpy(fs, contract_fields, sizeof contract_fields);
	struct field_option *roles = arena_alloc(r->a, 3 * sizeof *roles);
	for (int ro = 0; ro < 3; ro++)
		roles[ro] = (struct field_option){party_role_code(ro), party_role_label(ro)};
	for (int i = 1; i <= FORM_PARTIES; i++) {
		struct form_field *p = &fs[N_CONTRACT_FIELDS + 3 * (i - 1)];
		/* "Organisation 2" is made here, translated; the rows
		 * together are the fieldset "Parties". */
		p[0] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_org_name", i),
			.label = arena_printf(r->a, "%s %d", _("Organisation"), i),
			.translated = true, .group = i == 1 ? N_("Parties") : NULL};
		p[1] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_kvk", i),
			.label = N_("KvK number"), .kind = FIELD_NUMBER};
		p[2] = (struct form_field){
			.name = arena_printf(r->a, "parties_%d_role", i),
			.label = N_("Role"),
			.kind = FIELD_SELECT, .options = roles, .n_options = 3,
			.options_translated = true,
			.value = i == 1 ? "penvoerder" : "member", .group_end = i == FORM_PARTIES};
	}
	struct form f = {.action = "/contracts", .submit = _("Create contract"),
			 .fields = fs, .n_fields = n, .errors = fe,
			 .refused = _("The contract was not created.")};
	struct tv_contract_new v = {.form = form_html(r, &f)};
	layout_begin(r, w, _("New contract"));
	tmpl_contract_new(&w->body, &v);
	layout_end(r, w);
}

void page_contract_new(struct req *r, struct resp *w)
{
	contract_form(r, w, NULL);
}

static enum kv_status parse_date_field(struct req *r, const char *key, cal_date *d,
				       bool required, struct kv_error *e)
{
	const char *s = in_str(r, key);
	if (in_blank(s)) {
		if (required)
			return kv_fail(e, KV_INVALID, key, _("Fill in the date."));
		*d = (cal_date){0, 0, 0};
		return KV_OK;
	}
	return cal_parse_date(s, d, key, e) == 0 ? KV_OK : KV_INVALID;
}

static enum kv_status parse_int_field(struct req *r, const char *key, long long lo,
				      long long hi, long long dflt, long long *out,
				      struct kv_error *e)
{
	const char *s = in_str(r, key);
	if (in_blank(s)) {
		*out = dflt;
		return KV_OK;
	}
	return in_int(s, lo, hi, out, key, e);
}

/* Evaluation years: "3, 6" in a form, [3, 6] in JSON. */
static enum kv_status parse_evaluation_years(struct req *r, struct contract *c,
					     struct kv_error *e)
{
	if (r->api) {
		json_t *ev = json_object_get(r->json, "evaluation_years");
		size_t i;
		json_t *y;
		json_array_foreach(ev, i, y) {
			if (!json_is_integer(y) || c->n_evaluations >= CONTRACT_MAX_EVALUATIONS)
				return kv_fail(e, KV_INVALID, "evaluation_years",
					       _("Give the evaluation years as whole numbers, such as 3, 6."));
			c->evaluation_years[c->n_evaluations++] = (int)json_integer_value(y);
		}
		return KV_OK;
	}
	const char *s = in_str(r, "evaluation_years");
	while (s && *s) {
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		char *end;
		long y = strtol(s, &end, 10);
		if (end == s || c->n_evaluations >= CONTRACT_MAX_EVALUATIONS || y < 1 || y > 50)
			return kv_fail(e, KV_INVALID, "evaluation_years",
				       _("Give the evaluation years as whole numbers, such as 3, 6."));
		c->evaluation_years[c->n_evaluations++] = (int)y;
		s = end;
	}
	return KV_OK;
}

/* The contract as sent; every field that cannot be read is refused into
 * fe, in the order of the form. */
static void parse_contract(struct req *r, struct contract *c, struct form_errors *fe)
{
	memset(c, 0, sizeof *c);
	c->tenant_id = r->tenant;
	c->reference = (char *)in_str(r, "reference");
	c->title = (char *)in_str(r, "title");
	struct kv_error e;
	long long v;
	if (parse_date_field(r, "start", &c->start, true, &e) != KV_OK)
		form_errors_add(fe, &e);
	if (parse_date_field(r, "end", &c->end, true, &e) != KV_OK)
		form_errors_add(fe, &e);
	if (parse_int_field(r, "extension_options", 0, 10, 0, &v, &e) == KV_OK)
		c->extension_options = (int)v;
	else
		form_errors_add(fe, &e);
	if (parse_int_field(r, "extension_months", 0, 120, 0, &v, &e) == KV_OK)
		c->extension_months = (int)v;
	else
		form_errors_add(fe, &e);
	if (parse_int_field(r, "base_year", 1900, 2200, c->start.year, &v, &e) == KV_OK)
		c->base_year = (int)v;
	else
		form_errors_add(fe, &e);
	const char *budget = in_str(r, "budget");
	if (!in_blank(budget) && eur_parse(budget, &c->budget_cents, "budget", &e) != KV_OK)
		form_errors_add(fe, &e);
	const char *ww = in_str(r, "wage_weight"), *pw = in_str(r, "price_weight");
	if (in_blank(ww) && in_blank(pw)) {
		c->wage_weight_bp = 10000;
	} else {
		if (parse_pct(in_blank(ww) ? "0" : ww, &c->wage_weight_bp, "wage_weight", &e) != KV_OK)
			form_errors_add(fe, &e);
		if (parse_pct(in_blank(pw) ? "0" : pw, &c->price_weight_bp, "price_weight", &e) != KV_OK)
			form_errors_add(fe, &e);
	}
	if (parse_evaluation_years(r, c, &e) != KV_OK)
		form_errors_add(fe, &e);
	form_parties(r, &c->parties, &c->n_parties, fe);
	/* What the core would refuse besides (an empty reference, say), so
	 * the form shows it at once. */
	if (fe->n && contract_check(c, &e) != KV_OK)
		form_errors_add(fe, &e);
}

void page_contract_create(struct req *r, struct resp *w)
{
	struct contract c;
	struct form_errors fe = {0};
	struct kv_error e = {0};
	const char *from = in_str(r, "procedure_id");
	if (!in_blank(from)) {
		/* A contract from an awarded lot. */
		long long pid = 0, lid = 0, cid = 0;
		memset(&c, 0, sizeof c);
		if (in_int(from, 1, INT64_MAX, &pid, "procedure_id", &e) != KV_OK ||
		    in_int(in_str(r, "lot_id"), 1, INT64_MAX, &lid, "lot_id", &e) != KV_OK ||
		    in_int(in_str(r, "candidate_id"), 1, INT64_MAX, &cid, "candidate_id", &e) != KV_OK)
			form_errors_add(&fe, &e);
		/* Only a buyer of that procedure may turn its award into a
		 * contract. */
		struct procedure p;
		if (!fe.n && (app_procedure_load(&r->app, pid, &p, NULL, NULL, &e) != KV_OK ||
			      !(role_on_procedure(r->grants, r->n_grants, p.tenant_id, pid) & ROLE_BUYER))) {
			kv_fail(&e, KV_NOT_FOUND, "procedure_id", _("There is no such procedure."));
			form_errors_add(&fe, &e);
		}
		struct contract form;
		if (!fe.n)
			parse_contract(r, &form, &fe);
		if (!fe.n) {
			c = form;
			c.parties = NULL;
			c.n_parties = 0;
			if (app_contract_from_award(&r->app, pid, lid, cid, &c, &e) != KV_OK)
				form_errors_add(&fe, &e);
		}
	} else {
		parse_contract(r, &c, &fe);
		if (!fe.n && app_contract_create(&r->app, &c, &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (r->api) {
		resp_created(r, w, &fe, fe.n ? NULL : contract_json(r, &c));
		return;
	}
	if (fe.n) {
		w->status = http_status_of(form_errors_status(&fe));
		contract_form(r, w, &fe);
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/contracts/%lld", (long long)c.id),
			   DONE_CONTRACT_CREATED);
}

/* ---- one contract --------------------------------------------------------- */

static const char *const outcomes[] = {
	[EVAL_PENDING] = N_("not yet evaluated"), [EVAL_POSITIVE] = N_("positive"),
	[EVAL_NEGATIVE] = N_("negative")};

/* The forms of the contract page, each declared once. */
static const struct field_option outcome_options[] = {
	{"positive", N_("positive")}, {"negative", N_("negative")},
	{"pending", N_("not yet evaluated")},
};
static const struct form_field evaluation_fields[] = {
	{.name = "after_year", .kind = FIELD_HIDDEN},
	{.name = "outcome", .label = N_("Outcome"), .kind = FIELD_SELECT,
	 .options = outcome_options, .n_options = 3},
	{.name = "notes", .label = N_("Notes"), .kind = FIELD_TEXTAREA, .rows = 2},
};
static const struct form_field index_fields[] = {
	{.name = "year", .label = N_("Year"), .kind = FIELD_NUMBER},
	{.name = "wage_prognosis", .label = N_("Wages, prognosis %"), .kind = FIELD_DECIMAL},
	{.name = "price_prognosis", .label = N_("Prices, prognosis %"), .kind = FIELD_DECIMAL},
	{.name = "wage_actual", .label = N_("Wages, realised %"), .kind = FIELD_DECIMAL},
	{.name = "price_actual", .label = N_("Prices, realised %"), .kind = FIELD_DECIMAL},
};
static const struct form_field import_fields[] = {
	{.name = "csv_file", .label = N_("CSV file"), .kind = FIELD_FILE, .accept = ".csv,text/csv",
	 .help = N_("Columns: kpi;periode;gebied;waarde (or kpi,period,area,value). One bad line and nothing is imported.")},
	{.name = "csv", .label = N_("or paste the CSV here"), .kind = FIELD_TEXTAREA, .rows = 5},
};
static const struct field_option direction_options[] = {
	{"higher-is-better", N_("higher is better")}, {"lower-is-better", N_("lower is better")},
};
static const struct field_option frequency_options[] = {
	{"quarterly", N_("quarterly")}, {"monthly", N_("monthly")}, {"yearly", N_("yearly")},
};
static const struct form_field kpi_fields[] = {
	{.name = "name", .label = N_("Name"), .required = true},
	{.name = "definition", .label = N_("Definition"), .kind = FIELD_TEXTAREA, .rows = 2},
	{.name = "unit", .label = N_("Unit")},
	{.name = "direction", .label = N_("Direction"), .kind = FIELD_SELECT,
	 .options = direction_options, .n_options = 2},
	{.name = "target", .label = N_("Target"), .kind = FIELD_DECIMAL},
	{.name = "source", .label = N_("Source")},
	{.name = "frequency", .label = N_("Frequency"), .kind = FIELD_SELECT,
	 .options = frequency_options, .n_options = 3},
};
static const struct form_field terminate_fields[] = {
	{.name = "on", .label = N_("Terminate on"), .kind = FIELD_DATE, .required = true},
	{.name = "reason", .label = N_("Reason")},
	{.name = "decision", .label = N_("Decision number"), .placeholder = "2026/12345"},
	{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
	 .label = N_("I understand that terminating ends the contract early on this date, for every party; this cannot be undone.")},
};
static const struct form_field extend_fields[] = {
	{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
	 .label = N_("I understand that this uses one of the contract's extension options and moves its end; an option used cannot be given back.")},
};
#define COUNT(a) ((int)(sizeof (a) / sizeof *(a)))

/* Which form a refusal belongs to: the section the handler names. */
struct refusal {
	const char *section;           /* "index", "kpi", "evaluation-3", ... */
	const struct form_errors *fe;
	bool placed;                   /* a form on the page shows it */
};

static const struct form_errors *errors_for(struct refusal *rf, const char *section)
{
	if (!rf->fe || !rf->fe->n || !rf->section || strcmp(rf->section, section) != 0)
		return NULL;
	rf->placed = true;
	return rf->fe;
}

/* A form of the contract page posting to /contracts/ID/what; id makes
 * its fields' ids unique where the page repeats it (NULL: shown once). */
static html_t contract_form_html(struct req *r, const char *what, const char *id,
				 const char *submit, const char *css,
				 const struct form_field *fs, int n,
				 const char *const *values, const struct form_errors *fe)
{
	if (values) {
		/* The current record's values in place of the defaults. */
		struct form_field *cp = arena_alloc(r->a, (size_t)n * sizeof *cp);
		for (int i = 0; i < n; i++) {
			cp[i] = fs[i];
			if (values[i])
				cp[i].value = values[i];
		}
		fs = cp;
	}
	struct form f = {
		.action = arena_printf(r->a, "/contracts/%lld/%s", (long long)r->contract.id, what),
		.id = id, .submit = submit, .css = css, .fields = fs, .n_fields = n, .errors = fe,
		/* these add a KPI, measurements or an evaluation record */
		.refused = strcmp(what, "kpis") == 0 || strcmp(what, "measurements") == 0 ||
			   strcmp(what, "evaluations") == 0 ? form_not_saved() : NULL};
	return form_html(r, &f);
}

/* The measurement form: its KPI choice lists the contract's KPIs. */
static html_t measure_form(struct req *r, const struct contract_view *v,
			   const struct form_errors *fe)
{
	struct field_option *kpis = arena_alloc(r->a, (size_t)v->n_kpis * sizeof *kpis);
	for (int k = 0; k < v->n_kpis; k++)
		kpis[k] = (struct field_option){
			arena_printf(r->a, "%lld", (long long)v->kpis[k].id), v->kpis[k].name};
	struct form_field fs[] = {
		{.name = "kpi_id", .label = N_("KPI"), .kind = FIELD_SELECT, .options = kpis,
		 .n_options = v->n_kpis, .options_translated = true},
		{.name = "period", .label = N_("Period"), .placeholder = "2024-Q1"},
		{.name = "area", .label = N_("Area (lot or wijk)")},
		{.name = "value", .label = N_("Value"), .kind = FIELD_DECIMAL},
	};
	return contract_form_html(r, "measurements", NULL, _("Save"), "form inline-form", fs,
				  COUNT(fs), NULL, fe);
}

static void contract_moments(struct req *r, const struct contract_view *v, bool buyer,
			     struct refusal *rf, struct tv_contract_page *t)
{
	struct tv_contract_page_moments *ms =
	    arena_alloc(r->a, (size_t)(v->n_moments + 1) * sizeof *ms);
	/* The dossier's KPI lines are the same at every moment: the latest
	 * figure of each KPI against its target. */
	struct tv_contract_page_moments_kpis *dk =
	    arena_alloc(r->a, (size_t)(v->n_kpis + 1) * sizeof *dk);
	for (int k = 0; k < v->n_kpis; k++) {
		const struct kpi_view *kv = &v->kv[k];
		dk[k] = (struct tv_contract_page_moments_kpis){
			.name = kv->k->name,
			.value = kv->latest ? kpi_value_format(r->a, kv->latest->value_milli) : "—",
			.unit = kv->k->unit ? kv->k->unit : "",
			.period = kv->latest ? kv->latest->period : "",
			.verdict = kv->on_target == 1 ? _("on target")
				 : kv->on_target == 0 ? _("target not met") : ""};
	}
	for (int i = 0; i < v->n_moments; i++) {
		const struct evaluation_moment *mo = &v->moments[i];
		struct tv_contract_page_moments *m = &ms[i];
		struct tv_contract_page_moments_budgets *bs =
		    arena_alloc(r->a, 2 * sizeof *bs);
		for (int y = 0; y < mo->n_budget; y++)
			bs[y] = (struct tv_contract_page_moments_budgets){
				.year = mo->budget[y]->year,
				.amount = fmt_eur(r, mo->budget[y]->budget_cents)};
		*m = (struct tv_contract_page_moments){
			.year = mo->after_year, .done = mo->done,
			.heading = arena_printf(r->a, _("Evaluation after year %d"), mo->after_year),
			.due = date_long(r, mo->due),
			.outcome = LABEL_OF(outcomes, mo->record ? mo->record->outcome : EVAL_PENDING),
			.kpis = dk, .n_kpis = v->n_kpis, .budgets = bs, .n_budgets = mo->n_budget,
			.notes = mo->record && mo->record->notes ? mo->record->notes : ""};
		if (buyer) {
			const char **values = arena_alloc(r->a, 3 * sizeof *values);
			values[0] = arena_printf(r->a, "%d", mo->after_year);
			values[1] = mo->record ? evaluation_outcome_code(mo->record->outcome) : NULL;
			values[2] = m->notes;
			const char *id = arena_printf(r->a, "evaluation-%d", mo->after_year);
			const struct form_errors *fe = errors_for(rf, id);
			m->form = contract_form_html(r, "evaluations", id, _("Record evaluation"), NULL,
				evaluation_fields, COUNT(evaluation_fields), values, fe);
			m->open = fe != NULL;
		}
	}
	t->moments = ms;
	t->n_moments = v->n_moments;
}

static void contract_budget(struct req *r, const struct contract_view *v, bool buyer,
			    struct refusal *rf, struct tv_contract_page *t)
{
	const struct contract *c = &v->c;
	t->has_budget = c->budget_cents != 0;
	t->budget = fmt_eur(r, c->budget_cents);
	t->base_year = c->base_year;
	t->wage_weight = pct_text(r, c->wage_weight_bp);
	t->price_weight = pct_text(r, c->price_weight_bp);
	t->index_error = v->index_error.status ? v->index_error.msg : "";
	struct tv_contract_page_years *ys = arena_alloc(r->a, (size_t)(v->n_years + 1) * sizeof *ys);
	for (int i = 0; i < v->n_years; i++) {
		const struct indexed_year *y = &v->years[i];
		ys[i] = (struct tv_contract_page_years){
			.year = y->year, .previous = i ? fmt_eur(r, y->previous_cents) : "—",
			.index = pct_text(r, y->composite_prognosis_bp),
			.indexation = fmt_eur(r, y->indexation_cents),
			.correction = fmt_eur(r, y->correction_cents),
			.budget = fmt_eur(r, y->budget_cents),
			.explanation = y->explanation ? y->explanation : ""};
	}
	t->years = ys;
	t->n_years = v->n_years;
	if (v->n_years > 0)
		t->budget_chart = budget_bars_svg(r->a, v->years, v->n_years);
	struct tv_contract_page_figures *fs = arena_alloc(r->a, (size_t)(v->n_figures + 1) * sizeof *fs);
	for (int i = 0; i < v->n_figures; i++) {
		const struct index_figures *f = &v->figures[i];
		fs[i] = (struct tv_contract_page_figures){
			.year = f->year, .wage_prognosis = pct_text(r, f->wage_prognosis_bp),
			.price_prognosis = pct_text(r, f->price_prognosis_bp),
			.wage_actual = f->has_actual ? arena_printf(r->a, "%s %%", pct_text(r, f->wage_actual_bp)) : "—",
			.price_actual = f->has_actual ? arena_printf(r->a, "%s %%", pct_text(r, f->price_actual_bp)) : "—"};
	}
	t->figures = fs;
	t->n_figures = v->n_figures;
	if (buyer && t->has_budget)
		t->index_form = contract_form_html(r, "index", NULL, _("Save figures"), "form inline-form",
						   index_fields, COUNT(index_fields), NULL,
						   errors_for(rf, "index"));
}

static void contract_kpis(struct req *r, const struct contract_view *v, bool buyer,
			  bool reporter, struct refusal *rf, struct tv_contract_page *t)
{
	struct tv_contract_page_kpis *ks = arena_alloc(r->a, (size_t)(v->n_kpis + 1) * sizeof *ks);
	for (int k = 0; k < v->n_kpis; k++) {
		const struct kpi_view *kv = &v->kv[k];
		const struct kpi *kp = kv->k;
		struct tv_contract_page_kpis_charts *cs =
		    arena_alloc(r->a, (size_t)(kv->n_areas + 1) * sizeof *cs);
		/* One chart per area that has measurements. */
		for (int j = 0; j < kv->n_areas; j++) {
			const struct kpi_area *ar = &kv->areas[j];
			cs[j] = (struct tv_contract_page_kpis_charts){
				.caption = *ar->area ? ar->area : _("whole municipality"),
				.svg = kpi_trend_svg(r->a, kp, ar->m, ar->n, ar->area, 480, 240)};
		}
		ks[k] = (struct tv_contract_page_kpis){
			.id = kp->id, .name = kp->name, .definition = kp->definition ? kp->definition : "",
			.unit = kp->unit ? kp->unit : "",
			.target = kp->has_target ? kpi_value_format(r->a, kp->target_milli) : "—",
			.source = kp->source ? kp->source : "", .charts = cs, .n_charts = kv->n_areas};
	}
	t->kpis = ks;
	t->n_kpis = v->n_kpis;
	if (reporter && v->n_kpis)
		t->measure_form = measure_form(r, v, errors_for(rf, "measure"));
	if (reporter)
		t->import_form = contract_form_html(r, "measurements", NULL, _("Import"), NULL,
						    import_fields, COUNT(import_fields), NULL,
						    errors_for(rf, "measurements"));
	if (buyer) {
		const struct form_errors *fe = errors_for(rf, "kpi");
		t->kpi_form = contract_form_html(r, "kpis", NULL, _("Add KPI"), NULL, kpi_fields,
						 COUNT(kpi_fields), NULL, fe);
		t->kpi_form_open = fe != NULL;
	}
}

/* Every message of a refusal in one line, for the box above the page
 * when no form on it shows them. */
static const char *refusal_text(struct req *r, const struct form_errors *fe)
{
	const char *s = "";
	for (int i = 0; fe && i < fe->n; i++) {
		const struct kv_error *e = &fe->items[i];
		const char *m = strncmp(e->field, "line ", 5) == 0
			? arena_printf(r->a, "%s %s: %s", _("Line"), e->field + 5, e->msg) : e->msg;
		s = *s ? arena_printf(r->a, "%s %s", s, m) : m;
	}
	return s;
}

static void contract_page(struct req *r, struct resp *w, const struct contract_view *v,
			  const char *section, const struct form_errors *fe)
{
	const struct contract *c = &v->c;
	bool buyer = r->roles & ROLE_BUYER;
	bool reporter = r->roles & (ROLE_BUYER | ROLE_REPORTER);
	struct refusal rf = {.section = section, .fe = fe};
	struct tv_contract_page t = {
		.cid = c->id, .reference = c->reference, .title = c->title,
		.status_code = contract_status_code(v->status),
		.status_label = contract_status_label(v->status),
		.start = date_long(r, c->start), .end = date_long(r, v->effective_end),
		.extensions_used = c->extensions_used, .extension_options = c->extension_options,
		.extension_months = c->extension_months,
		.terminated = c->terminated, .terminated_on = date_long(r, c->terminated_on),
		.termination_reason = c->termination_reason ? c->termination_reason : "",
		.termination_decision = c->termination_decision ? c->termination_decision : "",
		.ended = v->status == CONTRACT_ENDED,
	};
	struct tv_contract_page_parties *ps = arena_alloc(r->a, (size_t)(c->n_parties + 1) * sizeof *ps);
	for (int i = 0; i < c->n_parties; i++)
		ps[i] = (struct tv_contract_page_parties){
			.name = c->parties[i].org_name ? c->parties[i].org_name : "",
			.kvk = c->parties[i].kvk ? c->parties[i].kvk : "",
			.role = party_role_label(c->parties[i].role)};
	t.parties = ps;
	t.n_parties = c->n_parties;
	contract_moments(r, v, buyer, &rf, &t);
	contract_budget(r, v, buyer, &rf, &t);
	contract_kpis(r, v, buyer, reporter, &rf, &t);
	t.can_change = buyer && !c->terminated && v->status != CONTRACT_ENDED;
	if (t.can_change) {
		if (c->extensions_used < c->extension_options)
			t.extend_form = contract_form_html(r, "extend", "extend", _("Use an extension option"),
							   NULL, extend_fields, COUNT(extend_fields), NULL,
							   errors_for(&rf, "extend"));
		t.terminate_form = contract_form_html(r, "terminate", NULL, _("Terminate the contract"), NULL,
						      terminate_fields, COUNT(terminate_fields), NULL,
						      errors_for(&rf, "change"));
	}
	if (fe && fe->n && !rf.placed) {
		t.refusal = refusal_text(r, fe);
		/* a KPI, a measurement or an evaluation would have been added */
		bool adds = section && (strcmp(section, "kpi") == 0 || strncmp(section, "measure", 7) == 0 ||
					strncmp(section, "evaluation", 10) == 0);
		t.refused_heading = adds ? form_not_saved() : _("Nothing was changed.");
	}
	layout_begin(r, w, c->title);
	tmpl_contract_page(&w->body, &t);
	layout_end(r, w);
}

/* After an action: the API answers with the contract as it now is, a page
 * goes back to the contract, or shows it again with the refusal at the
 * form of `section`. */
static void contract_answer(struct req *r, struct resp *w, const struct form_errors *fe,
			    const char *section, const char *anchor, enum done_code done)
{
	if (r->api) {
		if (fe->n) {
			resp_error(r, w, &fe->items[0]);
			return;
		}
		struct kv_error le = {0};
		if (app_contract_get(&r->app, r->contract.id, &r->contract, &le) != KV_OK) {
			resp_error(r, w, &le);
			return;
		}
		resp_json(r, w, 200, contract_json(r, &r->contract));
		return;
	}
	if (!fe->n) {
		resp_redirect_done(r, w, arena_printf(r->a, "/contracts/%lld%s", (long long)r->contract.id,
						      anchor), done);
		return;
	}
	struct contract_view v;
	struct kv_error le = {0};
	if (app_contract_view(&r->app, r->contract.id, &v, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	w->status = http_status_of(form_errors_status(fe));
	contract_page(r, w, &v, section, fe);
}

void page_contract(struct req *r, struct resp *w)
{
	struct contract_view v;
	struct kv_error e = {0};
	if (app_contract_view(&r->app, r->contract.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		contract_page(r, w, &v, NULL, NULL);
		return;
	}
	json_t *j = contract_json(r, &v.c);
	json_t *years = json_array(), *kpis = json_array(), *ms = json_array(), *evs = json_array();
	for (int i = 0; i < v.n_years; i++)
		json_array_append_new(years, json_pack("{s:i, s:I, s:i, s:I, s:I, s:I, s:s}",
			"year", v.years[i].year, "previous_cents", (json_int_t)v.years[i].previous_cents,
			"composite_prognosis_bp", v.years[i].composite_prognosis_bp,
			"indexation_cents", (json_int_t)v.years[i].indexation_cents,
			"correction_cents", (json_int_t)v.years[i].correction_cents,
			"budget_cents", (json_int_t)v.years[i].budget_cents,
			"explanation", v.years[i].explanation ? v.years[i].explanation : ""));
	for (int i = 0; i < v.n_kpis; i++)
		json_array_append_new(kpis, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s}",
			"id", (json_int_t)v.kpis[i].id, "name", v.kpis[i].name,
			"definition", v.kpis[i].definition ? v.kpis[i].definition : "",
			"unit", v.kpis[i].unit ? v.kpis[i].unit : "",
			"direction", kpi_direction_code(v.kpis[i].direction),
			"frequency", kpi_frequency_code(v.kpis[i].frequency),
			"target_milli", v.kpis[i].has_target ? json_integer(v.kpis[i].target_milli) : json_null(),
			"source", v.kpis[i].source ? v.kpis[i].source : ""));
	for (int i = 0; i < v.n_m; i++)
		json_array_append_new(ms, json_pack("{s:I, s:s, s:s, s:I}",
			"kpi_id", (json_int_t)v.m[i].kpi_id, "period", v.m[i].period,
			"area", v.m[i].area ? v.m[i].area : "", "value_milli", (json_int_t)v.m[i].value_milli));
	for (int i = 0; i < v.n_evals; i++)
		json_array_append_new(evs, json_pack("{s:i, s:o, s:s, s:s, s:s}",
			"after_year", v.evals[i].after_year, "due", date_json(v.evals[i].due),
			"outcome", evaluation_outcome_code(v.evals[i].outcome),
			"notes", v.evals[i].notes ? v.evals[i].notes : "",
			"decision", v.evals[i].decision ? v.evals[i].decision : ""));
	json_object_set_new(j, "budget_years", years);
	if (v.index_error.status)
		json_object_set_new(j, "budget_error", json_string(v.index_error.msg));
	json_object_set_new(j, "kpis", kpis);
	json_object_set_new(j, "measurements", ms);
	json_object_set_new(j, "evaluation_records", evs);
	resp_json(r, w, 200, j);
}

void page_contract_terminate(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e = {0};
	cal_date on;
	if (parse_date_field(r, "on", &on, true, &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (form_confirm_check(r, &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (!fe.n && app_contract_terminate(&r->app, r->contract.id, on, in_str(r, "reason"),
					    in_str(r, "decision"), &e) != KV_OK)
		form_errors_add(&fe, &e);
	contract_answer(r, w, &fe, "change", "", DONE_CONTRACT_TERMINATED);
}

void page_contract_extend(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e = {0};
	if (form_confirm_check(r, &e) != KV_OK ||
	    app_contract_extend(&r->app, r->contract.id, &e) != KV_OK)
		form_errors_add(&fe, &e);
	contract_answer(r, w, &fe, "extend", "", DONE_CONTRACT_EXTENDED);
}

void page_contract_index(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e;
	struct index_figures f = {0};
	long long y;
	if (in_int(in_str(r, "year"), 1900, 2200, &y, "year", &e) == KV_OK)
		f.year = (int)y;
	else
		form_errors_add(&fe, &e);
	if (parse_pct(in_str(r, "wage_prognosis"), &f.wage_prognosis_bp, "wage_prognosis", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (parse_pct(in_str(r, "price_prognosis"), &f.price_prognosis_bp, "price_prognosis", &e) != KV_OK)
		form_errors_add(&fe, &e);
	const char *wa = in_str(r, "wage_actual"), *pa = in_str(r, "price_actual");
	if (!in_blank(wa) || !in_blank(pa)) {
		f.has_actual = true;
		if (parse_pct(wa, &f.wage_actual_bp, "wage_actual", &e) != KV_OK)
			form_errors_add(&fe, &e);
		if (parse_pct(pa, &f.price_actual_bp, "price_actual", &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (!fe.n && app_index_figures_set(&r->app, r->contract.id, &f, &e) != KV_OK)
		form_errors_add(&fe, &e);
	contract_answer(r, w, &fe, "index", "#budget", DONE_INDEX_SAVED);
}

void page_contract_kpi(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e;
	struct kpi k = {.contract_id = r->contract.id};
	k.name = (char *)in_str(r, "name");
	k.definition = (char *)in_str(r, "definition");
	k.unit = (char *)in_str(r, "unit");
	k.source = (char *)in_str(r, "source");
	const char *d = in_str(r, "direction"), *f = in_str(r, "frequency"), *t = in_str(r, "target");
	int dir = d ? kpi_direction_from_code(d) : -1, fr = f ? kpi_frequency_from_code(f) : -1;
	if (dir < 0) {
		kv_fail(&e, KV_INVALID, "direction", _("Choose whether higher or lower is better."));
		form_errors_add(&fe, &e);
	}
	if (fr < 0) {
		kv_fail(&e, KV_INVALID, "frequency", _("Choose monthly, quarterly or yearly."));
		form_errors_add(&fe, &e);
	}
	k.direction = (enum kpi_direction)(dir < 0 ? 0 : dir);
	k.frequency = (enum kpi_frequency)(fr < 0 ? 0 : fr);
	if (!in_blank(t)) {
		k.has_target = true;
		if (kpi_value_parse(t, &k.target_milli, "target", &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (fe.n) {
		/* The core's checks of the rest (an empty name), at once. */
		if (kpi_check(&k, &e) != KV_OK)
			form_errors_add(&fe, &e);
	} else if (app_kpi_create(&r->app, &k, &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	contract_answer(r, w, &fe, "kpi", "#kpis", DONE_KPI_ADDED);
}

void page_contract_measurements(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e = {0};
	const char *csv = in_str(r, "csv_file");
	if (in_blank(csv))
		csv = in_str(r, "csv");
	int n = 0;
	bool one = !in_blank(in_str(r, "kpi_id"));
	if (one) {
		/* One measurement entered in the form. */
		struct measurement m = {0};
		long long kid = 0;
		const char *period = in_str(r, "period");
		if (in_int(in_str(r, "kpi_id"), 1, INT64_MAX, &kid, "kpi", &e) != KV_OK)
			form_errors_add(&fe, &e);
		m.kpi_id = kid;
		if (in_blank(period) || strlen(period) >= sizeof m.period) {
			kv_fail(&e, KV_INVALID, "period", _("Give the period as 2023-05, 2023-Q2 or 2023."));
			form_errors_add(&fe, &e);
		} else {
			snprintf(m.period, sizeof m.period, "%s", period);
		}
		m.area = (char *)(in_str(r, "area") ? in_str(r, "area") : "");
		if (kpi_value_parse(in_str(r, "value"), &m.value_milli, "value", &e) != KV_OK)
			form_errors_add(&fe, &e);
		if (!fe.n && app_measurement_add(&r->app, r->contract.id, &m, &e) != KV_OK)
			form_errors_add(&fe, &e);
		n = fe.n ? 0 : 1;
	} else if (in_blank(csv)) {
		kv_fail(&e, KV_INVALID, "csv", _("Choose a CSV file or paste the CSV."));
		form_errors_add(&fe, &e);
	} else if (app_measurements_import(&r->app, r->contract.id, csv, strlen(csv), &n, &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	if (r->api && !fe.n) {
		resp_json(r, w, 201, json_pack("{s:i}", "imported", n));
		return;
	}
	contract_answer(r, w, &fe, one ? "measure" : "measurements", "#kpis",
			one ? DONE_MEASUREMENT_SAVED : DONE_MEASUREMENTS_IMPORTED);
}

void page_contract_evaluation(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e;
	struct evaluation ev = {.contract_id = r->contract.id};
	long long y = 0;
	if (in_int(in_str(r, "after_year"), 1, 50, &y, "after_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	ev.after_year = (int)y;
	const char *o = in_str(r, "outcome");
	int oc = o ? evaluation_outcome_from_code(o) : -1;
	if (oc < 0) {
		kv_fail(&e, KV_INVALID, "outcome", _("Choose positive, negative or not yet evaluated."));
		form_errors_add(&fe, &e);
	}
	ev.outcome = (enum evaluation_outcome)(oc < 0 ? 0 : oc);
	ev.notes = (char *)in_str(r, "notes");
	ev.decision = (char *)in_str(r, "decision");
	if (!fe.n && app_evaluation_put(&r->app, &ev, &e) != KV_OK)
		form_errors_add(&fe, &e);
	contract_answer(r, w, &fe, arena_printf(r->a, "evaluation-%d", ev.after_year),
			arena_printf(r->a, "#evaluation-%d", ev.after_year), DONE_EVALUATION_SAVED);
}
