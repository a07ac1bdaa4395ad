#!/usr/bin/env bash
# The benchmark against fwknopd, as README "Benchmarks" shows it: installs what it needs (Debian
# 12, as root), builds ruroco the way the Debian package does (-O2, link-time optimisation) in
# build-bench/, and runs tests/bench/bench, which prints the Markdown table and writes it to
# build-bench/bench-results.md. Arguments go to the bench (--quick: a short smoke run, as CI does).
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

dir=build-bench
opts=(-Dbuildtype=debugoptimized -Db_lto=true -Dman=disabled)
if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null; else meson setup "$dir" "${opts[@]}" >/dev/null; fi
ninja -C "$dir" ruroco ruroco-client tests/bench/bench tests/bench/stamp >/dev/null
RUROCO_BIN="$PWD/$dir/ruroco" "$dir/tests/bench/bench" --out "$dir/bench-results.md" "$@"
