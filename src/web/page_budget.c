/*
 * page_budget.c - the municipality's money and history: budget frames with
 * their taakstellingen (import from CSV, export as XLSX, checked against
 * what contracts and subsidies commit), subsidies with their phase-out,
 * and the history of organisation forms per assignment.
 */
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "report/report.h"
#include "view.h"

struct money_view {
	struct budget_frame *frames;
	int n_frames;
	struct subsidy *subs;
	int n_subs;
	struct contract *contracts;
	int n_contracts;
};

static enum kv_status load_money(struct req *r, struct money_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	enum kv_status rc;
	struct contract *all = NULL;
	int n = 0;
	if ((rc = STORE(r->st, frame_list, r->tenant, r->a, &v->frames, &v->n_frames, e)) != KV_OK ||
	    (rc = STORE(r->st, subsidy_list, r->tenant, r->a, &v->subs, &v->n_subs, e)) != KV_OK ||
	    (rc = STORE(r->st, contract_list, r->tenant, r->a, &all, &n, e)) != KV_OK)
		return rc;
	v->contracts = all;
	v->n_contracts = n;
	return KV_OK;
}

/* What contracts (their base budget) and subsidies commit per year. */
static int commitments(struct req *r, const struct money_view *v, struct commitment **out)
{
	int cap = 0, n = 0;
	for (int i = 0; i < v->n_contracts; i++) {
		const struct contract *c = &v->contracts[i];
		if (c->budget_cents > 0)
			cap += contract_effective_end(c).year - c->start.year + 1;
	}
	for (int i = 0; i < v->n_subs; i++)
		cap += v->subs[i].to_year - v->subs[i].from_year + 1 + SUBSIDY_MAX_PHASE_YEARS;
	*out = arena_alloc(r->a, (size_t)(cap + 1) * sizeof **out);
	for (int i = 0; i < v->n_contracts; i++) {
		const struct contract *c = &v->contracts[i];
		if (c->budget_cents <= 0)
			continue;
		for (int y = c->start.year; y <= contract_effective_end(c).year && n < cap; y++)
			(*out)[n++] = (struct commitment){c->reference, y, c->budget_cents};
	}
	for (int i = 0; i < v->n_subs; i++) {
		const struct subsidy *s = &v->subs[i];
		for (int y = s->from_year; y <= s->to_year + SUBSIDY_MAX_PHASE_YEARS && n < cap; y++) {
			int64_t amount = subsidy_amount_in(s, y);
			if (amount > 0)
				(*out)[n++] = (struct commitment){s->purpose ? s->purpose : "", y, amount};
		}
	}
	return n;
}

static void frame_table(struct req *r, sbuf *b, const struct budget_frame *f)
{
	int64_t totals[FRAME_MAX_YEARS];
	frame_totals(f, totals);
	html_f(b, "<table class=\"list frame\"><thead><tr><th>%s</th>", _("Category"));
	for (int y = 0; y < f->n_years; y++)
		html_f(b, "<th>%d</th>", f->first_year + y);
	html_f(b, "</tr></thead><tbody>");
	for (int i = 0; i < f->n_rows; i++) {
		const struct frame_row *row = &f->rows[i];
		html_f(b, "<tr%R><td>%s</td>", row->taakstelling ? " class=\"taakstelling\"" : "",
		       row->category);
		for (int y = 0; y < f->n_years; y++)
			html_f(b, "<td class=\"num\">%s</td>", row->has[y] ? fmt_eur(r, row->cents[y]) : "");
		html_f(b, "</tr>");
	}
	html_f(b, "<tr class=\"total\"><th>%s</th>", _("Total"));
	for (int y = 0; y < f->n_years; y++)
		html_f(b, "<th class=\"num\">%s</th>", fmt_eur(r, totals[y]));
	html_f(b, "</tr></tbody></table>");
}

static const char *subsidy_state_label(enum subsidy_state s)
{
	switch (s) {
	case SUBSIDY_ACTIVE: return _("active");
	case SUBSIDY_ENDED: return _("ended");
	case SUBSIDY_PHASING_OUT: return _("phasing out");
	}
	return "";
}

