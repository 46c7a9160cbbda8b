// decodeRowsText (Service::restore): the fast reader gives exactly the Snapshot the checked
// decoder gives, hands every document it does not handle to the checked one, and every
// malformed document still gets the checked decoder's error.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/settings_codec.h"
#include "api/storage_format.h"
#include "api_fixture.h"
#include "domain/error.h"

namespace ringi::apitest {

namespace storage = api::storage;
using domain::Snapshot;

// Every decoded field as text (the storage encoders are lossless), so a mismatch shows where.
std::string describe(const Snapshot& s) {
  std::string out;
  auto add = [&](const char* what, const api::Json& j) {
    out += what;
    out += ' ';
    out += j.dump();
    out += '\n';
  };
  for (const auto& u : s.users) add("user", api::codec::encodeUser(u));
  for (const auto& o : s.organizations) add("organization", api::codec::encodeOrganization(o));
  for (const auto& g : s.groups) add("group", api::codec::encodeGroup(g));
  for (const auto& a : s.apps) add("app", storage::encodeApp(a));
  auto row = [&](const char* what, auto write, const auto& item) {
    std::string text;
    api::JsonWriter w(text);
    write(w, item);
    out += what;
    out += ' ' + text + '\n';
  };
  for (const auto& r : s.records)
    row(
        "record",
        [](api::JsonWriter& w, const domain::Record& r) { storage::writeRecordRow(w, r, {}); }, r);
  for (const auto& t : s.tasks) row("task", storage::writeTaskRow, t);
  for (const auto& b : s.batches) row("batch", storage::writeBatchRow, b);
  out += "nextAppId " + std::to_string(s.nextAppId) + "\n";
  return out;
}

// The snapshot, or the error code with each field error's key and message.
std::string outcome(Snapshot (*decode)(const std::string&), const std::string& text) {
  try {
    return describe(decode(text));
  } catch (const domain::Error& e) {
    std::string out = "error " + e.code();
    for (const auto& a : e.args()) out += " [" + a + "]";
    for (const auto& f : e.fields()) out += " " + f.key + ":" + f.message;
    return out;
  }
}

// The fast path decodes `text` itself, and to the same snapshot as the checked decoder.
void expectFastAndSame(const std::string& text) {
  auto fast = storage::decodeRowsFast(text);
  ASSERT_TRUE(fast.has_value()) << text;
  const std::string checked = outcome(storage::decodeRowsTextChecked, text);
  EXPECT_EQ(describe(*fast), checked) << text;
  EXPECT_EQ(outcome(storage::decodeRowsText, text), checked) << text;
}

// The fast path gives up on `text`; decodeRowsText still answers exactly as the checked decoder.
void expectFallbackAndSame(const std::string& text) {
  EXPECT_FALSE(storage::decodeRowsFast(text).has_value()) << text;
  EXPECT_EQ(outcome(storage::decodeRowsText, text), outcome(storage::decodeRowsTextChecked, text))
      << text;
}

const char* kApp =
    R"({"app":3,"name":"A","description":"d","locale":"ja","space":null,"guest":false,
  "creator":"u1","createdAt":1,"modifiedAt":2,
  "fields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}},
  "previewFields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}},
  "process":{"enable":true,"states":{"S":{"name":"S","index":"0","assignee":{"type":"ONE","entities":[]}}},"actions":[]},
  "previewProcess":{"enable":false,"states":{},"actions":[]},"revision":4,"previewRevision":5,
  "batchApproval":{"enabled":true,"actions":{}},"nextRecordId":20})";

