// What each byte is to a JSON string, for JsonReader and JsonWriter alike: one table load per
// byte instead of three or four compares.
#pragma once

#include <array>

namespace ringi::api::json_chars {

constexpr unsigned char kEscape = 1;        // JSON cannot hold it as is: controls, '"', '\'
constexpr unsigned char kHigh = 2;          // not ASCII: 0x80 and up
constexpr unsigned char kNotPrintable = 4;  // 0x7F and up: \uXXXX from an Ascii::yes writer

inline constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c == '"' || c == '\\') t[c] |= kEscape;
    if (c >= 0x80) t[c] |= kHigh;
    if (c >= 0x7F) t[c] |= kNotPrintable;
  }
  return t;
}();

// A byte read and written as it is in UTF-8 JSON text: ASCII, and no escape needed.
constexpr bool plain(unsigned char c) { return !(kByteClass[c] & (kEscape | kHigh)); }

}  // namespace ringi::api::json_chars
