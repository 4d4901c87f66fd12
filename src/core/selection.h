/*
 * selection.h - the selection of candidates (the preselection of a
 * restricted procedure or competitive dialogue): criteria that are
 * pass/fail or scored (0..max points), the ranking by total points and
 * the cut-off at the announced maximum number of candidates to admit.
 *
 * Every candidate gets a result with its reasons: admitted; not admitted
 * (its rank, its points and the cut-off, the points of the last admitted
 * candidate); or excluded (the pass/fail criterion it failed, or no
 * application).  A tie at the boundary (more candidates with the cut-off's
 * points than places left) is never decided here: the buyer names whom to
 * admit among the tied ones, explicitly.
 *
 * Several rounds (the funnel: 13 preselected, then 2 selected, then one
 * awarded): every criterion belongs to a round; round 1 is the
 * preselection on the applications, round n >= 2 ranks only the
 * candidates admitted in round n-1 on round n's criteria.  Rounds are
 * published in order, each once.  When a round's scoring opens: round 1
 * after the application deadline (the caller checks it), round n >= 2
 * at round n-1's publication; a round's criteria are fixed from that
 * moment (round 1: the application deadline).  sel_round_* check these
 * rules against the number of the last published round.
 *
 * Plain C, no I/O; reasons go into the caller's arena.
 */
#ifndef KAVEL_SELECTION_H
#define KAVEL_SELECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

#define SEL_MAX_POINTS 1000     /* the most a scored criterion may give */
#define SEL_MAX_ROUNDS 10       /* rounds per procedure (schema v11) */

enum sel_kind { SEL_PASS_FAIL, SEL_SCORED };

struct sel_criterion {
	const char *key;
	const char *title;
	enum sel_kind kind;
	int max_points;               /* SEL_SCORED: 1..SEL_MAX_POINTS */
};

/* One candidate's assessment of one criterion. */
struct sel_score {
	bool assessed;
	bool passed;                  /* SEL_PASS_FAIL */
	int points;                   /* SEL_SCORED: 0..max_points */
};

struct sel_candidate {
	int64_t id;
	const char *name;
	bool applied;                 /* an application before the deadline */
	const struct sel_score *scores; /* one per criterion, in order */
};

enum sel_outcome { SEL_ADMITTED, SEL_NOT_ADMITTED, SEL_EXCLUDED };

struct sel_result {
	int64_t candidate_id;
	enum sel_outcome outcome;
	int rank;                     /* 1.. among the not excluded; ties
					 share a rank; 0 when excluded */
	int points;                   /* total of the scored criteria */
	int cutoff;                   /* points of the last admitted one;
					 -1 when every eligible one is
					 admitted */
	bool tie_broken;              /* admitted or not by the buyer's
					 explicit choice at the boundary */
	const char *failed_key;       /* SEL_EXCLUDED: the criterion, or NULL
					 for no application */
	const char *reason;           /* a sentence, in English msgids */
};

const char *sel_kind_code(enum sel_kind k);       /* "pass-fail" / "scored" */
int sel_kind_from_code(const char *s);            /* -1 when unknown */
const char *sel_outcome_code(enum sel_outcome o); /* "admitted", ... */
int sel_outcome_from_code(const char *s);

/* Checks a criterion's kind and maximum. */
enum kv_status sel_criterion_check(const struct sel_criterion *c,
				   struct kv_error *e);
/* Checks one score against its criterion (field "passed" / "points"). */
enum kv_status sel_score_check(const struct sel_criterion *c,
			       const struct sel_score *s, struct kv_error *e);

/*
 * The rules of rounds, given last, the number of the last published
 * round (0: none).  Each refuses with a sentence naming the rounds:
 *   sel_round_criterion_check: a criterion may be added to round n
 *     (1..SEL_MAX_ROUNDS, else KV_INVALID "round") while n's scoring has
 *     not opened: KV_CONFLICT when n <= last, or n >= 2 and n == last+1.
 *     (Round 1's application deadline is the caller's check.)
 *   sel_round_scoring_check: round n may be scored only when n == last+1
 *     (KV_CONFLICT when published already or not open yet).
 *   sel_round_publish_check: round n may be published only when
 *     n == last+1 (KV_CONFLICT when published already or an earlier
 *     round is not).
 */
enum kv_status sel_round_criterion_check(int round, int last,
					 struct kv_error *e);
enum kv_status sel_round_scoring_check(int round, int last,
				       struct kv_error *e);
enum kv_status sel_round_publish_check(int round, int last,
				       struct kv_error *e);

/*
 * Ranks nc candidates on ncr criteria and admits at most max_admitted
 * (>= 1).  out has nc results, in the candidates' order.
 *
 * Refused (KV_DENIED) when an applied candidate that passed every
 * pass/fail criterion assessed so far misses an assessment.  Refused
 * (KV_CONFLICT, message "Tie at the boundary: ...") when the boundary
 * ties and tie_admit does not name exactly the number of places left,
 * all from the tied candidates; KV_INVALID when tie_admit names someone
 * while there is no tie.
 */
enum kv_status sel_rank(arena *a, const struct sel_criterion *cr, int ncr,
			const struct sel_candidate *cs, int nc,
			int max_admitted, const int64_t *tie_admit,
			int n_tie_admit, struct sel_result *out,
			struct kv_error *e);

#endif
