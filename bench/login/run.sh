#!/usr/bin/env bash
# Kavel's login benchmark (issue 13): does a burst of logins hold up reads?
#
#   bench/login/run.sh
#
# A reader (wrk, one connection) reads /api/v1/me as a logged-in council
# member, first alone, then beside 32 loops of requests the login route
# refuses at once (the control: the loops' own traffic), then beside 32
# login loops on one account, then
# beside 32 loops that each try a fresh unknown address from a fresh client
# (every attempt a full argon2id check), then alone again; it prints each
# phase's p50/p99 and the loaded p99 against the idle one, all in the same
# run.  Goal: at most 2x.
#
# Settings: BENCH_SECONDS (10 per phase), KAVEL_BIN (bench that binary,
# build nothing; e.g. an older build for the before figure),
# BENCH_KEEP=1 (keep the temp dir), BENCH_LOOP_NICE (19: the loops' nice
# value; 0 lets them compete with the server for the CPU), BENCH_PACE_MS
# (0: the reader reads back to back; e.g. 5: it waits 5 ms between
# requests, as a person does, and no longer takes a core itself).  See
# bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_PER_PHASE=${BENCH_SECONDS:-10}

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*"; }

. bench/lib.sh
kavel_release_binary
command -v wrk >/dev/null || ./scripts/deps.sh --bench
command -v wrk >/dev/null || die "wrk is needed (scripts/deps.sh --bench)"
command -v curl >/dev/null || die "curl is needed"

TMP=$(mktemp -d /tmp/kavel-login.XXXXXX)
KAVEL_PID=
cleanup() {
    local status=$?
    if [[ -n $KAVEL_PID ]]; then
        kill -TERM "$KAVEL_PID" 2>/dev/null || true
        wait "$KAVEL_PID" 2>/dev/null || true
    fi
    if (( status != 0 )) && [[ -s $TMP/kavel.log ]]; then
        echo "---- last lines of the server log"; tail -n 20 "$TMP/kavel.log"
    fi
    [[ -n ${BENCH_KEEP:-} ]] && echo "bench: kept $TMP" || rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$KAVEL" demo --db "$TMP/kavel.db" --reset > "$TMP/demo.log" 2>&1 \
    || { cat "$TMP/demo.log"; die "kavel demo failed"; }
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The loops come from 127.0.0.1 and name their clients in X-Forwarded-For,
# as nginx would; an older Kavel without --trusted-proxy gets none.
# (Its usage, printed for an unknown option, names the setting; the
# command fails, so not in a pipe under pipefail.)
EXTRA=(--trusted-proxy 127.0.0.1)
usage=$("$KAVEL" serve --help 2>&1 || true)
[[ $usage == *--trusted-proxy* ]] || EXTRA=()
"$KAVEL" serve --db "$TMP/kavel.db" --listen "127.0.0.1:$PORT" --max-per-address 512 \
    "${EXTRA[@]}" > "$TMP/kavel.log" 2>&1 &
KAVEL_PID=$!
for _ in $(seq 200); do
    kill -0 "$KAVEL_PID" 2>/dev/null || die "kavel serve exited"
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true) == 200 ]] && break
    sleep 0.1
done
log "kavel serve on 127.0.0.1:$PORT (pid $KAVEL_PID), $(nproc) cores, ${SECONDS_PER_PHASE} s per phase"
python3 "$ROOT/bench/login/login_bench.py" --port "$PORT" --seconds "$SECONDS_PER_PHASE" \
    --loop-nice "${BENCH_LOOP_NICE:-19}" --pace-ms "${BENCH_PACE_MS:-0}"
