// JsonReader (the storage decoder's fast path) against nlohmann, the parser it must agree with:
// whatever the reader accepts, nlohmann accepts and reads the same way.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/json/reader.h"
#include "api/params.h"

namespace ringi::apitest {

using api::JsonReader;
using Ordered = nlohmann::ordered_json;

// The text in a heap block of exactly its size, so reading past the end is an ASan error.
struct Exact {
  explicit Exact(const std::string& s) : size(s.size()), data(new char[s.size() ? s.size() : 1]) {
    std::copy(s.begin(), s.end(), data.get());
  }
  std::string_view view() const { return {data.get(), size}; }
  size_t size;
  std::unique_ptr<char[]> data;
};

// One complete JSON value and nothing else.
bool accepts(const std::string& text) {
  Exact e(text);
  JsonReader r(e.view());
  return r.skipValue() && r.finish();
}

bool readString(const std::string& text, std::string* out) {
  Exact e(text);
  JsonReader r(e.view());
  return r.readString(out) && r.finish();
}

TEST(JsonReader, StringEscapesDecodeToUtf8) {
  std::string s;
  ASSERT_TRUE(readString(R"("a\"b\\c\/d\be\ff\ng\rh\ti")", &s));
  EXPECT_EQ(s, "a\"b\\c/d\be\ff\ng\rh\ti");
  ASSERT_TRUE(readString(R"("\u00e9\u3042\u00C9\ud83d\ude00\u0041")", &s));
  EXPECT_EQ(s,
            "\xC3\xA9\xE3\x81\x82\xC3\x89\xF0\x9F\x98\x80"
            "A");
  ASSERT_TRUE(readString(R"("\u0000")", &s));
  EXPECT_EQ(s, std::string(1, '\0'));
  ASSERT_TRUE(readString("\"raw 李 あ 😀 \x7f\"", &s));
  EXPECT_EQ(s, "raw 李 あ 😀 \x7f");
  ASSERT_TRUE(readString(R"("plain then \n escape, then plain again")", &s));
  EXPECT_EQ(s, "plain then \n escape, then plain again");
  ASSERT_TRUE(readString(R"("")", &s));
  EXPECT_EQ(s, "");
  for (const char* text : {R"("a\"b\\c\/d\be\ff\ng\rh\ti")", R"("\u00e9\u3042\ud83d\ude00")",
                           "\"raw 李 あ 😀\"", R"("x\u0000y")"}) {
    ASSERT_TRUE(readString(text, &s)) << text;
    EXPECT_EQ(s, Ordered::parse(text).get<std::string>()) << text;
  }
}

TEST(JsonReader, BadStringsFailLikeNlohmann) {
  for (const std::string& text :
       std::vector<std::string>{R"("\x")",
                                R"("\u12")",
                                R"("\u12G4")",
                                R"("\U0041")",
                                R"("\)",
                                R"("\u)",
                                R"("\ud83d")",        // lone high surrogate
                                R"("\ud83d\u0041")",  // high surrogate + not a low one
                                R"("\ud83dx")",
                                R"("\ud83d\")",
                                R"("\ud83d\ud83d")",
                                R"("\ude00")",  // lone low surrogate
                                std::string("\"a\x01z\""),
                                std::string("\"a\nb\""),
                                std::string("\"tab\tin\""),
                                std::string("\"\x1f\""),
                                std::string("\"a\0b\"", 5),
                                "\"\xff\"",
                                "\"\xc0\x80\"",
                                "\"\xc3\"",
                                "\"\xe3\x81\"",
                                "\"\xed\xa0\x80\"",
                                "\"\xf4\x90\x80\x80\"",
                                "\"\xe0\x80\xaf\"",
                                "\"\x80\"",
                                "\"\xf0\x8f\xbf\xbf\"",
                                "\"unterminated",
                                "\"",
                                "\"abc\\\""}) {
    std::string s;
    EXPECT_FALSE(readString(text, &s)) << text;
    EXPECT_FALSE(accepts(text)) << text;
    EXPECT_FALSE(Ordered::accept(text)) << text;
  }
  // well-formed UTF-8 at the edges of the table
  for (const std::string& text : std::vector<std::string>{
           "\"\xc2\x80\"", "\"\xdf\xbf\"", "\"\xe0\xa0\x80\"", "\"\xed\x9f\xbf\"",
           "\"\xee\x80\x80\"", "\"\xf0\x90\x80\x80\"", "\"\xf4\x8f\xbf\xbf\""}) {
    std::string s;
    EXPECT_TRUE(readString(text, &s)) << text;
    EXPECT_TRUE(Ordered::accept(text)) << text;
    EXPECT_EQ(s, text.substr(1, text.size() - 2));
  }
}

