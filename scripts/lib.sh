# Shared helpers for Ringi's scripts. Source it; safe to source from an interactive shell
# (defines functions and variables only; no `set -e`, no `exit`).
#
#   ringi_log MSG...                  prints "[ringi] MSG" on stderr
#   ringi_apt_ensure PKG...           installs the Debian packages that are missing, with ONE
#                                     `apt-get update` per process tree (RINGI_APT_UPDATED=1),
#                                     non-interactively; does nothing when all are present
#   ringi_npm_ensure                  npm ci (or npm install without a lock file) when a
#                                     dependency is missing from node_modules
#   ringi_stage_dist                  stages dist/: web/src and the wasm engine, the JS minified
#                                     by esbuild (devDependency) with linked .js.map source maps

RINGI_ROOT="${RINGI_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

ringi_log() { printf '[ringi] %s\n' "$*" >&2; }

ringi_pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ringi_apt_ensure() {
  local missing=() p
  if ! command -v dpkg-query >/dev/null 2>&1; then
    ringi_log "not a Debian system: cannot check/install: $*"
    return 0
  fi
  for p in "$@"; do
    ringi_pkg_installed "$p" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    ringi_log "Debian packages present: $* (apt not needed)"
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      ringi_log "missing packages ${missing[*]} and not root (no sudo): install them first"
      return 1
    fi
  fi
  ringi_log "installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "${RINGI_APT_UPDATED:-0}" != 1 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    export RINGI_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" \
    </dev/null || return 1
  ringi_log "installed: ${missing[*]}"
}

# Native toolchain and libraries (g++, cmake, GoogleTest, Google Benchmark, nlohmann/json).
RINGI_NATIVE_PACKAGES=(g++ cmake make libgtest-dev googletest libbenchmark-dev nlohmann-json3-dev)

ringi_npm_ensure() {
  (
    cd "$RINGI_ROOT" || exit 1
    [ -f package.json ] || exit 0
    # exit 0: nothing to install; 1: every dependency is in node_modules; 2: install needed
    local state=0
    node -e '
      const fs = require("fs"), p = JSON.parse(fs.readFileSync("package.json", "utf8"));
      const deps = Object.keys({...p.dependencies, ...p.devDependencies, ...p.optionalDependencies});
      if (!deps.length) process.exit(0);
      process.exit(deps.every((d) => fs.existsSync(`node_modules/${d}/package.json`)) ? 1 : 2);' ||
      state=$?
    case $state in
      0) ringi_log "npm: no dependencies"; exit 0 ;;
      1) ringi_log "npm: node_modules has every dependency"; exit 0 ;;
    esac
    if [ -f package-lock.json ]; then
      ringi_log "npm ci"
      npm ci --no-audit --no-fund </dev/null
    else
      ringi_log "npm install"
      npm install --no-audit --no-fund </dev/null
    fi
  )
}

