// Plain value types of the Ringi domain: directory, apps, process settings, records, tasks,
// batches. No JSON, no I/O: the api layer converts these to and from kintone's wire shapes.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/flat_map.h"
#include "domain/task_key.h"

namespace ringi::domain {

enum class Locale { en, ja, zh };

// ---------------------------------------------------------------------------------------------
// Directory
struct User {
  std::string code;
  std::string name;
  Locale locale = Locale::en;
};

struct Organization {
  std::string code;
  std::string name;
  std::optional<std::string> parent;  // code of the parent organization
  std::vector<std::string> members;   // user codes
};

struct Group {
  std::string code;
  std::string name;
  std::vector<std::string> members;  // user codes
};

// ---------------------------------------------------------------------------------------------
// Form fields
enum class FieldType {
  SINGLE_LINE_TEXT,
  MULTI_LINE_TEXT,
  RICH_TEXT,
  NUMBER,
  CALC,
  DATE,
  TIME,
  DATETIME,
  LINK,
  DROP_DOWN,
  RADIO_BUTTON,
  CHECK_BOX,
  MULTI_SELECT,
  USER_SELECT,
  ORGANIZATION_SELECT,
  GROUP_SELECT,
  // system fields
  RECORD_NUMBER,
  ID,
  REVISION,
  CREATOR,
  MODIFIER,
  CREATED_TIME,
  UPDATED_TIME,
  STATUS,
  STATUS_ASSIGNEE,
  CATEGORY,
};

struct FieldDef {
  std::string code;
  std::string label;
  FieldType type = FieldType::SINGLE_LINE_TEXT;
  bool required = false;
  bool unique = false;  // kintone's "prohibit duplicate values": no two records share a value
  std::vector<std::string> options;        // DROP_DOWN / RADIO_BUTTON / CHECK_BOX / MULTI_SELECT
  std::string defaultValue;                // for single-valued fields
  std::vector<std::string> defaultValues;  // for multi-valued fields
  // The field's full properties object as the api layer received it, kept verbatim so the form
  // fields API and export return exactly what was imported. Opaque to the domain.
  std::string raw;
};

bool isMultiValued(FieldType t);  // CHECK_BOX, MULTI_SELECT, *_SELECT, STATUS_ASSIGNEE, CATEGORY
bool isSystemField(FieldType t);  // RECORD_NUMBER .. CATEGORY: not writable through record APIs

// ---------------------------------------------------------------------------------------------
// Process management settings (kintone's GET /k/v1/app/status.json)
enum class EntityType { USER, GROUP, ORGANIZATION, FIELD_ENTITY, CREATOR, CUSTOM_FIELD };

struct Entity {
  EntityType type = EntityType::USER;
  std::string code;  // empty for CREATOR
  bool includeSubs = false;
};

enum class AssigneeType { ONE, ANY, ALL };

struct State {
  std::string name;
  int index = 0;
  AssigneeType assigneeType = AssigneeType::ONE;
  std::vector<Entity> entities;
};

enum class ActionType { PRIMARY, SECONDARY };

struct Action {
  std::string name;
  std::string from;
  std::string to;
  std::string filterCond;  // kintone query condition; empty = always
  ActionType type = ActionType::PRIMARY;
  std::vector<Entity> executableUser;  // SECONDARY only
};

struct ProcessSettings {
  bool enable = false;
  bool configured = false;    // false: states / actions are null in the API
  std::vector<State> states;  // kept sorted by index; states.front() is the initial status
  std::vector<Action> actions;

  const State* findState(const std::string& name) const;
  const State* initialState() const { return states.empty() ? nullptr : &states.front(); }
};

// What "approve" means for an app in a batch approval: status name -> action name.
struct BatchApprovalSettings {
  bool enabled = false;
  std::vector<std::pair<std::string, std::string>> actions;
  const std::string* actionFor(const std::string& status) const;
};

// ---------------------------------------------------------------------------------------------
// Apps
struct App {
  int64_t id = 0;
  std::string name;
  std::string description;
  Locale locale = Locale::ja;
  std::optional<int64_t> spaceId;  // set for apps in a guest space
  bool guestSpace = false;
  std::string creator;
  int64_t createdAt = 0;  // epoch ms
  int64_t modifiedAt = 0;

  // Deployed (live) and preview settings. `revision` counts settings changes (GAIA_CO03).
  std::vector<FieldDef> fields;
  std::vector<FieldDef> previewFields;
  ProcessSettings process;
  ProcessSettings previewProcess;
  int64_t revision = 1;
  int64_t previewRevision = 1;
  BatchApprovalSettings batchApproval;

  int64_t nextRecordId = 1;

