/*
 * test_award.c - unit tests of the award core (award.c): the checks of
 * criteria, scales, methods and tie rules; a worked example per award
 * method; knock-outs and bids above the budget; each tie rule; a rank
 * reversal under relative price scoring; the weight sensitivity of a
 * small example; the Monte Carlo's determinism, p = 0, and a case whose
 * probability is known exactly; the fast Monte Carlo against the general
 * path on random lots.
 *
 * Every expectation is computed by hand (in the comments), never by the
 * function under test.  Scores are ppm of the maximum (1 000 000 = full
 * marks); "0.729" in a comment is 729 000 ppm.  Messages are English: the
 * test runs in the C locale, so _() returns the msgid.
 */
#include <stdlib.h>
#include <string.h>

#include "core/award.h"
#include "tap.h"

static arena *A;
static struct kv_error E;

#define EUR(x) ((int64_t)(x) * 100)

static bool has(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

/* The scale of many Dutch tenders: onvoldoende / matig / voldoende / goed. */
/* A macro, not a const object: static initialisers need constants (clang
 * is strict about that, gcc lenient). */
#define S4 {4, {0, 2500, 6000, 10000}, \
	    {"onvoldoende", "matig", "voldoende", "goed"}}

/* --- the three-criterion tree of the worked examples ----------------------
 *   1 Plan van aanpak      60% of quality
 *       2 Visie            50% of 1
 *       3 Uitvoering       50% of 1
 *   4 Samenwerking         40% of quality
 */
static struct award_criterion tree[] = {
	{1, -1, "Plan van aanpak", 6000, {0}, false, 0},
	{2, 1, "Visie", 5000, S4, false, 0},
	{3, 1, "Uitvoering", 5000, S4, false, 0},
	{4, -1, "Samenwerking", 4000, S4, false, 0},
};

/* steps per criterion index; index 0 (a parent) is not read. */
static const int st_A[] = {0, 3, 2, 2};  /* Visie 1.0, Uitv 0.6, Samen 0.6 */
static const int st_B[] = {0, 2, 3, 3};  /* 0.6, 1.0, 1.0 */
static const int st_C[] = {0, 1, 1, 1};  /* 0.25 everywhere */
static const int st_D[] = {0, 3, 3, 3};  /* 1.0 everywhere */

/* Quality by hand:
 *   A: Plan = (0.5 x 1.0 + 0.5 x 0.6) = 0.8; quality = 0.6 x 0.8 + 0.4 x
 *      0.6 = 0.48 + 0.24 = 0.72
 *   B: Plan = 0.5 x 0.6 + 0.5 x 1.0 = 0.8; quality = 0.48 + 0.4 = 0.88
 *   C: 0.25;  D: 1.0 */

static struct award_bid bid(int id, const char *name, int64_t euros,
			    const int *steps)
{
	struct award_bid b = {id, name, EUR(euros), steps, false, NULL};
	return b;
}

static void test_checks(void)
{
	CHECK(award_criteria_check(tree, 4, &E) == KV_OK, "the tree is valid");
	CHECK(award_criteria_check(NULL, 0, &E) == KV_OK,
	      "no criteria is valid (price only)");

	struct award_criterion c[4];
	memcpy(c, tree, sizeof c);
	c[3].weight_bp = 3000;  /* 60 + 30 = 90 % */
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  has(E.msg, "top-level criteria add up to 90.00%"),
	      "top-level weights of 90%% refused with the sum: %s", E.msg);

	memcpy(c, tree, sizeof c);
	c[2].weight_bp = 4999;  /* 50 + 49.99 */
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  has(E.msg, "\"Plan van aanpak\"") &&
		  has(E.msg, "99.99%") && strcmp(E.field, "weight") == 0,
	      "sub-criteria weights refused naming the parent: %s", E.msg);

	memcpy(c, tree, sizeof c);
	c[3].scale.n_steps = 0;
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  has(E.msg, "\"Samenwerking\" has no scale"),
	      "empty scale refused: %s", E.msg);

	memcpy(c, tree, sizeof c);
	c[1].scale.value_bp[2] = 2500;  /* 0, 2500, 2500, 10000 */
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  has(E.msg, "not in ascending order"),
	      "unordered scale refused: %s", E.msg);

	memcpy(c, tree, sizeof c);
	c[3].scale.value_bp[3] = 10001;
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID,
	      "a step above 10000 bp refused");

	memcpy(c, tree, sizeof c);
	c[1].parent = 4;  /* listed before its parent */
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  strcmp(E.field, "parent") == 0,
	      "a parent listed after its child refused");

	memcpy(c, tree, sizeof c);
	c[3].id = 2;
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  strcmp(E.field, "id") == 0, "duplicate id refused");

	memcpy(c, tree, sizeof c);
	c[0].knock_out = true;
	CHECK(award_criteria_check(c, 4, &E) == KV_INVALID &&
		  strcmp(E.field, "knock_out") == 0,
	      "knock-out on a parent refused");

	struct award_scale m = award_scale_marks(1, 10);
	CHECK(m.n_steps == 10 && m.value_bp[0] == 1000 &&
		  m.value_bp[5] == 6000 && m.value_bp[9] == 10000,
	      "marks 1..10: mark m worth m x 1000 bp");
	m = award_scale_marks(0, 3);  /* 0, 3333.3, 6666.7, 10000 */
	CHECK(m.n_steps == 4 && m.value_bp[1] == 3333 &&
		  m.value_bp[2] == 6667, "marks 0..3 rounded");

	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_ABSOLUTE,
					  3000, EUR(900), EUR(800), 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	CHECK(award_lot_check(&lot, &E) == KV_INVALID &&
		  strcmp(E.field, "upper") == 0,
	      "absolute bounds lower >= upper refused");
	lot.method.price_scoring = AWARD_PRICE_LOG;
	lot.method.log_k_bp = 10000;
	CHECK(award_lot_check(&lot, &E) == KV_INVALID, "k = 1 refused");
	lot.method.kind = AWARD_QUALITY_ONLY;
	CHECK(award_lot_check(&lot, &E) == KV_INVALID &&
		  strcmp(E.field, "budget") == 0, "no budget refused");
	lot.method.budget_cents = EUR(1000);
	lot.tie_rule = AWARD_TIE_CRITERION;
	lot.tie_criterion_id = 99;
	CHECK(award_lot_check(&lot, &E) == KV_INVALID &&
		  strcmp(E.field, "tie_criterion") == 0,
	      "tie rule on an unknown criterion refused");
	lot.tie_criterion_id = 4;
	CHECK(award_lot_check(&lot, &E) == KV_OK, "tie rule on criterion 4");
	lot.n_criteria = 0;
	CHECK(award_lot_check(&lot, &E) == KV_INVALID,
	      "quality only without criteria refused");

	/* bids */
	struct award_lot lp = {NULL, 0, {.kind = AWARD_LOWEST_PRICE},
			       AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b = bid(1, "Nul", 0, NULL);
	struct award_ranking r;
	CHECK(award_rank(A, &lp, &b, 1, &r, &E) == KV_INVALID &&
		  strcmp(E.field, "price") == 0, "price 0 refused");
	b = bid(1, "X", 100, NULL);
	b.knocked_out = true;
	CHECK(award_rank(A, &lp, &b, 1, &r, &E) == KV_INVALID &&
		  strcmp(E.field, "knock_out_reason") == 0,
	      "knock-out without reason refused");
	struct award_lot wl = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
					 3000, 0, 0, 0, 0},
			       AWARD_TIE_LOWEST_PRICE, 0};
	static const int bad[] = {0, 4, 0, 0};
	b = bid(1, "Te hoog", 100, bad);
	CHECK(award_rank(A, &wl, &b, 1, &r, &E) == KV_INVALID &&
		  has(E.msg, "\"Visie\""), "step outside the scale refused: %s",
	      E.msg);
}

