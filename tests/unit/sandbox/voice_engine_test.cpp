#include "voice_engine.h"

#include <boost/test/unit_test.hpp>
#include <map>

#include "fakes/fake_http.h"
#include "twilio/signature.h"

namespace mc::sandbox {
namespace {

using mc::testing::FakeHttp;
using mc::testing::header_of;
using mc::testing::twiml;

const std::string kToken = "voice-token";
const std::string kPoolA = "+15005550001";
const std::string kPoolB = "+15005550002";
const std::string kAlice = "+14155550111";
const std::string kBob = "+14155550112";
const std::string kCarol = "+14155550113";
const std::string kVoiceUrl = "https://app.example/inbound-call";

PhoneBehaviour answering(std::string answer, std::string digits = "") {
  PhoneBehaviour behaviour;
  behaviour.answer = std::move(answer);
  behaviour.digits = std::move(digits);
  return behaviour;
}

struct Fixture {
  Fixture()
      : tasks(4, clock),
        sender(http, kToken, sids, std::chrono::seconds(5)),
        voice(
            mutex, state, sids, clock, tasks,
            [this](const WebhookRequest& request) { return sender.send(request); },
            "http://sandbox/api/2010-04-01") {
    state.account_sid = "AC00000000000000000000000000000000";
    for (const std::string& n : {kPoolA, kPoolB}) {
      PhoneNumber number;
      number.sid = sids.next("PN");
      number.phone_number = n;
      number.voice_url = kVoiceUrl;
      state.numbers.push_back(number);
    }
    state.index_numbers();
    http.responder = [this](const net::HttpRequest& request) {
      std::lock_guard lock(documents_mutex);
      auto it = documents.find(request.url);
      return it == documents.end() ? twiml("<Response/>") : twiml(it->second);
    };
  }
  ~Fixture() { tasks.clear(); }

  void serve(const std::string& url, const std::string& document) {
    std::lock_guard lock(documents_mutex);
    documents[url] = document;
  }
  void settle() { BOOST_REQUIRE(tasks.wait_idle(std::chrono::seconds(10))); }
  Call call(const std::string& sid) {
    std::lock_guard lock(mutex);
    return *state.find_call(sid);
  }
  PhoneLog phone(const std::string& number) {
    std::lock_guard lock(mutex);
    return state.phones[number];
  }
  std::vector<net::HttpRequest> requests_to(const std::string& url) {
    std::vector<net::HttpRequest> out;
    for (const net::HttpRequest& request : http.requests()) {
      if (request.url == url) out.push_back(request);
    }
    return out;
  }

  std::mutex mutex;
  State state;
  SidGenerator sids{9};
  SandboxClock clock;
  TaskRunner tasks;
  FakeHttp http;
  WebhookSender sender;
  VoiceEngine voice;
  std::mutex documents_mutex;
  std::map<std::string, std::string> documents;
};

BOOST_FIXTURE_TEST_SUITE(voice_engine, Fixture)

BOOST_AUTO_TEST_CASE(dial_rings_the_callee_with_the_chosen_caller_id) {
  serve(kVoiceUrl, R"(<Response><Say voice="alice" language="en-US">Connecting you</Say>)"
                   R"(<Dial callerId=")" +
                       kPoolB + R"(" answerOnBridge="true"><Number>)" + kBob +
                       "</Number></Dial></Response>");
  auto sid = voice.place_inbound_call(kAlice, kPoolA);
  BOOST_REQUIRE(sid.is_ok());
  settle();

  // The voice webhook carried the call and was signed like Twilio signs it.
  const auto fetches = requests_to(kVoiceUrl);
  BOOST_REQUIRE_EQUAL(fetches.size(), 1u);
  const Params params = decode_form(fetches[0].body);
  BOOST_TEST(param_or(params, "From") == kAlice);
  BOOST_TEST(param_or(params, "Called") == kPoolA);
  BOOST_TEST(param_or(params, "CallStatus") == "ringing");
  BOOST_TEST(param_or(params, "Direction") == "inbound");
  BOOST_TEST(twilio::validate_signature(kToken, header_of(fetches[0], "X-Twilio-Signature"),
                                        kVoiceUrl, params, fetches[0].body, false));

  const PhoneLog alice = phone(kAlice);
  BOOST_REQUIRE_EQUAL(alice.announcements.size(), 1u);
  BOOST_TEST(alice.announcements[0].text == "Connecting you");
  BOOST_TEST(alice.announcements[0].voice == "alice");
  const PhoneLog bob = phone(kBob);
  BOOST_REQUIRE_EQUAL(bob.call_sids.size(), 1u);
  const Call leg = call(bob.call_sids[0]);
  BOOST_TEST(leg.from == kPoolB);  // Bob sees the proxy number, never Alice's
  BOOST_TEST(leg.parent_sid == *sid);
  BOOST_TEST(leg.status == CallStatus::kInProgress);
  BOOST_TEST(call(*sid).bridged_with == leg.sid);

