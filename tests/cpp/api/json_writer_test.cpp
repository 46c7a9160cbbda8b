// JsonWriter (the storage rows' encoder) against nlohmann's dump(-1, ' ', false, replace), which
// wrote every stored row before it: the same values give the same bytes, invalid UTF-8 included.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/json/writer.h"
#include "api/storage_format.h"

namespace ringi::apitest {

using api::JsonWriter;
using Ordered = nlohmann::ordered_json;

std::string dumped(const Ordered& j) {
  return j.dump(-1, ' ', false, Ordered::error_handler_t::replace);
}

std::string written(const std::string& s) {
  std::string out;
  JsonWriter(out).value(s);
  return out;
}

TEST(JsonWriter, StringsAreEscapedExactlyAsNlohmannDoes) {
  std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" and backslash \\",
      "slash / stays",
      "\b\f\n\r\t",
      "del \x7f stays",
      "出張 東京→大阪",
      "emoji 😀",
      "承認待ち",
      std::string("nul \0 inside", 12),
      // invalid UTF-8: lone continuation, truncated sequences, overlong, surrogate, > U+10FFFF
      "\x80",
      "a\xC3",
      "\xE3\x81",
      "\xF0\x9F\x98",
      "\xC0\xAF",
      "\xE0\x80\xAF",
      "\xED\xA0\x80",
      "\xF4\x90\x80\x80",
      "\xFF",
      "ok\xE3\x81\x82\xE3\x81",
      "\xC3\x28",
      "\xE3\x28\xA1x",
      // valid non-ASCII text with escapes after it, before it and at its ends
      "承認\"待ち",
      "東京\n大阪",
      "→\\",
      "\t出張",
      "申請中\x01",
      "😀\"",
      "a→b\\c\"d",
  };
  for (int c = 0; c < 0x20; ++c) cases.push_back(std::string("c") + static_cast<char>(c) + "c");
  for (const auto& s : cases) EXPECT_EQ(written(s), dumped(Ordered(s))) << s;
}

TEST(JsonWriter, EveryTwoByteSequenceMatchesNlohmann) {
  // All 65,536 two-byte strings: every lead/continuation combination, valid or not.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const std::string s{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(written(s), dumped(Ordered(s))) << a << ' ' << b;
    }
}

// Ascii::yes: byte for byte nlohmann's dump with ensure_ascii (non-ASCII and DEL as \uXXXX).
std::string writtenAscii(const std::string& s) {
  std::string out;
  JsonWriter(out, JsonWriter::Ascii::yes).value(s);
  return out;
}

TEST(JsonWriter, AsciiModeMatchesNlohmannsEnsureAscii) {
  const std::string dq = "\"";
  for (const std::string& s : std::vector<std::string>{
           "", "plain", "del \x7f escaped", "出張 東京→大阪", "emoji 😀 and 𐀀 and 􏿿",
           "承認\"待ち", "東京\n大阪", "\x80", "a\xC3", "\xED\xA0\x80", "ok\xE3\x81\x82\xE3\x81",
           "é" + dq + "\\\x01\x7f李"}) {
    EXPECT_EQ(writtenAscii(s), Ordered(s).dump(-1, ' ', true, Ordered::error_handler_t::replace))
        << s;
  }
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const std::string s{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(writtenAscii(s), Ordered(s).dump(-1, ' ', true, Ordered::error_handler_t::replace))
          << a << ' ' << b;
    }
  for (uint32_t cp = 0x800; cp < 0x10000;
       cp += 7) {  // three-byte sequences (surrogates are invalid)
    const std::string s{static_cast<char>(0xE0 | cp >> 12),
                        static_cast<char>(0x80 | (cp >> 6 & 0x3F)),
                        static_cast<char>(0x80 | (cp & 0x3F))};
    ASSERT_EQ(writtenAscii(s), Ordered(s).dump(-1, ' ', true, Ordered::error_handler_t::replace))
        << cp;
  }
  // Invalid UTF-8 after the staging buffer was flushed mid-string (thousands of escapes first):
  // the string starts over from its opening quote, and what came before it stays.
  const std::string longBad = std::string(1000, 'x') + [] {
    std::string t;
    for (int i = 0; i < 1500; ++i) t += "あ";
    return t;
  }() + "\xff end";
  std::string before;
  JsonWriter(before, JsonWriter::Ascii::yes)
      .beginObject()
      .key("件名")
      .value(longBad)
      .key("k")
      .value("v")
      .endObject();
  EXPECT_EQ(before, "{\"\\u4ef6\\u540d\":" +
                        Ordered(longBad).dump(-1, ' ', true, Ordered::error_handler_t::replace) +
                        ",\"k\":\"v\"}");
  // keys and raw rows too: nothing non-ASCII gets out
  std::string out;
  JsonWriter w(out, JsonWriter::Ascii::yes);
  w.beginObject().key("件名").value("x").key("row").raw(R"({"名前":"佐藤"})").endObject();
  EXPECT_EQ(out, R"({"\u4ef6\u540d":"x","row":{"\u540d\u524d":"\u4f50\u85e4"}})");
}

