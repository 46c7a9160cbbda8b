// Request sequences: each input line is one request document for Service::handleJson
// ({"user","method","path","body"}), at most 16, against the expense workspace; a line "RUN" runs
// one chunk of the waiting batches. After every step:
//   - the answer passes checkAnswer (JSON; errors are {code,id,message});
//   - a refused request (status >= 400) changed nothing: every stored row is the same, so a
//     failed bulk change is never half-applied; and what changed rows has a change set;
//   - revisions only grow, record ids are never reused, and a reported change set is JSON.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "fuzz_support.h"

namespace {
using Revisions = std::map<std::pair<int64_t, int64_t>, int64_t>;

Revisions revisionsOf(const ringi::domain::Engine& engine) {
  Revisions out;
  for (const auto* app : engine.apps())
    for (const auto* r : engine.allRecords(app->id)) out[{app->id, r->id}] = r->revision;
  return out;
}

void checkGrowth(const Revisions& before, const Revisions& after, const std::string& step) {
  for (const auto& [key, rev] : after) {
    auto it = before.find(key);
    if (it != before.end() && rev < it->second) ringi::fuzz::broken("a revision went back", step);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string workspace = ringi::fuzz::fixture("expense_workspace.json");
  // One service, loaded again only after an input changed it: every input starts from the
  // fixture's state.
  static ringi::api::Service svc;
  static bool fresh = false;
  static std::string initial;
  if (!fresh) {
    svc.engine().setClock([] { return int64_t{1700000000000}; });
    svc.engine().seedIds(1);
    if (svc.load(workspace).status != 200) ringi::fuzz::broken("fixture did not load", "");
    initial = svc.snapshotRows();
    fresh = true;
  }
  std::string state = initial;
  Revisions revs = revisionsOf(svc.engine());
  std::map<int64_t, int64_t> maxId;  // app -> highest record id seen
  for (const auto& [key, rev] : revs) maxId[key.first] = std::max(maxId[key.first], key.second);

  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (int step = 0; step < 16 && !in.empty(); ++step) {
    size_t nl = in.find('\n');
    std::string line(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    ringi::api::Response r = line == "RUN" ? svc.runChunk(5) : svc.handleJson(line);
    if (line == "RUN") {
      if (nlohmann::json::parse(r.body, nullptr, false).is_discarded())
        ringi::fuzz::broken("chunk answer is not JSON", r.body);
    } else {
      ringi::fuzz::checkAnswer(r);
    }
    if (!r.changes.empty() && nlohmann::json::parse(r.changes, nullptr, false).is_discarded())
      ringi::fuzz::broken("change set is not JSON", r.changes);
    std::string now = svc.snapshotRows();
    if (now != state) fresh = false;
    // What changes the state must say so: a change no change set carries is never stored.
    if (r.changes.empty() && now != state)
      ringi::fuzz::broken("a change without a change set", line);
    if (r.status >= 400 && now != state)
      ringi::fuzz::broken("a refused request changed the state", line);
    Revisions nowRevs = revisionsOf(svc.engine());
    checkGrowth(revs, nowRevs, line);
    for (const auto& [key, rev] : nowRevs)
      if (!revs.count(key) && key.second <= maxId[key.first])
        ringi::fuzz::broken("a record id was reused", line);
    for (const auto& [key, rev] : nowRevs)
      maxId[key.first] = std::max(maxId[key.first], key.second);
    state = std::move(now);
    revs = std::move(nowRevs);
  }
  return 0;
}
