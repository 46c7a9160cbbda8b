// The batch approval API (seed 000 + ours). The acting user is `user_id` (resolved by Service).
// _check and _submit take the seed's id array as the body (it arrives as params["task_ids"]) or
// an object {task_ids, action, comment, assignee} (_submit also {retry_of}); any other key is
// refused (CB_VA01). Limits: 1..200 ids, each a string; errors are CB_VA01 keyed `task_ids` /
// `task_ids[3]` / `action` / `assignee`.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/json_codec.h"
#include "api/messages.h"
#include "api/params.h"
#include "api/settings_codec.h"

namespace ringi::api::handlers {

using namespace ringi::domain;

namespace {
void readTaskIds(Validation& v, const Json* arr, std::vector<std::string>* ids) {
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
        ids->push_back(x.get<std::string>());
    }
}

// What _check and _submit were asked: the tasks and what to do to each.
struct BatchRequest {
  std::vector<std::string> ids;
  BatchOrder order;
  std::string retryOf;
  // The check of every id for `order`, when checking the assignee already needed it.
  std::vector<CheckResult> checked;
};

// The failures of the caller's finished batch `number` whose tasks are still open.
std::vector<std::string> stillOpenFailures(Ctx& ctx, Validation& v, const Batch& b) {
  std::vector<std::string> ids;
  if (!b.finished()) {
    v.fail("retry_of", "batch_not_finished", {b.number});
    return ids;
  }
  for (const auto& f : b.failures) {
    const Task* t = ctx.engine.findTask(f.taskId);
    if (t && t->state == TaskState::open &&
        std::find(ids.begin(), ids.end(), f.taskId) == ids.end())
      ids.push_back(f.taskId);
  }
  if (ids.empty()) v.fail("retry_of", "retry_nothing_open");
  return ids;
}

// Parses and checks the request against the engine: every key known and of its type, the action
// in the app of every task named, the assignee one of the choices wherever the next status asks
// for one. Any problem: CB_VA01 naming the key, before anything runs.
BatchRequest batchRequest(Ctx& ctx, const Json& params, bool submit) {
  Validation v;
  Params p(v, params);
  // Nothing is ignored: a key this API does not take (a typo of "action") is refused, or the
  // tasks would be approved as if it were not there.
  if (submit)
    refuseUnknownKeys(v, params,
                      {"task_ids", "action", "comment", "assignee", "retry_of", "user_id"});
  else
    refuseUnknownKeys(v, params, {"task_ids", "action", "comment", "assignee", "user_id"});
  BatchRequest req;
  auto action = p.string("action", false);
  auto comment = p.string("comment", false);
  auto assignee = p.string("assignee", false);
  auto retryOf = submit ? p.string("retry_of", false) : std::nullopt;
  if (action && action->empty()) v.fail("action", "required");
  if (comment && codePoints(*comment) > kMaxCommentChars)
    v.fail("comment", "size_between", {"0", std::to_string(kMaxCommentChars)});
  if (assignee && !ctx.engine.directory().findUser(*assignee))
    v.fail("assignee", "unknown_user", {*assignee});
  if (retryOf) {
    if (p.get("task_ids")) v.fail("task_ids", "retry_with_task_ids");
    v.check();
    const Batch& first = ctx.engine.batch(ctx.user, *retryOf);  // RINGI_BA01 if not theirs
    req.ids = stillOpenFailures(ctx, v, first);
    req.order = first.order;
    req.retryOf = first.number;
  } else {
    readTaskIds(v, p.get("task_ids"), &req.ids);
  }
  if (action) req.order.action = *action;
  if (comment) req.order.comment = *comment;
  if (assignee) req.order.assignee = *assignee;
  v.check();

  if (!req.order.action.empty()) {
    for (const auto& id : req.ids) {
      const Task* t = ctx.engine.findTask(id);
      const App* a = t ? ctx.engine.findApp(t->app) : nullptr;
      if (!a) continue;  // the check answers for ids that name no task
      bool known = false;
      for (const Action& x : a->process.actions) known = known || x.name == req.order.action;
      if (!known) {
        v.fail("action", "unknown_action", {req.order.action, std::to_string(a->id)});
        break;
      }
    }
  }
  if (req.order.assignee) req.checked = ctx.engine.check(ctx.user, req.ids, req.order);
  for (const auto& r : req.checked)
    if (!r.choices.empty() &&
        std::find(r.choices.begin(), r.choices.end(), *req.order.assignee) == r.choices.end()) {
      v.fail("assignee", "not_a_candidate", {*req.order.assignee, r.taskId});
      break;
    }
  v.check();
  return req;
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
  BatchRequest req = batchRequest(ctx, params, false);
  requireTaskApps(ctx, req.ids);
  out = Json::array();
  if (req.checked.empty()) req.checked = ctx.engine.check(ctx.user, req.ids, req.order);
  for (const auto& r : req.checked) {
    Json item;
    if (r.supported()) {
      item = Json{{"supported", true}, {"task_id", r.taskId}};
    } else {
      item = Json{{"supported", false},
                  {"reason", reasonText(r.reason, ctx.locale)},
                  {"reason_code", reasonCode(r.reason)},
                  {"task_id", r.taskId}};
    }
    if (!r.choices.empty()) item["assignees"] = r.choices;  // the next status's choices
    out.push_back(std::move(item));
  }
}

void batchSubmit(Ctx& ctx, const Json& params, Json& out) {
  BatchRequest req = batchRequest(ctx, params, true);
  requireTaskApps(ctx, req.ids);
  out = Json{{"batch_number",
              ctx.engine.submit(ctx.user, req.ids, std::move(req.order), std::move(req.retryOf))}};
}

// The caller's batches, newest first: {"batches": [summary...], "total_count"}.
void batchList(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"user_id", "limit", "offset"});
  const int64_t limit = p.integer("limit", false, 1, 100).value_or(100);
  const int64_t offset = p.integer("offset", false, 0).value_or(0);
  v.check();
  auto all = ctx.engine.batchesOf(ctx.user);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().literalKey("batches").beginArray();
  for (int64_t i = offset; i < static_cast<int64_t>(all.size()) && i < offset + limit; ++i)
    codec::writeBatchSummary(w, *all[static_cast<size_t>(i)]);
  w.endArray().literalKey("total_count").value(static_cast<uint64_t>(all.size())).endObject();
  answer(ctx, std::move(text), out);
}

