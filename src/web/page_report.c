/*
 * page_report.c - the council's progress report (raadsinformatiebrief
 * style): every procedure's status and planning, the contracts with this
 * year's budget and next evaluation, the latest KPI figures against their
 * targets, the budget frames with any warning, and the risk register; as a
 * page and as a PDF (report/pdf.c).  Also adding a risk.
 */
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "report/report.h"
#include "view.h"

static const char *risk_level_label(enum risk_level l)
{
	switch (l) {
	case RISK_LOW: return _("low");
	case RISK_MEDIUM: return _("medium");
	case RISK_HIGH: return _("high");
	}
	return "";
}

/* Everything the report says, from the store, in the arena. */
static enum kv_status build_report(struct req *r, struct council_report *rep,
				   struct kv_error *e)
{
	memset(rep, 0, sizeof *rep);
	cal_date today;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &today, &h, &m, &s, &off);
	struct org tenant;
	enum kv_status rc = STORE(r->st, org_get, r->tenant, r->a, &tenant, e);
	if (rc != KV_OK)
		return rc;
	rep->municipality = tenant.name;
	rep->title = _("Progress of procurement and contract steering in the social domain");
	rep->date_text = cal_format_long(r->a, today);
	rep->intro = _("This report shows the state of every procedure and contract on the date above, as recorded in Kavel.");

	/* Procedures of this municipality. */
	struct procedure_summary *ps = NULL;
	int np = 0;
	if ((rc = STORE(r->st, procedure_visible, r->me.id, r->a, &ps, &np, e)) != KV_OK)
		return rc;
	rep->procedures = arena_alloc(r->a, (size_t)(np + 1) * sizeof *rep->procedures);
	for (int i = 0; i < np; i++) {
		if (ps[i].tenant_id != r->tenant)
			continue;
		struct procedure p;
		struct decision *ds = NULL;
		int nd = 0;
		if ((rc = app_procedure_load(&r->app, ps[i].id, &p, &ds, &nd, e)) != KV_OK)
			return rc;
		struct timeline_view tv;
		proc_timeline(&p, r->app.now, &tv);
		struct report_procedure *rp = &rep->procedures[rep->n_procedures++];
		rp->reference = p.reference;
		rp->title = p.title;
		rp->type_label = proc_type_label(p.type);
		rp->current_stage = tv.current >= 0 ? stage_kind_label(p.stages[tv.current].kind) : _("completed");
		rp->next_stage = tv.current >= 0 && tv.current + 1 < p.n_stages
				 ? stage_kind_label(p.stages[tv.current + 1].kind) : "";
		rp->next_when = tv.current >= 0 && tv.current + 1 < p.n_stages && p.stages[tv.current + 1].start
				? cal_format_local(r->a, p.stages[tv.current + 1].start) : "";
		rp->days_left = tv.days_left;
		const struct decision *which = NULL;
		const struct condition *c = tv.current >= 0
			? proc_blocking_condition(&p, tv.current, ds, nd, &which) : NULL;
		for (int k = 0; !c && k < p.n_stages; k++)
			if (p.stages[k].status != STAGE_COMPLETED)
				c = proc_blocking_condition(&p, k, ds, nd, &which);
		rp->blocked = c ? arena_printf(r->a, "%s %s: %s", _("Decision"), which->number, c->description) : NULL;
	}

	/* Contracts, their budget this year, their KPIs. */
	struct contract *cs = NULL;
	int nc = 0;
	if ((rc = STORE(r->st, contract_list, r->tenant, r->a, &cs, &nc, e)) != KV_OK)
		return rc;
	rep->contracts = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *rep->contracts);
	int kcap = 64;
	rep->kpis = arena_alloc(r->a, (size_t)kcap * sizeof *rep->kpis);
	for (int i = 0; i < nc; i++) {
		const struct contract *c = &cs[i];
		struct report_contract *rc2 = &rep->contracts[rep->n_contracts++];
		rc2->reference = c->reference;
		rc2->title = c->title;
		rc2->penvoerder = "";
		for (int j = 0; j < c->n_parties; j++)
			if (c->parties[j].role == PARTY_PENVOERDER)
				rc2->penvoerder = c->parties[j].org_name;
		rc2->status_label = contract_status_label(contract_status_on(c, today));
		rc2->term = arena_printf(r->a, "%s – %s", cal_format_long(r->a, c->start),
					 cal_format_long(r->a, contract_effective_end(c)));
		rc2->year = today.year;
		rc2->budget_cents = -1;
		if (c->budget_cents > 0) {
			struct index_figures *f = NULL;
			int nf = 0;
			struct indexed_year *y = NULL;
			int ny = 0;
			struct kv_error ie = {0};
			if (STORE(r->st, index_figures_list, c->id, r->a, &f, &nf, e) == KV_OK &&
			    today.year >= c->base_year &&
			    index_budget(r->a, c, f, nf, today.year, &y, &ny, &ie) == KV_OK && ny > 0)
				rc2->budget_cents = y[ny - 1].budget_cents;
		}
		cal_date due[CONTRACT_MAX_EVALUATIONS];
		int nd = contract_evaluation_dates(c, due);
		rc2->next_evaluation = "";
		for (int k = 0; k < nd; k++)
			if (cal_date_cmp(due[k], today) >= 0) {
				rc2->next_evaluation = arena_printf(r->a, "%s (%s)", cal_format_long(r->a, due[k]),
					arena_printf(r->a, _("after year %d"), c->evaluation_years[k]));
				break;
			}
		struct kpi *ks = NULL;
		int nk = 0;
		struct measurement *ms = NULL;
		int nm = 0;
		if ((rc = STORE(r->st, kpi_list, c->id, r->a, &ks, &nk, e)) != KV_OK ||
		    (rc = STORE(r->st, measurements_list, c->id, r->a, &ms, &nm, e)) != KV_OK)
			return rc;
		for (int k = 0; k < nk && rep->n_kpis < kcap; k++) {
			const struct measurement *best = NULL;
			for (int j = 0; j < nm; j++)
				if (ms[j].kpi_id == ks[k].id && (!best || strcmp(ms[j].period, best->period) > 0))
					best = &ms[j];
			struct report_kpi *rk = &rep->kpis[rep->n_kpis++];
			rk->contract_reference = c->reference;
			rk->name = ks[k].name;
			rk->unit = ks[k].unit ? ks[k].unit : "";
			rk->period = best ? arena_printf(r->a, "%s%s%s", best->period,
							 best->area && *best->area ? ", " : "",
							 best->area ? best->area : "") : "";
			rk->value = best ? kpi_value_format(r->a, best->value_milli) : "—";
			rk->target = ks[k].has_target ? kpi_value_format(r->a, ks[k].target_milli) : "";
			rk->on_target = best ? kpi_on_target(&ks[k], best->value_milli) : -1;
		}
	}

	/* Budget frames and the risks. */
	struct budget_frame *fs = NULL;
	int nf = 0;
	struct risk *risks = NULL;
	int nr = 0;
	if ((rc = STORE(r->st, frame_list, r->tenant, r->a, &fs, &nf, e)) != KV_OK ||
	    (rc = STORE(r->st, risk_list, r->tenant, r->a, &risks, &nr, e)) != KV_OK)
		return rc;
	rep->frames = arena_alloc(r->a, (size_t)(nf + 1) * sizeof *rep->frames);
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

