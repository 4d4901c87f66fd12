/*
 * page_award.c - evaluation and award of a lot: the rules as announced
 * (everyone on the procedure reads them; the buyer sets them), the
 * scoring page of the assessors and the buyer (blind: see
 * app/award_actions.c), the consensus, exclusions and final quality, the
 * price envelope (a bidder puts its price in; two buyers open them), the
 * ranking with its robustness, the award decision, the letters (each
 * bidder reads its own), the award file, the scoring matrix, objections
 * and the definitive award.  Pages and /api/v1 share these handlers.
 *
 * What the pages show comes from app (app.h's award_view and evaluation,
 * app/read_award.h's rules, decisions and the decision's document); the
 * pages are the templates tmpl/award_*.tmpl, their forms declared once
 * (form.h).  A refused form is shown again on its page, with what was
 * typed and the error at its field; the API answers the refusal.
 */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/award_form.h"
#include "app/read_award.h"
#include "app/read_vault.h"
#include "body.h"
#include "core/validate.h"
#include "form.h"
#include "input.h"
#include "receipt.h"
#include "templates.h"
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

/* The lot's award page `page`: "/procedures/1/lots/2/award/scoring". */
static const char *award_url(struct req *r, const char *page)
{
	return arena_printf(r->a, "/procedures/%lld/lots/%lld/award/%s",
			    (long long)r->proc.id, (long long)r->ids[1], page);
}

/* After a form's action: back to the lot's page `page`, saying what was
 * done (view.h); the API gets {"ok": true} (or what the caller passes). */
static void done_saying(struct req *r, struct resp *w, const char *page, json_t *j,
			enum done_code what)
{
	if (r->api) {
		resp_json(r, w, 200, j ? j : json_pack("{s:b}", "ok", 1));
		return;
	}
	json_decref(j);
	resp_redirect_done(r, w, award_url(r, page), what);
}

static void done(struct req *r, struct resp *w, const char *page, json_t *j)
{
	done_saying(r, w, page, j, DONE_NONE);
}

/* A form of one button that posts to the lot's page `page`; a refusal of
 * it shows above the button. */
static html_t button_form(struct req *r, const char *page, const char *label,
			  const struct form_errors *fe)
{
	struct form f = {.action = award_url(r, page), .css = "", .submit = label,
			 .errors = fe};
	return form_html(r, &f);
}

/* The same for an action that cannot be undone: above the button the box
 * that confirms `consequence` (a msgid, form.h FIELD_CONFIRM). */
static html_t confirm_form(struct req *r, const char *page, const char *label,
			   const char *consequence, const struct form_errors *fe)
{
	struct form_field *field = arena_alloc(r->a, sizeof *field);
	*field = (struct form_field){.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
				     .label = consequence};
	struct form f = {.action = award_url(r, page), .id = page, .submit = label,
			 .fields = field, .n_fields = 1, .errors = fe};
	return form_html(r, &f);
}

/* fe's errors when the refused form is `form`, else none. */
static const struct form_errors *errors_of(const char *refused, const struct form_errors *fe,
					   const char *form)
{
	return refused && strcmp(refused, form) == 0 ? fe : NULL;
}

/* The steps of criterion i as a select's options, `current` selected. */
struct step_option {
	long long value;
	const char *label;
	bool selected;
};

static int step_options(struct req *r, const struct award_rules *ru, int i, int current,
			struct step_option **out)
{
	int n = ru->criteria[i].scale.n_steps;
	struct step_option *o = arena_alloc(r->a, (size_t)(n + 1) * sizeof *o);
	for (int s = 0; s < n; s++)
		o[s] = (struct step_option){.value = s,
					    .label = app_award_step_label(r->a, ru, i, s, view_decimal_mark(r)),
					    .selected = s == current};
	*out = o;
	return n;
}

/* ---- the rules -------------------------------------------------------------- */

/* The rules form (app/award_form.h) as the request sent it. */
static const char *param_or_empty(struct req *r, const char *key)
{
	const char *v = req_param(r, key);
	return v ? v : "";
}

