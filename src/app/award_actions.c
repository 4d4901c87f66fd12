/*
 * award_actions.c - evaluation and award of a lot as actions: the rules
 * as announced, the assessors' blind individual scores, the consensus,
 * exclusions, final quality, the ranking with its robustness, the award
 * decision with its standstill, objections and the definitive award; see
 * app.h and core/award.h.
 *
 * The blind rules (app_award_view):
 *  - an assessor sees the lots and criteria assigned to them, and their
 *    own scores; nobody sees another assessor's individual scores until
 *    every assessor assigned to the lot has handed in (then the
 *    consensus session sees them all);
 *  - nobody sees a price of a lot before its quality is final;
 *  - the audit log gets a digest of each individual score while scoring
 *    goes on, and every score itself when quality becomes final.
 */
#include <jansson.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "award_form.h"
#include "audit_mark.h"
#include "core/validate.h"
#include "internal.h"
#include "read_award.h"

static const struct lot *lot_in(const struct procedure *p, int64_t lot_id)
{
	for (int i = 0; i < p->n_lots; i++)
		if (p->lots[i].id == lot_id)
			return &p->lots[i];
	return NULL;
}

static bool is_leaf(const struct award_rules *r, int i)
{
	return i >= 0 && i < r->lot.n_criteria &&
	       r->criteria[i].scale.n_steps > 0;
}

/* The procedure, the lot and its rules. */
static enum kv_status load(struct app *x, int64_t procedure_id,
			   int64_t lot_id, struct procedure *p,
			   const struct lot **lot, struct award_setup_rec *s,
			   struct award_rules *r, struct kv_error *e)
{
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, p,
				  e);
	if (rc == KV_OK && !(*lot = lot_in(p, lot_id)))
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_setup_get, procedure_id, lot_id, x->a,
			   s, e);
	if (rc == KV_NOT_FOUND)   /* the lot is there; its rules are not */
		rc = kv_fail(e, KV_DENIED, "lot",
			     _("This lot has no award rules yet."));
	if (rc == KV_OK)
		rc = app_award_rules_parse_text(x->a, s->rules, r, e);
	return rc;
}

enum kv_status app_award_bidders(struct app *x, const struct procedure *p,
				 int64_t lot_id, struct award_bidder **out,
				 int *n, struct kv_error *e)
{
	struct submission *subs = NULL;
	struct award_exclusion *xs = NULL;
	struct bid_price *ps = NULL;
	int ns = 0, nx = 0, np = 0;
	*out = NULL;
	*n = 0;
	enum kv_status rc = STORE(x->st, submission_list, p->id, x->a, &subs,
				  &ns, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_exclusion_list, lot_id, x->a, &xs, &nx,
			   e);
	if (rc == KV_OK)
		rc = STORE(x->st, bid_price_list, p->id, x->a, &ps, &np, e);
	if (rc != KV_OK)
		return rc;
	*out = arena_alloc(x->a, (size_t)(ns + 1) * sizeof **out);
	for (int i = 0; i < ns; i++) {
		const struct submission *s = &subs[i];
		if (s->lot_id != lot_id || s->withdrawn_at ||
		    s->envelope != ENVELOPE_QUALITY)
			continue;
		bool seen = false;
		for (int k = 0; k < *n; k++)
			seen = seen || (*out)[k].candidate_id == s->candidate_id;
		if (seen)
			continue;
		struct award_bidder *b = &(*out)[(*n)++];
		b->candidate_id = s->candidate_id;
		b->name = s->candidate_name;
		for (int k = 0; k < nx; k++)
			if (xs[k].candidate_id == b->candidate_id) {
				b->excluded = true;
				b->exclusion = xs[k].reason;
			}
		for (int k = 0; k < np; k++)
			if (ps[k].lot_id == lot_id &&
			    ps[k].candidate_id == b->candidate_id) {
				b->has_price = true;
				b->price_cents = ps[k].price_cents;
			}
	}
	return KV_OK;
}

static const struct award_bidder *bidder(const struct award_bidder *bs, int n,
					 int64_t candidate_id)
{
	for (int i = 0; i < n; i++)
		if (bs[i].candidate_id == candidate_id)
			return &bs[i];
	return NULL;
}

/* Whether account scores criterion i of the lot by its assignments. */
static bool assigned_to(const struct award_rules *r,
			const struct award_assignment *as, int n,
			int64_t lot_id, int64_t account_id, int i)
{
	for (int k = 0; k < n; k++) {
		if (as[k].lot_id != lot_id || as[k].account_id != account_id)
			continue;
		if (strcmp(as[k].criterion_key, "*") == 0 ||
		    app_award_under(r, i, as[k].criterion_key))
			return true;
	}
	return false;
}

static bool handed_in(const struct award_scorecard *cs, int n,
		      int64_t account_id)
{
	for (int i = 0; i < n; i++)
		if (cs[i].account_id == account_id)
			return true;
	return false;
}

/* Every assessor assigned to the lot has handed in (and there is one). */
static bool all_handed_in(const struct award_assignment *as, int n,
			  int64_t lot_id, const struct award_scorecard *cs,
			  int nc)
{
	int assessors = 0;
	for (int k = 0; k < n; k++) {
		if (as[k].lot_id != lot_id)
			continue;
		assessors++;
		if (!handed_in(cs, nc, as[k].account_id))
			return false;
	}
	return assessors > 0;
}

static unsigned roles_of(struct app *x, const struct procedure *p,
			 int64_t account_id)
{
	struct grant *gs = NULL;
	int ng = 0;
	struct kv_error e;
	if (STORE(x->st, grants_of, account_id, x->a, &gs, &ng, &e) != KV_OK)
		return 0;
	return role_on_procedure(gs, ng, p->tenant_id, p->id);
}

/* The lot's assignments only. */
static enum kv_status assignments_of(struct app *x, int64_t procedure_id,
				     int64_t lot_id,
				     struct award_assignment **out, int *n,
				     struct kv_error *e)
{
	struct award_assignment *all = NULL;
	int na = 0;
	enum kv_status rc = STORE(x->st, award_assignment_list, procedure_id,
				  x->a, &all, &na, e);
	*out = arena_alloc(x->a, (size_t)(na + 1) * sizeof **out);
	*n = 0;
	for (int i = 0; rc == KV_OK && i < na; i++)
		if (all[i].lot_id == lot_id)
			(*out)[(*n)++] = all[i];
	return rc;
}

enum kv_status app_award_rules_open(struct app *x, const struct procedure *p,
				    struct kv_error *e)
{
	struct vault_rec v;
	struct kv_error none;
	kv_instant deadline = 0;
	if (STORE(x->st, vault_get, p->id, &v, &none) == KV_OK && v.opened_at)
		return kv_fail(e, KV_DENIED, "",
			       _("The bids have been opened: the award rules "
				 "as announced cannot change any more."));
	/* no deadline planned: still open */
	if (app_tender_deadline(p, &deadline, &none) == KV_OK && x->now > deadline)
		return kv_fail(e, KV_DENIED, "",
			       _("The tender deadline (%s) has passed: the "
				 "award rules as announced cannot change any "
				 "more."), cal_format_local(x->a, deadline));
	return KV_OK;
}

