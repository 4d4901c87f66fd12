/*
 * read_award.c - the award's read side (read_award.h): the rules as
 * announced, the decisions and objections of a lot, a decision's snapshot
 * read back as the document of its letters, and the sentences the
 * ranking and those documents share.  Reads only: no transaction, no
 * audit.
 */
#include <jansson.h>
#include <string.h>

#include "app/libmem.h"
#include "core/validate.h"
#include "internal.h"
#include "read_award.h"

/* ---- sentences ------------------------------------------------------------ */

/* The decimal mark of the documents made from a decision's snapshot (the
 * letters, the award file): Dutch, as report/pdfdoc's pdf_decimal. */
#define DOC_MARK ','

const char *app_award_pct(arena *a, int64_t ppm, char mark)
{
	char buf[32];
	int64_t h = (ppm + 50) / 100;   /* hundredths of a percent */
	return arena_printf(a, "%s %%", dec_format(h, mark, buf));
}

const char *app_award_status_code(enum award_decision_status s)
{
	return s == AWARD_DEFINITIVE ? "definitive"
	       : s == AWARD_SUPERSEDED ? "superseded" : "provisional";
}

static const char *eur_text(arena *a, int64_t cents)
{
	char buf[48];
	return arena_strdup(a, eur_format(cents, buf));
}

const char *app_award_result_text(arena *a, const struct award_rules *r,
				  bool valid, int64_t quality_ppm,
				  int64_t total_ppm, int64_t fictive_cents,
				  int64_t ratio_cents, char mark)
{
	if (!valid)
		return _("invalid");
	switch (r->lot.method.kind) {
	case AWARD_WEIGHTED:
		return arena_printf(a, _("total score %s"),
				    app_award_pct(a, total_ppm, mark));
	case AWARD_QUALITY_ONLY:
		return arena_printf(a, _("quality score %s"),
				    app_award_pct(a, quality_ppm, mark));
	case AWARD_FICTIVE_PRICE:
		return arena_printf(a, _("fictive price %s"),
				    eur_text(a, fictive_cents));
	case AWARD_PRICE_QUALITY_RATIO:
		return arena_printf(a, _("price per full quality score %s"),
				    eur_text(a, ratio_cents));
	case AWARD_LOWEST_PRICE:
		break;
	}
	return _("lowest price");
}

const char *app_award_sens_sentence(arena *a, int bp, const char *who,
				    bool up, char mark)
{
	char buf[32];
	if (bp < 0)
		return up ? _("no increase changes the winner")
			  : _("no decrease changes the winner");
	return arena_printf(a, up ? _("+%s points: %s wins")
				  : _("-%s points: %s wins"),
			    dec_format(bp, mark, buf),
			    *who ? who : _("a tie for the buyer"));
}

const char *app_award_reversal_sentence(arena *a, const char *removed,
					bool order_changed,
					bool winner_changed,
					const char *new_winner)
{
	if (winner_changed)
		return arena_printf(a, _("Without %s's bid, %s would win."),
				    removed, *new_winner ? new_winner
							 : _("a tie for the buyer"));
	if (order_changed)
		return arena_printf(a, _("Without %s's bid, the order of the others changes (rank reversal); the winner stays."),
				    removed);
	return arena_printf(a, _("Without %s's bid, nothing changes."), removed);
}

const char *app_award_mc_sentence(arena *a, const struct award_mc *mc,
				 char mark)
{
	return arena_printf(a,
		_("When every consensus score moves one step up or down with a chance of %d %%, the winner stays the winner in %s of %lld scenarios (95 %% interval %s to %s)."),
		mc->p_bp / 100,
		app_award_pct(a, (int64_t)(mc->probability * 1e6 + 0.5), mark),
		(long long)mc->scenarios,
		app_award_pct(a, (int64_t)(mc->ci_low * 1e6 + 0.5), mark),
		app_award_pct(a, (int64_t)(mc->ci_high * 1e6 + 0.5), mark));
}

/* ---- the rules, the assessors ---------------------------------------------- */

