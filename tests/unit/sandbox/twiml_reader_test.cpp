#include "twiml_reader.h"

#include <boost/test/unit_test.hpp>

namespace mc::sandbox {
namespace {

BOOST_AUTO_TEST_SUITE(twiml_reader)

BOOST_AUTO_TEST_CASE(reads_verbs_nouns_attributes_and_text) {
  auto verbs = read_twiml(
      R"(<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="alice" language="en-US">Hello &amp; welcome</Say>)"
      R"(<Dial callerId="+15005550006" answerOnBridge="true"><Number>+14155550100</Number></Dial><Hangup/></Response>)");
  BOOST_REQUIRE(verbs.is_ok());
  BOOST_REQUIRE_EQUAL(verbs->size(), 3u);
  BOOST_TEST((*verbs)[0].name == "Say");
  BOOST_TEST((*verbs)[0].text == "Hello & welcome");
  BOOST_TEST((*verbs)[0].attribute("voice") == "alice");
  BOOST_TEST((*verbs)[1].attribute("callerId") == "+15005550006");
  BOOST_REQUIRE_EQUAL((*verbs)[1].children.size(), 1u);
  BOOST_TEST((*verbs)[1].children[0].name == "Number");
  BOOST_TEST((*verbs)[1].children[0].text == "+14155550100");
  BOOST_TEST((*verbs)[2].name == "Hangup");
  BOOST_TEST((*verbs)[2].attribute("missing", "fallback") == "fallback");
}

BOOST_AUTO_TEST_CASE(rejects_other_roots_and_malformed_xml) {
  BOOST_TEST(!read_twiml("<Reply><Say>x</Say></Reply>").is_ok());
  BOOST_TEST(!read_twiml("<Response><Say>x</Response>").is_ok());
  BOOST_TEST(!read_twiml("not xml at all").is_ok());
  BOOST_TEST(read_twiml("<Response/>")->empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
