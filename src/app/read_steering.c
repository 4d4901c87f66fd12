/*
 * read_steering.c - the read models of the steering pages (read_steering.h):
 * the store's rows with what the core derives from them (status today,
 * indexed budget, latest KPI figures, commitments against the frames),
 * assembled once here so the pages and the PDF only lay them out.
 */
#include <string.h>

#include "read_steering.h"
#include "store/store.h"

#include "attention.h"

cal_date app_today(const struct app *x)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(x->now, &d, &h, &m, &s, &off);
	return d;
}

/* The name of the contract's lead party, "" when it has none. */
static const char *penvoerder_of(const struct contract *c)
{
	const char *pv = "";
	for (int j = 0; j < c->n_parties; j++)
		if (c->parties[j].role == PARTY_PENVOERDER)
			pv = c->parties[j].org_name ? c->parties[j].org_name : "";
	return pv;
}

/* ---- contracts ------------------------------------------------------------ */

enum kv_status app_contracts_view(struct app *x, const struct grant *grants,
				  int n_grants, struct contract_summary **out,
				  int *n, struct kv_error *e)
{
	struct contract *list = NULL;
	int nl = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, contract_list, 0, x->a, &list, &nl, e);
	if (rc != KV_OK)
		return rc;
	cal_date today = app_today(x);
	*out = arena_alloc(x->a, (size_t)(nl + 1) * sizeof **out);
	for (int i = 0; i < nl; i++) {
		const struct contract *c = &list[i];
		if (!role_on_contract(grants, n_grants, c->tenant_id, c->id))
			continue;
		(*out)[(*n)++] = (struct contract_summary){
			.c = c, .penvoerder = penvoerder_of(c),
			.effective_end = contract_effective_end(c),
			.status = contract_status_on(c, today)};
	}
	return KV_OK;
}

enum kv_status app_contract_get(struct app *x, int64_t id,
				struct contract *out, struct kv_error *e)
{
	return STORE(x->st, contract_get, id, x->a, out, e);
}

/* The last year the contract page indexes: this year's successor or the
 * contract's last year, whichever comes first, and no further than the
 * index figures go without a gap. */
static int index_to_year(const struct contract_view *v)
{
	const struct contract *c = &v->c;
	int last = v->effective_end.year;
	if (last > v->today.year + 1)
		last = v->today.year + 1;
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
	return to;
}

/* The measurement with the latest period of a KPI (any area), or NULL. */
static const struct measurement *latest_of(const struct measurement *m, int n,
					   int64_t kpi_id)
{
	const struct measurement *best = NULL;
	for (int i = 0; i < n; i++)
		if (m[i].kpi_id == kpi_id && (!best || strcmp(m[i].period, best->period) > 0))
			best = &m[i];
	return best;
}

/* A KPI's measurements split by area, in the order the areas first
 * appear. */
static void kpi_areas(arena *a, const struct contract_view *v,
		      struct kpi_view *kv)
{
	const char *areas[KPI_VIEW_AREAS];
	int na = 0;
	for (int i = 0; i < v->n_m && na < KPI_VIEW_AREAS; i++) {
		if (v->m[i].kpi_id != kv->k->id)
			continue;
		const char *ar = v->m[i].area ? v->m[i].area : "";
		bool seen = false;
		for (int j = 0; j < na; j++)
			if (strcmp(areas[j], ar) == 0)
				seen = true;
		if (!seen)
			areas[na++] = ar;
	}
	kv->areas = arena_alloc(a, (size_t)(na + 1) * sizeof *kv->areas);
	kv->n_areas = na;
	for (int j = 0; j < na; j++) {
		struct measurement *sel = arena_alloc(a, (size_t)(v->n_m + 1) * sizeof *sel);
		int cnt = 0;
		for (int i = 0; i < v->n_m; i++)
			if (v->m[i].kpi_id == kv->k->id &&
			    strcmp(v->m[i].area ? v->m[i].area : "", areas[j]) == 0)
				sel[cnt++] = v->m[i];
		kv->areas[j] = (struct kpi_area){.area = areas[j], .m = sel, .n = cnt};
	}
}

