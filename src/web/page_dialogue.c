/*
 * page_dialogue.c - the dialogue rounds of a procedure: per round and per
 * candidate its concept plan, the meeting with its minutes and the
 * buyer's feedback; the buyer's plan deadline of a round; and the
 * documents themselves.  Pages and /api/v1 share the handlers.
 *
 * Who sees what (core/dialogue.h, dlg_view_of): buyers and assessors of
 * the procedure everything; a bidder its own candidate's material only,
 * feedback once published, and 404 for another candidate's document;
 * council members the course of the dialogue (who handed in a plan when,
 * meetings, recorded minutes, published feedback) without its content.
 */
#include <sodium.h>
#include <string.h>

#include "app/read_dialogue.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

/* The round number of the path (ids[1]); 0 when it cannot be one. */
static int round_of(const struct req *r)
{
	return r->n_ids > 1 && r->ids[1] >= 1 && r->ids[1] <= 1000
		       ? (int)r->ids[1] : 0;
}

static const char *view_code(enum dlg_view v)
{
	switch (v) {
	case DLG_VIEW_ALL: return "all";
	case DLG_VIEW_OWN: return "own";
	case DLG_VIEW_COURSE: return "course";
	default: return "none";
	}
}

static char *hex32(arena *a, const unsigned char h[32])
{
	char *out = arena_alloc(a, 65);
	sodium_bin2hex(out, 65, h, 32);
	return out;
}

static const char *doc_href(struct req *r, const struct dialogue_document *d)
{
	return arena_printf(r->a, "/procedures/%lld/dialogue/documents/%lld",
			    (long long)r->proc.id, (long long)d->id);
}

static enum kv_status load_view(struct req *r, struct dialogue_view *v,
				struct kv_error *e)
{
	return app_dialogue_view(&r->app, &r->proc, r->roles, own_candidate(r),
				 v, e);
}

/* ---- JSON -------------------------------------------------------------------- */

static json_t *doc_json(struct req *r, const struct dialogue_document *d,
			bool content)
{
	if (!d)
		return json_null();
	if (!content)
		return json_pack("{s:o}", "uploaded_at",
				 json_instant(r->a, d->uploaded_at));
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:s}", "id",
			 (json_int_t)d->id, "name", d->name, "content_type",
			 d->content_type, "size", (json_int_t)d->size,
			 "sha256", hex32(r->a, d->sha256), "uploaded_at",
			 json_instant(r->a, d->uploaded_at), "href",
			 arena_printf(r->a, "/api/v1%s", doc_href(r, d)));
}

static json_t *entry_json(struct req *r, const struct dialogue_view *v,
			  const struct dialogue_entry *x)
{
	bool content = x->content;
	const struct dialogue_meeting *m = x->meeting;
	const struct dialogue_feedback *f = x->feedback;
	json_t *meeting = json_null(), *minutes = json_null(),
	       *feedback = json_null();
	if (m && content)
		meeting = json_pack("{s:o, s:s}", "at", json_instant(r->a, m->at),
				    "place", m->place);
	else if (m)
		meeting = json_pack("{s:o}", "at", json_instant(r->a, m->at));
	if (m && m->minutes_at) {
		minutes = json_pack("{s:o}", "recorded_at",
				    json_instant(r->a, m->minutes_at));
		if (content) {
			json_object_set_new(minutes, "text", m->minutes
					    ? json_string(m->minutes) : json_null());
			json_object_set_new(minutes, "document",
					    doc_json(r, x->minutes_doc, true));
		}
	}
	if (f) {
		feedback = json_pack("{s:o}", "published_at",
				     json_instant(r->a, f->published_at));
		if (content)
			json_object_set_new(feedback, "text",
					    json_string(f->text));
		if (v->view == DLG_VIEW_ALL)
			json_object_set_new(feedback, "written_at",
					    json_instant(r->a, f->written_at));
	}
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "candidate",
			 (json_int_t)x->candidate->id, "candidate_name",
			 x->candidate->name, "plan",
			 doc_json(r, x->plan, content), "meeting", meeting,
			 "minutes", minutes, "feedback", feedback);
}

