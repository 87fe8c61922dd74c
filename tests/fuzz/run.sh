#!/usr/bin/env bash
# Runs each libFuzzer target of build/fuzz for FUZZ_SECONDS (default 300), one after
# the other, starting from the seeds in tests/fuzz/corpus/<target>/. What a run finds is
# kept in build/fuzz/corpus/<target>/ for the next run; a crash, leak, timeout or
# sanitizer report stops the run with a non-zero status and leaves the reproducer in
# build/fuzz/artifacts/<target>/ (replay: build/fuzz/tests/fuzz/<target> <file>).
#   tests/fuzz/run.sh [target...]      FUZZ_SECONDS=10 tests/fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-300}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_definition fuzz_answers fuzz_form fuzz_route_query fuzz_roster_csv)
fi
for target in "${targets[@]}"; do
  bin=build/fuzz/tests/fuzz/$target
  work=build/fuzz/corpus/$target
  artifacts=build/fuzz/artifacts/$target/
  mkdir -p "$work" "$artifacts"
  dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  echo "== $target for ${seconds}s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: over 2 GiB is a leak
  # or an allocation driven by the input. Both count as crashes.
  status=0
  "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
    "$work" "tests/fuzz/corpus/$target" >"build/fuzz/$target.log" 2>&1 || status=$?
  grep -E '^(INFO: seed corpus|#[0-9]+\s+DONE|stat::number_of_executed_units|stat::peak_rss)|ERROR|SUMMARY|Test unit written' \
    "build/fuzz/$target.log" || true
  if [ "$status" -ne 0 ]; then
    echo "$target failed (status $status): see build/fuzz/$target.log and $artifacts" >&2
    exit 1
  fi
done
