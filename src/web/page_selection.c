/*
 * page_selection.c - staged selection over rounds: the criteria per
 * round, the scores of the buyer and the assessors, every published
 * round with its results (buyer, assessors, council), the score form of
 * the round open now, its publication (buyer), and each bidder's own
 * result of every round it took part in, with its reasons, shown only
 * once published (to every candidate of the round at the same moment).
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

static json_t *result_json(struct req *r, const struct selection_result_rec *x,
			   const struct selection_round *rd)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:i, s:b, s:s, s:o, s:i, s:i}",
			      "candidate", (json_int_t)x->candidate_id,
			      "candidate_name",
			      x->candidate_name ? x->candidate_name : "",
			      "outcome", sel_outcome_code(x->outcome), "rank",
			      x->rank, "points", x->points, "tie_broken",
			      x->tie_broken, "reason", x->reason ? x->reason : "",
			      "published_at",
			      json_instant(r->a, rd->published_at),
			      "max_admitted", rd->max_admitted, "round",
			      rd->number);
	json_object_set_new(j, "cutoff", x->cutoff >= 0
				? json_integer(x->cutoff) : json_null());
	json_object_set_new(j, "failed_criterion", x->failed_key
				? json_string(x->failed_key) : json_null());
	json_object_set_new(j, "admitted",
			    json_boolean(x->outcome == SEL_ADMITTED));
	return j;
}

static json_t *round_json(struct req *r, const struct selection_round *rd)
{
	return json_pack("{s:i, s:i, s:o}", "number", rd->number,
			 "max_admitted", rd->max_admitted, "published_at",
			 json_instant(r->a, rd->published_at));
}

static const char *outcome_text(enum sel_outcome o)
{
	return o == SEL_ADMITTED ? _("Admitted")
	       : o == SEL_NOT_ADMITTED ? _("Not admitted") : _("Excluded");
}

/* Everything the selection page shows: the criteria, the scores, the
 * published rounds with their results, and the round open now with its
 * candidates. */
struct sel_view {
	struct selection_criterion *crs;
	int ncr;
	struct selection_score *ss;
	int ns;
	struct selection_round *rds;
	int nrd;
	struct selection_result_rec **res;  /* per published round */
	int *nres;
	int current;                        /* the round open now */
	struct candidate *members;          /* its candidates */
	int nm;
	struct candidate *cands;            /* every candidate, for names */
	int nc;
};

static enum kv_status view_load(struct req *r, struct sel_view *v,
				struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	enum kv_status rc = STORE(r->st, criterion_list, r->proc.id, r->a,
				  &v->crs, &v->ncr, e);
	if (rc == KV_OK)
		rc = STORE(r->st, score_list, r->proc.id, r->a, &v->ss, &v->ns,
			   e);
	if (rc == KV_OK)
		rc = STORE(r->st, selection_round_list, r->proc.id, r->a,
			   &v->rds, &v->nrd, e);
	if (rc == KV_OK)
		rc = STORE(r->st, candidate_list, r->proc.id, r->a, &v->cands,
			   &v->nc, e);
	v->res = arena_alloc(r->a, sizeof *v->res * (size_t)(v->nrd + 1));
	v->nres = arena_alloc(r->a, sizeof *v->nres * (size_t)(v->nrd + 1));
	for (int i = 0; rc == KV_OK && i < v->nrd; i++)
		rc = STORE(r->st, selection_results, v->rds[i].id, 0, r->a,
			   &v->res[i], &v->nres[i], e);
	v->current = v->nrd ? v->rds[v->nrd - 1].number + 1 : 1;
	if (rc == KV_OK && v->current <= SEL_MAX_ROUNDS)
		rc = app_selection_members(&r->app, r->proc.id, v->current,
					   &v->members, &v->nm, e);
	return rc;
}

static const char *cand_name(const struct sel_view *v, int64_t id)
{
	for (int i = 0; i < v->nc; i++)
		if (v->cands[i].id == id)
			return v->cands[i].name;
	return "";
}

static int crit_round(const struct sel_view *v, int64_t criterion_id)
{
	for (int i = 0; i < v->ncr; i++)
		if (v->crs[i].id == criterion_id)
			return v->crs[i].round;
	return 1;
}