static json_t *round_json(struct req *r, const struct dialogue_view *v,
			  const struct dialogue_round_view *rv)
{
	const struct dlg_round *rd = &rv->round;
	json_t *cs = json_array();
	for (int i = 0; i < rv->n_entries; i++)
		json_array_append_new(cs, entry_json(r, v, &rv->entries[i]));
	return json_pack("{s:i, s:o, s:o, s:o, s:b, s:b, s:b, s:o}", "number",
			 rd->number, "start", json_instant(r->a, rd->start),
			 "end", json_instant(r->a, rd->end), "plan_due",
			 json_instant(r->a, rd->plan_due), "own_plan_due",
			 rd->own_due, "completed", rd->completed,
			 "open_for_plans", rv->open_for_plans, "candidates", cs);
}

/* ---- the page ------------------------------------------------------------------ */

static struct tv_dialogue_doc doc_view(struct req *r,
				       const struct dialogue_document *d)
{
	if (!d)
		return (struct tv_dialogue_doc){0};
	return (struct tv_dialogue_doc){
		.href = doc_href(r, d), .name = d->name, .size = d->size,
		.uploaded_at = fmt_when(r, d->uploaded_at),
		.sha256 = hex32(r->a, d->sha256)};
}

/* A refused publication of feedback: to which candidate in which round,
 * its errors at that candidate's form. */
struct publish_refusal {
	int round;
	int64_t candidate;
	const struct form_errors *fe;
};

static html_t publish_form(struct req *r, const char *action, int round, int64_t cand,
			   const struct publish_refusal *rf)
{
	static const struct form_field fields[] = {
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("I understand that the candidate reads the feedback as soon as it is published; it cannot be changed or taken back afterwards.")},
	};
	bool mine = rf && rf->round == round && rf->candidate == cand;
	struct form f = {
		.action = arena_printf(r->a, "%s/feedback/publish", action),
		.id = arena_printf(r->a, "pub-%d-%lld", round, (long long)cand),
		.submit = _("Publish the feedback to this candidate"),
		.fields = fields, .n_fields = 1, .errors = mine ? rf->fe : NULL};
	return form_html(r, &f);
}

static struct tv_dialogue_candidate entry_view(struct req *r,
					       const struct dlg_round *rd,
					       const struct dialogue_entry *x,
					       const struct publish_refusal *rf)
{
	const char *action = arena_printf(r->a,
		"/procedures/%lld/dialogue/rounds/%d/candidates/%lld",
		(long long)r->proc.id, rd->number, (long long)x->candidate->id);
	bool content = x->content;
	const struct dialogue_meeting *m = x->meeting;
	const struct dialogue_feedback *f = x->feedback;
	bool minutes = m && m->minutes_at;
	return (struct tv_dialogue_candidate){
		.name = x->candidate->name,
		.round = rd->number,
		.id = x->candidate->id,
		.plan_shown = x->plan && content,
		.plan = doc_view(r, x->plan),
		.plan_at = x->plan ? fmt_when(r, x->plan->uploaded_at) : "",
		.meeting_shown = m && content,
		.meeting_at = m ? fmt_when(r, m->at) : "",
		.meeting_place = m ? m->place : "",
		.minutes_shown = minutes && content,
		.minutes_text = minutes ? m->minutes : "",
		.minutes_doc_shown = x->minutes_doc != NULL,
		.minutes_doc = doc_view(r, x->minutes_doc),
		.minutes_at = minutes ? fmt_when(r, m->minutes_at) : "",
		.feedback_shown = f && content,
		.feedback_text = f ? f->text : "",
		.feedback_state = f && f->published_at
			? fmt_when(r, f->published_at)
			: _("(draft, not yet published)"),
		.feedback_at = f ? fmt_when(r, f->published_at) : "",
		.buyer = (r->roles & ROLE_BUYER) != 0,
		.csrf = {.token = csrf_token(r)},
		.action = action,
		/* The meeting can be planned or moved until its minutes are
		 * recorded, the minutes recorded once it is planned, the
		 * feedback written until it is published. */
		.meeting_form = !rd->completed && !minutes,
		.meeting_value = m ? fmt_input_time(r, m->at) : "",
		.place_value = m ? m->place : "",
		.minutes_form = m != NULL,
		.minutes_value = m && m->minutes ? m->minutes : "",
		.feedback_form = !(f && f->published_at),
		.feedback_value = f ? f->text : "",
		.publish_form = f && !f->published_at
			? publish_form(r, action, rd->number, x->candidate->id, rf) : (html_t){0},
	};
}

