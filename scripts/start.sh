#!/usr/bin/env bash
# `npm start`: setup + build + serve the demo on http://127.0.0.1:${PORT:-8080}/
#   /       -> web/demo/
#   /dist/  -> dist/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RINGI_ROOT="$(pwd)"
# shellcheck source=lib.sh
source scripts/lib.sh
ringi_npm_ensure
bash scripts/build.sh
exec node scripts/static-server.mjs
