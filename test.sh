#!/usr/bin/env bash
# Builds ruroco and runs the whole test suite, installing what it needs first (Debian 12, as
# root). Usage: ./test.sh   (BUILD_DIR=... to use another build folder)
set -euo pipefail
cd "$(dirname "$0")"
build=${BUILD_DIR:-build}

packages=(meson ninja-build pkg-config g++ libsodium-dev libb2-dev libinih-dev libcxxopts-dev
          catch2 nlohmann-json3-dev libseccomp-dev iproute2 procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -d "$build" ]; then meson setup --reconfigure "$build" >/dev/null; else meson setup "$build" >/dev/null; fi
ninja -C "$build"
status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?

# One plain summary line, counted from meson's own log.
python3 - "$build/meson-logs/testlog.json" <<'PY' || true
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    r = json.loads(line).get("result", "")
    if r in ("OK", "EXPECTEDFAIL"): counts["OK"] += 1
    elif r == "SKIP": counts["SKIP"] += 1
    else: counts["FAIL"] += 1
print(f"tests: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
