// Service: request parsing, acting user, transactions, error rendering. See router.h for the
// accepted paths and messages.h for the codes of our own.
//
// Decisions where kintone is unverified:
//  - unknown path -> 404 CB_NF01 "The specified API is not found."
//  - known path, wrong method -> 405 RINGI_MT01
//  - unknown acting user (Request.user) -> 401 CB_AU01; /batch_approvals/* with a user_id that
//    is not the caller -> 403 CB_NO02 (an API-token caller may name any user; unknown: GAIA_IL26)
//  - malformed JSON body, or a body that is not an object -> 400 CB_IJ01; for
//    /batch_approvals/_check and _submit, whose body is the id array -> 400 CB_VA01 (task_ids)
//  - params come from the query string merged with a JSON object body (body wins) for every
//    method, so a GET sent as POST-with-body (kintone's >4KB override) also works;
//    __REQUEST_TOKEN__ is dropped.
//  - method other than GET / POST / PUT / DELETE (exactly) -> 400 CB_VA01 errors.method
//  - an unexpected C++ exception -> 500 RINGI_IE01 (same code as src/bindings); nothing escapes.
#include "api/service.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "api/errors.h"
#include "api/fault_injection.h"
#include "api/json/reader.h"
#include "api/json/writer.h"
#include "api/json_codec.h"
#include "api/messages.h"
#include "api/router.h"
#include "api/storage_format.h"
#include "api/workspace_codec.h"
#include "domain/snapshot_overlay.h"

namespace ringi::api {

using domain::Locale;

struct Service::Impl {
  explicit Impl(Service::Text text)
      : ascii(text == Service::Text::ascii ? JsonWriter::Ascii::yes : JsonWriter::Ascii::no) {}

  domain::Engine engine;
  domain::RecordCursors cursors;              // read state of this instance; a load drops them
  const JsonWriter::Ascii ascii;              // how replies and ChangeSets are written
  std::unique_ptr<storage::RowsPager> pager;  // between beginRows() and the next other call
  std::optional<domain::Snapshot> pieces;     // restorePiece()s not yet restored

  Response errorResponse(const domain::Error& e, Locale locale) {
    Response r;
    r.body = renderErrorText(e, locale, &r.status, ascii);
    return r;
  }

  template <typename Fn>
  Response guarded(Locale* locale, Fn fn) noexcept {
    endPieces();  // every call that may change the engine comes through here
    return run(locale, fn);
  }

  // restorePiece / restoreOverlay: decodes one rows document (its text freed at once) and folds it
  // into the pieces so far; an overlay needs pieces to fold into. Any error drops the pieces.
  template <typename Fold>
  Response foldIntoPieces(std::string& rowsJson, bool needsPieces, Fold fold) noexcept {
    Locale locale = Locale::en;
    pager.reset();
    Response r = run(&locale, [&] {
      if (needsPieces && !pieces)
        throw domain::Error("RINGI_WS01", {"no rows to bring up to date"});
      domain::Snapshot rows = storage::decodeRowsText(rowsJson);
      std::string().swap(rowsJson);
      if (!pieces) pieces.emplace();
      fold(*pieces, std::move(rows));
      return Response{};
    });
    if (r.status >= 400) pieces.reset();
    return r;
  }

  template <typename Fn>
  Response run(Locale* locale, Fn fn) noexcept {
    try {
      try {
        return fn();
      } catch (const domain::Error& e) {
        return errorResponse(e, *locale);
      } catch (const HttpFailure& f) {
        Response r;
        r.status = f.status;
        r.body = f.body;
        return r;
      } catch (...) {
        return errorResponse(domain::Error("RINGI_IE01"), *locale);
      }
    } catch (...) {
      Response r;
      r.status = 500;
      r.body =
          R"({"code":"RINGI_IE01","id":"00000000000000000000","message":"An unexpected error occurred."})";
      return r;
    }
  }

