// One rule, one answer: whether an action waits for the other ALL assignees, and whether the next
// status needs the user to choose an assignee, decided in one place (Engine::waitsForOthers,
// Engine::nextAssignees) for a single status change, _check and a batch task. Each case runs the
// three ways, each on a fresh engine, and they must agree.
#include "api_fixture.h"

namespace ringi::apitest {
namespace {

// Review (ALL: a, b) leads, by the app's batch action, to Decide (ONE: a or c) or Sign (ONE: c).
// Record 1 waits for a and b; record 2 only for b (a acted already).
const char* kAllWorkspace = R"({
  "users": [{"code": "a", "name": "A", "locale": "en"}, {"code": "b", "name": "B", "locale": "en"},
            {"code": "c", "name": "C", "locale": "en"}],
  "organizations": [], "groups": [],
  "apps": [
    {"app": 1, "name": "primary to a choice", "locale": "en", "fields": {},
     "status": {"enable": true, "states": {
        "Review": {"name": "Review", "index": "0", "assignee": {"type": "ALL", "entities": [
          {"entity": {"type": "USER", "code": "a"}, "includeSubs": false}, {"entity": {"type": "USER", "code": "b"}, "includeSubs": false}]}},
        "Decide": {"name": "Decide", "index": "1", "assignee": {"type": "ONE", "entities": [
          {"entity": {"type": "USER", "code": "a"}, "includeSubs": false}, {"entity": {"type": "USER", "code": "c"}, "includeSubs": false}]}}},
      "actions": [{"name": "Approve", "from": "Review", "to": "Decide", "filterCond": "", "type": "PRIMARY"}]},
     "batch_approval": {"enabled": true, "actions": {"Review": "Approve"}},
     "records": [
       {"$id": {"value": "1"}, "$revision": {"value": "1"}, "Status": {"value": "Review"}, "Assignee": {"value": [{"code": "a"}, {"code": "b"}]}},
       {"$id": {"value": "2"}, "$revision": {"value": "1"}, "Status": {"value": "Review"}, "Assignee": {"value": [{"code": "b"}]}}]},
    {"app": 2, "name": "secondary to a choice", "locale": "en", "fields": {},
     "status": {"enable": true, "states": {
        "Review": {"name": "Review", "index": "0", "assignee": {"type": "ALL", "entities": [
          {"entity": {"type": "USER", "code": "a"}, "includeSubs": false}, {"entity": {"type": "USER", "code": "b"}, "includeSubs": false}]}},
        "Decide": {"name": "Decide", "index": "1", "assignee": {"type": "ONE", "entities": [
          {"entity": {"type": "USER", "code": "a"}, "includeSubs": false}, {"entity": {"type": "USER", "code": "c"}, "includeSubs": false}]}}},
      "actions": [{"name": "Escalate", "from": "Review", "to": "Decide", "filterCond": "", "type": "SECONDARY",
                   "executableUser": {"entities": [{"entity": {"type": "USER", "code": "a"}, "includeSubs": false}]}}]},
     "batch_approval": {"enabled": true, "actions": {"Review": "Escalate"}},
     "records": [
       {"$id": {"value": "1"}, "$revision": {"value": "1"}, "Status": {"value": "Review"}, "Assignee": {"value": [{"code": "a"}, {"code": "b"}]}}]},
    {"app": 3, "name": "primary to one candidate", "locale": "en", "fields": {},
     "status": {"enable": true, "states": {
        "Review": {"name": "Review", "index": "0", "assignee": {"type": "ALL", "entities": [
          {"entity": {"type": "USER", "code": "a"}, "includeSubs": false}, {"entity": {"type": "USER", "code": "b"}, "includeSubs": false}]}},
        "Sign": {"name": "Sign", "index": "1", "assignee": {"type": "ONE", "entities": [
          {"entity": {"type": "USER", "code": "c"}, "includeSubs": false}]}}},
      "actions": [{"name": "Approve", "from": "Review", "to": "Sign", "filterCond": "", "type": "PRIMARY"}]},
     "batch_approval": {"enabled": true, "actions": {"Review": "Approve"}},
     "records": [
       {"$id": {"value": "1"}, "$revision": {"value": "1"}, "Status": {"value": "Review"}, "Assignee": {"value": [{"code": "a"}, {"code": "b"}]}},
       {"$id": {"value": "2"}, "$revision": {"value": "1"}, "Status": {"value": "Review"}, "Assignee": {"value": [{"code": "b"}]}}]}
  ]
})";

