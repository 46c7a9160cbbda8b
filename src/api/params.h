// Request parameter validation with kintone's CB_VA01 conventions: numbers may be JSON numbers or
// numeric strings; every problem is collected under its parameter path (`app`, `records[1].id`,
// `record.title.value`) and thrown at once by check().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/json/json.h"
#include "domain/error.h"

namespace ringi::api {

class Validation {
 public:
  void fail(std::string key, std::string message, std::vector<std::string> args = {});
  bool ok() const { return errors_.empty(); }
  // Throws CB_VA01 with every collected error, if any.
  void check() const;

 private:
  std::vector<domain::FieldError> errors_;
};

// Parses an integer from a JSON number (integral) or a string of digits with optional '-'.
bool toInt64(const Json& v, int64_t* out);
bool isAbsent(const Json* v);  // missing or null
// obj[key] when obj is an object and that member is a string, else `fallback`.
std::string stringMember(const Json& obj, const char* key, const std::string& fallback = "");

// A view of one JSON object whose keys are reported with `prefix` (e.g. "records[1].").
class Params {
 public:
  Params(Validation& v, const Json& obj, std::string prefix = "");

  const Json* get(const std::string& key) const;  // nullptr when missing or null
  std::string key(const std::string& k) const { return prefix_ + k; }
  Validation& validation() { return v_; }

  std::optional<int64_t> integer(const std::string& k, bool required,
                                 std::optional<int64_t> min = std::nullopt,
                                 std::optional<int64_t> max = std::nullopt);
  std::optional<std::string> string(const std::string& k, bool required);
  std::optional<bool> boolean(const std::string& k);
  // Returns the array (or nullptr: missing / wrong type / too long, with the error recorded).
  // tooMany: message id used when size > max (default "size_between" 0..max).
  const Json* array(const std::string& k, bool required, size_t max = SIZE_MAX,
                    const char* tooMany = nullptr);
  const Json* object(const std::string& k, bool required);

 private:
  Validation& v_;
  const Json& obj_;
  std::string prefix_;
};

// Elements of an array of integers (ids[0], ids[1], ...); errors keyed `name[i]`.
std::vector<int64_t> integerArray(Validation& v, const Json& arr, const std::string& name,
                                  int64_t min);
std::vector<std::string> stringArray(Validation& v, const Json& arr, const std::string& name);
// The `fields` parameter of a records read (GET records, POST records/cursor): field codes, at
// most 1,000; a query string with gaps comes as an object ({"0": "a", "2": "b"}).
std::vector<std::string> fieldCodes(Params& p);

}  // namespace ringi::api
