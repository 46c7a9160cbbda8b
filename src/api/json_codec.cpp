#include "api/json_codec.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "api/errors.h"
#include "api/json_parse.h"
#include "api/json_writer.h"
#include "api/messages.h"
#include "domain/error.h"

namespace ringi::api::codec {

using namespace ringi::domain;

// ---- primitives ------------------------------------------------------------------------------
namespace {
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
void civilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}
bool digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
std::string str(const Json& j, const char* key, const std::string& def = "") {
  if (!j.is_object()) return def;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : def;
}
}  // namespace

std::string isoTime(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civilFromDays(days, &y, &m, &d);
  char buf[40];
  snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
           static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

bool parseIsoTime(const std::string& s, int64_t* ms) {
  int y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
  if (!digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, &mo) ||
      s[7] != '-' || !digits(s, 8, 2, &d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  size_t p = 10;
  int64_t offsetMin = 0;
  if (p < s.size()) {
    if (s[p] != 'T' || !digits(s, p + 1, 2, &h) || s.size() < p + 6 || s[p + 3] != ':' ||
        !digits(s, p + 4, 2, &mi))
      return false;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, &se)) return false;
      p += 3;
    }
    if (p < s.size() && s[p] == '.') {
      ++p;
      int n = 0;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        if (n < 3) frac = frac * 10 + (s[p] - '0');
        ++n, ++p;
      }
      for (; n < 3; ++n) frac *= 10;
    }
    if (p < s.size() && s[p] == 'Z') ++p;
    else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int oh, om;
      if (!digits(s, p + 1, 2, &oh) || s.size() < p + 6 || s[p + 3] != ':' ||
          !digits(s, p + 4, 2, &om))
        return false;
      offsetMin = (oh * 60 + om) * (s[p] == '+' ? 1 : -1);
      p += 6;
    }
    if (p != s.size() || h > 23 || mi > 59 || se > 60) return false;
  }
  int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *ms = ((days * 86400 + h * 3600 + mi * 60 + se) - offsetMin * 60) * 1000 + frac;
  return true;
}

namespace {
const std::vector<std::pair<FieldType, const char*>>& typeNames() {
  static const std::vector<std::pair<FieldType, const char*>> t = {
      {FieldType::SINGLE_LINE_TEXT, "SINGLE_LINE_TEXT"}, {FieldType::MULTI_LINE_TEXT, "MULTI_LINE_TEXT"},
      {FieldType::RICH_TEXT, "RICH_TEXT"}, {FieldType::NUMBER, "NUMBER"}, {FieldType::CALC, "CALC"},
      {FieldType::DATE, "DATE"}, {FieldType::TIME, "TIME"}, {FieldType::DATETIME, "DATETIME"},
      {FieldType::LINK, "LINK"}, {FieldType::DROP_DOWN, "DROP_DOWN"},
      {FieldType::RADIO_BUTTON, "RADIO_BUTTON"}, {FieldType::CHECK_BOX, "CHECK_BOX"},
      {FieldType::MULTI_SELECT, "MULTI_SELECT"}, {FieldType::USER_SELECT, "USER_SELECT"},
      {FieldType::ORGANIZATION_SELECT, "ORGANIZATION_SELECT"}, {FieldType::GROUP_SELECT, "GROUP_SELECT"},
      {FieldType::RECORD_NUMBER, "RECORD_NUMBER"}, {FieldType::ID, "__ID__"},
      {FieldType::REVISION, "__REVISION__"}, {FieldType::CREATOR, "CREATOR"},
      {FieldType::MODIFIER, "MODIFIER"}, {FieldType::CREATED_TIME, "CREATED_TIME"},
      {FieldType::UPDATED_TIME, "UPDATED_TIME"}, {FieldType::STATUS, "STATUS"},
      {FieldType::STATUS_ASSIGNEE, "STATUS_ASSIGNEE"}, {FieldType::CATEGORY, "CATEGORY"},
  };
  return t;
}
}  // namespace