enum kv_status app_award_rules_put(struct app *x, int64_t procedure_id,
				   int64_t lot_id, json_t *rules,
				   struct kv_error *e)
{
	struct award_rules r;
	enum kv_status rc = app_award_rules_parse(x->a, rules, &r, e);
	if (rc != KV_OK)
		return rc;
	struct procedure p;
	struct award_setup_rec old = {0};
	rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK && !lot_in(&p, lot_id))
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	if (rc == KV_OK)
		rc = app_award_rules_open(x, &p, e);
	const char *before = NULL;
	if (rc == KV_OK && STORE(x->st, award_setup_get, p.id, lot_id, x->a,
				 &old, e) == KV_OK)
		before = old.rules;
	struct award_setup_rec s = {.lot_id = lot_id, .procedure_id = p.id,
				    .updated_at = x->now,
				    .updated_by = x->actor};
	if (rc == KV_OK) {
		s.rules = app_json_text(x->a, app_award_rules_json(&r));
		rc = STORE(x->st, award_setup_put, &s, e);
	}
	if (rc == KV_OK)
		rc = app_audit(x, p.tenant_id, "award.rules",
			       arena_printf(x->a, "procedure/%lld/lot/%lld",
					    (long long)p.id,
					    (long long)lot_id),
			       before, s.rules, e);
	return app_finish(x, rc, e);
}

