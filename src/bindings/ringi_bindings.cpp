// Ringi engine bindings: the ONLY Emscripten code in src/. One engine instance (a static
// ringi::api::Service) per wasm module; JS talks to it through embind free functions that take and
// return JSON strings. No C++ object is owned by JS (nothing to .delete()), and nothing throws
// across embind: every failure comes back as JSON.
//
// Loading (see cmake/wasm.cmake):
//   import createRingiEngine from './ringi-engine.js';   // -sMODULARIZE -sEXPORT_ES6
//   const engine = await createRingiEngine({ wasmBinary });  // wasmBinary: needed in Node 20
//
// Functions (the worker is built against exactly these names):
//
//   ringiCall(requestJson: string): string
//       requestJson = {"user": "sato", "method": "PUT", "path": "/k/v1/record/status.json?app=1",
//                      "body": <any JSON value, optional>}                 (Service::handleJson)
//       returns a Reply (below), as ASCII JSON: non-ASCII characters as \uXXXX escapes.
//   ringiCallView(requestJson: string): Uint8Array
//   ringiRunChunkView(maxTasks: number): Uint8Array
//       The same Replies as bytes (ASCII, hence also UTF-8), as a view into wasm memory that is
//       valid until the next *View call (decode it at once). engine-loader.js builds ringiCall /
//       ringiRunChunk on them.
//   ringiRequestBuffer(bytes: number): Uint8Array
//       A writable view of wasm memory of at least `bytes` bytes (the capacity is kept), valid
//       until wasm memory grows (then its byteLength is 0).
//   ringiCallBuffered(length: number): void
//       Answers the first `length` bytes the caller wrote into that buffer (UTF-8, with
//       TextEncoder.encodeInto): no per-character copy in JS. The Reply's bytes stay in wasm memory
//       until the next call that answers with a Reply or a *View; where they are is in the slot:
//   ringiReplySlot(): number
//       The address of two uint32 (HEAPU32[slot >> 2], HEAPU32[(slot >> 2) + 1]): the address and
//       byte length of ringiCallBuffered's last Reply. The slot itself never moves.
//   ringiLoad(workspaceJson: string): string
//       Replaces everything with a workspace document (DESIGN §2). Reply; changes = full
//       snapshot (reset).                                                   (Service::load)
//   ringiRestore(stateJson: string): string
//       Restores from storage rows. Reply; body = restored row counts by store, changes = null.
//                                                                          (Service::restore)
//   ringiRestoreBytes(stateUtf8: Uint8Array): string
//       ringiRestore with the text as UTF-8 bytes (TextEncoder): a 5 MB string costs ~40 ms to
//       cross embind as std::string (a per-character JS loop), bytes one TypedArray.set.
//   ringiLoadBytes(workspaceUtf8: Uint8Array): string
//       ringiLoad of a workspace as UTF-8 bytes, for large ones: the text is freed once parsed,
//       and the Reply's changes are {"reset":true,"paged":true}: the rows to put are read with
//       ringiRowsBegin / ringiRowsNextView right away, before any other call. (Service::loadPaged)
//   ringiRowsBegin(): void
//   ringiRowsNextView(minBytes: number): Uint8Array
//       Every stored row in pieces: each a rows document of its own (restore's shape) of whole
//       rows, at least minBytes long, as a view like ringiCallView's; an empty view at the end.
//       Any other call ends the paging. A whole state never sits in wasm memory as one string,
//       and wasm memory never shrinks.                         (Service::beginRows / nextRows)
//   ringiRestorePieceBytes(rowsUtf8: Uint8Array): string
//   ringiRestoreOverlayBytes(rowsUtf8: Uint8Array): string
//   ringiRestoreEnd(): string
//       ringiRestoreBytes in pieces (such documents, one at a time): each piece answers a Reply
//       (an error drops the pieces so far); an overlay's rows replace the pieces' rows with the
//       same keys (newer rows for an older snapshot); the end restores them all and answers the
//       counts. Any other call in between drops the pieces.
//                                         (Service::restorePiece / restoreOverlay / restoreEnd)
//   ringiSnapshotBytes(): Uint8Array
//       Every stored row as UTF-8 JSON, in the shape ringiRestore takes: what the worker keeps as
//       its cold-start snapshot. Empty if it failed.                      (Service::snapshotRows)
//   ringiExport(): string
//       The workspace document (DESIGN §2). "" (empty string) if the export failed: treat that
//       as an error.                                                  (Service::exportWorkspace)
//   ringiRunChunk(maxTasks: number): string
//       Runs one chunk (at most maxTasks tasks; non-finite or < 1 means 1) of the oldest waiting
//       batch. Reply; body = that batch's progress, or null when none waits. (Service::runChunk)
//   ringiFailBatchTask(): string
//       Ends the next task of the oldest waiting batch as failed (reason_code engine_failure)
//       without running it: the host's answer to a task whose run ended an engine instance.
//       The same Reply as ringiRunChunk.                       (Service::failNextBatchTask)
//   ringiHasPendingBatches(): boolean                          (Service::hasPendingBatches)
//   ringiMemoryInUse(): number
//       Bytes the engine's allocator has handed out and not freed (mallinfo uordblks). Wasm
//       memory only grows, so HEAP8.buffer.byteLength is the peak; this is what is live now.
//   ringiRevertLast(): void
//       Storage could not persist the last Reply's changes: undo them in memory.
//                                                                      (Service::revertLast)
//
// Test seam (not embind; Module._ringi_test_fault): ringi_test_fault(kind, arg) arms a trap in
// the middle of a write (src/api/fault_injection.h): kind 1 = the next write request, kind 2 =
// every batch chunk that runs a task of record `arg`; 0 disarms. Tests use it to prove that a
// failed instance is replaced and that nothing it did is acknowledged.
//
// Reply = '{"status":N,"body":<body JSON>,"changes":<ChangeSet JSON or null>}'
//   status: kintone's HTTP status (200, 400, 403, 404, 409, 500, ...)
//   body:   the kintone response body or kintone-shaped error {code, id, message, errors?}
//   changes: what to commit to storage in ONE transaction (see src/api/storage_format.h), or null
//   The string is assembled by concatenation from api::Response (no re-parse in C++); an
//   internal failure in the bindings yields status 500 with an error body of code "RINGI_IE01".
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "api/fault_injection.h"
#include "api/json/writer.h"
#include "api/service.h"

