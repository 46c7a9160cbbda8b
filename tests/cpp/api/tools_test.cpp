// What kintone's official tools call beyond the record APIs (cli-kintone's import by key,
// record delete, dts-gen): upsert by key, fields that prohibit duplicates, the record number as
// key, null revisions, the system fields in form/fields, and a form layout.
#include "api/api_fixture.h"

namespace ringi::apitest {
namespace {

class ToolsTest : public ApiTest {
 protected:
  std::string workspace() const override {
    return R"({"users": [{"code": "kim", "name": "Kim", "locale": "en"}],
      "apps": [{"app": 1, "name": "Items", "locale": "en",
        "fields": {
          "sku": {"type": "SINGLE_LINE_TEXT", "code": "sku", "label": "SKU", "unique": true},
          "qty": {"type": "NUMBER", "code": "qty", "label": "Quantity"}},
        "records": [
          {"$id": {"value": "1"}, "sku": {"value": "A-1"}, "qty": {"value": "5"}},
          {"$id": {"value": "2"}, "sku": {"value": "B-2"}, "qty": {"value": "7"}}]}]})";
  }
  json sku(int id) {
    return call("kim", "GET", "/k/v1/record.json?app=1&id=" + std::to_string(id)).body["record"];
  }
};

TEST_F(ToolsTest, UpsertUpdatesKnownKeysAndAddsNewOnes) {
  auto r = call("kim", "PUT", "/k/v1/records.json",
                json{{"app", 1},
                     {"upsert", true},
                     {"records",
                      {{{"updateKey", {{"field", "sku"}, {"value", "B-2"}}},
                        {"record", {{"qty", {{"value", "8"}}}}}},
                       {{"updateKey", {{"field", "sku"}, {"value", "C-3"}}},
                        {"record", {{"qty", {{"value", "1"}}}}}}}}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["records"][0], (json{{"id", "2"}, {"revision", "2"}, {"operation", "UPDATE"}}));
  EXPECT_EQ(r.body["records"][1], (json{{"id", "3"}, {"revision", "1"}, {"operation", "INSERT"}}));
  EXPECT_EQ(sku(3)["sku"]["value"], "C-3");
  EXPECT_EQ(sku(2)["qty"]["value"], "8");
}

TEST_F(ToolsTest, UpsertByRecordNumberUpdatesAndRefusesANewNumber) {
  auto ok = call("kim", "PUT", "/k/v1/records.json",
                 json{{"app", 1},
                      {"upsert", true},
                      {"records",
                       {{{"updateKey", {{"field", "Record_number"}, {"value", "1"}}},
                         {"record", {{"qty", {{"value", "9"}}}}}}}}});
  ASSERT_EQ(ok.status, 200) << ok.body.dump();
  EXPECT_EQ(ok.body["records"][0]["operation"], "UPDATE");
  auto bad = call("kim", "PUT", "/k/v1/records.json",
                  json{{"app", 1},
                       {"upsert", true},
                       {"records",
                        {{{"updateKey", {{"field", "Record_number"}, {"value", "99"}}},
                          {"record", {{"qty", {{"value", "1"}}}}}}}}});
  expectError(bad, 404, "GAIA_RE20");
}

TEST_F(ToolsTest, UpsertNeedsAKeyForEveryRecordAndIsAllOrNothing) {
  auto noKey = call(
      "kim", "PUT", "/k/v1/records.json",
      json{{"app", 1}, {"upsert", true}, {"records", {{{"id", 1}, {"record", json::object()}}}}});
  expectError(noKey, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(noKey, "records[0].updateKey").empty());
  // The second record's duplicate SKU refuses the whole request: the first is not added either.
  auto dup =
      call("kim", "PUT", "/k/v1/records.json",
           json{{"app", 1},
                {"upsert", true},
                {"records",
                 {{{"updateKey", {{"field", "sku"}, {"value", "D-4"}}}, {"record", json::object()}},
                  {{"updateKey", {{"field", "sku"}, {"value", "B-2"}}},
                   {"record", {{"sku", {{"value", "A-1"}}}}}}}}});
  expectError(dup, 400, "CB_VA01");
  EXPECT_EQ(messagesOf(dup, "records[1].sku.value"),
            (std::vector<std::string>{"This value already exists in another record."}));
  EXPECT_EQ(call("kim", "GET", "/k/v1/records.json?app=1&totalCount=true").body["totalCount"], "2");
}

TEST_F(ToolsTest, PutRecordsRefusesKeysItDoesNotTake) {
  auto top = call(
      "kim", "PUT", "/k/v1/records.json",
      json{{"app", 1}, {"records", {{{"id", 1}, {"record", json::object()}}}}, {"upsertt", true}});
  expectError(top, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(top, "upsertt").empty());
  auto inner =
      call("kim", "PUT", "/k/v1/records.json",
           json{{"app", 1}, {"records", {{{"id", 1}, {"recrod", {{"qty", {{"value", "1"}}}}}}}}});
  expectError(inner, 400, "CB_VA01");
  EXPECT_FALSE(messagesOf(inner, "records[0].recrod").empty());
  EXPECT_EQ(sku(1)["qty"]["value"], "5");
}

TEST_F(ToolsTest, AFieldThatProhibitsDuplicatesRefusesOneOnAddAndUpdate) {
  expectError(call("kim", "POST", "/k/v1/record.json",
                   json{{"app", 1}, {"record", {{"sku", {{"value", "A-1"}}}}}}),
              400, "CB_VA01");
  expectError(call("kim", "PUT", "/k/v1/record.json",
                   json{{"app", 1}, {"id", 2}, {"record", {{"sku", {{"value", "A-1"}}}}}}),
              400, "CB_VA01");
  // Its own value again, and empty values, are no duplicates.
  EXPECT_EQ(call("kim", "PUT", "/k/v1/record.json",
                 json{{"app", 1}, {"id", 1}, {"record", {{"sku", {{"value", "A-1"}}}}}})
                .status,
            200);
  EXPECT_EQ(call("kim", "POST", "/k/v1/record.json", json{{"app", 1}}).status, 200);
  EXPECT_EQ(call("kim", "POST", "/k/v1/record.json", json{{"app", 1}}).status, 200);
}

TEST_F(ToolsTest, DeleteTakesNullRevisionsAsNoCheck) {
  auto r = call("kim", "DELETE", "/k/v1/records.json",
                json{{"app", 1}, {"ids", {1, 2}}, {"revisions", {nullptr, 1}}});
  EXPECT_EQ(r.status, 200) << r.body.dump();
  expectError(call("kim", "DELETE", "/k/v1/records.json",
                   json{{"app", 1}, {"ids", {1}}, {"revisions", {"x"}}}),
              400, "CB_VA01");
}

TEST_F(ToolsTest, FormFieldsListTheSystemFieldsAndTheLayoutPlacesEachField) {
  auto f = call("kim", "GET", "/k/v1/app/form/fields.json?app=1").body["properties"];
  EXPECT_EQ(f["Record_number"], (json{{"type", "RECORD_NUMBER"},
                                      {"code", "Record_number"},
                                      {"label", "Record number"},
                                      {"noLabel", false}}));
  for (const char* code :
       {"Created_by", "Created_datetime", "Updated_by", "Updated_datetime", "Status", "Assignee"})
    EXPECT_TRUE(f.contains(code)) << code;
  EXPECT_EQ(f["sku"]["unique"], true);
  auto l = call("kim", "GET", "/k/v1/app/form/layout.json?app=1");
  ASSERT_EQ(l.status, 200);
  EXPECT_EQ(l.body["layout"].size(), 2u);
  EXPECT_EQ(
      l.body["layout"][0],
      (json{{"type", "ROW"},
            {"fields",
             {{{"type", "SINGLE_LINE_TEXT"}, {"code", "sku"}, {"size", {{"width", "193"}}}}}}}));
  EXPECT_EQ(call("kim", "GET", "/k/v1/preview/app/form/layout.json?app=1").status, 200);
  expectError(call("kim", "GET", "/k/v1/app/form/layout.json?app=1&lang=en"), 400, "CB_VA01");
  expectError(call("kim", "GET", "/k/v1/app/form/layout.json?app=9"), 404, "GAIA_AP01");
}

}  // namespace
}  // namespace ringi::apitest
