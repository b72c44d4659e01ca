// The twilio-sandbox binary over HTTP: its REST rules, the phone network, signed webhooks
// received by a real HTTP endpoint, timers, faults, reset and persistence.
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>

#include "harness/sandbox_process.h"
#include "harness/webhook_receiver.h"

namespace mc::testing {
namespace {

const std::string kAlice = "+14155550111";
const std::string kBob = "+14155550112";

struct SandboxFixture {
  explicit SandboxFixture(std::vector<std::string> extra = {})
      : dir("mc-sandbox"), receiver(kSandboxAuthToken), sandbox(dir.path(), arguments(extra)) {
    numbers = sandbox.numbers();
    BOOST_REQUIRE_GE(numbers.size(), 4u);
  }
  std::vector<std::string> arguments(std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "--number-count",     "6",
        "--voice-url",        receiver.url("/voice"),
        "--status-callback",  receiver.url("/status"),
        "--post-webhook-url", receiver.url("/post"),
        "--pre-webhook-url",  receiver.url("/pre"),
        "--webhook-filters",  "onMessageAdd,onMessageAdded,onConversationStateUpdated"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  Json::Value rest_json(const std::string& method, const std::string& path, const Params& params,
                        int expected_status) {
    auto response = sandbox.rest(method, path, params);
    BOOST_REQUIRE_MESSAGE(response.is_ok(), response.status().to_string());
    BOOST_REQUIRE_MESSAGE(response->status == expected_status, method << " " << path << " -> "
                                                                      << response->status << " "
                                                                      << response->body);
    return response->body.empty() ? Json::Value() : SandboxProcess::json(*response);
  }
  Json::Value control_json(const std::string& method, const std::string& path,
                           const Params& params = {}) {
    auto response = sandbox.control(method, path, params);
    BOOST_REQUIRE_MESSAGE(response.is_ok(), response.status().to_string());
    BOOST_REQUIRE_MESSAGE(response->status == 200, path << " -> " << response->body);
    return SandboxProcess::json(*response);
  }
  std::string conversation_with(const std::string& unique_name,
                                const std::vector<std::pair<std::string, std::string>>& pairs,
                                const Params& extra = {}) {
    Params params = {{"UniqueName", unique_name}};
    params.insert(params.end(), extra.begin(), extra.end());
    for (const auto& [address, proxy] : pairs) {
      params.emplace_back("Participant", R"({"messaging_binding":{"address":")" + address +
                                             R"(","proxy_address":")" + proxy + "\"}}");
    }
    return rest_json("POST", "/conversations/v1/ConversationWithParticipants", params, 201)["sid"]
        .asString();
  }

  TempDir dir;
  WebhookReceiver receiver;
  SandboxProcess sandbox;
  std::vector<std::string> numbers;
};

BOOST_AUTO_TEST_SUITE(sandbox_over_http)

BOOST_AUTO_TEST_CASE(conversations_rest_rules_and_paging) {
  SandboxFixture f;
  const std::string sid =
      f.conversation_with("S-1", {{kAlice, f.numbers[0]}, {kBob, f.numbers[1]}});
  Json::Value fetched = f.rest_json("GET", "/conversations/v1/Conversations/S-1", {}, 200);
  BOOST_TEST(fetched["sid"].asString() == sid);
  BOOST_TEST(fetched["url"].asString() ==
             f.sandbox.base_url() + "/conversations/v1/Conversations/" + sid);

  // The pair is taken: adding it elsewhere is 50416 with Twilio's error body.
  const std::string other =
      f.rest_json("POST", "/conversations/v1/Conversations", {}, 201)["sid"].asString();
  Json::Value conflict = f.rest_json(
      "POST", "/conversations/v1/Conversations/" + other + "/Participants",
      {{"MessagingBinding.Address", kAlice}, {"MessagingBinding.ProxyAddress", f.numbers[0]}}, 409);
  BOOST_TEST(conflict["code"].asInt() == 50416);
  BOOST_TEST(conflict["status"].asInt() == 409);

  // Alice in four more conversations; ParticipantConversations pages by two.
  for (int i = 2; i < 6; ++i)
    f.conversation_with("S-" + std::to_string(i), {{kAlice, f.numbers[i]}});
  Json::Value page = f.rest_json("GET", "/conversations/v1/ParticipantConversations",
                                 {{"Address", kAlice}, {"PageSize", "2"}}, 200);
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    ++pages;
    for (const Json::Value& item : page["conversations"]) {
      BOOST_TEST(item["participant_messaging_binding"]["address"].asString() == kAlice);
      seen.insert(item["conversation_sid"].asString());
    }
    if (page["meta"]["next_page_url"].isNull()) break;
    auto next = f.sandbox.rest_url(page["meta"]["next_page_url"].asString());
    BOOST_REQUIRE(next.is_ok());
    BOOST_REQUIRE_EQUAL(next->status, 200);
    page = SandboxProcess::json(*next);
  }
  BOOST_TEST(pages == 3);
  BOOST_TEST(seen.size() == 5u);

