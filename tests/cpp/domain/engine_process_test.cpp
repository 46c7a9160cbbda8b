#include <gtest/gtest.h>

#include "fixture.h"

using namespace ringi::testing;

namespace {

std::string codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "no error";
}

TEST(Records, NewRecordStartsInInitialStatusAssignedToCreator) {
  Fixture f;
  auto [id, rev] = f.engine.addRecord("smith", 1, f.values("出張", "1200"));
  EXPECT_EQ(id, 1);
  EXPECT_EQ(rev, 1);
  const Record& r = f.engine.record("smith", 1, id);
  EXPECT_EQ(r.status, "未処理");
  EXPECT_EQ(r.assignees, std::vector<std::string>{"smith"});
  ASSERT_EQ(f.engine.openTasks("smith", 1).size(), 1u);
  EXPECT_EQ(f.engine.openTasks("smith", 1)[0].task->id().size(), 32u);
}

TEST(Records, UpdateAddsOneToRevisionAndChecksIt) {
  Fixture f;
  int64_t id = f.engine.addRecord("smith", 1, f.values("a", "1")).first;
  EXPECT_EQ(f.engine.updateRecord("smith", 1, id, f.values("b", "2"), 1), 2);
  EXPECT_EQ(codeOf([&] { f.engine.updateRecord("smith", 1, id, f.values("c", "3"), 1); }),
            "GAIA_CO02");
  EXPECT_EQ(f.engine.record("smith", 1, id).values.at("件名").text, "b");
}

TEST(Records, ValidationRejectsBadValuesAndStatusWrites) {
  Fixture f;
  EXPECT_EQ(codeOf([&] { f.engine.addRecord("smith", 1, f.values("x", "12a")); }), "CB_VA01");
  FieldValues bad;
  bad["種別"].text = "食費";
  EXPECT_EQ(codeOf([&] { f.engine.addRecord("smith", 1, bad); }), "CB_VA01");
  FieldValues status;
  status["ステータス"].text = "完了";
  EXPECT_EQ(codeOf([&] { f.engine.addRecord("smith", 1, status); }), "GAIA_UN10");
  EXPECT_EQ(codeOf([&] { f.engine.addRecord("smith", 9, {}); }), "GAIA_AP01");
  EXPECT_TRUE(f.engine.allRecords(1).empty());
}

TEST(Status, ActionAddsTwoToRevisionAndMovesTasks) {
  Fixture f;
  int64_t id = f.engine.addRecord("smith", 1, f.values("出張", "5000")).first;
  std::string draftTask = f.openTaskOf("smith", id);
  EXPECT_EQ(f.engine.changeStatus("smith", 1, StatusRequest{id, "申請する", std::nullopt, 1}), 3);
  const Record& r = f.engine.record("smith", 1, id);
  EXPECT_EQ(r.status, "承認待ち");
  // ANY over sato and the sales organization including its sub-organization (li, kato)
  EXPECT_EQ(r.assignees, (std::vector<std::string>{"sato", "li", "kato"}));
  EXPECT_EQ(f.engine.findTask(draftTask)->state, TaskState::closed);
  EXPECT_EQ(f.engine.findTask(draftTask)->closedBy, "smith");
  EXPECT_FALSE(f.openTaskOf("kato", id).empty());
  ASSERT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.history[1].action, "申請する");
}

TEST(Status, AnyAssigneeClosesEveryonesTask) {
  Fixture f;
  int64_t id = f.pending();
  std::string liTask = f.openTaskOf("li", id);
  f.engine.changeStatus("sato", 1, StatusRequest{id, "承認する", "tanaka", std::nullopt});
  EXPECT_EQ(f.engine.findTask(liTask)->state, TaskState::closed);
  EXPECT_EQ(f.engine.findTask(liTask)->closedBy, "sato");
  EXPECT_TRUE(f.engine.openTasks("li", 1).empty());
}

