#include "core/params.h"

#include <boost/test/unit_test.hpp>

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(params)

BOOST_AUTO_TEST_CASE(decode_form_reverses_encode_form) {
  const Params original = {{"To", "+1 415"}, {"Body", "a&b=c"}, {"To", "again"}, {"Empty", ""}};
  BOOST_TEST((decode_form(encode_form(original)) == original));
}

BOOST_AUTO_TEST_CASE(decode_form_reads_what_browsers_and_twilio_write) {
  const Params decoded = decode_form("PageSize=50&Page=1&Body=hi+there%21&flag&&PageToken=PT%3D2");
  const Params expected = {{"PageSize", "50"},
                           {"Page", "1"},
                           {"Body", "hi there!"},
                           {"flag", ""},
                           {"PageToken", "PT=2"}};
  BOOST_TEST((decoded == expected));
  BOOST_TEST(decode_form("").empty());
}

BOOST_AUTO_TEST_CASE(whole_numbers_are_plain_non_negative_decimals) {
  BOOST_TEST(whole_number("0").value_or(-1) == 0);
  BOOST_TEST(whole_number("120").value_or(-1) == 120);
  for (const char* bad : {"", "-1", "+1", "1.5", "12s", " 1", "99999999999999999999"}) {
    BOOST_TEST(!whole_number(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
