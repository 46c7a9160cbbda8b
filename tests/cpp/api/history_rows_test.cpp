// A record's history in storage (storage_format.h, "history"): a status change writes what it
// added, not the whole history again; archived chunks restore to the same record; rows written
// before chunks existed (the whole history in the record's row) still restore and are split on
// the record's next change; stored chunks that do not match their record are refused by name.
#include <nlohmann/json.hpp>

#include "api/storage_format.h"
#include "api_fixture.h"

namespace ringi::apitest {
namespace {

// The expense app with a way back (差し戻す), so record 1 can go round 承認待ち <-> 未処理.
class HistoryRowsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto cur = call("sato", "GET", "/k/v1/preview/app/status.json?app=1");
    json actions = cur.body["actions"];
    actions.push_back({{"name", "差し戻す"},
                       {"from", "承認待ち"},
                       {"to", "未処理"},
                       {"filterCond", ""},
                       {"type", "PRIMARY"}});
    ASSERT_EQ(call("smith", "PUT", "/k/v1/preview/app/status.json",
                   json{{"app", 1}, {"actions", actions}})
                  .status,
              200);
    ASSERT_EQ(call("smith", "POST", "/k/v1/preview/app/deploy.json", json{{"apps", {{{"app", 1}}}}})
                  .status,
              200);
  }

  // `n` status changes of record 1; the ChangeSet text of each.
  std::vector<std::string> act(api::Service& s, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      const domain::Record* r = s.engine().findRecord(1, 1);
      const char* action = r->status == "承認待ち" ? "差し戻す" : "申請する";
      auto resp = s.handle(api::Request{"sato", "PUT", "/k/v1/record/status.json",
                                        json{{"app", 1}, {"id", 1}, {"action", action}}.dump(),
                                        std::nullopt, std::nullopt});
      EXPECT_EQ(resp.status, 200) << resp.body;
      ++clock;
      out.push_back(resp.changes);
    }
    return out;
  }

  // A Service restored from `rows`, on the test's clock.
  std::unique_ptr<api::Service> restored(const std::string& rows) {
    auto s = std::make_unique<api::Service>();
    s->engine().setClock([this] { return clock; });
    auto r = s->restore(rows);
    EXPECT_EQ(r.status, 200) << r.body;
    return s;
  }
  static json exported(api::Service& s) { return json::parse(s.exportWorkspace()); }

  static size_t totalBytes(const std::vector<std::string>& changes) {
    size_t n = 0;
    for (const auto& c : changes) n += c.size();
    return n;
  }
};

TEST_F(HistoryRowsTest, AStatusChangeWritesTheSameBytesAfter10Or1000EarlierActions) {
  act(svc, 10);
  const std::vector<std::string> early = act(svc, 64);
  act(svc, 1000);
  const std::vector<std::string> late = act(svc, 64);
  const double ratio =
      static_cast<double>(totalBytes(late)) / static_cast<double>(totalBytes(early));
  // The same rows, the same shape; only numbers grow a digit or two (revision, entry, from).
  EXPECT_GT(ratio, 0.98);
  EXPECT_LT(ratio, 1.03) << totalBytes(early) << " vs " << totalBytes(late) << " bytes";
  // Every 8th change also writes one history row: the 8 entries that just became final.
  int withChunk = 0;
  for (const auto& c : late) {
    json j = json::parse(c);
    EXPECT_EQ(j["put"]["records"].size(), 1u);
    if (!j["put"].contains("history")) continue;
    ++withChunk;
    const json& row = j["put"]["history"][0];
    EXPECT_EQ(row["entries"].size(), 8u);
    EXPECT_EQ(row["from"].get<int64_t>() % 8, 0);
    EXPECT_LE(j["put"]["records"][0]["history"].size(), 8u);
  }
  EXPECT_EQ(withChunk, 8);
  EXPECT_EQ(svc.engine().findRecord(1, 1)->history.size(), 1u + 10 + 64 + 1000 + 64);
}

TEST_F(HistoryRowsTest, ArchivedChunksRestoreToTheSameRecord) {
  act(svc, 37);
  const domain::Record& r = *svc.engine().findRecord(1, 1);
  ASSERT_EQ(r.history.size(), 38u);
  EXPECT_EQ(r.archived, 32);
  const std::string rows = api::storage::snapshotRowsText(svc.engine());
  json j = json::parse(rows);
  ASSERT_EQ(j["history"].size(), 4u);
  EXPECT_EQ(j["records"][0]["historyFrom"], 32);
  EXPECT_EQ(j["records"][0]["history"].size(), 6u);
  EXPECT_EQ(j["history"][3]["tasks"].size(), 4u) << "the 承認待ち entries' tasks go with them";
  auto fresh = restored(rows);
  EXPECT_EQ(exported(*fresh), exported(svc));
  EXPECT_EQ(api::storage::snapshotRowsText(fresh->engine()), rows);
  EXPECT_EQ(api::storage::decodeRowsText(rows).history.size(), 4u);
  // A restored record goes on: its open task closes, the next entry's opens.
  act(*fresh, 3);
  clock -= 3;
  act(svc, 3);
  EXPECT_EQ(exported(*fresh), exported(svc));
}