enum kv_status app_contract_view(struct app *x, int64_t contract_id,
				 struct contract_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	enum kv_status rc;
	if ((rc = STORE(x->st, contract_get, contract_id, x->a, &v->c, e)) != KV_OK ||
	    (rc = STORE(x->st, index_figures_list, contract_id, x->a, &v->figures, &v->n_figures, e)) != KV_OK ||
	    (rc = STORE(x->st, kpi_list, contract_id, x->a, &v->kpis, &v->n_kpis, e)) != KV_OK ||
	    (rc = STORE(x->st, measurements_list, contract_id, x->a, &v->m, &v->n_m, e)) != KV_OK ||
	    (rc = STORE(x->st, evaluation_list, contract_id, x->a, &v->evals, &v->n_evals, e)) != KV_OK)
		return rc;
	const struct contract *c = &v->c;
	v->today = app_today(x);
	v->effective_end = contract_effective_end(c);
	v->status = contract_status_on(c, v->today);
	if (c->budget_cents > 0 && c->base_year)
		index_budget(x->a, c, v->figures, v->n_figures, index_to_year(v),
			     &v->years, &v->n_years, &v->index_error);

	v->kv = arena_alloc(x->a, (size_t)(v->n_kpis + 1) * sizeof *v->kv);
	for (int k = 0; k < v->n_kpis; k++) {
		struct kpi_view *kv = &v->kv[k];
		kv->k = &v->kpis[k];
		kpi_areas(x->a, v, kv);
		kv->latest = latest_of(v->m, v->n_m, kv->k->id);
		kv->on_target = kv->latest ? kpi_on_target(kv->k, kv->latest->value_milli) : -1;
	}

	cal_date due[CONTRACT_MAX_EVALUATIONS];
	int nd = contract_evaluation_dates(c, due);
	v->moments = arena_alloc(x->a, (size_t)(nd + 1) * sizeof *v->moments);
	v->n_moments = nd;
	for (int i = 0; i < nd; i++) {
		struct evaluation_moment *mo = &v->moments[i];
		mo->after_year = c->evaluation_years[i];
		mo->due = due[i];
		for (int j = 0; j < v->n_evals; j++)
			if (v->evals[j].after_year == mo->after_year && !mo->record)
				mo->record = &v->evals[j];
		mo->done = mo->record && mo->record->outcome != EVAL_PENDING;
		for (int y = 0; y < v->n_years && mo->n_budget < 2; y++)
			if (v->years[y].year == due[i].year - 1 || v->years[y].year == due[i].year)
				mo->budget[mo->n_budget++] = &v->years[y];
	}
	return KV_OK;
}

/* ---- budget, subsidies, organisation forms ------------------------------- */

/* What contracts (their base budget, each year of their term) and
 * subsidies (with their phase-out) commit per year. */
static int commitments(arena *a, const struct contract *cs, int nc,
		       const struct subsidy *subs, int ns,
		       struct commitment **out)
{
	int cap = 0, n = 0;
	for (int i = 0; i < nc; i++)
		if (cs[i].budget_cents > 0)
			cap += contract_effective_end(&cs[i]).year - cs[i].start.year + 1;
	for (int i = 0; i < ns; i++)
		cap += subs[i].to_year - subs[i].from_year + 1 + SUBSIDY_MAX_PHASE_YEARS;
	*out = arena_alloc(a, (size_t)(cap + 1) * sizeof **out);
	for (int i = 0; i < nc; i++) {
		const struct contract *c = &cs[i];
		if (c->budget_cents <= 0)
			continue;
		for (int y = c->start.year; y <= contract_effective_end(c).year && n < cap; y++)
			(*out)[n++] = (struct commitment){c->reference, y, c->budget_cents};
	}
	for (int i = 0; i < ns; i++) {
		const struct subsidy *s = &subs[i];
		for (int y = s->from_year; y <= s->to_year + SUBSIDY_MAX_PHASE_YEARS && n < cap; y++) {
			int64_t amount = subsidy_amount_in(s, y);
			if (amount > 0)
				(*out)[n++] = (struct commitment){s->purpose ? s->purpose : "", y, amount};
		}
	}
	return n;
}

