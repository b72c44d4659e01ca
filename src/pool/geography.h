// Phone numbers as libphonenumber sees them: validity, canonical E.164 form, country, area
// code and region (state, province or city), which proxy-number selection ranks by.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace mc::pool {

struct PhoneInfo {
  std::string e164;       // "+14155550101"
  std::string country;    // ISO 3166 alpha-2: "US", "CA", "GB"
  std::string area_code;  // "415"; "" when the numbering plan has none
  std::string region;     // "CA" (US state), "British Columbia", "London"; "" when unknown
};

class Geography {
 public:
  Geography();
  ~Geography();
  Geography(const Geography&) = delete;
  Geography& operator=(const Geography&) = delete;

  // Parses `number`, which must be E.164 ("+" and digits) and a valid number of its country.
  // Errors are INVALID_ARGUMENT with a message naming the number.
  Result<PhoneInfo> describe(std::string_view number) const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace mc::pool
