#include "core/time_format.h"

#include <boost/test/unit_test.hpp>

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(time_format)

BOOST_AUTO_TEST_CASE(formats_and_parses_iso8601) {
  const TimePoint t = std::chrono::system_clock::from_time_t(1450304317);  // 2015-12-16T22:18:37Z
  BOOST_TEST(format_iso8601(t) == "2015-12-16T22:18:37Z");
  BOOST_TEST(format_iso8601_millis(t + std::chrono::milliseconds(25)) ==
             "2015-12-16T22:18:37.025Z");
  BOOST_TEST(format_rfc2822(t) == "Wed, 16 Dec 2015 22:18:37 +0000");
  BOOST_REQUIRE(parse_iso8601("2015-12-16T22:18:37Z").has_value());
  BOOST_TEST((*parse_iso8601("2015-12-16T22:18:37Z") == t));
  BOOST_TEST((*parse_iso8601("2015-12-16T23:18:37+01:00") == t));
  BOOST_TEST((*parse_iso8601("2015-12-16T22:18:37.500Z") == t + std::chrono::milliseconds(500)));
}

BOOST_AUTO_TEST_CASE(formats_and_parses_http_dates) {
  const TimePoint t = std::chrono::system_clock::from_time_t(1283286988);  // 2010-08-31 20:36:28
  BOOST_TEST(format_http_date(t) == "Tue, 31 Aug 2010 20:36:28 GMT");
  BOOST_TEST((parse_http_date("Tue, 31 Aug 2010 20:36:28 GMT") == t));
  BOOST_TEST((parse_http_date(format_rfc2822(t)) == t));
  BOOST_TEST(!parse_http_date("Tue, 31 Aug 2010 20:36:28 CET").has_value());
  BOOST_TEST(!parse_http_date("yesterday").has_value());
}

BOOST_AUTO_TEST_CASE(rejects_malformed_times) {
  for (const char* text : {"", "2015-12-16", "2015-12-16T22:18:37", "2015-13-16T22:18:37Z",
                           "2015-12-16T22:18:37Zx", "2015-12-16T22:18:37.Z", "tomorrow"}) {
    BOOST_TEST(!parse_iso8601(text).has_value(), text);
  }
}

// Issue 10, defect 2: no impossible dates, and no year that wraps the clock around.
BOOST_AUTO_TEST_CASE(rejects_impossible_dates_and_years_past_the_clock) {
  for (const char* text : {"2025-02-31T00:00:00Z", "2025-02-29T00:00:00Z", "2025-04-31T00:00:00Z",
                           "2611-06-22T08:21:38Z", "9999-12-31T23:59:59Z", "2200-01-01T00:00:00Z",
                           "0000-01-01T00:00:00Z"}) {
    BOOST_TEST(!parse_iso8601(text).has_value(), text);
  }
  BOOST_TEST(parse_iso8601("2024-02-29T00:00:00Z").has_value());
  // Before the epoch, milliseconds format (and parse back) correctly.
  const auto early = parse_iso8601("1969-12-31T23:59:59.500Z");
  BOOST_REQUIRE(early.has_value());
  BOOST_TEST(format_iso8601_millis(*early) == "1969-12-31T23:59:59.500Z");
  BOOST_TEST(format_iso8601(*early) == "1969-12-31T23:59:59Z");
  BOOST_TEST(parse_iso8601("2000-02-29T00:00:00Z").has_value());
  const auto latest = parse_iso8601("2199-12-31T23:59:59Z");
  BOOST_REQUIRE(latest.has_value());
  BOOST_TEST(format_iso8601(*latest) == "2199-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(parses_durations) {
  BOOST_TEST(parse_iso8601_duration("PT1M")->count() == 60);
  BOOST_TEST(parse_iso8601_duration("PT10M")->count() == 600);
  BOOST_TEST(parse_iso8601_duration("PT1H30M")->count() == 5400);
  BOOST_TEST(parse_iso8601_duration("P1D")->count() == 86400);
  BOOST_TEST(parse_iso8601_duration("P2DT3H")->count() == 2 * 86400 + 3 * 3600);
  BOOST_TEST(parse_iso8601_duration(format_iso8601_duration(std::chrono::seconds(90)))->count() ==
             90);
  // Found by the fuzzer: repeated or out-of-order units, and totals past a century.
  for (const char* text : {"", "P", "PT", "10M", "PT10", "P1M", "P1Y", "PTM", "PT1H2D", "P1DT",
                           "P2D2D", "PT1S1M", "PT1M1M", "P36500D1D", "P2D2D224444444D2D2D2D2D"}) {
    BOOST_TEST(!parse_iso8601_duration(text).has_value(), text);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