TEST(StorageDecode, HandMadeRowsDecodeTheSameOnTheFastPath) {
  const std::string app = kApp;
  const std::vector<std::string> docs = {
      "{}",
      " { } ",
      R"({"records":[],"tasks":[],"users":null})",
      // every value shape, escapes, unicode, history
      R"({"users":[{"code":"u1","name":"ユーザー","locale":"ja"},{"code":"u2","name":"Two","locale":"en"}],
          "organizations":[{"code":"o","name":"O","parent":null,"members":["u1"]}],
          "groups":[{"code":"g","name":"G","members":["u2"]}],
          "apps":[)" +
          app + R"(],
          "records":[{"app":3,"id":1,"revision":2,
             "values":{"t":"plain","m":["a","b"],"both":{"text":"x","items":["y","z"]},"empty":"",
                       "none":[],"obj":{},"esc":"q\"\\\/\b\f\n\r\t\u00e9\u3042\ud83d\ude00 李 😀",
                       "件名":"出張"},
             "status":"S","assignees":["u1","u2"],"actedBy":["u2"],"creator":"u1","modifier":"u2",
             "createdAt":1795323424280,"updatedAt":1795323424281,
             "history":[{"at":1,"status":"S","action":"","actor":"","assignees":["u1"]},
                        {"at":2,"status":"T","action":"go \u2192","actor":"u1","assignees":[]}]}],
          "tasks":[{"id":"0123456789abcdef0123456789abcdef","app":3,"record":1,"status":"S",
                    "assignee":"u1","entry":0,"state":"open","openedAt":1,"closedAt":0,"closedBy":""},
                   {"id":"0000000000000000000000000000000b","state":"closed","closedBy":"u1","closedAt":9},
                   {"id":"0000000000000000000000000000000c","state":"deleted"},{"id":"0000000000000000000000000000000d","state":"weird"}],
          "batches":[{"batch_number":"b1","user":"u1","task_ids":["a","b"],"processed":2,
                      "succeeded":1,"failures":[{"task_id":"b","reason_code":"task_closed"}],
                      "state":"finished","createdAt":1,"startedAt":2,"finishedAt":3}],
          "meta":[{"key":"engine","nextAppId":7}]})",
      // tasks in their record's row (app and record are the row's, wherever they stand, and win
      // over the task's own), next to a row of the tasks store; "tasks": null is no tasks
      R"({"records":[{"tasks":[{"id":"0123456789abcdef0123456789abcdef","status":"S","assignee":"u1",
                               "entry":0,"state":"open","openedAt":1,"closedAt":0,"closedBy":""},
                              {"id":"0000000000000000000000000000000b","app":9,"record":9,"state":"closed"}],
                      "app":3,"id":1},
                     {"app":3,"id":2,"tasks":[]},{"app":3,"id":3,"tasks":null},
                     {"app":3,"id":4,"tasks":[{"id":"0000000000000000000000000000000c"}],
                      "tasks":[{"id":"0000000000000000000000000000000d","state":"closed"}]}],
          "tasks":[{"id":"0000000000000000000000000000000e","app":3,"record":99,"state":"deleted"}]})",
      // keys in another order, unknown keys (skipped), missing keys (defaults)
      R"({"tasks":[{"closedBy":"","zz":{"a":[1,{"b":null}]},"state":"closed","id":"0000000000000000000000000000000e","app":1}],
          "records":[{"history":[{"extra":[true,false],"assignees":["x"],"at":3}],"updatedAt":5,
                      "id":2,"extra":{"deep":[1,{"x":null}],"s":"\ud83d\ude00"},"app":3,"values":{},
                      "zzz":true,"n":-1.5e300},
                     {}],
          "unknownStore":[{"a":1},{"b":[2]}],"meta":[{"key":"other","nextAppId":99}]})",
      // whitespace between every token, and integral numbers written as floats
      "{ \"records\" :\n[ { \"app\" : 3 ,\r\n\t\"id\" : 3.0 , \"revision\" : 1e0 , \"createdAt\" : "
      "1.5 ,"
      " \"updatedAt\" : -0 , \"values\" : { \"t\" : [ \"a\" , \"b\" ] , \"u\" : { \"items\" : [ ] "
      ", "
      "\"text\" : \"v\" , \"other\" : 1 } } , \"history\" : [ { \"at\" : 2E3 } ] } ] ,"
      " \"tasks\" : [ { \"id\" : \"0000000000000000000000000000000f\" , \"entry\" : "
      "9223372036854775807 ,"
      " \"openedAt\" : 9223372036854775808 , \"closedAt\" : -9223372036854775808 } ] }\n",
      // repeated keys: the last one wins, as in nlohmann's object
      R"({"records":[{"app":3,"id":9,"id":10,"status":"a","status":"b","assignees":["x","y"],
                      "assignees":["z"],"values":{"t":"a"},"values":{"u":"b","u":["c"]},
                      "history":[{"at":1}],"history":[{"at":2,"at":3,"status":"s","status":"t"}]}],
          "tasks":[{"id":"a","id":"0000000000000000000000000000000b","state":"closed","state":"open"}],
          "records":[{"app":3,"id":11,"values":{"x":{"text":"1","text":"2","items":["a"],"items":[]}}}]})",
  };
  for (const auto& d : docs) expectFastAndSame(d);
}

TEST_F(ApiTest, EngineRowsDecodeTheSameOnTheFastPath) {
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato")))
                .status,
            200);
  ASSERT_EQ(call("smith", "POST", "/k/v1/record.json",
                 json{{"app", 1}, {"record", {{"件名", {{"value", "改行\n\"引用\" \\ タブ\t😀"}}}}}})
                .status,
            200);
  const std::string rows = storage::snapshotRowsText(svc.engine());
  expectFastAndSame(rows);
  api::Service fresh;
  ASSERT_EQ(fresh.restore(rows).status, 200);
  EXPECT_EQ(storage::snapshotRowsText(fresh.engine()), rows);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
}

