# WebAssembly build prelude (emcmake only). Included by CMakeLists.txt right after the options,
# before any target or find_package, because it decides things every target must share:
#
#   1. The C++ exception mode (compile AND link, all targets incl. GoogleTest).
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
# Optimisation: -O2 for compile and link (-O2 beats -Os here: same gzip size, faster).

set(RINGI_WASM_EXCEPTIONS "-fwasm-exceptions")
add_compile_options(${RINGI_WASM_EXCEPTIONS})
add_link_options(${RINGI_WASM_EXCEPTIONS})
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "Release flags (wasm: -O2)" FORCE)
set(CMAKE_C_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "Release flags (wasm: -O2)" FORCE)

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
