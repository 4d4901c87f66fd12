/*
 * award_form.c - the award rules as the buyer's form holds them
 * (award_form.h): the form read into the rules document the API takes,
 * saved rules read back into the form, the form's buttons, the sums
 * beside the weights and each method's worked example.
 */
#include <stdio.h>
#include <string.h>

#include "award_form.h"
#include "core/validate.h"
#include "read_award.h"

const struct award_form_method award_form_methods[] = {
	{"weighted-relative", AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
	 N_("Weighted factor: price points relative to the lowest price")},
	{"weighted-absolute", AWARD_WEIGHTED, AWARD_PRICE_ABSOLUTE,
	 N_("Weighted factor: price points between two announced bounds")},
	{"weighted-log", AWARD_WEIGHTED, AWARD_PRICE_LOG,
	 N_("Weighted factor: logarithmic price points")},
	{"fictive-price", AWARD_FICTIVE_PRICE, AWARD_PRICE_RELATIVE,
	 N_("Fictive price (award on value): the price minus what the quality is worth")},
	{"quality-only", AWARD_QUALITY_ONLY, AWARD_PRICE_RELATIVE,
	 N_("Quality only, at a fixed budget")},
	{"price-quality-ratio", AWARD_PRICE_QUALITY_RATIO, AWARD_PRICE_RELATIVE,
	 N_("Price/quality ratio")},
	{"lowest-price", AWARD_LOWEST_PRICE, AWARD_PRICE_RELATIVE, N_("Lowest price")},
};
const int award_form_n_methods =
	(int)(sizeof award_form_methods / sizeof *award_form_methods);

static const char *const tie_codes[] = {
	[AWARD_TIE_LOWEST_PRICE] = "lowest-price",
	[AWARD_TIE_CRITERION] = "criterion",
	[AWARD_TIE_DRAWING] = "drawing",
};

#define POINTS_MAX 1000000
#define NAME_MAX 200
#define SAMPLE_AROUND 100000000     /* one million euros, in cents */

static const struct award_form_method *method_of(const char *code)
{
	for (int i = 0; code && i < award_form_n_methods; i++)
		if (strcmp(award_form_methods[i].code, code) == 0)
			return &award_form_methods[i];
	return NULL;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

/* ---- numbers as a person types them ----------------------------------------- */

enum num_read { NUM_OK, NUM_BAD, NUM_PLACES };

/* "37,5", "37.5", "40 %" into units of 10^-places (37,5 with places 2 is
 * 3750): digits, then "," or "." and decimals (zeros past `places` are
 * allowed), then an optional "%"; at most max whole units. */
static enum num_read decimal_read(const char *s, int places, int64_t max,
				  int64_t *out)
{
	*out = 0;
	if (!s)
		return NUM_BAD;
	while (*s == ' ')
		s++;
	int64_t whole = 0, frac = 0;
	int digits = 0, nf = 0;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (*s - '0');
		if (whole > max)
			return NUM_BAD;
	}
	if (*s == ',' || *s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			if (nf == places) {
				if (*s != '0')
					return NUM_PLACES;
				continue;
			}
			frac = frac * 10 + (*s - '0');
			nf++;
		}
	}
	while (*s == ' ')
		s++;
	if (*s == '%')
		s++;
	while (*s == ' ')
		s++;
	if (*s || digits == 0)
		return NUM_BAD;
	for (int k = nf; k < places; k++)
		frac *= 10;
	int64_t unit = 1;
	for (int k = 0; k < places; k++)
		unit *= 10;
	*out = whole * unit + frac;
	return *out > max * unit ? NUM_BAD : NUM_OK;
}

/* Whole points: "300", "1.000" or "1 000" (Dutch thousands); no
 * decimals. */
static bool points_read(const char *s, int64_t *out)
{
	*out = 0;
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	int digits = 0, group = -1;     /* digits since the last separator */
	int64_t v = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s - '0');
			if (v > POINTS_MAX)
				return false;
			digits++;
			if (group >= 0)
				group++;
		} else if ((*s == '.' || *s == ' ') && digits > 0 &&
			   (group < 0 || group == 3) && s[1] >= '0' && s[1] <= '9') {
			if (group < 0 && digits > 3)
				return false;
			group = 0;
		} else {
			break;
		}
	}
	while (*s == ' ')
		s++;
	if (*s || digits == 0 || (group >= 0 && group != 3))
		return false;
	*out = v;
	return true;
}

/* bp as the form writes a percentage: "60", "37,5", "33,33". */
static const char *pct_text(arena *a, int64_t bp)
{
	if (bp % 100 == 0)
		return arena_printf(a, "%lld", (long long)(bp / 100));
	if (bp % 10 == 0)
		return arena_printf(a, "%lld,%lld", (long long)(bp / 100),
				    (long long)(bp % 100 / 10));
	return arena_printf(a, "%lld,%02lld", (long long)(bp / 100),
			    (long long)(bp % 100));
}

/* k in basis points as a factor: "2", "1,5". */
static const char *factor_text(arena *a, int bp)
{
	char *s = arena_printf(a, "%d,%04d", bp / AWARD_BP_WHOLE,
			       bp % AWARD_BP_WHOLE);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = 0;
	if (n > 0 && s[n - 1] == ',')
		s[--n] = 0;
	return s;
}

/* An amount for an input: "1.250.000,00", without the euro sign. */
static const char *eur_input(arena *a, int64_t cents)
{
	char buf[48];
	const char *s = eur_format(cents, buf);
	if (strncmp(s, "\xe2\x82\xac", 3) == 0)
		s += 3;
	while (*s == ' ' || (unsigned char)*s == 0xc2 || (unsigned char)*s == 0xa0)
		s++;
	return arena_strdup(a, s);
}

static const char *eur_text(arena *a, int64_t cents)
{
	char buf[48];
	return arena_strdup(a, eur_format(cents, buf));
}

/* A share in bp of the whole (10^-4), as "18 %" or "18,75 %". */
static const char *share_text(arena *a, int64_t bp)
{
	return arena_printf(a, "%s %%", pct_text(a, bp));
}

/* ---- the tree --------------------------------------------------------------- */

