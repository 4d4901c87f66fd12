/*
 * page_qa.c - questions and answers (nota van inlichtingen): the
 * questions page, asking, answering, the question deadline, publishing,
 * and a published nota as a page and a PDF.  Pages and the API share the
 * handlers.
 *
 * Who sees what (least privilege):
 *   - a bidder: its own candidate's questions (the answer only once it is
 *     published) and the published notas;
 *   - a buyer: every question with the asking candidate and account, the
 *     answer drafts, the deadline form and the publish button;
 *   - assessors and council members: the published notas only.  They
 *     judge and oversee what the procurement documents say, which the
 *     notas are; the questions before publication, and who asked them,
 *     are the buyer's working material.
 * A nota is read from the store without the askers' columns, so no page,
 * PDF or JSON of a nota can name who asked.  A nota exists only once it
 * is published: an unpublished one cannot be asked for (404).
 */
#include <limits.h>
#include <string.h>

#include "html.h"
#include "input.h"
#include "report/report.h"
#include "view.h"

/* The candidate a bidder account acts for on this procedure, or 0. */
static bool is_buyer(const struct req *r)
{
	return r->roles & ROLE_BUYER;
}

static bool is_bidder(const struct req *r)
{
	return !is_buyer(r) && (r->roles & ROLE_BIDDER) && own_candidate(r);
}

static void answer_refusal(struct req *r, struct resp *w, int status,
			   enum kv_status st, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

static const char *lot_label(struct req *r, const struct question *q)
{
	if (!q->lot_id)
		return _("General");
	return arena_printf(r->a, "%s %d: %s", _("Lot"), q->lot_number,
			    q->lot_title ? q->lot_title : "");
}

static json_t *json_qlot(const struct question *q)
{
	if (!q->lot_id)
		return json_null();
	return json_pack("{s:I, s:i, s:s}", "id", (json_int_t)q->lot_id,
			 "number", q->lot_number, "title",
			 q->lot_title ? q->lot_title : "");
}

/* A question as its own candidate's bidder sees it: the answer only
 * once it is published. */
static json_t *json_question_bidder(struct req *r, const struct question *q)
{
	bool pub = q->nota_id != 0;
	return json_pack("{s:I, s:o, s:s, s:o, s:b, s:o, s:o, s:o}",
			 "id", (json_int_t)q->id, "lot", json_qlot(q),
			 "text", q->text, "asked_at",
			 json_instant(r->a, q->asked_at), "published", pub,
			 "nota", pub ? json_integer(q->nota_number) : json_null(),
			 "published_at", json_instant(r->a, pub ? q->published_at : 0),
			 "answer", pub && q->answer ? json_string(q->answer)
						    : json_null());
}

/* A question as the buyer sees it: who asked, the draft answer. */
static json_t *json_question_buyer(struct req *r, const struct question *q)
{
	json_t *j = json_question_bidder(r, q);
	json_object_set_new(j, "candidate_id", json_integer(q->candidate_id));
	json_object_set_new(j, "candidate", json_string(q->candidate_name ? q->candidate_name : ""));
	json_object_set_new(j, "asked_by", json_string(q->account_name ? q->account_name : ""));
	json_object_set_new(j, "answer", q->answer ? json_string(q->answer) : json_null());
	json_object_set_new(j, "answered_at", json_instant(r->a, q->answered_at));
	return j;
}

static json_t *json_nota_summary(struct req *r, const struct nota *n)
{
	return json_pack("{s:i, s:o, s:i}", "number", n->number,
			 "published_at", json_instant(r->a, n->published_at),
			 "questions", n->n_questions);
}

/* A published nota: numbered questions, no askers. */
static json_t *json_nota(struct req *r, const struct nota *n)
{
	json_t *qs = json_array();
	for (int i = 0; i < n->n_questions; i++) {
		const struct question *q = &n->questions[i];
		json_array_append_new(qs, json_pack("{s:i, s:o, s:s, s:s}",
			"number", i + 1, "lot", json_qlot(q),
			"question", q->text, "answer", q->answer ? q->answer : ""));
	}
	return json_pack("{s:i, s:o, s:{s:I, s:s, s:s}, s:o}",
			 "number", n->number,
			 "published_at", json_instant(r->a, n->published_at),
			 "procedure", "id", (json_int_t)r->proc.id,
			 "reference", r->proc.reference, "title", r->proc.title,
			 "questions", qs);
}

/* Text of several lines, escaped, lines kept. */
static void lines(sbuf *b, const char *s)
{
	html_f(b, "<p class=\"qa-text\">");
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[512];
		/* in pieces, so a long line needs no allocation */
		for (size_t off = 0; off < n;) {
			size_t k = n - off < sizeof line - 1 ? n - off : sizeof line - 1;
			memcpy(line, s + off, k);
			line[k] = 0;
			html_f(b, "%s", line);
			off += k;
		}
		if (!nl)
			break;
		html_f(b, "<br>");
		s = nl + 1;
	}
	html_f(b, "</p>");
}

