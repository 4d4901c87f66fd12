/*
 * bench_robustness.c - how fast the award core's Monte Carlo runs
 * (award_monte_carlo in src/core/award.c) on a fixed example: 5 bids x 8
 * leaf criteria under 2 top-level criteria, weighted factor with price
 * 40 % scored relative to the lowest price, tie rule lowest price, each
 * consensus step moving one step with probability 0.25.
 *
 *   bench_robustness [SCENARIOS] [SEED]      default 1000000, 20261124
 *
 * Prints one line of key=value pairs (run.sh reads it): the winner, the
 * scenarios, the seconds the Monte Carlo took (CLOCK_MONOTONIC), the
 * scenarios per second, the winner-stays count, probability and its 95 %
 * Wilson interval.  robustness.py holds the same example; keep them
 * identical.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/award.h"

#define EUR(x) ((int64_t)(x) * 100)

/* The two scales of the example. */
#define S4 {4, {0, 2500, 6000, 10000}, {0}}
#define S5 {5, {0, 2500, 5000, 7500, 10000}, {0}}

static const struct award_criterion criteria[] = {
	{1, -1, "Aanpak", 6000, {0}, false, 0},
	{11, 1, "Visie op de wijk", 3000, S4, false, 0},
	{12, 1, "Vroegsignalering", 3000, S5, false, 0},
	{13, 1, "Integraal werken", 2000, S4, false, 0},
	{14, 1, "Inwonersparticipatie", 2000, S5, false, 0},
	{2, -1, "Organisatie", 4000, {0}, false, 0},
	{21, 2, "Samenwerking in het consortium", 4000, S4, false, 0},
	{22, 2, "Personeel en deskundigheid", 2000, S5, false, 0},
	{23, 2, "Implementatie", 2000, S4, false, 0},
	{24, 2, "Kwaliteitszorg", 2000, S5, false, 0},
};
#define N_CRIT ((int)(sizeof criteria / sizeof criteria[0]))

/* Steps per criterion index (indices 0 and 5 are parents, not read). */
static const int steps[5][N_CRIT] = {
	{0, 2, 3, 2, 2, 0, 2, 3, 2, 3},   /* Wijkzorg Noord */
	{0, 3, 2, 2, 3, 0, 2, 2, 2, 2},   /* Samen Sterk */
	{0, 2, 2, 1, 2, 0, 3, 2, 2, 2},   /* Buurtkracht */
	{0, 1, 2, 2, 2, 0, 1, 2, 1, 2},   /* De Brug */
	{0, 3, 3, 2, 3, 0, 2, 3, 2, 3},   /* Kwadrant */
};
static const int64_t prices_eur[5] = {2450000, 2390000, 2300000, 2150000,
				      2900000};
static const char *const names[5] = {"Wijkzorg Noord", "Samen Sterk",
				     "Buurtkracht", "De Brug", "Kwadrant"};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	int64_t scenarios = argc > 1 ? strtoll(argv[1], NULL, 10) : 1000000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261124;
	struct award_lot lot = {criteria, N_CRIT,
				{AWARD_WEIGHTED, AWARD_PRICE_RELATIVE, 4000, 0,
				 0, 0, 0},
				AWARD_TIE_LOWEST_PRICE, 0};
	struct award_bid bids[5];
	for (int b = 0; b < 5; b++)
		bids[b] = (struct award_bid){b + 1, names[b],
					     EUR(prices_eur[b]), steps[b],
					     false, NULL};
	arena *a = arena_new();
	struct kv_error e;
	struct award_ranking r;
	if (award_rank(a, &lot, bids, 5, &r, &e) != KV_OK) {
		fprintf(stderr, "bench_robustness: %s\n", e.msg);
		return 1;
	}
	struct award_mc mc;
	double t0 = now();
	if (award_monte_carlo(a, &lot, bids, 5, 2500, scenarios, seed, &mc,
			      &e) != KV_OK) {
		fprintf(stderr, "bench_robustness: %s\n", e.msg);
		return 1;
	}
	double secs = now() - t0;
	printf("impl=c winner=%d totals=", r.winner);
	for (int b = 0; b < 5; b++)
		printf("%s%" PRId64, b ? "," : "", r.results[b].total_ppm);
	printf(" scenarios=%" PRId64 " seconds=%.4f per_second=%.0f "
	       "stays=%" PRId64 " probability=%.6f ci_low=%.6f "
	       "ci_high=%.6f\n",
	       mc.scenarios, secs, (double)mc.scenarios / secs, mc.stays,
	       mc.probability, mc.ci_low, mc.ci_high);
	arena_free(a);
	return 0;
}
