#include "api/router.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

namespace ringi::api {
namespace {

bool startsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

int hexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+')
      out += ' ';
    else if (s[i] == '%' && i + 2 < s.size() && hexVal(s[i + 1]) >= 0 && hexVal(s[i + 2]) >= 0) {
      out += static_cast<char>(hexVal(s[i + 1]) * 16 + hexVal(s[i + 2]));
      i += 2;
    } else
      out += s[i];
  }
  return out;
}

bool isIndex(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The query string's limits: a few bytes of URL must not take gigabytes (`a[50000000]=x`).
constexpr size_t kMaxIndex = 499;     // kintone's own lists stop at 500
constexpr size_t kMaxLevels = 8;      // name[a][b]...: records[0][field][value][0] is 5
constexpr size_t kMaxValues = 10000;  // values and array slots one query string may create
static_assert(kMaxIndex == 499 && kMaxLevels == 8 && kMaxValues == 10000,
              "the refusals name the limits");

// CB_VA01 for parameter `name` past a limit (one place that builds the error: each inline
// construction was ~0.5 KB of wasm).
[[noreturn]] __attribute__((noinline)) void overLimit(const std::string& name, const char* message,
                                                      const char* limit) {
  throw domain::invalidInput(name, message, {limit});
}

// Sets value at name[seg1][seg2]... qs-style; numeric segments make arrays. `made` counts the
// values and array slots made so far. A limit passed is CB_VA01 naming the parameter.
void assign(Json& root, const std::string& name, const std::string& value, size_t* made) {
  std::vector<std::string> segs;
  size_t b = name.find('[');
  segs.push_back(name.substr(0, b));
  while (b != std::string::npos) {
    size_t e = name.find(']', b);
    if (e == std::string::npos) {  // malformed: treat the whole name as a key
      segs.assign(1, name);
      break;
    }
    segs.push_back(name.substr(b + 1, e - b - 1));
    if (segs.size() > kMaxLevels) overLimit(name, "too_deep", "8");
    b = name.find('[', e);
  }
  Json* cur = &root;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    bool last = i + 1 == segs.size();
    Json* next = nullptr;
    if (cur->is_array() && (isIndex(seg) || seg.empty())) {
      if (seg.size() > 3 || (!seg.empty() && std::stoul(seg) > kMaxIndex))
        overLimit(name, "index_too_large", "499");
      const size_t idx = seg.empty() ? cur->size() : std::stoul(seg);
      if (idx >= cur->size()) {
        *made += idx + 1 - cur->size();
        if (*made > kMaxValues) overLimit(name, "too_many_items", "10000");
      }
      while (cur->size() <= idx) cur->push_back(nullptr);
      next = &(*cur)[idx];
    } else {
      if (!cur->is_object()) {
        if (cur->is_array()) {  // mixed keys: convert array to object
          Json o = Json::object();
          for (size_t k = 0; k < cur->size(); ++k) o[std::to_string(k)] = (*cur)[k];
          *cur = std::move(o);
        } else {
          *cur = Json::object();
        }
      }
      next = &(*cur)[seg];
    }
    if (last) {
      *next = value;
    } else if (next->is_null() || next->is_string()) {
      const std::string& nseg = segs[i + 1];
      *next = (isIndex(nseg) || nseg.empty()) ? Json::array() : Json::object();
    }
    cur = next;
  }
}

}  // namespace

void parseQuery(const std::string& query, Json& out) {
  if (!out.is_object()) out = Json::object();
  size_t made = 0;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string part = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string name = decode(part.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : decode(part.substr(eq + 1));
    if (name.empty()) continue;
    if (++made > kMaxValues) overLimit(name, "too_many_items", "10000");
    assign(out, name, value, &made);
  }
}

bool parsePath(const std::string& full, ParsedPath* out) {
  std::string path = full.substr(0, full.find('#'));  // a fragment is not sent
  size_t q = path.find('?');
  if (q != std::string::npos) {
    out->query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  size_t scheme = path.find("://");
  if (scheme != std::string::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  } else if (path.empty() || path.front() != '/') {
    path.insert(0, 1, '/');  // kintone.api takes "k/v1/record.json" as well
  }
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0)
    path.resize(path.size() - 5);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (startsWith(path, "/k/v1/")) {
    out->api = "k/" + path.substr(6);
  } else if (startsWith(path, "/k/guest/")) {
    size_t slash = path.find('/', 9);
    if (slash == std::string::npos) return false;
    std::string space = path.substr(9, slash - 9);
    if (!isIndex(space) || space.size() > 12 || path.compare(slash, 4, "/v1/") != 0) return false;
    out->guestSpace = std::stoll(space);
    out->api = "k/" + path.substr(slash + 4);
  } else if (startsWith(path, "/v1/")) {
    out->api = "v1/" + path.substr(4);
  } else if (startsWith(path, "/batch_approvals/")) {
    out->api = "batch/" + path.substr(17);
  } else {
    return false;
  }
  return true;
}

