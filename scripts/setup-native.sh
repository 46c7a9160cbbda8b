#!/usr/bin/env bash
# Ensures the native toolchain: g++, cmake, make, GoogleTest (libgtest-dev + googletest sources),
# Google Benchmark, nlohmann/json. Installs only what is missing (apt-get update once, then
# apt-get install -y, non-interactive); quick no-op when everything is present.
# Usage: bash scripts/setup-native.sh   (or source it)
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ringi_apt_ensure "${RINGI_NATIVE_PACKAGES[@]}"
