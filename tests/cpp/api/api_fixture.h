// Shared fixture of the api tests: a Service with a fixed clock and id seed, loaded with a small
// Japanese expense workspace (or seed 003's), both from tests/fixtures/, and helpers to call it.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "api/service.h"

namespace ringi::apitest {

using nlohmann::json;

// The workspaces of tests/fixtures/, which the JS suites load too.
// expense_workspace.json: 未処理 --申請する--> 承認待ち (ANY: sato) --承認する [金額 < 100000]-->
// 完了 seed003_workspace.json: seed 003's app (申请 / 批准 / 拒绝) with records 1001-1003.
inline std::string fixture(const char* name) {
  const std::string path = std::string(RINGI_FIXTURES_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("fixture missing: " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Call {
  int status = 0;
  json body;
  std::string changes;
};

class ApiTest : public ::testing::Test {
 protected:
  api::Service svc;
  int64_t clock = 1'700'000'000'000;

  virtual std::string workspace() const { return fixture("expense_workspace.json"); }

  void SetUp() override {
    svc.engine().setClock([this] { return clock; });
    svc.engine().seedIds(42);
    auto r = svc.load(workspace());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  Call call(const std::string& user, const std::string& method, const std::string& path,
            const std::string& body = "") {
    return send(api::Request{user, method, path, body, std::nullopt, std::nullopt});
  }
  Call send(const api::Request& req) {
    auto r = svc.handle(req);
    Call c;
    c.status = r.status;
    c.body = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(c.body.is_discarded()) << r.body;
    c.changes = r.changes;
    return c;
  }
  Call call(const std::string& user, const std::string& method, const std::string& path,
            const json& body) {
    return call(user, method, path, body.dump());
  }

  // Asserts a kintone error body and returns it.
  static void expectError(const Call& c, int status, const std::string& code,
                          const std::string& message = "") {
    EXPECT_EQ(c.status, status) << c.body.dump();
    ASSERT_TRUE(c.body.is_object()) << c.body.dump();
    EXPECT_EQ(c.body.value("code", ""), code) << c.body.dump();
    ASSERT_TRUE(c.body.contains("id"));
    EXPECT_EQ(c.body["id"].get<std::string>().size(), 20u);
    if (!message.empty()) {
      EXPECT_EQ(c.body.value("message", ""), message) << c.body.dump();
    }
    EXPECT_TRUE(c.changes.empty()) << "failing calls report no changes";
  }
  static std::vector<std::string> messagesOf(const Call& c, const std::string& key) {
    std::vector<std::string> out;
    if (!c.body.contains("errors") || !c.body["errors"].contains(key)) return out;
    for (const auto& m : c.body["errors"][key]["messages"]) out.push_back(m.get<std::string>());
    return out;
  }

  std::vector<std::string> openTaskIds(const std::string& user) {
    auto c = call(user, "GET", "/batch_approvals/_tasks?user_id=" + user);
    std::vector<std::string> ids;
    for (const auto& t : c.body["tasks"]) ids.push_back(t["task_id"].get<std::string>());
    return ids;
  }
};

class Seed003Test : public ApiTest {
 protected:
  std::string workspace() const override { return fixture("seed003_workspace.json"); }
};

}  // namespace ringi::apitest