enum kv_status app_award_rules_read(struct app *x, int64_t procedure_id,
				    int64_t lot_id, struct award_setup_rec *s,
				    struct award_rules *r, const char **text,
				    struct kv_error *e)
{
	*text = "";
	enum kv_status rc = STORE(x->st, award_setup_get, procedure_id, lot_id,
				  x->a, s, e);
	if (rc == KV_OK)
		rc = app_award_rules_parse_text(x->a, s->rules, r, e);
	if (rc != KV_OK)
		return rc == KV_NOT_FOUND ? KV_NOT_FOUND
		       : kv_fail(e, KV_NOT_FOUND, "lot",
				 _("This lot has no award rules yet."));
	json_t *j = app_award_rules_json(r);
	const char *dump = libmem_json_text(x->a, j,
					    JSON_INDENT(2) | JSON_PRESERVE_ORDER,
					    1 << 20);
	json_decref(j);
	*text = dump ? dump : "";
	return KV_OK;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

enum kv_status app_award_assessor_id(struct app *x, const char *email,
				     int64_t *account_id,
				     struct kv_error *e)
{
	struct account acc;
	*account_id = 0;
	if (blank(email) ||
	    STORE(x->st, account_by_email, email, x->a, &acc, e) != KV_OK)
		return kv_fail(e, KV_INVALID, "assessor",
			       _("Give the e-mail address of an assessor of this procedure."));
	*account_id = acc.id;
	return KV_OK;
}

enum kv_status app_award_assessors(struct app *x, int64_t procedure_id,
				   struct award_assessor **out, int *n,
				   struct kv_error *e)
{
	struct award_assignment *as = NULL;
	int na = 0;
	*n = 0;
	enum kv_status rc = STORE(x->st, award_assignment_list, procedure_id,
				  x->a, &as, &na, e);
	*out = arena_alloc(x->a, (size_t)(na + 1) * sizeof **out);
	for (int i = 0; rc == KV_OK && i < na; i++) {
		bool seen = false;
		for (int k = 0; k < *n; k++)
			seen |= (*out)[k].account_id == as[i].account_id;
		if (seen)
			continue;
		/* by name, as they are listed */
		int at = *n;
		const char *name = as[i].name ? as[i].name : "";
		while (at > 0 && strcmp((*out)[at - 1].name, name) > 0) {
			(*out)[at] = (*out)[at - 1];
			at--;
		}
		(*out)[at] = (struct award_assessor){
			.account_id = as[i].account_id,
			.email = as[i].email ? as[i].email : "", .name = name};
		(*n)++;
	}
	return rc;
}

enum kv_status app_award_assessor_choices(struct app *x, int64_t procedure_id,
					  struct award_assessor **out, int *n,
					  struct kv_error *e)
{
	struct procedure p;
	struct account *as = NULL;
	unsigned *roles = NULL;
	int na = 0;
	*n = 0;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc == KV_OK)
		rc = STORE(x->st, tenant_accounts, p.tenant_id, x->a, &as, &roles,
			   &na, e);
	*out = arena_alloc(x->a, (size_t)(na + 1) * sizeof **out);
	for (int i = 0; rc == KV_OK && i < na; i++) {
		if (!(roles[i] & (ROLE_ASSESSOR | ROLE_BUYER)) ||
		    (roles[i] & ROLE_BIDDER) || as[i].org_id != p.tenant_id)
			continue;
		(*out)[(*n)++] = (struct award_assessor){
			.account_id = as[i].id, .email = as[i].email ? as[i].email : "",
			.name = as[i].name ? as[i].name : "",
			.buyer = !(roles[i] & ROLE_ASSESSOR)};
	}
	return rc;
}

const char *app_award_assignment_label(const struct award_rules *r,
				       const char *key)
{
	if (!key || strcmp(key, "*") == 0)
		return _("all criteria");
	int i = app_award_key_index(r, key);
	return i >= 0 ? r->criteria[i].name : key;
}

/* ---- decisions and objections ----------------------------------------------- */

enum kv_status app_award_decisions(struct app *x, int64_t procedure_id,
				   int64_t lot_id,
				   struct award_decision_rec **out, int *n,
				   struct kv_error *e)
{
	*out = NULL;
	*n = 0;
	return STORE(x->st, award_decision_list, procedure_id, lot_id, x->a,
		     out, n, e);
}

