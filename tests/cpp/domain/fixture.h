// A small expense-approval workspace shared by the domain tests.
//
//   未処理 (initial, ONE: creator) --申請する--> 承認待ち (ANY: sato + org sales incl. subs)
//   承認待ち --承認する [金額 < 100000]--> 部長承認 (ONE: group managers)
//   承認待ち --差し戻す--> 未処理
//   承認待ち --取り消す (SECONDARY, admin)--> 未処理
//   部長承認 --承認する--> 全員確認 (ALL: tanaka, suzuki)
//   全員確認 --確認する--> 完了 (no assignee)
#pragma once

#include <cstdint>

#include "domain/engine.h"

namespace ringi::testing {

using namespace ringi::domain;

inline Entity user(const std::string& code) { return Entity{EntityType::USER, code, false}; }

inline FieldDef field(const std::string& code, FieldType type) {
  FieldDef f;
  f.code = f.label = code;
  f.type = type;
  return f;
}

inline Snapshot expenseWorkspace() {
  Snapshot s;
  s.users = {{"sato", "佐藤", Locale::ja},   {"li", "李", Locale::zh},
             {"smith", "Smith", Locale::en}, {"tanaka", "田中", Locale::ja},
             {"suzuki", "鈴木", Locale::ja}, {"admin", "Admin", Locale::en},
             {"kato", "加藤", Locale::ja}};
  s.organizations = {{"sales", "Sales", std::nullopt, {"li"}},
                     {"sales-east", "Sales East", std::string("sales"), {"kato"}}};
  s.groups = {{"managers", "Managers", {"tanaka"}}, {"bosses", "Bosses", {"tanaka", "suzuki"}}};

  App app;
  app.id = 1;
  app.name = "経費精算";
  app.locale = Locale::ja;
  FieldDef title = field("件名", FieldType::SINGLE_LINE_TEXT);
  FieldDef amount = field("金額", FieldType::NUMBER);
  FieldDef kind = field("種別", FieldType::DROP_DOWN);
  kind.options = {"交通費", "宿泊費"};
  app.fields = {title, amount, kind};
  app.previewFields = app.fields;

  ProcessSettings p;
  p.enable = p.configured = true;
  p.states = {
      State{"未処理", 0, AssigneeType::ONE, {Entity{EntityType::FIELD_ENTITY, "作成者", false}}},
      State{"承認待ち",
            1,
            AssigneeType::ANY,
            {user("sato"), Entity{EntityType::ORGANIZATION, "sales", true}}},
      State{"部長承認", 2, AssigneeType::ONE, {Entity{EntityType::GROUP, "managers", false}}},
      State{"全員確認", 3, AssigneeType::ALL, {user("tanaka"), user("suzuki")}},
      State{"完了", 4, AssigneeType::ONE, {}},
  };
  Action cancel{"取り消す", "承認待ち", "未処理", "", ActionType::SECONDARY, {user("admin")}};
  p.actions = {
      Action{"申請する", "未処理", "承認待ち", "", ActionType::PRIMARY, {}},
      Action{"承認する", "承認待ち", "部長承認", "金額 < 100000", ActionType::PRIMARY, {}},
      Action{"差し戻す", "承認待ち", "未処理", "", ActionType::PRIMARY, {}},
      cancel,
      Action{"承認する", "部長承認", "全員確認", "", ActionType::PRIMARY, {}},
      Action{"確認する", "全員確認", "完了", "", ActionType::PRIMARY, {}},
  };
  app.process = app.previewProcess = p;
  app.batchApproval.enabled = true;
  app.batchApproval.actions = {{"承認待ち", "承認する"}};
  s.apps.push_back(app);
  return s;
}

// An engine with the workspace loaded, a fixed clock and fixed id seed.
struct Fixture {
  Engine engine;
  int64_t clock = 1'700'000'000'000;
  Fixture() {
    engine.setClock([this] { return clock; });
    engine.seedIds(42);
    engine.load(expenseWorkspace());
    engine.confirmLast();
  }
  FieldValues values(const std::string& title, const std::string& amount) {
    FieldValues v;
    v["件名"].text = title;
    v["金額"].text = amount;
    return v;
  }
  // A record created by `creator` and applied for (status 承認待ち, assignees sato + li + kato).
  int64_t pending(const std::string& creator = "smith", const std::string& amount = "5000") {
    int64_t id = engine.addRecord(creator, 1, values("出張", amount)).first;
    engine.changeStatus(creator, 1, StatusRequest{id, "申請する", std::nullopt, std::nullopt});
    return id;
  }
  std::string openTaskOf(const std::string& user, int64_t id) {
    for (const auto& t : engine.openTasks(user, 1))
      if (t.record->id == id) return t.task->id();
    return "";
  }
};

}  // namespace ringi::testing
