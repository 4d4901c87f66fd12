/*
 * attention.h - what needs someone's attention, as rules on the domain's
 * own data: which stages of a procedure are past their end without being
 * completed (and by how many days), which ends fall within the next
 * ATT_HORIZON_DAYS days and to whom they matter, the KPI period a
 * reporter owes, whether a contract's evaluation is due, the phase a
 * procedure is in (the dashboard's status filter), its year, and the
 * order of a list of items.
 *
 * Plain C, no I/O.  The app layer (app/attention.c) reads the store,
 * decides per role which of these an account sees and words each item.
 * Days are calendar days in Europe/Amsterdam, as a person counts them.
 */
#ifndef KAVEL_ATTENTION_H
#define KAVEL_ATTENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "procedure.h"
#include "steering.h"

/* How far ahead a deadline, an evaluation or a KPI period is shown. */
#define ATT_HORIZON_DAYS 14

enum att_kind {
	ATT_LATE,          /* a stage past its end, not completed */
	ATT_DEADLINE,      /* an end within the horizon */
	ATT_QUESTION,      /* questions without an answer (a buyer), or a
			      bidder's own still waiting for their nota */
	ATT_NOTA,          /* answers waiting to be published in a nota */
	ATT_CONDITION,     /* a decision's condition still open */
	ATT_VAULT,         /* a vault waiting for its buyers */
	ATT_SCORES,        /* scores an assessor still owes on a lot */
	ATT_EVALUATION,    /* a contract's evaluation due */
	ATT_KPI,           /* a KPI measurement the reporter owes */
	ATT__COUNT
};

const char *att_kind_code(enum att_kind k);    /* "late" (API, filters) */
const char *att_kind_label(enum att_kind k);   /* translated: "Overdue" */
int att_kind_from_code(const char *s);         /* -1 unknown */

/* One item of an attention list.  The app fills the words; the strings
 * live in the caller's arena. */
struct att_item {
	enum att_kind kind;
	int64_t tenant_id;
	int64_t procedure_id;      /* 0: about a contract */
	int64_t contract_id;       /* 0: about a procedure */
	int64_t lot_id;            /* the lot it is about, or 0 */
	int64_t object_id;         /* the stage, question, condition or KPI */
	int number;                /* the lot's number, round or year it names */
	const char *reference;     /* of the procedure or contract */
	const char *title;
	const char *municipality;
	const char *text;          /* the sentence, translated */
	kv_instant due;            /* the moment it is about; 0: none */
	bool dated;                /* days holds the days until due */
	int64_t days;              /* days until due; negative: days late */
	int count;                 /* how many (questions, scores, stages) */
	bool own_step;             /* the viewer must act first itself (set
				      its vault passphrase) */
};

/* Whole calendar days from the day of `from` to the day of `to`
 * (negative when `to` lies on an earlier day). */
int64_t att_day_diff(kv_instant from, kv_instant to);
/* The days from today to the local date d. */
int64_t att_days_to_date(kv_instant now, cal_date d);

/* The stages of p past their end and not completed as of now: how many,
 * and the index of the first of them (-1 when none). */
int att_late_stages(const struct procedure *p, kv_instant now, int *first);
/* Whether t lies after now and at most ATT_HORIZON_DAYS days ahead. */
bool att_within_horizon(kv_instant now, kv_instant t);
/* The roles (enum role bits) to whom the end of a stage of kind k is a
 * deadline of their own: bidders the ends they must meet (registration,
 * application, tender, dialogue plans, the standstill), assessors the
 * selection and evaluation, buyers and council members every one. */
unsigned att_deadline_roles(enum stage_kind k);

/* The phase of a procedure by its first stage not completed. */
enum proc_phase {
	PHASE_PREPARATION,     /* the pre-announcement */
	PHASE_REGISTRATION,    /* registration, documents, applications */
	PHASE_SELECTION,
	PHASE_DIALOGUE,
	PHASE_TENDER,          /* up to the tender deadline */
	PHASE_EVALUATION,
	PHASE_AWARD,           /* provisional award, standstill, definitive */
	PHASE_AWARDED,         /* awarded, the contract not started */
	PHASE_DONE,            /* every stage completed */
	PHASE__COUNT
};
enum proc_phase att_phase(const struct procedure *p);
const char *att_phase_code(enum proc_phase ph);   /* "evaluation" */
const char *att_phase_label(enum proc_phase ph);  /* translated */
int att_phase_from_code(const char *s);           /* -1 unknown */
/* The year of a procedure: that of its first dated stage (local time),
 * else the year it was created. */
int att_year(const struct procedure *p);

/* The KPI period of frequency f a report is owed for on `today`: the
 * last one that has ended ("2026-11", "2026-Q3", "2025"), if it lies
 * within the contract's term [start, end).  false when none. */
bool att_kpi_period_owed(enum kpi_frequency f, cal_date start, cal_date end,
			 cal_date today, char out[8]);
/* Whether an evaluation moment is due: it lies at most ATT_HORIZON_DAYS
 * days ahead, or has passed. */
bool att_evaluation_due(cal_date moment, cal_date today);

/* Orders items: the most overdue first, then by how soon they are due,
 * then the undated by kind; ties by procedure, contract and object. */
void att_sort(struct att_item *items, int n);

#endif
