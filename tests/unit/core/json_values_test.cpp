#include "core/json_values.h"

#include <boost/test/unit_test.hpp>

#include "core/response.h"

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(json_values)

BOOST_AUTO_TEST_CASE(absent_values_are_null) {
  BOOST_TEST(text_or_null("").isNull());
  BOOST_TEST(optional_text(std::nullopt).isNull());
  BOOST_TEST(optional_int(std::nullopt).isNull());
  BOOST_TEST(optional_iso_time(std::nullopt).isNull());
}

BOOST_AUTO_TEST_CASE(present_values_keep_their_type) {
  BOOST_TEST(text_or_null("CA1").asString() == "CA1");
  BOOST_TEST(optional_text(std::string()).isString());  // present but empty stays ""
  BOOST_TEST(optional_int(int64_t{0}).asInt64() == 0);
  BOOST_TEST(optional_int(int64_t{86400}).isInt64());
  const TimePoint time{std::chrono::milliseconds(1'795'000'000'123)};
  BOOST_TEST(optional_iso_time(time).asString() == format_iso8601_millis(time));
  BOOST_TEST(optional_iso_time(time).asString().ends_with(".123Z"));
}

BOOST_AUTO_TEST_CASE(a_whole_number_in_range_is_one_that_fits_in_64_bits) {
  Json::Value parsed;
  std::string errors;
  // What jsoncpp reads from a client's digits: integral, but beyond int64 (asInt64 throws).
  BOOST_REQUIRE(
      parse_json_text("[11142658299982249985, 1e19, 30, 2.5, \"30\", -3]", &parsed, &errors));
  BOOST_TEST(parsed[0].isIntegral());
  BOOST_TEST(!is_integer_in(parsed[0], 0, 600));
  BOOST_TEST(!is_integer_in(parsed[1], 0, INT64_MAX));
  BOOST_TEST(is_integer_in(parsed[2], 5, 600));
  BOOST_TEST(!is_integer_in(parsed[2], 31, 600));
  BOOST_TEST(!is_integer_in(parsed[3], 0, 600));
  BOOST_TEST(!is_integer_in(parsed[4], 0, 600));
  BOOST_TEST(is_integer_in(parsed[5], -5, 0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
