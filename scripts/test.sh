#!/usr/bin/env bash
# The test command: builds Kavel twice and runs every test there is.
#
#   1. scripts/deps.sh --test          (Debian packages, locales, npm ci)
#      scripts/checksrc.py             the source checker, and its self-test
#   2. build/       debugoptimized, gcc (cc)           meson + ninja
#      build-asan/  debugoptimized, clang, AddressSanitizer + UBSan
#   3. unit tests   `meson test --suite unit` in build/ and in build-asan/
#   4. API tests    tests/api/test_*.py (other *.py there are helpers), with
#                   KAVEL_BIN=build-asan/kavel so the server runs under ASan;
#                   every sanitizer report the server writes counts as a failure
#   5. browser      tests/browser/*.test.mjs, node, KAVEL_BIN=build/kavel
#   6. fuzz smoke   scripts/fuzz.sh --smoke, if that script exists
#
# Every test program speaks TAP; tests/run_tap.py counts the results of each
# part (see its header for the rules) and prints the summary.  The very last
# line printed is `N passed, N failed`; the exit status is 0 only when
# nothing failed.  Parts that have no test files yet are skipped, and say so.
# Logs of each program are kept in build-testlogs/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/build-testlogs          # /build*/ is gitignored
rm -rf "$LOGS"
mkdir -p "$LOGS"
TALLY=$LOGS/tally.jsonl
START=$SECONDS

# Sanitizer settings for every instrumented program (unit tests and server).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TZDIR=/usr/share/zoneinfo

# tap SUBCOMMAND ARGS...: the TAP counter, writing to this run's tally.
tap() {
    local sub=$1
    shift
    python3 "$ROOT/tests/run_tap.py" "$sub" --tally "$TALLY" "$@"
}

section() {
    printf '\n######## %s  (%ds)\n' "$*" "$((SECONDS - START))"
}

# Prints the summary and its closing line, and leaves with its status.
finish() {
    section "done"
    set +e
    tap summary
    exit $?
}

# ------------------------------------------------------------------ 1. deps
section "dependencies"
if ! ./scripts/deps.sh --test; then
    tap note --part deps --failed 1 "scripts/deps.sh --test failed: nothing was built"
    finish
fi

# -------------------------------------------------------- source checker
# scripts/checksrc.py: banned functions, the memory rule, layer headers,
# html_f arguments (its header lists the rules); first on its own fixtures.
section "source checker"
tap run --part checksrc --runner python3 --args=--selftest --log-dir "$LOGS/checksrc-self" \
    scripts/checksrc.py
tap run --part checksrc --runner python3 --args=--tap --log-dir "$LOGS/checksrc" \
    scripts/checksrc.py

# ----------------------------------------------------------------- 2. build
# compiler_of DIR: the C compiler DIR was configured with (cc, clang, ...).
compiler_of() {
    grep -m1 -o '"command": "[^ "]*' "$1/compile_commands.json" 2>/dev/null \
        | sed 's/.*"command": "//' | xargs -r basename
}

# configure DIR CC MESON-OPTIONS...: (re)configures DIR with the C compiler
# CC and exactly these options.  A DIR configured with another compiler is
# wiped first.
configure() {
    local dir=$1 cc=$2
    shift 2
    if [[ -f $dir/meson-private/coredata.dat && $(compiler_of "$dir") == "$cc" ]]; then
        CC=$cc meson setup --reconfigure "$dir" "$@" || CC=$cc meson setup --wipe "$dir" "$@"
    else
        rm -rf "$dir"
        CC=$cc meson setup "$dir" "$@"
    fi
}

# build_one DIR CC MESON-OPTIONS...: configures and builds DIR: first the
# kavel binary (which the API and browser tests need), then everything else
# (the unit tests).  has_kavel[DIR] and has_all[DIR] say what was built.
declare -A has_kavel=() has_all=()
build_one() {
    local dir=$1
    section "build $dir"
    if ! configure "$@"; then
        tap note --part "build ($dir)" --failed 1 "meson setup $dir failed (see above)"
        return
    fi
    if ninja -C "$dir" kavel && [[ -x $dir/kavel ]]; then
        has_kavel[$dir]=1
    else
        tap note --part "build ($dir)" --failed 1 "building $dir/kavel failed (see above)"
        return
    fi
    if ninja -C "$dir"; then
        has_all[$dir]=1
    else
        tap note --part "build ($dir)" --failed 1 "building the rest of $dir (unit tests) failed (see above)"
    fi
}
build_one build cc --buildtype=debugoptimized
# The sanitizer build uses clang: gcc 12 with -fsanitize=undefined reports
# false "null format string" (-Wformat-truncation) warnings, which the
# project's werror turns into errors; and two compilers see more warnings.
build_one build-asan clang --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dtest_clock=true

