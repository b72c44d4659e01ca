// The Proxy API's ledger on a real SQLite file or PostgreSQL database: one default service
// however many workers ask for it at once, a number in one service at a time, and numbers
// drained (not lost) when they leave a service.
#include "proxy/service_directory.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "store/sql/runner.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace mc::proxy {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);

struct Fixture {
  Fixture() {
    auto opened = ledger.open();
    BOOST_REQUIRE_MESSAGE(opened.is_ok(), opened.status().to_string());
    store = std::move(opened).value();
    std::vector<store::PoolNumber> numbers;
    for (const char* n : {"+14155550100", "+14155550101"}) {
      store::PoolNumber number;
      number.number = n;
      number.country = "US";
      numbers.push_back(number);
    }
    BOOST_REQUIRE(store->sync_pool(numbers, true).is_ok());
    directory = std::make_unique<ServiceDirectory>(*store->sql_runner());
  }
  ServiceRecord service(const std::string& sid, const std::string& name) {
    ServiceRecord s;
    s.sid = sid;
    s.unique_name = name;
    s.created_at = s.updated_at = kNow;
    return s;
  }
  store::PoolNumber pool_number(const std::string& number) {
    store::PoolNumber n;
    n.number = number;
    n.country = "US";
    return n;
  }

  testing::TempDir dir{"mc-proxy"};
  testing::TestLedger ledger{dir.path()};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<ServiceDirectory> directory;
};

BOOST_FIXTURE_TEST_SUITE(service_directory, Fixture)

BOOST_AUTO_TEST_CASE(workers_starting_at_once_make_one_default_service) {
  std::set<std::string> seen;
  std::mutex mutex;
  std::vector<std::thread> workers;
  for (int i = 0; i < 6; ++i) {
    workers.emplace_back([&, i] {
      auto sid = directory->ensure_default("KS" + std::string(31, '0') + std::to_string(i), kNow);
      std::lock_guard lock(mutex);
      seen.insert(sid ? *sid : "error: " + sid.status().to_string());
    });
  }
  for (std::thread& w : workers) w.join();
  BOOST_TEST(seen.size() == 1u);
  BOOST_TEST(seen.begin()->rfind("KS", 0) == 0u);
  BOOST_TEST(directory->list(0, 10)->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_number_is_in_one_service_and_leaves_it_drained) {
  const std::string fallback = *directory->ensure_default("KS" + std::string(32, 'd'), kNow);
  BOOST_TEST(directory->list_numbers(fallback, 0, 10)->size() == 2u);
  BOOST_REQUIRE(directory->create(service("KS" + std::string(32, 'a'), "a")).is_ok());
  BOOST_REQUIRE(directory->create(service("KS" + std::string(32, 'b'), "b")).is_ok());
  BOOST_TEST(directory->create(service("KS" + std::string(32, 'c'), "a")).code() ==
             StatusCode::kConflict);
  const std::string a = "KS" + std::string(32, 'a'), b = "KS" + std::string(32, 'b');
  BOOST_REQUIRE(directory->add_number(a, pool_number("+14155550100"), true, kNow).is_ok());
  const Status taken = directory->add_number(b, pool_number("+14155550100"), false, kNow);
  BOOST_TEST(taken.api_code() == 80601);
  BOOST_TEST(directory->list_numbers(fallback, 0, 10)->size() == 1u);
  auto in_a = directory->find_number(a, "+14155550100");
  BOOST_REQUIRE(in_a.is_ok() && in_a->has_value());
  BOOST_TEST((*in_a)->is_reserved);
  BOOST_TEST((*in_a)->number_sid == derived_number_sid("+14155550100"));
  BOOST_TEST((*directory->find_number(a, (*in_a)->number_sid)).has_value());  // by SID too
  // Stored at start-up, the derived SIDs are found by key and stay the same.
  BOOST_TEST(*directory->record_derived_sids() == 2);
  BOOST_TEST(*directory->record_derived_sids() == 0);
  BOOST_TEST((*store->pool_number("+14155550101"))->number_sid ==
             derived_number_sid("+14155550101"));
  BOOST_TEST((*directory->find_number(fallback, derived_number_sid("+14155550101"))).has_value());
  BOOST_TEST(!(*directory->find_number(fallback, derived_number_sid("+14155550100"))).has_value());
  // A NUMBER_POOL sync at the next start leaves service a's number alone.
  store::PoolNumber other = pool_number("+14155550101");
  BOOST_REQUIRE(store->sync_pool({other}, true).is_ok());
  BOOST_TEST(!(*store->pool_number("+14155550100"))->retired);
  // Deleting a: its number is drained into the default service.
  BOOST_TEST(*directory->remove(a));
  auto drained = *store->pool_number("+14155550100");
  BOOST_TEST(drained->retired);
  BOOST_TEST(drained->service_sid.empty());
  BOOST_TEST(directory->remove(fallback).status().code() == StatusCode::kInvalidArgument);
}

BOOST_AUTO_TEST_CASE(a_numbers_service_is_the_one_it_joined_else_the_default) {
  const std::string fallback = *directory->ensure_default("KS" + std::string(32, 'd'), kNow);
  const std::string a = "KS" + std::string(32, 'a');
  BOOST_REQUIRE(directory->create(service(a, "a")).is_ok());
  BOOST_REQUIRE(directory->add_number(a, pool_number("+14155550100"), false, kNow).is_ok());
  auto of_a = directory->service_of_number("+14155550100");
  BOOST_REQUIRE(of_a.is_ok() && of_a->has_value());
  BOOST_TEST((*of_a)->sid == a);
  auto of_default = directory->service_of_number("+14155550101");
  BOOST_REQUIRE(of_default.is_ok() && of_default->has_value());
  BOOST_TEST((*of_default)->sid == fallback);
  BOOST_TEST(!directory->service_of_number("+14155550199")->has_value());  // not a pool number
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::proxy
