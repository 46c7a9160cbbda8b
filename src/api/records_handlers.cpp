// /k/v1/record.json and /k/v1/records.json.
#include <nlohmann/json.hpp>
#include <tuple>

#include "api/handler_util.h"
#include "api/json/reader.h"
#include "api/json_codec.h"
#include "api/params.h"
#include "api/record_writer.h"

namespace ringi::api::handlers {

using domain::Error;

namespace {
// id directly, or through updateKey {field, value}.
std::optional<int64_t> targetId(Params& p, bool* viaKey, std::string* keyField,
                                std::string* keyValue) {
  *viaKey = false;
  if (const Json* uk = p.get("updateKey")) {
    if (!uk->is_object()) {
      p.validation().fail(p.key("updateKey"), "not_object");
      return std::nullopt;
    }
    Params k(p.validation(), *uk, p.key("updateKey."));
    auto field = k.string("field", true);
    auto value = k.string("value", true);
    if (field && value) {
      *viaKey = true;
      *keyField = *field;
      *keyValue = *value;
    }
    return std::nullopt;
  }
  return p.integer("id", true, 1);
}
}  // namespace

void getRecord(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto id = p.integer("id", true, 1);
  v.check();
  const auto& a = appOf(ctx, *app, TokenRight::view);
  const auto& r = ctx.engine.record(ctx.user, *app, *id);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().key("record");
  RecordWriter(a, ctx.engine.directory()).write(w, r);
  w.endObject();
  answer(ctx, std::move(text), out);
}

void addRecord(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  domain::FieldValues values;
  if (const Json* rec = p.get("record")) values = codec::decodeValues(*rec, v, "record");
  v.check();
  appOf(ctx, *app, TokenRight::add);
  auto [id, rev] = ctx.engine.addRecord(ctx.user, *app, std::move(values));
  out = Json{{"id", std::to_string(id)}, {"revision", std::to_string(rev)}};
}

void updateRecord(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  bool viaKey;
  std::string keyField, keyValue;
  auto id = targetId(p, &viaKey, &keyField, &keyValue);
  auto revision = p.integer("revision", false, -1);
  domain::FieldValues values;
  if (const Json* rec = p.get("record")) values = codec::decodeValues(*rec, v, "record");
  v.check();
  appOf(ctx, *app, TokenRight::edit);
  int64_t rid = viaKey ? ctx.engine.findIdByKey(*app, keyField, keyValue) : *id;
  int64_t rev = ctx.engine.updateRecord(ctx.user, *app, rid, std::move(values), noCheck(revision));
  out = Json{{"revision", std::to_string(rev)}};
}

void getRecords(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto query = p.string("query", false);
  auto totalCount = p.boolean("totalCount");
  std::vector<std::string> fields = fieldCodes(p);
  v.check();
  const auto& a = appOf(ctx, *app, TokenRight::view);
  int64_t total = 0;
  // Without totalCount the scan stops at the last record of the page.
  auto recs = ctx.engine.findRecords(ctx.user, *app, query.value_or(""),
                                     totalCount.value_or(false) ? &total : nullptr);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().key("records").beginArray();
  const RecordWriter records(a, ctx.engine.directory(), fields);
  for (const auto* r : recs) records.write(w, *r);
  w.endArray().key("totalCount");
  if (totalCount.value_or(false))
    w.value(std::to_string(total));
  else
    w.null();
  w.endObject();
  answer(ctx, std::move(text), out);
}

void addRecords(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  const Json* recs = p.array("records", true, 100, "max_records_add");
  std::vector<domain::FieldValues> all;
  if (recs)
    for (size_t i = 0; i < recs->size(); ++i)
      all.push_back(codec::decodeValues((*recs)[i], v, "records[" + std::to_string(i) + "]"));
  v.check();
  appOf(ctx, *app, TokenRight::add);
  Json ids = Json::array(), revisions = Json::array();
  for (size_t i = 0; i < all.size(); ++i) {
    try {
      auto [id, rev] = ctx.engine.addRecord(ctx.user, *app, std::move(all[i]));
      ids.push_back(std::to_string(id));
      revisions.push_back(std::to_string(rev));
    } catch (const Error& e) {
      throw rekey(e, "records[" + std::to_string(i) + "].");
    }
  }
  out = Json{{"ids", std::move(ids)}, {"revisions", std::move(revisions)}};
}

// PUT records: by id or updateKey. With `upsert: true` (what cli-kintone's import by key sends)
// every record names an updateKey, and one whose key no record has is added with that value;
// each answer says which: operation INSERT or UPDATE.
void updateRecords(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app", "records", "upsert"});
  auto app = p.integer("app", true, 1);
  const bool upsert = p.boolean("upsert").value_or(false);
  const Json* recs = p.array("records", true, 100, "max_records_update");
  struct Item {
    std::optional<int64_t> id;
    bool viaKey = false;
    std::string keyField, keyValue;
    std::optional<int64_t> revision;
    domain::FieldValues values;
  };
  std::vector<Item> items;
  if (recs)
    for (size_t i = 0; i < recs->size(); ++i) {
      std::string prefix = "records[" + std::to_string(i) + "].";
      if (!(*recs)[i].is_object()) {
        v.fail("records[" + std::to_string(i) + "]", "not_object");
        continue;
      }
      Params ep(v, (*recs)[i], prefix);
      refuseUnknownKeys(v, (*recs)[i], {"id", "updateKey", "revision", "record"}, prefix);
      if (upsert && !ep.get("updateKey")) v.fail(prefix + "updateKey", "required");
      Item it;
      it.id = targetId(ep, &it.viaKey, &it.keyField, &it.keyValue);
      it.revision = ep.integer("revision", false, -1);
      if (const Json* rec = ep.get("record"))
        it.values = codec::decodeValues(*rec, v, "records[" + std::to_string(i) + "].record");
      items.push_back(std::move(it));
    }
  v.check();
  appOf(ctx, *app, TokenRight::edit);
  if (upsert) appOf(ctx, *app, TokenRight::add);
  // The answer is written as text (JsonWriter): nlohmann objects built here cost ~3 KB of wasm.
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().literalKey("records").beginArray();
  for (size_t i = 0; i < items.size(); ++i) {
    try {
      auto& it = items[i];
      std::optional<int64_t> rid = it.id;
      if (it.viaKey) {
        try {
          rid = ctx.engine.findIdByKey(*app, it.keyField, it.keyValue);
        } catch (const Error& e) {
          if (!upsert || e.code() != "GAIA_RE20" || !ctx.engine.app(*app).findField(it.keyField))
            throw;
        }
      }
      int64_t id = 0, rev = 0;
      if (!rid) {  // upsert of a key no record has: added, with the key's value
        it.values.insert_or_assign(it.keyField, domain::FieldValue{it.keyValue, {}});
        std::tie(id, rev) = ctx.engine.addRecord(ctx.user, *app, std::move(it.values));
      } else {
        id = *rid;
        rev =
            ctx.engine.updateRecord(ctx.user, *app, id, std::move(it.values), noCheck(it.revision));
      }
      w.beginObject().literalKey("id").value(std::to_string(id));
      w.literalKey("revision").value(std::to_string(rev));
      if (upsert) w.literalKey("operation").value(rid ? "UPDATE" : "INSERT");
      w.endObject();
    } catch (const Error& e) {
      throw rekey(e, "records[" + std::to_string(i) + "].");
    }
  }
  w.endArray().endObject();
  answer(ctx, std::move(text), out);
}

void deleteRecords(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  const Json* ids = p.array("ids", true, 100, "max_records_delete");
  const Json* revs = p.array("revisions", false, 100, "max_records_delete");
  std::vector<int64_t> idList, revList;
  if (ids) {
    idList = integerArray(v, *ids, "ids", 1);
    if (ids->empty()) v.fail("ids", "required");
  }
  if (revs) {
    // null: no check (what rest-api-client's deleteAllRecords and cli-kintone send), as -1
    Json checked = *revs;
    for (auto& r : checked)
      if (r.is_null()) r = -1;
    revList = integerArray(v, checked, "revisions", -1);
    if (ids && revs->size() != ids->size()) v.fail("revisions", "size_mismatch", {"ids"});
  }
  v.check();
  appOf(ctx, *app, TokenRight::remove);
  ctx.engine.deleteRecords(ctx.user, *app, idList, revList);
  out = Json::object();
}

}  // namespace ringi::api::handlers