/* The dialogue page; rf: a refused publication, or NULL. */
static void dialogue_page(struct req *r, struct resp *w, const struct publish_refusal *rf)
{
	struct dialogue_view v;
	struct kv_error e = {0};
	if (load_view(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (v.view == DLG_VIEW_NONE) {
		refusal(r, w, 403, KV_DENIED,
			_("Your role on this procedure does not show its "
			  "dialogue."));
		return;
	}
	if (r->api) {
		json_t *rounds = json_array();
		for (int i = 0; i < v.n_rounds; i++)
			json_array_append_new(rounds,
					      round_json(r, &v, &v.rounds[i]));
		resp_json(r, w, 200, json_pack("{s:s, s:o}", "view",
					       view_code(v.view), "rounds",
					       rounds));
		return;
	}
	bool buyer = (r->roles & ROLE_BUYER) != 0;
	struct tv_dialogue_page_rounds *rounds =
		arena_alloc(r->a, sizeof *rounds * (size_t)(v.n_rounds + 1));
	for (int i = 0; i < v.n_rounds; i++) {
		const struct dialogue_round_view *rv = &v.rounds[i];
		const struct dlg_round *rd = &rv->round;
		struct tv_dialogue_page_rounds_candidates *cs =
			arena_alloc(r->a, sizeof *cs * (size_t)(rv->n_entries + 1));
		for (int k = 0; k < rv->n_entries; k++)
			cs[k].entry = entry_view(r, rd, &rv->entries[k], rf);
		rounds[i] = (struct tv_dialogue_page_rounds){
			.number = rd->number,
			.start = rd->start ? fmt_when(r, rd->start) : _("(not planned)"),
			.end = rd->end ? fmt_when(r, rd->end) : "",
			.plan_due = rd->plan_due ? fmt_when(r, rd->plan_due)
						 : _("(not planned)"),
			.completed = rd->completed,
			.deadline_form = buyer && rv->open_for_plans,
			.deadline_value = fmt_input_time(r, rd->plan_due),
			.plan_form = v.view == DLG_VIEW_OWN && v.n_candidates &&
				     rv->open_for_plans,
			.plan_label = arena_printf(r->a, _("Concept plan of approach (PDF or office document, at most %d KiB; a new file replaces the earlier one until the deadline)"),
						   (int)(APP_DIALOGUE_DOC_MAX / 1024)),
			.candidates = cs,
			.n_candidates = rv->n_entries,
		};
	}
	struct tv_dialogue_page t = {
		.intro = v.view == DLG_VIEW_COURSE
			? _("The dialogue is confidential between each candidate and the buyer: you see its course, not its content.")
			: v.view == DLG_VIEW_OWN
			? _("What you see here is confidential between your organisation and the buyer; other candidates do not see it.")
			: _("Each candidate sees only its own material, and its feedback once published."),
		.no_rounds = v.n_rounds == 0,
		.not_taking_part = v.view == DLG_VIEW_OWN && !v.n_candidates,
		.csrf = {.token = csrf_token(r)},
		.rounds = rounds,
		.n_rounds = v.n_rounds,
		.procedure_id = r->proc.id,
	};
	layout_begin(r, w, _("Dialogue"));
	procedure_nav(r, w, "dialogue");
	tmpl_dialogue_page(&w->body, &t);
	layout_end(r, w);
}

void page_dialogue(struct req *r, struct resp *w)
{
	dialogue_page(r, w, NULL);
}

/* ---- changes ------------------------------------------------------------------- */

static void done_redirect(struct req *r, struct resp *w)
{
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/dialogue",
					 (long long)r->proc.id));
}

/* The round's entry as the API answers after a change. */
static void answer_round(struct req *r, struct resp *w, int status, int round)
{
	struct dialogue_view v;
	struct kv_error e = {0};
	if (load_view(r, &v, &e) != KV_OK || round < 1 || round > v.n_rounds) {
		resp_error(r, w, &e);
		return;
	}
	resp_json(r, w, status, round_json(r, &v, &v.rounds[round - 1]));
}

static void finish(struct req *r, struct resp *w, enum kv_status rc,
		   const struct kv_error *e, int status)
{
	if (rc != KV_OK)
		resp_error(r, w, e);
	else if (r->api)
		answer_round(r, w, status, round_of(r));
	else
		done_redirect(r, w);
}

/* The Dutch local time in field `key`, which must be given (`missing`:
 * the sentence when it is blank). */
static enum kv_status required_time(struct req *r, const char *key, const char *missing,
				    kv_instant *t, struct kv_error *e)
{
	const char *s = in_str(r, key);
	if (in_blank(s))
		return kv_fail(e, KV_INVALID, key, "%s", missing);
	return cal_parse_local(s, t, key, e) == 0 ? KV_OK : KV_INVALID;
}

