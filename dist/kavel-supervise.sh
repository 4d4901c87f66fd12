#!/usr/bin/env bash
# kavel-supervise.sh: keeps Kavel running where systemd does not (a
# container, a test), with the restart rules of dist/kavel.service.
#
#   dist/kavel-supervise.sh [--unit FILE] [--pid-file FILE] [-- COMMAND ARGS...]
#
# Runs COMMAND (default: the unit's ExecStart=) and, when it ends, starts it
# again as systemd would with the unit's
#
#   Restart=                no | always | on-success | on-failure | on-abnormal | on-abort
#   RestartSec=             the pause before a restart (250ms, 1s, 1.5, 2min)
#   StartLimitIntervalSec=  \ more than StartLimitBurst starts within one
#   StartLimitBurst=        / interval and it gives up (0 = no limit)
#
# (systemd's defaults where the unit says nothing: no, 100ms, 10s, 5).  The
# start limit counts as systemd's does: a window opens at the first start and
# closes StartLimitIntervalSec later; the next start after that opens a new
# one.  "Clean" ends, as for systemd: exit status 0 or the signals HUP, INT,
# TERM, PIPE.  Only these settings are mirrored; the user, the sandboxing
# and Environment= are systemd's business.
#
# SIGTERM or SIGINT to the supervisor is `systemctl stop`: passed on to
# Kavel, which finishes and exits; no restart.  Exit status: Kavel's last
# (0 after a stop), or 1 when the start limit was hit.  --pid-file keeps
# the running Kavel's pid.  Each start and end is one line on stderr, e.g.
#   kavel-supervise: pid 4242 killed by signal SEGV; restarting in 250 ms (Restart=always)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
unit=$here/kavel.service
pid_file=
cmd=()
while (( $# )); do
    case "$1" in
        --unit) unit=${2:?--unit needs a file}; shift 2 ;;
        --pid-file) pid_file=${2:?--pid-file needs a file}; shift 2 ;;
        --) shift; cmd=("$@"); break ;;
        -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "kavel-supervise: unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { echo "kavel-supervise: $*" >&2; }

# unit_get SECTION KEY: the value of KEY's last assignment in [SECTION].
unit_get() {
    awk -v want="[$1]" -v key="$2" '
        /^[[:space:]]*[#;]/ { next }
        /^[[:space:]]*\[/ { sec = $0; gsub(/[[:space:]]/, "", sec); next }
        sec == want {
            line = $0
            sub(/^[[:space:]]+/, "", line)
            n = index(line, "=")
            if (n == 0) next
            k = substr(line, 1, n - 1); sub(/[[:space:]]+$/, "", k)
            if (k != key) next
            v = substr(line, n + 1); sub(/^[[:space:]]+/, "", v); sub(/[[:space:]]+$/, "", v)
            val = v; found = 1
        }
        END { if (found) print val }' "$unit"
}

# to_ms SPAN: a systemd time span (250ms, 1s, 1.5s, 2min, 1min 30s, 3 = s) in
# milliseconds; "infinity" counts as 0 (no limit).
to_ms() {
    local span=$1 total=0 num unit part
    [[ $span == infinity ]] && { echo 0; return; }
    span=${span// /}
    while [[ -n $span ]]; do
        if [[ $span =~ ^([0-9]+(\.[0-9]+)?)(ms|msec|s|sec|seconds?|m|min|minutes?|h|hr|hours?)?(.*)$ ]]; then
            num=${BASH_REMATCH[1]} unit=${BASH_REMATCH[3]:-s} span=${BASH_REMATCH[4]}
        else
            say "$unit_file_name: cannot read the time span '$1'"
            exit 2
        fi
        case $unit in
            ms|msec) part=$(awk -v n="$num" 'BEGIN { printf "%d", n }') ;;
            s|sec|second|seconds) part=$(awk -v n="$num" 'BEGIN { printf "%d", n * 1000 }') ;;
            m|min|minute|minutes) part=$(awk -v n="$num" 'BEGIN { printf "%d", n * 60000 }') ;;
            h|hr|hour|hours) part=$(awk -v n="$num" 'BEGIN { printf "%d", n * 3600000 }') ;;
        esac
        total=$((total + part))
    done
    echo "$total"
}

