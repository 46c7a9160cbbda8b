# WebAssembly build prelude (emcmake only). Included by CMakeLists.txt right after the options,
# before any target or find_package, because it decides things every target must share:
#
#   1. The C++ exception mode and -flto (compile AND link, all targets incl. GoogleTest).
#   2. nlohmann/json as an INTERFACE target pointing at a staged -isystem directory.
#   3. GoogleTest built from Debian's source tree (/usr/src/googletest), when RINGI_TESTS.
#
# Exception mode: -fwasm-exceptions (native wasm exception handling).
#   - The domain reports failures by throwing domain::Error; src/api catches them and turns them
#     into kintone-shaped error responses. Without an exception flag emscripten compiles `catch`
#     blocks to nothing (a throw aborts the module), so a mode must be chosen on purpose.
#   - -fwasm-exceptions costs ~19% wasm size and runs at near-native speed; the JS-based
#     -fexceptions is 1.5-2x slower on JSON work. Native wasm EH works in Chromium and Node 20.
#   - Nothing crosses embind as an exception: src/bindings catches everything and returns JSON.
#   - Debian's prebuilt (frozen) emscripten cache holds the wasm-EH variants of libc++/libc++abi
#     and embind, so no cache rebuild is needed (never set EM_CACHE).
#
# Optimisation: -O2 + -flto for compile and link, every target. Measured 2025-11 on the engine:
# gzip -9 (Node zlib) of ringi-engine.wasm; speed = bench/node/transitions.mjs (7 paired runs,
# median) and ringiLoad/ringiExport of a 20k-record approvalWorkspace (best of 3):
#   -O2                      260.6 KB   the reference
#   -O2 -flto                254.8 KB   same speed (8404 vs 8351 transitions/s; load, export
#                                       within +-3%): KEPT. Cross-TU inlining/DCE of ringi_api +
#                                       ringi_domain. The GoogleTest wasm suites link the same
#                                       bitcode (LTO at their link too; all pass).
#   -Os -finline-functions   221.8 KB   with -flto; real clang -Os: -10% transitions, +11..16%
#     -flto                             load, +5..15% export. Not kept (speed loss); it is the
#                                       RINGI_WASM_SIZE=ON build below, for when bytes matter more.
#   -Os / -Oz (compile)      -30% size  2.8x SLOWER (earlier sources): emscripten 3.1.6 turns
#                                       -Os/-Oz into INLINING_LIMIT=1 = -fno-inline-functions, so
#                                       even std::string::size() becomes a call. Never plain -Os.
# On the sources of a few commits earlier (-O2 = 253.1 KB then):
#   -O2 -mllvm -inline-threshold=100 / =30     244.8 / 222.7 KB, -6% / -15% transitions: not kept.
#   -Os/-Oz on the cold files only (codec, storage format, app/directory/bulk handlers, ...), -O2
#     on the request path, with -flto: 252.8 KB: the bytes are in the request path. Not kept.
#   -O2 objects, link -Os/-Oz/-O3 (wasm-opt)   254.5 / 254.0 / 254.9 KB: larger gzip, not kept
#     (link -Os does trim ~1.1 KB of the minified JS glue: a wash).
#   wasm-opt post-pass on the linked module: -Os/-Oz -1.5 KB, --converge nothing more: not kept.
#   -sEVAL_CTORS=1           no change: the ctors call embind imports, which cannot be evaluated.
#   -O1                      259.2 KB: larger.
# (bench/README.md "bundle size" read "-Os gives the same gzip as -O2": true only at link.)
option(RINGI_WASM_SIZE "wasm: optimise for size (-Os -finline-functions: -33 KB gzip, ~10% slower)"
       OFF)
