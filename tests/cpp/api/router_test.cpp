// Path and query-string parsing.
#include "api/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  api::ParsedPath frag;
  ASSERT_TRUE(api::parsePath("k/v1/record?app=1&id=2#top", &frag));  // no leading /, a fragment
  EXPECT_EQ(frag.api, "k/record");
  EXPECT_EQ(frag.query, "app=1&id=2");
  api::ParsedPath frag2;
  ASSERT_TRUE(api::parsePath("https://x.cybozu.com/k/v1/records.json#list", &frag2));
  EXPECT_EQ(frag2.api, "k/records");
  EXPECT_EQ(frag2.query, "");
  api::ParsedPath bad;
  EXPECT_FALSE(api::parsePath("/x/y", &bad));
  EXPECT_FALSE(api::parsePath("/k/guest/abc/v1/records.json", &bad));
}

TEST(Router, QueryStringIsQsStyle) {
  Json out = Json::object();
  api::parseQuery(
      "app=1&fields[0]=a&fields[1]=b&ids%5B0%5D=5&ids%5B1%5D=6&q=%E6%89%BF+x&o[k]=v&flag", out);
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

namespace ringi::apitest {

// The query string's limits: each refusal is CB_VA01 naming the parameter, and nothing is built.
TEST(Router, QueryStringLimits) {
  auto refusal = [](const std::string& query) -> std::pair<std::string, std::string> {
    Json out = Json::object();
    try {
      api::parseQuery(query, out);
    } catch (const domain::Error& e) {
      if (e.fields().empty()) return {e.code(), ""};
      return {e.fields()[0].key, e.fields()[0].message};
    }
    return {"", ""};
  };
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(refusal("app=1&fields[50000000]=a"), (P{"fields[50000000]", "index_too_large"}));
  EXPECT_EQ(refusal("fields[500]=a"), (P{"fields[500]", "index_too_large"}));
  EXPECT_EQ(refusal("fields[0][1000]=a"), (P{"fields[0][1000]", "index_too_large"}));
  EXPECT_EQ(refusal("a[0][0][0][0][0][0][0][0]=x"), (P{"a[0][0][0][0][0][0][0][0]", "too_deep"}));
  // 25 names of 500 slots each: past the 10,000 values and slots a query string may make (the
  // 20th name: 20 x 500 slots plus the names themselves).
  std::string many;
  for (int i = 0; i < 25; ++i) many += "a" + std::to_string(i) + "[499]=x&";
  EXPECT_EQ(refusal(many), (P{"a19[499]", "too_many_items"}));
  std::string keys;
  for (int i = 0; i <= 10000; ++i) keys += "k" + std::to_string(i) + "=&";
  EXPECT_EQ(refusal(keys).second, "too_many_items");

  // At the limits: accepted.
  Json out = Json::object();
  api::parseQuery("fields[499]=z&r[0][a][b][c][d][e]=1", out);
  EXPECT_EQ(out["fields"].size(), 500u);
  EXPECT_EQ(out["fields"][499], "z");
  EXPECT_EQ(out["r"][0]["a"]["b"]["c"]["d"]["e"], "1");
  // A long number that is a key of an object, not an index: left as it is.
  Json obj = Json::object();
  api::parseQuery("o[k]=1&o[123456789]=2", obj);
  EXPECT_EQ(obj["o"]["123456789"], "2");
}

}  // namespace ringi::apitest
