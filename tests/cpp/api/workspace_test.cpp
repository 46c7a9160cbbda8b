// Workspace import/export identity, storage ChangeSets and restore, and "failures change nothing".
#include <cstdio>

#include "api/json_codec.h"
#include "api/storage_format.h"
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(ApiTest, ImportExportIsIdentity) {
  std::string first = svc.exportWorkspace();
  json doc = json::parse(first);
  EXPECT_EQ(doc["apps"][0]["records"].size(), 3u);
  EXPECT_EQ(doc["apps"][0]["status"],
            json::parse(fixture("expense_workspace.json"))["apps"][0]["status"]);
  api::Service other;
  other.engine().setClock([] { return int64_t{1}; });
  auto r = other.load(first);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(other.exportWorkspace(), first);
  // after some changes too
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  ASSERT_EQ(call("smith", "POST", "/k/v1/record.json",
                 json{{"app", 1}, {"record", {{"件名", {{"value", "新"}}}}}})
                .status,
            200);
  std::string second = svc.exportWorkspace();
  ASSERT_EQ(other.load(second).status, 200);
  EXPECT_EQ(other.exportWorkspace(), second);
}

TEST_F(ApiTest, LoadReportsResetChangesAndRestoreRoundTrips) {
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  auto ids = openTaskIds("sato");
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(ids)).status, 200);
  // a full snapshot of the current state: load(export) gives reset changes; use the engine rows
  std::string state = api::storage::snapshotRowsText(svc.engine());
  json parsed = json::parse(state);
  EXPECT_FALSE(parsed["records"][0]["tasks"].empty());  // tasks are in their records' rows
  EXPECT_TRUE(parsed.contains("batches"));
  EXPECT_EQ(parsed["meta"][0]["key"], "engine");

  api::Service fresh;
  auto r = fresh.restore(state);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
  EXPECT_EQ(api::storage::snapshotRowsText(fresh.engine()), state);
  EXPECT_TRUE(fresh.hasPendingBatches());

  api::Service loaded;
  auto l = loaded.load(fixture("expense_workspace.json"));
  ASSERT_EQ(l.status, 200);
  json changes = json::parse(l.changes);
  EXPECT_TRUE(changes["reset"].get<bool>());
  for (const char* store : {"users", "organizations", "groups", "apps", "records", "meta"}) {
    EXPECT_TRUE(changes["put"].contains(store)) << store;
  }
  EXPECT_EQ(changes["put"]["records"][0]["app"], 1);
  EXPECT_TRUE(changes["put"]["records"][0].contains("tasks"));
  api::Service restored;
  // (ordered_json: the rows keep each field's verbatim key order)
  ASSERT_EQ(restored.restore(nlohmann::ordered_json::parse(l.changes)["put"].dump()).status, 200);
  EXPECT_EQ(restored.exportWorkspace(), loaded.exportWorkspace());
}

