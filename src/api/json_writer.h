// Appends compact JSON to a std::string. The storage rows (every commit, every snapshot) are
// written with it directly instead of building nlohmann values and dumping them: no allocation
// per value. The output is byte-identical to nlohmann's dump(-1, ' ', false, replace) of the same
// values, invalid UTF-8 included (tests/cpp/api/json_writer_test.cpp).
//
//   JsonWriter w(out);
//   w.beginObject().key("id").value(int64_t{7}).key("tags").value(tags).endObject();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringi::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }

  // `k` is escaped like any string, so user data (field codes) may be keys.
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(uint64_t n);
  JsonWriter& value(bool b);
  JsonWriter& value(const std::vector<std::string>& items);  // an array of strings
  JsonWriter& null();
  // A complete JSON text written elsewhere (e.g. nlohmann's dump of a rarely written row).
  JsonWriter& raw(std::string_view json);

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void comma() {
    if (needComma_) out_ += ',';
    needComma_ = true;
  }
  void string(std::string_view s);

  std::string& out_;
  bool needComma_ = false;  // a value was written at this level: the next one needs a ','
};

}  // namespace ringi::api
