#!/usr/bin/env bash
# `npm test`: everything, in order, on a machine that may have nothing installed yet.
#
#   1. setup     emsdk-setup.sh (em++, Debian packages, NODE_PATH, staged nlohmann),
#                scripts/setup-native.sh, npm ci/install when node_modules is missing/stale
#   2. native    cmake build/ (Release, -j2) + ctest                    (GoogleTest, CLI test)
#      sanitize  the same suites in build-asan/ (Debug, ASan + UBSan) + ctest
#      fuzz      scripts/fuzz.sh: each libFuzzer harness (tests/fuzz/) for RINGI_FUZZ_SECONDS (20)
#      types     tsc -p tsconfig.json: web/src and bin/ against ringi.d.ts (JSDoc, @ts-check)
#      format    clang-format --dry-run --Werror on every C++ file git tracks (.clang-format)
#   3. wasm      emcmake cmake build-wasm/ (-j2) + ctest: the same GoogleTest suites in Node
#   4. dist      ringi-engine.js/.wasm + web/src/* -> dist/            (for the JS tests)
#   5. node      node --test tests/node/ tests/wasm/                   (when present)
#   6. browser   node tests/browser/run.mjs                              (when present)
#
# Every stage runs even when an earlier one failed (a failed build counts as 1 failure). Counts
# come from each runner's own totals: ctest's "N tests failed out of M", node --test's TAP
# "# pass/# fail/# cancelled", the browser runner's last "N passed, N failed" line (or TAP
# totals). Logs go to test-results/. The LAST line printed is
#   N passed, N failed
# and the exit status is non-zero when anything failed.
# Environment: RINGI_JOBS (default 2; machines are shared), RINGI_SKIP_WASM=1, RINGI_SKIP_NATIVE=1,
# RINGI_SKIP_SANITIZE=1, RINGI_SKIP_FUZZ=1, RINGI_FUZZ_SECONDS.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT="$(pwd)"
export RINGI_ROOT="$ROOT"
# shellcheck source=lib.sh
source scripts/lib.sh
export RINGI_JOBS="${RINGI_JOBS:-2}"
export CI="${CI:-}"
LOGS="$ROOT/test-results"
mkdir -p "$LOGS"

PASSED=0
FAILED=0
TIMES=()
NOTES=()

add() {  # add PASSED FAILED NOTE
  PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2))
  NOTES+=("$3: $1 passed, $2 failed")
}
banner() { printf '\n==== %s ====\n' "$*"; }
timed() {  # timed NAME CMD...: runs CMD, records its duration
  local name="$1" t0 rc; shift
  t0=$(date +%s)
  "$@"; rc=$?
  TIMES+=("$(printf '%-8s %4ss' "$name" "$(( $(date +%s) - t0 ))")")
  return $rc
}

# ctest_count NAME BUILD_DIR: runs ctest, adds its totals
ctest_count() {
  local name="$1" dir="$2" log="$LOGS/ctest-$1.log" rc line total failed
  ctest --test-dir "$dir" --output-on-failure -j "$RINGI_JOBS" --timeout 300 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1)
  if [ -n "$line" ]; then
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    # ctest can also fail outside the tests it counts (e.g. a suite that cannot be listed)
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    add $((total - failed)) "$failed" "ctest $name"
  elif grep -q 'No tests were found' "$log" && [ "$rc" -eq 0 ]; then
    add 0 0 "ctest $name (no tests)"
  else
    add 0 1 "ctest $name (did not run: see $log)"
  fi
}

stage_setup() {
  banner "setup"
  local ok=0
  # shellcheck source=../emsdk-setup.sh
  source "$ROOT/emsdk-setup.sh" || { ok=1; add 0 1 "setup: emsdk-setup.sh"; }
  bash scripts/setup-native.sh || { ok=1; add 0 1 "setup: setup-native.sh"; }
  ringi_npm_ensure || { ok=1; add 0 1 "setup: npm"; }
  return $ok
}

stage_native() {
  banner "native build (build/) + ctest"
  if ringi_native_build 2>&1 | tee "$LOGS/build-native.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    ctest_count native build
  else
    add 0 1 "native build FAILED (see test-results/build-native.log)"
  fi
}

stage_sanitize() {
  banner "sanitizers: build-asan/ (Debug, ASan + UBSan) + ctest"
  if ringi_sanitizer_build 2>&1 | tee "$LOGS/build-asan.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest_count sanitize build-asan
  else
    add 0 1 "sanitizer build FAILED (see test-results/build-asan.log)"
  fi
}

stage_fuzz() {
  banner "fuzz: libFuzzer harnesses, ${RINGI_FUZZ_SECONDS:-20} s each (scripts/fuzz.sh)"
  local log="$LOGS/fuzz.log" line
  bash scripts/fuzz.sh "${RINGI_FUZZ_SECONDS:-20}" 2>&1 | tee "$log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
  if [ -n "$line" ]; then
    add "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")" "fuzz (harnesses)"
  else
    add 0 1 "fuzz did not run (see test-results/fuzz.log)"
  fi
}

