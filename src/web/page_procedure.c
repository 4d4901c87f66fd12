/*
 * page_procedure.c - one procedure: its timeline, and moving or completing
 * its stages (the buyer's controls).  The state machine in core/procedure.c
 * decides; this page shows what it decided and why.
 */
#include <string.h>

#include "input.h"
#include "templates.h"
#include "view.h"

static const char *stage_name(struct req *r, const struct stage *s)
{
	if (s->kind == SK_DIALOGUE_ROUND)
		return arena_printf(r->a, "%s %d", stage_kind_label(s->kind), s->round);
	return stage_kind_label(s->kind);
}

/* When a stage takes place, as the timeline says it. */
static const char *stage_when(struct req *r, const struct stage *s)
{
	if (!s->start && !s->end)
		return _("not planned yet");
	if (stage_is_moment(s->kind) || s->start == s->end)
		return fmt_when(r, s->end ? s->end : s->start);
	return arena_printf(r->a, "%s – %s", fmt_when(r, s->start),
			    fmt_when(r, s->end));
}

static void timeline(struct req *r, struct resp *w, const struct decision *ds,
		     int nd, int64_t err_stage, const struct kv_error *e)
{
	const struct procedure *p = &r->proc;
	struct timeline_view tv;
	proc_timeline(p, r->app.now, &tv);
	bool buyer = r->roles & ROLE_BUYER;
	struct tv_procedure_timeline v = {
		.type = proc_type_label(p->type),
		.cpv = p->cpv,
		.value = p->value_cents ? fmt_eur(r, p->value_cents) : "—",
		.lot_count = p->n_lots,
		.all_done = tv.current < 0,
	};
	/* What is open now, what comes next (in the template's order). */
	if (tv.current >= 0) {
		v.now_stage = stage_name(r, &p->stages[tv.current]);
		if (tv.days_left >= 0)
			v.days_left = arena_printf(r->a, ngettext("%lld day left", "%lld days left",
								  (unsigned long)tv.days_left),
						   (long long)tv.days_left);
		if (tv.current + 1 < p->n_stages) {
			const struct stage *nx = &p->stages[tv.current + 1];
			v.next_stage = stage_name(r, nx);
			v.next_when = nx->start ? fmt_when(r, nx->start) : _("not planned yet");
		}
	}
	struct tv_procedure_timeline_stages *st =
		arena_alloc(r->a, sizeof *st * (size_t)(p->n_stages + 1));
	struct tv_csrf csrf = {.token = csrf_token(r)};
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		const struct decision *which = NULL;
		const struct condition *c = proc_blocking_condition(p, i, ds, nd, &which);
		const char *base = arena_printf(r->a, "/procedures/%lld/stages/%lld",
						(long long)p->id, (long long)s->id);
		st[i] = (struct tv_procedure_timeline_stages){
			.id = s->id,
			.css = s->status == STAGE_COMPLETED ? "done"
			       : i == tv.current ? "current" : "planned",
			.kind = stage_kind_code(s->kind),
			.name = stage_name(r, s),
			.open_now = i == tv.open_now,
			.completed = s->status == STAGE_COMPLETED,
			.when = stage_when(r, s),
			.rule = s->rule,
			.completed_at = fmt_when(r, s->completed_at),
			.blocked_by = c ? which->number : "",
			.blocked_what = c ? c->description : "",
			.error = e && err_stage == s->id ? e->msg : "",
			.editable = buyer && s->status != STAGE_COMPLETED,
			.controls = {
				.move_action = arena_printf(r->a, "%s/move", base),
				.moment = stage_is_moment(s->kind),
				.start = fmt_input_time(r, s->start),
				.end = fmt_input_time(r, s->end),
				/* Only the current stage can be completed:
				 * the others would be refused as skipping. */
				.complete_action = i == tv.current
					? arena_printf(r->a, "%s/complete", base) : "",
				.csrf = csrf,
			},
		};
	}
	v.stages = st;
	v.n_stages = p->n_stages;
	layout_begin(r, w, p->title);
	procedure_nav(r, w, "timeline");
	tmpl_procedure_timeline(&w->body, &v);
	layout_end(r, w);
}

static enum kv_status load_decisions(struct req *r, struct decision **ds, int *nd,
				     struct kv_error *e)
{
	return memo_decisions_get(r, ds, nd, e);
}

void page_procedure(struct req *r, struct resp *w)
{
	struct decision *ds = NULL;
	int nd = 0;
	struct kv_error e = {0};
	/* The JSON is the procedure's, its decisions' and the timeline
	 * view's (the clock's only say in it): kept while they hold. */
	struct timeline_view tv;
	if (r->api) {
		proc_timeline(&r->proc, r->app.now, &tv);
		if (memo_body_get(r, "procedure.json", r->proc.id, &tv,
				  sizeof tv, &w->body)) {
			w->status = 200;
			w->content_type = "application/json; charset=utf-8";
			return;
		}
	}
	if (load_decisions(r, &ds, &nd, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		size_t before = w->body.len;
		resp_json(r, w, 200, json_procedure(r, &r->proc, ds, nd));
		memo_body_put(r, "procedure.json", r->proc.id, &tv, sizeof tv,
			      w->body.p + before, w->body.len - before);
		return;
	}
	timeline(r, w, ds, nd, 0, NULL);
}

/* After a stage action: the fresh procedure, or the refusal. */
static void after_stage_action(struct req *r, struct resp *w, enum kv_status rc,
			       const struct kv_error *e)
{
	struct decision *ds = NULL;
	int nd = 0;
	struct kv_error le = {0};
	if (rc == KV_OK && !r->api) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld#stage-%lld",
						 (long long)r->ids[0], (long long)r->ids[1]));
		return;
	}
	if (rc != KV_OK && r->api) {
		resp_error(r, w, e);
		return;
	}
	if (app_procedure_load(&r->app, r->ids[0], &r->proc, &ds, &nd, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_procedure(r, &r->proc, ds, nd));
		return;
	}
	w->status = http_status_of(rc);
	timeline(r, w, ds, nd, r->ids[1], e);
}

void page_stage_move(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	kv_instant start = 0, end = 0;
	const char *s = in_str(r, "start"), *t = in_str(r, "end");
	enum kv_status rc = KV_OK;
	if (in_blank(s))
		rc = kv_fail(&e, KV_INVALID, "start", _("Fill in the date and time."));
	else
		rc = cal_parse_local(s, &start, "start", &e) == 0 ? KV_OK : KV_INVALID;
	if (rc == KV_OK) {
		if (in_blank(t))
			end = start;
		else
			rc = cal_parse_local(t, &end, "end", &e) == 0 ? KV_OK : KV_INVALID;
	}
	if (rc == KV_OK)
		rc = app_stage_move(&r->app, r->ids[0], r->ids[1], start, end, &e);
	after_stage_action(r, w, rc, &e);
}

void page_stage_complete(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_stage_complete(&r->app, r->ids[0], r->ids[1], &e);
	after_stage_action(r, w, rc, &e);
}
