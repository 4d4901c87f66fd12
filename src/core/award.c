/*
 * award.c - scoring the bids of one lot: the checks of criteria, scales,
 * methods and tie rules; the formulas as sentences; the ranking; and the
 * robustness of the outcome (weight sensitivity, rank reversal, Monte
 * Carlo).  See award.h for the contract.
 *
 * Plain C, no I/O.  Every figure is an integer (cents, basis points,
 * ppm of the maximum score); quotients are rounded half away from zero
 * (round_div).  Products that can pass 2^63 (cents x 10^6, weights in
 * 10^-8 x ppm x 10^8) are formed in unsigned/signed __int128.
 *
 * The one float: logarithmic price scoring computes
 *     x = 1 - ln(price / lowest) / ln(k / 10000)
 * in IEEE 754 binary64 with C's log(), clamps x to 0..1, and rounds
 * x x 10^6 to the nearest ppm half away from zero (llround).  A price
 * equal to the lowest gives exactly 10^6 without any logarithm.  The
 * doubles never leave price_points(); libm's last-ulp differences could
 * only matter at an exact half ppm.
 *
 * Top-level weights: the total is sum(V_i x s_i) / 10^8 where s_i is an
 * item's score (price points or a top-level criterion's score, ppm) and
 * V_i its weight in 10^-8 of the total: price V = price_weight x 10^4, a
 * top-level criterion V = (10000 - price_weight) x its weight.  Moving
 * item j to weight t (same unit) and rescaling the others by
 * (10^8 - t) / (10^8 - V_j) gives, exactly,
 *     total(t) = (t x s_j x (10^8 - V_j) + (10^8 - t) x R) /
 *                (10^8 x (10^8 - V_j)),     R = sum over i != j of V_i s_i,
 * rounded like the total; at t = V_j it is the published total.
 *
 * The Monte Carlo's PRNG is xoshiro256** (Blackman and Vigna, 2018,
 * public domain, prng.di.unimi.it) seeded by four outputs of splitmix64
 * (Steele, Lea and Flood, 2014).  Simulation, not cryptography.
 */
#include "award.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

#define COUNT(x) ((int)(sizeof(x) / sizeof((x)[0])))
#define W_TOTAL 100000000LL          /* weights of items: 10^-8 units */
#define MAX_CENTS 1000000000000000LL /* EUR 10^13, as eur_parse */
#define NAME_MAX_LEN 200

typedef __int128 i128;

/* n / d rounded half away from zero; d > 0. */
static int64_t round_div(int64_t n, int64_t d)
{
	if (n >= 0)
		return (n + d / 2) / d;
	return -((-n + d / 2) / d);
}

static int64_t round_div128(i128 n, i128 d)
{
	if (n >= 0)
		return (int64_t)((n + d / 2) / d);
	return (int64_t)-((-n + d / 2) / d);
}

/* --- names ------------------------------------------------------------- */

struct name {
	const char *code;
	const char *label;
};

static const struct name method_names[] = {
	[AWARD_WEIGHTED] = {"weighted", N_("Weighted factor (price and "
					   "quality)")},
	[AWARD_FICTIVE_PRICE] = {"fictive-price", N_("Fictive price "
						     "(award on value)")},
	[AWARD_QUALITY_ONLY] = {"quality-only", N_("Quality only at a fixed "
						   "budget")},
	[AWARD_LOWEST_PRICE] = {"lowest-price", N_("Lowest price")},
	[AWARD_PRICE_QUALITY_RATIO] = {"price-quality-ratio",
				       N_("Price/quality ratio")},
};

static const char *const tie_labels[] = {
	[AWARD_TIE_LOWEST_PRICE] = N_("Equal scores: the lowest price wins"),
	[AWARD_TIE_CRITERION] = N_("Equal scores: the highest score on the "
				   "announced criterion wins"),
	[AWARD_TIE_DRAWING] = N_("Equal scores: lots are drawn before a "
				 "notary"),
};

const char *award_method_code(enum award_method_kind k)
{
	return (unsigned)k < (unsigned)COUNT(method_names) ?
	    method_names[k].code : "";
}

const char *award_method_label(enum award_method_kind k)
{
	return (unsigned)k < (unsigned)COUNT(method_names) ?
	    _(method_names[k].label) : "";
}

int award_method_from_code(const char *s)
{
	for (int i = 0; s && i < COUNT(method_names); i++)
		if (strcmp(method_names[i].code, s) == 0)
			return i;
	return -1;
}

const char *award_tie_rule_label(enum award_tie_rule r)
{
	return (unsigned)r < (unsigned)COUNT(tie_labels) ?
	    _(tie_labels[r]) : "";
}

/* --- scales and criteria ------------------------------------------------ */

struct award_scale award_scale_marks(int lo, int hi)
{
	struct award_scale s;
	memset(&s, 0, sizeof s);
	if (lo < 0 || hi <= lo || hi - lo + 1 > AWARD_MAX_STEPS)
		return s;
	s.n_steps = hi - lo + 1;
	for (int i = 0; i < s.n_steps; i++)
		s.value_bp[i] = (int)round_div((int64_t)(lo + i) *
						   AWARD_BP_WHOLE, hi);
	return s;
}

static int index_of(const struct award_criterion *c, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (c[i].id == id)
			return i;
	return -1;
}

static bool has_children(const struct award_criterion *c, int n, int i)
{
	for (int j = i + 1; j < n; j++)
		if (c[j].parent == c[i].id)
			return true;
	return false;
}

enum kv_status award_criteria_check(const struct award_criterion *c, int n,
				    struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	if (n < 0 || n > AWARD_MAX_CRITERIA)
		return kv_fail(e, KV_INVALID, "criteria",
			       _("A lot has at most %d award criteria."),
			       AWARD_MAX_CRITERIA);
	for (int i = 0; i < n; i++) {
		if (text_check(c[i].name, NAME_MAX_LEN, "name", e) != KV_OK)
			return e ? e->status : KV_INVALID;
		for (int j = 0; j < i; j++)
			if (c[j].id == c[i].id)
				return kv_fail(e, KV_INVALID, "id",
					       _("Two criteria have the number "
						 "%d."), c[i].id);
		if (c[i].parent != -1) {
			int p = index_of(c, n, c[i].parent);
			if (p < 0 || p >= i)
				return kv_fail(e, KV_INVALID, "parent",
					       _("The criterion \"%s\" names a "
						 "parent that is not listed "
						 "before it."),
					       kv_quote(c[i].name, q));
		}
		if (c[i].weight_bp < 1 || c[i].weight_bp > AWARD_BP_WHOLE)
			return kv_fail(e, KV_INVALID, "weight",
				       _("The weight of \"%s\" must be more "
					 "than 0%% and at most 100%%."),
				       kv_quote(c[i].name, q));
		bool leaf = !has_children(c, n, i);
		if (!leaf && c[i].knock_out)
			return kv_fail(e, KV_INVALID, "knock_out",
				       _("Only a criterion without sub-criteria "
					 "can be a knock-out criterion: \"%s\" "
					 "has sub-criteria."),
				       kv_quote(c[i].name, q));
		if (c[i].value_cents < 0 || c[i].value_cents > MAX_CENTS)
			return kv_fail(e, KV_INVALID, "value",
				       _("The value in euros of \"%s\" must "
					 "not be negative."),
				       kv_quote(c[i].name, q));
		if (!leaf)
			continue;
		const struct award_scale *s = &c[i].scale;
		if (s->n_steps < 2)
			return kv_fail(e, KV_INVALID, "scale",
				       _("The criterion \"%s\" has no scale: "
					 "give at least two steps."),
				       kv_quote(c[i].name, q));
		if (s->n_steps > AWARD_MAX_STEPS)
			return kv_fail(e, KV_INVALID, "scale",
				       _("The scale of \"%s\" has more than %d "
					 "steps."), kv_quote(c[i].name, q),
				       AWARD_MAX_STEPS);
		for (int k = 0; k < s->n_steps; k++) {
			if (s->value_bp[k] < 0 ||
			    s->value_bp[k] > AWARD_BP_WHOLE)
				return kv_fail(e, KV_INVALID, "scale",
					       _("Step %d of the scale of "
						 "\"%s\" is worth %d basis "
						 "points; a step is worth 0 to "
						 "10000."), k + 1,
					       kv_quote(c[i].name, q),
					       s->value_bp[k]);
			if (k > 0 && s->value_bp[k] <= s->value_bp[k - 1])
				return kv_fail(e, KV_INVALID, "scale",
					       _("The scale of \"%s\" is not in "
						 "ascending order: step %d is "
						 "worth %d, step %d %d."),
					       kv_quote(c[i].name, q), k,
					       s->value_bp[k - 1], k + 1,
					       s->value_bp[k]);
		}
	}
	/* Siblings: the top level (parent -1), then each parent. */
	for (int p = -1; p < n; p++) {
		int pid = p < 0 ? -1 : c[p].id, sum = 0, kids = 0;
		for (int i = p + 1; i < n; i++)
			if (c[i].parent == pid) {
				sum += c[i].weight_bp;
				kids++;
			}
		if (kids == 0 || sum == AWARD_BP_WHOLE)
			continue;
		if (p < 0)
			return kv_fail(e, KV_INVALID, "weight",
				       _("The weights of the top-level "
					 "criteria add up to %d.%02d%%, not "
					 "100%%."), sum / 100, sum % 100);
		return kv_fail(e, KV_INVALID, "weight",
			       _("The weights of the sub-criteria of \"%s\" "
				 "add up to %d.%02d%%, not 100%%."),
			       kv_quote(c[p].name, q), sum / 100, sum % 100);
	}
	return KV_OK;
}

