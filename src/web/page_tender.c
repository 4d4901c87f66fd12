/*
 * page_tender.c - the public tender pages: /tenders searched, filtered
 * (a GET form whose state is in the URL) and paged; one tender's page
 * /tenders/N with its lots, stages, notas and procurement documents,
 * marked for a candidate with what is new since its previous visit; a
 * document's download; and the buyer's documents page of a procedure,
 * where each upload of a document is a new version.
 *
 * The JSON faces take the same query; a value that names nothing is
 * refused with 422 at its parameter, and so is it on the page, at the
 * filter's field.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/read_tender.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "multipart.h"
#include "templates.h"
#include "view.h"

#define TENDERS_PER_PAGE 20
#define QUERY_MAX 100          /* bytes of a search */
#define N_QUERY 7

/* ---- the query ----------------------------------------------------------- */

static const char *const query_keys[N_QUERY] = {
	"q", "municipality", "cpv", "type", "deadline_after", "deadline_before", "open"};


/* /tenders with the query's non-empty values and, past page 1, the page. */
static const char *list_url(struct req *r, const char *const *vals, int page)
{
	sbuf b;
	sbuf_init(&b, r->a, 4096);
	sbuf_puts(&b, "/tenders");
	char sep = '?';
	for (int i = 0; i < N_QUERY; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		sbuf_printf(&b, "%c%s=%s", sep, query_keys[i], url_pct(r, vals[i]));
		sep = '&';
	}
	if (page > 1)
		sbuf_printf(&b, "%cpage=%d", sep, page);
	return sbuf_str(&b);
}

/* The pages' links: a window around the current page, the first and the
 * last (dashboard_pager.tmpl, as on the dashboard). */
static html_t pager(struct req *r, const char *const *vals, int page, int pages)
{
	if (pages <= 1)
		return (html_t){0};
	struct tv_dashboard_pager_pages *pg = arena_alloc(r->a, sizeof *pg * 9);
	struct tv_dashboard_pager v = {
		.label = arena_printf(r->a, _("Page %d of %d"), page, pages),
		.prev = page > 1 ? list_url(r, vals, page - 1) : "",
		.next = page < pages ? list_url(r, vals, page + 1) : "",
		.pages = pg,
	};
	int from = page - 3 < 2 ? 2 : page - 3, to = page + 3 > pages - 1 ? pages - 1 : page + 3;
	pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
		.href = list_url(r, vals, 1), .n = 1, .current = page == 1};
	for (int i = from; i <= to; i++)
		pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
			.href = list_url(r, vals, i), .n = i, .current = page == i};
	pg[v.n_pages++] = (struct tv_dashboard_pager_pages){
		.href = list_url(r, vals, pages), .n = pages, .current = page == pages};
	return tmpl_dashboard_pager_html(r->a, &v);
}

/* A query parameter as sent, "" when absent. */
static const char *qraw(struct req *r, const char *key)
{
	const char *v = req_param(r, key);
	return v ? v : "";
}

/* s as a message may quote it (kv_quote), in r->a. */
static const char *quoted(struct req *r, const char *s)
{
	char buf[KV_QUOTE_MAX];
	return arena_strdup(r->a, kv_quote(s, buf));
}

/* The day of "YYYY-MM-DD" as the moment it begins in Europe/Amsterdam. */
static enum kv_status day_start(struct req *r, const char *s, const char *field,
				kv_instant *out, struct kv_error *e)
{
	cal_date d;
	if (cal_parse_date(s, &d, field, e) != 0)
		return kv_fail(e, KV_INVALID, field,
			       _("Give a date as YYYY-MM-DD, such as 2022-07-01; \"%s\" is none."),
			       quoted(r, s));
	*out = cal_local_to_utc(d, 0, 0, 0);
	return KV_OK;
}

/* The query of the request into q, every value checked: a refusal per
 * parameter in fe.  vals: each key's value as typed (the form's and the
 * links'). */
