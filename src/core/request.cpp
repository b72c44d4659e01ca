#include "core/request.h"

#include <algorithm>
#include <cctype>

namespace mc {

const std::string* Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? nullptr : &it->second;
}

std::string_view Request::path_param(std::string_view name) const {
  return param_or(path_params, name);
}

std::string_view Request::param(std::string_view name) const {
  if (const std::string* value = find_param(form, name)) return *value;
  return param_or(query, name);
}

bool Request::content_type_is(std::string_view media_type) const {
  const size_t end = std::min(content_type.find(';'), content_type.size());
  std::string_view type = std::string_view(content_type).substr(0, end);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (type.size() != media_type.size()) return false;
  for (size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != media_type[i]) return false;
  }
  return true;
}

}  // namespace mc
