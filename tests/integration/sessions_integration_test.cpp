// Masked sessions end to end: the real nginx, the real worker binary, a real SQLite file and
// the twilio-sandbox playing Twilio and the phones.
#include <boost/test/unit_test.hpp>
#include <future>
#include <map>
#include <random>
#include <set>

#include "core/response.h"
#include "harness/stack.h"
#include "sessions/conversation_ownership.h"
#include "store/store.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

// Distinct valid NANP numbers for participants: +1 212 555 2000, 2001, ...
std::vector<std::string> people(int count, int first = 2000, const std::string& area = "212") {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back("+1" + area + "555" + std::to_string(first + i));
  return out;
}

struct SessionsFixture {
  explicit SessionsFixture(StackOptions options = StackOptions().sandboxed({"--number-count",
                                                                            "20"}))
      : stack(std::move(options)) {}

  Result<net::HttpResponse> create(const std::vector<std::string>& addresses,
                                   const std::string& extra = "") {
    return stack.request("POST", "/sessions", session_body(addresses, extra), "application/json");
  }
  Json::Value create_ok(const std::vector<std::string>& addresses, const std::string& extra = "") {
    return create_session(stack, addresses, extra);
  }
  Json::Value session(const std::string& id) { return get_session(stack, id); }
  Json::Value control(const std::string& method, const std::string& path,
                      const Params& params = {}) {
    return testing::control(stack, method, path, params);
  }
  Json::Value transcript(const std::string& phone) { return testing::transcript(stack, phone); }
  std::vector<Json::Value> sandbox_conversations(const std::string& state = "") {
    std::vector<Json::Value> out;
    Params query = {{"PageSize", "100"}};
    if (!state.empty()) query.emplace_back("State", state);
    auto response = stack.sandbox().rest("GET", "/conversations/v1/Conversations", query);
    BOOST_REQUIRE(response.is_ok());
    const Json::Value page = json_body(*response);
    for (const Json::Value& c : page["conversations"]) out.push_back(c);
    return out;
  }
  std::unique_ptr<store::Store> ledger() { return stack.open_ledger(); }
  // DELETEs a conversation at the sandbox as a client would, with or without
  // X-Twilio-Webhook-Enabled; the HTTP status.
  int delete_at_sandbox(const std::string& conversation_sid, bool webhook_enabled) {
    net::HttpRequest remove;
    remove.method = "DELETE";
    remove.url = stack.sandbox().base_url() + "/conversations/v1/Conversations/" + conversation_sid;
    remove.username = testing::kSandboxAccountSid;
    remove.password = testing::kSandboxAuthToken;
    if (webhook_enabled) remove.headers = {{"X-Twilio-Webhook-Enabled", "true"}};
    auto response = stack.send(remove);
    BOOST_REQUIRE(response.is_ok());
    return response->status;
  }
  int total_load() {
    int load = 0;
    const auto numbers = ledger()->pool_numbers();
    for (const store::PoolNumber& n : *numbers) load += n.load;
    return load;
  }

  Stack stack;
};

BOOST_AUTO_TEST_SUITE(sessions_end_to_end)

