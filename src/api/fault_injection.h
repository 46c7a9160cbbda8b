// Test seam: makes the engine trap (wasm `unreachable`) in the middle of a write, as a stack
// overflow, an abort or running out of memory would, so tests can prove that the host ends such
// an engine instance and that nothing it did is acknowledged. Disarmed unless a test arms it
// through the module's `_ringi_test_fault` export (src/bindings); nothing a request carries (HTTP,
// kintone.api, the worker protocol) reaches it.
#pragma once

#include <cstdint>

#include "domain/engine.h"

namespace ringi::api::faults {

enum class Fault : int {
  none = 0,
  nextWrite = 1,    // the next write request traps after its handler ran, before it commits
  batchRecord = 2,  // every batch chunk that changes record `arg` (of the first app that has
                    // one) traps before it commits
};

void arm(Fault fault, int64_t arg);
// Called inside the open transaction of every write request, after its handler changed the engine.
void atWrite();
// Around a batch chunk: the watched record's revision before it (-1: nothing armed), then,
// inside the chunk's open transaction, a trap if the chunk changed that record.
int64_t watchedRevision(const domain::Engine& engine);
void atBatchStep(const domain::Engine& engine, int64_t revisionBefore);

}  // namespace ringi::api::faults
