/*
 * page_budget.c - the municipality's money and history: budget frames with
 * their taakstellingen (import from CSV, export as XLSX, checked against
 * what contracts and subsidies commit), subsidies with their phase-out,
 * and the history of organisation forms per assignment.  What is shown
 * comes from app/read_steering.h; the markup is tmpl/budget_*.tmpl and the
 * forms are declared once (form.h).
 */
#include <stdlib.h>
#include <string.h>

#include "app/read_steering.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "report/report.h"
#include "templates.h"
#include "view.h"

#define COUNT(a) ((int)(sizeof (a) / sizeof *(a)))

static const char *const subsidy_states[] = {
	[SUBSIDY_ACTIVE] = N_("active"), [SUBSIDY_ENDED] = N_("ended"),
	[SUBSIDY_PHASING_OUT] = N_("phasing out")};

/* ---- the forms, each declared once ---------------------------------------- */

static const struct form_field frame_fields[] = {
	{.name = "title", .label = N_("Title"), .required = true},
	{.name = "source", .label = N_("Source")},
	{.name = "thousands", .label = N_("amounts are in thousands of euros (k€)"),
	 .kind = FIELD_CHECKBOX},
	{.name = "csv_file", .label = N_("CSV file"), .kind = FIELD_FILE, .accept = ".csv,text/csv",
	 .help = N_("First line: a label and the years, e.g. categorie;2021;2022;2023. Then one line per category; a line starting with \"Taakstelling\" or \"Totaal taakstellingen\" is a taakstelling; a line \"Totaal\" is checked against the sums. One bad line and nothing is imported.")},
	{.name = "csv", .label = N_("or paste the CSV here"), .kind = FIELD_TEXTAREA, .rows = 6},
};

static const struct form_field extend_fields[] = {
	{.name = "to_year", .label = N_("Extend to year"), .kind = FIELD_NUMBER, .required = true},
	{.name = "decision", .label = N_("Decision")},
};

static const struct form_field end_fields[] = {
	{.name = "last_year", .label = N_("Last year"), .kind = FIELD_NUMBER, .required = true},
	{.name = "decision", .label = N_("Decision"), .required = true},
	{.name = "phase_out_pct", .label = N_("Phase-out: percentage paid in each year after"),
	 .placeholder = "75, 50, 25"},
	{.name = "phase_out_scope", .label = N_("What decreases (overhead, support staff)")},
	{.name = "staff_taken_over", .label = N_("Staff taken over by the winner")},
};

static const struct form_field subsidy_fields[] = {
	{.name = "recipient_name", .label = N_("Recipient"), .required = true},
	{.name = "recipient_kvk", .label = N_("KvK number"), .kind = FIELD_NUMBER, .required = true},
	{.name = "purpose", .label = N_("Purpose"), .required = true},
	{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT},   /* options: the core's kinds */
	{.name = "from_year", .label = N_("From year"), .kind = FIELD_NUMBER, .required = true},
	{.name = "to_year", .label = N_("To year"), .kind = FIELD_NUMBER, .required = true},
	{.name = "amount", .label = N_("Amount per year (EUR)"), .kind = FIELD_DECIMAL},
	{.name = "decision", .label = N_("Decision")},
	{.name = "phase_out_pct", .label = N_("Percentage paid in each year after the end"),
	 .placeholder = "75, 50, 25", .group = N_("Phase-out arrangement (afbouwregeling), optional")},
	{.name = "phase_out_scope", .label = N_("What decreases (overhead, support staff)")},
	{.name = "staff_taken_over", .label = N_("Staff taken over by the winner"), .group_end = true},
};

/* Where a refusal of the budget page's forms is shown: the form of
 * `section` ("frame", "subsidy", "extend-7", "end-7"). */
struct refusal {
	const char *section;
	const struct form_errors *fe;
};

static const struct form_errors *errors_for(const struct refusal *rf, const char *section)
{
	return rf->fe && rf->fe->n && rf->section && strcmp(rf->section, section) == 0
		? rf->fe : NULL;
}