struct Case {
  const char* name;
  const char* user;
  int64_t app;
  int64_t record;
  const char* action;
  const char* assignee;  // what a status change sends: the one candidate a batch fills in, or ""
  const char* reason;    // _check's and the batch's reason_code ("" = supported, succeeded)
  const char* code;      // the status change's error code ("" = 200)
};

const Case kCases[] = {
    {"ALL, a's PRIMARY action waits for b: no assignee is asked for", "a", 1, 1, "Approve", "", "",
     ""},
    {"ALL, a SECONDARY action moves at once: the next status needs a choice", "a", 2, 1, "Escalate",
     "", "assignee_required", "GAIA_SA01"},
    {"ALL, the last assignee's PRIMARY action moves: the next status needs a choice", "b", 1, 2,
     "Approve", "", "assignee_required", "GAIA_SA01"},
    {"ALL, a waits for b; the one candidate is not asked for either", "a", 3, 1, "Approve", "", "",
     ""},
    {"ALL, the last assignee moves to the one candidate, filled in", "b", 3, 2, "Approve", "c", "",
     ""},
};

class OneRuleTest : public ApiTest {
 protected:
  std::string workspace() const override { return kAllWorkspace; }

  std::string taskOf(const Case& c) {
    auto t = call(
        c.user, "GET",
        std::string("/batch_approvals/_tasks?user_id=") + c.user + "&app=" + std::to_string(c.app));
    for (const auto& task : t.body["tasks"])
      if (task["record_id"] == std::to_string(c.record)) return task["task_id"];
    ADD_FAILURE() << c.name << ": no open task";
    return "";
  }
};

TEST_F(OneRuleTest, CheckBatchAndStatusChangeGiveTheSameAnswer) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    // _check
    SetUp();
    const std::string task = taskOf(c);
    auto check = call(c.user, "POST", std::string("/batch_approvals/_check?user_id=") + c.user,
                      json::array({task}));
    ASSERT_EQ(check.status, 200) << check.body.dump();
    const std::string checked =
        check.body[0]["supported"] == true ? "" : check.body[0]["reason_code"].get<std::string>();
    // the batch
    SetUp();
    auto submit = call(c.user, "POST", std::string("/batch_approvals/_submit?user_id=") + c.user,
                       json::array({taskOf(c)}));
    ASSERT_EQ(submit.status, 200) << submit.body.dump();
    while (svc.hasPendingBatches()) ASSERT_EQ(svc.runChunk(200).status, 200);
    auto progress = call(c.user, "GET",
                         std::string("/batch_approvals/_submit?user_id=") + c.user +
                             "&batch_number=" + submit.body["batch_number"].get<std::string>());
    const std::string ran = progress.body["failures"].empty()
                                ? ""
                                : progress.body["failures"][0]["reason_code"].get<std::string>();
    // a single status change
    SetUp();
    json body{{"app", c.app}, {"id", c.record}, {"action", c.action}};
    if (*c.assignee) body["assignee"] = c.assignee;
    auto put = call(c.user, "PUT", "/k/v1/record/status.json", body);
    const std::string code = put.status == 200 ? "" : put.body.value("code", "?");

    EXPECT_EQ(checked, c.reason) << "_check";
    EXPECT_EQ(ran, c.reason) << "the batch";
    EXPECT_EQ(code, c.code) << "the status change: " << put.body.dump();
  }
}

}  // namespace
}  // namespace ringi::apitest
