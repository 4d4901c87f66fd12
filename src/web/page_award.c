/*
 * page_award.c - evaluation and award of a lot: the rules as announced
 * (everyone on the procedure reads them; the buyer sets them), the
 * scoring page of the assessors and the buyer (blind: see
 * app/award_actions.c), the consensus, exclusions and final quality, the
 * price envelope (a bidder puts its price in; two buyers open them), the
 * ranking with its robustness, the award decision, the letters (each
 * bidder reads its own), the award file, the scoring matrix, objections
 * and the definitive award.  Pages and /api/v1 share these handlers.
 */
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/libmem.h"
#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "report/report.h"
#include "view.h"

/* ---- shared ---------------------------------------------------------------- */

static const struct lot *this_lot(struct req *r)
{
	for (int i = 0; i < r->proc.n_lots; i++)
		if (r->proc.lots[i].id == r->ids[1])
			return &r->proc.lots[i];
	return NULL;
}

static void refuse(struct req *r, struct resp *w, enum kv_status st,
		   const char *field, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, field, "%s", msg);
	resp_error(r, w, &e);
}

/* An assessor who is not also a buyer or council member sees only the
 * lots assigned to them: true when r may see this lot's evaluation
 * (else 404 answered). */
static bool lot_visible(struct req *r, struct resp *w)
{
	if (r->roles & (ROLE_BUYER | ROLE_COUNCIL) || !(r->roles & ROLE_ASSESSOR))
		return true;
	struct award_view v;
	struct kv_error e = {0};
	enum kv_status rc = app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, &e);
	if (rc == KV_NOT_FOUND) {
		resp_error(r, w, &e);
		return false;
	}
	return true;   /* other refusals are the handler's to give */
}

static bool assessing_role(struct req *r, struct resp *w)
{
	if (r->roles & (ROLE_BUYER | ROLE_ASSESSOR))
		return true;
	refuse(r, w, KV_DENIED, "",
	       _("Only the buyer and the assessors take part in the "
		 "evaluation."));
	w->status = 403;
	return false;
}

/* After a form's action: back to the lot's scoring page; the API gets
 * {"ok": true} (or what the caller passes). */
static void done(struct req *r, struct resp *w, const char *page, json_t *j)
{
	if (r->api) {
		resp_json(r, w, 200, j ? j : json_pack("{s:b}", "ok", 1));
		return;
	}
	json_decref(j);
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/lots/%lld/award/%s",
					 (long long)r->proc.id,
					 (long long)r->ids[1], page));
}

static const char *pct_ppm(struct req *r, int64_t ppm)
{
	/* ppm of full marks as a percentage with two decimals */
	int64_t h = (ppm + 50) / 100;   /* hundredths of a percent */
	return arena_printf(r->a, "%lld.%02lld %%", (long long)(h / 100),
			    (long long)(h % 100));
}

/* Basis points as "12.50" (html_f has no %02d). */
static const char *bp_text(struct req *r, int bp)
{
	return arena_printf(r->a, "%d.%02d", bp / 100, bp % 100);
}

static const char *status_code(enum award_decision_status s)
{
	return s == AWARD_DEFINITIVE ? "definitive"
	       : s == AWARD_SUPERSEDED ? "superseded" : "provisional";
}

/* The method's figure of a result as a sentence part. */
static const char *result_text(struct req *r, const struct award_rules *ru,
			       bool valid, int64_t quality, int64_t total,
			       int64_t fictive, int64_t ratio)
{
	if (!valid)
		return _("invalid");
	switch (ru->lot.method.kind) {
	case AWARD_WEIGHTED:
		return arena_printf(r->a, _("total score %s"),
				    pct_ppm(r, total));
	case AWARD_QUALITY_ONLY:
		return arena_printf(r->a, _("quality score %s"),
				    pct_ppm(r, quality));
	case AWARD_FICTIVE_PRICE:
		return arena_printf(r->a, _("fictive price %s"),
				    fmt_eur(r, fictive));
	case AWARD_PRICE_QUALITY_RATIO:
		return arena_printf(r->a, _("price per full quality score %s"),
				    fmt_eur(r, ratio));
	case AWARD_LOWEST_PRICE:
		break;
	}
	return _("lowest price");
}

/* ---- the rules -------------------------------------------------------------- */

static void criteria_table(struct req *r, sbuf *b, const struct award_rules *ru)
{
	html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Criterion"), _("Key"), _("Weight within its parent"), _("Scale"));
	for (int i = 0; i < ru->lot.n_criteria; i++) {
		const struct award_criterion *c = &ru->criteria[i];
		int depth = 0;
		for (int p = c->parent; p >= 0 && depth < 8; p = ru->criteria[p].parent)
			depth++;
		sbuf scale;
		sbuf_init(&scale, r->a, 8000);
		for (int s = 0; s < c->scale.n_steps; s++)
			html_f(&scale, "%s<br>", app_award_step_label(r->a, ru, i, s));
		html_f(b, "<tr><td class=\"depth-%d\">%s%s%s</td><td><code>%s</code></td><td>%s %%</td><td>%R</td></tr>",
		       depth > 4 ? 4 : depth, c->name, c->knock_out ? " — " : "",
		       c->knock_out ? _("knock-out: the lowest step excludes the bid") : "",
		       ru->keys[i], bp_text(r, c->weight_bp),
		       sbuf_str(&scale));
	}
	html_f(b, "</tbody></table>");
}

void page_award_rules(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	const struct lot *lot = this_lot(r);
	if (!lot) {
		refuse(r, w, KV_NOT_FOUND, "lot", _("This procedure has no such lot."));
		return;
	}
	struct award_setup_rec s;
	struct award_rules ru;
	bool have = STORE(r->st, award_setup_get, r->proc.id, lot->id, r->a,
			  &s, &e) == KV_OK &&
		    app_award_rules_parse_text(r->a, s.rules, &ru, &e) == KV_OK;
	if (r->api) {
		json_t *j = json_pack("{s:I, s:i}", "lot", (json_int_t)lot->id,
				      "number", lot->number);
		if (have) {
			json_object_set_new(j, "rules", app_award_rules_json(&ru));
			json_object_set_new(j, "method", json_string(award_method_label(ru.lot.method.kind)));
			json_object_set_new(j, "formula", json_string(award_method_formula(r->a, &ru.lot.method)));
			json_object_set_new(j, "tie_rule", json_string(award_tie_rule_label(ru.lot.tie_rule)));
			json_object_set_new(j, "quality_final_at", json_instant(r->a, s.quality_final_at));
		} else {
			json_object_set_new(j, "rules", json_null());
		}
		resp_json(r, w, 200, j);
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Award rules"));
	procedure_nav(r, w, "award");
	html_f(b, "<h2>%s %d: %s</h2>", _("Award rules of lot"), lot->number, lot->title);
	if (have) {
		html_f(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
		       _("Method"), award_method_label(ru.lot.method.kind),
		       _("Formula"), award_method_formula(r->a, &ru.lot.method),
		       _("Tie rule"), award_tie_rule_label(ru.lot.tie_rule),
		       _("Price envelope"),
		       ru.price_after_quality ? _("stays sealed until the quality scores are final")
					      : _("opened after the bids"));
		if (ru.averaging)
			html_f(b, "<p>%s</p>", _("Announced: the consensus is the average of the assessors' scores, rounded to the nearest step of the scale."));
		criteria_table(r, b, &ru);
	} else {
		html_f(b, "<p>%s</p>", _("This lot has no award rules yet."));
	}
	if (r->roles & ROLE_BUYER) {
		const char *text = "";
		if (have) {
			json_t *j = app_award_rules_json(&ru);
			const char *dump = libmem_json_text(r->a, j, JSON_INDENT(2) | JSON_PRESERVE_ORDER,
							    1 << 20);
			text = dump ? dump : "";
			json_decref(j);
		}
		html_f(b, "<h3>%s</h3><p>%s</p><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/rules\" class=\"form\">%R"
			  "<label for=\"rules\">%s</label><textarea id=\"rules\" name=\"rules\" rows=\"24\" class=\"mono\">%s</textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       _("Set the award rules"),
		       _("The rules as the tender documents announce them, as a JSON document (see docs/api.md, \"Award rules\"): method, price scoring, weights in basis points (10000 = 100 %), the criteria with their scales and the tie rule. They cannot change after the tender deadline."),
		       (long long)r->proc.id, (long long)lot->id, csrf_input(r),
		       _("Rules (JSON)"), refill(r, "rules", text), _("Save the rules"));
	}
	layout_end(r, w);
}

void page_award_rules_put(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	json_t *j = NULL;
	enum kv_status rc;
	if (r->api) {
		j = r->json ? json_incref(r->json) : NULL;
		rc = j ? KV_OK : kv_fail(&e, KV_INVALID, "rules", _("Send the rules as a JSON object."));
	} else {
		json_error_t je;
		const char *t = in_str(r, "rules");
		j = json_loads(t ? t : "", JSON_REJECT_DUPLICATES, &je);
		rc = j ? KV_OK
		       : kv_fail(&e, KV_INVALID, "rules",
				 _("The award rules are not valid JSON (line %d, column %d): %s"),
				 je.line, je.column, je.text);
	}
	if (rc == KV_OK)
		rc = app_award_rules_put(&r->app, r->proc.id, r->ids[1], j, &e);
	json_decref(j);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "rules", NULL);
}

