/*
 * qa_actions.c - questions and answers (nota van inlichtingen) as actions;
 * see app.h.
 *
 * A candidate's bidder asks until the question deadline; the buyer
 * answers, and may change an answer until it is published; publishing
 * takes every answered question that waits into a new, numbered nota, all
 * with the same published_at.  Who asked is stored (the buyer sees it,
 * and only buyers read who asked in the audit trail) but never part of
 * a nota: the store reads a nota's questions without the asker's
 * columns.  The trail holds neither a question's text nor a draft.
 */
#include <jansson.h>
#include <string.h>

#include "audit_mark.h"
#include "core/validate.h"
#include "internal.h"

enum kv_status app_question_deadline(struct app *x, const struct procedure *p,
				     kv_instant *deadline, bool *own,
				     struct kv_error *e)
{
	*own = false;
	enum kv_status rc = STORE(x->st, question_deadline_get, p->id,
				  deadline, e);
	if (rc == KV_OK) {
		*own = true;
		return KV_OK;
	}
	if (rc != KV_NOT_FOUND)
		return rc;
	struct kv_error te;
	if (app_tender_deadline(p, deadline, &te) != KV_OK)
		*deadline = 0;
	return KV_OK;
}

static const struct lot *lot_of(const struct procedure *p, int64_t lot_id)
{
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].id == lot_id)
			return &p->lots[i];
	return NULL;
}

static json_t *lot_json(const struct lot *l)
{
	return l ? json_integer(l->number) : json_null();
}

enum kv_status app_question_ask(struct app *x, struct question *q,
				struct kv_error *e)
{
	if (text_check_lines(q->text, APP_QUESTION_MAX, true, "text", e) !=
	    KV_OK)
		return e->status;
	q->asked_at = x->now;
	struct procedure p;
	const struct lot *lot = NULL;
	kv_instant deadline = 0;
	bool own = false;
	enum kv_status rc = app_begin_procedure(x, q->procedure_id, &p, e);
	if (rc == KV_OK && q->lot_id) {
		lot = lot_of(&p, q->lot_id);
		if (!lot)
			rc = kv_fail(e, KV_INVALID, "lot_id",
				     _("This procedure has no such lot."));
	}
	if (rc == KV_OK)
		rc = app_question_deadline(x, &p, &deadline, &own, e);
	if (rc == KV_OK && deadline && q->asked_at > deadline)
		rc = kv_fail(e, KV_DENIED, "",
			     own ? _("Questions closed at %s; this one "
				     "arrived %s.")
				 : _("Questions closed with the tender "
				     "deadline, %s; this one arrived %s."),
			     cal_format_local(x->a, deadline),
			     cal_format_local(x->a, q->asked_at));
	if (rc == KV_OK)
		rc = STORE(x->st, question_create, q, e);
	if (rc == KV_OK) {
		/* The lot, not the text; who asked is the event's actor,
		 * which only buyers read (core/audit_text.h). */
		rc = app_audit_marked(x, p.tenant_id, "question.ask",
				      arena_printf(x->a,
						   "procedure/%lld/question/%lld",
						   (long long)p.id, (long long)q->id),
				      NULL, json_pack("{s:o}", "lot", lot_json(lot)), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_question_answer(struct app *x, int64_t procedure_id,
				   int64_t question_id, const char *answer,
				   struct kv_error *e)
{
	if (text_check_lines(answer, APP_ANSWER_MAX, true, "answer", e) !=
	    KV_OK)
		return e->status;
	struct procedure p;
	struct question q;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, question_get, procedure_id, question_id, x->a,
			   &q, e);
	if (rc == KV_OK && q.nota_id)
		rc = kv_fail(e, KV_DENIED, "answer",
			     _("This question has been published in nota %d; "
			       "its answer cannot change any more."),
			     q.nota_number);
	if (rc == KV_OK)
		rc = STORE(x->st, question_answer, procedure_id, question_id,
			   answer, x->now, x->actor, e);
	if (rc == KV_OK) {
		const char *object = arena_printf(
			x->a, "procedure/%lld/question/%lld",
			(long long)procedure_id, (long long)question_id);
		/* That a draft answer exists, not its text: the answer is
		 * published with its nota (nota.publish), a draft never. */
		json_t *before = json_pack("{s:s}", "state",
					   q.answer && *q.answer ? "draft" : "none");
		json_t *after = json_pack("{s:s}", "state", "draft");
		rc = app_audit_marked(x, p.tenant_id, "question.answer", object,
				      before, after, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_question_deadline_set(struct app *x, int64_t procedure_id,
					 kv_instant deadline,
					 struct kv_error *e)
{
	if (deadline <= x->now)
		return kv_fail(e, KV_INVALID, "deadline",
			       _("The question deadline must lie in the "
				 "future."));
	struct procedure p;
	kv_instant old = 0;
	bool own = false;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = app_question_deadline(x, &p, &old, &own, e);
	if (rc == KV_OK)
		rc = STORE(x->st, question_deadline_set, procedure_id, deadline,
			   x->now, x->actor, e);
	if (rc == KV_OK) {
		json_t *before = own ? json_pack("{s:I}", "deadline",
						 (json_int_t)old)
				     : json_pack("{s:n}", "deadline");
		json_t *after = json_pack("{s:I}", "deadline",
					  (json_int_t)deadline);
		rc = app_audit(x, p.tenant_id, "question.deadline",
			       arena_printf(x->a,
					    "procedure/%lld/question-deadline",
					    (long long)procedure_id),
			       app_json_text(x->a, before),
			       app_json_text(x->a, after), e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_nota_publish(struct app *x, int64_t procedure_id,
				struct nota *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct procedure p;
	int64_t *ids = NULL;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK) {
		out->procedure_id = procedure_id;
		out->published_at = x->now;
		out->published_by = x->actor;
		rc = STORE(x->st, nota_publish, out, x->a, &ids, e);
		if (rc == KV_NOT_FOUND)
			rc = kv_fail(e, KV_DENIED, "",
				     _("No answered question waits to be "
				       "published; answer one first."));
	}
	if (rc == KV_OK) {
		json_t *qs = json_array();
		for (int i = 0; i < out->n_questions; i++)
			json_array_append_new(qs, json_integer(ids[i]));
		json_t *j = json_pack("{s:i, s:I, s:o}", "number", out->number,
				      "published_at",
				      (json_int_t)out->published_at,
				      "questions", qs);
		rc = app_audit(x, p.tenant_id, "nota.publish",
			       arena_printf(x->a, "procedure/%lld/nota/%d",
					    (long long)procedure_id,
					    out->number),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}
