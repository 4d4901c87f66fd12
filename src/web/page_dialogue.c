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

#include "html.h"
#include "input.h"
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

/* ---- what the page shows --------------------------------------------------- */

struct dview {
	enum dlg_view view;
	int64_t own;
	struct dlg_round *rounds;
	int n_rounds;
	struct candidate *cands;      /* the participants this viewer sees:
					 every one admitted in selection
					 round 1 */
	int n_cands;
	struct dialogue_document *docs;
	int n_docs;
	struct dialogue_meeting *meetings;
	int n_meetings;
	struct dialogue_feedback *feedback;
	int n_feedback;
};

static enum kv_status dview_load(struct req *r, struct dview *v,
				 struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	v->view = dlg_view_of(r->roles);
	v->own = v->view == DLG_VIEW_OWN ? own_candidate(r) : 0;
	int64_t only = v->view == DLG_VIEW_OWN ? (v->own ? v->own : -1) : 0;
	v->n_rounds = dlg_round_count(&r->proc);
	v->rounds = arena_alloc(r->a, sizeof *v->rounds *
				(size_t)(v->n_rounds + 1));
	enum kv_status rc = KV_OK;
	for (int i = 0; rc == KV_OK && i < v->n_rounds; i++)
		rc = app_dialogue_round(&r->app, &r->proc, i + 1,
					&v->rounds[i], e);
	/* Those admitted in selection round 1 (every candidate before it is
	 * published): after a later round the dialogue goes on with fewer,
	 * but what the others did stays visible (history);
	 * app_dialogue_participants decides who may act. */
	struct candidate *cs = NULL;
	int nc = 0, current = 1;
	if (rc == KV_OK)
		rc = app_selection_current(&r->app, r->proc.id, &current, e);
	if (rc == KV_OK)
		rc = app_selection_members(&r->app, r->proc.id,
					   current > 1 ? 2 : 1, &cs, &nc, e);
	v->cands = arena_alloc(r->a, sizeof *v->cands * (size_t)(nc + 1));
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (!only || cs[i].id == only)
			v->cands[v->n_cands++] = cs[i];
	if (rc == KV_OK)
		rc = STORE(r->st, dialogue_document_list, r->proc.id, only,
			   r->a, &v->docs, &v->n_docs, e);
	if (rc == KV_OK)
		rc = STORE(r->st, dialogue_meeting_list, r->proc.id, only,
			   r->a, &v->meetings, &v->n_meetings, e);
	if (rc == KV_OK)
		rc = STORE(r->st, dialogue_feedback_list, r->proc.id, only,
			   r->a, &v->feedback, &v->n_feedback, e);
	return rc;
}

static const struct dialogue_document *
dv_doc(const struct dview *v, int64_t cand, int round,
       enum dialogue_doc_kind kind)
{
	for (int i = 0; i < v->n_docs; i++)
		if (v->docs[i].candidate_id == cand &&
		    v->docs[i].round == round && v->docs[i].kind == kind)
			return &v->docs[i];
	return NULL;
}

static const struct dialogue_meeting *dv_meeting(const struct dview *v,
						 int64_t cand, int round)
{
	for (int i = 0; i < v->n_meetings; i++)
		if (v->meetings[i].candidate_id == cand &&
		    v->meetings[i].round == round)
			return &v->meetings[i];
	return NULL;
}

/* The feedback this viewer may see: drafts only for buyers and
 * assessors. */
static const struct dialogue_feedback *dv_feedback(const struct dview *v,
						   int64_t cand, int round)
{
	for (int i = 0; i < v->n_feedback; i++) {
		const struct dialogue_feedback *f = &v->feedback[i];
		if (f->candidate_id == cand && f->round == round &&
		    (v->view == DLG_VIEW_ALL || f->published_at))
			return f;
	}
	return NULL;
}

static const char *doc_href(struct req *r, const struct dialogue_document *d)
{
	return arena_printf(r->a, "/procedures/%lld/dialogue/documents/%lld",
			    (long long)r->proc.id, (long long)d->id);
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

static json_t *candidate_json(struct req *r, const struct dview *v,
			      const struct candidate *c, int round)
{
	bool content = dlg_may_read(v->view, v->own, c->id);
	const struct dialogue_meeting *m = dv_meeting(v, c->id, round);
	const struct dialogue_document *md = dv_doc(v, c->id, round,
						    DLG_DOC_MINUTES);
	const struct dialogue_feedback *f = dv_feedback(v, c->id, round);
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
					    doc_json(r, md, true));
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
			 (json_int_t)c->id, "candidate_name", c->name, "plan",
			 doc_json(r, dv_doc(v, c->id, round, DLG_DOC_PLAN),
				  content),
			 "meeting", meeting, "minutes", minutes, "feedback",
			 feedback);
}

