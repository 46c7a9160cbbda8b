// kintone's record cursor API (cursor_handlers.cpp): the set is fixed when the cursor is made,
// pages follow the query's order, the last page ends the cursor, and kintone's limits and codes
// hold.
#include "api/api_fixture.h"

namespace ringi::apitest {
namespace {

class CursorTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // Records 4..10 with amounts 1000..7000, next to the fixture's 1..3 (12000, 200000, 5000).
    json records = json::array();
    for (int i = 1; i <= 7; ++i)
      records.push_back({{"金額", {{"value", std::to_string(i * 1000)}}}});
    ASSERT_EQ(
        call("sato", "POST", "/k/v1/records.json", json{{"app", 1}, {"records", records}}).status,
        200);
  }
  std::string open(const json& body, const std::string& user = "sato") {
    auto c = call(user, "POST", "/k/v1/records/cursor.json", body);
    EXPECT_EQ(c.status, 200) << c.body.dump();
    return c.body.value("id", "");
  }
  Call page(const std::string& id, const std::string& user = "sato") {
    return call(user, "GET", "/k/v1/records/cursor.json?id=" + id);
  }
  static std::vector<std::string> ids(const Call& c) {
    std::vector<std::string> out;
    for (const auto& r : c.body["records"]) out.push_back(r["$id"]["value"].get<std::string>());
    return out;
  }
};

TEST_F(CursorTest, PagesFollowTheQueryAndTheLastPageEndsTheCursor) {
  auto made = call("sato", "POST", "/k/v1/records/cursor.json",
                   json{{"app", 1},
                        {"query", "金額 < 10000 order by 金額 desc"},
                        {"size", 3},
                        {"fields", {"$id", "金額"}}});
  ASSERT_EQ(made.status, 200) << made.body.dump();
  EXPECT_EQ(made.body["totalCount"], "8");  // 5000 and 1000..7000
  const std::string id = made.body["id"];
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(made.changes.empty()) << "a cursor is read state, never stored";

  auto p1 = page(id);
  EXPECT_EQ(ids(p1), (std::vector<std::string>{"10", "9", "8"}));
  EXPECT_EQ(p1.body["next"], true);
  EXPECT_EQ(p1.body["records"][0].size(), 2u) << "only the fields asked for";
  EXPECT_EQ(ids(page(id)), (std::vector<std::string>{"3", "7", "6"}));  // a tie: $id desc
  auto last = page(id);
  EXPECT_EQ(ids(last), (std::vector<std::string>{"5", "4"}));
  EXPECT_EQ(last.body["next"], false);
  expectError(page(id), 404, "GAIA_CN01");
  expectError(call("sato", "DELETE", "/k/v1/records/cursor.json", json{{"id", id}}), 404,
              "GAIA_CN01");
}

TEST_F(CursorTest, TheSetIsFixedAtTheMakingAndValuesAreReadAtEachPage) {
  const std::string id = open(json{{"app", 1}, {"query", "order by $id asc"}, {"size", 500}});
  ASSERT_EQ(call("sato", "POST", "/k/v1/record.json", json{{"app", 1}}).status, 200);  // record 11
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record.json",
                 json{{"app", 1}, {"id", 4}, {"record", {{"金額", {{"value", "4444"}}}}}})
                .status,
            200);
  ASSERT_EQ(call("sato", "DELETE", "/k/v1/records.json", json{{"app", 1}, {"ids", {5}}}).status,
            200);
  auto p = page(id);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"1", "2", "3", "4", "6", "7", "8", "9", "10"}));
  EXPECT_EQ(p.body["records"][3]["金額"]["value"], "4444");
}

TEST_F(CursorTest, DeleteEndsItAndOnlyItsMakerMayUseIt) {
  const std::string id = open(json{{"app", 1}});
  expectError(page(id, "li"), 404, "GAIA_CN01");  // another user's is as unknown
  expectError(call("li", "DELETE", "/k/v1/records/cursor.json", json{{"id", id}}), 404,
              "GAIA_CN01");
  auto del = call("sato", "DELETE", "/k/v1/records/cursor.json", json{{"id", id}});
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(del.body, json::object());
  expectError(page(id), 404, "GAIA_CN01");
}

