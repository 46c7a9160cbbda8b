// parseJson (JsonReader building Json values) against nlohmann's own parser, which it replaces in
// the module: the same values, the same number types, the same texts refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/json/reader.h"

namespace ringi::apitest {

using api::Json;
using api::parseJson;

// Type and value alike, all the way down (== would call 1 and 1u and 1.0 equal).
void expectSame(const Json& got, const Json& want, const std::string& where) {
  ASSERT_EQ(got.type(), want.type()) << where;
  if (want.is_object()) {
    ASSERT_EQ(got.size(), want.size()) << where;
    auto g = got.begin();
    for (auto w = want.begin(); w != want.end(); ++w, ++g) {
      ASSERT_EQ(g.key(), w.key()) << where;  // same order: ordered_json keeps the document's
      expectSame(g.value(), w.value(), where + "." + w.key());
    }
  } else if (want.is_array()) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (size_t i = 0; i < want.size(); ++i)
      expectSame(got[i], want[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(got.dump(), want.dump()) << where;
  }
}

TEST(JsonParse, BuildsWhatNlohmannBuilds) {
  for (const std::string& text : std::vector<std::string>{
           "0",
           "-0",
           "7",
           "-42",
           "9223372036854775807",
           "-9223372036854775808",
           "9223372036854775808",
           "-9223372036854775809",
           "18446744073709551615",
           "18446744073709551616",
           "-18446744073709551616",
           "123456789012345678901234",
           "3.0",
           "-2.5e3",
           "1E3",
           "1e-400",
           "0.1",
           "4503599627370496.5",
           R"("")",
           R"("a\"b\\\/\b\f\n\r\t\u00e9\ud83d\ude00")",
           "\"raw 李 あ 😀\"",
           "true",
           "false",
           "null",
           "[]",
           "{}",
           " [1, \"x\", [true, null], {}] ",
           R"({"b":1,"a":{"c":[{"d":-1.5}]},"e":"f"})",
           R"({"k":1,"j":2,"k":3})",  // a repeated key: the last value, in the first one's place
           R"({"app":1,"id":"7","record":{"件名":{"value":"出張"},"金額":{"value":12.50}}})",
           "\t\r\n{\"a\" :\n[ 1 , 2 ]\r}\n"}) {
    const Json got = parseJson(text);
    const Json want = Json::parse(text);
    expectSame(got, want, text);
  }
}

TEST(JsonParse, RefusesWhatNlohmannRefuses) {
  for (const std::string& text :
       std::vector<std::string>{"",        " ",           "01",         "-",
                                "1.",      ".5",          "+1",         "1e400",
                                "-1e400",  "NaN",         "tru",        "nul",
                                "[1,]",    "[1 2]",       "{\"a\":1,}", "{\"a\" 1}",
                                "{a:1}",   "{\"a\":1",    "[",          "]",
                                "\"\\x\"", "\"\\ud83d\"", "\"\xff\"",   std::string("\"a\x01z\""),
                                "1 2",     "{} {}",       "[1]x",       "\"unterminated"}) {
    EXPECT_FALSE(Json::accept(text)) << text;
    EXPECT_TRUE(parseJson(text).is_discarded()) << text;
  }
}

TEST(JsonParse, NestingIsBoundedAtTheReadersDepth) {
  const int max = api::JsonReader::kMaxDepth;
  auto nested = [](int n) { return std::string(n, '[') + std::string(n, ']'); };
  const Json deepest = parseJson(nested(max));
  ASSERT_FALSE(deepest.is_discarded());
  expectSame(deepest, Json::parse(nested(max)), "depth max");
  // One deeper is refused (nlohmann would build it): recursion stays bounded on any request.
  EXPECT_TRUE(parseJson(nested(max + 1)).is_discarded());
  EXPECT_TRUE(parseJson(std::string(100000, '[')).is_discarded());
}

TEST(JsonParse, ReadJsonLeavesTheReaderAfterTheValue) {
  api::JsonReader r(R"([{"a":[1,2]}, "next"])");
  ASSERT_TRUE(r.beginArray());
  ASSERT_TRUE(r.nextElement());
  Json v;
  ASSERT_TRUE(api::readJson(r, &v));
  EXPECT_EQ(v.dump(), R"({"a":[1,2]})");
  ASSERT_TRUE(r.nextElement());
  std::string s;
  ASSERT_TRUE(r.readString(&s));
  EXPECT_EQ(s, "next");
  EXPECT_FALSE(r.nextElement());
  EXPECT_TRUE(r.finish());
  api::JsonReader bad(R"({"a":[1,}")");
  EXPECT_FALSE(api::readJson(bad, &v));
  EXPECT_FALSE(bad.ok());
}

}  // namespace ringi::apitest