namespace {

ringi::api::Service& service() {
  // Constructed on first use, lives as long as the module. Its replies become JS strings: ASCII.
  static ringi::api::Service instance(ringi::api::Service::Text::ascii);
  return instance;
}

std::string internalError(const char* what) {
  std::string message;
  for (const char* p = what; p && *p; ++p) {  // keep the message valid inside a JSON string
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      message += '\\';
      message += *p;
    } else if (c >= 0x20) {
      message += *p;
    }
  }
  return "{\"status\":500,\"body\":{\"code\":\"RINGI_IE01\",\"id\":\"\",\"message\":\"" + message +
         "\"},\"changes\":null}";
}

// {"status":N,"body":...,"changes":...} composed without copying the ChangeSet: after a load it
// holds every row (tens of MB), and wasm memory keeps its peak for good.
// As ASCII JSON (json/writer.h): V8 decodes and parses it faster than UTF-8 with Japanese text in
// it. The service writes the body and the ChangeSet ASCII itself (Text::ascii): nothing is
// escaped again here.
std::string reply(ringi::api::Response r) {
  std::string head;
  head.reserve(r.body.size() + 48);
  head += "{\"status\":";
  head += std::to_string(r.status);
  head += ",\"body\":";
  if (r.body.empty())
    head += "null";
  else
    head += r.body;
  std::string().swap(r.body);
  head += ",\"changes\":";
  if (r.changes.empty()) {
    head += "null}";
    return head;
  }
  r.changes.insert(0, head);  // in place when the buffer has room, as a grown string usually has
  r.changes += '}';
  return std::move(r.changes);
}

template <typename F>
std::string guarded(F&& f) {
  try {
    return reply(f());
  } catch (const std::exception& e) {
    return internalError(e.what());
  } catch (...) {
    return internalError("internal error");
  }
}

