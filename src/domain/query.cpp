// kintone query language: tokenizer, parser that compiles the condition into a predicate tree with
// field accessors resolved up front, and an evaluator that does no allocation per record.
#include "domain/query.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "domain/error.h"

#if defined(__GNUC__) || defined(__clang__)
#define RINGI_HOT_INLINE __attribute__((always_inline)) inline
#else
#define RINGI_HOT_INLINE inline
#endif

namespace ringi::domain {

namespace {

// ---------------------------------------------------------------------------------------------
// Errors
[[noreturn]] void syntaxError() { throw invalidInput("query", "query_syntax"); }
// Parentheses nest at most this deep: parsing, evaluating and freeing a condition recurse once per
// level, and wasm's stack is small (5,000 levels overflowed it, 20,000 the native CLI's).
constexpr int kMaxDepth = 32;
[[noreturn]] void tooDeep() { throw invalidInput("query", "query_depth", {"32"}); }
static_assert(kMaxDepth == 32, "tooDeep() names the limit");
[[noreturn]] void badOperator(const std::string& code) { throw Error("GAIA_IQ03", {code}); }
[[noreturn]] void unknownField(const std::string& code) { throw Error("GAIA_IQ11", {code}); }

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 500;
constexpr int64_t kMaxOffset = 10000;

// ---------------------------------------------------------------------------------------------
// Small helpers
char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  return true;
}

std::string toLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lowerAscii(c);
  return out;
}

// Case-insensitive (ASCII) substring search; `needle` is already lower-case.
// String equality without a call to memcmp: in wasm memcmp is a byte loop behind a call, and
// the approval query compares a status and an assignee per record (a quarter of its scan time).
RINGI_HOT_INLINE bool sameText(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t u, v;
    std::memcpy(&u, x + i, 8);
    std::memcpy(&v, y + i, 8);
    if (u != v) return false;
  }
  for (; i < n; ++i)
    if (x[i] != y[i]) return false;
  return true;
}

