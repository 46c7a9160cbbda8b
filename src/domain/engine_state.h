// Internal to the engine: the entities it holds, the indices derived from them, and the undo log
// of before-images that makes every transaction all-or-nothing.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

#include "domain/engine.h"

namespace ringi::domain {

struct Engine::Store {
  Directory directory;
  std::map<int64_t, App> apps;
  std::map<int64_t, std::map<int64_t, Record>> records;  // app -> id -> record
  std::unordered_map<std::string, Task> tasks;
  std::unordered_map<std::string, Batch> batches;
  int64_t nextAppId = 1;

  // Derived from tasks / batches; kept in step by setTask / setBatch.
  using TaskSlot = std::tuple<int64_t, int64_t, std::string>;  // (app, record, task id)
  std::unordered_map<std::string, std::set<TaskSlot>> openTasksByUser;
  std::map<RecordKey, std::vector<std::string>> tasksByRecord;
  std::set<std::pair<int64_t, std::string>> pendingBatches;  // (createdAt, number)

  Record* findRecord(int64_t app, int64_t id) {
    auto a = records.find(app);
    if (a == records.end()) return nullptr;
    auto r = a->second.find(id);
    return r == a->second.end() ? nullptr : &r->second;
  }

  // Raw setters: replace or (nullopt) remove an entity and update the indices. No undo.
  void setRecord(RecordKey key, std::optional<Record> value) {
    if (value) {
      records[key.first][key.second] = std::move(*value);
    } else if (auto a = records.find(key.first); a != records.end()) {
      a->second.erase(key.second);
    }
  }

  void setTask(const std::string& id, std::optional<Task> value) {
    if (auto old = tasks.find(id); old != tasks.end()) {
      const Task& t = old->second;
      if (t.state == TaskState::open) {
        auto u = openTasksByUser.find(t.assignee);
        if (u != openTasksByUser.end()) u->second.erase(TaskSlot{t.app, t.record, t.id});
      }
      if (!value) {
        auto& list = tasksByRecord[{t.app, t.record}];
        list.erase(std::remove(list.begin(), list.end(), id), list.end());
        if (list.empty()) tasksByRecord.erase({t.app, t.record});
      }
      if (value) {
        old->second = std::move(*value);
      } else {
        tasks.erase(old);
        return;
      }
    } else if (value) {
      tasksByRecord[{value->app, value->record}].push_back(id);
      tasks.emplace(id, std::move(*value));
    } else {
      return;
    }
    const Task& t = tasks.at(id);
    if (t.state == TaskState::open) openTasksByUser[t.assignee].insert(TaskSlot{t.app, t.record, t.id});
  }

  void setBatch(const std::string& number, std::optional<Batch> value) {
    if (auto old = batches.find(number); old != batches.end()) {
      pendingBatches.erase({old->second.createdAt, number});
      if (!value) {
        batches.erase(old);
        return;
      }
      old->second = std::move(*value);
    } else if (value) {
      batches.emplace(number, std::move(*value));
    } else {
      return;
    }
    const Batch& b = batches.at(number);
    if (!b.finished()) pendingBatches.insert({b.createdAt, number});
  }
};

struct Engine::UndoLog {
  struct AppImage { int64_t id; std::optional<App> before; };
  struct RecordImage { RecordKey key; std::optional<Record> before; };
  // A touched record's image without its history, which only grows (or has its last entry's
  // assignees edited): copying it on every change would make long-lived records slow.
  struct RecordTouch {
    RecordKey key;
    Record before;  // history left empty
    size_t historySize;
    std::optional<StatusChange> lastEntry;
  };
  struct TaskImage { std::string id; std::optional<Task> before; };
  struct BatchImage { std::string number; std::optional<Batch> before; };
  struct CounterImage { int64_t nextAppId; };
  struct StateImage { std::unique_ptr<Store> before; };  // load / reset replace everything
  using Entry = std::variant<AppImage, RecordImage, RecordTouch, TaskImage, BatchImage, CounterImage, StateImage>;
  std::vector<Entry> entries;
};

}  // namespace ringi::domain
