#include "env_file.h"

#include <cctype>
#include <fstream>

namespace mc::maskctl {
namespace {

std::string trimmed(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

bool valid_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

Result<Environment> overlay_env_file(Environment base, const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::unavailable("cannot read the environment file " + path);
  std::string raw;
  for (int number = 1; std::getline(file, raw); ++number) {
    const std::string line = trimmed(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const size_t equals = line.find('=');
    const std::string name = equals == std::string::npos ? "" : trimmed(line.substr(0, equals));
    if (!valid_name(name)) {
      return Status::invalid_argument(path + ":" + std::to_string(number) +
                                      ": expected NAME=VALUE");
    }
    std::string value = trimmed(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    base[name] = value;
  }
  return base;
}

}  // namespace mc::maskctl
