// Storage format: the contract between the engine and the JavaScript worker's IndexedDB stores.
//
// A committed ChangeSet is reported (Response::changes) as
//
//   {"reset": bool,
//    "put":    {"users": [...], "organizations": [...], "groups": [...], "apps": [...],
//               "records": [...], "tasks": [...], "batches": [...], "meta": [...]},
//    "delete": {"records": [[app, id], ...], "history": [[app, record, from], ...]}}
//
// where only non-empty arrays are present (and "put" / "delete" only when non-empty).
// reset = true: clear every store, then put the full snapshot (load / reset).
// One store per key below; every row is a plain JSON object whose key is:
//
//   users          "code"   {"code", "name", "locale"}                       (workspace shape)
//   organizations  "code"   {"code", "name", "parent": code|null, "members": [codes]}
//   groups         "code"   {"code", "name", "members": [codes]}
//   apps           "app"    {"app": N, "name", "description", "locale", "space": N|null,
//                            "guest": bool, "creator", "createdAt", "modifiedAt" (epoch ms),
//                            "fields": {properties}, "previewFields": {properties},
//                            "process": {status.json shape without revision},
//                            "previewProcess": {...}, "revision": N, "previewRevision": N,
//                            "batchApproval": {"enabled", "actions": {status: action}},
//                            "nextRecordId": N}
//   records        ["app","id"] (numbers)
//                           {"app", "id", "revision", "values": {code: "text" | ["items"] |
//                            {"text", "items"}}, "status", "assignees": [codes],
//                            "actedBy": [codes], "creator", "modifier", "createdAt",
//                            "updatedAt", "historyFrom": N, "history": [the entries from
//                            historyFrom on: {"at", "status", "action", "actor", "assignees"}],
//                            "tasks": [the tasks of those entries: task rows without "app" and
//                            "record"], and once the record has had a comment, "lastCommentId": N,
//                            "comments": [{"id", "text", "creator", "createdAt", "mentions":
//                            [{"code", "type"}]}]}
//                           A row without historyFrom (written before it) holds every entry.
//   history        ["app","record","from"]
//                           {"app", "record", "from", "entries": [8 entries: from .. from+7],
//                            "tasks": [their tasks, as in a record's row]}: a record's history
//                           entries [0, historyFrom), final, 8 (kHistoryChunk) to a row. A status
//                           change writes the record's row (a few entries at most) and, every 8th
//                           time, one history row: constant bytes per change, however long the
//                           history (bench: history_bytes_ratio).
//   tasks          "id"     {"id", "app", "record", "status", "assignee", "entry",
//                            "state": "open"|"closed"|"deleted", "openedAt", "closedAt",
//                            "closedBy"}: only tasks whose record is gone (state "deleted")
//   batches        "batch_number"
//                           {"batch_number", "user", "task_ids": [...], "action", "comment",
//                            "assignee": code|null, "retry_of", "processed", "succeeded",
//                            "failures": [{"task_id", "reason_code", "app", "record"}],
//                            "state", "createdAt", "startedAt", "finishedAt"} (rows written
//                            before actions existed lack the four order keys: approve, no comment)
//   meta           "key"    {"key": "engine", "nextAppId": N}
//
// Numbers are JSON numbers; times are epoch milliseconds. Service::restore takes exactly the
// "put" object (all rows of every store) and loads it with tasks and batches, so ids stay stable.
// Deleted records are removed from "records"; their tasks stay (state "deleted"), as rows of
// "tasks". A live record's tasks are in its row, so a status change writes one row per record,
// not two (bench/README.md, batch200, round 12); a changed task rewrites its record's row. Rows
// of "tasks" for live records (written before round 12) are still read; the storage back-ends
// fold them into their records' rows as they read them (web/src/engine/storage/schema.js).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json/json.h"
#include "api/json/writer.h"
#include "domain/engine.h"

namespace ringi::api::storage {

// Rows of everything the engine holds (the "put" object of a reset).
std::string snapshotRowsText(const domain::Engine& engine);

// The same rows in pieces, each a rows document of its own ({"records": [...]} and so on, in
// the order snapshotRowsText writes them), so a whole state (tens of MB for 100,000 records)
// never has to sit in memory as one string: wasm memory never shrinks, so one such string would
// stay the module's size for good. Restoring every piece (Service::restorePiece) restores the
// state. One piece as large as the whole is exactly snapshotRowsText. Valid only while the engine
// does not change: it holds pointers to the rows.
class RowsPager {
 public:
  explicit RowsPager(const domain::Engine& engine);
  RowsPager(const RowsPager&) = delete;
  RowsPager& operator=(const RowsPager&) = delete;

  // The next piece: whole rows until it holds at least `minBytes` (or the rows end); "" at the end.
  std::string next(size_t minBytes);
  bool done() const { return phase_ == Phase::done; }

 private:
  enum class Phase { start, records, history, tasks, batches, finish, done };
  void step(JsonWriter& w);
  const char* store() const;  // the store whose rows the current phase writes

  const domain::Engine& engine_;
  std::vector<const domain::Record*> records_;
  std::vector<std::pair<const domain::Record*, int64_t>>
      chunks_;  // (record, from) of each history row
  std::vector<const domain::Task*> tasks_;
  std::vector<const domain::Batch*> batches_;
  Phase phase_ = Phase::start;
  size_t next_ = 0;         // index of the next row of the current phase
  bool arrayOpen_ = false;  // the current phase's array is open in the piece being written
};

// ChangeSet -> the JSON above, reading current values from the engine; Ascii::yes for text that
// becomes a JavaScript string (json/writer.h). A reset's rows (a load) are UTF-8 either way.
std::string changesText(const domain::Engine& engine, const domain::ChangeSet& cs,
                        JsonWriter::Ascii ascii = JsonWriter::Ascii::no);
// The "put" object -> Snapshot, one row in memory at a time. Throws domain::Error: CB_IJ01 when
// the text is not JSON; RINGI_WS01 naming the store, the row and the byte when a row is not in
// the shape written above, or contradicts itself (a batch counter past its tasks); CB_VA01 keyed
// like users[0].code for a directory or app row the codecs refuse.
domain::Snapshot decodeRowsText(std::string_view text);

Json encodeApp(const domain::App& a);
// The rows of the stores every commit writes, straight to text (no nlohmann values in between).
// A record's row with `tasks` as its "tasks".
void writeRecordRow(JsonWriter& w, const domain::Record& r,
                    const std::vector<const domain::Task*>& tasks);
// A record's row as stored: with every task the engine holds for it.
void writeStoredRecordRow(JsonWriter& w, const domain::Engine& engine, const domain::Record& r);
// A row of the "tasks" store.
void writeTaskRow(JsonWriter& w, const domain::Task& t);
// A row of the "history" store: the record's archived entries [from, from + kHistoryChunk).
void writeHistoryRow(JsonWriter& w, const domain::Engine& engine, const domain::Record& r,
                     int64_t from);
void writeBatchRow(JsonWriter& w, const domain::Batch& b);

}  // namespace ringi::api::storage
