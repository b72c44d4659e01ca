// Masked calls end to end: phones of the sandbox call pool numbers, the worker answers the
// signed voice webhook through nginx, and the sandbox plays its TwiML.
#include <boost/test/unit_test.hpp>

#include "core/response.h"
#include "harness/stack.h"
#include "suite_helpers.h"
#include "twiml_reader.h"

namespace mc::testing {
namespace {

const std::string kAlice = "+14155550111";  // 415: gets a 415 proxy
const std::string kBob = "+12125550122";    // 212
const std::string kCarol = "+13125550133";  // 312
const std::string kDave = "+12065550144";   // 206

struct VoiceFixture {
  explicit VoiceFixture(std::map<std::string, std::string> env = {})
      : stack([&] {
          StackOptions options = StackOptions().sandboxed({"--number-count", "20"});
          options.with_worker_env("CONNECTING_CALL_ANNOUCEMENT", "Connecting you now.");
          options.with_worker_env("OUT_OF_SESSION_MESSAGE_FOR_CALL", "This session has ended.");
          options.with_worker_env("CALL_ANNOUCEMENT_VOICE", "alice");
          for (const auto& [name, value] : env) options.with_worker_env(name, value);
          return options;
        }()) {}

  // Creates a session; its GET /sessions/{id} view.
  Json::Value create(const std::vector<std::string>& addresses, const std::string& extra = "") {
    return get_session(stack, create_session(stack, addresses, extra)["uniqueName"].asString());
  }
  Json::Value control(const std::string& method, const std::string& path,
                      const Params& params = {}) {
    return testing::control(stack, method, path, params);
  }
  // `from` calls `to`; the settled call.
  Json::Value call(const std::string& from, const std::string& to) {
    Json::Value placed = control("POST", "/calls", {{"From", from}, {"To", to}});
    BOOST_TEST(placed["settled"].asBool());
    return placed;
  }
  Json::Value transcript(const std::string& phone) { return testing::transcript(stack, phone); }
  // Waits until `phone`'s first call has `status` (legs are rung in the background).
  bool wait_for_call_status(const std::string& phone, const std::string& status) {
    return wait_until(
        [&] {
          const Json::Value calls = transcript(phone)["calls"];
          return calls.size() >= 1 && calls[0]["status"].asString() == status;
        },
        std::chrono::seconds(10));
  }
  // The session's calls once `count` of them are recorded (the call log writes them in
  // batches, a few milliseconds after the webhooks were answered).
  Json::Value recorded_calls_of(const std::string& session_id, Json::ArrayIndex count) {
    Json::Value calls;
    BOOST_REQUIRE(wait_until(
        [&] {
          calls = calls_of(session_id)["calls"];
          return calls.size() >= count;
        },
        std::chrono::seconds(10)));
    return calls;
  }
  Json::Value calls_of(const std::string& session_id) {
    auto response = stack.request("GET", "/sessions/" + session_id + "/calls");
    BOOST_REQUIRE(response.is_ok());
    BOOST_REQUIRE_MESSAGE(response->status == 200, response->body);
    return json_body(*response);
  }
  // Sends a voice webhook signed with the account's token, as Twilio would.
  net::HttpResponse signed_inbound_call(const Params& params) {
    return send_signed_webhook(stack, "/inbound-call", params);
  }

  Stack stack;
};

std::string said(const Json::Value& transcript) {
  std::string out;
  for (const Json::Value& a : transcript["announcements"]) out += a["text"].asString() + "|";
  return out;
}

BOOST_AUTO_TEST_SUITE(voice_end_to_end)

BOOST_AUTO_TEST_CASE(a_caller_reaches_the_other_party_who_sees_their_own_proxy_number) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob});
  const std::string id = session["id"].asString();
  const std::string alice_proxy = proxy_of(session, kAlice);
  const std::string bob_proxy = proxy_of(session, kBob);

  const Json::Value placed = f.call(kAlice, alice_proxy);
  const Json::Value bob = f.transcript(kBob);
  BOOST_REQUIRE_EQUAL(bob["calls"].size(), 1u);
  BOOST_TEST(bob["calls"][0]["direction"].asString() == "incoming");
  BOOST_TEST(bob["calls"][0]["from"].asString() == bob_proxy);  // never Alice's number
  BOOST_TEST(bob["calls"][0]["status"].asString() == "in-progress");
  const Json::Value alice = f.transcript(kAlice);
  BOOST_TEST(alice["announcements"][0]["text"].asString() == "Connecting you now.");
  BOOST_TEST(alice["announcements"][0]["voice"].asString() == "alice");
  const Json::Value alice_call = placed["call"];
  BOOST_TEST(alice_call["status"].asString() == "in-progress");
  BOOST_TEST(alice_call["bridged_with"].asString() == bob["calls"][0]["call_sid"].asString());

  // The call is an interaction of the session, stored with its leg.
  Json::Value calls = f.recorded_calls_of(id, 2);
  BOOST_REQUIRE_EQUAL(calls.size(), 2u);
  BOOST_TEST(calls[0]["direction"].asString() == "inbound");
  BOOST_TEST(calls[0]["kind"].asString() == "dial");
  BOOST_TEST(calls[0]["from"].asString() == kAlice);
  BOOST_TEST(calls[1]["direction"].asString() == "outbound");
  BOOST_TEST(calls[1]["to"].asString() == kBob);
  BOOST_TEST(calls[1]["parentCallSid"].asString() == alice_call["sid"].asString());
  const Json::Value after = json_body(*f.stack.request("GET", "/sessions/" + id));
  BOOST_TEST(after["status"].asString() == "in-progress");
  BOOST_TEST(!after["dateLastInteraction"].isNull());

  f.control("POST", "/calls/" + alice_call["sid"].asString() + "/hangup");
  BOOST_REQUIRE(wait_until(
      [&] {
        const Json::Value c = f.calls_of(id)["calls"];
        return c[0]["status"].asString() == "completed" && c[1]["status"].asString() == "completed";
      },
      std::chrono::seconds(10)));
  BOOST_TEST(f.transcript(kBob)["calls"][0]["status"].asString() == "completed");
}

