/*
 * page_dashboard.c - the overview: what needs the viewer's attention, the
 * procedures it sees (searched, filtered and paged by a GET form whose
 * state is in the URL), the whole attention list (/attention), and
 * creating a new procedure.
 */
#include <string.h>

#include "app/attention.h"
#include "app/read_procedure.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

#define MAX_LOTS 12
#define MAX_TENANTS 8
#define ROWS_PER_PAGE 25      /* procedures on a page of the dashboard */
#define ITEMS_PER_PAGE 25     /* items on a page of /attention */
#define ATTENTION_FIRST 8     /* items the dashboard shows */
#define QUERY_MAX 100         /* bytes of a search */

/* ---- the query in the URL ------------------------------------------------ */

/* A parameter of the query: key and its value as typed (kept in the
 * pages' links and the filter form). */
struct qparam {
	const char *key, *value;
};


/* base with the non-empty parameters and, past page 1, the page. */
static const char *query_url(struct req *r, const char *base,
			     const struct qparam *ps, int n, int page)
{
	sbuf b;
	sbuf_init(&b, r->a, 4096);
	sbuf_puts(&b, base);
	char sep = '?';
	for (int i = 0; i < n; i++) {
		if (!ps[i].value || !*ps[i].value)
			continue;
		sbuf_printf(&b, "%c%s=%s", sep, ps[i].key, url_pct(r, ps[i].value));
		sep = '&';
	}
	if (page > 1)
		sbuf_printf(&b, "%cpage=%d", sep, page);
	return sbuf_str(&b);
}

/* A query parameter cut to QUERY_MAX bytes (at a character's start). */
static const char *qvalue(struct req *r, const char *key)
{
	const char *v = req_param(r, key);
	if (!v)
		return "";
	size_t n = strlen(v);
	if (n <= QUERY_MAX)
		return v;
	n = QUERY_MAX;
	while (n && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(r->a, v, n);
}

static long long qint(struct req *r, const char *key, long long lo, long long hi)
{
	const char *v = req_param(r, key);
	long long n;
	struct kv_error e;
	return v && *v && in_int(v, lo, hi, &n, key, &e) == KV_OK ? n : 0;
}

/* The pages' links: a window around the current page, the first and the
 * last. */
static html_t pager(struct req *r, const char *base, const struct qparam *ps,
		    int n, int page, int pages)
{
	if (pages <= 1)
		return (html_t){0};
	struct tv_dashboard_pager_pages *pg = arena_alloc(r->a, sizeof *pg * 9);
	struct tv_dashboard_pager v = {
		.label = arena_printf(r->a, _("Page %d of %d"), page, pages),
		.prev = page > 1 ? query_url(r, base, ps, n, page - 1) : "",
		.next = page < pages ? query_url(r, base, ps, n, page + 1) : "",
		.pages = pg,
	};
	int from = page - 3 < 2 ? 2 : page - 3, to = page + 3 > pages - 1 ? pages - 1 : page + 3;
	pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
		.href = query_url(r, base, ps, n, 1), .n = 1, .current = page == 1};
	for (int i = from; i <= to; i++)
		pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
			.href = query_url(r, base, ps, n, i), .n = i, .current = page == i};
	pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
		.href = query_url(r, base, ps, n, pages), .n = pages, .current = page == pages};
	return tmpl_dashboard_pager_html(r->a, &v);
}

/* "26–50 of 302" */
static const char *shown(struct req *r, int from, int n, int total)
{
	return arena_printf(r->a, _("%d–%d of %d"), n ? from + 1 : 0, from + n, total);
}

/* ---- the attention list -------------------------------------------------- */

