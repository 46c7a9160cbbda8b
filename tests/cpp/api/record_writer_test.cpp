// RecordWriter: kintone's record object as exact text. Field order (form fields, values the form
// lost, system fields), entity names from the directory, the `fields` filter, and a code that
// appears twice (first position, last value).
#include "api/record_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ringi::apitest {

using namespace ringi::domain;
using Ordered = nlohmann::ordered_json;
using api::JsonWriter;
using api::RecordWriter;

struct RecordWriterTest : ::testing::Test {
  Directory dir;
  App app;
  Record r;

  void SetUp() override {
    dir.addUser(User{"sato", "佐藤", Locale::ja});
    dir.addOrganization(Organization{"sales", "営業部", std::nullopt, {}});
    dir.addGroup(Group{"mgr", "Managers", {}});
    app.id = 1;
    app.locale = Locale::en;
    auto field = [&](const char* code, FieldType t) {
      FieldDef f;
      f.code = f.label = code;
      f.type = t;
      app.fields.push_back(f);
    };
    field("title", FieldType::SINGLE_LINE_TEXT);
    field("tags", FieldType::CHECK_BOX);
    field("who", FieldType::USER_SELECT);
    field("org", FieldType::ORGANIZATION_SELECT);
    field("grp", FieldType::GROUP_SELECT);
    field("State", FieldType::STATUS);  // the app names its status field
    app.process.enable = true;
    r.app = 1;
    r.id = 42;
    r.revision = 5;
    r.values["title"].text = "a \"quoted\"\ntitle";
    r.values["tags"].items = {"x", "y"};
    r.values["who"].items = {"sato", "gone"};
    r.values["org"].items = {"sales"};
    r.values["grp"].items = {"mgr"};
    r.values["old"].items = {"p"};  // the form no longer has this field
    r.status = "Waiting";
    r.assignees = {"sato"};
    r.creator = "sato";
    r.createdAt = 86400000;  // 1970-01-02
    r.updatedAt = 86401000;
  }

  std::string written(const std::vector<std::string>& only = {}) {
    std::string out;
    JsonWriter w(out);
    RecordWriter(app, dir, only).write(w, r);
    return out;
  }
};

TEST_F(RecordWriterTest, EveryFieldInKintoneOrderWithNames) {
  auto typed = [](const char* t, Ordered v) {
    return Ordered{{"type", t}, {"value", std::move(v)}};
  };
  auto ref = [](const char* code, const char* name) {
    return Ordered{{"code", code}, {"name", name}};
  };
  Ordered expected = {
      {"title", typed("SINGLE_LINE_TEXT", "a \"quoted\"\ntitle")},
      {"tags", typed("CHECK_BOX", {"x", "y"})},
      {"who", typed("USER_SELECT", {ref("sato", "佐藤"), ref("gone", "gone")})},
      // one-element arrays spelled out: {x} alone is a copy of x for some compilers
      {"org", typed("ORGANIZATION_SELECT", Ordered::array({ref("sales", "営業部")}))},
      {"grp", typed("GROUP_SELECT", Ordered::array({ref("mgr", "Managers")}))},
      {"old", typed("MULTI_SELECT", Ordered::array({"p"}))},
      {"Record_number", typed("RECORD_NUMBER", "42")},
      {"$id", typed("__ID__", "42")},
      {"$revision", typed("__REVISION__", "5")},
      {"Created_by", typed("CREATOR", ref("sato", "佐藤"))},
      {"Created_datetime", typed("CREATED_TIME", "1970-01-02T00:00:00Z")},
      {"Updated_by", typed("MODIFIER", ref("sato", "佐藤"))},  // no modifier: the creator
      {"Updated_datetime", typed("UPDATED_TIME", "1970-01-02T00:00:01Z")},
      {"State", typed("STATUS", "Waiting")},
      {"Assignee", typed("STATUS_ASSIGNEE", Ordered::array({ref("sato", "佐藤")}))},
  };
  EXPECT_EQ(written(), expected.dump());
}

TEST_F(RecordWriterTest, FieldsFilterAndNoProcess) {
  EXPECT_EQ(
      written({"$id", "tags", "nosuch", "State"}),
      R"({"tags":{"type":"CHECK_BOX","value":["x","y"]},"$id":{"type":"__ID__","value":"42"},)"
      R"("State":{"type":"STATUS","value":"Waiting"}})");
  app.process.enable = false;
  EXPECT_EQ(written({"State", "Assignee", "$revision"}),
            R"({"$revision":{"type":"__REVISION__","value":"5"}})");
}

TEST_F(RecordWriterTest, ACodeMetTwiceKeepsItsFirstPlaceAndLastValue) {
  // A stored value whose code is also a default system code: the system field wins, in place.
  r.values["$id"].text = "shadow";
  r.values.erase("old");
  const std::string out = written({"$id", "title", "Record_number"});
  EXPECT_EQ(out, R"({"title":{"type":"SINGLE_LINE_TEXT","value":"a \"quoted\"\ntitle"},)"
                 R"("$id":{"type":"__ID__","value":"42"},)"
                 R"("Record_number":{"type":"RECORD_NUMBER","value":"42"}})");
}

TEST_F(RecordWriterTest, AFormFieldNamedLikeASystemFieldKeepsItsPlaceButNotItsValue) {
  // An en app with no CREATOR field, but a text field coded like the default one: the system
  // value is written in the form field's place (the record has no stray values here).
  FieldDef f;
  f.code = f.label = "Created_by";
  f.type = FieldType::SINGLE_LINE_TEXT;
  app.fields.insert(app.fields.begin(), f);
  r.values.erase("old");
  r.values["Created_by"].text = "typed by hand";
  EXPECT_EQ(written({"$id", "Created_by"}),
            R"({"Created_by":{"type":"CREATOR","value":{"code":"sato","name":"佐藤"}},)"
            R"("$id":{"type":"__ID__","value":"42"}})");
}

}  // namespace ringi::apitest
