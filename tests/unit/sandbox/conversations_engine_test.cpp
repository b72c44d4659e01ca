#include "conversations_engine.h"

#include <boost/test/unit_test.hpp>

namespace mc::sandbox {
namespace {

const std::string kProxyA = "+14155550100";
const std::string kProxyB = "+12125550100";
const std::string kAlice = "+14155550111";
const std::string kBob = "+14155550112";

struct Fixture {
  Fixture() : engine(state, sids, clock) {
    state.account_sid = "AC00000000000000000000000000000000";
    state.chat_service_sid = "IS00000000000000000000000000000000";
    state.messaging_service_sid = "MG00000000000000000000000000000000";
    for (const std::string& n : {kProxyA, kProxyB, std::string("+13125550100")}) {
      PhoneNumber number;
      number.sid = sids.next("PN");
      number.phone_number = n;
      state.numbers.push_back(number);
    }
    state.index_numbers();
    state.account_webhooks.post_webhook_url = "https://hooks.example/post";
    state.account_webhooks.filters = {"onMessageAdded", "onConversationStateUpdated",
                                      "onConversationUpdated"};
  }
  Conversation& conversation(const Params& params = {}) {
    Webhooks ignored;
    auto created = engine.create(params, false, ignored);
    BOOST_REQUIRE_MESSAGE(created.is_ok(), created.status().to_string());
    return **created;
  }
  Status add(Conversation& c, const std::string& address, const std::string& proxy) {
    Webhooks ignored;
    ParticipantSpec spec;
    spec.address = address;
    spec.proxy_address = proxy;
    return engine.add_participant(c, spec, false, ignored).status();
  }
  static std::string participant_json(const std::string& address, const std::string& proxy) {
    return R"({"messaging_binding":{"address":")" + address + R"(","proxy_address":")" + proxy +
           "\"}}";
  }

