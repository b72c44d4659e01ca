// Time formats on Twilio's wire: ISO 8601 for the v1 APIs and webhooks, RFC 2822 for the
// 2010 API, ISO 8601 durations for conversation timers. All times are UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mc {

using TimePoint = std::chrono::system_clock::time_point;

// "2015-12-16T22:18:37Z"
std::string format_iso8601(TimePoint time);
// "2025-01-01T00:00:00.000Z"
std::string format_iso8601_millis(TimePoint time);
// "Tue, 31 Aug 2010 20:36:28 +0000"
std::string format_rfc2822(TimePoint time);

// HTTP's Date header: "Tue, 31 Aug 2010 20:36:28 GMT"
std::string format_http_date(TimePoint time);
// Reads format_http_date's form (and "+0000" for "GMT"); nullopt for anything else.
std::optional<TimePoint> parse_http_date(std::string_view text);

// The years parse_iso8601 accepts. TimePoint counts nanoseconds in 64 bits and ends in
// April 2262; later years would wrap around, so they are refused rather than misread.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2199;

// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" for a real calendar date (no
// 2025-02-31) in kMinYear..kMaxYear; nullopt for anything else.
std::optional<TimePoint> parse_iso8601(std::string_view text);

// Parses an ISO 8601 duration of days and time ("P1D", "PT10M", "PT1H30M", "PT90S",
// "P2DT3H"), each unit at most once and largest first, at most a century in all; years,
// months and weeks are refused (their length is ambiguous).
std::optional<std::chrono::seconds> parse_iso8601_duration(std::string_view text);

// "PT600S" style text for a duration, which parse_iso8601_duration reads back.
std::string format_iso8601_duration(std::chrono::seconds duration);

}  // namespace mc
