#include "domain/error.h"

namespace ringi::domain {

std::string joined(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (auto p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (auto p : parts) out.append(p.data(), p.size());
  return out;
}

}  // namespace ringi::domain