static void selection_json(struct req *r, struct resp *w,
			   const struct sel_view *v)
{
	json_t *jc = json_array(), *js = json_array(), *jrs = json_array();
	for (int i = 0; i < v->ncr; i++)
		json_array_append_new(jc, json_pack(
			"{s:s, s:s, s:s, s:i, s:i}", "key", v->crs[i].key,
			"title", v->crs[i].title, "kind",
			sel_kind_code(v->crs[i].kind), "max_points",
			v->crs[i].max_points, "round", v->crs[i].round));
	for (int i = 0; i < v->ns; i++)
		json_array_append_new(js, json_pack(
			"{s:I, s:s, s:i, s:b, s:i, s:s, s:I, s:o}",
			"candidate", (json_int_t)v->ss[i].candidate_id,
			"criterion", v->ss[i].criterion_key, "round",
			crit_round(v, v->ss[i].criterion_id), "passed",
			v->ss[i].passed, "points", v->ss[i].points,
			"motivation", v->ss[i].motivation, "assessed_by",
			(json_int_t)v->ss[i].assessed_by, "assessed_at",
			json_instant(r->a, v->ss[i].assessed_at)));
	json_t *last = json_array();
	for (int k = 0; k < v->nrd; k++) {
		json_t *jr = json_array();
		for (int i = 0; i < v->nres[k]; i++)
			json_array_append_new(jr, result_json(r, &v->res[k][i],
							      &v->rds[k]));
		if (k == v->nrd - 1)
			json_array_extend(last, jr);
		json_t *o = round_json(r, &v->rds[k]);
		json_object_set_new(o, "ranking", jr);
		json_array_append_new(jrs, o);
	}
	json_t *jm = json_array();
	for (int i = 0; i < v->nm; i++)
		json_array_append_new(jm, json_pack("{s:I, s:s}", "id",
			(json_int_t)v->members[i].id, "name",
			v->members[i].name));
	json_t *cur = v->current <= SEL_MAX_ROUNDS
		? json_pack("{s:i, s:o}", "number", v->current, "candidates",
			    jm)
		: (json_decref(jm), json_null());
	resp_json(r, w, 200, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		"criteria", jc, "scores", js, "rounds", jrs, "current_round",
		cur, "round",
		v->nrd ? round_json(r, &v->rds[v->nrd - 1]) : json_null(),
		"ranking", last));
}

