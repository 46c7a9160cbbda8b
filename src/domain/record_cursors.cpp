#include "domain/record_cursors.h"

#include <algorithm>

#include "domain/entropy.h"
#include "domain/error.h"

namespace ringi::domain {

std::string RecordCursors::newId() {
  // kintone's shape: 8-4-4-4-12 lower-case hex.
  static const char* hex = "0123456789abcdef";
  const uint64_t a = splitmix64(idState_), b = splitmix64(idState_);
  std::string id;
  for (int i = 0; i < 32; ++i) {
    const uint64_t word = i < 16 ? a : b;
    id.push_back(hex[(word >> ((i % 16) * 4)) & 0xf]);
    if (i == 7 || i == 11 || i == 15 || i == 19) id.push_back('-');
  }
  return id;
}

void RecordCursors::expire(int64_t now) {
  open_.erase(std::remove_if(open_.begin(), open_.end(),
                             [now](const RecordCursor& c) { return c.expiresAt <= now; }),
              open_.end());
}

const std::string& RecordCursors::open(RecordCursor cursor, int64_t now) {
  expire(now);
  if (open_.size() >= kMaxOpen) throw Error("GAIA_TM12");
  cursor.id = newId();
  cursor.expiresAt = now + kLifetimeMs;
  open_.push_back(std::move(cursor));
  return open_.back().id;
}

RecordCursor& RecordCursors::find(const std::string& id, const std::string& user, int64_t now) {
  expire(now);
  for (auto& c : open_)
    if (c.id == id && c.user == user) return c;
  throw Error("GAIA_CN01");
}

std::vector<int64_t> RecordCursors::read(const std::string& id, const std::string& user,
                                         int64_t now, bool* more, RecordCursor* about) {
  RecordCursor& c = find(id, user, now);
  const std::size_t end = std::min(c.ids.size(), c.next + c.size);
  std::vector<int64_t> page(c.ids.begin() + static_cast<std::ptrdiff_t>(c.next),
                            c.ids.begin() + static_cast<std::ptrdiff_t>(end));
  c.next = end;
  *more = end < c.ids.size();
  about->app = c.app;
  about->fields = c.fields;
  if (*more)
    c.expiresAt = now + kLifetimeMs;
  else
    close(id, user, now);  // kintone: the cursor is gone once next is false
  return page;
}

void RecordCursors::close(const std::string& id, const std::string& user, int64_t now) {
  const RecordCursor& c = find(id, user, now);
  open_.erase(open_.begin() + (&c - open_.data()));
}

}  // namespace ringi::domain
