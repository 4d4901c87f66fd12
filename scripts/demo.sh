#!/usr/bin/env bash
# The run command: installs what is missing, builds Kavel (release: the
# binary and its translations), loads the demo data into a fresh
# var/demo.db and serves it on loopback until Ctrl-C (SIGINT) or SIGTERM.
#
#   scripts/demo.sh
#   KAVEL_LISTEN=127.0.0.1:9090 scripts/demo.sh     # another address
#
# The demo accounts (e.g. buyer@dordrecht.example / kavel-demo-2022) are
# printed by `kavel demo` before the server starts.
set -euo pipefail

cd "$(dirname "$0")/.."

LISTEN=${KAVEL_LISTEN:-127.0.0.1:8080}
DB=var/demo.db

./scripts/deps.sh

# Configure build/ as a release build (reconfigure if it exists, e.g. after
# scripts/test.sh left it debugoptimized), then build.
if [[ -f build/meson-private/coredata.dat ]]; then
    meson setup --reconfigure build --buildtype=release \
        || meson setup --wipe build --buildtype=release
else
    meson setup build --buildtype=release
fi
# The binary and the translations, not the unit tests: a broken unit test
# must not stop the demo.  The catalogs (po/<lang>/LC_MESSAGES/kavel.mo, read
# from build/po beside the binary) are every target meson builds into a .mo;
# without them every page is English.
mapfile -t catalogs < <(python3 - build <<'PY'
import json, os, sys
build = sys.argv[1]
with open(os.path.join(build, "meson-info", "intro-targets.json")) as f:
    for t in json.load(f):
        for out in t["filename"]:
            if out.endswith(".mo"):
                print(os.path.relpath(out, os.path.abspath(build)))
PY
)
if (( ${#catalogs[@]} == 0 )); then
    echo "demo.sh: meson declares no translation (.mo) in build/; see po/meson.build" >&2
    exit 1
fi
ninja -C build kavel "${catalogs[@]}"

mkdir -p var
build/kavel demo --db "$DB" --reset

echo
echo "Kavel is running at http://$LISTEN/  (log in at http://$LISTEN/login; Ctrl-C stops it)"
echo
exec build/kavel serve --db "$DB" --listen "$LISTEN" --static static
