/*
 * page_selection.c - staged selection over rounds: the criteria per
 * round, the scores of the buyer and the assessors, every published
 * round with its results (buyer, assessors, council), the score form of
 * the round open now, its publication (buyer), and each bidder's own
 * result of every round it took part in, with its reasons, shown only
 * once published (to every candidate of the round at the same moment).
 */
#include <string.h>

#include "app/read_selection.h"
#include "form.h"
#include "input.h"
#include "templates.h"
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

static void selection_json(struct req *r, struct resp *w,
			   const struct selection_view *v)
{
	json_t *jc = json_array(), *js = json_array(), *jrs = json_array();
	for (int i = 0; i < v->n_criteria; i++)
		json_array_append_new(jc, json_pack(
			"{s:s, s:s, s:s, s:i, s:i}", "key", v->criteria[i].key,
			"title", v->criteria[i].title, "kind",
			sel_kind_code(v->criteria[i].kind), "max_points",
			v->criteria[i].max_points, "round", v->criteria[i].round));
	for (int i = 0; i < v->n_scores; i++)
		json_array_append_new(js, json_pack(
			"{s:I, s:s, s:i, s:b, s:i, s:s, s:I, s:o}",
			"candidate", (json_int_t)v->scores[i].candidate_id,
			"criterion", v->scores[i].criterion_key, "round",
			app_selection_criterion_round(v, v->scores[i].criterion_id), "passed",
			v->scores[i].passed, "points", v->scores[i].points,
			"motivation", v->scores[i].motivation, "assessed_by",
			(json_int_t)v->scores[i].assessed_by, "assessed_at",
			json_instant(r->a, v->scores[i].assessed_at)));
	json_t *last = json_array();
	for (int k = 0; k < v->n_rounds; k++) {
		json_t *jr = json_array();
		for (int i = 0; i < v->n_results[k]; i++)
			json_array_append_new(jr, result_json(r, &v->results[k][i],
							      &v->rounds[k]));
		if (k == v->n_rounds - 1)
			json_array_extend(last, jr);
		json_t *o = round_json(r, &v->rounds[k]);
		json_object_set_new(o, "ranking", jr);
		json_array_append_new(jrs, o);
	}
	json_t *jm = json_array();
	for (int i = 0; i < v->n_members; i++)
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
		v->n_rounds ? round_json(r, &v->rounds[v->n_rounds - 1]) : json_null(),
		"ranking", last));
}

/* Which of the page's forms was refused (its errors go to it). */
enum sel_form { SEL_FORM_NONE, SEL_FORM_SCORE, SEL_FORM_PUBLISH };

static html_t score_form(struct req *r, const struct selection_view *v,
			 const struct form_errors *fe)
{
	struct field_option *cands = arena_alloc(r->a, sizeof *cands * (size_t)(v->n_members + 1));
	for (int i = 0; i < v->n_members; i++)
		cands[i] = (struct field_option){
			.value = arena_printf(r->a, "%lld", (long long)v->members[i].id),
			.label = v->members[i].name};
	struct field_option *crits = arena_alloc(r->a, sizeof *crits * (size_t)(v->n_criteria + 1));
	int nc = 0;
	for (int i = 0; i < v->n_criteria; i++)
		if (v->criteria[i].round == v->current)
			crits[nc++] = (struct field_option){.value = v->criteria[i].key,
							    .label = v->criteria[i].title};
	struct form_field fs[] = {
		{.name = "candidate", .label = N_("Candidate"), .kind = FIELD_SELECT,
		 .options = cands, .n_options = v->n_members, .options_translated = true},
		{.name = "criterion", .label = N_("Criterion"), .kind = FIELD_SELECT,
		 .options = crits, .n_options = nc, .options_translated = true},
		{.name = "passed", .label = N_("Passed"), .kind = FIELD_CHECKBOX},
		{.name = "points", .label = N_("Points"), .kind = FIELD_NUMBER},
		{.name = "motivation", .label = N_("Motivation"), .kind = FIELD_TEXTAREA},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/selection/scores",
				       (long long)r->proc.id),
		.submit = _("Save score"), .fields = fs,
		.n_fields = sizeof fs / sizeof *fs, .errors = fe};
	return form_html(r, &f);
}

