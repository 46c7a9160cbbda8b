// The workspace document (DESIGN §2): import and export of a whole workspace.
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
#include <string>
#include <vector>

#include "api/json/json.h"
#include "domain/types.h"

namespace ringi::api::codec {

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