bool containsCi(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  const size_t last = hay.size() - needle.size();
  for (size_t i = 0; i <= last; ++i) {
    size_t j = 0;
    while (j < needle.size() && lowerAscii(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

// Parses a whole string as a number; false when it is not one.
bool parseNumber(const std::string& s, double& out) {
  if (s.empty()) return false;
  const char c0 = s[0];
  if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.')) return false;
  for (char c : s)  // decimal only: strtod would also take hex ("0x10")
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
      return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Days since 1970-01-01 for a civil date (H. Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool digitsAt(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "YYYY-MM-DD" at the start of s.
bool parseDatePrefix(std::string_view s, int64_t& y, int64_t& m, int64_t& d) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digitsAt(s, 0, 4, y) || !digitsAt(s, 5, 2, m) || !digitsAt(s, 8, 2, d)) return false;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

bool isDateOnly(std::string_view s) {
  int64_t y, m, d;
  return s.size() == 10 && parseDatePrefix(s, y, m, d);
}

// "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM|+HHMM]" -> epoch seconds (no zone = UTC).
bool parseDateTime(std::string_view s, int64_t& secs) {
  int64_t y, mo, d, h, mi, sec = 0;
  if (!parseDatePrefix(s, y, mo, d)) return false;
  if (s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':') return false;
  if (!digitsAt(s, 11, 2, h) || !digitsAt(s, 14, 2, mi) || h > 23 || mi > 59) return false;
  size_t p = 16;
  if (p < s.size() && s[p] == ':') {
    if (!digitsAt(s, p + 1, 2, sec) || sec > 60) return false;
    p += 3;
    if (p < s.size() && s[p] == '.') {
      ++p;
      const size_t start = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == start) return false;
    }
  }
  int64_t offset = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      const int sign = s[p] == '-' ? -1 : 1;
      int64_t oh, om;
      if (!digitsAt(s, p + 1, 2, oh)) return false;
      size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      if (!digitsAt(s, q, 2, om)) return false;
      p = q + 2;
      offset = sign * (oh * 3600 + om * 60);
    } else {
      return false;
    }
  }
  if (p != s.size()) return false;
  secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  return true;
}

// "HH:MM" or "HH:MM:SS" -> "HH:MM"
bool isTime(std::string_view s) {
  int64_t h, m, sec;
  if (s.size() != 5 && s.size() != 8) return false;
  if (s[2] != ':' || !digitsAt(s, 0, 2, h) || !digitsAt(s, 3, 2, m) || h > 23 || m > 59)
    return false;
  if (s.size() == 8 && (s[5] != ':' || !digitsAt(s, 6, 2, sec) || sec > 59)) return false;
  return true;
}

std::string formatDate(int64_t day) {
  int64_t y, m, d;
  civilFromDays(day, y, m, d);
  y = std::clamp<int64_t>(y, 0, 9999);
  std::string out = "0000-00-00";
  for (int i = 3; i >= 0; --i, y /= 10)
    out[static_cast<size_t>(i)] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
enum class Tok { Word, Str, LParen, RParen, Comma, Op, End };

struct Token {
  Tok type = Tok::End;
  std::string text;
};

bool isWordChar(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
    case '(':
    case ')':
    case ',':
    case '"':
    case '=':
    case '!':
    case '<':
    case '>':
      return false;
    default:
      return true;
  }
}

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '(') {
      out.push_back({Tok::LParen, "("});
      ++i;
    } else if (c == ')') {
      out.push_back({Tok::RParen, ")"});
      ++i;
    } else if (c == ',') {
      out.push_back({Tok::Comma, ","});
      ++i;
    } else if (c == '=') {
      out.push_back({Tok::Op, "="});
      ++i;
    } else if (c == '!') {
      if (i + 1 < n && s[i + 1] == '=') {
        out.push_back({Tok::Op, "!="});
        i += 2;
      } else {
        syntaxError();
      }
    } else if (c == '<' || c == '>') {
      if (i + 1 < n && s[i + 1] == '=') {
        out.push_back({Tok::Op, std::string(1, c) + "="});
        i += 2;
      } else {
        out.push_back({Tok::Op, std::string(1, c)});
        ++i;
      }
    } else if (c == '"') {
      std::string v;
      ++i;
      bool closed = false;
      while (i < n) {
        const char d = s[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\t' || d == '\n' || d == '\r') syntaxError();
        if (d == '\\') {
          if (i + 1 >= n) syntaxError();
          const char e = s[i + 1];
          if (e == '"' || e == '\\') {
            v.push_back(e);
          } else {
            v.push_back('\\');
            v.push_back(e);
          }
          i += 2;
          continue;
        }
        v.push_back(d);
        ++i;
      }
      if (!closed) syntaxError();
      out.push_back({Tok::Str, std::move(v)});
    } else {
      const size_t start = i;
      while (i < n && isWordChar(s[i])) ++i;
      out.push_back({Tok::Word, s.substr(start, i - start)});
    }
  }
  out.push_back({Tok::End, ""});
  return out;
}

// ---------------------------------------------------------------------------------------------
// Compiled query
enum class Op { EQ, NE, LT, GT, LE, GE, IN, NOT_IN, LIKE, NOT_LIKE };

unsigned bit(Op o) { return 1u << static_cast<unsigned>(o); }

constexpr unsigned kAllCmp = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5);
constexpr unsigned kEqNe = (1u << 0) | (1u << 1);
constexpr unsigned kIn = (1u << 6) | (1u << 7);
constexpr unsigned kLike = (1u << 8) | (1u << 9);

// Where a record keeps a field's value.
enum class Acc {
  Id,
  Revision,
  Status,
  Assignees,
  Creator,
  Modifier,
  Created,
  Updated,
  Text,
  Items
};

// How values are compared.
enum class Cmp { Num, Str, Set, Date, Time, DateTime };

enum class Fn { None, LoginUser, PrimaryOrg, Now, Today };

struct Operand {
  Fn fn = Fn::None;
  std::string str;   // Str/Set/Date/Time literal (Date/Time normalised; lower-cased for like)
  double num = 0;    // Num literal
  int64_t secs = 0;  // DateTime literal
  int64_t day = 0;   // DateTime literal given as a date
  bool dateOnly = false;
  bool empty = false;  // the literal ""
};

struct Node {
  enum Type { And, Or, Cond } type = Cond;
  std::vector<Node> kids;
  Acc acc = Acc::Id;
  Cmp cmp = Cmp::Num;
  Op op = Op::EQ;
  std::string code;  // user field code for Acc::Text / Acc::Items
  std::vector<Operand> operands;
};

struct SortKey {
  Acc acc = Acc::Id;
  Cmp cmp = Cmp::Num;
  std::string code;
  bool desc = false;
};

struct FieldInfo {
  FieldType type;
  Acc acc;
  Cmp cmp;
};

Cmp cmpFor(FieldType t) {
  switch (t) {
    case FieldType::ID:
    case FieldType::RECORD_NUMBER:
    case FieldType::REVISION:
    case FieldType::NUMBER:
    case FieldType::CALC:
      return Cmp::Num;
    case FieldType::STATUS_ASSIGNEE:
    case FieldType::CREATOR:
    case FieldType::MODIFIER:
    case FieldType::USER_SELECT:
    case FieldType::ORGANIZATION_SELECT:
    case FieldType::GROUP_SELECT:
    case FieldType::CHECK_BOX:
    case FieldType::MULTI_SELECT:
    case FieldType::CATEGORY:
      return Cmp::Set;
    case FieldType::DATE:
      return Cmp::Date;
    case FieldType::TIME:
      return Cmp::Time;
    case FieldType::DATETIME:
    case FieldType::CREATED_TIME:
    case FieldType::UPDATED_TIME:
      return Cmp::DateTime;
    default:
      return Cmp::Str;
  }
}

