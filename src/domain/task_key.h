// A task id (32 lowercase hex characters) held as two integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ringi::domain {

// A task id (32 lowercase hex characters) as two integers: tasks are the engine's most numerous
// entity and their ids appear in three indexes, so a heap-allocated string there would dominate.
struct TaskKey {
  uint64_t hi = 0, lo = 0;
  bool operator==(const TaskKey& o) const { return hi == o.hi && lo == o.lo; }
  bool operator<(const TaskKey& o) const { return hi != o.hi ? hi < o.hi : lo < o.lo; }
};
struct TaskKeyHash {
  size_t operator()(const TaskKey& k) const {
    return static_cast<size_t>(k.hi ^ (k.lo * 0x9e3779b97f4a7c15ULL));
  }
};
std::optional<TaskKey> parseTaskKey(const std::string& id);  // nullopt unless 32 lowercase hex
std::string formatTaskKey(const TaskKey& key);
void formatTaskKey(const TaskKey& key, char out[32]);  // no allocation: for row writers

}  // namespace ringi::domain
