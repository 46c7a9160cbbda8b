// Ringi engine bindings: the ONLY Emscripten code in src/. One engine instance (a static
// ringi::api::Service) per wasm module. No C++ object is owned by JS (nothing to .delete()), and
// nothing throws across embind: every failure comes back as a Reply.
//
// Loading (see cmake/wasm.cmake):
//   import createRingiEngine from './ringi-engine.js';   // -sMODULARIZE -sEXPORT_ES6
//   const engine = await createRingiEngine({ wasmBinary });  // or instantiateWasm: engine-loader
//
// ONE convention, both ways. Input: the caller writes UTF-8 into the request buffer (a view of
// wasm memory, filled with one TextEncoder.encodeInto or Uint8Array.set) and passes its length.
// Output: the answer stays in wasm memory, and where it is (address, byte length) is in the reply
// slot; the caller decodes it there with one TextDecoder call. An answer is valid until the next
// call. web/src/engine/loader.js builds the engine's JS interface (ringiCall, ringiRunChunk,
// ringiRowsPieces, ...) on these functions.
//
//   ringiRequestBuffer(bytes: number): Uint8Array
//       A writable view of the request buffer, at least `bytes` long; valid until wasm memory
//       grows (its byteLength is then 0: ask again). ringiRequestBuffer(0) frees a buffer grown
//       past 1 MiB (after a large load or restore).
//   ringiReplySlot(): number
//       The address of two uint32 (HEAPU32[slot >> 2], HEAPU32[(slot >> 2) + 1]): the address and
//       byte length of the last answer. The slot itself never moves.
//   ringiCall(length)                 a request {"user", "method", "path", "body"?}: a Reply
//                                                                      (Service::handleJson)
//   ringiLoad(length)                 a workspace document (the buffer is taken over: ask for it
//                                     again afterwards): a Reply whose changes are
//                                     {"reset":true,"paged":true}: read every row with ringiRows
//                                     before any other call                  (Service::loadPaged)
//   ringiRestore(length, step)        rows documents into the engine (the buffer is taken over,
//                                     as by ringiLoad): step 0 = one piece (as
//                                     ringiRows gives them), 1 = an overlay of newer rows, 2 = the
//                                     end, which restores what came (length ignored): a Reply each
//                                     (Service::restorePiece / restoreOverlay / restoreEnd)
//   ringiRows(minBytes, first)        every stored row, a piece at a time: first = true starts
//                                     over; the answer is a rows document of whole rows, at least
//                                     minBytes long, empty at the end (not a Reply). Any other
//                                     call ends the paging.        (Service::beginRows / nextRows)
//   ringiBatchStep(maxTasks, failNext) one chunk of the oldest waiting batch (at most maxTasks
//                                     tasks; non-finite or < 1 is 1), or with failNext its next
//                                     task ended as failed (reason_code engine_failure) without
//                                     running it: a Reply, body = that batch's progress or null
//                                     (Service::runChunk / failNextBatchTask)
//   ringiExport()                     the workspace document (not a Reply; "" if it failed)
//   ringiHasPendingBatches(): boolean                              (Service::hasPendingBatches)
//   ringiRevertLast(): void           storage could not persist the last Reply's changes: undo
//                                     them in memory                         (Service::revertLast)
//
// C exports (Module._name), for tests and benchmarks, never called by the product:
//   ringi_test_fault(kind, arg)       arms a trap in the middle of a write (fault_injection.h):
//                                     1 = the next write request, 2 = every batch chunk that
//                                     changes record `arg`; 0 disarms
//   ringi_memory_in_use()             bytes the allocator has handed out and not freed (mallinfo
//                                     uordblks); wasm memory only grows: HEAP8's size is the peak
//
// Reply = '{"status":N,"body":<body JSON>,"changes":<ChangeSet JSON or null>}', ASCII JSON (every
// non-ASCII character as \uXXXX: V8 decodes and parses that faster than UTF-8 with Japanese in it).
//   status: kintone's HTTP status (200, 400, 403, 404, 409, 500, ...)
//   body:   the kintone response body or kintone-shaped error {code, id, message, errors?}
//   changes: what to commit to storage in ONE transaction (see src/api/storage_format.h), or null
//   An internal failure in the bindings yields status 500 with an error body of code "RINGI_IE01".
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
    } else if (c >= 0x20 && c < 0x80) {
      message += *p;
    }
  }
  return "{\"status\":500,\"body\":{\"code\":\"RINGI_IE01\",\"id\":\"\",\"message\":\"" + message +
         "\"},\"changes\":null}";
}

// {"status":N,"body":...,"changes":...} composed without copying the ChangeSet: after a load it
// holds every row (tens of MB), and wasm memory keeps its peak for good. The service wrote the
// body and the ChangeSet ASCII itself (Text::ascii): nothing is escaped here.
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

// ---- the request buffer and the reply slot --------------------------------------------------

