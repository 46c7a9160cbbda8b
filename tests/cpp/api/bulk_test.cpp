// POST /k/v1/bulkRequest.json.
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(Seed003Test, BulkRequestExample) {
  json body = {
      {"requests",
       {{{"method", "PUT"},
         {"api", "/k/v1/record/status.json"},
         {"payload",
          {{"app", 1}, {"id", 1001}, {"action", "申请"}, {"assignee", "user2"}, {"revision", 1}}}},
        {{"method", "PUT"},
         {"api", "/k/guest/3/v1/records/status"},
         {"payload", {{"app", 1}, {"records", {{{"id", 1002}, {"action", "批准"}}}}}}},
        {{"method", "PUT"},
         {"api", "https://x.cybozu.cn/k/v1/record.json"},
         {"payload", {{"app", 1}, {"id", 1003}, {"record", {{"标题", {{"value", "晚餐"}}}}}}}}}}};
  auto c = call("Administrator", "POST", "/k/v1/bulkRequest.json", body);
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(
      c.body,
      json::parse(
          R"({"results":[{"revision":"3"},{"records":[{"id":"1002","revision":"9"}]},{"revision":"6"}]})"));
  EXPECT_FALSE(c.changes.empty());
}

TEST_F(Seed003Test, BulkFailureRollsBackAndUsesFailingStatus) {
  std::string before = svc.exportWorkspace();
  json body = {{"requests",
                {{{"method", "PUT"},
                  {"api", "/k/v1/record/status.json"},
                  {"payload", {{"app", 1}, {"id", 1002}, {"action", "批准"}}}},
                 {{"method", "PUT"},
                  {"api", "/k/v1/record/status.json"},
                  {"payload", {{"app", 1}, {"id", 1003}, {"action", "拒绝"}, {"revision", 99}}}},
                 {{"method", "POST"}, {"api", "/k/v1/record.json"}, {"payload", {{"app", 1}}}}}}};
  auto c = call("Administrator", "POST", "/k/v1/bulkRequest.json", body);
  EXPECT_EQ(c.status, 409) << c.body.dump();
  ASSERT_EQ(c.body["results"].size(), 3u);
  EXPECT_EQ(c.body["results"][0], json::object());
  EXPECT_EQ(c.body["results"][1]["code"], "GAIA_CO02");
  EXPECT_EQ(c.body["results"][1]["id"].get<std::string>().size(), 20u);
  EXPECT_EQ(c.body["results"][2], json::object());
  EXPECT_TRUE(c.changes.empty());
  EXPECT_EQ(svc.exportWorkspace(), before);
  // a validation failure inside a sub-request keeps its errors
  body["requests"][1]["payload"] = {{"app", 1}, {"id", "x"}, {"action", "拒绝"}};
  c = call("Administrator", "POST", "/k/v1/bulkRequest.json", body);
  EXPECT_EQ(c.status, 400);
  EXPECT_EQ(c.body["results"][1]["errors"]["id"]["messages"][0], "请输入整数。");
  EXPECT_EQ(svc.exportWorkspace(), before);
}

TEST_F(ApiTest, BulkRequestValidation) {
  json reqs = json::array();
  for (int i = 0; i < 21; ++i)
    reqs.push_back(
        {{"method", "PUT"}, {"api", "/k/v1/record.json"}, {"payload", {{"app", 1}, {"id", 1}}}});
  auto c = call("smith", "POST", "/k/v1/bulkRequest.json", json{{"requests", reqs}});
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "requests"),
            std::vector<std::string>{"A maximum of 20 requests can be sent at one time."});
  c = call(
      "smith", "POST", "/k/v1/bulkRequest.json",
      json{
          {"requests",
           {{{"method", "GET"}, {"api", "/k/v1/record.json"}, {"payload", {{"app", 1}, {"id", 1}}}},
            {{"method", "PUT"}, {"api", "/k/v1/app/status.json"}, {"payload", json::object()}},
            {{"method", "FETCH"}, {"api", "/k/v1/record.json"}},
            {{"api", "/k/v1/record.json"}}}}});
  expectError(c, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(c, "requests[0].api").empty());
  EXPECT_FALSE(messagesOf(c, "requests[1].api").empty());
  EXPECT_FALSE(messagesOf(c, "requests[2].method").empty());
  EXPECT_EQ(messagesOf(c, "requests[3].method"), std::vector<std::string>{"Required field."});
  c = call("smith", "POST", "/k/v1/bulkRequest.json", json{{"requests", "x"}});
  expectError(c, 400, "CB_VA01");
  c = call("smith", "POST", "/k/v1/bulkRequest.json",
           json{{"requests",
                 {{{"method", "DELETE"},
                   {"api", "/k/v1/records.json"},
                   {"payload", {{"app", 1}, {"ids", {3}}}}}}}});
  EXPECT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"results", {json::object()}}}));
}

}  // namespace ringi::apitest