static void report_page(struct req *r, struct resp *w, const struct council_report *rep,
			const struct kv_error *e)
{
	sbuf *b = &w->body;
	layout_begin(r, w, _("Council report"));
	html_f(b, "<article class=\"report\"><p class=\"crumbs\">%s · %s</p><h1>%s</h1><p>%s</p>"
		  "<p><a class=\"button\" href=\"/report/pdf\">%s</a></p>",
	       rep->municipality, rep->date_text, rep->title, rep->intro, _("Download as PDF"));
	html_f(b, "<h2>%s</h2>", _("Procedures"));
	if (!rep->n_procedures)
		html_f(b, "<p>%s</p>", _("None."));
	else {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Reference"), _("Title"), _("Now"), _("Next"), _("Attention"));
		for (int i = 0; i < rep->n_procedures; i++) {
			const struct report_procedure *p = &rep->procedures[i];
			html_f(b, "<tr><td>%s</td><td>%s<br><small>%s</small></td><td>%s</td><td>%s %s</td><td>%s</td></tr>",
			       p->reference, p->title, p->type_label, p->current_stage, p->next_stage,
			       p->next_when, p->blocked ? p->blocked : "");
		}
		html_f(b, "</tbody></table>");
	}
	html_f(b, "<h2>%s</h2>", _("Contracts"));
	if (!rep->n_contracts)
		html_f(b, "<p>%s</p>", _("None."));
	else {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Reference"), _("Title"), _("Penvoerder"), _("Status and term"), _("Budget this year"),
		       _("Next evaluation"));
		for (int i = 0; i < rep->n_contracts; i++) {
			const struct report_contract *c = &rep->contracts[i];
			html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s<br><small>%s</small></td><td class=\"num\">%s</td><td>%s</td></tr>",
			       c->reference, c->title, c->penvoerder ? c->penvoerder : "", c->status_label, c->term,
			       c->budget_cents >= 0 ? fmt_eur(r, c->budget_cents) : "—", c->next_evaluation);
		}
		html_f(b, "</tbody></table>");
	}
	html_f(b, "<h2>%s</h2>", _("Key performance indicators"));
	if (!rep->n_kpis)
		html_f(b, "<p>%s</p>", _("None."));
	else {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Contract"), _("KPI"), _("Period"), _("Value"), _("Target"), _("On target"));
		for (int i = 0; i < rep->n_kpis; i++) {
			const struct report_kpi *k = &rep->kpis[i];
			html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td><td>%s</td></tr>",
			       k->contract_reference, k->name, k->period, k->value, k->unit, k->target,
			       k->on_target == 1 ? "✓" : k->on_target == 0 ? "✗" : "–");
		}
		html_f(b, "</tbody></table>");
	}
	html_f(b, "<h2>%s</h2>", _("Budget frames"));
	if (!rep->n_frames)
		html_f(b, "<p>%s</p>", _("None."));
	for (int i = 0; i < rep->n_frames; i++) {
		const struct report_frame *f = &rep->frames[i];
		html_f(b, "<h3>%s</h3><table class=\"list\"><thead><tr>", f->title);
		for (int y = 0; y < f->n_years; y++)
			html_f(b, "<th>%d</th>", f->first_year + y);
		html_f(b, "</tr></thead><tbody><tr>");
		for (int y = 0; y < f->n_years; y++)
			html_f(b, "<td class=\"num\">%s</td>", fmt_eur(r, f->totals[y]));
		html_f(b, "</tr></tbody></table>");
	}
	html_f(b, "<h2 id=\"risks\">%s</h2>", _("Risks and mitigations"));
	if (!rep->n_risks)
		html_f(b, "<p>%s</p>", _("None."));
	for (int i = 0; i < rep->n_risks; i++) {
		const struct risk *k = &rep->risks[i];
		html_f(b, "<section class=\"risk risk-%s\"><h3>%s <small>%s: %s</small></h3><p>%s</p>"
			  "<p><strong>%s</strong> %s</p><p class=\"rule\">%s</p></section>",
		       risk_level_code(k->level), k->title, _("level"), risk_level_label(k->level),
		       k->description ? k->description : "", _("Mitigation:"),
		       k->mitigation ? k->mitigation : "", k->status ? k->status : "");
	}
	html_f(b, "</article>");
	if (r->roles & ROLE_BUYER) {
		form_error_summary(r, w, e);
		html_f(b, "<details><summary>%s</summary><form method=\"post\" action=\"/risks\" class=\"form\" novalidate>%R"
			  "<label>%s <input name=\"title\" value=\"%s\"></label>"
			  "<label>%s <textarea name=\"description\" rows=\"2\">%s</textarea></label>"
			  "<label>%s <textarea name=\"mitigation\" rows=\"2\">%s</textarea></label>"
			  "<label>%s <select name=\"level\"><option value=\"low\">%s</option><option value=\"medium\" selected>%s</option><option value=\"high\">%s</option></select></label>"
			  "<label>%s <input name=\"status\" value=\"%s\"></label>"
			  "<button type=\"submit\">%s</button></form></details>",
		       _("Add a risk"), csrf_input(r), _("Risk"), refill(r, "title", ""),
		       _("Description"), refill(r, "description", ""), _("Mitigation"),
		       refill(r, "mitigation", ""), _("Level"), _("low"), _("medium"), _("high"),
		       _("Status"), refill(r, "status", ""), _("Add risk"));
	}
	layout_end(r, w);
}

