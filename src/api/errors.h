// Rendering of kintone-shaped error bodies: {code, id, message, errors?}; id is a random
// 20-character token; errors (CB_VA01) maps a parameter path to {"messages": [...]}.
#pragma once

#include <string>

#include "api/json/json.h"
#include "api/json/writer.h"
#include "domain/error.h"
#include "domain/types.h"

namespace ringi::api {

// A finished HTTP answer thrown past the usual error rendering (bulkRequest failures).
struct HttpFailure {
  int status;
  std::string body;  // JSON text
};

std::string newErrorId();
// Fills `out` with the error body and returns the HTTP status.
int renderError(const domain::Error& e, domain::Locale locale, Json& out);
std::string renderErrorText(const domain::Error& e, domain::Locale locale, int* status,
                            JsonWriter::Ascii ascii = JsonWriter::Ascii::no);

}  // namespace ringi::api
