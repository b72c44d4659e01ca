// Hotlines end to end: the sandbox's phones call and text a hotline's number, the worker(s)
// behind nginx ring the team through the sandbox, and the sandbox plays what they answer.
#include <signal.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "core/response.h"
#include "harness/stack.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

const std::string kCaller = "+14155550111";
const std::string kAna = "+12125550122";
const std::string kBen = "+13125550133";
const std::string kCleo = "+12065550144";
const std::vector<std::string> kTeam = {kAna, kBen, kCleo};
const std::string kTaken = "Someone else took this call.";

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool wait_until_every_ms(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct HotlineFixture {
  explicit HotlineFixture(int workers = 1)
      : stack([&] {
          StackOptions options = StackOptions().sandboxed({"--number-count", "6"});
          options.workers = workers;
          return options;
        }()) {}

  // POST /hotlines for the first pool number with the whole team; `settings` are more
  // fields ("answerCheck": ..., ...). The hotline as answered.
  Json::Value create(const std::string& settings = "") {
    std::string body = "{\"number\": \"" + number() + "\", \"name\": \"CoC line\", \"members\": [";
    const std::vector<std::string> names = {"Ana", "Ben", "Cleo"};
    for (size_t i = 0; i < kTeam.size(); ++i) {
      body += (i ? "," : "") + std::string("{\"address\": \"") + kTeam[i] + "\", \"name\": \"" +
              names[i] + "\"}";
    }
    body += "]" + (settings.empty() ? "" : ", " + settings) + "}";
    auto response = stack.request("POST", "/hotlines", body, "application/json");
    BOOST_REQUIRE(response.is_ok());
    BOOST_REQUIRE_MESSAGE(response->status == 201, response->status << " " << response->body);
    return json_body(*response);
  }
  const std::string& number() const { return stack.numbers().at(0); }

  Json::Value control(const std::string& method, const std::string& path,
                      const Params& params = {}) {
    return testing::control(stack, method, path, params);
  }
  void behave(const std::string& phone, const Params& behaviour) {
    control("POST", "/phones/" + url_encode(phone) + "/behaviour", behaviour);
  }
  Json::Value transcript(const std::string& phone) { return testing::transcript(stack, phone); }
  // The caller dials the hotline; the caller's CallSid.
  std::string call_in(const std::string& from = kCaller) {
    const Json::Value placed = control("POST", "/calls", {{"From", from}, {"To", number()}});
    BOOST_REQUIRE(placed["settled"].asBool());
    return placed["call_sid"].asString();
  }
  Json::Value sandbox_call(const std::string& sid) { return control("GET", "/calls/" + sid); }
  // The newest call `member`'s phone has had, once there are `count` and it is `status`.
  std::string wait_for_leg(const std::string& member, size_t count, const std::string& status) {
    std::string sid;
    const bool seen = wait_until(
        [&] {
          const Json::Value calls = transcript(member)["calls"];
          if (calls.size() < count) return false;
          const Json::Value& last = calls[static_cast<Json::ArrayIndex>(count - 1)];
          sid = last["call_sid"].asString();
          return last["status"].asString() == status;
        },
        std::chrono::seconds(10));
    BOOST_REQUIRE_MESSAGE(seen, member << "'s call " << count << " never became " << status << "\n"
                                       << stack.logs());
    return sid;
  }
  void answer(const std::string& leg_sid, const std::string& answered_by = "human") {
    control("POST", "/calls/" + leg_sid + "/answer", {{"AnsweredBy", answered_by}});
  }
  // Answers a leg that may have been cancelled meanwhile (another member won first); false
  // when it had.
  bool try_answer(const std::string& leg_sid) {
    auto response =
        stack.sandbox().control("POST", "/calls/" + leg_sid + "/answer", {{"AnsweredBy", "human"}});
    BOOST_REQUIRE(response.is_ok());
    return response->status == 200;
  }
  Json::Value calls_log(const std::string& hotline_id) {
    auto response = stack.request("GET", "/hotlines/" + hotline_id + "/calls");
    BOOST_REQUIRE(response.is_ok());
    BOOST_REQUIRE_MESSAGE(response->status == 200, response->body);
    return json_body(*response)["calls"];
  }
  // The hotline call's log entry once `ready` holds for it.
  Json::Value logged_call(const std::string& hotline_id,
                          const std::function<bool(const Json::Value&)>& ready) {
    Json::Value found;
    BOOST_REQUIRE_MESSAGE(wait_until(
                              [&] {
                                const Json::Value calls = calls_log(hotline_id);
                                if (calls.empty()) return false;
                                found = calls[0];
                                return ready(found);
                              },
                              std::chrono::seconds(10)),
                          "call log: " << to_json_text(found) << "\n"
                                       << stack.logs());
    return found;
  }
  // Who is in the caller's room now (call SIDs).
  std::set<std::string> room(const std::string& caller_sid) {
    std::set<std::string> in;
    for (const Json::Value& c : control("GET", "/calls")) {
      if (c["conference"].asString() == "hotline-" + caller_sid) in.insert(c["sid"].asString());
    }
    return in;
  }
  // Whether `phone` heard `text` (on leg `call_sid` only, when given).
  bool heard(const std::string& phone, const std::string& text, const std::string& call_sid = "") {
    const Json::Value log = transcript(phone);  // bound: a range over a temporary's member dangles
    for (const Json::Value& a : log["announcements"]) {
      if (a["text"].asString() == text && (call_sid.empty() || a["call_sid"] == call_sid)) {
        return true;
      }
    }
    return false;
  }
  std::vector<std::string> texts_received(const std::string& phone, const std::string& from) {
    std::vector<std::string> out;
    const Json::Value log = transcript(phone);
    for (const Json::Value& m : log["messages_received"]) {
      if (m["from"].asString() == from) out.push_back(m["body"].asString());
    }
    return out;
  }
  // The texts `phone` received from the hotline's number, once there are `count`.
  std::vector<std::string> wait_for_texts(const std::string& phone, size_t count) {
    std::vector<std::string> texts;
    const bool arrived = wait_until(
        [&] {
          texts = texts_received(phone, number());
          return texts.size() >= count;
        },
        std::chrono::seconds(10));
    BOOST_REQUIRE_MESSAGE(arrived, phone << " got " << texts.size() << " texts, not " << count
                                         << "\n"
                                         << stack.logs());
    return texts;
  }
  void text(const std::string& from, const std::string& body) {
    control("POST", "/sms", {{"From", from}, {"To", number()}, {"Body", body}});
  }

  Stack stack;
};

bool contains(const std::vector<std::string>& texts, const std::string& part) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hotline_end_to_end)