BOOST_AUTO_TEST_CASE(a_two_person_session_masks_both_ways) {
  SessionsFixture f;
  const std::string alice = "+14155550111", bob = "+12125550122";
  Json::Value conversation = f.create_ok({alice, bob}, "\"friendlyName\": \"Order 42\"");
  // masked-communications-app's answer: the conversation in twilio-node's camelCase.
  BOOST_TEST(conversation["sid"].asString().rfind("CH", 0) == 0);
  BOOST_TEST(conversation["friendlyName"].asString() == "Order 42");
  BOOST_TEST(conversation["accountSid"].asString() == kSandboxAccountSid);
  BOOST_TEST(conversation["state"].asString() == "active");
  BOOST_TEST(conversation["dateCreated"].asString().size() == 24u);  // 2026-...T...:...:...000Z
  BOOST_TEST(conversation.isMember("chatServiceSid"));
  BOOST_TEST(conversation.isMember("messagingServiceSid"));
  const std::string id = conversation["uniqueName"].asString();

  const Json::Value session = f.session(id);
  BOOST_TEST(session["status"].asString() == "open");
  BOOST_TEST(session["conversationSid"].asString() == conversation["sid"].asString());
  const std::string alice_proxy = proxy_of(session, alice), bob_proxy = proxy_of(session, bob);
  BOOST_TEST(alice_proxy.substr(0, 5) == "+1415");  // near Alice
  BOOST_TEST(bob_proxy.substr(0, 5) == "+1212");    // near Bob

  Json::Value sent =
      f.control("POST", "/sms", {{"From", alice}, {"To", alice_proxy}, {"Body", "at the door"}});
  BOOST_TEST(sent["routed"].asString() == "conversation");
  f.control("POST", "/sms", {{"From", bob}, {"To", bob_proxy}, {"Body", "coming"}});
  const Json::Value bob_sees = f.transcript(bob);
  BOOST_REQUIRE_EQUAL(bob_sees["messages_received"].size(), 1u);
  BOOST_TEST(bob_sees["messages_received"][0]["from"].asString() == bob_proxy);
  BOOST_TEST(bob_sees["messages_received"][0]["body"].asString() == "at the door");
  const Json::Value alice_sees = f.transcript(alice);
  BOOST_REQUIRE_EQUAL(alice_sees["messages_received"].size(), 1u);
  BOOST_TEST(alice_sees["messages_received"][0]["from"].asString() == alice_proxy);
  // The signed post-event webhook reached the worker: the session saw an interaction.
  BOOST_TEST(f.session(id)["status"].asString() == "in-progress");
  BOOST_TEST(!f.session(id)["dateLastInteraction"].isNull());
}

BOOST_AUTO_TEST_CASE(a_fifty_person_session_relays_to_everyone) {
  SessionsFixture f;
  const std::vector<std::string> everyone = people(50);
  Json::Value conversation = f.create_ok(everyone);
  const Json::Value session = f.session(conversation["uniqueName"].asString());
  BOOST_REQUIRE_EQUAL(session["participants"].size(), 50u);
  auto participants = f.stack.sandbox().rest(
      "GET", "/conversations/v1/Conversations/" + conversation["sid"].asString() + "/Participants",
      {{"PageSize", "100"}});
  BOOST_TEST(json_body(*participants)["participants"].size() == 50u);

  f.control("POST", "/sms",
            {{"From", everyone[0]}, {"To", proxy_of(session, everyone[0])}, {"Body", "hello all"}});
  std::set<std::string> real_numbers(everyone.begin(), everyone.end());
  for (size_t i = 1; i < everyone.size(); ++i) {
    const Json::Value received = f.transcript(everyone[i])["messages_received"];
    BOOST_REQUIRE_EQUAL(received.size(), 1u);
    const std::string from = received[0]["from"].asString();
    BOOST_TEST(from == proxy_of(session, everyone[i]));
    BOOST_TEST(real_numbers.count(from) == 0u);  // never a participant's real number
  }
}

