// JsonWriter, Json values written with it, and replies escaped to ASCII.
#include "api/json/writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "api/json/json.h"

// writeJson formats doubles with nlohmann's own Grisu2 (nlohmann::detail::to_chars), so its text
// is dump()'s to the byte. That is nlohmann's internal API: pinned to the version it was checked
// against (Debian bookworm's 3.11; tests/cpp/api/json_text_test.cpp compares with dump()).
static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11,
              "writeJson uses nlohmann::detail::to_chars: check it against this version's dump()");

namespace ringi::api {

namespace {
using json_chars::kByteClass;
using json_chars::kEscape;
using json_chars::kHigh;
using json_chars::kNotPrintable;

// memcpy for the short pieces a writer copies (keys, codes, numbers): two overlapping fixed-size
// copies, which compile to plain loads and stores. A variable-size memcpy is a call (in wasm,
// memory.copy, which V8 runs out of line), a fixed cost that dominates copies of a few bytes.
inline void copyBytes(char* d, const char* s, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t head, tail;
    std::memcpy(&head, s, 8);
    std::memcpy(&tail, s + n - 8, 8);
    std::memcpy(d, &head, 8);
    std::memcpy(d + n - 8, &tail, 8);
  } else if (n >= 4 && n < 8) {
    uint32_t head, tail;
    std::memcpy(&head, s, 4);
    std::memcpy(&tail, s + n - 4, 4);
    std::memcpy(d, &head, 4);
    std::memcpy(d + n - 4, &tail, 4);
  } else if (n < 4) {
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  } else {
    std::memcpy(d, s, n);
  }
}

// Length of the well-formed UTF-8 sequence at s[i], or 0 (json/json.h).
size_t utf8Length(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  uint32_t cp;
  return utf8::sequence(p + i, p + s.size(), &cp);
}
}  // namespace

void JsonWriter::flush() {
  out_.append(buf_, len_);
  len_ = 0;
}

void JsonWriter::put(const char* p, size_t n) {
  if (len_ + n > sizeof buf_) {
    flush();
    if (n > sizeof buf_) {
      out_.append(p, n);
      return;
    }
  }
  copyBytes(buf_ + len_, p, n);
  len_ += n;
}

JsonWriter& JsonWriter::done() {
  if (depth_ == 0) flush();
  return *this;
}

JsonWriter& JsonWriter::open(char c) {
  comma();
  put(c);
  ++depth_;
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  put(c);
  --depth_;
  needComma_ = true;
  return done();
}

JsonWriter& JsonWriter::key(std::string_view k) {
  comma();
  string(k);
  put(':');
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::literalKey(std::string_view k) {
  if (len_ + k.size() + 4 > sizeof buf_) flush();  // ,"k":
  if (k.size() + 4 > sizeof buf_) {
    comma();
    put('"');
    put(k.data(), k.size());
    put("\":", 2);
  } else {  // one capacity check for the five pieces: keys are written for every field of every row
    char* o = buf_ + len_;
    if (needComma_) *o++ = ',';
    *o++ = '"';
    copyBytes(o, k.data(), k.size());
    o += k.size();
    *o++ = '"';
    *o++ = ':';
    len_ = static_cast<size_t>(o - buf_);
  }
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  comma();
  string(s);
  return done();
}

template <class Integer>
JsonWriter& JsonWriter::integer(Integer n) {
  comma();
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  put(digits, static_cast<size_t>(r.ptr - digits));
  return done();
}

JsonWriter& JsonWriter::value(int64_t n) { return integer(n); }
JsonWriter& JsonWriter::value(uint64_t n) { return integer(n); }

JsonWriter& JsonWriter::value(bool b) {
  comma();
  if (b)
    put("true", 4);
  else
    put("false", 5);
  return done();
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& items) {
  beginArray();
  for (const auto& s : items) value(s);
  return endArray();
}

JsonWriter& JsonWriter::null() {
  comma();
  put("null", 4);
  return done();
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  comma();
  if (ascii_ && !isAscii(json)) {  // numbers are ASCII already: no copy for them
    std::string text(json);
    escapeNonAscii(text);
    put(text.data(), text.size());
  } else {
    put(json.data(), json.size());
  }
  return done();
}

void JsonWriter::escape(unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      put("\\\"", 2);
      break;
    case '\\':
      put("\\\\", 2);
      break;
    case '\b':
      put("\\b", 2);
      break;
    case '\f':
      put("\\f", 2);
      break;
    case '\n':
      put("\\n", 2);
      break;
    case '\r':
      put("\\r", 2);
      break;
    case '\t':
      put("\\t", 2);
      break;
    default: {
      const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
      put(esc, 6);
    }
  }
}