void page_report(struct req *r, struct resp *w)
{
	struct council_report rep;
	struct kv_error e = {0};
	if (build_report(r, &rep, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		report_page(r, w, &rep, NULL);
		return;
	}
	json_t *procs = json_array(), *contracts = json_array(), *kpis = json_array(),
	       *frames = json_array(), *risks = json_array();
	for (int i = 0; i < rep.n_procedures; i++) {
		const struct report_procedure *p = &rep.procedures[i];
		json_array_append_new(procs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
			"reference", p->reference, "title", p->title, "now", p->current_stage,
			"next", p->next_stage, "next_when", p->next_when, "days_left", (json_int_t)p->days_left,
			"attention", p->blocked ? p->blocked : ""));
	}
	for (int i = 0; i < rep.n_contracts; i++) {
		const struct report_contract *c = &rep.contracts[i];
		json_array_append_new(contracts, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
			"reference", c->reference, "title", c->title, "penvoerder", c->penvoerder ? c->penvoerder : "",
			"status", c->status_label, "term", c->term, "budget_cents_this_year",
			(json_int_t)c->budget_cents, "next_evaluation", c->next_evaluation));
	}
	for (int i = 0; i < rep.n_kpis; i++) {
		const struct report_kpi *k = &rep.kpis[i];
		json_array_append_new(kpis, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
			"contract", k->contract_reference, "name", k->name, "period", k->period,
			"value", k->value, "target", k->target, "on_target", k->on_target));
	}
	for (int i = 0; i < rep.n_frames; i++) {
		json_t *t = json_array();
		for (int y = 0; y < rep.frames[i].n_years; y++)
			json_array_append_new(t, json_integer(rep.frames[i].totals[y]));
		json_array_append_new(frames, json_pack("{s:s, s:i, s:o}", "title", rep.frames[i].title,
			"first_year", rep.frames[i].first_year, "totals_cents", t));
	}
	for (int i = 0; i < rep.n_risks; i++)
		json_array_append_new(risks, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}",
			"id", (json_int_t)rep.risks[i].id, "title", rep.risks[i].title,
			"description", rep.risks[i].description ? rep.risks[i].description : "",
			"mitigation", rep.risks[i].mitigation ? rep.risks[i].mitigation : "",
			"level", risk_level_code(rep.risks[i].level),
			"status", rep.risks[i].status ? rep.risks[i].status : ""));
	resp_json(r, w, 200, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "municipality",
		rep.municipality, "date", rep.date_text, "procedures", procs, "contracts", contracts,
		"kpis", kpis, "frames", frames, "risks", risks));
}

