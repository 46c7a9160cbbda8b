#include "api/record_writer.h"

#include <algorithm>

#include "api/json_codec.h"

namespace ringi::api {

using namespace ringi::domain;

RecordWriter::RecordWriter(const App& app, const Directory& dir,
                           const std::vector<std::string>& only)
    : app_(app), dir_(dir), only_(only) {
  for (const auto& f : app.fields)
    if (!isSystemField(f.type) && wanted(f.code)) fixed_.push_back(Column{&f.code, Sys::none, &f});
  // Codes first, pointers after: the vector must not reallocate under them.
  const std::pair<FieldType, Sys> system[] = {
      {FieldType::RECORD_NUMBER, Sys::recordNumber}, {FieldType::ID, Sys::id},
      {FieldType::REVISION, Sys::revision},          {FieldType::CREATOR, Sys::creator},
      {FieldType::CREATED_TIME, Sys::createdTime},   {FieldType::MODIFIER, Sys::modifier},
      {FieldType::UPDATED_TIME, Sys::updatedTime},   {FieldType::STATUS, Sys::status},
      {FieldType::STATUS_ASSIGNEE, Sys::assignees}};
  const size_t count = app.process.enable ? 9 : 7;  // status and assignee only with a process
  systemCodes_.reserve(count);
  for (size_t i = 0; i < count; ++i) systemCodes_.push_back(app.systemFieldCode(system[i].first));
  for (size_t i = 0; i < count; ++i)
    if (wanted(systemCodes_[i])) system_.push_back(Column{&systemCodes_[i], system[i].second});
  columns_ = fixed_;
  for (const auto& c : system_) merge(columns_, c);
}

bool RecordWriter::wanted(const std::string& code) const {
  return only_.empty() || std::find(only_.begin(), only_.end(), code) != only_.end();
}

// A code met twice keeps its first position and its last value, as assigning into an object would.
void RecordWriter::merge(std::vector<Column>& cols, const Column& c) {
  for (auto& have : cols)
    if (*have.code == *c.code) {
      have = c;
      return;
    }
  cols.push_back(c);
}

void RecordWriter::write(JsonWriter& w, const Record& r) const {
  // Form fields, then values the form no longer has a field for, then the system fields. Only a
  // record with such values needs its own column list; the rest share the one made up front.
  auto orphan = [&](const std::string& code) { return !app_.findField(code) && wanted(code); };
  const bool orphans = std::any_of(r.values.begin(), r.values.end(),
                                   [&](const auto& kv) { return orphan(kv.first); });
  std::vector<Column> own;
  if (orphans) {
    own = fixed_;
    for (const auto& [code, fv] : r.values)
      if (orphan(code)) merge(own, Column{&code, Sys::none, nullptr, &fv});
    for (const auto& c : system_) merge(own, c);
  }
  w.beginObject();
  for (const auto& c : orphans ? own : columns_) {
    w.key(*c.code);
    writeValue(w, c, r);
  }
  w.endObject();
}

void RecordWriter::writeEntity(JsonWriter& w, const std::string& code, FieldType t) const {
  const std::string* name = &code;
  if (t == FieldType::ORGANIZATION_SELECT) {
    if (const auto* o = dir_.findOrganization(code)) name = &o->name;
  } else if (t == FieldType::GROUP_SELECT) {
    if (const auto* g = dir_.findGroup(code)) name = &g->name;
  } else if (const auto* u = dir_.findUser(code)) {
    name = &u->name;
  }
  w.beginObject().key("code").value(code).key("name").value(*name).endObject();
}

void RecordWriter::writeValue(JsonWriter& w, const Column& c, const Record& r) const {
  auto typed = [&](FieldType t) -> JsonWriter& {
    return w.beginObject().key("type").value(codec::fieldTypeName(t)).key("value");
  };
  auto entities = [&](const std::vector<std::string>& codes, FieldType t) {
    w.beginArray();
    for (const auto& code : codes) writeEntity(w, code, t);
    w.endArray();
  };
  switch (c.sys) {
    case Sys::none:
      if (!c.def) {  // no form field: the value as stored
        const FieldValue& fv = *c.value;
        w.beginObject().key("type").value(fv.items.empty() ? "SINGLE_LINE_TEXT" : "MULTI_SELECT");
        w.key("value");
        if (!fv.items.empty())
          w.value(fv.items);
        else
          w.value(fv.text);
      } else {
        static const FieldValue empty;
        auto it = r.values.find(c.def->code);
        const FieldValue& fv = it == r.values.end() ? empty : it->second;
        const FieldType t = c.def->type;
        typed(t);
        if (t == FieldType::USER_SELECT || t == FieldType::ORGANIZATION_SELECT ||
            t == FieldType::GROUP_SELECT || t == FieldType::STATUS_ASSIGNEE)
          entities(fv.items, t);
        else if (isMultiValued(t))
          w.value(fv.items);
        else
          w.value(fv.text);
      }
      break;
    case Sys::recordNumber:
      typed(FieldType::RECORD_NUMBER).value(std::to_string(r.id));
      break;
    case Sys::id:
      typed(FieldType::ID).value(std::to_string(r.id));
      break;
    case Sys::revision:
      typed(FieldType::REVISION).value(std::to_string(r.revision));
      break;
    case Sys::creator:
      typed(FieldType::CREATOR);
      writeEntity(w, r.creator, FieldType::CREATOR);
      break;
    case Sys::createdTime:
      typed(FieldType::CREATED_TIME).value(codec::isoTime(r.createdAt));
      break;
    case Sys::modifier:
      typed(FieldType::MODIFIER);
      writeEntity(w, r.modifier.empty() ? r.creator : r.modifier, FieldType::MODIFIER);
      break;
    case Sys::updatedTime:
      typed(FieldType::UPDATED_TIME).value(codec::isoTime(r.updatedAt));
      break;
    case Sys::status:
      typed(FieldType::STATUS).value(r.status);
      break;
    case Sys::assignees:
      typed(FieldType::STATUS_ASSIGNEE);
      entities(r.assignees, FieldType::STATUS_ASSIGNEE);
      break;
  }
  w.endObject();
}

}  // namespace ringi::api