static bool is_leaf(const struct award_form *f, int i)
{
	return i + 1 >= f->n_rows || f->rows[i + 1].level <= f->rows[i].level;
}

/* The row after i's last sub-criterion. */
static int subtree_end(const struct award_form *f, int i)
{
	int j = i + 1;
	while (j < f->n_rows && f->rows[j].level > f->rows[i].level)
		j++;
	return j;
}

static int parent_of(const struct award_form *f, int i)
{
	for (int j = i - 1; j >= 0; j--)
		if (f->rows[j].level < f->rows[i].level)
			return j;
	return -1;
}

static bool key_used(const struct award_form *f, const char *key, int except)
{
	for (int i = 0; i < f->n_rows; i++)
		if (i != except && f->rows[i].key && strcmp(f->rows[i].key, key) == 0)
			return true;
	return false;
}

/* A key no row has: "c1", "c2", ... */
static const char *new_key(arena *a, const struct award_form *f)
{
	for (int n = 1;; n++) {
		const char *k = arena_printf(a, "c%d", n);
		if (!key_used(f, k, -1))
			return k;
	}
}

void app_award_form_tidy(arena *a, struct award_form *f)
{
	for (int i = 0; i < f->n_rows; i++) {
		struct award_form_row *r = &f->rows[i];
		int max = i == 0 ? 0 : f->rows[i - 1].level + 1;
		if (r->level < 0)
			r->level = 0;
		if (r->level > max)
			r->level = max;
		if (r->scale < 0 || r->scale > f->n_scales)
			r->scale = 0;
		if (!r->key || !*r->key)
			r->key = new_key(a, f);
	}
	if (f->weighing != AWARD_FORM_POINTS)
		f->weighing = AWARD_FORM_PERCENT;
}

static bool key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 1 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') ||
		      k[i] == '-'))
			return false;
	return true;
}

/* ---- a new form, saved rules ---------------------------------------------- */

static void default_scale(struct award_form_scale *s)
{
	static const struct {
		const char *value, *meaning;
	} steps[] = {
		{"0", N_("insufficient")}, {"25", N_("poor")}, {"50", N_("sufficient")},
		{"75", N_("good")}, {"100", N_("excellent")},
	};
	memset(s, 0, sizeof *s);
	s->n_steps = 5;
	for (int k = 0; k < 5; k++)
		s->steps[k] = (struct award_form_step){steps[k].value, _(steps[k].meaning)};
}

void app_award_form_new(arena *a, struct award_form *f)
{
	memset(f, 0, sizeof *f);
	f->weighing = AWARD_FORM_PERCENT;
	f->method = "weighted-relative";
	f->price_weight = f->lower = f->upper = f->log_k = f->budget = "";
	f->tie_rule = "lowest-price";
	f->tie_criterion = "";
	f->price_after_quality = true;
	f->rows = arena_alloc(a, 2 * sizeof *f->rows);
	f->rows[0] = (struct award_form_row){.key = "c1", .name = "", .description = "",
					     .weight = "", .value = "", .scale = 1};
	f->n_rows = 1;
	f->scales = arena_alloc(a, 2 * sizeof *f->scales);
	default_scale(&f->scales[0]);
	f->n_scales = 1;
}

static bool same_scale(const struct award_scale *x, const struct award_scale *y)
{
	if (x->n_steps != y->n_steps)
		return false;
	for (int k = 0; k < x->n_steps; k++) {
		const char *m1 = x->meaning[k] ? x->meaning[k] : "";
		const char *m2 = y->meaning[k] ? y->meaning[k] : "";
		if (x->value_bp[k] != y->value_bp[k] || strcmp(m1, m2) != 0)
			return false;
	}
	return true;
}

/* Appends the criteria under parent (by id; -1 the main ones) in their
 * order, each followed by its own: the form's order. */
static void rows_under(arena *a, const struct award_rules *r, int parent, int level,
		       struct award_form *f, const struct award_scale **seen)
{
	const struct award_lot *lot = &r->lot;
	for (int i = 0; i < lot->n_criteria; i++) {
		const struct award_criterion *c = &lot->criteria[i];
		if (c->parent != parent || f->n_rows >= lot->n_criteria)
			continue;
		struct award_form_row *row = &f->rows[f->n_rows++];
		*row = (struct award_form_row){
			.key = r->keys[i],
			.level = level,
			.name = c->name ? c->name : "",
			.description = r->descriptions[i] ? r->descriptions[i] : "",
			.weight = pct_text(a, c->weight_bp),
			.value = c->value_cents ? eur_input(a, c->value_cents) : "",
			.knock_out = c->knock_out,
		};
		if (c->scale.n_steps > 0) {
			int k = 0;
			while (k < f->n_scales && !same_scale(seen[k], &c->scale))
				k++;
			if (k == f->n_scales) {
				struct award_form_scale *s = &f->scales[f->n_scales++];
				memset(s, 0, sizeof *s);
				s->n_steps = c->scale.n_steps;
				for (int j = 0; j < c->scale.n_steps; j++)
					s->steps[j] = (struct award_form_step){
						pct_text(a, c->scale.value_bp[j]),
						c->scale.meaning[j] ? c->scale.meaning[j] : ""};
				seen[k] = &c->scale;
			}
			row->scale = k + 1;
		}
		rows_under(a, r, c->id, level + 1, f, seen);
	}
}