/* Where to act on an item: a page the viewer may open. */
static const char *item_href(struct req *r, const struct att_item *it)
{
	arena *a = r->a;
	long long p = (long long)it->procedure_id, c = (long long)it->contract_id;
	switch (it->kind) {
	case ATT_LATE:
		return arena_printf(a, "/procedures/%lld#stage-%lld", p, (long long)it->object_id);
	case ATT_DEADLINE:
		if (it->object_id)
			return arena_printf(a, "/procedures/%lld#stage-%lld", p,
					    (long long)it->object_id);
		return arena_printf(a, it->number ? "/procedures/%lld/dialogue"
						  : "/procedures/%lld/questions", p);
	case ATT_QUESTION:
	case ATT_NOTA:
		return arena_printf(a, "/procedures/%lld/questions#q%lld", p,
				    (long long)it->object_id);
	case ATT_CONDITION:
		return arena_printf(a, "/procedures/%lld/decisions#condition-%lld", p,
				    (long long)it->object_id);
	case ATT_VAULT:
		return it->own_step ? "/account/vault-key"
				    : arena_printf(a, "/procedures/%lld/vault", p);
	case ATT_SCORES:
		if (!it->lot_id)   /* a selection round's */
			return arena_printf(a, "/procedures/%lld/selection", p);
		return arena_printf(a, "/procedures/%lld/lots/%lld/award/scoring", p,
				    (long long)it->lot_id);
	case ATT_EVALUATION:
		return arena_printf(a, "/contracts/%lld#evaluation-%d", c, it->number);
	case ATT_KPI:
		return arena_printf(a, "/contracts/%lld#kpis", c);
	case ATT__COUNT:
		break;
	}
	return "/";
}

static html_t attention_html(struct req *r, const struct att_item *items, int n)
{
	if (n <= 0)
		return (html_t){0};
	struct tv_dashboard_attention_items *out = arena_alloc(r->a, sizeof *out * (size_t)n);
	for (int i = 0; i < n; i++) {
		const struct att_item *it = &items[i];
		out[i] = (struct tv_dashboard_attention_items){
			.kind = att_kind_code(it->kind),
			.label = att_kind_label(it->kind),
			.href = item_href(r, it),
			.text = it->text,
			.reference = it->reference,
			.title = it->title,
			.municipality = it->municipality,
			.when = it->dated ? fmt_when(r, it->due) : "",
		};
	}
	struct tv_dashboard_attention v = {.items = out, .n_items = n};
	return tmpl_dashboard_attention_html(r->a, &v);
}

static json_t *item_json(struct req *r, const struct att_item *it)
{
	json_t *id_or_null[2] = {
		it->procedure_id ? json_integer(it->procedure_id) : json_null(),
		it->contract_id ? json_integer(it->contract_id) : json_null()};
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:i, s:s}",
		"kind", att_kind_code(it->kind), "text", it->text,
		"procedure_id", id_or_null[0], "contract_id", id_or_null[1],
		"lot_id", it->lot_id ? json_integer(it->lot_id) : json_null(),
		"reference", it->reference ? it->reference : "",
		"title", it->title ? it->title : "",
		"municipality", it->municipality ? it->municipality : "",
		"due", json_instant(r->a, it->dated ? it->due : 0),
		"days", it->dated ? json_integer(it->days) : json_null(),
		"count", it->count, "href", item_href(r, it));
}