static void query_read(struct req *r, const struct tender_list *known,
		       struct tender_query *q, const char **vals,
		       struct form_errors *fe)
{
	*q = (struct tender_query){.type = -1, .page = 1,
				   .per_page = TENDERS_PER_PAGE};
	for (int i = 0; i < N_QUERY; i++)
		vals[i] = qraw(r, query_keys[i]);
	struct kv_error e;
	const char *v = vals[0];
	memset(&e, 0, sizeof e);
	if (strlen(v) > QUERY_MAX)
		kv_fail(&e, KV_INVALID, "q", _("A search is at most %d bytes."), QUERY_MAX);
	else if (*v && text_check(v, QUERY_MAX, "q", &e) == KV_OK)
		q->q = v;
	form_errors_add(fe, &e);
	memset(&e, 0, sizeof e);
	if (*(v = vals[1])) {
		long long id = 0;
		bool found = false;
		if (in_int(v, 1, INT64_MAX, &id, "municipality", &e) == KV_OK) {
			for (int k = 0; k < known->n_munis && !found; k++)
				found = known->munis[k].id == id;
			if (!found)
				kv_fail(&e, KV_INVALID, "municipality",
					_("No published procedure is of municipality %s."),
					quoted(r, v));
		} else {
			kv_fail(&e, KV_INVALID, "municipality",
				_("A municipality is given by its number; \"%s\" is none."),
				quoted(r, v));
		}
		q->tenant_id = found ? id : 0;
		form_errors_add(fe, &e);
	}
	memset(&e, 0, sizeof e);
	if (*(v = vals[2])) {
		/* the digits a CPV code begins with, or a whole code */
		size_t n = strspn(v, "0123456789");
		if (n < 2 || n > 8 || (v[n] && !(n == 8 && cpv_check(v, "cpv", &e) == KV_OK)))
			kv_fail(&e, KV_INVALID, "cpv",
				_("Give a CPV code, or the first digits of one (at least two), "
				  "such as 85 or 85310000-5; \"%s\" is none."), quoted(r, v));
		else
			q->cpv = arena_strndup(r->a, v, n);
		form_errors_add(fe, &e);
	}
	memset(&e, 0, sizeof e);
	if (*(v = vals[3])) {
		q->type = proc_type_from_code(v);
		if (q->type < 0)
			kv_fail(&e, KV_INVALID, "type",
				_("There is no procedure type \"%s\"."), quoted(r, v));
		form_errors_add(fe, &e);
	}
	memset(&e, 0, sizeof e);
	if (*(v = vals[4]) && day_start(r, v, "deadline_after", &q->deadline_after, &e) != KV_OK)
		form_errors_add(fe, &e);
	memset(&e, 0, sizeof e);
	if (*(v = vals[5]) && day_start(r, v, "deadline_before", &q->deadline_before, &e) != KV_OK)
		form_errors_add(fe, &e);
	memset(&e, 0, sizeof e);
	if (*(v = vals[6])) {
		if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
			q->open_only = true;
		else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0)
			kv_fail(&e, KV_INVALID, "open",
				_("\"open\" is 1 (only procedures open to register) or 0; \"%s\" is neither."),
				quoted(r, v));
		form_errors_add(fe, &e);
	}
	memset(&e, 0, sizeof e);
	const char *pg = qraw(r, "page");
	long long n = 1;
	if (*pg && in_int(pg, 1, 1000000, &n, "page", &e) != KV_OK)
		form_errors_add(fe, &e);
	q->page = (int)n;
}

