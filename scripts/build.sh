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
RINGI_WASM_TARGET=ringi_engine ringi_wasm_build
ringi_stage_dist
ringi_log "build done in $(( $(date +%s) - t0 ))s"
