#!/usr/bin/env bash
# Builds ruroco and runs the whole test suite, installing what it needs first (Debian 12, as
# root: the root-only tests, privilege separation among them, skip with a reason otherwise).
# BUILD_DIR=... picks another build folder.
set -euo pipefail
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}
packaging/install-build-deps.sh

if [ -d "$build" ]; then meson setup --reconfigure "$build" >/dev/null; else meson setup "$build" >/dev/null; fi
ninja -C "$build"
status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?

# One plain summary line, counted from meson's own log.
python3 - "$build/meson-logs/testlog.json" <<'PY' || true
import json, sys
ok = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result", "")
    if r in ("OK", "EXPECTEDFAIL"): ok += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print(f"tests: {ok} passed, {failed} failed, {skipped} skipped")
PY
exit $status
