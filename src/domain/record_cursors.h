// kintone's record cursors (POST/GET/DELETE /k/v1/records/cursor.json): the ids a query matched
// when the cursor was made, read a page at a time. They are read state, not data: kept in memory
// only, never in a change set, and gone with the engine instance, as they expire anyway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/entropy.h"

namespace ringi::domain {

struct RecordCursor {
  std::string id;
  std::string user;  // only its maker reads or deletes it
  int64_t app = 0;
  std::vector<std::string> fields;  // as given; empty = every field
  std::vector<int64_t> ids;         // the matched records, in the query's order
  std::size_t next = 0;             // ids[next] is the first of the next page
  std::size_t size = 100;           // records per page
  int64_t expiresAt = 0;            // epoch ms
};

class RecordCursors {
 public:
  static constexpr std::size_t kMaxOpen = 10;  // at once, for the whole engine (kintone: a domain)
  static constexpr int64_t kLifetimeMs = 10 * 60 * 1000;  // after its making or its last read

  // Keeps `cursor` under a new id and returns it. kMaxOpen already open: GAIA_TM12.
  const std::string& open(RecordCursor cursor, int64_t now);
  // The next page's ids, and whether more follow; the last page closes the cursor. Unknown,
  // expired or another user's: GAIA_CN01.
  std::vector<int64_t> read(const std::string& id, const std::string& user, int64_t now, bool* more,
                            RecordCursor* about);
  // Unknown, expired or another user's: GAIA_CN01.
  void close(const std::string& id, const std::string& user, int64_t now);
  void clear() { open_.clear(); }

 private:
  void expire(int64_t now);
  RecordCursor& find(const std::string& id, const std::string& user, int64_t now);
  std::string newId();

  std::vector<RecordCursor> open_;
  uint64_t idState_ = randomSeed();  // ids are not guessable (ownership is checked as well)
};

}  // namespace ringi::domain
