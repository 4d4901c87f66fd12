/*
 * page_procedure.c - one procedure: its timeline, and moving or completing
 * its stages (the buyer's controls).  The state machine in core/procedure.c
 * decides; the timeline's read model (app/read_timeline.h) says where each
 * stage stands by the calendar and the completions together; this page
 * shows both and why.
 *
 * Times a buyer enters follow the rule of docs/api.md ("Times"): a time
 * in the repeated autumn hour needs its occurrence (the form offers the
 * choice only for such a time, as start_dst/end_dst), a time in the
 * skipped spring hour is refused; a date on a day that is no working day
 * is saved with a warning beside it.
 */
#include <string.h>

#include "app/read_timeline.h"
#include "form.h"
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
	return fmt_period(r, s->start, s->end);
}

/* "Let op: 25 december 2022 is Eerste Kerstdag, geen werkdag (...)". */
static const char *day_warning(struct req *r, const struct stage_day_warning *w)
{
	return arena_printf(r->a, _("Note: %s is %s, not a working day (%s)."),
			    cal_format_day(r->a, w->date), w->why.name, w->why.source);
}

static const char *field_warning(struct req *r, const struct timeline_row *row,
				 const char *field)
{
	for (int i = 0; i < row->n_warn; i++)
		if (strcmp(row->warn[i].field, field) == 0)
			return day_warning(r, &row->warn[i]);
	return "";
}

/* The occurrence a form or body chose for a time in the repeated hour. */
static enum cal_fold fold_of(struct req *r, const char *key)
{
	const char *v = in_str(r, key);
	if (v && strcmp(v, "summer") == 0)
		return CAL_FOLD_SUMMER;
	if (v && strcmp(v, "winter") == 0)
		return CAL_FOLD_WINTER;
	return CAL_FOLD_ASK;
}

/* One date input of the controls: its value, and whether it falls in the
 * repeated hour (then the choice shows, with the occurrence chosen). */
struct date_input {
	const char *value;
	bool twice, winter;
};

static struct date_input date_input(struct req *r, kv_instant stored, bool typed,
				    const char *key, const char *dst_key)
{
	struct date_input d = {0};
	if (typed) {
		const char *v = in_str(r, key);
		d.value = v ? v : "";
		bool amb = false;
		cal_parse_local_dst(d.value, CAL_FOLD_ASK, NULL, &amb, key, NULL);
		d.twice = amb;
		d.winter = fold_of(r, dst_key) == CAL_FOLD_WINTER;
		return d;
	}
	bool summer = false;
	d.value = fmt_input_time(r, stored);
	d.twice = stored && cal_in_repeated_hour(stored, &summer);
	d.winter = d.twice && !summer;
	return d;
}

/* Marking stage `base` completed, with the confirmation its consequence
 * needs; e: its refusal, or NULL. */
static html_t complete_form(struct req *r, const char *base, int64_t stage_id,
			    const struct kv_error *e)
{
	static const struct form_field fields[] = {
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("I understand that completing this stage opens the next one; it is recorded in the audit trail and cannot be undone.")},
	};
	struct form_errors *fe = arena_alloc(r->a, sizeof *fe);
	fe->n = 0;
	form_errors_add(fe, e);
	struct form f = {
		.action = arena_cat(r->a, base, "/complete"),
		.id = arena_printf(r->a, "s%lld", (long long)stage_id),
		.css = "form complete-form", .submit = _("Mark completed"), .submit_css = "complete",
		.fields = fields, .n_fields = 1, .errors = fe};
	return form_html(r, &f);
}

/* The timeline page; err_stage and e: a refused action on that stage,
 * shown at its field with what was typed. */
