/*
 * page_procedure.c - one procedure: its timeline, and moving or completing
 * its stages (the buyer's controls).  The state machine in core/procedure.c
 * decides; this page shows what it decided and why.
 */
#include <string.h>

#include "core/validate.h"
#include "html.h"
#include "input.h"
#include "view.h"

static const char *stage_name(struct req *r, const struct stage *s)
{
	if (s->kind == SK_DIALOGUE_ROUND)
		return arena_printf(r->a, "%s %d", stage_kind_label(s->kind), s->round);
	return stage_kind_label(s->kind);
}

static void timeline(struct req *r, struct resp *w, const struct decision *ds,
		     int nd, int64_t err_stage, const struct kv_error *e)
{
	const struct procedure *p = &r->proc;
	struct timeline_view tv;
	proc_timeline(p, r->app.now, &tv);
	sbuf *b = &w->body;
	layout_begin(r, w, p->title);
	procedure_nav(r, w, "timeline");
	char eur[48];
	html_f(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
		  "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%d</dd></dl>",
	       _("Procedure type"), proc_type_label(p->type), _("CPV code"), p->cpv,
	       _("Estimated value"), p->value_cents ? eur_format(p->value_cents, eur) : "—",
	       _("Lots"), p->n_lots);

	/* What is open now, what comes next. */
	html_f(b, "<section class=\"now\" aria-label=\"%s\">", _("Status"));
	if (tv.current < 0) {
		html_f(b, "<p>%s</p>", _("Every stage of this procedure is completed."));
	} else {
		const struct stage *cur = &p->stages[tv.current];
		html_f(b, "<p><strong>%s</strong> %s", _("Now:"), stage_name(r, cur));
		if (tv.days_left >= 0)
			html_f(b, " — <span class=\"days-left\">%s</span>",
			       arena_printf(r->a, ngettext("%lld day left", "%lld days left",
							   (unsigned long)tv.days_left),
					    (long long)tv.days_left));
		html_f(b, "</p>");
		/* What comes after the current stage, in the template's order. */
		if (tv.current + 1 < p->n_stages) {
			const struct stage *nx = &p->stages[tv.current + 1];
			html_f(b, "<p><strong>%s</strong> %s, %s</p>", _("Next:"),
			       stage_name(r, nx),
			       nx->start ? fmt_when(r, nx->start) : _("not planned yet"));
		}
	}
	html_f(b, "</section>");

	bool buyer = r->roles & ROLE_BUYER;
	html_f(b, "<h2>%s</h2><ol class=\"timeline\">", _("Timeline"));
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		const char *cls = s->status == STAGE_COMPLETED ? "done"
				  : i == tv.current ? "current" : "planned";
		html_f(b, "<li class=\"stage %s\" id=\"stage-%lld\" data-kind=\"%s\"><h3>%s",
		       cls, (long long)s->id, stage_kind_code(s->kind), stage_name(r, s));
		if (i == tv.open_now)
			html_f(b, " <span class=\"badge\">%s</span>", _("open now"));
		if (s->status == STAGE_COMPLETED)
			html_f(b, " <span class=\"badge done\">%s</span>", _("completed"));
		html_f(b, "</h3><p class=\"when\">");
		if (!s->start && !s->end)
			html_f(b, "%s", _("not planned yet"));
		else if (stage_is_moment(s->kind) || s->start == s->end)
			html_f(b, "%s", fmt_when(r, s->end ? s->end : s->start));
		else
			html_f(b, "%s – %s", fmt_when(r, s->start), fmt_when(r, s->end));
		html_f(b, "</p>");
		if (s->rule && *s->rule)
			html_f(b, "<p class=\"rule\">%s</p>", s->rule);
		if (s->status == STAGE_COMPLETED)
			html_f(b, "<p class=\"completed\">%s %s</p>", _("Completed on"),
			       fmt_when(r, s->completed_at));
		const struct decision *which = NULL;
		const struct condition *c = proc_blocking_condition(p, i, ds, nd, &which);
		if (c)
			html_f(b, "<p class=\"blocked\">%s %s: %s</p>",
			       _("Waiting for a condition of decision"), which->number,
			       c->description);
		if (e && err_stage == s->id)
			html_f(b, "<p class=\"field-error\" role=\"alert\">%s</p>", e->msg);
		if (buyer && s->status != STAGE_COMPLETED) {
			html_f(b, "<details><summary>%s</summary>"
				  "<form method=\"post\" action=\"/procedures/%lld/stages/%lld/move\" class=\"form inline-form\">%R",
			       _("Change dates"), (long long)p->id, (long long)s->id, csrf_input(r));
			if (stage_is_moment(s->kind))
				html_f(b, "<label>%s <input type=\"datetime-local\" name=\"start\" value=\"%s\"></label>",
				       _("Date and time"), fmt_input_time(r, s->start));
			else
				html_f(b, "<label>%s <input type=\"datetime-local\" name=\"start\" value=\"%s\"></label>"
					  "<label>%s <input type=\"datetime-local\" name=\"end\" value=\"%s\"></label>",
				       _("From"), fmt_input_time(r, s->start), _("Until"),
				       fmt_input_time(r, s->end));
			html_f(b, "<button type=\"submit\">%s</button></form></details>",
			       _("Save dates"));
			/* Only the current stage can be completed: the others
			 * would be refused as skipping. */
			if (i == tv.current)
				html_f(b, "<form method=\"post\" action=\"/procedures/%lld/stages/%lld/complete\" class=\"inline\">%R"
					  "<button type=\"submit\" class=\"complete\">%s</button></form>",
				       (long long)p->id, (long long)s->id, csrf_input(r),
				       _("Mark completed"));
		}
		html_f(b, "</li>");
	}
	html_f(b, "</ol>");
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
	if (STORE(r->st, procedure_get, r->ids[0], r->a, &r->proc, &le) != KV_OK ||
	    load_decisions(r, &ds, &nd, &le) != KV_OK) {
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
