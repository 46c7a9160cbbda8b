// Apps and their settings: app.json, apps.json, preview/app.json, [preview/]app/status.json,
// [preview/]app/form/fields.json, preview/app/deploy.json.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/json_codec.h"
#include "api/params.h"
#include "api/settings_codec.h"

namespace ringi::api::handlers {

using namespace ringi::domain;

namespace {
Json appInfo(Ctx& ctx, const App& a) {
  Json j{{"appId", std::to_string(a.id)},
         {"code", ""},
         {"name", a.name},
         {"description", a.description}};
  j["spaceId"] = a.spaceId ? Json(std::to_string(*a.spaceId)) : Json(nullptr);
  j["threadId"] = a.spaceId ? Json(std::to_string(*a.spaceId)) : Json(nullptr);
  j["createdAt"] = codec::isoTime(a.createdAt);
  j["creator"] = codec::userRef(ctx.engine.directory(), a.creator);
  j["modifiedAt"] = codec::isoTime(a.modifiedAt);
  j["modifier"] = codec::userRef(ctx.engine.directory(), a.creator);
  return j;
}

void checkLang(Params& p) {
  if (auto lang = p.string("lang", false)) {
    static const char* ok[] = {"default", "en", "zh", "ja", "user"};
    if (std::find_if(std::begin(ok), std::end(ok), [&](const char* s) { return *lang == s; }) ==
        std::end(ok))
      p.validation().fail("lang", "enum");
  }
}

void status(Ctx& ctx, const Json& params, Json& out, bool preview) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  checkLang(p);
  v.check();
  const App& a = appOf(ctx, *app, preview ? TokenRight::editApp : TokenRight::view);
  out = codec::encodeProcess(preview ? a.previewProcess : a.process);
  out["revision"] = std::to_string(preview ? a.previewRevision : a.revision);
}

void fields(Ctx& ctx, const Json& params, Json& out, bool preview) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  checkLang(p);
  v.check();
  const App& a = appOf(ctx, *app, preview ? TokenRight::editApp : TokenRight::view);
  const auto& fs = preview ? a.previewFields : a.fields;
  Json props = codec::encodeProperties(fs);
  // kintone always lists the system fields (dts-gen's types and cli-kintone's import read them)
  // and the process-management fields, present in the form or not.
  auto has = [&](FieldType t) {
    return std::any_of(fs.begin(), fs.end(), [&](const FieldDef& f) { return f.type == t; });
  };
  const bool processOn = (preview ? a.previewProcess : a.process).enable;
  for (FieldType t :
       {FieldType::RECORD_NUMBER, FieldType::CREATOR, FieldType::CREATED_TIME, FieldType::MODIFIER,
        FieldType::UPDATED_TIME, FieldType::STATUS, FieldType::STATUS_ASSIGNEE}) {
    if (has(t)) continue;
    const std::string code = a.systemFieldCode(t);
    const bool process = t == FieldType::STATUS || t == FieldType::STATUS_ASSIGNEE;
    std::string label = code, text;
    if (!process) std::replace(label.begin(), label.end(), '_', ' ');
    // Written as text: nlohmann's initializer lists cost more wasm than the text does.
    JsonWriter w(text, JsonWriter::Ascii::no);
    w.beginObject()
        .literalKey("type")
        .value(codec::fieldTypeName(t))
        .literalKey("code")
        .value(code);
    w.literalKey("label").value(label).literalKey(process ? "enabled" : "noLabel");
    w.value(process && processOn).endObject();
    props[code] = parseJson(text);
  }
  out = Json{{"properties", std::move(props)},
             {"revision", std::to_string(preview ? a.previewRevision : a.revision)}};
}

// Ringi keeps no form layout: the form kintone makes for fields added through the API, one row
// per field in the fields' order (system and process fields are not placed).
void layout(Ctx& ctx, const Json& params, Json& out, bool preview) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app"});
  auto app = p.integer("app", true, 1);
  v.check();
  const App& a = appOf(ctx, *app, preview ? TokenRight::editApp : TokenRight::view);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().literalKey("layout").beginArray();
  for (const FieldDef& f : preview ? a.previewFields : a.fields) {
    if (isSystemField(f.type)) continue;
    w.beginObject().literalKey("type").value("ROW").literalKey("fields").beginArray();
    w.beginObject().literalKey("type").value(codec::fieldTypeName(f.type));
    w.literalKey("code").value(f.code);
    w.literalKey("size").beginObject().literalKey("width").value("193").endObject();
    w.endObject().endArray().endObject();
  }
  w.endArray().literalKey("revision");
  w.value(std::to_string(preview ? a.previewRevision : a.revision)).endObject();
  answer(ctx, std::move(text), out);
}
}  // namespace

void getLayout(Ctx& ctx, const Json& params, Json& out) { layout(ctx, params, out, false); }
void getPreviewLayout(Ctx& ctx, const Json& params, Json& out) { layout(ctx, params, out, true); }

void getApp(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto id = p.integer("id", true, 1);
  v.check();
  out = appInfo(ctx, appOf(ctx, *id, TokenRight::view));
}