TEST_F(Seed003Test, Seed003RowsDecodeTheSameOnTheFastPath) {
  expectFastAndSame(storage::snapshotRowsText(svc.engine()));
}

// Valid rows the fast path does not read itself: the checked decoder does, with the same result.
TEST(StorageDecode, UnusualRowsFallBackToTheCheckedDecoder) {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  for (const std::string& doc : std::vector<std::string>{
           R"({"records":[{"app":"3","id":"1"}]})",  // numeric strings (toInt64 takes them)
           R"({"records":[{"app":3,"id":1,"status":null}]})",
           R"({"records":[{"app":3,"id":1,"values":{"n":5}}]})",
           R"({"records":[{"app":3,"id":1,"values":[]}]})",
           R"({"records":[{"app":3,"id":1,"assignees":["a",1,null]}]})",
           R"({"records":[{"app":3,"id":1,"history":[5,{"at":1}]}]})",
           R"({"records":[{"app":3,"id":1,"values":{"x":{"text":5}}}]})",
           R"({"tasks":[{"id":7,"state":"closed"}]})",
           R"({"tasks":[{"id":"t","app":true}]})",
           R"({"records":[{"app":3,"id":1,"tasks":{}}]})",
           R"({"records":[{"app":3,"id":1,"tasks":[5]}]})",
           R"({"records":{}})",
           R"({"records":{"a":{"app":3,"id":1}}})",
           "\xEF\xBB\xBF{\"records\":[{\"app\":3,\"id\":1}]}",  // a byte order mark
           R"({"records":[{"app":3,"id":1,"x":)" + deep + "}]}",
       })
    expectFallbackAndSame(doc);
}

// Malformed documents: the same error code (and field errors) as the checked decoder.
TEST(StorageDecode, MalformedRowsGiveTheCheckedDecodersError) {
  const std::vector<std::pair<std::string, std::string>> docs = {
      {"", "CB_IJ01"},
      {"{not json", "CB_IJ01"},
      {"{\"users\": [", "CB_IJ01"},
      {"{}x", "CB_IJ01"},
      {"{} {}", "CB_IJ01"},
      {"{\"records\":[{\"app\":1,}]}", "CB_IJ01"},
      {"{\"records\":[{\"app\":1,\"status\":\"\\x\"}]}", "CB_IJ01"},
      {"{\"records\":[{\"app\":1,\"status\":\"a\x01\"}]}", "CB_IJ01"},
      {"{\"records\":[{\"app\":1,\"status\":\"\xff\"}]}", "CB_IJ01"},
      {"{\"records\":[{\"app\":01}]}", "CB_IJ01"},
      {"{\"records\":[{\"app\":1e400}]}", "CB_IJ01"},  // nlohmann: number overflow
      {"{\"records\":[{\"skipped\":[-1e400]}]}", "CB_IJ01"},
      {"{\"tasks\":[{\"id\":\"\\ud83d\"}]}", "CB_IJ01"},
      {"{\"tasks\":[{\"id\":\"\\ude00\"}]}", "CB_IJ01"},
      {"{\"apps\":[{\"app\":1,\"name\":\"\\q\"}]}", "CB_IJ01"},
      {"[1,2]", "RINGI_WS01"},
      {"5", "RINGI_WS01"},
      {"\"rows\"", "RINGI_WS01"},
      {"[" + std::string(200, '[') + std::string(200, ']') + "]", "CB_IJ01"},  // past kMaxDepth
      {"{\"records\":[{\"app\":1,\"x\":" + std::string(200, '[') + std::string(200, ']') + "}]}",
       "CB_IJ01"},
      {"{\"records\": 5}", "CB_VA01"},
      {"{\"records\": {\"a\": {\"app\":3,\"id\":1}}}",
       "CB_VA01"},  // an object is not an array of rows
      {"{\"records\": [1]}", "CB_VA01"},
      {"{\"records\": [{\"app\":1}, [], null, \"x\"]}", "CB_VA01"},
      {"{\"users\": [{\"code\":\"u\",\"name\":\"U\",\"locale\":\"en\"}, 7], \"tasks\": true}",
       "CB_VA01"},
      {"{\"apps\":[{\"app\":1,\"fields\":{\"x\":{\"type\":\"WHAT\"}}}]}", "CB_VA01"},
      {"{\"records\":[{\"app\":1,\"id\":1}],\"records\":[{}, 5]}", "CB_VA01"},
      // a task id is 32 lowercase hex characters (Task holds it as two integers)
      {"{\"tasks\":[{\"id\":\"t\",\"state\":\"open\"}]}", "RINGI_WS01"},
      {"{\"tasks\":[{\"id\":\"0123456789ABCDEF0123456789abcdef\"}]}", "RINGI_WS01"},
      {"{\"tasks\":[{\"id\":\"0123456789abcdef0123456789abcde\"}]}", "RINGI_WS01"},
      {"{\"records\":[{\"app\":1,\"id\":1,\"tasks\":[{\"id\":\"t\"}]}]}", "RINGI_WS01"},
      // a record's tasks are an array of task rows
      {"{\"records\":[{\"app\":1,\"id\":1,\"tasks\":{}}]}", "CB_VA01"},
      {"{\"records\":[{\"app\":1,\"id\":1,\"tasks\":[\"x\"]}]}", "CB_VA01"},
  };
  for (const auto& [doc, code] : docs) {
    const std::string checked = outcome(storage::decodeRowsTextChecked, doc);
    EXPECT_EQ(checked.rfind("error " + code, 0), 0u) << doc << " -> " << checked;
    EXPECT_EQ(outcome(storage::decodeRowsText, doc), checked) << doc;
  }
}