void page_selection(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct sel_view v;
	if (view_load(r, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		selection_json(r, w, &v);
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Selection"));
	procedure_nav(r, w, "selection");
	html_f(b, "<h2>%s</h2>", _("Selection"));
	if (!v.nrd)
		html_f(b, "<p>%s</p>", _("No selection has been published."));
	for (int k = 0; k < v.nrd; k++) {
		html_f(b, "<section><h3>%s</h3><p>%s %s; %s %d.</p><table class=\"list\"><thead><tr>"
			  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       arena_printf(r->a, _("Selection round %d"), v.rds[k].number),
		       _("Published at"), fmt_when(r, v.rds[k].published_at),
		       _("at most admitted:"), v.rds[k].max_admitted, _("Rank"),
		       _("Candidate"), _("Points"), _("Result"), _("Reason"));
		for (int i = 0; i < v.nres[k]; i++) {
			const struct selection_result_rec *x = &v.res[k][i];
			html_f(b, "<tr><td>%d</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>",
			       x->rank, x->candidate_name, x->points,
			       outcome_text(x->outcome), x->reason);
		}
		html_f(b, "</tbody></table></section>");
	}
	html_f(b, "<h3>%s</h3>", _("Criteria per round"));
	if (!v.ncr)
		html_f(b, "<p>%s</p>", _("No selection criteria yet."));
	else
		html_f(b, "<ul>");
	for (int i = 0; i < v.ncr; i++)
		html_f(b, "<li>%s — %s (%s, %s)</li>",
		       arena_printf(r->a, _("Round %d"), v.crs[i].round),
		       v.crs[i].title, v.crs[i].key,
		       v.crs[i].kind == SEL_SCORED
			       ? arena_printf(r->a, _("0 to %d points"), v.crs[i].max_points)
			       : _("pass-fail"));
	if (v.ncr)
		html_f(b, "</ul>");
	html_f(b, "<h3>%s</h3><ul>", _("Scores"));
	for (int i = 0; i < v.ns; i++)
		html_f(b, "<li>%s — %s — %s: %s %d — %s</li>",
		       arena_printf(r->a, _("Round %d"),
				    crit_round(&v, v.ss[i].criterion_id)),
		       cand_name(&v, v.ss[i].candidate_id),
		       v.ss[i].criterion_key,
		       v.ss[i].passed ? _("passed") : "", v.ss[i].points,
		       v.ss[i].motivation);
	html_f(b, "</ul>");
	int ncur = 0;
	for (int i = 0; i < v.ncr; i++)
		ncur += v.crs[i].round == v.current;
	bool open = v.current <= SEL_MAX_ROUNDS && v.nm > 0 &&
		    (v.current == 1 || ncur > 0);
	if (open && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR))) {
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/selection/scores\" class=\"form\">%R"
			  "<label for=\"candidate\">%s</label><select id=\"candidate\" name=\"candidate\">",
		       arena_printf(r->a, _("Round %d: score a candidate"), v.current),
		       (long long)r->proc.id, csrf_input(r), _("Candidate"));
		for (int i = 0; i < v.nm; i++)
			html_f(b, "<option value=\"%lld\">%s</option>",
			       (long long)v.members[i].id, v.members[i].name);
		html_f(b, "</select><label for=\"criterion\">%s</label><select id=\"criterion\" name=\"criterion\">",
		       _("Criterion"));
		for (int i = 0; i < v.ncr; i++)
			if (v.crs[i].round == v.current)
				html_f(b, "<option value=\"%s\">%s</option>",
				       v.crs[i].key, v.crs[i].title);
		html_f(b, "</select><label><input type=\"checkbox\" name=\"passed\" value=\"true\"> %s</label>"
			  "<label for=\"points\">%s</label><input id=\"points\" name=\"points\" inputmode=\"numeric\">"
			  "<label for=\"motivation\">%s</label><textarea id=\"motivation\" name=\"motivation\"></textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       _("Passed"), _("Points"), _("Motivation"), _("Save score"));
	}
	if (open && (r->roles & ROLE_BUYER))
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/selection/publish\" class=\"form\">%R"
			  "<input type=\"hidden\" name=\"round\" value=\"%d\">"
			  "<label for=\"max_admitted\">%s</label><input id=\"max_admitted\" name=\"max_admitted\" inputmode=\"numeric\">"
			  "<label for=\"tie_admit\">%s</label><input id=\"tie_admit\" name=\"tie_admit\">"
			  "<button type=\"submit\">%s</button></form>",
		       arena_printf(r->a, _("Publish selection round %d"), v.current),
		       (long long)r->proc.id, csrf_input(r), v.current,
		       _("Maximum number of candidates to admit"),
		       _("At a tie at the boundary: candidates to admit (numbers, comma-separated)"),
		       _("Publish the results to every candidate of the round"));
	if ((r->roles & ROLE_BUYER) && v.current < SEL_MAX_ROUNDS)
		html_f(b, "<h3>%s</h3><p>%s</p><form method=\"post\" action=\"/procedures/%lld/selection-criteria\" class=\"form\">%R"
			  "<label for=\"round\">%s</label><input id=\"round\" name=\"round\" inputmode=\"numeric\" value=\"%d\">"
			  "<label for=\"key\">%s</label><input id=\"key\" name=\"key\">"
			  "<label for=\"title\">%s</label><input id=\"title\" name=\"title\">"
			  "<label for=\"description\">%s</label><textarea id=\"description\" name=\"description\"></textarea>"
			  "<label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\"><option value=\"pass-fail\">%s</option><option value=\"scored\">%s</option></select>"
			  "<label for=\"max_points\">%s</label><input id=\"max_points\" name=\"max_points\" inputmode=\"numeric\">"
			  "<button type=\"submit\">%s</button></form>",
		       _("Add a criterion to a later round"),
		       _("A round's criteria are fixed when its scoring opens: round 1 at the application deadline, a later round when the round before it is published."),
		       (long long)r->proc.id, csrf_input(r), _("Round"),
		       v.current + 1, _("Key"), _("Title"), _("Description"),
		       _("Kind"), _("pass-fail"), _("scored"),
		       _("Maximum points (scored)"), _("Add criterion"));
	layout_end(r, w);
}

void page_selection_score(struct req *r, struct resp *w)
{
	if (!(r->roles & (ROLE_BUYER | ROLE_ASSESSOR))) {
		refusal(r, w, 403, KV_DENIED,
			_("Only the buyer and the assessors score candidates."));
		return;
	}
	struct kv_error e = {0};
	struct selection_score sc = {0};
	long long cand = 0, pts = 0;
	enum kv_status rc = in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand,
				   "candidate", &e);
	const char *p = in_str(r, "points");
	if (rc == KV_OK && !in_blank(p))
		rc = in_int(p, 0, SEL_MAX_POINTS, &pts, "points", &e);
	if (rc == KV_OK) {
		sc.candidate_id = cand;
		sc.points = (int)pts;
		sc.passed = in_bool(in_str(r, "passed"));
		sc.criterion_key = (char *)in_str(r, "criterion");
		sc.motivation = (char *)in_str(r, "motivation");
		rc = app_score_put(&r->app, r->proc.id, &sc, &e);
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:I, s:s, s:b, s:i, s:s}",
			"candidate", (json_int_t)sc.candidate_id, "criterion",
			sc.criterion_key, "passed", sc.passed, "points",
			sc.points, "motivation", sc.motivation));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/selection",
					 (long long)r->proc.id));
}

