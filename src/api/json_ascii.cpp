#include "api/json_ascii.h"

#include <cstdint>
#include <cstring>

#include "api/utf8.h"

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

// The code point of the UTF-8 sequence at p and its length in *len; U+FFFD with *len = 1 for a
// byte that does not start a well-formed sequence.
uint32_t decodeAt(const unsigned char* p, const unsigned char* end, size_t* len) {
  uint32_t cp = 0xFFFD;
  *len = utf8::sequence(p, end, &cp);
  if (*len == 0) *len = 1;
  return cp;
}

}  // namespace

bool isAscii(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  return firstNonAscii(begin, begin + text.size()) == begin + text.size();
}

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
    o = utf8::writeEscape(o, decodeAt(p, end, &len));
    p += len;
  }
  json.swap(out);
}

}  // namespace ringi::api