/* id makes the fields' ids unique where the page repeats the form (one
 * per subsidy); NULL for a form shown once. */
static html_t budget_form(struct req *r, const char *action, const char *id,
			  const char *submit, const struct form_field *fs, int n,
			  const struct form_errors *fe, const char *refused)
{
	struct form f = {.action = action, .id = id, .submit = submit, .fields = fs,
			 .n_fields = n, .errors = fe, .refused = refused};
	return form_html(r, &f);
}

/* ---- the budget page ------------------------------------------------------ */

static struct tv_budget_page_frames frame_view(struct req *r, const struct frame_view *fv)
{
	const struct budget_frame *f = fv->f;
	int ny = f->n_years;
	struct tv_budget_page_frames t = {
		.id = f->id, .title = f->title, .source = f->source ? f->source : "",
		.n_years = ny, .n_rows = f->n_rows, .n_totals = ny, .n_warnings = fv->n_warnings};
	struct tv_budget_page_frames_years *ys = arena_alloc(r->a, (size_t)(ny + 1) * sizeof *ys);
	struct tv_budget_page_frames_totals *ts = arena_alloc(r->a, (size_t)(ny + 1) * sizeof *ts);
	for (int y = 0; y < ny; y++) {
		ys[y].year = f->first_year + y;
		ts[y].amount = fmt_eur(r, fv->totals[y]);
	}
	struct tv_budget_page_frames_rows *rows =
	    arena_alloc(r->a, (size_t)(f->n_rows + 1) * sizeof *rows);
	for (int i = 0; i < f->n_rows; i++) {
		const struct frame_row *row = &f->rows[i];
		struct tv_budget_page_frames_rows_cells *cs =
		    arena_alloc(r->a, (size_t)(ny + 1) * sizeof *cs);
		for (int y = 0; y < ny; y++)
			cs[y].amount = row->has[y] ? fmt_eur(r, row->cents[y]) : "";
		rows[i] = (struct tv_budget_page_frames_rows){
			.taakstelling = row->taakstelling, .category = row->category,
			.cells = cs, .n_cells = ny};
	}
	struct tv_budget_page_frames_warnings *ws =
	    arena_alloc(r->a, (size_t)(fv->n_warnings + 1) * sizeof *ws);
	for (int j = 0; j < fv->n_warnings; j++)
		ws[j].text = fv->warnings[j].text;
	t.years = ys;
	t.totals = ts;
	t.rows = rows;
	t.warnings = ws;
	return t;
}

static struct tv_budget_page_subs subsidy_view(struct req *r, const struct subsidy_view *sv,
					       bool buyer, const struct refusal *rf)
{
	const struct subsidy *sb = sv->s;
	struct tv_budget_page_subs t = {
		.id = sb->id, .recipient = sb->recipient_name ? sb->recipient_name : "",
		.purpose = sb->purpose ? sb->purpose : "", .kind = subsidy_kind_label(sb->kind),
		.from_year = sb->from_year, .to_year = sb->to_year,
		.per_year = sb->cents_per_year ? fmt_eur(r, sb->cents_per_year) : "—",
		.decision = sb->decision ? sb->decision : "",
		.end_decision = sb->end_decision ? sb->end_decision : "",
		.state = LABEL_OF(subsidy_states, sv->state), .phase_out = sb->phase_out,
		.phase_out_scope = sb->phase_out_scope ? sb->phase_out_scope : "",
		.staff_taken_over = sb->staff_taken_over ? sb->staff_taken_over : ""};
	const char *years = "";
	for (int y = 0; sb->phase_out && y < sb->phase_out_years; y++)
		years = arena_printf(r->a, "%s%s%d: %d%%", years, y ? ", " : "",
				     sb->to_year + 1 + y, sb->phase_out_pct[y]);
	t.phase_out_years = years;
	if (buyer) {
		const char *ext = arena_printf(r->a, "extend-%lld", (long long)sb->id);
		const char *end = arena_printf(r->a, "end-%lld", (long long)sb->id);
		t.extend_form = budget_form(r, arena_printf(r->a, "/subsidies/%lld/extend", (long long)sb->id),
					    ext, _("Extend"), extend_fields, COUNT(extend_fields),
					    errors_for(rf, ext), NULL);
		t.terminate_form = budget_form(r, arena_printf(r->a, "/subsidies/%lld/terminate", (long long)sb->id),
					       end, _("End the subsidy"), end_fields, COUNT(end_fields),
					       errors_for(rf, end), NULL);
		t.forms_open = errors_for(rf, ext) || errors_for(rf, end);
	}
	return t;
}