set(RINGI_WASM_EXCEPTIONS "-fwasm-exceptions")
# -mbulk-memory: LLVM lowers memcpy/memset of our code (std::string and vector copies) to the
# memory.copy/memory.fill instructions instead of calls into libc's word loops. Chromium 75+,
# Node 12.5+. With src/bindings/bulk_memory.cpp (the same for libc's memcpy/memmove/memset, which
# the prebuilt libc++ calls) transitions/s +3.9% (6 alternating pairs on one core: 71.4k -> 74.2k
# on average; each half alone +1.2% and +1.4%, within one pair's spread); wasm gzip -0.4 KB.
add_compile_options(${RINGI_WASM_EXCEPTIONS} -flto -mbulk-memory)
add_link_options(${RINGI_WASM_EXCEPTIONS} -flto -mbulk-memory)
if(RINGI_WASM_SIZE)
  # -finline-functions undoes the -fno-inline-functions that emcc adds for -Os (see above).
  set(RINGI_WASM_OPT "-Os -finline-functions")
else()
  set(RINGI_WASM_OPT "-O2")
endif()
# CMake puts these on the em++ link line too, so they also pick the LTO code generation level.
set(CMAKE_CXX_FLAGS_RELEASE "${RINGI_WASM_OPT} -DNDEBUG" CACHE STRING "Release flags (wasm)" FORCE)
set(CMAKE_C_FLAGS_RELEASE "${RINGI_WASM_OPT} -DNDEBUG" CACHE STRING "Release flags (wasm)" FORCE)

# ---- nlohmann/json ---------------------------------------------------------------------------
# The emscripten sysroot hides /usr/include, and -I/usr/include would drag glibc headers into the
# wasm build. So the headers are reached through a directory that holds ONLY a `nlohmann` link
# (emsdk-setup.sh stages build-wasm/include-isystem/nlohmann; we create it here if missing).
set(RINGI_NLOHMANN_ISYSTEM "${CMAKE_BINARY_DIR}/include-isystem" CACHE PATH
    "Directory holding only a 'nlohmann' link to the nlohmann/json headers (wasm build)")
if(NOT EXISTS "${RINGI_NLOHMANN_ISYSTEM}/nlohmann/json.hpp")
  find_path(RINGI_NLOHMANN_SOURCE_PARENT nlohmann/json.hpp
            PATHS /usr/include /usr/local/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT RINGI_NLOHMANN_SOURCE_PARENT)
    message(FATAL_ERROR "nlohmann/json.hpp not found: run ./emsdk-setup.sh "
                        "(installs nlohmann-json3-dev) or set RINGI_NLOHMANN_ISYSTEM")
  endif()
  file(MAKE_DIRECTORY "${RINGI_NLOHMANN_ISYSTEM}")
  file(CREATE_LINK "${RINGI_NLOHMANN_SOURCE_PARENT}/nlohmann" "${RINGI_NLOHMANN_ISYSTEM}/nlohmann"
       SYMBOLIC)
endif()
if(NOT TARGET nlohmann_json::nlohmann_json)
  # IMPORTED => its include directory is passed as -isystem.
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RINGI_NLOHMANN_ISYSTEM}")
endif()
message(STATUS "wasm: nlohmann/json via -isystem ${RINGI_NLOHMANN_ISYSTEM}")

# ---- GoogleTest from source --------------------------------------------------------------------
# find_package(GTest) finds only native libraries; the wasm test build compiles Debian's
# googletest sources (package `googletest`) with the same flags as everything else.
if(RINGI_TESTS)
  set(RINGI_GTEST_SOURCE "/usr/src/googletest" CACHE PATH "GoogleTest source tree (wasm build)")
  if(NOT EXISTS "${RINGI_GTEST_SOURCE}/CMakeLists.txt")
    message(FATAL_ERROR "GoogleTest sources not found at ${RINGI_GTEST_SOURCE}: run "
                        "./emsdk-setup.sh (installs googletest) or set RINGI_GTEST_SOURCE")
  endif()
  set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)  # no threads in our wasm build
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory("${RINGI_GTEST_SOURCE}" "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  # googletest >= 1.11 defines GTest::gtest / GTest::gtest_main aliases; older ones do not.
  if(NOT TARGET GTest::gtest_main)
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
  message(STATUS "wasm: GoogleTest from source ${RINGI_GTEST_SOURCE}")
endif()
