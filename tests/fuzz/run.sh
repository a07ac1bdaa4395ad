#!/usr/bin/env bash
# Runs every libFuzzer target for FUZZ_SECONDS (default 30) over a copy of its seed corpus (the
# committed corpus never grows), after replaying each kept crasher once as a regression input.
# Builds build-fuzz with clang-14 first if needed. Exits non-zero if any target crashes; a new
# crasher is written to tests/fuzz/crashers/<target>/ to be kept once the bug is fixed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
targets=(packet_fuzz commander_message_fuzz key_file_fuzz ini_fuzz)

if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 meson setup "$build" "$root" \
    -Dfuzz=true -Dtests=false -Dwerror=false -Db_lundef=false >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/}" >/dev/null

# On tmpfs when there is one: packet_fuzz's accepted packets fsync their replay state there.
tmp_base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && tmp_base=/dev/shm
work="$(mktemp -d "$tmp_base/ruroco-fuzz-run.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
failed=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  crashdir="$root/tests/fuzz/crashers/$t"
  log="$work/$t.log"
  mkdir -p "$crashdir"
  # Kept crashers first: each must now run clean.
  mapfile -t kept < <(find "$crashdir" -maxdepth 1 -type f ! -name README | sort)
  if [ ${#kept[@]} -gt 0 ] && ! "$bin" -rss_limit_mb=2048 "${kept[@]}" >"$log" 2>&1; then
    echo "fuzz $t: FAILED on a kept crasher; log:" >&2
    tail -n 40 "$log" >&2
    failed=1
    continue
  fi
  mkdir -p "$work/corpus-$t"
  cp -r "$root/tests/fuzz/corpus/$t/." "$work/corpus-$t/"
  if "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$crashdir/" "$work/corpus-$t" >"$log" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    echo "fuzz $t: ok (${runs:-?} runs)"
  else
    echo "fuzz $t: FAILED; crasher in $crashdir; log:" >&2
    tail -n 60 "$log" >&2
    failed=1
  fi
done
exit "$failed"