TEST_F(HistoryRowsTest, ARowWithTheWholeHistoryRestoresAndIsSplitOnItsNextChange) {
  act(svc, 21);
  // The record's row as Ringi wrote it before history rows: every entry and task in it.
  domain::Record legacy = *svc.engine().findRecord(1, 1);
  legacy.archived = 0;
  std::string row;
  api::JsonWriter w(row);
  api::storage::writeRecordRow(w, legacy, svc.engine().tasksOf(1, 1));
  json rows = json::parse(api::storage::snapshotRowsText(svc.engine()));
  rows["records"][0] = json::parse(row);
  rows["records"][0].erase("historyFrom");
  rows.erase("history");
  auto old = restored(rows.dump());
  EXPECT_EQ(exported(*old), exported(svc));

  // Its next change writes every chunk at once, then the row from where they end.
  const std::string changes = act(*old, 1)[0];
  json c = json::parse(changes);
  ASSERT_EQ(c["put"]["history"].size(), 2u);
  EXPECT_EQ(c["put"]["history"][0]["from"], 0);
  EXPECT_EQ(c["put"]["history"][1]["from"], 8);
  EXPECT_EQ(c["put"]["records"][0]["historyFrom"], 16);
  // Storage then holds the old rows with these put over them (by key): the same state.
  for (const auto& h : c["put"]["history"]) rows["history"].push_back(h);
  rows["records"][0] = c["put"]["records"][0];
  auto after = restored(rows.dump());
  --clock;
  act(svc, 1);
  EXPECT_EQ(exported(*after), exported(svc));
}

TEST_F(HistoryRowsTest, DeletingARecordDeletesItsHistoryRows) {
  act(svc, 20);
  auto del = call("sato", "DELETE", "/k/v1/records.json", json{{"app", 1}, {"ids", {1}}});
  ASSERT_EQ(del.status, 200) << del.body.dump();
  json c = json::parse(del.changes);
  SCOPED_TRACE(del.changes);
  EXPECT_EQ(c["delete"]["history"], json::parse("[[1,1,0],[1,1,8]]"));
  EXPECT_EQ(c["delete"]["records"], json::parse("[[1,1]]"));
}

TEST_F(HistoryRowsTest, HistoryRowsThatDoNotMatchTheirRecordAreRefusedByName) {
  act(svc, 9);
  const json rows = json::parse(api::storage::snapshotRowsText(svc.engine()));
  ASSERT_EQ(rows["history"].size(), 1u);
  auto refusal = [](const json& doc) {
    api::Service s;
    auto r = s.restore(doc.dump());
    return std::to_string(r.status) + " " + json::parse(r.body).value("message", "");
  };
  json missing = rows;
  missing.erase("history");
  EXPECT_EQ(
      refusal(missing),
      "400 Invalid workspace: record 1 of app 1 has no history row from entry 0 (1 expected)");
  json orphan = rows;
  orphan["history"].push_back(rows["history"][0]);
  orphan["history"][1]["record"] = 9;
  EXPECT_EQ(refusal(orphan),
            "400 Invalid workspace: history rows of record 9 of app 1, which is not stored");
  json odd = rows;
  odd["records"][0]["historyFrom"] = 5;
  EXPECT_EQ(refusal(odd),
            "400 Invalid workspace: record 1 of app 1 says 5 history entries are archived, not a "
            "multiple of 8");
  json shortChunk = rows;
  shortChunk["history"][0]["entries"].erase(0);
  EXPECT_EQ(refusal(shortChunk),
            "400 Invalid workspace: record 1 of app 1 has a history row from entry 0 with 7 "
            "entries, not one of the 1 rows of 8 it archived");
  json twice = rows;
  twice["history"].push_back(rows["history"][0]);
  EXPECT_EQ(refusal(twice),
            "400 Invalid workspace: record 1 of app 1 has a history row from entry 0 with 8 "
            "entries, not one of the 1 rows of 8 it archived");
}

}  // namespace
}  // namespace ringi::apitest
