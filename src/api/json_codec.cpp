#include "api/json_codec.h"

#include <nlohmann/json.hpp>

#include "api/json/writer.h"
#include "api/messages.h"

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
}  // namespace

std::string isoTime(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civilFromDays(days, &y, &m, &d);
  // "%04lld-%02u-%02uT%02d:%02d:%02dZ", without printf (not linked: json/writer.h says why).
  std::string out;
  if (y < 0) out += '-';
  const std::string year = std::to_string(y < 0 ? -y : y);
  out.append(year.size() < 4 ? 4 - year.size() - (y < 0) : 0, '0');
  out += year;
  const auto two = [&](char sep, int64_t v) {
    out += sep;
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two('-', m);
  two('-', d);
  two('T', rem / 3600);
  two(':', rem / 60 % 60);
  two(':', rem % 60);
  out += 'Z';
  return out;
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
    if (p < s.size() && s[p] == 'Z')
      ++p;
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
      {FieldType::SINGLE_LINE_TEXT, "SINGLE_LINE_TEXT"},
      {FieldType::MULTI_LINE_TEXT, "MULTI_LINE_TEXT"},
      {FieldType::RICH_TEXT, "RICH_TEXT"},
      {FieldType::NUMBER, "NUMBER"},
      {FieldType::CALC, "CALC"},
      {FieldType::DATE, "DATE"},
      {FieldType::TIME, "TIME"},
      {FieldType::DATETIME, "DATETIME"},
      {FieldType::LINK, "LINK"},
      {FieldType::DROP_DOWN, "DROP_DOWN"},
      {FieldType::RADIO_BUTTON, "RADIO_BUTTON"},
      {FieldType::CHECK_BOX, "CHECK_BOX"},
      {FieldType::MULTI_SELECT, "MULTI_SELECT"},
      {FieldType::USER_SELECT, "USER_SELECT"},
      {FieldType::ORGANIZATION_SELECT, "ORGANIZATION_SELECT"},
      {FieldType::GROUP_SELECT, "GROUP_SELECT"},
      {FieldType::RECORD_NUMBER, "RECORD_NUMBER"},
      {FieldType::ID, "__ID__"},
      {FieldType::REVISION, "__REVISION__"},
      {FieldType::CREATOR, "CREATOR"},
      {FieldType::MODIFIER, "MODIFIER"},
      {FieldType::CREATED_TIME, "CREATED_TIME"},
      {FieldType::UPDATED_TIME, "UPDATED_TIME"},
      {FieldType::STATUS, "STATUS"},
      {FieldType::STATUS_ASSIGNEE, "STATUS_ASSIGNEE"},
      {FieldType::CATEGORY, "CATEGORY"},
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

// ---- records ---------------------------------------------------------------------------------
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

Json userRef(const Directory& dir, const std::string& code) {
  const User* u = dir.findUser(code);
  return Json{{"code", code}, {"name", u ? u->name : code}};
}

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
  if (value.is_string())
    fv.text = value.get<std::string>();
  else if (value.is_number())
    fv.text = toText(value);
  else if (value.is_array()) {
    for (const auto& x : value) {
      if (x.is_string())
        fv.items.push_back(x.get<std::string>());
      else if (x.is_object() && x.contains("code") && x["code"].is_string())
        fv.items.push_back(x["code"].get<std::string>());
      else
        *ok = false;
    }
  } else {
    *ok = false;
  }
  return fv;
}

FieldValues decodeValues(const Json& record, Validation& v, const std::string& key) {
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
    if (!ok)
      v.fail(k, "invalid_value");
    else
      out[it.key()] = std::move(fv);
  }
  return out;
}

// ---- batches ---------------------------------------------------------------------------------
std::string recordTitle(const Engine& engine, int64_t app, int64_t id) {
  const App* a = engine.findApp(app);
  const Record* r = a ? engine.findRecord(app, id) : nullptr;
  if (!r) return "";
  const FieldDef* f = a->findFieldOfType(FieldType::SINGLE_LINE_TEXT);
  if (!f) return "";
  auto v = r->values.find(f->code);
  return v == r->values.end() ? "" : v->second.text;
}

