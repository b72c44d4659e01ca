// Masking of phone numbers for logs: phone numbers are personal data and never appear in a
// log line in full.
#pragma once

#include <string>
#include <string_view>

namespace mc {

// Masks one E.164 number: "+14155550101" -> "+1415***0101". Numbers with fewer than eight
// digits keep two digits at each end ("+12***67"); anything that is not '+' followed by
// digits is returned unchanged.
std::string mask_phone_number(std::string_view number);

// Masks every phone number inside free text: each '+' (or URL-encoded "%2B") followed by
// 5 or more digits is replaced as mask_phone_number() does. Other text is copied unchanged.
std::string mask_phone_numbers_in(std::string_view text);

}  // namespace mc