static html_t filter_form(struct req *r, const struct tender_list *l,
			  const char *const *vals, const struct form_errors *fe)
{
	struct field_option *mu = arena_alloc(r->a, sizeof *mu * (size_t)(l->n_munis + 1));
	mu[0] = (struct field_option){"", _("Any")};
	for (int i = 0; i < l->n_munis; i++)
		mu[i + 1] = (struct field_option){
			arena_printf(r->a, "%lld", (long long)l->munis[i].id), l->munis[i].name};
	struct field_option *ty = arena_alloc(r->a, sizeof *ty * (PT__COUNT + 1));
	ty[0] = (struct field_option){"", _("Any")};
	for (int i = 0; i < PT__COUNT; i++)
		ty[i + 1] = (struct field_option){proc_type_code((enum proc_type)i),
						  proc_type_label((enum proc_type)i)};
	struct form_field fs[] = {
		{.name = "q", .label = N_("Search"), .value = vals[0],
		 .placeholder = N_("Title or reference")},
		{.name = "municipality", .label = N_("Municipality"), .kind = FIELD_SELECT,
		 .options = mu, .n_options = l->n_munis + 1, .options_translated = true,
		 .value = vals[1]},
		{.name = "cpv", .label = N_("CPV code"), .value = vals[2],
		 .placeholder = N_("such as 85 or 85310000-5")},
		{.name = "type", .label = N_("Procedure"), .kind = FIELD_SELECT,
		 .options = ty, .n_options = PT__COUNT + 1, .options_translated = true,
		 .value = vals[3]},
		{.name = "deadline_after", .label = N_("Application deadline from"),
		 .kind = FIELD_DATE, .value = vals[4]},
		{.name = "deadline_before", .label = N_("Application deadline before"),
		 .kind = FIELD_DATE, .value = vals[5]},
		{.name = "open", .label = N_("Only open to register"), .kind = FIELD_CHECKBOX,
		 .value = strcmp(vals[6], "1") == 0 || strcmp(vals[6], "true") == 0 ? "1" : ""},
	};
	struct form f = {.action = "/tenders", .method = "get", .no_csrf = true,
			 .css = "form inline-form", .submit = _("Filter"),
			 .fields = fs, .n_fields = (int)(sizeof fs / sizeof *fs),
			 .errors = fe, .refused = _("The filter was not applied.")};
	return form_html(r, &f);
}

/* ---- the public list ---------------------------------------------------- */

static json_t *tender_row_json(struct req *r, const struct app_tender *t)
{
	const struct procedure *p = &t->p;
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_pack("{s:i, s:s}", "number",
			p->lots[i].number, "title", p->lots[i].title));
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
			 (json_int_t)p->id, "reference", p->reference, "title",
			 p->title, "municipality_id", (json_int_t)p->tenant_id,
			 "municipality", t->municipality, "type",
			 proc_type_code(p->type), "cpv", p->cpv, "lots", lots,
			 "application_deadline", json_instant(r->a, t->application_deadline),
			 "registration_open", t->registration_open);
}

