#include "api/json_writer.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "api/json_ascii.h"
#include "api/json_chars.h"
#include "api/utf8.h"

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

// Length of the well-formed UTF-8 sequence at s[i], or 0 (utf8.h).
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