TEST(Status, OneRequiresAssigneeFromCandidates) {
  Fixture f;
  int64_t id = f.pending();
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "承認する", std::nullopt, std::nullopt});
            }),
            "GAIA_SA01");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "承認する", "nobody", {}});
            }),
            "GAIA_IL26");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "承認する", "li", {}});
            }),
            "RINGI_SA01");
  EXPECT_EQ(f.engine.record("sato", 1, id).status, "承認待ち");
  EXPECT_EQ(f.engine.changeStatus("sato", 1, {id, "承認する", "tanaka", {}}), 5);
  EXPECT_EQ(f.engine.record("sato", 1, id).assignees, std::vector<std::string>{"tanaka"});
}

TEST(Status, AssigneeForAnyStatusIsRefused) {
  Fixture f;
  int64_t id = f.engine.addRecord("smith", 1, f.values("出張", "5000")).first;
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("smith", 1, {id, "申請する", "sato", {}});
            }),
            "GAIA_SA04");
}

TEST(Status, OnlyAssigneesMayAct) {
  Fixture f;
  int64_t id = f.pending();
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("smith", 1, {id, "差し戻す", "smith", {}});
            }),
            "GAIA_NT01");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("tanaka", 1, {id, "承認する", "tanaka", {}});
            }),
            "GAIA_NT01");
}

TEST(Status, SecondaryActionByExecutableUser) {
  Fixture f;
  int64_t id = f.pending();
  // admin is not an assignee but is in executableUser; back to 未処理 needs the creator chosen
  EXPECT_EQ(f.engine.changeStatus("admin", 1, {id, "取り消す", "smith", {}}), 5);
  EXPECT_EQ(f.engine.record("admin", 1, id).status, "未処理");
  int64_t other = f.pending();
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("tanaka", 1, {other, "取り消す", "smith", {}});
            }),
            "GAIA_NT01");
}

TEST(Status, FilterCondBlocksAction) {
  Fixture f;
  int64_t id = f.pending("smith", "150000");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "承認する", "tanaka", {}});
            }),
            "GAIA_IL03");
}

TEST(Status, UnknownActionRevisionAndRecordErrors) {
  Fixture f;
  int64_t id = f.pending();
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "完了する", {}, {}});
            }),
            "GAIA_IL03");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {id, "承認する", "tanaka", 1});
            }),
            "GAIA_CO02");
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("sato", 1, {999, "承認する", "tanaka", {}});
            }),
            "GAIA_RE01");
  EXPECT_EQ(f.engine.changeStatus("sato", 1, {id, "承認する", "tanaka", -1}), 5);
}

TEST(Status, DisabledProcessManagement) {
  Fixture f;
  int64_t id = f.engine.addRecord("smith", 1, f.values("x", "1")).first;
  ProcessSettings off = f.engine.app(1).process;
  off.enable = false;
  f.engine.updatePreviewProcess(1, off, std::nullopt);
  f.engine.deploy({{1, std::nullopt}}, false);
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("smith", 1, {id, "申請する", {}, {}});
            }),
            "GAIA_ST02");
}

TEST(Status, FirstEnableMovesExistingRecordsIntoTheInitialStatus) {
  Snapshot s = expenseWorkspace();
  ProcessSettings configured = s.apps[0].process;
  s.apps[0].process = s.apps[0].previewProcess = ProcessSettings{};  // never enabled
  Engine e;
  e.load(s);
  int64_t id = e.addRecord("smith", 1, {}).first;
  EXPECT_TRUE(e.record("x", 1, id).status.empty());
  EXPECT_EQ(codeOf([&] { e.changeStatus("smith", 1, {id, "申請する", {}, {}}); }), "GAIA_ST02");
  e.updatePreviewProcess(1, configured, std::nullopt);
  EXPECT_TRUE(e.record("x", 1, id).status.empty());  // preview only until deployed
  e.deploy({{1, std::nullopt}}, false);
  EXPECT_EQ(e.record("x", 1, id).status, "未処理");
  EXPECT_EQ(e.record("x", 1, id).assignees, std::vector<std::string>{"smith"});
  EXPECT_EQ(e.openTasks("smith", 1).size(), 1u);
  EXPECT_EQ(e.changeStatus("smith", 1, {id, "申請する", {}, {}}), 3);
}

