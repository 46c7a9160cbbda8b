// decodeRowsText (Service::restore), the one reader of stored rows: it gives the Snapshot an
// independent decoder (the oracle below, on nlohmann values) gives for every valid document, and
// every other document gets an error that says where: CB_IJ01 for text that is not JSON,
// RINGI_WS01 naming the store, the row and the byte for a row not in the shape Ringi writes.
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
std::string outcome(Snapshot (*decode)(std::string_view), const std::string& text) {
  try {
    return describe(decode(text));
  } catch (const domain::Error& e) {
    std::string out = "error " + e.code();
    for (const auto& a : e.args()) out += " [" + a + "]";
    for (const auto& f : e.fields()) out += " " + f.key + ":" + f.message;
    return out;
  }
}

// The oracle: records, history rows and tasks decoded the plain way, from nlohmann values (the
// reader this project shipped before it had only the fast one); the few-row stores (directory,
// apps, batches, meta), which the reader decodes from such values itself, through the reader.
namespace oracle {
int64_t num(const api::Json& j, const char* key, int64_t def = 0) {
  auto it = j.find(key);
  int64_t n = def;
  return it != j.end() && api::toInt64(*it, &n) ? n : def;
}
std::string text(const api::Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::vector<std::string> strings(const api::Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array())
    for (const auto& x : *it) out.push_back(x.get<std::string>());
  return out;
}
void entries(const api::Json& j, const char* key, std::vector<domain::StatusChange>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  for (const auto& h : *it)
    out->push_back({num(h, "at"), text(h, "status"), text(h, "action"), text(h, "actor"),
                    strings(h, "assignees")});
}
void tasks(const api::Json& list, int64_t app, int64_t record, Snapshot* s) {
  if (list.is_null()) return;
  for (const auto& j : list) {
    domain::Task t;
    t.key = *domain::parseTaskKey(text(j, "id"));
    t.app = app;
    t.record = record;
    t.status = text(j, "status");
    t.assignee = text(j, "assignee");
    t.entry = num(j, "entry");
    const std::string state = text(j, "state");
    t.state = state == "closed"    ? domain::TaskState::closed
              : state == "deleted" ? domain::TaskState::deleted
                                   : domain::TaskState::open;
    t.openedAt = num(j, "openedAt");
    t.closedAt = num(j, "closedAt");
    t.closedBy = text(j, "closedBy");
    s->tasks.push_back(std::move(t));
  }
}
const api::Json& at(const api::Json& j, const char* key) {
  static const api::Json null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}
Snapshot decode(const std::string& doc) {
  const api::Json all = api::Json::parse(doc);
  api::Json few = api::Json::object();
  Snapshot s;
  for (auto store = all.begin(); store != all.end(); ++store) {
    const std::string& name = store.key();
    if (name != "records" && name != "history" && name != "tasks") {
      few[name] = store.value();
      continue;
    }
    if (store->is_null()) continue;
    for (const auto& j : *store) {
      if (name == "tasks") {
        tasks(api::Json::array({j}), num(j, "app"), num(j, "record"), &s);
      } else if (name == "history") {
        domain::HistoryChunk c{num(j, "app"), num(j, "record"), num(j, "from"), {}};
        entries(j, "entries", &c.entries);
        tasks(at(j, "tasks"), c.app, c.record, &s);
        s.history.push_back(std::move(c));
      } else {
        domain::Record r;
        r.app = num(j, "app");
        r.id = num(j, "id");
        r.revision = num(j, "revision", 1);
        for (auto v = at(j, "values").begin();
             at(j, "values").is_object() && v != at(j, "values").end(); ++v) {
          domain::FieldValue fv;
          if (v->is_string())
            fv.text = v->get<std::string>();
          else if (v->is_array())
            fv.items = v->get<std::vector<std::string>>();
          else
            fv = {text(*v, "text"), strings(*v, "items")};
          r.values[v.key()] = std::move(fv);
        }
        r.status = text(j, "status");
        r.assignees = strings(j, "assignees");
        r.actedBy = strings(j, "actedBy");
        r.creator = text(j, "creator");
        r.modifier = text(j, "modifier");
        r.createdAt = num(j, "createdAt");
        r.updatedAt = num(j, "updatedAt");
        r.archived = num(j, "historyFrom");
        entries(j, "history", &r.history);
        tasks(at(j, "tasks"), r.app, r.id, &s);
        s.records.push_back(std::move(r));
      }
    }
  }
  Snapshot rest = storage::decodeRowsText(few.dump());
  s.users = std::move(rest.users);
  s.organizations = std::move(rest.organizations);
  s.groups = std::move(rest.groups);
  s.apps = std::move(rest.apps);
  s.batches = std::move(rest.batches);
  s.nextAppId = rest.nextAppId;
  return s;
}
}  // namespace oracle