static void timeline(struct req *r, struct resp *w, const struct timeline_read *tl,
		     int64_t err_stage, const struct kv_error *e)
{
	const struct procedure *p = &r->proc;
	const struct timeline_view *tv = &tl->tv;
	bool buyer = r->roles & ROLE_BUYER;
	struct tv_procedure_timeline v = {
		.type = proc_type_label(p->type),
		.cpv = p->cpv,
		.value = p->value_cents ? fmt_eur(r, p->value_cents) : "—",
		.lot_count = p->n_lots,
		.all_done = tv->current < 0,
	};
	size_t n = (size_t)p->n_stages + 1;
	struct tv_procedure_timeline_running *run = arena_alloc(r->a, sizeof *run * n);
	struct tv_procedure_timeline_overdue *late = arena_alloc(r->a, sizeof *late * n);
	struct tv_procedure_timeline_stages *st = arena_alloc(r->a, sizeof *st * n);
	struct tv_csrf csrf = {.token = csrf_token(r)};
	for (int i = 0; i < tl->n_rows; i++) {
		const struct timeline_row *row = &tl->rows[i];
		const struct stage *s = row->stage;
		const char *name = stage_name(r, s);
		if (row->state == STATE_RUNNING) {
			run[v.n_running] = (struct tv_procedure_timeline_running){
				.sep = v.n_running ? "; " : "", .id = s->id, .name = name,
				.left = row->left.n ? arena_printf(r->a, _("%s left"),
								   fmt_span(r, row->left)) : ""};
			v.n_running++;
		}
		if (row->state == STATE_OVERDUE) {
			late[v.n_overdue] = (struct tv_procedure_timeline_overdue){
				.sep = v.n_overdue ? "; " : "", .id = s->id, .name = name,
				.late = arena_printf(r->a, _("%s late"), fmt_span(r, row->late))};
			v.n_overdue++;
		}
		if (i == tv->next) {
			v.next_stage = name;
			v.next_when = fmt_when(r, s->start);
			v.next_in = arena_printf(r->a, _("in %s"), fmt_span(r, row->until));
		}

		static const char *const css[] = {
			[STATE_COMPLETED] = "done", [STATE_OVERDUE] = "overdue",
			[STATE_RUNNING] = "running", [STATE_UPCOMING] = "upcoming",
			[STATE_UNPLANNED] = "unplanned"};
		const char *state = "", *state_css = "";
		if (row->state == STATE_COMPLETED)
			state = _("completed"), state_css = "done";
		else if (row->state == STATE_RUNNING)
			state = _("open now"), state_css = "running";
		else if (row->state == STATE_OVERDUE)
			state = late[v.n_overdue - 1].late, state_css = "late";

		struct tv_procedure_timeline_stages_warnings *ws =
			arena_alloc(r->a, sizeof *ws * 2);
		for (int k = 0; k < row->n_warn; k++)
			ws[k].text = day_warning(r, &row->warn[k]);

		/* A refusal names the field it is about; a moment has only
		 * its one date, so its "end" is that date too. */
		bool mine = e && err_stage == s->id;
		bool moment = stage_is_moment(s->kind);
		bool at_start = mine && (strcmp(e->field, "start") == 0 ||
					 (moment && strcmp(e->field, "end") == 0));
		bool at_end = mine && !moment && strcmp(e->field, "end") == 0;
		bool at_confirm = mine && strcmp(e->field, FORM_CONFIRM) == 0;
		/* A refused move shows what was typed. */
		bool typed = mine && in_str(r, "start") != NULL;
		struct date_input ds = date_input(r, s->start, typed, "start", "start_dst");
		struct date_input de = date_input(r, s->end, typed, "end", "end_dst");
		const char *base = arena_printf(r->a, "/procedures/%lld/stages/%lld",
						(long long)p->id, (long long)s->id);
		st[i] = (struct tv_procedure_timeline_stages){
			.id = s->id,
			.css = row->completable ? arena_cat(r->a, css[row->state], " current")
						: css[row->state],
			.kind = stage_kind_code(s->kind),
			.name = name,
			.state = state,
			.state_css = state_css,
			.when = stage_when(r, s),
			.warnings = ws,
			.n_warnings = row->n_warn,
			.rule = s->rule,
			.completed_at = s->status == STAGE_COMPLETED ? fmt_when(r, s->completed_at) : "",
			.blocked_by = row->blocked_what ? row->blocked_by->number : "",
			.blocked_what = row->blocked_what ? row->blocked_what->description : "",
			.error = mine && !at_start && !at_end && !at_confirm ? e->msg : "",
			.editable = buyer && s->status != STAGE_COMPLETED,
			.controls = {
				.id = s->id,
				.move_action = arena_cat(r->a, base, "/move"),
				.open = at_start || at_end,
				.moment = moment,
				.start = ds.value, .start_twice = ds.twice, .start_winter = ds.winter,
				.end = de.value, .end_twice = de.twice, .end_winter = de.winter,
				.start_warning = field_warning(r, row, "start"),
				.end_warning = field_warning(r, row, "end"),
				.start_error = at_start ? e->msg : "",
				.end_error = at_end ? e->msg : "",
				/* Only the current stage can be completed:
				 * the others would be refused as skipping. */
				.complete_form = row->completable && !row->not_ready
					? complete_form(r, base, s->id, at_confirm ? e : NULL)
					: (html_t){0},
				.not_ready = buyer && row->not_ready ? row->not_ready : "",
				.csrf = csrf,
			},
		};
	}
	v.running = run;
	v.overdue = late;
	v.stages = st;
	v.n_stages = tl->n_rows;
	layout_begin(r, w, p->title);
	procedure_nav(r, w, "timeline");
	tmpl_procedure_timeline(&w->body, &v);
	layout_end(r, w);
}

static json_t *json_day_warnings(struct req *r, const struct timeline_row *row)
{
	json_t *a = json_array();
	char day[16];
	for (int k = 0; k < row->n_warn; k++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			"field", row->warn[k].field,
			"date", cal_format_date(row->warn[k].date, day),
			"name", row->warn[k].why.name, "source", row->warn[k].why.source,
			"message", day_warning(r, &row->warn[k])));
	return a;
}

