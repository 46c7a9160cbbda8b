// Path and query-string parsing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/router.h"

namespace ringi::apitest {

using api::Json;

TEST(Router, PathShapes) {
  api::ParsedPath p;
  ASSERT_TRUE(api::parsePath("/k/v1/record/status.json", &p));
  EXPECT_EQ(p.api, "k/record/status");
  api::ParsedPath q;
  ASSERT_TRUE(api::parsePath("/k/v1/record/status", &q));
  EXPECT_EQ(q.api, "k/record/status");
  api::ParsedPath g;
  ASSERT_TRUE(api::parsePath("https://example.cybozu.com/k/guest/12/v1/records.json?app=1", &g));
  EXPECT_EQ(g.api, "k/records");
  EXPECT_EQ(g.guestSpace, 12);
  EXPECT_EQ(g.query, "app=1");
  api::ParsedPath b;
  ASSERT_TRUE(api::parsePath("/batch_approvals/_check?user_id=sato", &b));
  EXPECT_EQ(b.api, "batch/_check");
  api::ParsedPath u;
  ASSERT_TRUE(api::parsePath("/v1/users.json", &u));
  EXPECT_EQ(u.api, "v1/users");
  api::ParsedPath bad;
  EXPECT_FALSE(api::parsePath("/x/y", &bad));
  EXPECT_FALSE(api::parsePath("/k/guest/abc/v1/records.json", &bad));
}

TEST(Router, QueryStringIsQsStyle) {
  Json out = Json::object();
  api::parseQuery("app=1&fields[0]=a&fields[1]=b&ids%5B0%5D=5&ids%5B1%5D=6&q=%E6%89%BF+x&o[k]=v&flag", out);
  nlohmann::json j = nlohmann::json::parse(out.dump());
  EXPECT_EQ(j["app"], "1");
  EXPECT_EQ(j["fields"], nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(j["ids"], nlohmann::json::array({"5", "6"}));
  EXPECT_EQ(j["q"], "承 x");
  EXPECT_EQ(j["o"]["k"], "v");
  EXPECT_EQ(j["flag"], "");
}

TEST(Router, RouteResults) {
  api::Handler h = nullptr;
  EXPECT_EQ(api::route("k/record", "GET", &h), api::RouteResult::ok);
  EXPECT_EQ(api::route("k/record", "DELETE", &h), api::RouteResult::wrongMethod);
  EXPECT_EQ(api::route("k/nothing", "GET", &h), api::RouteResult::unknownPath);
  EXPECT_TRUE(api::bulkAllowed("k/records", "DELETE"));
  EXPECT_FALSE(api::bulkAllowed("k/record", "DELETE"));
  EXPECT_FALSE(api::bulkAllowed("k/app/status", "GET"));
  EXPECT_TRUE(api::bulkAllowed("k/record/assignees", "PUT"));
}

}  // namespace ringi::apitest