TEST(StorageDecode, EveryTruncationGivesTheCheckedDecodersError) {
  const std::string doc =
      std::string(R"({"users":[{"code":"u1","name":"U","locale":"en"}],"apps":[)") + kApp +
      R"(],"records":[{"app":3,"id":1,"revision":2,"values":{"t":"a\u00e9\ud83d\ude00","m":["x"],
      "b":{"text":"y","items":["z"]}},"status":"S","assignees":["u1"],"history":[{"at":1,"status":"S"}],
      "tasks":[{"id":"0000000000000000000000000000000b","state":"open","openedAt":7}]}],
      "tasks":[{"id":"0000000000000000000000000000000a","app":3,"record":1,"state":"closed","closedAt":-5}],"meta":[{"key":"engine","nextAppId":4}]})";
  ASSERT_TRUE(storage::decodeRowsFast(doc).has_value());
  for (size_t n = 0; n < doc.size(); ++n) {
    const std::string prefix = doc.substr(0, n);
    const std::string got = outcome(storage::decodeRowsText, prefix);
    EXPECT_EQ(got, "error CB_IJ01") << prefix;
  }
}

}  // namespace ringi::apitest

namespace ringi::apitest {

// A batch row that contradicts itself is refused on both paths with the store, the row and what
// is wrong: a batch whose counter was past its tasks once made `serve` run chunks forever.
TEST(StorageDecode, RowsThatContradictThemselvesAreRefusedByName) {
  const std::string ids =
      R"(["0000000000000000000000000000000a","0000000000000000000000000000000b"])";
  auto batch = [&](const std::string& fields) {
    return R"({"batches":[{"batch_number":"00000000000000000000000000000001","user":"u","task_ids":)" +
           ids + "," + fields + "}]}";
  };
  const std::pair<std::string, std::string> docs[] = {
      {batch(R"("processed":7,"succeeded":7,"state":"running")"),
       "the stored row batches[0] (batch 00000000000000000000000000000001) says 7 tasks were "
       "processed, but it has 2"},
      {batch(R"("processed":-1,"succeeded":0,"state":"running")"),
       "the stored row batches[0] (batch 00000000000000000000000000000001) says -1 tasks were "
       "processed, but it has 2"},
      {batch(R"("processed":2,"succeeded":1,"state":"completed")"),
       "the stored row batches[0] (batch 00000000000000000000000000000001) says 1 succeeded and 0 "
       "failed, but 2 were processed"},
      {batch(R"("processed":1,"succeeded":1,"state":"completed")"),
       "the stored row batches[0] (batch 00000000000000000000000000000001) is completed with 1 of "
       "2 tasks processed"},
  };
  for (const auto& [doc, what] : docs) {
    EXPECT_EQ(outcome(storage::decodeRowsText, doc), "error RINGI_WS01 [" + what + "]") << doc;
    EXPECT_EQ(outcome(storage::decodeRowsTextChecked, doc), "error RINGI_WS01 [" + what + "]")
        << doc;
  }
  // What commits write decodes: queued, half-run, cancelled half-way, and done with a failure.
  for (
      const char* fields :
      {R"("processed":0,"succeeded":0,"state":"queued")",
       R"("processed":1,"succeeded":1,"state":"running")",
       R"("processed":1,"succeeded":0,"failures":[{"task_id":"x","reason_code":"task_closed"}],"state":"cancelled")",
       R"("processed":2,"succeeded":1,"failures":[{"task_id":"x","reason_code":"engine_failure"}],"state":"partially_completed")"}) {
    EXPECT_EQ(outcome(storage::decodeRowsText, batch(fields)).rfind("error", 0), std::string::npos)
        << fields;
  }
}

}  // namespace ringi::apitest
