#!/usr/bin/env bash
# Kavel's upload benchmarks for the sealed bid vault, on loopback only.
#
#   bench/upload/run.sh            both: "sealed" then "rush"
#   bench/upload/run.sh sealed     one big bid, streamed, against dd
#   bench/upload/run.sh rush       the deadline rush: many bidders at once
#
# Settings: BENCH_SIZE_MIB (the big bid, default 1024; the setup sets the
# procedure's size limit to 2048 MiB), BENCH_RUSH_BIDDERS (200), BENCH_RUSH_MIB
# (20 MiB each), BENCH_RUSH_DEADLINE (70: seconds from the start of the
# uploads to the tender deadline), KAVEL_BIN (bench that binary, build
# nothing), BENCH_KEEP=1 (keep the temp dir), BENCH_TMPDIR (where the temp
# dir goes, default /tmp).  See bench/upload/README.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bench/upload
WHAT=${1:-all}
case $WHAT in all|sealed|rush) ;; *) echo "usage: $0 [all|sealed|rush]" >&2; exit 2 ;; esac

SIZE_MIB=${BENCH_SIZE_MIB:-1024}
RUSH_BIDDERS=${BENCH_RUSH_BIDDERS:-200}
RUSH_MIB=${BENCH_RUSH_MIB:-20}
RUSH_DEADLINE=${BENCH_RUSH_DEADLINE:-70}
MIN_DD_RATIO=0.8      # upload throughput / dd throughput
MAX_RSS_MIB=32        # server's peak RSS during the big upload

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*"; }

# ---------------------------------------------------------------- build
. bench/lib.sh
kavel_release_binary
command -v curl >/dev/null || die "curl is needed"

# ------------------------------------------------------- processes, cleanup
TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/kavel-upload.XXXXXX")
KAVEL_PID=

# shellcheck disable=SC2317
stop() {
    local pid=$1
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() {
    local status=$?
    stop "$KAVEL_PID"
    if (( status != 0 )) && [[ -s $TMP/kavel.log ]]; then
        echo "---- last lines of the server log"; tail -n 20 "$TMP/kavel.log"
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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# free_mib DIR: MiB available on DIR's file system.
free_mib() { df -Pm "$1" | awk 'NR == 2 { print $4 }'; }
# now: seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
vm() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$KAVEL_PID/status"; }   # kB

# start_server: a fresh demo database in $TMP/db, kavel serve on a free port.
start_server() {
    stop "$KAVEL_PID"
    rm -rf "$TMP/db"
    mkdir -p "$TMP/db"
    "$KAVEL" demo --db "$TMP/db/kavel.db" --reset > "$TMP/demo.log" 2>&1 \
        || { cat "$TMP/demo.log"; die "kavel demo failed"; }
    PORT=$(free_port)
    "$KAVEL" serve --db "$TMP/db/kavel.db" --listen "127.0.0.1:$PORT" \
        > "$TMP/kavel.log" 2>&1 &
    KAVEL_PID=$!
    for _ in $(seq 200); do
        kill -0 "$KAVEL_PID" 2>/dev/null || die "kavel serve exited"
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true) == 200 ]] \
            && { log "kavel serve on 127.0.0.1:$PORT (pid $KAVEL_PID), data in $TMP/db"; return 0; }
        sleep 0.1
    done
    die "kavel serve did not answer /healthz"
}

RESULTS=()