BOOST_AUTO_TEST_CASE(the_second_member_answers_first_and_is_connected_while_the_others_stop) {
  HotlineFixture f;
  const Json::Value hotline = f.create(R"("answerCheck": "press-1")");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}, {"Digits", "1"}});
  const Clock::time_point called = Clock::now();
  const std::string caller = f.call_in();
  std::vector<std::string> legs;
  for (const std::string& m : kTeam) legs.push_back(f.wait_for_leg(m, 1, "ringing"));
  BOOST_TEST_MESSAGE("every member ringing " << ms_since(called) << " ms after the call");
  for (const std::string& m : kTeam) {
    BOOST_TEST(f.transcript(m)["calls"][0]["from"].asString() == f.number());  // masked
  }
  const Clock::time_point answered = Clock::now();
  f.answer(legs[1]);  // Ben presses 1
  // Polled every millisecond at the sandbox, for the figure.
  const bool cancelled = wait_until_every_ms(
      [&] {
        return f.sandbox_call(legs[0])["status"] == "canceled" &&
               f.sandbox_call(legs[2])["status"] == "canceled";
      },
      std::chrono::seconds(10));
  BOOST_TEST_MESSAGE("winning answer to the last other leg cancelled: " << ms_since(answered)
                                                                        << " ms");
  BOOST_REQUIRE_MESSAGE(cancelled, f.stack.logs());
  BOOST_TEST(f.room(caller) == (std::set<std::string>{caller, legs[1]}));
  const Json::Value logged = f.logged_call(
      hotline["id"].asString(), [](const Json::Value& c) { return c["status"] == "connected"; });
  BOOST_TEST(logged["answeredBy"].asString() == kBen);
  BOOST_TEST(logged["from"].asString() == kCaller);
  BOOST_TEST(logged["legs"].size() == 3u);
  // Neither side saw the other's number.
  BOOST_TEST(f.transcript(kBen)["calls"][0]["from"].asString() == f.number());
  BOOST_TEST(to_json_text(f.transcript(kBen)).find(kCaller) == std::string::npos);
  BOOST_TEST(to_json_text(f.transcript(kCaller)).find(kBen) == std::string::npos);

  f.control("POST", "/calls/" + caller + "/hangup");
  BOOST_TEST(f.sandbox_call(legs[1])["status"].asString() == "completed");
  const Json::Value ended = f.logged_call(
      hotline["id"].asString(), [](const Json::Value& c) { return c["status"] == "completed"; });
  BOOST_TEST(!ended["duration"].isNull());
}

