// Texts through nginx + worker + sandbox, with the Conversations pre-event webhook and the
// numbers' SmsUrl wired (as scripts/run and maskctl configure wire them): the message log,
// content rules, out-of-session texts and opt-outs.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "harness/stack.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

const std::string kAna = "+14155550111";
const std::string kBen = "+12125550122";
const std::string kCai = "+13125550133";

using Env = std::map<std::string, std::string>;

struct MessagesFixture {
  explicit MessagesFixture(const Env& env = {}, int numbers = 6)
      : stack([&] {
          StackOptions options =
              StackOptions().sandboxed({"--number-count", std::to_string(numbers)});
          for (const auto& [name, value] : env) options.with_worker_env(name, value);
          return options;
        }()) {}

  // Creates a session of `people`; its GET /sessions/{id} JSON.
  Json::Value open(const std::vector<std::string>& people) {
    return get_session(stack, create_session(stack, people)["uniqueName"].asString());
  }
  Json::Value text(const std::string& from, const std::string& to, const std::string& body) {
    return control(stack, "POST", "/sms", {{"From", from}, {"To", to}, {"Body", body}});
  }
  Json::Value received(const std::string& phone) {
    return transcript(stack, phone)["messages_received"];
  }
  Json::Value messages(const std::string& id, const std::string& query = "") {
    auto response = stack.request("GET", "/sessions/" + id + "/messages" + query);
    BOOST_REQUIRE(response.is_ok());
    BOOST_REQUIRE_MESSAGE(response->status == 200, response->status << " " << response->body);
    return json_body(*response);
  }

  Stack stack;
};

BOOST_AUTO_TEST_SUITE(messages)