static void budget_page(struct req *r, struct resp *w, struct money_view *v,
			const char *section, const struct kv_error *e)
{
	sbuf *b = &w->body;
	bool buyer = r->roles & ROLE_BUYER;
	cal_date today;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &today, &h, &m, &s, &off);
	struct commitment *cm = NULL;
	int ncm = commitments(r, v, &cm);
	layout_begin(r, w, _("Budget"));
	html_f(b, "<h1>%s</h1><h2>%s</h2>", _("Budget"), _("Budget frames"));
	if (!v->n_frames)
		html_f(b, "<p>%s</p>", _("No budget frame has been imported yet."));
	for (int i = 0; i < v->n_frames; i++) {
		const struct budget_frame *f = &v->frames[i];
		html_f(b, "<article class=\"frame\" id=\"frame-%lld\"><h3>%s</h3><p class=\"source\">%s</p>",
		       (long long)f->id, f->title, f->source ? f->source : "");
		frame_table(r, b, f);
		struct frame_warning *warn = NULL;
		int nw = frame_check(r->a, f, cm, ncm, &warn);
		for (int j = 0; j < nw; j++)
			html_f(b, "<p class=\"blocked\" role=\"status\">%s</p>", warn[j].text);
		if (!nw)
			html_f(b, "<p class=\"rule\">%s</p>",
			       _("The commitments of contracts and subsidies fit within this frame."));
		html_f(b, "<p><a href=\"/budget/frames/%lld/xlsx\">%s</a></p></article>",
		       (long long)f->id, _("Download as XLSX"));
	}
	if (buyer) {
		html_f(b, "<details%R><summary>%s</summary>", section && strcmp(section, "frame") == 0 ? " open" : "",
		       _("Import a budget frame (CSV)"));
		if (section && strcmp(section, "frame") == 0)
			form_error_summary(r, w, e);
		html_f(b, "<form method=\"post\" action=\"/budget/frames\" class=\"form\" enctype=\"multipart/form-data\">%R"
			  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\" value=\"%s\">"
			  "<label for=\"source\">%s</label><input id=\"source\" name=\"source\" value=\"%s\">"
			  "<label class=\"check\"><input type=\"checkbox\" name=\"thousands\" value=\"1\"> %s</label>"
			  "<p class=\"rule\">%s</p>"
			  "<label for=\"csv_file\">%s</label><input id=\"csv_file\" name=\"csv_file\" type=\"file\" accept=\".csv,text/csv\">"
			  "<label for=\"csv\">%s</label><textarea id=\"csv\" name=\"csv\" rows=\"6\"></textarea>"
			  "<button type=\"submit\">%s</button></form></details>",
		       csrf_input(r), _("Title"), refill(r, "title", ""), _("Source"), refill(r, "source", ""),
		       _("amounts are in thousands of euros (k€)"),
		       _("First line: a label and the years, e.g. categorie;2021;2022;2023. Then one line per category; a line starting with \"Taakstelling\" or \"Totaal taakstellingen\" is a taakstelling; a line \"Totaal\" is checked against the sums. One bad line and nothing is imported."),
		       _("CSV file"), _("or paste the CSV here"), _("Import"));
	}

	html_f(b, "<h2 id=\"subsidies\">%s</h2>", _("Subsidies"));
	if (section && strcmp(section, "subsidies") == 0)
		form_error_summary(r, w, e);
	if (!v->n_subs)
		html_f(b, "<p>%s</p>", _("No subsidies are recorded."));
	else {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
			  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Recipient"), _("Purpose"), _("Kind"), _("Period"), _("Per year"),
		       _("Decision"), _("Status this year"), _("Phase-out"));
		for (int i = 0; i < v->n_subs; i++) {
			const struct subsidy *sb = &v->subs[i];
			sbuf po;
			sbuf_init(&po, r->a, 4096);
			if (sb->phase_out) {
				for (int y = 0; y < sb->phase_out_years; y++)
					html_f(&po, "%s%d: %d%%", y ? ", " : "", sb->to_year + 1 + y,
					       sb->phase_out_pct[y]);
				html_f(&po, "<br>%s<br>%s", sb->phase_out_scope ? sb->phase_out_scope : "",
				       sb->staff_taken_over ? sb->staff_taken_over : "");
			}
			if (buyer)
				html_f(&po, "<details><summary>%s</summary>"
					    "<form method=\"post\" action=\"/subsidies/%lld/extend\" class=\"form\">%R"
					    "<label>%s <input name=\"to_year\" inputmode=\"numeric\"></label>"
					    "<label>%s <input name=\"decision\"></label><button type=\"submit\">%s</button></form>"
					    "<form method=\"post\" action=\"/subsidies/%lld/terminate\" class=\"form\">%R"
					    "<label>%s <input name=\"last_year\" inputmode=\"numeric\"></label>"
					    "<label>%s <input name=\"decision\"></label>"
					    "<label>%s <input name=\"phase_out_pct\" placeholder=\"75, 50, 25\"></label>"
					    "<label>%s <input name=\"phase_out_scope\"></label>"
					    "<label>%s <input name=\"staff_taken_over\"></label>"
					    "<button type=\"submit\">%s</button></form></details>",
				       _("Extend or end"), (long long)sb->id, csrf_input(r), _("Extend to year"),
				       _("Decision"), _("Extend"), (long long)sb->id, csrf_input(r),
				       _("Last year"), _("Decision"), _("Phase-out: percentage paid in each year after"),
				       _("What decreases (overhead, support staff)"),
				       _("Staff taken over by the winner"), _("End the subsidy"));
			html_f(b, "<tr id=\"subsidy-%lld\"><td>%s</td><td>%s</td><td>%s</td><td>%d–%d</td><td class=\"num\">%s</td>"
				  "<td>%s%s%s</td><td>%s</td><td>%R</td></tr>",
			       (long long)sb->id, sb->recipient_name ? sb->recipient_name : "",
			       sb->purpose ? sb->purpose : "", subsidy_kind_label(sb->kind),
			       sb->from_year, sb->to_year, sb->cents_per_year ? fmt_eur(r, sb->cents_per_year) : "—",
			       sb->decision ? sb->decision : "", sb->end_decision && *sb->end_decision ? "; " : "",
			       sb->end_decision ? sb->end_decision : "",
			       subsidy_state_label(subsidy_state_in(sb, today.year)), sbuf_str(&po));
		}
		html_f(b, "</tbody></table>");
	}
	if (buyer) {
		html_f(b, "<details%R><summary>%s</summary>", section && strcmp(section, "subsidy") == 0 ? " open" : "",
		       _("Record a subsidy"));
		if (section && strcmp(section, "subsidy") == 0)
			form_error_summary(r, w, e);
		html_f(b, "<form method=\"post\" action=\"/subsidies\" class=\"form\" novalidate>%R"
			  "<label>%s <input name=\"recipient_name\" value=\"%s\"></label>"
			  "<label>%s <input name=\"recipient_kvk\" inputmode=\"numeric\" value=\"%s\"></label>"
			  "<label>%s <input name=\"purpose\" value=\"%s\"></label>"
			  "<label>%s <select name=\"kind\">",
		       csrf_input(r), _("Recipient"), refill(r, "recipient_name", ""),
		       _("KvK number"), refill(r, "recipient_kvk", ""), _("Purpose"), refill(r, "purpose", ""),
		       _("Kind"));
		for (int k = SUBSIDY_MULTI_YEAR; k <= SUBSIDY_INCIDENTAL; k++)
			html_f(b, "<option value=\"%s\">%s</option>", subsidy_kind_code(k), subsidy_kind_label(k));
		html_f(b, "</select></label><label>%s <input name=\"from_year\" inputmode=\"numeric\" value=\"%s\"></label>"
			  "<label>%s <input name=\"to_year\" inputmode=\"numeric\" value=\"%s\"></label>"
			  "<label>%s <input name=\"amount\" inputmode=\"decimal\" value=\"%s\"></label>"
			  "<label>%s <input name=\"decision\" value=\"%s\"></label>"
			  "<fieldset><legend>%s</legend>"
			  "<label>%s <input name=\"phase_out_pct\" placeholder=\"75, 50, 25\" value=\"%s\"></label>"
			  "<label>%s <input name=\"phase_out_scope\" value=\"%s\"></label>"
			  "<label>%s <input name=\"staff_taken_over\" value=\"%s\"></label></fieldset>"
			  "<button type=\"submit\">%s</button></form></details>",
		       _("From year"), refill(r, "from_year", ""), _("To year"), refill(r, "to_year", ""),
		       _("Amount per year (EUR)"), refill(r, "amount", ""), _("Decision"), refill(r, "decision", ""),
		       _("Phase-out arrangement (afbouwregeling), optional"),
		       _("Percentage paid in each year after the end"), refill(r, "phase_out_pct", ""),
		       _("What decreases (overhead, support staff)"), refill(r, "phase_out_scope", ""),
		       _("Staff taken over by the winner"), refill(r, "staff_taken_over", ""),
		       _("Record subsidy"));
	}
	layout_end(r, w);
}

