#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs them.
#   scripts/fuzz.sh            run each target for ${FUZZ_SECONDS:-300} s
#   scripts/fuzz.sh --smoke    run each for 20 s (the test command does this)
# Prints TAP: one line per target.  Crashes land in build-fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-300}
[ "${1:-}" = "--smoke" ] && secs=20
# Every object is built with coverage instrumentation (fuzzer-no-link), so
# the fuzzer sees the edges of the parsers themselves, not only its driver.
if [ ! -f build-fuzz/build.ninja ] || ! grep -q "fuzz_parsers" build-fuzz/build.ninja ||
   ! grep -q "fuzzer-no-link" build-fuzz/build.ninja; then
  rm -rf build-fuzz
  CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link \
    --buildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz fuzz/fuzz_parsers >/dev/null
n=0; fail=0
for target in parsers; do
  n=$((n + 1))
  work=$(mktemp -d)
  cp fuzz/corpus/$target/* "$work/"
  if build-fuzz/fuzz/fuzz_$target -max_total_time="$secs" -max_len=4096 \
       -artifact_prefix=build-fuzz/ "$work" >build-fuzz/fuzz_$target.log 2>&1; then
    echo "ok $n - fuzz_$target ran ${secs}s without a finding"
  else
    fail=$((fail + 1))
    echo "not ok $n - fuzz_$target found a crash (see build-fuzz/fuzz_$target.log)"
    tail -n 30 build-fuzz/fuzz_$target.log | sed 's/^/# /'
  fi
  rm -rf "$work"
done
echo "1..$n"
exit $((fail > 0))
