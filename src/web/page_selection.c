/*
 * page_selection.c - staged selection: the scores of the buyer and the
 * assessors, the ranking (buyer, assessors, council), the publication of
 * a selection round (buyer), and each bidder's own result with its
 * reasons, shown only once published (to every candidate at the same
 * moment).
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

static int64_t own_candidate(const struct req *r)
{
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BIDDER &&
		    r->grants[i].procedure_id == r->proc.id)
			return r->grants[i].candidate_id;
	return 0;
}

static void refusal(struct req *r, struct resp *w, int status,
		    enum kv_status st, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

static json_t *result_json(struct req *r, const struct selection_result_rec *x,
			   const struct selection_round *rd)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:i, s:b, s:s, s:o, s:i}",
			      "candidate", (json_int_t)x->candidate_id,
			      "candidate_name",
			      x->candidate_name ? x->candidate_name : "",
			      "outcome", sel_outcome_code(x->outcome), "rank",
			      x->rank, "points", x->points, "tie_broken",
			      x->tie_broken, "reason", x->reason ? x->reason : "",
			      "published_at",
			      json_instant(r->a, rd->published_at),
			      "max_admitted", rd->max_admitted);
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

void page_selection(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct selection_criterion *crs = NULL;
	struct selection_score *ss = NULL;
	struct selection_result_rec *res = NULL;
	int ncr = 0, ns = 0, nres = 0;
	struct selection_round rd;
	struct kv_error re;
	bool published = STORE(r->st, selection_round_last, r->proc.id, &rd,
			       &re) == KV_OK;
	enum kv_status rc = STORE(r->st, criterion_list, r->proc.id, r->a,
				  &crs, &ncr, &e);
	if (rc == KV_OK)
		rc = STORE(r->st, score_list, r->proc.id, r->a, &ss, &ns, &e);
	if (rc == KV_OK && published)
		rc = STORE(r->st, selection_results, rd.id, 0, r->a, &res,
			   &nres, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *jc = json_array(), *js = json_array(), *jr = json_array();
		for (int i = 0; i < ncr; i++)
			json_array_append_new(jc, json_pack(
				"{s:s, s:s, s:s, s:i}", "key", crs[i].key,
				"title", crs[i].title, "kind",
				sel_kind_code(crs[i].kind), "max_points",
				crs[i].max_points));
		for (int i = 0; i < ns; i++)
			json_array_append_new(js, json_pack(
				"{s:I, s:s, s:b, s:i, s:s, s:I, s:o}",
				"candidate", (json_int_t)ss[i].candidate_id,
				"criterion", ss[i].criterion_key, "passed",
				ss[i].passed, "points", ss[i].points,
				"motivation", ss[i].motivation, "assessed_by",
				(json_int_t)ss[i].assessed_by, "assessed_at",
				json_instant(r->a, ss[i].assessed_at)));
		for (int i = 0; i < nres; i++)
			json_array_append_new(jr, result_json(r, &res[i], &rd));
		resp_json(r, w, 200, json_pack("{s:o, s:o, s:o, s:o}",
			"criteria", jc, "scores", js, "round",
			published ? round_json(r, &rd) : json_null(),
			"ranking", jr));
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Selection"));
	procedure_nav(r, w, "selection");
	html_f(b, "<h2>%s</h2>", _("Selection"));
	if (published) {
		html_f(b, "<p>%s %s; %s %d.</p><table class=\"list\"><thead><tr>"
			  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Published at"), fmt_when(r, rd.published_at),
		       _("at most admitted:"), rd.max_admitted, _("Rank"),
		       _("Candidate"), _("Points"), _("Result"), _("Reason"));
		for (int i = 0; i < nres; i++)
			html_f(b, "<tr><td>%d</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>",
			       res[i].rank, res[i].candidate_name, res[i].points,
			       sel_outcome_code(res[i].outcome), res[i].reason);
		html_f(b, "</tbody></table>");
	} else {
		html_f(b, "<p>%s</p>", _("No selection has been published."));
	}
	html_f(b, "<h3>%s</h3><ul>", _("Scores"));
	for (int i = 0; i < ns; i++)
		html_f(b, "<li>%lld — %s: %s %d — %s</li>",
		       (long long)ss[i].candidate_id, ss[i].criterion_key,
		       ss[i].passed ? _("passed") : "", ss[i].points,
		       ss[i].motivation);
	html_f(b, "</ul>");
	if (!published && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR)))
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/selection/scores\" class=\"form\">%R"
			  "<label for=\"candidate\">%s</label><input id=\"candidate\" name=\"candidate\" inputmode=\"numeric\">"
			  "<label for=\"criterion\">%s</label><input id=\"criterion\" name=\"criterion\">"
			  "<label><input type=\"checkbox\" name=\"passed\" value=\"true\"> %s</label>"
			  "<label for=\"points\">%s</label><input id=\"points\" name=\"points\" inputmode=\"numeric\">"
			  "<label for=\"motivation\">%s</label><textarea id=\"motivation\" name=\"motivation\"></textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       _("Score a candidate"), (long long)r->proc.id, csrf_input(r),
		       _("Candidate"), _("Criterion key"), _("Passed"), _("Points"),
		       _("Motivation"), _("Save score"));
	if (!published && (r->roles & ROLE_BUYER))
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/selection/publish\" class=\"form\">%R"
			  "<label for=\"max_admitted\">%s</label><input id=\"max_admitted\" name=\"max_admitted\" inputmode=\"numeric\">"
			  "<label for=\"tie_admit\">%s</label><input id=\"tie_admit\" name=\"tie_admit\">"
			  "<button type=\"submit\">%s</button></form>",
		       _("Publish the selection"), (long long)r->proc.id, csrf_input(r),
		       _("Maximum number of candidates to admit"),
		       _("At a tie at the boundary: candidates to admit (numbers, comma-separated)"),
		       _("Publish the results to every candidate"));
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
	long long max = 0;
	enum kv_status rc = in_int(in_str(r, "max_admitted"), 1, 10000, &max,
				   "max_admitted", &e);
	int64_t ties[64];
	int nt = 0;
	if (r->api) {
		json_t *a = r->json ? json_object_get(r->json, "tie_admit") : NULL;
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v)
			if (nt < 64 && json_is_integer(v))
				ties[nt++] = json_integer_value(v);
	} else {
		const char *s = in_str(r, "tie_admit");
		char *end;
		while (s && *s && nt < 64) {
			long long v = strtoll(s, &end, 10);
			if (end == s) {
				s++;
				continue;
			}
			ties[nt++] = v;
			s = end;
		}
	}
	struct selection_round rd;
	if (rc == KV_OK)
		rc = app_selection_publish(&r->app, r->proc.id, (int)max, ties,
					   nt, &rd, &e);
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

/* The bidder's own result; nothing before the publication. */
void page_selection_result(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);
	if (!cand) {
		refusal(r, w, 403, KV_DENIED,
			_("Your account bids for no candidate in this procedure."));
		return;
	}
	struct kv_error e = {0};
	struct selection_round rd;
	struct selection_result_rec *res = NULL;
	int n = 0;
	bool published = STORE(r->st, selection_round_last, r->proc.id, &rd,
			       &e) == KV_OK;
	if (published &&
	    STORE(r->st, selection_results, rd.id, cand, r->a, &res, &n, &e) !=
		    KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:b, s:o}", "published",
			published, "result", n == 1 ? result_json(r, &res[0], &rd)
						    : json_null()));
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Selection result"));
	procedure_nav(r, w, "selection");
	html_f(b, "<h2>%s</h2>", _("Selection result"));
	if (n != 1)
		html_f(b, "<p>%s</p>", _("No selection result has been published yet."));
	else
		html_f(b, "<p>%s %s</p><p><strong>%s</strong></p><p>%s</p>",
		       _("Published at"), fmt_when(r, rd.published_at),
		       res[0].outcome == SEL_ADMITTED ? _("Admitted")
		       : res[0].outcome == SEL_NOT_ADMITTED ? _("Not admitted")
							    : _("Excluded"),
		       res[0].reason);
	layout_end(r, w);
}