BOOST_AUTO_TEST_CASE(with_no_answer_check_the_first_answer_takes_the_call) {
  HotlineFixture f;
  f.create(R"("answerCheck": "none")");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}});
  const std::string caller = f.call_in();
  std::vector<std::string> legs;
  for (const std::string& m : kTeam) legs.push_back(f.wait_for_leg(m, 1, "ringing"));
  f.answer(legs[2]);
  BOOST_TEST(f.room(caller) == (std::set<std::string>{caller, legs[2]}));
  for (size_t i : {0u, 1u}) f.wait_for_leg(kTeam[i], 1, "canceled");
}

BOOST_AUTO_TEST_CASE(a_voicemail_pickup_never_wins_under_either_answer_check) {
  for (const std::string check : {"press-1", "machine-detection"}) {
    BOOST_TEST_CONTEXT("answerCheck " << check) {
      HotlineFixture f;
      f.create("\"answerCheck\": \"" + check + "\"");
      // Ana's voicemail picks up at once; Ben answers himself a moment later.
      f.behave(kAna, {{"Answer", "machine"}, {"Digits", "1"}});
      f.behave(kBen, {{"Answer", "manual"}, {"Digits", "1"}});
      f.behave(kCleo, {{"Answer", "manual"}});
      const std::string caller = f.call_in();
      const std::string ana = f.wait_for_leg(kAna, 1, "completed");
      BOOST_TEST(f.room(caller).count(ana) == 0u);
      const std::string ben = f.wait_for_leg(kBen, 1, "ringing");
      f.answer(ben);
      BOOST_TEST(f.room(caller) == (std::set<std::string>{caller, ben}));
      f.wait_for_leg(kCleo, 1, "canceled");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_caller_hanging_up_early_cancels_every_leg) {
  HotlineFixture f;
  const Json::Value hotline = f.create();
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}});
  const std::string caller = f.call_in();
  for (const std::string& m : kTeam) f.wait_for_leg(m, 1, "ringing");
  f.control("POST", "/calls/" + caller + "/hangup");
  for (const std::string& m : kTeam) f.wait_for_leg(m, 1, "canceled");
  const Json::Value logged = f.logged_call(
      hotline["id"].asString(), [](const Json::Value& c) { return c["status"] == "abandoned"; });
  BOOST_TEST(logged["answeredBy"].isNull());
}

