// The platform's clock and entropy, the only two things the domain asks of it (both replaceable:
// Engine::setClock, Engine::seedIds). Not std::chrono's clocks nor std::random_device: their
// errors are std::system_error, whose messages link printf into the wasm (api/json/writer.h).
#pragma once

#include <cstdint>

namespace ringi::domain {

// Milliseconds since the Unix epoch (timespec_get: the system clock; Date.now() in wasm).
int64_t systemNowMs();
// 64 random bits for seeding id generators (getentropy: the kernel; crypto.getRandomValues in
// wasm), or the clock's bits when the platform has none to give.
uint64_t randomSeed();
// splitmix64: the next 64 bits of the sequence `state` stands at (and advances it).
uint64_t splitmix64(uint64_t& state);

}  // namespace ringi::domain
