// Service::snapshotRows (the worker's cold-start snapshot) and the row counts restore reports.
#include <cstdint>
#include <string>
#include <vector>

#include "api/storage_format.h"
#include "api_fixture.h"

namespace ringi::apitest {

TEST_F(ApiTest, SnapshotRowsRestoreTheSameEngineAndReportCounts) {
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato")))
                .status,
            200);

  std::string rows = svc.snapshotRows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows, api::storage::snapshotRowsText(svc.engine()));

  api::Service fresh;
  auto r = fresh.restore(rows);
  ASSERT_EQ(r.status, 200) << r.body;
  json counts = json::parse(r.body);
  json doc = json::parse(rows);
  for (const char* store : {"users", "organizations", "groups", "apps", "records", "batches"}) {
    EXPECT_EQ(counts[store], doc.contains(store) ? doc[store].size() : 0u) << store;
  }
  // Every record is there, so every task is in its record's row and "tasks" has no rows.
  EXPECT_FALSE(doc.contains("tasks"));
  size_t tasks = 0;
  for (const auto& record : doc["records"]) tasks += record.at("tasks").size();
  EXPECT_EQ(counts["tasks"], tasks);
  EXPECT_GT(tasks, 0u);
  EXPECT_EQ(counts["records"], 3u);
  EXPECT_EQ(counts["batches"], 1u);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
  EXPECT_EQ(fresh.snapshotRows(), rows);
}

TEST_F(ApiTest, ADeletedRecordsTasksGetRowsOfTheirOwnAndRestore) {
  const auto before = svc.engine().tasksOf(1, 1);
  ASSERT_FALSE(before.empty());
  auto c = call("smith", "DELETE", "/k/v1/records.json", json{{"app", 1}, {"ids", {1}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  // The record's row goes; its tasks, now "deleted", are rows of "tasks" with their app and record.
  json changes = json::parse(c.changes);
  EXPECT_EQ(changes["delete"]["records"], json::array({json::array({1, 1})}));
  ASSERT_EQ(changes["put"]["tasks"].size(), before.size()) << changes.dump();
  for (const auto& t : changes["put"]["tasks"]) {
    EXPECT_EQ(t["app"], 1);
    EXPECT_EQ(t["record"], 1);
    EXPECT_EQ(t["state"], "deleted");
  }
  EXPECT_FALSE(changes["put"].contains("records"));

  const std::string rows = svc.snapshotRows();
  EXPECT_EQ(json::parse(rows)["tasks"].size(), before.size());
  api::Service fresh;
  ASSERT_EQ(fresh.restore(rows).status, 200);
  EXPECT_EQ(fresh.snapshotRows(), rows);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
}

TEST_F(ApiTest, RowsWithTasksInTheirOwnStoreRestoreTheSameState) {
  // Rows as written before tasks moved into their records' rows: the same state.
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  const std::string rows = svc.snapshotRows();
  nlohmann::ordered_json legacy = nlohmann::ordered_json::parse(rows);
  for (auto& record : legacy["records"]) {
    for (auto task : record["tasks"]) {
      task["app"] = record["app"];
      task["record"] = record["id"];
      legacy["tasks"].push_back(task);
    }
    record.erase("tasks");
  }
  ASSERT_FALSE(legacy["tasks"].empty());
  api::Service fresh;
  ASSERT_EQ(fresh.restore(legacy.dump()).status, 200);
  EXPECT_EQ(fresh.snapshotRows(), rows);
  EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
}

TEST_F(ApiTest, RestoreOfNothingReportsZeroCountsAndAFailedRestoreKeepsTheEngine) {
  api::Service fresh;
  auto r = fresh.restore("{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), (json{{"users", 0},
                                       {"organizations", 0},
                                       {"groups", 0},
                                       {"apps", 0},
                                       {"records", 0},
                                       {"tasks", 0},
                                       {"batches", 0}}));

  std::string before = svc.snapshotRows();
  r = svc.restore("{\"records\": [{\"app\": 1, \"id\": 1");  // a torn snapshot
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["code"], "CB_IJ01");
  EXPECT_EQ(svc.snapshotRows(), before);
}

