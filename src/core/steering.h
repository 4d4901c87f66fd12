/*
 * steering.h - the contract after the award: its parties and term, its
 * evaluation moments, task-based funding with yearly indexation, the
 * multi-year budget frame with its taakstellingen, subsidies and their
 * phase-out, the history of organisation forms, KPIs with their
 * measurements, evaluation dossiers and the risk register.
 *
 * Plain C, no I/O.  Amounts are EUR cents (int64_t); percentages are basis
 * points (1.25 % = 125); KPI values are thousandths of their unit
 * (int64_t "milli"), so no figure ever passes through a float.  Results go
 * into the caller's arena.
 */
#ifndef KAVEL_STEERING_H
#define KAVEL_STEERING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "calendar.h"
#include "error.h"
#include "procedure.h"

/* --- contracts ----------------------------------------------------------- */

enum contract_status {
	CONTRACT_PLANNED,      /* before its start */
	CONTRACT_ACTIVE,
	CONTRACT_ENDED,        /* past its end (and any extension used) */
	CONTRACT_TERMINATED,   /* ended early, with reason and decision */
};

#define CONTRACT_MAX_EVALUATIONS 6

struct contract {
	int64_t id;
	int64_t tenant_id;           /* the municipality */
	int64_t procedure_id;        /* 0: entered directly */
	int64_t lot_id;              /* 0: entered directly */
	char *reference;             /* "HLM-GIDW-2022" */
	char *title;
	struct party *parties;       /* penvoerder, members, subcontractors */
	int n_parties;
	cal_date start;              /* first day, e.g. 2022-07-01 */
	cal_date end;                /* first day after it, e.g. 2030-01-01 */
	int extension_options;       /* how many options to extend */
	int extension_months;        /* each option's length */
	int extensions_used;
	int evaluation_years[CONTRACT_MAX_EVALUATIONS]; /* e.g. {3, 6} */
	int n_evaluations;
	int64_t budget_cents;        /* the fixed yearly budget of base_year */
	int base_year;
	int wage_weight_bp;          /* composite index: wage share, e.g. 7500 */
	int price_weight_bp;         /* price share; wage + price = 10000 */
	bool terminated;
	cal_date terminated_on;
	char *termination_reason;
	char *termination_decision;  /* decision number */
};

const char *contract_status_code(enum contract_status s);  /* "active" */
const char *contract_status_label(enum contract_status s); /* translated */
/* Checks reference, title, dates (end after start), parties (a consortium
 * with exactly one penvoerder, as candidate_check), extension fields >= 0,
 * evaluation years inside the term and ascending, weights adding up to
 * 10000, budget >= 0, base_year within the term.  Names the field. */
enum kv_status contract_check(const struct contract *c, struct kv_error *e);
/* The end including the extensions used. */
cal_date contract_effective_end(const struct contract *c);
enum contract_status contract_status_on(const struct contract *c,
					cal_date today);
/* Evaluation moments: start + n years for each evaluation year. */
int contract_evaluation_dates(const struct contract *c,
			      cal_date out[CONTRACT_MAX_EVALUATIONS]);
/* Early termination: refused before the start, after the end, twice, or
 * without reason and decision number. */
enum kv_status contract_terminate(struct contract *c, cal_date on,
				  const char *reason, const char *decision,
				  struct kv_error *e);
/* Use one extension option: refused when none is left or after
 * termination. */
enum kv_status contract_extend(struct contract *c, struct kv_error *e);

/* --- arithmetic on amounts (indexation.c) -------------------------------- */

/* cents x bp / 10000, rounded half away from zero, exact for |cents| <=
 * 10^17 and |bp| <= 10^5. */
int64_t cents_mul_bp(int64_t cents, int64_t bp);
/* Basis points as people read a percentage: "4,50 %", "-0,80 %"; buf
 * >= 24 bytes. */
char *bp_format(int bp, char buf[24]);

/* --- indexation (task-based funding) -------------------------------------- */

/* The index figures of one year, as published (e.g. CPB's prognosis of the
 * wage and price development, later the realisation). */
struct index_figures {
	int year;
	int wage_prognosis_bp;
	int price_prognosis_bp;
	bool has_actual;             /* realisation known */
	int wage_actual_bp;
	int price_actual_bp;
};