static json_t *frame_json(const struct budget_frame *f)
{
	int64_t totals[FRAME_MAX_YEARS];
	frame_totals(f, totals);
	json_t *rows = json_array(), *tot = json_array();
	for (int i = 0; i < f->n_rows; i++) {
		json_t *cells = json_array();
		for (int y = 0; y < f->n_years; y++)
			json_array_append_new(cells, f->rows[i].has[y] ? json_integer(f->rows[i].cents[y]) : json_null());
		json_array_append_new(rows, json_pack("{s:s, s:b, s:o}", "category", f->rows[i].category,
						      "taakstelling", f->rows[i].taakstelling, "cents", cells));
	}
	for (int y = 0; y < f->n_years; y++)
		json_array_append_new(tot, json_integer(totals[y]));
	return json_pack("{s:I, s:s, s:s, s:i, s:i, s:o, s:o}", "id", (json_int_t)f->id,
			 "title", f->title, "source", f->source ? f->source : "",
			 "first_year", f->first_year, "n_years", f->n_years, "rows", rows,
			 "totals_cents", tot);
}

static json_t *subsidy_json(const struct subsidy *s, int year)
{
	json_t *pct = json_array();
	for (int y = 0; s->phase_out && y < s->phase_out_years; y++)
		json_array_append_new(pct, json_integer(s->phase_out_pct[y]));
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:s, s:b, s:o, s:s, s:s, s:I}",
		"id", (json_int_t)s->id, "recipient_org_id", (json_int_t)s->recipient_org_id,
		"recipient", s->recipient_name ? s->recipient_name : "",
		"purpose", s->purpose ? s->purpose : "", "kind", subsidy_kind_code(s->kind),
		"from_year", s->from_year, "to_year", s->to_year,
		"cents_per_year", (json_int_t)s->cents_per_year,
		"decision", s->decision ? s->decision : "",
		"end_decision", s->end_decision ? s->end_decision : "",
		"phase_out", s->phase_out, "phase_out_pct", pct,
		"phase_out_scope", s->phase_out_scope ? s->phase_out_scope : "",
		"staff_taken_over", s->staff_taken_over ? s->staff_taken_over : "",
		"cents_this_year", (json_int_t)subsidy_amount_in(s, year));
}