const char* fieldTypeName(FieldType t) {
  for (const auto& [type, name] : typeNames())
    if (type == t) return name;
  return "SINGLE_LINE_TEXT";
}

bool parseFieldType(const std::string& s, FieldType* out) {
  for (const auto& [type, name] : typeNames())
    if (s == name) return *out = type, true;
  return false;
}

// ---- directory -------------------------------------------------------------------------------
Json encodeUser(const User& u) {
  return Json{{"code", u.code}, {"name", u.name}, {"locale", localeName(u.locale)}};
}
Json encodeOrganization(const Organization& o) {
  Json j{{"code", o.code}, {"name", o.name}};
  j["parent"] = o.parent ? Json(*o.parent) : Json(nullptr);
  j["members"] = o.members;
  return j;
}
Json encodeGroup(const Group& g) {
  return Json{{"code", g.code}, {"name", g.name}, {"members", g.members}};
}

namespace {
std::string requireCode(const Json& j, Validation& v, const std::string& key) {
  if (!j.is_object()) {
    v.fail(key, "not_object");
    return "";
  }
  std::string code = str(j, "code");
  if (code.empty()) v.fail(key + ".code", "required");
  return code;
}
std::vector<std::string> members(const Json& j, Validation& v, const std::string& key) {
  auto it = j.find("members");
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_array()) {
    v.fail(key + ".members", "not_array");
    return {};
  }
  return stringArray(v, *it, key + ".members");
}
}  // namespace

User decodeUser(const Json& j, Validation& v, const std::string& key) {
  User u;
  u.code = requireCode(j, v, key);
  if (!j.is_object()) return u;
  u.name = str(j, "name", u.code);
  std::string loc = str(j, "locale", "en");
  if (!parseLocale(loc, &u.locale)) v.fail(key + ".locale", "enum");
  return u;
}
Organization decodeOrganization(const Json& j, Validation& v, const std::string& key) {
  Organization o;
  o.code = requireCode(j, v, key);
  if (!j.is_object()) return o;
  o.name = str(j, "name", o.code);
  std::string parent = str(j, "parent");
  if (!parent.empty()) o.parent = parent;
  o.members = members(j, v, key);
  return o;
}
Group decodeGroup(const Json& j, Validation& v, const std::string& key) {
  Group g;
  g.code = requireCode(j, v, key);
  if (!j.is_object()) return g;
  g.name = str(j, "name", g.code);
  g.members = members(j, v, key);
  return g;
}

// ---- fields ----------------------------------------------------------------------------------
Json encodeField(const FieldDef& f) {
  if (!f.raw.empty()) {
    Json j = parseJson(f.raw);
    if (j.is_object()) return j;
  }
  Json j{{"type", fieldTypeName(f.type)}, {"code", f.code}, {"label", f.label}};
  if (!isSystemField(f.type)) j["required"] = f.required;
  if (!f.options.empty()) {
    Json opts = Json::object();
    for (size_t i = 0; i < f.options.size(); ++i)
      opts[f.options[i]] = Json{{"label", f.options[i]}, {"index", std::to_string(i)}};
    j["options"] = std::move(opts);
  }
  if (isMultiValued(f.type)) {
    if (!f.defaultValues.empty()) j["defaultValue"] = f.defaultValues;
  } else if (!f.defaultValue.empty()) {
    j["defaultValue"] = f.defaultValue;
  }
  return j;
}