void page_attention(struct req *r, struct resp *w)
{
	struct attention_list l;
	struct kv_error e = {0};
	if (app_attention_for_account(&r->app, r->me.id, r->grants, r->n_grants, &l,
				      &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	/* The municipalities the list holds, for its filter. */
	struct field_option *munis = arena_alloc(r->a, sizeof *munis * (size_t)(l.n + 2));
	int nm = 0;
	munis[nm++] = (struct field_option){.value = "", .label = _("Any")};
	for (int i = 0; i < l.n; i++) {
		const char *id = arena_printf(r->a, "%lld", (long long)l.items[i].tenant_id);
		bool have = false;
		for (int k = 1; k < nm && !have; k++)
			have = strcmp(munis[k].value, id) == 0;
		if (!have)
			munis[nm++] = (struct field_option){.value = id,
							    .label = l.items[i].municipality};
	}
	const char *kind_s = qvalue(r, "kind"), *muni_s = qvalue(r, "municipality");
	int kind = att_kind_from_code(kind_s);
	int64_t tenant = qint(r, "municipality", 1, INT64_MAX);
	bool filtered = kind >= 0 || tenant;
	app_attention_filter(&l, kind, tenant);
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < l.n; i++)
			json_array_append_new(arr, item_json(r, &l.items[i]));
		resp_json(r, w, 200, json_pack("{s:o, s:i}", "items", arr, "total", l.n));
		return;
	}
	struct field_option kinds[ATT__COUNT + 1] = {{.value = "", .label = _("Any")}};
	for (int k = 0; k < ATT__COUNT; k++)
		kinds[k + 1] = (struct field_option){.value = att_kind_code(k),
						     .label = att_kind_label(k)};
	struct form_field fs[2] = {
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT, .options = kinds,
		 .n_options = ATT__COUNT + 1, .options_translated = true,
		 .value = kind >= 0 ? kind_s : ""},
		{.name = "municipality", .label = N_("Municipality"), .kind = FIELD_SELECT,
		 .options = munis, .n_options = nm, .options_translated = true,
		 .value = tenant ? muni_s : ""},
	};
	struct form f = {.action = "/attention", .method = "get", .no_csrf = true,
			 .css = "form inline-form", .submit = _("Filter"),
			 .fields = fs, .n_fields = nm > 2 ? 2 : 1};
	struct qparam qs[2] = {{"kind", kind >= 0 ? kind_s : ""},
			       {"municipality", tenant ? muni_s : ""}};
	int pages = l.n ? (l.n + ITEMS_PER_PAGE - 1) / ITEMS_PER_PAGE : 1;
	int page = (int)qint(r, "page", 1, 1000000);
	page = page < 1 ? 1 : page > pages ? pages : page;
	int from = (page - 1) * ITEMS_PER_PAGE;
	int n = l.n - from < ITEMS_PER_PAGE ? l.n - from : ITEMS_PER_PAGE;
	struct tv_dashboard_attention_page v = {
		.filter = form_html(r, &f),
		.shown = shown(r, from, n, l.n),
		.filtered = filtered,
		.items = attention_html(r, l.items + from, n),
		.pager = pager(r, "/attention", qs, 2, page, pages),
	};
	layout_begin(r, w, _("Needs your attention"));
	tmpl_dashboard_attention_page(&w->body, &v);
	layout_end(r, w);
}

/* ---- the dashboard ------------------------------------------------------- */

/* The filter form with the query's values. */
static html_t filter_form(struct req *r, const struct dashboard_view *d,
			  const struct qparam *q)
{
	struct field_option *st = arena_alloc(r->a, sizeof *st * (PHASE__COUNT + 1));
	st[0] = (struct field_option){.value = "", .label = _("Any")};
	for (int i = 0; i < PHASE__COUNT; i++)
		st[i + 1] = (struct field_option){.value = att_phase_code(i),
						  .label = att_phase_label(i)};
	struct field_option *mu = arena_alloc(r->a, sizeof *mu * (size_t)(d->n_tenants + 1));
	mu[0] = (struct field_option){.value = "", .label = _("Any")};
	for (int i = 0; i < d->n_tenants; i++)
		mu[i + 1] = (struct field_option){
			.value = arena_printf(r->a, "%lld", (long long)d->tenants[i].id),
			.label = d->tenants[i].name};
	struct field_option *ys = arena_alloc(r->a, sizeof *ys * (size_t)(d->n_years + 1));
	ys[0] = (struct field_option){.value = "", .label = _("Any")};
	for (int i = 0; i < d->n_years; i++)
		ys[i + 1] = (struct field_option){.value = arena_printf(r->a, "%d", d->years[i]),
						  .label = arena_printf(r->a, "%d", d->years[i])};
	struct form_field fs[4];
	int n = 0;
	fs[n++] = (struct form_field){.name = "q", .label = N_("Search"), .value = q[0].value,
				      .placeholder = N_("Reference or title")};
	fs[n++] = (struct form_field){.name = "status", .label = N_("Status"),
				      .kind = FIELD_SELECT, .options = st,
				      .n_options = PHASE__COUNT + 1, .options_translated = true,
				      .value = q[1].value};
	/* With one municipality there is nothing to choose. */
	if (d->n_tenants > 1)
		fs[n++] = (struct form_field){.name = "municipality", .label = N_("Municipality"),
					      .kind = FIELD_SELECT, .options = mu,
					      .n_options = d->n_tenants + 1,
					      .options_translated = true, .value = q[2].value};
	fs[n++] = (struct form_field){.name = "year", .label = N_("Year"), .kind = FIELD_SELECT,
				      .options = ys, .n_options = d->n_years + 1,
				      .options_translated = true, .value = q[3].value};
	struct form f = {.action = "/", .method = "get", .no_csrf = true,
			 .css = "form inline-form", .submit = _("Filter"),
			 .fields = fs, .n_fields = n};
	return form_html(r, &f);
}