void page_tenders(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct tender_list all;
	struct tender_query none = {.type = -1, .page = 1};
	if (app_tender_search(&r->app, &none, &all, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	struct tender_query q;
	const char *vals[N_QUERY];
	struct form_errors fe = {0};
	query_read(r, &all, &q, vals, &fe);
	struct tender_list l = {0};
	if (!fe.n && app_tender_search(&r->app, &q, &l, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		if (fe.n) {
			resp_error(r, w, &fe.items[0]);
			return;
		}
		json_t *arr = json_array();
		for (int i = 0; i < l.n; i++)
			json_array_append_new(arr, tender_row_json(r, &l.rows[i]));
		resp_json(r, w, 200, json_pack("{s:o, s:i, s:i, s:i, s:i}", "tenders", arr,
					       "total", l.total, "page", l.page,
					       "pages", l.pages, "per_page", TENDERS_PER_PAGE));
		return;
	}
	if (fe.n)
		l = (struct tender_list){.munis = all.munis, .n_munis = all.n_munis,
					 .page = 1, .pages = 1};
	struct tv_tender_list_tenders *rows = arena_alloc(r->a, (size_t)(l.n + 1) * sizeof *rows);
	for (int i = 0; i < l.n; i++) {
		const struct app_tender *t = &l.rows[i];
		rows[i] = (struct tv_tender_list_tenders){
			.id = t->p.id, .reference = t->p.reference, .title = t->p.title,
			.municipality = t->municipality, .type = proc_type_label(t->p.type),
			.lots = t->p.n_lots,
			.deadline_at = fmt_when(r, t->application_deadline),
			.open = t->registration_open};
	}
	int from = (l.page - 1) * TENDERS_PER_PAGE;
	bool filtered = false;
	for (int i = 0; i < N_QUERY; i++)
		filtered = filtered || *vals[i];
	struct tv_tender_list t = {
		.filter = filter_form(r, &all, vals, &fe),
		.shown = arena_printf(r->a, _("%d–%d of %d"), l.n ? from + 1 : 0, from + l.n, l.total),
		.filtered = filtered,
		.tenders = rows, .n_tenders = l.n,
		.pager = pager(r, vals, l.page, l.pages)};
	layout_begin(r, w, _("Published procedures"));
	tmpl_tender_list(&w->body, &t);
	layout_end(r, w);
	if (fe.n)
		w->status = 422;
}

/* ---- one tender --------------------------------------------------------- */

static const char *const kind_labels[TENDER_DOC_KINDS] = {
	N_("leidraad"), N_("programma van eisen"), N_("conceptovereenkomst"), N_("annex")};

static const char *kind_label(const char *code)
{
	int k = tender_doc_kind_from_code(code);
	return k < 0 ? "" : _(kind_labels[k]);
}

static const char *lot_name(struct req *r, const struct procedure *p, int64_t lot_id)
{
	for (int i = 0; lot_id && i < p->n_lots; i++)
		if (p->lots[i].id == lot_id)
			return arena_printf(r->a, _("lot %d"), p->lots[i].number);
	return "";
}

static json_t *document_json(struct req *r, const struct tender_document *d,
			     bool fresh, bool changed)
{
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, d->sha256, sizeof d->sha256);
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:i, s:s, s:s, s:I, s:s, s:o, s:s, s:b, s:b}",
			 "id", (json_int_t)d->id, "document_id", (json_int_t)d->document_id,
			 "kind", d->kind, "title", d->title, "lot_id", (json_int_t)d->lot_id,
			 "version", d->version, "file_name", d->file_name,
			 "content_type", d->content_type, "size", (json_int_t)d->size,
			 "sha256", hex, "uploaded_at", json_instant(r->a, d->uploaded_at),
			 "href", arena_printf(r->a, "/tenders/%lld/documents/%lld",
					      (long long)d->procedure_id, (long long)d->id),
			 "new", fresh, "changed", changed);
}

/* Whether the document of docs[i] had a version at or before `since`. */
static bool seen_before(const struct tender_document *docs, int n, int i, kv_instant since)
{
	for (int k = 0; k < n; k++)
		if (docs[k].document_id == docs[i].document_id && docs[k].uploaded_at <= since)
			return true;
	return false;
}

