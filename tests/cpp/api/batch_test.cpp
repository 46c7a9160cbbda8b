// /batch_approvals/*.
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(ApiTest, CheckSubmitProgress) {
  auto ids = openTaskIds("sato");
  ASSERT_EQ(ids.size(), 2u);
  json body = ids;
  body.push_back("0123456789abcdef0123456789abcdef");
  auto c = call("sato", "POST", "/batch_approvals/_check?user_id=sato", body);
  ASSERT_EQ(c.status, 200) << c.body.dump();
  ASSERT_TRUE(c.body.is_array());
  ASSERT_EQ(c.body.size(), 3u);
  EXPECT_EQ(c.body[0], json({{"supported", true}, {"task_id", ids[0]}}));
  EXPECT_EQ(c.body[1]["supported"], false);
  EXPECT_EQ(c.body[1]["reason_code"], "condition_not_met");
  EXPECT_EQ(c.body[2]["reason_code"], "task_not_found");
  EXPECT_EQ(c.body[2]["reason"], "タスクが見つかりません。");
  EXPECT_TRUE(c.changes.empty());

  // li asks about sato's tasks in Chinese
  c = call("li", "POST", "/batch_approvals/_check?user_id=li", json::array({ids[0]}));
  EXPECT_EQ(c.body[0]["reason_code"], "not_your_task");
  EXPECT_EQ(c.body[0]["reason"], "不是当前用户的任务");

  auto s = call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(ids));
  ASSERT_EQ(s.status, 200) << s.body.dump();
  std::string number = s.body["batch_number"];
  EXPECT_EQ(number.size(), 32u);
  EXPECT_FALSE(s.changes.empty());
  auto p = call("sato", "GET", "/batch_approvals/_submit?user_id=sato&batch_number=" + number);
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(p.body["total"], 2);
  EXPECT_EQ(p.body["processed"], 0);
  EXPECT_EQ(p.body["state"], "queued");
  EXPECT_TRUE(p.body["failed_tasks"].is_array());

  ASSERT_TRUE(svc.hasPendingBatches());
  auto chunk = svc.runChunk(1);
  ASSERT_EQ(chunk.status, 200);
  json progress = json::parse(chunk.body);
  EXPECT_EQ(progress["batch_number"], number);
  EXPECT_EQ(progress["processed"], 1);
  EXPECT_FALSE(chunk.changes.empty());
  while (svc.hasPendingBatches()) svc.runChunk(10);
  p = call("sato", "GET", "/batch_approvals/_submit?user_id=sato&batch_number=" + number);
  EXPECT_EQ(p.body["processed"], 2);
  EXPECT_EQ(p.body["succeeded"], 1);
  EXPECT_EQ(p.body["state"], "partially_completed");
  EXPECT_EQ(p.body["failed_tasks"], json::array({ids[1]}));
  EXPECT_EQ(p.body["failures"][0]["reason_code"], "condition_not_met");
  EXPECT_TRUE(p.body["finished_at"].is_string());
  EXPECT_EQ(svc.runChunk(5).body, "null");

  expectError(call("li", "GET", "/batch_approvals/_submit?user_id=li&batch_number=" + number), 404,
              "RINGI_BA01", "指定的批次（" + number + "）不存在。");
  expectError(call("sato", "POST", "/batch_approvals/_cancel?user_id=sato&batch_number=" + number),
              409, "RINGI_BA02");
  expectError(call("sato", "POST", "/batch_approvals/_cancel?user_id=sato&batch_number=nope"), 404,
              "RINGI_BA01");
}

TEST_F(ApiTest, CancelQueuedBatch) {
  auto ids = openTaskIds("sato");
  auto s = call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(ids));
  std::string number = s.body["batch_number"];
  auto c = call("sato", "POST", "/batch_approvals/_cancel?user_id=sato&batch_number=" + number);
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body["state"], "cancelled");
  EXPECT_FALSE(svc.hasPendingBatches());
}

