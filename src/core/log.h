// Structured logging for journald: one line per event on stderr, written with a single
// write(2), in the form `level=info msg="session created" session=S1 to=+1415***0101`.
// Every message and value passes through mask_phone_numbers_in(), so a phone number can never
// reach the log in full, whatever the caller passes.
#pragma once

#include <concepts>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace mc::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn" or "error"; false for anything else.
bool parse_level(std::string_view text, Level* level);

// One key=value pair of a log line.
class Field {
 public:
  Field(std::string_view key, std::string_view value) : key_(key), value_(value) {}
  Field(std::string_view key, const std::string& value) : key_(key), value_(value) {}
  Field(std::string_view key, const char* value) : key_(key), value_(value ? value : "") {}
  Field(std::string_view key, bool value) : key_(key), value_(value ? "true" : "false") {}
  template <std::integral T>
  Field(std::string_view key, T value) : key_(key), value_(std::to_string(value)) {}
  Field(std::string_view key, double value);

  std::string_view key() const { return key_; }
  const std::string& value() const { return value_; }

 private:
  std::string_view key_;
  std::string value_;
};

using Fields = std::initializer_list<Field>;

// Formats a line (without the trailing newline). Values with spaces, quotes, '=' or control
// characters are quoted with backslash escapes; phone numbers are masked.
std::string format_line(Level level, std::string_view message, Fields fields);

// Lines below this level are dropped. Default: info. Thread-safe.
void set_level(Level level);
bool enabled(Level level);

// Replaces where lines go (default: stderr). For tests; pass nullptr to restore stderr.
void set_sink(std::function<void(std::string_view line)> sink);

void write(Level level, std::string_view message, Fields fields = {});

inline void debug(std::string_view message, Fields fields = {}) {
  if (enabled(Level::kDebug)) write(Level::kDebug, message, fields);
}
inline void info(std::string_view message, Fields fields = {}) {
  write(Level::kInfo, message, fields);
}
inline void warn(std::string_view message, Fields fields = {}) {
  write(Level::kWarn, message, fields);
}
inline void error(std::string_view message, Fields fields = {}) {
  write(Level::kError, message, fields);
}

}  // namespace mc::log