/* ---- the questions page --------------------------------------------------- */

struct qa_view {
	kv_instant deadline;      /* 0: none known */
	bool own;                 /* the buyer set it */
	bool open;                /* questions are taken now */
	struct question *qs;      /* what this account may see */
	int nq;
	struct nota *notas;
	int nn;
};

static enum kv_status qa_load(struct req *r, struct qa_view *v,
			      struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	enum kv_status rc = app_question_deadline(&r->app, &r->proc,
						  &v->deadline, &v->own, e);
	v->open = !v->deadline || r->app.now <= v->deadline;
	if (rc == KV_OK && is_buyer(r))
		rc = STORE(r->st, question_list, r->proc.id, 0, r->a, &v->qs,
			   &v->nq, e);
	else if (rc == KV_OK && is_bidder(r))
		rc = STORE(r->st, question_list, r->proc.id, own_candidate(r),
			   r->a, &v->qs, &v->nq, e);
	if (rc == KV_OK)
		rc = STORE(r->st, nota_list, r->proc.id, r->a, &v->notas,
			   &v->nn, e);
	return rc;
}

static json_t *json_qa(struct req *r, const struct qa_view *v)
{
	json_t *qs = json_array();
	for (int i = 0; i < v->nq; i++)
		json_array_append_new(qs, is_buyer(r)
					      ? json_question_buyer(r, &v->qs[i])
					      : json_question_bidder(r, &v->qs[i]));
	json_t *ns = json_array();
	for (int i = 0; i < v->nn; i++)
		json_array_append_new(ns, json_nota_summary(r, &v->notas[i]));
	return json_pack("{s:o, s:b, s:b, s:o, s:o}",
			 "deadline", json_instant(r->a, v->deadline),
			 "deadline_set", v->own, "open", v->open,
			 "questions", qs, "notas", ns);
}

static void ask_form(struct req *r, struct resp *w, const struct kv_error *e)
{
	sbuf *b = &w->body;
	const char *lot = refill(r, "lot_id", "");
	html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/questions\" class=\"form\" novalidate>%R"
		  "<label for=\"lot_id\">%s</label><select id=\"lot_id\" name=\"lot_id\">"
		  "<option value=\"\">%s</option>",
	       _("Ask a question"), (long long)r->proc.id, csrf_input(r),
	       _("About"), _("General"));
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *l = &r->proc.lots[i];
		const char *id = arena_printf(r->a, "%lld", (long long)l->id);
		html_f(b, "<option value=\"%s\"%R>%s %d: %s</option>", id,
		       strcmp(lot, id) == 0 ? " selected" : "", _("Lot"),
		       l->number, l->title);
	}
	html_f(b, "</select>%R<label for=\"text\">%s</label>"
		  "<textarea id=\"text\" name=\"text\" rows=\"6\">%s</textarea>%R"
		  "<button type=\"submit\">%s</button></form>",
	       field_error(r, e, "lot_id"),
	       _("Your question (the other candidates will see it in the nota, without your name)"),
	       refill(r, "text", ""), field_error(r, e, "text"), _("Send question"));
}

static void notas_list(struct req *r, struct resp *w, const struct qa_view *v)
{
	sbuf *b = &w->body;
	html_f(b, "<h3>%s</h3>", _("Published notas van inlichtingen"));
	if (!v->nn) {
		html_f(b, "<p>%s</p>", _("No nota has been published yet."));
		return;
	}
	html_f(b, "<ul>");
	for (int i = 0; i < v->nn; i++)
		html_f(b, "<li><a href=\"/procedures/%lld/notas/%d\">%s %d</a> — %s; %s: %d "
			  "(<a href=\"/procedures/%lld/notas/%d/pdf\">PDF</a>)</li>",
		       (long long)r->proc.id, v->notas[i].number,
		       _("Nota van inlichtingen"), v->notas[i].number,
		       fmt_when(r, v->notas[i].published_at), _("questions"),
		       v->notas[i].n_questions, (long long)r->proc.id, v->notas[i].number);
	html_f(b, "</ul>");
}

