// The one error type the domain throws. It names a kintone error code and the arguments of its
// message; the api layer turns it into {code, id, message, errors} in the user's language.
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringi::domain {

// A per-parameter validation message (kintone's CB_VA01 `errors` map): key is the parameter path
// such as "records[1].id", message is a message id from the api catalogue (e.g. "required").
struct FieldError {
  std::string key;
  std::string message;
  std::vector<std::string> args;
};

class Error : public std::exception {
 public:
  Error(std::string code, std::vector<std::string> args = {}, std::vector<FieldError> fields = {})
      : code_(std::move(code)), args_(std::move(args)), fields_(std::move(fields)) {}

  const char* what() const noexcept override { return code_.c_str(); }
  const std::string& code() const { return code_; }
  const std::vector<std::string>& args() const { return args_; }
  const std::vector<FieldError>& fields() const { return fields_; }

 private:
  std::string code_;               // e.g. "GAIA_RE01"
  std::vector<std::string> args_;  // message arguments, e.g. the record id
  std::vector<FieldError> fields_;
};

// One text of several pieces: each `a + b + c` chain of std::string is code of its own in the
// wasm; messages built from parts go through this one function instead.
std::string joined(std::initializer_list<std::string_view> parts);

// Shorthand for CB_VA01 with one field error.
inline Error invalidInput(std::string key, std::string message,
                          std::vector<std::string> args = {}) {
  return Error("CB_VA01", {}, {FieldError{std::move(key), std::move(message), std::move(args)}});
}

}  // namespace ringi::domain