void page_dashboard(struct req *r, struct resp *w)
{
	/* The query as typed; values that name nothing filter nothing. */
	const char *status = qvalue(r, "status");
	struct dashboard_query q = {
		.q = qvalue(r, "q"),
		.phase = att_phase_from_code(status),
		.tenant_id = qint(r, "municipality", 1, INT64_MAX),
		.year = (int)qint(r, "year", 1, 9999),
		.page = (int)qint(r, "page", 1, 1000000),
		.per_page = r->api ? 0 : ROWS_PER_PAGE,
		.attention = !r->api,
	};
	struct dashboard_view d;
	struct kv_error e = {0};
	if (app_dashboard_view(&r->app, r->me.id, r->grants, r->n_grants, &q, &d,
			       &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < d.n_rows; i++) {
			const struct procedure_summary *s = &d.rows[i].s;
			json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:i}",
				"id", (json_int_t)s->id, "tenant_id", (json_int_t)s->tenant_id,
				"municipality", s->tenant_name ? s->tenant_name : "",
				"reference", s->reference, "title", s->title,
				"type", proc_type_code(s->type), "lots", s->n_lots));
		}
		resp_json(r, w, 200, json_pack("{s:o}", "procedures", arr));
		return;
	}
	struct qparam qs[4] = {
		{"q", q.q},
		{"status", q.phase >= 0 ? status : ""},
		{"municipality", q.tenant_id ? qvalue(r, "municipality") : ""},
		{"year", q.year ? qvalue(r, "year") : ""},
	};
	struct tv_dashboard_page_procedures *rows =
		arena_alloc(r->a, sizeof *rows * (size_t)(d.n_rows + 1));
	for (int i = 0; i < d.n_rows; i++) {
		const struct dashboard_row *row = &d.rows[i];
		rows[i] = (struct tv_dashboard_page_procedures){
			.id = row->s.id,
			.reference = row->s.reference,
			.title = row->s.title,
			.municipality = row->s.tenant_name,
			.type = proc_type_label(row->s.type),
			.status = att_phase_label(row->phase),
			.year = row->year,
			.lots = row->s.n_lots,
			.attention = row->attention,
		};
	}
	int first = d.attention.n < ATTENTION_FIRST ? d.attention.n : ATTENTION_FIRST;
	struct tv_dashboard_page v = {
		.can_create = d.can_create,
		.attention = attention_html(r, d.attention.items, first),
		.attention_total = d.attention.n,
		.filter = filter_form(r, &d, qs),
		.shown = shown(r, (d.page - 1) * ROWS_PER_PAGE, d.n_rows, d.total),
		.filtered = *q.q || q.phase >= 0 || q.tenant_id || q.year,
		.procedures = rows,
		.n_procedures = d.n_rows,
		.pager = pager(r, "/", qs, 4, d.page, d.pages),
	};
	layout_begin(r, w, _("Procedures"));
	tmpl_dashboard_page(&w->body, &v);
	layout_end(r, w);
}

/* The lot rows the new-procedure form shows: at least three, more when
 * more were sent. */
static int lot_rows(struct req *r)
{
	int rows = in_count(r, "lots", MAX_LOTS);
	return rows < 3 ? 3 : rows;
}

static const char *lot_key(struct req *r, int i, const char *part)
{
	return arena_printf(r->a, "lots_%d_%s", i, part);
}

