// The Twilio client with a fake HTTP peer and a fake clock: the retry/backoff schedule, what
// is retried and what is not, error mapping, and the per-endpoint rate limit.
#include "twilio/client.h"

#include <boost/test/unit_test.hpp>
#include <deque>

#include "fakes/fake_clock.h"
#include "fakes/fake_http.h"

namespace mc::twilio {
namespace {

using mc::testing::FakeClock;
using mc::testing::FakeHttp;

net::HttpResponse answer(int status, std::string body = "{}",
                         std::map<std::string, std::string> headers = {}) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string twilio_error(int code, int status, const std::string& message) {
  return "{\"code\":" + std::to_string(code) + ",\"message\":\"" + message +
         "\",\"more_info\":\"x\",\"status\":" + std::to_string(status) + "}";
}

struct Fixture {
  Fixture() {
    config.account_sid = "AC00000000000000000000000000000000";
    config.auth_token = "token";
    config.base_url = "http://127.0.0.1:9/{product}";
    config.rate_limit_per_second = 0;
    http.responder = [this](const net::HttpRequest&) -> net::HttpResponse {
      if (answers.empty()) return answer(200, "{\"sid\":\"CH1\"}");
      net::HttpResponse next = answers.front();
      answers.pop_front();
      return next;
    };
  }
  TwilioClient client() {
    return TwilioClient(config, http, clock, [this] { return random_value; });
  }

  TwilioConfig config;
  FakeHttp http;
  FakeClock clock;
  std::deque<net::HttpResponse> answers;
  double random_value = 0.5;
};

BOOST_AUTO_TEST_SUITE(twilio_client)

BOOST_AUTO_TEST_CASE(backoff_is_full_jitter_under_an_exponential_cap) {
  RetryPolicy policy;  // base 100 ms, cap 2 s
  BOOST_TEST(backoff_delay(policy, 0, 0.5).count() == 50);
  BOOST_TEST(backoff_delay(policy, 1, 0.5).count() == 100);
  BOOST_TEST(backoff_delay(policy, 3, 0.999).count() == 799);
  BOOST_TEST(backoff_delay(policy, 10, 0.5).count() == 1000);  // capped at 2 s
  BOOST_TEST(backoff_delay(policy, 2, 0.0).count() == 0);
}

BOOST_FIXTURE_TEST_CASE(retries_429_and_5xx_then_succeeds_on_schedule, Fixture) {
  answers = {answer(429, twilio_error(20429, 429, "Too Many Requests")),
             answer(503, twilio_error(20503, 503, "down")), answer(200, "{\"sid\":\"CH9\"}")};
  auto result = client().send(
      {"conversations.fetch", "conversations", "GET", "/v1/Conversations/S1", {}, {}, true});
  BOOST_REQUIRE(result.is_ok());
  BOOST_TEST((*result)["sid"].asString() == "CH9");
  BOOST_TEST(http.requests().size() == 3u);
  const auto sleeps = clock.sleeps();
  BOOST_REQUIRE_EQUAL(sleeps.size(), 2u);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(sleeps[0]).count() ==
             50);  // 0.5 * 100
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(sleeps[1]).count() ==
             100);  // 0.5 * 200
}