BOOST_AUTO_TEST_CASE(nobody_answering_gives_the_caller_the_no_answer_message) {
  HotlineFixture f;
  const Json::Value hotline = f.create(
      R"("ringTimeout": 10, "noAnswer": {"message": "Nobody is free. Please call back."})");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "no-answer"}});
  const std::string caller = f.call_in();
  for (const std::string& m : kTeam) f.wait_for_leg(m, 1, "ringing");
  f.control("POST", "/clock/advance", {{"Seconds", "10"}});
  for (const std::string& m : kTeam) f.wait_for_leg(m, 1, "no-answer");
  BOOST_REQUIRE_MESSAGE(
      wait_until([&] { return f.heard(kCaller, "Nobody is free. Please call back."); },
                 std::chrono::seconds(10)),
      f.stack.logs());
  BOOST_TEST(f.sandbox_call(caller)["status"].asString() == "completed");
  f.logged_call(hotline["id"].asString(),
                [](const Json::Value& c) { return c["status"] == "no-answer"; });
}

BOOST_AUTO_TEST_CASE(nobody_answering_takes_a_voicemail_that_is_kept_and_announced) {
  HotlineFixture f;
  const Json::Value hotline =
      f.create(R"("ringTimeout": 10, "noAnswer": {"message": "Leave a message after the tone.",)"
               R"( "voicemail": {"maxLength": 60}})");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "busy"}});
  f.behave(kCaller, {{"RecordSeconds", "7"}});
  const std::string caller = f.call_in();
  const Json::Value logged = f.logged_call(
      hotline["id"].asString(), [](const Json::Value& c) { return c["status"] == "voicemail"; });
  BOOST_TEST(logged["voicemail"]["duration"].asInt() == 7);
  const std::string recording = logged["voicemail"]["recordingSid"].asString();
  BOOST_TEST(recording.rfind("RE", 0) == 0u);
  BOOST_TEST(f.transcript(kCaller)["recordings"][0]["recording_sid"].asString() == recording);
  for (const std::string& m : kTeam) {
    f.wait_for_texts(m, 1);
    const std::vector<std::string> texts = f.texts_received(m, f.number());
    BOOST_TEST(contains(texts, "New voicemail on CoC line (7 s)"), m);
    BOOST_TEST(!contains(texts, kCaller));
  }
  BOOST_TEST(f.sandbox_call(caller)["status"].asString() == "completed");
}

BOOST_AUTO_TEST_CASE(two_members_answering_in_the_same_instant_connect_exactly_one) {
  HotlineFixture f(2);  // two worker processes on one ledger, behind one nginx
  f.create(R"("answerCheck": "none")");
  f.behave(kAna, {{"Answer", "manual"}});
  f.behave(kBen, {{"Answer", "manual"}});
  f.behave(kCleo, {{"Answer", "busy"}});
  std::map<std::string, int> winners;
  int simultaneous = 0;  // rounds where both phones' answers were taken by the sandbox
  constexpr int kRounds = 100;
  for (int round = 1; round <= kRounds; ++round) {
    const std::string caller = f.call_in();
    const std::string ana = f.wait_for_leg(kAna, static_cast<size_t>(round), "ringing");
    const std::string ben = f.wait_for_leg(kBen, static_cast<size_t>(round), "ringing");
    // Both phones pick up at once; under load one answer may reach the sandbox after the
    // other's claim already cancelled its leg (then it could not be answered at all).
    auto ana_answered = std::async(std::launch::async, [&] { return f.try_answer(ana); });
    const bool ben_answered = f.try_answer(ben);
    const bool both_answered = ana_answered.get() && ben_answered;
    const std::set<std::string> in = f.room(caller);
    BOOST_REQUIRE_MESSAGE(in.size() == 2u && in.count(caller) == 1u,
                          "round " << round << ": " << in.size() << " in the room");
    const std::string& won = in.count(ana) ? ana : ben;
    const std::string& lost = in.count(ana) ? ben : ana;
    ++winners[won == ana ? "Ana" : "Ben"];
    if (both_answered) ++simultaneous;
    // The late one heard it was taken and was hung up, or was cancelled before it answered.
    const std::string lost_status = f.sandbox_call(lost)["status"].asString();
    BOOST_TEST((lost_status == "completed" || lost_status == "canceled"), lost_status);
    if (lost_status == "completed") {
      BOOST_TEST(f.heard(lost == ana ? kAna : kBen, kTaken, lost), "round " << round);
    }
    f.control("POST", "/calls/" + caller + "/hangup");
  }
  BOOST_TEST_MESSAGE("winners over " << kRounds << " rounds: Ana " << winners["Ana"] << ", Ben "
                                     << winners["Ben"] << "; both answered in " << simultaneous);
  BOOST_TEST(winners["Ana"] + winners["Ben"] == kRounds);
}

