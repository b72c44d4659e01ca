// The Twilio Proxy v1 API through nginx + worker + sandbox: Services and PhoneNumbers with
// Twilio's own Python helper library (Debian's python3-twilio) as the client, every answer
// validated against Twilio's OpenAPI spec, and the API's refusals.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "core/response.h"
#include "harness/stack.h"
#include "harness/webhook_receiver.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

// Twilio's spec, where the workplace keeps it next to the repository.
std::string proxy_spec() { return source_dir() + "/../shared/twilio-oai/twilio_proxy_v1.json"; }

Json::Value form_call(Stack& stack, const std::string& method, const std::string& path,
                      const Params& form, int expected) {
  auto response =
      stack.request(method, path, encode_form(form), "application/x-www-form-urlencoded");
  BOOST_REQUIRE(response.is_ok());
  BOOST_REQUIRE_MESSAGE(response->status == expected,
                        method << " " << path << ": " << response->status << " " << response->body);
  return response->body.empty() ? Json::Value() : json_body(*response);
}

// The sandbox's PN... SID of one of its numbers.
std::string number_sid(Stack& stack, const std::string& number) {
  auto page = stack.sandbox().rest(
      "GET", "/api/2010-04-01/Accounts/" + std::string(kSandboxAccountSid) +
                 "/IncomingPhoneNumbers.json?PhoneNumber=" + url_encode(number));
  BOOST_REQUIRE(page.is_ok());
  const Json::Value records = json_body(*page)["incoming_phone_numbers"];
  BOOST_REQUIRE_EQUAL(records.size(), 1u);
  return records[0]["sid"].asString();
}

// Adds a basic-auth user to the stack's nginx, which reads its user file on every request.
void add_api_user(Stack& stack, const std::string& user, const std::string& password) {
  Process hash({"/usr/bin/openssl", "passwd", "-apr1", password}, {},
               stack.dir() + "/hash-" + user + ".log");
  BOOST_REQUIRE(hash.wait(std::chrono::seconds(10)) == std::optional<int>(0));
  std::string line = hash.log();
  line.erase(line.find_last_not_of("\r\n") + 1);
  std::ofstream(stack.dir() + "/nginx/conf/masked-comms/htpasswd", std::ios::app)
      << user << ":" << line << "\n";
}