/* --- weighted factor, absolute price ---------------------------------------- */

static void test_weighted_absolute(void)
{
	/* Price 30 %, quality 70 %; full price points at or below EUR
	 * 800 000, none at or above EUR 1 200 000.
	 *   A EUR  900 000: points = (1.2M - 0.9M) / 0.4M = 0.75
	 *                   total  = 0.3 x 0.75 + 0.7 x 0.72 = 0.225 + 0.504
	 *                          = 0.729
	 *   B EUR 1 000 000: points 0.5; total = 0.15 + 0.7 x 0.88 = 0.766
	 *   C EUR   750 000: below the lower bound, points 1.0;
	 *                   total = 0.3 + 0.7 x 0.25 = 0.475
	 *   D EUR 1 300 000: above the upper bound, points 0; total 0.7
	 * Order B, A, D, C. */
	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_ABSOLUTE,
					  3000, EUR(800000), EUR(1200000), 0,
					  0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {
	    bid(1, "A", 900000, st_A), bid(2, "B", 1000000, st_B),
	    bid(3, "C", 750000, st_C), bid(4, "D", 1300000, st_D)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 4, &r, &E) == KV_OK, "ranked: %s", E.msg);
	CHECK(r.results[0].node_ppm[0] == 800000 &&
		  r.results[0].quality_ppm == 720000,
	      "A: Plan 0.8, quality 0.72");
	CHECK(r.results[1].quality_ppm == 880000, "B: quality 0.88");
	CHECK(r.results[0].price_ppm == 750000 &&
		  r.results[0].total_ppm == 729000,
	      "A: price points 0.75, total 0.729 (got %lld)",
	      (long long)r.results[0].total_ppm);
	CHECK(r.results[1].price_ppm == 500000 &&
		  r.results[1].total_ppm == 766000, "B: 0.5, total 0.766");
	CHECK(r.results[2].price_ppm == 1000000 &&
		  r.results[2].total_ppm == 475000,
	      "C below the lower bound: full points, 0.475");
	CHECK(r.results[3].price_ppm == 0 && r.results[3].total_ppm == 700000,
	      "D above the upper bound: 0 points, 0.7");
	CHECK(r.winner == 1 && r.order[0] == 1 && r.order[1] == 0 &&
		  r.order[2] == 3 && r.order[3] == 2,
	      "order B, A, D, C");
	CHECK(r.results[1].rank == 1 && r.results[0].rank == 2 &&
		  r.results[3].rank == 3 && r.results[2].rank == 4 &&
		  !r.results[1].put_to_buyer, "ranks 1..4");
	char *f = award_method_formula(A, &lot.method, '.');
	CHECK(has(f, "30% x price points + 70% x quality") &&
		  has(f, "(\xe2\x82\xac 1.200.000,00 - price) / "
			 "(\xe2\x82\xac 1.200.000,00 - \xe2\x82\xac "
			 "800.000,00)"),
	      "formula with its numbers: %s", f);
}

/* --- weighted factor, relative price ------------------------------------------- */