// The reader decodes `text` to what the oracle decodes it to.
void expectSameAsOracle(const std::string& text) {
  EXPECT_EQ(outcome(storage::decodeRowsText, text), describe(oracle::decode(text))) << text;
}

// The reader refuses `text`, saying what `want` says (a prefix of its outcome()).
void expectRefused(const std::string& text, const std::string& want) {
  const std::string got = outcome(storage::decodeRowsText, text);
  EXPECT_EQ(got.rfind(want, 0), 0u) << text << "\n -> " << got;
}

const char* kApp =
    R"({"app":3,"name":"A","description":"d","locale":"ja","space":null,"guest":false,
  "creator":"u1","createdAt":1,"modifiedAt":2,
  "fields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}},
  "previewFields":{"t":{"type":"SINGLE_LINE_TEXT","code":"t","label":"T"}},
  "process":{"enable":true,"states":{"S":{"name":"S","index":"0","assignee":{"type":"ONE","entities":[]}}},"actions":[]},
  "previewProcess":{"enable":false,"states":{},"actions":[]},"revision":4,"previewRevision":5,
  "batchApproval":{"enabled":true,"actions":{}},"nextRecordId":20})";

TEST(StorageDecode, HandMadeRowsDecodeAsTheOracleDecodesThem) {
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
                      "history":[{"at":1}],"history":[{"at":2,"at":3,"status":"s","status":"t"}]},
                     {"app":3,"id":11,"values":{"x":{"text":"1","text":"2","items":["a"],"items":[]}}}],
          "tasks":[{"id":"a","id":"0000000000000000000000000000000b","state":"closed","state":"open"}]})",
  };
  for (const auto& d : docs) expectSameAsOracle(d);
}

TEST_F(ApiTest, EngineRowsDecodeAsTheOracleDecodesThem) {
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
  expectSameAsOracle(rows);
  api::Service fresh;
  ASSERT_EQ(fresh.restore(rows).status, 200);
  EXPECT_EQ(storage::snapshotRowsText(fresh.engine()), rows);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
}

TEST_F(Seed003Test, Seed003RowsDecodeAsTheOracleDecodesThem) {
  expectSameAsOracle(storage::snapshotRowsText(svc.engine()));
}