enum kv_status app_budget_view(struct app *x, int64_t tenant_id,
			       struct budget_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	struct budget_frame *fs = NULL;
	struct subsidy *subs = NULL;
	struct contract *cs = NULL;
	int nf = 0, ns = 0, nc = 0;
	enum kv_status rc;
	if ((rc = STORE(x->st, frame_list, tenant_id, x->a, &fs, &nf, e)) != KV_OK ||
	    (rc = STORE(x->st, subsidy_list, tenant_id, x->a, &subs, &ns, e)) != KV_OK ||
	    (rc = STORE(x->st, contract_list, tenant_id, x->a, &cs, &nc, e)) != KV_OK)
		return rc;
	v->year = app_today(x).year;
	struct commitment *cm = NULL;
	int ncm = commitments(x->a, cs, nc, subs, ns, &cm);
	v->frames = arena_alloc(x->a, (size_t)(nf + 1) * sizeof *v->frames);
	v->n_frames = nf;
	for (int i = 0; i < nf; i++) {
		struct frame_view *f = &v->frames[i];
		f->f = &fs[i];
		frame_totals(&fs[i], f->totals);
		f->n_warnings = frame_check(x->a, &fs[i], cm, ncm, &f->warnings);
	}
	v->subs = arena_alloc(x->a, (size_t)(ns + 1) * sizeof *v->subs);
	v->n_subs = ns;
	for (int i = 0; i < ns; i++)
		v->subs[i] = (struct subsidy_view){
			.s = &subs[i], .state = subsidy_state_in(&subs[i], v->year),
			.cents_this_year = subsidy_amount_in(&subs[i], v->year)};
	return KV_OK;
}

enum kv_status app_frame_get(struct app *x, int64_t tenant_id, int64_t id,
			     struct budget_frame *out, struct kv_error *e)
{
	if (STORE(x->st, frame_get, id, x->a, out, e) != KV_OK || out->tenant_id != tenant_id)
		return kv_fail(e, KV_NOT_FOUND, "", _("There is no such budget frame."));
	return KV_OK;
}

enum kv_status app_subsidy_get(struct app *x, int64_t tenant_id, int64_t id,
			       struct subsidy *out, struct kv_error *e)
{
	struct subsidy *list = NULL;
	int n = 0;
	enum kv_status rc = STORE(x->st, subsidy_list, tenant_id, x->a, &list, &n, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < n; i++)
		if (list[i].id == id) {
			*out = list[i];
			return KV_OK;
		}
	return kv_fail(e, KV_NOT_FOUND, "", _("There is no such subsidy."));
}

enum kv_status app_history_view(struct app *x, int64_t tenant_id,
				struct history_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	enum kv_status rc = STORE(x->st, form_period_list, tenant_id, x->a,
				  &v->periods, &v->n, e);
	if (rc != KV_OK)
		return rc;
	v->groups = arena_alloc(x->a, (size_t)(v->n + 1) * sizeof *v->groups);
	for (int i = 0; i < v->n; i++) {
		struct assignment_history *g = v->n_groups ? &v->groups[v->n_groups - 1] : NULL;
		if (!g || strcmp(g->assignment, v->periods[i].assignment) != 0) {
			g = &v->groups[v->n_groups++];
			*g = (struct assignment_history){.assignment = v->periods[i].assignment,
							 .periods = &v->periods[i]};
		}
		g->n++;
	}
	return KV_OK;
}

/* ---- the council report ----------------------------------------------------- */

static const char *report_stage_label(struct app *x, const struct stage *s)
{
	if (s->kind == SK_DIALOGUE_ROUND)
		return arena_printf(x->a, "%s %d", stage_kind_label(s->kind), s->round);
	return stage_kind_label(s->kind);
}