std::vector<std::string> pagedRows(api::Service& svc, size_t minBytes) {
  std::vector<std::string> pieces;
  svc.beginRows();
  for (std::string piece; !(piece = svc.nextRows(minBytes)).empty();) pieces.push_back(piece);
  return pieces;
}

// The rows documents of several pieces as one: each store's rows in order.
json merged(const std::vector<std::string>& pieces) {
  json all = json::object();
  for (const auto& p : pieces) {
    json doc = json::parse(p);
    EXPECT_TRUE(doc.is_object()) << p;
    for (auto& [store, rows] : doc.items())
      for (auto& row : rows) all[store].push_back(row);
  }
  return all;
}

TEST_F(ApiTest, PagedRowsAreRowsDocumentsThatAddUpToTheSnapshotRows) {
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato")))
                .status,
            200);
  const std::string rows = svc.snapshotRows();
  const json doc = json::parse(rows);
  // A store with no rows is left out of the document (reading a missing key of a const json is
  // undefined behaviour: the sanitizer build's assertion caught it here).
  const auto rowsOf = [&](const char* store) {
    return doc.contains(store) ? doc.at(store).size() : size_t{0};
  };
  const size_t rowCount = rowsOf("records") + rowsOf("tasks") + rowsOf("batches");
  for (size_t minBytes : {size_t{0}, size_t{1}, size_t{50}, size_t{700}, rows.size(), SIZE_MAX}) {
    auto pieces = pagedRows(svc, minBytes);
    EXPECT_EQ(merged(pieces), doc) << minBytes;
    EXPECT_EQ(svc.nextRows(minBytes), "") << "stays at the end";
    if (minBytes <= 1) {
      EXPECT_GT(pieces.size(), rowCount) << "one row (or the small stores) a piece";
    }
    if (minBytes >= rows.size()) {
      EXPECT_EQ(pieces, std::vector<std::string>{rows});
    }
  }
  api::Service empty;
  EXPECT_EQ(pagedRows(empty, 1), std::vector<std::string>{empty.snapshotRows()});
  EXPECT_EQ(json::parse(empty.snapshotRows()),
            (json{{"meta", {{{"key", "engine"}, {"nextAppId", 1}}}}}));
}

TEST_F(ApiTest, ARestoreInPiecesRestoresWhatTheWholeRestores) {
  ASSERT_EQ(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato")))
                .status,
            200);
  const std::string rows = svc.snapshotRows();
  api::Service whole;
  auto w = whole.restore(rows);
  ASSERT_EQ(w.status, 200) << w.body;
  for (size_t minBytes : {size_t{1}, size_t{300}, SIZE_MAX}) {
    api::Service fresh;
    for (const auto& piece : pagedRows(svc, minBytes)) {
      auto p = fresh.restorePiece(piece);
      ASSERT_EQ(p.status, 200) << p.body;
      EXPECT_EQ(fresh.exportWorkspace(), api::Service().exportWorkspace())
          << "nothing restored yet";
    }
    auto r = fresh.restoreEnd();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body), json::parse(w.body)) << "the same counts";
    EXPECT_EQ(fresh.snapshotRows(), rows) << minBytes;
  }
}