static bool weighs_criteria(enum award_method_kind k)
{
	return k == AWARD_WEIGHTED || k == AWARD_QUALITY_ONLY ||
	    k == AWARD_PRICE_QUALITY_RATIO;
}

enum kv_status award_lot_check(const struct award_lot *lot,
			       struct kv_error *e)
{
	enum kv_status st = award_criteria_check(lot->criteria,
						 lot->n_criteria, e);
	if (st != KV_OK)
		return st;
	const struct award_method *m = &lot->method;
	if ((unsigned)m->kind >= (unsigned)COUNT(method_names))
		return kv_fail(e, KV_INVALID, "method",
			       _("Choose an award method."));
	bool need_criteria = m->kind == AWARD_FICTIVE_PRICE ||
	    m->kind == AWARD_QUALITY_ONLY ||
	    m->kind == AWARD_PRICE_QUALITY_RATIO;
	if (need_criteria && lot->n_criteria == 0)
		return kv_fail(e, KV_INVALID, "criteria",
			       _("This award method needs quality "
				 "criteria."));
	if (m->kind == AWARD_WEIGHTED) {
		if (m->price_weight_bp < 0 ||
		    m->price_weight_bp > AWARD_BP_WHOLE)
			return kv_fail(e, KV_INVALID, "price_weight",
				       _("The weight of the price must be "
					 "between 0%% and 100%%."));
		if (lot->n_criteria == 0 &&
		    m->price_weight_bp != AWARD_BP_WHOLE)
			return kv_fail(e, KV_INVALID, "price_weight",
				       _("Without quality criteria the price "
					 "weighs 100%%."));
		if (m->price_weight_bp < AWARD_BP_WHOLE &&
		    lot->n_criteria == 0)
			return kv_fail(e, KV_INVALID, "criteria",
				       _("This award method needs quality "
					 "criteria."));
		switch (m->price_scoring) {
		case AWARD_PRICE_ABSOLUTE:
			if (m->lower_cents < 0 ||
			    m->upper_cents <= m->lower_cents ||
			    m->upper_cents > MAX_CENTS)
				return kv_fail(e, KV_INVALID, "upper",
					       _("The price bounds must satisfy "
						 "0 <= lower bound < upper "
						 "bound."));
			break;
		case AWARD_PRICE_RELATIVE:
			break;
		case AWARD_PRICE_LOG:
			if (m->log_k_bp <= AWARD_BP_WHOLE ||
			    m->log_k_bp > 100 * AWARD_BP_WHOLE)
				return kv_fail(e, KV_INVALID, "log_k",
					       _("The factor k of logarithmic "
						 "price scoring must be above 1 "
						 "and at most 100."));
			break;
		default:
			return kv_fail(e, KV_INVALID, "price_scoring",
				       _("Choose how the price is scored."));
		}
	}
	if (m->kind == AWARD_QUALITY_ONLY &&
	    (m->budget_cents <= 0 || m->budget_cents > MAX_CENTS))
		return kv_fail(e, KV_INVALID, "budget",
			       _("The fixed budget must be above zero."));
	switch (lot->tie_rule) {
	case AWARD_TIE_LOWEST_PRICE:
	case AWARD_TIE_DRAWING:
		break;
	case AWARD_TIE_CRITERION:
		if (index_of(lot->criteria, lot->n_criteria,
			     lot->tie_criterion_id) < 0)
			return kv_fail(e, KV_INVALID, "tie_criterion",
				       _("The tie rule names a criterion the "
					 "lot does not have."));
		break;
	default:
		return kv_fail(e, KV_INVALID, "tie_rule",
			       _("Choose a tie rule."));
	}
	return KV_OK;
}

/* --- formulas ------------------------------------------------------------- */

/* "40%" or "33,33%" (mark ','); "2" or "1.5" for k.  buf >= 16 bytes. */
static const char *pct(int bp, char mark, char *buf, size_t size)
{
	char d[32];
	snprintf(buf, size, "%s%%", dec_format(bp, mark, d));
	return buf;
}

static const char *factor(int bp, char mark, char *buf, size_t size)
{
	int whole = bp / AWARD_BP_WHOLE, frac = bp % AWARD_BP_WHOLE;
	if (frac == 0)
		snprintf(buf, size, "%d", whole);
	else {
		int n = snprintf(buf, size, "%d%c%04d", whole, mark, frac);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = 0;
	}
	return buf;
}

char *award_method_formula(arena *a, const struct award_method *m, char mark)
{
	char p[16], qw[16], e1[32], e2[32], k[24];
	switch (m->kind) {
	case AWARD_WEIGHTED: {
		pct(m->price_weight_bp, mark, p, sizeof p);
		pct(AWARD_BP_WHOLE - m->price_weight_bp, mark, qw, sizeof qw);
		const char *head = arena_printf(
		    a, _("Total score = %s x price points + %s x quality "
			 "score (the weighted criteria), both out of the "
			 "maximum; the highest total wins."), p, qw);
		switch (m->price_scoring) {
		case AWARD_PRICE_ABSOLUTE:
			eur_format(m->upper_cents, e1);
			eur_format(m->lower_cents, e2);
			return arena_printf(
			    a, _("%s Price points = maximum x (%s - price) / "
				 "(%s - %s), at most the maximum and at "
				 "least 0."), head, e1, e1, e2);
		case AWARD_PRICE_RELATIVE:
			return arena_printf(
			    a, _("%s Price points = maximum x lowest valid "
				 "price / price."), head);
		case AWARD_PRICE_LOG:
			factor(m->log_k_bp, mark, k, sizeof k);
			return arena_printf(
			    a, _("%s Price points = maximum x (1 - ln(price / "
				 "lowest valid price) / ln(%s)), at least 0: "
				 "a price %s times the lowest scores 0."),
			    head, k, k);
		}
		return arena_strdup(a, head);
	}
	case AWARD_FICTIVE_PRICE:
		return arena_strdup(
		    a, _("Fictive price = price - for each criterion its value "
			 "in euros x the share of the maximum its score is "
			 "worth. The lowest fictive price wins."));
	case AWARD_QUALITY_ONLY:
		eur_format(m->budget_cents, e1);
		return arena_printf(
		    a, _("Quality score = the weighted criteria. Bids above "
			 "the budget of %s are invalid. The highest quality "
			 "score wins."), e1);
	case AWARD_LOWEST_PRICE:
		return arena_strdup(a, _("The lowest valid price wins."));
	case AWARD_PRICE_QUALITY_RATIO:
		return arena_strdup(
		    a, _("Price/quality ratio = price / quality score (the "
			 "weighted criteria, 1 being the maximum). The lowest "
			 "ratio wins."));
	}
	return arena_strdup(a, "");
}

