// What an API-token caller may do: kintone's five token rights, per app. The HTTP layer checks
// the X-Cybozu-API-Token header against the tokens it keeps and hands the engine only the grant
// (Request.apiToken); the handlers ask it before they touch an app, because only they know which
// apps a request reaches (a record, a bulk request, the tasks of a batch).
#pragma once

#include <cstdint>
#include <map>

#include "api/json/json.h"

namespace ringi::api {

enum class TokenRight : unsigned { view = 1, add = 2, edit = 4, remove = 8, editApp = 16 };

struct TokenGrant {
  // No app declares tokens (a development workspace): any token may do anything, as before
  // tokens existed.
  bool every = false;
  std::map<int64_t, unsigned> apps;  // app id -> TokenRight bits

  bool allows(int64_t app, TokenRight right) const;
  // GAIA_NO01 (403) unless allowed.
  void require(int64_t app, TokenRight right) const;
};

// The request's "apiToken": "*" (every), or {"<app id>": ["view", "add", "edit", "delete",
// "editApp"], ...}. Anything else: CB_VA01 keyed apiToken.
TokenGrant parseTokenGrant(const Json& j);

}  // namespace ringi::api
