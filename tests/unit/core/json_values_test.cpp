#include "core/json_values.h"

#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