BOOST_AUTO_TEST_CASE(a_three_person_sessions_messages_are_logged_in_order) {
  MessagesFixture f;
  const Json::Value session = f.open({kAna, kBen, kCai});
  const std::string id = session["id"].asString();
  const std::vector<std::pair<std::string, std::string>> said = {
      {kAna, "I am at the gate"}, {kBen, "on my way"}, {kCai, "me too"}, {kAna, "see you"}};
  for (const auto& [who, body] : said) {
    BOOST_REQUIRE(f.text(who, proxy_of(session, who), body)["routed"].asString() == "conversation");
  }
  // Two pages of two: in order, each with its author, the number they wrote to, and the
  // others as recipients (each with their own proxy number).
  Json::Value first = f.messages(id, "?pageSize=2");
  BOOST_REQUIRE_EQUAL(first["messages"].size(), 2u);
  BOOST_REQUIRE(!first["meta"]["nextPageToken"].isNull());
  Json::Value second = f.messages(
      id, "?pageSize=2&pageToken=" + url_encode(first["meta"]["nextPageToken"].asString()));
  BOOST_REQUIRE_EQUAL(second["messages"].size(), 2u);
  BOOST_TEST(second["meta"]["nextPageToken"].isNull());
  std::vector<Json::Value> all = {first["messages"][0], first["messages"][1], second["messages"][0],
                                  second["messages"][1]};
  for (size_t i = 0; i < said.size(); ++i) {
    const Json::Value& m = all[i];
    BOOST_TEST(m["author"].asString() == said[i].first);
    BOOST_TEST(m["body"].asString() == said[i].second);
    BOOST_TEST(m["proxyAddress"].asString() == proxy_of(session, said[i].first));
    BOOST_TEST(m["status"].asString() == "sent");
    BOOST_TEST(m["sid"].asString().substr(0, 2) == "IM");
    BOOST_REQUIRE_EQUAL(m["recipients"].size(), 2u);
    for (const Json::Value& r : m["recipients"]) {
      BOOST_TEST(r["address"].asString() != said[i].first);
      BOOST_TEST(r["proxyAddress"].asString() == proxy_of(session, r["address"].asString()));
    }
  }
  // The log outlives the session.
  auto closed = f.stack.request("DELETE", "/sessions/" + id);
  BOOST_REQUIRE(closed.is_ok());
  BOOST_REQUIRE(closed->status == 200);
  BOOST_TEST(f.messages(id)["messages"].size() == 4u);
  // Unknown sessions and bad paging are answered clearly.
  auto unknown = f.stack.request("GET", "/sessions/KCnope/messages");
  BOOST_TEST(unknown->status == 404);
  auto bad = f.stack.request("GET", "/sessions/" + id + "/messages?pageSize=0");
  BOOST_TEST(bad->status == 400);
  BOOST_TEST(bad->body.find("pageSize") != std::string::npos);
  auto garbage = f.stack.request("GET", "/sessions/" + id + "/messages?pageToken=zz");
  BOOST_TEST(garbage->status == 400);
  // Logs never show a body.
  BOOST_TEST(f.stack.worker().log().find("I am at the gate") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_receipt_before_the_participant_sids_are_known_is_kept) {
  MessagesFixture f;
  // Twilio is slow to list participants: the outbox has not recorded their SIDs when the
  // first text's receipt names one of them.
  auto faulty = f.stack.sandbox().control("POST", "/faults",
                                          {{"Endpoint", "participants.list"}, {"latency", "2000"}});
  BOOST_REQUIRE(faulty.is_ok() && faulty->status == 200);
  const Json::Value session = f.open({kAna, kBen});
  const std::string id = session["id"].asString();
  f.text(kAna, proxy_of(session, kAna), "first words");
  BOOST_TEST(wait_until(
      [&] {
        const Json::Value logged = f.messages(id)["messages"];
        return logged.size() == 1u &&
               logged[0]["recipients"][0]["delivery"].asString() == "delivered";
      },
      std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(a_blocked_pattern_is_not_delivered_and_the_sender_is_told) {
  MessagesFixture f(Env{{"MC_MESSAGE_BLOCK_PATTERNS", R"(["venmo", "cash\\s*app"])"},
                        {"MC_MESSAGE_MAX_LENGTH", "40"}});
  const Json::Value session = f.open({kAna, kBen});
  const std::string ana_proxy = proxy_of(session, kAna);
  const Json::Value sent = f.text(kAna, ana_proxy, "pay me on VENMO instead");
  BOOST_TEST(sent["blocked"].asBool());
  BOOST_TEST(sent["pre_event_status"].asInt() == 403);
  f.text(kAna, ana_proxy, std::string(41, 'x'));  // over the length limit
  f.text(kAna, ana_proxy, "fine, see you at 6");
  BOOST_TEST(wait_until([&] { return f.received(kAna).size() == 2u; }, std::chrono::seconds(10)));
  const Json::Value notices = f.received(kAna);
  for (const Json::Value& notice : notices) {
    BOOST_TEST(notice["from"].asString() == ana_proxy);  // from her own proxy number
    BOOST_TEST(notice["body"].asString().find("not delivered") != std::string::npos);
  }
  const Json::Value ben = f.received(kBen);
  BOOST_REQUIRE_EQUAL(ben.size(), 1u);  // only the allowed one
  BOOST_TEST(ben[0]["body"].asString() == "fine, see you at 6");
  // Each blocked message and its notice (our own send) are in the log.
  const Json::Value log = f.messages(session["id"].asString())["messages"];
  BOOST_REQUIRE_EQUAL(log.size(), 5u);
  BOOST_TEST(log[0]["status"].asString() == "blocked");
  BOOST_TEST(log[0]["sid"].isNull());
  BOOST_TEST(log[0]["note"].asString().find("venmo") != std::string::npos);
  BOOST_TEST(log[1]["status"].asString() == "notice");
  BOOST_TEST(log[1]["author"].asString() == "system");
  BOOST_TEST(log[1]["recipients"][0]["address"].asString() == kAna);
  BOOST_TEST(log[2]["status"].asString() == "blocked");
  BOOST_TEST(log[2]["note"].asString().find("longer than 40") != std::string::npos);
  BOOST_TEST(log[3]["status"].asString() == "notice");
  BOOST_TEST(log[4]["status"].asString() == "sent");
}

BOOST_AUTO_TEST_CASE(phone_numbers_and_emails_in_a_body_arrive_redacted) {
  MessagesFixture f(Env{{"MC_MESSAGE_REDACT", "phone,email"}});
  const Json::Value session = f.open({kAna, kBen});
  f.text(kAna, proxy_of(session, kAna),
         "text me at (415) 555-0199 or +1 212 555 0100, or ana.b@example.org; gate 12");
  const Json::Value ben = f.received(kBen);
  BOOST_REQUIRE_EQUAL(ben.size(), 1u);
  BOOST_TEST(ben[0]["body"].asString() ==
             "text me at [phone removed] or [phone removed], or [email removed]; gate 12");
  const Json::Value log = f.messages(session["id"].asString())["messages"];
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0]["body"].asString().find("555") == std::string::npos);  // as delivered
}

BOOST_AUTO_TEST_CASE(an_out_of_session_text_gets_the_auto_reply_and_reaches_nobody) {
  MessagesFixture f(
      Env{{"OUT_OF_SESSION_MESSAGE_FOR_SMS", "This number is not in use. <Bye> & thanks"}});
  const Json::Value session = f.open({kAna, kBen});
  const std::string stranger = "+16175550144";
  const Json::Value sent = f.text(stranger, proxy_of(session, kAna), "hello?");
  BOOST_TEST(sent["routed"].asString() == "sms_url");
  BOOST_TEST(sent["status"].asInt() == 200);
  const Json::Value reply = f.received(stranger);
  BOOST_REQUIRE_EQUAL(reply.size(), 1u);
  BOOST_TEST(reply[0]["from"].asString() == proxy_of(session, kAna));
  BOOST_TEST(reply[0]["body"].asString() == "This number is not in use. <Bye> & thanks");
  BOOST_TEST(f.received(kAna).size() == 0u);
  BOOST_TEST(f.received(kBen).size() == 0u);
  BOOST_TEST(f.messages(session["id"].asString())["messages"].size() == 0u);
}

BOOST_AUTO_TEST_CASE(stop_stops_texts_tells_the_others_once_and_the_number_is_not_given_again) {
  MessagesFixture f(Env{}, 2);  // two numbers: an opted-out pair leaves one for Ana
  const Json::Value session = f.open({kAna, kBen, kCai});
  const std::string ana_proxy = proxy_of(session, kAna);
  // "Yes" from someone who never opted out is an ordinary reply: relayed.
  f.text(kAna, ana_proxy, "Yes");
  BOOST_REQUIRE_EQUAL(f.received(kBen).size(), 1u);
  BOOST_REQUIRE(f.received(kBen)[0]["body"].asString() == "Yes");
  f.text(kAna, ana_proxy, "STOP");
  // Twilio confirms to Ana itself; Ben and Cai are told once, by name-free notice.
  BOOST_TEST(
      wait_until([&] { return f.received(kBen).size() == 2u && f.received(kCai).size() == 2u; },
                 std::chrono::seconds(10)));
  for (const std::string& other : {kBen, kCai}) {
    const Json::Value notice = f.received(other)[1];
    BOOST_TEST(notice["body"].asString().find("opted out") != std::string::npos);
    BOOST_TEST(notice["body"].asString().find(kAna) == std::string::npos);
    BOOST_TEST(notice["from"].asString() == proxy_of(session, other));
  }
  const size_t ana_before = f.received(kAna).size();  // Twilio's own confirmation
  f.text(kBen, proxy_of(session, kBen), "are you there?");
  BOOST_TEST(f.received(kAna).size() == ana_before);  // nothing reaches her from that number
  BOOST_TEST(f.received(kCai).size() == 3u);          // Cai still does
  // Twilio's receipts say so in the log: refused for Ana (21610), delivered to Cai.
  const Json::Value asked = f.messages(session["id"].asString())["messages"][4];
  BOOST_REQUIRE(asked["body"].asString() == "are you there?");
  for (const Json::Value& r : asked["recipients"]) {
    const bool ana = r["address"].asString() == kAna;
    BOOST_TEST(r["delivery"].asString() == (ana ? "undelivered" : "delivered"));
    BOOST_TEST(r["errorCode"].asInt() == (ana ? 21610 : 0));
  }
  f.text(kAna, ana_proxy, "stop");  // again: nobody is told twice
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  BOOST_TEST(f.received(kBen).size() == 2u);
  const Json::Value shown = get_session(f.stack, session["id"].asString());
  for (const Json::Value& p : shown["participants"]) {
    BOOST_TEST(p["optedOut"].asBool() == (p["address"].asString() == kAna));
  }
  // A new session for Ana never gives her the number she opted out of.
  const Json::Value next = f.open({kAna, "+16175550155"});
  BOOST_TEST(proxy_of(next, kAna) != ana_proxy);
  // The keyword was logged, not relayed, and the two notices with it.
  const Json::Value log = f.messages(session["id"].asString())["messages"];
  BOOST_TEST(log[0]["status"].asString() == "sent");  // "Yes"
  BOOST_TEST(log[1]["status"].asString() == "opt-out");
  BOOST_TEST(log[2]["status"].asString() == "notice");
  BOOST_TEST(log[3]["status"].asString() == "notice");
}

BOOST_AUTO_TEST_CASE(retention_erases_old_bodies_and_keeps_the_rest) {
  MessagesFixture f(Env{{"MC_MESSAGE_RETENTION_DAYS", "1"}});
  const Json::Value session = f.open({kAna, kBen});
  const std::string id = session["id"].asString();
  f.text(kAna, proxy_of(session, kAna), "fresh");
  {
    auto ledger = f.stack.open_ledger();
    store::MessageRecord old;
    old.session_id = id;
    old.message_sid = "IM00000000000000000000000000000old";
    old.author = kBen;
    old.body = "two days old";
    old.status = "sent";
    old.created_at = std::chrono::system_clock::now() - std::chrono::hours(48);
    BOOST_REQUIRE(ledger->record_message(old).is_ok());
  }
  BOOST_TEST(wait_until(
      [&] {
        const Json::Value log = f.messages(id)["messages"];
        return log.size() == 2u && log[0]["bodyErased"].asBool();
      },
      std::chrono::seconds(10)));
  const Json::Value log = f.messages(id)["messages"];
  BOOST_TEST(log[0]["body"].asString() == "");
  BOOST_TEST(log[0]["author"].asString() == kBen);  // metadata kept
  BOOST_TEST(log[1]["body"].asString() == "fresh");
  BOOST_TEST(!log[1]["bodyErased"].asBool());
}

BOOST_AUTO_TEST_CASE(messages_can_be_deleted_at_twilio_and_kept_in_the_log) {
  MessagesFixture f(
      Env{{"MC_MESSAGE_DELETE_AT_TWILIO", "true"}, {"MC_MESSAGE_DELETE_AFTER_MS", "0"}});
  const Json::Value session = f.open({kAna, kBen});
  f.text(kAna, proxy_of(session, kAna), "delete me at Twilio");
  BOOST_TEST(f.received(kBen).size() == 1u);  // delivered first
  const std::string path =
      "/conversations/v1/Conversations/" + session["conversationSid"].asString() + "/Messages";
  BOOST_TEST(wait_until(
      [&] { return json_body(*f.stack.sandbox().rest("GET", path, {}))["messages"].size() == 0u; },
      std::chrono::seconds(10)));
  const Json::Value log = f.messages(session["id"].asString())["messages"];
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0]["body"].asString() == "delete me at Twilio");
}

