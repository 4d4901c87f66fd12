/*
 * page_calendar.c - the legal calendar: the holidays of the Algemene
 * termijnenwet for a year, the equated days (shipped and added by the
 * municipality), and a standstill calculator that shows its rule.  Read
 * by app/read_calendar.c, shown by tmpl/calendar_page.tmpl; its forms are
 * declared once (form.h).
 */
#include <stdlib.h>
#include <string.h>

#include "app/read_calendar.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

/* The municipality whose calendar this account sees: its first grant's. */
static int64_t account_tenant(const struct req *r, bool buyer_only)
{
	for (int i = 0; i < r->n_grants; i++)
		if (!buyer_only || (r->grants[i].role == ROLE_BUYER && r->grants[i].procedure_id == 0))
			return r->grants[i].tenant_id;
	return 0;
}

/* The page: the year's days, the standstill of ?sent= (its refusal at
 * its field), and for a buyer the form for an equated day (fe: its
 * refusal; year_err: a ?year= that is no year). */
static void calendar_html(struct req *r, struct resp *w, const struct calendar_year *cy,
			  const struct form_errors *year_err, const char *sent,
			  const struct cal_explained *ex, const struct form_errors *sent_err,
			  const struct form_errors *fe)
{
	int n = cy->n_holidays + cy->n_equated;
	struct tv_calendar_page_days *days = arena_alloc(r->a, (size_t)(n + 1) * sizeof *days);
	for (int i = 0; i < cy->n_holidays; i++)
		days[i] = (struct tv_calendar_page_days){
			.date = cal_format_long(r->a, cy->holidays[i]),
			.name = cy->why[i].name, .source = cy->why[i].source};
	for (int i = 0; i < cy->n_equated; i++)
		days[cy->n_holidays + i] = (struct tv_calendar_page_days){
			.date = cal_format_long(r->a, cy->equated[i]->date),
			.name = cy->equated[i]->name, .source = cy->equated[i]->source,
			.equated = true};
	const char *year = arena_printf(r->a, "%d", cy->year);
	struct form_field year_field[] = {
		{.name = "year", .label = N_("Year"), .kind = FIELD_NUMBER, .value = year}};
	struct form_field sent_fields[] = {
		{.name = "year", .kind = FIELD_HIDDEN, .value = year},
		{.name = "sent", .label = N_("Award decision sent on"), .kind = FIELD_DATE,
		 .value = sent ? sent : ""}};
	static const struct form_field equated_fields[] = {
		{.name = "date", .label = N_("Date"), .kind = FIELD_DATE},
		{.name = "name", .label = N_("Name")},
		{.name = "source", .label = N_("Source (decree)")},
	};
	struct form year_form = {
		.action = "/calendar", .method = "get", .css = "form inline-form",
		.submit = _("Show"), .fields = year_field, .n_fields = 1,
		.errors = year_err, .no_csrf = true};
	struct form sent_form = {
		.action = "/calendar", .method = "get", .css = "form inline-form",
		.submit = _("Compute"), .fields = sent_fields, .n_fields = 2,
		.errors = sent_err, .no_csrf = true};
	struct form equated_form = {
		.action = "/calendar/equated", .submit = _("Add day"),
		.fields = equated_fields, .n_fields = 3, .errors = fe, .refused = form_not_saved()};
	struct tv_calendar_page v = {
		.year = cy->year,
		.days = days,
		.n_days = n,
		.year_form = form_html(r, &year_form),
		.standstill_form = form_html(r, &sent_form),
		.has_end = ex != NULL,
		.end = ex ? cal_format_local(r->a, ex->end) : "",
		.rule = ex ? ex->rule : "",
		.source = ex ? ex->source : "",
		.equated_form = account_tenant(r, true) ? form_html(r, &equated_form) : (html_t){0},
	};
	layout_begin(r, w, _("Legal calendar"));
	tmpl_calendar_page(&w->body, &v);
	layout_end(r, w);
}

static void calendar_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	struct kv_error le = {0};
	struct form_errors year_err = {0};
	cal_date today;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &today, &h, &m, &s, &off);
	long long year = today.year;
	const char *y = in_str(r, "year");
	if (!in_blank(y) && in_int(y, 1900, 2200, &year, "year", &le) != KV_OK) {
		if (r->api) {
			resp_error(r, w, &le);
			return;
		}
		/* the page: this year's, the refusal at the year's field */
		form_errors_add(&year_err, &le);
		year = today.year;
	}
	struct calendar_year cy;
	if (app_calendar_year(&r->app, account_tenant(r, false), (int)year, &cy, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	char buf[16];

	/* Optional standstill calculation. */
	const char *sent = in_str(r, "sent");
	struct cal_explained ex;
	struct kv_error se = {0};
	bool have_ex = false;
	if (!in_blank(sent)) {
		cal_date d;
		if (cal_parse_date(sent, &d, "sent", &se) == 0 &&
		    cal_standstill_end(&cy.cal, d, 20, &ex, &se) == 0)
			have_ex = true;
	}

	if (r->api) {
		json_t *hol = json_array();
		for (int i = 0; i < cy.n_holidays; i++)
			json_array_append_new(hol, json_pack("{s:s, s:s, s:s}", "date",
				cal_format_date(cy.holidays[i], buf), "name", cy.why[i].name,
				"source", cy.why[i].source));
		json_t *eq = json_array();
		for (int i = 0; i < cy.n_equated; i++)
			json_array_append_new(eq, json_pack("{s:s, s:s, s:s}", "date",
				cal_format_date(cy.equated[i]->date, buf), "name",
				cy.equated[i]->name, "source", cy.equated[i]->source));
		json_t *j = json_pack("{s:I, s:o, s:o}", "year", (json_int_t)year,
				      "holidays", hol, "equated", eq);
		if (have_ex)
			json_object_set_new(j, "standstill", json_pack("{s:s, s:o, s:s, s:s}",
				"last_day", cal_format_date(ex.date, buf), "end",
				json_instant(r->a, ex.end), "rule", ex.rule, "source", ex.source));
		else if (se.status)
			json_object_set_new(j, "standstill_error", json_string(se.msg));
		resp_json(r, w, 200, j);
		return;
	}
	struct form_errors sent_err = {0};
	if (!have_ex)
		form_errors_add(&sent_err, &se);
	if (year_err.n)
		w->status = http_status_of(year_err.items[0].status);
	calendar_html(r, w, &cy, &year_err, sent, have_ex ? &ex : NULL, &sent_err, fe);
}

void page_calendar(struct req *r, struct resp *w)
{
	calendar_page(r, w, NULL);
}

void page_equated_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	struct cal_equated_day d = {0};
	int64_t tenant = account_tenant(r, true);
	const char *date = in_str(r, "date");
	enum kv_status rc = in_blank(date)
		? kv_fail(&e, KV_INVALID, "date", _("Fill in the date."))
		: (cal_parse_date(date, &d.date, "date", &e) == 0 ? KV_OK : KV_INVALID);
	d.name = in_str(r, "name");
	d.source = in_str(r, "source");
	if (rc == KV_OK)
		rc = app_equated_add(&r->app, tenant, &d, &e);
	if (r->api) {
		char buf[16];
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:s, s:s, s:s}", "date",
				cal_format_date(d.date, buf), "name", d.name, "source", d.source));
		return;
	}
	if (rc != KV_OK) {
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		calendar_page(r, w, &fe);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/calendar?year=%d", d.date.year));
}
