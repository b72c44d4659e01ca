#include "core/router.h"

#include <stdexcept>

namespace mc {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path == "/") return parts;
  if (path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

Router::CompiledPattern Router::compile(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  CompiledPattern compiled;
  for (std::string_view part : split_path(pattern)) {
    Segment segment;
    if (!part.empty() && part.front() == '{') {
      if (part.size() < 3 || part.back() != '}') {
        throw std::invalid_argument("malformed parameter in route pattern: " + pattern);
      }
      segment.is_param = true;
      segment.text = std::string(part.substr(1, part.size() - 2));
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("parameters must fill a whole segment: " + pattern);
      }
      segment.text = std::string(part);
    }
    compiled.segments.push_back(std::move(segment));
  }
  return compiled;
}

void Router::add(std::string method, std::string pattern, Access access, Handler handler) {
  for (const Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::invalid_argument("duplicate route: " + method + " " + pattern);
    }
  }
  patterns_.push_back(compile(pattern));
  routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler)});
}

bool Router::matches(const CompiledPattern& pattern, const std::vector<std::string_view>& parts,
                     Params* params) {
  if (pattern.segments.size() != parts.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = pattern.segments[i];
    if (segment.is_param) {
      if (parts[i].empty()) return false;
    } else if (segment.text != parts[i]) {
      return false;
    }
  }
  if (params) {
    params->clear();
    for (size_t i = 0; i < parts.size(); ++i) {
      if (pattern.segments[i].is_param) {
        params->emplace_back(pattern.segments[i].text, percent_decode_path(parts[i]));
      }
    }
  }
  return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  const std::vector<std::string_view> parts = split_path(path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!matches(patterns_[i], parts, nullptr)) continue;
    if (routes_[i].method == method) {
      matches(patterns_[i], parts, &result.params);
      result.route = &routes_[i];
      result.allow.clear();
      return result;
    }
    if (result.allow.find(routes_[i].method) == std::string::npos) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += routes_[i].method;
    }
  }
  return result;
}

}  // namespace mc
