/*
 * procedure.h - a procurement procedure, its lots, its stages, and the state
 * machine that refuses what the law or the calendar does not allow.
 *
 * Plain C, no HTTP, SQL or files.  The store loads a struct procedure (all
 * its arrays in the request's arena), the core checks and changes it, the
 * store saves what changed.  Every refusal carries a sentence that says why.
 */
#ifndef KAVEL_PROCEDURE_H
#define KAVEL_PROCEDURE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "calendar.h"
#include "error.h"

enum proc_type {
	PT_SAS_DIALOGUE,          /* SAS (art. 2.38 Aw) with dialogue rounds */
	PT_SAS_OPEN,              /* SAS, one round, open */
	PT_OPEN,                  /* openbare procedure */
	PT_RESTRICTED,            /* niet-openbare procedure */
	PT_COMPETITIVE_DIALOGUE,  /* concurrentiegerichte dialoog */
	PT_NEGOTIATED,            /* mededingingsprocedure met onderhandeling */
	PT_PRIVATE_SINGLE,        /* enkelvoudig onderhandse procedure */
	PT_PRIVATE_MULTIPLE,      /* meervoudig onderhandse procedure */
	PT__COUNT
};

enum stage_kind {
	SK_PRE_ANNOUNCEMENT,      /* vooraankondiging */
	SK_REGISTRATION,          /* aanmelden belangstelling */
	SK_DOCUMENT_ISSUED,       /* inkoopdocument verstrekt */
	SK_APPLICATION_DEADLINE,  /* sluiting aanmelding (deadline) */
	SK_SELECTION,             /* toetsing en selectie */
	SK_DIALOGUE_ROUND,        /* dialoogronde n */
	SK_TENDER_DEADLINE,       /* sluiting inschrijving (deadline) */
	SK_EVALUATION,            /* beoordeling */
	SK_PROVISIONAL_AWARD,     /* voorlopige gunning (beslissing verzonden) */
	SK_STANDSTILL,            /* opschortende termijn, art. 2.127 Aw */
	SK_DEFINITIVE_AWARD,      /* definitieve gunning */
	SK_CONTRACT_START,        /* ingang overeenkomst */
	SK__COUNT
};

enum stage_status { STAGE_PLANNED, STAGE_COMPLETED };

struct stage {
	int64_t id;               /* store id, 0 before saved */
	int seq;                  /* 0.. in template order */
	enum stage_kind kind;
	int round;                /* dialogue round 1..n, else 0 */
	kv_instant start, end;    /* UTC; 0 = not yet planned.  A moment
				     (deadline, award) has start == end. */
	enum stage_status status;
	kv_instant completed_at;  /* 0 while planned */
	int64_t completed_by;     /* account id */
	char *rule;               /* how a computed date was found, or NULL */
};

struct lot {
	int64_t id;
	int number;               /* perceel/kavel 1..n */
	char *title;
	char *goals;              /* the lot's own goals (free text) */
	int64_t value_cents;      /* estimated value or fixed budget */
	bool fixed_budget;        /* true: value is a fixed budget (plafond) */
};

#define PROC_DESCRIPTION_MAX 4000   /* characters of a description */

struct procedure {
	int64_t id;
	int64_t tenant_id;        /* the buying organisation (municipality) */
	char *reference;          /* e.g. "DOR-2022-SWT" (unique per tenant) */
	char *title;
	char *description;        /* what is bought and why, for the tender
				     page: "" or NULL when none (schema v16) */
	enum proc_type type;
	char cpv[12];             /* "85310000-5" */
	int64_t value_cents;      /* estimated value, EUR cents */
	int dialogue_rounds;      /* >= 2 for PT_SAS_DIALOGUE */
	int standstill_days;      /* >= 20 */
	struct lot *lots;
	int n_lots;
	struct stage *stages;
	int n_stages;
	kv_instant created_at;
};

/* Decisions register (collegebesluiten) and their conditions. */
enum condition_state { COND_PENDING, COND_MET, COND_WAIVED };

struct condition {
	int64_t id;
	char *description;        /* "Advies Ondernemingsraad (art. 25 WOR)" */
	enum condition_state state;
	kv_instant resolved_at;
	char *resolution;         /* "positief advies d.d. ..." */
};

struct decision {
	int64_t id;
	int64_t tenant_id;
	char *number;             /* "2021/34505" */
	cal_date date;            /* 16 Feb 2021 */
	char *title;
	char *body;
	struct condition *conditions;
	int n_conditions;
	/* The stages of one procedure this decision governs. */
	int64_t procedure_id;     /* 0: not linked */
	enum stage_kind *governs;
	int n_governs;
};

/* Candidates: one organisation, or a consortium (samenwerkingsverband)
 * with exactly one penvoerder, members and subcontractors. */
enum party_role { PARTY_PENVOERDER, PARTY_MEMBER, PARTY_SUBCONTRACTOR };

struct party {
	int64_t org_id;
	char *org_name;           /* filled by the store for display */
	char *kvk;
	enum party_role role;
};

struct candidate {
	int64_t id;
	int64_t procedure_id;
	char *name;               /* consortium name, or the organisation's */
	bool consortium;
	struct party *parties;
	int n_parties;
};