TEST_F(CursorTest, TenAtOnceThenGaiaTm12UntilOneEndsOrExpires) {
  std::vector<std::string> made;
  for (int i = 0; i < 10; ++i)
    made.push_back(open(json{{"app", 1}, {"size", 1}}, i % 2 ? "li" : "sato"));
  auto refused = call("sato", "POST", "/k/v1/records/cursor.json", json{{"app", 1}});
  expectError(refused, 429, "GAIA_TM12");
  ASSERT_EQ(call("sato", "DELETE", "/k/v1/records/cursor.json", json{{"id", made[0]}}).status, 200);
  made[0] = open(json{{"app", 1}, {"size", 1}});
  // Ten minutes after the making or the last read, a cursor is gone.
  clock += 9 * 60 * 1000;
  EXPECT_EQ(page(made[0]).status, 200);  // read: ten more minutes
  clock += 2 * 60 * 1000;
  expectError(page(made[2]), 404, "GAIA_CN01");
  EXPECT_EQ(page(made[0]).status, 200);
  open(json{{"app", 1}});  // the expired ones made room
}

TEST_F(CursorTest, BadRequestsAreRefusedAndMakeNothing) {
  const std::vector<json> bad = {
      json{{"query", ""}},            // app missing
      json{{"app", 1}, {"size", 0}},  // size 1..500
      json{{"app", 1}, {"size", 501}},
      json{{"app", 1}, {"size", "ten"}},
      json{{"app", 1}, {"query", "order by $id asc limit 10"}},  // no limit or offset
      json{{"app", 1}, {"query", "offset 3"}},
      json{{"app", 1}, {"query", "金額 >"}},  // syntax
      json{{"app", 1}, {"fields", "金額"}},   // not an array
      json{{"app", 1}, {"cursor", true}},     // unknown key
  };
  for (const auto& b : bad) {
    auto c = call("sato", "POST", "/k/v1/records/cursor.json", b);
    EXPECT_EQ(c.status, 400) << b.dump() << " -> " << c.body.dump();
  }
  EXPECT_EQ(messagesOf(call("sato", "POST", "/k/v1/records/cursor.json",
                            json{{"app", 1}, {"query", "limit 10"}}),
                       "query"),
            (std::vector<std::string>{
                "カーソルのクエリにはlimitとoffsetを指定できません。"}));  // sato: ja
  expectError(call("sato", "POST", "/k/v1/records/cursor.json", json{{"app", 99}}), 404,
              "GAIA_AP01");
  expectError(call("sato", "GET", "/k/v1/records/cursor.json"), 400, "CB_VA01");
  expectError(call("sato", "GET", "/k/v1/records/cursor.json?id=nope&x=1"), 400, "CB_VA01");
  expectError(page("00000000-0000-0000-0000-000000000000"), 404, "GAIA_CN01");
  // None of the refused ones took a place: ten can still be made.
  for (int i = 0; i < 10; ++i) open(json{{"app", 1}});
}

TEST_F(CursorTest, MessagesInEnglishJapaneseAndChinese) {
  auto en = call("smith", "GET", "/k/v1/records/cursor.json?id=x");
  EXPECT_EQ(en.body["message"], "The specified cursor does not exist or has already expired.");
  auto ja = send(api::Request{"sato", "GET", "/k/v1/records/cursor.json?id=x", "", std::nullopt,
                              domain::Locale::ja});
  EXPECT_EQ(ja.body["message"], "指定したカーソルは存在しないか、既に有効期限が切れています。");
  auto zh = send(api::Request{"sato", "GET", "/k/v1/records/cursor.json?id=x", "", std::nullopt,
                              domain::Locale::zh});
  EXPECT_EQ(zh.body["message"], "指定的游标不存在或已过期。");
}

TEST_F(CursorTest, ALoadEndsEveryCursor) {
  const std::string id = open(json{{"app", 1}});
  ASSERT_EQ(svc.load(workspace()).status, 200);
  expectError(page(id), 404, "GAIA_CN01");
}

}  // namespace
}  // namespace ringi::apitest
