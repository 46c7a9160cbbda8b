// kintone's record cursor API: /k/v1/records/cursor.json. POST {app, fields?, query?, size?}
// makes one ({id, totalCount}); GET ?id= reads its next page ({records, next}; the last page ends
// it); DELETE {id} ends it ({}). kintone's limits: size 1-500 (default 100), no limit or offset in
// the query, 10 cursors at once (429 GAIA_TM12), 10 minutes after the making or the last read;
// an unknown, ended or expired cursor is 404 GAIA_CN01. The records are the ones the query
// matched when the cursor was made, with their values when each page is read.
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/json_codec.h"
#include "api/params.h"
#include "api/record_writer.h"

namespace ringi::api::handlers {

using namespace ringi::domain;

namespace {
constexpr int64_t kMaxCursorSize = 500;
constexpr int64_t kDefaultCursorSize = 100;

// GET and DELETE name a cursor by its id, and nothing else.
std::string cursorId(const Json& params) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"id"});
  auto id = p.string("id", true);
  v.check();
  return *id;
}

RecordCursors& cursorsOf(Ctx& ctx) {
  if (!ctx.cursors) throw Error("CB_NF01");  // inside bulkRequest, as kintone's list of its APIs
  return *ctx.cursors;
}
}  // namespace

void createCursor(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app", "fields", "query", "size"});
  auto app = p.integer("app", true, 1);
  auto query = p.string("query", false);
  auto size = p.integer("size", false, 1, kMaxCursorSize);
  RecordCursor c;
  c.fields = fieldCodes(p);
  v.check();
  appOf(ctx, *app, TokenRight::view);
  RecordCursors& cursors = cursorsOf(ctx);
  c.user = ctx.user;
  c.app = *app;
  c.size = static_cast<std::size_t>(size.value_or(kDefaultCursorSize));
  c.ids = ctx.engine.matchingIds(ctx.user, *app, query.value_or(""));
  const std::string total = std::to_string(c.ids.size());
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().literalKey("id").value(cursors.open(std::move(c), ctx.engine.now()));
  w.literalKey("totalCount").value(total).endObject();
  answer(ctx, std::move(text), out);
}

void getCursor(Ctx& ctx, const Json& params, Json& out) {
  const std::string id = cursorId(params);
  bool more = false;
  RecordCursor about;
  const auto ids = cursorsOf(ctx).read(id, ctx.user, ctx.engine.now(), &more, &about);
  const App& a = appOf(ctx, about.app, TokenRight::view);
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().key("records").beginArray();
  const RecordWriter records(a, ctx.engine.directory(), about.fields);
  for (int64_t rid : ids)
    if (const Record* r = ctx.engine.findRecord(about.app, rid))
      records.write(w, *r);  // deleted since: left out
  w.endArray().key("next").value(more).endObject();
  answer(ctx, std::move(text), out);
}

void deleteCursor(Ctx& ctx, const Json& params, Json& out) {
  const std::string id = cursorId(params);
  cursorsOf(ctx).close(id, ctx.user, ctx.engine.now());
  out = Json::object();
}

}  // namespace ringi::api::handlers
