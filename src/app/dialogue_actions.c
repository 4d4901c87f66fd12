/*
 * dialogue_actions.c - dialogue rounds as actions: the buyer's plan
 * deadline of a round, a candidate's concept plan, the meeting, its
 * minutes and the buyer's feedback; see app.h and core/dialogue.h.
 *
 * The audit trail names what changed without its confidential content:
 * documents and texts by their SHA-256 and size, so the record proves
 * what was handed in or written while council members, who read the
 * trail, do not read the dialogue itself.
 */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "audit_mark.h"
#include "core/validate.h"
#include "internal.h"

static char *text_digest(arena *a, const char *text)
{
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	return app_hex(a, h, 32);
}

static const char *object_of(struct app *x, int64_t procedure_id, int round,
			     int64_t candidate_id)
{
	if (!candidate_id)
		return arena_printf(x->a, "procedure/%lld/dialogue/%d",
				    (long long)procedure_id, round);
	return arena_printf(x->a, "procedure/%lld/dialogue/%d/candidate/%lld",
			    (long long)procedure_id, round,
			    (long long)candidate_id);
}

enum kv_status app_dialogue_round(struct app *x, const struct procedure *p,
				  int number, struct dlg_round *out,
				  struct kv_error *e)
{
	struct dialogue_due *ds = NULL;
	int n = 0;
	enum kv_status rc = STORE(x->st, dialogue_due_list, p->id, x->a, &ds,
				  &n, e);
	kv_instant own = 0;
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (ds[i].round == number)
			own = ds[i].plan_due;
	if (rc == KV_OK)
		rc = dlg_round_get(p, number, own, out, e);
	return rc;
}

enum kv_status app_dialogue_participants(struct app *x,
					 const struct procedure *p,
					 struct candidate **out, int *n,
					 struct kv_error *e)
{
	/* Those the last published selection round admitted (every
	 * candidate before any): the members of the round that comes next. */
	*out = NULL;
	*n = 0;
	int current = 1;
	enum kv_status rc = app_selection_current(x, p->id, &current, e);
	if (rc == KV_OK)
		rc = app_selection_members(x, p->id, current, out, n, e);
	return rc;
}

/* Inside a write transaction: the procedure, round `number` and, when
 * candidate_id is set, that candidate as a participant of the dialogue. */
static enum kv_status load(struct app *x, int64_t procedure_id, int number,
			   int64_t candidate_id, struct procedure *p,
			   struct dlg_round *rd, struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, p,
				  e);
	if (rc == KV_OK)
		rc = app_dialogue_round(x, p, number, rd, e);
	if (rc != KV_OK || !candidate_id)
		return rc;
	struct candidate *cs = NULL;
	int nc = 0;
	rc = app_dialogue_participants(x, p, &cs, &nc, e);
	bool in = false;
	for (int i = 0; rc == KV_OK && i < nc; i++)
		in = in || cs[i].id == candidate_id;
	if (rc == KV_OK && !in)
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("This candidate does not take part in the "
			       "dialogue of this procedure: it is not one of "
			       "its candidates, or the selection did not "
			       "admit it."));
	return rc;
}

enum kv_status app_dialogue_due_set(struct app *x, int64_t procedure_id,
				    int number, kv_instant due,
				    struct kv_error *e)
{
	struct procedure p;
	struct dlg_round rd;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, 0, &p, &rd, e);
	if (rc == KV_OK)
		rc = dlg_due_check(&rd, due, x->now, x->a, e);
	if (rc == KV_OK) {
		struct dialogue_due d = {.procedure_id = procedure_id,
					 .round = number, .plan_due = due,
					 .set_at = x->now, .set_by = x->actor};
		rc = STORE(x->st, dialogue_due_set, &d, e);
	}
	if (rc == KV_OK) {
		json_t *before = json_pack("{s:I, s:b}", "plan_due",
					   (json_int_t)rd.plan_due, "own",
					   rd.own_due);
		json_t *after = json_pack("{s:I}", "plan_due",
					  (json_int_t)due);
		rc = app_audit(x, p.tenant_id, "dialogue.deadline",
			       object_of(x, procedure_id, number, 0),
			       app_json_text(x->a, before),
			       app_json_text(x->a, after), e);
	}
	return app_finish(x, rc, e);
}