BOOST_AUTO_TEST_CASE(hostile_webhooks_get_a_quick_answer_and_change_nothing) {
  MessagesFixture f(
      Env{{"MC_MESSAGE_BLOCK_PATTERNS", R"(["(a+)+b"])"}, {"MC_MESSAGE_REDACT", "phone,email"}});
  const Json::Value session = f.open({kAna, kBen});
  const std::string conversation = session["conversationSid"].asString();
  const std::vector<std::string> bodies = {std::string(100000, 'a'), std::string(100000, '@'),
                                           std::string("\x01\x02\x7f bell\x07", 9),
                                           std::string("\xff\xfe not utf-8 \xc3", 14), ""};
  for (const std::string& body : bodies) {
    const auto started = std::chrono::steady_clock::now();
    const net::HttpResponse answer = send_signed_webhook(f.stack, "/conversations-pre-event",
                                                         {{"EventType", "onMessageAdd"},
                                                          {"ConversationSid", conversation},
                                                          {"Author", kAna},
                                                          {"Body", body}});
    // Delivered, blocked, or refused as malformed (too large: 413): a valid answer.
    BOOST_TEST((answer.status >= 200 && answer.status < 500), answer.status);
    BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(3)));
  }
  for (const Params& params : std::vector<Params>{
           {},
           {{"EventType", "onMessageAdd"}},
           {{"EventType", "onMessageAdd"}, {"ConversationSid", "CHnotours"}, {"Body", "hi"}}}) {
    BOOST_TEST(send_signed_webhook(f.stack, "/conversations-pre-event", params).status == 200);
    BOOST_TEST(send_signed_webhook(f.stack, "/inbound-sms", params).status == 200);
  }
  // Unsigned: refused.
  auto forged = f.stack.request("POST", "/conversations-pre-event",
                                "EventType=onMessageAdd&Body=STOP&ConversationSid=" + conversation,
                                "application/x-www-form-urlencoded", false);
  BOOST_TEST(forged->status == 403);
  BOOST_TEST(f.messages(session["id"].asString())["messages"].size() == 0u);
  BOOST_TEST(
      !get_session(f.stack, session["id"].asString())["participants"][0]["optedOut"].asBool());
}