# dist/ is a build output (git-ignored); web/src stays the readable source. Staging:
#   1. web/src/** copied as is (ringi.d.ts and any non-JS file ship unchanged);
#   2. every web/src .js/.mjs, and the emscripten glue ringi-engine.js, minified by esbuild over the
#      copies: one file in, one file out (modules keep importing each other by relative path,
#      `import.meta.url` and dynamic `import('./x.js')` are untouched; the classic
#      service-worker.js stays a classic script). Then the page's two entry points, ringi.js and
#      worker.js, are replaced by bundles of what they import (see below). Each gets a linked source map (`x.js.map`, with
#      the original text inside), so stack traces and devtools show web/src.
#      Why: gzip -9 of the JS in dist/ (bench/README.md, sizes) drops from 50.7 KB to 29.6 KB
#      (glue 11.5 -> 8.6 KB; emcc -O2 only strips whitespace, esbuild also renames locals);
#      comments are most of web/src. esbuild only renames locals and drops whitespace/comments.
#   3. ringi-engine.wasm copied.
# RINGI_NO_MINIFY=1 ships plain copies instead (debugging only; bench sizes assume minified).
ringi_stage_dist() {
  (
    cd "$RINGI_ROOT" || exit 1
    local b="${RINGI_WASM_BUILD_DIR:-build-wasm}" esb="$RINGI_ROOT/node_modules/.bin/esbuild"
    if [ ! -f "$b/ringi-engine.js" ] || [ ! -f "$b/ringi-engine.wasm" ]; then
      ringi_log "dist: $b/ringi-engine.js/.wasm missing (wasm build failed?)"
      exit 1
    fi
    if [ "${RINGI_NO_MINIFY:-0}" != 1 ] && [ ! -x "$esb" ]; then
      ringi_npm_ensure || true
      if [ ! -x "$esb" ]; then
        ringi_log "dist: esbuild missing ($esb): run npm ci, or RINGI_NO_MINIFY=1 for plain copies"
        exit 1
      fi
    fi
    rm -rf dist   # no stale files from an older web/src
    mkdir -p dist
    if [ -d web/src ]; then cp -R web/src/. dist/; fi
    cp "$b/ringi-engine.js" "$b/ringi-engine.wasm" dist/
    if [ "${RINGI_NO_MINIFY:-0}" = 1 ]; then
      ringi_log "dist: RINGI_NO_MINIFY=1: JS not minified"
    else
      local ext srcs=()
      for ext in js mjs; do   # esbuild names outputs .js unless told (--out-extension)
        srcs=()
        [ -d web/src ] && mapfile -t srcs < <(find web/src -type f -name "*.$ext" | sort)
        [ "${#srcs[@]}" -gt 0 ] || continue
        "$esb" "${srcs[@]}" --outbase=web/src --outdir=dist "--out-extension:.js=.$ext" \
          --allow-overwrite --minify --sourcemap=linked --log-level=warning || exit 1
      done
      "$esb" "$b/ringi-engine.js" --outfile=dist/ringi-engine.js --allow-overwrite \
        --minify --sourcemap=linked --log-level=warning || exit 1
      # The two entry points a page loads, each bundled into one file: a module graph is fetched
      # one import level at a time, which cost a cold page ~50 ms (ringi.js: 2 levels) and its
      # worker ~60 ms (worker.js: 5 levels) here. The other files stay as they are (Node,
      # tests); ringi.js's lazy imports (the in-process host, the service-worker bridge) stay lazy.
      "$esb" web/src/ringi.js --bundle --format=esm --outfile=dist/ringi.js --allow-overwrite \
        --external:./inprocess.js --external:./sw-host.js \
        --minify --sourcemap=linked --log-level=warning || exit 1
      "$esb" web/src/worker.js --bundle --format=esm --outfile=dist/worker.js --allow-overwrite \
        "--external:node:*" --minify --sourcemap=linked --log-level=warning || exit 1
    fi
    ringi_log "dist/: web/src/* + ringi-engine.js ($(wc -c <dist/ringi-engine.js) B) + ringi-engine.wasm ($(wc -c <dist/ringi-engine.wasm) B)"
  )
}

# CMake configure + build of the wasm tree (build-wasm/) with emcmake. Needs emsdk-setup.sh first.
ringi_wasm_build() {
  (
    cd "$RINGI_ROOT" || exit 1
    local b="${RINGI_WASM_BUILD_DIR:-build-wasm}" jobs="${RINGI_JOBS:-2}"
    emcmake cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Release -DRINGI_BENCH=OFF \
      -DRINGI_NLOHMANN_ISYSTEM="$RINGI_ROOT/$b/include-isystem" "$@" &&
    cmake --build "$b" -j "$jobs"
  )
}

ringi_native_build() {
  (
    cd "$RINGI_ROOT" || exit 1
    local jobs="${RINGI_JOBS:-2}"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" && cmake --build build -j "$jobs"
  )
}