/* --- names ------------------------------------------------------------- */
const char *proc_type_code(enum proc_type t);   /* "sas-dialogue" (API) */
const char *proc_type_label(enum proc_type t);  /* translated */
int proc_type_from_code(const char *code);      /* -1 unknown */
const char *stage_kind_code(enum stage_kind k); /* "tender-deadline" */
const char *stage_kind_label(enum stage_kind k);/* translated */
int stage_kind_from_code(const char *code);
bool stage_is_deadline(enum stage_kind k);      /* a moment that closes */
bool stage_is_moment(enum stage_kind k);        /* start == end */
const char *party_role_code(enum party_role r); /* "penvoerder" */
int party_role_from_code(const char *code);
const char *condition_state_code(enum condition_state s);
int condition_state_from_code(const char *code);

/* --- construction ------------------------------------------------------ */
/* Checks reference, title, type, CPV, value, rounds; fills p->stages from
 * the template of p->type (dates unset) in the arena.  On error nothing in
 * p is meaningful. */
enum kv_status proc_init(arena *a, struct procedure *p, struct kv_error *e);
/* Number of stages the template of type t has with `rounds` rounds. */
int proc_template_size(enum proc_type t, int rounds);

enum kv_status lot_check(const struct procedure *p, const struct lot *l,
			 struct kv_error *e);
enum kv_status candidate_check(const struct candidate *c,
			       struct kv_error *e);
enum kv_status decision_check(const struct decision *d, struct kv_error *e);

/* --- the state machine -------------------------------------------------- */
/*
 * Move the dates of stage `idx`.  Refused with a reason when: the stage is
 * completed; its current deadline has passed; the new start or end lies in
 * the past (a value left unchanged may, so a running period can be
 * extended); end < start; a moment gets start != end; the order of stages
 * breaks (stages may overlap in time, as Dordrecht's dialogue ran inside
 * its selection period, but starts never decrease in template order); the
 * standstill would be shorter than the law allows (see cal_standstill_end)
 * or the definitive award would come before its end.  On success
 * p->stages[idx] changes.
 */
enum kv_status proc_move_stage(struct procedure *p, int idx,
			       kv_instant start, kv_instant end,
			       kv_instant now, const cal_calendar *cal,
			       arena *a, struct kv_error *e);

/*
 * Complete stage `idx` at `now` by account `who`.  Refused when: an earlier
 * stage is not completed (no skipping); the stage's dates are not planned;
 * a deadline has not yet passed; a decision in `decisions` that governs the
 * stage has a pending condition; a definitive award before the standstill
 * has ended.  Completing the provisional award plans the standstill from
 * the day after `now` (the day the decision is sent), with its rule.
 */
enum kv_status proc_complete_stage(struct procedure *p, int idx,
				   kv_instant now, int64_t who,
				   const struct decision *decisions,
				   int n_decisions, const cal_calendar *cal,
				   arena *a, struct kv_error *e);

/*
 * Whether the clock lets stage `idx` be completed at `now`: its dates are
 * planned, a deadline has passed, a stage has started, the standstill has
 * ended (the provisional award is sent now, whatever was planned).  The
 * refusal says when it can; proc_complete_stage checks this too.
 */
enum kv_status proc_stage_ready(const struct procedure *p, int idx,
				kv_instant now, arena *a, struct kv_error *e);

/* Which decision condition blocks stage idx, or NULL. */
const struct condition *proc_blocking_condition(
    const struct procedure *p, int idx, const struct decision *decisions,
    int n_decisions, const struct decision **which);

/*
 * Where a stage stands by the calendar and its completion together:
 * completed; overdue (planned, its end has passed, not completed: a
 * deadline not closed, a period not rounded off); running (now within
 * its period, or the moment is now); upcoming (it starts after now);
 * unplanned (no dates yet).
 */
enum stage_state {
	STATE_COMPLETED, STATE_OVERDUE, STATE_RUNNING, STATE_UPCOMING,
	STATE_UNPLANNED
};
enum stage_state proc_stage_state(const struct stage *st, kv_instant now);
const char *stage_state_code(enum stage_state s); /* "overdue" (API) */

/* The timeline as a person reads it.  current, open_now, next and
 * days_left are the API's "timeline" object; the masks say which stages
 * (bit i: stage i, for the first 64) are running and overdue now, so the
 * struct as a whole is what the clock changes in a procedure's view. */
struct timeline_view {
	int current;      /* first stage not completed, -1 when all done */
	int open_now;     /* stage whose period contains now, -1 none */
	int next;         /* next stage starting after now, -1 none */
	int64_t days_left;/* whole days until `current` ends (or starts), or -1 */
	int n_running;    /* stages running now */
	int n_overdue;    /* stages overdue now */
	uint64_t running, overdue;   /* masks, as above */
};
/* Fills out (wholly: no byte is left unset, the view is a memo key). */
void proc_timeline(const struct procedure *p, kv_instant now,
		   struct timeline_view *out);

/*
 * A stage date on a day that is not a working day under the Algemene
 * termijnenwet (a Saturday, Sunday, holiday or equated day): a warning,
 * never a refusal, since a buyer may have reasons.  For a planned stage
 * not completed: its start (the moment, for a moment) and, for a period,
 * its end, each while it is still to come (not before now: a date past
 * can no longer be moved).  Returns how many (0..2) were written to out.
 */
struct stage_day_warning {
	const char *field;        /* "start" or "end", as the move form */
	cal_date date;
	struct cal_reason why;
};
int proc_stage_day_warnings(const struct stage *st, const cal_calendar *cal,
			    kv_instant now, struct stage_day_warning out[2]);

#endif
