#include "core/application.h"

#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/log.h"

namespace mc {
namespace {

struct Fixture {
  Fixture() : application(config, metrics) {
    application.router().add("GET", "/healthz", Access::kOperator,
                             [](Request&) { return Response::text(200, "ok"); });
    application.router().add("GET", "/items/{id}", Access::kApi, [](Request& request) {
      return Response::text(200,
                            std::string(request.path_param("id")) + " for " + request.remote_user);
    });
    application.router().add("POST", "/items/{id}", Access::kApi,
                             [](Request&) -> Response { throw std::runtime_error("boom"); });
    application.router().add("GET", "/store-down", Access::kOperator, [](Request&) {
      return Response::error(Status::unavailable("cannot open SQLite database /var/lib/x.db"));
    });
    application.router().add("GET", "/twilio-down", Access::kOperator, [](Request&) {
      return Response::error(Status::unavailable("Twilio answered 503", 20503));
    });
  }
  Response get(std::string method, std::string path, std::string user = "") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.remote_user = std::move(user);
    return application.handle(request);
  }
  CoreConfig config;
  Metrics metrics;
  Application application;
};

BOOST_FIXTURE_TEST_SUITE(application, Fixture)

// Issue 10, defect 10: a 5xx is logged with its route and cause; the client never sees the
// store's own text (it names files), but does see Twilio's verdict.
BOOST_AUTO_TEST_CASE(server_errors_are_logged_and_internal_detail_is_hidden) {
  std::vector<std::string> lines;
  log::set_sink([&](std::string_view line) { lines.emplace_back(line); });
  Response down = get("GET", "/store-down");
  Response twilio = get("GET", "/twilio-down");
  Response thrown = get("POST", "/items/1", "backend");
  log::set_sink(nullptr);
  BOOST_TEST(down.status == 503);
  BOOST_TEST(down.body.find("/var/lib") == std::string::npos);
  BOOST_TEST(down.body.find("\"code\":20503") != std::string::npos);
  BOOST_TEST(twilio.body.find("Twilio answered 503") != std::string::npos);
  BOOST_TEST(thrown.body.find("boom") == std::string::npos);
  BOOST_REQUIRE_EQUAL(lines.size(), 3u);
  BOOST_TEST(lines[0].find("route=/store-down") != std::string::npos);
  BOOST_TEST(lines[0].find("/var/lib/x.db") != std::string::npos);
  BOOST_TEST(lines[2].find("boom") != std::string::npos);
}

// Issue 10, defect 12: answers the transport gives itself (413, its own 500s) are counted.
BOOST_AUTO_TEST_CASE(transport_responses_are_counted) {
  application.count_transport_response(413);
  const std::string text = metrics.render_prometheus();
  BOOST_TEST(text.find("route=\"transport\",status=\"413\"") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(routes_to_handler_with_parameters) {
  Response response = get("GET", "/items/42", "backend");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body == "42 for backend");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_a_json_404) {
  Response response = get("GET", "/nothing");
  BOOST_TEST(response.status == 404);
  BOOST_TEST(response.content_type == "application/json");
  BOOST_TEST(response.body.find("\"code\":20404") != std::string::npos);
  BOOST_TEST(response.body.find("\"status\":404") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_method_is_a_405_with_allow_header) {
  Response response = get("DELETE", "/items/1", "backend");
  BOOST_TEST(response.status == 405);
  BOOST_REQUIRE_EQUAL(response.headers.size(), 1u);
  BOOST_TEST(response.headers[0].first == "Allow");
  BOOST_TEST(response.headers[0].second == "GET, POST");
}

BOOST_AUTO_TEST_CASE(api_route_requires_remote_user) {
  Response response = get("GET", "/items/1");
  BOOST_TEST(response.status == 401);
  BOOST_TEST(response.body.find("REMOTE_USER") != std::string::npos);
  BOOST_TEST(get("GET", "/healthz").status == 200);  // operator routes do not
}

BOOST_AUTO_TEST_CASE(webhook_routes_need_the_webhook_check_to_pass) {
  int handled = 0;
  application.router().add("POST", "/hook", Access::kWebhook, [&](Request&) {
    ++handled;
    return Response::text(200, "processed");
  });
  // No check configured: fail closed.
  BOOST_TEST(get("POST", "/hook").status == 403);
  application.set_webhook_check([](const Request& request) {
    const std::string* signature = request.header("x-twilio-signature");
    return signature && *signature == "good";
  });
  Request forged;
  forged.method = "POST";
  forged.path = "/hook";
  forged.headers = {{"x-twilio-signature", "bad"}};
  const Response rejected = application.handle(forged);
  BOOST_TEST(rejected.status == 403);
  BOOST_TEST(rejected.body == "Twilio Request Validation Failed.");
  BOOST_TEST(handled == 0);
  Request signed_request = forged;
  signed_request.headers = {{"x-twilio-signature", "good"}};
  BOOST_TEST(application.handle(signed_request).status == 200);
  BOOST_TEST(handled == 1);
  BOOST_TEST(get("GET", "/healthz").status == 200);  // other routes are not affected
}

BOOST_AUTO_TEST_CASE(remote_user_check_can_be_disabled) {
  config.require_remote_user = false;
  BOOST_TEST(get("GET", "/items/1").status == 200);
}

BOOST_AUTO_TEST_CASE(throwing_handler_becomes_500_and_is_counted) {
  Response response = get("POST", "/items/1", "backend");
  BOOST_TEST(response.status == 500);
  BOOST_TEST(response.body.find("internal error") != std::string::npos);
  BOOST_TEST(get("GET", "/items/2", "backend").status == 200);
  const std::string text = metrics.render_prometheus();
  BOOST_TEST(text.find("mc_http_requests_total{route=\"/items/{id}\",status=\"500\"} 1") !=
             std::string::npos);
  BOOST_TEST(text.find("mc_http_requests_total{route=\"/items/{id}\",status=\"200\"} 1") !=
             std::string::npos);
  BOOST_TEST(text.find("mc_http_requests_in_flight 0") != std::string::npos);
  BOOST_TEST(text.find("mc_http_request_duration_seconds_count{route=\"/items/{id}\"} 2") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