  // Replaces everything with a workspace document. The document is freed before the engine takes
  // the snapshot. `release`, when given, is the text itself, given up by the caller: it is freed
  // once parsed, and the reset's rows are left to the pager ({"reset":true,"paged":true}).
  Response load(const std::string& workspaceJson, std::string* release) {
    cursors.clear();
    domain::Snapshot snap;
    {
      codec::RecordTexts records;
      Json doc = codec::parseWorkspace(workspaceJson, &records);
      if (release) std::string().swap(*release);
      if (doc.is_discarded()) throw domain::Error("CB_IJ01");
      snap = codec::importWorkspace(doc, engine.now(), &records);
    }
    size_t users = snap.users.size(), apps = snap.apps.size(), records = snap.records.size();
    engine.confirmLast();
    auto tx = engine.begin();
    engine.load(std::move(snap));
    Response r;
    if (release) {
      tx.commit();
      r.changes = R"({"reset":true,"paged":true})";
    } else {
      r.changes = changesText(tx.commit(), true);
    }
    r.body = toText(Json{{"users", users}, {"apps", apps}, {"records", records}});
    return r;
  }

  // Paging out and restoring in pieces end at any other call that may change the engine.
  void endPieces() {
    pager.reset();
    pieces.reset();
  }

  Response batchStep(std::size_t maxTasks, bool failNext) noexcept;

  std::string changesText(domain::ChangeSet cs, bool forceReset = false) {
    if (forceReset) cs.reset = true;
    if (cs.empty()) return "";
    return storage::changesText(engine, cs, ascii);
  }

  // Who a /batch_approvals/* request acts as. `user_id` (the seed's parameter) may only repeat
  // the authenticated user, so nobody reads or approves another's tasks; an integration (API
  // token) may name any existing user and acts with that user's rights. Left out or empty: the
  // caller. Anything else: 403 CB_NO02 before anything runs.
  std::string batchActor(const Request& req, const Json& params) {
    auto it = params.find("user_id");
    if (it == params.end() || it->is_null()) return req.user;
    if (!it->is_string()) throw domain::invalidInput("user_id", "not_string");
    const std::string& named = it->get_ref<const std::string&>();
    if (named.empty() || named == req.user) return req.user;
    if (!req.apiToken) throw domain::Error("CB_NO02");
    if (!engine.directory().findUser(named)) throw domain::Error("GAIA_IL26", {named});
    return named;
  }

