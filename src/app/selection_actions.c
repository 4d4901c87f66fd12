/*
 * selection_actions.c - staged selection: the assessors' and buyer's
 * scores with their motivations after the application deadline, and the
 * publication of a selection round, whose results every candidate
 * receives at the same moment; see app.h and core/selection.h.
 */
#include <jansson.h>
#include <string.h>

#include "audit_mark.h"
#include "core/validate.h"
#include "internal.h"

/* The number of the procedure's last published round, 0 when none. */
static enum kv_status last_round(struct app *x, int64_t procedure_id,
				 int *last, struct kv_error *e)
{
	struct selection_round rd;
	struct kv_error re;
	*last = 0;
	enum kv_status rc = STORE(x->st, selection_round_last, procedure_id,
				  &rd, &re);
	if (rc == KV_OK)
		*last = rd.number;
	else if (rc != KV_NOT_FOUND) {
		if (e)
			*e = re;
		return rc;
	}
	return KV_OK;
}

/* Round 1 is assessed after the application deadline, to the second. */
static enum kv_status deadline_passed(struct app *x, const struct procedure *p,
				      struct kv_error *e)
{
	kv_instant deadline;
	enum kv_status rc = app_application_deadline(p, &deadline, e);
	if (rc == KV_OK && x->now <= deadline)
		return kv_fail(e, KV_DENIED, "",
			       _("Applications are assessed after the "
				 "application deadline (%s)."),
			       cal_format_local(x->a, deadline));
	return rc;
}

enum kv_status app_selection_members(struct app *x, int64_t procedure_id,
				     int round, struct candidate **out,
				     int *n, struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	struct candidate *cs = NULL;
	int nc = 0;
	enum kv_status rc = STORE(x->st, candidate_list, procedure_id, x->a,
				  &cs, &nc, e);
	if (rc != KV_OK || round <= 1) {
		*out = cs;
		*n = rc == KV_OK ? nc : 0;
		return rc;
	}
	struct selection_round *rds = NULL;
	int nrd = 0;
	rc = STORE(x->st, selection_round_list, procedure_id, x->a, &rds,
		   &nrd, e);
	const struct selection_round *prev = NULL;
	for (int i = 0; rc == KV_OK && i < nrd; i++)
		if (rds[i].number == round - 1)
			prev = &rds[i];
	if (rc != KV_OK || !prev)
		return rc;
	struct selection_result_rec *res = NULL;
	int nres = 0;
	rc = STORE(x->st, selection_results, prev->id, 0, x->a, &res, &nres,
		   e);
	if (rc != KV_OK)
		return rc;
	struct candidate *keep = arena_alloc(x->a, sizeof *keep *
					     (size_t)(nc + 1));
	int k = 0;
	for (int i = 0; i < nc; i++)
		for (int j = 0; j < nres; j++)
			if (res[j].candidate_id == cs[i].id &&
			    res[j].outcome == SEL_ADMITTED)
				keep[k++] = cs[i];
	*out = keep;
	*n = k;
	return KV_OK;
}

enum kv_status app_selection_current(struct app *x, int64_t procedure_id,
				     int *round, struct kv_error *e)
{
	int last = 0;
	enum kv_status rc = last_round(x, procedure_id, &last, e);
	*round = last + 1;
	return rc;
}

