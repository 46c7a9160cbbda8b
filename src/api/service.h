// The engine's REST surface: (user, method, path, body) in, (HTTP status, JSON body, ChangeSet as
// JSON) out. Routing, validation, wire shapes and error messages live in src/api; this is the only
// entry point the bindings and the CLI use. Nothing throws out of it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/token_grant.h"
#include "domain/engine.h"

namespace ringi::api {

struct Request {
  // Login code of the authenticated caller: the HTTP layer or the page's session says who it is,
  // never a parameter. On /batch_approvals/* a `user_id` parameter must name this user, unless
  // the caller is an integration (apiToken), which may act as any existing user.
  std::string user;
  std::string method;  // GET | POST | PUT | DELETE
  std::string path;    // e.g. /k/v1/record/status.json?app=1 (query string = parameters)
  std::string body;    // JSON text; empty means {}
  // Set when the caller authenticated with API tokens: what they let it do, per app.
  std::optional<TokenGrant> apiToken;
  // The language of the answer's messages; unset: the acting user's locale (kintone's rule). A
  // page whose UI is set to a language asks for that one.
  std::optional<domain::Locale> locale;
};

struct Response {
  int status = 200;
  std::string body;     // JSON text
  std::string changes;  // storage ChangeSet as JSON (see storage_format.h); "" when nothing changed
};

class Service {
 public:
  // How replies (bodies and ChangeSets) are written: UTF-8 (the default), or ASCII with every
  // non-ASCII character as \uXXXX, by the writer itself, where they become JavaScript strings (the
  // wasm bindings; json/writer.h says why). The same JSON either way; a load's reset rows and the
  // rows pages stay UTF-8.
  enum class Text { utf8, ascii };
  explicit Service(Text text = Text::utf8);
  ~Service();

  domain::Engine& engine();

  Response handle(const Request& request) noexcept;
  // {"user": "...", "method": "...", "path": "...", "body": <any JSON value, optional>,
  //  "apiToken": <parseTokenGrant's shape, optional>}; any other key: CB_VA01.
  Response handleJson(std::string_view requestJson) noexcept;

  // Replaces everything with a workspace document (DESIGN §2); changes = full snapshot (reset).
  Response load(const std::string& workspaceJson) noexcept;
  // The same load, for a whole state too large to answer in one string: the text is freed once
  // parsed, and changes = {"reset":true,"paged":true}: the rows to put are read with
  // beginRows() / nextRows() before any other call.
  Response loadPaged(std::string workspaceJson) noexcept;
  // snapshotRows() in pieces, each a rows document of its own (storage::RowsPager): beginRows()
  // starts, each nextRows(minBytes) gives the next piece, "" at the end. Any other call (a
  // request, a load, a chunk, a revert, a restore) ends the paging first, so the pieces never mix
  // two states.
  void beginRows();
  std::string nextRows(std::size_t minBytes);
  // restore() in pieces, so a whole state never sits in memory as one text: each restorePiece
  // decodes one rows document (as nextRows gives them) and frees its text; restoreEnd() then
  // restores their union, with restore()'s answer. A bad piece answers restore()'s error and
  // drops the pieces before it; restoreEnd() without a good piece since is 400 RINGI_WS01 and
  // changes nothing. Any call that may change the engine (a request, a load, a whole restore,
  // a chunk, a revert) drops pieces not yet restored.
  Response restorePiece(std::string rowsJson) noexcept;
  // A rows document of newer rows for the pieces given so far (the rows commits changed after the
  // snapshot the pieces hold): each of its rows replaces the pieces' row with the same key, or is
  // added (domain::overlay). Without pieces before it: 400 RINGI_WS01; a bad document answers
  // restore()'s error; either drops the pieces.
  Response restoreOverlay(std::string rowsJson) noexcept;
  Response restoreEnd() noexcept;
  std::string exportWorkspace() const;
  // Restores from storage rows ({"users": [...], "apps": [...], "records": [...], ...});
  // reports no changes; body = how many rows of each kind were restored. The text is freed once
  // decoded, before the engine takes the rows.
  Response restore(std::string stateJson) noexcept;
  // Every row the engine holds, in the shape restore() takes (storage_format.h); "" on failure.
  // The browser keeps it as a snapshot so a cold start reads one value instead of every row.
  std::string snapshotRows() const;
  // Runs one chunk of the oldest waiting batch: body = its progress (or null), plus changes.
  Response runChunk(std::size_t maxTasks) noexcept;
  // Ends the next task of the oldest waiting batch as failed (reason_code engine_failure) without
  // running it: for a task whose run ended an engine instance. The same answer as runChunk.
  Response failNextBatchTask() noexcept;
  bool hasPendingBatches() const;
  // Storage could not persist the last changes: undo them in memory.
  void revertLast() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ringi::api
