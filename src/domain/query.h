// kintone's query language (the subset Ringi supports), parsed once and run over records.
//
//   <cond> [and|or <cond>]...  [order by <field> [asc|desc][, ...]]  [limit N]  [offset M]
//
// Conditions: = != < > <= >= in / not in (…) like / not like, parentheses, string literals in
// double quotes (\" and \\ escapes), numbers, and the functions LOGINUSER(),
// PRIMARY_ORGANIZATION(), NOW(), TODAY(). Field codes resolve against the app's fields and the
// system fields ($id, the record number, status, assignee, creator, modifier, created/updated
// time).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "domain/directory.h"
#include "domain/types.h"

namespace ringi::domain {

// What evaluation needs besides the record.
struct QueryEnv {
  const Directory* directory = nullptr;
  std::string loginUser;
  int64_t nowMs = 0;  // for NOW() / TODAY()
};

class Query {
 public:
  // Parses `text` for `app`. Throws domain::Error:
  //   CB_VA01 (errors.query = "query_syntax") on a syntax error,
  //   GAIA_IQ11 (args: field code) for an unknown field,
  //   GAIA_IQ03 (args: field code) for an operator the field's type does not allow,
  //   GAIA_QU01 when limit > 500, GAIA_QU02 when offset > 10000,
  //   CB_VA01 (errors.query = "query_depth") when parentheses nest more than 32 deep.
  // With conditionOnly (an action's filterCond), order by / limit / offset are syntax errors.
  static Query parse(const std::string& text, const App& app, bool conditionOnly = false);

  Query();
  ~Query();
  Query(Query&&) noexcept;
  Query& operator=(Query&&) noexcept;

  bool hasCondition() const;
  bool matches(const Record& r, const QueryEnv& env) const;

  // Filters `records` (ascending $id), sorts (default: $id desc), applies offset and limit
  // (default 100). `total`, when not null, receives the count before offset/limit.
  std::vector<const Record*> run(const std::vector<const Record*>& records, const QueryEnv& env,
                                 int64_t* total = nullptr) const;

  int64_t limit() const;
  int64_t offset() const;
  bool paged() const;  // the text has limit or offset
  // Every matching record from run(), not a page: for a record cursor.
  void unpaged();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ringi::domain
