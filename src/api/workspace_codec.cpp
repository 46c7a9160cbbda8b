#include "api/workspace_codec.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "api/errors.h"
#include "api/json/reader.h"
#include "api/json/writer.h"
#include "api/json_codec.h"
#include "api/messages.h"
#include "api/settings_codec.h"
#include "domain/error.h"

namespace ringi::api::codec {

using namespace ringi::domain;

namespace {
// {"value": <text>}: how a record's fields look in a workspace document.
void writeValueObject(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key).beginObject().literalKey("value").value(text).endObject();
}
}  // namespace

std::string exportWorkspace(const Snapshot& s) {
  // Written straight to text: a workspace of 100,000 records never exists as one DOM.
  std::string out;
  JsonWriter w(out);
  w.beginObject();
  w.literalKey("users").beginArray();
  for (const auto& u : s.users) writeJson(w, encodeUser(u));
  w.endArray().literalKey("organizations").beginArray();
  for (const auto& o : s.organizations) writeJson(w, encodeOrganization(o));
  w.endArray().literalKey("groups").beginArray();
  for (const auto& g : s.groups) writeJson(w, encodeGroup(g));
  w.endArray();
  std::vector<const App*> sorted;
  for (const auto& a : s.apps) sorted.push_back(&a);
  std::sort(sorted.begin(), sorted.end(), [](const App* a, const App* b) { return a->id < b->id; });
  std::map<int64_t, std::vector<const Record*>> byApp;
  for (const auto& r : s.records) byApp[r.app].push_back(&r);
  w.literalKey("apps").beginArray();
  for (const App* a : sorted) {
    w.beginObject().literalKey("app").value(a->id).literalKey("name").value(a->name);
    w.literalKey("locale").value(localeName(a->locale));
    if (!a->description.empty()) w.literalKey("description").value(a->description);
    if (a->spaceId) w.literalKey("space").value(*a->spaceId);
    if (a->guestSpace) w.literalKey("guest").value(true);
    w.literalKey("fields");
    writeJson(w, encodeProperties(a->fields));
    Json status = encodeProcess(a->process);
    status["revision"] = std::to_string(a->revision);
    w.literalKey("status");
    writeJson(w, status);
    w.literalKey("batch_approval");
    writeJson(w, encodeBatchSettings(a->batchApproval));
    w.literalKey("records").beginArray();
    auto& rs = byApp[a->id];
    std::sort(rs.begin(), rs.end(), [](const Record* x, const Record* y) { return x->id < y->id; });
    for (const Record* r : rs) {
      // Each key once, in this order (a later one in an earlier one's place, as the Json object
      // this replaced kept them): system fields are not among a record's values.
      w.beginObject();
      writeValueObject(w, "$id", std::to_string(r->id));
      writeValueObject(w, "$revision", std::to_string(r->revision));
      for (const auto& [code, fv] : r->values) {
        w.key(code).beginObject().literalKey("value");
        writeJson(w, encodeValue(*a, code, fv, nullptr));
        w.endObject();
      }
      if (!r->status.empty()) {
        writeValueObject(w, a->statusFieldCode(), r->status);
        w.key(a->assigneeFieldCode()).beginObject().literalKey("value").beginArray();
        for (const auto& u : r->assignees) w.beginObject().literalKey("code").value(u).endObject();
        w.endArray().endObject();
      }
      if (!r->creator.empty())
        w.key(a->systemFieldCode(FieldType::CREATOR))
            .beginObject()
            .literalKey("value")
            .beginObject()
            .literalKey("code")
            .value(r->creator)
            .endObject()
            .endObject();
      if (!r->modifier.empty())
        w.key(a->systemFieldCode(FieldType::MODIFIER))
            .beginObject()
            .literalKey("value")
            .beginObject()
            .literalKey("code")
            .value(r->modifier)
            .endObject()
            .endObject();
      writeValueObject(w, a->systemFieldCode(FieldType::CREATED_TIME), isoTime(r->createdAt));
      writeValueObject(w, a->systemFieldCode(FieldType::UPDATED_TIME), isoTime(r->updatedAt));
      w.endObject();
    }
    w.endArray().endObject();
  }
  w.endArray().endObject();
  return out;
}

