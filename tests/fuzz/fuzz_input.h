// Splitting a fuzzer's input into the pieces a target needs: a fuzzer mutates one byte
// string, and most parsers here take several (a URL and a body, names and values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mc::fuzz {

// The input cut at every `separator` byte (kept pieces may be empty).
inline std::vector<std::string> split_input(const uint8_t* data, size_t size,
                                            char separator = '\0') {
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < size; ++i) {
    if (static_cast<char>(data[i]) == separator) {
      pieces.emplace_back();
    } else {
      pieces.back() += static_cast<char>(data[i]);
    }
  }
  return pieces;
}

// Piece `index`, or "" when the input had fewer.
inline const std::string& piece(const std::vector<std::string>& pieces, size_t index) {
  static const std::string kEmpty;
  return index < pieces.size() ? pieces[index] : kEmpty;
}

}  // namespace mc::fuzz