BOOST_AUTO_TEST_CASE(a_group_caller_lands_in_one_conference_with_everyone) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob, kCarol, kDave});
  const Json::Value placed = f.call(kAlice, proxy_of(session, kAlice));
  // The others are rung in the background, after the caller's webhook was answered.
  for (const std::string& other : {kBob, kCarol, kDave}) {
    BOOST_REQUIRE(f.wait_for_call_status(other, "in-progress"));
    const Json::Value transcript = f.transcript(other);
    BOOST_REQUIRE_EQUAL(transcript["calls"].size(), 1u);
    BOOST_TEST(transcript["calls"][0]["from"].asString() == proxy_of(session, other));
    BOOST_TEST(transcript["calls"][0]["status"].asString() == "in-progress");
  }
  // A callee's leg is in progress a moment before its TwiML has joined it to the room.
  BOOST_TEST(wait_until(
      [&] {
        const Json::Value now = f.control("GET", "/conferences");
        return now.size() == 1u && now[0]["participants"].size() == 4u;
      },
      std::chrono::seconds(10)));
  const Json::Value rooms = f.control("GET", "/conferences");
  BOOST_REQUIRE_EQUAL(rooms.size(), 1u);
  BOOST_TEST(rooms[0]["name"].asString() ==
             "mc-" + session["id"].asString() + "-" + placed["call_sid"].asString());
  BOOST_TEST(rooms[0]["participants"].size() == 4u);
  BOOST_TEST(rooms[0]["status"].asString() == "in-progress");

  // The conference ends when the caller leaves.
  f.control("POST", "/calls/" + placed["call_sid"].asString() + "/hangup");
  BOOST_TEST(f.control("GET", "/conferences")[0]["status"].asString() == "completed");
  for (const std::string& other : {kBob, kCarol, kDave}) {
    BOOST_TEST(f.transcript(other)["calls"][0]["status"].asString() == "completed");
  }
}

// Issue 10, defect 5: a replayed signed webhook for a group call (same CallSid) rings
// nobody again; it used to start a new leg for everyone each time (2 -> 4 -> 6 calls).
BOOST_AUTO_TEST_CASE(a_replayed_group_call_rings_nobody_again) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob, kCarol});
  const Params webhook = {{"CallSid", "CA0000000000000000000000000000beef"},
                          {"From", kAlice},
                          {"To", proxy_of(session, kAlice)},
                          {"Called", proxy_of(session, kAlice)},
                          {"CallStatus", "ringing"}};
  std::string first_twiml;
  for (int replay = 0; replay < 3; ++replay) {
    const net::HttpResponse response = f.signed_inbound_call(webhook);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body.find("<Conference") != std::string::npos, response.body);
    if (replay == 0) first_twiml = response.body;
    BOOST_TEST(response.body == first_twiml);  // the same room every time
  }
  // Bob's and Carol's legs, once: rung in the background after the first webhook, and by
  // no replay (given time to ring, they still do not).
  BOOST_REQUIRE(wait_until([&] { return f.control("GET", "/calls").size() == 2u; },
                           std::chrono::seconds(10)));
  BOOST_TEST(!wait_until([&] { return f.control("GET", "/calls").size() > 2u; },
                         std::chrono::milliseconds(1500)));
  BOOST_TEST(f.calls_of(session["id"].asString())["calls"].size() == 3u);
}