TEST(Status, AllNeedsEveryAssignee) {
  Fixture f;
  int64_t id = f.pending();
  f.engine.changeStatus("sato", 1, {id, "承認する", "tanaka", {}});
  f.engine.changeStatus("tanaka", 1, {id, "承認する", {}, {}});
  EXPECT_EQ(f.engine.record("x", 1, id).status, "全員確認");
  EXPECT_EQ(f.engine.record("x", 1, id).assignees, (std::vector<std::string>{"tanaka", "suzuki"}));
  EXPECT_EQ(f.engine.changeStatus("suzuki", 1, {id, "確認する", {}, {}}), 9);
  EXPECT_EQ(f.engine.record("x", 1, id).status, "全員確認");  // tanaka has not acted yet
  EXPECT_EQ(f.engine.record("x", 1, id).assignees, std::vector<std::string>{"tanaka"});
  EXPECT_TRUE(f.openTaskOf("suzuki", id).empty());
  EXPECT_EQ(codeOf([&] {
              f.engine.changeStatus("suzuki", 1, {id, "確認する", {}, {}});
            }),
            "GAIA_NT01");
  EXPECT_EQ(f.engine.changeStatus("tanaka", 1, {id, "確認する", {}, {}}), 11);
  EXPECT_EQ(f.engine.record("x", 1, id).status, "完了");
  EXPECT_TRUE(f.engine.record("x", 1, id).assignees.empty());
}

TEST(Assignees, ReplaceCollapseAndLimitToOneForOneStatus) {
  Fixture f;
  int64_t id = f.pending();
  EXPECT_EQ(f.engine.setAssignees("admin", 1, id, {"tanaka", "tanaka", "suzuki"}, 3), 4);
  EXPECT_EQ(f.engine.record("x", 1, id).assignees, (std::vector<std::string>{"tanaka", "suzuki"}));
  EXPECT_TRUE(f.openTaskOf("sato", id).empty());
  EXPECT_FALSE(f.openTaskOf("suzuki", id).empty());
  EXPECT_EQ(codeOf([&] { f.engine.setAssignees("admin", 1, id, {"ghost"}, {}); }), "GAIA_IL26");
  int64_t draft = f.engine.addRecord("smith", 1, f.values("x", "1")).first;
  EXPECT_EQ(codeOf([&] {
              f.engine.setAssignees("admin", 1, draft, {"sato", "li"}, {});
            }),
            "GAIA_TO02");
}

TEST(Transactions, FailureLeavesEverythingAsItWas) {
  Fixture f;
  int64_t a = f.pending();
  int64_t b = f.pending("smith", "200000");
  Snapshot before = f.engine.snapshot();
  {
    auto tx = f.engine.begin();
    f.engine.changeStatus("sato", 1, {a, "承認する", "tanaka", {}});
    EXPECT_THROW(f.engine.changeStatus("sato", 1, {b, "承認する", "tanaka", {}}), Error);
  }  // destroyed without commit: rolled back
  Snapshot after = f.engine.snapshot();
  EXPECT_EQ(after.records.size(), before.records.size());
  EXPECT_EQ(f.engine.record("x", 1, a).revision, 3);
  EXPECT_EQ(f.engine.record("x", 1, a).status, "承認待ち");
  EXPECT_EQ(after.tasks.size(), before.tasks.size());
  EXPECT_FALSE(f.openTaskOf("li", a).empty());
}

TEST(Transactions, ChangeSetNamesExactlyWhatChanged) {
  Fixture f;
  int64_t a = f.pending();
  auto tx = f.engine.begin();
  f.engine.changeStatus("sato", 1, {a, "承認する", "tanaka", {}});
  ChangeSet c = tx.commit();
  EXPECT_EQ(c.records, (std::vector<RecordKey>{{1, a}}));
  EXPECT_TRUE(c.apps.empty());
  EXPECT_EQ(c.tasks.size(), 4u);  // sato, li, kato closed; tanaka opened
  EXPECT_FALSE(c.reset);
}

