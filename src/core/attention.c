/*
 * attention.c - the rules of what needs attention (see attention.h):
 * overdue stages, deadlines within the horizon and whose they are, the
 * phase and year of a procedure, the KPI period owed, an evaluation due,
 * and the order of a list.
 */
#include "attention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "error.h"

static const struct {
	const char *code, *label;
} kind_names[ATT__COUNT] = {
	[ATT_LATE] = {"late", N_("Overdue")},
	[ATT_DEADLINE] = {"deadline", N_("Deadline")},
	[ATT_QUESTION] = {"question", N_("Questions")},
	[ATT_NOTA] = {"nota", N_("Nota van inlichtingen")},
	[ATT_CONDITION] = {"condition", N_("Condition")},
	[ATT_VAULT] = {"vault", N_("Vault")},
	[ATT_SCORES] = {"scores", N_("Scores")},
	[ATT_EVALUATION] = {"evaluation", N_("Contract evaluation")},
	[ATT_KPI] = {"kpi", N_("KPI")},
};

const char *att_kind_code(enum att_kind k)
{
	return (unsigned)k < ATT__COUNT ? kind_names[k].code : "";
}

const char *att_kind_label(enum att_kind k)
{
	return (unsigned)k < ATT__COUNT ? _(kind_names[k].label) : "";
}

int att_kind_from_code(const char *s)
{
	for (int i = 0; s && i < ATT__COUNT; i++)
		if (strcmp(kind_names[i].code, s) == 0)
			return i;
	return -1;
}

static int64_t local_day(kv_instant t)
{
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	return cal_days_from_civil(d);
}

int64_t att_day_diff(kv_instant from, kv_instant to)
{
	return local_day(to) - local_day(from);
}

int64_t att_days_to_date(kv_instant now, cal_date d)
{
	return cal_days_from_civil(d) - local_day(now);
}

int att_late_stages(const struct procedure *p, kv_instant now, int *first)
{
	int n = 0;
	*first = -1;
	for (int i = 0; i < p->n_stages; i++) {
		const struct stage *s = &p->stages[i];
		if (s->status == STAGE_COMPLETED || !s->end || s->end >= now)
			continue;
		if (*first < 0)
			*first = i;
		n++;
	}
	return n;
}

bool att_within_horizon(kv_instant now, kv_instant t)
{
	return t > now && t <= now + (kv_instant)ATT_HORIZON_DAYS * 86400;
}

unsigned att_deadline_roles(enum stage_kind k)
{
	unsigned all = ROLE_BUYER | ROLE_COUNCIL;
	switch (k) {
	case SK_REGISTRATION:
	case SK_APPLICATION_DEADLINE:
	case SK_DIALOGUE_ROUND:
	case SK_TENDER_DEADLINE:
	case SK_STANDSTILL:
		return all | ROLE_BIDDER;
	case SK_SELECTION:
	case SK_EVALUATION:
		return all | ROLE_ASSESSOR;
	default:
		return all;
	}
}

static const struct {
	const char *code, *label;
} phase_names[PHASE__COUNT] = {
	[PHASE_PREPARATION] = {"preparation", N_("Preparation")},
	[PHASE_REGISTRATION] = {"registration", N_("Registration and applications")},
	[PHASE_SELECTION] = {"selection", N_("Selection")},
	[PHASE_DIALOGUE] = {"dialogue", N_("Dialogue")},
	[PHASE_TENDER] = {"tender", N_("Tendering")},
	[PHASE_EVALUATION] = {"evaluation", N_("Evaluation")},
	[PHASE_AWARD] = {"award", N_("Award and standstill")},
	[PHASE_AWARDED] = {"awarded", N_("Awarded")},
	[PHASE_DONE] = {"done", N_("Completed")},
};

