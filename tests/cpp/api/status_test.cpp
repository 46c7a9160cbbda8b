// Process management: record/status, records/status, record/assignees; seed 003 examples.
#include <algorithm>

#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(Seed003Test, SingleStatusChangeGivesRevision3) {
  auto c = call(
      "Administrator", "PUT", "/k/v1/record/status.json",
      json{{"app", 1}, {"id", 1001}, {"action", "申请"}, {"assignee", "user2"}, {"revision", 1}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"revision", "3"}}));
  // One row: the record, with its tasks (the closed one and the one opened for user2).
  auto changes = json::parse(c.changes);
  ASSERT_EQ(changes["put"]["records"].size(), 1u);
  EXPECT_FALSE(changes["put"].contains("tasks"));
  const json& tasks = changes["put"]["records"][0]["tasks"];
  ASSERT_GE(tasks.size(), 2u) << tasks.dump();
  EXPECT_EQ(tasks.back()["assignee"], "user2");
  EXPECT_EQ(tasks.back()["state"], "open");
  EXPECT_FALSE(tasks.back().contains("record"));
}

TEST_F(Seed003Test, BulkStatusExample) {
  auto c = call("Administrator", "PUT", "/k/guest/3/v1/records/status.json",
                json{{"app", 1},
                     {"records",
                      {{{"id", 1001}, {"action", "申请"}, {"assignee", "user2"}, {"revision", 1}},
                       {{"id", 1002}, {"action", "批准"}},
                       {{"id", 1003}, {"action", "拒绝"}, {"revision", 5}}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(
      c.body,
      json::parse(
          R"({"records":[{"id":"1001","revision":"3"},{"id":"1002","revision":"9"},{"id":"1003","revision":"7"}]})"));
}

TEST_F(Seed003Test, BulkStatusIsAllOrNothing) {
  std::string before = svc.exportWorkspace();
  auto c = call("Administrator", "PUT", "/k/v1/records/status.json",
                json{{"app", 1},
                     {"records",
                      {{{"id", 1002}, {"action", "批准"}},
                       {{"id", 1003}, {"action", "拒绝"}, {"revision", 4}}}}});
  expectError(c, 409, "GAIA_CO02", "指定的revision不是最新的。其他用户可能已更新了记录。");
  EXPECT_EQ(svc.exportWorkspace(), before);
}

TEST_F(ApiTest, HundredAndOneStatusRecordsIsCBVA01InUserLocale) {
  json recs = json::array();
  for (int i = 0; i < 101; ++i) recs.push_back({{"id", 1}, {"action", "承認する"}});
  auto c = call("smith", "PUT", "/k/v1/records/status.json", json{{"app", 1}, {"records", recs}});
  expectError(c, 400, "CB_VA01", "Missing or invalid input.");
  EXPECT_EQ(messagesOf(c, "records"),
            std::vector<std::string>{"A maximum of 100 records can be updated at one time."});
  c = call("sato", "PUT", "/k/v1/records/status.json", json{{"app", 1}, {"records", recs}});
  EXPECT_EQ(messagesOf(c, "records"),
            std::vector<std::string>{"一度に100件までのレコードを更新できます。"});
  c = call("li", "PUT", "/k/v1/records/status.json", json{{"app", 1}, {"records", recs}});
  EXPECT_EQ(messagesOf(c, "records"), std::vector<std::string>{"一次最多可更新100条记录。"});
  c = call("smith", "PUT", "/k/v1/records/status.json",
           json{{"app", 1}, {"records", {{{"id", 1}, {"action", "承認する"}}, {{"action", "x"}}}}});
  EXPECT_EQ(messagesOf(c, "records[1].id"), std::vector<std::string>{"Required field."});
}

TEST_F(ApiTest, StatusErrors) {
  std::string before = svc.exportWorkspace();
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "申請する"}}),
              400, "GAIA_IL03",
              "ステータスの変更に失敗しました。ほかのユーザーがステータス、またはステータスの設定を"
              "変更した可能性があります。");
  expectError(call("li", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "承認する"}}),
              403, "GAIA_NT01", "只有执行者可以更改状态。");
  expectError(call("smith", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "承認する"}}),
              403, "GAIA_NT01", "Only Assignee can change the status.");
  // filterCond 金額 < 100000 does not hold for record 2
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 2}, {"action", "承認する"}}),
              400, "GAIA_IL03");
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "承認する"}, {"assignee", "sato"}}),
              400, "GAIA_SA04");
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "承認する"}, {"revision", 2}}),
              409, "GAIA_CO02");
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 77}, {"action", "承認する"}}),
              404, "GAIA_RE01");
  EXPECT_EQ(svc.exportWorkspace(), before);
  auto c = call("sato", "PUT", "/k/v1/record/status.json",
                json{{"app", "1"}, {"id", "1"}, {"action", "承認する"}, {"revision", "3"}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"revision", "5"}}));
}

