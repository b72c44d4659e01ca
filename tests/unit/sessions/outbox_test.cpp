// The outbox over a real ledger (SQLite or PostgreSQL): items are carried out concurrently,
// each one's outcome is recorded on its own, and one added on its own is run when due.
#include "sessions/outbox.h"

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <mutex>

#include "fakes/fake_clock.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::sessions {
namespace {

struct OutboxFixture {
  OutboxFixture() { store = std::move(ledger.open()).value(); }
  void enqueue(const std::string& kind, int count) {
    for (int i = 0; i < count; ++i) {
      BOOST_REQUIRE(store
                        ->transact([&](store::Transaction& tx) {
                          return tx.enqueue(kind, "{\"n\":" + std::to_string(i) + "}", clock.now());
                        })
                        .is_ok());
    }
  }
  int64_t pending() {
    auto size = store->outbox_size();
    return size.is_ok() ? *size : -1;
  }

  testing::TempDir directory{"mc-outbox"};
  testing::TestLedger ledger{directory.path()};
  testing::FakeClock clock;
  std::unique_ptr<store::Store> store;
};

BOOST_FIXTURE_TEST_SUITE(outbox, OutboxFixture)

// Found measuring session creates (issue 9): one after another, at 50 ms a Twilio request,
// a worker drained about 20 items a second, so a burst of creates left thousands of
// record-participant-sids items that every close waited behind.
BOOST_AUTO_TEST_CASE(due_items_are_carried_out_concurrently) {
  Outbox box(*store, clock, std::chrono::seconds(60), 4);
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0;
  int most = 0;
  box.handle("slow", [&](const Json::Value&) {
    std::unique_lock lock(mutex);
    most = std::max(most, ++in_flight);
    changed.notify_all();
    // Four at once, as a Twilio round trip each would be; run one after another they never
    // are, and each gives up after the wait.
    changed.wait_for(lock, std::chrono::seconds(2), [&] { return most >= 4; });
    --in_flight;
    return Status::ok();
  });
  enqueue("slow", 8);
  BOOST_TEST(box.run_due(20) == 8u);
  BOOST_TEST(most == 4);
  BOOST_TEST(pending() == 0);
}

BOOST_AUTO_TEST_CASE(a_failing_item_is_rescheduled_while_the_others_complete) {
  Outbox box(*store, clock, std::chrono::seconds(60), 4);
  box.handle("job", [](const Json::Value& payload) {
    return payload["n"].asInt() == 2 ? Status::unavailable("Twilio: 503") : Status::ok();
  });
  enqueue("job", 6);
  BOOST_TEST(box.run_due(20) == 5u);
  BOOST_TEST(pending() == 1);
  BOOST_TEST(box.run_due(20) == 0u);  // not due again before its retry delay
  clock.advance(box.retry_delay(0));
  box.handle("job", [](const Json::Value&) { return Status::ok(); });
  BOOST_TEST(box.run_due(20) == 1u);
  BOOST_TEST(pending() == 0);
}

BOOST_AUTO_TEST_CASE(an_item_added_on_its_own_runs_at_once_when_due_and_later_when_not) {
  Outbox box(*store, clock, std::chrono::seconds(60));
  box.set_wake([&box] { box.run_due(); });  // as the housekeeper does, but inline
  std::vector<int> done;
  box.handle("job", [&](const Json::Value& payload) {
    done.push_back(payload["n"].asInt());
    return Status::ok();
  });
  Json::Value now(Json::objectValue), later(Json::objectValue);
  now["n"] = 1;
  later["n"] = 2;
  BOOST_REQUIRE(box.add("job", now, clock.now()).is_ok());
  BOOST_REQUIRE(box.add("job", later, clock.now() + std::chrono::seconds(5)).is_ok());
  BOOST_TEST(done == std::vector<int>{1});  // woken for the due one only
  BOOST_TEST(pending() == 1);
  clock.advance(std::chrono::seconds(5));
  BOOST_TEST(box.run_due() == 1u);
  BOOST_TEST((done == std::vector<int>{1, 2}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sessions