  // `parsedBody`, when given, is req.body already parsed (handleJson has it as a value).
  Response dispatch(const Request& req, Locale* locale, Json* parsedBody = nullptr) {
    const std::string& method = req.method;
    // The language of the answer: the one the request asks for, else the acting user's.
    auto localeOf = [&](const std::string& user) {
      return req.locale ? *req.locale : engine.localeOf(user);
    };
    *locale = localeOf(req.user);
    // kintone's list, exactly (the facade rejects other spellings the same way)
    if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE")
      throw domain::invalidInput("method", "enum");
    ParsedPath pp;
    if (!parsePath(req.path, &pp)) throw domain::Error("CB_NF01");
    Handler handler = nullptr;
    switch (route(pp.api, method, &handler)) {
      case RouteResult::unknownPath:
        throw domain::Error("CB_NF01");
      case RouteResult::wrongMethod:
        throw domain::Error("RINGI_MT01", {method});
      case RouteResult::ok:
        break;
    }
    Json params = Json::object();
    parseQuery(pp.query, params);

    const bool idListBody = pp.api == "batch/_check" || pp.api == "batch/_submit";
    std::string user = req.user;
    if (pp.api.rfind("batch/", 0) == 0) user = batchActor(req, params);
    if (!engine.directory().findUser(user)) throw domain::Error("CB_AU01");
    *locale = localeOf(user);

    bool hasBody = parsedBody || req.body.find_first_not_of(" \t\r\n") != std::string::npos;
    if (hasBody) {
      Json body = parsedBody ? std::move(*parsedBody) : parseJson(req.body);
      if (body.is_discarded()) {
        if (idListBody) throw domain::invalidInput("task_ids", "not_array");
        throw domain::Error("CB_IJ01");
      }
      if (body.is_object()) {
        for (auto it = body.begin(); it != body.end(); ++it)
          params[it.key()] = std::move(it.value());
      } else if (idListBody) {
        params["task_ids"] = std::move(body);
      } else if (!body.is_null()) {
        throw domain::Error("CB_IJ01");
      }
    }
    params.erase("__REQUEST_TOKEN__");

    std::string raw;
    Ctx ctx{engine, user, *locale, pp.guestSpace, &raw, ascii};
    ctx.cursors = &cursors;
    if (req.apiToken) ctx.token = &*req.apiToken;
    Json out;
    Response resp;
    if (method == "GET") {
      handler(ctx, params, out);
    } else {
      engine.confirmLast();
      auto tx = engine.begin();
      handler(ctx, params, out);
      faults::atWrite();
      resp.changes = changesText(tx.commit());
    }
    resp.body = raw.empty() ? toText(out, ascii) : std::move(raw);
    return resp;
  }
};

Service::Service(Text text) : impl_(std::make_unique<Impl>(text)) {}
Service::~Service() = default;

domain::Engine& Service::engine() { return impl_->engine; }

Response Service::handle(const Request& request) noexcept {
  Locale locale = Locale::en;
  return impl_->guarded(&locale, [&] { return impl_->dispatch(request, &locale); });
}

Response Service::handleJson(std::string_view requestJson) noexcept {
  Locale locale = Locale::en;
  return impl_->guarded(&locale, [&] {
    Json j = parseJson(requestJson);
    if (!j.is_object()) throw domain::Error("CB_IJ01");
    Request req;
    auto field = [&](const char* k, std::string& dst) {
      auto it = j.find(k);
      if (it == j.end() || it->is_null()) return;
      if (!it->is_string()) throw domain::invalidInput(k, "not_string");
      dst = it->get<std::string>();
    };
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if (k != "user" && k != "method" && k != "path" && k != "body" && k != "apiToken" &&
          k != "locale")
        throw domain::invalidInput(k, "unknown_key");
    }
    std::string language;
    field("locale", language);
    if (!language.empty()) {
      domain::Locale l;
      if (!parseLocale(language, &l)) throw domain::invalidInput("locale", "enum");
      req.locale = l;
    }
    field("user", req.user);
    field("method", req.method);
    field("path", req.path);
    auto token = j.find("apiToken");
    if (token != j.end() && !token->is_null()) req.apiToken = parseTokenGrant(*token);
    auto b = j.find("body");
    if (b != j.end() && !b->is_null()) return impl_->dispatch(req, &locale, &*b);
    return impl_->dispatch(req, &locale);
  });
}

Response Service::load(const std::string& workspaceJson) noexcept {
  Locale locale = Locale::en;
  return impl_->guarded(&locale, [&] { return impl_->load(workspaceJson, nullptr); });
}

Response Service::loadPaged(std::string workspaceJson) noexcept {
  Locale locale = Locale::en;
  return impl_->guarded(&locale, [&] { return impl_->load(workspaceJson, &workspaceJson); });
}

void Service::beginRows() { impl_->pager = std::make_unique<storage::RowsPager>(impl_->engine); }

std::string Service::nextRows(std::size_t minBytes) {
  if (!impl_->pager) return std::string();
  std::string piece = impl_->pager->next(minBytes);
  if (impl_->pager->done() && piece.empty()) impl_->pager.reset();
  return piece;
}

std::string Service::exportWorkspace() const {
  try {
    return codec::exportWorkspace(impl_->engine.snapshot());
  } catch (...) {
    return "{}";
  }
}

namespace {
template <class T>
void moveAppend(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to.swap(from);
    return;
  }
  to.reserve(to.size() + from.size());
  for (auto& x : from) to.push_back(std::move(x));
  std::vector<T>().swap(from);
}

template <class T>
void moveAppend(std::deque<T>& to, std::deque<T>& from) {
  if (to.empty()) {
    to.swap(from);
    return;
  }
  while (!from.empty()) {  // front first, so the two never both hold a row
    to.push_back(std::move(from.front()));
    from.pop_front();
  }
}