static int param_int(struct req *r, const char *key)
{
	const char *v = req_param(r, key);
	if (!v || !*v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || n < -1000 || n > 1000 ? 0 : (int)n;
}

static void rules_form_read(struct req *r, struct award_form *f)
{
	memset(f, 0, sizeof *f);
	f->weighing = strcmp(param_or_empty(r, "weighing"), "points") == 0 ? AWARD_FORM_POINTS
									 : AWARD_FORM_PERCENT;
	f->method = param_or_empty(r, "method");
	f->price_weight = param_or_empty(r, "price_weight");
	f->lower = param_or_empty(r, "lower");
	f->upper = param_or_empty(r, "upper");
	f->log_k = param_or_empty(r, "log_k");
	f->budget = param_or_empty(r, "budget");
	f->tie_rule = param_or_empty(r, "tie_rule");
	f->tie_criterion = param_or_empty(r, "tie_criterion");
	f->averaging = *param_or_empty(r, "averaging") != 0;
	f->price_after_quality = *param_or_empty(r, "price_after_quality") != 0;
	/* one row past the limit, so that the form can say so */
	f->rows = arena_alloc(r->a, (AWARD_MAX_CRITERIA + 2) * sizeof *f->rows);
	for (int i = 0; i <= AWARD_MAX_CRITERIA; i++) {
		if (!req_param(r, arena_printf(r->a, "c%d-level", i)))
			break;
		struct award_form_row *row = &f->rows[f->n_rows++];
		*row = (struct award_form_row){
			.key = param_or_empty(r, arena_printf(r->a, "c%d-key", i)),
			.level = param_int(r, arena_printf(r->a, "c%d-level", i)),
			.name = param_or_empty(r, arena_printf(r->a, "c%d-name", i)),
			.description = param_or_empty(r, arena_printf(r->a, "c%d-description", i)),
			.weight = param_or_empty(r, arena_printf(r->a, "c%d-weight", i)),
			.value = param_or_empty(r, arena_printf(r->a, "c%d-value", i)),
			.scale = param_int(r, arena_printf(r->a, "c%d-scale", i)),
			.knock_out = *param_or_empty(r, arena_printf(r->a, "c%d-knock_out", i)) != 0,
		};
	}
	f->scales = arena_alloc(r->a, (AWARD_MAX_CRITERIA + 1) * sizeof *f->scales);
	for (int k = 0; k < AWARD_MAX_CRITERIA; k++) {
		if (!req_param(r, arena_printf(r->a, "s%d-0-value", k)))
			break;
		struct award_form_scale *s = &f->scales[f->n_scales++];
		for (int j = 0; j < AWARD_MAX_STEPS; j++) {
			const char *v = req_param(r, arena_printf(r->a, "s%d-%d-value", k, j));
			if (!v)
				break;
			s->steps[s->n_steps++] = (struct award_form_step){
				v, param_or_empty(r, arena_printf(r->a, "s%d-%d-meaning", k, j))};
		}
	}
	app_award_form_tidy(r->a, f);
}

/* "1", "1.2", "1.2.1": each row's place in the tree. */
static const char **outline_numbers(struct req *r, const struct award_form *f)
{
	const char **out = arena_alloc(r->a, (size_t)(f->n_rows + 1) * sizeof *out);
	int count[AWARD_MAX_CRITERIA + 2] = {0};
	for (int i = 0; i < f->n_rows; i++) {
		int level = f->rows[i].level;
		if (level < 0 || level > AWARD_MAX_CRITERIA)
			level = 0;
		count[level]++;
		for (int l = level + 1; l <= AWARD_MAX_CRITERIA; l++)
			count[l] = 0;
		const char *s = arena_printf(r->a, "%d", count[0]);
		for (int l = 1; l <= level; l++)
			s = arena_printf(r->a, "%s.%d", s, count[l]);
		out[i] = s;
	}
	return out;
}

static int subtree_end_of(const struct award_form *f, int i)
{
	int j = i + 1;
	while (j < f->n_rows && f->rows[j].level > f->rows[i].level)
		j++;
	return j;
}

/* "1.2 Samenwerking", or "1.2" when it has no name yet. */
static const char *row_title(struct req *r, const struct award_form *f, const char **numbers, int i)
{
	const char *name = f->rows[i].name;
	return name && *name ? arena_printf(r->a, "%s %s", numbers[i], name) : numbers[i];
}

/* What the error summary calls the field of a refusal. */
static const char *rules_error_label(struct req *r, const struct award_form *f,
				     const char **numbers, const char *field)
{
	static const struct {
		const char *field, *label;
	} fixed[] = {
		{"criteria", N_("Criteria")}, {"sum", N_("Main criteria together:")},
		{"price_weight", N_("Price")}, {"method", N_("Award method")},
		{"lower", N_("Lower bound")}, {"upper", N_("Upper bound")},
		{"log_k", N_("Factor k")}, {"budget", N_("Fixed budget")},
		{"tie_rule", N_("Tie rule")}, {"tie_criterion", N_("The criterion that decides a tie")},
		{"scales", N_("Scales")},
	};
	static const struct {
		const char *suffix, *label;
	} parts[] = {
		{"name", N_("Name")}, {"weight", N_("Weight")}, {"scale", N_("Scale")},
		{"value", N_("Value of full marks")}, {"description", N_("Description")},
		{"sum", N_("Its sub-criteria together:")}, {"knock_out", N_("Knock-out")},
	};
	for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
		if (strcmp(field, fixed[k].field) == 0)
			return _(fixed[k].label);
	int i = 0, j = 0, used = 0;
	if (sscanf(field, "c%d-%n", &i, &used) == 1 && used > 0 && i >= 0 && i < f->n_rows) {
		const char *what = field + used;
		for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
			if (strcmp(what, parts[k].suffix) == 0)
				return arena_printf(r->a, "%s — %s", row_title(r, f, numbers, i),
						    _(parts[k].label));
		return row_title(r, f, numbers, i);
	}
	if (sscanf(field, "s%d-%d-%n", &i, &j, &used) == 2 && used > 0)
		return arena_printf(r->a, _("Scale %d, step %d: %s"), i + 1, j + 1,
				    strcmp(field + used, "meaning") == 0 ? _("Meaning") : _("worth"));
	if (sscanf(field, "s%d", &i) == 1)
		return arena_printf(r->a, _("Scale %d"), i + 1);
	return "";
}

static const char *err_at(const struct award_form_errors *fe, const char *field)
{
	const char *m = app_award_form_error_for(fe, field);
	return m ? m : "";
}

/* "Scale 1: 0 % insufficient to 100 % excellent". */
static const char *scale_label(struct req *r, const struct award_form_scale *s, int k)
{
	if (s->n_steps < 1)
		return arena_printf(r->a, _("Scale %d"), k + 1);
	const struct award_form_step *lo = &s->steps[0], *hi = &s->steps[s->n_steps - 1];
	return arena_printf(r->a, _("Scale %d: %s %% %s to %s %% %s"), k + 1, lo->value, lo->meaning,
			    hi->value, hi->meaning);
}

/* The buyer's form: f as it stands (a new one, the saved rules or what
 * was sent), fe its refusals (NULL: none). */
static html_t rules_form_html(struct req *r, const struct lot *lot, const struct award_form *f,
			      const struct award_form_errors *fe)
{
	const char *url = award_url(r, "rules");
	const char **numbers = outline_numbers(r, f);
	struct award_form_sums sums;
	app_award_form_sums(r->a, f, &sums);
	int n = f->n_rows, ns = f->n_scales;
	struct tv_award_rules_form v = {
		.action = url,
		.csrf = {.token = csrf_token(r)},
		.points = f->weighing == AWARD_FORM_POINTS,
		.price_weight = f->price_weight,
		.price_weight_error = err_at(fe, "price_weight"),
		.price_share = sums.price_share,
		.top_sum = sums.top_sum,
		.top_bad = !sums.top_ok,
		.sum_error = err_at(fe, "sum"),
		.criteria_error = err_at(fe, "criteria"),
		.add_action = arena_printf(r->a, "%s#f-c%d-name", url, n),
		.can_add = n < AWARD_MAX_CRITERIA,
		.scales_error = err_at(fe, "scales"),
		.scale_add_action = arena_printf(r->a, "%s#f-s%d-0-value", url, ns),
		.can_add_scale = ns < AWARD_FORM_MAX_SCALES,
		.method_error = err_at(fe, "method"),
		.lower = f->lower, .lower_error = err_at(fe, "lower"),
		.upper = f->upper, .upper_error = err_at(fe, "upper"),
		.log_k = f->log_k, .log_k_error = err_at(fe, "log_k"),
		.budget = f->budget, .budget_error = err_at(fe, "budget"),
		.tie_rule_error = err_at(fe, "tie_rule"),
		.tie_criterion_error = err_at(fe, "tie_criterion"),
		.averaging = f->averaging,
		.price_after_quality = f->price_after_quality,
		.refresh_action = arena_printf(r->a, "%s#f-method", url),
		.of_total = _("%s of the total"),
		.points_unit = _("%lld points"),
	};

	/* the scales, first: every leaf's select lists them */
	struct tv_award_rules_form_scales *sv = arena_alloc(r->a, (size_t)(ns + 1) * sizeof *sv);
	const char **labels = arena_alloc(r->a, (size_t)(ns + 1) * sizeof *labels);
	for (int k = 0; k < ns; k++) {
		const struct award_form_scale *s = &f->scales[k];
		labels[k] = scale_label(r, s, k);
		struct tv_award_rules_form_scales_steps *st =
			arena_alloc(r->a, (size_t)(s->n_steps + 1) * sizeof *st);
		for (int j = 0; j < s->n_steps; j++)
			st[j] = (struct tv_award_rules_form_scales_steps){
				.j = j, .number = j + 1,
				.value = s->steps[j].value, .meaning = s->steps[j].meaning,
				.value_error = err_at(fe, arena_printf(r->a, "s%d-%d-value", k, j)),
				.meaning_error = err_at(fe, arena_printf(r->a, "s%d-%d-meaning", k, j)),
				.del_action = arena_printf(r->a, "%s#f-s%d", url, k),
			};
		sv[k] = (struct tv_award_rules_form_scales){
			.k = k, .number = k + 1,
			.error = err_at(fe, arena_printf(r->a, "s%d", k)),
			.steps = st, .n_steps = s->n_steps,
			.can_del_step = s->n_steps > 2,
			.step_add_action = arena_printf(r->a, "%s#f-s%d-%d-value", url, k, s->n_steps),
			.can_add_step = s->n_steps < AWARD_MAX_STEPS,
			.del_action = arena_printf(r->a, "%s#f-scales", url),
			.can_del = ns > 1,
		};
	}
	v.scales = sv;
	v.n_scales = ns;

	struct tv_award_rules_form_rows *rows = arena_alloc(r->a, (size_t)(n + 1) * sizeof *rows);
	struct tv_award_rules_form_tie_criteria *tc = arena_alloc(r->a, (size_t)(n + 1) * sizeof *tc);
	for (int i = 0; i < n; i++) {
		const struct award_form_row *row = &f->rows[i];
		const char *f_desc = arena_printf(r->a, "c%d-description", i);
		struct tv_award_rules_form_rows_scales *opts =
			arena_alloc(r->a, (size_t)(ns + 1) * sizeof *opts);
		for (int k = 0; k < ns; k++)
			opts[k] = (struct tv_award_rules_form_rows_scales){
				.value = k + 1, .label = labels[k], .selected = row->scale == k + 1};
		const char *title = row_title(r, f, numbers, i);
		rows[i] = (struct tv_award_rules_form_rows){
			.i = i,
			.number = numbers[i],
			.key = row->key,
			.level = row->level,
			.depth = row->level > 3 ? 3 : row->level,
			.name = row->name,
			.name_error = err_at(fe, arena_printf(r->a, "c%d-name", i)),
			.weight = row->weight,
			.weight_error = err_at(fe, arena_printf(r->a, "c%d-weight", i)),
			.share = sums.share[i],
			.leaf = sums.leaf[i],
			.description = row->description,
			.description_error = err_at(fe, f_desc),
			.description_open = (row->description && *row->description) || *err_at(fe, f_desc),
			.value = row->value,
			.value_error = err_at(fe, arena_printf(r->a, "c%d-value", i)),
			.scales = opts,
			.n_scales = ns,
			.scale_error = err_at(fe, arena_printf(r->a, "c%d-scale", i)),
			.knock_out = row->knock_out,
			.has_sub = !sums.leaf[i],
			.sub_sum = sums.sub_sum[i],
			.sub_bad = !sums.sub_ok[i],
			.sum_error = err_at(fe, arena_printf(r->a, "c%d-sum", i)),
			.can_nest = row->level < AWARD_FORM_MAX_LEVEL && n < AWARD_MAX_CRITERIA,
			.sub_action = arena_printf(r->a, "%s#f-c%d-name", url, subtree_end_of(f, i)),
			.del_action = arena_printf(r->a, "%s#f-criteria", url),
			.who = title,
		};
		tc[i] = (struct tv_award_rules_form_tie_criteria){
			.value = row->key, .label = title,
			.selected = f->tie_criterion && strcmp(f->tie_criterion, row->key) == 0};
	}
	v.rows = rows;
	v.n_rows = n;
	v.tie_criteria = tc;
	v.n_tie_criteria = n;

	static const struct {
		const char *code;
		enum award_tie_rule rule;
	} ties[] = {{"lowest-price", AWARD_TIE_LOWEST_PRICE},
		    {"criterion", AWARD_TIE_CRITERION},
		    {"drawing", AWARD_TIE_DRAWING}};
	struct tv_award_rules_form_tie_rules *tr = arena_alloc(r->a, 4 * sizeof *tr);
	for (int k = 0; k < 3; k++)
		tr[k] = (struct tv_award_rules_form_tie_rules){
			.value = ties[k].code, .label = award_tie_rule_label(ties[k].rule),
			.selected = f->tie_rule && strcmp(f->tie_rule, ties[k].code) == 0};
	v.tie_rules = tr;
	v.n_tie_rules = 3;

	/* every method with its formula and worked example */
	int nm = award_form_n_methods;
	struct tv_award_rules_form_methods *ms = arena_alloc(r->a, (size_t)(nm + 1) * sizeof *ms);
	int shown = 0;
	for (int k = 0; k < nm; k++) {
		const struct award_form_method *m = &award_form_methods[k];
		struct award_example ex;
		struct kv_error e = {0};
		if (app_award_form_example(r->a, f, m, lot->value_cents, view_decimal_mark(r), &ex, &e) != KV_OK)
			continue;   /* a sample the core refuses: shown without */
		struct tv_award_rules_form_methods_bids *bs =
			arena_alloc(r->a, (size_t)(ex.n_bids + 1) * sizeof *bs);
		for (int b = 0; b < ex.n_bids; b++)
			bs[b] = (struct tv_award_rules_form_methods_bids){
				.name = ex.bids[b].name, .price = ex.bids[b].price,
				.quality = ex.bids[b].quality, .points = ex.bids[b].price_points,
				.result = ex.bids[b].result, .rank = ex.bids[b].rank};
		ms[shown++] = (struct tv_award_rules_form_methods){
			.code = m->code,
			.label = _(m->label),
			.checked = f->method && strcmp(f->method, m->code) == 0,
			.formula = ex.formula,
			.note = ex.note,
			.weighted = m->kind == AWARD_WEIGHTED,
			.absolute = m->kind == AWARD_WEIGHTED && m->scoring == AWARD_PRICE_ABSOLUTE,
			.log = m->kind == AWARD_WEIGHTED && m->scoring == AWARD_PRICE_LOG,
			.budget = m->kind == AWARD_QUALITY_ONLY,
			.fictive = m->kind == AWARD_FICTIVE_PRICE,
			.quality = m->kind != AWARD_LOWEST_PRICE,
			.bids = bs,
			.n_bids = ex.n_bids,
		};
	}
	v.methods = ms;
	v.n_methods = shown;

	/* the summary: every refusal, linked to its field */
	int ne = fe ? fe->n : 0;
	struct tv_award_rules_form_errors *es = arena_alloc(r->a, (size_t)(ne + 1) * sizeof *es);
	for (int k = 0; k < ne; k++) {
		const char *field = fe->items[k].field;
		const char *label = *field ? rules_error_label(r, f, numbers, field) : "";
		es[k] = (struct tv_award_rules_form_errors){
			.anchor = *label ? arena_printf(r->a, "f-%s", field) : "",
			.label = label,
			.message = fe->items[k].msg,
		};
	}
	v.errors = es;
	v.n_errors = ne;
	return tmpl_award_rules_form_html(r->a, &v);
}

/* The rules as announced, for everyone on the procedure; for a buyer the
 * form below them while they can change: `form` as it stands (NULL: made
 * from the saved rules, or a new one), fe its refusals. */
static void rules_html(struct req *r, struct resp *w, const struct lot *lot, bool have,
		       const struct award_rules *ru, const struct award_form *form,
		       const struct award_form_errors *fe)
{
	struct tv_award_rules v = {
		.lot_number = lot->number,
		.lot_title = lot->title,
		.have = have,
		.saved = !fe && !form && req_param(r, "saved") != NULL,
	};
	if (have) {
		v.method = award_method_label(ru->lot.method.kind);
		v.formula = award_method_formula(r->a, &ru->lot.method, view_decimal_mark(r));
		v.tie_rule = award_tie_rule_label(ru->lot.tie_rule);
		if (ru->lot.tie_rule == AWARD_TIE_CRITERION && ru->lot.tie_criterion_id >= 0 &&
		    ru->lot.tie_criterion_id < ru->lot.n_criteria)
			v.tie_criterion = ru->criteria[ru->lot.tie_criterion_id].name;
		v.envelope = ru->price_after_quality
			     ? _("stays sealed until the quality scores are final")
			     : _("opened after the bids");
		v.averaging = ru->averaging;
		v.weighted = ru->lot.method.kind == AWARD_WEIGHTED;
		v.price_weight = fmt_decimal(r, ru->lot.method.price_weight_bp);
		int nc = ru->lot.n_criteria;
		struct tv_award_rules_criteria *cs = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *cs);
		for (int i = 0; i < nc; i++) {
			const struct award_criterion *c = &ru->criteria[i];
			int ns = c->scale.n_steps;
			struct tv_award_rules_criteria_steps *st =
				arena_alloc(r->a, (size_t)(ns + 1) * sizeof *st);
			for (int k = 0; k < ns; k++)
				st[k].label = app_award_step_label(r->a, ru, i, k, view_decimal_mark(r));
			int depth = app_award_depth(ru, i);
			cs[i] = (struct tv_award_rules_criteria){
				.depth = depth > 4 ? 4 : depth,
				.name = c->name,
				.description = ru->descriptions[i],
				.knock_out = c->knock_out,
				.weight = fmt_decimal(r, c->weight_bp),
				.share = fmt_decimal(r, app_award_weight_total_bp(ru, i)),
				.value = c->value_cents && ru->lot.method.kind == AWARD_FICTIVE_PRICE
					 ? fmt_eur(r, c->value_cents) : "",
				.steps = st,
				.n_steps = ns,
			};
		}
		v.criteria = cs;
		v.n_criteria = nc;
	}
	if (r->roles & ROLE_BUYER) {
		struct kv_error e = {0};
		if (app_award_rules_open(&r->app, &r->proc, &e) != KV_OK) {
			v.closed = arena_strdup(r->a, e.msg);
		} else {
			struct award_form fresh;
			if (!form) {
				if (have)
					app_award_form_of_rules(r->a, ru, &fresh);
				else
					app_award_form_new(r->a, &fresh);
				form = &fresh;
			}
			v.form = rules_form_html(r, lot, form, fe);
		}
	}
	layout_begin(r, w, _("Award rules"));
	procedure_nav(r, w, "award");
	tmpl_award_rules(&w->body, &v);
	layout_end(r, w);
}