  State state;
  SidGenerator sids{42};
  SandboxClock clock;
  ConversationsEngine engine;
};

BOOST_FIXTURE_TEST_SUITE(conversations_engine, Fixture)

BOOST_AUTO_TEST_CASE(pair_cannot_be_active_twice_50416) {
  Conversation& first = conversation();
  BOOST_REQUIRE(add(first, kAlice, kProxyA).is_ok());
  Conversation& second = conversation();
  const Status conflict = add(second, kAlice, kProxyA);
  BOOST_TEST(conflict.api_code() == code::kPairInUse);
  BOOST_TEST(conflict.http_status() == 409);
  // The same address through another proxy number is fine, and so is another address.
  BOOST_TEST(add(second, kAlice, kProxyB).is_ok());
  BOOST_TEST(add(second, kBob, kProxyA).is_ok());
}

BOOST_AUTO_TEST_CASE(closing_or_deleting_releases_the_pair) {
  Webhooks webhooks;
  Conversation& first = conversation();
  BOOST_REQUIRE(add(first, kAlice, kProxyA).is_ok());
  BOOST_REQUIRE(engine.update(first, {{"State", "closed"}}, false, webhooks).is_ok());
  Conversation& second = conversation();
  BOOST_TEST(add(second, kAlice, kProxyA).is_ok());
  const std::string sid = second.sid;
  BOOST_REQUIRE(engine.remove(sid, false, webhooks).is_ok());
  Conversation& third = conversation();
  BOOST_TEST(add(third, kAlice, kProxyA).is_ok());
  BOOST_TEST(engine.remove(sid, false, webhooks).http_status() == 404);
}

BOOST_AUTO_TEST_CASE(participant_rules) {
  Conversation& c = conversation();
  BOOST_TEST(add(c, kAlice, kAlice).api_code() == code::kInvalidProxyAddress);  // not owned
  BOOST_TEST(add(c, kProxyA, kProxyA).api_code() == code::kAddressIsProxy);
  BOOST_TEST(add(c, "4155550111", kProxyA).api_code() == code::kInvalidAddress);
  BOOST_TEST(add(c, "+1415555011x", kProxyA).api_code() == code::kInvalidAddress);
  BOOST_TEST(add(c, kAlice, "+19995550100").api_code() == code::kInvalidProxyAddress);
  BOOST_REQUIRE(add(c, kAlice, kProxyA).is_ok());
  BOOST_TEST(add(c, kAlice, kProxyB).api_code() == code::kParticipantExists);
}

BOOST_AUTO_TEST_CASE(at_most_fifty_non_chat_participants) {
  Conversation& c = conversation();
  for (int i = 0; i < 50; ++i) {
    BOOST_REQUIRE(add(c, "+1415555" + std::to_string(1000 + i), kProxyA).is_ok());
  }
  BOOST_TEST(add(c, "+14155552000", kProxyA).api_code() == code::kTooManyParticipants);
}

BOOST_AUTO_TEST_CASE(unique_name_rules) {
  conversation({{"UniqueName", "order-1"}});
  Webhooks ignored;
  BOOST_TEST(engine.create({{"UniqueName", "order-1"}}, false, ignored).status().api_code() ==
             code::kUniqueNameTaken);
  BOOST_TEST(engine.create({{"UniqueName", "CH0123456789abcdef0123456789abcdef"}}, false, ignored)
                 .status()
                 .api_code() == code::kUniqueNameLooksLikeSid);
  BOOST_TEST(state.find_conversation("order-1") != nullptr);
  BOOST_TEST(engine.create({{"Attributes", "{not json"}}, false, ignored).status().http_status() ==
             400);
}

BOOST_AUTO_TEST_CASE(timers_need_state_and_valid_durations) {
  Webhooks ignored;
  BOOST_TEST(engine.create({{"Timers.Closed", "PT10M"}}, false, ignored).status().api_code() ==
             code::kTimerWithoutState);
  BOOST_TEST(engine.create({{"State", "active"}, {"Timers.Closed", "PT9M"}}, false, ignored)
                 .status()
                 .api_code() == code::kInvalidTimer);
  BOOST_TEST(engine.create({{"State", "active"}, {"Timers.Inactive", "soon"}}, false, ignored)
                 .status()
                 .api_code() == code::kInvalidTimer);
  BOOST_TEST(state.conversations.empty());
}

BOOST_AUTO_TEST_CASE(rejected_update_changes_nothing) {
  Conversation& c = conversation({{"UniqueName", "order-1"}, {"FriendlyName", "before"}});
  Webhooks ignored;
  const Status rejected = engine.update(
      c, {{"UniqueName", "order-2"}, {"FriendlyName", "after"}, {"Attributes", "{not json"}}, false,
      ignored);
  BOOST_TEST(rejected.http_status() == 400);
  BOOST_TEST(*c.unique_name == "order-1");
  BOOST_TEST(*c.friendly_name == "before");
  BOOST_TEST(state.find_conversation("order-1") == &c);
  BOOST_TEST(state.find_conversation("order-2") == nullptr);

  BOOST_REQUIRE(engine.update(c, {{"UniqueName", "order-2"}}, false, ignored).is_ok());
  BOOST_TEST(state.find_conversation("order-1") == nullptr);
  BOOST_TEST(state.find_conversation("order-2") == &c);
}

BOOST_AUTO_TEST_CASE(with_participants_is_all_or_nothing) {
  Conversation& existing = conversation();
  BOOST_REQUIRE(add(existing, kBob, kProxyB).is_ok());
  Webhooks ignored;
  auto failed = engine.create_with_participants({{"UniqueName", "S2"},
                                                 {"Participant", participant_json(kAlice, kProxyA)},
                                                 {"Participant", participant_json(kBob, kProxyB)}},
                                                false, ignored);
  BOOST_TEST(failed.status().api_code() == code::kPairInUseMulti);
  BOOST_TEST(state.conversations.size() == 1u);
  BOOST_TEST(state.find_conversation("S2") == nullptr);
  BOOST_TEST(state.active_pairs.count(pair_key(kAlice, kProxyA)) == 0u);

  Params eleven;
  for (int i = 0; i < 11; ++i) {
    eleven.emplace_back("Participant",
                        participant_json("+1415555" + std::to_string(3000 + i), kProxyA));
  }
  BOOST_TEST(engine.create_with_participants(eleven, false, ignored).status().api_code() ==
             code::kTooManyParticipants);

  auto created =
      engine.create_with_participants({{"UniqueName", "S2"},
                                       {"Participant", participant_json(kAlice, kProxyA)},
                                       {"Participant", participant_json(kBob, kProxyA)}},
                                      false, ignored);
  BOOST_REQUIRE(created.is_ok());
  BOOST_TEST((*created)->participants.size() == 2u);
  BOOST_TEST(state.active_pairs.count(pair_key(kAlice, kProxyA)) == 1u);
}

BOOST_AUTO_TEST_CASE(messages_relay_through_each_participants_proxy) {
  Conversation& c = conversation();
  BOOST_REQUIRE(add(c, kAlice, kProxyA).is_ok());
  BOOST_REQUIRE(add(c, kBob, kProxyB).is_ok());
  BOOST_REQUIRE(add(c, "+14155550113", "+13125550100").is_ok());
  Webhooks webhooks;
  auto message = engine.add_message(c, kAlice, "hi all", "{}", "SMS", true, webhooks);
  BOOST_REQUIRE(message.is_ok());
  BOOST_TEST(state.phones[kBob].received.size() == 1u);
  BOOST_TEST(state.phones[kBob].received[0].from == kProxyB);
  BOOST_TEST(state.phones["+14155550113"].received[0].from == "+13125550100");
  BOOST_TEST(state.phones[kAlice].received.empty());
  BOOST_REQUIRE_EQUAL(webhooks.size(), 1u);
  BOOST_TEST(webhooks[0].kind == "onMessageAdded");
  BOOST_TEST(param_or(webhooks[0].params, "Author") == kAlice);
  BOOST_TEST(param_or(webhooks[0].params, "Body") == "hi all");
  BOOST_TEST(param_or(webhooks[0].params, "Index") == "0");
}

BOOST_AUTO_TEST_CASE(rest_actions_fire_webhooks_only_when_enabled) {
  Webhooks webhooks;
  auto created = engine.create({}, false, webhooks);
  BOOST_REQUIRE(created.is_ok());
  BOOST_REQUIRE(engine.update(**created, {{"State", "closed"}}, false, webhooks).is_ok());
  BOOST_TEST(webhooks.empty());
  auto another = engine.create({}, true, webhooks);
  BOOST_REQUIRE(engine.update(**another, {{"State", "closed"}}, true, webhooks).is_ok());
  BOOST_REQUIRE_EQUAL(webhooks.size(), 2u);  // onConversationStateUpdated, onConversationUpdated
  BOOST_TEST(webhooks[0].kind == "onConversationStateUpdated");
  BOOST_TEST(param_or(webhooks[0].params, "StateTo") == "closed");
  BOOST_TEST(param_or(webhooks[0].params, "Reason") == "API");
  BOOST_TEST(webhooks[1].kind == "onConversationUpdated");
  BOOST_TEST(param_or(webhooks[1].params, "State") == "closed");
}

BOOST_AUTO_TEST_CASE(timers_move_state_and_restart_on_activity) {
  Conversation& c =
      conversation({{"State", "active"}, {"Timers.Inactive", "PT1M"}, {"Timers.Closed", "PT10M"}});
  BOOST_REQUIRE(add(c, kAlice, kProxyA).is_ok());
  BOOST_REQUIRE(add(c, kBob, kProxyB).is_ok());
  Webhooks webhooks;
  clock.advance(std::chrono::seconds(59));
  engine.fire_due_timers(clock.now(), webhooks);
  BOOST_TEST(c.state == "active");
  clock.advance(std::chrono::seconds(2));
  engine.fire_due_timers(clock.now(), webhooks);
  BOOST_TEST(c.state == "inactive");
  BOOST_REQUIRE(!webhooks.empty());
  BOOST_TEST(param_or(webhooks[0].params, "StateFrom") == "active");
  BOOST_TEST(param_or(webhooks[0].params, "StateTo") == "inactive");
  BOOST_TEST(param_or(webhooks[0].params, "Reason") == "TIMER");

  // A message wakes it up and restarts both timers from now.
  webhooks.clear();
  BOOST_REQUIRE(engine.add_message(c, kAlice, "still there?", "{}", "SMS", true, webhooks).is_ok());
  BOOST_TEST(c.state == "active");
  BOOST_TEST(param_or(webhooks[0].params, "Reason") == "EVENT");
  clock.advance(std::chrono::seconds(9 * 60));
  webhooks.clear();
  engine.fire_due_timers(clock.now(), webhooks);
  BOOST_TEST(c.state == "inactive");  // closed timer restarted: 10 min from the message
  clock.advance(std::chrono::seconds(61));
  webhooks.clear();
  engine.fire_due_timers(clock.now(), webhooks);
  BOOST_TEST(c.state == "closed");
  BOOST_TEST(state.active_pairs.empty());
  bool saw_closed = false;
  for (const WebhookRequest& w : webhooks) {
    saw_closed = saw_closed || (w.kind == "onConversationStateUpdated" &&
                                param_or(w.params, "StateTo") == "closed" &&
                                param_or(w.params, "Reason") == "TIMER");
  }
  BOOST_TEST(saw_closed);
}

BOOST_AUTO_TEST_CASE(participant_conversations_include_closed_ones) {
  Webhooks webhooks;
  Conversation& first = conversation();
  BOOST_REQUIRE(add(first, kAlice, kProxyA).is_ok());
  BOOST_REQUIRE(engine.update(first, {{"State", "closed"}}, false, webhooks).is_ok());
  Conversation& second = conversation();
  BOOST_REQUIRE(add(second, kAlice, kProxyA).is_ok());
  auto found = engine.participant_conversations(kAlice);
  BOOST_REQUIRE_EQUAL(found.size(), 2u);
  BOOST_TEST(found[0].first->state == "closed");
  BOOST_TEST(found[1].first->state == "active");
  BOOST_TEST(engine.participant_conversations(kBob).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