# ---------------------------------------------------------------- sealed
sealed() {
    local bytes=$((SIZE_MIB * 1024 * 1024))
    # The file, dd's copy and the sealed bid: three times the size.
    local need=$((SIZE_MIB * 3 + 512)) have
    have=$(free_mib "$TMP")
    (( have >= need )) || die "sealed: $have MiB free in $TMP, $need MiB needed for a ${SIZE_MIB} MiB bid; set BENCH_SIZE_MIB lower"
    start_server
    python3 "$HERE/upload_bench.py" setup --port "$PORT" --env "$TMP/sealed.env"
    # shellcheck disable=SC1091
    source "$TMP/sealed.env"

    log "writing a ${SIZE_MIB} MiB file of random bytes"
    head -c "${SIZE_MIB}M" /dev/urandom > "$TMP/bid.bin"
    local sha
    sha=$(sha256sum "$TMP/bid.bin" | cut -d' ' -f1)

    # Baseline: the same file copied with dd and synced (the file is in the
    # page cache for both, as it was just written and read).
    log "baseline: dd bs=1M conv=fsync"
    sync
    local t0 t1
    t0=$(now)
    dd if="$TMP/bid.bin" of="$TMP/dd.out" bs=1M conv=fsync status=none
    t1=$(now)
    rm -f "$TMP/dd.out"
    local dd_s dd_mib
    dd_s=$(calc '%.3f' "$t1 - $t0")
    dd_mib=$(calc '%.1f' "$SIZE_MIB / ($t1 - $t0)")
    sync

    # Peak RSS so far is argon2id's (vault passphrases, logins): reset it,
    # so that VmHWM after the upload is the upload's.
    local hwm_setup hwm_reset=yes
    hwm_setup=$(vm VmHWM)
    echo 5 > "/proc/$KAVEL_PID/clear_refs" 2>/dev/null || hwm_reset=no
    local rss_before
    rss_before=$(vm VmRSS)

    log "uploading it: curl -T (streamed) to POST /api/v1/procedures/$PROC/lots/$LOT/submissions"
    local out code
    t0=$(now)
    out=$(curl -sS -X POST -T "$TMP/bid.bin" -o "$TMP/receipt.json" \
        -w '%{http_code} %{time_total}' \
        -H "Cookie: $BIDDER_COOKIE" -H "X-CSRF-Token: $BIDDER_CSRF" \
        -H 'Content-Type: application/octet-stream' -H 'X-File-Name: groot-bod.bin' \
        -H 'Expect:' "http://127.0.0.1:$PORT/api/v1/procedures/$PROC/lots/$LOT/submissions") || true
    t1=$(now)
    code=${out%% *}
    local hwm rss_after
    hwm=$(vm VmHWM); rss_after=$(vm VmRSS)
    if [[ $code != 201 ]]; then
        log "upload answered ${code:-nothing}: $(head -c 400 "$TMP/receipt.json" 2>/dev/null)"
        if [[ $code == 413 ]]; then
            log "the procedure's size limit is 2048 MiB (the most a buyer may set): run with BENCH_SIZE_MIB=2048 or less"
        fi
        RESULTS+=("sealed ${SIZE_MIB} MiB: FAILED, the upload answered ${code:-nothing}")
        return 1
    fi
    python3 "$HERE/upload_bench.py" receipt --env "$TMP/sealed.env" --json "$TMP/receipt.json" \
        --sha256 "$sha" --size "$bytes"
    local up_s up_mib ratio rss_mib sealed_bytes
    up_s=$(calc '%.3f' "$t1 - $t0")
    up_mib=$(calc '%.1f' "$SIZE_MIB / ($t1 - $t0)")
    ratio=$(calc '%.2f' "$up_mib / $dd_mib")
    rss_mib=$(calc '%.1f' "$hwm / 1024")
    sealed_bytes=$(du -sb "$TMP/db/vault" 2>/dev/null | cut -f1 || echo '?')
    local v_ratio v_rss
    v_ratio=$(awk -v r="$ratio" -v m="$MIN_DD_RATIO" 'BEGIN { print (r >= m) ? "ok" : "MISSED" }')
    v_rss=$(awk -v r="$rss_mib" -v m="$MAX_RSS_MIB" 'BEGIN { print (r <= m) ? "ok" : "MISSED" }')
    rm -f "$TMP/bid.bin"
    {
        echo "sealed ${SIZE_MIB} MiB bid ($bytes bytes), one connection, curl -T, loopback"
        printf '  %-34s %8s s  %8s MiB/s\n' "dd bs=1M conv=fsync (baseline)" "$dd_s" "$dd_mib"
        printf '  %-34s %8s s  %8s MiB/s\n' "upload, 201 with receipt" "$up_s" "$up_mib"
        printf '  %-34s %8s   (target >= %s)  %s\n' "upload / dd" "$ratio" "$MIN_DD_RATIO" "$v_ratio"
        printf '  %-34s %8s MiB (target <= %s MiB)  %s\n' "server peak RSS (VmHWM)" "$rss_mib" "$MAX_RSS_MIB" "$v_rss"
        echo "  (VmHWM reset before the upload: $hwm_reset; peak during setup $((hwm_setup / 1024)) MiB;" \
             "RSS before $((rss_before / 1024)) MiB, after $((rss_after / 1024)) MiB;" \
             "vault dir $sealed_bytes bytes on disk)"
    } > "$TMP/sealed.txt"
    RESULTS+=("$(cat "$TMP/sealed.txt")")
    cat "$TMP/sealed.txt"
}

# ------------------------------------------------------------------ rush
rush() {
    local bidders=$RUSH_BIDDERS mib=$RUSH_MIB
    # The sealed bids stay on disk until the end: need them plus 1 GiB.
    local need=$((bidders * mib + bidders * mib / 50 + 1024)) have
    have=$(free_mib "$TMP")
    if (( have < need )); then
        local fit=$(( (have - 1024) * 50 / 51 / bidders ))
        (( fit >= 1 )) || die "rush: only $have MiB free in $TMP; not even 1 MiB per bidder fits"
        log "rush: only $have MiB free in $TMP, $bidders x $mib MiB needs ~$need MiB:" \
            "SCALED DOWN to $fit MiB per bidder"
        mib=$fit
    fi
    start_server
    local rc=0
    python3 "$HERE/upload_bench.py" rush --port "$PORT" --server-pid "$KAVEL_PID" \
        --bidders "$bidders" --mib "$mib" --deadline-after "$RUSH_DEADLINE" \
        --summary "$TMP/rush.json" | tee "$TMP/rush.txt" || rc=$?
    RESULTS+=("$(sed -n '/^deadline rush/,$p' "$TMP/rush.txt")")
    # The sealed bids are gone with the data directory.
    stop "$KAVEL_PID"; KAVEL_PID=
    rm -rf "$TMP/db"
    return $rc
}

status=0
log "$(nproc) cores shared by client and server; $(free_mib "$TMP") MiB free in $TMP"
if [[ $WHAT == all || $WHAT == sealed ]]; then sealed || status=1; fi
if [[ $WHAT == all || $WHAT == rush ]]; then rush || status=1; fi

echo
echo "Kavel upload bench $(date '+%Y-%m-%d %H:%M'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), binary $KAVEL"
for r in "${RESULTS[@]}"; do echo "$r"; echo; done
exit $status
