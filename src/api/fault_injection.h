// Test seam: makes the engine trap (wasm `unreachable`) in the middle of a write, as a stack
// overflow, an abort or running out of memory would, so tests can prove that the host ends such
// an engine instance and that nothing it did is acknowledged. Disarmed unless a test arms it
// through the module's `_ringi_test_fault` export (src/bindings); nothing a request carries (HTTP,
// kintone.api, the worker protocol) reaches it.
#pragma once

#include <cstdint>

namespace ringi::api::faults {

enum class Fault : int {
  none = 0,
  nextWrite = 1,    // the next write request traps after its handler ran, before it commits
  batchRecord = 2,  // every batch chunk that runs a task of record `arg` traps before it commits
};

void arm(Fault fault, int64_t arg);
bool armed(Fault fault);
// Called inside the open transaction of every write request, after its handler changed the engine.
void atWrite();
// Called inside a batch chunk's open transaction for the record of each task it ran.
void atBatchRecord(int64_t record);

}  // namespace ringi::api::faults
