/*
 * page_report.c - the council's progress report (raadsinformatiebrief
 * style): every procedure's status and planning, the contracts with this
 * year's budget and next evaluation, the latest KPI figures against their
 * targets, the budget frames with any warning, and the risk register; as a
 * page and as a PDF (report/pdf.c).  Also adding a risk.  Both the page
 * and the PDF lay out one read model, app_council_report
 * (app/read_steering.h); the page's markup is tmpl/report_page.tmpl.
 */
#include <string.h>

#include "app/read_steering.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "report/report.h"
#include "templates.h"
#include "view.h"

static const char *const risk_levels[] = {
	[RISK_LOW] = N_("low"), [RISK_MEDIUM] = N_("medium"), [RISK_HIGH] = N_("high")};

static const struct field_option level_options[] = {
	{"low", N_("low")}, {"medium", N_("medium")}, {"high", N_("high")},
};

static const struct form_field risk_fields[] = {
	{.name = "title", .label = N_("Risk"), .required = true},
	{.name = "description", .label = N_("Description"), .kind = FIELD_TEXTAREA, .rows = 2},
	{.name = "mitigation", .label = N_("Mitigation"), .kind = FIELD_TEXTAREA, .rows = 2},
	{.name = "level", .label = N_("Level"), .kind = FIELD_SELECT, .options = level_options,
	 .n_options = 3, .value = "medium"},
	{.name = "status", .label = N_("Status")},
};

static void report_page(struct req *r, struct resp *w, const struct council_report *rep,
			const struct form_errors *fe)
{
	struct tv_report_page t = {
		.municipality = rep->municipality, .date = rep->date_text, .title = rep->title,
		.intro = rep->intro, .n_procedures = rep->n_procedures,
		.n_contracts = rep->n_contracts, .n_kpis = rep->n_kpis,
		.n_frames = rep->n_frames, .n_risks = rep->n_risks};
	struct tv_report_page_procedures *ps =
	    arena_alloc(r->a, (size_t)(rep->n_procedures + 1) * sizeof *ps);
	for (int i = 0; i < rep->n_procedures; i++) {
		const struct report_procedure *p = &rep->procedures[i];
		struct tv_report_page_procedures_attention *at =
		    arena_alloc(r->a, (size_t)(p->n_attention + 1) * sizeof *at);
		for (int k = 0; k < p->n_attention; k++)
			at[k].text = p->attention[k].text;
		ps[i] = (struct tv_report_page_procedures){
			.id = (long long)p->id,
			.reference = p->reference, .title = p->title, .type = p->type_label,
			.now = p->current_stage, .next = p->next_stage, .next_when = p->next_when,
			.attention = at, .n_attention = p->n_attention};
	}
	struct tv_report_page_contracts *cs =
	    arena_alloc(r->a, (size_t)(rep->n_contracts + 1) * sizeof *cs);
	for (int i = 0; i < rep->n_contracts; i++) {
		const struct report_contract *c = &rep->contracts[i];
		cs[i] = (struct tv_report_page_contracts){
			.id = (long long)c->id,
			.reference = c->reference, .title = c->title,
			.penvoerder = c->penvoerder ? c->penvoerder : "", .status = c->status_label,
			.term = c->term, .budget = c->budget_cents >= 0 ? fmt_eur(r, c->budget_cents) : "—",
			.next_evaluation = c->next_evaluation};
	}
	struct tv_report_page_kpis *ks = arena_alloc(r->a, (size_t)(rep->n_kpis + 1) * sizeof *ks);
	for (int i = 0; i < rep->n_kpis; i++) {
		const struct report_kpi *k = &rep->kpis[i];
		ks[i] = (struct tv_report_page_kpis){
			.contract = k->contract_reference, .name = k->name, .period = k->period,
			.value = k->value, .unit = k->unit, .target = k->target,
			.on_target = k->on_target == 1 ? "✓" : k->on_target == 0 ? "✗" : "–"};
	}
	struct tv_report_page_frames *fs = arena_alloc(r->a, (size_t)(rep->n_frames + 1) * sizeof *fs);
	for (int i = 0; i < rep->n_frames; i++) {
		const struct report_frame *f = &rep->frames[i];
		struct tv_report_page_frames_years *ys = arena_alloc(r->a, (size_t)(f->n_years + 1) * sizeof *ys);
		struct tv_report_page_frames_totals *ts = arena_alloc(r->a, (size_t)(f->n_years + 1) * sizeof *ts);
		for (int y = 0; y < f->n_years; y++) {
			ys[y].year = f->first_year + y;
			ts[y].amount = fmt_eur(r, f->totals[y]);
		}
		fs[i] = (struct tv_report_page_frames){.title = f->title, .years = ys,
						       .n_years = f->n_years, .totals = ts,
						       .n_totals = f->n_years};
	}
	struct tv_report_page_risks *rs = arena_alloc(r->a, (size_t)(rep->n_risks + 1) * sizeof *rs);
	for (int i = 0; i < rep->n_risks; i++) {
		const struct risk *k = &rep->risks[i];
		rs[i] = (struct tv_report_page_risks){
			.level_code = risk_level_code(k->level), .title = k->title,
			.level = LABEL_OF(risk_levels, k->level),
			.description = k->description ? k->description : "",
			.mitigation = k->mitigation ? k->mitigation : "",
			.status = k->status ? k->status : ""};
	}
	t.procedures = ps;
	t.contracts = cs;
	t.kpis = ks;
	t.frames = fs;
	t.risks = rs;
	if (r->roles & ROLE_BUYER) {
		struct form f = {.action = "/risks", .submit = _("Add risk"), .fields = risk_fields,
				 .n_fields = (int)(sizeof risk_fields / sizeof *risk_fields),
				 .errors = fe, .refused = form_not_saved()};
		t.risk_form = form_html(r, &f);
		t.risk_form_open = fe && fe->n;
	}
	layout_begin(r, w, _("Council report"));
	tmpl_report_page(&w->body, &t);
	layout_end(r, w);
}

