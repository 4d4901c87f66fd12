/*
 * page_audit.c - the audit trail of a procedure (buyers and council):
 * read by app/read_audit.c, each reader seeing only the fields its role
 * may read; shown by tmpl/audit_trail.tmpl as sentences with the details
 * behind a disclosure, filtered by kind, person and date, 50 events a
 * page back to the first; the API gives the same events as JSON, pages
 * of at most 1000 (per_page), and /audit/csv every event the filter
 * matches as CSV (core/audit_text.h's quoting).
 */
#include <stdint.h>
#include <string.h>

#include "app/read_audit.h"
#include "core/audit_text.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

#define PAGE_EVENTS 50
#define API_EVENTS_MAX 1000

/* What the request asks for, the filter's fields as typed (to refill
 * the form and carry into the links), and the refusals of bad ones. */
struct asked {
	struct audit_filter f;
	const char *kind, *person, *from, *to;
	struct form_errors errs;
};

/* A "YYYY-MM-DD" filter day; end: its last second, else its first. */
static void read_day(struct req *r, const char *key, bool end, kv_instant *out,
		     const char **typed, struct form_errors *fe)
{
	const char *s = in_str(r, key);
	*typed = s ? s : "";
	if (in_blank(s))
		return;
	cal_date d;
	struct kv_error e = {0};
	if (cal_parse_date(s, &d, key, &e) != 0) {
		form_errors_add(fe, &e);
		return;
	}
	*out = end ? cal_end_of_day(d) : cal_local_to_utc(d, 0, 0, 0);
}

static void read_filter(struct req *r, struct asked *q, int per_page)
{
	memset(q, 0, sizeof *q);
	q->kind = in_str(r, "kind");
	q->kind = q->kind ? q->kind : "";
	q->f.kind = q->kind;
	q->person = in_str(r, "person");
	q->person = q->person ? q->person : "";
	struct kv_error e = {0};
	long long v = 0;
	if (!in_blank(q->person)) {
		if (in_int(q->person, 0, INT64_MAX, &v, "person", &e) == KV_OK) {
			q->f.by_person = true;
			q->f.person = v;
		} else {
			form_errors_add(&q->errs, &e);
		}
	}
	read_day(r, "from", false, &q->f.from, &q->from, &q->errs);
	read_day(r, "to", true, &q->f.to, &q->to, &q->errs);
	if (q->f.from && q->f.to && q->f.from > q->f.to) {
		kv_fail(&e, KV_INVALID, "to", _("The last day lies before the first."));
		form_errors_add(&q->errs, &e);
	}
	q->f.per_page = per_page;
	const char *pp = r->api ? in_str(r, "per_page") : NULL;
	if (!in_blank(pp)) {
		if (in_int(pp, 1, API_EVENTS_MAX, &v, "per_page", &e) == KV_OK)
			q->f.per_page = (int)v;
		else
			form_errors_add(&q->errs, &e);
	}
	const char *pg = in_str(r, "page");
	q->f.page = 1;
	if (!in_blank(pg)) {
		if (in_int(pg, 1, 1000000000, &v, "page", &e) == KV_OK)
			q->f.page = (int)v;
		else
			form_errors_add(&q->errs, &e);
	}
}

/* The trail the request asks for; false when it has answered already. */
static bool load(struct req *r, struct resp *w, struct asked *q, int per_page,
		 struct audit_trail *t)
{
	read_filter(r, q, per_page);
	struct kv_error e = {0};
	if (q->errs.n && r->api) {
		resp_error(r, w, &q->errs.items[0]);
		return false;
	}
	/* A page with a refused filter shows the whole trail, the refusal
	 * at its field. */
	struct audit_filter f = q->f;
	if (q->errs.n)
		f = (struct audit_filter){.page = 1, .per_page = per_page};
	if (app_audit_trail(&r->app, &r->proc, (r->roles & ROLE_BUYER) != 0, &f, t,
			    &e) != KV_OK) {
		resp_error(r, w, &e);
		return false;
	}
	return true;
}

/* The time as an HTML datetime: local, with its offset. */
static const char *iso_local(struct req *r, kv_instant t)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	char day[16];
	return arena_printf(r->a, "%sT%02d:%02d:%02d%+03d:%02d", cal_format_date(d, day),
			    h, m, s, off / 3600, (off < 0 ? -off : off) % 3600 / 60);
}