/* The rules page; form and fe: a form sent back (a button, or refused). */
static void rules_page(struct req *r, struct resp *w, const struct award_form *form,
		       const struct award_form_errors *fe)
{
	struct kv_error e = {0};
	const struct lot *lot = this_lot(r);
	if (!lot) {
		refuse(r, w, KV_NOT_FOUND, "lot", _("This procedure has no such lot."));
		return;
	}
	struct award_setup_rec s;
	struct award_rules ru;
	const char *text;
	bool have = app_award_rules_read(&r->app, r->proc.id, lot->id, &s, &ru, &text, &e) == KV_OK;
	if (r->api) {
		json_t *j = json_pack("{s:I, s:i}", "lot", (json_int_t)lot->id,
				      "number", lot->number);
		if (have) {
			json_object_set_new(j, "rules", app_award_rules_json(&ru));
			json_object_set_new(j, "method", json_string(award_method_label(ru.lot.method.kind)));
			json_object_set_new(j, "formula", json_string(award_method_formula(r->a, &ru.lot.method, '.')));
			json_object_set_new(j, "tie_rule", json_string(award_tie_rule_label(ru.lot.tie_rule)));
			json_object_set_new(j, "quality_final_at", json_instant(r->a, s.quality_final_at));
		} else {
			json_object_set_new(j, "rules", json_null());
		}
		resp_json(r, w, 200, j);
		return;
	}
	rules_html(r, w, lot, have, &ru, form, fe);
}

void page_award_rules(struct req *r, struct resp *w)
{
	rules_page(r, w, NULL, NULL);
}

/* The API sets the rules as a JSON document; the page's form is read
 * into the same document (app/award_form.h), and both are saved by
 * app_award_rules_put.  A button of the form (add, nest, remove, ...)
 * shows it again with the change, saving nothing. */
void page_award_rules_put(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (r->api) {
		json_t *j = r->json ? json_incref(r->json) : NULL;
		enum kv_status rc = j ? app_award_rules_put(&r->app, r->proc.id, r->ids[1], j, &e)
				      : kv_fail(&e, KV_INVALID, "rules",
						_("Send the rules as a JSON object."));
		json_decref(j);
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			return;
		}
		done(r, w, "rules", NULL);
		return;
	}
	struct award_form f;
	struct award_form_errors fe = {0};
	rules_form_read(r, &f);
	const char *op = req_param(r, "op");
	if (op && *op) {
		const char *focus;
		if (app_award_form_op(r->a, &f, op, &focus, &e) != KV_OK) {
			app_award_form_errors_add(r->a, &fe, &e);
			w->status = 422;
		}
		rules_page(r, w, &f, &fe);
		return;
	}
	json_t *j = app_award_form_document(r->a, &f, &fe);
	enum kv_status rc = KV_INVALID;   /* the refusals are in fe */
	if (j) {
		rc = app_award_rules_put(&r->app, r->proc.id, r->ids[1], j, &e);
		json_decref(j);
		app_award_form_errors_add(r->a, &fe, &e);   /* nothing when saved */
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		rules_page(r, w, &f, &fe);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "%s?saved=1", award_url(r, "rules")));
}

/* ---- assessors, assigned by ticking ------------------------------------------ */

/* A lot in the assignment form: its criteria to tick. */
struct assign_lot {
	int64_t id;
	int number;
	const char *title;
	const struct award_rules *rules;
};

/* Whether the request sent value for key (a ticked checkbox). */
static bool param_sent(struct req *r, const char *key, const char *value)
{
	for (int i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].key, key) == 0 && strcmp(r->params[i].value, value) == 0)
			return true;
	return false;
}

/* The keys ticked for a lot: "*" alone when "all criteria" is, else each
 * top-level criterion's key ticked (at most AWARD_MAX_CRITERIA). */
static int ticked_keys(struct req *r, int64_t lot_id, const char ***out)
{
	const char *name = arena_printf(r->a, "lot-%lld", (long long)lot_id);
	const char **keys = arena_alloc(r->a, (AWARD_MAX_CRITERIA + 1) * sizeof *keys);
	int n = 0;
	*out = keys;
	if (param_sent(r, name, "*")) {
		keys[0] = "*";
		return 1;
	}
	for (int i = 0; i < r->n_params && n < AWARD_MAX_CRITERIA; i++)
		if (strcmp(r->params[i].key, name) == 0 && *r->params[i].value)
			keys[n++] = r->params[i].value;
	return n;
}

/* The account picked as assessor (app_award_assessor_choices), 0 when
 * none or no account id was sent: the app refuses it at its field. */
static int64_t assessor_picked(struct req *r)
{
	long long id = 0;
	struct kv_error e = {0};
	if (in_int(req_param(r, "assessor"), 1, INT64_MAX, &id, "assessor", &e) != KV_OK)
		return 0;
	return (int64_t)id;
}

/* The form: the assessor and, per lot, "all criteria" and each main
 * criterion to tick; after a refusal (fe) what was sent. */
static html_t assign_html(struct req *r, const char *action, const struct assign_lot *lots,
			  int n, const char *lots_help, const struct form_errors *fe)
{
	bool refused = fe && fe->n;
	struct award_assessor *known = NULL;
	int nk = 0;
	struct kv_error e = {0};
	if (app_award_assessor_choices(&r->app, r->proc.id, &known, &nk, &e) != KV_OK)
		nk = 0;
	int64_t picked = refused ? assessor_picked(r) : 0;
	struct tv_award_assign_picks *ps = arena_alloc(r->a, (size_t)(nk + 1) * sizeof *ps);
	for (int k = 0; k < nk; k++)
		ps[k] = (struct tv_award_assign_picks){
			.id = (long long)known[k].account_id,
			.label = known[k].buyer
				? arena_printf(r->a, _("%s (%s), buyer"), known[k].name, known[k].email)
				: arena_printf(r->a, "%s (%s)", known[k].name, known[k].email),
			.selected = picked == known[k].account_id};
	struct tv_award_assign_lots *ls = arena_alloc(r->a, (size_t)(n + 1) * sizeof *ls);
	for (int i = 0; i < n; i++) {
		const struct award_rules *ru = lots[i].rules;
		const char *name = arena_printf(r->a, "lot-%lld", (long long)lots[i].id);
		struct tv_award_assign_lots_boxes *bs =
			arena_alloc(r->a, (size_t)(ru->lot.n_criteria + 2) * sizeof *bs);
		int nb = 0;
		bs[nb++] = (struct tv_award_assign_lots_boxes){
			.id = arena_printf(r->a, "f-%s-all", name), .value = "*",
			.label = _("All criteria"), .all = true,
			.checked = refused && param_sent(r, name, "*")};
		for (int c = 0; c < ru->lot.n_criteria; c++) {
			if (ru->criteria[c].parent >= 0)
				continue;   /* an assessor scores a main criterion whole */
			bs[nb++] = (struct tv_award_assign_lots_boxes){
				.id = arena_printf(r->a, "f-%s-%d", name, c),
				.value = ru->keys[c],
				.label = ru->criteria[c].name,
				.checked = refused && param_sent(r, name, ru->keys[c])};
		}
		const char *err = form_errors_for(fe, name);
		ls[i] = (struct tv_award_assign_lots){
			.id = (long long)lots[i].id,
			.legend = arena_printf(r->a, "%s %d: %s", _("Lot"), lots[i].number, lots[i].title),
			.error = err ? err : "",
			.boxes = bs,
			.n_boxes = nb,
		};
	}
	int ne = fe ? fe->n : 0;
	struct tv_award_assign_errors *es = arena_alloc(r->a, (size_t)(ne + 1) * sizeof *es);
	for (int k = 0; k < ne; k++) {
		const char *field = fe->items[k].field;
		const char *label = "";
		if (strcmp(field, "assessor") == 0)
			label = _("Assessor");
		for (int i = 0; i < n; i++)
			if (strcmp(field, arena_printf(r->a, "lot-%lld", (long long)lots[i].id)) == 0)
				label = ls[i].legend;
		es[k] = (struct tv_award_assign_errors){
			.anchor = *label ? arena_printf(r->a, "f-%s", field) : "",
			.label = label, .message = fe->items[k].msg};
	}
	const char *aerr = form_errors_for(fe, "assessor");
	struct tv_award_assign v = {
		.action = action,
		.csrf = {.token = csrf_token(r)},
		.errors = es,
		.n_errors = ne,
		.picks = ps,
		.n_picks = nk,
		.assessor_error = aerr ? aerr : "",
		.lots = ls,
		.n_lots = n,
		.lots_help = lots_help ? lots_help : "",
		.submit = _("Save the assignment"),
	};
	return tmpl_award_assign_html(r->a, &v);
}

/* Who is assigned to what on a lot, one line per assessor: "Anna de
 * Vries: all criteria", with whether they handed in. */
static struct tv_award_scoring_assessors *assessor_lines(struct req *r, const struct award_view *v,
							 int *n)
{
	struct tv_award_scoring_assessors *as =
		arena_alloc(r->a, (size_t)(v->n_assignments + 1) * sizeof *as);
	int64_t *ids = arena_alloc(r->a, (size_t)(v->n_assignments + 1) * sizeof *ids);
	*n = 0;
	for (int i = 0; i < v->n_assignments; i++) {
		const struct award_assignment *a = &v->assignments[i];
		const char *what = app_award_assignment_label(&v->rules, a->criterion_key);
		int k = 0;
		while (k < *n && ids[k] != a->account_id)
			k++;
		if (k < *n) {
			as[k].key = arena_printf(r->a, "%s, %s", as[k].key, what);
			continue;
		}
		ids[k] = a->account_id;
		as[k] = (struct tv_award_scoring_assessors){
			.name = a->name, .key = what, .in = app_award_card_in(v, a->account_id)};
		(*n)++;
	}
	return as;
}

/* ---- scoring -------------------------------------------------------------- */

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
			app_award_status_code(v->decisions[i].status), "winner",
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

/* A refused form of the scoring page: which ("scores", "consensus",
 * "hand-in", "average", "assign", "exclude", "final") and its errors.  A
 * score or consensus form is the one of the request's candidate and
 * criterion. */
struct scoring_refusal {
	const char *form;
	const struct form_errors *fe;
	const struct award_score_cell *cells;   /* "matrix": the cells sent */
	int n_cells;
};

/* Whether the refused score form is the one of (candidate, key) on `form`;
 * then what it held replaces the stored score. */
static bool refused_here(struct req *r, const struct scoring_refusal *rf, const char *form,
			 int64_t candidate, const char *key)
{
	if (!rf || strcmp(rf->form, form) != 0)
		return false;
	const char *c = req_param(r, "candidate"), *k = req_param(r, "criterion");
	return c && k && strtoll(c, NULL, 10) == candidate && strcmp(k, key) == 0;
}

static int typed_step(struct req *r)
{
	const char *s = req_param(r, "step");
	return s ? (int)strtol(s, NULL, 10) : -1;
}


static html_t exclude_form(struct req *r, const struct award_view *v,
			   const struct form_errors *fe)
{
	struct field_option *os = arena_alloc(r->a, (size_t)(v->n_bidders + 1) * sizeof *os);
	for (int k = 0; k < v->n_bidders; k++)
		os[k] = (struct field_option){
			.value = arena_printf(r->a, "%lld", (long long)v->bidders[k].candidate_id),
			.label = v->bidders[k].name};
	struct form_field fields[] = {
		{.name = "candidate", .label = N_("Bid"), .kind = FIELD_SELECT,
		 .options = os, .n_options = v->n_bidders, .options_translated = true},
		{.name = "reason", .label = N_("Reason (empty: take the exclusion back)"),
		 .kind = FIELD_TEXTAREA},
	};
	struct form f = {.action = award_url(r, "exclusions"), .submit = _("Save"),
			 .fields = fields, .n_fields = 2, .errors = fe};
	return form_html(r, &f);
}

/* The matrix's fields of a cell: "step-12-plan" and "motivation-12-plan". */
static const char *cell_field(struct req *r, const char *what, int64_t candidate,
			      const char *key)
{
	return arena_printf(r->a, "%s-%lld-%s", what, (long long)candidate, key);
}

/* A cell of the refused matrix: what was sent of (candidate, key), NULL
 * when it was not among the cells sent. */
static const struct award_score_cell *sent_cell(const struct scoring_refusal *rf,
						int64_t candidate, const char *key)
{
	for (int k = 0; rf && k < rf->n_cells; k++)
		if (rf->cells[k].candidate_id == candidate && strcmp(rf->cells[k].key, key) == 0)
			return &rf->cells[k];
	return NULL;
}