void batchProgress(Ctx& ctx, const Json& params, Json& out) {
  std::string n = batchNumber(params);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  codec::writeProgress(w, ctx.engine, ctx.engine.batch(ctx.user, n), ctx.locale);
  answer(ctx, std::move(text), out);
}

void batchCancel(Ctx& ctx, const Json& params, Json& out) {
  std::string n = batchNumber(params);
  ctx.engine.cancel(ctx.user, n);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  codec::writeProgress(w, ctx.engine, ctx.engine.batch(ctx.user, n), ctx.locale);
  answer(ctx, std::move(text), out);
}

void batchTasks(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", false, 1);
  v.check();
  if (app) appOf(ctx, *app, TokenRight::view);
  Json tasks = Json::array();
  for (const auto& ot : ctx.engine.openTasks(ctx.user, app)) {
    Json actions = Json::array();  // what the action bar may offer for this task
    for (const auto& sa : ctx.engine.statusActions(ctx.user, ot.task->app, ot.task->record))
      if (std::find(actions.begin(), actions.end(), sa.action->name) == actions.end())
        actions.push_back(sa.action->name);
    tasks.push_back(Json{{"task_id", ot.task->id()},
                         {"app", std::to_string(ot.task->app)},
                         {"record_id", std::to_string(ot.task->record)},
                         {"status", ot.task->status},
                         {"actions", std::move(actions)}});
  }
  out = Json{{"tasks", std::move(tasks)}};
}

// The actions the caller may run on a record now, in the shape of kintone's
// kintone.app.record.getStatusActions(): [{name, nextStatus: {name, type, assignees}}].
void batchActions(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"user_id", "app", "id"});
  auto app = p.integer("app", true, 1);
  auto id = p.integer("id", true, 1);
  v.check();
  appOf(ctx, *app, TokenRight::view);
  const Directory& dir = ctx.engine.directory();
  Json actions = Json::array();
  for (const auto& sa : ctx.engine.statusActions(ctx.user, *app, *id)) {
    Json assignees = Json::array();
    for (const auto& code : sa.assignees) assignees.push_back(codec::userRef(dir, code));
    actions.push_back(Json{{"name", sa.action->name},
                           {"nextStatus",
                            {{"name", sa.next->name},
                             {"type", codec::assigneeTypeName(sa.next->assigneeType)},
                             {"assignees", std::move(assignees)}}}});
  }
  out = Json{{"actions", std::move(actions)}};
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
  Json history = Json::array();
  const int64_t n = static_cast<int64_t>(r.history.size());
  for (int64_t i = n - 1 - offset; i >= 0 && n - 1 - i < offset + limit; --i) {
    const StatusChange& h = r.history[static_cast<size_t>(i)];
    Json assignees = Json::array();
    for (const auto& code : h.assignees) assignees.push_back(codec::userRef(dir, code));
    history.push_back(Json{{"changedAt", codec::isoTime(h.at)},
                           {"status", h.status},
                           {"action", h.action},
                           {"actor", codec::userRef(dir, h.actor)},
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
