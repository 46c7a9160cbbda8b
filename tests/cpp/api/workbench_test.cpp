// The approver's workbench in the batch API (issue 23): any action of the task's status, one
// comment on every record the batch changes, the next assignee, batches found again (list,
// failures with their records, retry), and kintone's record comments API.
#include "api_fixture.h"

namespace ringi::apitest {

// tests/fixtures/workbench_workspace.json: records 1-3 wait for sato in 課長承認待ち, whose
// actions are 承認する (to 部長承認待ち: ONE of the directors group, tanaka or suzuki),
// 差し戻す (back to 下書き, the creator's) and 却下する.
struct WorkbenchTest : ApiTest {
  std::string workspace() const override { return fixture("workbench_workspace.json"); }

  void runAll() {
    while (svc.hasPendingBatches()) ASSERT_EQ(svc.runChunk(50).status, 200);
  }
  json record(int64_t id) {
    return call("sato", "GET", "/k/v1/record.json?app=1&id=" + std::to_string(id)).body["record"];
  }
  json comments(int64_t id, const std::string& extra = "") {
    return call("sato", "GET",
                "/k/v1/record/comments.json?app=1&record=" + std::to_string(id) + extra)
        .body;
  }
  std::string submit(const json& body) {
    auto s = call("sato", "POST", "/batch_approvals/_submit", body);
    EXPECT_EQ(s.status, 200) << s.body.dump();
    return s.body.value("batch_number", "");
  }
  json progress(const std::string& number) {
    return call("sato", "GET", "/batch_approvals/_submit?batch_number=" + number).body;
  }
};

TEST_F(WorkbenchTest, SendBackWithACommentLandsOnEveryRecord) {
  const auto ids = openTaskIds("sato");
  ASSERT_EQ(ids.size(), 3u);
  auto c = call("sato", "POST", "/batch_approvals/_check",
                json{{"task_ids", ids}, {"action", "差し戻す"}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  for (const auto& r : c.body) EXPECT_EQ(r["supported"], true) << r.dump();

  const std::string number =
      submit({{"task_ids", ids}, {"action", "差し戻す"}, {"comment", "領収書を添付してください"}});
  runAll();
  json p = progress(number);
  EXPECT_EQ(p["state"], "completed");
  EXPECT_EQ(p["succeeded"], 3);
  EXPECT_EQ(p["action"], "差し戻す");
  EXPECT_EQ(p["comment"], "領収書を添付してください");
  for (int64_t id : {1, 2, 3}) {
    EXPECT_EQ(record(id)["ステータス"]["value"], "下書き") << id;
    json list = comments(id);
    ASSERT_EQ(list["comments"].size(), 1u) << id;
    EXPECT_EQ(list["comments"][0]["text"], "領収書を添付してください");
    EXPECT_EQ(list["comments"][0]["creator"], json({{"code", "sato"}, {"name", "佐藤"}}));
    EXPECT_EQ(list["comments"][0]["id"], "1");
  }
  // Back in 下書き, each record waits for its creator: li has 1 and 3, smith has 2.
  EXPECT_EQ(openTaskIds("li").size(), 2u);
  EXPECT_EQ(openTaskIds("smith").size(), 1u);
}

TEST_F(WorkbenchTest, ApproveAsksForTheNextAssigneeAndTakesOne) {
  const auto ids = openTaskIds("sato");
  auto c = call("sato", "POST", "/batch_approvals/_check", json(ids));  // the seed's array
  ASSERT_EQ(c.status, 200);
  for (const auto& r : c.body) {
    EXPECT_EQ(r["reason_code"], "assignee_required") << r.dump();
    EXPECT_EQ(r["assignees"], json({"tanaka", "suzuki"})) << r.dump();
  }
  c = call("sato", "POST", "/batch_approvals/_check",
           json{{"task_ids", ids}, {"assignee", "suzuki"}});
  for (const auto& r : c.body) {
    EXPECT_EQ(r["supported"], true) << r.dump();
    EXPECT_EQ(r["assignees"], json({"tanaka", "suzuki"}));
  }
  const std::string number = submit({{"task_ids", ids}, {"assignee", "suzuki"}});
  runAll();
  EXPECT_EQ(progress(number)["state"], "completed");
  EXPECT_EQ(progress(number)["assignee"], "suzuki");
  for (int64_t id : {1, 2, 3}) {
    json r = record(id);
    EXPECT_EQ(r["ステータス"]["value"], "部長承認待ち");
    EXPECT_EQ(r["作業者"]["value"][0]["code"], "suzuki");
    EXPECT_EQ(comments(id)["comments"], json::array()) << "no comment asked, none posted";
  }
  EXPECT_EQ(openTaskIds("suzuki").size(), 3u);
  EXPECT_TRUE(openTaskIds("tanaka").empty());
}

TEST_F(WorkbenchTest, BadOrdersAreRefusedAndChangeNothing) {
  const auto ids = openTaskIds("sato");
  const std::string before = svc.snapshotRows();
  struct Case {
    json body;
    std::string key;
    std::string message;  // in sato's Japanese; "" = any
  };
  const std::string longText(65536, 'x');
  const std::vector<Case> cases = {
      {{{"task_ids", ids}, {"actoin", "差し戻す"}},
       "actoin",
       "このキーはリクエストで使用できません。"},
      {{{"task_ids", ids}, {"action", json::array({"差し戻す"})}},
       "action",
       "文字列を入力してください。"},
      {{{"task_ids", ids}, {"action", ""}}, "action", "必須です。"},
      {{{"task_ids", ids}, {"action", "承認"}},
       "action",
       "アクション「承認」はアプリ1のプロセスにありません。"},
      {{{"task_ids", ids}, {"comment", json::array()}}, "comment", "文字列を入力してください。"},
      {{{"task_ids", ids}, {"comment", longText}}, "comment", ""},
      {{{"task_ids", ids}, {"assignee", json{{"code", "tanaka"}}}},
       "assignee",
       "文字列を入力してください。"},
      {{{"task_ids", ids}, {"assignee", "nobody"}},
       "assignee",
       "指定したユーザー（code：nobody）が見つかりません。"},
      {{{"task_ids", ids}, {"assignee", "smith"}}, "assignee", ""},
      {{{"task_ids", "x"}}, "task_ids", "配列を指定してください。"},
      {{{"retry_of", "0123456789abcdef0123456789abcdef"}, {"task_ids", ids}}, "task_ids", ""},
  };
  for (const char* op : {"_check", "_submit"}) {
    for (const auto& k : cases) {
      auto c = call("sato", "POST", std::string("/batch_approvals/") + op, k.body);
      expectError(c, 400, "CB_VA01");
      if (std::string(op) == "_check" && k.body.contains("retry_of")) {
        EXPECT_FALSE(messagesOf(c, "retry_of").empty()) << c.body.dump();  // _check takes none
        continue;
      }
      auto messages = messagesOf(c, k.key);
      ASSERT_FALSE(messages.empty()) << op << " " << k.body.dump().substr(0, 200) << c.body.dump();
      if (!k.message.empty()) {
        EXPECT_EQ(messages[0], k.message) << op;
      }
    }
  }
  // smith is no choice of 部長承認待ち: the message names him and the task
  auto c = call("sato", "POST", "/batch_approvals/_submit",
                json{{"task_ids", ids}, {"assignee", "smith"}});
  EXPECT_NE(messagesOf(c, "assignee").at(0).find("smith"), std::string::npos);
  EXPECT_FALSE(svc.hasPendingBatches());
  EXPECT_EQ(svc.snapshotRows(), before);
}

TEST_F(WorkbenchTest, FailuresNameTheirRecordsAndRetryMakesALinkedBatch) {
  const auto ids = openTaskIds("sato");
  // No assignee given: the next status needs one, so every task fails and stays open.
  const std::string first = submit(json(ids));
  runAll();
  json p = progress(first);
  EXPECT_EQ(p["state"], "partially_completed");
  ASSERT_EQ(p["failures"].size(), 3u);
  EXPECT_EQ(p["failures"][0]["app"], "1");
  EXPECT_EQ(p["failures"][0]["record_id"], "1");
  EXPECT_EQ(p["failures"][0]["title"], "出張 大阪");
  EXPECT_EQ(p["failures"][1]["title"], "展示会ブース");
  EXPECT_EQ(p["failures"][0]["reason_code"], "assignee_required");
  // Every task's outcome, in the batch's order
  ASSERT_EQ(p["items"].size(), 3u);
  EXPECT_EQ(p["items"][2]["result"], "failed");
  EXPECT_EQ(p["items"][2]["record_id"], "3");
  EXPECT_EQ(p["items"][2]["title"], "ノートPC");

  // Another user cannot retry it, nor learn it exists.
  expectError(call("li", "POST", "/batch_approvals/_submit", json{{"retry_of", first}}), 404,
              "RINGI_BA01");
  const std::string retry =
      submit({{"retry_of", first}, {"assignee", "tanaka"}, {"comment", "OK"}});
  json r = progress(retry);
  EXPECT_EQ(r["retry_of"], first);
  EXPECT_EQ(r["total"], 3);
  // The retry is not finished yet: it cannot be retried itself.
  auto c = call("sato", "POST", "/batch_approvals/_submit", json{{"retry_of", retry}});
  expectError(c, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(c, "retry_of").empty());
  EXPECT_EQ(progress(retry)["items"][0]["result"], "pending");
  runAll();
  EXPECT_EQ(progress(retry)["state"], "completed");
  const json done = progress(retry);  // kept: a loop over a temporary's member would dangle
  for (const auto& item : done["items"]) EXPECT_EQ(item["result"], "succeeded");
  EXPECT_EQ(comments(2)["comments"][0]["text"], "OK");
  // Nothing of the first batch is open any more.
  c = call("sato", "POST", "/batch_approvals/_submit", json{{"retry_of", first}});
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "retry_of"),
            std::vector<std::string>{"このバッチの失敗したタスクに、未完了のものはありません。"});
}

TEST_F(WorkbenchTest, BatchesAreListedNewestFirstForTheirSubmitterOnly) {
  const auto ids = openTaskIds("sato");
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; ++i) {
    clock += 1000;
    numbers.push_back(submit(json::array({ids[static_cast<size_t>(i)]})));
  }
  auto c = call("sato", "GET", "/batch_approvals/_batches");
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body["total_count"], 3);
  ASSERT_EQ(c.body["batches"].size(), 3u);
  EXPECT_EQ(c.body["batches"][0]["batch_number"], numbers[2]);
  EXPECT_EQ(c.body["batches"][2]["batch_number"], numbers[0]);
  EXPECT_EQ(c.body["batches"][0]["state"], "queued");
  EXPECT_EQ(c.body["batches"][0]["total"], 1);
  EXPECT_TRUE(c.body["batches"][0]["action"].is_null());
  c = call("sato", "GET", "/batch_approvals/_batches?limit=1&offset=1");
  ASSERT_EQ(c.body["batches"].size(), 1u);
  EXPECT_EQ(c.body["batches"][0]["batch_number"], numbers[1]);
  EXPECT_EQ(call("li", "GET", "/batch_approvals/_batches").body["batches"], json::array());
  expectError(call("sato", "GET", "/batch_approvals/_batches?limit=101"), 400, "CB_VA01");
  expectError(call("sato", "GET", "/batch_approvals/_batches?page=2"), 400, "CB_VA01");
  expectError(call("li", "GET", "/batch_approvals/_batches?user_id=sato"), 403, "CB_NO02");

  // Kept with the rest of the state: a restore lists the same batches, with their orders.
  submit({{"task_ids", ids}, {"action", "却下する"}, {"comment", "予算超過"}});
  api::Service fresh;
  ASSERT_EQ(fresh.restore(svc.snapshotRows()).status, 200);
  auto a = svc.handle({"sato", "GET", "/batch_approvals/_batches", "", std::nullopt, std::nullopt});
  auto b =
      fresh.handle({"sato", "GET", "/batch_approvals/_batches", "", std::nullopt, std::nullopt});
  EXPECT_EQ(a.body, b.body);
  EXPECT_NE(b.body.find("却下する"), std::string::npos);
}