void app_award_form_of_rules(arena *a, const struct award_rules *r, struct award_form *f)
{
	const struct award_lot *lot = &r->lot;
	const struct award_method *m = &lot->method;
	memset(f, 0, sizeof *f);
	f->weighing = AWARD_FORM_PERCENT;
	f->method = "weighted-relative";
	for (int i = 0; i < award_form_n_methods; i++)
		if (award_form_methods[i].kind == m->kind &&
		    (m->kind != AWARD_WEIGHTED || award_form_methods[i].scoring == m->price_scoring)) {
			f->method = award_form_methods[i].code;
			break;
		}
	bool weighted = m->kind == AWARD_WEIGHTED;
	f->price_weight = weighted ? pct_text(a, m->price_weight_bp) : "";
	f->lower = weighted && m->price_scoring == AWARD_PRICE_ABSOLUTE
		   ? eur_input(a, m->lower_cents) : "";
	f->upper = weighted && m->price_scoring == AWARD_PRICE_ABSOLUTE
		   ? eur_input(a, m->upper_cents) : "";
	f->log_k = weighted && m->price_scoring == AWARD_PRICE_LOG
		   ? factor_text(a, m->log_k_bp) : "";
	f->budget = m->kind == AWARD_QUALITY_ONLY ? eur_input(a, m->budget_cents) : "";
	f->tie_rule = tie_codes[lot->tie_rule];
	f->tie_criterion = lot->tie_rule == AWARD_TIE_CRITERION &&
			   lot->tie_criterion_id >= 0 && lot->tie_criterion_id < lot->n_criteria
			   ? r->keys[lot->tie_criterion_id] : "";
	f->averaging = r->averaging;
	f->price_after_quality = r->price_after_quality;
	int n = lot->n_criteria;
	f->rows = arena_alloc(a, (size_t)(n + 1) * sizeof *f->rows);
	f->scales = arena_alloc(a, (size_t)(n + 1) * sizeof *f->scales);
	const struct award_scale **seen = arena_alloc(a, (size_t)(n + 1) * sizeof *seen);
	rows_under(a, r, -1, 0, f, seen);
	if (f->n_scales == 0) {
		default_scale(&f->scales[0]);
		f->n_scales = 1;
	}
}

/* ---- the form's buttons --------------------------------------------------- */

/* A copy of f's rows with room for one more. */
static void rows_grow(arena *a, struct award_form *f)
{
	struct award_form_row *rows = arena_alloc(a, (size_t)(f->n_rows + 2) * sizeof *rows);
	if (f->n_rows)
		memcpy(rows, f->rows, (size_t)f->n_rows * sizeof *rows);
	f->rows = rows;
}

static void scales_grow(arena *a, struct award_form *f)
{
	struct award_form_scale *s = arena_alloc(a, (size_t)(f->n_scales + 2) * sizeof *s);
	if (f->n_scales)
		memcpy(s, f->scales, (size_t)f->n_scales * sizeof *s);
	f->scales = s;
}

/* "sub-12" with prefix "sub-": 12; -1 when it is not that. */
static int op_arg(const char *op, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(op, prefix, n) != 0)
		return -1;
	const char *p = op + n;
	int v = 0, digits = 0;
	for (; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
		v = v * 10 + (*p - '0');
	if (!digits)
		return -1;
	if (rest)
		*rest = p;
	else if (*p)
		return -1;
	return v;
}

static void insert_row(arena *a, struct award_form *f, int at, int level)
{
	rows_grow(a, f);
	memmove(&f->rows[at + 1], &f->rows[at], (size_t)(f->n_rows - at) * sizeof *f->rows);
	f->rows[at] = (struct award_form_row){.key = new_key(a, f), .level = level, .name = "",
					      .description = "", .weight = "", .value = "",
					      .scale = f->n_scales ? 1 : 0};
	f->n_rows++;
}

enum kv_status app_award_form_op(arena *a, struct award_form *f, const char *op,
				 const char **focus, struct kv_error *e)
{
	const char *rest;
	int i, k, j;
	*focus = "";
	if (!op)
		op = "";
	if (strcmp(op, "refresh") == 0)
		return KV_OK;
	if (strcmp(op, "add") == 0) {
		if (f->n_rows >= AWARD_MAX_CRITERIA)
			return kv_fail(e, KV_INVALID, "criteria",
				       _("A lot has at most %d criteria."), AWARD_MAX_CRITERIA);
		insert_row(a, f, f->n_rows, 0);
		*focus = arena_printf(a, "c%d-name", f->n_rows - 1);
		return KV_OK;
	}
	if ((i = op_arg(op, "sub-", NULL)) >= 0) {
		if (i >= f->n_rows)
			return kv_fail(e, KV_INVALID, "criteria", _("That criterion is not in the form."));
		if (f->n_rows >= AWARD_MAX_CRITERIA)
			return kv_fail(e, KV_INVALID, "criteria",
				       _("A lot has at most %d criteria."), AWARD_MAX_CRITERIA);
		if (f->rows[i].level >= AWARD_FORM_MAX_LEVEL)
			return kv_fail(e, KV_INVALID, arena_printf(a, "c%d-name", i),
				       _("Sub-criteria go at most %d levels deep."),
				       AWARD_FORM_MAX_LEVEL);
		int at = subtree_end(f, i);
		insert_row(a, f, at, f->rows[i].level + 1);
		f->rows[i].knock_out = false;   /* a criterion with sub-criteria is none */
		*focus = arena_printf(a, "c%d-name", at);
		return KV_OK;
	}
	if ((i = op_arg(op, "del-", NULL)) >= 0) {
		if (i >= f->n_rows)
			return kv_fail(e, KV_INVALID, "criteria", _("That criterion is not in the form."));
		int end = subtree_end(f, i);
		memmove(&f->rows[i], &f->rows[end], (size_t)(f->n_rows - end) * sizeof *f->rows);
		f->n_rows -= end - i;
		*focus = "criteria";
		return KV_OK;
	}
	if (strcmp(op, "scale-add") == 0) {
		if (f->n_scales >= AWARD_FORM_MAX_SCALES)
			return kv_fail(e, KV_INVALID, "scales",
				       _("A lot has at most %d scales in this form."),
				       AWARD_FORM_MAX_SCALES);
		scales_grow(a, f);
		default_scale(&f->scales[f->n_scales++]);
		*focus = arena_printf(a, "s%d-0-value", f->n_scales - 1);
		return KV_OK;
	}
	if ((k = op_arg(op, "scale-del-", NULL)) >= 0) {
		if (k >= f->n_scales)
			return kv_fail(e, KV_INVALID, "scales", _("That scale is not in the form."));
		if (f->n_scales == 1)
			return kv_fail(e, KV_INVALID, arena_printf(a, "s%d", k),
				       _("The criteria need at least one scale."));
		memmove(&f->scales[k], &f->scales[k + 1],
			(size_t)(f->n_scales - k - 1) * sizeof *f->scales);
		f->n_scales--;
		for (int r = 0; r < f->n_rows; r++) {
			if (f->rows[r].scale == k + 1)
				f->rows[r].scale = 1;
			else if (f->rows[r].scale > k + 1)
				f->rows[r].scale--;
		}
		*focus = "scales";
		return KV_OK;
	}
	if ((k = op_arg(op, "step-add-", NULL)) >= 0) {
		if (k >= f->n_scales)
			return kv_fail(e, KV_INVALID, "scales", _("That scale is not in the form."));
		struct award_form_scale *s = &f->scales[k];
		if (s->n_steps >= AWARD_MAX_STEPS)
			return kv_fail(e, KV_INVALID, arena_printf(a, "s%d", k),
				       _("A scale has at most %d steps."), AWARD_MAX_STEPS);
		s->steps[s->n_steps++] = (struct award_form_step){"", ""};
		*focus = arena_printf(a, "s%d-%d-value", k, s->n_steps - 1);
		return KV_OK;
	}
	if ((k = op_arg(op, "step-del-", &rest)) >= 0 && *rest == '-' &&
	    (j = op_arg(rest, "-", NULL)) >= 0) {
		if (k >= f->n_scales || j >= f->scales[k].n_steps)
			return kv_fail(e, KV_INVALID, "scales", _("That step is not in the form."));
		struct award_form_scale *s = &f->scales[k];
		if (s->n_steps <= 2)
			return kv_fail(e, KV_INVALID, arena_printf(a, "s%d", k),
				       _("A scale has at least two steps."));
		memmove(&s->steps[j], &s->steps[j + 1],
			(size_t)(s->n_steps - j - 1) * sizeof *s->steps);
		s->n_steps--;
		*focus = arena_printf(a, "s%d-0-value", k);
		return KV_OK;
	}
	return kv_fail(e, KV_INVALID, "", _("This form has no such button."));
}

