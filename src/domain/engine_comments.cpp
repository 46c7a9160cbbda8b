// Record comments, as kintone's record comments API has them: ids per record, from 1, never
// reused; only the author deletes. A comment changes neither the record's revision nor its
// modifier (kintone's do not).
#include <algorithm>

#include "domain/engine.h"
#include "domain/engine_state.h"

namespace ringi::domain {

int64_t Engine::addComment(const std::string& user, int64_t appId, int64_t id,
                           const std::string& text, std::vector<Mention> mentions) {
  auto tx = begin();
  app(appId);
  Record& r = touchRecord(appId, id, Touch::comments);
  Comment c;
  c.id = ++r.lastCommentId;
  // kintone puts the mentions in front of the text, each as its code.
  for (const Mention& m : mentions) c.text += m.code + " ";
  c.text += text;
  c.creator = user;
  c.createdAt = now();
  c.mentions = std::move(mentions);
  r.comments.push_back(std::move(c));
  const int64_t commentId = r.lastCommentId;
  tx.commit();
  return commentId;
}

void Engine::deleteComment(const std::string& user, int64_t appId, int64_t id, int64_t comment) {
  auto tx = begin();
  app(appId);
  const Record* current = findRecord(appId, id);
  if (!current) throw Error("GAIA_RE01", {std::to_string(id)});
  auto found = std::find_if(current->comments.begin(), current->comments.end(),
                            [&](const Comment& c) { return c.id == comment; });
  if (found == current->comments.end()) throw Error("RINGI_CM01", {std::to_string(comment)});
  if (found->creator != user) throw Error("CB_NO02");
  const auto at = found - current->comments.begin();
  Record& r = touchRecord(appId, id, Touch::comments);
  r.comments.erase(r.comments.begin() + at);
  tx.commit();
}

}  // namespace ringi::domain
