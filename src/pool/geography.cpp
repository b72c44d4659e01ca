#include "pool/geography.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>

#include <mutex>
#include <string>

namespace mc::pool {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;

struct Geography::Impl {
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  std::mutex geocoder_mutex;  // the offline geocoder loads its tables lazily
  PhoneNumberOfflineGeocoder geocoder;
};

Geography::Geography() : impl_(new Impl) {}
Geography::~Geography() { delete impl_; }

Result<PhoneInfo> Geography::describe(std::string_view number) const {
  const std::string text(number);
  if (text.size() < 3 || text[0] != '+' ||
      text.find_first_not_of("0123456789", 1) != std::string::npos) {
    return Status::invalid_argument("'" + text + "' is not an E.164 phone number (+ and digits)");
  }
  PhoneNumber parsed;
  if (impl_->util->Parse(text, "ZZ", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !impl_->util->IsValidNumber(parsed)) {
    return Status::invalid_argument("'" + text + "' is not a valid phone number");
  }
  PhoneInfo info;
  impl_->util->Format(parsed, PhoneNumberUtil::E164, &info.e164);
  impl_->util->GetRegionCodeForNumber(parsed, &info.country);
  std::string national;
  impl_->util->GetNationalSignificantNumber(parsed, &national);
  const int area_code_length = impl_->util->GetLengthOfGeographicalAreaCode(parsed);
  if (area_code_length > 0)
    info.area_code = national.substr(0, static_cast<size_t>(area_code_length));
  std::string description;
  {
    std::lock_guard lock(impl_->geocoder_mutex);
    description = impl_->geocoder.GetDescriptionForNumber(parsed, icu::Locale("en", "US"));
  }
  if (parsed.country_code() == 1) {
    // NANP descriptions are "City, ST" (US) or a province name (Canada): the state or
    // province is the region.
    const size_t comma = description.rfind(", ");
    info.region = comma == std::string::npos ? description : description.substr(comma + 2);
  } else {
    info.region = description;
  }
  // Numbers without geographic information (most mobiles outside NANP) are described by
  // their country's name: that says nothing finer than `country`.
  icu::UnicodeString display;
  icu::Locale("", info.country.c_str()).getDisplayCountry(icu::Locale("en", "US"), display);
  std::string country_name;
  display.toUTF8String(country_name);
  if (info.region == country_name) info.region.clear();
  return info;
}

}  // namespace mc::pool