/* ---- refusals ------------------------------------------------------------- */

void app_award_form_errors_add(arena *a, struct award_form_errors *fe,
			       const struct kv_error *e)
{
	if (!e || e->status == KV_OK || fe->n >= AWARD_FORM_MAX_ERRORS)
		return;
	if (e->field[0] && app_award_form_error_for(fe, e->field))
		return;
	if (!fe->items)
		fe->items = arena_alloc(a, AWARD_FORM_MAX_ERRORS * sizeof *fe->items);
	fe->items[fe->n++] = *e;
}

const char *app_award_form_error_for(const struct award_form_errors *fe, const char *field)
{
	for (int i = 0; fe && i < fe->n; i++)
		if (strcmp(fe->items[i].field, field) == 0)
			return fe->items[i].msg;
	return NULL;
}

/* ---- weights ---------------------------------------------------------------- */

/* What the form's weights say, read as far as they can be. */
struct weights {
	int64_t *w;             /* per row: bp of its level (percent) or points */
	bool *ok;
	int64_t price;          /* bp of the total (percent) or points */
	bool price_ok;
	bool weighted;
};

static void weights_read(arena *a, const struct award_form *f, struct weights *ws)
{
	const struct award_form_method *m = method_of(f->method);
	bool points = f->weighing == AWARD_FORM_POINTS;
	ws->w = arena_alloc(a, (size_t)(f->n_rows + 1) * sizeof *ws->w);
	ws->ok = arena_alloc(a, (size_t)(f->n_rows + 1) * sizeof *ws->ok);
	for (int i = 0; i < f->n_rows; i++) {
		int64_t v = 0;
		ws->ok[i] = points ? points_read(f->rows[i].weight, &v) && v >= 1
				   : decimal_read(f->rows[i].weight, 2, 100, &v) == NUM_OK &&
				     v > 0 && v <= AWARD_BP_WHOLE;
		ws->w[i] = v;
	}
	ws->weighted = m && m->kind == AWARD_WEIGHTED;
	ws->price = 0;
	ws->price_ok = false;
	if (ws->weighted) {
		int64_t v = 0;
		ws->price_ok = points ? points_read(f->price_weight, &v)
				      : decimal_read(f->price_weight, 2, 100, &v) == NUM_OK &&
					v <= AWARD_BP_WHOLE;
		ws->price = v;
	}
}

/* The sum of the weights of the rows under parent (-1: the main
 * criteria); false when one cannot be read or there are none. */
static bool group_sum(const struct award_form *f, const struct weights *ws, int parent,
		      int64_t *sum, int *count)
{
	int level = parent < 0 ? 0 : f->rows[parent].level + 1;
	int from = parent < 0 ? 0 : parent + 1;
	int to = parent < 0 ? f->n_rows : subtree_end(f, parent);
	bool all = true;
	*sum = 0;
	*count = 0;
	for (int j = from; j < to; j++)
		if (f->rows[j].level == level) {
			(*count)++;
			if (ws->ok[j])
				*sum += ws->w[j];
			else
				all = false;
		}
	return all && *count > 0;
}

/* Shares of the rows under parent in bp of it, adding up to 10000: a
 * percentage as typed, points divided by their sum, rounded to whole
 * basis points by the largest remainder. */
static void group_shares(const struct award_form *f, const struct weights *ws, int parent,
			 int64_t sum, int *bp)
{
	int level = parent < 0 ? 0 : f->rows[parent].level + 1;
	int from = parent < 0 ? 0 : parent + 1;
	int to = parent < 0 ? f->n_rows : subtree_end(f, parent);
	if (f->weighing != AWARD_FORM_POINTS) {
		for (int j = from; j < to; j++)
			if (f->rows[j].level == level)
				bp[j] = (int)ws->w[j];
		return;
	}
	int64_t given = 0;
	for (int j = from; j < to; j++)
		if (f->rows[j].level == level) {
			bp[j] = (int)(ws->w[j] * AWARD_BP_WHOLE / sum);
			given += bp[j];
		}
	while (given < AWARD_BP_WHOLE) {
		int best = -1;
		int64_t best_rem = -1;
		for (int j = from; j < to; j++) {
			if (f->rows[j].level != level)
				continue;
			int64_t rem = ws->w[j] * AWARD_BP_WHOLE - (int64_t)bp[j] * sum;
			if (rem > best_rem) {
				best_rem = rem;
				best = j;
			}
		}
		if (best < 0)
			break;
		bp[best]++;
		given++;
	}
}

/* The price's share of the total in bp; points: of the price's and the
 * main criteria's points together. */