Acc accFor(FieldType t) {
  switch (t) {
    case FieldType::ID:
    case FieldType::RECORD_NUMBER:
      return Acc::Id;
    case FieldType::REVISION:
      return Acc::Revision;
    case FieldType::STATUS:
      return Acc::Status;
    case FieldType::STATUS_ASSIGNEE:
      return Acc::Assignees;
    case FieldType::CREATOR:
      return Acc::Creator;
    case FieldType::MODIFIER:
      return Acc::Modifier;
    case FieldType::CREATED_TIME:
      return Acc::Created;
    case FieldType::UPDATED_TIME:
      return Acc::Updated;
    default:
      return isMultiValued(t) ? Acc::Items : Acc::Text;
  }
}

unsigned allowedOps(FieldType t) {
  switch (t) {
    case FieldType::ID:
    case FieldType::RECORD_NUMBER:
    case FieldType::REVISION:
    case FieldType::NUMBER:
    case FieldType::CALC:
      return kAllCmp | kIn;
    case FieldType::STATUS:
      return kEqNe | kIn;
    case FieldType::SINGLE_LINE_TEXT:
    case FieldType::LINK:
      return kEqNe | kIn | kLike;
    case FieldType::MULTI_LINE_TEXT:
    case FieldType::RICH_TEXT:
      return kLike;
    case FieldType::DROP_DOWN:
    case FieldType::RADIO_BUTTON:
      return kIn;
    case FieldType::DATE:
    case FieldType::TIME:
    case FieldType::DATETIME:
    case FieldType::CREATED_TIME:
    case FieldType::UPDATED_TIME:
      return kAllCmp;
    default:  // STATUS_ASSIGNEE, CREATOR, MODIFIER, *_SELECT, CHECK_BOX, MULTI_SELECT, CATEGORY
      return kIn;
  }
}

bool fnAllowed(FieldType t, Fn fn) {
  switch (fn) {
    case Fn::None:
      return true;
    case Fn::LoginUser:
      return t == FieldType::STATUS_ASSIGNEE || t == FieldType::CREATOR ||
             t == FieldType::MODIFIER || t == FieldType::USER_SELECT;
    case Fn::PrimaryOrg:
      return t == FieldType::ORGANIZATION_SELECT;
    case Fn::Now:
    case Fn::Today:
      return t == FieldType::DATE || t == FieldType::DATETIME || t == FieldType::CREATED_TIME ||
             t == FieldType::UPDATED_TIME;
  }
  return false;
}

// kintone sorts by neither rich text nor a field that holds a list.
bool sortable(FieldType t) { return t != FieldType::RICH_TEXT && !isMultiValued(t); }

FieldType resolveField(const App& app, const std::string& code) {
  if (code == "$id") return FieldType::ID;
  if (const FieldDef* f = app.findField(code)) return f->type;
  for (FieldType t :
       {FieldType::RECORD_NUMBER, FieldType::STATUS, FieldType::STATUS_ASSIGNEE, FieldType::CREATOR,
        FieldType::MODIFIER, FieldType::CREATED_TIME, FieldType::UPDATED_TIME}) {
    if (code == app.systemFieldCode(t)) return t;
  }
  unknownField(code);
}

// ---------------------------------------------------------------------------------------------
// Per-run context: functions resolved once.
struct Ctx {
  const std::string* login = nullptr;  // null when no login user
  std::string primaryOrg;
  bool hasPrimaryOrg = false;
  int64_t nowSecs = 0;
  int64_t todayDay = 0;
  std::string todayStr;
};

Ctx makeCtx(const QueryEnv& env, bool needOrg, bool needDates) {
  Ctx c;
  if (!env.loginUser.empty()) c.login = &env.loginUser;
  if (needOrg && env.directory && !env.loginUser.empty()) {
    if (auto o = env.directory->primaryOrganization(env.loginUser)) {
      c.primaryOrg = std::move(*o);
      c.hasPrimaryOrg = true;
    }
  }
  c.nowSecs = floorDiv(env.nowMs, 1000);
  c.todayDay = floorDiv(env.nowMs, 86400000);
  if (needDates) c.todayStr = formatDate(c.todayDay);
  return c;
}

