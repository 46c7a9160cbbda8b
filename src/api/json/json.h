// The JSON type of the api layer. Headers include only the forward declaration; .cpp files that
// build or read JSON include <nlohmann/json.hpp>. ordered_json keeps insertion order so responses
// list states by index and record fields in form order, as kintone does.

// What each byte is to a JSON string, for JsonReader and JsonWriter alike: one table load per
// byte instead of three or four compares.

// UTF-8 the way JSON text needs it: one well-formed sequence read (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), and a code point written as JSON \u escapes. Shared by
// JsonWriter's ASCII mode and escapeNonAscii (json/writer.h). Inline: both call it per character.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace ringi::api {
using Json = nlohmann::ordered_json;
}  // namespace ringi::api

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

namespace ringi::api::utf8 {

// Length of the well-formed sequence at p (p < end) with its code point in *cp, or 0 (and *cp
// untouched) when it is not one.
[[gnu::always_inline]] inline size_t sequence(const unsigned char* p, const unsigned char* end,
                                              uint32_t* cp) {
  const size_t left = static_cast<size_t>(end - p);
  const unsigned char c = p[0];
  const auto cont = [&](size_t k) { return (p[k] & 0xC0) == 0x80; };  // k < left: checked first
  if (c >= 0xC2 && c <= 0xDF) {
    if (left < 2 || !cont(1)) return 0;
    *cp = (c & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) return 0;  // overlong, surrogate
    *cp = (c & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) return 0;  // overlong, > U+10FFFF
    *cp = (c & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
    return 4;
  }
  return 0;
}

// Where no well-formed sequence starts at p: how many bytes one U+FFFD replaces, as nlohmann's
// dump(..., replace) counts them (its decoder rejects at the first byte that cannot continue, and
// reads that byte again). The lead byte and the continuation bytes that were still possible:
// at least 1. "\xE3\x81A" -> 2 (then 'A'), "\xE0\x80" -> 1 (E0 needs A0..BF; then 80 -> 1).
inline size_t replacedLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  size_t need;                         // continuation bytes of a sequence that starts with c
  unsigned char lo = 0x80, hi = 0xBF;  // what the first continuation may be
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0;  // overlong
    else if (c == 0xED)
      hi = 0x9F;  // surrogate
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90;  // overlong
    else if (c == 0xF4)
      hi = 0x8F;  // above U+10FFFF
  } else {
    return 1;  // not a lead byte
  }
  const size_t left = static_cast<size_t>(end - p);
  size_t k = 1;
  while (k <= need && k < left && p[k] >= lo && p[k] <= hi) {
    ++k;
    lo = 0x80;
    hi = 0xBF;
  }
  return k;
}

// `cp` as \uXXXX at o (a surrogate pair above U+FFFF; lowercase hex, as nlohmann writes it).
// Returns the end: 6 or 12 bytes on.
[[gnu::always_inline]] inline char* writeEscape(char* o, uint32_t cp) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto unit = [&](uint32_t u) {
    o[0] = '\\';
    o[1] = 'u';
    o[2] = hex[u >> 12 & 0xF];
    o[3] = hex[u >> 8 & 0xF];
    o[4] = hex[u >> 4 & 0xF];
    o[5] = hex[u & 0xF];
    o += 6;
  };
  if (cp < 0x10000) {
    unit(cp);
  } else {
    unit(0xD800 + ((cp - 0x10000) >> 10));
    unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
  }
  return o;
}

}  // namespace ringi::api::utf8
