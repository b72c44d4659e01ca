#include "rest_format.h"

#include <boost/test/unit_test.hpp>

namespace mc::sandbox {
namespace {

std::vector<Json::Value> numbered(int count) {
  std::vector<Json::Value> records;
  for (int i = 0; i < count; ++i) records.emplace_back(i);
  return records;
}

// The query string of an absolute URL, decoded.
Params query_of(const std::string& url) { return decode_form(url.substr(url.find('?') + 1)); }

BOOST_AUTO_TEST_SUITE(rest_format)

BOOST_AUTO_TEST_CASE(v1_paging_is_followed_through_next_page_url) {
  const std::vector<Json::Value> records = numbered(7);
  const Params filters = {{"Address", "+14155550100"}};
  std::vector<int> seen;
  Params query = {{"PageSize", "3"}};
  int pages = 0;
  while (true) {
    auto request = read_page_request(query, 50);
    BOOST_REQUIRE(request.is_ok());
    Json::Value page =
        page_v1(records, "conversations", "http://sb/conversations/v1/ParticipantConversations",
                filters, *request);
    ++pages;
    BOOST_TEST(page["meta"]["key"].asString() == "conversations");
    BOOST_TEST(page["meta"]["page_size"].asInt() == 3);
    BOOST_TEST(page["meta"]["url"].asString().find("Address=%2B14155550100") != std::string::npos);
    for (const Json::Value& record : page["conversations"]) seen.push_back(record.asInt());
    if (page["meta"]["next_page_url"].isNull()) break;
    const std::string next = page["meta"]["next_page_url"].asString();
    BOOST_TEST(next.rfind("http://sb/conversations/v1/ParticipantConversations?", 0) == 0);
    query = query_of(next);
    BOOST_TEST(param_or(query, "Address") == "+14155550100");
  }
  BOOST_TEST(pages == 3);
  BOOST_TEST((seen == std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
}

BOOST_AUTO_TEST_CASE(page_size_is_capped_and_validated) {
  auto capped = read_page_request({{"PageSize", "500"}}, 50);
  BOOST_REQUIRE(capped.is_ok());
  BOOST_TEST(capped->page_size == 50u);
  BOOST_TEST(read_page_request({{"PageSize", "0"}}, 50).status().http_status() == 400);
  BOOST_TEST(read_page_request({{"PageSize", "x"}}, 50).status().http_status() == 400);
  BOOST_TEST(read_page_request({{"PageToken", "garbage"}}, 50).status().http_status() == 400);
  BOOST_TEST(read_page_request({}, 50)->page_size == 50u);
}

BOOST_AUTO_TEST_CASE(page_2010_uses_relative_uris) {
  auto request = read_page_request({{"PageSize", "2"}}, 1000);
  Json::Value page =
      page_2010(numbered(3), "calls", "/2010-04-01/Accounts/AC1/Calls.json", {}, *request);
  BOOST_TEST(page["calls"].size() == 2u);
  BOOST_TEST(page["start"].asInt() == 0);
  BOOST_TEST(page["end"].asInt() == 1);
  BOOST_TEST(page["next_page_uri"].asString().rfind("/2010-04-01/Accounts/AC1/Calls.json?", 0) ==
             0);
  auto second = read_page_request(query_of(page["next_page_uri"].asString()), 1000);
  Json::Value last =
      page_2010(numbered(3), "calls", "/2010-04-01/Accounts/AC1/Calls.json", {}, *second);
  BOOST_TEST(last["calls"].size() == 1u);
  BOOST_TEST(last["next_page_uri"].isNull());
}

BOOST_AUTO_TEST_CASE(error_body_has_twilio_shape) {
  Json::Value body = error_body(Status::conflict("in use", 50416));
  BOOST_TEST(body["code"].asInt() == 50416);
  BOOST_TEST(body["status"].asInt() == 409);
  BOOST_TEST(body["message"].asString() == "in use");
  BOOST_TEST(body["more_info"].asString() == "https://www.twilio.com/docs/errors/50416");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::sandbox