enum kv_status app_award_decision_get(struct app *x, int64_t procedure_id,
				      int64_t lot_id, int number,
				      struct award_decision_rec *out,
				      struct kv_error *e)
{
	struct award_decision_rec *ds;
	int n;
	enum kv_status rc = app_award_decisions(x, procedure_id, lot_id, &ds,
						&n, e);
	const struct award_decision_rec *found = NULL;
	for (int i = 0; rc == KV_OK && i < n; i++)
		if (number ? ds[i].number == number
			   : ds[i].status != AWARD_SUPERSEDED)
			found = &ds[i];
	if (rc == KV_OK && !found)
		rc = kv_fail(e, KV_DENIED, "",
			     _("No award decision has been sent for this lot."));
	if (rc == KV_OK)
		*out = *found;
	return rc;
}

enum kv_status app_award_objections(struct app *x, int64_t procedure_id,
				    int64_t lot_id,
				    struct award_objections_view *out,
				    struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	struct award_objection *os = NULL;
	int no = 0;
	enum kv_status rc = STORE(x->st, objection_list, procedure_id, x->a,
				  &os, &no, e);
	if (rc == KV_OK)
		rc = app_award_decisions(x, procedure_id, lot_id,
					 &out->decisions, &out->n_decisions, e);
	struct procedure p;
	if (rc == KV_OK)
		rc = STORE(x->st, procedure_get, procedure_id, x->a, &p, e);
	if (rc == KV_OK)
		rc = app_award_bidders(x, &p, lot_id, &out->bidders,
				       &out->n_bidders, e);
	if (rc != KV_OK)
		return rc;
	/* the procedure's objections against this lot's decisions */
	out->objections = arena_alloc(x->a, (size_t)(no + 1) * sizeof *os);
	for (int i = 0; i < no; i++) {
		bool ours = false;
		for (int k = 0; k < out->n_decisions; k++)
			ours = ours || out->decisions[k].id == os[i].decision_id;
		if (ours)
			out->objections[out->n_objections++] = os[i];
	}
	return KV_OK;
}

/* ---- a decision's snapshot as its document ------------------------------------ */

