// /k/v1/record.json and /k/v1/records.json.
#include "api/router.h"
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(ApiTest, GetRecordHasSystemFields) {
  auto c = call("sato", "GET", "/k/v1/record.json?app=1&id=1");
  ASSERT_EQ(c.status, 200) << c.body.dump();
  const json& r = c.body["record"];
  EXPECT_EQ(r["件名"], json({{"type", "SINGLE_LINE_TEXT"}, {"value", "出張"}}));
  EXPECT_EQ(r["金額"]["value"], "12000");
  EXPECT_EQ(r["$id"], json({{"type", "__ID__"}, {"value", "1"}}));
  EXPECT_EQ(r["$revision"]["value"], "3");
  EXPECT_EQ(r["ステータス"], json({{"type", "STATUS"}, {"value", "承認待ち"}}));
  EXPECT_EQ(r["作業者"]["value"], json::array({{{"code", "sato"}, {"name", "佐藤"}}}));
  EXPECT_EQ(r["作成者"]["type"], "CREATOR");
  EXPECT_EQ(r["レコード番号"]["value"], "1");
  EXPECT_TRUE(c.changes.empty());
  // the same through a guest path, a bare path and numbers given as numeric strings
  EXPECT_EQ(call("sato", "GET", "/k/v1/record?app=%221%22&id=1").status, 400);
  EXPECT_EQ(call("sato", "GET", "/k/v1/record?app=1&id=1").status, 200);
}

TEST_F(ApiTest, GetRecordErrorsInThreeLanguages) {
  expectError(call("smith", "GET", "/k/v1/record.json?app=1&id=99999"), 404, "GAIA_RE01",
              "The specified record (ID: 99999) is not found.");
  expectError(call("sato", "GET", "/k/v1/record.json?app=1&id=99999"), 404, "GAIA_RE01",
              "指定したレコード（id: 99999）が見つかりません。");
  expectError(call("li", "GET", "/k/v1/record.json?app=1&id=99999"), 404, "GAIA_RE01",
              "指定的记录（ID: 99999）不存在。");
  expectError(call("smith", "GET", "/k/v1/record.json?app=99999&id=1"), 404, "GAIA_AP01",
              "The app (ID: 99999) not found. The app may have been deleted.");
  expectError(call("sato", "GET", "/k/v1/record.json?app=99999&id=1"), 404, "GAIA_AP01",
              "指定したアプリ（id: 99999）が見つかりません。削除されている可能性があります。");
  expectError(call("li", "GET", "/k/v1/record.json?app=99999&id=1"), 404, "GAIA_AP01",
              "指定的应用（ID: 99999）不存在。该应用可能已被删除。");
  auto c = call("smith", "GET", "/k/v1/record.json?app=1");
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "id"), std::vector<std::string>{"Required field."});
}

TEST_F(ApiTest, AddAndUpdateRecord) {
  auto c = call(
      "smith", "POST", "/k/v1/record.json",
      json{{"app", 1}, {"record", {{"件名", {{"value", "文具"}}}, {"金額", {{"value", 300}}}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"id", "4"}, {"revision", "1"}}));
  EXPECT_FALSE(c.changes.empty());
  auto changes = json::parse(c.changes);
  EXPECT_FALSE(changes["reset"].get<bool>());
  ASSERT_TRUE(changes["put"].contains("records"));
  EXPECT_EQ(changes["put"]["records"][0]["id"], 4);
  EXPECT_EQ(changes["put"]["records"][0]["app"], 1);

  c = call(
      "smith", "PUT", "/k/v1/record.json",
      json{{"app", 1}, {"id", 4}, {"revision", 1}, {"record", {{"件名", {{"value", "文房具"}}}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"revision", "2"}}));
  expectError(
      call("sato", "PUT", "/k/v1/record.json",
           json{{"app", 1}, {"id", 4}, {"revision", 1}, {"record", json::object()}}),
      409, "GAIA_CO02",
      "指定したrevisionは最新ではありません。ほかのユーザーがレコードを更新した可能性があります。");
  expectError(call("smith", "PUT", "/k/v1/record.json",
                   json{{"app", 1}, {"id", 4}, {"record", {{"ステータス", {{"value", "完了"}}}}}}),
              400, "GAIA_UN10");
  auto bad = call("smith", "PUT", "/k/v1/record.json",
                  json{{"app", 1}, {"id", 4}, {"record", {{"件名", {{"value", {{"a", 1}}}}}}}});
  expectError(bad, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(bad, "record.件名.value").empty());
}

TEST_F(ApiTest, GetRecordsQueryFieldsTotalCount) {
  auto c = call(
      "sato", "GET",
      "/k/v1/records.json?app=1&query=%E9%87%91%E9%A1%8D%20%3E%201000%20order%20by%20%24id%20asc"
      "&fields[0]=%24id&fields[1]=%E4%BB%B6%E5%90%8D&totalCount=true");
  ASSERT_EQ(c.status, 200) << c.body.dump();
  ASSERT_EQ(c.body["records"].size(), 3u);
  EXPECT_EQ(c.body["records"][0].size(), 2u);
  EXPECT_EQ(c.body["records"][0]["$id"]["value"], "1");
  EXPECT_EQ(c.body["totalCount"], "3");
  c = call("sato", "GET", "/k/v1/records.json?app=1");
  EXPECT_TRUE(c.body["totalCount"].is_null());
  EXPECT_EQ(c.body["records"][0]["$id"]["value"], "3");  // default order: $id desc
  auto e = call("smith", "GET", "/k/v1/records.json?app=1&query=nosuch%20%3D%201");
  expectError(e, 400, "GAIA_IQ11", "Specified field (nosuch) not found.");
  e = call("smith", "GET", "/k/v1/records.json?app=1&query=limit%20501");
  expectError(e, 400, "GAIA_QU01", "limit must be 500 or less.");
  e = call("sato", "GET", "/k/v1/records.json?app=1&query=%28%28");
  expectError(e, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(e, "query"), std::vector<std::string>{"クエリ記法が間違っています。"});
}