TEST_F(ApiTest, ProcessDisabledIsGAIA_ST02) {
  auto c =
      call("smith", "PUT", "/k/v1/preview/app/status.json", json{{"app", 1}, {"enable", false}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  ASSERT_EQ(
      call("smith", "POST", "/k/v1/preview/app/deploy.json", json{{"apps", {{{"app", 1}}}}}).status,
      200);
  expectError(call("sato", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1}, {"action", "承認する"}}),
              400, "GAIA_ST02", "操作に失敗しました。プロセス管理機能が無効化されています。");
  auto r = call("sato", "GET", "/k/v1/record.json?app=1&id=1");
  EXPECT_FALSE(r.body["record"].contains("ステータス"));
}

TEST_F(Seed003Test, AssigneeRequiredAndUnknown) {
  expectError(call("Administrator", "PUT", "/k/v1/record/status.json",
                   json{{"app", 1}, {"id", 1001}, {"action", "申请"}}),
              400, "GAIA_SA01", "请指定执行者。");
  auto c = call("Administrator", "PUT", "/k/v1/record/status.json",
                json{{"app", 1}, {"id", 1001}, {"action", "申请"}, {"assignee", "ghost"}});
  EXPECT_EQ(c.status, 400) << c.body.dump();
  EXPECT_TRUE(c.body["code"] == "GAIA_IL26" || c.body["code"] == "RINGI_SA01") << c.body.dump();
  c = call("Administrator", "PUT", "/k/v1/record/status.json",
           json{{"app", 1}, {"id", 1001}, {"action", "申请"}, {"assignee", "Administrator"}});
  EXPECT_EQ(c.status, 400) << c.body.dump();
  EXPECT_EQ(c.body["code"], "RINGI_SA01") << c.body.dump();
  EXPECT_EQ(c.body["message"], "用户（Administrator）不是状态“审批中”的候选执行者。");
}

TEST_F(ApiTest, AssigneesDuplicatesCollapseAndLimits) {
  auto c = call("sato", "PUT", "/k/v1/record/assignees.json",
                json{{"app", 1}, {"id", 1}, {"assignees", {"sato", "sato"}}, {"revision", 3}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"revision", "4"}}));
  auto r = call("sato", "GET", "/k/v1/record.json?app=1&id=1");
  EXPECT_EQ(r.body["record"]["作業者"]["value"].size(), 1u);
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back("u" + std::to_string(i));
  c = call("smith", "PUT", "/k/v1/record/assignees.json",
           json{{"app", 1}, {"id", 1}, {"assignees", many}});
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "assignees"), std::vector<std::string>{"size must be between 0 and 100"});
  c = call("smith", "PUT", "/k/v1/record/assignees.json",
           json{{"app", 1}, {"id", 1}, {"assignees", {"ghost"}}});
  EXPECT_EQ(c.status, 400) << c.body.dump();
  EXPECT_EQ(c.body["code"], "GAIA_IL26");
  EXPECT_EQ(c.body["message"], "The specified user (code：ghost) not found.");
}

TEST_F(ApiTest, SeveralAssigneesForAOneStatusIsRefused) {
  auto added =
      call("smith", "POST", "/k/v1/record.json", json{{"app", 1}});  // starts in 未処理 (ONE)
  ASSERT_EQ(added.status, 200) << added.body.dump();
  std::string before = svc.exportWorkspace();
  auto c = call("smith", "PUT", "/k/v1/record/assignees.json",
                json{{"app", 1}, {"id", added.body["id"]}, {"assignees", {"sato", "smith"}}});
  expectError(c, 400, "GAIA_TO02");
  EXPECT_NE(c.body["message"].get<std::string>().find("未処理"), std::string::npos)
      << c.body.dump();
  EXPECT_TRUE(c.changes.empty());
  EXPECT_EQ(svc.exportWorkspace(), before);
}

