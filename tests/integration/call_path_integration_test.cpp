// The inbound-call path across processes: two workers on one SQLite ledger, each answering
// from its own in-memory index of live sessions, must agree with the ledger at every call.
#include <boost/test/unit_test.hpp>

#include "harness/stack.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

const std::string kAlice = "+14155550111";
const std::string kBob = "+12125550122";

BOOST_AUTO_TEST_SUITE(call_path)

BOOST_AUTO_TEST_CASE(a_session_closed_through_one_worker_is_not_connected_by_the_other) {
  StackOptions two = StackOptions().sandboxed({"--number-count", "4"});
  two.workers = 2;
  Stack stack(two);
  const Json::Value session =
      get_session(stack, create_session(stack, {kAlice, kBob})["uniqueName"].asString());
  const std::string id = session["id"].asString();
  const std::string alice_proxy = proxy_of(session, kAlice);
  auto call = [&](int n) {
    const std::string sid = "CA" + std::string(30, '0') + (n < 10 ? "0" : "") + std::to_string(n);
    return send_inbound_call(stack, sid, kAlice, alice_proxy);
  };
  // nginx spreads the calls over both workers; each connects them.
  for (int n = 0; n < 8; ++n) {
    const net::HttpResponse answer = call(n);
    BOOST_TEST(answer.status == 200);
    BOOST_TEST(answer.body.find("<Dial") != std::string::npos, answer.body);
  }
  BOOST_TEST(count_of(stack.worker(0).log(), "call connected") >= 1u);
  BOOST_TEST(count_of(stack.worker(1).log(), "call connected") >= 1u);

  auto closed = stack.request("DELETE", "/sessions/" + id);
  BOOST_REQUIRE(closed.is_ok());
  BOOST_REQUIRE_MESSAGE(closed->status == 200, closed->body);
  // At once, whichever worker answers: neither connects the closed session.
  for (int n = 8; n < 16; ++n) {
    const net::HttpResponse answer = call(n);
    BOOST_TEST(answer.status == 200);
    BOOST_TEST(answer.body.find("<Dial") == std::string::npos, answer.body);
  }
  BOOST_TEST(count_of(stack.worker(0).log(), "no active session for this caller") >= 1u);
  BOOST_TEST(count_of(stack.worker(1).log(), "no active session for this caller") >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
