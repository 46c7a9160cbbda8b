// Service::snapshotRows (the worker's cold-start snapshot) and the row counts restore reports.
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

}  // namespace ringi::apitest