FieldDef decodeField(const std::string& code, const Json& j, Validation& v, const std::string& key) {
  FieldDef f;
  f.code = code;
  if (!j.is_object()) {
    v.fail(key, "not_object");
    return f;
  }
  std::string c = str(j, "code");
  if (!c.empty()) f.code = c;
  auto t = j.find("type");
  if (t == j.end() || t->is_null()) v.fail(key + ".type", "required");
  else if (!t->is_string() || !parseFieldType(t->get<std::string>(), &f.type))
    v.fail(key + ".type", "enum");
  f.label = str(j, "label", f.code);
  auto r = j.find("required");
  if (r != j.end()) f.required = (r->is_boolean() && r->get<bool>()) || (r->is_string() && *r == "true");
  auto o = j.find("options");
  if (o != j.end() && o->is_object()) {
    std::vector<std::pair<int64_t, std::string>> opts;
    int64_t pos = 0;
    for (auto it = o->begin(); it != o->end(); ++it, ++pos) {
      int64_t idx = pos;
      if (it->is_object()) {
        auto i = it->find("index");
        if (i != it->end()) toInt64(*i, &idx);
      }
      opts.emplace_back(idx, it.key());
    }
    std::stable_sort(opts.begin(), opts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& p : opts) f.options.push_back(p.second);
  } else if (o != j.end() && o->is_array()) {
    f.options = stringArray(v, *o, key + ".options");
  }
  auto d = j.find("defaultValue");
  if (d != j.end()) {
    if (d->is_string()) f.defaultValue = d->get<std::string>();
    else if (d->is_number()) f.defaultValue = d->dump();
    else if (d->is_array()) {
      for (const auto& x : *d) {
        if (x.is_string()) f.defaultValues.push_back(x.get<std::string>());
        else if (x.is_object()) f.defaultValues.push_back(str(x, "code"));
      }
    }
  }
  f.raw = j.dump();
  return f;
}

Json encodeProperties(const std::vector<FieldDef>& fields) {
  Json props = Json::object();
  for (const auto& f : fields) props[f.code] = encodeField(f);
  return props;
}

std::vector<FieldDef> decodeProperties(const Json& props, Validation& v, const std::string& key) {
  std::vector<FieldDef> out;
  if (props.is_null()) return out;
  if (!props.is_object()) {
    v.fail(key, "not_object");
    return out;
  }
  for (auto it = props.begin(); it != props.end(); ++it)
    out.push_back(decodeField(it.key(), it.value(), v, key + "." + it.key()));
  return out;
}

// ---- process settings ------------------------------------------------------------------------
namespace {
const char* entityTypeName(EntityType t) {
  switch (t) {
    case EntityType::USER: return "USER";
    case EntityType::GROUP: return "GROUP";
    case EntityType::ORGANIZATION: return "ORGANIZATION";
    case EntityType::FIELD_ENTITY: return "FIELD_ENTITY";
    case EntityType::CREATOR: return "CREATOR";
    case EntityType::CUSTOM_FIELD: return "CUSTOM_FIELD";
  }
  return "USER";
}
bool parseEntityType(const std::string& s, EntityType* t) {
  for (EntityType e : {EntityType::USER, EntityType::GROUP, EntityType::ORGANIZATION,
                       EntityType::FIELD_ENTITY, EntityType::CREATOR, EntityType::CUSTOM_FIELD})
    if (s == entityTypeName(e)) return *t = e, true;
  return false;
}
const char* assigneeTypeName(AssigneeType t) {
  return t == AssigneeType::ANY ? "ANY" : t == AssigneeType::ALL ? "ALL" : "ONE";
}
std::vector<Entity> decodeEntities(const Json& j, Validation& v, const std::string& key) {
  std::vector<Entity> out;
  if (j.is_null()) return out;
  if (!j.is_array()) {
    v.fail(key, "not_array");
    return out;
  }
  for (size_t i = 0; i < j.size(); ++i) {
    std::string k = key + "[" + std::to_string(i) + "]";
    const Json& e = j[i];
    if (!e.is_object()) {
      v.fail(k, "not_object");
      continue;
    }
    const Json* inner = &e;
    auto it = e.find("entity");
    if (it != e.end() && it->is_object()) inner = &*it;
    Entity ent;
    if (!parseEntityType(str(*inner, "type"), &ent.type)) {
      v.fail(k + ".entity.type", "enum");
      continue;
    }
    ent.code = str(*inner, "code");
    auto subs = e.find("includeSubs");
    ent.includeSubs = subs != e.end() && ((subs->is_boolean() && subs->get<bool>()) ||
                                          (subs->is_string() && *subs == "true"));
    out.push_back(std::move(ent));
  }
  return out;
}
Json encodeEntities(const std::vector<Entity>& es) {
  Json arr = Json::array();
  for (const auto& e : es) arr.push_back(encodeEntity(e));
  return arr;
}
}  // namespace

