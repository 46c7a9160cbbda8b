// JsonReader (forward-only, checked, one value at a time) and Json values read with it.
#include "api/json/reader.h"

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "api/json/json.h"

namespace ringi::api {

namespace {

// Bytes a string may contain as they are: ASCII except controls, '"' and '\' (json/json.h).
bool plain(char c) { return json_chars::plain(static_cast<unsigned char>(c)); }

// The first byte at or after p that is not plain. Strings are most of a snapshot's bytes, so this
// tests 8 bytes at a time (bit tricks that never miss a special byte; the byte loop finds it).
const char* skipPlain(const char* p, const char* end) {
  constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    const uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    const uint64_t special = ((w - ones * 0x20) & ~w)                  // a byte < 0x20
                             | ((quote - ones) & ~quote)               // a '"'
                             | ((backslash - ones) & ~backslash) | w;  // a backslash, or >= 0x80
    if (const uint64_t hit = special & highs) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      // False alarms only sit above a real one, so the lowest flag is the first special byte.
      return p + (__builtin_ctzll(hit) >> 3);
#else
      break;
#endif
    }
    p += 8;
  }
  while (p < end && plain(*p)) ++p;
  return p;
}

bool digit(char c) { return c >= '0' && c <= '9'; }
bool inRange(const char* p, unsigned lo, unsigned hi) {
  const auto c = static_cast<unsigned char>(*p);
  return c >= lo && c <= hi;
}

// End of the UTF-8 sequence starting at p (a byte >= 0x80), or nullptr when it is ill-formed:
// the RFC 3629 table nlohmann checks (no overlongs, no surrogates, nothing above U+10FFFF).
const char* utf8End(const char* p, const char* end) {
  const auto c = static_cast<unsigned char>(*p);
  unsigned lo = 0x80, hi = 0xBF;
  int tail;
  if (c >= 0xC2 && c <= 0xDF)
    tail = 1;
  else if (c == 0xE0)
    tail = 2, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
    tail = 2;
  else if (c == 0xED)
    tail = 2, hi = 0x9F;
  else if (c == 0xF0)
    tail = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3)
    tail = 3;
  else if (c == 0xF4)
    tail = 3, hi = 0x8F;
  else
    return nullptr;
  if (end - p <= tail) return nullptr;
  if (!inRange(p + 1, lo, hi)) return nullptr;  // the second byte has the narrowed range
  for (int i = 2; i <= tail; ++i)
    if (!inRange(p + i, 0x80, 0xBF)) return nullptr;
  return p + 1 + tail;
}

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// nlohmann hands strtod the token with the locale's decimal point; so do we, to get its double.
char decimalPoint() {
  const std::lconv* loc = std::localeconv();
  return loc && loc->decimal_point && *loc->decimal_point ? *loc->decimal_point : '.';
}

}  // namespace

JsonReader::JsonReader(std::string_view text)
    : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

bool JsonReader::fail() {
  ok_ = false;
  p_ = end_;  // every later read sees the end and fails too
  return false;
}

void JsonReader::skipSpace() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

bool JsonReader::expect(char c) {
  skipSpace();
  if (p_ == end_ || *p_ != c) return fail();
  ++p_;
  return true;
}

JsonReader::Kind JsonReader::peek() {
  skipSpace();
  if (p_ == end_) return Kind::invalid;
  switch (*p_) {
    case '{':
      return Kind::object;
    case '[':
      return Kind::array;
    case '"':
      return Kind::string;
    case 't':
    case 'f':
      return Kind::boolean;
    case 'n':
      return Kind::null;
    default:
      return *p_ == '-' || digit(*p_) ? Kind::number : Kind::invalid;
  }
}

bool JsonReader::beginObject() {
  if (peek() != Kind::object) return fail();
  ++p_;
  first_ = true;
  return true;
}

bool JsonReader::nextKey(std::string_view* key) {
  if (!ok_) return false;
  skipSpace();
  if (p_ == end_) return fail();
  if (*p_ == '}') {
    ++p_;
    first_ = false;  // the object was a value of its parent
    return false;
  }
  if (!first_) {
    if (*p_ != ',') return fail();
    ++p_;
    skipSpace();
  }
  if (p_ == end_ || *p_ != '"') return fail();  // also rejects a trailing ',' before '}'
  if (!scanString(key, keyScratch_) || !expect(':')) return false;
  first_ = false;
  return true;
}

bool JsonReader::beginArray() {
  if (peek() != Kind::array) return fail();
  ++p_;
  first_ = true;
  return true;
}

