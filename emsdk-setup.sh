#!/usr/bin/env bash
# Makes the WebAssembly toolchain (em++) and everything the builds and tests need available.
#
#   source ./emsdk-setup.sh     # exports into the current shell
#   bash ./emsdk-setup.sh       # same checks/installs; exports are written to ./.emsdk-env
#
# What it does, in order (idempotent, prints what it did; a no-op check when all is present):
#   1. em++: uses an already active emsdk / em++ on PATH, else $EMSDK/emsdk_env.sh or
#      ~/emsdk/emsdk_env.sh, else Debian's `emscripten` package (3.1.6; emsdk cannot download here).
#   2. apt-get (non-interactive; `apt-get update` once, then `apt-get install -y`), ONLY for
#      packages that are missing: emscripten (when 1. found none), g++, cmake, make, googletest,
#      libgtest-dev, libbenchmark-dev, nlohmann-json3-dev, chromium.
#   3. NODE_PATH=/usr/share/nodejs (Debian's emcc needs Debian's acorn from there).
#      EM_CACHE is deliberately NOT set: Debian's cache is prebuilt and frozen and already holds
#      every exception variant of libc++ and embind.
#   4. Stages the nlohmann headers for emcc: build-wasm/include-isystem/ holds only a `nlohmann`
#      symlink (emscripten's sysroot hides /usr/include; never pass -I/usr/include).
#   5. Writes .emsdk-env (git-ignored) with the exports, for scripts that ran this as a program.
# Environment: RINGI_SKIP_APT=1 skips step 2 (report only); RINGI_NO_CHROMIUM=1 leaves chromium.

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts/lib.sh"

ringi_emsdk_setup() {
  local how="" need_emscripten=0 pkgs=()
  # 1. an emscripten that is already there
  if command -v em++ >/dev/null 2>&1; then
    how="em++ already on PATH ($(command -v em++))"
  elif [ -n "${EMSDK:-}" ] && [ -f "${EMSDK}/emsdk_env.sh" ]; then
    # shellcheck disable=SC1091
    { set +u; source "${EMSDK}/emsdk_env.sh" >/dev/null 2>&1; }
    how="activated emsdk at ${EMSDK}"
  elif [ -f "${HOME:-/root}/emsdk/emsdk_env.sh" ]; then
    # shellcheck disable=SC1091
    { set +u; source "${HOME:-/root}/emsdk/emsdk_env.sh" >/dev/null 2>&1; }
    how="activated emsdk at ${HOME:-/root}/emsdk"
  else
    need_emscripten=1
  fi
  # 2. Debian packages that are missing (one apt-get run for all of them)
  pkgs=("${RINGI_NATIVE_PACKAGES[@]}")
  [ "${RINGI_NO_CHROMIUM:-0}" = 1 ] || pkgs+=(chromium)
  [ "$need_emscripten" = 1 ] && pkgs+=(emscripten)
  if [ "${RINGI_SKIP_APT:-0}" = 1 ]; then
    ringi_log "RINGI_SKIP_APT=1: not installing anything"
  else
    ringi_apt_ensure "${pkgs[@]}" || { ringi_log "apt-get failed"; return 1; }
  fi
  if [ "$need_emscripten" = 1 ]; then
    hash -r 2>/dev/null || true
    how="Debian package emscripten"
  fi
  if ! command -v em++ >/dev/null 2>&1; then
    ringi_log "em++ not found (no emsdk, no Debian emscripten): cannot build WebAssembly"
    return 1
  fi
  # 3. NODE_PATH for Debian's emcc (acorn in /usr/share/nodejs); EM_CACHE untouched
  if [ -d /usr/share/nodejs ]; then
    case ":${NODE_PATH:-}:" in
      *:/usr/share/nodejs:*) ;;
      *) export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}" ;;
    esac
  fi
  local version
  # The whole output, then its first line (not `| head -n1`: under pipefail that fails when head
  # exits before em++ has written everything). Once more after a pause if it fails: it failed
  # here once while another build was running em++, and its message is logged.
  local out
  out="$(em++ --version 2>&1)" || { sleep 2; out="$(em++ --version 2>&1)"; } || {
    ringi_log "em++ --version failed: ${out}"; return 1; }
  version="${out%%$'\n'*}"
  ringi_log "emscripten: ${how}: ${version}"
  # 4. the -isystem directory holding only a `nlohmann` link
  local inc="$RINGI_ROOT/build-wasm/include-isystem" src=""
  for d in /usr/include/nlohmann /usr/local/include/nlohmann; do
    if [ -f "$d/json.hpp" ]; then src="$d"; break; fi
  done
  if [ -z "$src" ]; then
    ringi_log "nlohmann/json.hpp not found (nlohmann-json3-dev missing?)"; return 1
  fi
  mkdir -p "$inc"
  if [ "$(readlink "$inc/nlohmann" 2>/dev/null)" != "$src" ]; then
    rm -rf "$inc/nlohmann"
    ln -s "$src" "$inc/nlohmann"
    ringi_log "staged $inc/nlohmann -> $src"
  else
    ringi_log "nlohmann already staged at $inc/nlohmann -> $src"
  fi
  export RINGI_NLOHMANN_ISYSTEM="$inc"
  # 5. the exports, for callers that ran this script instead of sourcing it
  {
    echo "# written by emsdk-setup.sh; source it"
    echo "export PATH=$(printf '%q' "$PATH")"
    [ -n "${EMSDK:-}" ] && echo "export EMSDK=$(printf '%q' "$EMSDK")"
    echo "export NODE_PATH=$(printf '%q' "${NODE_PATH:-}")"
    echo "export RINGI_NLOHMANN_ISYSTEM=$(printf '%q' "$inc")"
  } >"$RINGI_ROOT/.emsdk-env"
  ringi_log "NODE_PATH=${NODE_PATH:-}; exports also in .emsdk-env"
  return 0
}

if (return 0 2>/dev/null); then
  ringi_emsdk_setup
else
  set -uo pipefail
  ringi_emsdk_setup
  exit $?
fi
