#include "api/json_ascii.h"

#include <cstdint>
#include <cstring>

namespace ringi::api {

namespace {

// Raw pointers throughout: in wasm, std::string members come from the prebuilt libc++ and are
// calls, not inlined code (a first version appending escape by escape cost more than it saved).

// The first byte >= 0x80 in [p, end), or end: 8 bytes at a time (most of a reply is ASCII).
const unsigned char* firstNonAscii(const unsigned char* p, const unsigned char* end) {
  for (; end - p >= 8; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

// The code point of the UTF-8 sequence at p, its length in *len; 0xFFFD with *len = 1 for a byte
// that does not start a well-formed sequence (overlong, surrogate, > U+10FFFF, cut short).
uint32_t decodeAt(const unsigned char* p, const unsigned char* end, size_t* len) {
  const size_t left = static_cast<size_t>(end - p);
  const unsigned char c = p[0];
  auto cont = [&](size_t k) { return k < left && (p[k] & 0xC0) == 0x80; };
  *len = 1;
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *len = 2;
    return (uint32_t{c} & 0x1F) << 6 | (p[1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    const uint32_t cp = (uint32_t{c} & 0x0F) << 12 | (uint32_t{p[1]} & 0x3F) << 6 | (p[2] & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    *len = 3;
    return cp;
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const uint32_t cp = (uint32_t{c} & 0x07) << 18 | (uint32_t{p[1]} & 0x3F) << 12 |
                        (uint32_t{p[2]} & 0x3F) << 6 | (p[3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0xFFFD;
    *len = 4;
    return cp;
  }
  return 0xFFFD;
}

char* writeUnit(char* o, uint32_t unit) {
  static const char hex[] = "0123456789abcdef";
  o[0] = '\\';
  o[1] = 'u';
  o[2] = hex[(unit >> 12) & 0xF];
  o[3] = hex[(unit >> 8) & 0xF];
  o[4] = hex[(unit >> 4) & 0xF];
  o[5] = hex[unit & 0xF];
  return o + 6;
}

}  // namespace

void escapeNonAscii(std::string& json) {
  const auto* begin = reinterpret_cast<const unsigned char*>(json.data());
  const auto* end = begin + json.size();
  const unsigned char* first = firstNonAscii(begin, end);
  if (first == end) return;
  // The exact size first, so the output is one allocation written through a pointer.
  size_t size = json.size();
  for (const unsigned char* p = first; p < end;) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    size_t len;
    size += (decodeAt(p, end, &len) < 0x10000 ? 6 : 12) - len;
    p += len;
  }
  std::string out(size, '\0');
  char* o = out.data();
  std::memcpy(o, begin, static_cast<size_t>(first - begin));
  o += first - begin;
  for (const unsigned char* p = first; p < end;) {
    if (*p < 0x80) {
      // Runs between non-ASCII characters are short (a space, a quote): copied inline, as a
      // memcpy call per run cost more than the bytes.
      const unsigned char* next = firstNonAscii(p, end);
      if (next - p >= 32) {
        std::memcpy(o, p, static_cast<size_t>(next - p));
        o += next - p;
        p = next;
      } else {
        while (p < next) *o++ = static_cast<char>(*p++);
      }
      continue;
    }
    size_t len;
    const uint32_t cp = decodeAt(p, end, &len);
    if (cp < 0x10000) {
      o = writeUnit(o, cp);
    } else {
      o = writeUnit(o, 0xD800 + ((cp - 0x10000) >> 10));
      o = writeUnit(o, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
    p += len;
  }
  json.swap(out);
}

}  // namespace ringi::api
