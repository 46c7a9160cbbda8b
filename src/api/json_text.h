// Json values as compact JSON text, written by JsonWriter: the engine's only serializer.
// nlohmann's dump() is not used, so neither it nor the printf it needs is linked into the wasm
// (with std::system_error's messages: 7.6 KB of the gzipped wasm). The text is byte-identical to
// dump(-1, ' ', ensure_ascii, replace) of the same value (tests/cpp/api/json_text_test.cpp).
#pragma once

#include <string>

#include "api/json.h"
#include "api/json_writer.h"

namespace ringi::api {

// `j` as the writer's next value (ASCII when the writer is). Non-finite numbers are null.
void writeJson(JsonWriter& w, const Json& j);
// Compact JSON text (UTF-8); invalid UTF-8 is replaced (U+FFFD) instead of throwing.
std::string toText(const Json& j);

}  // namespace ringi::api
