/*
 * read_calendar.c - one year of the legal calendar (read_calendar.h).
 */
#include "read_calendar.h"

enum kv_status app_calendar_year(struct app *x, int64_t tenant_id, int year,
				 struct calendar_year *out,
				 struct kv_error *e)
{
	out->year = year;
	out->n_equated = 0;
	enum kv_status rc = app_calendar(x, tenant_id, &out->cal, e);
	if (rc != KV_OK)
		return rc;
	out->n_holidays = (int)cal_holidays(year, out->holidays, out->why);
	out->equated = arena_alloc(x->a, (out->cal.n_equated + 1) * sizeof *out->equated);
	for (size_t i = 0; i < out->cal.n_equated; i++)
		if (out->cal.equated[i].date.year == year)
			out->equated[out->n_equated++] = &out->cal.equated[i];
	return KV_OK;
}
