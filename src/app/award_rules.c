/*
 * award_rules.c - a lot's award rules as a JSON document (the form in
 * which the buyer sets them, the store keeps them and a decision's
 * snapshot carries them), read into core/award.h's structs; see app.h.
 */
#include <string.h>

#include "core/validate.h"
#include "internal.h"
#include "read_award.h"

static const char *const price_scorings[] = {
	[AWARD_PRICE_ABSOLUTE] = "absolute",
	[AWARD_PRICE_RELATIVE] = "relative",
	[AWARD_PRICE_LOG] = "log",
};
static const char *const tie_rules[] = {
	[AWARD_TIE_LOWEST_PRICE] = "lowest-price",
	[AWARD_TIE_CRITERION] = "criterion",
	[AWARD_TIE_DRAWING] = "drawing",
};
#define COUNT(x) ((int)(sizeof(x) / sizeof *(x)))

static int code_of(const char *const *codes, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(codes[i], s) == 0)
			return i;
	return -1;
}

static bool key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 1 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '-'))
			return false;
	return true;
}

/* An optional integer member within lo..hi; absent gives dflt. */
static enum kv_status int_member(arena *a, json_t *o, const char *name,
				 const char *field, int64_t lo, int64_t hi,
				 int64_t dflt, int64_t *out,
				 struct kv_error *e)
{
	json_t *v = json_object_get(o, name);
	*out = dflt;
	if (!v || json_is_null(v))
		return KV_OK;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return kv_fail(e, KV_INVALID, arena_strdup(a, field),
			       _("%s must be a whole number from %lld to "
				 "%lld."), field, (long long)lo,
			       (long long)hi);
	*out = json_integer_value(v);
	return KV_OK;
}

static enum kv_status str_member(arena *a, json_t *o, const char *name,
				 const char *field, size_t max, bool required,
				 const char **out, struct kv_error *e)
{
	json_t *v = json_object_get(o, name);
	*out = "";
	if ((!v || json_is_null(v)) && !required)
		return KV_OK;
	if (!json_is_string(v))
		return kv_fail(e, KV_INVALID, arena_strdup(a, field),
			       _("%s must be text."), field);
	if (text_check_lines(json_string_value(v), max, required,
			     arena_strdup(a, field), e) != KV_OK)
		return e->status;
	*out = arena_strdup(a, json_string_value(v));
	return KV_OK;
}

static enum kv_status bool_member(arena *a, json_t *o, const char *name,
				  bool dflt, bool *out, struct kv_error *e)
{
	json_t *v = json_object_get(o, name);
	*out = dflt;
	if (!v || json_is_null(v))
		return KV_OK;
	if (!json_is_boolean(v))
		return kv_fail(e, KV_INVALID, arena_strdup(a, name),
			       _("%s must be true or false."), name);
	*out = json_is_true(v);
	return KV_OK;
}

static enum kv_status scale_of(arena *a, json_t *c, const char *field,
			       struct award_scale *sc, struct kv_error *e)
{
	json_t *steps = json_object_get(c, "scale");
	json_t *marks = json_object_get(c, "marks");
	memset(sc, 0, sizeof *sc);
	if (marks && !json_is_null(marks)) {
		if (!json_is_array(marks) || json_array_size(marks) != 2 ||
		    !json_is_integer(json_array_get(marks, 0)) ||
		    !json_is_integer(json_array_get(marks, 1)))
			return kv_fail(e, KV_INVALID,
				       arena_printf(a, "%s.marks", field),
				       _("%s.marks must be [lowest, highest], "
					 "such as [1, 10]."), field);
		json_int_t lo = json_integer_value(json_array_get(marks, 0));
		json_int_t hi = json_integer_value(json_array_get(marks, 1));
		if (lo < 0 || hi <= lo || hi - lo + 1 > AWARD_MAX_STEPS)
			return kv_fail(e, KV_INVALID,
				       arena_printf(a, "%s.marks", field),
				       _("%s.marks: from 0 up, highest above "
					 "lowest, at most %d marks."), field,
				       AWARD_MAX_STEPS);
		*sc = award_scale_marks((int)lo, (int)hi);
		return KV_OK;
	}
	if (!steps || json_is_null(steps))
		return KV_OK;   /* a node; award_criteria_check judges */
	if (!json_is_array(steps) || json_array_size(steps) < 2 ||
	    json_array_size(steps) > AWARD_MAX_STEPS)
		return kv_fail(e, KV_INVALID,
			       arena_printf(a, "%s.scale", field),
			       _("%s.scale must list 2 to %d steps."), field,
			       AWARD_MAX_STEPS);
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s) {
		const char *f = arena_printf(a, "%s.scale[%zu]", field, i);
		int64_t v;
		const char *meaning;
		if (!json_is_object(s))
			return kv_fail(e, KV_INVALID, f,
				       _("%s must be an object with value_bp "
					 "and meaning."), f);
		if (int_member(a, s, "value_bp",
			       arena_printf(a, "%s.value_bp", f), 0,
			       AWARD_BP_WHOLE, -1, &v, e) != KV_OK)
			return e->status;
		if (v < 0)
			return kv_fail(e, KV_INVALID, f,
				       _("%s needs its value_bp."), f);
		if (str_member(a, s, "meaning",
			       arena_printf(a, "%s.meaning", f), 400, false,
			       &meaning, e) != KV_OK)
			return e->status;
		sc->value_bp[i] = (int)v;
		sc->meaning[i] = meaning;
	}
	sc->n_steps = (int)json_array_size(steps);
	return KV_OK;
}

