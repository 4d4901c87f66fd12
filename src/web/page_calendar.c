/*
 * page_calendar.c - the legal calendar: the holidays of the Algemene
 * termijnenwet for a year, the equated days (shipped and added by the
 * municipality), and a standstill calculator that shows its rule.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

/* The municipality whose calendar this account sees: its first grant's. */
static int64_t account_tenant(const struct req *r, bool buyer_only)
{
	for (int i = 0; i < r->n_grants; i++)
		if (!buyer_only || (r->grants[i].role == ROLE_BUYER && r->grants[i].procedure_id == 0))
			return r->grants[i].tenant_id;
	return 0;
}

static void calendar_page(struct req *r, struct resp *w, const struct kv_error *e)
{
	struct kv_error le = {0};
	int64_t tenant = account_tenant(r, false);
	cal_calendar cal;
	if (app_calendar(&r->app, tenant, &cal, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	cal_date today;
	int h, m, s, off;
	cal_utc_to_local(r->app.now, &today, &h, &m, &s, &off);
	long long year = today.year;
	const char *y = in_str(r, "year");
	if (!in_blank(y) && in_int(y, 1900, 2200, &year, "year", &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	cal_date days[16];
	struct cal_reason why[16];
	size_t n = cal_holidays((int)year, days, why);
	char buf[16];

	/* Optional standstill calculation. */
	const char *sent = in_str(r, "sent");
	struct cal_explained ex;
	struct kv_error se = {0};
	bool have_ex = false;
	if (!in_blank(sent)) {
		cal_date d;
		if (cal_parse_date(sent, &d, "sent", &se) == 0 &&
		    cal_standstill_end(&cal, d, 20, &ex, &se) == 0)
			have_ex = true;
	}

	if (r->api) {
		json_t *hol = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(hol, json_pack("{s:s, s:s, s:s}", "date",
				cal_format_date(days[i], buf), "name", why[i].name, "source", why[i].source));
		json_t *eq = json_array();
		for (size_t i = 0; i < cal.n_equated; i++)
			if (cal.equated[i].date.year == year)
				json_array_append_new(eq, json_pack("{s:s, s:s, s:s}", "date",
					cal_format_date(cal.equated[i].date, buf), "name",
					cal.equated[i].name, "source", cal.equated[i].source));
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
	sbuf *b = &w->body;
	layout_begin(r, w, _("Legal calendar"));
	html_f(b, "<h1>%s %lld</h1><p>%s</p>", _("Legal calendar"), year,
	       _("Days on which no term of the Algemene termijnenwet can end. A term that would end on one of them runs on to the next working day."));
	html_f(b, "<form method=\"get\" action=\"/calendar\" class=\"form inline-form\">"
		  "<label>%s <input name=\"year\" inputmode=\"numeric\" value=\"%lld\"></label>"
		  "<button type=\"submit\">%s</button></form>",
	       _("Year"), year, _("Show"));
	html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Date"), _("Day"), _("Source"));
	for (size_t i = 0; i < n; i++)
		html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>",
		       cal_format_long(r->a, days[i]), why[i].name, why[i].source);
	for (size_t i = 0; i < cal.n_equated; i++)
		if (cal.equated[i].date.year == year)
			html_f(b, "<tr class=\"equated\"><td>%s</td><td>%s</td><td>%s</td></tr>",
			       cal_format_long(r->a, cal.equated[i].date), cal.equated[i].name,
			       cal.equated[i].source);
	html_f(b, "</tbody></table>");

	html_f(b, "<h2>%s</h2><form method=\"get\" action=\"/calendar\" class=\"form inline-form\">"
		  "<input type=\"hidden\" name=\"year\" value=\"%lld\">"
		  "<label>%s <input type=\"date\" name=\"sent\" value=\"%s\"></label>"
		  "<button type=\"submit\">%s</button></form>",
	       _("Standstill period (opschortende termijn)"), year,
	       _("Award decision sent on"), sent ? sent : "", _("Compute"));
	if (have_ex)
		html_f(b, "<p class=\"result\"><strong>%s</strong> %s</p><p class=\"rule\">%s</p><p class=\"source\">%s</p>",
		       _("Ends:"), cal_format_local(r->a, ex.end), ex.rule, ex.source);
	else if (se.status)
		html_f(b, "<p class=\"field-error\" role=\"alert\">%s</p>", se.msg);

	if (account_tenant(r, true)) {
		form_error_summary(r, w, e);
		html_f(b, "<h2>%s</h2><p>%s</p><form method=\"post\" action=\"/calendar/equated\" class=\"form\" novalidate>%R"
			  "<label for=\"date\">%s</label><input id=\"date\" name=\"date\" type=\"date\" value=\"%s\">%R"
			  "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" value=\"%s\">%R"
			  "<label for=\"source\">%s</label><input id=\"source\" name=\"source\" value=\"%s\">%R"
			  "<button type=\"submit\">%s</button></form>",
		       _("Add an equated day"),
		       _("When a new Besluit gelijkstelling dagen Algemene termijnenwet names a day Kavel does not ship, add it here for your municipality."),
		       csrf_input(r), _("Date"), refill(r, "date", ""), field_error(r, e, "date"),
		       _("Name"), refill(r, "name", ""), field_error(r, e, "name"),
		       _("Source (decree)"), refill(r, "source", ""), field_error(r, e, "source"),
		       _("Add day"));
	}
	layout_end(r, w);
}

void page_calendar(struct req *r, struct resp *w)
{
	calendar_page(r, w, NULL);
}

void page_equated_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
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
		w->status = http_status_of(rc);
		calendar_page(r, w, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/calendar?year=%d", d.date.year));
}