BOOST_AUTO_TEST_CASE(a_worker_killed_and_restarted_mid_ring_still_connects_the_first_answer) {
  HotlineFixture f;
  const Json::Value hotline = f.create(R"("answerCheck": "press-1")");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}, {"Digits", "1"}});
  const std::string caller = f.call_in();
  std::vector<std::string> legs;
  for (const std::string& m : kTeam) legs.push_back(f.wait_for_leg(m, 1, "ringing"));
  // Mid-ring: every leg is ringing and in the ledger. (A leg Twilio accepted in the instant
  // the worker died, before it was recorded, is unknown until its own status arrives: it
  // rings on until its timeout, and answering it hears the call was taken. README.)
  f.logged_call(hotline["id"].asString(),
                [](const Json::Value& c) { return c["legs"].size() == 3u; });
  f.stack.worker().signal(SIGKILL);
  f.stack.worker().wait(std::chrono::seconds(5));
  f.stack.restart_worker(0);
  BOOST_REQUIRE(wait_until(
      [&] {
        auto health = f.stack.request("GET", "/healthz", "", "", false);
        return health.is_ok() && health->status == 200;
      },
      std::chrono::seconds(10)));
  f.answer(legs[0]);
  BOOST_TEST(f.room(caller) == (std::set<std::string>{caller, legs[0]}));
  for (size_t i : {1u, 2u}) f.wait_for_leg(kTeam[i], 1, "canceled");
  f.logged_call(hotline["id"].asString(), [](const Json::Value& c) {
    return c["status"] == "connected" && c["answeredBy"] == kAna;
  });
}

BOOST_AUTO_TEST_CASE(the_first_reply_claims_a_text_thread_and_nobody_sees_a_real_number) {
  HotlineFixture f;
  const Json::Value hotline = f.create();
  const std::string texter = "+13125550177";
  f.text(texter, "Someone is harassing me at the registration desk");
  for (const std::string& m : kTeam) {
    f.wait_for_texts(m, 1);
    BOOST_TEST(f.texts_received(m, f.number())[0] ==
               "#1 New text to CoC line: Someone is harassing me at the registration desk "
               "(reply to take it)");
  }
  f.text(kBen, "On my way. Stay where you are.");
  f.wait_for_texts(texter, 1);
  BOOST_TEST(f.texts_received(texter, f.number())[0] == "On my way. Stay where you are.");
  for (const std::string& m : {kAna, kCleo}) {
    f.wait_for_texts(m, 2);
    BOOST_TEST(f.texts_received(m, f.number())[1] == "#1 taken by Ben");
  }
  // Ana replies a moment too late; the texter's next text reaches Ben only.
  f.text(kAna, "#1 I can come too");
  f.wait_for_texts(kAna, 3);
  BOOST_TEST(f.texts_received(kAna, f.number())[2] ==
             "#1 was taken by Ben; your reply was not sent.");
  f.text(texter, "Thank you");
  f.wait_for_texts(kBen, 2);
  BOOST_TEST(f.texts_received(kBen, f.number())[1] == "#1 Thank you");
  BOOST_TEST(f.texts_received(texter, f.number()).size() == 1u);  // Ana's reply never reached it
  BOOST_TEST(f.texts_received(kCleo, f.number()).size() == 2u);
  // Every text anyone received came from the hotline's number, and names nobody's number.
  for (const std::string& phone : {texter, kAna, kBen, kCleo}) {
    const Json::Value log = f.transcript(phone);
    for (const Json::Value& m : log["messages_received"]) {
      BOOST_TEST(m["from"].asString() == f.number(), phone);
      for (const std::string& other : {texter, kAna, kBen, kCleo}) {
        BOOST_TEST(m["body"].asString().find(other) == std::string::npos, phone);
      }
    }
  }
  // Ben's reply is followed to the texter's phone: Messages.json's status callbacks.
  Json::Value thread;
  BOOST_REQUIRE_MESSAGE(wait_until(
                            [&] {
                              auto threads = f.stack.request(
                                  "GET", "/hotlines/" + hotline["id"].asString() + "/threads");
                              thread = json_body(*threads)["threads"][0];
                              return thread["messages"][1]["delivery"] == "delivered";
                            },
                            std::chrono::seconds(10)),
                        to_json_text(thread));
  BOOST_TEST(thread["label"].asString() == "#1");
  BOOST_TEST(thread["claimedBy"].asString() == kBen);
  BOOST_TEST(thread["messages"].size() == 3u);  // two from the texter, Ben's reply
  BOOST_TEST(thread["messages"][1]["author"].asString() == kBen);
}

