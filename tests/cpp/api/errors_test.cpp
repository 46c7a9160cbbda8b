// Error catalogue, rendering and request-level failures (unknown path, wrong method, malformed
// JSON, unknown user, wrong types, huge and odd input).
#include "api/errors.h"

#include "api/json/writer.h"
#include "api/messages.h"
#include "api_fixture.h"

namespace ringi::apitest {

using domain::Locale;

TEST(Messages, EveryDomainCodeHasStatusAndThreeLanguages) {
  struct Expect {
    const char* code;
    int status;
  } table[] = {{"GAIA_AP01", 404},  {"GAIA_RE01", 404},  {"GAIA_RE20", 404},  {"GAIA_CO02", 409},
               {"GAIA_CO03", 409},  {"GAIA_IL03", 400},  {"GAIA_ST02", 400},  {"GAIA_SA01", 400},
               {"GAIA_SA04", 400},  {"GAIA_NT01", 403},  {"GAIA_IL26", 400},  {"GAIA_TO02", 400},
               {"GAIA_UN10", 400},  {"GAIA_IQ03", 400},  {"GAIA_IQ11", 400},  {"GAIA_QU01", 400},
               {"GAIA_QU02", 400},  {"CB_VA01", 400},    {"CB_IJ01", 400},    {"CB_AU01", 401},
               {"CB_NF01", 404},    {"RINGI_MT01", 405}, {"RINGI_SA01", 400}, {"RINGI_BA01", 404},
               {"RINGI_BA02", 409}, {"RINGI_WS01", 400}, {"RINGI_IE01", 500}, {"GAIA_IL23", 520}};
  for (const auto& e : table) {
    EXPECT_EQ(api::httpStatusOf(e.code), e.status) << e.code;
    std::string en = api::errorMessage(e.code, {"A", "B"}, Locale::en);
    std::string ja = api::errorMessage(e.code, {"A", "B"}, Locale::ja);
    std::string zh = api::errorMessage(e.code, {"A", "B"}, Locale::zh);
    EXPECT_FALSE(en.empty()) << e.code;
    EXPECT_NE(en, ja) << e.code;
    EXPECT_NE(ja, zh) << e.code;
    EXPECT_EQ(en.find("{0}"), std::string::npos) << e.code;
    EXPECT_EQ(zh.find("{1}"), std::string::npos) << e.code;
  }
}

TEST(Messages, ReferenceTexts) {
  EXPECT_EQ(api::errorMessage("GAIA_RE01", {"99999"}, Locale::en),
            "The specified record (ID: 99999) is not found.");
  EXPECT_EQ(api::errorMessage("GAIA_RE01", {"99999"}, Locale::ja),
            "指定したレコード（id: 99999）が見つかりません。");
  EXPECT_EQ(api::errorMessage("GAIA_AP01", {"99999"}, Locale::en),
            "The app (ID: 99999) not found. The app may have been deleted.");
  EXPECT_EQ(api::errorMessage("GAIA_IL26", {"xxx"}, Locale::en),
            "The specified user (code：xxx) not found.");
  EXPECT_EQ(api::errorMessage("GAIA_CO03", {"1"}, Locale::en),
            "The revision is not the latest. Someone may update the app settings (ID: 1).");
  EXPECT_EQ(api::errorMessage("GAIA_NT01", {}, Locale::ja), "作業者のみがステータスを変更できます");
  EXPECT_EQ(api::errorMessage("GAIA_TO02", {"承認待ち"}, Locale::en),
            "Only one assignee can be set to \"承認待ち\".");
  EXPECT_EQ(api::errorMessage("GAIA_UN10", {"STATUS"}, Locale::en),
            "Cannot update field whose type is STATUS.");
  EXPECT_EQ(api::errorMessage("GAIA_QU01", {}, Locale::en), "limit must be 500 or less.");
  EXPECT_EQ(api::errorMessage("GAIA_IQ11", {"x"}, Locale::en), "Specified field (x) not found.");
  EXPECT_EQ(api::fieldMessage("required", {}, Locale::en), "Required field.");
  EXPECT_EQ(api::fieldMessage("required", {}, Locale::ja), "必須です。");
  EXPECT_EQ(api::fieldMessage("min", {"1"}, Locale::en), "must be greater than or equal to 1");
  EXPECT_EQ(api::fieldMessage("min", {"1"}, Locale::ja), "最小でも1以上です。");
  EXPECT_EQ(api::fieldMessage("not_integer", {}, Locale::en), "Enter an integer value.");
  EXPECT_EQ(api::fieldMessage("enum", {}, Locale::ja), "Enum値のいずれかでなければなりません。");
  EXPECT_EQ(api::fieldMessage("query_syntax", {}, Locale::ja), "クエリ記法が間違っています。");
  EXPECT_EQ(api::fieldMessage("max_records_update", {}, Locale::ja),
            "一度に100件までのレコードを更新できます。");
}

TEST(Messages, DomainFieldMessageIdsAreTranslated) {
  for (const char* id :
       {"required", "query_syntax", "invalid_option", "not_number", "invalid_date", "invalid_time",
        "invalid_datetime", "unique", "unknown_user", "invalid_value", "query_depth",
        "index_too_large", "too_deep", "too_many_items"}) {
    std::string en = api::fieldMessage(id, {"v"}, Locale::en);
    std::string ja = api::fieldMessage(id, {"v"}, Locale::ja);
    std::string zh = api::fieldMessage(id, {"v"}, Locale::zh);
    EXPECT_NE(en, ja) << id;
    EXPECT_NE(en, zh) << id;
    if (std::string(id) != "invalid_value") {
      EXPECT_NE(en, api::fieldMessage("invalid_value", {}, Locale::en))
          << id << " has its own text";
    }
  }
}

TEST(Messages, CheckReasonsAreLocalized) {
  using domain::CheckReason;
  EXPECT_EQ(api::reasonText(CheckReason::task_closed, Locale::zh), "任务已关闭");
  for (int i = 0; i <= static_cast<int>(CheckReason::cancelled); ++i) {
    auto r = static_cast<CheckReason>(i);
    EXPECT_FALSE(api::reasonText(r, Locale::en).empty());
    EXPECT_NE(api::reasonText(r, Locale::en), api::reasonText(r, Locale::ja));
    EXPECT_NE(api::reasonText(r, Locale::ja), api::reasonText(r, Locale::zh));
  }
}

TEST(Errors, RenderShape) {
  api::Json out;
  domain::Error e("CB_VA01", {}, {{"records[1].id", "required", {}}, {"app", "min", {"1"}}});
  int status = api::renderError(e, Locale::en, out);
  json j = json::parse(api::toText(out));
  EXPECT_EQ(status, 400);
  EXPECT_EQ(j["code"], "CB_VA01");
  EXPECT_EQ(j["message"], "Missing or invalid input.");
  EXPECT_EQ(j["id"].get<std::string>().size(), 20u);
  EXPECT_EQ(j["errors"]["records[1].id"]["messages"], json::array({"Required field."}));
  EXPECT_EQ(j["errors"]["app"]["messages"], json::array({"must be greater than or equal to 1"}));
  api::Json other;
  api::renderError(e, Locale::en, other);
  EXPECT_NE(out["id"], other["id"]);
}

TEST_F(ApiTest, UnknownPathIs404InUserLocale) {
  expectError(call("sato", "GET", "/k/v1/nothing.json"), 404, "CB_NF01",
              "指定したAPIが見つかりません。");
  expectError(call("smith", "GET", "/somewhere/else"), 404, "CB_NF01",
              "The specified API is not found.");
  expectError(call("li", "GET", "/k/v1/RECORD.json?app=1&id=1"), 404, "CB_NF01",
              "找不到指定的API。");
}

TEST_F(ApiTest, WrongMethodIs405) {
  expectError(call("smith", "DELETE", "/k/v1/record.json?app=1&id=1"), 405, "RINGI_MT01");
  expectError(call("smith", "POST", "/k/v1/app/status.json", json{{"app", 1}}), 405, "RINGI_MT01");
}

TEST_F(ApiTest, MethodMustBeExact) {
  auto c = call("smith", "get", "/k/v1/record.json?app=1&id=1");
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(c, "method"), std::vector<std::string>{"must be one of the enum value"});
}

