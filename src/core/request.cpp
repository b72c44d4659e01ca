#include "core/request.h"

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

}  // namespace mc