BOOST_AUTO_TEST_CASE(a_member_with_two_threads_picks_one_by_label_or_gets_the_newest) {
  HotlineFixture f;
  f.create();
  const std::string first = "+13125550178";
  const std::string second = "+13125550179";
  f.text(first, "help at the bar");
  f.text(second, "help at the door");
  f.text(kAna, "#1 coming to the bar");
  f.text(kAna, "#2 coming to the door");
  f.wait_for_texts(second, 1);
  BOOST_TEST(f.texts_received(first, f.number())[0] == "coming to the bar");
  BOOST_TEST(f.texts_received(second, f.number())[0] == "coming to the door");
  f.text(first, "thanks");  // thread #1 is now the most recently active
  f.text(kAna, "see you");
  f.wait_for_texts(first, 2);
  BOOST_TEST(f.texts_received(first, f.number())[1] == "see you");
  BOOST_REQUIRE(
      wait_until([&] { return contains(f.texts_received(kAna, f.number()), "Sent to #1"); },
                 std::chrono::seconds(10)));
  BOOST_TEST(contains(f.texts_received(kAna, f.number()), "start with its label: #2"));
}

BOOST_AUTO_TEST_CASE(bad_hotlines_get_a_400_naming_the_problem_and_nothing_is_written) {
  HotlineFixture f;
  const std::string n = f.number();
  auto post = [&](const std::string& body) {
    auto response = f.stack.request("POST", "/hotlines", body, "application/json");
    BOOST_REQUIRE(response.is_ok());
    return *response;
  };
  const std::string members = R"("members": [{"address": ")" + kAna + R"("}])";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"number": "+13125550188", )" + members + "}", "not in the pool"},
      {R"({"number": "+19995550100", )" + members + "}", "not a valid phone number"},
      {R"({"number": ")" + n + R"(", "members": []})", "at least one member"},
      {R"({"number": ")" + n + R"("})", "at least one member"},
      {R"({"number": ")" + n + R"(", "members": [{"address": ")" + n + R"("}]})",
       "the hotline's own number"},
      {R"({"number": ")" + n + R"(", )" + members + R"(, "ringTimeout": 2})", "ringTimeout"},
      {R"({"number": ")" + n + R"(", )" + members + R"(, "ringTimeout": "25"})", "ringTimeout"},
      {R"({"number": ")" + n + R"(", )" + members + R"(, "answerCheck": "maybe"})", "answerCheck"},
      {R"({"number": ")" + n + R"(", )" + members + R"(, "colour": "red"})", "colour"},
      {R"({"number": ")" + n + R"(", "members": [{"address": "12"}]})", "member address"},
      {R"({"number": ")" + n + R"(", "members": [{"address": ")" + kAna + R"("}, {"address": ")" +
           kAna + R"("}]})",
       "listed twice"},
  };
  for (const auto& [body, problem] : cases) {
    const net::HttpResponse response = post(body);
    BOOST_TEST(response.status == 400, body);
    BOOST_TEST(json_body(response)["message"].asString().find(problem) != std::string::npos,
               body << " -> " << response.body);
  }
  auto list = f.stack.request("GET", "/hotlines");
  BOOST_REQUIRE(list.is_ok());
  BOOST_TEST(json_body(*list)["hotlines"].size() == 0u);

  // A number already a hotline's, and one holding a session.
  const Json::Value hotline = f.create();
  const net::HttpResponse again = post(R"({"number": ")" + n + R"(", )" + members + "}");
  BOOST_TEST(again.status == 400);
  BOOST_TEST(json_body(again)["message"].asString().find("already a hotline") != std::string::npos);
  const Json::Value session = create_session(f.stack, {kBen, kCleo});
  const std::string held =
      get_session(f.stack, session["uniqueName"].asString())["participants"][0]["proxyAddress"]
          .asString();
  BOOST_TEST(held != n);  // sessions never get a hotline's number
  const net::HttpResponse busy = post(R"({"number": ")" + held + R"(", )" + members + "}");
  BOOST_TEST(busy.status == 400);
  BOOST_TEST(json_body(busy)["message"].asString().find("session") != std::string::npos);
  auto after = f.stack.request("GET", "/hotlines");
  BOOST_TEST(json_body(*after)["hotlines"].size() == 1u);

  // Deleting gives the number back to the pool.
  auto removed = f.stack.request("DELETE", "/hotlines/" + hotline["id"].asString());
  BOOST_REQUIRE(removed.is_ok());
  BOOST_TEST(removed->status == 204);
  auto ledger = f.stack.open_ledger();
  auto pooled = ledger->pool_number(n);
  BOOST_REQUIRE(pooled.is_ok());
  BOOST_REQUIRE(pooled->has_value());
  BOOST_TEST(!(*pooled)->set_aside);
  auto gone = f.stack.request("GET", "/hotlines/" + hotline["id"].asString());
  BOOST_TEST(gone->status == 404);
}

