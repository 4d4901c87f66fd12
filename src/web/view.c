/*
 * view.c - the layout, small HTML helpers and the JSON form of objects.
 * All HTML goes through html_f (html.h), which escapes by default.
 */
#include <string.h>

#include "app/read_procedure.h"
#include "core/validate.h"
#include "html.h"
#include "view.h"
#include "templates.h"

json_t *json_instant(arena *a, kv_instant t)
{
	if (!t)
		return json_null();
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	char day[16];
	return json_pack("{s:I, s:s}", "utc", (json_int_t)t, "local",
			 arena_printf(a, "%sT%02d:%02d:%02d%+03d:%02d",
				      cal_format_date(d, day), h, m, s,
				      off / 3600, (off < 0 ? -off : off) % 3600 / 60));
}

json_t *json_lot(const struct lot *l)
{
	return json_pack("{s:I, s:i, s:s, s:s, s:I, s:b}", "id", (json_int_t)l->id,
			 "number", l->number, "title", l->title, "goals",
			 l->goals ? l->goals : "", "value_cents",
			 (json_int_t)l->value_cents, "fixed_budget", l->fixed_budget);
}

json_t *json_candidate(const struct candidate *c)
{
	json_t *parties = json_array();
	for (int i = 0; i < c->n_parties; i++)
		json_array_append_new(parties, json_pack("{s:I, s:s, s:s, s:s}",
			"org_id", (json_int_t)c->parties[i].org_id,
			"name", c->parties[i].org_name ? c->parties[i].org_name : "",
			"kvk", c->parties[i].kvk ? c->parties[i].kvk : "",
			"role", party_role_code(c->parties[i].role)));
	return json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)c->id, "name",
			 c->name, "consortium", c->consortium, "parties", parties);
}

json_t *json_decision(const struct decision *d)
{
	char day[16];
	json_t *conds = json_array();
	for (int i = 0; i < d->n_conditions; i++)
		json_array_append_new(conds, json_pack("{s:I, s:s, s:s, s:s}",
			"id", (json_int_t)d->conditions[i].id,
			"description", d->conditions[i].description,
			"state", condition_state_code(d->conditions[i].state),
			"resolution", d->conditions[i].resolution ? d->conditions[i].resolution : ""));
	json_t *gov = json_array();
	for (int i = 0; i < d->n_governs; i++)
		json_array_append_new(gov, json_string(stage_kind_code(d->governs[i])));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)d->id, "number", d->number, "date",
			 cal_format_date(d->date, day), "title", d->title, "body",
			 d->body ? d->body : "", "conditions", conds, "governs", gov);
}

json_t *json_procedure(struct req *r, const struct procedure *p,
		       const struct decision *ds, int nd)
{
	struct timeline_view tv;
	proc_timeline(p, r->app.now, &tv);
	json_t *lots = json_array();
	for (int i = 0; i < p->n_lots; i++)
		json_array_append_new(lots, json_lot(&p->lots[i]));
	json_t *stages = json_array();
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		const struct decision *which = NULL;
		const struct condition *c = proc_blocking_condition(p, i, ds, nd, &which);
		json_t *blocked = c ? json_pack("{s:s, s:s}", "decision", which->number,
						"condition", c->description)
				    : json_null();
		json_array_append_new(stages, json_pack(
			"{s:I, s:i, s:s, s:s, s:i, s:o, s:o, s:s, s:o, s:s, s:b, s:o}",
			"id", (json_int_t)s->id, "seq", s->seq,
			"kind", stage_kind_code(s->kind),
			"label", stage_kind_label(s->kind), "round", s->round,
			"start", json_instant(r->a, s->start),
			"end", json_instant(r->a, s->end),
			"status", s->status == STAGE_COMPLETED ? "completed" : "planned",
			"completed_at", json_instant(r->a, s->completed_at),
			"rule", s->rule ? s->rule : "",
			"deadline", stage_is_deadline(s->kind),
			"blocked_by", blocked));
	}
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:o, s:o, s:{s:i, s:i, s:i, s:I}}",
		"id", (json_int_t)p->id, "tenant_id", (json_int_t)p->tenant_id,
		"reference", p->reference, "title", p->title,
		"type", proc_type_code(p->type), "type_label", proc_type_label(p->type),
		"cpv", p->cpv, "value_cents", (json_int_t)p->value_cents,
		"dialogue_rounds", p->dialogue_rounds,
		"standstill_days", p->standstill_days,
		"lots", lots, "stages", stages,
		"timeline", "current", tv.current, "open_now", tv.open_now,
		"next", tv.next, "days_left", (json_int_t)tv.days_left);
}