BOOST_AUTO_TEST_CASE(pool_exhaustion_gives_the_error_and_reserves_nothing) {
  SessionsFixture f(StackOptions().sandboxed({"--number-count", "2"}));
  const std::string alice = "+14155550111";
  f.create_ok({alice, "+14155550121"});
  f.create_ok({alice, "+14155550122"});  // Alice now holds both numbers
  const int load = f.total_load();
  auto third = f.create({alice, "+14155550123"});
  BOOST_REQUIRE(third.is_ok());
  BOOST_TEST(third->status == 409);
  const Json::Value error = json_body(*third);
  BOOST_TEST(error["message"].asString() ==
             "Not enough numbers available in pool for +14155550111");
  BOOST_TEST(error["code"].asInt() == 80206);
  BOOST_TEST(f.total_load() == load);
  BOOST_TEST(f.sandbox_conversations().size() == 2u);
  BOOST_TEST(f.ledger()->list_sessions("", 10, "")->sessions.size() == 2u);
  // The log names Alice masked, never in full.
  BOOST_TEST(f.stack.worker().log().find("+14155550111") == std::string::npos);
  BOOST_TEST(f.stack.worker().log().find("+1415***0111") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_conversation_closed_by_its_timer_releases_the_numbers) {
  SessionsFixture f;
  Json::Value conversation =
      f.create_ok({"+14155550111", "+14155550112"}, "\"timers\": {\"closed\": \"PT10M\"}");
  const std::string id = conversation["uniqueName"].asString();
  BOOST_TEST(f.total_load() == 2);
  f.control("POST", "/clock/advance", {{"Seconds", "601"}});
  BOOST_REQUIRE(wait_until([&] { return f.session(id)["status"].asString() == "closed"; },
                           std::chrono::seconds(10)));
  BOOST_TEST(f.session(id)["closedReason"].asString() == "conversation-closed");
  // The numbers come free once Twilio has confirmed the delete (the pairs are held till then).
  BOOST_REQUIRE(wait_until([&] { return f.total_load() == 0; }, std::chrono::seconds(10)));
  // Deleted at Twilio, as masked-communications-app does.
  BOOST_REQUIRE(
      wait_until([&] { return f.sandbox_conversations().empty(); }, std::chrono::seconds(10)));
}

// Issue 10, defect 13: masked-communications-app's load test deletes conversations directly
// at Twilio. Sent with X-Twilio-Webhook-Enabled, the delete's onConversationRemoved closes
// the session at once (the reconciliation sweep is off here, so only the webhook can).
BOOST_AUTO_TEST_CASE(on_conversation_removed_closes_the_session) {
  SessionsFixture f(
      StackOptions().sandboxed({"--number-count", "20"}).with_worker_env("MC_RECONCILE_RATE", "0"));
  const Json::Value quiet = f.create_ok({"+14155550111", "+14155550112"});
  const Json::Value announced = f.create_ok({"+14155550113", "+14155550114"});
  BOOST_REQUIRE_EQUAL(f.delete_at_sandbox(quiet["sid"].asString(), false), 204);
  BOOST_REQUIRE_EQUAL(f.delete_at_sandbox(announced["sid"].asString(), true), 204);
  const std::string id = announced["uniqueName"].asString();
  BOOST_REQUIRE(wait_until([&] { return f.session(id)["status"].asString() == "closed"; },
                           std::chrono::seconds(10)));
  BOOST_TEST(f.session(id)["closedReason"].asString() == "conversation-removed");
  BOOST_TEST(f.session(quiet["uniqueName"].asString())["status"].asString() == "open");
}

// Issue 10, defect 13: without the header Twilio sends no webhook at all; the
// reconciliation sweep finds the conversation gone within (live sessions /
// MC_RECONCILE_RATE) seconds, closes the session and frees its numbers.
BOOST_AUTO_TEST_CASE(the_reconciliation_sweep_finds_conversations_deleted_without_a_webhook) {
  SessionsFixture f(StackOptions()
                        .sandboxed({"--number-count", "20"})
                        .with_worker_env("MC_RECONCILE_RATE", "20")
                        .with_worker_env("MC_SWEEP_INTERVAL_MS", "200"));
  const Json::Value quiet = f.create_ok({"+14155550111", "+14155550112"});
  const Json::Value kept = f.create_ok({"+14155550115", "+14155550116"});
  BOOST_REQUIRE_EQUAL(f.delete_at_sandbox(quiet["sid"].asString(), false), 204);
  const std::string id = quiet["uniqueName"].asString();
  BOOST_REQUIRE(wait_until([&] { return f.session(id)["status"].asString() == "closed"; },
                           std::chrono::seconds(10)));
  BOOST_TEST(f.session(id)["closedReason"].asString() == "conversation-removed");
  BOOST_REQUIRE(wait_until([&] { return f.total_load() == 2; }, std::chrono::seconds(10)));
  BOOST_TEST(f.session(kept["uniqueName"].asString())["status"].asString() == "open");
}

BOOST_AUTO_TEST_CASE(a_forged_post_event_webhook_is_rejected_and_changes_nothing) {
  SessionsFixture f;
  Json::Value conversation = f.create_ok({"+14155550111", "+14155550112"});
  const std::string id = conversation["uniqueName"].asString();
  const Params closing = {{"EventType", "onConversationStateUpdated"},
                          {"ConversationSid", conversation["sid"].asString()},
                          {"StateFrom", "active"},
                          {"StateTo", "closed"},
                          {"Reason", "API"}};
  net::HttpRequest forged;
  forged.method = "POST";
  forged.url = f.stack.http_url("/conversations-post-event");
  forged.body = encode_form(closing);
  forged.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJlIGF0IGFsbA=="}};
  auto rejected = f.stack.send(forged);
  BOOST_REQUIRE(rejected.is_ok());
  BOOST_TEST(rejected->status == 403);
  forged.headers.pop_back();  // unsigned
  BOOST_TEST(f.stack.send(forged)->status == 403);
  BOOST_TEST(f.session(id)["status"].asString() == "open");
  BOOST_TEST(f.total_load() == 2);

  // The same event signed with the account's token is accepted (the control case).
  const net::HttpResponse accepted =
      send_signed_webhook(f.stack, "/conversations-post-event", closing);
  BOOST_TEST(accepted.status == 200);
  BOOST_TEST(accepted.body == conversation["sid"].asString() + " deleted");
  BOOST_TEST(f.session(id)["status"].asString() == "closed");
}

BOOST_AUTO_TEST_CASE(twilio_failing_the_participant_step_leaves_nothing_behind) {
  SessionsFixture f;
  f.control("POST", "/faults", {{"Endpoint", "participants.create"}, {"5xx", "1"}});
  auto failed = f.create(people(12));  // 10 in the create, 2 more one by one: those fail
  BOOST_REQUIRE(failed.is_ok());
  BOOST_TEST(failed->status == 503);
  BOOST_TEST(json_body(*failed)["message"].asString().find(
                 "could not create the conversation at Twilio") == 0u);
  // Deleted at Twilio in the background; the numbers come free once Twilio has confirmed it.
  BOOST_REQUIRE(
      wait_until([&] { return f.sandbox_conversations().empty(); }, std::chrono::seconds(10)));
  BOOST_REQUIRE(wait_until([&] { return f.total_load() == 0; }, std::chrono::seconds(10)));
  const auto sessions = f.ledger()->list_sessions("", 10, "");
  BOOST_REQUIRE_EQUAL(sessions->sessions.size(), 1u);
  BOOST_TEST(sessions->sessions[0].status == "failed");

  // And the conversation create itself failing.
  f.control("DELETE", "/faults");
  f.control("POST", "/faults",
            {{"Endpoint", "conversation_with_participants.create"}, {"5xx", "1"}});
  BOOST_TEST(f.create(people(2, 3000))->status == 503);
  // Held until the background check confirms Twilio made nothing of that name.
  BOOST_TEST(wait_until([&] { return f.total_load() == 0; }, std::chrono::seconds(10)));
  BOOST_TEST(f.sandbox_conversations().empty());
}

BOOST_AUTO_TEST_CASE(a_lost_create_answer_still_makes_exactly_one_conversation) {
  SessionsFixture f;
  // Twilio creates the conversation but the answer never arrives; the client retries.
  f.control(
      "POST", "/faults",
      {{"Endpoint", "conversation_with_participants.create"}, {"drop_after", "1"}, {"times", "1"}});
  Json::Value conversation = f.create_ok({"+14155550111", "+14155550112"});
  const auto conversations = f.sandbox_conversations();
  BOOST_REQUIRE_EQUAL(conversations.size(), 1u);
  BOOST_TEST(conversations[0]["unique_name"].asString() == conversation["uniqueName"].asString());
  BOOST_TEST(conversations[0]["sid"].asString() == conversation["sid"].asString());
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_400_that_names_the_problem_and_writes_nothing) {
  SessionsFixture f;
  const std::string pool_number = f.stack.numbers().at(0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not valid JSON"},
      {R"({"friendlyName": "x"})", "addresses is required"},
      {R"({"addresses": "+14155550111"})", "addresses must be an array"},
      {R"({"addresses": []})", "addresses must hold 1 to 50"},
      {session_body(people(51)), "addresses must hold 1 to 50"},
      {session_body({"+14155550111", "+14155550111"}), "+14155550111 is listed twice"},
      {session_body({"+1415555"}), "'+1415555' is not a valid phone number"},
      {session_body({"14155550111"}), "is not an E.164 phone number"},
      {session_body({pool_number}), "is a number of the proxy pool"},
      {session_body({"+14155550111"}, R"("colour": "blue")"), "unknown field 'colour'"},
      {session_body({"+14155550111"}, R"("friendlyName": 7)"), "friendlyName must be a string"},
  };
  for (const auto& [body, expected] : cases) {
    auto response = f.stack.request("POST", "/sessions", body, "application/json");
    BOOST_REQUIRE(response.is_ok());
    BOOST_TEST(response->status == 400, body);
    BOOST_TEST(json_body(*response)["message"].asString().find(expected) != std::string::npos,
               body << " -> " << response->body);
  }
  auto form = f.stack.request("POST", "/sessions", "addresses=%2B14155550111",
                              "application/x-www-form-urlencoded");
  BOOST_TEST(form->status == 400);
  BOOST_TEST(json_body(*f.stack.request("GET", "/sessions"))["sessions"].size() == 0u);
  BOOST_TEST(f.sandbox_conversations().empty());
  BOOST_TEST(f.total_load() == 0);
}

BOOST_AUTO_TEST_CASE(sessions_are_listed_paged_and_closed) {
  SessionsFixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(f.create_ok(people(2, 4000 + 10 * i))["uniqueName"].asString());
  }
  auto first = json_body(*f.stack.request("GET", "/sessions?status=open&pageSize=2"));
  BOOST_TEST(first["sessions"].size() == 2u);
  BOOST_REQUIRE(first["meta"]["nextPageUrl"].isString());
  auto second = json_body(*f.stack.request("GET", first["meta"]["nextPageUrl"].asString()));
  BOOST_TEST(second["sessions"].size() == 1u);
  BOOST_TEST(second["meta"]["nextPageUrl"].isNull());
  BOOST_TEST(f.stack.request("GET", "/sessions?status=sleeping")->status == 400);

  auto closed = f.stack.request("DELETE", "/sessions/" + ids[0]);
  BOOST_REQUIRE(closed.is_ok());
  BOOST_TEST(closed->status == 200);
  BOOST_TEST(json_body(*closed)["status"].asString() == "closed");
  BOOST_TEST(json_body(*closed)["closedReason"].asString() == "api");
  BOOST_TEST(f.stack.request("DELETE", "/sessions/KCnone")->status == 404);
  BOOST_TEST(f.stack.request("GET", "/sessions/KCnone")->status == 404);
  BOOST_REQUIRE(
      wait_until([&] { return f.sandbox_conversations().size() == 2u; }, std::chrono::seconds(10)));
  BOOST_TEST(json_body(*f.stack.request("GET", "/sessions?status=closed"))["sessions"].size() ==
             1u);
}

