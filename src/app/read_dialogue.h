/*
 * read_dialogue.h - what the dialogue page shows, read and put together
 * for it (page_dialogue.c): per round and per candidate its concept plan,
 * the meeting with its minutes and the feedback, each as far as the
 * viewer may see it (core/dialogue.h: dlg_view_of, dlg_may_read); and one
 * dialogue document.
 *
 * Reads only; everything in x->a.
 */
#ifndef KAVEL_APP_READ_DIALOGUE_H
#define KAVEL_APP_READ_DIALOGUE_H

#include "app.h"

/* One candidate in one round.  Pointers are NULL where there is nothing
 * (or nothing this viewer sees: a bidder gets no other candidate, a
 * draft of feedback shows only to buyers and assessors). */
struct dialogue_entry {
	const struct candidate *candidate;
	bool content;                 /* the viewer may read the material,
					 not only see that it exists */
	const struct dialogue_document *plan;
	const struct dialogue_meeting *meeting;
	const struct dialogue_document *minutes_doc;
	const struct dialogue_feedback *feedback;
};

struct dialogue_round_view {
	struct dlg_round round;
	/* Planned, not completed, and its plan deadline not passed. */
	bool open_for_plans;
	struct dialogue_entry *entries;   /* one per candidate of the view */
	int n_entries;
};

struct dialogue_view {
	enum dlg_view view;
	int64_t own;                  /* DLG_VIEW_OWN: the bidder's candidate */
	struct dialogue_round_view *rounds;
	int n_rounds;
	/* The participants this viewer sees: every one admitted in
	 * selection round 1 (every candidate before it is published), a
	 * bidder only its own. */
	struct candidate *candidates;
	int n_candidates;
};

/* The dialogue of p as a viewer with these roles on it sees it; own is
 * the candidate a bidder bids for (0: none). */
enum kv_status app_dialogue_view(struct app *x, const struct procedure *p,
				 unsigned roles, int64_t own,
				 struct dialogue_view *v, struct kv_error *e);

/* Dialogue document id of the procedure, with its content, when a viewer
 * with these roles (own: its candidate) may read it; KV_NOT_FOUND when
 * there is none or it is another candidate's. */
enum kv_status app_dialogue_document_read(struct app *x, int64_t procedure_id,
					  int64_t id, unsigned roles,
					  int64_t own,
					  struct dialogue_document *out,
					  struct kv_error *e);

#endif