namespace {
const Json* member(const Json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

// The records of one app: the array in the document, or the texts parseWorkspace captured.
struct RecordSource {
  const Json* array = nullptr;
  std::vector<std::string>* texts = nullptr;  // each freed once parsed
};

std::string userCodeOf(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) return stringMember(value, "code");
  return "";
}

void importRecords(const RecordSource& source, App& app, Snapshot& snap, int64_t now, Validation& v,
                   const std::string& key) {
  if (source.array && !source.array->is_array()) {
    v.fail(key, "not_array");
    return;
  }
  const std::string statusCode = app.statusFieldCode(), assigneeCode = app.assigneeFieldCode();
  const std::string creatorCode = app.systemFieldCode(FieldType::CREATOR),
                    modifierCode = app.systemFieldCode(FieldType::MODIFIER),
                    createdCode = app.systemFieldCode(FieldType::CREATED_TIME),
                    updatedCode = app.systemFieldCode(FieldType::UPDATED_TIME),
                    numberCode = app.systemFieldCode(FieldType::RECORD_NUMBER);
  const size_t first = snap.records.size();  // the records are added straight to the snapshot
  std::set<int64_t> ids;
  int64_t maxId = 0;
  const size_t count = source.array   ? source.array->size()
                       : source.texts ? source.texts->size()
                                      : 0;
  for (size_t i = 0; i < count; ++i) {
    std::string k = key + "[" + std::to_string(i) + "]";
    Json parsed;  // a record captured as text is parsed on its own, one at a time
    if (!source.array) {
      parsed = parseJson((*source.texts)[i]);
      std::string().swap((*source.texts)[i]);
    }
    const Json& rj = source.array ? (*source.array)[i] : parsed;
    if (!rj.is_object()) {
      v.fail(k, "not_object");
      continue;
    }
    Record r;
    r.app = app.id;
    r.id = 0;
    r.revision = 1;
    r.createdAt = r.updatedAt = now;
    bool hasUpdated = false;
    for (auto it = rj.begin(); it != rj.end(); ++it) {
      const std::string& code = it.key();
      std::string fk = k + "." + code + ".value";
      const Json* val = it->is_object() ? member(*it, "value") : nullptr;
      if (!it->is_object()) {
        v.fail(fk, "invalid_value");
        continue;
      }
      if (code == "$id" || code == "$revision") {
        int64_t n = 0;
        if (!val || !toInt64(*val, &n))
          v.fail(fk, "not_integer");
        else if (n < 1)
          v.fail(fk, "min", {"1"});
        else if (code == "$id")
          r.id = n;
        else
          r.revision = n;
      } else if (code == statusCode) {
        if (val && val->is_string())
          r.status = val->get<std::string>();
        else if (val)
          v.fail(fk, "not_string");
      } else if (code == assigneeCode) {
        if (val && val->is_array()) {
          for (const auto& u : *val) {
            std::string c = userCodeOf(u);
            if (c.empty())
              v.fail(fk, "invalid_value");
            else
              r.assignees.push_back(c);
          }
        } else if (val) {
          v.fail(fk, "not_array");
        }
      } else if (code == creatorCode || code == modifierCode) {
        std::string c = val ? userCodeOf(*val) : "";
        (code == creatorCode ? r.creator : r.modifier) = c;
      } else if (code == createdCode || code == updatedCode) {
        int64_t ms = 0;
        if (!val || !val->is_string() || !parseIsoTime(val->get<std::string>(), &ms))
          v.fail(fk, "invalid_datetime");
        else if (code == createdCode)
          r.createdAt = ms;
        else
          r.updatedAt = ms, hasUpdated = true;
      } else if (code == numberCode) {
        // derived from the id
      } else {
        bool ok = true;
        FieldValue fv = decodeValue(val ? *val : Json(nullptr), &ok);
        if (!ok)
          v.fail(fk, "invalid_value");
        else
          r.values[code] = std::move(fv);
      }
    }
    if (!hasUpdated) r.updatedAt = r.createdAt;
    if (r.id) {
      if (!ids.insert(r.id).second) v.fail(k + ".$id.value", "unique", {std::to_string(r.id)});
      maxId = std::max(maxId, r.id);
    }
    snap.records.push_back(std::move(r));
  }
  for (size_t i = first; i < snap.records.size(); ++i)
    if (snap.records[i].id == 0) snap.records[i].id = ++maxId;
  app.nextRecordId = maxId + 1;
}
}  // namespace

namespace {
// One element of "apps" into *app, except the elements of its "records" array: each is kept as
// its own text (importWorkspace parses them one at a time) and "records" is left empty.
bool readApp(JsonReader& r, std::string_view text, Json* app, std::vector<std::string>* records) {
  if (r.peek() != JsonReader::Kind::object) return readJson(r, app);
  *app = Json::object();
  r.beginObject();
  for (std::string_view key; r.nextKey(&key);) {
    Json& member = (*app)[std::string(key)];
    if (!keyIs(key, "records")) {
      if (!readJson(r, &member)) return false;
      continue;
    }
    records->clear();  // a repeated key: its last value counts, as in the document
    if (r.peek() != JsonReader::Kind::array) {
      if (!readJson(r, &member)) return false;
      continue;
    }
    member = Json::array();
    r.beginArray();
    while (r.nextElement()) {
      r.peek();  // past the whitespace, so the text starts at the value
      const size_t from = r.offset();
      if (!r.skipValue()) return false;
      records->emplace_back(text.substr(from, r.offset() - from));
    }
  }
  return r.ok();
}
}  // namespace