// Issue 9: Twilio waits on /inbound-call, so a group call is answered before any leg is
// created; the legs (slow to create here: 800 ms each at the sandbox) ring afterwards.
BOOST_AUTO_TEST_CASE(a_group_call_is_answered_before_any_leg_is_created) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob, kCarol});
  f.control("POST", "/faults", {{"Endpoint", "calls.create"}, {"latency", "800"}});
  const auto started = std::chrono::steady_clock::now();
  const net::HttpResponse response =
      f.signed_inbound_call({{"CallSid", "CA0000000000000000000000000000f00d"},
                             {"From", kAlice},
                             {"To", proxy_of(session, kAlice)},
                             {"Called", proxy_of(session, kAlice)},
                             {"CallStatus", "ringing"}});
  const auto answered_after = std::chrono::steady_clock::now() - started;
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body.find("<Conference") != std::string::npos, response.body);
  BOOST_TEST(f.control("GET", "/calls").size() == 0u);  // no leg exists yet
  BOOST_TEST_MESSAGE(
      "answered after "
      << std::chrono::duration_cast<std::chrono::milliseconds>(answered_after).count() << " ms");
  BOOST_REQUIRE(wait_until([&] { return f.control("GET", "/calls").size() == 2u; },
                           std::chrono::seconds(10)));
}

// When no leg can be created at all, the caller (already waiting in the room) is told so
// and hung up, by updating their call with new TwiML from the background.
BOOST_AUTO_TEST_CASE(a_group_caller_nobody_could_be_rung_for_is_told_and_hung_up) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob, kCarol});
  f.control("POST", "/faults", {{"Endpoint", "calls.create"}, {"5xx", "1"}});
  const Json::Value placed = f.call(kAlice, proxy_of(session, kAlice));
  BOOST_REQUIRE(wait_until(
      [&] {
        return f.control("GET", "/calls/" + placed["call_sid"].asString())["status"].asString() ==
               "completed";
      },
      std::chrono::seconds(20)));
  BOOST_TEST(said(f.transcript(kAlice)).find("could not") != std::string::npos,
             said(f.transcript(kAlice)));
  BOOST_TEST(f.transcript(kBob)["calls"].size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_caller_with_no_session_hears_the_out_of_session_message) {
  VoiceFixture f;
  const std::string pool_number = f.stack.numbers().at(3);
  const Json::Value placed = f.call("+16175550155", pool_number);
  BOOST_TEST(placed["call"]["status"].asString() == "completed");
  BOOST_TEST(said(f.transcript("+16175550155")) == "This session has ended.|");
  BOOST_TEST(f.control("GET", "/calls").size() == 1u);  // nobody else was rung
}

BOOST_AUTO_TEST_CASE(a_closed_or_message_only_session_no_longer_connects) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob});
  BOOST_REQUIRE_EQUAL(f.stack.request("DELETE", "/sessions/" + session["id"].asString())->status,
                      200);
  f.call(kAlice, proxy_of(session, kAlice));
  BOOST_TEST(said(f.transcript(kAlice)) == "This session has ended.|");
  BOOST_TEST(f.transcript(kBob)["calls"].size() == 0u);

  const Json::Value texts_only = f.create({kCarol, kDave}, "\"mode\": \"message-only\"");
  f.call(kCarol, proxy_of(texts_only, kCarol));
  BOOST_TEST(said(f.transcript(kCarol)) == "This session has ended.|");
  BOOST_TEST(f.transcript(kDave)["calls"].size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_forged_voice_webhook_is_rejected_and_rings_nobody) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob});
  net::HttpRequest forged;
  forged.method = "POST";
  forged.url = f.stack.http_url("/inbound-call");
  forged.body = encode_form({{"CallSid", "CA00000000000000000000000000000001"},
                             {"From", kAlice},
                             {"To", proxy_of(session, kAlice)},
                             {"Called", proxy_of(session, kAlice)}});
  forged.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="}};
  auto response = f.stack.send(forged);
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 403);
  BOOST_TEST(f.control("GET", "/calls").size() == 0u);
  BOOST_TEST(f.calls_of(session["id"].asString())["calls"].size() == 0u);
  forged.url = f.stack.http_url("/call-status");
  BOOST_TEST(f.stack.send(forged)->status == 403);
}

