/*
 * award.h - scoring the bids of one lot (EMVI / BPKV, Aanbestedingswet
 * 2012 art. 2.114): the award criteria and their scales, the award
 * methods with their formulas, the ranking with the announced tie rule,
 * and the robustness of the outcome (weight sensitivity, rank reversal,
 * Monte Carlo over the consensus scores).
 *
 * Plain C, no I/O.  Amounts are EUR cents (int64_t); weights and scale
 * values are basis points (bp, 10000 = 100 %); scores are millionths of
 * the maximum ("ppm", AWARD_SCORE_MAX = 1000000 = full marks), so no
 * figure passes through a float, except inside the logarithmic price
 * scoring (see award.c) and the Monte Carlo's probability and interval.
 * Results go into the caller's arena.
 *
 * Rounding (the one rule, everywhere): a quotient of non-negative integers
 * is rounded to the nearest integer, half away from zero.  Each criterion
 * with sub-criteria gets the weighted sum of its sub-criteria's scores,
 * rounded to a whole ppm; the total of a weighted method is computed from
 * price points and the top-level criteria's scores without rounding in
 * between and then rounded to a whole ppm; the ranking uses the published
 * (rounded) figures.
 */
#ifndef KAVEL_AWARD_H
#define KAVEL_AWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

#define AWARD_MAX_STEPS 12
#define AWARD_MAX_CRITERIA 64
#define AWARD_MAX_BIDS 200
#define AWARD_SCORE_MAX 1000000     /* ppm: full marks */
#define AWARD_BP_WHOLE 10000

/* --- criteria ------------------------------------------------------------ */

/* A scale: n_steps steps, step s worth value_bp[s] basis points of the
 * criterion's maximum, strictly ascending within 0..10000 (e.g. {0, 2500,
 * 6000, 10000}), each with the meaning the tender documents give it
 * ("onvoldoende", "voldoende", ...; may be NULL). */
struct award_scale {
	int n_steps;
	int value_bp[AWARD_MAX_STEPS];
	const char *meaning[AWARD_MAX_STEPS];
};

/* A mark scale lo..hi (e.g. 1..10): step s is mark lo + s, worth
 * (lo + s) x 10000 / hi basis points, rounded; no meanings.  hi > lo >= 0,
 * at most AWARD_MAX_STEPS marks (else n_steps = 0, which the check
 * refuses). */
struct award_scale award_scale_marks(int lo, int hi);

/* One criterion or sub-criterion.  The criteria of a lot are an array in
 * which every parent comes before its sub-criteria (so there are no
 * cycles); a criterion without sub-criteria is a leaf and is scored on
 * its scale.  Siblings' weights add up to 10000 (the top-level criteria
 * share the quality part of the total). */
struct award_criterion {
	int id;                      /* unique within the lot */
	int parent;                  /* the parent's id, -1 for top level */
	const char *name;
	int weight_bp;               /* share of its parent, 1..10000 */
	struct award_scale scale;    /* leaves only */
	bool knock_out;              /* leaves only: the lowest step excludes
					the bid */
	int64_t value_cents;         /* leaves, fictive price only: what the
					top step is worth in euros; a step
					is worth value x value_bp / 10000 */
};

/* Refuses: no name; a duplicate id; a parent that is unknown or listed
 * after its sub-criterion; a weight outside 1..10000; siblings whose
 * weights do not add up to 10000 (naming the parent and the sum); a leaf
 * without a scale (fewer than two steps) or with too many steps; scale
 * values outside 0..10000 or not strictly ascending; a knock-out on a
 * criterion with sub-criteria; a negative value.  n = 0 is allowed (a
 * lot awarded on price alone). */
enum kv_status award_criteria_check(const struct award_criterion *c, int n,
				    struct kv_error *e);

/* --- methods and the tie rule --------------------------------------------- */

enum award_method_kind {
	AWARD_WEIGHTED,              /* weighted factor: price points +
					quality score; highest total wins */
	AWARD_FICTIVE_PRICE,         /* gunnen op waarde: price minus the
					worth of the quality; lowest wins */
	AWARD_QUALITY_ONLY,          /* fixed budget: highest quality wins,
					bids above the budget are invalid */
	AWARD_LOWEST_PRICE,
	AWARD_PRICE_QUALITY_RATIO,   /* price / quality score; lowest wins */
};

