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

bool armed(Fault fault) { return armedFault == fault; }

void atWrite() {
  if (armedFault != Fault::nextWrite) return;
  armedFault = Fault::none;
  trap();
}

void atBatchRecord(int64_t record) {
  if (armedFault == Fault::batchRecord && record == armedArg) trap();
}

}  // namespace ringi::api::faults