TEST_F(WorkbenchTest, RecordCommentsFollowKintone) {
  auto add = [&](const std::string& user, const json& body) {
    return call(user, "POST", "/k/v1/record/comment.json", body);
  };
  auto c = add("sato", {{"app", 1}, {"record", 2}, {"comment", {{"text", "first"}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"id", "1"}}));
  EXPECT_FALSE(c.changes.empty());
  const json mentions = json::array(
      {{{"code", "sato"}, {"type", "USER"}}, {{"code", "directors"}, {"type", "GROUP"}}});
  c = add("li", json{{"app", "1"},
                     {"record", "2"},
                     {"comment", json{{"text", "see"}, {"mentions", mentions}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  for (int i = 0; i < 11; ++i)
    add("smith", {{"app", 1}, {"record", 2}, {"comment", {{"text", "n" + std::to_string(i)}}}});

  json page = comments(2);  // newest first, 10 at most
  ASSERT_EQ(page["comments"].size(), 10u);
  EXPECT_EQ(page["comments"][0]["id"], "13");
  EXPECT_EQ(page["older"], true);
  EXPECT_EQ(page["newer"], false);
  page = comments(2, "&order=asc&limit=2");
  ASSERT_EQ(page["comments"].size(), 2u);
  EXPECT_EQ(page["comments"][0]["text"], "first");
  EXPECT_EQ(page["comments"][1]["text"], "sato directors see");
  EXPECT_EQ(page["comments"][1]["mentions"], json({{{"code", "sato"}, {"type", "USER"}},
                                                   {{"code", "directors"}, {"type", "GROUP"}}}));
  EXPECT_EQ(page["comments"][1]["creator"]["name"], "李");
  EXPECT_EQ(page["comments"][1]["createdAt"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(page["older"], false);
  EXPECT_EQ(page["newer"], true);
  page = comments(2, "&order=asc&offset=12");
  EXPECT_EQ(page["comments"].size(), 1u);
  EXPECT_EQ(page["older"], true);
  EXPECT_EQ(page["newer"], false);

  // Only the author deletes; a deleted id is gone and not given again.
  expectError(call("sato", "DELETE", "/k/v1/record/comment.json",
                   json{{"app", 1}, {"record", 2}, {"comment", 2}}),
              403, "CB_NO02");
  c = call("li", "DELETE", "/k/v1/record/comment.json",
           json{{"app", 1}, {"record", 2}, {"comment", 2}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json::object());
  expectError(call("li", "DELETE", "/k/v1/record/comment.json",
                   json{{"app", 1}, {"record", 2}, {"comment", 2}}),
              404, "RINGI_CM01", "指定的评论（ID: 2）不存在。");
  EXPECT_EQ(add("sato", {{"app", 1}, {"record", 2}, {"comment", {{"text", "again"}}}}).body["id"],
            "14");
  // A comment does not change the record's revision.
  EXPECT_EQ(record(2)["$revision"]["value"], "3");

  // Kept: a restore from the stored rows answers the same pages.
  api::Service fresh;
  ASSERT_EQ(fresh.restore(svc.snapshotRows()).status, 200);
  const std::string path = "/k/v1/record/comments.json?app=1&record=2&order=asc&offset=3";
  EXPECT_EQ(fresh.handle({"sato", "GET", path, "", std::nullopt, std::nullopt}).body,
            svc.handle({"sato", "GET", path, "", std::nullopt, std::nullopt}).body);
  EXPECT_EQ(fresh.snapshotRows(), svc.snapshotRows());
}

TEST_F(WorkbenchTest, BadCommentsAreRefusedAndChangeNothing) {
  const std::string before = svc.snapshotRows();
  json tooMany = json::array();
  for (int i = 0; i < 11; ++i) tooMany.push_back({{"code", "sato"}, {"type", "USER"}});
  struct Case {
    json body;
    std::string key;
  };
  const std::vector<Case> cases = {
      {{{"app", 1}, {"record", 1}}, "comment"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", ""}}}}, "comment.text"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", json::array()}}}}, "comment.text"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", std::string(65536, 'a')}}}},
       "comment.text"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", "x"}, {"mentions", tooMany}}}},
       "comment.mentions"},
      {{{"app", 1},
        {"record", 1},
        {"comment", {{"text", "x"}, {"mentions", {{{"code", "nobody"}, {"type", "USER"}}}}}}},
       "comment.mentions[0].code"},
      {{{"app", 1},
        {"record", 1},
        {"comment", {{"text", "x"}, {"mentions", {{{"code", "sato"}, {"type", "CREATOR"}}}}}}},
       "comment.mentions[0].type"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", "x"}, {"bold", true}}}}, "comment.bold"},
      {{{"app", 1}, {"record", 1}, {"comment", {{"text", "x"}}}, {"notify", true}}, "notify"},
      {{{"app", 1}, {"record", "x"}, {"comment", {{"text", "x"}}}}, "record"},
  };
  for (const auto& k : cases) {
    auto c = call("sato", "POST", "/k/v1/record/comment.json", k.body);
    expectError(c, 400, "CB_VA01");
    EXPECT_FALSE(messagesOf(c, k.key).empty()) << k.key << " " << c.body.dump();
  }
  // 65,535 characters is the limit in characters, not bytes: 65,535 kanji are accepted.
  std::string kanji;
  for (int i = 0; i < 65535; ++i) kanji += "字";
  expectError(call("sato", "POST", "/k/v1/record/comment.json",
                   json{{"app", 1}, {"record", 99}, {"comment", {{"text", kanji}}}}),
              404, "GAIA_RE01");
  expectError(call("sato", "GET", "/k/v1/record/comments.json?app=1&record=1&limit=11"), 400,
              "CB_VA01");
  expectError(call("sato", "GET", "/k/v1/record/comments.json?app=1&record=1&order=up"), 400,
              "CB_VA01");
  expectError(call("sato", "GET", "/k/v1/record/comments.json?app=1&record=1&sort=id"), 400,
              "CB_VA01");
  expectError(call("sato", "GET", "/k/v1/record/comments.json?app=9&record=1"), 404, "GAIA_AP01");
  EXPECT_EQ(svc.snapshotRows(), before);
  EXPECT_EQ(call("sato", "POST", "/k/v1/record/comment.json",
                 json{{"app", 1}, {"record", 1}, {"comment", {{"text", kanji}}}})
                .status,
            200);
}

}  // namespace ringi::apitest

namespace ringi::apitest {

TEST_F(WorkbenchTest, TasksAndActionsSayWhatTheCallerMayDo) {
  auto tasks = call("sato", "GET", "/batch_approvals/_tasks").body["tasks"];
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0]["actions"], json({"承認する", "差し戻す", "却下する"}));
  auto a = call("sato", "GET", "/batch_approvals/_actions?app=1&id=1");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  ASSERT_EQ(a.body["actions"].size(), 3u);
  const json directors =
      json::parse(R"([{"code":"tanaka","name":"田中"},{"code":"suzuki","name":"鈴木"}])");
  EXPECT_EQ(a.body["actions"][0]["name"], "承認する");
  EXPECT_EQ(a.body["actions"][0]["nextStatus"]["name"], "部長承認待ち");
  EXPECT_EQ(a.body["actions"][0]["nextStatus"]["type"], "ONE");
  EXPECT_EQ(a.body["actions"][0]["nextStatus"]["assignees"], directors);
  // 差し戻す goes back to the creator's 下書き: one candidate, li
  EXPECT_EQ(a.body["actions"][1]["nextStatus"]["assignees"],
            json::parse(R"([{"code":"li","name":"李"}])"));
  // li is no assignee of record 1: nothing to run
  EXPECT_EQ(call("li", "GET", "/batch_approvals/_actions?app=1&id=1").body["actions"],
            json::array());
  expectError(call("sato", "GET", "/batch_approvals/_actions?app=1&id=99"), 404, "GAIA_RE01");
  expectError(call("sato", "GET", "/batch_approvals/_actions?app=1"), 400, "CB_VA01");
  expectError(call("sato", "GET", "/batch_approvals/_actions?app=1&id=1&x=1"), 400, "CB_VA01");
}

// The page's UI language decides the answer's language; without one, the user's locale does.
TEST_F(WorkbenchTest, ARequestedLocaleOverridesTheUsersOwn) {
  auto answer = [&](const std::string& locale) {
    std::string doc = R"({"user":"sato","method":"GET","path":"/k/v1/record.json?app=1&id=99")";
    if (!locale.empty()) doc += R"(,"locale":")" + locale + "\"";
    return json::parse(svc.handleJson(doc + "}").body)["message"].get<std::string>();
  };
  EXPECT_EQ(answer(""), "指定したレコード（id: 99）が見つかりません。");
  EXPECT_EQ(answer("en"), "The specified record (ID: 99) is not found.");
  EXPECT_EQ(answer("zh"), "指定的记录（ID: 99）不存在。");
  auto bad =
      svc.handleJson(R"({"user":"sato","method":"GET","path":"/k/v1/apps.json","locale":"fr"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("locale"), std::string::npos);
  // batch reasons follow it too
  auto ids = openTaskIds("sato");
  auto c = json::parse(svc.handleJson(json{{"user", "sato"},
                                           {"method", "POST"},
                                           {"path", "/batch_approvals/_check"},
                                           {"body", ids},
                                           {"locale", "en"}}
                                          .dump())
                           .body);
  EXPECT_EQ(c[0]["reason"], "The next status requires choosing an assignee.");
}

}  // namespace ringi::apitest