TEST_F(ApiTest, MalformedJsonIsCBIJ01) {
  expectError(call("sato", "PUT", "/k/v1/record/status.json", std::string("{\"app\":1,")), 400,
              "CB_IJ01", "不正なJSON文字列です。");
  expectError(call("smith", "PUT", "/k/v1/record/status.json", std::string("[1,2]")), 400,
              "CB_IJ01", "Invalid JSON string.");
  expectError(call("li", "POST", "/k/v1/record.json", std::string("\"\xff\xfe\"")), 400, "CB_IJ01");
  // Nesting past JsonReader::kMaxDepth (128) is refused like bad JSON, before anything runs.
  const auto revision = [&] {
    return call("sato", "GET", "/k/v1/record.json?app=1&id=1").body["record"]["$revision"];
  };
  const json before = revision();
  const std::string deep =
      "{\"app\":1,\"id\":1,\"action\":" + std::string(200, '[') + std::string(200, ']') + "}";
  expectError(call("sato", "PUT", "/k/v1/record/status.json", deep), 400, "CB_IJ01");
  auto r =
      svc.handleJson("{\"user\":\"sato\",\"method\":\"GET\",\"path\":\"/k/v1/apps.json\",\"x\":" +
                     std::string(129, '[') + std::string(129, ']') + "}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("CB_IJ01"), std::string::npos);
  EXPECT_EQ(revision(), before);
}

TEST_F(ApiTest, UnknownUserIs401) {
  expectError(call("nobody", "GET", "/k/v1/record.json?app=1&id=1"), 401, "CB_AU01",
              "Please login.");
  expectError(call("", "GET", "/k/v1/record.json?app=1&id=1"), 401, "CB_AU01");
}

TEST_F(ApiTest, WrongTypesAreCBVA01WithKeys) {
  auto c = call("smith", "PUT", "/k/v1/record/status.json",
                json{{"app", "abc"}, {"id", json::object()}, {"action", 5.5}});
  expectError(c, 400, "CB_VA01", "Missing or invalid input.");
  EXPECT_EQ(messagesOf(c, "app"), std::vector<std::string>{"Enter an integer value."});
  EXPECT_EQ(messagesOf(c, "id"), std::vector<std::string>{"Enter an integer value."});
  EXPECT_FALSE(messagesOf(c, "action").empty());
  c = call("sato", "PUT", "/k/v1/record/status.json", json{{"app", 0}, {"id", 1}});
  EXPECT_EQ(messagesOf(c, "app"), std::vector<std::string>{"最小でも1以上です。"});
  EXPECT_EQ(messagesOf(c, "action"), std::vector<std::string>{"必須です。"});
  c = call("smith", "PUT", "/k/v1/record/status.json",
           json{{"app", 1}, {"id", 1}, {"action", "承認する"}, {"revision", -2}});
  EXPECT_EQ(messagesOf(c, "revision"),
            std::vector<std::string>{"must be greater than or equal to -1"});
}

TEST_F(ApiTest, ExtraParamsAndRequestTokenAreIgnored) {
  auto c = call("sato", "GET", "/k/v1/record.json?app=1&id=1&foo=bar&__REQUEST_TOKEN__=x");
  EXPECT_EQ(c.status, 200) << c.body.dump();
  c = call("sato", "PUT", "/k/v1/record/status.json",
           json{{"app", 1},
                {"id", 1},
                {"action", "承認する"},
                {"__REQUEST_TOKEN__", "t"},
                {"extra", {1, 2}}});
  EXPECT_EQ(c.status, 200) << c.body.dump();
  EXPECT_EQ(c.body, json({{"revision", "5"}}));
}

TEST_F(ApiTest, HugeStringsAndUnicodeDoNotBreakAnything) {
  std::string before = svc.exportWorkspace();
  std::string huge(1 << 20, 'x');
  auto c = call("sato", "PUT", "/k/v1/record/status.json",
                json{{"app", 1}, {"id", 1}, {"action", huge}});
  expectError(c, 400, "GAIA_IL03");
  c = call("sato", "GET", "/k/v1/record.json?app=1&id=" + huge);
  expectError(c, 400, "CB_VA01");
  c = call("li", "PUT", "/k/v1/record/status.json",
           json{{"app", 1}, {"id", 1}, {"action", "😀 \u0000 ✓ 承認"}});
  EXPECT_GE(c.status, 400);
  c = call("sato", "GET", "/k/v1/record.json?app=1&id=%FF%FE");  // invalid UTF-8 after decoding
  expectError(c, 400, "CB_VA01");
  EXPECT_EQ(svc.exportWorkspace(), before);
  c = call("sato", "POST", "/k/v1/record.json",
           json{{"app", 1}, {"record", {{"件名", {{"value", "😀 絵文字 ✓ \"quoted\" \\ back"}}}}}});
  ASSERT_EQ(c.status, 200) << c.body.dump();
  auto g = call("sato", "GET", "/k/v1/record.json?app=1&id=" + c.body["id"].get<std::string>());
  EXPECT_EQ(g.body["record"]["件名"]["value"], "😀 絵文字 ✓ \"quoted\" \\ back");
}

TEST_F(ApiTest, HandleJsonEnvelope) {
  auto r =
      svc.handleJson(R"({"user":"sato","method":"GET","path":"/k/v1/record.json?app=1&id=1"})");
  EXPECT_EQ(r.status, 200);
  r = svc.handleJson("not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("CB_IJ01"), std::string::npos);
  r = svc.handleJson(
      R"({"user":"sato","method":"PUT","path":"/k/v1/record/status.json","body":{"app":1,"id":1,"action":"承認する"}})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.changes.empty());
  r = svc.handleJson(R"({"user":5,"method":"GET","path":"/k/v1/app.json?id=1"})");
  EXPECT_EQ(r.status, 400);
}

}  // namespace ringi::apitest
