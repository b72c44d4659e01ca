#include "pool/geography.h"

#include <boost/test/unit_test.hpp>

namespace mc::pool {
namespace {

BOOST_AUTO_TEST_SUITE(geography)

BOOST_AUTO_TEST_CASE(united_states) {
  Geography geography;
  auto info = geography.describe("+14155550101");
  BOOST_REQUIRE(info.is_ok());
  BOOST_TEST(info->e164 == "+14155550101");
  BOOST_TEST(info->country == "US");
  BOOST_TEST(info->area_code == "415");
  BOOST_TEST(info->region == "CA");  // California, from "San Francisco, CA"
  BOOST_TEST(geography.describe("+12125551234")->region == "NY");
}

BOOST_AUTO_TEST_CASE(canada) {
  Geography geography;
  auto info = geography.describe("+16045551234");
  BOOST_REQUIRE(info.is_ok());
  BOOST_TEST(info->country == "CA");
  BOOST_TEST(info->area_code == "604");
  BOOST_TEST(info->region == "British Columbia");
  BOOST_TEST(geography.describe("+14165551234")->region == "Ontario");
}

BOOST_AUTO_TEST_CASE(united_kingdom) {
  Geography geography;
  auto london = geography.describe("+442071838750");
  BOOST_REQUIRE(london.is_ok());
  BOOST_TEST(london->country == "GB");
  BOOST_TEST(london->area_code == "20");
  BOOST_TEST(london->region == "London");
  auto mobile = geography.describe("+447400123456");
  BOOST_REQUIRE(mobile.is_ok());
  BOOST_TEST(mobile->country == "GB");
  BOOST_TEST(mobile->area_code == "");  // mobiles have no geography
  BOOST_TEST(mobile->region == "");     // "United Kingdom" says nothing finer
}

BOOST_AUTO_TEST_CASE(other_countries) {
  Geography geography;
  auto france = geography.describe("+33612345678");
  BOOST_REQUIRE(france.is_ok());
  BOOST_TEST(france->country == "FR");
  BOOST_TEST(france->region == "");  // only the country's name is known
  auto berlin = geography.describe("+493012345678");
  BOOST_REQUIRE(berlin.is_ok());
  BOOST_TEST(berlin->country == "DE");
  BOOST_TEST(berlin->area_code == "30");
  BOOST_TEST(berlin->region == "Berlin");
  BOOST_TEST(geography.describe("+61412345678")->country == "AU");
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_valid_e164_number) {
  Geography geography;
  for (const char* text : {"", "+", "14155550101", "+1 415 555 0101", "+1415555", "+1415555010x",
                           "+999123456789", "+14155550101x", "tel:+14155550101"}) {
    auto info = geography.describe(text);
    BOOST_TEST(!info.is_ok(), text);
    BOOST_TEST(info.status().http_status() == 400, text);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::pool