static html_t publish_form(struct req *r, const struct selection_view *v,
			   const struct form_errors *fe)
{
	struct form_field fs[] = {
		{.name = "round", .kind = FIELD_HIDDEN,
		 .value = arena_printf(r->a, "%d", v->current)},
		{.name = "max_admitted", .label = N_("Maximum number of candidates to admit"),
		 .kind = FIELD_NUMBER},
		{.name = "tie_admit",
		 .label = N_("At a tie at the boundary: candidates to admit (numbers, comma-separated)")},
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("I understand that every candidate of the round receives its result at once, with the reasons; the results cannot be changed or withdrawn afterwards.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/selection/publish",
				       (long long)r->proc.id),
		.submit = _("Publish the results to every candidate of the round"),
		.fields = fs, .n_fields = sizeof fs / sizeof *fs, .errors = fe};
	return form_html(r, &f);
}

static const struct field_option criterion_kinds[] = {
	{"pass-fail", N_("pass-fail")},
	{"scored", N_("scored")},
};

/* Posts to page_criterion_add (page_taking_part.c), which answers its
 * refusals itself. */
static html_t criterion_form(struct req *r, const struct selection_view *v)
{
	struct form_field fs[] = {
		{.name = "round", .label = N_("Round"), .kind = FIELD_NUMBER,
		 .value = arena_printf(r->a, "%d", v->current + 1)},
		{.name = "title", .label = N_("Title"), .required = true},
		{.name = "key", .label = N_("Key (optional)"),
		 .help = N_("Left empty, the key is made from the title, e.g. \"kwaliteit\" or \"kwaliteit-2\"."),
		 .placeholder = "kwaliteit"},
		{.name = "description", .label = N_("Description"), .kind = FIELD_TEXTAREA},
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT,
		 .options = criterion_kinds, .n_options = 2, .value = "pass-fail"},
		{.name = "max_points", .label = N_("Maximum points (scored)"),
		 .kind = FIELD_NUMBER},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/selection-criteria",
				       (long long)r->proc.id),
		.submit = _("Add criterion"), .fields = fs,
		.n_fields = sizeof fs / sizeof *fs};
	return form_html(r, &f);
}

