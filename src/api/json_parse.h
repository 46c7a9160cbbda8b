// JSON text to Json values, read by JsonReader instead of nlohmann's parser, so the wasm module
// carries one JSON parser, not two (nlohmann's parser, lexer and SAX classes were ~27 KB of wasm).
// The values are the ones nlohmann's parser builds: integers as int64 (with '-') or uint64, other
// numbers as doubles, a repeated key's last value in the first one's place. One difference: objects
// and arrays nest at most JsonReader::kMaxDepth (128) deep; deeper text is refused like bad JSON.
#pragma once

#include <string_view>

#include "api/json.h"
#include "api/json_reader.h"

namespace ringi::api {

// The value at the reader's position into *out. False, with the reader failed, on bad JSON.
bool readJson(JsonReader& r, Json* out);

// One JSON value and nothing else, or a discarded value (is_discarded()) when the text is not,
// as Json::parse(text, nullptr, false) answers.
Json parseJson(std::string_view text);

}  // namespace ringi::api
