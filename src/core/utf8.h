// UTF-8 checks for text that crosses the API: JSON must be UTF-8 (RFC 8259), and text we
// echo back must stay valid, or clients' JSON parsers refuse whole pages.
#pragma once

#include <string>
#include <string_view>

namespace mc {

// True when `text` is well-formed UTF-8: no stray continuation bytes, no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// How many characters (code points) well-formed `text` has: its bytes less the UTF-8
// continuation bytes.
size_t utf8_length(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace mc