void page_tender(struct req *r, struct resp *w)
{
	struct app_tender_page v;
	struct kv_error e = {0};
	if (app_tender_page(&r->app, r->ids[0], &v, &e) != KV_OK) {
		if (e.status == KV_NOT_FOUND)
			refusal(r, w, 404, KV_NOT_FOUND, _("There is no such published procedure."));
		else
			resp_error(r, w, &e);
		return;
	}
	const struct procedure *p = &v.t.p;
	unsigned roles = r->authed ? role_on_procedure(r->grants, r->n_grants, p->tenant_id, p->id) : 0;
	bool candidate = false;
	for (int i = 0; i < r->n_grants && (roles & ROLE_BIDDER); i++)
		candidate = candidate || (r->grants[i].procedure_id == p->id &&
					  r->grants[i].role == ROLE_BIDDER &&
					  r->grants[i].candidate_id);
	/* A candidate's visit is recorded; the marks compare with the one
	 * before. */
	kv_instant since = 0;
	if (candidate && app_tender_visit(&r->app, r->me.id, p->id, &since, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	bool nota_link = roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_BIDDER | ROLE_COUNCIL);
	if (r->api) {
		json_t *docs = json_array(), *notas = json_array(), *stages = json_array();
		for (int i = 0; i < v.n_docs; i++) {
			bool fresh = since && v.docs[i].uploaded_at > since;
			bool old = fresh && seen_before(v.docs, v.n_docs, i, since);
			json_array_append_new(docs, document_json(r, &v.docs[i], fresh && !old, old));
		}
		for (int i = 0; i < v.n_notas; i++)
			json_array_append_new(notas, json_pack("{s:i, s:o, s:b}",
				"number", v.notas[i].number,
				"published_at", json_instant(r->a, v.notas[i].published_at),
				"new", since && v.notas[i].published_at > since));
		for (int i = 0; i < p->n_stages; i++)
			json_array_append_new(stages, json_pack("{s:s, s:o, s:o}",
				"kind", stage_kind_code(p->stages[i].kind),
				"start", json_instant(r->a, p->stages[i].start),
				"end", json_instant(r->a, p->stages[i].end)));
		json_t *j = tender_row_json(r, &v.t);
		json_t *lots = json_object_get(j, "lots");
		for (int i = 0; i < p->n_lots; i++) {
			json_t *lo = json_array_get(lots, (size_t)i);
			json_object_set_new(lo, "id", json_integer(p->lots[i].id));
			json_object_set_new(lo, "budget_cents", p->lots[i].fixed_budget
				? json_integer(p->lots[i].value_cents) : json_null());
		}
		json_object_set_new(j, "description", json_string(p->description ? p->description : ""));
		json_object_set_new(j, "stages", stages);
		json_object_set_new(j, "notas", notas);
		json_object_set_new(j, "documents", docs);
		json_object_set_new(j, "previous_visit",
				    since ? json_instant(r->a, since) : json_null());
		resp_json(r, w, 200, j);
		return;
	}
	struct tv_tender_page_lots *lots = arena_alloc(r->a, sizeof *lots * (size_t)(p->n_lots + 1));
	for (int i = 0; i < p->n_lots; i++)
		lots[i] = (struct tv_tender_page_lots){
			.number = p->lots[i].number, .title = p->lots[i].title,
			.goals = p->lots[i].goals ? p->lots[i].goals : "",
			.budget = p->lots[i].fixed_budget ? fmt_eur(r, p->lots[i].value_cents) : ""};
	struct tv_tender_page_stages *st = arena_alloc(r->a, sizeof *st * (size_t)(p->n_stages + 1));
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		st[i] = (struct tv_tender_page_stages){
			.label = stage_kind_label(s->kind),
			.when = s->start && s->end ? fmt_period(r, s->start, s->end) : "",
			.deadline = stage_is_deadline(s->kind)};
	}
	struct tv_tender_page_notas *ns = arena_alloc(r->a, sizeof *ns * (size_t)(v.n_notas + 1));
	for (int i = 0; i < v.n_notas; i++)
		ns[i] = (struct tv_tender_page_notas){
			.number = v.notas[i].number,
			.published_at = fmt_when(r, v.notas[i].published_at),
			.href = nota_link ? arena_printf(r->a, "/procedures/%lld/notas/%d",
							 (long long)p->id, v.notas[i].number) : "",
			.fresh = since && v.notas[i].published_at > since};
	struct tv_tender_page_docs *ds = arena_alloc(r->a, sizeof *ds * (size_t)(v.n_docs + 1));
	for (int i = 0; i < v.n_docs; i++) {
		const struct tender_document *d = &v.docs[i];
		bool fresh = since && d->uploaded_at > since;
		bool old = fresh && seen_before(v.docs, v.n_docs, i, since);
		ds[i] = (struct tv_tender_page_docs){
			.kind = kind_label(d->kind), .title = d->title,
			.lot = lot_name(r, p, d->lot_id), .version = d->version,
			.latest = i == 0 || v.docs[i - 1].document_id != d->document_id,
			.file_name = d->file_name, .size = fmt_bytes(r, d->size),
			.uploaded_at = fmt_when(r, d->uploaded_at),
			.href = arena_printf(r->a, "/tenders/%lld/documents/%lld",
					     (long long)p->id, (long long)d->id),
			.fresh = fresh && !old, .changed = old};
	}
	struct tv_tender_page t = {
		.reference = p->reference, .title = p->title,
		.description = p->description ? p->description : "",
		.municipality = v.t.municipality, .type = proc_type_label(p->type),
		.cpv = p->cpv, .deadline_at = fmt_when(r, v.t.application_deadline),
		.open = v.t.registration_open, .id = p->id,
		.since = since ? fmt_when(r, since) : "",
		.lots = lots, .n_lots = p->n_lots, .stages = st, .n_stages = p->n_stages,
		.notas = ns, .n_notas = v.n_notas, .docs = ds, .n_docs = v.n_docs};
	layout_begin(r, w, p->title);
	tmpl_tender_page(&w->body, &t);
	layout_end(r, w);
}

