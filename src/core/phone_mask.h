// Masking of phone numbers for logs: phone numbers are personal data and never appear in a
// log line in full, in whatever shape they arrive (E.164, URL-encoded, SIP URIs, bare digits,
// digits with spaces, dashes, dots or parentheses).
#pragma once

#include <string>
#include <string_view>

namespace mc {

// Masks one E.164 number: "+14155550101" -> "+1415***0101". Numbers with fewer than eight
// digits keep two digits at each end ("+12***67"); anything that is not '+' followed by
// digits is returned unchanged.
std::string mask_phone_number(std::string_view number);

// Masks every phone number inside free text. A number is a run of digits, possibly broken
// by single separators (space, '-', '.', '(', ')', '/', a form-encoded '+' or "%20"), that is
// either introduced by '+' (or URL-encoded "%2B") and holds 5 or more digits, or has no
// prefix, is not glued to a letter or digit before it (so SIDs such as "KC1234567..." stay
// readable) and holds 7 or more digits. Each is replaced by its digits masked as
// mask_phone_number() does, keeping a '+' prefix: "sip:14155550101@pbx" ->
// "sip:1415***0101@pbx", "+1 (415) 555-0101" -> "+1415***0101". Calendar dates
// ("2026-12-01") are left alone. Better over-masked than leaked: any such run is masked,
// whether or not it is a valid number.
std::string mask_phone_numbers_in(std::string_view text);

}  // namespace mc