static void new_form(struct req *r, struct resp *w, const struct form_errors *fe)
{
	struct org *orgs = NULL;
	int no = 0;
	struct kv_error oe;
	app_buyer_tenant_orgs(&r->app, r->grants, r->n_grants, &orgs, &no, &oe);
	int rows = lot_rows(r);
	struct form_field *fs = arena_alloc(r->a, sizeof *fs * (size_t)(8 + 4 * rows));
	int n = 0;
	/* With one municipality there is nothing to choose. */
	if (no > 1) {
		struct field_option *os = arena_alloc(r->a, sizeof *os * (size_t)no);
		for (int i = 0; i < no; i++)
			os[i] = (struct field_option){
				.value = arena_printf(r->a, "%lld", (long long)orgs[i].id),
				.label = orgs[i].name};
		fs[n++] = (struct form_field){
			.name = "tenant_id", .label = N_("Municipality"),
			.kind = FIELD_SELECT, .options = os, .n_options = no,
			.options_translated = true,
			.value = os[0].value};
	}
	struct field_option *types = arena_alloc(r->a, sizeof *types * PT__COUNT);
	for (int t = 0; t < PT__COUNT; t++)
		types[t] = (struct field_option){.value = proc_type_code(t),
						 .label = proc_type_label(t)};
	fs[n++] = (struct form_field){.name = "reference", .label = N_("Reference")};
	fs[n++] = (struct form_field){.name = "title", .label = N_("Title")};
	fs[n++] = (struct form_field){
		.name = "description", .label = N_("Description (optional)"),
		.kind = FIELD_TEXTAREA, .rows = 4,
		.help = N_("What is bought and why, for the public tender page; at most 4000 characters.")};
	fs[n++] = (struct form_field){
		.name = "type", .label = N_("Procedure type"), .kind = FIELD_SELECT,
		.options = types, .n_options = PT__COUNT, .options_translated = true,
		.value = "sas-dialogue"};
	fs[n++] = (struct form_field){.name = "dialogue_rounds",
				      .label = N_("Dialogue rounds"),
				      .kind = FIELD_NUMBER, .value = "2"};
	fs[n++] = (struct form_field){.name = "cpv", .label = N_("CPV code"),
				      .help = N_("A CPV code looks like 85310000-5.")};
	fs[n++] = (struct form_field){.name = "value",
				      .label = N_("Estimated value (EUR)"),
				      .kind = FIELD_DECIMAL};
	for (int i = 1; i <= rows; i++) {
		/* "Lot 2" is made here, translated: marked so, for _()
		 * memoises by address (form.h). */
		fs[n++] = (struct form_field){
			.name = lot_key(r, i, "title"),
			.label = arena_printf(r->a, "%s %d", _("Lot"), i),
			.translated = true};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "value"),
					      .label = N_("Value (EUR)"),
					      .kind = FIELD_DECIMAL};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "fixed_budget"),
					      .label = N_("fixed budget"),
					      .kind = FIELD_CHECKBOX};
		fs[n++] = (struct form_field){.name = lot_key(r, i, "goals"),
					      .label = N_("Goals of this lot"),
					      .kind = FIELD_TEXTAREA, .rows = 2};
	}
	struct form f = {.action = "/procedures", .submit = _("Create procedure"),
			 .fields = fs, .n_fields = n, .errors = fe,
			 .refused = _("The procedure was not created.")};
	struct tv_dashboard_new v = {.form = form_html(r, &f)};
	layout_begin(r, w, _("New procedure"));
	tmpl_dashboard_new(&w->body, &v);
	layout_end(r, w);
}

void page_procedure_new(struct req *r, struct resp *w)
{
	new_form(r, w, NULL);
}

/* Reads lot i of the form or JSON into l, each refusal into fe.  Field
 * names: the API's "lots_2" for the whole row (as it always answered),
 * the form's "lots_2_title" and "lots_2_value" for the field at fault. */
static void parse_lot(struct req *r, int i, struct lot *l,
		      struct form_errors *fe)
{
	struct kv_error e = {0};
	const char *row = arena_printf(r->a, "lots_%d", i + 1);
	l->number = i + 1;
	const char *num = in_sub(r, "lots", i, "number");
	long long v;
	if (!in_blank(num)) {
		if (in_int(num, 1, 999, &v, row, &e) == KV_OK)
			l->number = (int)v;
		else
			form_errors_add(fe, &e);
	}
	l->title = (char *)in_sub(r, "lots", i, "title");
	l->goals = (char *)in_sub(r, "lots", i, "goals");
	l->fixed_budget = in_bool(in_sub(r, "lots", i, "fixed_budget"));
	const char *val = in_sub(r, "lots", i, "value");
	if (!in_blank(val) &&
	    eur_parse(val, &l->value_cents, r->api ? row : lot_key(r, i + 1, "value"),
		      &e) != KV_OK)
		form_errors_add(fe, &e);
	if (in_blank(l->title)) {
		kv_fail(&e, KV_INVALID, r->api ? row : lot_key(r, i + 1, "title"),
			_("Lot %d needs a title."), i + 1);
		form_errors_add(fe, &e);
	}
}