Json encodeEntity(const Entity& e) {
  Json inner{{"type", entityTypeName(e.type)}};
  inner["code"] = e.type == EntityType::CREATOR ? Json(nullptr) : Json(e.code);
  return Json{{"entity", std::move(inner)}, {"includeSubs", e.includeSubs}};
}

Json encodeProcess(const ProcessSettings& p) {
  Json j{{"enable", p.enable}};
  if (!p.configured) {
    j["states"] = nullptr;
    j["actions"] = nullptr;
    return j;
  }
  Json states = Json::object();
  for (const auto& s : p.states)
    states[s.name] = Json{{"name", s.name},
                          {"index", std::to_string(s.index)},
                          {"assignee", Json{{"type", assigneeTypeName(s.assigneeType)},
                                            {"entities", encodeEntities(s.entities)}}}};
  Json actions = Json::array();
  for (const auto& a : p.actions) {
    Json aj{{"name", a.name}, {"from", a.from}, {"to", a.to}, {"filterCond", a.filterCond},
            {"type", a.type == ActionType::SECONDARY ? "SECONDARY" : "PRIMARY"}};
    if (a.type == ActionType::SECONDARY)
      aj["executableUser"] = Json{{"entities", encodeEntities(a.executableUser)}};
    actions.push_back(std::move(aj));
  }
  j["states"] = std::move(states);
  j["actions"] = std::move(actions);
  return j;
}

std::vector<State> decodeStates(const Json& states, Validation& v, const std::string& key) {
  std::vector<State> out;
  if (!states.is_object()) {
    v.fail(key, "not_object");
    return out;
  }
  int64_t pos = 0;
  for (auto it = states.begin(); it != states.end(); ++it, ++pos) {
    std::string k = key + "." + it.key();
    const Json& s = it.value();
    if (!s.is_object()) {
      v.fail(k, "not_object");
      continue;
    }
    State st;
    st.name = str(s, "name", it.key());
    st.index = static_cast<int>(pos);
    auto idx = s.find("index");
    int64_t n = 0;
    if (idx != s.end() && !idx->is_null()) {
      if (!toInt64(*idx, &n)) v.fail(k + ".index", "not_integer");
      else if (n < 0) v.fail(k + ".index", "min", {"0"});
      else st.index = static_cast<int>(n);
    }
    auto a = s.find("assignee");
    if (a != s.end() && a->is_object()) {
      std::string t = str(*a, "type", "ONE");
      if (t == "ONE") st.assigneeType = AssigneeType::ONE;
      else if (t == "ANY") st.assigneeType = AssigneeType::ANY;
      else if (t == "ALL") st.assigneeType = AssigneeType::ALL;
      else v.fail(k + ".assignee.type", "enum");
      auto e = a->find("entities");
      if (e != a->end()) st.entities = decodeEntities(*e, v, k + ".assignee.entities");
    } else if (a != s.end() && !a->is_null()) {
      v.fail(k + ".assignee", "not_object");
    }
    out.push_back(std::move(st));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const State& a, const State& b) { return a.index < b.index; });
  return out;
}

