// stringMember: the one reader of optional string members in the settings and workspace codecs.
#include "api/params.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ringi::apitest {

using api::Json;
using api::stringMember;

TEST(StringMember, ReadsAStringMember) {
  const Json j = Json::parse(R"({"code":"sato","name":"佐藤"})");
  EXPECT_EQ(stringMember(j, "code"), "sato");
  EXPECT_EQ(stringMember(j, "name", "x"), "佐藤");
}

TEST(StringMember, FallsBackWhenMissingNullOrNotAString) {
  const Json j = Json::parse(R"({"a":null,"b":1,"c":["x"],"d":{"e":"f"},"g":true})");
  for (const char* key : {"missing", "a", "b", "c", "d", "g"}) {
    EXPECT_EQ(stringMember(j, key), "") << key;
    EXPECT_EQ(stringMember(j, key, "fallback"), "fallback") << key;
  }
}

TEST(StringMember, FallsBackWhenNotAnObject) {
  for (const char* text : {"null", "\"code\"", "[\"code\"]", "3"}) {
    EXPECT_EQ(stringMember(Json::parse(text), "code", "fb"), "fb") << text;
  }
}

TEST(StringMember, AnEmptyStringIsAValue) {
  EXPECT_EQ(stringMember(Json::parse(R"({"code":""})"), "code", "fb"), "");
}

}  // namespace ringi::apitest
