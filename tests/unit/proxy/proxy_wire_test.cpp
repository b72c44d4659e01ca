// The Proxy API's wire conventions: what each helper library sends is read (booleans in
// either case), bad values are refused naming the parameter, and the v1 list envelope's
// page URLs chain from the first page to the last.
#include "modules/proxy_api/proxy_wire.h"

#include <boost/test/unit_test.hpp>

namespace mc::modules::proxy_api {
namespace {

Request form(Params params) {
  Request request;
  request.form = std::move(params);
  return request;
}

std::vector<Json::Value> items(size_t count) {
  std::vector<Json::Value> out;
  for (size_t i = 0; i < count; ++i) out.emplace_back(static_cast<Json::UInt64>(i));
  return out;
}

BOOST_AUTO_TEST_SUITE(proxy_wire)

BOOST_AUTO_TEST_CASE(booleans_come_in_either_case_and_anything_else_is_refused) {
  BOOST_TEST(form_bool(form({{"IsReserved", "True"}}), "IsReserved")->value());
  BOOST_TEST(!form_bool(form({{"IsReserved", "false"}}), "IsReserved")->value());
  BOOST_TEST(!form_bool(form({}), "IsReserved")->has_value());
  const auto bad = form_bool(form({{"IsReserved", "yes"}}), "IsReserved");
  BOOST_REQUIRE(!bad.is_ok());
  BOOST_TEST(bad.status().api_code() == code::kInvalidParameter);
  BOOST_TEST(bad.status().message().find("IsReserved") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers_choices_and_urls_are_checked) {
  BOOST_TEST(form_int(form({{"Ttl", "3600"}}), "Ttl", 0, 86400)->value() == 3600);
  BOOST_TEST(!form_int(form({{"Ttl", "-1"}}), "Ttl", 0, 86400).is_ok());
  BOOST_TEST(!form_int(form({{"Ttl", "12x"}}), "Ttl", 0, 86400).is_ok());
  BOOST_TEST(!form_choice(form({{"Mode", "fax"}}), "Mode", {"voice-only", "message-only"}).is_ok());
  BOOST_TEST(
      form_url(form({{"CallbackUrl", "https://a.example/x?y=1"}}), "CallbackUrl")->has_value());
  BOOST_TEST(!form_url(form({{"CallbackUrl", "javascript:alert(1)"}}), "CallbackUrl").is_ok());
  BOOST_TEST(!form_text(form({{"UniqueName", std::string(192, 'n')}}), "UniqueName", 191).is_ok());
  BOOST_TEST(!form_text(form({{"UniqueName", "\xff\xfe"}}), "UniqueName", 191).is_ok());
}

BOOST_AUTO_TEST_CASE(text_limits_count_characters_not_bytes) {
  std::string accented;
  for (int i = 0; i < 255; ++i) accented += "\xc3\xa9";  // 255 x U+00E9: 510 bytes
  BOOST_TEST(check_text("FriendlyName", accented, 255).is_ok());
  const Status longer = check_text("FriendlyName", accented + "x", 255);
  BOOST_TEST(longer.api_code() == code::kInvalidParameter);
  BOOST_TEST(longer.message().find("longer than 255 characters") != std::string::npos);
  BOOST_TEST(check_text("Body", "caf\xc3", 10).message().find("not UTF-8") != std::string::npos);
  BOOST_TEST(form_text(form({{"UniqueName", accented.substr(0, 382)}}), "UniqueName",
                       kMaxUniqueName)
                 ->has_value());  // 191 characters
}

BOOST_AUTO_TEST_CASE(a_list_query_is_read_from_the_url) {
  Request request;
  request.query = {{"PageSize", "2"}, {"Page", "1"}, {"PageToken", "PA2"}};
  auto page = read_page(request);
  BOOST_REQUIRE(page.is_ok());
  BOOST_TEST(page->page_size == 2u);
  BOOST_TEST(page->page == 1u);
  BOOST_TEST(page->offset == 2u);
  request.query = {{"PageToken", "elsewhere"}};
  BOOST_TEST(!read_page(request).is_ok());
  request.query = {{"PageSize", "1001"}};
  BOOST_TEST(!read_page(request).is_ok());
}

BOOST_AUTO_TEST_CASE(the_envelope_links_pages_and_says_when_there_are_no_more) {
  const std::string list = "https://mc.example/v1/Services";
  PageRequest first{2, 0, 0};
  // Three rows read for a page of two: a next page exists, and the third row is not sent.
  const Json::Value one = list_body("services", items(3), first, list);
  BOOST_TEST(one["services"].size() == 2u);
  BOOST_TEST(one["meta"]["key"].asString() == "services");
  BOOST_TEST(one["meta"]["previous_page_url"].isNull());
  BOOST_TEST(one["meta"]["next_page_url"].asString() == list + "?PageSize=2&Page=1&PageToken=PA2");
  BOOST_TEST(one["meta"]["first_page_url"].asString() == list + "?PageSize=2&Page=0");
  PageRequest second{2, 1, 2};
  const Json::Value two = list_body("services", items(1), second, list);
  BOOST_TEST(two["services"].size() == 1u);
  BOOST_TEST(two["meta"]["next_page_url"].isNull());
  BOOST_TEST(two["meta"]["previous_page_url"].asString() == list + "?PageSize=2&Page=0");
  BOOST_TEST(two["meta"]["url"].asString() == list + "?PageSize=2&Page=1&PageToken=PA2");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::modules::proxy_api