// Runs a Node script of tests/compat (the pinned helper library installed first).
void run_node(Stack& stack, const std::vector<std::string>& args, const std::string& name) {
  std::vector<std::string> argv = {"/bin/bash", source_dir() + "/tests/compat/run-node.sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(argv, {}, stack.dir() + "/" + name + ".log");
  const std::optional<int> exit = node.wait(std::chrono::seconds(300));
  BOOST_TEST_MESSAGE("the Node helper library (" << name << "):\n" << node.log());
  BOOST_REQUIRE_MESSAGE(exit && *exit == 0, node.log() << "\n" << stack.logs());
  BOOST_TEST(node.log().find("node flow ok") != std::string::npos);
}

// A POST the API must refuse: path, form, HTTP status, Twilio code, and what the message says.
using Refusal = std::tuple<std::string, Params, int, int, std::string>;

void expect_refusals(Stack& stack, const std::vector<Refusal>& cases) {
  for (const auto& [path, form, status, code, says] : cases) {
    const Json::Value answer = form_call(stack, "POST", path, form, status);
    BOOST_TEST(answer["code"].asInt() == code, path << " " << encode_form(form));
    BOOST_TEST(answer["message"].asString().find(says) != std::string::npos,
               path << " -> " << answer["message"].asString());
    BOOST_TEST(answer["status"].asInt() == status);
  }
}

// "interactionType outboundResourceStatus" of each status callback, for a failure message.
std::string statuses_of(const std::vector<ReceivedRequest>& callbacks) {
  std::string out;
  for (const ReceivedRequest& r : callbacks) {
    out += std::string(param_or(r.params, "interactionType")) + " " +
           std::string(param_or(r.params, "outboundResourceStatus")) + "\n";
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proxy_api)

BOOST_AUTO_TEST_CASE(the_node_helper_library_runs_with_an_account_sid_user_and_an_api_key) {
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const std::string account = "AC0123456789abcdef0123456789abcdef";
  const std::string key = "SK0123456789abcdef0123456789abcdef";
  add_api_user(stack, account, "node-account-secret");
  add_api_user(stack, key, "node-key-secret");
  run_node(stack,
           {"proxy_node_flow.js", stack.http_url(""), account, "node-account-secret", account,
            stack.numbers().at(1), "+14155550171", "+14155550181"},
           "account-sid-user");
  run_node(stack,
           {"proxy_node_flow.js", stack.http_url(""), key, "node-key-secret", account,
            stack.numbers().at(2), "+14155550172", "+14155550182"},
           "api-key-user");
}

BOOST_AUTO_TEST_CASE(the_python_helper_library_runs_services_and_numbers_unchanged) {
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(proxy_spec()), "no spec at " << proxy_spec());
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const std::string sid = number_sid(stack, stack.numbers().at(2));
  Process flow({"/usr/bin/python3", source_dir() + "/tests/compat/proxy_python_flow.py",
                stack.http_url(""), kApiUser, kApiPassword, proxy_spec(), stack.numbers().at(1),
                sid, "+14155550171", "+14155550172"},
               {}, stack.dir() + "/proxy-python.log");
  const std::optional<int> exit = flow.wait(std::chrono::seconds(120));
  BOOST_TEST_MESSAGE("the Python helper library's flow:\n" << flow.log());
  BOOST_REQUIRE_MESSAGE(exit && *exit == 0, flow.log() << "\n" << stack.logs());
  BOOST_TEST(flow.log().find("answers matched the spec's schemas") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_proxy_sessions_participants_text_and_call_through_proxy_numbers_only) {
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const std::string alice = "+14155550161";
  const std::string bob = "+12125550162";
  const std::string service =
      form_call(stack, "GET", "/v1/Services", {}, 200)["services"][0]["sid"].asString();
  const std::string sessions = "/v1/Services/" + service + "/Sessions";
  const Json::Value session =
      form_call(stack, "POST", sessions, {{"UniqueName", "ride 7"}, {"Ttl", "600"}}, 201);
  const std::string path = sessions + "/" + session["sid"].asString();
  const Json::Value a = form_call(stack, "POST", path + "/Participants",
                                  {{"Identifier", alice}, {"FriendlyName", "rider"}}, 201);
  const Json::Value b = form_call(stack, "POST", path + "/Participants",
                                  {{"Identifier", bob}, {"FriendlyName", "driver"}}, 201);
  const std::string alice_proxy = a["proxy_identifier"].asString();
  const std::string bob_proxy = b["proxy_identifier"].asString();

  // Alice texts her proxy number; Bob gets it from his.
  control(stack, "POST", "/sms", {{"From", alice}, {"To", alice_proxy}, {"Body", "at the door"}});
  BOOST_REQUIRE(wait_until([&] { return transcript(stack, bob)["messages_received"].size() == 1u; },
                           std::chrono::seconds(10)));
  const Json::Value text = transcript(stack, bob)["messages_received"][0];
  BOOST_TEST(text["from"].asString() == bob_proxy);
  BOOST_TEST(text["body"].asString() == "at the door");

  // Bob calls his proxy number; Alice's phone rings from hers.
  const Json::Value placed = control(stack, "POST", "/calls", {{"From", bob}, {"To", bob_proxy}});
  BOOST_TEST(placed["settled"].asBool());
  const Json::Value calls = transcript(stack, alice)["calls"];
  BOOST_REQUIRE_EQUAL(calls.size(), 1u);
  BOOST_TEST(calls[0]["from"].asString() == alice_proxy);
  control(stack, "POST", "/calls/" + placed["call"]["sid"].asString() + "/hangup");

  // Neither ever saw the other's number.
  for (const auto& [phone, other] : {std::pair{alice, bob}, std::pair{bob, alice}}) {
    BOOST_TEST(to_json_text(transcript(stack, phone)).find(other) == std::string::npos);
  }

  // Interactions: the text (Alice in, Bob out) and the call (Bob in, Alice's leg out).
  Json::Value listed;
  BOOST_REQUIRE(wait_until(
      [&] {
        listed = form_call(stack, "GET", path + "/Interactions", {}, 200)["interactions"];
        return listed.size() == 2u &&
               listed[1]["outbound_resource_status"].asString() == "completed";
      },
      std::chrono::seconds(10)));
  BOOST_TEST(listed[0]["type"].asString() == "message");
  BOOST_TEST(listed[0]["inbound_participant_sid"].asString() == a["sid"].asString());
  BOOST_TEST(listed[0]["outbound_participant_sid"].asString() == b["sid"].asString());
  BOOST_TEST(listed[0]["data"].asString() == R"({"body":"at the door"})");
  BOOST_TEST(listed[1]["type"].asString() == "voice");
  BOOST_TEST(listed[1]["inbound_participant_sid"].asString() == b["sid"].asString());
  BOOST_TEST(listed[1]["outbound_participant_sid"].asString() == a["sid"].asString());
  BOOST_TEST(listed[1]["inbound_resource_sid"].asString() == placed["call"]["sid"].asString());
  BOOST_TEST(listed[1]["outbound_resource_sid"].asString() == calls[0]["call_sid"].asString());
  const std::string one = listed[1]["sid"].asString();
  BOOST_TEST(form_call(stack, "GET", path + "/Interactions/" + one, {}, 200)["sid"].asString() ==
             one);
  BOOST_TEST(form_call(stack, "GET", sessions + "/" + url_encode("ride 7"), {}, 200)["status"]
                 .asString() == "in-progress");

  // Removing Bob takes him out of the conversation at Twilio (then his pair is released);
  // he stays listed, soft-deleted, and a third participant may now join.
  form_call(stack, "DELETE", path + "/Participants/" + b["sid"].asString(), {}, 200);
  const Json::Value removed =
      form_call(stack, "GET", path + "/Participants/" + b["sid"].asString(), {}, 200);
  BOOST_TEST(!removed["date_deleted"].isNull());
  BOOST_REQUIRE(wait_until(
      [&] {
        auto at_twilio =
            stack.sandbox().rest("GET", "/conversations/v1/Conversations/" +
                                            session["sid"].asString() + "/Participants");
        return at_twilio.is_ok() && at_twilio->status == 200 &&
               json_body(*at_twilio)["participants"].size() == 1u;
      },
      std::chrono::seconds(10)));
  BOOST_TEST(form_call(stack, "GET", path + "/Participants", {}, 200)["participants"].size() == 2u);
  form_call(stack, "POST", path + "/Participants", {{"Identifier", "+13125550163"}}, 201);
  const Json::Value again =
      form_call(stack, "POST", path + "/Participants", {{"Identifier", bob}}, 400);
  BOOST_TEST(again["code"].asInt() == 80103);
}

BOOST_AUTO_TEST_CASE(callbacks_intercept_out_of_session_auto_create_and_message_interactions) {
  WebhookReceiver customer(kSandboxAuthToken);
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const std::string carol = "+14155550191";
  const std::string dave = "+12125550192";
  const std::string erin = "+13125550193";
  const std::string service = form_call(stack, "POST", "/v1/Services",
                                        {{"UniqueName", "listings"},
                                         {"CallbackUrl", customer.url("/status")},
                                         {"InterceptCallbackUrl", customer.url("/intercept")},
                                         {"OutOfSessionCallbackUrl", customer.url("/oos")}},
                                        201)["sid"]
                                  .asString();
  const std::string listing = stack.numbers().at(1);
  for (const std::string& number : {listing, stack.numbers().at(2)}) {
    form_call(stack, "POST", "/v1/Services/" + service + "/PhoneNumbers", {{"PhoneNumber", number}},
              201);
  }
  const std::string sessions = "/v1/Services/" + service + "/Sessions";
  // The intercept refuses texts mentioning "secret" and every call Carol places.
  customer.answer("/intercept", [&](const ReceivedRequest& r) {
    const bool refuse =
        std::string(param_or(r.params, "interactionData")).find("secret") != std::string::npos ||
        (param_or(r.params, "interactionType") == "voice" &&
         param_or(r.params, "inboundParticipantIdentifier") == carol);
    return CannedResponse{refuse ? 403 : 200, "", "text/plain"};
  });

  // Carol texts the listing's number with no session: the out-of-session callback's JSON
  // creates one with Dave, she keeps the number she texted, and Dave gets her text.
  customer.answer("/oos", CannedResponse{200,
                                         R"({"uniqueName":"listing-42","ttl":3600,)"
                                         R"("participantIdentifier":")" +
                                             dave + R"(","participantFriendlyName":"owner"})",
                                         "application/json"});
  control(stack, "POST", "/sms", {{"From", carol}, {"To", listing}, {"Body", "still free?"}});
  BOOST_REQUIRE_MESSAGE(
      wait_until([&] { return transcript(stack, dave)["messages_received"].size() == 1u; },
                 std::chrono::seconds(10)),
      stack.logs());
  const Json::Value first = transcript(stack, dave)["messages_received"][0];
  BOOST_TEST(first["body"].asString() == "still free?");
  const std::vector<ReceivedRequest> asked = customer.received("/oos");
  BOOST_REQUIRE_EQUAL(asked.size(), 1u);
  BOOST_TEST(asked[0].signature_valid);
  BOOST_TEST(param_or(asked[0].params, "From") == carol);
  BOOST_TEST(param_or(asked[0].params, "Body") == "still free?");
  const Json::Value session = form_call(stack, "GET", sessions + "/listing-42", {}, 200);
  const std::string path = sessions + "/" + session["sid"].asString();
  BOOST_TEST(session["ttl"].asInt() == 3600);
  const Json::Value people =
      form_call(stack, "GET", path + "/Participants", {}, 200)["participants"];
  BOOST_REQUIRE_EQUAL(people.size(), 2u);
  BOOST_TEST(people[0]["identifier"].asString() == carol);
  BOOST_TEST(people[0]["proxy_identifier"].asString() == listing);
  BOOST_TEST(people[1]["identifier"].asString() == dave);
  BOOST_TEST(people[1]["friendly_name"].asString() == "owner");
  const std::string dave_proxy = people[1]["proxy_identifier"].asString();
  BOOST_TEST(first["from"].asString() == dave_proxy);

  // Dave's "secret" is blocked by the intercept; his next text reaches Carol.
  control(stack, "POST", "/sms", {{"From", dave}, {"To", dave_proxy}, {"Body", "the secret code"}});
  control(stack, "POST", "/sms", {{"From", dave}, {"To", dave_proxy}, {"Body", "yes, come by"}});
  BOOST_REQUIRE(
      wait_until([&] { return transcript(stack, carol)["messages_received"].size() >= 1u; },
                 std::chrono::seconds(10)));
  const Json::Value to_carol = transcript(stack, carol)["messages_received"];
  BOOST_REQUIRE_EQUAL(to_carol.size(), 1u);
  BOOST_TEST(to_carol[0]["body"].asString() == "yes, come by");
  BOOST_TEST(to_carol[0]["from"].asString() == listing);

  // Carol's call is refused by the intercept: Dave's phone never rings.
  const Json::Value refused = control(stack, "POST", "/calls", {{"From", carol}, {"To", listing}});
  BOOST_TEST(refused["settled"].asBool());
  BOOST_TEST(refused["call"]["status"].asString() == "busy");
  BOOST_TEST(transcript(stack, dave)["calls"].size() == 0u);
  const std::vector<ReceivedRequest> intercepts = customer.received("/intercept");
  BOOST_REQUIRE_EQUAL(intercepts.size(), 3u);  // two texts, one call
  for (const ReceivedRequest& r : intercepts) {
    BOOST_TEST(r.signature_valid);
    BOOST_TEST(param_or(r.params, "interactionSessionSid") == session["sid"].asString());
  }

  // Erin calls the other number with no session: the callback's JSON creates one with
  // Carol, and the call is carried on to Carol's phone from her proxy number.
  customer.answer("/oos", CannedResponse{200, R"({"participantIdentifier":")" + carol + R"("})",
                                         "application/json"});
  const Json::Value carried =
      control(stack, "POST", "/calls", {{"From", erin}, {"To", stack.numbers().at(2)}});
  BOOST_TEST(carried["settled"].asBool());
  std::vector<Json::Value> rung;
  const Json::Value carols = transcript(stack, carol);
  for (const Json::Value& call : carols["calls"]) {
    if (call["direction"].asString() == "incoming") rung.push_back(call);
  }
  BOOST_REQUIRE_EQUAL(rung.size(), 1u);
  BOOST_TEST(rung[0]["from"].asString() != erin);
  BOOST_TEST(rung[0]["status"].asString() == "in-progress");
  control(stack, "POST", "/calls/" + carried["call"]["sid"].asString() + "/hangup");
  // A TwiML answer is played as it is.
  customer.answer("/oos",
                  CannedResponse{200, "<Response><Message>Listing closed</Message></Response>",
                                 "application/xml"});
  control(stack, "POST", "/sms", {{"From", "+14155550194"}, {"To", listing}, {"Body", "hello?"}});
  const Json::Value closed = transcript(stack, "+14155550194")["messages_received"];
  BOOST_REQUIRE_EQUAL(closed.size(), 1u);
  BOOST_TEST(closed[0]["body"].asString() == "Listing closed");

  // A MessageInteraction texts Carol from her proxy number.
  const std::string carol_sid = people[0]["sid"].asString();
  const std::string to_her = path + "/Participants/" + carol_sid + "/MessageInteractions";
  const Json::Value sent = form_call(stack, "POST", to_her, {{"Body", "viewing at 5"}}, 200);
  BOOST_TEST(sent["participant_sid"].asString() == carol_sid);
  BOOST_TEST(sent["inbound_participant_sid"].isNull());
  BOOST_TEST(sent["outbound_resource_sid"].asString().rfind("SM", 0) == 0u);
  BOOST_REQUIRE(
      wait_until([&] { return transcript(stack, carol)["messages_received"].size() == 2u; },
                 std::chrono::seconds(10)));
  BOOST_TEST(transcript(stack, carol)["messages_received"][1]["from"].asString() == listing);
  BOOST_TEST(form_call(stack, "GET", to_her, {}, 200)["interactions"].size() == 1u);
  BOOST_TEST(form_call(stack, "GET", to_her + "/" + sent["sid"].asString(), {}, 200)["sid"] ==
             sent["sid"]);
  // Refused, and nothing sent: no Body, media, a body too long.
  for (const Params& bad :
       std::vector<Params>{{},
                           {{"Body", "see"}, {"MediaUrl", "https://a.example/p.jpg"}},
                           {{"Body", std::string(1601, 'x')}}}) {
    BOOST_TEST(form_call(stack, "POST", to_her, bad, 400)["code"].asInt() == 20001);
  }

  // Interactions: the two delivered texts, the blocked one, the refused call (recorded from
  // its status callback: busy) and the MessageInteraction, with both legs of the texts.
  const Json::Value listed =
      form_call(stack, "GET", path + "/Interactions", {}, 200)["interactions"];
  BOOST_REQUIRE_EQUAL(listed.size(), 5u);
  BOOST_TEST(listed[3]["type"].asString() == "voice");
  BOOST_TEST(listed[3]["inbound_resource_status"].asString() == "busy");
  BOOST_TEST(listed[4]["sid"] == sent["sid"]);
  // Deleting one hides it from this API (and only it).
  const std::string secret = path + "/Interactions/" + listed[1]["sid"].asString();
  form_call(stack, "DELETE", secret, {}, 204);
  BOOST_TEST(form_call(stack, "GET", secret, {}, 404)["code"].asInt() == 20404);
  form_call(stack, "DELETE", secret, {}, 404);
  BOOST_TEST(form_call(stack, "GET", path + "/Interactions", {}, 200)["interactions"].size() == 4u);
  BOOST_TEST(listed[0]["inbound_participant_sid"].asString() == carol_sid);
  BOOST_TEST(listed[0]["outbound_participant_sid"].asString() == people[1]["sid"].asString());
  BOOST_TEST(listed[1]["outbound_resource_status"].asString() == "failed");  // the secret

  // The status callbacks: each delivered text was reported sent, then delivered, and the
  // MessageInteraction's delivery too; every one signed.
  BOOST_REQUIRE_MESSAGE(wait_until(
                            [&] {
                              size_t delivered = 0;
                              for (const ReceivedRequest& r : customer.received("/status")) {
                                if (param_or(r.params, "outboundResourceStatus") == "delivered")
                                  ++delivered;
                              }
                              return delivered >= 3;
                            },
                            std::chrono::seconds(15)),
                        statuses_of(customer.received("/status")) << stack.logs());
  // A forged receipt (unsigned) changes nothing.
  auto forged = stack.request("POST", "/proxy/message-status?session=" + session["sid"].asString(),
                              encode_form({{"MessageSid", sent["outbound_resource_sid"].asString()},
                                           {"To", carol},
                                           {"MessageStatus", "undelivered"}}),
                              "application/x-www-form-urlencoded", false);
  BOOST_REQUIRE(forged.is_ok());
  BOOST_TEST(forged->status == 403);
  BOOST_TEST(form_call(stack, "GET", to_her + "/" + sent["sid"].asString(), {},
                       200)["outbound_resource_status"]
                 .asString() == "delivered");
  for (const ReceivedRequest& r : customer.received("/status")) {
    BOOST_TEST(r.signature_valid);
    BOOST_TEST(std::string(param_or(r.params, "interactionSid")).rfind("KI", 0) == 0u);
  }
  // Once the session is closed, a MessageInteraction is refused (80607), and sends nothing.
  form_call(stack, "POST", path, {{"Status", "closed"}}, 200);
  BOOST_TEST(form_call(stack, "POST", to_her, {{"Body", "too late"}}, 400)["code"].asInt() ==
             80607);
  BOOST_TEST(transcript(stack, carol)["messages_received"].size() == 2u);
  const std::string logs = stack.logs();
  for (const std::string& number : {carol, dave, erin}) {
    BOOST_TEST(logs.find(number) == std::string::npos, number << " unmasked in the logs");
  }
}