// Plain runs are skipped 8 bytes at a time: a special byte is found at any offset.
TEST(JsonReader, SpecialBytesAreFoundAtEveryOffset) {
  for (size_t at = 0; at < 20; ++at) {
    for (size_t len = at + 1; len < 24; ++len) {
      const std::string pad(len, 'a');
      std::string s;
      std::string text = "\"" + pad.substr(0, at) + "\\n" + pad.substr(at) + "\"";
      ASSERT_TRUE(readString(text, &s)) << text;
      EXPECT_EQ(s, pad.substr(0, at) + "\n" + pad.substr(at));
      text = "\"" + pad.substr(0, at) + "\xC3\xA9" + pad.substr(at) + "\"";
      ASSERT_TRUE(readString(text, &s)) << text;
      EXPECT_EQ(s, text.substr(1, text.size() - 2));
      text = "\"" + pad.substr(0, at) + "\"" + pad.substr(at) + "\"";  // ends early
      EXPECT_FALSE(readString(text, &s)) << text;
      for (char bad : {'\x01', '\x1f', '\n', '\0', '\xff'}) {
        text = "\"" + pad.substr(0, at) + bad + pad.substr(at) + "\"";
        EXPECT_FALSE(readString(text, &s)) << at << " " << len << " " << int(bad);
      }
      text = "\"" + pad.substr(0, at) + "\x7f " + pad.substr(at) + "\"";
      ASSERT_TRUE(readString(text, &s)) << text;
    }
  }
}

// readInt64 takes what toInt64 takes from the value nlohmann parses.
TEST(JsonReader, IntegersMatchToInt64) {
  for (const char* text : {"0",
                           "-0",
                           "7",
                           "-42",
                           "1795323424280",
                           "9223372036854775807",
                           "-9223372036854775808",
                           "9223372036854775808",
                           "-9223372036854775809",
                           "18446744073709551615",
                           "18446744073709551616",
                           "123456789012345678901234",
                           "3.0",
                           "-3.0",
                           "1e3",
                           "1E3",
                           "1e+3",
                           "2.5e1",
                           "-2.5e1",
                           "1.5",
                           "0.1",
                           "1e-1",
                           "100e-2",
                           "9e15",
                           "-9e15",
                           "9.000000000000001e15",
                           "1e16",
                           "1e400",
                           "-1e400",
                           "1e-400",
                           "0e0",
                           "-0.0",
                           "4503599627370496.5"}) {
    Exact e(text);
    JsonReader r(e.view());
    int64_t got = -1;
    const bool ok = r.readInt64(&got);
    if (!Ordered::accept(text)) {  // nlohmann refuses a double that overflows (1e400)
      EXPECT_FALSE(r.ok()) << text;
      continue;
    }
    EXPECT_TRUE(r.finish()) << text;  // a valid number either way
    int64_t want = -1;
    const bool wantOk = api::toInt64(Ordered::parse(text), &want);
    EXPECT_EQ(ok, wantOk) << text;
    if (ok && wantOk) {
      EXPECT_EQ(got, want) << text;
    }
  }
  int64_t n = 0;
  {
    JsonReader r("1000");
    EXPECT_TRUE(r.readInt64(&n));
    EXPECT_EQ(n, 1000);
  }
  {
    JsonReader r("\"5\"");  // a string is not a number here (the caller falls back)
    EXPECT_FALSE(r.readInt64(&n));
    EXPECT_FALSE(r.ok());
  }
}

TEST(JsonReader, BadNumbersFail) {
  for (const char* text : {"01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "--1", "0x10", "1.e3",
                           "NaN", "Infinity", "-Infinity", "00", "-01", "1..2", "1ee2"}) {
    Exact e(text);
    JsonReader r(e.view());
    int64_t n;
    r.readInt64(&n);
    EXPECT_FALSE(r.finish()) << text;
    EXPECT_FALSE(accepts(text)) << text;
    EXPECT_FALSE(Ordered::accept(text)) << text;
  }
}

