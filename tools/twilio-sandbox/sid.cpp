#include "sid.h"

namespace mc::sandbox {

SidGenerator::SidGenerator(uint64_t seed) : random_(seed != 0 ? seed : std::random_device{}()) {}

std::string SidGenerator::hex32() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(32);
  for (int word = 0; word < 2; ++word) {
    uint64_t bits = random_();
    for (int i = 0; i < 16; ++i) {
      out += kHex[bits & 0xF];
      bits >>= 4;
    }
  }
  return out;
}

std::string SidGenerator::next(std::string_view prefix) { return std::string(prefix) + hex32(); }

bool is_sid(std::string_view text, std::string_view prefix) {
  if (text.size() != 34 || text.substr(0, 2) != prefix) return false;
  for (char c : text.substr(2)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace mc::sandbox