void page_dialogue_due(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	kv_instant due = 0;
	enum kv_status rc = required_time(r, "plan_due",
		_("Give the plan deadline, e.g. 2022-05-01 12:00."), &due, &e);
	if (rc == KV_OK)
		rc = app_dialogue_due_set(&r->app, r->proc.id, round_of(r), due,
					  &e);
	finish(r, w, rc, &e, 200);
}

/* A document from the request as the actions take it; *d NULL when none
 * was sent. */
static enum kv_status read_doc(struct req *r, struct dialogue_document **d,
			       struct kv_error *e)
{
	bool present = false;
	const char *name = NULL;
	const unsigned char *data = NULL;
	int64_t size = 0;
	*d = NULL;
	enum kv_status rc = in_file(r, "file", &present, &name, &data, &size,
				    e);
	if (rc != KV_OK || !present)
		return rc;
	*d = arena_alloc(r->a, sizeof **d);
	(*d)->name = (char *)name;
	(*d)->content = data;
	(*d)->size = size;
	return KV_OK;
}

void page_dialogue_plan(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);   /* the router checked there is one */
	struct kv_error e = {0};
	struct dialogue_document *d = NULL;
	enum kv_status rc = read_doc(r, &d, &e);
	if (rc == KV_OK && !d)
		rc = kv_fail(&e, KV_INVALID, r->api ? "content" : "file",
			     _("Choose the file of your concept plan."));
	if (rc == KV_OK)
		rc = app_dialogue_plan(&r->app, r->proc.id, round_of(r), cand,
				       d, &e);
	finish(r, w, rc, &e, 201);
}

void page_dialogue_meeting(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	kv_instant at = 0;
	enum kv_status rc = required_time(r, "at",
		_("Give the meeting's date and time, e.g. 2022-05-01 10:00."), &at, &e);
	if (rc == KV_OK)
		rc = app_dialogue_meeting(&r->app, r->proc.id, round_of(r),
					  r->ids[2], at, in_str(r, "place"),
					  &e);
	finish(r, w, rc, &e, 200);
}

void page_dialogue_minutes(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct dialogue_document *d = NULL;
	const char *text = in_str(r, "minutes");
	if (in_blank(text))
		text = NULL;   /* an empty textarea: no written minutes sent */
	enum kv_status rc = read_doc(r, &d, &e);
	if (rc == KV_OK)
		rc = app_dialogue_minutes(&r->app, r->proc.id, round_of(r),
					  r->ids[2], text, d, &e);
	finish(r, w, rc, &e, 200);
}

void page_dialogue_feedback(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_dialogue_feedback(&r->app, r->proc.id,
						  round_of(r), r->ids[2],
						  in_str(r, "text"), &e);
	finish(r, w, rc, &e, 200);
}

void page_dialogue_feedback_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc != KV_OK) {
		/* the page again, the error at that candidate's box */
		struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
		fe->n = 0;
		form_errors_add(fe, &e);
		struct publish_refusal rf = {round_of(r), r->ids[2], fe};
		w->status = http_status_of(rc);
		dialogue_page(r, w, &rf);
		return;
	}
	rc = app_dialogue_feedback_publish(&r->app, r->proc.id, round_of(r), r->ids[2], &e);
	if (rc == KV_OK && !r->api) {
		resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/dialogue",
						      (long long)r->proc.id), DONE_FEEDBACK_PUBLISHED);
		return;
	}
	finish(r, w, rc, &e, 200);
}

/* ---- a document ------------------------------------------------------------------ */

void page_dialogue_document(struct req *r, struct resp *w)
{
	enum dlg_view v = dlg_view_of(r->roles);
	if (v == DLG_VIEW_COURSE || v == DLG_VIEW_NONE) {
		refusal(r, w, 403, KV_DENIED,
			_("Dialogue material is confidential between the candidate and the buyer; council members see the course of the dialogue, not its content."));
		return;
	}
	struct dialogue_document d;
	struct kv_error e = {0};
	if (app_dialogue_document_read(&r->app, r->proc.id, r->ids[1], r->roles,
				       own_candidate(r), &d, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = d.content_type;
	resp_header(w, "Content-Disposition", resp_disposition(r->a, d.name, false));
	sbuf_add(&w->body, (const char *)d.content, (size_t)d.size);
}
