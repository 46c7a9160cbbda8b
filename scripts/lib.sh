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
RINGI_NATIVE_PACKAGES=(g++ cmake make libgtest-dev googletest libbenchmark-dev nlohmann-json3-dev clang-format)

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

# dist/ is a build output (git-ignored); web/src stays the readable source. dist/ holds only what
# is loaded from it, each module once:
#   ringi.js            the entry point (page, plugin, Node): client + facade + protocol, bundled
#   worker.js           the engine side: the module Worker, and the in-process transport that
#                       ringi.js imports with `worker: false` (and Node); bundled
#   sw-host.js          ringi.js's lazy Service Worker bridge (serviceWorker option); bundled
#   service-worker.js   the classic script a Service Worker imports (importScripts); minified
#   ringi-engine.js     the emscripten glue, minified; ringi-engine.wasm copied; ringi.d.ts
# Why bundles: a module graph is fetched one import level at a time, which cost a cold page ~50 ms
# (ringi.js: 2 levels) and its worker ~60 ms (worker.js: 5 levels) here. Why nothing else: the
# per-module copies that used to sit beside the bundles were the same code a second time (13.9 KB
# of 42.3 KB gzip). esbuild minifies (renames locals, drops whitespace and comments: web/src is
# mostly comments; emcc -O2 only strips the glue's whitespace), and writes a linked source map
# (`x.js.map`, the original text inside) beside each file, so stack traces and devtools show web/src.
# RINGI_NO_MINIFY=1 writes the same bundles unminified (debugging only; bench sizes assume the
# minified ones). web/src/*.js are exactly these entry points; page/, engine/ and http/ hold the
# modules they bundle.
ringi_stage_dist() {
  (
    cd "$RINGI_ROOT" || exit 1
    local b="${RINGI_WASM_BUILD_DIR:-build-wasm}" esb="$RINGI_ROOT/node_modules/.bin/esbuild"
    if [ ! -f "$b/ringi-engine.js" ] || [ ! -f "$b/ringi-engine.wasm" ]; then
      ringi_log "dist: $b/ringi-engine.js/.wasm missing (wasm build failed?)"
      exit 1
    fi
    if [ ! -x "$esb" ]; then
      ringi_npm_ensure || true
      if [ ! -x "$esb" ]; then
        ringi_log "dist: esbuild missing ($esb): run npm ci"
        exit 1
      fi
    fi
    rm -rf dist   # no stale files from an older web/src
    mkdir -p dist
    cp "$b/ringi-engine.wasm" web/src/ringi.d.ts dist/
    local opts=(--sourcemap=linked --log-level=warning)
    if [ "${RINGI_NO_MINIFY:-0}" = 1 ]; then
      ringi_log "dist: RINGI_NO_MINIFY=1: JS not minified"
    else
      opts+=(--minify)
    fi
    "$esb" "$b/ringi-engine.js" --outfile=dist/ringi-engine.js "${opts[@]}" || exit 1
    "$esb" web/src/http/service-worker.js --outfile=dist/service-worker.js "${opts[@]}" || exit 1
    # ringi.js's lazy imports stay lazy and separate: the in-process transport (worker.js) and
    # the Service Worker bridge. No bundle may import node:* (esbuild's browser platform refuses
    # it): Node's part is the package's #ringi-node import (engine/node-platform.js), resolved
    # where the package is used.
    "$esb" web/src/ringi.js --bundle --format=esm --outfile=dist/ringi.js \
      --external:./worker.js --external:./sw-host.js "${opts[@]}" || exit 1
    "$esb" web/src/worker.js web/src/sw-host.js --bundle --format=esm --outdir=dist \
      "--external:#ringi-node" "${opts[@]}" || exit 1
    ringi_log "dist/: $(cd dist && find . -name '*.js' -o -name '*.wasm' | sed 's|^\./||' | sort | tr '\n' ' ')"
  )
}

# A build tree configured for another source folder (a moved or copied checkout) makes CMake stop
# with "CMakeCache.txt directory ... is different": such a tree is removed, so it is configured anew.
ringi_build_dir_for_here() {
  local b="$1" cache="$1/CMakeCache.txt" home
  [ -f "$cache" ] || return 0
  home="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")"
  if [ -n "$home" ] && [ "$(cd "$home" 2>/dev/null && pwd -P)" != "$(cd "$RINGI_ROOT" && pwd -P)" ]; then
    ringi_log "$b/ was configured for $home, not $RINGI_ROOT (moved or copied checkout): configuring it anew"
    rm -rf "$b"
  fi
}

# CMake configure + build of the wasm tree (build-wasm/) with emcmake. Needs emsdk-setup.sh first.
# RINGI_WASM_TARGET: one target only (npm run build: ringi_engine), else all.
ringi_wasm_build() {
  (
    cd "$RINGI_ROOT" || exit 1
    local b="${RINGI_WASM_BUILD_DIR:-build-wasm}" jobs="${RINGI_JOBS:-2}" target=()
    [ -n "${RINGI_WASM_TARGET:-}" ] && target=(--target "$RINGI_WASM_TARGET")
    ringi_build_dir_for_here "$b"
    emcmake cmake -S . -B "$b" -DCMAKE_BUILD_TYPE=Release -DRINGI_BENCH=OFF \
      -DRINGI_NLOHMANN_ISYSTEM="$RINGI_ROOT/$b/include-isystem" "$@" &&
    cmake --build "$b" -j "$jobs" "${target[@]}"
  )
}

ringi_native_build() {
  (
    cd "$RINGI_ROOT" || exit 1
    local jobs="${RINGI_JOBS:-2}"
    ringi_build_dir_for_here build
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" && cmake --build build -j "$jobs"
  )
}

# The native suites once more, Debug (assertions on, nlohmann's included) with AddressSanitizer
# and UndefinedBehaviorSanitizer, in build-asan/ (no benchmark target).
ringi_sanitizer_build() {
  (
    cd "$RINGI_ROOT" || exit 1
    local jobs="${RINGI_JOBS:-2}"
    ringi_build_dir_for_here build-asan
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRINGI_SANITIZE=ON -DRINGI_BENCH=OFF "$@" &&
      cmake --build build-asan -j "$jobs"
  )
}