std::vector<Action> decodeActions(const Json& actions, Validation& v, const std::string& key) {
  std::vector<Action> out;
  if (!actions.is_array()) {
    v.fail(key, "not_array");
    return out;
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    std::string k = key + "[" + std::to_string(i) + "]";
    const Json& a = actions[i];
    if (!a.is_object()) {
      v.fail(k, "not_object");
      continue;
    }
    Action act;
    act.name = str(a, "name");
    act.from = str(a, "from");
    act.to = str(a, "to");
    if (act.name.empty()) v.fail(k + ".name", "required");
    if (act.from.empty()) v.fail(k + ".from", "required");
    if (act.to.empty()) v.fail(k + ".to", "required");
    act.filterCond = str(a, "filterCond");
    std::string t = str(a, "type", "PRIMARY");
    if (t == "SECONDARY") act.type = ActionType::SECONDARY;
    else if (t != "PRIMARY") v.fail(k + ".type", "enum");
    auto eu = a.find("executableUser");
    if (eu != a.end() && eu->is_object()) {
      auto e = eu->find("entities");
      if (e != eu->end()) act.executableUser = decodeEntities(*e, v, k + ".executableUser.entities");
    }
    out.push_back(std::move(act));
  }
  return out;
}

ProcessSettings decodeProcess(const Json& j, Validation& v, const std::string& key) {
  ProcessSettings p;
  if (j.is_null()) return p;
  if (!j.is_object()) {
    v.fail(key, "not_object");
    return p;
  }
  auto e = j.find("enable");
  p.enable = e != j.end() && ((e->is_boolean() && e->get<bool>()) || (e->is_string() && *e == "true"));
  auto s = j.find("states");
  auto a = j.find("actions");
  if (s != j.end() && !s->is_null()) {
    p.configured = true;
    p.states = decodeStates(*s, v, key + ".states");
  }
  if (a != j.end() && !a->is_null()) {
    p.configured = true;
    p.actions = decodeActions(*a, v, key + ".actions");
  }
  return p;
}

Json encodeBatchSettings(const BatchApprovalSettings& s) {
  Json actions = Json::object();
  for (const auto& [status, action] : s.actions) actions[status] = action;
  return Json{{"enabled", s.enabled}, {"actions", std::move(actions)}};
}

BatchApprovalSettings decodeBatchSettings(const Json& j, Validation& v, const std::string& key) {
  BatchApprovalSettings s;
  if (j.is_null()) return s;
  if (!j.is_object()) {
    v.fail(key, "not_object");
    return s;
  }
  auto e = j.find("enabled");
  if (e != j.end() && !e->is_null()) {
    if (e->is_boolean()) s.enabled = e->get<bool>();
    else v.fail(key + ".enabled", "not_boolean");
  }
  auto a = j.find("actions");
  if (a != j.end() && !a->is_null()) {
    if (!a->is_object()) v.fail(key + ".actions", "not_object");
    else
      for (auto it = a->begin(); it != a->end(); ++it) {
        if (it->is_string()) s.actions.emplace_back(it.key(), it->get<std::string>());
        else v.fail(key + ".actions." + it.key(), "not_string");
      }
  }
  return s;
}

// ---- records ---------------------------------------------------------------------------------
std::string systemFieldCode(const App& app, FieldType t) {
  if (const FieldDef* f = app.findFieldOfType(t)) return f->code;
  bool en = app.locale == Locale::en;
  switch (t) {
    case FieldType::RECORD_NUMBER: return en ? "Record_number" : "レコード番号";
    case FieldType::CREATOR: return en ? "Created_by" : "作成者";
    case FieldType::MODIFIER: return en ? "Updated_by" : "更新者";
    case FieldType::CREATED_TIME: return en ? "Created_datetime" : "作成日時";
    case FieldType::UPDATED_TIME: return en ? "Updated_datetime" : "更新日時";
    case FieldType::STATUS: return app.statusFieldCode();
    case FieldType::STATUS_ASSIGNEE: return app.assigneeFieldCode();
    case FieldType::ID: return "$id";
    case FieldType::REVISION: return "$revision";
    case FieldType::CATEGORY: return en ? "Categories" : "カテゴリー";
    default: return "";
  }
}

