// Domain values <-> kintone wire JSON on the per-request paths: times, field type names, record
// values with their system field codes, batch progress. App settings: settings_codec.h; the
// workspace document: workspace_codec.h.
#pragma once

#include <cstdint>
#include <string>

#include "api/json/json.h"
#include "api/json/writer.h"
#include "api/params.h"
#include "domain/directory.h"
#include "domain/engine.h"
#include "domain/types.h"

namespace ringi::api::codec {

// ---- primitives ------------------------------------------------------------------------------
std::string isoTime(int64_t ms);  // 2024-01-02T03:04:05Z ("" for 0 is NOT used)
bool parseIsoTime(const std::string& s, int64_t* ms);
const char* fieldTypeName(
    domain::FieldType t);  // kintone names; ID/REVISION -> __ID__/__REVISION__
bool parseFieldType(const std::string& s, domain::FieldType* out);

// ---- records ---------------------------------------------------------------------------------
// (kintone record objects for the record APIs: record_writer.h)
// {code: {"value": ...}} -> values; problems under `key` + ".<code>.value".
domain::FieldValues decodeValues(const Json& record, Validation& v, const std::string& key);
domain::FieldValue decodeValue(const Json& value, bool* ok);
Json encodeValue(const domain::App& app, const std::string& code, const domain::FieldValue& fv,
                 const domain::Directory* dir);

// {"code", "name"} of a user, as kintone names people in answers (the code as name when unknown).
Json userRef(const domain::Directory& dir, const std::string& code);

// ---- batches ---------------------------------------------------------------------------------
// A batch's progress (seed 000's fields plus ours), its failures and items with their records;
// `user`, when given, names the submitter (progress events).
void writeProgress(JsonWriter& w, const domain::Engine& engine, const domain::Batch& b,
                   domain::Locale locale, const std::string* user = nullptr);
// One line of the batch list: counts and state, no task ids.
void writeBatchSummary(JsonWriter& w, const domain::Batch& b);
// A record's title: its first single-line text field's value ("" when none, or no record).
std::string recordTitle(const domain::Engine& engine, int64_t app, int64_t id);

}  // namespace ringi::api::codec