TEST(JsonReader, ObjectsArraysAndLiterals) {
  const std::string text =
      " {\"a\" : [1, -2.5e3, \"x\", true, false, null, {}, []],\n\t\"b\":{\"c\":{\"d\":[[{}]]}},"
      "\"\\u0065\":\"e\"\r} ";
  Exact e(text);
  JsonReader r(e.view());
  ASSERT_TRUE(r.beginObject());
  std::string_view key;
  ASSERT_TRUE(r.nextKey(&key));
  EXPECT_EQ(key, "a");
  ASSERT_TRUE(r.beginArray());
  int64_t n = 0;
  ASSERT_TRUE(r.nextElement());
  EXPECT_TRUE(r.readInt64(&n));
  EXPECT_EQ(n, 1);
  ASSERT_TRUE(r.nextElement());
  EXPECT_TRUE(r.readInt64(&n));
  EXPECT_EQ(n, -2500);
  ASSERT_TRUE(r.nextElement());
  EXPECT_EQ(r.peek(), JsonReader::Kind::string);
  std::string s;
  EXPECT_TRUE(r.readString(&s));
  EXPECT_EQ(s, "x");
  bool b = false;
  ASSERT_TRUE(r.nextElement());
  EXPECT_TRUE(r.readBool(&b));
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.nextElement());
  EXPECT_TRUE(r.readBool(&b));
  EXPECT_FALSE(b);
  ASSERT_TRUE(r.nextElement());
  EXPECT_EQ(r.peek(), JsonReader::Kind::null);
  EXPECT_TRUE(r.readNull());
  ASSERT_TRUE(r.nextElement());
  EXPECT_EQ(r.peek(), JsonReader::Kind::object);
  EXPECT_TRUE(r.skipValue());
  ASSERT_TRUE(r.nextElement());
  EXPECT_EQ(r.peek(), JsonReader::Kind::array);
  EXPECT_TRUE(r.skipValue());
  EXPECT_FALSE(r.nextElement());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.nextKey(&key));
  EXPECT_EQ(key, "b");
  EXPECT_TRUE(r.skipValue());  // nested skip
  ASSERT_TRUE(r.nextKey(&key));
  EXPECT_EQ(key, "e");  // an escaped key is decoded
  EXPECT_TRUE(r.readString(&s));
  EXPECT_EQ(s, "e");
  EXPECT_FALSE(r.nextKey(&key));
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.finish());
}

TEST(JsonReader, TypeMismatchFailsAndStaysFailed) {
  JsonReader r("{\"a\": 1, \"b\": 2}");
  ASSERT_TRUE(r.beginObject());
  std::string_view key;
  ASSERT_TRUE(r.nextKey(&key));
  std::string s;
  EXPECT_FALSE(r.readString(&s));  // a number where a string is wanted
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.nextKey(&key));
  EXPECT_FALSE(r.skipValue());
  EXPECT_EQ(r.peek(), JsonReader::Kind::invalid);
  EXPECT_FALSE(r.finish());
}

// Documents the reader and nlohmann must agree on: valid, and malformed in every usual way.
TEST(JsonReader, AcceptsExactlyWhatNlohmannAccepts) {
  const std::vector<std::string> docs = {
      "{}",
      "[]",
      " {} ",
      "\n[\t]\r\n",
      "0",
      "\"s\"",
      "true",
      "false",
      "null",
      "-1.5e-7",
      "{\"a\":1,\"a\":2}",
      "[1,[2,[3,[4]]]]",
      "{\"k\":{\"k\":{\"k\":{}}}}",
      "[{}, [], \"\", 0]",
      "{",
      "}",
      "[",
      "]",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\" 1}",
      "{a:1}",
      "{\"a\":1,}",
      "{,\"a\":1}",
      "[1,]",
      "[,1]",
      "[1 2]",
      "[1,,2]",
      "{\"a\":1 \"b\":2}",
      "{} {}",
      "{}x",
      "[]]",
      "{}}",
      "tru",
      "truex",
      "nul",
      "nulll",
      "fals",
      "True",
      "NULL",
      "'s'",
      "{\"a\":'b'}",
      "// c\n{}",
      "/* c */{}",
      "{\"a\":1}/",
      "[1]\x01",
      "\x0b{}",
      "\xc2\xa0{}",
      "{\"a\":[}]}",
      "{\"a\":{]}",
      "[\"a\" , \"b\" ]",
      "{ \"a\" : { } , \"b\" : [ ] }",
      "",
      " ",
      "-",
      "[-]",
      "[1e]",
      "1e400",
      "[-1e309]",
      "{\"a\":1.7976931348623157e308}",
      "1e-400",
      "[1.8e308]",
      std::string(400, '9'),
      "-" + std::string(400, '9'),
      std::string(300, '9'),
  };
  for (const auto& d : docs) EXPECT_EQ(accepts(d), Ordered::accept(d)) << d;
}

// Every prefix of a document is malformed: the reader must say so without reading past it.
TEST(JsonReader, EveryTruncationFailsCleanly) {
  const std::string doc =
      "{\"records\":[{\"app\":1,\"id\":-20,\"v\":{\"t\":\"a\\u00e9\\ud83d\\ude00\\n\",\"i\":[\"x\","
      "\"李\"]},"
      "\"f\":1.5e3,\"b\":true,\"c\":false,\"n\":null}],\"e\":[],\"o\":{}}";
  ASSERT_TRUE(accepts(doc));
  for (size_t n = 0; n < doc.size(); ++n) {
    const std::string prefix = doc.substr(0, n);
    EXPECT_FALSE(accepts(prefix)) << prefix;
    EXPECT_FALSE(Ordered::accept(prefix)) << prefix;
  }
}

TEST(JsonReader, TooDeepNestingFailsInsteadOfRecursingOn) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(accepts(deep));  // nlohmann takes it: the storage decoder then falls back to it
  const std::string fine = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(accepts(fine));
}

}  // namespace ringi::apitest
