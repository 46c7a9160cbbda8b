// Service::snapshotRows (the worker's cold-start snapshot) and the row counts restore reports.
#include <cstdint>
#include <string>
#include <vector>

#include "api/storage_format.h"
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(ApiTest, SnapshotRowsRestoreTheSameEngineAndReportCounts) {
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json", json{{"app", 1}, {"id", 1}, {"action", "承認する"}}).status, 200);
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato"))).status, 200);

  std::string rows = svc.snapshotRows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows, api::storage::snapshotRowsText(svc.engine()));

  api::Service fresh;
  auto r = fresh.restore(rows);
  ASSERT_EQ(r.status, 200) << r.body;
  json counts = json::parse(r.body);
  json doc = json::parse(rows);
  for (const char* store : {"users", "organizations", "groups", "apps", "records", "tasks", "batches"})
    EXPECT_EQ(counts[store], doc.contains(store) ? doc[store].size() : 0u) << store;
  EXPECT_EQ(counts["records"], 3u);
  EXPECT_EQ(counts["batches"], 1u);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
  EXPECT_EQ(fresh.snapshotRows(), rows);
}

TEST_F(ApiTest, RestoreOfNothingReportsZeroCountsAndAFailedRestoreKeepsTheEngine) {
  api::Service fresh;
  auto r = fresh.restore("{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), (json{{"users", 0}, {"organizations", 0}, {"groups", 0}, {"apps", 0},
                                        {"records", 0}, {"tasks", 0}, {"batches", 0}}));

  std::string before = svc.snapshotRows();
  r = svc.restore("{\"records\": [{\"app\": 1, \"id\": 1");  // a torn snapshot
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["code"], "CB_IJ01");
  EXPECT_EQ(svc.snapshotRows(), before);
}

std::vector<std::string> pagedRows(api::Service& svc, size_t minBytes) {
  std::vector<std::string> pieces;
  svc.beginRows();
  for (std::string piece; !(piece = svc.nextRows(minBytes)).empty();) pieces.push_back(piece);
  return pieces;
}

std::string joined(const std::vector<std::string>& pieces) {
  std::string all;
  for (const auto& p : pieces) all += p;
  return all;
}

TEST_F(ApiTest, PagedRowsJoinToTheSnapshotRowsAtEveryPageSize) {
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato"))).status, 200);
  const std::string rows = svc.snapshotRows();
  const json doc = json::parse(rows);
  const size_t rowCount = doc["records"].size() + doc["tasks"].size() + doc["batches"].size();
  for (size_t minBytes : {size_t{0}, size_t{1}, size_t{50}, size_t{700}, rows.size(), SIZE_MAX}) {
    auto pieces = pagedRows(svc, minBytes);
    EXPECT_EQ(joined(pieces), rows) << minBytes;
    EXPECT_EQ(svc.nextRows(minBytes), "") << "stays at the end";
    if (minBytes <= 1) EXPECT_GT(pieces.size(), rowCount) << "one row (or store boundary) a piece";
    if (minBytes >= rows.size()) EXPECT_EQ(pieces.size(), 1u);
  }
  api::Service empty;
  EXPECT_EQ(joined(pagedRows(empty, 1)), empty.snapshotRows());
  EXPECT_EQ(json::parse(empty.snapshotRows()), (json{{"meta", {{{"key", "engine"}, {"nextAppId", 1}}}}}));
}

TEST_F(ApiTest, PagingEndsAtTheNextCallSoAPieceNeverMixesTwoStates) {
  svc.beginRows();
  ASSERT_FALSE(svc.nextRows(1).empty());
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json", json{{"app", 1}, {"id", 1}, {"action", "承認する"}}).status, 200);
  EXPECT_EQ(svc.nextRows(1), "");
  svc.beginRows();
  ASSERT_FALSE(svc.nextRows(1).empty());
  svc.revertLast();
  EXPECT_EQ(svc.nextRows(1), "");
  EXPECT_EQ(api::Service().nextRows(100), "") << "never begun";
}

TEST_F(ApiTest, PagedLoadAnswersLikeALoadAndLeavesItsRowsToThePager) {
  api::Service whole, paged;
  whole.engine().setClock([] { return int64_t{1700000000000}; });
  paged.engine().setClock([] { return int64_t{1700000000000}; });
  whole.engine().seedIds(7);
  paged.engine().seedIds(7);
  auto a = whole.load(workspace());
  auto b = paged.loadPaged(workspace());
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(b.body, a.body);
  EXPECT_EQ(json::parse(b.changes), (json{{"reset", true}, {"paged", true}}));
  EXPECT_EQ(json::parse(joined(pagedRows(paged, 64))), json::parse(a.changes)["put"]);

  // A bad document is the same error as load's, and changes nothing.
  const std::string before = paged.snapshotRows();
  auto bad = paged.loadPaged("{\"apps\": [");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["code"], "CB_IJ01");
  EXPECT_EQ(bad.changes, "");
  EXPECT_EQ(paged.snapshotRows(), before);
  auto wrong = paged.loadPaged(R"({"apps": 7})");
  EXPECT_EQ(wrong.status, whole.load(R"({"apps": 7})").status);
  EXPECT_EQ(paged.snapshotRows(), before);
}

}  // namespace ringi::apitest
