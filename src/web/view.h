/*
 * view.h - pieces shared by the pages and the API: the layout, forms'
 * error display, and the JSON form of every object.
 */
#ifndef KAVEL_VIEW_H
#define KAVEL_VIEW_H

#include "html.h"
#include "web.h"

/* JSON of core objects (new references). */
json_t *json_instant(arena *a, kv_instant t);   /* {"utc":..,"local":..} or null */
json_t *json_procedure(struct req *r, const struct procedure *p,
		       const struct decision *ds, int nd);
json_t *json_lot(const struct lot *l);
json_t *json_candidate(const struct candidate *c);
json_t *json_decision(const struct decision *d);

/* The candidate the account bids for on r->proc (its bidder grant), or
 * 0 when it bids for none. */
int64_t own_candidate(const struct req *r);
/* The name of r->proc's municipality, "" when it cannot be read. */
const char *procedure_municipality(struct req *r);
/* A refusal with the given HTTP status and sentence (page or JSON). */
void refusal(struct req *r, struct resp *w, int status, enum kv_status st,
	     const char *msg);

/* HTML helpers. */
const char *fmt_when(struct req *r, kv_instant t);      /* "" when 0 */
const char *fmt_eur(struct req *r, int64_t cents);
/* "2022-07-01T12:00" local, for a datetime-local input; "" when 0. */
const char *fmt_input_time(struct req *r, kv_instant t);
/* "penvoerder (lead party)", "member", "subcontractor", translated. */
const char *party_role_label(enum party_role role);
/* <p class="field-error"> for field when e names it, else "". */
const char *field_error(struct req *r, const struct kv_error *e,
			const char *field);
/* The error box above a form when e is set but names no shown field. */
void form_error_summary(struct req *r, struct resp *w,
			const struct kv_error *e);
/* Hidden CSRF input. */
const char *csrf_input(struct req *r);
/* The token csrf_input carries: the session's, or the anonymous
 * double-submit cookie's. */
const char *csrf_token(const struct req *r);
/* The value a form field had (to refill it after an error), or dflt. */
const char *refill(struct req *r, const char *key, const char *dflt);
void procedure_nav(struct req *r, struct resp *w, const char *active);
/* The municipality whose tenant-wide pages the account sees: its first
 * tenant-wide buyer (or, unless buyer_only, council) grant; 0 if none. */
int64_t tenant_of(const struct req *r, bool buyer_only);

/*
 * kpi_trend_svg (svg.c) - an SVG line chart (width x height px) of the
 * measurements of one KPI in one area, in period order, with the target
 * as a dashed line.  Every text in it is XML-escaped.  In the arena.
 */
html_t kpi_trend_svg(arena *a, const struct kpi *k,
		     const struct measurement *m, int n, const char *area,
		     int width, int height);

#endif