/* --- the compiled lot ------------------------------------------------------- */

struct model {
	const struct award_lot *lot;
	int n;                       /* criteria */
	int *pidx;                   /* parent's index, -1 top level */
	bool *leaf;
	int *weight;                 /* weight_bp, as criteria */
	const int **value;           /* leaves: the scale's value_bp */
	int n_leaves;
	int *leaves;                 /* leaf indices in criteria order */
	int *top_step;               /* per leaf: n_steps - 1 */
	int64_t *contrib;            /* per leaf and step: what it adds to
					its parent's sum (weight x ppm) */
	int n_inner;
	int *inner;                  /* criteria with sub-criteria, last
					first (children before parents) */
	bool any_knock_out;
	int n_items;                 /* price (WEIGHTED) + top-level */
	int64_t *V;                  /* item weights, 10^-8 of the total */
	int *item_crit;              /* criterion index, -1 price */
	int tie_idx;                 /* AWARD_TIE_CRITERION */
};

static void model_build(arena *a, const struct award_lot *lot,
			struct model *m)
{
	memset(m, 0, sizeof *m);
	const struct award_criterion *c = lot->criteria;
	int n = lot->n_criteria;
	m->lot = lot;
	m->n = n;
	m->pidx = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	m->leaf = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	m->leaves = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	m->weight = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	m->value = arena_alloc(a, sizeof(int *) * (size_t)(n + 1));
	m->top_step = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	m->inner = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	m->contrib = arena_alloc(a, sizeof(int64_t) * AWARD_MAX_STEPS *
					(size_t)(n + 1));
	m->V = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
	m->item_crit = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		m->pidx[i] = c[i].parent < 0 ? -1 : index_of(c, n, c[i].parent);
		m->leaf[i] = !has_children(c, n, i);
		m->weight[i] = c[i].weight_bp;
		m->value[i] = c[i].scale.value_bp;
		if (m->leaf[i]) {
			int l = m->n_leaves++;
			m->top_step[l] = c[i].scale.n_steps - 1;
			m->leaves[l] = i;
			m->any_knock_out |= c[i].knock_out;
			for (int k = 0; k < c[i].scale.n_steps; k++)
				m->contrib[l * AWARD_MAX_STEPS + k] =
				    (int64_t)c[i].weight_bp *
				    c[i].scale.value_bp[k] *
				    (AWARD_SCORE_MAX / AWARD_BP_WHOLE);
		}
	}
	for (int i = n - 1; i >= 0; i--)
		if (!m->leaf[i])
			m->inner[m->n_inner++] = i;
	int pw = lot->method.kind == AWARD_WEIGHTED ?
	    lot->method.price_weight_bp : 0;
	if (lot->method.kind == AWARD_WEIGHTED) {
		m->V[m->n_items] = (int64_t)pw * AWARD_BP_WHOLE;
		m->item_crit[m->n_items++] = -1;
	}
	for (int i = 0; i < n; i++)
		if (m->pidx[i] < 0) {
			m->V[m->n_items] = (int64_t)(AWARD_BP_WHOLE - pw) *
			    c[i].weight_bp;
			m->item_crit[m->n_items++] = i;
		}
	m->tie_idx = lot->tie_rule == AWARD_TIE_CRITERION ?
	    index_of(c, n, lot->tie_criterion_id) : -1;
}

/* Every criterion's score (ppm) from the steps: a leaf is its step's
 * value; a parent the weighted sum of its children, rounded.  The leaves
 * add their share to their parents' sums first; then the parents, last
 * first (parents come before children in the array), round theirs and
 * pass it up.  acc: n scratch, all zero on entry and left so (each entry
 * is reset once read). */
static void tree_inner(const struct model *m, int64_t *node, int64_t *acc)
{
	for (int k = 0; k < m->n_inner; k++) {
		int i = m->inner[k];
		int64_t v = round_div(acc[i], AWARD_BP_WHOLE);
		node[i] = v;
		acc[i] = 0;   /* ready for the next call */
		if (m->pidx[i] >= 0)
			acc[m->pidx[i]] += m->weight[i] * v;
	}
}

static void tree_scores(const struct model *m, const int *steps,
			int64_t *node, int64_t *acc)
{
	for (int l = 0; l < m->n_leaves; l++) {
		int i = m->leaves[l], st = steps[i];
		node[i] = (int64_t)m->value[i][st] *
		    (AWARD_SCORE_MAX / AWARD_BP_WHOLE);
		if (m->pidx[i] >= 0)
			acc[m->pidx[i]] += m->contrib[l * AWARD_MAX_STEPS + st];
	}
	tree_inner(m, node, acc);
}

/* --- scoring one situation ---------------------------------------------------- */

enum why {
	WHY_NONE,
	WHY_KNOCKED_OUT,             /* the bid's own flag */
	WHY_KO_CRITERION,            /* lowest step on a knock-out criterion */
	WHY_BUDGET,
	WHY_ZERO_QUALITY,            /* ratio undefined */
	WHY_REMOVED,                 /* left out (rank reversal) */
};

struct bidstate {
	bool valid;
	enum why why;
	int why_crit;
	int64_t quality, price_pts, total, fictive, ratio;
	int64_t merit;               /* higher is better */
	int64_t tiekey;              /* higher is better */
	int64_t pts_lowest;          /* the lowest price price_pts is for */
};

static int64_t price_points(const struct award_method *m, int64_t price,
			    int64_t lowest)
{
	switch (m->price_scoring) {
	case AWARD_PRICE_ABSOLUTE:
		if (price <= m->lower_cents)
			return AWARD_SCORE_MAX;
		if (price >= m->upper_cents)
			return 0;
		return round_div128((i128)AWARD_SCORE_MAX *
					(m->upper_cents - price),
				    m->upper_cents - m->lower_cents);
	case AWARD_PRICE_RELATIVE:
		return round_div128((i128)AWARD_SCORE_MAX * lowest, price);
	case AWARD_PRICE_LOG: {
		if (price <= lowest)
			return AWARD_SCORE_MAX;
		double x = 1.0 - log((double)price / (double)lowest) /
		    log((double)m->log_k_bp / AWARD_BP_WHOLE);
		if (x < 0.0)
			x = 0.0;
		if (x > 1.0)
			x = 1.0;
		return (int64_t)llround(x * AWARD_SCORE_MAX);
	}
	}
	return 0;
}

/* The working set shared by ranking, reversal, sensitivity and the Monte
 * Carlo: everything allocated once. */
struct work {
	const struct model *m;
	const struct award_bid *bids;
	int n;
	const int **steps;           /* per bid: the steps in use */
	int64_t **node;              /* per bid: criteria scores */
	int64_t *acc;
	bool *present;               /* false: left out (rank reversal) */
	struct bidstate *st;
};

static void work_init(arena *a, const struct model *m,
		      const struct award_bid *bids, int n, struct work *w)
{
	w->m = m;
	w->bids = bids;
	w->n = n;
	w->steps = arena_alloc(a, sizeof(int *) * (size_t)(n + 1));
	w->node = arena_alloc(a, sizeof(int64_t *) * (size_t)(n + 1));
	w->acc = arena_alloc(a, sizeof(int64_t) * (size_t)(m->n + 1));
	w->present = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	w->st = arena_alloc(a, sizeof(struct bidstate) * (size_t)(n + 1));
	for (int b = 0; b < n; b++) {
		w->steps[b] = bids[b].steps;
		w->node[b] = arena_alloc(a, sizeof(int64_t) *
						(size_t)(m->n + 1));
		w->present[b] = true;
		w->st[b].pts_lowest = -1;
	}
}

