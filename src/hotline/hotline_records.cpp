#include "hotline/hotline_records.h"

namespace mc::hotline {
namespace {
constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
}

std::string thread_label(int64_t thread_id) {
  std::string digits;
  for (int64_t n = thread_id; n > 0; n /= 36) digits.insert(digits.begin(), kDigits[n % 36]);
  return "#" + (digits.empty() ? std::string("0") : digits);
}

std::optional<int64_t> thread_id_of_label(std::string_view text) {
  if (text.size() < 2 || text.size() > 9 || text[0] != '#') return std::nullopt;
  int64_t id = 0;
  for (char c : text.substr(1)) {
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const size_t digit = kDigits.find(upper);
    if (digit == std::string_view::npos) return std::nullopt;
    id = id * 36 + static_cast<int64_t>(digit);
  }
  return id;
}

std::pair<std::optional<int64_t>, std::string> split_thread_label(const std::string& body) {
  const size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || body[start] != '#') return {std::nullopt, body};
  const size_t end = body.find_first_of(" \t\r\n", start);
  const std::string label = body.substr(start, end == std::string::npos ? end : end - start);
  auto id = thread_id_of_label(label);
  if (!id) return {std::nullopt, body};
  const size_t rest = end == std::string::npos ? end : body.find_first_not_of(" \t\r\n", end);
  return {id, rest == std::string::npos ? std::string() : body.substr(rest)};
}

}  // namespace mc::hotline
