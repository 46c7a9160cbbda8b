// A sorted-vector map with the subset of std::map's interface the domain uses. Records hold a
// handful of fields each; a flat vector is several times smaller than std::map's nodes and copies
// (for undo images) in one allocation.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ringi::domain {

template <class K, class V>
class FlatMap {
 public:
  using value_type = std::pair<K, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  FlatMap() = default;
  FlatMap(std::initializer_list<value_type> init) {
    for (const auto& kv : init) insert_or_assign(kv.first, kv.second);
  }

  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  void reserve(size_t n) { items_.reserve(n); }
  void shrink_to_fit() { items_.shrink_to_fit(); }

  iterator find(const K& key) {
    auto it = lower(key);
    return it != items_.end() && it->first == key ? it : items_.end();
  }
  const_iterator find(const K& key) const {
    auto it = std::lower_bound(items_.begin(), items_.end(), key,
                               [](const value_type& a, const K& k) { return a.first < k; });
    return it != items_.end() && it->first == key ? it : items_.end();
  }
  size_t count(const K& key) const { return find(key) == end() ? 0 : 1; }

  V& operator[](const K& key) {
    auto it = lower(key);
    if (it == items_.end() || it->first != key) it = items_.insert(it, value_type(key, V{}));
    return it->second;
  }
  const V& at(const K& key) const {
    auto it = find(key);
    if (it == end()) throw std::out_of_range("FlatMap::at");
    return it->second;
  }
  std::pair<iterator, bool> insert_or_assign(const K& key, V value) {
    auto it = lower(key);
    if (it != items_.end() && it->first == key) {
      it->second = std::move(value);
      return {it, false};
    }
    return {items_.insert(it, value_type(key, std::move(value))), true};
  }
  std::pair<iterator, bool> emplace(const K& key, V value) {
    auto it = lower(key);
    if (it != items_.end() && it->first == key) return {it, false};
    return {items_.insert(it, value_type(key, std::move(value))), true};
  }
  size_t erase(const K& key) {
    auto it = find(key);
    if (it == end()) return 0;
    items_.erase(it);
    return 1;
  }
  bool operator==(const FlatMap& o) const { return items_ == o.items_; }

 private:
  iterator lower(const K& key) {
    return std::lower_bound(items_.begin(), items_.end(), key,
                            [](const value_type& a, const K& k) { return a.first < k; });
  }
  std::vector<value_type> items_;
};

}  // namespace ringi::domain
