/*
 * read_dialogue.c - the read model of the dialogue page (see
 * read_dialogue.h).
 */
#include "read_dialogue.h"
#include "store/store.h"

struct material {
	struct dialogue_document *docs;
	int n_docs;
	struct dialogue_meeting *meetings;
	int n_meetings;
	struct dialogue_feedback *feedback;
	int n_feedback;
};

static const struct dialogue_document *
find_doc(const struct material *m, int64_t cand, int round,
	 enum dialogue_doc_kind kind)
{
	for (int i = 0; i < m->n_docs; i++)
		if (m->docs[i].candidate_id == cand &&
		    m->docs[i].round == round && m->docs[i].kind == kind)
			return &m->docs[i];
	return NULL;
}

static const struct dialogue_meeting *find_meeting(const struct material *m,
						   int64_t cand, int round)
{
	for (int i = 0; i < m->n_meetings; i++)
		if (m->meetings[i].candidate_id == cand &&
		    m->meetings[i].round == round)
			return &m->meetings[i];
	return NULL;
}

/* Drafts only for buyers and assessors. */
static const struct dialogue_feedback *find_feedback(const struct material *m,
						     enum dlg_view view,
						     int64_t cand, int round)
{
	for (int i = 0; i < m->n_feedback; i++) {
		const struct dialogue_feedback *f = &m->feedback[i];
		if (f->candidate_id == cand && f->round == round &&
		    (view == DLG_VIEW_ALL || f->published_at))
			return f;
	}
	return NULL;
}

enum kv_status app_dialogue_view(struct app *x, const struct procedure *p,
				 unsigned roles, int64_t own,
				 struct dialogue_view *v, struct kv_error *e)
{
	*v = (struct dialogue_view){0};
	v->view = dlg_view_of(roles);
	v->own = v->view == DLG_VIEW_OWN ? own : 0;
	/* A bidder without a candidate sees nobody's material (-1 matches
	 * no candidate); 0 reads everyone's. */
	int64_t only = v->view == DLG_VIEW_OWN ? (v->own ? v->own : -1) : 0;
	v->n_rounds = dlg_round_count(p);
	v->rounds = arena_alloc(x->a, sizeof *v->rounds * (size_t)(v->n_rounds + 1));
	enum kv_status rc = KV_OK;
	for (int i = 0; rc == KV_OK && i < v->n_rounds; i++)
		rc = app_dialogue_round(x, p, i + 1, &v->rounds[i].round, e);
	/* Those admitted in selection round 1 (every candidate before it is
	 * published): after a later round the dialogue goes on with fewer,
	 * but what the others did stays visible (history);
	 * app_dialogue_participants decides who may act. */
	struct candidate *cs = NULL;
	int nc = 0, current = 1;
	if (rc == KV_OK)
		rc = app_selection_current(x, p->id, &current, e);
	if (rc == KV_OK)
		rc = app_selection_members(x, p->id, current > 1 ? 2 : 1, &cs,
					   &nc, e);
	v->candidates = arena_alloc(x->a, sizeof *v->candidates * (size_t)(nc + 1));
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (!only || cs[i].id == only)
			v->candidates[v->n_candidates++] = cs[i];
	struct material m = {0};
	if (rc == KV_OK)
		rc = STORE(x->st, dialogue_document_list, p->id, only, x->a,
			   &m.docs, &m.n_docs, e);
	if (rc == KV_OK)
		rc = STORE(x->st, dialogue_meeting_list, p->id, only, x->a,
			   &m.meetings, &m.n_meetings, e);
	if (rc == KV_OK)
		rc = STORE(x->st, dialogue_feedback_list, p->id, only, x->a,
			   &m.feedback, &m.n_feedback, e);
	if (rc != KV_OK)
		return rc;
	for (int i = 0; i < v->n_rounds; i++) {
		struct dialogue_round_view *rv = &v->rounds[i];
		const struct dlg_round *rd = &rv->round;
		rv->open_for_plans = rd->start && rd->end && !rd->completed &&
				     x->now <= rd->plan_due;
		rv->entries = arena_alloc(x->a, sizeof *rv->entries *
					  (size_t)(v->n_candidates + 1));
		rv->n_entries = v->n_candidates;
		for (int k = 0; k < v->n_candidates; k++) {
			int64_t c = v->candidates[k].id;
			rv->entries[k] = (struct dialogue_entry){
				.candidate = &v->candidates[k],
				.content = dlg_may_read(v->view, v->own, c),
				.plan = find_doc(&m, c, rd->number, DLG_DOC_PLAN),
				.meeting = find_meeting(&m, c, rd->number),
				.minutes_doc = find_doc(&m, c, rd->number,
							DLG_DOC_MINUTES),
				.feedback = find_feedback(&m, v->view, c,
							  rd->number),
			};
		}
	}
	return KV_OK;
}

enum kv_status app_dialogue_document_read(struct app *x, int64_t procedure_id,
					  int64_t id, unsigned roles,
					  int64_t own,
					  struct dialogue_document *out,
					  struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, dialogue_document_get, procedure_id,
				  id, x->a, out, e);
	if (rc == KV_OK && !dlg_may_read(dlg_view_of(roles), own,
					 out->candidate_id))
		rc = kv_fail(e, KV_NOT_FOUND, "",
			     _("There is no such dialogue document."));
	return rc;
}
