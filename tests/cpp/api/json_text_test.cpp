// writeJson / toText (the engine's only serializer since nlohmann's dump left the wasm) against
// nlohmann's dump(-1, ' ', ensure_ascii, replace), which wrote every reply and stored row before:
// the same values give the same bytes, in UTF-8 and in ASCII, invalid UTF-8 included.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "api/json/writer.h"

namespace ringi::apitest {

using api::JsonWriter;
using Json = nlohmann::ordered_json;

std::string dumped(const Json& j, bool ascii) {
  return j.dump(-1, ' ', ascii, Json::error_handler_t::replace);
}

std::string written(const Json& j, bool ascii) {
  std::string out;
  {
    JsonWriter w(out, ascii ? JsonWriter::Ascii::yes : JsonWriter::Ascii::no);
    api::writeJson(w, j);
  }
  return out;
}

void expectSame(const Json& j) {
  EXPECT_EQ(api::toText(j), dumped(j, false));
  EXPECT_EQ(written(j, false), dumped(j, false));
  EXPECT_EQ(written(j, true), dumped(j, true));
}

TEST(JsonText, ScalarsAreWrittenAsNlohmannDumpsThem) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const Json& j : std::vector<Json>{nullptr,
                                         true,
                                         false,
                                         0,
                                         -1,
                                         42,
                                         std::numeric_limits<int64_t>::min(),
                                         std::numeric_limits<int64_t>::max(),
                                         std::numeric_limits<uint64_t>::max(),
                                         0.0,
                                         -0.0,
                                         1.5,
                                         -2.25,
                                         2.0,
                                         0.1,
                                         1e20,
                                         1e21,
                                         1e-7,
                                         123456789.125,
                                         5e-324,
                                         1.7976931348623157e308,
                                         std::nan(""),
                                         inf,
                                         -inf,
                                         "",
                                         "text",
                                         "承認待ち",
                                         "q\"b\\n\n\x01\x7f"})
    expectSame(j);
  EXPECT_EQ(api::toText(Json(std::nan(""))), "null");
  EXPECT_EQ(api::toText(Json(1e20)), "1e+20");
  EXPECT_EQ(api::toText(Json(2.0)), "2.0");
}

TEST(JsonText, ContainersKeepTheirOrderAndNesting) {
  Json j = Json::object();
  j["z"] = 1;
  j["a"] = Json::array({1, "two", nullptr, Json::object(), Json::array()});
  j["出張"] = {{"nested", {{"deep", Json::array({Json::array({true})})}}}};
  j["key \"quoted\"\n"] = 0.5;
  expectSame(j);
  expectSame(Json::object());
  expectSame(Json::array());
  EXPECT_EQ(api::toText(j).substr(0, 6), "{\"z\":1");  // insertion order, as ordered_json keeps it
}

// Invalid UTF-8 in three- and four-byte sequences: each lead byte with continuation bytes at the
// edges of what it allows (E0 needs A0..BF, ED 80..9F, F0 90..BF, F4 80..8F), ASCII after them,
// and truncations. Two-byte strings are all covered in json_writer_test.cpp.
TEST(JsonText, InvalidLongSequencesAreReplacedAsNlohmannReplacesThem) {
  const unsigned char edges[] = {0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0};
  for (int lead = 0xE0; lead <= 0xF4; ++lead)
    for (unsigned char b : edges)
      for (unsigned char c : edges) {
        std::string s{static_cast<char>(lead), static_cast<char>(b), static_cast<char>(c)};
        ASSERT_EQ(written(s, false), dumped(s, false)) << lead << ' ' << int{b} << ' ' << int{c};
        ASSERT_EQ(written(s, true), dumped(s, true)) << lead << ' ' << int{b} << ' ' << int{c};
        for (unsigned char d : edges) {
          const std::string t = s + static_cast<char>(d) + "z";
          ASSERT_EQ(written(t, false), dumped(t, false))
              << lead << ' ' << int{b} << ' ' << int{c} << ' ' << int{d};
          ASSERT_EQ(written(t, true), dumped(t, true))
              << lead << ' ' << int{b} << ' ' << int{c} << ' ' << int{d};
        }
      }
}

// Random documents (fixed seed): objects, arrays, numbers of every kind and strings of random
// bytes, valid or not, as keys and values.
Json randomValue(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
  auto bytes = [&] {
    std::string s(rng() % 12, '\0');
    for (auto& ch : s) ch = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 0x20 + rng() % 95);
    return s;
  };
  switch (kind(rng)) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int64_t>(static_cast<uint64_t>(rng()) << 32 | rng());
    case 3:
      return static_cast<uint64_t>(rng()) << 32 | rng();
    case 4:
      return std::ldexp(static_cast<double>(rng()) - 2147483648.0,
                        static_cast<int>(rng() % 200) - 100);
    case 5:
      return bytes();
    case 6: {
      Json a = Json::array();
      for (unsigned i = rng() % 5; i > 0; --i) a.push_back(randomValue(rng, depth + 1));
      return a;
    }
    default: {
      Json o = Json::object();
      for (unsigned i = rng() % 5; i > 0; --i) o[bytes()] = randomValue(rng, depth + 1);
      return o;
    }
  }
}

TEST(JsonText, RandomDocumentsMatchNlohmann) {
  std::mt19937 rng(20261202);
  for (int i = 0; i < 2000; ++i) {
    const Json j = randomValue(rng, 0);
    ASSERT_EQ(written(j, false), dumped(j, false)) << i;
    ASSERT_EQ(written(j, true), dumped(j, true)) << i;
  }
}

}  // namespace ringi::apitest
