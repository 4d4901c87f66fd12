/*
 * page_lots.c - the lots (percelen, kavels) of a procedure.
 */
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "view.h"

static void lots_page(struct req *r, struct resp *w, const struct kv_error *e)
{
	const struct procedure *p = &r->proc;
	sbuf *b = &w->body;
	layout_begin(r, w, _("Lots"));
	procedure_nav(r, w, "lots");
	html_f(b, "<h2>%s</h2>", _("Lots"));
	if (p->n_lots == 0)
		html_f(b, "<p>%s</p>", _("This procedure has no lots yet."));
	/* After the definitive award a buyer turns a lot into a contract. */
	bool awarded = false;
	for (int i = 0; i < p->n_stages; i++)
		if (p->stages[i].kind == SK_DEFINITIVE_AWARD && p->stages[i].status == STAGE_COMPLETED)
			awarded = true;
	bool bids = false;
	for (int i = 0; own_candidate(r) && i < p->n_stages; i++)
		if (p->stages[i].kind == SK_TENDER_DEADLINE)
			bids = true;
	struct candidate *cs = NULL;
	int nc = 0;
	if (awarded && (r->roles & ROLE_BUYER)) {
		struct kv_error ce;
		if (STORE(r->st, candidate_list, p->id, r->a, &cs, &nc, &ce) != KV_OK)
			nc = 0;
	}
	for (int i = 0; i < p->n_lots; i++) {
		const struct lot *l = &p->lots[i];
		if (nc) {
			sbuf f;
			sbuf_init(&f, r->a, 1 << 16);
			html_f(&f, "<details><summary>%s</summary><form method=\"post\" action=\"/contracts\" class=\"form\">%R"
				   "<input type=\"hidden\" name=\"procedure_id\" value=\"%lld\">"
				   "<input type=\"hidden\" name=\"lot_id\" value=\"%lld\">"
				   "<label>%s <select name=\"candidate_id\">",
			       _("Make the contract for this lot"), csrf_input(r), (long long)p->id,
			       (long long)l->id, _("Awarded to"));
			for (int c = 0; c < nc; c++)
				html_f(&f, "<option value=\"%lld\">%s</option>", (long long)cs[c].id, cs[c].name);
			html_f(&f, "</select></label><label>%s <input name=\"reference\"></label>"
				   "<label>%s <input type=\"date\" name=\"start\"></label>"
				   "<label>%s <input type=\"date\" name=\"end\"></label>"
				   "<label>%s <input name=\"evaluation_years\" value=\"3, 6\"></label>"
				   "<button type=\"submit\">%s</button></form></details>",
			       _("Reference"), _("First day"), _("Ends on (first day after the term)"),
			       _("Evaluation after years"), _("Create contract"));
			html_f(b, "<article class=\"lot\"><h3>%s %d: %s</h3><p>%s: %s%s</p><p class=\"goals\">%s</p>%R</article>",
			       _("Lot"), l->number, l->title,
			       l->fixed_budget ? _("Fixed budget") : _("Estimated value"),
			       l->value_cents ? fmt_eur(r, l->value_cents) : "—",
			       l->fixed_budget ? _(" per year, budget ceiling") : "",
			       l->goals ? l->goals : "", sbuf_str(&f));
			continue;
		}
		/* A bidder reaches its submit page (and from there its
		 * receipts) from here. */
		sbuf f;
		sbuf_init(&f, r->a, 1 << 12);
		if (bids)
			html_f(&f, "<p><a href=\"/procedures/%lld/lots/%lld/submit\">%s</a></p>",
			       (long long)p->id, (long long)l->id, _("Submit a bid"));
		html_f(b, "<article class=\"lot\"><h3>%s %d: %s</h3><p>%s: %s%s</p><p class=\"goals\">%s</p>%R</article>",
		       _("Lot"), l->number, l->title,
		       l->fixed_budget ? _("Fixed budget") : _("Estimated value"),
		       l->value_cents ? fmt_eur(r, l->value_cents) : "—",
		       l->fixed_budget ? _(" per year, budget ceiling") : "",
		       l->goals ? l->goals : "", sbuf_str(&f));
	}
	if (r->roles & ROLE_BUYER) {
		int next = 1;
		for (int i = 0; i < p->n_lots; i++)
			if (p->lots[i].number >= next)
				next = p->lots[i].number + 1;
		form_error_summary(r, w, e);
		html_f(b, "<h2>%s</h2><form method=\"post\" action=\"/procedures/%lld/lots\" class=\"form\" novalidate>%R"
			  "<label for=\"number\">%s</label><input id=\"number\" name=\"number\" inputmode=\"numeric\" value=\"%s\">%R"
			  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" value=\"%s\">%R"
			  "<label for=\"value\">%s</label><input id=\"value\" name=\"value\" inputmode=\"decimal\" value=\"%s\">%R"
			  "<label class=\"check\"><input type=\"checkbox\" name=\"fixed_budget\" value=\"1\"%R> %s</label>"
			  "<label for=\"goals\">%s</label><textarea id=\"goals\" name=\"goals\" rows=\"3\">%s</textarea>%R"
			  "<button type=\"submit\">%s</button></form>",
		       _("Add a lot"), (long long)p->id, csrf_input(r),
		       _("Number"), refill(r, "number", arena_printf(r->a, "%d", next)), field_error(r, e, "number"),
		       _("Title"), refill(r, "title", ""), field_error(r, e, "title"),
		       _("Value (EUR)"), refill(r, "value", ""), field_error(r, e, "value"),
		       req_param(r, "fixed_budget") ? " checked" : "", _("fixed budget"),
		       _("Goals of this lot"), refill(r, "goals", ""), field_error(r, e, "goals"),
		       _("Add lot"));
	}
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
	struct kv_error e = {0};
	long long v = 0;
	enum kv_status rc = in_int(in_str(r, "number"), 1, 999, &v, "number", &e);
	l.number = (int)v;
	l.title = (char *)in_str(r, "title");
	l.goals = (char *)in_str(r, "goals");
	l.fixed_budget = in_bool(in_str(r, "fixed_budget"));
	const char *val = in_str(r, "value");
	if (rc == KV_OK && !in_blank(val))
		rc = eur_parse(val, &l.value_cents, "value", &e);
	if (rc == KV_OK)
		rc = app_lot_add(&r->app, r->proc.id, &l, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_lot(&l));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		lots_page(r, w, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/lots", (long long)r->proc.id));
}
