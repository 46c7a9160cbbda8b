// kintone's record comments API: /k/v1/record/comment.json (POST, DELETE) and
// /k/v1/record/comments.json (GET). Shapes, limits and rights as kintone documents them: text up
// to 65,535 characters, at most 10 mentions of existing users, groups or organizations, pages of
// at most 10, app view rights (API tokens: view). Every other key is refused.
#include <nlohmann/json.hpp>

#include "api/handler_util.h"
#include "api/json_codec.h"
#include "api/params.h"
#include "api/settings_codec.h"

namespace ringi::api::handlers {

using namespace ringi::domain;

namespace {
constexpr size_t kMaxMentions = 10;
constexpr int64_t kMaxCommentsPage = 10;

bool mentionExists(const Directory& dir, const Mention& m) {
  switch (m.type) {
    case EntityType::USER:
      return dir.findUser(m.code) != nullptr;
    case EntityType::GROUP:
      return dir.findGroup(m.code) != nullptr;
    case EntityType::ORGANIZATION:
      return dir.findOrganization(m.code) != nullptr;
    default:
      return false;
  }
}

std::vector<Mention> mentionsOf(Ctx& ctx, Validation& v, const Json* list) {
  std::vector<Mention> out;
  if (!list) return out;
  if (!list->is_array()) {
    v.fail("comment.mentions", "not_array");
    return out;
  }
  if (list->size() > kMaxMentions) {
    v.fail("comment.mentions", "size_between", {"0", std::to_string(kMaxMentions)});
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string key = "comment.mentions[" + std::to_string(i) + "]";
    const Json& x = (*list)[i];
    if (!x.is_object()) {
      v.fail(key, "not_object");
      continue;
    }
    Params p(v, x, key + ".");
    refuseUnknownKeys(v, x, {"code", "type"}, key + ".");
    auto code = p.string("code", true);
    auto type = p.string("type", true);
    Mention m;
    if (type && (!codec::parseEntityType(*type, &m.type) ||
                 (m.type != EntityType::USER && m.type != EntityType::GROUP &&
                  m.type != EntityType::ORGANIZATION))) {
      v.fail(key + ".type", "enum");
      continue;
    }
    if (!code || !type) continue;
    m.code = *code;
    if (!mentionExists(ctx.engine.directory(), m)) {
      v.fail(key + ".code", "unknown_entity", {m.code});
      continue;
    }
    out.push_back(std::move(m));
  }
  return out;
}

const Record& commentedRecord(Ctx& ctx, Params& p, Validation& v) {
  auto app = p.integer("app", true, 1);
  auto record = p.integer("record", true, 1);
  v.check();
  appOf(ctx, *app, TokenRight::view);
  return ctx.engine.record(ctx.user, *app, *record);
}
}  // namespace

void addComment(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app", "record", "comment"});
  const Json* comment = p.object("comment", true);
  std::optional<std::string> text;
  std::vector<Mention> mentions;
  if (comment) {
    refuseUnknownKeys(v, *comment, {"text", "mentions"}, "comment.");
    Params c(v, *comment, "comment.");
    text = c.string("text", true);
    if (text && text->empty()) v.fail("comment.text", "required");
    if (text && codePoints(*text) > kMaxCommentChars)
      v.fail("comment.text", "size_between", {"1", std::to_string(kMaxCommentChars)});
    mentions = mentionsOf(ctx, v, c.get("mentions"));
  }
  const Record& r = commentedRecord(ctx, p, v);
  v.check();
  out = Json{{"id", std::to_string(
                        ctx.engine.addComment(ctx.user, r.app, r.id, *text, std::move(mentions)))}};
}

void getComments(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app", "record", "order", "offset", "limit"});
  auto order = p.string("order", false).value_or("desc");
  if (order != "asc" && order != "desc") v.fail("order", "enum");
  const int64_t offset = p.integer("offset", false, 0).value_or(0);
  const int64_t limit = p.integer("limit", false, 0, kMaxCommentsPage).value_or(kMaxCommentsPage);
  const Record& r = commentedRecord(ctx, p, v);
  v.check();

  const Directory& dir = ctx.engine.directory();
  const int64_t n = static_cast<int64_t>(r.comments.size());
  const bool asc = order == "asc";
  std::string text;
  JsonWriter w(text, ctx.ascii);
  w.beginObject().literalKey("comments").beginArray();
  for (int64_t i = offset; i < n && i < offset + limit; ++i) {
    const Comment& c = r.comments[static_cast<size_t>(asc ? i : n - 1 - i)];
    const User* creator = dir.findUser(c.creator);
    w.beginObject().literalKey("id").value(std::to_string(c.id)).literalKey("text").value(c.text);
    w.literalKey("createdAt").value(codec::isoTime(c.createdAt));
    w.literalKey("creator").beginObject().literalKey("code").value(c.creator);
    w.literalKey("name").value(creator ? creator->name : c.creator).endObject();
    w.literalKey("mentions").beginArray();
    for (const Mention& m : c.mentions) {
      w.beginObject().literalKey("code").value(m.code);
      w.literalKey("type").value(codec::entityTypeName(m.type)).endObject();
    }
    w.endArray().endObject();
  }
  // older / newer: comments with lower / higher ids than this page's, whichever way it is read.
  const bool before = offset > 0 && n > 0;
  const bool after = offset + limit < n;
  w.endArray().literalKey("older").value(asc ? before : after);
  w.literalKey("newer").value(asc ? after : before).endObject();
  answer(ctx, std::move(text), out);
}

void deleteComment(Ctx& ctx, const Json& params, Json& out) {
  Validation v;
  Params p(v, params);
  refuseUnknownKeys(v, params, {"app", "record", "comment"});
  auto comment = p.integer("comment", true, 1);
  const Record& r = commentedRecord(ctx, p, v);
  v.check();
  ctx.engine.deleteComment(ctx.user, r.app, r.id, *comment);
  out = Json::object();
}

}  // namespace ringi::api::handlers
