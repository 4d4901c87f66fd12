#!/usr/bin/python3
"""robustness.py - the Monte Carlo of bench_robustness.c in numpy.

The same example (5 bids x 8 leaf criteria under 2 top-level criteria,
price 40 % scored relative to the lowest price, tie rule lowest price) and
the same rule as award.c: each consensus step moves one scale step with
probability p = 0.25, down or up with equal chance, a move past either end
of the scale stays; a criterion with sub-criteria scores the weighted sum
of their scores rounded to a whole ppm (half up); the total is
(price weight x price points + sum of top-level weights x scores) / 10^8
rounded to a whole ppm; the highest total wins, equal totals go to the
lower price.  Only the PRNG differs (numpy's PCG64 here, xoshiro256** in
C), so the two estimates agree within sampling error, not to the digit.

    /usr/bin/python3 bench/robustness/robustness.py [SCENARIOS] [SEED]

Vectorised over chunks of scenarios (CHUNK at a time, to bound memory).
Prints one key=value line like bench_robustness.
"""
import sys
import time

import numpy as np

# 25 000 scenarios a chunk was numpy's fastest here (20 000..30 000 alike;
# 200 000 took twice as long: the arrays leave the cache).
CHUNK = 25_000
P_BP = 2500
PRICE_WEIGHT_BP = 4000

S4 = [0, 2500, 6000, 10000]
S5 = [0, 2500, 5000, 7500, 10000]
# The eight leaves in criteria order: (top-level index, weight bp, scale)
LEAVES = [
    (0, 3000, S4), (0, 3000, S5), (0, 2000, S4), (0, 2000, S5),
    (1, 4000, S4), (1, 2000, S5), (1, 2000, S4), (1, 2000, S5),
]
TOP_WEIGHTS = [6000, 4000]
# Steps per leaf, per bid (the parents' columns of the C table left out).
STEPS = np.array([
    [2, 3, 2, 2, 2, 3, 2, 3],   # Wijkzorg Noord
    [3, 2, 2, 3, 2, 2, 2, 2],   # Samen Sterk
    [2, 2, 1, 2, 3, 2, 2, 2],   # Buurtkracht
    [1, 2, 2, 2, 1, 2, 1, 2],   # De Brug
    [3, 3, 2, 3, 2, 3, 2, 3],   # Kwadrant
], dtype=np.int64)
PRICES = np.array([2450000, 2390000, 2300000, 2150000, 2900000],
                  dtype=np.int64) * 100

N_BIDS, N_LEAVES = STEPS.shape
MAX_STEPS = max(len(s) for _, _, s in LEAVES)
VALUES = np.zeros((N_LEAVES, MAX_STEPS), dtype=np.int64)
for i, (_, _, scale) in enumerate(LEAVES):
    VALUES[i, :len(scale)] = scale
TOP_STEP = np.array([len(s) - 1 for _, _, s in LEAVES], dtype=np.int64)
# Leaf weight matrix (8 x 2): leaf i contributes weight to its parent.
W = np.zeros((N_LEAVES, 2), dtype=np.int64)
for i, (parent, w, _) in enumerate(LEAVES):
    W[i, parent] = w
# Item weights in 10^-8 of the total: price, then the top-level criteria.
V_PRICE = PRICE_WEIGHT_BP * 10000
V_TOP = np.array([(10000 - PRICE_WEIGHT_BP) * w for w in TOP_WEIGHTS],
                 dtype=np.int64)


def half_up(n, d):
    """n / d rounded half away from zero, n >= 0."""
    return (n + d // 2) // d


def totals(steps):
    """Totals (ppm) of steps shaped (..., N_BIDS, N_LEAVES)."""
    leaf_ppm = VALUES[np.arange(N_LEAVES), steps] * 100
    top = half_up(leaf_ppm @ W, 10000)              # (..., N_BIDS, 2)
    lowest = PRICES.min()                           # no knock-outs here
    price_pts = half_up(1_000_000 * lowest, PRICES)  # (N_BIDS,)
    raw = V_PRICE * price_pts + top @ V_TOP
    return half_up(raw, 100_000_000)


def winner(tot):
    """Index of the winner per row: highest total, then lowest price;
    the example's prices are all different, so the rule always decides."""
    price_rank = np.argsort(np.argsort(PRICES))      # 0 = cheapest
    key = tot * N_BIDS + (N_BIDS - 1 - price_rank)
    return np.argmax(key, axis=-1)


def wilson95(k, n):
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n +
                                         z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def main():
    scenarios = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261124
    base_tot = totals(STEPS)
    win0 = int(winner(base_tot))
    rng = np.random.default_rng(seed)
    p = P_BP / 10000
    t0 = time.perf_counter()
    stays = 0
    done = 0
    while done < scenarios:
        c = min(CHUNK, scenarios - done)
        u = rng.random((c, N_BIDS, N_LEAVES))
        move = (u >= p / 2).astype(np.int64) - (u < p / 2)
        move[u >= p] = 0
        steps = np.clip(STEPS + move, 0, TOP_STEP)
        stays += int(np.count_nonzero(winner(totals(steps)) == win0))
        done += c
    secs = time.perf_counter() - t0
    lo, hi = wilson95(stays, scenarios)
    print(f"impl=numpy winner={win0} totals="
          f"{','.join(str(int(t)) for t in base_tot)} "
          f"scenarios={scenarios} seconds={secs:.4f} "
          f"per_second={scenarios / secs:.0f} stays={stays} "
          f"probability={stays / scenarios:.6f} ci_low={lo:.6f} "
          f"ci_high={hi:.6f}")


if __name__ == "__main__":
    main()
