// App configuration <-> kintone wire JSON: directory entries, form field properties, process
// settings (exactly the shape of GET /k/v1/app/status.json) and batch-approval settings. Read
// when an app is imported, restored or changed, not per record (built for size in wasm:
// cmake/wasm.cmake).
#pragma once

#include <string>
#include <vector>

#include "api/json/json.h"
#include "api/params.h"
#include "domain/directory.h"
#include "domain/types.h"

namespace ringi::api::codec {

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
const char* entityTypeName(domain::EntityType t);  // "USER", "GROUP", ...
bool parseEntityType(const std::string& s, domain::EntityType* t);
const char* assigneeTypeName(domain::AssigneeType t);  // "ONE", "ANY", "ALL"
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

}  // namespace ringi::api::codec