static json_t *round_json(struct req *r, const struct dview *v,
			  const struct dlg_round *rd)
{
	json_t *cs = json_array();
	for (int i = 0; i < v->n_cands; i++)
		json_array_append_new(cs, candidate_json(r, v, &v->cands[i],
							 rd->number));
	return json_pack("{s:i, s:o, s:o, s:o, s:b, s:b, s:b, s:o}", "number",
			 rd->number, "start", json_instant(r->a, rd->start),
			 "end", json_instant(r->a, rd->end), "plan_due",
			 json_instant(r->a, rd->plan_due), "own_plan_due",
			 rd->own_due, "completed", rd->completed,
			 "open_for_plans",
			 rd->start && rd->end && !rd->completed &&
				 r->app.now <= rd->plan_due,
			 "candidates", cs);
}

/* ---- the page ------------------------------------------------------------------ */

static void html_doc(struct req *r, sbuf *b, const struct dialogue_document *d)
{
	html_f(b, "<a href=\"%s\">%s</a> (%lld %s, %s; SHA-256 <code>%s</code>)",
	       doc_href(r, d), d->name, (long long)d->size, _("bytes"),
	       fmt_when(r, d->uploaded_at), hex32(r->a, d->sha256));
}

static void html_candidate(struct req *r, sbuf *b, const struct dview *v,
			   const struct dlg_round *rd,
			   const struct candidate *c)
{
	bool content = dlg_may_read(v->view, v->own, c->id);
	bool buyer = (r->roles & ROLE_BUYER) != 0;
	long long pid = (long long)r->proc.id, cid = (long long)c->id;
	const struct dialogue_document *plan = dv_doc(v, c->id, rd->number,
						      DLG_DOC_PLAN);
	const struct dialogue_document *md = dv_doc(v, c->id, rd->number,
						    DLG_DOC_MINUTES);
	const struct dialogue_meeting *m = dv_meeting(v, c->id, rd->number);
	const struct dialogue_feedback *f = dv_feedback(v, c->id, rd->number);
	html_f(b, "<section class=\"dialogue-candidate\"><h4>%s</h4><dl>",
	       c->name);
	html_f(b, "<dt>%s</dt><dd>", _("Concept plan of approach"));
	if (plan && content)
		html_doc(r, b, plan);
	else if (plan)
		html_f(b, "%s %s", _("handed in at"),
		       fmt_when(r, plan->uploaded_at));
	else
		html_f(b, "%s", _("none handed in"));
	html_f(b, "</dd><dt>%s</dt><dd>", _("Meeting"));
	if (m && content)
		html_f(b, "%s, %s", fmt_when(r, m->at), m->place);
	else if (m)
		html_f(b, "%s", fmt_when(r, m->at));
	else
		html_f(b, "%s", _("not planned"));
	html_f(b, "</dd><dt>%s</dt><dd>", _("Minutes"));
	if (m && m->minutes_at && content) {
		if (m->minutes)
			html_f(b, "<div class=\"minutes\">%s</div>", m->minutes);
		if (md)
			html_doc(r, b, md);
	} else if (m && m->minutes_at) {
		html_f(b, "%s %s", _("recorded at"), fmt_when(r, m->minutes_at));
	} else {
		html_f(b, "%s", _("none recorded"));
	}
	html_f(b, "</dd><dt>%s</dt><dd>", _("Feedback"));
	if (f && content)
		html_f(b, "<div class=\"feedback\">%s</div><p>%s</p>", f->text,
		       f->published_at ? fmt_when(r, f->published_at)
				       : _("(draft, not yet published)"));
	else if (f)
		html_f(b, "%s %s", _("published at"),
		       fmt_when(r, f->published_at));
	else
		html_f(b, "%s", _("none published"));
	html_f(b, "</dd></dl>");
	if (!buyer) {
		html_f(b, "</section>");
		return;
	}
	const char *base = arena_printf(r->a,
		"/procedures/%lld/dialogue/rounds/%d/candidates/%lld", pid,
		rd->number, cid);
	if (!rd->completed && !(m && m->minutes_at))
		html_f(b, "<form method=\"post\" action=\"%s/meeting\" class=\"form\">%R"
			  "<label for=\"at-%d-%lld\">%s</label><input id=\"at-%d-%lld\" name=\"at\" type=\"datetime-local\" value=\"%s\">"
			  "<label for=\"place-%d-%lld\">%s</label><input id=\"place-%d-%lld\" name=\"place\" value=\"%s\">"
			  "<button type=\"submit\">%s</button></form>",
		       base, csrf_input(r), rd->number, cid, _("Meeting (date and time)"),
		       rd->number, cid, m ? fmt_input_time(r, m->at) : "",
		       rd->number, cid, _("Place or video link"), rd->number,
		       cid, m ? m->place : "", _("Plan the meeting"));
	if (m)
		html_f(b, "<form method=\"post\" action=\"%s/minutes\" enctype=\"multipart/form-data\" class=\"form\">%R"
			  "<label for=\"minutes-%d-%lld\">%s</label><textarea id=\"minutes-%d-%lld\" name=\"minutes\">%s</textarea>"
			  "<label for=\"mfile-%d-%lld\">%s</label><input id=\"mfile-%d-%lld\" name=\"file\" type=\"file\" accept=\".pdf,.docx,.odt\">"
			  "<button type=\"submit\">%s</button></form>",
		       base, csrf_input(r), rd->number, cid, _("Minutes"),
		       rd->number, cid, m->minutes ? m->minutes : "", rd->number,
		       cid, _("Minutes as a document (PDF or office document, optional)"),
		       rd->number, cid, _("Record the minutes"));
	if (!(f && f->published_at)) {
		html_f(b, "<form method=\"post\" action=\"%s/feedback\" class=\"form\">%R"
			  "<label for=\"fb-%d-%lld\">%s</label><textarea id=\"fb-%d-%lld\" name=\"text\">%s</textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       base, csrf_input(r), rd->number, cid,
		       _("Feedback to this candidate (a draft until published)"),
		       rd->number, cid, f ? f->text : "", _("Save the feedback"));
		if (f)
			html_f(b, "<form method=\"post\" action=\"%s/feedback/publish\" class=\"form\">%R"
				  "<button type=\"submit\">%s</button></form>",
			       base, csrf_input(r),
			       _("Publish the feedback to this candidate"));
	}
	html_f(b, "</section>");
}