std::string call(std::string_view requestJson) {
  return guarded([&] { return service().handleJson(requestJson); });
}

std::string ringiCall(const std::string& requestJson) { return call(requestJson); }

std::string ringiLoad(const std::string& workspaceJson) {
  return guarded([&] { return service().load(workspaceJson); });
}

std::string ringiRestore(const std::string& stateJson) {
  return guarded([&] { return service().restore(stateJson); });
}

std::string ringiExport() {
  try {
    return service().exportWorkspace();
  } catch (...) {
    return std::string();
  }
}

std::string fromBytes(const emscripten::val& bytes) {
  const std::size_t n = bytes["length"].as<std::size_t>();
  std::string s(n, '\0');
  emscripten::val(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(s.data())))
      .call<void>("set", bytes);
  return s;
}

// ringiLoad for large workspaces: the text comes as bytes and is freed once parsed, and the rows
// of the reset are read with ringiRowsBegin / ringiRowsNextView instead of one reply string.
std::string ringiLoadBytes(const emscripten::val& workspaceUtf8) {
  return guarded([&] { return service().loadPaged(fromBytes(workspaceUtf8)); });
}

std::string ringiRestoreBytes(const emscripten::val& stateUtf8) {
  return guarded([&] { return service().restore(fromBytes(stateUtf8)); });
}

std::string ringiRestorePieceBytes(const emscripten::val& rowsUtf8) {
  return guarded([&] { return service().restorePiece(fromBytes(rowsUtf8)); });
}

std::string ringiRestoreOverlayBytes(const emscripten::val& rowsUtf8) {
  return guarded([&] { return service().restoreOverlay(fromBytes(rowsUtf8)); });
}

std::string ringiRestoreEnd() {
  return guarded([&] { return service().restoreEnd(); });
}

emscripten::val ringiSnapshotBytes() {
  const std::string rows = service().snapshotRows();  // "" on failure; never throws
  // new Uint8Array(view) copies out of wasm memory before `rows` is freed.
  return emscripten::val::global("Uint8Array")
      .new_(emscripten::typed_memory_view(rows.size(),
                                          reinterpret_cast<const unsigned char*>(rows.data())));
}

std::string ringiRunChunk(double maxTasks) {
  std::size_t n = 1;
  if (std::isfinite(maxTasks) && maxTasks > 1) {
    n = maxTasks >= 1e9 ? static_cast<std::size_t>(1000000000) : static_cast<std::size_t>(maxTasks);
  }
  return guarded([&] { return service().runChunk(n); });
}

// The one reply kept in wasm memory, until the next *View or ringiCallBuffered call. As a view,
// engine-loader.js decodes it with one TextDecoder call, where embind's std::string return first
// scans it byte by byte in JS for a NUL (a status update: 37 -> 28 us in Node).
std::string& keptReply() {
  static std::string kept;
  return kept;
}

emscripten::val view(std::string reply) {
  std::string& kept = keptReply();
  kept = std::move(reply);
  return emscripten::val(emscripten::typed_memory_view(
      kept.size(), reinterpret_cast<const unsigned char*>(kept.data())));
}

emscripten::val ringiCallView(const std::string& requestJson) {
  return view(ringiCall(requestJson));
}

// The request buffer: engine-loader.js writes a request's UTF-8 straight into wasm memory with one
// TextEncoder.encodeInto call. Passing a JS string as std::string runs embind's per-character
// encoding loop in JS, which took ~10% of a status update in Node.
std::string& requestBuffer() {
  static std::string buffer;
  return buffer;
}

// A writable view of at least `bytes` bytes (the buffer never shrinks; the view is invalid after
// any call that grows wasm memory, which detaches it: its byteLength becomes 0).
emscripten::val ringiRequestBuffer(double bytes) {
  std::string& buffer = requestBuffer();
  std::size_t n = 0;
  if (std::isfinite(bytes) && bytes > 0) n = static_cast<std::size_t>(bytes);
  if (n > buffer.size()) buffer.resize(n);
  return emscripten::val(emscripten::typed_memory_view(
      buffer.size(), reinterpret_cast<unsigned char*>(buffer.data())));
}