static void test_weighted_relative(void)
{
	/* Lowest valid price EUR 750 000 (C).
	 *   A: 750/900  = 0.8333333 -> 833 333 ppm;
	 *      total = 0.3 x 0.833333 + 0.504 = 0.2499999 + 0.504
	 *            = 0.7539999 -> 754 000
	 *   B: 750/1000 = 0.75; total = 0.225 + 0.616 = 0.841
	 *   C: 1.0; total = 0.3 + 0.175 = 0.475
	 *   D: 750/1300 = 0.5769230 -> 576 923;
	 *      total = 0.1730769 + 0.7 = 0.8730769 -> 873 077
	 * Order D, B, A, C: the cheap low-quality C makes D win. */
	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
					  3000, 0, 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {
	    bid(1, "A", 900000, st_A), bid(2, "B", 1000000, st_B),
	    bid(3, "C", 750000, st_C), bid(4, "D", 1300000, st_D)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 4, &r, &E) == KV_OK, "ranked");
	CHECK(r.results[0].price_ppm == 833333 &&
		  r.results[0].total_ppm == 754000,
	      "A: 833 333 points, total 754 000 (got %lld)",
	      (long long)r.results[0].total_ppm);
	CHECK(r.results[1].price_ppm == 750000 &&
		  r.results[1].total_ppm == 841000, "B: 750 000, 841 000");
	CHECK(r.results[2].total_ppm == 475000, "C: 475 000");
	CHECK(r.results[3].price_ppm == 576923 &&
		  r.results[3].total_ppm == 873077,
	      "D: 576 923, 873 077 (got %lld)",
	      (long long)r.results[3].total_ppm);
	CHECK(r.winner == 3 && r.order[1] == 1 && r.order[2] == 0,
	      "order D, B, A, C");
	CHECK(has(award_method_formula(A, &lot.method, '.'), "lowest valid price "
							"/ price"),
	      "relative formula");
}

/* --- weighted factor, logarithmic price ---------------------------------------- */

static void test_weighted_log(void)
{
	/* k = 2: a price twice the lowest scores 0.  Lowest EUR 750 000.
	 *   A: 1 - log2(900/750)  = 1 - log2(1.2) = 1 - 0.2630344 =
	 *      0.7369656 -> 736 966; total = 0.3 x 0.736966 + 0.504 =
	 *      0.2210898 + 0.504 = 0.7250898 -> 725 090
	 *   B: 1 - log2(4/3) = 1 - (2 - log2 3) = log2 3 - 1 =
	 *      0.5849625007 -> 584 963 (the fraction is .5007, not a half);
	 *      total = 0.1754889 + 0.616 = 0.7914889 -> 791 489
	 *   C: 1.0 (the lowest itself, no logarithm); total 0.475
	 *   D: 1 - log2(1300/750) = 1 - log2(1.7333) = 1 - 0.7935491 =
	 *      0.2064509 -> 206 451; total = 0.0619353 + 0.7 -> 761 935
	 *   E EUR 1 600 000 > 2 x 750 000: clamped at 0; quality 1.0 ->
	 *      total 0.7
	 * Order B, D, A, E, C. */
	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_LOG, 3000,
					  0, 0, 20000, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	CHECK(award_lot_check(&lot, &E) == KV_OK, "log lot valid");
	struct award_bid b[] = {
	    bid(1, "A", 900000, st_A), bid(2, "B", 1000000, st_B),
	    bid(3, "C", 750000, st_C), bid(4, "D", 1300000, st_D),
	    bid(5, "E", 1600000, st_D)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 5, &r, &E) == KV_OK, "ranked");
	CHECK(r.results[0].price_ppm == 736966 &&
		  r.results[0].total_ppm == 725090,
	      "A: 736 966, 725 090 (got %lld, %lld)",
	      (long long)r.results[0].price_ppm,
	      (long long)r.results[0].total_ppm);
	CHECK(r.results[1].price_ppm == 584963 &&
		  r.results[1].total_ppm == 791489, "B: 584 963, 791 489");
	CHECK(r.results[2].price_ppm == 1000000, "C: the lowest, full points");
	CHECK(r.results[3].price_ppm == 206451 &&
		  r.results[3].total_ppm == 761935, "D: 206 451, 761 935");
	CHECK(r.results[4].price_ppm == 0 && r.results[4].total_ppm == 700000,
	      "E: clamped at 0");
	CHECK(r.winner == 1 && r.order[1] == 3 && r.order[2] == 0 &&
		  r.order[3] == 4 && r.order[4] == 2, "order B, D, A, E, C");
	char *f = award_method_formula(A, &lot.method, '.');
	CHECK(has(f, "ln(2)") && has(f, "a price 2 times the lowest scores 0"),
	      "log formula: %s", f);
	lot.method.log_k_bp = 15000;
	CHECK(has(award_method_formula(A, &lot.method, '.'), "ln(1.5)"),
	      "k = 1.5 in the formula");
}

/* --- two flat criteria for the other methods ------------------------------------- */

/*   1 Kwaliteit plan  50 %, worth EUR 100 000 at the top step
 *   2 Team            50 %, worth EUR  50 000 */
static struct award_criterion flat[] = {
	{1, -1, "Kwaliteit plan", 5000, S4, false, EUR(100000)},
	{2, -1, "Team", 5000, S4, false, EUR(50000)},
};
static const int f31[] = {3, 1}, f22[] = {2, 2}, f00[] = {0, 0},
		 f33[] = {3, 3}, f13[] = {1, 3};

static void test_fictive(void)
{
	/* A EUR 900 000, steps 3/1: worth 100 000 x 1.0 + 50 000 x 0.25 =
	 *   112 500 -> fictive 787 500
	 * B EUR 850 000, steps 2/2: 60 000 + 30 000 = 90 000 -> 760 000
	 * C EUR 800 000, steps 0/0: 0 -> 800 000
	 * Order B, A, C. */
	struct award_lot lot = {flat, 2, {.kind = AWARD_FICTIVE_PRICE},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 900000, f31),
				bid(2, "B", 850000, f22),
				bid(3, "C", 800000, f00)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 3, &r, &E) == KV_OK, "ranked");
	CHECK(r.results[0].fictive_cents == EUR(787500) &&
		  r.results[1].fictive_cents == EUR(760000) &&
		  r.results[2].fictive_cents == EUR(800000),
	      "fictive prices 787 500, 760 000, 800 000");
	CHECK(r.winner == 1 && r.order[1] == 0 && r.order[2] == 2,
	      "lowest fictive price wins: B, A, C");
	CHECK(has(award_method_formula(A, &lot.method, '.'), "lowest fictive"),
	      "fictive formula");
}