static int64_t price_share(const struct award_form *f, const struct weights *ws, int64_t top)
{
	if (f->weighing != AWARD_FORM_POINTS)
		return ws->price;
	if (ws->price + top <= 0)
		return 0;
	return (ws->price * AWARD_BP_WHOLE * 2 + (ws->price + top)) / (2 * (ws->price + top));
}

void app_award_form_sums(arena *a, const struct award_form *f, struct award_form_sums *s)
{
	struct weights ws;
	weights_read(a, f, &ws);
	bool points = f->weighing == AWARD_FORM_POINTS;
	int n = f->n_rows;
	s->share = arena_alloc(a, (size_t)(n + 1) * sizeof *s->share);
	s->sub_sum = arena_alloc(a, (size_t)(n + 1) * sizeof *s->sub_sum);
	s->sub_ok = arena_alloc(a, (size_t)(n + 1) * sizeof *s->sub_ok);
	s->leaf = arena_alloc(a, (size_t)(n + 1) * sizeof *s->leaf);
	int64_t top = 0;
	int count = 0;
	bool top_read = group_sum(f, &ws, -1, &top, &count);
	if (points) {
		/* the main criteria's points; the price's share is beside it */
		s->top_sum = top_read ? arena_printf(a, _("%lld points"), (long long)top) : "";
		s->top_ok = top_read && top > 0;
	} else {
		s->top_sum = top_read ? share_text(a, top) : "";
		s->top_ok = top_read && top == AWARD_BP_WHOLE;
	}
	if (n == 0) {
		s->top_sum = "";
		s->top_ok = true;
	}
	bool price_read = !ws.weighted || ws.price_ok;
	int64_t pshare = ws.weighted && price_read && (!points || top_read)
			 ? price_share(f, &ws, top) : 0;
	s->price_share = ws.weighted && price_read && (!points || top_read)
			 ? share_text(a, pshare) : "";
	/* share of the whole, in 10^-8 so that three levels stay exact
	 * enough for two decimals */
	int64_t *whole = arena_alloc(a, (size_t)(n + 1) * sizeof *whole);
	bool *known = arena_alloc(a, (size_t)(n + 1) * sizeof *known);
	bool *group_read = arena_alloc(a, (size_t)(n + 1) * sizeof *group_read);
	int *bp = arena_alloc(a, (size_t)(n + 1) * sizeof *bp);
	int64_t quality = ws.weighted ? AWARD_BP_WHOLE - pshare : AWARD_BP_WHOLE;
	bool top_known = top_read && price_read && (!points || top > 0);
	if (top_known)
		group_shares(f, &ws, -1, top, bp);
	for (int i = 0; i < n; i++) {
		s->leaf[i] = is_leaf(f, i);
		s->sub_sum[i] = "";
		s->sub_ok[i] = true;
		if (!s->leaf[i]) {
			int64_t sum;
			int c;
			group_read[i] = group_sum(f, &ws, i, &sum, &c) && (!points || sum > 0);
			if (group_read[i]) {
				s->sub_sum[i] = points ? arena_printf(a, _("%lld points"), (long long)sum)
						       : share_text(a, sum);
				s->sub_ok[i] = points ? ws.ok[i] && sum == ws.w[i]
						      : sum == AWARD_BP_WHOLE;
				group_shares(f, &ws, i, sum, bp);
			} else {
				s->sub_ok[i] = false;
			}
		}
		int p = parent_of(f, i);
		known[i] = ws.ok[i] && (p < 0 ? top_known : known[p] && group_read[p]);
		if (known[i])
			whole[i] = p < 0 ? (int64_t)bp[i] * quality
					 : whole[p] * bp[i] / AWARD_BP_WHOLE;
		s->share[i] = known[i]
			? share_text(a, (whole[i] + AWARD_BP_WHOLE / 2) / AWARD_BP_WHOLE) : "";
	}
}

/* ---- the document ------------------------------------------------------------ */

static void refuse(arena *a, struct award_form_errors *fe, const char *field,
		   const char *msg)
{
	struct kv_error e;
	kv_fail(&e, KV_INVALID, field, "%s", msg);
	app_award_form_errors_add(a, fe, &e);
}

static const char *row_name(arena *a, const struct award_form *f, int i)
{
	char q[KV_QUOTE_MAX];
	return blank(f->rows[i].name) ? arena_printf(a, _("criterion %d"), i + 1)
				      : arena_strdup(a, kv_quote(f->rows[i].name, q));
}

/* A scale's steps as value_bp; false with its refusals in fe. */
static bool scale_read(arena *a, const struct award_form *f, int k, int *value_bp,
		       struct award_form_errors *fe)
{
	const struct award_form_scale *s = &f->scales[k];
	bool ok = true;
	struct kv_error e;
	if (s->n_steps < 2) {
		refuse(a, fe, arena_printf(a, "s%d", k), _("A scale has at least two steps."));
		return false;
	}
	for (int j = 0; j < s->n_steps; j++) {
		int64_t v = 0;
		const char *field = arena_printf(a, "s%d-%d-value", k, j);
		enum num_read nr = decimal_read(s->steps[j].value, 2, 100, &v);
		if (nr != NUM_OK || v > AWARD_BP_WHOLE) {
			refuse(a, fe, field,
			       nr == NUM_PLACES
			       ? _("Give the step's value with at most two decimals.")
			       : _("Give what the step is worth in percent of the maximum, from 0 to 100."));
			ok = false;
		} else if (j > 0 && value_bp[j - 1] >= 0 && v <= value_bp[j - 1]) {
			refuse(a, fe, field,
			       _("Each step is worth more than the step before it."));
			ok = false;
		}
		value_bp[j] = nr == NUM_OK ? (int)v : -1;
		if (text_check_lines(s->steps[j].meaning, 400, false,
				     arena_printf(a, "s%d-%d-meaning", k, j), &e) != KV_OK) {
			app_award_form_errors_add(a, fe, &e);
			ok = false;
		}
	}
	return ok;
}

/* The field of the form where a refusal of the document belongs:
 * "criteria[3].weight_bp" is row 3's weight. */