void page_budget(struct req *r, struct resp *w)
{
	struct money_view v;
	struct kv_error e = {0};
	if (load_money(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		budget_page(r, w, &v, NULL, NULL);
		return;
	}
	cal_date today;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &today, &h, &m, &s, &off);
	struct commitment *cm = NULL;
	int ncm = commitments(r, &v, &cm);
	json_t *frames = json_array(), *subs = json_array();
	for (int i = 0; i < v.n_frames; i++) {
		json_t *fj = frame_json(&v.frames[i]);
		struct frame_warning *warn = NULL;
		int nw = frame_check(r->a, &v.frames[i], cm, ncm, &warn);
		json_t *wa = json_array();
		for (int j = 0; j < nw; j++)
			json_array_append_new(wa, json_pack("{s:i, s:I, s:I, s:s}", "year", warn[j].year,
				"frame_cents", (json_int_t)warn[j].frame_cents,
				"committed_cents", (json_int_t)warn[j].committed_cents, "text", warn[j].text));
		json_object_set_new(fj, "warnings", wa);
		json_array_append_new(frames, fj);
	}
	for (int i = 0; i < v.n_subs; i++)
		json_array_append_new(subs, subsidy_json(&v.subs[i], today.year));
	resp_json(r, w, 200, json_pack("{s:I, s:o, s:o}", "tenant_id", (json_int_t)r->tenant,
				       "frames", frames, "subsidies", subs));
}