Json parseWorkspace(const std::string& text, RecordTexts* recordTexts) {
  // Records are the bulk of a workspace: each one is only checked and copied out as text here
  // (importWorkspace parses them one at a time), so a 100,000-record workspace never exists as
  // one DOM.
  const Json discarded(Json::value_t::discarded);
  JsonReader r(text);
  Json doc;
  if (r.peek() != JsonReader::Kind::object)
    return readJson(r, &doc) && r.finish() ? doc : discarded;
  doc = Json::object();
  r.beginObject();
  for (std::string_view key; r.nextKey(&key);) {
    Json& member = doc[std::string(key)];
    if (!keyIs(key, "apps") || r.peek() != JsonReader::Kind::array) {
      if (!readJson(r, &member)) return discarded;
      continue;
    }
    recordTexts->clear();
    member = Json::array();
    auto& apps = member.get_ref<Json::array_t&>();
    r.beginArray();
    while (r.nextElement())
      if (!readApp(r, text, &apps.emplace_back(), &recordTexts->emplace_back())) return discarded;
  }
  return r.finish() ? doc : discarded;
}

Snapshot importWorkspace(const Json& doc, int64_t now, RecordTexts* recordTexts) {
  if (!doc.is_object()) throw Error("RINGI_WS01", {"the workspace must be a JSON object"});
  Validation v;
  Snapshot snap;
  auto list = [&](const char* key) -> const Json* {
    const Json* j = member(doc, key);
    if (j && !j->is_array()) {
      v.fail(key, "not_array");
      return nullptr;
    }
    return j;
  };
  if (const Json* us = list("users"))
    for (size_t i = 0; i < us->size(); ++i)
      snap.users.push_back(decodeUser((*us)[i], v, "users[" + std::to_string(i) + "]"));
  if (const Json* os = list("organizations"))
    for (size_t i = 0; i < os->size(); ++i)
      snap.organizations.push_back(
          decodeOrganization((*os)[i], v, "organizations[" + std::to_string(i) + "]"));
  if (const Json* gs = list("groups"))
    for (size_t i = 0; i < gs->size(); ++i)
      snap.groups.push_back(decodeGroup((*gs)[i], v, "groups[" + std::to_string(i) + "]"));
  int64_t maxApp = 0;
  std::set<int64_t> appIds;
  if (const Json* as = list("apps")) {
    for (size_t i = 0; i < as->size(); ++i) {
      const Json& aj = (*as)[i];
      std::string k = "apps[" + std::to_string(i) + "]";
      if (!aj.is_object()) {
        v.fail(k, "not_object");
        continue;
      }
      App app;
      const Json* id = member(aj, "app");
      if (id && (!toInt64(*id, &app.id) || app.id < 1)) v.fail(k + ".app", "min", {"1"});
      if (app.id && !appIds.insert(app.id).second)
        v.fail(k + ".app", "unique", {std::to_string(app.id)});
      app.name = stringMember(aj, "name");
      app.description = stringMember(aj, "description");
      std::string loc = stringMember(aj, "locale", "ja");
      if (!parseLocale(loc, &app.locale)) v.fail(k + ".locale", "enum");
      if (const Json* sp = member(aj, "space")) {
        int64_t n = 0;
        if (toInt64(*sp, &n))
          app.spaceId = n;
        else
          v.fail(k + ".space", "not_integer");
      }
      if (const Json* g = member(aj, "guest")) app.guestSpace = g->is_boolean() && g->get<bool>();
      app.createdAt = app.modifiedAt = now;
      if (const Json* f = member(aj, "fields")) app.fields = decodeProperties(*f, v, k + ".fields");
      if (const Json* st = member(aj, "status")) {
        app.process = decodeProcess(*st, v, k + ".status");
        if (st->is_object()) {
          if (const Json* rev = member(*st, "revision")) {
            int64_t n = 0;
            if (toInt64(*rev, &n) && n >= 1)
              app.revision = n;
            else
              v.fail(k + ".status.revision", "min", {"1"});
          }
        }
      }
      if (const Json* ba = member(aj, "batch_approval"))
        app.batchApproval = decodeBatchSettings(*ba, v, k + ".batch_approval");
      app.previewFields = app.fields;
      app.previewProcess = app.process;
      app.previewRevision = app.revision;
      maxApp = std::max(maxApp, app.id);
      snap.apps.push_back(std::move(app));
    }
    // apps without an id get the next ones, in order
    for (auto& app : snap.apps)
      if (app.id == 0) app.id = ++maxApp;
    for (size_t i = 0, j = 0; i < as->size(); ++i) {
      if (!(*as)[i].is_object()) continue;
      App& app = snap.apps[j++];
      RecordSource source;
      source.array = member((*as)[i], "records");
      const bool captured = recordTexts && i < recordTexts->size() && !(*recordTexts)[i].empty();
      if (captured && (!source.array || (source.array->is_array() && source.array->empty()))) {
        source.array = nullptr;
        source.texts = &(*recordTexts)[i];
      }
      if (source.array || source.texts)
        importRecords(source, app, snap, now, v, "apps[" + std::to_string(i) + "].records");
    }
  }
  v.check();
  snap.nextAppId = maxApp + 1;
  return snap;
}

}  // namespace ringi::api::codec