static void budget_page(struct req *r, struct resp *w, const struct budget_view *v,
			const char *section, const struct form_errors *fe)
{
	bool buyer = r->roles & ROLE_BUYER;
	struct refusal rf = {section, fe};
	struct tv_budget_page t = {.n_frames = v->n_frames, .n_subs = v->n_subs};
	struct tv_budget_page_frames *fs = arena_alloc(r->a, (size_t)(v->n_frames + 1) * sizeof *fs);
	for (int i = 0; i < v->n_frames; i++)
		fs[i] = frame_view(r, &v->frames[i]);
	struct tv_budget_page_subs *ss = arena_alloc(r->a, (size_t)(v->n_subs + 1) * sizeof *ss);
	for (int i = 0; i < v->n_subs; i++)
		ss[i] = subsidy_view(r, &v->subs[i], buyer, &rf);
	t.frames = fs;
	t.subs = ss;
	if (buyer) {
		t.frame_form = budget_form(r, "/budget/frames", NULL, _("Import"), frame_fields,
					   COUNT(frame_fields), errors_for(&rf, "frame"),
					   _("Nothing was imported."));
		t.frame_form_open = errors_for(&rf, "frame") != NULL;
		struct form_field *sf = arena_alloc(r->a, sizeof subsidy_fields);
		memcpy(sf, subsidy_fields, sizeof subsidy_fields);
		struct field_option *kinds = arena_alloc(r->a, (SUBSIDY_INCIDENTAL + 1) * sizeof *kinds);
		int nk = 0;
		for (int k = SUBSIDY_MULTI_YEAR; k <= SUBSIDY_INCIDENTAL; k++)
			kinds[nk++] = (struct field_option){subsidy_kind_code(k), subsidy_kind_label(k)};
		for (int i = 0; i < COUNT(subsidy_fields); i++)
			if (strcmp(sf[i].name, "kind") == 0) {
				sf[i].options = kinds;
				sf[i].n_options = nk;
				sf[i].options_translated = true;
			}
		t.subsidy_form = budget_form(r, "/subsidies", NULL, _("Record subsidy"), sf,
					     COUNT(subsidy_fields), errors_for(&rf, "subsidy"),
					     form_not_saved());
		t.subsidy_form_open = errors_for(&rf, "subsidy") != NULL;
	}
	layout_begin(r, w, _("Budget"));
	tmpl_budget_page(&w->body, &t);
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

static json_t *subsidy_json(const struct subsidy_view *sv)
{
	const struct subsidy *s = sv->s;
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
		"cents_this_year", (json_int_t)sv->cents_this_year);
}