void getApps(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  std::vector<int64_t> ids, spaces;
  std::vector<std::string> codes;
  if (const Json* j = p.array("ids", false, 100)) ids = integerArray(v, *j, "ids", 1);
  if (const Json* j = p.array("codes", false, 100)) codes = stringArray(v, *j, "codes");
  if (const Json* j = p.array("spaceIds", false, 100)) spaces = integerArray(v, *j, "spaceIds", 1);
  auto name = p.string("name", false);
  auto limit = p.integer("limit", false, 1, 100);
  auto offset = p.integer("offset", false, 0);
  v.check();
  Json apps = Json::array();
  int64_t skipped = 0, lim = limit.value_or(100);
  for (const App* a : ctx.engine.apps()) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), a->id) == ids.end()) continue;
    if (ctx.token && !ctx.token->allows(a->id, TokenRight::view)) continue;  // as kintone
    if (!codes.empty()) continue;  // apps have no code in Ringi
    if (!spaces.empty() &&
        (!a->spaceId || std::find(spaces.begin(), spaces.end(), *a->spaceId) == spaces.end()))
      continue;
    if (name && !name->empty() && a->name.find(*name) == std::string::npos) continue;
    if (skipped++ < offset.value_or(0)) continue;
    if (static_cast<int64_t>(apps.size()) >= lim) break;
    apps.push_back(appInfo(ctx, *a));
  }
  out = Json{{"apps", std::move(apps)}};
}

void addPreviewApp(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto name = p.string("name", true);
  if (name && name->size() > 64 * 4) v.fail("name", "size_between", {"1", "64"});
  auto space = p.integer("space", false, 1);
  v.check();
  // A token belongs to an app, so it cannot make one (only a development grant may).
  if (ctx.token && !ctx.token->every) throw domain::Error("GAIA_NO01");
  int64_t id = ctx.engine.createApp(ctx.user, *name, space);
  out = Json{{"app", std::to_string(id)},
             {"revision", std::to_string(ctx.engine.app(id).previewRevision)}};
}

void getStatus(Ctx& ctx, const Json& params, Json& out) { status(ctx, params, out, false); }
void getPreviewStatus(Ctx& ctx, const Json& params, Json& out) { status(ctx, params, out, true); }

void putPreviewStatus(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  auto enable = p.boolean("enable");
  auto revision = p.integer("revision", false, -1);
  const Json* states = p.object("states", false);
  const Json* actions = p.array("actions", false);
  v.check();
  const App& a = appOf(ctx, *app, TokenRight::editApp);
  ProcessSettings s = a.previewProcess;
  if (enable) s.enable = *enable;
  if (states) {
    s.states = codec::decodeStates(*states, v, "states");
    // kintone: a state without assignee gets "the creator" (FIELD_ENTITY 作成者)
    for (auto& st : s.states) {
      bool given = false;
      for (auto it = states->begin(); it != states->end(); ++it) {
        if (it->is_object() &&
            (it.key() == st.name || (it->contains("name") && (*it)["name"] == st.name)))
          given = it->contains("assignee") && !(*it)["assignee"].is_null();
      }
      if (!given) {
        st.assigneeType = AssigneeType::ONE;
        st.entities = {
            Entity{EntityType::FIELD_ENTITY, a.systemFieldCode(FieldType::CREATOR), false}};
      }
    }
    s.configured = true;
  }
  if (actions) {
    s.actions = codec::decodeActions(*actions, v, "actions");
    s.configured = true;
  }
  v.check();
  int64_t rev = ctx.engine.updatePreviewProcess(*app, std::move(s), noCheck(revision));
  out = Json{{"revision", std::to_string(rev)}};
}

void getFields(Ctx& ctx, const Json& params, Json& out) { fields(ctx, params, out, false); }
void getPreviewFields(Ctx& ctx, const Json& params, Json& out) { fields(ctx, params, out, true); }

void addPreviewFields(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  auto app = p.integer("app", true, 1);
  const Json* props = p.object("properties", true);
  auto revision = p.integer("revision", false, -1);
  std::vector<FieldDef> defs;
  if (props) defs = codec::decodeProperties(*props, v, "properties");
  v.check();
  appOf(ctx, *app, TokenRight::editApp);
  int64_t rev = ctx.engine.addPreviewFields(*app, std::move(defs), noCheck(revision));
  out = Json{{"revision", std::to_string(rev)}};
}

void deploy(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  const Json* apps = p.array("apps", true, 300);
  auto revert = p.boolean("revert");
  std::vector<std::pair<int64_t, std::optional<int64_t>>> list;
  if (apps) {
    if (apps->empty()) v.fail("apps", "required");
    for (size_t i = 0; i < apps->size(); ++i) {
      std::string k = "apps[" + std::to_string(i) + "]";
      if (!(*apps)[i].is_object()) {
        v.fail(k, "not_object");
        continue;
      }
      Params ep(v, (*apps)[i], k + ".");
      auto id = ep.integer("app", true, 1);
      auto rev = ep.integer("revision", false, -1);
      if (id) list.emplace_back(*id, noCheck(rev));
    }
  }
  v.check();
  for (const auto& [id, rev] : list) appOf(ctx, id, TokenRight::editApp);
  ctx.engine.deploy(list, revert.value_or(false));
  out = Json::object();
}

void deployStatus(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  const Json* apps = p.array("apps", true, 300);
  std::vector<int64_t> ids;
  if (apps) ids = integerArray(v, *apps, "apps", 1);
  v.check();
  Json arr = Json::array();
  for (int64_t id : ids) {
    appOf(ctx, id, TokenRight::editApp);
    arr.push_back(Json{{"app", std::to_string(id)}, {"status", "SUCCESS"}});
  }
  out = Json{{"apps", std::move(arr)}};
}

}  // namespace ringi::api::handlers