// Where ringiCallBuffered's Reply is. Returning it as a view (typed_memory_view) cost every
// request an emval handle, a call back into JS (_emval_take_value) and a new Uint8Array.
struct ReplySlot {
  uint32_t at = 0;
  uint32_t size = 0;
};
ReplySlot& replySlot() {
  static ReplySlot slot;
  return slot;
}

double ringiReplySlot() { return static_cast<double>(reinterpret_cast<uintptr_t>(&replySlot())); }

// The Reply to the first `length` bytes written into the request buffer, kept as a view's is.
void ringiCallBuffered(double length) {
  std::string& buffer = requestBuffer();
  std::size_t n = 0;
  if (std::isfinite(length) && length > 0) n = static_cast<std::size_t>(length);
  std::string& kept = keptReply();
  kept = call(std::string_view(buffer.data(), std::min(n, buffer.size())));
  replySlot() = {static_cast<uint32_t>(reinterpret_cast<uintptr_t>(kept.data())),
                 static_cast<uint32_t>(kept.size())};
}
emscripten::val ringiRunChunkView(double maxTasks) { return view(ringiRunChunk(maxTasks)); }

void ringiRowsBegin() {
  try {
    service().beginRows();
  } catch (...) {  // out of memory: nextRows then answers "" (the end), which the caller checks
  }
}

// The next piece of the rows (at least minBytes, whole rows), as a view like ringiCallView's;
// empty at the end, or when any other call came in between.
emscripten::val ringiRowsNextView(double minBytes) {
  std::size_t n = 1;
  if (std::isfinite(minBytes) && minBytes > 1)
    n = static_cast<std::size_t>(std::min(minBytes, 1e9));
  try {
    view(std::string());  // the caller has copied the last piece: free it before the next one
    return view(service().nextRows(n));
  } catch (...) {
    return view(std::string());
  }
}

std::string ringiFailBatchTask() {
  return guarded([&] { return service().failNextBatchTask(); });
}

bool ringiHasPendingBatches() {
  try {
    return service().hasPendingBatches();
  } catch (...) {
    return false;
  }
}

double ringiMemoryInUse() { return static_cast<double>(mallinfo().uordblks); }

void ringiRevertLast() {
  try {
    service().revertLast();
  } catch (...) {
  }
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void ringi_test_fault(int kind, double arg) {
  ringi::api::faults::arm(static_cast<ringi::api::faults::Fault>(kind), static_cast<int64_t>(arg));
}

EMSCRIPTEN_BINDINGS(ringi) {
  emscripten::function("ringiCall", &ringiCall);
  emscripten::function("ringiCallView", &ringiCallView);
  emscripten::function("ringiRequestBuffer", &ringiRequestBuffer);
  emscripten::function("ringiCallBuffered", &ringiCallBuffered);
  emscripten::function("ringiReplySlot", &ringiReplySlot);
  emscripten::function("ringiRunChunkView", &ringiRunChunkView);
  emscripten::function("ringiLoad", &ringiLoad);
  emscripten::function("ringiRestore", &ringiRestore);
  emscripten::function("ringiExport", &ringiExport);
  emscripten::function("ringiRestoreBytes", &ringiRestoreBytes);
  emscripten::function("ringiLoadBytes", &ringiLoadBytes);
  emscripten::function("ringiRestorePieceBytes", &ringiRestorePieceBytes);
  emscripten::function("ringiRestoreOverlayBytes", &ringiRestoreOverlayBytes);
  emscripten::function("ringiRestoreEnd", &ringiRestoreEnd);
  emscripten::function("ringiRowsBegin", &ringiRowsBegin);
  emscripten::function("ringiRowsNextView", &ringiRowsNextView);
  emscripten::function("ringiSnapshotBytes", &ringiSnapshotBytes);
  emscripten::function("ringiRunChunk", &ringiRunChunk);
  emscripten::function("ringiFailBatchTask", &ringiFailBatchTask);
  emscripten::function("ringiHasPendingBatches", &ringiHasPendingBatches);
  emscripten::function("ringiMemoryInUse", &ringiMemoryInUse);
  emscripten::function("ringiRevertLast", &ringiRevertLast);
}