/* The selection page; refused, with fe, the form it names. */
static void selection_page(struct req *r, struct resp *w, enum sel_form refused,
			   const struct form_errors *fe)
{
	struct kv_error e = {0};
	struct selection_view v;
	if (app_selection_view(&r->app, r->proc.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		selection_json(r, w, &v);
		return;
	}
	struct tv_selection_page t = {0};
	struct tv_selection_page_rounds *rds = arena_alloc(r->a, sizeof *rds * (size_t)(v.n_rounds + 1));
	for (int k = 0; k < v.n_rounds; k++) {
		struct tv_selection_page_rounds_results *xs =
			arena_alloc(r->a, sizeof *xs * (size_t)(v.n_results[k] + 1));
		for (int i = 0; i < v.n_results[k]; i++) {
			const struct selection_result_rec *x = &v.results[k][i];
			xs[i] = (struct tv_selection_page_rounds_results){
				.rank = x->rank, .candidate = x->candidate_name,
				.points = x->points, .outcome = outcome_text(x->outcome),
				.reason = x->reason};
		}
		rds[k] = (struct tv_selection_page_rounds){
			.heading = arena_printf(r->a, _("Selection round %d"), v.rounds[k].number),
			.published_at = fmt_when(r, v.rounds[k].published_at),
			.max_admitted = v.rounds[k].max_admitted,
			.results = xs, .n_results = v.n_results[k]};
	}
	t.rounds = rds;
	t.n_rounds = v.n_rounds;
	struct tv_selection_page_criteria *cs = arena_alloc(r->a, sizeof *cs * (size_t)(v.n_criteria + 1));
	for (int i = 0; i < v.n_criteria; i++)
		cs[i] = (struct tv_selection_page_criteria){
			.round = arena_printf(r->a, _("Round %d"), v.criteria[i].round),
			.title = v.criteria[i].title,
			.key = v.criteria[i].key,
			.kind = v.criteria[i].kind == SEL_SCORED
				? arena_printf(r->a, _("0 to %d points"), v.criteria[i].max_points)
				: _("pass-fail")};
	t.criteria = cs;
	t.n_criteria = v.n_criteria;
	struct tv_selection_page_scores *ss = arena_alloc(r->a, sizeof *ss * (size_t)(v.n_scores + 1));
	for (int i = 0; i < v.n_scores; i++)
		ss[i] = (struct tv_selection_page_scores){
			.round = arena_printf(r->a, _("Round %d"),
					      app_selection_criterion_round(&v, v.scores[i].criterion_id)),
			.candidate = app_selection_candidate_name(&v, v.scores[i].candidate_id),
			.criterion = v.scores[i].criterion_key,
			.passed = v.scores[i].passed,
			.points = v.scores[i].points,
			.motivation = v.scores[i].motivation};
	t.scores = ss;
	t.n_scores = v.n_scores;
	if (v.scoring_open && (r->roles & (ROLE_BUYER | ROLE_ASSESSOR))) {
		t.score_heading = arena_printf(r->a, _("Round %d: score a candidate"), v.current);
		t.score_form = score_form(r, &v, refused == SEL_FORM_SCORE ? fe : NULL);
	}
	if (v.scoring_open && (r->roles & ROLE_BUYER)) {
		t.publish_heading = arena_printf(r->a, _("Publish selection round %d"), v.current);
		t.publish_form = publish_form(r, &v, refused == SEL_FORM_PUBLISH ? fe : NULL);
	}
	if ((r->roles & ROLE_BUYER) && v.later_rounds)
		t.criterion_form = criterion_form(r, &v);
	/* A refused form the page no longer shows (the round closed
	 * meanwhile) cannot hold its errors: say them on their own. */
	if ((refused == SEL_FORM_SCORE && !t.score_heading) ||
	    (refused == SEL_FORM_PUBLISH && !t.publish_heading)) {
		resp_error(r, w, &fe->items[0]);
		return;
	}
	layout_begin(r, w, _("Selection"));
	procedure_nav(r, w, "selection");
	tmpl_selection_page(&w->body, &t);
	layout_end(r, w);
}

void page_selection(struct req *r, struct resp *w)
{
	selection_page(r, w, SEL_FORM_NONE, NULL);
}

/* A refusal of one of the page's forms: the API's error, or the page
 * again with the form as it was sent and its errors. */
static void refused(struct req *r, struct resp *w, enum sel_form which,
		    const struct form_errors *fe)
{
	if (r->api) {
		resp_error(r, w, &fe->items[0]);
		return;
	}
	w->status = http_status_of(form_errors_status(fe));
	selection_page(r, w, which, fe);
}

void page_selection_score(struct req *r, struct resp *w)
{
	if (!(r->roles & (ROLE_BUYER | ROLE_ASSESSOR))) {
		refusal(r, w, 403, KV_DENIED,
			_("Only the buyer and the assessors score candidates."));
		return;
	}
	struct kv_error e = {0};
	struct form_errors fe = {0};
	struct selection_score sc = {0};
	long long cand = 0, pts = 0;
	if (in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand, "candidate", &e) != KV_OK)
		form_errors_add(&fe, &e);
	const char *p = in_str(r, "points");
	if (!in_blank(p) && in_int(p, 0, SEL_MAX_POINTS, &pts, "points", &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (!fe.n) {
		sc.candidate_id = cand;
		sc.points = (int)pts;
		sc.passed = in_bool(in_str(r, "passed"));
		sc.criterion_key = (char *)in_str(r, "criterion");
		sc.motivation = (char *)in_str(r, "motivation");
		if (app_score_put(&r->app, r->proc.id, &sc, &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (fe.n) {
		refused(r, w, SEL_FORM_SCORE, &fe);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:I, s:s, s:b, s:i, s:s}",
			"candidate", (json_int_t)sc.candidate_id, "criterion",
			sc.criterion_key, "passed", sc.passed, "points",
			sc.points, "motivation", sc.motivation));
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/selection",
					      (long long)r->proc.id), DONE_SCORE_SAVED);
}

/* Whom to admit at a tie: candidate numbers, a JSON list or the form's
 * comma-separated field, at most 64 into ties; anything else is refused,
 * never skipped, for a publication cannot be undone. */
static enum kv_status read_ties(struct req *r, int64_t ties[64], int *nt,
				struct kv_error *e)
{
	const char *bad_tie = _("tie_admit lists candidate numbers (at most 64), "
				"separated by commas.");
	*nt = 0;
	if (r->api) {
		json_t *a = r->json ? json_object_get(r->json, "tie_admit") : NULL;
		size_t i;
		json_t *v;
		if (a && !json_is_null(a) && !json_is_array(a))
			return kv_fail(e, KV_INVALID, "tie_admit", "%s", bad_tie);
		json_array_foreach(a, i, v) {
			if (*nt >= 64 || !json_is_integer(v) || json_integer_value(v) < 1)
				return kv_fail(e, KV_INVALID, "tie_admit", "%s", bad_tie);
			ties[(*nt)++] = json_integer_value(v);
		}
		return KV_OK;
	}
	char *list = arena_strdup(r->a, in_str(r, "tie_admit") ? in_str(r, "tie_admit") : "");
	for (char *save = NULL, *t = strtok_r(list, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save)) {
		long long v = 0;
		if (*nt >= 64 || in_int(t, 1, INT64_MAX, &v, "tie_admit", e) != KV_OK)
			return kv_fail(e, KV_INVALID, "tie_admit", "%s", bad_tie);
		ties[(*nt)++] = v;
	}
	return KV_OK;
}

void page_selection_publish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	long long max = 0, round = 1;
	if (form_confirm_check(r, &e) != KV_OK)
		form_errors_add(&fe, &e);
	const char *rs = in_str(r, "round");
	if (!in_blank(rs) &&
	    in_int(rs, 1, SEL_MAX_ROUNDS, &round, "round", &e) != KV_OK) {
		kv_fail(&e, KV_INVALID, "round",
			_("A selection round is numbered 1 to %d."), SEL_MAX_ROUNDS);
		form_errors_add(&fe, &e);
	}
	if (in_int(in_str(r, "max_admitted"), 1, 10000, &max, "max_admitted",
		   &e) != KV_OK)
		form_errors_add(&fe, &e);
	int64_t ties[64];
	int nt = 0;
	if (read_ties(r, ties, &nt, &e) != KV_OK)
		form_errors_add(&fe, &e);
	struct selection_round rd;
	if (!fe.n && app_selection_publish(&r->app, r->proc.id, (int)round,
					   (int)max, ties, nt, &rd, &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (fe.n) {
		refused(r, w, SEL_FORM_PUBLISH, &fe);
		return;
	}
	if (r->api) {
		struct selection_result_rec *res = NULL;
		int n = 0;
		json_t *jr = json_array();
		if (app_selection_round_results(&r->app, rd.id, &res, &n, &e) == KV_OK)
			for (int i = 0; i < n; i++)
				json_array_append_new(jr, result_json(r, &res[i], &rd));
		resp_json(r, w, 201, json_pack("{s:o, s:o}", "round",
					       round_json(r, &rd), "ranking", jr));
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/selection",
					      (long long)r->proc.id), DONE_SELECTION_PUBLISHED);
}

/* The bidder's own result of every published round it took part in (the
 * last one tells where it stands); nothing before the first publication,
 * never another candidate's. */
void page_selection_result(struct req *r, struct resp *w)
{
	int64_t cand = own_candidate(r);   /* the router checked there is one */
	struct kv_error e = {0};
	struct selection_own own;
	if (app_selection_own(&r->app, r->proc.id, cand, &own, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	int n = own.n;
	if (r->api) {
		json_t *jr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(jr, result_json(r, &own.results[i], own.rounds[i]));
		resp_json(r, w, 200, json_pack("{s:b, s:o, s:o}", "published",
			n > 0, "result",
			n ? result_json(r, &own.results[n - 1], own.rounds[n - 1]) : json_null(),
			"rounds", jr));
		return;
	}
	/* The newest round first. */
	struct tv_selection_result_rounds *rds = arena_alloc(r->a, sizeof *rds * (size_t)(n + 1));
	for (int i = n - 1, k = 0; i >= 0; i--, k++)
		rds[k] = (struct tv_selection_result_rounds){
			.heading = arena_printf(r->a, _("Selection round %d"), own.rounds[i]->number),
			.published_at = fmt_when(r, own.rounds[i]->published_at),
			.outcome = outcome_text(own.results[i].outcome),
			.reason = own.results[i].reason};
	struct tv_selection_result v = {.rounds = rds, .n_rounds = n};
	layout_begin(r, w, _("Selection result"));
	procedure_nav(r, w, "selection");
	tmpl_selection_result(&w->body, &v);
	layout_end(r, w);
}
