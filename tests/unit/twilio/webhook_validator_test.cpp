#include "twilio/webhook_validator.h"

#include <boost/test/unit_test.hpp>

#include "twilio/signature.h"

namespace mc::twilio {
namespace {

Request signed_request(const std::string& token, const std::string& signed_url) {
  Request request;
  request.method = "POST";
  request.path = "/inbound-call";
  request.request_uri = "/inbound-call?x=1";
  request.content_type = "application/x-www-form-urlencoded";
  request.form = {{"From", "+14155550100"}, {"To", "+15005550006"}};
  request.headers["x-twilio-signature"] = compute_signature(token, signed_url, request.form);
  return request;
}

BOOST_AUTO_TEST_SUITE(webhook_validator)

BOOST_AUTO_TEST_CASE(uses_the_public_url_not_what_the_proxy_saw) {
  WebhookValidator validator("tok", "https://masked.example.com", true);
  BOOST_TEST(validator.is_from_twilio(
      signed_request("tok", "https://masked.example.com/inbound-call?x=1")));
  BOOST_TEST(validator.is_from_twilio(
      signed_request("tok", "https://masked.example.com:443/inbound-call?x=1")));
  BOOST_TEST(
      !validator.is_from_twilio(signed_request("tok", "http://127.0.0.1:8080/inbound-call?x=1")));
  BOOST_TEST(!validator.is_from_twilio(
      signed_request("other", "https://masked.example.com/inbound-call?x=1")));
}

BOOST_AUTO_TEST_CASE(a_missing_or_tampered_signature_fails) {
  WebhookValidator validator("tok", "https://masked.example.com", true);
  Request request = signed_request("tok", "https://masked.example.com/inbound-call?x=1");
  request.form[0].second = "+14155550199";
  BOOST_TEST(!validator.is_from_twilio(request));
  request.headers.clear();
  BOOST_TEST(!validator.is_from_twilio(request));
  BOOST_TEST(WebhookValidator("tok", "", false).is_from_twilio(request));  // validation off
}

// Issue 10, defect 12: media types are case-insensitive, so a JSON webhook sent as
// APPLICATION/JSON is checked by its bodySHA256 like any other JSON webhook.
BOOST_AUTO_TEST_CASE(the_json_check_reads_the_content_type_case_insensitively) {
  WebhookValidator validator("tok", "https://masked.example.com", true);
  Request request;
  request.method = "POST";
  request.body = R"({"EventType":"example"})";
  request.request_uri = "/hook?bodySHA256=" + sha256_hex(request.body);
  request.content_type = "APPLICATION/JSON; Charset=UTF-8";
  request.headers["x-twilio-signature"] =
      compute_signature("tok", "https://masked.example.com" + request.request_uri, {});
  BOOST_TEST(validator.is_from_twilio(request));
  request.body += " ";  // changed after signing: the hash no longer matches
  BOOST_TEST(!validator.is_from_twilio(request));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::twilio