  f.rest_json("DELETE", "/conversations/v1/Conversations/" + sid, {}, 204);
  BOOST_TEST(
      f.rest_json("GET", "/conversations/v1/Conversations/" + sid, {}, 404)["code"].asInt() ==
      20404);
  // Deleting freed the pair.
  f.rest_json(
      "POST", "/conversations/v1/Conversations/" + other + "/Participants",
      {{"MessagingBinding.Address", kAlice}, {"MessagingBinding.ProxyAddress", f.numbers[0]}}, 201);
}

// Issue 10, defect 14: the sandbox listens with a real server's backlog (httplib's default
// of 5 dropped the SYNs of connection bursts, stalling them a second). The kernel shows a
// listening socket's backlog as its Send-Q.
BOOST_AUTO_TEST_CASE(the_listen_backlog_holds_connection_bursts) {
  SandboxFixture f;
  const std::string port = std::to_string(f.sandbox.port());
  FILE* ss = popen(("ss -ltnH 'sport = :" + port + "'").c_str(), "r");
  BOOST_REQUIRE(ss);
  char line[512] = {};
  const bool read = fgets(line, sizeof line, ss) != nullptr;
  pclose(ss);
  BOOST_REQUIRE_MESSAGE(read, "ss printed nothing for port " << port);
  int recv_q = 0, send_q = 0;
  char state[32] = {};
  BOOST_REQUIRE(sscanf(line, "%31s %d %d", state, &recv_q, &send_q) == 3);
  BOOST_TEST(send_q >= 1024, line);
}

BOOST_AUTO_TEST_CASE(wrong_credentials_are_refused) {
  SandboxFixture f;
  auto response = f.sandbox.rest("GET", "/conversations/v1/Conversations", {}, "not-the-token");
  BOOST_REQUIRE(response.is_ok());
  BOOST_TEST(response->status == 401);
  BOOST_TEST(SandboxProcess::json(*response)["code"].asInt() == 20003);
}

BOOST_AUTO_TEST_CASE(sms_is_relayed_through_proxy_numbers_with_signed_webhooks) {
  SandboxFixture f;
  const std::string sid =
      f.conversation_with("S-sms", {{kAlice, f.numbers[0]}, {kBob, f.numbers[1]}});
  Json::Value sent = f.control_json(
      "POST", "/sms", {{"From", kAlice}, {"To", f.numbers[0]}, {"Body", "on my way"}});
  BOOST_TEST(sent["routed"].asString() == "conversation");
  BOOST_TEST(sent["conversation_sid"].asString() == sid);
  BOOST_TEST(!sent["blocked"].asBool());

  Json::Value bob = f.control_json("GET", "/phones/%2B14155550112/transcript");
  BOOST_REQUIRE_EQUAL(bob["messages_received"].size(), 1u);
  BOOST_TEST(bob["messages_received"][0]["from"].asString() == f.numbers[1]);  // never Alice's
  BOOST_TEST(bob["messages_received"][0]["body"].asString() == "on my way");

  const auto pre = f.receiver.received("/pre");
  const auto post = f.receiver.received("/post");
  BOOST_REQUIRE_EQUAL(pre.size(), 1u);
  BOOST_REQUIRE_EQUAL(post.size(), 1u);
  BOOST_TEST(param_or(pre[0].params, "EventType") == "onMessageAdd");
  BOOST_TEST(param_or(post[0].params, "EventType") == "onMessageAdded");
  BOOST_TEST(param_or(post[0].params, "Author") == kAlice);
  BOOST_TEST(pre[0].signature_valid);
  BOOST_TEST(post[0].signature_valid);
  BOOST_TEST(post[0].headers.count("I-Twilio-Idempotency-Token") == 1u);

  // A pre-event webhook that answers 403 blocks the message: nothing relayed, nothing posted.
  f.receiver.answer("/pre", CannedResponse{403, "no", "text/plain"});
  Json::Value blocked =
      f.control_json("POST", "/sms", {{"From", kAlice}, {"To", f.numbers[0]}, {"Body", "blocked"}});
  BOOST_TEST(blocked["blocked"].asBool());
  BOOST_TEST(
      f.control_json("GET", "/phones/%2B14155550112/transcript")["messages_received"].size() == 1u);
  BOOST_TEST(f.receiver.received("/post").size() == 1u);
  Json::Value messages =
      f.rest_json("GET", "/conversations/v1/Conversations/" + sid + "/Messages", {}, 200);
  BOOST_TEST(messages["messages"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(text_outside_any_conversation_goes_to_the_sms_url) {
  SandboxFixture f({"--sms-url", ""});
  Json::Value routed =
      f.control_json("POST", "/sms", {{"From", kAlice}, {"To", f.numbers[2]}, {"Body", "hello?"}});
  BOOST_TEST(routed["routed"].asString() == "none");
}

BOOST_AUTO_TEST_CASE(closed_timer_closes_the_conversation_and_fires_the_webhook) {
  SandboxFixture f;
  const std::string sid = f.conversation_with("S-timer", {{kAlice, f.numbers[0]}},
                                              {{"State", "active"}, {"Timers.Closed", "PT10M"}});
  f.control_json("POST", "/clock/advance", {{"Seconds", "599"}});
  BOOST_TEST(
      f.rest_json("GET", "/conversations/v1/Conversations/" + sid, {}, 200)["state"].asString() ==
      "active");
  Json::Value advanced = f.control_json("POST", "/clock/advance", {{"Seconds", "2"}});
  BOOST_TEST(advanced["settled"].asBool());
  BOOST_TEST(
      f.rest_json("GET", "/conversations/v1/Conversations/" + sid, {}, 200)["state"].asString() ==
      "closed");
  const auto post = f.receiver.received("/post");
  BOOST_REQUIRE_EQUAL(post.size(), 1u);
  BOOST_TEST(param_or(post[0].params, "EventType") == "onConversationStateUpdated");
  BOOST_TEST(param_or(post[0].params, "StateTo") == "closed");
  BOOST_TEST(param_or(post[0].params, "Reason") == "TIMER");
  BOOST_TEST(param_or(post[0].params, "ConversationSid") == sid);
  BOOST_TEST(post[0].signature_valid);
  // The pair is free again.
  f.conversation_with("S-after", {{kAlice, f.numbers[0]}});
}

BOOST_AUTO_TEST_CASE(inbound_call_plays_twiml_and_rings_the_callee_with_the_proxy_caller_id) {
  SandboxFixture f;
  f.receiver.answer(
      "/voice",
      CannedResponse{200, "<Response><Say voice=\"alice\">Connecting you</Say><Dial callerId=\"" +
                              f.numbers[1] + "\"><Number>" + kBob + "</Number></Dial></Response>"});
  Json::Value placed = f.control_json("POST", "/calls", {{"From", kAlice}, {"To", f.numbers[0]}});
  BOOST_TEST(placed["settled"].asBool());
  const std::string call_sid = placed["call_sid"].asString();
  const auto voice = f.receiver.received("/voice");
  BOOST_REQUIRE_EQUAL(voice.size(), 1u);
  BOOST_TEST(voice[0].signature_valid);
  BOOST_TEST(param_or(voice[0].params, "Called") == f.numbers[0]);

  Json::Value bob = f.control_json("GET", "/phones/%2B14155550112/transcript");
  BOOST_REQUIRE_EQUAL(bob["calls"].size(), 1u);
  BOOST_TEST(bob["calls"][0]["direction"].asString() == "incoming");
  BOOST_TEST(bob["calls"][0]["from"].asString() == f.numbers[1]);
  BOOST_TEST(bob["calls"][0]["status"].asString() == "in-progress");
  Json::Value alice = f.control_json("GET", "/phones/%2B14155550111/transcript");
  BOOST_TEST(alice["announcements"][0]["text"].asString() == "Connecting you");

  Json::Value fetched = f.rest_json("GET",
                                    std::string("/api/2010-04-01/Accounts/") + kSandboxAccountSid +
                                        "/Calls/" + call_sid + ".json",
                                    {}, 200);
  BOOST_TEST(fetched["status"].asString() == "in-progress");
  BOOST_TEST(fetched["direction"].asString() == "inbound");

  f.control_json("POST", "/calls/" + call_sid + "/hangup");
  bob = f.control_json("GET", "/phones/%2B14155550112/transcript");
  BOOST_TEST(bob["calls"][0]["status"].asString() == "completed");
  const auto status = f.receiver.received("/status");
  BOOST_REQUIRE_EQUAL(status.size(), 1u);  // the number's StatusCallback: completed
  BOOST_TEST(param_or(status[0].params, "CallStatus") == "completed");
  BOOST_TEST(status[0].signature_valid);
}

BOOST_AUTO_TEST_CASE(faults_are_injected_per_endpoint_and_cleared) {
  SandboxFixture f;
  f.control_json("POST", "/faults", {{"Endpoint", "conversations.list"}, {"rate", "1"}});
  BOOST_TEST(f.sandbox.rest("GET", "/conversations/v1/Conversations")->status == 200);
  auto limited = f.sandbox.rest("GET", "/conversations/v1/Conversations");
  BOOST_REQUIRE(limited.is_ok());
  BOOST_TEST(limited->status == 429);
  BOOST_TEST(SandboxProcess::json(*limited)["code"].asInt() == 20429);
  BOOST_TEST(f.sandbox.rest("POST", "/conversations/v1/Conversations")->status ==
             201);  // others unaffected

  f.control_json("POST", "/faults", {{"Endpoint", "conversations.create"}, {"drop", "1"}});
  auto dropped = f.sandbox.rest("POST", "/conversations/v1/Conversations");
  BOOST_TEST(!dropped.is_ok());
  BOOST_TEST((dropped.status().code() == StatusCode::kUnavailable));
  BOOST_TEST(f.control_json("GET", "/stats")["conversations"]["active"].asInt() ==
             1);  // not created

  f.control_json("POST", "/faults", {{"Endpoint", "conversations.create"}, {"drop_after", "1"}});
  BOOST_TEST(!f.sandbox.rest("POST", "/conversations/v1/Conversations").is_ok());
  BOOST_TEST(f.control_json("GET", "/stats")["conversations"]["active"].asInt() ==
             2);  // created, answer lost

  f.control_json("POST", "/faults", {{"Endpoint", "*"}, {"5xx", "1"}});
  BOOST_TEST(f.sandbox.rest("GET", "/messaging/v1/Services")->status == 503);

  f.control_json("POST", "/faults", {{"Endpoint", "*"}, {"latency", "150"}});
  f.control_json("DELETE", "/faults");
  BOOST_TEST(f.sandbox.rest("GET", "/messaging/v1/Services")->status == 200);
  BOOST_TEST(f.sandbox.rest("POST", "/conversations/v1/Conversations")->status == 201);
}

BOOST_AUTO_TEST_CASE(added_latency_delays_answers) {
  SandboxFixture f({"--latency-ms", "120"});
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(f.sandbox.rest("GET", "/messaging/v1/Services")->status == 200);
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  BOOST_TEST(waited.count() >= 120);  // a lower bound: the sandbox slept before answering
}

BOOST_AUTO_TEST_CASE(reset_forgets_everything_but_the_configuration) {
  SandboxFixture f;
  f.conversation_with("S-reset", {{kAlice, f.numbers[0]}, {kBob, f.numbers[1]}});
  f.control_json("POST", "/sms", {{"From", kAlice}, {"To", f.numbers[0]}, {"Body", "x"}});
  f.control_json("POST", "/reset");
  BOOST_TEST(
      f.rest_json("GET", "/conversations/v1/Conversations", {}, 200)["conversations"].size() == 0u);
  BOOST_TEST(
      f.control_json("GET", "/phones/%2B14155550112/transcript")["messages_received"].size() == 0u);
  BOOST_TEST(f.sandbox.numbers() == f.numbers);
  f.conversation_with("S-reset", {{kAlice, f.numbers[0]}});
}

BOOST_AUTO_TEST_CASE(state_survives_a_restart_with_a_state_file) {
  TempDir dir("mc-sandbox-state");
  SandboxFixture f({"--state-file", dir.path() + "/state.json"});
  const std::string sid = f.conversation_with("S-kept", {{kAlice, f.numbers[0]}});
  // A number taken out of the Messaging Service stays out.
  const Json::Value services = f.rest_json("GET", "/messaging/v1/Services", {}, 200);
  const std::string service = "/messaging/v1/Services/" + services["services"][0]["sid"].asString();
  const std::string left_out =
      f.rest_json("GET", service + "/PhoneNumbers", {}, 200)["phone_numbers"][0]["sid"].asString();
  f.rest_json("DELETE", service + "/PhoneNumbers/" + left_out, {}, 204);
  BOOST_TEST(f.sandbox.stop() == 0);
  f.sandbox.restart();
  f.rest_json("GET", service + "/PhoneNumbers/" + left_out, {}, 404);
  f.rest_json("POST", service + "/PhoneNumbers", {{"PhoneNumberSid", left_out}}, 201);
  f.rest_json("POST", service + "/PhoneNumbers", {{"PhoneNumberSid", left_out}}, 409);
  BOOST_TEST(
      f.rest_json("GET", "/conversations/v1/Conversations/S-kept", {}, 200)["sid"].asString() ==
      sid);
  const std::string other =
      f.rest_json("POST", "/conversations/v1/Conversations", {}, 201)["sid"].asString();
  f.rest_json(
      "POST", "/conversations/v1/Conversations/" + other + "/Participants",
      {{"MessagingBinding.Address", kAlice}, {"MessagingBinding.ProxyAddress", f.numbers[0]}}, 409);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
