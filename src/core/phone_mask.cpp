#include "core/phone_mask.h"

#include <cctype>

namespace mc {
namespace {

constexpr size_t kMinDigitsToMask = 5;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Appends the masked form of `digits` (the digits of a number, without its '+').
void append_masked_digits(std::string& out, std::string_view digits) {
  const size_t keep = digits.size() >= 8 ? 4 : 2;
  out += '+';
  out.append(digits.substr(0, keep));
  out += "***";
  out.append(digits.substr(digits.size() - keep));
}

size_t count_digits(std::string_view text, size_t from) {
  size_t n = 0;
  while (from + n < text.size() && is_digit(text[from + n])) ++n;
  return n;
}

}  // namespace

std::string mask_phone_number(std::string_view number) {
  if (number.size() < 2 || number[0] != '+') return std::string(number);
  const size_t digits = count_digits(number, 1);
  if (digits + 1 != number.size()) return std::string(number);
  if (digits < kMinDigitsToMask) return "+***";
  std::string out;
  append_masked_digits(out, number.substr(1));
  return out;
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
    if (prefix > 0) {
      const size_t digits = count_digits(text, i + prefix);
      if (digits >= kMinDigitsToMask) {
        // Runs longer than E.164 allows are masked whole: better over-masked than leaked.
        append_masked_digits(out, text.substr(i + prefix, digits));
        i += prefix + digits;
        continue;
      }
    }
    out += text[i];
    ++i;
  }
  return out;
}

}  // namespace mc
