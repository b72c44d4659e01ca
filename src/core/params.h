// Ordered name/value lists: query strings, form bodies, route parameters. Order and repeated
// names are kept, because webhook signatures are computed over every received parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

using Params = std::vector<std::pair<std::string, std::string>>;

// The first value of `name`, or nullptr.
const std::string* find_param(const Params& params, std::string_view name);

// The first value of `name`, or `fallback`.
std::string_view param_or(const Params& params, std::string_view name,
                          std::string_view fallback = {});

// A parameter that is a non-negative whole number in decimal ("42": a duration, an id, a
// page size), or nullopt when it is empty, signed, not all digits, or too large.
std::optional<int64_t> whole_number(std::string_view text);

// Every value of `name`, in order.
std::vector<std::string> all_params(const Params& params, std::string_view name);

// application/x-www-form-urlencoded encoding of one component ("+1 415" -> "%2B1%20415").
// Unreserved characters (A-Z a-z 0-9 - _ . ~) are kept; everything else is %XX-encoded.
std::string url_encode(std::string_view text);

// Percent-decoding of a URL path component ("%2B1" -> "+1"); '+' stays '+'.
// Malformed escapes are kept literally.
std::string percent_decode_path(std::string_view text);

// Encodes `params` as a form body / query string: "a=1&b=%2B2".
std::string encode_form(const Params& params);

// Decodes a form body / query string, the inverse of encode_form: "a=1&b=%2B2+3" ->
// {a:"1", b:"+2 3"}. Order and repeated names are kept; a pair without '=' has an empty value;
// empty pairs ("a=1&&b=2") are skipped. `decode_component` turns each encoded name and
// value into its text ('+' and %XX); requests the worker receives are decoded with cgicc's
// (src/fcgi), URLs it is handed (Twilio's next_page_url) with the default.
std::string form_decode_component(std::string_view text);
Params decode_form(std::string_view text,
                   std::string (*decode_component)(std::string_view) = form_decode_component);

}  // namespace mc
