// Process management: assignee resolution, actions and their conditions, status changes, and the
// tasks that open and close with them.
#include <algorithm>

#include "domain/engine.h"
#include "domain/engine_state.h"

namespace ringi::domain {

namespace {

void addUnique(std::vector<std::string>& out, const std::string& code) {
  if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool isCreatorFieldCode(const App& app, const std::string& code) {
  if (const FieldDef* f = app.findField(code)) return f->type == FieldType::CREATOR;
  return code == "作成者" || code == "Created_by";
}

Error statusSettingsChanged() { return Error("GAIA_IL03"); }

}  // namespace

std::vector<std::string> Engine::resolveEntities(const std::vector<Entity>& entities,
                                                 const Record& record) const {
  const Directory& dir = s_->directory;
  const App* app = findApp(record.app);
  std::vector<std::string> out;
  auto addUser = [&](const std::string& code) {
    if (dir.findUser(code)) addUnique(out, code);
  };
  for (const Entity& e : entities) {
    switch (e.type) {
      case EntityType::USER:
        addUser(e.code);
        break;
      case EntityType::GROUP:
        if (const Group* g = dir.findGroup(e.code))
          for (const auto& m : g->members) addUser(m);
        break;
      case EntityType::ORGANIZATION:
        for (const auto& m : dir.organizationMembers(e.code, e.includeSubs)) addUser(m);
        break;
      case EntityType::CREATOR:
        addUser(record.creator);
        break;
      case EntityType::FIELD_ENTITY: {
        if (app && isCreatorFieldCode(*app, e.code)) {
          addUser(record.creator);
          break;
        }
        const FieldDef* f = app ? app->findField(e.code) : nullptr;
        auto v = record.values.find(e.code);
        if (!f || v == record.values.end()) break;
        for (const auto& item : v->second.items) {
          if (f->type == FieldType::USER_SELECT)
            addUser(item);
          else if (f->type == FieldType::ORGANIZATION_SELECT)
            for (const auto& m : dir.organizationMembers(item, e.includeSubs)) addUser(m);
          else if (f->type == FieldType::GROUP_SELECT)
            if (const Group* g = dir.findGroup(item))
              for (const auto& m : g->members) addUser(m);
        }
        break;
      }
      case EntityType::CUSTOM_FIELD:  // user-profile custom fields are not modelled
        break;
    }
  }
  return out;
}

// Who is assigned on entering `next`: the chosen candidate for ONE, every candidate for ANY / ALL.
std::vector<std::string> Engine::nextAssignees(const App&, const State& next, const Record& record,
                                               const std::optional<std::string>& chosen) const {
  std::vector<std::string> candidates = resolveEntities(next.entities, record);
  if (next.assigneeType != AssigneeType::ONE || candidates.empty()) {
    if (chosen) throw Error("GAIA_SA04");
    return candidates;
  }
  if (!chosen) throw Error("GAIA_SA01");
  if (!s_->directory.findUser(*chosen)) throw Error("GAIA_IL26", {*chosen});
  if (!contains(candidates, *chosen)) throw Error("RINGI_SA01", {*chosen, next.name});
  return {*chosen};
}

bool Engine::conditionHolds(const App& app, const Action& action, const Record& record,
                            const std::string& user) const {
  if (action.filterCond.empty()) return true;
  Query q = Query::parse(action.filterCond, app, /*conditionOnly=*/true);
  return q.matches(record, QueryEnv{&s_->directory, user, now()});
}

void Engine::closeOpenTasks(const Record& record, const std::string& actor,
                            const std::string* onlyFor) {
  auto it = s_->tasksByRecord.find({record.app, record.id});
  if (it == s_->tasksByRecord.end()) return;
  const int64_t at = now();
  const std::vector<TaskKey>& ids = it->second;  // putTask on an existing task keeps it
  // Tasks are appended in status-entry order and only the current entry's can be open.
  const int64_t currentEntry = static_cast<int64_t>(record.history.size()) - 1;
  for (size_t i = ids.size(); i-- > 0;) {
    auto found = s_->tasks.find(ids[i]);
    const Task& t = found->second;
    if (t.entry < currentEntry) break;
    if (t.state != TaskState::open || (onlyFor && t.assignee != *onlyFor)) continue;
    endTaskAt(found, TaskState::closed, actor, at);
  }
}

void Engine::openTasksFor(const Record& record) {
  if (record.history.empty()) return;
  const int64_t entry = static_cast<int64_t>(record.history.size()) - 1;
  for (const auto& user : record.assignees) {
    Task t;
    const TaskKey key = newTaskKey();
    t.key = key;
    t.app = record.app;
    t.record = record.id;
    t.status = record.status;
    t.assignee = user;
    t.entry = entry;
    t.openedAt = record.history.back().at;
    putTask(key, std::move(t));
  }
}

void Engine::enterStatus(Record& record, const State& state, const std::string& action,
                         const std::string& actor, std::vector<std::string> assignees) {
  record.status = state.name;
  record.assignees = std::move(assignees);
  record.actedBy.clear();
  record.history.push_back(StatusChange{now(), state.name, action, actor, record.assignees});
  // Every kHistoryChunk final entries leave the record's own row for a chunk of their own.
  const int64_t final = static_cast<int64_t>(record.history.size()) - 1;
  record.archived = std::max(record.archived, final / kHistoryChunk * kHistoryChunk);
}

// ALL: each assignee's PRIMARY action is recorded; the record moves when the last one acts (a
// SECONDARY action moves it at once). The one place this is decided: a status change, _check and
// a batch task all ask here.
bool Engine::waitsForOthers(const State& from, const Action& action, const Record& record,
                            const std::string& user) {
  return from.assigneeType == AssigneeType::ALL && action.type == ActionType::PRIMARY &&
         contains(record.assignees, user) && record.assignees.size() > 1;
}

// Who may run an action: a current assignee, anyone when the record has none, and for a
// SECONDARY action also its executors.
bool Engine::mayAct(const Action& action, const Record& record, const std::string& user) const {
  if (record.assignees.empty() || contains(record.assignees, user)) return true;
  return action.type == ActionType::SECONDARY &&
         contains(resolveEntities(action.executableUser, record), user);
}

int64_t Engine::changeStatus(const std::string& user, int64_t appId, const StatusRequest& req) {
  auto tx = begin();
  const App& a = app(appId);
  if (!a.process.enable) throw Error("GAIA_ST02");
  const Record* current = s_->findRecord(appId, req.id);
  if (!current) throw Error("GAIA_RE01", {std::to_string(req.id)});
  if (req.revision && *req.revision != -1 && *req.revision != current->revision)
    throw Error("GAIA_CO02");

  const Action* action = nullptr;
  for (const Action& candidate : a.process.actions) {
    if (candidate.from != current->status || candidate.name != req.action) continue;
    if (action) throw statusSettingsChanged();  // two actions share the name
    action = &candidate;
  }
  if (!action) throw statusSettingsChanged();
  const State* from = a.process.findState(current->status);
  const State* to = a.process.findState(action->to);
  if (!from || !to) throw statusSettingsChanged();
  if (!conditionHolds(a, *action, *current, user)) throw statusSettingsChanged();

  if (!mayAct(*action, *current, user)) throw Error("GAIA_NT01");

  const bool waitForOthers = waitsForOthers(*from, *action, *current, user);
  Record& r =
      touchRecord(appId, req.id, Touch::process);  // `current` stays valid: records do not move
  if (waitForOthers) {
    closeOpenTasks(r, user, &user);
    r.assignees.erase(std::remove(r.assignees.begin(), r.assignees.end(), user), r.assignees.end());
    r.actedBy.push_back(user);
  } else {
    std::vector<std::string> assignees = nextAssignees(a, *to, r, req.assignee);
    closeOpenTasks(r, user, nullptr);
    enterStatus(r, *to, action->name, user, std::move(assignees));
    openTasksFor(r);
  }
  r.revision += 2;  // kintone records "action executed" and "status updated"
  r.modifier = user;
  r.updatedAt = now();
  const int64_t revision = r.revision;
  tx.commit();
  return revision;
}

std::vector<StatusAction> Engine::statusActions(const std::string& user, int64_t appId,
                                                int64_t id) const {
  std::vector<StatusAction> out;
  const App& a = app(appId);
  const Record* r = s_->findRecord(appId, id);
  if (!r) throw Error("GAIA_RE01", {std::to_string(id)});
  if (!a.process.enable) return out;
  for (const Action& action : a.process.actions) {
    if (action.from != r->status || !conditionHolds(a, action, *r, user)) continue;
    const State* next = a.process.findState(action.to);
    if (!next || !mayAct(action, *r, user)) continue;
    StatusAction sa{&action, next, {}};
    if (next->assigneeType == AssigneeType::ONE) sa.assignees = resolveEntities(next->entities, *r);
    out.push_back(std::move(sa));
  }
  return out;
}

int64_t Engine::setAssignees(const std::string& user, int64_t appId, int64_t id,
                             const std::vector<std::string>& requested,
                             std::optional<int64_t> revision) {
  auto tx = begin();
  const App& a = app(appId);
  if (!a.process.enable) throw Error("GAIA_ST02");
  const Record* current = s_->findRecord(appId, id);
  if (!current) throw Error("GAIA_RE01", {std::to_string(id)});
  if (revision && *revision != -1 && *revision != current->revision) throw Error("GAIA_CO02");
  std::vector<std::string> assignees;
  for (const auto& code : requested) {
    if (!s_->directory.findUser(code)) throw Error("GAIA_IL26", {code});
    addUnique(assignees, code);
  }
  const State* state = a.process.findState(current->status);
  if (state && state->assigneeType == AssigneeType::ONE && assignees.size() > 1)
    throw Error("GAIA_TO02", {state->name});

  Record& r = touchRecord(appId, id, Touch::process);
  for (const auto& old : std::vector<std::string>(r.assignees))
    if (!contains(assignees, old)) closeOpenTasks(r, user, &old);
  std::vector<std::string> added;
  for (const auto& code : assignees)
    if (!contains(r.assignees, code)) added.push_back(code);
  r.assignees = assignees;
  r.actedBy.clear();
  if (!r.history.empty()) r.history.back().assignees = assignees;
  r.revision += 1;
  r.modifier = user;
  r.updatedAt = now();
  Record view = r;  // open tasks only for the newly added users
  view.assignees = added;
  openTasksFor(view);
  const int64_t rev = r.revision;
  tx.commit();
  return rev;
}

}  // namespace ringi::domain
