// Proxy-number selection against an in-memory pool: every "never" and every preference.
#include "pool/selection.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>

namespace mc::pool {
namespace {

class FakePool final : public CandidateSource {
 public:
  void add(const std::string& number, const std::string& country, const std::string& area_code,
           const std::string& region, int load = 0, int capacity = 100, bool reserved = false,
           const std::string& service = "") {
    numbers[number] =
        Candidate{number, country, area_code, region, reserved, false, capacity, load, service};
  }
  Result<std::vector<std::string>> numbers_held_by(const std::string& address) override {
    return held[address];
  }
  Result<std::optional<std::string>> sticky_number(
      const std::string& address, const std::vector<std::string>& counterparts) override {
    for (const std::string& counterpart : counterparts) {
      auto it = sticky.find({address, counterpart});
      if (it != sticky.end()) return std::optional<std::string>(it->second);
    }
    return std::optional<std::string>();
  }
  Result<std::vector<Candidate>> least_loaded(const Tier& tier, size_t limit) override {
    ++queries;
    std::vector<Candidate> out;
    for (const auto& [number, c] : numbers) {
      if (c.reserved || c.retired || !c.has_room() || c.service_sid != tier.service_sid) continue;
      if (!tier.country.empty() && c.country != tier.country) continue;
      if (!tier.area_code.empty() && c.area_code != tier.area_code) continue;
      if (!tier.region.empty() && c.region != tier.region) continue;
      out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
      return a.load != b.load ? a.load < b.load : a.number < b.number;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
  }
  Result<std::optional<Candidate>> candidate(const std::string& number) override {
    auto it = numbers.find(number);
    return it == numbers.end() ? std::optional<Candidate>() : std::optional<Candidate>(it->second);
  }

  std::map<std::string, Candidate> numbers;
  std::map<std::string, std::vector<std::string>> held;
  std::map<std::pair<std::string, std::string>, std::string> sticky;
  int queries = 0;
};

const PhoneInfo kSanFrancisco{"+14155550199", "US", "415", "CA"};

std::string pick(FakePool& pool, const PhoneInfo& who = kSanFrancisco, SelectionPolicy policy = {},
                 std::vector<std::string> counterparts = {}) {
  auto chosen = select_proxy_number(pool, who, counterparts, policy);
  BOOST_REQUIRE_MESSAGE(chosen.is_ok(), chosen.status().to_string());
  return *chosen;
}

BOOST_AUTO_TEST_SUITE(selection)

BOOST_AUTO_TEST_CASE(prefers_area_code_then_region_then_country) {
  FakePool pool;
  pool.add("+12125550100", "US", "212", "NY");
  pool.add("+12135550100", "US", "213", "CA");
  pool.add("+14155550100", "US", "415", "CA", 50);
  BOOST_TEST(pick(pool) == "+14155550100");  // same area code, even though busier
  pool.numbers.erase("+14155550100");
  BOOST_TEST(pick(pool) == "+12135550100");  // same state
  pool.numbers.erase("+12135550100");
  BOOST_TEST(pick(pool) == "+12125550100");  // same country
}

BOOST_AUTO_TEST_CASE(never_a_number_the_participant_already_holds) {
  FakePool pool;
  pool.add("+14155550100", "US", "415", "CA");
  pool.add("+14155550101", "US", "415", "CA", 5);
  pool.held[kSanFrancisco.e164] = {"+14155550100"};
  BOOST_TEST(pick(pool) == "+14155550101");
  pool.held[kSanFrancisco.e164] = {"+14155550100", "+14155550101"};
  auto none = select_proxy_number(pool, kSanFrancisco, {}, {});
  BOOST_REQUIRE(!none.is_ok());
  BOOST_TEST(none.status().message() == "Not enough numbers available in pool for +14155550199");
  BOOST_TEST(none.status().api_code() == kNoNumberAvailable);
  BOOST_TEST(none.status().http_status() == 409);
}

BOOST_AUTO_TEST_CASE(never_a_reserved_number_unless_asked_for_by_name) {
  FakePool pool;
  pool.add("+14155550100", "US", "415", "CA", 0, 100, /*reserved=*/true);
  pool.add("+12125550100", "US", "212", "NY", 90);
  BOOST_TEST(pick(pool) == "+12125550100");
  auto requested = select_proxy_number(pool, kSanFrancisco, {}, {}, std::string("+14155550100"));
  BOOST_REQUIRE(requested.is_ok());
  BOOST_TEST(*requested == "+14155550100");
  BOOST_TEST(select_proxy_number(pool, kSanFrancisco, {}, {}, std::string("+19995550100"))
                 .status()
                 .http_status() == 400);
}

BOOST_AUTO_TEST_CASE(never_above_capacity) {
  FakePool pool;
  pool.add("+14155550100", "US", "415", "CA", 100, 100);  // full
  pool.add("+14155550101", "US", "415", "CA", 99, 100);
  BOOST_TEST(pick(pool) == "+14155550101");
  pool.numbers["+14155550101"].load = 100;
  BOOST_TEST(!select_proxy_number(pool, kSanFrancisco, {}, {}).is_ok());
  BOOST_TEST(select_proxy_number(pool, kSanFrancisco, {}, {}, std::string("+14155550100"))
                 .status()
                 .http_status() == 409);
}

BOOST_AUTO_TEST_CASE(country_match_never_gives_a_foreign_number) {
  FakePool pool;
  pool.add("+16045550100", "CA", "604", "British Columbia");
  pool.add("+442071838750", "GB", "20", "London");
  SelectionPolicy country;
  BOOST_TEST(!select_proxy_number(pool, kSanFrancisco, {}, country).is_ok());
  SelectionPolicy any{GeoMatch::kAny, Stickiness::kPreferSticky, ""};
  BOOST_TEST(!pick(pool, kSanFrancisco, any).empty());
}

BOOST_AUTO_TEST_CASE(stricter_geo_matches) {
  FakePool pool;
  pool.add("+12135550100", "US", "213", "CA");
  pool.add("+12125550100", "US", "212", "NY");
  BOOST_TEST(!select_proxy_number(pool, kSanFrancisco, {}, {GeoMatch::kAreaCode, {}, ""}).is_ok());
  BOOST_TEST(pick(pool, kSanFrancisco, {GeoMatch::kRegion, {}, ""}) == "+12135550100");
  pool.numbers.erase("+12135550100");
  BOOST_TEST(!select_proxy_number(pool, kSanFrancisco, {}, {GeoMatch::kRegion, {}, ""}).is_ok());
}

BOOST_AUTO_TEST_CASE(least_loaded_then_lowest_number) {
  FakePool pool;
  pool.add("+14155550103", "US", "415", "CA", 2);
  pool.add("+14155550102", "US", "415", "CA", 1);
  pool.add("+14155550101", "US", "415", "CA", 1);
  BOOST_TEST(pick(pool) == "+14155550101");
}

BOOST_AUTO_TEST_CASE(sticky_number_within_the_best_tier) {
  FakePool pool;
  pool.add("+14155550101", "US", "415", "CA", 0);
  pool.add("+14155550102", "US", "415", "CA", 7);
  pool.add("+12125550100", "US", "212", "NY", 0);
  pool.sticky[{kSanFrancisco.e164, "+14155550777"}] = "+14155550102";
  const std::vector<std::string> counterpart = {"+14155550777"};
  BOOST_TEST(pick(pool, kSanFrancisco, {}, counterpart) == "+14155550102");  // prefer-sticky
  SelectionPolicy avoid{GeoMatch::kCountry, Stickiness::kAvoidSticky, ""};
  BOOST_TEST(pick(pool, kSanFrancisco, avoid, counterpart) == "+14155550101");
  // Geography beats stickiness: a sticky number outside the area code loses to one inside.
  pool.sticky[{kSanFrancisco.e164, "+14155550777"}] = "+12125550100";
  BOOST_TEST(pick(pool, kSanFrancisco, {}, counterpart) == "+14155550101");
  // With a different counterpart nothing is sticky.
  BOOST_TEST(pick(pool, kSanFrancisco, {}, {"+14155550888"}) == "+14155550101");
}

BOOST_AUTO_TEST_CASE(a_sticky_number_already_held_is_not_reused) {
  FakePool pool;
  pool.add("+14155550101", "US", "415", "CA", 3);
  pool.add("+14155550102", "US", "415", "CA", 0);
  pool.sticky[{kSanFrancisco.e164, "+14155550777"}] = "+14155550101";
  pool.held[kSanFrancisco.e164] = {"+14155550101"};
  BOOST_TEST(pick(pool, kSanFrancisco, {}, {"+14155550777"}) == "+14155550102");
}

BOOST_AUTO_TEST_CASE(a_few_queries_whatever_the_pool_size) {
  FakePool pool;
  for (int i = 0; i < 5000; ++i) {
    pool.add("+1212555" + std::to_string(1000 + i), "US", "212", "NY", i % 7);
  }
  pick(pool);
  BOOST_TEST(pool.queries <= 3);  // area code (none), region (none), country
}

BOOST_AUTO_TEST_CASE(only_numbers_of_the_policys_service) {
  FakePool pool;
  pool.add("+14155550101", "US", "415", "CA", 0, 100, false, "KSother");
  pool.add("+14155550102", "US", "415", "CA", 5);
  pool.add("+14155550103", "US", "415", "CA", 9, 100, false, "KSmine");
  BOOST_TEST(pick(pool) == "+14155550102");  // the default service's, however loaded
  SelectionPolicy mine;
  mine.service_sid = "KSmine";
  BOOST_TEST(pick(pool, kSanFrancisco, mine) == "+14155550103");
  // Asked for by name, another service's number is not a number of this one's pool.
  BOOST_TEST(!select_proxy_number(pool, kSanFrancisco, {}, mine, "+14155550101").is_ok());
  BOOST_TEST(select_proxy_number(pool, kSanFrancisco, {}, mine, "+14155550103").value() ==
             "+14155550103");
  // Nor is one remembered as sticky.
  pool.sticky[{kSanFrancisco.e164, "+14155550777"}] = "+14155550101";
  BOOST_TEST(pick(pool, kSanFrancisco, mine, {"+14155550777"}) == "+14155550103");
  mine.service_sid = "KSempty";
  BOOST_TEST(select_proxy_number(pool, kSanFrancisco, {}, mine).status().api_code() ==
             kNoNumberAvailable);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::pool
