// Process management on records: /k/v1/record/status.json, /k/v1/records/status.json,
// /k/v1/record/assignees.json.
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/params.h"

namespace ringi::api::handlers {

using domain::Error;

namespace {
domain::StatusRequest statusRequest(Params& p) {
  domain::StatusRequest req;
  req.id = p.integer("id", true, 1).value_or(0);
  req.action = p.string("action", true).value_or("");
  req.assignee = p.string("assignee", false);
  req.revision = noCheck(p.integer("revision", false, -1));
  return req;
}
}  // namespace

void updateStatus(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto req = statusRequest(p);
  v.check();
  appOf(ctx, *app, TokenRight::edit);
  int64_t rev = ctx.engine.changeStatus(ctx.user, *app, req);
  out = Json{{"revision", std::to_string(rev)}};
}

void updateStatuses(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  const Json* recs = p.array("records", true, 100, "max_records_update");
  std::vector<domain::StatusRequest> reqs;
  if (recs)
    for (size_t i = 0; i < recs->size(); ++i) {
      std::string k = "records[" + std::to_string(i) + "]";
      if (!(*recs)[i].is_object()) {
        v.fail(k, "not_object");
        continue;
      }
      Params ep(v, (*recs)[i], k + ".");
      reqs.push_back(statusRequest(ep));
    }
  v.check();
  appOf(ctx, *app, TokenRight::edit);
  Json results = Json::array();
  for (size_t i = 0; i < reqs.size(); ++i) {
    try {
      int64_t rev = ctx.engine.changeStatus(ctx.user, *app, reqs[i]);
      results.push_back(
          Json{{"id", std::to_string(reqs[i].id)}, {"revision", std::to_string(rev)}});
    } catch (const Error& e) {
      throw rekey(e, "records[" + std::to_string(i) + "].");
    }
  }
  out = Json{{"records", std::move(results)}};
}

void updateAssignees(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto id = p.integer("id", true, 1);
  const Json* as = p.array("assignees", true, 100);
  auto revision = p.integer("revision", false, -1);
  std::vector<std::string> assignees;
  if (as)
    for (const auto& code : stringArray(v, *as, "assignees"))
      if (std::find(assignees.begin(), assignees.end(), code) == assignees.end())
        assignees.push_back(code);
  v.check();
  appOf(ctx, *app, TokenRight::edit);
  int64_t rev = ctx.engine.setAssignees(ctx.user, *app, *id, assignees, noCheck(revision));
  out = Json{{"revision", std::to_string(rev)}};
}

}  // namespace ringi::api::handlers