/* The document of (candidate, round, kind) as it is, or NULL. */
static const struct dialogue_document *
doc_of(struct app *x, int64_t procedure_id, int64_t candidate_id, int round,
       enum dialogue_doc_kind kind, enum kv_status *rc, struct kv_error *e)
{
	struct dialogue_document *ds = NULL;
	int n = 0;
	*rc = STORE(x->st, dialogue_document_list, procedure_id, candidate_id,
		    x->a, &ds, &n, e);
	for (int i = 0; *rc == KV_OK && i < n; i++)
		if (ds[i].round == round && ds[i].kind == kind)
			return &ds[i];
	return NULL;
}

static json_t *doc_json(arena *a, const struct dialogue_document *d)
{
	if (!d)
		return json_null();
	/* The name as a digest, for buyers only (core/audit_text.h): the
	 * council reads the audit trail, not the dialogue's content. */
	return json_pack("{s:s, s:s, s:I, s:s}", "name_sha256",
			 text_digest(a, d->name), "content_type",
			 d->content_type, "size", (json_int_t)d->size, "sha256",
			 app_hex(a, d->sha256, 32));
}

/* Checks d (name, content, size) and fills its other fields. */
static enum kv_status doc_prepare(struct app *x, int64_t procedure_id,
				  int round, int64_t candidate_id,
				  enum dialogue_doc_kind kind,
				  struct dialogue_document *d,
				  struct kv_error *e)
{
	const char *type = NULL;
	enum kv_status rc = dlg_document_check(d->name, d->content, d->size,
					       APP_DIALOGUE_DOC_MAX, &type, e);
	if (rc != KV_OK)
		return rc;
	d->content_type = type;
	crypto_hash_sha256(d->sha256, d->content, (unsigned long long)d->size);
	d->procedure_id = procedure_id;
	d->candidate_id = candidate_id;
	d->round = round;
	d->kind = kind;
	d->uploaded_at = x->now;
	d->uploaded_by = x->actor;
	return KV_OK;
}

enum kv_status app_dialogue_plan(struct app *x, int64_t procedure_id,
				 int number, int64_t candidate_id,
				 struct dialogue_document *d,
				 struct kv_error *e)
{
	enum kv_status rc = doc_prepare(x, procedure_id, number, candidate_id,
					DLG_DOC_PLAN, d, e);
	if (rc != KV_OK)
		return rc;
	struct procedure p;
	struct dlg_round rd;
	const struct dialogue_document *old = NULL;
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, candidate_id, &p, &rd, e);
	if (rc == KV_OK)
		rc = dlg_plan_check(&rd, x->now, x->a, e);
	if (rc == KV_OK)
		old = doc_of(x, procedure_id, candidate_id, number,
			     DLG_DOC_PLAN, &rc, e);
	json_t *before = rc == KV_OK && old ? doc_json(x->a, old) : NULL;
	if (rc == KV_OK)
		rc = STORE(x->st, dialogue_document_put, d, e);
	if (rc == KV_OK)
		rc = app_audit_marked(x, p.tenant_id, "dialogue.plan",
				      object_of(x, procedure_id, number, candidate_id),
				      before ? json_incref(before) : NULL,
				      doc_json(x->a, d), e);
	json_decref(before);
	return app_finish(x, rc, e);
}

