/*
 * read_timeline.c - a procedure's timeline as of the request's clock
 * (read_timeline.h).  The core decides each stage's state and which
 * days are not working days; this reads the municipality's calendar for
 * it and measures the spans a person reads ("3 dagen te laat").
 */
#include "read_timeline.h"

#include <string.h>

enum kv_status app_timeline_read(struct app *x, const struct procedure *p,
				 const struct decision *ds, int nd,
				 struct timeline_read *out,
				 struct kv_error *e)
{
	memset(out, 0, sizeof *out);
	/* The shipped equated days of the years the stages' dates lie in
	 * (the warnings check those dates only). */
	int from = 9999, to = 0;
	for (int i = 0; i < p->n_stages; i++) {
		kv_instant t[2] = {p->stages[i].start, p->stages[i].end};
		for (int k = 0; k < 2; k++) {
			if (!t[k])
				continue;
			cal_date d;
			cal_utc_to_local(t[k], &d, NULL, NULL, NULL, NULL);
			from = d.year < from ? d.year : from;
			to = d.year > to ? d.year : to;
		}
	}
	cal_calendar cal;
	enum kv_status rc = from <= to ? app_calendar_years(x, p->tenant_id, from, to, &cal, e)
				       : app_calendar_years(x, p->tenant_id, 1, 0, &cal, e);
	if (rc != KV_OK)
		return rc;
	proc_timeline(p, x->now, &out->tv);
	out->rows = arena_alloc(x->a, sizeof *out->rows * (size_t)(p->n_stages + 1));
	out->n_rows = p->n_stages;
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		struct timeline_row *row = &out->rows[i];
		row->stage = s;
		row->state = proc_stage_state(s, x->now);
		if (row->state == STATE_OVERDUE)
			row->late = cal_span_between(s->end, x->now);
		else if (row->state == STATE_RUNNING && s->end > x->now)
			row->left = cal_span_between(x->now, s->end);
		else if (row->state == STATE_UPCOMING)
			row->until = cal_span_between(x->now, s->start);
		row->completable = i == out->tv.current;
		if (row->completable) {
			struct kv_error why = {0};
			if (proc_stage_ready(p, i, x->now, x->a, &why) != KV_OK)
				row->not_ready = arena_strdup(x->a, why.msg);
		}
		row->blocked_what = proc_blocking_condition(p, i, ds, nd,
							    &row->blocked_by);
		row->n_warn = proc_stage_day_warnings(s, &cal, x->now, row->warn);
	}
	return KV_OK;
}