/* ---- scoring -------------------------------------------------------------- */

static const char *score_of(const struct award_score_rec *s, int n,
			    int64_t cand, const char *key, int *step)
{
	for (int i = 0; i < n; i++)
		if (s[i].candidate_id == cand && strcmp(s[i].criterion_key, key) == 0) {
			*step = s[i].step;
			return s[i].motivation;
		}
	*step = -1;
	return NULL;
}

static json_t *scores_json(struct req *r, const struct award_score_rec *s, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:s, s:i, s:s, s:o}",
			"candidate", (json_int_t)s[i].candidate_id, "criterion",
			s[i].criterion_key, "account", (json_int_t)s[i].account_id,
			"by", s[i].account_name ? s[i].account_name : "",
			"step", s[i].step, "motivation", s[i].motivation,
			"at", json_instant(r->a, s[i].at)));
	return a;
}

static void step_select(struct req *r, sbuf *b, const struct award_rules *ru,
			int i, int current)
{
	html_f(b, "<select name=\"step\">");
	for (int s = 0; s < ru->criteria[i].scale.n_steps; s++)
		html_f(b, "<option value=\"%d\"%R>%s</option>", s,
		       s == current ? " selected" : "",
		       app_award_step_label(r->a, ru, i, s));
	html_f(b, "</select>");
}

static void scoring_api(struct req *r, struct resp *w, const struct award_view *v)
{
	json_t *bids = json_array(), *as = json_array(), *cards = json_array();
	for (int i = 0; i < v->n_bidders; i++) {
		const struct award_bidder *b = &v->bidders[i];
		json_t *o = json_pack("{s:I, s:s, s:b}", "candidate",
				      (json_int_t)b->candidate_id, "name", b->name,
				      "excluded", b->excluded);
		if (b->exclusion)
			json_object_set_new(o, "exclusion", json_string(b->exclusion));
		if (b->has_price)
			json_object_set_new(o, "price_cents", json_integer(b->price_cents));
		json_array_append_new(bids, o);
	}
	for (int i = 0; i < v->n_assignments; i++)
		json_array_append_new(as, json_pack("{s:I, s:s, s:s}", "account",
			(json_int_t)v->assignments[i].account_id, "email",
			v->assignments[i].email, "criterion",
			v->assignments[i].criterion_key));
	for (int i = 0; i < v->n_cards; i++)
		json_array_append_new(cards, json_pack("{s:I, s:o}", "account",
			(json_int_t)v->cards[i].account_id, "handed_in_at",
			json_instant(r->a, v->cards[i].submitted_at)));
	json_t *mine = json_array();
	for (int i = 0; i < v->rules.lot.n_criteria; i++)
		if (v->mine[i] && v->rules.criteria[i].scale.n_steps)
			json_array_append_new(mine, json_string(v->rules.keys[i]));
	json_t *decs = json_array();
	for (int i = 0; i < v->n_decisions; i++)
		json_array_append_new(decs, json_pack("{s:I, s:i, s:s, s:I, s:o, s:o}",
			"id", (json_int_t)v->decisions[i].id, "number",
			v->decisions[i].number, "status",
			status_code(v->decisions[i].status), "winner",
			(json_int_t)v->decisions[i].winner_candidate, "sent_at",
			json_instant(r->a, v->decisions[i].sent_at), "standstill_end",
			json_instant(r->a, v->decisions[i].standstill_end)));
	resp_json(r, w, 200, json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o}",
		"rules", app_award_rules_json(&v->rules), "bids", bids,
		"assignments", as, "handed_in", cards, "my_criteria", mine,
		"vault_open", v->vault_open, "prices_open", v->prices_open,
		"all_handed_in", v->all_handed_in, "i_handed_in", v->handed_in,
		"own_scores", scores_json(r, v->own, v->n_own),
		"individual_scores", v->all_handed_in
			? scores_json(r, v->individual, v->n_individual) : json_null(),
		"consensus", scores_json(r, v->consensus, v->n_consensus),
		"quality_final_at", json_instant(r->a, v->setup.quality_final_at),
		"decisions", decs));
}

void page_award_scoring(struct req *r, struct resp *w)
{
	if (!assessing_role(r, w))
		return;
	struct kv_error e = {0};
	struct award_view v;
	if (app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		scoring_api(r, w, &v);
		return;
	}
	const struct lot *lot = this_lot(r);
	const struct award_rules *ru = &v.rules;
	bool buyer = r->roles & ROLE_BUYER;
	long long pid = (long long)r->proc.id, lid = (long long)r->ids[1];
	sbuf *b = &w->body;
	layout_begin(r, w, _("Evaluation"));
	procedure_nav(r, w, "award");
	html_f(b, "<h2>%s %d: %s</h2><p><a href=\"/procedures/%lld/lots/%lld/award/rules\">%s</a>",
	       _("Evaluation of lot"), lot ? lot->number : 0, lot ? lot->title : "",
	       pid, lid, _("Award rules as announced"));
	if (v.setup.quality_final_at)
		html_f(b, " · <a href=\"/procedures/%lld/lots/%lld/award/ranking\">%s</a>", pid, lid, _("Ranking"));
	html_f(b, "</p>");
	if (v.setup.quality_final_at)
		html_f(b, "<p class=\"notice\">%s %s</p>", _("The quality scores are final since"),
		       fmt_when(r, v.setup.quality_final_at));
	if (!v.vault_open)
		html_f(b, "<p class=\"notice\">%s</p>", _("The bids are scored after the vault's opening."));

	/* The bids. */
	html_f(b, "<h3>%s</h3><ul>", _("Bids"));
	for (int i = 0; i < v.n_bidders; i++)
		html_f(b, "<li>%s%s%s</li>", v.bidders[i].name,
		       v.bidders[i].excluded ? " — " : "",
		       v.bidders[i].excluded ? v.bidders[i].exclusion : "");
	html_f(b, "</ul>");

	/* My own scores, blind to the others'. */
	bool any_mine = false;
	for (int i = 0; i < ru->lot.n_criteria; i++)
		any_mine = any_mine || (v.mine[i] && ru->criteria[i].scale.n_steps);
	if (any_mine) {
		html_f(b, "<h3>%s</h3><p>%s</p>", _("Your scores"),
		       _("You score alone: the other assessors' scores stay hidden until everyone has handed in."));
		for (int k = 0; k < v.n_bidders; k++) {
			const struct award_bidder *bd = &v.bidders[k];
			if (bd->excluded)
				continue;
			html_f(b, "<h4>%s</h4>", bd->name);
			for (int i = 0; i < ru->lot.n_criteria; i++) {
				if (!v.mine[i] || !ru->criteria[i].scale.n_steps)
					continue;
				int step;
				const char *mot = score_of(v.own, v.n_own, bd->candidate_id, ru->keys[i], &step);
				if (v.handed_in || v.setup.quality_final_at) {
					html_f(b, "<p><strong>%s</strong>: %s — %s</p>", ru->criteria[i].name,
					       app_award_step_label(r->a, ru, i, step), mot ? mot : "");
					continue;
				}
				html_f(b, "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/scores\" class=\"form score\">%R"
					  "<input type=\"hidden\" name=\"candidate\" value=\"%lld\"><input type=\"hidden\" name=\"criterion\" value=\"%s\">"
					  "<label>%s</label>",
				       pid, lid, csrf_input(r), (long long)bd->candidate_id, ru->keys[i], ru->criteria[i].name);
				step_select(r, b, ru, i, step);
				html_f(b, "<label>%s</label><textarea name=\"motivation\" required>%s</textarea>"
					  "<button type=\"submit\">%s</button></form>",
				       _("Motivation"), mot ? mot : "", _("Save score"));
			}
		}
		if (!v.handed_in && !v.setup.quality_final_at)
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/hand-in\">%R<button type=\"submit\">%s</button></form>",
			       pid, lid, csrf_input(r), _("Hand in my scores (no change after)"));
		else if (v.handed_in)
			html_f(b, "<p>%s</p>", _("You have handed in your scores."));
	}

	/* Progress, and the consensus session once all have handed in. */
	html_f(b, "<h3>%s</h3><ul>", _("Assessors"));
	for (int i = 0; i < v.n_assignments; i++) {
		bool in = false;
		for (int k = 0; k < v.n_cards; k++)
			in = in || v.cards[k].account_id == v.assignments[i].account_id;
		html_f(b, "<li>%s (%s): %s</li>", v.assignments[i].name,
		       v.assignments[i].criterion_key,
		       in ? _("handed in") : _("scoring"));
	}
	html_f(b, "</ul>");
	if (v.all_handed_in) {
		html_f(b, "<h3>%s</h3><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Consensus session"), _("Bid"), _("Criterion"),
		       _("Individual scores"), _("Consensus"));
		for (int k = 0; k < v.n_bidders; k++) {
			const struct award_bidder *bd = &v.bidders[k];
			if (bd->excluded)
				continue;
			for (int i = 0; i < ru->lot.n_criteria; i++) {
				if (!ru->criteria[i].scale.n_steps)
					continue;
				sbuf ind;
				sbuf_init(&ind, r->a, 64000);
				for (int s = 0; s < v.n_individual; s++)
					if (v.individual[s].candidate_id == bd->candidate_id &&
					    strcmp(v.individual[s].criterion_key, ru->keys[i]) == 0)
						html_f(&ind, "<p>%s: %s — %s</p>", v.individual[s].account_name,
						       app_award_step_label(r->a, ru, i, v.individual[s].step),
						       v.individual[s].motivation);
				int step;
				const char *mot = score_of(v.consensus, v.n_consensus, bd->candidate_id, ru->keys[i], &step);
				html_f(b, "<tr><td>%s</td><td>%s</td><td>%R</td><td>", bd->name,
				       ru->criteria[i].name, sbuf_str(&ind));
				if (buyer && !v.setup.quality_final_at) {
					html_f(b, "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/consensus\" class=\"form score\">%R"
						  "<input type=\"hidden\" name=\"candidate\" value=\"%lld\"><input type=\"hidden\" name=\"criterion\" value=\"%s\">",
					       pid, lid, csrf_input(r), (long long)bd->candidate_id, ru->keys[i]);
					step_select(r, b, ru, i, step);
					html_f(b, "<textarea name=\"motivation\" required>%s</textarea><button type=\"submit\">%s</button></form>",
					       mot ? mot : "", _("Record consensus"));
				} else if (mot) {
					html_f(b, "%s — %s", app_award_step_label(r->a, ru, i, step), mot);
				}
				html_f(b, "</td></tr>");
			}
		}
		html_f(b, "</tbody></table>");
	}
	if (buyer && !v.setup.quality_final_at) {
		if (ru->averaging && v.all_handed_in)
			html_f(b, "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/average\">%R<button type=\"submit\">%s</button></form>",
			       pid, lid, csrf_input(r), _("Fill the consensus with the announced average"));
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/assign\" class=\"form\">%R"
			  "<label for=\"assessor\">%s</label><input id=\"assessor\" name=\"assessor\" type=\"email\">"
			  "<label for=\"criteria\">%s</label><input id=\"criteria\" name=\"criteria\" value=\"*\">"
			  "<button type=\"submit\">%s</button></form>",
		       _("Assign an assessor"), pid, lid, csrf_input(r),
		       _("Assessor's e-mail address"),
		       _("Criteria: * for all, or top-level keys separated by commas"),
		       _("Assign"));
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/exclusions\" class=\"form\">%R"
			  "<label for=\"xcandidate\">%s</label><select id=\"xcandidate\" name=\"candidate\">",
		       _("Exclude a bid"), pid, lid, csrf_input(r), _("Bid"));
		for (int k = 0; k < v.n_bidders; k++)
			html_f(b, "<option value=\"%lld\">%s</option>", (long long)v.bidders[k].candidate_id, v.bidders[k].name);
		html_f(b, "</select><label for=\"reason\">%s</label><textarea id=\"reason\" name=\"reason\"></textarea>"
			  "<button type=\"submit\">%s</button></form>"
			  "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/final\">%R<button type=\"submit\">%s</button></form>",
		       _("Reason (empty: take the exclusion back)"), _("Save"),
		       pid, lid, csrf_input(r), _("Make the quality scores final"));
	}
	layout_end(r, w);
}

