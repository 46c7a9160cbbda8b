// Method + path -> handler.
//
// Accepted paths (a scheme://host prefix from kintone.api.url is stripped, as is a #fragment; a
// path without its leading / gets one). This is the one place a request's path, guest space,
// `.json` and query string are read: the JS facade and the HTTP transports pass them on.
//   /k/v1/<api>[.json]                 kintone REST API            -> "k/<api>"
//   /k/guest/<space>/v1/<api>[.json]   same, in a guest space      -> "k/<api>", guestSpace set
//   /v1/<api>[.json]                   cybozu user API (directory) -> "v1/<api>"
//   /batch_approvals/<op>              batch approval API          -> "batch/<op>"
// The query string becomes parameters, qs-style: `fields[0]=a&fields[1]=b` -> {"fields":["a","b"]},
// `a[b]=c` -> {"a":{"b":"c"}}, `+` and %XX decoded. Values stay strings (params.h accepts numeric
// strings where numbers are expected). This is the one place a query string is decoded (the JS
// facade and the HTTP transports pass it on as it is), so its limits live here: indexes up to 499,
// names up to 8 levels, 10,000 values and array slots; past one: CB_VA01 naming the parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/json/json.h"
#include "api/json/writer.h"
#include "api/token_grant.h"
#include "domain/engine.h"
#include "domain/record_cursors.h"

namespace ringi::api {

struct Ctx {
  domain::Engine& engine;
  std::string user;
  domain::Locale locale = domain::Locale::en;
  std::optional<int64_t> guestSpace;
  // When set, a handler may put its whole answer here as JSON text instead of filling `out`:
  // record reads write their records straight to text (RecordWriter). Null inside bulkRequest.
  std::string* rawOut = nullptr;
  // How answers are written: ASCII where they become JavaScript strings (Service's Text::ascii).
  JsonWriter::Ascii ascii = JsonWriter::Ascii::no;
  // Set when the caller authenticated with API tokens: every app a handler touches must be
  // allowed by it (appOf).
  const TokenGrant* token = nullptr;
  // The record cursors of this engine instance (cursor_handlers.cpp); null where none are kept.
  domain::RecordCursors* cursors = nullptr;
};

using Handler = void (*)(Ctx& ctx, const Json& params, Json& out);

struct ParsedPath {
  std::string api;  // "k/record/status", "v1/users", "batch/_check"
  std::optional<int64_t> guestSpace;
  std::string query;  // raw query string (without '?')
};

// False when the path is not one of the accepted shapes.
bool parsePath(const std::string& path, ParsedPath* out);
// Parses a query string into a JSON object (see above). Throws domain::Error past a limit.
void parseQuery(const std::string& query, Json& out);

enum class RouteResult { ok, unknownPath, wrongMethod };
RouteResult route(const std::string& api, const std::string& method, Handler* out);
// The APIs bulkRequest may call.
bool bulkAllowed(const std::string& api, const std::string& method);

// Handlers (defined in *_handlers.cpp).
namespace handlers {
void getRecord(Ctx&, const Json&, Json&);
void addRecord(Ctx&, const Json&, Json&);
void updateRecord(Ctx&, const Json&, Json&);
void getRecords(Ctx&, const Json&, Json&);
void addRecords(Ctx&, const Json&, Json&);
void updateRecords(Ctx&, const Json&, Json&);
void deleteRecords(Ctx&, const Json&, Json&);
void updateStatus(Ctx&, const Json&, Json&);
void updateStatuses(Ctx&, const Json&, Json&);
void updateAssignees(Ctx&, const Json&, Json&);
void bulkRequest(Ctx&, const Json&, Json&);
void getApp(Ctx&, const Json&, Json&);
void getApps(Ctx&, const Json&, Json&);
void addPreviewApp(Ctx&, const Json&, Json&);
void getStatus(Ctx&, const Json&, Json&);
void getPreviewStatus(Ctx&, const Json&, Json&);
void putPreviewStatus(Ctx&, const Json&, Json&);
void getFields(Ctx&, const Json&, Json&);
void getPreviewFields(Ctx&, const Json&, Json&);
void getLayout(Ctx&, const Json&, Json&);
void getPreviewLayout(Ctx&, const Json&, Json&);
void addPreviewFields(Ctx&, const Json&, Json&);
void deploy(Ctx&, const Json&, Json&);
void deployStatus(Ctx&, const Json&, Json&);
void users(Ctx&, const Json&, Json&);
void organizations(Ctx&, const Json&, Json&);
void groups(Ctx&, const Json&, Json&);
void addComment(Ctx&, const Json&, Json&);
void getComments(Ctx&, const Json&, Json&);
void createCursor(Ctx&, const Json&, Json&);
void getCursor(Ctx&, const Json&, Json&);
void deleteCursor(Ctx&, const Json&, Json&);
void deleteComment(Ctx&, const Json&, Json&);
void batchList(Ctx&, const Json&, Json&);
void batchActions(Ctx&, const Json&, Json&);
void batchCheck(Ctx&, const Json&, Json&);
void batchSubmit(Ctx&, const Json&, Json&);
void batchProgress(Ctx&, const Json&, Json&);
void batchTasks(Ctx&, const Json&, Json&);
void batchHistory(Ctx&, const Json&, Json&);
void batchCancel(Ctx&, const Json&, Json&);
void batchGetSettings(Ctx&, const Json&, Json&);
void batchPutSettings(Ctx&, const Json&, Json&);
}  // namespace handlers

}  // namespace ringi::api