/* A matrix field as typed: the step's index, -1 when none or not one. */
static int typed_cell_step(struct req *r, int64_t candidate, const char *key)
{
	const char *s = in_str(r, cell_field(r, "step", candidate, key));
	long long v = -1;
	struct kv_error e = {0};
	if (!s || !*s || in_int(s, 0, AWARD_MAX_STEPS - 1, &v, "step", &e) != KV_OK)
		return -1;
	return (int)v;
}

/* The legend of the scales: one per distinct scale of the criteria the
 * account scores, naming them. */
static bool same_scale(const struct award_scale *a, const struct award_scale *b)
{
	if (a->n_steps != b->n_steps)
		return false;
	for (int s = 0; s < a->n_steps; s++) {
		const char *ma = a->meaning[s] ? a->meaning[s] : "";
		const char *mb = b->meaning[s] ? b->meaning[s] : "";
		if (a->value_bp[s] != b->value_bp[s] || strcmp(ma, mb) != 0)
			return false;
	}
	return true;
}

static void matrix_legend(struct req *r, const struct award_view *v,
			  struct tv_award_scoring *out)
{
	const struct award_rules *ru = &v->rules;
	int nc = ru->lot.n_criteria;
	struct tv_award_scoring_legend *lg = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *lg);
	int *of = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *of);
	struct tv_award_scoring_notes *ns = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *ns);
	int nl = 0, nn = 0;
	for (int i = 0; i < nc; i++) {
		const struct award_scale *sc = &ru->criteria[i].scale;
		if (!v->mine[i] || !sc->n_steps)
			continue;
		ns[nn++] = (struct tv_award_scoring_notes){
			.name = ru->criteria[i].name,
			.weight = arena_printf(r->a, _("%s of the total"),
					     app_award_pct(r->a, app_award_weight_total_bp(ru, i) * 100,
							   view_decimal_mark(r))),
			.description = ru->descriptions[i]};
		int k = 0;
		while (k < nl && !same_scale(&ru->criteria[of[k]].scale, sc))
			k++;
		if (k < nl) {
			lg[k].criteria = arena_printf(r->a, "%s, %s", lg[k].criteria,
						      ru->criteria[i].name);
			continue;
		}
		struct tv_award_scoring_legend_steps *st =
			arena_alloc(r->a, (size_t)(sc->n_steps + 1) * sizeof *st);
		for (int s = 0; s < sc->n_steps; s++)
			st[s] = (struct tv_award_scoring_legend_steps){
				.value = app_award_pct(r->a, (int64_t)sc->value_bp[s] * 100,
						       view_decimal_mark(r)),
				.meaning = sc->meaning[s] ? sc->meaning[s] : ""};
		of[nl] = i;
		lg[nl++] = (struct tv_award_scoring_legend){
			.criteria = ru->criteria[i].name, .steps = st, .n_steps = sc->n_steps};
	}
	out->legend = lg;
	out->n_legend = nl;
	out->notes = ns;
	out->n_notes = nn;
}

/* The bid's files of the quality envelope (not withdrawn), linked once
 * the vault is open. */
static void bid_docs(struct req *r, const struct award_view *v, int64_t candidate,
		     struct tv_award_scoring_rows *row)
{
	struct submission *subs = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (!v->vault_open ||
	    app_submissions_of(&r->app, r->proc.id, candidate, &subs, &n, &e) != KV_OK)
		n = 0;
	struct tv_award_scoring_rows_docs *ds = arena_alloc(r->a, (size_t)(n + 1) * sizeof *ds);
	int nd = 0;
	for (int k = 0; k < n; k++)
		if (subs[k].lot_id == r->ids[1] && subs[k].envelope == ENVELOPE_QUALITY &&
		    !subs[k].withdrawn_at)
			ds[nd++] = (struct tv_award_scoring_rows_docs){
				.sid = (long long)subs[k].id, .file = subs[k].file_name};
	row->docs = ds;
	row->n_docs = nd;
}

/* The account's own scores as a matrix: per bid not excluded (rows) and
 * criterion it scores (columns) a cell, a score and its motivation.  A
 * refused matrix shows what was typed in every cell, the refusals at
 * theirs; a refused single score (the script's save of one cell) at its
 * cell. */
static void own_scores(struct req *r, const struct award_view *v, bool fixed,
		       const struct scoring_refusal *rf, struct tv_award_scoring *out)
{
	const struct award_rules *ru = &v->rules;
	int nc = ru->lot.n_criteria;
	bool matrix = rf && !fixed && strcmp(rf->form, "matrix") == 0;
	struct tv_award_scoring_columns *cols = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *cols);
	int ncol = 0;
	for (int i = 0; i < nc; i++)
		if (v->mine[i] && ru->criteria[i].scale.n_steps)
			cols[ncol++] = (struct tv_award_scoring_columns){
				.name = ru->criteria[i].name,
				.weight = arena_printf(r->a, _("%s of the total"),
						     app_award_pct(r->a, app_award_weight_total_bp(ru, i) * 100,
								   view_decimal_mark(r)))};
	out->columns = cols;
	out->n_columns = ncol;
	matrix_legend(r, v, out);
	int ne = rf && matrix ? rf->n_cells : 0;
	struct tv_award_scoring_matrix_errors *es = arena_alloc(r->a, (size_t)(ne + 1) * sizeof *es);
	int nerr = 0;
	struct tv_award_scoring_rows *rows = arena_alloc(r->a, (size_t)(v->n_bidders + 1) * sizeof *rows);
	int n = 0;
	for (int k = 0; k < v->n_bidders; k++) {
		const struct award_bidder *bd = &v->bidders[k];
		if (bd->excluded)
			continue;
		struct tv_award_scoring_rows *row = &rows[n++];
		*row = (struct tv_award_scoring_rows){.name = bd->name};
		bid_docs(r, v, bd->candidate_id, row);
		struct tv_award_scoring_rows_cells *cells =
			arena_alloc(r->a, (size_t)(nc + 1) * sizeof *cells);
		int ni = 0;
		for (int i = 0; i < nc; i++) {
			if (!v->mine[i] || !ru->criteria[i].scale.n_steps)
				continue;
			int step = -1;
			const char *mot = app_award_score_of(v->own, v->n_own, bd->candidate_id,
							     ru->keys[i], &step);
			bool filled = mot != NULL;
			out->all_cells++;
			if (!filled)
				out->empty_cells++;
			if (!filled)
				step = -1;
			const char *err = "";
			const char *id = arena_printf(r->a, "score-%lld-%s",
						      (long long)bd->candidate_id, ru->keys[i]);
			const char *label = arena_printf(r->a, "%s, %s", ru->criteria[i].name,
							 bd->name);
			if (matrix) {
				step = typed_cell_step(r, bd->candidate_id, ru->keys[i]);
				mot = in_str(r, cell_field(r, "motivation", bd->candidate_id,
							   ru->keys[i]));
				const struct award_score_cell *c = sent_cell(rf, bd->candidate_id,
									     ru->keys[i]);
				if (c && c->refused) {
					err = c->err.msg;
					es[nerr++] = (struct tv_award_scoring_matrix_errors){
						.anchor = arena_printf(r->a, "%s-%s", id,
							strcmp(c->err.field, "step") == 0 ? "step"
											  : "motivation"),
						.label = label, .message = err};
				}
			} else if (!fixed && refused_here(r, rf, "scores", bd->candidate_id,
							  ru->keys[i])) {
				step = typed_step(r);
				mot = req_param(r, "motivation");
				err = rf->fe->items[0].msg;
			}
			struct step_option *so;
			int ns = step_options(r, ru, i, step, &so);
			struct tv_award_scoring_rows_cells_steps *st =
				arena_alloc(r->a, (size_t)(ns + 1) * sizeof *st);
			for (int s = 0; s < ns; s++)
				st[s] = (struct tv_award_scoring_rows_cells_steps){
					.value = so[s].value, .label = so[s].label,
					.selected = so[s].selected};
			cells[ni++] = (struct tv_award_scoring_rows_cells){
				.label = label,
				.candidate = (long long)bd->candidate_id,
				.key = ru->keys[i],
				.id = id,
				.filled = filled,
				.step = filled ? app_award_step_label(r->a, ru, i, step,
								      view_decimal_mark(r)) : "",
				.motivation = mot ? mot : "",
				.error = err,
				.steps = st,
				.n_steps = ns,
			};
		}
		row->cells = cells;
		row->n_cells = ni;
	}
	out->rows = rows;
	out->n_rows = n;
	out->editable = !fixed;
	if (matrix) {
		out->matrix_refused = true;
		out->matrix_errors = es;
		out->n_matrix_errors = nerr;
		out->matrix_refusal = nerr ? "" : rf->fe->items[0].msg;
	}
}

/* The consensus session: per bid not excluded and leaf criterion, every
 * individual score and the consensus (the buyer's form until final). */
static void session_rows(struct req *r, const struct award_view *v, bool form,
			 const struct scoring_refusal *rf, struct tv_award_scoring *out)
{
	const struct award_rules *ru = &v->rules;
	int cap = v->n_bidders * ru->lot.n_criteria;
	/* One column per assessor, in the order assigned. */
	int64_t *who = arena_alloc(r->a, (size_t)(v->n_assignments + 1) * sizeof *who);
	struct tv_award_scoring_session_who *names =
		arena_alloc(r->a, (size_t)(v->n_assignments + 1) * sizeof *names);
	int nwho = 0;
	for (int a = 0; a < v->n_assignments; a++) {
		int p = 0;
		while (p < nwho && who[p] != v->assignments[a].account_id)
			p++;
		if (p == nwho) {
			who[nwho] = v->assignments[a].account_id;
			names[nwho++].name = v->assignments[a].name;
		}
	}
	out->session_who = names;
	out->n_session_who = nwho;
	struct tv_award_scoring_session_rows *rows = arena_alloc(r->a, (size_t)(cap + 1) * sizeof *rows);
	int n = 0;
	for (int k = 0; k < v->n_bidders; k++) {
		const struct award_bidder *bd = &v->bidders[k];
		if (bd->excluded)
			continue;
		for (int i = 0; i < ru->lot.n_criteria; i++) {
			if (!ru->criteria[i].scale.n_steps)
				continue;
			struct tv_award_scoring_session_rows_individual *ind =
				arena_alloc(r->a, (size_t)(nwho + 1) * sizeof *ind);
			for (int p = 0; p < nwho; p++) {
				ind[p] = (struct tv_award_scoring_session_rows_individual){0};
				for (int s = 0; s < v->n_individual; s++)
					if (v->individual[s].account_id == who[p] &&
					    v->individual[s].candidate_id == bd->candidate_id &&
					    strcmp(v->individual[s].criterion_key, ru->keys[i]) == 0)
						ind[p] = (struct tv_award_scoring_session_rows_individual){
							.scored = true,
							.step = app_award_step_label(r->a, ru, i, v->individual[s].step, view_decimal_mark(r)),
							.motivation = v->individual[s].motivation};
			}
			int nd = nwho;
			int step;
			const char *mot = app_award_score_of(v->consensus, v->n_consensus,
							     bd->candidate_id, ru->keys[i], &step);
			bool recorded = mot != NULL;
			const char *err = "";
			if (form && refused_here(r, rf, "consensus", bd->candidate_id, ru->keys[i])) {
				step = typed_step(r);
				mot = req_param(r, "motivation");
				err = rf->fe->items[0].msg;
			}
			struct tv_award_scoring_session_rows_steps *st = NULL;
			int ns = 0;
			if (form) {
				struct step_option *so;
				ns = step_options(r, ru, i, step, &so);
				st = arena_alloc(r->a, (size_t)(ns + 1) * sizeof *st);
				for (int s = 0; s < ns; s++)
					st[s] = (struct tv_award_scoring_session_rows_steps){
						.value = so[s].value, .label = so[s].label,
						.selected = so[s].selected};
			}
			rows[n++] = (struct tv_award_scoring_session_rows){
				.bid = bd->name,
				.criterion = ru->criteria[i].name,
				.individual = ind,
				.n_individual = nd,
				.form = form,
				.candidate = (long long)bd->candidate_id,
				.key = ru->keys[i],
				.id = arena_printf(r->a, "consensus-%lld-%s", (long long)bd->candidate_id,
						   ru->keys[i]),
				.error = err,
				.steps = st,
				.n_steps = ns,
				.recorded = recorded,
				.step = recorded ? app_award_step_label(r->a, ru, i, step, view_decimal_mark(r)) : "",
				.motivation = mot ? mot : "",
			};
		}
	}
	out->session_rows = rows;
	out->n_session_rows = n;
}

