#!/usr/bin/env bash
# `npm run bench:native`: native Release build of ringi_bench (Google Benchmark) and a run.
# Extra arguments go to the benchmark binary (e.g. --benchmark_filter=Check).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RINGI_ROOT="$(pwd)"
# shellcheck source=lib.sh
source scripts/lib.sh
bash scripts/setup-native.sh
ringi_build_dir_for_here build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "${RINGI_JOBS:-2}" --target ringi_bench
exec build/ringi_bench "$@"