/* err_q: the question whose answer form e belongs to (0: none). */
static void qa_page(struct req *r, struct resp *w, const struct kv_error *e,
		    int64_t err_q)
{
	sbuf *b = &w->body;
	struct qa_view v;
	struct kv_error le;
	if (qa_load(r, &v, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	long long pid = (long long)r->proc.id;
	layout_begin(r, w, _("Questions and answers"));
	procedure_nav(r, w, "questions");
	html_f(b, "<h2>%s</h2>", _("Questions and answers"));
	if (v.deadline)
		html_f(b, "<p>%s %s%s.</p>",
		       v.open ? _("Questions can be asked until") : _("Questions closed on"),
		       fmt_when(r, v.deadline),
		       v.own ? "" : _(" (the tender deadline)"));
	else
		html_f(b, "<p>%s</p>", _("No question deadline is planned yet: questions can be asked."));
	if (req_param(r, "asked"))
		html_f(b, "<p class=\"notice\" role=\"status\">%s</p>",
		       _("Your question has been sent. Its answer appears here once the buyer publishes it in a nota van inlichtingen."));
	if (!err_q)
		form_error_summary(r, w, e);

	if (is_bidder(r)) {
		if (v.open)
			ask_form(r, w, e);
		html_f(b, "<h3>%s</h3>", _("Your questions"));
		if (!v.nq)
			html_f(b, "<p>%s</p>", _("You have asked no questions."));
		for (int i = 0; i < v.nq; i++) {
			const struct question *q = &v.qs[i];
			html_f(b, "<article class=\"question\" id=\"q%lld\"><h4>%s <small>%s</small></h4>",
			       (long long)q->id, lot_label(r, q), fmt_when(r, q->asked_at));
			lines(b, q->text);
			if (q->nota_id) {
				html_f(b, "<p><strong>%s</strong> (<a href=\"/procedures/%lld/notas/%d\">%s %d</a>)</p>",
				       _("Answer"), pid, q->nota_number,
				       _("Nota van inlichtingen"), q->nota_number);
				lines(b, q->answer);
			} else {
				html_f(b, "<p class=\"badge\">%s</p>", _("Not yet answered in a nota"));
			}
			html_f(b, "</article>");
		}
	}

	if (is_buyer(r)) {
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/questions/deadline\" class=\"form inline-form\" novalidate>%R"
			  "<label for=\"deadline\">%s</label><input id=\"deadline\" name=\"deadline\" type=\"datetime-local\" value=\"%s\">%R"
			  "<button type=\"submit\">%s</button></form>",
		       _("Question deadline"), pid, csrf_input(r), _("Questions close at"),
		       refill(r, "deadline", v.own ? fmt_input_time(r, v.deadline) : ""),
		       field_error(r, e, "deadline"), _("Set question deadline"));
		int waiting = 0;
		for (int i = 0; i < v.nq; i++)
			waiting += v.qs[i].answer && !v.qs[i].nota_id;
		html_f(b, "<h3>%s</h3>", _("Questions"));
		if (!v.nq)
			html_f(b, "<p>%s</p>", _("No questions have been asked."));
		for (int i = 0; i < v.nq; i++) {
			const struct question *q = &v.qs[i];
			html_f(b, "<article class=\"question\" id=\"q%lld\"><h4>%s <small>%s — %s (%s)</small></h4>",
			       (long long)q->id, lot_label(r, q), fmt_when(r, q->asked_at),
			       q->candidate_name ? q->candidate_name : "",
			       q->account_name ? q->account_name : "");
			lines(b, q->text);
			if (q->nota_id) {
				html_f(b, "<p><strong>%s</strong> (<a href=\"/procedures/%lld/notas/%d\">%s %d</a>)</p>",
				       _("Answer"), pid, q->nota_number,
				       _("Nota van inlichtingen"), q->nota_number);
				lines(b, q->answer);
			} else {
				const struct kv_error *fe = err_q == q->id ? e : NULL;
				const char *val = err_q == q->id ? refill(r, "answer", "")
								 : (q->answer ? q->answer : "");
				html_f(b, "<form method=\"post\" action=\"/procedures/%lld/questions/%lld/answer\" class=\"form\" novalidate>%R"
					  "%R<label for=\"answer-%lld\">%s</label>"
					  "<textarea id=\"answer-%lld\" name=\"answer\" rows=\"4\">%s</textarea>%R"
					  "<button type=\"submit\">%s</button></form>",
				       pid, (long long)q->id, csrf_input(r),
				       fe && !*fe->field ? arena_printf(r->a, "<p class=\"field-error\" role=\"alert\">%s</p>",
									html_escape(r->a, fe->msg)) : "",
				       (long long)q->id,
				       q->answer ? _("Answer (a draft until it is published)") : _("Answer"),
				       (long long)q->id, val, field_error(r, fe, "answer"),
				       q->answer ? _("Change answer") : _("Save answer"));
			}
			html_f(b, "</article>");
		}
		html_f(b, "<h3>%s</h3>", _("Publish"));
		if (waiting)
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/notas\" class=\"form\">%R"
				  "<p>%s %d.</p><button type=\"submit\">%s</button></form>",
			       pid, csrf_input(r),
			       _("Answered questions that a new nota van inlichtingen will publish, anonymised, to every candidate at once:"),
			       waiting, _("Publish nota van inlichtingen"));
		else
			html_f(b, "<p>%s</p>", _("No answered question waits to be published."));
	}
	notas_list(r, w, &v);
	layout_end(r, w);
}