static void test_quality_only(void)
{
	/* Budget EUR 1 000 000.
	 * A EUR 950 000, 3/1: 0.5 x 1.0 + 0.5 x 0.25 = 0.625
	 * B EUR 1 000 000 (at the budget: valid), 2/2: 0.6
	 * C EUR 1 000 000,01 above the budget: invalid, whatever its 3/3 */
	struct award_lot lot = {flat, 2, {.kind = AWARD_QUALITY_ONLY,
					  .budget_cents = EUR(1000000)},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 950000, f31),
				bid(2, "B", 1000000, f22),
				bid(3, "C", 1000000, f33)};
	b[2].price_cents += 1;
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 3, &r, &E) == KV_OK, "ranked");
	CHECK(r.results[0].total_ppm == 625000 &&
		  r.results[1].total_ppm == 600000, "A 0.625, B 0.6");
	CHECK(!r.results[2].valid && r.results[2].rank == 0 &&
		  has(r.results[2].invalid_reason,
		      "\xe2\x82\xac 1.000.000,01 is above the budget of "
		      "\xe2\x82\xac 1.000.000,00"),
	      "C above the budget, with reason: %s",
	      r.results[2].invalid_reason);
	CHECK(r.winner == 0 && r.n_valid == 2 && r.order[2] == 2,
	      "A wins; the invalid bid last");
	CHECK(has(award_method_formula(A, &lot.method, '.'),
		  "budget of \xe2\x82\xac 1.000.000,00"), "budget in formula");
}

static void test_lowest_price(void)
{
	/* D (EUR 700 000) is knocked out; B and C both EUR 850 000: the
	 * tie rule "lowest price" cannot part them: put to the buyer. */
	struct award_lot lot = {NULL, 0, {.kind = AWARD_LOWEST_PRICE},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 900000, NULL),
				bid(2, "B", 850000, NULL),
				bid(3, "C", 850000, NULL),
				bid(4, "D", 700000, NULL)};
	b[3].knocked_out = true;
	b[3].knock_out_reason = "Geen geldige Gedragsverklaring";
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 4, &r, &E) == KV_OK, "ranked");
	CHECK(!r.results[3].valid &&
		  strcmp(r.results[3].invalid_reason,
			 "Geen geldige Gedragsverklaring") == 0,
	      "knocked-out bid excluded with its reason");
	CHECK(r.winner == -1 && r.results[1].rank == 1 &&
		  r.results[2].rank == 1 && r.results[1].put_to_buyer &&
		  r.results[2].put_to_buyer && r.results[0].rank == 3 &&
		  !r.results[0].put_to_buyer,
	      "equal lowest prices: both first, put to the buyer; A third");
	b[2].price_cents += 1;
	CHECK(award_rank(A, &lot, b, 4, &r, &E) == KV_OK && r.winner == 1,
	      "one cent decides");
}

static void test_ratio(void)
{
	/* A EUR 900 000, quality 0.625: 900 000 / 0.625 = EUR 1 440 000
	 * B EUR 800 000, quality 0.6: 800 000 / 0.6 = 1 333 333.333 ->
	 *   133 333 333 cents
	 * C steps 0/0: quality 0, no ratio: invalid */
	struct award_lot lot = {flat, 2, {.kind = AWARD_PRICE_QUALITY_RATIO},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 900000, f31),
				bid(2, "B", 800000, f22),
				bid(3, "C", 500000, f00)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 3, &r, &E) == KV_OK, "ranked");
	CHECK(r.results[0].ratio_cents == EUR(1440000) &&
		  r.results[1].ratio_cents == 133333333,
	      "ratios 1 440 000,00 and 1 333 333,33");
	CHECK(r.winner == 1, "lowest ratio wins");
	CHECK(!r.results[2].valid &&
		  has(r.results[2].invalid_reason, "quality score of zero"),
	      "quality 0 invalid with reason");
}

static void test_knock_out_criterion(void)
{
	struct award_criterion c[2];
	memcpy(c, flat, sizeof c);
	c[1].knock_out = true;   /* Team: "onvoldoende" excludes */
	static const int f30[] = {3, 0};
	struct award_lot lot = {c, 2, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
				       5000, 0, 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	/* A is cheapest but scores 0 on Team: excluded, so the lowest valid
	 * price is B's and B gets full price points. */
	struct award_bid b[] = {bid(1, "A", 500000, f30),
				bid(2, "B", 800000, f22)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK, "ranked");
	CHECK(!r.results[0].valid &&
		  has(r.results[0].invalid_reason,
		      "knock-out criterion \"Team\""),
	      "knock-out step excludes A: %s", r.results[0].invalid_reason);
	CHECK(r.winner == 1 && r.results[1].price_ppm == 1000000,
	      "B wins with full price points (lowest valid price)");
}

/* --- tie rules ------------------------------------------------------------------- */

static void test_ties(void)
{
	/* Quality only: A 3/1 = 0.5 + 0.125 = 0.625; B 1/3 = 0.125 + 0.5 =
	 * 0.625: equal. */
	struct award_lot lot = {flat, 2, {.kind = AWARD_QUALITY_ONLY,
					  .budget_cents = EUR(1000000)},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 950000, f31),
				bid(2, "B", 900000, f13)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK &&
		  r.results[0].total_ppm == r.results[1].total_ppm &&
		  r.winner == 1 && r.results[0].rank == 2,
	      "lowest price: B (EUR 900 000) wins the tie");
	lot.tie_rule = AWARD_TIE_CRITERION;
	lot.tie_criterion_id = 1;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK && r.winner == 0,
	      "criterion 'Kwaliteit plan': A (1.0 against 0.25) wins");
	lot.tie_criterion_id = 2;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK && r.winner == 1,
	      "criterion 'Team': B wins");
	lot.tie_rule = AWARD_TIE_DRAWING;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK && r.winner == -1 &&
		  r.results[0].rank == 1 && r.results[1].rank == 1 &&
		  r.results[0].put_to_buyer && r.results[1].put_to_buyer,
	      "drawing by notary: put to the buyer");
	/* Same steps: the criterion rule cannot decide either. */
	b[1].steps = f31;
	lot.tie_rule = AWARD_TIE_CRITERION;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK && r.winner == -1 &&
		  r.results[0].put_to_buyer,
	      "equal on the tie criterion too: put to the buyer");
	/* Weighted with absolute price, both below the lower bound: equal
	 * totals (1.0 price points, same quality); lowest price decides. */
	struct award_lot wl = {flat, 2, {AWARD_WEIGHTED, AWARD_PRICE_ABSOLUTE,
					 4000, EUR(1000000), EUR(2000000), 0,
					 0},
			       AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid w2[] = {bid(1, "A", 950000, f22),
				 bid(2, "B", 900000, f22)};
	CHECK(award_rank(A, &wl, w2, 2, &r, &E) == KV_OK &&
		  r.results[0].total_ppm == r.results[1].total_ppm &&
		  r.winner == 1, "weighted tie: the lower price wins");
	CHECK(strcmp(award_tie_rule_label(AWARD_TIE_DRAWING),
		     "Equal scores: lots are drawn before a notary") == 0,
	      "tie rule label");
	CHECK(award_method_from_code("fictive-price") == AWARD_FICTIVE_PRICE &&
		  award_method_from_code("x") == -1 &&
		  strcmp(award_method_code(AWARD_WEIGHTED), "weighted") == 0,
	      "method codes");
}