void page_report_pdf(struct req *r, struct resp *w)
{
	struct council_report rep;
	struct kv_error e = {0};
	unsigned char *pdf;
	size_t len;
	if (build_report(r, &rep, &e) != KV_OK || report_council_pdf(r->a, &rep, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = "application/pdf";
	resp_header(w, "Content-Disposition", "attachment; filename=\"raadsrapportage.pdf\"");
	sbuf_add(&w->body, (const char *)pdf, len);
}

void page_risk_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct risk k = {.tenant_id = r->tenant};
	k.title = (char *)in_str(r, "title");
	k.description = (char *)in_str(r, "description");
	k.mitigation = (char *)in_str(r, "mitigation");
	k.status = (char *)in_str(r, "status");
	const char *lv = in_str(r, "level");
	int l = lv ? risk_level_from_code(lv) : -1;
	enum kv_status rc = l < 0 ? kv_fail(&e, KV_INVALID, "level", _("Choose low, medium or high.")) : KV_OK;
	k.level = (enum risk_level)(l < 0 ? 0 : l);
	if (rc == KV_OK)
		rc = app_risk_create(&r->app, &k, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:I}", "id", (json_int_t)k.id));
		return;
	}
	if (rc == KV_OK) {
		resp_redirect(r, w, "/report#risks");
		return;
	}
	struct council_report rep;
	struct kv_error le = {0};
	build_report(r, &rep, &le);
	w->status = http_status_of(rc);
	report_page(r, w, &rep, &e);
}