[[ -r $unit ]] || { say "cannot read the unit $unit"; exit 2; }
unit_file_name=$(basename "$unit")
restart=$(unit_get Service Restart); restart=${restart:-no}
restart_ms=$(to_ms "$(unit_get Service RestartSec)"); [[ -n $(unit_get Service RestartSec) ]] || restart_ms=100
interval=$(unit_get Unit StartLimitIntervalSec); interval_ms=$(to_ms "${interval:-10s}")
burst=$(unit_get Unit StartLimitBurst); burst=${burst:-5}
case $restart in
    no|always|on-success|on-failure|on-abnormal|on-abort) ;;
    *) say "$unit_file_name: Restart=$restart is not one this script knows"; exit 2 ;;
esac
[[ $burst =~ ^[0-9]+$ ]] || { say "$unit_file_name: StartLimitBurst=$burst is not a number"; exit 2; }
if (( ${#cmd[@]} == 0 )); then
    exec_start=$(unit_get Service ExecStart)
    exec_start=${exec_start#[-@:+!]}   # systemd's prefixes
    read -r -a cmd <<< "$exec_start"
    (( ${#cmd[@]} )) || { say "$unit_file_name has no ExecStart= and no command was given"; exit 2; }
fi

now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }

child=0
stopping=0
on_stop() {
    stopping=1
    (( child > 0 )) && kill -TERM "$child" 2>/dev/null
}
trap on_stop TERM INT
trap '[[ -n $pid_file ]] && rm -f "$pid_file"' EXIT

window_start=-1    # systemd's ratelimit: begin of the window, starts in it
window_starts=0
starts=0
status=0
while :; do
    # The start limit, checked before every start as systemd does.
    now=$(now_ms)
    if (( interval_ms > 0 && burst > 0 )); then
        if (( window_start < 0 || now - window_start > interval_ms )); then
            window_start=$now
            window_starts=0
        fi
        if (( window_starts >= burst )); then
            say "start request repeated too quickly: $burst starts within ${interval_ms} ms (StartLimitBurst=$burst, StartLimitIntervalSec=$interval); giving up"
            exit 1
        fi
        window_starts=$((window_starts + 1))
    fi
    starts=$((starts + 1))
    "${cmd[@]}" &
    child=$!
    [[ -n $pid_file ]] && echo "$child" > "$pid_file"
    say "started pid $child (start $starts; $window_starts of at most $burst within $interval_ms ms)"
    # wait returns early when a trap ran; the second wait has the status.
    status=0
    while :; do
        wait "$child"
        st=$?
        if kill -0 "$child" 2>/dev/null; then
            continue            # interrupted by SIGTERM/SIGINT: Kavel still runs
        fi
        if (( st > 128 )); then
            wait "$child" 2>/dev/null
            st2=$?
            (( st2 != 127 )) && st=$st2
        fi
        status=$st
        break
    done
    pid=$child
    child=0
    clean=0 by_signal=0 what="exited with status $status"
    if (( status > 128 )); then
        by_signal=1
        sig=$(kill -l $((status - 128)) 2>/dev/null || echo $((status - 128)))
        what="killed by signal $sig"
        case $sig in HUP|INT|TERM|PIPE) clean=1 ;; esac
    elif (( status == 0 )); then
        clean=1
    fi
    if (( stopping )); then
        say "pid $pid $what after a stop request; not restarting"
        (( clean )) && exit 0
        exit "$status"
    fi
    again=0
    case $restart in
        always) again=1 ;;
        on-success) (( clean )) && again=1 ;;
        on-failure) (( ! clean )) && again=1 ;;
        on-abnormal|on-abort) (( by_signal && ! clean )) && again=1 ;;
    esac
    if (( ! again )); then
        say "pid $pid $what; not restarting (Restart=$restart)"
        exit "$status"
    fi
    say "pid $pid $what; restarting in $restart_ms ms (Restart=$restart)"
    if (( restart_ms > 0 )); then
        sleep "$(awk -v n="$restart_ms" 'BEGIN { printf "%.3f", n / 1000 }')" &
        sleeper=$!
        wait "$sleeper"
        if (( stopping )); then
            kill "$sleeper" 2>/dev/null
            say "stop requested while waiting to restart; not restarting"
            exit 0
        fi
    fi
done
