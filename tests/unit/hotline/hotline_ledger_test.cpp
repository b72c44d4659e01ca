// The hotline's ledger on a real SQLite file or PostgreSQL database (the executable runs
// once per backend): its number set aside from selection, one winner among simultaneous
// claims of a call or a text thread, the call's end found exactly once when its last legs
// end together, and legs recorded late released in the same commit.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "hotline/call_ledger.h"
#include "hotline/hotline_directory.h"
#include "hotline/thread_ledger.h"
#include "store/sql/runner.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::hotline {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);
const std::string kLine = "+14155550100";
const std::string kOther = "+14155550101";
const std::string kCaller = "+12125550111";

struct Fixture {
  Fixture() {
    auto opened = ledger.open();
    BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.status().to_string());
    store = std::move(opened).value();
    std::vector<store::PoolNumber> numbers;
    for (const std::string& n : {kLine, kOther}) {
      store::PoolNumber number;
      number.number = n;
      number.country = "US";
      number.area_code = "415";
      numbers.push_back(number);
    }
    BOOST_REQUIRE(store->sync_pool(numbers, true).is_ok());
    runner = store->sql_runner();
    BOOST_REQUIRE(runner != nullptr);
    directory = std::make_unique<HotlineDirectory>(*runner);
    calls = std::make_unique<CallLedger>(*runner);
    threads = std::make_unique<ThreadLedger>(*runner);
  }

  HotlineRecord hotline(const std::string& id, const std::string& number) {
    HotlineRecord h;
    h.id = id;
    h.number = number;
    h.settings = "{}";
    h.created_at = h.updated_at = kNow;
    for (const char* m : {"+13125550001", "+13125550002", "+13125550003"}) {
      h.members.push_back({m, "", false, kNow});
    }
    return h;
  }
  // A ringing call on hotline HL1 with `legs` legs recorded (CA<call>-<i>).
  std::string ringing_call(const std::string& call_sid, int legs) {
    HotlineCall call;
    call.call_sid = call_sid;
    call.hotline_id = "HL1";
    call.caller = kCaller;
    call.created_at = kNow;
    call.ring_deadline = kNow + std::chrono::seconds(40);
    BOOST_REQUIRE(*calls->start(call));
    for (int i = 0; i < legs; ++i) {
      auto cancelled =
          calls->record_leg({leg(call_sid, i), call_sid, "+1312555000" + std::to_string(i + 1),
                             "ringing", kNow, kNow});
      BOOST_REQUIRE(cancelled.is_ok());
      BOOST_TEST(!*cancelled);
    }
    BOOST_REQUIRE(calls->legs_done(call_sid, legs).is_ok());
    return call_sid;
  }
  static std::string leg(const std::string& call_sid, int i) {
    return call_sid + "-" + std::to_string(i);
  }
  int64_t outbox_size() { return *store->outbox_size(); }

  testing::TempDir dir{"mc-hotline"};  // first: outlives the store's threads
  testing::TestLedger ledger{dir.path()};
  std::unique_ptr<store::Store> store;
  store::sql::Runner* runner = nullptr;
  std::unique_ptr<HotlineDirectory> directory;
  std::unique_ptr<CallLedger> calls;
  std::unique_ptr<ThreadLedger> threads;
  const LegRelease release{"<Response><Say>taken</Say></Response>"};
};

BOOST_FIXTURE_TEST_SUITE(hotline_ledger, Fixture)

BOOST_AUTO_TEST_CASE(a_hotline_sets_its_number_aside_until_it_is_deleted) {
  BOOST_REQUIRE(directory->create(hotline("HL1", kLine)).is_ok());
  BOOST_TEST((*store->pool_number(kLine))->set_aside);
  // Selection's view: a set-aside number is never a candidate.
  Status seen = store->transact([&](store::Transaction& tx) -> Status {
    auto candidates = tx.least_loaded(pool::Tier{"US", "", "", ""}, 10);
    if (!candidates) return candidates.status();
    BOOST_TEST(candidates->size() == 1u);
    BOOST_TEST(candidates->at(0).number == kOther);
    auto line = tx.candidate(kLine);
    if (!line) return line.status();
    BOOST_TEST((*line)->retired);
    return Status::ok();
  });
  BOOST_REQUIRE(seen.is_ok());
  const Status again = directory->create(hotline("HL2", kLine));
  BOOST_TEST(again.code() == StatusCode::kInvalidArgument);
  BOOST_TEST(again.message().find("already a hotline") != std::string::npos);
  BOOST_TEST(!(*directory->find("HL2")).has_value());
  const Status unknown = directory->create(hotline("HL3", "+14155550199"));
  BOOST_TEST(unknown.message().find("not in the pool") != std::string::npos);
  BOOST_TEST(*directory->remove("HL1", kNow));
  BOOST_TEST(!(*store->pool_number(kLine))->set_aside);
  BOOST_TEST(!(*directory->find_by_number(kLine)).has_value());
  BOOST_REQUIRE(directory->create(hotline("HL4", kLine)).is_ok());  // the number is free again
}

