/*
 * page_contracts.c - contracts after the award: the list, entering one,
 * and one contract with its parties, status timeline, indexed budget,
 * KPIs with their trends, evaluation dossiers, extension and termination.
 */
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "view.h"

#define MAX_PARTIES 12

static const char *date_long(struct req *r, cal_date d)
{
	return cal_date_valid(d) ? cal_format_long(r->a, d) : "";
}

static cal_date today(struct req *r)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &d, &h, &m, &s, &off);
	return d;
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
	json_t *parties = json_array();
	for (int i = 0; i < c->n_parties; i++)
		json_array_append_new(parties, json_pack("{s:I, s:s, s:s, s:s}",
			"org_id", (json_int_t)c->parties[i].org_id,
			"name", c->parties[i].org_name ? c->parties[i].org_name : "",
			"kvk", c->parties[i].kvk ? c->parties[i].kvk : "",
			"role", party_role_code(c->parties[i].role)));
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
		"status", contract_status_code(contract_status_on(c, today(r))),
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
	struct contract *list = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (STORE(r->st, contract_list, 0, r->a, &list, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	json_t *arr = r->api ? json_array() : NULL;
	sbuf rows;
	sbuf_init(&rows, r->a, 1 << 20);
	int shown = 0;
	for (int i = 0; i < n; i++) {
		if (!role_on_contract(r->grants, r->n_grants, list[i].tenant_id, list[i].id))
			continue;
		shown++;
		if (arr) {
			json_array_append_new(arr, contract_json(r, &list[i]));
			continue;
		}
		const char *pv = "";
		for (int j = 0; j < list[i].n_parties; j++)
			if (list[i].parties[j].role == PARTY_PENVOERDER)
				pv = list[i].parties[j].org_name;
		html_f(&rows, "<tr><td>%s</td><td><a href=\"/contracts/%lld\">%s</a></td><td>%s</td>"
			      "<td>%s – %s</td><td>%s</td></tr>",
		       list[i].reference, (long long)list[i].id, list[i].title, pv,
		       date_long(r, list[i].start), date_long(r, contract_effective_end(&list[i])),
		       contract_status_label(contract_status_on(&list[i], today(r))));
	}
	if (arr) {
		resp_json(r, w, 200, json_pack("{s:o}", "contracts", arr));
		return;
	}
	layout_begin(r, w, _("Contracts"));
	html_f(&w->body, "<h1>%s</h1>", _("Contracts"));
	if (tenant_of(r, true))
		html_f(&w->body, "<p><a class=\"button\" href=\"/contracts/new\">%s</a></p>", _("New contract"));
	if (!shown)
		html_f(&w->body, "<p>%s</p>", _("No contracts to show."));
	else
		html_f(&w->body, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
				 "<th>%s</th><th>%s</th></tr></thead><tbody>%R</tbody></table>",
		       _("Reference"), _("Title"), _("Penvoerder"), _("Term"), _("Status"),
		       sbuf_str(&rows));
	layout_end(r, w);
}

static void contract_form(struct req *r, struct resp *w, const struct kv_error *e)
{
	sbuf *b = &w->body;
	layout_begin(r, w, _("New contract"));
	html_f(b, "<p class=\"crumbs\"><a href=\"/contracts\">%s</a></p><h1>%s</h1>",
	       _("Contracts"), _("New contract"));
	form_error_summary(r, w, e);
	html_f(b, "<form method=\"post\" action=\"/contracts\" class=\"form\" novalidate>%R"
		  "<label for=\"reference\">%s</label><input id=\"reference\" name=\"reference\" value=\"%s\">%R"
		  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" value=\"%s\">%R"
		  "<label for=\"start\">%s</label><input id=\"start\" name=\"start\" type=\"date\" value=\"%s\">%R"
		  "<label for=\"end\">%s</label><input id=\"end\" name=\"end\" type=\"date\" value=\"%s\">%R"
		  "<label for=\"evaluation_years\">%s</label><input id=\"evaluation_years\" name=\"evaluation_years\" value=\"%s\" placeholder=\"3, 6\">%R"
		  "<label for=\"extension_options\">%s</label><input id=\"extension_options\" name=\"extension_options\" inputmode=\"numeric\" value=\"%s\">%R"
		  "<label for=\"extension_months\">%s</label><input id=\"extension_months\" name=\"extension_months\" inputmode=\"numeric\" value=\"%s\">%R"
		  "<label for=\"budget\">%s</label><input id=\"budget\" name=\"budget\" inputmode=\"decimal\" value=\"%s\">%R"
		  "<label for=\"base_year\">%s</label><input id=\"base_year\" name=\"base_year\" inputmode=\"numeric\" value=\"%s\">%R"
		  "<label for=\"wage_weight\">%s</label><input id=\"wage_weight\" name=\"wage_weight\" inputmode=\"decimal\" value=\"%s\">%R"
		  "<label for=\"price_weight\">%s</label><input id=\"price_weight\" name=\"price_weight\" inputmode=\"decimal\" value=\"%s\">%R"
		  "<fieldset><legend>%s</legend>",
	       csrf_input(r),
	       _("Reference"), refill(r, "reference", ""), field_error(r, e, "reference"),
	       _("Title"), refill(r, "title", ""), field_error(r, e, "title"),
	       _("First day"), refill(r, "start", ""), field_error(r, e, "start"),
	       _("Ends on (first day after the term)"), refill(r, "end", ""), field_error(r, e, "end"),
	       _("Evaluation after years"), refill(r, "evaluation_years", "3, 6"), field_error(r, e, "evaluation_years"),
	       _("Extension options"), refill(r, "extension_options", "0"), field_error(r, e, "extension_options"),
	       _("Months per extension"), refill(r, "extension_months", "0"), field_error(r, e, "extension_months"),
	       _("Fixed budget per year (EUR)"), refill(r, "budget", ""), field_error(r, e, "budget"),
	       _("Budget year"), refill(r, "base_year", ""), field_error(r, e, "base_year"),
	       _("Index weight of wages (%)"), refill(r, "wage_weight", "75"), field_error(r, e, "wage_weight"),
	       _("Index weight of prices (%)"), refill(r, "price_weight", "25"), field_error(r, e, "price_weight"),
	       _("Parties"));
	for (int i = 1; i <= 4; i++) {
		const char *k = arena_printf(r->a, "parties_%d_", i);
		const char *role = refill(r, arena_printf(r->a, "%srole", k), i == 1 ? "penvoerder" : "member");
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
		html_f(b, "</select></div>");
	}
	html_f(b, "</fieldset>%R<button type=\"submit\">%s</button></form>",
	       field_error(r, e, "parties"), _("Create contract"));
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

static enum kv_status parse_contract(struct req *r, struct contract *c, struct kv_error *e)
{
	memset(c, 0, sizeof *c);
	c->tenant_id = r->tenant;
	c->reference = (char *)in_str(r, "reference");
	c->title = (char *)in_str(r, "title");
	enum kv_status rc;
	long long v;
	if ((rc = parse_date_field(r, "start", &c->start, true, e)) != KV_OK ||
	    (rc = parse_date_field(r, "end", &c->end, true, e)) != KV_OK)
		return rc;
	if ((rc = parse_int_field(r, "extension_options", 0, 10, 0, &v, e)) != KV_OK)
		return rc;
	c->extension_options = (int)v;
	if ((rc = parse_int_field(r, "extension_months", 0, 120, 0, &v, e)) != KV_OK)
		return rc;
	c->extension_months = (int)v;
	if ((rc = parse_int_field(r, "base_year", 1900, 2200, c->start.year, &v, e)) != KV_OK)
		return rc;
	c->base_year = (int)v;
	const char *budget = in_str(r, "budget");
	if (!in_blank(budget) && eur_parse(budget, &c->budget_cents, "budget", e) != KV_OK)
		return e->status;
	const char *ww = in_str(r, "wage_weight"), *pw = in_str(r, "price_weight");
	if (in_blank(ww) && in_blank(pw)) {
		c->wage_weight_bp = 10000;
	} else if (parse_pct(in_blank(ww) ? "0" : ww, &c->wage_weight_bp, "wage_weight", e) != KV_OK ||
		   parse_pct(in_blank(pw) ? "0" : pw, &c->price_weight_bp, "price_weight", e) != KV_OK) {
		return e->status;
	}
	/* Evaluation years: "3, 6" in a form, [3, 6] in JSON. */
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
	} else {
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
	}
	int n = in_count(r, "parties", MAX_PARTIES);
	c->parties = arena_alloc(r->a, (size_t)(n + 1) * sizeof *c->parties);
	for (int i = 0; i < n; i++) {
		const char *name = in_sub(r, "parties", i, "org_name");
		const char *kvk = in_sub(r, "parties", i, "kvk");
		const char *role = in_sub(r, "parties", i, "role");
		if (!r->api && in_blank(name) && in_blank(kvk))
			continue;
		int ro = role ? party_role_from_code(role) : -1;
		if (ro < 0)
			return kv_fail(e, KV_INVALID, "parties", _("Choose the role of this party."));
		c->parties[c->n_parties++] = (struct party){
			.org_name = (char *)name, .kvk = (char *)kvk, .role = (enum party_role)ro};
	}
	return KV_OK;
}

void page_contract_create(struct req *r, struct resp *w)
{
	struct contract c;
	struct kv_error e = {0};
	enum kv_status rc;
	const char *from = in_str(r, "procedure_id");
	if (!in_blank(from)) {
		long long pid, lid, cid;
		memset(&c, 0, sizeof c);
		rc = in_int(from, 1, INT64_MAX, &pid, "procedure_id", &e);
		if (rc == KV_OK)
			rc = in_int(in_str(r, "lot_id"), 1, INT64_MAX, &lid, "lot_id", &e);
		if (rc == KV_OK)
			rc = in_int(in_str(r, "candidate_id"), 1, INT64_MAX, &cid, "candidate_id", &e);
		/* Only a buyer of that procedure may turn its award into a
		 * contract. */
		struct procedure p;
		if (rc == KV_OK && (STORE(r->st, procedure_get, pid, r->a, &p, &e) != KV_OK ||
				    !(role_on_procedure(r->grants, r->n_grants, p.tenant_id, pid) & ROLE_BUYER)))
			rc = kv_fail(&e, KV_NOT_FOUND, "procedure_id", _("There is no such procedure."));
		struct contract form;
		if (rc == KV_OK && (rc = parse_contract(r, &form, &e)) == KV_OK) {
			c = form;
			c.parties = NULL;
			c.n_parties = 0;
			rc = app_contract_from_award(&r->app, pid, lid, cid, &c, &e);
		}
	} else {
		rc = parse_contract(r, &c, &e);
		if (rc == KV_OK)
			rc = app_contract_create(&r->app, &c, &e);
	}
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, contract_json(r, &c));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		contract_form(r, w, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/contracts/%lld", (long long)c.id));
}

/* ---- one contract --------------------------------------------------------- */

/* A bar chart of the yearly budgets: numbers only, so nothing to escape
 * beyond what html_f does. */
static void budget_chart(struct req *r, sbuf *b, const struct indexed_year *y, int n)
{
	if (n <= 0)
		return;
	int64_t max = 1;
	for (int i = 0; i < n; i++)
		if (y[i].budget_cents > max)
			max = y[i].budget_cents;
	int bw = 48, gap = 16, h = 160, wdt = n * (bw + gap) + gap;
	html_f(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		  "width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>",
	       wdt, h + 40, wdt, h + 40, _("Budget per year"));
	for (int i = 0; i < n; i++) {
		int bh = (int)((y[i].budget_cents * (int64_t)h) / max);
		int x = gap + i * (bw + gap);
		html_f(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b5c8e\"><title>%d: %s</title></rect>"
			  "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
		       x, h - bh + 10, bw, bh, y[i].year, fmt_eur(r, y[i].budget_cents),
		       x + bw / 2, h + 26, y[i].year);
	}
	html_f(b, "</svg>");
	(void)r;
}

struct contract_view {
	struct index_figures *figures;
	int n_figures;
	struct indexed_year *years;
	int n_years;
	struct kv_error index_error;
	struct kpi *kpis;
	int n_kpis;
	struct measurement *m;
	int n_m;
	struct evaluation *evals;
	int n_evals;
};

static enum kv_status load_view(struct req *r, struct contract_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	const struct contract *c = &r->contract;
	enum kv_status rc;
	if ((rc = STORE(r->st, index_figures_list, c->id, r->a, &v->figures, &v->n_figures, e)) != KV_OK ||
	    (rc = STORE(r->st, kpi_list, c->id, r->a, &v->kpis, &v->n_kpis, e)) != KV_OK ||
	    (rc = STORE(r->st, measurements_list, c->id, r->a, &v->m, &v->n_m, e)) != KV_OK ||
	    (rc = STORE(r->st, evaluation_list, c->id, r->a, &v->evals, &v->n_evals, e)) != KV_OK)
		return rc;
	/* The indexed budget up to this year or the contract's last year,
	 * as far as figures go. */
	if (c->budget_cents > 0 && c->base_year) {
		int last = contract_effective_end(c).year;
		int now_year = today(r).year;
		if (last > now_year + 1)
			last = now_year + 1;
		int to = c->base_year;
		for (int y = c->base_year + 1; y <= last; y++) {
			bool have = false;
			for (int i = 0; i < v->n_figures; i++)
				if (v->figures[i].year == y)
					have = true;
			if (!have)
				break;
			to = y;
		}
		index_budget(r->a, c, v->figures, v->n_figures, to, &v->years,
			     &v->n_years, &v->index_error);
	}
	return KV_OK;
}

static const struct evaluation *find_eval(const struct contract_view *v, int after)
{
	for (int i = 0; i < v->n_evals; i++)
		if (v->evals[i].after_year == after)
			return &v->evals[i];
	return NULL;
}

static const char *outcome_label(enum evaluation_outcome o)
{
	switch (o) {
	case EVAL_PENDING: return _("not yet evaluated");
	case EVAL_POSITIVE: return _("positive");
	case EVAL_NEGATIVE: return _("negative");
	}
	return "";
}

/* The latest measurement of a KPI (any area), or NULL. */
static const struct measurement *latest(const struct contract_view *v, int64_t kpi_id,
					const char *area)
{
	const struct measurement *best = NULL;
	for (int i = 0; i < v->n_m; i++) {
		const struct measurement *m = &v->m[i];
		if (m->kpi_id != kpi_id || (area && strcmp(m->area ? m->area : "", area) != 0))
			continue;
		if (!best || strcmp(m->period, best->period) > 0)
			best = m;
	}
	return best;
}

static void contract_page(struct req *r, struct resp *w, struct contract_view *v,
			  const char *err_section, const struct kv_error *e)
{
	const struct contract *c = &r->contract;
	sbuf *b = &w->body;
	bool buyer = r->roles & ROLE_BUYER;
	bool reporter = r->roles & (ROLE_BUYER | ROLE_REPORTER);
	enum contract_status st = contract_status_on(c, today(r));
	layout_begin(r, w, c->title);
	html_f(b, "<p class=\"crumbs\"><a href=\"/contracts\">%s</a> › %s</p><h1>%s <small>%s</small></h1>",
	       _("Contracts"), c->reference, c->title, c->reference);
	if (e && e->status && (!err_section || !*err_section))
		form_error_summary(r, w, e);
	html_f(b, "<dl class=\"facts\"><dt>%s</dt><dd class=\"status-%s\">%s</dd><dt>%s</dt><dd>%s – %s</dd>",
	       _("Status"), contract_status_code(st), contract_status_label(st), _("Term"),
	       date_long(r, c->start), date_long(r, contract_effective_end(c)));
	html_f(b, "<dt>%s</dt><dd>%d / %d (%d %s)</dd>", _("Extension options used"),
	       c->extensions_used, c->extension_options, c->extension_months, _("months each"));
	if (c->budget_cents)
		html_f(b, "<dt>%s</dt><dd>%s (%d)</dd><dt>%s</dt><dd>%s %% %s, %s %% %s</dd>",
		       _("Fixed budget per year"), fmt_eur(r, c->budget_cents), c->base_year,
		       _("Index weights"), pct_text(r, c->wage_weight_bp), _("wages"),
		       pct_text(r, c->price_weight_bp), _("prices"));
	if (c->terminated)
		html_f(b, "<dt>%s</dt><dd>%s: %s (%s %s)</dd>", _("Terminated"),
		       date_long(r, c->terminated_on), c->termination_reason ? c->termination_reason : "",
		       _("decision"), c->termination_decision ? c->termination_decision : "");
	html_f(b, "</dl><h2>%s</h2><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Parties"), _("Organisation"), _("KvK number"), _("Role"));
	for (int i = 0; i < c->n_parties; i++)
		html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
		       c->parties[i].org_name ? c->parties[i].org_name : "",
		       c->parties[i].kvk ? c->parties[i].kvk : "", party_role_label(c->parties[i].role));
	html_f(b, "</tbody></table>");

	/* Status timeline. */
	cal_date due[CONTRACT_MAX_EVALUATIONS];
	int nd = contract_evaluation_dates(c, due);
	html_f(b, "<h2>%s</h2><ol class=\"timeline\"><li class=\"stage done\"><h3>%s</h3><p class=\"when\">%s</p></li>",
	       _("Timeline"), _("Start of the contract"), date_long(r, c->start));
	for (int i = 0; i < nd; i++) {
		const struct evaluation *ev = find_eval(v, c->evaluation_years[i]);
		bool done = ev && ev->outcome != EVAL_PENDING;
		html_f(b, "<li class=\"stage %s\" id=\"evaluation-%d\"><h3>%s</h3><p class=\"when\">%s</p><p>%s</p>",
		       done ? "done" : "planned", c->evaluation_years[i],
		       arena_printf(r->a, _("Evaluation after year %d"), c->evaluation_years[i]),
		       date_long(r, due[i]), outcome_label(ev ? ev->outcome : EVAL_PENDING));
		/* The dossier: KPIs against targets and the budget of that year. */
		html_f(b, "<details><summary>%s</summary><ul>", _("Evaluation dossier"));
		for (int k = 0; k < v->n_kpis; k++) {
			const struct measurement *m = latest(v, v->kpis[k].id, NULL);
			int on = m ? kpi_on_target(&v->kpis[k], m->value_milli) : -1;
			html_f(b, "<li>%s: %s %s (%s) %s</li>", v->kpis[k].name,
			       m ? kpi_value_format(r->a, m->value_milli) : "—",
			       v->kpis[k].unit ? v->kpis[k].unit : "", m ? m->period : "",
			       on == 1 ? _("on target") : on == 0 ? _("target not met") : "");
		}
		for (int y = 0; y < v->n_years; y++)
			if (v->years[y].year == due[i].year - 1 || v->years[y].year == due[i].year)
				html_f(b, "<li>%s %d: %s</li>", _("Budget"), v->years[y].year,
				       fmt_eur(r, v->years[y].budget_cents));
		html_f(b, "</ul>");
		if (ev && ev->notes && *ev->notes)
			html_f(b, "<p>%s</p>", ev->notes);
		if (err_section && strcmp(err_section, arena_printf(r->a, "evaluation-%d", c->evaluation_years[i])) == 0 && e)
			html_f(b, "<p class=\"field-error\" role=\"alert\">%s</p>", e->msg);
		if (buyer)
			html_f(b, "<form method=\"post\" action=\"/contracts/%lld/evaluations\" class=\"form\">%R"
				  "<input type=\"hidden\" name=\"after_year\" value=\"%d\">"
				  "<label>%s <select name=\"outcome\"><option value=\"positive\">%s</option>"
				  "<option value=\"negative\">%s</option><option value=\"pending\">%s</option></select></label>"
				  "<label>%s <textarea name=\"notes\" rows=\"2\">%s</textarea></label>"
				  "<button type=\"submit\">%s</button></form>",
			       (long long)c->id, csrf_input(r), c->evaluation_years[i],
			       _("Outcome"), _("positive"), _("negative"), _("not yet evaluated"),
			       _("Notes"), ev && ev->notes ? ev->notes : "", _("Record evaluation"));
		html_f(b, "</details></li>");
	}
	if (c->terminated)
		html_f(b, "<li class=\"stage done\"><h3>%s</h3><p class=\"when\">%s</p></li>",
		       _("Terminated"), date_long(r, c->terminated_on));
	html_f(b, "<li class=\"stage %s\"><h3>%s</h3><p class=\"when\">%s</p></li></ol>",
	       st == CONTRACT_ENDED ? "done" : "planned", _("End of the contract"),
	       date_long(r, contract_effective_end(c)));

	/* Budget and indexation. */
	html_f(b, "<h2 id=\"budget\">%s</h2>", _("Budget and indexation"));
	if (!c->budget_cents) {
		html_f(b, "<p>%s</p>", _("No fixed budget is recorded for this contract."));
	} else {
		if (v->index_error.status)
			html_f(b, "<p class=\"field-error\">%s</p>", v->index_error.msg);
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Year"), _("Previous year"), _("Index (prognosis)"), _("Indexation"),
		       _("Correction of last year"), _("Budget"));
		for (int i = 0; i < v->n_years; i++) {
			const struct indexed_year *y = &v->years[i];
			html_f(b, "<tr><td>%d</td><td>%s</td><td>%s %%</td><td>%s</td><td>%s</td><td><strong>%s</strong>"
				  "<div class=\"rule\">%s</div></td></tr>",
			       y->year, i ? fmt_eur(r, y->previous_cents) : "—",
			       pct_text(r, y->composite_prognosis_bp), fmt_eur(r, y->indexation_cents),
			       fmt_eur(r, y->correction_cents), fmt_eur(r, y->budget_cents),
			       y->explanation ? y->explanation : "");
		}
		html_f(b, "</tbody></table>");
		budget_chart(r, b, v->years, v->n_years);
		html_f(b, "<h3>%s</h3><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Index figures"), _("Year"), _("Wages, prognosis"), _("Prices, prognosis"),
		       _("Wages, realised"), _("Prices, realised"));
		for (int i = 0; i < v->n_figures; i++) {
			const struct index_figures *f = &v->figures[i];
			html_f(b, "<tr><td>%d</td><td>%s %%</td><td>%s %%</td><td>%s</td><td>%s</td></tr>",
			       f->year, pct_text(r, f->wage_prognosis_bp), pct_text(r, f->price_prognosis_bp),
			       f->has_actual ? arena_printf(r->a, "%s %%", pct_text(r, f->wage_actual_bp)) : "—",
			       f->has_actual ? arena_printf(r->a, "%s %%", pct_text(r, f->price_actual_bp)) : "—");
		}
		html_f(b, "</tbody></table>");
		if (buyer) {
			if (err_section && strcmp(err_section, "index") == 0)
				form_error_summary(r, w, e);
			html_f(b, "<form method=\"post\" action=\"/contracts/%lld/index\" class=\"form inline-form\">%R"
				  "<label>%s <input name=\"year\" inputmode=\"numeric\" size=\"5\"></label>"
				  "<label>%s <input name=\"wage_prognosis\" size=\"6\"></label>"
				  "<label>%s <input name=\"price_prognosis\" size=\"6\"></label>"
				  "<label>%s <input name=\"wage_actual\" size=\"6\"></label>"
				  "<label>%s <input name=\"price_actual\" size=\"6\"></label>"
				  "<button type=\"submit\">%s</button></form>",
			       (long long)c->id, csrf_input(r), _("Year"), _("Wages, prognosis %"),
			       _("Prices, prognosis %"), _("Wages, realised %"), _("Prices, realised %"),
			       _("Save figures"));
		}
	}

	/* KPIs. */
	html_f(b, "<h2 id=\"kpis\">%s</h2>", _("Key performance indicators"));
	if (!v->n_kpis)
		html_f(b, "<p>%s</p>", _("No KPIs are defined for this contract."));
	for (int k = 0; k < v->n_kpis; k++) {
		const struct kpi *kp = &v->kpis[k];
		html_f(b, "<article class=\"kpi\" data-kpi=\"%lld\"><h3>%s</h3><p>%s</p><p class=\"rule\">%s: %s · %s: %s · %s: %s</p>",
		       (long long)kp->id, kp->name, kp->definition ? kp->definition : "",
		       _("Unit"), kp->unit ? kp->unit : "", _("Target"),
		       kp->has_target ? kpi_value_format(r->a, kp->target_milli) : "—",
		       _("Source"), kp->source ? kp->source : "");
		/* One chart per area that has measurements. */
		const char *areas[32];
		int na = 0;
		for (int i = 0; i < v->n_m && na < 32; i++) {
			if (v->m[i].kpi_id != kp->id)
				continue;
			const char *ar = v->m[i].area ? v->m[i].area : "";
			bool seen = false;
			for (int j = 0; j < na; j++)
				if (strcmp(areas[j], ar) == 0)
					seen = true;
			if (!seen)
				areas[na++] = ar;
		}
		for (int j = 0; j < na; j++) {
			int cnt = 0;
			struct measurement *sel = arena_alloc(r->a, (size_t)(v->n_m + 1) * sizeof *sel);
			for (int i = 0; i < v->n_m; i++)
				if (v->m[i].kpi_id == kp->id && strcmp(v->m[i].area ? v->m[i].area : "", areas[j]) == 0)
					sel[cnt++] = v->m[i];
			html_f(b, "<figure><figcaption>%s</figcaption>%R</figure>",
			       *areas[j] ? areas[j] : _("whole municipality"),
			       kpi_trend_svg(r->a, kp, sel, cnt, areas[j], 480, 200));
		}
		html_f(b, "</article>");
	}
	if (reporter && v->n_kpis) {
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/contracts/%lld/measurements\" class=\"form inline-form\" id=\"measure\">%R"
			  "<label>%s <select name=\"kpi_id\">",
		       _("Enter a measurement"), (long long)c->id, csrf_input(r), _("KPI"));
		for (int k = 0; k < v->n_kpis; k++)
			html_f(b, "<option value=\"%lld\">%s</option>", (long long)v->kpis[k].id, v->kpis[k].name);
		html_f(b, "</select></label><label>%s <input name=\"period\" size=\"8\" placeholder=\"2024-Q1\"></label>"
			  "<label>%s <input name=\"area\" size=\"12\"></label>"
			  "<label>%s <input name=\"value\" size=\"8\"></label>"
			  "<button type=\"submit\">%s</button></form>",
		       _("Period"), _("Area (lot or wijk)"), _("Value"), _("Save"));
	}
	if (reporter) {
		html_f(b, "<h3>%s</h3>", _("Import measurements (CSV)"));
		if (err_section && strcmp(err_section, "measurements") == 0)
			form_error_summary(r, w, e);
		html_f(b, "<form method=\"post\" action=\"/contracts/%lld/measurements\" class=\"form\" enctype=\"multipart/form-data\">%R"
			  "<p class=\"rule\">%s</p>"
			  "<label for=\"csv_file\">%s</label><input id=\"csv_file\" name=\"csv_file\" type=\"file\" accept=\".csv,text/csv\">"
			  "<label for=\"csv\">%s</label><textarea id=\"csv\" name=\"csv\" rows=\"5\"></textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       (long long)c->id, csrf_input(r),
		       _("Columns: kpi;periode;gebied;waarde (or kpi,period,area,value). One bad line and nothing is imported."),
		       _("CSV file"), _("or paste the CSV here"), _("Import"));
	}
	if (buyer) {
		html_f(b, "<details><summary>%s</summary>", _("Define a KPI"));
		if (err_section && strcmp(err_section, "kpi") == 0)
			form_error_summary(r, w, e);
		html_f(b, "<form method=\"post\" action=\"/contracts/%lld/kpis\" class=\"form\">%R"
			  "<label>%s <input name=\"name\"></label><label>%s <textarea name=\"definition\" rows=\"2\"></textarea></label>"
			  "<label>%s <input name=\"unit\"></label>"
			  "<label>%s <select name=\"direction\"><option value=\"higher-is-better\">%s</option><option value=\"lower-is-better\">%s</option></select></label>"
			  "<label>%s <input name=\"target\"></label><label>%s <input name=\"source\"></label>"
			  "<label>%s <select name=\"frequency\"><option value=\"quarterly\">%s</option><option value=\"monthly\">%s</option><option value=\"yearly\">%s</option></select></label>"
			  "<button type=\"submit\">%s</button></form></details>",
			(long long)c->id, csrf_input(r), _("Name"), _("Definition"), _("Unit"),
			_("Direction"), _("higher is better"), _("lower is better"), _("Target"), _("Source"),
			_("Frequency"), _("quarterly"), _("monthly"), _("yearly"), _("Add KPI"));
	}

	/* Extension and termination. */
	if (buyer && !c->terminated && st != CONTRACT_ENDED) {
		html_f(b, "<h2>%s</h2>", _("Extend or terminate"));
		if (err_section && strcmp(err_section, "change") == 0)
			form_error_summary(r, w, e);
		if (c->extensions_used < c->extension_options)
			html_f(b, "<form method=\"post\" action=\"/contracts/%lld/extend\" class=\"inline\">%R"
				  "<button type=\"submit\">%s</button></form>",
			       (long long)c->id, csrf_input(r), _("Use an extension option"));
		html_f(b, "<form method=\"post\" action=\"/contracts/%lld/terminate\" class=\"form\">%R"
			  "<label>%s <input type=\"date\" name=\"on\"></label><label>%s <input name=\"reason\"></label>"
			  "<label>%s <input name=\"decision\" placeholder=\"2026/12345\"></label>"
			  "<button type=\"submit\">%s</button></form>",
		       (long long)c->id, csrf_input(r), _("Terminate on"), _("Reason"),
		       _("Decision number"), _("Terminate the contract"));
	}
	layout_end(r, w);
}