  BOOST_REQUIRE(voice.hang_up(*sid).is_ok());
  settle();
  BOOST_TEST(call(*sid).status == CallStatus::kCompleted);
  BOOST_TEST(call(leg.sid).status == CallStatus::kCompleted);
}

BOOST_AUTO_TEST_CASE(unanswered_dial_times_out_to_the_action_url) {
  state.behaviours[kBob] = answering("no-answer");
  serve(kVoiceUrl, R"(<Response><Dial timeout="5" action="/dial-done"><Number>)" + kBob +
                       "</Number></Dial></Response>");
  serve("https://app.example/dial-done", "<Response><Say>Nobody answered</Say></Response>");
  auto sid = voice.place_inbound_call(kAlice, kPoolA);
  settle();
  const std::string leg = phone(kBob).call_sids.at(0);
  BOOST_TEST(call(leg).status == CallStatus::kRinging);
  clock.advance(std::chrono::seconds(6));
  settle();
  BOOST_TEST(call(leg).status == CallStatus::kNoAnswer);
  const auto actions = requests_to("https://app.example/dial-done");
  BOOST_REQUIRE_EQUAL(actions.size(), 1u);
  BOOST_TEST(param_or(decode_form(actions[0].body), "DialCallStatus") == "no-answer");
  BOOST_TEST(phone(kAlice).announcements.back().text == "Nobody answered");
  BOOST_TEST(call(*sid).status == CallStatus::kCompleted);
}

BOOST_AUTO_TEST_CASE(conference_ends_when_its_owner_leaves) {
  serve(
      kVoiceUrl,
      R"(<Response><Dial><Conference endConferenceOnExit="true">room-1</Conference></Dial></Response>)");
  auto caller = voice.place_inbound_call(kAlice, kPoolA);
  BOOST_REQUIRE(caller.is_ok());
  for (const std::string& who : {kBob, kCarol}) {
    auto leg = voice.create_call(
        {{"To", who},
         {"From", kPoolB},
         {"Twiml", "<Response><Dial><Conference>room-1</Conference></Dial></Response>"}});
    BOOST_REQUIRE_MESSAGE(leg.is_ok(), leg.status().to_string());
  }
  settle();
  {
    std::lock_guard lock(mutex);
    const Conference& room = state.conferences.at("room-1");
    BOOST_TEST(room.participants.size() == 3u);
    BOOST_TEST(room.status == "in-progress");
  }
  BOOST_TEST(phone(kBob).conferences.at(0).name == "room-1");
  BOOST_REQUIRE(voice.hang_up(*caller).is_ok());
  settle();
  BOOST_TEST(call(phone(kBob).call_sids.at(0)).status == CallStatus::kCompleted);
  BOOST_TEST(call(phone(kCarol).call_sids.at(0)).status == CallStatus::kCompleted);
  std::lock_guard lock(mutex);
  BOOST_TEST(state.conferences.at("room-1").status == "completed");
}

BOOST_AUTO_TEST_CASE(outbound_call_reports_progress_in_order_and_detects_machines) {
  state.behaviours[kBob] = answering("machine");
  serve("https://app.example/outbound", "<Response><Hangup/></Response>");
  auto sid = voice.create_call({{"To", kBob},
                                {"From", kPoolA},
                                {"Url", "https://app.example/outbound"},
                                {"MachineDetection", "Enable"},
                                {"StatusCallback", "https://app.example/call-status"},
                                {"StatusCallbackEvent", "initiated ringing"},
                                {"StatusCallbackEvent", "answered"},
                                {"StatusCallbackEvent", "completed"}});
  BOOST_REQUIRE(sid.is_ok());
  settle();
  const auto fetch = requests_to("https://app.example/outbound");
  BOOST_REQUIRE_EQUAL(fetch.size(), 1u);
  BOOST_TEST(param_or(decode_form(fetch[0].body), "AnsweredBy") == "machine_start");
  const auto callbacks = requests_to("https://app.example/call-status");
  BOOST_REQUIRE_EQUAL(callbacks.size(), 4u);
  const std::vector<std::string> expected = {"initiated", "ringing", "in-progress", "completed"};
  for (size_t i = 0; i < callbacks.size(); ++i) {
    const Params params = decode_form(callbacks[i].body);
    BOOST_TEST(param_or(params, "CallStatus") == expected[i]);
    BOOST_TEST(param_or(params, "SequenceNumber") == std::to_string(i));
  }
  BOOST_TEST(call(*sid).status == CallStatus::kCompleted);
}