BOOST_AUTO_TEST_CASE(a_number_held_by_a_session_cannot_become_a_hotline) {
  Status held = store->transact([&](store::Transaction& tx) -> Status {
    store::SessionRecord session;
    session.id = "KC1";
    session.status = store::status::kOpen;
    session.created_at = session.updated_at = kNow;
    if (Status s = tx.insert_session(session); !s) return s;
    store::ParticipantRecord p;
    p.session_id = "KC1";
    p.address = kCaller;
    p.proxy_number = kOther;
    p.created_at = kNow;
    return tx.add_participant(p);
  });
  BOOST_REQUIRE_MESSAGE(held.is_ok(), held.to_string());
  const Status refused = directory->create(hotline("HL1", kOther));
  BOOST_TEST(refused.code() == StatusCode::kInvalidArgument);
  BOOST_TEST(refused.message().find("session") != std::string::npos);
  BOOST_TEST(!(*store->pool_number(kOther))->set_aside);
}

BOOST_AUTO_TEST_CASE(exactly_one_of_many_simultaneous_claims_wins) {
  BOOST_REQUIRE(directory->create(hotline("HL1", kLine)).is_ok());
  constexpr int kClaimers = 8;
  for (int round = 0; round < 30; ++round) {
    const std::string call = ringing_call("CA" + std::to_string(round), kClaimers);
    const int64_t queued_before = outbox_size();
    std::atomic<int> winners{0}, losers{0}, ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClaimers; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready < kClaimers) std::this_thread::yield();
        auto claim =
            calls->claim(call, leg(call, i), "+1312555000" + std::to_string(i), kNow, release);
        if (!claim) return;
        ++(claim->won ? winners : losers);
      });
    }
    for (std::thread& t : threads) t.join();
    BOOST_TEST(winners == 1, "round " << round);
    BOOST_TEST(losers == kClaimers - 1, "round " << round);
    // The other legs, still ringing, are cancelled: queued in the winner's commit.
    BOOST_TEST(outbox_size() - queued_before == kClaimers - 1, "round " << round);
    BOOST_TEST((*calls->find(call))->status == call_status::kConnected);
  }
}

BOOST_AUTO_TEST_CASE(the_last_legs_ending_together_find_nobody_left_exactly_once) {
  BOOST_REQUIRE(directory->create(hotline("HL1", kLine)).is_ok());
  constexpr int kLegs = 3;
  for (int round = 0; round < 30; ++round) {
    const std::string call = ringing_call("CA" + std::to_string(round), kLegs);
    std::atomic<int> nobody_left{0}, ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kLegs; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready < kLegs) std::this_thread::yield();
        auto last = calls->leg_status(call, leg(call, i), "", "no-answer", kNow);
        if (last && *last) ++nobody_left;
      });
    }
    for (std::thread& t : threads) t.join();
    BOOST_TEST(nobody_left == 1, "round " << round);
  }
}

