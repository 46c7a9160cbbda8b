#include "api/errors.h"

#include <nlohmann/json.hpp>
#include <random>

#include "api/json/writer.h"
#include "api/messages.h"
#include "domain/entropy.h"

namespace ringi::api {

std::string newErrorId() {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static std::mt19937_64 rng(domain::randomSeed());
  std::string id(20, 'x');
  for (auto& c : id) c = alphabet[rng() % (sizeof(alphabet) - 1)];
  return id;
}

int renderError(const domain::Error& e, domain::Locale locale, Json& out) {
  out = Json::object();
  out["code"] = e.code();
  out["id"] = newErrorId();
  out["message"] = errorMessage(e.code(), e.args(), locale);
  if (!e.fields().empty()) {
    Json errors = Json::object();
    for (const auto& f : e.fields()) {
      Json& entry = errors[f.key];
      if (!entry.is_object()) entry = Json{{"messages", Json::array()}};
      std::string msg = fieldMessage(f.message, f.args, locale);
      bool dup = false;
      for (const auto& m : entry["messages"])
        if (m.is_string() && m.get<std::string>() == msg) dup = true;
      if (!dup) entry["messages"].push_back(msg);
    }
    out["errors"] = std::move(errors);
  }
  return httpStatusOf(e.code());
}

std::string renderErrorText(const domain::Error& e, domain::Locale locale, int* status,
                            JsonWriter::Ascii ascii) {
  Json out;
  int s = renderError(e, locale, out);
  if (status) *status = s;
  return toText(out, ascii);
}

}  // namespace ringi::api