namespace {
void timeOrNull(JsonWriter& w, int64_t ms) {
  if (ms)
    w.value(isoTime(ms));
  else
    w.null();
}
void textOrNull(JsonWriter& w, const std::string& s) {
  if (s.empty())
    w.null();
  else
    w.value(s);
}
void writeRecordOf(JsonWriter& w, const Engine& engine, int64_t app, int64_t record) {
  w.literalKey("app");
  if (!app) {
    w.null().literalKey("record_id").null().literalKey("title").null();
    return;
  }
  w.value(std::to_string(app)).literalKey("record_id").value(std::to_string(record));
  w.literalKey("title").value(recordTitle(engine, app, record));
}
// The fields a summary and a progress share, after their first ones.
void writeBatchTail(JsonWriter& w, const Batch& b) {
  w.literalKey("created_at");
  timeOrNull(w, b.createdAt);
  w.literalKey("started_at");
  timeOrNull(w, b.startedAt);
  w.literalKey("finished_at");
  timeOrNull(w, b.finishedAt);
  w.literalKey("action");
  textOrNull(w, b.order.action);
  w.literalKey("retry_of");
  textOrNull(w, b.retryOf);
}
}  // namespace

// Written as text with JsonWriter, not built as nlohmann values: each brace-initialized Json
// object cost kilobytes of wasm (bench/README.md, "Findings": the workbench's size).
void writeBatchSummary(JsonWriter& w, const Batch& b) {
  w.beginObject().literalKey("batch_number").value(b.number);
  w.literalKey("total").value(static_cast<uint64_t>(b.taskIds.size()));
  w.literalKey("processed").value(static_cast<uint64_t>(b.processed));
  w.literalKey("succeeded").value(static_cast<uint64_t>(b.succeeded));
  w.literalKey("failed").value(static_cast<uint64_t>(b.failures.size()));
  w.literalKey("state").value(batchStateName(b.state));
  writeBatchTail(w, b);
  w.endObject();
}

void writeProgress(JsonWriter& w, const Engine& engine, const Batch& b, Locale locale,
                   const std::string* user) {
  // Seed 000's four fields first, as the seed lists them; ours after.
  w.beginObject().literalKey("batch_number").value(b.number);
  w.literalKey("total").value(static_cast<uint64_t>(b.taskIds.size()));
  w.literalKey("processed").value(static_cast<uint64_t>(b.processed));
  w.literalKey("failed_tasks").beginArray();
  for (const auto& f : b.failures) w.value(f.taskId);
  w.endArray().literalKey("state").value(batchStateName(b.state));
  w.literalKey("succeeded").value(static_cast<uint64_t>(b.succeeded));
  w.literalKey("failures").beginArray();
  for (const auto& f : b.failures) {
    w.beginObject().literalKey("task_id").value(f.taskId);
    w.literalKey("reason_code").value(reasonCode(f.reason));
    w.literalKey("reason").value(reasonText(f.reason, locale));
    writeRecordOf(w, engine, f.app, f.record);
    w.endObject();
  }
  w.endArray();
  writeBatchTail(w, b);
  w.literalKey("comment");
  textOrNull(w, b.order.comment);
  w.literalKey("assignee");
  if (b.order.assignee)
    w.value(*b.order.assignee);
  else
    w.null();
  // Every task's outcome, in the batch's order: failures are recorded in the order the tasks ran,
  // so one pass pairs them up.
  w.literalKey("items").beginArray();
  size_t nextFailure = 0;
  for (size_t i = 0; i < b.taskIds.size(); ++i) {
    const std::string& id = b.taskIds[i];
    const char* result = b.state == BatchState::cancelled ? "cancelled" : "pending";
    if (i < b.processed) {
      const bool failed = nextFailure < b.failures.size() && b.failures[nextFailure].taskId == id;
      result = failed ? "failed" : "succeeded";
      if (failed) ++nextFailure;
    }
    w.beginObject().literalKey("task_id").value(id).literalKey("result").value(result);
    const Task* t = engine.findTask(id);
    writeRecordOf(w, engine, t ? t->app : 0, t ? t->record : 0);
    w.endObject();
  }
  w.endArray();
  if (user) w.literalKey("user").value(*user);
  w.endObject();
}

}  // namespace ringi::api::codec