// Record reads write their answer as text; where no text answer is taken (inside bulkRequest's
// handler loop) they fill the Json instead, and the two agree.
TEST_F(ApiTest, RecordReadsAnswerTheSameAsJsonWithoutARawBody) {
  for (const char* path : {"/k/v1/record.json", "/k/v1/records.json"}) {
    api::ParsedPath pp;
    ASSERT_TRUE(api::parsePath(path, &pp));
    api::Handler h = nullptr;
    ASSERT_EQ(api::route(pp.api, "GET", &h), api::RouteResult::ok);
    api::Ctx ctx{svc.engine(), "sato", domain::Locale::ja, std::nullopt};  // rawOut: null
    api::Json out;
    h(ctx, api::Json{{"app", 1}, {"id", 1}, {"query", "order by $id asc"}, {"totalCount", true}},
      out);
    auto c = call("sato", "GET",
                  std::string(path) + "?app=1&id=1&query=order%20by%20%24id%20asc&totalCount=true");
    ASSERT_EQ(c.status, 200);
    EXPECT_EQ(json::parse(out.dump()), c.body) << path;
  }
}

TEST_F(ApiTest, AddRecordsLimitAndAllOrNothing) {
  std::string before = svc.exportWorkspace();
  json recs = json::array();
  for (int i = 0; i < 101; ++i) recs.push_back({{"件名", {{"value", "r" + std::to_string(i)}}}});
  auto c = call("smith", "POST", "/k/v1/records.json", json{{"app", 1}, {"records", recs}});
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "records"),
            std::vector<std::string>{"A maximum of 100 records can be added at one time."});
  recs.erase(recs.begin());
  c = call("smith", "POST", "/k/v1/records.json", json{{"app", 1}, {"records", recs}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body["ids"].size(), 100u);
  EXPECT_EQ(c.body["revisions"][0], "1");
  EXPECT_EQ(c.body["ids"][0], "4");
  svc.load(before);
  recs = json::array({{{"件名", {{"value", "ok"}}}}, {{"ステータス", {{"value", "完了"}}}}});
  c = call("smith", "POST", "/k/v1/records.json", json{{"app", 1}, {"records", recs}});
  expectError(c, 400, "GAIA_UN10");
  EXPECT_EQ(svc.exportWorkspace(), before);
}

TEST_F(ApiTest, UpdateAndDeleteRecords) {
  auto c = call("smith", "PUT", "/k/v1/records.json",
                json{{"app", 1},
                     {"records",
                      {{{"id", 3}, {"record", {{"件名", {{"value", "A"}}}}}},
                       {{"id", "1"}, {"revision", 3}, {"record", json::object()}}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(
      c.body,
      json({{"records", {{{"id", "3"}, {"revision", "2"}}, {{"id", "1"}, {"revision", "4"}}}}}));
  std::string before = svc.exportWorkspace();
  c = call("smith", "PUT", "/k/v1/records.json",
           json{{"app", 1}, {"records", {{{"id", 3}, {"record", json::object()}}, {{"id", "x"}}}}});
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "records[1].id"), std::vector<std::string>{"Enter an integer value."});
  EXPECT_EQ(svc.exportWorkspace(), before);

  c = call("smith", "DELETE",
           "/k/v1/records.json?app=1&ids[0]=3&ids[1]=2&revisions[0]=2&revisions[1]=3");
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json::object());
  auto changes = json::parse(c.changes);
  EXPECT_EQ(changes["delete"]["records"].size(), 2u);
  expectError(call("smith", "GET", "/k/v1/record.json?app=1&id=3"), 404, "GAIA_RE01");
  json ids = json::array();
  for (int i = 1; i <= 101; ++i) ids.push_back(i);
  c = call("smith", "DELETE", "/k/v1/records.json", json{{"app", 1}, {"ids", ids}});
  EXPECT_EQ(messagesOf(c, "ids"),
            std::vector<std::string>{"A maximum of 100 records can be deleted at one time."});
  c = call("smith", "DELETE", "/k/v1/records.json?app=1&ids[0]=1&revisions[0]=1&revisions[1]=1");
  EXPECT_FALSE(messagesOf(c, "revisions").empty());
}

}  // namespace ringi::apitest

namespace ringi::apitest {

TEST_F(ApiTest, MoreQueryAndKeyErrors) {
  auto c = call("smith", "PUT", "/k/v1/record.json",
                json{{"app", 1},
                     {"updateKey", {{"field", "件名"}, {"value", "存在しない"}}},
                     {"record", json::object()}});
  expectError(c, 404, "GAIA_RE20");
  EXPECT_TRUE(c.changes.empty());
  c = call("smith", "PUT", "/k/v1/record.json", json{{"app", 1}, {"updateKey", "x"}});
  expectError(c, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(c, "updateKey").empty());
  expectError(call("smith", "GET", "/k/v1/records.json?app=1&query=offset%2010001"), 400,
              "GAIA_QU02", "offset must be 10000 or less.");
  auto q = call(
      "li", "GET",
      "/k/v1/"
      "records.json?app=1&query=%E3%82%B9%E3%83%86%E3%83%BC%E3%82%BF%E3%82%B9%20like%20%22x%22");
  expectError(q, 400, "GAIA_IQ03");
  EXPECT_EQ(q.body["message"], "字段（ステータス）不能使用指定的运算符。");
}

}  // namespace ringi::apitest
