#include "api/fault_injection.h"

namespace ringi::api::faults {
namespace {
Fault armedFault = Fault::none;
int64_t armedArg = 0;

[[noreturn]] void trap() { __builtin_trap(); }
}  // namespace

void arm(Fault fault, int64_t arg) {
  armedFault = fault;
  armedArg = arg;
}

void atWrite() {
  if (armedFault != Fault::nextWrite) return;
  armedFault = Fault::none;
  trap();
}

namespace {
const domain::Record* watched(const domain::Engine& engine) {
  if (armedFault != Fault::batchRecord) return nullptr;
  for (const domain::App* a : engine.apps())
    if (const domain::Record* r = engine.findRecord(a->id, armedArg)) return r;
  return nullptr;
}
}  // namespace

int64_t watchedRevision(const domain::Engine& engine) {
  const domain::Record* r = watched(engine);
  return r ? r->revision : -1;
}

void atBatchStep(const domain::Engine& engine, int64_t revisionBefore) {
  if (revisionBefore < 0) return;
  const domain::Record* r = watched(engine);
  if (r && r->revision != revisionBefore) trap();
}

}  // namespace ringi::api::faults
