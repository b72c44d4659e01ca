// ISO 8601 times and durations from webhooks and API bodies: every accepted time is a real
// date in range that formats and parses back to itself (no clock wrap-around).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto time = mc::parse_iso8601(text)) {
    const std::string formatted = mc::format_iso8601_millis(*time);
    auto again = mc::parse_iso8601(formatted);
    if (!again || *again != *time) std::abort();
    const int year = std::stoi(formatted.substr(0, 4));
    if (year < mc::kMinYear - 1 || year > mc::kMaxYear + 1) std::abort();  // offsets: +-1 day
  }
  if (auto duration = mc::parse_iso8601_duration(text)) {
    if (duration->count() < 0) std::abort();
    auto again = mc::parse_iso8601_duration(mc::format_iso8601_duration(*duration));
    if (!again || *again != *duration) std::abort();
  }
  return 0;
}
