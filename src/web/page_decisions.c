/*
 * page_decisions.c - the decisions register of a procedure: college
 * decisions with their conditions (works-council advice, Participatieraad
 * advice) and the stages they govern.  A stage governed by a decision with
 * a pending condition cannot complete (core/procedure.c decides).  Read by
 * app/read_decisions.c, shown by tmpl/decisions_register.tmpl; the add
 * form is declared once (form.h).
 */
#include <string.h>

#include "app/read_decisions.h"
#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

static const char *const condition_states[] = {
	[COND_PENDING] = N_("pending"), [COND_MET] = N_("met"), [COND_WAIVED] = N_("waived")};

static const char *governs_key(struct req *r, int k)
{
	return arena_printf(r->a, "governs_%s", stage_kind_code((enum stage_kind)k));
}

/* The buyer's form to add a decision: its fields, then a box per stage
 * kind it may govern. */
static html_t add_form(struct req *r, const struct form_errors *fe)
{
	static const struct form_field head[] = {
		{.name = "number", .label = N_("Decision number")},
		{.name = "date", .label = N_("Date of decision"), .kind = FIELD_DATE},
		{.name = "title", .label = N_("Subject")},
		{.name = "body", .label = N_("Decision text"), .kind = FIELD_TEXTAREA, .rows = 3},
		{.name = "condition", .label = N_("Pending condition (optional)"),
		 .help = N_("e.g. advice of the works council (art. 25 WOR)")},
	};
	int nh = (int)(sizeof head / sizeof *head);
	struct form_field *fs = arena_alloc(r->a, (size_t)(nh + SK__COUNT) * sizeof *fs);
	memcpy(fs, head, sizeof head);
	for (int k = 0; k < SK__COUNT; k++)
		fs[nh + k] = (struct form_field){
			.name = governs_key(r, k),
			.label = stage_kind_label((enum stage_kind)k),
			.kind = FIELD_CHECKBOX,
			.help = k == 0 ? N_("Stages this decision governs") : NULL,
		};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/decisions", (long long)r->proc.id),
		.submit = _("Add decision"),
		.fields = fs, .n_fields = nh + SK__COUNT, .errors = fe,
		.refused = form_not_saved(),
	};
	return form_html(r, &f);
}

/* The page; after a refused form, fe holds its errors and err_cond the
 * condition whose resolution was refused (0: the add form's). */
static void decisions_page(struct req *r, struct resp *w, const struct decision *ds,
			   int n, const struct form_errors *fe, int64_t err_cond)
{
	bool buyer = r->roles & ROLE_BUYER;
	bool cond_shown = false;
	const char *cond_err = err_cond && fe && fe->n ? fe->items[0].msg : "";
	struct tv_decisions_register_decisions *dv = arena_alloc(r->a, (size_t)(n + 1) * sizeof *dv);
	for (int i = 0; i < n; i++) {
		const struct decision *d = &ds[i];
		sbuf gov;
		sbuf_init(&gov, r->a, 4096);
		for (int g = 0; g < d->n_governs; g++)
			sbuf_printf(&gov, "%s%s", g ? ", " : "", stage_kind_label(d->governs[g]));
		struct tv_decisions_register_decisions_conditions *cv =
			arena_alloc(r->a, (size_t)(d->n_conditions + 1) * sizeof *cv);
		for (int c = 0; c < d->n_conditions; c++) {
			const struct condition *cd = &d->conditions[c];
			bool refused = err_cond == cd->id;
			cond_shown = cond_shown || refused;
			const char *state = refused ? req_param(r, "state") : NULL;
			cv[c] = (struct tv_decisions_register_decisions_conditions){
				.id = (long long)cd->id,
				.state_code = condition_state_code(cd->state),
				.description = cd->description,
				.state = LABEL_OF(condition_states, cd->state),
				.resolved = cd->state != COND_PENDING,
				.resolved_at = fmt_when(r, cd->resolved_at),
				.resolution = cd->resolution,
				.action = buyer && cd->state == COND_PENDING
					  ? arena_printf(r->a, "/procedures/%lld/conditions/%lld/resolve",
							 (long long)r->proc.id, (long long)cd->id)
					  : "",
				.error = refused ? cond_err : "",
				.typed = refused ? req_param(r, "resolution") : "",
				.waived = state && strcmp(state, "waived") == 0,
			};
		}
		dv[i] = (struct tv_decisions_register_decisions){
			.id = (long long)d->id,
			.number = d->number,
			.date = cal_format_long(r->a, d->date),
			.title = d->title,
			.body = d->body,
			.governs = sbuf_str(&gov),
			.conditions = cv,
			.n_conditions = d->n_conditions,
		};
	}
	struct tv_decisions_register v = {
		.decisions = dv,
		.n_decisions = n,
		.csrf = {.token = csrf_token(r)},
		/* a resolution refused for a condition the page does not show */
		.refusal = err_cond && !cond_shown ? cond_err : "",
		.refused_heading = _("Nothing was changed."),
		.add_form = buyer ? add_form(r, err_cond ? NULL : fe) : (html_t){0},
	};
	layout_begin(r, w, _("Decisions"));
	procedure_nav(r, w, "decisions");
	tmpl_decisions_register(&w->body, &v);
	layout_end(r, w);
}

