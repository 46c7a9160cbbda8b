#include <cstdint>
#include <nlohmann/json.hpp>

#include "api/json/writer.h"
#include "api/messages.h"
#include "api/settings_codec.h"
#include "api/storage_format.h"

// The writing half of the storage format: rows, snapshot pieces and every commit's ChangeSet.
// The reading half (restores) is rows_reader.cpp.
namespace ringi::api::storage {

using namespace ringi::domain;

namespace {
const char* taskStateName(TaskState s) {
  return s == TaskState::open ? "open" : s == TaskState::closed ? "closed" : "deleted";
}

// A task; `owner` adds its app and record, which a task embedded in its record's row leaves out.
void writeTask(JsonWriter& w, const Task& t, bool owner) {
  char id[32];
  formatTaskKey(t.key, id);
  w.beginObject().literalKey("id").value(std::string_view(id, sizeof id));
  if (owner) w.literalKey("app").value(t.app).literalKey("record").value(t.record);
  w.literalKey("status").value(t.status);
  w.literalKey("assignee").value(t.assignee).literalKey("entry").value(t.entry);
  w.literalKey("state").value(taskStateName(t.state)).literalKey("openedAt").value(t.openedAt);
  w.literalKey("closedAt").value(t.closedAt).literalKey("closedBy").value(t.closedBy).endObject();
}
}  // namespace

Json encodeApp(const App& a) {
  Json j{{"app", a.id},
         {"name", a.name},
         {"description", a.description},
         {"locale", localeName(a.locale)}};
  j["space"] = a.spaceId ? Json(*a.spaceId) : Json(nullptr);
  j["guest"] = a.guestSpace;
  j["creator"] = a.creator;
  j["createdAt"] = a.createdAt;
  j["modifiedAt"] = a.modifiedAt;
  j["fields"] = codec::encodeProperties(a.fields);
  j["previewFields"] = codec::encodeProperties(a.previewFields);
  j["process"] = codec::encodeProcess(a.process);
  j["previewProcess"] = codec::encodeProcess(a.previewProcess);
  j["revision"] = a.revision;
  j["previewRevision"] = a.previewRevision;
  j["batchApproval"] = codec::encodeBatchSettings(a.batchApproval);
  j["nextRecordId"] = a.nextRecordId;
  return j;
}

namespace {
void writeEntries(JsonWriter& w, const std::vector<StatusChange>& history, size_t from, size_t to) {
  w.beginArray();
  for (size_t i = from; i < to && i < history.size(); ++i) {
    const StatusChange& h = history[i];
    w.beginObject().literalKey("at").value(h.at).literalKey("status").value(h.status);
    w.literalKey("action").value(h.action).literalKey("actor").value(h.actor);
    w.literalKey("assignees").value(h.assignees).endObject();
  }
  w.endArray();
}
}  // namespace

void writeRecordRow(JsonWriter& w, const Record& r, const std::vector<const Task*>& tasks) {
  w.beginObject().literalKey("app").value(r.app).literalKey("id").value(r.id);
  w.literalKey("revision").value(r.revision);
  w.literalKey("values").beginObject();
  for (const auto& [code, fv] : r.values) {
    w.key(code);
    if (!fv.text.empty() && !fv.items.empty()) {
      w.beginObject().literalKey("text").value(fv.text);
      w.literalKey("items").value(fv.items).endObject();
    } else if (!fv.items.empty()) {
      w.value(fv.items);
    } else {
      w.value(fv.text);
    }
  }
  w.endObject();
  w.literalKey("status").value(r.status).literalKey("assignees").value(r.assignees);
  w.literalKey("actedBy").value(r.actedBy).literalKey("creator").value(r.creator);
  w.literalKey("modifier").value(r.modifier).literalKey("createdAt").value(r.createdAt);
  w.literalKey("updatedAt").value(r.updatedAt).literalKey("historyFrom").value(r.archived);
  w.literalKey("history");
  writeEntries(w, r.history, static_cast<size_t>(r.archived), r.history.size());
  w.literalKey("tasks").beginArray();
  for (const Task* t : tasks) writeTask(w, *t, false);
  w.endArray();
  if (r.lastCommentId) {  // most records have none: their rows stay as they were
    w.literalKey("lastCommentId").value(r.lastCommentId).literalKey("comments").beginArray();
    for (const Comment& c : r.comments) {
      w.beginObject().literalKey("id").value(c.id).literalKey("text").value(c.text);
      w.literalKey("creator").value(c.creator).literalKey("createdAt").value(c.createdAt);
      w.literalKey("mentions").beginArray();
      for (const Mention& m : c.mentions) {
        w.beginObject().literalKey("code").value(m.code);
        w.literalKey("type").value(codec::entityTypeName(m.type)).endObject();
      }
      w.endArray().endObject();
    }
    w.endArray();
  }
  w.endObject();
}

void writeTaskRow(JsonWriter& w, const Task& t) { writeTask(w, t, true); }

void writeStoredRecordRow(JsonWriter& w, const Engine& engine, const Record& r) {
  writeRecordRow(w, r, engine.tasksOf(r.app, r.id, r.archived, INT64_MAX));
}

void writeHistoryRow(JsonWriter& w, const Engine& engine, const Record& r, int64_t from) {
  const int64_t to = from + kHistoryChunk;
  w.beginObject().literalKey("app").value(r.app).literalKey("record").value(r.id);
  w.literalKey("from").value(from).literalKey("entries");
  writeEntries(w, r.history, static_cast<size_t>(from), static_cast<size_t>(to));
  w.literalKey("tasks").beginArray();
  for (const Task* t : engine.tasksOf(r.app, r.id, from, to)) writeTask(w, *t, false);
  w.endArray().endObject();
}

void writeBatchRow(JsonWriter& w, const Batch& b) {
  w.beginObject().literalKey("batch_number").value(b.number).literalKey("user").value(b.user);
  w.literalKey("task_ids").value(b.taskIds);
  w.literalKey("action").value(b.order.action).literalKey("comment").value(b.order.comment);
  w.literalKey("assignee");
  if (b.order.assignee)
    w.value(*b.order.assignee);
  else
    w.null();
  w.literalKey("retry_of").value(b.retryOf);
  w.literalKey("processed").value(static_cast<uint64_t>(b.processed));
  w.literalKey("succeeded").value(static_cast<uint64_t>(b.succeeded));
  w.literalKey("failures").beginArray();
  for (const auto& f : b.failures) {
    w.beginObject().literalKey("task_id").value(f.taskId);
    w.literalKey("reason_code").value(reasonCode(f.reason));
    w.literalKey("app").value(f.app).literalKey("record").value(f.record).endObject();
  }
  w.endArray().literalKey("state").value(batchStateName(b.state));
  w.literalKey("createdAt").value(b.createdAt);
  w.literalKey("startedAt")
      .value(b.startedAt)
      .literalKey("finishedAt")
      .value(b.finishedAt)
      .endObject();
}

namespace {
// Writes `"store":[row,row,...]` unless `items` is empty, each row as it is encoded: a reset of
// 100,000 records never exists as one JSON document in memory.
template <class Items, class Write>
void writeStore(JsonWriter& w, const char* store, const Items& items, Write write) {
  if (items.empty()) return;
  w.key(store).beginArray();
  for (const auto& item : items) write(w, item);
  w.endArray();
}

void writeMeta(JsonWriter& w, int64_t nextAppId) {
  w.key("meta").beginArray().beginObject().key("key").value("engine");
  w.key("nextAppId").value(nextAppId).endObject().endArray();
}

void writeDirectory(JsonWriter& w, const Directory& d) {
  writeStore(w, "users", d.users(),
             [](JsonWriter& w, const User& u) { writeJson(w, codec::encodeUser(u)); });
  writeStore(w, "organizations", d.organizations(), [](JsonWriter& w, const Organization& o) {
    writeJson(w, codec::encodeOrganization(o));
  });
  writeStore(w, "groups", d.groups(),
             [](JsonWriter& w, const Group& g) { writeJson(w, codec::encodeGroup(g)); });
}
}  // namespace

RowsPager::RowsPager(const Engine& engine) : engine_(engine), batches_(engine.allBatches()) {
  for (const App* a : engine.apps()) {
    const auto& list = engine.allRecords(a->id);
    records_.insert(records_.end(), list.begin(), list.end());
  }
  for (const Record* r : records_)
    for (int64_t from = 0; from < r->archived; from += kHistoryChunk) chunks_.push_back({r, from});
  // The other tasks are in their records' rows.
  for (const Task* t : engine.allTasks())
    if (!engine.findRecord(t->app, t->record)) tasks_.push_back(t);
}

const char* RowsPager::store() const {
  switch (phase_) {
    case Phase::records:
      return "records";
    case Phase::history:
      return "history";
    case Phase::tasks:
      return "tasks";
    case Phase::batches:
      return "batches";
    default:
      return "";
  }
}

// One row, or the rows of the small stores, or the end. Empty stores are left out.
void RowsPager::step(JsonWriter& w) {
  // The store's array is closed right after its last row, so a piece never ends with an open
  // array that has no rows left for the next piece.
  const auto rows = [&](size_t count, auto writeRow, Phase after) {
    if (next_ < count) {
      if (!arrayOpen_) w.key(store()).beginArray();
      arrayOpen_ = true;
      writeRow(next_++);
    }
    if (next_ < count) return;
    if (arrayOpen_) w.endArray();
    arrayOpen_ = false;
    phase_ = after;
    next_ = 0;
  };
  switch (phase_) {
    case Phase::start:
      writeDirectory(w, engine_.directory());
      writeStore(w, "apps", engine_.apps(),
                 [](JsonWriter& w, const App* a) { writeJson(w, encodeApp(*a)); });
      phase_ = Phase::records;
      break;
    case Phase::records:
      rows(
          records_.size(), [&](size_t i) { writeStoredRecordRow(w, engine_, *records_[i]); },
          Phase::history);
      break;
    case Phase::history:
      rows(
          chunks_.size(),
          [&](size_t i) { writeHistoryRow(w, engine_, *chunks_[i].first, chunks_[i].second); },
          Phase::tasks);
      break;
    case Phase::tasks:
      rows(
          tasks_.size(), [&](size_t i) { writeTaskRow(w, *tasks_[i]); }, Phase::batches);
      break;
    case Phase::batches:
      rows(
          batches_.size(), [&](size_t i) { writeBatchRow(w, *batches_[i]); }, Phase::finish);
      break;
    case Phase::finish:
      writeMeta(w, engine_.nextAppId());
      phase_ = Phase::done;
      break;
    case Phase::done:
      break;
  }
}

std::string RowsPager::next(size_t minBytes) {
  std::string piece;
  if (phase_ == Phase::done) return piece;
  // One block for the whole piece, not a string grown by doubling: every piece then fits the
  // block the one before it freed, and wasm memory, which never shrinks, stays small.
  if (minBytes <= (size_t{1} << 30)) piece.reserve(minBytes + minBytes / 8 + 4096);
  JsonWriter w(piece);
  w.beginObject();
  if (arrayOpen_) w.key(store()).beginArray();  // the store goes on
  const auto written = [&] { return piece.size() + w.staged(); };
  const size_t opening = written();
  do step(w);  // until the piece holds something, and then minBytes
  while (phase_ != Phase::done && (written() == opening || written() < minBytes));
  if (arrayOpen_) w.endArray();
  w.endObject();
  return piece;
}

std::string snapshotRowsText(const Engine& engine) {
  RowsPager pager(engine);
  return pager.next(SIZE_MAX);
}

std::string changesText(const Engine& engine, const ChangeSet& cs, JsonWriter::Ascii ascii) {
  if (cs.reset) return "{\"reset\":true,\"put\":" + snapshotRowsText(engine) + "}";
  std::vector<const App*> apps;
  std::vector<const Record*> records;
  std::vector<const Task*> tasks;
  std::vector<const Batch*> batches;
  std::vector<RecordKey> deleted;
  for (int64_t id : cs.apps)
    if (const App* a = engine.findApp(id)) apps.push_back(a);
  for (const auto& [app, id] : cs.records) {
    if (const Record* r = engine.findRecord(app, id))
      records.push_back(r);
    else
      deleted.push_back({app, id});
  }
  for (const auto& key : cs.deletedRecords) deleted.push_back(key);
  // A changed task is written with its record's row (cs.records has the record); only a task
  // whose record is gone has a row of its own.
  for (const auto& id : cs.tasks)
    if (const Task* t = engine.findTask(id); t && !engine.findRecord(t->app, t->record))
      tasks.push_back(t);
  for (const auto& n : cs.batches)
    if (const Batch* b = engine.findBatch(n)) batches.push_back(b);
  const Directory& d = engine.directory();
  const bool directory =
      cs.directory && (!d.users().empty() || !d.organizations().empty() || !d.groups().empty());
  const bool meta = cs.meta || !cs.apps.empty();
  // The history chunks a record archived in this change (one every kHistoryChunk status changes;
  // all of an old record's history the first time it changes after it was stored whole).
  std::vector<std::pair<const Record*, int64_t>> chunks;
  for (const HistoryRange& h : cs.archived)
    if (const Record* r = engine.findRecord(h.key.first, h.key.second))
      for (int64_t from = h.from; from < h.to; from += kHistoryChunk) chunks.push_back({r, from});

  std::string out;
  JsonWriter w(out, ascii);
  w.beginObject().key("reset").value(false);
  if (directory || meta || !apps.empty() || !records.empty() || !tasks.empty() ||
      !batches.empty()) {
    w.key("put").beginObject();
    if (cs.directory) writeDirectory(w, d);
    writeStore(w, "apps", apps, [](JsonWriter& w, const App* a) { writeJson(w, encodeApp(*a)); });
    writeStore(w, "records", records,
               [&](JsonWriter& w, const Record* r) { writeStoredRecordRow(w, engine, *r); });
    writeStore(w, "history", chunks,
               [&](JsonWriter& w, const std::pair<const Record*, int64_t>& c) {
                 writeHistoryRow(w, engine, *c.first, c.second);
               });
    writeStore(w, "tasks", tasks, [](JsonWriter& w, const Task* t) { writeTaskRow(w, *t); });
    writeStore(w, "batches", batches, [](JsonWriter& w, const Batch* b) { writeBatchRow(w, *b); });
    if (meta) {
      int64_t next = 1;
      for (const App* a : engine.apps()) next = std::max(next, a->id + 1);
      writeMeta(w, std::max(next, engine.nextAppId()));
    }
    w.endObject();
  }
  if (!deleted.empty()) {
    w.key("delete").beginObject().key("records").beginArray();
    for (const auto& [app, id] : deleted) w.beginArray().value(app).value(id).endArray();
    w.endArray();
    if (!cs.unarchived.empty()) {
      w.key("history").beginArray();
      for (const HistoryRange& h : cs.unarchived)
        for (int64_t from = h.from; from < h.to; from += kHistoryChunk)
          w.beginArray().value(h.key.first).value(h.key.second).value(from).endArray();
      w.endArray();
    }
    w.endObject();
  }
  w.endObject();
  return out;
}

}  // namespace ringi::api::storage
