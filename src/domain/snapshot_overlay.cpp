#include "domain/snapshot_overlay.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "domain/task_key.h"

namespace ringi::domain {
namespace {

// Drops the rows of `base` whose key a row of `newer` has (compacting in place, so nothing is
// held twice), then moves `newer`'s rows to the end. Keys are compared as text: one set type for
// every kind of row keeps the wasm small.
template <typename Rows, typename KeyOf>
void replaceByKey(Rows& base, Rows& newer, KeyOf keyOf) {
  if (newer.empty()) return;
  std::set<std::string> keys;
  for (const auto& row : newer) keys.insert(keyOf(row));
  auto out = base.begin();
  for (auto it = base.begin(); it != base.end(); ++it) {
    if (keys.count(keyOf(*it))) continue;
    if (out != it) *out = std::move(*it);
    ++out;
  }
  for (auto left = static_cast<size_t>(base.end() - out); left > 0; --left) base.pop_back();
  for (auto& row : newer) base.push_back(std::move(row));
  newer.clear();
}

std::string pairKey(int64_t a, int64_t b) { return std::to_string(a) + ':' + std::to_string(b); }

}  // namespace

void overlay(Snapshot& base, Snapshot&& newer) {
  replaceByKey(base.users, newer.users, [](const User& u) { return u.code; });
  replaceByKey(base.organizations, newer.organizations,
               [](const Organization& o) { return o.code; });
  replaceByKey(base.groups, newer.groups, [](const Group& g) { return g.code; });
  replaceByKey(base.apps, newer.apps, [](const App& a) { return std::to_string(a.id); });
  replaceByKey(base.records, newer.records, [](const Record& r) { return pairKey(r.app, r.id); });
  replaceByKey(base.tasks, newer.tasks, [](const Task& t) { return formatTaskKey(t.key); });
  replaceByKey(base.batches, newer.batches, [](const Batch& b) { return b.number; });
  replaceByKey(base.history, newer.history, [](const HistoryChunk& c) {
    return pairKey(c.app, c.record) + ':' + std::to_string(c.from);
  });
  base.nextAppId = std::max(base.nextAppId, newer.nextAppId);
}

}  // namespace ringi::domain