/* The procedure's JSON, each stage with its state by the clock and the
 * warnings about its days (docs/api.md). */
static json_t *procedure_json(struct req *r, const struct decision *ds, int nd,
			      const struct timeline_read *tl)
{
	json_t *j = json_procedure(r, &r->proc, ds, nd);
	json_t *stages = json_object_get(j, "stages");
	for (int i = 0; i < tl->n_rows && i < (int)json_array_size(stages); i++) {
		json_t *o = json_array_get(stages, (size_t)i);
		json_object_set_new(o, "state", json_string(stage_state_code(tl->rows[i].state)));
		json_object_set_new(o, "day_warnings", json_day_warnings(r, &tl->rows[i]));
	}
	return j;
}

/* What the clock changes in the procedure's JSON: the memo's key. */
struct json_clock {
	int32_t current, open_now, next, days_left;
	uint64_t running, overdue;
};

void page_procedure(struct req *r, struct resp *w)
{
	struct decision *ds = NULL;
	int nd = 0;
	struct kv_error e = {0};
	struct json_clock key;
	memset(&key, 0, sizeof key);
	if (r->api) {
		struct timeline_view tv;
		proc_timeline(&r->proc, r->app.now, &tv);
		key = (struct json_clock){tv.current, tv.open_now, tv.next,
					  (int32_t)tv.days_left, tv.running, tv.overdue};
		if (memo_body_get(r, "procedure.json", r->proc.id, &key, sizeof key, &w->body)) {
			w->status = 200;
			w->content_type = "application/json; charset=utf-8";
			return;
		}
	}
	struct timeline_read tl;
	if (memo_decisions_get(r, &ds, &nd, &e) != KV_OK ||
	    app_timeline_read(&r->app, &r->proc, ds, nd, &tl, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		size_t before = w->body.len;
		resp_json(r, w, 200, procedure_json(r, ds, nd, &tl));
		memo_body_put(r, "procedure.json", r->proc.id, &key, sizeof key,
			      w->body.p + before, w->body.len - before);
		return;
	}
	timeline(r, w, &tl, 0, NULL);
}

/* After a stage action: the fresh procedure, or the refusal. */
static void after_stage_action(struct req *r, struct resp *w, enum kv_status rc,
			       const struct kv_error *e)
{
	struct decision *ds = NULL;
	int nd = 0;
	struct kv_error le = {0};
	if (rc == KV_OK && !r->api) {
		resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld#stage-%lld",
						      (long long)r->ids[0], (long long)r->ids[1]),
				   strstr(r->path, "/complete") ? DONE_STAGE_COMPLETED : DONE_STAGE_MOVED);
		return;
	}
	if (rc != KV_OK && r->api) {
		resp_error(r, w, e);
		return;
	}
	struct timeline_read tl;
	if (app_procedure_load(&r->app, r->ids[0], &r->proc, &ds, &nd, &le) != KV_OK ||
	    app_timeline_read(&r->app, &r->proc, ds, nd, &tl, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	if (r->api) {
		/* The warnings about the days just entered, said when they
		 * are entered (they stay on the stage as day_warnings). */
		json_t *j = procedure_json(r, ds, nd, &tl);
		json_t *warn = NULL;
		for (int i = 0; i < tl.n_rows; i++)
			if (tl.rows[i].stage->id == r->ids[1])
				warn = json_day_warnings(r, &tl.rows[i]);
		json_object_set_new(j, "warnings", warn ? warn : json_array());
		resp_json(r, w, 200, j);
		return;
	}
	w->status = http_status_of(rc);
	timeline(r, w, &tl, r->ids[1], e);
}

void page_stage_move(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	kv_instant start = 0, end = 0;
	const char *s = in_str(r, "start"), *t = in_str(r, "end");
	enum kv_status rc = KV_OK;
	if (in_blank(s))
		rc = kv_fail(&e, KV_INVALID, "start", _("Fill in the date and time."));
	else if (cal_parse_local_dst(s, fold_of(r, "start_dst"), &start, NULL, "start", &e) != 0)
		rc = KV_INVALID;
	if (rc == KV_OK) {
		if (in_blank(t))
			end = start;
		else if (cal_parse_local_dst(t, fold_of(r, "end_dst"), &end, NULL, "end", &e) != 0)
			rc = KV_INVALID;
	}
	if (rc == KV_OK)
		rc = app_stage_move(&r->app, r->ids[0], r->ids[1], start, end, &e);
	after_stage_action(r, w, rc, &e);
}

void page_stage_complete(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = app_stage_complete(&r->app, r->ids[0], r->ids[1], &e);
	after_stage_action(r, w, rc, &e);
}
