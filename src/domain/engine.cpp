// Engine core: time and ids, transactions with undo, workspace load / snapshot, apps.
#include "domain/engine.h"

#include <set>

#include "domain/engine_state.h"
#include "domain/entropy.h"

namespace ringi::domain {

Engine::Engine() : s_(std::make_unique<Store>()), now_(systemNowMs) { seedIds(randomSeed()); }

Engine::~Engine() = default;

void Engine::setClock(std::function<int64_t()> now) { now_ = std::move(now); }

void Engine::seedIds(uint64_t seed) {
  rng_[0] = splitmix64(seed);
  rng_[1] = splitmix64(seed);
}

int64_t Engine::now() const { return depth_ > 0 ? transactionNow_ : now_(); }

// xorshift128+: ids only need to be unique and unguessable enough for a local store.
TaskKey Engine::newTaskKey() {
  uint64_t halves[2];
  for (auto& half : halves) {
    uint64_t s1 = rng_[0];
    const uint64_t s0 = rng_[1];
    rng_[0] = s0;
    s1 ^= s1 << 23;
    rng_[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    half = rng_[1] + s0;
  }
  return TaskKey{halves[0], halves[1]};
}

std::string Engine::newId() { return formatTaskKey(newTaskKey()); }

std::optional<TaskKey> parseTaskKey(const std::string& id) {
  if (id.size() != 32) return std::nullopt;
  uint64_t parts[2] = {0, 0};
  for (size_t i = 0; i < 32; ++i) {
    const char c = id[i];
    uint64_t v;
    if (c >= '0' && c <= '9')
      v = static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v = static_cast<uint64_t>(c - 'a' + 10);
    else
      return std::nullopt;
    parts[i / 16] = (parts[i / 16] << 4) | v;
  }
  return TaskKey{parts[0], parts[1]};
}

void formatTaskKey(const TaskKey& key, char out[32]) {
  static const char* hex = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out[i] = hex[(key.hi >> ((15 - i) * 4)) & 15];
    out[16 + i] = hex[(key.lo >> ((15 - i) * 4)) & 15];
  }
}

std::string formatTaskKey(const TaskKey& key) {
  std::string id(32, '0');
  formatTaskKey(key, &id[0]);
  return id;
}

// ---- transactions ------------------------------------------------------------------------------

Engine::Transaction Engine::begin() {
  if (depth_ == 0) {
    transactionNow_ = now_();
    undo_ = spareUndo_ ? std::move(spareUndo_) : std::make_unique<UndoLog>();
    undo_->entries.reserve(8);  // a status change writes ~5 images
  }
  ++depth_;
  return Transaction(this, undo_->entries.size());
}

Engine::Transaction::Transaction(Transaction&& o) noexcept
    : engine_(o.engine_), savepoint_(o.savepoint_) {
  o.engine_ = nullptr;
}

Engine::Transaction::~Transaction() {
  if (!engine_) return;
  Engine& e = *engine_;
  e.rollbackTo(*e.undo_, savepoint_);
  if (--e.depth_ == 0) e.undo_.reset();
}

ChangeSet Engine::Transaction::commit() {
  Engine& e = *engine_;
  engine_ = nullptr;
  if (--e.depth_ > 0) return {};
  ChangeSet changes = e.changesOf(*e.undo_);
  e.lastUndo_ = std::move(e.undo_);
  return changes;
}

ChangeSet Engine::revertLast() {
  if (!lastUndo_) return {};
  ChangeSet changes = changesOf(*lastUndo_);
  rollbackTo(*lastUndo_, 0);
  lastUndo_.reset();
  return changes;
}

void Engine::confirmLast() {
  if (!lastUndo_) return;
  lastUndo_->entries.clear();
  // Keep the log's capacity for the next transaction, unless one big import or bulk call grew it.
  if (lastUndo_->entries.capacity() > 4096) lastUndo_->entries.shrink_to_fit();
  spareUndo_ = std::move(lastUndo_);
}

void Engine::rollbackTo(UndoLog& log, size_t savepoint) {
  while (log.entries.size() > savepoint) {
    auto& entry = log.entries.back();
    std::visit(
        [this](auto& image) {
          using T = std::decay_t<decltype(image)>;
          if constexpr (std::is_same_v<T, UndoLog::AppImage>) {
            if (image.before)
              s_->apps[image.id] = std::move(*image.before);
            else
              s_->apps.erase(image.id);
          } else if constexpr (std::is_same_v<T, UndoLog::RecordImage>) {
            s_->setRecord(image.key, std::move(image.before));
          } else if constexpr (std::is_same_v<T, UndoLog::RecordTouch>) {
            Record* current = s_->findRecord(image.key.first, image.key.second);
            if (current) {
              image.before.history = std::move(current->history);
              image.before.history.resize(image.historySize);
              if (image.lastEntry) image.before.history.back() = std::move(*image.lastEntry);
              if (!image.withValues) image.before.values = std::move(current->values);
              if (!image.withComments) image.before.comments = std::move(current->comments);
            }
            s_->setRecord(image.key, std::move(image.before));
          } else if constexpr (std::is_same_v<T, UndoLog::TaskImage>) {
            s_->setTask(image.key, std::move(image.before));
          } else if constexpr (std::is_same_v<T, UndoLog::BatchImage>) {
            s_->setBatch(image.number, std::move(image.before));
          } else if constexpr (std::is_same_v<T, UndoLog::CounterImage>) {
            s_->nextAppId = image.nextAppId;
          } else {
            s_ = std::move(image.before);
          }
        },
        entry);
    log.entries.pop_back();
  }
}

ChangeSet Engine::changesOf(const UndoLog& log) const {
  ChangeSet c;
  std::set<int64_t> apps;
  std::set<RecordKey> records;
  // The records whose archived count the transaction changed, with the count before (their first
  // image's): a few at most (one status change in 8 archives), so a list.
  std::vector<HistoryRange> moved;
  const auto recordImage = [&](const RecordKey& key, int64_t archivedBefore) {
    records.insert(key);
    const Record* now = s_->findRecord(key.first, key.second);
    const int64_t archivedNow = now ? now->archived : 0;
    if (archivedNow == archivedBefore) return;
    for (const HistoryRange& m : moved)
      if (m.key == key) return;
    moved.push_back({key, archivedBefore, archivedNow});
  };
  std::set<TaskKey> tasks;
  std::set<std::string> batches;
  for (const auto& entry : log.entries) {
    if (auto* a = std::get_if<UndoLog::AppImage>(&entry))
      apps.insert(a->id);
    else if (auto* r = std::get_if<UndoLog::RecordImage>(&entry))
      recordImage(r->key, r->before ? r->before->archived : 0);
    else if (auto* rt = std::get_if<UndoLog::RecordTouch>(&entry))
      recordImage(rt->key, rt->before.archived);
    else if (auto* t = std::get_if<UndoLog::TaskImage>(&entry)) {
      tasks.insert(t->key);
      // A task is part of its record: a changed task changes the record (and its stored row).
      if (auto now = s_->tasks.find(t->key); now != s_->tasks.end())
        records.insert({now->second.app, now->second.record});
      else if (t->before)
        records.insert({t->before->app, t->before->record});
    } else if (auto* b = std::get_if<UndoLog::BatchImage>(&entry))
      batches.insert(b->number);
    else if (std::holds_alternative<UndoLog::CounterImage>(entry))
      c.meta = true;
    else
      c.reset = true;
  }
  if (c.reset) {
    ChangeSet all;
    all.reset = all.directory = all.meta = true;
    return all;
  }
  c.apps.assign(apps.begin(), apps.end());
  c.records.reserve(records.size());
  c.tasks.reserve(tasks.size());
  for (const auto& key : records) {
    if (s_->findRecord(key.first, key.second))
      c.records.push_back(key);
    else
      c.deletedRecords.push_back(key);
  }
  // Chunks a live record archived are stored; a removed record's are removed.
  for (const HistoryRange& m : moved) {
    if (m.to > m.from)
      c.archived.push_back(m);
    else if (!s_->findRecord(m.key.first, m.key.second))
      c.unarchived.push_back({m.key, 0, m.from});
  }
  for (const TaskKey& key : tasks) c.tasks.push_back(formatTaskKey(key));
  c.batches.assign(batches.begin(), batches.end());
  return c;
}

App& Engine::touchApp(int64_t id) {
  auto it = s_->apps.find(id);
  if (it == s_->apps.end()) throw Error("GAIA_AP01", {std::to_string(id)});
  if (undo_) undo_->entries.push_back(UndoLog::AppImage{id, it->second});
  return it->second;
}

Record& Engine::touchRecord(int64_t app, int64_t id, Touch what) {
  Record* r = s_->findRecord(app, id);
  if (!r) throw Error("GAIA_RE01", {std::to_string(id)});
  if (undo_) {
    const bool withValues = what == Touch::all;
    const bool withComments = what != Touch::process;
    std::vector<StatusChange> history;
    history.swap(r->history);
    FieldValues values;
    if (!withValues) std::swap(values, r->values);
    std::vector<Comment> comments;
    if (!withComments) std::swap(comments, r->comments);
    // Copied straight into its place in the log: a Record is large, and moving it in cost two
    // moves.
    undo_->entries.emplace_back(std::in_place_type<UndoLog::RecordTouch>, RecordKey{app, id}, *r,
                                history, withValues, withComments);
    r->history.swap(history);
    if (!withValues) std::swap(r->values, values);
    if (!withComments) std::swap(r->comments, comments);
  }
  return *r;
}

void Engine::putRecord(Record r) {
  RecordKey key{r.app, r.id};
  if (undo_) {
    Record* old = s_->findRecord(key.first, key.second);
    undo_->entries.push_back(
        UndoLog::RecordImage{key, old ? std::optional<Record>(*old) : std::nullopt});
  }
  s_->setRecord(key, std::move(r));
}

void Engine::eraseRecord(int64_t app, int64_t id) {
  Record* old = s_->findRecord(app, id);
  if (!old) return;
  if (undo_) undo_->entries.push_back(UndoLog::RecordImage{{app, id}, *old});
  s_->setRecord({app, id}, std::nullopt);
}

void Engine::putTask(const TaskKey& key, Task t) {
  putTaskAt(s_->tasks.find(key), key, std::move(t));
}

void Engine::putTaskAt(TaskIterator old, const TaskKey& key, Task t) {
  if (undo_)
    undo_->entries.emplace_back(std::in_place_type<UndoLog::TaskImage>, key,
                                old == s_->tasks.end() ? nullptr : &old->second);
  s_->setTaskAt(old, key, std::move(t));
}

void Engine::endTaskAt(TaskIterator found, TaskState state, const std::string& actor, int64_t at) {
  Task& t = found->second;
  if (undo_) undo_->entries.emplace_back(std::in_place_type<UndoLog::TaskImage>, found->first, &t);
  s_->unindexOpenTask(found->first, t);
  t.state = state;
  t.closedAt = at;
  t.closedBy = actor;
}

void Engine::putBatch(Batch b) {
  if (undo_) {
    auto old = s_->batches.find(b.number);
    undo_->entries.push_back(UndoLog::BatchImage{
        b.number, old == s_->batches.end() ? std::nullopt : std::optional<Batch>(old->second)});
  }
  std::string number = b.number;
  s_->setBatch(number, std::move(b));
}

void Engine::touchNextAppId() {
  if (undo_) undo_->entries.push_back(UndoLog::CounterImage{s_->nextAppId});
}

// ---- workspace -----------------------------------------------------------------------------

namespace {
Error invalidWorkspace(const std::string& detail) { return Error("RINGI_WS01", {detail}); }

void normalizeProcess(ProcessSettings& p) {
  std::stable_sort(p.states.begin(), p.states.end(),
                   [](const State& a, const State& b) { return a.index < b.index; });
}
}  // namespace

namespace {
// The `at` of an archived entry whose chunk has not been put in its place yet (no real time).
constexpr int64_t kNotRestored = INT64_MIN;

[[noreturn]] void badHistory(const Record& r, std::initializer_list<std::string_view> what) {
  std::string text =
      joined({"record ", std::to_string(r.id), " of app ", std::to_string(r.app), " "});
  for (auto w : what) text.append(w.data(), w.size());
  throw invalidWorkspace(text);
}
}  // namespace

// Makes room in front of a record's own entries for its archived chunks (Engine::load puts each
// in its place, in whatever order they come: no sort, no map).
void Engine::reserveArchived(Record& r) {
  if (r.archived == 0) return;
  if (r.archived < 0 || r.archived % kHistoryChunk != 0)
    badHistory(r, {"says ", std::to_string(r.archived),
                   " history entries are archived, not a multiple of 8"});
  if (r.history.empty()) badHistory(r, {"has archived history but no current status entry"});
  std::vector<StatusChange> own;
  own.swap(r.history);
  r.history.resize(static_cast<size_t>(r.archived) + own.size());
  for (int64_t i = 0; i < r.archived; i += kHistoryChunk)
    r.history[static_cast<size_t>(i)].at = kNotRestored;
  std::move(own.begin(), own.end(), r.history.begin() + r.archived);
}

void Engine::restoreArchived(std::vector<HistoryChunk>& chunks) {
  for (HistoryChunk& c : chunks) {
    Record* r = s_->findRecord(c.app, c.record);
    if (!r)
      throw invalidWorkspace(joined({"history rows of record ", std::to_string(c.record),
                                     " of app ", std::to_string(c.app), ", which is not stored"}));
    if (c.from < 0 || c.from % kHistoryChunk != 0 || c.from >= r->archived ||
        static_cast<int64_t>(c.entries.size()) != kHistoryChunk ||
        r->history[static_cast<size_t>(c.from)].at != kNotRestored)
      badHistory(*r, {"has a history row from entry ", std::to_string(c.from), " with ",
                      std::to_string(c.entries.size()), " entries, not one of the ",
                      std::to_string(r->archived / kHistoryChunk), " rows of 8 it archived"});
    std::move(c.entries.begin(), c.entries.end(), r->history.begin() + c.from);
  }
  chunks.clear();
  for (const auto& [app, list] : s_->recordsByApp)
    for (const Record* r : list)
      for (int64_t from = 0; from < r->archived; from += kHistoryChunk)
        if (r->history[static_cast<size_t>(from)].at == kNotRestored)
          badHistory(*r, {"has no history row from entry ", std::to_string(from), " (",
                          std::to_string(r->archived / kHistoryChunk), " expected)"});
}

// A record's tasks in the order they opened, which is status-entry order: stored rows bring an
// archived chunk's tasks after the record's own. An insertion sort, stable and linear on lists
// that are nearly in order, instead of std::stable_sort (its instantiation was ~5 KB of wasm).
void Engine::orderTasksByEntry() {
  for (auto& [record, keys] : s_->tasksByRecord) {
    for (size_t i = 1; i < keys.size(); ++i) {
      const TaskKey key = keys[i];
      const int64_t entry = s_->tasks.at(key).entry;
      size_t j = i;
      for (; j > 0 && s_->tasks.at(keys[j - 1]).entry > entry; --j) keys[j] = keys[j - 1];
      keys[j] = key;
    }
  }
}

void Engine::load(Snapshot snap) {
  auto tx = begin();
  auto next = std::make_unique<Store>();
  Store& st = *next;
  std::set<std::string> seen;
  for (auto& u : snap.users) {
    if (u.code.empty() || !seen.insert(u.code).second)
      throw invalidWorkspace("duplicate or empty user code: " + u.code);
    st.directory.addUser(std::move(u));
  }
  seen.clear();
  for (auto& o : snap.organizations) {
    if (o.code.empty() || !seen.insert(o.code).second)
      throw invalidWorkspace("duplicate or empty organization code: " + o.code);
    st.directory.addOrganization(std::move(o));
  }
  seen.clear();
  for (auto& g : snap.groups) {
    if (g.code.empty() || !seen.insert(g.code).second)
      throw invalidWorkspace("duplicate or empty group code: " + g.code);
    st.directory.addGroup(std::move(g));
  }
  int64_t maxApp = 0;
  for (auto& a : snap.apps) {
    if (a.id <= 0 || st.apps.count(a.id))
      throw invalidWorkspace("duplicate or invalid app id: " + std::to_string(a.id));
    normalizeProcess(a.process);
    normalizeProcess(a.previewProcess);
    for (const auto& action : a.process.actions)
      if (!a.process.findState(action.from) || !a.process.findState(action.to))
        throw invalidWorkspace("action '" + action.name + "' of app " + std::to_string(a.id) +
                               " names an unknown status");
    maxApp = std::max(maxApp, a.id);
    st.apps.emplace(a.id, std::move(a));
  }
  st.nextAppId = std::max(snap.nextAppId, maxApp + 1);

  // Swap in the new state now so record defaults and task derivation can use the normal helpers.
  if (undo_) undo_->entries.push_back(UndoLog::StateImage{std::move(s_)});
  s_ = std::move(next);
  // That one image undoes the whole load, so the helpers record no per-entity images meanwhile:
  // deriving 100,000 open tasks used to keep 100,000 task images (~29 MB in wasm) until the
  // next call. Declared after `tx`, so the log is back in place before tx can roll back.
  struct PauseImages {
    std::unique_ptr<UndoLog>& slot;
    std::unique_ptr<UndoLog> held = std::move(slot);
    void resume() {
      if (held) slot = std::move(held);
    }
    ~PauseImages() { resume(); }
  } pause{undo_};

  const int64_t at = now();
  const bool deriveTasks = snap.tasks.empty();
  s_->tasks.reserve(snap.tasks.empty() ? snap.records.size() : snap.tasks.size());
  for (; !snap.records.empty(); snap.records.pop_front()) {  // frees the snapshot as it goes
    Record& r = snap.records.front();
    reserveArchived(r);
    auto appIt = s_->apps.find(r.app);
    if (appIt == s_->apps.end())
      throw invalidWorkspace("record for unknown app " + std::to_string(r.app));
    App& app = appIt->second;
    if (r.id <= 0) r.id = app.nextRecordId;
    if (s_->findRecord(r.app, r.id))
      throw invalidWorkspace("duplicate record id " + std::to_string(r.id) + " in app " +
                             std::to_string(r.app));
    app.nextRecordId = std::max(app.nextRecordId, r.id + 1);
    if (r.revision <= 0) r.revision = 1;
    if (r.createdAt == 0) r.createdAt = at;
    if (r.updatedAt == 0) r.updatedAt = r.createdAt;
    if (r.modifier.empty()) r.modifier = r.creator;
    if (app.process.configured && !app.process.states.empty()) {
      if (r.status.empty()) {
        const State& initial = *app.process.initialState();
        r.status = initial.name;
        auto cands = resolveEntities(initial.entities, r);
        if (!cands.empty()) r.assignees = {cands.front()};
      } else if (!app.process.findState(r.status)) {
        throw invalidWorkspace("record " + std::to_string(r.id) + " has unknown status '" +
                               r.status + "'");
      }
      if (r.history.empty())
        r.history.push_back(StatusChange{r.createdAt, r.status, "", r.creator, r.assignees});
    }
    const RecordKey key{r.app, r.id};
    s_->setRecord(key, std::move(r));
    if (deriveTasks && app.process.enable) openTasksFor(*s_->findRecord(key.first, key.second));
  }
  restoreArchived(snap.history);
  for (; !snap.tasks.empty(); snap.tasks.pop_front()) {
    Task& t = snap.tasks.front();
    if (s_->tasks.count(t.key)) throw invalidWorkspace("bad or duplicate task id " + t.id());
    const TaskKey key = t.key;
    s_->setTask(key, std::move(t));
  }
  orderTasksByEntry();  // closeOpenTasks and tasksOf rely on it
  for (auto& b : snap.batches) {
    if (b.number.empty() || s_->batches.count(b.number))
      throw invalidWorkspace("bad batch number " + b.number);
    std::string number = b.number;
    s_->setBatch(number, std::move(b));
  }
  pause.resume();
  tx.commit();
}

std::vector<const Task*> Engine::tasksOf(int64_t app, int64_t record, int64_t fromEntry,
                                         int64_t toEntry) const {
  std::vector<const Task*> out;
  auto it = s_->tasksByRecord.find({app, record});
  if (it == s_->tasksByRecord.end()) return out;
  const std::vector<TaskKey>& keys = it->second;
  size_t first = keys.size();
  while (first > 0 && s_->tasks.at(keys[first - 1]).entry >= fromEntry) --first;
  for (size_t i = first; i < keys.size(); ++i) {
    const Task& t = s_->tasks.at(keys[i]);
    if (t.entry < toEntry) out.push_back(&t);
  }
  return out;
}

std::vector<const Task*> Engine::allTasks() const {
  std::vector<const Task*> tasks;
  tasks.reserve(s_->tasks.size());
  for (const auto& [key, t] : s_->tasks) tasks.push_back(&t);
  std::sort(tasks.begin(), tasks.end(), [](const Task* a, const Task* b) {
    return std::tie(a->app, a->record, a->entry, a->key) <
           std::tie(b->app, b->record, b->entry, b->key);
  });
  return tasks;
}

std::vector<const Batch*> Engine::allBatches() const {
  std::vector<const Batch*> batches;
  for (const auto& [n, b] : s_->batches) batches.push_back(&b);
  std::sort(batches.begin(), batches.end(), [](const Batch* a, const Batch* b) {
    return std::tie(a->createdAt, a->number) < std::tie(b->createdAt, b->number);
  });
  return batches;
}

int64_t Engine::nextAppId() const { return s_->nextAppId; }

Snapshot Engine::snapshot() const {
  Snapshot snap;
  snap.users = s_->directory.users();
  snap.organizations = s_->directory.organizations();
  snap.groups = s_->directory.groups();
  for (const auto& [id, app] : s_->apps) snap.apps.push_back(app);
  for (const auto& [appId, app] : s_->apps)
    for (const Record* r : s_->orderedRecords(appId)) snap.records.push_back(*r);
  for (const Task* t : allTasks()) snap.tasks.push_back(*t);
  for (const Batch* b : allBatches()) snap.batches.push_back(*b);
  snap.nextAppId = s_->nextAppId;
  return snap;
}

void Engine::reset() {
  auto tx = begin();
  if (undo_) undo_->entries.push_back(UndoLog::StateImage{std::move(s_)});
  s_ = std::make_unique<Store>();
  tx.commit();
}

// ---- directory and apps --------------------------------------------------------------------

const Directory& Engine::directory() const { return s_->directory; }

Locale Engine::localeOf(const std::string& user) const {
  const User* u = s_->directory.findUser(user);
  return u ? u->locale : Locale::en;
}

const App* Engine::findApp(int64_t id) const {
  auto it = s_->apps.find(id);
  return it == s_->apps.end() ? nullptr : &it->second;
}

const App& Engine::app(int64_t id) const {
  const App* a = findApp(id);
  if (!a) throw Error("GAIA_AP01", {std::to_string(id)});
  return *a;
}

std::vector<const App*> Engine::apps() const {
  std::vector<const App*> out;
  for (const auto& [id, a] : s_->apps) out.push_back(&a);
  return out;
}

int64_t Engine::createApp(const std::string& user, const std::string& name,
                          std::optional<int64_t> spaceId) {
  auto tx = begin();
  touchNextAppId();
  App app;
  app.id = s_->nextAppId++;
  app.name = name;
  app.creator = user;
  app.createdAt = app.modifiedAt = now();
  app.spaceId = spaceId;
  app.locale = localeOf(user) == Locale::en ? Locale::en : Locale::ja;
  if (undo_) undo_->entries.push_back(UndoLog::AppImage{app.id, std::nullopt});
  int64_t id = app.id;
  s_->apps.emplace(id, std::move(app));
  tx.commit();
  return id;
}

namespace {
void checkSettingsRevision(const App& app, std::optional<int64_t> revision) {
  if (revision && *revision != -1 && *revision != app.previewRevision)
    throw Error("GAIA_CO03", {std::to_string(app.id)});
}
}  // namespace

// Each action's filterCond must be a condition the status change can run (against the preview
// fields): one that cannot is refused when saved, not when an approver acts. A syntax or depth
// error is reported under the action's key; an unknown field or operator as the query API does.
void Engine::checkFilterConds(App& app, const ProcessSettings& settings) {
  // Parsed against the preview fields, swapped in for the parse (and back, however it ends).
  struct Swap {
    App& a;
    explicit Swap(App& app) : a(app) { a.fields.swap(a.previewFields); }
    ~Swap() { a.fields.swap(a.previewFields); }
  } preview(app);
  for (size_t i = 0; i < settings.actions.size(); ++i) {
    const std::string& cond = settings.actions[i].filterCond;
    if (cond.empty()) continue;
    try {
      Query::parse(cond, app, /*conditionOnly=*/true);
    } catch (const Error& e) {
      if (e.code() != "CB_VA01" || e.fields().empty()) throw;
      const FieldError& f = e.fields().front();
      throw invalidInput(joined({"actions[", std::to_string(i), "].filterCond"}), f.message,
                         f.args);
    }
  }
}

int64_t Engine::updatePreviewProcess(int64_t appId, ProcessSettings settings,
                                     std::optional<int64_t> revision) {
  auto tx = begin();
  App& app = touchApp(appId);
  checkSettingsRevision(app, revision);
  normalizeProcess(settings);
  for (const auto& action : settings.actions)
    if (!settings.findState(action.from) || !settings.findState(action.to))
      throw invalidInput("actions", "invalid_value");
  checkFilterConds(app, settings);
  app.previewProcess = std::move(settings);
  app.previewRevision++;
  int64_t rev = app.previewRevision;
  tx.commit();
  return rev;
}

int64_t Engine::addPreviewFields(int64_t appId, std::vector<FieldDef> fields,
                                 std::optional<int64_t> revision) {
  auto tx = begin();
  App& app = touchApp(appId);
  checkSettingsRevision(app, revision);
  for (auto& f : fields) {
    bool exists = false;
    for (const auto& existing : app.previewFields) exists = exists || existing.code == f.code;
    if (exists || f.code.empty())
      throw invalidInput("properties." + f.code + ".code", "invalid_value");
    app.previewFields.push_back(std::move(f));
  }
  app.previewRevision++;
  int64_t rev = app.previewRevision;
  tx.commit();
  return rev;
}

void Engine::deploy(const std::vector<std::pair<int64_t, std::optional<int64_t>>>& targets,
                    bool revert) {
  auto tx = begin();
  for (const auto& [appId, revision] : targets) {
    App& app = touchApp(appId);
    checkSettingsRevision(app, revision);
    if (revert) {
      app.previewFields = app.fields;
      app.previewProcess = app.process;
      app.previewRevision = app.revision;
      continue;
    }
    const bool wasConfigured = app.process.configured;
    app.fields = app.previewFields;
    app.process = app.previewProcess;
    app.revision = app.previewRevision;
    app.modifiedAt = now();
    // Enabling process management for the first time puts existing records in the initial
    // status, as kintone does.
    if (app.process.enable && app.process.configured && !app.process.states.empty()) {
      const State& initial = *app.process.initialState();
      for (const Record* r : allRecords(appId)) {
        if (!r->status.empty() && app.process.findState(r->status)) continue;
        Record& rec = touchRecord(appId, r->id, Touch::process);
        closeOpenTasks(rec, "", nullptr);
        rec.status.clear();
        auto cands = resolveEntities(initial.entities, rec);
        enterStatus(
            rec, initial, "", wasConfigured ? app.creator : rec.creator,
            cands.empty() ? std::vector<std::string>{} : std::vector<std::string>{cands.front()});
        openTasksFor(rec);
      }
    }
  }
  tx.commit();
}

void Engine::setBatchApproval(int64_t appId, BatchApprovalSettings settings) {
  auto tx = begin();
  App& app = touchApp(appId);
  app.batchApproval = std::move(settings);
  tx.commit();
}

}  // namespace ringi::domain
