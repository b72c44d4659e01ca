#include "core/time_format.h"

#include <cstdio>
#include <ctime>

namespace mc {
namespace {

// Whole milliseconds since the epoch, split into seconds and a millisecond part that is
// never negative (floor division), so times before 1970 format correctly too.
struct SplitTime {
  std::time_t seconds;
  int millis;
};

SplitTime split(TimePoint time) {
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  return {static_cast<std::time_t>(seconds), static_cast<int>(millis)};
}

std::tm to_utc_tm(TimePoint time) {
  const std::time_t seconds = split(time).seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

bool read_digits(std::string_view text, size_t position, size_t count, int* value) {
  if (position + count > text.size()) return false;
  int result = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[position + i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string format_iso8601(TimePoint time) {
  const std::tm tm = to_utc_tm(time);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string format_iso8601_millis(TimePoint time) {
  const std::tm tm = to_utc_tm(time);
  char buffer[40];
  const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", split(time).millis);
  return buffer;
}

std::string format_rfc2822(TimePoint time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = to_utc_tm(time);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string format_http_date(TimePoint time) {
  std::string text = format_rfc2822(time);
  return text.replace(text.size() - 5, 5, "GMT");
}

std::optional<TimePoint> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string copy(text);
  const char* rest = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S ", &tm);
  if (!rest || (std::string_view(rest) != "GMT" && std::string_view(rest) != "+0000")) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, 0, 4, &year) || text.size() < 20 || text[4] != '-' ||
      !read_digits(text, 5, 2, &month) || text[7] != '-' || !read_digits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_digits(text, 11, 2, &hour) ||
      text[13] != ':' || !read_digits(text, 14, 2, &minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t position = 19;
  int millis = 0;
  if (position < text.size() && text[position] == '.') {
    ++position;
    int digits = 0;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[position] - '0');
      ++digits;
      ++position;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_seconds = 0;
  if (position < text.size() && (text[position] == 'Z' || text[position] == 'z')) {
    ++position;
  } else if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    int offset_hours = 0, offset_minutes = 0;
    if (!read_digits(text, position + 1, 2, &offset_hours) || position + 3 >= text.size() ||
        text[position + 3] != ':' || !read_digits(text, position + 4, 2, &offset_minutes)) {
      return std::nullopt;
    }
    offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (text[position] == '-' ? -1 : 1);
    position += 6;
  } else {
    return std::nullopt;
  }
  if (position != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = timegm(&tm);
  return std::chrono::system_clock::from_time_t(seconds - offset_seconds) +
         std::chrono::milliseconds(millis);
}

std::optional<std::chrono::seconds> parse_iso8601_duration(std::string_view text) {
  constexpr int64_t kLongest = 100LL * 365 * 86400;  // a century, in seconds
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  int64_t total = 0;
  bool in_time = false;
  bool any = false;
  bool any_time_part = false;
  int64_t number = -1;
  int64_t last_unit = 0;  // units come once each, largest first: D, then T, H, M, S
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > kLongest) return std::nullopt;
      continue;
    }
    if (c == 'T') {
      if (in_time || number >= 0) return std::nullopt;
      in_time = true;
      continue;
    }
    if (number < 0) return std::nullopt;
    int64_t unit = 0;
    if (!in_time && c == 'D') unit = 86400;
    if (in_time && c == 'H') unit = 3600;
    if (in_time && c == 'M') unit = 60;
    if (in_time && c == 'S') unit = 1;
    if (unit == 0 || (last_unit != 0 && unit >= last_unit)) return std::nullopt;
    last_unit = unit;
    total += number * unit;
    if (total > kLongest) return std::nullopt;
    number = -1;
    any = true;
    any_time_part = any_time_part || in_time;
  }
  if (!any || number >= 0 || (in_time && !any_time_part)) return std::nullopt;
  return std::chrono::seconds(total);
}

std::string format_iso8601_duration(std::chrono::seconds duration) {
  return "PT" + std::to_string(duration.count()) + "S";
}

}  // namespace mc
