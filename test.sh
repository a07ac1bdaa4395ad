#!/usr/bin/env bash
# Builds ruroco and runs everything that proves it, installing what it needs first (Debian 12,
# as root; root-only tests skip with a reason otherwise):
#   1. the test suite on the normal build (warnings are errors);
#   2. the same suite on an AddressSanitizer + UndefinedBehaviorSanitizer build;
#   3. every libFuzzer target for FUZZ_SECONDS (default 20) each, plus the kept crashers;
#   4. as root, the Debian package: built, installed, knocked through, purged;
#   5. as root, a short run of the benchmark against fwknopd on that package's binary
#      (tests/bench/run.sh --quick), so the script behind README's table works on a fresh machine.
# RUROCO_QUICK=1 runs step 1 only. BUILD_DIR=... picks the normal build folder.
set -euo pipefail
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}
packaging/install-build-deps.sh

setup() {  # setup DIR [meson options...]
  local dir=$1; shift
  if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null; else meson setup "$dir" "$@" >/dev/null; fi
  ninja -C "$dir" >/dev/null
}

status=0
# -Dtests=true: ./demo.sh sets up the same folder without the tests, and a reconfigure keeps
# whatever was set before.
setup "$build" -Dtests=true
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?
logs=("$build/meson-logs/testlog.json")
extra=()

if [ "${RUROCO_QUICK:-0}" != 1 ]; then
  # GCC's -Warray-bounds misfires under the sanitizers; warnings are enforced by step 1.
  setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --num-processes 2 || status=1
  logs+=("build-asan/meson-logs/testlog.json")

  if FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run.sh; then extra+=(fuzz=OK); else extra+=(fuzz=FAIL); status=1; fi

  if [ "$(id -u)" -eq 0 ]; then
    if packaging/test-deb.sh; then extra+=(package=OK); else extra+=(package=FAIL); status=1; fi
    # The package test-deb.sh just built is the one benchmarked.
    deb=dist/ruroco_$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)_$(dpkg --print-architecture).deb
    bench=0
    RUROCO_DEB=$deb BUILD_DIR=$build tests/bench/run.sh --quick || bench=$?
    case $bench in
      0) extra+=(bench=OK) ;;
      77) extra+=(bench=SKIP) ;;
      *) extra+=(bench=FAIL); status=1 ;;
    esac
  else
    echo "test.sh: package test and benchmark skipped: they need root"
    extra+=(package=SKIP bench=SKIP)
  fi
fi

# One plain summary line, counted from meson's logs and the other steps. A suite that ran no
# test at all fails the run: "No tests defined" is exit 0 to meson.
python3 - "${logs[@]}" -- "${extra[@]}" <<'PY' || status=1
import json, sys
args = sys.argv[1:]
split = args.index("--")
ok = failed = skipped = 0
empty = []
for path in args[:split]:
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        lines = []
    if not lines: empty.append(path)
    for line in lines:
        r = json.loads(line).get("result", "")
        if r in ("OK", "EXPECTEDFAIL"): ok += 1
        elif r == "SKIP": skipped += 1
        else: failed += 1
for step in args[split + 1:]:
    r = step.split("=")[1]
    if r == "OK": ok += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
for path in empty:
    print(f"test.sh: no test ran ({path} is missing or empty)")
    failed += 1
print(f"tests: {ok} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
exit $status
