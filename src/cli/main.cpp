// ringi-cli [--workspace FILE] [--export FILE] [--seed N] [--clock MS]
//
// Reads NDJSON requests on stdin, one per line:
//   {"user": "sato", "method": "PUT", "path": "/k/v1/record/status.json?x=1", "body": {...}}
// ("body" optional) and writes one line per request: {"status": 200, "body": {...}}.
// After each request, queued batch approvals run to completion. A malformed line gets an error
// line ({"status": 400, "body": {"code": "CB_IJ01", ...}}); blank lines are skipped.
// --workspace loads a workspace document (DESIGN §2) first; --export writes the workspace at exit.
// --seed N makes generated ids (tasks, batches) reproducible; --clock MS fixes the clock (epoch
// ms).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "api/service.h"

namespace {
bool readFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

void usage() {
  std::cerr << "usage: ringi-cli [--workspace FILE] [--export FILE] [--seed N] [--clock MS] "
               "< requests.ndjson\n";
}
}  // namespace

int main(int argc, char** argv) {
  std::string workspace, exportPath, seed, clock;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--workspace" || a == "--export" || a == "--seed" || a == "--clock") &&
        i + 1 < argc) {
      (a == "--workspace" ? workspace
       : a == "--export"  ? exportPath
       : a == "--seed"    ? seed
                          : clock) = argv[++i];
    } else if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else {
      usage();
      return 2;
    }
  }
  ringi::api::Service service;
  try {
    if (!seed.empty()) service.engine().seedIds(std::stoull(seed));
    if (!clock.empty()) {
      int64_t ms = std::stoll(clock);
      service.engine().setClock([ms] { return ms; });
    }
  } catch (...) {
    usage();
    return 2;
  }
  if (!workspace.empty()) {
    std::string text;
    if (!readFile(workspace, &text)) {
      std::cerr << "ringi-cli: cannot read " << workspace << "\n";
      return 1;
    }
    auto r = service.load(text);
    if (r.status != 200) {
      std::cerr << "ringi-cli: cannot load " << workspace << ": " << r.body << "\n";
      return 1;
    }
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto r = service.handleJson(line);
    std::cout << "{\"status\":" << r.status << ",\"body\":" << (r.body.empty() ? "null" : r.body)
              << "}\n";
    for (int guard = 0; guard < 1000000 && service.hasPendingBatches(); ++guard) {
      auto c = service.runChunk(50);
      if (c.status != 200 || c.body == "null") break;
    }
    std::cout.flush();
  }
  if (!exportPath.empty()) {
    std::ofstream out(exportPath, std::ios::binary);
    if (!out) {
      std::cerr << "ringi-cli: cannot write " << exportPath << "\n";
      return 1;
    }
    out << service.exportWorkspace() << "\n";
  }
  return 0;
}
