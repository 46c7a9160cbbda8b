#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "api/json/reader.h"
#include "api/messages.h"
#include "api/params.h"
#include "api/settings_codec.h"
#include "api/storage_format.h"

// The reading half of the storage format: stored rows back into a Snapshot (restores), by one
// reader. Built for size in the wasm module (cmake/wasm.cmake). The writing half is
// rows_writer.cpp.
namespace ringi::api::storage {

using namespace ringi::domain;

namespace {
int64_t num(const Json& j, const char* key, int64_t def = 0) {
  auto it = j.find(key);
  int64_t n = def;
  if (it != j.end() && toInt64(*it, &n)) return n;
  return def;
}
std::string text(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::vector<std::string> strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}
const Json& sub(const Json& j, const char* key) {
  static const Json null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}
TaskState parseTaskState(const std::string& s) {
  return s == "closed" ? TaskState::closed : s == "deleted" ? TaskState::deleted : TaskState::open;
}
CheckReason parseReason(const std::string& s) {
  for (int i = 0; i <= static_cast<int>(kLastCheckReason); ++i)
    if (s == reasonCode(static_cast<CheckReason>(i))) return static_cast<CheckReason>(i);
  return CheckReason::task_not_found;
}
BatchState parseBatchState(const std::string& s) {
  for (int i = 0; i <= static_cast<int>(BatchState::cancelled); ++i)
    if (s == batchStateName(static_cast<BatchState>(i))) return static_cast<BatchState>(i);
  return BatchState::queued;
}
// A stored row that contradicts itself is refused, naming the store and the row: restoring it
// would build a state no commit made (a batch counter past its tasks ran chunks forever).
[[noreturn]] void contradicts(std::initializer_list<std::string_view> what) {
  std::string text = "the stored row ";
  for (auto w : what) text.append(w.data(), w.size());
  throw Error("RINGI_WS01", {text});
}

void checkBatch(const Json& j, const Batch& b, const std::string& row) {
  const int64_t processed = num(j, "processed"), succeeded = num(j, "succeeded");
  const int64_t total = static_cast<int64_t>(b.taskIds.size());
  const std::string n = std::to_string(processed);
  if (processed < 0 || processed > total)
    contradicts({row, " (batch ", b.number, ") says ", n, " tasks were processed, but it has ",
                 std::to_string(total)});
  if (succeeded < 0 || succeeded + static_cast<int64_t>(b.failures.size()) != processed)
    contradicts({row, " (batch ", b.number, ") says ", std::to_string(succeeded), " succeeded and ",
                 std::to_string(b.failures.size()), " failed, but ", n, " were processed"});
  const bool done = b.state == BatchState::completed || b.state == BatchState::partially_completed;
  if (done && processed != total)
    contradicts({row, " (batch ", b.number, ") is ", batchStateName(b.state), " with ", n, " of ",
                 std::to_string(total), " tasks processed"});
}

// Decodes storage rows one at a time into a Snapshot.
struct RowDecoder {
  Validation v;
  Snapshot s;
  std::vector<Json> meta;

  void row(const std::string& store, size_t index, const Json& j) {
    const std::string k = store + "[" + std::to_string(index) + "]";
    if (!j.is_object()) return v.fail(k, "not_object");
    auto each = [&](const char* name, auto fn) {
      if (store == name) fn(j, k);
    };
    each("users", [&](const Json& j, const std::string& k) {
      s.users.push_back(codec::decodeUser(j, v, k));
    });
    each("organizations", [&](const Json& j, const std::string& k) {
      s.organizations.push_back(codec::decodeOrganization(j, v, k));
    });
    each("groups", [&](const Json& j, const std::string& k) {
      s.groups.push_back(codec::decodeGroup(j, v, k));
    });
    each("apps", [&](const Json& j, const std::string& k) {
      App a;
      a.id = num(j, "app");
      a.name = text(j, "name");
      a.description = text(j, "description");
      parseLocale(text(j, "locale"), &a.locale);
      if (sub(j, "space").is_number()) a.spaceId = num(j, "space");
      a.guestSpace = sub(j, "guest").is_boolean() && sub(j, "guest").get<bool>();
      a.creator = text(j, "creator");
      a.createdAt = num(j, "createdAt");
      a.modifiedAt = num(j, "modifiedAt");
      a.fields = codec::decodeProperties(sub(j, "fields"), v, k + ".fields");
      a.previewFields = codec::decodeProperties(sub(j, "previewFields"), v, k + ".previewFields");
      a.process = codec::decodeProcess(sub(j, "process"), v, k + ".process");
      a.previewProcess = codec::decodeProcess(sub(j, "previewProcess"), v, k + ".previewProcess");
      a.revision = num(j, "revision", 1);
      a.previewRevision = num(j, "previewRevision", 1);
      a.batchApproval =
          codec::decodeBatchSettings(sub(j, "batchApproval"), v, k + ".batchApproval");
      a.nextRecordId = num(j, "nextRecordId", 1);
      s.apps.push_back(std::move(a));
    });
    each("batches", [&](const Json& j, const std::string&) {
      Batch b;
      b.number = text(j, "batch_number");
      b.user = text(j, "user");
      b.taskIds = strings(j, "task_ids");
      b.order.action = text(j, "action");
      b.order.comment = text(j, "comment");
      if (sub(j, "assignee").is_string()) b.order.assignee = text(j, "assignee");
      b.retryOf = text(j, "retry_of");
      b.processed = static_cast<size_t>(num(j, "processed"));
      b.succeeded = static_cast<size_t>(num(j, "succeeded"));
      const Json& f = sub(j, "failures");
      if (f.is_array())
        for (const auto& x : f)
          if (x.is_object())
            b.failures.push_back({text(x, "task_id"), parseReason(text(x, "reason_code")),
                                  num(x, "app"), num(x, "record")});
      b.state = parseBatchState(text(j, "state"));
      b.createdAt = num(j, "createdAt");
      b.startedAt = num(j, "startedAt");
      b.finishedAt = num(j, "finishedAt");
      checkBatch(j, b, k);
      s.batches.push_back(std::move(b));
    });
    each("meta", [&](const Json& j, const std::string&) { meta.push_back(j); });
  }

