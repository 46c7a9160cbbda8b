#include "domain/directory.h"

#include <algorithm>

namespace ringi::domain {

void Directory::clear() {
  users_.clear();
  organizations_.clear();
  groups_.clear();
  userIndex_.clear();
  organizationIndex_.clear();
  groupIndex_.clear();
}

void Directory::addUser(User u) {
  userIndex_[u.code] = users_.size();
  users_.push_back(std::move(u));
}

void Directory::addOrganization(Organization o) {
  organizationIndex_[o.code] = organizations_.size();
  organizations_.push_back(std::move(o));
}

void Directory::addGroup(Group g) {
  groupIndex_[g.code] = groups_.size();
  groups_.push_back(std::move(g));
}

const User* Directory::findUser(const std::string& code) const {
  auto it = userIndex_.find(code);
  return it == userIndex_.end() ? nullptr : &users_[it->second];
}

const Organization* Directory::findOrganization(const std::string& code) const {
  auto it = organizationIndex_.find(code);
  return it == organizationIndex_.end() ? nullptr : &organizations_[it->second];
}

const Group* Directory::findGroup(const std::string& code) const {
  auto it = groupIndex_.find(code);
  return it == groupIndex_.end() ? nullptr : &groups_[it->second];
}

std::vector<std::string> Directory::organizationMembers(const std::string& code,
                                                        bool includeSubs) const {
  std::vector<std::string> out;
  std::vector<std::string> pending{code};
  std::vector<std::string> seen;  // guards against a parent cycle in imported data
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    if (std::find(seen.begin(), seen.end(), current) != seen.end()) continue;
    seen.push_back(current);
    if (const auto* org = findOrganization(current))
      for (const auto& m : org->members)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    if (!includeSubs) break;
    for (const auto& o : organizations_)
      if (o.parent && *o.parent == current) pending.push_back(o.code);
  }
  return out;
}

std::vector<std::string> Directory::organizationsOf(const std::string& user) const {
  std::vector<std::string> out;
  for (const auto& o : organizations_)
    if (std::find(o.members.begin(), o.members.end(), user) != o.members.end())
      out.push_back(o.code);
  return out;
}

std::optional<std::string> Directory::primaryOrganization(const std::string& user) const {
  auto orgs = organizationsOf(user);
  if (orgs.empty()) return std::nullopt;
  return orgs.front();
}

std::vector<std::string> Directory::groupsOf(const std::string& user) const {
  std::vector<std::string> out;
  for (const auto& g : groups_)
    if (std::find(g.members.begin(), g.members.end(), user) != g.members.end())
      out.push_back(g.code);
  return out;
}

}  // namespace ringi::domain