BOOST_AUTO_TEST_CASE(the_caller_hanging_up_early_cancels_the_legs_still_ringing) {
  VoiceFixture f;
  const Json::Value session = f.create({kAlice, kBob, kCarol, kDave});
  for (const std::string& other : {kBob, kCarol, kDave}) {
    f.control("POST", "/phones/" + url_encode(other) + "/behaviour", {{"Answer", "manual"}});
  }
  const Json::Value placed = f.call(kAlice, proxy_of(session, kAlice));
  for (const std::string& other : {kBob, kCarol, kDave}) {
    BOOST_REQUIRE(f.wait_for_call_status(other, "ringing"));
  }
  f.control("POST", "/calls/" + placed["call_sid"].asString() + "/hangup");
  // The cancels go out through the outbox, woken by the caller's final status callback.
  for (const std::string& other : {kBob, kCarol, kDave}) {
    BOOST_TEST(f.wait_for_call_status(other, "canceled"), other);
  }
  BOOST_REQUIRE(wait_until(
      [&] {
        const Json::Value calls = f.calls_of(session["id"].asString())["calls"];
        for (const Json::Value& call : calls) {
          if (call["direction"].asString() == "outbound" && call["status"] != "canceled") {
            return false;
          }
        }
        return calls.size() == 4u;
      },
      std::chrono::seconds(10)));
  const Json::Value calls = f.calls_of(session["id"].asString())["calls"];
  BOOST_REQUIRE_EQUAL(calls.size(), 4u);
  for (Json::ArrayIndex i = 1; i < calls.size(); ++i) {
    BOOST_TEST(calls[i]["status"].asString() == "canceled");
  }
}

BOOST_AUTO_TEST_CASE(bad_input_gets_valid_twiml_never_a_500) {
  VoiceFixture f;
  const std::string pool_number = f.stack.numbers().at(0);
  const std::vector<Params> cases = {
      {{"CallSid", "CA01"}, {"To", pool_number}},                         // no From
      {{"CallSid", "CA02"}, {"From", "anonymous"}, {"To", pool_number}},  // hidden caller
      {{"CallSid", "CA03"}, {"From", "sip:alice@example.com"}, {"To", pool_number}},
      {{"CallSid", "CA04"}, {"From", "client:alice"}, {"To", pool_number}},
      {{"CallSid", "CA05"}, {"From", kAlice}, {"To", "+19995550100"}},  // not in the pool
      {{"CallSid", "CA06"}, {"From", kAlice}},                          // no To
      {{"From", kAlice}, {"To", pool_number}},                          // no CallSid
      {{"CallSid", "CA08"}, {"From", "+1<script>"}, {"To", pool_number}},
      // Callers whose numbers arrive in other shapes (issue 10, defect 11).
      {{"CallSid", "CA09"}, {"From", "sip:14155550111@pbx.example.com"}, {"To", pool_number}},
      {{"CallSid", "CA10"}, {"From", "14155550111"}, {"To", pool_number}},
      {{"CallSid", "CA11"}, {"From", "+1 415 555 0111"}, {"To", pool_number}},
      {{"CallSid", "CA12"}, {"From", "+1-415-555-0111"}, {"To", pool_number}},
  };
  for (const Params& params : cases) {
    const net::HttpResponse response = f.signed_inbound_call(params);
    BOOST_TEST(response.status == 200, encode_form(params));
    BOOST_TEST(response.headers.at("content-type").rfind("text/xml", 0) == 0u);
    auto root = sandbox::read_twiml_document(response.body);
    BOOST_REQUIRE_MESSAGE(root.is_ok(), response.body);
    BOOST_REQUIRE_EQUAL(root->children.size(), 2u);
    BOOST_TEST(root->children[0].name == "Say");
    BOOST_TEST(root->children[0].text == "This session has ended.");
    BOOST_TEST(root->children[1].name == "Hangup");
  }
  BOOST_TEST(f.control("GET", "/calls").size() == 0u);
  // And the caller's number does not reach the log in full, in any of its shapes.
  const std::string log = f.stack.worker().log();
  for (const char* shape : {"+14155550111", "14155550111", "415 555 0111", "415-555-0111"}) {
    BOOST_TEST(log.find(shape) == std::string::npos, shape);
  }
  BOOST_TEST(log.find("1415***0111") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(recorded_sessions_keep_their_recordings) {
  VoiceFixture f;
  const Json::Value session =
      f.create({kAlice, kBob}, R"("voice": {"record": true, "timeLimit": 600})");
  const Json::Value placed = f.call(kAlice, proxy_of(session, kAlice));
  f.control("POST", "/calls/" + placed["call_sid"].asString() + "/hangup");
  Json::Value calls;
  BOOST_REQUIRE(wait_until(
      [&] {
        calls = f.calls_of(session["id"].asString())["calls"];
        return !calls[0]["recordingSid"].isNull();
      },
      std::chrono::seconds(10)));
  BOOST_TEST(calls[0]["recordingSid"].asString().rfind("RE", 0) == 0u);
  BOOST_TEST(calls[0]["recordingUrl"].asString().find("/Recordings/") != std::string::npos);
  const Json::Value webhooks = f.control("GET", "/webhooks", {{"Kind", "voice"}});
  BOOST_TEST(webhooks.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
