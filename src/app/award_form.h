/*
 * award_form.h - a lot's award rules as the buyer's form holds them
 * (award_form.c), so that a person builds them without typing a JSON
 * document, basis points or keys.
 *
 * The form keeps every value as typed (text): the criteria tree as rows
 * in order, each with its level (a row one level deeper than the row
 * before it is that row's sub-criterion), the scales once for the lot
 * (each leaf criterion picks one), the method chosen from a list and its
 * numbers in euros, percent or a factor, the tie rule.  Weights are
 * typed in percent (criteria of one level add up to 100 %, the price in
 * percent of the total) or in points (a criterion's points are the sum
 * of its sub-criteria's, the total is the price's points plus the main
 * criteria's).
 *
 * app_award_form_document reads the form into the rules document the
 * API takes (app.h), with every refusal at its field; the page then
 * saves that document through app_award_rules_put, the API's action, so
 * both paths are checked by the same code.  Saved rules read back into a
 * form (in percent, exactly); the form's buttons (add a criterion, nest
 * one, remove one, a scale or a step more or less) edit it without
 * saving; each method of the list comes with a worked example scored by
 * core/award.c on sample bids.
 *
 * Field names (the request's keys, and kv_error.field of a refusal):
 * "weighing", "method", "price_weight", "lower", "upper", "log_k",
 * "budget", "tie_rule", "tie_criterion", "averaging",
 * "price_after_quality"; per row i "c<i>-key", "c<i>-level", "c<i>-name",
 * "c<i>-description", "c<i>-weight", "c<i>-value", "c<i>-scale",
 * "c<i>-knock_out", and "c<i>-sum" for its sub-criteria's sum ("sum" for
 * the main criteria's); per scale k (from 0) and step j "s<k>-<j>-value",
 * "s<k>-<j>-meaning", and "s<k>" for the scale as a whole; "criteria"
 * for the tree as a whole.  Everything in the arena given.
 */
#ifndef KAVEL_APP_AWARD_FORM_H
#define KAVEL_APP_AWARD_FORM_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"

#define AWARD_FORM_MAX_SCALES 8
#define AWARD_FORM_MAX_LEVEL 3     /* main criteria 0, sub-criteria 1..3 */
#define AWARD_FORM_MAX_ERRORS 256

struct award_form_step {
	const char *value;           /* percent of the criterion's maximum */
	const char *meaning;
};

struct award_form_scale {
	int n_steps;
	struct award_form_step steps[AWARD_MAX_STEPS];
};

struct award_form_row {
	const char *key;             /* as saved, or made when the row was
					added ("c3"): never typed */
	int level;
	const char *name;
	const char *description;
	const char *weight;          /* percent of the level above, or points */
	const char *value;           /* fictive price: what full marks are
					worth, in euros */
	int scale;                   /* 1-based index into scales, 0 none */
	bool knock_out;
};

enum award_form_weighing {
	AWARD_FORM_PERCENT,
	AWARD_FORM_POINTS,
};

struct award_form {
	enum award_form_weighing weighing;
	const char *method;          /* a code of award_form_methods */
	const char *price_weight;    /* percent of the total, or points */
	const char *lower, *upper;   /* absolute price scoring, euros */
	const char *log_k;           /* logarithmic: "2" */
	const char *budget;          /* quality at a fixed budget, euros */
	const char *tie_rule;        /* "lowest-price", "criterion", "drawing" */
	const char *tie_criterion;   /* a row's key */
	bool averaging;
	bool price_after_quality;
	struct award_form_row *rows;
	int n_rows;
	struct award_form_scale *scales;
	int n_scales;
};

/* Whether the rules of the procedure's lots can still change: refused
 * (KV_DENIED, with the reason) once the bids are opened or the tender
 * deadline has passed.  app_award_rules_put's own test (award_actions.c),
 * so that the page offers no form that could not be saved. */
enum kv_status app_award_rules_open(struct app *x, const struct procedure *p,
				    struct kv_error *e);

/* Assessors assigned by ticking lots and criteria (award_actions.c): the
 * account picked, one of app_award_assessor_choices (read_award.h; any
 * other id is refused at field "assessor"), becomes an assessor of the procedure unless it assesses or buys it
 * already, and is assigned on each lot as app_award_assign does (keys:
 * "*" or top-level criteria).  All or nothing, in one transaction; errs
 * (room for n + 1) gets every refusal, the assessor's with field
 * "assessor", a lot's with field "lot-<lot id>". */