const char *fmt_input_time(struct req *r, kv_instant t)
{
	if (!t)
		return "";
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	char day[16];
	return arena_printf(r->a, "%sT%02d:%02d", cal_format_date(d, day), h, m);
}

const char *party_role_label(enum party_role role)
{
	switch (role) {
	case PARTY_PENVOERDER: return _("penvoerder (lead party)");
	case PARTY_MEMBER: return _("member");
	case PARTY_SUBCONTRACTOR: return _("subcontractor");
	}
	return "";
}

const char *fmt_when(struct req *r, kv_instant t)
{
	return t ? cal_format_local(r->a, t) : "";
}

const char *fmt_eur(struct req *r, int64_t cents)
{
	char buf[48];
	return arena_strdup(r->a, eur_format(cents, buf));
}

const char *field_error(struct req *r, const struct kv_error *e,
			const char *field)
{
	if (!e || e->status == KV_OK || strcmp(e->field, field) != 0)
		return "";
	sbuf b;
	sbuf_init(&b, r->a, 4096);
	html_f(&b, "<p class=\"field-error\" role=\"alert\" id=\"err-%s\">%s</p>",
	       field, e->msg);
	return sbuf_str(&b);
}

void form_error_summary(struct req *r, struct resp *w, const struct kv_error *e)
{
	(void)r;
	if (!e || e->status == KV_OK)
		return;
	/* Imports name the line of the file in the field: "line 3". */
	if (strncmp(e->field, "line ", 5) == 0)
		html_f(&w->body, "<div class=\"error-summary\" role=\"alert\"><strong>%s</strong> %s %s: %s</div>",
		       _("Nothing was changed."), _("Line"), e->field + 5, e->msg);
	else
		html_f(&w->body, "<div class=\"error-summary\" role=\"alert\"><strong>%s</strong> %s</div>",
		       _("Nothing was changed."), e->msg);
}

const char *csrf_token(const struct req *r)
{
	return r->authed ? r->sess.csrf : (r->cookie_csrf ? r->cookie_csrf : "");
}

static struct tv_csrf csrf_view(const struct req *r)
{
	return (struct tv_csrf){.token = csrf_token(r)};
}

const char *csrf_input(struct req *r)
{
	struct tv_csrf v = csrf_view(r);
	return tmpl_csrf_html(r->a, &v).raw;
}

const char *refill(struct req *r, const char *key, const char *dflt)
{
	const char *v = req_param(r, key);
	return v ? v : (dflt ? dflt : "");
}

int64_t tenant_of(const struct req *r, bool buyer_only)
{
	for (int i = 0; i < r->n_grants; i++) {
		const struct grant *g = &r->grants[i];
		if (g->procedure_id || g->contract_id)
			continue;
		if (g->role == ROLE_BUYER || (!buyer_only && g->role == ROLE_COUNCIL))
			return g->tenant_id;
	}
	return 0;
}

/* The page a GET would show for this request: where the language switch
 * returns to.  A form's POST re-renders a page under the form's action
 * path, which is not always a page. */
static const char *page_path(struct req *r)
{
	if (strcmp(r->method, "GET") == 0)
		return r->path;
	const char *cut;
	if ((cut = strstr(r->path, "/stages/")))
		return arena_strndup(r->a, r->path, (size_t)(cut - r->path));
	if ((cut = strstr(r->path, "/questions/")))
		return arena_printf(r->a, "%.*s/questions", (int)(cut - r->path), r->path);
	if ((cut = strstr(r->path, "/notas")) && !cut[6])
		return arena_printf(r->a, "%.*s/questions", (int)(cut - r->path), r->path);
	if ((cut = strstr(r->path, "/conditions/")))
		return arena_printf(r->a, "%.*s/decisions", (int)(cut - r->path), r->path);
	if (strcmp(r->path, "/procedures") == 0)
		return "/procedures/new";
	if (strcmp(r->path, "/calendar/equated") == 0)
		return "/calendar";
	if ((cut = strstr(r->path, "/contracts/")) == r->path) {
		const char *slash = strchr(r->path + 11, '/');
		if (slash)
			return arena_strndup(r->a, r->path, (size_t)(slash - r->path));
	}
	if (strcmp(r->path, "/contracts") == 0)
		return "/contracts/new";
	if (strcmp(r->path, "/budget/frames") == 0 || strncmp(r->path, "/subsidies", 10) == 0)
		return "/budget";
	if (strcmp(r->path, "/risks") == 0)
		return "/report";
	return r->path;
}

