// The Ringi engine: apps, records, process management, tasks and batch approvals, held in memory
// and changed only inside transactions that report what they changed (a ChangeSet).
//
// Every operation that can fail throws domain::Error and, when it runs inside a Transaction,
// leaves the engine exactly as before the transaction once the Transaction is destroyed without
// commit(). Operations called without an open transaction run in one of their own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/directory.h"
#include "domain/error.h"
#include "domain/query.h"
#include "domain/task_key.h"
#include "domain/types.h"

namespace ringi::domain {

using RecordKey = std::pair<int64_t, int64_t>;  // (app, record id)

// Chunks [from, to) of a record's archived history (Record::archived).
struct HistoryRange {
  RecordKey key;
  int64_t from = 0;
  int64_t to = 0;
};

// The entities a committed transaction changed; their current values are read from the engine.
struct ChangeSet {
  bool reset = false;      // everything was replaced (load / reset): store the whole snapshot
  bool directory = false;  // users, organizations, groups
  bool meta = false;       // engine counters (next app id)
  std::vector<int64_t> apps;
  std::vector<RecordKey> records;         // added or changed, or one of their tasks changed
  std::vector<RecordKey> deletedRecords;  // removed
  std::vector<std::string> tasks;
  std::vector<std::string> batches;
  std::vector<HistoryRange> archived;    // history chunks a live record archived: to store
  std::vector<HistoryRange> unarchived;  // the chunks of a removed record: to remove
  bool empty() const {
    return !reset && !directory && !meta && apps.empty() && records.empty() &&
           deletedRecords.empty() && tasks.empty() && batches.empty();
  }
};

// One record status request (the single and bulk status APIs).
struct StatusRequest {
  int64_t id = 0;
  std::string action;
  std::optional<std::string> assignee;
  std::optional<int64_t> revision;  // nullopt or -1: no check
};

// An action `user` may run on a record now (kintone.app.record.getStatusActions()): its next
// status and, when that status takes one assignee from several, the users to choose from.
struct StatusAction {
  const Action* action;
  const State* next;
  std::vector<std::string> assignees;  // the next status's candidates
};

struct OpenTask {
  const Task* task;
  const Record* record;
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Time source (epoch ms) and id randomness; tests fix both. now() is read once per outermost
  // transaction: everything one request or one batch chunk writes carries the same time.
  void setClock(std::function<int64_t()> now);
  void seedIds(uint64_t seed);
  int64_t now() const;

  // ---- transactions ----------------------------------------------------------------------
  class Transaction {
   public:
    Transaction(Transaction&& o) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();  // rolls back unless committed
    // Ends the transaction; the outermost commit returns what changed (inner ones: empty).
    ChangeSet commit();

   private:
    friend class Engine;
    Transaction(Engine* e, size_t savepoint) : engine_(e), savepoint_(savepoint) {}
    Engine* engine_;
    size_t savepoint_;
  };
  Transaction begin();  // transactions nest; only the outermost one commits or rolls back
  // Undoes the most recent committed ChangeSet (storage could not persist it). Returns what it
  // restored, so storage can be told too; empty if there is nothing to undo.
  ChangeSet revertLast();
  // Drops the undo information of the last commit once storage has persisted it.
  void confirmLast();

  // ---- workspace ---------------------------------------------------------------------------
  // Replaces everything. Records without status get the app's initial status; tasks, when the
  // snapshot has none, are derived from each record's status and assignees. Throws on
  // inconsistent input (duplicate codes / ids, unknown status, ...).
  void load(Snapshot s);
  Snapshot snapshot() const;
  void reset();
  // What snapshot() holds, without copying it (storage encodes rows one at a time).
  std::vector<const Task*> allTasks() const;     // by app, record, entry
  std::vector<const Batch*> allBatches() const;  // by submission time
  int64_t nextAppId() const;

  // ---- directory ---------------------------------------------------------------------------
  const Directory& directory() const;
  Locale localeOf(const std::string& user) const;  // en for unknown users