BOOST_AUTO_TEST_CASE(a_closed_session_reopens_with_its_numbers_unless_a_pair_is_taken) {
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const std::string alice = "+14155550141";
  const std::string bob = "+12125550142";
  const std::string service =
      form_call(stack, "GET", "/v1/Services", {}, 200)["services"][0]["sid"].asString();
  const std::string sessions = "/v1/Services/" + service + "/Sessions";
  const auto open_with = [&](const std::string& name) {
    const Json::Value s = form_call(stack, "POST", sessions, {{"UniqueName", name}}, 201);
    const std::string at = sessions + "/" + s["sid"].asString();
    std::vector<std::string> proxies;
    for (const std::string& who : {alice, bob}) {
      proxies.push_back(form_call(stack, "POST", at + "/Participants", {{"Identifier", who}},
                                  201)["proxy_identifier"]
                            .asString());
    }
    return std::pair{at, proxies};
  };
  // Re-opening waits for Twilio to let go of the closed conversation (503 until then).
  const auto reopen = [&](const std::string& at) {
    net::HttpResponse answer;
    BOOST_REQUIRE(wait_until(
        [&] {
          auto sent =
              stack.request("POST", at, "Status=in-progress", "application/x-www-form-urlencoded");
          if (!sent.is_ok()) return false;
          answer = *sent;
          return answer.status != 503;
        },
        std::chrono::seconds(10)));
    return answer;
  };

  const auto [first, proxies] = open_with("first");
  form_call(stack, "POST", first, {{"Status", "closed"}}, 200);
  const auto reopened = reopen(first);
  BOOST_REQUIRE_MESSAGE(reopened.status == 200, reopened.body);
  BOOST_TEST(json_body(reopened)["status"].asString() == "open");
  BOOST_TEST(json_body(reopened)["closed_reason"].asString() == "");
  BOOST_TEST(json_body(reopened)["date_ended"].isNull());
  // Alice texts the number she had; Bob gets it from his.
  control(stack, "POST", "/sms", {{"From", alice}, {"To", proxies[0]}, {"Body", "back again"}});
  BOOST_REQUIRE(wait_until([&] { return transcript(stack, bob)["messages_received"].size() == 1u; },
                           std::chrono::seconds(10)));
  BOOST_TEST(transcript(stack, bob)["messages_received"][0]["from"].asString() == proxies[1]);

  // Closed again, Alice's pair is taken by a new session: the re-open is refused (80801)
  // and the session stays closed, holding nothing.
  form_call(stack, "POST", first, {{"Status", "closed"}}, 200);
  const Json::Value second = form_call(stack, "POST", sessions, {{"UniqueName", "second"}}, 201);
  BOOST_REQUIRE(wait_until(
      [&] {
        auto taken =
            stack.request("POST", sessions + "/" + second["sid"].asString() + "/Participants",
                          encode_form({{"Identifier", alice}, {"ProxyIdentifier", proxies[0]}}),
                          "application/x-www-form-urlencoded");
        return taken.is_ok() && taken->status == 201;
      },
      std::chrono::seconds(10)));
  const auto refused = reopen(first);
  BOOST_TEST(refused.status == 400);
  BOOST_TEST(json_body(refused)["code"].asInt() == 80801);
  BOOST_TEST(form_call(stack, "GET", first, {}, 200)["status"].asString() == "closed");
  // A failed or unknown status is no transition.
  BOOST_TEST(form_call(stack, "POST", first, {{"Status", "failed"}}, 400)["code"].asInt() == 80608);
  BOOST_TEST(
      form_call(stack, "POST", sessions, {{"FailOnParticipantConflict", "maybe"}}, 400)["code"]
          .asInt() == 20001);
}

