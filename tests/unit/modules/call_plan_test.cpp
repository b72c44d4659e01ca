// The voice module's TwiML, compared as parsed documents, not as strings.
#include "modules/voice/call_plan.h"

#include <boost/test/unit_test.hpp>

#include "twilio/twiml.h"
#include "twiml_reader.h"

namespace mc::modules::voice {
namespace {

using sandbox::TwimlNode;

TwimlNode parse(const std::string& document) {
  auto root = sandbox::read_twiml_document(document);
  BOOST_REQUIRE_MESSAGE(root.is_ok(), root.status().message() << "\n" << document);
  return *root;
}

const CallbackUrls kUrls{"https://masked.example.com/call-status"};

VoiceConfig configured() {
  VoiceConfig config;
  config.out_of_session_message = "Your session has ended.";
  config.connecting_announcement = "Connecting you now.";
  config.voice = "alice";
  config.language = "en-US";
  return config;
}

BOOST_AUTO_TEST_SUITE(call_plan)

BOOST_AUTO_TEST_CASE(out_of_session_says_the_message_and_hangs_up) {
  const TwimlNode root = parse(out_of_session_twiml(configured()));
  BOOST_REQUIRE_EQUAL(root.children.size(), 2u);
  BOOST_TEST(root.children[0].name == "Say");
  BOOST_TEST(root.children[0].text == "Your session has ended.");
  BOOST_TEST(root.children[0].attribute("voice") == "alice");
  BOOST_TEST(root.children[0].attribute("language") == "en-US");
  BOOST_TEST(root.children[1].name == "Hangup");
}

BOOST_AUTO_TEST_CASE(an_intercepted_call_is_rejected_unanswered) {
  const TwimlNode root = parse(intercepted_twiml());
  BOOST_REQUIRE_EQUAL(root.children.size(), 1u);
  BOOST_TEST(root.children[0].name == "Reject");
}

BOOST_AUTO_TEST_CASE(a_redirect_posts_to_its_url) {
  const TwimlNode root =
      parse(twilio::Twiml().redirect("https://masked.example.com/inbound-call?a=1&b=2").document());
  BOOST_REQUIRE_EQUAL(root.children.size(), 1u);
  BOOST_TEST(root.children[0].name == "Redirect");
  BOOST_TEST(root.children[0].attribute("method") == "POST");
  BOOST_TEST(root.children[0].text == "https://masked.example.com/inbound-call?a=1&b=2");
}

BOOST_AUTO_TEST_CASE(unset_voice_and_language_are_left_out) {
  VoiceConfig plain;
  const TwimlNode say = parse(out_of_session_twiml(plain)).children.at(0);
  BOOST_TEST(say.attributes.empty());
}

BOOST_AUTO_TEST_CASE(one_other_party_is_dialled_with_their_own_proxy_as_caller_id) {
  VoiceOptions options{false, 600, 20};
  const TwimlNode root =
      parse(dial_twiml(configured(), options, "+12125550102", "+12125550100", kUrls));
  BOOST_REQUIRE_EQUAL(root.children.size(), 2u);
  BOOST_TEST(root.children[0].name == "Say");
  BOOST_TEST(root.children[0].text == "Connecting you now.");
  const TwimlNode& dial = root.children[1];
  BOOST_TEST(dial.name == "Dial");
  BOOST_TEST(dial.attribute("callerId") == "+12125550100");
  BOOST_TEST(dial.attribute("answerOnBridge") == "true");
  BOOST_TEST(dial.attribute("timeout") == "20");
  BOOST_TEST(dial.attribute("timeLimit") == "600");
  BOOST_TEST(dial.attributes.count("record") == 0u);
  BOOST_REQUIRE_EQUAL(dial.children.size(), 1u);
  BOOST_TEST(dial.children[0].name == "Number");
  BOOST_TEST(dial.children[0].text == "+12125550102");
  BOOST_TEST(dial.children[0].attribute("statusCallback") == kUrls.call_status);
}

BOOST_AUTO_TEST_CASE(recording_is_dual_channel_with_a_status_callback) {
  VoiceOptions options{true, 14400, 30};
  const TwimlNode dial =
      parse(dial_twiml(VoiceConfig{}, options, "+12125550102", "+12125550100", kUrls))
          .children.at(0);
  BOOST_TEST(dial.attribute("record") == "record-from-answer-dual");
  BOOST_TEST(dial.attribute("recordingStatusCallback") == kUrls.call_status);
}

BOOST_AUTO_TEST_CASE(a_group_caller_joins_a_conference_that_ends_with_them) {
  const std::string room = room_name("KC1", "CA2");
  BOOST_TEST(room == "mc-KC1-CA2");
  const TwimlNode root = parse(conference_caller_twiml(configured(), VoiceOptions{}, room, kUrls));
  const TwimlNode& dial = root.children.at(1);
  BOOST_TEST(dial.name == "Dial");
  BOOST_REQUIRE_EQUAL(dial.children.size(), 1u);
  const TwimlNode& conference = dial.children[0];
  BOOST_TEST(conference.name == "Conference");
  BOOST_TEST(conference.text == room);
  BOOST_TEST(conference.attribute("endConferenceOnExit") == "true");
  const TwimlNode leg = parse(conference_leg_twiml(room)).children.at(0).children.at(0);
  BOOST_TEST(leg.name == "Conference");
  BOOST_TEST(leg.text == room);
  BOOST_TEST(leg.attributes.count("endConferenceOnExit") == 0u);
}

BOOST_AUTO_TEST_CASE(hostile_announcements_stay_text) {
  VoiceConfig hostile;
  hostile.out_of_session_message =
      "</Say><Dial>+19005550100</Dial><Say> & 'quotes' \"too\"\x01\x1b";
  hostile.voice = "alice\" onload=\"x";
  const std::string document = out_of_session_twiml(hostile);
  const TwimlNode root = parse(document);
  BOOST_REQUIRE_EQUAL(root.children.size(), 2u);  // still just <Say> and <Hangup/>
  BOOST_TEST(root.children[0].text == "</Say><Dial>+19005550100</Dial><Say> & 'quotes' \"too\"");
  BOOST_TEST(root.children[0].attribute("voice") == "alice\" onload=\"x");
  BOOST_TEST(document.find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(escaping) {
  BOOST_TEST(twilio::xml_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  BOOST_TEST(twilio::xml_escape(std::string("tab\tnew\nline\x07")) == "tab\tnew\nline");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::modules::voice
