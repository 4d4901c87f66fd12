/*
 * test_selection.c - unit tests of the selection core (selection.c):
 * exclusion on a pass/fail criterion and for no application, the
 * ranking by total points with shared ranks, the cut-off at the maximum
 * number to admit, a tie at the boundary refused until the buyer names
 * whom to admit, the checks of criteria and scores, and the rules of
 * rounds: when criteria may be added, when a round is scored, that
 * rounds are published in order; a later round's ranking.
 *
 * Every expectation is computed by hand in the comments.  Messages are
 * English: the test runs in the C locale, so _() returns the msgid.
 */
#include <string.h>

#include "core/selection.h"
#include "tap.h"

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

/* Criteria: eigen (pass/fail), ervaring (0..10), visie (0..20). */
static const struct sel_criterion CR[] = {
	{"eigen", "Eigen verklaring", SEL_PASS_FAIL, 0},
	{"ervaring", "Ervaring", SEL_SCORED, 10},
	{"visie", "Visie", SEL_SCORED, 20},
};
#define P() {true, true, 0}
#define F {true, false, 0}
#define S(n) {true, false, n}
/*   A: pass, 8 + 15 = 23
 *   B: pass, 10 + 10 = 20
 *   C: fails eigen (9 + 19 would be 28): excluded
 *   D: pass, 5 + 15 = 20
 *   E: no application: excluded
 *   F: pass, 2 + 3 = 5
 * Ranked: A 23 (1), B 20 (2), D 20 (2), F 5 (4). */
static struct sel_score sa[] = {P(), S(8), S(15)};
static struct sel_score sb[] = {P(), S(10), S(10)};
static struct sel_score sc[] = {F, S(9), S(19)};
static struct sel_score sd[] = {P(), S(5), S(15)};
static struct sel_score se[] = {{0}, {0}, {0}};
static struct sel_score sf[] = {P(), S(2), S(3)};
static struct sel_candidate CS[] = {
	{1, "A", true, sa}, {2, "B", true, sb}, {3, "C", true, sc},
	{4, "D", true, sd}, {5, "E", false, se}, {6, "F", true, sf},
};
#define NC 6

