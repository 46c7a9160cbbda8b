// Differential: the hand-written JSON reader (api/json/reader.h, parseJson) against
// nlohmann::json::parse on the same bytes. They must agree on accept/reject and, when both
// accept, on the value. The one documented difference: the reader refuses nesting deeper than
// JsonReader::kMaxDepth, which nlohmann accepts; and nlohmann stops at a raw NUL (see below).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json/reader.h"
#include "fuzz_support.h"

namespace {
int depthOf(const nlohmann::ordered_json& j) {
  if (!j.is_structured()) return 0;
  int d = 0;
  for (const auto& v : j) d = std::max(d, depthOf(v));
  return d + 1;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ringi::api::Json ours = ringi::api::parseJson(text);
  // A raw NUL is never JSON, but nlohmann's lexer takes it as the end of the input ("1\0x" reads
  // as 1): such input is the reader's alone to refuse.
  if (text.find('\0') != std::string_view::npos) {
    if (!ours.is_discarded()) ringi::fuzz::broken("reader accepts a raw NUL", std::string(text));
    return 0;
  }
  // nlohmann without its own recursion guard: only inputs the depth rule lets through are fair.
  size_t opens = 0;
  for (char c : text) opens += (c == '[' || c == '{');
  if (opens > 100000) return 0;
  nlohmann::ordered_json theirs = nlohmann::ordered_json::parse(text, nullptr, false);
  if (theirs.is_discarded()) {
    if (!ours.is_discarded())
      ringi::fuzz::broken("reader accepts what nlohmann refuses", std::string(text));
    return 0;
  }
  if (ours.is_discarded()) {
    if (depthOf(theirs) > ringi::api::JsonReader::kMaxDepth) return 0;
    ringi::fuzz::broken("reader refuses what nlohmann accepts", std::string(text));
  }
  // Compared as values (and as their text: 1 and 1.0 are equal values but different types).
  if (ours != theirs || ours.dump() != theirs.dump())
    ringi::fuzz::broken(
        "reader and nlohmann read different values",
        std::string(text) + "\nours:   " + ours.dump() + "\ntheirs: " + theirs.dump());
  return 0;
}
