/*
 * read_selection.c - the read models of the staged selection pages (see
 * read_selection.h).
 */
#include "read_selection.h"
#include "store/store.h"

enum kv_status app_selection_view(struct app *x, int64_t procedure_id,
				  struct selection_view *v,
				  struct kv_error *e)
{
	*v = (struct selection_view){0};
	enum kv_status rc = STORE(x->st, criterion_list, procedure_id, x->a,
				  &v->criteria, &v->n_criteria, e);
	if (rc == KV_OK)
		rc = STORE(x->st, score_list, procedure_id, x->a, &v->scores,
			   &v->n_scores, e);
	if (rc == KV_OK)
		rc = STORE(x->st, selection_round_list, procedure_id, x->a,
			   &v->rounds, &v->n_rounds, e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_list, procedure_id, x->a,
			   &v->candidates, &v->n_candidates, e);
	v->results = arena_alloc(x->a, sizeof *v->results * (size_t)(v->n_rounds + 1));
	v->n_results = arena_alloc(x->a, sizeof *v->n_results * (size_t)(v->n_rounds + 1));
	for (int i = 0; rc == KV_OK && i < v->n_rounds; i++)
		rc = STORE(x->st, selection_results, v->rounds[i].id, 0, x->a,
			   &v->results[i], &v->n_results[i], e);
	v->current = v->n_rounds ? v->rounds[v->n_rounds - 1].number + 1 : 1;
	if (rc == KV_OK && v->current <= SEL_MAX_ROUNDS)
		rc = app_selection_members(x, procedure_id, v->current,
					   &v->members, &v->n_members, e);
	if (rc != KV_OK)
		return rc;
	int own_criteria = 0;
	for (int i = 0; i < v->n_criteria; i++)
		own_criteria += v->criteria[i].round == v->current;
	v->scoring_open = v->current <= SEL_MAX_ROUNDS && v->n_members > 0 &&
			  (v->current == 1 || own_criteria > 0);
	v->later_rounds = v->current < SEL_MAX_ROUNDS;
	return KV_OK;
}

const char *app_selection_candidate_name(const struct selection_view *v,
					 int64_t id)
{
	for (int i = 0; i < v->n_candidates; i++)
		if (v->candidates[i].id == id)
			return v->candidates[i].name;
	return "";
}

int app_selection_criterion_round(const struct selection_view *v,
				  int64_t criterion_id)
{
	for (int i = 0; i < v->n_criteria; i++)
		if (v->criteria[i].id == criterion_id)
			return v->criteria[i].round;
	return 1;
}

enum kv_status app_selection_own(struct app *x, int64_t procedure_id,
				 int64_t candidate_id,
				 struct selection_own *out,
				 struct kv_error *e)
{
	*out = (struct selection_own){0};
	struct selection_round *rds = NULL;
	int nrd = 0;
	enum kv_status rc = STORE(x->st, selection_round_list, procedure_id,
				  x->a, &rds, &nrd, e);
	if (rc != KV_OK)
		return rc;
	out->results = arena_alloc(x->a, sizeof *out->results * (size_t)(nrd + 1));
	out->rounds = arena_alloc(x->a, sizeof *out->rounds * (size_t)(nrd + 1));
	for (int k = 0; k < nrd; k++) {
		struct selection_result_rec *res = NULL;
		int nres = 0;
		rc = STORE(x->st, selection_results, rds[k].id, candidate_id,
			   x->a, &res, &nres, e);
		if (rc != KV_OK)
			return rc;
		/* A round the candidate was not in (not admitted before it)
		 * has no result of it. */
		if (nres == 1) {
			out->results[out->n] = res[0];
			out->rounds[out->n++] = &rds[k];
		}
	}
	return KV_OK;
}

enum kv_status app_selection_round_results(struct app *x, int64_t round_id,
					   struct selection_result_rec **out,
					   int *n, struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	return STORE(x->st, selection_results, round_id, 0, x->a, out, n, e);
}