static const char *form_field_of(arena *a, const char *field)
{
	int i = 0;
	if (sscanf(field, "criteria[%d]", &i) == 1 && i >= 0 && i < AWARD_MAX_CRITERIA) {
		const char *rest = strchr(field, ']');
		rest = rest ? rest + 1 : "";
		if (strncmp(rest, ".weight_bp", 10) == 0)
			return arena_printf(a, "c%d-weight", i);
		if (strncmp(rest, ".scale", 6) == 0 || strncmp(rest, ".marks", 6) == 0)
			return arena_printf(a, "c%d-scale", i);
		if (strncmp(rest, ".value_cents", 12) == 0)
			return arena_printf(a, "c%d-value", i);
		if (strncmp(rest, ".description", 12) == 0)
			return arena_printf(a, "c%d-description", i);
		return arena_printf(a, "c%d-name", i);
	}
	static const char *const same[] = {"method", "price_weight", "lower", "upper", "log_k",
					    "budget", "tie_rule", "tie_criterion", "criteria"};
	for (size_t k = 0; k < sizeof same / sizeof *same; k++)
		if (strcmp(field, same[k]) == 0)
			return field;
	if (strcmp(field, "price_weight_bp") == 0)
		return "price_weight";
	return "criteria";
}

static enum kv_status euros(arena *a, const char *s, const char *field, bool positive,
			    int64_t *cents, struct award_form_errors *fe)
{
	struct kv_error e;
	if (eur_parse(s, cents, field, &e) != KV_OK) {
		app_award_form_errors_add(a, fe, &e);
		return KV_INVALID;
	}
	if (positive && *cents <= 0) {
		refuse(a, fe, field, _("The amount must be above zero."));
		return KV_INVALID;
	}
	return KV_OK;
}

json_t *app_award_form_document(arena *a, const struct award_form *f,
				struct award_form_errors *fe)
{
	int before = fe->n;
	struct kv_error e;
	bool points = f->weighing == AWARD_FORM_POINTS;
	const struct award_form_method *m = method_of(f->method);
	if (!m)
		refuse(a, fe, "method", _("Choose an award method from the list."));
	int n = f->n_rows;
	if (n > AWARD_MAX_CRITERIA) {
		kv_fail(&e, KV_INVALID, "criteria", _("A lot has at most %d criteria."),
			AWARD_MAX_CRITERIA);
		app_award_form_errors_add(a, fe, &e);
		return NULL;
	}
	bool needs_quality = m && (m->kind == AWARD_FICTIVE_PRICE || m->kind == AWARD_QUALITY_ONLY ||
				   m->kind == AWARD_PRICE_QUALITY_RATIO);
	if (needs_quality && n == 0)
		refuse(a, fe, "criteria",
		       _("This method scores quality: add at least one criterion."));

	/* the weights, each, then each level's sum */
	struct weights ws;
	weights_read(a, f, &ws);
	for (int i = 0; i < n; i++)
		if (!ws.ok[i])
			refuse(a, fe, arena_printf(a, "c%d-weight", i),
			       points ? _("Give the criterion's points as a whole number of at least 1.")
				      : decimal_read(f->rows[i].weight, 2, 100, &(int64_t){0}) == NUM_PLACES
				      ? _("Give the weight with at most two decimals, such as 33,33.")
				      : _("Give the weight in percent of the level above: more than 0 and at most 100, such as 60 or 33,33."));
	if (ws.weighted && !ws.price_ok)
		refuse(a, fe, "price_weight",
		       points ? _("Give the price's points as a whole number (0 or more).")
			      : _("Give the price's share of the total in percent, from 0 to 100, such as 40."));
	int64_t top = 0;
	int count = 0;
	bool top_read = group_sum(f, &ws, -1, &top, &count);
	if (top_read && !points && top != AWARD_BP_WHOLE)
		refuse(a, fe, "sum",
		       arena_printf(a, _("The main criteria add up to %s, not 100 %%."),
				    share_text(a, top)));
	if (ws.weighted && ws.price_ok && n == 0 && !points && ws.price != AWARD_BP_WHOLE)
		refuse(a, fe, "price_weight",
		       arena_printf(a, _("Without quality criteria the price weighs 100 %%.")));
	if (ws.weighted && ws.price_ok && points && ws.price + (n ? top : 0) <= 0)
		refuse(a, fe, "price_weight", _("Give the price or the criteria some points."));
	int *bp = arena_alloc(a, (size_t)(n + 1) * sizeof *bp);
	for (int i = 0; i < n; i++)
		bp[i] = -1;     /* not known */
	if (top_read && (!points || top > 0))
		group_shares(f, &ws, -1, top, bp);
	for (int i = 0; i < n; i++) {
		if (is_leaf(f, i))
			continue;
		int64_t sum;
		int c;
		if (!group_sum(f, &ws, i, &sum, &c) || (points && sum <= 0))
			continue;
		if (!points && sum != AWARD_BP_WHOLE)
			refuse(a, fe, arena_printf(a, "c%d-sum", i),
			       arena_printf(a, _("The sub-criteria of \"%s\" add up to %s, not 100 %%."),
					    row_name(a, f, i), share_text(a, sum)));
		if (points && ws.ok[i] && sum != ws.w[i])
			refuse(a, fe, arena_printf(a, "c%d-sum", i),
			       arena_printf(a, _("The sub-criteria of \"%s\" have %lld points together; \"%s\" has %lld."),
					    row_name(a, f, i), (long long)sum, row_name(a, f, i),
					    (long long)ws.w[i]));
		group_shares(f, &ws, i, sum, bp);
	}
	for (int i = 0; points && i < n; i++)
		if (ws.ok[i] && bp[i] == 0)
			refuse(a, fe, arena_printf(a, "c%d-weight", i),
			       _("These points are less than a hundredth of a percent of the level above."));