void page_selection_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long max = 0, round = 1;
	enum kv_status rc = KV_OK;
	const char *rs = in_str(r, "round");
	if (!in_blank(rs) &&
	    in_int(rs, 1, SEL_MAX_ROUNDS, &round, "round", &e) != KV_OK)
		rc = kv_fail(&e, KV_INVALID, "round",
			     _("A selection round is numbered 1 to %d."),
			     SEL_MAX_ROUNDS);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "max_admitted"), 1, 10000, &max,
			    "max_admitted", &e);
	/* Whom to admit at a tie: candidate numbers, a JSON list or the
	 * form's comma-separated field; anything else is refused, never
	 * skipped, for a publication cannot be undone. */
	int64_t ties[64];
	int nt = 0;
	const char *bad_tie = _("tie_admit lists candidate numbers (at most 64), "
				"separated by commas.");
	if (rc == KV_OK && r->api) {
		json_t *a = r->json ? json_object_get(r->json, "tie_admit") : NULL;
		size_t i;
		json_t *v;
		if (a && !json_is_null(a) && !json_is_array(a))
			rc = kv_fail(&e, KV_INVALID, "tie_admit", "%s", bad_tie);
		json_array_foreach(a, i, v) {
			if (rc != KV_OK)
				break;
			if (nt >= 64 || !json_is_integer(v) || json_integer_value(v) < 1)
				rc = kv_fail(&e, KV_INVALID, "tie_admit", "%s", bad_tie);
			else
				ties[nt++] = json_integer_value(v);
		}
	} else if (rc == KV_OK) {
		char *list = arena_strdup(r->a, in_str(r, "tie_admit") ? in_str(r, "tie_admit") : "");
		for (char *save = NULL, *t = strtok_r(list, ", ", &save);
		     rc == KV_OK && t; t = strtok_r(NULL, ", ", &save)) {
			long long v = 0;
			if (nt >= 64 || in_int(t, 1, INT64_MAX, &v, "tie_admit", &e) != KV_OK)
				rc = kv_fail(&e, KV_INVALID, "tie_admit", "%s", bad_tie);
			else
				ties[nt++] = v;
		}
	}
	struct selection_round rd;
	if (rc == KV_OK)
		rc = app_selection_publish(&r->app, r->proc.id, (int)round,
					   (int)max, ties, nt, &rd, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		struct selection_result_rec *res = NULL;
		int n = 0;
		json_t *jr = json_array();
		if (STORE(r->st, selection_results, rd.id, 0, r->a, &res, &n,
			  &e) == KV_OK)
			for (int i = 0; i < n; i++)
				json_array_append_new(jr, result_json(r, &res[i], &rd));
		resp_json(r, w, 201, json_pack("{s:o, s:o}", "round",
					       round_json(r, &rd), "ranking", jr));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/selection",
					 (long long)r->proc.id));
}

/* The bidder's own result of every published round it took part in (the
 * last one tells where it stands); nothing before the first publication,
 * never another candidate's. */
void page_selection_result(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);
	if (!cand) {
		refusal(r, w, 403, KV_DENIED,
			_("Your account bids for no candidate in this procedure."));
		return;
	}
	struct kv_error e = {0};
	struct selection_round *rds = NULL;
	int nrd = 0;
	if (STORE(r->st, selection_round_list, r->proc.id, r->a, &rds, &nrd,
		  &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	struct selection_result_rec *own = arena_alloc(r->a, sizeof *own *
						       (size_t)(nrd + 1));
	const struct selection_round **of = arena_alloc(r->a, sizeof *of *
							(size_t)(nrd + 1));
	int n = 0;
	for (int k = 0; k < nrd; k++) {
		struct selection_result_rec *res = NULL;
		int nres = 0;
		if (STORE(r->st, selection_results, rds[k].id, cand, r->a,
			  &res, &nres, &e) != KV_OK) {
			resp_error(r, w, &e);
			return;
		}
		if (nres == 1) {
			own[n] = res[0];
			of[n++] = &rds[k];
		}
	}
	if (r->api) {
		json_t *jr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(jr, result_json(r, &own[i], of[i]));
		resp_json(r, w, 200, json_pack("{s:b, s:o, s:o}", "published",
			n > 0, "result",
			n ? result_json(r, &own[n - 1], of[n - 1]) : json_null(),
			"rounds", jr));
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Selection result"));
	procedure_nav(r, w, "selection");
	html_f(b, "<h2>%s</h2>", _("Selection result"));
	if (!n)
		html_f(b, "<p>%s</p>", _("No selection result has been published yet."));
	for (int i = n - 1; i >= 0; i--)
		html_f(b, "<section><h3>%s</h3><p>%s %s</p><p><strong>%s</strong></p><p>%s</p></section>",
		       arena_printf(r->a, _("Selection round %d"), of[i]->number),
		       _("Published at"), fmt_when(r, of[i]->published_at),
		       outcome_text(own[i].outcome), own[i].reason);
	layout_end(r, w);
}
