// The session service on a real ledger (SQLite or PostgreSQL, support/test_ledger.h) with
// an in-memory Conversations API and a fake clock; outbox items run as soon as they are
// queued. Shared by the session service's test files.
#pragma once

#include <boost/test/unit_test.hpp>

#include "fake_conversations.h"
#include "fakes/fake_clock.h"
#include "sessions/session_service.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::sessions::testing {

struct SessionFixture {
  explicit SessionFixture(int pool_size = 6) {
    store = std::move(ledger.open()).value();
    std::vector<store::PoolNumber> numbers;
    for (int i = 0; i < pool_size; ++i) {
      auto info = geography.describe("+1415555" + std::to_string(1100 + i));
      store::PoolNumber n;
      n.number = info->e164;
      n.country = info->country;
      n.area_code = info->area_code;
      n.region = info->region;
      numbers.push_back(n);
    }
    BOOST_REQUIRE(store->sync_pool(numbers, true).is_ok());
    config.creating_timeout = std::chrono::seconds(60);
    outbox = std::make_unique<Outbox>(*store, clock, std::chrono::seconds(60));
    // The worker's Housekeeper runs woken items on its own thread at once; here they run
    // inside wake(), so each test sees them done when the call returns.
    outbox->set_wake([this] { outbox->run_due(); });
    service = std::make_unique<SessionService>(*store, twilio, geography, pool::SelectionPolicy{},
                                               clock, hooks, *outbox, config);
    service->register_outbox_handlers();
    hooks.session_closed.add(
        [this](const SessionClosedEvent& event) { closed_events.push_back(event); });
  }

  CreateSessionRequest request(std::vector<std::string> addresses) {
    CreateSessionRequest r;
    r.addresses = std::move(addresses);
    r.conversation = {{"FriendlyName", "Order 42"}};
    return r;
  }
  static std::vector<std::string> addresses(int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back("+1212555" + std::to_string(2000 + i));
    return out;
  }
  int total_load() {
    int load = 0;
    const auto numbers = store->pool_numbers();
    for (const store::PoolNumber& n : *numbers) load += n.load;
    return load;
  }

  mc::testing::TempDir directory{"mc-sessions"};  // first: outlives the store's threads
  mc::testing::TestLedger ledger{directory.path()};
  std::unique_ptr<store::Store> store;
  pool::Geography geography;
  FakeConversations twilio;
  mc::testing::FakeClock clock;
  Hooks hooks;
  SessionsConfig config;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<SessionService> service;
  std::vector<SessionClosedEvent> closed_events;
};

}  // namespace mc::sessions::testing
