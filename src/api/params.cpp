#include "api/params.h"

#include <nlohmann/json.hpp>

#include "api/json/writer.h"

namespace ringi::api {

void Validation::fail(std::string key, std::string message, std::vector<std::string> args) {
  errors_.push_back({std::move(key), std::move(message), std::move(args)});
}

void Validation::check() const {
  if (!errors_.empty()) throw domain::Error("CB_VA01", {}, errors_);
}

bool toInt64(const Json& v, int64_t* out) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned()) {
      uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return false;
      *out = static_cast<int64_t>(u);
    } else {
      *out = v.get<int64_t>();
    }
    return true;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d != d || d < -9.0e15 || d > 9.0e15 || static_cast<double>(static_cast<int64_t>(d)) != d)
      return false;
    *out = static_cast<int64_t>(d);
    return true;
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    size_t i = 0;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == s.size() || s.size() - i > 18) return false;
    int64_t n = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      n = n * 10 + (s[i] - '0');
    }
    *out = neg ? -n : n;
    return true;
  }
  return false;
}

bool isAbsent(const Json* v) { return v == nullptr || v->is_null(); }

std::string stringMember(const Json& obj, const char* key, const std::string& fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Params::Params(Validation& v, const Json& obj, std::string prefix)
    : v_(v), obj_(obj), prefix_(std::move(prefix)) {}

const Json* Params::get(const std::string& k) const {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(k);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<int64_t> Params::integer(const std::string& k, bool required,
                                       std::optional<int64_t> min, std::optional<int64_t> max) {
  const Json* j = get(k);
  if (!j || (j->is_string() && j->get_ref<const std::string&>().empty())) {
    if (required) v_.fail(key(k), "required");
    return std::nullopt;
  }
  int64_t n = 0;
  if (!toInt64(*j, &n)) {
    v_.fail(key(k), "not_integer");
    return std::nullopt;
  }
  if (min && n < *min) {
    v_.fail(key(k), "min", {std::to_string(*min)});
    return std::nullopt;
  }
  if (max && n > *max) {
    v_.fail(key(k), "max", {std::to_string(*max)});
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> Params::string(const std::string& k, bool required) {
  const Json* j = get(k);
  if (!j) {
    if (required) v_.fail(key(k), "required");
    return std::nullopt;
  }
  if (j->is_string()) {
    if (required && j->get_ref<const std::string&>().empty()) {
      v_.fail(key(k), "required");
      return std::nullopt;
    }
    return j->get<std::string>();
  }
  if (j->is_number_integer()) return toText(*j);
  v_.fail(key(k), "not_string");
  return std::nullopt;
}

std::optional<bool> Params::boolean(const std::string& k) {
  const Json* j = get(k);
  if (!j) return std::nullopt;
  if (j->is_boolean()) return j->get<bool>();
  if (j->is_string()) {
    const auto& s = j->get_ref<const std::string&>();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  v_.fail(key(k), "not_boolean");
  return std::nullopt;
}

const Json* Params::array(const std::string& k, bool required, size_t max, const char* tooMany) {
  const Json* j = get(k);
  if (!j) {
    if (required) v_.fail(key(k), "required");
    return nullptr;
  }
  if (!j->is_array()) {
    v_.fail(key(k), "not_array");
    return nullptr;
  }
  if (j->size() > max) {
    if (tooMany)
      v_.fail(key(k), tooMany, {std::to_string(max)});
    else
      v_.fail(key(k), "size_between", {"0", std::to_string(max)});
    return nullptr;
  }
  return j;
}

const Json* Params::object(const std::string& k, bool required) {
  const Json* j = get(k);
  if (!j) {
    if (required) v_.fail(key(k), "required");
    return nullptr;
  }
  if (!j->is_object()) {
    v_.fail(key(k), "not_object");
    return nullptr;
  }
  return j;
}

std::vector<int64_t> integerArray(Validation& v, const Json& arr, const std::string& name,
                                  int64_t min) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    int64_t n = 0;
    std::string k = name + "[" + std::to_string(i) + "]";
    if (arr[i].is_null())
      v.fail(k, "required");
    else if (!toInt64(arr[i], &n))
      v.fail(k, "not_integer");
    else if (n < min)
      v.fail(k, "min", {std::to_string(min)});
    else
      out.push_back(n);
  }
  return out;
}

std::vector<std::string> stringArray(Validation& v, const Json& arr, const std::string& name) {
  std::vector<std::string> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string k = name + "[" + std::to_string(i) + "]";
    if (arr[i].is_string())
      out.push_back(arr[i].get<std::string>());
    else
      v.fail(k, "not_string");
  }
  return out;
}

std::vector<std::string> fieldCodes(Params& p) {
  Validation& v = p.validation();
  std::vector<std::string> fields;
  if (const Json* f = p.get("fields")) {
    if (f->is_array())
      fields = stringArray(v, *f, p.key("fields"));
    else if (f->is_object())
      for (auto it = f->begin(); it != f->end(); ++it) {
        if (it->is_string()) fields.push_back(it->get<std::string>());
      }
    else
      v.fail(p.key("fields"), "not_array");
    if (fields.size() > 1000) v.fail(p.key("fields"), "size_between", {"0", "1000"});
  }
  return fields;
}

}  // namespace ringi::api
