#!/usr/bin/env bash
# Builds ruroco and runs the whole test suite, installing what it needs first (Debian 12, as
# root: the root-only tests, privilege separation among them, skip with a reason otherwise).
# Then, as root, builds the Debian package, installs it on this machine, runs a knock through
# the installed files and purges it again (packaging/test-deb.sh; RUROCO_SKIP_PACKAGE=1 skips).
# BUILD_DIR=... picks another build folder.
set -euo pipefail
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}
packaging/install-build-deps.sh

if [ -d "$build" ]; then meson setup --reconfigure "$build" >/dev/null; else meson setup "$build" >/dev/null; fi
ninja -C "$build"
status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?

package=skipped
if [ "${RUROCO_SKIP_PACKAGE:-0}" != 1 ] && [ "$(id -u)" -eq 0 ]; then
  if packaging/test-deb.sh; then package=OK; else package=FAIL; status=1; fi
fi

# One plain summary line, counted from meson's own log and the package test.
python3 - "$build/meson-logs/testlog.json" "$package" <<'PY' || true
import json, sys
ok = failed = skipped = 0
if sys.argv[2] == "OK": ok += 1
elif sys.argv[2] == "FAIL": failed += 1
else: skipped += 1
for line in open(sys.argv[1]):
    r = json.loads(line).get("result", "")
    if r in ("OK", "EXPECTEDFAIL"): ok += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print(f"tests: {ok} passed, {failed} failed, {skipped} skipped")
PY
exit $status