static void scoring_html(struct req *r, struct resp *w, const struct award_view *v,
			 const struct scoring_refusal *rf)
{
	const struct lot *lot = this_lot(r);
	bool buyer = r->roles & ROLE_BUYER;
	bool final = v->setup.quality_final_at != 0;
	const char *refused = rf ? rf->form : NULL;
	const struct form_errors *fe = rf ? rf->fe : NULL;
	struct tv_award_scoring t = {
		.pid = (long long)r->proc.id,
		.lid = (long long)r->ids[1],
		.lot_number = lot ? lot->number : 0,
		.lot_title = lot ? lot->title : "",
		.final = final,
		.final_since = fmt_when(r, v->setup.quality_final_at),
		.sealed = !v->vault_open,
		.scorer = app_award_scores_any(v),
		.handed_in = v->handed_in,
		.session = v->all_handed_in,
		.csrf = {.token = csrf_token(r)},
	};
	struct tv_award_scoring_bids *bids = arena_alloc(r->a, (size_t)(v->n_bidders + 1) * sizeof *bids);
	for (int i = 0; i < v->n_bidders; i++)
		bids[i] = (struct tv_award_scoring_bids){.name = v->bidders[i].name,
							 .excluded = v->bidders[i].excluded,
							 .exclusion = v->bidders[i].exclusion};
	t.bids = bids;
	t.n_bids = v->n_bidders;
	if (t.scorer) {
		own_scores(r, v, v->handed_in || final, rf, &t);
		if (!v->handed_in && !final)
			t.hand_in_form = confirm_form(r, "hand-in", _("Hand in my scores (no change after)"),
				N_("I understand that once handed in I can no longer change my scores of this lot."),
				errors_of(refused, fe, "hand-in"));
	}
	t.assessors = assessor_lines(r, v, &t.n_assessors);
	t.assigned = !rf && req_param(r, "assigned") != NULL;
	if (v->all_handed_in)
		session_rows(r, v, buyer && !final, rf, &t);
	if (buyer && !final) {
		if (v->rules.averaging && v->all_handed_in)
			t.average_form = button_form(r, "average",
						     _("Fill the consensus with the announced average"),
						     errors_of(refused, fe, "average"));
		struct assign_lot al = {.id = r->ids[1], .number = lot ? lot->number : 0,
					.title = lot ? lot->title : "", .rules = &v->rules};
		t.assign_form = assign_html(r, award_url(r, "assign"), &al, 1,
					    _("Tick nothing to take the assessor off this lot."),
					    errors_of(refused, fe, "assign"));
		t.exclude_form = exclude_form(r, v, errors_of(refused, fe, "exclude"));
		t.final_form = confirm_form(r, "final", _("Make the quality scores final"),
			N_("I understand that final quality scores can no longer change, and that the prices may be opened after it; this cannot be undone."),
			errors_of(refused, fe, "final"));
	}
	layout_begin(r, w, _("Evaluation"));
	procedure_nav(r, w, "award");
	tmpl_award_scoring(&w->body, &t);
	layout_end(r, w);
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
	scoring_html(r, w, &v, NULL);
}

/* A form of the scoring page was refused: the API gets the refusal, the
 * page is shown again with it at the form. */
static void scoring_refused(struct req *r, struct resp *w, const char *form,
			    const struct kv_error *e)
{
	struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
	memset(fe, 0, sizeof *fe);
	form_errors_add(fe, e);
	struct award_view v;
	struct kv_error ve = {0};
	if (r->api ||
	    app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, &ve) != KV_OK) {
		resp_error(r, w, e);
		return;
	}
	w->status = http_status_of(e->status);
	scoring_html(r, w, &v, &(struct scoring_refusal){.form = form, .fe = fe});
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
		scoring_refused(r, w, consensus ? "consensus" : "scores", &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

void page_award_score(struct req *r, struct resp *w)
{
	score_post(r, w, false);
}

/* The matrix of the scoring page: every cell with a score or a
 * motivation typed that differs from the one saved, in one go
 * (app_award_scores); one refused cell saves none and the matrix is
 * shown again as typed, each refusal at its cell.  The cells are the
 * view's (bids × the criteria the account scores), so no more fields are
 * read than the page has cells. */
void page_award_score_matrix(struct req *r, struct resp *w)
{
	if (!assessing_role(r, w))
		return;
	struct kv_error e = {0};
	struct award_view v;
	if (app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct award_rules *ru = &v.rules;
	int cap = v.n_bidders * ru->lot.n_criteria;
	struct award_score_cell *cells = arena_alloc(r->a, (size_t)(cap + 1) * sizeof *cells);
	int n = 0;
	for (int k = 0; k < v.n_bidders; k++) {
		const struct award_bidder *bd = &v.bidders[k];
		if (bd->excluded)
			continue;
		for (int i = 0; i < ru->lot.n_criteria; i++) {
			if (!v.mine[i] || !ru->criteria[i].scale.n_steps)
				continue;
			const char *st = in_str(r, cell_field(r, "step", bd->candidate_id, ru->keys[i]));
			const char *mot = in_str(r, cell_field(r, "motivation", bd->candidate_id,
							       ru->keys[i]));
			if ((!st || !*st) && in_blank(mot))
				continue;   /* an empty cell: nothing to save */
			int step = typed_cell_step(r, bd->candidate_id, ru->keys[i]);
			int saved = -1;
			const char *was = app_award_score_of(v.own, v.n_own, bd->candidate_id,
							     ru->keys[i], &saved);
			if (was && saved == step && mot && strcmp(was, mot) == 0)
				continue;   /* as saved */
			cells[n++] = (struct award_score_cell){
				.candidate_id = bd->candidate_id, .key = ru->keys[i],
				.step = step, .motivation = mot ? mot : ""};
		}
	}
	if (n && app_award_scores(&r->app, r->proc.id, r->ids[1], cells, n, &e) != KV_OK) {
		if (r->api) {
			json_t *bad = json_array();
			for (int k = 0; k < n; k++)
				if (cells[k].refused)
					json_array_append_new(bad, json_pack("{s:I, s:s, s:s, s:s}",
						"candidate", (json_int_t)cells[k].candidate_id,
						"criterion", cells[k].key, "field", cells[k].err.field,
						"message", cells[k].err.msg));
			int status = http_status_of(e.status);
			resp_json(r, w, status, json_pack("{s:{s:i, s:s, s:s, s:o}}", "error",
				"status", status, "field", e.field, "message", e.msg,
				"cells", bad));
			return;
		}
		struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
		memset(fe, 0, sizeof *fe);
		form_errors_add(fe, &e);
		w->status = http_status_of(e.status);
		scoring_html(r, w, &v, &(struct scoring_refusal){.form = "matrix", .fe = fe,
								  .cells = cells, .n_cells = n});
		return;
	}
	done_saying(r, w, "scoring", json_pack("{s:b, s:i}", "ok", 1, "saved", n),
		    n ? DONE_SCORES_SAVED : DONE_NONE);
}

void page_award_consensus(struct req *r, struct resp *w)
{
	score_post(r, w, true);
}

/* A step of the scoring page that takes nothing but its lot: the action
 * (after the confirmation box when `confirm`: it cannot be undone), then
 * back to the scoring page saying `said`, or its refusal at the form
 * `form`. */
static void scoring_step(struct req *r, struct resp *w, const char *form, bool confirm,
			 enum done_code said,
			 enum kv_status (*action)(struct app *, int64_t, int64_t,
						  struct kv_error *))
{
	struct kv_error e = {0};
	if ((confirm && form_confirm_check(r, &e) != KV_OK) ||
	    action(&r->app, r->proc.id, r->ids[1], &e) != KV_OK) {
		scoring_refused(r, w, form, &e);
		return;
	}
	done_saying(r, w, "scoring", NULL, said);
}

void page_award_hand_in(struct req *r, struct resp *w)
{
	if (assessing_role(r, w))
		scoring_step(r, w, "hand-in", true, DONE_SCORES_HANDED_IN, app_award_hand_in);
}

void page_award_average(struct req *r, struct resp *w)
{
	scoring_step(r, w, "average", false, DONE_NONE, app_award_consensus_average);
}

void page_award_final(struct req *r, struct resp *w)
{
	scoring_step(r, w, "final", true, DONE_QUALITY_FINAL, app_award_quality_final);
}

/* A refused assignment on the scoring page: every refusal at its field. */
static void assign_refused(struct req *r, struct resp *w, const struct kv_error *errs, int n)
{
	struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
	for (int i = 0; i < n; i++)
		form_errors_add(fe, &errs[i]);
	struct award_view v;
	struct kv_error ve = {0};
	if (app_award_view(&r->app, r->proc.id, r->ids[1], r->me.id, &v, &ve) != KV_OK) {
		resp_error(r, w, &errs[0]);
		return;
	}
	w->status = http_status_of(errs[0].status);
	scoring_html(r, w, &v, &(struct scoring_refusal){.form = "assign", .fe = fe});
}

/* The API names the assessor by e-mail address and lists the keys ("*"
 * or main criteria); the page's form ticks them (assign_html) and may
 * name an account that is not an assessor of the procedure yet. */
void page_award_assign(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (!r->api) {
		struct award_lot_assignment la = {.lot_id = r->ids[1]};
		const char **keys;
		la.n = ticked_keys(r, r->ids[1], &keys);
		la.keys = keys;
		struct kv_error errs[2];
		int ne = 0;
		if (app_award_assign_lots(&r->app, r->proc.id, assessor_picked(r), &la, 1, errs,
					  &ne) != KV_OK) {
			assign_refused(r, w, errs, ne ? ne : 1);
			return;
		}
		resp_redirect(r, w, arena_printf(r->a, "%s?assigned=1", award_url(r, "scoring")));
		return;
	}
	int64_t account = 0;
	enum kv_status rc = app_award_assessor_id(&r->app, in_str(r, "assessor"), &account, &e);
	const char **keys = arena_alloc(r->a, (AWARD_MAX_CRITERIA + 1) * sizeof *keys);
	int n = 0;
	json_t *ks = rc == KV_OK && r->json ? json_object_get(r->json, "criteria") : NULL;
	if (rc == KV_OK && !json_is_array(ks))
		rc = kv_fail(&e, KV_INVALID, "criteria",
			     _("criteria must be a list of keys, or [\"*\"]."));
	size_t i;
	json_t *k;
	json_array_foreach(ks, i, k) {
		if (rc != KV_OK || n >= AWARD_MAX_CRITERIA)
			break;
		if (!json_is_string(k))
			rc = kv_fail(&e, KV_INVALID, "criteria",
				     _("criteria must be a list of keys, or [\"*\"]."));
		else
			keys[n++] = json_string_value(k);
	}
	if (rc == KV_OK)
		rc = app_award_assign(&r->app, r->proc.id, r->ids[1], account, keys, n, &e);
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
		scoring_refused(r, w, "exclude", &e);
		return;
	}
	done(r, w, "scoring", NULL);
}

static void award_inside(struct req *r, struct resp *w, const struct form_errors *price_fe,
			 const struct form_errors *assign_fe);

/* The API makes an account an assessor of the procedure; the award page's
 * form does that too and assigns it on the lots and criteria ticked, all
 * in one (app_award_assign_lots). */
void page_assessor_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (!r->api) {
		struct award_lot_assignment *ls =
			arena_alloc(r->a, (size_t)(r->proc.n_lots + 1) * sizeof *ls);
		int n = 0;
		for (int i = 0; i < r->proc.n_lots; i++) {
			const char **keys;
			int nk = ticked_keys(r, r->proc.lots[i].id, &keys);
			if (nk)
				ls[n++] = (struct award_lot_assignment){
					.lot_id = r->proc.lots[i].id, .keys = keys, .n = nk};
		}
		struct kv_error *errs = arena_alloc(r->a, (size_t)(n + 1) * sizeof *errs);
		int ne = 0;
		if (app_award_assign_lots(&r->app, r->proc.id, assessor_picked(r), ls, n, errs,
					  &ne) != KV_OK) {
			struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
			for (int i = 0; i < (ne ? ne : 1); i++)
				form_errors_add(fe, &errs[i]);
			w->status = http_status_of(errs[0].status);
			award_inside(r, w, NULL, fe);
			return;
		}
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/award?assigned=1",
						 (long long)r->proc.id));
		return;
	}
	if (app_assessor_add(&r->app, r->proc.id, in_str(r, "email"), &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	resp_json(r, w, 201, json_pack("{s:s, s:s}", "email", in_str(r, "email"),
				       "role", "assessor"));
}

/* ---- the price envelope ------------------------------------------------------ */

/* The bidder's page for its price of a lot (the form twin of the API);
 * fe: a refused price's errors. */
static void price_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	const struct lot *lot = this_lot(r);
	if (!lot) {
		refuse(r, w, KV_NOT_FOUND, "lot", _("This procedure has no such lot."));
		return;
	}
	static const struct form_field field = {
		.name = "price", .label = N_("Price in euros (e.g. 1.250.000,00)"),
		.kind = FIELD_DECIMAL, .required = true};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/lots/%lld/price",
				       (long long)r->proc.id, (long long)lot->id),
		.submit = _("Seal my price"), .fields = &field, .n_fields = 1, .errors = fe};
	struct tv_award_price v = {.lot_number = lot->number, .lot_title = lot->title,
				   .form = form_html(r, &f)};
	layout_begin(r, w, _("Price envelope"));
	procedure_nav(r, w, "award");
	tmpl_award_price(&w->body, &v);
	layout_end(r, w);
}

