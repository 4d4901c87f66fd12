/*
 * read_timeline.h - a procedure's timeline as its page and the API read
 * it (read_timeline.c): per stage where it stands by the calendar and its
 * completion together (core proc_stage_state), how late an overdue stage
 * is, how long a running one still runs, the decision condition that
 * blocks it, and its dates still to come that fall on a day that is no
 * working day under the Algemene termijnenwet (a warning, never a
 * refusal).
 *
 * Reads only: no transaction, nothing audited.  Everything in x->a.
 */
#ifndef KAVEL_APP_READ_TIMELINE_H
#define KAVEL_APP_READ_TIMELINE_H

#include "app.h"

struct timeline_row {
	const struct stage *stage;
	enum stage_state state;
	struct cal_span late;          /* overdue: since its end */
	struct cal_span left;          /* running: until its end */
	struct cal_span until;         /* upcoming: until its start */
	bool completable;              /* the first stage not completed: the
					  one "mark completed" applies to */
	const char *not_ready;         /* completable, but the clock says not
					  yet (proc_stage_ready): why, else
					  NULL */
	const struct decision *blocked_by;      /* or NULL */
	const struct condition *blocked_what;
	struct stage_day_warning warn[2];       /* start, end */
	int n_warn;
};

struct timeline_read {
	struct timeline_view tv;
	struct timeline_row *rows;     /* one per stage, in template order */
	int n_rows;
};

/* The timeline of p (loaded with its decisions ds) as of x->now, with the
 * legal calendar of p's municipality. */
enum kv_status app_timeline_read(struct app *x, const struct procedure *p,
				 const struct decision *ds, int nd,
				 struct timeline_read *out,
				 struct kv_error *e);

#endif
