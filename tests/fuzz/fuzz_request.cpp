// One request into the API entry point: the input is "<method>\n<path>\n<body>" (a missing part
// is empty), run as sato against the expense workspace, from the fixture's state every time.
// Checks: no crash or sanitizer report, and the answer passes checkAnswer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string workspace = ringi::fuzz::fixture("expense_workspace.json");
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto take = [&in] {
    size_t nl = in.find('\n');
    std::string part(in.substr(0, nl));
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return part;
  };
  ringi::api::Request req;
  req.user = "sato";
  req.method = take();
  req.path = take();
  req.body = std::string(in);
  // One service, loaded again only after a request changed it: every input starts from the
  // fixture's state, and reads and refusals (most inputs) cost no load.
  static ringi::api::Service svc;
  static bool fresh = false;
  if (!fresh) {
    svc.engine().setClock([] { return int64_t{1700000000000}; });
    svc.engine().seedIds(1);
    if (svc.load(workspace).status != 200) ringi::fuzz::broken("fixture did not load", "");
    fresh = true;
  }
  auto r = svc.handle(req);
  ringi::fuzz::checkAnswer(r);
  if (!r.changes.empty()) fresh = false;
  return 0;
}
