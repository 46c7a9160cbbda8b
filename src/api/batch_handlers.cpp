// The batch approval API (seed 000 + ours). The acting user is `user_id` (resolved by Service).
// Task id lists come as the JSON body (an array; {"task_ids": [...]} is accepted too) and arrive
// here as params["task_ids"]; any other key than task_ids and user_id is refused (CB_VA01).
// Limits: 1..200 ids, each a string; errors are CB_VA01 keyed `task_ids` / `task_ids[3]`.
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/json_codec.h"
#include "api/messages.h"
#include "api/params.h"
#include "api/settings_codec.h"

namespace ringi::api::handlers {

using namespace ringi::domain;

namespace {
std::vector<std::string> taskIds(const Json& params) {
  Validation v;
  Params p(v, params);
  // Nothing is ignored: a key this API does not take (an "action" the caller meant to choose, a
  // typo) is refused, or the tasks would be approved as if it were not there.
  for (auto it = params.begin(); it != params.end(); ++it)
    if (it.key() != "task_ids" && it.key() != "user_id") v.fail(it.key(), "unknown_key");
  std::vector<std::string> ids;
  const Json* arr = p.get("task_ids");
  if (!arr)
    v.fail("task_ids", "required");
  else if (!arr->is_array())
    v.fail("task_ids", "not_array");
  else if (arr->empty())
    v.fail("task_ids", "empty_task_ids");
  else if (arr->size() > 200)
    v.fail("task_ids", "max_task_ids");
  else
    for (size_t i = 0; i < arr->size(); ++i) {
      const Json& x = (*arr)[i];
      std::string k = "task_ids[" + std::to_string(i) + "]";
      if (!x.is_string())
        v.fail(k, "not_string");
      else if (x.get_ref<const std::string&>().empty())
        v.fail(k, "required");
      else if (x.get_ref<const std::string&>().size() > 256)
        v.fail(k, "size_between", {"1", "256"});
      else
        ids.push_back(x.get<std::string>());
    }
  v.check();
  return ids;
}

std::string batchNumber(const Json& params) {
  Validation v;
  Params p(v, params);
  auto n = p.string("batch_number", true);
  v.check();
  return *n;
}
// An API-token caller must hold `edit` on the app of every task it names (kintone's right for a
// status change); ids that name no task are left to the check's own answer.
void requireTaskApps(Ctx& ctx, const std::vector<std::string>& ids) {
  if (!ctx.token) return;
  for (const auto& id : ids)
    if (const Task* t = ctx.engine.findTask(id)) ctx.token->require(t->app, TokenRight::edit);
}
}  // namespace

void batchCheck(Ctx& ctx, const Json& params, Json& out) {
  auto ids = taskIds(params);
  requireTaskApps(ctx, ids);
  out = Json::array();
  for (const auto& r : ctx.engine.check(ctx.user, ids)) {
    if (r.supported()) {
      out.push_back(Json{{"supported", true}, {"task_id", r.taskId}});
    } else {
      out.push_back(Json{{"supported", false},
                         {"reason", reasonText(r.reason, ctx.locale)},
                         {"reason_code", reasonCode(r.reason)},
                         {"task_id", r.taskId}});
    }
  }
}

void batchSubmit(Ctx& ctx, const Json& params, Json& out) {
  auto ids = taskIds(params);
  requireTaskApps(ctx, ids);
  out = Json{{"batch_number", ctx.engine.submit(ctx.user, ids)}};
}

void batchProgress(Ctx& ctx, const Json& params, Json& out) {
  std::string n = batchNumber(params);
  out = codec::encodeProgress(ctx.engine.batch(ctx.user, n), ctx.locale);
}

void batchCancel(Ctx& ctx, const Json& params, Json& out) {
  std::string n = batchNumber(params);
  ctx.engine.cancel(ctx.user, n);
  out = codec::encodeProgress(ctx.engine.batch(ctx.user, n), ctx.locale);
}

void batchTasks(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", false, 1);
  v.check();
  if (app) appOf(ctx, *app, TokenRight::view);
  Json tasks = Json::array();
  for (const auto& ot : ctx.engine.openTasks(ctx.user, app))
    tasks.push_back(Json{{"task_id", ot.task->id()},
                         {"app", std::to_string(ot.task->app)},
                         {"record_id", std::to_string(ot.task->record)},
                         {"status", ot.task->status}});
  out = Json{{"tasks", std::move(tasks)}};
}

// A record's status history, as kintone.app.record.getStatusHistory() reports it: newest first,
// offset / limit (≤ 100), plus the action and who ran it.
void batchHistory(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto id = p.integer("id", true, 1);
  auto offset = p.integer("offset", false, 0).value_or(0);
  auto limit = p.integer("limit", false, 1, 100).value_or(100);
  v.check();
  if (ctx.token) ctx.token->require(*app, TokenRight::view);
  const Record& r = ctx.engine.record(ctx.user, *app, *id);
  const Directory& dir = ctx.engine.directory();
  auto person = [&](const std::string& code) {
    const User* u = dir.findUser(code);
    return Json{{"code", code}, {"name", u ? u->name : code}};
  };
  Json history = Json::array();
  const int64_t n = static_cast<int64_t>(r.history.size());
  for (int64_t i = n - 1 - offset; i >= 0 && n - 1 - i < offset + limit; --i) {
    const StatusChange& h = r.history[static_cast<size_t>(i)];
    Json assignees = Json::array();
    for (const auto& code : h.assignees) assignees.push_back(person(code));
    history.push_back(Json{{"changedAt", codec::isoTime(h.at)},
                           {"status", h.status},
                           {"action", h.action},
                           {"actor", person(h.actor)},
                           {"assignees", std::move(assignees)}});
  }
  out = Json{{"history", std::move(history)}};
}

void batchGetSettings(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  v.check();
  out = codec::encodeBatchSettings(appOf(ctx, *app, TokenRight::view).batchApproval);
}

void batchPutSettings(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto enabled = p.boolean("enabled");
  const Json* actions = p.object("actions", false);
  v.check();
  BatchApprovalSettings s = appOf(ctx, *app, TokenRight::editApp).batchApproval;
  if (enabled) s.enabled = *enabled;
  if (actions) {
    Json wrapper{{"actions", *actions}};
    s.actions = codec::decodeBatchSettings(wrapper, v, "").actions;
    v.check();
  }
  ctx.engine.setBatchApproval(*app, s);
  out = codec::encodeBatchSettings(ctx.engine.app(*app).batchApproval);
}

}  // namespace ringi::api::handlers
