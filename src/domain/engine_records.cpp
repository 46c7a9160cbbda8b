// Records: add, read, query, update, delete, with kintone's field validation and revisions.
#include <algorithm>
#include <cctype>

#include "domain/engine.h"
#include "domain/engine_state.h"

namespace ringi::domain {

namespace {

bool isNumber(const std::string& s) {
  if (s.empty()) return true;  // empty = no value
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])))
      digits = true;
    else if (s[i] == '.' && !dot)
      dot = true;
    else
      return false;
  }
  return digits;
}

bool digitsAt(const std::string& s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

bool isDate(const std::string& s) {  // YYYY-MM-DD
  return s.empty() || (s.size() == 10 && digitsAt(s, 0, 4) && s[4] == '-' && digitsAt(s, 5, 2) &&
                       s[7] == '-' && digitsAt(s, 8, 2));
}

bool isTime(const std::string& s) {  // HH:MM
  return s.empty() || (s.size() == 5 && digitsAt(s, 0, 2) && s[2] == ':' && digitsAt(s, 3, 2));
}

bool isDateTime(const std::string& s) {  // YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]
  if (s.empty()) return true;
  if (s.size() < 16 || !isDate(s.substr(0, 10)) || s[10] != 'T' || !isTime(s.substr(11, 5)))
    return false;
  return true;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

// Checks one field value against its definition; throws CB_VA01 keyed `record.<code>.value`.
static void validateValue(const Directory& dir, const FieldDef& f, const FieldValue& v) {
  const std::string key = "record." + f.code + ".value";
  switch (f.type) {
    case FieldType::NUMBER:
      if (!isNumber(v.text)) throw invalidInput(key, "not_number");
      break;
    case FieldType::DATE:
      if (!isDate(v.text)) throw invalidInput(key, "invalid_date");
      break;
    case FieldType::TIME:
      if (!isTime(v.text)) throw invalidInput(key, "invalid_time");
      break;
    case FieldType::DATETIME:
      if (!isDateTime(v.text)) throw invalidInput(key, "invalid_datetime");
      break;
    case FieldType::DROP_DOWN:
    case FieldType::RADIO_BUTTON:
      if (!v.text.empty() && !contains(f.options, v.text))
        throw invalidInput(key, "invalid_option", {v.text});
      break;
    case FieldType::CHECK_BOX:
    case FieldType::MULTI_SELECT:
      for (const auto& item : v.items)
        if (!contains(f.options, item)) throw invalidInput(key, "invalid_option", {item});
      break;
    case FieldType::USER_SELECT:
      for (const auto& item : v.items)
        if (!dir.findUser(item)) throw invalidInput(key, "unknown_user", {item});
      break;
    case FieldType::ORGANIZATION_SELECT:
      for (const auto& item : v.items)
        if (!dir.findOrganization(item)) throw invalidInput(key, "invalid_value", {item});
      break;
    case FieldType::GROUP_SELECT:
      for (const auto& item : v.items)
        if (!dir.findGroup(item)) throw invalidInput(key, "invalid_value", {item});
      break;
    default:
      break;
  }
  bool empty = isMultiValued(f.type) ? v.items.empty() : v.text.empty();
  if (f.required && empty) throw invalidInput(key, "required");
}

// Applies `values` onto `record`; system fields are refused, unknown codes ignored (as kintone).
static void applyValues(const App& app, const Directory& dir, Record& record, FieldValues values) {
  for (auto& [code, value] : values) {
    const FieldDef* f = app.findField(code);
    if (!f) {
      if (code == app.statusFieldCode()) throw Error("GAIA_UN10", {"STATUS"});
      if (code == app.assigneeFieldCode()) throw Error("GAIA_UN10", {"STATUS_ASSIGNEE"});
      continue;
    }
    if (f->type == FieldType::STATUS) throw Error("GAIA_UN10", {"STATUS"});
    if (f->type == FieldType::STATUS_ASSIGNEE) throw Error("GAIA_UN10", {"STATUS_ASSIGNEE"});
    if (f->type == FieldType::CALC || isSystemField(f->type)) continue;  // read-only: ignored
    validateValue(dir, *f, value);
    record.values.insert_or_assign(code, std::move(value));
  }
}

// A value of a field that prohibits duplicates, held by another record of the app: CB_VA01.
static void checkUnique(const App& app, const Record& record,
                        const std::vector<const Record*>& others) {
  for (const FieldDef& f : app.fields) {
    if (!f.unique) continue;
    auto mine = record.values.find(f.code);
    if (mine == record.values.end() || mine->second.text.empty()) continue;
    for (const Record* o : others) {
      if (o->id == record.id) continue;
      auto theirs = o->values.find(f.code);
      if (theirs != o->values.end() && theirs->second.text == mine->second.text)
        throw invalidInput("record." + f.code + ".value", "unique_value");
    }
  }
}

const Record* Engine::findRecord(int64_t app, int64_t id) const { return s_->findRecord(app, id); }

const Record& Engine::record(const std::string&, int64_t appId, int64_t id) const {
  app(appId);
  const Record* r = s_->findRecord(appId, id);
  if (!r) throw Error("GAIA_RE01", {std::to_string(id)});
  return *r;
}

const std::vector<const Record*>& Engine::allRecords(int64_t appId) const {
  return s_->orderedRecords(appId);
}

std::vector<const Record*> Engine::findRecords(const std::string& user, int64_t appId,
                                               const std::string& query, int64_t* total) const {
  const App& a = app(appId);
  Query q = Query::parse(query, a);
  QueryEnv env{&s_->directory, user, now()};
  return q.run(s_->orderedRecords(appId), env, total);
}

std::vector<int64_t> Engine::matchingIds(const std::string& user, int64_t appId,
                                         const std::string& query) const {
  const App& a = app(appId);
  Query q = Query::parse(query, a);
  if (q.paged()) throw invalidInput("query", "cursor_paging");
  q.unpaged();
  QueryEnv env{&s_->directory, user, now()};
  std::vector<int64_t> ids;
  for (const Record* r : q.run(s_->orderedRecords(appId), env)) ids.push_back(r->id);
  return ids;
}

std::pair<int64_t, int64_t> Engine::addRecord(const std::string& user, int64_t appId,
                                              FieldValues values) {
  auto tx = begin();
  App& a = touchApp(appId);
  Record r;
  r.app = appId;
  r.id = a.nextRecordId++;
  r.revision = 1;
  r.creator = r.modifier = user;
  r.createdAt = r.updatedAt = now();
  for (const auto& f : a.fields) {  // defaults first, then the given values
    if (isSystemField(f.type) || f.type == FieldType::CALC) continue;
    FieldValue v;
    if (isMultiValued(f.type))
      v.items = f.defaultValues;
    else
      v.text = f.defaultValue;
    r.values.insert_or_assign(f.code, std::move(v));
  }
  applyValues(a, s_->directory, r, std::move(values));
  for (const auto& f : a.fields)  // required fields left empty
    if (f.required && !isSystemField(f.type)) validateValue(s_->directory, f, r.values[f.code]);
  checkUnique(a, r, s_->orderedRecords(appId));
  if (a.process.enable && !a.process.states.empty()) {
    const State& initial = *a.process.initialState();
    auto cands = resolveEntities(initial.entities, r);
    enterStatus(
        r, initial, "", user,
        cands.empty() ? std::vector<std::string>{} : std::vector<std::string>{cands.front()});
  }
  const RecordKey key{r.app, r.id};
  putRecord(std::move(r));
  if (a.process.enable) openTasksFor(*s_->findRecord(key.first, key.second));
  tx.commit();
  return {key.second, 1};
}

int64_t Engine::updateRecord(const std::string& user, int64_t appId, int64_t id, FieldValues values,
                             std::optional<int64_t> revision) {
  auto tx = begin();
  const App& a = app(appId);
  Record& r = touchRecord(appId, id);
  if (revision && *revision != -1 && *revision != r.revision) throw Error("GAIA_CO02");
  applyValues(a, s_->directory, r, std::move(values));
  checkUnique(a, r, s_->orderedRecords(appId));
  r.revision += 1;
  r.modifier = user;
  r.updatedAt = now();
  int64_t rev = r.revision;
  tx.commit();
  return rev;
}

int64_t Engine::findIdByKey(int64_t appId, const std::string& keyField,
                            const std::string& keyValue) const {
  const App& a = app(appId);
  const FieldDef* f = a.findField(keyField);
  if (f ? f->type == FieldType::RECORD_NUMBER
        : keyField == a.systemFieldCode(FieldType::RECORD_NUMBER)) {      // the id itself
    const std::string digits = keyValue.substr(keyValue.rfind('-') + 1);  // "APPCODE-12" too
    const bool number =
        !digits.empty() && digits.size() < 16 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int64_t id = number ? std::stoll(digits) : 0;
    if (id > 0 && s_->findRecord(appId, id)) return id;
    throw Error("GAIA_RE20", {keyValue});
  }
  if (!f) throw invalidInput("updateKey.field", "invalid_value", {keyField});
  for (const Record* r : allRecords(appId)) {
    auto it = r->values.find(keyField);
    if (it != r->values.end() && it->second.text == keyValue) return r->id;
  }
  throw Error("GAIA_RE20", {keyValue});
}

void Engine::deleteRecords(const std::string&, int64_t appId, const std::vector<int64_t>& ids,
                           const std::vector<int64_t>& revisions) {
  auto tx = begin();
  app(appId);
  for (size_t i = 0; i < ids.size(); ++i) {
    const Record* r = s_->findRecord(appId, ids[i]);
    if (!r) throw Error("GAIA_RE01", {std::to_string(ids[i])});
    if (i < revisions.size() && revisions[i] != -1 && revisions[i] != r->revision)
      throw Error("GAIA_CO02");
    auto taskIds = s_->tasksByRecord.find({appId, ids[i]});
    if (taskIds != s_->tasksByRecord.end()) {
      for (const auto& tid : taskIds->second) {
        auto found = s_->tasks.find(tid);
        if (found->second.state == TaskState::open) endTaskAt(found, TaskState::deleted, "", now());
      }
    }
    eraseRecord(appId, ids[i]);
  }
  tx.commit();
}

}  // namespace ringi::domain