struct award_lot_assignment {
	int64_t lot_id;
	const char *const *keys;
	int n;
};
enum kv_status app_award_assign_lots(struct app *x, int64_t procedure_id,
				     int64_t account_id,
				     const struct award_lot_assignment *lots,
				     int n, struct kv_error *errs, int *n_errs);

/* The methods a buyer picks from: the weighted factor once per way of
 * scoring the price, then the other methods. */
struct award_form_method {
	const char *code;            /* "weighted-relative" */
	enum award_method_kind kind;
	enum award_price_scoring scoring;   /* AWARD_WEIGHTED */
	const char *label;           /* msgid */
};
extern const struct award_form_method award_form_methods[];
extern const int award_form_n_methods;

/* A new lot's form: one main criterion, one scale (0, 25, 50, 75 and
 * 100 % with their meanings in the thread's language), the weighted
 * factor with relative price scoring, the lowest price deciding a tie,
 * the price envelope sealed until quality is final. */
void app_award_form_new(arena *a, struct award_form *f);

/* After the form was read from a request: a level deeper than one below
 * the row before it comes up to that, a scale that is not there is none,
 * a row without a key gets one (the hidden fields are not typed by a
 * person; whatever they hold, the tree stays a tree). */
void app_award_form_tidy(arena *a, struct award_form *f);

/* Saved rules as the form shows them, weights in percent; the leaves'
 * scales gathered into as few scales as there are different ones. */
void app_award_form_of_rules(arena *a, const struct award_rules *r,
			     struct award_form *f);

/* One of the form's buttons, without saving: "refresh" (nothing: the
 * page shows its sums and examples again), "add" (a main criterion at
 * the end), "sub-<i>" (a sub-criterion of row i, after its last one),
 * "del-<i>" (row i and its sub-criteria), "scale-add", "scale-del-<k>",
 * "step-add-<k>", "step-del-<k>-<j>".  Refused (KV_INVALID, naming the
 * field to look at) when the op is unknown or would pass a limit
 * (AWARD_MAX_CRITERIA rows, AWARD_FORM_MAX_LEVEL, AWARD_FORM_MAX_SCALES,
 * 2..AWARD_MAX_STEPS steps).  *focus is the id the page scrolls to
 * afterwards ("c4-name"). */
enum kv_status app_award_form_op(arena *a, struct award_form *f,
				 const char *op, const char **focus,
				 struct kv_error *e);

/* Every refusal of one form, at most AWARD_FORM_MAX_ERRORS, the first
 * per field. */
struct award_form_errors {
	int n;
	struct kv_error *items;
};
void app_award_form_errors_add(arena *a, struct award_form_errors *fe,
			       const struct kv_error *e);
const char *app_award_form_error_for(const struct award_form_errors *fe,
				     const char *field);

/* The rules document of the form (a new reference), or NULL with every
 * refusal in fe; when it is made, app_award_rules_parse accepts it.
 * Rows without a key get one. */
json_t *app_award_form_document(arena *a, const struct award_form *f,
				struct award_form_errors *fe);

/* What the page shows beside the weights, from what was typed (a figure
 * that cannot be read yet is ""): per row its share of the whole award
 * ("18 %") and, for a row with sub-criteria, their sum ("100 %" or
 * "40 points"); the main criteria's sum, and the price's share. */
struct award_form_sums {
	const char **share;          /* per row */
	const char **sub_sum;        /* per row, "" when it has none */
	bool *sub_ok;                /* per row: the sum is what it must be */
	bool *leaf;                  /* per row: has no sub-criteria */
	const char *top_sum;
	bool top_ok;
	const char *price_share;
};
void app_award_form_sums(arena *a, const struct award_form *f,
			 struct award_form_sums *s);

/* A worked example of one method: three sample bids around `around`
 * euro cents (the lot's estimated value; 0: one million euros), scored
 * by award_rank with the form's numbers where they can be read and
 * sample numbers for the rest (which `note` names).  Sentences in the
 * thread's language. */
struct award_example_bid {
	const char *name;            /* "Bid A" */
	const char *price;           /* "€ 900.000,00" */
	const char *quality;         /* "60.00 %", "" for lowest price */
	const char *price_points;    /* weighted: "100.00 %", else "" */
	const char *result;          /* app_award_result_text, or why invalid */
	int rank;                    /* 0: invalid */
};
struct award_example {
	const char *formula;         /* award_method_formula with its numbers */
	const char *note;            /* which numbers are samples, or "" */
	struct award_example_bid bids[3];
	int n_bids;
};
enum kv_status app_award_form_example(arena *a, const struct award_form *f,
				      const struct award_form_method *m,
				      int64_t around, char mark,
				      struct award_example *out,
				      struct kv_error *e);

#endif