static const struct stage *stage_by_id(const struct procedure *p, int64_t id)
{
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].id == id)
			return &p->stages[i];
	return NULL;
}

static const struct condition *condition_by_id(const struct decision *ds, int nd,
					       int64_t id, const struct decision **which)
{
	for (int i = 0; i < nd; i++)
		for (int k = 0; k < ds[i].n_conditions; k++)
			if (ds[i].conditions[k].id == id) {
				*which = &ds[i];
				return &ds[i].conditions[k];
			}
	return NULL;
}

/* The attention column of p: the items of the council's attention list
 * about p, each in a few words; an overdue item stands for every stage
 * it counts, each with how late it is. */
static void report_attention_of(struct app *x, const struct procedure *p,
				const struct decision *ds, int nd,
				const struct attention_list *al,
				struct report_procedure *rp)
{
	int cap = 0;
	for (int i = 0; i < al->n; i++)
		if (al->items[i].procedure_id == p->id)
			cap += al->items[i].kind == ATT_LATE ? p->n_stages : 1;
	struct report_attention *out = arena_alloc(x->a, sizeof *out * (size_t)(cap + 1));
	int n = 0;
	for (int i = 0; i < al->n; i++) {
		const struct att_item *it = &al->items[i];
		if (it->procedure_id != p->id)
			continue;
		const char *code = att_kind_code(it->kind);
		if (it->kind == ATT_LATE) {
			/* The attention list's rule (att_late_stages): not
			 * completed, its end passed. */
			for (int k = 0; k < p->n_stages; k++) {
				const struct stage *s = &p->stages[k];
				if (s->status == STAGE_COMPLETED || !s->end || s->end >= x->now)
					continue;
				int64_t late = -att_day_diff(x->now, s->end);
				const char *what = report_stage_label(x, s);
				out[n++] = (struct report_attention){
					.kind = code, .days = late,
					.text = late <= 0
						? arena_printf(x->a, _("%s: ended today"), what)
						: arena_printf(x->a, ngettext("%s: %lld day late",
									      "%s: %lld days late",
									      (unsigned long)late),
							       what, (long long)late)};
			}
			continue;
		}
		if (it->kind == ATT_DEADLINE) {
			const struct stage *s = it->object_id ? stage_by_id(p, it->object_id) : NULL;
			if (s) {
				const char *what = report_stage_label(x, s);
				out[n++] = (struct report_attention){
					.kind = code, .days = it->days,
					.text = it->days <= 0
						? arena_printf(x->a, _("%s: ends today"), what)
						: arena_printf(x->a, ngettext("%s: ends in %lld day",
									      "%s: ends in %lld days",
									      (unsigned long)it->days),
							       what, (long long)it->days)};
				continue;
			}
		}
		if (it->kind == ATT_CONDITION) {
			const struct decision *d = NULL;
			const struct condition *c = condition_by_id(ds, nd, it->object_id, &d);
			if (c) {
				out[n++] = (struct report_attention){
					.kind = code,
					.text = arena_printf(x->a, _("Open condition, decision %s: %s"),
							     d->number, c->description)};
				continue;
			}
		}
		out[n++] = (struct report_attention){.kind = code, .text = it->text,
						     .days = it->dated ? it->days : 0};
	}
	rp->attention = out;
	rp->n_attention = n;
}

/* Now and next by the clock, as the timeline page reads them
 * (proc_stage_state): the stages running now, the first stage starting
 * after now. */
static void report_now_next(struct app *x, const struct procedure *p,
			    const struct timeline_view *tv,
			    struct report_procedure *rp)
{
	const char *now = "";
	rp->days_left = -1;
	for (int k = 0; k < p->n_stages; k++) {
		const struct stage *s = &p->stages[k];
		if (proc_stage_state(s, x->now) != STATE_RUNNING)
			continue;
		const char *what = report_stage_label(x, s);
		now = *now ? arena_printf(x->a, "%s; %s", now, what) : what;
		if (rp->days_left < 0 && s->end > x->now)
			rp->days_left = (s->end - x->now + 86400 - 1) / 86400;
	}
	rp->current_stage = tv->current < 0 ? _("completed") : now;
	const struct stage *next = tv->next >= 0 ? &p->stages[tv->next] : NULL;
	rp->next_stage = next ? report_stage_label(x, next) : "";
	rp->next_when = next && next->start ? cal_format_local(x->a, next->start) : "";
}