/* "inline" (PDF) or "attachment", then "; filename*=UTF-8''..." with
 * every byte outside the RFC 5987 attr-char set percent-encoded, so no
 * name can break the header. */
static const char *disposition(arena *a, const char *how, const char *name)
{
	static const char keep[] = "!#$&+-.^_`|~";
	static const char hexd[] = "0123456789ABCDEF";
	size_t n = strlen(name);
	sbuf b;
	sbuf_init(&b, a, 64 + n * 3);
	sbuf_printf(&b, "%s; filename*=UTF-8''", how);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(keep, c)) {
			sbuf_add(&b, (const char *)&c, 1);
		} else {
			char h[3] = {'%', hexd[c >> 4], hexd[c & 15]};
			sbuf_add(&b, h, 3);
		}
	}
	return sbuf_str(&b);
}

void page_tender_document(struct req *r, struct resp *w)
{
	struct tender_document d;
	struct kv_error e = {0};
	if (app_tender_document_read(&r->app, r->ids[0], r->ids[1], false, &d, &e) != KV_OK) {
		refusal(r, w, 404, KV_NOT_FOUND, _("There is no such procurement document."));
		return;
	}
	bool pdf = strcmp(d.content_type, "application/pdf") == 0;
	w->status = 200;
	w->content_type = d.content_type;
	resp_header(w, "Content-Disposition",
		    disposition(r->a, pdf ? "inline" : "attachment", d.file_name));
	sbuf_add(&w->body, (const char *)d.content, (size_t)d.size);
}

/* ---- the buyer's documents page ------------------------------------------ */

static void documents_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	const struct procedure *p = &r->proc;
	struct tender_document *docs = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (app_tender_documents(&r->app, p->id, &docs, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	struct app_tender pub;
	struct kv_error pe;
	bool published = app_tender_get(&r->app, p->id, &pub, &pe) == KV_OK;
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, document_json(r, &docs[i], false, false));
		resp_json(r, w, 200, json_pack("{s:o, s:b}", "documents", arr,
					       "published", published));
		return;
	}
	struct tv_tender_documents_docs *ds = arena_alloc(r->a, sizeof *ds * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		ds[i] = (struct tv_tender_documents_docs){
			.kind = kind_label(docs[i].kind), .title = docs[i].title,
			.lot = lot_name(r, p, docs[i].lot_id), .version = docs[i].version,
			.file_name = docs[i].file_name, .size = fmt_bytes(r, docs[i].size),
			.uploaded_at = fmt_when(r, docs[i].uploaded_at),
			.href = arena_printf(r->a, "/procedures/%lld/documents/%lld",
					     (long long)p->id, (long long)docs[i].id)};
	struct field_option kinds[TENDER_DOC_KINDS];
	for (int i = 0; i < TENDER_DOC_KINDS; i++)
		kinds[i] = (struct field_option){tender_doc_kind_codes[i], kind_labels[i]};
	struct field_option *lo = arena_alloc(r->a, sizeof *lo * (size_t)(p->n_lots + 1));
	lo[0] = (struct field_option){"", _("The whole procedure")};
	for (int i = 0; i < p->n_lots; i++)
		lo[i + 1] = (struct field_option){
			arena_printf(r->a, "%lld", (long long)p->lots[i].id),
			arena_printf(r->a, _("Lot %d: %s"), p->lots[i].number, p->lots[i].title)};
	struct form_field fs[] = {
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT,
		 .options = kinds, .n_options = TENDER_DOC_KINDS, .value = "leidraad"},
		{.name = "lot", .label = N_("For"), .kind = FIELD_SELECT, .options = lo,
		 .n_options = p->n_lots + 1, .options_translated = true},
		{.name = "title", .label = N_("Title"), .required = true,
		 .help = N_("The same kind, lot and title as a published document make a new version of it")},
		{.name = "content", .label = N_("File"), .kind = FIELD_FILE, .required = true,
		 .help = N_("A PDF or an office document, at most 25 MiB"),
		 .accept = ".pdf,.docx,.xlsx,.odt,.ods,.zip"},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/documents", (long long)p->id),
		.submit = _("Publish the document"), .fields = fs,
		.n_fields = (int)(sizeof fs / sizeof *fs), .errors = fe,
		.refused = _("The document was not published.")};
	struct tv_tender_documents t = {.id = p->id, .published = published,
					.docs = ds, .n_docs = n, .form = form_html(r, &f)};
	layout_begin(r, w, _("Procurement documents"));
	procedure_nav(r, w, "documents");
	tmpl_tender_documents(&w->body, &t);
	layout_end(r, w);
}

