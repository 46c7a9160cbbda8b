// The JSON type of the api layer. Headers include only the forward declaration; .cpp files that
// build or read JSON include <nlohmann/json.hpp>. ordered_json keeps insertion order so responses
// list states by index and record fields in form order, as kintone does.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace ringi::api {
using Json = nlohmann::ordered_json;
}  // namespace ringi::api