TEST(JsonWriter, LiteralKeysAreWrittenAsKeys) {
  std::string out;
  JsonWriter w(out);
  w.beginObject().literalKey("at").value(int64_t{1}).literalKey("status").value("承認待ち");
  w.literalKey("list").beginArray().value("x").endArray().key("k\"ey").null().endObject();
  EXPECT_EQ(out, R"({"at":1,"status":"承認待ち","list":["x"],"k\"ey":null})");
}

TEST(JsonWriter, NestingNumbersAndCommas) {
  std::string out;
  JsonWriter w(out);
  w.beginObject().key("a").value(int64_t{-9223372036854775807 - 1}).key("b").value(UINT64_MAX);
  w.key("c").beginArray().endArray().key("d").beginObject().endObject();
  w.key("e").value(std::vector<std::string>{"x", "y"}).key("f").value(true).key("g").value(false);
  w.key("h").null().key("k\"ey").raw(R"({"r":[1]})").key("i").beginArray();
  w.beginArray().value(int64_t{1}).value(int64_t{2}).endArray().value("z").endArray().endObject();
  Ordered expected = {{"a", INT64_MIN},
                      {"b", UINT64_MAX},
                      {"c", Ordered::array()},
                      {"d", Ordered::object()},
                      {"e", {"x", "y"}},
                      {"f", true},
                      {"g", false},
                      {"h", nullptr},
                      {"k\"ey", {{"r", {1}}}},
                      {"i", {{1, 2}, "z"}}};
  EXPECT_EQ(out, dumped(expected));
}

TEST(JsonWriter, LongOutputCrossesItsStagingBufferIntact) {
  // Values of every length around and beyond the 2 KB staging buffer, escapes at the seams.
  std::string out;
  Ordered expected = Ordered::array();
  {
    JsonWriter w(out);
    w.beginArray();
    for (size_t n = 0; n < 5000; n += 37) {
      std::string s(n, 'x');
      for (size_t i = 0; i < n; i += 101) s[i] = i % 2 ? '"' : '\n';
      w.beginObject()
          .key(s.substr(0, n % 50))
          .value(s)
          .key("n")
          .value(static_cast<int64_t>(n))
          .endObject();
      expected.push_back({{s.substr(0, n % 50), s}, {"n", n}});
    }
    w.endArray();
    EXPECT_EQ(out, dumped(expected));  // complete as soon as the outermost value is closed
  }
  EXPECT_EQ(out, dumped(expected));  // and nothing more is written at destruction
}

TEST(JsonWriter, RecordRowHasTheDocumentedShape) {
  domain::Record r;
  r.app = 2;
  r.id = 7;
  r.revision = 3;
  r.values["t"].text = "a\"b";
  r.values["m"].items = {"x", "y"};
  r.values["both"] = domain::FieldValue{"txt", {"i"}};
  r.status = "承認待ち";
  r.assignees = {"sato"};
  r.creator = r.modifier = "li";
  r.createdAt = 1;
  r.updatedAt = 2;
  r.history.push_back(domain::StatusChange{5, "申請中", "", "li", {"sato"}});
  domain::Task t;
  t.key = *domain::parseTaskKey("0123456789abcdef0123456789abcdef");
  t.app = 2;
  t.record = 7;
  t.status = "申請中";
  t.assignee = "sato";
  t.state = domain::TaskState::closed;
  t.openedAt = 5;
  t.closedAt = 6;
  t.closedBy = "sato";
  std::string out;
  JsonWriter w(out);
  api::storage::writeRecordRow(w, r, {&t});
  // The task in its record's row: without "app" and "record", which are the row's.
  Ordered expected = {
      {"app", 2},
      {"id", 7},
      {"revision", 3},
      {"values", {{"both", {{"text", "txt"}, {"items", {"i"}}}}, {"m", {"x", "y"}}, {"t", "a\"b"}}},
      {"status", "承認待ち"},
      {"assignees", {"sato"}},
      {"actedBy", Ordered::array()},
      {"creator", "li"},
      {"modifier", "li"},
      {"createdAt", 1},
      {"updatedAt", 2},
      {"historyFrom", 0},
      {"history",
       {{{"at", 5},
         {"status", "申請中"},
         {"action", ""},
         {"actor", "li"},
         {"assignees", {"sato"}}}}},
      {"tasks",
       {{{"id", "0123456789abcdef0123456789abcdef"},
         {"status", "申請中"},
         {"assignee", "sato"},
         {"entry", 0},
         {"state", "closed"},
         {"openedAt", 5},
         {"closedAt", 6},
         {"closedBy", "sato"}}}}};
  EXPECT_EQ(out, dumped(expected));
}

}  // namespace ringi::apitest