void page_tender_documents(struct req *r, struct resp *w)
{
	documents_page(r, w, NULL);
}

void page_tender_document_buyer(struct req *r, struct resp *w)
{
	struct tender_document d;
	struct kv_error e = {0};
	if (app_tender_document_read(&r->app, r->proc.id, r->ids[1], true, &d, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	bool pdf = strcmp(d.content_type, "application/pdf") == 0;
	w->status = 200;
	w->content_type = d.content_type;
	resp_header(w, "Content-Disposition",
		    disposition(r->a, pdf ? "inline" : "attachment", d.file_name));
	sbuf_add(&w->body, (const char *)d.content, (size_t)d.size);
}

void page_tender_document_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct tender_document d = {.kind = in_str(r, "kind"),
				    .title = (char *)in_str(r, "title")};
	int status = 0;
	enum kv_status rc = KV_OK;
	const char *lot = in_str(r, "lot");
	long long lot_id = 0;
	if (!in_blank(lot) && in_int(lot, 1, INT64_MAX, &lot_id, "lot", &e) != KV_OK)
		rc = kv_fail(&e, KV_INVALID, "lot", _("This procedure has no such lot."));
	d.lot_id = lot_id;
	if (rc == KV_OK && !r->api && r->form_bad && !r->body_cut) {
		status = 400;
		rc = kv_fail(&e, KV_INVALID, "content", _("The form could not be read."));
	}
	if (rc == KV_OK && !r->api && r->body_cut) {
		status = 413;
		rc = kv_fail(&e, KV_INVALID, "content",
			     _("A procurement document is at most %lld MiB."),
			     (long long)(APP_TENDER_DOCUMENT_MAX / (1024 * 1024)));
	}
	bool present = false;
	const char *name = NULL;
	if (rc == KV_OK)
		rc = in_file(r, "content", &present, &name, &d.content, &d.size, &e);
	/* none sent: the action refuses it at "content", after the other
	 * fields */
	d.file_name = (char *)name;
	if (rc == KV_OK && d.size > APP_TENDER_DOCUMENT_MAX) {
		status = 413;
		rc = kv_fail(&e, KV_INVALID, "content",
			     _("A procurement document is at most %lld MiB."),
			     (long long)(APP_TENDER_DOCUMENT_MAX / (1024 * 1024)));
	}
	if (rc == KV_OK)
		rc = app_tender_document_publish(&r->app, r->proc.id, &d, &e);
	if (rc != KV_OK) {
		if (r->api) {
			resp_error(r, w, &e);
			if (status)
				w->status = status;
			return;
		}
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		documents_page(r, w, &fe);
		w->status = status ? status : http_status_of(rc);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, document_json(r, &d, false, false));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/documents",
					 (long long)r->proc.id));
}
