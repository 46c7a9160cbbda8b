// Who acts: user_id on /batch_approvals/* may only repeat the authenticated user, and an API-token
// caller (Request.apiToken) reaches only the apps and rights its grant gives.
#include "api_fixture.h"

namespace ringi::apitest {

namespace {
api::TokenGrant grant(int64_t app, unsigned rights) {
  api::TokenGrant g;
  g.apps[app] = rights;
  return g;
}
api::TokenGrant everything() {
  api::TokenGrant g;
  g.every = true;
  return g;
}
constexpr unsigned kView = static_cast<unsigned>(api::TokenRight::view);
constexpr unsigned kEdit = static_cast<unsigned>(api::TokenRight::edit);
constexpr unsigned kAdd = static_cast<unsigned>(api::TokenRight::add);
}  // namespace

struct IdentityTest : ApiTest {
  Call asToken(const api::TokenGrant& g, const std::string& method, const std::string& path,
               const json& body = json()) {
    return send(api::Request{"Administrator", method, path, body.is_null() ? "" : body.dump(), g,
                             std::nullopt});
  }
  std::string workspace() const override {
    json ws = json::parse(ApiTest::workspace());
    ws["users"].push_back({{"code", "Administrator"}, {"name", "Administrator"}});
    return ws.dump();
  }
};

TEST_F(IdentityTest, AUserCannotNameAnotherUserOnTheBatchApi) {
  const auto satoTasks = openTaskIds("sato");
  ASSERT_FALSE(satoTasks.empty());
  const std::string before = svc.exportWorkspace();
  // li, logged in as li, names sato: refused before anything runs, on every batch operation
  expectError(call("li", "GET", "/batch_approvals/_tasks?user_id=sato"), 403, "CB_NO02",
              "没有操作权限。");
  expectError(call("li", "POST", "/batch_approvals/_check?user_id=sato", json(satoTasks)), 403,
              "CB_NO02");
  expectError(call("li", "POST", "/batch_approvals/_submit?user_id=sato", json(satoTasks)), 403,
              "CB_NO02");
  EXPECT_FALSE(svc.hasPendingBatches());
  EXPECT_EQ(svc.exportWorkspace(), before);
  // a user_id that is not a string (user_id[0]=sato) is not a way round it
  expectError(call("li", "GET", "/batch_approvals/_tasks?user_id[0]=sato"), 400, "CB_VA01");

  // left out or empty, user_id means the caller: li's own (empty) list
  for (const char* path : {"/batch_approvals/_tasks", "/batch_approvals/_tasks?user_id=",
                           "/batch_approvals/_tasks?user_id=li"}) {
    auto c = call("li", "GET", path);
    ASSERT_EQ(c.status, 200) << path << c.body.dump();
    EXPECT_EQ(c.body["tasks"], json::array()) << path;
  }
  // sato's tasks, checked by li as li, are not li's
  auto c = call("li", "POST", "/batch_approvals/_check", json(satoTasks));
  EXPECT_EQ(c.body[0]["reason_code"], "not_your_task");
}

TEST_F(IdentityTest, OnlyTheSubmitterSeesOrCancelsABatch) {
  auto s = call("sato", "POST", "/batch_approvals/_submit", json(openTaskIds("sato")));
  ASSERT_EQ(s.status, 200) << s.body.dump();
  const std::string number = s.body["batch_number"];
  // li naming sato is refused; li as li gets the answer a batch that does not exist gets
  expectError(call("li", "GET", "/batch_approvals/_submit?user_id=sato&batch_number=" + number),
              403, "CB_NO02");
  auto theirs = call("li", "GET", "/batch_approvals/_submit?batch_number=" + number);
  auto none = call("li", "GET", "/batch_approvals/_submit?batch_number=" + std::string(32, 'a'));
  expectError(theirs, 404, "RINGI_BA01");
  expectError(none, 404, "RINGI_BA01");
  expectError(call("li", "POST", "/batch_approvals/_cancel?batch_number=" + number), 404,
              "RINGI_BA01");
  EXPECT_EQ(call("sato", "GET", "/batch_approvals/_submit?batch_number=" + number).status, 200);
  // an integration naming the submitter reads it
  auto p =
      asToken(everything(), "GET", "/batch_approvals/_submit?user_id=sato&batch_number=" + number);
  EXPECT_EQ(p.status, 200) << p.body.dump();
  expectError(
      asToken(everything(), "GET", "/batch_approvals/_submit?user_id=li&batch_number=" + number),
      404, "RINGI_BA01");
}

TEST_F(IdentityTest, AnIntegrationActsAsTheUserItNames) {
  auto t = asToken(everything(), "GET", "/batch_approvals/_tasks?user_id=sato");
  ASSERT_EQ(t.status, 200) << t.body.dump();
  EXPECT_EQ(t.body["tasks"].size(), 2u);
  expectError(asToken(everything(), "GET", "/batch_approvals/_tasks?user_id=ghost"), 400,
              "GAIA_IL26");

  const auto ids = openTaskIds("sato");
  // a token for the app, without the edit right, may not approve through it
  const std::string before = svc.exportWorkspace();
  expectError(asToken(grant(1, kView), "POST", "/batch_approvals/_submit?user_id=sato", json(ids)),
              403, "GAIA_NO01");
  expectError(asToken(grant(2, kEdit), "POST", "/batch_approvals/_check?user_id=sato", json(ids)),
              403, "GAIA_NO01");
  EXPECT_FALSE(svc.hasPendingBatches());
  EXPECT_EQ(svc.exportWorkspace(), before);

  auto s = asToken(grant(1, kEdit), "POST", "/batch_approvals/_submit?user_id=sato", json(ids));
  ASSERT_EQ(s.status, 200) << s.body.dump();
  while (svc.hasPendingBatches()) svc.runChunk(10);
  // the batch is sato's, and ran with sato's rights
  auto p =
      call("sato", "GET",
           "/batch_approvals/_submit?batch_number=" + s.body["batch_number"].get<std::string>());
  EXPECT_EQ(p.body["succeeded"], 1) << p.body.dump();
}

TEST_F(IdentityTest, ATokenReachesOnlyItsAppsAndRights) {
  const auto viewOnly = grant(1, kView);
  EXPECT_EQ(asToken(viewOnly, "GET", "/k/v1/record.json?app=1&id=1").status, 200);
  EXPECT_EQ(asToken(viewOnly, "GET", "/k/v1/app/status.json?app=1").status, 200);
  const std::string before = svc.exportWorkspace();
  expectError(asToken(viewOnly, "PUT", "/k/v1/record/status.json",
                      json{{"app", 1}, {"id", 1}, {"action", "承認する"}}),
              403, "GAIA_NO01", "Using this API token, you cannot run the specified API.");
  expectError(asToken(viewOnly, "POST", "/k/v1/record.json",
                      json{{"app", 1}, {"record", {{"件名", {{"value", "x"}}}}}}),
              403, "GAIA_NO01");
  expectError(asToken(viewOnly, "DELETE", "/k/v1/records.json?app=1&ids[0]=3"), 403, "GAIA_NO01");
  expectError(asToken(viewOnly, "GET", "/k/v1/preview/app/status.json?app=1"), 403, "GAIA_NO01");
  expectError(asToken(viewOnly, "POST", "/k/v1/preview/app.json", json{{"name", "new"}}), 403,
              "GAIA_NO01");
  // inside a bulk request too: the whole request changes nothing
  auto b = asToken(grant(1, kView | kAdd), "POST", "/k/v1/bulkRequest.json",
                   json{{"requests",
                         {{{"method", "POST"},
                           {"api", "/k/v1/record.json"},
                           {"payload", {{"app", 1}, {"record", json::object()}}}},
                          {{"method", "DELETE"},
                           {"api", "/k/v1/records.json"},
                           {"payload", {{"app", 1}, {"ids", {3}}}}}}}});
  EXPECT_GE(b.status, 400) << b.body.dump();
  EXPECT_EQ(svc.exportWorkspace(), before);
  // another app's token reaches nothing here, and the app list shows only the token's apps
  expectError(asToken(grant(2, kView), "GET", "/k/v1/record.json?app=1&id=1"), 403, "GAIA_NO01");
  EXPECT_EQ(asToken(grant(2, kView), "GET", "/k/v1/apps.json").body["apps"], json::array());
  EXPECT_EQ(asToken(viewOnly, "GET", "/k/v1/apps.json").body["apps"].size(), 1u);
}

TEST_F(IdentityTest, TheRequestDocumentRefusesWhatItDoesNotKnow) {
  auto r = svc.handleJson(R"({"user":"sato","method":"GET","path":"/k/v1/apps.json","as":"li"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("\"as\""), std::string::npos) << r.body;
  for (const char* bad : {R"("everything")", R"({"one":["view"]})", R"({"1":"view"})",
                          R"({"1":["view","root"]})", "[]", "true"}) {
    r = svc.handleJson(std::string(R"({"user":"sato","method":"GET","path":"/k/v1/apps.json",)") +
                       R"("apiToken":)" + bad + "}");
    EXPECT_EQ(r.status, 400) << bad << r.body;
    EXPECT_NE(r.body.find("apiToken"), std::string::npos) << r.body;
  }
  r = svc.handleJson(
      R"({"user":"sato","method":"GET","path":"/k/v1/record.json?app=1&id=1","apiToken":{"1":["view"]}})");
  EXPECT_EQ(r.status, 200) << r.body;
  r = svc.handleJson(
      R"({"user":"sato","method":"GET","path":"/k/v1/record.json?app=1&id=1","apiToken":{"1":["add"]}})");
  EXPECT_EQ(r.status, 403) << r.body;
}

