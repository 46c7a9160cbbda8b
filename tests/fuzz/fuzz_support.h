// Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp; scripts/fuzz.sh builds and runs
// them): a Service loaded with a fixture, and the check every answer must pass.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "api/service.h"

namespace ringi::fuzz {

// A finding: print what broke, then abort so libFuzzer keeps the input as a crash.
[[noreturn]] inline void broken(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "INVARIANT BROKEN: %s\n%s\n", what.c_str(), detail.substr(0, 2000).c_str());
  std::abort();
}

inline std::string fixture(const char* name) {
  std::ifstream in(std::string(RINGI_FIXTURES_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty()) broken("fixture missing", name);
  return ss.str();
}

inline bool isError(const nlohmann::json& e) {
  return e.is_object() && e.contains("code") && e["code"].is_string() && e.contains("id") &&
         e["id"].is_string() && e.contains("message") && e["message"].is_string();
}

// Every answer is JSON; an error is {code, id, message, errors?} with a 4xx/5xx status (a failed
// bulkRequest: {"results": [...]} with kintone's error object in the failed request's place), and
// an unexpected C++ exception (RINGI_IE01) is a finding of its own.
inline nlohmann::json checkAnswer(const api::Response& r) {
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) broken("answer is not JSON", r.body);
  if (r.status < 200 || r.status >= 600) broken("status out of range", std::to_string(r.status));
  if (r.status >= 400) {
    const nlohmann::json* error = &body;
    if (body.is_object() && body.size() == 1 && body.contains("results") &&
        body["results"].is_array())
      for (const auto& e : body["results"])
        if (isError(e)) error = &e;
    if (!isError(*error)) broken("error answer is not {code,id,message}", r.body);
    if ((*error)["code"] == "RINGI_IE01") broken("unexpected exception inside the engine", r.body);
    if (!r.changes.empty()) broken("a refused request has changes", r.changes);
  }
  return body;
}

}  // namespace ringi::fuzz