static void money_answer(struct req *r, struct resp *w, enum kv_status rc,
			 const struct kv_error *e, const char *section, json_t *ok)
{
	if (r->api) {
		if (rc != KV_OK) {
			json_decref(ok);
			resp_error(r, w, e);
		} else {
			resp_json(r, w, 201, ok);
		}
		return;
	}
	json_decref(ok);
	if (rc == KV_OK) {
		resp_redirect(r, w, arena_printf(r->a, "/budget#%s", section));
		return;
	}
	struct money_view v;
	struct kv_error le = {0};
	load_money(r, &v, &le);
	w->status = http_status_of(rc);
	budget_page(r, w, &v, section, e);
}

void page_frame_import(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	const char *csv = in_str(r, "csv_file");
	if (in_blank(csv))
		csv = in_str(r, "csv");
	struct budget_frame f;
	enum kv_status rc = in_blank(csv)
		? kv_fail(&e, KV_INVALID, "csv", _("Choose a CSV file or paste the CSV."))
		: app_frame_import(&r->app, r->tenant, in_str(r, "title"), in_str(r, "source"),
				   csv, strlen(csv), in_bool(in_str(r, "thousands")), &f, &e);
	money_answer(r, w, rc, &e, "frame", rc == KV_OK ? frame_json(&f) : NULL);
}

void page_frame_xlsx(struct req *r, struct resp *w)
{
	struct budget_frame f;
	struct kv_error e = {0};
	if (STORE(r->st, frame_get, r->ids[0], r->a, &f, &e) != KV_OK || f.tenant_id != r->tenant) {
		kv_fail(&e, KV_NOT_FOUND, "", _("There is no such budget frame."));
		resp_error(r, w, &e);
		return;
	}
	unsigned char *data;
	size_t len;
	if (report_frame_xlsx(r->a, &f, &data, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"budgetkader-%lld.xlsx\"", (long long)f.id));
	sbuf_add(&w->body, (const char *)data, len);
}

/* "75, 50, 25" into percentages. */
static enum kv_status parse_pct_list(struct req *r, struct subsidy *s, struct kv_error *e)
{
	if (r->api) {
		json_t *a = json_object_get(r->json, "phase_out_pct");
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v) {
			if (!json_is_integer(v) || s->phase_out_years >= SUBSIDY_MAX_PHASE_YEARS)
				return kv_fail(e, KV_INVALID, "phase_out_pct",
					       _("Give at most five whole percentages, such as 75, 50, 25."));
			s->phase_out_pct[s->phase_out_years++] = (int)json_integer_value(v);
		}
	} else {
		const char *p = in_str(r, "phase_out_pct");
		while (p && *p) {
			while (*p == ' ' || *p == ',' || *p == ';')
				p++;
			if (!*p)
				break;
			char *end;
			long v = strtol(p, &end, 10);
			if (end == p || s->phase_out_years >= SUBSIDY_MAX_PHASE_YEARS)
				return kv_fail(e, KV_INVALID, "phase_out_pct",
					       _("Give at most five whole percentages, such as 75, 50, 25."));
			s->phase_out_pct[s->phase_out_years++] = (int)v;
			p = end;
			while (*p == '%' || *p == ' ')
				p++;
		}
	}
	s->phase_out = s->phase_out_years > 0;
	return KV_OK;
}