// JSON that is not in the shape Ringi writes: refused, naming the store and the row (a reader that
// guessed at such rows would build a state no commit made).
TEST(StorageDecode, RowsNotInTheShapeRingiWritesAreRefusedByName) {
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  const std::string row0 =
      "error RINGI_WS01 [the stored row records[0] is not in the shape Ringi writes (byte 12";
  const std::vector<std::pair<std::string, std::string>> docs = {
      {R"({"records":[{"app":"3","id":"1"}]})", row0},  // numbers as strings
      {R"({"records":[{"app":3,"id":1,"status":null}]})", row0},
      {R"({"records":[{"app":3,"id":1,"values":{"n":5}}]})", row0},
      {R"({"records":[{"app":3,"id":1,"values":[]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"assignees":["a",1,null]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"history":[5,{"at":1}]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"values":{"x":{"text":5}}}]})", row0},
      {R"({"records":[{"app":3,"id":1,"tasks":{}}]})", row0},
      {R"({"records":[{"app":3,"id":1,"tasks":[5]}]})", row0},
      {R"({"records":[{"app":1,"id":1,"tasks":[{"id":"t"}]}]})", row0},  // a task id is 32 hex
      // Comments: a comment id past the record's counter (it would be given again), none below
      // 1, a negative counter, a mention of no entity type, a comment that is no object.
      {R"({"records":[{"app":3,"id":1,"lastCommentId":1,"comments":[{"id":2}]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"comments":[{"id":1}]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"lastCommentId":1,"comments":[{"id":0}]}]})", row0},
      {R"({"records":[{"app":3,"id":1,"lastCommentId":-1}]})", row0},
      {R"({"records":[{"app":3,"id":1,"lastCommentId":1,"comments":[{"id":1,"mentions":[{"code":"a","type":"ROBOT"}]}]}]})",
       row0},
      {R"({"records":[{"app":3,"id":1,"lastCommentId":1,"comments":[5]}]})", row0},
      {R"({"records": [1]})",
       "error RINGI_WS01 [the stored row records[0] is not in the shape Ringi writes (byte 13"},
      {R"({"records":[{"app":1,"id":1}],"records":[{}, 5]})",
       "error RINGI_WS01 [the stored row records[1] is not in the shape Ringi writes (byte 45"},
      {R"({"tasks":[{"id":7,"state":"closed"}]})", "error RINGI_WS01 [the stored row tasks[0]"},
      {R"({"tasks":[{"id":"t","app":true}]})", "error RINGI_WS01 [the stored row tasks[0]"},
      {R"({"tasks":[{"id":"0123456789ABCDEF0123456789abcdef"}]})",
       "error RINGI_WS01 [the stored row tasks[0]"},
      {R"({"tasks":[{"id":"0123456789abcdef0123456789abcde"}]})",
       "error RINGI_WS01 [the stored row tasks[0]"},
      {R"({"history":[{"app":1,"record":1,"from":0,"entries":{}}]})",
       "error RINGI_WS01 [the stored row history[0]"},
      {R"({"users": [{"code":"u","name":"U","locale":"en"}, 7]})",
       "error RINGI_WS01 [the stored row users[1] is not in the shape Ringi writes (byte 50"},
      {R"({"records":{}})", "error RINGI_WS01 [the store records is not a list of rows (byte 11"},
      {R"({"records": 5})", "error RINGI_WS01 [the store records is not a list of rows (byte 12"},
      {R"({"records":{"a":{"app":3,"id":1}}})",
       "error RINGI_WS01 [the store records is not a list of rows"},
      {"[1,2]", "error RINGI_WS01 [the storage state must be a JSON object (byte 0"},
      {"5", "error RINGI_WS01 [the storage state must be a JSON object"},
      {"\"rows\"", "error RINGI_WS01 [the storage state must be a JSON object"},
      // Rows the codecs refuse keep their keyed errors.
      {R"({"apps":[{"app":1,"fields":{"x":{"type":"WHAT"}}}]})", "error CB_VA01 apps[0].fields"},
      // Not JSON at all.
      {"\xEF\xBB\xBF{\"records\":[{\"app\":3,\"id\":1}]}", "error CB_IJ01"},    // a byte order mark
      {R"({"records":[{"app":3,"id":1,"x":)" + deep + "}]}", "error CB_IJ01"},  // past 128 levels
  };
  for (const auto& [doc, want] : docs) expectRefused(doc, want);
}

// Text that is not JSON: CB_IJ01, wherever it breaks.
TEST(StorageDecode, TextThatIsNotJsonIsInvalidJson) {
  for (const std::string doc : {
           "",
           "{not json",
           "{\"users\": [",
           "{}x",
           "{} {}",
           "{\"records\":[{\"app\":1,}]}",
           "{\"records\":[{\"app\":1,\"status\":\"\\x\"}]}",
           "{\"records\":[{\"app\":1,\"status\":\"a\x01\"}]}",
           "{\"records\":[{\"app\":1,\"status\":\"\xff\"}]}",
           "{\"records\":[{\"app\":01}]}",
           "{\"records\":[{\"app\":1e400}]}",
           "{\"records\":[{\"skipped\":[-1e400]}]}",
           "{\"tasks\":[{\"id\":\"\\ud83d\"}]}",
           "{\"tasks\":[{\"id\":\"\\ude00\"}]}",
           "{\"apps\":[{\"app\":1,\"name\":\"\\q\"}]}",
       })
    expectRefused(doc, "error CB_IJ01");
  expectRefused("[" + std::string(200, '[') + std::string(200, ']') + "]", "error CB_IJ01");
}

TEST(StorageDecode, EveryTruncationIsInvalidJson) {
  const std::string doc =
      std::string(R"({"users":[{"code":"u1","name":"U","locale":"en"}],"apps":[)") + kApp +
      R"(],"records":[{"app":3,"id":1,"revision":2,"values":{"t":"a\u00e9\ud83d\ude00","m":["x"],
      "b":{"text":"y","items":["z"]}},"status":"S","assignees":["u1"],"history":[{"at":1,"status":"S"}],
      "tasks":[{"id":"0000000000000000000000000000000b","state":"open","openedAt":7}]}],
      "tasks":[{"id":"0000000000000000000000000000000a","app":3,"record":1,"state":"closed","closedAt":-5}],"meta":[{"key":"engine","nextAppId":4}]})";
  expectSameAsOracle(doc);
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
