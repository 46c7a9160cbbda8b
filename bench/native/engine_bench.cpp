// Native benchmarks of the domain engine, and of restoring storage rows through the api Service
// (npm run bench:native). Figures, not assertions.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/service.h"
#include "api/storage_format.h"
#include "api/workspace_codec.h"
#include "domain/engine.h"

using namespace ringi::domain;

namespace {

Entity user(const std::string& code) { return Entity{EntityType::USER, code, false}; }

// 申請中 (ANY: sato) --承認する--> 承認待ち (ANY: sato) --承認する--> 申請中 ... a two-state loop,
// so a benchmark can keep transitioning the same records forever.
Snapshot loopWorkspace(int records) {
  Snapshot s;
  s.users = {{"sato", "佐藤", Locale::ja}, {"li", "李", Locale::zh}};
  App app;
  app.id = 1;
  app.name = "経費精算";
  for (const char* code : {"件名", "金額", "種別", "日付", "備考"}) {
    FieldDef f;
    f.code = f.label = code;
    f.type = std::string(code) == "金額" ? FieldType::NUMBER : FieldType::SINGLE_LINE_TEXT;
    app.fields.push_back(f);
  }
  ProcessSettings p;
  p.enable = p.configured = true;
  p.states = {State{"申請中", 0, AssigneeType::ANY, {user("sato")}},
              State{"承認待ち", 1, AssigneeType::ANY, {user("sato")}},
              State{"完了", 2, AssigneeType::ONE, {}}};
  p.actions = {Action{"承認する", "申請中", "承認待ち", "", ActionType::PRIMARY, {}},
               Action{"承認する", "承認待ち", "申請中", "", ActionType::PRIMARY, {}}};
  app.process = app.previewProcess = p;
  app.batchApproval.enabled = true;
  s.apps.push_back(app);
  for (int i = 1; i <= records; ++i) {
    Record r;
    r.app = 1;
    r.id = i;
    r.creator = "li";
    r.values["件名"].text = "出張 " + std::to_string(i);
    r.values["金額"].text = std::to_string(1000 + i % 90000);
    r.values["種別"].text = "交通費";
    r.values["日付"].text = "2026-11-22";
    r.values["備考"].text = "東京→大阪";
    r.status = i % 2 ? "承認待ち" : "申請中";
    r.assignees = {"sato"};
    s.records.push_back(std::move(r));
  }
  return s;
}

void BM_StatusTransition(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(100000));
  int64_t id = 1;
  for (auto _ : state) {
    auto tx = e.begin();
    e.changeStatus("sato", 1, StatusRequest{id, "承認する", std::nullopt, std::nullopt});
    benchmark::DoNotOptimize(tx.commit());
    e.confirmLast();
    id = id % 100000 + 1;
  }
  state.counters["transitions/s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StatusTransition);

void BM_StatusTransitionBulk100(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(100000));
  int64_t base = 0;
  for (auto _ : state) {
    auto tx = e.begin();
    for (int64_t i = 1; i <= 100; ++i)
      e.changeStatus("sato", 1, StatusRequest{base + i, "承認する", std::nullopt, std::nullopt});
    benchmark::DoNotOptimize(tx.commit());
    e.confirmLast();
    base = (base + 100) % 100000;
  }
  state.counters["transitions/s"] =
      benchmark::Counter(state.iterations() * 100.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StatusTransitionBulk100);

void BM_Batch200(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(10000));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::string> ids;
    for (const auto& t : e.openTasks("sato", 1)) {
      ids.push_back(t.task->id());
      if (ids.size() == 200) break;
    }
    state.ResumeTiming();
    e.submit("sato", ids);
    while (e.runChunk(200)) {  // the worker's default chunk
    }
    e.confirmLast();
  }
  state.counters["tasks/s"] =
      benchmark::Counter(state.iterations() * 200.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Batch200)->Unit(benchmark::kMillisecond);

void BM_ApprovalQuery100k(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(100000));
  int64_t total = 0;
  for (auto _ : state) {
    auto rows = e.findRecords("sato", 1, "ステータス in (\"承認待ち\") and 作業者 in (LOGINUSER())",
                              &total);
    benchmark::DoNotOptimize(rows);
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_ApprovalQuery100k)->Unit(benchmark::kMillisecond);

// The same query through the api Service (GET /k/v1/records.json with totalCount, 100 records
// answered as JSON): what the browser's query100k_ms times, natively.
void BM_ApiApprovalQuery100k(benchmark::State& state) {
  ringi::api::Service service;
  if (service.load(ringi::api::codec::exportWorkspace(loopWorkspace(100000))).status != 200)
    state.SkipWithError("workspace did not load");
  const std::string request =
      R"q({"user":"sato","method":"GET","path":"/k/v1/records.json","body":{"app":1,)q"
      R"q("query":"ステータス in (\"承認待ち\") and 作業者 in (LOGINUSER())","totalCount":true}})q";
  for (auto _ : state) {
    auto r = service.handleJson(request);
    if (r.status != 200) state.SkipWithError(r.body.c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ApiApprovalQuery100k)->Unit(benchmark::kMillisecond);

void BM_Import100k(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    Snapshot s = loopWorkspace(100000);
    Engine e;
    state.ResumeTiming();
    e.load(std::move(s));
    state.PauseTiming();
    e.confirmLast();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Import100k)->Unit(benchmark::kMillisecond)->Iterations(3);

// Service::restore of the storage rows of 10,000 records and their 10,000 open tasks: the
// browser's cold start, where the worker hands the engine its stored snapshot. Building and
// destroying the Service is not timed.
void BM_RestoreRows10k(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(10000));
  e.confirmLast();
  const std::string rows = ringi::api::storage::snapshotRowsText(e);
  for (auto _ : state) {
    state.PauseTiming();
    auto service = std::make_unique<ringi::api::Service>();
    state.ResumeTiming();
    auto r = service->restore(rows);
    state.PauseTiming();
    if (r.status != 200) state.SkipWithError(r.body.c_str());
    service.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * rows.size()));
  state.counters["rows_MB"] = static_cast<double>(rows.size()) / 1e6;
}
BENCHMARK(BM_RestoreRows10k)->Unit(benchmark::kMillisecond);

// snapshotRowsText of 10,000 records and their 10,000 open tasks: what the browser writes as its
// cold-start snapshot when idle, and the same row encoders every commit's ChangeSet uses.
void BM_SnapshotRows10k(benchmark::State& state) {
  Engine e;
  e.load(loopWorkspace(10000));
  e.confirmLast();
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string rows = ringi::api::storage::snapshotRowsText(e);
    bytes = rows.size();
    benchmark::DoNotOptimize(rows.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_SnapshotRows10k)->Unit(benchmark::kMillisecond);

// Bytes the allocator has handed out: unlike RSS, this does not depend on what glibc kept
// from earlier benchmarks in the same process.
double allocatedMb() { return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0); }

void BM_Memory100k(benchmark::State& state) {
  for (auto _ : state) {
    const double before = allocatedMb();
    auto e = std::make_unique<Engine>();
    e->load(loopWorkspace(100000));  // the snapshot is consumed by load
    e->confirmLast();
    state.counters["engine_MB"] = allocatedMb() - before;
  }
}
BENCHMARK(BM_Memory100k)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