void page_subsidy_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct subsidy s = {.tenant_id = r->tenant};
	s.purpose = (char *)in_str(r, "purpose");
	s.decision = (char *)in_str(r, "decision");
	s.phase_out_scope = (char *)in_str(r, "phase_out_scope");
	s.staff_taken_over = (char *)in_str(r, "staff_taken_over");
	const char *kind = in_str(r, "kind");
	int k = kind ? subsidy_kind_from_code(kind) : -1;
	long long from = 0, to = 0;
	enum kv_status rc = k < 0 ? kv_fail(&e, KV_INVALID, "kind", _("Choose the kind of subsidy.")) : KV_OK;
	s.kind = (enum subsidy_kind)(k < 0 ? 0 : k);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "from_year"), 1900, 2200, &from, "from_year", &e);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "to_year"), 1900, 2200, &to, "to_year", &e);
	s.from_year = (int)from;
	s.to_year = (int)to;
	const char *amount = in_str(r, "amount");
	if (rc == KV_OK && !in_blank(amount))
		rc = eur_parse(amount, &s.cents_per_year, "amount", &e);
	if (rc == KV_OK)
		rc = parse_pct_list(r, &s, &e);
	/* The recipient: an organisation known by KvK, registered if new. */
	struct org o;
	const char *kvk = in_str(r, "recipient_kvk");
	if (rc == KV_OK)
		rc = kvk_check(kvk, "recipient_kvk", &e);
	if (rc == KV_OK) {
		rc = STORE(r->st, org_by_kvk, kvk, r->a, &o, &e);
		if (rc == KV_NOT_FOUND) {
			o = (struct org){.name = (char *)in_str(r, "recipient_name"), .kvk = (char *)kvk,
					 .kind = ORG_SUPPLIER};
			rc = app_org_create(&r->app, &o, &e);
			if (rc != KV_OK && !strcmp(e.field, "name"))
				snprintf(e.field, sizeof e.field, "recipient_name");
		}
	}
	s.recipient_org_id = rc == KV_OK ? o.id : 0;
	if (rc == KV_OK)
		rc = app_subsidy_create(&r->app, &s, &e);
	money_answer(r, w, rc, &e, "subsidy",
		     rc == KV_OK ? json_pack("{s:I}", "id", (json_int_t)s.id) : NULL);
}

/* Another municipality's subsidy does not exist for this one, before
 * anything about the input is said.  False when it has answered. */