BOOST_AUTO_TEST_CASE(the_default_service_holds_the_pool_and_a_number_has_one_service) {
  Stack stack(StackOptions().sandboxed({"--number-count", "4"}));
  const Json::Value services = form_call(stack, "GET", "/v1/Services", {}, 200);
  BOOST_REQUIRE_EQUAL(services["services"].size(), 1u);
  const std::string default_sid = services["services"][0]["sid"].asString();
  BOOST_TEST(services["services"][0]["unique_name"].asString() == "default");
  BOOST_TEST(services["meta"]["key"].asString() == "services");
  const Json::Value pool =
      form_call(stack, "GET", "/v1/Services/" + default_sid + "/PhoneNumbers", {}, 200);
  BOOST_TEST(pool["phone_numbers"].size() == 4u);
  BOOST_TEST(pool["phone_numbers"][0]["url"].asString().rfind(stack.http_url("/v1/"), 0) == 0u);

  const std::string a =
      form_call(stack, "POST", "/v1/Services", {{"UniqueName", "a"}}, 201)["sid"].asString();
  const std::string b =
      form_call(stack, "POST", "/v1/Services", {{"UniqueName", "b"}}, 201)["sid"].asString();
  const std::string n = stack.numbers().at(0);
  form_call(stack, "POST", "/v1/Services/" + a + "/PhoneNumbers", {{"PhoneNumber", n}}, 201);
  // Now a's, not the default service's, and never b's.
  const Json::Value refused =
      form_call(stack, "POST", "/v1/Services/" + b + "/PhoneNumbers", {{"PhoneNumber", n}}, 400);
  BOOST_TEST(refused["code"].asInt() == 80601);
  BOOST_TEST(form_call(stack, "GET", "/v1/Services/" + default_sid + "/PhoneNumbers", {},
                       200)["phone_numbers"]
                 .size() == 3u);
  // Sessions of POST /sessions draw from the default service only.
  for (int i = 0; i < 3; ++i) {
    const Json::Value session = create_session(
        stack, {"+1415555020" + std::to_string(i), "+1212555020" + std::to_string(i)});
    for (const Json::Value& p :
         get_session(stack, session["uniqueName"].asString())["participants"]) {
      BOOST_TEST(p["proxyAddress"].asString() != n);
    }
  }
  // Paging: a page of one, its next_page_url, its end.
  const Json::Value first = form_call(stack, "GET", "/v1/Services?PageSize=1", {}, 200);
  BOOST_TEST(first["services"].size() == 1u);
  const std::string next = first["meta"]["next_page_url"].asString();
  BOOST_REQUIRE(next.rfind(stack.http_url("/v1/Services?"), 0) == 0u);
  const Json::Value second =
      form_call(stack, "GET", next.substr(stack.http_url("").size()), {}, 200);
  BOOST_TEST(second["meta"]["page"].asInt() == 1);
  BOOST_TEST(second["services"][0]["sid"] != first["services"][0]["sid"]);
  // Deleting a drains its number back into the default service: retired, kept by sessions.
  form_call(stack, "DELETE", "/v1/Services/" + a, {}, 204);
  form_call(stack, "GET", "/v1/Services/" + a, {}, 404);
  auto ledger = stack.open_ledger();
  auto drained = ledger->pool_number(n);
  BOOST_REQUIRE(drained.is_ok() && drained->has_value());
  BOOST_TEST((*drained)->retired);
  BOOST_TEST((*drained)->service_sid.empty());
}

