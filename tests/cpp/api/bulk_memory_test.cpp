// memcpy/memmove/memset as the engine module links them (src/bindings/bulk_memory.cpp in the wasm
// suites; libc natively): overlapping moves both ways, empty and large copies, fills. Called
// through pointers: a direct call in this file compiles to the instruction, not to the function
// that the prebuilt libc++ calls.
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <vector>

namespace {
void* (*volatile move)(void*, const void*, size_t) = std::memmove;
void* (*volatile copy)(void*, const void*, size_t) = std::memcpy;
void* (*volatile fill)(void*, int, size_t) = std::memset;

std::vector<unsigned char> counting(size_t n) {
  std::vector<unsigned char> v(n);
  std::iota(v.begin(), v.end(), static_cast<unsigned char>(0));
  return v;
}
}  // namespace

TEST(BulkMemory, MemmoveOverlappingForwardAndBackward) {
  auto v = counting(4096);
  move(v.data() + 7, v.data(), 4000);  // destination after the source
  for (size_t i = 0; i < 4000; ++i) ASSERT_EQ(v[i + 7], static_cast<unsigned char>(i)) << i;
  auto w = counting(4096);
  move(w.data(), w.data() + 5, 4000);  // destination before the source
  for (size_t i = 0; i < 4000; ++i) ASSERT_EQ(w[i], static_cast<unsigned char>(i + 5)) << i;
  EXPECT_EQ(w[4095], static_cast<unsigned char>(4095));  // past the move: untouched
}

TEST(BulkMemory, MemcpyEmptySmallAndLarge) {
  const auto src = counting(3 << 20);
  std::vector<unsigned char> dst(3 << 20, 0xAA);
  copy(dst.data(), src.data(), 0);
  EXPECT_EQ(dst[0], 0xAA);
  copy(dst.data(), src.data(), 3);
  EXPECT_EQ(dst[2], 2);
  EXPECT_EQ(dst[3], 0xAA);
  copy(dst.data(), src.data(), src.size());
  EXPECT_EQ(dst, src);
}

TEST(BulkMemory, MemsetFillsExactlyTheRange) {
  std::vector<unsigned char> v(10000, 1);
  fill(v.data() + 3, 0x5C, 9990);
  EXPECT_EQ(v[2], 1);
  EXPECT_EQ(v[3], 0x5C);
  EXPECT_EQ(v[9992], 0x5C);
  EXPECT_EQ(v[9993], 1);
}
