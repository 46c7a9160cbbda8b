// The error catalogue: kintone error code -> HTTP status and message in en / ja / zh, the CB_VA01
// per-parameter messages, and the localized reasons of batch-approval checks.
//
// Codes of our own (kintone has no equivalent, or its body is unverified):
//   CB_NF01    404  unknown API path ("The specified API is not found.")
//   RINGI_MT01 405  known API path, method not allowed for it
//   RINGI_IE01 500  unexpected internal failure (never expected; nothing throws out of Service)
//   RINGI_SA01 400  assignee is not a candidate of the next status (args: user, status)
//   RINGI_BA01 404  batch not found, or not the caller's (args: batch number)
//   RINGI_BA02 409  batch already finished (cancel) (args: batch number)
//   RINGI_WS01 400  invalid workspace / storage document (args: detail)
// Message templates use {0}, {1}, ... for the error's arguments.
#pragma once

#include <string>
#include <vector>

#include "domain/types.h"

namespace ringi::api {

// HTTP status for an error code (400 for unknown codes).
int httpStatusOf(const std::string& code);
// Top-level message of an error code in `locale`; unknown codes get a generic text.
std::string errorMessage(const std::string& code, const std::vector<std::string>& args,
                         domain::Locale locale);
// A CB_VA01 per-parameter message by message id (see messages.cpp for the list).
std::string fieldMessage(const std::string& id, const std::vector<std::string>& args,
                         domain::Locale locale);
// Localized text of a batch-approval check reason.
std::string reasonText(domain::CheckReason reason, domain::Locale locale);

const char* localeName(domain::Locale l);
bool parseLocale(const std::string& s, domain::Locale* out);

}  // namespace ringi::api