void page_questions(struct req *r, struct resp *w)
{
	if (r->api) {
		struct qa_view v;
		struct kv_error e;
		if (qa_load(r, &v, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_qa(r, &v));
		return;
	}
	qa_page(r, w, NULL, 0);
}

/* After an action: the API's answer, or the page again (with the error)
 * or a redirect. */
static void after(struct req *r, struct resp *w, enum kv_status rc,
		  const struct kv_error *e, int64_t err_q, const char *to)
{
	if (rc != KV_OK) {
		if (r->api) {
			resp_error(r, w, e);
			return;
		}
		w->status = http_status_of(rc);
		qa_page(r, w, e, err_q);
		return;
	}
	resp_redirect(r, w, to);
}

void page_question_ask(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);
	if (!cand) {
		answer_refusal(r, w, 403, KV_DENIED,
			       _("Your account bids for no candidate in this procedure."));
		return;
	}
	struct kv_error e = {0};
	struct question q = {.procedure_id = r->proc.id, .candidate_id = cand,
			     .account_id = r->me.id,
			     .text = (char *)in_str(r, "text")};
	const char *lot = in_str(r, "lot_id");
	enum kv_status rc = KV_OK;
	long long lot_id = 0;
	if (!in_blank(lot) && strcmp(lot, "0") != 0)
		rc = in_int(lot, 1, (long long)1 << 53, &lot_id, "lot_id", &e);
	q.lot_id = lot_id;
	if (rc == KV_OK)
		rc = app_question_ask(&r->app, &q, &e);
	if (r->api && rc == KV_OK) {
		struct question got;
		if (STORE(r->st, question_get, r->proc.id, q.id, r->a, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_question_bidder(r, &got));
		return;
	}
	after(r, w, rc, &e, 0,
	      arena_printf(r->a, "/procedures/%lld/questions?asked=1#q%lld",
			   (long long)r->proc.id, (long long)q.id));
}

void page_question_answer(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_question_answer(&r->app, r->proc.id, r->ids[1],
						in_str(r, "answer"), &e);
	if (r->api && rc == KV_OK) {
		struct question got;
		if (STORE(r->st, question_get, r->proc.id, r->ids[1], r->a, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_question_buyer(r, &got));
		return;
	}
	if (rc == KV_NOT_FOUND && !r->api) {
		resp_error(r, w, &e);
		return;
	}
	after(r, w, rc, &e, r->ids[1],
	      arena_printf(r->a, "/procedures/%lld/questions#q%lld",
			   (long long)r->proc.id, (long long)r->ids[1]));
}

void page_question_deadline(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	const char *s = in_str(r, "deadline");
	kv_instant at = 0;
	enum kv_status rc;
	if (in_blank(s))
		rc = kv_fail(&e, KV_INVALID, "deadline", _("Fill in the date and time."));
	else
		rc = cal_parse_local(s, &at, "deadline", &e) == 0 ? KV_OK : KV_INVALID;
	if (rc == KV_OK)
		rc = app_question_deadline_set(&r->app, r->proc.id, at, &e);
	if (r->api && rc == KV_OK) {
		struct qa_view v;
		if (qa_load(r, &v, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_qa(r, &v));
		return;
	}
	after(r, w, rc, &e, 0,
	      arena_printf(r->a, "/procedures/%lld/questions", (long long)r->proc.id));
}

void page_nota_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct nota n;
	enum kv_status rc = app_nota_publish(&r->app, r->proc.id, &n, &e);
	if (r->api && rc == KV_OK) {
		struct nota got;
		if (STORE(r->st, nota_get, r->proc.id, n.number, r->a, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_nota(r, &got));
		return;
	}
	after(r, w, rc, &e, 0,
	      arena_printf(r->a, "/procedures/%lld/notas/%d", (long long)r->proc.id,
			   n.number));
}

/* ---- a published nota ------------------------------------------------------- */

static enum kv_status nota_load(struct req *r, struct nota *n,
				struct kv_error *e)
{
	if (r->n_ids < 2 || r->ids[1] < 1 || r->ids[1] > INT_MAX)
		return kv_fail(e, KV_NOT_FOUND, "",
			       _("This procedure has no published nota with that number."));
	return STORE(r->st, nota_get, r->proc.id, (int)r->ids[1], r->a, n, e);
}

void page_nota(struct req *r, struct resp *w)
{
	struct nota n;
	struct kv_error e = {0};
	if (nota_load(r, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_nota(r, &n));
		return;
	}
	sbuf *b = &w->body;
	long long pid = (long long)r->proc.id;
	const char *title = arena_printf(r->a, "%s %d", _("Nota van inlichtingen"), n.number);
	layout_begin(r, w, title);
	procedure_nav(r, w, "questions");
	html_f(b, "<h2>%s</h2><p>%s %s. %s</p>"
		  "<p><a class=\"button\" href=\"/procedures/%lld/notas/%d/pdf\">%s</a> "
		  "<a href=\"/procedures/%lld/questions\">%s</a></p>",
	       title, _("Published"), fmt_when(r, n.published_at),
	       _("The answers are part of the procurement documents. Questions are shown without the name of whoever asked them."),
	       pid, n.number, _("Download as PDF"), pid, _("All questions and answers"));
	html_f(b, "<ol class=\"nota\">");
	for (int i = 0; i < n.n_questions; i++) {
		const struct question *q = &n.questions[i];
		html_f(b, "<li><article class=\"question\"><h4>%s %d — %s</h4><p><strong>%s</strong></p>",
		       _("Question"), i + 1, lot_label(r, q), _("Question"));
		lines(b, q->text);
		html_f(b, "<p><strong>%s</strong></p>", _("Answer"));
		lines(b, q->answer);
		html_f(b, "</article></li>");
	}
	html_f(b, "</ol>");
	layout_end(r, w);
}

void page_nota_pdf(struct req *r, struct resp *w)
{
	struct nota n;
	struct kv_error e = {0};
	if (nota_load(r, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const char *mname = procedure_municipality(r);
	struct nota_item *items = arena_alloc(r->a, (size_t)(n.n_questions + 1) * sizeof *items);
	for (int i = 0; i < n.n_questions; i++) {
		items[i].lot = lot_label(r, &n.questions[i]);
		items[i].question = n.questions[i].text;
		items[i].answer = n.questions[i].answer;
	}
	struct nota_doc doc = {.municipality = mname, .reference = r->proc.reference,
			       .title = r->proc.title, .number = n.number,
			       .published_text = fmt_when(r, n.published_at),
			       .items = items, .n_items = n.n_questions};
	unsigned char *pdf;
	size_t len;
	if (report_nota_pdf(r->a, &doc, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = "application/pdf";
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"nota-van-inlichtingen-%d.pdf\"", n.number));
	sbuf_add(&w->body, (const char *)pdf, len);
}
