// Appends compact JSON to a std::string. The storage rows (every commit, every snapshot) are
// written with it directly instead of building nlohmann values and dumping them: no allocation
// per value. The output is byte-identical to nlohmann's dump(-1, ' ', false, replace) of the same
// values, invalid UTF-8 included (tests/cpp/api/json_writer_test.cpp).
//
//   JsonWriter w(out);
//   w.beginObject().key("id").value(int64_t{7}).key("tags").value(tags).endObject();
//
// Ascii::yes writes pure ASCII (dump(-1, ' ', true, replace): non-ASCII and DEL as \uXXXX), for
// text that crosses into JavaScript as a string (json/writer.h says why).
//
// Bytes are staged in a small buffer and appended to `out` in blocks: in wasm every
// std::string::push_back is a call into the prebuilt libc++ (it cannot be inlined), which made
// single characters the writer's main cost. `out` is complete once the outermost value is.

// Json values as compact JSON text, written by JsonWriter: the engine's only serializer.
// nlohmann's dump() is not used, so neither it nor the printf it needs is linked into the wasm
// (with std::system_error's messages: 7.6 KB of the gzipped wasm). The text is byte-identical to
// dump(-1, ' ', ensure_ascii, replace) of the same value (tests/cpp/api/json_text_test.cpp).

// JSON text made pure ASCII: every non-ASCII character written as a \uXXXX escape (a surrogate
// pair above U+FFFF), the same JSON value. For replies that cross into JavaScript as strings: V8
// decodes ASCII UTF-8 into a one-byte string about ten times faster than text with Japanese in it
// (a 1.9 KB status-update reply: 3.7 -> 0.4 us in Node 20), and JSON.parse of the result is
// faster too (decode + parse 17.1 -> 14.8 us), though the text grows (CJK: 3 bytes -> 6).
// Stored rows and snapshots stay UTF-8: they are kept as bytes, never decoded into strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/json/json.h"

namespace ringi::api {

class JsonWriter {
 public:
  enum class Ascii { no, yes };
  explicit JsonWriter(std::string& out, Ascii ascii = Ascii::no)
      : out_(out), ascii_(ascii == Ascii::yes) {}

  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter() { flush(); }

  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }

  // `k` is escaped like any string, so user data (field codes) may be keys.
  JsonWriter& key(std::string_view k);
  // A key of the row formats themselves ("at", "status", ...): plain ASCII that needs no escape,
  // written as is. Rows write a dozen of these per record, and the scan for escapes was the
  // writer's main cost in wasm.
  JsonWriter& literalKey(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(uint64_t n);
  JsonWriter& value(bool b);
  JsonWriter& value(const std::vector<std::string>& items);  // an array of strings
  JsonWriter& null();
  // A complete JSON text written elsewhere (writeJson's numbers); made ASCII first when the
  // writer is.
  JsonWriter& raw(std::string_view json);

  bool ascii() const { return ascii_; }

  // Bytes written but still staged (not yet in `out`): out.size() + staged() is what was written.
  size_t staged() const { return len_; }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void comma() {
    if (needComma_) put(',');
    needComma_ = true;
  }
  void put(char c) {
    if (len_ == sizeof buf_) flush();
    buf_[len_++] = c;
  }
  void put(const char* p, size_t n);
  void string(std::string_view s);
  void escape(unsigned char c);                        // a character JSON strings cannot hold as is
  void asciiString(std::string_view s, size_t plain);  // string() of an Ascii::yes writer
  void replacingString(std::string_view s);            // string() of invalid UTF-8
  template <class Integer>
  JsonWriter& integer(Integer n);
  JsonWriter& done();  // after a value: flushes when it was the outermost one
  void flush();

  std::string& out_;
  char buf_[2048];
  size_t len_ = 0;
  int depth_ = 0;
  bool needComma_ = false;  // a value was written at this level: the next one needs a ','
  bool ascii_ = false;      // Ascii::yes
};

}  // namespace ringi::api

namespace ringi::api {

// `j` as the writer's next value (ASCII when the writer is). Non-finite numbers are null.
void writeJson(JsonWriter& w, const Json& j);
// Compact JSON text (UTF-8); invalid UTF-8 is replaced (U+FFFD) instead of throwing.
// Ascii::yes for text that becomes a JavaScript string (every non-ASCII character as \uXXXX).
std::string toText(const Json& j, JsonWriter::Ascii ascii = JsonWriter::Ascii::no);

}  // namespace ringi::api

namespace ringi::api {

// Rewrites `json` in place (no copy when it is already ASCII). Non-ASCII bytes can only be inside
// strings, so escaping them keeps the text valid JSON. Invalid UTF-8 becomes \ufffd per byte.
void escapeNonAscii(std::string& json);
// No byte >= 0x80 (checked 8 bytes at a time).
bool isAscii(std::string_view text);

}  // namespace ringi::api
