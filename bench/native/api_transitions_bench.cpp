// The wasm_vs_native workload, native side (bench/README.md "wasm_vs_native"). Run by
// bench/run.mjs:
//
//   RINGI_BENCH_WORKSPACE=ws.json RINGI_BENCH_REQUESTS=req.ndjson build/ringi_bench \
//     --benchmark_filter=ApiStatusTransitions --benchmark_repetitions=5 --benchmark_format=json
//
// Layer: the api Service with JSON, exactly what the wasm module's ringiCall wraps. Each repetition
// loads the workspace document (Service::load, untimed) and then times Service::handleJson over
// every line of the requests file (single status updates, PUT /k/v1/record/status.json), in
// order, after one untimed pass over them. bench/node/transitions.mjs does the same with the
// same two files through ringiCall.
// Without the two environment variables the benchmark is skipped (npm run bench:native).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/service.h"

namespace {

std::string readAll(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void BM_ApiStatusTransitions(benchmark::State& state) {
  const char* wsPath = std::getenv("RINGI_BENCH_WORKSPACE");
  const char* reqPath = std::getenv("RINGI_BENCH_REQUESTS");
  if (!wsPath || !reqPath) {
    state.SkipWithError("set RINGI_BENCH_WORKSPACE and RINGI_BENCH_REQUESTS (bench/run.mjs does)");
    for (auto _ : state) {
    }
    return;
  }
  static const std::string workspace = readAll(wsPath);
  static const std::vector<std::string> requests = [&] {
    std::vector<std::string> out;
    std::ifstream in(reqPath, std::ios::binary);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(line);
    return out;
  }();
  static ringi::api::Service service;  // one engine for every repetition, as in the wasm module
  int64_t failures = 0;
  // One untimed pass first, as the wasm side does (there it lets V8 optimise the hot code; here
  // it warms the caches and the allocator the same way).
  if (service.load(workspace).status != 200) state.SkipWithError("workspace did not load");
  for (const auto& req : requests) benchmark::DoNotOptimize(service.handleJson(req));
  for (auto _ : state) {
    state.PauseTiming();
    auto loaded = service.load(workspace);
    if (loaded.status != 200) state.SkipWithError("workspace did not load");
    state.ResumeTiming();
    for (const auto& req : requests) {
      auto r = service.handleJson(req);
      if (r.status != 200) ++failures;
      benchmark::DoNotOptimize(r);
    }
  }
  state.counters["transitions"] = static_cast<double>(requests.size());
  state.counters["failures"] = static_cast<double>(failures);
  state.counters["transitions/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * requests.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApiStatusTransitions)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
