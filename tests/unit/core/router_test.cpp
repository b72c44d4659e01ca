#include "core/router.h"

#include <boost/test/unit_test.hpp>
#include <stdexcept>

namespace mc {
namespace {

Handler answer(int status) {
  return [status](Request&) { return Response::text(status, ""); };
}

Router make_router() {
  Router router;
  router.add("GET", "/healthz", Access::kOperator, answer(200));
  router.add("POST", "/sessions", Access::kApi, answer(201));
  router.add("GET", "/sessions", Access::kApi, answer(200));
  router.add("GET", "/sessions/{id}", Access::kApi, answer(200));
  router.add("DELETE", "/sessions/{id}", Access::kApi, answer(204));
  router.add("GET", "/v1/Services/{ServiceSid}/Sessions/{Sid}", Access::kApi, answer(200));
  return router;
}

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(matches_literal_route) {
  Router router = make_router();
  Router::Match match = router.match("GET", "/healthz");
  BOOST_REQUIRE(match.route);
  BOOST_TEST(match.route->pattern == "/healthz");
  BOOST_TEST(match.params.empty());
}

BOOST_AUTO_TEST_CASE(extracts_named_parameters) {
  Router router = make_router();
  Router::Match match = router.match("GET", "/v1/Services/KS123/Sessions/KC456");
  BOOST_REQUIRE(match.route);
  BOOST_TEST(match.route->pattern == "/v1/Services/{ServiceSid}/Sessions/{Sid}");
  BOOST_REQUIRE_EQUAL(match.params.size(), 2u);
  BOOST_TEST(param_or(match.params, "ServiceSid") == "KS123");
  BOOST_TEST(param_or(match.params, "Sid") == "KC456");
}

BOOST_AUTO_TEST_CASE(percent_decodes_parameters) {
  Router router = make_router();
  Router::Match match = router.match("GET", "/sessions/order%20%2342");
  BOOST_REQUIRE(match.route);
  BOOST_TEST(param_or(match.params, "id") == "order #42");
}

BOOST_AUTO_TEST_CASE(ignores_one_trailing_slash) {
  Router router = make_router();
  BOOST_TEST(router.match("GET", "/sessions/").route != nullptr);
  BOOST_TEST(router.match("GET", "/sessions/abc/").route != nullptr);
}

BOOST_AUTO_TEST_CASE(chooses_route_by_method) {
  Router router = make_router();
  Router::Match post = router.match("POST", "/sessions");
  BOOST_REQUIRE(post.route);
  BOOST_TEST(post.route->method == "POST");
  Router::Match del = router.match("DELETE", "/sessions/S1");
  BOOST_REQUIRE(del.route);
  BOOST_TEST(del.route->method == "DELETE");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_not_found_without_allow) {
  Router router = make_router();
  for (const char* path :
       {"/nope", "/sessions/a/b", "/", "/v1/Services/KS1/Sessions", "/healthzz"}) {
    Router::Match match = router.match("GET", path);
    BOOST_TEST(match.route == nullptr, path);
    BOOST_TEST(match.allow.empty(), path);
  }
}

BOOST_AUTO_TEST_CASE(wrong_method_lists_allowed_methods) {
  Router router = make_router();
  Router::Match match = router.match("PUT", "/sessions/S1");
  BOOST_TEST(match.route == nullptr);
  BOOST_TEST(match.allow == "GET, DELETE");
  Router::Match health = router.match("POST", "/healthz");
  BOOST_TEST(health.allow == "GET");
}

BOOST_AUTO_TEST_CASE(empty_segment_does_not_match_a_parameter) {
  Router router = make_router();
  BOOST_TEST(router.match("GET", "/v1/Services//Sessions/KC1").route == nullptr);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_patterns_and_duplicates) {
  Router router;
  BOOST_CHECK_THROW(router.add("GET", "no-slash", Access::kApi, answer(200)),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/a/{", Access::kApi, answer(200)), std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/a/{}", Access::kApi, answer(200)), std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/a/x{id}", Access::kApi, answer(200)),
                    std::invalid_argument);
  router.add("GET", "/a", Access::kApi, answer(200));
  BOOST_CHECK_THROW(router.add("GET", "/a", Access::kApi, answer(200)), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(split_path_keeps_inner_empty_segments) {
  auto parts = split_path("/a//b/");
  BOOST_REQUIRE_EQUAL(parts.size(), 3u);
  BOOST_TEST(parts[0] == "a");
  BOOST_TEST(parts[1] == "");
  BOOST_TEST(parts[2] == "b");
  BOOST_TEST(split_path("/").empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
