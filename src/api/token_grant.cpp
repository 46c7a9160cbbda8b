#include "api/token_grant.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "domain/error.h"

namespace ringi::api {

bool TokenGrant::allows(int64_t app, TokenRight right) const {
  if (every) return true;
  auto it = apps.find(app);
  return it != apps.end() && (it->second & static_cast<unsigned>(right)) != 0;
}

void TokenGrant::require(int64_t app, TokenRight right) const {
  if (!allows(app, right)) throw domain::Error("GAIA_NO01");
}

TokenGrant parseTokenGrant(const Json& j) {
  TokenGrant g;
  if (j.is_string() && j.get_ref<const std::string&>() == "*") {
    g.every = true;
    return g;
  }
  if (!j.is_object()) throw domain::invalidInput("apiToken", "enum");
  static const struct {
    const char* name;
    TokenRight right;
  } kRights[] = {{"view", TokenRight::view},
                 {"add", TokenRight::add},
                 {"edit", TokenRight::edit},
                 {"delete", TokenRight::remove},
                 {"editApp", TokenRight::editApp}};
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    int64_t app = 0;
    bool digits = !key.empty() && key.size() <= 18 && key[0] != '0';
    for (char c : key) digits = digits && c >= '0' && c <= '9';
    if (!digits) throw domain::invalidInput("apiToken", "enum");
    app = std::stoll(key);
    if (!it.value().is_array()) throw domain::invalidInput("apiToken." + key, "not_array");
    unsigned bits = 0;
    for (const Json& r : it.value()) {
      bool known = false;
      for (const auto& k : kRights)
        if (r.is_string() && r.get_ref<const std::string&>() == k.name) {
          bits |= static_cast<unsigned>(k.right);
          known = true;
        }
      if (!known) throw domain::invalidInput("apiToken." + key, "enum");
    }
    g.apps[app] = bits;
  }
  return g;
}

}  // namespace ringi::api
