#include "domain/snapshot_overlay.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

namespace ringi::domain {
namespace {

// Drops the rows of `base` whose key a row of `newer` has, then moves `newer`'s rows to the end.
template <typename Rows, typename Key>
void replaceByKey(Rows& base, Rows& newer, Key key) {
  if (newer.empty()) return;
  std::set<decltype(key(newer.front()))> keys;
  for (const auto& row : newer) keys.insert(key(row));
  base.erase(std::remove_if(base.begin(), base.end(), [&](const auto& row) { return keys.count(key(row)) > 0; }),
             base.end());
  std::move(newer.begin(), newer.end(), std::back_inserter(base));
  newer.clear();
}

}  // namespace

void overlay(Snapshot& base, Snapshot&& newer) {
  replaceByKey(base.users, newer.users, [](const User& u) { return u.code; });
  replaceByKey(base.organizations, newer.organizations, [](const Organization& o) { return o.code; });
  replaceByKey(base.groups, newer.groups, [](const Group& g) { return g.code; });
  replaceByKey(base.apps, newer.apps, [](const App& a) { return a.id; });
  replaceByKey(base.records, newer.records, [](const Record& r) { return std::make_pair(r.app, r.id); });
  replaceByKey(base.tasks, newer.tasks, [](const Task& t) { return t.key; });
  replaceByKey(base.batches, newer.batches, [](const Batch& b) { return b.number; });
  base.nextAppId = std::max(base.nextAppId, newer.nextAppId);
}

}  // namespace ringi::domain