bool JsonReader::nextElement() {
  if (!ok_) return false;
  skipSpace();
  if (p_ == end_) return fail();
  if (*p_ == ']') {
    ++p_;
    first_ = false;
    return false;
  }
  if (!first_) {
    if (*p_ != ',') return fail();
    ++p_;  // a ']' right after it is then read as a value, and fails
  }
  first_ = false;
  return true;
}

bool JsonReader::scanString(std::string_view* out, std::string& scratch) {
  const char* start = ++p_;
  // Common case: no escape, so the result is a view of the source.
  for (;;) {
    p_ = skipPlain(p_, end_);
    if (p_ == end_) return fail();
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      *out = std::string_view(start, static_cast<size_t>(p_ - start));
      ++p_;
      return true;
    }
    if (c == '\\') break;
    if (c < 0x20) return fail();  // raw control characters are not allowed
    const char* next = utf8End(p_, end_);
    if (!next) return fail();
    p_ = next;
  }
  scratch.assign(start, static_cast<size_t>(p_ - start));
  auto hex4 = [&](uint32_t* v) {
    if (end_ - p_ < 4) return false;
    uint32_t x = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = *p_++;
      x <<= 4;
      if (digit(h))
        x |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        x |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        x |= static_cast<uint32_t>(h - 'A' + 10);
      else
        return false;
    }
    *v = x;
    return true;
  };
  for (;;) {
    if (p_ == end_) return fail();
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      *out = scratch;
      return true;
    }
    if (c == '\\') {
      if (++p_ == end_) return fail();
      switch (*p_++) {
        case '"':
          scratch += '"';
          break;
        case '\\':
          scratch += '\\';
          break;
        case '/':
          scratch += '/';
          break;
        case 'b':
          scratch += '\b';
          break;
        case 'f':
          scratch += '\f';
          break;
        case 'n':
          scratch += '\n';
          break;
        case 'r':
          scratch += '\r';
          break;
        case 't':
          scratch += '\t';
          break;
        case 'u': {
          uint32_t cp;
          if (!hex4(&cp)) return fail();
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half next
            uint32_t low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail();
            p_ += 2;
            if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF) return fail();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail();  // a lone low surrogate
          }
          appendUtf8(scratch, cp);
          break;
        }
        default:
          return fail();
      }
    } else if (c < 0x20) {
      return fail();
    } else if (c < 0x80) {
      const char* run = p_;
      p_ = skipPlain(p_, end_);
      scratch.append(run, static_cast<size_t>(p_ - run));
    } else {
      const char* next = utf8End(p_, end_);
      if (!next) return fail();
      scratch.append(p_, static_cast<size_t>(next - p_));
      p_ = next;
    }
  }
}

bool JsonReader::scanNumber(bool* integer, double* value) {
  const char* start = p_;
  const char* p = p_;
  if (p < end_ && *p == '-') ++p;
  if (p == end_) return fail();
  if (*p == '0') {
    ++p;  // no leading zeros: "01" leaves '1', which nothing accepts after a value
  } else if (digit(*p)) {
    while (p < end_ && digit(*p)) ++p;
  } else {
    return fail();
  }
  const size_t digits = static_cast<size_t>(p - start);
  *integer = true;
  if (p < end_ && *p == '.') {
    ++p;
    if (p == end_ || !digit(*p)) return fail();
    while (p < end_ && digit(*p)) ++p;
    *integer = false;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p == end_ || !digit(*p)) return fail();
    while (p < end_ && digit(*p)) ++p;
    *integer = false;
  }
  p_ = p;
  // nlohmann turns a float, or an integer too long for 64 bits, into a double and rejects it
  // when that overflows ("number overflow parsing '1e400'").
  if (!*integer || digits > 19) {
    numberScratch_.assign(start, static_cast<size_t>(p - start));
    if (const size_t dot = numberScratch_.find('.'); dot != std::string::npos)
      numberScratch_[dot] = decimalPoint();  // as nlohmann does, so strtod reads the same double
    *value = std::strtod(numberScratch_.c_str(), nullptr);
    if (!std::isfinite(*value)) return fail();
  }
  return true;
}

bool JsonReader::readNumber(Number* out) {
  if (peek() != Kind::number) return fail();
  const char* start = p_;
  bool integer;
  double d = 0;
  if (!scanNumber(&integer, &d)) return false;
  if (integer) {
    const bool negative = *start == '-';
    uint64_t n = 0;
    bool overflow = false;
    for (const char* c = start + (negative ? 1 : 0); c < p_ && !overflow; ++c) {
      const auto v = static_cast<uint64_t>(*c - '0');
      overflow = n > (std::numeric_limits<uint64_t>::max() - v) / 10;
      n = n * 10 + v;
    }
    const uint64_t int64Magnitude = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
    if (!overflow && !negative) {
      out->type = Number::Type::uint64;
      out->u = n;
      return true;
    }
    if (!overflow && n <= int64Magnitude) {
      out->type = Number::Type::int64;
      out->i = static_cast<int64_t>(0 - n);
      return true;
    }
    // Beyond 64 bits nlohmann keeps the double, which scanNumber computed (more than 19 digits).
  }
  out->type = Number::Type::float64;
  out->d = d;
  return true;
}