/* One year of the indexed budget, every figure traceable to its inputs.
 * In the base year only budget_cents is set (the contract's budget).  In
 * a later year y (indexation.c has the whole rule; P is the composite
 * prognosis, A the composite realisation):
 *   correction = base(y-1) x (A(y-1) - P(y-1)), base(y-1) being the
 *                amount year y-1's indexation was applied to (that year's
 *                previous + correction); 0 when y-1 is the base year or
 *                A(y-1) is not known;
 *   indexation = (previous + correction) x P(y);
 *   budget     = previous + correction + indexation. */
struct indexed_year {
	int year;
	int64_t previous_cents;       /* last year's budget as paid (0 in the
					 base year) */
	int composite_prognosis_bp;   /* P(y) = (wage_w x wage_p + price_w x
					 price_p) / 10000, rounded */
	int64_t indexation_cents;     /* (previous + correction) x P(y) */
	int64_t correction_cents;     /* year y-1's prognosis corrected to its
					 realisation: base(y-1) x (A(y-1) -
					 P(y-1)), carried structurally into
					 the base from year y on; 0 when not
					 known */
	int64_t budget_cents;         /* previous + correction + indexation */
	char *explanation;            /* the sums with their numbers, in the
					 thread's language */
};

/*
 * index_budget - the yearly budget of contract c for base_year..to_year.
 * The base year pays c->budget_cents.  Each later year y pays last year's
 * budget, indexed by the composite prognosis for y, plus the correction of
 * year y-1's prognosis to its realisation (as the VNG Contractstandaard
 * does), applied to the amount year y-1's indexation was applied to, and
 * carried into the base.  Rounded to whole cents, half away from zero, at
 * each step.  A year without figures is refused naming it.  out has
 * to_year - base_year + 1 entries.
 */
enum kv_status index_budget(arena *a, const struct contract *c,
			    const struct index_figures *figures, int n,
			    int to_year, struct indexed_year **out,
			    int *n_out, struct kv_error *e);
/* Composite of two figures by weights (basis points), rounded. */
int index_composite_bp(int wage_weight_bp, int price_weight_bp,
		       int wage_bp, int price_bp);

/* --- the budget frame ------------------------------------------------------ */

#define FRAME_MAX_YEARS 12

/* One row: a budget category, or a taakstelling (a cut target, negative). */
struct frame_row {
	char *category;
	bool taakstelling;
	int64_t cents[FRAME_MAX_YEARS];
	bool has[FRAME_MAX_YEARS];   /* a cell may be empty */
};

struct budget_frame {
	int64_t id;
	int64_t tenant_id;
	char *title;                 /* "Beschikbare budgetten Wmo" */
	int first_year;
	int n_years;
	struct frame_row *rows;
	int n_rows;
	char *source;                /* "Collegebesluit 2021/34505" */
};

/* Totals per year (all rows, taakstellingen included): totals[n_years]. */
void frame_totals(const struct budget_frame *f, int64_t *totals);

/*
 * frame_parse_csv - a budget frame from CSV text (libcsv).  The first line
 * is the header: a first cell (e.g. "categorie"), then one year per column,
 * consecutive.  Each further line is a category and its amounts; a line
 * whose category starts with "Taakstelling" or "Totaal taakstellingen", or
 * whose optional last column "taakstelling" is 1/ja/yes, is a taakstelling
 * row.  A line "Totaal" (case-insensitive), if present, is checked against
 * the computed totals and refused when it differs.  Amounts are in euros
 * (eur_parse), or in thousands when `thousands` is set (the seed's k€).
 * Separators ',' or ';' (detected from the header).  Any bad line refuses
 * the whole import: e->field is "line N" and the message names the column
 * and the reason.  Nothing partial is returned.
 */
enum kv_status frame_parse_csv(arena *a, const char *data, size_t len,
			       bool thousands, struct budget_frame *out,
			       struct kv_error *e);

/* What the municipality has committed in one year (a lot's budget, a
 * subsidy), to check against the frame. */
struct commitment {
	const char *what;
	int year;
	int64_t cents;
};

struct frame_warning {
	int year;
	int64_t frame_cents;         /* the frame's total that year */
	int64_t committed_cents;     /* the commitments' sum */
	char *text;                  /* translated sentence */
};

/* Years where commitments exceed the frame's total.  Returns the count. */
int frame_check(arena *a, const struct budget_frame *f,
		const struct commitment *c, int n, struct frame_warning **out);

