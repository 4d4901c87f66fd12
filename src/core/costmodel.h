/*
 * costmodel.h - the cost model behind a reëel budget (issue 16; the AMvB
 * reële prijs Wmo 2015, seed 004 "Het budget voor de opdracht is reëel").
 *
 * A municipality substantiates that a lot's fixed budget can carry the
 * assignment with a cost-price calculation (the VNG / PIANOo approach to
 * a reëel tarief): the staff the assignment needs per function (FTE at a
 * CAO scale and step, with the employer's charges), surcharges for
 * overhead and management, material and housing costs, less the
 * efficiency the integral assignment is expected to bring, indexed per
 * year.  This file is that arithmetic, and the verdict against the
 * budget per year:
 *
 *   per function  cost = FTE x salary x (1 + charges)
 *   staff(base)   = the sum over the functions
 *   staff(y)      = staff(y-1) + staff(y-1) x wage index(y)
 *   overhead(y)   = staff(y) x overhead %
 *   management(y) = staff(y) x management %
 *   other(y)      = other(y-1) + other(y-1) x price index(y),
 *                   other(base) = material + housing
 *   gross(y)      = staff + overhead + management + other
 *   efficiency(y) = gross(y) x efficiency %
 *   minimum(y)    = gross(y) - efficiency(y)
 *   margin(y)     = budget(y) - minimum(y): covered when >= 0
 *
 * Whole cents, each product rounded half away from zero (cents_mul_bp),
 * as the indexation does.  The index of a year is its realisation when
 * known, else its prognosis (struct index_figures).  Plain C, no I/O;
 * results in the caller's arena; every figure carries its sum as text in
 * the thread's language, as the indexation page shows them.
 */
#ifndef KAVEL_COSTMODEL_H
#define KAVEL_COSTMODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "steering.h"

#define COSTMODEL_MAX_FUNCTIONS 50
#define COSTMODEL_MAX_YEARS 20

/* One function of the team the assignment needs. */
struct cost_function {
	char *name;            /* "Wijkcoach" */
	char *cao;             /* scale and step: "CAO Sociaal Werk, schaal 8, trede 6" */
	int fte_centi;         /* FTE in hundredths: 250 is 2,50 FTE */
	int64_t salary_cents;  /* gross yearly salary at that scale and step,
				  holiday pay and year-end bonus included */
	int charges_bp;        /* the employer's charges on top (social
				  insurance, pension): 3000 is 30 % */
};

struct cost_model {
	int base_year;               /* the year the salaries are of */
	struct cost_function *functions;
	int n_functions;
	int productive_hours;        /* per FTE per year (client-bound hours) */
	int overhead_bp;             /* on the staff costs */
	int management_bp;           /* on the staff costs */
	int64_t material_cents;      /* per year, base-year prices */
	int64_t housing_cents;       /* per year, base-year prices */
	int efficiency_bp;           /* the saving expected of the integral
					assignment, off the gross costs */
	char *efficiency_reason;     /* why that saving is realistic; required
					when efficiency_bp > 0 */
	char *sources;               /* where the figures come from (the CAO's
					salary table, the overhead benchmark) */
};

/* One year of the model against the budget. */
struct cost_year {
	int year;
	int64_t staff_cents, overhead_cents, management_cents, other_cents;
	int64_t gross_cents, efficiency_cents, minimum_cents;
	int64_t budget_cents;        /* the lot's budget that year, taakstelling
					off */
	int64_t margin_cents;        /* budget - minimum */
	bool covered;                /* margin >= 0 */
	char *explanation;           /* the sums with their numbers */
};

struct cost_verdict {
	struct cost_year *years;
	int n_years;
	int64_t function_cents[COSTMODEL_MAX_FUNCTIONS];  /* each function's
					cost in the base year */
	char *function_sums[COSTMODEL_MAX_FUNCTIONS];     /* "2,50 FTE x ..." */
	int64_t per_hour_cents;      /* staff, overhead and management of the
					base year per productive hour */
	int first_short_year;        /* the first year not covered; 0: none */
};

/* Whether the model is whole and within bounds: names, FTE 0,01 to 100,
 * salaries above zero and at most EUR 10 million, percentages 0 to 100
 * (efficiency at most 50, with its reason), productive hours 1 to 2080,
 * costs at most EUR 10^10, 1 to 50 functions.  KV_INVALID naming the
 * field ("functions[2].fte", "efficiency_reason", ...). */
enum kv_status costmodel_check(const struct cost_model *m, struct kv_error *e);

/* The model for the years of budgets (budgets[i] is year m->base_year +
 * i, n from 1 to COSTMODEL_MAX_YEARS) against them, the years after the
 * base indexed by figures (n_figures; a year without figures is refused
 * naming it).  The model is checked first.  Results in a. */
enum kv_status costmodel_verdict(arena *a, const struct cost_model *m,
				 const struct index_figures *figures,
				 int n_figures, const int64_t *budgets, int n,
				 struct cost_verdict *out, struct kv_error *e);

#endif