enum kv_status app_award_rules_parse(arena *a, json_t *j,
				     struct award_rules *r,
				     struct kv_error *e)
{
	memset(r, 0, sizeof *r);
	if (!json_is_object(j))
		return kv_fail(e, KV_INVALID, "rules",
			       _("The award rules must be a JSON object."));
	struct award_lot *lot = &r->lot;
	const char *s = json_string_value(json_object_get(j, "method"));
	int m = award_method_from_code(s);
	if (m < 0)
		return kv_fail(e, KV_INVALID, "method",
			       _("method must be weighted, fictive-price, "
				 "quality-only, lowest-price or "
				 "price-quality-ratio."));
	lot->method.kind = (enum award_method_kind)m;
	s = json_string_value(json_object_get(j, "price_scoring"));
	int ps = s ? code_of(price_scorings, COUNT(price_scorings), s)
		   : AWARD_PRICE_RELATIVE;
	if (ps < 0)
		return kv_fail(e, KV_INVALID, "price_scoring",
			       _("price_scoring must be absolute, relative "
				 "or log."));
	lot->method.price_scoring = (enum award_price_scoring)ps;
	int64_t v;
	if (int_member(a, j, "price_weight_bp", "price_weight_bp", 0,
		       AWARD_BP_WHOLE, 0, &v, e) != KV_OK)
		return e->status;
	lot->method.price_weight_bp = (int)v;
	if (int_member(a, j, "lower_cents", "lower_cents", 0, INT64_MAX / 4,
		       0, &lot->method.lower_cents, e) != KV_OK ||
	    int_member(a, j, "upper_cents", "upper_cents", 0, INT64_MAX / 4,
		       0, &lot->method.upper_cents, e) != KV_OK ||
	    int_member(a, j, "budget_cents", "budget_cents", 0,
		       INT64_MAX / 4, 0, &lot->method.budget_cents,
		       e) != KV_OK)
		return e->status;
	if (int_member(a, j, "log_k_bp", "log_k_bp", 0, 1000000, 0, &v,
		       e) != KV_OK)
		return e->status;
	lot->method.log_k_bp = (int)v;
	s = json_string_value(json_object_get(j, "tie_rule"));
	int tr = code_of(tie_rules, COUNT(tie_rules), s);
	if (tr < 0)
		return kv_fail(e, KV_INVALID, "tie_rule",
			       _("tie_rule must be lowest-price, criterion "
				 "or drawing, as the tender documents "
				 "announce."));
	lot->tie_rule = (enum award_tie_rule)tr;
	if (bool_member(a, j, "averaging", false, &r->averaging, e) != KV_OK ||
	    bool_member(a, j, "price_after_quality", true,
			&r->price_after_quality, e) != KV_OK)
		return e->status;