void page_dialogue(struct req *r, struct resp *w)
{
	struct dview v;
	struct kv_error e = {0};
	if (dview_load(r, &v, &e) != KV_OK) {
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
	sbuf *b = &w->body;
	long long pid = (long long)r->proc.id;
	layout_begin(r, w, _("Dialogue"));
	procedure_nav(r, w, "dialogue");
	html_f(b, "<h2>%s</h2><p>%s</p>", _("Dialogue"),
	       v.view == DLG_VIEW_COURSE
		       ? _("The dialogue is confidential between each candidate and the buyer: you see its course, not its content.")
	       : v.view == DLG_VIEW_OWN
		       ? _("What you see here is confidential between your organisation and the buyer; other candidates do not see it.")
		       : _("Each candidate sees only its own material, and its feedback once published."));
	if (!v.n_rounds)
		html_f(b, "<p>%s</p>", _("This type of procedure has no dialogue rounds."));
	if (v.view == DLG_VIEW_OWN && !v.n_cands)
		html_f(b, "<p>%s</p>", _("Your candidate does not take part in the dialogue."));
	for (int i = 0; i < v.n_rounds; i++) {
		const struct dlg_round *rd = &v.rounds[i];
		bool open = rd->start && rd->end && !rd->completed &&
			    r->app.now <= rd->plan_due;
		html_f(b, "<section class=\"dialogue-round\"><h3>%s %d</h3><dl>"
			  "<dt>%s</dt><dd>%s – %s</dd><dt>%s</dt><dd>%s%s</dd></dl>",
		       _("Dialogue round"), rd->number, _("Period"),
		       rd->start ? fmt_when(r, rd->start) : _("(not planned)"),
		       rd->end ? fmt_when(r, rd->end) : "",
		       _("Concept plans due"),
		       rd->plan_due ? fmt_when(r, rd->plan_due) : _("(not planned)"),
		       rd->completed ? _(" (round completed)") : "");
		if ((r->roles & ROLE_BUYER) && rd->start && rd->end &&
		    !rd->completed && r->app.now <= rd->plan_due)
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/dialogue/rounds/%d/deadline\" class=\"form\">%R"
				  "<label for=\"due-%d\">%s</label><input id=\"due-%d\" name=\"plan_due\" type=\"datetime-local\" step=\"1\" value=\"%s\">"
				  "<button type=\"submit\">%s</button></form>",
			       pid, rd->number, csrf_input(r), rd->number,
			       _("Plan deadline inside the round"), rd->number,
			       fmt_input_time(r, rd->plan_due), _("Set the plan deadline"));
		if (v.view == DLG_VIEW_OWN && v.n_cands && open)
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/dialogue/rounds/%d/plan\" enctype=\"multipart/form-data\" class=\"form\">%R"
				  "<label for=\"plan-%d\">%s</label><input id=\"plan-%d\" name=\"file\" type=\"file\" accept=\".pdf,.docx,.odt\" required>"
				  "<button type=\"submit\">%s</button></form>",
			       pid, rd->number, csrf_input(r), rd->number,
			       arena_printf(r->a, _("Concept plan of approach (PDF or office document, at most %d KiB; a new file replaces the earlier one until the deadline)"),
					    (int)(APP_DIALOGUE_DOC_MAX / 1024)),
			       rd->number, _("Hand in the plan"));
		for (int k = 0; k < v.n_cands; k++)
			html_candidate(r, b, &v, rd, &v.cands[k]);
		html_f(b, "</section>");
	}
	layout_end(r, w);
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
	struct dview v;
	struct kv_error e = {0};
	if (dview_load(r, &v, &e) != KV_OK || round < 1 || round > v.n_rounds) {
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

void page_dialogue_due(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	kv_instant due = 0;
	const char *s = in_str(r, "plan_due");
	enum kv_status rc = in_blank(s)
		? kv_fail(&e, KV_INVALID, "plan_due",
			  _("Give the plan deadline, e.g. 2022-05-01 12:00."))
		: (cal_parse_local(s, &due, "plan_due", &e) == 0 ? KV_OK
								 : KV_INVALID);
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
	int64_t cand = own_candidate(r);
	if (!cand) {
		refusal(r, w, 403, KV_DENIED,
			_("Your account bids for no candidate in this procedure."));
		return;
	}
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
	const char *s = in_str(r, "at");
	enum kv_status rc = in_blank(s)
		? kv_fail(&e, KV_INVALID, "at",
			  _("Give the meeting's date and time, e.g. 2022-05-01 10:00."))
		: (cal_parse_local(s, &at, "at", &e) == 0 ? KV_OK : KV_INVALID);
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
	enum kv_status rc = app_dialogue_feedback_publish(
		&r->app, r->proc.id, round_of(r), r->ids[2], &e);
	finish(r, w, rc, &e, 200);
}

/* ---- a document ------------------------------------------------------------------ */

/* "attachment; filename*=UTF-8''..." with every byte outside the RFC 5987
 * attr-char set percent-encoded, so no name can break the header. */
static const char *disposition(arena *a, const char *name)
{
	static const char keep[] = "!#$&+-.^_`|~";
	static const char hexd[] = "0123456789ABCDEF";
	static const char head[] = "attachment; filename*=UTF-8''";
	size_t n = strlen(name);
	char *out = arena_alloc(a, sizeof head + n * 3), *o = out;
	memcpy(o, head, sizeof head - 1);
	o += sizeof head - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(keep, c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hexd[c >> 4];
			*o++ = hexd[c & 15];
		}
	}
	*o = 0;
	return out;
}

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
	enum kv_status rc = STORE(r->st, dialogue_document_get, r->proc.id,
				  r->ids[1], r->a, &d, &e);
	if (rc == KV_OK && !dlg_may_read(v, own_candidate(r), d.candidate_id))
		rc = kv_fail(&e, KV_NOT_FOUND, "",
			     _("There is no such dialogue document."));
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = d.content_type;
	resp_header(w, "Content-Disposition", disposition(r->a, d.name));
	sbuf_add(&w->body, (const char *)d.content, (size_t)d.size);
}