TEST_F(ApiTest, ABadPieceDropsThePiecesAndARestoreEndWithoutPiecesChangesNothing) {
  const std::string rows = svc.snapshotRows();
  const std::string before = api::Service().snapshotRows();
  api::Service fresh;
  auto pieces = pagedRows(svc, 1);
  ASSERT_EQ(fresh.restorePiece(pieces[0]).status, 200);
  auto bad = fresh.restorePiece("{\"records\": [{\"app\": 1");  // torn
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["code"], "CB_IJ01");
  auto end = fresh.restoreEnd();
  EXPECT_EQ(end.status, 400);
  EXPECT_EQ(json::parse(end.body)["code"], "RINGI_WS01");
  EXPECT_EQ(fresh.snapshotRows(), before);
  // Another call between the pieces and the end drops them too.
  ASSERT_EQ(fresh.restorePiece(rows).status, 200);
  EXPECT_EQ(fresh.handleJson(R"({"user":"sato","method":"GET","path":"/k/v1/apps.json"})").status,
            401);
  EXPECT_EQ(fresh.restoreEnd().status, 400);
  EXPECT_EQ(fresh.snapshotRows(), before);
  ASSERT_EQ(fresh.restorePiece(rows).status, 200);
  fresh.revertLast();  // a revert too
  EXPECT_EQ(fresh.restoreEnd().status, 400);
  EXPECT_EQ(fresh.snapshotRows(), before);
  // And a good sequence after all that restores.
  ASSERT_EQ(fresh.restorePiece(rows).status, 200);
  ASSERT_EQ(fresh.restoreEnd().status, 200);
  EXPECT_EQ(fresh.snapshotRows(), rows);
}

// The rows a host reads back for the keys its commits touched after a snapshot: each commit's
// "put" rows, the last one per key winning (what IndexedDB holds for that key afterwards; keys as
// web/src/engine/storage/schema.js STORES). Rows keep their key order (ordered_json), as
// IndexedDB does.
nlohmann::ordered_json touchedRows(const std::vector<std::string>& changes) {
  using ordered = nlohmann::ordered_json;
  ordered latest = ordered::object();  // store -> key -> row
  for (const auto& c : changes) {
    ordered cs = ordered::parse(c);
    for (auto& [store, rows] : cs["put"].items())
      for (auto& row : rows) {
        const std::string key = store == "records"   ? row["app"].dump() + "/" + row["id"].dump()
                                : store == "apps"    ? row["app"].dump()
                                : store == "tasks"   ? row["id"].get<std::string>()
                                : store == "batches" ? row["batch_number"].get<std::string>()
                                : store == "meta"    ? row["key"].get<std::string>()
                                                     : row["code"].get<std::string>();
        latest[store][key] = row;
      }
  }
  ordered doc = ordered::object();
  for (auto& [store, rows] : latest.items())
    for (auto& [key, row] : rows.items()) doc[store].push_back(row);
  return doc;
}

TEST_F(ApiTest, AnOverlayOfTheRowsChangedSinceASnapshotRestoresTheCurrentState) {
  const std::string old = svc.snapshotRows();
  std::vector<std::string> changes;
  auto step = [&](const Call& c) {
    ASSERT_EQ(c.status, 200) << c.body.dump();
    changes.push_back(c.changes);
  };
  step(call("sato", "PUT", "/k/v1/record/status.json",
            json{{"app", 1}, {"id", 1}, {"action", "承認する"}}));
  step(call("sato", "POST", "/k/v1/record.json",
            json{{"app", 1}, {"record", {{"件名", {{"value", "新しい"}}}}}}));
  step(call("sato", "POST", "/batch_approvals/_submit?user_id=sato", json(openTaskIds("sato"))));
  for (auto r = svc.runChunk(200); !r.changes.empty(); r = svc.runChunk(200))
    changes.push_back(r.changes);
  const std::string now = svc.snapshotRows();
  ASSERT_NE(now, old);
  const auto overlay = touchedRows(changes);
  ASSERT_TRUE(overlay.contains("apps") && overlay.contains("records") &&
              overlay.contains("batches"))
      << overlay.dump();
  // The changed tasks came with their records' rows.
  EXPECT_FALSE(overlay.contains("tasks")) << overlay.dump();
  EXPECT_FALSE(overlay["records"][0]["tasks"].empty()) << overlay.dump();

  for (size_t minBytes : {size_t{1}, SIZE_MAX}) {
    api::Service fresh;
    api::Service base;
    ASSERT_EQ(base.restore(old).status, 200);
    for (const auto& piece : pagedRows(base, minBytes))
      ASSERT_EQ(fresh.restorePiece(piece).status, 200);
    auto o = fresh.restoreOverlay(overlay.dump());
    ASSERT_EQ(o.status, 200) << o.body;
    auto r = fresh.restoreEnd();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(fresh.snapshotRows(), now) << minBytes;  // byte for byte, key order included
    EXPECT_EQ(fresh.exportWorkspace(), svc.exportWorkspace());
  }
}