static enum kv_status report_procedures(struct app *x, int64_t account_id,
					int64_t tenant_id,
					struct council_report *rep,
					struct kv_error *e)
{
	struct procedure_summary *ps = NULL;
	int np = 0;
	enum kv_status rc = STORE(x->st, procedure_visible, account_id, x->a, &ps, &np, e);
	if (rc != KV_OK)
		return rc;
	/* The attention column reads the council's attention list. */
	struct attention_list al;
	if ((rc = app_attention_for_tenant(x, account_id, tenant_id, &al, e)) != KV_OK)
		return rc;
	rep->procedures = arena_alloc(x->a, (size_t)(np + 1) * sizeof *rep->procedures);
	for (int i = 0; i < np; i++) {
		if (ps[i].tenant_id != tenant_id)
			continue;
		struct procedure p;
		struct decision *ds = NULL;
		int nd = 0;
		if ((rc = app_procedure_load(x, ps[i].id, &p, &ds, &nd, e)) != KV_OK)
			return rc;
		struct timeline_view tv;
		proc_timeline(&p, x->now, &tv);
		struct report_procedure *rp = &rep->procedures[rep->n_procedures++];
		rp->id = p.id;
		rp->reference = p.reference;
		rp->title = p.title;
		rp->type_label = proc_type_label(p.type);
		report_now_next(x, &p, &tv, rp);
		const struct decision *which = NULL;
		const struct condition *c = tv.current >= 0
			? proc_blocking_condition(&p, tv.current, ds, nd, &which) : NULL;
		for (int k = 0; !c && k < p.n_stages; k++)
			if (p.stages[k].status != STAGE_COMPLETED)
				c = proc_blocking_condition(&p, k, ds, nd, &which);
		rp->blocked = c ? arena_printf(x->a, "%s %s: %s", _("Decision"), which->number,
					       c->description) : NULL;
		report_attention_of(x, &p, ds, nd, &al, rp);
	}
	return KV_OK;
}

/* This year's indexed budget of c, -1 when it has none or it cannot be
 * computed (figures missing). */
static int64_t budget_this_year(struct app *x, const struct contract *c, int year)
{
	if (c->budget_cents <= 0)
		return -1;
	struct index_figures *f = NULL;
	int nf = 0;
	struct indexed_year *y = NULL;
	int ny = 0;
	struct kv_error ie = {0};
	if (STORE(x->st, index_figures_list, c->id, x->a, &f, &nf, &ie) == KV_OK &&
	    year >= c->base_year &&
	    index_budget(x->a, c, f, nf, year, &y, &ny, &ie) == KV_OK && ny > 0)
		return y[ny - 1].budget_cents;
	return -1;
}

#define REPORT_KPIS_MAX 64