BOOST_AUTO_TEST_CASE(a_leg_recorded_after_the_claim_is_cancelled_in_the_same_commit) {
  BOOST_REQUIRE(directory->create(hotline("HL1", kLine)).is_ok());
  HotlineCall call;
  call.call_sid = "CA1";
  call.hotline_id = "HL1";
  call.caller = kCaller;
  call.created_at = kNow;
  call.ring_deadline = kNow;
  BOOST_REQUIRE(*calls->start(call));
  BOOST_TEST(!*calls->start(call));  // a retried webhook writes nothing
  // The winner answers before the dialling thread recorded any leg.
  auto claim = calls->claim("CA1", "CA1-w", "+13125550001", kNow, release);
  BOOST_REQUIRE(claim.is_ok());
  BOOST_TEST(claim->won);
  BOOST_TEST(outbox_size() == 0);
  BOOST_TEST(!*calls->record_leg({"CA1-w", "CA1", "+13125550001", "queued", kNow, kNow}));
  BOOST_TEST(*calls->record_leg({"CA1-late", "CA1", "+13125550002", "queued", kNow, kNow}));
  BOOST_TEST(outbox_size() == 1);
  // A retried answer of the winner still wins; anyone else loses.
  BOOST_TEST(calls->claim("CA1", "CA1-w", "+13125550001", kNow, release)->won);
  BOOST_TEST(!calls->claim("CA1", "CA1-late", "+13125550002", kNow, release)->won);
  // The call ends; the no-answer path can no longer run.
  BOOST_TEST((*calls->caller_ended("CA1", 42, kNow, release)).value_or("") == "completed");
  BOOST_TEST(!*calls->end_ringing("CA1", call_status::kNoAnswer, kNow, release, "<Response/>"));
  BOOST_TEST(!(*calls->caller_ended("CA-not-a-hotline-call", 1, kNow, release)).has_value());
}

BOOST_AUTO_TEST_CASE(one_of_many_simultaneous_replies_claims_a_thread) {
  BOOST_REQUIRE(directory->create(hotline("HL1", kLine)).is_ok());
  const auto no_texts = [](const TextThread&, bool) { return std::vector<OutgoingText>{}; };
  auto thread =
      threads->texter_wrote("HL1", kCaller, "help", kNow, std::chrono::hours(1), no_texts);
  BOOST_REQUIRE(thread.is_ok());
  auto same = threads->texter_wrote("HL1", kCaller, "still there?", kNow, std::chrono::hours(1),
                                    [](const TextThread&, bool opened) {
                                      BOOST_TEST(!opened);
                                      return std::vector<OutgoingText>{};
                                    });
  BOOST_TEST(same->id == thread->id);
  constexpr int kMembers = 6;
  std::atomic<int> claimed{0}, delivered{0}, ready{0};
  std::vector<std::thread> repliers;
  for (int i = 0; i < kMembers; ++i) {
    repliers.emplace_back([&, i] {
      ++ready;
      while (ready < kMembers) std::this_thread::yield();
      auto reply = threads->member_replied(
          "HL1", thread->id, "+1312555000" + std::to_string(i), "on it", kNow,
          [](const ThreadLedger::Reply& r) {
            return std::vector<OutgoingText>{{"from", "to", r.delivered ? "reply" : "taken"}};
          });
      if (!reply) return;
      if (reply->claimed_now) ++claimed;
      if (reply->delivered) ++delivered;
    });
  }
  for (std::thread& t : repliers) t.join();
  BOOST_TEST(claimed == 1);
  BOOST_TEST(delivered == 1);
  BOOST_TEST(outbox_size() == kMembers);  // one reply sent on, five told it was taken
  auto listed = threads->list("HL1", 10);
  BOOST_REQUIRE(listed.is_ok());
  BOOST_TEST(listed->at(0).messages.size() == 3u);  // two from the texter, the winner's reply
  // Idle past the limit: the texter's next text opens a new thread.
  auto later = threads->texter_wrote("HL1", kCaller, "new problem", kNow + std::chrono::hours(2),
                                     std::chrono::hours(1), no_texts);
  BOOST_TEST(later->id != thread->id);
  BOOST_TEST(later->claimed_by.empty());
}

BOOST_AUTO_TEST_CASE(thread_labels_read_back) {
  for (int64_t id : {1, 35, 36, 1295, 1296, 123456789}) {
    BOOST_TEST(thread_id_of_label(thread_label(id)).value_or(-1) == id);
  }
  BOOST_TEST(thread_label(71) == "#1Z");
  BOOST_TEST(thread_id_of_label("#1z").value_or(-1) == 71);
  BOOST_TEST(!thread_id_of_label("#").has_value());
  BOOST_TEST(!thread_id_of_label("1Z").has_value());
  BOOST_TEST(!thread_id_of_label("#1-2").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::hotline
