#include "core/log.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/phone_mask.h"

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(log_and_masking)

BOOST_AUTO_TEST_CASE(masks_a_single_number) {
  BOOST_TEST(mask_phone_number("+14155550101") == "+1415***0101");
  BOOST_TEST(mask_phone_number("+447911123456") == "+4479***3456");
  BOOST_TEST(mask_phone_number("+1234567") == "+12***67");
  BOOST_TEST(mask_phone_number("+1234") == "+***");
  BOOST_TEST(mask_phone_number("client:alice") == "client:alice");
  BOOST_TEST(mask_phone_number("+1415abc") == "+1415abc");
}

BOOST_AUTO_TEST_CASE(masks_numbers_inside_text) {
  BOOST_TEST(mask_phone_numbers_in("from +14155550101 to +14155550102.") ==
             "from +1415***0101 to +1415***0102.");
  BOOST_TEST(mask_phone_numbers_in("Address=%2B14155550101&x=1") == "Address=+1415***0101&x=1");
  BOOST_TEST(mask_phone_numbers_in("whatsapp:+447911123456") == "whatsapp:+4479***3456");
  BOOST_TEST(mask_phone_numbers_in("a+b c+12 KC1234567890abcdef") == "a+b c+12 KC1234567890abcdef");
}

// Every shape a caller's number arrives in reaches the journal masked (issue 10, defect 11).
BOOST_AUTO_TEST_CASE(masks_numbers_in_every_shape) {
  BOOST_TEST(mask_phone_numbers_in("sip:14155550101@pbx") == "sip:1415***0101@pbx");
  BOOST_TEST(mask_phone_numbers_in("From=14155550101") == "From=1415***0101");
  BOOST_TEST(mask_phone_numbers_in("14155550101") == "1415***0101");
  BOOST_TEST(mask_phone_numbers_in("+1 415 555 0101") == "+1415***0101");
  BOOST_TEST(mask_phone_numbers_in("+1-415-555-0101") == "+1415***0101");
  BOOST_TEST(mask_phone_numbers_in("call (415) 555-0101 now") == "call (4155***0101 now");
  BOOST_TEST(mask_phone_numbers_in("tel:+1.415.555.0101") == "tel:+1415***0101");
  BOOST_TEST(mask_phone_numbers_in("From=%2B1+415+555+0101&x=1") == "From=+1415***0101&x=1");
  BOOST_TEST(mask_phone_numbers_in("+1%20415%20555%200101") == "+1415***0101");
  BOOST_TEST(mask_phone_numbers_in("5550101") == "55***01");
  // Not numbers: short runs, SIDs, dates.
  BOOST_TEST(mask_phone_numbers_in("status=503 id=123456") == "status=503 id=123456");
  BOOST_TEST(mask_phone_numbers_in("CA0123456789abcdef0123456789abcdef") ==
             "CA0123456789abcdef0123456789abcdef");
  BOOST_TEST(mask_phone_numbers_in("at 2026-12-01T10:00:00Z") == "at 2026-12-01T10:00:00Z");
  for (const char* leak : {"sip:14155550101@pbx", "14155550101", "+1 415 555 0101",
                           "+1-415-555-0101", "(415) 555-0101"}) {
    BOOST_TEST(
        log::format_line(log::Level::kInfo, "x", {{"from", leak}}).find("555") == std::string::npos,
        leak);
  }
}

BOOST_AUTO_TEST_CASE(format_line_quotes_and_masks) {
  const std::string line = log::format_line(
      log::Level::kWarn, "session created",
      {{"session", "S1"}, {"to", "+14155550101"}, {"count", 3}, {"ok", true}, {"note", "a=\"b\""}});
  BOOST_TEST(line ==
             "level=warn msg=\"session created\" session=S1 to=+1415***0101 count=3 ok=true "
             "note=\"a=\\\"b\\\"\"");
}

BOOST_AUTO_TEST_CASE(message_itself_is_masked_and_newlines_escaped) {
  const std::string line = log::format_line(log::Level::kInfo, "call from +14155550101\nnext", {});
  BOOST_TEST(line == "level=info msg=\"call from +1415***0101\\nnext\"");
}

BOOST_AUTO_TEST_CASE(sink_receives_lines_at_or_above_level) {
  std::vector<std::string> lines;
  log::set_sink([&](std::string_view line) { lines.emplace_back(line); });
  log::set_level(log::Level::kInfo);
  log::debug("hidden");
  log::info("shown", {{"phone", "+12125551234"}});
  log::error("also shown");
  log::set_sink(nullptr);
  BOOST_REQUIRE_EQUAL(lines.size(), 2u);
  BOOST_TEST(lines[0] == "level=info msg=shown phone=+1212***1234");
  BOOST_TEST(lines[1] == "level=error msg=\"also shown\"");
}

BOOST_AUTO_TEST_CASE(parses_levels) {
  log::Level level = log::Level::kInfo;
  BOOST_TEST(log::parse_level("error", &level));
  BOOST_TEST(static_cast<int>(level) == static_cast<int>(log::Level::kError));
  BOOST_TEST(!log::parse_level("verbose", &level));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
