// The domain's two platform inputs: the clock and the seed of its ids (entropy.h).
#include "domain/entropy.h"

#include <gtest/gtest.h>

#include <set>

#include "fixture.h"

namespace {

using namespace ringi::domain;

// The task id an engine seeded by its constructor (not the fixture's fixed seed) mints first.
std::string firstTaskId() {
  Engine e;
  e.load(ringi::testing::expenseWorkspace());
  e.confirmLast();
  FieldValues v;
  v["件名"].text = "a";
  v["金額"].text = "1";
  e.addRecord("smith", 1, v);
  return e.openTasks("smith", 1).at(0).task->id();
}

TEST(Entropy, TheClockReadsTheSystemTimeInMilliseconds) {
  const int64_t t = systemNowMs();
  EXPECT_GT(t, int64_t{1767225600000});  // after 2026-01-01T00:00:00Z
  EXPECT_LT(t, int64_t{4102444800000});  // before 2100: milliseconds, not microseconds
  EXPECT_GE(systemNowMs(), t);
}

TEST(Entropy, SeedsDifferSoEnginesMintDifferentIds) {
  std::set<uint64_t> seeds;
  for (int i = 0; i < 64; ++i) seeds.insert(randomSeed());
  EXPECT_EQ(seeds.size(), 64u);
  // Two engines (two sessions over one stored state) must not mint the same task ids.
  const std::string first = firstTaskId();
  EXPECT_EQ(first.size(), 32u);
  EXPECT_NE(first, firstTaskId());
}

}  // namespace