static enum kv_status report_contracts(struct app *x, int64_t tenant_id,
				       cal_date today,
				       struct council_report *rep,
				       struct kv_error *e)
{
	struct contract *cs = NULL;
	int nc = 0;
	enum kv_status rc = STORE(x->st, contract_list, tenant_id, x->a, &cs, &nc, e);
	if (rc != KV_OK)
		return rc;
	rep->contracts = arena_alloc(x->a, (size_t)(nc + 1) * sizeof *rep->contracts);
	rep->kpis = arena_alloc(x->a, (size_t)REPORT_KPIS_MAX * sizeof *rep->kpis);
	for (int i = 0; i < nc; i++) {
		const struct contract *c = &cs[i];
		struct report_contract *rc2 = &rep->contracts[rep->n_contracts++];
		rc2->id = c->id;
		rc2->reference = c->reference;
		rc2->title = c->title;
		rc2->penvoerder = penvoerder_of(c);
		rc2->status_label = contract_status_label(contract_status_on(c, today));
		rc2->term = arena_printf(x->a, "%s – %s", cal_format_long(x->a, c->start),
					 cal_format_long(x->a, contract_effective_end(c)));
		rc2->year = today.year;
		rc2->budget_cents = budget_this_year(x, c, today.year);
		cal_date due[CONTRACT_MAX_EVALUATIONS];
		int nd = contract_evaluation_dates(c, due);
		rc2->next_evaluation = "";
		for (int k = 0; k < nd; k++)
			if (cal_date_cmp(due[k], today) >= 0) {
				rc2->next_evaluation = arena_printf(x->a, "%s (%s)",
					cal_format_long(x->a, due[k]),
					arena_printf(x->a, _("after year %d"), c->evaluation_years[k]));
				break;
			}
		struct kpi *ks = NULL;
		int nk = 0;
		struct measurement *ms = NULL;
		int nm = 0;
		if ((rc = STORE(x->st, kpi_list, c->id, x->a, &ks, &nk, e)) != KV_OK ||
		    (rc = STORE(x->st, measurements_list, c->id, x->a, &ms, &nm, e)) != KV_OK)
			return rc;
		for (int k = 0; k < nk && rep->n_kpis < REPORT_KPIS_MAX; k++) {
			const struct measurement *best = latest_of(ms, nm, ks[k].id);
			struct report_kpi *rk = &rep->kpis[rep->n_kpis++];
			rk->contract_reference = c->reference;
			rk->name = ks[k].name;
			rk->unit = ks[k].unit ? ks[k].unit : "";
			rk->period = best ? arena_printf(x->a, "%s%s%s", best->period,
							 best->area && *best->area ? ", " : "",
							 best->area ? best->area : "") : "";
			rk->value = best ? kpi_value_format(x->a, best->value_milli) : "—";
			rk->target = ks[k].has_target ? kpi_value_format(x->a, ks[k].target_milli) : "";
			rk->on_target = best ? kpi_on_target(&ks[k], best->value_milli) : -1;
		}
	}
	return KV_OK;
}

enum kv_status app_council_report(struct app *x, int64_t account_id,
				  int64_t tenant_id, struct council_report *rep,
				  struct kv_error *e)
{
	memset(rep, 0, sizeof *rep);
	cal_date today = app_today(x);
	struct org tenant;
	enum kv_status rc = STORE(x->st, org_get, tenant_id, x->a, &tenant, e);
	if (rc != KV_OK)
		return rc;
	rep->municipality = tenant.name;
	rep->title = _("Progress of procurement and contract steering in the social domain");
	rep->date_text = cal_format_long(x->a, today);
	rep->intro = _("This report shows the state of every procedure and contract on the date above, as recorded in Kavel.");
	if ((rc = report_procedures(x, account_id, tenant_id, rep, e)) != KV_OK ||
	    (rc = report_contracts(x, tenant_id, today, rep, e)) != KV_OK)
		return rc;

	struct budget_frame *fs = NULL;
	int nf = 0;
	struct risk *risks = NULL;
	int nr = 0;
	if ((rc = STORE(x->st, frame_list, tenant_id, x->a, &fs, &nf, e)) != KV_OK ||
	    (rc = STORE(x->st, risk_list, tenant_id, x->a, &risks, &nr, e)) != KV_OK)
		return rc;
	rep->frames = arena_alloc(x->a, (size_t)(nf + 1) * sizeof *rep->frames);
	for (int i = 0; i < nf; i++) {
		struct report_frame *rf = &rep->frames[rep->n_frames++];
		rf->title = fs[i].title;
		rf->first_year = fs[i].first_year;
		rf->n_years = fs[i].n_years;
		frame_totals(&fs[i], rf->totals);
	}
	rep->risks = risks;
	rep->n_risks = nr;
	return KV_OK;
}
