// Tasks and batch approvals: which tasks may be approved in bulk, and running a batch in chunks.
#include <algorithm>
#include <unordered_set>

#include "domain/engine.h"
#include "domain/engine_state.h"

namespace ringi::domain {

const Task* Engine::findTask(const std::string& id) const { return s_->findTask(id); }

std::vector<OpenTask> Engine::openTasks(const std::string& user, std::optional<int64_t> app) const {
  std::vector<OpenTask> out;
  auto it = s_->openTasksByUser.find(user);
  if (it == s_->openTasksByUser.end()) return out;
  for (const auto& [appId, recordId, key] : it->second) {
    if (app && *app != appId) continue;
    const Record* r = s_->findRecord(appId, recordId);
    if (r) out.push_back(OpenTask{&s_->tasks.at(key), r});
  }
  return out;
}

std::vector<const Task*> Engine::tasksOf(int64_t app, int64_t record) const {
  return tasksOf(app, record, INT64_MIN, INT64_MAX);
}

// Whether `user` may run the order's action on `taskId` now, and if so with which action and
// next assignee.
CheckResult Engine::checkTask(const std::string& user, const std::string& taskId,
                              const BatchOrder& order, std::optional<std::string>* assignee,
                              const Action** chosen) const {
  auto fail = [&](CheckReason r) { return CheckResult{taskId, r, {}}; };
  const Task* t = findTask(taskId);
  if (!t) return fail(CheckReason::task_not_found);
  if (t->assignee != user) return fail(CheckReason::not_your_task);
  const Record* r = s_->findRecord(t->app, t->record);
  if (t->state == TaskState::deleted || !r) return fail(CheckReason::record_deleted);
  if (t->state == TaskState::closed) return fail(CheckReason::task_closed);
  const App* a = findApp(t->app);
  if (!a || !a->process.enable) return fail(CheckReason::process_disabled);
  if (!a->batchApproval.enabled) return fail(CheckReason::batch_approval_disabled);

  // The order's action from this status; without one, the approve action: the one the settings
  // name for this status, else the only PRIMARY one.
  const std::string* named =
      order.action.empty() ? a->batchApproval.actionFor(r->status) : &order.action;
  const Action* action = nullptr;
  int found = 0;
  for (const Action& candidate : a->process.actions) {
    if (candidate.from != r->status) continue;
    if (named ? candidate.name != *named : candidate.type != ActionType::PRIMARY) continue;
    action = &candidate;
    ++found;
  }
  if (found == 0)
    return fail(order.action.empty() ? CheckReason::no_approve_action
                                     : CheckReason::action_not_available);
  if (found > 1) return fail(CheckReason::multiple_approve_actions);
  if (!conditionHolds(*a, *action, *r, user)) return fail(CheckReason::condition_not_met);

  const State* from = a->process.findState(r->status);
  const State* to = a->process.findState(action->to);
  if (!from || !to) return fail(CheckReason::no_approve_action);
  CheckResult result{taskId, CheckReason::supported, {}};
  std::optional<std::string> next;
  if (!waitsForOthers(*from, *action, *r, user) && to->assigneeType == AssigneeType::ONE) {
    auto candidates = resolveEntities(to->entities, *r);
    if (candidates.size() > 1) result.choices = candidates;
    if (order.assignee && candidates.size() > 1) {
      if (std::find(candidates.begin(), candidates.end(), *order.assignee) == candidates.end())
        result.reason = CheckReason::assignee_required;  // not one of this record's choices
      else
        next = order.assignee;
    } else if (candidates.size() > 1) {
      result.reason = CheckReason::assignee_required;
    } else if (candidates.size() == 1) {
      next = candidates.front();  // filled in for the user
    }
  }
  if (!result.supported()) return result;
  if (assignee) *assignee = next;
  if (chosen) *chosen = action;
  return result;
}

std::vector<CheckResult> Engine::check(const std::string& user,
                                       const std::vector<std::string>& taskIds,
                                       const BatchOrder& order) const {
  std::vector<CheckResult> out;
  out.reserve(taskIds.size());
  std::unordered_set<std::string> seen;
  for (const auto& id : taskIds) {
    if (!seen.insert(id).second)
      out.push_back(CheckResult{id, CheckReason::duplicate_task, {}});
    else
      out.push_back(checkTask(user, id, order, nullptr, nullptr));
  }
  return out;
}

std::string Engine::submit(const std::string& user, const std::vector<std::string>& taskIds,
                           BatchOrder order, std::string retryOf) {
  auto tx = begin();
  Batch b;
  b.number = newId();
  b.user = user;
  b.taskIds = taskIds;
  b.order = std::move(order);
  b.retryOf = std::move(retryOf);
  // Strictly after every earlier batch, also within one millisecond: batches run, and are
  // listed, in the order they were submitted.
  b.createdAt = std::max(now(), s_->latestBatchAt + 1);
  std::string number = b.number;
  putBatch(std::move(b));
  tx.commit();
  return number;
}

std::vector<const Batch*> Engine::batchesOf(const std::string& user) const {
  std::vector<const Batch*> out;
  for (const auto& [number, b] : s_->batches)
    if (b.user == user) out.push_back(&b);
  std::sort(out.begin(), out.end(), [](const Batch* x, const Batch* y) {
    return x->createdAt != y->createdAt ? x->createdAt > y->createdAt : x->number > y->number;
  });
  return out;
}

const Batch* Engine::findBatch(const std::string& number) const {
  auto it = s_->batches.find(number);
  return it == s_->batches.end() ? nullptr : &it->second;
}

const Batch& Engine::batch(const std::string& user, const std::string& number) const {
  const Batch* b = findBatch(number);
  // Another user's batch is reported as not found: its existence is not theirs to learn.
  if (!b || b->user != user) throw Error("RINGI_BA01", {number});
  return *b;
}

void Engine::cancel(const std::string& user, const std::string& number) {
  auto tx = begin();
  Batch b = batch(user, number);
  if (b.finished()) throw Error("RINGI_BA02", {number});
  b.state = BatchState::cancelled;
  b.finishedAt = now();
  putBatch(std::move(b));
  tx.commit();
}

bool Engine::hasPendingBatches() const { return !s_->pendingBatches.empty(); }

// A failure names the task's record too: once the task has closed, the record is what a person
// goes back to.
BatchFailure Engine::failureOf(const std::string& taskId, CheckReason reason) const {
  const Task* t = findTask(taskId);
  return BatchFailure{taskId, reason, t ? t->app : 0, t ? t->record : 0};
}

// The oldest unfinished batch, as it will be once running (a copy, put back when the step ends).
Batch Engine::nextBatchRunning(int64_t at) const {
  Batch b = s_->batches.at(s_->pendingBatches.begin()->second);
  if (b.state == BatchState::queued) {
    b.state = BatchState::running;
    b.startedAt = at;
  }
  return b;
}

std::optional<std::string> Engine::runChunk(size_t maxTasks) {
  if (s_->pendingBatches.empty()) return std::nullopt;
  auto tx = begin();
  const int64_t at = now();
  Batch b = nextBatchRunning(at);
  const size_t end = std::min(b.taskIds.size(), b.processed + std::max<size_t>(maxTasks, 1));
  for (; b.processed < end; ++b.processed) {
    const std::string& id = b.taskIds[b.processed];
    CheckResult result{id, CheckReason::supported, {}};
    auto first = std::find(b.taskIds.begin(), b.taskIds.begin() + b.processed, id);
    if (first != b.taskIds.begin() + b.processed) result.reason = CheckReason::duplicate_task;
    std::optional<std::string> assignee;
    const Action* action = nullptr;
    if (result.supported()) result = checkTask(b.user, id, b.order, &assignee, &action);
    if (result.supported()) {
      const Task& t = *s_->findTask(id);
      auto step = begin();  // a savepoint: a task that fails leaves no trace
      try {
        const int64_t app = t.app, record = t.record;  // `t` may move as tasks open
        changeStatus(b.user, app, StatusRequest{record, action->name, assignee, std::nullopt});
        if (!b.order.comment.empty()) addComment(b.user, app, record, b.order.comment, {});
        step.commit();
      } catch (const Error& e) {
        result.reason = e.code() == "GAIA_SA01"   ? CheckReason::assignee_required
                        : e.code() == "GAIA_NT01" ? CheckReason::not_your_task
                                                  : CheckReason::condition_not_met;
      }
    }
    if (result.supported())
      ++b.succeeded;
    else
      b.failures.push_back(failureOf(id, result.reason));
  }
  finishIfDone(b, at);
  std::string number = b.number;
  putBatch(std::move(b));
  tx.commit();
  return number;
}

std::optional<std::string> Engine::failNextTask(CheckReason reason) {
  if (s_->pendingBatches.empty()) return std::nullopt;
  auto tx = begin();
  const int64_t at = now();
  Batch b = nextBatchRunning(at);
  if (b.processed < b.taskIds.size()) {
    b.failures.push_back(failureOf(b.taskIds[b.processed], reason));
    ++b.processed;
  }
  finishIfDone(b, at);
  std::string number = b.number;
  putBatch(std::move(b));
  tx.commit();
  return number;
}

// `>=`, not `==`: a batch whose counter is past its tasks (a damaged row the decoder missed) ends
// instead of running empty chunks forever.
void Engine::finishIfDone(Batch& b, int64_t at) {
  if (b.processed < b.taskIds.size()) return;
  b.state = b.failures.empty() ? BatchState::completed : BatchState::partially_completed;
  b.finishedAt = at;
}

}  // namespace ringi::domain
