/*
 * read_calendar.h - the legal calendar of one year as the calendar page
 * and the API read it (read_calendar.c).
 */
#ifndef KAVEL_APP_READ_CALENDAR_H
#define KAVEL_APP_READ_CALENDAR_H

#include "app/app.h"

struct calendar_year {
	int year;
	cal_calendar cal;                  /* the tenant's whole calendar */
	cal_date holidays[16];             /* art. 3 Atw, in date order */
	struct cal_reason why[16];
	int n_holidays;
	const struct cal_equated_day **equated;   /* those of the year */
	int n_equated;
};

/* The holidays and equated days (shipped, and the tenant's own) of year;
 * in x->a. */
enum kv_status app_calendar_year(struct app *x, int64_t tenant_id, int year,
				 struct calendar_year *out,
				 struct kv_error *e);

#endif