void page_price_form(struct req *r, struct resp *w)
{
	price_page(r, w, NULL);
}

void page_price_submit(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int64_t cand = own_candidate(r), cents = 0;   /* the router checked there is one */
	struct submission sub;
	enum kv_status rc = eur_parse(in_str(r, "price"), &cents, "price", &e);
	if (rc == KV_OK)
		rc = app_price_submit(&r->app, r->proc.id, r->ids[1], cand, cents,
				      server_vault_dir(r->srv), &sub, &e);
	if (rc != KV_OK) {
		if (r->api) {
			resp_error(r, w, &e);
			return;
		}
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		price_page(r, w, &fe);
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
	/* The receipt itself, not a redirect to it: only this answer has the
	 * amount, which is sealed from now on (receipt.h). */
	page_receipt_sealed_price(r, w, sub.id, cents);
}

void page_price_open(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct vault_opening o;
	struct app_opener a, b;
	if (opening_form(r, &a, &b, &e) != KV_OK ||
	    app_envelope_open(&r->app, r->proc.id, ENVELOPE_PRICE, server_vault_dir(r->srv),
			      &a, &b, &o, &e) != KV_OK) {
		if (r->api) {
			resp_error(r, w, &e);
			return;
		}
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(e.status);
		award_inside(r, w, &fe, NULL);
		return;
	}
	if (!r->api) {
		resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/award", (long long)r->proc.id),
				   DONE_PRICES_OPENED);
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

static void ranking_api(struct req *r, struct resp *w, const struct award_evaluation *ev)
{
	const struct award_ranking *rk = &ev->ranking;
	json_t *bids = json_array();
	for (int k = 0; k < rk->n; k++) {
		int b = rk->order[k];
		const struct award_result *x = &rk->results[b];
		json_t *o = json_pack("{s:I, s:s, s:b, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
			"candidate", (json_int_t)ev->bidders[b].candidate_id,
			"name", ev->bidders[b].name, "valid", x->valid,
			"rank", x->rank, "price_cents", (json_int_t)ev->bids[b].price_cents,
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
	for (int i = 0; i < ev->n_sensitivity; i++)
		json_array_append_new(sens, json_pack("{s:s, s:i, s:i, s:s, s:i, s:s}",
			"name", ev->sensitivity[i].name, "weight_bp", ev->sensitivity[i].weight_bp,
			"up_bp", ev->sensitivity[i].up_bp, "up_winner",
			bidder_name(ev, ev->sensitivity[i].up_winner),
			"down_bp", ev->sensitivity[i].down_bp, "down_winner",
			bidder_name(ev, ev->sensitivity[i].down_winner)));
	for (int i = 0; i < ev->n_reversal; i++)
		json_array_append_new(rev, json_pack("{s:s, s:b, s:b, s:s}",
			"removed", bidder_name(ev, ev->reversal[i].removed),
			"order_changed", ev->reversal[i].order_changed,
			"winner_changed", ev->reversal[i].winner_changed,
			"new_winner", bidder_name(ev, ev->reversal[i].new_winner)));
	json_t *j = json_pack("{s:o, s:s, s:o, s:o}", "bids", bids, "formula",
			      award_method_formula(r->a, &ev->rules.lot.method, '.'),
			      "sensitivity", sens, "reversal", rev);
	json_object_set_new(j, "winner", rk->winner >= 0
		? json_integer(ev->bidders[rk->winner].candidate_id) : json_null());
	if (ev->has_mc)
		json_object_set_new(j, "monte_carlo", json_pack("{s:I, s:i, s:I, s:I, s:f, s:f, s:f}",
			"seed", (json_int_t)ev->mc.seed, "p_bp", ev->mc.p_bp,
			"scenarios", (json_int_t)ev->mc.scenarios, "stays",
			(json_int_t)ev->mc.stays, "probability", ev->mc.probability,
			"ci_low", ev->mc.ci_low, "ci_high", ev->mc.ci_high));
	resp_json(r, w, 200, j);
}

/* The buyer's form that sends the decision: the winner by drawing of
 * lots when the first place is tied, the winning bid's description, how
 * to object, the reason of a correction. */
static html_t decision_form(struct req *r, const struct award_evaluation *ev, bool tie,
			    const struct form_errors *fe)
{
	const struct award_ranking *rk = &ev->ranking;
	struct field_option *os = arena_alloc(r->a, (size_t)(ev->n + 1) * sizeof *os);
	int no = 0;
	for (int i = 0; i < ev->n; i++)
		if (rk->results[i].put_to_buyer)
			os[no++] = (struct field_option){
				.value = arena_printf(r->a, "%lld", (long long)ev->bidders[i].candidate_id),
				.label = ev->bidders[i].name};
	struct form_field fields[5];
	int n = 0;
	if (tie)
		fields[n++] = (struct form_field){
			.name = "tie_winner", .label = N_("Winner by drawing of lots"),
			.kind = FIELD_SELECT, .options = os, .n_options = no,
			.options_translated = true};
	fields[n++] = (struct form_field){
		.name = "winner_summary",
		.label = N_("The winning bid's characteristics and relative advantages"),
		.kind = FIELD_TEXTAREA, .required = true};
	fields[n++] = (struct form_field){
		.name = "objection", .label = N_("How to object"), .kind = FIELD_TEXTAREA,
		.required = true,
		.value = _("A bidder who disagrees with this decision can start summary proceedings (kort geding) before the end of the standstill period; after it the municipality may conclude the contract.")};
	fields[n++] = (struct form_field){
		.name = "corrected_reason",
		.label = N_("Only for a corrected decision: the reason for the correction"),
		.kind = FIELD_TEXTAREA};
	fields[n++] = (struct form_field){
		.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		.label = N_("I understand that the decision and its letters go to every bidder at once and start the standstill period; it can only be replaced by a corrected decision, not taken back.")};
	struct form f = {.action = award_url(r, "decision"),
			 .submit = _("Send the decision to every bidder at once"),
			 .fields = fields, .n_fields = n, .errors = fe};
	return form_html(r, &f);
}

static void ranking_html(struct req *r, struct resp *w, const struct award_evaluation *ev,
			 const struct form_errors *fe)
{
	const struct award_ranking *rk = &ev->ranking;
	const struct lot *lot = this_lot(r);
	bool tie = rk->winner < 0 && rk->n_valid > 0;
	struct tv_award_ranking_rows *rows = arena_alloc(r->a, (size_t)(rk->n + 1) * sizeof *rows);
	for (int k = 0; k < rk->n; k++) {
		int i = rk->order[k];
		const struct award_result *x = &rk->results[i];
		rows[k] = (struct tv_award_ranking_rows){
			.rank = x->rank,
			.put_to_buyer = x->put_to_buyer,
			.name = ev->bidders[i].name,
			.price = ev->bidders[i].has_price ? fmt_eur(r, ev->bidders[i].price_cents) : "—",
			.result = app_award_result_text(r->a, &ev->rules, x->valid, x->quality_ppm,
							x->total_ppm, x->fictive_cents, x->ratio_cents,
							view_decimal_mark(r)),
			.invalid_reason = x->invalid_reason,
		};
	}
	struct tv_award_ranking_sensitivity *sens =
		arena_alloc(r->a, (size_t)(ev->n_sensitivity + 1) * sizeof *sens);
	for (int i = 0; i < ev->n_sensitivity; i++) {
		const struct award_sensitivity *s = &ev->sensitivity[i];
		sens[i] = (struct tv_award_ranking_sensitivity){
			.name = s->name,
			.weight = fmt_decimal(r, s->weight_bp),
			.up = app_award_sens_sentence(r->a, s->up_bp, bidder_name(ev, s->up_winner), true,
						      view_decimal_mark(r)),
			.down = app_award_sens_sentence(r->a, s->down_bp, bidder_name(ev, s->down_winner),
							false, view_decimal_mark(r)),
		};
	}
	struct tv_award_ranking_sentences *ss =
		arena_alloc(r->a, (size_t)(ev->n_reversal + 2) * sizeof *ss);
	int ns = 0;
	for (int i = 0; i < ev->n_reversal; i++)
		ss[ns++].text = app_award_reversal_sentence(
			r->a, bidder_name(ev, ev->reversal[i].removed), ev->reversal[i].order_changed,
			ev->reversal[i].winner_changed, bidder_name(ev, ev->reversal[i].new_winner));
	if (ev->has_mc)
		ss[ns++].text = app_award_mc_sentence(r->a, &ev->mc, view_decimal_mark(r));
	struct tv_award_ranking v = {
		.lot_number = lot ? lot->number : 0,
		.lot_title = lot ? lot->title : "",
		.formula = award_method_formula(r->a, &ev->rules.lot.method, view_decimal_mark(r)),
		.rows = rows,
		.n_rows = rk->n,
		.tie = tie,
		.sensitivity = sens,
		.n_sensitivity = ev->n_sensitivity,
		.sentences = ss,
		.n_sentences = ns,
		.decision_form = r->roles & ROLE_BUYER ? decision_form(r, ev, tie, fe) : (html_t){0},
	};
	layout_begin(r, w, _("Ranking"));
	procedure_nav(r, w, "award");
	tmpl_award_ranking(&w->body, &v);
	layout_end(r, w);
}

/* The ranking page; fe: a refused decision's errors. */
static void ranking_page(struct req *r, struct resp *w, const struct form_errors *fe)
{
	struct kv_error e = {0};
	struct award_evaluation ev;
	if (!lot_visible(r, w))
		return;
	if (app_award_evaluate(&r->app, r->proc.id, r->ids[1], &ev, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		ranking_api(r, w, &ev);
		return;
	}
	ranking_html(r, w, &ev, fe);
}

void page_award_ranking(struct req *r, struct resp *w)
{
	ranking_page(r, w, NULL);
}

void page_award_decide(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long tie = 0;
	const char *t = in_str(r, "tie_winner");
	enum kv_status rc = in_blank(t) ? KV_OK
					: in_int(t, 1, INT64_MAX, &tie, "tie_winner", &e);
	if (rc == KV_OK)
		rc = form_confirm_check(r, &e);
	struct award_decision_rec d;
	if (rc == KV_OK)
		rc = app_award_decide(&r->app, r->proc.id, r->ids[1], tie,
				      in_str(r, "winner_summary"), in_str(r, "objection"),
				      in_str(r, "corrected_reason"), &d, &e);
	if (rc != KV_OK) {
		if (r->api) {
			resp_error(r, w, &e);
			return;
		}
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		ranking_page(r, w, &fe);
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
	done_saying(r, w, "letter", NULL, DONE_AWARD_DECIDED);
}

/* ---- the decision as documents ------------------------------------------------ */

/* The lot's current decision (the last that is not superseded), or the
 * one numbered ?number=. */
static enum kv_status current_decision(struct req *r, struct award_decision_rec *d,
				       struct kv_error *e)
{
	const char *num = req_param(r, "number");
	long long want = 0;
	if (num && in_int(num, 1, INT_MAX, &want, "number", e) != KV_OK)
		return e->status;
	return app_award_decision_get(&r->app, r->proc.id, r->ids[1], (int)want, d, e);
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
		rc = app_award_doc(&r->app, r->proc.id, dec, d, cands, e);
	if (rc == KV_OK)
		rc = letter_target(r, d, *cands, bid, e);
	return rc;
}

static void letter_api(struct req *r, struct resp *w, const struct award_decision_rec *dec,
		       const struct award_doc *d, const int64_t *cands, int me)
{
	const struct award_doc_bid *mine = &d->bids[me];
	const struct award_doc_bid *win = d->winner >= 0 ? &d->bids[d->winner] : NULL;
	json_t *crit = json_array();
	for (int i = 0; i < d->n_criteria; i++) {
		json_t *o = json_pack("{s:s, s:s, s:{s:s, s:I, s:s}}",
			"key", d->criteria[i].key, "name", d->criteria[i].name,
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
		"decision", (json_int_t)dec->id, "number", dec->number,
		"status", app_award_status_code(dec->status),
		"candidate", (json_int_t)cands[me], "name", mine->name,
		"winner_is_you", me == d->winner, "valid", mine->valid,
		"invalid_reason", mine->invalid_reason, "rank", mine->rank,
		"result", mine->result,
		"sent_at", json_instant(r->a, dec->sent_at),
		"standstill_end", json_instant(r->a, dec->standstill_end),
		"standstill_rule", d->standstill_rule,
		"objection", d->objection, "winner_summary", d->winner_summary,
		"criteria", crit, "corrected_reason", d->corrected_reason);
	if (win) {
		json_object_set_new(j, "winner", json_string(win->name));
		json_object_set_new(j, "winner_result", json_string(win->result));
	}
	if (mine->has_price)
		json_object_set_new(j, "price_cents", json_integer(mine->price_cents));
	if (win && win->has_price)
		json_object_set_new(j, "winner_price_cents", json_integer(win->price_cents));
	resp_json(r, w, 200, j);
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
	if (r->api) {
		letter_api(r, w, &dec, &d, cands, me);
		return;
	}
	const struct award_doc_bid *mine = &d.bids[me];
	const struct award_doc_bid *win = d.winner >= 0 ? &d.bids[d.winner] : NULL;
	struct tv_award_letter_criteria *cs =
		arena_alloc(r->a, (size_t)(d.n_criteria + 1) * sizeof *cs);
	for (int i = 0; i < d.n_criteria; i++)
		cs[i] = (struct tv_award_letter_criteria){
			.name = d.criteria[i].name,
			.own_step = mine->scores[i].step,
			.own_motivation = mine->scores[i].motivation,
			.win_step = win ? win->scores[i].step : "",
			.win_motivation = win ? win->scores[i].motivation : "",
		};
	struct tv_award_letter v = {
		.pid = (long long)r->proc.id,
		.lid = (long long)r->ids[1],
		.number = dec.number,
		.lot_number = d.lot_number,
		.lot_title = d.lot_title,
		.sent = d.sent_at,
		.addressee = mine->name,
		.candidate = (long long)cands[me],
		.corrected_reason = d.corrected_reason,
		.winner_is_you = me == d.winner,
		.invalid = !mine->valid,
		.invalid_reason = mine->invalid_reason,
		.winner = win ? win->name : "",
		.winner_result = win ? win->result : "",
		.rank = mine->rank,
		.result = mine->result,
		.formula = d.formula,
		.criteria = cs,
		.n_criteria = d.n_criteria,
		.winner_summary = d.winner_summary,
		.standstill_end = d.standstill_end,
		.standstill_rule = d.standstill_rule,
		.objection = d.objection,
	};
	layout_begin(r, w, _("Award decision"));
	procedure_nav(r, w, "award");
	tmpl_award_letter(&w->body, &v);
	layout_end(r, w);
}

static void send_file(struct req *r, struct resp *w, const unsigned char *data,
		      size_t len, const char *name, const char *type)
{
	w->status = 200;
	w->content_type = type;
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", name));
	sbuf_add(&w->body, (const char *)data, len);
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
	send_file(r, w, pdf, len,
		  arena_printf(r->a, "gunningsbeslissing-perceel-%d-%d.pdf", d.lot_number, dec.number),
		  "application/pdf");
}

/* The current (or ?number=) decision's document, for the award file and
 * the scoring matrix. */
static enum kv_status decision_doc(struct req *r, struct award_decision_rec *dec,
				   struct award_doc *d, struct kv_error *e)
{
	int64_t *cands;
	enum kv_status rc = current_decision(r, dec, e);
	if (rc == KV_OK)
		rc = app_award_doc(&r->app, r->proc.id, dec, d, &cands, e);
	return rc;
}

void page_award_file_pdf(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	unsigned char *pdf;
	size_t len;
	if (decision_doc(r, &dec, &d, &e) != KV_OK ||
	    report_award_file_pdf(r->a, &d, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	send_file(r, w, pdf, len,
		  arena_printf(r->a, "gunningsdossier-perceel-%d-%d.pdf", d.lot_number, dec.number),
		  "application/pdf");
}

void page_award_xlsx(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec dec;
	struct award_doc d;
	unsigned char *x;
	size_t len;
	if (decision_doc(r, &dec, &d, &e) != KV_OK ||
	    report_award_xlsx(r->a, &d, &x, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	send_file(r, w, x, len,
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

static void objections_api(struct req *r, struct resp *w, const struct award_objections_view *v)
{
	json_t *jd = json_array(), *jo = json_array();
	for (int i = 0; i < v->n_decisions; i++) {
		const struct award_decision_rec *d = &v->decisions[i];
		json_array_append_new(jd, json_pack("{s:I, s:i, s:s, s:I, s:o, s:o, s:s, s:o}",
			"id", (json_int_t)d->id, "number", d->number,
			"status", app_award_status_code(d->status), "winner",
			(json_int_t)d->winner_candidate, "sent_at",
			json_instant(r->a, d->sent_at), "standstill_end",
			json_instant(r->a, d->standstill_end),
			"corrected_reason", d->corrected_reason,
			"definitive_at", json_instant(r->a, d->definitive_at)));
	}
	for (int i = 0; i < v->n_objections; i++) {
		const struct award_objection *o = &v->objections[i];
		json_array_append_new(jo, json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s?}",
			"id", (json_int_t)o->id, "decision", (json_int_t)o->decision_id,
			"candidate", (json_int_t)o->candidate_id, "name", o->candidate_name,
			"kind", o->kind == OBJECTION_SUMMARY_PROCEEDINGS ? "summary-proceedings" : "objection",
			"filed_on", json_instant(r->a, o->filed_on), "summary", o->summary,
			"closed_on", json_instant(r->a, o->closed_on), "outcome", o->outcome));
	}
	resp_json(r, w, 200, json_pack("{s:o, s:o}", "decisions", jd, "objections", jo));
}

/* The buyer's forms of the objections page; `refused` names the one
 * refused ("objections", "objections/close", "definitive").  The
 * objecting candidate is picked from the lot's bidders, the objection to
 * settle from the open ones, each by its name. */
static void objection_forms(struct req *r, const char *refused, const struct form_errors *fe,
			    const struct award_objections_view *ov,
			    struct tv_award_objections *v)
{
	static const struct field_option kinds[] = {
		{.value = "objection", .label = N_("objection")},
		{.value = "summary-proceedings", .label = N_("summary proceedings")},
	};
	struct field_option *cands =
		arena_alloc(r->a, (size_t)(ov->n_bidders + 2) * sizeof *cands);
	int nc = 0;
	cands[nc++] = (struct field_option){.value = "", .label = _("Choose the candidate")};
	for (int i = 0; i < ov->n_bidders; i++)
		cands[nc++] = (struct field_option){
			.value = arena_printf(r->a, "%lld", (long long)ov->bidders[i].candidate_id),
			.label = ov->bidders[i].name};
	struct field_option *open =
		arena_alloc(r->a, (size_t)(ov->n_objections + 2) * sizeof *open);
	int no = 0;
	open[no++] = (struct field_option){.value = "", .label = _("Choose the objection")};
	for (int i = 0; i < ov->n_objections; i++) {
		const struct award_objection *o = &ov->objections[i];
		if (o->outcome)
			continue;
		open[no++] = (struct field_option){
			.value = arena_printf(r->a, "%lld", (long long)o->id),
			.label = arena_printf(r->a, "%s — %s, %s", o->candidate_name,
					      o->kind == OBJECTION_SUMMARY_PROCEEDINGS
						      ? _("summary proceedings") : _("objection"),
					      fmt_when(r, o->filed_on))};
	}
	const struct form_field add_fields[] = {
		{.name = "candidate", .label = N_("Candidate"), .kind = FIELD_SELECT,
		 .options = cands, .n_options = nc, .options_translated = true, .required = true,
		 .help = N_("The candidates with a bid on this lot.")},
		{.name = "kind", .label = N_("Kind"), .kind = FIELD_SELECT, .options = kinds,
		 .n_options = 2},
		{.name = "filed_on", .label = N_("Filed on"), .kind = FIELD_DATE},
		{.name = "summary", .label = N_("Summary"), .kind = FIELD_TEXTAREA},
	};
	const struct form_field close_fields[] = {
		{.name = "objection", .label = N_("Objection"), .kind = FIELD_SELECT,
		 .options = open, .n_options = no, .options_translated = true, .required = true},
		{.name = "closed_on", .label = N_("Settled on"), .kind = FIELD_DATE},
		{.name = "outcome", .label = N_("Outcome"), .kind = FIELD_TEXTAREA},
	};
	struct form add = {.action = award_url(r, "objections"), .submit = _("Register"),
			   .fields = add_fields, .n_fields = 4, .refused = form_not_saved(),
			   .errors = errors_of(refused, fe, "objections")};
	struct form close = {.action = award_url(r, "objections/close"), .submit = _("Settle"),
			     .fields = close_fields, .n_fields = 3,
			     .errors = errors_of(refused, fe, "objections/close")};
	v->register_form = form_html(r, &add);
	/* nothing to settle: no form (a refusal of it still shows) */
	if (no > 1 || errors_of(refused, fe, "objections/close"))
		v->settle_form = form_html(r, &close);
	v->definitive_form = confirm_form(r, "definitive", _("Make the award definitive"),
		N_("I understand that the award becomes definitive: the contract may be concluded, and no objection can stop it any more; this cannot be undone."),
		errors_of(refused, fe, "definitive"));
}

/* The objections page; after a refused form, `refused` names it and fe
 * holds its errors. */
static void objections_page(struct req *r, struct resp *w, const char *refused,
			    const struct form_errors *fe)
{
	struct kv_error e = {0};
	struct award_objections_view ov;
	if (app_award_objections(&r->app, r->proc.id, r->ids[1], &ov, &e) != KV_OK) {
		resp_error(r, w, refused ? &fe->items[0] : &e);
		return;
	}
	if (r->api) {
		objections_api(r, w, &ov);
		return;
	}
	struct tv_award_objections_decisions *ds =
		arena_alloc(r->a, (size_t)(ov.n_decisions + 1) * sizeof *ds);
	for (int i = 0; i < ov.n_decisions; i++) {
		const struct award_decision_rec *d = &ov.decisions[i];
		ds[i] = (struct tv_award_objections_decisions){
			.number = d->number,
			.status = d->status == AWARD_DEFINITIVE ? _("definitive")
				  : d->status == AWARD_SUPERSEDED ? _("replaced by a corrected decision")
				  : _("provisional"),
			.sent = fmt_when(r, d->sent_at),
			.standstill_end = fmt_when(r, d->standstill_end),
		};
	}
	struct tv_award_objections_objections *os =
		arena_alloc(r->a, (size_t)(ov.n_objections + 1) * sizeof *os);
	for (int i = 0; i < ov.n_objections; i++) {
		const struct award_objection *o = &ov.objections[i];
		os[i] = (struct tv_award_objections_objections){
			.id = (long long)o->id,
			.name = o->candidate_name,
			.kind = o->kind == OBJECTION_SUMMARY_PROCEEDINGS ? _("summary proceedings")
									 : _("objection"),
			.filed = fmt_when(r, o->filed_on),
			.summary = o->summary,
			.closed = o->outcome != NULL,
			.outcome = o->outcome,
		};
	}
	struct tv_award_objections v = {
		.pid = (long long)r->proc.id,
		.lid = (long long)r->ids[1],
		.decisions = ds,
		.n_decisions = ov.n_decisions,
		.objections = os,
		.n_objections = ov.n_objections,
	};
	if ((r->roles & ROLE_BUYER) && ov.n_decisions > 0)
		objection_forms(r, refused, fe, &ov, &v);
	layout_begin(r, w, _("Award decisions and objections"));
	procedure_nav(r, w, "award");
	tmpl_award_objections(&w->body, &v);
	layout_end(r, w);
}

void page_objections(struct req *r, struct resp *w)
{
	objections_page(r, w, NULL, NULL);
}

/* A form of the objections page was refused (fe): the API gets the
 * first refusal, the page shows them at the form. */
static void objections_refused(struct req *r, struct resp *w, const char *form,
			       const struct form_errors *fe)
{
	if (r->api) {
		resp_error(r, w, &fe->items[0]);
		return;
	}
	w->status = http_status_of(form_errors_status(fe));
	objections_page(r, w, form, fe);
}

void page_objection_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	struct award_decision_rec dec;
	long long cand = 0;
	const char *kind = in_str(r, "kind");
	struct award_objection o = {.summary = (char *)in_str(r, "summary")};
	/* every field checked, each refusal at its field */
	if (current_decision(r, &dec, &e) != KV_OK) {
		form_errors_add(&fe, &e);
	} else {
		if (in_blank(in_str(r, "candidate"))) {
			kv_fail(&e, KV_INVALID, "candidate", _("Choose the candidate who objects."));
			form_errors_add(&fe, &e);
		} else if (in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand, "candidate", &e) != KV_OK) {
			form_errors_add(&fe, &e);
		}
		if (kind && strcmp(kind, "summary-proceedings") != 0 && strcmp(kind, "objection") != 0) {
			kv_fail(&e, KV_INVALID, "kind", _("kind must be objection or summary-proceedings."));
			form_errors_add(&fe, &e);
		}
		if (date_input(r, "filed_on", &o.filed_on, &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (!fe.n) {
		o.decision_id = dec.id;
		o.candidate_id = cand;
		o.kind = kind && strcmp(kind, "summary-proceedings") == 0
				 ? OBJECTION_SUMMARY_PROCEEDINGS : OBJECTION_OBJECTION;
		if (app_objection_add(&r->app, r->proc.id, &o, &e) != KV_OK)
			form_errors_add(&fe, &e);
	}
	if (fe.n) {
		objections_refused(r, w, "objections", &fe);
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
	struct form_errors fe = {0};
	long long id = 0;
	kv_instant on = 0;
	if (in_blank(in_str(r, "objection"))) {
		kv_fail(&e, KV_INVALID, "objection", _("Choose the objection to settle."));
		form_errors_add(&fe, &e);
	} else if (in_int(in_str(r, "objection"), 1, INT64_MAX, &id, "objection", &e) != KV_OK) {
		form_errors_add(&fe, &e);
	}
	if (date_input(r, "closed_on", &on, &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (!fe.n && app_objection_close(&r->app, r->proc.id, id, on, in_str(r, "outcome"),
					 &e) != KV_OK)
		form_errors_add(&fe, &e);
	if (fe.n) {
		objections_refused(r, w, "objections/close", &fe);
		return;
	}
	done(r, w, "objections", NULL);
}

void page_award_definitive(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	struct award_decision_rec dec;
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = current_decision(r, &dec, &e);
	if (rc == KV_OK)
		rc = app_award_definitive(&r->app, r->proc.id, dec.id, &e);
	if (rc != KV_OK) {
		form_errors_add(&fe, &e);
		objections_refused(r, w, "definitive", &fe);
		return;
	}
	done_saying(r, w, "objections", NULL, DONE_AWARD_DEFINITIVE);
}

/* ---- the procedure's evaluation overview ------------------------------------- */

/* A bidder's view of the award: per lot the rules as announced, its
 * price envelope and, once sent, its letter. */
static void award_for_bidder(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct award_decision_rec *ds = NULL;
	int nd = 0;
	if (app_award_decisions(&r->app, r->proc.id, 0, &ds, &nd, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	json_t *lots = r->api ? json_array() : NULL;
	struct tv_award_bidder_lots *ls =
		arena_alloc(r->a, (size_t)(r->proc.n_lots + 1) * sizeof *ls);
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *l = &r->proc.lots[i];
		const struct award_decision_rec *cur = NULL;
		for (int k = 0; k < nd; k++)
			if (ds[k].lot_id == l->id && ds[k].status != AWARD_SUPERSEDED)
				cur = &ds[k];
		if (r->api)
			json_array_append_new(lots, json_pack("{s:I, s:i, s:s, s:o}",
				"lot", (json_int_t)l->id, "number", l->number, "title", l->title,
				"decision", cur ? json_pack("{s:i, s:s}", "number", cur->number,
							    "status", app_award_status_code(cur->status))
						: json_null()));
		ls[i] = (struct tv_award_bidder_lots){.id = (long long)l->id, .number = l->number,
						      .title = l->title, .letter = cur != NULL};
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:o}", "lots", lots));
		return;
	}
	layout_begin(r, w, _("Award"));
	procedure_nav(r, w, "award");
	tmpl_award_bidder(&w->body, &(struct tv_award_bidder){
		.pid = (long long)r->proc.id, .lots = ls, .n_lots = r->proc.n_lots});
	layout_end(r, w);
}

/* The buyers' form to open the price envelopes together: each buyer
 * picked from those with a vault passphrase (valued by e-mail address,
 * what the API takes). */
static html_t price_open_form(struct req *r, const struct form_errors *fe)
{
	struct app_vault_view vs;
	struct kv_error e = {0};
	if (app_vault_view(&r->app, &r->proc, &vs, &e) != KV_OK)
		vs.n_keys = 0;
	struct field_option *keys = arena_alloc(r->a, (size_t)(vs.n_keys + 2) * sizeof *keys);
	int nk = 0;
	keys[nk++] = (struct field_option){.value = "", .label = _("Choose a buyer")};
	for (int i = 0; i < vs.n_keys; i++)
		keys[nk++] = (struct field_option){
			.value = vs.keys[i].email,
			.label = arena_printf(r->a, "%s (%s)", vs.keys[i].name, vs.keys[i].email)};
	const struct form_field fields[] = {
		{.name = "email_a", .label = N_("First buyer"), .kind = FIELD_SELECT,
		 .value = r->me.email, .options = keys, .n_options = nk,
		 .options_translated = true, .required = true},
		{.name = "passphrase_a", .label = N_("First buyer's vault passphrase"),
		 .kind = FIELD_PASSWORD, .autocomplete = "off"},
		{.name = "email_b", .label = N_("Second buyer"), .kind = FIELD_SELECT,
		 .options = keys, .n_options = nk, .options_translated = true, .required = true},
		{.name = "passphrase_b", .label = N_("Second buyer's vault passphrase"),
		 .kind = FIELD_PASSWORD, .autocomplete = "off"},
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("We understand that opening the prices unseals every price tender for the buyers and is recorded with both our names; a price cannot be sealed again.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/price-vault/open", (long long)r->proc.id),
		.submit = _("Open the prices"), .fields = fields, .n_fields = 5, .errors = fe};
	return form_html(r, &f);
}

/* The buyer's, assessor's and council's overview: per lot its rules,
 * bids, quality, assessors and decision (an assessor sees the lots
 * assigned to it only); for a buyer the forms to assign assessors by
 * ticking lots and criteria (assign_fe: its refusals) and to open the
 * prices (price_fe). */
static void award_inside(struct req *r, struct resp *w, const struct form_errors *price_fe,
			 const struct form_errors *assign_fe)
{
	struct kv_error e = {0};
	json_t *lots = r->api ? json_array() : NULL;
	struct tv_award_overview_lots *ls =
		arena_alloc(r->a, (size_t)(r->proc.n_lots + 1) * sizeof *ls);
	struct assign_lot *al = arena_alloc(r->a, (size_t)(r->proc.n_lots + 1) * sizeof *al);
	int n = 0, nal = 0;
	/* The price form only while there is something to open: the bids'
	 * vault is open and the prices are still sealed. */
	bool prices_to_open = price_fe && price_fe->n;
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *l = &r->proc.lots[i];
		struct award_view v;
		enum kv_status rc = app_award_view(&r->app, r->proc.id, l->id, r->me.id, &v, &e);
		if (rc == KV_NOT_FOUND)
			continue;   /* an assessor not assigned to it */
		bool have = rc == KV_OK;
		if (have && v.vault_open && !v.prices_open)
			prices_to_open = true;
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
				? json_pack("{s:i, s:s}", "number", cur->number,
					    "status", app_award_status_code(cur->status))
				: json_null());
			json_array_append_new(lots, o);
			continue;
		}
		const char *who = "";
		if (have) {
			/* the rules outlive this iteration's view */
			struct award_rules *ru = arena_alloc(r->a, sizeof *ru);
			*ru = v.rules;
			if (!v.setup.quality_final_at)
				al[nal++] = (struct assign_lot){.id = l->id, .number = l->number,
								.title = l->title, .rules = ru};
			int na;
			struct tv_award_scoring_assessors *as = assessor_lines(r, &v, &na);
			for (int k = 0; k < na; k++)
				who = arena_printf(r->a, "%s%s%s: %s", who, k ? "; " : "", as[k].name,
						   as[k].key);
		}
		ls[n++] = (struct tv_award_overview_lots){
			.assessors = who,
			.id = (long long)l->id,
			.number = l->number,
			.title = l->title,
			.scoring = have,
			.ranking = have && v.setup.quality_final_at,
			.objections = cur && (r->roles & (ROLE_BUYER | ROLE_COUNCIL)),
			.bids = have ? v.n_bidders : 0,
			.quality = !have ? _("no award rules yet")
				   : v.setup.quality_final_at ? _("final")
				   : v.n_bidders == 0 ? _("no bids yet") : _("scoring"),
			.decision = !cur ? "—"
				    : cur->status == AWARD_DEFINITIVE ? _("definitive") : _("provisional"),
		};
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:o}", "lots", lots));
		return;
	}
	struct tv_award_overview v = {
		.pid = (long long)r->proc.id,
		.lots = ls,
		.n_lots = n,
		.price_form = (r->roles & ROLE_BUYER) && prices_to_open ? price_open_form(r, price_fe)
									 : (html_t){0},
		.assigned = !assign_fe && !price_fe && req_param(r, "assigned") != NULL,
	};
	if ((r->roles & ROLE_BUYER) && nal > 0)
		v.assign_form = assign_html(
			r, arena_printf(r->a, "/procedures/%lld/assessors", (long long)r->proc.id), al,
			nal, _("A lot with nothing ticked keeps its assessors as they are."), assign_fe);
	layout_begin(r, w, _("Evaluation and award"));
	procedure_nav(r, w, "award");
	tmpl_award_overview(&w->body, &v);
	layout_end(r, w);
}

void page_award(struct req *r, struct resp *w)
{
	if (!(r->roles & (ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL))) {
		award_for_bidder(r, w);
		return;
	}
	award_inside(r, w, NULL, NULL);
}
