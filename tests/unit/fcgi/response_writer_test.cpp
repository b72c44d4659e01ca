#include "fcgi/response_writer.h"

#include <boost/test/unit_test.hpp>

namespace mc::fcgi {
namespace {

BOOST_AUTO_TEST_SUITE(response_writer)

BOOST_AUTO_TEST_CASE(writes_status_type_length_and_headers) {
  Response response = Response::error(405, 20405, "nope").with_header("Allow", "GET");
  const std::string head = format_response_head(response);
  BOOST_TEST(head.rfind("Status: 405 Method Not Allowed\r\n", 0) == 0);
  BOOST_TEST(head.find("Content-Type: application/json\r\n") != std::string::npos);
  BOOST_TEST(head.find("Content-Length: " + std::to_string(response.body.size()) + "\r\n") !=
             std::string::npos);
  BOOST_TEST(head.find("Allow: GET\r\n") != std::string::npos);
  BOOST_TEST(head.substr(head.size() - 4) == "\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(drops_headers_that_would_split_the_head) {
  Response response = Response::text(200, "x").with_header("X-Evil", "a\r\nSet-Cookie: b");
  BOOST_TEST(format_response_head(response).find("Set-Cookie") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::fcgi