void layout_begin(struct req *r, struct resp *w, const char *title)
{
	bool en = strcmp(r->lang, "en") == 0;
	struct tv_layout_head v = {
		.lang = r->lang,
		.title = title,
		.authed = r->authed,
		.tenant_pages = r->authed && tenant_of(r, false),
		.user_name = r->me.name,
		.csrf = csrf_view(r),
		.other_lang = en ? "nl" : "en",
		.other_label = en ? "Nederlands" : "English",
		.back = page_path(r),
	};
	tmpl_layout_head(&w->body, &v);
}

void layout_end(struct req *r, struct resp *w)
{
	(void)r;
	tmpl_layout_foot(&w->body, NULL);
}

void procedure_nav(struct req *r, struct resp *w, const char *active)
{
	const struct procedure *p = &r->proc;
	/* A tab with a stage kind shows only when the procedure has such a
	 * stage (applications and selection: not in an open procedure). */
	struct { const char *key, *label, *path; unsigned roles; int stage; } tabs[] = {
		{"timeline", _("Timeline"), "", ~0u, -1},
		{"lots", _("Lots"), "/lots", ~0u, -1},
		{"candidates", _("Candidates"), "/candidates", ~0u, -1},
		{"decisions", _("Decisions"), "/decisions", ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL, -1},
		{"audit", _("Audit trail"), "/audit", ROLE_BUYER | ROLE_COUNCIL, -1},
		{"questions", _("Questions"), "/questions", ~0u, -1},
		{"application", _("Applications"), "/application", ~0u, SK_APPLICATION_DEADLINE},
		{"selection", _("Selection"), "/selection", ROLE_BUYER | ROLE_ASSESSOR | ROLE_COUNCIL, SK_SELECTION},
		{"selection", _("Selection result"), "/selection/result", ROLE_BIDDER, SK_SELECTION},
		{"vault", _("Vault"), "/vault", ROLE_BUYER, -1},
		{"dialogue", _("Dialogue"), "/dialogue", ~0u, -1},
		{"award", _("Award"), "/award", ~0u, -1},
	};
	enum { N_TABS = sizeof tabs / sizeof *tabs };
	struct tv_procedure_nav_tabs *out = arena_alloc(r->a, N_TABS * sizeof *out);
	struct tv_procedure_nav v = {.reference = p->reference, .title = p->title, .tabs = out};
	for (size_t i = 0; i < N_TABS; i++) {
		if (!(r->roles & tabs[i].roles))
			continue;
		if (strcmp(tabs[i].key, "dialogue") == 0 && !dlg_round_count(p))
			continue;
		bool has_stage = tabs[i].stage < 0;
		for (int k = 0; !has_stage && k < p->n_stages; k++)
			has_stage = (int)p->stages[k].kind == tabs[i].stage;
		if (!has_stage)
			continue;
		out[v.n_tabs++] = (struct tv_procedure_nav_tabs){
			.href = arena_printf(r->a, "/procedures/%lld%s", (long long)p->id, tabs[i].path),
			.label = tabs[i].label,
			.current = strcmp(active, tabs[i].key) == 0};
	}
	tmpl_procedure_nav(&w->body, &v);
}

int64_t own_candidate(const struct req *r)
{
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BIDDER &&
		    r->grants[i].procedure_id == r->proc.id)
			return r->grants[i].candidate_id;
	return 0;
}

void refusal(struct req *r, struct resp *w, int status, enum kv_status st,
	     const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, "", "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

const char *procedure_municipality(struct req *r)
{
	return app_municipality_name(&r->app, r->proc.tenant_id);
}
