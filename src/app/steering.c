/*
 * steering.c - actions on contracts, budgets, subsidies, organisation
 * forms, KPIs, evaluations and risks; each one transaction with its audit
 * event, like app.c.  The core (core/steering.h) decides what is valid.
 */
#include <sodium.h>
#include <stddef.h>
#include <string.h>

#include "core/validate.h"
#include "internal.h"

static const char *contract_object(struct app *x, int64_t id)
{
	return arena_printf(x->a, "contract/%lld", (long long)id);
}

static json_t *contract_json(const struct contract *c)
{
	char s[16], t[16];
	json_t *parties = json_array();
	for (int i = 0; i < c->n_parties; i++)
		json_array_append_new(parties, json_pack("{s:s, s:s}", "kvk",
			c->parties[i].kvk ? c->parties[i].kvk : "", "role",
			party_role_code(c->parties[i].role)));
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:I, s:i, s:i, s:i, s:b, s:o}",
		"reference", c->reference, "title", c->title,
		"start", cal_format_date(c->start, s), "end", cal_format_date(c->end, t),
		"extension_options", c->extension_options,
		"extension_months", c->extension_months,
		"extensions_used", c->extensions_used,
		"budget_cents", (json_int_t)c->budget_cents, "base_year", c->base_year,
		"wage_weight_bp", c->wage_weight_bp, "price_weight_bp", c->price_weight_bp,
		"terminated", c->terminated, "parties", parties);
}

enum kv_status app_contract_create(struct app *x, struct contract *c,
				   struct kv_error *e)
{
	enum kv_status rc = contract_check(c, e);
	if (rc != KV_OK)
		return rc;
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	rc = app_resolve_parties(x, c->parties, c->n_parties, "parties", e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_create, c, e);
	if (rc == KV_OK)
		rc = app_audit(x, c->tenant_id, "contract.create",
			       contract_object(x, c->id), NULL,
			       app_json_text(x->a, contract_json(c)), e);
	return app_finish(x, rc, e);
}

enum kv_status app_contract_from_award(struct app *x, int64_t procedure_id,
				       int64_t lot_id, int64_t candidate_id,
				       struct contract *c, struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc != KV_OK)
		return rc;
	bool awarded = false, lot_found = false;
	for (int i = 0; i < p.n_stages; i++)
		if (p.stages[i].kind == SK_DEFINITIVE_AWARD &&
		    p.stages[i].status == STAGE_COMPLETED)
			awarded = true;
	for (int i = 0; i < p.n_lots; i++)
		if (p.lots[i].id == lot_id) {
			lot_found = true;
			if (!c->title)
				c->title = p.lots[i].title;
			if (!c->budget_cents && p.lots[i].fixed_budget)
				c->budget_cents = p.lots[i].value_cents;
		}
	if (!lot_found)
		return kv_fail(e, KV_NOT_FOUND, "lot_id", _("This procedure has no such lot."));
	if (!awarded)
		return kv_fail(e, KV_DENIED, "procedure_id",
			       _("A contract can be made from a lot only after the definitive award."));
	struct candidate *cs = NULL;
	int nc = 0;
	if ((rc = STORE(x->st, candidate_list, procedure_id, x->a, &cs, &nc, e)) != KV_OK)
		return rc;
	const struct candidate *win = NULL;
	for (int i = 0; i < nc; i++)
		if (cs[i].id == candidate_id)
			win = &cs[i];
	if (!win)
		return kv_fail(e, KV_NOT_FOUND, "candidate_id",
			       _("This procedure has no such candidate."));
	c->tenant_id = p.tenant_id;
	c->procedure_id = procedure_id;
	c->lot_id = lot_id;
	c->parties = win->parties;
	c->n_parties = win->n_parties;
	return app_contract_create(x, c, e);
}

