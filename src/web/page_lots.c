/*
 * page_lots.c - the lots (percelen, kavels) of a procedure.
 */
#include <string.h>

#include "app/read_procedure.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

static void lots_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	const struct procedure *p = &r->proc;
	struct lots_view lv;
	struct kv_error e = {0};
	if (app_lots_view(&r->app, p, r->roles, own_candidate(r), &lv, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	struct tv_lots_contract_candidates *cands =
		arena_alloc(r->a, sizeof *cands * (size_t)(lv.n_candidates + 1));
	for (int c = 0; c < lv.n_candidates; c++)
		cands[c] = (struct tv_lots_contract_candidates){
			.id = lv.candidates[c].id, .name = lv.candidates[c].name};
	struct tv_lots_page_lots *lots = arena_alloc(r->a, sizeof *lots * (size_t)(p->n_lots + 1));
	for (int i = 0; i < p->n_lots; i++) {
		const struct lot *l = &p->lots[i];
		lots[i] = (struct tv_lots_page_lots){
			.number = l->number,
			.title = l->title,
			.fixed_budget = l->fixed_budget,
			.value = l->value_cents ? fmt_eur(r, l->value_cents) : "—",
			.goals = l->goals,
			/* A bidder reaches its submit page (and from there
			 * its receipts) from here; a buyer makes the
			 * contract after the definitive award. */
			.submit = lv.bids && !lv.contracts
				? arena_printf(r->a, "/procedures/%lld/lots/%lld/submit",
					       (long long)p->id, (long long)l->id) : "",
			.contract = lv.contracts,
			.contract_form = {
				.csrf = {.token = csrf_token(r)},
				.procedure_id = p->id,
				.lot_id = l->id,
				.candidates = cands,
				.n_candidates = lv.n_candidates,
			},
		};
	}
	struct tv_lots_page v = {.lots = lots, .n_lots = p->n_lots};
	if (r->roles & ROLE_BUYER) {
		struct form_field fs[] = {
			{.name = "number", .label = N_("Number"), .kind = FIELD_NUMBER,
			 .value = arena_printf(r->a, "%d", app_lot_next_number(p))},
			{.name = "title", .label = N_("Title")},
			{.name = "value", .label = N_("Value (EUR)"), .kind = FIELD_DECIMAL},
			{.name = "fixed_budget", .label = N_("fixed budget"), .kind = FIELD_CHECKBOX},
			{.name = "goals", .label = N_("Goals of this lot"), .kind = FIELD_TEXTAREA},
		};
		struct form f = {
			.action = arena_printf(r->a, "/procedures/%lld/lots", (long long)p->id),
			.submit = _("Add lot"), .fields = fs,
			.n_fields = sizeof fs / sizeof *fs, .errors = fe,
			.refused = form_not_saved()};
		v.add = form_html(r, &f);
	}
	layout_begin(r, w, _("Lots"));
	procedure_nav(r, w, "lots");
	tmpl_lots_page(&w->body, &v);
	layout_end(r, w);
}

void page_lots(struct req *r, struct resp *w)
{
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < r->proc.n_lots; i++)
			json_array_append_new(arr, json_lot(&r->proc.lots[i]));
		resp_json(r, w, 200, json_pack("{s:o}", "lots", arr));
		return;
	}
	lots_page(r, w, NULL);
}

void page_lot_create(struct req *r, struct resp *w)
{
	struct lot l = {0};
	struct form_errors fe = {0};
	struct kv_error e = {0};
	long long v = 0;
	if (in_int(in_str(r, "number"), 1, 999, &v, "number", &e) != KV_OK)
		form_errors_add(&fe, &e);
	l.number = (int)v;
	l.title = (char *)in_str(r, "title");
	l.goals = (char *)in_str(r, "goals");
	l.fixed_budget = in_bool(in_str(r, "fixed_budget"));
	const char *val = in_str(r, "value");
	if (!in_blank(val) && eur_parse(val, &l.value_cents, "value", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (!fe.n && app_lot_add(&r->app, r->proc.id, &l, &e) != KV_OK)
		form_errors_add(&fe, &e);
	enum kv_status rc = form_errors_status(&fe);
	if (r->api) {
		resp_created(r, w, &fe, fe.n ? NULL : json_lot(&l));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		lots_page(r, w, &fe);
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/lots", (long long)r->proc.id),
			   DONE_LOT_ADDED);
}