void page_report(struct req *r, struct resp *w)
{
	struct council_report rep;
	struct kv_error e = {0};
	if (app_council_report(&r->app, r->me.id, r->tenant, &rep, &e) != KV_OK) {
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
		json_t *items = json_array();
		const char *joined = "";
		for (int k = 0; k < p->n_attention; k++) {
			const struct report_attention *a = &p->attention[k];
			json_array_append_new(items, json_pack("{s:s, s:s, s:I}", "kind", a->kind,
				"text", a->text, "days", (json_int_t)a->days));
			joined = k ? arena_printf(r->a, "%s; %s", joined, a->text) : a->text;
		}
		json_array_append_new(procs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s}",
			"reference", p->reference, "title", p->title, "now", p->current_stage,
			"next", p->next_stage, "next_when", p->next_when, "days_left", (json_int_t)p->days_left,
			"attention", joined, "attention_items", items,
			"blocked", p->blocked ? p->blocked : ""));
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
	if (app_council_report(&r->app, r->me.id, r->tenant, &rep, &e) != KV_OK ||
	    report_council_pdf(r->a, &rep, &pdf, &len, &e) != KV_OK) {
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
	struct form_errors fe = {0};
	struct kv_error e;
	struct risk k = {.tenant_id = r->tenant};
	k.title = (char *)in_str(r, "title");
	k.description = (char *)in_str(r, "description");
	k.mitigation = (char *)in_str(r, "mitigation");
	k.status = (char *)in_str(r, "status");
	const char *lv = in_str(r, "level");
	int l = lv ? risk_level_from_code(lv) : -1;
	k.level = (enum risk_level)(l < 0 ? 0 : l);
	if (l < 0) {
		kv_fail(&e, KV_INVALID, "level", _("Choose low, medium or high."));
		form_errors_add(&fe, &e);
		/* The core's checks of the rest (an empty title), at once. */
		if (risk_check(&k, &e) != KV_OK)
			form_errors_add(&fe, &e);
	} else if (app_risk_create(&r->app, &k, &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	if (r->api) {
		resp_created(r, w, &fe, fe.n ? NULL : json_pack("{s:I}", "id", (json_int_t)k.id));
		return;
	}
	if (!fe.n) {
		resp_redirect(r, w, "/report#risks");
		return;
	}
	struct council_report rep;
	struct kv_error le = {0};
	if (app_council_report(&r->app, r->me.id, r->tenant, &rep, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	w->status = http_status_of(form_errors_status(&fe));
	report_page(r, w, &rep, &fe);
}
