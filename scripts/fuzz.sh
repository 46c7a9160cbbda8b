#!/usr/bin/env bash
# `npm run fuzz [-- SECONDS]`: builds the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp) with clang
# in build-fuzz/ (coverage + ASan + UBSan) and runs each for SECONDS (default 600; `npm test`
# runs them for RINGI_FUZZ_SECONDS=20), two at a time. Each starts from the seeds
# (tests/fuzz/seeds.mjs, and the rows fuzz_rows writes) plus what earlier runs found
# (build-fuzz/corpus/<harness>/), with the dictionary tests/fuzz/ringi.dict.
# Prints, per harness, executions, executions per second and corpus size; a crash, a sanitizer
# report, a broken invariant, a leak or a timeout leaves its input in build-fuzz/findings/ and
# fails the run. The last line is "N passed, N failed" (harnesses). RINGI_FUZZ_ONLY="fuzz_rows ..."
# runs only those.
# Allocation stacks are kept 2 frames deep (ASan's malloc_context_size; the full 30 made the
# request-sequence harness 1.4x slower): re-run a finding with RINGI_FUZZ_MALLOC_CONTEXT=30
#   build-fuzz/<harness> build-fuzz/findings/<file>
# for its whole story.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT="$(pwd)"
# shellcheck source=lib.sh
source scripts/lib.sh
SECONDS_EACH="${1:-${RINGI_FUZZ_SECONDS:-600}}"
OUT="$ROOT/build-fuzz"
JOBS="${RINGI_JOBS:-2}"

ringi_apt_ensure clang libclang-rt-14-dev || exit 1
ringi_build_dir_for_here "$OUT"
CC=clang CXX=clang++ cmake -S . -B "$OUT" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRINGI_FUZZ=ON \
  -DRINGI_TESTS=OFF -DRINGI_BENCH=OFF >/dev/null || exit 1
if ! cmake --build "$OUT" -j "$JOBS" >"$OUT/build.log" 2>&1; then
  grep -E 'error' -A3 "$OUT/build.log" | head -n 40
  echo "0 passed, 1 failed"
  exit 1
fi

rm -rf "$OUT/seeds"
node tests/fuzz/seeds.mjs "$OUT/seeds" || exit 1
mkdir -p "$OUT/seeds/fuzz_rows" "$OUT/findings"

run_one() {  # run_one NAME: one harness for SECONDS_EACH; its log in build-fuzz/<name>.log
  local name="$1" corpus="$OUT/corpus/$1"
  mkdir -p "$corpus"
  RINGI_FUZZ_WRITE_SEEDS="$OUT/seeds/$name" ASAN_OPTIONS="detect_leaks=1:malloc_context_size=${RINGI_FUZZ_MALLOC_CONTEXT:-2}" \
    "$OUT/$name" "$corpus" "$OUT/seeds/$name" -dict=tests/fuzz/ringi.dict -max_len=4096 \
    -timeout=10 -rss_limit_mb=4096 -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
    -artifact_prefix="$OUT/findings/$name-" >"$OUT/$name.log" 2>&1
}

mapfile -t NAMES < <(cd "$OUT" && ls fuzz_* 2>/dev/null | grep -v '\.log$')
if [ -n "${RINGI_FUZZ_ONLY:-}" ]; then  # e.g. RINGI_FUZZ_ONLY="fuzz_rows fuzz_json"
  mapfile -t NAMES < <(printf '%s\n' "${NAMES[@]}" | grep -Fx -f <(tr ' ' '\n' <<<"$RINGI_FUZZ_ONLY"))
fi
declare -A RC
for ((i = 0; i < ${#NAMES[@]}; i += JOBS)); do
  pids=()
  for ((j = i; j < i + JOBS && j < ${#NAMES[@]}; j++)); do run_one "${NAMES[j]}" & pids+=("$!:${NAMES[j]}"); done
  for p in "${pids[@]}"; do wait "${p%%:*}"; RC[${p#*:}]=$?; done
done

passed=0 failed=0
for name in "${NAMES[@]}"; do
  log="$OUT/$name.log"
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -n1)
  rate=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | awk '{print $2}' | tail -n1)
  units=$(find "$OUT/corpus/$name" -type f | wc -l)
  if [ "${RC[$name]}" -eq 0 ] && [ -n "$execs" ]; then
    printf '  %-14s ok      %10s executions  %6s/s  corpus %s\n' "$name" "$execs" "${rate:-?}" "$units"
    passed=$((passed + 1))
  else
    printf '  %-14s FAILED  (exit %s) %s\n' "$name" "${RC[$name]}" "$(ls "$OUT/findings/$name-"* 2>/dev/null | head -n1)"
    grep -E 'INVARIANT BROKEN|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' -A3 "$log" | head -n 12
    failed=$((failed + 1))
  fi
done
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
