// Participants joining and leaving a live session one at a time (the Proxy API's way), on
// both ledgers: the number is chosen like create()'s, Twilio's refusal leaves nothing held,
// a removed participant's pair stays held until Twilio has let go, and concurrent joins of
// one session run one after another; a closed session re-opens with its pairs unless one is
// taken meanwhile.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <map>
#include <thread>

#include "session_fixture.h"

namespace mc::sessions {
namespace {

using Fixture = testing::SessionFixture;

const std::string kAna = "+14155550301";
const std::string kBen = "+14155550302";

// A session with nobody in it yet, as the Proxy API creates one.
std::string empty_session(Fixture& f, bool with_conversation = true) {
  CreateSessionRequest r;
  r.min_participants = 0;
  r.with_conversation = with_conversation;
  if (!with_conversation) r.mode = "voice-only";
  auto created = f.service->create(r);
  BOOST_REQUIRE_MESSAGE(created.is_ok(), created.status().to_string());
  return created->id;
}

AddParticipantRequest joining(const std::string& address) {
  AddParticipantRequest r;
  r.address = address;
  return r;
}

size_t active_participants(Fixture& f, const std::string& id) {
  auto session = f.service->get(id);
  BOOST_REQUIRE(session.is_ok());
  size_t active = 0;
  for (const store::ParticipantRecord& p : session->participants) active += p.active;
  return active;
}

BOOST_FIXTURE_TEST_SUITE(session_membership, Fixture)

BOOST_AUTO_TEST_CASE(participants_join_a_live_session_and_its_conversation_one_by_one) {
  const std::string id = empty_session(*this);
  BOOST_TEST(service->get(id)->status == "open");
  auto ana = service->add_participant(id, joining(kAna));
  BOOST_REQUIRE_MESSAGE(ana.is_ok(), ana.status().to_string());
  auto ben = service->add_participant(id, joining(kBen));
  BOOST_REQUIRE(ben.is_ok());
  BOOST_TEST(ana->proxy_number.rfind("+1415555", 0) == 0);  // selection as for create()
  BOOST_TEST(twilio.adds == 2);
  BOOST_TEST(twilio.conversations.begin()->second.participants.size() == 2u);
  BOOST_TEST(total_load() == 2);
  BOOST_TEST(!ben->participant_sid.empty());

  auto again = service->add_participant(id, joining(kAna));
  BOOST_TEST(again.status().api_code() == api_code::kAlreadyParticipant);
  auto bad = service->add_participant(id, joining("+1415555"));
  BOOST_TEST(bad.status().code() == StatusCode::kInvalidArgument);
  BOOST_REQUIRE(service->close(id, "api").is_ok());
  auto late = service->add_participant(id, joining("+14155550303"));
  BOOST_TEST(late.status().api_code() == api_code::kSessionClosed);
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(twilio_refusing_a_participant_leaves_nothing_held) {
  const std::string id = empty_session(*this);
  twilio.fail_adds_after = 0;
  bool undone = false;
  AddParticipantRequest r = joining(kAna);
  r.undo = [&](store::Transaction&, const store::ParticipantRecord& p) {
    undone = p.address == kAna;
    return Status::ok();
  };
  auto added = service->add_participant(id, r);
  BOOST_TEST(added.status().code() == StatusCode::kUnavailable);
  BOOST_TEST(undone);
  BOOST_TEST(total_load() == 0);
  BOOST_TEST(active_participants(*this, id) == 0u);
}

BOOST_AUTO_TEST_CASE(the_callers_refusal_undoes_the_reservation) {
  const std::string id = empty_session(*this);
  AddParticipantRequest r = joining(kAna);
  r.also_write = [](store::Transaction&, const store::ParticipantRecord&) {
    return Status::invalid_argument("no room", 80609);
  };
  BOOST_TEST(service->add_participant(id, r).status().api_code() == 80609);
  BOOST_TEST(total_load() == 0);
  BOOST_TEST(twilio.adds == 0);  // refused before Twilio was asked
}

BOOST_AUTO_TEST_CASE(a_removed_participant_keeps_its_pair_until_twilio_lets_go) {
  const std::string id = empty_session(*this);
  BOOST_REQUIRE(service->add_participant(id, joining(kAna)).is_ok());
  BOOST_REQUIRE(service->add_participant(id, joining(kBen)).is_ok());
  twilio.fail_remove = Status::unavailable("Twilio: 503", 20503);
  bool marked = false;
  auto removed = service->remove_participant(id, kBen, [&](store::Transaction&) {
    marked = true;
    return Status::ok();
  });
  BOOST_REQUIRE(removed.is_ok());
  BOOST_TEST(*removed);
  BOOST_TEST(marked);
  BOOST_TEST(twilio.removes >= 1);
  BOOST_TEST(total_load() == 2);  // Twilio still has Ben's pair
  twilio.fail_remove.reset();
  clock.advance(std::chrono::minutes(10));
  outbox->run_due();
  BOOST_TEST(total_load() == 1);
  BOOST_TEST(twilio.conversations.begin()->second.participants.size() == 1u);
  BOOST_TEST(active_participants(*this, id) == 1u);
  // Removing someone who is not (or no longer) a participant changes nothing.
  BOOST_TEST(!*service->remove_participant(id, kBen));
}

BOOST_AUTO_TEST_CASE(a_session_without_a_conversation_needs_nothing_from_twilio) {
  const std::string id = empty_session(*this, false);
  BOOST_TEST(service->get(id)->status == "open");
  BOOST_TEST(service->get(id)->conversation_sid.empty());
  BOOST_REQUIRE(service->add_participant(id, joining(kAna)).is_ok());
  BOOST_TEST(*service->remove_participant(id, kAna));
  BOOST_TEST(total_load() == 0);  // released at once
  BOOST_TEST(twilio.creates == 0);
  BOOST_TEST(twilio.adds == 0);
}

BOOST_AUTO_TEST_CASE(concurrent_joins_of_one_session_run_one_after_another) {
  const std::string id = empty_session(*this);
  // The caller's limit of two, checked in the join's own transaction: only the session's
  // lock keeps six joins at once from all seeing room (PostgreSQL runs them side by side).
  std::atomic<int> joined{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      AddParticipantRequest r = joining("+1415555040" + std::to_string(i));
      r.also_write = [&](store::Transaction& tx, const store::ParticipantRecord&) -> Status {
        auto session = tx.session(id);
        if (!session) return session.status();
        size_t active = 0;
        for (const store::ParticipantRecord& p : (*session)->participants) active += p.active;
        return active <= 2 ? Status::ok() : Status::invalid_argument("full", 80609);
      };
      auto added = service->add_participant(id, r);
      (added ? joined : refused)++;
    });
  }
  for (std::thread& t : threads) t.join();
  BOOST_TEST(joined.load() == 2);
  BOOST_TEST(refused.load() == 4);
  BOOST_TEST(active_participants(*this, id) == 2u);
  BOOST_TEST(total_load() == 2);
}

BOOST_AUTO_TEST_CASE(a_live_sessions_expiry_changes_and_a_closed_ones_does_not) {
  const std::string id = empty_session(*this);
  auto updated = service->set_expiry(id, 600, std::nullopt);
  BOOST_REQUIRE(updated.is_ok());
  BOOST_TEST(updated->ttl_seconds.value_or(0) == 600);
  BOOST_REQUIRE(updated->expires_at.has_value());
  BOOST_TEST((*updated->expires_at == clock.now() + std::chrono::seconds(600)));
  const TimePoint fixed = clock.now() + std::chrono::hours(2);
  BOOST_TEST((*service->set_expiry(id, 600, fixed)->expires_at == fixed));  // DateExpiry wins
  BOOST_TEST(!service->set_expiry(id, std::nullopt, std::nullopt)->expires_at.has_value());
  clock.advance(std::chrono::hours(3));
  BOOST_TEST(service->expire_due() == 0u);  // nothing due any more
  BOOST_REQUIRE(service->close(id, "api").is_ok());
  BOOST_TEST(service->set_expiry(id, 60, std::nullopt).status().api_code() ==
             api_code::kSessionClosed);
}

BOOST_AUTO_TEST_CASE(a_closed_session_reopens_with_its_pairs_and_a_new_conversation) {
  auto created = service->create(request({kAna, kBen}));
  BOOST_REQUIRE(created.is_ok());
  const std::string id = created->id;
  const std::string first_conversation = created->conversation_sid;
  std::map<std::string, std::string> proxies;
  for (const store::ParticipantRecord& p : created->participants)
    proxies[p.address] = p.proxy_number;
  // While Twilio still holds the closed conversation, the pairs are held: not yet.
  twilio.fail_delete = Status::unavailable("Twilio: 503", 20503);
  BOOST_REQUIRE(service->close(id, "api").is_ok());
  auto early = service->reopen(id, {kAna, kBen});
  BOOST_TEST(early.status().code() == StatusCode::kUnavailable);
  twilio.fail_delete.reset();
  clock.advance(std::chrono::minutes(10));
  outbox->run_due();
  BOOST_REQUIRE(total_load() == 0);

  auto reopened = service->reopen(id, {kAna, kBen});
  BOOST_REQUIRE_MESSAGE(reopened.is_ok(), reopened.status().to_string());
  BOOST_TEST(reopened->status == "open");
  BOOST_TEST(reopened->closed_reason == "");
  BOOST_TEST(!reopened->closed_at.has_value());
  BOOST_TEST(!reopened->conversation_sid.empty());
  BOOST_TEST(reopened->conversation_sid != first_conversation);
  BOOST_TEST(twilio.creates == 2);
  BOOST_TEST(active_participants(*this, id) == 2u);
  for (const store::ParticipantRecord& p : reopened->participants) {
    if (p.active) BOOST_TEST(p.proxy_number == proxies[p.address]);
  }
  BOOST_TEST(total_load() == 2);
  auto ana = store->active_binding(kAna, proxies[kAna]);
  BOOST_REQUIRE(ana.is_ok() && ana->has_value());
  BOOST_TEST((*ana)->session_id == id);
  // Re-opening a live session changes nothing.
  BOOST_TEST(service->reopen(id, {kAna, kBen})->conversation_sid == reopened->conversation_sid);
}

BOOST_AUTO_TEST_CASE(a_pair_taken_meanwhile_refuses_the_reopen_and_changes_nothing) {
  auto created = service->create(request({kAna, kBen}));
  BOOST_REQUIRE(created.is_ok());
  const std::string id = created->id;
  std::string ana_proxy;
  for (const store::ParticipantRecord& p : created->participants) {
    if (p.address == kAna) ana_proxy = p.proxy_number;
  }
  BOOST_REQUIRE(service->close(id, "api").is_ok());
  BOOST_REQUIRE(total_load() == 0);
  CreateSessionRequest other = request({kAna, "+14155550309"});
  other.proxy_addresses[kAna] = ana_proxy;
  BOOST_REQUIRE(service->create(other).is_ok());

  auto refused = service->reopen(id, {kAna, kBen});
  BOOST_TEST(refused.status().code() == StatusCode::kFailedPrecondition);
  BOOST_TEST(refused.status().api_code() == api_code::kReopenConflict);
  BOOST_TEST(service->get(id)->status == "closed");
  BOOST_TEST(active_participants(*this, id) == 0u);
  BOOST_TEST(total_load() == 2);  // the other session's only
  BOOST_TEST(twilio.creates == 2);
}

BOOST_AUTO_TEST_CASE(
    twilio_refusing_the_new_conversation_leaves_the_session_failed_holding_nothing) {
  auto created = service->create(request({kAna, kBen}));
  BOOST_REQUIRE(created.is_ok());
  BOOST_REQUIRE(service->close(created->id, "api").is_ok());
  BOOST_REQUIRE(total_load() == 0);
  twilio.fail_create = Status::unavailable("Twilio: 503", 20503);
  auto refused = service->reopen(created->id, {kAna, kBen});
  BOOST_TEST(refused.status().code() == StatusCode::kUnavailable);
  twilio.fail_create.reset();
  BOOST_TEST(service->get(created->id)->status == "failed");
  BOOST_TEST(active_participants(*this, created->id) == 0u);
  BOOST_TEST(total_load() == 0);
}

BOOST_AUTO_TEST_CASE(a_voice_only_session_reopens_without_twilio) {
  const std::string id = empty_session(*this, false);
  BOOST_REQUIRE(service->add_participant(id, joining(kAna)).is_ok());
  BOOST_REQUIRE(service->close(id, "api").is_ok());
  auto reopened = service->reopen(id, {kAna});
  BOOST_REQUIRE(reopened.is_ok());
  BOOST_TEST(reopened->status == "open");
  BOOST_TEST(active_participants(*this, id) == 1u);
  BOOST_TEST(twilio.creates == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sessions