  Snapshot finish() {
    s.nextAppId = 1;
    for (const auto& a : s.apps) s.nextAppId = std::max(s.nextAppId, a.id + 1);
    for (const auto& j : meta)
      if (text(j, "key") == "engine") s.nextAppId = std::max(s.nextAppId, num(j, "nextAppId", 1));
    v.check();
    return std::move(s);
  }
};
}  // namespace

namespace {
// The fast path: records and tasks (nearly all of a snapshot) are read straight into the domain
// types by a JsonReader. Every helper reads one value and returns false when it is not in the
// shape snapshotRowsText writes; the reader's failure is sticky, so a caller may read on and test
// once. Anything unusual (a wrong type, bad JSON) ends the fast path, never a guess.
using Kind = JsonReader::Kind;

// num(): a number, or the default when it is not an integer toInt64 accepts.
bool readNum(JsonReader& r, int64_t* out, int64_t def) {
  if (!r.readInt64(out)) {
    if (!r.ok()) return false;
    *out = def;
  }
  return true;
}

bool readStrings(JsonReader& r, std::vector<std::string>* out) {
  out->clear();  // a repeated key replaces the earlier value, as in the parsed object
  if (!r.beginArray()) return false;
  while (r.nextElement()) r.readString(&out->emplace_back());
  return r.ok();
}

// "text" | ["items"] | {"text", "items"}
bool readFieldValue(JsonReader& r, FieldValue* fv) {
  switch (r.peek()) {
    case Kind::string:
      return r.readString(&fv->text);
    case Kind::array:
      return readStrings(r, &fv->items);
    case Kind::object:
      r.beginObject();
      for (std::string_view k; r.nextKey(&k);) {
        if (keyIs(k, "text"))
          r.readString(&fv->text);
        else if (keyIs(k, "items"))
          readStrings(r, &fv->items);
        else
          r.skipValue();
      }
      return r.ok();
    default:
      return r.fail();
  }
}

bool readValues(JsonReader& r, FieldValues* values) {
  // Read into a list kept between calls, then moved into the record's list allocated once at its
  // size: growing each record's list 1, 2, 4, 8 (and trimming it) was most of a restore's mallocs.
  // One list per thread: two Services may decode on two threads at once (natively).
  thread_local std::vector<std::pair<std::string, FieldValue>> read;
  read.clear();
  r.beginObject();
  for (std::string_view k; r.nextKey(&k);) {
    auto& [code, fv] = read.emplace_back();
    code.assign(k);  // the key's view does not outlive the value's nested keys
    if (!readFieldValue(r, &fv)) return false;
  }
  values->clear();
  values->reserve(read.size());
  for (auto& [code, fv] : read) values->insert_or_assign(std::move(code), std::move(fv));
  return r.ok();
}

bool readHistory(JsonReader& r, std::vector<StatusChange>* history) {
  history->clear();
  r.beginArray();
  while (r.nextElement()) {
    if (r.peek() != Kind::object) return r.fail();
    StatusChange& c = history->emplace_back();
    r.beginObject();
    for (std::string_view k; r.nextKey(&k);) {
      if (keyIs(k, "at"))
        readNum(r, &c.at, 0);
      else if (keyIs(k, "status"))
        r.readString(&c.status);
      else if (keyIs(k, "action"))
        r.readString(&c.action);
      else if (keyIs(k, "actor"))
        r.readString(&c.actor);
      else if (keyIs(k, "assignees"))
        readStrings(r, &c.assignees);
      else
        r.skipValue();
    }
  }
  return r.ok();
}

bool readTask(JsonReader& r, Task* t) {
  r.beginObject();
  std::string state, id;
  for (std::string_view k; r.nextKey(&k);) {
    if (keyIs(k, "id"))
      r.readString(&id);
    else if (keyIs(k, "app"))
      readNum(r, &t->app, 0);
    else if (keyIs(k, "record"))
      readNum(r, &t->record, 0);
    else if (keyIs(k, "status"))
      r.readString(&t->status);
    else if (keyIs(k, "assignee"))
      r.readString(&t->assignee);
    else if (keyIs(k, "entry"))
      readNum(r, &t->entry, 0);
    else if (keyIs(k, "state")) {
      if (r.readString(&state)) t->state = parseTaskState(state);
    } else if (keyIs(k, "openedAt"))
      readNum(r, &t->openedAt, 0);
    else if (keyIs(k, "closedAt"))
      readNum(r, &t->closedAt, 0);
    else if (keyIs(k, "closedBy"))
      r.readString(&t->closedBy);
    else
      r.skipValue();
  }
  auto key = parseTaskKey(id);  // after the loop: the last "id" wins, as in nlohmann's object
  if (!key) return false;       // missing or malformed: the checked decoder reports it
  t->key = *key;
  return r.ok();
}

// The "tasks" of a record's row or a history row: task rows without app and record, read to the
// end of `tasks` (those from `firstTask` on are the row's). null is no tasks, as in the checked
// decoder; a repeated key replaces the earlier value, as in the parsed object.
bool readRowTasks(JsonReader& r, std::deque<Task>* tasks, size_t firstTask) {
  if (r.peek() == Kind::null) return r.readNull();
  while (tasks->size() > firstTask) tasks->pop_back();
  r.beginArray();
  while (r.nextElement())
    if (r.peek() != Kind::object || !readTask(r, &tasks->emplace_back())) return false;
  return r.ok();
}

// The row's app and record on the tasks it held (after the row: "app" may come last).
void ownTasks(std::deque<Task>* tasks, size_t firstTask, int64_t app, int64_t record) {
  for (size_t i = firstTask; i < tasks->size(); ++i) {
    (*tasks)[i].app = app;
    (*tasks)[i].record = record;
  }
}

bool readMentions(JsonReader& r, std::vector<Mention>* mentions) {
  r.beginArray();
  while (r.nextElement()) {
    if (r.peek() != Kind::object) return r.fail();
    Mention& m = mentions->emplace_back();
    std::string type;
    r.beginObject();
    for (std::string_view k; r.nextKey(&k);) {
      if (keyIs(k, "code"))
        r.readString(&m.code);
      else if (keyIs(k, "type")) {
        if (r.readString(&type) && !codec::parseEntityType(type, &m.type)) return r.fail();
      } else
        r.skipValue();
    }
  }
  return r.ok();
}

bool readComments(JsonReader& r, std::vector<Comment>* comments) {
  comments->clear();
  r.beginArray();
  while (r.nextElement()) {
    if (r.peek() != Kind::object) return r.fail();
    Comment& c = comments->emplace_back();
    r.beginObject();
    for (std::string_view k; r.nextKey(&k);) {
      if (keyIs(k, "id"))
        readNum(r, &c.id, 0);
      else if (keyIs(k, "text"))
        r.readString(&c.text);
      else if (keyIs(k, "creator"))
        r.readString(&c.creator);
      else if (keyIs(k, "createdAt"))
        readNum(r, &c.createdAt, 0);
      else if (keyIs(k, "mentions")) {
        c.mentions.clear();
        if (!readMentions(r, &c.mentions)) return false;
      } else
        r.skipValue();
    }
  }
  return r.ok();
}

// A record's row; the tasks in it go to the end of `tasks`, with the record's app and id.
bool readRecord(JsonReader& r, Record* rec, std::deque<Task>* tasks) {
  const size_t firstTask = tasks->size();
  r.beginObject();
  for (std::string_view k; r.nextKey(&k);) {
    if (keyIs(k, "app"))
      readNum(r, &rec->app, 0);
    else if (keyIs(k, "id"))
      readNum(r, &rec->id, 0);
    else if (keyIs(k, "revision"))
      readNum(r, &rec->revision, 1);
    else if (keyIs(k, "values"))
      readValues(r, &rec->values);
    else if (keyIs(k, "status"))
      r.readString(&rec->status);
    else if (keyIs(k, "assignees"))
      readStrings(r, &rec->assignees);
    else if (keyIs(k, "actedBy"))
      readStrings(r, &rec->actedBy);
    else if (keyIs(k, "creator"))
      r.readString(&rec->creator);
    else if (keyIs(k, "modifier"))
      r.readString(&rec->modifier);
    else if (keyIs(k, "createdAt"))
      readNum(r, &rec->createdAt, 0);
    else if (keyIs(k, "updatedAt"))
      readNum(r, &rec->updatedAt, 0);
    else if (keyIs(k, "historyFrom"))
      readNum(r, &rec->archived, 0);
    else if (keyIs(k, "history"))
      readHistory(r, &rec->history);
    else if (keyIs(k, "tasks")) {
      if (!readRowTasks(r, tasks, firstTask)) return false;
    } else if (keyIs(k, "lastCommentId"))
      readNum(r, &rec->lastCommentId, 0);
    else if (keyIs(k, "comments")) {
      if (!readComments(r, &rec->comments)) return false;
    } else
      r.skipValue();
  }
  // A comment id past the counter would be given again: a row no commit wrote.
  if (rec->lastCommentId < 0) return r.fail();
  for (const Comment& c : rec->comments)
    if (c.id < 1 || c.id > rec->lastCommentId) return r.fail();
  ownTasks(tasks, firstTask, rec->app, rec->id);
  return r.ok();
}

// A row of the history store; its tasks go to the end of `tasks`, with the record's app and id.
bool readHistoryRow(JsonReader& r, HistoryChunk* c, std::deque<Task>* tasks) {
  const size_t firstTask = tasks->size();
  r.beginObject();
  for (std::string_view k; r.nextKey(&k);) {
    if (keyIs(k, "app"))
      readNum(r, &c->app, 0);
    else if (keyIs(k, "record"))
      readNum(r, &c->record, 0);
    else if (keyIs(k, "from"))
      readNum(r, &c->from, 0);
    else if (keyIs(k, "entries"))
      readHistory(r, &c->entries);
    else if (keyIs(k, "tasks")) {
      if (!readRowTasks(r, tasks, firstTask)) return false;
    } else
      r.skipValue();
  }
  ownTasks(tasks, firstTask, c->app, c->record);
  return r.ok();
}

// Stores with few rows: each row is read as Json (json/reader.h) and decoded by RowDecoder, with
// the kintone-shaped errors of the codecs (CB_VA01 keyed users[0].code, ...). The rest (records,
// their history rows, tasks: nearly all of a state) are read straight into domain types.
bool fewRows(const std::string& store) {
  for (const char* s : {"users", "organizations", "groups", "apps", "batches", "meta"})
    if (store == s) return true;
  return false;
}
}  // namespace

namespace {
// Why the rows cannot be read: not JSON (the whole text checked, once, now), or else a row
// named by store and index that is not in the shape Ringi writes.
[[noreturn]] void unreadable(std::string_view text, const std::string& what, size_t offset) {
  JsonReader check(text);
  if (!check.skipValue() || !check.finish()) throw Error("CB_IJ01");
  throw Error("RINGI_WS01", {joined({what, " (byte ", std::to_string(offset), " of the rows)"})});
}
}  // namespace

Snapshot decodeRowsText(std::string_view text) {
  JsonReader r(text);
  RowDecoder decoder;
  if (!r.beginObject()) unreadable(text, "the storage state must be a JSON object", 0);
  for (std::string_view key; r.nextKey(&key);) {
    const std::string store(key);
    if (r.peek() == Kind::null) {  // a store with nothing in it
      r.readNull();
      continue;
    }
    const bool list = r.peek() == Kind::array;
    const size_t at = r.offset();  // where the store's value starts
    if (!list || !r.beginArray())
      unreadable(text, joined({"the store ", store, " is not a list of rows"}), at);
    for (size_t index = 0; r.nextElement(); ++index) {
      bool ok = r.peek() == Kind::object;
      const size_t at = r.offset();  // where the row starts
      if (!ok) {
      } else if (keyIs(store, "records")) {
        ok = readRecord(r, &decoder.s.records.emplace_back(), &decoder.s.tasks);
      } else if (keyIs(store, "history")) {
        ok = readHistoryRow(r, &decoder.s.history.emplace_back(), &decoder.s.tasks);
      } else if (keyIs(store, "tasks")) {
        ok = readTask(r, &decoder.s.tasks.emplace_back());
      } else if (fewRows(store)) {
        Json row;
        ok = readJson(r, &row);
        if (ok) decoder.row(store, index, row);
      } else {
        ok = r.skipValue();  // an unknown store's rows are ignored
      }
      if (!ok)
        unreadable(text,
                   joined({"the stored row ", store, "[", std::to_string(index),
                           "] is not in the shape Ringi writes"}),
                   at);
    }
  }
  if (!r.finish())
    unreadable(text, "the rows end too early or go on after the last store", r.offset());
  return decoder.finish();
}

}  // namespace ringi::api::storage