	/* names, descriptions, leaves' scales and values, keys */
	const char **names = arena_alloc(a, (size_t)(n + 1) * sizeof *names);
	const char **keys = arena_alloc(a, (size_t)(n + 1) * sizeof *keys);
	int64_t *values = arena_alloc(a, (size_t)(n + 1) * sizeof *values);
	int ns = f->n_scales;
	int (*scale_bp)[AWARD_MAX_STEPS] = arena_alloc(a, (size_t)(ns + 1) * sizeof *scale_bp);
	signed char *scale_state = arena_alloc(a, (size_t)(ns + 1));   /* 0 unread, 1 ok, -1 bad */
	struct award_form fk = *f;   /* the keys so far, for new_key */
	fk.rows = arena_alloc(a, (size_t)(n + 1) * sizeof *fk.rows);
	memcpy(fk.rows, f->rows, (size_t)n * sizeof *fk.rows);
	for (int i = 0; i < n; i++) {
		const struct award_form_row *row = &f->rows[i];
		char *name = text_trim(arena_strdup(a, row->name ? row->name : ""));
		if (text_check(name, NAME_MAX, arena_printf(a, "c%d-name", i), &e) != KV_OK)
			app_award_form_errors_add(a, fe, &e);
		names[i] = name;
		if (text_check_lines(row->description ? row->description : "", 4000, false,
				     arena_printf(a, "c%d-description", i), &e) != KV_OK)
			app_award_form_errors_add(a, fe, &e);
		if (blank(row->key)) {
			fk.rows[i].key = new_key(a, &fk);
		} else if (!key_ok(row->key) || key_used(&fk, row->key, i)) {
			refuse(a, fe, arena_printf(a, "c%d-name", i),
			       _("This criterion's hidden key is damaged: remove the criterion and add it again."));
		}
		keys[i] = fk.rows[i].key;
		values[i] = 0;
		if (!is_leaf(f, i))
			continue;
		if (row->scale < 1 || row->scale > ns) {
			refuse(a, fe, arena_printf(a, "c%d-scale", i),
			       _("Choose the scale this criterion is scored on."));
		} else if (scale_state[row->scale - 1] == 0) {
			scale_state[row->scale - 1] =
				scale_read(a, f, row->scale - 1, scale_bp[row->scale - 1], fe) ? 1 : -1;
		}
		if (m && m->kind == AWARD_FICTIVE_PRICE && !blank(row->value))
			euros(a, row->value, arena_printf(a, "c%d-value", i), false, &values[i], fe);
	}

	/* the method's numbers */
	struct award_method mm = {.kind = m ? m->kind : AWARD_WEIGHTED,
				  .price_scoring = m ? m->scoring : AWARD_PRICE_RELATIVE};
	if (ws.weighted && ws.price_ok)
		mm.price_weight_bp = n == 0 ? AWARD_BP_WHOLE : (int)price_share(f, &ws, top);
	if (ws.weighted && mm.price_scoring == AWARD_PRICE_ABSOLUTE) {
		bool lo = euros(a, f->lower, "lower", false, &mm.lower_cents, fe) == KV_OK;
		bool hi = euros(a, f->upper, "upper", false, &mm.upper_cents, fe) == KV_OK;
		if (lo && hi && mm.lower_cents >= mm.upper_cents)
			refuse(a, fe, "upper",
			       _("The upper bound must be above the lower bound."));
	}
	if (ws.weighted && mm.price_scoring == AWARD_PRICE_LOG) {
		int64_t k = 0;
		if (decimal_read(f->log_k, 4, 100, &k) != NUM_OK || k <= AWARD_BP_WHOLE)
			refuse(a, fe, "log_k",
			       _("Give the factor k: above 1 and at most 100, such as 2 (a price twice the lowest scores 0)."));
		mm.log_k_bp = (int)k;
	}
	if (m && m->kind == AWARD_QUALITY_ONLY)
		euros(a, f->budget, "budget", true, &mm.budget_cents, fe);

	/* the tie rule */
	int tie = -1;
	for (int t = 0; t < (int)(sizeof tie_codes / sizeof *tie_codes); t++)
		if (f->tie_rule && strcmp(f->tie_rule, tie_codes[t]) == 0)
			tie = t;
	if (tie < 0)
		refuse(a, fe, "tie_rule", _("Choose a tie rule."));
	int tie_row = -1;
	for (int i = 0; tie == AWARD_TIE_CRITERION && i < n; i++)
		if (f->tie_criterion && *f->tie_criterion && strcmp(f->rows[i].key, f->tie_criterion) == 0)
			tie_row = i;
	if (tie == AWARD_TIE_CRITERION && tie_row < 0)
		refuse(a, fe, "tie_criterion", _("Choose the criterion that decides a tie."));

	if (fe->n > before)
		return NULL;

	json_t *cs = json_array();
	for (int i = 0; i < n; i++) {
		const struct award_form_row *row = &f->rows[i];
		int p = parent_of(f, i);
		json_t *o = json_pack("{s:s, s:s, s:i}", "key", keys[i], "name", names[i],
				      "weight_bp", bp[i]);
		json_object_set_new(o, "parent", p >= 0 ? json_string(keys[p]) : json_null());
		if (row->description && !blank(row->description))
			json_object_set_new(o, "description", json_string(row->description));
		if (is_leaf(f, i)) {
			const struct award_form_scale *s = &f->scales[row->scale - 1];
			json_t *steps = json_array();
			for (int j = 0; j < s->n_steps; j++) {
				json_t *st = json_pack("{s:i}", "value_bp", scale_bp[row->scale - 1][j]);
				if (!blank(s->steps[j].meaning))
					json_object_set_new(st, "meaning", json_string(s->steps[j].meaning));
				json_array_append_new(steps, st);
			}
			json_object_set_new(o, "scale", steps);
			json_object_set_new(o, "knock_out", json_boolean(row->knock_out));
			if (values[i])
				json_object_set_new(o, "value_cents", json_integer(values[i]));
		}
		json_array_append_new(cs, o);
	}
	json_t *j = json_pack("{s:s, s:s, s:i, s:I, s:I, s:i, s:I, s:s, s:b, s:b, s:o}",
			      "method", award_method_code(mm.kind),
			      "price_scoring", mm.price_scoring == AWARD_PRICE_ABSOLUTE ? "absolute"
					       : mm.price_scoring == AWARD_PRICE_LOG ? "log" : "relative",
			      "price_weight_bp", mm.price_weight_bp,
			      "lower_cents", (json_int_t)mm.lower_cents,
			      "upper_cents", (json_int_t)mm.upper_cents,
			      "log_k_bp", mm.log_k_bp,
			      "budget_cents", (json_int_t)mm.budget_cents,
			      "tie_rule", tie_codes[tie],
			      "averaging", f->averaging,
			      "price_after_quality", f->price_after_quality,
			      "criteria", cs);
	if (tie == AWARD_TIE_CRITERION)
		json_object_set_new(j, "tie_criterion", json_string(keys[tie_row]));

