// A minimal forward-only JSON cursor over text in memory: no DOM, no exceptions, no allocation
// except for strings that contain escapes. It accepts exactly the RFC 8259 grammar that nlohmann's
// parser accepts (strict numbers, all escapes, surrogate pairs, well-formed UTF-8 in strings).
//
// Errors are sticky: the first problem makes ok() false and every later call return false at once,
// so a caller can loop without checking each step and test ok() where it matters. The storage
// reader (rows_reader.cpp) reads rows with it straight into domain types, and json/reader.h
// builds Json values with it (the module has no other JSON parser).
//
//   JsonReader r(text);
//   if (r.beginObject())
//     for (std::string_view key; r.nextKey(&key);) { ... read or skipValue() ... }
//   bool fine = r.finish();  // the whole text was one value and nothing else

// JSON text to Json values, read by JsonReader instead of nlohmann's parser, so the wasm module
// carries one JSON parser, not two (nlohmann's parser, lexer and SAX classes were ~27 KB of wasm).
// The values are the ones nlohmann's parser builds: integers as int64 (with '-') or uint64, other
// numbers as doubles, a repeated key's last value in the first one's place. One difference: objects
// and arrays nest at most JsonReader::kMaxDepth (128) deep; deeper text is refused like bad JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/json/json.h"

namespace ringi::api {

// key == "literal", compared byte by byte with the literal's length known at compile time, so
// the loop unrolls into a few inline compares. Not memcmp: LLVM's wasm target does not expand it,
// not even __builtin_memcmp with a constant length, so every key compare was a call (8% of a cold
// restore in wasm).
template <size_t N>
inline bool keyIs(std::string_view key, const char (&literal)[N]) {
  if (key.size() != N - 1) return false;
  for (size_t i = 0; i + 1 < N; ++i)
    if (key[i] != literal[i]) return false;
  return true;
}

class JsonReader {
 public:
  enum class Kind { object, array, string, number, boolean, null, invalid };
  // Objects and arrays nest at most this deep (skipValue, readJson); deeper text fails, which
  // keeps the recursion well inside wasm's small stack.
  static constexpr int kMaxDepth = 128;
  // A number as nlohmann's parser stores it: an integer that fits int64 (written with '-') or
  // uint64 (without) exactly, else a double.
  struct Number {
    enum class Type { int64, uint64, float64 } type = Type::int64;
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
  };

  explicit JsonReader(std::string_view text);

  bool ok() const { return ok_; }
  // Marks the reader failed (for callers that meet a value they do not handle); returns false.
  bool fail();
  // Byte offset of the next unread character (after whitespace following peek()).
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }

  // Skips whitespace and tells the kind of the next value by its first character (invalid at the
  // end of the text or on a character that cannot start a value). Does not consume anything.
  Kind peek();

  bool beginObject();
  // The next key of the current object and its ':'; false after the closing '}' (consumed) or on
  // an error. *key stays valid until the next nextKey() call.
  bool nextKey(std::string_view* key);
  bool beginArray();
  // True when another element follows (its ',' consumed); false after the closing ']' or on error.
  bool nextElement();

  bool readString(std::string* out);
  // A JSON number as an integer, with the same acceptance as toInt64 (params.h) on what nlohmann
  // parses: integers within int64; floats (3.0, 1e3) that are integral and within +-9e15. Returns
  // false, with ok() still true, for a valid number outside that set.
  bool readInt64(int64_t* out);
  // Any valid number, typed as above (for callers that build values, json/reader.h).
  bool readNumber(Number* out);
  bool readBool(bool* out);
  bool readNull();
  // Skips one value of any kind, checking it as strictly as the rest.
  bool skipValue();
  // Only whitespace may remain. Returns ok().
  bool finish();

 private:
  bool skipValue(int depth);
  void skipSpace();
  bool expect(char c);
  // Reads the string at p_ (which is at its '"'). *out views the source when there is no escape,
  // else scratch (decoded); valid until scratch is written again.
  bool scanString(std::string_view* out, std::string& scratch);
  // Checks the number at p_ and leaves p_ after it; *integer = no fraction or exponent, else
  // *value is its double.
  bool scanNumber(bool* integer, double* value);
  bool literal(std::string_view word);

  const char* begin_;
  const char* p_;
  const char* end_;
  bool ok_ = true;
  bool first_ = false;  // just inside '{' or '[': no ',' before the next member
  std::string keyScratch_;
  std::string valueScratch_;
  std::string numberScratch_;
};

}  // namespace ringi::api

namespace ringi::api {

// The value at the reader's position into *out. False, with the reader failed, on bad JSON.
bool readJson(JsonReader& r, Json* out);

// One JSON value and nothing else, or a discarded value (is_discarded()) when the text is not,
// as Json::parse(text, nullptr, false) answers.
Json parseJson(std::string_view text);

}  // namespace ringi::api
