// The stored-rows decoder (storage::decodeRowsText, what a snapshot and the log's rows go
// through on restore) and Service::restore on arbitrary bytes: a refusal is a domain::Error or a
// kintone-shaped answer, never a crash, a hang or a sanitizer report; what restores can be
// written out again and read back to the same rows.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/storage_format.h"
#include "domain/error.h"
#include "fuzz_support.h"

// With RINGI_FUZZ_WRITE_SEEDS=DIR, writes the rows of each fixture, and of the expense workspace
// after a status change and a batch, into DIR first: rows only the engine can write.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("RINGI_FUZZ_WRITE_SEEDS");
  if (!dir) return 0;
  int n = 0;
  auto save = [&](const std::string& rows) {
    std::ofstream(std::string(dir) + "/rows" + std::to_string(n++), std::ios::binary) << rows;
  };
  for (const char* name :
       {"expense_workspace.json", "seed003_workspace.json", "serve-workspace.json"}) {
    ringi::api::Service svc;
    svc.engine().seedIds(1);
    if (svc.load(ringi::fuzz::fixture(name)).status != 200) ringi::fuzz::broken("fixture", name);
    save(svc.snapshotRows());
  }
  ringi::api::Service svc;
  svc.engine().seedIds(1);
  svc.load(ringi::fuzz::fixture("expense_workspace.json"));
  svc.handleJson(R"({"user":"sato","method":"GET","path":"/batch_approvals/_tasks"})");
  auto tasks = nlohmann::json::parse(
      svc.handleJson(R"({"user":"sato","method":"GET","path":"/batch_approvals/_tasks"})").body);
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& t : tasks["tasks"]) ids.push_back(t["task_id"]);
  svc.handleJson(nlohmann::json{
      {"user", "sato"},
      {"method", "POST"},
      {"path", "/batch_approvals/_submit"},
      {"body", ids}}.dump());
  svc.runChunk(1);
  save(svc.snapshotRows());
  // The workbench's rows: a batch with an action, a comment and an assignee; record comments.
  ringi::api::Service bench;
  bench.engine().seedIds(1);
  bench.load(ringi::fuzz::fixture("workbench_workspace.json"));
  tasks = nlohmann::json::parse(
      bench.handleJson(R"({"user":"sato","method":"GET","path":"/batch_approvals/_tasks"})").body);
  ids = nlohmann::json::array();
  for (const auto& t : tasks["tasks"]) ids.push_back(t["task_id"]);
  bench.handleJson(
      nlohmann::json{{"user", "sato"},
                     {"method", "POST"},
                     {"path", "/batch_approvals/_submit"},
                     {"body", {{"task_ids", ids}, {"assignee", "tanaka"}, {"comment", "OK"}}}}
          .dump());
  bench.runChunk(2);
  bench.handleJson(
      R"({"user":"li","method":"POST","path":"/k/v1/record/comment.json","body":{"app":1,"record":3,"comment":{"text":"見てください","mentions":[{"code":"sato","type":"USER"},{"code":"directors","type":"GROUP"}]}}})");
  save(bench.snapshotRows());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ringi::api::storage::decodeRowsText(text);
  } catch (const ringi::domain::Error&) {
  }
  ringi::api::Service svc;
  auto r = svc.restore(text);
  ringi::fuzz::checkAnswer(r);
  if (r.status == 200) {
    std::string rows = svc.snapshotRows();
    if (rows.empty()) ringi::fuzz::broken("a restored state cannot be written out", text);
    ringi::api::Service again;
    if (again.restore(rows).status != 200) ringi::fuzz::broken("written rows do not restore", rows);
    if (again.snapshotRows() != rows) ringi::fuzz::broken("rows change on a round trip", rows);
  }
  return 0;
}