	json_t *cs = json_object_get(j, "criteria");
	if (cs && !json_is_null(cs) && !json_is_array(cs))
		return kv_fail(e, KV_INVALID, "criteria",
			       _("criteria must be a list."));
	int n = cs ? (int)json_array_size(cs) : 0;
	if (n > AWARD_MAX_CRITERIA)
		return kv_fail(e, KV_INVALID, "criteria",
			       _("A lot has at most %d criteria."),
			       AWARD_MAX_CRITERIA);
	r->criteria = arena_alloc(a, (size_t)(n + 1) * sizeof *r->criteria);
	r->keys = arena_alloc(a, (size_t)(n + 1) * sizeof *r->keys);
	r->descriptions = arena_alloc(a, (size_t)(n + 1) *
					  sizeof *r->descriptions);
	for (int i = 0; i < n; i++) {
		json_t *c = json_array_get(cs, (size_t)i);
		const char *f = arena_printf(a, "criteria[%d]", i);
		struct award_criterion *cr = &r->criteria[i];
		if (!json_is_object(c))
			return kv_fail(e, KV_INVALID, f,
				       _("%s must be an object."), f);
		const char *key = json_string_value(json_object_get(c, "key"));
		if (!key_ok(key))
			return kv_fail(e, KV_INVALID,
				       arena_printf(a, "%s.key", f),
				       _("%s.key: 1 to 40 characters of a-z, "
					 "0-9 and '-'."), f);
		if (app_award_key_index(r, key) >= 0)
			return kv_fail(e, KV_INVALID,
				       arena_printf(a, "%s.key", f),
				       _("The key \"%s\" is used twice."), key);
		r->keys[i] = arena_strdup(a, key);
		cr->id = i;
		cr->parent = -1;
		json_t *pj = json_object_get(c, "parent");
		if (pj && !json_is_null(pj)) {
			int pi = app_award_key_index(r,
						     json_string_value(pj));
			if (pi < 0)
				return kv_fail(e, KV_INVALID,
					       arena_printf(a, "%s.parent", f),
					       _("%s.parent must be the key of "
						 "a criterion listed before "
						 "it."), f);
			cr->parent = pi;
		}
		if (str_member(a, c, "name", arena_printf(a, "%s.name", f),
			       300, true, &cr->name, e) != KV_OK ||
		    str_member(a, c, "description",
			       arena_printf(a, "%s.description", f), 4000,
			       false, &r->descriptions[i], e) != KV_OK)
			return e->status;
		if (int_member(a, c, "weight_bp",
			       arena_printf(a, "%s.weight_bp", f), 1,
			       AWARD_BP_WHOLE, 0, &v, e) != KV_OK)
			return e->status;
		if (v == 0)
			return kv_fail(e, KV_INVALID,
				       arena_printf(a, "%s.weight_bp", f),
				       _("%s.weight_bp: the criterion's "
					 "share of its parent, 1 to 10000 "
					 "basis points."), f);
		cr->weight_bp = (int)v;
		if (scale_of(a, c, f, &cr->scale, e) != KV_OK ||
		    bool_member(a, c, "knock_out", false, &cr->knock_out,
				e) != KV_OK ||
		    int_member(a, c, "value_cents",
			       arena_printf(a, "%s.value_cents", f), 0,
			       INT64_MAX / 4, 0, &cr->value_cents, e) != KV_OK)
			return e->status;
	}
	lot->criteria = r->criteria;
	lot->n_criteria = n;
	s = json_string_value(json_object_get(j, "tie_criterion"));
	if (lot->tie_rule == AWARD_TIE_CRITERION) {
		lot->tie_criterion_id = app_award_key_index(r, s);
		if (lot->tie_criterion_id < 0)
			return kv_fail(e, KV_INVALID, "tie_criterion",
				       _("tie_criterion must be the key of "
					 "one of the criteria."));
	}
	return award_lot_check(lot, e);
}

enum kv_status app_award_rules_parse_text(arena *a, const char *text,
					  struct award_rules *r,
					  struct kv_error *e)
{
	json_error_t je;
	json_t *j = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return kv_fail(e, KV_INVALID, "rules",
			       _("The award rules are not valid JSON (line "
				 "%d, column %d): %s"), je.line, je.column,
			       je.text);
	enum kv_status rc = app_award_rules_parse(a, j, r, e);
	json_decref(j);
	return rc;
}