  // ---- apps --------------------------------------------------------------------------------
  const App& app(int64_t id) const;  // GAIA_AP01
  const App* findApp(int64_t id) const;
  std::vector<const App*> apps() const;  // ascending id
  int64_t createApp(const std::string& user, const std::string& name,
                    std::optional<int64_t> spaceId = std::nullopt);
  // Preview settings; each returns the new preview revision. `revision` mismatch -> GAIA_CO03.
  int64_t updatePreviewProcess(int64_t app, ProcessSettings settings,
                               std::optional<int64_t> revision);
  int64_t addPreviewFields(int64_t app, std::vector<FieldDef> fields,
                           std::optional<int64_t> revision);
  // Deploys (or with revert, discards) the preview settings of each app.
  void deploy(const std::vector<std::pair<int64_t, std::optional<int64_t>>>& apps, bool revert);
  void setBatchApproval(int64_t app, BatchApprovalSettings settings);

  // ---- records -----------------------------------------------------------------------------
  const Record* findRecord(int64_t app, int64_t id) const;
  const Record& record(const std::string& user, int64_t app, int64_t id) const;  // GAIA_RE01
  // Records of an app matching `query` (see Query); total receives the unpaged count.
  std::vector<const Record*> findRecords(const std::string& user, int64_t app,
                                         const std::string& query, int64_t* total) const;
  const std::vector<const Record*>& allRecords(int64_t app) const;  // ascending id
  // The ids of every record of an app matching `query`, in its order: the set a record cursor
  // reads. A query with limit or offset: CB_VA01 (errors.query "cursor_paging").
  std::vector<int64_t> matchingIds(const std::string& user, int64_t app,
                                   const std::string& query) const;

  // Adds a record; returns (id, revision=1). Unknown field codes are ignored as kintone does;
  // values of system fields -> GAIA_UN10 (STATUS) / CB_VA01.
  std::pair<int64_t, int64_t> addRecord(const std::string& user, int64_t app, FieldValues values);
  // Updates the given fields; returns the new revision. revision mismatch -> GAIA_CO02.
  int64_t updateRecord(const std::string& user, int64_t app, int64_t id, FieldValues values,
                       std::optional<int64_t> revision);
  // Finds the record whose unique field `keyField` equals `keyValue` (GAIA_RE20 if none).
  int64_t findIdByKey(int64_t app, const std::string& keyField, const std::string& keyValue) const;
  void deleteRecords(const std::string& user, int64_t app, const std::vector<int64_t>& ids,
                     const std::vector<int64_t>& revisions);

  // Executes a process-management action; returns the new revision (+2).
  int64_t changeStatus(const std::string& user, int64_t app, const StatusRequest& req);
  // The actions `user` may run on the record now, in the app's order.
  std::vector<StatusAction> statusActions(const std::string& user, int64_t app, int64_t id) const;
  // Replaces the assignees (app administrators only in kintone; here any user); revision +1.
  int64_t setAssignees(const std::string& user, int64_t app, int64_t id,
                       const std::vector<std::string>& assignees, std::optional<int64_t> revision);

  // ---- record comments (kintone's record comments API) --------------------------------------
  // Adds a comment by `user`; the mentions' codes go in front of the text. Returns its id.
  int64_t addComment(const std::string& user, int64_t app, int64_t record, const std::string& text,
                     std::vector<Mention> mentions);
  // Only the comment's author may delete it (CB_NO02); an unknown id is RINGI_CM01.
  void deleteComment(const std::string& user, int64_t app, int64_t record, int64_t comment);

  // ---- tasks and batch approvals -----------------------------------------------------------
  const Task* findTask(const std::string& id) const;
  std::vector<OpenTask> openTasks(const std::string& user, std::optional<int64_t> app) const;
  std::vector<const Task*> tasksOf(int64_t app, int64_t record) const;  // in the order they opened
  // The record's tasks of status entries [fromEntry, toEntry), in the order they opened; looks
  // only at those (a record acted on a thousand times has a thousand older tasks).
  std::vector<const Task*> tasksOf(int64_t app, int64_t record, int64_t fromEntry,
                                   int64_t toEntry) const;