/* app_award_assign inside the caller's write transaction. */
static enum kv_status assign_in(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t account_id,
				const char *const *keys, int n,
				struct kv_error *e)
{
	enum kv_status rc;
	struct procedure p;
	const struct lot *lot;
	struct award_setup_rec s;
	struct award_rules r;
	struct award_scorecard *cs = NULL;
	int nc = 0;
	struct account acc;
	rc = load(x, procedure_id, lot_id, &p, &lot, &s, &r, e);
	if (rc == KV_OK && s.quality_final_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The quality scores of this lot are final."));
	if (rc == KV_OK && (STORE(x->st, account_get, account_id, x->a, &acc,
				  e) != KV_OK ||
			    !(roles_of(x, &p, account_id) &
			      (ROLE_ASSESSOR | ROLE_BUYER))))
		rc = kv_fail(e, KV_INVALID, "assessor",
			     _("Only an assessor or buyer of this procedure "
			       "can be assigned."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_scorecard_list, lot_id, x->a, &cs, &nc,
			   e);
	if (rc == KV_OK && handed_in(cs, nc, account_id))
		rc = kv_fail(e, KV_DENIED, "assessor",
			     _("%s has handed in the scores of this lot "
			       "already."), acc.name);
	json_t *jk = json_array();
	for (int i = 0; rc == KV_OK && i < n; i++) {
		int k = app_award_key_index(&r, keys[i]);
		if (strcmp(keys[i], "*") != 0 &&
		    (k < 0 || r.criteria[k].parent >= 0))
			rc = kv_fail(e, KV_INVALID, "criteria",
				     _("Assign \"*\" (every criterion) or "
				       "keys of top-level criteria; \"%s\" is "
				       "none."), keys[i]);
		json_array_append_new(jk, json_string(keys[i]));
	}
	if (rc == KV_OK)
		rc = STORE(x->st, award_assign, lot_id, account_id, keys, n, e);
	if (rc == KV_OK)
		rc = app_audit_marked(x, p.tenant_id, "award.assign",
				      arena_printf(x->a, "procedure/%lld/lot/%lld",
						   (long long)p.id,
						   (long long)lot_id),
				      NULL,
				      json_pack("{s:s, s:O}", "assessor", acc.email,
						"criteria", jk), e);
	json_decref(jk);
	return rc;
}

enum kv_status app_award_assign(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t account_id,
				const char *const *keys, int n,
				struct kv_error *e)
{
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = assign_in(x, procedure_id, lot_id, account_id, keys, n, e);
	return app_finish(x, rc, e);
}

/* Keeps the scores of criteria the viewer is assigned to (all for a
 * buyer). */
static void filter_scores(const struct award_rules *r,
			  const struct award_assignment *as, int na,
			  int64_t lot_id, int64_t viewer, bool buyer,
			  struct award_score_rec *s, int *n)
{
	int k = 0;
	for (int i = 0; i < *n; i++) {
		int c = app_award_key_index(r, s[i].criterion_key);
		if (buyer || assigned_to(r, as, na, lot_id, viewer, c))
			s[k++] = s[i];
	}
	*n = k;
}

enum kv_status app_award_view(struct app *x, int64_t procedure_id,
			      int64_t lot_id, int64_t account_id,
			      struct award_view *v, struct kv_error *e)
{
	memset(v, 0, sizeof *v);
	struct procedure p;
	const struct lot *lot;
	struct vault_rec qv, pv;
	enum kv_status rc = load(x, procedure_id, lot_id, &p, &lot, &v->setup,
				 &v->rules, e);
	if (rc != KV_OK)
		return rc;
	bool buyer = roles_of(x, &p, account_id) & ROLE_BUYER;
	rc = app_award_bidders(x, &p, lot_id, &v->bidders, &v->n_bidders, e);
	if (rc == KV_OK)
		rc = assignments_of(x, p.id, lot_id, &v->assignments,
				    &v->n_assignments, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_scorecard_list, lot_id, x->a, &v->cards,
			   &v->n_cards, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_score_list, lot_id, account_id, x->a,
			   &v->own, &v->n_own, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_consensus_list, lot_id, x->a,
			   &v->consensus, &v->n_consensus, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_decision_list, p.id, lot_id, x->a,
			   &v->decisions, &v->n_decisions, e);
	if (rc != KV_OK)
		return rc;
	int nc = v->rules.lot.n_criteria;
	v->mine = arena_alloc(x->a, (size_t)(nc + 1) * sizeof *v->mine);
	bool any = false;
	for (int i = 0; i < nc; i++) {
		v->mine[i] = assigned_to(&v->rules, v->assignments,
					 v->n_assignments, lot_id, account_id,
					 i);
		any = any || v->mine[i];
	}
	if (!buyer && !any)
		return kv_fail(e, KV_NOT_FOUND, "lot",
			       _("You are not assigned to assess this lot."));
	v->handed_in = handed_in(v->cards, v->n_cards, account_id);
	v->all_handed_in = all_handed_in(v->assignments, v->n_assignments,
					 lot_id, v->cards, v->n_cards);
	v->vault_open = STORE(x->st, vault_get, p.id, &qv, e) == KV_OK &&
			qv.opened_at;
	v->prices_open = STORE(x->st, price_vault_get, p.id, &pv, e) == KV_OK &&
			 pv.opened_at;
	if (v->all_handed_in) {
		rc = STORE(x->st, award_score_list, lot_id, 0, x->a,
			   &v->individual, &v->n_individual, e);
		if (rc != KV_OK)
			return rc;
		filter_scores(&v->rules, v->assignments, v->n_assignments,
			      lot_id, account_id, buyer, v->individual,
			      &v->n_individual);
	}
	filter_scores(&v->rules, v->assignments, v->n_assignments, lot_id,
		      account_id, buyer, v->consensus, &v->n_consensus);
	/* No price before the lot's quality is final. */
	if (!v->setup.quality_final_at)
		for (int i = 0; i < v->n_bidders; i++) {
			v->bidders[i].has_price = false;
			v->bidders[i].price_cents = 0;
		}
	return KV_OK;
}

/* What scoring (individual or consensus) of (candidate, key, step)
 * needs: a bid of the lot, not excluded; a leaf; a step on its scale; a
 * motivation; quality not final.  Fills *ci. */
static enum kv_status score_check(const struct award_rules *r,
				  const struct award_setup_rec *s,
				  const struct award_bidder *bs, int nb,
				  int64_t candidate_id, const char *key,
				  int step, const char *motivation, int *ci,
				  struct kv_error *e)
{
	const struct award_bidder *b = bidder(bs, nb, candidate_id);
	*ci = app_award_key_index(r, key);
	if (s->quality_final_at)
		return kv_fail(e, KV_DENIED, "",
			       _("The quality scores of this lot are final."));
	if (!b)
		return kv_fail(e, KV_INVALID, "candidate",
			       _("This candidate has no bid on this lot."));
	if (b->excluded)
		return kv_fail(e, KV_DENIED, "candidate",
			       _("This bid is excluded: %s"), b->exclusion);
	if (*ci < 0)
		return kv_fail(e, KV_INVALID, "criterion",
			       _("This lot has no criterion \"%s\"."),
			       key ? key : "");
	if (!is_leaf(r, *ci))
		return kv_fail(e, KV_INVALID, "criterion",
			       _("\"%s\" has sub-criteria: score those."),
			       key);
	if (step < 0 || step >= r->criteria[*ci].scale.n_steps)
		return kv_fail(e, KV_INVALID, "step",
			       _("The score must be one of the %d steps of "
				 "the criterion's scale."),
			       r->criteria[*ci].scale.n_steps);
	if (text_check_lines(motivation, 8000, true, "motivation", e) !=
	    KV_OK)
		return kv_fail(e, KV_INVALID, "motivation",
			       _("Every score needs a motivation (at most "
				 "8000 characters)."));
	return KV_OK;
}

/* A lot's evaluation as the scoring actions load it, inside their write
 * transaction: the procedure, the lot, its rules and its bids. */
struct lot_eval {
	struct procedure p;
	const struct lot *lot;
	struct award_setup_rec s;
	struct award_rules r;
	struct award_bidder *bs;
	int nb;
};

/* Loads the lot's evaluation and checks a score (individual or
 * consensus) of (candidate, key, step, motivation) against it; *ci is the
 * criterion's index. */
static enum kv_status load_for_score(struct app *x, int64_t procedure_id,
				     int64_t lot_id, int64_t candidate_id,
				     const char *key, int step,
				     const char *motivation, struct lot_eval *l,
				     int *ci, struct kv_error *e)
{
	enum kv_status rc = load(x, procedure_id, lot_id, &l->p, &l->lot,
				 &l->s, &l->r, e);
	if (rc == KV_OK)
		rc = app_award_bidders(x, &l->p, lot_id, &l->bs, &l->nb, e);
	if (rc == KV_OK)
		rc = score_check(&l->r, &l->s, l->bs, l->nb, candidate_id,
				 key, step, motivation, ci, e);
	return rc;
}

/* The lot's evaluation alone. */
static enum kv_status load_eval(struct app *x, int64_t procedure_id,
				int64_t lot_id, struct lot_eval *l,
				struct kv_error *e)
{
	enum kv_status rc = load(x, procedure_id, lot_id, &l->p, &l->lot,
				 &l->s, &l->r, e);
	if (rc == KV_OK)
		rc = app_award_bidders(x, &l->p, lot_id, &l->bs, &l->nb, e);
	return rc;
}

/* The audit event of one saved score: a digest, not the score (the log
 * must not tell one assessor what another gave). */
static enum kv_status score_audit(struct app *x, const struct procedure *p,
				  int64_t lot_id,
				  const struct award_score_cell *c,
				  struct kv_error *e)
{
	unsigned char d[32];
	char *plain = arena_printf(x->a, "%d\n%s", c->step, c->motivation);
	crypto_hash_sha256(d, (const unsigned char *)plain, strlen(plain));
	json_t *j = json_pack("{s:I, s:s, s:s}", "candidate",
			      (json_int_t)c->candidate_id, "criterion", c->key,
			      "score_sha256", app_hex(x->a, d, 32));
	return app_audit_marked(x, p->tenant_id, "award.score",
				arena_printf(x->a, "procedure/%lld/lot/%lld",
					     (long long)p->id,
					     (long long)lot_id),
				NULL, j, e);
}

enum kv_status app_award_scores(struct app *x, int64_t procedure_id,
				int64_t lot_id, struct award_score_cell *cells,
				int n, struct kv_error *e)
{
	struct lot_eval l;
	struct award_assignment *as = NULL;
	struct award_scorecard *cs = NULL;
	struct vault_rec v;
	int na = 0, nc = 0;
	for (int k = 0; k < n; k++)
		cells[k].refused = false;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_eval(x, procedure_id, lot_id, &l, e);
	if (rc == KV_OK && l.s.quality_final_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The quality scores of this lot are final."));
	if (rc == KV_OK && (STORE(x->st, vault_get, l.p.id, &v, e) != KV_OK ||
			    !v.opened_at))
		rc = kv_fail(e, KV_DENIED, "",
			     _("The bids are scored after the vault's "
			       "opening."));
	if (rc == KV_OK)
		rc = assignments_of(x, l.p.id, lot_id, &as, &na, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_scorecard_list, lot_id, x->a, &cs, &nc,
			   e);
	if (rc == KV_OK && handed_in(cs, nc, x->actor))
		rc = kv_fail(e, KV_DENIED, "",
			     _("You have handed in your scores of this lot; "
			       "they cannot change any more."));
	/* Every cell checked as one score is, each refusal kept at its
	 * cell; one refused saves none. */
	int first = -1;
	for (int k = 0; rc == KV_OK && k < n; k++) {
		struct award_score_cell *c = &cells[k];
		int ci = -1;
		c->err = (struct kv_error){0};
		enum kv_status cr = score_check(&l.r, &l.s, l.bs, l.nb,
						c->candidate_id, c->key, c->step,
						c->motivation, &ci, &c->err);
		if (cr == KV_OK &&
		    !assigned_to(&l.r, as, na, lot_id, x->actor, ci))
			cr = kv_fail(&c->err, KV_DENIED, "criterion",
				     _("You are not assigned to score \"%s\"."),
				     c->key);
		if (cr != KV_OK) {
			c->refused = true;
			if (first < 0)
				first = k;
		}
	}
	if (rc == KV_OK && first >= 0) {
		*e = cells[first].err;
		rc = e->status;
	}
	for (int k = 0; rc == KV_OK && k < n; k++) {
		struct award_score_rec sc = {.lot_id = lot_id,
					     .candidate_id = cells[k].candidate_id,
					     .account_id = x->actor,
					     .criterion_key = (char *)cells[k].key,
					     .step = cells[k].step,
					     .motivation = (char *)cells[k].motivation,
					     .at = x->now};
		rc = STORE(x->st, award_score_put, &sc, e);
		if (rc == KV_OK)
			rc = score_audit(x, &l.p, lot_id, &cells[k], e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_award_score(struct app *x, int64_t procedure_id,
			       int64_t lot_id, int64_t candidate_id,
			       const char *key, int step,
			       const char *motivation, struct kv_error *e)
{
	struct award_score_cell c = {.candidate_id = candidate_id, .key = key,
				     .step = step, .motivation = motivation};
	return app_award_scores(x, procedure_id, lot_id, &c, 1, e);
}

static bool has_score(const struct award_score_rec *s, int n,
		      int64_t candidate_id, const char *key)
{
	for (int i = 0; i < n; i++)
		if (s[i].candidate_id == candidate_id &&
		    strcmp(s[i].criterion_key, key) == 0)
			return true;
	return false;
}

enum kv_status app_award_hand_in(struct app *x, int64_t procedure_id,
				 int64_t lot_id, struct kv_error *e)
{
	struct lot_eval l;
	struct award_assignment *as = NULL;
	struct award_score_rec *own = NULL;
	int na = 0, no = 0, count = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_eval(x, procedure_id, lot_id, &l, e);
	if (rc == KV_OK)
		rc = assignments_of(x, l.p.id, lot_id, &as, &na, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_score_list, lot_id, x->actor, x->a,
			   &own, &no, e);
	bool any = false;
	for (int i = 0; rc == KV_OK && i < l.r.lot.n_criteria; i++) {
		if (!is_leaf(&l.r, i) ||
		    !assigned_to(&l.r, as, na, lot_id, x->actor, i))
			continue;
		any = true;
		for (int b = 0; rc == KV_OK && b < l.nb; b++) {
			if (l.bs[b].excluded)
				continue;
			if (!has_score(own, no, l.bs[b].candidate_id, l.r.keys[i]))
				rc = kv_fail(e, KV_DENIED, "",
					     _("Score \"%s\" of %s first."),
					     l.r.criteria[i].name, l.bs[b].name);
			count++;
		}
	}
	if (rc == KV_OK && !any)
		rc = kv_fail(e, KV_DENIED, "",
			     _("You are not assigned to assess this lot."));
	if (rc == KV_OK && l.nb == 0)
		rc = kv_fail(e, KV_DENIED, "", _("This lot has no bids."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_scorecard_submit, lot_id, x->actor,
			   x->now, e);
	if (rc == KV_OK)
		rc = app_audit(x, l.p.tenant_id, "award.hand-in",
			       arena_printf(x->a, "procedure/%lld/lot/%lld",
					    (long long)l.p.id,
					    (long long)lot_id),
			       NULL,
			       arena_printf(x->a, "{\"scores\":%d}", count),
			       e);
	return app_finish(x, rc, e);
}

/* What a consensus needs: every assigned assessor has handed in. */
static enum kv_status consensus_open(struct app *x, int64_t procedure_id,
				     int64_t lot_id, struct kv_error *e)
{
	struct award_assignment *as = NULL;
	struct award_scorecard *cs = NULL;
	int na = 0, nc = 0;
	enum kv_status rc = assignments_of(x, procedure_id, lot_id, &as, &na,
					   e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_scorecard_list, lot_id, x->a, &cs, &nc,
			   e);
	if (rc == KV_OK && !all_handed_in(as, na, lot_id, cs, nc))
		rc = kv_fail(e, KV_DENIED, "",
			     _("The consensus comes after every assigned "
			       "assessor has handed in."));
	return rc;
}

static enum kv_status consensus_audit(struct app *x,
				      const struct procedure *p,
				      const struct award_score_rec *c,
				      struct kv_error *e)
{
	json_t *j = json_pack("{s:I, s:s, s:i, s:s}", "candidate",
			      (json_int_t)c->candidate_id, "criterion",
			      c->criterion_key, "step", c->step, "motivation",
			      c->motivation);
	return app_audit_marked(x, p->tenant_id, "award.consensus",
				arena_printf(x->a, "procedure/%lld/lot/%lld",
					     (long long)p->id,
					     (long long)c->lot_id),
				NULL, j, e);
}

enum kv_status app_award_consensus(struct app *x, int64_t procedure_id,
				   int64_t lot_id, int64_t candidate_id,
				   const char *key, int step,
				   const char *motivation, struct kv_error *e)
{
	struct lot_eval l;
	int ci = -1;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_for_score(x, procedure_id, lot_id, candidate_id, key, step,
				    motivation, &l, &ci, e);
	if (rc == KV_OK)
		rc = consensus_open(x, l.p.id, lot_id, e);
	struct award_score_rec c = {.lot_id = lot_id,
				    .candidate_id = candidate_id,
				    .account_id = x->actor,
				    .criterion_key = (char *)key,
				    .step = step,
				    .motivation = (char *)motivation,
				    .at = x->now};
	if (rc == KV_OK)
		rc = STORE(x->st, award_consensus_put, &c, e);
	if (rc == KV_OK)
		rc = consensus_audit(x, &l.p, &c, e);
	return app_finish(x, rc, e);
}

/* The step whose value is nearest v (basis points); half way goes up. */
static int nearest_step(const struct award_scale *sc, int64_t v2)
{
	/* v2 is twice the mean, to keep halves exact. */
	int best = 0;
	int64_t bestd = -1;
	for (int k = 0; k < sc->n_steps; k++) {
		int64_t d = v2 - 2 * (int64_t)sc->value_bp[k];
		if (d < 0)
			d = -d;
		if (bestd < 0 || d <= bestd) {
			best = k;
			bestd = d;
		}
	}
	return best;
}

enum kv_status app_award_consensus_average(struct app *x,
					   int64_t procedure_id,
					   int64_t lot_id, struct kv_error *e)
{
	struct lot_eval l;
	struct award_score_rec *ind = NULL;
	int ni = 0, filled = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_eval(x, procedure_id, lot_id, &l, e);
	if (rc == KV_OK && !l.r.averaging)
		rc = kv_fail(e, KV_DENIED, "",
			     _("This lot's rules do not announce averaging: "
			       "record the consensus of the assessors."));
	if (rc == KV_OK && l.s.quality_final_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The quality scores of this lot are final."));
	if (rc == KV_OK)
		rc = consensus_open(x, l.p.id, lot_id, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_score_list, lot_id, 0, x->a, &ind, &ni,
			   e);
	for (int b = 0; rc == KV_OK && b < l.nb; b++) {
		if (l.bs[b].excluded)
			continue;
		for (int i = 0; rc == KV_OK && i < l.r.lot.n_criteria; i++) {
			if (!is_leaf(&l.r, i))
				continue;
			const struct award_scale *sc = &l.r.criteria[i].scale;
			int64_t sum = 0;
			int cnt = 0;
			sbuf parts;
			sbuf_init(&parts, x->a, 16000);
			for (int k = 0; k < ni; k++) {
				const struct award_score_rec *is = &ind[k];
				if (is->candidate_id != l.bs[b].candidate_id ||
				    strcmp(is->criterion_key, l.r.keys[i]) != 0 ||
				    is->step >= sc->n_steps)
					continue;
				sum += sc->value_bp[is->step];
				sbuf_printf(&parts, "%s%s: %s", cnt ? "; " : "",
					    is->account_name,
					    app_award_step_label(x->a, &l.r, i,
								 is->step, ','));
				cnt++;
			}
			if (!cnt)
				continue;
			int step = nearest_step(sc, 2 * sum / cnt +
						   (2 * sum % cnt ? 1 : 0));
			struct award_score_rec c = {
				.lot_id = lot_id,
				.candidate_id = l.bs[b].candidate_id,
				.account_id = x->actor,
				.criterion_key = (char *)l.r.keys[i],
				.step = step,
				.at = x->now};
			c.motivation = arena_printf(
			    x->a,
			    _("The average of %d assessors (%s), rounded to "
			      "the nearest step of the scale as the tender "
			      "documents announce: %s."),
			    cnt, sbuf_str(&parts),
			    app_award_step_label(x->a, &l.r, i, step, ','));
			rc = STORE(x->st, award_consensus_put, &c, e);
			if (rc == KV_OK)
				rc = consensus_audit(x, &l.p, &c, e);
			filled++;
		}
	}
	if (rc == KV_OK && !filled)
		rc = kv_fail(e, KV_DENIED, "",
			     _("There are no individual scores to average."));
	return app_finish(x, rc, e);
}

static bool decision_sent(const struct award_decision_rec *d, int n)
{
	for (int i = 0; i < n; i++)
		if (d[i].status != AWARD_SUPERSEDED)
			return true;
	return false;
}

enum kv_status app_award_exclude(struct app *x, int64_t procedure_id,
				 int64_t lot_id, int64_t candidate_id,
				 const char *reason, struct kv_error *e)
{
	if (reason && text_check_lines(reason, 4000, true, "reason", e) !=
			      KV_OK)
		return kv_fail(e, KV_INVALID, "reason",
			       _("Give the reason for excluding the bid (at "
				 "most 4000 characters)."));
	struct lot_eval l;
	struct award_decision_rec *ds = NULL;
	int nd = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_eval(x, procedure_id, lot_id, &l, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_decision_list, l.p.id, lot_id, x->a, &ds,
			   &nd, e);
	if (rc == KV_OK && decision_sent(ds, nd))
		rc = kv_fail(e, KV_DENIED, "",
			     _("The award decision has been sent; a "
			       "corrected decision is the way to change "
			       "it."));
	if (rc == KV_OK && !bidder(l.bs, l.nb, candidate_id))
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("This candidate has no bid on this lot."));
	struct award_exclusion ex = {.lot_id = lot_id,
				     .candidate_id = candidate_id,
				     .reason = (char *)reason,
				     .excluded_by = x->actor,
				     .excluded_at = x->now};
	if (rc == KV_OK)
		rc = STORE(x->st, award_exclusion_set, &ex, e);
	if (rc == KV_OK)
		rc = app_audit_marked(x, l.p.tenant_id,
				      reason ? "award.exclude" : "award.readmit",
				      arena_printf(x->a,
						   "procedure/%lld/lot/%lld",
						   (long long)l.p.id,
						   (long long)lot_id),
				      NULL,
				      json_pack("{s:I, s:s?}", "candidate",
						(json_int_t)candidate_id,
						"reason", reason), e);
	return app_finish(x, rc, e);
}

static json_t *scores_json(const struct award_score_rec *s, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack(
			"{s:I, s:s, s:s, s:i, s:s}", "candidate",
			(json_int_t)s[i].candidate_id, "criterion",
			s[i].criterion_key, "by",
			s[i].account_name ? s[i].account_name : "", "step",
			s[i].step, "motivation", s[i].motivation));
	return a;
}

enum kv_status app_award_quality_final(struct app *x, int64_t procedure_id,
				       int64_t lot_id, struct kv_error *e)
{
	struct lot_eval l;
	struct award_score_rec *cons = NULL, *ind = NULL;
	int nc = 0, ni = 0;
	enum kv_status rc = app_begin(x, e);
	if (rc == KV_OK)
		rc = load_eval(x, procedure_id, lot_id, &l, e);
	if (rc == KV_OK && l.s.quality_final_at)
		rc = kv_fail(e, KV_CONFLICT, "",
			     _("The quality scores of this lot are final "
			       "already."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_consensus_list, lot_id, x->a, &cons,
			   &nc, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_score_list, lot_id, 0, x->a, &ind, &ni,
			   e);
	if (rc == KV_OK && l.nb == 0)
		rc = kv_fail(e, KV_DENIED, "", _("This lot has no bids."));
	for (int b = 0; rc == KV_OK && b < l.nb; b++) {
		if (l.bs[b].excluded)
			continue;
		for (int i = 0; rc == KV_OK && i < l.r.lot.n_criteria; i++)
			if (is_leaf(&l.r, i) &&
			    !has_score(cons, nc, l.bs[b].candidate_id, l.r.keys[i]))
				rc = kv_fail(e, KV_DENIED, "",
					     _("%s has no consensus score on "
					       "\"%s\" yet."), l.bs[b].name,
					     l.r.criteria[i].name);
	}
	if (rc == KV_OK)
		rc = STORE(x->st, award_quality_final, lot_id, x->now,
			   x->actor, e);
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:o, s:o}", "individual",
				      scores_json(ind, ni), "consensus",
				      scores_json(cons, nc));
		rc = app_audit_marked(x, l.p.tenant_id, "award.quality-final",
				      arena_printf(x->a, "procedure/%lld/lot/%lld",
						   (long long)l.p.id,
						   (long long)lot_id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

static bool weighs_criteria(enum award_method_kind k)
{
	return k == AWARD_WEIGHTED || k == AWARD_QUALITY_ONLY ||
	       k == AWARD_PRICE_QUALITY_RATIO;
}

/* Ranks from what is stored; inside the caller's transaction. */
static enum kv_status evaluate(struct app *x, const struct procedure *p,
			       int64_t lot_id, struct award_evaluation *ev,
			       struct kv_error *e)
{
	memset(ev, 0, sizeof *ev);
	const struct lot *lot;
	struct award_setup_rec s;
	struct vault_rec pv;
	struct award_score_rec *cons = NULL;
	int nc = 0;
	struct procedure q;
	enum kv_status rc = load(x, p->id, lot_id, &q, &lot, &s, &ev->rules,
				 e);
	if (rc == KV_OK && ev->rules.lot.n_criteria > 0 && !s.quality_final_at)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The ranking comes after the quality scores "
			       "are final."));
	if (rc == KV_OK && (STORE(x->st, price_vault_get, p->id, &pv, e) !=
				    KV_OK ||
			    !pv.opened_at))
		rc = kv_fail(e, KV_DENIED, "",
			     _("The ranking comes after the prices are "
			       "opened."));
	if (rc == KV_OK)
		rc = app_award_bidders(x, p, lot_id, &ev->bidders, &ev->n, e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_consensus_list, lot_id, x->a, &cons,
			   &nc, e);
	if (rc == KV_OK && ev->n == 0)
		rc = kv_fail(e, KV_DENIED, "", _("This lot has no bids."));
	if (rc != KV_OK)
		return rc;
	int ncr = ev->rules.lot.n_criteria;
	ev->bids = arena_alloc(x->a, (size_t)ev->n * sizeof *ev->bids);
	for (int b = 0; b < ev->n; b++) {
		const struct award_bidder *bd = &ev->bidders[b];
		struct award_bid *bid = &ev->bids[b];
		int *steps = arena_alloc(x->a, (size_t)(ncr + 1) * sizeof *steps);
		for (int i = 0; i < ncr; i++) {
			steps[i] = -1;
			for (int k = 0; k < nc; k++)
				if (cons[k].candidate_id == bd->candidate_id &&
				    strcmp(cons[k].criterion_key,
					   ev->rules.keys[i]) == 0)
					steps[i] = cons[k].step;
		}
		bid->id = b;
		bid->name = bd->name;
		bid->steps = steps;
		bid->price_cents = bd->has_price ? bd->price_cents : 1;
		if (bd->excluded) {
			bid->knocked_out = true;
			bid->knock_out_reason = bd->exclusion;
		} else if (!bd->has_price) {
			bid->knocked_out = true;
			bid->knock_out_reason =
				_("No valid price was found in the price "
				  "envelope.");
		}
	}
	rc = award_rank(x->a, &ev->rules.lot, ev->bids, ev->n, &ev->ranking, e);
	if (rc != KV_OK)
		return rc;
	struct kv_error ignore;
	if (ev->ranking.winner >= 0) {
		if (weighs_criteria(ev->rules.lot.method.kind) &&
		    award_weight_sensitivity(x->a, &ev->rules.lot, ev->bids,
					     ev->n, &ev->sensitivity,
					     &ev->n_sensitivity,
					     &ignore) != KV_OK)
			ev->n_sensitivity = 0;
		if (award_rank_reversal(x->a, &ev->rules.lot, ev->bids, ev->n,
					&ev->reversal, &ev->n_reversal,
					&ignore) != KV_OK)
			ev->n_reversal = 0;
		ev->has_mc = ncr > 0 &&
			award_monte_carlo(x->a, &ev->rules.lot, ev->bids,
					  ev->n, APP_MC_P_BP, APP_MC_SCENARIOS,
					  APP_MC_SEED, &ev->mc,
					  &ignore) == KV_OK;
	}
	return KV_OK;
}

enum kv_status app_award_evaluate(struct app *x, int64_t procedure_id,
				  int64_t lot_id, struct award_evaluation *ev,
				  struct kv_error *e)
{
	struct procedure p;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, &p,
				  e);
	if (rc == KV_OK)
		rc = evaluate(x, &p, lot_id, ev, e);
	return rc;
}

/* The snapshot of a decision: everything a letter and the award file
 * show, language-neutral (keys, steps, figures, names, motivations). */
static json_t *snapshot(struct app *x, const struct procedure *p,
			const struct lot *lot,
			const struct award_evaluation *ev, int winner,
			const struct award_score_rec *ind, int ni,
			const char *summary, const char *objection,
			const struct cal_explained *ss, const char *corrected)
{
	const struct award_rules *r = &ev->rules;
	json_t *bids = json_array();
	for (int k = 0; k < ev->ranking.n; k++) {
		int b = ev->ranking.order[k];
		const struct award_result *res = &ev->ranking.results[b];
		const struct award_bidder *bd = &ev->bidders[b];
		json_t *steps = json_object(), *nodes = json_object(),
		       *mot = json_object();
		for (int i = 0; i < r->lot.n_criteria; i++) {
			if (res->node_ppm)
				json_object_set_new(
				    nodes, r->keys[i],
				    json_integer(res->node_ppm[i]));
			if (!is_leaf(r, i) || ev->bids[b].steps[i] < 0)
				continue;
			json_object_set_new(steps, r->keys[i],
					    json_integer(ev->bids[b].steps[i]));
		}
		json_t *o = json_pack(
		    "{s:I, s:s, s:b, s:s?, s:i, s:b, s:I, s:I, s:I, s:I, s:I, "
		    "s:I, s:b, s:o, s:o}",
		    "candidate", (json_int_t)bd->candidate_id, "name",
		    bd->name, "valid", res->valid, "invalid_reason",
		    res->invalid_reason, "rank", res->rank, "has_price",
		    bd->has_price, "price_cents",
		    (json_int_t)(bd->has_price ? bd->price_cents : 0),
		    "quality_ppm", (json_int_t)res->quality_ppm, "price_ppm",
		    (json_int_t)res->price_ppm, "total_ppm",
		    (json_int_t)res->total_ppm, "fictive_cents",
		    (json_int_t)res->fictive_cents, "ratio_cents",
		    (json_int_t)res->ratio_cents, "put_to_buyer",
		    res->put_to_buyer, "steps", steps, "node_ppm", nodes);
		json_object_set_new(o, "motivations", mot);
		json_array_append_new(bids, o);
	}
	json_t *inds = json_array();
	for (int i = 0; i < ni; i++)
		json_array_append_new(inds, json_pack(
			"{s:s, s:I, s:s, s:i, s:s}", "assessor",
			ind[i].account_name ? ind[i].account_name : "",
			"candidate", (json_int_t)ind[i].candidate_id,
			"criterion", ind[i].criterion_key, "step", ind[i].step,
			"motivation", ind[i].motivation));
	json_t *sens = json_array();
	for (int i = 0; i < ev->n_sensitivity; i++) {
		const struct award_sensitivity *s = &ev->sensitivity[i];
		json_array_append_new(sens, json_pack(
			"{s:s, s:i, s:i, s:I, s:i, s:I}", "name", s->name,
			"weight_bp", s->weight_bp, "up_bp", s->up_bp,
			"up_winner", (json_int_t)(s->up_winner >= 0
				? ev->bidders[s->up_winner].candidate_id : 0),
			"down_bp", s->down_bp, "down_winner",
			(json_int_t)(s->down_winner >= 0
				? ev->bidders[s->down_winner].candidate_id
				: 0)));
	}
	json_t *rev = json_array();
	for (int i = 0; i < ev->n_reversal; i++) {
		const struct award_reversal *v = &ev->reversal[i];
		json_array_append_new(rev, json_pack(
			"{s:I, s:b, s:b, s:I}", "removed",
			(json_int_t)ev->bidders[v->removed].candidate_id,
			"order_changed", v->order_changed, "winner_changed",
			v->winner_changed, "new_winner",
			(json_int_t)(v->new_winner >= 0
				? ev->bidders[v->new_winner].candidate_id : 0)));
	}
	json_t *j = json_pack(
	    "{s:{s:I, s:s, s:s}, s:{s:I, s:i, s:s}, s:O, s:o, s:I, s:s, "
	    "s:s, s:o, s:o, s:o, s:I, s:I, s:s, s:s, s:s}",
	    "procedure", "id", (json_int_t)p->id, "reference", p->reference,
	    "title", p->title, "lot", "id", (json_int_t)lot->id, "number",
	    lot->number, "title", lot->title, "rules",
	    app_award_rules_json(r), "bids", bids, "winner",
	    (json_int_t)ev->bidders[winner].candidate_id, "winner_summary",
	    summary ? summary : "", "objection", objection ? objection : "",
	    "individual", inds, "sensitivity", sens, "reversal", rev,
	    "sent_at", (json_int_t)x->now, "standstill_end",
	    (json_int_t)ss->end, "standstill_rule", ss->rule,
	    "standstill_source", ss->source, "corrected_reason",
	    corrected ? corrected : "");
	/* rules was packed with O (a new reference kept by j). */
	json_decref(json_object_get(j, "rules"));
	if (ev->has_mc)
		json_object_set_new(j, "monte_carlo", json_pack(
			"{s:I, s:i, s:I, s:I, s:f, s:f, s:f}", "seed",
			(json_int_t)ev->mc.seed, "p_bp", ev->mc.p_bp,
			"scenarios", (json_int_t)ev->mc.scenarios, "stays",
			(json_int_t)ev->mc.stays, "probability",
			ev->mc.probability, "ci_low", ev->mc.ci_low,
			"ci_high", ev->mc.ci_high));
	return j;
}

/* The consensus motivations into the snapshot's bids. */
static void snapshot_motivations(json_t *snap,
				 const struct award_score_rec *cons, int nc)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(snap, "bids"), i, b) {
		json_int_t cid = json_integer_value(
			json_object_get(b, "candidate"));
		json_t *mot = json_object_get(b, "motivations");
		for (int k = 0; k < nc; k++)
			if (cons[k].candidate_id == cid)
				json_object_set_new(
				    mot, cons[k].criterion_key,
				    json_string(cons[k].motivation));
	}
}

enum kv_status app_award_decide(struct app *x, int64_t procedure_id,
				int64_t lot_id, int64_t tie_winner,
				const char *winner_summary,
				const char *objection,
				const char *corrected_reason,
				struct award_decision_rec *out,
				struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (text_check_lines(winner_summary, 8000, true, "winner_summary",
			     e) != KV_OK)
		return kv_fail(e, KV_INVALID, "winner_summary",
			       _("Describe the characteristics and relative "
				 "advantages of the winning bid (at most "
				 "8000 characters)."));
	if (text_check_lines(objection, 4000, true, "objection", e) != KV_OK)
		return kv_fail(e, KV_INVALID, "objection",
			       _("Say how and until when a bidder can object "
				 "(at most 4000 characters)."));
	if (corrected_reason && *corrected_reason &&
	    text_check_lines(corrected_reason, 4000, true, "corrected_reason",
			     e) != KV_OK)
		return e->status;
	struct procedure p;
	struct award_evaluation ev;
	struct award_decision_rec *ds = NULL;
	struct award_score_rec *ind = NULL, *cons = NULL;
	int nd = 0, ni = 0, nc = 0, winner = -1;
	cal_calendar cal;
	struct cal_explained ss;
	const struct lot *lot = NULL;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK && !(lot = lot_in(&p, lot_id)))
		rc = kv_fail(e, KV_NOT_FOUND, "lot",
			     _("This procedure has no such lot."));
	if (rc == KV_OK)
		rc = STORE(x->st, award_decision_list, p.id, lot_id, x->a, &ds,
			   &nd, e);
	bool provisional = false;
	for (int i = 0; rc == KV_OK && i < nd; i++) {
		if (ds[i].status == AWARD_DEFINITIVE)
			rc = kv_fail(e, KV_DENIED, "",
				     _("This lot has been awarded "
				       "definitively."));
		provisional = provisional || ds[i].status == AWARD_PROVISIONAL;
	}
	if (rc == KV_OK && provisional &&
	    (!corrected_reason || !*corrected_reason))
		rc = kv_fail(e, KV_INVALID, "corrected_reason",
			     _("A decision has been sent for this lot: a new "
			       "one is a corrected decision; give the reason "
			       "for the correction."));
	if (rc == KV_OK && !provisional && corrected_reason &&
	    *corrected_reason)
		rc = kv_fail(e, KV_INVALID, "corrected_reason",
			     _("There is no earlier decision to correct."));
	if (rc == KV_OK)
		rc = evaluate(x, &p, lot_id, &ev, e);
	if (rc == KV_OK) {
		winner = ev.ranking.winner;
		if (winner < 0 && ev.ranking.n_valid > 0) {
			/* The first place is put to the buyer: tie_winner
			 * must be one of the tied. */
			for (int b = 0; b < ev.n; b++)
				if (ev.bidders[b].candidate_id == tie_winner &&
				    ev.ranking.results[b].rank == 1 &&
				    ev.ranking.results[b].put_to_buyer)
					winner = b;
			if (winner < 0)
				rc = kv_fail(e, KV_INVALID, "tie_winner",
					     _("The first place is tied and "
					       "the announced rule cannot "
					       "decide: name the winner the "
					       "drawing of lots chose among "
					       "the tied bids."));
		} else if (winner < 0) {
			rc = kv_fail(e, KV_DENIED, "",
				     _("No bid on this lot is valid: there "
				       "is nothing to award."));
		}
	}
	if (rc == KV_OK)
		rc = app_calendar(x, p.tenant_id, &cal, e);
	if (rc == KV_OK) {
		cal_date sent;
		int h, m, s;
		cal_utc_to_local(x->now, &sent, &h, &m, &s, NULL);
		if (cal_standstill_end(&cal, sent, 20, &ss, e) != 0)
			rc = e->status ? e->status : KV_INVALID;
	}
	if (rc == KV_OK)
		rc = STORE(x->st, award_score_list, lot_id, 0, x->a, &ind, &ni,
			   e);
	if (rc == KV_OK)
		rc = STORE(x->st, award_consensus_list, lot_id, x->a, &cons,
			   &nc, e);
	if (rc == KV_OK) {
		json_t *snap = snapshot(x, &p, lot, &ev, winner, ind, ni,
					winner_summary, objection, &ss,
					corrected_reason);
		snapshot_motivations(snap, cons, nc);
		out->procedure_id = p.id;
		out->lot_id = lot_id;
		out->winner_candidate = ev.bidders[winner].candidate_id;
		out->sent_at = x->now;
		out->sent_by = x->actor;
		out->standstill_end = ss.end;
		out->doc = app_json_text(x->a, snap);
		out->corrected_reason = (char *)(corrected_reason
						 ? corrected_reason : "");
		rc = STORE(x->st, award_decision_create, out, e);
	}
	if (rc == KV_OK) {
		json_t *j = json_pack("{s:i, s:I, s:s, s:I, s:s, s:s}",
				      "number", out->number, "winner",
				      (json_int_t)out->winner_candidate,
				      "winner_name", ev.bidders[winner].name,
				      "standstill_end",
				      (json_int_t)out->standstill_end,
				      "standstill_rule", ss.rule,
				      "corrected_reason",
				      out->corrected_reason);
		rc = app_audit(x, p.tenant_id, "award.decision",
			       arena_printf(x->a, "procedure/%lld/lot/%lld",
					    (long long)p.id,
					    (long long)lot_id),
			       NULL, app_json_text(x->a, j), e);
	}
	return app_finish(x, rc, e);
}

/* The decision of the procedure with id, and its lot's others. */
static enum kv_status decision_of(struct app *x, int64_t procedure_id,
				  int64_t id, struct award_decision_rec *d,
				  struct kv_error *e)
{
	struct award_decision_rec *ds = NULL;
	int nd = 0;
	enum kv_status rc = STORE(x->st, award_decision_list, procedure_id, 0,
				  x->a, &ds, &nd, e);
	for (int i = 0; rc == KV_OK && i < nd; i++)
		if (ds[i].id == id) {
			*d = ds[i];
			return KV_OK;
		}
	return rc == KV_OK ? kv_fail(e, KV_NOT_FOUND, "decision",
				     _("This procedure has no such award "
				       "decision."))
			   : rc;
}

enum kv_status app_objection_add(struct app *x, int64_t procedure_id,
				 struct award_objection *o,
				 struct kv_error *e)
{
	if (text_check_lines(o->summary, 4000, true, "summary", e) != KV_OK)
		return kv_fail(e, KV_INVALID, "summary",
			       _("Summarise the objection (at most 4000 "
				 "characters)."));
	if (!o->filed_on || o->filed_on > x->now)
		return kv_fail(e, KV_INVALID, "filed_on",
			       _("Give the date the objection was filed; it "
				 "cannot lie in the future."));
	struct procedure p;
	struct award_decision_rec d;
	struct award_bidder *bs = NULL;
	int nb = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = decision_of(x, p.id, o->decision_id, &d, e);
	if (rc == KV_OK && d.status != AWARD_PROVISIONAL)
		rc = kv_fail(e, KV_DENIED, "decision",
			     _("Objections are registered against the "
			       "current provisional decision."));
	if (rc == KV_OK && o->filed_on < d.sent_at)
		rc = kv_fail(e, KV_INVALID, "filed_on",
			     _("The objection cannot be filed before the "
			       "decision was sent (%s)."),
			     cal_format_local(x->a, d.sent_at));
	if (rc == KV_OK)
		rc = app_award_bidders(x, &p, d.lot_id, &bs, &nb, e);
	if (rc == KV_OK && !bidder(bs, nb, o->candidate_id))
		rc = kv_fail(e, KV_INVALID, "candidate",
			     _("This candidate has no bid on this lot."));
	o->recorded_by = x->actor;
	o->recorded_at = x->now;
	if (rc == KV_OK)
		rc = STORE(x->st, objection_create, o, e);
	if (rc == KV_OK) {
		json_t *j = json_pack(
		    "{s:I, s:I, s:s, s:I, s:s}", "decision",
		    (json_int_t)o->decision_id, "candidate",
		    (json_int_t)o->candidate_id, "kind",
		    o->kind == OBJECTION_SUMMARY_PROCEEDINGS
			? "summary-proceedings" : "objection",
		    "filed_on", (json_int_t)o->filed_on, "summary",
		    o->summary);
		rc = app_audit_marked(x, p.tenant_id, "award.objection",
				      arena_printf(x->a,
						   "procedure/%lld/objection/%lld",
						   (long long)p.id, (long long)o->id),
				      NULL, j, e);
	}
	return app_finish(x, rc, e);
}

enum kv_status app_objection_close(struct app *x, int64_t procedure_id,
				   int64_t objection_id, kv_instant on,
				   const char *outcome, struct kv_error *e)
{
	if (text_check_lines(outcome, 4000, true, "outcome", e) != KV_OK)
		return kv_fail(e, KV_INVALID, "outcome",
			       _("Give the outcome (at most 4000 "
				 "characters)."));
	if (!on || on > x->now)
		return kv_fail(e, KV_INVALID, "closed_on",
			       _("Give the date the objection was settled; "
				 "it cannot lie in the future."));
	struct procedure p;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, objection_close, p.id, objection_id, on,
			   outcome, e);
	if (rc == KV_OK)
		rc = app_audit_marked(x, p.tenant_id, "award.objection-close",
				      arena_printf(x->a,
						   "procedure/%lld/objection/%lld",
						   (long long)p.id,
						   (long long)objection_id),
				      NULL,
				      json_pack("{s:I, s:s}", "closed_on",
						(json_int_t)on, "outcome", outcome),
				      e);
	return app_finish(x, rc, e);
}

enum kv_status app_award_definitive(struct app *x, int64_t procedure_id,
				    int64_t decision_id, struct kv_error *e)
{
	struct procedure p;
	struct award_decision_rec d;
	struct award_objection *os = NULL;
	int no = 0;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = decision_of(x, p.id, decision_id, &d, e);
	if (rc == KV_OK && d.status != AWARD_PROVISIONAL)
		rc = kv_fail(e, KV_DENIED, "",
			     _("Only the current provisional decision can "
			       "become definitive."));
	if (rc == KV_OK && x->now <= d.standstill_end)
		rc = kv_fail(e, KV_DENIED, "",
			     _("The standstill period (opschortende termijn) "
			       "runs until %s: the award can become "
			       "definitive only after it."),
			     cal_format_local(x->a, d.standstill_end));
	if (rc == KV_OK)
		rc = STORE(x->st, objection_list, p.id, x->a, &os, &no, e);
	for (int i = 0; rc == KV_OK && i < no; i++)
		if (os[i].decision_id == d.id && !os[i].closed_on)
			rc = kv_fail(e, KV_DENIED, "",
				     _("%s's objection (filed %s) is still "
				       "open: the award can become "
				       "definitive only when it is "
				       "settled."), os[i].candidate_name,
				     cal_format_local(x->a, os[i].filed_on));
	if (rc == KV_OK)
		rc = STORE(x->st, award_decision_definitive, d.id, x->now,
			   x->actor, e);
	if (rc == KV_OK)
		rc = app_audit(x, p.tenant_id, "award.definitive",
			       arena_printf(x->a, "procedure/%lld/lot/%lld",
					    (long long)p.id,
					    (long long)d.lot_id),
			       NULL,
			       arena_printf(x->a,
					    "{\"decision\":%lld,\"number\":%d,"
					    "\"winner\":%lld}",
					    (long long)d.id, d.number,
					    (long long)d.winner_candidate),
			       e);
	return app_finish(x, rc, e);
}

/* The account with `email` made an assessor of the procedure p (unless
 * `already_ok` and it assesses or buys it already), inside the caller's
 * write transaction; into acc. */
static enum kv_status grant_in(struct app *x, const struct procedure *p,
			       const char *email, bool already_ok,
			       struct account *acc, struct kv_error *e)
{
	enum kv_status rc = KV_OK;
	if (!email || STORE(x->st, account_by_email, email, x->a, acc, e) != KV_OK ||
	    acc->disabled || acc->org_id != p->tenant_id)
		rc = kv_fail(e, KV_INVALID, "email",
			     _("Give the e-mail address of an account of "
			       "this municipality."));
	unsigned roles = rc == KV_OK ? roles_of(x, p, acc->id) : 0;
	if (rc == KV_OK && (roles & ROLE_BIDDER))
		rc = kv_fail(e, KV_INVALID, "email",
			     _("A bidder cannot assess."));
	if (rc == KV_OK && already_ok && (roles & (ROLE_ASSESSOR | ROLE_BUYER)))
		return KV_OK;
	if (rc == KV_OK && (roles & ROLE_ASSESSOR))
		rc = kv_fail(e, KV_CONFLICT, "email",
			     _("%s assesses this procedure already."), email);
	struct grant g = {.account_id = rc == KV_OK ? acc->id : 0,
			  .tenant_id = p->tenant_id, .procedure_id = p->id,
			  .role = ROLE_ASSESSOR};
	if (rc == KV_OK)
		rc = STORE(x->st, grant_add, &g, e);
	if (rc == KV_OK)
		rc = app_audit(x, p->tenant_id, "grant.add",
			       arena_printf(x->a, "account/%lld",
					    (long long)acc->id),
			       NULL,
			       app_json_text(x->a,
					     json_pack("{s:s, s:I, s:s}",
						       "email", acc->email,
						       "procedure",
						       (json_int_t)p->id,
						       "role", "assessor")),
			       e);
	return rc;
}

enum kv_status app_assessor_add(struct app *x, int64_t procedure_id,
				const char *email, struct kv_error *e)
{
	struct procedure p;
	struct account acc;
	enum kv_status rc = app_begin_procedure(x, procedure_id, &p, e);
	if (rc == KV_OK)
		rc = grant_in(x, &p, email, false, &acc, e);
	return app_finish(x, rc, e);
}

enum kv_status app_award_assign_lots(struct app *x, int64_t procedure_id,
				     int64_t account_id,
				     const struct award_lot_assignment *lots,
				     int n, struct kv_error *errs, int *n_errs)
{
	*n_errs = 0;
	enum kv_status rc = app_begin(x, &errs[0]);
	if (rc != KV_OK) {
		*n_errs = 1;
		return rc;
	}
	struct procedure p;
	struct account acc;
	rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, &errs[0]);
	struct award_assessor *cs = NULL;
	int nc = 0;
	if (rc == KV_OK)
		rc = app_award_assessor_choices(x, procedure_id, &cs, &nc, &errs[0]);
	const char *email = NULL;
	for (int k = 0; rc == KV_OK && k < nc; k++)
		if (cs[k].account_id == account_id)
			email = cs[k].email;
	if (rc == KV_OK && !email)
		rc = kv_fail(&errs[0], KV_INVALID, "assessor",
			     _("Pick an assessor of this municipality from the list."));
	if (rc == KV_OK)
		rc = grant_in(x, &p, email, true, &acc, &errs[0]);
	if (rc != KV_OK) {
		if (strcmp(errs[0].field, "email") == 0)
			snprintf(errs[0].field, sizeof errs[0].field, "assessor");
		*n_errs = 1;
		return app_finish(x, rc, &errs[0]);
	}
	/* every lot, so that each refusal is said at its lot */
	enum kv_status first = KV_OK;
	for (int i = 0; i < n; i++) {
		struct kv_error le = {0};
		enum kv_status r = assign_in(x, procedure_id, lots[i].lot_id,
					     acc.id, lots[i].keys, lots[i].n,
					     &le);
		if (r == KV_OK)
			continue;
		snprintf(le.field, sizeof le.field, "lot-%lld",
			 (long long)lots[i].lot_id);
		errs[(*n_errs)++] = le;
		if (first == KV_OK)
			first = r;
	}
	if (first != KV_OK) {
		app_finish(x, first, &errs[0]);
		return first;
	}
	rc = app_finish(x, KV_OK, &errs[0]);
	if (rc != KV_OK)
		*n_errs = 1;
	return rc;
}