static bool own_subsidy(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct subsidy *list = NULL;
	int n = 0;
	if (STORE(r->st, subsidy_list, r->tenant, r->a, &list, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return false;
	}
	for (int i = 0; i < n; i++)
		if (list[i].id == r->ids[0])
			return true;
	kv_fail(&e, KV_NOT_FOUND, "", _("There is no such subsidy."));
	resp_error(r, w, &e);
	return false;
}

void page_subsidy_extend(struct req *r, struct resp *w)
{
	if (!own_subsidy(r, w))
		return;
	struct kv_error e = {0};
	long long to = 0;
	enum kv_status rc = in_int(in_str(r, "to_year"), 1900, 2200, &to, "to_year", &e);
	if (rc == KV_OK)
		rc = app_subsidy_extend(&r->app, r->tenant, r->ids[0], (int)to, in_str(r, "decision"), &e);
	money_answer(r, w, rc, &e, "subsidies",
		     rc == KV_OK ? json_pack("{s:I, s:i}", "id", (json_int_t)r->ids[0], "to_year", (int)to) : NULL);
}

void page_subsidy_terminate(struct req *r, struct resp *w)
{
	if (!own_subsidy(r, w))
		return;
	struct kv_error e = {0};
	long long last = 0;
	struct subsidy po = {0};
	enum kv_status rc = in_int(in_str(r, "last_year"), 1900, 2200, &last, "last_year", &e);
	if (rc == KV_OK)
		rc = parse_pct_list(r, &po, &e);
	po.phase_out_scope = (char *)in_str(r, "phase_out_scope");
	po.staff_taken_over = (char *)in_str(r, "staff_taken_over");
	if (rc == KV_OK)
		rc = app_subsidy_terminate(&r->app, r->tenant, r->ids[0], (int)last,
					   in_str(r, "decision"), po.phase_out ? &po : NULL, &e);
	money_answer(r, w, rc, &e, "subsidies",
		     rc == KV_OK ? json_pack("{s:I, s:i}", "id", (json_int_t)r->ids[0], "last_year", (int)last) : NULL);
}

/* ---- organisation-form history -------------------------------------------- */

static void history_page(struct req *r, struct resp *w, struct form_period *p, int n,
			 const struct kv_error *e)
{
	sbuf *b = &w->body;
	layout_begin(r, w, _("Organisation forms"));
	html_f(b, "<h1>%s</h1><p>%s</p>", _("Organisation forms"),
	       _("Who delivered each assignment, in which form, over the years."));
	const char *current = NULL;
	for (int i = 0; i < n; i++) {
		if (!current || strcmp(current, p[i].assignment) != 0) {
			if (current)
				html_f(b, "</ol>");
			current = p[i].assignment;
			html_f(b, "<h2>%s</h2><ol class=\"timeline\">", current);
		}
		html_f(b, "<li class=\"stage done\" data-form=\"%s\"><h3>%d–%s: %s</h3><p>%s</p><p class=\"source\">%s</p></li>",
		       org_form_code(p[i].form), p[i].from_year,
		       p[i].to_year ? arena_printf(r->a, "%d", p[i].to_year) : _("now"),
		       org_form_label(p[i].form), p[i].parties ? p[i].parties : "",
		       p[i].source ? p[i].source : "");
	}
	if (current)
		html_f(b, "</ol>");
	if (!n)
		html_f(b, "<p>%s</p>", _("No history is recorded."));
	if (r->roles & ROLE_BUYER) {
		form_error_summary(r, w, e);
		html_f(b, "<h2>%s</h2><form method=\"post\" action=\"/history\" class=\"form\" novalidate>%R"
			  "<label>%s <input name=\"assignment\" value=\"%s\"></label>"
			  "<label>%s <input name=\"from_year\" inputmode=\"numeric\" value=\"%s\"></label>"
			  "<label>%s <input name=\"to_year\" inputmode=\"numeric\" value=\"%s\"></label>"
			  "<label>%s <select name=\"form\">",
		       _("Add a period"), csrf_input(r), _("Assignment"), refill(r, "assignment", ""),
		       _("From year"), refill(r, "from_year", ""), _("To year (empty: still so)"),
		       refill(r, "to_year", ""), _("Form"));
		for (int f = FORM_SEPARATE_SUBSIDIES; f <= FORM_SINGLE_PROVIDER; f++)
			html_f(b, "<option value=\"%s\">%s</option>", org_form_code(f), org_form_label(f));
		html_f(b, "</select></label><label>%s <input name=\"parties\" value=\"%s\"></label>"
			  "<label>%s <input name=\"source\" value=\"%s\"></label>"
			  "<button type=\"submit\">%s</button></form>",
		       _("Parties"), refill(r, "parties", ""), _("Source"), refill(r, "source", ""),
		       _("Add period"));
	}
	layout_end(r, w);
}

void page_history(struct req *r, struct resp *w)
{
	struct form_period *p = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (STORE(r->st, form_period_list, r->tenant, r->a, &p, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		history_page(r, w, p, n, NULL);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:s}",
			"id", (json_int_t)p[i].id, "assignment", p[i].assignment,
			"from_year", p[i].from_year, "to_year", p[i].to_year,
			"form", org_form_code(p[i].form), "parties", p[i].parties ? p[i].parties : "",
			"source", p[i].source ? p[i].source : ""));
	resp_json(r, w, 200, json_pack("{s:o}", "periods", arr));
}

void page_history_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_period p = {.tenant_id = r->tenant};
	p.assignment = (char *)in_str(r, "assignment");
	p.parties = (char *)in_str(r, "parties");
	p.source = (char *)in_str(r, "source");
	const char *f = in_str(r, "form");
	int fm = f ? org_form_from_code(f) : -1;
	long long from = 0, to = 0;
	enum kv_status rc = fm < 0 ? kv_fail(&e, KV_INVALID, "form", _("Choose the organisation form.")) : KV_OK;
	p.form = (enum org_form)(fm < 0 ? 0 : fm);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "from_year"), 1900, 2200, &from, "from_year", &e);
	const char *t = in_str(r, "to_year");
	if (rc == KV_OK && !in_blank(t) && strcmp(t, "0") != 0)
		rc = in_int(t, 1900, 2200, &to, "to_year", &e);
	p.from_year = (int)from;
	p.to_year = (int)to;
	if (rc == KV_OK)
		rc = app_form_period_create(&r->app, &p, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:I}", "id", (json_int_t)p.id));
		return;
	}
	if (rc == KV_OK) {
		resp_redirect(r, w, "/history");
		return;
	}
	struct form_period *list = NULL;
	int n = 0;
	struct kv_error le;
	STORE(r->st, form_period_list, r->tenant, r->a, &list, &n, &le);
	w->status = http_status_of(rc);
	history_page(r, w, list, n, &e);
}