enum kv_status app_score_put(struct app *x, int64_t procedure_id,
			     struct selection_score *sc, struct kv_error *e)
{
	if (!sc->criterion_key || !*sc->criterion_key)
		return kv_fail(e, KV_INVALID, "criterion",
			       _("Name the criterion by its key."));
	if (!sc->candidate_id)
		return kv_fail(e, KV_INVALID, "candidate",
			       _("Name the candidate."));
	if (text_check_lines(sc->motivation, 4000, true, "motivation", e) !=
	    KV_OK)
		return kv_fail(e, KV_INVALID, "motivation",
			       _("Every score needs a motivation (at most "
				 "4000 characters)."));
	struct procedure p;
	struct selection_criterion *crs = NULL;
	struct candidate *cs = NULL, *in = NULL;
	int ncr = 0, nc = 0, nin = 0, last = 0;
	const struct selection_criterion *cr = NULL;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, criterion_list, procedure_id, x->a, &crs,
			   &ncr, e);
	for (int i = 0; rc == KV_OK && i < ncr; i++)
		if (strcmp(crs[i].key, sc->criterion_key) == 0)
			cr = &crs[i];
	if (rc == KV_OK && !cr)
		rc = kv_fail(e, KV_INVALID, "criterion",
			     _("This procedure has no selection criterion "
			       "\"%s\"."), sc->criterion_key);
	if (rc == KV_OK && cr->round == 1)
		rc = deadline_passed(x, &p, e);
	if (rc == KV_OK)
		rc = last_round(x, procedure_id, &last, e);
	if (rc == KV_OK)
		rc = sel_round_scoring_check(cr->round, last, e);
	if (rc == KV_OK)
		rc = STORE(x->st, candidate_list, procedure_id, x->a, &cs, &nc,
			   e);
	const struct candidate *who = NULL;
	for (int i = 0; rc == KV_OK && i < nc; i++)
		if (cs[i].id == sc->candidate_id)
			who = &cs[i];
	if (rc == KV_OK && !who)
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("This procedure has no such candidate."));
	if (rc == KV_OK)
		rc = app_selection_members(x, procedure_id, cr->round, &in,
					   &nin, e);
	bool member = false;
	for (int i = 0; rc == KV_OK && i < nin; i++)
		member = member || in[i].id == sc->candidate_id;
	if (rc == KV_OK && !member)
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("%s was not admitted in selection round %d and "
			       "takes no part in round %d."), who->name,
			     cr->round - 1, cr->round);
	if (rc == KV_OK) {
		struct sel_criterion k = {cr->key, cr->title, cr->kind,
					  cr->max_points};
		struct sel_score s = {true, sc->passed, sc->points};
		if (cr->kind == SEL_SCORED)
			sc->passed = false;
		rc = sel_score_check(&k, &s, e);
	}
	if (rc == KV_OK) {
		sc->criterion_id = cr->id;
		sc->assessed_by = x->actor;
		sc->assessed_at = x->now;
		rc = STORE(x->st, score_put, sc, e);
	}
	if (rc == KV_OK) {
		json_t *j = cr->kind == SEL_SCORED
			? json_pack("{s:i, s:s, s:i, s:s}", "round", cr->round,
				    "criterion", cr->key, "points", sc->points,
				    "motivation", sc->motivation)
			: json_pack("{s:i, s:s, s:b, s:s}", "round", cr->round,
				    "criterion", cr->key, "passed", sc->passed,
				    "motivation", sc->motivation);
		/* The score and its motivation for the buyers only (the
		 * council reads the course, not the assessment). */
		rc = app_audit_marked(x, p.tenant_id, "selection.score",
				      arena_printf(x->a,
						   "procedure/%lld/candidate/%lld",
						   (long long)procedure_id,
						   (long long)sc->candidate_id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

/* Everything the core needs to rank round `round`: its criteria and its
 * candidates (round 1: every candidate, applied or not; round n: those
 * admitted in round n-1, who all take part). */
static enum kv_status gather(struct app *x, int64_t procedure_id, int round,
			     struct sel_criterion **ocr, int *oncr,
			     struct sel_candidate **ocs, int *onc,
			     struct kv_error *e)
{
	struct selection_criterion *all = NULL;
	struct candidate *cs = NULL;
	struct application *aps = NULL;
	struct selection_score *ss = NULL;
	int nall = 0, nc = 0, nap = 0, ns = 0;
	enum kv_status rc = STORE(x->st, criterion_list, procedure_id, x->a,
				  &all, &nall, e);
	if (rc == KV_OK)
		rc = app_selection_members(x, procedure_id, round, &cs, &nc, e);
	if (rc == KV_OK && round == 1)
		rc = STORE(x->st, application_list, procedure_id, x->a, &aps,
			   &nap, e);
	if (rc == KV_OK)
		rc = STORE(x->st, score_list, procedure_id, x->a, &ss, &ns, e);
	if (rc != KV_OK)
		return rc;
	const struct selection_criterion **crs =
		arena_alloc(x->a, sizeof *crs * (size_t)(nall + 1));
	int ncr = 0;
	for (int k = 0; k < nall; k++)
		if (all[k].round == round)
			crs[ncr++] = &all[k];
	struct sel_criterion *cr = arena_alloc(x->a, sizeof *cr *
					       (size_t)(ncr + 1));
	for (int k = 0; k < ncr; k++)
		cr[k] = (struct sel_criterion){crs[k]->key, crs[k]->title,
					       crs[k]->kind,
					       crs[k]->max_points};
	struct sel_candidate *sc = arena_alloc(x->a, sizeof *sc *
					       (size_t)(nc + 1));
	for (int i = 0; i < nc; i++) {
		struct sel_score *row = arena_alloc(x->a, sizeof *row *
						    (size_t)(ncr + 1));
		for (int k = 0; k < ncr; k++)
			for (int j = 0; j < ns; j++)
				if (ss[j].candidate_id == cs[i].id &&
				    ss[j].criterion_id == crs[k]->id)
					row[k] = (struct sel_score){
						true, ss[j].passed,
						ss[j].points};
		bool applied = round > 1;
		for (int j = 0; j < nap; j++)
			applied = applied || aps[j].candidate_id == cs[i].id;
		sc[i] = (struct sel_candidate){cs[i].id, cs[i].name, applied,
					       row};
	}
	*ocr = cr;
	*oncr = ncr;
	*ocs = sc;
	*onc = nc;
	return KV_OK;
}

enum kv_status app_selection_publish(struct app *x, int64_t procedure_id,
				     int round, int max_admitted,
				     const int64_t *tie_admit, int n_tie_admit,
				     struct selection_round *out,
				     struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (round < 1 || round > SEL_MAX_ROUNDS)
		return kv_fail(e, KV_INVALID, "round",
			       _("A selection round is numbered 1 to %d."),
			       SEL_MAX_ROUNDS);
	if (max_admitted < 1 || max_admitted > 10000)
		return kv_fail(e, KV_INVALID, "max_admitted",
			       _("Give the maximum number of candidates to "
				 "admit (at least 1)."));
	struct procedure p;
	struct sel_criterion *cr = NULL;
	struct sel_candidate *cs = NULL;
	int ncr = 0, nc = 0, last = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK && round == 1)
		rc = deadline_passed(x, &p, e);
	if (rc == KV_OK)
		rc = last_round(x, procedure_id, &last, e);
	if (rc == KV_OK)
		rc = sel_round_publish_check(round, last, e);
	if (rc == KV_OK)
		rc = gather(x, procedure_id, round, &cr, &ncr, &cs, &nc, e);
	if (rc == KV_OK && nc == 0)
		rc = kv_fail(e, KV_DENIED, "",
			     _("This procedure has no candidates to select."));
	if (rc == KV_OK && round > 1 && ncr == 0)
		rc = kv_fail(e, KV_DENIED, "round",
			     _("Selection round %d has no criteria to rank "
			       "on; a round's criteria are set before the "
			       "round before it is published."), round);
	struct sel_result *res = arena_alloc(x->a, sizeof *res *
					     (size_t)(nc + 1));
	if (rc == KV_OK)
		rc = sel_rank(x->a, cr, ncr, cs, nc, max_admitted, tie_admit,
			      n_tie_admit, res, e);
	struct selection_result_rec *recs = arena_alloc(x->a, sizeof *recs *
							(size_t)(nc + 1));
	json_t *arr = json_array();
	for (int i = 0; rc == KV_OK && i < nc; i++) {
		recs[i] = (struct selection_result_rec){
			.candidate_id = res[i].candidate_id,
			.outcome = res[i].outcome, .rank = res[i].rank,
			.points = res[i].points, .cutoff = res[i].cutoff,
			.tie_broken = res[i].tie_broken,
			.failed_key = (char *)res[i].failed_key,
			.reason = (char *)res[i].reason};
		json_array_append_new(arr, json_pack(
			"{s:I, s:s, s:i, s:i, s:b}", "candidate",
			(json_int_t)res[i].candidate_id, "outcome",
			sel_outcome_code(res[i].outcome), "rank", res[i].rank,
			"points", res[i].points, "tie_broken",
			res[i].tie_broken));
	}
	if (rc == KV_OK) {
		*out = (struct selection_round){
			.procedure_id = procedure_id, .number = round,
			.max_admitted = max_admitted,
			.published_at = x->now, .published_by = x->actor};
		rc = STORE(x->st, selection_publish, out, recs, nc, e);
	}
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:i, s:I, s:O}", "round",
				      out->number, "max_admitted",
				      max_admitted, "published_at",
				      (json_int_t)x->now, "results", arr);
		rc = app_audit(x, p.tenant_id, "selection.publish",
			       arena_printf(x->a, "procedure/%lld/selection/%d",
					    (long long)procedure_id,
					    out->number),
			       NULL, app_json_text(x->a, j), e);
	}
	json_decref(arr);
	return app_finish(x, rc, e);
}

enum kv_status app_selection_preview(struct app *x, int64_t procedure_id,
				     int round, int max_admitted,
				     struct sel_result **out, int *n,
				     struct kv_error *e)
{
	struct sel_criterion *cr = NULL;
	struct sel_candidate *cs = NULL;
	int ncr = 0, nc = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = gather(x, procedure_id, round, &cr, &ncr, &cs,
				   &nc, e);
	if (rc != KV_OK)
		return rc;
	*out = arena_alloc(x->a, sizeof **out * (size_t)(nc + 1));
	*n = nc;
	return sel_rank(x->a, cr, ncr, cs, nc, max_admitted, NULL, 0, *out,
			e);
}