/* Load, change by fn, save, audit: the shape of the contract actions. */
static enum kv_status contract_change(struct app *x, int64_t id,
				      const char *action,
				      enum kv_status (*fn)(struct contract *c, void *ctx, struct kv_error *e),
				      void *ctx, struct kv_error *e)
{
	struct contract c;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_get, id, x->a, &c, e);
	const char *before = rc == KV_OK ? app_json_text(x->a, contract_json(&c)) : NULL;
	if (rc == KV_OK)
		rc = fn(&c, ctx, e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_update, &c, e);
	if (rc == KV_OK)
		rc = app_audit(x, c.tenant_id, action, contract_object(x, id), before,
			       app_json_text(x->a, contract_json(&c)), e);
	return app_finish(x, rc, e);
}

struct termination { cal_date on; const char *reason, *decision; };

static enum kv_status do_terminate(struct contract *c, void *ctx, struct kv_error *e)
{
	struct termination *t = ctx;
	return contract_terminate(c, t->on, t->reason, t->decision, e);
}

enum kv_status app_contract_terminate(struct app *x, int64_t contract_id,
				      cal_date on, const char *reason,
				      const char *decision, struct kv_error *e)
{
	struct termination t = {on, reason, decision};
	return contract_change(x, contract_id, "contract.terminate", do_terminate, &t, e);
}

static enum kv_status do_extend(struct contract *c, void *ctx, struct kv_error *e)
{
	(void)ctx;
	return contract_extend(c, e);
}

enum kv_status app_contract_extend(struct app *x, int64_t contract_id,
				   struct kv_error *e)
{
	return contract_change(x, contract_id, "contract.extend", do_extend, NULL, e);
}

