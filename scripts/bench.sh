#!/usr/bin/env bash
# `npm run bench`: Ringi against plain IndexedDB, native C++ and its own budgets, in one run.
#   1. setup   emsdk-setup.sh (em++, Debian packages incl. chromium), setup-native.sh, npm deps
#   2. build   native build/ringi_bench (Release, Google Benchmark) and the wasm engine + dist/
#              (scripts/build.sh); both incremental, so only what is missing or stale is rebuilt
#   3. run     node bench/run.mjs: prints the table, writes bench-results.json and bench/RESULTS.md
# Environment: RINGI_JOBS (default 2; machines are shared), RINGI_BENCH_NO_BUILD=1 (use what is
# built), RINGI_BENCH_RUNS (default 5), RINGI_BENCH_ONLY=sizes,native,browser. See bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RINGI_ROOT="$(pwd)"
export RINGI_JOBS="${RINGI_JOBS:-2}"
# shellcheck source=lib.sh
source scripts/lib.sh
if [ "${RINGI_BENCH_NO_BUILD:-0}" != 1 ]; then
  # shellcheck source=../emsdk-setup.sh
  source ./emsdk-setup.sh
  bash scripts/setup-native.sh
  ringi_npm_ensure
  ringi_build_dir_for_here build
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j "$RINGI_JOBS" --target ringi_bench
  bash scripts/build.sh
fi
export RINGI_CHROMIUM="${RINGI_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}"
exec node bench/run.mjs "$@"