TEST_F(ApiTest, BadWorkspacesAreRejectedAndChangeNothing) {
  std::string before = svc.exportWorkspace();
  auto r = svc.load("{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("CB_IJ01"), std::string::npos);
  r = svc.load("[1]");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("RINGI_WS01"), std::string::npos);
  r = svc.load(R"({"apps":[{"app":1,"records":[{"$id":{"value":"1"}},{"$id":{"value":"1"}}]}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = svc.load(R"({"apps":[{"app":1,"fields":{"x":{"type":"WHAT"}}}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("apps[0].fields.x.type"), std::string::npos) << r.body;
  EXPECT_TRUE(r.changes.empty());
  r = svc.restore("{\"records\": 5}");
  EXPECT_EQ(r.status, 400);
  // records are decoded one at a time after parsing; a bad one is still named exactly
  r = svc.load(R"({"apps":[{"app":1},{"records":[{"t":{"value":"a"}}, 7, [1]],"app":2}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("apps[1].records[1]"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("apps[1].records[2]"), std::string::npos) << r.body;
  // records that are not an array, and a syntax error inside a record (they are only checked,
  // not parsed, while the document is read)
  r = svc.load(R"({"apps":[{"app":1,"records":{"a":{"t":{"value":"x"}}}}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("apps[0].records"), std::string::npos) << r.body;
  r = svc.load(R"({"apps":[{"app":1,"records":[{"t":{"value":"x"}},{"t":{"value":"y"},}]}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("CB_IJ01"), std::string::npos) << r.body;
  EXPECT_EQ(svc.exportWorkspace(), before);
}

// A repeated key counts once, with its last value, as any JSON object read here does.
TEST_F(ApiTest, RepeatedAppsOrRecordsKeysKeepTheLastValue) {
  api::Service s2;
  const std::string app =
      R"("app":1,"locale":"en","fields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}})";
  auto r = s2.load(
      R"({"apps":[{)" + app + R"(,"records":[{"t":{"value":"first"}}]}],"apps":[{)" + app +
      R"(,"records":[{"t":{"value":"a"}}],"records":[{"t":{"value":"b"}},{"t":{"value":"c"}}]}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  json exported = json::parse(s2.exportWorkspace());
  ASSERT_EQ(exported["apps"].size(), 1u);
  ASSERT_EQ(exported["apps"][0]["records"].size(), 2u);
  EXPECT_EQ(exported["apps"][0]["records"][0]["t"]["value"], "b");
  EXPECT_EQ(exported["apps"][0]["records"][1]["t"]["value"], "c");
}

TEST_F(ApiTest, RecordsBeforeFieldsAndSeveralAppsLoadInOrder) {
  api::Service s2;
  auto r = s2.load(R"({"users":[{"code":"u","name":"U","locale":"en"}],"apps":[
      {"records":[{"t":{"value":"one"}},{"t":{"value":"two"}}],"app":1,"locale":"en",
       "fields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}}},
      {"app":2,"locale":"en","fields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}},
       "records":[{"$id":{"value":"7"},"t":{"value":"seven"}}]}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  json exported = json::parse(s2.exportWorkspace());
  ASSERT_EQ(exported["apps"][0]["records"].size(), 2u);
  EXPECT_EQ(exported["apps"][0]["records"][1]["t"]["value"], "two");
  EXPECT_EQ(exported["apps"][1]["records"][0]["$id"]["value"], "7");
  EXPECT_EQ(exported["apps"][1]["records"][0]["t"]["value"], "seven");
}

TEST_F(ApiTest, RecordsWithoutIdGetNextIdAndInitialStatus) {
  auto r = call("smith", "GET", "/k/v1/record.json?app=1&id=3");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["record"]["$revision"]["value"], "1");
  EXPECT_EQ(r.body["record"]["ステータス"]["value"], "未処理");
  EXPECT_EQ(r.body["record"]["作成者"]["value"]["code"], "smith");
  auto c = call("smith", "POST", "/k/v1/record.json", json{{"app", 1}});
  EXPECT_EQ(c.body["id"], "4");
}

TEST_F(ApiTest, RevertLastUndoesTheLastChange) {
  std::string before = svc.exportWorkspace();
  auto c = call("sato", "PUT", "/k/v1/record/status.json",
                json{{"app", 1}, {"id", 1}, {"action", "承認する"}});
  ASSERT_EQ(c.status, 200);
  EXPECT_NE(svc.exportWorkspace(), before);
  svc.revertLast();
  EXPECT_EQ(svc.exportWorkspace(), before);
}

TEST_F(ApiTest, RestoreRejectsMalformedRowsAndChangesNothing) {
  std::string before = svc.exportWorkspace();
  for (const char* bad : {"[1,2]", "{\"records\": 5}", "{\"records\": [1]}", "{\"users\": [",
                          "{\"apps\": [{\"app\": 1}], \"records\": [{\"app\": 9, \"id\": 1}]}"}) {
    auto r = svc.restore(bad);
    EXPECT_GE(r.status, 400) << bad;
    EXPECT_TRUE(r.changes.empty()) << bad;
    EXPECT_EQ(svc.exportWorkspace(), before) << bad;
  }
}

// isoTime (%04lld-%02u-%02uT...Z): years before 1000, before year 0 and after 9999, negative times,
// and every 4-digit year reads back through parseIsoTime.
TEST(IsoTime, MatchesThePrintfFormat) {
  const int64_t day = 86400000;
  for (int64_t ms :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{999}, int64_t{-1000}, int64_t{1795323424280},
        int64_t{951782400000} /* 2000-02-29 */, int64_t{-62135596800000} /* 0001-01-01 */,
        int64_t{-62135596800000} - day, int64_t{-62198755200000} /* year -1 */,
        int64_t{-30610224000000} /* 1000 */, int64_t{253402300799999} /* 9999-12-31T23:59:59 */,
        int64_t{253402300800000}, int64_t{3250368000000000}}) {
    const std::string got = api::codec::isoTime(ms);
    int64_t back = 0;
    if (ms >= -62135596800000 && ms < 253402300800000) {  // 4-digit years read back (to the second)
      EXPECT_TRUE(api::codec::parseIsoTime(got, &back) &&
                  back == (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) * 1000)
          << got;
    }
    // The reference: the same fields through snprintf, as isoTime did.
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    const std::string date = got.substr(0, got.find('T'));
    char ref[64];
    std::snprintf(ref, sizeof ref, "T%02d:%02d:%02dZ", static_cast<int>(rem / 3600),
                  static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
    EXPECT_EQ(got.substr(got.find('T')), ref) << ms;
    EXPECT_GE(date.size(), 10u) << got;
  }
  EXPECT_EQ(api::codec::isoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(api::codec::isoTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(api::codec::isoTime(951782400000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(api::codec::isoTime(-62135596800000), "0001-01-01T00:00:00Z");
  EXPECT_EQ(api::codec::isoTime(-30610224000000), "1000-01-01T00:00:00Z");
  EXPECT_EQ(api::codec::isoTime(-62198755200000), "-001-01-01T00:00:00Z");
  EXPECT_EQ(api::codec::isoTime(253402300800000), "10000-01-01T00:00:00Z");
}

}  // namespace ringi::apitest