namespace {
// (api, method) -> handler, sorted by api then method: constant data searched by bisection, not a
// map built on the heap at first use (that construction was ~10 KB of wasm code).
struct Route {
  const char* api;
  const char* method;
  Handler handler;
};
constexpr Route kRoutes[] = {
    {"batch/_actions", "GET", handlers::batchActions},
    {"batch/_batches", "GET", handlers::batchList},
    {"batch/_cancel", "POST", handlers::batchCancel},
    {"batch/_check", "POST", handlers::batchCheck},
    {"batch/_history", "GET", handlers::batchHistory},
    {"batch/_settings", "GET", handlers::batchGetSettings},
    {"batch/_settings", "PUT", handlers::batchPutSettings},
    {"batch/_submit", "GET", handlers::batchProgress},
    {"batch/_submit", "POST", handlers::batchSubmit},
    {"batch/_tasks", "GET", handlers::batchTasks},
    {"k/app", "GET", handlers::getApp},
    {"k/app/form/fields", "GET", handlers::getFields},
    {"k/app/form/layout", "GET", handlers::getLayout},
    {"k/app/status", "GET", handlers::getStatus},
    {"k/apps", "GET", handlers::getApps},
    {"k/bulkRequest", "POST", handlers::bulkRequest},
    {"k/preview/app", "POST", handlers::addPreviewApp},
    {"k/preview/app/deploy", "GET", handlers::deployStatus},
    {"k/preview/app/deploy", "POST", handlers::deploy},
    {"k/preview/app/form/fields", "GET", handlers::getPreviewFields},
    {"k/preview/app/form/fields", "POST", handlers::addPreviewFields},
    {"k/preview/app/form/layout", "GET", handlers::getPreviewLayout},
    {"k/preview/app/status", "GET", handlers::getPreviewStatus},
    {"k/preview/app/status", "PUT", handlers::putPreviewStatus},
    {"k/record", "GET", handlers::getRecord},
    {"k/record", "POST", handlers::addRecord},
    {"k/record", "PUT", handlers::updateRecord},
    {"k/record/assignees", "PUT", handlers::updateAssignees},
    {"k/record/comment", "DELETE", handlers::deleteComment},
    {"k/record/comment", "POST", handlers::addComment},
    {"k/record/comments", "GET", handlers::getComments},
    {"k/record/status", "PUT", handlers::updateStatus},
    {"k/records", "DELETE", handlers::deleteRecords},
    {"k/records", "GET", handlers::getRecords},
    {"k/records", "POST", handlers::addRecords},
    {"k/records", "PUT", handlers::updateRecords},
    {"k/records/cursor", "DELETE", handlers::deleteCursor},
    {"k/records/cursor", "GET", handlers::getCursor},
    {"k/records/cursor", "POST", handlers::createCursor},
    {"k/records/status", "PUT", handlers::updateStatuses},
    {"v1/groups", "GET", handlers::groups},
    {"v1/organizations", "GET", handlers::organizations},
    {"v1/users", "GET", handlers::users},
};

constexpr int compareText(const char* a, const char* b) {
  for (; *a && *a == *b; ++a, ++b) {
  }
  return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}
constexpr bool sorted(const Route* r, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i) {
    const int c = compareText(r[i - 1].api, r[i].api);
    if (c > 0 || (c == 0 && compareText(r[i - 1].method, r[i].method) >= 0)) return false;
  }
  return true;
}
static_assert(sorted(kRoutes, std::size(kRoutes)), "kRoutes: keep it sorted by api, then method");
}  // namespace

RouteResult route(const std::string& api, const std::string& method, Handler* out) {
  const auto* end = std::end(kRoutes);
  const auto* it =
      std::lower_bound(std::begin(kRoutes), end, api,
                       [](const Route& r, const std::string& a) { return a.compare(r.api) > 0; });
  if (it == end || api != it->api) return RouteResult::unknownPath;
  for (; it != end && api == it->api; ++it) {
    if (method == it->method) {
      *out = it->handler;
      return RouteResult::ok;
    }
  }
  return RouteResult::wrongMethod;
}

bool bulkAllowed(const std::string& api, const std::string& method) {
  if (api == "k/record" || api == "k/records")
    return method == "POST" || method == "PUT" || (api == "k/records" && method == "DELETE");
  return method == "PUT" &&
         (api == "k/record/status" || api == "k/records/status" || api == "k/record/assignees");
}

}  // namespace ringi::api