namespace {
Json entityRef(const std::string& code, FieldType t, const Directory* dir) {
  Json j{{"code", code}};
  if (dir) {
    std::string name = code;
    if (t == FieldType::ORGANIZATION_SELECT) {
      if (const auto* o = dir->findOrganization(code)) name = o->name;
    } else if (t == FieldType::GROUP_SELECT) {
      if (const auto* g = dir->findGroup(code)) name = g->name;
    } else if (const auto* u = dir->findUser(code)) {
      name = u->name;
    }
    j["name"] = name;
  }
  return j;
}
}  // namespace

Json encodeValue(const App& app, const std::string& code, const FieldValue& fv,
                 const Directory* dir) {
  const FieldDef* f = app.findField(code);
  if (!f) {
    if (!fv.items.empty()) return fv.items;
    return fv.text;
  }
  switch (f->type) {
    case FieldType::USER_SELECT:
    case FieldType::ORGANIZATION_SELECT:
    case FieldType::GROUP_SELECT:
    case FieldType::STATUS_ASSIGNEE: {
      Json arr = Json::array();
      for (const auto& c : fv.items) arr.push_back(entityRef(c, f->type, dir));
      return arr;
    }
    default:
      if (isMultiValued(f->type)) return fv.items;
      return fv.text;
  }
}

FieldValue decodeValue(const Json& value, bool* ok) {
  FieldValue fv;
  *ok = true;
  if (value.is_null()) return fv;
  if (value.is_string()) fv.text = value.get<std::string>();
  else if (value.is_number()) fv.text = value.dump();
  else if (value.is_array()) {
    for (const auto& x : value) {
      if (x.is_string()) fv.items.push_back(x.get<std::string>());
      else if (x.is_object() && x.contains("code") && x["code"].is_string())
        fv.items.push_back(x["code"].get<std::string>());
      else *ok = false;
    }
  } else {
    *ok = false;
  }
  return fv;
}

FieldValues decodeValues(const Json& record, Validation& v,
                                               const std::string& key) {
  FieldValues out;
  if (record.is_null()) return out;
  if (!record.is_object()) {
    v.fail(key, "not_object");
    return out;
  }
  for (auto it = record.begin(); it != record.end(); ++it) {
    std::string k = key + "." + it.key() + ".value";
    if (!it->is_object()) {
      v.fail(k, "invalid_value");
      continue;
    }
    auto val = it->find("value");
    if (val == it->end()) continue;  // kintone ignores a field without value
    bool ok = true;
    FieldValue fv = decodeValue(*val, &ok);
    if (!ok) v.fail(k, "invalid_value");
    else out[it.key()] = std::move(fv);
  }
  return out;
}

// ---- batches ---------------------------------------------------------------------------------
Json encodeProgress(const Batch& b, Locale locale) {
  Json failed = Json::array();
  Json failures = Json::array();
  for (const auto& f : b.failures) {
    failed.push_back(f.taskId);
    failures.push_back(Json{{"task_id", f.taskId},
                            {"reason_code", reasonCode(f.reason)},
                            {"reason", reasonText(f.reason, locale)}});
  }
  auto ts = [](int64_t ms) { return ms ? Json(isoTime(ms)) : Json(nullptr); };
  return Json{{"batch_number", b.number},
              {"total", b.taskIds.size()},
              {"processed", b.processed},
              {"failed_tasks", std::move(failed)},
              {"state", batchStateName(b.state)},
              {"succeeded", b.succeeded},
              {"failures", std::move(failures)},
              {"created_at", ts(b.createdAt)},
              {"started_at", ts(b.startedAt)},
              {"finished_at", ts(b.finishedAt)}};
}

