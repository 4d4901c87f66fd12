#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs them.
#   scripts/fuzz.sh              run each target for ${FUZZ_SECONDS:-300} s
#   scripts/fuzz.sh --smoke      a short run of each (40 s in all; the test
#                                command does this)
#   scripts/fuzz.sh TARGET...    only these (parsers, multipart, vault, tmpl)
# Each run starts from the target's seed corpus in fuzz/corpus/TARGET
# (copied: the seeds stay as they are).  Prints TAP: one line per target.
# Crashes land in build-fuzz/crash-*; replay one with
#   build-fuzz/fuzz/fuzz_TARGET build-fuzz/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parsers multipart vault tmpl)
# Smoke seconds per target, and the longest input each takes.
declare -A smoke_secs=([parsers]=14 [multipart]=14 [vault]=12 [tmpl]=12)
declare -A max_len=([parsers]=4096 [multipart]=8192 [vault]=8192 [tmpl]=8192)
# Every object is built with coverage instrumentation (fuzzer-no-link), so
# the fuzzer sees the edges of the parsers themselves, not only its driver.
if [ ! -f build-fuzz/build.ninja ] || ! grep -q "fuzz_tmpl" build-fuzz/build.ninja ||
   ! grep -q "fuzzer-no-link" build-fuzz/build.ninja; then
  rm -rf build-fuzz
  CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link \
    --buildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz $(printf 'fuzz/fuzz_%s ' "${targets[@]}") >/dev/null
n=0; fail=0
for target in "${targets[@]}"; do
  n=$((n + 1))
  secs=${FUZZ_SECONDS:-300}
  [ $smoke = 1 ] && secs=${smoke_secs[$target]}
  work=$(mktemp -d)
  cp fuzz/corpus/$target/* "$work/"
  dict=()
  [ -f fuzz/$target.dict ] && dict=(-dict=fuzz/$target.dict)
  if build-fuzz/fuzz/fuzz_$target -max_total_time="$secs" -max_len="${max_len[$target]}" "${dict[@]}" \
       -artifact_prefix=build-fuzz/ "$work" >build-fuzz/fuzz_$target.log 2>&1; then
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/fuzz_$target.log |
            grep -o '[0-9]*$' || true)
    [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' build-fuzz/fuzz_$target.log | tail -n 1 | tr -d '#')
    echo "ok $n - fuzz_$target ran ${secs}s (${execs:-?} inputs) without a finding"
  else
    fail=$((fail + 1))
    echo "not ok $n - fuzz_$target found a crash (see build-fuzz/fuzz_$target.log)"
    tail -n 30 build-fuzz/fuzz_$target.log | sed 's/^/# /'
  fi
  rm -rf "$work"
done
echo "1..$n"
exit $((fail > 0))
