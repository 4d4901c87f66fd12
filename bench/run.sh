#!/usr/bin/env bash
# Kavel's HTTP benchmark: Kavel's procedure page and API against nginx
# serving static files of the same sizes, with wrk, on loopback only.
#
#   bench/run.sh                       build release, run, print and save
#   BENCH_SECONDS=30 bench/run.sh      longer measured runs (default 15)
#   KAVEL_BIN=path/to/kavel bench/run.sh   bench that binary, build nothing
#
# Other settings: BENCH_WARMUP (s, default 2), BENCH_THREADS (2),
# BENCH_CONNECTIONS (64), BENCH_PROCEDURE (procedure id, 1),
# BENCH_STRICT=1 (exit 3 when a target is missed), BENCH_KEEP=1 (keep the
# temporary directory with logs and wrk outputs).
# See bench/README.md for what is measured and the targets.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

SECS=${BENCH_SECONDS:-15}
WARMUP=${BENCH_WARMUP:-2}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
PROC_ID=${BENCH_PROCEDURE:-1}
KAVEL_ADDR=127.0.0.1:18080
NGINX_ADDR=127.0.0.1:18081
EMAIL=buyer@dordrecht.example
PASSWORD=kavel-demo-2022
# Targets: Kavel's throughput at least half nginx's, its p99 at most twice.
MIN_THROUGHPUT_RATIO=0.5
MAX_P99_RATIO=2.0

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*"; }

# ---------------------------------------------------------------- build
./scripts/deps.sh --bench
. bench/lib.sh
kavel_release_binary

# ------------------------------------------------------- processes, cleanup
TMP=$(mktemp -d /tmp/kavel-bench.XXXXXX)
KAVEL_PID=
NGINX_PID=

# (stop and cleanup run from the EXIT trap.)
# shellcheck disable=SC2317
# stop PID: SIGTERM, up to 5 s to exit, then SIGKILL.  Only our own ids.
stop() {
    local pid=$1
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() {
    local status=$?
    stop "$NGINX_PID"
    stop "$KAVEL_PID"
    if (( status != 0 )); then
        for f in "$TMP"/kavel.log "$TMP"/nginx-error.log; do
            [[ -s $f ]] && { echo "---- last lines of $f"; tail -n 20 "$f"; }
        done
    fi
    if [[ -n ${BENCH_KEEP:-} ]]; then
        echo "bench: kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# port_in_use HOST:PORT: something already listens there.
port_in_use() {
    (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null
}
# wait_http URL PID SECONDS: until URL answers 200 while PID lives.
wait_http() {
    local url=$1 pid=$2 secs=$3
    for _ in $(seq $((secs * 10))); do
        kill -0 "$pid" 2>/dev/null || die "process $pid exited before $url answered"
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]] && return 0
        sleep 0.1
    done
    die "$url did not answer 200 within ${secs}s"
}

for addr in "$KAVEL_ADDR" "$NGINX_ADDR"; do
    port_in_use "$addr" && die "$addr is already in use"
done

# ------------------------------------------------------------------ Kavel
log "loading the demo data"
"$KAVEL" demo --db "$TMP/bench.db" --reset > "$TMP/demo.log" 2>&1 \
    || { cat "$TMP/demo.log"; die "kavel demo failed"; }
log "starting kavel serve on $KAVEL_ADDR"
# wrk's connections all come from 127.0.0.1, so the per-address cap (32 by
# default, meant for real clients) is raised above -c.
"$KAVEL" serve --db "$TMP/bench.db" --listen "$KAVEL_ADDR" --static "$ROOT/static" \
    --max-per-address 1024 > "$TMP/kavel.log" 2>&1 &
KAVEL_PID=$!
wait_http "http://$KAVEL_ADDR/healthz" "$KAVEL_PID" 20

# Log in once; the session cookie goes with every request below.
code=$(curl -sS -o "$TMP/login.json" -D "$TMP/login.headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    --data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    "http://$KAVEL_ADDR/api/v1/login") || true
[[ $code == 200 ]] || die "login answered ${code:-nothing}: $(cat "$TMP/login.json" 2>/dev/null)"
COOKIE=$(tr -d '\r' < "$TMP/login.headers" \
    | sed -nE 's/^[Ss]et-[Cc]ookie: *(kavel_session=[^;]*).*/\1/p' | head -n 1)
[[ -n $COOKIE ]] || die "login set no kavel_session cookie"

PAGE_PATH=/procedures/$PROC_ID
API_PATH=/api/v1/procedures/$PROC_ID
mkdir -p "$TMP/www"
# fetch PATH FILE: GET with the cookie into FILE, which must be a 200.
fetch() {
    local code
    code=$(curl -sS -o "$2" -w '%{http_code}' -H "Cookie: $COOKIE" "http://$KAVEL_ADDR$1") || true
    [[ $code == 200 ]] || die "GET $1 answered ${code:-nothing}"
}
# nginx serves Kavel's own bodies: same size, same type of content.
fetch "$PAGE_PATH" "$TMP/www/page.html"
fetch "$API_PATH" "$TMP/www/api.json"
PAGE_BYTES=$(stat -c %s "$TMP/www/page.html")
API_BYTES=$(stat -c %s "$TMP/www/api.json")
log "procedure page: $PAGE_BYTES bytes; API body: $API_BYTES bytes"

# ------------------------------------------------------------------ nginx
# Workers run as nobody when started as root: let them read www/.
chmod 755 "$TMP" "$TMP/www"
chmod 644 "$TMP/www/"*
sed -e "s|@DIR@|$TMP|g" -e "s|@LISTEN@|$NGINX_ADDR|g" \
    "$ROOT/bench/nginx.conf.in" > "$TMP/nginx.conf"
nginx -q -t -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" \
    || die "nginx rejected $TMP/nginx.conf"
log "starting nginx on $NGINX_ADDR"
nginx -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" &
NGINX_PID=$!
wait_http "http://$NGINX_ADDR/page.html" "$NGINX_PID" 10
for f in page.html:$PAGE_BYTES api.json:$API_BYTES; do
    got=$(curl -s -o /dev/null -w '%{size_download}' "http://$NGINX_ADDR/${f%%:*}")
    [[ $got == "${f#*:}" ]] || die "nginx served ${f%%:*} with $got bytes, not ${f#*:}"
done

# -------------------------------------------------------------------- wrk
# measure NAME URL: a warm-up run, then the measured run into wrk-NAME.txt.
measure() {
    local name=$1 url=$2
    log "wrk $url (${WARMUP}s warm-up, ${SECS}s measured)"
    if (( WARMUP > 0 )); then
        wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -H "Cookie: $COOKIE" "$url" > /dev/null
    fi
    wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -H "Cookie: $COOKIE" "$url" \
        > "$TMP/wrk-$name.txt"
    sed 's/^/    /' "$TMP/wrk-$name.txt"
}
# The cookie goes to nginx too, so that both get requests of the same size.
measure kavel-page "http://$KAVEL_ADDR$PAGE_PATH"
measure kavel-api "http://$KAVEL_ADDR$API_PATH"
measure nginx-page "http://$NGINX_ADDR/page.html"
measure nginx-api "http://$NGINX_ADDR/api.json"

# parse NAME: "req/s p99-in-ms non-2xx socket-errors" from wrk-NAME.txt.
parse() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
            if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
            return -1
        }
        /^Requests\/sec:/               { rps = $2 }
        $1 == "99%"                     { p99 = ms($2) }
        /Non-2xx or 3xx responses:/     { non2xx = $NF }
        /Socket errors:/ {
            gsub(/,/, ""); errors = $4 + $6 + $8 + $10
        }
        END { printf "%s %.3f %d %d\n", rps == "" ? 0 : rps, p99 == "" ? -1 : p99, non2xx, errors }
    ' "$TMP/wrk-$1.txt"
}
read -r kp_rps kp_p99 kp_bad kp_err < <(parse kavel-page)
read -r ka_rps ka_p99 ka_bad ka_err < <(parse kavel-api)
read -r np_rps np_p99 np_bad np_err < <(parse nginx-page)
read -r na_rps na_p99 na_bad na_err < <(parse nginx-api)