static enum kv_status score_input(struct req *r, long long *cand, int *step,
				  struct kv_error *e)
{
	long long s = 0;
	enum kv_status rc = in_int(in_str(r, "candidate"), 1, INT64_MAX, cand,
				   "candidate", e);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "step"), 0, AWARD_MAX_STEPS - 1, &s, "step", e);
	*step = (int)s;
	return rc;
}

static void score_post(struct req *r, struct resp *w, bool consensus)
{
	if (!consensus && !assessing_role(r, w))
		return;
	struct kv_error e = {0};
	long long cand = 0;
	int step = 0;
	enum kv_status rc = score_input(r, &cand, &step, &e);
	if (rc == KV_OK)
		rc = (consensus ? app_award_consensus : app_award_score)(
			&r->app, r->proc.id, r->ids[1], cand,
			in_str(r, "criterion"), step, in_str(r, "motivation"), &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_score(struct req *r, struct resp *w)
{
	score_post(r, w, false);
}

void page_award_consensus(struct req *r, struct resp *w)
{
	score_post(r, w, true);
}

void page_award_hand_in(struct req *r, struct resp *w)
{
	if (!assessing_role(r, w))
		return;
	struct kv_error e = {0};
	if (app_award_hand_in(&r->app, r->proc.id, r->ids[1], &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_average(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (app_award_consensus_average(&r->app, r->proc.id, r->ids[1], &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_final(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (app_award_quality_final(&r->app, r->proc.id, r->ids[1], &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_assign(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct account acc;
	const char *email = in_str(r, "assessor");
	enum kv_status rc = KV_OK;
	if (in_blank(email) ||
	    STORE(r->st, account_by_email, email, r->a, &acc, &e) != KV_OK)
		rc = kv_fail(&e, KV_INVALID, "assessor",
			     _("Give the e-mail address of an assessor of this procedure."));
	/* The keys: a JSON list, or a comma-separated form field. */
	const char **keys = arena_alloc(r->a, (AWARD_MAX_CRITERIA + 1) * sizeof *keys);
	int n = 0;
	if (rc == KV_OK && r->api) {
		json_t *ks = r->json ? json_object_get(r->json, "criteria") : NULL;
		size_t i;
		json_t *k;
		if (!json_is_array(ks))
			rc = kv_fail(&e, KV_INVALID, "criteria",
				     _("criteria must be a list of keys, or [\"*\"]."));
		json_array_foreach(ks, i, k) {
			if (rc != KV_OK || n >= AWARD_MAX_CRITERIA)
				break;
			if (!json_is_string(k))
				rc = kv_fail(&e, KV_INVALID, "criteria",
					     _("criteria must be a list of keys, or [\"*\"]."));
			else
				keys[n++] = json_string_value(k);
		}
	} else if (rc == KV_OK) {
		char *list = arena_strdup(r->a, in_str(r, "criteria") ? in_str(r, "criteria") : "");
		for (char *save = NULL, *t = strtok_r(list, ", ", &save);
		     t && n < AWARD_MAX_CRITERIA; t = strtok_r(NULL, ", ", &save))
			keys[n++] = t;
	}
	if (rc == KV_OK)
		rc = app_award_assign(&r->app, r->proc.id, r->ids[1], acc.id,
				      keys, n, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_exclude(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long cand = 0;
	enum kv_status rc = in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand,
				   "candidate", &e);
	const char *reason = in_str(r, "reason");
	if (rc == KV_OK)
		rc = app_award_exclude(&r->app, r->proc.id, r->ids[1], cand,
				       in_blank(reason) ? NULL : reason, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_assessor_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (app_assessor_add(&r->app, r->proc.id, in_str(r, "email"), &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, json_pack("{s:s, s:s}", "email", in_str(r, "email"),
					       "role", "assessor"));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/award", (long long)r->proc.id));
}

/* ---- the price envelope ------------------------------------------------------ */

void page_price_submit(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int64_t cand = own_candidate(r), cents = 0;
	struct submission sub;
	enum kv_status rc = cand ? KV_OK
				 : kv_fail(&e, KV_DENIED, "",
					   _("Your account bids for no candidate in this procedure."));
	if (rc == KV_OK)
		rc = eur_parse(in_str(r, "price"), &cents, "price", &e);
	if (rc == KV_OK)
		rc = app_price_submit(&r->app, r->proc.id, r->ids[1], cand, cents,
				      server_vault_dir(r->srv), &sub, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		char hx[65], rx[65];
		sodium_bin2hex(hx, sizeof hx, sub.sha256, 32);
		sodium_bin2hex(rx, sizeof rx, sub.receipt, 32);
		resp_json(r, w, 201, json_pack("{s:I, s:i, s:s, s:o, s:s, s:s}",
			"submission", (json_int_t)sub.id, "lot", sub.lot_number,
			"envelope", "price", "received_at",
			json_instant(r->a, sub.received_at), "sha256", hx,
			"receipt", rx));
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/submissions/%lld/receipt",
					 (long long)r->proc.id, (long long)sub.id));
}

void page_price_open(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct vault_opening o;
	char *pa = (char *)in_str(r, "passphrase_a");
	char *pb = (char *)in_str(r, "passphrase_b");
	if (app_price_open(&r->app, r->proc.id, server_vault_dir(r->srv),
			   in_str(r, "email_a"), pa, in_str(r, "email_b"), pb,
			   &o, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (!r->api) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/award", (long long)r->proc.id));
		return;
	}
	json_t *subs = json_array();
	for (int i = 0; i < o.n; i++)
		if (o.subs[i].envelope == ENVELOPE_PRICE && !o.subs[i].withdrawn_at)
			json_array_append_new(subs, json_pack("{s:I, s:i, s:I, s:b}",
				"submission", (json_int_t)o.subs[i].id, "lot",
				o.subs[i].lot_number, "candidate",
				(json_int_t)o.subs[i].candidate_id, "verified",
				o.verified[i]));
	resp_json(r, w, 200, json_pack("{s:o, s:[I, I], s:o}", "opened_at",
		json_instant(r->a, o.opened_at), "opened_by", (json_int_t)o.by_1,
		(json_int_t)o.by_2, "prices", subs));
}

/* ---- ranking and robustness ----------------------------------------------------- */

static const char *bidder_name(const struct award_evaluation *ev, int b)
{
	return b >= 0 && b < ev->n ? ev->bidders[b].name : "";
}

static const char *mc_sentence(struct req *r, const struct award_mc *mc)
{
	return arena_printf(r->a,
		_("When every consensus score moves one step up or down with a chance of %d %%, the winner stays the winner in %s of %lld scenarios (95 %% interval %s to %s)."),
		mc->p_bp / 100, pct_ppm(r, (int64_t)(mc->probability * 1e6 + 0.5)),
		(long long)mc->scenarios, pct_ppm(r, (int64_t)(mc->ci_low * 1e6 + 0.5)),
		pct_ppm(r, (int64_t)(mc->ci_high * 1e6 + 0.5)));
}

static const char *sens_sentence(struct req *r, int bp, const char *who, bool up)
{
	if (bp < 0)
		return up ? _("no increase changes the winner")
			  : _("no decrease changes the winner");
	return arena_printf(r->a, up ? _("+%d.%02d points: %s wins")
				     : _("-%d.%02d points: %s wins"),
			    bp / 100, bp % 100, *who ? who : _("a tie for the buyer"));
}

static const char *reversal_sentence(struct req *r, const char *removed,
				     bool order_changed, bool winner_changed,
				     const char *new_winner)
{
	if (winner_changed)
		return arena_printf(r->a, _("Without %s's bid, %s would win."),
				    removed, *new_winner ? new_winner : _("a tie for the buyer"));
	if (order_changed)
		return arena_printf(r->a, _("Without %s's bid, the order of the others changes (rank reversal); the winner stays."), removed);
	return arena_printf(r->a, _("Without %s's bid, nothing changes."), removed);
}

void page_award_ranking(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_evaluation ev;
	if (!lot_visible(r, w))
		return;
	if (app_award_evaluate(&r->app, r->proc.id, r->ids[1], &ev, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct award_ranking *rk = &ev.ranking;
	if (r->api) {
		json_t *bids = json_array();
		for (int k = 0; k < rk->n; k++) {
			int b = rk->order[k];
			const struct award_result *x = &rk->results[b];
			json_t *o = json_pack("{s:I, s:s, s:b, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
				"candidate", (json_int_t)ev.bidders[b].candidate_id,
				"name", ev.bidders[b].name, "valid", x->valid,
				"rank", x->rank, "price_cents", (json_int_t)ev.bids[b].price_cents,
				"quality_ppm", (json_int_t)x->quality_ppm,
				"price_ppm", (json_int_t)x->price_ppm,
				"total_ppm", (json_int_t)x->total_ppm,
				"fictive_cents", (json_int_t)x->fictive_cents,
				"ratio_cents", (json_int_t)x->ratio_cents,
				"put_to_buyer", x->put_to_buyer);
			if (x->invalid_reason)
				json_object_set_new(o, "invalid_reason", json_string(x->invalid_reason));
			json_array_append_new(bids, o);
		}
		json_t *sens = json_array(), *rev = json_array();
		for (int i = 0; i < ev.n_sensitivity; i++)
			json_array_append_new(sens, json_pack("{s:s, s:i, s:i, s:s, s:i, s:s}",
				"name", ev.sensitivity[i].name, "weight_bp", ev.sensitivity[i].weight_bp,
				"up_bp", ev.sensitivity[i].up_bp, "up_winner",
				bidder_name(&ev, ev.sensitivity[i].up_winner),
				"down_bp", ev.sensitivity[i].down_bp, "down_winner",
				bidder_name(&ev, ev.sensitivity[i].down_winner)));
		for (int i = 0; i < ev.n_reversal; i++)
			json_array_append_new(rev, json_pack("{s:s, s:b, s:b, s:s}",
				"removed", bidder_name(&ev, ev.reversal[i].removed),
				"order_changed", ev.reversal[i].order_changed,
				"winner_changed", ev.reversal[i].winner_changed,
				"new_winner", bidder_name(&ev, ev.reversal[i].new_winner)));
		json_t *j = json_pack("{s:o, s:s, s:o, s:o}", "bids", bids, "formula",
				      award_method_formula(r->a, &ev.rules.lot.method),
				      "sensitivity", sens, "reversal", rev);
		json_object_set_new(j, "winner", rk->winner >= 0
			? json_integer(ev.bidders[rk->winner].candidate_id) : json_null());
		if (ev.has_mc)
			json_object_set_new(j, "monte_carlo", json_pack("{s:I, s:i, s:I, s:I, s:f, s:f, s:f}",
				"seed", (json_int_t)ev.mc.seed, "p_bp", ev.mc.p_bp,
				"scenarios", (json_int_t)ev.mc.scenarios, "stays",
				(json_int_t)ev.mc.stays, "probability", ev.mc.probability,
				"ci_low", ev.mc.ci_low, "ci_high", ev.mc.ci_high));
		resp_json(r, w, 200, j);
		return;
	}
	const struct lot *lot = this_lot(r);
	long long pid = (long long)r->proc.id, lid = (long long)r->ids[1];
	sbuf *b = &w->body;
	layout_begin(r, w, _("Ranking"));
	procedure_nav(r, w, "award");
	html_f(b, "<h2>%s %d: %s</h2><p>%s</p><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Ranking of lot"), lot ? lot->number : 0, lot ? lot->title : "",
	       award_method_formula(r->a, &ev.rules.lot.method),
	       _("Rank"), _("Bid"), _("Price"), _("Result"));
	for (int k = 0; k < rk->n; k++) {
		int i = rk->order[k];
		const struct award_result *x = &rk->results[i];
		html_f(b, "<tr><td>%d%s</td><td>%s</td><td>%s</td><td>%s%s%s</td></tr>",
		       x->rank, x->put_to_buyer ? " *" : "", ev.bidders[i].name,
		       ev.bidders[i].has_price ? fmt_eur(r, ev.bidders[i].price_cents) : "—",
		       result_text(r, &ev.rules, x->valid, x->quality_ppm, x->total_ppm,
				   x->fictive_cents, x->ratio_cents),
		       x->invalid_reason ? ": " : "", x->invalid_reason ? x->invalid_reason : "");
	}
	html_f(b, "</tbody></table>");
	if (rk->winner < 0 && rk->n_valid > 0)
		html_f(b, "<p class=\"notice\">%s</p>", _("* The first place is tied and the announced rule cannot decide: the buyer names the winner the drawing of lots chose."));
	html_f(b, "<h3>%s</h3>", _("Robustness"));
	if (ev.n_sensitivity) {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Weight"), _("Now"), _("Up"), _("Down"));
		for (int i = 0; i < ev.n_sensitivity; i++) {
			const struct award_sensitivity *s = &ev.sensitivity[i];
			html_f(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>",
			       s->name, bp_text(r, s->weight_bp),
			       sens_sentence(r, s->up_bp, bidder_name(&ev, s->up_winner), true),
			       sens_sentence(r, s->down_bp, bidder_name(&ev, s->down_winner), false));
		}
		html_f(b, "</tbody></table>");
	}
	html_f(b, "<ul>");
	for (int i = 0; i < ev.n_reversal; i++)
		html_f(b, "<li>%s</li>", reversal_sentence(r, bidder_name(&ev, ev.reversal[i].removed),
			ev.reversal[i].order_changed, ev.reversal[i].winner_changed,
			bidder_name(&ev, ev.reversal[i].new_winner)));
	if (ev.has_mc)
		html_f(b, "<li>%s</li>", mc_sentence(r, &ev.mc));
	html_f(b, "</ul>");
	if (r->roles & ROLE_BUYER) {
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/decision\" class=\"form\">%R",
		       _("Send the award decision"), pid, lid, csrf_input(r));
		if (rk->winner < 0 && rk->n_valid > 0) {
			html_f(b, "<label for=\"tie_winner\">%s</label><select id=\"tie_winner\" name=\"tie_winner\">", _("Winner by drawing of lots"));
			for (int i = 0; i < ev.n; i++)
				if (rk->results[i].put_to_buyer)
					html_f(b, "<option value=\"%lld\">%s</option>", (long long)ev.bidders[i].candidate_id, ev.bidders[i].name);
			html_f(b, "</select>");
		}
		html_f(b, "<label for=\"winner_summary\">%s</label><textarea id=\"winner_summary\" name=\"winner_summary\" required></textarea>"
			  "<label for=\"objection\">%s</label><textarea id=\"objection\" name=\"objection\" required>%s</textarea>"
			  "<label for=\"corrected_reason\">%s</label><textarea id=\"corrected_reason\" name=\"corrected_reason\"></textarea>"
			  "<button type=\"submit\">%s</button></form>",
		       _("The winning bid's characteristics and relative advantages"),
		       _("How to object"),
		       _("A bidder who disagrees with this decision can start summary proceedings (kort geding) before the end of the standstill period; after it the municipality may conclude the contract."),
		       _("Only for a corrected decision: the reason for the correction"),
		       _("Send the decision to every bidder at once"));
	}
	layout_end(r, w);
}

void page_award_decide(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long tie = 0;
	const char *t = in_str(r, "tie_winner");
	enum kv_status rc = in_blank(t) ? KV_OK
					: in_int(t, 1, INT64_MAX, &tie, "tie_winner", &e);
	struct award_decision_rec d;
	if (rc == KV_OK)
		rc = app_award_decide(&r->app, r->proc.id, r->ids[1], tie,
				      in_str(r, "winner_summary"), in_str(r, "objection"),
				      in_str(r, "corrected_reason"), &d, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, json_pack("{s:I, s:i, s:I, s:o, s:o, s:s}",
			"id", (json_int_t)d.id, "number", d.number, "winner",
			(json_int_t)d.winner_candidate, "sent_at",
			json_instant(r->a, d.sent_at), "standstill_end",
			json_instant(r->a, d.standstill_end), "status", "provisional"));
		return;
	}
	done(r, w, "letter", NULL);
}

/* ---- the decision as documents ------------------------------------------------ */

/* The lot's current decision (the last that is not superseded), or the
 * one numbered ?number=. */
static enum kv_status current_decision(struct req *r, struct award_decision_rec *d,
				       struct kv_error *e)
{
	struct award_decision_rec *ds = NULL;
	int n = 0;
	enum kv_status rc = STORE(r->st, award_decision_list, r->proc.id, r->ids[1],
				  r->a, &ds, &n, e);
	const char *num = req_param(r, "number");
	long long want = 0;
	if (rc == KV_OK && num)
		rc = in_int(num, 1, INT_MAX, &want, "number", e);
	const struct award_decision_rec *found = NULL;
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (want ? ds[i].number == want : ds[i].status != AWARD_SUPERSEDED)
			found = &ds[i];
	if (rc == KV_OK && !found)
		rc = kv_fail(e, KV_DENIED, "",
			     _("No award decision has been sent for this lot."));
	if (rc == KV_OK)
		*d = *found;
	return rc;
}

static const char *str_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t int_of(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The decision's snapshot as the report's document, in the reader's
 * language.  *index_of[k] maps candidate ids to bid indices via cands. */
static enum kv_status doc_of(struct req *r, const struct award_decision_rec *dec,
			     struct award_doc *d, int64_t **cands, struct kv_error *e)
{
	memset(d, 0, sizeof *d);
	json_error_t je;
	json_t *j = json_loads(dec->doc, 0, &je);
	struct award_rules ru;
	if (!j || app_award_rules_parse(r->a, json_object_get(j, "rules"), &ru, e) != KV_OK) {
		json_decref(j);
		return kv_fail(e, KV_IO, "", _("The stored award decision cannot be read."));
	}
	int nc = ru.lot.n_criteria;
	struct award_doc_criterion *cr = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *cr);
	for (int i = 0; i < nc; i++) {
		const struct award_criterion *c = &ru.criteria[i];
		int depth = 0;
		int64_t total = c->weight_bp;
		for (int p = c->parent; p >= 0 && depth < 8; p = ru.criteria[p].parent) {
			depth++;
			total = total * ru.criteria[p].weight_bp / AWARD_BP_WHOLE;
		}
		if (ru.lot.method.kind == AWARD_WEIGHTED)
			total = total * (AWARD_BP_WHOLE - ru.lot.method.price_weight_bp) / AWARD_BP_WHOLE;
		sbuf rub;
		sbuf_init(&rub, r->a, 8000);
		for (int s = 0; s < c->scale.n_steps; s++)
			sbuf_printf(&rub, "%s%s", s ? "\n" : "", app_award_step_label(r->a, &ru, i, s));
		cr[i] = (struct award_doc_criterion){
			.key = ru.keys[i], .name = c->name, .depth = depth,
			.weight_bp = c->weight_bp, .weight_total_bp = total,
			.leaf = c->scale.n_steps > 0, .knock_out = c->knock_out,
			.rubric = sbuf_str(&rub)};
	}
	json_t *bids = json_object_get(j, "bids");
	int nb = (int)json_array_size(bids);
	struct award_doc_bid *bs = arena_alloc(r->a, (size_t)(nb + 1) * sizeof *bs);
	*cands = arena_alloc(r->a, (size_t)(nb + 1) * sizeof **cands);
	int64_t winner = int_of(j, "winner");
	d->winner = -1;
	for (int k = 0; k < nb; k++) {
		json_t *b = json_array_get(bids, (size_t)k);
		struct award_doc_bid *x = &bs[k];
		(*cands)[k] = int_of(b, "candidate");
		if ((*cands)[k] == winner)
			d->winner = k;
		x->name = arena_strdup(r->a, str_of(b, "name"));
		x->valid = json_is_true(json_object_get(b, "valid"));
		x->invalid_reason = arena_strdup(r->a, str_of(b, "invalid_reason"));
		x->rank = (int)int_of(b, "rank");
		x->has_price = json_is_true(json_object_get(b, "has_price"));
		x->price_cents = int_of(b, "price_cents");
		x->quality_ppm = int_of(b, "quality_ppm");
		x->price_ppm = int_of(b, "price_ppm");
		x->total_ppm = int_of(b, "total_ppm");
		x->fictive_cents = int_of(b, "fictive_cents");
		x->ratio_cents = int_of(b, "ratio_cents");
		x->result = result_text(r, &ru, x->valid, x->quality_ppm, x->total_ppm,
					x->fictive_cents, x->ratio_cents);
		x->scores = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *x->scores);
		json_t *steps = json_object_get(b, "steps"), *nodes = json_object_get(b, "node_ppm"),
		       *mot = json_object_get(b, "motivations");
		for (int i = 0; i < nc; i++) {
			json_t *st = json_object_get(steps, ru.keys[i]);
			x->scores[i].step = st ? app_award_step_label(r->a, &ru, i, (int)json_integer_value(st)) : "";
			x->scores[i].score_ppm = json_integer_value(json_object_get(nodes, ru.keys[i]));
			x->scores[i].motivation = arena_strdup(r->a, str_of(mot, ru.keys[i]));
		}
	}
	json_t *inds = json_object_get(j, "individual");
	int ni = (int)json_array_size(inds);
	struct award_doc_individual *is = arena_alloc(r->a, (size_t)(ni + 1) * sizeof *is);
	int kept = 0;
	for (int k = 0; k < ni; k++) {
		json_t *o = json_array_get(inds, (size_t)k);
		int bi = -1, ci = app_award_key_index(&ru, str_of(o, "criterion"));
		for (int b = 0; b < nb; b++)
			if ((*cands)[b] == int_of(o, "candidate"))
				bi = b;
		if (bi < 0 || ci < 0)
			continue;
		is[kept++] = (struct award_doc_individual){
			.assessor = arena_strdup(r->a, str_of(o, "assessor")), .bid = bi,
			.criterion = ci,
			.step = app_award_step_label(r->a, &ru, ci, (int)int_of(o, "step")),
			.motivation = arena_strdup(r->a, str_of(o, "motivation"))};
	}
	json_t *sens = json_object_get(j, "sensitivity");
	int nsn = (int)json_array_size(sens);
	struct award_doc_sensitivity *sn = arena_alloc(r->a, (size_t)(nsn + 1) * sizeof *sn);
	for (int k = 0; k < nsn; k++) {
		json_t *o = json_array_get(sens, (size_t)k);
		const char *up_w = "", *down_w = "";
		for (int b = 0; b < nb; b++) {
			if ((*cands)[b] == int_of(o, "up_winner"))
				up_w = bs[b].name;
			if ((*cands)[b] == int_of(o, "down_winner"))
				down_w = bs[b].name;
		}
		sn[k] = (struct award_doc_sensitivity){
			.name = arena_strdup(r->a, str_of(o, "name")),
			.weight_bp = (int)int_of(o, "weight_bp"),
			.up = sens_sentence(r, (int)int_of(o, "up_bp"), up_w, true),
			.down = sens_sentence(r, (int)int_of(o, "down_bp"), down_w, false)};
	}
	json_t *rev = json_object_get(j, "reversal");
	int nr = (int)json_array_size(rev);
	const char **rs = arena_alloc(r->a, (size_t)(nr + 1) * sizeof *rs);
	for (int k = 0; k < nr; k++) {
		json_t *o = json_array_get(rev, (size_t)k);
		const char *removed = "", *nw = "";
		for (int b = 0; b < nb; b++) {
			if ((*cands)[b] == int_of(o, "removed"))
				removed = bs[b].name;
			if ((*cands)[b] == int_of(o, "new_winner"))
				nw = bs[b].name;
		}
		rs[k] = reversal_sentence(r, removed,
					  json_is_true(json_object_get(o, "order_changed")),
					  json_is_true(json_object_get(o, "winner_changed")), nw);
	}
	json_t *mc = json_object_get(j, "monte_carlo");
	if (mc) {
		struct award_mc m = {.p_bp = (int)int_of(mc, "p_bp"),
				     .scenarios = int_of(mc, "scenarios"),
				     .probability = json_real_value(json_object_get(mc, "probability")),
				     .ci_low = json_real_value(json_object_get(mc, "ci_low")),
				     .ci_high = json_real_value(json_object_get(mc, "ci_high"))};
		d->monte_carlo = mc_sentence(r, &m);
	} else {
		d->monte_carlo = "";
	}
	json_t *lot = json_object_get(j, "lot"), *proc = json_object_get(j, "procedure");
	d->municipality = procedure_municipality(r);
	d->reference = arena_strdup(r->a, str_of(proc, "reference"));
	d->procedure_title = arena_strdup(r->a, str_of(proc, "title"));
	d->lot_number = (int)int_of(lot, "number");
	d->lot_title = arena_strdup(r->a, str_of(lot, "title"));
	d->decision_number = dec->number;
	d->method = award_method_label(ru.lot.method.kind);
	d->formula = award_method_formula(r->a, &ru.lot.method);
	d->tie_rule = award_tie_rule_label(ru.lot.tie_rule);
	d->criteria = cr;
	d->n_criteria = nc;
	d->bids = bs;
	d->n_bids = nb;
	d->winner_summary = arena_strdup(r->a, str_of(j, "winner_summary"));
	d->individual = is;
	d->n_individual = kept;
	d->sent_at = fmt_when(r, dec->sent_at);
	d->standstill_end = fmt_when(r, dec->standstill_end);
	d->standstill_rule = arena_printf(r->a, "%s (%s)", str_of(j, "standstill_rule"),
					  str_of(j, "standstill_source"));
	d->objection = arena_strdup(r->a, str_of(j, "objection"));
	d->corrected_reason = arena_strdup(r->a, str_of(j, "corrected_reason"));
	d->sensitivity = sn;
	d->n_sensitivity = nsn;
	d->reversal = rs;
	d->n_reversal = nr;
	json_decref(j);
	return KV_OK;
}

/* Whose letter: a bidder reads its own only; the others name one with
 * ?candidate= (default: the winner's). */
static enum kv_status letter_target(struct req *r, const struct award_doc *d,
				    const int64_t *cands, int *bid, struct kv_error *e)
{
	int64_t want = 0;
	if (r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL)) {
		const char *c = req_param(r, "candidate");
		long long v = 0;
		if (c && in_int(c, 1, INT64_MAX, &v, "candidate", e) != KV_OK)
			return e->status;
		want = c ? (int64_t)v : (d->winner >= 0 ? cands[d->winner] : 0);
	} else {
		want = own_candidate(r);
	}
	for (int i = 0; i < d->n_bids; i++)
		if (cands[i] == want) {
			*bid = i;
			return KV_OK;
		}
	return kv_fail(e, KV_NOT_FOUND, "candidate",
		       _("There is no letter for you on this lot: your candidate made no bid on it."));
}

static enum kv_status load_letter(struct req *r, struct award_decision_rec *dec,
				  struct award_doc *d, int64_t **cands, int *bid,
				  struct kv_error *e)
{
	if (!(r->roles & (ROLE_BUYER | ROLE_COUNCIL)) && (r->roles & ROLE_ASSESSOR)) {
		struct award_view v;
		if (app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, e) == KV_NOT_FOUND)
			return KV_NOT_FOUND;
	}
	enum kv_status rc = current_decision(r, dec, e);
	if (rc == KV_OK)
		rc = doc_of(r, dec, d, cands, e);
	if (rc == KV_OK)
		rc = letter_target(r, d, *cands, bid, e);
	return rc;
}

void page_award_letter(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	int64_t *cands;
	int me = -1;
	if (load_letter(r, &dec, &d, &cands, &me, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct award_doc_bid *mine = &d.bids[me];
	const struct award_doc_bid *win = d.winner >= 0 ? &d.bids[d.winner] : NULL;
	if (r->api) {
		json_t *crit = json_array();
		for (int i = 0; i < d.n_criteria; i++) {
			json_t *o = json_pack("{s:s, s:s, s:{s:s, s:I, s:s}}",
				"key", d.criteria[i].key, "name", d.criteria[i].name,
				"own", "step", mine->scores[i].step, "score_ppm",
				(json_int_t)mine->scores[i].score_ppm, "motivation",
				mine->scores[i].motivation);
			if (win)
				json_object_set_new(o, "winner", json_pack("{s:s, s:I, s:s}",
					"step", win->scores[i].step, "score_ppm",
					(json_int_t)win->scores[i].score_ppm, "motivation",
					win->scores[i].motivation));
			json_array_append_new(crit, o);
		}
		json_t *j = json_pack("{s:I, s:i, s:s, s:I, s:s, s:b, s:b, s:s, s:i, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s}",
			"decision", (json_int_t)dec.id, "number", dec.number,
			"status", status_code(dec.status),
			"candidate", (json_int_t)cands[me], "name", mine->name,
			"winner_is_you", me == d.winner, "valid", mine->valid,
			"invalid_reason", mine->invalid_reason, "rank", mine->rank,
			"result", mine->result,
			"sent_at", json_instant(r->a, dec.sent_at),
			"standstill_end", json_instant(r->a, dec.standstill_end),
			"standstill_rule", d.standstill_rule,
			"objection", d.objection, "winner_summary", d.winner_summary,
			"criteria", crit, "corrected_reason", d.corrected_reason);
		if (win) {
			json_object_set_new(j, "winner", json_string(win->name));
			json_object_set_new(j, "winner_result", json_string(win->result));
		}
		if (mine->has_price)
			json_object_set_new(j, "price_cents", json_integer(mine->price_cents));
		if (win && win->has_price)
			json_object_set_new(j, "winner_price_cents", json_integer(win->price_cents));
		resp_json(r, w, 200, j);
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Award decision"));
	procedure_nav(r, w, "award");
	html_f(b, "<article class=\"letter\"><h2>%s %d — %s %d: %s</h2><p>%s %s · %s</p>",
	       _("Award decision"), dec.number, _("lot"), d.lot_number, d.lot_title,
	       _("Sent"), d.sent_at, mine->name);
	if (*d.corrected_reason)
		html_f(b, "<p class=\"notice\">%s %s</p>", _("This decision replaces the earlier one:"), d.corrected_reason);
	if (me == d.winner)
		html_f(b, "<p><strong>%s</strong></p>", _("The municipality intends to award this lot to you. The award becomes definitive only after the standstill period, if no objection is open."));
	else if (!mine->valid)
		html_f(b, "<p><strong>%s</strong> %s</p>", _("Your bid is invalid:"), mine->invalid_reason);
	else
		html_f(b, "<p><strong>%s</strong> %s: %s.</p>", _("The municipality intends to award this lot to"),
		       win ? win->name : "", win ? win->result : "");
	html_f(b, "<p>%s %d: %s</p><p>%s: %s</p>", _("Your rank"), mine->rank, mine->result,
	       _("Method"), d.formula);
	html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Criterion"), _("Your bid"), _("The winning bid"));
	for (int i = 0; i < d.n_criteria; i++)
		html_f(b, "<tr><td>%s</td><td>%s<br>%s</td><td>%s<br>%s</td></tr>",
		       d.criteria[i].name,
		       mine->scores[i].step, mine->scores[i].motivation,
		       win ? win->scores[i].step : "", win ? win->scores[i].motivation : "");
	html_f(b, "</tbody></table><h3>%s</h3><p>%s</p><h3>%s</h3><p>%s</p><p>%s</p><h3>%s</h3><p>%s</p></article>"
		  "<p><a class=\"button\" href=\"/procedures/%lld/lots/%lld/award/letter/pdf?candidate=%lld&amp;number=%d\">PDF</a></p>",
	       _("The winning bid"), d.winner_summary,
	       _("Standstill period"), d.standstill_end, d.standstill_rule,
	       _("How to object"), d.objection,
	       (long long)r->proc.id, (long long)r->ids[1], (long long)cands[me], dec.number);
	layout_end(r, w);
}

static void send_pdf(struct req *r, struct resp *w, const unsigned char *pdf,
		     size_t len, const char *name, const char *type)
{
	w->status = 200;
	w->content_type = type;
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", name));
	sbuf_add(&w->body, (const char *)pdf, len);
}

void page_award_letter_pdf(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	int64_t *cands;
	int me = -1;
	unsigned char *pdf;
	size_t len;
	if (load_letter(r, &dec, &d, &cands, &me, &e) != KV_OK ||
	    report_award_letter_pdf(r->a, &d, me, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	send_pdf(r, w, pdf, len,
		 arena_printf(r->a, "gunningsbeslissing-perceel-%d-%d.pdf", d.lot_number, dec.number),
		 "application/pdf");
}

void page_award_file_pdf(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	int64_t *cands;
	unsigned char *pdf;
	size_t len;
	if (current_decision(r, &dec, &e) != KV_OK || doc_of(r, &dec, &d, &cands, &e) != KV_OK ||
	    report_award_file_pdf(r->a, &d, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	send_pdf(r, w, pdf, len,
		 arena_printf(r->a, "gunningsdossier-perceel-%d-%d.pdf", d.lot_number, dec.number),
		 "application/pdf");
}

void page_award_xlsx(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	int64_t *cands;
	unsigned char *x;
	size_t len;
	if (current_decision(r, &dec, &e) != KV_OK || doc_of(r, &dec, &d, &cands, &e) != KV_OK ||
	    report_award_xlsx(r->a, &d, &x, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	send_pdf(r, w, x, len,
		 arena_printf(r->a, "beoordelingsmatrix-perceel-%d-%d.xlsx", d.lot_number, dec.number),
		 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

/* ---- objections and the definitive award ---------------------------------------- */

static enum kv_status date_input(struct req *r, const char *key, kv_instant *out,
				 struct kv_error *e)
{
	cal_date d;
	if (cal_parse_date(in_str(r, key), &d, key, e) != 0)
		return e->status ? e->status : KV_INVALID;
	/* A day stands for its last second; today's for now. */
	*out = cal_end_of_day(d);
	if (*out > r->app.now && cal_local_to_utc(d, 0, 0, 0) <= r->app.now)
		*out = r->app.now;
	return KV_OK;
}

void page_objection_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	long long cand = 0;
	const char *kind = in_str(r, "kind");
	struct award_objection o = {.summary = (char *)in_str(r, "summary")};
	enum kv_status rc = current_decision(r, &dec, &e);
	if (rc == KV_OK)
		rc = in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand, "candidate", &e);
	if (rc == KV_OK && kind && strcmp(kind, "summary-proceedings") != 0 &&
	    strcmp(kind, "objection") != 0)
		rc = kv_fail(&e, KV_INVALID, "kind",
			     _("kind must be objection or summary-proceedings."));
	if (rc == KV_OK)
		rc = date_input(r, "filed_on", &o.filed_on, &e);
	if (rc == KV_OK) {
		o.decision_id = dec.id;
		o.candidate_id = cand;
		o.kind = kind && strcmp(kind, "summary-proceedings") == 0
				 ? OBJECTION_SUMMARY_PROCEEDINGS : OBJECTION_OBJECTION;
		rc = app_objection_add(&r->app, r->proc.id, &o, &e);
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 201, json_pack("{s:I, s:I, s:I}", "id", (json_int_t)o.id,
					       "decision", (json_int_t)o.decision_id,
					       "candidate", (json_int_t)o.candidate_id));
		return;
	}
	done(r, w, "objections", NULL);
}

void page_objection_close(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long id = 0;
	kv_instant on = 0;
	enum kv_status rc = in_int(in_str(r, "objection"), 1, INT64_MAX, &id, "objection", &e);
	if (rc == KV_OK)
		rc = date_input(r, "closed_on", &on, &e);
	if (rc == KV_OK)
		rc = app_objection_close(&r->app, r->proc.id, id, on, in_str(r, "outcome"), &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "objections", NULL);
}

void page_award_definitive(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	enum kv_status rc = current_decision(r, &dec, &e);
	if (rc == KV_OK)
		rc = app_award_definitive(&r->app, r->proc.id, dec.id, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	done(r, w, "objections", NULL);
}

void page_objections(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_objection *os = NULL;
	struct award_decision_rec *ds = NULL;
	int no = 0, nd = 0;
	enum kv_status rc = STORE(r->st, objection_list, r->proc.id, r->a, &os, &no, &e);
	if (rc == KV_OK)
		rc = STORE(r->st, award_decision_list, r->proc.id, r->ids[1], r->a, &ds, &nd, &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *jd = json_array(), *jo = json_array();
		for (int i = 0; i < nd; i++)
			json_array_append_new(jd, json_pack("{s:I, s:i, s:s, s:I, s:o, s:o, s:s, s:o}",
				"id", (json_int_t)ds[i].id, "number", ds[i].number,
				"status", status_code(ds[i].status), "winner",
				(json_int_t)ds[i].winner_candidate, "sent_at",
				json_instant(r->a, ds[i].sent_at), "standstill_end",
				json_instant(r->a, ds[i].standstill_end),
				"corrected_reason", ds[i].corrected_reason,
				"definitive_at", json_instant(r->a, ds[i].definitive_at)));
		for (int i = 0; i < no; i++) {
			bool ours = false;
			for (int k = 0; k < nd; k++)
				ours = ours || ds[k].id == os[i].decision_id;
			if (!ours)
				continue;
			json_array_append_new(jo, json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s?}",
				"id", (json_int_t)os[i].id, "decision", (json_int_t)os[i].decision_id,
				"candidate", (json_int_t)os[i].candidate_id, "name", os[i].candidate_name,
				"kind", os[i].kind == OBJECTION_SUMMARY_PROCEEDINGS ? "summary-proceedings" : "objection",
				"filed_on", json_instant(r->a, os[i].filed_on), "summary", os[i].summary,
				"closed_on", json_instant(r->a, os[i].closed_on), "outcome", os[i].outcome));
		}
		resp_json(r, w, 200, json_pack("{s:o, s:o}", "decisions", jd, "objections", jo));
		return;
	}
	long long pid = (long long)r->proc.id, lid = (long long)r->ids[1];
	sbuf *b = &w->body;
	layout_begin(r, w, _("Award decisions and objections"));
	procedure_nav(r, w, "award");
	html_f(b, "<h2>%s</h2><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
	       _("Award decisions"), _("Number"), _("Status"), _("Sent"), _("End of the standstill period"));
	for (int i = 0; i < nd; i++)
		html_f(b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td><a href=\"/procedures/%lld/lots/%lld/award/letter?number=%d\">%s</a> · "
			  "<a href=\"/procedures/%lld/lots/%lld/award/file/pdf?number=%d\">%s</a> · <a href=\"/procedures/%lld/lots/%lld/award/xlsx?number=%d\">XLSX</a></td></tr>",
		       ds[i].number,
		       ds[i].status == AWARD_DEFINITIVE ? _("definitive")
		       : ds[i].status == AWARD_SUPERSEDED ? _("replaced by a corrected decision") : _("provisional"),
		       fmt_when(r, ds[i].sent_at), fmt_when(r, ds[i].standstill_end),
		       pid, lid, ds[i].number, _("Letters"), pid, lid, ds[i].number, _("Award file (PDF)"),
		       pid, lid, ds[i].number);
	html_f(b, "</tbody></table><h2>%s</h2><ul>", _("Objections"));
	for (int i = 0; i < no; i++) {
		bool ours = false;
		for (int k = 0; k < nd; k++)
			ours = ours || ds[k].id == os[i].decision_id;
		if (ours)
			html_f(b, "<li>#%lld %s — %s, %s: %s%s%s</li>", (long long)os[i].id, os[i].candidate_name,
			       os[i].kind == OBJECTION_SUMMARY_PROCEEDINGS ? _("summary proceedings") : _("objection"),
			       fmt_when(r, os[i].filed_on), os[i].summary,
			       os[i].outcome ? " — " : "", os[i].outcome ? os[i].outcome : _(" (open)"));
	}
	html_f(b, "</ul>");
	if ((r->roles & ROLE_BUYER) && nd > 0)
		html_f(b, "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/objections\" class=\"form\">%R"
			  "<label for=\"ocandidate\">%s</label><input id=\"ocandidate\" name=\"candidate\" inputmode=\"numeric\">"
			  "<label for=\"kind\">%s</label><select id=\"kind\" name=\"kind\"><option value=\"objection\">%s</option><option value=\"summary-proceedings\">%s</option></select>"
			  "<label for=\"filed_on\">%s</label><input id=\"filed_on\" name=\"filed_on\" type=\"date\">"
			  "<label for=\"summary\">%s</label><textarea id=\"summary\" name=\"summary\"></textarea><button type=\"submit\">%s</button></form>"
			  "<h3>%s</h3><form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/objections/close\" class=\"form\">%R"
			  "<label for=\"objection\">%s</label><input id=\"objection\" name=\"objection\" inputmode=\"numeric\">"
			  "<label for=\"closed_on\">%s</label><input id=\"closed_on\" name=\"closed_on\" type=\"date\">"
			  "<label for=\"outcome\">%s</label><textarea id=\"outcome\" name=\"outcome\"></textarea><button type=\"submit\">%s</button></form>"
			  "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/award/definitive\">%R<button type=\"submit\">%s</button></form>",
		       _("Register an objection"), pid, lid, csrf_input(r), _("Candidate number"),
		       _("Kind"), _("objection"), _("summary proceedings"), _("Filed on"), _("Summary"), _("Register"),
		       _("Settle an objection"), pid, lid, csrf_input(r), _("Objection number"), _("Settled on"),
		       _("Outcome"), _("Settle"),
		       pid, lid, csrf_input(r), _("Make the award definitive"));
	layout_end(r, w);
}

/* ---- the procedure's evaluation overview ------------------------------------- */

/* A bidder's view of the award: per lot the rules as announced, its
 * price envelope and, once sent, its letter. */
static void award_for_bidder(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec *ds = NULL;
	int nd = 0;
	if (STORE(r->st, award_decision_list, r->proc.id, 0, r->a, &ds, &nd, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	json_t *lots = json_array();
	sbuf *b = &w->body;
	if (!r->api) {
		layout_begin(r, w, _("Award"));
		procedure_nav(r, w, "award");
		html_f(b, "<h2>%s</h2><ul>", _("Award"));
	}
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *l = &r->proc.lots[i];
		const struct award_decision_rec *cur = NULL;
		for (int k = 0; k < nd; k++)
			if (ds[k].lot_id == l->id && ds[k].status != AWARD_SUPERSEDED)
				cur = &ds[k];
		if (r->api) {
			json_array_append_new(lots, json_pack("{s:I, s:i, s:s, s:o}",
				"lot", (json_int_t)l->id, "number", l->number, "title", l->title,
				"decision", cur ? json_pack("{s:i, s:s}", "number", cur->number,
							    "status", status_code(cur->status))
						: json_null()));
			continue;
		}
		long long pid = (long long)r->proc.id, lid = (long long)l->id;
		html_f(b, "<li>%d: %s — <a href=\"/procedures/%lld/lots/%lld/award/rules\">%s</a> · "
			  "<a href=\"/procedures/%lld/lots/%lld/price\">%s</a>",
		       l->number, l->title, pid, lid, _("award rules"), pid, lid, _("price envelope"));
		if (cur)
			html_f(b, " · <a href=\"/procedures/%lld/lots/%lld/award/letter\">%s</a>", pid, lid,
			       _("your award letter"));
		html_f(b, "</li>");
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:o}", "lots", lots));
		return;
	}
	json_decref(lots);
	html_f(b, "</ul>");
	layout_end(r, w);
}

void page_award(struct req *r, struct resp *w)
{
	if (!(r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL))) {
		award_for_bidder(r, w);
		return;
	}
	struct kv_error e = {0};
	json_t *lots = json_array();
	sbuf *b = &w->body;
	if (!r->api) {
		layout_begin(r, w, _("Evaluation and award"));
		procedure_nav(r, w, "award");
		html_f(b, "<h2>%s</h2><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Evaluation and award"), _("Lot"), _("Bids"), _("Quality"), _("Decision"));
	}
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *l = &r->proc.lots[i];
		struct award_view v;
		enum kv_status rc = app_award_view(&r->app, r->proc.id, l->id, r->me.id, &v, &e);
		if (rc == KV_NOT_FOUND)
			continue;   /* an assessor not assigned to it */
		bool have = rc == KV_OK;
		const struct award_decision_rec *cur = NULL;
		for (int k = 0; have && k < v.n_decisions; k++)
			if (v.decisions[k].status != AWARD_SUPERSEDED)
				cur = &v.decisions[k];
		if (r->api) {
			json_t *o = json_pack("{s:I, s:i, s:s, s:b, s:i, s:o, s:b, s:b}",
				"lot", (json_int_t)l->id, "number", l->number, "title", l->title,
				"has_rules", have, "bids", have ? v.n_bidders : 0,
				"quality_final_at", json_instant(r->a, have ? v.setup.quality_final_at : 0),
				"vault_open", have && v.vault_open, "prices_open", have && v.prices_open);
			json_object_set_new(o, "decision", cur
				? json_pack("{s:i, s:s}", "number", cur->number, "status", status_code(cur->status))
				: json_null());
			json_array_append_new(lots, o);
			continue;
		}
		long long pid = (long long)r->proc.id, lid = (long long)l->id;
		html_f(b, "<tr><td>%d: %s<br><a href=\"/procedures/%lld/lots/%lld/award/rules\">%s</a>",
		       l->number, l->title, pid, lid, _("award rules"));
		if (have)
			html_f(b, " · <a href=\"/procedures/%lld/lots/%lld/award/scoring\">%s</a>", pid, lid, _("scoring"));
		if (have && v.setup.quality_final_at)
			html_f(b, " · <a href=\"/procedures/%lld/lots/%lld/award/ranking\">%s</a>", pid, lid, _("ranking"));
		if (cur && (r->roles & (ROLE_BUYER | ROLE_COUNCIL)))
			html_f(b, " · <a href=\"/procedures/%lld/lots/%lld/award/objections\">%s</a>", pid, lid, _("decisions and objections"));
		html_f(b, "</td><td>%d</td><td>%s</td><td>%s</td></tr>", have ? v.n_bidders : 0,
		       !have ? _("no award rules yet")
		       : v.setup.quality_final_at ? _("final") : _("scoring"),
		       !cur ? "—" : cur->status == AWARD_DEFINITIVE ? _("definitive") : _("provisional"));
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:o}", "lots", lots));
		return;
	}
	json_decref(lots);
	html_f(b, "</tbody></table>");
	if (r->roles & ROLE_BUYER)
		html_f(b, "<h3>%s</h3><p>%s</p><form method=\"post\" action=\"/procedures/%lld/price-vault/open\" class=\"form\">%R"
			  "<label for=\"email_a\">%s</label><input id=\"email_a\" name=\"email_a\" type=\"email\">"
			  "<label for=\"passphrase_a\">%s</label><input id=\"passphrase_a\" name=\"passphrase_a\" type=\"password\" autocomplete=\"off\">"
			  "<label for=\"email_b\">%s</label><input id=\"email_b\" name=\"email_b\" type=\"email\">"
			  "<label for=\"passphrase_b\">%s</label><input id=\"passphrase_b\" name=\"passphrase_b\" type=\"password\" autocomplete=\"off\">"
			  "<button type=\"submit\">%s</button></form>",
		       _("Open the price envelopes"),
		       _("Two different buyers open the prices together, after the bids and, where the rules say so, once the quality scores are final."),
		       (long long)r->proc.id, csrf_input(r), _("First buyer's e-mail"),
		       _("First buyer's vault passphrase"), _("Second buyer's e-mail"),
		       _("Second buyer's vault passphrase"), _("Open the prices"));
	layout_end(r, w);
}

/* The bidder's page for its price of a lot (the form twin of the API). */
void page_price_form(struct req *r, struct resp *w)
{
	const struct lot *lot = this_lot(r);
	if (!lot) {
		refuse(r, w, KV_NOT_FOUND, "lot", _("This procedure has no such lot."));
		return;
	}
	sbuf *b = &w->body;
	layout_begin(r, w, _("Price envelope"));
	procedure_nav(r, w, "award");
	html_f(b, "<h2>%s %d: %s</h2><p>%s</p><form method=\"post\" action=\"/procedures/%lld/lots/%lld/price\" class=\"form\">%R"
		  "<label for=\"price\">%s</label><input id=\"price\" name=\"price\" inputmode=\"decimal\" required>"
		  "<button type=\"submit\">%s</button></form>",
	       _("Price envelope for lot"), lot->number, lot->title,
	       _("Your price is sealed the moment it arrives and stays sealed until two buyers open the price envelopes; a new price replaces the last one until the tender deadline."),
	       (long long)r->proc.id, (long long)lot->id, csrf_input(r),
	       _("Price in euros (e.g. 1.250.000,00)"), _("Seal my price"));
	layout_end(r, w);
}
