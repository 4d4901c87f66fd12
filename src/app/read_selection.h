/*
 * read_selection.h - what the staged selection pages show, read for them
 * (page_selection.c): the criteria per round, the scores, every published
 * round with its results, the round open now with its candidates; a
 * bidder's own result of every round; a published round's results.
 *
 * Reads only; everything in x->a.
 */
#ifndef KAVEL_APP_READ_SELECTION_H
#define KAVEL_APP_READ_SELECTION_H

#include "app.h"

struct selection_view {
	struct selection_criterion *criteria;
	int n_criteria;
	struct selection_score *scores;
	int n_scores;
	struct selection_round *rounds;     /* published, in order */
	int n_rounds;
	struct selection_result_rec **results;  /* per published round */
	int *n_results;
	int current;                        /* the round open next
					       (app_selection_current) */
	struct candidate *members;          /* its candidates */
	int n_members;
	struct candidate *candidates;       /* every candidate, for names */
	int n_candidates;
	/* The current round takes scores and can be published: it is a
	 * round there can be, it has candidates, and (after round 1) it has
	 * criteria of its own. */
	bool scoring_open;
	/* A criterion can still be added to a later round. */
	bool later_rounds;
};
enum kv_status app_selection_view(struct app *x, int64_t procedure_id,
				  struct selection_view *v,
				  struct kv_error *e);
/* The name of candidate id, "" when the view has none. */
const char *app_selection_candidate_name(const struct selection_view *v,
					 int64_t id);
/* The round of criterion id (1 when the view does not know it). */
int app_selection_criterion_round(const struct selection_view *v,
				  int64_t criterion_id);

/* A bidder's own results: of every published round it took part in, in
 * round order (the last tells where it stands). */
struct selection_own {
	struct selection_result_rec *results;
	const struct selection_round **rounds;   /* rounds[i] of results[i] */
	int n;
};
enum kv_status app_selection_own(struct app *x, int64_t procedure_id,
				 int64_t candidate_id,
				 struct selection_own *out,
				 struct kv_error *e);

/* Every candidate's result of the round with id round_id. */
enum kv_status app_selection_round_results(struct app *x, int64_t round_id,
					   struct selection_result_rec **out,
					   int *n, struct kv_error *e);

#endif
