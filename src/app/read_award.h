/*
 * read_award.h - what the award pages, the API and the award documents
 * read about a lot's evaluation and award, assembled from the store
 * (read_award.c); the actions themselves are in app.h (award_actions.c).
 *
 * The sentences here (a result, a weight's sensitivity, a rank reversal,
 * the Monte Carlo) are the same on the ranking page, in the decision's
 * snapshot read back for its letters, the award file and the scoring
 * matrix; they are in the thread's language.  Everything in x->a.
 */
#ifndef KAVEL_APP_READ_AWARD_H
#define KAVEL_APP_READ_AWARD_H

#include "app/app.h"
#include "report/report.h"

/* The tree of criteria (award_rules.c): how many parents criterion i has
 * (at most AWARD_MAX_DEPTH_SHOWN), and its share of the whole award in
 * basis points, rounded down at each level (a weighted method's price
 * share taken off first). */
#define AWARD_MAX_DEPTH_SHOWN 8
int app_award_depth(const struct award_rules *r, int i);
int64_t app_award_weight_total_bp(const struct award_rules *r, int i);

/* ppm of full marks as "81,25 %" (or "81 %" when whole: dec_format);
 * mark is the decimal mark of the reader's language (',' Dutch, '.'
 * English; the web's view_decimal_mark). */
const char *app_award_pct(arena *a, int64_t ppm, char mark);
/* A decision's status as the API names it: "provisional",
 * "definitive" or "superseded". */
const char *app_award_status_code(enum award_decision_status s);
/* The method's figure of a result: "total score 81.25 %", "fictive
 * price € 1.000.000,00", ...; "invalid" for an invalid bid. */
const char *app_award_result_text(arena *a, const struct award_rules *r,
				  bool valid, int64_t quality_ppm,
				  int64_t total_ppm, int64_t fictive_cents,
				  int64_t ratio_cents, char mark);
/* How far a weight moves (bp < 0: no move changes the winner) before
 * `who` wins ("" is a tie put to the buyer). */
const char *app_award_sens_sentence(arena *a, int bp, const char *who,
				    bool up, char mark);
const char *app_award_reversal_sentence(arena *a, const char *removed,
					bool order_changed,
					bool winner_changed,
					const char *new_winner);
const char *app_award_mc_sentence(arena *a, const struct award_mc *mc,
				 char mark);

/* A lot's award rules as announced: KV_NOT_FOUND when the lot has none
 * yet (or the procedure has no such lot).  *text is the canonical
 * document, indented, for the buyer's form. */
enum kv_status app_award_rules_read(struct app *x, int64_t procedure_id,
				    int64_t lot_id, struct award_setup_rec *s,
				    struct award_rules *r, const char **text,
				    struct kv_error *e);

/* The account of an assessor to assign, by e-mail address; refused with
 * field "assessor" when the address is blank or unknown. */
enum kv_status app_award_assessor_id(struct app *x, const char *email,
				     int64_t *account_id,
				     struct kv_error *e);

/* The accounts assigned on some lot of the procedure, each once, by name:
 * those a buyer picks from when assigning assessors. */
struct award_assessor {
	int64_t account_id;
	const char *email, *name;
	bool buyer;                  /* (choices only) a buyer who scores too */
};
enum kv_status app_award_assessors(struct app *x, int64_t procedure_id,
				   struct award_assessor **out, int *n,
				   struct kv_error *e);
/* Whom a buyer picks an assessor from in the assignment form, by name:
 * the own accounts (not disabled) of the procedure's municipality that
 * hold the assessor role there, on any of its procedures, and its
 * buyers, who may score too.  Another municipality's accounts and
 * bidders are never among them. */
enum kv_status app_award_assessor_choices(struct app *x, int64_t procedure_id,
					  struct award_assessor **out, int *n,
					  struct kv_error *e);
/* What an assignment covers, for a person: "all criteria" or the
 * criterion's name (its key when the rules no longer have it). */
const char *app_award_assignment_label(const struct award_rules *r,
				       const char *key);

/* The award decisions of a lot (lot_id 0: of every lot), by number. */
enum kv_status app_award_decisions(struct app *x, int64_t procedure_id,
				   int64_t lot_id,
				   struct award_decision_rec **out, int *n,
				   struct kv_error *e);
/* The decision numbered `number` of the lot, or (number 0) its current
 * one: the last that is not superseded.  Refused (KV_DENIED) when there
 * is none. */
enum kv_status app_award_decision_get(struct app *x, int64_t procedure_id,
				      int64_t lot_id, int number,
				      struct award_decision_rec *out,
				      struct kv_error *e);
/* The lot's decisions and the objections against them, and the bids on
 * the lot (the candidates who may object, for the buyer's pick). */
struct award_objections_view {
	struct award_decision_rec *decisions;
	int n_decisions;
	struct award_objection *objections;
	int n_objections;
	struct award_bidder *bidders;
	int n_bidders;
};
enum kv_status app_award_objections(struct app *x, int64_t procedure_id,
				    int64_t lot_id,
				    struct award_objections_view *out,
				    struct kv_error *e);

/* A decision's snapshot read back as the document its letters, the
 * award file and the scoring matrix are made from (report.h), in the
 * thread's language.  cands[k] is the candidate of d->bids[k]. */
enum kv_status app_award_doc(struct app *x, int64_t procedure_id,
			     const struct award_decision_rec *dec,
			     struct award_doc *d, int64_t **cands,
			     struct kv_error *e);

/* Small lookups of the scoring page over app_award_view's result. */
/* The score of (candidate, key) in s: its motivation and *step, or NULL
 * and *step -1 when there is none. */
const char *app_award_score_of(const struct award_score_rec *s, int n,
			       int64_t candidate_id, const char *key,
			       int *step);
/* Whether account_id has handed in its scores on the lot. */
bool app_award_card_in(const struct award_view *v, int64_t account_id);
/* Whether the viewer scores any leaf criterion of the lot. */
bool app_award_scores_any(const struct award_view *v);

#endif