bool JsonReader::readInt64(int64_t* out) {
  Number n;
  if (!readNumber(&n)) return false;
  switch (n.type) {
    case Number::Type::int64:
      *out = n.i;
      return true;
    case Number::Type::uint64:  // toInt64 refuses uint64 above INT64_MAX
      if (n.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
      *out = static_cast<int64_t>(n.u);
      return true;
    case Number::Type::float64:  // taken when integral and within +-9e15, as toInt64 does
      if (n.d < -9.0e15 || n.d > 9.0e15 || static_cast<double>(static_cast<int64_t>(n.d)) != n.d)
        return false;
      *out = static_cast<int64_t>(n.d);
      return true;
  }
  return false;
}

bool JsonReader::literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0)
    return fail();
  p_ += word.size();
  return true;
}

bool JsonReader::readString(std::string* out) {
  if (peek() != Kind::string) return fail();
  std::string_view v;
  if (!scanString(&v, valueScratch_)) return false;
  out->assign(v.data(), v.size());
  return true;
}

bool JsonReader::readBool(bool* out) {
  if (peek() != Kind::boolean) return fail();
  *out = *p_ == 't';
  return literal(*out ? "true" : "false");
}

bool JsonReader::readNull() {
  if (peek() != Kind::null) return fail();
  return literal("null");
}

bool JsonReader::skipValue() { return skipValue(0); }

bool JsonReader::skipValue(int depth) {
  switch (peek()) {
    case Kind::object:
      if (depth >= kMaxDepth) return fail();
      beginObject();
      for (std::string_view key; nextKey(&key);) skipValue(depth + 1);
      return ok_;
    case Kind::array:
      if (depth >= kMaxDepth) return fail();
      beginArray();
      while (nextElement()) skipValue(depth + 1);
      return ok_;
    case Kind::string: {
      std::string_view v;
      return scanString(&v, valueScratch_);
    }
    case Kind::number: {
      bool integer;
      double d;
      return scanNumber(&integer, &d);
    }
    case Kind::boolean: {
      bool b;
      return readBool(&b);
    }
    case Kind::null:
      return readNull();
    default:
      return fail();
  }
}

bool JsonReader::finish() {
  if (!ok_) return false;
  skipSpace();
  return p_ == end_ || fail();
}

}  // namespace ringi::api

namespace ringi::api {

namespace {

using Kind = JsonReader::Kind;

bool read(JsonReader& r, Json* out, int depth) {
  switch (r.peek()) {
    case Kind::object: {
      if (depth >= JsonReader::kMaxDepth) return r.fail();
      *out = Json::object();
      r.beginObject();
      for (std::string_view key; r.nextKey(&key);)
        if (!read(r, &(*out)[std::string(key)], depth + 1)) return false;
      return r.ok();
    }
    case Kind::array: {
      if (depth >= JsonReader::kMaxDepth) return r.fail();
      *out = Json::array();
      auto& items = out->get_ref<Json::array_t&>();
      r.beginArray();
      while (r.nextElement())
        if (!read(r, &items.emplace_back(), depth + 1)) return false;
      return r.ok();
    }
    case Kind::string: {
      std::string s;
      if (!r.readString(&s)) return false;
      *out = std::move(s);
      return true;
    }
    case Kind::number: {
      JsonReader::Number n;
      if (!r.readNumber(&n)) return false;
      using Type = JsonReader::Number::Type;
      if (n.type == Type::int64)
        *out = n.i;
      else if (n.type == Type::uint64)
        *out = n.u;
      else
        *out = n.d;
      return true;
    }
    case Kind::boolean: {
      bool b = false;
      if (!r.readBool(&b)) return false;
      *out = b;
      return true;
    }
    case Kind::null:
      if (!r.readNull()) return false;
      *out = nullptr;
      return true;
    default:
      return r.fail();
  }
}

}  // namespace

bool readJson(JsonReader& r, Json* out) { return read(r, out, 0); }

Json parseJson(std::string_view text) {
  JsonReader r(text);
  Json out;
  if (!readJson(r, &out) || !r.finish()) return Json(Json::value_t::discarded);
  return out;
}

}  // namespace ringi::api
