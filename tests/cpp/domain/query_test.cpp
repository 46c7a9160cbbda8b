#include "domain/query.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "domain/error.h"

namespace ringi::domain {
namespace {

FieldDef field(const std::string& code, FieldType type) {
  FieldDef f;
  f.code = code;
  f.label = code;
  f.type = type;
  return f;
}

App makeApp(Locale locale = Locale::ja) {
  App a;
  a.id = 1;
  a.locale = locale;
  a.fields = {
      field("文字列", FieldType::SINGLE_LINE_TEXT),
      field("複数行", FieldType::MULTI_LINE_TEXT),
      field("リッチ", FieldType::RICH_TEXT),
      field("リンク", FieldType::LINK),
      field("数値", FieldType::NUMBER),
      field("計算", FieldType::CALC),
      field("日付", FieldType::DATE),
      field("時刻", FieldType::TIME),
      field("日時", FieldType::DATETIME),
      field("ドロップダウン", FieldType::DROP_DOWN),
      field("ラジオ", FieldType::RADIO_BUTTON),
      field("チェック", FieldType::CHECK_BOX),
      field("複数選択", FieldType::MULTI_SELECT),
      field("ユーザー", FieldType::USER_SELECT),
      field("組織", FieldType::ORGANIZATION_SELECT),
      field("グループ", FieldType::GROUP_SELECT),
  };
  return a;
}

// epoch ms for a UTC date/time
int64_t ms(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  // days from civil
  int yy = y - (mo <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000 + static_cast<int64_t>(s) * 1000;
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app = makeApp();
    dir.addUser({"alice", "Alice", Locale::ja});
    dir.addUser({"bob", "Bob", Locale::ja});
    dir.addUser({"carol", "Carol", Locale::ja});
    dir.addOrganization({"営業部", "営業部", std::nullopt, {"alice", "carol"}});
    dir.addOrganization({"開発部", "開発部", std::nullopt, {"bob", "alice"}});
    env.directory = &dir;
    env.loginUser = "alice";
    env.nowMs = ms(2024, 5, 10, 12, 30, 0);
  }

  Record& add(std::function<void(Record&)> fill) {
    Record r;
    r.app = 1;
    r.id = static_cast<int64_t>(store.size()) + 1;
    r.creator = "alice";
    r.modifier = "alice";
    r.createdAt = ms(2024, 5, 1);
    r.updatedAt = ms(2024, 5, 1);
    fill(r);
    store.push_back(std::move(r));
    return store.back();
  }

  std::vector<const Record*> all() const {
    std::vector<const Record*> v;
    for (const auto& r : store) v.push_back(&r);
    return v;
  }

  // ids returned by running `q`
  std::vector<int64_t> ids(const std::string& q, int64_t* total = nullptr) {
    auto query = Query::parse(q, app);
    std::vector<int64_t> out;
    for (const Record* r : query.run(all(), env, total)) out.push_back(r->id);
    return out;
  }

  // error code thrown by parsing `q`, "" when none
  std::string errorOf(const std::string& q, bool conditionOnly = false) {
    try {
      Query::parse(q, app, conditionOnly);
    } catch (const Error& e) {
      return e.code();
    }
    return "";
  }

  App app;
  Directory dir;
  QueryEnv env;
  std::deque<Record> store;
};

using Ids = std::vector<int64_t>;

TEST_F(QueryTest, EmptyQueryReturnsAllDescendingById) {
  for (int i = 0; i < 5; ++i) add([](Record&) {});
  int64_t total = -1;
  EXPECT_EQ(ids("", &total), (Ids{5, 4, 3, 2, 1}));
  EXPECT_EQ(total, 5);
  auto q = Query::parse("", app);
  EXPECT_FALSE(q.hasCondition());
  EXPECT_EQ(q.limit(), 100);
  EXPECT_EQ(q.offset(), 0);
  EXPECT_EQ(ids("   "), (Ids{5, 4, 3, 2, 1}));
}

TEST_F(QueryTest, DefaultLimitIs100) {
  for (int i = 0; i < 150; ++i) add([](Record&) {});
  int64_t total = 0;
  auto got = ids("", &total);
  ASSERT_EQ(got.size(), 100u);
  EXPECT_EQ(got.front(), 150);
  EXPECT_EQ(got.back(), 51);
  EXPECT_EQ(total, 150);
}

TEST_F(QueryTest, TextEqualityAndInAndLike) {
  add([](Record& r) { r.values["文字列"].text = "りんご"; });
  add([](Record& r) { r.values["文字列"].text = "Apple Pie"; });
  add([](Record& r) { r.values["文字列"].text = ""; });
  add([](Record& r) { r.values["文字列"].text = "みかん"; });
  add([](Record&) {});  // no value at all

  EXPECT_EQ(ids(R"(文字列 = "りんご")"), (Ids{1}));
  EXPECT_EQ(ids(R"(文字列 != "りんご")"), (Ids{5, 4, 3, 2}));
  EXPECT_EQ(ids(R"(文字列 in ("りんご", "みかん"))"), (Ids{4, 1}));
  EXPECT_EQ(ids(R"(文字列 not in ("りんご", "みかん"))"), (Ids{5, 3, 2}));
  EXPECT_EQ(ids(R"(文字列 like "apple")"), (Ids{2}));
  EXPECT_EQ(ids(R"(文字列 like "PIE")"), (Ids{2}));
  EXPECT_EQ(ids(R"(文字列 like "りん")"), (Ids{1}));
  EXPECT_EQ(ids(R"(文字列 not like "りん")"), (Ids{5, 4, 3, 2}));
  EXPECT_EQ(ids(R"(文字列 = "")"), (Ids{5, 3}));
  EXPECT_EQ(ids(R"(文字列 != "")"), (Ids{4, 2, 1}));
  EXPECT_EQ(ids(R"(文字列 in (""))"), (Ids{5, 3}));
}

TEST_F(QueryTest, LinkAndMultiLineAndRichText) {
  add([](Record& r) {
    r.values["リンク"].text = "https://example.com/a";
    r.values["複数行"].text = "line one\nLINE two";
    r.values["リッチ"].text = "<b>Bold</b>";
  });
  add([](Record& r) { r.values["リンク"].text = "https://example.org"; });
  EXPECT_EQ(ids(R"(リンク = "https://example.org")"), (Ids{2}));
  EXPECT_EQ(ids(R"(リンク like "example.com")"), (Ids{1}));
  EXPECT_EQ(ids(R"(複数行 like "line two")"), (Ids{1}));
  EXPECT_EQ(ids(R"(複数行 not like "line two")"), (Ids{2}));
  EXPECT_EQ(ids(R"(リッチ like "bold")"), (Ids{1}));
  EXPECT_EQ(errorOf(R"(複数行 = "x")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(リッチ in ("x"))"), "GAIA_IQ03");
}

TEST_F(QueryTest, NumericComparisons) {
  add([](Record& r) { r.values["数値"].text = "5"; });
  add([](Record& r) { r.values["数値"].text = "10"; });
  add([](Record& r) { r.values["数値"].text = "-2.5"; });
  add([](Record& r) { r.values["数値"].text = ""; });
  add([](Record& r) { r.values["計算"].text = "100"; });

  EXPECT_EQ(ids("数値 = 10"), (Ids{2}));
  EXPECT_EQ(ids(R"(数値 = "10")"), (Ids{2}));
  EXPECT_EQ(ids("数値 = 10.0"), (Ids{2}));
  EXPECT_EQ(ids("数値 != 10"), (Ids{5, 4, 3, 1}));
  EXPECT_EQ(ids("数値 < 10"), (Ids{3, 1}));  // numeric, not lexical: "5" < "10"
  EXPECT_EQ(ids("数値 <= 10"), (Ids{3, 2, 1}));
  EXPECT_EQ(ids("数値 > 5"), (Ids{2}));
  EXPECT_EQ(ids("数値 >= 5"), (Ids{2, 1}));
  EXPECT_EQ(ids("数値 > -3"), (Ids{3, 2, 1}));
  EXPECT_EQ(ids(R"(数値 in (5, "10"))"), (Ids{2, 1}));
  EXPECT_EQ(ids("数値 not in (5, 10)"), (Ids{5, 4, 3}));
  EXPECT_EQ(ids(R"(数値 = "")"), (Ids{5, 4}));
  EXPECT_EQ(ids("計算 >= 100"), (Ids{5}));
  EXPECT_EQ(errorOf(R"(数値 like "1")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(数値 = "abc")"), "CB_VA01");
  EXPECT_EQ(errorOf("数値 = abc"), "CB_VA01");
  EXPECT_EQ(errorOf("数値 = 0x10"), "CB_VA01");
}

TEST_F(QueryTest, IdAndRecordNumber) {
  for (int i = 0; i < 6; ++i) add([](Record&) {});
  EXPECT_EQ(ids("$id = 3"), (Ids{3}));
  EXPECT_EQ(ids("$id != 3"), (Ids{6, 5, 4, 2, 1}));
  EXPECT_EQ(ids("$id > 4"), (Ids{6, 5}));
  EXPECT_EQ(ids("$id >= 4"), (Ids{6, 5, 4}));
  EXPECT_EQ(ids("$id < 2"), (Ids{1}));
  EXPECT_EQ(ids("$id <= 2"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"($id in (1, "3", 5))"), (Ids{5, 3, 1}));
  EXPECT_EQ(ids("$id not in (1, 3, 5)"), (Ids{6, 4, 2}));
  EXPECT_EQ(ids("レコード番号 = 2"), (Ids{2}));
  EXPECT_EQ(ids(R"(レコード番号 = "APP-2")"), (Ids{2}));
  EXPECT_EQ(ids("レコード番号 > 4 order by レコード番号 asc"), (Ids{5, 6}));
  EXPECT_EQ(errorOf(R"($id like "1")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf("Record_number = 1"), "GAIA_IQ11");

  app.locale = Locale::en;
  EXPECT_EQ(ids("Record_number = 2"), (Ids{2}));
  EXPECT_EQ(errorOf("レコード番号 = 2"), "GAIA_IQ11");

  // A RECORD_NUMBER field in the form replaces the default code.
  app.locale = Locale::ja;
  app.fields.push_back(field("番号", FieldType::RECORD_NUMBER));
  EXPECT_EQ(ids("番号 = 4"), (Ids{4}));
  EXPECT_EQ(errorOf("レコード番号 = 4"), "GAIA_IQ11");
}

TEST_F(QueryTest, StatusAndAssignee) {
  add([](Record& r) {
    r.status = "未処理";
    r.assignees = {"alice"};
  });
  add([](Record& r) {
    r.status = "承認待ち";
    r.assignees = {"bob", "alice"};
  });
  add([](Record& r) {
    r.status = "承認待ち";
    r.assignees = {"bob"};
  });
  add([](Record& r) { r.status = "完了"; });

  EXPECT_EQ(ids(R"(ステータス = "承認待ち")"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(ステータス != "承認待ち")"), (Ids{4, 1}));
  EXPECT_EQ(ids(R"(ステータス in ("未処理", "完了"))"), (Ids{4, 1}));
  EXPECT_EQ(ids(R"(ステータス not in ("完了", "却下"))"), (Ids{3, 2, 1}));
  EXPECT_EQ(ids(R"(作業者 in (LOGINUSER()))"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"(作業者 in ("bob"))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(作業者 not in (LOGINUSER()))"), (Ids{4, 3}));
  EXPECT_EQ(ids(R"(作業者 in (""))"), (Ids{4}));
  EXPECT_EQ(ids(R"(ステータス in ("承認待ち") and 作業者 in (LOGINUSER()))"), (Ids{2}));
  env.loginUser = "bob";
  EXPECT_EQ(ids(R"(ステータス in ("承認待ち") and 作業者 in (LOGINUSER()))"), (Ids{3, 2}));

  EXPECT_EQ(errorOf(R"(ステータス like "承認")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(ステータス < "承認")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(作業者 = "bob")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(作業者 != "bob")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(作業者 like "bob")"), "GAIA_IQ03");

  // English defaults.
  app.locale = Locale::en;
  EXPECT_EQ(ids(R"(Status = "完了")"), (Ids{4}));
  EXPECT_EQ(ids(R"(Assignee in ("bob"))"), (Ids{3, 2}));
  EXPECT_EQ(errorOf(R"(ステータス = "完了")"), "GAIA_IQ11");

  // Custom codes from the form.
  app.locale = Locale::ja;
  app.fields.push_back(field("状態", FieldType::STATUS));
  app.fields.push_back(field("担当", FieldType::STATUS_ASSIGNEE));
  EXPECT_EQ(ids(R"(状態 = "完了")"), (Ids{4}));
  EXPECT_EQ(ids(R"(担当 in ("bob"))"), (Ids{3, 2}));
  EXPECT_EQ(errorOf(R"(ステータス = "完了")"), "GAIA_IQ11");
}

TEST_F(QueryTest, CreatorModifierAndUsers) {
  add([](Record& r) {
    r.creator = "alice";
    r.modifier = "bob";
    r.values["ユーザー"].items = {"bob", "carol"};
  });
  add([](Record& r) {
    r.creator = "bob";
    r.modifier = "alice";
    r.values["ユーザー"].items = {"alice"};
  });
  add([](Record& r) {
    r.creator = "carol";
    r.modifier = "carol";
  });

  EXPECT_EQ(ids(R"(作成者 in (LOGINUSER()))"), (Ids{1}));
  EXPECT_EQ(ids(R"(作成者 in (LOGINUSER(), "bob"))"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"(作成者 not in (LOGINUSER()))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(更新者 in ("bob"))"), (Ids{1}));
  EXPECT_EQ(ids(R"(更新者 not in ("bob"))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(ユーザー in ("carol"))"), (Ids{1}));
  EXPECT_EQ(ids(R"(ユーザー in (LOGINUSER()))"), (Ids{2}));
  EXPECT_EQ(ids(R"(ユーザー not in ("carol"))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(ユーザー in (""))"), (Ids{3}));
  EXPECT_EQ(errorOf(R"(作成者 = "alice")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(ユーザー = "alice")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(更新者 like "a")"), "GAIA_IQ03");
  // LOGINUSER() on a field it does not apply to.
  EXPECT_EQ(errorOf(R"(文字列 = LOGINUSER())"), "GAIA_IQ03");

  app.locale = Locale::en;
  EXPECT_EQ(ids(R"(Created_by in ("bob"))"), (Ids{2}));
  EXPECT_EQ(ids(R"(Updated_by in ("carol"))"), (Ids{3}));
}

TEST_F(QueryTest, PrimaryOrganization) {
  add([](Record& r) { r.values["組織"].items = {"営業部"}; });
  add([](Record& r) { r.values["組織"].items = {"開発部"}; });
  add([](Record& r) { r.values["組織"].items = {"開発部", "営業部"}; });
  add([](Record&) {});
  // alice's first organization in declaration order is 営業部.
  EXPECT_EQ(ids(R"(組織 in (PRIMARY_ORGANIZATION()))"), (Ids{3, 1}));
  EXPECT_EQ(ids(R"(組織 not in (PRIMARY_ORGANIZATION()))"), (Ids{4, 2}));
  env.loginUser = "bob";
  EXPECT_EQ(ids(R"(組織 in (PRIMARY_ORGANIZATION()))"), (Ids{3, 2}));
  env.loginUser = "nobody";  // no organization: matches nothing
  EXPECT_EQ(ids(R"(組織 in (PRIMARY_ORGANIZATION()))"), (Ids{}));
  EXPECT_EQ(errorOf(R"(作業者 in (PRIMARY_ORGANIZATION()))"), "GAIA_IQ03");
}

TEST_F(QueryTest, SelectionFields) {
  add([](Record& r) {
    r.values["チェック"].items = {"A", "B"};
    r.values["複数選択"].items = {"x"};
    r.values["ドロップダウン"].text = "赤";
    r.values["ラジオ"].text = "はい";
    r.values["グループ"].items = {"admins"};
  });
  add([](Record& r) {
    r.values["チェック"].items = {"C"};
    r.values["ドロップダウン"].text = "青";
    r.values["ラジオ"].text = "いいえ";
  });
  add([](Record&) {});

  EXPECT_EQ(ids(R"(チェック in ("B", "Z"))"), (Ids{1}));
  EXPECT_EQ(ids(R"(チェック not in ("A"))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(チェック in (""))"), (Ids{3}));
  EXPECT_EQ(ids(R"(チェック not in (""))"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"(複数選択 in ("x"))"), (Ids{1}));
  EXPECT_EQ(ids(R"(ドロップダウン in ("赤", "青"))"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"(ドロップダウン not in ("赤"))"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(ドロップダウン in (""))"), (Ids{3}));
  EXPECT_EQ(ids(R"(ラジオ in ("いいえ"))"), (Ids{2}));
  EXPECT_EQ(ids(R"(グループ in ("admins"))"), (Ids{1}));
  EXPECT_EQ(errorOf(R"(チェック = "A")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(ドロップダウン = "赤")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(ラジオ like "は")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(複数選択 != "x")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(グループ = "x")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(組織 = "x")"), "GAIA_IQ03");
}

TEST_F(QueryTest, DateTimeAndDatetimeFields) {
  add([](Record& r) {
    r.values["日付"].text = "2024-05-10";
    r.values["時刻"].text = "09:30";
    r.values["日時"].text = "2024-05-10T01:00:00Z";
    r.createdAt = ms(2024, 5, 10, 8);
    r.updatedAt = ms(2024, 5, 10, 13);
  });
  add([](Record& r) {
    r.values["日付"].text = "2024-04-01";
    r.values["時刻"].text = "18:00";
    r.values["日時"].text = "2024-05-10T09:00:00+09:00";  // = 00:00Z
    r.createdAt = ms(2024, 4, 1);
    r.updatedAt = ms(2024, 4, 2);
  });
  add([](Record&) {});

  EXPECT_EQ(ids(R"(日付 = "2024-05-10")"), (Ids{1}));
  EXPECT_EQ(ids(R"(日付 != "2024-05-10")"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(日付 < "2024-05-01")"), (Ids{2}));
  EXPECT_EQ(ids(R"(日付 >= "2024-04-01")"), (Ids{2, 1}));
  EXPECT_EQ(ids(R"(日付 <= "2024-04-01")"), (Ids{2}));
  EXPECT_EQ(ids(R"(日付 > "2024-04-01")"), (Ids{1}));
  EXPECT_EQ(ids(R"(日付 = "")"), (Ids{3}));
  EXPECT_EQ(ids("日付 = TODAY()"), (Ids{1}));
  EXPECT_EQ(ids("日付 < TODAY()"), (Ids{2}));

  EXPECT_EQ(ids(R"(時刻 < "12:00")"), (Ids{1}));
  EXPECT_EQ(ids(R"(時刻 = "18:00:00")"), (Ids{2}));
  EXPECT_EQ(ids(R"(時刻 >= "09:30")"), (Ids{2, 1}));

  EXPECT_EQ(ids(R"(日時 = "2024-05-10T01:00:00Z")"), (Ids{1}));
  EXPECT_EQ(ids(R"(日時 = "2024-05-10T10:00:00+09:00")"), (Ids{1}));
  EXPECT_EQ(ids(R"(日時 < "2024-05-10T00:30:00Z")"), (Ids{2}));
  EXPECT_EQ(ids(R"(日時 > "2024-05-10T00:30Z")"), (Ids{1}));
  EXPECT_EQ(ids(R"(日時 = "2024-05-10")"), (Ids{2, 1}));  // a date matches the whole day
  EXPECT_EQ(ids(R"(日時 = "")"), (Ids{3}));
  EXPECT_EQ(ids("日時 < NOW()"), (Ids{2, 1}));

  // Created / updated times are epoch ms on the record; now = 2024-05-10T12:30Z.
  EXPECT_EQ(ids("作成日時 = TODAY()"), (Ids{1}));
  EXPECT_EQ(ids("作成日時 < TODAY()"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(作成日時 >= "2024-05-10T08:00:00Z")"), (Ids{1}));
  EXPECT_EQ(ids(R"(作成日時 > "2024-05-10T08:00:00Z")"), (Ids{}));
  EXPECT_EQ(ids("更新日時 > NOW()"), (Ids{1}));
  EXPECT_EQ(ids("更新日時 <= NOW()"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(更新日時 != "2024-04-02T00:00:00Z")"), (Ids{3, 1}));

  EXPECT_EQ(errorOf(R"(日付 in ("2024-05-10"))"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(作成日時 like "2024")"), "GAIA_IQ03");
  EXPECT_EQ(errorOf(R"(日付 = "yesterday")"), "CB_VA01");
  EXPECT_EQ(errorOf(R"(時刻 = "25:00")"), "CB_VA01");
  EXPECT_EQ(errorOf(R"(作成者 in (TODAY()))"), "GAIA_IQ03");

  app.locale = Locale::en;
  EXPECT_EQ(ids("Created_datetime = TODAY()"), (Ids{1}));
  EXPECT_EQ(ids("Updated_datetime < TODAY()"), (Ids{3, 2}));
}

TEST_F(QueryTest, AndBindsTighterThanOrAndParenthesesGroup) {
  // id: a b c
  add([](Record& r) {
    r.values["文字列"].text = "a";
    r.values["数値"].text = "1";
  });  // 1
  add([](Record& r) {
    r.values["文字列"].text = "b";
    r.values["数値"].text = "2";
  });  // 2
  add([](Record& r) {
    r.values["文字列"].text = "c";
    r.values["数値"].text = "1";
  });  // 3
  add([](Record& r) {
    r.values["文字列"].text = "a";
    r.values["数値"].text = "2";
  });  // 4

  // a or (b and 1): 1, 4 (b and 1 matches nothing)
  EXPECT_EQ(ids(R"(文字列 = "a" or 文字列 = "b" and 数値 = 1)"), (Ids{4, 1}));
  // (a or b) and 1: 1
  EXPECT_EQ(ids(R"((文字列 = "a" or 文字列 = "b") and 数値 = 1)"), (Ids{1}));
  // (1 and c) or (2 and b)
  EXPECT_EQ(ids(R"(数値 = 1 and 文字列 = "c" or 数値 = 2 and 文字列 = "b")"), (Ids{3, 2}));
  EXPECT_EQ(ids(R"(((文字列 = "c")))"), (Ids{3}));
  EXPECT_EQ(ids(R"(数値 = 2 and (文字列 = "a" or (文字列 = "b" and $id > 1)))"), (Ids{4, 2}));
  // keywords are case-insensitive
  EXPECT_EQ(ids(R"(文字列 = "a" OR 文字列 = "b" AnD 数値 = 1)"), (Ids{4, 1}));
  EXPECT_EQ(ids(R"(文字列 NOT IN ("a") And 文字列 LIKE "C")"), (Ids{3}));
  EXPECT_EQ(ids(R"(文字列 Not Like "a" ORDER BY $id ASC LIMIT 1 OFFSET 1)"), (Ids{3}));
}

TEST_F(QueryTest, StringEscapes) {
  add([](Record& r) { r.values["文字列"].text = R"(say "hi")"; });
  add([](Record& r) { r.values["文字列"].text = R"(C:\temp)"; });
  add([](Record& r) { r.values["文字列"].text = "a and b or (c)"; });
  EXPECT_EQ(ids(R"(文字列 = "say \"hi\"")"), (Ids{1}));
  EXPECT_EQ(ids(R"(文字列 = "C:\\temp")"), (Ids{2}));
  EXPECT_EQ(ids(R"(文字列 like "\"")"), (Ids{1}));
  EXPECT_EQ(ids(R"q(文字列 = "a and b or (c)")q"), (Ids{3}));
  EXPECT_EQ(errorOf("文字列 = \"a\tb\""), "CB_VA01");
  EXPECT_EQ(errorOf("文字列 = \"a\nb\""), "CB_VA01");
  EXPECT_EQ(errorOf(R"(文字列 = "unterminated)"), "CB_VA01");
  // whitespace (including newlines) between tokens is fine
  EXPECT_EQ(ids("文字列 = \"C:\\\\temp\"\n\tor $id = 1"), (Ids{2, 1}));
}

// More records than the scan's block (16 in wasm, which fetches a block ahead before evaluating
// it): pages that start and stop inside blocks, in both directions, with and without the total.
TEST_F(QueryTest, ScanAcrossBlocksStopsAtThePageAndCountsEverything) {
  for (int i = 1; i <= 40; ++i) add([&](Record& r) { r.values["数値"].text = std::to_string(i); });
  int64_t total = 0;
  EXPECT_EQ(ids("数値 > 10 order by $id asc limit 5 offset 3"), (Ids{14, 15, 16, 17, 18}));
  EXPECT_EQ(ids("数値 > 10 order by $id asc limit 5 offset 3", &total), (Ids{14, 15, 16, 17, 18}));
  EXPECT_EQ(total, 30);
  EXPECT_EQ(ids("数値 <= 20 order by $id desc limit 3 offset 2"), (Ids{18, 17, 16}));
  EXPECT_EQ(ids("数値 <= 20 order by $id desc limit 3 offset 2", &total), (Ids{18, 17, 16}));
  EXPECT_EQ(total, 20);
  EXPECT_EQ(ids("数値 in (1, 17, 33, 40) order by $id desc", &total), (Ids{40, 33, 17, 1}));
  EXPECT_EQ(total, 4);
  EXPECT_EQ(ids("数値 > 100 order by 数値 desc", &total), (Ids{}));  // the sorting path
  EXPECT_EQ(total, 0);
  EXPECT_EQ(ids("数値 >= 39 order by 数値 asc", &total), (Ids{39, 40}));
  EXPECT_EQ(total, 2);
}

TEST_F(QueryTest, OrderByLimitOffsetTotal) {
  const char* names[] = {"b", "a", "c", "a", "b", "a"};
  const char* nums[] = {"3", "1", "2", "5", "", "1"};
  for (int i = 0; i < 6; ++i) {
    add([&](Record& r) {
      r.values["文字列"].text = names[i];
      r.values["数値"].text = nums[i];
      r.updatedAt = ms(2024, 1, 1 + i);
    });
  }
  EXPECT_EQ(ids("order by $id asc"), (Ids{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ids("order by $id desc"), (Ids{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(ids("order by $id"), (Ids{1, 2, 3, 4, 5, 6}));       // asc by default
  EXPECT_EQ(ids("order by 数値 asc"), (Ids{5, 6, 2, 3, 1, 4}));  // empty first; ties $id desc
  EXPECT_EQ(ids("order by 数値 desc"), (Ids{4, 1, 3, 6, 2, 5}));
  EXPECT_EQ(ids("order by 文字列 asc, 数値 desc"), (Ids{4, 6, 2, 1, 5, 3}));
  EXPECT_EQ(ids("order by 文字列 desc, $id asc"), (Ids{3, 1, 5, 2, 4, 6}));
  EXPECT_EQ(ids("order by 更新日時 desc limit 2"), (Ids{6, 5}));
  EXPECT_EQ(ids("order by 文字列 asc, 数値 desc limit 2 offset 1"), (Ids{6, 2}));

  int64_t total = 0;
  EXPECT_EQ(ids(R"(文字列 = "a" limit 2)", &total), (Ids{6, 4}));
  EXPECT_EQ(total, 3);
  EXPECT_EQ(ids(R"(文字列 = "a" limit 2 offset 2)", &total), (Ids{2}));
  EXPECT_EQ(total, 3);
  EXPECT_EQ(ids(R"(文字列 = "a" offset 5)", &total), (Ids{}));
  EXPECT_EQ(total, 3);
  EXPECT_EQ(ids(R"(文字列 != "a" order by 数値 desc limit 1)", &total), (Ids{1}));
  EXPECT_EQ(total, 3);
  EXPECT_EQ(ids("offset 4 limit 1"), (Ids{2}));  // either order
  EXPECT_EQ(ids("limit 0", &total), (Ids{}));
  EXPECT_EQ(total, 6);

  auto q = Query::parse("order by $id asc limit 500 offset 10000", app);
  EXPECT_EQ(q.limit(), 500);
  EXPECT_EQ(q.offset(), 10000);
  EXPECT_FALSE(q.hasCondition());

  EXPECT_EQ(errorOf("order by チェック asc"), "GAIA_IQ03");
  EXPECT_EQ(errorOf("order by 作業者 asc"), "GAIA_IQ03");
  EXPECT_EQ(errorOf("order by nope asc"), "GAIA_IQ11");
}

TEST_F(QueryTest, LimitAndOffsetErrors) {
  EXPECT_EQ(errorOf("limit 501"), "GAIA_QU01");
  EXPECT_EQ(errorOf("limit 99999999999999999999"), "GAIA_QU01");
  EXPECT_EQ(errorOf("offset 10001"), "GAIA_QU02");
  EXPECT_EQ(errorOf(R"(文字列 = "a" limit 10 offset 10001)"), "GAIA_QU02");
  EXPECT_EQ(errorOf("limit -1"), "CB_VA01");
  EXPECT_EQ(errorOf("offset -1"), "CB_VA01");
  EXPECT_EQ(errorOf("limit 1.5"), "CB_VA01");
  EXPECT_EQ(errorOf(R"(limit "10")"), "CB_VA01");
  EXPECT_EQ(errorOf("limit 10 limit 20"), "CB_VA01");
  EXPECT_EQ(errorOf("limit 10 order by $id"), "CB_VA01");
  EXPECT_EQ(errorOf("limit"), "CB_VA01");
  EXPECT_EQ(errorOf(R"(文字列 = "a" offset)"), "CB_VA01");
}

TEST_F(QueryTest, SyntaxErrorsCarryQueryKey) {
  try {
    Query::parse(R"(文字列 = )", app);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "CB_VA01");
    ASSERT_EQ(e.fields().size(), 1u);
    EXPECT_EQ(e.fields()[0].key, "query");
    EXPECT_EQ(e.fields()[0].message, "query_syntax");
  }
  const char* bad[] = {
      R"(文字列)",
      R"(文字列 "a")",
      R"(文字列 == "a")",
      R"(文字列 ! "a")",
      R"(文字列 = "a" and)",
      R"(文字列 = "a" or or 文字列 = "b")",
      R"((文字列 = "a")",
      R"(文字列 = "a"))",
      R"(文字列 in "a")",
      R"(文字列 in ())",
      R"(文字列 in ("a",))",
      R"(文字列 in ("a" "b"))",
      R"(文字列 not "a")",
      R"(文字列 = "a" 文字列 = "b")",
      R"(文字列 = unquoted)",
      R"(文字列 = FOO())",
      R"(作業者 in (LOGINUSER())",
      R"(and 文字列 = "a")",
      R"(文字列 = "a" order $id)",
      R"(文字列 = "a" order by)",
      R"(文字列 = "a" order by $id sideways)",
  };
  for (const char* q : bad) EXPECT_EQ(errorOf(q), "CB_VA01") << q;
}

TEST_F(QueryTest, UnknownFieldIsIQ11WithCode) {
  try {
    Query::parse(R"(存在しない = "a")", app);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "GAIA_IQ11");
    EXPECT_EQ(e.args(), std::vector<std::string>{"存在しない"});
  }
  try {
    Query::parse(R"(ステータス like "a")", app);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "GAIA_IQ03");
    EXPECT_EQ(e.args(), std::vector<std::string>{"ステータス"});
  }
  EXPECT_EQ(errorOf(R"(文字列 = "a" and foo in ("x"))"), "GAIA_IQ11");
}

TEST_F(QueryTest, ConditionOnly) {
  add([](Record& r) {
    r.values["数値"].text = "5";
    r.status = "承認待ち";
  });
  add([](Record& r) {
    r.values["数値"].text = "50";
    r.status = "承認待ち";
  });

  auto empty = Query::parse("", app, true);
  EXPECT_FALSE(empty.hasCondition());
  EXPECT_TRUE(empty.matches(store[0], env));

  auto q = Query::parse("数値 >= 10", app, true);
  EXPECT_TRUE(q.hasCondition());
  EXPECT_FALSE(q.matches(store[0], env));
  EXPECT_TRUE(q.matches(store[1], env));

  EXPECT_EQ(errorOf("数値 >= 10 order by $id", true), "CB_VA01");
  EXPECT_EQ(errorOf("数値 >= 10 limit 1", true), "CB_VA01");
  EXPECT_EQ(errorOf("数値 >= 10 offset 1", true), "CB_VA01");
  EXPECT_EQ(errorOf("order by $id", true), "CB_VA01");
  EXPECT_EQ(errorOf("limit 5", true), "CB_VA01");
  EXPECT_EQ(errorOf("nope = 1", true), "GAIA_IQ11");
  EXPECT_EQ(errorOf(R"(ステータス like "x")", true), "GAIA_IQ03");
}

TEST_F(QueryTest, MatchesUsesEnvironment) {
  add([](Record& r) { r.assignees = {"bob"}; });
  auto q = Query::parse("作業者 in (LOGINUSER())", app);
  EXPECT_FALSE(q.matches(store[0], env));
  env.loginUser = "bob";
  EXPECT_TRUE(q.matches(store[0], env));
  env.loginUser = "";
  EXPECT_FALSE(q.matches(store[0], env));
}

TEST_F(QueryTest, MovedQueryKeepsWorking) {
  add([](Record& r) { r.values["文字列"].text = "x"; });
  add([](Record&) {});
  Query q;
  EXPECT_FALSE(q.hasCondition());
  q = Query::parse(R"(文字列 = "x")", app);
  Query moved(std::move(q));
  EXPECT_TRUE(moved.matches(store[0], env));
  EXPECT_FALSE(moved.matches(store[1], env));
}

TEST_F(QueryTest, ApprovalQueryOver100kRecords) {
  const char* statuses[] = {"未処理", "承認待ち", "完了"};
  const char* users[] = {"alice", "bob", "carol", "dave"};
  std::vector<int64_t> expected;  // descending
  for (int i = 1; i <= 100000; ++i) {
    Record& r = add([&](Record& rec) {
      rec.status = statuses[i % 3];
      rec.assignees = {users[i % 4]};
      if (i % 7 == 0) rec.assignees.push_back("alice");
    });
    ASSERT_EQ(r.id, i);
  }
  for (int i = 100000; i >= 1; --i) {
    const bool pending = i % 3 == 1;
    const bool mine = i % 4 == 0 || i % 7 == 0;
    if (pending && mine) expected.push_back(i);
  }
  const std::string text = R"(ステータス in ("承認待ち") and 作業者 in (LOGINUSER()))";
  int64_t total = 0;
  auto got = ids(text, &total);
  EXPECT_EQ(total, static_cast<int64_t>(expected.size()));
  ASSERT_EQ(got.size(), 100u);
  EXPECT_EQ(got, Ids(expected.begin(), expected.begin() + 100));

  auto page = ids(text + " limit 500 offset 1000");
  EXPECT_EQ(page, Ids(expected.begin() + 1000, expected.begin() + 1500));

  auto oldest = ids(text + " order by $id asc limit 3");
  EXPECT_EQ(oldest, Ids(expected.rbegin(), expected.rbegin() + 3));

  auto byUpdated = ids(text + " order by 更新日時 desc, $id asc limit 5");
  EXPECT_EQ(byUpdated, Ids(expected.rbegin(), expected.rbegin() + 5));  // equal times: $id asc
}

}  // namespace
}  // namespace ringi::domain

namespace ringi::domain {
namespace {

// `depth` parentheses around one condition, each level an `or` with another condition: the tree
// is as deep as the parentheses.
std::string nested(int depth) {
  std::string q;
  for (int i = 0; i < depth; ++i) q += "(数値 = " + std::to_string(i) + " or ";
  q += "数値 = -1";
  for (int i = 0; i < depth; ++i) q += ")";
  return q;
}

TEST_F(QueryTest, ParenthesesNestAtMost32Deep) {
  add([](Record& r) { r.values["数値"].text = "-1"; });
  add([](Record& r) { r.values["数値"].text = "31"; });
  add([](Record& r) { r.values["数値"].text = "5"; });
  EXPECT_EQ(ids(nested(32) + " order by $id asc"), (Ids{1, 2, 3}));
  for (int depth : {33, 5000, 20000}) {
    try {
      Query::parse(nested(depth), app);
      FAIL() << depth << " levels parsed";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "CB_VA01");
      ASSERT_EQ(e.fields().size(), 1u);
      EXPECT_EQ(e.fields()[0].key, "query");
      EXPECT_EQ(e.fields()[0].message, "query_depth");
      EXPECT_EQ(e.fields()[0].args, std::vector<std::string>{"32"});
    }
  }
  // Redundant parentheses count too: each level is a parse (and free) of its own.
  EXPECT_EQ(errorOf(std::string(40, '(') + "数値 = 1" + std::string(40, ')')), "CB_VA01");
  // A flat query of many conditions is not deep: 20,000 `or`s parse.
  std::string flat = "数値 = 0";
  for (int i = 0; i < 20000; ++i) flat += " or 数値 = 0";
  EXPECT_EQ(errorOf(flat), "");
}

}  // namespace
}  // namespace ringi::domain