BOOST_AUTO_TEST_CASE(a_person_presses_keys_at_a_gather_and_a_machine_never_does) {
  const std::string gather =
      R"(<Response><Gather numDigits="1" action="https://app.example/keys"><Say>Press 1</Say>)"
      R"(</Gather><Say>Nothing pressed</Say></Response>)";
  serve("https://app.example/outbound", gather);
  serve("https://app.example/keys", "<Response><Say>Thanks</Say></Response>");
  state.behaviours[kBob] = answering("human", "12");
  state.behaviours[kCarol] = answering("machine", "1");
  for (const std::string& to : {kBob, kCarol}) {
    BOOST_REQUIRE(
        voice.create_call({{"To", to}, {"From", kPoolA}, {"Url", "https://app.example/outbound"}})
            .is_ok());
  }
  settle();
  const auto keys = requests_to("https://app.example/keys");
  BOOST_REQUIRE_EQUAL(keys.size(), 1u);  // numDigits: only the first key counts
  BOOST_TEST(param_or(decode_form(keys[0].body), "Digits") == "1");
  BOOST_TEST(param_or(decode_form(keys[0].body), "To") == kBob);
  BOOST_TEST(phone(kBob).announcements.back().text == "Thanks");
  BOOST_TEST(phone(kCarol).announcements.back().text == "Nothing pressed");
  BOOST_TEST(phone(kCarol).keys_pressed.empty());
}

BOOST_AUTO_TEST_CASE(a_caller_leaves_a_message_at_a_record_and_silence_records_nothing) {
  serve(kVoiceUrl, R"(<Response><Record maxLength="3" action="https://app.example/recorded"/>)"
                   R"(<Say>No message</Say></Response>)");
  serve("https://app.example/recorded", "<Response><Say>Kept</Say></Response>");
  state.behaviours[kAlice].record_seconds = 10;
  state.behaviours[kBob].record_seconds = 0;
  BOOST_REQUIRE(voice.place_inbound_call(kAlice, kPoolA).is_ok());
  BOOST_REQUIRE(voice.place_inbound_call(kBob, kPoolA).is_ok());
  settle();
  const auto recorded = requests_to("https://app.example/recorded");
  BOOST_REQUIRE_EQUAL(recorded.size(), 1u);
  const Params params = decode_form(recorded[0].body);
  BOOST_TEST(param_or(params, "From") == kAlice);
  BOOST_TEST(param_or(params, "RecordingDuration") == "3");  // cut at maxLength
  BOOST_TEST(std::string(param_or(params, "RecordingSid")).rfind("RE", 0) == 0u);
  BOOST_TEST(std::string(param_or(params, "RecordingUrl")).find("/Recordings/RE") !=
             std::string::npos);
  BOOST_TEST(phone(kAlice).announcements.back().text == "Kept");
  BOOST_TEST(phone(kAlice).recordings.size() == 1u);
  BOOST_TEST(phone(kBob).announcements.back().text == "No message");
}

BOOST_AUTO_TEST_CASE(a_ringing_call_can_be_canceled) {
  state.behaviours[kBob] = answering("manual");
  auto sid = voice.create_call({{"To", kBob},
                                {"From", kPoolA},
                                {"Url", "https://app.example/outbound"},
                                {"StatusCallback", "https://app.example/call-status"}});
  settle();
  BOOST_TEST(call(*sid).status == CallStatus::kRinging);
  BOOST_REQUIRE(voice.update_call(*sid, {{"Status", "canceled"}}).is_ok());
  settle();
  BOOST_TEST(call(*sid).status == CallStatus::kCanceled);
  const auto callbacks = requests_to("https://app.example/call-status");
  BOOST_REQUIRE_EQUAL(callbacks.size(), 1u);  // only "completed" by default
  BOOST_TEST(param_or(decode_form(callbacks[0].body), "CallStatus") == "canceled");
  BOOST_TEST(requests_to("https://app.example/outbound").empty());
}

BOOST_AUTO_TEST_CASE(broken_twiml_is_an_application_error) {
  serve(kVoiceUrl, "<Response><Say>unclosed</Response>");
  auto sid = voice.place_inbound_call(kAlice, kPoolA);
  settle();
  BOOST_TEST(call(*sid).status == CallStatus::kCompleted);
  BOOST_TEST(phone(kAlice).announcements.at(0).text.find("application error") != std::string::npos);
  std::lock_guard lock(mutex);
  BOOST_REQUIRE_EQUAL(state.alerts.size(), 1u);
  BOOST_TEST(state.alerts[0].call_sid == *sid);
}

BOOST_AUTO_TEST_CASE(create_call_validates_like_twilio) {
  BOOST_TEST(voice.create_call({{"To", kBob}, {"From", kPoolA}}).status().api_code() == 21205);
  BOOST_TEST(voice.create_call({{"To", kBob}, {"From", "+19995550100"}, {"Url", "https://x/"}})
                 .status()
                 .api_code() == 21210);
  BOOST_TEST(voice.create_call({{"To", "12345"}, {"From", kPoolA}, {"Url", "https://x/"}})
                 .status()
                 .api_code() == 21211);
  BOOST_TEST(voice.create_call({{"From", kPoolA}, {"Url", "https://x/"}}).status().api_code() ==
             21201);
  BOOST_TEST(voice.place_inbound_call(kAlice, "+19995550100").status().http_status() == 404);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
