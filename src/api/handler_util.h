// Small helpers shared by the *_handlers.cpp files.
#pragma once

#include <initializer_list>
#include <string>

#include "api/json/reader.h"
#include "api/params.h"
#include "api/router.h"
#include "domain/error.h"

namespace ringi::api {

// The app, or GAIA_AP01; a guest-space app reached through a non-guest path -> GAIA_IL23; an
// API-token caller whose tokens do not give `right` on it -> GAIA_NO01.
inline const domain::App& appOf(Ctx& ctx, int64_t id, TokenRight right) {
  const domain::App& a = ctx.engine.app(id);
  if (a.guestSpace && !ctx.guestSpace) throw domain::Error("GAIA_IL23");
  if (ctx.token) ctx.token->require(id, right);
  return a;
}

// Re-keys a CB_VA01 raised for one element of an array request: "record.x.value" becomes
// "<prefix>x.value" and any other key k becomes "<prefix>k" (prefix like "records[3].").
inline domain::Error rekey(const domain::Error& e, const std::string& prefix) {
  if (e.fields().empty()) return e;
  std::vector<domain::FieldError> fs;
  for (auto f : e.fields()) {
    if (f.key.rfind("record.", 0) == 0)
      f.key = prefix + f.key.substr(7);
    else if (f.key.rfind(prefix, 0) != 0)
      f.key = prefix + f.key;
    fs.push_back(std::move(f));
  }
  return domain::Error(e.code(), e.args(), std::move(fs));
}

// A handler's answer written as text (JsonWriter): the response body as is, or parsed where a
// Json is wanted (inside bulkRequest, which has no rawOut).
inline void answer(Ctx& ctx, std::string text, Json& out) {
  if (ctx.rawOut)
    *ctx.rawOut = std::move(text);
  else
    out = parseJson(text);
}

// Nothing a request sends is ignored: a key the API does not take is refused (CB_VA01
// unknown_key), or the caller would believe it had an effect.
inline void refuseUnknownKeys(Validation& v, const Json& params,
                              std::initializer_list<const char*> known,
                              const std::string& prefix = "") {
  for (auto it = params.begin(); it != params.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) v.fail(prefix + it.key(), "unknown_key");
  }
}

// A record comment's limit, kintone's: 65,535 characters (code points, not bytes). The comments
// API and a batch's comment both check it.
constexpr size_t kMaxCommentChars = 65535;
inline size_t codePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

inline std::optional<int64_t> noCheck(std::optional<int64_t> revision) {
  if (revision && *revision == -1) return std::nullopt;
  return revision;
}

}  // namespace ringi::api
