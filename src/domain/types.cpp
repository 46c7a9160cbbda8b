#include "domain/types.h"

#include <algorithm>

namespace ringi::domain {

bool isMultiValued(FieldType t) {
  switch (t) {
    case FieldType::CHECK_BOX:
    case FieldType::MULTI_SELECT:
    case FieldType::USER_SELECT:
    case FieldType::ORGANIZATION_SELECT:
    case FieldType::GROUP_SELECT:
    case FieldType::STATUS_ASSIGNEE:
    case FieldType::CATEGORY:
      return true;
    default:
      return false;
  }
}

bool isSystemField(FieldType t) { return t >= FieldType::RECORD_NUMBER; }

const State* ProcessSettings::findState(const std::string& name) const {
  for (const auto& s : states)
    if (s.name == name) return &s;
  return nullptr;
}

const std::string* BatchApprovalSettings::actionFor(const std::string& status) const {
  for (const auto& [from, action] : actions)
    if (from == status) return &action;
  return nullptr;
}

const FieldDef* App::findField(const std::string& code) const {
  for (const auto& f : fields)
    if (f.code == code) return &f;
  return nullptr;
}

const FieldDef* App::findFieldOfType(FieldType type) const {
  for (const auto& f : fields)
    if (f.type == type) return &f;
  return nullptr;
}

std::string App::systemFieldCode(FieldType t) const {
  if (const FieldDef* f = findFieldOfType(t)) return f->code;
  const bool en = locale == Locale::en;
  switch (t) {
    case FieldType::RECORD_NUMBER:
      return en ? "Record_number" : "レコード番号";
    case FieldType::CREATOR:
      return en ? "Created_by" : "作成者";
    case FieldType::MODIFIER:
      return en ? "Updated_by" : "更新者";
    case FieldType::CREATED_TIME:
      return en ? "Created_datetime" : "作成日時";
    case FieldType::UPDATED_TIME:
      return en ? "Updated_datetime" : "更新日時";
    case FieldType::STATUS:
      return en ? "Status" : "ステータス";
    case FieldType::STATUS_ASSIGNEE:
      return en ? "Assignee" : "作業者";
    case FieldType::CATEGORY:
      return en ? "Categories" : "カテゴリー";
    case FieldType::ID:
      return "$id";
    case FieldType::REVISION:
      return "$revision";
    default:
      return "";
  }
}

std::string App::statusFieldCode() const { return systemFieldCode(FieldType::STATUS); }
std::string App::assigneeFieldCode() const { return systemFieldCode(FieldType::STATUS_ASSIGNEE); }

const char* reasonCode(CheckReason r) {
  switch (r) {
    case CheckReason::supported:
      return "supported";
    case CheckReason::task_not_found:
      return "task_not_found";
    case CheckReason::not_your_task:
      return "not_your_task";
    case CheckReason::task_closed:
      return "task_closed";
    case CheckReason::record_deleted:
      return "record_deleted";
    case CheckReason::batch_approval_disabled:
      return "batch_approval_disabled";
    case CheckReason::process_disabled:
      return "process_disabled";
    case CheckReason::no_approve_action:
      return "no_approve_action";
    case CheckReason::multiple_approve_actions:
      return "multiple_approve_actions";
    case CheckReason::assignee_required:
      return "assignee_required";
    case CheckReason::condition_not_met:
      return "condition_not_met";
    case CheckReason::duplicate_task:
      return "duplicate_task";
    case CheckReason::cancelled:
      return "cancelled";
    case CheckReason::engine_failure:
      return "engine_failure";
    case CheckReason::action_not_available:
      return "action_not_available";
  }
  return "unknown";
}

const char* batchStateName(BatchState s) {
  switch (s) {
    case BatchState::queued:
      return "queued";
    case BatchState::running:
      return "running";
    case BatchState::completed:
      return "completed";
    case BatchState::partially_completed:
      return "partially_completed";
    case BatchState::cancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace ringi::domain
