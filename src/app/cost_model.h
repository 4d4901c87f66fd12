/*
 * cost_model.h - a contract's cost model (core/costmodel.h) kept and read
 * (cost_model.c): the buyer's substantiation that the lot's fixed budget
 * is reëel, and its verdict per contract year.
 *
 * The model is one JSON document per contract (schema v18):
 *   {"functions": [{"name", "cao", "fte_centi", "salary_cents",
 *                   "charges_bp"}],
 *    "productive_hours", "overhead_bp", "management_bp", "material_cents",
 *    "housing_cents", "efficiency_bp", "efficiency_reason", "sources",
 *    "taakstellingen": [{"year", "cents"}]}
 * with the contract's base year as the model's.  The verdict runs over
 * the contract's years (base year to its effective end): each year's
 * budget is the indexed budget (core/indexation.c) less the taakstelling
 * the buyer expects to bite in that lot that year.  A year without index
 * figures yet is projected with the last known year's figures, and says
 * so (projected).
 */
#ifndef KAVEL_APP_COST_MODEL_H
#define KAVEL_APP_COST_MODEL_H

#include "app.h"
#include "core/costmodel.h"

#define COST_MODEL_MAX_TAAKSTELLINGEN 20

struct cost_model_view {
	bool exists;
	struct cost_model m;
	int64_t taakstelling_cents[COSTMODEL_MAX_YEARS];   /* per year of v */
	struct cost_verdict v;
	bool projected[COSTMODEL_MAX_YEARS];  /* index figures assumed */
	struct kv_error verdict_error;        /* when no verdict could be made */
	bool has_verdict;
};

/* The model of contract_id and its verdict, in x->a; exists false (and
 * KV_OK) when the buyer has made none. */
enum kv_status app_cost_model_view(struct app *x, int64_t contract_id,
				   struct cost_model_view *out,
				   struct kv_error *e);
/* The buyer sets the model from its JSON document (above): each field
 * checked (KV_INVALID naming it, "functions[1].fte"...), a taakstelling
 * only in a year of the contract and not negative; stored whole,
 * replacing the last, audited "costmodel.set" with the document.
 * Nothing is stored on a refusal. */
enum kv_status app_cost_model_set(struct app *x, int64_t contract_id,
				  const json_t *doc, struct kv_error *e);
/* The document of a model (for the API and the audit), in x->a. */
json_t *app_cost_model_json(const struct cost_model_view *v, int base_year);

#endif