TEST(Transactions, EverythingOneTransactionWritesCarriesOneTime) {
  Fixture f;
  int64_t a = f.pending();
  int64_t reads = 0;
  f.engine.setClock([&] { return 1'800'000'000'000 + 1000 * ++reads; });  // later on every read
  {
    auto tx = f.engine.begin();
    f.engine.changeStatus("sato", 1, {a, "承認する", "tanaka", {}});
    tx.commit();
  }
  EXPECT_EQ(reads, 1);
  const int64_t t = 1'800'000'000'000 + 1000;
  const Record& r = f.engine.record("x", 1, a);
  EXPECT_EQ(r.updatedAt, t);
  EXPECT_EQ(r.history.back().at, t);
  int closed = 0, opened = 0;
  for (const Task& task : f.engine.snapshot().tasks) {
    if (task.record != a) continue;
    if (task.state == TaskState::closed && task.closedAt == t) ++closed;
    if (task.state == TaskState::open && task.openedAt == t && task.assignee == "tanaka") ++opened;
  }
  EXPECT_EQ(closed, 3);  // sato, li, kato
  EXPECT_EQ(opened, 1);
  // The next transaction reads the clock again; outside one, every read does.
  {
    auto tx = f.engine.begin();
    f.engine.changeStatus("tanaka", 1, {a, "承認する", std::nullopt, {}});
    tx.commit();
  }
  EXPECT_EQ(f.engine.record("x", 1, a).updatedAt, t + 1000);
  EXPECT_EQ(f.engine.now(), t + 2000);
  EXPECT_EQ(f.engine.now(), t + 3000);
}

TEST(Transactions, RevertLastUndoesACommittedChange) {
  Fixture f;
  int64_t a = f.pending();
  auto tx = f.engine.begin();
  f.engine.changeStatus("sato", 1, {a, "承認する", "tanaka", {}});
  tx.commit();
  ChangeSet reverted = f.engine.revertLast();
  EXPECT_EQ(reverted.records.size(), 1u);
  EXPECT_EQ(f.engine.record("x", 1, a).status, "承認待ち");
  EXPECT_FALSE(f.openTaskOf("sato", a).empty());
  EXPECT_TRUE(f.openTaskOf("tanaka", a).empty());
  EXPECT_TRUE(f.engine.revertLast().empty());
}

// A status change keeps no copy of the field values in its undo image (Touch::process): a revert
// must still give back the record whole, also when a value update in the same transaction (a full
// image) comes before or after it.
TEST(Transactions, RevertLastRestoresValuesAndProcessFieldsTogether) {
  for (bool updateFirst : {true, false}) {
    Fixture f;
    int64_t a = f.pending();
    f.engine.confirmLast();
    const Record before = f.engine.record("x", 1, a);
    auto tx = f.engine.begin();
    if (updateFirst) f.engine.updateRecord("sato", 1, a, f.values("changed", "9"), std::nullopt);
    f.engine.changeStatus("sato", 1, {a, "承認する", "tanaka", {}});
    f.engine.setAssignees("tanaka", 1, a, {"suzuki"}, std::nullopt);
    if (!updateFirst) f.engine.updateRecord("suzuki", 1, a, f.values("changed", "9"), std::nullopt);
    tx.commit();
    ASSERT_EQ(f.engine.record("x", 1, a).values.at("件名").text, "changed");
    f.engine.revertLast();
    const Record& after = f.engine.record("x", 1, a);
    EXPECT_EQ(after.values.at("件名").text, before.values.at("件名").text) << updateFirst;
    EXPECT_EQ(after.values.at("金額").text, before.values.at("金額").text) << updateFirst;
    EXPECT_EQ(after.status, before.status);
    EXPECT_EQ(after.assignees, before.assignees);
    EXPECT_EQ(after.revision, before.revision);
    EXPECT_EQ(after.modifier, before.modifier);
    EXPECT_EQ(after.history.size(), before.history.size());
    EXPECT_FALSE(f.openTaskOf("sato", a).empty());
    EXPECT_TRUE(f.openTaskOf("suzuki", a).empty());
  }
}