BOOST_AUTO_TEST_CASE(bad_parameters_get_twilio_errors_naming_them) {
  Stack stack(StackOptions().sandboxed({"--number-count", "2"}));
  const std::string sid =
      form_call(stack, "POST", "/v1/Services", {{"UniqueName", "taken"}}, 201)["sid"].asString();
  const std::vector<Refusal> cases = {
      {"/v1/Services", {}, 400, 20001, "UniqueName"},
      {"/v1/Services", {{"UniqueName", std::string(192, 'x')}}, 400, 20001, "UniqueName"},
      {"/v1/Services", {{"UniqueName", "taken"}}, 409, 80603, "already in use"},
      {"/v1/Services", {{"UniqueName", "t2"}, {"DefaultTtl", "-1"}}, 400, 20001, "DefaultTtl"},
      {"/v1/Services",
       {{"UniqueName", "t3"}, {"GeoMatchLevel", "planet"}},
       400,
       20001,
       "GeoMatchLevel"},
      {"/v1/Services",
       {{"UniqueName", "t4"}, {"CallbackUrl", "ftp://x"}},
       400,
       20001,
       "CallbackUrl"},
      {"/v1/Services/" + sid + "/PhoneNumbers", {}, 400, 20001, "Sid or PhoneNumber"},
      {"/v1/Services/" + sid + "/PhoneNumbers",
       {{"PhoneNumber", "+13125550188"}},
       400,
       80606,
       "not a phone number of this account"},
      {"/v1/Services/" + sid + "/PhoneNumbers",
       {{"Sid", "PN" + std::string(32, '0')}},
       400,
       80606,
       "not a phone number of this account"},
      {"/v1/Services/" + sid + "/PhoneNumbers",
       {{"PhoneNumber", stack.numbers().at(0)}, {"IsReserved", "maybe"}},
       400,
       20001,
       "IsReserved"},
      {"/v1/Services/KS" + std::string(32, '0') + "/PhoneNumbers",
       {{"PhoneNumber", stack.numbers().at(0)}},
       404,
       20404,
       "was not found"},
  };
  expect_refusals(stack, cases);
  BOOST_TEST(form_call(stack, "GET", "/v1/Services", {}, 200)["services"].size() == 2u);
  form_call(stack, "GET", "/v1/Services?PageSize=0", {}, 400);
  form_call(stack, "GET", "/v1/Services?PageToken=bogus", {}, 400);
}

