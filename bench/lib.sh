# bench/lib.sh - what the benchmark scripts share; sourced, from the
# repository's root.
#
# kavel_release_binary: sets KAVEL to $KAVEL_BIN when given (bench that
# binary, build nothing: an older build for a before figure), else builds
# Kavel's release build in build-release/ (a build dir of its own, so that
# the test builds are left alone) and sets KAVEL to it.  Needs die().

kavel_release_binary() {
    if [[ -n ${KAVEL_BIN:-} ]]; then
        KAVEL=$KAVEL_BIN
        [[ -x $KAVEL ]] || die "KAVEL_BIN=$KAVEL is not executable"
        return
    fi
    command -v meson >/dev/null || ./scripts/deps.sh --bench
    if [[ -f build-release/meson-private/coredata.dat ]]; then
        meson setup --reconfigure build-release --buildtype=release >/dev/null \
            || meson setup --wipe build-release --buildtype=release >/dev/null
    else
        meson setup build-release --buildtype=release >/dev/null
    fi
    ninja -C build-release kavel
    KAVEL=$PWD/build-release/kavel
}
