#include "api/json_text.h"

#include <cmath>
#include <nlohmann/json.hpp>

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

std::string toText(const Json& j) {
  std::string out;
  {
    JsonWriter w(out);
    writeJson(w, j);
  }
  return out;
}

}  // namespace ringi::api
