#include "fcgi/request_builder.h"

#include <boost/test/unit_test.hpp>

namespace mc::fcgi {
namespace {

FcgiParams base_params() {
  return {{"REQUEST_METHOD", "POST"},
          {"REQUEST_URI", "/inbound-call?tenant=a%20b"},
          {"QUERY_STRING", "tenant=a%20b"},
          {"DOCUMENT_URI", "/inbound-call"},
          {"CONTENT_TYPE", "application/x-www-form-urlencoded; charset=UTF-8"},
          {"CONTENT_LENGTH", "10"},
          {"REMOTE_USER", "backend"},
          {"REMOTE_ADDR", "127.0.0.1"},
          {"HTTPS", "on"},
          {"HTTP_HOST", "example.com"},
          {"HTTP_X_TWILIO_SIGNATURE", "abc="}};
}

BOOST_AUTO_TEST_SUITE(request_builder)

BOOST_AUTO_TEST_CASE(converts_cgi_variables) {
  Request request = build_request(base_params(), "");
  BOOST_TEST(request.method == "POST");
  BOOST_TEST(request.path == "/inbound-call");
  BOOST_TEST(request.request_uri == "/inbound-call?tenant=a%20b");
  BOOST_TEST(request.query_string == "tenant=a%20b");
  BOOST_TEST(request.remote_user == "backend");
  BOOST_TEST(request.remote_addr == "127.0.0.1");
  BOOST_TEST(request.https);
  BOOST_REQUIRE(request.header("x-twilio-signature"));
  BOOST_TEST(*request.header("x-twilio-signature") == "abc=");
  BOOST_TEST(*request.header("host") == "example.com");
  BOOST_TEST(*request.header("content-length") == "10");
  BOOST_TEST(request.param("tenant") == "a b");
}

BOOST_AUTO_TEST_CASE(decodes_form_body_keeping_order_and_repeats) {
  Request request = build_request(base_params(),
                                  "To=%2B15005550006&From=%2B14155550100&Body=hi+there&E=&A=1&A=2");
  BOOST_REQUIRE_EQUAL(request.form.size(), 6u);
  BOOST_TEST(request.form[0].first == "To");
  BOOST_TEST(request.form[0].second == "+15005550006");
  BOOST_TEST(request.param("From") == "+14155550100");
  BOOST_TEST(request.param("Body") == "hi there");
  BOOST_TEST(request.form[3].first == "E");
  BOOST_TEST(request.form[3].second == "");
  BOOST_TEST((all_params(request.form, "A") == std::vector<std::string>{"1", "2"}));
  // The query string stays out of the form parameters (signatures need them apart).
  BOOST_TEST(find_param(request.form, "tenant") == nullptr);
}

BOOST_AUTO_TEST_CASE(parses_json_body) {
  FcgiParams params = base_params();
  params[4].second = "application/json";
  Request request = build_request(params, R"({"addresses":["+14155550101"]})");
  BOOST_REQUIRE(request.json.has_value());
  BOOST_TEST((*request.json)["addresses"][0].asString() == "+14155550101");
  BOOST_TEST(request.json_error.empty());
  BOOST_TEST(request.form.empty());
}

BOOST_AUTO_TEST_CASE(reports_malformed_json) {
  FcgiParams params = base_params();
  params[4].second = "application/json; charset=utf-8";
  Request request = build_request(params, R"({"addresses": [)");
  BOOST_TEST(!request.json.has_value());
  BOOST_TEST(!request.json_error.empty());
}

// Issue 10, defect 1: 1,001 levels of nesting used to throw out of the parser (a 500 on
// every route, the unauthenticated webhooks included); now it is a parse error like any other.
BOOST_AUTO_TEST_CASE(deeply_nested_json_is_a_parse_error_not_an_exception) {
  FcgiParams params = base_params();
  params[4].second = "application/json";
  const std::string deep = std::string(1001, '[') + std::string(1001, ']');
  Request request = build_request(params, deep);
  BOOST_TEST(!request.json.has_value());
  BOOST_TEST(request.json_error.find("nested more than") != std::string::npos);
}

// Issue 10, defect 6: invalid UTF-8, raw or spelled as a lone surrogate escape, is refused.
BOOST_AUTO_TEST_CASE(json_that_is_not_utf8_is_refused) {
  FcgiParams params = base_params();
  params[4].second = "application/json";
  for (const std::string& body :
       {std::string("{\"friendlyName\": \"a\xff\xfe\"}"),
        std::string(R"({"friendlyName": "\udc00"})"), std::string("{\"\xc0\xaf\": 1}")}) {
    Request request = build_request(params, body);
    BOOST_TEST(!request.json.has_value());
    BOOST_TEST(request.json_error == "JSON text is not valid UTF-8");
  }
  Request good =
      build_request(params, "{\"friendlyName\": \"caf\xc3\xa9 \\u00e9 \\ud83d\\ude00\"}");
  BOOST_TEST(good.json.has_value());
}

// Media types are case-insensitive (RFC 9110): APPLICATION/JSON is JSON.
BOOST_AUTO_TEST_CASE(content_type_is_matched_case_insensitively) {
  FcgiParams params = base_params();
  params[4].second = "APPLICATION/JSON; Charset=UTF-8";
  Request request = build_request(params, R"({"a": 1})");
  BOOST_TEST(request.json.has_value());
  params[4].second = "Application/X-WWW-Form-Urlencoded";
  BOOST_TEST(build_request(params, "a=1").param("a") == "1");
}

BOOST_AUTO_TEST_CASE(rebuilds_request_uri_when_missing) {
  FcgiParams params = {{"REQUEST_METHOD", "GET"},
                       {"SCRIPT_NAME", "/sessions"},
                       {"QUERY_STRING", "status=open&PageSize=2"}};
  Request request = build_request(params, "");
  BOOST_TEST(request.path == "/sessions");
  BOOST_TEST(request.request_uri == "/sessions?status=open&PageSize=2");
  BOOST_TEST(request.param("PageSize") == "2");
  BOOST_TEST(!request.https);
}

BOOST_AUTO_TEST_CASE(query_string_decoding) {
  Params params = parse_form("Address=%2B14155550100&x=a+b&empty=");
  BOOST_REQUIRE_EQUAL(params.size(), 3u);
  BOOST_TEST(params[0].second == "+14155550100");
  BOOST_TEST(params[1].second == "a b");
  BOOST_TEST(params[2].second == "");
  // Empty pairs are skipped; a name without '=' has an empty value.
  const Params loose = parse_form("a&&b=%3D1+&");
  BOOST_REQUIRE_EQUAL(loose.size(), 2u);
  BOOST_TEST((loose[0] == std::pair<std::string, std::string>{"a", ""}));
  BOOST_TEST((loose[1] == std::pair<std::string, std::string>{"b", "=1 "}));
}

BOOST_AUTO_TEST_CASE(envp_is_split_at_first_equals) {
  const char* envp[] = {"A=1", "B=x=y", "NOEQUALS", nullptr};
  FcgiParams params = params_from_envp(envp);
  BOOST_REQUIRE_EQUAL(params.size(), 2u);
  BOOST_TEST(fcgi_param(params, "B") == "x=y");
}

BOOST_AUTO_TEST_CASE(body_limit_is_decided_from_content_length) {
  FcgiParams params = {{"CONTENT_LENGTH", "1024"}};
  auto ok = acceptable_body_length(params, 1024);
  BOOST_REQUIRE(ok.is_ok());
  BOOST_TEST(*ok == 1024u);

  auto too_big = acceptable_body_length(params, 1023);
  BOOST_REQUIRE(!too_big.is_ok());
  BOOST_TEST(too_big.status().http_status() == 413);
  BOOST_TEST(too_big.status().message() ==
             "request body of 1024 bytes is over the limit of 1023 bytes");

  auto missing = acceptable_body_length({}, 10);
  BOOST_REQUIRE(missing.is_ok());
  BOOST_TEST(*missing == 0u);

  auto malformed = acceptable_body_length({{"CONTENT_LENGTH", "12abc"}}, 10);
  BOOST_REQUIRE(!malformed.is_ok());
  BOOST_TEST(malformed.status().http_status() == 400);
  BOOST_TEST(!acceptable_body_length({{"CONTENT_LENGTH", "-1"}}, 10).is_ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::fcgi
