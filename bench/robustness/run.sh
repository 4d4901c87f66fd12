#!/usr/bin/env bash
# The award Monte Carlo in C (src/core/award.c) against the same
# computation in numpy, in the same run.
#
#   bench/robustness/run.sh                  1 000 000 scenarios
#   SCENARIOS=200000 bench/robustness/run.sh
#   SEED=7 bench/robustness/run.sh           both programs take the seed
#
# Builds bench_robustness with gcc -O2 into a temporary directory (no
# meson, nothing in the tree changes), runs it and robustness.py (Debian's
# /usr/bin/python3 with python3-numpy) under /usr/bin/time -v, prints each
# one's result line, the Monte Carlo seconds of both, the ratio and the
# peak memory, and checks:
#   - both compute the same base totals and the same winner;
#   - the two winner-stays estimates agree: their 95 % intervals overlap;
#   - C is at least 5x faster (a miss is reported; exit 3 only with
#     BENCH_STRICT=1).
# Exit 1 when a check of agreement fails.  See README.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
SCENARIOS=${SCENARIOS:-1000000}
SEED=${SEED:-20261124}
MIN_RATIO=5
PY=/usr/bin/python3

die() { echo "robustness: $*" >&2; exit 1; }

command -v gcc >/dev/null || die "gcc is missing"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"
$PY -c 'import numpy' 2>/dev/null ||
    die "numpy is missing for $PY (apt-get install -y python3-numpy)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

gcc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Isrc \
    bench/robustness/bench_robustness.c src/core/award.c src/core/arena.c \
    src/core/error.c src/core/validate.c -lm -o "$TMP/bench_robustness"

/usr/bin/time -v -o "$TMP/c.time" "$TMP/bench_robustness" "$SCENARIOS" "$SEED" \
    >"$TMP/c.out"
/usr/bin/time -v -o "$TMP/py.time" $PY bench/robustness/robustness.py \
    "$SCENARIOS" "$SEED" >"$TMP/py.out"

field() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; }
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }

echo "C:     $(cat "$TMP/c.out")"
echo "numpy: $(cat "$TMP/py.out")"
CS=$(field "$TMP/c.out" seconds); PS=$(field "$TMP/py.out" seconds)
echo "Monte Carlo seconds: C $CS, numpy $PS;" \
     "whole process (wall): C $(wall "$TMP/c.time"), numpy $(wall "$TMP/py.time");" \
     "peak RSS: C $(rss "$TMP/c.time") KiB, numpy $(rss "$TMP/py.time") KiB"

fail=0
[[ $(field "$TMP/c.out" totals) == $(field "$TMP/py.out" totals) ]] ||
    { echo "MISMATCH: base totals differ"; fail=1; }
[[ $(field "$TMP/c.out" winner) == $(field "$TMP/py.out" winner) ]] ||
    { echo "MISMATCH: winners differ"; fail=1; }

read -r RATIO OVERLAP < <(awk -v cs="$CS" -v ps="$PS" \
    -v cl="$(field "$TMP/c.out" ci_low)" -v ch="$(field "$TMP/c.out" ci_high)" \
    -v pl="$(field "$TMP/py.out" ci_low)" -v ph="$(field "$TMP/py.out" ci_high)" \
    'BEGIN { printf "%.1f %d\n", ps / cs, (cl <= ph && pl <= ch) }')
if [[ $OVERLAP == 1 ]]; then
    echo "estimates agree: the two 95% intervals overlap"
else
    echo "MISMATCH: the two 95% intervals do not overlap"; fail=1
fi
echo "ratio numpy/C: ${RATIO}x (target >= ${MIN_RATIO}x)"
[[ $fail == 0 ]] || exit 1
if awk -v r="$RATIO" -v m="$MIN_RATIO" 'BEGIN { exit !(r < m) }'; then
    echo "TARGET MISSED: C is less than ${MIN_RATIO}x faster"
    [[ ${BENCH_STRICT:-0} == 1 ]] && exit 3
fi
exit 0