TEST_F(ApiTest, BatchInputValidationStoresNothing) {
  std::string before = svc.exportWorkspace();
  json many = json::array();
  for (int i = 0; i < 201; ++i) many.push_back("t" + std::to_string(i));
  struct Case {
    std::string body;
    std::string key;
  } cases[] = {{many.dump(), "task_ids"},
               {"[]", "task_ids"},
               {"{\"a\":1}", "task_ids"},
               {"\"abc\"", "task_ids"},
               {"[\"ok\", 5]", "task_ids[1]"},
               {"[\"ok\", null]", "task_ids[1]"},
               {"[1,2", "task_ids"}};
  for (const auto& k : cases) {
    for (const char* op : {"_check", "_submit"}) {
      auto c =
          call("sato", "POST", std::string("/batch_approvals/") + op + "?user_id=sato", k.body);
      expectError(c, 400, "CB_VA01");
      EXPECT_FALSE(messagesOf(c, k.key).empty()) << op << " " << k.body << " " << c.body.dump();
    }
  }
  auto c = call("smith", "POST", "/batch_approvals/_submit?user_id=smith", many.dump());
  EXPECT_EQ(messagesOf(c, "task_ids"),
            std::vector<std::string>{"A maximum of 200 tasks can be specified at one time."});
  expectError(call("sato", "POST", "/batch_approvals/_submit?user_id=ghost", json::array({"x"})),
              403, "CB_NO02");
  EXPECT_FALSE(svc.hasPendingBatches());
  EXPECT_EQ(svc.exportWorkspace(), before);
  // {"task_ids": [...]} is accepted too
  c = call("sato", "POST", "/batch_approvals/_check?user_id=sato", json{{"task_ids", {"x"}}});
  EXPECT_EQ(c.status, 200) << c.body.dump();
}

TEST_F(ApiTest, TasksAndSettings) {
  auto t = call("sato", "GET", "/batch_approvals/_tasks?user_id=sato&app=1");
  ASSERT_EQ(t.status, 200) << t.body.dump();
  ASSERT_EQ(t.body["tasks"].size(), 2u);
  EXPECT_EQ(t.body["tasks"][0]["app"], "1");
  EXPECT_TRUE(t.body["tasks"][0]["record_id"].is_string());
  EXPECT_EQ(t.body["tasks"][0]["status"], "承認待ち");
  expectError(call("sato", "GET", "/batch_approvals/_tasks?user_id=sato&app=9"), 404, "GAIA_AP01");
  EXPECT_EQ(call("li", "GET", "/batch_approvals/_tasks").body["tasks"].size(), 0u);  // Request.user

  auto s = call("sato", "GET", "/batch_approvals/_settings?app=1");
  EXPECT_EQ(s.body, json::parse(R"({"enabled":true,"actions":{"承認待ち":"承認する"}})"));
  auto p = call("sato", "PUT", "/batch_approvals/_settings", json{{"app", 1}, {"enabled", false}});
  ASSERT_EQ(p.status, 200) << p.body.dump();
  EXPECT_EQ(p.body["enabled"], false);
  EXPECT_FALSE(p.changes.empty());
  auto ids = openTaskIds("sato");
  auto c = call("sato", "POST", "/batch_approvals/_check?user_id=sato", json(ids));
  EXPECT_EQ(c.body[0]["reason_code"], "batch_approval_disabled");
  expectError(call("sato", "PUT", "/batch_approvals/_settings",
                   json{{"app", 1}, {"actions", {{"承認待ち", 5}}}}),
              400, "CB_VA01");
}

TEST_F(ApiTest, StatusHistoryNewestFirstWithPaging) {
  auto before = call("sato", "GET", "/batch_approvals/_history?app=1&id=1");
  ASSERT_EQ(before.status, 200) << before.body.dump();
  const size_t n = before.body["history"].size();
  ASSERT_GE(n, 1u);
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  auto after = call("sato", "GET", "/batch_approvals/_history?app=1&id=1");
  ASSERT_EQ(after.body["history"].size(), n + 1);
  const json& newest = after.body["history"][0];
  EXPECT_EQ(newest["action"], "承認する");
  EXPECT_EQ(newest["actor"]["code"], "sato");
  EXPECT_EQ(
      newest["status"],
      call("sato", "GET", "/k/v1/record.json?app=1&id=1").body["record"]["ステータス"]["value"]);
  EXPECT_EQ(after.body["history"][1], before.body["history"][0]);
  auto page = call("sato", "GET", "/batch_approvals/_history?app=1&id=1&offset=1&limit=1");
  ASSERT_EQ(page.body["history"].size(), 1u);
  EXPECT_EQ(page.body["history"][0], before.body["history"][0]);
  EXPECT_TRUE(after.changes.empty());

  EXPECT_EQ(call("sato", "GET", "/batch_approvals/_history?app=1").body["errors"].contains("id"),
            true);
  EXPECT_EQ(call("sato", "GET", "/batch_approvals/_history?app=1&id=1&limit=101").body["code"],
            "CB_VA01");
  EXPECT_EQ(call("sato", "GET", "/batch_approvals/_history?app=1&id=999").body["code"],
            "GAIA_RE01");
  EXPECT_EQ(call("sato", "POST", "/batch_approvals/_history?app=1&id=1").status, 405);
}

}  // namespace ringi::apitest