void page_budget(struct req *r, struct resp *w)
{
	struct budget_view v;
	struct kv_error e = {0};
	if (app_budget_view(&r->app, r->tenant, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		budget_page(r, w, &v, NULL, NULL);
		return;
	}
	json_t *frames = json_array(), *subs = json_array();
	for (int i = 0; i < v.n_frames; i++) {
		const struct frame_view *f = &v.frames[i];
		json_t *fj = frame_json(f->f);
		json_t *wa = json_array();
		for (int j = 0; j < f->n_warnings; j++)
			json_array_append_new(wa, json_pack("{s:i, s:I, s:I, s:s}", "year", f->warnings[j].year,
				"frame_cents", (json_int_t)f->warnings[j].frame_cents,
				"committed_cents", (json_int_t)f->warnings[j].committed_cents,
				"text", f->warnings[j].text));
		json_object_set_new(fj, "warnings", wa);
		json_array_append_new(frames, fj);
	}
	for (int i = 0; i < v.n_subs; i++)
		json_array_append_new(subs, subsidy_json(&v.subs[i]));
	resp_json(r, w, 200, json_pack("{s:I, s:o, s:o}", "tenant_id", (json_int_t)r->tenant,
				       "frames", frames, "subsidies", subs));
}

/* After an action: the API answers 201 with ok, a page goes back to the
 * budget at anchor, or shows it again with the refusal at the form of
 * section. */
static void money_answer(struct req *r, struct resp *w, const struct form_errors *fe,
			 const char *section, const char *anchor, json_t *ok, enum done_code done)
{
	if (r->api) {
		if (fe->n) {
			json_decref(ok);
			resp_error(r, w, &fe->items[0]);
		} else {
			resp_json(r, w, 201, ok);
		}
		return;
	}
	json_decref(ok);
	if (!fe->n) {
		resp_redirect_done(r, w, arena_printf(r->a, "/budget#%s", anchor), done);
		return;
	}
	struct budget_view v;
	struct kv_error le = {0};
	if (app_budget_view(&r->app, r->tenant, &v, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	w->status = http_status_of(form_errors_status(fe));
	budget_page(r, w, &v, section, fe);
}

void page_frame_import(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e = {0};
	const char *csv = in_str(r, "csv_file");
	if (in_blank(csv))
		csv = in_str(r, "csv");
	struct budget_frame f;
	if (in_blank(csv)) {
		kv_fail(&e, KV_INVALID, "csv", _("Choose a CSV file or paste the CSV."));
		form_errors_add(&fe, &e);
	} else if (app_frame_import(&r->app, r->tenant, in_str(r, "title"), in_str(r, "source"),
				    csv, strlen(csv), in_bool(in_str(r, "thousands")), &f, &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	money_answer(r, w, &fe, "frame", "frame", fe.n ? NULL : frame_json(&f), DONE_FRAME_IMPORTED);
}

void page_frame_xlsx(struct req *r, struct resp *w)
{
	struct budget_frame f;
	struct kv_error e = {0};
	if (app_frame_get(&r->app, r->tenant, r->ids[0], &f, &e) != KV_OK) {
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
	struct form_errors fe = {0};
	struct kv_error e;
	struct subsidy s = {.tenant_id = r->tenant};
	s.purpose = (char *)in_str(r, "purpose");
	s.decision = (char *)in_str(r, "decision");
	s.phase_out_scope = (char *)in_str(r, "phase_out_scope");
	s.staff_taken_over = (char *)in_str(r, "staff_taken_over");
	const char *kind = in_str(r, "kind");
	int k = kind ? subsidy_kind_from_code(kind) : -1;
	if (k < 0) {
		kv_fail(&e, KV_INVALID, "kind", _("Choose the kind of subsidy."));
		form_errors_add(&fe, &e);
	}
	s.kind = (enum subsidy_kind)(k < 0 ? 0 : k);
	long long from = 0, to = 0;
	if (in_int(in_str(r, "from_year"), 1900, 2200, &from, "from_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (in_int(in_str(r, "to_year"), 1900, 2200, &to, "to_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	s.from_year = (int)from;
	s.to_year = (int)to;
	const char *amount = in_str(r, "amount");
	if (!in_blank(amount) && eur_parse(amount, &s.cents_per_year, "amount", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (parse_pct_list(r, &s, &e) != KV_OK)
		form_errors_add(&fe, &e);
	const char *kvk = in_str(r, "recipient_kvk");
	if (fe.n) {
		/* What the recipient's number and the core's checks of the
		 * rest (an empty purpose) would refuse, at once. */
		if (kvk_check(kvk, "recipient_kvk", &e) != KV_OK)
			form_errors_add(&fe, &e);
		if (subsidy_check(&s, &e) != KV_OK)
			form_errors_add(&fe, &e);
	} else if (app_subsidy_record(&r->app, &s, kvk, in_str(r, "recipient_name"), &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	money_answer(r, w, &fe, "subsidy", "subsidy",
		     fe.n ? NULL : json_pack("{s:I}", "id", (json_int_t)s.id), DONE_SUBSIDY_RECORDED);
}

/* Another municipality's subsidy does not exist for this one, before
 * anything about the input is said.  False when it has answered. */
static bool own_subsidy(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct subsidy s;
	if (app_subsidy_get(&r->app, r->tenant, r->ids[0], &s, &e) == KV_OK)
		return true;
	resp_error(r, w, &e);
	return false;
}

void page_subsidy_extend(struct req *r, struct resp *w)
{
	if (!own_subsidy(r, w))
		return;
	struct form_errors fe = {0};
	struct kv_error e = {0};
	long long to = 0;
	if (in_int(in_str(r, "to_year"), 1900, 2200, &to, "to_year", &e) != KV_OK ||
	    app_subsidy_extend(&r->app, r->tenant, r->ids[0], (int)to, in_str(r, "decision"), &e) != KV_OK)
		form_errors_add(&fe, &e);
	money_answer(r, w, &fe, arena_printf(r->a, "extend-%lld", (long long)r->ids[0]), "subsidies",
		     fe.n ? NULL : json_pack("{s:I, s:i}", "id", (json_int_t)r->ids[0], "to_year", (int)to),
		     DONE_SUBSIDY_EXTENDED);
}

void page_subsidy_terminate(struct req *r, struct resp *w)
{
	if (!own_subsidy(r, w))
		return;
	struct form_errors fe = {0};
	struct kv_error e = {0};
	long long last = 0;
	struct subsidy po = {0};
	if (in_int(in_str(r, "last_year"), 1900, 2200, &last, "last_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (parse_pct_list(r, &po, &e) != KV_OK)
		form_errors_add(&fe, &e);
	po.phase_out_scope = (char *)in_str(r, "phase_out_scope");
	po.staff_taken_over = (char *)in_str(r, "staff_taken_over");
	if (!fe.n && app_subsidy_terminate(&r->app, r->tenant, r->ids[0], (int)last,
					   in_str(r, "decision"), po.phase_out ? &po : NULL, &e) != KV_OK)
		form_errors_add(&fe, &e);
	money_answer(r, w, &fe, arena_printf(r->a, "end-%lld", (long long)r->ids[0]), "subsidies",
		     fe.n ? NULL : json_pack("{s:I, s:i}", "id", (json_int_t)r->ids[0], "last_year", (int)last),
		     DONE_SUBSIDY_ENDED);
}

/* ---- organisation-form history -------------------------------------------- */

static void history_page(struct req *r, struct resp *w, const struct history_view *v,
			 const struct form_errors *fe)
{
	struct tv_budget_history_groups *gs =
	    arena_alloc(r->a, (size_t)(v->n_groups + 1) * sizeof *gs);
	for (int i = 0; i < v->n_groups; i++) {
		const struct assignment_history *g = &v->groups[i];
		struct tv_budget_history_groups_periods *ps =
		    arena_alloc(r->a, (size_t)(g->n + 1) * sizeof *ps);
		for (int j = 0; j < g->n; j++) {
			const struct form_period *p = &g->periods[j];
			ps[j] = (struct tv_budget_history_groups_periods){
				.form_code = org_form_code(p->form), .from_year = p->from_year,
				.to_year = p->to_year ? arena_printf(r->a, "%d", p->to_year) : _("now"),
				.form_label = org_form_label(p->form),
				.parties = p->parties ? p->parties : "",
				.source = p->source ? p->source : ""};
		}
		gs[i] = (struct tv_budget_history_groups){
			.assignment = g->assignment, .periods = ps, .n_periods = g->n};
	}
	struct tv_budget_history t = {.groups = gs, .n_groups = v->n_groups};
	if (r->roles & ROLE_BUYER) {
		struct field_option *forms = arena_alloc(r->a, (FORM_SINGLE_PROVIDER + 1) * sizeof *forms);
		int nf = 0;
		for (int f = FORM_SEPARATE_SUBSIDIES; f <= FORM_SINGLE_PROVIDER; f++)
			forms[nf++] = (struct field_option){org_form_code(f), org_form_label(f)};
		struct form_field fs[] = {
			{.name = "assignment", .label = N_("Assignment"), .required = true},
			{.name = "from_year", .label = N_("From year"), .kind = FIELD_NUMBER, .required = true},
			{.name = "to_year", .label = N_("To year (empty: still so)"), .kind = FIELD_NUMBER},
			{.name = "form", .label = N_("Form"), .kind = FIELD_SELECT, .options = forms,
			 .n_options = nf, .options_translated = true},
			{.name = "parties", .label = N_("Parties")},
			{.name = "source", .label = N_("Source")},
		};
		t.form = budget_form(r, "/history", NULL, _("Add period"), fs, COUNT(fs), fe,
				     form_not_saved());
	}
	layout_begin(r, w, _("Organisation forms"));
	tmpl_budget_history(&w->body, &t);
	layout_end(r, w);
}

void page_history(struct req *r, struct resp *w)
{
	struct history_view v;
	struct kv_error e = {0};
	if (app_history_view(&r->app, r->tenant, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		history_page(r, w, &v, NULL);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < v.n; i++) {
		const struct form_period *p = &v.periods[i];
		json_array_append_new(arr, json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:s}",
			"id", (json_int_t)p->id, "assignment", p->assignment,
			"from_year", p->from_year, "to_year", p->to_year,
			"form", org_form_code(p->form), "parties", p->parties ? p->parties : "",
			"source", p->source ? p->source : ""));
	}
	resp_json(r, w, 200, json_pack("{s:o}", "periods", arr));
}

void page_history_add(struct req *r, struct resp *w)
{
	struct form_errors fe = {0};
	struct kv_error e;
	struct form_period p = {.tenant_id = r->tenant};
	p.assignment = (char *)in_str(r, "assignment");
	p.parties = (char *)in_str(r, "parties");
	p.source = (char *)in_str(r, "source");
	const char *f = in_str(r, "form");
	int fm = f ? org_form_from_code(f) : -1;
	if (fm < 0) {
		kv_fail(&e, KV_INVALID, "form", _("Choose the organisation form."));
		form_errors_add(&fe, &e);
	}
	p.form = (enum org_form)(fm < 0 ? 0 : fm);
	long long from = 0, to = 0;
	if (in_int(in_str(r, "from_year"), 1900, 2200, &from, "from_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	const char *t = in_str(r, "to_year");
	if (!in_blank(t) && strcmp(t, "0") != 0 &&
	    in_int(t, 1900, 2200, &to, "to_year", &e) != KV_OK)
		form_errors_add(&fe, &e);
	p.from_year = (int)from;
	p.to_year = (int)to;
	if (!fe.n && app_form_period_create(&r->app, &p, &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (r->api) {
		resp_created(r, w, &fe, fe.n ? NULL : json_pack("{s:I}", "id", (json_int_t)p.id));
		return;
	}
	if (!fe.n) {
		resp_redirect_done(r, w, "/history", DONE_HISTORY_ADDED);
		return;
	}
	struct history_view v;
	struct kv_error le = {0};
	if (app_history_view(&r->app, r->tenant, &v, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	w->status = http_status_of(form_errors_status(&fe));
	history_page(r, w, &v, &fe);
}
