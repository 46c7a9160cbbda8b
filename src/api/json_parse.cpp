#include "api/json_parse.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

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