BOOST_AUTO_TEST_CASE(bad_sessions_and_participants_are_refused_and_leave_nothing_behind) {
  Stack stack(StackOptions().sandboxed({"--number-count", "3"}));
  const std::string alice = "+14155550141";
  const std::string service =
      form_call(stack, "GET", "/v1/Services", {}, 200)["services"][0]["sid"].asString();
  const std::string other =
      form_call(stack, "POST", "/v1/Services", {{"UniqueName", "other"}}, 201)["sid"].asString();
  const std::string elsewhere = stack.numbers().at(2);  // the other service's number
  form_call(stack, "POST", "/v1/Services/" + other + "/PhoneNumbers", {{"PhoneNumber", elsewhere}},
            201);
  const std::string sessions = "/v1/Services/" + service + "/Sessions";
  const Json::Value kept = form_call(
      stack, "POST", sessions,
      {{"UniqueName", "kept"}, {"Participants", R"({"Identifier":")" + alice + R"("})"}}, 201);
  const std::string kept_path = sessions + "/" + kept["sid"].asString();
  const auto participant = [](const std::string& json) {
    return std::pair<std::string, std::string>{"Participants", json};
  };
  const std::vector<Refusal> cases = {
      {sessions, {participant("not json")}, 400, 20001, "JSON object"},
      {sessions, {participant(R"({"FriendlyName":"x"})")}, 400, 20001, "Identifier"},
      {sessions, {participant(R"({"Identifier":"415-555"})")}, 400, 80404, "Identifier"},
      {sessions,
       {participant(R"({"Identifier":"+14155550142"})"),
        participant(R"({"Identifier":"+14155550143"})"),
        participant(R"({"Identifier":"+14155550144"})")},
       400,
       80609,
       "at most 2"},
      {sessions,
       {participant(R"({"Identifier":"+14155550142"})"),
        participant(R"({"Identifier":"+14155550142"})")},
       400,
       80103,
       "listed twice"},
      {sessions,
       {participant(R"({"Identifier":"+14155550142","ProxyIdentifier":")" + elsewhere + R"("})")},
       400,
       80601,
       "not a phone number of service"},
      {sessions, {{"Status", "closed"}}, 400, 80608, "created open"},
      {sessions, {{"Mode", "fax-only"}}, 400, 20001, "Mode"},
      {sessions, {{"DateExpiry", "2001-01-01T00:00:00Z"}}, 400, 20001, "future"},
      {sessions, {{"DateExpiry", "tomorrow"}}, 400, 20001, "DateExpiry"},
      {sessions, {{"Ttl", "-5"}}, 400, 20001, "Ttl"},
      // The unique name is refused after the session's numbers were chosen: all rolled back.
      {sessions,
       {{"UniqueName", "kept"}, participant(R"({"Identifier":"+14155550142"})")},
       409,
       80603,
       "already in use"},
      {kept_path, {{"Status", "failed"}}, 400, 80608, "cannot change"},
      // Checked before the close: the session stays open.
      {kept_path, {{"Status", "closed"}, {"Ttl", "soon"}}, 400, 20001, "Ttl"},
      {kept_path + "/Participants", {}, 400, 20001, "Identifier"},
      {kept_path + "/Participants", {{"Identifier", alice}}, 400, 80103, "already"},
      {kept_path + "/Participants",
       {{"Identifier", "+14155550145"}, {"ProxyIdentifierSid", "PN" + std::string(32, '0')}},
       400,
       80601,
       "not a phone number of service"},
      {kept_path + "/Participants",
       {{"Identifier", "+14155550145"}, {"FriendlyName", std::string(256, 'x')}},
       400,
       20001,
       "FriendlyName"},
      {sessions + "/KC" + std::string(32, '0') + "/Participants",
       {{"Identifier", "+14155550145"}},
       404,
       20404,
       "was not found"},
  };
  expect_refusals(stack, cases);
  // Nothing of the refused requests remains: one session, one participant, one pair held.
  const Json::Value listed = form_call(stack, "GET", sessions, {}, 200)["sessions"];
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_TEST(listed[0]["status"].asString() == "open");
  BOOST_TEST(form_call(stack, "GET", kept_path + "/Participants", {}, 200)["participants"].size() ==
             1u);
  const Json::Value numbers =
      form_call(stack, "GET", "/v1/Services/" + service + "/PhoneNumbers", {}, 200);
  int64_t in_use = 0;
  for (const Json::Value& n : numbers["phone_numbers"]) in_use += n["in_use"].asInt64();
  BOOST_TEST(in_use == 1);
  auto ledger = stack.request("GET", "/sessions?status=open");
  BOOST_REQUIRE(ledger.is_ok());
  BOOST_TEST(json_body(*ledger)["sessions"].size() == 1u);

  // The default service cannot be deleted, and asking closes none of its sessions.
  const Json::Value refused = form_call(stack, "DELETE", "/v1/Services/" + service, {}, 400);
  BOOST_TEST(refused["message"].asString().find("default service") != std::string::npos);
  BOOST_TEST(form_call(stack, "GET", kept_path, {}, 200)["status"].asString() == "open");
  form_call(stack, "GET", kept_path + "/Interactions/KI" + std::string(32, '0'), {}, 404);

  // A new TTL and a close in one update: both done, the TTL first (a closed session's TTL
  // cannot change).
  const std::string brief =
      sessions + "/" + form_call(stack, "POST", sessions, {}, 201)["sid"].asString();
  const Json::Value both =
      form_call(stack, "POST", brief, {{"Ttl", "60"}, {"Status", "closed"}}, 200);
  BOOST_TEST(both["status"].asString() == "closed");
  BOOST_TEST(both["ttl"].asInt() == 60);
  // The worker logged none of the numbers it was given, good or bad, unmasked.
  BOOST_TEST(stack.worker().log().find("session created") != std::string::npos);
  for (const char* number : {"+14155550141", "+14155550142", "+14155550145"}) {
    BOOST_TEST(stack.worker().log().find(number) == std::string::npos, number);
  }
  form_call(stack, "GET", kept_path + "/Participants?PageSize=1001", {}, 400);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace mc::testing