# ratio A B: A / B with two decimals ("n/a" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict VALUE OP LIMIT: "ok" or "MISSED".
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v == "n/a") { print "MISSED"; exit }
        ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
        print ok ? "ok" : "MISSED" }'
}
tp_page=$(ratio "$kp_rps" "$np_rps");  lat_page=$(ratio "$kp_p99" "$np_p99")
tp_api=$(ratio "$ka_rps" "$na_rps");   lat_api=$(ratio "$ka_p99" "$na_p99")
missed=0
report() {
    echo "Kavel bench $(date '+%Y-%m-%d %H:%M')"
    echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), binary $KAVEL"
    echo "wrk -t$THREADS -c$CONNS -d${SECS}s --latency (after ${WARMUP}s warm-up), loopback," \
         "$(nproc) cores shared by server and wrk; nginx $(nginx -v 2>&1 | sed 's|.*/||'), 2 workers"
    echo "procedure page $PAGE_PATH: $PAGE_BYTES bytes; API $API_PATH: $API_BYTES bytes"
    echo
    printf '%-40s %12s %10s %9s %8s\n' target 'req/s' 'p99 ms' 'non-2xx' 'errors'
    printf '%-40s %12.1f %10.2f %9d %8d\n' \
        "kavel  $PAGE_PATH (HTML)" "$kp_rps" "$kp_p99" "$kp_bad" "$kp_err" \
        "kavel  $API_PATH" "$ka_rps" "$ka_p99" "$ka_bad" "$ka_err" \
        "nginx  static, $PAGE_BYTES bytes" "$np_rps" "$np_p99" "$np_bad" "$np_err" \
        "nginx  static, $API_BYTES bytes" "$na_rps" "$na_p99" "$na_bad" "$na_err"
    echo
    printf '%-40s %-22s %-22s\n' 'kavel / nginx' "throughput (>= $MIN_THROUGHPUT_RATIO)" "p99 (<= $MAX_P99_RATIO)"
    for row in "procedure page:$tp_page:$lat_page" "API:$tp_api:$lat_api"; do
        IFS=: read -r what tp lat <<< "$row"
        local vt vl
        vt=$(verdict "$tp" '>=' "$MIN_THROUGHPUT_RATIO")
        vl=$(verdict "$lat" '<=' "$MAX_P99_RATIO")
        [[ $vt == ok && $vl == ok ]] || missed=1
        printf '%-40s %-22s %-22s\n' "$what" "$tp  $vt" "$lat  $vl"
    done
    if (( kp_bad + ka_bad + kp_err + ka_err + np_bad + na_bad + np_err + na_err > 0 )); then
        echo
        echo "WARNING: some responses were not 2xx, or sockets failed: the numbers above are not comparable"
        missed=1
    fi
}
mkdir -p bench/results
# The results stay out of git (the .gitignore ignores itself too).
[[ -f bench/results/.gitignore ]] || echo '*' > bench/results/.gitignore
RESULT=bench/results/results-$(date +%Y%m%d-%H%M).txt
report > "$RESULT"
echo
cat "$RESULT"
echo
log "written to $RESULT"
if (( missed )) && [[ -n ${BENCH_STRICT:-} ]]; then
    exit 3
fi
exit 0
