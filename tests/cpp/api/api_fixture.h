// Shared fixture of the api tests: a Service with a fixed clock and id seed, loaded with a small
// Japanese expense workspace (or seed 003's), and helpers to call it.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/service.h"

namespace ringi::apitest {

using nlohmann::json;

// 未処理 --申請する--> 承認待ち (ANY: sato) --承認する [金額 < 100000]--> 完了
inline const char* kExpenseWorkspace = R"JSON({
  "users": [
    {"code": "sato", "name": "佐藤", "locale": "ja"},
    {"code": "li", "name": "李", "locale": "zh"},
    {"code": "smith", "name": "Smith", "locale": "en"},
    {"code": "tanaka", "name": "田中", "locale": "ja"}
  ],
  "organizations": [{"code": "sales", "name": "営業部", "parent": null, "members": ["li"]}],
  "groups": [{"code": "managers", "name": "Managers", "members": ["tanaka"]}],
  "apps": [{
    "app": 1, "name": "経費精算", "locale": "ja",
    "fields": {
      "件名": {"type": "SINGLE_LINE_TEXT", "code": "件名", "label": "件名"},
      "金額": {"type": "NUMBER", "code": "金額", "label": "金額"}
    },
    "status": {
      "enable": true,
      "states": {
        "未処理": {"name": "未処理", "index": "0", "assignee": {"type": "ONE", "entities": []}},
        "承認待ち": {"name": "承認待ち", "index": "1", "assignee": {"type": "ANY", "entities": [
          {"entity": {"type": "USER", "code": "sato"}, "includeSubs": false}]}},
        "完了": {"name": "完了", "index": "2", "assignee": {"type": "ONE", "entities": []}}
      },
      "actions": [
        {"name": "申請する", "from": "未処理", "to": "承認待ち", "filterCond": "", "type": "PRIMARY"},
        {"name": "承認する", "from": "承認待ち", "to": "完了", "filterCond": "金額 < 100000", "type": "PRIMARY"}
      ],
      "revision": "1"
    },
    "batch_approval": {"enabled": true, "actions": {"承認待ち": "承認する"}},
    "records": [
      {"$id": {"value": "1"}, "$revision": {"value": "3"}, "件名": {"value": "出張"}, "金額": {"value": "12000"},
       "ステータス": {"value": "承認待ち"}, "作業者": {"value": [{"code": "sato"}]}},
      {"$id": {"value": "2"}, "$revision": {"value": "3"}, "件名": {"value": "宿泊"}, "金額": {"value": "200000"},
       "ステータス": {"value": "承認待ち"}, "作業者": {"value": [{"code": "sato"}]}},
      {"$id": {"value": "3"}, "件名": {"value": "備品"}, "金額": {"value": "5000"},
       "作成者": {"value": {"code": "smith"}}}
    ]
  }]
})JSON";

inline const char* kSeed003Workspace = R"JSON({
  "users": [
    {"code": "Administrator", "name": "Administrator", "locale": "zh"},
    {"code": "user1", "name": "User 1", "locale": "zh"},
    {"code": "user2", "name": "User 2", "locale": "zh"}
  ],
  "organizations": [], "groups": [],
  "apps": [{
    "app": 1, "name": "费用报销", "locale": "zh",
    "fields": {"标题": {"type": "SINGLE_LINE_TEXT", "code": "标题", "label": "标题"}},
    "status": {
      "enable": true,
      "states": {
        "未处理": {"name": "未处理", "index": "0", "assignee": {"type": "ONE", "entities": []}},
        "审批中": {"name": "审批中", "index": "1", "assignee": {"type": "ONE", "entities": [
          {"entity": {"type": "USER", "code": "user1"}, "includeSubs": false},
          {"entity": {"type": "USER", "code": "user2"}, "includeSubs": false}]}},
        "已批准": {"name": "已批准", "index": "2", "assignee": {"type": "ONE", "entities": []}},
        "已拒绝": {"name": "已拒绝", "index": "3", "assignee": {"type": "ONE", "entities": []}}
      },
      "actions": [
        {"name": "申请", "from": "未处理", "to": "审批中", "filterCond": "", "type": "PRIMARY"},
        {"name": "批准", "from": "审批中", "to": "已批准", "filterCond": "", "type": "PRIMARY"},
        {"name": "拒绝", "from": "审批中", "to": "已拒绝", "filterCond": "", "type": "PRIMARY"}
      ],
      "revision": "1"
    },
    "batch_approval": {"enabled": true, "actions": {"审批中": "批准"}},
    "records": [
      {"$id": {"value": "1001"}, "$revision": {"value": "1"}, "标题": {"value": "出差"}, "ステータス": {"value": "未处理"}, "作業者": {"value": [{"code": "Administrator"}]}},
      {"$id": {"value": "1002"}, "$revision": {"value": "7"}, "标题": {"value": "住宿"}, "ステータス": {"value": "审批中"}, "作業者": {"value": [{"code": "Administrator"}]}},
      {"$id": {"value": "1003"}, "$revision": {"value": "5"}, "标题": {"value": "餐费"}, "ステータス": {"value": "审批中"}, "作業者": {"value": [{"code": "Administrator"}]}}
    ]
  }]
})JSON";

struct Call {
  int status = 0;
  json body;
  std::string changes;
};

class ApiTest : public ::testing::Test {
 protected:
  api::Service svc;
  int64_t clock = 1'700'000'000'000;

  virtual const char* workspace() const { return kExpenseWorkspace; }

  void SetUp() override {
    svc.engine().setClock([this] { return clock; });
    svc.engine().seedIds(42);
    auto r = svc.load(workspace());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  Call call(const std::string& user, const std::string& method, const std::string& path,
            const std::string& body = "") {
    auto r = svc.handle(api::Request{user, method, path, body});
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
  const char* workspace() const override { return kSeed003Workspace; }
};

}  // namespace ringi::apitest