# ------------------------------------------------------------ 3. unit tests
unit_tests() {
    local dir=$1
    shift
    section "unit tests in $dir"
    if [[ -z ${has_all[$dir]:-} ]]; then
        tap note --part "unit ($dir)" "not run: $dir did not build"
        return
    fi
    rm -f "$dir/meson-logs/testlog.json"
    local status=0
    meson test -C "$dir" --suite unit --no-rebuild --print-errorlogs "$@" \
        2>&1 | sed -u 's/^/unit| /' || status=$?
    tap meson --part "unit ($dir)" --status "$status" "$dir"
}
unit_tests build
unit_tests build-asan --timeout-multiplier 3

# ------------------------------------------------------------- 4. API tests
shopt -s nullglob
# The tests are tests/api/test_*.py; any other .py there is a helper module
# (e.g. kavel_test.py, imported by the tests) and is not run.
api_files=(tests/api/test_*.py)
api_helpers=()
for f in tests/api/*.py; do
    [[ $(basename "$f") == test_* ]] || api_helpers+=("$(basename "$f")")
done
section "API tests (${#api_files[@]} files)"
(( ${#api_helpers[@]} == 0 )) || echo "helper modules, not run: ${api_helpers[*]}"
if (( ${#api_files[@]} == 0 )); then
    tap note --part api "skipped: no tests/api/test_*.py yet"
elif [[ -z ${has_kavel[build-asan]:-} ]]; then
    tap note --part api "not run: build-asan/kavel did not build"
else
    # The server's sanitizer reports go to files, so that none is lost
    # whether or not a test looks at the server's exit status.
    sanlogs=$LOGS/sanitizer
    mkdir -p "$sanlogs"
    ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$sanlogs/asan" \
    UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$sanlogs/ubsan" \
    KAVEL_BIN=$ROOT/build-asan/kavel \
        tap run --part api --runner python3 --timeout 300 --log-dir "$LOGS/api" \
            "${api_files[@]}"
    reports=("$sanlogs"/*)
    if (( ${#reports[@]} )); then
        for r in "${reports[@]}"; do
            sed 's/^/sanitizer| /' "$r"
            what=$(grep -m1 -E 'SUMMARY|ERROR|runtime error' "$r" || true)
            tap note --part "api (sanitizer reports)" --failed 1 \
                "$(basename "$r"): ${what:-sanitizer report}"
        done
    else
        tap note --part "api (sanitizer reports)" "none"
    fi
fi

# --------------------------------------------------------- 5. browser tests
browser_files=(tests/browser/*.test.mjs)
section "browser tests (${#browser_files[@]} files)"
if (( ${#browser_files[@]} == 0 )); then
    tap note --part browser "skipped: no tests/browser/*.test.mjs yet"
elif [[ -z ${has_kavel[build]:-} ]]; then
    tap note --part browser "not run: build/kavel did not build"
else
    # --test-reporter=tap: scripts that use node:test print TAP even on a
    # terminal; scripts that print their own TAP are not affected.
    KAVEL_BIN=$ROOT/build/kavel \
        tap run --part browser --runner "node --test-reporter=tap" --timeout 300 \
            --log-dir "$LOGS/browser" "${browser_files[@]}"
fi

# ------------------------------------------------------------ 6. fuzz smoke
section "fuzz smoke"
if [[ -f scripts/fuzz.sh ]]; then
    # A plain script: its exit status is its result, unless it prints TAP.
    tap run --part fuzz --plain --runner bash --args=--smoke --timeout 900 \
        --log-dir "$LOGS/fuzz" scripts/fuzz.sh
else
    tap note --part fuzz "skipped: no scripts/fuzz.sh yet"
fi

finish
