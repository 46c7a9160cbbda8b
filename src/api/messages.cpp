#include "api/messages.h"

#include <cstddef>
#include <iterator>

namespace ringi::api {
namespace {

using domain::Locale;

struct Text {
  const char* en;
  const char* ja;
  const char* zh;
};

// The catalogues are constant data (no map built on the heap at first use: that construction
// was ~18 KB of wasm code). Looked up by a linear scan: only errors read them.
struct ErrorEntry {
  const char* code;
  int status;
  Text text;
};
constexpr ErrorEntry kErrors[] = {
    {"CB_VA01",
     400,
     {"Missing or invalid input.", "入力内容が正しくありません。", "输入内容不正确。"}},
    {"CB_IJ01", 400, {"Invalid JSON string.", "不正なJSON文字列です。", "无效的JSON字符串。"}},
    {"CB_AU01", 401, {"Please login.", "ログインしてください。", "请登录。"}},
    {"CB_NO02", 403, {"No privilege to proceed.", "権限がありません。", "没有操作权限。"}},
    {"GAIA_NO01",
     403,
     {"Using this API token, you cannot run the specified API.",
      "このAPIトークンでは、指定したAPIを実行できません。", "使用此API令牌无法执行指定的API。"}},
    {"CB_NF01",
     404,
     {"The specified API is not found.", "指定したAPIが見つかりません。", "找不到指定的API。"}},
    {"RINGI_MT01",
     405,
     {"The HTTP method ({0}) is not allowed for the specified API.",
      "指定したAPIではこのHTTPメソッド（{0}）は使用できません。",
      "指定的API不支持该HTTP方法（{0}）。"}},
    {"RINGI_IE01",
     500,
     {"An unexpected error occurred.", "予期しないエラーが発生しました。", "发生了意外错误。"}},
    {"GAIA_AP01",
     404,
     {"The app (ID: {0}) not found. The app may have been deleted.",
      "指定したアプリ（id: {0}）が見つかりません。削除されている可能性があります。",
      "指定的应用（ID: {0}）不存在。该应用可能已被删除。"}},
    {"GAIA_RE01",
     404,
     {"The specified record (ID: {0}) is not found.",
      "指定したレコード（id: {0}）が見つかりません。", "指定的记录（ID: {0}）不存在。"}},
    {"GAIA_RE20",
     404,
     {"The specified record (updateKey: {0}) is not found.",
      "指定したレコード（updateKey: {0}）が見つかりません。",
      "指定的记录（updateKey: {0}）不存在。"}},
    {"GAIA_CO02",
     409,
     {"The revision is not the latest. Someone may update a record.",
      "指定したrevisionは最新ではありません。ほかのユーザーがレコードを更新した可能性があります。",
      "指定的revision不是最新的。其他用户可能已更新了记录。"}},
    {"GAIA_CO03",
     409,
     {"The revision is not the latest. Someone may update the app settings (ID: {0}).",
      "指定したrevisionは最新ではありません。ほかのユーザーがアプリの設定を更新した可能性があります"
      "（id: {0}）。",
      "指定的revision不是最新的。其他用户可能已更新了应用设置（ID: {0}）。"}},
    {"GAIA_IL03",
     400,
     {"Failed to update the status. The settings or the status itself may have been "
      "changed by someone.",
      "ステータスの変更に失敗しました。ほかのユーザーがステータス、またはステータスの設定を変更した"
      "可能性があります。",
      "状态更新失败。其他用户可能已更改了状态或状态设置。"}},
    {"GAIA_ST02",
     400,
     {"Your request failed. The process management feature has been disabled.",
      "操作に失敗しました。プロセス管理機能が無効化されています。",
      "操作失败。流程管理功能已被禁用。"}},
    {"GAIA_SA01", 400, {"Assignee is required.", "作業者を指定してください。", "请指定执行者。"}},
    {"GAIA_SA04",
     400,
     {"Failed to update status. Assignee cannot be specified by the action.",
      "ステータスの変更に失敗しました。このアクションでは作業者を指定できません。",
      "状态更新失败。该动作不能指定执行者。"}},
    {"GAIA_NT01",
     403,
     {"Only Assignee can change the status.", "作業者のみがステータスを変更できます",
      "只有执行者可以更改状态。"}},
    {"GAIA_IL26",
     400,
     {"The specified user (code：{0}) not found.",
      "指定したユーザー（code：{0}）が見つかりません。", "指定的用户（code：{0}）不存在。"}},
    {"GAIA_IL23",
     520,
     {"To operate an app in a guest space, use the guest space API path "
      "\"/k/guest/(space ID)/v1/...\".",
      "ゲストスペース内のアプリを操作する場合は、リクエストの送信先を「/k/guest/"
      "（ゲストスペースのID）/v1/...」にしてください。",
      "操作来宾空间中的应用时，请使用“/k/guest/（来宾空间ID）/v1/...”路径。"}},
    {"GAIA_TO02",
     400,
     {"Only one assignee can be set to \"{0}\".", "「{0}」に設定できる作業者は1人だけです。",
      "“{0}”只能设置一名执行者。"}},
    {"GAIA_UN10",
     400,
     {"Cannot update field whose type is {0}.",
      "フィールドタイプが{0}のフィールドは更新できません。", "无法更新类型为{0}的字段。"}},
    {"GAIA_IQ03",
     400,
     {"The specified operator cannot be used for the field ({0}).",
      "フィールド（{0}）には指定した演算子を使用できません。",
      "字段（{0}）不能使用指定的运算符。"}},
    {"GAIA_IQ11",
     400,
     {"Specified field ({0}) not found.", "指定されたフィールド（{0}）が見つかりません。",
      "找不到指定的字段（{0}）。"}},
    {"GAIA_QU01",
     400,
     {"limit must be 500 or less.", "limitには500以下の値を指定してください。",
      "limit必须小于或等于500。"}},
    {"GAIA_QU02",
     400,
     {"offset must be 10000 or less.", "offsetには10000以下の値を指定してください。",
      "offset必须小于或等于10000。"}},
    {"GAIA_CN01",
     404,
     {"The specified cursor does not exist or has already expired.",
      "指定したカーソルは存在しないか、既に有効期限が切れています。",
      "指定的游标不存在或已过期。"}},
    {"GAIA_TM12",
     429,
     {"No more cursors can be created: the limit has been reached. Delete the cursors you no "
      "longer need, or try again later.",
      "作成できるカーソルの上限に達しているため、カーソルを作成できません。不要なカーソルを削除する"
      "か、"
      "しばらく経ってから再実行してください。",
      "已达到可创建游标的上限，无法创建游标。请删除不需要的游标，或稍后再试。"}},
    {"RINGI_SA01",
     400,
     {"The user ({0}) is not a candidate assignee of the status \"{1}\".",
      "ユーザー（{0}）はステータス「{1}」の作業者の候補ではありません。",
      "用户（{0}）不是状态“{1}”的候选执行者。"}},
    {"RINGI_BA01",
     404,
     {"The specified batch ({0}) is not found.", "指定したバッチ（{0}）が見つかりません。",
      "指定的批次（{0}）不存在。"}},
    {"RINGI_BA02",
     409,
     {"The batch ({0}) has already finished.", "バッチ（{0}）はすでに終了しています。",
      "批次（{0}）已结束。"}},
    {"RINGI_CM01",
     404,
     {"The specified comment (ID: {0}) is not found.",
      "指定したコメント（id: {0}）が見つかりません。", "指定的评论（ID: {0}）不存在。"}},
    {"RINGI_WS01",
     400,
     {"Invalid workspace: {0}", "ワークスペースが正しくありません: {0}", "工作区无效：{0}"}},
};

struct FieldEntry {
  const char* id;
  Text text;
};
constexpr FieldEntry kFieldMessages[] = {
    {"required", {"Required field.", "必須です。", "必填项。"}},
    {"unique_value",
     {"This value already exists in another record.", "値がほかのレコードと重複しています。",
      "该值与其他记录重复。"}},
    {"query_syntax",
     {"The query syntax is incorrect.", "クエリ記法が間違っています。", "查询语法错误。"}},
    {"cursor_paging",
     {"A cursor's query cannot have limit or offset.",
      "カーソルのクエリにはlimitとoffsetを指定できません。", "游标的查询不能指定limit或offset。"}},
    {"query_depth",
     {"Parentheses may nest at most {0} deep.", "括弧の入れ子は{0}階層までです。",
      "括号最多嵌套{0}层。"}},
    {"index_too_large",
     {"An array index may be at most {0}.", "配列の添字は{0}までです。", "数组下标最大为{0}。"}},
    {"too_deep",
     {"Nested more than {0} levels deep.", "入れ子が{0}階層を超えています。", "嵌套超过{0}层。"}},
    {"too_many_items",
     {"More than {0} values in the query string.", "クエリ文字列の値が{0}個を超えています。",
      "查询字符串的值超过{0}个。"}},
    {"invalid_option",
     {"\"{0}\" is not an option of the field.", "「{0}」は選択肢にありません。",
      "“{0}”不是该字段的选项。"}},
    {"not_number", {"Only numbers are allowed.", "数値でなければなりません。", "只能输入数字。"}},
    {"not_integer", {"Enter an integer value.", "整数を入力してください。", "请输入整数。"}},
    {"not_string", {"Enter a string.", "文字列を入力してください。", "请输入字符串。"}},
    {"not_boolean",
     {"Enter true or false.", "trueまたはfalseを指定してください。", "请指定true或false。"}},
    {"not_array", {"Enter an array.", "配列を指定してください。", "请指定数组。"}},
    {"not_object", {"Enter an object.", "オブジェクトを指定してください。", "请指定对象。"}},
    {"min", {"must be greater than or equal to {0}", "最小でも{0}以上です。", "必须大于或等于{0}"}},
    {"max", {"must be less than or equal to {0}", "最大でも{0}以下です。", "必须小于或等于{0}"}},
    {"enum",
     {"must be one of the enum value", "Enum値のいずれかでなければなりません。",
      "必须是枚举值之一"}},
    {"invalid_date",
     {"Enter a date in the format YYYY-MM-DD.", "日付はYYYY-MM-DDの形式で入力してください。",
      "请按YYYY-MM-DD格式输入日期。"}},
    {"invalid_time",
     {"Enter a time in the format HH:MM.", "時刻はHH:MMの形式で入力してください。",
      "请按HH:MM格式输入时间。"}},
    {"invalid_datetime",
     {"Enter a date and time in the format YYYY-MM-DDTHH:MM:SSZ.",
      "日時はYYYY-MM-DDTHH:MM:SSZの形式で入力してください。",
      "请按YYYY-MM-DDTHH:MM:SSZ格式输入日期时间。"}},
    {"unique",
     {"The value \"{0}\" already exists in another record.",
      "値「{0}」はほかのレコードと重複しています。", "值“{0}”与其他记录重复。"}},
    {"unknown_user",
     {"The specified user (code：{0}) not found.",
      "指定したユーザー（code：{0}）が見つかりません。", "指定的用户（code：{0}）不存在。"}},
    {"unknown_entity",
     {"The specified user, group or organization ({0}) is not found.",
      "指定したユーザー・グループ・組織（{0}）が見つかりません。",
      "指定的用户、组或组织（{0}）不存在。"}},
    {"unknown_action",
     {"The action \"{0}\" is not in the process of app {1}.",
      "アクション「{0}」はアプリ{1}のプロセスにありません。", "应用{1}的流程中没有动作“{0}”。"}},
    {"not_a_candidate",
     {"{0} is not a candidate assignee of the next status for task {1}.",
      "{0}はタスク{1}の次のステータスの作業者の候補ではありません。",
      "{0}不是任务{1}下一状态的候选执行者。"}},
    {"retry_nothing_open",
     {"None of the batch's failed tasks is still open.",
      "このバッチの失敗したタスクに、未完了のものはありません。",
      "该批次失败的任务中没有仍未完成的任务。"}},
    {"batch_not_finished",
     {"The batch ({0}) has not finished yet.", "バッチ（{0}）はまだ終了していません。",
      "批次（{0}）尚未结束。"}},
    {"retry_with_task_ids",
     {"Give either task_ids or retry_of, not both.",
      "task_idsとretry_ofはどちらか一方だけを指定してください。",
      "task_ids和retry_of只能指定其中一个。"}},
    {"duplicate_name",
     {"The name \"{0}\" is used twice.", "名前「{0}」が重複しています。", "名称“{0}”重复。"}},
    {"unknown_key",
     {"This key is not part of the request.", "このキーはリクエストで使用できません。",
      "请求中不能使用此键。"}},
    {"invalid_value", {"Invalid value.", "値が正しくありません。", "值无效。"}},
    {"max_records_add",
     {"A maximum of 100 records can be added at one time.",
      "一度に100件までのレコードを追加できます。", "一次最多可添加100条记录。"}},
    {"max_records_update",
     {"A maximum of 100 records can be updated at one time.",
      "一度に100件までのレコードを更新できます。", "一次最多可更新100条记录。"}},
    {"max_records_delete",
     {"A maximum of 100 records can be deleted at one time.",
      "一度に100件までのレコードを削除できます。", "一次最多可删除100条记录。"}},
    {"max_requests",
     {"A maximum of 20 requests can be sent at one time.",
      "一度に送信できるリクエストは20件までです。", "一次最多可发送20个请求。"}},
    {"max_task_ids",
     {"A maximum of 200 tasks can be specified at one time.",
      "一度に指定できるタスクは200件までです。", "一次最多可指定200个任务。"}},
    {"empty_task_ids",
     {"Specify at least one task.", "タスクを1件以上指定してください。", "请至少指定一个任务。"}},
    {"size_between",
     {"size must be between {0} and {1}", "{0}から{1}の間のサイズにしてください。",
      "大小必须在{0}和{1}之间"}},
    {"size_mismatch",
     {"The number of elements must match {0}.", "要素の数を{0}と一致させてください。",
      "元素数量必须与{0}一致。"}},
    {"bulk_api",
     {"This API cannot be used in a bulk request.", "このAPIは一括リクエストで使用できません。",
      "该API不能用于批量请求。"}},
};

template <class Entry, std::size_t N>
const Entry* find(const Entry (&table)[N], const std::string& key, const char* Entry::*name) {
  for (const Entry& e : table)
    if (key == e.*name) return &e;
  return nullptr;
}

const char* pick(const Text& t, Locale l) {
  switch (l) {
    case Locale::ja:
      return t.ja;
    case Locale::zh:
      return t.zh;
    case Locale::en:
      break;
  }
  return t.en;
}

std::string format(const char* tmpl, const std::vector<std::string>& args) {
  std::string out;
  for (const char* p = tmpl; *p; ++p) {
    if (*p == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      size_t i = static_cast<size_t>(p[1] - '0');
      if (i < args.size()) out += args[i];
      p += 2;
    } else {
      out += *p;
    }
  }
  return out;
}

}  // namespace

int httpStatusOf(const std::string& code) {
  const ErrorEntry* e = find(kErrors, code, &ErrorEntry::code);
  return e ? e->status : 400;
}

std::string errorMessage(const std::string& code, const std::vector<std::string>& args,
                         Locale locale) {
  const ErrorEntry* e = find(kErrors, code, &ErrorEntry::code);
  if (!e) {
    static const Text generic{"Your request failed.", "操作に失敗しました。", "操作失败。"};
    return pick(generic, locale);
  }
  return format(pick(e->text, locale), args);
}

std::string fieldMessage(const std::string& id, const std::vector<std::string>& args,
                         Locale locale) {
  const FieldEntry* e = find(kFieldMessages, id, &FieldEntry::id);
  if (!e) e = find(kFieldMessages, std::string("invalid_value"), &FieldEntry::id);
  return format(pick(e->text, locale), args);
}

// Localized check reasons, in the order of domain::CheckReason.
constexpr Text kReasons[] = {
    /* supported */ {"Supported.", "一括承認できます。", "支持批量审批"},
    /* task_not_found */ {"The task was not found.", "タスクが見つかりません。", "任务不存在"},
    /* not_your_task */
    {"The task is not assigned to you.", "あなたのタスクではありません。", "不是当前用户的任务"},
    /* task_closed */
    {"The task has already been closed.", "タスクはすでに完了しています。", "任务已关闭"},
    /* record_deleted */
    {"The record has been deleted.", "レコードが削除されています。", "记录已删除"},
    /* batch_approval_disabled */
    {"Batch approval is not enabled for the app.", "このアプリでは一括承認が有効になっていません。",
     "应用未开启批量审批"},
    /* process_disabled */
    {"Process management is disabled for the app.", "アプリのプロセス管理が無効です。",
     "应用未开启流程管理"},
    /* no_approve_action */
    {"No approve action is available from the current status.",
     "現在のステータスから実行できる承認アクションがありません。", "当前状态没有可执行的审批动作"},
    /* multiple_approve_actions */
    {"More than one approve action is available from the current status.",
     "現在のステータスから実行できる承認アクションが複数あります。", "当前状态存在多个审批动作"},
    /* assignee_required */
    {"The next status requires choosing an assignee.",
     "次のステータスの作業者を選択する必要があります。", "下一状态需要选择执行者"},
    /* condition_not_met */
    {"The record does not meet the action's condition.",
     "レコードがアクションの実行条件を満たしていません。", "记录不满足动作的执行条件"},
    /* duplicate_task */
    {"The task is specified more than once.", "タスクが重複して指定されています。", "任务重复"},
    /* cancelled */ {"The batch was cancelled.", "一括承認が取り消されました。", "批量审批已取消"},
    /* engine_failure */
    {"The engine failed while running this task, so it was not applied. Handle the record by hand.",
     "このタスクの実行中にエンジンが停止したため、適用されませんでした。レコードを個別に処理してく"
     "ださい。",
     "执行此任务时引擎出错，任务未被执行。请手动处理该记录"},
    /* action_not_available */
    {"The chosen action cannot be run from the record's current status.",
     "選んだアクションは、レコードの現在のステータスから実行できません。",
     "所选动作无法从记录的当前状态执行"},
};
static_assert(std::size(kReasons) == static_cast<std::size_t>(domain::kLastCheckReason) + 1,
              "kReasons: one entry per CheckReason, in order");

std::string reasonText(domain::CheckReason r, Locale l) {
  return pick(kReasons[static_cast<std::size_t>(r)], l);
}

const char* localeName(Locale l) {
  switch (l) {
    case Locale::ja:
      return "ja";
    case Locale::zh:
      return "zh";
    case Locale::en:
      break;
  }
  return "en";
}

bool parseLocale(const std::string& s, Locale* out) {
  if (s == "en")
    *out = Locale::en;
  else if (s == "ja")
    *out = Locale::ja;
  else if (s == "zh")
    *out = Locale::zh;
  else
    return false;
  return true;
}

}  // namespace ringi::api
