#!/usr/bin/env bash
# Install what Kavel needs to build, test and benchmark, from Debian's
# packages and (for the browser tests) the npm registry.
#
#   scripts/deps.sh            build dependencies only
#   scripts/deps.sh --bench    + wrk, nginx-light, curl (bench/run.sh)
#   scripts/deps.sh --test     + chromium, wrk, nginx-light, and `npm ci` in
#                                tests/browser (scripts/test.sh)
#
# Idempotent and fast on re-runs: apt is not touched at all when every
# package is already installed (checked with dpkg), `npm ci` is skipped when
# tests/browser/node_modules matches package-lock.json, and locales are only
# generated when `locale -a` lacks them.  Run as root to install; as another
# user it only reports what is missing (exit 1 if anything is).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

want_test=0
want_bench=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        --bench) want_bench=1 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "deps.sh: unknown option: $arg" >&2; exit 2 ;;
    esac
done

log() { echo "deps: $*"; }

# ---------------------------------------------------------------- packages
packages=(
    build-essential meson ninja-build pkg-config
    libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev
    libcurl4-openssl-dev
    libssl-dev                        # SHA-256 of streamed bids (SHA-NI)
    libcsv-dev libxlsxwriter-dev      # CSV imports, XLSX exports
    libunistring-dev                  # NFKC of e-mail addresses
    libcairo2-dev libpango1.0-dev fonts-dejavu-core   # PDF reports
    tzdata gettext locales
    clang libclang-rt-14-dev          # fuzzing (libFuzzer) and sanitizers
    python3 sqlite3
)
if (( want_test )); then
    packages+=(chromium wrk nginx-light curl poppler-utils)
fi
if (( want_bench )); then
    packages+=(wrk nginx-light curl)
fi
# Node.js normally comes with the machine (v20); fall back to Debian's.
if (( want_test )) && ! command -v node >/dev/null; then
    packages+=(nodejs npm)
fi

# A package counts as present when dpkg says "install ok installed".
is_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
declare -A seen=()
for p in "${packages[@]}"; do
    [[ -n "${seen[$p]:-}" ]] && continue
    seen[$p]=1
    is_installed "$p" || missing+=("$p")
done

if (( ${#missing[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "deps: missing Debian packages (run this script as root, or install them):" >&2
        echo "      apt-get install ${missing[*]}" >&2
        exit 1
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "all ${#seen[@]} Debian packages present"
fi

# ----------------------------------------------------------------- locales
# The UI is Dutch with an English fallback; tests format dates and amounts in
# both, so the two UTF-8 locales must exist.
have_locale() {
    # `locale -a` spells them nl_NL.utf8; compare case-insensitively
    # and without the dash.
    locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | tr -d '-' | grep -qx "$1"
}
need_locales=()
have_locale nl_nl.utf8 || need_locales+=(nl_NL.UTF-8)
have_locale en_us.utf8 || need_locales+=(en_US.UTF-8)
if (( ${#need_locales[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "deps: missing locales: ${need_locales[*]} (as root: enable them in /etc/locale.gen and run locale-gen)" >&2
        exit 1
    fi
    for loc in "${need_locales[@]}"; do
        line="$loc UTF-8"
        if grep -qE "^#[[:space:]]*${loc//./\\.} UTF-8\$" /etc/locale.gen; then
            sed -i -E "s/^#[[:space:]]*(${loc//./\\.} UTF-8)\$/\\1/" /etc/locale.gen
        elif ! grep -qxF "$line" /etc/locale.gen; then
            echo "$line" >> /etc/locale.gen
        fi
    done
    log "generating locales: ${need_locales[*]}"
    locale-gen
else
    log "locales nl_NL.UTF-8 and en_US.UTF-8 present"
fi

# ------------------------------------------------------------ browser tests
if (( want_test )); then
    [[ -x /usr/bin/chromium ]] || { echo "deps: /usr/bin/chromium is missing after install" >&2; exit 1; }
    command -v npm >/dev/null || { echo "deps: npm is missing" >&2; exit 1; }
    cd "$ROOT/tests/browser"
    # The stamp is a copy of the lock file `npm ci` last installed from.
    stamp=node_modules/.kavel-installed-lock
    if [[ -f package-lock.json ]]; then
        if [[ -f $stamp ]] && cmp -s package-lock.json "$stamp" && [[ -d node_modules/playwright-core ]]; then
            log "tests/browser/node_modules up to date"
        else
            log "npm ci in tests/browser"
            npm ci --no-audit --no-fund --loglevel=error
            cp package-lock.json "$stamp"
        fi
    else
        log "npm install in tests/browser (no package-lock.json yet)"
        npm install --no-audit --no-fund --loglevel=error
    fi
    cd "$ROOT"
fi

log "ok"