/* --- subsidies ---------------------------------------------------------- */

enum subsidy_kind {
	SUBSIDY_MULTI_YEAR,     /* meerjarige subsidie */
	SUBSIDY_BUDGET,         /* begrotingssubsidie */
	SUBSIDY_ANNUAL,         /* jaarlijkse subsidie */
	SUBSIDY_INCIDENTAL,     /* eenmalige subsidie */
};

enum subsidy_state { SUBSIDY_ACTIVE, SUBSIDY_ENDED, SUBSIDY_PHASING_OUT };

#define SUBSIDY_MAX_PHASE_YEARS 5

struct subsidy {
	int64_t id;
	int64_t tenant_id;
	int64_t recipient_org_id;
	char *recipient_name;        /* filled by the store */
	char *purpose;               /* "Buurtwerk" */
	enum subsidy_kind kind;
	int from_year, to_year;      /* inclusive */
	int64_t cents_per_year;
	char *decision;              /* the granting decision's number */
	/* extension or termination */
	char *end_decision;          /* decision ending or extending it */
	/* phase-out arrangement (afbouwregeling) for an incumbent that lost */
	bool phase_out;
	int phase_out_years;         /* 1..SUBSIDY_MAX_PHASE_YEARS after to_year */
	int phase_out_pct[SUBSIDY_MAX_PHASE_YEARS]; /* % of the yearly amount
						      paid in each year */
	char *phase_out_scope;       /* what decreases: overhead, support staff */
	char *staff_taken_over;      /* staff the winner takes over */
};

const char *subsidy_kind_code(enum subsidy_kind k);   /* "multi-year" */
const char *subsidy_kind_label(enum subsidy_kind k);  /* translated */
int subsidy_kind_from_code(const char *s);
enum kv_status subsidy_check(const struct subsidy *s, struct kv_error *e);
/* The amount paid in a year, phase-out included (percentages
 * non-increasing, each 0..100). */
int64_t subsidy_amount_in(const struct subsidy *s, int year);
enum subsidy_state subsidy_state_in(const struct subsidy *s, int year);
/* Extend to a later to_year, with the decision. */
enum kv_status subsidy_extend(struct subsidy *s, int to_year,
			      const char *decision, struct kv_error *e);
/* End early after last_year, with the decision; phase_out (may be NULL)
 * carries an afbouwregeling (phase_out, _years, _pct, _scope, staff). */
enum kv_status subsidy_terminate(struct subsidy *s, int last_year,
				 const char *decision,
				 const struct subsidy *phase_out,
				 struct kv_error *e);

/* --- the organisation-form history ---------------------------------------- */

enum org_form {
	FORM_SEPARATE_SUBSIDIES,     /* aparte subsidies per organisatie */
	FORM_ONE_PENVOERDER,         /* één penvoerder */
	FORM_MAIN_CONTRACTOR,        /* hoofdaannemer met onderaannemers */
	FORM_EQUAL_PARTIES,          /* twee gelijkwaardige partijen, één penvoerder */
	FORM_CONSORTIUM_CONTRACT,    /* samenwerkingsverband onder contract */
	FORM_SINGLE_PROVIDER,        /* één aanbieder */
};

struct form_period {
	int64_t id;
	int64_t tenant_id;
	char *assignment;            /* "Sociaal Wijkteam" */
	int from_year;
	int to_year;                 /* 0: still so */
	enum org_form form;
	char *parties;               /* "Stichting De Sociale Basis (penvoerder), ..." */
	char *source;                /* "Memo 20 april 2020" */
};

const char *org_form_code(enum org_form f);
const char *org_form_label(enum org_form f);
int org_form_from_code(const char *s);
/* Checks one period against the others of the same assignment: no
 * overlap, from <= to. */
enum kv_status form_period_check(const struct form_period *p,
				 const struct form_period *others, int n,
				 struct kv_error *e);

/* --- KPIs ------------------------------------------------------------------ */

enum kpi_direction { KPI_HIGHER_IS_BETTER, KPI_LOWER_IS_BETTER };
enum kpi_frequency { KPI_MONTHLY, KPI_QUARTERLY, KPI_YEARLY };