// A load keeps one image of the whole previous state (no per-task images while it derives
// tasks): reverting it brings back the old records and open tasks, and the new ones are gone.
TEST(Transactions, RevertLastUndoesALoadWithDerivedTasks) {
  Fixture f;
  int64_t a = f.pending();
  const std::string task = f.openTaskOf("sato", a);
  f.engine.confirmLast();
  Snapshot s = expenseWorkspace();
  for (int64_t id = 1; id <= 3; ++id) {
    Record r;
    r.app = 1;
    r.id = id;
    r.status = "承認待ち";
    r.assignees = {"tanaka"};
    s.records.push_back(r);
  }
  ASSERT_TRUE(f.engine.openTasks("tanaka", 1).empty());
  auto tx = f.engine.begin();
  f.engine.load(s);
  tx.commit();
  EXPECT_EQ(f.engine.openTasks("tanaka", 1).size(), 3u);
  EXPECT_TRUE(f.engine.revertLast().reset);
  EXPECT_TRUE(f.engine.openTasks("tanaka", 1).empty());
  EXPECT_EQ(f.engine.allRecords(1).size(), 1u);
  EXPECT_EQ(f.openTaskOf("sato", a), task);
  EXPECT_EQ(f.engine.findTask(task)->state, TaskState::open);
}

TEST(Records, DeleteMarksTasksDeleted) {
  Fixture f;
  int64_t a = f.pending();
  std::string task = f.openTaskOf("sato", a);
  EXPECT_EQ(codeOf([&] { f.engine.deleteRecords("x", 1, {a}, {1}); }), "GAIA_CO02");
  f.engine.deleteRecords("x", 1, {a}, {});
  EXPECT_EQ(f.engine.findRecord(1, a), nullptr);
  EXPECT_EQ(f.engine.findTask(task)->state, TaskState::deleted);
  EXPECT_TRUE(f.engine.openTasks("sato", 1).empty());
}

TEST(Workspace, SnapshotLoadsBackIdentically) {
  Fixture f;
  f.pending();
  f.pending("li", "300");
  Snapshot s = f.engine.snapshot();
  Engine copy;
  copy.load(s);
  Snapshot t = copy.snapshot();
  ASSERT_EQ(t.records.size(), s.records.size());
  ASSERT_EQ(t.tasks.size(), s.tasks.size());
  for (size_t i = 0; i < s.tasks.size(); ++i) EXPECT_EQ(t.tasks[i].id(), s.tasks[i].id());
  EXPECT_EQ(t.records[1].assignees, s.records[1].assignees);
  EXPECT_EQ(copy.addRecord("x", 1, {}).first, 3);
}

TEST(Workspace, RecordsWithoutTasksGetThemDerived) {
  Snapshot s = expenseWorkspace();
  Record r;
  r.app = 1;
  r.id = 7;
  r.revision = 5;
  r.status = "承認待ち";
  r.assignees = {"sato", "li"};
  s.records.push_back(r);
  Engine e;
  e.load(s);
  EXPECT_EQ(e.openTasks("sato", 1).size(), 1u);
  EXPECT_EQ(e.record("sato", 1, 7).revision, 5);
  EXPECT_EQ(e.addRecord("sato", 1, {}).first, 8);
}

TEST(Workspace, InconsistentInputIsRejectedAndChangesNothing) {
  Fixture f;
  f.pending();
  Snapshot bad = expenseWorkspace();
  Record good;  // loads, and gets an open task derived, before the bad record stops the load
  good.app = 1;
  good.id = 5;
  good.status = "承認待ち";
  good.assignees = {"tanaka"};
  bad.records.push_back(good);
  Record r;
  r.app = 1;
  r.id = 1;
  r.status = "存在しない";
  bad.records.push_back(r);
  const std::string task = f.openTaskOf("sato", 1);
  EXPECT_EQ(codeOf([&] { f.engine.load(bad); }), "RINGI_WS01");
  EXPECT_EQ(f.engine.allRecords(1).size(), 1u);
  EXPECT_EQ(f.engine.record("x", 1, 1).status, "承認待ち");
  EXPECT_EQ(f.openTaskOf("sato", 1), task);
  EXPECT_TRUE(f.engine.openTasks("tanaka", 1).empty());
}

}  // namespace
