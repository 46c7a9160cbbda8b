# The WebAssembly engine module (emcmake only; included from CMakeLists.txt when EMSCRIPTEN).
# Exception mode, -O2, -flto and nlohmann are set up for every target in cmake/wasm-setup.cmake
# (which also records the size/speed measurements behind those flags).
#
# Output: ringi-engine.js (ES module factory `createRingiEngine`) + ringi-engine.wasm.
#
# Link flags, and why:
#   -O2                              wasm-opt at link (and the LTO code generation level);
#                                    link -Os/-Oz/-O3 give a larger gzip here (wasm-setup.cmake)
#                                    (RINGI_WASM_SIZE=ON: the -Os from CMAKE_CXX_FLAGS_RELEASE,
#                                    which CMake also puts on this line, makes it wasm-opt -Os)
#   -fwasm-exceptions                (from wasm-setup.cmake) domain::Error is thrown and caught
#                                    inside C++; native wasm EH: ~19% size, near-native speed
#   -lembind (--bind)                the free functions in src/bindings/ringi_bindings.cpp
#   -sMODULARIZE=1 -sEXPORT_ES6=1    `import createRingiEngine from './ringi-engine.js'`,
#   -sEXPORT_NAME=createRingiEngine    `const engine = await createRingiEngine({wasmBinary?})`
#   -sENVIRONMENT=web,worker,node    one file for page, module Worker and Node 20 (Node needs
#                                    globalThis.require/__dirname and wasmBinary: DESIGN §8)
#   -sALLOW_MEMORY_GROWTH=1          workspaces grow with the records; no fixed heap
#   -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100
#                                    wasm-opt -O2 (binaryen 108) inlines EVERY function that has one
#                                    caller, however large, on top of LLVM's inlining and ignoring
#                                    its noinline; capped at 100: 255.3 -> 254.2 KB gzip, same speed
#                                    (transitions/s and a warm restore, 6 alternating processes).
#                                    Caps of 0 / 500 / 2000: 254.3 / 254.5 / 254.8 KB.
#   -sINCOMING_MODULE_JS_API=[...]   only the Module options engine-loader.js passes, so the glue
#                                    has no code for the others (preRun, arguments, ...);
#   -sTEXTDECODER=2                  TextDecoder always (every target has it), no JS fallback:
#                                    together -0.46 KB gzip of ringi-engine.js
#   -sMEMORY_GROWTH_LINEAR_STEP=4MiB grow 4 MiB at a time, not by 20% of the size: wasm memory never
#                                    shrinks, so the overshoot of the last step stays the tab's memory
#                                    (100,000 records: 112 -> 105 MB at the same peak; bench/README)
#   -sNODEJS_CATCH_EXIT=0            a guest in the host's Node process: the glue installs no
#   -sNODEJS_CATCH_REJECTION=0       uncaughtException / unhandledRejection listeners (one pair per
#                                    engine, never removed), so the host's own errors end the
#                                    process as Node would (tests/node/node-guest.test.mjs)
if(NOT EXISTS "${CMAKE_SOURCE_DIR}/src/bindings/ringi_bindings.cpp")
  return()
endif()

# bulk_memory.cpp: memcpy/memmove/memset as memory.copy/memory.fill (cmake/wasm-setup.cmake).
add_executable(ringi_engine src/bindings/ringi_bindings.cpp src/bindings/bulk_memory.cpp)
target_link_libraries(ringi_engine PRIVATE ringi_api nlohmann_json::nlohmann_json)
target_compile_options(ringi_engine PRIVATE ${RINGI_WARNINGS})
set(RINGI_ENGINE_LINK_FLAGS
  -O2
  -lembind
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sEXPORT_NAME=createRingiEngine
  -sENVIRONMENT=web,worker,node
  -sALLOW_MEMORY_GROWTH=1
  -sMEMORY_GROWTH_LINEAR_STEP=4194304
  "-sINCOMING_MODULE_JS_API=[wasmBinary,locateFile,print,printErr,instantiateWasm]"
  -sTEXTDECODER=2
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
  -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100
)
target_link_options(ringi_engine PRIVATE ${RINGI_ENGINE_LINK_FLAGS})
set_target_properties(ringi_engine PROPERTIES OUTPUT_NAME "ringi-engine" SUFFIX ".js")

# Code that runs once per app or per workspace, not per record or request, is built for size
# (-Oz), the rest for speed (-O2). Each file's functions carry their level through LTO. Measured
# (bench/README.md, round 9): wasm 246.2 -> 226.8 KB gzip; transitions/s and a restore of 10,000
# records the same (alternating processes); a 10,000-record workspace load ~15% slower.
# Round 10, the row decoder (storage_decode.cpp, once per page): 226.8 -> 220.4 KB; a cold page's
# restore of 10,000 records ~68 -> ~75 ms (cold_start_ms the same within its spread).
# json/writer.cpp (then json_text.cpp), errors.cpp and messages.cpp stay at -O2: toText (every Json reply; in errors.cpp
# until round 13) and the locale helpers are on every request (-Oz on them: transitions 3-6% slower).
set(RINGI_WASM_COLD_SOURCES
  src/api/app_handlers.cpp        # app settings, form fields, process management settings
  src/api/directory_handlers.cpp  # users, organizations, groups
  src/api/bulk_handlers.cpp       # bulkRequest's own dispatch (its requests run the handlers)
  src/api/settings_codec.cpp      # app settings <-> JSON: imports, restores, settings APIs
  src/api/workspace_codec.cpp     # workspace import / export
  src/api/rows_reader.cpp         # stored rows -> Snapshot: once per page (restore)
)
if(NOT RINGI_WASM_SIZE)
  list(TRANSFORM RINGI_WASM_COLD_SOURCES PREPEND "${CMAKE_SOURCE_DIR}/")
  set_source_files_properties(${RINGI_WASM_COLD_SOURCES} PROPERTIES COMPILE_OPTIONS -Oz)
endif()