// Adds the rows of one rows document to those of the documents before it.
void merge(domain::Snapshot& into, domain::Snapshot&& piece) {
  moveAppend(into.users, piece.users);
  moveAppend(into.organizations, piece.organizations);
  moveAppend(into.groups, piece.groups);
  moveAppend(into.apps, piece.apps);
  moveAppend(into.records, piece.records);
  moveAppend(into.tasks, piece.tasks);
  moveAppend(into.batches, piece.batches);
  moveAppend(into.history, piece.history);
  into.nextAppId = std::max(into.nextAppId, piece.nextAppId);
}

Response restored(domain::Engine& engine, domain::Snapshot snap) {
  Json counts{{"users", snap.users.size()},     {"organizations", snap.organizations.size()},
              {"groups", snap.groups.size()},   {"apps", snap.apps.size()},
              {"records", snap.records.size()}, {"tasks", snap.tasks.size()},
              {"batches", snap.batches.size()}};
  engine.confirmLast();
  {
    auto tx = engine.begin();
    engine.load(std::move(snap));
    tx.commit();
  }
  engine.confirmLast();
  Response r;
  r.body = toText(counts);
  return r;
}
}  // namespace

Response Service::restore(std::string stateJson) noexcept {
  Locale locale = Locale::en;
  return impl_->guarded(&locale, [&] {
    domain::Snapshot snap = storage::decodeRowsText(stateJson);
    std::string().swap(stateJson);
    return restored(impl_->engine, std::move(snap));
  });
}

Response Service::restorePiece(std::string rowsJson) noexcept {
  return impl_->foldIntoPieces(rowsJson, false, merge);
}

Response Service::restoreOverlay(std::string rowsJson) noexcept {
  return impl_->foldIntoPieces(rowsJson, true, domain::overlay);
}

Response Service::restoreEnd() noexcept {
  Locale locale = Locale::en;
  impl_->pager.reset();
  std::optional<domain::Snapshot> snap;
  snap.swap(impl_->pieces);
  return impl_->run(&locale, [&] {
    if (!snap) throw domain::Error("RINGI_WS01", {"no rows to restore"});
    return restored(impl_->engine, std::move(*snap));
  });
}

std::string Service::snapshotRows() const {
  try {
    return storage::snapshotRowsText(impl_->engine);
  } catch (...) {
    return std::string();
  }
}

// runChunk and failNextBatchTask: one step of the oldest waiting batch in one transaction (its
// next `maxTasks` tasks, or with failNext its next task ended as failed); body = its progress
// (or null), plus changes. One function, not a template per step: each instance was ~3 KB of wasm.
Response Service::Impl::batchStep(std::size_t maxTasks, bool failNext) noexcept {
  Locale locale = Locale::en;
  return guarded(&locale, [&] {
    const int64_t watched = failNext ? -1 : faults::watchedRevision(engine);
    engine.confirmLast();
    auto tx = engine.begin();
    auto number = failNext ? engine.failNextTask(domain::CheckReason::engine_failure)
                           : engine.runChunk(maxTasks);
    faults::atBatchStep(engine, watched);
    Response r;
    r.changes = changesText(tx.commit());
    if (number) {
      if (const domain::Batch* b = engine.findBatch(*number)) {
        locale = engine.localeOf(b->user);
        JsonWriter w(r.body, ascii);
        // with whose it is: a page shows only its own user's batches
        codec::writeProgress(w, engine, *b, locale, &b->user);
        return r;
      }
    }
    r.body = "null";
    return r;
  });
}

Response Service::runChunk(std::size_t maxTasks) noexcept {
  return impl_->batchStep(maxTasks, false);
}

Response Service::failNextBatchTask() noexcept { return impl_->batchStep(1, true); }

bool Service::hasPendingBatches() const {
  try {
    return impl_->engine.hasPendingBatches();
  } catch (...) {
    return false;
  }
}

void Service::revertLast() noexcept {
  impl_->endPieces();
  try {
    impl_->engine.revertLast();
  } catch (...) {
  }
}

}  // namespace ringi::api
