/*
 * selection.c - pass/fail and scored selection criteria, the ranking and
 * the cut-off; see selection.h.
 */
#include "selection.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_codes[] = {
	[SEL_PASS_FAIL] = "pass-fail",
	[SEL_SCORED] = "scored",
};
static const char *const outcome_codes[] = {
	[SEL_ADMITTED] = "admitted",
	[SEL_NOT_ADMITTED] = "not-admitted",
	[SEL_EXCLUDED] = "excluded",
};

const char *sel_kind_code(enum sel_kind k)
{
	return (unsigned)k <= SEL_SCORED ? kind_codes[k] : "";
}

int sel_kind_from_code(const char *s)
{
	for (int i = 0; s && i <= SEL_SCORED; i++)
		if (strcmp(s, kind_codes[i]) == 0)
			return i;
	return -1;
}

const char *sel_outcome_code(enum sel_outcome o)
{
	return (unsigned)o <= SEL_EXCLUDED ? outcome_codes[o] : "";
}

int sel_outcome_from_code(const char *s)
{
	for (int i = 0; s && i <= SEL_EXCLUDED; i++)
		if (strcmp(s, outcome_codes[i]) == 0)
			return i;
	return -1;
}

enum kv_status sel_criterion_check(const struct sel_criterion *c,
				   struct kv_error *e)
{
	if (c->kind != SEL_PASS_FAIL && c->kind != SEL_SCORED)
		return kv_fail(e, KV_INVALID, "kind",
			       _("A criterion is pass-fail or scored."));
	if (c->kind == SEL_SCORED &&
	    (c->max_points < 1 || c->max_points > SEL_MAX_POINTS))
		return kv_fail(e, KV_INVALID, "max_points",
			       _("A scored criterion gives 1 to %d points at "
				 "most."), SEL_MAX_POINTS);
	if (c->kind == SEL_PASS_FAIL && c->max_points != 0)
		return kv_fail(e, KV_INVALID, "max_points",
			       _("A pass-fail criterion gives no points."));
	return KV_OK;
}

enum kv_status sel_score_check(const struct sel_criterion *c,
			       const struct sel_score *s, struct kv_error *e)
{
	if (c->kind == SEL_SCORED &&
	    (s->points < 0 || s->points > c->max_points))
		return kv_fail(e, KV_INVALID, "points",
			       _("Criterion \"%s\" gives 0 to %d points."),
			       c->title, c->max_points);
	if (c->kind == SEL_PASS_FAIL && s->points != 0)
		return kv_fail(e, KV_INVALID, "points",
			       _("Criterion \"%s\" is passed or failed, not "
				 "scored."), c->title);
	return KV_OK;
}

static enum kv_status round_number(int round, struct kv_error *e)
{
	if (round < 1 || round > SEL_MAX_ROUNDS)
		return kv_fail(e, KV_INVALID, "round",
			       _("A selection round is numbered 1 to %d."),
			       SEL_MAX_ROUNDS);
	return KV_OK;
}

enum kv_status sel_round_criterion_check(int round, int last,
					 struct kv_error *e)
{
	if (round_number(round, e) != KV_OK)
		return e->status;
	if (round <= last)
		return kv_fail(e, KV_CONFLICT, "round",
			       _("Selection round %d has been published; its "
				 "criteria cannot change any more."), round);
	if (round >= 2 && round == last + 1)
		return kv_fail(e, KV_CONFLICT, "round",
			       _("The scoring of selection round %d opened "
				 "when round %d was published; its criteria "
				 "cannot change any more."), round, last);
	return KV_OK;
}

enum kv_status sel_round_scoring_check(int round, int last,
				       struct kv_error *e)
{
	if (round_number(round, e) != KV_OK)
		return e->status;
	if (round <= last)
		return kv_fail(e, KV_CONFLICT, "",
			       _("Selection round %d has been published; its "
				 "scores cannot change any more."), round);
	if (round > last + 1)
		return kv_fail(e, KV_CONFLICT, "",
			       _("The scoring of selection round %d opens when "
				 "round %d is published."), round, round - 1);
	return KV_OK;
}

enum kv_status sel_round_publish_check(int round, int last,
				       struct kv_error *e)
{
	if (round_number(round, e) != KV_OK)
		return e->status;
	if (round <= last)
		return kv_fail(e, KV_CONFLICT, "round",
			       _("Selection round %d has been published "
				 "already."), round);
	if (round > last + 1)
		return kv_fail(e, KV_CONFLICT, "round",
			       _("Selection round %d must be published "
				 "before round %d."), last + 1, round);
	return KV_OK;
}

struct entry {
	int idx;
	int points;
};

static int by_points(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->points != b->points)
		return a->points > b->points ? -1 : 1;
	return a->idx - b->idx;
}

