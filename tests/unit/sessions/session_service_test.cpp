// The session lifecycle with an in-memory Conversations API, a real ledger (SQLite or PostgreSQL)
// and a fake clock: reservation, Twilio calls, rollback, close, expiry, recovery.
#include "sessions/session_service.h"

#include <boost/test/unit_test.hpp>
#include <set>

#include "session_fixture.h"
#include "sessions/conversation_ownership.h"

namespace mc::sessions {
namespace {

using testing::FakeConversations;
using testing::SessionFixture;
using Fixture = SessionFixture;

BOOST_FIXTURE_TEST_SUITE(session_service, Fixture)

BOOST_AUTO_TEST_CASE(two_people_cost_one_twilio_round_trip) {
  auto session = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_REQUIRE_MESSAGE(session.is_ok(), session.status().to_string());
  BOOST_TEST(session->status == "open");
  BOOST_TEST(session->id.rfind("KC", 0) == 0);
  BOOST_TEST(session->participants.size() == 2u);
  BOOST_TEST(twilio.creates == 1);
  BOOST_TEST(twilio.adds == 0);
  BOOST_TEST(param_or(twilio.last_create, "UniqueName") == session->id);
  BOOST_TEST(param_or(twilio.last_create, "FriendlyName") == "Order 42");
  const auto& conversation = twilio.conversations.begin()->second;
  BOOST_TEST(conversation.participants.size() == 2u);
  BOOST_TEST(session->conversation_sid == conversation.sid);
  for (const store::ParticipantRecord& p : session->participants) {
    BOOST_TEST(p.proxy_number.rfind("+1415555", 0) == 0);  // same area code as the people
  }
  BOOST_TEST(total_load() == 2);
}

BOOST_AUTO_TEST_CASE(the_configured_messaging_service_is_used_unless_the_client_names_one) {
  config.messaging_service_sid = "MG11111111111111111111111111111111";
  SessionService with_service(*store, twilio, geography, pool::SelectionPolicy{}, clock, hooks,
                              *outbox, config);
  BOOST_REQUIRE(with_service.create(request({"+14155550201"})).is_ok());
  BOOST_TEST(param_or(twilio.last_create, "MessagingServiceSid") == config.messaging_service_sid);
  CreateSessionRequest own = request({"+14155550202"});
  own.conversation.emplace_back("MessagingServiceSid", "MG22222222222222222222222222222222");
  BOOST_REQUIRE(with_service.create(own).is_ok());
  BOOST_TEST(all_params(twilio.last_create, "MessagingServiceSid").size() == 1u);
  BOOST_TEST(param_or(twilio.last_create, "MessagingServiceSid") ==
             "MG22222222222222222222222222222222");
  // Timers without a state get State=active (Twilio refuses them otherwise, 50382).
  CreateSessionRequest timed = request({"+14155550203"});
  timed.conversation.emplace_back("Timers.Closed", "PT10M");
  BOOST_REQUIRE(with_service.create(timed).is_ok());
  BOOST_TEST(param_or(twilio.last_create, "State") == "active");
}

BOOST_AUTO_TEST_CASE(more_than_ten_people_are_added_in_batches) {
  auto session = service->create(request(addresses(23)));
  BOOST_REQUIRE_MESSAGE(session.is_ok(), session.status().to_string());
  BOOST_TEST(twilio.creates == 1);
  BOOST_TEST(twilio.adds == 13);
  BOOST_TEST(twilio.conversations.begin()->second.participants.size() == 23u);
  int with_sid = 0;
  for (const store::ParticipantRecord& p : session->participants)
    with_sid += p.participant_sid.empty() ? 0 : 1;
  BOOST_TEST(with_sid == 13);  // the batched ones; the first ten come without SIDs
}

BOOST_AUTO_TEST_CASE(pool_exhaustion_reserves_nothing_and_calls_nobody) {
  Fixture small(1);
  BOOST_REQUIRE(small.service->create(small.request({"+14155550201", "+14155550202"})).is_ok());
  auto failed = small.service->create(small.request({"+14155550201", "+14155550203"}));
  BOOST_REQUIRE(!failed.is_ok());
  BOOST_TEST(failed.status().message() == "Not enough numbers available in pool for +14155550201");
  BOOST_TEST(failed.status().http_status() == 409);
  BOOST_TEST(small.twilio.creates == 1);
  BOOST_TEST(small.total_load() == 2);
  BOOST_TEST(small.store->list_sessions("", 10, "")->sessions.size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_addresses_are_refused_before_anything_is_written) {
  const auto numbers = store->pool_numbers();
  const std::string pool_number = (*numbers)[0].number;
  for (const auto& addresses :
       std::vector<std::vector<std::string>>{{},
                                             {"+14155550201", "+14155550201"},
                                             {"+1415555"},
                                             {"4155550201"},
                                             {pool_number},
                                             addresses(51)}) {
    auto result = service->create(request(addresses));
    BOOST_TEST(result.status().http_status() == 400, result.status().message());
  }
  BOOST_TEST(twilio.creates == 0);
  BOOST_TEST(store->list_sessions("", 10, "")->sessions.empty());
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(a_unique_name_is_the_session_id_and_cannot_repeat) {
  CreateSessionRequest r = request({"+14155550201"});
  r.unique_name = "order-42";
  auto session = service->create(r);
  BOOST_REQUIRE(session.is_ok());
  BOOST_TEST(session->id == "order-42");
  auto again = service->create(r);
  BOOST_TEST(again.status().api_code() == api_code::kUniqueNameTaken);
  BOOST_TEST(again.status().http_status() == 409);
  BOOST_TEST(twilio.creates == 1);
}

BOOST_AUTO_TEST_CASE(twilio_failing_the_create_rolls_everything_back) {
  twilio.fail_create = Status::unavailable("Twilio: 503", 20503);
  auto failed = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_TEST(failed.status().http_status() == 503);
  BOOST_TEST(total_load() == 0);
  auto sessions = store->list_sessions("failed", 10, "");
  BOOST_REQUIRE_EQUAL(sessions->sessions.size(), 1u);
  for (const store::ParticipantRecord& p : sessions->sessions[0].participants)
    BOOST_TEST(!p.active);
  // The delete by name first asked Twilio: nothing of that name existed, so nothing to do.
  BOOST_TEST(twilio.deletes == 0);
  BOOST_TEST(*store->outbox_size() == 0);
}

BOOST_AUTO_TEST_CASE(twilio_failing_a_participant_deletes_the_conversation) {
  twilio.fail_adds_after = 1;
  auto failed = service->create(request(addresses(12)));
  BOOST_TEST(failed.status().http_status() == 503);
  BOOST_TEST(twilio.conversations.empty());
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_delete_stays_in_the_outbox_until_twilio_answers) {
  // The create reached Twilio but its answer was lost: the conversation exists.
  twilio.fail_create = Status::unavailable("Twilio: 503", 20503);
  twilio.lose_create_answer = true;
  twilio.fail_delete = Status::unavailable("Twilio: 503", 20503);
  service->create(request({"+14155550201"}));
  BOOST_TEST(*store->outbox_size() == 1);
  BOOST_TEST(twilio.conversations.size() == 1u);
  BOOST_TEST(total_load() == 1);  // held while Twilio still has the conversation
  twilio.fail_delete.reset();
  clock.advance(std::chrono::seconds(1));
  BOOST_TEST(outbox->run_due() == 1u);
  BOOST_TEST(*store->outbox_size() == 0);
  BOOST_TEST(twilio.conversations.empty());
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(a_lost_create_answer_is_picked_up_by_unique_name) {
  // An earlier attempt created the conversation (with only the first participant) but its
  // answer never arrived; the retry finds it and completes it.
  CreateSessionRequest r = request({"+14155550201", "+14155550202"});
  r.unique_name = "order-7";
  twilio.conversations["CH7"] = {
      "CH7", "order-7", "active", {{"+14155550201", "+14155551100", ownership_marker("order-7")}}};
  auto session = service->create(r);
  BOOST_REQUIRE_MESSAGE(session.is_ok(), session.status().to_string());
  BOOST_TEST(session->conversation_sid == "CH7");
  BOOST_TEST(twilio.conversations.size() == 1u);
  BOOST_TEST(twilio.conversations["CH7"].participants.size() == 2u);
}

// Issue 10, defect 4: a conversation of that unique name that masked-comms did not make is
// never adopted: 409, nothing returned, and the rollback does not delete it at Twilio.
BOOST_AUTO_TEST_CASE(a_foreign_conversation_with_the_unique_name_is_not_adopted) {
  twilio.conversations["CH8"] = {
      "CH8", "order-8", "active", {{"+19995550000", "+19995550001", ""}}};
  CreateSessionRequest r = request({"+14155550201", "+14155550202"});
  r.unique_name = "order-8";
  auto session = service->create(r);
  BOOST_REQUIRE(!session.is_ok());
  BOOST_TEST(session.status().http_status() == 409);
  BOOST_TEST(session.status().api_code() == api_code::kUniqueNameTaken);
  outbox->run_due();
  BOOST_TEST(twilio.conversations.count("CH8") == 1u);
  BOOST_TEST(twilio.deletes == 0);
  BOOST_TEST(total_load() == 0);
  BOOST_TEST(service->get("order-8")->status == "failed");
  // A delete queued by name (a crash between reservation and create) spares it as well.
  BOOST_REQUIRE(store
                    ->transact([&](store::Transaction& tx) {
                      return tx.enqueue(outbox_kind::kDeleteConversation,
                                        R"({"conversation": "order-8", "session": "order-8"})",
                                        clock.now());
                    })
                    .is_ok());
  outbox->run_due();
  BOOST_TEST(twilio.conversations.count("CH8") == 1u);
}

// Issue 10, defect 3: a closed session's (address, proxy) pairs stay held until Twilio has
// deleted its conversation, so the next create never picks a pair Twilio still holds.
BOOST_AUTO_TEST_CASE(pairs_stay_held_until_twilio_confirms_the_delete) {
  FakeConversations::Conversation* held = nullptr;
  auto first = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_REQUIRE(first.is_ok());
  twilio.fail_delete = Status::unavailable("Twilio: 503", 20503);
  BOOST_REQUIRE(service->close(first->id, "api").is_ok());
  BOOST_TEST(twilio.conversations.size() == 1u);
  BOOST_TEST(total_load() == 2);  // still held: Twilio has not let go
  held = &twilio.conversations.begin()->second;
  auto second = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_REQUIRE(second.is_ok());
  for (const store::ParticipantRecord& p : second->participants) {
    for (const twilio::Binding& b : held->participants) {
      BOOST_TEST(!(p.address == b.address && p.proxy_number == b.proxy_address));
    }
  }
  twilio.fail_delete.reset();
  clock.advance(std::chrono::minutes(5));
  outbox->run_due();
  BOOST_TEST(twilio.conversations.size() == 1u);  // only the second session's
  BOOST_TEST(total_load() == 2);                  // only the second session's
}

// Issue 10, defect 12: the first ten participants' SIDs (which ConversationWithParticipants
// does not return) are fetched in the background.
BOOST_AUTO_TEST_CASE(participant_sids_are_filled_in_after_the_create) {
  auto session = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_REQUIRE(session.is_ok());
  outbox->run_due();
  auto stored = service->get(session->id);
  BOOST_REQUIRE(stored.is_ok());
  for (const store::ParticipantRecord& p : stored->participants) {
    BOOST_TEST(p.participant_sid.rfind("MB", 0) == 0u, p.address);
  }
}

// Issue 10, defects 8 and 12: ids stay within a URL-safe alphabet; the conversation SID a
// masked-communications-app client holds finds the session too; ids are random.
BOOST_AUTO_TEST_CASE(session_ids_are_url_safe_and_found_by_conversation_sid) {
  for (const char* name : {"..", ".", "a b", "a\tb", "a\nb", "a/b", "", "-x"}) {
    CreateSessionRequest r = request({"+14155550201"});
    r.unique_name = name;
    auto created = service->create(r);
    BOOST_TEST(created.status().http_status() == 400, name);
  }
  CreateSessionRequest r = request({"+14155550201"});
  r.unique_name = std::string(kMaxSessionIdLength + 1, 'a');
  BOOST_TEST(service->create(r).status().http_status() == 400);
  r.unique_name = "order-42.b:c@d_e";
  auto session = service->create(r);
  BOOST_REQUIRE_MESSAGE(session.is_ok(), session.status().to_string());
  auto by_sid = service->get(session->conversation_sid);
  BOOST_REQUIRE(by_sid.is_ok());
  BOOST_TEST(by_sid->id == "order-42.b:c@d_e");
  BOOST_TEST(service->close(session->conversation_sid, "api")->status == "closed");
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(new_session_id());
  BOOST_TEST(ids.size() == 1000u);
  BOOST_TEST(ids.begin()->size() == 34u);
}

// Issue 10, defect 2: a webhook's time never moves the last interaction past now.
// Issue 10, defect 13: a conversation deleted (or closed) directly at Twilio, with no webhook,
// closes its session at the next reconciliation round, and its numbers come free.
BOOST_AUTO_TEST_CASE(sessions_whose_conversation_vanished_at_twilio_are_closed) {
  auto removed = service->create(request({"+14155550201", "+14155550202"}));
  auto closed_there = service->create(request({"+14155550203"}));
  auto kept = service->create(request({"+14155550204"}));
  BOOST_REQUIRE(removed.is_ok() && closed_there.is_ok() && kept.is_ok());
  twilio.conversations.erase(removed->conversation_sid);
  twilio.conversations[closed_there->conversation_sid].state = "closed";
  BOOST_TEST(service->reconcile_with_twilio(10) == 2u);
  BOOST_TEST(service->get(removed->id)->closed_reason == "conversation-removed");
  BOOST_TEST(service->get(closed_there->id)->closed_reason == "conversation-closed");
  BOOST_TEST(service->get(kept->id)->status == "open");
  BOOST_TEST(total_load() == 1);  // only the kept session holds a number
  // A round costs one fetch per session it checks, and only live sessions are checked.
  const int fetches_before = twilio.fetches;
  BOOST_TEST(service->reconcile_with_twilio(0) == 0u);
  BOOST_TEST(service->reconcile_with_twilio(5) == 0u);
  BOOST_TEST(twilio.fetches == fetches_before + 1);
}

BOOST_AUTO_TEST_CASE(interactions_from_the_future_count_as_now) {
  auto session = service->create(request({"+14155550201"}));
  BOOST_REQUIRE(session.is_ok());
  BOOST_REQUIRE(
      service->record_interaction(session->id, clock.now() + std::chrono::hours(24 * 365)).is_ok());
  BOOST_TEST((*service->get(session->id)->last_interaction_at <= clock.now()));
}

BOOST_AUTO_TEST_CASE(closing_releases_numbers_deletes_the_conversation_and_fires_the_hook) {
  auto session = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_REQUIRE(session.is_ok());
  auto closed = service->close(session->id, "api");
  BOOST_REQUIRE(closed.is_ok());
  BOOST_TEST(closed->status == "closed");
  BOOST_TEST(closed->closed_reason == "api");
  BOOST_TEST(total_load() == 0);
  BOOST_TEST(twilio.conversations.empty());
  BOOST_REQUIRE_EQUAL(closed_events.size(), 1u);
  BOOST_TEST(closed_events[0].session_id == session->id);
  BOOST_TEST(closed_events[0].reason == "api");
  BOOST_TEST(service->close(session->id, "api").is_ok());  // idempotent
  BOOST_TEST(closed_events.size() == 1u);
  BOOST_TEST(service->close("KCnope", "api").status().http_status() == 404);
  // The pairs are free again.
  BOOST_TEST(service->create(request({"+14155550201", "+14155550202"})).is_ok());
}

BOOST_AUTO_TEST_CASE(conversation_closed_at_twilio_closes_the_session) {
  auto session = service->create(request({"+14155550201"}));
  auto closed = service->close_for_conversation(session->conversation_sid, "conversation-closed");
  BOOST_REQUIRE(closed.is_ok());
  BOOST_REQUIRE(closed->has_value());
  BOOST_TEST((*closed)->closed_reason == "conversation-closed");
  BOOST_TEST(!service->close_for_conversation("CHunknown", "x")->has_value());
}

BOOST_AUTO_TEST_CASE(ttl_counts_from_the_last_interaction) {
  CreateSessionRequest r = request({"+14155550201"});
  r.ttl_seconds = 60;
  auto session = service->create(r);
  BOOST_REQUIRE(session.is_ok());
  clock.advance(std::chrono::seconds(50));
  BOOST_REQUIRE(service->record_interaction(session->id, clock.now()).is_ok());
  BOOST_TEST(service->get(session->id)->status == "in-progress");
  clock.advance(std::chrono::seconds(50));  // 100 s after creation, 50 after the message
  BOOST_TEST(service->expire_due() == 0u);
  clock.advance(std::chrono::seconds(11));
  BOOST_TEST(service->expire_due() == 1u);
  auto expired = service->get(session->id);
  BOOST_TEST(expired->status == "closed");
  BOOST_TEST(expired->closed_reason == "ttl");
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(date_expiry_closes_on_time) {
  CreateSessionRequest r = request({"+14155550201"});
  r.date_expiry = clock.now() + std::chrono::minutes(5);
  auto session = service->create(r);
  clock.advance(std::chrono::minutes(5) + std::chrono::seconds(1));
  BOOST_TEST(service->expire_due() == 1u);
  BOOST_TEST(service->get(session->id)->closed_reason == "expired");
}

BOOST_AUTO_TEST_CASE(a_create_the_recovery_sweep_gave_up_on_deletes_its_late_conversation) {
  // Twilio is so slow that the sweep rolls the session back before the create answers.
  size_t rolled_back = 0;
  twilio.before_create = [&] {
    clock.advance(std::chrono::seconds(61));
    rolled_back = service->recover_stuck();
  };
  auto session = service->create(request({"+14155550201", "+14155550202"}));
  BOOST_TEST(rolled_back == 1u);
  BOOST_TEST(session.status().http_status() == 503);
  BOOST_TEST(session.status().message().find("rolled back") != std::string::npos);
  const auto page = store->list_sessions("", 10, "");
  BOOST_REQUIRE_EQUAL(page->sessions.size(), 1u);
  BOOST_TEST(page->sessions[0].status == "failed");
  BOOST_TEST(total_load() == 0);
  BOOST_TEST(twilio.creates == 1);
  BOOST_TEST(twilio.conversations.empty());  // the late conversation was deleted at once
  BOOST_TEST(*store->outbox_size() == 0);
}

BOOST_AUTO_TEST_CASE(recovery_finishes_or_rolls_back_sessions_left_creating) {
  // Two sessions reserved by a worker that died before finishing: one had its conversation
  // made at Twilio, the other not.
  for (const std::string& id : {std::string("KCdone"), std::string("KClost")}) {
    BOOST_REQUIRE(store
                      ->transact([&](store::Transaction& tx) -> Status {
                        store::SessionRecord s;
                        s.id = id;
                        s.created_at = s.updated_at = clock.now();
                        if (Status st = tx.insert_session(s); !st) return st;
                        store::ParticipantRecord p;
                        p.session_id = id;
                        p.address = id == "KCdone" ? "+14155550201" : "+14155550202";
                        p.proxy_number = "+14155551100";
                        p.created_at = clock.now();
                        return tx.add_participant(p);
                      })
                      .is_ok());
  }
  twilio.conversations["CH1"] = {
      "CH1", "KCdone", "active", {{"+14155550201", "+14155551100", ownership_marker("KCdone")}}};
  BOOST_TEST(service->recover_stuck() == 0u);  // too young: their creator may still be at it
  clock.advance(std::chrono::seconds(61));
  BOOST_TEST(service->recover_stuck() == 2u);
  BOOST_TEST(service->get("KCdone")->status == "open");
  BOOST_TEST(service->get("KCdone")->conversation_sid == "CH1");
  // The participants recovery listed give their SIDs at once, with no second fetch.
  auto done = service->get("KCdone");
  BOOST_REQUIRE(done.is_ok());
  BOOST_TEST(done->participants.at(0).participant_sid.rfind("MB", 0) == 0u);
  BOOST_TEST(*store->outbox_size() == 0);
  BOOST_TEST(service->get("KClost")->status == "failed");
  BOOST_TEST(total_load() == 1);  // only KCdone's participant still holds a number
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sessions