/* Validity that does not depend on scores: the bid's own knock-out flag
 * and the budget. */
static bool excluded_before_scoring(const struct model *m,
				    const struct award_bid *b)
{
	return b->knocked_out ||
	    (m->lot->method.kind == AWARD_QUALITY_ONLY &&
	     b->price_cents > m->lot->method.budget_cents);
}

/* Scores every present bid from w->node (already computed) and sets
 * validity and merit.  No allocation. */
static void evaluate(struct work *w)
{
	const struct model *m = w->m;
	const struct award_lot *lot = m->lot;
	const struct award_method *meth = &lot->method;
	int64_t lowest = -1;
	for (int b = 0; b < w->n; b++) {
		struct bidstate *s = &w->st[b];
		const struct award_bid *bid = &w->bids[b];
		s->valid = false;
		s->why = WHY_NONE;
		if (!w->present[b]) {
			s->why = WHY_REMOVED;
			continue;
		}
		if (bid->knocked_out) {
			s->why = WHY_KNOCKED_OUT;
			continue;
		}
		if (excluded_before_scoring(m, bid)) {
			s->why = WHY_BUDGET;
			continue;
		}
		const int *steps = w->steps[b];
		const int64_t *node = w->node[b];
		for (int l = 0; m->any_knock_out && l < m->n_leaves; l++) {
			int i = m->leaves[l];
			if (lot->criteria[i].knock_out && steps[i] == 0) {
				s->why = WHY_KO_CRITERION;
				s->why_crit = i;
				break;
			}
		}
		if (s->why != WHY_NONE)
			continue;
		/* At most 10000 x 10^6 per criterion, summed to 10^10. */
		int64_t q = 0;
		for (int it = 0; it < m->n_items; it++) {
			int ci = m->item_crit[it];
			if (ci >= 0)
				q += lot->criteria[ci].weight_bp * node[ci];
		}
		s->quality = round_div(q, AWARD_BP_WHOLE);
		if (meth->kind == AWARD_PRICE_QUALITY_RATIO &&
		    s->quality == 0) {
			s->why = WHY_ZERO_QUALITY;
			continue;
		}
		s->valid = true;
		s->tiekey = m->tie_idx >= 0 ? node[m->tie_idx] : 0;
		if (lowest < 0 || bid->price_cents < lowest)
			lowest = bid->price_cents;
	}
	for (int b = 0; b < w->n; b++) {
		struct bidstate *s = &w->st[b];
		if (!s->valid)
			continue;
		const struct award_bid *bid = &w->bids[b];
		const int64_t *node = w->node[b];
		switch (meth->kind) {
		case AWARD_WEIGHTED: {
			if (s->pts_lowest != lowest) {
				s->price_pts = price_points(
				    meth, bid->price_cents, lowest);
				s->pts_lowest = lowest;
			}
			/* sum V = 10^8, scores <= 10^6: at most 10^14. */
			int64_t raw = 0;
			for (int it = 0; it < m->n_items; it++) {
				int ci = m->item_crit[it];
				raw += m->V[it] *
				    (ci < 0 ? s->price_pts : node[ci]);
			}
			s->total = round_div(raw, W_TOTAL);
			s->merit = s->total;
			break;
		}
		case AWARD_FICTIVE_PRICE: {
			int64_t worth = 0;
			for (int l = 0; l < m->n_leaves; l++) {
				int i = m->leaves[l];
				const struct award_criterion *c =
				    &lot->criteria[i];
				worth += round_div128(
				    (i128)c->value_cents *
					c->scale.value_bp[w->steps[b][i]],
				    AWARD_BP_WHOLE);
			}
			s->fictive = bid->price_cents - worth;
			s->merit = -s->fictive;
			break;
		}
		case AWARD_QUALITY_ONLY:
			s->total = s->quality;
			s->merit = s->quality;
			break;
		case AWARD_LOWEST_PRICE:
			s->merit = -bid->price_cents;
			break;
		case AWARD_PRICE_QUALITY_RATIO:
			s->ratio = round_div128((i128)bid->price_cents *
						    AWARD_SCORE_MAX,
						s->quality);
			s->merit = -s->ratio;
			break;
		}
	}
}

/* >0: a ranks before b; 0: equal even after the tie rule. */
static int compare(const struct work *w, int a, int b)
{
	const struct bidstate *x = &w->st[a], *y = &w->st[b];
	if (x->merit != y->merit)
		return x->merit > y->merit ? 1 : -1;
	switch (w->m->lot->tie_rule) {
	case AWARD_TIE_LOWEST_PRICE: {
		int64_t pa = w->bids[a].price_cents, pb = w->bids[b].price_cents;
		return pa == pb ? 0 : (pa < pb ? 1 : -1);
	}
	case AWARD_TIE_CRITERION:
		return x->tiekey == y->tiekey ? 0 :
		    (x->tiekey > y->tiekey ? 1 : -1);
	case AWARD_TIE_DRAWING:
		break;
	}
	return 0;
}

/* The single best valid bid, or -1 (none, or the first place tied). */
static int winner_of(const struct work *w)
{
	int best = -1;
	bool tied = false;
	for (int b = 0; b < w->n; b++) {
		if (!w->st[b].valid)
			continue;
		if (best < 0) {
			best = b;
			continue;
		}
		int c = compare(w, b, best);
		if (c > 0) {
			best = b;
			tied = false;
		} else if (c == 0) {
			tied = true;
		}
	}
	return tied ? -1 : best;
}

/* Valid bids best first (stable on input order), then the others; ranks
 * (competition style, 1 1 3) and put_to_buyer.  order, rank, tied: n. */