// A2P 10DLC: the pool read from the Messaging Service at start-up; and with NUMBER_POOL as
// the source, a pool number outside the service is reported at start-up.
BOOST_AUTO_TEST_CASE(the_pool_can_be_the_messaging_services_numbers) {
  const std::string service = "MG" + std::string(kSandboxAccountSid).substr(2);
  Stack stack(StackOptions()
                  .sandboxed({"--number-count", "4"})
                  .with_worker_env("NUMBER_POOL", "")
                  .with_worker_env("MC_POOL_SOURCE", "messaging-service")
                  .with_worker_env("TWILIO_MESSAGING_SERVICE_SID", service));
  auto pool = stack.open_ledger()->pool_numbers();
  BOOST_REQUIRE(pool.is_ok());
  BOOST_REQUIRE_EQUAL(pool->size(), 4u);
  for (const store::PoolNumber& n : *pool) BOOST_TEST(!n.retired);
  BOOST_TEST(create_session(stack, {kAna, kBen})["sid"].asString().substr(0, 2) == "CH");

  // One number leaves the service; the worker restarts with NUMBER_POOL as the source.
  const std::string left = stack.numbers().at(0);
  auto list = stack.sandbox().rest(
      "GET",
      "/api/2010-04-01/Accounts/" + std::string(kSandboxAccountSid) + "/IncomingPhoneNumbers.json",
      {{"PhoneNumber", left}});
  const std::string sid = json_body(*list)["incoming_phone_numbers"][0]["sid"].asString();
  auto removed =
      stack.sandbox().rest("DELETE", "/messaging/v1/Services/" + service + "/PhoneNumbers/" + sid);
  BOOST_REQUIRE(removed.is_ok() && removed->status == 204);
  stack.worker(0).stop();
  std::string numbers = "[";
  for (const std::string& n : stack.numbers())
    numbers += (numbers.size() > 1 ? ",\"" : "\"") + n + "\"";
  stack.set_worker_env("NUMBER_POOL", numbers + "]");
  stack.set_worker_env("MC_POOL_SOURCE", "");
  stack.restart_worker(0);
  BOOST_TEST(count_of(stack.worker(0).log(), "pool number is not in the Messaging Service") == 1u,
             stack.worker(0).log());
  // And a bad combination is refused at start-up, naming the variable.
  stack.worker(0).stop();
  stack.set_worker_env("MC_POOL_SOURCE", "messaging-service");
  BOOST_CHECK_THROW(stack.restart_worker(0), std::runtime_error);
  BOOST_TEST(stack.worker(0).log().find("MC_POOL_SOURCE") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