struct kpi {
	int64_t id;
	int64_t contract_id;
	char *name;                  /* unique per contract */
	char *definition;
	char *unit;                  /* "%", "inwoners", "dagen" */
	enum kpi_direction direction;
	bool has_target;
	int64_t target_milli;
	char *source;                /* where the figure comes from */
	enum kpi_frequency frequency;
};

struct measurement {
	int64_t id;
	int64_t kpi_id;
	char period[8];              /* "2023-05", "2023-Q2" or "2023" */
	char *area;                  /* the lot or wijk, "" for all */
	int64_t value_milli;
};

const char *kpi_direction_code(enum kpi_direction d);
int kpi_direction_from_code(const char *s);
const char *kpi_frequency_code(enum kpi_frequency f);
int kpi_frequency_from_code(const char *s);
enum kv_status kpi_check(const struct kpi *k, struct kv_error *e);
/* The period must fit the frequency: "2023-05", "2023-Q2", "2023". */
enum kv_status kpi_period_check(enum kpi_frequency f, const char *period,
				const char *field, struct kv_error *e);
/* "12,5" / "12.5" / "-3" into thousandths. */
enum kv_status kpi_value_parse(const char *s, int64_t *milli,
			       const char *field, struct kv_error *e);
char *kpi_value_format(arena *a, int64_t milli);   /* "12,5" (nl) */
/* On target?  1 met, 0 not, -1 no target. */
int kpi_on_target(const struct kpi *k, int64_t value_milli);

/*
 * measurements_parse_csv - measurements from CSV text (libcsv): header
 * "kpi,periode,gebied,waarde" (or English "kpi,period,area,value"; order
 * as in the header).  kpi names one of `kpis` by name.  Every line is
 * checked (known KPI, period fits its frequency, value a number, no
 * duplicate kpi+period+area within the file); the first bad line refuses
 * the whole import with e->field "line N" and the reason.
 */
enum kv_status measurements_parse_csv(arena *a, const struct kpi *kpis,
				      int n_kpis, const char *data,
				      size_t len, struct measurement **out,
				      int *n_out, struct kv_error *e);

/* --- evaluations and risks -------------------------------------------------- */

enum evaluation_outcome { EVAL_PENDING, EVAL_POSITIVE, EVAL_NEGATIVE };

struct evaluation {
	int64_t id;
	int64_t contract_id;
	int after_year;              /* 3, 6 */
	cal_date due;
	enum evaluation_outcome outcome;
	char *notes;
	char *decision;              /* a negative outcome's decision */
};

const char *evaluation_outcome_code(enum evaluation_outcome o);
int evaluation_outcome_from_code(const char *s);

enum risk_level { RISK_LOW, RISK_MEDIUM, RISK_HIGH };

struct risk {
	int64_t id;
	int64_t tenant_id;
	int64_t procedure_id;        /* 0: not tied to one */
	char *title;
	char *description;
	char *mitigation;
	enum risk_level level;
	char *status;                /* free text: "gedekt mits ..." */
};

const char *risk_level_code(enum risk_level l);
int risk_level_from_code(const char *s);
enum kv_status risk_check(const struct risk *r, struct kv_error *e);

/* --- helpers shared by the steering files -----------------------------------
 * steering_note_check is in contract.c, steering_csv_read in frame.c. */

/* A longer text (notes, a reason, a mitigation, a definition): valid UTF-8,
 * line breaks and tabs allowed, no other control characters, at most max
 * bytes.  NULL counts as empty; `required` refuses empty or only spaces. */
enum kv_status steering_note_check(const char *s, size_t max, bool required,
				   const char *field, struct kv_error *e);

/* A CSV file read whole with libcsv (at most 4 MiB).  The separator is ';'
 * when the first line that is not blank has one, else ','.  A UTF-8
 * byte-order mark is skipped; cells are trimmed; lines without any
 * non-empty cell are left out; each row keeps the 1-based line of the file
 * it starts on.  Refused (e->field "line N") when the text holds a NUL
 * byte, a quote is not closed, a line has more than 64 cells or there are
 * more than max_rows rows (header included); an empty file gives 0 rows. */
struct steering_csv_row {
	int line;
	int n_cells;
	char **cells;
};

struct steering_csv {
	char sep;
	struct steering_csv_row *rows;
	int n_rows;
};

enum kv_status steering_csv_read(arena *a, const char *data, size_t len,
				 int max_rows, struct steering_csv *out,
				 struct kv_error *e);

#endif