BOOST_AUTO_TEST_CASE(members_are_added_paused_and_removed) {
  HotlineFixture f;
  const std::string id = f.create()["id"].asString();
  const std::string dave = "+14155550166";
  auto added =
      f.stack.request("POST", "/hotlines/" + id + "/members",
                      R"({"address": ")" + dave + R"(", "name": "Dave"})", "application/json");
  BOOST_REQUIRE(added.is_ok());
  BOOST_TEST(added->status == 201);
  BOOST_TEST(json_body(*added)["members"].size() == 4u);
  auto twice = f.stack.request("POST", "/hotlines/" + id + "/members",
                               R"({"address": ")" + dave + R"("})", "application/json");
  BOOST_TEST(twice->status == 400);
  auto paused = f.stack.request("POST", "/hotlines/" + id + "/members/" + url_encode(kAna),
                                R"({"paused": true})", "application/json");
  BOOST_REQUIRE(paused.is_ok());
  BOOST_REQUIRE_MESSAGE(paused->status == 200, paused->body);
  auto removed = f.stack.request("DELETE", "/hotlines/" + id + "/members/" + url_encode(kCleo));
  BOOST_TEST(removed->status == 204);
  // A paused member is not rung, a removed one is gone: Ben and Dave ring.
  for (const std::string& m : {kAna, kBen, kCleo, dave}) f.behave(m, {{"Answer", "manual"}});
  f.call_in();
  f.wait_for_leg(kBen, 1, "ringing");
  f.wait_for_leg(dave, 1, "ringing");
  BOOST_TEST(f.transcript(kAna)["calls"].size() == 0u);
  BOOST_TEST(f.transcript(kCleo)["calls"].size() == 0u);
  auto updated =
      f.stack.request("POST", "/hotlines/" + id, R"({"ringTimeout": 40, "answerCheck": "none"})",
                      "application/json");
  BOOST_REQUIRE(updated.is_ok());
  BOOST_TEST(json_body(*updated)["ringTimeout"].asInt() == 40);
  BOOST_TEST(json_body(*updated)["answerCheck"].asString() == "none");
  BOOST_TEST(json_body(*updated)["name"].asString() == "CoC line");
  // Refusals: a bad setting changes nothing; unknown hotlines and members are 404s.
  auto bad =
      f.stack.request("POST", "/hotlines/" + id, R"({"ringTimeout": 1000})", "application/json");
  BOOST_TEST(bad->status == 400);
  BOOST_TEST(json_body(*bad)["message"].asString().find("ringTimeout") != std::string::npos);
  auto kept = f.stack.request("GET", "/hotlines/" + id);
  BOOST_TEST(json_body(*kept)["ringTimeout"].asInt() == 40);
  const std::string unknown = "/hotlines/HL" + std::string(32, '0');
  BOOST_TEST(f.stack.request("GET", unknown)->status == 404);
  BOOST_TEST(f.stack.request("POST", unknown, R"({"texts": false})", "application/json")->status ==
             404);
  BOOST_TEST(f.stack.request("GET", unknown + "/calls")->status == 404);
  BOOST_TEST(f.stack.request("DELETE", unknown)->status == 404);
  BOOST_TEST(f.stack
                 .request("POST", "/hotlines/" + id + "/members/" + url_encode(kCleo),
                          R"({"paused": true})", "application/json")
                 ->status == 404);  // removed above
  BOOST_TEST(
      f.stack.request("DELETE", "/hotlines/" + id + "/members/" + url_encode(kCleo))->status ==
      404);
}

