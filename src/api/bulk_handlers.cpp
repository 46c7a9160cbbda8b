// POST /k/v1/bulkRequest.json: up to 20 {method, api, payload} requests run in order inside the
// caller's transaction (Service opens one around every mutating request), so any failure undoes
// them all. On failure the answer has the failing request's HTTP status and the body
// {"results": [{}, ..., {code, id, message, errors?}, ..., {}]}.
// Request-level validation (not an array, > 20 requests, unknown method, an API bulkRequest does
// not allow, non-object payload) is a plain CB_VA01 keyed `requests`, `requests[i].api`, ...
#include <nlohmann/json.hpp>

#include "api/errors.h"
#include "api/handler_util.h"
#include "api/json/writer.h"
#include "api/params.h"

namespace ringi::api::handlers {

void bulkRequest(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  const Json* reqs = p.array("requests", true, 20, "max_requests");
  struct Sub {
    Handler handler = nullptr;
    std::optional<int64_t> guestSpace;
    Json payload;
  };
  std::vector<Sub> subs;
  if (reqs) {
    if (reqs->empty()) v.fail("requests", "required");
    for (size_t i = 0; i < reqs->size(); ++i) {
      std::string k = "requests[" + std::to_string(i) + "]";
      if (!(*reqs)[i].is_object()) {
        v.fail(k, "not_object");
        continue;
      }
      Params ep(v, (*reqs)[i], k + ".");
      auto method = ep.string("method", true);
      auto api = ep.string("api", true);
      const Json* payload = ep.object("payload", false);
      if (!method || !api) continue;
      ParsedPath pp;
      Handler h = nullptr;
      if (!parsePath(*api, &pp) || !bulkAllowed(pp.api, *method) ||
          route(pp.api, *method, &h) != RouteResult::ok) {
        if (*method != "GET" && *method != "POST" && *method != "PUT" && *method != "DELETE")
          v.fail(k + ".method", "enum");
        else
          v.fail(k + ".api", "bulk_api");
        continue;
      }
      Sub s;
      s.handler = h;
      s.guestSpace = pp.guestSpace ? pp.guestSpace : ctx.guestSpace;
      s.payload = payload ? *payload : Json::object();
      if (!pp.query.empty()) {
        Json q = Json::object();
        parseQuery(pp.query, q);
        for (auto it = q.begin(); it != q.end(); ++it)
          if (!s.payload.contains(it.key())) s.payload[it.key()] = it.value();
      }
      s.payload.erase("__REQUEST_TOKEN__");
      subs.push_back(std::move(s));
    }
  }
  v.check();
  Json results = Json::array();
  for (size_t i = 0; i < subs.size(); ++i) {
    Ctx sub = ctx;  // the same caller and grant: a bulk request is no way round a token's rights
    sub.guestSpace = subs[i].guestSpace;
    sub.rawOut = nullptr;
    Json res;
    try {
      subs[i].handler(sub, subs[i].payload, res);
    } catch (const domain::Error& e) {
      Json err;
      int status = renderError(e, ctx.locale, err);
      Json body = Json::object();
      Json arr = Json::array();
      for (size_t j = 0; j < subs.size(); ++j) arr.push_back(j == i ? err : Json::object());
      body["results"] = std::move(arr);
      throw HttpFailure{status, toText(body, ctx.ascii)};
    }
    results.push_back(std::move(res));
  }
  out = Json{{"results", std::move(results)}};
}

}  // namespace ringi::api::handlers
