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
 * A nota is read (app/read_qa.h) without the askers' columns, so no page,
 * PDF or JSON of a nota can name who asked.  A nota exists only once it
 * is published: an unpublished one cannot be asked for (404).
 *
 * The pages are the templates qa_*.tmpl, their forms declared once
 * (form.h); not the answer form under each question (qa_answer.tmpl),
 * since several stand on one page and each field's id carries its
 * question's.
 */
#include <string.h>

#include "app/read_qa.h"
#include "form.h"
#include "input.h"
#include "report/report.h"
#include "templates.h"
#include "view.h"

static bool is_buyer(const struct req *r)
{
	return r->roles & ROLE_BUYER;
}

/* A bidder who is no buyer and acts for a candidate of the procedure. */
static bool is_bidder(const struct req *r)
{
	return !is_buyer(r) && (r->roles & ROLE_BIDDER) && own_candidate(r);
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

/* A text of several lines as the template qa_text shows it, its lines
 * kept ("a\nb" is a, a line break, b). */
static struct tv_qa_text qa_text(struct req *r, const char *s)
{
	struct tv_qa_text v = {0};
	if (!s || !*s)
		return v;
	int n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	struct tv_qa_text_lines *ls = arena_alloc(r->a, (size_t)n * sizeof *ls);
	for (int i = 0; i < n; i++) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		ls[i] = (struct tv_qa_text_lines){.line = arena_strndup(r->a, s, len),
						  .br = i > 0};
		s += len + (nl ? 1 : 0);
	}
	v.lines = ls;
	v.n_lines = n;
	return v;
}

/* ---- the questions page --------------------------------------------------- */

static enum app_qa_reader reader(const struct req *r)
{
	return is_buyer(r) ? APP_QA_BUYER : is_bidder(r) ? APP_QA_BIDDER : APP_QA_OTHER;
}

static enum kv_status qa_load(struct req *r, struct app_qa_view *v,
			      struct kv_error *e)
{
	return app_qa_view(&r->app, &r->proc, reader(r), own_candidate(r), v, e);
}

static json_t *json_qa(struct req *r, const struct app_qa_view *v)
{
	json_t *qs = json_array();
	for (int i = 0; i < v->n_qs; i++)
		json_array_append_new(qs, is_buyer(r)
					      ? json_question_buyer(r, &v->qs[i])
					      : json_question_bidder(r, &v->qs[i]));
	json_t *ns = json_array();
	for (int i = 0; i < v->n_notas; i++)
		json_array_append_new(ns, json_nota_summary(r, &v->notas[i]));
	return json_pack("{s:o, s:b, s:b, s:o, s:o}",
			 "deadline", json_instant(r->a, v->deadline),
			 "deadline_set", v->deadline_set, "open", v->open,
			 "questions", qs, "notas", ns);
}

/* The form of the page a refused action came from, to show its errors
 * there. */
enum qa_form { QA_FORM_NONE, QA_FORM_ASK, QA_FORM_DEADLINE, QA_FORM_ANSWER,
	       QA_FORM_PUBLISH };

struct qa_refusal {
	enum qa_form form;
	int64_t question;             /* QA_FORM_ANSWER: whose answer */
	const struct form_errors *errors;
};

/* The errors for form `which`, or NULL when the refusal was another's. */
static const struct form_errors *errors_of(const struct qa_refusal *rf,
					   enum qa_form which, int64_t question)
{
	if (!rf || rf->form != which || (which == QA_FORM_ANSWER && rf->question != question))
		return NULL;
	return rf->errors;
}