json_t *app_award_rules_json(const struct award_rules *r)
{
	const struct award_lot *lot = &r->lot;
	json_t *cs = json_array();
	for (int i = 0; i < lot->n_criteria; i++) {
		const struct award_criterion *c = &lot->criteria[i];
		json_t *o = json_pack("{s:s, s:s, s:i, s:b}", "key", r->keys[i],
				      "name", c->name, "weight_bp",
				      c->weight_bp, "knock_out", c->knock_out);
		json_object_set_new(o, "parent", c->parent >= 0
				    ? json_string(r->keys[c->parent])
				    : json_null());
		if (r->descriptions[i] && *r->descriptions[i])
			json_object_set_new(o, "description",
					    json_string(r->descriptions[i]));
		if (c->scale.n_steps > 0) {
			json_t *sc = json_array();
			for (int k = 0; k < c->scale.n_steps; k++) {
				json_t *st = json_pack("{s:i}", "value_bp",
						       c->scale.value_bp[k]);
				if (c->scale.meaning[k] && *c->scale.meaning[k])
					json_object_set_new(
					    st, "meaning",
					    json_string(c->scale.meaning[k]));
				json_array_append_new(sc, st);
			}
			json_object_set_new(o, "scale", sc);
		}
		if (c->value_cents)
			json_object_set_new(o, "value_cents",
					    json_integer(c->value_cents));
		json_array_append_new(cs, o);
	}
	json_t *j = json_pack(
	    "{s:s, s:s, s:i, s:I, s:I, s:i, s:I, s:s, s:b, s:b, s:o}",
	    "method", award_method_code(lot->method.kind), "price_scoring",
	    price_scorings[lot->method.price_scoring], "price_weight_bp",
	    lot->method.price_weight_bp, "lower_cents",
	    (json_int_t)lot->method.lower_cents, "upper_cents",
	    (json_int_t)lot->method.upper_cents, "log_k_bp",
	    lot->method.log_k_bp, "budget_cents",
	    (json_int_t)lot->method.budget_cents, "tie_rule",
	    tie_rules[lot->tie_rule], "averaging", r->averaging,
	    "price_after_quality", r->price_after_quality, "criteria", cs);
	if (lot->tie_rule == AWARD_TIE_CRITERION)
		json_object_set_new(j, "tie_criterion",
				    json_string(r->keys[lot->tie_criterion_id]));
	return j;
}

int app_award_key_index(const struct award_rules *r, const char *key)
{
	if (!key)
		return -1;
	for (int i = 0; r->keys && r->keys[i]; i++)
		if (strcmp(r->keys[i], key) == 0)
			return i;
	return -1;
}

bool app_award_under(const struct award_rules *r, int i, const char *key)
{
	int k = app_award_key_index(r, key);
	for (int guard = 0; i >= 0 && k >= 0 && guard <= AWARD_MAX_CRITERIA;
	     guard++) {
		if (i == k)
			return true;
		i = r->criteria[i].parent;
	}
	return false;
}

const char *app_award_step_label(arena *a, const struct award_rules *r,
				 int i, int s, char mark)
{
	char buf[32];
	if (i < 0 || i >= r->lot.n_criteria || s < 0 ||
	    s >= r->criteria[i].scale.n_steps)
		return "";
	const struct award_scale *sc = &r->criteria[i].scale;
	int bp = sc->value_bp[s];
	const char *pct = arena_printf(a, "%s %%", dec_format(bp, mark, buf));
	if (sc->meaning[s] && *sc->meaning[s])
		return arena_printf(a, "%s - %s", pct, sc->meaning[s]);
	return pct;
}

/* The tree of criteria (read_award.h): how deep criterion i sits and its
 * share of the whole award. */
int app_award_depth(const struct award_rules *r, int i)
{
	int depth = 0;
	for (int p = r->criteria[i].parent; p >= 0 && depth < AWARD_MAX_DEPTH_SHOWN;
	     p = r->criteria[p].parent)
		depth++;
	return depth;
}

int64_t app_award_weight_total_bp(const struct award_rules *r, int i)
{
	const struct award_criterion *c = &r->criteria[i];
	int64_t total = c->weight_bp;
	int depth = 0;
	for (int p = c->parent; p >= 0 && depth < AWARD_MAX_DEPTH_SHOWN;
	     p = r->criteria[p].parent) {
		depth++;
		total = total * r->criteria[p].weight_bp / AWARD_BP_WHOLE;
	}
	/* a weighted method gives price its share first */
	if (r->lot.method.kind == AWARD_WEIGHTED)
		total = total * (AWARD_BP_WHOLE - r->lot.method.price_weight_bp) /
			AWARD_BP_WHOLE;
	return total;
}
