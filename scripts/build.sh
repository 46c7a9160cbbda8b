#!/usr/bin/env bash
# `npm run build`: the WebAssembly engine (build-wasm/, emcmake, -j2) and dist/:
#   dist/ringi-engine.js + dist/ringi-engine.wasm   the engine module (cmake/wasm.cmake)
#   dist/**                                          web/src/, JS minified by esbuild with .js.map
#                                                    source maps (dist/ringi.js = entry; scripts/lib.sh)
# Runs emsdk-setup.sh first (installs what is missing). Only the ringi_engine target is built
# (the wasm test suites are built by `npm test`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RINGI_ROOT="$(pwd)"
# shellcheck source=../emsdk-setup.sh
source ./emsdk-setup.sh
t0=$(date +%s)
(
  b="${RINGI_WASM_BUILD_DIR:-build-wasm}"
  emcmake cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Release -DRINGI_BENCH=OFF \
    -DRINGI_NLOHMANN_ISYSTEM="$RINGI_ROOT/$b/include-isystem"
  cmake --build "$b" -j "${RINGI_JOBS:-2}" --target ringi_engine
)
ringi_stage_dist
ringi_log "build done in $(( $(date +%s) - t0 ))s"