static enum kv_status load(struct req *r, struct decision **ds, int *n,
			   struct kv_error *e)
{
	return app_decisions_of(&r->app, r->proc.tenant_id, r->proc.id, ds, n, e);
}

/* The answer to a form or API call: its JSON, or back to the register;
 * a refused form is shown again with its errors. */
static void answer(struct req *r, struct resp *w, const struct form_errors *fe,
		   int64_t err_cond, json_t *ok_json)
{
	enum kv_status rc = form_errors_status(fe);
	if (r->api) {
		if (rc != KV_OK) {
			/* the API answers the last refusal, as it always has */
			json_decref(ok_json);
			resp_error(r, w, &fe->items[fe->n - 1]);
		} else {
			resp_json(r, w, 201, ok_json);
		}
		return;
	}
	json_decref(ok_json);
	if (rc == KV_OK) {
		resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/decisions", (long long)r->proc.id),
				   err_cond ? DONE_CONDITION_RESOLVED : DONE_DECISION_ADDED);
		return;
	}
	struct decision *ds = NULL;
	int n = 0;
	struct kv_error le;
	load(r, &ds, &n, &le);
	w->status = http_status_of(rc);
	decisions_page(r, w, ds, n, fe, err_cond);
}

void page_decisions(struct req *r, struct resp *w)
{
	struct decision *ds = NULL;
	int n = 0;
	struct kv_error e = {0};
	if (load(r, &ds, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_decision(&ds[i]));
		resp_json(r, w, 200, json_pack("{s:o}", "decisions", arr));
		return;
	}
	decisions_page(r, w, ds, n, NULL, 0);
}

void page_decision_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	struct decision d = {.tenant_id = r->proc.tenant_id, .procedure_id = r->proc.id};
	d.number = (char *)in_str(r, "number");
	d.title = (char *)in_str(r, "title");
	d.body = (char *)in_str(r, "body");
	const char *date = in_str(r, "date");
	if (in_blank(date))
		kv_fail(&e, KV_INVALID, "date", _("Fill in the date of the decision."));
	else
		cal_parse_date(date, &d.date, "date", &e);
	form_errors_add(&fe, &e);
	/* Conditions: a list in JSON, one optional field in the form. */
	int nc = 1;
	if (r->api && in_count_within(r, "conditions", 8, &nc, &e) != KV_OK)
		form_errors_add(&fe, &e);
	d.conditions = arena_alloc(r->a, (size_t)(nc + 1) * sizeof *d.conditions);
	for (int i = 0; i < nc; i++) {
		const char *desc = r->api ? in_sub(r, "conditions", i, "description")
					  : in_str(r, "condition");
		if (in_blank(desc))
			continue;
		d.conditions[d.n_conditions++] = (struct condition){
			.description = (char *)desc, .state = COND_PENDING};
	}
	d.governs = arena_alloc(r->a, SK__COUNT * sizeof *d.governs);
	if (r->api) {
		json_t *g = json_object_get(r->json, "governs");
		size_t i;
		json_t *v;
		json_array_foreach(g, i, v) {
			int k = json_is_string(v) ? stage_kind_from_code(json_string_value(v)) : -1;
			if (k < 0) {
				kv_fail(&e, KV_INVALID, "governs", _("Unknown stage kind in \"governs\"."));
				form_errors_add(&fe, &e);
				break;
			}
			if (d.n_governs < SK__COUNT)
				d.governs[d.n_governs++] = (enum stage_kind)k;
		}
	} else {
		for (int k = 0; k < SK__COUNT; k++)
			if (req_param(r, governs_key(r, k)))
				d.governs[d.n_governs++] = (enum stage_kind)k;
	}
	if (!fe.n && app_decision_add(&r->app, &d, &e) != KV_OK)
		form_errors_add(&fe, &e);
	answer(r, w, &fe, 0, fe.n ? NULL : json_decision(&d));
}

void page_condition_resolve(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct form_errors fe = {0};
	const char *state = in_str(r, "state");
	int st = state ? condition_state_from_code(state) : -1;
	/* The condition must belong to this procedure's municipality and to
	 * a decision linked to this procedure. */
	enum kv_status rc = app_condition_on_procedure(&r->app, r->proc.tenant_id, r->proc.id,
						       r->ids[1], &e);
	if (rc == KV_OK && st < 0)
		rc = kv_fail(&e, KV_INVALID, "state", _("Choose met or waived."));
	if (rc == KV_OK)
		rc = app_condition_resolve(&r->app, r->proc.id, r->ids[1], (enum condition_state)st,
					   in_str(r, "resolution"), &e);
	form_errors_add(&fe, &e);
	answer(r, w, &fe, r->ids[1],
	       rc == KV_OK ? json_pack("{s:I, s:s}", "id", (json_int_t)r->ids[1], "state", state) : NULL);
}