static int order_of(const struct work *w, int *order, int *rank, bool *tied)
{
	int k = 0;
	for (int b = 0; b < w->n; b++) {
		rank[b] = 0;
		tied[b] = false;
		if (!w->st[b].valid)
			continue;
		int j = k++;
		while (j > 0 && compare(w, b, order[j - 1]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = b;
	}
	int n_valid = k;
	for (int i = 0; i < n_valid; i++) {
		if (i > 0 && compare(w, order[i], order[i - 1]) == 0) {
			rank[order[i]] = rank[order[i - 1]];
			tied[order[i]] = tied[order[i - 1]] = true;
		} else {
			rank[order[i]] = i + 1;
		}
	}
	for (int b = 0; b < w->n; b++)
		if (!w->st[b].valid)
			order[k++] = b;
	return n_valid;
}

/* --- input checks ----------------------------------------------------------- */

static enum kv_status bids_check(const struct award_lot *lot,
				 const struct award_bid *bids, int n,
				 struct kv_error *e)
{
	char q[KV_QUOTE_MAX];
	enum kv_status st = award_lot_check(lot, e);
	if (st != KV_OK)
		return st;
	if (n < 0 || n > AWARD_MAX_BIDS)
		return kv_fail(e, KV_INVALID, "bids",
			       _("A lot can rank at most %d bids."),
			       AWARD_MAX_BIDS);
	for (int b = 0; b < n; b++) {
		const struct award_bid *bid = &bids[b];
		if (bid->price_cents <= 0 || bid->price_cents > MAX_CENTS)
			return kv_fail(e, KV_INVALID, "price",
				       _("The price of bid \"%s\" must be "
					 "above zero."),
				       kv_quote(bid->name, q));
		if (bid->knocked_out) {
			if (!bid->knock_out_reason ||
			    !*bid->knock_out_reason)
				return kv_fail(e, KV_INVALID,
					       "knock_out_reason",
					       _("Bid \"%s\" is excluded: give "
						 "the reason."),
					       kv_quote(bid->name, q));
			continue;
		}
		if (excluded_before_scoring(&(struct model){.lot = lot},
					    bid))
			continue;
		for (int i = 0; i < lot->n_criteria; i++) {
			if (!has_children(lot->criteria, lot->n_criteria, i) &&
			    (!bid->steps || bid->steps[i] < 0 ||
			     bid->steps[i] >=
				 lot->criteria[i].scale.n_steps)) {
				char q2[KV_QUOTE_MAX];
				return kv_fail(e, KV_INVALID, "steps",
					       _("Bid \"%s\" has no step of the "
						 "scale of \"%s\"."),
					       kv_quote(bid->name, q),
					       kv_quote(lot->criteria[i].name,
							q2));
			}
		}
	}
	return KV_OK;
}

static void score_all(struct work *w)
{
	for (int b = 0; b < w->n; b++)
		if (w->steps[b] && !excluded_before_scoring(w->m, &w->bids[b]))
			tree_scores(w->m, w->steps[b], w->node[b], w->acc);
	evaluate(w);
}

/* --- ranking ------------------------------------------------------------------ */

static const char *reason_text(arena *a, const struct work *w, int b)
{
	const struct bidstate *s = &w->st[b];
	const struct award_bid *bid = &w->bids[b];
	char e1[32], e2[32];
	switch (s->why) {
	case WHY_NONE:
	case WHY_REMOVED:
		break;
	case WHY_KNOCKED_OUT:
		return arena_strdup(a, bid->knock_out_reason);
	case WHY_KO_CRITERION:
		return arena_printf(a, _("Scored the lowest step on the "
					 "knock-out criterion \"%s\"."),
				    w->m->lot->criteria[s->why_crit].name);
	case WHY_BUDGET:
		return arena_printf(a, _("The price %s is above the budget "
					 "of %s."),
				    eur_format(bid->price_cents, e1),
				    eur_format(w->m->lot->method.budget_cents,
					       e2));
	case WHY_ZERO_QUALITY:
		return arena_strdup(a, _("A quality score of zero gives no "
					 "price/quality ratio."));
	}
	return NULL;
}

enum kv_status award_rank(arena *a, const struct award_lot *lot,
			  const struct award_bid *bids, int n,
			  struct award_ranking *out, struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status st = bids_check(lot, bids, n, e);
	if (st != KV_OK)
		return st;
	struct model m;
	model_build(a, lot, &m);
	struct work w;
	work_init(a, &m, bids, n, &w);
	score_all(&w);
	int *rank = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	bool *tied = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	out->order = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	out->results = arena_alloc(a, sizeof(struct award_result) *
					  (size_t)(n + 1));
	out->n = n;
	out->n_valid = order_of(&w, out->order, rank, tied);
	out->winner = winner_of(&w);
	for (int b = 0; b < n; b++) {
		struct award_result *r = &out->results[b];
		const struct bidstate *s = &w.st[b];
		r->valid = s->valid;
		r->invalid_reason = s->valid ? NULL : reason_text(a, &w, b);
		r->quality_ppm = s->quality;
		r->price_ppm = s->valid ? s->price_pts : 0;
		r->total_ppm = s->total;
		r->fictive_cents = s->fictive;
		r->ratio_cents = s->ratio;
		r->rank = rank[b];
		r->put_to_buyer = tied[b];
		r->node_ppm = w.node[b];
	}
	return KV_OK;
}

/* --- rank reversal --------------------------------------------------------------- */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

enum kv_status award_rank_reversal(arena *a, const struct award_lot *lot,
				   const struct award_bid *bids, int n,
				   struct award_reversal **out, int *n_out,
				   struct kv_error *e)
{
	*out = NULL;
	*n_out = 0;
	enum kv_status st = bids_check(lot, bids, n, e);
	if (st != KV_OK)
		return st;
	struct model m;
	model_build(a, lot, &m);
	struct work w;
	work_init(a, &m, bids, n, &w);
	score_all(&w);
	size_t sz = sizeof(int) * (size_t)(n + 1);
	int *order = arena_alloc(a, sz), *rank0 = arena_alloc(a, sz);
	int *rank1 = arena_alloc(a, sz);
	bool *tied = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	bool *valid0 = arena_alloc(a, sizeof(bool) * (size_t)(n + 1));
	order_of(&w, order, rank0, tied);
	int win0 = winner_of(&w);
	for (int b = 0; b < n; b++)
		valid0[b] = w.st[b].valid;
	*out = arena_alloc(a, sizeof(struct award_reversal) *
				  (size_t)(n + 1));
	for (int r = 0; r < n; r++) {
		if (!valid0[r] || rank0[r] == 1)
			continue;
		w.present[r] = false;
		evaluate(&w);
		order_of(&w, order, rank1, tied);
		struct award_reversal *rv = &(*out)[(*n_out)++];
		rv->removed = r;
		rv->new_winner = winner_of(&w);
		rv->winner_changed = rv->new_winner != win0;
		for (int x = 0; x < n && !rv->order_changed; x++)
			for (int y = x + 1; y < n; y++) {
				if (x == r || y == r || !valid0[x] ||
				    !valid0[y])
					continue;
				if (!w.st[x].valid || !w.st[y].valid ||
				    sign(rank0[x] - rank0[y]) !=
					sign(rank1[x] - rank1[y])) {
					rv->order_changed = true;
					break;
				}
			}
		w.present[r] = true;
	}
	return KV_OK;
}

/* --- weight sensitivity ------------------------------------------------------------ */

/* The merits at item j's weight t (10^-8 units), everything else as
 * scored; returns the winner (-1 none or tied).  R: per bid, the other
 * items' sum V_i s_i; sj: per bid, item j's score. */
static int winner_at(struct work *w, const i128 *R, const int64_t *sj,
		     int64_t Vj, int64_t t)
{
	const struct award_method *meth = &w->m->lot->method;
	i128 den = (i128)W_TOTAL * (W_TOTAL - Vj);
	for (int b = 0; b < w->n; b++) {
		struct bidstate *s = &w->st[b];
		if (s->why != WHY_NONE && s->why != WHY_ZERO_QUALITY)
			continue;
		int64_t v = round_div128((i128)t * sj[b] * (W_TOTAL - Vj) +
					     (i128)(W_TOTAL - t) * R[b],
					 den);
		s->valid = true;
		s->why = WHY_NONE;
		switch (meth->kind) {
		case AWARD_WEIGHTED:
			s->merit = v;
			break;
		case AWARD_QUALITY_ONLY:
			s->merit = v;
			break;
		case AWARD_PRICE_QUALITY_RATIO:
			if (v == 0) {
				s->valid = false;
				s->why = WHY_ZERO_QUALITY;
				break;
			}
			s->merit = -round_div128(
			    (i128)w->bids[b].price_cents * AWARD_SCORE_MAX, v);
			break;
		default:
			break;
		}
	}
	return winner_of(w);
}

enum kv_status award_weight_sensitivity(arena *a, const struct award_lot *lot,
					const struct award_bid *bids, int n,
					struct award_sensitivity **out,
					int *n_out, struct kv_error *e)
{
	*out = NULL;
	*n_out = 0;
	enum kv_status st = bids_check(lot, bids, n, e);
	if (st != KV_OK)
		return st;
	if (!weighs_criteria(lot->method.kind))
		return kv_fail(e, KV_INVALID, "method",
			       _("This award method does not weigh criteria, "
				 "so there are no weights to move."));
	struct model m;
	model_build(a, lot, &m);
	if (m.n_items < 2)
		return kv_fail(e, KV_INVALID, "criteria",
			       _("With a single weighted item there are no "
				 "weights to move."));
	struct work w;
	work_init(a, &m, bids, n, &w);
	score_all(&w);
	int win0 = winner_of(&w);
	if (win0 < 0)
		return kv_fail(e, KV_INVALID, "bids",
			       _("There is no single winner whose lead could "
				 "be tested."));
	i128 *R = arena_alloc(a, sizeof(i128) * (size_t)(n + 1));
	int64_t *sj = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
	*out = arena_alloc(a, sizeof(struct award_sensitivity) *
				  (size_t)m.n_items);
	for (int j = 0; j < m.n_items; j++) {
		struct award_sensitivity *r = &(*out)[(*n_out)++];
		int cj = m.item_crit[j];
		r->criterion_id = cj < 0 ? -1 : lot->criteria[cj].id;
		r->name = cj < 0 ? _("Price") : lot->criteria[cj].name;
		r->weight_bp = (int)round_div(m.V[j], AWARD_BP_WHOLE);
		r->up_bp = r->down_bp = -1;
		r->up_winner = r->down_winner = -1;
		int64_t Vj = m.V[j];
		if (Vj >= W_TOTAL)
			continue;   /* nothing to rescale against */
		for (int b = 0; b < n; b++) {
			const struct bidstate *s = &w.st[b];
			R[b] = 0;
			for (int it = 0; it < m.n_items; it++) {
				int ci = m.item_crit[it];
				int64_t sc = ci < 0 ? s->price_pts :
				    w.node[b][ci];
				if (it == j)
					sj[b] = sc;
				else
					R[b] += (i128)m.V[it] * sc;
			}
		}
		int64_t max_up = (W_TOTAL - Vj) / AWARD_BP_WHOLE;
		for (int64_t d = 1; d <= max_up; d++) {
			int wv = winner_at(&w, R, sj, Vj,
					   Vj + d * AWARD_BP_WHOLE);
			if (wv != win0) {
				r->up_bp = (int)d;
				r->up_winner = wv;
				break;
			}
		}
		int64_t max_down = Vj / AWARD_BP_WHOLE;
		for (int64_t d = 1; d <= max_down; d++) {
			int wv = winner_at(&w, R, sj, Vj,
					   Vj - d * AWARD_BP_WHOLE);
			if (wv != win0) {
				r->down_bp = (int)d;
				r->down_winner = wv;
				break;
			}
		}
	}
	return KV_OK;
}

/* --- Monte Carlo ---------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

struct xoshiro {
	uint64_t s[4];
};

static inline uint64_t xoshiro_next(struct xoshiro *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

void award_wilson95(int64_t k, int64_t n, double *low, double *high)
{
	if (n <= 0) {
		*low = 0.0;
		*high = 1.0;
		return;
	}
	const double z = 1.959963984540054;
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z / (1 + z2 / nn) *
	    sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	*low = centre - half < 0.0 ? 0.0 : centre - half;
	*high = centre + half > 1.0 ? 1.0 : centre + half;
}

/* The stream of 32-bit draws: the low half of a xoshiro256** output, then
 * its high half, then the next output.  One draw per step, taken leaf by
 * leaf and within a leaf simulated bid by bid, scenario after scenario
 * (a half left over at the end of a scenario starts the next one). */
struct draws {
	struct xoshiro rng;
	uint64_t bits;               /* the unused high half, when halves */
	int halves;                  /* 0 or 1 unused half in bits */
	uint32_t th;                 /* down below th, up in th..2 th - 1 */
	uint64_t th2;                /* 2 th (2^32 when p = 1) */
};

/* Down when r < th, up when th <= r < 2 th, with th = floor(p x 2^32 /
 * 2): each direction has probability p/2 less at most 2^-32. */
static void draws_init(struct draws *d, uint64_t seed, int p_bp)
{
	uint64_t sm = seed;
	for (int i = 0; i < 4; i++)
		d->rng.s[i] = splitmix64(&sm);
	d->bits = 0;
	d->halves = 0;
	d->th = (uint32_t)(((uint64_t)p_bp << 32) / (2 * AWARD_BP_WHOLE));
	d->th2 = 2 * (uint64_t)d->th;
}

static inline uint32_t draw32(struct draws *d)
{
	if (d->halves == 0) {
		uint64_t x = xoshiro_next(&d->rng);
		d->bits = x >> 32;
		d->halves = 1;
		return (uint32_t)x;
	}
	d->halves = 0;
	return (uint32_t)d->bits;
}

/* count draws into buf, exactly as count calls of draw32 would give
 * them, but two at a time. */
static void draws_fill(struct draws *d, uint32_t *buf, int count)
{
	int j = 0;
	if (count > 0 && d->halves) {
		buf[j++] = (uint32_t)d->bits;
		d->halves = 0;
	}
	for (; j + 2 <= count; j += 2) {
		uint64_t x = xoshiro_next(&d->rng);
		buf[j] = (uint32_t)x;
		buf[j + 1] = (uint32_t)(x >> 32);
	}
	if (j < count) {
		uint64_t x = xoshiro_next(&d->rng);
		buf[j] = (uint32_t)x;
		d->bits = x >> 32;
		d->halves = 1;
	}
}

/* The move a draw gives, as an index: 0 one step down (r < th), 1 one
 * step up (th <= r < 2 th), 2 stays (r >= 2 th).  Two comparisons and an
 * addition, no branch: a move is unpredictable. */
static inline unsigned move_of(uint32_t r, uint32_t th, uint64_t th2)
{
	return (unsigned)(r >= th) + (unsigned)((uint64_t)r >= th2);
}

/* The consensus step after move mv, kept on the scale. */
static int moved_step(int step, unsigned mv, int top)
{
	static const int delta[3] = {-1, +1, 0};
	int v = step + delta[mv];
	return v < 0 ? 0 : (v > top ? top : v);
}

/* The general path: every scenario scored by evaluate() and ranked by
 * winner_of(), the code award_rank uses.  The reference the fast path
 * is tested against.  Returns the scenarios win0 stays the winner. */
static int64_t mc_general(arena *a, const struct model *m, struct work *w,
			  struct draws *d, int64_t scenarios, int win0)
{
	const struct award_bid *bids = w->bids;
	int n = w->n;
	/* Simulated bids get their own copy of the steps. */
	int *sim = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	int **cur = arena_alloc(a, sizeof(int *) * (size_t)(n + 1));
	int64_t **acc = arena_alloc(a, sizeof(int64_t *) * (size_t)(n + 1));
	int n_sim = 0;
	for (int b = 0; b < n; b++) {
		if (excluded_before_scoring(m, &bids[b]))
			continue;
		sim[n_sim++] = b;
		cur[b] = arena_alloc(a, sizeof(int) * (size_t)(m->n + 1));
		acc[b] = arena_alloc(a, sizeof(int64_t) * (size_t)(m->n + 1));
		w->steps[b] = cur[b];
	}
	const int64_t scale = AWARD_SCORE_MAX / AWARD_BP_WHOLE;
	int64_t stays = 0;
	for (int64_t sc = 0; sc < scenarios; sc++) {
		for (int l = 0; l < m->n_leaves; l++) {
			int i = m->leaves[l], p = m->pidx[i];
			const int64_t *contrib = m->contrib + l * AWARD_MAX_STEPS;
			for (int k = 0; k < n_sim; k++) {
				int b = sim[k];
				int v = moved_step(bids[b].steps[i],
						   move_of(draw32(d), d->th,
							   d->th2),
						   m->top_step[l]);
				cur[b][i] = v;
				w->node[b][i] = m->value[i][v] * scale;
				if (p >= 0)
					acc[b][p] += contrib[v];
			}
		}
		for (int k = 0; k < n_sim; k++)
			tree_inner(m, w->node[sim[k]], acc[sim[k]]);
		evaluate(w);
		if (winner_of(w) == win0)
			stays++;
	}
	return stays;
}

/* --- the fast path ---
 *
 * Only the consensus steps move in a scenario, each by -1, 0 or +1, so
 * everything a leaf can do to a simulated bid is known beforehand: for
 * each simulated bid k, leaf l and move mv (0 down, 1 up, 2 stays) a
 * cell (k x n_leaves + l) x 4 + mv holds what the leaf adds to its
 * parent's sum (weight x ppm, the clamping at the scale's ends folded
 * in), and where needed whether it knocks the bid out and what it is
 * worth in euros (fictive price).  A scenario is then, per bid, one table
 * look-up and one addition per leaf, the rounding of the criteria with
 * sub-criteria (children first, as tree_inner), and a few integer
 * operations for the merit; price points are recomputed only when the
 * lowest valid price changes (knock-outs), so in a lot without them the
 * price part is the same in every scenario.
 *
 * Sums live in slots: slot 0 is the quality sum Q = sum over top-level
 * criteria of weight_bp x score (what evaluate() sums, before rounding
 * to quality = Q / 10^4); slot 1 + j is the sum of inner criterion
 * inner[j].  A leaf's cell adds weight x value x 100 to its parent's slot
 * (or to Q for a top-level leaf: the same product); an inner criterion
 * rounds its slot to its score v, leaves v in the slot (for the tie
 * rule) and adds weight x v to its parent's.  Identical integers to
 * tree_scores + evaluate, so identical outcomes; mc_general is the
 * reference (award_monte_carlo_reference, tests/unit/test_award.c).
 *
 * The leaves are visited grouped by slot (the cells are laid out in that
 * order, position p holding leaf lorder[p]), so a group's cells are
 * summed in a register and stored once: adding each leaf to memory would
 * chain every addition through the store of the previous one.  Integer
 * sums do not depend on the order.  The draws stay where the draw order
 * puts them: leaf l of simulated bid k is draw l x ns + k. */

struct fast {
	int ns, nl, n_inner;
	const int *sim;              /* ns: bid index of each simulated bid */
	int n_groups;
	int *group_slot, *group_end; /* n_groups: slot, end position */
	int *roff;                   /* nl positions: the leaf's draw
					offset, l x ns */
	int *in_slot, *in_pslot;     /* n_inner, children first */
	int64_t *in_w;               /* n_inner: weight_bp */
	int64_t *add;                /* cells: added to the group's slot */
	uint8_t *ko;                 /* cells: 1 knocked out; NULL: no
					knock-out criteria */
	int64_t *worth;              /* cells: FICTIVE_PRICE, else NULL */
	int tie_leaf;                /* leaf position of the tie criterion */
	int tie_slot;                /* or its slot when inner; else -1 */
	int64_t *tie_val;            /* ns x 4: tie leaf's ppm per move */
	int64_t *price;              /* ns: price_cents */
	/* per simulated bid, scratch of the current scenario */
	bool *valid;
	int64_t *q, *worth_k, *merit, *key;
	int64_t *pts, *pts_lowest;   /* WEIGHTED: price points, cached */
	uint32_t *draw;              /* nl x ns draws, leaf-major */
};

/* Non-negative n / d rounded half up (d a constant at the call, so a
 * multiplication). */
static inline int64_t rdiv(int64_t n, int64_t d)
{
	return (int64_t)(((uint64_t)n + (uint64_t)d / 2) / (uint64_t)d);
}

static void fast_build(arena *a, const struct model *m,
		       const struct award_bid *bids, const int *sim, int ns,
		       struct fast *f)
{
	const struct award_lot *lot = m->lot;
	int nl = m->n_leaves;
	size_t cells = (size_t)ns * (size_t)nl * 4 + 1;
	memset(f, 0, sizeof *f);
	f->ns = ns;
	f->nl = nl;
	f->n_inner = m->n_inner;
	f->sim = sim;
	/* Slots: 0 for Q, 1 + j for inner[j]. */
	int *slot = arena_alloc(a, sizeof(int) * (size_t)(m->n + 1));
	for (int j = 0; j < m->n_inner; j++)
		slot[m->inner[j]] = 1 + j;
	/* Leaves by slot (stable): positions 0..nl-1 in lorder. */
	int *lslot = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
	int *lorder = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
	for (int l = 0; l < nl; l++) {
		int p = m->pidx[m->leaves[l]];
		lslot[l] = p < 0 ? 0 : slot[p];
	}
	f->roff = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
	f->group_slot = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
	f->group_end = arena_alloc(a, sizeof(int) * (size_t)(nl + 1));
	int pos = 0;
	for (int sl = 0; sl <= m->n_inner; sl++) {
		int start = pos;
		for (int l = 0; l < nl; l++)
			if (lslot[l] == sl) {
				lorder[pos] = l;
				f->roff[pos++] = l * ns;
			}
		if (pos > start) {
			f->group_slot[f->n_groups] = sl;
			f->group_end[f->n_groups++] = pos;
		}
	}
	f->in_slot = arena_alloc(a, sizeof(int) * (size_t)(m->n_inner + 1));
	f->in_pslot = arena_alloc(a, sizeof(int) * (size_t)(m->n_inner + 1));
	f->in_w = arena_alloc(a, sizeof(int64_t) * (size_t)(m->n_inner + 1));
	for (int j = 0; j < m->n_inner; j++) {
		int i = m->inner[j];
		f->in_slot[j] = slot[i];
		f->in_pslot[j] = m->pidx[i] < 0 ? 0 : slot[m->pidx[i]];
		f->in_w[j] = m->weight[i];
	}
	f->add = arena_alloc(a, sizeof(int64_t) * cells);
	if (m->any_knock_out)
		f->ko = arena_alloc(a, cells);
	if (lot->method.kind == AWARD_FICTIVE_PRICE)
		f->worth = arena_alloc(a, sizeof(int64_t) * cells);
	f->tie_leaf = f->tie_slot = -1;
	if (m->tie_idx >= 0 && !m->leaf[m->tie_idx])
		f->tie_slot = slot[m->tie_idx];
	f->tie_val = arena_alloc(a, sizeof(int64_t) * (size_t)(ns * 4 + 1));
	for (int k = 0; k < ns; k++) {
		const struct award_bid *bid = &bids[sim[k]];
		for (int p = 0; p < nl; p++) {
			int l = lorder[p], i = m->leaves[l];
			const struct award_criterion *c = &lot->criteria[i];
			for (unsigned mv = 0; mv < 3; mv++) {
				int v = moved_step(bid->steps[i], mv,
						   m->top_step[l]);
				size_t cell = ((size_t)k * (size_t)nl +
					       (size_t)p) * 4 + mv;
				f->add[cell] = m->contrib[l * AWARD_MAX_STEPS +
							  v];
				if (f->ko)
					f->ko[cell] = c->knock_out && v == 0;
				if (f->worth)
					f->worth[cell] = round_div128(
					    (i128)c->value_cents *
						c->scale.value_bp[v],
					    AWARD_BP_WHOLE);
				if (i == m->tie_idx) {
					f->tie_leaf = l;
					f->tie_val[k * 4 + (int)mv] =
					    (int64_t)m->value[i][v] *
					    (AWARD_SCORE_MAX / AWARD_BP_WHOLE);
				}
			}
		}
	}
	size_t per_bid = sizeof(int64_t) * (size_t)(ns + 1);
	f->price = arena_alloc(a, per_bid);
	f->valid = arena_alloc(a, sizeof(bool) * (size_t)(ns + 1));
	f->q = arena_alloc(a, per_bid);
	f->worth_k = arena_alloc(a, per_bid);
	f->merit = arena_alloc(a, per_bid);
	f->key = arena_alloc(a, per_bid);
	f->pts = arena_alloc(a, per_bid);
	f->pts_lowest = arena_alloc(a, per_bid);
	for (int k = 0; k < ns; k++) {
		f->price[k] = bids[sim[k]].price_cents;
		f->pts_lowest[k] = -1;
	}
	f->draw = arena_alloc(a, sizeof(uint32_t) * ((size_t)ns * nl + 1));
}

/* One scenario's steps for simulated bid k (its draws in f->draw):
 * validity, Q, worth and tie key into f's scratch.  No allocation. */
static void fast_bid(const struct fast *f, const struct model *m, int k,
		     uint32_t th, uint64_t th2)
{
	int64_t acc[AWARD_MAX_CRITERIA + 1];
	for (int j = 0; j <= f->n_inner; j++)
		acc[j] = 0;
	const uint32_t *r = f->draw + k;
	size_t base = (size_t)k * (size_t)f->nl * 4;
	const int64_t *add = f->add + base;
	for (int g = 0, p = 0; g < f->n_groups; g++) {
		int64_t sum = 0;
		for (; p < f->group_end[g]; p++)
			sum += add[(unsigned)p * 4 +
				   move_of(r[f->roff[p]], th, th2)];
		acc[f->group_slot[g]] = sum;   /* one group per slot */
	}
	/* Knock-outs and euros in a second pass, so the lots without them
	 * keep the loop above tight. */
	unsigned ko = 0;
	int64_t worth = 0;
	if (f->ko || f->worth)
		for (int p = 0; p < f->nl; p++) {
			size_t cell = base + (unsigned)p * 4 +
			    move_of(r[f->roff[p]], th, th2);
			if (f->ko)
				ko |= f->ko[cell];
			if (f->worth)
				worth += f->worth[cell];
		}
	/* Q in a register: the top-level criteria all add to it. */
	int64_t q = acc[0];
	for (int j = 0; j < f->n_inner; j++) {
		int64_t v = rdiv(acc[f->in_slot[j]], AWARD_BP_WHOLE);
		acc[f->in_slot[j]] = v;
		if (f->in_pslot[j] == 0)
			q += f->in_w[j] * v;
		else
			acc[f->in_pslot[j]] += f->in_w[j] * v;
	}
	f->valid[k] = !ko;
	f->q[k] = q;
	f->worth_k[k] = worth;
	switch (m->lot->tie_rule) {
	case AWARD_TIE_LOWEST_PRICE:
		f->key[k] = -f->price[k];
		break;
	case AWARD_TIE_CRITERION:
		f->key[k] = f->tie_slot >= 0 ? acc[f->tie_slot] :
		    f->tie_val[k * 4 + (int)move_of(
				   r[f->tie_leaf * f->ns], th, th2)];
		break;
	case AWARD_TIE_DRAWING:
		f->key[k] = 0;
		break;
	}
}

/* Returns the scenarios win0 stays the winner, exactly as mc_general. */
static int64_t mc_fast(arena *a, const struct model *m,
		       const struct award_bid *bids, int n, struct draws *d,
		       int64_t scenarios, int win0)
{
	const struct award_method *meth = &m->lot->method;
	int *sim = arena_alloc(a, sizeof(int) * (size_t)(n + 1));
	int ns = 0, wk = -1;
	for (int b = 0; b < n; b++) {
		if (excluded_before_scoring(m, &bids[b]))
			continue;
		if (b == win0)
			wk = ns;
		sim[ns++] = b;
	}
	struct fast f;
	fast_build(a, m, bids, sim, ns, &f);
	int n_draws = ns * f.nl;
	/* price x 10^6 in 64 bits up to this price (ratio). */
	const int64_t ratio_max = INT64_MAX / AWARD_SCORE_MAX;
	int64_t stays = 0;
	for (int64_t sc = 0; sc < scenarios; sc++) {
		draws_fill(d, f.draw, n_draws);
		int64_t lowest = -1;
		for (int k = 0; k < ns; k++) {
			fast_bid(&f, m, k, d->th, d->th2);
			if (meth->kind == AWARD_PRICE_QUALITY_RATIO &&
			    rdiv(f.q[k], AWARD_BP_WHOLE) == 0)
				f.valid[k] = false;
			if (f.valid[k] && (lowest < 0 || f.price[k] < lowest))
				lowest = f.price[k];
		}
		if (!f.valid[wk])
			continue;
		for (int k = 0; k < ns; k++) {
			if (!f.valid[k])
				continue;
			int64_t quality = rdiv(f.q[k], AWARD_BP_WHOLE);
			switch (meth->kind) {
			case AWARD_WEIGHTED:
				if (f.pts_lowest[k] != lowest) {
					f.pts[k] = price_points(
					    meth, f.price[k], lowest) *
					    ((int64_t)meth->price_weight_bp *
					     AWARD_BP_WHOLE);
					f.pts_lowest[k] = lowest;
				}
				f.merit[k] = rdiv(
				    f.pts[k] + (AWARD_BP_WHOLE -
						meth->price_weight_bp) * f.q[k],
				    W_TOTAL);
				break;
			case AWARD_FICTIVE_PRICE:
				f.merit[k] = f.worth_k[k] - f.price[k];
				break;
			case AWARD_QUALITY_ONLY:
				f.merit[k] = quality;
				break;
			case AWARD_LOWEST_PRICE:
				f.merit[k] = -f.price[k];
				break;
			case AWARD_PRICE_QUALITY_RATIO:
				f.merit[k] = f.price[k] <= ratio_max ?
				    -rdiv(f.price[k] * AWARD_SCORE_MAX,
					  quality) :
				    -round_div128((i128)f.price[k] *
						      AWARD_SCORE_MAX,
						  quality);
				break;
			}
		}
		/* win0 stays exactly when it ranks strictly before every
		 * other valid bid (winner_of: a tie at the top is no
		 * winner). */
		int64_t mw = f.merit[wk], kw = f.key[wk];
		bool stay = true;
		for (int k = 0; k < ns; k++)
			if (k != wk && f.valid[k] &&
			    (f.merit[k] > mw ||
			     (f.merit[k] == mw && f.key[k] >= kw)))
				stay = false;
		stays += stay;
	}
	return stays;
}

static enum kv_status monte_carlo(arena *a, const struct award_lot *lot,
				  const struct award_bid *bids, int n,
				  int p_bp, int64_t scenarios, uint64_t seed,
				  bool fast, struct award_mc *out,
				  struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	enum kv_status st = bids_check(lot, bids, n, e);
	if (st != KV_OK)
		return st;
	if (p_bp < 0 || p_bp > AWARD_BP_WHOLE)
		return kv_fail(e, KV_INVALID, "p",
			       _("The probability that a score moves must be "
				 "between 0%% and 100%%."));
	if (scenarios < 1)
		return kv_fail(e, KV_INVALID, "scenarios",
			       _("Give at least one scenario."));
	struct model m;
	model_build(a, lot, &m);
	struct work w;
	work_init(a, &m, bids, n, &w);
	score_all(&w);
	int win0 = winner_of(&w);
	if (win0 < 0)
		return kv_fail(e, KV_INVALID, "bids",
			       _("There is no single winner whose lead could "
				 "be tested."));
	struct draws d;
	draws_init(&d, seed, p_bp);
	int64_t stays = fast ? mc_fast(a, &m, bids, n, &d, scenarios, win0) :
	    mc_general(a, &m, &w, &d, scenarios, win0);
	out->seed = seed;
	out->p_bp = p_bp;
	out->scenarios = scenarios;
	out->stays = stays;
	out->probability = (double)stays / (double)scenarios;
	award_wilson95(stays, scenarios, &out->ci_low, &out->ci_high);
	return KV_OK;
}

enum kv_status award_monte_carlo(arena *a, const struct award_lot *lot,
				 const struct award_bid *bids, int n,
				 int p_bp, int64_t scenarios, uint64_t seed,
				 struct award_mc *out, struct kv_error *e)
{
	return monte_carlo(a, lot, bids, n, p_bp, scenarios, seed, true, out,
			   e);
}

enum kv_status award_monte_carlo_reference(arena *a,
					   const struct award_lot *lot,
					   const struct award_bid *bids, int n,
					   int p_bp, int64_t scenarios,
					   uint64_t seed, struct award_mc *out,
					   struct kv_error *e)
{
	return monte_carlo(a, lot, bids, n, p_bp, scenarios, seed, false, out,
			   e);
}