// Found while trying issue 23's example: {"task_ids": [...], "action": "差し戻す"} approved the
// record, as the unknown "action" was ignored. A key the API does not take is refused, and an
// action the app does not have is too.
TEST_F(IdentityTest, TheBatchApiRefusesKeysItDoesNotTake) {
  const auto ids = openTaskIds("sato");
  const std::string before = svc.exportWorkspace();
  for (const char* op : {"_check", "_submit"}) {
    auto c = call("sato", "POST", std::string("/batch_approvals/") + op,
                  json{{"task_ids", ids}, {"actoin", "承認する"}});
    expectError(c, 400, "CB_VA01");
    EXPECT_EQ(messagesOf(c, "actoin"),
              std::vector<std::string>{"このキーはリクエストで使用できません。"})
        << c.body.dump();
    c = call("sato", "POST", std::string("/batch_approvals/") + op,
             json{{"task_ids", ids}, {"action", "差し戻す"}});
    expectError(c, 400, "CB_VA01");
    EXPECT_EQ(messagesOf(c, "action"),
              std::vector<std::string>{"アクション「差し戻す」はアプリ1のプロセスにありません。"})
        << c.body.dump();
    expectError(
        call("sato", "POST", std::string("/batch_approvals/") + op + "?colour=x", json(ids)), 400,
        "CB_VA01");
  }
  EXPECT_FALSE(svc.hasPendingBatches());
  EXPECT_EQ(svc.exportWorkspace(), before);
}

}  // namespace ringi::apitest