const FieldValue* valueOf(const Record& r, const std::string& code) {
  auto it = r.values.find(code);
  return it == r.values.end() ? nullptr : &it->second;
}

RINGI_HOT_INLINE std::string_view textOf(const Record& r, Acc acc, const std::string& code) {
  switch (acc) {
    case Acc::Status:
      return r.status;
    case Acc::Creator:
      return r.creator;
    case Acc::Modifier:
      return r.modifier;
    default: {
      const FieldValue* v = valueOf(r, code);
      return v ? std::string_view(v->text) : std::string_view();
    }
  }
}

// Numeric value of a record's field; false when empty / not a number.
bool numOf(const Record& r, Acc acc, const std::string& code, double& out) {
  switch (acc) {
    case Acc::Id:
      out = static_cast<double>(r.id);
      return true;
    case Acc::Revision:
      out = static_cast<double>(r.revision);
      return true;
    default: {
      const FieldValue* v = valueOf(r, code);
      if (!v || v->text.empty()) return false;
      char* end = nullptr;
      out = std::strtod(v->text.c_str(), &end);
      return end != v->text.c_str();
    }
  }
}

// Epoch seconds of a datetime field; false when empty.
bool secsOf(const Record& r, Acc acc, const std::string& code, int64_t& out) {
  switch (acc) {
    case Acc::Created:
      out = floorDiv(r.createdAt, 1000);
      return true;
    case Acc::Updated:
      out = floorDiv(r.updatedAt, 1000);
      return true;
    default: {
      const FieldValue* v = valueOf(r, code);
      if (!v || v->text.empty()) return false;
      return parseDateTime(v->text, out);
    }
  }
}

template <typename T>
bool ordered(Op op, const T& a, const T& b) {
  switch (op) {
    case Op::EQ:
      return a == b;
    case Op::NE:
      return !(a == b);
    case Op::LT:
      return a < b;
    case Op::GT:
      return b < a;
    case Op::LE:
      return !(b < a);
    case Op::GE:
      return !(a < b);
    default:
      return false;
  }
}

bool isNegated(Op op) { return op == Op::NE || op == Op::NOT_IN || op == Op::NOT_LIKE; }
bool isOrdering(Op op) { return op == Op::LT || op == Op::GT || op == Op::LE || op == Op::GE; }

RINGI_HOT_INLINE bool evalCond(const Node& n, const Record& r, const Ctx& ctx) {
  const Op op = n.op;
  const bool neg = isNegated(op);
  // For = / != / in / not in: does the value equal any operand?  For orderings: the single
  // operand's comparison.  `neg` flips the equality result at the end.
  switch (n.cmp) {
    case Cmp::Num: {
      double v = 0;
      const bool has = numOf(r, n.acc, n.code, v);
      if (isOrdering(op)) {
        const Operand& o = n.operands.front();
        return has && !o.empty && ordered(op, v, o.num);
      }
      bool any = false;
      for (const Operand& o : n.operands) {
        if (o.empty ? !has : (has && v == o.num)) {
          any = true;
          break;
        }
      }
      return any != neg;
    }
    case Cmp::Str: {
      const std::string_view v = textOf(r, n.acc, n.code);
      if (op == Op::LIKE || op == Op::NOT_LIKE) return containsCi(v, n.operands.front().str) != neg;
      bool any = false;
      for (const Operand& o : n.operands) {
        if (sameText(v, o.str)) {
          any = true;
          break;
        }
      }
      return any != neg;
    }
    case Cmp::Set: {
      const std::string* items = nullptr;
      size_t count = 0;
      switch (n.acc) {
        case Acc::Assignees:
          items = r.assignees.data();
          count = r.assignees.size();
          break;
        case Acc::Creator:
          items = &r.creator;
          count = r.creator.empty() ? 0 : 1;
          break;
        case Acc::Modifier:
          items = &r.modifier;
          count = r.modifier.empty() ? 0 : 1;
          break;
        default: {
          const FieldValue* v = valueOf(r, n.code);
          if (v) {
            items = v->items.data();
            count = v->items.size();
          }
        }
      }
      bool any = false;
      for (const Operand& o : n.operands) {
        const std::string* want = &o.str;
        if (o.fn == Fn::LoginUser) {
          want = ctx.login;
          if (!want) continue;
        } else if (o.fn == Fn::PrimaryOrg) {
          if (!ctx.hasPrimaryOrg) continue;
          want = &ctx.primaryOrg;
        } else if (o.empty) {
          if (count == 0) {
            any = true;
            break;
          }
          continue;
        }
        for (size_t i = 0; i < count; ++i) {
          if (sameText(items[i], *want)) {
            any = true;
            break;
          }
        }
        if (any) break;
      }
      return any != neg;
    }
    case Cmp::Date:
    case Cmp::Time: {
      std::string_view v = textOf(r, n.acc, n.code);
      const size_t len = n.cmp == Cmp::Date ? 10 : 5;
      if (v.size() > len) v = v.substr(0, len);
      const Operand& o = n.operands.front();
      if (o.empty) {
        if (op == Op::EQ) return v.empty();
        if (op == Op::NE) return !v.empty();
        return false;
      }
      const std::string_view want = (o.fn == Fn::Now || o.fn == Fn::Today)
                                        ? std::string_view(ctx.todayStr)
                                        : std::string_view(o.str);
      if (v.empty()) return op == Op::NE;
      return ordered(op, v, want);
    }
    case Cmp::DateTime: {
      int64_t secs = 0;
      const bool has = secsOf(r, n.acc, n.code, secs);
      const Operand& o = n.operands.front();
      if (o.empty) {
        if (op == Op::EQ) return !has;
        if (op == Op::NE) return has;
        return false;
      }
      if (!has) return op == Op::NE;
      if (o.fn == Fn::Today) return ordered(op, floorDiv(secs, 86400), ctx.todayDay);
      if (o.fn == Fn::Now) return ordered(op, secs, ctx.nowSecs);
      if (o.dateOnly) return ordered(op, floorDiv(secs, 86400), o.day);
      return ordered(op, secs, o.secs);
    }
  }
  return false;
}

