#!/usr/bin/env bash
# The benchmark against fwknopd, as README "Benchmarks" shows it. As root on Debian 12: installs
# what it needs, builds the Debian package and benchmarks the ruroco binary inside it, the one
# users install (the bench and stamp programs come from the test build). Prints the Markdown
# table and writes it to build/bench-results.md. Arguments go to the bench: --quick is a short
# smoke run, as test.sh does. RUROCO_DEB=FILE benchmarks that package instead of building one;
# BUILD_DIR picks the test build (default: build).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then
  echo "bench: needs root (a private network namespace, and the privilege-separated server)" >&2
  exit 77
fi
packaging/install-build-deps.sh
# fwknop-server ships START_DAEMON="no": installing it starts nothing.
missing=()
for p in fwknop-server fwknop-client iptables; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build=${BUILD_DIR:-build}
# -Dtests=true: ./demo.sh sets up the same folder without the tests (and so without the bench).
if [ -d "$build" ]; then meson setup --reconfigure "$build" -Dtests=true >/dev/null; else meson setup "$build" >/dev/null; fi
ninja -C "$build" tests/bench/bench tests/bench/stamp >/dev/null

deb=${RUROCO_DEB:-}
if [ -z "$deb" ]; then
  deb=$(packaging/build-deb.sh | tail -n 1)
fi
package=$build/bench-package
rm -rf "$package"
dpkg-deb -x "$deb" "$package"
RUROCO_BIN="$PWD/$package/usr/bin/ruroco" "$build/tests/bench/bench" --out "$build/bench-results.md" \
  --from "usr/bin/ruroco of $(basename "$deb")" "$@"