int main(void)
{
	arena *a = arena_new();
	struct kv_error e = {0};
	struct sel_result r[NC];

	/* At most 3: the cut-off is D's 20 (the third place); B and D
	 * share rank 2 and both fit; F is fourth. */
	CHECK(sel_rank(a, CR, 3, CS, NC, 3, NULL, 0, r, &e) == KV_OK,
	      "max 3 ranks without a tie");
	CHECK(r[0].outcome == SEL_ADMITTED && r[0].rank == 1 &&
		      r[0].points == 23 && r[0].cutoff == 20,
	      "A admitted, rank 1, 23 points, cut-off 20");
	CHECK(r[1].outcome == SEL_ADMITTED && r[1].rank == 2 &&
		      r[1].points == 20 && r[3].outcome == SEL_ADMITTED &&
		      r[3].rank == 2 && r[3].points == 20,
	      "B and D admitted, sharing rank 2 with 20 points");
	CHECK(r[5].outcome == SEL_NOT_ADMITTED && r[5].rank == 4 &&
		      r[5].points == 5 && r[5].cutoff == 20 &&
		      has(r[5].reason, "rank 4 with 5 points") &&
		      has(r[5].reason, "cut-off is 20 points"),
	      "F not admitted with its rank, points and the cut-off: %s",
	      r[5].reason);
	CHECK(r[2].outcome == SEL_EXCLUDED && r[2].rank == 0 &&
		      strcmp(r[2].failed_key, "eigen") == 0 &&
		      has(r[2].reason, "\"Eigen verklaring\""),
	      "C excluded naming the failed criterion, despite 28 points: %s",
	      r[2].reason);
	CHECK(r[4].outcome == SEL_EXCLUDED && !r[4].failed_key &&
		      has(r[4].reason, "No application"),
	      "E excluded for no application");
	CHECK(!r[0].tie_broken && !r[1].tie_broken, "no tie was broken");

	/* At most 2: A above; B and D tie at 20 for 1 place. */
	CHECK(sel_rank(a, CR, 3, CS, NC, 2, NULL, 0, r, &e) == KV_CONFLICT &&
		      has(e.msg, "Tie at the boundary") &&
		      has(e.msg, "B, D") && has(e.msg, "20 points") &&
		      has(e.msg, "1 place"),
	      "max 2: a tie at the boundary is refused: %s", e.msg);
	int64_t only_f[] = {6}, both[] = {2, 4}, twice[] = {4, 4};
	CHECK(sel_rank(a, CR, 3, CS, NC, 2, only_f, 1, r, &e) == KV_CONFLICT,
	      "naming one who is not tied is refused");
	CHECK(sel_rank(a, CR, 3, CS, NC, 2, both, 2, r, &e) == KV_CONFLICT,
	      "naming more than the places left is refused");
	CHECK(sel_rank(a, CR, 3, CS, NC, 1, twice, 2, r, &e) != KV_OK,
	      "naming the same candidate twice is refused");
	int64_t d[] = {4};
	CHECK(sel_rank(a, CR, 3, CS, NC, 2, d, 1, r, &e) == KV_OK,
	      "the buyer names D: ranked");
	CHECK(r[0].outcome == SEL_ADMITTED && !r[0].tie_broken,
	      "A admitted above the tie");
	CHECK(r[3].outcome == SEL_ADMITTED && r[3].tie_broken &&
		      has(r[3].reason, "chosen by the contracting authority"),
	      "D admitted by the explicit choice");
	CHECK(r[1].outcome == SEL_NOT_ADMITTED && r[1].tie_broken &&
		      r[1].rank == 2 && r[1].cutoff == 20 &&
		      has(r[1].reason, "tied at the cut-off of 20 points"),
	      "B not admitted, tied: %s", r[1].reason);
	CHECK(r[5].outcome == SEL_NOT_ADMITTED && !r[5].tie_broken,
	      "F not admitted below");
	CHECK(sel_rank(a, CR, 3, CS, NC, 3, d, 1, r, &e) == KV_INVALID,
	      "naming someone without a tie is refused");

	/* At most 10: all four eligible admitted, no cut-off. */
	CHECK(sel_rank(a, CR, 3, CS, NC, 10, NULL, 0, r, &e) == KV_OK &&
		      r[5].outcome == SEL_ADMITTED && r[5].cutoff == -1 &&
		      r[5].rank == 4 && r[2].outcome == SEL_EXCLUDED,
	      "max 10: every eligible one admitted, the excluded stay out");
	CHECK(sel_rank(a, CR, 3, CS, NC, 0, NULL, 0, r, &e) == KV_INVALID,
	      "max 0 is refused");

	/* A missing assessment of an eligible candidate stops the ranking;
	 * one of an excluded candidate does not. */
	sb[2].assessed = false;
	CHECK(sel_rank(a, CR, 3, CS, NC, 3, NULL, 0, r, &e) == KV_DENIED &&
		      has(e.msg, "B has not been assessed on criterion "
				 "\"Visie\""),
	      "B without a Visie score: refused: %s", e.msg);
	sb[2].assessed = true;
	sc[2].assessed = false;
	CHECK(sel_rank(a, CR, 3, CS, NC, 3, NULL, 0, r, &e) == KV_OK,
	      "C, excluded, needs no score on Visie");
	sc[2].assessed = true;
	sb[1].points = 11;
	CHECK(sel_rank(a, CR, 3, CS, NC, 3, NULL, 0, r, &e) == KV_INVALID &&
		      strcmp(e.field, "points") == 0,
	      "11 points on a criterion of 10 is refused");
	sb[1].points = 10;

	/* Checks. */
	struct sel_criterion bad = {"x", "X", SEL_SCORED, 0};
	CHECK(sel_criterion_check(&bad, &e) == KV_INVALID &&
		      strcmp(e.field, "max_points") == 0,
	      "a scored criterion needs a maximum");
	bad = (struct sel_criterion){"x", "X", SEL_PASS_FAIL, 5};
	CHECK(sel_criterion_check(&bad, &e) == KV_INVALID,
	      "a pass-fail criterion has no points");
	struct sel_score neg = {true, false, -1};
	CHECK(sel_score_check(&CR[1], &neg, &e) == KV_INVALID,
	      "negative points are refused");
	CHECK(sel_kind_from_code("scored") == SEL_SCORED &&
		      sel_kind_from_code("pass-fail") == SEL_PASS_FAIL &&
		      sel_kind_from_code("x") == -1 &&
		      strcmp(sel_outcome_code(SEL_NOT_ADMITTED),
			     "not-admitted") == 0 &&
		      sel_outcome_from_code("excluded") == SEL_EXCLUDED,
	      "codes round-trip");

	/* Rounds, given the last published round. */
	CHECK(sel_round_criterion_check(1, 0, &e) == KV_OK &&
		      sel_round_criterion_check(2, 0, &e) == KV_OK &&
		      sel_round_criterion_check(3, 1, &e) == KV_OK,
	      "criteria may be added to a round whose scoring has not opened");
	CHECK(sel_round_criterion_check(2, 1, &e) == KV_CONFLICT &&
		      strcmp(e.field, "round") == 0 &&
		      has(e.msg, "round 2 opened when round 1 was published"),
	      "round 2's criteria are fixed once round 1 is published: %s",
	      e.msg);
	CHECK(sel_round_criterion_check(1, 1, &e) == KV_CONFLICT &&
		      has(e.msg, "round 1 has been published"),
	      "a published round's criteria are fixed: %s", e.msg);
	CHECK(sel_round_criterion_check(0, 0, &e) == KV_INVALID &&
		      sel_round_criterion_check(SEL_MAX_ROUNDS + 1, 0, &e) ==
			      KV_INVALID &&
		      strcmp(e.field, "round") == 0 &&
		      sel_round_criterion_check(SEL_MAX_ROUNDS, 0, &e) ==
			      KV_OK,
	      "rounds are numbered 1 to %d", SEL_MAX_ROUNDS);
	CHECK(sel_round_scoring_check(1, 0, &e) == KV_OK &&
		      sel_round_scoring_check(2, 1, &e) == KV_OK &&
		      sel_round_scoring_check(3, 2, &e) == KV_OK,
	      "the round after the last published one is scored");
	CHECK(sel_round_scoring_check(2, 0, &e) == KV_CONFLICT &&
		      has(e.msg, "round 2 opens when round 1 is published"),
	      "round 2 is not scored before round 1 is published: %s",
	      e.msg);
	CHECK(sel_round_scoring_check(3, 1, &e) == KV_CONFLICT &&
		      has(e.msg, "round 3 opens when round 2 is published"),
	      "round 3 waits for round 2: %s", e.msg);
	CHECK(sel_round_scoring_check(1, 1, &e) == KV_CONFLICT &&
		      has(e.msg, "scores cannot change"),
	      "a published round's scores are fixed: %s", e.msg);
	CHECK(sel_round_scoring_check(0, 0, &e) == KV_INVALID,
	      "round 0 is no round");
	CHECK(sel_round_publish_check(1, 0, &e) == KV_OK &&
		      sel_round_publish_check(3, 2, &e) == KV_OK,
	      "the next round is published");
	CHECK(sel_round_publish_check(2, 0, &e) == KV_CONFLICT &&
		      has(e.msg, "round 1 must be published before round 2"),
	      "round 2 before round 1 is refused: %s", e.msg);
	CHECK(sel_round_publish_check(2, 2, &e) == KV_CONFLICT &&
		      has(e.msg, "round 2 has been published already"),
	      "a round is published once: %s", e.msg);
	CHECK(sel_round_publish_check(11, 10, &e) == KV_INVALID,
	      "no round after the last possible one");

	/* A later round: only B, D and F (admitted before) take part, all
	 * counting as applied; one scored criterion 0..5.  B 5, D 3, F 3,
	 * at most 2: B, then D and F tie at 3 for one place. */
	static const struct sel_criterion CR2[] = {
		{"plan", "Plan van aanpak", SEL_SCORED, 5},
	};
	static struct sel_score tb[] = {S(5)}, td[] = {S(3)}, tf[] = {S(3)};
	static const struct sel_candidate CS2[] = {
		{2, "B", true, tb}, {4, "D", true, td}, {6, "F", true, tf},
	};
	struct sel_result r2[3];
	CHECK(sel_rank(a, CR2, 1, CS2, 3, 2, NULL, 0, r2, &e) ==
			      KV_CONFLICT && has(e.msg, "D, F"),
	      "round 2: the tie between D and F goes to the buyer: %s", e.msg);
	int64_t f2[] = {6};
	CHECK(sel_rank(a, CR2, 1, CS2, 3, 2, f2, 1, r2, &e) == KV_OK &&
		      r2[0].outcome == SEL_ADMITTED && r2[0].rank == 1 &&
		      r2[1].outcome == SEL_NOT_ADMITTED && r2[1].tie_broken &&
		      r2[2].outcome == SEL_ADMITTED && r2[2].tie_broken,
	      "round 2: B, and F by the buyer's choice; D not admitted");
	arena_free(a);
	return tap_done();
}