// Text::ascii (the wasm module's service): the same rows, written without a non-ASCII byte.
TEST_F(ApiTest, AsciiChangesAreTheSameRows) {
  api::Service ascii(api::Service::Text::ascii);
  ascii.engine().setClock([this] { return clock; });
  ascii.engine().seedIds(42);
  ASSERT_EQ(ascii.load(workspace()).status, 200);
  const std::string body = json{{"app", 1}, {"id", 1}, {"action", "承認する"}}.dump();
  const api::Request request{"sato", "PUT",        "/k/v1/record/status.json",
                             body,   std::nullopt, std::nullopt};
  const auto utf8 = svc.handle(request);
  const auto asc = ascii.handle(request);
  ASSERT_EQ(utf8.status, 200) << utf8.body;
  ASSERT_EQ(asc.status, 200) << asc.body;
  auto nonAscii = [](const std::string& s) {
    return std::count_if(s.begin(), s.end(),
                         [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  };
  EXPECT_GT(nonAscii(utf8.changes), 0);  // the record's Japanese status and values
  EXPECT_EQ(nonAscii(asc.changes), 0);
  EXPECT_NE(asc.changes.find("\\u"), std::string::npos);
  EXPECT_EQ(json::parse(asc.changes), json::parse(utf8.changes));
  EXPECT_EQ(ascii.snapshotRows(), svc.snapshotRows());  // stored rows stay UTF-8
}

}  // namespace ringi::apitest

namespace ringi::apitest {

// Text::ascii writes every body ASCII itself, on each path a body takes: a handler's Json, a
// record read written straight to text, an error in the user's language, bulkRequest's failure,
// a batch's progress with its reasons. The same JSON as the UTF-8 service's.
TEST_F(ApiTest, AsciiBodiesAreTheSameAnswers) {
  api::Service ascii(api::Service::Text::ascii);
  ascii.engine().setClock([this] { return clock; });
  ascii.engine().seedIds(42);
  ASSERT_EQ(ascii.load(workspace()).status, 200);
  struct Sent {
    std::string user, method, path, body;
  };
  const std::vector<Sent> requests = {
      {"sato", "GET", "/k/v1/record.json?app=1&id=1", ""},
      {"sato", "GET", "/k/v1/records.json?app=1&query=order%20by%20%24id%20asc", ""},
      {"sato", "GET", "/k/v1/app/status.json?app=1", ""},
      {"sato", "PUT", "/k/v1/record/status.json",
       json{{"app", 1}, {"id", 1}, {"action", "無い"}}.dump()},
      {"sato", "POST", "/k/v1/bulkRequest.json",
       json{{"requests",
             {{{"method", "PUT"},
               {"api", "/k/v1/record/status.json"},
               {"payload", {{"app", 1}, {"id", 9}, {"action", "承認する"}}}}}}}
           .dump()},
      {"sato", "POST", "/batch_approvals/_check?user_id=sato", json(openTaskIds("sato")).dump()},
  };
  auto nonAscii = [](const std::string& s) {
    return std::count_if(s.begin(), s.end(),
                         [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  };
  size_t utf8Bytes = 0;
  for (const auto& sent : requests) {
    const api::Request request{sent.user, sent.method,  sent.path,
                               sent.body, std::nullopt, std::nullopt};
    const auto utf8 = svc.handle(request);
    const auto asc = ascii.handle(request);
    SCOPED_TRACE(request.path);
    EXPECT_EQ(asc.status, utf8.status);
    EXPECT_EQ(nonAscii(asc.body), 0) << asc.body;
    utf8Bytes += nonAscii(utf8.body);
    json a = json::parse(asc.body), u = json::parse(utf8.body);
    // Error ids are random: compared without them.
    const auto withoutIds = [](json j) {
      if (j.is_object() && j.contains("code")) j.erase("id");
      if (j.is_object() && j.contains("results"))
        for (auto& r : j["results"]) r.erase("id");
      return j;
    };
    EXPECT_EQ(withoutIds(a), withoutIds(u));
  }
  EXPECT_GT(utf8Bytes, 0u) << "the answers had Japanese in them";
}

}  // namespace ringi::apitest