enum proc_phase att_phase(const struct procedure *p)
{
	for (int i = 0; i < p->n_stages; i++) {
		if (p->stages[i].status == STAGE_COMPLETED)
			continue;
		switch (p->stages[i].kind) {
		case SK_PRE_ANNOUNCEMENT:
			return PHASE_PREPARATION;
		case SK_REGISTRATION:
		case SK_DOCUMENT_ISSUED:
		case SK_APPLICATION_DEADLINE:
			return PHASE_REGISTRATION;
		case SK_SELECTION:
			return PHASE_SELECTION;
		case SK_DIALOGUE_ROUND:
			return PHASE_DIALOGUE;
		case SK_TENDER_DEADLINE:
			return PHASE_TENDER;
		case SK_EVALUATION:
			return PHASE_EVALUATION;
		case SK_PROVISIONAL_AWARD:
		case SK_STANDSTILL:
		case SK_DEFINITIVE_AWARD:
			return PHASE_AWARD;
		case SK_CONTRACT_START:
		case SK__COUNT:
			return PHASE_AWARDED;
		}
	}
	return PHASE_DONE;
}

const char *att_phase_code(enum proc_phase ph)
{
	return (unsigned)ph < PHASE__COUNT ? phase_names[ph].code : "";
}

const char *att_phase_label(enum proc_phase ph)
{
	return (unsigned)ph < PHASE__COUNT ? _(phase_names[ph].label) : "";
}

int att_phase_from_code(const char *s)
{
	for (int i = 0; s && i < PHASE__COUNT; i++)
		if (strcmp(phase_names[i].code, s) == 0)
			return i;
	return -1;
}

int att_year(const struct procedure *p)
{
	kv_instant t = 0;
	for (int i = 0; i < p->n_stages && !t; i++)
		t = p->stages[i].start ? p->stages[i].start : p->stages[i].end;
	if (!t)
		t = p->created_at;
	cal_date d;
	int h, m, s, off;
	cal_utc_to_local(t, &d, &h, &m, &s, &off);
	return d.year;
}

bool att_kpi_period_owed(enum kpi_frequency f, cal_date start, cal_date end,
			 cal_date today, char out[8])
{
	/* The period before the one that holds today: [from, to). */
	cal_date from = {today.year, 1, 1}, to = from;
	int q = 0;
	switch (f) {
	case KPI_MONTHLY:
		to = (cal_date){today.year, today.month, 1};
		from = today.month == 1 ? (cal_date){today.year - 1, 12, 1}
					: (cal_date){today.year, today.month - 1, 1};
		break;
	case KPI_QUARTERLY:
		q = (today.month - 1) / 3;              /* 0..3: today's quarter */
		to = (cal_date){today.year, q * 3 + 1, 1};
		from = q == 0 ? (cal_date){today.year - 1, 10, 1}
			      : (cal_date){today.year, (q - 1) * 3 + 1, 1};
		q = (from.month - 1) / 3 + 1;
		break;
	case KPI_YEARLY:
		from = (cal_date){today.year - 1, 1, 1};
		to = (cal_date){today.year, 1, 1};
		break;
	}
	if (cal_date_cmp(to, start) <= 0 || cal_date_cmp(from, end) >= 0)
		return false;
	switch (f) {
	case KPI_MONTHLY:
		snprintf(out, 8, "%04u-%02u", (unsigned)from.year % 10000u,
			 (unsigned)from.month % 100u);
		break;
	case KPI_QUARTERLY:
		snprintf(out, 8, "%04u-Q%u", (unsigned)from.year % 10000u,
			 (unsigned)q % 10u);
		break;
	case KPI_YEARLY:
		snprintf(out, 8, "%04u", (unsigned)from.year % 10000u);
		break;
	}
	return true;
}

bool att_evaluation_due(cal_date moment, cal_date today)
{
	return cal_days_from_civil(moment) - cal_days_from_civil(today) <=
	       ATT_HORIZON_DAYS;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct att_item *a = pa, *b = pb;
	if (a->dated != b->dated)
		return a->dated ? -1 : 1;
	int c;
	if (a->dated && ((c = cmp_i64(a->days, b->days)) || (c = cmp_i64(a->due, b->due))))
		return c;
	if ((c = cmp_i64(a->kind, b->kind)) || (c = cmp_i64(a->procedure_id, b->procedure_id)) ||
	    (c = cmp_i64(a->contract_id, b->contract_id)) ||
	    (c = cmp_i64(a->lot_id, b->lot_id)))
		return c;
	return cmp_i64(a->object_id, b->object_id);
}

void att_sort(struct att_item *items, int n)
{
	if (n > 1)
		qsort(items, (size_t)n, sizeof *items, item_cmp);
}