BOOST_AUTO_TEST_CASE(a_session_with_a_ttl_closes_on_time) {
  SessionsFixture f;
  const std::string id = f.create_ok(people(2), "\"ttl\": 1")["uniqueName"].asString();
  BOOST_REQUIRE(wait_until([&] { return f.session(id)["status"].asString() == "closed"; },
                           std::chrono::seconds(10)));
  BOOST_TEST(f.session(id)["closedReason"].asString() == "ttl");
  // Free once Twilio has confirmed the delete, a moment later.
  BOOST_TEST(wait_until([&] { return f.total_load() == 0; }, std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(sessions_left_creating_by_a_crash_are_repaired) {
  SessionsFixture f(StackOptions()
                        .sandboxed({"--number-count", "20"})
                        .with_worker_env("MC_CREATING_TIMEOUT_MS", "1000"));
  const std::string alice = "+14155550111", bob = "+14155550112", carol = "+14155550113";
  const std::string proxy = f.stack.numbers().at(0);
  // What a worker that died halfway leaves: two reservations, one conversation made (with
  // the worker's ownership marker on its participant). The conversation is made first: the
  // sweep (every 100 ms) must not find the reservations before it exists.
  auto made = f.stack.sandbox().rest(
      "POST", "/conversations/v1/ConversationWithParticipants",
      {{"UniqueName", "KCfinished"},
       {"Participant", "{\"messaging_binding\":{\"address\":\"" + alice +
                           "\",\"proxy_address\":\"" + proxy + "\"},\"attributes\":" +
                           to_json_text(Json::Value(sessions::ownership_marker("KCfinished"))) +
                           "}"}});
  BOOST_REQUIRE_EQUAL(made->status, 201);
  auto ledger = f.ledger();
  for (const auto& [id, address] :
       {std::pair{"KCfinished", alice}, std::pair{"KCabandoned", bob}}) {
    BOOST_REQUIRE(ledger
                      ->transact([&](store::Transaction& tx) -> Status {
                        store::SessionRecord s;
                        s.id = id;
                        s.created_at = s.updated_at =
                            std::chrono::system_clock::now() - std::chrono::hours(1);
                        if (Status st = tx.insert_session(s); !st) return st;
                        store::ParticipantRecord p;
                        p.session_id = id;
                        p.address = address;
                        p.proxy_number = proxy;
                        p.created_at = s.created_at;
                        return tx.add_participant(p);
                      })
                      .is_ok());
  }
  BOOST_REQUIRE(wait_until(
      [&] {
        return f.session("KCfinished")["status"].asString() == "open" &&
               f.session("KCabandoned")["status"].asString() == "failed";
      },
      std::chrono::seconds(10)));
  BOOST_TEST(f.session("KCfinished")["conversationSid"].asString() ==
             json_body(*made)["sid"].asString());
  BOOST_TEST(f.total_load() == 1);
  // Bob's number is free again; Carol can have a session through it.
  f.create_ok({bob, carol});
}

BOOST_AUTO_TEST_CASE(parallel_creates_in_two_workers_never_share_a_pair) {
  StackOptions two = StackOptions().sandboxed({"--number-count", "6"});
  two.workers = 2;
  SessionsFixture g(two);
  // Ten people in the same area code, three per session, eight client threads.
  const std::vector<std::string> crowd = people(10, 5000, "415");
  std::vector<std::future<std::vector<int>>> clients;
  for (int thread = 0; thread < 8; ++thread) {
    clients.push_back(std::async(std::launch::async, [&, thread] {
      std::mt19937 random(thread);
      std::vector<int> statuses;
      for (int i = 0; i < 6; ++i) {
        std::vector<std::string> chosen = crowd;
        std::shuffle(chosen.begin(), chosen.end(), random);
        chosen.resize(3);
        auto response = g.create(chosen);
        statuses.push_back(response.is_ok() ? response->status : -1);
      }
      return statuses;
    }));
  }
  int created = 0, exhausted = 0;
  for (auto& client : clients) {
    for (int status : client.get()) {
      BOOST_TEST((status == 200 || status == 409), "status " << status);
      created += status == 200 ? 1 : 0;
      exhausted += status == 409 ? 1 : 0;
    }
  }
  BOOST_TEST(created > 0);
  // Both workers served requests.
  BOOST_TEST(g.stack.worker(0).log().find("session created") != std::string::npos);
  BOOST_TEST(g.stack.worker(1).log().find("session created") != std::string::npos);

  // The ledger: no active (address, proxy) pair twice; loads match active participants.
  auto ledger = g.ledger();
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::string, int> held;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> ledger_sessions;
  std::string token;
  do {
    auto page = ledger->list_sessions("open", 100, token);
    for (const store::SessionRecord& s : page->sessions) {
      for (const store::ParticipantRecord& p : s.participants) {
        BOOST_TEST(pairs.insert({p.address, p.proxy_number}).second,
                   p.address << " " << p.proxy_number);
        ++held[p.proxy_number];
        ledger_sessions[s.conversation_sid].insert({p.address, p.proxy_number});
      }
    }
    token = page->next_token;
  } while (!token.empty());
  BOOST_TEST(ledger_sessions.size() == static_cast<size_t>(created));
  const auto numbers = ledger->pool_numbers();
  for (const store::PoolNumber& n : *numbers) BOOST_TEST(n.load == held[n.number], n.number);

  // The sandbox agrees one to one: the same conversations, with the same pairs.
  const auto conversations = g.sandbox_conversations("active");
  BOOST_TEST(conversations.size() == ledger_sessions.size());
  for (const Json::Value& c : conversations) {
    auto participants = g.stack.sandbox().rest(
        "GET", "/conversations/v1/Conversations/" + c["sid"].asString() + "/Participants");
    std::set<std::pair<std::string, std::string>> at_twilio;
    const Json::Value listed = json_body(*participants);
    for (const Json::Value& p : listed["participants"]) {
      at_twilio.insert({p["messaging_binding"]["address"].asString(),
                        p["messaging_binding"]["proxy_address"].asString()});
    }
    BOOST_TEST((at_twilio == ledger_sessions[c["sid"].asString()]), c["sid"].asString());
  }
  BOOST_TEST_MESSAGE("parallel creates: " << created << " created, " << exhausted
                                          << " refused (pool exhausted)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