static void contract_answer(struct req *r, struct resp *w, enum kv_status rc,
			    const struct kv_error *e, const char *section, const char *anchor)
{
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, e);
			return;
		}
		struct kv_error le = {0};
		if (STORE(r->st, contract_get, r->contract.id, r->a, &r->contract, &le) != KV_OK) {
			resp_error(r, w, &le);
			return;
		}
		resp_json(r, w, 200, contract_json(r, &r->contract));
		return;
	}
	if (rc == KV_OK) {
		resp_redirect(r, w, arena_printf(r->a, "/contracts/%lld%s", (long long)r->contract.id, anchor));
		return;
	}
	struct contract_view v;
	struct kv_error le = {0};
	STORE(r->st, contract_get, r->contract.id, r->a, &r->contract, &le);
	load_view(r, &v, &le);
	w->status = http_status_of(rc);
	contract_page(r, w, &v, section, e);
}

void page_contract(struct req *r, struct resp *w)
{
	struct contract_view v;
	struct kv_error e = {0};
	if (load_view(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		contract_page(r, w, &v, NULL, NULL);
		return;
	}
	json_t *j = contract_json(r, &r->contract);
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
	struct kv_error e = {0};
	cal_date on;
	enum kv_status rc = parse_date_field(r, "on", &on, true, &e);
	if (rc == KV_OK)
		rc = app_contract_terminate(&r->app, r->contract.id, on, in_str(r, "reason"),
					    in_str(r, "decision"), &e);
	contract_answer(r, w, rc, &e, "change", "");
}

void page_contract_extend(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_contract_extend(&r->app, r->contract.id, &e);
	contract_answer(r, w, rc, &e, "change", "");
}

void page_contract_index(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct index_figures f = {0};
	long long y;
	enum kv_status rc = in_int(in_str(r, "year"), 1900, 2200, &y, "year", &e);
	f.year = (int)y;
	if (rc == KV_OK)
		rc = parse_pct(in_str(r, "wage_prognosis"), &f.wage_prognosis_bp, "wage_prognosis", &e);
	if (rc == KV_OK)
		rc = parse_pct(in_str(r, "price_prognosis"), &f.price_prognosis_bp, "price_prognosis", &e);
	const char *wa = in_str(r, "wage_actual"), *pa = in_str(r, "price_actual");
	if (rc == KV_OK && (!in_blank(wa) || !in_blank(pa))) {
		f.has_actual = true;
		rc = parse_pct(wa, &f.wage_actual_bp, "wage_actual", &e);
		if (rc == KV_OK)
			rc = parse_pct(pa, &f.price_actual_bp, "price_actual", &e);
	}
	if (rc == KV_OK)
		rc = app_index_figures_set(&r->app, r->contract.id, &f, &e);
	contract_answer(r, w, rc, &e, "index", "#budget");
}

void page_contract_kpi(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct kpi k = {.contract_id = r->contract.id};
	k.name = (char *)in_str(r, "name");
	k.definition = (char *)in_str(r, "definition");
	k.unit = (char *)in_str(r, "unit");
	k.source = (char *)in_str(r, "source");
	const char *d = in_str(r, "direction"), *f = in_str(r, "frequency"), *t = in_str(r, "target");
	int dir = d ? kpi_direction_from_code(d) : -1, fr = f ? kpi_frequency_from_code(f) : -1;
	enum kv_status rc = KV_OK;
	if (dir < 0)
		rc = kv_fail(&e, KV_INVALID, "direction", _("Choose whether higher or lower is better."));
	else if (fr < 0)
		rc = kv_fail(&e, KV_INVALID, "frequency", _("Choose monthly, quarterly or yearly."));
	k.direction = (enum kpi_direction)(dir < 0 ? 0 : dir);
	k.frequency = (enum kpi_frequency)(fr < 0 ? 0 : fr);
	if (rc == KV_OK && !in_blank(t)) {
		k.has_target = true;
		rc = kpi_value_parse(t, &k.target_milli, "target", &e);
	}
	if (rc == KV_OK)
		rc = app_kpi_create(&r->app, &k, &e);
	contract_answer(r, w, rc, &e, "kpi", "#kpis");
}

void page_contract_measurements(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	const char *csv = in_str(r, "csv_file");
	if (in_blank(csv))
		csv = in_str(r, "csv");
	int n = 0;
	enum kv_status rc;
	if (!in_blank(in_str(r, "kpi_id"))) {
		/* One measurement entered in the form. */
		struct measurement m = {0};
		long long kid;
		const char *period = in_str(r, "period");
		rc = in_int(in_str(r, "kpi_id"), 1, INT64_MAX, &kid, "kpi", &e);
		m.kpi_id = kid;
		if (rc == KV_OK && (in_blank(period) || strlen(period) >= sizeof m.period))
			rc = kv_fail(&e, KV_INVALID, "period",
				     _("Give the period as 2023-05, 2023-Q2 or 2023."));
		if (rc == KV_OK)
			snprintf(m.period, sizeof m.period, "%s", period);
		m.area = (char *)(in_str(r, "area") ? in_str(r, "area") : "");
		if (rc == KV_OK)
			rc = kpi_value_parse(in_str(r, "value"), &m.value_milli, "value", &e);
		if (rc == KV_OK)
			rc = app_measurement_add(&r->app, r->contract.id, &m, &e);
		n = rc == KV_OK ? 1 : 0;
	} else {
		rc = in_blank(csv)
			? kv_fail(&e, KV_INVALID, "csv", _("Choose a CSV file or paste the CSV."))
			: app_measurements_import(&r->app, r->contract.id, csv, strlen(csv), &n, &e);
	}
	if (r->api && rc == KV_OK) {
		resp_json(r, w, 201, json_pack("{s:i}", "imported", n));
		return;
	}
	contract_answer(r, w, rc, &e, "measurements", "#kpis");
}

void page_contract_evaluation(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct evaluation ev = {.contract_id = r->contract.id};
	long long y;
	enum kv_status rc = in_int(in_str(r, "after_year"), 1, 50, &y, "after_year", &e);
	ev.after_year = (int)y;
	const char *o = in_str(r, "outcome");
	int oc = o ? evaluation_outcome_from_code(o) : -1;
	if (rc == KV_OK && oc < 0)
		rc = kv_fail(&e, KV_INVALID, "outcome", _("Choose positive, negative or not yet evaluated."));
	ev.outcome = (enum evaluation_outcome)(oc < 0 ? 0 : oc);
	ev.notes = (char *)in_str(r, "notes");
	ev.decision = (char *)in_str(r, "decision");
	if (rc == KV_OK)
		rc = app_evaluation_put(&r->app, &ev, &e);
	contract_answer(r, w, rc, &e, arena_printf(r->a, "evaluation-%d", ev.after_year),
			arena_printf(r->a, "#evaluation-%d", ev.after_year));
}
