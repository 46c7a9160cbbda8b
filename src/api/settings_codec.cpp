#include "api/settings_codec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/json/reader.h"
#include "api/json/writer.h"
#include "api/json_codec.h"
#include "api/messages.h"

namespace ringi::api::codec {

using namespace ringi::domain;

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
  std::string code = stringMember(j, "code");
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
  u.name = stringMember(j, "name", u.code);
  std::string loc = stringMember(j, "locale", "en");
  if (!parseLocale(loc, &u.locale)) v.fail(key + ".locale", "enum");
  return u;
}
Organization decodeOrganization(const Json& j, Validation& v, const std::string& key) {
  Organization o;
  o.code = requireCode(j, v, key);
  if (!j.is_object()) return o;
  o.name = stringMember(j, "name", o.code);
  std::string parent = stringMember(j, "parent");
  if (!parent.empty()) o.parent = parent;
  o.members = members(j, v, key);
  return o;
}
Group decodeGroup(const Json& j, Validation& v, const std::string& key) {
  Group g;
  g.code = requireCode(j, v, key);
  if (!j.is_object()) return g;
  g.name = stringMember(j, "name", g.code);
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

FieldDef decodeField(const std::string& code, const Json& j, Validation& v,
                     const std::string& key) {
  FieldDef f;
  f.code = code;
  if (!j.is_object()) {
    v.fail(key, "not_object");
    return f;
  }
  std::string c = stringMember(j, "code");
  if (!c.empty()) f.code = c;
  auto t = j.find("type");
  if (t == j.end() || t->is_null())
    v.fail(key + ".type", "required");
  else if (!t->is_string() || !parseFieldType(t->get<std::string>(), &f.type))
    v.fail(key + ".type", "enum");
  f.label = stringMember(j, "label", f.code);
  auto flag = [&j](const char* name) {  // kintone writes these as booleans or as "true"/"false"
    auto it = j.find(name);
    return it != j.end() &&
           ((it->is_boolean() && it->get<bool>()) || (it->is_string() && *it == "true"));
  };
  f.required = flag("required");
  f.unique = flag("unique");
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
    if (d->is_string())
      f.defaultValue = d->get<std::string>();
    else if (d->is_number())
      f.defaultValue = toText(*d);
    else if (d->is_array()) {
      for (const auto& x : *d) {
        if (x.is_string())
          f.defaultValues.push_back(x.get<std::string>());
        else if (x.is_object())
          f.defaultValues.push_back(stringMember(x, "code"));
      }
    }
  }
  f.raw = toText(j);
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
const char* entityTypeName(EntityType t) {
  switch (t) {
    case EntityType::USER:
      return "USER";
    case EntityType::GROUP:
      return "GROUP";
    case EntityType::ORGANIZATION:
      return "ORGANIZATION";
    case EntityType::FIELD_ENTITY:
      return "FIELD_ENTITY";
    case EntityType::CREATOR:
      return "CREATOR";
    case EntityType::CUSTOM_FIELD:
      return "CUSTOM_FIELD";
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
namespace {
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
    if (!parseEntityType(stringMember(*inner, "type"), &ent.type)) {
      v.fail(k + ".entity.type", "enum");
      continue;
    }
    ent.code = stringMember(*inner, "code");
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
    Json aj{{"name", a.name},
            {"from", a.from},
            {"to", a.to},
            {"filterCond", a.filterCond},
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
    st.name = stringMember(s, "name", it.key());
    // States are known by name (actions' from/to, a record's status): two with one name would
    // make one of them unreachable, and the next save would drop it.
    for (const State& other : out)
      if (other.name == st.name) v.fail(k + ".name", "duplicate_name", {st.name});
    st.index = static_cast<int>(pos);
    auto idx = s.find("index");
    int64_t n = 0;
    if (idx != s.end() && !idx->is_null()) {
      if (!toInt64(*idx, &n))
        v.fail(k + ".index", "not_integer");
      else if (n < 0)
        v.fail(k + ".index", "min", {"0"});
      else
        st.index = static_cast<int>(n);
    }
    auto a = s.find("assignee");
    if (a != s.end() && a->is_object()) {
      std::string t = stringMember(*a, "type", "ONE");
      if (t == "ONE")
        st.assigneeType = AssigneeType::ONE;
      else if (t == "ANY")
        st.assigneeType = AssigneeType::ANY;
      else if (t == "ALL")
        st.assigneeType = AssigneeType::ALL;
      else
        v.fail(k + ".assignee.type", "enum");
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
    act.name = stringMember(a, "name");
    act.from = stringMember(a, "from");
    act.to = stringMember(a, "to");
    if (act.name.empty()) v.fail(k + ".name", "required");
    if (act.from.empty()) v.fail(k + ".from", "required");
    if (act.to.empty()) v.fail(k + ".to", "required");
    act.filterCond = stringMember(a, "filterCond");
    std::string t = stringMember(a, "type", "PRIMARY");
    if (t == "SECONDARY")
      act.type = ActionType::SECONDARY;
    else if (t != "PRIMARY")
      v.fail(k + ".type", "enum");
    auto eu = a.find("executableUser");
    if (eu != a.end() && eu->is_object()) {
      auto e = eu->find("entities");
      if (e != eu->end())
        act.executableUser = decodeEntities(*e, v, k + ".executableUser.entities");
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
  p.enable =
      e != j.end() && ((e->is_boolean() && e->get<bool>()) || (e->is_string() && *e == "true"));
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
    if (e->is_boolean())
      s.enabled = e->get<bool>();
    else
      v.fail(key + ".enabled", "not_boolean");
  }
  auto a = j.find("actions");
  if (a != j.end() && !a->is_null()) {
    if (!a->is_object())
      v.fail(key + ".actions", "not_object");
    else
      for (auto it = a->begin(); it != a->end(); ++it) {
        if (it->is_string())
          s.actions.emplace_back(it.key(), it->get<std::string>());
        else
          v.fail(key + ".actions." + it.key(), "not_string");
      }
  }
  return s;
}

}  // namespace ringi::api::codec
