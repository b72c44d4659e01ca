// Proxy's callbacks leave signed as Twilio signs webhooks, within their time bound, and the
// answer's media type is read without its parameters.
#include "proxy/callback_poster.h"

#include <boost/test/unit_test.hpp>

#include "fakes/fake_http.h"
#include "twilio/signature.h"

namespace mc::proxy {
namespace {

constexpr const char* kToken = "customer-auth-token";
constexpr const char* kUrl = "https://app.example.com/proxy/intercept?tenant=7";

BOOST_AUTO_TEST_SUITE(callback_poster)

BOOST_AUTO_TEST_CASE(a_callback_is_a_signed_form_post_bounded_in_time) {
  testing::FakeHttp http;
  http.responder = [](const net::HttpRequest&) {
    net::HttpResponse response;
    response.status = 403;
    response.headers["content-type"] = "Application/JSON ; charset=utf-8";
    response.body = "{}";
    return response;
  };
  const CallbackPoster poster(http, kToken);
  const Params params = {{"interactionType", "message"},
                         {"interactionData", "{\"body\":\"hi +1\"}"}};
  auto answer = poster.post(kUrl, params, std::chrono::milliseconds(1500));
  BOOST_REQUIRE(answer.is_ok());
  BOOST_TEST(answer->status == 403);
  BOOST_TEST(answer->content_type == "application/json");
  const std::vector<net::HttpRequest> sent = http.requests();
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  BOOST_TEST(sent[0].method == "POST");
  BOOST_TEST(sent[0].url == kUrl);
  BOOST_TEST(sent[0].timeout.count() == 1500);
  BOOST_TEST(sent[0].connect_timeout.count() == 1500);
  BOOST_TEST((decode_form(sent[0].body) == params));
  BOOST_TEST(testing::header_of(sent[0], "Content-Type") == "application/x-www-form-urlencoded");
  // What a customer's validator computes from the URL it serves and the form it got.
  BOOST_TEST(twilio::validate_signature(kToken, testing::header_of(sent[0], "X-Twilio-Signature"),
                                        kUrl, decode_form(sent[0].body), sent[0].body, false));
  BOOST_TEST(!twilio::validate_signature("another-token",
                                         testing::header_of(sent[0], "X-Twilio-Signature"), kUrl,
                                         decode_form(sent[0].body), sent[0].body, false));
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_is_an_error_not_an_answer) {
  struct Unreachable final : net::HttpClient {
    Result<net::HttpResponse> send(const net::HttpRequest&) override {
      return Status::deadline_exceeded("timed out");
    }
  } unreachable;
  const CallbackPoster poster(unreachable, kToken);
  auto answer = poster.post(kUrl, {}, std::chrono::milliseconds(100));
  BOOST_TEST(answer.status().code() == StatusCode::kDeadlineExceeded);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::proxy
