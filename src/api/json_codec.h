// Domain types <-> kintone wire JSON: form field properties, process settings (exactly the shape
// of GET /k/v1/app/status.json), records with their system fields, batch progress, directory
// entries and the workspace document (DESIGN §2).
//
// Workspace document decisions (import ∘ export is the identity on exported documents):
//  - apps[].fields is the form-fields `properties` map; each field's JSON is kept verbatim in
//    FieldDef::raw and written back unchanged.
//  - apps[].status is GET app/status.json's body (with "revision" as a string: the app's settings
//    revision). apps[].batch_approval = {"enabled", "actions": {status: action}}.
//  - Optional app keys: "description", "space" (space id), "guest" (bool).
//  - records[] are kintone record objects ({code: {"value": ...}}). Export writes "$id",
//    "$revision", the user fields, the status and assignee fields (when the record has a status)
//    and the creator / modifier / created / updated system fields (codes from the app's fields,
//    else 作成者 / 更新者 / 作成日時 / 更新日時, or Created_by / Updated_by / Created_datetime /
//    Updated_datetime for an `en` app). Import reads all of them when present.
//  - Tasks, batches, status history and the "already acted" list of ALL states are not part of
//    the workspace (storage_format.h keeps them); on import open tasks follow from the records.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/params.h"
#include "domain/directory.h"
#include "domain/types.h"

namespace ringi::api::codec {

// ---- primitives ------------------------------------------------------------------------------
std::string isoTime(int64_t ms);                  // 2024-01-02T03:04:05Z ("" for 0 is NOT used)
bool parseIsoTime(const std::string& s, int64_t* ms);
const char* fieldTypeName(domain::FieldType t);  // kintone names; ID/REVISION -> __ID__/__REVISION__
bool parseFieldType(const std::string& s, domain::FieldType* out);

// ---- directory -------------------------------------------------------------------------------
Json encodeUser(const domain::User& u);  // {"code","name","locale"}
Json encodeOrganization(const domain::Organization& o);
Json encodeGroup(const domain::Group& g);
// Decoders record problems in `v` under `key`.
domain::User decodeUser(const Json& j, Validation& v, const std::string& key);
domain::Organization decodeOrganization(const Json& j, Validation& v, const std::string& key);
domain::Group decodeGroup(const Json& j, Validation& v, const std::string& key);

// ---- fields ----------------------------------------------------------------------------------
Json encodeField(const domain::FieldDef& f);
// `code` is the properties key (used when the object has no "code").
domain::FieldDef decodeField(const std::string& code, const Json& j, Validation& v,
                             const std::string& key);
Json encodeProperties(const std::vector<domain::FieldDef>& fields);
std::vector<domain::FieldDef> decodeProperties(const Json& props, Validation& v,
                                               const std::string& key);

// ---- process settings ------------------------------------------------------------------------
Json encodeEntity(const domain::Entity& e);
Json encodeProcess(const domain::ProcessSettings& p);  // {enable, states, actions}
// Decodes `states` (object keyed by name) / `actions` (array), kintone request conventions.
std::vector<domain::State> decodeStates(const Json& states, Validation& v, const std::string& key);
std::vector<domain::Action> decodeActions(const Json& actions, Validation& v,
                                          const std::string& key);
domain::ProcessSettings decodeProcess(const Json& j, Validation& v, const std::string& key);

Json encodeBatchSettings(const domain::BatchApprovalSettings& s);
domain::BatchApprovalSettings decodeBatchSettings(const Json& j, Validation& v,
                                                  const std::string& key);

// ---- records ---------------------------------------------------------------------------------
// (kintone record objects for the record APIs: record_writer.h)
// {code: {"value": ...}} -> values; problems under `key` + ".<code>.value".
domain::FieldValues decodeValues(const Json& record, Validation& v,
                                                       const std::string& key);
domain::FieldValue decodeValue(const Json& value, bool* ok);
Json encodeValue(const domain::App& app, const std::string& code, const domain::FieldValue& fv,
                 const domain::Directory* dir);

// System field codes of an app (from its fields, else defaults by locale).
std::string systemFieldCode(const domain::App& app, domain::FieldType t);

// ---- batches ---------------------------------------------------------------------------------
Json encodeProgress(const domain::Batch& b, domain::Locale locale);

// ---- workspace -------------------------------------------------------------------------------
// The workspace document as text (JsonWriter: no DOM of every record).
std::string exportWorkspace(const domain::Snapshot& s);
// Throws domain::Error RINGI_WS01 (args: detail) or CB_VA01 on malformed input. Records without
// $id get the next id of their app; without $revision, 1; timestamps default to `now`.
// Per app (in document order), its records as JSON texts (as they stand in the document).
using RecordTexts = std::vector<std::vector<std::string>>;
// Parses a workspace document, taking each app's records out as texts (bounded memory).
Json parseWorkspace(const std::string& text, RecordTexts* recordTexts);
// Each captured record text is freed as soon as it is imported, so the texts and the records they
// become are never all in memory at once.
domain::Snapshot importWorkspace(const Json& doc, int64_t now, RecordTexts* recordTexts = nullptr);

}  // namespace ringi::api::codec