static bool named(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

enum kv_status sel_rank(arena *a, const struct sel_criterion *cr, int ncr,
			const struct sel_candidate *cs, int nc,
			int max_admitted, const int64_t *tie_admit,
			int n_tie_admit, struct sel_result *out,
			struct kv_error *e)
{
	if (max_admitted < 1)
		return kv_fail(e, KV_INVALID, "max_admitted",
			       _("Admit at least one candidate."));
	for (int k = 0; k < ncr; k++)
		if (sel_criterion_check(&cr[k], e) != KV_OK)
			return e->status;
	struct entry *el = arena_alloc(a, sizeof *el * (size_t)(nc + 1));
	int ne = 0;
	for (int i = 0; i < nc; i++) {
		struct sel_result *r = &out[i];
		memset(r, 0, sizeof *r);
		r->candidate_id = cs[i].id;
		r->cutoff = -1;
		if (!cs[i].applied) {
			r->outcome = SEL_EXCLUDED;
			r->reason = _("No application was made before the "
				      "application deadline.");
			continue;
		}
		for (int k = 0; k < ncr && r->outcome != SEL_EXCLUDED; k++) {
			const struct sel_score *s = &cs[i].scores[k];
			if (cr[k].kind == SEL_PASS_FAIL && s->assessed &&
			    !s->passed) {
				r->outcome = SEL_EXCLUDED;
				r->failed_key = cr[k].key;
				r->reason = arena_printf(a,
					_("Excluded: the pass-fail criterion "
					  "\"%s\" was not met."), cr[k].title);
			}
		}
		if (r->outcome == SEL_EXCLUDED)
			continue;
		for (int k = 0; k < ncr; k++) {
			const struct sel_score *s = &cs[i].scores[k];
			if (!s->assessed)
				return kv_fail(e, KV_DENIED, "",
					       _("%s has not been assessed on "
						 "criterion \"%s\" yet."),
					       cs[i].name, cr[k].title);
			if (sel_score_check(&cr[k], s, e) != KV_OK)
				return e->status;
			if (cr[k].kind == SEL_SCORED)
				r->points += s->points;
		}
		el[ne++] = (struct entry){.idx = i, .points = r->points};
	}
	qsort(el, (size_t)ne, sizeof *el, by_points);
	for (int j = 0; j < ne; j++) {
		int rank = 1;
		while (rank - 1 < j && el[rank - 1].points > el[j].points)
			rank++;
		out[el[j].idx].rank = rank;
	}
	if (ne <= max_admitted) {
		if (n_tie_admit > 0)
			return kv_fail(e, KV_INVALID, "tie_admit",
				       _("There is no tie at the boundary to "
					 "break."));
		for (int j = 0; j < ne; j++) {
			out[el[j].idx].outcome = SEL_ADMITTED;
			out[el[j].idx].reason =
				_("Admitted: every candidate that met the "
				  "criteria is admitted.");
		}
		return KV_OK;
	}
	int cut = el[max_admitted - 1].points;
	int above = 0, tied = 0;
	for (int j = 0; j < ne; j++) {
		above += el[j].points > cut;
		tied += el[j].points == cut;
	}
	int places = max_admitted - above;
	bool tie = tied > places;
	if (!tie && n_tie_admit > 0)
		return kv_fail(e, KV_INVALID, "tie_admit",
			       _("There is no tie at the boundary to "
				 "break."));
	if (tie) {
		bool ok = n_tie_admit == places;
		for (int t = 0; ok && t < n_tie_admit; t++) {
			bool in = false;
			for (int j = 0; j < ne; j++)
				in = in || (el[j].points == cut &&
					    cs[el[j].idx].id == tie_admit[t]);
			for (int u = 0; u < t; u++)
				in = in && tie_admit[u] != tie_admit[t];
			ok = in;
		}
		if (!ok) {
			char *names = "";
			for (int j = 0; j < ne; j++)
				if (el[j].points == cut)
					names = arena_printf(a, "%s%s%s", names,
						*names ? ", " : "",
						cs[el[j].idx].name);
			return kv_fail(e, KV_CONFLICT, "tie_admit",
				       _("Tie at the boundary: %d candidates "
					 "(%s) have %d points for %d place(s) "
					 "left; name explicitly whom to admit."),
				       tied, names, cut, places);
		}
	}
	for (int j = 0; j < ne; j++) {
		struct sel_result *r = &out[el[j].idx];
		r->cutoff = cut;
		bool in = r->points > cut ||
			  (r->points == cut &&
			   (!tie || named(tie_admit, n_tie_admit,
					  r->candidate_id)));
		r->tie_broken = tie && r->points == cut;
		r->outcome = in ? SEL_ADMITTED : SEL_NOT_ADMITTED;
		if (in && r->tie_broken)
			r->reason = arena_printf(a,
				_("Admitted: rank %d with %d points, tied at "
				  "the cut-off and chosen by the contracting "
				  "authority."), r->rank, r->points);
		else if (in)
			r->reason = arena_printf(a,
				_("Admitted: rank %d with %d points; at most "
				  "%d candidates are admitted."), r->rank,
				r->points, max_admitted);
		else if (r->tie_broken)
			r->reason = arena_printf(a,
				_("Not admitted: rank %d with %d points, tied "
				  "at the cut-off of %d points; the "
				  "contracting authority chose the others."),
				r->rank, r->points, cut);
		else
			r->reason = arena_printf(a,
				_("Not admitted: rank %d with %d points; the "
				  "cut-off is %d points (at most %d candidates "
				  "are admitted)."), r->rank, r->points, cut,
				max_admitted);
	}
	return KV_OK;
}
