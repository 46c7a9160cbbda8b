# The GoogleTest suites under emcmake, run by Node through ctest (the targets'
# CROSSCOMPILING_EMULATOR is node, so gtest_discover_tests / add_test prefix `node`).
# Same sources, same assertions as the native run: proves the engine behaves identically in wasm.
#
#   -sNODERAWFS=1          tests see the real filesystem (the workspaces under tests/fixtures)
#   -sENVIRONMENT=node     (NODERAWFS is node-only)
#   -sALLOW_MEMORY_GROWTH=1
#   -sEXIT_RUNTIME=1       main()'s return value becomes node's exit code -> ctest pass/fail
#   -O1 at link            the test binaries are large; full -O2 wasm-opt adds minutes, not value
#                          (the code under test is still compiled at -O2)
set(RINGI_WASM_TEST_LINK_FLAGS
  -O1
  -sNODERAWFS=1
  -sENVIRONMENT=node
  -sALLOW_MEMORY_GROWTH=1
  -sEXIT_RUNTIME=1
)
# emcmake 3.1.6 sets the emulator to "node;--experimental-wasm-threads", a flag Node 20 rejects
# (exit 9). And Node 20's global fetch() makes emscripten 3.1.6 try to fetch() the .wasm by
# path (ERR_INVALID_URL): --no-experimental-fetch removes fetch, so it reads the file instead.
find_program(RINGI_NODE NAMES node nodejs REQUIRED)
set(RINGI_WASM_TEST_RUNNER "${RINGI_NODE}" --no-experimental-fetch)
# The repo's package.json says "type": "module", which would make node load these (CommonJS)
# test scripts as ES modules and fail (__dirname is not defined). They live in their own
# directory with a package.json that says commonjs.
set(RINGI_WASM_TEST_DIR "${CMAKE_BINARY_DIR}/wasm-tests")
file(MAKE_DIRECTORY "${RINGI_WASM_TEST_DIR}")
file(WRITE "${RINGI_WASM_TEST_DIR}/package.json" "{\"type\": \"commonjs\"}\n")
foreach(t ringi_domain_tests ringi_api_tests)
  if(TARGET ${t})
    set_target_properties(${t} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${RINGI_WASM_TEST_DIR}")
    target_link_options(${t} PRIVATE ${RINGI_WASM_TEST_LINK_FLAGS})
    # The engine module's memcpy/memmove/memset (memory.copy/fill), so the suites test them too.
    target_sources(${t} PRIVATE "${CMAKE_SOURCE_DIR}/src/bindings/bulk_memory.cpp")
    set_target_properties(${t} PROPERTIES CROSSCOMPILING_EMULATOR "${RINGI_WASM_TEST_RUNNER}")
    # One ctest per test case, like the native build; listed at ctest time (PRE_TEST) so a
    # suite that fails to start shows up as a failed test instead of a broken build.
    gtest_discover_tests(${t} DISCOVERY_TIMEOUT 120 DISCOVERY_MODE PRE_TEST
                         TEST_PREFIX "wasm." WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
                         PROPERTIES TIMEOUT 300)
  endif()
endforeach()
