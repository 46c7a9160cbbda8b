// domain::overlay: newer rows replace older rows by key and add the ones the older state lacks.
#include "domain/snapshot_overlay.h"

#include <gtest/gtest.h>

#include "domain/task_key.h"

namespace ringi::domain {
namespace {

Record record(int64_t app, int64_t id, int64_t revision) {
  Record r;
  r.app = app;
  r.id = id;
  r.revision = revision;
  return r;
}

Task task(uint64_t lo, const std::string& status) {
  Task t;
  t.key = TaskKey{0, lo};
  t.status = status;
  return t;
}

TEST(SnapshotOverlay, NewerRowsReplaceTheirKeysAndAddTheRestWhileOthersStay) {
  Snapshot base;
  base.users = {User{"sato", "佐藤"}, User{"li", "李"}};
  base.apps.resize(1);
  base.apps[0].id = 1;
  base.apps[0].name = "old";
  base.records = {record(1, 1, 1), record(1, 2, 1), record(2, 1, 1)};
  base.tasks = {task(1, "open"), task(2, "open")};
  base.batches.resize(1);
  base.batches[0].number = "b1";
  base.nextAppId = 3;

  Snapshot newer;
  newer.users = {User{"li", "李 (new)"}, User{"tanaka", "田中"}};
  newer.apps.resize(1);
  newer.apps[0].id = 1;
  newer.apps[0].name = "new";
  newer.records = {record(1, 2, 5), record(1, 3, 1)};  // (2, 1) differs from (1, 2) only by order
  newer.tasks = {task(2, "closed"), task(3, "open")};
  newer.batches.resize(1);
  newer.batches[0].number = "b2";
  newer.nextAppId = 2;

  overlay(base, std::move(newer));
  ASSERT_EQ(base.users.size(), 3u);
  EXPECT_EQ(base.users[0].code, "sato");
  EXPECT_EQ(base.users[1].name, "李 (new)");
  EXPECT_EQ(base.users[2].code, "tanaka");
  ASSERT_EQ(base.apps.size(), 1u);
  EXPECT_EQ(base.apps[0].name, "new");
  ASSERT_EQ(base.records.size(), 4u);
  EXPECT_EQ(base.records[0].id, 1);
  EXPECT_EQ(base.records[1].app, 2) << "record 1 of app 2 is not record 2 of app 1";
  EXPECT_EQ(base.records[2].id, 2);
  EXPECT_EQ(base.records[2].revision, 5);
  EXPECT_EQ(base.records[3].id, 3);
  ASSERT_EQ(base.tasks.size(), 3u);
  EXPECT_EQ(base.tasks[0].status, "open");
  EXPECT_EQ(base.tasks[1].key.lo, 2u);
  EXPECT_EQ(base.tasks[1].status, "closed");
  ASSERT_EQ(base.batches.size(), 2u);
  EXPECT_EQ(base.nextAppId, 3) << "the larger counter wins";
}

TEST(SnapshotOverlay, AnEmptyOverlayChangesNothing) {
  Snapshot base;
  base.records = {record(1, 1, 4)};
  overlay(base, Snapshot{});
  ASSERT_EQ(base.records.size(), 1u);
  EXPECT_EQ(base.records[0].revision, 4);
}

}  // namespace
}  // namespace ringi::domain
