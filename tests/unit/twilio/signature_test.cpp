// The worked vectors of shared/TWILIO.md section 1.8, recomputed independently of Twilio's
// code, plus the validator's port, scheme and JSON rules.
#include "twilio/signature.h"

#include <boost/test/unit_test.hpp>

namespace mc::twilio {
namespace {

const Params kVoiceParams = {{"AccountSid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
                             {"ApiVersion", "2010-04-01"},
                             {"CallSid", "CA11111111111111111111111111111111"},
                             {"CallStatus", "ringing"},
                             {"Called", "+15005550006"},
                             {"Caller", "+14155550100"},
                             {"Direction", "inbound"},
                             {"From", "+14155550100"},
                             {"To", "+15005550006"}};
constexpr const char* kToken1 = "0123456789abcdef0123456789abcdef";

BOOST_AUTO_TEST_SUITE(signature)

BOOST_AUTO_TEST_CASE(helper_library_published_vector) {
  const Params params = {{"CallSid", "CA1234567890ABCDE"},
                         {"Digits", "1234"},
                         {"From", "+14158675309"},
                         {"To", "+18005551212"},
                         {"Caller", "+14158675309"}};
  BOOST_TEST(compute_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) ==
             "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

BOOST_AUTO_TEST_CASE(vector_1_inbound_call) {
  const std::string url = "https://example.com/inbound-call";
  BOOST_TEST(signing_string(url, kVoiceParams) ==
             "https://example.com/inbound-callAccountSidACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
             "ApiVersion2010-04-01CallSidCA11111111111111111111111111111111CallStatusringing"
             "Called+15005550006Caller+14155550100DirectioninboundFrom+14155550100To+15005550006");
  BOOST_TEST(compute_signature(kToken1, url, kVoiceParams) == "/VADL10G5YM9Lco/ACUURteqnjo=");
  BOOST_TEST(compute_signature(kToken1, "https://example.com:443/inbound-call", kVoiceParams) ==
             "tLpFwBbYHyoHHWOFTTA+Opb/y2Y=");
  BOOST_TEST(compute_signature(kToken1, "http://example.com/inbound-call", kVoiceParams) ==
             "uTYCSMBljXPnM+8NeK1pJ+UM/Jg=");
}

// The key is kept between calls on a thread (signature.cpp): a change of key must be seen,
// in both directions, and a repeated key must give the same signature.
BOOST_AUTO_TEST_CASE(a_kept_key_follows_the_token_it_is_given) {
  const std::string url = "https://example.com/inbound-call";
  for (int round = 0; round < 3; ++round) {
    BOOST_TEST(compute_signature(kToken1, url, kVoiceParams) == "/VADL10G5YM9Lco/ACUURteqnjo=");
    BOOST_TEST(compute_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
                                 {{"CallSid", "CA1234567890ABCDE"},
                                  {"Digits", "1234"},
                                  {"From", "+14158675309"},
                                  {"To", "+18005551212"},
                                  {"Caller", "+14158675309"}}) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  }
  BOOST_TEST(compute_signature("", url, kVoiceParams) !=
             compute_signature(kToken1, url, kVoiceParams));
}

BOOST_AUTO_TEST_CASE(vector_1_validation_accepts_both_port_forms_rejects_http) {
  const std::string url = "https://example.com/inbound-call";
  BOOST_TEST(
      validate_signature(kToken1, "/VADL10G5YM9Lco/ACUURteqnjo=", url, kVoiceParams, "", false));
  BOOST_TEST(
      validate_signature(kToken1, "tLpFwBbYHyoHHWOFTTA+Opb/y2Y=", url, kVoiceParams, "", false));
  BOOST_TEST(
      !validate_signature(kToken1, "uTYCSMBljXPnM+8NeK1pJ+UM/Jg=", url, kVoiceParams, "", false));
  // A changed parameter, a wrong token, an empty signature: all rejected.
  Params tampered = kVoiceParams;
  tampered.back().second = "+15005550007";
  BOOST_TEST(
      !validate_signature(kToken1, "/VADL10G5YM9Lco/ACUURteqnjo=", url, tampered, "", false));
  BOOST_TEST(!validate_signature("fedcba9876543210fedcba9876543210",
                                 "/VADL10G5YM9Lco/ACUURteqnjo=", url, kVoiceParams, "", false));
  BOOST_TEST(!validate_signature(kToken1, "", url, kVoiceParams, "", false));
}

BOOST_AUTO_TEST_CASE(vector_2_post_event_with_port_query_and_empty_value) {
  const Params params = {{"EventType", "onConversationStateUpdated"},
                         {"AccountSid", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
                         {"ChatServiceSid", "ISbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
                         {"ConversationSid", "CHbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
                         {"StateFrom", "inactive"},
                         {"StateTo", "closed"},
                         {"Reason", "TIMER"},
                         {"StateUpdated", "2024-05-01T12:00:00.000Z"},
                         {"MessagingServiceSid", "MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
                         {"RetryCount", "0"},
                         {"Source", "API"},
                         {"Attributes", "{}"},
                         {"ClientIdentity", ""}};
  const char* token = "fedcba9876543210fedcba9876543210";
  const std::string url = "https://hooks.example.org:8443/conversations-post-event?tenant=a%20b";
  BOOST_TEST(compute_signature(token, url, params) == "mczMjoTgoOR0ZMNbWJzvj1TA3ws=");
  BOOST_TEST(compute_signature(token, url_without_port(url), params) ==
             "A9oXNsMDyXcGLU/tOxKVi5BmDR4=");
  BOOST_TEST(validate_signature(token, "mczMjoTgoOR0ZMNbWJzvj1TA3ws=", url, params, "", false));
  BOOST_TEST(validate_signature(token, "A9oXNsMDyXcGLU/tOxKVi5BmDR4=", url, params, "", false));
}

BOOST_AUTO_TEST_CASE(get_request_signs_the_url_alone) {
  BOOST_TEST(
      compute_signature(kToken1,
                        "https://example.com/status?CallSid=CA11111111111111111111111111111111"
                        "&CallStatus=completed&From=%2B14155550100",
                        {}) == "yuqF2rqSsVdwYlqWv40c22stxeY=");
}

BOOST_AUTO_TEST_CASE(json_body_uses_body_sha256) {
  const std::string body = R"({"EventType":"example","Sid":"XX00000000000000000000000000000000"})";
  BOOST_TEST(sha256_hex(body) ==
             "9e0b47c9266bc7233cab7c41dc0690124f4d1b7ceb1aac78b97c773d89f046da");
  const std::string url =
      "https://example.com/json-hook?bodySHA256="
      "9e0b47c9266bc7233cab7c41dc0690124f4d1b7ceb1aac78b97c773d89f046da";
  BOOST_TEST(compute_signature(kToken1, url, {}) == "GexAWMLp98qkVvlFA+6mG/zWw5E=");
  BOOST_TEST(validate_signature(kToken1, "GexAWMLp98qkVvlFA+6mG/zWw5E=", url, {}, body, true));
  BOOST_TEST(!validate_signature(kToken1, "GexAWMLp98qkVvlFA+6mG/zWw5E=", url, {}, body + " ",
                                 true));  // body changed after signing
  BOOST_TEST(!validate_signature(
      kToken1, "GexAWMLp98qkVvlFA+6mG/zWw5E=", "https://example.com/json-hook", {}, body, true));
}

BOOST_AUTO_TEST_CASE(repeated_names_sort_and_deduplicate_values) {
  const Params params = {{"StatusCallbackEvent", "ringing"},
                         {"StatusCallbackEvent", "answered"},
                         {"StatusCallbackEvent", "answered"},
                         {"A", "1"}};
  BOOST_TEST(signing_string("https://example.com/hook", params) ==
             "https://example.com/hookA1StatusCallbackEventansweredStatusCallbackEventringing");
  BOOST_TEST(compute_signature(kToken1, "https://example.com/hook", params) ==
             "2yJhRk5oA75J+TxZM5yrv2Z2h1U=");
}

BOOST_AUTO_TEST_CASE(port_forms) {
  BOOST_TEST(url_without_port("https://h.example:8443/p?q=1") == "https://h.example/p?q=1");
  BOOST_TEST(url_without_port("https://h.example/p") == "https://h.example/p");
  BOOST_TEST(url_with_port("https://h.example/p") == "https://h.example:443/p");
  BOOST_TEST(url_with_port("http://h.example?x") == "http://h.example:80?x");
  BOOST_TEST(url_with_port("http://127.0.0.1:8080/p") == "http://127.0.0.1:8080/p");
  BOOST_TEST(url_without_port("http://[::1]/p") == "http://[::1]/p");
  BOOST_TEST(url_without_port("http://[::1]:81/p") == "http://[::1]/p");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::twilio
