#include "faults.h"

#include <boost/test/unit_test.hpp>

namespace mc::sandbox {
namespace {

using Action = FaultInjector::Action;

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(parses_rules_and_rejects_bad_ones) {
  auto rule = FaultRule::parse(
      "latency=20..80,429=0.1,5xx=0.05,drop=0.01,drop_after=0.02,rate=20,concurrency=4");
  BOOST_REQUIRE(rule.is_ok());
  BOOST_TEST(rule->rate_429 == 0.1);
  BOOST_TEST(rule->requests_per_second == 20);
  BOOST_TEST(rule->concurrency == 4);
  BOOST_TEST(rule->latency.to_string() == "20..80");
  BOOST_TEST(LatencySpec::parse("lognormal:50:200")->to_string() == "lognormal:50:200");
  BOOST_TEST(!FaultRule::parse("429=2").is_ok());
  BOOST_TEST(!FaultRule::parse("teleport=1").is_ok());
  BOOST_TEST(!FaultRule::parse("latency=80..20").is_ok());
  BOOST_TEST(!FaultRule::parse("latency").is_ok());
}

BOOST_AUTO_TEST_CASE(latency_samples_stay_in_range) {
  std::mt19937_64 random(7);
  auto uniform = LatencySpec::parse("20..80");
  for (int i = 0; i < 1000; ++i) {
    const auto sample = uniform->sample(random).count();
    BOOST_TEST((sample >= 20000 && sample <= 80000));
  }
  BOOST_TEST(LatencySpec::parse("50")->sample(random).count() == 50000);
}

BOOST_AUTO_TEST_CASE(certain_faults_always_happen_and_endpoints_fall_back_to_star) {
  FaultInjector faults(1);
  faults.set("*", *FaultRule::parse("429=1"));
  faults.set("calls.create", *FaultRule::parse("drop=1"));
  BOOST_TEST((faults.begin("conversations.create").action == Action::kTooManyRequests));
  faults.end("conversations.create");
  BOOST_TEST((faults.begin("calls.create").action == Action::kDrop));
  faults.end("calls.create");
  faults.clear();
  BOOST_TEST((faults.begin("calls.create").action == Action::kProceed));
  faults.end("calls.create");
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_once_the_bucket_is_empty) {
  FaultInjector faults(1);
  faults.set("participants.create", *FaultRule::parse("rate=2"));
  int refused = 0;
  for (int i = 0; i < 5; ++i) {
    refused += faults.begin("participants.create").action == Action::kTooManyRequests ? 1 : 0;
    faults.end("participants.create");
  }
  BOOST_TEST(refused == 3);  // a burst of 2, then empty
}

BOOST_AUTO_TEST_CASE(concurrency_limit_counts_requests_in_flight) {
  FaultInjector faults(1);
  faults.set("calls.create", *FaultRule::parse("concurrency=1"));
  BOOST_TEST((faults.begin("calls.create").action == Action::kProceed));
  BOOST_TEST((faults.begin("calls.create").action == Action::kTooManyRequests));
  faults.end("calls.create");
  faults.end("calls.create");
  BOOST_TEST((faults.begin("calls.create").action == Action::kProceed));
  faults.end("calls.create");
}

BOOST_AUTO_TEST_CASE(a_rule_with_times_expires_after_that_many_faults) {
  FaultInjector faults(1);
  faults.set("conversations.create", *FaultRule::parse("drop_after=1,times=2"));
  for (int i = 0; i < 2; ++i) {
    BOOST_TEST(faults.begin("conversations.create").drop_after);
    faults.end("conversations.create");
  }
  const auto third = faults.begin("conversations.create");
  BOOST_TEST(!third.drop_after);
  BOOST_TEST((third.action == Action::kProceed));
  faults.end("conversations.create");
  BOOST_TEST(faults.to_json().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
