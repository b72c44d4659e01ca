// Reading POST /sessions bodies: every accepted field, and a clear 400 for each kind of bad input.
#include "modules/sessions_api/create_request.h"

#include <boost/test/unit_test.hpp>

#include "core/response.h"

namespace mc::modules::sessions_api {
namespace {

const TimePoint kNow = std::chrono::system_clock::from_time_t(1800000000);

Result<sessions::CreateSessionRequest> parse(const std::string& text) {
  Json::Value body;
  std::string error;
  BOOST_REQUIRE_MESSAGE(parse_json_text(text, &body, &error), text);
  return parse_create_request(body, kNow);
}

std::string error_of(const std::string& text) {
  auto result = parse(text);
  BOOST_REQUIRE_MESSAGE(!result.is_ok(), text);
  BOOST_TEST(result.status().http_status() == 400);
  return result.status().message();
}

BOOST_AUTO_TEST_SUITE(create_request)

BOOST_AUTO_TEST_CASE(reads_the_masked_communications_app_body) {
  auto request =
      parse(R"({"addresses": ["+14155550101", "+14155550102"], "friendlyName": "Order 42",
      "uniqueName": "order-42", "attributes": {"order": 42}, "timers": {"inactive": "PT1H", "closed": "P1D"},
      "messagingServiceSid": "MG00000000000000000000000000000001", "state": "active",
      "xTwilioWebhookEnabled": "true", "mode": "message-only", "ttl": 3600})");
  BOOST_REQUIRE_MESSAGE(request.is_ok(), request.status().to_string());
  BOOST_TEST(request->addresses.size() == 2u);
  BOOST_TEST(*request->unique_name == "order-42");
  BOOST_TEST(param_or(request->conversation, "FriendlyName") == "Order 42");
  BOOST_TEST(param_or(request->conversation, "Attributes") == R"({"order":42})");
  BOOST_TEST(param_or(request->conversation, "Timers.Inactive") == "PT1H");
  BOOST_TEST(param_or(request->conversation, "Timers.Closed") == "P1D");
  BOOST_TEST(param_or(request->conversation, "MessagingServiceSid") ==
             "MG00000000000000000000000000000001");
  BOOST_TEST(param_or(request->conversation, "State") == "active");
  BOOST_TEST(request->webhooks_enabled);
  BOOST_TEST(request->mode == "message-only");
  BOOST_TEST(*request->ttl_seconds == 3600);
}

BOOST_AUTO_TEST_CASE(accepts_flat_dotted_keys_as_twilio_node_sends_them) {
  auto request = parse(
      R"({"addresses": ["+14155550101"], "timers.closed": "PT10M", "bindings.email.address": "a@b.example"})");
  BOOST_REQUIRE(request.is_ok());
  BOOST_TEST(param_or(request->conversation, "Timers.Closed") == "PT10M");
  BOOST_TEST(param_or(request->conversation, "Bindings.Email.Address") == "a@b.example");
}

BOOST_AUTO_TEST_CASE(names_each_problem) {
  BOOST_TEST(error_of(R"([1, 2])") == "the request body must be a JSON object");
  BOOST_TEST(error_of(R"({"friendlyName": "x"})").find("addresses is required") == 0u);
  BOOST_TEST(error_of(R"({"addresses": "+14155550101"})").find("addresses must be an array") == 0u);
  BOOST_TEST(error_of(R"({"addresses": [14155550101]})") == "addresses must contain only strings");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "friendlyName": 42})") ==
             "friendlyName must be a string");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "attributes": "{oops"})")
                 .find("attributes must be JSON") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "timers": {"closed": "PT5M"}})")
                 .find("timers.closed must be") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "timers": {"soon": "PT5M"}})")
                 .find("unknown timer") == 0u);
  BOOST_TEST(
      error_of(R"({"addresses": ["+14155550101"], "state": "closed"})").find("state must be") ==
      0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "messagingServiceSid": "MG1"})")
                 .find("messagingServiceSid") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "ttl": -5})").find("ttl must be") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "ttl": "soon"})").find("ttl must be") ==
             0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "dateExpiry": "2020-01-01T00:00:00Z"})") ==
             "dateExpiry must be in the future");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "mode": "fax"})").find("mode must be") ==
             0u);
  const std::string unknown = error_of(R"({"addresses": ["+14155550101"], "colour": "blue"})");
  BOOST_TEST(unknown.find("unknown field 'colour'; accepted: addresses, ") == 0u);
  BOOST_TEST(unknown.find("proxyAddresses") != std::string::npos);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "voice": {"record": "yes"}})") ==
             "voice.record must be true or false");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "bindings": {"email": {"name": 7}}})") ==
             "bindings.email.name must be a string");
}

// Issue 10, defects 1, 2 and 7: numbers too big for 64 bits, dates past the clock's end and
// SIDs Twilio refuses are each a 400 naming the field, never a 500 or a stored session.
BOOST_AUTO_TEST_CASE(refuses_values_that_cannot_be_represented) {
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "ttl": 1e19})").find("ttl must be") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "ttl": 18446744073709551615})")
                 .find("ttl must be") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "voice": {"timeLimit": 1e19}})") ==
             "voice.timeLimit must be 1 to 14400 seconds");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "voice": {"ringTimeout": -1e300}})") ==
             "voice.ringTimeout must be 5 to 600 seconds");
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "dateExpiry": "2611-06-22T08:21:38Z"})")
                 .find("dateExpiry must be an ISO 8601 date-time before 2200") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"], "dateCreated": "2025-02-31T00:00:00Z"})")
                 .find("dateCreated must be") == 0u);
  BOOST_TEST(error_of(R"({"addresses": ["+14155550101"],
                          "messagingServiceSid": "MGzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})") ==
             "messagingServiceSid must be MG followed by 32 hex digits");
  auto whole = parse(R"({"addresses": ["+14155550101"], "ttl": 60.0})");
  BOOST_TEST(whole.is_ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::modules::sessions_api