/* The meeting of (candidate, round), or NULL. */
static struct dialogue_meeting *meeting_of(struct app *x, int64_t procedure_id,
					   int64_t candidate_id, int round,
					   enum kv_status *rc,
					   struct kv_error *e)
{
	struct dialogue_meeting *ms = NULL;
	int n = 0;
	*rc = STORE(x->st, dialogue_meeting_list, procedure_id, candidate_id,
		    x->a, &ms, &n, e);
	for (int i = 0; *rc == KV_OK && i < n; i++)
		if (ms[i].round == round)
			return &ms[i];
	return NULL;
}

enum kv_status app_dialogue_meeting(struct app *x, int64_t procedure_id,
				    int number, int64_t candidate_id,
				    kv_instant at, const char *place,
				    struct kv_error *e)
{
	struct procedure p;
	struct dlg_round rd;
	struct dialogue_meeting *old = NULL, m;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, candidate_id, &p, &rd, e);
	if (rc == KV_OK)
		rc = dlg_meeting_check(&rd, at, place, x->a, e);
	if (rc == KV_OK)
		old = meeting_of(x, procedure_id, candidate_id, number, &rc, e);
	if (rc == KV_OK && old && old->minutes_at)
		rc = kv_fail(e, KV_DENIED, "at",
			     _("The minutes of this meeting have been "
			       "recorded; it cannot move any more."));
	if (rc == KV_OK) {
		m = (struct dialogue_meeting){
			.procedure_id = procedure_id,
			.candidate_id = candidate_id, .round = number,
			.at = at, .place = (char *)place,
			.planned_at = x->now, .planned_by = x->actor};
		rc = STORE(x->st, dialogue_meeting_put, &m, e);
	}
	if (rc == KV_OK) {
		/* The council reads the audit trail but not the dialogue's
		 * content: the place goes in as its digest, and only buyers
		 * read that (core/audit_text.h). */
		json_t *before = old ? json_pack("{s:I, s:s}", "at",
						 (json_int_t)old->at,
						 "place_sha256",
						 text_digest(x->a, old->place))
				     : NULL;
		json_t *after = json_pack("{s:I, s:s}", "at", (json_int_t)at,
					  "place_sha256",
					  text_digest(x->a, place));
		rc = app_audit_marked(x, p.tenant_id, "dialogue.meeting",
				      object_of(x, procedure_id, number, candidate_id),
				      before, after, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_dialogue_minutes(struct app *x, int64_t procedure_id,
				    int number, int64_t candidate_id,
				    const char *text,
				    struct dialogue_document *d,
				    struct kv_error *e)
{
	if (!text && !d)
		return kv_fail(e, KV_INVALID, "minutes",
			       _("Write the minutes or upload them as a "
				 "document."));
	if (text && text_check_lines(text, DLG_MINUTES_MAX, true, "minutes",
				     e) != KV_OK)
		return e->status;
	enum kv_status rc = KV_OK;
	if (d)
		rc = doc_prepare(x, procedure_id, number, candidate_id,
				 DLG_DOC_MINUTES, d, e);
	if (rc != KV_OK)
		return rc;
	struct procedure p;
	struct dlg_round rd;
	struct dialogue_meeting *m = NULL;
	const struct dialogue_document *old = NULL;
	rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, candidate_id, &p, &rd, e);
	if (rc == KV_OK)
		m = meeting_of(x, procedure_id, candidate_id, number, &rc, e);
	if (rc == KV_OK)
		rc = dlg_minutes_check(m ? m->at : 0, x->now, x->a, e);
	if (rc == KV_OK && d)
		old = doc_of(x, procedure_id, candidate_id, number,
			     DLG_DOC_MINUTES, &rc, e);
	json_t *before = json_object(), *after = json_object();
	if (rc == KV_OK && text) {
		if (m->minutes)
			json_object_set_new(before, "text_sha256", json_string(
				text_digest(x->a, m->minutes)));
		json_object_set_new(after, "text_sha256",
				    json_string(text_digest(x->a, text)));
		json_object_set_new(after, "text_bytes",
				    json_integer((json_int_t)strlen(text)));
		m->minutes = (char *)text;
	}
	if (rc == KV_OK) {
		m->minutes_at = x->now;
		m->minutes_by = x->actor;
		rc = STORE(x->st, dialogue_meeting_put, m, e);
	}
	if (rc == KV_OK && d) {
		if (old)
			json_object_set_new(before, "document",
					    doc_json(x->a, old));
		rc = STORE(x->st, dialogue_document_put, d, e);
		json_object_set_new(after, "document", doc_json(x->a, d));
	}
	if (rc == KV_OK)
		rc = app_audit_marked(x, p.tenant_id, "dialogue.minutes",
				      object_of(x, procedure_id, number, candidate_id),
				      json_object_size(before) ? json_incref(before) : NULL,
				      json_incref(after), e);
	json_decref(before);
	json_decref(after);
	return app_finish(x, rc, e);
}

/* The feedback text of round `number` to the candidate, NULL when none
 * has been written. */
static enum kv_status feedback_text(struct app *x, int64_t procedure_id, int number,
				    int64_t candidate_id, const char **text,
				    struct kv_error *e)
{
	struct dialogue_feedback *fs = NULL;
	int nf = 0;
	*text = NULL;
	enum kv_status rc = STORE(x->st, dialogue_feedback_list, procedure_id,
				  candidate_id, x->a, &fs, &nf, e);
	for (int i = 0; rc == KV_OK && i < nf; i++)
		if (fs[i].round == number)
			*text = fs[i].text;
	return rc;
}

enum kv_status app_dialogue_feedback(struct app *x, int64_t procedure_id,
				     int number, int64_t candidate_id,
				     const char *text, struct kv_error *e)
{
	if (text_check_lines(text, DLG_FEEDBACK_MAX, true, "text", e) != KV_OK)
		return e->status;
	struct procedure p;
	struct dlg_round rd;
	const char *old = NULL;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, candidate_id, &p, &rd, e);
	if (rc == KV_OK)
		rc = feedback_text(x, procedure_id, number, candidate_id, &old, e);
	if (rc == KV_OK) {
		struct dialogue_feedback f = {
			.procedure_id = procedure_id,
			.candidate_id = candidate_id, .round = number,
			.text = (char *)text, .written_at = x->now,
			.written_by = x->actor};
		rc = STORE(x->st, dialogue_feedback_put, &f, e);
	}
	if (rc == KV_OK) {
		json_t *before = old ? json_pack("{s:s}", "text_sha256",
						 text_digest(x->a, old))
				     : NULL;
		json_t *after = json_pack("{s:s, s:I, s:b}", "text_sha256",
					  text_digest(x->a, text), "text_bytes",
					  (json_int_t)strlen(text),
					  "published", 0);
		rc = app_audit_marked(x, p.tenant_id, "dialogue.feedback",
				      object_of(x, procedure_id, number, candidate_id),
				      before, after, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_dialogue_feedback_publish(struct app *x,
					     int64_t procedure_id, int number,
					     int64_t candidate_id,
					     struct kv_error *e)
{
	struct procedure p;
	struct dlg_round rd;
	const char *text = NULL;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load(x, procedure_id, number, candidate_id, &p, &rd, e);
	if (rc == KV_OK)
		rc = dlg_feedback_publish_check(&rd, x->now, x->a, e);
	if (rc == KV_OK)
		rc = STORE(x->st, dialogue_feedback_publish, procedure_id,
			   candidate_id, number, x->now, x->actor, e);
	if (rc == KV_OK)
		rc = feedback_text(x, procedure_id, number, candidate_id, &text, e);
	if (rc == KV_OK) {
		json_t *after = json_pack("{s:s, s:I}", "text_sha256",
					  text_digest(x->a, text ? text : ""),
					  "published_at", (json_int_t)x->now);
		rc = app_audit_marked(x, p.tenant_id, "dialogue.feedback.publish",
				      object_of(x, procedure_id, number, candidate_id),
				      NULL, after, e);
	}
	return app_finish(x, rc, e);
}
