// Configuration: the environment is read once at start-up (systemd's EnvironmentFile) into
// immutable structs. Each library or module parses its own keys with an EnvReader; a bad
// value fails start-up with a message that names the variable.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/status.h"

namespace mc {

// A snapshot of environment variables. Tests build one by hand.
using Environment = std::map<std::string, std::string, std::less<>>;

// Copies the process environment (`environ`).
Environment environment_from_process();

// Reads typed values out of an Environment, remembering every bad value it meets. Empty
// values count as unset, so `FOO=` in an env file means "use the default".
class EnvReader {
 public:
  explicit EnvReader(const Environment& env) : env_(env) {}

  std::optional<std::string> optional_string(std::string_view name) const;
  std::string string(std::string_view name, std::string_view fallback) const;
  // Records an error when unset.
  std::string required_string(std::string_view name);
  int64_t integer(std::string_view name, int64_t fallback, int64_t min, int64_t max);
  double number(std::string_view name, double fallback, double min, double max);
  // Accepts true/false, 1/0, yes/no, on/off (any case).
  bool boolean(std::string_view name, bool fallback);
  std::chrono::milliseconds millis(std::string_view name, std::chrono::milliseconds fallback,
                                   std::chrono::milliseconds min, std::chrono::milliseconds max);
  // One of `choices` (exact match).
  std::string choice(std::string_view name, std::string_view fallback,
                     const std::vector<std::string_view>& choices);
  // A comma-separated list; blanks around items are trimmed, empty items dropped.
  std::vector<std::string> list(std::string_view name, const std::vector<std::string>& fallback);

  // Records a problem found by the caller's own validation.
  void fail(std::string_view name, std::string_view problem);

  // OK, or an INVALID_ARGUMENT whose message lists each bad variable:
  // "MC_THREADS: expected an integer from 1 to 512, got 'many'".
  Status status() const;

 private:
  const Environment& env_;
  std::vector<std::string> errors_;
};

// Settings of the worker itself (the modules read their own).
struct CoreConfig {
  int threads = 16;                                   // MC_THREADS
  size_t max_body_bytes = 256 * 1024;                 // MC_MAX_BODY_BYTES
  std::chrono::milliseconds shutdown_timeout{10000};  // MC_SHUTDOWN_TIMEOUT_MS
  bool require_remote_user = true;                    // MC_REQUIRE_REMOTE_USER
  std::vector<std::string> modules;                   // MC_MODULES
  log::Level log_level = log::Level::kInfo;           // MC_LOG_LEVEL
};

// The modules enabled when MC_MODULES is unset.
extern const std::vector<std::string> kDefaultModules;

Result<CoreConfig> load_core_config(const Environment& env);

}  // namespace mc