/* The procedure of the form or JSON; every refusal goes into fe, in the
 * order of the fields (the API answers the first). */
static void parse_procedure(struct req *r, struct procedure *p,
			    struct form_errors *fe)
{
	memset(p, 0, sizeof *p);
	struct kv_error e = {0};
	int64_t tenants[MAX_TENANTS];
	int nt = app_buyer_tenants(r->grants, r->n_grants, tenants, MAX_TENANTS);
	const char *t = in_str(r, "tenant_id");
	long long v;
	if (in_blank(t)) {
		if (nt == 1) {
			p->tenant_id = tenants[0];
		} else {
			kv_fail(&e, KV_INVALID, "tenant_id", _("Choose the municipality."));
			form_errors_add(fe, &e);
		}
	} else if (in_int(t, 1, INT64_MAX, &v, "tenant_id", &e) != KV_OK) {
		form_errors_add(fe, &e);
	} else {
		for (int i = 0; i < nt; i++)
			if (tenants[i] == v)
				p->tenant_id = v;
		if (!p->tenant_id) {
			kv_fail(&e, KV_DENIED, "tenant_id",
				_("You are not a buyer of that municipality."));
			form_errors_add(fe, &e);
		}
	}
	p->reference = (char *)in_str(r, "reference");
	p->title = (char *)in_str(r, "title");
	p->description = (char *)in_str(r, "description");
	const char *type = in_str(r, "type");
	int ty = type ? proc_type_from_code(type) : -1;
	if (ty < 0) {
		kv_fail(&e, KV_INVALID, "type", _("Choose a procedure type."));
		form_errors_add(fe, &e);
	}
	p->type = (enum proc_type)(ty < 0 ? 0 : ty);
	const char *cpv = in_str(r, "cpv");
	snprintf(p->cpv, sizeof p->cpv, "%s", cpv ? cpv : "");
	if (cpv && strlen(cpv) >= sizeof p->cpv) {
		kv_fail(&e, KV_INVALID, "cpv", _("A CPV code looks like 85310000-5."));
		form_errors_add(fe, &e);
	}
	const char *val = in_str(r, "value");
	if (!in_blank(val) && eur_parse(val, &p->value_cents, "value", &e) != KV_OK)
		form_errors_add(fe, &e);
	const char *rounds = in_str(r, "dialogue_rounds");
	if (!in_blank(rounds)) {
		if (in_int(rounds, 0, 20, &v, "dialogue_rounds", &e) == KV_OK)
			p->dialogue_rounds = (int)v;
		else
			form_errors_add(fe, &e);
	}
	const char *sd = in_str(r, "standstill_days");
	if (!in_blank(sd)) {
		if (in_int(sd, 20, 365, &v, "standstill_days", &e) == KV_OK)
			p->standstill_days = (int)v;
		else
			form_errors_add(fe, &e);
	}
	int n;
	struct kv_error le = {0};
	if (in_count_within(r, "lots", MAX_LOTS, &n, &le) != KV_OK)
		form_errors_add(fe, &le);
	p->lots = arena_alloc(r->a, (size_t)(n + 1) * sizeof *p->lots);
	for (int i = 0; i < n; i++) {
		/* Empty form rows are skipped; JSON rows must be complete. */
		if (!r->api && in_blank(in_sub(r, "lots", i, "title")) &&
		    in_blank(in_sub(r, "lots", i, "value")) &&
		    in_blank(in_sub(r, "lots", i, "goals")))
			continue;
		struct lot *l = &p->lots[p->n_lots];
		parse_lot(r, i, l, fe);
		if (!r->api)
			l->number = p->n_lots + 1;
		p->n_lots++;
	}
}

void page_procedure_create(struct req *r, struct resp *w)
{
	struct procedure p;
	struct form_errors fe = {0};
	parse_procedure(r, &p, &fe);
	enum kv_status rc = form_errors_status(&fe);
	if (rc == KV_OK) {
		struct kv_error e = {0};
		if (app_procedure_create(&r->app, &p, &e) != KV_OK)
			rc = form_errors_add(&fe, &e);
	}
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &fe.items[0]);
			return;
		}
		resp_json(r, w, 201, json_procedure(r, &p, NULL, 0));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		new_form(r, w, &fe);
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld", (long long)p.id),
			   DONE_PROCEDURE_CREATED);
}