	/* The API's own reading has the last word: what it refuses goes to
	 * the field it is about. */
	struct award_rules r;
	if (app_award_rules_parse(a, j, &r, &e) != KV_OK) {
		json_decref(j);
		const char *field = form_field_of(a, e.field);
		snprintf(e.field, sizeof e.field, "%s", field);
		app_award_form_errors_add(a, fe, &e);
		return NULL;
	}
	return j;
}

/* ---- worked examples ------------------------------------------------------ */

/* Cents rounded to whole thousands of euros. */
static int64_t round_k(int64_t cents)
{
	return (cents + 50000) / 100000 * 100000;
}

enum kv_status app_award_form_example(arena *a, const struct award_form *f,
				      const struct award_form_method *fm, int64_t around,
				      char mark, struct award_example *out,
				      struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	if (around <= 0)
		around = SAMPLE_AROUND;
	const int64_t prices[3] = {round_k(around * 9 / 10), round_k(around), round_k(around * 12 / 10)};
	static const int steps[3] = {1, 2, 3};            /* 60 %, 80 %, 95 % */
	static const char *const bid_names[3] = {N_("Bid A"), N_("Bid B"), N_("Bid C")};
	struct award_criterion c = {
		.id = 0, .parent = -1, .name = _("Quality"), .weight_bp = AWARD_BP_WHOLE,
		.scale = {.n_steps = 5, .value_bp = {0, 6000, 8000, 9500, 10000}},
	};
	struct award_rules r;
	memset(&r, 0, sizeof r);
	struct award_lot *lot = &r.lot;
	lot->criteria = &c;
	lot->n_criteria = fm->kind == AWARD_LOWEST_PRICE ? 0 : 1;
	lot->tie_rule = AWARD_TIE_LOWEST_PRICE;
	struct award_method *m = &lot->method;
	m->kind = fm->kind;
	m->price_scoring = fm->scoring;
	const char *notes[4];
	int nn = 0;
	struct award_form_errors ignore = {0};
	struct weights ws;
	weights_read(a, f, &ws);
	if (fm->kind == AWARD_WEIGHTED) {
		int64_t top = 0;
		int count = 0;
		bool top_read = group_sum(f, &ws, -1, &top, &count);
		int64_t share = ws.price_ok && (f->weighing != AWARD_FORM_POINTS || top_read)
				? price_share(f, &ws, f->n_rows ? top : 0) : -1;
		if (share >= 0 && share <= AWARD_BP_WHOLE) {
			m->price_weight_bp = (int)share;
		} else {
			m->price_weight_bp = 4000;
			notes[nn++] = arena_printf(a, _("a price weight of %d %%"), 40);
		}
		if (fm->scoring == AWARD_PRICE_ABSOLUTE) {
			if (euros(a, f->lower, "lower", false, &m->lower_cents, &ignore) != KV_OK ||
			    euros(a, f->upper, "upper", false, &m->upper_cents, &ignore) != KV_OK ||
			    m->lower_cents >= m->upper_cents) {
				m->lower_cents = round_k(around * 8 / 10);
				m->upper_cents = round_k(around * 15 / 10);
				notes[nn++] = arena_printf(a, _("the bounds %s and %s"),
							   eur_text(a, m->lower_cents),
							   eur_text(a, m->upper_cents));
			}
		}
		if (fm->scoring == AWARD_PRICE_LOG) {
			int64_t k = 0;
			if (decimal_read(f->log_k, 4, 100, &k) == NUM_OK && k > AWARD_BP_WHOLE) {
				m->log_k_bp = (int)k;
			} else {
				m->log_k_bp = 2 * AWARD_BP_WHOLE;
				notes[nn++] = _("the factor k = 2");
			}
		}
	}
	if (fm->kind == AWARD_QUALITY_ONLY &&
	    euros(a, f->budget, "budget", true, &m->budget_cents, &ignore) != KV_OK) {
		m->budget_cents = round_k(around * 11 / 10);
		notes[nn++] = arena_printf(a, _("a budget of %s"), eur_text(a, m->budget_cents));
	}
	if (fm->kind == AWARD_FICTIVE_PRICE) {
		c.value_cents = round_k(around * 3 / 10);
		notes[nn++] = arena_printf(a, _("full marks on quality worth %s"),
					   eur_text(a, c.value_cents));
	}
	struct award_bid bids[3];
	for (int b = 0; b < 3; b++)
		bids[b] = (struct award_bid){.id = b, .name = _(bid_names[b]),
					     .price_cents = prices[b], .steps = &steps[b]};
	struct award_ranking rk;
	if (award_rank(a, lot, bids, 3, &rk, e) != KV_OK)
		return e->status;
	out->formula = award_method_formula(a, m, mark);
	if (nn) {
		const char *list = notes[0];
		for (int k = 1; k < nn; k++)
			list = arena_printf(a, "%s, %s", list, notes[k]);
		out->note = arena_printf(a, _("Sample numbers where the form has none yet: %s."), list);
	} else {
		out->note = "";
	}
	for (int b = 0; b < 3; b++) {
		const struct award_result *x = &rk.results[b];
		out->bids[b] = (struct award_example_bid){
			.name = bids[b].name,
			.price = eur_text(a, prices[b]),
			.quality = lot->n_criteria ? app_award_pct(a, x->quality_ppm, mark) : "",
			.price_points = fm->kind == AWARD_WEIGHTED ? app_award_pct(a, x->price_ppm, mark) : "",
			.result = !x->valid ? (x->invalid_reason ? x->invalid_reason : _("invalid"))
				  : fm->kind == AWARD_LOWEST_PRICE ? eur_text(a, prices[b])
				  : app_award_result_text(a, &r, true, x->quality_ppm,
								    x->total_ppm, x->fictive_cents,
								    x->ratio_cents, mark),
			.rank = x->valid ? x->rank : 0,
		};
	}
	out->n_bids = 3;
	return KV_OK;
}