std::string& requestBuffer() {
  static std::string buffer;
  return buffer;
}

struct ReplySlot {
  uint32_t at = 0;
  uint32_t size = 0;
};
ReplySlot& replySlot() {
  static ReplySlot slot;
  return slot;
}

// The last answer stays here, in wasm memory, until the next call; the slot says where.
void keep(std::string answer) {
  static std::string kept;
  kept = std::move(answer);
  replySlot() = {static_cast<uint32_t>(reinterpret_cast<uintptr_t>(kept.data())),
                 static_cast<uint32_t>(kept.size())};
}

// Bytes the caller says it wrote: at most the buffer's size.
std::size_t written(double length, std::size_t size) {
  std::size_t n = 0;
  if (std::isfinite(length) && length > 0) n = static_cast<std::size_t>(std::min(length, 1e15));
  return std::min(n, size);
}

// The first `length` bytes the caller wrote into the request buffer.
std::string_view request(double length) {
  const std::string& buffer = requestBuffer();
  return std::string_view(buffer.data(), written(length, buffer.size()));
}

// The same bytes, taken over with the buffer itself (a load or a restore piece: megabytes that a
// copy would keep twice in wasm memory at its peak, which never shrinks). The buffer is empty
// afterwards: the caller asks ringiRequestBuffer again.
std::string takeRequest(double length) {
  std::string text;
  text.swap(requestBuffer());
  text.resize(written(length, text.size()));
  return text;
}

emscripten::val ringiRequestBuffer(double bytes) {
  std::string& buffer = requestBuffer();
  std::size_t n = 0;
  if (std::isfinite(bytes) && bytes > 0) n = static_cast<std::size_t>(std::min(bytes, 1e9));
  if (n == 0 && buffer.capacity() > (std::size_t{1} << 20)) std::string(4096, '\0').swap(buffer);
  if (n > buffer.size()) buffer.resize(n);
  return emscripten::val(emscripten::typed_memory_view(
      buffer.size(), reinterpret_cast<unsigned char*>(buffer.data())));
}

double ringiReplySlot() { return static_cast<double>(reinterpret_cast<uintptr_t>(&replySlot())); }

// ---- the calls ------------------------------------------------------------------------------

void ringiCall(double length) {
  const std::string_view text = request(length);
  keep(guarded([&] { return service().handleJson(text); }));
}

void ringiLoad(double length) {
  std::string text = takeRequest(length);  // freed by the service once parsed
  keep(guarded([&] { return service().loadPaged(std::move(text)); }));
}

void ringiRestore(double length, int step) {
  if (step == 2) {
    keep(guarded([] { return service().restoreEnd(); }));
    return;
  }
  std::string rows = takeRequest(length);  // freed by the service once decoded
  keep(guarded([&] {
    return step == 1 ? service().restoreOverlay(std::move(rows))
                     : service().restorePiece(std::move(rows));
  }));
}

void ringiRows(double minBytes, bool first) {
  std::size_t n = 1;
  if (std::isfinite(minBytes) && minBytes > 1)
    n = static_cast<std::size_t>(std::min(minBytes, 1e9));
  keep(std::string());  // the caller has copied the last piece: free it before the next one
  try {
    if (first) service().beginRows();
    keep(service().nextRows(n));
  } catch (...) {
    keep(std::string());  // out of memory: an empty piece, the end, which the caller checks
  }
}

void ringiBatchStep(double maxTasks, bool failNext) {
  std::size_t n = 1;
  if (std::isfinite(maxTasks) && maxTasks > 1)
    n = maxTasks >= 1e9 ? static_cast<std::size_t>(1000000000) : static_cast<std::size_t>(maxTasks);
  keep(guarded([&] { return failNext ? service().failNextBatchTask() : service().runChunk(n); }));
}

void ringiExport() {
  try {
    keep(service().exportWorkspace());
  } catch (...) {
    keep(std::string());
  }
}

bool ringiHasPendingBatches() {
  try {
    return service().hasPendingBatches();
  } catch (...) {
    return false;
  }
}

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

extern "C" EMSCRIPTEN_KEEPALIVE double ringi_memory_in_use() {
  return static_cast<double>(mallinfo().uordblks);
}

EMSCRIPTEN_BINDINGS(ringi) {
  emscripten::function("ringiRequestBuffer", &ringiRequestBuffer);
  emscripten::function("ringiReplySlot", &ringiReplySlot);
  emscripten::function("ringiCall", &ringiCall);
  emscripten::function("ringiLoad", &ringiLoad);
  emscripten::function("ringiRestore", &ringiRestore);
  emscripten::function("ringiRows", &ringiRows);
  emscripten::function("ringiBatchStep", &ringiBatchStep);
  emscripten::function("ringiExport", &ringiExport);
  emscripten::function("ringiHasPendingBatches", &ringiHasPendingBatches);
  emscripten::function("ringiRevertLast", &ringiRevertLast);
}
