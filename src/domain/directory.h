// Users, organizations (a tree) and groups, and the resolution of process-management entities
// to the user codes they stand for.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/types.h"

namespace ringi::domain {

class Directory {
 public:
  void clear();
  void addUser(User u);
  void addOrganization(Organization o);
  void addGroup(Group g);

  const User* findUser(const std::string& code) const;
  const Organization* findOrganization(const std::string& code) const;
  const Group* findGroup(const std::string& code) const;

  const std::vector<User>& users() const { return users_; }
  const std::vector<Organization>& organizations() const { return organizations_; }
  const std::vector<Group>& groups() const { return groups_; }

  // Members of an organization, and of all its descendants when includeSubs.
  std::vector<std::string> organizationMembers(const std::string& code, bool includeSubs) const;
  // Organizations the user belongs to, in declaration order; the first is the primary one.
  std::vector<std::string> organizationsOf(const std::string& user) const;
  std::optional<std::string> primaryOrganization(const std::string& user) const;
  std::vector<std::string> groupsOf(const std::string& user) const;

 private:
  std::vector<User> users_;
  std::vector<Organization> organizations_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, size_t> userIndex_, organizationIndex_, groupIndex_;
};

}  // namespace ringi::domain
