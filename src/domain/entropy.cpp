#include "domain/entropy.h"

// <stddef.h> before <sys/random.h> (clang-format keeps the order: alphabetical): emscripten's
// <sys/random.h> uses size_t without including it.
#include <stddef.h>
#include <sys/random.h>

#include <ctime>

namespace ringi::domain {

int64_t systemNowMs() {
  std::timespec ts{};
  std::timespec_get(&ts, TIME_UTC);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

uint64_t randomSeed() {
  uint64_t seed = 0;
  if (getentropy(&seed, sizeof seed) != 0)
    seed = static_cast<uint64_t>(systemNowMs()) * 0x9e3779b97f4a7c15ULL;
  return seed;
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace ringi::domain