static const char *str_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t int_of(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *when_text(arena *a, kv_instant t)
{
	return t ? cal_format_local(a, t) : "";
}

/* The bid of candidate id in the snapshot's bids, -1 when none. */
static int bid_of(const int64_t *cands, int nb, int64_t id)
{
	for (int b = 0; b < nb; b++)
		if (cands[b] == id)
			return b;
	return -1;
}

static struct award_doc_criterion *doc_criteria(arena *a,
						const struct award_rules *ru)
{
	int nc = ru->lot.n_criteria;
	struct award_doc_criterion *cr = arena_alloc(a, (size_t)(nc + 1) * sizeof *cr);
	for (int i = 0; i < nc; i++) {
		const struct award_criterion *c = &ru->criteria[i];
		sbuf rub;
		sbuf_init(&rub, a, 8000);
		for (int s = 0; s < c->scale.n_steps; s++)
			sbuf_printf(&rub, "%s%s", s ? "\n" : "",
				    app_award_step_label(a, ru, i, s, DOC_MARK));
		cr[i] = (struct award_doc_criterion){
			.key = ru->keys[i], .name = c->name,
			.depth = app_award_depth(ru, i),
			.weight_bp = c->weight_bp,
			.weight_total_bp = app_award_weight_total_bp(ru, i),
			.leaf = c->scale.n_steps > 0, .knock_out = c->knock_out,
			.rubric = sbuf_str(&rub)};
	}
	return cr;
}

static void doc_bid(arena *a, const struct award_rules *ru, json_t *b,
		    struct award_doc_bid *x)
{
	int nc = ru->lot.n_criteria;
	x->name = arena_strdup(a, str_of(b, "name"));
	x->valid = json_is_true(json_object_get(b, "valid"));
	x->invalid_reason = arena_strdup(a, str_of(b, "invalid_reason"));
	x->rank = (int)int_of(b, "rank");
	x->has_price = json_is_true(json_object_get(b, "has_price"));
	x->price_cents = int_of(b, "price_cents");
	x->quality_ppm = int_of(b, "quality_ppm");
	x->price_ppm = int_of(b, "price_ppm");
	x->total_ppm = int_of(b, "total_ppm");
	x->fictive_cents = int_of(b, "fictive_cents");
	x->ratio_cents = int_of(b, "ratio_cents");
	x->result = app_award_result_text(a, ru, x->valid, x->quality_ppm,
					  x->total_ppm, x->fictive_cents,
					  x->ratio_cents, DOC_MARK);
	x->scores = arena_alloc(a, (size_t)(nc + 1) * sizeof *x->scores);
	json_t *steps = json_object_get(b, "steps"),
	       *nodes = json_object_get(b, "node_ppm"),
	       *mot = json_object_get(b, "motivations");
	for (int i = 0; i < nc; i++) {
		json_t *st = json_object_get(steps, ru->keys[i]);
		x->scores[i].step = st ? app_award_step_label(a, ru, i, (int)json_integer_value(st), DOC_MARK) : "";
		x->scores[i].score_ppm = json_integer_value(json_object_get(nodes, ru->keys[i]));
		x->scores[i].motivation = arena_strdup(a, str_of(mot, ru->keys[i]));
	}
}

enum kv_status app_award_doc(struct app *x, int64_t procedure_id,
			     const struct award_decision_rec *dec,
			     struct award_doc *d, int64_t **cands,
			     struct kv_error *e)
{
	arena *a = x->a;
	memset(d, 0, sizeof *d);
	struct procedure p;
	enum kv_status rc = STORE(x->st, procedure_get, procedure_id, a, &p, e);
	if (rc != KV_OK)
		return rc;
	json_error_t je;
	json_t *j = json_loads(dec->doc, 0, &je);
	struct award_rules ru;
	if (!j || app_award_rules_parse(a, json_object_get(j, "rules"), &ru, e) != KV_OK) {
		json_decref(j);
		return kv_fail(e, KV_IO, "", _("The stored award decision cannot be read."));
	}
	json_t *bids = json_object_get(j, "bids");
	int nb = (int)json_array_size(bids);
	struct award_doc_bid *bs = arena_alloc(a, (size_t)(nb + 1) * sizeof *bs);
	*cands = arena_alloc(a, (size_t)(nb + 1) * sizeof **cands);
	for (int k = 0; k < nb; k++) {
		json_t *b = json_array_get(bids, (size_t)k);
		(*cands)[k] = int_of(b, "candidate");
		doc_bid(a, &ru, b, &bs[k]);
	}
	d->winner = bid_of(*cands, nb, int_of(j, "winner"));

	json_t *inds = json_object_get(j, "individual");
	int ni = (int)json_array_size(inds);
	struct award_doc_individual *is = arena_alloc(a, (size_t)(ni + 1) * sizeof *is);
	int kept = 0;
	for (int k = 0; k < ni; k++) {
		json_t *o = json_array_get(inds, (size_t)k);
		int bi = bid_of(*cands, nb, int_of(o, "candidate"));
		int ci = app_award_key_index(&ru, str_of(o, "criterion"));
		if (bi < 0 || ci < 0)
			continue;
		is[kept++] = (struct award_doc_individual){
			.assessor = arena_strdup(a, str_of(o, "assessor")), .bid = bi,
			.criterion = ci,
			.step = app_award_step_label(a, &ru, ci, (int)int_of(o, "step"), DOC_MARK),
			.motivation = arena_strdup(a, str_of(o, "motivation"))};
	}

	json_t *sens = json_object_get(j, "sensitivity");
	int nsn = (int)json_array_size(sens);
	struct award_doc_sensitivity *sn = arena_alloc(a, (size_t)(nsn + 1) * sizeof *sn);
	for (int k = 0; k < nsn; k++) {
		json_t *o = json_array_get(sens, (size_t)k);
		int up = bid_of(*cands, nb, int_of(o, "up_winner"));
		int down = bid_of(*cands, nb, int_of(o, "down_winner"));
		sn[k] = (struct award_doc_sensitivity){
			.name = arena_strdup(a, str_of(o, "name")),
			.weight_bp = (int)int_of(o, "weight_bp"),
			.up = app_award_sens_sentence(a, (int)int_of(o, "up_bp"),
						      up >= 0 ? bs[up].name : "", true,
						      DOC_MARK),
			.down = app_award_sens_sentence(a, (int)int_of(o, "down_bp"),
							down >= 0 ? bs[down].name : "", false,
							DOC_MARK)};
	}

	json_t *rev = json_object_get(j, "reversal");
	int nr = (int)json_array_size(rev);
	const char **rs = arena_alloc(a, (size_t)(nr + 1) * sizeof *rs);
	for (int k = 0; k < nr; k++) {
		json_t *o = json_array_get(rev, (size_t)k);
		int removed = bid_of(*cands, nb, int_of(o, "removed"));
		int nw = bid_of(*cands, nb, int_of(o, "new_winner"));
		rs[k] = app_award_reversal_sentence(
			a, removed >= 0 ? bs[removed].name : "",
			json_is_true(json_object_get(o, "order_changed")),
			json_is_true(json_object_get(o, "winner_changed")),
			nw >= 0 ? bs[nw].name : "");
	}

	json_t *mc = json_object_get(j, "monte_carlo");
	if (mc) {
		struct award_mc m = {.p_bp = (int)int_of(mc, "p_bp"),
				     .scenarios = int_of(mc, "scenarios"),
				     .probability = json_real_value(json_object_get(mc, "probability")),
				     .ci_low = json_real_value(json_object_get(mc, "ci_low")),
				     .ci_high = json_real_value(json_object_get(mc, "ci_high"))};
		d->monte_carlo = app_award_mc_sentence(a, &m, DOC_MARK);
	} else {
		d->monte_carlo = "";
	}

	struct org muni;
	struct kv_error oe;
	d->municipality = STORE(x->st, org_get, p.tenant_id, a, &muni, &oe) == KV_OK
			  ? muni.name : "";
	json_t *lot = json_object_get(j, "lot"), *proc = json_object_get(j, "procedure");
	d->reference = arena_strdup(a, str_of(proc, "reference"));
	d->procedure_title = arena_strdup(a, str_of(proc, "title"));
	d->lot_number = (int)int_of(lot, "number");
	d->lot_title = arena_strdup(a, str_of(lot, "title"));
	d->decision_number = dec->number;
	d->method = award_method_label(ru.lot.method.kind);
	d->formula = award_method_formula(a, &ru.lot.method, DOC_MARK);
	d->tie_rule = award_tie_rule_label(ru.lot.tie_rule);
	d->criteria = doc_criteria(a, &ru);
	d->n_criteria = ru.lot.n_criteria;
	d->bids = bs;
	d->n_bids = nb;
	d->winner_summary = arena_strdup(a, str_of(j, "winner_summary"));
	d->individual = is;
	d->n_individual = kept;
	d->sent_at = when_text(a, dec->sent_at);
	d->standstill_end = when_text(a, dec->standstill_end);
	d->standstill_rule = arena_printf(a, "%s (%s)", str_of(j, "standstill_rule"),
					  str_of(j, "standstill_source"));
	d->objection = arena_strdup(a, str_of(j, "objection"));
	d->corrected_reason = arena_strdup(a, str_of(j, "corrected_reason"));
	d->sensitivity = sn;
	d->n_sensitivity = nsn;
	d->reversal = rs;
	d->n_reversal = nr;
	json_decref(j);
	return KV_OK;
}

/* ---- lookups of the scoring page ---------------------------------------------- */

const char *app_award_score_of(const struct award_score_rec *s, int n,
			       int64_t candidate_id, const char *key,
			       int *step)
{
	for (int i = 0; i < n; i++)
		if (s[i].candidate_id == candidate_id &&
		    strcmp(s[i].criterion_key, key) == 0) {
			*step = s[i].step;
			return s[i].motivation;
		}
	*step = -1;
	return NULL;
}

bool app_award_card_in(const struct award_view *v, int64_t account_id)
{
	for (int k = 0; k < v->n_cards; k++)
		if (v->cards[k].account_id == account_id)
			return true;
	return false;
}

bool app_award_scores_any(const struct award_view *v)
{
	for (int i = 0; i < v->rules.lot.n_criteria; i++)
		if (v->mine[i] && v->rules.criteria[i].scale.n_steps)
			return true;
	return false;
}