enum award_price_scoring {
	AWARD_PRICE_ABSOLUTE,        /* between announced bounds */
	AWARD_PRICE_RELATIVE,        /* lowest / price */
	AWARD_PRICE_LOG,             /* 1 - ln(price/lowest) / ln(k) */
};

struct award_method {
	enum award_method_kind kind;
	/* AWARD_WEIGHTED */
	enum award_price_scoring price_scoring;
	int price_weight_bp;         /* price's share of the total, 0..10000;
					the criteria share the rest */
	int64_t lower_cents;         /* ABSOLUTE: full points at or below */
	int64_t upper_cents;         /* ABSOLUTE: no points at or above */
	int log_k_bp;                /* LOG: a price k x the lowest scores 0;
					k in basis points, > 10000
					(20000: twice the lowest) */
	/* AWARD_QUALITY_ONLY */
	int64_t budget_cents;
};

enum award_tie_rule {
	AWARD_TIE_LOWEST_PRICE,      /* equal score: the lower price wins */
	AWARD_TIE_CRITERION,         /* the higher score on tie_criterion_id */
	AWARD_TIE_DRAWING,           /* lots drawn before a notary: the
					ranking puts the tie to the buyer */
};

struct award_lot {
	const struct award_criterion *criteria;
	int n_criteria;
	struct award_method method;
	enum award_tie_rule tie_rule;
	int tie_criterion_id;        /* AWARD_TIE_CRITERION */
};

/* award_criteria_check, then the method's parameters (price weight within
 * 0..10000 and 10000 when there are no criteria; bounds 0 <= lower <
 * upper; k > 10000; budget > 0; quality methods need criteria) and the tie
 * rule (its criterion exists). */
enum kv_status award_lot_check(const struct award_lot *lot,
			       struct kv_error *e);

const char *award_method_code(enum award_method_kind k);   /* "weighted" */
const char *award_method_label(enum award_method_kind k);  /* translated */
int award_method_from_code(const char *s);                 /* -1 unknown */
const char *award_tie_rule_label(enum award_tie_rule r);   /* translated */

/* The method's formula as a sentence in the thread's language, with the
 * lot's announced numbers (weights, bounds, k, budget) filled in, mark
 * their decimal mark (',' for a Dutch page, '.' for the JSON API). */
char *award_method_formula(arena *a, const struct award_method *m, char mark);

/* --- ranking -------------------------------------------------------------- */

/* A bid as the assessors' consensus scored it. */
struct award_bid {
	int id;
	const char *name;
	int64_t price_cents;         /* > 0 */
	const int *steps;            /* n_criteria entries: steps[i] is the
					consensus step (0-based) on
					criteria[i]; read for leaves only */
	bool knocked_out;            /* excluded before scoring (e.g. a
					suitability requirement not met) */
	const char *knock_out_reason;/* required when knocked_out */
};

struct award_result {
	bool valid;
	const char *invalid_reason;  /* translated, NULL when valid */
	int64_t quality_ppm;         /* the criteria tree's score */
	int64_t price_ppm;           /* WEIGHTED: price points */
	int64_t total_ppm;           /* WEIGHTED: the total; QUALITY_ONLY:
					the quality score */
	int64_t fictive_cents;       /* FICTIVE_PRICE */
	int64_t ratio_cents;         /* PRICE_QUALITY_RATIO: price per full
					quality score, price x 10^6 /
					quality_ppm */
	int rank;                    /* 1 = best; equal when tied and put to
					the buyer; 0 when invalid */
	bool put_to_buyer;           /* tied and the rule cannot decide */
	int64_t *node_ppm;           /* every criterion's score, as criteria */
};

struct award_ranking {
	struct award_result *results; /* results[i] is bids[i] */
	int *order;                   /* valid bids' indices, best first,
					 then the invalid ones in input
					 order: n entries */
	int n, n_valid;
	int winner;                   /* index into bids; -1 when no valid
					 bid or the first place is put to
					 the buyer */
};