// ---- workspace -------------------------------------------------------------------------------
namespace {
// A value built as Json (settings, users: small) inside a document written by JsonWriter.
void writeJson(JsonWriter& w, const Json& j) { w.raw(toText(j)); }

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
        w.key(systemFieldCode(*a, FieldType::CREATOR)).beginObject().literalKey("value").beginObject()
            .literalKey("code").value(r->creator).endObject().endObject();
      if (!r->modifier.empty())
        w.key(systemFieldCode(*a, FieldType::MODIFIER)).beginObject().literalKey("value").beginObject()
            .literalKey("code").value(r->modifier).endObject().endObject();
      writeValueObject(w, systemFieldCode(*a, FieldType::CREATED_TIME), isoTime(r->createdAt));
      writeValueObject(w, systemFieldCode(*a, FieldType::UPDATED_TIME), isoTime(r->updatedAt));
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
  if (value.is_object()) return str(value, "code");
  return "";
}

void importRecords(const RecordSource& source, App& app, Snapshot& snap, int64_t now,
                   Validation& v, const std::string& key) {
  if (source.array && !source.array->is_array()) {
    v.fail(key, "not_array");
    return;
  }
  const std::string statusCode = app.statusFieldCode(), assigneeCode = app.assigneeFieldCode();
  const std::string creatorCode = systemFieldCode(app, FieldType::CREATOR),
                    modifierCode = systemFieldCode(app, FieldType::MODIFIER),
                    createdCode = systemFieldCode(app, FieldType::CREATED_TIME),
                    updatedCode = systemFieldCode(app, FieldType::UPDATED_TIME),
                    numberCode = systemFieldCode(app, FieldType::RECORD_NUMBER);
  const size_t first = snap.records.size();  // the records are added straight to the snapshot
  std::set<int64_t> ids;
  int64_t maxId = 0;
  const size_t count = source.array ? source.array->size() : source.texts ? source.texts->size() : 0;
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
        if (!val || !toInt64(*val, &n)) v.fail(fk, "not_integer");
        else if (n < 1) v.fail(fk, "min", {"1"});
        else if (code == "$id") r.id = n;
        else r.revision = n;
      } else if (code == statusCode) {
        if (val && val->is_string()) r.status = val->get<std::string>();
        else if (val) v.fail(fk, "not_string");
      } else if (code == assigneeCode) {
        if (val && val->is_array()) {
          for (const auto& u : *val) {
            std::string c = userCodeOf(u);
            if (c.empty()) v.fail(fk, "invalid_value");
            else r.assignees.push_back(c);
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
        else if (code == createdCode) r.createdAt = ms;
        else r.updatedAt = ms, hasUpdated = true;
      } else if (code == numberCode) {
        // derived from the id
      } else {
        bool ok = true;
        FieldValue fv = decodeValue(val ? *val : Json(nullptr), &ok);
        if (!ok) v.fail(fk, "invalid_value");
        else r.values[code] = std::move(fv);
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
  if (r.peek() != JsonReader::Kind::object) return readJson(r, &doc) && r.finish() ? doc : discarded;
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
      app.name = str(aj, "name");
      app.description = str(aj, "description");
      std::string loc = str(aj, "locale", "ja");
      if (!parseLocale(loc, &app.locale)) v.fail(k + ".locale", "enum");
      if (const Json* sp = member(aj, "space")) {
        int64_t n = 0;
        if (toInt64(*sp, &n)) app.spaceId = n;
        else v.fail(k + ".space", "not_integer");
      }
      if (const Json* g = member(aj, "guest")) app.guestSpace = g->is_boolean() && g->get<bool>();
      app.createdAt = app.modifiedAt = now;
      if (const Json* f = member(aj, "fields")) app.fields = decodeProperties(*f, v, k + ".fields");
      if (const Json* st = member(aj, "status")) {
        app.process = decodeProcess(*st, v, k + ".status");
        if (st->is_object()) {
          if (const Json* rev = member(*st, "revision")) {
            int64_t n = 0;
            if (toInt64(*rev, &n) && n >= 1) app.revision = n;
            else v.fail(k + ".status.revision", "min", {"1"});
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
