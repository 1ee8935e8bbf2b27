#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) in build/fuzz and runs each one for a bounded
# time, starting from the committed seeds in tests/fuzz/corpus/<target>/ (new inputs go to
# build/fuzz/corpus/<target>/, never into the repository). Prints executions per target; any crash,
# sanitizer report, leak or timeout fails the run and leaves the input in build/fuzz/artifacts/<target>/.
#   tests/fuzz/run.sh [seconds-per-target]   (default $FUZZ_SECONDS, else 300)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${1:-${FUZZ_SECONDS:-300}}
build=${FUZZ_BUILD_DIR:-build/fuzz}
jobs=${JOBS:-2}
targets=(fuzz_messages fuzz_http fuzz_sdp fuzz_query_string fuzz_names fuzz_settings)

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONFHOST_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_targets

failed=()
printf '%-18s %12s %10s  %s\n' target executions exec/s result
for t in "${targets[@]}"; do
  work="$build/corpus/$t" artifacts="$build/artifacts/$t" log="$build/logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")" "tests/fuzz/corpus/$t"
  status=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status; see $log and $artifacts/)"
    failed+=("$t")
  fi
  printf '%-18s %12s %10s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${failed[*]} found a problem; the reports:" >&2
  for t in "${failed[@]}"; do grep -m1 -A25 -E "ERROR: |runtime error|deadly signal|Test unit written" "$build/logs/$t.log" >&2 || true; done
  exit 1
fi