/* Scores and ranks the bids of a lot.  Refused: an invalid lot
 * (award_lot_check), more than AWARD_MAX_BIDS bids, a price <= 0, a step
 * outside its scale, a knock-out without a reason. */
enum kv_status award_rank(arena *a, const struct award_lot *lot,
			  const struct award_bid *bids, int n,
			  struct award_ranking *out, struct kv_error *e);

/* --- robustness ------------------------------------------------------------ */

/* How far one top-level weight can move before the winner changes.  The
 * item's weight w moves to w +/- d (whole basis points of the total); the
 * other top-level weights are rescaled proportionally so the total stays
 * 10000; every integer d is tried outward from 0 until the winner is
 * another bid or the first place is put to the buyer. */
struct award_sensitivity {
	int criterion_id;            /* -1: price */
	const char *name;            /* the criterion's, or "Price" translated */
	int weight_bp;               /* in the total, rounded to a whole bp */
	int up_bp;                   /* smallest increase that changes the
					winner; -1 when none up to 10000 */
	int up_winner;               /* bid index winning there; -1 put to
					the buyer */
	int down_bp;                 /* smallest decrease; -1 none down to 0 */
	int down_winner;
};

/* One item per top-level criterion (and price first, for AWARD_WEIGHTED).
 * Needs a method that weighs criteria (weighted, quality only, price/
 * quality ratio), at least two items and a single winner. */
enum kv_status award_weight_sensitivity(arena *a, const struct award_lot *lot,
					const struct award_bid *bids, int n,
					struct award_sensitivity **out,
					int *n_out, struct kv_error *e);

/* Removing one valid non-winning bid and ranking again. */
struct award_reversal {
	int removed;                 /* bid index */
	bool order_changed;          /* some pair of the other valid bids
					now ranks the other way (or tied /
					untied) */
	bool winner_changed;
	int new_winner;              /* bid index, -1 put to the buyer */
};

enum kv_status award_rank_reversal(arena *a, const struct award_lot *lot,
				   const struct award_bid *bids, int n,
				   struct award_reversal **out, int *n_out,
				   struct kv_error *e);

/* Monte Carlo: in each scenario every consensus step of every bid that
 * was not knocked out beforehand or above the budget (so a bid excluded
 * by a knock-out criterion's lowest step takes part too) moves one step with probability p_bp / 10000, up or
 * down with equal chance (a move past either end of the scale stays); the
 * scenario is ranked by the lot's full rule (knock-out criteria, price
 * scoring against the scenario's lowest valid price, the tie rule).  The
 * PRNG is xoshiro256** seeded through splitmix64, each 64-bit output
 * giving two 32-bit draws, taken leaf by leaf and within a leaf bid by
 * bid (award.c), so a seed gives the same result on every machine.  Nothing is allocated inside
 * the scenario loop. */
struct award_mc {
	uint64_t seed;
	int p_bp;
	int64_t scenarios;
	int64_t stays;               /* scenarios the winner stays the winner */
	double probability;          /* stays / scenarios */
	double ci_low, ci_high;      /* 95 % Wilson score interval */
};

/* Refused: p_bp outside 0..10000, scenarios < 1, no single winner. */
enum kv_status award_monte_carlo(arena *a, const struct award_lot *lot,
				 const struct award_bid *bids, int n,
				 int p_bp, int64_t scenarios, uint64_t seed,
				 struct award_mc *out, struct kv_error *e);

/* The same Monte Carlo (same arguments, checks and result for every
 * input) through the general ranking code: each scenario is scored by
 * the evaluation award_rank uses and its winner found by the tie rule's
 * comparison.  award_monte_carlo instead looks up per bid, leaf and move
 * precomputed score contributions (award.c); this slower path is the
 * reference the tests hold it to. */
enum kv_status award_monte_carlo_reference(arena *a,
					   const struct award_lot *lot,
					   const struct award_bid *bids, int n,
					   int p_bp, int64_t scenarios,
					   uint64_t seed, struct award_mc *out,
					   struct kv_error *e);

/* The 95 % Wilson score interval of k successes in n trials. */
void award_wilson95(int64_t k, int64_t n, double *low, double *high);

#endif