  const FieldDef* findField(const std::string& code) const;
  const FieldDef* findFieldOfType(FieldType type) const;
  // A system field's code: the app's field of that type, else kintone's name in the app's
  // language (Record_number / レコード番号, Created_by / 作成者, ..., $id, $revision).
  std::string systemFieldCode(FieldType t) const;
  std::string statusFieldCode() const;    // STATUS field's code, or ステータス / Status
  std::string assigneeFieldCode() const;  // STATUS_ASSIGNEE field's code, or 作業者 / Assignee
};

// ---------------------------------------------------------------------------------------------
// Records
struct FieldValue {
  std::string text;                // single-valued fields
  std::vector<std::string> items;  // multi-valued fields (option names, or user/org/group codes)
  bool operator==(const FieldValue& o) const { return text == o.text && items == o.items; }
};
using FieldValues = FlatMap<std::string, FieldValue>;  // user fields by code

struct StatusChange {
  int64_t at = 0;  // epoch ms
  std::string status;
  std::string action;  // empty for the initial status
  std::string actor;   // user code
  std::vector<std::string> assignees;
};

// A record comment (kintone's record comments API). `text` holds the mentions' codes in front of
// what the author wrote, as kintone stores it.
struct Mention {
  EntityType type = EntityType::USER;  // USER, GROUP or ORGANIZATION
  std::string code;
};

struct Comment {
  int64_t id = 0;  // per record, from 1, never reused
  std::string text;
  std::string creator;  // user code
  int64_t createdAt = 0;
  std::vector<Mention> mentions;
};

struct Record {
  int64_t app = 0;
  int64_t id = 0;
  int64_t revision = 1;
  FieldValues values;                  // user fields by code (no system fields)
  std::string status;                  // empty when process management never enabled
  std::vector<std::string> assignees;  // user codes, in resolution order
  std::vector<std::string> actedBy;    // ALL status: assignees that have already acted
  std::string creator;
  std::string modifier;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
  std::vector<StatusChange> history;  // oldest first; back() is the current status entry
  // history[0, archived) is final and kept apart from the record, in chunks of kHistoryChunk
  // entries (storage rows of their own), so a status change stores only what it added, not the
  // whole history again. Always a multiple of kHistoryChunk below history.size(); it grows as the
  // record enters statuses (Engine::enterStatus). 0 for records stored before chunks existed.
  int64_t archived = 0;
  std::vector<Comment> comments;  // oldest first
  int64_t lastCommentId = 0;      // the highest id ever given (deleted ids are not reused)
};

constexpr int64_t kHistoryChunk = 8;

// Entries [from, from + kHistoryChunk) of a record's history, as storage keeps them.
struct HistoryChunk {
  int64_t app = 0;
  int64_t record = 0;
  int64_t from = 0;
  std::vector<StatusChange> entries;
};

// ---------------------------------------------------------------------------------------------
// Tasks: one per (record, status entry, assignee user)
enum class TaskState { open, closed, deleted };

struct Task {
  TaskKey key;  // the id, 32 lowercase hex characters, held as two integers (no heap string)
  std::string id() const { return formatTaskKey(key); }
  int64_t app = 0;
  int64_t record = 0;
  std::string status;
  std::string assignee;  // user code
  int64_t entry = 0;     // index into Record::history of the status entry that opened it
  TaskState state = TaskState::open;
  int64_t openedAt = 0;
  int64_t closedAt = 0;
  std::string closedBy;  // user who acted (empty while open, or when deleted)
};

// ---------------------------------------------------------------------------------------------
// Batch approvals
enum class CheckReason {
  supported,
  task_not_found,
  not_your_task,
  task_closed,
  record_deleted,
  batch_approval_disabled,
  process_disabled,
  no_approve_action,
  multiple_approve_actions,
  assignee_required,
  condition_not_met,
  duplicate_task,
  cancelled,             // a batch that was cancelled before the task ran
  engine_failure,        // running the task ended the engine (a trap, out of memory): not applied
  action_not_available,  // the chosen action does not start from the record's current status
};
constexpr CheckReason kLastCheckReason = CheckReason::action_not_available;
const char* reasonCode(CheckReason r);  // the stable snake_case name, e.g. "task_closed"

struct CheckResult {
  std::string taskId;
  CheckReason reason = CheckReason::supported;
  // When the action's next status takes one assignee chosen from several users: those users.
  std::vector<std::string> choices;
  bool supported() const { return reason == CheckReason::supported; }
};

enum class BatchState { queued, running, completed, partially_completed, cancelled };
const char* batchStateName(BatchState s);

struct BatchFailure {
  std::string taskId;
  CheckReason reason = CheckReason::task_not_found;
  int64_t app = 0;  // the task's app and record; 0 when the id names no task
  int64_t record = 0;
};

// What a batch does to each of its tasks. An empty action is the approve action (the app's batch
// settings name it per status, else the status's only PRIMARY action).
struct BatchOrder {
  std::string action;
  std::string comment;                  // posted on every record the batch changes; empty: none
  std::optional<std::string> assignee;  // the next assignee where the next status needs a choice
};

struct Batch {
  std::string number;  // 32 lowercase hex characters
  std::string user;
  std::vector<std::string> taskIds;
  BatchOrder order;
  std::string retryOf;   // the batch whose failures this one retries; empty: none
  size_t processed = 0;  // includes failures; taskIds[0 .. processed) have run
  size_t succeeded = 0;
  std::vector<BatchFailure> failures;
  BatchState state = BatchState::queued;
  int64_t createdAt = 0;
  int64_t startedAt = 0;   // 0 until the first chunk
  int64_t finishedAt = 0;  // 0 until completed / cancelled
  bool finished() const {
    return state == BatchState::completed || state == BatchState::partially_completed ||
           state == BatchState::cancelled;
  }
};

// ---------------------------------------------------------------------------------------------
// Everything the engine holds, as one value: import/export and storage restore use this.
struct Snapshot {
  std::vector<User> users;
  std::vector<Organization> organizations;
  std::vector<Group> groups;
  std::vector<App> apps;
  // Records and tasks are the bulk of a state; deques grow without copying and Engine::load frees
  // them block by block as it takes them, so a load never holds them twice.
  std::deque<Record> records;
  std::deque<Task> tasks;  // when empty on import, open tasks are derived from records
  std::vector<Batch> batches;
  // Stored chunks of records' histories; Engine::load puts them back in front of each record's
  // own entries (Record::archived says how many there must be).
  std::vector<HistoryChunk> history;
  int64_t nextAppId = 1;
};

}  // namespace ringi::domain