TEST_F(ApiTest, AnOverlayWithoutPiecesOrABadOneDropsEverythingAndChangesNothing) {
  const std::string rows = svc.snapshotRows();
  const std::string before = api::Service().snapshotRows();
  api::Service fresh;
  auto none = fresh.restoreOverlay(rows);
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(json::parse(none.body)["code"], "RINGI_WS01");
  ASSERT_EQ(fresh.restorePiece(rows).status, 200);
  auto bad = fresh.restoreOverlay(R"({"tasks": [{"id": "not-a-task-id"}]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(fresh.restoreEnd().status, 400) << "the pieces went with the bad overlay";
  EXPECT_EQ(fresh.snapshotRows(), before);
  // An overlay whose rows break the state as a whole (a record of an app that does not exist) is
  // refused at the end, as the same rows in a piece would be.
  ASSERT_EQ(fresh.restorePiece(rows).status, 200);
  ASSERT_EQ(
      fresh.restoreOverlay(R"({"records": [{"app": 99, "id": 1, "revision": 1, "values": {}}]})")
          .status,
      200);
  auto end = fresh.restoreEnd();
  EXPECT_EQ(end.status, 400) << end.body;
  EXPECT_EQ(json::parse(end.body)["code"], "RINGI_WS01");
  EXPECT_EQ(fresh.snapshotRows(), before);
}

TEST_F(ApiTest, PagingEndsAtTheNextCallSoAPieceNeverMixesTwoStates) {
  svc.beginRows();
  ASSERT_FALSE(svc.nextRows(1).empty());
  ASSERT_EQ(call("sato", "PUT", "/k/v1/record/status.json",
                 json{{"app", 1}, {"id", 1}, {"action", "承認する"}})
                .status,
            200);
  EXPECT_EQ(svc.nextRows(1), "");
  svc.beginRows();
  ASSERT_FALSE(svc.nextRows(1).empty());
  svc.revertLast();
  EXPECT_EQ(svc.nextRows(1), "");
  EXPECT_EQ(api::Service().nextRows(100), "") << "never begun";
}

TEST_F(ApiTest, PagedLoadAnswersLikeALoadAndLeavesItsRowsToThePager) {
  api::Service whole, paged;
  whole.engine().setClock([] { return int64_t{1700000000000}; });
  paged.engine().setClock([] { return int64_t{1700000000000}; });
  whole.engine().seedIds(7);
  paged.engine().seedIds(7);
  auto a = whole.load(workspace());
  auto b = paged.loadPaged(workspace());
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(b.body, a.body);
  EXPECT_EQ(json::parse(b.changes), (json{{"reset", true}, {"paged", true}}));
  EXPECT_EQ(merged(pagedRows(paged, 64)), json::parse(a.changes)["put"]);

  // A bad document is the same error as load's, and changes nothing.
  const std::string before = paged.snapshotRows();
  auto bad = paged.loadPaged("{\"apps\": [");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["code"], "CB_IJ01");
  EXPECT_EQ(bad.changes, "");
  EXPECT_EQ(paged.snapshotRows(), before);
  auto wrong = paged.loadPaged(R"({"apps": 7})");
  EXPECT_EQ(wrong.status, whole.load(R"({"apps": 7})").status);
  EXPECT_EQ(paged.snapshotRows(), before);
}

}  // namespace ringi::apitest