bool eval(const Node& n, const Record& r, const Ctx& ctx) {
  switch (n.type) {
    case Node::And:
      for (const Node& k : n.kids)
        if (!(k.type == Node::Cond ? evalCond(k, r, ctx) : eval(k, r, ctx))) return false;
      return true;
    case Node::Or:
      for (const Node& k : n.kids)
        if (k.type == Node::Cond ? evalCond(k, r, ctx) : eval(k, r, ctx)) return true;
      return false;
    case Node::Cond:
      return evalCond(n, r, ctx);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Parser
class Parser {
 public:
  Parser(const std::string& text, const App& app) : toks_(tokenize(text)), app_(app) {}

  const Token& peek(size_t ahead = 0) const {
    const size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  bool atWord(const char* kw, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.type == Tok::Word && iequals(t.text, kw);
  }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  void expect(Tok type) {
    if (peek().type != type) syntaxError();
    next();
  }
  bool atEnd() const { return peek().type == Tok::End; }

  bool atClause() const {
    if (atWord("order") && atWord("by", 1)) return true;
    // `limit` / `offset` start a clause unless they are a field code followed by an operator.
    if (atWord("limit") || atWord("offset")) {
      return peek(1).type != Tok::Op && !atWord("in", 1) && !atWord("not", 1) && !atWord("like", 1);
    }
    return false;
  }

  Node parseOr() {
    Node first = parseAnd();
    if (!atWord("or")) return first;
    Node n;
    n.type = Node::Or;
    n.kids.push_back(std::move(first));
    while (atWord("or")) {
      next();
      n.kids.push_back(parseAnd());
    }
    return n;
  }

  Node parseAnd() {
    Node first = parsePrimary();
    if (!atWord("and")) return first;
    Node n;
    n.type = Node::And;
    n.kids.push_back(std::move(first));
    while (atWord("and")) {
      next();
      n.kids.push_back(parsePrimary());
    }
    return n;
  }

  Node parsePrimary() {
    if (peek().type == Tok::LParen) {
      if (++depth_ > kMaxDepth) tooDeep();
      next();
      Node n = parseOr();
      expect(Tok::RParen);
      --depth_;
      return n;
    }
    if (peek().type != Tok::Word) syntaxError();
    static const char* reserved[] = {"and", "or", "not", "in", "like"};
    for (const char* kw : reserved)
      if (atWord(kw)) syntaxError();
    const std::string code = next().text;
    const FieldType type = resolveField(app_, code);

    Op op;
    const Token& t = peek();
    if (t.type == Tok::Op) {
      if (t.text == "=")
        op = Op::EQ;
      else if (t.text == "!=")
        op = Op::NE;
      else if (t.text == "<")
        op = Op::LT;
      else if (t.text == ">")
        op = Op::GT;
      else if (t.text == "<=")
        op = Op::LE;
      else
        op = Op::GE;
      next();
    } else if (atWord("in")) {
      op = Op::IN;
      next();
    } else if (atWord("like")) {
      op = Op::LIKE;
      next();
    } else if (atWord("not") && atWord("in", 1)) {
      op = Op::NOT_IN;
      next();
      next();
    } else if (atWord("not") && atWord("like", 1)) {
      op = Op::NOT_LIKE;
      next();
      next();
    } else {
      syntaxError();
    }

    Node n;
    n.type = Node::Cond;
    n.op = op;
    n.acc = accFor(type);
    n.cmp = cmpFor(type);
    if (n.acc == Acc::Text || n.acc == Acc::Items) n.code = code;

    std::vector<Token> values;
    std::vector<Fn> fns;
    if (op == Op::IN || op == Op::NOT_IN) {
      expect(Tok::LParen);
      for (;;) {
        parseValue(values, fns);
        if (peek().type == Tok::Comma) {
          next();
          continue;
        }
        expect(Tok::RParen);
        break;
      }
    } else {
      parseValue(values, fns);
    }
    if (!(allowedOps(type) & bit(op))) badOperator(code);
    for (size_t i = 0; i < values.size(); ++i) {
      if (!fnAllowed(type, fns[i])) badOperator(code);
      if ((op == Op::LIKE || op == Op::NOT_LIKE) && fns[i] != Fn::None) badOperator(code);
      n.operands.push_back(makeOperand(type, n.cmp, op, values[i], fns[i]));
    }
    return n;
  }

  // A string literal, an unquoted number, or a function call.
  void parseValue(std::vector<Token>& values, std::vector<Fn>& fns) {
    const Token& t = peek();
    if (t.type == Tok::Str) {
      values.push_back(next());
      fns.push_back(Fn::None);
      return;
    }
    if (t.type != Tok::Word) syntaxError();
    if (peek(1).type == Tok::LParen) {
      Fn fn = Fn::None;
      if (iequals(t.text, "LOGINUSER"))
        fn = Fn::LoginUser;
      else if (iequals(t.text, "PRIMARY_ORGANIZATION"))
        fn = Fn::PrimaryOrg;
      else if (iequals(t.text, "NOW"))
        fn = Fn::Now;
      else if (iequals(t.text, "TODAY"))
        fn = Fn::Today;
      else
        syntaxError();
      Token tok = next();
      next();  // (
      expect(Tok::RParen);
      values.push_back(std::move(tok));
      fns.push_back(fn);
      return;
    }
    double d;
    if (!parseNumber(t.text, d)) syntaxError();
    values.push_back(next());
    fns.push_back(Fn::None);
  }

  static Operand makeOperand(FieldType type, Cmp cmp, Op op, const Token& t, Fn fn) {
    Operand o;
    o.fn = fn;
    if (fn != Fn::None) return o;
    const std::string& s = t.text;
    if (s.empty()) {
      o.empty = true;
      return o;
    }
    switch (cmp) {
      case Cmp::Num: {
        std::string v = s;
        if (type == FieldType::RECORD_NUMBER) {  // "APPCODE-12" -> 12
          const size_t dash = v.rfind('-');
          if (dash != std::string::npos && dash > 0) v = v.substr(dash + 1);
        }
        if (!parseNumber(v, o.num)) syntaxError();
        break;
      }
      case Cmp::Str:
        o.str = (op == Op::LIKE || op == Op::NOT_LIKE) ? toLower(s) : s;
        break;
      case Cmp::Set:
        o.str = s;
        break;
      case Cmp::Date: {
        int64_t y, m, d;
        if (!parseDatePrefix(s, y, m, d)) syntaxError();
        if (s.size() != 10) {
          int64_t secs;
          if (!parseDateTime(s, secs)) syntaxError();
        }
        o.str = s.substr(0, 10);
        break;
      }
      case Cmp::Time:
        if (!isTime(s)) syntaxError();
        o.str = s.substr(0, 5);
        break;
      case Cmp::DateTime:
        if (isDateOnly(s)) {
          int64_t y, m, d;
          parseDatePrefix(s, y, m, d);
          o.dateOnly = true;
          o.day = daysFromCivil(y, m, d);
        } else if (!parseDateTime(s, o.secs)) {
          syntaxError();
        }
        break;
    }
    return o;
  }

  SortKey parseSortKey() {
    if (peek().type != Tok::Word) syntaxError();
    const std::string code = next().text;
    const FieldType type = resolveField(app_, code);
    if (!sortable(type)) badOperator(code);
    SortKey k;
    k.acc = accFor(type);
    k.cmp = cmpFor(type);
    if (k.acc == Acc::Text || k.acc == Acc::Items) k.code = code;
    if (atWord("asc")) {
      next();
    } else if (atWord("desc")) {
      k.desc = true;
      next();
    }
    return k;
  }

  int64_t parseCount() {
    const Token& t = peek();
    if (t.type != Tok::Word || t.text.empty()) syntaxError();
    int64_t v = 0;
    for (char c : t.text) {
      if (c < '0' || c > '9') syntaxError();
      if (v < 1000000000) v = v * 10 + (c - '0');
    }
    next();
    return v;
  }

 private:
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;  // open parentheses around the current position
  const App& app_;
};

bool usesFn(const Node& n, Fn fn) {
  for (const Node& k : n.kids)
    if (usesFn(k, fn)) return true;
  for (const Operand& o : n.operands)
    if (o.fn == fn) return true;
  return false;
}

// Calls visit(r) for every record in scan order (descending when `desc`) until it returns false.
// Records are scattered on the heap, so a scan is bound by cache misses and fetches ahead.
// Natively: prefetch instructions 8 records on. wasm has no prefetch instruction; there the scan
// first reads a word of each of the next 16 records (loads that do not depend on each other, so
// they are in flight together), then a word of what those point to (status text, assignees),
// then evaluates the 16 from cache. The approval query's scan of 100,000 records in Node:
// 11.0 -> 3.7 ms. (Touching the field values too cost more than it saved.)
#if defined(__EMSCRIPTEN__)
// Where scan() puts the sum of its early loads, so the compiler keeps them (a namespace-scope
// volatile: a function's static one drew "set but not used").
volatile uintptr_t scanSink;
#endif

template <class Visit>
void scan(const std::vector<const Record*>& records, bool desc, Visit visit) {
  const size_t n = records.size();
  auto at = [&](size_t i) { return records[desc ? n - 1 - i : i]; };
#if defined(__EMSCRIPTEN__)
  constexpr size_t kBlock = 16;
  uintptr_t sum = 0;  // depends on every load, so the compiler keeps them
  for (size_t start = 0; start < n; start += kBlock) {
    const size_t stop = std::min(n, start + kBlock);
    for (size_t i = start; i < stop; ++i) {
      const Record* r = at(i);
      sum += reinterpret_cast<uintptr_t>(r->assignees.data()) + r->status.size();
    }
    for (size_t i = start; i < stop; ++i) {
      const Record* r = at(i);
      sum += static_cast<unsigned char>(r->status.data()[0]);
      if (!r->assignees.empty()) sum += r->assignees.front().size();
    }
    scanSink = sum;
    for (size_t i = start; i < stop; ++i)
      if (!visit(at(i))) return;
  }
#else
  for (size_t i = 0; i < n; ++i) {
#if defined(__GNUC__) || defined(__clang__)
    if (i + 8 < n) {
      __builtin_prefetch(&at(i + 8)->status);
      __builtin_prefetch(&at(i + 8)->assignees);
    }
#endif
    if (!visit(at(i))) return;
  }
#endif
}

// Sort key value of one record.
struct KeyVal {
  bool has = false;
  double num = 0;
  std::string_view str;
};

KeyVal keyOf(const Record& r, const SortKey& k) {
  KeyVal v;
  switch (k.cmp) {
    case Cmp::Num:
      v.has = numOf(r, k.acc, k.code, v.num);
      break;
    case Cmp::DateTime:
      if (k.acc == Acc::Created) {
        v.has = true;
        v.num = static_cast<double>(r.createdAt);
      } else if (k.acc == Acc::Updated) {
        v.has = true;
        v.num = static_cast<double>(r.updatedAt);
      } else {
        int64_t secs = 0;
        v.has = secsOf(r, k.acc, k.code, secs);
        v.num = static_cast<double>(secs) * 1000.0;
      }
      break;
    default:
      v.str = textOf(r, k.acc, k.code);
      v.has = !v.str.empty();
      break;
  }
  return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
struct Query::Impl {
  bool hasCond = false;
  Node root;
  std::vector<SortKey> order;
  int64_t limit = kDefaultLimit;
  int64_t offset = 0;
  bool paged = false;  // the text has limit or offset
  bool needOrg = false;
  bool needDates = false;
  // Iteration by $id alone (no sort needed): 0 = not applicable, 1 = asc, -1 = desc.
  int idDirection = -1;
};

Query::Query() : impl_(std::make_unique<Impl>()) {}
Query::~Query() = default;
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;

Query Query::parse(const std::string& text, const App& app, bool conditionOnly) {
  Query q;
  Impl& im = *q.impl_;
  Parser p(text, app);
  if (p.atEnd()) return q;
  if (!p.atClause()) {
    im.root = p.parseOr();
    im.hasCond = true;
  }
  if (!p.atEnd() && conditionOnly) syntaxError();
  if (p.atWord("order") && p.atWord("by", 1)) {
    p.next();
    p.next();
    for (;;) {
      im.order.push_back(p.parseSortKey());
      if (p.peek().type == Tok::Comma) {
        p.next();
        continue;
      }
      break;
    }
  }
  bool sawLimit = false, sawOffset = false;
  for (;;) {
    if (!sawLimit && p.atWord("limit")) {
      p.next();
      im.limit = p.parseCount();
      sawLimit = true;
      if (im.limit > kMaxLimit) throw Error("GAIA_QU01");
    } else if (!sawOffset && p.atWord("offset")) {
      p.next();
      im.offset = p.parseCount();
      sawOffset = true;
      if (im.offset > kMaxOffset) throw Error("GAIA_QU02");
    } else {
      break;
    }
  }
  if (!p.atEnd()) syntaxError();
  im.paged = sawLimit || sawOffset;

  if (im.hasCond) {
    im.needOrg = usesFn(im.root, Fn::PrimaryOrg);
    im.needDates = usesFn(im.root, Fn::Today) || usesFn(im.root, Fn::Now);
  }
  if (im.order.empty()) {
    im.idDirection = -1;
  } else if (im.order.size() == 1 && im.order[0].acc == Acc::Id) {
    im.idDirection = im.order[0].desc ? -1 : 1;
  } else {
    im.idDirection = 0;
  }
  return q;
}

bool Query::hasCondition() const { return impl_ && impl_->hasCond; }

int64_t Query::limit() const { return impl_ ? impl_->limit : kDefaultLimit; }
int64_t Query::offset() const { return impl_ ? impl_->offset : 0; }
bool Query::paged() const { return impl_ && impl_->paged; }

void Query::unpaged() {
  impl_->offset = 0;
  impl_->limit = std::numeric_limits<int32_t>::max();  // more records than an app can hold
}

bool Query::matches(const Record& r, const QueryEnv& env) const {
  if (!hasCondition()) return true;
  const Ctx ctx = makeCtx(env, impl_->needOrg, impl_->needDates);
  return eval(impl_->root, r, ctx);
}

std::vector<const Record*> Query::run(const std::vector<const Record*>& records,
                                      const QueryEnv& env, int64_t* total) const {
  static const Impl kDefault;
  const Impl& im = impl_ ? *impl_ : kDefault;
  const Ctx ctx = makeCtx(env, im.needOrg, im.needDates);
  const Node* cond = im.hasCond ? &im.root : nullptr;
  const size_t offset = static_cast<size_t>(im.offset);
  const size_t limit = static_cast<size_t>(im.limit);
  const size_t end = offset + limit;
  std::vector<const Record*> out;

  if (im.idDirection != 0) {
    out.reserve(std::min(limit, records.size()));
    size_t matched = 0;
    scan(records, im.idDirection < 0, [&](const Record* r) {
      if (cond && !eval(*cond, *r, ctx)) return true;
      if (matched >= offset && matched < end) out.push_back(r);
      ++matched;
      return matched < end || total != nullptr;
    });
    if (total) *total = static_cast<int64_t>(matched);
    return out;
  }

  std::vector<const Record*> hits;
  if (cond) {
    scan(records, false, [&](const Record* r) {
      if (eval(*cond, *r, ctx)) hits.push_back(r);
      return true;
    });
  } else {
    hits = records;
  }
  if (total) *total = static_cast<int64_t>(hits.size());
  if (offset >= hits.size() || limit == 0) return out;

  const size_t nk = im.order.size();
  std::vector<KeyVal> keys(hits.size() * nk);
  for (size_t i = 0; i < hits.size(); ++i)
    for (size_t j = 0; j < nk; ++j) keys[i * nk + j] = keyOf(*hits[i], im.order[j]);

  std::vector<uint32_t> idx(hits.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<uint32_t>(i);
  auto less = [&](uint32_t a, uint32_t b) {
    for (size_t j = 0; j < nk; ++j) {
      const KeyVal& x = keys[a * nk + j];
      const KeyVal& y = keys[b * nk + j];
      int c = 0;
      if (x.has != y.has) {
        c = x.has ? 1 : -1;  // empty values first in ascending order
      } else if (x.has) {
        if (im.order[j].cmp == Cmp::Num || im.order[j].cmp == Cmp::DateTime) {
          c = x.num < y.num ? -1 : (y.num < x.num ? 1 : 0);
        } else {
          const int r = x.str.compare(y.str);
          c = r < 0 ? -1 : (r > 0 ? 1 : 0);
        }
      }
      if (c != 0) return im.order[j].desc ? c > 0 : c < 0;
    }
    return hits[a]->id > hits[b]->id;  // ties: $id desc
  };
  const size_t k = std::min(end, hits.size());
  if (k < hits.size()) {
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(), less);
  } else {
    std::sort(idx.begin(), idx.end(), less);
  }
  out.reserve(k - offset);
  for (size_t i = offset; i < k; ++i) out.push_back(hits[idx[i]]);
  return out;
}

}  // namespace ringi::domain