static const char *hidden_text(struct req *r, const struct audit_item *it)
{
	sbuf b;
	sbuf_init(&b, r->a, 4096);
	for (int i = 0; i < it->n_hidden; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", it->hidden[i]);
	return sbuf_str(&b);
}

static void trail_json(struct req *r, struct resp *w, const struct audit_trail *t,
		       int per_page)
{
	json_t *arr = json_array();
	for (int i = 0; i < t->n; i++) {
		const struct audit_item *it = &t->items[i];
		json_t *hidden = json_array();
		for (int k = 0; k < it->n_hidden; k++)
			json_array_append_new(hidden, json_string(it->hidden[k]));
		json_array_append_new(arr, json_pack(
			"{s:I, s:o, s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			"seq", (json_int_t)it->seq, "at", json_instant(r->a, it->at),
			"actor", (json_int_t)it->actor, "actor_name", it->who,
			"actor_hidden", it->actor_hidden, "action", it->action,
			"kind", it->label, "object", it->object, "sentence", it->sentence,
			"before", it->before, "after", it->after, "hidden", hidden));
	}
	resp_json(r, w, 200, json_pack("{s:o, s:i, s:i, s:i, s:i}", "events", arr,
				       "total", t->total, "page", t->page, "pages",
				       t->pages, "per_page", per_page));
}

static struct field_option *options(struct req *r, const struct audit_choice *c,
				    int n, const char *all)
{
	struct field_option *o = arena_alloc(r->a, (size_t)(n + 1) * sizeof *o);
	o[0] = (struct field_option){"", all};
	for (int i = 0; i < n; i++)
		o[i + 1] = (struct field_option){c[i].value, c[i].label};
	return o;
}

void page_audit(struct req *r, struct resp *w)
{
	struct asked q;
	struct audit_trail t;
	int per = r->api ? API_EVENTS_MAX : PAGE_EVENTS;
	if (!load(r, w, &q, per, &t))
		return;
	if (r->api) {
		trail_json(r, w, &t, q.f.per_page);
		return;
	}
	const char *base = arena_printf(r->a, "/procedures/%lld/audit", (long long)r->proc.id);
	struct form_field fields[] = {
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT, .value = q.kind,
		 .options = options(r, t.kinds, t.n_kinds, _("Every kind")),
		 .n_options = t.n_kinds + 1, .options_translated = true},
		{.name = "person", .label = N_("Who"), .kind = FIELD_SELECT, .value = q.person,
		 .options = options(r, t.people, t.n_people, _("Everyone")),
		 .n_options = t.n_people + 1, .options_translated = true},
		{.name = "from", .label = N_("From"), .kind = FIELD_DATE, .value = q.from},
		{.name = "to", .label = N_("Up to and including"), .kind = FIELD_DATE, .value = q.to},
	};
	struct form filter = {
		.action = base, .method = "get", .css = "form audit-filter",
		.submit = _("Show"), .fields = fields, .n_fields = 4,
		.errors = q.errs.n ? &q.errs : NULL, .no_csrf = true,
		.refused = _("This filter cannot be used; the whole trail is shown.")};
	bool filtered = !q.errs.n && (*q.kind || q.f.by_person || q.f.from || q.f.to);
	struct tv_audit_trail_events *ev = arena_alloc(r->a, (size_t)(t.n + 1) * sizeof *ev);
	for (int i = 0; i < t.n; i++) {
		const struct audit_item *it = &t.items[i];
		ev[i] = (struct tv_audit_trail_events){
			.seq = (long long)it->seq, .when = it->when, .iso = iso_local(r, it->at),
			.sentence = it->sentence, .label = it->label, .action = it->action,
			.object = it->object, .before = it->before, .after = it->after,
			.hidden = hidden_text(r, it)};
	}
	struct tv_audit_trail v = {
		.filter = form_html(r, &filter),
		.first = t.first, .last = t.first + t.n - 1, .total = t.total, .all = t.all,
		.filtered = filtered, .clear = base, .base = base,
		.csv = arena_printf(r->a, "%s/csv", base),
		/* a refused filter is not carried on */
		.kind = q.errs.n ? "" : q.kind, .person = q.errs.n ? "" : q.person,
		.from = q.errs.n ? "" : q.from, .to = q.errs.n ? "" : q.to,
		.page = t.page, .pages = t.pages, .paged = t.pages > 1,
		.has_prev = t.page > 1, .prev = t.page - 1,
		.has_next = t.page < t.pages, .next = t.page + 1,
		.events = ev, .n_events = t.n};
	layout_begin(r, w, _("Audit trail"));
	procedure_nav(r, w, "audit");
	tmpl_audit_trail(&w->body, &v);
	layout_end(r, w);
}

/* A file name made of the procedure's reference: letters, digits, - and
 * _ only, for the Content-Disposition header. */
static const char *csv_name(struct req *r)
{
	const char *ref = r->proc.reference ? r->proc.reference : "";
	char *s = arena_printf(r->a, "audit-%s.csv", ref);
	for (char *p = s + 6; *p && strcmp(p, ".csv") != 0; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			*p = '_';
	return s;
}

void page_audit_csv(struct req *r, struct resp *w)
{
	struct asked q;
	struct audit_trail t;
	/* every event the filter matches, on one "page" */
	if (!load(r, w, &q, 0, &t))
		return;
	if (q.errs.n) {
		resp_error(r, w, &q.errs.items[0]);
		return;
	}
	sbuf *b = &w->body;
	/* A byte order mark, so that a spreadsheet reads the UTF-8 as such. */
	int rc = sbuf_add(b, "\xef\xbb\xbf", 3);
	const char *head[] = {_("Number"), _("When"), _("Time (ISO 8601)"), _("Who"),
			      _("Kind"), _("Event"), _("Action"), _("Object"),
			      _("Before"), _("After"), _("Not shown to your role")};
	int nh = (int)(sizeof head / sizeof *head);
	for (int i = 0; i < nh; i++)
		rc |= audit_csv_cell(b, head[i], i == nh - 1);
	for (int i = 0; i < t.n; i++) {
		const struct audit_item *it = &t.items[i];
		const char *row[] = {
			arena_printf(r->a, "%lld", (long long)it->seq), it->when,
			iso_local(r, it->at),
			it->actor_hidden ? _("(not shown)") : it->actor ? it->who : _("Kavel"),
			it->label, it->sentence, it->action, it->object, it->before, it->after,
			hidden_text(r, it)};
		for (int k = 0; k < nh; k++)
			rc |= audit_csv_cell(b, row[k], k == nh - 1);
	}
	if (rc) {
		struct kv_error e;
		kv_fail(&e, KV_INVALID, "", _("The trail is too large for one CSV file; choose a shorter period."));
		resp_reset(w);
		resp_error(r, w, &e);
		w->status = 413;
		return;
	}
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", csv_name(r)));
}