BOOST_FIXTURE_TEST_CASE(gives_up_after_max_attempts_with_the_twilio_code, Fixture) {
  config.retry.max_attempts = 3;
  for (int i = 0; i < 5; ++i) answers.push_back(answer(503, twilio_error(20503, 503, "down")));
  auto result =
      client().send({"conversations.fetch", "conversations", "GET", "/v1/x", {}, {}, true});
  BOOST_REQUIRE(!result.is_ok());
  BOOST_TEST((result.status().code() == StatusCode::kUnavailable));
  BOOST_TEST(result.status().api_code() == 20503);
  BOOST_TEST(http.requests().size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(stops_when_the_time_budget_is_spent, Fixture) {
  config.retry.max_attempts = 10;
  config.retry.budget = std::chrono::milliseconds(250);
  random_value = 0.999;  // delays of ~100, ~200, ~400 ms
  for (int i = 0; i < 10; ++i) answers.push_back(answer(500));
  auto result = client().send({"x", "conversations", "GET", "/v1/x", {}, {}, true});
  BOOST_TEST(!result.is_ok());
  BOOST_TEST(http.requests().size() == 2u);  // 99 ms slept; the next 199 ms would pass 250 ms
}

BOOST_FIXTURE_TEST_CASE(honours_retry_after, Fixture) {
  answers = {answer(429, "{}", {{"retry-after", "2"}}), answer(200)};
  BOOST_REQUIRE(client().send({"x", "conversations", "GET", "/v1/x", {}, {}, true}).is_ok());
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(clock.sleeps().at(0)).count() == 2);
}

BOOST_FIXTURE_TEST_CASE(non_idempotent_requests_retry_only_429, Fixture) {
  answers = {answer(503)};
  auto failed = client().send({"calls.create", "api", "POST", "/2010-04-01/x", {}, {}, false});
  BOOST_TEST(!failed.is_ok());
  BOOST_TEST(http.requests().size() == 1u);
  answers = {answer(429), answer(201, "{\"sid\":\"CA1\"}")};
  BOOST_TEST(
      client().send({"calls.create", "api", "POST", "/2010-04-01/x", {}, {}, false}).is_ok());
}

BOOST_FIXTURE_TEST_CASE(connection_failures_are_retried_when_idempotent, Fixture) {
  // The first attempt never gets an answer (the connection broke).
  struct Dropping final : net::HttpClient {
    FakeHttp& inner;
    int calls = 0;
    explicit Dropping(FakeHttp& http) : inner(http) {}
    Result<net::HttpResponse> send(const net::HttpRequest& request) override {
      if (++calls == 1) return Status::unavailable("connection reset");
      return inner.send(request);
    }
  } dropping(http);
  TwilioClient client(config, dropping, clock, [] { return 0.0; });
  BOOST_TEST(client.send({"x", "conversations", "GET", "/v1/x", {}, {}, true}).is_ok());
  BOOST_TEST(dropping.calls == 2);
}

BOOST_FIXTURE_TEST_CASE(twilio_errors_become_statuses_with_codes, Fixture) {
  answers = {answer(409, twilio_error(50416, 409, "pair in use"))};
  auto result = client().add_participant("CH1", {"+14155550101", "+15005550006", ""});
  BOOST_TEST((result.status().code() == StatusCode::kConflict));
  BOOST_TEST(result.status().api_code() == 50416);
  BOOST_TEST(result.status().message() == "Twilio: pair in use");
  BOOST_TEST(status_from_twilio_error(400, "not json").http_status() == 400);
  BOOST_TEST(status_from_twilio_error(401, "{}").code() == StatusCode::kUnauthenticated);
}

BOOST_FIXTURE_TEST_CASE(requests_carry_auth_form_and_the_product_url, Fixture) {
  auto created = client().create_conversation({{"UniqueName", "KC1"}},
                                              {{"+14155550101", "+15005550006", ""}}, true);
  BOOST_REQUIRE(created.is_ok());
  const net::HttpRequest sent = http.requests().at(0);
  BOOST_TEST(sent.url == "http://127.0.0.1:9/conversations/v1/ConversationWithParticipants");
  BOOST_TEST(sent.username == config.account_sid);
  BOOST_TEST(sent.password == "token");
  BOOST_TEST(sent.body.find("UniqueName=KC1") != std::string::npos);
  BOOST_TEST(sent.body.find("Participant=%7B%22messaging_binding%22") != std::string::npos);
  BOOST_TEST(mc::testing::header_of(sent, "X-Twilio-Webhook-Enabled") == "true");
  BOOST_TEST(client().url("api", "/2010-04-01/Accounts") ==
             "http://127.0.0.1:9/api/2010-04-01/Accounts");
}

BOOST_FIXTURE_TEST_CASE(participant_lists_follow_next_page_url, Fixture) {
  answers = {answer(200, R"({"participants":[{"sid":"MB1"},{"sid":"MB2"}],"meta":{"next_page_url":
        "http://127.0.0.1:9/conversations/v1/Conversations/CH1/Participants?PageSize=2&Page=1&PageToken=PT%3D2"}})"),
             answer(200, R"({"participants":[{"sid":"MB3"}],"meta":{"next_page_url":null}})")};
  auto participants = client().list_participants("CH1");
  BOOST_REQUIRE_MESSAGE(participants.is_ok(), participants.status().to_string());
  BOOST_REQUIRE_EQUAL(participants->size(), 3u);
  BOOST_TEST((*participants)[2]["sid"].asString() == "MB3");
  const auto sent = http.requests();
  BOOST_REQUIRE_EQUAL(sent.size(), 2u);
  BOOST_TEST(sent[0].url ==
             "http://127.0.0.1:9/conversations/v1/Conversations/CH1/Participants?PageSize=100");
  BOOST_TEST(sent[1].url ==
             "http://127.0.0.1:9/conversations/v1/Conversations/CH1/"
             "Participants?PageSize=2&Page=1&PageToken=PT%3D2");
}

BOOST_FIXTURE_TEST_CASE(a_next_page_url_off_our_base_is_not_followed, Fixture) {
  answers = {answer(200, R"({"participants":[{"sid":"MB1"}],"meta":{"next_page_url":
        "https://elsewhere.invalid/v1/Conversations/CH1/Participants?Page=1"}})")};
  auto participants = client().list_participants("CH1");
  BOOST_REQUIRE(participants.is_ok());
  BOOST_TEST(participants->size() == 1u);
  BOOST_TEST(http.requests().size() == 1u);  // our credentials go only to our Twilio base
}

BOOST_FIXTURE_TEST_CASE(delete_of_a_missing_conversation_is_done, Fixture) {
  answers = {answer(404, twilio_error(20404, 404, "not found"))};
  BOOST_TEST(client().delete_conversation("KC1").is_ok());
  answers = {answer(400, twilio_error(50377, 400, "closed"))};
  BOOST_TEST(client().close_conversation("KC1").is_ok());
}

BOOST_AUTO_TEST_CASE(rate_limiter_spaces_requests_per_endpoint) {
  RateLimiter limiter(10);  // 10 per second, burst 10
  const auto start = std::chrono::steady_clock::time_point{};
  for (int i = 0; i < 10; ++i) BOOST_TEST(limiter.reserve("calls.create", start).count() == 0);
  const auto wait = limiter.reserve("calls.create", start);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count() == 100);
  BOOST_TEST(limiter.reserve("conversations.create", start).count() == 0);  // its own bucket
  BOOST_TEST(limiter.reserve("calls.create", start + std::chrono::seconds(1)).count() == 0);
  BOOST_TEST(RateLimiter(0).reserve("x", start).count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::twilio