stage_types() {
  banner "types: tsc -p tsconfig.json"
  local tsc="$ROOT/node_modules/.bin/tsc"
  if [ ! -x "$tsc" ]; then add 0 1 "types: typescript missing (npm ci)"; return; fi
  if "$tsc" -p tsconfig.json 2>&1 | tee "$LOGS/types.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    add 1 0 "types (tsc, 0 errors)"
  else
    add 0 1 "types: $(grep -c 'error TS' "$LOGS/types.log") tsc errors (see test-results/types.log)"
  fi
}

stage_format() {
  banner "format: clang-format --dry-run --Werror"
  local files bad=()
  mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null)
  if [ "${#files[@]}" -eq 0 ]; then NOTES+=("format: no C++ files (not a git checkout?)"); return 0; fi
  for f in "${files[@]}"; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f"); done
  if [ "${#bad[@]}" -eq 0 ]; then
    add 1 0 "format (${#files[@]} C++ files)"
  else
    printf '  not formatted: %s\n' "${bad[@]}"
    add 0 1 "format: ${#bad[@]} file(s) not formatted (clang-format -i them)"
  fi
}

stage_wasm() {
  banner "wasm build (build-wasm/, emcmake) + ctest in Node"
  if ringi_wasm_build 2>&1 | tee "$LOGS/build-wasm.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    ctest_count wasm build-wasm
  else
    add 0 1 "wasm build FAILED (see test-results/build-wasm.log)"
  fi
}

stage_dist() {
  banner "dist/"
  ringi_stage_dist || add 0 1 "dist staging"
}

stage_node() {
  local dirs=() d
  for d in tests/node tests/wasm; do [ -d "$d" ] && dirs+=("$d/"); done
  if [ "${#dirs[@]}" -eq 0 ]; then NOTES+=("node tests: none (tests/node/ absent)"); return 0; fi
  banner "node --test ${dirs[*]}"
  local tap="$LOGS/node.tap" rc pass fail cancelled
  rm -f "$tap"
  timeout 900 node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "${dirs[@]}"
  rc=$?
  pass=$(grep -E '^# pass [0-9]+' "$tap" 2>/dev/null | tail -n1 | awk '{print $3}')
  fail=$(grep -E '^# fail [0-9]+' "$tap" 2>/dev/null | tail -n1 | awk '{print $3}')
  cancelled=$(grep -E '^# cancelled [0-9]+' "$tap" 2>/dev/null | tail -n1 | awk '{print $3}')
  if [ -z "$pass" ]; then
    add 0 1 "node --test (no totals, exit $rc)"; return
  fi
  fail=$(( ${fail:-0} + ${cancelled:-0} ))
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  add "$pass" "$fail" "node --test"
}

stage_browser() {
  local log="$LOGS/browser.log" rc line pass="" fail=""
  export RINGI_CHROMIUM="${RINGI_CHROMIUM:-$(command -v chromium || true)}"
  if [ -f tests/browser/run.mjs ]; then
    banner "browser: node tests/browser/run.mjs"
    timeout 900 node tests/browser/run.mjs 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
    if [ -n "$line" ]; then
      pass=$(grep -oE '[0-9]+ passed' <<<"$line" | tail -n1 | awk '{print $1}')
      fail=$(grep -oE '[0-9]+ failed' <<<"$line" | tail -n1 | awk '{print $1}')
    elif grep -qE '^# pass [0-9]+' "$log"; then
      pass=$(grep -E '^# pass [0-9]+' "$log" | tail -n1 | awk '{print $3}')
      fail=$(grep -E '^# fail [0-9]+' "$log" | tail -n1 | awk '{print $3}')
    fi
  else
    NOTES+=("browser tests: none (no tests/browser/run.mjs)")
    return 0
  fi
  if [ -z "$pass" ]; then
    if [ "$rc" -eq 0 ]; then add 1 0 "browser (no totals; exit 0)"; else add 0 1 "browser (no totals; exit $rc)"; fi
    return
  fi
  fail=${fail:-0}
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  add "$pass" "$fail" "browser"
}

T0=$(date +%s)
timed setup stage_setup
[ "${RINGI_SKIP_NATIVE:-0}" = 1 ] || timed native stage_native
[ "${RINGI_SKIP_NATIVE:-0}" = 1 ] || [ "${RINGI_SKIP_SANITIZE:-0}" = 1 ] || timed sanitize stage_sanitize
[ "${RINGI_SKIP_NATIVE:-0}" = 1 ] || [ "${RINGI_SKIP_FUZZ:-0}" = 1 ] || timed fuzz stage_fuzz
timed types stage_types
timed format stage_format
if [ "${RINGI_SKIP_WASM:-0}" != 1 ]; then
  timed wasm stage_wasm
  timed dist stage_dist
fi
timed node stage_node
timed browser stage_browser

banner "summary"
for n in "${NOTES[@]}"; do echo "  $n"; done
echo "  stage times:"
for t in "${TIMES[@]}"; do echo "    $t"; done
echo "    total    $(( $(date +%s) - T0 ))s"
echo "${PASSED} passed, ${FAILED} failed"
[ "$FAILED" -eq 0 ]
