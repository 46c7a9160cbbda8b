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

struct RecordKeyHash {
  size_t operator()(const RecordKey& k) const {
    return static_cast<size_t>(static_cast<uint64_t>(k.first) * 0x9e3779b97f4a7c15ULL ^
                               static_cast<uint64_t>(k.second));
  }
};

struct Engine::Store {
  Directory directory;
  std::map<int64_t, App> apps;
  // Records by (app, id). A tree keeps them in id order in memory as they arrive, which is what
  // full scans (queries) want; nodes never move, so the index below can point into them.
  std::map<RecordKey, Record> records;
  std::unordered_map<TaskKey, Task, TaskKeyHash> tasks;  // see TaskMap
  std::unordered_map<std::string, Batch> batches;
  int64_t nextAppId = 1;

  // Derived indexes, kept in step by setRecord / setTask / setBatch.
  std::unordered_map<int64_t, std::vector<const Record*>> recordsByApp;  // ascending id
  using TaskSlot = std::tuple<int64_t, int64_t, TaskKey>;                // (app, record, task)
  std::unordered_map<std::string, std::set<TaskSlot>> openTasksByUser;
  std::unordered_map<RecordKey, std::vector<TaskKey>, RecordKeyHash> tasksByRecord;
  std::set<std::pair<int64_t, std::string>> pendingBatches;  // (createdAt, number)
  int64_t latestBatchAt = 0;  // the latest createdAt of any batch: the next one comes after it

  const std::vector<const Record*>& orderedRecords(int64_t app) const {
    static const std::vector<const Record*> none;
    auto it = recordsByApp.find(app);
    return it == recordsByApp.end() ? none : it->second;
  }

  const Task* findTask(const std::string& id) const {
    auto key = parseTaskKey(id);
    if (!key) return nullptr;
    auto it = tasks.find(*key);
    return it == tasks.end() ? nullptr : &it->second;
  }

  Record* findRecord(int64_t app, int64_t id) {
    auto it = records.find({app, id});
    return it == records.end() ? nullptr : &it->second;
  }

  // Raw setters: replace or (nullopt) remove an entity and update the indices. No undo.
  void setRecord(RecordKey key, std::optional<Record> value) {
    auto it = records.find(key);
    if (value && it != records.end()) {
      value->values.shrink_to_fit();  // records are built field by field; keep them tight
      it->second = std::move(*value);
      return;
    }
    auto& ordered = recordsByApp[key.first];
    auto byId = [](const Record* r, int64_t id) { return r->id < id; };
    if (value) {
      value->values.shrink_to_fit();
      const Record* added = &records.emplace(key, std::move(*value)).first->second;
      // new ids are the largest, so this is an append except for imported or restored ids
      if (ordered.empty() || ordered.back()->id < key.second)
        ordered.push_back(added);
      else
        ordered.insert(std::lower_bound(ordered.begin(), ordered.end(), key.second, byId), added);
    } else if (it != records.end()) {
      ordered.erase(std::lower_bound(ordered.begin(), ordered.end(), key.second, byId));
      records.erase(it);
    }
  }

  using TaskMap = std::unordered_map<TaskKey, Task, TaskKeyHash>;

  void setTask(const TaskKey& key, std::optional<Task> value) {
    setTaskAt(tasks.find(key), key, std::move(value));
  }

  void unindexOpenTask(const TaskKey& key, const Task& t) {
    if (t.state != TaskState::open) return;
    auto u = openTasksByUser.find(t.assignee);
    if (u != openTasksByUser.end()) u->second.erase(TaskSlot{t.app, t.record, key});
  }

  // `old` is tasks.find(key), passed in so a change costs one hash lookup.
  void setTaskAt(TaskMap::iterator old, const TaskKey& key, std::optional<Task> value) {
    if (old != tasks.end()) {
      const Task& t = old->second;
      unindexOpenTask(key, t);
      if (!value) {
        auto& list = tasksByRecord[{t.app, t.record}];
        list.erase(std::remove(list.begin(), list.end(), key), list.end());
        if (list.empty()) tasksByRecord.erase({t.app, t.record});
        tasks.erase(old);
        return;
      }
      old->second = std::move(*value);
    } else if (value) {
      tasksByRecord[{value->app, value->record}].push_back(key);
      old = tasks.emplace(key, std::move(*value)).first;
    } else {
      return;
    }
    const Task& t = old->second;
    if (t.state == TaskState::open)
      openTasksByUser[t.assignee].insert(TaskSlot{t.app, t.record, key});
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
    latestBatchAt = std::max(latestBatchAt, b.createdAt);
  }
};

struct Engine::UndoLog {
  struct AppImage {
    int64_t id;
    std::optional<App> before;
  };
  struct RecordImage {
    RecordKey key;
    std::optional<Record> before;
  };
  // A touched record's image without its history, which only grows (or has its last entry's
  // assignees edited): copying it on every change would make long-lived records slow.
  // Touch::process leaves the values and comments out too, Touch::comments the values: what
  // the touch does not change is the record's own on rollback.
  struct RecordTouch {
    // `image` with its history moved out into `history` (values and comments left out as said).
    RecordTouch(RecordKey k, const Record& image, const std::vector<StatusChange>& history,
                bool values, bool comments)
        : key(k),
          before(image),
          historySize(history.size()),
          withValues(values),
          withComments(comments) {
      if (!history.empty()) lastEntry = history.back();
    }
    RecordKey key;
    Record before;  // history left empty, values / comments too when not with them
    size_t historySize;
    std::optional<StatusChange> lastEntry;
    bool withValues;
    bool withComments;
  };
  // Constructed in its place in the log (emplace_back), from the task as it is: no Task moves.
  struct TaskImage {
    TaskImage(const TaskKey& k, const Task* t) : key(k) {
      if (t) before.emplace(*t);
    }
    TaskKey key;
    std::optional<Task> before;
  };
  struct BatchImage {
    std::string number;
    std::optional<Batch> before;
  };
  struct CounterImage {
    int64_t nextAppId;
  };
  struct StateImage {
    std::unique_ptr<Store> before;
  };  // load / reset replace everything
  using Entry = std::variant<AppImage, RecordImage, RecordTouch, TaskImage, BatchImage,
                             CounterImage, StateImage>;
  std::vector<Entry> entries;
};

}  // namespace ringi::domain
