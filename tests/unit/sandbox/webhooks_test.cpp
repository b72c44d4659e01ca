#include "webhooks.h"

#include <boost/test/unit_test.hpp>

#include "fakes/fake_http.h"
#include "twilio/signature.h"

namespace mc::sandbox {
namespace {

using mc::testing::FakeHttp;
using mc::testing::header_of;

BOOST_AUTO_TEST_SUITE(webhook_sender)

BOOST_AUTO_TEST_CASE(post_is_signed_over_url_and_parameters) {
  FakeHttp http;
  SidGenerator sids(1);
  WebhookSender sender(http, "secret-token", sids, std::chrono::seconds(5));
  const WebhookRequest request{
      "voice",
      "https://app.example/inbound-call?tenant=a%20b",
      "POST",
      {{"From", "+14155550100"}, {"Body", "a&b=c d"}, {"To", "+15005550006"}}};
  BOOST_TEST(sender.send(request).ok());
  const net::HttpRequest sent = http.requests().at(0);
  BOOST_TEST(sent.url == request.url);
  BOOST_TEST(header_of(sent, "Content-Type") == "application/x-www-form-urlencoded; charset=UTF-8");
  BOOST_TEST(header_of(sent, "I-Twilio-Idempotency-Token").size() == 32u);
  const Params received = decode_form(sent.body);
  BOOST_TEST(param_or(received, "Body") == "a&b=c d");
  BOOST_TEST(twilio::validate_signature("secret-token", header_of(sent, "X-Twilio-Signature"),
                                        request.url, received, sent.body, false));
  BOOST_TEST(!twilio::validate_signature("other-token", header_of(sent, "X-Twilio-Signature"),
                                         request.url, received, sent.body, false));
}

BOOST_AUTO_TEST_CASE(get_is_signed_over_the_full_url) {
  FakeHttp http;
  SidGenerator sids(1);
  WebhookSender sender(http, "secret-token", sids, std::chrono::seconds(5));
  sender.send({"onMessageAdded", "https://app.example/hook", "GET", {{"Author", "+14155550100"}}});
  const net::HttpRequest sent = http.requests().at(0);
  BOOST_TEST(sent.method == "GET");
  BOOST_TEST(sent.url == "https://app.example/hook?Author=%2B14155550100");
  BOOST_TEST(sent.body.empty());
  BOOST_TEST(twilio::validate_signature("secret-token", header_of(sent, "X-Twilio-Signature"),
                                        sent.url, {}, "", false));
}

BOOST_AUTO_TEST_CASE(transport_failure_is_status_zero) {
  FakeHttp http;
  http.responder = [](const net::HttpRequest&) -> net::HttpResponse { return {}; };
  SidGenerator sids(1);
  WebhookSender sender(http, "t", sids, std::chrono::seconds(5));
  BOOST_TEST(!sender.send({"x", "http://127.0.0.1:9/", "POST", {}}).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