/* --- rank reversal ------------------------------------------------------------------ */

#define S5 {5, {0, 2000, 6000, 7500, 10000}, {0}}
static struct award_criterion one[] = {
	{1, -1, "Kwaliteit", 10000, S5, false, 0},
};
static const int q60[] = {2}, q75[] = {3}, q20[] = {1};

static void test_rank_reversal(void)
{
	/* Price 50 %, quality 50 %, relative price scoring.
	 *   A EUR 100 000 quality 0.6;  B EUR 120 000 quality 0.75;
	 *   C EUR  80 000 quality 0.2.
	 * With C (lowest 80 000):
	 *   A: 0.8 -> (0.8 + 0.6)/2 = 0.7
	 *   B: 0.666667 (666 667 ppm) -> (666 667 + 750 000)/2 = 708 333.5
	 *      -> 708 334
	 *   C: (1.0 + 0.2)/2 = 0.6            order B, A, C
	 * Without C (lowest 100 000):
	 *   A: (1.0 + 0.6)/2 = 0.8
	 *   B: 0.833333 -> (833 333 + 750 000)/2 = 791 666.5 -> 791 667
	 *   order A, B: removing the last bid reverses the first two.
	 * Without A (lowest still 80 000): B before C, as before. */
	struct award_lot lot = {one, 1, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
					 5000, 0, 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 100000, q60),
				bid(2, "B", 120000, q75),
				bid(3, "C", 80000, q20)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 3, &r, &E) == KV_OK &&
		  r.results[0].total_ppm == 700000 &&
		  r.results[1].total_ppm == 708334 &&
		  r.results[2].total_ppm == 600000 && r.winner == 1,
	      "with C: B 708 334, A 700 000, C 600 000");
	struct award_bid without_c[] = {b[0], b[1]};
	CHECK(award_rank(A, &lot, without_c, 2, &r, &E) == KV_OK &&
		  r.results[0].total_ppm == 800000 &&
		  r.results[1].total_ppm == 791667 && r.winner == 0,
	      "without C: A 800 000, B 791 667");
	struct award_reversal *rv;
	int n;
	CHECK(award_rank_reversal(A, &lot, b, 3, &rv, &n, &E) == KV_OK &&
		  n == 2, "two non-winning bids removed in turn");
	CHECK(rv[0].removed == 0 && !rv[0].order_changed &&
		  !rv[0].winner_changed && rv[0].new_winner == 1,
	      "removing A: B stays before C");
	CHECK(rv[1].removed == 2 && rv[1].order_changed &&
		  rv[1].winner_changed && rv[1].new_winner == 0,
	      "removing C: A and B swap, A wins");
	/* Absolute scoring does not depend on the other bids. */
	lot.method.price_scoring = AWARD_PRICE_ABSOLUTE;
	lot.method.lower_cents = EUR(50000);
	lot.method.upper_cents = EUR(150000);
	CHECK(award_rank_reversal(A, &lot, b, 3, &rv, &n, &E) == KV_OK &&
		  n == 2 && !rv[0].order_changed && !rv[1].order_changed,
	      "absolute scoring: no reversal");
}

/* --- weight sensitivity ---------------------------------------------------------------- */

static struct award_criterion two[] = {
	{1, -1, "Q1", 5000, S4, false, 0},
	{2, -1, "Q2", 5000, S4, false, 0},
};
static const int s12[] = {1, 2}, s32[] = {3, 2};

