#include "core/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

extern char** environ;

namespace mc {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

const std::vector<std::string> kDefaultModules = {"admin", "sessions", "conversations", "voice",
                                                  "hotline", "proxy"};

Environment environment_from_process() {
  Environment env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

std::optional<std::string> EnvReader::optional_string(std::string_view name) const {
  auto it = env_.find(name);
  if (it == env_.end() || trim(it->second).empty()) return std::nullopt;
  return std::string(trim(it->second));
}

std::string EnvReader::string(std::string_view name, std::string_view fallback) const {
  return optional_string(name).value_or(std::string(fallback));
}

std::string EnvReader::required_string(std::string_view name) {
  auto value = optional_string(name);
  if (!value) {
    fail(name, "is required but not set");
    return {};
  }
  return *value;
}

int64_t EnvReader::integer(std::string_view name, int64_t fallback, int64_t min, int64_t max) {
  auto text = optional_string(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    fail(name, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                   ", got '" + *text + "'");
    return fallback;
  }
  return value;
}

double EnvReader::number(std::string_view name, double fallback, double min, double max) {
  auto text = optional_string(name);
  if (!text) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || !std::isfinite(value) || value < min || value > max) {
    char range[96];
    std::snprintf(range, sizeof range, "expected a number from %g to %g", min, max);
    fail(name, std::string(range) + ", got '" + *text + "'");
    return fallback;
  }
  return value;
}

bool EnvReader::boolean(std::string_view name, bool fallback) {
  auto text = optional_string(name);
  if (!text) return fallback;
  const std::string value = lower(*text);
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off") return false;
  fail(name, "expected true or false, got '" + *text + "'");
  return fallback;
}

std::chrono::milliseconds EnvReader::millis(std::string_view name,
                                            std::chrono::milliseconds fallback,
                                            std::chrono::milliseconds min,
                                            std::chrono::milliseconds max) {
  return std::chrono::milliseconds(integer(name, fallback.count(), min.count(), max.count()));
}

std::string EnvReader::choice(std::string_view name, std::string_view fallback,
                              const std::vector<std::string_view>& choices) {
  auto text = optional_string(name);
  if (!text) return std::string(fallback);
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return *text;
  std::string allowed;
  for (std::string_view c : choices) {
    if (!allowed.empty()) allowed += ", ";
    allowed += c;
  }
  fail(name, "expected one of " + allowed + ", got '" + *text + "'");
  return std::string(fallback);
}

std::vector<std::string> EnvReader::list(std::string_view name,
                                         const std::vector<std::string>& fallback) {
  auto text = optional_string(name);
  if (!text) return fallback;
  std::vector<std::string> items;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return items;
}

void EnvReader::fail(std::string_view name, std::string_view problem) {
  errors_.push_back(std::string(name) + ": " + std::string(problem));
}

Status EnvReader::status() const {
  if (errors_.empty()) return Status::ok();
  std::string message;
  for (const std::string& error : errors_) {
    if (!message.empty()) message += "; ";
    message += error;
  }
  return Status::invalid_argument(message);
}

Result<CoreConfig> load_core_config(const Environment& env) {
  EnvReader reader(env);
  CoreConfig config;
  config.threads = static_cast<int>(reader.integer("MC_THREADS", config.threads, 1, 512));
  config.max_body_bytes = static_cast<size_t>(reader.integer(
      "MC_MAX_BODY_BYTES", static_cast<int64_t>(config.max_body_bytes), 1024, 64 * 1024 * 1024));
  config.shutdown_timeout =
      reader.millis("MC_SHUTDOWN_TIMEOUT_MS", config.shutdown_timeout, std::chrono::milliseconds(0),
                    std::chrono::milliseconds(600000));
  config.require_remote_user = reader.boolean("MC_REQUIRE_REMOTE_USER", true);
  config.modules = reader.list("MC_MODULES", kDefaultModules);
  const std::string level =
      reader.choice("MC_LOG_LEVEL", "info", {"debug", "info", "warn", "error"});
  log::parse_level(level, &config.log_level);
  if (Status status = reader.status(); !status) return status;
  return config;
}

}  // namespace mc
