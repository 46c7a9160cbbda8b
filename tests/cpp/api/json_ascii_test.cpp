// escapeNonAscii: pure ASCII out, the same JSON value in and out, nothing copied when ASCII.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/json/writer.h"

namespace ringi::apitest {

using api::escapeNonAscii;
using Ordered = nlohmann::ordered_json;

bool allAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

TEST(JsonAscii, AsciiTextIsLeftAsIs) {
  std::string s = R"({"status":200,"body":{"revision":"3"},"changes":null})";
  const std::string before = s;
  const char* data = s.data();
  escapeNonAscii(s);
  EXPECT_EQ(s, before);
  EXPECT_EQ(s.data(), data);  // not copied
  std::string empty;
  escapeNonAscii(empty);
  EXPECT_EQ(empty, "");
}

TEST(JsonAscii, IsAsciiFindsAHighByteAtAnyOffset) {
  EXPECT_TRUE(api::isAscii(""));
  EXPECT_TRUE(api::isAscii(std::string(40, 'x') + "\x7f"));
  for (size_t at = 0; at < 20; ++at) {
    std::string s(20, 'a');
    s[at] = '\x80';
    EXPECT_FALSE(api::isAscii(s)) << at;
  }
}

TEST(JsonAscii, EscapesKeepTheValue) {
  for (const std::string& text : std::vector<std::string>{
           R"({"件名":"出張 1","備考":"東京→大阪","status":"承認待ち"})",
           R"(["é","ß","ÿ","Ā","߿","ࠀ","￿","😀","𐀀","􏿿","a\"b\\c 李"])",
           "{\"k\":\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBD\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"}",
       }) {
    std::string s = text;
    escapeNonAscii(s);
    EXPECT_TRUE(allAscii(s)) << s;
    EXPECT_EQ(Ordered::parse(s), Ordered::parse(text)) << s;
  }
  std::string s = "[\"李😀\"]";
  escapeNonAscii(s);
  EXPECT_EQ(s, R"(["\u674e\ud83d\ude00"])");  // lowercase hex, a surrogate pair above U+FFFF
}

TEST(JsonAscii, InvalidUtf8BecomesReplacementCharacters) {
  for (const std::string& bad :
       std::vector<std::string>{"\xff", "\x80", "\xC0\x80", "\xE3\x81", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xF0\x8F\xBF\xBF", "\xC3"}) {
    std::string s = "[\"a" + bad + "b\"]";
    escapeNonAscii(s);
    EXPECT_TRUE(allAscii(s)) << s;
    const Ordered v = Ordered::parse(s);
    const std::string got = v[0].get<std::string>();
    EXPECT_EQ(got.substr(0, 1), "a");
    EXPECT_EQ(got.substr(got.size() - 1), "b");
    std::string middle = got.substr(1, got.size() - 2);
    ASSERT_FALSE(middle.empty()) << s;
    for (size_t i = 0; i < middle.size(); i += 3)
      EXPECT_EQ(middle.substr(i, 3), "\xEF\xBF\xBD") << s;
    EXPECT_EQ(middle.size(), 3 * bad.size()) << s;  // one per byte
  }
}

// The ASCII scan goes 8 bytes at a time: a non-ASCII character is found at any offset, and the
// ASCII around it is copied whole.
TEST(JsonAscii, NonAsciiIsFoundAtEveryOffset) {
  for (size_t at = 0; at < 20; ++at) {
    for (size_t len = at; len < 26; ++len) {
      const std::string pad(len, 'x');
      const std::string text = "\"" + pad.substr(0, at) + "あ" + pad.substr(at) + "é\"";
      std::string s = text;
      escapeNonAscii(s);
      EXPECT_EQ(s, "\"" + pad.substr(0, at) + "\\u3042" + pad.substr(at) + "\\u00e9\"")
          << at << " " << len;
    }
  }
}

}  // namespace ringi::apitest