enum kv_status app_index_figures_set(struct app *x, int64_t contract_id,
				     const struct index_figures *f,
				     struct kv_error *e)
{
	if (f->year < 1900 || f->year > 2200)
		return kv_fail(e, KV_INVALID, "year", _("Give a year from 1900 to 2200."));
	static const struct { const char *field; size_t off; } pct[] = {
		{"wage_prognosis", offsetof(struct index_figures, wage_prognosis_bp)},
		{"price_prognosis", offsetof(struct index_figures, price_prognosis_bp)},
		{"wage_actual", offsetof(struct index_figures, wage_actual_bp)},
		{"price_actual", offsetof(struct index_figures, price_actual_bp)},
	};
	for (size_t i = 0; i < sizeof pct / sizeof *pct; i++) {
		int v = *(const int *)((const char *)f + pct[i].off);
		if (v < -5000 || v > 5000)
			return kv_fail(e, KV_INVALID, pct[i].field,
				       _("An index figure lies between -50 %% and 50 %%."));
	}
	struct contract c;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_get, contract_id, x->a, &c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, index_figures_set, contract_id, f, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:i, s:i, s:b, s:i, s:i}", "year", f->year,
				      "wage_prognosis_bp", f->wage_prognosis_bp,
				      "price_prognosis_bp", f->price_prognosis_bp,
				      "has_actual", f->has_actual,
				      "wage_actual_bp", f->wage_actual_bp,
				      "price_actual_bp", f->price_actual_bp);
		rc = app_audit(x, c.tenant_id, "contract.index",
			       contract_object(x, contract_id), NULL,
			       app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_frame_import(struct app *x, int64_t tenant_id,
				const char *title, const char *source,
				const char *csv, size_t len, bool thousands,
				struct budget_frame *out, struct kv_error *e)
{
	if (text_check(title, 200, "title", e) != KV_OK)
		return e->status;
	enum kv_status rc = frame_parse_csv(x->a, csv, len, thousands, out, e);
	if (rc != KV_OK)
		return rc;
	out->tenant_id = tenant_id;
	out->title = (char *)title;
	out->source = (char *)(source ? source : "");
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	rc = STORE(x->st, frame_create, out, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:i, s:i, s:i}", "title", title,
				      "first_year", out->first_year, "years",
				      out->n_years, "rows", out->n_rows);
		rc = app_audit(x, tenant_id, "frame.import",
			       arena_printf(x->a, "frame/%lld", (long long)out->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

static json_t *subsidy_json(const struct subsidy *s)
{
	return json_pack("{s:I, s:s, s:s, s:i, s:i, s:I, s:s, s:s, s:b, s:i}",
			 "recipient", (json_int_t)s->recipient_org_id,
			 "purpose", s->purpose ? s->purpose : "",
			 "kind", subsidy_kind_code(s->kind), "from", s->from_year,
			 "to", s->to_year, "cents_per_year", (json_int_t)s->cents_per_year,
			 "decision", s->decision ? s->decision : "",
			 "end_decision", s->end_decision ? s->end_decision : "",
			 "phase_out", s->phase_out, "phase_out_years", s->phase_out_years);
}

/* Checks, stores and audits a new subsidy, inside the caller's write
 * transaction. */
static enum kv_status subsidy_insert(struct app *x, struct subsidy *s,
				     struct kv_error *e)
{
	enum kv_status rc = subsidy_check(s, e);
	if (rc == KV_OK)
		rc = STORE(x->st, subsidy_create, s, e);
	if (rc == KV_OK)
		rc = app_audit(x, s->tenant_id, "subsidy.create",
			       arena_printf(x->a, "subsidy/%lld", (long long)s->id),
			       NULL, app_json_text(x->a, subsidy_json(s)), e);
	return rc;
}

enum kv_status app_subsidy_create(struct app *x, struct subsidy *s,
				  struct kv_error *e)
{
	enum kv_status rc = subsidy_check(s, e);
	if (rc != KV_OK)
		return rc;
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	return app_finish(x, subsidy_insert(x, s, e), e);
}

enum kv_status app_subsidy_record(struct app *x, struct subsidy *s,
				  const char *recipient_kvk,
				  const char *recipient_name,
				  struct kv_error *e)
{
	enum kv_status rc = kvk_check(recipient_kvk, "recipient_kvk", e);
	if (rc != KV_OK)
		return rc;
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	struct org o;
	rc = STORE(x->st, org_by_kvk, recipient_kvk, x->a, &o, e);
	if (rc == KV_NOT_FOUND) {
		/* A recipient new to Kavel is registered as a supplier. */
		o = (struct org){.name = (char *)recipient_name, .kvk = (char *)recipient_kvk,
				 .kind = ORG_SUPPLIER, .created_at = x->now};
		rc = text_check(o.name, 200, "recipient_name", e);
		if (rc == KV_OK)
			rc = STORE(x->st, org_create, &o, e);
		if (rc == KV_OK) {
			json_t *j = json_pack("{s:s, s:s, s:s}", "name", o.name, "kvk",
					      o.kvk, "kind", org_kind_code(o.kind));
			rc = app_audit(x, 0, "org.create",
				       arena_printf(x->a, "org/%lld", (long long)o.id),
				       NULL, app_json_text(x->a, j), e);
		}
	}
	s->recipient_org_id = rc == KV_OK ? o.id : 0;
	if (rc == KV_OK)
		rc = subsidy_insert(x, s, e);
	return app_finish(x, rc, e);
}

/* Load one subsidy of the tenant, change it by fn, save, audit. */
static enum kv_status subsidy_change(struct app *x, int64_t tenant_id,
				     int64_t subsidy_id, const char *action,
				     enum kv_status (*fn)(struct subsidy *s, void *ctx, struct kv_error *e),
				     void *ctx, struct kv_error *e)
{
	struct subsidy *list = NULL, *s = NULL;
	int n = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, subsidy_list, tenant_id, x->a, &list, &n, e);
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (list[i].id == subsidy_id)
			s = &list[i];
	if (rc == KV_OK && !s)
		rc = kv_fail(e, KV_NOT_FOUND, "", _("There is no such subsidy."));
	const char *before = rc == KV_OK ? app_json_text(x->a, subsidy_json(s)) : NULL;
	if (rc == KV_OK)
		rc = fn(s, ctx, e);
	if (rc == KV_OK)
		rc = STORE(x->st, subsidy_update, s, e);
	if (rc == KV_OK)
		rc = app_audit(x, tenant_id, action,
			       arena_printf(x->a, "subsidy/%lld", (long long)subsidy_id),
			       before, app_json_text(x->a, subsidy_json(s)), e);
	return app_finish(x, rc, e);
}

struct subsidy_end { int year; const char *decision; const struct subsidy *phase_out; };

static enum kv_status do_extend_subsidy(struct subsidy *s, void *ctx, struct kv_error *e)
{
	const struct subsidy_end *c = ctx;
	return subsidy_extend(s, c->year, c->decision, e);
}

static enum kv_status do_end_subsidy(struct subsidy *s, void *ctx, struct kv_error *e)
{
	const struct subsidy_end *c = ctx;
	return subsidy_terminate(s, c->year, c->decision, c->phase_out, e);
}

enum kv_status app_subsidy_extend(struct app *x, int64_t tenant_id,
				  int64_t subsidy_id, int to_year,
				  const char *decision, struct kv_error *e)
{
	struct subsidy_end c = {to_year, decision, NULL};
	return subsidy_change(x, tenant_id, subsidy_id, "subsidy.extend",
			      do_extend_subsidy, &c, e);
}

enum kv_status app_subsidy_terminate(struct app *x, int64_t tenant_id,
				     int64_t subsidy_id, int last_year,
				     const char *decision,
				     const struct subsidy *phase_out,
				     struct kv_error *e)
{
	struct subsidy_end c = {last_year, decision, phase_out};
	return subsidy_change(x, tenant_id, subsidy_id, "subsidy.terminate",
			      do_end_subsidy, &c, e);
}

enum kv_status app_form_period_create(struct app *x, struct form_period *p,
				      struct kv_error *e)
{
	struct form_period *others = NULL;
	int n = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, form_period_list, p->tenant_id, x->a, &others, &n, e);
	if (rc == KV_OK)
		rc = form_period_check(p, others, n, e);
	if (rc == KV_OK)
		rc = STORE(x->st, form_period_create, p, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:i, s:i, s:s, s:s}", "assignment",
				      p->assignment, "from", p->from_year, "to",
				      p->to_year, "form", org_form_code(p->form),
				      "parties", p->parties ? p->parties : "");
		rc = app_audit(x, p->tenant_id, "form.create",
			       arena_printf(x->a, "form/%lld", (long long)p->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_kpi_create(struct app *x, struct kpi *k, struct kv_error *e)
{
	enum kv_status rc = kpi_check(k, e);
	if (rc != KV_OK)
		return rc;
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	struct contract c;
	rc = STORE(x->st, contract_get, k->contract_id, x->a, &c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, kpi_create, k, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "name", k->name,
				      "unit", k->unit ? k->unit : "", "direction",
				      kpi_direction_code(k->direction), "frequency",
				      kpi_frequency_code(k->frequency));
		rc = app_audit(x, c.tenant_id, "kpi.create",
			       arena_printf(x->a, "contract/%lld/kpi/%lld",
					    (long long)c.id, (long long)k->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_measurements_import(struct app *x, int64_t contract_id,
				       const char *csv, size_t len, int *n,
				       struct kv_error *e)
{
	enum kv_status rc = app_begin(x, e);
	if (rc != KV_OK)
		return rc;
	struct contract c;
	struct kpi *kpis = NULL;
	int nk = 0;
	struct measurement *m = NULL;
	*n = 0;
	rc = STORE(x->st, contract_get, contract_id, x->a, &c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, kpi_list, contract_id, x->a, &kpis, &nk, e);
	if (rc == KV_OK)
		rc = measurements_parse_csv(x->a, kpis, nk, csv, len, &m, n, e);
	if (rc == KV_OK)
		rc = STORE(x->st, measurements_put, m, *n, e);
	if (rc == KV_OK) {
		unsigned char h[32];
		crypto_hash_sha256(h, (const unsigned char *)csv, len);
		json_t *j = json_pack("{s:i, s:s}", "rows", *n, "sha256",
				      app_hex(x->a, h, sizeof h));
		rc = app_audit(x, c.tenant_id, "kpi.import",
			       arena_printf(x->a, "contract/%lld/measurements",
					    (long long)contract_id),
			       NULL, app_json_text(x->a, j), e);
	}
	if (rc != KV_OK)
		*n = 0;
	return app_finish(x, rc, e);
}

enum kv_status app_measurement_add(struct app *x, int64_t contract_id,
				   struct measurement *m, struct kv_error *e)
{
	struct contract c;
	struct kpi *kpis = NULL, *k = NULL;
	int nk = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_get, contract_id, x->a, &c, e);
	if (rc == KV_OK)
		rc = STORE(x->st, kpi_list, contract_id, x->a, &kpis, &nk, e);
	for (int i = 0; rc == KV_OK && i < nk; i++)
		if (kpis[i].id == m->kpi_id)
			k = &kpis[i];
	if (rc == KV_OK && !k)
		rc = kv_fail(e, KV_INVALID, "kpi", _("This contract has no such KPI."));
	if (rc == KV_OK)
		rc = kpi_period_check(k->frequency, m->period, "period", e);
	if (rc == KV_OK && m->area && *m->area)
		rc = text_check(m->area, 120, "area", e);
	if (rc == KV_OK)
		rc = STORE(x->st, measurements_put, m, 1, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:I}", "kpi", k->name, "period", m->period,
				      "area", m->area ? m->area : "", "value_milli",
				      (json_int_t)m->value_milli);
		rc = app_audit(x, c.tenant_id, "kpi.measure",
			       arena_printf(x->a, "contract/%lld/measurements",
					    (long long)contract_id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_evaluation_put(struct app *x, struct evaluation *ev,
				  struct kv_error *e)
{
	if (ev->outcome == EVAL_NEGATIVE && (!ev->notes || !*ev->notes))
		return kv_fail(e, KV_INVALID, "notes",
			       _("A negative evaluation needs its reasons in the notes."));
	struct contract c;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = STORE(x->st, contract_get, ev->contract_id, x->a, &c, e);
	bool known = false;
	for (int i = 0; rc == KV_OK && i < c.n_evaluations; i++)
		if (c.evaluation_years[i] == ev->after_year)
			known = true;
	if (rc == KV_OK && !known)
		rc = kv_fail(e, KV_INVALID, "after_year",
			     _("The contract has no evaluation after year %d."), ev->after_year);
	if (rc == KV_OK) {
		cal_date due[CONTRACT_MAX_EVALUATIONS];
		int nd = contract_evaluation_dates(&c, due);
		for (int i = 0; i < nd && i < c.n_evaluations; i++)
			if (c.evaluation_years[i] == ev->after_year)
				ev->due = due[i];
		rc = STORE(x->st, evaluation_put, ev, e);
	}
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:s, s:s, s:s}", "after_year", ev->after_year,
				      "outcome", evaluation_outcome_code(ev->outcome),
				      "notes", ev->notes ? ev->notes : "",
				      "decision", ev->decision ? ev->decision : "");
		rc = app_audit(x, c.tenant_id, "evaluation.put",
			       arena_printf(x->a, "contract/%lld/evaluation/%d",
					    (long long)c.id, ev->after_year),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_risk_create(struct app *x, struct risk *r, struct kv_error *e)
{
	enum kv_status rc = risk_check(r, e);
	if (rc != KV_OK)
		return rc;
	if ((rc = app_begin(x, e)) != KV_OK)
		return rc;
	rc = STORE(x->st, risk_create, r, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "title", r->title,
				      "level", risk_level_code(r->level),
				      "mitigation", r->mitigation ? r->mitigation : "");
		rc = app_audit(x, r->tenant_id, "risk.create",
			       arena_printf(x->a, "risk/%lld", (long long)r->id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}
