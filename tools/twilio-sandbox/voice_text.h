// Internal to the sandbox's voice engine (voice_engine.cpp, voice_twiml.cpp): reading the
// small values TwiML and the Calls resource carry.
#pragma once

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>
#include <string>

namespace mc::sandbox::voice_text {

// "initiated ringing, answered" -> {initiated, ringing, answered}: StatusCallbackEvent.
inline std::set<std::string> split_events(const std::string& text) {
  std::set<std::string> events;
  std::string event;
  std::istringstream in(text);
  while (in >> event) {
    if (!event.empty() && event.back() == ',') event.pop_back();
    if (!event.empty()) events.insert(event);
  }
  return events;
}

// `text` as a whole number, else `fallback`.
inline int to_int(const std::string& text, int fallback) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

// "+" and 7 to 15 digits, not starting with 0.
inline bool is_e164(const std::string& text) {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "/dial-done" against "https://h.example/inbound-call" -> "https://h.example/dial-done".
inline std::string resolve_url(const std::string& url, const std::string& base) {
  if (url.empty() || url.find("://") != std::string::npos || base.empty()) return url;
  const size_t scheme = base.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = base.find('/', scheme + 3);
  const std::string origin = path == std::string::npos ? base : base.substr(0, path);
  if (url.front() == '/') return origin + url;
  const size_t last_slash = base.rfind('/');
  return (last_slash == std::string::npos || last_slash < scheme + 3
              ? origin + "/"
              : base.substr(0, last_slash + 1)) +
         url;
}

}  // namespace mc::sandbox::voice_text
