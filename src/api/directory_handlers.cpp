// The cybozu user API subset: /v1/users.json, /v1/organizations.json, /v1/groups.json.
// Simplified shapes: ids are 1-based positions in the directory, as strings.
//   users:         {"users": [{"id", "code", "name", "locale", "valid": true}]}
//   organizations: {"organizations": [{"id", "code", "name", "parentCode": code|null,
//                                      "members": [codes]}]}
//   groups:        {"groups": [{"id", "code", "name", "members": [codes]}]}
// Parameters: ids[], codes[], offset (>= 0), size (1..100, default 100).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/messages.h"
#include "api/params.h"
#include "api/router.h"

namespace ringi::api::handlers {

namespace {
template <typename T, typename Fn>
void list(const Json& params, const std::vector<T>& items, const char* name, Fn encode, Json& out) {
  Validation v;
  Params p(v, params);
  std::vector<int64_t> ids;
  std::vector<std::string> codes;
  if (const Json* j = p.array("ids", false, 100)) ids = integerArray(v, *j, "ids", 1);
  if (const Json* j = p.array("codes", false, 100)) codes = stringArray(v, *j, "codes");
  auto offset = p.integer("offset", false, 0);
  auto size = p.integer("size", false, 1, 100);
  v.check();
  Json arr = Json::array();
  int64_t skipped = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    int64_t id = static_cast<int64_t>(i) + 1;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    if (!codes.empty() && std::find(codes.begin(), codes.end(), items[i].code) == codes.end())
      continue;
    if (skipped++ < offset.value_or(0)) continue;
    if (static_cast<int64_t>(arr.size()) >= size.value_or(100)) break;
    Json j = encode(items[i]);
    j["id"] = std::to_string(id);
    Json ordered{{"id", j["id"]}};
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "id") ordered[it.key()] = it.value();
    arr.push_back(std::move(ordered));
  }
  out = Json{{name, std::move(arr)}};
}
}  // namespace

void users(Ctx& ctx, const Json& params, Json& out) {
  list(
      params, ctx.engine.directory().users(), "users",
      [](const domain::User& u) {
        return Json{
            {"code", u.code}, {"name", u.name}, {"locale", localeName(u.locale)}, {"valid", true}};
      },
      out);
}

void organizations(Ctx& ctx, const Json& params, Json& out) {
  list(
      params, ctx.engine.directory().organizations(), "organizations",
      [](const domain::Organization& o) {
        Json j{{"code", o.code}, {"name", o.name}};
        j["parentCode"] = o.parent ? Json(*o.parent) : Json(nullptr);
        j["members"] = o.members;
        return j;
      },
      out);
}

void groups(Ctx& ctx, const Json& params, Json& out) {
  list(
      params, ctx.engine.directory().groups(), "groups",
      [](const domain::Group& g) {
        return Json{{"code", g.code}, {"name", g.name}, {"members", g.members}};
      },
      out);
}

}  // namespace ringi::api::handlers
