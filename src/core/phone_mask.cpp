#include "core/phone_mask.h"

namespace mc {
namespace {

constexpr size_t kMinDigitsAfterPlus = 5;
constexpr size_t kMinBareDigits = 7;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The masked form of `digits` (a number's digits only): two or four kept at each end.
std::string masked_digits(std::string_view digits) {
  const size_t keep = digits.size() >= 8 ? 4 : 2;
  std::string out(digits.substr(0, keep));
  out += "***";
  out.append(digits.substr(digits.size() - keep));
  return out;
}

size_t count_digits(std::string_view text, size_t from) {
  size_t n = 0;
  while (from + n < text.size() && is_digit(text[from + n])) ++n;
  return n;
}

// Length of the separator at `at` (0 when there is none).
size_t separator_length(std::string_view text, size_t at) {
  if (at >= text.size()) return 0;
  const char c = text[at];
  if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '+') return 1;
  if (text.substr(at, 3) == "%20") return 3;
  return 0;
}

// A phone-like span starting with a digit at `from`: digit groups joined by single
// separators (a ") (" style pair counts as one). Returns the span's length and its digits.
size_t read_digit_span(std::string_view text, size_t from, std::string* digits) {
  size_t end = from;
  while (true) {
    const size_t n = count_digits(text, end);
    digits->append(text.substr(end, n));
    end += n;
    size_t gap = separator_length(text, end);
    if (gap == 0) break;
    if (const size_t second = separator_length(text, end + gap); second > 0 && second < 3) {
      gap += second;  // ") " or ")-"
    }
    if (end + gap >= text.size() || !is_digit(text[end + gap])) break;
    end += gap;
  }
  return end - from;
}

bool is_calendar_date(std::string_view span) {
  return span.size() == 10 && span[4] == '-' && span[7] == '-' && count_digits(span, 0) == 4 &&
         count_digits(span, 5) == 2 && count_digits(span, 8) == 2;
}

}  // namespace

std::string mask_phone_number(std::string_view number) {
  if (number.size() < 2 || number[0] != '+') return std::string(number);
  const size_t digits = count_digits(number, 1);
  if (digits + 1 != number.size()) return std::string(number);
  if (digits < kMinDigitsAfterPlus) return "+***";
  return "+" + masked_digits(number.substr(1));
}

std::string mask_phone_numbers_in(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t prefix = 0;
    if (text[i] == '+') {
      prefix = 1;
    } else if (text[i] == '%' && i + 2 < text.size() && text[i + 1] == '2' &&
               (text[i + 2] == 'B' || text[i + 2] == 'b')) {
      prefix = 3;
    }
    const bool bare_start = prefix == 0 && is_digit(text[i]) && (i == 0 || !is_alnum(text[i - 1]));
    const size_t start = i + prefix;
    if ((prefix > 0 || bare_start) && start < text.size() && is_digit(text[start])) {
      std::string digits;
      const size_t span = read_digit_span(text, start, &digits);
      const size_t minimum = prefix > 0 ? kMinDigitsAfterPlus : kMinBareDigits;
      if (digits.size() >= minimum && !is_calendar_date(text.substr(start, span))) {
        if (prefix > 0) out += '+';
        out += masked_digits(digits);
        i = start + span;
        continue;
      }
      // Not a number: copy the whole span, so its tail is not mistaken for a bare run.
      out.append(text.substr(i, prefix + span));
      i = start + span;
      continue;
    }
    out += text[i];
    ++i;
  }
  return out;
}

}  // namespace mc