static void test_sensitivity(void)
{
	/* Price 40 %, Q1 30 %, Q2 30 % (50/50 of the 60 % quality).
	 * Absolute price, bounds EUR 100 000 .. 200 000:
	 *   A EUR 100 000: price 1.0, Q1 0.25, Q2 0.6
	 *      total 0.4 + 0.075 + 0.18 = 0.655
	 *   B EUR 150 000: price 0.5, Q1 1.0, Q2 0.6
	 *      total 0.2 + 0.3 + 0.18 = 0.68        B wins.
	 * Price at weight t, Q1 and Q2 each (1 - t)/2:
	 *   A(t) = t + (1 - t) 0.425,  B(t) = 0.5 t + (1 - t) 0.8
	 *   A - B = 0.875 t - 0.375 = 0 at t = 3/7 = 0.428571...
	 *   t = 0.4286: A = 0.4286 + 0.5714 x 0.425 = 0.671445,
	 *               B = 0.2143 + 0.5714 x 0.8  = 0.671420 -> A wins
	 *   t = 0.4285: A = 0.6713875 -> 671 388, B = 0.67145 -> B wins
	 *   so up 286 bp (A); down never (A - B only falls).
	 * Q1 at weight t, price and Q2 rescaled from 0.4/0.3 to
	 * (1 - t) x 4/7 and 3/7:
	 *   A: others' mean (0.4 x 1 + 0.3 x 0.6)/0.7 = 0.828571
	 *   B: (0.4 x 0.5 + 0.3 x 0.6)/0.7 = 0.542857
	 *   A - B = 0.25 t - t + (1 - t) 0.285714 = 0.285714 - 1.035714 t
	 *         = 0 at t = 8/29 = 0.275862...
	 *   t = 0.2759 (down 241): -39 ppm, B;  t = 0.2758 (down 242):
	 *   +64 ppm, A.  Up never.
	 * Q2 at weight t: both score 0.6 on it; others' means A 0.678571,
	 *   B 0.714286: A - B = -(1 - t) 0.035714 < 0 below t = 1; at
	 *   t = 1 (up 7000 bp) both total 0.6 and the tie rule (lowest
	 *   price) gives A.  At t = 0.9999 B still leads by 3.6 ppm
	 *   (600 011 against 600 008).  Down never. */
	struct award_lot lot = {two, 2, {AWARD_WEIGHTED, AWARD_PRICE_ABSOLUTE,
					 4000, EUR(100000), EUR(200000), 0,
					 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {bid(1, "A", 100000, s12),
				bid(2, "B", 150000, s32)};
	struct award_ranking r;
	CHECK(award_rank(A, &lot, b, 2, &r, &E) == KV_OK &&
		  r.results[0].total_ppm == 655000 &&
		  r.results[1].total_ppm == 680000 && r.winner == 1,
	      "A 0.655, B 0.68");
	struct award_sensitivity *s;
	int n;
	CHECK(award_weight_sensitivity(A, &lot, b, 2, &s, &n, &E) == KV_OK &&
		  n == 3, "three items: price, Q1, Q2 (%s)", E.msg);
	CHECK(s[0].criterion_id == -1 && strcmp(s[0].name, "Price") == 0 &&
		  s[0].weight_bp == 4000, "price 40%%");
	CHECK(s[0].up_bp == 286 && s[0].up_winner == 0,
	      "price up 286 bp -> A (got %d)", s[0].up_bp);
	CHECK(s[0].down_bp == -1, "price down: B stays (got %d)",
	      s[0].down_bp);
	CHECK(s[1].criterion_id == 1 && s[1].weight_bp == 3000 &&
		  s[1].up_bp == -1 && s[1].down_bp == 242 &&
		  s[1].down_winner == 0,
	      "Q1 30%%: up never, down 242 bp -> A (got %d, %d)", s[1].up_bp,
	      s[1].down_bp);
	CHECK(s[2].criterion_id == 2 && s[2].up_bp == 7000 &&
		  s[2].up_winner == 0 && s[2].down_bp == -1,
	      "Q2: only at 100%% does the tie rule give A (got %d)",
	      s[2].up_bp);
	/* With drawing as tie rule, at Q2 = 100 % the first place is put to
	 * the buyer: still a change, winner -1. */
	lot.tie_rule = AWARD_TIE_DRAWING;
	CHECK(award_weight_sensitivity(A, &lot, b, 2, &s, &n, &E) == KV_OK &&
		  s[2].up_bp == 7000 && s[2].up_winner == -1,
	      "tie put to the buyer counts as a change");
	struct award_lot lp = {NULL, 0, {.kind = AWARD_LOWEST_PRICE},
			       AWARD_TIE_LOWEST_PRICE, 0};
	CHECK(award_weight_sensitivity(A, &lp, b, 2, &s, &n, &E) ==
		  KV_INVALID && strcmp(E.field, "method") == 0,
	      "lowest price has no weights to move");
	/* Quality only: Q1 at t, Q2 at 1 - t: A = 0.25 t + 0.6 (1 - t),
	 * B = t + 0.6 (1 - t): B leads for every t > 0, at t = 0 both 0.6
	 * and A (cheaper) wins: down 5000 bp. */
	struct award_lot q = {two, 2, {.kind = AWARD_QUALITY_ONLY,
				       .budget_cents = EUR(200000)},
			      AWARD_TIE_LOWEST_PRICE, 0};
	CHECK(award_weight_sensitivity(A, &q, b, 2, &s, &n, &E) == KV_OK &&
		  n == 2 && s[0].weight_bp == 5000 && s[0].up_bp == -1 &&
		  s[0].down_bp == 5000 && s[0].down_winner == 0 &&
		  s[1].up_bp == 5000 && s[1].down_bp == -1,
	      "quality only: Q1 down 5000, Q2 up 5000");
}

/* --- Monte Carlo ------------------------------------------------------------------- */

static void test_monte_carlo(void)
{
	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
					  3000, 0, 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid b[] = {
	    bid(1, "A", 900000, st_A), bid(2, "B", 1000000, st_B),
	    bid(3, "C", 750000, st_C), bid(4, "D", 1300000, st_D)};
	struct award_mc m1, m2, m3;
	CHECK(award_monte_carlo(A, &lot, b, 4, 0, 10000, 7, &m1, &E) ==
		      KV_OK &&
		  m1.stays == 10000 && m1.probability == 1.0 &&
		  m1.ci_high == 1.0 && m1.ci_low > 0.999,
	      "p = 0: the winner always stays (low %.5f)", m1.ci_low);
	CHECK(award_monte_carlo(A, &lot, b, 4, 2000, 20000, 42, &m1, &E) ==
		  KV_OK, "p = 0.2 runs");
	CHECK(award_monte_carlo(A, &lot, b, 4, 2000, 20000, 42, &m2, &E) ==
		      KV_OK &&
		  m1.stays == m2.stays,
	      "same seed, same result (%lld)", (long long)m1.stays);
	/* Recorded, not computed by hand: a change means the PRNG, its
	 * seeding or the order of the draws changed, and every published
	 * Monte Carlo figure with it. */
	CHECK(m1.stays == 14206, "seed 42 gives 14206 of 20000 (got %lld)",
	      (long long)m1.stays);
	CHECK(m1.stays > 0 && m1.stays < 20000 &&
		  m1.ci_low < m1.probability && m1.probability < m1.ci_high,
	      "p = 0.2: %.4f in [%.4f, %.4f]", m1.probability, m1.ci_low,
	      m1.ci_high);
	CHECK(award_monte_carlo(A, &lot, b, 4, 2000, 20000, 43, &m3, &E) ==
		      KV_OK && m3.stays != m1.stays,
	      "another seed, another sample (%lld)", (long long)m3.stays);
	CHECK(award_monte_carlo(A, &lot, b, 4, 10001, 10, 1, &m1, &E) ==
		  KV_INVALID, "p above 1 refused");
	CHECK(award_monte_carlo(A, &lot, b, 4, 100, 0, 1, &m1, &E) ==
		  KV_INVALID, "no scenarios refused");

	/* Known exactly: quality only, one criterion (S4), A at step 2
	 * (EUR 90 000), B at step 1 (EUR 95 000), p = 1: every score moves.
	 * A goes to 1 or 3, B to 0 or 2, each with chance 1/2:
	 *   A1 B0 -> A;  A1 B2 -> B;  A3 B0 -> A;  A3 B2 -> A
	 * so the winner stays with probability 3/4. */
	static struct award_criterion q[] = {{1, -1, "Q", 10000, S4, false,
					      0}};
	static const int a2[] = {2}, b1[] = {1};
	struct award_lot ql = {q, 1, {.kind = AWARD_QUALITY_ONLY,
				      .budget_cents = EUR(100000)},
			       AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid qb[] = {bid(1, "A", 90000, a2),
				 bid(2, "B", 95000, b1)};
	CHECK(award_monte_carlo(A, &ql, qb, 2, 10000, 100000, 2024, &m1,
				&E) == KV_OK &&
		  m1.ci_low <= 0.75 && 0.75 <= m1.ci_high,
	      "p = 1: 3/4 inside [%.4f, %.4f]", m1.ci_low, m1.ci_high);
	/* p = 0.5: each moves with 1/2, down or up 1/4 each.  A stays
	 * unless B ends above A: A1 (1/4) loses to B2 (1/4); A2 (1/2) ties
	 * B2 -> A wins on price; so 1 - 1/16 = 15/16 = 0.9375. */
	CHECK(award_monte_carlo(A, &ql, qb, 2, 5000, 100000, 2025, &m1,
				&E) == KV_OK &&
		  m1.ci_low <= 0.9375 && 0.9375 <= m1.ci_high,
	      "p = 0.5: 15/16 inside [%.4f, %.4f]", m1.ci_low, m1.ci_high);

	double lo, hi;
	award_wilson95(50, 100, &lo, &hi);
	/* Wilson, z = 1.96, p = 0.5, n = 100: centre 0.5, half =
	 * 1.96/1.038416 x sqrt(0.0025 + 0.00009604) = 1.887487 x 0.050951
	 * = 0.096170 -> [0.40383, 0.59617] */
	CHECK(lo > 0.4038 && lo < 0.4039 && hi > 0.5961 && hi < 0.5962,
	      "Wilson interval of 50/100: [%.5f, %.5f]", lo, hi);
}

/* --- the fast Monte Carlo against the general path -------------------------------
 * award_monte_carlo looks scores up in precomputed tables;
 * award_monte_carlo_reference scores each scenario through the ranking
 * code.  On random lots (trees up to three levels, scales of 2..6 steps,
 * every method, price scoring and tie rule, knock-out criteria, bids
 * knocked out or above the budget, equal prices and scores) both must
 * give the same status and the same count, scenario for scenario. */

static uint64_t rnd_state = 0x6b6176656cULL;

static int rnd(int n)   /* 0..n-1, a fixed LCG: the test is reproducible */
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)((rnd_state >> 33) % (uint64_t)n);
}

/* Splits 10000 bp into k weights of at least 1. */
static void split_weights(int *w, int k)
{
	int left = AWARD_BP_WHOLE;
	for (int i = 0; i < k - 1; i++) {
		int most = left - (k - 1 - i);
		w[i] = 1 + rnd(most < 2 * AWARD_BP_WHOLE / k ? most :
				2 * AWARD_BP_WHOLE / k);
		left -= w[i];
	}
	w[k - 1] = left;
}

static void random_scale(struct award_scale *s)
{
	memset(s, 0, sizeof *s);
	s->n_steps = 2 + rnd(5);
	int v = rnd(3) == 0 ? 0 : rnd(2000);
	for (int k = 0; k < s->n_steps; k++) {
		s->value_bp[k] = v;
		v += 1 + rnd((AWARD_BP_WHOLE - v) / (s->n_steps - k) + 1);
		if (v > AWARD_BP_WHOLE)
			v = AWARD_BP_WHOLE;
	}
	if (rnd(2))
		s->value_bp[s->n_steps - 1] = AWARD_BP_WHOLE;
	for (int k = 1; k < s->n_steps; k++)   /* keep strictly ascending */
		if (s->value_bp[k] <= s->value_bp[k - 1])
			s->n_steps = k;
	if (s->n_steps < 2) {
		s->n_steps = 2;
		s->value_bp[0] = 0;
		s->value_bp[1] = AWARD_BP_WHOLE;
	}
}

/* A random tree into c (returns n): top-level criteria, some with
 * sub-criteria, some of those with their own. */
static int random_tree(struct award_criterion *c)
{
	int n = 0, top = 1 + rnd(4), wt[8];
	split_weights(wt, top);
	for (int t = 0; t < top; t++) {
		int ti = n;
		c[n++] = (struct award_criterion){100 + t, -1, "T", wt[t],
						  {0}, false, 0};
		int kids = rnd(3) == 0 ? 0 : 2 + rnd(3);
		if (kids == 0)
			continue;
		int wk[8];
		split_weights(wk, kids);
		for (int k = 0; k < kids; k++) {
			int ki = n;
			c[n++] = (struct award_criterion){
			    1000 + 10 * t + k, c[ti].id, "K", wk[k], {0},
			    false, 0};
			int gk = rnd(4) == 0 ? 2 + rnd(2) : 0, wg[8];
			if (gk == 0)
				continue;
			split_weights(wg, gk);
			for (int g = 0; g < gk; g++)
				c[n++] = (struct award_criterion){
				    10000 + 100 * t + 10 * k + g, c[ki].id,
				    "G", wg[g], {0}, false, 0};
		}
	}
	for (int i = 0; i < n; i++) {
		bool leaf = true;
		for (int j = i + 1; j < n; j++)
			if (c[j].parent == c[i].id)
				leaf = false;
		if (!leaf)
			continue;
		random_scale(&c[i].scale);
		c[i].knock_out = rnd(6) == 0;
		c[i].value_cents = EUR(rnd(50000));
	}
	return n;
}

static void test_monte_carlo_fast(void)
{
	enum { N_LOTS = 300, MAXC = 40, MAXB = 7 };
	static struct award_criterion c[MAXC];
	static int steps[MAXB][MAXC];
	int compared = 0, differ = 0, status_differ = 0;
	int64_t total = 0;
	for (int t = 0; t < N_LOTS; t++) {
		int n = random_tree(c);
		struct award_lot lot = {c, n, {0}, AWARD_TIE_LOWEST_PRICE, 0};
		lot.method.kind = (enum award_method_kind)rnd(5);
		lot.method.price_scoring = (enum award_price_scoring)rnd(3);
		lot.method.price_weight_bp = rnd(3) == 0 ? 0 : rnd(8000);
		lot.method.lower_cents = EUR(80000 + rnd(10000));
		lot.method.upper_cents = EUR(120000 + rnd(20000));
		lot.method.log_k_bp = 12000 + rnd(20000);
		lot.method.budget_cents = EUR(100000 + rnd(15000));
		lot.tie_rule = (enum award_tie_rule)rnd(3);
		lot.tie_criterion_id = c[rnd(n)].id;
		int nb = 2 + rnd(MAXB - 1);
		struct award_bid b[MAXB];
		for (int k = 0; k < nb; k++) {
			for (int i = 0; i < n; i++)
				steps[k][i] = c[i].scale.n_steps ?
				    rnd(c[i].scale.n_steps) : 0;
			/* equal prices now and then, for the tie rules */
			int64_t price = EUR(rnd(4) == 0 ? 100000 :
					    85000 + rnd(30000));
			b[k] = bid(k + 1, "X", price / 100, steps[k]);
			if (rnd(8) == 0) {
				b[k].knocked_out = true;
				b[k].knock_out_reason = "excluded";
			}
		}
		int p_bp = rnd(4) == 0 ? AWARD_BP_WHOLE : rnd(AWARD_BP_WHOLE);
		int64_t sc = 1 + rnd(1500);
		uint64_t seed = (uint64_t)rnd(1 << 30);
		struct award_mc f, r;
		struct kv_error e1, e2;
		enum kv_status s1 = award_monte_carlo(A, &lot, b, nb, p_bp, sc,
						      seed, &f, &e1);
		enum kv_status s2 = award_monte_carlo_reference(
		    A, &lot, b, nb, p_bp, sc, seed, &r, &e2);
		if (s1 != s2) {
			status_differ++;
			continue;
		}
		if (s1 != KV_OK)
			continue;
		compared++;
		total += sc;
		if (f.stays != r.stays || f.scenarios != r.scenarios)
			differ++;
	}
	CHECK(status_differ == 0, "fast and general path: same status on "
	      "%d random lots (%d differ)", N_LOTS, status_differ);
	CHECK(compared > N_LOTS / 3 && differ == 0,
	      "fast and general path: the same count on %d random lots, "
	      "%lld scenarios (%d differ)", compared, (long long)total,
	      differ);

	/* The recorded seed through the general path too. */
	struct award_lot lot = {tree, 4, {AWARD_WEIGHTED, AWARD_PRICE_RELATIVE,
					  3000, 0, 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid bb[] = {
	    bid(1, "A", 900000, st_A), bid(2, "B", 1000000, st_B),
	    bid(3, "C", 750000, st_C), bid(4, "D", 1300000, st_D)};
	struct award_mc m;
	CHECK(award_monte_carlo_reference(A, &lot, bb, 4, 2000, 20000, 42, &m,
					  &E) == KV_OK && m.stays == 14206,
	      "general path: seed 42 gives 14206 of 20000 (got %lld)",
	      (long long)m.stays);
}

int main(void)
{
	A = arena_new();
	test_checks();
	test_weighted_absolute();
	test_weighted_relative();
	test_weighted_log();
	test_fictive();
	test_quality_only();
	test_lowest_price();
	test_ratio();
	test_knock_out_criterion();
	test_ties();
	test_rank_reversal();
	test_sensitivity();
	test_monte_carlo();
	test_monte_carlo_fast();
	arena_free(A);
	return tap_done();
}