static html_t ask_form(struct req *r, const struct form_errors *fe)
{
	int n = r->proc.n_lots;
	struct field_option *lots = arena_alloc(r->a, (size_t)(n + 1) * sizeof *lots);
	lots[0] = (struct field_option){"", _("General")};
	for (int i = 0; i < n; i++) {
		const struct lot *l = &r->proc.lots[i];
		lots[i + 1] = (struct field_option){
			arena_printf(r->a, "%lld", (long long)l->id),
			arena_printf(r->a, "%s %d: %s", _("Lot"), l->number, l->title)};
	}
	const struct form_field fields[] = {
		{.name = "lot_id", .label = N_("About"), .kind = FIELD_SELECT,
		 .options = lots, .n_options = n + 1, .options_translated = true},
		{.name = "text", .kind = FIELD_TEXTAREA, .rows = 6,
		 .label = N_("Your question (the other candidates will see it in the nota, without your name)")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/questions", (long long)r->proc.id),
		.submit = _("Send question"), .fields = fields, .n_fields = 2, .errors = fe,
		.refused = _("Your question was not sent.")};
	return form_html(r, &f);
}

static html_t deadline_form(struct req *r, const struct app_qa_view *v,
			    const struct form_errors *fe)
{
	const struct form_field fields[] = {
		{.name = "deadline", .label = N_("Questions close at"), .kind = FIELD_DATETIME,
		 .value = v->deadline_set ? fmt_input_time(r, v->deadline) : ""},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/questions/deadline", (long long)r->proc.id),
		.css = "form inline-form", .submit = _("Set question deadline"),
		.fields = fields, .n_fields = 1, .errors = fe};
	return form_html(r, &f);
}

static html_t publish_form(struct req *r, const struct form_errors *fe)
{
	static const struct form_field fields[] = {
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("I understand that the nota goes to every candidate with the answered questions, without the askers' names; its answers can no longer be changed and this cannot be undone.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/notas", (long long)r->proc.id),
		.submit = _("Publish nota van inlichtingen"), .fields = fields, .n_fields = 1,
		.errors = fe};
	return form_html(r, &f);
}

/* The answer form under question q; fe: its refusal, or NULL. */
static struct tv_qa_answer answer_form(struct req *r, const struct question *q,
				       const struct form_errors *fe)
{
	const char *at_field = form_errors_for(fe, "answer");
	const char *other = "";
	for (int i = 0; fe && i < fe->n; i++)
		if (strcmp(fe->items[i].field, "answer") != 0) {
			other = fe->items[i].msg;
			break;
		}
	return (struct tv_qa_answer){
		.csrf = {.token = csrf_token(r)}, .pid = r->proc.id, .qid = q->id,
		.label = q->answer ? _("Answer (a draft until it is published)") : _("Answer"),
		.value = fe ? refill(r, "answer", "") : (q->answer ? q->answer : ""),
		.error = at_field ? at_field : "", .refused = other,
		.submit = q->answer ? _("Change answer") : _("Save answer")};
}

static void qa_page(struct req *r, struct resp *w, const struct qa_refusal *rf)
{
	struct app_qa_view v;
	struct kv_error le;
	if (qa_load(r, &v, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	bool bidder = is_bidder(r), buyer = is_buyer(r);
	/* Whether the refused form is still on the page; if not, its
	 * refusal stands above everything. */
	bool shown = false;
	struct tv_qa_questions t = {
		.pid = r->proc.id, .has_deadline = v.deadline != 0, .open = v.open,
		.deadline_at = fmt_when(r, v.deadline), .deadline_set = v.deadline_set,
		.asked = req_param(r, "asked") != NULL,
		.bidder = bidder, .buyer = buyer, .waiting = v.waiting,
	};
	if (bidder && v.open) {
		t.ask_form = ask_form(r, errors_of(rf, QA_FORM_ASK, 0));
		shown |= rf && rf->form == QA_FORM_ASK;
	}
	if (buyer) {
		t.deadline_form = deadline_form(r, &v, errors_of(rf, QA_FORM_DEADLINE, 0));
		shown |= rf && rf->form == QA_FORM_DEADLINE;
		if (v.waiting) {
			t.publish_form = publish_form(r, errors_of(rf, QA_FORM_PUBLISH, 0));
			shown |= rf && rf->form == QA_FORM_PUBLISH;
		}
	}
	struct tv_qa_questions_mine *mine = arena_alloc(r->a, (size_t)(v.n_qs + 1) * sizeof *mine);
	struct tv_qa_questions_questions *all = arena_alloc(r->a, (size_t)(v.n_qs + 1) * sizeof *all);
	for (int i = 0; i < v.n_qs; i++) {
		const struct question *q = &v.qs[i];
		if (bidder)
			mine[t.n_mine++] = (struct tv_qa_questions_mine){
				.id = q->id, .lot = lot_label(r, q), .asked_at = fmt_when(r, q->asked_at),
				.text = qa_text(r, q->text), .published = q->nota_id != 0,
				.nota = q->nota_number, .answer = qa_text(r, q->answer)};
		if (!buyer)
			continue;
		struct tv_qa_questions_questions *o = &all[t.n_questions++];
		*o = (struct tv_qa_questions_questions){
			.id = q->id, .lot = lot_label(r, q), .asked_at = fmt_when(r, q->asked_at),
			.candidate = q->candidate_name ? q->candidate_name : "",
			.account = q->account_name ? q->account_name : "",
			.text = qa_text(r, q->text), .published = q->nota_id != 0,
			.nota = q->nota_number, .answer = qa_text(r, q->answer)};
		if (!q->nota_id) {
			o->answer_form = answer_form(r, q, errors_of(rf, QA_FORM_ANSWER, q->id));
			shown |= rf && rf->form == QA_FORM_ANSWER && rf->question == q->id;
		}
	}
	t.mine = mine;
	t.questions = all;
	struct tv_qa_questions_notas *ns = arena_alloc(r->a, (size_t)(v.n_notas + 1) * sizeof *ns);
	for (int i = 0; i < v.n_notas; i++)
		ns[i] = (struct tv_qa_questions_notas){
			.number = v.notas[i].number,
			.published_at = fmt_when(r, v.notas[i].published_at),
			.questions = v.notas[i].n_questions};
	t.notas = ns;
	t.n_notas = v.n_notas;
	if (rf && rf->errors && rf->errors->n && !shown) {
		t.refused = rf->errors->items[0].msg;
		t.refused_heading = rf->form == QA_FORM_ASK ? _("Your question was not sent.")
							    : _("Nothing was changed.");
	}
	layout_begin(r, w, _("Questions and answers"));
	procedure_nav(r, w, "questions");
	tmpl_qa_questions(&w->body, &t);
	layout_end(r, w);
}

void page_questions(struct req *r, struct resp *w)
{
	if (r->api) {
		struct app_qa_view v;
		struct kv_error e;
		if (qa_load(r, &v, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_qa(r, &v));
		return;
	}
	qa_page(r, w, NULL);
}

/* After an action: the API's answer, or the page again with the error
 * at the form it came from, or a redirect. */
static void after(struct req *r, struct resp *w, enum kv_status rc,
		  const struct kv_error *e, enum qa_form form, int64_t question,
		  const char *to, enum done_code done)
{
	if (rc != KV_OK) {
		if (r->api) {
			resp_error(r, w, e);
			return;
		}
		struct form_errors fe = {0};
		form_errors_add(&fe, e);
		struct qa_refusal rf = {.form = form, .question = question, .errors = &fe};
		w->status = http_status_of(rc);
		qa_page(r, w, &rf);
		return;
	}
	resp_redirect_done(r, w, to, done);
}

void page_question_ask(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);   /* the router checked there is one */
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
		if (app_question_get(&r->app, r->proc.id, q.id, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_question_bidder(r, &got));
		return;
	}
	after(r, w, rc, &e, QA_FORM_ASK, 0,
	      arena_printf(r->a, "/procedures/%lld/questions?asked=1#q%lld",
			   (long long)r->proc.id, (long long)q.id), DONE_NONE);
}

void page_question_answer(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_question_answer(&r->app, r->proc.id, r->ids[1],
						in_str(r, "answer"), &e);
	if (r->api && rc == KV_OK) {
		struct question got;
		if (app_question_get(&r->app, r->proc.id, r->ids[1], &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_question_buyer(r, &got));
		return;
	}
	if (rc == KV_NOT_FOUND && !r->api) {
		resp_error(r, w, &e);
		return;
	}
	after(r, w, rc, &e, QA_FORM_ANSWER, r->ids[1],
	      arena_printf(r->a, "/procedures/%lld/questions#q%lld",
			   (long long)r->proc.id, (long long)r->ids[1]), DONE_ANSWER_SAVED);
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
		struct app_qa_view v;
		if (qa_load(r, &v, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_qa(r, &v));
		return;
	}
	after(r, w, rc, &e, QA_FORM_DEADLINE, 0,
	      arena_printf(r->a, "/procedures/%lld/questions", (long long)r->proc.id),
	      DONE_DEADLINE_SET);
}

void page_nota_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct nota n = {0};
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = app_nota_publish(&r->app, r->proc.id, &n, &e);
	if (r->api && rc == KV_OK) {
		struct nota got;
		if (app_nota_get(&r->app, r->proc.id, n.number, &got, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_nota(r, &got));
		return;
	}
	after(r, w, rc, &e, QA_FORM_PUBLISH, 0,
	      arena_printf(r->a, "/procedures/%lld/notas/%d", (long long)r->proc.id,
			   n.number), DONE_NOTA_PUBLISHED);
}

/* ---- a published nota ------------------------------------------------------- */

static enum kv_status nota_load(struct req *r, struct nota *n,
				struct kv_error *e)
{
	return app_nota_get(&r->app, r->proc.id, r->n_ids < 2 ? 0 : r->ids[1], n, e);
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
	struct tv_qa_nota_questions *qs =
		arena_alloc(r->a, (size_t)(n.n_questions + 1) * sizeof *qs);
	for (int i = 0; i < n.n_questions; i++)
		qs[i] = (struct tv_qa_nota_questions){
			.number = i + 1, .lot = lot_label(r, &n.questions[i]),
			.text = qa_text(r, n.questions[i].text),
			.answer = qa_text(r, n.questions[i].answer)};
	struct tv_qa_nota t = {
		.pid = r->proc.id, .number = n.number,
		.title = arena_printf(r->a, "%s %d", _("Nota van inlichtingen"), n.number),
		.published_at = fmt_when(r, n.published_at),
		.questions = qs, .n_questions = n.n_questions};
	layout_begin(r, w, t.title);
	procedure_nav(r, w, "questions");
	tmpl_qa_nota(&w->body, &t);
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
