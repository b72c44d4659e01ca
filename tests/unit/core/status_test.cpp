#include "core/status.h"

#include <boost/test/unit_test.hpp>
#include <memory>

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(status)

BOOST_AUTO_TEST_CASE(maps_codes_to_http) {
  BOOST_TEST(Status::ok().http_status() == 200);
  BOOST_TEST(Status::invalid_argument("x").http_status() == 400);
  BOOST_TEST(Status::unauthenticated("x").http_status() == 401);
  BOOST_TEST(Status::permission_denied("x").http_status() == 403);
  BOOST_TEST(Status::not_found("x").http_status() == 404);
  BOOST_TEST(Status::conflict("x").http_status() == 409);
  BOOST_TEST(Status::resource_exhausted("x").http_status() == 429);
  BOOST_TEST(Status::unavailable("x").http_status() == 503);
  BOOST_TEST(Status::internal("x").http_status() == 500);
}

BOOST_AUTO_TEST_CASE(annotate_and_to_string) {
  Status s = Status::not_found("no session S1", 20404).annotate("close");
  BOOST_TEST(s.message() == "close: no session S1");
  BOOST_TEST(s.api_code() == 20404);
  BOOST_TEST(s.to_string() == "NOT_FOUND (20404): close: no session S1");
  BOOST_TEST(Status::ok().annotate("x").is_ok());
}

BOOST_AUTO_TEST_CASE(result_holds_value_or_error) {
  Result<std::unique_ptr<int>> good(std::make_unique<int>(7));
  BOOST_REQUIRE(good.is_ok());
  BOOST_TEST(**good == 7);
  BOOST_TEST(good.status().is_ok());
  Result<int> bad(Status::unavailable("twilio down"));
  BOOST_TEST(!bad.is_ok());
  BOOST_TEST(bad.status().message() == "twilio down");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