  // Whether each id may run `order` now (request order; a repeated id is duplicate_task).
  std::vector<CheckResult> check(const std::string& user, const std::vector<std::string>& taskIds,
                                 const BatchOrder& order = {}) const;
  // Stores a batch to run later (runChunk); `retryOf` links it to the batch it retries.
  std::string submit(const std::string& user, const std::vector<std::string>& taskIds,
                     BatchOrder order = {}, std::string retryOf = {});
  std::vector<const Batch*> batchesOf(const std::string& user) const;  // newest first
  const Batch* findBatch(const std::string& number) const;
  const Batch& batch(const std::string& user, const std::string& number) const;  // RINGI_BA01
  void cancel(const std::string& user, const std::string& number);
  // Runs up to maxTasks tasks of the oldest unfinished batch, in its own transaction when none
  // is open. Returns the batch's number, or nullopt when no batch is waiting.
  std::optional<std::string> runChunk(size_t maxTasks);
  // Ends the next task of the oldest unfinished batch as failed with `reason`, without running
  // it: the host's answer to a task whose run ended the engine (it would end the next one too).
  std::optional<std::string> failNextTask(CheckReason reason);
  bool hasPendingBatches() const;

 private:
  struct Store;    // every entity and the indices derived from them (engine_state.h)
  struct UndoLog;  // before-images of what a transaction touched

  // Every change goes through these, so the open transaction's undo log sees it.
  App& touchApp(int64_t id);
  // Touch::process when only the process fields change (status, assignees, revision, modifier,
  // updated time, history): the undo image then leaves the field values out (one copy less per
  // status change).
  // Touch::comments when only the comments change. The image of each leaves out what it keeps.
  enum class Touch { all, process, comments };
  Record& touchRecord(int64_t app, int64_t id, Touch what = Touch::all);
  void putRecord(Record r);
  void eraseRecord(int64_t app, int64_t id);
  void putTask(const TaskKey& key, Task t);
  using TaskIterator = std::unordered_map<TaskKey, Task, TaskKeyHash>::iterator;
  void putTaskAt(TaskIterator found, const TaskKey& key, Task t);  // found = tasks.find(key)
  // Ends an open task in place (closed or deleted): one copy, for the undo image.
  void endTaskAt(TaskIterator found, TaskState state, const std::string& actor, int64_t at);
  void putBatch(Batch b);
  void touchNextAppId();
  std::string newId();
  TaskKey newTaskKey();

  // Process management (engine_process.cpp).
  std::vector<std::string> resolveEntities(const std::vector<Entity>& entities,
                                           const Record& record) const;
  std::vector<std::string> nextAssignees(const App& app, const State& next, const Record& record,
                                         const std::optional<std::string>& chosen) const;
  bool conditionHolds(const App& app, const Action& action, const Record& record,
                      const std::string& user) const;
  bool mayAct(const Action& action, const Record& record, const std::string& user) const;
  static bool waitsForOthers(const State& from, const Action& action, const Record& record,
                             const std::string& user);
  void enterStatus(Record& record, const State& state, const std::string& action,
                   const std::string& actor, std::vector<std::string> assignees);
  void closeOpenTasks(const Record& record, const std::string& actor, const std::string* onlyFor);
  void openTasksFor(const Record& record);
  CheckResult checkTask(const std::string& user, const std::string& taskId, const BatchOrder& order,
                        std::optional<std::string>* assignee, const Action** action) const;

  Batch nextBatchRunning(int64_t at) const;
  BatchFailure failureOf(const std::string& taskId, CheckReason reason) const;
  static void finishIfDone(Batch& b, int64_t at);
  static void reserveArchived(Record& r);
  void restoreArchived(std::vector<HistoryChunk>& chunks);
  void orderTasksByEntry();
  static void checkFilterConds(App& app, const ProcessSettings& settings);

  void rollbackTo(UndoLog& log, size_t savepoint);
  ChangeSet changesOf(const UndoLog& log) const;

  std::unique_ptr<Store> s_;
  std::unique_ptr<UndoLog> undo_;       // the open transaction's before-images
  std::unique_ptr<UndoLog> lastUndo_;   // the last committed transaction's, until confirmed
  std::unique_ptr<UndoLog> spareUndo_;  // a confirmed log, emptied, kept for its capacity
  int depth_ = 0;
  int64_t transactionNow_ = 0;  // now_() when the outermost open transaction began
  std::function<int64_t()> now_;
  uint64_t rng_[2] = {0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL};
};

}  // namespace ringi::domain
