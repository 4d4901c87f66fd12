#!/usr/bin/env bash
# The run command: installs what is missing, builds Kavel (release), loads
# the demo data into a fresh var/demo.db and serves it on loopback until
# Ctrl-C (SIGINT) or SIGTERM.
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
ninja -C build kavel      # the binary only: a broken unit test must not stop the demo

mkdir -p var
build/kavel demo --db "$DB" --reset

echo
echo "Kavel is running at http://$LISTEN/  (log in at http://$LISTEN/login; Ctrl-C stops it)"
echo
exec build/kavel serve --db "$DB" --listen "$LISTEN" --static static
