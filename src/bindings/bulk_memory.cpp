// memcpy, memmove and memset as the wasm bulk-memory instructions (memory.copy, memory.fill), in
// place of libc's prebuilt word loops and its JS call (emscripten_memcpy_big) for large copies.
// libc++'s prebuilt std::string calls these for every copy and append. The engine module only.
#include <cstddef>

#ifndef __wasm_bulk_memory__
#error \
    "bulk_memory.cpp needs -mbulk-memory (cmake/wasm-setup.cmake): without it the builtins call back here"
#endif

extern "C" {
// memory.copy is defined for overlapping ranges, so all three copies are the one instruction.
void* memcpy(void* __restrict dest, const void* __restrict src, size_t n) {
  return __builtin_memmove(dest, src, n);
}
void* memmove(void* dest, const void* src, size_t n) { return __builtin_memmove(dest, src, n); }
void* memset(void* dest, int c, size_t n) { return __builtin_memset(dest, c, n); }
}