// Ascii mode past the plain prefix: checks and escapes in one pass, each \uXXXX written straight
// into the staging buffer; each invalid piece of UTF-8 as one \ufffd (utf8::replacedLength).
void JsonWriter::asciiString(std::string_view s, size_t plain) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  put('"');
  put(s.data(), plain);
  for (size_t i = plain; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      size_t end = i;
      while (end < n && !(kByteClass[p[end]] & (kEscape | kNotPrintable))) ++end;
      if (end > i) {
        put(s.data() + i, end - i);
        i = end;
      } else {
        escape(c);
        ++i;
      }
      continue;
    }
    uint32_t cp = 0;
    const size_t len = utf8::sequence(p + i, p + n, &cp);
    if (len == 0) {
      put("\\ufffd", 6);
      i += utf8::replacedLength(p + i, p + n);
      continue;
    }
    i += len;
    if (len_ + 12 > sizeof buf_) flush();
    char* o = utf8::writeEscape(buf_ + len_, cp);
    len_ = static_cast<size_t>(o - buf_);
  }
  put('"');
}

void JsonWriter::string(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const unsigned char stop = kEscape | (ascii_ ? kNotPrintable : kHigh);  // not written as is
  size_t plain = 0;  // printable ASCII needing no escape: most codes, numbers, ids, dates
  while (plain < n && !(kByteClass[p[plain]] & stop)) ++plain;
  if (plain == n) {
    if (len_ + n + 2 > sizeof buf_) flush();
    if (n + 2 > sizeof buf_) {
      put('"');
      put(s.data(), n);
      put('"');
    } else {  // the common case, with one capacity check
      buf_[len_] = '"';
      copyBytes(buf_ + len_ + 1, s.data(), n);
      buf_[len_ + n + 1] = '"';
      len_ += n + 2;
    }
    return;
  }
  if (ascii_) return asciiString(s, plain);
  // Invalid UTF-8 is rare (text that came in through JSON is valid): replacingString. The same
  // pass notes whether anything needs an escape: most text (Japanese names, statuses) does not,
  // and is copied in one piece.
  bool escapes = false;
  for (size_t i = plain; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      escapes |= (kByteClass[c] & kEscape) != 0;
      ++i;
      continue;
    }
    const size_t len = utf8Length(s, i);
    if (len == 0) return replacingString(s);
    i += len;
  }
  if (!escapes) {
    put('"');
    put(s.data(), n);
    put('"');
    return;
  }
  put('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = plain; i < n; ++i) {
    const unsigned char c = p[i];
    if (!(kByteClass[c] & kEscape)) continue;
    put(s.data() + run, i - run);
    run = i + 1;
    escape(c);
  }
  put(s.data() + run, n - run);
  put('"');
}

// A string with invalid UTF-8, written as nlohmann's dump(..., replace) writes it, which every
// stored row followed before this writer: each invalid piece as one U+FFFD.
void JsonWriter::replacingString(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  put('"');
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (kByteClass[c] & kEscape)
        escape(c);
      else
        put(static_cast<char>(c));
      ++i;
      continue;
    }
    const size_t len = utf8Length(s, i);
    if (len > 0) {
      put(s.data() + i, len);
      i += len;
    } else {
      put("\xEF\xBF\xBD", 3);
      i += utf8::replacedLength(p + i, p + n);
    }
  }
  put('"');
}

}  // namespace ringi::api

namespace ringi::api {

void writeJson(JsonWriter& w, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      w.beginObject();
      for (auto it = j.begin(); it != j.end(); ++it) {
        w.key(it.key());
        writeJson(w, it.value());
      }
      w.endObject();
      break;
    case Json::value_t::array:
      w.beginArray();
      for (const Json& v : j) writeJson(w, v);
      w.endArray();
      break;
    case Json::value_t::string:
      w.value(j.get_ref<const std::string&>());
      break;
    case Json::value_t::boolean:
      w.value(j.get<bool>());
      break;
    case Json::value_t::number_integer:
      w.value(j.get<int64_t>());
      break;
    case Json::value_t::number_unsigned:
      w.value(j.get<uint64_t>());
      break;
    case Json::value_t::number_float: {
      const double x = j.get<double>();
      if (!std::isfinite(x)) {
        w.null();
        break;
      }
      // nlohmann's own shortest round-trip form (Grisu2: "1.5", "1e+20", "2.0"), as dump writes it.
      char digits[64];
      const char* end = nlohmann::detail::to_chars(digits, digits + sizeof digits, x);
      w.raw(std::string_view(digits, static_cast<size_t>(end - digits)));
      break;
    }
    default:
      w.null();
      break;  // null, and the binary and discarded values JSON text never holds
  }
}

std::string toText(const Json& j, JsonWriter::Ascii ascii) {
  std::string out;
  {
    JsonWriter w(out, ascii);
    writeJson(w, j);
  }
  return out;
}

}  // namespace ringi::api

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