BOOST_AUTO_TEST_CASE(a_forged_leg_webhook_changes_nothing) {
  HotlineFixture f;
  const Json::Value hotline = f.create(R"("answerCheck": "none")");
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}});
  const std::string caller = f.call_in();
  for (const std::string& m : kTeam) f.wait_for_leg(m, 1, "ringing");
  net::HttpRequest forged;
  forged.method = "POST";
  forged.url = f.stack.http_url("/hotline/leg?call=" + caller);
  forged.body = "CallSid=CAforged&To=" + url_encode(kAna);
  forged.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl"}};
  auto answer = f.stack.send(forged);
  BOOST_REQUIRE(answer.is_ok());
  BOOST_TEST(answer->status == 403);
  const Json::Value calls = f.calls_log(hotline["id"].asString());
  BOOST_TEST(calls[0]["status"].asString() == "ringing");
}

BOOST_AUTO_TEST_CASE(the_inbound_webhook_answers_in_milliseconds) {
  HotlineFixture f;
  f.create();
  for (const std::string& m : kTeam) f.behave(m, {{"Answer", "manual"}});
  // The same path's floor, in the same run: a signed /call-status the worker only queues.
  const auto percentiles = [](std::vector<double> took) {
    std::sort(took.begin(), took.end());
    std::ostringstream out;
    out << "p50 " << took[took.size() / 2] << " ms, p99 " << took[took.size() * 99 / 100] << " ms";
    return out.str();
  };
  constexpr int kCalls = 200;
  std::vector<double> hotline, floor;
  for (int i = 0; i < kCalls; ++i) {
    Clock::time_point start = Clock::now();
    const net::HttpResponse answer =
        send_inbound_call(f.stack, "CAbench" + std::to_string(i), kCaller, f.number());
    hotline.push_back(ms_since(start));
    BOOST_TEST(answer.status == 200);
    BOOST_TEST(answer.body.find("<Conference") != std::string::npos);
    start = Clock::now();
    const net::HttpResponse status = send_signed_webhook(
        f.stack, "/call-status",
        {{"CallSid", "CAfloor" + std::to_string(i)}, {"CallStatus", "ringing"}});
    floor.push_back(ms_since(start));
    BOOST_TEST(status.status == 200);
  }
  BOOST_TEST_MESSAGE("inbound webhook to TwiML over "
                     << kCalls
                     << " calls, through the sandbox's signer and nginx: " << percentiles(hotline)
                     << " (the same path to a queued /call-status: " << percentiles(floor) << ")");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace mc::testing
